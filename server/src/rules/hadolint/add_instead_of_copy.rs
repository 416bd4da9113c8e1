use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Checks for ADD instructions whose sources are all plain files or folders: not URLs, not
/// git repositories, not local tar archives that ADD would extract. Sources with variables
/// that cannot be resolved are given the benefit of the doubt.
///
/// ## Why is this bad?
/// ADD does more than copy: it downloads URLs and extracts local tar archives. Using it for
/// plain files hides which of those the author meant and extracts an archive that should
/// have been copied as is. COPY does only what it says.
///
/// ## Example
/// ```dockerfile
/// ADD src/ /src/
/// ```
///
/// ## Use instead
/// ```dockerfile
/// COPY src/ /src/
/// ```
///
/// ## Fix safety
/// The quick fix (action `UseCopyInsteadOfAdd`) replaces the keyword; it is safe, since the
/// rule reports only sources ADD would copy as they are.
///
/// ## References
/// - [hadolint DL3020](https://github.com/hadolint/hadolint/wiki/DL3020)
    AddInsteadOfCopy {
        severity: Error,
        origin: Hadolint,
        summary: "ADD is used for plain files or folders; COPY is meant for that.",
        hadolint: "DL3020",
        fixable: true,
        per_instruction: true,
    }
}

/// hadolint's list of the archive extensions ADD extracts.
const ARCHIVE_EXTENSIONS: &[&str] = &[
    ".tar", ".z", ".bz2", ".gz", ".lz", ".lzma", ".tz", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
    ".tpz", ".txz", ".xz", ".zst", ".tzst",
];

fn needs_add(source: &str) -> bool {
    let lower = source.trim_matches(['"', '\'']).to_ascii_lowercase();
    lower.contains("://")
        || lower.starts_with("git@")
        || ARCHIVE_EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
}

/// The source words of a COPY or ADD (everything but the destination), as written.
pub(super) fn sources(inst: &Instruction) -> Vec<&crate::syntax::Word> {
    let mut words = inst.arg_words();
    words.pop();
    words
}

impl InstructionRule for AddInsteadOfCopy {
    fn interest(&self) -> Interest {
        Interest::nesting(&[Keyword::Add])
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        index: usize,
        top: &Instruction,
        out: &mut Diagnostics,
    ) {
        let inst = top.effective();
        if inst.keyword != Keyword::Add {
            return;
        }
        // Only remote sources take these flags.
        if inst.flag("checksum").is_some() || inst.flag("keep-git-dir").is_some() {
            return;
        }
        let stage = ctx.model.stage_of_instruction(index).map(|s| s.index);
        let sources = sources(inst);
        if sources.is_empty() {
            return;
        }
        let all_plain = sources.iter().all(|source| {
            let text = match stage {
                Some(stage) if source.text.contains('$') => {
                    let expanded = ctx.model.expand_at(stage, index, &source.text);
                    if !expanded.is_complete() {
                        return false;
                    }
                    expanded.text
                }
                _ if source.text.contains('$') => return false,
                _ => source.text.as_str().to_owned(),
            };
            !needs_add(&text)
        });
        if all_plain {
            out.report(
                &Self::META,
                inst.keyword_range,
                "Use COPY instead of ADD for files and folders",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_add_of_plain_files() {
        assert_eq!(
            check_rule(
                "AddInsteadOfCopy",
                "FROM debian:12\nADD src/ /src/\nADD [\"a.txt\", \"b.json\", \"/app/\"]\nARG F=app.csproj\nADD $F /src/\nONBUILD ADD . /app\n"
            ),
            [
                "2:1-2:4 Use COPY instead of ADD for files and folders",
                "3:1-3:4 Use COPY instead of ADD for files and folders",
                "5:1-5:4 Use COPY instead of ADD for files and folders",
                "6:9-6:12 Use COPY instead of ADD for files and folders",
            ]
        );
    }

    #[test]
    fn silent_for_urls_archives_and_unknowns() {
        assert!(check_rule(
            "AddInsteadOfCopy",
            "FROM debian:12\nADD https://example.com/a.sh /tmp/\nADD rootfs.tar.gz /\n\
             ADD git@github.com:dotnet/runtime.git /src\nADD --checksum=sha256:abc https://x/y /y\n\
             ADD $UNKNOWN /x\nCOPY src/ /src/\n"
        )
        .is_empty());
    }
}
