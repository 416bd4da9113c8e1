//! Matching an [`ImageRef`] against the catalog: what is known about the image it names.

use super::catalog::{
    Arch, Catalog, DeprecatedRepository, Image, PlatformSize, RemovedTags, Repository,
    RetiredVariant, REGISTRY,
};
use super::facts::{
    describe_os_variant, Deprecation, DotnetVersion, ImageFacts, OsFamily, PackageManager, RepoKind,
};
use super::format;
use super::reference::{ImageRef, DOCKER_HUB};
use super::support::Lifecycle;

const NIGHTLY_PREFIX: &str = "dotnet/nightly/";
const MAX_SUGGESTIONS: usize = 3;
/// Alternatives must save at least this much to be worth a mention.
const MIN_SAVING_BYTES: u64 = 2 * 1024 * 1024;
const MAX_ALTERNATIVES: usize = 3;

/// What the catalog knows about an image reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageMatch<'c> {
    /// `FROM scratch`.
    Scratch,
    /// A published tag of a catalogued repository.
    Known(KnownImage<'c>),
    /// A catalogued repository, but the tag matches no published tag.
    UnknownTag(UnknownTag<'c>),
    /// A tag of an out-of-support .NET version or of a retired OS variant: the images exist(ed),
    /// but the catalog has no facts about them beyond the name.
    Retired(RetiredImage<'c>),
    /// A deprecated repository (`mcr.microsoft.com/dotnet/core/*`, Docker Hub `microsoft/dotnet`, ...).
    Deprecated(DeprecatedImage<'c>),
    /// A tag of `mcr.microsoft.com/dotnet/nightly/*` that is not among the released tags; nightly tags
    /// change daily, so it cannot be checked offline.
    NightlyUnlisted { repo: &'c Repository, tag: String },
    /// A catalogued repository pinned by digest only; the catalog has no digests.
    DigestOnly { repo: &'c Repository, nightly: bool },
    /// The reference depends on a variable without a value. `repo` is set when the repository is known.
    Unresolved {
        repo: Option<&'c Repository>,
        nightly: bool,
    },
    /// The reference is malformed (see [`ImageRef::problems`]).
    Invalid,
    /// Anything else: other registries, Docker Hub images, Microsoft images outside the catalog.
    Other { microsoft: bool },
}

/// How a tag pins the image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TagKind {
    /// No tag written: Docker pulls `latest`.
    ImplicitLatest,
    Latest,
    /// Moves with every patch (`10.0`, `10.0-alpine`, `11.0-preview`).
    Floating,
    /// Major-only appliance tag (`monitor:10`), moves with minor versions too.
    Major,
    /// The catalog's exact product version (`10.0.11-noble`).
    Fixed,
    /// An exact version other than the catalog's (older, or newer than the snapshot); facts are the
    /// variant's, sizes are those of the catalog's version.
    FixedOtherVersion {
        version: String,
    },
}

impl TagKind {
    pub fn is_fixed(&self) -> bool {
        matches!(self, TagKind::Fixed | TagKind::FixedOtherVersion { .. })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownImage<'c> {
    pub repo: &'c Repository,
    pub image: &'c Image,
    /// The effective tag (`latest` when none was written).
    pub tag: String,
    pub tag_kind: TagKind,
    /// Architecture pinned by a single-platform tag (`10.0-noble-arm64v8`).
    pub arch: Option<Arch>,
    pub nightly: bool,
    /// Published but undocumented alias tag (e.g. `runtime-deps:8.0-alpine-aot`).
    pub undocumented: bool,
    pub digest: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownTag<'c> {
    pub repo: &'c Repository,
    pub tag: String,
    /// Up to three published tags close to the written one, best first.
    pub suggestions: Vec<String>,
    /// The .NET version the tag starts with, when it names one.
    pub dotnet_version: Option<DotnetVersion>,
    /// An explanation when the tag asks for something that does not exist (a chiseled SDK).
    pub note: Option<&'static str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetiredImage<'c> {
    pub repo: &'c Repository,
    pub tag: String,
    pub dotnet_version: DotnetVersion,
    pub lifecycle: Option<&'c Lifecycle>,
    /// OS variant part of the tag (`bullseye-slim`), if any.
    pub variant: Option<String>,
    /// When the variant was published for this version, if the catalog recorded it.
    pub retired_variant: Option<&'c RetiredVariant>,
    /// Tags removed as a group (8.0/9.0 `sdk:*-aot`).
    pub removed: Option<&'c RemovedTags>,
    /// A current tag to move to, when one is obvious (`8.0-alpine` for `8.0-alpine3.20`).
    pub replacement: Option<String>,
    pub nightly: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeprecatedImage<'c> {
    pub deprecation: &'c DeprecatedRepository,
    /// The written repository, normalised (`docker.io/microsoft/dotnet`).
    pub repository: String,
    pub tag: Option<String>,
    pub kind: RepoKind,
    pub dotnet_version: Option<DotnetVersion>,
    pub lifecycle: Option<&'c Lifecycle>,
    /// The image to use instead (`mcr.microsoft.com/dotnet/aspnet:10.0`).
    pub replacement: String,
}

/// A smaller image for the same app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alternative<'c> {
    pub image: &'c Image,
    pub tag: &'static str,
    pub compressed_bytes: u64,
    pub saving_bytes: u64,
    /// What changes compared to the current image: "no shell", "non-root", "musl", "no ICU", "composite".
    pub notes: Vec<&'static str>,
}

impl Alternative<'_> {
    /// "`10.0-noble-chiseled`: 52.6 MB, -39 MB, no shell, non-root, no ICU"
    pub fn describe(&self) -> String {
        let mut text = format!(
            "`{}`: {}, {}",
            self.tag,
            format::size(self.compressed_bytes),
            format::saving(self.saving_bytes)
        );
        for note in &self.notes {
            text.push_str(", ");
            text.push_str(note);
        }
        text
    }
}

impl Catalog {
    /// What the catalog knows about `reference`.
    pub fn lookup(&self, reference: &ImageRef) -> ImageMatch<'_> {
        if reference.is_scratch() {
            return ImageMatch::Scratch;
        }
        let unresolved = reference.unresolved();
        let microsoft = reference.registry().eq_ignore_ascii_case(REGISTRY) && !unresolved.registry;
        if unresolved.somewhere || unresolved.registry || unresolved.repository {
            let repo = if microsoft && !unresolved.repository && !unresolved.somewhere {
                self.catalog_repository(reference.repository())
            } else {
                None
            };
            return ImageMatch::Unresolved {
                repo: repo.map(|(repo, _)| repo),
                nightly: repo.is_some_and(|(_, nightly)| nightly),
            };
        }
        if !reference.is_valid() {
            return ImageMatch::Invalid;
        }
        if let Some(deprecation) = self
            .deprecated
            .iter()
            .find(|d| d.matches(reference.registry(), reference.repository()))
        {
            return ImageMatch::Deprecated(self.deprecated_image(deprecation, reference));
        }
        if !microsoft {
            return ImageMatch::Other { microsoft: false };
        }
        let Some((repo, nightly)) = self.catalog_repository(reference.repository()) else {
            return ImageMatch::Other { microsoft: true };
        };
        if unresolved.tag || unresolved.digest {
            return ImageMatch::Unresolved {
                repo: Some(repo),
                nightly,
            };
        }
        let Some(tag) = reference.effective_tag() else {
            return ImageMatch::DigestOnly { repo, nightly };
        };
        match self.lookup_tag(repo, tag, reference.tag().is_none()) {
            ImageMatch::Known(mut known) => {
                known.nightly = nightly;
                known.digest = reference.digest().map(str::to_string);
                ImageMatch::Known(known)
            }
            ImageMatch::Retired(mut retired) => {
                retired.nightly = nightly;
                ImageMatch::Retired(retired)
            }
            ImageMatch::UnknownTag(unknown) if nightly => ImageMatch::NightlyUnlisted {
                repo: unknown.repo,
                tag: unknown.tag,
            },
            other => other,
        }
    }

    /// The catalog repository for an `mcr.microsoft.com` path, and whether it is the nightly mirror.
    fn catalog_repository(&self, path: &str) -> Option<(&Repository, bool)> {
        match path.strip_prefix(NIGHTLY_PREFIX) {
            Some(rest) => self
                .repository(&format!("dotnet/{rest}"))
                .map(|repo| (repo, true)),
            None => self.repository(path).map(|repo| (repo, false)),
        }
    }

    /// Looks a tag up in a catalogued repository.
    fn lookup_tag<'c>(&'c self, repo: &'c Repository, tag: &str, implicit: bool) -> ImageMatch<'c> {
        let Some(repo_index) = self.repository_index(repo.path) else {
            return ImageMatch::Other { microsoft: true };
        };
        if let Some(target) = self.tag_target(repo_index, tag) {
            if let Some(image) = self.image(target.image) {
                let tag_kind = if implicit {
                    TagKind::ImplicitLatest
                } else {
                    exact_tag_kind(image, tag)
                };
                return ImageMatch::Known(KnownImage {
                    repo,
                    image,
                    tag: tag.to_string(),
                    tag_kind,
                    arch: target.arch,
                    nightly: false,
                    undocumented: target.undocumented,
                    digest: None,
                });
            }
        }
        let Some(parsed) = TagVersion::parse(tag) else {
            return self.unknown_tag(repo, repo_index, tag, None);
        };
        let Some(version) = parsed.dotnet_version() else {
            return self.unknown_tag(repo, repo_index, tag, Some(&parsed));
        };
        let channel_images: Vec<&Image> = self
            .images
            .iter()
            .filter(|image| {
                image.repo_index == repo_index
                    && DotnetVersion::parse(image.channel) == Some(version)
            })
            .collect();
        let (variant, _arch) = split_arch(parsed.rest);
        if channel_images.is_empty() {
            let lifecycle = repo
                .kind
                .is_dotnet()
                .then(|| self.lifecycle(version))
                .flatten();
            let oldest_current = self
                .images
                .iter()
                .filter(|image| image.repo_index == repo_index)
                .filter_map(|image| DotnetVersion::parse(image.channel))
                .min();
            return match lifecycle {
                Some(lifecycle) if oldest_current.is_some_and(|oldest| version < oldest) => {
                    ImageMatch::Retired(RetiredImage {
                        repo,
                        tag: tag.to_string(),
                        dotnet_version: version,
                        lifecycle: Some(lifecycle),
                        variant: (!variant.is_empty()).then(|| variant.to_string()),
                        retired_variant: self.retired_variant(version, variant, repo.path),
                        removed: None,
                        replacement: self.replacement_in_latest_lts(repo_index, variant),
                        nightly: false,
                    })
                }
                _ => self.unknown_tag(repo, repo_index, tag, Some(&parsed)),
            };
        }
        if let Some(known) =
            self.match_other_version(repo, repo_index, tag, &parsed, &channel_images)
        {
            return known;
        }
        let removed = self.removed.iter().find(|removed| {
            removed.repos.contains(&repo.path)
                && removed
                    .versions
                    .iter()
                    .any(|v| DotnetVersion::parse(v) == Some(version))
                && variant.ends_with(removed.suffix)
        });
        let retired_variant = self.retired_variant(version, variant, repo.path);
        if removed.is_some() || retired_variant.is_some() {
            return ImageMatch::Retired(RetiredImage {
                repo,
                tag: tag.to_string(),
                dotnet_version: version,
                lifecycle: self.lifecycle(version),
                variant: Some(variant.to_string()),
                retired_variant,
                removed,
                replacement: replacement_for_retired(&channel_images, variant, removed),
                nightly: false,
            });
        }
        self.unknown_tag(repo, repo_index, tag, Some(&parsed))
    }

    /// `10.0.5-noble`, `8.0.30-1`, `11.0.0-preview.5`: a version other than the catalog's of a known variant.
    fn match_other_version<'c>(
        &'c self,
        repo: &'c Repository,
        repo_index: usize,
        tag: &str,
        parsed: &TagVersion<'_>,
        channel_images: &[&'c Image],
    ) -> Option<ImageMatch<'c>> {
        let sample = channel_images.first()?;
        let normalized_version = if parsed.patch.is_some() {
            if !plausible_patch(repo.kind, parsed) {
                return None;
            }
            sample.product_version.to_string()
        } else {
            if parsed.prerelease.is_some() != sample.is_preview() {
                return None;
            }
            sample.channel_tag()
        };
        let normalized = if parsed.rest.is_empty() {
            normalized_version
        } else {
            format!("{normalized_version}-{}", parsed.rest)
        };
        let target = self.tag_target(repo_index, &normalized)?;
        let image = self.image(target.image)?;
        let written_version = parsed.version_text.to_string();
        let tag_kind = if parsed.patch.is_some() {
            if written_version == image.product_version && parsed.respin.is_some() {
                TagKind::Fixed
            } else {
                TagKind::FixedOtherVersion {
                    version: written_version,
                }
            }
        } else {
            TagKind::Floating
        };
        Some(ImageMatch::Known(KnownImage {
            repo,
            image,
            tag: tag.to_string(),
            tag_kind,
            arch: target.arch,
            nightly: false,
            undocumented: target.undocumented,
            digest: None,
        }))
    }

    /// The closest tag of the newest LTS version for a variant of an out-of-support version
    /// (`6.0-alpine` -> `10.0-alpine`, `6.0-bullseye-slim` -> `10.0`).
    fn replacement_in_latest_lts(&self, repo_index: usize, variant: &str) -> Option<String> {
        let latest = self.latest_lts()?.version;
        let images: Vec<&Image> = self
            .images
            .iter()
            .filter(|image| image.repo_index == repo_index && image.dotnet_version == Some(latest))
            .collect();
        let channel = images.first()?.channel_tag();
        if variant.is_empty() {
            return Some(channel);
        }
        let same_variant = format!("{channel}-{variant}");
        if self.tag_target(repo_index, &same_variant).is_some() {
            return Some(same_variant);
        }
        replacement_for_retired(&images, variant, None).or(Some(channel))
    }

    fn unknown_tag<'c>(
        &'c self,
        repo: &'c Repository,
        repo_index: usize,
        tag: &str,
        parsed: Option<&TagVersion<'_>>,
    ) -> ImageMatch<'c> {
        let dotnet_version = parsed
            .and_then(TagVersion::dotnet_version)
            .filter(|version| repo.kind.is_dotnet() && self.lifecycle(*version).is_some());
        let note = (repo.kind == RepoKind::Sdk && (tag.contains("chiseled") || tag.contains("distroless") || tag.contains("extra")))
            .then_some("SDK images have no chiseled, distroless or -extra variants: build in `sdk`, then run on `runtime-deps`, `runtime` or `aspnet`.");
        ImageMatch::UnknownTag(UnknownTag {
            repo,
            tag: tag.to_string(),
            suggestions: self.suggestions(repo, repo_index, tag, parsed),
            dotnet_version,
            note,
        })
    }

    /// Did-you-mean candidates for an unknown tag.
    fn suggestions(
        &self,
        repo: &Repository,
        repo_index: usize,
        tag: &str,
        parsed: Option<&TagVersion<'_>>,
    ) -> Vec<String> {
        let mut suggestions: Vec<String> = Vec::new();
        // Version-shaped mistakes first: a runtime version on the SDK, a missing `-preview`,
        // a major-only version.
        if let Some(parsed) = parsed {
            let channel = parsed.dotnet_version().or_else(|| {
                (parsed.minor.is_none() && repo.kind.is_dotnet())
                    .then(|| {
                        parsed
                            .major
                            .parse()
                            .ok()
                            .map(|major| DotnetVersion::new(major, 0))
                    })
                    .flatten()
            });
            let sample = channel.and_then(|channel| {
                self.images.iter().find(|image| {
                    image.repo_index == repo_index
                        && DotnetVersion::parse(image.channel) == Some(channel)
                })
            });
            if let Some(sample) = sample {
                let version = if parsed.patch.is_some() {
                    sample.product_version.to_string()
                } else {
                    sample.channel_tag()
                };
                let candidate = if parsed.rest.is_empty() {
                    version
                } else {
                    format!("{version}-{}", parsed.rest)
                };
                if candidate != tag && self.tag_target(repo_index, &candidate).is_some() {
                    suggestions.push(candidate);
                }
            }
        }

        // `10.0-arm64` -> `10.0-arm64v8`: Docker's platform names are not tag suffixes.
        let query = match tag.rsplit_once('-') {
            Some((head, last)) if split_arch(last).1.is_none() => match Arch::parse(last) {
                Some(arch) => format!("{head}-{}", arch.tag_suffix()),
                None => tag.to_string(),
            },
            _ => tag.to_string(),
        };
        let wants_arch = split_arch(&query).1.is_some();
        // A floating tag is best corrected to a floating tag, a fixed version to a fixed one.
        let wants_fixed = parsed.map(|p| p.patch.is_some());
        let version_prefix = parsed
            .map(|p| p.major_minor_text())
            .filter(|prefix| !prefix.is_empty());
        let mut candidates: Vec<(usize, usize, String)> = self
            .all_tags(repo_index)
            .into_iter()
            .filter(|(_, target)| !target.undocumented && target.arch.is_some() == wants_arch)
            .map(|(candidate, _)| candidate)
            .filter(|candidate| {
                wants_fixed.is_none_or(|fixed| {
                    TagVersion::parse(candidate).is_some_and(|c| c.patch.is_some() == fixed)
                })
            })
            .filter(|candidate| match &version_prefix {
                Some(prefix) if self.has_channel_prefix(repo_index, prefix) => {
                    candidate.starts_with(prefix.as_str())
                }
                _ => true,
            })
            .filter_map(|candidate| {
                let score = similarity_score(&query, &candidate)?;
                Some((score, candidate.len(), candidate))
            })
            .collect();
        candidates.sort();
        for (_, _, candidate) in candidates {
            if suggestions.len() >= MAX_SUGGESTIONS {
                break;
            }
            if !suggestions.contains(&candidate) {
                suggestions.push(candidate);
            }
        }
        suggestions
    }

    fn has_channel_prefix(&self, repo_index: usize, prefix: &str) -> bool {
        self.images.iter().any(|image| {
            image.repo_index == repo_index
                && (image.channel == prefix || image.product_version.starts_with(prefix))
        })
    }

    fn deprecated_image<'c>(
        &'c self,
        deprecation: &'c DeprecatedRepository,
        reference: &ImageRef,
    ) -> DeprecatedImage<'c> {
        let path = reference.repository();
        let tag = reference.tag();
        let last = path.rsplit('/').next().unwrap_or(path);
        // .NET Framework images are another product: no .NET kind, version or lifecycle.
        let framework = deprecation.replacement.contains("/framework/");
        let kind = match deprecation.replacement.rsplit('/').next() {
            _ if framework => RepoKind::Other,
            Some("sdk") => RepoKind::Sdk,
            Some("aspnet") => RepoKind::Aspnet,
            // Docker Hub `microsoft/dotnet:2.1-sdk`: the kind is in the tag.
            _ if deprecation.registry == DOCKER_HUB => {
                tag.map(kind_from_docker_hub_tag).unwrap_or(RepoKind::Other)
            }
            _ => RepoKind::from_repository(last),
        };
        let dotnet_version = tag
            .filter(|_| !framework)
            .and_then(TagVersion::parse)
            .and_then(|parsed| parsed.dotnet_version());
        let lifecycle = dotnet_version.and_then(|version| self.lifecycle(version));
        let latest = self.latest_lts().map(|life| life.version.to_string());
        let nightly = deprecation.pattern.starts_with("dotnet/core-nightly");
        let replacement = match (kind.is_dotnet(), latest) {
            (true, Some(latest)) => {
                let nightly = if nightly { "nightly/" } else { "" };
                format!("{REGISTRY}/dotnet/{nightly}{}:{latest}", kind.short_name())
            }
            _ => deprecation.replacement.to_string(),
        };
        DeprecatedImage {
            deprecation,
            repository: reference.full_name(),
            tag: tag.map(str::to_string),
            kind,
            dotnet_version,
            lifecycle,
            replacement,
        }
    }

    /// The two or three smaller images for the same app (same repository and version) on `arch`.
    pub fn alternatives<'c>(
        &'c self,
        current: &'c Image,
        arch: Arch,
        fixed_tags: bool,
    ) -> Vec<Alternative<'c>> {
        let Some(current_size) = current.size(arch).map(|size| size.compressed_bytes) else {
            return Vec::new();
        };
        let siblings: Vec<&Image> = self
            .images
            .iter()
            .filter(|image| {
                image.repo_index == current.repo_index
                    && image.channel == current.channel
                    && image.is_windows() == current.is_windows()
            })
            .collect();
        let mut candidates: Vec<((u8, u8, u8), u64, &Image)> = siblings
            .iter()
            .copied()
            .filter(|image| {
                !std::ptr::eq(*image, current) && is_preferred_os_version(image, current, &siblings)
            })
            .filter_map(|image| {
                let size = image.size(arch)?.compressed_bytes;
                // Fewer changed flavours first: an -extra image is best replaced by a smaller -extra one.
                let changed_flavours = u8::from(image.is_extra() != current.is_extra())
                    + u8::from(image.is_composite() != current.is_composite())
                    + u8::from(image.is_aot_sdk() != current.is_aot_sdk());
                // Then the current OS family (the smallest change), then the usual preference.
                let rank = (
                    changed_flavours,
                    u8::from(image.os_family() != current.os_family()),
                    family_rank(image),
                );
                (size + MIN_SAVING_BYTES <= current_size).then_some((rank, size, image))
            })
            .collect();
        candidates.sort_by_key(|(rank, size, _)| (*rank, *size));
        candidates
            .into_iter()
            .take(MAX_ALTERNATIVES)
            .map(|(_, size, image)| Alternative {
                image,
                tag: if fixed_tags {
                    image.fixed_tag().unwrap_or(image.primary_tag())
                } else {
                    image.primary_tag()
                },
                compressed_bytes: size,
                saving_bytes: current_size - size,
                notes: differences(current, image),
            })
            .collect()
    }
}

fn replacement_for_retired(
    channel_images: &[&Image],
    variant: &str,
    removed: Option<&RemovedTags>,
) -> Option<String> {
    if let Some(removed) = removed {
        return removed.replacement.map(str::to_string);
    }
    let info = describe_os_variant(variant)?;
    let current = channel_images.iter().find(|image| {
        image.os_family() == info.family
            && image.is_distroless() == info.distroless
            && !image.is_extra()
            && !image.is_composite()
            && !image.is_aot_sdk()
            && (info.family != OsFamily::Alpine || image.is_floating_alpine())
    });
    let current = current.or_else(|| {
        // cbl-mariner was succeeded by Azure Linux.
        (info.family == OsFamily::CblMariner)
            .then(|| {
                channel_images.iter().find(|image| {
                    image.os_family() == OsFamily::AzureLinux
                        && image.is_distroless() == info.distroless
                        && !image.is_extra()
                        && !image.is_composite()
                })
            })
            .flatten()
    })?;
    Some(current.primary_tag().to_string())
}

/// Keeps one OS version per family: the current image's own version if the family has it, else the
/// channel's preferred one (floating Alpine, default Ubuntu, newest Azure Linux). Windows images only
/// match the same Windows release (a container must match its host's release).
fn is_preferred_os_version(image: &Image, current: &Image, siblings: &[&Image]) -> bool {
    let family_members = siblings.iter().filter(|other| {
        other.os_family() == image.os_family()
            && other.is_distroless() == image.is_distroless()
            && other.is_extra() == image.is_extra()
            && other.is_composite() == image.is_composite()
            && other.is_aot_sdk() == image.is_aot_sdk()
            && other.is_windows_server_core() == image.is_windows_server_core()
    });
    let members: Vec<&&Image> = family_members.collect();
    if image.is_windows() {
        return image.distro_version == current.distro_version;
    }
    if members.iter().any(|other| {
        other.os_family() == current.os_family() && other.distro_version == current.distro_version
    }) {
        return image.distro_version == current.distro_version;
    }
    match image.os_family() {
        // `X.Y-alpine` when the family has it; some flavours only have versioned Alpine tags.
        OsFamily::Alpine if members.iter().any(|other| other.is_floating_alpine()) => {
            image.is_floating_alpine()
        }
        OsFamily::Ubuntu => {
            let default_ubuntu = siblings
                .iter()
                .find(|other| other.is_default() && other.os_family() == OsFamily::Ubuntu)
                .map(|other| other.distro_version);
            match default_ubuntu {
                Some(version) => image.distro_version == version,
                None => members
                    .iter()
                    .all(|other| version_at_least(image.distro_version, other.distro_version)),
            }
        }
        _ => members
            .iter()
            .all(|other| version_at_least(image.distro_version, other.distro_version)),
    }
}

fn version_at_least(a: &str, b: &str) -> bool {
    let parse = |text: &str| -> Vec<u32> {
        text.split('.')
            .map(|part| part.parse().unwrap_or(0))
            .collect()
    };
    parse(a) >= parse(b)
}

fn family_rank(image: &Image) -> u8 {
    match (image.os_family(), image.is_distroless()) {
        (OsFamily::Ubuntu, true) => 0,
        (OsFamily::Alpine, _) => 1,
        (OsFamily::AzureLinux, true) => 2,
        (OsFamily::Ubuntu, false) => 3,
        (OsFamily::Debian, _) => 4,
        (OsFamily::AzureLinux, false) => 5,
        (OsFamily::Windows, _) if !image.is_windows_server_core() => 6,
        _ => 7,
    }
}

fn differences(current: &Image, other: &Image) -> Vec<&'static str> {
    let mut notes = Vec::new();
    if current.has_shell() && !other.has_shell() {
        notes.push("no shell");
    }
    match (
        current.is_non_root_by_default(),
        other.is_non_root_by_default(),
    ) {
        (false, true) => notes.push("non-root"),
        (true, false) => notes.push("root"),
        _ => {}
    }
    if current.libc != other.libc {
        if let Some(libc) = other.libc {
            notes.push(libc.name());
        }
    }
    if current.icu == Some(true) && other.icu == Some(false) {
        notes.push("no ICU");
    }
    if !current.is_composite() && other.is_composite() {
        notes.push("composite");
    }
    notes
}

impl Image {
    pub(crate) fn is_windows_server_core(&self) -> bool {
        self.is_windows() && self.os_variant.starts_with("windowsservercore")
    }
}

fn exact_tag_kind(image: &Image, tag: &str) -> TagKind {
    let starts_with_version = |version: &str| {
        tag == version
            || tag
                .strip_prefix(version)
                .is_some_and(|rest| rest.starts_with('-'))
    };
    if tag == "latest" {
        TagKind::Latest
    } else if starts_with_version(image.product_version) {
        TagKind::Fixed
    } else if starts_with_version(&image.channel_tag()) {
        TagKind::Floating
    } else {
        TagKind::Major
    }
}

/// SDK versions have a feature band (`10.0.400`); runtime patches are below 100.
fn plausible_patch(kind: RepoKind, parsed: &TagVersion<'_>) -> bool {
    let Some(patch) = parsed.patch.and_then(|p| p.parse::<u32>().ok()) else {
        return false;
    };
    match kind {
        RepoKind::Sdk => patch >= 100,
        RepoKind::Aspnet | RepoKind::Runtime | RepoKind::RuntimeDeps => patch < 100,
        _ => true,
    }
}

fn kind_from_docker_hub_tag(tag: &str) -> RepoKind {
    if tag.contains("aspnetcore-runtime") {
        RepoKind::Aspnet
    } else if tag.contains("runtime-deps") {
        RepoKind::RuntimeDeps
    } else if tag.contains("-sdk") {
        RepoKind::Sdk
    } else if tag.contains("-runtime") {
        RepoKind::Runtime
    } else {
        RepoKind::Other
    }
}

/// Splits a trailing architecture suffix off a tag remainder (`noble-arm64v8` -> `noble`, arm64).
fn split_arch(rest: &str) -> (&str, Option<Arch>) {
    for arch in Arch::ALL {
        if rest == arch.tag_suffix() {
            return ("", Some(arch));
        }
        if let Some(variant) = rest
            .strip_suffix(arch.tag_suffix())
            .and_then(|r| r.strip_suffix('-'))
        {
            return (variant, Some(arch));
        }
    }
    (rest, None)
}

/// The version at the start of a tag: `10.0`, `10.0.11`, `11.0.0-preview.7`, `11.0-preview`, `8.0.11-1`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct TagVersion<'t> {
    major: &'t str,
    minor: Option<&'t str>,
    patch: Option<&'t str>,
    prerelease: Option<&'t str>,
    respin: Option<&'t str>,
    /// The version text without the respin (`8.0.11`, `11.0.0-preview.7`).
    version_text: &'t str,
    /// What follows the version, without the leading `-` (`noble-chiseled-amd64`).
    rest: &'t str,
}

impl<'t> TagVersion<'t> {
    fn parse(tag: &'t str) -> Option<TagVersion<'t>> {
        let number_end = tag
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(tag.len());
        let numbers = &tag[..number_end];
        if numbers.is_empty()
            || numbers.starts_with('.')
            || numbers.ends_with('.')
            || numbers.contains("..")
        {
            return None;
        }
        let mut parts = numbers.split('.');
        let major = parts.next()?;
        let minor = parts.next();
        let patch = parts.next();
        if parts.next().is_some() {
            return None;
        }
        let mut rest = &tag[number_end..];
        if !(rest.is_empty() || rest.starts_with('-')) {
            return None;
        }
        let mut version_end = number_end;
        let mut prerelease = None;
        for label in ["-preview", "-rc"] {
            if let Some(after) = rest.strip_prefix(label) {
                let number_len = after
                    .strip_prefix('.')
                    .map(|n| n.find(|c: char| !c.is_ascii_digit()).unwrap_or(n.len()) + 1)
                    .unwrap_or(0);
                let after_label = &after[number_len..];
                if after_label.is_empty() || after_label.starts_with('-') {
                    let len = label.len() + number_len;
                    prerelease = Some(&rest[1..len]);
                    version_end += len;
                    rest = after_label;
                }
                break;
            }
        }
        let version_text = &tag[..version_end];
        let mut respin = None;
        if patch.is_some() {
            if let Some(after) = rest.strip_prefix('-') {
                let digits = after
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(after.len());
                if digits > 0 && (after.len() == digits || after[digits..].starts_with('-')) {
                    respin = Some(&after[..digits]);
                    rest = &after[digits..];
                }
            }
        }
        Some(TagVersion {
            major,
            minor,
            patch,
            prerelease,
            respin,
            version_text,
            rest: rest.strip_prefix('-').unwrap_or(rest),
        })
    }

    fn dotnet_version(&self) -> Option<DotnetVersion> {
        DotnetVersion::parse(&format!("{}.{}", self.major, self.minor?))
    }

    fn major_minor_text(&self) -> String {
        match self.minor {
            Some(minor) => format!("{}.{minor}", self.major),
            None => String::new(),
        }
    }
}

/// Lower is closer; `None` when the candidate is too far to suggest.
fn similarity_score(written: &str, candidate: &str) -> Option<usize> {
    let distance = levenshtein(written, candidate);
    let threshold = (written.len() / 4).max(1);
    // A tag that only lacks segments (`10.0-chiseled` -> `10.0-noble-chiseled`) is close too.
    let written_segments: Vec<&str> = written.split('-').collect();
    let mut candidate_segments = candidate.split('-');
    let is_subsequence = written_segments
        .iter()
        .all(|segment| candidate_segments.by_ref().any(|c| c == *segment));
    let extra_segments = candidate
        .split('-')
        .count()
        .saturating_sub(written_segments.len());
    let score = if is_subsequence {
        distance.min(extra_segments)
    } else {
        distance
    };
    (score <= threshold).then_some(score)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a = a.as_bytes();
    let b = b.as_bytes();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

impl<'c> KnownImage<'c> {
    /// The size for `arch` (a Docker platform or arch name), else for the arch the tag pins,
    /// else amd64. `None` when the image has no such platform.
    pub fn size_for(&self, arch: Option<&str>) -> Option<&'c PlatformSize> {
        self.image.size(self.effective_arch(arch))
    }

    /// The architecture sizes refer to: the tag's own, else the requested one, else amd64.
    pub fn effective_arch(&self, arch: Option<&str>) -> Arch {
        self.arch
            .or_else(|| arch.and_then(Arch::parse))
            .unwrap_or(Arch::Amd64)
    }

    /// Inlay hint text: "≈ 91 MB".
    pub fn inlay_hint(&self, arch: Option<&str>) -> Option<String> {
        self.size_for(arch)
            .map(|size| format::approximate_size(size.compressed_bytes))
    }
}

impl<'c> ImageMatch<'c> {
    /// Facts for rules; `None` for images the catalog says nothing about.
    pub fn facts(&self, catalog: &'c Catalog) -> Option<ImageFacts> {
        match self {
            ImageMatch::Scratch => Some(ImageFacts {
                has_shell: Some(false),
                package_manager: Some(PackageManager::None),
                ..ImageFacts::unknown(RepoKind::Other)
            }),
            ImageMatch::Known(known) => Some(known_facts(catalog, known)),
            ImageMatch::UnknownTag(unknown) => Some(ImageFacts {
                dotnet_version: unknown.dotnet_version,
                support_end: unknown
                    .dotnet_version
                    .and_then(|version| catalog.lifecycle(version))
                    .and_then(Lifecycle::end_or_planned),
                ..ImageFacts::unknown(unknown.repo.kind)
            }),
            ImageMatch::Retired(retired) => {
                let info = retired.variant.as_deref().and_then(describe_os_variant);
                let mut facts = ImageFacts {
                    dotnet_version: Some(retired.dotnet_version),
                    support_end: retired.lifecycle.and_then(Lifecycle::end_or_planned),
                    is_nightly: retired.nightly,
                    // An out-of-support version is reported through `support_end`; a deprecation is a
                    // retired variant or removed tag of a version that lives on.
                    deprecation: (retired.removed.is_some()
                        || retired.retired_variant.is_some_and(|_| {
                            retired.lifecycle.is_some_and(|life| {
                                life.version >= oldest_current_version(catalog, retired.repo)
                            })
                        }))
                    .then(|| Deprecation {
                        replacement: retired.replacement.clone().unwrap_or_default(),
                        reason: retired_reason(retired),
                    }),
                    ..ImageFacts::unknown(retired.repo.kind)
                };
                if let Some(info) = info {
                    facts.os_family = Some(info.family);
                    facts.libc = info.libc();
                    facts.has_shell = Some(info.has_shell());
                    facts.package_manager = info.package_manager();
                    facts.distroless = Some(info.distroless);
                }
                Some(facts)
            }
            ImageMatch::Deprecated(deprecated) => Some(ImageFacts {
                dotnet_version: deprecated.dotnet_version,
                support_end: deprecated.lifecycle.and_then(Lifecycle::end_or_planned),
                deprecation: Some(Deprecation {
                    replacement: deprecated.replacement.clone(),
                    reason: deprecated.deprecation.summary.to_string(),
                }),
                ..ImageFacts::unknown(deprecated.kind)
            }),
            ImageMatch::NightlyUnlisted { repo, tag } => {
                let dotnet_version = TagVersion::parse(tag)
                    .and_then(|parsed| parsed.dotnet_version())
                    .filter(|_| repo.kind.is_dotnet());
                Some(ImageFacts {
                    dotnet_version,
                    is_nightly: true,
                    ..ImageFacts::unknown(repo.kind)
                })
            }
            ImageMatch::DigestOnly { repo, nightly }
            | ImageMatch::Unresolved {
                repo: Some(repo),
                nightly,
            } => Some(ImageFacts {
                is_nightly: *nightly,
                ..ImageFacts::unknown(repo.kind)
            }),
            ImageMatch::Unresolved { repo: None, .. }
            | ImageMatch::Invalid
            | ImageMatch::Other { .. } => None,
        }
    }

    pub fn known(&self) -> Option<&KnownImage<'c>> {
        match self {
            ImageMatch::Known(known) => Some(known),
            _ => None,
        }
    }
}

fn oldest_current_version(catalog: &Catalog, repo: &Repository) -> DotnetVersion {
    catalog
        .images
        .iter()
        .filter(|image| image.repo == repo.kind)
        .filter_map(|image| image.dotnet_version)
        .min()
        .unwrap_or(DotnetVersion::new(u16::MAX, 0))
}

fn retired_reason(retired: &RetiredImage<'_>) -> String {
    match (retired.removed, retired.retired_variant) {
        (Some(removed), _) => removed.summary.to_string(),
        (None, Some(variant)) => format!(
            "`{}` images for .NET {} were published {} .. {} and are no longer updated",
            variant.variant, variant.dotnet_version, variant.first_seen, variant.last_seen
        ),
        (None, None) => format!(
            ".NET {} images are no longer published",
            retired.dotnet_version
        ),
    }
}

fn known_facts(catalog: &Catalog, known: &KnownImage<'_>) -> ImageFacts {
    let image = known.image;
    let deprecation = known.undocumented.then(|| Deprecation {
        replacement: image.primary_tag().to_string(),
        reason: "undocumented alias tag, kept for compatibility".to_string(),
    });
    ImageFacts {
        repo_kind: known.repo.kind,
        dotnet_version: image.dotnet_version,
        os_family: Some(image.os_family()),
        libc: image.libc,
        has_shell: Some(image.has_shell()),
        package_manager: Some(image.package_manager),
        non_root_by_default: Some(image.is_non_root_by_default()),
        default_port: image.ports().first().copied(),
        has_icu: image.icu,
        has_tzdata: image.tzdata,
        globalization_invariant: image.globalization_invariant,
        distroless: Some(image.is_distroless()),
        is_nightly: known.nightly,
        is_preview: image.is_preview(),
        deprecation,
        support_end: image
            .dotnet_version
            .and_then(|version| catalog.lifecycle(version))
            .and_then(Lifecycle::end_or_planned),
        from_catalog: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_versions_parse() {
        let v = TagVersion::parse("10.0.11-noble-chiseled-amd64");
        assert_eq!(
            v.as_ref().map(|v| (v.major, v.minor, v.patch, v.rest)),
            Some(("10", Some("0"), Some("11"), "noble-chiseled-amd64"))
        );
        let v = TagVersion::parse("11.0.0-preview.7-resolute");
        assert_eq!(
            v.as_ref().map(|v| (v.prerelease, v.version_text, v.rest)),
            Some((Some("preview.7"), "11.0.0-preview.7", "resolute"))
        );
        let v = TagVersion::parse("11.0-preview");
        assert_eq!(
            v.as_ref().map(|v| (v.prerelease, v.rest)),
            Some((Some("preview"), ""))
        );
        let v = TagVersion::parse("8.0.11-1-alpine");
        assert_eq!(
            v.as_ref().map(|v| (v.respin, v.version_text, v.rest)),
            Some((Some("1"), "8.0.11", "alpine"))
        );
        let v = TagVersion::parse("11.0.0-rc.1");
        assert_eq!(v.as_ref().map(|v| v.prerelease), Some(Some("rc.1")));
        let v = TagVersion::parse("10.0-previewish");
        assert_eq!(
            v.as_ref().map(|v| (v.prerelease, v.rest)),
            Some((None, "previewish"))
        );
        assert_eq!(TagVersion::parse("latest"), None);
        assert_eq!(TagVersion::parse("10.0x"), None);
        assert_eq!(TagVersion::parse(".1"), None);
        assert_eq!(TagVersion::parse("1..2"), None);
        assert_eq!(TagVersion::parse("1.2.3.4"), None);
        assert_eq!(TagVersion::parse(""), None);
    }

    #[test]
    fn similarity() {
        assert_eq!(levenshtein("10.0-alpin", "10.0-alpine"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(
            similarity_score("10.0-chiseled", "10.0-noble-chiseled"),
            Some(1)
        );
        assert_eq!(
            similarity_score("10.0-alpine", "10.0-noble-chiseled-composite-extra"),
            None
        );
    }

    #[test]
    fn arch_suffixes_split() {
        assert_eq!(split_arch("noble-arm64v8"), ("noble", Some(Arch::Arm64v8)));
        assert_eq!(split_arch("amd64"), ("", Some(Arch::Amd64)));
        assert_eq!(split_arch("noble"), ("noble", None));
    }
}
