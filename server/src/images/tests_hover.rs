//! Exact hover markdown for representative images (issue: at least ten, incl. sdk, aspnet,
//! runtime-deps chiseled, alpine, azurelinux distroless, Windows nanoserver, out-of-support 6.0,
//! deprecated dotnet/core, a variable-built tag and a non-Microsoft image).

use super::hover::image_hover_markdown;
use super::reference::ImageRef;

const TODAY: &str = "2026-08-25";
const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn hover(reference: ImageRef, today: &str, arch: Option<&str>) -> String {
    image_hover_markdown(&reference, today, arch)
}

#[test]
fn sdk() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/sdk:10.0"),
            TODAY,
            None
        ),
        r#"**.NET SDK 10.0.400** on Ubuntu 24.04 (noble), glibc

Tag `10.0` follows each 10.0 patch. Platforms: amd64, arm64, arm32.

- Size: 312.2 MB amd64, 304.4 MB arm64 compressed
- Shell: /bin/bash · package manager: apt
- User: root; non-root `app` (UID 1654) available via `USER $APP_UID`
- Port: 8080
- ICU: yes · tzdata: yes
- Support: .NET 10.0 (LTS): supported until 2028-11-14

Smaller alternatives (amd64):
- `10.0-alpine`: 271.3 MB, -41 MB, musl

_Sizes as of 2026-08: compressed download, 1 MB = 1024² bytes._
"#
    );
}

#[test]
fn aspnet() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/aspnet:10.0"),
            TODAY,
            None
        ),
        r#"**ASP.NET Core 10.0.11 runtime** on Ubuntu 24.04 (noble), glibc

Tag `10.0` follows each 10.0 patch. Platforms: amd64, arm64, arm32.

- Size: 91.4 MB amd64, 88.0 MB arm64 compressed
- Shell: /bin/bash · package manager: apt
- User: root; non-root `app` (UID 1654) available via `USER $APP_UID`
- Port: 8080
- ICU: yes · tzdata: yes
- Support: .NET 10.0 (LTS): supported until 2028-11-14

Smaller alternatives (amd64):
- `10.0-noble-chiseled`: 52.6 MB, -39 MB, no shell, non-root, no ICU
- `10.0-alpine`: 51.8 MB, -40 MB, musl, no ICU
- `10.0-azurelinux3.0-distroless`: 59.1 MB, -32 MB, no shell, non-root, no ICU

_Sizes as of 2026-08: compressed download, 1 MB = 1024² bytes._
"#
    );
}

#[test]
fn runtime_deps_chiseled_on_arm64() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled"),
            TODAY,
            Some("linux/arm64")
        ),
        r#"**.NET 10.0.11 runtime dependencies** on Ubuntu 24.04 chiseled (noble), glibc

Tag `10.0-noble-chiseled` follows each 10.0 patch. Platforms: amd64, arm64, arm32.

- Size: 5.5 MB amd64, 4.5 MB arm64 compressed
- Shell: none (exec form only) · package manager: none
- User: non-root `app` (UID 1654, `$APP_UID`)
- Port: 8080
- ICU: no (globalization-invariant mode) · tzdata: no
- Support: .NET 10.0 (LTS): supported until 2028-11-14

_Sizes as of 2026-08: compressed download, 1 MB = 1024² bytes._
"#
    );
}

#[test]
fn alpine_with_composite_alternatives() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/aspnet:9.0-alpine"),
            TODAY,
            None
        ),
        r#"**ASP.NET Core 9.0.19 runtime** on Alpine 3.24, musl

Tag `9.0-alpine` follows each 9.0 patch. Platforms: amd64, arm64, arm32.

- Size: 48.5 MB amd64, 46.7 MB arm64 compressed
- Shell: /bin/sh (busybox ash) · package manager: apk
- User: root; non-root `app` (UID 1654) available via `USER $APP_UID`
- Port: 8080
- ICU: no (globalization-invariant mode) · tzdata: no
- Support: .NET 9.0 (STS): maintenance (security fixes only) until 2026-11-10

Smaller alternatives (amd64):
- `9.0-alpine3.24-composite`: 41.3 MB, -7.2 MB, composite
- `9.0-noble-chiseled-composite`: 42.1 MB, -6.4 MB, no shell, non-root, glibc, composite

_Sizes as of 2026-08: compressed download, 1 MB = 1024² bytes._
"#
    );
}

#[test]
fn azurelinux_distroless_without_arm32() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/runtime:10.0-azurelinux3.0-distroless"),
            TODAY,
            Some("linux/arm/v7")
        ),
        r#"**.NET 10.0.11 runtime** on Azure Linux 3.0 distroless, glibc

Tag `10.0-azurelinux3.0-distroless` follows each 10.0 patch. Platforms: amd64, arm64.

- Size: 47.0 MB amd64, 43.7 MB arm64 compressed (no arm32 image)
- Shell: none (exec form only) · package manager: none
- User: non-root `app` (UID 1654, `$APP_UID`)
- Port: 8080
- ICU: no (globalization-invariant mode) · tzdata: no
- Entrypoint: `["/usr/bin/dotnet"]` · CMD `["--info"]`
- Support: .NET 10.0 (LTS): supported until 2028-11-14

_Sizes as of 2026-08: compressed download, 1 MB = 1024² bytes._
"#
    );
}

#[test]
fn windows_nanoserver() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022"),
            TODAY,
            None
        ),
        r#"**ASP.NET Core 10.0.11 runtime** on Windows Nano Server LTSC 2022

Tag `10.0-nanoserver-ltsc2022` follows each 10.0 patch. Single-platform: windows/amd64.

- Size: 165.9 MB amd64 compressed, including the shared Windows base layers
- Shell: cmd.exe · package manager: none
- User: ContainerUser (non-root)
- Port: 8080
- Support: .NET 10.0 (LTS): supported until 2028-11-14

_Sizes as of 2026-08: compressed download, 1 MB = 1024² bytes._
"#
    );
}

#[test]
fn out_of_support_6_0() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/aspnet:6.0-bullseye-slim"),
            TODAY,
            None
        ),
        r#"**ASP.NET Core 6.0 runtime** on Debian 11 slim (bullseye), glibc

Tag `6.0-bullseye-slim`: `bullseye-slim` images for .NET 6.0 were published 2021-02-16 to 2024-11-12 and are no longer updated. No sizes or contents are recorded for retired images.

- Support: .NET 6.0 (LTS): out of support since 2024-11-12
- Use instead: `10.0`

_Image catalog as of 2026-08._
"#
    );
}

#[test]
fn deprecated_dotnet_core_repository() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/core/aspnet:3.1"),
            TODAY,
            None
        ),
        r#"**Deprecated repository** `mcr.microsoft.com/dotnet/core/aspnet`

Renamed to mcr.microsoft.com/dotnet/* with .NET 5 (2020-11); no updates since .NET Core 3.1 reached end of support (2022-12-13).

- Image: ASP.NET Core 3.1 runtime
- Support: .NET Core 3.1 (LTS): out of support since 2022-12-13
- Use instead: `mcr.microsoft.com/dotnet/aspnet:10.0`
"#
    );
}

#[test]
fn variable_built_tag_after_end_of_support() {
    assert_eq!(
        hover(
            ImageRef::parse_expanded(
                "mcr.microsoft.com/dotnet/sdk:8.0",
                "mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}",
                false,
            ),
            "2026-12-01",
            None,
        ),
        r#"**.NET SDK 8.0.424** on Debian 12 slim (bookworm), glibc

Tag `8.0` follows each 8.0 patch. Platforms: amd64, arm64, arm32.
Resolved from `mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}`.

- Size: 301.7 MB amd64, 296.8 MB arm64 compressed; on disk ≈ 785 MB amd64, ≈ 840 MB arm64 (measured 2023-08, ±5 %)
- Shell: /bin/bash · package manager: apt
- User: root; non-root `app` (UID 1654) available via `USER $APP_UID`
- Port: 8080
- ICU: yes · tzdata: yes
- Support: .NET 8.0 (LTS): out of support since 2026-11-10

Smaller alternatives (amd64):
- `8.0-alpine`: 253.7 MB, -48 MB, musl
- `8.0-noble`: 294.4 MB, -7.4 MB

_Sizes as of 2026-08: compressed download, 1 MB = 1024² bytes._
"#
    );
}

#[test]
fn non_microsoft_image() {
    assert_eq!(
        hover(ImageRef::parse("nginx:1.27"), TODAY, None),
        r#"`docker.io/library/nginx:1.27`

- Registry: docker.io (Docker Hub) · repository: library/nginx · tag: 1.27
- Not a Microsoft .NET image: no size or content facts are known.
"#
    );
}

#[test]
fn variable_built_unknown_tag() {
    assert_eq!(
        hover(
            ImageRef::parse_expanded(
                "mcr.microsoft.com/dotnet/aspnet:10.0-alpin",
                "mcr.microsoft.com/dotnet/aspnet:${V}-alpin",
                false,
            ),
            TODAY,
            None,
        ),
        r#"**ASP.NET Core runtime** `mcr.microsoft.com/dotnet/aspnet`

Tag `10.0-alpin` is not a published tag (catalog of 2026-08).

Did you mean `10.0-alpine`?

Resolved from `mcr.microsoft.com/dotnet/aspnet:${V}-alpin`.
"#
    );
}

#[test]
fn scratch() {
    assert_eq!(
        hover(ImageRef::parse("scratch"), TODAY, None),
        r#"`scratch`: the reserved empty image. No files, no shell, no libc, no package manager.
"#
    );
}

#[test]
fn unresolved_tag() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/aspnet:${TAG}"),
            TODAY,
            None
        ),
        r#"`mcr.microsoft.com/dotnet/aspnet:${TAG}`

Which ASP.NET Core runtime image this is depends on a variable without a value here.
"#
    );
}

#[test]
fn digest_without_tag() {
    assert_eq!(
        hover(
            ImageRef::parse(&format!("mcr.microsoft.com/dotnet/aspnet@{DIGEST}")),
            TODAY,
            None
        ),
        r#"**ASP.NET Core runtime** `mcr.microsoft.com/dotnet/aspnet`

Pinned by digest `sha256:0123456789ab…`; the catalog has no digests, so the image behind it is unknown.
"#
    );
}

#[test]
fn monitor_major_tag() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/monitor:10"),
            TODAY,
            None
        ),
        r#"**.NET Monitor 10.0.3** on Azure Linux 3.0 distroless, glibc

Tag `10` follows each new release of the major version. Platforms: amd64, arm64.

- Size: 66.7 MB amd64, 63.0 MB arm64 compressed
- Shell: none (exec form only) · package manager: none
- User: non-root `app` (UID 1654, `$APP_UID`)
- Ports: 52323, 52325
- ICU: no (globalization-invariant mode) · tzdata: no
- Entrypoint: `[ "dotnet-monitor" ]` · CMD `[ "collect", "--urls", "https://+:52323", "--metricUrls", "http://+:52325" ]`
- Runs on .NET 10.0.11

_Sizes as of 2026-08: compressed download, 1 MB = 1024² bytes._
"#
    );
}

#[test]
fn retired_alpine_variant() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/aspnet:8.0-alpine3.20"),
            TODAY,
            None
        ),
        r#"**ASP.NET Core 8.0 runtime** on Alpine 3.20, musl

Tag `8.0-alpine3.20`: `alpine3.20` images for .NET 8.0 were published 2024-06-11 to 2025-03-18 and are no longer updated. No sizes or contents are recorded for retired images.

- Support: .NET 8.0 (LTS): maintenance (security fixes only) until 2026-11-10
- Use instead: `8.0-alpine`

_Image catalog as of 2026-08._
"#
    );
}

#[test]
fn nightly() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/nightly/aspnet:10.0"),
            TODAY,
            None
        ),
        r#"**ASP.NET Core 10.0.11 runtime** (nightly) on Ubuntu 24.04 (noble), glibc

Tag `10.0` follows each 10.0 patch. Platforms: amd64, arm64, arm32.

Nightly build: a preview, not for production; sizes are those of the released image.

- Size: 91.4 MB amd64, 88.0 MB arm64 compressed
- Shell: /bin/bash · package manager: apt
- User: root; non-root `app` (UID 1654) available via `USER $APP_UID`
- Port: 8080
- ICU: yes · tzdata: yes
- Support: .NET 10.0 (LTS): supported until 2028-11-14

Smaller alternatives (amd64):
- `10.0-noble-chiseled`: 52.6 MB, -39 MB, no shell, non-root, no ICU
- `10.0-alpine`: 51.8 MB, -40 MB, musl, no ICU
- `10.0-azurelinux3.0-distroless`: 59.1 MB, -32 MB, no shell, non-root, no ICU

_Sizes as of 2026-08: compressed download, 1 MB = 1024² bytes._
"#
    );
}

#[test]
fn windows_server_core() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/aspnet:10.0-windowsservercore-ltsc2022"),
            TODAY,
            None
        ),
        r#"**ASP.NET Core 10.0.11 runtime** on Windows Server Core LTSC 2022

Tag `10.0-windowsservercore-ltsc2022` follows each 10.0 patch. Single-platform: windows/amd64.

- Size: 2.08 GB amd64 compressed, including the shared Windows base layers
- Shell: cmd.exe + powershell · package manager: none
- User: ContainerAdministrator (administrator)
- Port: 8080
- Support: .NET 10.0 (LTS): supported until 2028-11-14

Smaller alternatives (amd64):
- `10.0-nanoserver-ltsc2022`: 165.9 MB, -1.9 GB, non-root

_Sizes as of 2026-08: compressed download, 1 MB = 1024² bytes._
"#
    );
}

#[test]
fn older_patch_single_platform_tag() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/aspnet:10.0.5-noble-chiseled-arm64v8"),
            TODAY,
            Some("linux/amd64")
        ),
        r#"**ASP.NET Core 10.0.5 runtime** on Ubuntu 24.04 chiseled (noble), glibc

Tag `10.0.5-noble-chiseled-arm64v8` is a fixed version; facts and sizes are those of 10.0.11 (10.0.5 is not the catalog's version). Single-platform: arm64.

- Size: 52.6 MB amd64, 49.0 MB arm64 compressed
- Shell: none (exec form only) · package manager: none
- User: non-root `app` (UID 1654, `$APP_UID`)
- Port: 8080
- ICU: no (globalization-invariant mode) · tzdata: no
- Entrypoint: `["/usr/bin/dotnet"]` · CMD `["--info"]`
- Support: .NET 10.0 (LTS): supported until 2028-11-14

_Sizes as of 2026-08: compressed download, 1 MB = 1024² bytes._
"#
    );
}

#[test]
fn docker_hub_microsoft_dotnet() {
    assert_eq!(
        hover(
            ImageRef::parse("microsoft/dotnet:2.1-aspnetcore-runtime"),
            TODAY,
            None
        ),
        r#"**Deprecated repository** `docker.io/microsoft/dotnet`

Docker Hub distribution deprecated 2021-05; .NET images are published on mcr.microsoft.com.

- Image: ASP.NET Core 2.1 runtime
- Support: .NET Core 2.1 (LTS): out of support since 2021-08-21
- Use instead: `mcr.microsoft.com/dotnet/aspnet:10.0`
"#
    );
}

#[test]
fn invalid_reference() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/SDK:10.0"),
            TODAY,
            None
        ),
        r#"`mcr.microsoft.com/dotnet/SDK:10.0`

Not a valid image reference: repository name must be lowercase.
"#
    );
}

#[test]
fn microsoft_image_outside_catalog() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/framework/sdk:4.8"),
            TODAY,
            None
        ),
        r#"`mcr.microsoft.com/dotnet/framework/sdk:4.8`

- Registry: mcr.microsoft.com · repository: dotnet/framework/sdk · tag: 4.8
- A Microsoft image outside Dockside's .NET image catalog: no size or content facts are known.
"#
    );
}

#[test]
fn aspire_dashboard() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/aspire-dashboard:13.5"),
            TODAY,
            None
        ),
        r#"**Aspire Dashboard 13.5.1** on Azure Linux 3.0 distroless, glibc

Tag `13.5` follows each 13.5 patch. Platforms: amd64, arm64.

- Size: 79.9 MB amd64, 76.9 MB arm64 compressed (measured on 13.4.2)
- Shell: none (exec form only) · package manager: none
- User: non-root `app` (UID 1654, `$APP_UID`)
- Port: 18888
- ICU: yes · tzdata: yes
- Entrypoint: `[ "dotnet", "/app/Aspire.Dashboard.dll" ]`
- Runs on .NET 8.0.30

_Sizes as of 2026-08: compressed download, 1 MB = 1024² bytes._
"#
    );
}

#[test]
fn sdk_chiseled_does_not_exist() {
    assert_eq!(
        hover(
            ImageRef::parse("mcr.microsoft.com/dotnet/sdk:10.0-chiseled"),
            TODAY,
            None
        ),
        r#"**.NET SDK** `mcr.microsoft.com/dotnet/sdk`

Tag `10.0-chiseled` is not a published tag (catalog of 2026-08).

SDK images have no chiseled, distroless or -extra variants: build in `sdk`, then run on `runtime-deps`, `runtime` or `aspnet`.
"#
    );
}
