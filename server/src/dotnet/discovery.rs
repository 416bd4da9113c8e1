//! Finding the files of a .NET solution: a bounded directory walk that never hangs on
//! symlink loops, never follows a link out of the workspace, and reports what it skipped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::diagnostic::{WorkspaceDiagnostic, WorkspaceDiagnosticKind};
use crate::analysis::Severity;
use crate::context::confined::{resolve_below, Policy, Unresolved};

/// What a discovered file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    Solution,
    Project,
    DirectoryBuildProps,
    DirectoryBuildTargets,
    DirectoryPackagesProps,
    NugetConfig,
    GlobalJson,
    Dockerignore,
    Compose,
    LaunchSettings,
    Dockerfile,
}

/// Directories never descended into: build outputs, package caches, VCS data.
const SKIPPED_DIRS: [&str; 4] = ["bin", "obj", "node_modules", ".git"];

/// Classifies a file by its path (name, and parent directory for launchSettings.json).
pub fn classify(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    let kind = match lower.as_str() {
        "directory.build.props" => FileKind::DirectoryBuildProps,
        "directory.build.targets" => FileKind::DirectoryBuildTargets,
        "directory.packages.props" => FileKind::DirectoryPackagesProps,
        "nuget.config" => FileKind::NugetConfig,
        "global.json" => FileKind::GlobalJson,
        "launchsettings.json" => {
            let parent = path.parent()?.file_name()?.to_str()?;
            if parent.eq_ignore_ascii_case("Properties") {
                FileKind::LaunchSettings
            } else {
                return None;
            }
        }
        "compose.yaml" | "compose.yml" => FileKind::Compose,
        "dockerfile" | "containerfile" => FileKind::Dockerfile,
        _ => {
            if lower.ends_with(".dockerignore") {
                FileKind::Dockerignore
            } else if lower.ends_with(".sln") || lower.ends_with(".slnx") {
                FileKind::Solution
            } else if lower.ends_with(".csproj")
                || lower.ends_with(".fsproj")
                || lower.ends_with(".vbproj")
            {
                FileKind::Project
            } else if (lower.starts_with("docker-compose") || lower.starts_with("compose."))
                && (lower.ends_with(".yml") || lower.ends_with(".yaml"))
            {
                FileKind::Compose
            } else if lower.starts_with("dockerfile.")
                || lower.ends_with(".dockerfile")
                || lower.starts_with("containerfile.")
            {
                FileKind::Dockerfile
            } else {
                return None;
            }
        }
    };
    Some(kind)
}

#[derive(Clone, Debug)]
pub struct DiscoveryOptions {
    /// Stop after visiting this many directory entries (files and directories).
    pub max_entries: usize,
    /// Do not descend more than this many directories below the root.
    pub max_depth: usize,
    /// Follow symbolic links that stay inside the root (loops are detected and skipped;
    /// links that lead outside the root are skipped without looking at their targets).
    pub follow_symlinks: bool,
}

impl Default for DiscoveryOptions {
    fn default() -> Self {
        DiscoveryOptions {
            max_entries: 200_000,
            max_depth: 32,
            follow_symlinks: true,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct DiscoveredFiles {
    pub files: BTreeMap<PathBuf, FileKind>,
    /// Every directory the walk listed completely.
    pub directories: Vec<PathBuf>,
    /// What the walk skipped and why.
    pub warnings: Vec<WorkspaceDiagnostic>,
    /// The walk stopped early at `max_entries`.
    pub truncated: bool,
}

impl DiscoveredFiles {
    pub fn of_kind(&self, kind: FileKind) -> impl Iterator<Item = &Path> {
        self.files
            .iter()
            .filter(move |(_, k)| **k == kind)
            .map(|(path, _)| path.as_path())
    }

    pub fn kind_of(&self, path: &Path) -> Option<FileKind> {
        self.files.get(path).copied()
    }
}

fn is_skipped_dir(name: &str) -> bool {
    SKIPPED_DIRS.iter().any(|d| d.eq_ignore_ascii_case(name))
}

/// Walks `root` and returns the files Dockside cares about, with absolute paths below `root`.
pub fn discover(root: &Path, options: &DiscoveryOptions) -> DiscoveredFiles {
    let mut result = DiscoveredFiles::default();
    let warn = |result: &mut DiscoveredFiles, path: &Path, message: String| {
        result.warnings.push(WorkspaceDiagnostic::new(
            path,
            None,
            Severity::Warning,
            WorkspaceDiagnosticKind::Walk,
            message,
        ));
    };
    // Symbolic links are never followed by the walk itself (that would look at their
    // targets, which may be anywhere): each one is resolved below `root` with
    // `Policy::Confined`; a link to a directory inside the workspace gets a walk of its own,
    // a link that leads outside is skipped without a look at its target.
    let walk = |dir: &Path, depth: usize| {
        walkdir::WalkDir::new(dir)
            .follow_links(false)
            .max_depth(options.max_depth.saturating_sub(depth))
            .sort_by_file_name()
            .into_iter()
    };
    // Each walk with the depth of its start below `root`.
    let mut walks = vec![(walk(root, 0), 0usize)];
    let mut visited = 0usize;
    let mut depth_warned = false;
    while let Some((walker, base)) = walks.last_mut() {
        let base = *base;
        let Some(entry) = walker.next() else {
            walks.pop();
            continue;
        };
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.to_path_buf());
                let message = if error.loop_ancestor().is_some() {
                    format!("skipped {}: symbolic link loop", path.display())
                } else {
                    format!("skipped {}: {error}", path.display())
                };
                warn(&mut result, &path, message);
                continue;
            }
        };
        visited += 1;
        if visited > options.max_entries {
            result.truncated = true;
            // The directory being listed was not finished; none is known to be complete.
            result.directories.clear();
            warn(
                &mut result,
                root,
                format!(
                    "stopped after {} entries; the rest of the workspace is not indexed",
                    options.max_entries
                ),
            );
            break;
        }
        let path = entry.path();
        let depth = base + entry.depth();
        let Some(name) = entry.file_name().to_str() else {
            warn(
                &mut result,
                path,
                format!("skipped {}: the name is not valid UTF-8", path.display()),
            );
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        };
        // The start of a walk through a link was checked before the walk began.
        if entry.file_type().is_symlink() && entry.depth() > 0 && options.follow_symlinks {
            let relative = path.strip_prefix(root).unwrap_or(path);
            let target = match resolve_below(root, relative, Policy::Confined) {
                Ok(target) => target,
                Err(unresolved) => {
                    let why = match unresolved {
                        Unresolved::Outside => format!(
                            "symbolic link to a path outside {}, not followed",
                            root.display()
                        ),
                        Unresolved::Loop => "symbolic link loop".to_string(),
                        Unresolved::NotFound => "broken symbolic link".to_string(),
                    };
                    warn(
                        &mut result,
                        path,
                        format!("skipped {}: {why}", path.display()),
                    );
                    continue;
                }
            };
            let is_dir = root
                .join(&target)
                .symlink_metadata()
                .is_ok_and(|m| m.is_dir());
            if !is_dir {
                if let Some(kind) = classify(path) {
                    result.files.insert(path.to_path_buf(), kind);
                }
                continue;
            }
            if is_skipped_dir(name) {
                continue;
            }
            // A link to a directory that holds the link (`loop -> ..`) would never end.
            let holder = relative
                .parent()
                .and_then(|parent| resolve_below(root, parent, Policy::Confined).ok());
            if holder.is_none_or(|holder| holder.starts_with(&target)) {
                warn(
                    &mut result,
                    path,
                    format!("skipped {}: symbolic link loop", path.display()),
                );
                continue;
            }
            if depth == options.max_depth {
                if !depth_warned {
                    depth_warned = true;
                    warn(
                        &mut result,
                        path,
                        format!(
                            "not descending below {} (maximum depth {})",
                            path.display(),
                            options.max_depth
                        ),
                    );
                }
                continue;
            }
            walks.push((walk(path, depth), depth));
            continue;
        }
        if entry.file_type().is_dir() {
            if depth > 0 && is_skipped_dir(name) {
                walker.skip_current_dir();
            } else if depth == options.max_depth {
                if !depth_warned {
                    depth_warned = true;
                    warn(
                        &mut result,
                        path,
                        format!(
                            "not descending below {} (maximum depth {})",
                            path.display(),
                            options.max_depth
                        ),
                    );
                }
            } else {
                result.directories.push(path.to_path_buf());
            }
            continue;
        }
        if let Some(kind) = classify(path) {
            result.files.insert(path.to_path_buf(), kind);
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_file_names() {
        let cases = [
            ("/r/App.sln", Some(FileKind::Solution)),
            ("/r/App.slnx", Some(FileKind::Solution)),
            ("/r/src/Api/Api.csproj", Some(FileKind::Project)),
            ("/r/src/Lib/Lib.fsproj", Some(FileKind::Project)),
            ("/r/src/Vb/Vb.vbproj", Some(FileKind::Project)),
            (
                "/r/directory.build.props",
                Some(FileKind::DirectoryBuildProps),
            ),
            (
                "/r/Directory.Build.targets",
                Some(FileKind::DirectoryBuildTargets),
            ),
            (
                "/r/Directory.Packages.props",
                Some(FileKind::DirectoryPackagesProps),
            ),
            ("/r/NuGet.Config", Some(FileKind::NugetConfig)),
            ("/r/global.json", Some(FileKind::GlobalJson)),
            ("/r/.dockerignore", Some(FileKind::Dockerignore)),
            (
                "/r/src/Api/Dockerfile.dockerignore",
                Some(FileKind::Dockerignore),
            ),
            ("/r/compose.yaml", Some(FileKind::Compose)),
            ("/r/compose.override.yml", Some(FileKind::Compose)),
            ("/r/docker-compose.yml", Some(FileKind::Compose)),
            ("/r/docker-compose.prod.yaml", Some(FileKind::Compose)),
            (
                "/r/src/Api/Properties/launchSettings.json",
                Some(FileKind::LaunchSettings),
            ),
            ("/r/launchSettings.json", None),
            ("/r/Dockerfile", Some(FileKind::Dockerfile)),
            ("/r/Dockerfile.alpine", Some(FileKind::Dockerfile)),
            ("/r/Api.Dockerfile", Some(FileKind::Dockerfile)),
            ("/r/api.dockerfile", Some(FileKind::Dockerfile)),
            ("/r/Containerfile", Some(FileKind::Dockerfile)),
            ("/r/README.md", None),
            ("/r/other.props", None),
        ];
        for (path, expected) in cases {
            assert_eq!(classify(Path::new(path)), expected, "{path}");
        }
    }

    #[test]
    fn skips_build_output_and_reports_limits() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for sub in [
            "src/Api",
            "src/Api/bin/Debug",
            "src/Api/obj",
            "node_modules/x",
            ".git",
        ] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        std::fs::write(root.join("src/Api/Api.csproj"), "<Project/>").unwrap();
        std::fs::write(root.join("src/Api/bin/Debug/Copy.csproj"), "<Project/>").unwrap();
        std::fs::write(
            root.join("src/Api/obj/Api.csproj.nuget.g.props"),
            "<Project/>",
        )
        .unwrap();
        std::fs::write(root.join("node_modules/x/Dockerfile"), "").unwrap();
        std::fs::write(root.join("Dockerfile"), "").unwrap();
        let found = discover(root, &DiscoveryOptions::default());
        let files: Vec<_> = found
            .files
            .keys()
            .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            files,
            [
                PathBuf::from("Dockerfile"),
                PathBuf::from("src/Api/Api.csproj")
            ]
        );
        assert!(found.warnings.is_empty());

        let limited = discover(
            root,
            &DiscoveryOptions {
                max_entries: 2,
                ..Default::default()
            },
        );
        assert!(limited.truncated);
        assert_eq!(limited.warnings.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_the_workspace_are_followed_and_links_out_of_it_are_not() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(root.join("src/Api")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(root.join("src/Api/Api.csproj"), "<Project/>").unwrap();
        std::fs::write(outside.join("Secret.csproj"), "<Project/>").unwrap();
        symlink("src", root.join("code")).unwrap();
        symlink(root.join("src/Api/Api.csproj"), root.join("Linked.csproj")).unwrap();
        symlink(&outside, root.join("out")).unwrap();
        symlink("../outside/Secret.csproj", root.join("Secret.csproj")).unwrap();
        symlink("gone", root.join("Gone.csproj")).unwrap();
        let found = discover(&root, &DiscoveryOptions::default());
        let files: Vec<_> = found
            .files
            .keys()
            .map(|p| p.strip_prefix(&root).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            files,
            [
                PathBuf::from("Linked.csproj"),
                PathBuf::from("code/Api/Api.csproj"),
                PathBuf::from("src/Api/Api.csproj"),
            ]
        );
        assert!(found.directories.contains(&root.join("code/Api")));
        let mut warnings: Vec<String> = found.warnings.iter().map(|w| w.message.clone()).collect();
        warnings.sort();
        let outside_message = format!(
            "symbolic link to a path outside {}, not followed",
            root.display()
        );
        assert_eq!(
            warnings,
            [
                format!(
                    "skipped {}: broken symbolic link",
                    root.join("Gone.csproj").display()
                ),
                format!(
                    "skipped {}: {outside_message}",
                    root.join("Secret.csproj").display()
                ),
                format!("skipped {}: {outside_message}", root.join("out").display()),
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_a_warning_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::os::unix::fs::symlink(root, root.join("a/loop")).unwrap();
        std::fs::write(root.join("a/App.csproj"), "<Project/>").unwrap();
        let found = discover(root, &DiscoveryOptions::default());
        assert_eq!(found.files.len(), 1);
        assert!(
            found
                .warnings
                .iter()
                .any(|w| w.message.contains("symbolic link loop")),
            "{:?}",
            found.warnings
        );
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_names_are_skipped_with_a_warning() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let name = std::ffi::OsStr::from_bytes(b"bad\xffname.csproj");
        if std::fs::write(dir.path().join(name), "<Project/>").is_err() {
            return; // the file system refuses non-UTF-8 names; nothing to test
        }
        let found = discover(dir.path(), &DiscoveryOptions::default());
        assert!(found.files.is_empty());
        assert!(found.warnings[0].message.contains("not valid UTF-8"));
    }
}
