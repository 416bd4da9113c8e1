use super::support::keyword_text;
use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Args, Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Checks for `ENV` and `LABEL` written in the legacy `KEY value` form instead of
/// `KEY=value`.
///
/// ## Why is this bad?
/// In the legacy form everything after the key is the value, spaces and quotes included:
/// `ENV ASPNETCORE_URLS http://+:8080 DOTNET_ENVIRONMENT=Production` sets one variable to the
/// whole rest of the line. The `KEY=value` form sets several variables per instruction
/// without surprises.
///
/// ## Example
/// ```dockerfile
/// ENV ASPNETCORE_ENVIRONMENT Production
/// ```
///
/// ## Use instead
/// ```dockerfile
/// ENV ASPNETCORE_ENVIRONMENT=Production
/// ```
///
/// ## Fix safety
/// The quick fix (action `UseKeyEqualsValue`) quotes a value with spaces and is not offered
/// when quoting could change the value; it is safe.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleLegacyKeyValueFormat`)
    LegacyKeyValueFormat {
        severity: Warning,
        origin: BuildKit,
        summary: "Legacy key/value format with whitespace separator should not be used.",
        fixable: true,
        per_instruction: true,
    }
}

impl InstructionRule for LegacyKeyValueFormat {
    fn interest(&self) -> Interest {
        Interest::own(&[Keyword::Env, Keyword::Label])
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        idx: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        // BuildKit checks the instructions of stages: the ARGs before the first FROM are not.
        if idx < super::first_stage_instruction(ctx) {
            return;
        }
        let Args::KeyValues {
            pairs,
            legacy: true,
        } = &inst.args
        else {
            return;
        };
        let name = keyword_text(ctx, inst);
        // Without a value BuildKit rejects the instruction (InvalidKeyValue).
        for pair in pairs.iter().filter(|p| p.value.is_some()) {
            out.report(
                &Self::META,
                pair.range,
                format!(
                    "\"{name} key=value\" should be used instead of legacy \"{name} key value\" format"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_the_legacy_form() {
        assert_eq!(
            check_rule(
                "LegacyKeyValueFormat",
                "FROM alpine\nENV ASPNETCORE_ENVIRONMENT Production\nlabel maintainer jane\n"
            ),
            [
                "2:5-2:38 \"ENV key=value\" should be used instead of legacy \"ENV key value\" format",
                "3:7-3:22 \"label key=value\" should be used instead of legacy \"label key value\" format",
            ]
        );
    }

    #[test]
    fn accepts_key_value_pairs() {
        assert!(check_rule(
            "LegacyKeyValueFormat",
            "FROM alpine\nENV A=1 B=\"two words\"\nLABEL org.opencontainers.image.title=app\n"
        )
        .is_empty());
    }
}
