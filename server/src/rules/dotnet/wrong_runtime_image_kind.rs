use super::published::{deployment, published_app, suggest_image, Deployment};
use crate::analysis::Severity;
use crate::declare_rule;
use crate::images::RepoKind;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that the final image's repository fits the shipped project: an ASP.NET Core app
/// (the Web SDK, or a FrameworkReference to `Microsoft.AspNetCore.App`) published
/// framework-dependent needs `aspnet`, not `runtime` (error); an app that is not an
/// ASP.NET Core app does not need `aspnet` (info). Needs the solution.
///
/// Framework-dependent output on `runtime-deps` is FrameworkDependentOnRuntimeDeps'
/// finding, not this rule's.
///
/// ## Why is this bad?
/// `runtime` has the .NET runtime but not ASP.NET Core: a web app built and copied onto it
/// fails at start with "Framework: 'Microsoft.AspNetCore.App' ... was not found". The other
/// way round works but ships about 12 MB (compressed) of ASP.NET Core that a console app or
/// worker never loads.
///
/// ## Example
/// ```dockerfile
/// # src/Api/Api.csproj: <Project Sdk="Microsoft.NET.Sdk.Web">
/// FROM mcr.microsoft.com/dotnet/runtime:10.0
/// COPY --from=build /app/publish /app
/// ENTRYPOINT ["dotnet", "/app/Api.dll"]
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// COPY --from=build /app/publish /app
/// ENTRYPOINT ["dotnet", "/app/Api.dll"]
/// ```
///
/// ## Fix safety
/// No automatic fix; the SwitchBaseImage action changes the image.
    WrongRuntimeImageKind {
        severity: Error,
        origin: Dotnet,
        summary: "The final image's repository does not fit the project (runtime for a web app, aspnet for a non-web app).",
    }
}

impl WrongRuntimeImageKind {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(app) = published_app(ctx) else {
            return;
        };
        let (Some(image), Some(project), Some(shipped)) = (&app.runtime, app.project, &app.shipped)
        else {
            return;
        };
        if !project.is_executable() {
            return;
        }
        let deployment = deployment(ctx, shipped.invocation, Some(project));
        let version = image.dotnet_version();
        match image.kind() {
            Some(RepoKind::Runtime)
                if project.is_web() && deployment == Deployment::FrameworkDependent =>
            {
                out.report(
                    &Self::META,
                    image.word.range,
                    format!(
                        "{} is an ASP.NET Core app, but {} has no ASP.NET Core runtime (Microsoft.AspNetCore.App): use {}",
                        project.name,
                        image.name(),
                        suggest_image(RepoKind::Aspnet, version)
                    ),
                );
            }
            Some(RepoKind::Aspnet) if !project.is_web() => {
                let better = if deployment.is_self_contained() {
                    RepoKind::RuntimeDeps
                } else {
                    RepoKind::Runtime
                };
                out.report_with(
                    &Self::META,
                    Severity::Info,
                    image.word.range,
                    format!(
                        "{} is not an ASP.NET Core app: {} carries ASP.NET Core for nothing; {} is smaller",
                        project.name,
                        image.name(),
                        suggest_image(better, version)
                    ),
                );
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::Severity;
    use crate::rules::dotnet::test_support::{check_rule_in_solution, severities_in_solution};
    use crate::rules::test_support::check_rule;

    #[test]
    fn web_app_on_runtime_is_an_error() {
        assert_eq!(
            check_rule_in_solution("WrongRuntimeImageKind", "misconfigured-web", "Dockerfile"),
            ["8:6-8:42 Storefront is an ASP.NET Core app, but mcr.microsoft.com/dotnet/runtime:8.0 has no ASP.NET Core runtime (Microsoft.AspNetCore.App): use mcr.microsoft.com/dotnet/aspnet:8.0"]
        );
    }

    #[test]
    fn console_app_on_aspnet_is_information() {
        assert_eq!(
            check_rule_in_solution("WrongRuntimeImageKind", "aot-app", "Dockerfile"),
            ["11:6-11:41 Ingest is not an ASP.NET Core app: mcr.microsoft.com/dotnet/aspnet:9.0 carries ASP.NET Core for nothing; mcr.microsoft.com/dotnet/runtime-deps:9.0 is smaller"]
        );
        assert_eq!(
            severities_in_solution("WrongRuntimeImageKind", "aot-app", "Dockerfile"),
            [Severity::Info]
        );
        assert_eq!(
            severities_in_solution("WrongRuntimeImageKind", "misconfigured-web", "Dockerfile"),
            [Severity::Error]
        );
    }

    #[test]
    fn silent_when_the_image_fits() {
        for (fixture, dockerfile) in [
            ("good", "Dockerfile"),
            ("vs-template", "src/Api/Dockerfile"),
            ("compose-app", "src/Worker/Dockerfile"),
            ("compose-app", "src/Api/Dockerfile"),
            // runtime-deps for a framework-dependent app is FrameworkDependentOnRuntimeDeps'.
            ("console-runtime-deps", "Dockerfile"),
        ] {
            assert!(
                check_rule_in_solution("WrongRuntimeImageKind", fixture, dockerfile).is_empty(),
                "{fixture}"
            );
        }
        let good = include_str!("../../../../tests/data/good.Dockerfile");
        assert!(check_rule("WrongRuntimeImageKind", good).is_empty());
    }
}
