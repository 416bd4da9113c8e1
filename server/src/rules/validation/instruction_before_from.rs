use super::common::instruction_name;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::Keyword;

declare_rule! {
/// ## What it does
/// Checks that nothing but `ARG` comes before the first `FROM`.
///
/// ## Why is this bad?
/// An instruction needs a build stage to run in; BuildKit stops with "no build stage in
/// current context". Only `ARG` may come first, to parameterise `FROM` lines.
///
/// ## Example
/// ```dockerfile
/// ENV DOTNET_CLI_TELEMETRY_OPTOUT=1
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ```
///
/// ## Use instead
/// ```dockerfile
/// ARG DOTNET_VERSION=10.0
/// FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
/// ENV DOTNET_CLI_TELEMETRY_OPTOUT=1
/// ```
///
/// ## Fix safety
/// No automatic fix.
    InstructionBeforeFrom {
        severity: Error,
        origin: Validation,
        summary: "An instruction other than ARG before the first FROM.",
        hadolint: "DL3061",
    }
}

impl InstructionBeforeFrom {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        // BuildKit fails on the first one; later ones add nothing but noise.
        let first = ctx
            .tree
            .instructions
            .iter()
            .take_while(|i| i.keyword != Keyword::From)
            .find(|i| i.keyword != Keyword::Arg && i.keyword != Keyword::Unknown);
        if let Some(inst) = first {
            out.report(
                &Self::META,
                inst.keyword_range,
                format!(
                    "{} before the first FROM: only ARG may come before FROM (no build stage in current context)",
                    instruction_name(ctx.text, inst)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_the_first_instruction_before_from() {
        assert_eq!(
            check_rule(
                "InstructionBeforeFrom",
                "ARG V=10.0\nENV A=1\nRUN echo\nFROM alpine\nRUN echo\n"
            ),
            ["2:1-2:4 ENV before the first FROM: only ARG may come before FROM (no build stage in current context)"]
        );
    }

    #[test]
    fn silent_when_only_args_precede_from() {
        assert!(check_rule(
            "InstructionBeforeFrom",
            "# syntax=docker/dockerfile:1\nARG V=10.0\nARG B\nFROM alpine\nENV A=1\n"
        )
        .is_empty());
    }
}
