//! Which files `dockside check` looks at.
//!
//! A path given on the command line that is not a directory is always checked, whatever its
//! name (pre-commit and scripts pass files explicitly). Directories are walked and every file
//! whose name looks like a Dockerfile is checked; see [`is_dockerfile_name`].

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

/// Directories never entered while walking: version-control metadata and build or package
/// output, which hold copies of Dockerfiles at best and thousands of files at worst.
/// A skipped name given explicitly as a path is still walked.
pub const SKIPPED_DIRECTORIES: &[&str] = &[".git", "bin", "obj", "node_modules"];

/// The Dockerfiles under `paths`, sorted and without duplicates, plus one message per path
/// that could not be read.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<PathBuf>,
    pub errors: Vec<String>,
}

/// True for the names Docker, Podman and editors treat as Dockerfiles: `Dockerfile`,
/// `Dockerfile.<anything>`, `<anything>.Dockerfile`, and the same with `Containerfile`,
/// compared case-insensitively (BuildKit itself falls back to a lower-case `dockerfile`).
/// `*.dockerignore` files (`Dockerfile.dockerignore` is a Dockerfile's own ignore file) are
/// not Dockerfiles.
pub fn is_dockerfile_name(name: &OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    if name.ends_with(".dockerignore") {
        return false;
    }
    ["dockerfile", "containerfile"].iter().any(|base| {
        name == *base
            || name
                .strip_prefix(base)
                .is_some_and(|rest| rest.starts_with('.'))
            || name
                .strip_suffix(base)
                .is_some_and(|stem| stem.len() > 1 && stem.ends_with('.'))
    })
}

/// Finds the Dockerfiles to check under `paths` (files given explicitly are taken as they are).
/// Symbolic links to files are followed; symbolic links to directories are not entered, so a
/// link loop cannot make the walk endless.
pub fn discover(paths: &[PathBuf]) -> Discovery {
    let mut files = BTreeSet::new();
    let mut errors = Vec::new();
    for root in paths {
        let root = normalize(root);
        match std::fs::metadata(&root) {
            Err(err) => errors.push(format!("{}: {}", root.display(), describe_io_error(&err))),
            Ok(meta) if !meta.is_dir() => {
                files.insert(root);
            }
            Ok(_) => walk_directory(&root, &mut files, &mut errors),
        }
    }
    Discovery {
        files: files.into_iter().collect(),
        errors,
    }
}

fn walk_directory(root: &Path, files: &mut BTreeSet<PathBuf>, errors: &mut Vec<String>) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || !(entry.file_type().is_dir()
                    && entry
                        .file_name()
                        .to_str()
                        .is_some_and(|name| SKIPPED_DIRECTORIES.contains(&name)))
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(root).display().to_string();
                let message = match err.io_error() {
                    Some(io) => describe_io_error(io),
                    None => err.to_string(),
                };
                errors.push(format!("{path}: {message}"));
                continue;
            }
        };
        if !is_dockerfile_name(entry.file_name()) {
            continue;
        }
        let is_file = if entry.file_type().is_symlink() {
            // A dangling link is not an error of the user's Dockerfiles: skip it.
            std::fs::metadata(entry.path()).is_ok_and(|meta| meta.is_file())
        } else {
            entry.file_type().is_file()
        };
        if is_file {
            files.insert(normalize(entry.path()));
        }
    }
}

/// The path without `.` components, so that `./Dockerfile` and `Dockerfile` are one file
/// and the user sees the shortest form.
pub fn normalize(path: &Path) -> PathBuf {
    let normalized: PathBuf = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if normalized.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        normalized
    }
}

/// An I/O error as a short lower-case phrase ("no such file or directory"), without the
/// "(os error 2)" suffix that means nothing to users.
pub fn describe_io_error(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file or directory".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => {
            let text = err.to_string();
            match text.find(" (os error") {
                Some(cut) => text[..cut].to_string(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        let yes = [
            "Dockerfile",
            "dockerfile",
            "DOCKERFILE",
            "Dockerfile.prod",
            "dockerfile.dev",
            "Dockerfile.",
            "api.Dockerfile",
            "api.dockerfile",
            "Containerfile",
            "containerfile",
            "Containerfile.arm64",
            "web.Containerfile",
        ];
        let no = [
            "Dockerfile.dockerignore",
            "api.Dockerfile.dockerignore",
            ".dockerignore",
            ".dockerfile",
            "Dockerfiles",
            "MyDockerfile",
            "Dockerfile-old",
            "docker-compose.yml",
            "Containerfiles",
            "README.md",
        ];
        for name in yes {
            assert!(is_dockerfile_name(OsStr::new(name)), "{name} should match");
        }
        for name in no {
            assert!(
                !is_dockerfile_name(OsStr::new(name)),
                "{name} should not match"
            );
        }
    }

    #[test]
    fn normalize_drops_current_directory_components() {
        assert_eq!(
            normalize(Path::new("./Dockerfile")),
            Path::new("Dockerfile")
        );
        assert_eq!(normalize(Path::new("a/./b")), Path::new("a/b"));
        assert_eq!(normalize(Path::new(".")), Path::new("."));
        assert_eq!(normalize(Path::new("./")), Path::new("."));
        assert_eq!(normalize(Path::new("../x")), Path::new("../x"));
    }

    #[test]
    fn io_errors_read_as_phrases() {
        let err = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(describe_io_error(&err), "no such file or directory");
        let err = std::io::Error::other("disk on fire");
        assert_eq!(describe_io_error(&err), "disk on fire");
    }
}
