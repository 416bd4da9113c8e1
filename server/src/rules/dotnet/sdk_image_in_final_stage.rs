use super::published::{
    deployment, last_in_final_image, published_app, right_image_kind, suggest_image, Evidence,
    PublishedApp,
};
use crate::declare_rule;
use crate::images::RepoKind;
use crate::rules::{Diagnostics, RuleContext};
use crate::syntax::{split_shell_words, Args, Keyword};

declare_rule! {
/// ## What it does
/// Checks that the final stage (the image `docker build` produces) does not run on
/// `mcr.microsoft.com/dotnet/sdk`, directly or through `FROM <stage>`, when it is an app
/// image: it has an ENTRYPOINT or CMD, or runs `dotnet publish` itself. Build-only and
/// tooling images (no ENTRYPOINT/CMD, or one that runs `dotnet test` or `dotnet watch`) need
/// the SDK and are not reported.
///
/// ## Why is this bad?
/// The SDK image carries the compilers, MSBuild, NuGet, PowerShell, git and curl: about
/// 300 MB compressed against about 90 MB for `aspnet` and 45 MB for `runtime-deps`. Every
/// deployment pulls it, and every tool in it is attack surface in production. The SDK is
/// needed to build, not to run.
///
/// The suggested image follows the shipped project when the solution is known: `aspnet`
/// for ASP.NET Core apps, `runtime` for other framework-dependent apps, `runtime-deps` for
/// self-contained and Native AOT apps.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0
/// WORKDIR /app
/// COPY . .
/// RUN dotnet publish -c Release -o out
/// ENTRYPOINT ["dotnet", "out/Api.dll"]
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// WORKDIR /src
/// COPY . .
/// RUN dotnet publish -c Release -o /app/publish
///
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
/// WORKDIR /app
/// COPY --from=build /app/publish .
/// USER $APP_UID
/// ENTRYPOINT ["dotnet", "Api.dll"]
/// ```
///
/// ## Fix safety
/// The quick fix (action `ConvertToMultiStage`) splits a single-stage Dockerfile into an SDK
/// build stage and a runtime stage. It is unsafe: the app runs on another image, as another
/// user, from another folder, so `dockside check --fix` applies it only with `--unsafe-fixes`.
///
/// ## References
/// - [Containerize a .NET app](https://learn.microsoft.com/dotnet/core/docker/build-container)
    SdkImageInFinalStage {
        severity: Warning,
        origin: Dotnet,
        summary: "The final stage runs on the .NET SDK image.",
        fixable: true,
    }
}

/// The final image runs an app: it publishes one in place, or its ENTRYPOINT/CMD runs
/// something other than the SDK's test and watch tools.
fn runs_an_app(ctx: &RuleContext, app: &PublishedApp) -> bool {
    if app
        .shipped
        .as_ref()
        .is_some_and(|s| s.evidence == Evidence::RunsInFinalImage)
    {
        return true;
    }
    [Keyword::Entrypoint, Keyword::Cmd].iter().any(|keyword| {
        let Some((_, idx)) = last_in_final_image(ctx, app.final_stage, *keyword) else {
            return false;
        };
        let Some(inst) = ctx.tree.instructions.get(idx) else {
            return false;
        };
        let words: Vec<String> = match &inst.args {
            Args::Exec { elements, .. } => elements.iter().map(|w| w.text.to_string()).collect(),
            Args::Shell(w) => split_shell_words(&w.text),
            _ => Vec::new(),
        };
        let sdk_tool = words
            .first()
            .is_some_and(|w| w == "dotnet" || w.ends_with("/dotnet"))
            && words
                .get(1)
                .is_some_and(|verb| verb == "test" || verb == "watch");
        !sdk_tool
    })
}

impl SdkImageInFinalStage {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let Some(app) = published_app(ctx) else {
            return;
        };
        let Some(image) = &app.runtime else { return };
        if image.kind() != Some(RepoKind::Sdk) {
            return;
        }
        if !runs_an_app(ctx, &app) {
            return;
        }
        let Some(final_stage) = ctx.model.stages.get(app.final_stage) else {
            return;
        };
        let Some(Args::Words(words)) = ctx.tree.instructions.get(final_stage.from).map(|i| &i.args)
        else {
            return;
        };
        let Some(from_word) = words.first() else {
            return;
        };
        let version = image.dotnet_version();
        let kind = match (app.project, &app.shipped) {
            (Some(project), Some(shipped)) => {
                right_image_kind(project, &deployment(ctx, shipped.invocation, Some(project))).or(
                    Some(if project.is_web() {
                        RepoKind::Aspnet
                    } else {
                        RepoKind::Runtime
                    }),
                )
            }
            (Some(project), None) => Some(if project.is_web() {
                RepoKind::Aspnet
            } else {
                RepoKind::Runtime
            }),
            _ => None,
        };
        let target = match kind {
            Some(kind) => suggest_image(kind, version),
            None => "a runtime image (aspnet, runtime or runtime-deps)".to_string(),
        };
        let runs_on = if image.stage == app.final_stage {
            format!(
                "The final stage runs on the .NET SDK image {}",
                image.name()
            )
        } else {
            let parent = ctx
                .model
                .stages
                .get(image.stage)
                .and_then(|s| s.name.as_ref())
                .map(|n| n.text.to_string())
                .unwrap_or_else(|| image.stage.to_string());
            format!(
                "The final stage derives from stage {parent}, which runs on the .NET SDK image {}",
                image.name()
            )
        };
        out.report(
            &Self::META,
            from_word.range,
            format!("{runs_on}: publish in a build stage and copy the output onto {target}"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dotnet::test_support::check_rule_in_solution;
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_the_naive_single_stage_fixture() {
        assert_eq!(
            check_rule_in_solution("SdkImageInFinalStage", "naive-single-stage", "Dockerfile"),
            ["1:6-1:38 The final stage runs on the .NET SDK image mcr.microsoft.com/dotnet/sdk:8.0: publish in a build stage and copy the output onto mcr.microsoft.com/dotnet/aspnet:8.0"]
        );
    }

    #[test]
    fn reports_a_final_stage_derived_from_the_sdk_without_a_solution() {
        assert_eq!(
            check_rule(
                "SdkImageInFinalStage",
                "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nRUN dotnet publish -o /app\nFROM build AS final\nENTRYPOINT [\"dotnet\", \"/app/Api.dll\"]\n"
            ),
            ["3:6-3:11 The final stage derives from stage build, which runs on the .NET SDK image mcr.microsoft.com/dotnet/sdk:10.0: publish in a build stage and copy the output onto a runtime image (aspnet, runtime or runtime-deps)"]
        );
    }

    #[test]
    fn silent_on_multi_stage_dockerfiles() {
        assert!(check_rule_in_solution("SdkImageInFinalStage", "good", "Dockerfile").is_empty());
        assert!(check_rule_in_solution(
            "SdkImageInFinalStage",
            "vs-template",
            "src/Api/Dockerfile"
        )
        .is_empty());
        let good = include_str!("../../../../tests/data/good.Dockerfile");
        assert!(check_rule("SdkImageInFinalStage", good).is_empty());
        assert!(check_rule("SdkImageInFinalStage", "FROM ubuntu:24.04\nRUN true\n").is_empty());
        // Build-only and test-runner images need the SDK.
        assert!(check_rule(
            "SdkImageInFinalStage",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY . .\nRUN dotnet build\n"
        )
        .is_empty());
        assert!(check_rule(
            "SdkImageInFinalStage",
            "FROM mcr.microsoft.com/dotnet/sdk:10.0\nWORKDIR /src\nCOPY . .\nENTRYPOINT [\"dotnet\", \"test\"]\n"
        )
        .is_empty());
    }
}
