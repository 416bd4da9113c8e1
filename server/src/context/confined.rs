//! Following symbolic links below a root directory without ever looking outside it.
//!
//! A path inside a workspace or a build context can lead out of it through a symbolic link
//! (`shared -> /etc`). Asking the kernel about `root/shared/passwd` would then stat
//! `/etc/passwd`. [`resolve_below`] instead walks the path one component at a time, with
//! `lstat` and `readlink` on paths whose every directory is a real directory below the root,
//! and splices link targets itself, so nothing outside the root is ever looked at.
//!
//! Two policies for a link that points out of the root:
//! - [`Policy::Scoped`], how BuildKit resolves a COPY source in the build context: the context
//!   is `/`, so an absolute target starts again at the context root and `..` stops there
//!   (`shared -> /etc` means `<context>/etc`);
//! - [`Policy::Confined`], how the kernel resolves it, except that a link leaving the root is
//!   refused ([`Unresolved::Outside`]): the workspace walk never enters `/etc`.

use std::cell::RefCell;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use rustc_hash::FxHashMap;

/// More links than this on one path is a loop (Linux gives up after 40 as well).
const MAX_LINKS: usize = 40;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    Scoped,
    Confined,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unresolved {
    /// A component does not exist (or a file is used as a directory); includes dangling links.
    NotFound,
    /// With [`Policy::Confined`]: a link or `..` leads out of the root.
    Outside,
    /// Too many links: a loop.
    Loop,
}

enum Step {
    Parent,
    Name(OsString),
}

/// Pushes the steps of `path` so that they pop in order (the stack's end is the next step).
fn push_steps(pending: &mut Vec<Step>, path: &Path) {
    let steps: Vec<Step> = path
        .components()
        .filter_map(|component| match component {
            Component::ParentDir => Some(Step::Parent),
            Component::Normal(name) => Some(Step::Name(name.to_os_string())),
            Component::RootDir | Component::CurDir | Component::Prefix(_) => None,
        })
        .collect();
    pending.extend(steps.into_iter().rev());
}

/// What `lstat` (and, for a link, `readlink`) said about each path asked about during one
/// analysis. The COPY sources of a large Dockerfile share their leading directories
/// (`src/Service1/...`, `src/Service2/...`), the build-context guess tries them before the
/// chosen context resolves them again, and each is checked for being a directory after it is
/// found: without the memo, one analysis of the 30,000-line bench file in its solution made
/// 12,700 `statx` calls. An analysis already reads the disk at one moment; a file created
/// while it runs is seen or not, as before.
#[derive(Debug, Default)]
pub struct FsMemo {
    entries: RefCell<FxHashMap<PathBuf, Option<Entry>>>,
}

#[derive(Clone, Debug)]
enum Entry {
    Directory,
    /// A file, a socket, a device: anything that is neither a directory nor a link.
    Other,
    /// A symbolic link and its target (`None` when it cannot be read).
    Link(Option<PathBuf>),
}

impl FsMemo {
    /// `lstat` of `path`, remembered; `None` when it does not exist or cannot be read.
    fn entry(&self, path: &Path) -> Option<Entry> {
        if let Some(known) = self.entries.borrow().get(path) {
            return known.clone();
        }
        let entry = path.symlink_metadata().ok().map(|metadata| {
            let kind = metadata.file_type();
            if kind.is_symlink() {
                Entry::Link(std::fs::read_link(path).ok())
            } else if kind.is_dir() {
                Entry::Directory
            } else {
                Entry::Other
            }
        });
        self.entries
            .borrow_mut()
            .insert(path.to_path_buf(), entry.clone());
        entry
    }

    /// Whether `path` itself (not a link's target) is a directory.
    pub fn is_real_dir(&self, path: &Path) -> bool {
        matches!(self.entry(path), Some(Entry::Directory))
    }
}

/// `relative` (a path below `root`; a leading `/` counts as the root) with every symbolic
/// link followed, as a path relative to `root` that has no link in it (`""` is the root
/// itself). The last component is followed too. Every file system call is an `lstat` or a
/// `readlink` of `root` joined with a link-free relative path: nothing outside `root` is read.
pub fn resolve_below(root: &Path, relative: &Path, policy: Policy) -> Result<PathBuf, Unresolved> {
    resolve_below_with(root, relative, policy, &FsMemo::default())
}

/// [`resolve_below`], asking `fs` about each path instead of the disk when it knows it.
pub fn resolve_below_with(
    root: &Path,
    relative: &Path,
    policy: Policy,
    fs: &FsMemo,
) -> Result<PathBuf, Unresolved> {
    let mut pending = Vec::new();
    push_steps(&mut pending, relative);
    let mut physical = PathBuf::new();
    let mut links = 0;
    let mut canonical_root: Option<Option<PathBuf>> = None;
    while let Some(step) = pending.pop() {
        let name = match step {
            Step::Parent => {
                if !physical.pop() && policy == Policy::Confined {
                    return Err(Unresolved::Outside);
                }
                continue;
            }
            Step::Name(name) => name,
        };
        let candidate = physical.join(&name);
        let full = root.join(&candidate);
        let entry = fs.entry(&full).ok_or(Unresolved::NotFound)?;
        if let Entry::Link(target) = entry {
            links += 1;
            if links > MAX_LINKS {
                return Err(Unresolved::Loop);
            }
            let target = target.ok_or(Unresolved::NotFound)?;
            if target.has_root() {
                let rest = match policy {
                    Policy::Scoped => target,
                    Policy::Confined => {
                        let canonical = canonical_root
                            .get_or_insert_with(|| root.canonicalize().ok())
                            .as_deref();
                        let rest = target
                            .strip_prefix(root)
                            .ok()
                            .or_else(|| canonical.and_then(|c| target.strip_prefix(c).ok()))
                            .ok_or(Unresolved::Outside)?;
                        rest.to_path_buf()
                    }
                };
                physical = PathBuf::new();
                push_steps(&mut pending, &rest);
            } else {
                push_steps(&mut pending, &target);
            }
        } else if matches!(entry, Entry::Other)
            && pending.iter().any(|s| matches!(s, Step::Name(_)))
        {
            // A file used as a directory.
            return Err(Unresolved::NotFound);
        } else {
            physical = candidate;
        }
    }
    Ok(physical)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("ctx/src/Api")).unwrap();
        std::fs::create_dir_all(root.join("ctx/etc")).unwrap();
        std::fs::write(root.join("ctx/src/Api/Api.csproj"), "<Project/>").unwrap();
        std::fs::write(root.join("ctx/etc/hosts"), "inside").unwrap();
        std::fs::write(root.join("outside.txt"), "secret").unwrap();
        symlink("src", root.join("ctx/code")).unwrap();
        symlink("../outside.txt", root.join("ctx/up")).unwrap();
        symlink("/etc", root.join("ctx/system")).unwrap();
        symlink(root.join("ctx/src"), root.join("ctx/absolute-inside")).unwrap();
        symlink("loop-b", root.join("ctx/loop-a")).unwrap();
        symlink("loop-a", root.join("ctx/loop-b")).unwrap();
        symlink("missing", root.join("ctx/dangling")).unwrap();
        dir
    }

    fn resolve(dir: &tempfile::TempDir, path: &str, policy: Policy) -> Result<String, Unresolved> {
        resolve_below(&dir.path().join("ctx"), Path::new(path), policy)
            .map(|p| p.to_string_lossy().into_owned())
    }

    #[test]
    fn links_inside_the_root_are_followed() {
        let dir = tree();
        for policy in [Policy::Scoped, Policy::Confined] {
            assert_eq!(
                resolve(&dir, "code/Api/Api.csproj", policy),
                Ok("src/Api/Api.csproj".into())
            );
            assert_eq!(resolve(&dir, "code", policy), Ok("src".into()));
            assert_eq!(resolve(&dir, "", policy), Ok("".into()));
            assert_eq!(resolve(&dir, "src/Api/../..", policy), Ok("".into()));
            assert_eq!(resolve(&dir, "loop-a/x", policy), Err(Unresolved::Loop));
            assert_eq!(resolve(&dir, "dangling", policy), Err(Unresolved::NotFound));
            assert_eq!(
                resolve(&dir, "src/Api/Api.csproj/x", policy),
                Err(Unresolved::NotFound)
            );
        }
        assert_eq!(
            resolve(&dir, "absolute-inside/Api", Policy::Confined),
            Ok("src/Api".into())
        );
    }

    #[test]
    fn scoped_links_stay_at_the_root_as_in_buildkit() {
        let dir = tree();
        // `/etc` is the context's own `etc`; `..` stops at the context root.
        assert_eq!(
            resolve(&dir, "system/hosts", Policy::Scoped),
            Ok("etc/hosts".into())
        );
        assert_eq!(
            resolve(&dir, "system/passwd", Policy::Scoped),
            Err(Unresolved::NotFound)
        );
        assert_eq!(
            resolve(&dir, "up", Policy::Scoped),
            Err(Unresolved::NotFound)
        );
        assert_eq!(resolve(&dir, "../../etc", Policy::Scoped), Ok("etc".into()));
    }

    #[test]
    fn confined_links_that_leave_the_root_are_refused() {
        let dir = tree();
        assert_eq!(
            resolve(&dir, "system/passwd", Policy::Confined),
            Err(Unresolved::Outside)
        );
        assert_eq!(
            resolve(&dir, "system", Policy::Confined),
            Err(Unresolved::Outside)
        );
        assert_eq!(
            resolve(&dir, "up", Policy::Confined),
            Err(Unresolved::Outside)
        );
        assert_eq!(
            resolve(&dir, "..", Policy::Confined),
            Err(Unresolved::Outside)
        );
    }

    #[test]
    fn one_memo_shared_by_many_paths_answers_as_the_disk_does() {
        let dir = tree();
        let root = dir.path().join("ctx");
        let paths = [
            "code/Api/Api.csproj",
            "code",
            "",
            "src/Api/../..",
            "loop-a/x",
            "dangling",
            "src/Api/Api.csproj/x",
            "absolute-inside/Api",
            "system/hosts",
            "system/passwd",
            "up",
            "../../etc",
            "src/Api/Missing.csproj",
        ];
        for policy in [Policy::Scoped, Policy::Confined] {
            let fs = FsMemo::default();
            // Twice: the second round is answered from the memo alone.
            for _ in 0..2 {
                for path in paths {
                    assert_eq!(
                        resolve_below_with(&root, Path::new(path), policy, &fs),
                        resolve_below(&root, Path::new(path), policy),
                        "{path} ({policy:?})"
                    );
                }
            }
        }
    }

    #[test]
    fn a_memo_answers_from_what_the_disk_said_when_first_asked() {
        let dir = tree();
        let root = dir.path().join("ctx");
        let fs = FsMemo::default();
        let new_file = Path::new("src/Api/Program.cs");
        let scoped = Policy::Scoped;
        assert_eq!(
            resolve_below_with(&root, new_file, scoped, &fs),
            Err(Unresolved::NotFound)
        );
        std::fs::write(root.join(new_file), "").unwrap();
        assert_eq!(
            resolve_below_with(&root, new_file, scoped, &fs),
            Err(Unresolved::NotFound)
        );
        assert_eq!(
            resolve_below_with(&root, new_file, scoped, &FsMemo::default()),
            Ok(new_file.to_path_buf())
        );
        assert!(fs.is_real_dir(&root.join("src/Api")));
        assert!(
            !fs.is_real_dir(&root.join("code")),
            "a link is not a directory"
        );
    }
}
