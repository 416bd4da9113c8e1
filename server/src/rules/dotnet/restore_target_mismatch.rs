use crate::declare_rule;
use crate::model::{CliWord, DotnetCommand};
use crate::rules::{Diagnostics, RuleContext};

use super::restore_model::{list_names, DotnetStep, RestoreModel};

declare_rule! {
/// ## What it does
/// Checks that a `dotnet build`, `publish` or `test` with `--no-restore` uses what an
/// earlier restore in the same stage (or a stage it derives from) produced:
/// - the restore must have restored the project being built (directly, through a solution,
///   or through the ProjectReference closure of the restored project);
/// - a build for a runtime (`-r`, `-a`, `--os`) needs a restore for the same runtime,
///   unless the project itself declares its `RuntimeIdentifier(s)`.
///
/// ## Why is this bad?
/// `--no-restore` trusts `obj/project.assets.json`. If the restore ran without `-r` and the
/// publish asks for `-r linux-x64`, the build fails with NETSDK1047 ("Assets file doesn't
/// have a target for 'net8.0/linux-x64'"). If another project was restored, or none, it
/// fails with NETSDK1004 ("Assets file not found").
///
/// ## Example
/// ```dockerfile
/// RUN dotnet restore src/Api/Api.csproj
/// COPY . .
/// RUN dotnet publish src/Api/Api.csproj -r linux-musl-x64 --no-restore -o /app
/// ```
///
/// ## Use instead
/// ```dockerfile
/// RUN dotnet restore src/Api/Api.csproj -r linux-musl-x64
/// COPY . .
/// RUN dotnet publish src/Api/Api.csproj -r linux-musl-x64 --no-restore -o /app
/// ```
///
/// ## Fix safety
/// Safe fix (AddRestoreRuntime) for a restore without the runtime, or for another one: the
/// restore gets the `-r`/`-a`/`--os` of the build. A restore that restored another project
/// has no automatic fix.
///
/// ## References
/// - [NETSDK1047](https://learn.microsoft.com/dotnet/core/tools/sdk-errors/netsdk1047)
/// - [NETSDK1004](https://learn.microsoft.com/dotnet/core/tools/sdk-errors/netsdk1004)
    RestoreTargetMismatch {
        severity: Error,
        origin: Dotnet,
        summary: "A `--no-restore` build needs a restore that did not happen: another project, or another runtime.",
        fixable: true,
    }
}

/// The runtime a command targets: (`-r`/`-a`/`--os`, the word).
fn runtime_option(command: &DotnetCommand) -> Option<(&'static str, &CliWord)> {
    if let Some(w) = &command.runtime {
        return Some(("-r", w));
    }
    if let Some(w) = &command.arch {
        return Some(("-a", w));
    }
    command.os.as_ref().map(|w| ("--os", w))
}

impl RestoreTargetMismatch {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(model) = RestoreModel::of(ctx) else {
            return;
        };
        for (index, step) in model.steps.iter().enumerate() {
            let command = step.command();
            let builds = ["build", "publish", "test", "pack", "run"]
                .iter()
                .any(|v| command.is(v));
            if !builds || !command.no_restore || command.no_build {
                continue;
            }
            let earlier = model.earlier_restores(index);
            let names: Vec<String> = step
                .projects
                .iter()
                .map(|&id| model.project_name(id))
                .collect();
            let built = if names.is_empty() {
                format!("`{}`", step.target.container_path)
            } else {
                list_names(&names, 3)
            };
            let Some(&latest) = earlier.last() else {
                out.report(
                    &Self::META,
                    step.target_range(),
                    format!(
                        "`dotnet {} --no-restore` builds {built}, but nothing restored it before in this stage or the stages it derives from: the build fails with NETSDK1004 (assets file not found)",
                        command.verb
                    ),
                );
                continue;
            };
            let restored: Option<Vec<_>> = earlier
                .iter()
                .filter_map(|&i| model.steps.get(i))
                .map(|s| model.restored_set(s))
                .collect::<Option<Vec<_>>>()
                .map(|sets| sets.into_iter().flatten().collect());
            if let Some(restored) = restored {
                let missing: Vec<String> = step
                    .projects
                    .iter()
                    .filter(|id| !restored.contains(id))
                    .map(|&id| model.project_name(id))
                    .collect();
                if !missing.is_empty() {
                    let Some(previous) = model.steps.get(latest) else {
                        continue;
                    };
                    out.report(
                        &Self::META,
                        step.target_range(),
                        format!(
                            "`dotnet {} --no-restore` builds {}, but the restore before it ({}) did not restore it: the build fails with NETSDK1004 (assets file not found)",
                            command.verb,
                            list_names(&missing, 3),
                            Self::describe_restore(model, previous),
                        ),
                    );
                    continue;
                }
            }
            Self::check_runtime(model, step, &earlier, out);
        }
    }

    /// "`dotnet restore` of Api (line 4)".
    fn describe_restore(model: &RestoreModel, step: &DotnetStep) -> String {
        let names: Vec<String> = step
            .projects
            .iter()
            .map(|&id| model.project_name(id))
            .collect();
        let line = model.view.line_of(step.words_range().start());
        let what = if names.is_empty() {
            String::new()
        } else {
            format!(" of {}", list_names(&names, 3))
        };
        format!("`dotnet {}`{what}, line {line}", step.command().verb)
    }

    fn check_runtime(
        model: &RestoreModel,
        step: &DotnetStep,
        earlier: &[usize],
        out: &mut Diagnostics,
    ) {
        let Some((flag, word)) = runtime_option(step.command()) else {
            return;
        };
        // The latest restore that covers the built projects (or names something untraced).
        let covering = earlier
            .iter()
            .rev()
            .filter_map(|&i| model.steps.get(i))
            .find(|s| {
                model
                    .restored_set(s)
                    .is_none_or(|set| step.projects.iter().all(|p| set.contains(p)))
            });
        let Some(restore) = covering else {
            return;
        };
        let expand = |s: &DotnetStep, w: &CliWord| {
            model
                .view
                .fs
                .model
                .expand_at(s.stage(), s.instruction(), &w.text)
                .text
        };
        let wanted = expand(step, word);
        let message = match runtime_option(restore.command()) {
            None => {
                let declared = !step.projects.is_empty()
                    && step.projects.iter().all(|&id| {
                        model.workspace().project(id).is_some_and(|p| {
                            !p.runtime_identifiers.is_empty()
                                && (flag != "-r"
                                    || p.runtime_identifiers
                                        .iter()
                                        .any(|r| r.eq_ignore_ascii_case(&wanted)))
                        })
                    });
                if declared {
                    return;
                }
                format!(
                    "`dotnet {} {flag} {}` with --no-restore needs a restore for that runtime, but {} restored without -r/-a: the build fails with NETSDK1047 (assets file has no target for the runtime); pass the same {flag} to dotnet restore",
                    step.command().verb,
                    word.text,
                    Self::describe_restore(model, restore),
                )
            }
            Some((restore_flag, restore_word)) => {
                let restored = expand(restore, restore_word);
                if restore_flag != flag || restored == wanted {
                    return;
                }
                format!(
                    "`dotnet {} {flag} {}` with --no-restore builds for another runtime than {} restored ({restore_flag} {}): the build fails with NETSDK1047",
                    step.command().verb,
                    word.text,
                    Self::describe_restore(model, restore),
                    restore_word.text,
                )
            }
        };
        out.report(&Self::META, word.range, message);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::{
        check_rule_in_solution, check_text_in_dir, csproj, solution,
    };

    fn dir() -> tempfile::TempDir {
        solution(&[
            ("App.sln", ""),
            (
                "src/Api/Api.csproj",
                &csproj("Microsoft.NET.Sdk.Web", &["../Domain/Domain.csproj"]),
            ),
            (
                "src/Domain/Domain.csproj",
                &csproj("Microsoft.NET.Sdk", &[]),
            ),
            (
                "src/Worker/Worker.csproj",
                &csproj("Microsoft.NET.Sdk.Worker", &[]),
            ),
            ("Dockerfile", ""),
        ])
    }

    #[test]
    fn multi_platform_fixture() {
        assert_eq!(
            check_rule_in_solution("RestoreTargetMismatch", "multi-arch", "Dockerfile"),
            ["9:61-9:72 `dotnet publish -a $TARGETARCH` with --no-restore needs a restore for that runtime, but `dotnet restore` of Gateway, line 7 restored without -r/-a: the build fails with NETSDK1047 (assets file has no target for the runtime); pass the same -a to dotnet restore"]
        );
    }

    #[test]
    fn runtime_specific_publish_after_a_portable_restore() {
        let dir = dir();
        let text = "FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nARG TARGETARCH\nWORKDIR /src\nCOPY src/ src/\nRUN dotnet restore src/Api/Api.csproj\nRUN dotnet publish src/Api/Api.csproj -a $TARGETARCH --no-restore -o /app\nRUN dotnet publish src/Api/Api.csproj -r linux-x64 --no-restore -o /app\n";
        assert_eq!(
            check_text_in_dir("RestoreTargetMismatch", dir.path(), "Dockerfile", text),
            [
                "6:42-6:53 `dotnet publish -a $TARGETARCH` with --no-restore needs a restore for that runtime, but `dotnet restore` of Api, line 5 restored without -r/-a: the build fails with NETSDK1047 (assets file has no target for the runtime); pass the same -a to dotnet restore",
                "7:42-7:51 `dotnet publish -r linux-x64` with --no-restore needs a restore for that runtime, but `dotnet restore` of Api, line 5 restored without -r/-a: the build fails with NETSDK1047 (assets file has no target for the runtime); pass the same -r to dotnet restore"
            ]
        );
        let same = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nARG TARGETARCH=amd64\nWORKDIR /src\nCOPY src/ src/\nRUN dotnet restore src/Api/Api.csproj -a $TARGETARCH\nRUN dotnet publish src/Api/Api.csproj -a $TARGETARCH --no-restore -o /app\nRUN dotnet publish src/Api/Api.csproj -a arm64 --no-restore -o /app\n";
        assert_eq!(
            check_text_in_dir("RestoreTargetMismatch", dir.path(), "Dockerfile", same),
            ["7:42-7:47 `dotnet publish -a arm64` with --no-restore builds for another runtime than `dotnet restore` of Api, line 5 restored (-a $TARGETARCH): the build fails with NETSDK1047"]
        );
    }

    #[test]
    fn another_project_or_nothing_restored() {
        let dir = dir();
        let text = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY src/ src/\nRUN dotnet restore src/Worker/Worker.csproj\nRUN dotnet build src/Api/Api.csproj --no-restore\nRUN dotnet build src/Domain/Domain.csproj --no-restore\nFROM mcr.microsoft.com/dotnet/sdk:8.0 AS other\nWORKDIR /src\nCOPY src/ src/\nRUN dotnet publish src/Api/Api.csproj --no-restore -o /app\n";
        assert_eq!(
            check_text_in_dir("RestoreTargetMismatch", dir.path(), "Dockerfile", text),
            [
                "5:18-5:36 `dotnet build --no-restore` builds Api, but the restore before it (`dotnet restore` of Worker, line 4) did not restore it: the build fails with NETSDK1004 (assets file not found)",
                "6:18-6:42 `dotnet build --no-restore` builds Domain, but the restore before it (`dotnet restore` of Worker, line 4) did not restore it: the build fails with NETSDK1004 (assets file not found)",
                "10:20-10:38 `dotnet publish --no-restore` builds Api, but nothing restored it before in this stage or the stages it derives from: the build fails with NETSDK1004 (assets file not found)"
            ]
        );
        // Restoring Api restores its closure: building Domain with --no-restore is fine,
        // also from a derived stage and in the same RUN.
        let good = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY src/ src/\nRUN dotnet restore src/Api/Api.csproj\nRUN dotnet build src/Domain/Domain.csproj --no-restore\nFROM build AS publish\nRUN dotnet restore src/Worker/Worker.csproj && dotnet publish src/Worker/Worker.csproj --no-restore -o /w\n";
        assert_eq!(
            check_text_in_dir("RestoreTargetMismatch", dir.path(), "Dockerfile", good),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_restore_stage_copied_in_with_copy_from_counts() {
        let dir = dir();
        let text = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS restore\nWORKDIR /src\nCOPY src/Api/Api.csproj src/Api/\nCOPY src/Domain/Domain.csproj src/Domain/\nRUN dotnet restore src/Api/Api.csproj\nFROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY --from=restore /src ./\nCOPY src/ src/\nRUN dotnet publish src/Api/Api.csproj --no-restore -o /app\nRUN dotnet publish src/Worker/Worker.csproj --no-restore -o /w\n";
        assert_eq!(
            check_text_in_dir("RestoreTargetMismatch", dir.path(), "Dockerfile", text),
            ["11:20-11:44 `dotnet publish --no-restore` builds Worker, but the restore before it (`dotnet restore` of Api, line 5) did not restore it: the build fails with NETSDK1004 (assets file not found)"]
        );
    }

    #[test]
    fn silent_on_fixtures_that_restore_correctly() {
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
            ("aot-app", "Dockerfile"),
            ("compose-app", "src/Api/Dockerfile"),
        ] {
            assert_eq!(
                check_rule_in_solution("RestoreTargetMismatch", fixture, dockerfile),
                Vec::<String>::new(),
                "{fixture}"
            );
        }
    }
}
