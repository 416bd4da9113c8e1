use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

use super::restore_model::{context_path_within, list_names, visible_dir, SolutionView};

declare_rule! {
/// ## What it does
/// Checks that the `.dockerignore` that applies excludes the `bin/` and `obj/` folders of
/// every project that a `COPY`/`ADD` of a directory brings into the image (`COPY . .`,
/// `COPY src/ src/`). Patterns such as `bin/` or `/obj` only match at the context root;
/// `**/bin/` and `**/obj/` match at every depth.
///
/// ## Why is this bad?
/// Local build outputs are copied over the container's: `obj/project.assets.json` from the
/// developer's machine points to a NuGet cache path that does not exist in the container,
/// so `dotnet build --no-restore` fails or uses the wrong assets, stale `bin/` files end up
/// in the published output, and every local build changes the context and invalidates the
/// layer cache.
///
/// ## Example
/// `.dockerignore`:
/// ```text
/// bin/
/// obj/
/// ```
/// ```dockerfile
/// COPY src/ src/
/// ```
///
/// ## Use instead
/// ```text
/// **/bin/
/// **/obj/
/// ```
///
/// ## Fix safety
/// The editor quick fix (action `CreateDockerignore`) appends the missing `**/bin/` and
/// `**/obj/` lines to the ignore file Docker reads. `dockside check --fix` edits only
/// Dockerfiles, so it does not apply it.
    DockerignoreMissingBuildOutputs {
        severity: Warning,
        origin: Dotnet,
        summary: ".dockerignore does not exclude bin/ and obj/ of the projects a COPY brings in.",
    }
}

impl DockerignoreMissingBuildOutputs {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(view) = SolutionView::of(ctx) else {
            return;
        };
        let Some(ignore) = &view.facts.dockerignore else {
            return;
        };
        let projects = view.projects_in_context();
        let project_dirs: Vec<&String> = projects.dirs.iter().map(|(_, d)| d).collect();
        for copy in &view.facts.copies {
            for (word, resolution) in &copy.sources {
                let crate::context::SourceOutcome::Found(matches) = &resolution.outcome else {
                    continue;
                };
                let mut copied: Vec<&str> = Vec::new();
                // A set beside the list: `COPY . .` in a 2,000-project solution copies them all.
                let mut seen: rustc_hash::FxHashSet<&str> = Default::default();
                for m in matches.iter().filter(|m| visible_dir(m)) {
                    for dir in &project_dirs {
                        if context_path_within(dir, &m.relative_path)
                            && !seen.contains(dir.as_str())
                            && ignore.ignore.is_excluded(dir).is_none()
                        {
                            seen.insert(dir);
                            copied.push(dir);
                        }
                    }
                }
                if copied.is_empty() {
                    continue;
                }
                copied.sort();
                let missing = ignore.ignore.missing_build_output_exclusions(&copied);
                if missing.is_empty() {
                    continue;
                }
                out.report(
                    &Self::META,
                    word.range,
                    format!(
                        "{} does not exclude {}, which `{}` copies: local build outputs and obj/project.assets.json end up in the image; add `**/bin/` and `**/obj/`",
                        view.display_path(ignore.source.path()),
                        list_names(&missing, 4),
                        word.text
                    ),
                );
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
    fn hand_written_root_ignore_file_fixture() {
        assert_eq!(
            check_rule_in_solution("DockerignoreMissingBuildOutputs", "project-dockerignore", "src/Inventory.Web/Dockerfile"),
            ["6:6-6:10 .dockerignore does not exclude src/Inventory.Core/bin, src/Inventory.Core/obj, src/Inventory.Web/bin and src/Inventory.Web/obj, which `src/` copies: local build outputs and obj/project.assets.json end up in the image; add `**/bin/` and `**/obj/`"]
        );
    }

    #[test]
    fn root_only_patterns_miss_nested_projects() {
        let dir = solution(&[
            (".dockerignore", "bin/\nobj/\n.git\n"),
            ("src/Api/Api.csproj", &csproj("Microsoft.NET.Sdk.Web", &[])),
            (
                "src/Domain/Domain.csproj",
                &csproj("Microsoft.NET.Sdk", &[]),
            ),
            ("Dockerfile", ""),
        ]);
        let text = "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY src/Api/Api.csproj src/Api/\nCOPY src/ src/\n";
        assert_eq!(
            check_text_in_dir("DockerignoreMissingBuildOutputs", dir.path(), "Dockerfile", text),
            ["4:6-4:10 .dockerignore does not exclude src/Api/bin, src/Api/obj, src/Domain/bin and src/Domain/obj, which `src/` copies: local build outputs and obj/project.assets.json end up in the image; add `**/bin/` and `**/obj/`"]
        );
        std::fs::write(dir.path().join(".dockerignore"), "**/bin/\n**/obj/\n").expect("write");
        assert_eq!(
            check_text_in_dir(
                "DockerignoreMissingBuildOutputs",
                dir.path(),
                "Dockerfile",
                text
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn silent_on_complete_ignore_files() {
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
            ("compose-app", "src/Worker/Dockerfile"),
            ("naive-single-stage", "Dockerfile"),
        ] {
            assert_eq!(
                check_rule_in_solution("DockerignoreMissingBuildOutputs", fixture, dockerfile),
                Vec::<String>::new(),
                "{fixture}"
            );
        }
    }
}
