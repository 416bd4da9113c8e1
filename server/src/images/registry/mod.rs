//! Live look-ups in an image's registry over the OCI distribution API (opt-in:
//! `registry.enabled`), for images the embedded catalog does not know or to get digests.
//!
//! - [`RegistryService`] owns a background thread running tokio and the `oci-client` crate;
//!   the rest of Dockside stays synchronous and talks to it through [`RegistryService::cached`]
//!   (never blocks), [`RegistryService::request`] (queues a look-up, reported on
//!   [`RegistryService::completions`]) and [`RegistryService::lookup_blocking`] (the CLI).
//! - [`cache`]: results on disk for a time-to-live, so hovers answer at once and offline.
//! - [`credentials`]: the user's Docker config (`auths`), nothing else.
//! - [`fetch`]: the requests themselves: index, platform manifests, tag list.
//! - [`cli`]: `dockside images inspect REF`.
//!
//! With the setting off no [`RegistryService`] exists, so nothing here can open a socket:
//! [`RegistryService::for_config`] is the gate.

pub mod cache;
pub mod cli;
pub mod credentials;
pub mod fetch;
pub mod service;

use std::fmt;

use serde::{Deserialize, Serialize};

use super::catalog::Arch;
use super::format;
use super::reference::ImageRef;

pub use service::{Completion, RegistryOptions, RegistryService};

/// What the registry said about one image reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RemoteLookup {
    Found(RemoteImage),
    NotFound(RemoteAbsence),
}

impl RemoteLookup {
    /// Unix seconds of the answer.
    pub fn checked_at(&self) -> u64 {
        match self {
            RemoteLookup::Found(image) => image.fetched_at,
            RemoteLookup::NotFound(absence) => absence.checked_at,
        }
    }
    pub fn found(&self) -> Option<&RemoteImage> {
        match self {
            RemoteLookup::Found(image) => Some(image),
            RemoteLookup::NotFound(_) => None,
        }
    }
}

/// An image as its registry describes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteImage {
    /// Normalised registry host (`docker.io`, `localhost:5000`).
    pub registry: String,
    pub repository: String,
    /// The tag looked up (`None` when the reference was by digest only).
    pub tag: Option<String>,
    /// Digest of what the reference points to (the index for multi-platform images): the
    /// digest to pin with `@sha256:...`.
    pub digest: String,
    pub media_type: String,
    /// One entry per runnable platform; attestation manifests are left out.
    pub platforms: Vec<RemotePlatform>,
    /// The repository's tags, sorted; `None` when the registry refused to list them.
    pub tags: Option<Vec<String>>,
    /// More tags exist than were fetched.
    #[serde(default)]
    pub tags_truncated: bool,
    /// Unix seconds when the registry answered.
    pub fetched_at: u64,
}

impl RemoteImage {
    /// `registry/repository:tag`, what was looked up.
    pub fn reference(&self) -> String {
        match &self.tag {
            Some(tag) => format!("{}/{}:{tag}", self.registry, self.repository),
            None => format!("{}/{}@{}", self.registry, self.repository, self.digest),
        }
    }

    /// `registry/repository:tag@sha256:...`: the reference with its digest pinned.
    pub fn pinned_reference(&self) -> String {
        match &self.tag {
            Some(tag) => format!(
                "{}/{}:{tag}@{}",
                self.registry, self.repository, self.digest
            ),
            None => format!("{}/{}@{}", self.registry, self.repository, self.digest),
        }
    }

    /// The Linux platform for a catalog architecture (`linux/arm64/v8` for [`Arch::Arm64v8`]);
    /// for a single-platform image whose platform is unknown, that one platform.
    pub fn platform(&self, arch: Arch) -> Option<&RemotePlatform> {
        self.platforms
            .iter()
            .find(|p| p.os == "linux" && Arch::parse(&p.arch_name()) == Some(arch))
            .or_else(|| {
                self.platforms
                    .iter()
                    .find(|p| Arch::parse(&p.arch_name()) == Some(arch))
            })
    }
}

/// One platform manifest of an image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemotePlatform {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
    /// Windows images: the OS build they need.
    pub os_version: Option<String>,
    /// Digest of this platform's manifest.
    pub digest: String,
    /// What a pull downloads: the layers plus the config blob, compressed.
    pub compressed_bytes: u64,
    pub layers: usize,
}

impl RemotePlatform {
    /// `linux/arm64/v8`, Docker's `--platform` spelling.
    pub fn name(&self) -> String {
        match &self.variant {
            Some(variant) => format!("{}/{}/{variant}", self.os, self.architecture),
            None => format!("{}/{}", self.os, self.architecture),
        }
    }
    /// `arm64/v8`, `amd64`.
    fn arch_name(&self) -> String {
        match &self.variant {
            Some(variant) => format!("{}/{variant}", self.architecture),
            None => self.architecture.clone(),
        }
    }
}

/// The registry answered that the reference does not exist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteAbsence {
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
    /// False when the repository itself is unknown to the registry.
    pub repository_exists: bool,
    /// The repository's tags (sorted), when it exists and lists them.
    pub known_tags: Vec<String>,
    pub checked_at: u64,
}

/// Tags listed by name in messages.
pub(crate) const TAGS_SHOWN: usize = 10;

impl RemoteAbsence {
    /// `registry localhost:5000 has no tag `9.9` in team/app (tags: 1.0, 1.1)`.
    pub fn describe(&self) -> String {
        let registry = &self.registry;
        let repository = &self.repository;
        if !self.repository_exists {
            return format!("registry {registry} has no repository {repository}");
        }
        let what = match (&self.digest, &self.tag) {
            (Some(digest), _) => format!("no manifest {digest}"),
            (None, Some(tag)) => format!("no tag `{tag}`"),
            (None, None) => "no such image".to_string(),
        };
        let known = if self.known_tags.is_empty() {
            String::new()
        } else {
            let shown: Vec<&str> = self
                .known_tags
                .iter()
                .take(TAGS_SHOWN)
                .map(String::as_str)
                .collect();
            let more = if self.known_tags.len() > TAGS_SHOWN {
                ", ..."
            } else {
                ""
            };
            format!(" (tags: {}{more})", shown.join(", "))
        };
        format!("registry {registry} has {what} in {repository}{known}")
    }
}

/// Why a look-up produced no answer. Not-found is an answer ([`RemoteLookup::NotFound`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupError {
    pub registry: String,
    /// What was looked up, `registry/repository:tag`.
    pub reference: String,
    pub kind: LookupErrorKind,
    /// A sentence for a log line or a terminal, with the cause and what to do.
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LookupErrorKind {
    /// Connection refused, DNS failure, TLS failure.
    Unreachable,
    Timeout,
    /// 401: no or wrong credentials.
    Unauthorized,
    /// 403: the credentials do not grant pull access.
    Denied,
    RateLimited,
    /// 5xx or an answer that breaks the protocol.
    Server,
    /// The reference cannot be asked for (unresolved variables, invalid reference).
    InvalidReference,
    /// Earlier failures: the registry is left alone for a while.
    BackingOff,
    /// The service's thread is gone.
    Stopped,
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LookupError {}

/// Cached registry answers, as analysis and editor features see them: they read, never wait,
/// never touch the network. [`crate::analysis::AnalysisEnv::registry`] holds one when
/// look-ups are on.
pub trait RegistryLookup: fmt::Debug + Send + Sync {
    /// The last answer for this reference, however old; `None` when never looked up.
    fn cached(&self, reference: &ImageRef) -> Option<RemoteLookup>;

    /// The tags of the reference's repository (sorted as the registry listed them), from any
    /// cached answer about that repository; `None` when none says.
    fn cached_tags(&self, reference: &ImageRef) -> Option<Vec<String>> {
        repository_tags(&self.cached(reference)?)
    }

    /// The digest to pin `reference` to (`sha256:...`; for a multi-platform image the digest
    /// of its index), when the cached answer says the registry has the image.
    fn cached_digest(&self, reference: &ImageRef) -> Option<String> {
        pin_digest(&self.cached(reference)?).map(str::to_string)
    }
}

/// The repository's tags from the newest of `answers` (look-up key, answer) about another tag
/// or digest of the reference's repository.
pub fn repository_tags_among<'a>(
    reference: &ImageRef,
    answers: impl Iterator<Item = (&'a String, &'a RemoteLookup)>,
) -> Option<Vec<String>> {
    if !reference.is_valid() || reference.unresolved().any() || reference.is_scratch() {
        return None;
    }
    let name = reference.full_name();
    let mut same_repository: Vec<&RemoteLookup> = answers
        .filter(|(key, _)| {
            key.strip_prefix(name.as_str())
                .is_some_and(|rest| rest.starts_with([':', '@']))
        })
        .map(|(_, lookup)| lookup)
        .collect();
    // The newest answer knows the most recent tags.
    same_repository.sort_by_key(|lookup| std::cmp::Reverse(lookup.checked_at()));
    same_repository.into_iter().find_map(repository_tags)
}

/// The repository's tags an answer carries: the listed tags of a found image, the known tags
/// of an existing repository without the asked tag.
pub fn repository_tags(lookup: &RemoteLookup) -> Option<Vec<String>> {
    match lookup {
        RemoteLookup::Found(image) => image.tags.clone(),
        RemoteLookup::NotFound(absence) if absence.repository_exists => {
            Some(absence.known_tags.clone())
        }
        RemoteLookup::NotFound(_) => None,
    }
}

/// Markdown lines for a hover: live size for `arch`, platforms, digest, "as of `<time>`".
/// Ends with a newline; meant to follow the catalog's hover text.
pub fn remote_hover_lines(image: &RemoteImage, arch: Arch) -> String {
    let mut out = String::new();
    let as_of = format_utc(image.fetched_at);
    match image.platform(arch) {
        Some(platform) => out.push_str(&format!(
            "**{}** compressed for `{}` (registry, as of {as_of})\n\n",
            format::size(platform.compressed_bytes),
            platform.name()
        )),
        None if image.platforms.is_empty() => out.push_str(&format!(
            "Registry: no platform manifests (as of {as_of})\n\n"
        )),
        None => out.push_str(&format!(
            "No `{}` platform in the registry (as of {as_of})\n\n",
            arch.tag_suffix()
        )),
    }
    if !image.platforms.is_empty() {
        let sizes: Vec<String> = image
            .platforms
            .iter()
            .map(|p| format!("`{}` {}", p.name(), format::size(p.compressed_bytes)))
            .collect();
        out.push_str(&format!("Platforms: {}\n\n", sizes.join(" · ")));
    }
    out.push_str(&format!("Digest: `{}`\n", image.digest));
    out
}

/// The digest to pin a reference to (`@sha256:...`), from the cached answer.
pub fn pin_digest(lookup: &RemoteLookup) -> Option<&str> {
    lookup.found().map(|image| image.digest.as_str())
}

/// `2026-08-25 14:03 UTC`.
pub fn format_utc(unix_seconds: u64) -> String {
    i64::try_from(unix_seconds)
        .ok()
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|time| time.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| "an unknown time".to_string())
}

/// Seconds since the Unix epoch, now.
pub(crate) fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The host names one registry goes by (Docker Hub has three); empty for other registries.
pub fn registry_aliases(registry: &str) -> &'static [&'static str] {
    const DOCKER_HUB_HOSTS: &[&str] = &["docker.io", "index.docker.io", "registry-1.docker.io"];
    if DOCKER_HUB_HOSTS.contains(&registry) {
        DOCKER_HUB_HOSTS
    } else {
        &[]
    }
}

/// The key a reference is cached and de-duplicated under: `registry/repository:tag` or
/// `registry/repository@digest` (a digest wins over a tag: it is what gets pulled).
/// `None` when the reference cannot be looked up.
pub fn lookup_key(reference: &ImageRef) -> Option<String> {
    if !reference.is_valid() || reference.unresolved().any() || reference.is_scratch() {
        return None;
    }
    Some(match (reference.digest(), reference.effective_tag()) {
        (Some(digest), _) => format!("{}@{digest}", reference.full_name()),
        (None, Some(tag)) => format!("{}:{tag}", reference.full_name()),
        (None, None) => return None,
    })
}

#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;
