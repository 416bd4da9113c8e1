use super::support::go_quote;
use crate::declare_rule;
use crate::model::normalized_stage_name;
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
        // Sized for every name up front: growing would hash each name again.
        let mut seen = rustc_hash::FxHashSet::with_capacity_and_hasher(
            ctx.model.stages.len(),
            Default::default(),
        );
        for stage in &ctx.model.stages {
            let Some(word) = &stage.name else {
                continue;
            };
            // Names are mostly written in lower case already: those are not copied.
            let name = normalized_stage_name(&word.text);
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
    fn the_borrowed_name_is_the_normalized_name() {
        for name in [
            "build",
            "Build",
            "BUILD-2",
            "b\u{e9}Tl\u{c9}",
            "",
            "\u{130}x",
        ] {
            assert_eq!(
                crate::model::normalized_stage_name(name),
                name.to_ascii_lowercase(),
                "{name}"
            );
        }
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
