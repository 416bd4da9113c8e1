//! The embedded .NET image catalog ([`crate::images`]) as the [`ImageProvider`] of editor
//! features: hover for Microsoft images, sizes for code lens, repository and tag completion.

use crate::ide::{ImageProvider, ImageSuggestion};
use crate::images::catalog::{Arch, Catalog};
use crate::images::lookup::ImageMatch;
use crate::images::reference::ImageRef;

pub struct CatalogImages {
    catalog: &'static Catalog,
    /// `YYYY-MM-DD`, for support status.
    today: String,
    /// The platform sizes are shown for (amd64 when `None`).
    arch: Option<String>,
}

impl CatalogImages {
    pub fn new(today: impl Into<String>, arch: Option<String>) -> Self {
        CatalogImages {
            catalog: Catalog::embedded(),
            today: today.into(),
            arch,
        }
    }
}

impl ImageProvider for CatalogImages {
    fn describe(&self, reference: &str) -> Option<String> {
        let image = ImageRef::parse(reference);
        match self.catalog.lookup(&image) {
            // Nothing the catalog knows: the generic hover (with the registry link) is better.
            ImageMatch::Other { .. } | ImageMatch::Invalid => None,
            _ => {
                let mut markdown = crate::images::hover::image_hover_markdown_with(
                    self.catalog,
                    &image,
                    &self.today,
                    self.arch.as_deref(),
                );
                if let Some(url) = crate::ide::links::image_page_url(reference) {
                    markdown.push_str(&format!("\n[Registry page]({url})\n"));
                }
                Some(markdown)
            }
        }
    }

    fn compressed_size(&self, reference: &str) -> Option<u64> {
        let arch = self
            .arch
            .as_deref()
            .and_then(Arch::parse)
            .unwrap_or(Arch::Amd64);
        match self.catalog.lookup(&ImageRef::parse(reference)) {
            ImageMatch::Known(known) => known
                .image
                .size(known.arch.unwrap_or(arch))
                .map(|s| s.compressed_bytes),
            _ => None,
        }
    }

    fn complete_names(&self, prefix: &str) -> Vec<ImageSuggestion> {
        let lower = prefix.to_ascii_lowercase();
        self.catalog
            .repository_items()
            .into_iter()
            .filter(|item| {
                item.image_name.starts_with(&lower)
                    || item.short_name.starts_with(&lower)
                    || lower.is_empty()
            })
            .enumerate()
            .map(|(rank, item)| ImageSuggestion {
                label: item.image_name,
                detail: Some(item.description.to_string()),
                documentation: None,
                rank: rank as u32,
            })
            .collect()
    }

    fn complete_tags(&self, repository: &str, prefix: &str) -> Vec<ImageSuggestion> {
        self.catalog
            .tags_for(repository, None, &self.today, self.arch.as_deref())
            .into_iter()
            .filter(|t| t.tag.starts_with(prefix))
            .enumerate()
            .map(|(rank, t)| ImageSuggestion {
                label: t.tag.to_string(),
                detail: Some(t.detail),
                documentation: None,
                rank: rank as u32,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::completion::completions;
    use crate::ide::hover_docs::hover;
    use crate::ide::test_support::{analysis, cursor};
    use crate::ide::IdeEnv;

    #[test]
    fn catalog_completes_dotnet_repositories_and_tags() {
        let images = CatalogImages::new("2026-01-15", None);
        let env = IdeEnv {
            images: Some(&images),
            ..Default::default()
        };
        let (text, offset) = cursor("FROM mcr.microsoft.com/dotnet/a‸");
        let items = completions(&analysis(&text), offset, &env);
        let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "mcr.microsoft.com/dotnet/aspnet",
                "mcr.microsoft.com/dotnet/aspire-dashboard",
                "scratch"
            ]
        );
        let (text, offset) = cursor("FROM mcr.microsoft.com/dotnet/aspnet:10.0-‸");
        let items = completions(&analysis(&text), offset, &env);
        assert!(!items.is_empty());
        assert!(
            items.iter().all(|i| i.label.starts_with("10.0-")),
            "{:?}",
            items.iter().map(|i| &i.label).collect::<Vec<_>>()
        );
        assert!(
            items[0]
                .detail
                .as_deref()
                .is_some_and(|d| d.contains(" MB · ")),
            "{:?}",
            items[0].detail
        );
    }

    #[test]
    fn catalog_describes_microsoft_images_only() {
        let images = CatalogImages::new("2026-01-15", None);
        let env = IdeEnv {
            images: Some(&images),
            ..Default::default()
        };
        let (text, offset) = cursor("FROM mcr.microsoft.com/dotnet/asp‸net:10.0\n");
        let md = hover(&analysis(&text), offset, &env).unwrap().markdown;
        assert!(md.contains("ASP.NET Core"), "{md}");
        assert!(
            md.ends_with(
                "[Registry page](https://mcr.microsoft.com/product/dotnet/aspnet/about)\n"
            ),
            "{md}"
        );
        let (text, offset) = cursor("FROM ngi‸nx:1.27\n");
        let md = hover(&analysis(&text), offset, &env).unwrap().markdown;
        assert_eq!(
            md,
            "**Image** `nginx:1.27`\n\n[Registry page](https://hub.docker.com/_/nginx)"
        );
        assert!(images
            .compressed_size("mcr.microsoft.com/dotnet/aspnet:10.0")
            .is_some_and(|s| s > 10_000_000));
        assert_eq!(images.compressed_size("nginx"), None);
    }
}
