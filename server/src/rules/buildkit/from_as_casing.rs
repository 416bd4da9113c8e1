use super::support::{from_words, is_lower, is_upper, keyword_text};
use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Checks that the `AS` of `FROM image AS name` has the same case as `FROM`.
///
/// ## Why is this bad?
/// Both spellings work, but mixing `FROM` with `as` (or `from` with `AS`) is inconsistent
/// and harder to read.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 as build
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ```
///
/// ## Fix safety
/// The quick fix (action `FixCasing`) writes `AS` in the case of `FROM`; it is safe.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleFromAsCasing`)
    FromAsCasing {
        severity: Warning,
        origin: BuildKit,
        summary: "The 'as' keyword should match the case of the 'from' keyword.",
        fixable: true,
        per_instruction: true,
    }
}

impl InstructionRule for FromAsCasing {
    fn interest(&self) -> Interest {
        Interest::own(&[Keyword::From])
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        let [_, as_word, _, ..] = from_words(inst) else {
            return;
        };
        // Any other word there is a syntax error, reported elsewhere.
        if !as_word.text.eq_ignore_ascii_case("as") {
            return;
        }
        let from = keyword_text(ctx, inst);
        // A mixed-case FROM is ConsistentInstructionCasing's finding, not this one's.
        let matches = if is_lower(from) {
            is_lower(&as_word.text)
        } else if is_upper(from) {
            is_upper(&as_word.text)
        } else {
            true
        };
        if !matches {
            out.report(
                &Self::META,
                as_word.range,
                format!(
                    "'{}' and '{}' keywords' casing do not match",
                    as_word.text, from
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{analyze, Severity};
    use crate::rules::test_support::{check_rule, test_env};

    #[test]
    fn reports_mismatched_case() {
        assert_eq!(
            check_rule(
                "FromAsCasing",
                "FROM alpine as build\nfrom alpine AS final\nFROM alpine As other\n"
            ),
            [
                "1:13-1:15 'as' and 'FROM' keywords' casing do not match",
                "2:13-2:15 'AS' and 'from' keywords' casing do not match",
                "3:13-3:15 'As' and 'FROM' keywords' casing do not match",
            ]
        );
    }

    #[test]
    fn accepts_matching_case_and_mixed_from() {
        assert!(check_rule(
            "FromAsCasing",
            "FROM alpine AS build\nfrom alpine as final\nFrom alpine as x\nFROM alpine\n"
        )
        .is_empty());
    }

    #[test]
    fn check_directive_skips_the_rule() {
        assert!(check_rule(
            "FromAsCasing",
            "# check=skip=FromAsCasing\nFROM alpine as build\n"
        )
        .is_empty());
        assert!(check_rule("FromAsCasing", "# check=skip=all\nFROM alpine as build\n").is_empty());
    }

    #[test]
    fn check_directive_error_true_makes_it_an_error() {
        let plain = analyze("FROM alpine as build\n", &test_env());
        let warning = plain.diagnostics.iter().find(|d| d.code == "FromAsCasing");
        assert_eq!(warning.map(|d| d.severity), Some(Severity::Warning));
        assert_eq!(
            warning.and_then(|d| d.docs_url.as_deref()),
            Some("https://docs.docker.com/go/dockerfile/rule/from-as-casing/")
        );

        let strict = analyze("# check=error=true\nFROM alpine as build\n", &test_env());
        let error = strict.diagnostics.iter().find(|d| d.code == "FromAsCasing");
        assert_eq!(error.map(|d| d.severity), Some(Severity::Error));
    }
}
