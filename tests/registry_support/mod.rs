//! A real registry for tests: Debian's `docker-registry` (the CNCF distribution registry)
//! on 127.0.0.1 with a temporary storage directory and a free port, and a pusher that
//! writes blobs and manifests over its HTTP API. Nothing here talks to any other host.

#![allow(dead_code)]

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const OCI_LAYER: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// The registry binary; a missing one fails the test with what to install.
pub fn registry_binary() -> PathBuf {
    for dir in ["/usr/bin", "/usr/local/bin", "/usr/sbin"] {
        let candidate = Path::new(dir).join("docker-registry");
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!(
        "the registry tests need Debian's `docker-registry` package (the CNCF distribution \
         registry): `apt-get install docker-registry`; .ci/run installs it"
    );
}

pub struct Registry {
    child: Option<Child>,
    pub port: u16,
    pub dir: tempfile::TempDir,
    log_path: PathBuf,
    /// The `Authorization` header the pusher sends, when the registry needs one.
    authorization: Option<String>,
    /// Directories that must live as long as the registry.
    keep: Vec<tempfile::TempDir>,
}

impl Registry {
    /// An open registry (no authentication).
    pub fn start() -> Registry {
        Registry::launch(String::new(), None)
    }

    /// A registry that requires `user`/`password` (htpasswd with a bcrypt hash).
    pub fn start_with_htpasswd(user: &str, password: &str) -> Registry {
        let dir = tempfile::tempdir().expect("temp dir for htpasswd");
        let hash = bcrypt::hash(password, 5).expect("bcrypt");
        let htpasswd = dir.path().join("htpasswd");
        std::fs::write(&htpasswd, format!("{user}:{hash}\n")).expect("write htpasswd");
        let auth = format!(
            "auth:\n  htpasswd:\n    realm: dockside-test\n    path: {}\n",
            htpasswd.display()
        );
        let basic = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
        );
        let mut registry = Registry::launch(auth, Some(basic));
        registry.keep.push(dir);
        registry
    }

    /// A registry with the given `auth:` section; the pusher sends `authorization`.
    pub fn start_with_auth(auth_section: String, authorization: Option<String>) -> Registry {
        Registry::launch(auth_section, authorization)
    }

    fn launch(auth_section: String, authorization: Option<String>) -> Registry {
        let binary = registry_binary();
        let dir = tempfile::tempdir().expect("temp dir for the registry");
        let port = free_port();
        let storage = dir.path().join("storage");
        let config = format!(
            "version: 0.1\n\
             log:\n  level: info\n  formatter: text\n\
             storage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\n\
             http:\n  addr: 127.0.0.1:{port}\n  secret: dockside-test-secret\n{auth_section}",
            storage.display()
        );
        let config_path = dir.path().join("config.yml");
        std::fs::write(&config_path, config).expect("write registry config");
        let log_path = dir.path().join("registry.log");
        let mut registry = Registry {
            child: None,
            port,
            dir,
            log_path,
            authorization,
            keep: Vec::new(),
        };
        registry.spawn(&binary, &config_path);
        registry
    }

    fn spawn(&mut self, binary: &Path, config_path: &Path) {
        let log = std::fs::File::create(&self.log_path).expect("registry log");
        let child = Command::new(binary)
            .arg("serve")
            .arg(config_path)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    panic!("docker-registry exited with {status}:\n{}", self.log());
                }
            }
            let answer = self.raw_get("/v2/");
            if matches!(answer, Some(200) | Some(401)) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "docker-registry did not answer on 127.0.0.1:{} within 15 s:\n{}",
                self.port,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `127.0.0.1:PORT`, the registry part of image references.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// The log lines of HTTP requests the registry answered (its access log).
    pub fn request_lines(&self) -> Vec<String> {
        self.log()
            .lines()
            .filter(|line| line.contains("HTTP/1.1\"") || line.contains("HTTP/2.0\""))
            .map(str::to_string)
            .collect()
    }

    /// Stops the registry process (the storage stays).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into()
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http://") {
            path.to_string()
        } else {
            format!("http://{}{path}", self.host())
        }
    }

    fn authorization(&self) -> Option<String> {
        self.authorization.clone()
    }

    /// Status of a GET, `None` when nothing answers.
    fn raw_get(&self, path: &str) -> Option<u16> {
        Registry::agent()
            .get(&self.url(path))
            .call()
            .ok()
            .map(|response| response.status().as_u16())
    }

    /// Uploads a blob (POST then PUT with the digest); returns its digest.
    pub fn push_blob(&self, repository: &str, bytes: &[u8]) -> String {
        let digest = sha256(bytes);
        let agent = Registry::agent();
        let mut start = agent.post(&self.url(&format!("/v2/{repository}/blobs/uploads/")));
        if let Some(auth) = self.authorization() {
            start = start.header("Authorization", &auth);
        }
        let response = start.send_empty().expect("start blob upload");
        assert_eq!(response.status().as_u16(), 202, "blob upload start");
        let location = response
            .headers()
            .get("Location")
            .and_then(|v| v.to_str().ok())
            .expect("upload Location")
            .to_string();
        let separator = if location.contains('?') { '&' } else { '?' };
        let mut finish = agent
            .put(&self.url(&format!("{location}{separator}digest={digest}")))
            .header("Content-Type", "application/octet-stream");
        if let Some(auth) = self.authorization() {
            finish = finish.header("Authorization", &auth);
        }
        let response = finish.send(bytes).expect("finish blob upload");
        assert_eq!(response.status().as_u16(), 201, "blob upload finish");
        digest
    }

    /// Puts a manifest under `reference` (a tag or digest); returns its digest.
    pub fn push_manifest(
        &self,
        repository: &str,
        reference: &str,
        media_type: &str,
        body: &[u8],
    ) -> String {
        let mut request = Registry::agent()
            .put(&self.url(&format!("/v2/{repository}/manifests/{reference}")))
            .header("Content-Type", media_type);
        if let Some(auth) = self.authorization() {
            request = request.header("Authorization", &auth);
        }
        let mut response = request.send(body).expect("put manifest");
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        assert_eq!(status, 201, "manifest put: {text}");
        let digest = sha256(body);
        assert_eq!(
            response
                .headers()
                .get("Docker-Content-Digest")
                .and_then(|v| v.to_str().ok()),
            Some(digest.as_str())
        );
        digest
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn sha256(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local addr").port()
}

/// Deterministic incompressible-looking bytes (xorshift), so layer sizes are exact.
pub fn layer_bytes(size: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..size)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state & 0xff) as u8
        })
        .collect()
}

/// One pushed platform image: its manifest digest and what a pull downloads.
#[derive(Clone, Debug)]
pub struct PushedPlatform {
    pub manifest_digest: String,
    pub manifest_size: usize,
    pub compressed_bytes: u64,
    pub layers: usize,
    pub body: Vec<u8>,
}

/// Pushes a config and layers of the given sizes and a manifest for them (by digest).
pub fn push_platform_image(
    registry: &Registry,
    repository: &str,
    os: &str,
    architecture: &str,
    variant: Option<&str>,
    layer_sizes: &[usize],
) -> PushedPlatform {
    let mut layers = Vec::new();
    let mut total: u64 = 0;
    for (index, size) in layer_sizes.iter().enumerate() {
        let bytes = layer_bytes(*size, (index as u64 + 1) * 7919 + architecture.len() as u64);
        let digest = registry.push_blob(repository, &bytes);
        total += *size as u64;
        layers.push(json!({"mediaType": OCI_LAYER, "digest": digest, "size": size}));
    }
    let mut config = json!({
        "architecture": architecture,
        "os": os,
        "rootfs": {"type": "layers", "diff_ids": []},
        "config": {}
    });
    if let Some(variant) = variant {
        config["variant"] = json!(variant);
    }
    let config_bytes = serde_json::to_vec(&config).expect("config json");
    let config_digest = registry.push_blob(repository, &config_bytes);
    total += config_bytes.len() as u64;
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "digest": config_digest, "size": config_bytes.len()},
        "layers": layers,
    });
    let body = serde_json::to_vec(&manifest).expect("manifest json");
    let digest = sha256(&body);
    registry.push_manifest(repository, &digest, OCI_MANIFEST, &body);
    PushedPlatform {
        manifest_digest: digest,
        manifest_size: body.len(),
        compressed_bytes: total,
        layers: layer_sizes.len(),
        body,
    }
}

/// The images the registry tests use in `team/app`:
/// - `1.0` and `latest`: an OCI index of linux/amd64 (layers 150 000 + 50 000 bytes) and
///   linux/arm64/v8 (one layer of 120 000 bytes), plus a BuildKit-style attestation manifest;
/// - `1.1`: a single linux/amd64 manifest (one layer of 64 000 bytes).
pub struct PushedImages {
    pub index_digest: String,
    pub amd64: PushedPlatform,
    pub arm64: PushedPlatform,
    pub single: PushedPlatform,
}

pub fn push_test_images(registry: &Registry, repository: &str) -> PushedImages {
    let amd64 = push_platform_image(
        registry,
        repository,
        "linux",
        "amd64",
        None,
        &[150_000, 50_000],
    );
    let arm64 = push_platform_image(
        registry,
        repository,
        "linux",
        "arm64",
        Some("v8"),
        &[120_000],
    );
    let attestation = push_platform_image(registry, repository, "unknown", "unknown", None, &[900]);
    let index = json!({
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [
            {"mediaType": OCI_MANIFEST, "digest": amd64.manifest_digest, "size": amd64.manifest_size,
             "platform": {"architecture": "amd64", "os": "linux"}},
            {"mediaType": OCI_MANIFEST, "digest": arm64.manifest_digest, "size": arm64.manifest_size,
             "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}},
            {"mediaType": OCI_MANIFEST, "digest": attestation.manifest_digest, "size": attestation.manifest_size,
             "platform": {"architecture": "unknown", "os": "unknown"},
             "annotations": {"vnd.docker.reference.type": "attestation-manifest",
                             "vnd.docker.reference.digest": amd64.manifest_digest}}
        ]
    });
    let body = serde_json::to_vec(&index).expect("index json");
    let index_digest = registry.push_manifest(repository, "1.0", OCI_INDEX, &body);
    registry.push_manifest(repository, "latest", OCI_INDEX, &body);
    let single = push_platform_image(registry, repository, "linux", "amd64", None, &[64_000]);
    registry.push_manifest(repository, "1.1", OCI_MANIFEST, &single.body);
    PushedImages {
        index_digest,
        amd64,
        arm64,
        single,
    }
}

/// A Docker config directory with `auths` for `host` (`auth` is base64 `user:password`).
pub fn docker_config(dir: &Path, host: &str, user: &str, password: &str) -> PathBuf {
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    let config = json!({"auths": {host: {"auth": auth}}});
    std::fs::create_dir_all(dir).expect("docker config dir");
    let path = dir.join("config.json");
    let mut file = std::fs::File::create(&path).expect("docker config");
    file.write_all(
        serde_json::to_string_pretty(&config)
            .expect("json")
            .as_bytes(),
    )
    .expect("write docker config");
    path
}

/// Value at a JSON pointer as text, for compact assertions.
pub fn text_at(value: &Value, pointer: &str) -> String {
    match value.pointer(pointer) {
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
        None => "<missing>".to_string(),
    }
}
