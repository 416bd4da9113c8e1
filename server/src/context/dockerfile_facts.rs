//! What the solution says about one Dockerfile: its build context, the `.dockerignore`
//! that applies, and what each local COPY/ADD source resolves to. Computed during
//! analysis from a [`SolutionSnapshot`] and the Dockerfile's model.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rustc_hash::FxHashMap;

use super::confined::FsMemo;
use super::{
    choose_build_context, dockerignore_for, resolve_source, BuildContextChoice,
    BuildContextRequest, ComposeFile, Dockerignore, DockerignoreSource, SourceResolution,
};
use crate::config::Config;
use crate::dotnet::{paths, ProjectId, Workspace};
use crate::model::Model;
use crate::syntax::{Args, Instruction, Keyword, SyntaxTree, Word};

/// The indexed solution that analyses share (cheap to clone).
#[derive(Clone, Debug)]
pub struct SolutionSnapshot {
    pub workspace: Arc<Workspace>,
    pub compose_files: Arc<Vec<ComposeFile>>,
    /// The `.dockerignore` files read so far (shared by the clones).
    dockerignores: Arc<DockerignoreCache>,
    /// The projects as seen from each build context asked about (shared by the clones).
    context_projects: Arc<Mutex<HashMap<PathBuf, Arc<ContextProjects>>>>,
}

/// The projects of the solution with their folder and project file relative to one build
/// context (`/`-separated, `""` for the context itself); projects outside it are left out.
/// Rules ask for them on every Dockerfile, and the Dockerfiles of a solution mostly share a
/// context: in a 2,000-project monorepo, computing them per Dockerfile was most of `check`.
#[derive(Debug, Default)]
pub struct ContextProjects {
    pub dirs: Vec<(ProjectId, String)>,
    pub files: Vec<(ProjectId, String)>,
}

/// `abs` relative to `context_dir` (normalised), `/`-separated, `""` for the context itself;
/// `None` when it lies outside the context.
pub fn context_relative(abs: &Path, context_dir: &Path) -> Option<String> {
    if let Some(relative) = clean_relative(abs, context_dir) {
        return Some(relative.to_string());
    }
    let normal = paths::normalize(abs);
    let rest = normal.strip_prefix(context_dir).ok()?;
    Some(paths::slashed(rest))
}

/// [`context_relative`] without building paths, when `abs` is an absolute `/`-separated path
/// with nothing to normalise (the paths rules pass nearly always are) and lies within
/// `context_dir`; `None` means "ask the general version".
fn clean_relative<'p>(abs: &'p Path, context_dir: &Path) -> Option<&'p str> {
    if std::path::MAIN_SEPARATOR != '/' {
        return None;
    }
    let (abs, dir) = (abs.to_str()?, context_dir.to_str()?);
    let after_root = abs.strip_prefix('/')?;
    let clean = after_root.is_empty() || super::stage_fs::clean_segments(after_root);
    if !clean || !dir.starts_with('/') {
        return None;
    }
    if dir == "/" {
        return Some(after_root);
    }
    match abs.strip_prefix(dir)? {
        "" => Some(""),
        rest => rest.strip_prefix('/'),
    }
}

impl SolutionSnapshot {
    pub fn new(workspace: Workspace) -> Self {
        let compose_files = super::load_compose_files(&workspace);
        SolutionSnapshot {
            workspace: Arc::new(workspace),
            compose_files: Arc::new(compose_files),
            dockerignores: Arc::default(),
            context_projects: Arc::default(),
        }
    }

    /// The projects relative to `context_dir` (normalised), computed once per context.
    pub fn projects_in_context(&self, context_dir: &Path) -> Arc<ContextProjects> {
        let cached = self
            .context_projects
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(context_dir)
            .cloned();
        if let Some(projects) = cached {
            return projects;
        }
        let mut projects = ContextProjects::default();
        for project in self.workspace.projects() {
            if let Some(dir) = context_relative(project.dir(), context_dir) {
                projects.dirs.push((project.id, dir));
            }
            if let Some(file) = context_relative(&project.path, context_dir) {
                projects.files.push((project.id, file));
            }
        }
        let projects = Arc::new(projects);
        self.context_projects
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(context_dir.to_path_buf(), projects.clone());
        projects
    }

    /// Forgets the `.dockerignore` files read so far (one changed on disk).
    pub fn forget_dockerignores(&self) {
        self.dockerignores.clear();
    }
}

/// Parsed `.dockerignore` files by path, each with the size and modification time it had
/// when read: every analysis of a Dockerfile needs its context's `.dockerignore`, and
/// compiling its patterns costs more than the rest of the build-context facts.
#[derive(Debug, Default)]
struct DockerignoreCache {
    files: Mutex<HashMap<PathBuf, CachedDockerignore>>,
}

#[derive(Debug)]
struct CachedDockerignore {
    stamp: FileStamp,
    text: String,
    ignore: Dockerignore,
}

/// What tells that a file changed: its size and modification time.
type FileStamp = (u64, Option<SystemTime>);

impl DockerignoreCache {
    /// The text and patterns of the file at `path`, read again when it changed.
    fn load(&self, path: &Path) -> Option<(String, Dockerignore)> {
        let metadata = std::fs::metadata(path).ok()?;
        let stamp = (metadata.len(), metadata.modified().ok());
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(cached) = files.get(path).filter(|c| c.stamp == stamp) {
            return Some((cached.text.clone(), cached.ignore.clone()));
        }
        let text = crate::dotnet::files::read_text_from_disk(
            path,
            crate::dotnet::files::DEFAULT_MAX_FILE_SIZE,
        );
        let Ok(text) = text else {
            files.remove(path);
            return None;
        };
        let ignore = Dockerignore::parse(&text);
        files.insert(
            path.to_path_buf(),
            CachedDockerignore {
                stamp,
                text: text.clone(),
                ignore: ignore.clone(),
            },
        );
        Some((text, ignore))
    }

    fn clear(&self) {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// The `.dockerignore` Docker reads for this build.
#[derive(Clone, Debug)]
pub struct LoadedDockerignore {
    pub source: DockerignoreSource,
    pub text: String,
    pub ignore: Dockerignore,
}

/// A local COPY/ADD (not `--from`) and what its sources resolve to.
#[derive(Clone, Debug)]
pub struct CopyFacts {
    pub instruction: usize,
    pub stage: usize,
    /// Each source word with its resolution (variables substituted first).
    pub sources: Vec<(Word, SourceResolution)>,
    pub destination: Option<Word>,
}

/// Facts about one Dockerfile in its solution.
#[derive(Clone, Debug)]
pub struct DockerfileFacts {
    pub dockerfile: PathBuf,
    pub build_context: BuildContextChoice,
    pub dockerignore: Option<LoadedDockerignore>,
    /// In instruction order (so grouped by stage; `StageFs` relies on it).
    pub copies: Vec<CopyFacts>,
}

impl DockerfileFacts {
    pub fn compute(
        solution: &SolutionSnapshot,
        dockerfile: &Path,
        tree: &SyntaxTree,
        model: &Model,
        config: &Config,
    ) -> DockerfileFacts {
        let local = local_copies(tree, model);
        let expanded: Vec<Vec<(Word, String)>> = local
            .iter()
            .map(|(idx, stage, sources, _)| {
                sources
                    .iter()
                    .map(|w| {
                        let e = model.expand_at(*stage, *idx, &w.text);
                        let text = if e.is_complete() {
                            e.text
                        } else {
                            w.text.to_string()
                        };
                        (w.clone(), text)
                    })
                    .collect()
            })
            .collect();
        let all_sources: Vec<&str> = expanded.iter().flatten().map(|(_, s)| s.as_str()).collect();
        let configured: Vec<(PathBuf, PathBuf)> = config
            .build_context_for(dockerfile)
            .map(|ctx| vec![(dockerfile.to_path_buf(), ctx.to_path_buf())])
            .unwrap_or_default();
        let configured_source = config
            .sources
            .iter()
            .find(|p| p.ends_with(crate::config::CONFIG_FILE_NAME))
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "the dockside settings".to_string());
        let fs = FsMemo::default();
        let build_context = choose_build_context(&BuildContextRequest {
            dockerfile,
            workspace: &solution.workspace,
            compose_files: &solution.compose_files,
            configured: &configured,
            configured_source: &configured_source,
            copy_sources: &all_sources,
            fs: &fs,
        });
        let dockerignore = dockerignore_for(&build_context.dir, dockerfile).and_then(|source| {
            let (text, ignore) = solution.dockerignores.load(source.path())?;
            Some(LoadedDockerignore {
                source,
                text,
                ignore,
            })
        });
        // A large Dockerfile copies the same files many times: each is resolved once.
        let mut resolved: FxHashMap<String, SourceResolution> = FxHashMap::default();
        let mut resolve = |text: String| -> SourceResolution {
            resolved
                .entry(text)
                .or_insert_with_key(|text| {
                    resolve_source(
                        &build_context.dir,
                        text,
                        dockerignore.as_ref().map(|d| &d.ignore),
                        &fs,
                    )
                })
                .clone()
        };
        let copies = local
            .into_iter()
            .zip(expanded)
            .map(
                |((instruction, stage, _, destination), sources)| CopyFacts {
                    instruction,
                    stage,
                    sources: sources
                        .into_iter()
                        .map(|(word, text)| (word, resolve(text)))
                        .collect(),
                    destination,
                },
            )
            .collect();
        DockerfileFacts {
            dockerfile: dockerfile.to_path_buf(),
            build_context,
            dockerignore,
            copies,
        }
    }
}

/// (instruction index, stage, source words, destination) of every COPY/ADD that reads the
/// build context (no `--from`, no heredoc sources).
type LocalCopy = (usize, usize, Vec<Word>, Option<Word>);

fn local_copies(tree: &SyntaxTree, model: &Model) -> Vec<LocalCopy> {
    let mut out = Vec::new();
    for stage in &model.stages {
        for idx in stage.instructions.clone() {
            let Some(inst) = tree.instructions.get(idx) else {
                continue;
            };
            if let Some((sources, dest)) = copy_operands(inst) {
                out.push((idx, stage.index, sources, dest));
            }
        }
    }
    out
}

/// Source and destination words of a COPY/ADD that reads the build context.
pub fn copy_operands(inst: &Instruction) -> Option<(Vec<Word>, Option<Word>)> {
    if !matches!(inst.keyword, Keyword::Copy | Keyword::Add) || inst.flag("from").is_some() {
        return None;
    }
    let words: Vec<Word> = match &inst.args {
        Args::Words(w) => w.clone(),
        Args::Exec { elements, .. } => elements.clone(),
        _ => return None,
    };
    let heredoc_names: Vec<&str> = inst.heredocs.iter().map(|h| h.name.as_str()).collect();
    let (dest, sources) = match words.split_last() {
        Some((dest, sources)) => (Some(dest.clone()), sources.to_vec()),
        None => (None, Vec::new()),
    };
    let sources = sources
        .into_iter()
        .filter(|w| !(w.text.starts_with("<<") && heredoc_names.iter().any(|n| w.text.contains(n))))
        .collect();
    Some((sources, dest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dotnet::WorkspaceOptions;
    use proptest::prelude::*;

    proptest! {
        /// The shortcut answers only where the general version gives the same answer.
        #[test]
        fn clean_relative_agrees_with_the_general_version(
            abs in "(/(a|b|ab|\\.|\\.\\.|)){0,5}/?",
            dir in "(/(a|b|\\.|\\.\\.|)){0,3}/?",
        ) {
            let (abs, dir) = (Path::new(&abs), Path::new(&dir));
            if let Some(fast) = clean_relative(abs, dir) {
                let normal = paths::normalize(abs);
                let general = normal.strip_prefix(dir).ok().map(paths::slashed);
                prop_assert_eq!(Some(fast.to_string()), general);
            }
        }
    }

    #[test]
    fn clean_relative_takes_clean_paths_inside_the_context() {
        let dir = Path::new("/repo/src");
        assert_eq!(
            clean_relative(Path::new("/repo/src/Api/Api.csproj"), dir),
            Some("Api/Api.csproj")
        );
        assert_eq!(clean_relative(Path::new("/repo/src"), dir), Some(""));
        assert_eq!(clean_relative(Path::new("/repo/srcx/a"), dir), None);
        assert_eq!(clean_relative(Path::new("/repo/src/../x"), dir), None);
        assert_eq!(
            clean_relative(Path::new("/x/a"), Path::new("/")),
            Some("x/a")
        );
        assert_eq!(
            context_relative(Path::new("/repo/src/../src/A"), dir),
            Some("A".to_string())
        );
    }

    fn excluded(facts: &DockerfileFacts, path: &str) -> bool {
        let ignore = facts.dockerignore.as_ref().map(|d| &d.ignore);
        ignore.is_some_and(|ignore| ignore.is_excluded(path).is_some())
    }

    #[test]
    fn projects_are_seen_relative_to_each_context_once() {
        let root = crate::rules::dotnet::test_support::fixture_dir("microservices");
        let solution = SolutionSnapshot::new(Workspace::index(&root, WorkspaceOptions::default()));
        let whole = solution.projects_in_context(&root);
        assert!(Arc::ptr_eq(&whole, &solution.projects_in_context(&root)));
        let mut files: Vec<&str> = whole.files.iter().map(|(_, f)| f.as_str()).collect();
        files.sort();
        assert!(
            files.contains(&"src/Services/Orders/Orders.Api/Orders.Api.csproj"),
            "{files:?}"
        );
        assert_eq!(whole.dirs.len(), whole.files.len());

        let orders = root.join("src/Services/Orders");
        let inside = solution.projects_in_context(&orders);
        let mut dirs: Vec<&str> = inside.dirs.iter().map(|(_, d)| d.as_str()).collect();
        dirs.sort();
        assert!(dirs.contains(&"Orders.Api"), "{dirs:?}");
        assert!(dirs
            .iter()
            .all(|d| !d.starts_with("..") && !d.starts_with('/')));
        assert!(inside.dirs.len() < whole.dirs.len());
    }

    #[test]
    fn a_dockerignore_is_read_again_once_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("App.sln"), "").unwrap();
        std::fs::write(root.join(".dockerignore"), "bin\n").unwrap();
        let dockerfile = root.join("Dockerfile");
        let text = "FROM alpine\nCOPY . /app\n";
        std::fs::write(&dockerfile, text).unwrap();
        let solution = SolutionSnapshot::new(Workspace::index(root, WorkspaceOptions::default()));
        let tree = crate::syntax::parse(text);
        let model = Model::build(&tree);
        let facts =
            || DockerfileFacts::compute(&solution, &dockerfile, &tree, &model, &Config::default());
        let first = facts();
        assert!(excluded(&first, "bin") && !excluded(&first, "obj"));
        // Unchanged: the same patterns, from the cache.
        let again = facts();
        assert_eq!(
            again.dockerignore.map(|d| d.text),
            Some("bin\n".to_string())
        );
        // A different size tells it changed, whatever the clock's resolution.
        std::fs::write(root.join(".dockerignore"), "obj\n# not bin\n").unwrap();
        let changed = facts();
        assert!(excluded(&changed, "obj") && !excluded(&changed, "bin"));
        std::fs::remove_file(root.join(".dockerignore")).unwrap();
        assert!(facts().dockerignore.is_none());
    }
}
