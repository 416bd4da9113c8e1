//! Hover on the image of a `FROM` line: what the image is, its size for the platform that
//! applies, shell, package manager, user, port, support status and smaller alternatives, from
//! the embedded catalog ([`crate::images::hover`]). A stage built `FROM` another stage shows the
//! image it ends up on.

use crate::analysis::{Analysis, AnalysisEnv};
use crate::ide::links::image_page_url;
use crate::images::hover::image_hover_markdown;
use crate::images::registry::{format_utc, remote_hover_lines, RemoteLookup};
use crate::images::{Arch, Catalog, ImageMatch, ImageRef};
use crate::model::{expand, BaseImage, Model, Stage};
use crate::rules::image::support::from_image_word;
use crate::syntax::SyntaxTree;
use crate::text::TextRange;

/// Markdown for the hovered range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub markdown: String,
    pub range: TextRange,
}

/// The hover for the `FROM` image word at `offset`, if there is one. Images the catalog knows
/// nothing about (other registries, invalid references) written directly after `FROM` are left
/// to the generic image hover ([`crate::ide::hover_docs`]).
pub fn hover(analysis: &Analysis, offset: usize, env: &AnalysisEnv) -> Option<Hover> {
    let (stage, word_range) = stage_with_image_at(&analysis.tree, &analysis.model, offset)?;
    let root = analysis.model.root_stage(stage.index)?;
    let reference = stage_reference(root)?;
    let unknown = matches!(
        Catalog::embedded().lookup(&reference),
        ImageMatch::Other { .. } | ImageMatch::Invalid
    );
    // What the registry said, when look-ups are on and it has answered (never waited for).
    let remote = env
        .registry
        .as_deref()
        .and_then(|registry| registry.cached(&reference));
    if unknown && remote.is_none() && root.index == stage.index {
        return None;
    }
    let platform = platform_of(&analysis.model, stage, env);
    let mut body = match &remote {
        // The catalog knows nothing about it: the registry's answer is the hover.
        Some(remote) if unknown => {
            let mut body = format!("`{}`\n\n", reference.canonical());
            if let Some(written) = reference.written() {
                body.push_str(&format!("Resolved from `{written}`.\n\n"));
            }
            body.push_str(&registry_lines(remote, &platform));
            body
        }
        Some(remote) => format!(
            "{}\n{}",
            image_hover_markdown(&reference, &env.today, Some(&platform)),
            registry_lines(remote, &platform)
        ),
        None => image_hover_markdown(&reference, &env.today, Some(&platform)),
    };
    if !reference.unresolved().any() && !reference.is_scratch() {
        if let Some(url) = image_page_url(reference.text()) {
            body.push_str(&format!("\n[Registry page]({url})\n"));
        }
    }
    let markdown = if root.index == stage.index {
        body
    } else {
        format!("{}\n\n{body}", derivation_line(&analysis.model, stage))
    };
    Some(Hover {
        markdown,
        range: word_range,
    })
}

/// The registry's answer as hover lines: live size for the platform, platforms and digest, or
/// why the image does not exist; each with the time of the answer.
fn registry_lines(remote: &RemoteLookup, platform: &str) -> String {
    match remote {
        RemoteLookup::Found(image) => {
            remote_hover_lines(image, Arch::parse(platform).unwrap_or(Arch::Amd64))
        }
        RemoteLookup::NotFound(absence) => format!(
            "**Not in the registry**: {} (as of {})\n",
            absence.describe(),
            format_utc(absence.checked_at)
        ),
    }
}

/// The stage whose `FROM` image word contains `offset` (touching its end counts).
pub(crate) fn stage_with_image_at<'m>(
    tree: &SyntaxTree,
    model: &'m Model,
    offset: usize,
) -> Option<(&'m Stage, TextRange)> {
    model.stages.iter().find_map(|stage| {
        let word = from_image_word(tree, stage.from)?;
        word.range
            .contains_inclusive(offset)
            .then_some((stage, word.range))
    })
}

/// The image reference of a stage built from an image (or `scratch`), variables substituted
/// from the global ARGs.
pub(crate) fn stage_reference(stage: &Stage) -> Option<ImageRef> {
    match &stage.base {
        BaseImage::Image { word, resolved } => Some(ImageRef::parse_expanded(
            &resolved.text,
            &word.text,
            !resolved.is_complete(),
        )),
        BaseImage::Scratch => Some(ImageRef::parse("scratch")),
        BaseImage::Stage(_) | BaseImage::Missing => None,
    }
}

/// The platform sizes are shown for: the stage's `--platform` when it is constant (or made of
/// global ARGs with defaults), else that of the stage it is built on, else the configured one.
pub(crate) fn platform_of(model: &Model, stage: &Stage, env: &AnalysisEnv) -> String {
    let globals = model.global_scope();
    let constant = |stage: &Stage| -> Option<String> {
        let word = stage.platform.as_ref()?;
        let expanded = expand(&word.text, &globals[..]);
        (expanded.is_complete() && !expanded.text.is_empty() && !expanded.text.contains('$'))
            .then_some(expanded.text)
    };
    constant(stage)
        .or_else(|| model.root_stage(stage.index).and_then(constant))
        .unwrap_or_else(|| env.config.platform.clone())
}

/// "Derives from stage `publish`, built on stage `build`."
fn derivation_line(model: &Model, stage: &Stage) -> String {
    let mut names = Vec::new();
    let mut current = stage;
    for _ in 0..model.stages.len() {
        let BaseImage::Stage(parent) = current.base else {
            break;
        };
        let Some(next) = model.stages.get(parent).filter(|p| p.index < current.index) else {
            break;
        };
        names.push(match &next.name {
            Some(name) => format!("`{}`", name.text),
            None => format!("#{}", next.index),
        });
        current = next;
    }
    format!("Derives from stage {}.", names.join(", built on stage "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::images::registry::test_support;
    use crate::rules::test_support::test_env;

    fn hover_at(text: &str, needle: &str) -> Option<Hover> {
        let analysis = analyze(text, &test_env());
        let offset = text.find(needle).expect("needle") + 1;
        hover(&analysis, offset, &test_env())
    }

    #[test]
    fn hovers_the_image_word_with_its_range() {
        let text = "FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled AS base\n";
        let found = hover_at(text, "mcr").expect("hover");
        assert_eq!(
            &text[found.range.as_range()],
            "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled"
        );
        assert_eq!(
            found.markdown,
            format!(
                "{}\n[Registry page](https://mcr.microsoft.com/product/dotnet/runtime-deps/about)\n",
                crate::images::hover::image_hover_markdown(
                    &ImageRef::parse("mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled"),
                    "2026-11-26",
                    Some("linux/amd64")
                )
            )
        );
        assert!(found.markdown.starts_with(
            "**.NET 10.0.11 runtime dependencies** on Ubuntu 24.04 chiseled (noble), glibc\n"
        ));
        assert_eq!(hover_at(text, "AS base"), None);
        assert_eq!(hover_at(text, "FROM"), None);
    }

    #[test]
    fn derived_stages_show_the_image_they_are_built_on() {
        let text = "ARG V=10.0\nFROM mcr.microsoft.com/dotnet/aspnet:${V} AS base\nFROM base AS publish\nFROM --platform=linux/arm64 publish AS final\n";
        let found = hover_at(text, "publish AS final").expect("hover");
        assert_eq!(&text[found.range.as_range()], "publish");
        let image = crate::images::hover::image_hover_markdown(
            &ImageRef::parse_expanded(
                "mcr.microsoft.com/dotnet/aspnet:10.0",
                "mcr.microsoft.com/dotnet/aspnet:${V}",
                false,
            ),
            "2026-11-26",
            Some("linux/arm64"),
        );
        assert_eq!(
            found.markdown,
            format!("Derives from stage `publish`, built on stage `base`.\n\n{image}\n[Registry page](https://mcr.microsoft.com/product/dotnet/aspnet/about)\n")
        );
        assert!(image.contains("Resolved from `mcr.microsoft.com/dotnet/aspnet:${V}`."));
        assert!(image.contains("\nSmaller alternatives (arm64):\n"));
    }

    #[test]
    fn platforms_with_variables_fall_back_to_the_configured_one() {
        let text = "ARG P=linux/arm/v7\nFROM --platform=$P alpine:3.20 AS a\nFROM --platform=$BUILDPLATFORM alpine:3.20 AS b\nFROM alpine:3.20 AS c\n";
        let analysis = analyze(text, &test_env());
        let env = test_env();
        let platforms: Vec<String> = analysis
            .model
            .stages
            .iter()
            .map(|stage| platform_of(&analysis.model, stage, &env))
            .collect();
        assert_eq!(platforms, ["linux/arm/v7", "linux/amd64", "linux/amd64"]);
    }

    fn with_registry(
        answers: impl IntoIterator<Item = (String, crate::images::registry::RemoteLookup)>,
    ) -> AnalysisEnv {
        AnalysisEnv {
            registry: Some(test_support::CachedAnswers::new(answers)),
            ..test_env()
        }
    }

    fn hover_with(text: &str, needle: &str, env: &AnalysisEnv) -> Option<Hover> {
        let analysis = analyze(text, env);
        let offset = text.find(needle).expect("needle") + 1;
        hover(&analysis, offset, env)
    }

    #[test]
    fn images_outside_the_catalog_show_the_registry_answer() {
        let env = with_registry([
            test_support::found(
                "localhost:5000/team/base:1.0",
                vec![
                    test_support::linux("amd64", 3 * 1024 * 1024),
                    test_support::linux("arm64/v8", 1024 * 1024),
                ],
                &["1.0", "latest"],
            ),
            test_support::missing("localhost:5000/team/base:9.9", true, &["1.0", "latest"]),
        ]);
        let text = "ARG V=1.0\nFROM --platform=linux/arm64 localhost:5000/team/base:$V AS a\nFROM localhost:5000/team/base:9.9 AS b\nFROM localhost:5000/team/other:1 AS c\n";
        let digest = format!("sha256:{}", "c".repeat(64));
        assert_eq!(
            hover_with(text, "localhost:5000/team/base:$V", &env).map(|h| h.markdown),
            Some(format!(
                "`localhost:5000/team/base:1.0`\n\nResolved from `localhost:5000/team/base:$V`.\n\n**1.0 MB** compressed for `linux/arm64/v8` (registry, as of 2026-11-18 11:06 UTC)\n\nPlatforms: `linux/amd64` 3.0 MB · `linux/arm64/v8` 1.0 MB\n\nDigest: `{digest}`\n"
            ))
        );
        assert_eq!(
            hover_with(text, "localhost:5000/team/base:9.9", &env).map(|h| h.markdown),
            Some("`localhost:5000/team/base:9.9`\n\n**Not in the registry**: registry localhost:5000 has no tag `9.9` in team/base (tags: 1.0, latest) (as of 2026-11-18 11:06 UTC)\n".to_string())
        );
        // Not looked up yet: the generic image hover answers.
        assert_eq!(hover_with(text, "localhost:5000/team/other", &env), None);
    }

    #[test]
    fn catalog_images_add_the_live_size_and_digest() {
        let image = "mcr.microsoft.com/dotnet/aspnet:10.0";
        let env = with_registry([test_support::found(
            image,
            vec![test_support::linux("amd64", 95 * 1024 * 1024)],
            &["10.0"],
        )]);
        let found = hover_with(&format!("FROM {image}\n"), "mcr", &env).expect("hover");
        let catalog = crate::images::hover::image_hover_markdown(
            &ImageRef::parse(image),
            "2026-11-26",
            Some("linux/amd64"),
        );
        assert_eq!(
            found.markdown,
            format!(
                "{catalog}\n**95.0 MB** compressed for `linux/amd64` (registry, as of 2026-11-18 11:06 UTC)\n\nPlatforms: `linux/amd64` 95.0 MB\n\nDigest: `sha256:{}`\n\n[Registry page](https://mcr.microsoft.com/product/dotnet/aspnet/about)\n",
                "c".repeat(64)
            )
        );
    }

    #[test]
    fn unresolved_and_missing_images_never_panic() {
        let found = hover_at("FROM ${UNDEFINED} AS x\n", "${").expect("hover");
        assert_eq!(
            found.markdown,
            "`${UNDEFINED}`\n\nThe image depends on a variable without a value here; nothing is known about it.\n"
        );
        assert_eq!(hover_at("FROM\n", "FROM"), None);
        let scratch = hover_at("FROM scratch\n", "scratch").expect("hover");
        assert!(scratch
            .markdown
            .starts_with("`scratch`: the reserved empty image."));
        assert!(!scratch.markdown.contains("Registry page"));
        // Images the catalog knows nothing about are left to the generic image hover...
        assert_eq!(hover_at("FROM nginx:1.27 AS web\n", "nginx"), None);
        // ...unless a stage is built on them.
        let derived = hover_at(
            "FROM nginx:1.27 AS web\nFROM web AS final\n",
            "web AS final",
        )
        .expect("hover");
        assert!(derived
            .markdown
            .starts_with("Derives from stage `web`.\n\n`docker.io/library/nginx:1.27`\n"));
        assert!(derived
            .markdown
            .ends_with("\n[Registry page](https://hub.docker.com/_/nginx)\n"));
    }
}
