use super::support::go_quote;
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that no two stages have the same name. Names are compared case-insensitively, as
/// BuildKit does.
///
/// ## Why is this bad?
/// `--from=build` and `FROM build` resolve to one of the stages only, so the other one is
/// either unreachable or silently replaced depending on where it is referenced.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// FROM build AS publish
/// ```
///
/// ## Fix safety
/// No automatic fix: renaming a stage changes what its references mean.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleDuplicateStageName`)
    DuplicateStageName {
        severity: Warning,
        origin: BuildKit,
        summary: "Stage names should be unique.",
        hadolint: "DL3024",
    }
}

impl DuplicateStageName {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let mut seen = rustc_hash::FxHashSet::default();
        for stage in &ctx.model.stages {
            let (Some(word), Some(name)) = (&stage.name, stage.normalized_name()) else {
                continue;
            };
            if seen.contains(&name) {
                out.report(
                    &Self::META,
                    word.range,
                    format!(
                        "Duplicate stage name {}, stage names should be unique",
                        go_quote(&name)
                    ),
                );
            } else {
                seen.insert(name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_each_repeated_name() {
        assert_eq!(
            check_rule(
                "DuplicateStageName",
                "FROM alpine AS build\nFROM alpine AS Build\nFROM alpine AS build\n"
            ),
            [
                "2:16-2:21 Duplicate stage name \"build\", stage names should be unique",
                "3:16-3:21 Duplicate stage name \"build\", stage names should be unique",
            ]
        );
    }

    #[test]
    fn accepts_distinct_names() {
        assert!(check_rule(
            "DuplicateStageName",
            "FROM alpine AS build\nFROM build AS publish\nFROM alpine\nFROM alpine\n"
        )
        .is_empty());
    }
}
