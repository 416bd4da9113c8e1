use super::published::{deployment, published_app, suggest_image, Deployment};
use crate::declare_rule;
use crate::images::RepoKind;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that self-contained and Native AOT output goes onto `runtime-deps`, not onto
/// `aspnet` or `runtime`. Self-contained comes from `dotnet publish --self-contained` (or
/// `--sc`), `-p:SelfContained=true`, `-p:PublishSelfContained=true`, or the project's
/// `SelfContained`/`PublishSelfContained`; Native AOT from `-p:PublishAot=true` or the
/// project's `PublishAot`. Needs the solution when the setting is in the project.
///
/// ## Why is this bad?
/// Self-contained output carries its own copy of the .NET runtime, and a Native AOT app is a
/// native executable: neither uses the shared runtime of `runtime` (about 35 MB compressed
/// over `runtime-deps`) or `aspnet` (about 47 MB). The image ships two runtimes, one of which
/// is never loaded, and gets the security updates of the one that is not used.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// RUN dotnet publish -c Release -r linux-x64 --self-contained -o /app/publish
///
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// COPY --from=build /app/publish /app
/// ENTRYPOINT ["/app/Api"]
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
/// COPY --from=build /app/publish /app
/// ENTRYPOINT ["/app/Api"]
/// ```
///
/// ## Fix safety
/// No automatic fix; the SwitchBaseImage action changes the image.
///
/// ## References
/// - [runtime-deps images](https://github.com/dotnet/dotnet-docker/blob/main/README.runtime-deps.md)
    SelfContainedOnSharedRuntimeImage {
        severity: Warning,
        origin: Dotnet,
        summary: "Self-contained or Native AOT output is placed on aspnet or runtime instead of runtime-deps.",
    }
}

impl SelfContainedOnSharedRuntimeImage {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(app) = published_app(ctx) else {
            return;
        };
        let (Some(image), Some(shipped)) = (&app.runtime, &app.shipped) else {
            return;
        };
        if !shipped.reaches_final_image() && app.project.is_none() {
            return;
        }
        let kind = match image.kind() {
            Some(kind @ (RepoKind::Aspnet | RepoKind::Runtime)) => kind,
            _ => return,
        };
        let (what, reason) = match deployment(ctx, shipped.invocation, app.project) {
            Deployment::SelfContained { reason } => ("self-contained", reason),
            Deployment::NativeAot { reason } => ("Native AOT", reason),
            _ => return,
        };
        let name = app
            .project
            .map(|p| p.name.clone())
            .unwrap_or_else(|| "The app".to_string());
        let runtime = if kind == RepoKind::Aspnet {
            "the shared .NET and ASP.NET Core runtimes"
        } else {
            "the shared .NET runtime"
        };
        out.report(
            &Self::META,
            image.word.range,
            format!(
                "{name} is published {what} ({reason}) and does not use {runtime} of {}: use {}",
                image.name(),
                suggest_image(RepoKind::RuntimeDeps, image.dotnet_version())
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::check_rule_in_solution;
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_native_aot_from_the_project() {
        assert_eq!(
            check_rule_in_solution("SelfContainedOnSharedRuntimeImage", "aot-app", "Dockerfile"),
            ["11:6-11:41 Ingest is published Native AOT (PublishAot in Ingest.csproj) and does not use the shared .NET and ASP.NET Core runtimes of mcr.microsoft.com/dotnet/aspnet:9.0: use mcr.microsoft.com/dotnet/runtime-deps:9.0"]
        );
    }

    #[test]
    fn reports_command_line_self_contained_without_a_solution() {
        assert_eq!(
            check_rule(
                "SelfContainedOnSharedRuntimeImage",
                "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY . .\nRUN dotnet publish -c Release -r linux-x64 --self-contained -o /app/publish\n\nFROM mcr.microsoft.com/dotnet/runtime:10.0-noble-chiseled\nCOPY --from=build /app/publish /app\nENTRYPOINT [\"/app/Tool\"]\n"
            ),
            ["6:6-6:58 The app is published self-contained (--self-contained) and does not use the shared .NET runtime of mcr.microsoft.com/dotnet/runtime:10.0-noble-chiseled: use mcr.microsoft.com/dotnet/runtime-deps:10.0"]
        );
        assert_eq!(
            check_rule(
                "SelfContainedOnSharedRuntimeImage",
                "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN dotnet publish -c Release -r linux-x64 -p:PublishAot=true -o /out\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=build /out /app\n"
            ),
            ["3:6-3:42 The app is published Native AOT (-p:PublishAot=true) and does not use the shared .NET and ASP.NET Core runtimes of mcr.microsoft.com/dotnet/aspnet:10.0: use mcr.microsoft.com/dotnet/runtime-deps:10.0"]
        );
    }

    #[test]
    fn silent_for_runtime_deps_and_framework_dependent_output() {
        assert!(check_rule(
            "SelfContainedOnSharedRuntimeImage",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN dotnet publish -r linux-x64 --self-contained -o /out\nFROM mcr.microsoft.com/dotnet/runtime-deps:10.0\nCOPY --from=build /out /app\n"
        )
        .is_empty());
        assert!(check_rule(
            "SelfContainedOnSharedRuntimeImage",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN dotnet publish -r linux-x64 --self-contained false -o /out\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=build /out /app\n"
        )
        .is_empty());
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
        ] {
            assert!(
                check_rule_in_solution("SelfContainedOnSharedRuntimeImage", fixture, dockerfile)
                    .is_empty(),
                "{fixture}"
            );
        }
        let good = include_str!("../../../../tests/data/good.Dockerfile");
        assert!(check_rule("SelfContainedOnSharedRuntimeImage", good).is_empty());
    }
}
