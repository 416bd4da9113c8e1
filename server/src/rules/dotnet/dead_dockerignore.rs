use crate::context::DockerignoreSource;
use crate::declare_rule;
use crate::dotnet::paths;
use crate::rules::{Diagnostics, RuleContext};

use super::restore_model::SolutionView;

declare_rule! {
/// ## What it does
/// Finds a `.dockerignore` next to the Dockerfile that Docker never reads for this build:
/// the build context is another directory, and Docker reads `.dockerignore` only at the
/// root of the context (or `<Dockerfile>.dockerignore` next to the Dockerfile).
///
/// ## Why is this bad?
/// The file looks like it protects the build, but nothing in it applies: `bin/`, `obj/`
/// and secrets are sent and copied anyway. This happens when a Dockerfile moves into a
/// project folder while the build runs from the solution folder (the Visual Studio layout).
///
/// ## Example
/// `src/Api/Dockerfile` and `src/Api/.dockerignore`, built with
/// `docker build -f src/Api/Dockerfile .` from the solution folder.
///
/// ## Use instead
/// Move the file to the context root (`./.dockerignore`), or rename it to
/// `src/Api/Dockerfile.dockerignore`, which BuildKit reads for this Dockerfile whatever the
/// context is.
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [.dockerignore files](https://docs.docker.com/build/concepts/context/#dockerignore-files)
    DeadDockerignore {
        severity: Info,
        origin: Dotnet,
        summary: "A .dockerignore next to the Dockerfile is never read: the build context is elsewhere.",
    }
}

impl DeadDockerignore {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(view) = SolutionView::of(ctx) else {
            return;
        };
        let Some(dockerfile_dir) = view.facts.dockerfile.parent() else {
            return;
        };
        let dockerfile_dir = paths::normalize(dockerfile_dir);
        if dockerfile_dir == view.context_dir {
            return;
        }
        let dead = dockerfile_dir.join(".dockerignore");
        if !dead.is_file() {
            return;
        }
        let read_instead = match view.facts.dockerignore.as_ref().map(|d| &d.source) {
            Some(DockerignoreSource::PerDockerfile(_)) => return,
            Some(DockerignoreSource::ContextRoot(path)) => {
                format!("{} is used instead", view.display_path(path))
            }
            None => "and there is none there".to_string(),
        };
        let Some(range) = view.context_finding_range() else {
            return;
        };
        let name = view
            .facts
            .dockerfile
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Dockerfile".to_string());
        out.report(
            &Self::META,
            range,
            format!(
                "{} is never read: the build context is {}, and Docker reads .dockerignore only at the context root ({read_instead}); move it there or rename it {name}.dockerignore",
                view.display_path(&dead),
                view.context_description()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::{check_rule_in_dir, check_rule_in_solution, solution};

    #[test]
    fn project_folder_ignore_file_fixture() {
        assert_eq!(
            check_rule_in_solution("DeadDockerignore", "project-dockerignore", "src/Inventory.Web/Dockerfile"),
            ["3:1-3:5 src/Inventory.Web/.dockerignore is never read: the build context is `.` (<DockerfileContext>..\\..</DockerfileContext> in src/Inventory.Web/Inventory.Web.csproj), and Docker reads .dockerignore only at the context root (.dockerignore is used instead); move it there or rename it Dockerfile.dockerignore"]
        );
    }

    #[test]
    fn ignore_file_next_to_a_dockerfile_built_from_the_solution_root() {
        let project = "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net8.0</TargetFramework><DockerfileContext>..\\..</DockerfileContext></PropertyGroup></Project>";
        let dockerfile = "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY src/Api/Api.csproj src/Api/\n";
        let dir = solution(&[
            ("App.sln", ""),
            ("src/Api/Api.csproj", project),
            ("src/Api/.dockerignore", "bin/\nobj/\n"),
            ("src/Api/Dockerfile", dockerfile),
        ]);
        assert_eq!(
            check_rule_in_dir("DeadDockerignore", dir.path(), "src/Api/Dockerfile"),
            ["3:1-3:5 src/Api/.dockerignore is never read: the build context is `.` (<DockerfileContext>..\\..</DockerfileContext> in src/Api/Api.csproj), and Docker reads .dockerignore only at the context root (and there is none there); move it there or rename it Dockerfile.dockerignore"]
        );
        std::fs::write(dir.path().join(".dockerignore"), "**/bin/\n").expect("write");
        assert_eq!(
            check_rule_in_dir("DeadDockerignore", dir.path(), "src/Api/Dockerfile"),
            ["3:1-3:5 src/Api/.dockerignore is never read: the build context is `.` (<DockerfileContext>..\\..</DockerfileContext> in src/Api/Api.csproj), and Docker reads .dockerignore only at the context root (.dockerignore is used instead); move it there or rename it Dockerfile.dockerignore"]
        );
        std::fs::write(
            dir.path().join("src/Api/Dockerfile.dockerignore"),
            "**/bin/\n",
        )
        .expect("write");
        assert_eq!(
            check_rule_in_dir("DeadDockerignore", dir.path(), "src/Api/Dockerfile"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn silent_when_the_ignore_file_is_at_the_context_root() {
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
            ("compose-app", "src/Worker/Dockerfile"),
            ("compose-app", "src/Api/Dockerfile"),
        ] {
            assert_eq!(
                check_rule_in_solution("DeadDockerignore", fixture, dockerfile),
                Vec::<String>::new(),
                "{fixture}"
            );
        }
    }
}
