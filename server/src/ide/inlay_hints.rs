//! Inlay hints: the compressed size of a FROM image (from the image catalog), after the image
//! reference, e.g. `FROM mcr.microsoft.com/dotnet/aspnet:9.0 · 88.1 MB`.

use crate::analysis::Analysis;
use crate::ide::IdeEnv;
use crate::model::BaseImage;
use crate::text::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint is shown (just after this offset).
    pub offset: usize,
    pub label: String,
    pub tooltip: Option<String>,
}

/// Hints in `range` (the visible part of the document).
pub fn inlay_hints(analysis: &Analysis, range: TextRange, env: &IdeEnv) -> Vec<InlayHint> {
    let Some(images) = env.images else {
        return Vec::new();
    };
    analysis
        .model
        .stages
        .iter()
        .filter_map(|stage| {
            let BaseImage::Image { word, resolved } = &stage.base else {
                return None;
            };
            if !resolved.is_complete()
                || word.range.end() < range.start()
                || word.range.end() > range.end()
            {
                return None;
            }
            let size = images.compressed_size(&resolved.text)?;
            Some(InlayHint {
                offset: word.range.end(),
                label: crate::ide::code_lens::format_size(size),
                tooltip: Some(format!(
                    "Compressed size of {} (what a pull downloads)",
                    resolved.text
                )),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::test_support::analysis;
    use crate::ide::ImageProvider;

    struct Catalog;
    impl ImageProvider for Catalog {
        fn compressed_size(&self, reference: &str) -> Option<u64> {
            (reference == "mcr.microsoft.com/dotnet/aspnet:9.0").then_some(92_400_000)
        }
    }

    #[test]
    fn sizes_after_known_images_in_the_range() {
        let text =
            "ARG V=9.0\nFROM mcr.microsoft.com/dotnet/aspnet:$V AS base\nFROM nginx\nFROM base\n";
        let a = analysis(text);
        let env = IdeEnv {
            images: Some(&Catalog),
            ..Default::default()
        };
        let hints = inlay_hints(&a, TextRange::new(0, text.len()), &env);
        assert_eq!(
            hints,
            vec![InlayHint {
                offset: text.find(" AS base").unwrap(),
                label: "88.1 MB".to_string(),
                tooltip: Some("Compressed size of mcr.microsoft.com/dotnet/aspnet:9.0 (what a pull downloads)".to_string()),
            }]
        );
        assert!(inlay_hints(
            &a,
            TextRange::new(text.find("FROM nginx").unwrap(), text.len()),
            &env
        )
        .is_empty());
        assert!(inlay_hints(&a, TextRange::new(0, text.len()), &IdeEnv::default()).is_empty());
    }
}
