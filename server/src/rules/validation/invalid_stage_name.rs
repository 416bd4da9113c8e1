use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that a stage name (`FROM ... AS <name>`) starts with a letter and contains only
/// letters, digits, `-`, `_` and `.`.
///
/// ## Why is this bad?
/// BuildKit stops with "invalid name for build stage: ..., name can't start with a number
/// or contain symbols".
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS 1-build
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build/api
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build-1
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build-api
/// ```
///
/// ## Fix safety
/// No automatic fix.
    InvalidStageName {
        severity: Error,
        origin: Validation,
        summary: "A stage name that starts with a digit or contains symbols.",
    }
}

impl InvalidStageName {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for stage in &ctx.model.stages {
            let Some(name) = &stage.name else { continue };
            if !is_valid_stage_name(&name.text) {
                out.report(
                    &Self::META,
                    name.range,
                    format!(
                        "invalid name for build stage: \"{}\", name can't start with a number or contain symbols",
                        name.text
                    ),
                );
            }
        }
    }
}

/// BuildKit's `^[a-z][a-z0-9-_.]*$` on the lower-cased name.
fn is_valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_invalid_names() {
        assert_eq!(
            check_rule(
                "InvalidStageName",
                "FROM alpine AS 1build\nFROM alpine AS build/api\nFROM alpine AS $NAME\n"
            ),
            [
                "1:16-1:22 invalid name for build stage: \"1build\", name can't start with a number or contain symbols",
                "2:16-2:25 invalid name for build stage: \"build/api\", name can't start with a number or contain symbols",
                "3:16-3:21 invalid name for build stage: \"$NAME\", name can't start with a number or contain symbols",
            ]
        );
    }

    #[test]
    fn silent_on_valid_names() {
        assert!(check_rule(
            "InvalidStageName",
            "FROM alpine AS build\nFROM alpine AS Build-2_x.y\nFROM alpine\n"
        )
        .is_empty());
    }
}
