use super::support::{expansion_refs, GlobalArgs};
use crate::declare_rule;
use crate::model::expand;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Checks for `FROM --platform=$TARGETPLATFORM`.
///
/// ## Why is this bad?
/// Stages are built for the target platform by default, so the flag says nothing and
/// suggests the stage is special. (`--platform=$BUILDPLATFORM`, used to cross-compile with
/// the SDK image, is a different and useful thing.)
///
/// ## Example
/// ```dockerfile
/// FROM --platform=$TARGETPLATFORM mcr.microsoft.com/dotnet/aspnet:10.0
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// ```
///
/// ## Fix safety
/// No automatic fix yet. Removing the flag does not change the build.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleRedundantTargetPlatform`)
    RedundantTargetPlatform {
        severity: Warning,
        origin: BuildKit,
        summary: "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior.",
        hadolint: "DL3065",
        per_instruction: true,
    }
}

impl InstructionRule for RedundantTargetPlatform {
    fn interest(&self) -> Interest {
        Interest::own(&[Keyword::From]).with_flags()
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        _: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        let globals = GlobalArgs::of(ctx);
        let Some(target) = globals.value("TARGETPLATFORM") else {
            return;
        };
        let Some(platform) = inst.flag_value("platform") else {
            return;
        };
        let refs = expansion_refs(&platform.text, ctx.tree.escape, true);
        // BuildKit's condition: TARGETPLATFORM is the only variable, it is set, and the
        // whole value expands to it.
        let only_target = !refs.is_empty() && refs.iter().all(|r| r.name == "TARGETPLATFORM");
        if only_target && expand(&platform.text, &globals.vars[..]).text == target {
            out.report(
                &Self::META,
                platform.range,
                format!(
                    "Setting platform to predefined {} in FROM is redundant as this is the default behavior",
                    platform.text
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_target_platform() {
        assert_eq!(
            check_rule(
                "RedundantTargetPlatform",
                "FROM --platform=$TARGETPLATFORM alpine\nFROM --platform=${TARGETPLATFORM} alpine\n"
            ),
            [
                "1:17-1:32 Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
                "2:17-2:34 Setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is the default behavior",
            ]
        );
    }

    #[test]
    fn accepts_build_platform_and_composed_values() {
        assert!(check_rule(
            "RedundantTargetPlatform",
            "FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0\nFROM --platform=$TARGETOS/$TARGETARCH alpine\nFROM --platform=linux/$TARGETPLATFORM alpine\n"
        )
        .is_empty());
    }
}
