use super::common::keyword_text;
use crate::declare_rule;
use crate::rules::suppression::did_you_mean;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Checks that every instruction keyword is one the Dockerfile frontend knows (`FROM`, `RUN`,
/// `COPY`, ...), and suggests the closest keyword for a typo.
///
/// ## Why is this bad?
/// BuildKit stops the build with "unknown instruction". A line that starts with `&&` or a
/// command name usually means that the `\` at the end of the previous line is missing.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// RUNN dotnet restore
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// RUN dotnet restore
/// ```
///
/// ## Fix safety
/// No automatic fix.
    UnknownInstruction {
        severity: Error,
        origin: Validation,
        summary: "An instruction keyword that Docker does not know.",
        per_instruction: true,
    }
}

/// Words that start a line only when a line continuation went missing.
const SHELL_CONTINUATION_STARTS: &[&str] = &["&&", "||", "|", ";", "&"];

impl InstructionRule for UnknownInstruction {
    fn interest(&self) -> Interest {
        Interest::with_triggers(&[Keyword::Unknown])
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        let written = keyword_text(ctx.text, inst);
        let hint = if SHELL_CONTINUATION_STARTS
            .iter()
            .any(|op| written.starts_with(op))
            || written.starts_with('-')
        {
            " (is the `\\` missing at the end of the previous line?)".to_string()
        } else {
            did_you_mean(written, Keyword::ALL.iter().map(|k| k.as_str()))
                .map(|s| format!(" (did you mean {s}?)"))
                .unwrap_or_default()
        };
        out.report(
            &Self::META,
            inst.keyword_range,
            format!("unknown instruction: {written}{hint}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_typos_with_suggestions() {
        assert_eq!(
            check_rule(
                "UnknownInstruction",
                "FROM alpine\nRUNN echo hi\ncopy a b\nFORM x\nONBUILD CPOY a b\n"
            ),
            [
                "2:1-2:5 unknown instruction: RUNN (did you mean RUN?)",
                "4:1-4:5 unknown instruction: FORM (did you mean FROM?)",
                "5:9-5:13 unknown instruction: CPOY (did you mean COPY?)",
            ]
        );
    }

    #[test]
    fn hints_at_a_missing_continuation() {
        assert_eq!(
            check_rule(
                "UnknownInstruction",
                "FROM alpine\nRUN apk update\n    && apk add curl\nBANANA split\n"
            ),
            [
                "3:5-3:7 unknown instruction: && (is the `\\` missing at the end of the previous line?)",
                "4:1-4:7 unknown instruction: BANANA",
            ]
        );
    }

    #[test]
    fn silent_on_known_instructions() {
        assert!(check_rule(
            "UnknownInstruction",
            "FROM alpine\nrun echo hi\nOnBuild RUN echo\nHEALTHCHECK NONE\n"
        )
        .is_empty());
    }
}
