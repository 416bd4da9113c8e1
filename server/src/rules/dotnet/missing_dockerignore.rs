use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

use super::restore_model::SolutionView;

declare_rule! {
/// ## What it does
/// Checks that the build context has a `.dockerignore` at its root, or that the Dockerfile
/// has its own `<Dockerfile>.dockerignore` next to it (which BuildKit reads instead). The
/// finding is placed on the first instruction that reads the context: a `COPY`/`ADD`
/// without `--from`, or a `RUN --mount=type=bind` of the context. A Dockerfile that reads
/// nothing from the context is not reported: BuildKit then transfers no file.
///
/// ## Why is this bad?
/// Without it, `COPY . .` and directory copies take everything: `bin/` and `obj/` folders
/// from local builds (whose stale `project.assets.json` breaks `dotnet restore` and
/// `--no-restore` builds in the container), `.git`, `.vs`, user secrets, `.env` files and
/// test results. The context sent to the builder is also larger and changes on every local
/// build, which invalidates the layer cache.
///
/// ## Example
/// A solution with no `.dockerignore`:
/// ```dockerfile
/// COPY . .
/// ```
///
/// ## Use instead
/// Add a `.dockerignore` at the context root, for example:
/// ```text
/// **/bin/
/// **/obj/
/// **/.vs/
/// **/.git
/// **/*.user
/// **/.env
/// **/secrets.json
/// ```
///
/// ## Fix safety
/// The editor quick fix (action `CreateDockerignore`) creates a .NET `.dockerignore` at the
/// build-context root. `dockside check --fix` edits only Dockerfiles, so it does not apply it.
///
/// ## References
/// - [.dockerignore files](https://docs.docker.com/build/concepts/context/#dockerignore-files)
    MissingDockerignore {
        severity: Warning,
        origin: Dotnet,
        summary: "The build context has no .dockerignore.",
    }
}

impl MissingDockerignore {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(view) = SolutionView::of(ctx) else {
            return;
        };
        if view.facts.dockerignore.is_some() {
            return;
        }
        let Some(range) = view.context_finding_range() else {
            return;
        };
        let own = view
            .facts
            .dockerfile
            .file_name()
            .map(|n| format!("{}.dockerignore", n.to_string_lossy()))
            .unwrap_or_else(|| "Dockerfile.dockerignore".to_string());
        out.report(
            &Self::META,
            range,
            format!(
                "The build context {} has no .dockerignore (and there is no {own}): bin/, obj/, .git and local secrets are sent to the builder and copied by directory copies",
                view.context_description()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::{
        check_rule_in_solution, check_text_in_dir, csproj, solution,
    };

    #[test]
    fn naive_dockerfile_without_dockerignore() {
        assert_eq!(
            check_rule_in_solution("MissingDockerignore", "naive-single-stage", "Dockerfile"),
            ["3:1-3:5 The build context `.` (assumed: the Dockerfile's directory) has no .dockerignore (and there is no Dockerfile.dockerignore): bin/, obj/, .git and local secrets are sent to the builder and copied by directory copies"]
        );
    }

    #[test]
    fn bind_mounts_read_the_context_and_own_ignore_file_counts() {
        let dir = solution(&[
            ("src/Api/Api.csproj", &csproj("Microsoft.NET.Sdk.Web", &[])),
            ("Dockerfile", ""),
        ]);
        let nothing_read = "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY --from=build /app .\nRUN --mount=type=cache,target=/root/.nuget/packages true\n";
        assert_eq!(
            check_text_in_dir(
                "MissingDockerignore",
                dir.path(),
                "Dockerfile",
                nothing_read
            ),
            Vec::<String>::new()
        );
        let text = "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nRUN --mount=target=/src dotnet publish src/Api/Api.csproj -o /app\n";
        assert_eq!(
            check_text_in_dir("MissingDockerignore", dir.path(), "Dockerfile", text),
            ["3:1-3:4 The build context `.` (assumed: the Dockerfile's directory) has no .dockerignore (and there is no Dockerfile.dockerignore): bin/, obj/, .git and local secrets are sent to the builder and copied by directory copies"]
        );
        std::fs::write(
            dir.path().join("Dockerfile.dockerignore"),
            "**/bin/\n**/obj/\n",
        )
        .expect("write");
        assert_eq!(
            check_text_in_dir("MissingDockerignore", dir.path(), "Dockerfile", text),
            Vec::<String>::new()
        );
    }

    #[test]
    fn silent_when_the_context_has_one() {
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
            ("compose-app", "src/Worker/Dockerfile"),
        ] {
            assert_eq!(
                check_rule_in_solution("MissingDockerignore", fixture, dockerfile),
                Vec::<String>::new(),
                "{fixture}"
            );
        }
    }
}
