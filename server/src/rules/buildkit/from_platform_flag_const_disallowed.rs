use super::support::{expansion_refs, go_quote, parse_platform, process_word};
use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Instruction, Keyword};

/// Nothing is defined: the platform must be a constant.
const NO_VARS: &[(String, Option<String>)] = &[];

declare_rule! {
/// ## What it does
/// Checks for `FROM --platform=` with a constant value such as `linux/amd64`, unless the
/// stage name mentions that OS or architecture (`AS build-amd64`).
///
/// ## Why is this bad?
/// A constant platform pins the stage regardless of the platform being built: a multi-arch
/// build (`--platform linux/amd64,linux/arm64`) then ships amd64 binaries in the arm64
/// image, or runs them under emulation. For .NET, build with the SDK on
/// `$BUILDPLATFORM` and publish for `$TARGETARCH` instead.
///
/// ## Example
/// ```dockerfile
/// FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ARG TARGETARCH
/// RUN dotnet publish -a $TARGETARCH -o /app
/// ```
///
/// ## Fix safety
/// No automatic fix: the stage's commands may depend on the platform.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleFromPlatformFlagConstDisallowed`)
    FromPlatformFlagConstDisallowed {
        severity: Warning,
        origin: BuildKit,
        summary: "FROM --platform flag should not use a constant value.",
        hadolint: "DL3029",
        per_instruction: true,
    }
}

impl InstructionRule for FromPlatformFlagConstDisallowed {
    fn interest(&self) -> Interest {
        Interest::own(&[Keyword::From]).with_flags()
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        idx: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        let Some(platform) = inst.flag_value("platform") else {
            return;
        };
        if !expansion_refs(&platform.text, ctx.tree.escape, true).is_empty() {
            return;
        }
        let Some(value) = process_word(&platform.text, NO_VARS, ctx.tree.escape) else {
            return;
        };
        // BuildKit fails on an invalid platform later; no warning for it here.
        let Some((os, arch)) = parse_platform(&value) else {
            return;
        };
        let stage_name = ctx
            .model
            .stage_of_instruction(idx)
            .filter(|s| s.from == idx)
            .and_then(|s| s.normalized_name())
            .unwrap_or_default();
        if stage_name.contains(&os) || stage_name.contains(&arch) {
            return;
        }
        out.report(
            &Self::META,
            platform.range,
            format!(
                "FROM --platform flag should not use constant value {}",
                go_quote(&value)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_constant_platforms() {
        assert_eq!(
            check_rule(
                "FromPlatformFlagConstDisallowed",
                "FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/sdk:10.0 AS build\nFROM --platform=linux/arm64 alpine\n"
            ),
            [
                "1:17-1:28 FROM --platform flag should not use constant value \"linux/amd64\"",
                "2:17-2:28 FROM --platform flag should not use constant value \"linux/arm64\"",
            ]
        );
    }

    #[test]
    fn accepts_variables_and_named_platform_stages() {
        assert!(check_rule(
            "FromPlatformFlagConstDisallowed",
            "FROM --platform=$BUILDPLATFORM alpine AS build\nFROM --platform=linux/arm64 alpine AS build-arm64\nFROM --platform=windows/amd64 alpine AS windows-tools\nFROM --platform=bogus alpine\n"
        )
        .is_empty());
    }
}
