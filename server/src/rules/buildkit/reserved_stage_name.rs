use super::support::go_quote;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that no stage is named `scratch` or `context`.
///
/// ## Why is this bad?
/// Both names already mean something to BuildKit: `scratch` is the empty image and `context`
/// the build context. A stage with one of these names is confusing at best and shadowed at
/// worst.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS scratch
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ```
///
/// ## Fix safety
/// No automatic fix: renaming a stage changes what its references mean.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleReservedStageName`)
    ReservedStageName {
        severity: Warning,
        origin: BuildKit,
        summary: "Reserved words should not be used as stage names.",
        hadolint: "DL3063",
    }
}

impl ReservedStageName {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for stage in &ctx.model.stages {
            let Some(word) = &stage.name else {
                continue;
            };
            let name = word.text.as_str();
            // Compared without lower-casing a copy of every name.
            if name.eq_ignore_ascii_case("scratch") || name.eq_ignore_ascii_case("context") {
                out.report(
                    &Self::META,
                    word.range,
                    format!(
                        "Stage name should not use the same name as reserved stage {}",
                        go_quote(&name.to_ascii_lowercase())
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_reserved_names() {
        assert_eq!(
            check_rule(
                "ReservedStageName",
                "FROM alpine AS scratch\nFROM alpine AS Context\n"
            ),
            [
                "1:16-1:23 Stage name should not use the same name as reserved stage \"scratch\"",
                "2:16-2:23 Stage name should not use the same name as reserved stage \"context\"",
            ]
        );
    }

    #[test]
    fn accepts_other_names_and_scratch_images() {
        assert!(check_rule(
            "ReservedStageName",
            "FROM scratch AS base\nFROM alpine AS contexts\n"
        )
        .is_empty());
    }
}
