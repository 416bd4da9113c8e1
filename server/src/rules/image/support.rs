//! What the image rules share: the image of each stage looked up in the embedded catalog, and
//! the image a stage runs on when it is built `FROM` another stage.

use std::rc::Rc;

use rustc_hash::FxHashMap;

use crate::images::{Catalog, ImageFacts, ImageMatch, ImageRef};
use crate::model::{BaseImage, Model};
use crate::rules::RuleContext;
use crate::syntax::{Args, Keyword, SyntaxTree, Word};
use crate::text::TextRange;

/// The image a stage is built `FROM` (an image or `scratch`, not another stage).
pub(crate) struct StageImage<'a> {
    pub stage: usize,
    /// The image word as written.
    pub word: &'a Word,
    /// The reference after substituting global ARGs (shared by the stages of one image).
    pub reference: Rc<ImageRef>,
    pub matched: Rc<ImageMatch<'static>>,
    /// What the catalog knows about `matched`.
    facts: Option<Rc<ImageFacts>>,
    /// The index, in the list of stage images, of the first image with the same reference
    /// (this one's own when it is the first): what depends on the reference alone can be
    /// worked out once per distinct reference.
    pub same_as: usize,
    /// The word's text is exactly its source text and has no variables, so offsets in the
    /// reference are offsets in the source.
    exact: bool,
}

impl StageImage<'_> {
    pub fn facts(&self) -> Option<&ImageFacts> {
        self.facts.as_deref()
    }

    /// The reference as it is pulled (variables substituted), for messages.
    pub fn shown(&self) -> &str {
        self.reference.text()
    }

    /// The source range of the tag, or the whole image word when the tag cannot be mapped
    /// back to the source (variables, quotes) or there is none.
    pub fn tag_range(&self) -> TextRange {
        self.part_range(self.reference.tag_range())
    }

    /// The source range of registry and repository, or the whole image word.
    pub fn name_range(&self) -> TextRange {
        let start = self
            .reference
            .registry_range()
            .unwrap_or(self.reference.repository_range());
        let name = start.cover(self.reference.repository_range());
        self.part_range(Some(name))
    }

    fn part_range(&self, part: Option<TextRange>) -> TextRange {
        match part {
            Some(part) if self.exact && !part.is_empty() => TextRange::new(
                self.word.range.start() + part.start(),
                self.word.range.start() + part.end(),
            ),
            _ => self.word.range,
        }
    }
}

/// The image word of a stage's FROM instruction.
pub(crate) fn from_image_word(tree: &SyntaxTree, from: usize) -> Option<&Word> {
    let instruction = tree.instructions.get(from)?;
    if instruction.keyword != Keyword::From {
        return None;
    }
    match &instruction.args {
        Args::Words(words) => words.first(),
        _ => None,
    }
}

/// The image of every stage that is built from an image or `scratch`, in stage order.
/// Looked up once per analysis and shared by the image rules.
pub(crate) fn stage_images<'c, 'a>(ctx: &'c RuleContext<'a>) -> &'c [StageImage<'a>] {
    ctx.stage_images
        .get_or_init(|| stage_images_of(ctx.text, ctx.tree, ctx.model))
}

pub(crate) fn stage_images_of<'a>(
    text: &str,
    tree: &'a SyntaxTree,
    model: &'a Model,
) -> Vec<StageImage<'a>> {
    let catalog = Catalog::embedded();
    let mut out: Vec<StageImage<'a>> = Vec::new();
    // Each distinct image is parsed and looked up once: (resolved, as written, unresolved),
    // `None` for scratch -> its first stage in `out`.
    type Key<'k> = Option<(&'k str, &'k str, bool)>;
    let mut seen: FxHashMap<Key<'a>, usize> = FxHashMap::default();
    for stage in &model.stages {
        let (word, key) = match &stage.base {
            BaseImage::Image { word, resolved } => (
                word,
                Some((
                    resolved.text.as_str(),
                    word.text.as_str(),
                    !resolved.is_complete(),
                )),
            ),
            BaseImage::Scratch => match from_image_word(tree, stage.from) {
                Some(word) => (word, None),
                None => continue,
            },
            BaseImage::Stage(_) | BaseImage::Missing => continue,
        };
        let (reference, matched, facts, same_as) = match seen.get(&key).and_then(|&i| out.get(i)) {
            Some(same) => (
                same.reference.clone(),
                same.matched.clone(),
                same.facts.clone(),
                same.same_as,
            ),
            None => {
                let reference = match key {
                    Some((resolved, written, unresolved)) => {
                        ImageRef::parse_expanded(resolved, written, unresolved)
                    }
                    None => ImageRef::parse("scratch"),
                };
                let matched = catalog.lookup(&reference);
                let facts = matched.facts(catalog).map(Rc::new);
                seen.insert(key, out.len());
                (Rc::new(reference), Rc::new(matched), facts, out.len())
            }
        };
        let exact = reference.written().is_none()
            && reference.text() == word.text
            && text.get(word.range.as_range()) == Some(word.text.as_str());
        out.push(StageImage {
            stage: stage.index,
            word,
            reference,
            matched,
            facts,
            same_as,
            exact,
        });
    }
    out
}

/// The image stage `stage` runs on: its own, or that of the stage it is built `FROM`.
pub(crate) fn image_of_stage<'i, 'a>(
    model: &Model,
    images: &'i [StageImage<'a>],
    stage: usize,
) -> Option<&'i StageImage<'a>> {
    let root = model.root_stage(stage)?;
    // `images` is in stage order (see `stage_images_of`).
    let at = images
        .binary_search_by_key(&root.index, |image| image.stage)
        .ok()?;
    images.get(at)
}

/// "`mcr.microsoft.com/dotnet/aspnet:10.0` (through stage `base`)" for a stage built on
/// another stage, or just the image.
pub(crate) fn describe_image_of(model: &Model, image: &StageImage<'_>, stage: usize) -> String {
    let through = model
        .stages
        .get(stage)
        .filter(|_| stage != image.stage)
        .and_then(|_| model.stages.get(image.stage))
        .and_then(|root| root.name.as_ref())
        .map(|name| format!(" (the image of stage `{}`)", name.text))
        .unwrap_or_default();
    format!("`{}`{through}", image.shown())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::rules::test_support::test_env;

    #[test]
    fn stage_images_resolve_global_args_and_map_tags_to_the_source() {
        let text = "ARG V=10.0\nFROM mcr.microsoft.com/dotnet/sdk:$V AS build\nFROM build AS publish\nFROM scratch\nFROM mcr.microsoft.com/dotnet/aspnet:10.0-alpine AS final\n";
        let analysis = analyze(text, &test_env());
        let images = stage_images_of(&analysis.text, &analysis.tree, &analysis.model);
        let shown: Vec<(usize, &str)> = images.iter().map(|i| (i.stage, i.shown())).collect();
        assert_eq!(
            shown,
            [
                (0, "mcr.microsoft.com/dotnet/sdk:10.0"),
                (2, "scratch"),
                (3, "mcr.microsoft.com/dotnet/aspnet:10.0-alpine")
            ]
        );
        let slice = |range: TextRange| &text[range.as_range()];
        // Built with a variable: the whole word.
        assert_eq!(
            slice(images[0].tag_range()),
            "mcr.microsoft.com/dotnet/sdk:$V"
        );
        assert_eq!(slice(images[1].tag_range()), "scratch");
        assert_eq!(slice(images[1].name_range()), "scratch");
        assert_eq!(slice(images[2].tag_range()), "10.0-alpine");
        assert_eq!(
            slice(images[2].name_range()),
            "mcr.microsoft.com/dotnet/aspnet"
        );
        let publish = image_of_stage(&analysis.model, &images, 1).map(|i| i.stage);
        assert_eq!(publish, Some(0));
        assert_eq!(
            describe_image_of(&analysis.model, &images[0], 1),
            "`mcr.microsoft.com/dotnet/sdk:10.0` (the image of stage `build`)"
        );
    }
}
