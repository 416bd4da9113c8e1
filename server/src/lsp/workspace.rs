//! The solution behind the open Dockerfiles: indexed in the background (with `$/progress`),
//! updated from `workspace/didChangeWatchedFiles`, and the configuration from the editor's
//! `dockside` settings plus `dockside.toml` / `.hadolint.yaml` next to each Dockerfile.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::Instant;

use crossbeam_channel::{Receiver, Sender};

use super::registry::{request_lookups, RegistryState};
use crate::analysis::{Analysis, AnalysisEnv};
use crate::config::{Config, ConfigProblem};
use crate::context::{load_compose_files, SolutionSnapshot};
use crate::dotnet::{paths, Workspace, WorkspaceOptions};
use crate::images::registry::{Completion, RegistryLookup};

/// Results of background work, handed to the main loop.
pub(crate) enum WorkspaceEvent {
    Indexed {
        root: PathBuf,
        workspace: Box<Workspace>,
        elapsed_ms: u128,
    },
    /// A background registry look-up finished (found, not found, or failed).
    RegistryAnswer(Completion),
}

pub(crate) struct WorkspaceState {
    /// Workspace folders from `initialize`.
    pub roots: Vec<PathBuf>,
    solutions: HashMap<PathBuf, SolutionSnapshot>,
    indexing: HashSet<PathBuf>,
    /// The editor's `dockside` settings.
    pub settings: Option<serde_json::Value>,
    /// Effective configuration per Dockerfile directory.
    configs: HashMap<PathBuf, Arc<Config>>,
    events_tx: Sender<WorkspaceEvent>,
    pub events: Receiver<WorkspaceEvent>,
    /// Registry look-ups, when a configuration turns them on.
    pub registry: RegistryState,
    /// The solution root found on disk for each directory outside the workspace folders
    /// (finding it lists every parent directory), forgotten when a watched file changes or a
    /// document is opened.
    solution_roots: RefCell<HashMap<PathBuf, PathBuf>>,
}

impl WorkspaceState {
    pub fn new() -> Self {
        let (events_tx, events) = crossbeam_channel::unbounded();
        WorkspaceState {
            roots: Vec::new(),
            solutions: HashMap::new(),
            indexing: HashSet::new(),
            settings: None,
            configs: HashMap::new(),
            registry: RegistryState::new(events_tx.clone()),
            solution_roots: RefCell::new(HashMap::new()),
            events_tx,
            events,
        }
    }

    /// Starts indexing `root` on a background thread unless it is indexed or underway.
    /// Returns true when a new indexing started.
    pub fn start_indexing(&mut self, root: PathBuf) -> bool {
        // Documents that are not on disk (untitled buffers, virtual URIs) have no solution.
        if !root.is_dir() {
            return false;
        }
        if self.solutions.contains_key(&root) || !self.indexing.insert(root.clone()) {
            return false;
        }
        let tx = self.events_tx.clone();
        let spawned = thread::Builder::new()
            .name("dockside-index".into())
            .spawn(move || {
                let started = Instant::now();
                let workspace = Workspace::index(&root, WorkspaceOptions::default());
                let _ = tx.send(WorkspaceEvent::Indexed {
                    root,
                    workspace: Box::new(workspace),
                    elapsed_ms: started.elapsed().as_millis(),
                });
            });
        if let Err(error) = spawned {
            eprintln!("dockside: error: cannot start indexing: {error}");
        }
        true
    }

    pub fn is_indexing(&self) -> bool {
        !self.indexing.is_empty()
    }

    pub fn on_indexed(&mut self, root: PathBuf, workspace: Workspace) {
        self.indexing.remove(&root);
        self.solutions
            .insert(root, SolutionSnapshot::new(workspace));
    }

    /// The root a file belongs to: the deepest workspace folder containing it, else the
    /// folder of its own solution.
    pub fn root_for(&self, path: &Path) -> PathBuf {
        if let Some(root) = self
            .roots
            .iter()
            .filter(|r| path.starts_with(r))
            .max_by_key(|r| r.components().count())
        {
            return root.clone();
        }
        // `find_solution_root` looks at the file's directory and its parents only.
        let dir = path.parent().unwrap_or(Path::new("/"));
        if let Some(root) = self.solution_roots.borrow().get(dir) {
            return root.clone();
        }
        let root = paths::find_solution_root(path);
        self.solution_roots
            .borrow_mut()
            .insert(dir.to_path_buf(), root.clone());
        root
    }

    /// Forgets the solution roots found on disk, so that the next look-up sees the files as
    /// they are now.
    pub fn forget_solution_roots(&self) {
        self.solution_roots.borrow_mut().clear();
    }

    /// The indexed solution of a Dockerfile, if indexing finished.
    pub fn solution_for(&self, path: &Path) -> Option<SolutionSnapshot> {
        self.solutions.get(&self.root_for(path)).cloned()
    }

    /// The configuration for a Dockerfile in `dir`, and the problems found while loading
    /// it (reported once, when the configuration is first loaded).
    pub fn config_for(&mut self, dir: &Path) -> (Arc<Config>, Vec<ConfigProblem>) {
        if let Some(config) = self.configs.get(dir) {
            return (config.clone(), Vec::new());
        }
        let (config, problems) = Config::load_layered(dir, self.settings.as_ref());
        let config = Arc::new(config);
        self.configs.insert(dir.to_path_buf(), config.clone());
        (config, problems)
    }

    /// Takes the editor's settings; returns false (and keeps everything) when they are the
    /// ones in use already, as when the client answers `workspace/configuration` with what
    /// `initializationOptions` said, or with no settings at all.
    pub fn set_settings(&mut self, settings: Option<serde_json::Value>) -> bool {
        if settings == self.settings {
            return false;
        }
        self.settings = settings;
        self.configs.clear();
        self.registry.clear();
        true
    }

    /// The analysis environment of a document.
    pub fn env_for(&mut self, path: Option<PathBuf>) -> (AnalysisEnv, Vec<ConfigProblem>) {
        let mut env = AnalysisEnv::default();
        let mut problems = Vec::new();
        if let Some(path) = &path {
            let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
            let (config, found) = self.config_for(&dir);
            env.config = config;
            problems = found;
            env.solution = self.solution_for(path);
        } else if let Some(settings) = &self.settings {
            let mut config = Config::default();
            problems = config.apply_settings(settings);
            env.config = Arc::new(config);
        }
        env.registry = self
            .registry
            .service_for(&env.config)
            .map(|service| service as Arc<dyn RegistryLookup>);
        env.path = path;
        (env, problems)
    }

    /// Queues registry look-ups for a document's `FROM` images (nothing with look-ups off).
    pub fn request_registry_lookups(&mut self, env: &AnalysisEnv, analysis: &Analysis) {
        if let Some(service) = self.registry.service_for(&env.config) {
            request_lookups(&service, analysis);
        }
    }

    /// A file of the solution changed on disk (created, changed or deleted). Returns true
    /// when open Dockerfiles need a new analysis.
    pub fn file_changed(&mut self, path: &Path) -> bool {
        self.forget_solution_roots();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if name == crate::config::CONFIG_FILE_NAME
            || name == ".hadolint.yaml"
            || name == ".hadolint.yml"
        {
            self.configs.clear();
            self.registry.clear();
            return true;
        }
        if name.ends_with("dockerignore") {
            for snapshot in self.solutions.values() {
                snapshot.forget_dockerignores();
            }
        }
        let mut changed = false;
        for (root, snapshot) in self.solutions.iter_mut() {
            if !path.starts_with(root) {
                continue;
            }
            let workspace = Arc::make_mut(&mut snapshot.workspace);
            workspace.update_file(path, None);
            if name.starts_with("compose") || name.starts_with("docker-compose") {
                snapshot.compose_files = Arc::new(load_compose_files(workspace));
            }
            changed = true;
        }
        // .dockerignore files and COPY sources are read during analysis.
        changed || name.ends_with("dockerignore") || !self.solutions.is_empty()
    }
}

/// Glob patterns of the files whose changes matter, for `didChangeWatchedFiles`.
pub(crate) const WATCHED_GLOBS: &[&str] = &[
    "**/*.{csproj,fsproj,vbproj,props,targets,sln,slnx}",
    "**/{global.json,NuGet.config,nuget.config,NuGet.Config}",
    "**/{.dockerignore,*.dockerignore}",
    "**/{compose,docker-compose}*.{yml,yaml}",
    "**/{dockside.toml,.hadolint.yaml,.hadolint.yml}",
];
