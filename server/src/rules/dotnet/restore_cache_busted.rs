use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

use super::restore_model::{context_path_within, visible_dir, RestoreModel};

declare_rule! {
/// ## What it does
/// Checks that the source tree is not copied before the first restore of a project in a
/// stage (and the stages it derives from): neither the whole build context (`COPY . .`)
/// nor a directory that contains the project. Explicit `dotnet restore` and the implicit
/// restore of `dotnet build`, `publish` and `test` without `--no-restore` both count.
///
/// ## Why is this bad?
/// Docker caches a layer until one of its inputs changes. When the sources are copied
/// before the restore, every edit of a `.cs` file invalidates the restore layer, and every
/// build downloads all NuGet packages again. Copying only the project files (and the MSBuild
/// inputs restore reads) first keeps the restore cached until a dependency really changes.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
/// WORKDIR /src
/// COPY . .
/// RUN dotnet publish src/Api/Api.csproj -c Release -o /app/publish
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
/// WORKDIR /src
/// COPY src/Api/Api.csproj src/Api/
/// RUN dotnet restore src/Api/Api.csproj
/// COPY . .
/// RUN dotnet publish src/Api/Api.csproj -c Release -o /app/publish --no-restore
/// ```
///
/// ## Fix safety
/// Unsafe fix (SplitRestoreStage): moves the restore in front of the source copy with a
/// restore layer of its own and adds `--no-restore` to the later builds; review it.
///
/// ## References
/// - [Docker build cache](https://docs.docker.com/build/cache/)
/// - [Containerize a .NET app](https://learn.microsoft.com/dotnet/core/docker/build-container)
    RestoreCacheBusted {
        severity: Warning,
        origin: Dotnet,
        summary: "The source tree is copied before the first restore, so every source change re-runs it.",
        fixable: true,
    }
}

impl RestoreCacheBusted {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(model) = RestoreModel::of(ctx) else {
            return;
        };
        // (copy instruction, source index) already reported.
        let mut reported: Vec<(usize, usize)> = Vec::new();
        for (index, step) in model.steps.iter().enumerate() {
            if !step.restores() || !model.earlier_restores(index).is_empty() {
                continue;
            }
            let project_dirs: Vec<String> = step
                .projects
                .iter()
                .filter_map(|&id| {
                    let path = model.project_context_path(id)?;
                    Some(super::restore_model::parent_of(&path).to_string())
                })
                .collect();
            let names: Vec<String> = step
                .projects
                .iter()
                .map(|&id| model.project_name(id))
                .collect();
            let copies = model
                .view
                .fs
                .copies_before(step.stage(), step.instruction());
            for copy in copies {
                for (source_index, (word, resolution)) in copy.sources.iter().enumerate() {
                    let crate::context::SourceOutcome::Found(matches) = &resolution.outcome else {
                        continue;
                    };
                    let busting = matches.iter().filter(|m| visible_dir(m)).any(|m| {
                        m.relative_path.is_empty()
                            || project_dirs
                                .iter()
                                .any(|dir| context_path_within(dir, &m.relative_path))
                    });
                    if !busting || reported.contains(&(copy.instruction, source_index)) {
                        continue;
                    }
                    reported.push((copy.instruction, source_index));
                    let what = if names.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", super::restore_model::list_names(&names, 3))
                    };
                    let line = model.view.line_of(step.words_range().start());
                    let verb = &step.command().verb;
                    let restore = if verb == "restore" {
                        format!("`dotnet restore`{what} (line {line})")
                    } else {
                        format!("the restore of `dotnet {verb}`{what} (line {line})")
                    };
                    out.report(
                        &Self::META,
                        word.range,
                        format!(
                            "`{}` copies the source tree before {restore}: every source change invalidates the restore layer; copy the project files first, restore, then copy the rest",
                            word.text
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::{
        check_rule_in_solution, check_text_in_dir, csproj, solution,
    };

    #[test]
    fn whole_context_copied_before_the_implicit_restore() {
        assert_eq!(
            check_rule_in_solution("RestoreCacheBusted", "naive-single-stage", "Dockerfile"),
            ["3:6-3:7 `.` copies the source tree before the restore of `dotnet publish` WebApp (line 4): every source change invalidates the restore layer; copy the project files first, restore, then copy the rest"]
        );
    }

    #[test]
    fn project_directory_copied_before_restore() {
        let dir = solution(&[
            ("src/Api/Api.csproj", &csproj("Microsoft.NET.Sdk.Web", &[])),
            ("src/Api/Program.cs", ""),
            ("Dockerfile", ""),
        ]);
        let text = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY src/Api/ src/Api/\nRUN dotnet restore src/Api/Api.csproj\nRUN dotnet publish src/Api/Api.csproj --no-restore -o /app\n";
        assert_eq!(
            check_text_in_dir("RestoreCacheBusted", dir.path(), "Dockerfile", text),
            ["3:6-3:14 `src/Api/` copies the source tree before `dotnet restore` Api (line 4): every source change invalidates the restore layer; copy the project files first, restore, then copy the rest"]
        );
        // A later restore in a derived stage is not the first one.
        let later = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY src/Api/Api.csproj src/Api/\nRUN dotnet restore src/Api/Api.csproj\nCOPY . .\nFROM build AS publish\nRUN dotnet publish src/Api/Api.csproj -o /app\n";
        assert_eq!(
            check_text_in_dir("RestoreCacheBusted", dir.path(), "Dockerfile", later),
            Vec::<String>::new()
        );
    }

    #[test]
    fn silent_when_the_restore_layer_comes_first() {
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
            ("compose-app", "src/Worker/Dockerfile"),
            ("alpine-app", "Dockerfile"),
        ] {
            assert_eq!(
                check_rule_in_solution("RestoreCacheBusted", fixture, dockerfile),
                Vec::<String>::new(),
                "{fixture}"
            );
        }
    }
}
