use crate::declare_rule;
use crate::images::{Arch, ImageMatch};
use crate::rules::image::support::stage_images;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that a base image exists for the platform being built: BuildKit reports it when
/// the image it pulled is for another OS or architecture than the target platform.
///
/// Dockside checks it offline for the images of its .NET catalog, whose platforms it knows:
/// a `FROM --platform=` with a constant platform (after global ARGs; `$BUILDPLATFORM` and
/// `$TARGETPLATFORM` are decided at build time and not checked) that the tag is not
/// published for, by OS (a Windows tag on `linux/...`) or by architecture (an
/// `-arm64v8` tag, or an image without an `arm/v7` variant). Other images need a registry
/// look-up and are not checked.
///
/// ## Why is this bad?
/// A base image without a variant for the target platform runs under emulation or fails
/// with `exec format error`. Windows-only tags (`nanoserver-*`) on a Linux build, or an
/// `amd64`-only image on an `arm64` machine, are the usual causes.
///
/// ## Example
/// ```dockerfile
/// FROM --platform=linux/arm64 example.com/team/tool-amd64-only:1.0
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0
/// ```
///
/// ## Fix safety
/// No automatic fix: the right image depends on the platforms it is published for.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleInvalidBaseImagePlatform`)
    InvalidBaseImagePlatform {
        severity: Warning,
        origin: BuildKit,
        summary: "Base image platform does not match expected target platform.",
    }
}

impl InvalidBaseImagePlatform {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for image in stage_images(ctx) {
            let ImageMatch::Known(known) = &*image.matched else {
                continue;
            };
            let Some(platform) = ctx
                .model
                .stages
                .get(image.stage)
                .and_then(|stage| stage.platform.as_ref())
            else {
                continue;
            };
            let requested = platform.text.trim_matches('"');
            if requested.contains('$') {
                continue;
            }
            let os = requested
                .split('/')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            let windows = known.image.is_windows();
            let published: Vec<Arch> = match known.arch {
                Some(arch) => vec![arch],
                None => known.image.sizes.iter().map(|s| s.arch).collect(),
            };
            let image_os = if windows { "windows" } else { "linux" };
            let platforms = published
                .iter()
                .map(|arch| format!("{image_os}/{}", docker_arch(*arch)))
                .collect::<Vec<_>>()
                .join(", ");
            let os_mismatch = (os == "linux" && windows) || (os == "windows" && !windows);
            let arch_mismatch = Arch::parse(requested)
                .is_some_and(|arch| !published.is_empty() && !published.contains(&arch));
            if os_mismatch || arch_mismatch {
                out.report(
                    &Self::META,
                    platform.range,
                    format!(
                        "Base image {} is not published for platform \"{requested}\" (it has {platforms})",
                        image.word.text
                    ),
                );
            }
        }
    }
}

/// Docker's architecture names, as in `linux/arm64`.
fn docker_arch(arch: Arch) -> &'static str {
    match arch {
        Arch::Amd64 => "amd64",
        Arch::Arm64v8 => "arm64",
        Arch::Arm32v7 => "arm/v7",
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    const NAME: &str = "InvalidBaseImagePlatform";

    #[test]
    fn a_windows_tag_on_linux_and_a_single_arch_tag_on_another_arch() {
        assert_eq!(
            check_rule(
                NAME,
                "FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/runtime:10.0-nanoserver-ltsc2022\nFROM --platform=linux/amd64 mcr.microsoft.com/dotnet/aspnet:10.0-noble-arm64v8\n"
            ),
            [
                "1:17-1:28 Base image mcr.microsoft.com/dotnet/runtime:10.0-nanoserver-ltsc2022 is not published for platform \"linux/amd64\" (it has windows/amd64)",
                "2:17-2:28 Base image mcr.microsoft.com/dotnet/aspnet:10.0-noble-arm64v8 is not published for platform \"linux/amd64\" (it has linux/arm64)",
            ]
        );
    }

    #[test]
    fn an_image_without_the_architecture() {
        assert_eq!(
            check_rule(
                NAME,
                "FROM --platform=linux/arm/v7 mcr.microsoft.com/dotnet/aspnet:10.0-azurelinux3.0-distroless\n"
            ),
            ["1:17-1:29 Base image mcr.microsoft.com/dotnet/aspnet:10.0-azurelinux3.0-distroless is not published for platform \"linux/arm/v7\" (it has linux/amd64, linux/arm64)"]
        );
    }

    #[test]
    fn silent_for_published_platforms_variables_and_other_images() {
        for text in [
            "FROM --platform=linux/arm64 mcr.microsoft.com/dotnet/aspnet:10.0\n",
            "FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0-nanoserver-ltsc2022\n",
            "FROM --platform=linux/arm/v7 example.com/tool:1.0\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-arm64v8\n",
        ] {
            assert_eq!(check_rule(NAME, text), Vec::<String>::new(), "{text}");
        }
    }
}
