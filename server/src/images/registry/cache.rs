//! Registry answers on disk, one small JSON file per reference, in the user's cache directory
//! (`$XDG_CACHE_HOME/dockside/registry` on Linux; `DOCKSIDE_CACHE_DIR` overrides it). An answer
//! stays fresh for the time-to-live (default 24 h; a "not found" for at most an hour, since a
//! missing tag is often pushed soon after); stale answers are still served until a refresh
//! replaces them, so an offline editor keeps what it knew.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::RemoteLookup;

pub const DEFAULT_TTL: Duration = Duration::from_secs(24 * 60 * 60);
const NOT_FOUND_MAX_TTL: Duration = Duration::from_secs(60 * 60);
const FORMAT_VERSION: u32 = 1;
/// Environment variable naming the cache directory (tests, sandboxes).
pub const CACHE_DIR_ENV: &str = "DOCKSIDE_CACHE_DIR";

#[derive(Clone, Debug)]
pub struct DiskCache {
    /// `None`: no cache directory could be found; nothing is persisted.
    dir: Option<PathBuf>,
    ttl: Duration,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    key: String,
    lookup: RemoteLookup,
}

impl DiskCache {
    pub fn new(dir: Option<PathBuf>, ttl: Duration) -> DiskCache {
        DiskCache { dir, ttl }
    }

    /// `$DOCKSIDE_CACHE_DIR/registry`, else `<user cache dir>/dockside/registry`.
    pub fn default_dir() -> Option<PathBuf> {
        match std::env::var_os(CACHE_DIR_ENV) {
            Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir).join("registry")),
            _ => dirs::cache_dir().map(|dir| dir.join("dockside").join("registry")),
        }
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// The stored answer for `key`, however old. Unreadable or foreign files count as absent.
    pub fn read(&self, key: &str) -> Option<RemoteLookup> {
        let path = self.path_for(key)?;
        let bytes = std::fs::read(path).ok()?;
        let file: CacheFile = serde_json::from_slice(&bytes).ok()?;
        (file.version == FORMAT_VERSION && file.key == key).then_some(file.lookup)
    }

    /// Stores an answer; written to a temporary file and renamed, so a reader never sees half
    /// a file.
    pub fn write(&self, key: &str, lookup: &RemoteLookup) -> Result<(), String> {
        let Some(path) = self.path_for(key) else {
            return Ok(());
        };
        let Some(dir) = path.parent() else {
            return Ok(());
        };
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the cache directory {}: {e}", dir.display()))?;
        let file = CacheFile {
            version: FORMAT_VERSION,
            key: key.to_string(),
            lookup: lookup.clone(),
        };
        let json = serde_json::to_vec(&file).map_err(|e| format!("cannot encode: {e}"))?;
        let temporary = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&temporary, json)
            .and_then(|()| std::fs::rename(&temporary, &path))
            .map_err(|e| {
                let _ = std::fs::remove_file(&temporary);
                format!("cannot write {}: {e}", path.display())
            })
    }

    /// Whether an answer is recent enough not to ask again.
    pub fn is_fresh(&self, lookup: &RemoteLookup, now_unix: u64) -> bool {
        let ttl = match lookup {
            RemoteLookup::Found(_) => self.ttl,
            RemoteLookup::NotFound(_) => self.ttl.min(NOT_FOUND_MAX_TTL),
        };
        // An answer from the future (clock changed) is not trusted as fresh.
        lookup.checked_at() <= now_unix && now_unix - lookup.checked_at() < ttl.as_secs()
    }

    fn path_for(&self, key: &str) -> Option<PathBuf> {
        Some(self.dir.as_ref()?.join(file_name(key)))
    }
}

/// A readable, collision-free file name: the key with unsafe characters replaced, plus a hash
/// of the exact key (`localhost_5000_team_app_1.0-3f1c...json`).
fn file_name(key: &str) -> String {
    let readable: String = key
        .chars()
        .take(80)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{readable}-{:016x}.json", fnv1a(key.as_bytes()))
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::registry::{RemoteAbsence, RemoteImage};

    fn found(at: u64) -> RemoteLookup {
        RemoteLookup::Found(RemoteImage {
            registry: "localhost:5000".into(),
            repository: "team/app".into(),
            tag: Some("1.0".into()),
            digest: "sha256:00".into(),
            media_type: "application/vnd.oci.image.index.v1+json".into(),
            platforms: Vec::new(),
            tags: Some(vec!["1.0".into()]),
            tags_truncated: false,
            fetched_at: at,
        })
    }

    #[test]
    fn round_trip_and_freshness() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = DiskCache::new(Some(dir.path().to_path_buf()), DEFAULT_TTL);
        let key = "localhost:5000/team/app:1.0";
        assert_eq!(cache.read(key), None);
        cache.write(key, &found(1_000)).expect("write");
        assert_eq!(cache.read(key), Some(found(1_000)));
        // Another key with the same readable form does not collide.
        assert_eq!(cache.read("localhost:5000/team/app_1.0"), None);
        assert!(cache.is_fresh(&found(1_000), 1_000 + 86_399));
        assert!(!cache.is_fresh(&found(1_000), 1_000 + 86_400));
        assert!(!cache.is_fresh(&found(5_000), 1_000));
        let missing = RemoteLookup::NotFound(RemoteAbsence {
            registry: "localhost:5000".into(),
            repository: "team/app".into(),
            tag: Some("9".into()),
            digest: None,
            repository_exists: true,
            known_tags: Vec::new(),
            checked_at: 1_000,
        });
        assert!(cache.is_fresh(&missing, 1_000 + 3_599));
        assert!(!cache.is_fresh(&missing, 1_000 + 3_600));
    }

    #[test]
    fn corrupt_files_are_absent() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = DiskCache::new(Some(dir.path().to_path_buf()), DEFAULT_TTL);
        let key = "localhost:5000/team/app:1.0";
        std::fs::write(dir.path().join(file_name(key)), b"{\"version\":1").expect("write");
        assert_eq!(cache.read(key), None);
        cache.write(key, &found(7)).expect("overwrite");
        assert_eq!(cache.read(key), Some(found(7)));
    }

    #[test]
    fn without_a_directory_nothing_is_stored() {
        let cache = DiskCache::new(None, DEFAULT_TTL);
        assert_eq!(cache.write("k", &found(1)), Ok(()));
        assert_eq!(cache.read("k"), None);
    }
}
