//! Registry credentials from the user's Docker config: `$DOCKER_CONFIG/config.json`, else
//! `~/.docker/config.json`, the `auths` map with base64 `user:password` in `auth` (or
//! `username` / `password`). Credential helpers (`credsStore`, `credHelpers`) are programs;
//! Dockside never runs them, and says so once when a registry is configured that way.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use base64::Engine;
use serde::Deserialize;

use super::registry_aliases;

/// A user name and password (or token) for one registry.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credential({}, <password>)", self.username)
    }
}

/// The credentials found in one Docker config file.
#[derive(Clone, Debug, Default)]
pub struct DockerCredentials {
    /// Where they came from, for messages.
    pub source: Option<PathBuf>,
    by_host: HashMap<String, Credential>,
    /// Hosts whose credentials live in a credential helper.
    helper_hosts: Vec<String>,
    /// A problem reading the file (unreadable, invalid JSON, bad base64), for a log line.
    pub problems: Vec<String>,
}

#[derive(Deserialize)]
struct ConfigFile {
    #[serde(default)]
    auths: HashMap<String, AuthEntry>,
    #[serde(default, rename = "credHelpers")]
    cred_helpers: HashMap<String, String>,
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
}

#[derive(Deserialize, Default)]
struct AuthEntry {
    auth: Option<String>,
    username: Option<String>,
    password: Option<String>,
}

impl DockerCredentials {
    /// The Docker config of the current user (none at all is not a problem).
    pub fn load_default() -> DockerCredentials {
        match default_config_path() {
            Some(path) if path.is_file() => DockerCredentials::load(&path),
            _ => DockerCredentials::default(),
        }
    }

    pub fn load(path: &Path) -> DockerCredentials {
        let mut credentials = DockerCredentials {
            source: Some(path.to_path_buf()),
            ..DockerCredentials::default()
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) => {
                credentials
                    .problems
                    .push(format!("cannot read {}: {error}", path.display()));
                return credentials;
            }
        };
        match serde_json::from_str::<ConfigFile>(&text) {
            Ok(file) => credentials.absorb(file),
            Err(error) => credentials.problems.push(format!(
                "{} is not a valid Docker config, no credentials used: {error}",
                path.display()
            )),
        }
        credentials
    }

    fn absorb(&mut self, file: ConfigFile) {
        let source = self
            .source
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        for (key, entry) in file.auths {
            let host = normalize_host(&key);
            match decode_entry(&entry) {
                Ok(Some(credential)) => {
                    self.by_host.insert(host, credential);
                }
                // `{}` entries are what `docker login` leaves when a credsStore holds the secret.
                Ok(None) => {}
                Err(why) => self
                    .problems
                    .push(format!("{source}: auths.\"{key}\": {why}; ignored")),
            }
        }
        self.helper_hosts = file
            .cred_helpers
            .into_keys()
            .map(|host| normalize_host(&host))
            .collect();
        if file.creds_store.is_some() {
            // Every registry without inline credentials is in the store.
            self.helper_hosts.push("*".to_string());
        }
    }

    /// Credentials for a registry host as [`ImageRef::registry`](super::ImageRef::registry)
    /// names it (`docker.io`, `localhost:5000`).
    pub fn for_registry(&self, registry: &str) -> Option<&Credential> {
        registry_aliases(registry)
            .iter()
            .find_map(|host| self.by_host.get(*host))
            .or_else(|| self.by_host.get(registry))
    }

    /// The registry's credentials are kept by a credential helper Dockside does not run.
    pub fn in_helper(&self, registry: &str) -> bool {
        self.for_registry(registry).is_none()
            && self.helper_hosts.iter().any(|host| {
                host == "*"
                    || host == registry
                    || registry_aliases(registry).iter().any(|alias| alias == host)
            })
    }
}

/// `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
pub fn default_config_path() -> Option<PathBuf> {
    match std::env::var_os("DOCKER_CONFIG") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir).join("config.json")),
        _ => dirs::home_dir().map(|home| home.join(".docker").join("config.json")),
    }
}

fn decode_entry(entry: &AuthEntry) -> Result<Option<Credential>, String> {
    if let Some(auth) = entry.auth.as_deref().filter(|a| !a.is_empty()) {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(auth.trim())
            .map_err(|_| "`auth` is not base64".to_string())?;
        let text = String::from_utf8(bytes).map_err(|_| "`auth` is not UTF-8".to_string())?;
        let (username, password) = text
            .split_once(':')
            .ok_or_else(|| "`auth` is not base64 of `user:password`".to_string())?;
        return Ok(Some(Credential {
            username: username.to_string(),
            password: password.to_string(),
        }));
    }
    match (&entry.username, &entry.password) {
        (Some(username), Some(password)) => Ok(Some(Credential {
            username: username.clone(),
            password: password.clone(),
        })),
        _ => Ok(None),
    }
}

/// `https://index.docker.io/v1/` -> `index.docker.io`; `http://localhost:5000` ->
/// `localhost:5000`; the host part only, lower-case.
pub fn normalize_host(key: &str) -> String {
    let without_scheme = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    without_scheme
        .split('/')
        .next()
        .unwrap_or(without_scheme)
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(json: &str) -> DockerCredentials {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.json");
        std::fs::write(&path, json).expect("write config");
        DockerCredentials::load(&path)
    }

    #[test]
    fn base64_auth_and_plain_fields() {
        // "alice:s3cr:et" — the password may contain ':'.
        let credentials = load(
            r#"{"auths": {
                "localhost:5000": {"auth": "YWxpY2U6czNjcjpldA=="},
                "https://index.docker.io/v1/": {"username": "bob", "password": "pw"},
                "http://registry.example:8080/": {"auth": "Ym9iOnB3"}
            }}"#,
        );
        assert!(
            credentials.problems.is_empty(),
            "{:?}",
            credentials.problems
        );
        let alice = credentials
            .for_registry("localhost:5000")
            .expect("localhost");
        assert_eq!(
            (alice.username.as_str(), alice.password.as_str()),
            ("alice", "s3cr:et")
        );
        let hub = credentials.for_registry("docker.io").expect("docker hub");
        assert_eq!(hub.username, "bob");
        assert_eq!(
            credentials
                .for_registry("registry.example:8080")
                .map(|c| c.username.as_str()),
            Some("bob")
        );
        assert_eq!(credentials.for_registry("ghcr.io"), None);
        assert_eq!(format!("{alice:?}"), "Credential(alice, <password>)");
    }

    #[test]
    fn bad_entries_are_reported_not_fatal() {
        let credentials = load(
            r#"{"auths": {"a.example": {"auth": "!!!"}, "b.example": {"auth": "bm9jb2xvbg=="}, "c.example": {}},
                "credHelpers": {"d.example": "ecr-login"}}"#,
        );
        assert_eq!(credentials.problems.len(), 2, "{:?}", credentials.problems);
        assert!(credentials
            .problems
            .iter()
            .any(|p| p.ends_with("auths.\"a.example\": `auth` is not base64; ignored")));
        assert!(credentials.problems.iter().any(|p| p
            .ends_with("auths.\"b.example\": `auth` is not base64 of `user:password`; ignored")));
        assert!(credentials.in_helper("d.example"));
        assert!(!credentials.in_helper("c.example"));
        assert_eq!(credentials.for_registry("c.example"), None);
    }

    #[test]
    fn invalid_json_gives_a_problem_and_no_credentials() {
        let credentials = load("{not json");
        assert_eq!(credentials.problems.len(), 1);
        assert!(
            credentials.problems[0].contains("is not a valid Docker config, no credentials used")
        );
        assert_eq!(credentials.for_registry("localhost:5000"), None);
    }

    #[test]
    fn hosts_are_normalised() {
        assert_eq!(
            normalize_host("https://index.docker.io/v1/"),
            "index.docker.io"
        );
        assert_eq!(normalize_host("LOCALHOST:5000"), "localhost:5000");
        assert_eq!(normalize_host("ghcr.io"), "ghcr.io");
    }
}
