use rustc_hash::FxHashMap;

use super::support::{stage_images, StageImage};
use crate::analysis::Severity;
use crate::declare_rule;
use crate::images::{ImageMatch, KnownImage, TagKind};
use crate::rules::{Diagnostics, RuleContext};

declare_rule! {
/// ## What it does
/// Checks that every `FROM` image names a version:
/// - no tag (Docker pulls `latest`) or the `latest` tag: a warning, for any image;
/// - a floating tag of a Microsoft .NET image (`10.0`, `10.0-noble-chiseled`, `monitor:10`),
///   which moves with every patch: information. The setting `floating-tag-policy`
///   (`info`, `warning` or `off`) decides this part.
///
/// Images pinned by digest, `scratch`, stages and references that depend on a variable
/// without a value are not checked.
///
/// ## Why is this bad?
/// `latest` moves to each new major version: a rebuild can silently move the app to another
/// .NET version or OS. A floating `X.Y` tag gets patches automatically (Microsoft's default
/// advice), but two builds of the same commit can differ; pinning the patch
/// (`10.0.11-noble-chiseled`) and updating it deliberately (Dependabot, Renovate) makes builds
/// reproducible.
///
/// ## Example
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
/// ```
///
/// ## Use instead
/// ```dockerfile
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0.11-noble-chiseled
/// ```
///
/// ## Fix safety
/// The PinImageTag quick fix pins catalogued .NET images to the catalog's exact patch tag
/// (keeping the variant). Unsafe: the catalog's patch may be older than the one the floating
/// tag points to today.
///
/// ## References
/// - [hadolint DL3007](https://github.com/hadolint/hadolint/wiki/DL3007)
/// - [hadolint DL3006](https://github.com/hadolint/hadolint/wiki/DL3006)
/// - [Supported tags of the .NET images](https://github.com/dotnet/dotnet-docker/blob/main/documentation/supported-tags.md)
    ImageTagNotPinned {
        severity: Warning,
        origin: Image,
        summary: "A FROM image without a version tag (`latest` or none), or with a floating .NET tag.",
        hadolint: ["DL3006", "DL3007"],
        fixable: true,
    }
}

impl ImageTagNotPinned {
    fn run(ctx: &RuleContext, out: &mut Diagnostics) {
        let floating_severity = match ctx.env.config.floating_tag_policy.as_str() {
            "off" => None,
            "warning" => Some(Severity::Warning),
            _ => Some(Severity::Info),
        };
        // The finding depends on the reference alone: once per distinct reference.
        let mut findings: FxHashMap<usize, Option<Finding>> = FxHashMap::default();
        for image in stage_images(ctx) {
            let finding = findings
                .entry(image.same_as)
                .or_insert_with(|| finding(image, floating_severity));
            let Some(Finding {
                at_tag,
                severity,
                message,
            }) = finding
            else {
                continue;
            };
            let range = if *at_tag {
                image.tag_range()
            } else {
                image.word.range
            };
            match severity {
                None => out.report(&Self::META, range, message.clone()),
                Some(severity) => out.report_with(&Self::META, *severity, range, message.clone()),
            }
        }
    }
}

/// What is reported for an image: at its tag or its whole word, at a severity other than
/// the rule's (floating tags follow the configured policy), with which message.
struct Finding {
    at_tag: bool,
    severity: Option<Severity>,
    message: String,
}

fn finding(image: &StageImage<'_>, floating_severity: Option<Severity>) -> Option<Finding> {
    let reference = &image.reference;
    if reference.is_scratch()
        || reference.unresolved().any()
        || !reference.is_valid()
        || reference.digest().is_some()
    {
        return None;
    }
    match reference.tag() {
        None => Some(Finding {
            at_tag: false,
            severity: None,
            message: format!(
                "Always tag the version of an image explicitly: `{}` pulls `latest`{}",
                image.shown(),
                example(image)
            ),
        }),
        Some("latest") => Some(Finding {
            at_tag: true,
            severity: None,
            message: format!(
                "Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag{}",
                example(image)
            ),
        }),
        Some(tag) => {
            let (Some(severity), ImageMatch::Known(known)) = (floating_severity, &*image.matched)
            else {
                return None;
            };
            if !matches!(known.tag_kind, TagKind::Floating | TagKind::Major) {
                return None;
            }
            let pin = fixed_tag_for(known)
                .map(|fixed| format!("; pin it, e.g. `{fixed}`"))
                .unwrap_or_default();
            Some(Finding {
                at_tag: true,
                severity: Some(severity),
                message: format!(
                    "Tag `{tag}` follows each {}: builds are not reproducible{pin}",
                    if known.tag_kind == TagKind::Major {
                        let major = tag.split(['.', '-']).next().unwrap_or(tag);
                        format!("{major}.x release")
                    } else {
                        format!("{} patch", known.image.channel)
                    }
                ),
            })
        }
    }
}

fn example(image: &StageImage<'_>) -> String {
    let Some(known) = image.matched.known() else {
        return String::new();
    };
    let fixed = known
        .image
        .fixed_tag()
        .or_else(|| known.image.tags.first().copied());
    match fixed {
        Some(tag) => format!(", e.g. `{}:{tag}`", image.reference.full_name()),
        None => String::new(),
    }
}

/// The fixed-version tag of the same variant: `10.0-noble-chiseled` -> `10.0.11-noble-chiseled`,
/// `10.0-alpine-arm64v8` -> `10.0.11-alpine-arm64v8`.
pub(crate) fn fixed_tag_for(known: &KnownImage<'_>) -> Option<String> {
    let image = known.image;
    let channel = image.channel_tag();
    let rest = known
        .tag
        .strip_prefix(channel.as_str())
        .filter(|rest| rest.is_empty() || rest.starts_with('-'));
    if let Some(rest) = rest {
        let candidate = format!("{}{rest}", image.product_version);
        let (base, arch) = match known.arch {
            Some(arch) => (
                candidate
                    .strip_suffix(arch.tag_suffix())
                    .and_then(|base| base.strip_suffix('-'))
                    .unwrap_or(&candidate),
                true,
            ),
            None => (candidate.as_str(), false),
        };
        let published = if arch {
            image.arch_tag_bases.contains(&base)
                || image.undocumented_arch_tag_bases.contains(&base)
        } else {
            image.tags.contains(&base) || image.undocumented_tags.contains(&base)
        };
        if published {
            return Some(candidate);
        }
    }
    image.fixed_tag().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::config::Config;
    use crate::rules::test_support::{check_rule, check_rule_with, test_env};

    #[test]
    fn reports_latest_and_missing_tags() {
        assert_eq!(
            check_rule(
                "ImageTagNotPinned",
                "ARG IMAGE=nginx\nFROM mcr.microsoft.com/dotnet/sdk AS build\nFROM ubuntu:latest\nFROM $IMAGE\nFROM mcr.microsoft.com/dotnet/aspnet:latest\n"
            ),
            [
                "2:6-2:34 Always tag the version of an image explicitly: `mcr.microsoft.com/dotnet/sdk` pulls `latest`, e.g. `mcr.microsoft.com/dotnet/sdk:10.0.400-noble`",
                "3:13-3:19 Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag",
                "4:6-4:12 Always tag the version of an image explicitly: `nginx` pulls `latest`",
                "5:38-5:44 Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag, e.g. `mcr.microsoft.com/dotnet/aspnet:10.0.11-noble`",
            ]
        );
    }

    #[test]
    fn floating_dotnet_tags_are_information_by_policy() {
        let text = "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nFROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-arm64v8\nFROM mcr.microsoft.com/dotnet/monitor:10\nFROM mcr.microsoft.com/dotnet/aspnet:11.0-preview-alpine\n";
        let expected = [
            "1:35-1:39 Tag `10.0` follows each 10.0 patch: builds are not reproducible; pin it, e.g. `10.0.400`",
            "2:38-2:65 Tag `10.0-noble-chiseled-arm64v8` follows each 10.0 patch: builds are not reproducible; pin it, e.g. `10.0.11-noble-chiseled-arm64v8`",
            "3:39-3:41 Tag `10` follows each 10.x release: builds are not reproducible; pin it, e.g. `10.0.3`",
            "4:38-4:57 Tag `11.0-preview-alpine` follows each 11.0 patch: builds are not reproducible; pin it, e.g. `11.0.0-preview.7-alpine3.24`",
        ];
        assert_eq!(check_rule("ImageTagNotPinned", text), expected);
        let analysis = crate::analysis::analyze(text, &test_env());
        let severities: Vec<&str> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == "ImageTagNotPinned")
            .map(|d| d.severity.as_str())
            .collect();
        assert_eq!(severities, ["info", "info", "info", "info"]);

        let mut env = test_env();
        env.config = Arc::new(Config {
            floating_tag_policy: "off".to_string(),
            ..Config::default()
        });
        assert!(check_rule_with("ImageTagNotPinned", text, &env).is_empty());
        env.config = Arc::new(Config {
            floating_tag_policy: "warning".to_string(),
            ..Config::default()
        });
        let analysis = crate::analysis::analyze(text, &env);
        assert!(analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == "ImageTagNotPinned")
            .all(|d| d.severity.as_str() == "warning"));
    }

    #[test]
    fn silent_on_pinned_digests_stages_and_variables() {
        let text = "ARG TAG\nFROM mcr.microsoft.com/dotnet/sdk:10.0.400-noble AS build\nFROM build AS publish\nFROM scratch\nFROM mcr.microsoft.com/dotnet/aspnet:${TAG}\nFROM ubuntu@sha256:0123456789012345678901234567890123456789012345678901234567890123\nFROM mcr.microsoft.com/dotnet/aspnet:10.0.11-noble-chiseled\nFROM node:22\nFROM mcr.microsoft.com/dotnet/runtime:10.0.9-alpine\n";
        assert!(check_rule("ImageTagNotPinned", text).is_empty());
        assert!(check_rule(
            "ImageTagNotPinned",
            include_str!("../../../../tests/data/good.Dockerfile")
        )
        .is_empty());
    }

    #[test]
    fn hadolint_pragma_suppresses_it() {
        assert!(check_rule(
            "ImageTagNotPinned",
            "# hadolint ignore=DL3007\nFROM ubuntu:latest\n"
        )
        .is_empty());
    }
}
