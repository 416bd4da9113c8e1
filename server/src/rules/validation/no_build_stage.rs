use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::Keyword;
use crate::text::TextRange;

declare_rule! {
/// ## What it does
/// Checks that a Dockerfile whose instructions are all `ARG` also has a `FROM`.
///
/// ## Why is this bad?
/// Without `FROM` there is nothing to build: BuildKit stops with "dockerfile contains no
/// stages to build".
///
/// ## Example
/// ```dockerfile
/// ARG DOTNET_VERSION=10.0
/// ```
///
/// ## Use instead
/// ```dockerfile
/// ARG DOTNET_VERSION=10.0
/// FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}
/// ```
///
/// ## Fix safety
/// No automatic fix.
    NoBuildStage {
        severity: Error,
        origin: Validation,
        summary: "The Dockerfile has ARG instructions but no FROM.",
    }
}

impl NoBuildStage {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let instructions = &ctx.tree.instructions;
        let (Some(first), Some(last)) = (instructions.first(), instructions.last()) else {
            // An empty file is NoInstructions' finding.
            return;
        };
        if instructions.iter().all(|i| i.keyword == Keyword::Arg) {
            out.report(
                &Self::META,
                TextRange::new(first.range.start(), last.range.end()),
                "dockerfile contains no stages to build: add a FROM instruction",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_an_args_only_file() {
        assert_eq!(
            check_rule("NoBuildStage", "ARG A=1\nARG B\n"),
            ["1:1-2:6 dockerfile contains no stages to build: add a FROM instruction"]
        );
    }

    #[test]
    fn silent_with_a_stage_or_other_problems() {
        assert!(check_rule("NoBuildStage", "ARG A=1\nFROM alpine\n").is_empty());
        assert!(check_rule("NoBuildStage", "RUN echo\n").is_empty());
        assert!(check_rule("NoBuildStage", "").is_empty());
    }
}
