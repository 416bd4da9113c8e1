//! Inlay hints: the compressed size after each `FROM` image (`≈ 92 MB`), for the platform that
//! applies (`--platform`, the configured platform, else amd64): the registry's live answer
//! when look-ups are on and it has answered, else the catalog's snapshot.

use super::image_hover::{platform_of, stage_reference};
use crate::analysis::{Analysis, AnalysisEnv};
use crate::images::registry::format_utc;
use crate::images::{format, Arch, Catalog, ImageRef};
use crate::model::BaseImage;
use crate::rules::image::support::from_image_word;
use crate::text::TextRange;

/// A label shown at a byte offset (after the text at that offset).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: usize,
    pub label: String,
    pub tooltip: Option<String>,
}

/// The hints whose image word lies in `range`; none when inlay hints are turned off.
pub fn inlay_hints(analysis: &Analysis, env: &AnalysisEnv, range: TextRange) -> Vec<InlayHint> {
    if !env.config.inlay_hints {
        return Vec::new();
    }
    let catalog = Catalog::embedded();
    let mut hints = Vec::new();
    for stage in &analysis.model.stages {
        // Stages built on another stage show no size: their image is the other stage's.
        if !matches!(stage.base, BaseImage::Image { .. }) {
            continue;
        }
        let Some(word) = from_image_word(&analysis.tree, stage.from) else {
            continue;
        };
        if word.range.end() < range.start() || word.range.start() > range.end() {
            continue;
        }
        let Some(reference) = stage_reference(stage) else {
            continue;
        };
        let platform = platform_of(&analysis.model, stage, env);
        if let Some(hint) = registry_hint(env, &reference, &platform, word.range.end()) {
            hints.push(hint);
            continue;
        }
        let matched = catalog.lookup(&reference);
        if let Some(label) = matched
            .known()
            .and_then(|known| known.inlay_hint(Some(&platform)))
        {
            hints.push(InlayHint {
                offset: word.range.end(),
                label,
                tooltip: Some(format!(
                    "Compressed size of {} for {platform} (what a pull downloads), as of {}",
                    reference.text(),
                    crate::images::CATALOG_SNAPSHOT
                )),
            });
        }
    }
    hints
}

/// The live size from the registry's cached answer, when look-ups are on and the registry has
/// the image for the platform; it wins over the catalog's snapshot.
fn registry_hint(
    env: &AnalysisEnv,
    reference: &ImageRef,
    platform: &str,
    offset: usize,
) -> Option<InlayHint> {
    let lookup = env.registry.as_deref()?.cached(reference)?;
    let image = lookup.found()?;
    let found = image.platform(Arch::parse(platform).unwrap_or(Arch::Amd64))?;
    Some(InlayHint {
        offset,
        label: format::approximate_size(found.compressed_bytes),
        tooltip: Some(format!(
            "Compressed size of {} for {} (what a pull downloads), from the registry as of {}; digest {}",
            reference.text(),
            found.name(),
            format_utc(image.fetched_at),
            image.digest
        )),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::analysis::analyze;
    use crate::config::Config;
    use crate::rules::test_support::test_env;

    fn hints(text: &str, env: &AnalysisEnv) -> Vec<(String, String)> {
        let analysis = analyze(text, env);
        inlay_hints(&analysis, env, TextRange::new(0, text.len()))
            .into_iter()
            .map(|hint| {
                (
                    text[..hint.offset]
                        .rsplit(' ')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    hint.label,
                )
            })
            .collect()
    }

    #[test]
    fn sizes_follow_the_platform() {
        let text = "FROM --platform=linux/arm64 mcr.microsoft.com/dotnet/sdk:10.0.400-noble AS build\nFROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS final\nFROM final AS again\nFROM nginx:1.27\nFROM scratch\n";
        let env = test_env();
        let found = hints(text, &env);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "mcr.microsoft.com/dotnet/sdk:10.0.400-noble");
        assert_eq!(
            found[1].0,
            "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled"
        );
        let catalog = Catalog::embedded();
        let expected = |image: &str, platform: &str| {
            catalog
                .lookup(&crate::images::ImageRef::parse(image))
                .known()
                .and_then(|known| known.inlay_hint(Some(platform)))
        };
        assert_eq!(
            Some(found[0].1.clone()),
            expected("mcr.microsoft.com/dotnet/sdk:10.0.400-noble", "arm64")
        );
        assert_eq!(
            Some(found[1].1.clone()),
            expected(
                "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled",
                "amd64"
            )
        );
        assert!(found[1].1.starts_with("≈ ") && found[1].1.ends_with(" MB"));
        // The configured platform applies where --platform is not constant.
        let arm = AnalysisEnv {
            config: Arc::new(Config {
                platform: "linux/arm64".to_string(),
                ..Config::default()
            }),
            ..test_env()
        };
        assert_eq!(
            Some(hints(text, &arm)[1].1.clone()),
            expected(
                "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled",
                "arm64"
            )
        );
    }

    #[test]
    fn the_registry_answer_wins_over_the_catalog() {
        use crate::images::registry::test_support::{found, linux, missing, CachedAnswers};
        let text = "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nFROM --platform=linux/arm64 localhost:5000/team/base:1.0\nFROM localhost:5000/team/base:9.9\nFROM localhost:5000/team/amd-only:1\n";
        let env = AnalysisEnv {
            registry: Some(CachedAnswers::new([
                found(
                    "mcr.microsoft.com/dotnet/aspnet:10.0",
                    vec![linux("amd64", 95 * 1024 * 1024)],
                    &["10.0"],
                ),
                found(
                    "localhost:5000/team/base:1.0",
                    vec![
                        linux("amd64", 3 * 1024 * 1024),
                        linux("arm64/v8", 1024 * 1024 + 1),
                    ],
                    &["1.0"],
                ),
                missing("localhost:5000/team/base:9.9", true, &["1.0"]),
                found(
                    "localhost:5000/team/amd-only:1",
                    vec![linux("arm64/v8", 7)],
                    &["1"],
                ),
            ])),
            ..test_env()
        };
        let analysis = analyze(text, &env);
        let found = inlay_hints(&analysis, &env, TextRange::new(0, text.len()));
        let digest = format!("sha256:{}", "c".repeat(64));
        assert_eq!(
            found,
            [
                InlayHint {
                    offset: text.find("\n").unwrap_or(0),
                    label: "≈ 95 MB".to_string(),
                    tooltip: Some(format!("Compressed size of mcr.microsoft.com/dotnet/aspnet:10.0 for linux/amd64 (what a pull downloads), from the registry as of 2026-11-18 11:06 UTC; digest {digest}")),
                },
                InlayHint {
                    offset: text.find(":1.0\n").unwrap_or(0) + 4,
                    label: "≈ 1.0 MB".to_string(),
                    tooltip: Some(format!("Compressed size of localhost:5000/team/base:1.0 for linux/arm64/v8 (what a pull downloads), from the registry as of 2026-11-18 11:06 UTC; digest {digest}")),
                },
            ]
        );
    }

    #[test]
    fn off_when_configured_off_and_limited_to_the_range() {
        let text =
            "FROM mcr.microsoft.com/dotnet/aspnet:10.0\nFROM mcr.microsoft.com/dotnet/sdk:10.0\n";
        let off = AnalysisEnv {
            config: Arc::new(Config {
                inlay_hints: false,
                ..Config::default()
            }),
            ..test_env()
        };
        assert!(hints(text, &off).is_empty());
        let analysis = analyze(text, &test_env());
        let second_line = TextRange::new(text.find("\nFROM").unwrap_or(0) + 1, text.len());
        let found = inlay_hints(&analysis, &test_env(), second_line);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].offset, text.len() - 1);
        assert_eq!(
            found[0].tooltip.as_deref(),
            Some("Compressed size of mcr.microsoft.com/dotnet/sdk:10.0 for linux/amd64 (what a pull downloads), as of 2026-08")
        );
    }
}
