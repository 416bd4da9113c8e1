use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

use super::restore_model::{context_path_within, list_names, visible_dir, SolutionView};

declare_rule! {
/// ## What it does
/// Checks that the final stage does not contain the source tree: a `COPY . .` (or a copy
/// of a directory holding a project) in the final stage itself, or in a stage the final
/// stage derives from with `FROM <stage>`, or a `COPY --from=<stage>` that brings a
/// project folder from a build stage.
///
/// ## Why is this bad?
/// The image ships the code, project files, configuration meant for development and
/// whatever else the context holds, next to the published application. It is larger,
/// exposes intellectual property and secrets, and usually means the final image also
/// contains the SDK. Only the output of `dotnet publish` belongs in the final image.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:8.0
/// WORKDIR /app
/// COPY . .
/// RUN dotnet publish -c Release -o out
/// ENTRYPOINT ["dotnet", "out/WebApp.dll"]
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
/// WORKDIR /src
/// COPY . .
/// RUN dotnet publish WebApp/WebApp.csproj -c Release -o /app/publish
///
/// FROM mcr.microsoft.com/dotnet/aspnet:8.0
/// WORKDIR /app
/// COPY --from=build /app/publish .
/// ENTRYPOINT ["dotnet", "WebApp.dll"]
/// ```
///
/// ## Fix safety
/// No automatic fix yet; the ConvertToMultiStage action rewrites a single-stage Dockerfile.
    SourceInFinalImage {
        severity: Warning,
        origin: Dotnet,
        summary: "The whole source tree is copied into the final image.",
    }
}

impl SourceInFinalImage {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(view) = SolutionView::of(ctx) else {
            return;
        };
        let Some(final_stage) = ctx.model.final_stage() else {
            return;
        };
        let in_context = view.projects_in_context();
        let projects = &in_context.dirs;
        for (copy, source_index, resolution) in view.final_stage_copies() {
            let crate::context::SourceOutcome::Found(matches) = &resolution.outcome else {
                continue;
            };
            let mut names: Vec<String> = Vec::new();
            // `COPY . .` in a 2,000-project solution names them all.
            let mut seen: rustc_hash::FxHashSet<&str> = Default::default();
            let mut whole = false;
            for m in matches.iter().filter(|m| visible_dir(m)) {
                whole |= m.relative_path.is_empty();
                for (id, dir) in projects.iter() {
                    if context_path_within(dir, &m.relative_path) {
                        let name = view.workspace.project(*id).map_or("", |p| p.name.as_str());
                        if seen.insert(name) {
                            names.push(name.to_string());
                        }
                    }
                }
            }
            if !whole && names.is_empty() {
                continue;
            }
            let Some((word, _)) = copy.sources.get(source_index) else {
                continue;
            };
            names.sort();
            let what = if names.is_empty() {
                "the whole build context".to_string()
            } else {
                format!("the sources of {}", list_names(&names, 3))
            };
            let stage_name = |index: usize| {
                ctx.model
                    .stages
                    .get(index)
                    .and_then(|s| s.name.as_ref())
                    .map(|n| format!("`{}`", n.text))
                    .unwrap_or_else(|| format!("{index}"))
            };
            let place = if copy.stage == final_stage.index {
                "the final image".to_string()
            } else {
                format!(
                    "the final image (stage {} derives from stage {})",
                    stage_name(final_stage.index),
                    stage_name(copy.stage)
                )
            };
            out.report(
                &Self::META,
                word.range,
                format!(
                    "`{}` puts {what} into {place}; build in an SDK stage and copy only the `dotnet publish` output into the final stage",
                    word.text
                ),
            );
        }
        Self::check_stage_copies(ctx, view, final_stage.index, out);
    }

    /// `COPY --from=build /src .`: project files of the context that land in the final stage
    /// through a copy from another stage.
    fn check_stage_copies(
        ctx: &RuleContext,
        view: &SolutionView,
        final_stage: usize,
        out: &mut Diagnostics,
    ) {
        let in_context = view.projects_in_context();
        let projects: Vec<(&str, &str)> = in_context
            .files
            .iter()
            .filter_map(|(id, path)| {
                Some((view.workspace.project(*id)?.name.as_str(), path.as_str()))
            })
            .collect();
        for copy in view.fs.stage_copies_before(final_stage, usize::MAX) {
            let mut names: Vec<String> = projects
                .iter()
                .filter(|(_, path)| {
                    view.fs
                        .to_container(copy.from, usize::MAX, path)
                        .and_then(|there| copy.landing(&there))
                        .is_some()
                })
                .map(|(name, _)| name.to_string())
                .collect();
            if names.is_empty() {
                continue;
            }
            names.sort();
            let Some(instruction) = ctx.tree.instructions.get(copy.instruction) else {
                continue;
            };
            let words = instruction.arg_words();
            let (Some(first), Some(last)) = (
                words.first(),
                words.len().checked_sub(2).and_then(|i| words.get(i)),
            ) else {
                continue;
            };
            let range = first.range.cover(last.range);
            let text = ctx.text.get(range.as_range()).unwrap_or_default();
            out.report(
                &Self::META,
                range,
                format!(
                    "`{text}` from another stage puts the sources of {} into the final image; copy only the `dotnet publish` output",
                    list_names(&names, 3)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::{
        check_rule_in_solution, check_text_in_dir, csproj, solution,
    };

    #[test]
    fn single_stage_copy_of_everything() {
        assert_eq!(
            check_rule_in_solution("SourceInFinalImage", "naive-single-stage", "Dockerfile"),
            ["3:6-3:7 `.` puts the sources of WebApp into the final image; build in an SDK stage and copy only the `dotnet publish` output into the final stage"]
        );
    }

    #[test]
    fn final_stage_deriving_from_the_build_stage() {
        let dir = solution(&[
            (".dockerignore", "**/bin/\n**/obj/\n"),
            ("src/Api/Api.csproj", &csproj("Microsoft.NET.Sdk.Web", &[])),
            ("src/Api/wwwroot/site.css", ""),
            ("Dockerfile", ""),
        ]);
        let text = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY src/ src/\nRUN dotnet publish src/Api/Api.csproj -o /app\nFROM build AS final\nCOPY src/Api/wwwroot /app/wwwroot\n";
        assert_eq!(
            check_text_in_dir("SourceInFinalImage", dir.path(), "Dockerfile", text),
            ["3:6-3:10 `src/` puts the sources of Api into the final image (stage `final` derives from stage `build`); build in an SDK stage and copy only the `dotnet publish` output into the final stage"]
        );
    }

    #[test]
    fn copy_from_a_build_stage_that_holds_the_sources() {
        let dir = solution(&[
            (".dockerignore", "**/bin/\n**/obj/\n"),
            ("src/Api/Api.csproj", &csproj("Microsoft.NET.Sdk.Web", &[])),
            ("Dockerfile", ""),
        ]);
        let text = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY src/ src/\nRUN dotnet publish src/Api/Api.csproj -o /app/publish\nFROM mcr.microsoft.com/dotnet/aspnet:8.0 AS final\nWORKDIR /app\nCOPY --from=build /app/publish .\nCOPY --from=build /src/src/Api ./src\n";
        assert_eq!(
            check_text_in_dir("SourceInFinalImage", dir.path(), "Dockerfile", text),
            ["8:19-8:31 `/src/src/Api` from another stage puts the sources of Api into the final image; copy only the `dotnet publish` output"]
        );
    }

    #[test]
    fn silent_on_multi_stage_fixtures() {
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
            ("compose-app", "src/Worker/Dockerfile"),
            ("private-feed", "Dockerfile"),
        ] {
            assert_eq!(
                check_rule_in_solution("SourceInFinalImage", fixture, dockerfile),
                Vec::<String>::new(),
                "{fixture}"
            );
        }
    }
}
