use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that a base image exists for the platform being built: BuildKit reports it when
/// the image it pulled is for another OS or architecture than the target platform.
///
/// Not computed yet: it needs the platforms each image provides (registry look-ups or the
/// image catalog). The rule is declared so that its name is known to suppressions,
/// configuration and `dockside explain`; it reports nothing for now.
///
/// ## Why is this bad?
/// A base image without a variant for the target platform runs under emulation or fails
/// with `exec format error`. Windows-only tags (`nanoserver-*`) on a Linux build, or an
/// `amd64`-only image on an `arm64` machine, are the usual causes.
///
/// ## Example
/// ```dockerfile
/// FROM --platform=linux/arm64 example.com/team/tool-amd64-only:1.0
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0
/// ```
///
/// ## Fix safety
/// No automatic fix: the right image depends on the platforms it is published for.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleInvalidBaseImagePlatform`)
    InvalidBaseImagePlatform {
        severity: Warning,
        origin: BuildKit,
        summary: "Base image platform does not match expected target platform.",
    }
}

impl InvalidBaseImagePlatform {
    fn run(_ctx: &RuleContext, _out: &mut Diagnostics) {
        // Needs the platforms of each image (registry or catalog); see the rule's docs.
    }
}
