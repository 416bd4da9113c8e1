use std::path::Path;

use crate::context::confined::FsMemo;
use crate::context::{resolve_source, SourceOutcome};
use crate::declare_rule;
use crate::dotnet::paths;
use crate::rules::{Diagnostics, RuleContext};

use super::restore_model::SolutionView;

declare_rule! {
/// ## What it does
/// When a compose file, the project's `DockerfileContext` or the configuration names the
/// build context, checks that the `COPY`/`ADD` paths fit it: if sources are missing from
/// the named context but all of them exist relative to another directory (the
/// Dockerfile's folder or one of its parents), the Dockerfile was written for that other
/// context.
///
/// ## Why is this bad?
/// `docker compose build` (or Visual Studio) sends the named directory, and the build fails
/// with "not found" on the first COPY. Either the context in compose/the csproj or the COPY
/// paths are wrong; Dockside shows which directory the paths were written for.
///
/// ## Example
/// `compose.yaml` builds `src/Api/Dockerfile` with `context: ./src/Api`, but the Dockerfile
/// copies paths relative to the solution root:
/// ```dockerfile
/// COPY src/Api/Api.csproj src/Api/
/// ```
///
/// ## Use instead
/// ```yaml
/// services:
///   api:
///     build:
///       context: .
///       dockerfile: src/Api/Dockerfile
/// ```
///
/// ## Fix safety
/// No automatic fix.
    BuildContextMismatch {
        severity: Warning,
        origin: Dotnet,
        summary: "The COPY paths fit another build context than the one compose or DockerfileContext names.",
    }
}

impl BuildContextMismatch {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(view) = SolutionView::of(ctx) else {
            return;
        };
        if !view.context_is_explicit() {
            return;
        }
        let sources: Vec<(&crate::syntax::Word, &str, bool)> = view
            .facts
            .copies
            .iter()
            .flat_map(|c| c.sources.iter())
            .filter(|(_, r)| {
                let trimmed = r.source.trim().trim_start_matches("./");
                !trimmed.is_empty() && trimmed != "."
            })
            .filter_map(|(word, r)| match &r.outcome {
                SourceOutcome::Found(_) => Some((word, r.source.as_str(), false)),
                SourceOutcome::Missing | SourceOutcome::OutsideContext => {
                    Some((word, r.source.as_str(), true))
                }
                _ => None,
            })
            .collect();
        let Some(&(first_missing, _, _)) = sources.iter().find(|(_, _, missing)| *missing) else {
            return;
        };
        let Some(dockerfile_dir) = view.facts.dockerfile.parent().map(paths::normalize) else {
            return;
        };
        let root = view.workspace.root();
        let candidates: Vec<&Path> = dockerfile_dir
            .ancestors()
            .take_while(|d| d.starts_with(root))
            .filter(|d| *d != view.context_dir.as_path())
            .collect();
        let fs = FsMemo::default();
        let fits = candidates.into_iter().find(|dir| {
            sources.iter().all(|(_, source, _)| {
                matches!(
                    resolve_source(dir, source, None, &fs).outcome,
                    SourceOutcome::Found(_)
                )
            })
        });
        let Some(fits) = fits else {
            return;
        };
        let missing = sources.iter().filter(|(_, _, m)| *m).count();
        out.report(
            &Self::META,
            first_missing.range,
            format!(
                "{missing} of {} COPY sources are missing from the build context {}, but all exist relative to `{}`: the Dockerfile was written for that context; change the context or the COPY paths",
                sources.len(),
                view.context_description(),
                view.display_path(fits)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::{
        check_rule_in_dir, check_rule_in_solution, csproj, solution,
    };

    #[test]
    fn wrong_context_fixture() {
        assert_eq!(
            check_rule_in_solution("BuildContextMismatch", "wrong-context", "src/Notifications.Api/Dockerfile"),
            ["5:6-5:52 3 of 3 COPY sources are missing from the build context `src/Notifications.Api` (set by service `notifications` in compose.yaml), but all exist relative to `.`: the Dockerfile was written for that context; change the context or the COPY paths"]
        );
    }

    #[test]
    fn compose_context_too_deep_for_the_copy_paths() {
        let dir = solution(&[
            ("App.sln", ""),
            ("src/Api/Api.csproj", &csproj("Microsoft.NET.Sdk.Web", &[])),
            ("src/Api/Program.cs", ""),
            (
                "src/Api/Dockerfile",
                "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY src/Api/Api.csproj src/Api/\nRUN dotnet restore src/Api/Api.csproj\nCOPY . .\n",
            ),
            (
                "compose.yaml",
                "services:\n  api:\n    build:\n      context: ./src/Api\n",
            ),
        ]);
        assert_eq!(
            check_rule_in_dir("BuildContextMismatch", dir.path(), "src/Api/Dockerfile"),
            ["3:6-3:24 1 of 1 COPY sources are missing from the build context `src/Api` (set by service `api` in compose.yaml), but all exist relative to `.`: the Dockerfile was written for that context; change the context or the COPY paths"]
        );
    }

    #[test]
    fn silent_when_the_named_context_fits() {
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
            ("compose-app", "src/Worker/Dockerfile"),
            ("compose-app", "src/Api/Dockerfile"),
        ] {
            assert_eq!(
                check_rule_in_solution("BuildContextMismatch", fixture, dockerfile),
                Vec::<String>::new(),
                "{fixture}"
            );
        }
    }
}
