//! Completion data for `FROM`: repository names and ranked tags with size and support status.

use super::catalog::{Arch, Catalog, Image, Repository, REGISTRY};
use super::facts::DotnetVersion;
use super::format;
use super::support::SupportStatus;

/// A repository offered after `FROM mcr.microsoft.com/dotnet/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepositoryItem {
    /// `mcr.microsoft.com/dotnet/aspnet`
    pub image_name: String,
    /// `aspnet`
    pub short_name: &'static str,
    pub description: &'static str,
}

/// A tag offered after `FROM mcr.microsoft.com/dotnet/aspnet:`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagItem<'c> {
    pub tag: &'static str,
    pub image: &'c Image,
    /// "91.4 MB · Ubuntu 24.04 (noble) · LTS, until 2028-11-14"
    pub detail: String,
    /// Sort key preserving the ranking (`0000`, `0001`, ...).
    pub sort_text: String,
    pub compressed_bytes: Option<u64>,
    pub dotnet_version: Option<DotnetVersion>,
    pub support: Option<SupportStatus>,
    /// Floating tag (moves with patches), as opposed to a fixed version.
    pub floating: bool,
}

/// (version group, version order, tag class, image position, tag length, tag position): lower first.
type RankKey = (u8, u32, u8, usize, usize, usize);

impl Catalog {
    /// Repositories for image-name completion, in the catalog's order (sdk, aspnet, runtime, ...).
    pub fn repository_items(&self) -> Vec<RepositoryItem> {
        self.repositories
            .iter()
            .map(|repo| RepositoryItem {
                image_name: repo.image_name(),
                short_name: repo.short_name(),
                description: repo.description,
            })
            .collect()
    }

    /// Finds a repository from `aspnet`, `dotnet/aspnet`, `mcr.microsoft.com/dotnet/aspnet` or the
    /// nightly mirror `mcr.microsoft.com/dotnet/nightly/aspnet`.
    pub fn find_repository(&self, name: &str) -> Option<&Repository> {
        let name = name.trim().trim_end_matches('/');
        let name = name
            .strip_prefix(REGISTRY)
            .map(|rest| rest.trim_start_matches('/'))
            .unwrap_or(name);
        let name = name.strip_prefix("dotnet/").unwrap_or(name);
        let name = name.strip_prefix("nightly/").unwrap_or(name);
        self.repositories
            .iter()
            .find(|repo| repo.short_name() == name)
    }

    /// Documented tags of a repository for completion, ranked: the preferred .NET version first (the
    /// project's TargetFramework), then supported versions newest first, then previews, then the rest;
    /// within a version floating tags before fixed ones, `latest` last. Sizes are for `arch`
    /// (a Docker platform or arch name; amd64 when `None` or unknown).
    pub fn tags_for(
        &self,
        repo: &str,
        preferred: Option<DotnetVersion>,
        today: &str,
        arch: Option<&str>,
    ) -> Vec<TagItem<'_>> {
        let Some(repo) = self.find_repository(repo) else {
            return Vec::new();
        };
        let arch = arch.and_then(Arch::parse).unwrap_or(Arch::Amd64);
        let images: Vec<&Image> = self.images_of(repo).collect();
        let mut ranked: Vec<(RankKey, TagItem<'_>)> = Vec::new();
        for (image_position, image) in images.iter().enumerate() {
            let version = image
                .dotnet_version
                .or_else(|| DotnetVersion::parse(image.channel));
            let lifecycle = image.dotnet_version.and_then(|v| self.lifecycle(v));
            let support = lifecycle.map(|life| life.status_on(today));
            let version_group = match (version, support) {
                (Some(v), _) if Some(v) == preferred => 0,
                (_, Some(SupportStatus::Supported { .. } | SupportStatus::Maintenance { .. }))
                | (_, None) => 1,
                (_, Some(SupportStatus::Preview { .. } | SupportStatus::Unknown { .. })) => 2,
                (_, Some(SupportStatus::OutOfSupport { .. })) => 3,
            };
            // Newest first within a group.
            let version_order = version
                .map(|v| u32::MAX - (u32::from(v.major) * 1000 + u32::from(v.minor)))
                .unwrap_or(u32::MAX);
            let size = image.size(arch).map(|size| size.compressed_bytes);
            let mut detail = match size {
                Some(bytes) => format::size(bytes),
                None => format!("no {} image", arch.name()),
            };
            detail.push_str(" · ");
            detail.push_str(&image.os_name());
            if let Some(life) = lifecycle {
                detail.push_str(" · ");
                detail.push_str(&life.status_short(today));
            }
            let channel = image.channel_tag();
            for (tag_position, tag) in image.tags.iter().enumerate() {
                let fixed = *tag == image.product_version
                    || tag
                        .strip_prefix(image.product_version)
                        .is_some_and(|rest| rest.starts_with('-'));
                let class = match (*tag == channel, fixed) {
                    (true, _) => 0,
                    (false, false) => 1,
                    (false, true) => 2,
                };
                let group = if *tag == "latest" { 4 } else { version_group };
                ranked.push((
                    (
                        group,
                        version_order,
                        class,
                        image_position,
                        tag.len(),
                        tag_position,
                    ),
                    TagItem {
                        tag,
                        image,
                        detail: detail.clone(),
                        sort_text: String::new(),
                        compressed_bytes: size,
                        dotnet_version: version.filter(|_| image.dotnet_version.is_some()),
                        support,
                        floating: !fixed,
                    },
                ));
            }
        }
        ranked.sort_by_key(|(key, _)| *key);
        ranked
            .into_iter()
            .enumerate()
            .map(|(position, (_, mut item))| {
                item.sort_text = format!("{position:04}");
                item
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> &'static Catalog {
        Catalog::embedded()
    }

    #[test]
    fn repositories_are_offered_in_catalog_order() {
        let names: Vec<&str> = catalog()
            .repository_items()
            .iter()
            .map(|item| item.short_name)
            .collect();
        assert_eq!(
            names,
            [
                "sdk",
                "aspnet",
                "runtime",
                "runtime-deps",
                "monitor",
                "monitor/base",
                "aspire-dashboard"
            ]
        );
        assert_eq!(
            catalog().repository_items()[1].image_name,
            "mcr.microsoft.com/dotnet/aspnet"
        );
    }

    #[test]
    fn repository_names_are_found_in_any_form() {
        for name in [
            "aspnet",
            "dotnet/aspnet",
            "mcr.microsoft.com/dotnet/aspnet",
            "mcr.microsoft.com/dotnet/nightly/aspnet/",
        ] {
            assert_eq!(
                catalog().find_repository(name).map(|r| r.path),
                Some("dotnet/aspnet"),
                "{name}"
            );
        }
        assert_eq!(
            catalog().find_repository("monitor/base").map(|r| r.path),
            Some("dotnet/monitor/base")
        );
        assert_eq!(catalog().find_repository("nginx"), None);
    }

    #[test]
    fn preferred_version_comes_first_then_supported_newest_first() {
        let tags = catalog().tags_for("aspnet", Some(DotnetVersion::new(8, 0)), "2026-08-25", None);
        let first: Vec<&str> = tags.iter().take(3).map(|item| item.tag).collect();
        assert_eq!(first, ["8.0", "8.0-bookworm-slim", "8.0-alpine"]);
        assert_eq!(
            tags[0].detail,
            "86.2 MB · Debian 12 slim (bookworm) · LTS, maintenance until 2026-11-10"
        );
        assert_eq!(tags[0].sort_text, "0000");
        let first_other = tags
            .iter()
            .find(|item| item.dotnet_version != Some(DotnetVersion::new(8, 0)))
            .map(|item| item.tag);
        assert_eq!(first_other, Some("10.0"));
        assert_eq!(tags.last().map(|item| item.tag), Some("latest"));
    }

    #[test]
    fn without_preference_newest_supported_version_leads_and_previews_follow() {
        let tags = catalog().tags_for(
            "mcr.microsoft.com/dotnet/sdk",
            None,
            "2026-08-25",
            Some("linux/arm64"),
        );
        assert_eq!(tags[0].tag, "10.0");
        assert_eq!(
            tags[0].detail,
            "304.4 MB · Ubuntu 24.04 (noble) · LTS, until 2028-11-14"
        );
        let versions: Vec<String> = tags
            .iter()
            .filter_map(|item| item.dotnet_version.map(|v| v.to_string()))
            .fold(Vec::new(), |mut seen, v| {
                if !seen.contains(&v) {
                    seen.push(v);
                }
                seen
            });
        assert_eq!(versions, ["10.0", "9.0", "8.0", "11.0"]);
        let preview = tags
            .iter()
            .find(|item| item.tag == "11.0-preview")
            .map(|item| item.detail.as_str());
        assert_eq!(
            preview,
            Some("285.8 MB · Ubuntu 26.04 (resolute) · preview, GA 2026-11-10")
        );
    }

    #[test]
    fn out_of_support_versions_sink_after_support_ends() {
        let tags = catalog().tags_for("runtime", None, "2026-12-01", None);
        let versions: Vec<String> = tags
            .iter()
            .filter_map(|item| item.dotnet_version.map(|v| v.to_string()))
            .fold(Vec::new(), |mut seen, v| {
                if !seen.contains(&v) {
                    seen.push(v);
                }
                seen
            });
        assert_eq!(versions, ["11.0", "10.0", "9.0", "8.0"]);
        let net8 = tags
            .iter()
            .find(|item| item.tag == "8.0")
            .map(|item| item.detail.as_str());
        assert_eq!(
            net8,
            Some("75.6 MB · Debian 12 slim (bookworm) · out of support since 2026-11-10")
        );
    }

    #[test]
    fn windows_tags_have_no_arm_size() {
        let tags = catalog().tags_for("aspnet", None, "2026-08-25", Some("arm64"));
        let nano = tags
            .iter()
            .find(|item| item.tag == "10.0-nanoserver-ltsc2025")
            .map(|item| item.detail.as_str());
        assert_eq!(
            nano,
            Some("no arm64 image · Windows Nano Server LTSC 2025 · LTS, until 2028-11-14")
        );
        assert!(catalog()
            .tags_for("nginx", None, "2026-08-25", None)
            .is_empty());
    }
}
