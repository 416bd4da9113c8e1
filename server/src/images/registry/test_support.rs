//! Registry answers for unit tests of the features that read them (hover, inlay hints,
//! completion, rules): a map from look-up key to answer, as the service's cache holds them.
//! The look-ups themselves are tested end to end against a real registry (`tests/registry_*`).

use std::collections::HashMap;
use std::sync::Arc;

use super::{
    lookup_key, repository_tags, repository_tags_among, RegistryLookup, RemoteAbsence, RemoteImage,
    RemoteLookup, RemotePlatform,
};
use crate::images::ImageRef;

/// 2026-11-18 11:06 UTC.
pub const CHECKED_AT: u64 = 1_795_000_000;

#[derive(Debug, Default)]
pub struct CachedAnswers(pub HashMap<String, RemoteLookup>);

/// Answers the way the service does: by key, and tags from any answer about the repository.
impl RegistryLookup for CachedAnswers {
    fn cached(&self, reference: &ImageRef) -> Option<RemoteLookup> {
        self.0.get(&lookup_key(reference)?).cloned()
    }

    fn cached_tags(&self, reference: &ImageRef) -> Option<Vec<String>> {
        self.cached(reference)
            .as_ref()
            .and_then(repository_tags)
            .or_else(|| repository_tags_among(reference, self.0.iter()))
    }
}

impl CachedAnswers {
    pub fn new(answers: impl IntoIterator<Item = (String, RemoteLookup)>) -> Arc<CachedAnswers> {
        Arc::new(CachedAnswers(answers.into_iter().collect()))
    }
}

/// A linux platform of `bytes` compressed bytes, `arch` like `amd64` or `arm64/v8`.
pub fn linux(arch: &str, bytes: u64) -> RemotePlatform {
    let (architecture, variant) = match arch.split_once('/') {
        Some((architecture, variant)) => (architecture, Some(variant.to_string())),
        None => (arch, None),
    };
    RemotePlatform {
        os: "linux".to_string(),
        architecture: architecture.to_string(),
        variant,
        os_version: None,
        digest: format!("sha256:{}", "b".repeat(64)),
        compressed_bytes: bytes,
        layers: 1,
    }
}

/// The registry has `reference` (an index with `platforms`), in a repository with `tags`.
pub fn found(
    reference: &str,
    platforms: Vec<RemotePlatform>,
    tags: &[&str],
) -> (String, RemoteLookup) {
    let image = ImageRef::parse(reference);
    (
        lookup_key(&image).unwrap_or_default(),
        RemoteLookup::Found(RemoteImage {
            registry: image.registry().to_string(),
            repository: image.repository().to_string(),
            tag: image.effective_tag().map(str::to_string),
            digest: format!("sha256:{}", "c".repeat(64)),
            media_type: "application/vnd.oci.image.index.v1+json".to_string(),
            platforms,
            tags: Some(tags.iter().map(|tag| tag.to_string()).collect()),
            tags_truncated: false,
            fetched_at: CHECKED_AT,
        }),
    )
}

/// The registry has no `reference`; the repository exists when `repository_exists`, with
/// `known_tags`.
pub fn missing(
    reference: &str,
    repository_exists: bool,
    known_tags: &[&str],
) -> (String, RemoteLookup) {
    let image = ImageRef::parse(reference);
    (
        lookup_key(&image).unwrap_or_default(),
        RemoteLookup::NotFound(RemoteAbsence {
            registry: image.registry().to_string(),
            repository: image.repository().to_string(),
            tag: if image.digest().is_some() {
                image.tag()
            } else {
                image.effective_tag()
            }
            .map(str::to_string),
            digest: image.digest().map(str::to_string),
            repository_exists,
            known_tags: known_tags.iter().map(|tag| tag.to_string()).collect(),
            checked_at: CHECKED_AT,
        }),
    )
}
