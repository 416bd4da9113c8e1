//! Hover on the image of a `FROM` line: what the image is, its size for the platform that
//! applies, shell, package manager, user, port, support status and smaller alternatives, from
//! the embedded catalog ([`crate::images::hover`]). A stage built `FROM` another stage shows the
//! image it ends up on.

use crate::analysis::{Analysis, AnalysisEnv};
use crate::ide::links::image_page_url;
use crate::images::hover::image_hover_markdown;
use crate::images::{Catalog, ImageMatch, ImageRef};
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
    if unknown && root.index == stage.index {
        return None;
    }
    let platform = platform_of(&analysis.model, stage, env);
    let mut body = image_hover_markdown(&reference, &env.today, Some(&platform));
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
