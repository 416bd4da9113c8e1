//! The solution as a whole: discovery, evaluation of every project, the ProjectReference
//! graph, and incremental updates when a file changes.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};

use super::diagnostic::{WorkspaceDiagnostic, WorkspaceDiagnosticKind};
use super::discovery::{classify, discover, DiscoveredFiles, DiscoveryOptions, FileKind};
use super::evaluate::{evaluate_project, EvaluationOptions};
use super::files::{FileStore, DEFAULT_MAX_FILE_SIZE};
use super::global_json::{parse_global_json, GlobalJson};
use super::nuget_config::{parse_nuget_config, NugetConfig};
use super::paths;
use super::project::{Project, ProjectId, ProjectLanguage};
use super::properties::Location;
use super::solution::{parse_solution, Solution};
use crate::analysis::Severity;

/// The files evaluation searches for in every directory above a project.
const WELL_KNOWN_MSBUILD_FILES: [&str; 3] = [
    "Directory.Build.props",
    "Directory.Build.targets",
    "Directory.Packages.props",
];

#[derive(Clone, Debug)]
pub struct WorkspaceOptions {
    pub discovery: DiscoveryOptions,
    /// Files larger than this are not read (diagnostic instead).
    pub max_file_size: u64,
    pub evaluation: EvaluationOptions,
}

impl Default for WorkspaceOptions {
    fn default() -> Self {
        WorkspaceOptions {
            discovery: DiscoveryOptions::default(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            evaluation: EvaluationOptions::default(),
        }
    }
}

/// A project pulled in by another one, and the chain of references that pulls it in
/// (from the starting project to this one, both included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosureEntry {
    pub project: ProjectId,
    pub chain: Vec<ProjectId>,
}

/// A ProjectReference whose target does not exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingReference {
    pub path: PathBuf,
    /// From the starting project to the project holding the reference.
    pub chain: Vec<ProjectId>,
    /// The `<ProjectReference>` element.
    pub location: Location,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReferenceClosure {
    /// Every project reachable through ProjectReferences whose conditions apply, nearest
    /// first; the starting project is not included. Chains are shortest paths.
    pub entries: Vec<ClosureEntry>,
    pub missing: Vec<MissingReference>,
    /// Each cycle as a path that starts and ends with the same project.
    pub cycles: Vec<Vec<ProjectId>>,
}

/// What [`Workspace::update_file`] changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpdateSummary {
    pub kind: Option<FileKind>,
    /// Projects evaluated again (or for the first time).
    pub reevaluated: Vec<ProjectId>,
    /// Projects whose file no longer exists.
    pub removed: Vec<ProjectId>,
}

#[derive(Clone, Debug)]
pub struct Workspace {
    root: PathBuf,
    options: WorkspaceOptions,
    files: DiscoveredFiles,
    store: FileStore,
    projects: Vec<Option<Project>>,
    by_path: HashMap<PathBuf, ProjectId>,
    solutions: BTreeMap<PathBuf, Solution>,
    global_jsons: BTreeMap<PathBuf, GlobalJson>,
    nuget_configs: BTreeMap<PathBuf, NugetConfig>,
    /// Problems reading solution, global.json and NuGet.config files.
    read_errors: BTreeMap<PathBuf, WorkspaceDiagnostic>,
}

impl Workspace {
    /// Discovers and evaluates everything under `root`. Never fails: problems are reported by
    /// [`Workspace::diagnostics`].
    pub fn index(root: &Path, options: WorkspaceOptions) -> Workspace {
        let root = absolute(root);
        let files = discover(&root, &options.discovery);
        let mut store = FileStore::new(options.max_file_size);
        for path in files.files.keys() {
            store.remember_exists(path, true);
        }
        // The walk saw every file in these directories, so the files evaluation looks for in
        // each of them are known to exist or not without asking the disk again.
        for dir in &files.directories {
            for name in WELL_KNOWN_MSBUILD_FILES {
                let candidate = dir.join(name);
                let exists = files.files.contains_key(&candidate);
                store.remember_exists(&candidate, exists);
            }
        }
        let mut workspace = Workspace {
            root,
            options,
            files,
            store,
            projects: Vec::new(),
            by_path: HashMap::default(),
            solutions: BTreeMap::new(),
            global_jsons: BTreeMap::new(),
            nuget_configs: BTreeMap::new(),
            read_errors: BTreeMap::new(),
        };
        let project_paths: Vec<PathBuf> = workspace
            .files
            .of_kind(FileKind::Project)
            .map(Path::to_path_buf)
            .collect();
        for path in project_paths {
            workspace.evaluate(&path);
        }
        let all: Vec<ProjectId> = workspace.projects().map(|p| p.id).collect();
        workspace.evaluate_referenced_outside_index(all);
        let other: Vec<(PathBuf, FileKind)> = workspace
            .files
            .files
            .iter()
            .filter(|(_, kind)| {
                matches!(
                    kind,
                    FileKind::Solution | FileKind::GlobalJson | FileKind::NugetConfig
                )
            })
            .map(|(p, k)| (p.clone(), *k))
            .collect();
        for (path, kind) in other {
            workspace.read_side_file(&path, kind);
        }
        workspace
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn files(&self) -> &DiscoveredFiles {
        &self.files
    }

    pub fn projects(&self) -> impl Iterator<Item = &Project> {
        self.projects.iter().flatten()
    }

    pub fn project(&self, id: ProjectId) -> Option<&Project> {
        self.projects.get(id.0 as usize).and_then(Option::as_ref)
    }

    pub fn project_id(&self, path: &Path) -> Option<ProjectId> {
        self.by_path.get(&self.absolute_path(path)).copied()
    }

    pub fn project_by_path(&self, path: &Path) -> Option<&Project> {
        self.project_id(path).and_then(|id| self.project(id))
    }

    pub fn solutions(&self) -> impl Iterator<Item = &Solution> {
        self.solutions.values()
    }

    pub fn global_jsons(&self) -> impl Iterator<Item = &GlobalJson> {
        self.global_jsons.values()
    }

    pub fn nuget_configs(&self) -> impl Iterator<Item = &NugetConfig> {
        self.nuget_configs.values()
    }

    /// The global.json the dotnet CLI uses when run in `dir`: the nearest one in `dir` or above.
    pub fn global_json_for(&self, dir: &Path) -> Option<&GlobalJson> {
        let dir = self.absolute_path(dir);
        dir.ancestors()
            .find_map(|d| self.global_jsons.values().find(|g| g.dir() == d))
    }

    /// The NuGet.config files NuGet merges for `dir`, nearest first.
    pub fn nuget_configs_for(&self, dir: &Path) -> Vec<&NugetConfig> {
        let dir = self.absolute_path(dir);
        dir.ancestors()
            .flat_map(|d| self.nuget_configs.values().filter(move |c| c.dir() == d))
            .collect()
    }

    /// "Api -> Domain -> Shared.Core".
    pub fn describe_chain(&self, chain: &[ProjectId]) -> String {
        chain
            .iter()
            .map(|id| self.project(*id).map(|p| p.name.as_str()).unwrap_or("?"))
            .collect::<Vec<_>>()
            .join(" -> ")
    }

    /// Every problem found: walk warnings, unreadable or malformed files, evaluation notes,
    /// missing references and reference cycles. Duplicates (a broken props file imported by
    /// many projects) are reported once.
    pub fn diagnostics(&self) -> Vec<WorkspaceDiagnostic> {
        let mut seen = HashSet::default();
        let mut out = Vec::new();
        let all = self
            .files
            .warnings
            .iter()
            .chain(self.read_errors.values())
            .chain(self.solutions.values().flat_map(|s| s.diagnostics.iter()))
            .chain(
                self.global_jsons
                    .values()
                    .flat_map(|g| g.diagnostics.iter()),
            )
            .chain(
                self.nuget_configs
                    .values()
                    .flat_map(|n| n.diagnostics.iter()),
            )
            .chain(self.projects().flat_map(|p| p.diagnostics.iter()))
            .cloned()
            .chain(self.cycle_diagnostics());
        for diagnostic in all {
            let key = (
                diagnostic.path.clone(),
                diagnostic.range,
                diagnostic.kind,
                diagnostic.message.clone(),
            );
            if seen.insert(key) {
                out.push(diagnostic);
            }
        }
        out
    }

    /// The projects `start` pulls in through ProjectReferences, transitively, with the chain
    /// that pulls each one in; references whose condition is known to be false are not
    /// followed, unknown conditions are.
    pub fn reference_closure(&self, start: ProjectId) -> ReferenceClosure {
        let mut closure = ReferenceClosure::default();
        if self.project(start).is_none() {
            return closure;
        }
        let mut parent: HashMap<ProjectId, ProjectId> = HashMap::default();
        let mut visited: HashSet<ProjectId> = HashSet::default();
        visited.insert(start);
        let mut queue = VecDeque::from([start]);
        while let Some(current) = queue.pop_front() {
            let Some(project) = self.project(current) else {
                continue;
            };
            for reference in project
                .project_references
                .iter()
                .filter(|r| r.condition.applies())
            {
                match self.by_path.get(&reference.path) {
                    Some(&target) => {
                        if visited.insert(target) {
                            parent.insert(target, current);
                            closure.entries.push(ClosureEntry {
                                project: target,
                                chain: chain_to(&parent, start, target),
                            });
                            queue.push_back(target);
                        }
                    }
                    None => {
                        if !reference.target_exists {
                            closure.missing.push(MissingReference {
                                path: reference.path.clone(),
                                chain: chain_to(&parent, start, current),
                                location: reference.location.clone(),
                            });
                        }
                    }
                }
            }
        }
        closure.cycles = self.find_cycles(&[start]);
        closure
    }

    /// Re-reads `path` after a change. `Some(contents)` makes `contents` the file's text (an
    /// unsaved editor buffer) until the next call for the path; `None` means "read it from
    /// disk" (the file may have been created, changed or deleted). Only what depends on the
    /// file is evaluated again.
    pub fn update_file(&mut self, path: &Path, contents: Option<String>) -> UpdateSummary {
        let path = self.absolute_path(path);
        let existed_before = self.files.kind_of(&path).is_some()
            || self.by_path.contains_key(&path)
            || self.store.cached_exists(&path) == Some(true);
        self.store.set_overlay(&path, contents);
        let exists_now = self.store.exists(&path);
        let existence_changed = existed_before != exists_now;
        let kind = classify(&path);
        let mut summary = UpdateSummary {
            kind,
            ..UpdateSummary::default()
        };
        if let Some(kind) = kind {
            if exists_now && self.is_indexable(&path) {
                self.files.files.insert(path.clone(), kind);
            } else {
                self.files.files.remove(&path);
            }
        }
        let mut to_evaluate: BTreeSet<PathBuf> = BTreeSet::new();
        match kind {
            Some(FileKind::Project) if exists_now => {
                to_evaluate.insert(path.clone());
            }
            Some(FileKind::Project) => {
                if let Some(id) = self.by_path.remove(&path) {
                    if let Some(slot) = self.projects.get_mut(id.0 as usize) {
                        *slot = None;
                    }
                    summary.removed.push(id);
                }
            }
            Some(side @ (FileKind::Solution | FileKind::GlobalJson | FileKind::NugetConfig)) => {
                self.solutions.remove(&path);
                self.global_jsons.remove(&path);
                self.nuget_configs.remove(&path);
                self.read_errors.remove(&path);
                if exists_now {
                    self.read_side_file(&path, side);
                }
            }
            _ => {}
        }
        for project in self.projects() {
            if project.path == path {
                continue;
            }
            // Paths are normalised, so byte equality is path equality (and much cheaper than
            // `Path::eq`, which compares component by component).
            let same = |p: &PathBuf| p.as_os_str() == path.as_os_str();
            let reads_it = project.inputs.iter().any(same);
            let probed_it = existence_changed && project.probes.iter().any(same);
            if reads_it || probed_it {
                to_evaluate.insert(project.path.clone());
            }
        }
        for project_path in to_evaluate {
            summary.reevaluated.push(self.evaluate(&project_path));
        }
        let changed = summary.reevaluated.clone();
        let added = self.evaluate_referenced_outside_index(changed);
        summary.reevaluated.extend(added);
        summary
    }

    fn is_indexable(&self, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(&self.root) else {
            return false;
        };
        let mut components = relative.components().collect::<Vec<_>>();
        components.pop();
        !components.iter().any(|c| {
            let name = c.as_os_str().to_string_lossy();
            ["bin", "obj", "node_modules", ".git"]
                .iter()
                .any(|d| d.eq_ignore_ascii_case(&name))
        })
    }

    /// Evaluates (or re-evaluates) the project at `path`, keeping its id.
    fn evaluate(&mut self, path: &Path) -> ProjectId {
        let id = match self.by_path.get(path) {
            Some(id) => *id,
            None => {
                let id = ProjectId(self.projects.len() as u32);
                self.projects.push(None);
                self.by_path.insert(path.to_path_buf(), id);
                id
            }
        };
        let project = evaluate_project(id, path, &mut self.store, &self.options.evaluation);
        if let Some(slot) = self.projects.get_mut(id.0 as usize) {
            *slot = Some(project);
        }
        id
    }

    /// Projects referenced from the index that the walk did not find (outside the root, or
    /// beyond the walk's limits) are evaluated too, so closures are complete.
    fn evaluate_referenced_outside_index(
        &mut self,
        mut frontier: Vec<ProjectId>,
    ) -> Vec<ProjectId> {
        let mut added = Vec::new();
        let limit = self.options.discovery.max_entries;
        while !frontier.is_empty() && self.projects.len() < limit {
            let pending: BTreeSet<PathBuf> = frontier
                .iter()
                .filter_map(|id| self.project(*id))
                .flat_map(|p| p.project_references.iter())
                .filter(|r| r.target_exists && !self.by_path.contains_key(&r.path))
                .filter(|r| ProjectLanguage::from_path(&r.path).is_some())
                .map(|r| r.path.clone())
                .collect();
            frontier = pending.iter().map(|path| self.evaluate(path)).collect();
            added.extend(frontier.iter().copied());
        }
        added
    }

    fn read_side_file(&mut self, path: &Path, kind: FileKind) {
        let text = match self.store.read_text(path) {
            Ok(text) => text,
            Err(diagnostic) => {
                self.read_errors.insert(path.to_path_buf(), diagnostic);
                return;
            }
        };
        match kind {
            FileKind::Solution => {
                self.solutions
                    .insert(path.to_path_buf(), parse_solution(path, &text));
            }
            FileKind::GlobalJson => {
                self.global_jsons
                    .insert(path.to_path_buf(), parse_global_json(path, &text));
            }
            FileKind::NugetConfig => {
                self.nuget_configs
                    .insert(path.to_path_buf(), parse_nuget_config(path, &text));
            }
            _ => {}
        }
    }

    fn absolute_path(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            paths::normalize(path)
        } else {
            paths::normalize(&self.root.join(path))
        }
    }

    fn cycle_diagnostics(&self) -> Vec<WorkspaceDiagnostic> {
        let starts: Vec<ProjectId> = self.projects().map(|p| p.id).collect();
        self.find_cycles(&starts)
            .into_iter()
            .filter_map(|cycle| {
                let (last, closing) = (cycle.get(cycle.len().checked_sub(2)?)?, cycle.last()?);
                let holder = self.project(*last)?;
                let closing_path = &self.project(*closing)?.path;
                let reference = holder
                    .project_references
                    .iter()
                    .find(|r| r.path == *closing_path)?;
                Some(WorkspaceDiagnostic::new(
                    reference.location.path_buf(),
                    Some(reference.location.range),
                    Severity::Warning,
                    WorkspaceDiagnosticKind::ProjectReferenceCycle,
                    format!("circular ProjectReference: {}", self.describe_chain(&cycle)),
                ))
            })
            .collect()
    }

    /// Cycles reachable from `starts`, each reported once, found by an iterative DFS.
    fn find_cycles(&self, starts: &[ProjectId]) -> Vec<Vec<ProjectId>> {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            OnStack,
            Done,
        }
        let mut state: HashMap<ProjectId, State> = HashMap::default();
        let mut cycles = Vec::new();
        for &start in starts {
            if state.contains_key(&start) {
                continue;
            }
            let mut stack: Vec<(ProjectId, Vec<ProjectId>, usize)> =
                vec![(start, self.successors(start), 0)];
            state.insert(start, State::OnStack);
            while let Some((node, successors, next)) = stack.last_mut() {
                let node = *node;
                if let Some(&successor) = successors.get(*next) {
                    *next += 1;
                    match state.get(&successor) {
                        None => {
                            state.insert(successor, State::OnStack);
                            let successors = self.successors(successor);
                            stack.push((successor, successors, 0));
                        }
                        Some(State::OnStack) => {
                            let position = stack
                                .iter()
                                .position(|(n, _, _)| *n == successor)
                                .unwrap_or(0);
                            let mut cycle: Vec<ProjectId> =
                                stack[position..].iter().map(|(n, _, _)| *n).collect();
                            cycle.push(successor);
                            cycles.push(cycle);
                        }
                        Some(State::Done) => {}
                    }
                } else {
                    state.insert(node, State::Done);
                    stack.pop();
                }
            }
        }
        cycles
    }

    fn successors(&self, id: ProjectId) -> Vec<ProjectId> {
        let Some(project) = self.project(id) else {
            return Vec::new();
        };
        project
            .project_references
            .iter()
            .filter(|r| r.condition.applies())
            .filter_map(|r| self.by_path.get(&r.path).copied())
            .collect()
    }
}

fn chain_to(
    parent: &HashMap<ProjectId, ProjectId>,
    start: ProjectId,
    end: ProjectId,
) -> Vec<ProjectId> {
    let mut chain = vec![end];
    let mut current = end;
    while current != start {
        match parent.get(&current) {
            Some(&previous) => {
                chain.push(previous);
                current = previous;
            }
            None => break,
        }
    }
    chain.reverse();
    chain
}

fn absolute(root: &Path) -> PathBuf {
    if root.is_absolute() {
        paths::normalize(root)
    } else {
        let current = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        paths::normalize(&current.join(root))
    }
}
