use super::support::{image_of_stage, stage_images};
use crate::declare_rule;
use crate::images::{Catalog, ImageRef};
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that the final image is not built on `mcr.microsoft.com/dotnet/nightly/*`, directly
/// or through the stage it is built `FROM`. Nightly images in build stages are fine (for
/// example to try a preview SDK).
///
/// ## Why is this bad?
/// The nightly repositories carry daily builds of unreleased .NET versions and new OS
/// variants. They are meant for testing: they change every day, are not supported and may
/// break without notice.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/nightly/aspnet:10.0
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// ```
///
/// ## Fix safety
/// No automatic fix.
///
/// ## References
/// - [The .NET nightly images](https://github.com/dotnet/dotnet-docker/blob/nightly/README.md)
    NightlyImageRepository {
        severity: Warning,
        origin: Image,
        summary: "The final image is built on a nightly .NET image.",
    }
}

impl NightlyImageRepository {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let images = stage_images(ctx);
        let Some(image) = ctx
            .model
            .final_stage()
            .and_then(|last| image_of_stage(ctx.model, images, last.index))
        else {
            return;
        };
        if !image.facts().is_some_and(|facts| facts.is_nightly) {
            return;
        }
        let released = image.shown().replacen("/dotnet/nightly/", "/dotnet/", 1);
        let released_ref = ImageRef::parse(&released);
        let instead = if Catalog::embedded().lookup(&released_ref).known().is_some() {
            format!("use `{released}`")
        } else {
            format!("use a released tag of `{}`", released_ref.full_name())
        };
        out.report(
            &Self::META,
            image.name_range(),
            format!(
                "`{}` in the final image is a nightly build: nightly images are untested daily builds, not supported in production; {instead}",
                image.shown()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_a_nightly_final_image() {
        assert_eq!(
            check_rule(
                "NightlyImageRepository",
                "FROM mcr.microsoft.com/dotnet/nightly/sdk:11.0-preview AS build\nFROM mcr.microsoft.com/dotnet/nightly/aspnet:11.0.0-rc.1 AS base\nFROM base AS final\n"
            ),
            ["2:6-2:45 `mcr.microsoft.com/dotnet/nightly/aspnet:11.0.0-rc.1` in the final image is a nightly build: nightly images are untested daily builds, not supported in production; use `mcr.microsoft.com/dotnet/aspnet:11.0.0-rc.1`"]
        );
        assert_eq!(
            check_rule(
                "NightlyImageRepository",
                "ARG V=10.0\nFROM mcr.microsoft.com/dotnet/nightly/runtime-deps:$V-noble-chiseled\n"
            ),
            ["2:6-2:69 `mcr.microsoft.com/dotnet/nightly/runtime-deps:10.0-noble-chiseled` in the final image is a nightly build: nightly images are untested daily builds, not supported in production; use `mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled`"]
        );
    }

    #[test]
    fn a_tag_only_the_nightly_repository_has() {
        assert_eq!(
            check_rule(
                "NightlyImageRepository",
                "FROM mcr.microsoft.com/dotnet/nightly/aspnet:12.0-preview\n"
            ),
            ["1:6-1:45 `mcr.microsoft.com/dotnet/nightly/aspnet:12.0-preview` in the final image is a nightly build: nightly images are untested daily builds, not supported in production; use a released tag of `mcr.microsoft.com/dotnet/aspnet`"]
        );
    }

    #[test]
    fn silent_when_only_a_build_stage_is_nightly() {
        let text = "FROM mcr.microsoft.com/dotnet/nightly/sdk:11.0-preview AS build\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\n";
        assert!(check_rule("NightlyImageRepository", text).is_empty());
        assert!(check_rule(
            "NightlyImageRepository",
            include_str!("../../../../tests/data/good.Dockerfile")
        )
        .is_empty());
    }
}
