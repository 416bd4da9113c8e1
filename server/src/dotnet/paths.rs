//! Lexical path handling. MSBuild files are written on Windows as often as on Linux, so
//! backslashes are separators here, and paths are normalised without touching the disk
//! (canonicalising would resolve symlinks and make every path depend on the machine).

use std::path::{Component, Path, PathBuf};

/// Converts an MSBuild-style path (`..\src\App.csproj`) to forward slashes.
pub fn msbuild_to_slash(raw: &str) -> String {
    raw.trim().replace('\\', "/")
}

/// Removes `.` and resolves `..` lexically. A `..` above the root of an absolute path stays
/// at the root, as the operating system would do.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir) | Some(Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// Joins an MSBuild-style relative or absolute path onto `base` and normalises the result.
pub fn resolve(base: &Path, raw: &str) -> PathBuf {
    let slashed = msbuild_to_slash(raw);
    let candidate = Path::new(&slashed);
    if candidate.is_absolute() {
        normalize(candidate)
    } else {
        normalize(&base.join(candidate))
    }
}

/// A relative path `/`-separated, whatever the platform's separator.
pub fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The directory of a file path, with a trailing separator, as `$(MSBuildThisFileDirectory)`
/// is defined.
pub fn dir_with_trailing_slash(path: &Path) -> String {
    let dir = path.parent().unwrap_or(Path::new("/"));
    let mut text = dir.to_string_lossy().into_owned();
    if !text.ends_with('/') {
        text.push('/');
    }
    text
}

/// The file name without its last extension (`Api.csproj` -> `Api`).
pub fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// True when `path` is `dir` or lies below it (lexically).
pub fn is_within(path: &Path, dir: &Path) -> bool {
    path.starts_with(dir)
}

/// The folder whose solution a file belongs to: the nearest ancestor holding a .sln or
/// .slnx, else the repository root (a `.git` entry), else the file's own directory.
pub fn find_solution_root(file: &Path) -> PathBuf {
    let start = file.parent().unwrap_or(Path::new("/"));
    let has_solution = |dir: &Path| {
        std::fs::read_dir(dir).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                name.ends_with(".sln") || name.ends_with(".slnx")
            })
        })
    };
    let mut current = Some(start);
    while let Some(dir) = current {
        if has_solution(dir) || dir.join(".git").exists() {
            return dir.to_path_buf();
        }
        current = dir.parent();
    }
    start.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_dots_lexically() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
        assert_eq!(normalize(Path::new("/../x")), PathBuf::from("/x"));
        assert_eq!(normalize(Path::new("a/../../b")), PathBuf::from("../b"));
    }

    #[test]
    fn resolve_accepts_backslashes() {
        assert_eq!(
            resolve(Path::new("/repo/src/Api"), r"..\Domain\Domain.csproj"),
            PathBuf::from("/repo/src/Domain/Domain.csproj")
        );
        assert_eq!(
            resolve(Path::new("/repo"), "/abs/x.props"),
            PathBuf::from("/abs/x.props")
        );
    }
}
