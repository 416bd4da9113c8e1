use super::published::{
    deployment, dotnet_version_of_tfm, product_name, published_app, target_framework, Deployment,
};
use crate::declare_rule;
use crate::images::RepoKind;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that the .NET runtime of the final image is at least as new as the
/// TargetFramework of the project the Dockerfile ships (the project of the `dotnet publish`
/// whose output the final stage copies) on `aspnet` and `runtime` images. Self-contained and
/// Native AOT apps bring their own runtime and are not checked; an SDK final image that
/// builds the app is SdkOlderThanTargetFramework's finding. Needs the solution.
///
/// ## Why is this bad?
/// A framework-dependent app only starts on a runtime of its TargetFramework's version or
/// later (same major version, by default). A `net10.0` app on `aspnet:8.0` builds fine and
/// fails when the container starts: "You must install or update .NET to run this
/// application. Framework: 'Microsoft.AspNetCore.App', version '10.0.0'".
///
/// ## Example
/// ```dockerfile
/// # src/Api/Api.csproj: <TargetFramework>net10.0</TargetFramework>
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// RUN dotnet publish src/Api/Api.csproj -o /app/publish
///
/// FROM mcr.microsoft.com/dotnet/aspnet:8.0
/// COPY --from=build /app/publish /app
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// COPY --from=build /app/publish /app
/// ```
///
/// ## Fix safety
/// The AlignImagesWithTargetFramework quick fix moves every .NET image to the
/// TargetFramework's version. Safe when every tag keeps its variant, unsafe when a variant
/// has to change distribution.
///
/// ## References
/// - [Framework-dependent apps roll forward](https://learn.microsoft.com/dotnet/core/versions/selection#framework-dependent-apps-roll-forward)
    RuntimeOlderThanTargetFramework {
        severity: Error,
        origin: Dotnet,
        summary: "The runtime image is older than the TargetFramework of the published project.",
        fixable: true,
    }
}

impl RuntimeOlderThanTargetFramework {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(app) = published_app(ctx) else {
            return;
        };
        let (Some(image), Some(project), Some(shipped)) = (&app.runtime, app.project, &app.shipped)
        else {
            return;
        };
        // An SDK final image that builds the app is SdkOlderThanTargetFramework's finding.
        if !matches!(image.kind(), Some(RepoKind::Aspnet | RepoKind::Runtime)) {
            return;
        }
        let Some(runtime) = image.dotnet_version() else {
            return;
        };
        // Self-contained output brings its own runtime; unknown deployments are not judged.
        if deployment(ctx, shipped.invocation, Some(project)) != Deployment::FrameworkDependent {
            return;
        }
        let Some(tfm) = target_framework(ctx, shipped.invocation, project) else {
            return;
        };
        let Some(target) = dotnet_version_of_tfm(&tfm) else {
            return;
        };
        if target <= runtime {
            return;
        }
        let framework = if project.is_web() && image.kind() != Some(RepoKind::Runtime) {
            "ASP.NET Core"
        } else {
            ".NET"
        };
        out.report(
            &Self::META,
            image.word.range,
            format!(
                "{} has the {framework} {runtime} runtime, but {} targets {tfm}: the app needs {} or later and does not start",
                image.name(),
                project.name,
                product_name(target),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::{check_rule_in_files, check_rule_in_solution};
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_the_outdated_images_fixture() {
        assert_eq!(
            check_rule_in_solution("RuntimeOlderThanTargetFramework", "outdated-images", "Dockerfile"),
            ["8:6-8:41 mcr.microsoft.com/dotnet/aspnet:8.0 has the ASP.NET Core 8.0 runtime, but Api targets net10.0: the app needs .NET 10 or later and does not start"]
        );
    }

    #[test]
    fn follows_the_final_stage_to_its_base_and_skips_self_contained_apps() {
        let csproj = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net9.0</TargetFramework></PropertyGroup></Project>";
        let dockerfile = |publish: &str| {
            format!("FROM mcr.microsoft.com/dotnet/runtime:8.0 AS base\nWORKDIR /app\n\nFROM mcr.microsoft.com/dotnet/sdk:9.0 AS build\nWORKDIR /src\nCOPY . .\nRUN {publish}\n\nFROM base AS final\nCOPY --from=build /out .\nENTRYPOINT [\"./Tool\"]\n")
        };
        let fd = dockerfile("dotnet publish Tool/Tool.csproj -c Release -o /out");
        assert_eq!(
            check_rule_in_files(
                "RuntimeOlderThanTargetFramework",
                &[("Tool/Tool.csproj", csproj), ("Dockerfile", &fd)],
                "Dockerfile"
            ),
            ["1:6-1:42 mcr.microsoft.com/dotnet/runtime:8.0 has the .NET 8.0 runtime, but Tool targets net9.0: the app needs .NET 9 or later and does not start"]
        );
        let sc = dockerfile(
            "dotnet publish Tool/Tool.csproj -c Release -r linux-x64 --self-contained -o /out",
        );
        assert!(check_rule_in_files(
            "RuntimeOlderThanTargetFramework",
            &[("Tool/Tool.csproj", csproj), ("Dockerfile", &sc)],
            "Dockerfile"
        )
        .is_empty());
    }

    #[test]
    fn silent_when_the_runtime_matches() {
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
            ("global-json", "Dockerfile"),
            ("aot-app", "Dockerfile"),
            ("compose-app", "src/Worker/Dockerfile"),
        ] {
            assert!(
                check_rule_in_solution("RuntimeOlderThanTargetFramework", fixture, dockerfile)
                    .is_empty(),
                "{fixture}"
            );
        }
        let good = include_str!("../../../../tests/data/good.Dockerfile");
        assert!(check_rule("RuntimeOlderThanTargetFramework", good).is_empty());
    }
}
