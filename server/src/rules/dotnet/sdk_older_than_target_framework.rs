use super::published::{
    dotnet_version_of_tfm, expand_word, product_name, stage_image, tfm_of_version,
};
use super::restore_model::SolutionView;
use crate::context::stage_fs::{dotnet_target, BuildTarget};
use crate::declare_rule;
use crate::dotnet::ProjectId;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that the SDK image of each stage that runs `dotnet restore`, `build`, `publish` or
/// `test` is at least as new as the TargetFramework of the project it builds (every
/// TargetFramework of a multi-targeting project, or the one `-f` selects). Needs the
/// solution.
///
/// ## Why is this bad?
/// An SDK only knows the frameworks up to its own version: the .NET 8 SDK fails on a
/// `net10.0` project with NETSDK1045 ("The current .NET SDK does not support targeting
/// .NET 10.0"). The build breaks at the first `dotnet` command, typically after a project
/// was upgraded and the Dockerfile was not.
///
/// ## Example
/// ```dockerfile
/// # src/Api/Api.csproj: <TargetFramework>net10.0</TargetFramework>
/// FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
/// RUN dotnet publish src/Api/Api.csproj -o /app/publish
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// RUN dotnet publish src/Api/Api.csproj -o /app/publish
/// ```
///
/// ## Fix safety
/// The AlignImagesWithTargetFramework quick fix moves every .NET image to the
/// TargetFramework's version. Safe when every tag keeps its variant, unsafe when a variant
/// has to change distribution.
///
/// ## References
/// - [NETSDK1045](https://learn.microsoft.com/dotnet/core/tools/sdk-errors/netsdk1045)
    SdkOlderThanTargetFramework {
        severity: Error,
        origin: Dotnet,
        summary: "The SDK image is older than the TargetFramework of the project it builds.",
        fixable: true,
    }
}

impl SdkOlderThanTargetFramework {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let (Some(view), Some(workspace)) = (SolutionView::of(ctx), ctx.workspace()) else {
            return;
        };
        let fs = &view.fs;
        // The newest framework of the solution: stages whose SDK is at least that are fine
        // whatever they build, and their commands need not be traced.
        let Some(newest_in_solution) = workspace
            .projects()
            .flat_map(|p| p.target_frameworks.iter())
            .filter_map(|tfm| dotnet_version_of_tfm(tfm))
            .max()
        else {
            return;
        };
        let mut reported: Vec<(usize, ProjectId)> = Vec::new();
        for invocation in &ctx.model.dotnet_commands {
            if !["restore", "build", "publish", "test", "pack", "run"]
                .iter()
                .any(|verb| invocation.command.is(verb))
            {
                continue;
            }
            let Some(image) = stage_image(ctx.model, invocation.stage) else {
                continue;
            };
            let Some(sdk) = image.sdk() else { continue };
            if sdk.channel >= newest_in_solution {
                continue;
            }
            let target = dotnet_target(fs, workspace, invocation);
            let projects: Vec<ProjectId> = match &target.target {
                BuildTarget::Project(id) => vec![*id],
                BuildTarget::Solution { projects, .. } => projects.clone(),
                BuildTarget::Unknown => continue,
            };
            let selected = match &invocation.command.framework {
                Some(f) => match expand_word(ctx, invocation, &f.text) {
                    Some(tfm) => Some(tfm),
                    None => continue,
                },
                None => None,
            };
            for id in projects {
                if reported.contains(&(image.stage, id)) {
                    continue;
                }
                let Some(project) = workspace.project(id) else {
                    continue;
                };
                let tfms: Vec<&str> = match &selected {
                    Some(tfm) => vec![tfm.as_str()],
                    None => project
                        .target_frameworks
                        .iter()
                        .map(String::as_str)
                        .collect(),
                };
                let newest = tfms
                    .into_iter()
                    .filter_map(|tfm| dotnet_version_of_tfm(tfm).map(|v| (v, tfm)))
                    .filter(|(v, _)| *v > sdk.channel)
                    .max_by_key(|(v, _)| *v);
                let Some((_, tfm)) = newest else { continue };
                reported.push((image.stage, id));
                out.report(
                    &Self::META,
                    image.word.range,
                    format!(
                        "{} cannot build {} ({tfm}): the {} SDK targets at most {} (NETSDK1045)",
                        image.name(),
                        project.name,
                        product_name(sdk.channel),
                        tfm_of_version(sdk.channel)
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::{check_rule_in_files, check_rule_in_solution};
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_the_outdated_images_fixture() {
        assert_eq!(
            check_rule_in_solution("SdkOlderThanTargetFramework", "outdated-images", "Dockerfile"),
            ["1:6-1:38 mcr.microsoft.com/dotnet/sdk:8.0 cannot build Api (net10.0): the .NET 8 SDK targets at most net8.0 (NETSDK1045)"]
        );
    }

    #[test]
    fn multi_targeting_and_framework_selection() {
        let csproj = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFrameworks>net8.0;net9.0;netstandard2.0</TargetFrameworks></PropertyGroup></Project>";
        let files =
            |dockerfile: &'static str| vec![("Lib/Lib.csproj", csproj), ("Dockerfile", dockerfile)];
        assert_eq!(
            check_rule_in_files(
                "SdkOlderThanTargetFramework",
                &files("FROM mcr.microsoft.com/dotnet/sdk:8.0-alpine\nWORKDIR /src\nCOPY Lib/ Lib/\nRUN dotnet restore Lib/Lib.csproj\nRUN dotnet build Lib/Lib.csproj\n"),
                "Dockerfile"
            ),
            ["1:6-1:45 mcr.microsoft.com/dotnet/sdk:8.0-alpine cannot build Lib (net9.0): the .NET 8 SDK targets at most net8.0 (NETSDK1045)"]
        );
        assert!(check_rule_in_files(
            "SdkOlderThanTargetFramework",
            &files("FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY Lib/ Lib/\nRUN dotnet build Lib/Lib.csproj -f net8.0\n"),
            "Dockerfile"
        )
        .is_empty());
    }

    #[test]
    fn silent_when_the_sdk_is_new_enough_or_unknown() {
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
            ("global-json", "Dockerfile"),
            ("microservices", "src/Services/Orders/Orders.Api/Dockerfile"),
        ] {
            assert!(
                check_rule_in_solution("SdkOlderThanTargetFramework", fixture, dockerfile)
                    .is_empty(),
                "{fixture}"
            );
        }
        let good = include_str!("../../../../tests/data/good.Dockerfile");
        assert!(check_rule("SdkOlderThanTargetFramework", good).is_empty());
    }
}
