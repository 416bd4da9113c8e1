//! Reading workspace files: size cap, BOM/UTF-16 decoding, editor overlays, and per-path
//! caches of parsed XML and of existence checks. The caches are what make evaluating
//! thousands of projects that share the same Directory.Build.props cheap.

use rustc_hash::FxHashMap as HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::diagnostic::{WorkspaceDiagnostic, WorkspaceDiagnosticKind};
use super::xml::{self, XmlDocument};
use crate::analysis::Severity;

/// Files larger than this are not read (a 10 MB csproj is an attack or a mistake).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;

/// The result of loading an XML file: its tree, or the diagnostic explaining why not.
pub type XmlLoad = Result<Arc<XmlDocument>, WorkspaceDiagnostic>;

#[derive(Clone, Debug)]
pub struct FileStore {
    max_file_size: u64,
    overlays: HashMap<PathBuf, Arc<str>>,
    xml_cache: HashMap<PathBuf, XmlLoad>,
    exists_cache: HashMap<PathBuf, bool>,
}

impl FileStore {
    pub fn new(max_file_size: u64) -> Self {
        FileStore {
            max_file_size,
            overlays: HashMap::default(),
            xml_cache: HashMap::default(),
            exists_cache: HashMap::default(),
        }
    }

    /// Sets (`Some`) or clears (`None`) the in-memory contents that replace the file on disk,
    /// and forgets everything cached about the path.
    pub fn set_overlay(&mut self, path: &Path, contents: Option<String>) {
        match contents {
            Some(text) => {
                self.overlays.insert(path.to_path_buf(), Arc::from(text));
            }
            None => {
                self.overlays.remove(path);
            }
        }
        self.invalidate(path);
    }

    pub fn invalidate(&mut self, path: &Path) {
        self.xml_cache.remove(path);
        self.exists_cache.remove(path);
    }

    pub fn exists(&mut self, path: &Path) -> bool {
        if self.overlays.contains_key(path) {
            return true;
        }
        if let Some(known) = self.exists_cache.get(path) {
            return *known;
        }
        let exists = path.is_file();
        self.exists_cache.insert(path.to_path_buf(), exists);
        exists
    }

    /// What is known about the path without touching the disk.
    pub fn cached_exists(&self, path: &Path) -> Option<bool> {
        if self.overlays.contains_key(path) {
            return Some(true);
        }
        self.exists_cache.get(path).copied()
    }

    /// Records what the directory walk already knows, so evaluation does not stat it again.
    pub fn remember_exists(&mut self, path: &Path, exists: bool) {
        self.exists_cache.insert(path.to_path_buf(), exists);
    }

    pub fn read_text(&self, path: &Path) -> Result<Arc<str>, WorkspaceDiagnostic> {
        if let Some(text) = self.overlays.get(path) {
            return Ok(text.clone());
        }
        read_text_from_disk(path, self.max_file_size).map(Arc::from)
    }

    pub fn xml(&mut self, path: &Path) -> XmlLoad {
        if let Some(cached) = self.xml_cache.get(path) {
            return cached.clone();
        }
        let loaded = self
            .read_text(path)
            .and_then(|text| parse_xml_file(path, &text));
        self.xml_cache.insert(path.to_path_buf(), loaded.clone());
        loaded
    }
}

/// Parses decoded text as XML, turning a failure into a diagnostic on `path`.
pub fn parse_xml_file(path: &Path, text: &str) -> XmlLoad {
    match xml::parse(text) {
        Ok(document) => Ok(Arc::new(document)),
        Err(error) => {
            let kind = if error.declares_entities {
                WorkspaceDiagnosticKind::XmlEntities
            } else {
                WorkspaceDiagnosticKind::MalformedXml
            };
            Err(WorkspaceDiagnostic::new(
                path,
                error.range,
                Severity::Error,
                kind,
                error.message,
            ))
        }
    }
}

/// Reads a file of at most `max_size` bytes and decodes it (see [`decode`]).
pub fn read_text_from_disk(path: &Path, max_size: u64) -> Result<String, WorkspaceDiagnostic> {
    let unreadable = |message: String| {
        WorkspaceDiagnostic::new(
            path,
            None,
            Severity::Error,
            WorkspaceDiagnosticKind::UnreadableFile,
            message,
        )
    };
    // Opening a named pipe blocks until something writes to it, and a device can be
    // endless: only regular files are read.
    if let Ok(metadata) = std::fs::metadata(path) {
        if !metadata.is_file() {
            return Err(unreadable(format!(
                "{} is not a regular file and was not read",
                path.display()
            )));
        }
    }
    let file = std::fs::File::open(path)
        .map_err(|error| unreadable(format!("cannot read {}: {error}", path.display())))?;
    let mut bytes = Vec::new();
    // Reading one byte past the cap detects oversized files even when metadata lies
    // (special files, files growing while read).
    file.take(max_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| unreadable(format!("cannot read {}: {error}", path.display())))?;
    if bytes.len() as u64 > max_size {
        return Err(unreadable(format!(
            "{} is larger than {} bytes and was not read",
            path.display(),
            max_size
        )));
    }
    decode(&bytes).map_err(|message| unreadable(format!("{}: {message}", path.display())))
}

/// Decodes UTF-8 (with or without BOM) and BOM-marked UTF-16, the encodings Visual Studio
/// writes project files in.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8(rest.to_vec()).map_err(|_| "not valid UTF-8".to_string());
    }
    let utf16 = |rest: &[u8], little_endian: bool| -> Result<String, String> {
        if rest.len() % 2 != 0 {
            return Err("truncated UTF-16 text".to_string());
        }
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|pair| {
                if little_endian {
                    u16::from_le_bytes([pair[0], pair[1]])
                } else {
                    u16::from_be_bytes([pair[0], pair[1]])
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|_| "not valid UTF-16".to_string())
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false);
    }
    String::from_utf8(bytes.to_vec()).map_err(|_| "not valid UTF-8".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
        assert_eq!(decode(b"\xFF\xFE<\0a\0/\0>\0").unwrap(), "<a/>");
        assert_eq!(decode(b"\xFE\xFF\0<\0a\0/\0>").unwrap(), "<a/>");
        assert_eq!(decode(b"\xFF\xFE<").unwrap_err(), "truncated UTF-16 text");
        assert_eq!(decode(b"\xC3\x28").unwrap_err(), "not valid UTF-8");
    }

    #[test]
    fn oversized_file_is_a_diagnostic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Big.csproj");
        std::fs::write(&path, vec![b' '; 2048]).unwrap();
        let error = read_text_from_disk(&path, 1024).unwrap_err();
        assert_eq!(error.kind, WorkspaceDiagnosticKind::UnreadableFile);
        assert!(error
            .message
            .ends_with("is larger than 1024 bytes and was not read"));
    }

    #[test]
    fn a_named_pipe_or_a_directory_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("Pipe.csproj");
        let made = std::process::Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .unwrap();
        assert!(made.success());
        let folder = dir.path().join("Folder.csproj");
        std::fs::create_dir(&folder).unwrap();
        for path in [pipe, folder] {
            let error = read_text_from_disk(&path, 1024).unwrap_err();
            assert_eq!(error.kind, WorkspaceDiagnosticKind::UnreadableFile);
            assert_eq!(
                error.message,
                format!("{} is not a regular file and was not read", path.display())
            );
        }
    }

    #[test]
    fn overlay_replaces_disk_and_invalidates_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("A.props");
        std::fs::write(&path, "<Project/>").unwrap();
        let mut store = FileStore::new(DEFAULT_MAX_FILE_SIZE);
        assert_eq!(store.xml(&path).unwrap().root.children.len(), 0);
        store.set_overlay(&path, Some("<Project><A/></Project>".into()));
        assert_eq!(store.xml(&path).unwrap().root.children.len(), 1);
        store.set_overlay(&path, None);
        assert_eq!(store.xml(&path).unwrap().root.children.len(), 0);
    }
}
