use super::support::keyword_text;
use crate::declare_rule;
use crate::rules::{Diagnostics, KeywordCasing, RuleContext};
use crate::syntax::Keyword;

declare_rule! {
/// ## What it does
/// Checks that every instruction keyword is written in the same case: all upper case or all
/// lower case, following the majority of the file's instructions.
///
/// ## Why is this bad?
/// Keywords are case-insensitive, so mixed case (`Run`, or `copy` among `COPY`s) only makes
/// the file harder to read and to search.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// workdir /app
/// Copy . .
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// WORKDIR /app
/// COPY . .
/// ```
///
/// ## Fix safety
/// The quick fix (action `FixCasing`) gives the keyword the majority's case; it is safe.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleConsistentInstructionCasing`)
    ConsistentInstructionCasing {
        severity: Warning,
        origin: BuildKit,
        summary: "All instructions should use the same casing (either upper or lower).",
        fixable: true,
    }
}

impl ConsistentInstructionCasing {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        // BuildKit counts the instructions of stages: the ARGs before the first FROM are not.
        // The keyword index has every keyword's casing: instructions are read to report only.
        let first_from = super::first_stage_instruction(ctx);
        // Read twice (to count, then to report) rather than copied: the index is compact.
        let keywords = || {
            ctx.keywords()
                .iter()
                .zip(ctx.keyword_casings())
                .enumerate()
                .skip(first_from)
                .filter(|(_, (keyword, _))| **keyword != Keyword::Unknown)
                .map(|(idx, (_, casing)): (usize, (&Keyword, &KeywordCasing))| (idx, *casing))
        };
        let (mut lower, mut upper) = (0, 0);
        for (_, casing) in keywords() {
            if casing.lower {
                lower += 1;
            } else if casing.upper {
                upper += 1;
            }
        }
        let majority_lower = lower > upper;
        for (idx, written) in keywords() {
            let casing = if majority_lower && !written.lower {
                "lowercase"
            } else if !majority_lower && !written.upper {
                "uppercase"
            } else {
                continue;
            };
            let Some(inst) = ctx.tree.instructions.get(idx) else {
                continue;
            };
            let name = keyword_text(ctx, inst);
            out.report(
                &Self::META,
                inst.keyword_range,
                format!(
                    "Command '{name}' should match the case of the command majority ({casing})"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_keywords_against_the_majority() {
        assert_eq!(
            check_rule(
                "ConsistentInstructionCasing",
                "FROM alpine\nRUN true\nrun true\nCopy . .\n"
            ),
            [
                "3:1-3:4 Command 'run' should match the case of the command majority (uppercase)",
                "4:1-4:5 Command 'Copy' should match the case of the command majority (uppercase)",
            ]
        );
        assert_eq!(
            check_rule(
                "ConsistentInstructionCasing",
                "from alpine\nrun true\nRUN true\nworkdir /app\n"
            ),
            ["3:1-3:4 Command 'RUN' should match the case of the command majority (lowercase)"]
        );
    }

    #[test]
    fn ignores_global_args_and_consistent_files() {
        assert!(check_rule(
            "ConsistentInstructionCasing",
            "arg VERSION=10.0\nFROM alpine\nRUN true\n"
        )
        .is_empty());
        assert!(check_rule("ConsistentInstructionCasing", "from alpine\nrun true\n").is_empty());
    }
}
