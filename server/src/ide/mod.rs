//! Editor features as plain functions over an [`crate::analysis::Analysis`]: hover,
//! completion, symbols, navigation, semantic tokens, ... The `lsp` layer only converts positions and types.
//!
//! Every function here speaks byte offsets and [`TextRange`]s into the analysed text and
//! returns plain types; nothing in `ide/` knows about lsp-types.
//!
//! Knowledge that lives in other layers (the image catalog, the build context, the .NET
//! projects) comes in through the provider traits of [`IdeEnv`], so that each feature works
//! (with less detail) when a provider is absent, and tests can plug in fakes.

pub mod catalog_images;
pub mod code_lens;
pub mod completion;
pub(crate) mod cursor;
pub(crate) mod docs;
pub mod folding;
pub mod formatting;
pub mod hover_docs;
pub mod image_completion;
pub mod image_hover;
pub(crate) mod index;
pub mod inlay_hints;
pub mod links;
pub mod navigation;
pub mod project_files;
pub mod selection_range;
pub mod semantic_tokens;
pub mod signature_help;
pub mod symbols;
pub mod workspace_symbols;

use crate::text::TextRange;

/// A replacement of `range` (byte offsets into the document) by `new_text`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

impl TextEdit {
    pub fn replace(range: TextRange, new_text: impl Into<String>) -> Self {
        TextEdit {
            range,
            new_text: new_text.into(),
        }
    }
    pub fn insert(at: usize, new_text: impl Into<String>) -> Self {
        Self::replace(TextRange::empty(at), new_text)
    }
    pub fn delete(range: TextRange) -> Self {
        Self::replace(range, "")
    }
}

/// Applies non-overlapping edits to a text (in any order). Used by tests and by callers that
/// want the resulting text.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for edit in sorted {
        let start = edit.range.start().clamp(last, text.len());
        let end = edit.range.end().clamp(start, text.len());
        out.push_str(text.get(last..start).unwrap_or(""));
        out.push_str(&edit.new_text);
        last = end;
    }
    out.push_str(text.get(last..).unwrap_or(""));
    out
}

/// An image name or tag to offer in completion (from the image catalog).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageSuggestion {
    /// What is inserted: a repository (`mcr.microsoft.com/dotnet/aspnet`) or a tag (`9.0-alpine`).
    pub label: String,
    /// One line shown next to the label, e.g. `ASP.NET Core runtime, 92 MB`.
    pub detail: Option<String>,
    /// Markdown shown when the item is selected.
    pub documentation: Option<String>,
    /// Lower sorts first; the catalog decides (e.g. current LTS first).
    pub rank: u32,
}

/// What the image catalog (`crate::images`) contributes to editor features. Every method has
/// a default so that an implementation can start small.
pub trait ImageProvider {
    /// Markdown describing an image reference as written after FROM (after ARG substitution),
    /// for hover.
    fn describe(&self, _reference: &str) -> Option<String> {
        None
    }
    /// Compressed size in bytes of the image for the default platform, for code lens.
    fn compressed_size(&self, _reference: &str) -> Option<u64> {
        None
    }
    /// Repository names starting with (or containing) `prefix`, for completion after FROM.
    fn complete_names(&self, _prefix: &str) -> Vec<ImageSuggestion> {
        Vec::new()
    }
    /// Tags of `repository` starting with `prefix`, for completion after `image:`.
    fn complete_tags(&self, _repository: &str, _prefix: &str) -> Vec<ImageSuggestion> {
        Vec::new()
    }
}

/// A file or folder of the build context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextEntry {
    /// The name inside its folder (`Api.csproj`, `src`).
    pub name: String,
    pub is_dir: bool,
    /// Why `.dockerignore` leaves it out of the context (`excluded by .dockerignore line 3:
    /// **/bin`), when it does.
    pub excluded_by: Option<String>,
}

/// What the build context (`crate::context`) contributes: paths for COPY/ADD completion and
/// links.
pub trait BuildContextProvider {
    /// The entries of a folder of the context (`""` is the context root), sorted by name;
    /// entries `.dockerignore` excludes are included with [`ContextEntry::excluded_by`] set.
    fn list_dir(&self, _dir: &str) -> Vec<ContextEntry> {
        Vec::new()
    }
    /// The target of a document link for a COPY/ADD source path relative to the context
    /// (a `file://` URI), when the path exists.
    fn link_target(&self, _path: &str) -> Option<String> {
        None
    }
}

/// What the .NET workspace (`crate::dotnet`) contributes: facts about projects named in
/// `dotnet` commands.
pub trait ProjectProvider {
    /// The target framework(s) of a project given as written in the Dockerfile (a path
    /// relative to the WORKDIR of the command), e.g. `net9.0`.
    fn target_frameworks(&self, _project: &str) -> Option<String> {
        None
    }
}

/// Optional knowledge from other layers. `IdeEnv::default()` gives every feature without it.
#[derive(Clone, Copy, Default)]
pub struct IdeEnv<'a> {
    pub images: Option<&'a dyn ImageProvider>,
    pub context: Option<&'a dyn BuildContextProvider>,
    pub projects: Option<&'a dyn ProjectProvider>,
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::analysis::{analyze, Analysis, AnalysisEnv};

    pub fn analysis(text: &str) -> Analysis {
        analyze(
            text,
            &AnalysisEnv {
                today: "2026-01-15".to_string(),
                ..AnalysisEnv::default()
            },
        )
    }

    /// Splits a text with one `‸` cursor marker into the text and the cursor's byte offset.
    pub fn cursor(marked: &str) -> (String, usize) {
        let at = marked.find('‸').expect("the test text has a ‸ cursor");
        let mut text = marked.to_string();
        text.remove(at);
        (text, at)
    }

    /// The source text of each range.
    pub fn slices(text: &str, ranges: &[crate::text::TextRange]) -> Vec<String> {
        ranges
            .iter()
            .map(|r| text[r.as_range()].to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every feature at every position of every BuildKit corpus file (broken ones included)
    /// and of texts cut in the middle: results or nothing, never a panic.
    #[test]
    fn no_feature_panics_anywhere() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/buildkit/corpus");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            // Every position of a 64 KB line would take minutes in a debug build.
            .filter(|t| t.len() <= 4096)
            .collect();
        texts.sort();
        // Half of the corpus keeps the test fast in debug builds.
        let mut texts: Vec<String> = texts.into_iter().step_by(2).collect();
        let samples: Vec<String> = texts
            .iter()
            .step_by(3)
            .map(|t| t[..crate::text::clamp_to_char_boundary(t, t.len() / 2)].to_string())
            .collect();
        texts.extend(samples);
        texts.push("FROM a\nRUN <<EOF\n$\n".to_string());
        texts.push("# escape=`\nFROM a\nRUN x `\n`\n".to_string());
        let env = IdeEnv::default();
        let options = formatting::FormatOptions::default();
        for text in &texts {
            let a = test_support::analysis(text);
            let whole = TextRange::new(0, text.len());
            semantic_tokens::semantic_tokens(&a);
            folding::folding_ranges(&a);
            links::document_links(&a, &env);
            code_lens::code_lenses(&a, &env);
            formatting::format_document(&a, &options);
            formatting::format_range(&a, whole, &options);
            let mut offset = 0;
            while offset <= text.len() {
                completion::completions(&a, offset, &env);
                hover_docs::hover(&a, offset, &env);
                signature_help::signature_help(&a, offset);
                navigation::references(&a, offset, true);
                navigation::definition(&a, offset);
                let _ = navigation::rename(&a, offset, "renamed");
                selection_range::selection_ranges(&a, offset);
                formatting::format_on_type(&a, offset, '\n', &options);
                formatting::format_on_type(&a, offset, '\\', &options);
                semantic_tokens::semantic_tokens_range(&a, TextRange::new(offset, text.len()));
                offset += text[offset..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }

    #[test]
    fn edits_apply_in_any_order() {
        let edits = vec![
            TextEdit::replace(TextRange::new(4, 5), "X"),
            TextEdit::insert(0, ">"),
            TextEdit::delete(TextRange::new(1, 2)),
        ];
        assert_eq!(apply_edits("abcdef", &edits), ">acdXf");
    }
}
