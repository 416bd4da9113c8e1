use super::published::{deployment, published_app, suggest_image, Deployment};
use crate::declare_rule;
use crate::images::RepoKind;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that framework-dependent output (the default of `dotnet publish`) does not go onto
/// `runtime-deps`. The output counts as framework-dependent when neither the command
/// (`--self-contained`, `-p:SelfContained`, `-p:PublishSelfContained`, `-p:PublishAot`) nor
/// the project (`SelfContained`, `PublishSelfContained`, `PublishAot`) makes it
/// self-contained; a runtime identifier alone does so only for projects before .NET 8, which
/// are not judged. Needs the solution unless the command says `--self-contained false`.
///
/// ## Why is this bad?
/// `runtime-deps` holds only the native libraries .NET needs: no `dotnet` host and no shared
/// runtime. A framework-dependent app cannot start there: `dotnet App.dll` finds no
/// `dotnet`, and the apphost `./App` fails with "You must install .NET to run this
/// application".
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// RUN dotnet publish src/Jobs/Jobs.csproj -c Release -o /app/publish
///
/// FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
/// COPY --from=build /app/publish /app
/// ENTRYPOINT ["/app/Jobs"]
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// RUN dotnet publish src/Jobs/Jobs.csproj -c Release -r linux-x64 --self-contained -o /app/publish
///
/// FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
/// COPY --from=build /app/publish /app
/// ENTRYPOINT ["/app/Jobs"]
/// ```
///
/// ## Fix safety
/// No automatic fix.
    FrameworkDependentOnRuntimeDeps {
        severity: Error,
        origin: Dotnet,
        summary: "Framework-dependent output is placed on runtime-deps, which has no .NET runtime.",
    }
}

impl FrameworkDependentOnRuntimeDeps {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(app) = published_app(ctx) else {
            return;
        };
        let (Some(image), Some(shipped)) = (&app.runtime, &app.shipped) else {
            return;
        };
        if image.kind() != Some(RepoKind::RuntimeDeps)
            || !(shipped.reaches_final_image() || app.project.is_some())
        {
            return;
        }
        if deployment(ctx, shipped.invocation, app.project) != Deployment::FrameworkDependent {
            return;
        }
        let (name, kind) = match app.project {
            Some(p) if p.is_web() => (p.name.clone(), RepoKind::Aspnet),
            Some(p) => (p.name.clone(), RepoKind::Runtime),
            None => ("The app".to_string(), RepoKind::Runtime),
        };
        out.report(
            &Self::META,
            image.word.range,
            format!(
                "{name} is published framework-dependent, but {} has no .NET runtime and no dotnet host: use {}, or publish with --self-contained",
                image.name(),
                suggest_image(kind, image.dotnet_version())
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::check_rule_in_solution;
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_a_console_app_on_runtime_deps() {
        assert_eq!(
            check_rule_in_solution("FrameworkDependentOnRuntimeDeps", "console-runtime-deps", "Dockerfile"),
            ["9:6-9:47 Jobs is published framework-dependent, but mcr.microsoft.com/dotnet/runtime-deps:8.0 has no .NET runtime and no dotnet host: use mcr.microsoft.com/dotnet/runtime:8.0, or publish with --self-contained"]
        );
        assert_eq!(
            check_rule(
                "FrameworkDependentOnRuntimeDeps",
                "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN dotnet publish --no-self-contained -o /out\nFROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled\nCOPY --from=build /out /app\n"
            ),
            ["3:6-3:63 The app is published framework-dependent, but mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled has no .NET runtime and no dotnet host: use mcr.microsoft.com/dotnet/runtime:10.0, or publish with --self-contained"]
        );
    }

    #[test]
    fn silent_for_self_contained_output_or_unknown_projects() {
        assert!(check_rule(
            "FrameworkDependentOnRuntimeDeps",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN dotnet publish -o /out\nFROM mcr.microsoft.com/dotnet/runtime-deps:10.0\nCOPY --from=build /out /app\n"
        )
        .is_empty());
        assert!(check_rule(
            "FrameworkDependentOnRuntimeDeps",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN dotnet publish -r linux-x64 --sc -o /out\nFROM mcr.microsoft.com/dotnet/runtime-deps:10.0\nCOPY --from=build /out /app\n"
        )
        .is_empty());
        for (fixture, dockerfile) in [("good", "Dockerfile"), ("aot-app", "Dockerfile")] {
            assert!(
                check_rule_in_solution("FrameworkDependentOnRuntimeDeps", fixture, dockerfile)
                    .is_empty(),
                "{fixture}"
            );
        }
        let good = include_str!("../../../../tests/data/good.Dockerfile");
        assert!(check_rule("FrameworkDependentOnRuntimeDeps", good).is_empty());
    }
}
