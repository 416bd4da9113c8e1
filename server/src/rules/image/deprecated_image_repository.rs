use super::support::stage_images;
use crate::declare_rule;
use crate::images::ImageMatch;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks for `FROM` images of deprecated .NET repositories: `mcr.microsoft.com/dotnet/core/*`
/// and `dotnet/core-nightly/*` (renamed with .NET 5), Docker Hub's `microsoft/dotnet*`
/// (distribution moved to mcr.microsoft.com in 2019 and was deprecated in 2021) and
/// `microsoft/aspnetcore*` (deprecated since ASP.NET Core 2.1).
///
/// ## Why is this bad?
/// Nothing is published to these repositories any more: their images carry old .NET versions
/// and old OS packages, and the Docker Hub tags are no longer pullable at all.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/core/aspnet:3.1
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0
/// ```
///
/// ## Fix safety
/// No automatic fix: the replacement is a newer .NET version.
///
/// ## References
/// - [dotnet/dotnet-docker#2375: .NET images moved to mcr.microsoft.com/dotnet](https://github.com/dotnet/dotnet-docker/issues/2375)
/// - [dotnet/dotnet-docker#2848: Docker Hub deprecation](https://github.com/dotnet/dotnet-docker/issues/2848)
    DeprecatedImageRepository {
        severity: Warning,
        origin: Image,
        summary: "A FROM image from a deprecated .NET repository (`dotnet/core/*`, Docker Hub `microsoft/dotnet`).",
    }
}

impl DeprecatedImageRepository {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for image in stage_images(ctx) {
            let ImageMatch::Deprecated(deprecated) = &*image.matched else {
                continue;
            };
            out.report(
                &Self::META,
                image.name_range(),
                format!(
                    "`{}` is deprecated ({}); use `{}`",
                    deprecated.repository, deprecated.deprecation.summary, deprecated.replacement
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_deprecated_repositories() {
        assert_eq!(
            check_rule(
                "DeprecatedImageRepository",
                "ARG REPO=mcr.microsoft.com/dotnet/core-nightly/runtime\nFROM mcr.microsoft.com/dotnet/core/sdk:3.1 AS build\nFROM microsoft/dotnet:2.1-aspnetcore-runtime\nFROM microsoft/aspnetcore:2.0\nFROM ${REPO}:3.1\n"
            ),
            [
                "2:6-2:39 `mcr.microsoft.com/dotnet/core/sdk` is deprecated (renamed to mcr.microsoft.com/dotnet/* with .NET 5 (2020-11); no updates since .NET Core 3.1 reached end of support (2022-12-13)); use `mcr.microsoft.com/dotnet/sdk:10.0`",
                "3:6-3:22 `docker.io/microsoft/dotnet` is deprecated (Docker Hub distribution deprecated 2021-05; .NET images are published on mcr.microsoft.com); use `mcr.microsoft.com/dotnet/aspnet:10.0`",
                "4:6-4:26 `docker.io/microsoft/aspnetcore` is deprecated (deprecated since ASP.NET Core 2.1 (2018); tags are no longer pullable); use `mcr.microsoft.com/dotnet/aspnet:10.0`",
                "5:6-5:17 `mcr.microsoft.com/dotnet/core-nightly/runtime` is deprecated (renamed to mcr.microsoft.com/dotnet/nightly/* with .NET 5 (2020-11)); use `mcr.microsoft.com/dotnet/nightly/runtime:10.0`",
            ]
        );
    }

    #[test]
    fn silent_on_current_repositories() {
        let text = "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nFROM mcr.microsoft.com/dotnet/nightly/aspnet:10.0\nFROM mcr.microsoft.com/dotnet/framework/aspnet:4.8\nFROM docker.io/library/ubuntu:24.04\nFROM build\n";
        assert!(check_rule("DeprecatedImageRepository", text).is_empty());
        assert!(check_rule(
            "DeprecatedImageRepository",
            include_str!("../../../../tests/data/good.Dockerfile")
        )
        .is_empty());
    }
}
