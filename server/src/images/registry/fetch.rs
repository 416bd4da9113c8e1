//! The requests of one look-up, over the OCI distribution API with `oci-client`: the manifest
//! the reference points to (an index or a single manifest), each platform's manifest for its
//! sizes, the config blob of a single-platform image for its platform, and the tag list.
//!
//! Every HTTP exchange holds a permit of a shared semaphore (at most `max_in_flight` in
//! flight) and has its own timeout. Authentication is oci-client's: it asks `/v2/`, follows a
//! `WWW-Authenticate: Bearer` challenge to the token service (with the user's credentials when
//! the Docker config has some) or falls back to HTTP Basic.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::errors::{OciDistributionError, OciErrorCode};
use oci_client::manifest::{ImageIndexEntry, OciDescriptor, OciImageManifest, OciManifest};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};
use tokio::sync::Semaphore;

use super::credentials::{normalize_host, DockerCredentials};
use super::{
    now_unix, LookupError, LookupErrorKind, RemoteAbsence, RemoteImage, RemoteLookup,
    RemotePlatform,
};
use crate::images::reference::ImageRef;

/// Tags asked for per page, and the most pages read (Docker Hub repositories can have tens of
/// thousands of tags; completion does not need them all).
const TAGS_PAGE: usize = 1000;
const TAGS_MAX_PAGES: usize = 5;
/// Config blobs are a few kB; anything huge is not read.
const CONFIG_MAX_BYTES: i64 = 4 * 1024 * 1024;
const USER_AGENT: &str = concat!("dockside/", env!("CARGO_PKG_VERSION"));

/// What to look up, from an [`ImageRef`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl Target {
    /// `None` for references that cannot be asked for (variables, invalid, `scratch`).
    pub fn from_image_ref(reference: &ImageRef) -> Option<Target> {
        super::lookup_key(reference)?;
        Some(Target {
            registry: reference.registry().to_string(),
            repository: reference.repository().to_string(),
            tag: match reference.digest() {
                Some(_) => reference.tag().map(str::to_string),
                None => reference.effective_tag().map(str::to_string),
            },
            digest: reference.digest().map(str::to_string),
        })
    }

    /// `registry/repository:tag` (or `@digest`), for messages.
    pub fn display(&self) -> String {
        match (&self.digest, &self.tag) {
            (Some(digest), _) => format!("{}/{}@{digest}", self.registry, self.repository),
            (None, Some(tag)) => format!("{}/{}:{tag}", self.registry, self.repository),
            (None, None) => format!("{}/{}", self.registry, self.repository),
        }
    }

    fn oci_reference(&self) -> Reference {
        match (&self.digest, &self.tag) {
            (Some(digest), _) => Reference::with_digest(
                self.registry.clone(),
                self.repository.clone(),
                digest.clone(),
            ),
            (None, tag) => Reference::with_tag(
                self.registry.clone(),
                self.repository.clone(),
                tag.clone().unwrap_or_else(|| "latest".to_string()),
            ),
        }
    }
}

/// Talks to registries. Cheap to share: the client and the semaphore are reference-counted.
pub struct Fetcher {
    client: Client,
    credentials: DockerCredentials,
    insecure: Vec<String>,
    timeout: Duration,
    in_flight: Arc<Semaphore>,
}

/// How a failed request is read.
enum Failure {
    /// The registry says the manifest (or the whole repository) does not exist.
    NotFound {
        repository_unknown: bool,
    },
    Error(LookupErrorKind, String),
}

impl Fetcher {
    /// `insecure`: registries reached over plain HTTP (`localhost:5000`); every other one
    /// over HTTPS only.
    pub fn new(
        insecure: &[String],
        credentials: DockerCredentials,
        timeout: Duration,
        max_in_flight: usize,
    ) -> Fetcher {
        install_crypto_provider();
        let insecure: Vec<String> = insecure.iter().map(|host| normalize_host(host)).collect();
        let config = ClientConfig {
            protocol: ClientProtocol::HttpsExcept(insecure.clone()),
            connect_timeout: Some(timeout),
            read_timeout: Some(timeout),
            // No platform is picked for the caller: every platform of an index is read.
            platform_resolver: None,
            max_concurrent_download: max_in_flight,
            user_agent: USER_AGENT,
            ..ClientConfig::default()
        };
        Fetcher {
            client: Client::new(config),
            credentials,
            insecure,
            timeout,
            in_flight: Arc::new(Semaphore::new(max_in_flight.max(1))),
        }
    }

    pub fn credentials(&self) -> &DockerCredentials {
        &self.credentials
    }

    /// Looks `target` up. A missing tag or repository is an answer, not an error.
    pub async fn lookup(&self, target: &Target) -> Result<RemoteLookup, LookupError> {
        let reference = target.oci_reference();
        let auth = self.auth_for(&target.registry);
        let pulled = self
            .exchange(self.client.pull_manifest(&reference, &auth))
            .await;
        let (manifest, digest) = match pulled {
            Ok(pair) => pair,
            Err(Failure::NotFound { repository_unknown }) => {
                // Registries answer MANIFEST_UNKNOWN for a tag of a repository they do not
                // have; the tag list tells the two apart.
                let (repository_unknown, known_tags) = if repository_unknown {
                    (true, Vec::new())
                } else {
                    match self.tags(&reference, &auth).await {
                        Ok((tags, _)) => (false, tags),
                        Err(Failure::NotFound { .. }) => (true, Vec::new()),
                        Err(Failure::Error(..)) => (false, Vec::new()),
                    }
                };
                return Ok(RemoteLookup::NotFound(RemoteAbsence {
                    registry: target.registry.clone(),
                    repository: target.repository.clone(),
                    tag: target.tag.clone(),
                    digest: target.digest.clone(),
                    repository_exists: !repository_unknown,
                    known_tags,
                    checked_at: now_unix(),
                }));
            }
            Err(Failure::Error(kind, detail)) => return Err(self.error(target, kind, &detail)),
        };
        let media_type = manifest.content_type().to_string();
        let platforms = match manifest {
            OciManifest::ImageIndex(index) => {
                let mut platforms = Vec::new();
                for entry in index.manifests.iter().filter(|e| is_runnable(e)) {
                    let platform_reference = reference.clone_with_digest(entry.digest.clone());
                    let pulled = self
                        .exchange(self.client.pull_manifest(&platform_reference, &auth))
                        .await;
                    match pulled {
                        Ok((OciManifest::Image(image), _)) => {
                            platforms.push(platform_of_entry(entry, &image))
                        }
                        Ok((OciManifest::ImageIndex(_), _)) => {
                            return Err(self.error(
                                target,
                                LookupErrorKind::Server,
                                &format!("index entry {} is itself an index", entry.digest),
                            ))
                        }
                        Err(Failure::NotFound { .. }) => {
                            return Err(self.error(
                                target,
                                LookupErrorKind::Server,
                                &format!(
                                    "the index lists {} but the registry does not have it",
                                    entry.digest
                                ),
                            ))
                        }
                        Err(Failure::Error(kind, detail)) => {
                            return Err(self.error(target, kind, &detail))
                        }
                    }
                }
                platforms
            }
            OciManifest::Image(image) => {
                vec![
                    self.single_platform(&reference, &auth, &image, &digest)
                        .await,
                ]
            }
        };
        let (tags, tags_truncated) = match self.tags(&reference, &auth).await {
            Ok((tags, truncated)) => (Some(tags), truncated),
            Err(_) => (None, false),
        };
        Ok(RemoteLookup::Found(RemoteImage {
            registry: target.registry.clone(),
            repository: target.repository.clone(),
            tag: target.tag.clone(),
            digest,
            media_type,
            platforms,
            tags,
            tags_truncated,
            fetched_at: now_unix(),
        }))
    }

    fn auth_for(&self, registry: &str) -> RegistryAuth {
        match self.credentials.for_registry(registry) {
            Some(credential) => {
                RegistryAuth::Basic(credential.username.clone(), credential.password.clone())
            }
            None => RegistryAuth::Anonymous,
        }
    }

    /// One HTTP exchange (or an auth round trip plus one): a permit, a timeout, a reading of
    /// the error.
    async fn exchange<T>(
        &self,
        request: impl Future<Output = oci_client::errors::Result<T>>,
    ) -> Result<T, Failure> {
        let Ok(_permit) = self.in_flight.acquire().await else {
            return Err(Failure::Error(
                LookupErrorKind::Stopped,
                "the registry service is shutting down".to_string(),
            ));
        };
        match tokio::time::timeout(self.timeout, request).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(classify(&error)),
            Err(_) => Err(Failure::Error(
                LookupErrorKind::Timeout,
                format!("no answer within {} s", self.timeout.as_secs_f32()),
            )),
        }
    }

    /// The tags of the repository, sorted, following `last=` pagination.
    async fn tags(
        &self,
        reference: &Reference,
        auth: &RegistryAuth,
    ) -> Result<(Vec<String>, bool), Failure> {
        let mut tags: Vec<String> = Vec::new();
        let mut truncated = false;
        for page in 0..TAGS_MAX_PAGES {
            let last = tags.last().cloned();
            let response = self
                .exchange(
                    self.client
                        .list_tags(reference, auth, Some(TAGS_PAGE), last.as_deref()),
                )
                .await?;
            let count = response.tags.len();
            tags.extend(response.tags);
            if count < TAGS_PAGE {
                break;
            }
            truncated = page + 1 == TAGS_MAX_PAGES;
        }
        tags.sort();
        tags.dedup();
        Ok((tags, truncated))
    }

    /// A single-platform image names its platform only in its config blob.
    async fn single_platform(
        &self,
        reference: &Reference,
        auth: &RegistryAuth,
        image: &OciImageManifest,
        digest: &str,
    ) -> RemotePlatform {
        let mut platform = RemotePlatform {
            os: "unknown".to_string(),
            architecture: "unknown".to_string(),
            variant: None,
            os_version: None,
            digest: digest.to_string(),
            compressed_bytes: compressed_size(image),
            layers: image.layers.len(),
        };
        if image.config.size > CONFIG_MAX_BYTES {
            return platform;
        }
        self.client
            .store_auth_if_needed(reference.resolve_registry(), auth)
            .await;
        let mut bytes: Vec<u8> = Vec::new();
        let config: &OciDescriptor = &image.config;
        if self
            .exchange(self.client.pull_blob(reference, config, &mut bytes))
            .await
            .is_ok()
        {
            if let Ok(parsed) = serde_json::from_slice::<ImageConfigPlatform>(&bytes) {
                platform.os = parsed.os.unwrap_or(platform.os);
                platform.architecture = parsed.architecture.unwrap_or(platform.architecture);
                platform.variant = parsed.variant;
                platform.os_version = parsed.os_version;
            }
        }
        platform
    }

    fn error(&self, target: &Target, kind: LookupErrorKind, detail: &str) -> LookupError {
        let registry = &target.registry;
        let what = target.display();
        let message = match kind {
            LookupErrorKind::Unauthorized => match self.credentials.for_registry(registry) {
                Some(credential) => format!(
                    "registry {registry} refused the credentials of user `{}` from {} for {what} ({detail}); run `docker login {registry}` again",
                    credential.username,
                    self.credentials_source(),
                ),
                None if self.credentials.in_helper(registry) => format!(
                    "registry {registry} needs credentials for {what}; they are in a Docker credential helper, which Dockside does not run: put them in `auths` of {}",
                    self.credentials_source()
                ),
                None => format!(
                    "registry {registry} needs credentials for {what}; none for it in {} (run `docker login {registry}`)",
                    self.credentials_source()
                ),
            },
            LookupErrorKind::Denied => format!(
                "registry {registry} denied access to {what} ({detail})"
            ),
            LookupErrorKind::Unreachable if !self.insecure.contains(registry) && looks_like_tls_failure(detail) => format!(
                "cannot reach registry {registry} over HTTPS for {what}: {detail}; if it serves plain HTTP, list it in `registry.insecure`"
            ),
            LookupErrorKind::Unreachable => {
                format!("cannot reach registry {registry} for {what}: {detail}")
            }
            LookupErrorKind::Timeout => format!("registry {registry} timed out for {what}: {detail}"),
            LookupErrorKind::RateLimited => {
                format!("registry {registry} is rate-limiting look-ups ({what}): {detail}")
            }
            LookupErrorKind::Server
            | LookupErrorKind::InvalidReference
            | LookupErrorKind::BackingOff
            | LookupErrorKind::Stopped => format!("registry {registry} failed for {what}: {detail}"),
        };
        LookupError {
            registry: registry.clone(),
            reference: what,
            kind,
            message,
        }
    }

    fn credentials_source(&self) -> String {
        match &self.credentials.source {
            Some(path) => path.display().to_string(),
            None => match super::credentials::default_config_path() {
                Some(path) => path.display().to_string(),
                None => "the Docker config".to_string(),
            },
        }
    }
}

#[derive(serde::Deserialize)]
struct ImageConfigPlatform {
    os: Option<String>,
    architecture: Option<String>,
    variant: Option<String>,
    #[serde(rename = "os.version")]
    os_version: Option<String>,
}

/// Attestation manifests (BuildKit's provenance and SBOM) sit in the index as platform
/// `unknown/unknown`; they are not images anyone runs.
fn is_runnable(entry: &ImageIndexEntry) -> bool {
    let attestation = entry.annotations.as_ref().is_some_and(|annotations| {
        annotations
            .get("vnd.docker.reference.type")
            .is_some_and(|kind| kind == "attestation-manifest")
    });
    let unknown_platform = entry
        .platform
        .as_ref()
        .is_some_and(|p| p.os.to_string() == "unknown" || p.architecture.to_string() == "unknown");
    !attestation && !unknown_platform
}

fn platform_of_entry(entry: &ImageIndexEntry, image: &OciImageManifest) -> RemotePlatform {
    let platform = entry.platform.as_ref();
    RemotePlatform {
        os: platform.map_or_else(|| "unknown".to_string(), |p| p.os.to_string()),
        architecture: platform
            .map_or_else(|| "unknown".to_string(), |p| p.architecture.to_string()),
        variant: platform
            .and_then(|p| p.variant.clone())
            .filter(|v| !v.is_empty()),
        os_version: platform.and_then(|p| p.os_version.clone()),
        digest: entry.digest.clone(),
        compressed_bytes: compressed_size(image),
        layers: image.layers.len(),
    }
}

/// What a pull downloads: every layer plus the config blob. Negative sizes (a broken
/// manifest) count as zero.
pub fn compressed_size(image: &OciImageManifest) -> u64 {
    let size = |descriptor: &OciDescriptor| u64::try_from(descriptor.size).unwrap_or(0);
    image.layers.iter().map(size).sum::<u64>() + size(&image.config)
}

fn classify(error: &OciDistributionError) -> Failure {
    use LookupErrorKind as Kind;
    match error {
        OciDistributionError::RegistryError { envelope, .. } => {
            let codes: Vec<&OciErrorCode> = envelope.errors.iter().map(|e| &e.code).collect();
            let messages: Vec<String> = envelope
                .errors
                .iter()
                .map(|e| {
                    if e.message.is_empty() {
                        format!("{:?}", e.code)
                    } else {
                        e.message.clone()
                    }
                })
                .collect();
            let detail = messages.join("; ");
            if codes.contains(&&OciErrorCode::NameUnknown) {
                Failure::NotFound {
                    repository_unknown: true,
                }
            } else if codes
                .iter()
                .any(|code| matches!(code, OciErrorCode::ManifestUnknown | OciErrorCode::NotFound))
            {
                Failure::NotFound {
                    repository_unknown: false,
                }
            } else if codes.contains(&&OciErrorCode::Unauthorized) {
                Failure::Error(Kind::Unauthorized, detail)
            } else if codes.contains(&&OciErrorCode::Denied) {
                Failure::Error(Kind::Denied, detail)
            } else if codes.contains(&&OciErrorCode::Toomanyrequests) {
                Failure::Error(Kind::RateLimited, detail)
            } else {
                Failure::Error(Kind::Server, detail)
            }
        }
        OciDistributionError::ServerError { code, message, .. } => {
            let detail = format!("HTTP {code}{}", short_body(message));
            match code {
                404 => Failure::NotFound {
                    repository_unknown: false,
                },
                401 => Failure::Error(Kind::Unauthorized, detail),
                403 => Failure::Error(Kind::Denied, detail),
                429 => Failure::Error(Kind::RateLimited, detail),
                _ => Failure::Error(Kind::Server, detail),
            }
        }
        OciDistributionError::UnauthorizedError { .. } => {
            Failure::Error(Kind::Unauthorized, "HTTP 401".to_string())
        }
        OciDistributionError::AuthenticationFailure(reason) => Failure::Error(
            Kind::Unauthorized,
            format!("the token service refused{}", short_body(reason)),
        ),
        OciDistributionError::ImageManifestNotFoundError(_) => Failure::NotFound {
            repository_unknown: false,
        },
        OciDistributionError::RequestError(request) => {
            let kind = if request.is_timeout() {
                Kind::Timeout
            } else {
                Kind::Unreachable
            };
            Failure::Error(kind, error_chain(request))
        }
        other => Failure::Error(Kind::Server, other.to_string()),
    }
}

/// `error sending request: connection refused (os error 111)`: the error and its causes,
/// without repeating URLs.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = current {
        let text = error.to_string();
        let text = match text.find(" for url (") {
            Some(at) => text[..at].to_string(),
            None => text,
        };
        if !parts.iter().any(|part| part.contains(&text)) {
            parts.push(text);
        }
        current = error.source();
    }
    parts.join(": ")
}

fn short_body(message: &str) -> String {
    let message = message.trim();
    if message.is_empty() {
        return String::new();
    }
    let short: String = message.chars().take(200).collect();
    format!(": {short}")
}

fn looks_like_tls_failure(detail: &str) -> bool {
    let lower = detail.to_ascii_lowercase();
    [
        "tls",
        "certificate",
        "corrupt message",
        "invalidcontenttype",
        "handshake",
    ]
    .iter()
    .any(|needle| lower.contains(needle))
}

/// reqwest is built without a default TLS backend; ring is installed once per process.
fn install_crypto_provider() {
    // Err means another part of the process installed one first, which is as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_from_references() {
        let target =
            Target::from_image_ref(&ImageRef::parse("localhost:5000/team/app")).expect("target");
        assert_eq!(target.tag.as_deref(), Some("latest"));
        assert_eq!(target.display(), "localhost:5000/team/app:latest");
        let digest = "sha256:".to_string() + &"a".repeat(64);
        let pinned = Target::from_image_ref(&ImageRef::parse(&format!("ubuntu:24.04@{digest}")))
            .expect("target");
        assert_eq!(
            pinned.display(),
            format!("docker.io/library/ubuntu@{digest}")
        );
        assert_eq!(pinned.tag.as_deref(), Some("24.04"));
        assert_eq!(Target::from_image_ref(&ImageRef::parse("app:$V")), None);
        assert_eq!(Target::from_image_ref(&ImageRef::parse("scratch")), None);
        assert_eq!(Target::from_image_ref(&ImageRef::parse("App:1")), None);
    }

    #[test]
    fn tls_failures_are_recognised() {
        assert!(looks_like_tls_failure(
            "error sending request: client error (Connect): received corrupt message of type InvalidContentType"
        ));
        assert!(!looks_like_tls_failure("connection refused (os error 111)"));
    }
}
