use crate::declare_rule;
use crate::rules::{Diagnostics, RuleContext};

use super::restore_model::RestoreModel;
use crate::context::stage_fs::BuildTarget;

declare_rule! {
/// ## What it does
/// Checks that every project the restored project pulls in through `ProjectReference`s
/// (transitively, with their `Condition`s honoured) is in the image when `dotnet restore`
/// runs, at the same place relative to the restored project as in the build context.
/// Implicit restores (`dotnet build`, `publish` or `test` without `--no-restore`) are
/// checked too.
///
/// ## Why is this bad?
/// The usual restore layer copies project files one by one so that the restore is cached
/// until a project file changes. When one referenced project is forgotten, NuGet cannot
/// read it: restore warns that the project "was not found", its packages are not restored,
/// and the later `dotnet build --no-restore` fails with NETSDK1004 ("Assets file
/// project.assets.json not found"), or the layer silently restores less than it should.
/// Dockside follows the whole reference chain, so a library three levels down is not
/// missed. A project copied somewhere else than its reference path points to is just as
/// invisible to restore.
///
/// ## Example
/// `Orders.Api` references `Orders.Application`, which references `Shared.Messaging`, which
/// references `Shared.Core`:
/// ```dockerfile
/// COPY src/Services/Orders/Orders.Api/Orders.Api.csproj src/Services/Orders/Orders.Api/
/// COPY src/Services/Orders/Orders.Application/Orders.Application.csproj src/Services/Orders/Orders.Application/
/// COPY src/Shared/Shared.Messaging/Shared.Messaging.csproj src/Shared/Shared.Messaging/
/// RUN dotnet restore src/Services/Orders/Orders.Api/Orders.Api.csproj
/// ```
///
/// ## Use instead
/// ```dockerfile
/// COPY src/Services/Orders/Orders.Api/Orders.Api.csproj src/Services/Orders/Orders.Api/
/// COPY src/Services/Orders/Orders.Application/Orders.Application.csproj src/Services/Orders/Orders.Application/
/// COPY src/Shared/Shared.Messaging/Shared.Messaging.csproj src/Shared/Shared.Messaging/
/// COPY src/Shared/Shared.Core/Shared.Core.csproj src/Shared/Shared.Core/
/// RUN dotnet restore src/Services/Orders/Orders.Api/Orders.Api.csproj
/// ```
///
/// ## Fix safety
/// Unsafe fix (SplitRestoreStage): writes a complete restore layer (every project of the
/// closure, the MSBuild and NuGet inputs, `--no-restore` on the later builds); review it,
/// since files Dockside cannot see are not copied.
///
/// ## References
/// - [NETSDK1004](https://learn.microsoft.com/dotnet/core/tools/sdk-errors/netsdk1004)
/// - [Containerize a .NET app](https://learn.microsoft.com/dotnet/core/docker/build-container)
    RestoreMissingProject {
        severity: Error,
        origin: Dotnet,
        summary: "A project of the restored project's reference closure is not in the image when restore runs.",
        fixable: true,
    }
}

impl RestoreMissingProject {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(model) = RestoreModel::of(ctx) else {
            return;
        };
        let workspace = model.workspace();
        for step in model.steps.iter().filter(|s| s.restores()) {
            for restored in model.restored_projects(step) {
                let Some(project) = workspace.project(restored.project) else {
                    continue;
                };
                let chain = if restored.chain.len() > 1 {
                    format!(
                        "it is referenced by {}",
                        workspace.describe_chain(&restored.chain)
                    )
                } else if let BuildTarget::Solution { path, .. } = &step.target.target {
                    format!("it is a project of {}", model.view.display_path(path))
                } else {
                    format!("it is the project `dotnet {}` names", step.command().verb)
                };
                let Some(context_path) = model.view.context_path(&project.path) else {
                    out.report(
                        &Self::META,
                        step.target_range(),
                        format!(
                            "{} ({}) is outside the build context {}, so it cannot be in the image when {}; {chain}",
                            project.name,
                            model.view.display_path(&project.path),
                            model.view.context_description(),
                            step.restore_phrase(),
                        ),
                    );
                    continue;
                };
                let expected = model.mirrored(step, &context_path);
                match model.present(step, &context_path) {
                    None => out.report(
                        &Self::META,
                        step.target_range(),
                        format!(
                            "{} ({context_path}) is not in the image when {}; {chain}{}",
                            project.name,
                            step.restore_phrase(),
                            model.view.exclusion_note(&context_path),
                        ),
                    ),
                    Some(actual) => {
                        if let Some(expected) = expected.filter(|e| *e != actual) {
                            out.report(
                                &Self::META,
                                step.target_range(),
                                format!(
                                    "{} ({context_path}) is at {actual} when {}, but restore looks for it at {expected}; {chain}",
                                    project.name,
                                    step.restore_phrase(),
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::{
        check_rule_in_dir, check_rule_in_solution, check_text_in_dir, csproj, solution,
    };

    #[test]
    fn reports_a_library_three_levels_down() {
        assert_eq!(
            check_rule_in_solution(
                "RestoreMissingProject",
                "microservices",
                "src/Services/Orders/Orders.Api/Dockerfile"
            ),
            ["9:20-9:68 Shared.Core (src/Shared/Shared.Core/Shared.Core.csproj) is not in the image when `dotnet restore` runs; it is referenced by Orders.Api -> Orders.Application -> Shared.Messaging -> Shared.Core"]
        );
        assert_eq!(
            check_rule_in_solution(
                "RestoreMissingProject",
                "microservices",
                "src/Services/Billing/Billing.Api/Dockerfile"
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn visual_studio_template_misses_the_referenced_project() {
        assert_eq!(
            check_rule_in_solution("RestoreMissingProject", "vs-template", "src/Api/Dockerfile"),
            ["16:20-16:42 Domain (src/Domain/Domain.csproj) is not in the image when `dotnet restore` runs; it is referenced by Api -> Domain"]
        );
    }

    #[test]
    fn flattened_copies_do_not_mirror_the_reference_paths() {
        let dir = solution(&[
            ("App.sln", ""),
            (
                "src/Api/Api.csproj",
                &csproj("Microsoft.NET.Sdk.Web", &["..\\Domain\\Domain.csproj"]),
            ),
            ("src/Domain/Domain.csproj", &csproj("Microsoft.NET.Sdk", &[])),
            (
                "Dockerfile",
                "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY src/Api/Api.csproj src/Domain/Domain.csproj ./\nRUN dotnet restore Api.csproj\n",
            ),
        ]);
        assert_eq!(
            check_rule_in_dir("RestoreMissingProject", dir.path(), "Dockerfile"),
            ["4:20-4:30 Domain (src/Domain/Domain.csproj) is at /src/Domain.csproj when `dotnet restore` runs, but restore looks for it at /Domain/Domain.csproj; it is referenced by Api -> Domain"]
        );
        // Implicit restore of publish, after a copy that brings everything: silent. A
        // publish with --no-restore does not restore, so it is not checked here.
        let good = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY src/ src/\nRUN dotnet publish src/Api/Api.csproj -o /app\nRUN dotnet publish src/Api/Api.csproj --no-restore -o /app2\n";
        assert_eq!(
            check_text_in_dir("RestoreMissingProject", dir.path(), "Dockerfile", good),
            Vec::<String>::new()
        );
        let implicit = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY src/Api/ src/Api/\nRUN dotnet publish src/Api/Api.csproj -o /app\n";
        assert_eq!(
            check_text_in_dir("RestoreMissingProject", dir.path(), "Dockerfile", implicit),
            ["4:20-4:38 Domain (src/Domain/Domain.csproj) is not in the image when `dotnet publish` restores; it is referenced by Api -> Domain"]
        );
    }

    #[test]
    fn solution_restore_and_dockerignored_project() {
        let sln = "Microsoft Visual Studio Solution File, Format Version 12.00\nProject(\"{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}\") = \"Api\", \"src\\Api\\Api.csproj\", \"{A0000001-1111-4222-8333-000000000001}\"\nEndProject\nProject(\"{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}\") = \"Tests\", \"test\\Tests\\Tests.csproj\", \"{A0000001-1111-4222-8333-000000000002}\"\nEndProject\n";
        let dir = solution(&[
            ("App.sln", sln),
            ("src/Api/Api.csproj", &csproj("Microsoft.NET.Sdk.Web", &[])),
            (
                "test/Tests/Tests.csproj",
                &csproj("Microsoft.NET.Sdk", &["../../src/Api/Api.csproj"]),
            ),
            (".dockerignore", "**/bin/\n**/obj/\ntest/\n"),
            ("Dockerfile", ""),
        ]);
        let text = "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY App.sln ./\nCOPY src/Api/Api.csproj src/Api/\nCOPY test/Tests/Tests.csproj test/Tests/\nRUN dotnet restore\n";
        assert_eq!(
            check_text_in_dir("RestoreMissingProject", dir.path(), "Dockerfile", text),
            ["6:5-6:19 Tests (test/Tests/Tests.csproj) is not in the image when `dotnet restore` runs; it is a project of App.sln; .dockerignore line 3 (`test/`) excludes it from the build context"]
        );
    }

    #[test]
    fn conditional_references_that_do_not_apply_are_not_required() {
        let api = "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n  <ItemGroup Condition=\"'$(Configuration)' == 'Windows'\">\n    <ProjectReference Include=\"../WinOnly/WinOnly.csproj\" />\n  </ItemGroup>\n</Project>\n";
        let dir = solution(&[
            ("src/Api/Api.csproj", api),
            ("src/WinOnly/WinOnly.csproj", &csproj("Microsoft.NET.Sdk", &[])),
            (
                "Dockerfile",
                "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY src/Api/Api.csproj src/Api/\nRUN dotnet restore src/Api/Api.csproj\n",
            ),
        ]);
        assert_eq!(
            check_rule_in_dir("RestoreMissingProject", dir.path(), "Dockerfile"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn silent_on_the_good_fixture_and_without_a_solution() {
        assert_eq!(
            check_rule_in_solution("RestoreMissingProject", "good", "Dockerfile"),
            Vec::<String>::new()
        );
        let good = include_str!("../../../../tests/data/good.Dockerfile");
        assert_eq!(
            crate::rules::test_support::check_rule("RestoreMissingProject", good),
            Vec::<String>::new()
        );
    }
}
