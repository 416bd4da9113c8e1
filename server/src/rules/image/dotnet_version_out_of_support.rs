use super::support::{image_of_stage, stage_images};
use crate::analysis::Severity;
use crate::declare_rule;
use crate::images::{Catalog, SupportStatus};
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks the .NET version of every `FROM` image against the .NET support lifecycle on
/// today's date: a version past its end of support is a warning. A preview image in the
/// final stage (or the stage it is built from) is reported as information.
///
/// ## Why is this bad?
/// Microsoft stops publishing images for a .NET version on its end-of-support day. The tags
/// stay pullable, but the runtime, the SDK and the OS packages in them get no more security
/// fixes. .NET 8 (LTS) and .NET 9 (STS) reached end of support on 2026-11-10.
/// Previews are not supported in production and change until the release.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
/// # ...
/// FROM mcr.microsoft.com/dotnet/aspnet:8.0
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// # ...
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// ```
/// and set the projects' `TargetFramework` to `net10.0`.
///
/// ## Fix safety
/// When the shipped project already targets a supported version, the
/// AlignImagesWithTargetFramework quick fix moves the images to it (safe when every tag keeps
/// its variant). Otherwise there is no automatic fix: the TargetFramework has to move too.
///
/// ## References
/// - [.NET release policies](https://github.com/dotnet/core/blob/main/release-policies.md)
/// - [Supported tags of the .NET images](https://github.com/dotnet/dotnet-docker/blob/main/documentation/supported-tags.md)
    DotnetVersionOutOfSupport {
        severity: Warning,
        origin: Image,
        summary: "A .NET image whose version is past its end of support (or a preview in the final image).",
        fixable: true,
    }
}

impl DotnetVersionOutOfSupport {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let catalog = Catalog::embedded();
        let images = stage_images(ctx);
        let final_image = ctx
            .model
            .final_stage()
            .and_then(|last| image_of_stage(ctx.model, images, last.index))
            .map(|image| image.stage);
        for image in images {
            let Some(facts) = image.facts() else {
                continue;
            };
            let Some(version) = facts.dotnet_version else {
                continue;
            };
            let lifecycle = catalog.lifecycle(version);
            if let Some(SupportStatus::OutOfSupport { end }) =
                lifecycle.map(|life| life.status_on(&ctx.env.today))
            {
                let instead = catalog
                    .latest_lts()
                    .filter(|latest| latest.version > version)
                    .map(|latest| {
                        format!(
                            "; move to {} ({})",
                            latest.version.product_name(),
                            latest.status_short(&ctx.env.today)
                        )
                    })
                    .unwrap_or_default();
                out.report(
                    &Self::META,
                    image.tag_range(),
                    format!(
                        "{} reached end of support on {end}: `{}` gets no more security fixes{instead}",
                        version.product_name(),
                        image.shown()
                    ),
                );
            } else if facts.is_preview && final_image == Some(image.stage) {
                let build = image
                    .matched
                    .known()
                    .map(|known| format!(" ({})", known.image.product_version))
                    .unwrap_or_default();
                out.report_with(
                    &Self::META,
                    Severity::Info,
                    image.tag_range(),
                    format!(
                        "`{}` is a {} preview{build} in the final image: previews are not supported in production",
                        image.shown(),
                        version.product_name()
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check_rule, check_rule_with, test_env};

    #[test]
    fn reports_versions_past_their_end_of_support() {
        assert_eq!(
            check_rule(
                "DotnetVersionOutOfSupport",
                "ARG NET=9.0\nFROM mcr.microsoft.com/dotnet/sdk:8.0-alpine AS build\nFROM mcr.microsoft.com/dotnet/aspnet:${NET}\nFROM mcr.microsoft.com/dotnet/runtime:6.0-bullseye-slim\nFROM mcr.microsoft.com/dotnet/core/aspnet:3.1\n"
            ),
            [
                "2:35-2:45 .NET 8.0 reached end of support on 2026-11-10: `mcr.microsoft.com/dotnet/sdk:8.0-alpine` gets no more security fixes; move to .NET 10.0 (LTS, until 2028-11-14)",
                "3:6-3:44 .NET 9.0 reached end of support on 2026-11-10: `mcr.microsoft.com/dotnet/aspnet:9.0` gets no more security fixes; move to .NET 10.0 (LTS, until 2028-11-14)",
                "4:39-4:56 .NET 6.0 reached end of support on 2024-11-12: `mcr.microsoft.com/dotnet/runtime:6.0-bullseye-slim` gets no more security fixes; move to .NET 10.0 (LTS, until 2028-11-14)",
                "5:43-5:46 .NET Core 3.1 reached end of support on 2022-12-13: `mcr.microsoft.com/dotnet/core/aspnet:3.1` gets no more security fixes; move to .NET 10.0 (LTS, until 2028-11-14)",
            ]
        );
    }

    #[test]
    fn today_decides() {
        let mut env = test_env();
        env.today = "2026-11-10".to_string();
        assert!(check_rule_with(
            "DotnetVersionOutOfSupport",
            "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
            &env
        )
        .is_empty());
        env.today = "2026-11-11".to_string();
        assert_eq!(
            check_rule_with(
                "DotnetVersionOutOfSupport",
                "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
                &env
            ),
            ["1:38-1:41 .NET 8.0 reached end of support on 2026-11-10: `mcr.microsoft.com/dotnet/aspnet:8.0` gets no more security fixes; move to .NET 10.0 (LTS, until 2028-11-14)"]
        );
    }

    #[test]
    fn previews_only_in_the_final_image() {
        let text = "FROM mcr.microsoft.com/dotnet/sdk:11.0-preview AS build\nFROM mcr.microsoft.com/dotnet/aspnet:11.0-preview-resolute-chiseled AS base\nFROM base AS final\n";
        assert_eq!(
            check_rule("DotnetVersionOutOfSupport", text),
            ["2:38-2:68 `mcr.microsoft.com/dotnet/aspnet:11.0-preview-resolute-chiseled` is a .NET 11.0 preview (11.0.0-preview.7) in the final image: previews are not supported in production"]
        );
    }

    #[test]
    fn silent_on_supported_versions_and_unknown_images() {
        let text = "ARG TAG\nFROM mcr.microsoft.com/dotnet/sdk:10.0.400-noble AS build\nFROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled\nFROM mcr.microsoft.com/dotnet/aspnet:${TAG}\nFROM ubuntu:20.04\nFROM mcr.microsoft.com/dotnet/monitor:9\nFROM scratch\n";
        assert!(check_rule("DotnetVersionOutOfSupport", text).is_empty());
        assert!(check_rule(
            "DotnetVersionOutOfSupport",
            include_str!("../../../../tests/data/good.Dockerfile")
        )
        .is_empty());
    }
}
