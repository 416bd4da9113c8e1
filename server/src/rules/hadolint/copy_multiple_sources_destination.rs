use super::add_instead_of_copy::sources;
use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Checks that a COPY or ADD with more than one source has a destination ending in `/`
/// (or `.`, which is a folder too).
///
/// ## Why is this bad?
/// Several sources can only go into a folder. Docker's classic builder refuses the
/// instruction ("When using COPY with more than one source file, the destination must be a
/// directory and end with a /"), and the trailing `/` tells readers that the destination
/// is a folder.
///
/// ## Example
/// ```dockerfile
/// COPY Directory.Build.props Directory.Packages.props /src
/// ```
///
/// ## Use instead
/// ```dockerfile
/// COPY Directory.Build.props Directory.Packages.props /src/
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [hadolint DL3021](https://github.com/hadolint/hadolint/wiki/DL3021)
    CopyMultipleSourcesDestination {
        severity: Error,
        origin: Hadolint,
        summary: "COPY or ADD with several sources has a destination that does not end with `/`.",
        hadolint: "DL3021",
        per_instruction: true,
    }
}

impl InstructionRule for CopyMultipleSourcesDestination {
    fn interest(&self) -> Interest {
        Interest::nesting(&[Keyword::Copy, Keyword::Add])
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        index: usize,
        top: &Instruction,
        out: &mut Diagnostics,
    ) {
        let inst = top.effective();
        if !matches!(inst.keyword, Keyword::Copy | Keyword::Add) {
            return;
        }
        if sources(inst).len() < 2 {
            return;
        }
        let words = inst.arg_words();
        let Some(destination) = words.last() else {
            return;
        };
        let text = if destination.text.contains('$') {
            let Some(stage) = ctx.model.stage_of_instruction(index) else {
                return;
            };
            let expanded = ctx.model.expand_at(stage.index, index, &destination.text);
            if !expanded.is_complete() {
                return;
            }
            std::borrow::Cow::Owned(expanded.text)
        } else {
            std::borrow::Cow::Borrowed(destination.text.as_str())
        };
        let text = text.trim_matches(['"', '\'']);
        let is_folder = text.ends_with('/')
            || text.ends_with('\\')
            || text == "."
            || text == ".."
            || text.ends_with("/.")
            || text.ends_with("/..");
        if !is_folder {
            let keyword = if inst.keyword == Keyword::Add {
                "ADD"
            } else {
                "COPY"
            };
            out.report(
                &Self::META,
                destination.range,
                format!(
                    "{keyword} with more than 2 arguments requires the last argument to end with /"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_the_destination() {
        assert_eq!(
            check_rule(
                "CopyMultipleSourcesDestination",
                "FROM debian:12\nCOPY a.csproj b.csproj /src\nADD [\"x\", \"y\", \"/opt\"]\nARG DEST=/app\nCOPY --from=build a b $DEST\n"
            ),
            [
                "2:24-2:28 COPY with more than 2 arguments requires the last argument to end with /",
                "3:16-3:22 ADD with more than 2 arguments requires the last argument to end with /",
                "5:23-5:28 COPY with more than 2 arguments requires the last argument to end with /",
            ]
        );
    }

    #[test]
    fn silent_for_folders_and_single_sources() {
        assert!(check_rule(
            "CopyMultipleSourcesDestination",
            "FROM debian:12\nCOPY a b /src/\nCOPY a b .\nCOPY a b ./\nCOPY a /src\nARG D=/x/\nCOPY a b $D\nCOPY a b $UNKNOWN\n"
        )
        .is_empty());
    }
}
