use super::support::stage_images;
use crate::declare_rule;
use crate::images::ImageMatch;
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks the tag of every `FROM` image of a Microsoft .NET repository
/// (`mcr.microsoft.com/dotnet/sdk`, `aspnet`, `runtime`, `runtime-deps`, `monitor`,
/// `aspire-dashboard`) against the tags Microsoft publishes, with a did-you-mean from Dockside's
/// image catalog. It also reports tags that were published once and are no longer updated
/// (retired OS variants such as `8.0-alpine3.20`, the removed 8.0/9.0 `-aot` SDK tags).
///
/// Tags of nightly repositories are not checked (they change daily), and versions that are
/// out of support are left to `DotnetVersionOutOfSupport`.
///
/// ## Why is this bad?
/// A tag that does not exist fails the build at `docker build` time, often in CI after a
/// long wait; a retired tag still pulls, but its image no longer gets security fixes.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0-alpin
/// FROM mcr.microsoft.com/dotnet/sdk:10.0-chiseled
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine
/// FROM mcr.microsoft.com/dotnet/sdk:10.0
/// ```
///
/// ## Fix safety
/// No automatic fix; the did-you-mean is a suggestion.
///
/// ## References
/// - [Supported tags of the .NET images](https://github.com/dotnet/dotnet-docker/blob/main/documentation/supported-tags.md)
    UnknownImageTag {
        severity: Warning,
        origin: Image,
        summary: "A tag of a Microsoft .NET image repository that Microsoft does not publish (or no longer updates).",
    }
}

impl UnknownImageTag {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        for image in stage_images(ctx) {
            match &*image.matched {
                ImageMatch::UnknownTag(unknown) => {
                    let mut message = format!(
                        "Tag `{}` is not a published tag of `{}`",
                        unknown.tag,
                        unknown.repo.image_name()
                    );
                    if let Some(note) = unknown.note {
                        message.push_str(": ");
                        message.push_str(note);
                    }
                    if let Some(suggestion) = did_you_mean(&unknown.suggestions) {
                        message.push_str(if unknown.note.is_some() { " " } else { ". " });
                        message.push_str(&suggestion);
                    }
                    out.report(&Self::META, image.tag_range(), message);
                }
                ImageMatch::Retired(retired) => {
                    let Some(deprecation) =
                        image.facts().and_then(|facts| facts.deprecation.clone())
                    else {
                        continue;
                    };
                    let instead = if deprecation.replacement.is_empty() {
                        String::new()
                    } else {
                        format!("; use `{}`", deprecation.replacement)
                    };
                    out.report(
                        &Self::META,
                        image.tag_range(),
                        format!(
                            "Tag `{}` of `{}` is no longer updated: {}{instead}",
                            retired.tag,
                            retired.repo.image_name(),
                            deprecation.reason
                        ),
                    );
                }
                _ => {}
            }
        }
    }
}

/// "Did you mean `a`?", "Did you mean `a`, `b` or `c`?"
fn did_you_mean(suggestions: &[String]) -> Option<String> {
    let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
    let list = match quoted.as_slice() {
        [] => return None,
        [only] => only.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    };
    Some(format!("Did you mean {list}?"))
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_unpublished_tags_with_suggestions() {
        assert_eq!(
            check_rule(
                "UnknownImageTag",
                "ARG VARIANT=alpin\nFROM mcr.microsoft.com/dotnet/sdk:10.0-chiseled AS build\nFROM mcr.microsoft.com/dotnet/aspnet:10.0-${VARIANT}\nFROM mcr.microsoft.com/dotnet/runtime:10.0-noble-arm64\nFROM mcr.microsoft.com/dotnet/aspnet:banana\n"
            ),
            [
                "2:35-2:48 Tag `10.0-chiseled` is not a published tag of `mcr.microsoft.com/dotnet/sdk`: SDK images have no chiseled, distroless or -extra variants: build in `sdk`, then run on `runtime-deps`, `runtime` or `aspnet`.",
                "3:6-3:53 Tag `10.0-alpin` is not a published tag of `mcr.microsoft.com/dotnet/aspnet`. Did you mean `10.0-alpine`?",
                "4:39-4:55 Tag `10.0-noble-arm64` is not a published tag of `mcr.microsoft.com/dotnet/runtime`. Did you mean `10.0-noble-arm64v8`, `10.0-noble-chiseled-arm64v8` or `10.0-noble-chiseled-extra-arm64v8`?",
                "5:38-5:44 Tag `banana` is not a published tag of `mcr.microsoft.com/dotnet/aspnet`",
            ]
        );
    }

    #[test]
    fn reports_retired_tags_of_supported_versions() {
        assert_eq!(
            check_rule(
                "UnknownImageTag",
                "FROM mcr.microsoft.com/dotnet/sdk:10.0-alpine3.22 AS build\nFROM mcr.microsoft.com/dotnet/runtime-deps:10.0-cbl-mariner2.0\n"
            ),
            [
                "1:35-1:50 Tag `10.0-alpine3.22` of `mcr.microsoft.com/dotnet/sdk` is no longer updated: `alpine3.22` images for .NET 10.0 were published 2025-06-10 .. 2026-02-10 and are no longer updated; use `10.0-alpine`",
                "2:44-2:63 Tag `10.0-cbl-mariner2.0` is not a published tag of `mcr.microsoft.com/dotnet/runtime-deps`",
            ]
        );
    }

    #[test]
    fn silent_on_published_nightly_unresolved_and_foreign_tags() {
        let text = "ARG TAG\nFROM mcr.microsoft.com/dotnet/sdk:10.0.400-noble AS build\nFROM mcr.microsoft.com/dotnet/aspnet:${TAG}\nFROM mcr.microsoft.com/dotnet/nightly/aspnet:12.0-foo\nFROM mcr.microsoft.com/dotnet/aspnet:10.0.5-noble-chiseled\nFROM mcr.microsoft.com/dotnet/aspnet:6.0-bullseye-slim\nFROM nginx:banana\nFROM mcr.microsoft.com/dotnet/aspnet@sha256:0123456789012345678901234567890123456789012345678901234567890123\n";
        assert!(check_rule("UnknownImageTag", text).is_empty());
        assert!(check_rule(
            "UnknownImageTag",
            include_str!("../../../../tests/data/good.Dockerfile")
        )
        .is_empty());
    }
}
