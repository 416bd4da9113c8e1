use super::support::{from_words, is_lower};
use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Checks that stage names (`FROM image AS name`) are lower case.
///
/// ## Why is this bad?
/// BuildKit lower-cases stage names, so `AS Build` and `--from=build` name the same stage.
/// Mixed case suggests a distinction that does not exist and makes names harder to search.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS BuildEnv
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build-env
/// ```
///
/// ## Fix safety
/// The quick fix (action `FixCasing`) lower-cases the name and every reference to it; it is
/// safe: references are case-insensitive.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleStageNameCasing`)
    StageNameCasing {
        severity: Warning,
        origin: BuildKit,
        summary: "Stage names should be lowercase.",
        fixable: true,
        per_instruction: true,
    }
}

impl InstructionRule for StageNameCasing {
    fn interest(&self) -> Interest {
        Interest::own(&[Keyword::From])
    }

    fn check_instruction(
        &self,
        _: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        // BuildKit only looks at `FROM image AS name`: exactly three words.
        if let [_, _, name] = from_words(inst) {
            if !is_lower(&name.text) {
                out.report(
                    &Self::META,
                    name.range,
                    format!("Stage name '{}' should be lowercase", name.text),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_names_with_capitals() {
        assert_eq!(
            check_rule(
                "StageNameCasing",
                "FROM alpine AS BuildEnv\nFROM alpine as Final\nFROM BuildEnv\n"
            ),
            [
                "1:16-1:24 Stage name 'BuildEnv' should be lowercase",
                "2:16-2:21 Stage name 'Final' should be lowercase",
            ]
        );
    }

    #[test]
    fn accepts_lower_case_names() {
        assert!(check_rule(
            "StageNameCasing",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build-env\nFROM build-env AS publish\nFROM Alpine\n"
        )
        .is_empty());
    }
}
