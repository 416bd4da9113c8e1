use super::support::{go_quote, is_absolute_path, walk_stages};
use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::{Args, Keyword};

declare_rule! {
/// ## What it does
/// Checks that the first `WORKDIR` of a stage (counting the stages it is built from) is an
/// absolute path.
///
/// ## Why is this bad?
/// A relative `WORKDIR` is resolved against the base image's working directory, which the
/// image can change between tags: the same Dockerfile then builds into another directory.
/// Once an absolute `WORKDIR` is set in the Dockerfile, later relative ones are fine.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0
/// WORKDIR src
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0
/// WORKDIR /src
/// ```
///
/// ## Fix safety
/// No automatic fix: the right absolute path depends on the base image.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleWorkdirRelativePath`)
    WorkdirRelativePath {
        severity: Warning,
        origin: BuildKit,
        summary: "Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes.",
        hadolint: "DL3000",
    }
}

impl WorkdirRelativePath {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        walk_stages(ctx, &[Keyword::Workdir], |_, _, inst, state| {
            if inst.keyword != Keyword::Workdir || state.workdir_set {
                return;
            }
            let Args::String(path) = &inst.args else {
                return;
            };
            // A path built from variables whose values Dockside cannot know is not judged.
            let Some(expanded) = state.expand(&path.text) else {
                return;
            };
            if !is_absolute_path(&expanded, state.windows) {
                out.report(
                    &Self::META,
                    path.range,
                    format!(
                        "Relative workdir {} can have unexpected results if the base image changes",
                        go_quote(&expanded)
                    ),
                );
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_the_first_relative_workdir() {
        assert_eq!(
            check_rule(
                "WorkdirRelativePath",
                "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nARG DIR=src\nWORKDIR $DIR\nWORKDIR app\nFROM alpine\nWORKDIR \"my app\"\n"
            ),
            [
                "3:9-3:13 Relative workdir \"src\" can have unexpected results if the base image changes",
                "6:9-6:17 Relative workdir \"my app\" can have unexpected results if the base image changes",
            ]
        );
    }

    #[test]
    fn follows_the_escape_directive() {
        assert_eq!(
            check_rule(
                "WorkdirRelativePath",
                "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR bin\\Release\n"
            ),
            ["3:9-3:20 Relative workdir \"bin\\\\Release\" can have unexpected results if the base image changes"]
        );
        assert!(check_rule(
            "WorkdirRelativePath",
            "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR C:\\app\n"
        )
        .is_empty());
    }

    #[test]
    fn accepts_absolute_and_inherited_workdirs() {
        assert!(check_rule(
            "WorkdirRelativePath",
            "FROM alpine AS base\nWORKDIR /app\nFROM base\nWORKDIR src\nFROM mcr.microsoft.com/dotnet/sdk:10.0-nanoserver-ltsc2022\nWORKDIR C:\\\\app\nFROM alpine\nARG DIR\nWORKDIR $DIR\n"
        )
        .is_empty());
    }
}
