//! The files of a stage's filesystem at a given instruction, in terms of the build context:
//! where a context file lands in the container (`to_container`) and where a container path
//! came from (`to_context`), following WORKDIR, COPY/ADD destinations and `FROM <stage>`.
//! Also which project (or solution) each `dotnet` command builds.

use std::cell::{OnceCell, RefCell};
use std::path::Path;
use std::rc::Rc;

use rustc_hash::FxHashMap;

use super::dockerfile_facts::{CopyFacts, DockerfileFacts};
use super::dockerignore::go_clean;
use super::SourceOutcome;
use crate::dotnet::{ProjectId, Workspace};
use crate::model::{BaseImage, DotnetInvocation, Model, StageRefKind};
use crate::syntax::{Args, Keyword, SyntaxTree, Word};

/// Joins a container path onto a base directory and normalises it (`/src` + `../x` = `/x`).
pub fn posix_join(base: &str, path: &str) -> String {
    // Already clean: nothing to normalise.
    if let Some(rest) = path.strip_prefix('/') {
        if path == "/" || clean_segments(rest) {
            return path.to_string();
        }
    } else if clean_segments(path) {
        if base == "/" {
            return ["/", path].concat();
        }
        if base.strip_prefix('/').is_some_and(clean_segments) {
            return [base, "/", path].concat();
        }
    }
    normalized_join(base, path)
}

/// [`posix_join`] the long way, for any input.
fn normalized_join(base: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}/{}", base.trim_end_matches('/'), path)
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Whether `path` is one or more `/`-separated names, none empty, `.` or `..`.
pub(crate) fn clean_segments(path: &str) -> bool {
    // One pass over the bytes: this runs for nearly every path a rule resolves.
    let mut segment_start = 0;
    for end in memchr::memchr_iter(b'/', path.as_bytes()).chain(std::iter::once(path.len())) {
        if matches!(&path.as_bytes()[segment_start..end], b"" | b"." | b"..") {
            return false;
        }
        segment_start = end + 1;
    }
    true
}

/// `a/b` is `a` or below it (context-relative, cleaned).
fn under(path: &str, dir: &str) -> Option<String> {
    if dir == "." || dir.is_empty() {
        return Some(path.to_string());
    }
    if path == dir {
        return Some(String::new());
    }
    path.strip_prefix(dir)
        .and_then(|rest| rest.strip_prefix('/'))
        .map(str::to_string)
}

fn join_rel(dir: &str, rest: &str) -> String {
    match (dir, rest) {
        (".", r) | ("", r) => r.to_string(),
        (d, "") => d.to_string(),
        (d, r) => format!("{d}/{r}"),
    }
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The working directory just before instruction `idx` of `stage`, following WORKDIR through
/// the stage and the stages it is built `FROM` (`/` by default; the Microsoft images do not set
/// one). Needs no build context, unlike the rest of [`StageFs`].
pub fn workdir_at(tree: &SyntaxTree, model: &Model, stage: usize, idx: usize) -> String {
    let mut chain = vec![stage];
    let mut current = stage;
    while let Some(BaseImage::Stage(parent)) = model.stages.get(current).map(|s| &s.base) {
        if *parent >= current || chain.contains(parent) {
            break;
        }
        chain.push(*parent);
        current = *parent;
    }
    let mut dir = "/".to_string();
    for s in chain.into_iter().rev() {
        let Some(st) = model.stages.get(s) else {
            continue;
        };
        for i in st.instructions.clone() {
            if s == stage && i >= idx {
                break;
            }
            let Some(inst) = tree.instructions.get(i) else {
                continue;
            };
            if inst.keyword != Keyword::Workdir {
                continue;
            }
            if let Args::String(w) = &inst.args {
                // Without `$` there is nothing to substitute.
                dir = if w.text.contains('$') {
                    let expanded = model.expand_at(s, i, &w.text);
                    posix_join(&dir, expanded.text.trim_matches('"'))
                } else {
                    posix_join(&dir, w.text.trim_matches('"'))
                };
            }
        }
    }
    dir
}

/// Read-only view used to answer "where is this file in that stage?".
pub struct StageFs<'a> {
    pub tree: &'a SyntaxTree,
    pub model: &'a Model,
    pub facts: &'a DockerfileFacts,
    /// Each local copy's destination, by instruction index (computed once: every lookup
    /// walks the copies, and expanding a destination walks the stage's variables).
    destinations: Vec<(usize, Option<(String, bool)>)>,
    /// [`Self::events`] by (stage, instruction).
    events: RefCell<FxHashMap<(usize, usize), Rc<Events<'a>>>>,
    /// Each stage's own `COPY --from=<stage>` copies, in file order (traced once: every
    /// lookup asks for the copies of a stage and the stages it derives from).
    stage_copies: OnceCell<Vec<Vec<StageCopy>>>,
}

impl<'a> StageFs<'a> {
    pub fn new(tree: &'a SyntaxTree, model: &'a Model, facts: &'a DockerfileFacts) -> Self {
        let mut fs = StageFs {
            tree,
            model,
            facts,
            destinations: Vec::new(),
            events: RefCell::default(),
            stage_copies: OnceCell::new(),
        };
        let mut destinations: Vec<(usize, Option<(String, bool)>)> = facts
            .copies
            .iter()
            .map(|copy| (copy.instruction, fs.compute_destination(copy)))
            .collect();
        destinations.sort_by_key(|(instruction, _)| *instruction);
        fs.destinations = destinations;
        fs
    }

    /// Stages whose filesystem `stage` starts from: itself, then its `FROM <stage>` parents.
    pub fn chain(&self, stage: usize) -> Vec<usize> {
        let mut chain = vec![stage];
        let mut current = stage;
        while let Some(BaseImage::Stage(parent)) = self.model.stages.get(current).map(|s| &s.base) {
            if *parent >= current || chain.contains(parent) {
                break;
            }
            chain.push(*parent);
            current = *parent;
        }
        chain
    }

    /// The working directory just before instruction `idx` of `stage` (`/` by default; the
    /// Microsoft images do not set one).
    pub fn workdir_at(&self, stage: usize, idx: usize) -> String {
        workdir_at(self.tree, self.model, stage, idx)
    }

    /// Local copies that ran before instruction `idx` in `stage`'s filesystem, oldest first
    /// (`usize::MAX` for every copy of the stage and the stages it derives from).
    pub fn copies_before(&self, stage: usize, idx: usize) -> Vec<&'a CopyFacts> {
        // `facts.copies` is in instruction order, hence grouped by stage: each stage's copies
        // are found by binary search instead of a pass over every COPY of the file.
        let all = &self.facts.copies;
        let mut copies: Vec<&CopyFacts> = Vec::new();
        for s in self.chain(stage) {
            let start = all.partition_point(|c| c.stage < s);
            let end = all.partition_point(|c| c.stage <= s);
            copies.extend(
                all[start..end.max(start)]
                    .iter()
                    .filter(|c| c.stage != stage || c.instruction < idx),
            );
        }
        copies.sort_by_key(|c| c.instruction);
        copies
    }

    /// The absolute destination of a copy and whether it names a directory.
    pub fn destination(&self, copy: &CopyFacts) -> Option<(String, bool)> {
        match self
            .destinations
            .binary_search_by_key(&copy.instruction, |(instruction, _)| *instruction)
        {
            Ok(found) => self.destinations.get(found).and_then(|(_, d)| d.clone()),
            Err(_) => self.compute_destination(copy),
        }
    }

    fn compute_destination(&self, copy: &CopyFacts) -> Option<(String, bool)> {
        let dest = copy.destination.as_ref()?;
        let expanded = self
            .model
            .expand_at(copy.stage, copy.instruction, &dest.text);
        let workdir = self.workdir_at(copy.stage, copy.instruction);
        let path = posix_join(&workdir, &expanded.text);
        let is_dir = expanded.text.ends_with('/')
            || expanded.text == "."
            || copy.sources.len() > 1
            || copy.sources.iter().any(|(w, r)| {
                w.text.contains(['*', '?', '['])
                    || matches!(&r.outcome, SourceOutcome::Found(m) if m.len() != 1 || m.iter().any(|m| m.is_dir))
            });
        Some((path, is_dir))
    }

    /// Excluded from the build context by the .dockerignore that applies.
    fn excluded(&self, context_path: &str) -> bool {
        self.facts
            .dockerignore
            .as_ref()
            .is_some_and(|d| d.ignore.excludes(context_path))
    }

    fn has_parents_flag(&self, copy: &CopyFacts) -> bool {
        self.tree
            .instructions
            .get(copy.instruction)
            .and_then(|i| i.flag("parents"))
            .is_some_and(|f| f.value.as_ref().is_none_or(|v| v.text != "false"))
    }

    /// `COPY --from=<stage>` instructions that ran before instruction `idx` in `stage`'s
    /// filesystem, oldest first. Copies from images or named contexts are left out.
    pub fn stage_copies_before(&self, stage: usize, idx: usize) -> Vec<StageCopy> {
        let by_stage = self.stage_copies.get_or_init(|| self.trace_stage_copies());
        let mut copies: Vec<StageCopy> = self
            .chain(stage)
            .into_iter()
            .filter_map(|s| by_stage.get(s).map(|copies| (s, copies)))
            .flat_map(|(s, copies)| {
                copies
                    .iter()
                    .filter(move |c| s != stage || c.instruction < idx)
                    .cloned()
            })
            .collect();
        copies.sort_by_key(|c| c.instruction);
        copies
    }

    /// Every stage's `COPY --from=<earlier stage>` copies, by the stage they run in.
    fn trace_stage_copies(&self) -> Vec<Vec<StageCopy>> {
        let mut by_stage: Vec<Vec<StageCopy>> = vec![Vec::new(); self.model.stages.len()];
        for stage_ref in &self.model.stage_refs {
            if stage_ref.kind != StageRefKind::CopyFrom {
                continue;
            }
            let Some(copies) = by_stage.get_mut(stage_ref.in_stage) else {
                continue;
            };
            let Some(from) = stage_ref.target.filter(|&t| t < stage_ref.in_stage) else {
                continue;
            };
            let Some(inst) = self.tree.instructions.get(stage_ref.instruction) else {
                continue;
            };
            let words: Vec<&Word> = match &inst.args {
                Args::Words(w) => w.iter().collect(),
                Args::Exec { elements, .. } => elements.iter().collect(),
                _ => continue,
            };
            let Some((dest, sources)) = words.split_last() else {
                continue;
            };
            let expand = |w: &Word| {
                let e = self
                    .model
                    .expand_at(stage_ref.in_stage, stage_ref.instruction, &w.text);
                e.is_complete()
                    .then(|| e.text.trim_matches('"').to_string())
            };
            let Some(dest_text) = expand(dest) else {
                continue;
            };
            let sources: Vec<String> = sources
                .iter()
                .filter_map(|w| expand(w))
                .filter(|s| !s.contains(['*', '?', '[']))
                .map(|s| posix_join("/", &s))
                .collect();
            let workdir = self.workdir_at(stage_ref.in_stage, stage_ref.instruction);
            copies.push(StageCopy {
                instruction: stage_ref.instruction,
                from,
                dest_is_dir: dest_text.ends_with('/') || dest_text == "." || sources.len() > 1,
                destination: posix_join(&workdir, &dest_text),
                sources,
            });
        }
        by_stage
    }

    /// Where the context file `context_path` is in `stage` just before `idx`, if a COPY put
    /// it there (and .dockerignore did not exclude it), directly or through a
    /// `COPY --from=<stage>` of an earlier stage. The latest copy wins.
    pub fn to_container(&self, stage: usize, idx: usize, context_path: &str) -> Option<String> {
        self.to_container_within(stage, idx, context_path, 0)
    }

    fn to_container_within(
        &self,
        stage: usize,
        idx: usize,
        context_path: &str,
        depth: usize,
    ) -> Option<String> {
        if depth > self.model.stages.len() {
            return None;
        }
        let context_path = go_clean(context_path);
        if self.excluded(&context_path) {
            return None;
        }
        // The latest copy that puts the file somewhere wins: look from the last one back.
        for (_, event) in self.events(stage, idx).iter().rev() {
            match event {
                CopyEvent::Local(copy) => {
                    if let Some(landed) = self.local_landing(copy, &context_path) {
                        return Some(landed);
                    }
                }
                CopyEvent::FromStage(copy) => {
                    let Some(there) =
                        self.to_container_within(copy.from, usize::MAX, &context_path, depth + 1)
                    else {
                        continue;
                    };
                    if let Some(landed) = copy.landing(&there) {
                        return Some(landed);
                    }
                }
            }
        }
        None
    }

    /// The local and stage copies before instruction `idx` of `stage`, oldest first; computed
    /// once per (stage, idx), as rules ask about every project file of the solution.
    fn events(&self, stage: usize, idx: usize) -> Rc<Events<'a>> {
        if let Some(events) = self.events.borrow().get(&(stage, idx)) {
            return Rc::clone(events);
        }
        let mut events: Vec<(usize, CopyEvent)> = self
            .copies_before(stage, idx)
            .into_iter()
            .map(|c| (c.instruction, CopyEvent::Local(c)))
            .chain(
                self.stage_copies_before(stage, idx)
                    .into_iter()
                    .map(|c| (c.instruction, CopyEvent::FromStage(c))),
            )
            .collect();
        events.sort_by_key(|(instruction, _)| *instruction);
        let events = Rc::new(events);
        self.events
            .borrow_mut()
            .insert((stage, idx), Rc::clone(&events));
        events
    }

    /// Where a local copy puts the context file, if it copies it.
    fn local_landing(&self, copy: &CopyFacts, context_path: &str) -> Option<String> {
        let computed;
        let (dest, dest_is_dir) = match self
            .destinations
            .binary_search_by_key(&copy.instruction, |(instruction, _)| *instruction)
        {
            Ok(found) => {
                let (_, destination) = self.destinations.get(found)?;
                let (path, is_dir) = destination.as_ref()?;
                (path.as_str(), *is_dir)
            }
            Err(_) => {
                computed = self.compute_destination(copy)?;
                (computed.0.as_str(), computed.1)
            }
        };
        let parents = self.has_parents_flag(copy);
        let mut found = None;
        for (_, resolution) in &copy.sources {
            let SourceOutcome::Found(matches) = &resolution.outcome else {
                continue;
            };
            for m in matches {
                if m.is_dir {
                    if let Some(rest) = under(context_path, &m.relative_path) {
                        let inner = if parents {
                            context_path.to_string()
                        } else {
                            rest
                        };
                        found = Some(posix_join(dest, &inner));
                    }
                } else if m.relative_path == context_path {
                    found = Some(if parents {
                        posix_join(dest, context_path)
                    } else if dest_is_dir {
                        posix_join(dest, basename(context_path))
                    } else {
                        dest.to_string()
                    });
                }
            }
        }
        found
    }

    /// The context file (or directory) that a container path of `stage` came from, if a
    /// COPY before `idx` put it there (directly, or through `COPY --from=<stage>`).
    pub fn to_context(&self, stage: usize, idx: usize, container_path: &str) -> Option<String> {
        self.to_context_within(stage, idx, container_path, 0)
    }

    fn to_context_within(
        &self,
        stage: usize,
        idx: usize,
        container_path: &str,
        depth: usize,
    ) -> Option<String> {
        if depth > self.model.stages.len() {
            return None;
        }
        let target = posix_join("/", container_path);
        for (_, event) in self.events(stage, idx).iter().rev() {
            match event {
                CopyEvent::Local(copy) => {
                    if let Some(found) = self.local_origin(copy, &target) {
                        return Some(found);
                    }
                }
                CopyEvent::FromStage(copy) => {
                    for origin in copy.origins(&target) {
                        if let Some(found) =
                            self.to_context_within(copy.from, usize::MAX, &origin, depth + 1)
                        {
                            return Some(found);
                        }
                    }
                }
            }
        }
        None
    }

    /// The context path a local copy put at `target`, if it did.
    fn local_origin(&self, copy: &CopyFacts, target: &str) -> Option<String> {
        let (dest, dest_is_dir) = self.destination(copy)?;
        let parents = self.has_parents_flag(copy);
        for (_, resolution) in &copy.sources {
            let SourceOutcome::Found(matches) = &resolution.outcome else {
                continue;
            };
            for m in matches {
                if m.is_dir {
                    let Some(rest) =
                        under(target.trim_start_matches('/'), dest.trim_start_matches('/'))
                    else {
                        continue;
                    };
                    let candidate = if parents {
                        rest
                    } else {
                        join_rel(&m.relative_path, &rest)
                    };
                    if !self.excluded(&candidate) {
                        return Some(candidate);
                    }
                } else {
                    let landed = if parents {
                        posix_join(&dest, &m.relative_path)
                    } else if dest_is_dir {
                        posix_join(&dest, basename(&m.relative_path))
                    } else {
                        dest.clone()
                    };
                    if landed == target {
                        return Some(m.relative_path.clone());
                    }
                }
            }
        }
        None
    }
}

impl StageFs<'_> {
    /// The context folders whose files local copies put directly into the container folder
    /// `dir` before `idx`, latest copy first.
    pub fn directory_origins(&self, stage: usize, idx: usize, dir: &str) -> Vec<String> {
        let dir = posix_join("/", dir);
        let mut origins: Vec<String> = Vec::new();
        for copy in self.copies_before(stage, idx).into_iter().rev() {
            for (_, resolution) in &copy.sources {
                let SourceOutcome::Found(matches) = &resolution.outcome else {
                    continue;
                };
                for m in matches.iter().filter(|m| !m.is_dir) {
                    let Some(landed) = self.local_landing(copy, &m.relative_path) else {
                        continue;
                    };
                    let parent = match landed.rfind('/') {
                        Some(0) => "/",
                        Some(i) => &landed[..i],
                        None => continue,
                    };
                    if parent != dir {
                        continue;
                    }
                    let origin = match m.relative_path.rfind('/') {
                        Some(i) => m.relative_path[..i].to_string(),
                        None => String::new(),
                    };
                    if !origins.contains(&origin) {
                        origins.push(origin);
                    }
                }
            }
        }
        origins
    }
}

/// A `COPY --from=<stage>`: absolute source paths in stage `from`, and where they land.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageCopy {
    pub instruction: usize,
    pub from: usize,
    pub sources: Vec<String>,
    pub destination: String,
    pub dest_is_dir: bool,
}

impl StageCopy {
    /// Where the file at `path` of the source stage lands, if a source covers it.
    pub fn landing(&self, path: &str) -> Option<String> {
        let mut landed = None;
        for source in &self.sources {
            if path == source {
                landed = Some(if self.dest_is_dir {
                    posix_join(&self.destination, basename(path))
                } else {
                    self.destination.clone()
                });
            } else if let Some(rest) =
                under(path.trim_start_matches('/'), source.trim_start_matches('/'))
            {
                // A directory source: its content goes into the destination.
                landed = Some(posix_join(&self.destination, &rest));
            }
        }
        landed
    }

    /// The paths of the source stage that may have landed at `target`.
    fn origins(&self, target: &str) -> Vec<String> {
        let mut out = Vec::new();
        if target == self.destination && !self.dest_is_dir {
            out.extend(self.sources.iter().cloned());
        }
        if let Some(rest) = under(
            target.trim_start_matches('/'),
            self.destination.trim_start_matches('/'),
        ) {
            for source in &self.sources {
                if !rest.is_empty() {
                    if basename(source) == rest {
                        out.push(source.clone());
                    }
                    out.push(posix_join(source, &rest));
                } else {
                    out.push(source.clone());
                }
            }
        }
        out
    }
}

/// Copies by instruction index, oldest first.
type Events<'a> = Vec<(usize, CopyEvent<'a>)>;

enum CopyEvent<'a> {
    Local(&'a CopyFacts),
    FromStage(StageCopy),
}

/// What a `dotnet` command builds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildTarget {
    Project(ProjectId),
    /// A solution file and its projects.
    Solution {
        path: std::path::PathBuf,
        projects: Vec<ProjectId>,
    },
    /// The command's argument could not be traced to a file of the solution.
    Unknown,
}

/// A `dotnet` invocation with what it builds.
#[derive(Clone, Debug)]
pub struct DotnetTarget<'a> {
    pub invocation: &'a DotnetInvocation,
    /// The absolute container path the command names (or its working directory).
    pub container_path: String,
    /// The context-relative path it came from, when known.
    pub context_path: Option<String>,
    pub target: BuildTarget,
}

/// Which project or solution each `dotnet` command of the Dockerfile builds.
pub fn dotnet_targets<'a>(fs: &StageFs<'a>, workspace: &Workspace) -> Vec<DotnetTarget<'a>> {
    fs.model
        .dotnet_commands
        .iter()
        .map(|invocation| dotnet_target(fs, workspace, invocation))
        .collect()
}

/// Which project or solution one `dotnet` command builds.
pub fn dotnet_target<'a>(
    fs: &StageFs<'_>,
    workspace: &Workspace,
    invocation: &'a DotnetInvocation,
) -> DotnetTarget<'a> {
    let context_dir = fs.facts.build_context.dir.as_path();
    let workdir = fs.workdir_at(invocation.stage, invocation.instruction);
    let arg = invocation.command.project.as_ref().map(|p| {
        let e = fs
            .model
            .expand_at(invocation.stage, invocation.instruction, &p.text);
        e.text
    });
    let container_path = match &arg {
        Some(a) => posix_join(&workdir, a),
        None => workdir.clone(),
    };
    let after = invocation.instruction + 1;
    let mut context_path = fs.to_context(invocation.stage, after, &container_path);
    let mut target = context_path
        .as_deref()
        .map(|rel| resolve_target(workspace, &context_dir.join(rel)))
        .unwrap_or(BuildTarget::Unknown);
    if context_path.is_none() {
        // A directory filled file by file (`COPY App.sln ./`): the folder those files
        // come from, if it holds what the command builds.
        for candidate in fs.directory_origins(invocation.stage, after, &container_path) {
            let resolved = resolve_target(workspace, &context_dir.join(&candidate));
            if resolved != BuildTarget::Unknown {
                context_path = Some(candidate);
                target = resolved;
                break;
            }
        }
    }
    DotnetTarget {
        invocation,
        container_path,
        context_path,
        target,
    }
}

/// A project file, a solution file, or a directory holding exactly one of them.
fn resolve_target(workspace: &Workspace, path: &Path) -> BuildTarget {
    let path = crate::dotnet::paths::normalize(path);
    if let Some(id) = workspace.project_id(&path) {
        return BuildTarget::Project(id);
    }
    if let Some(solution) = workspace.solutions().find(|s| s.path == path) {
        return BuildTarget::Solution {
            path: solution.path.clone(),
            projects: solution
                .projects
                .iter()
                .filter_map(|p| workspace.project_id(&p.path))
                .collect(),
        };
    }
    let in_dir: Vec<ProjectId> = workspace
        .projects()
        .filter(|p| p.path.parent() == Some(path.as_path()))
        .map(|p| p.id)
        .collect();
    match in_dir.as_slice() {
        [one] => BuildTarget::Project(*one),
        _ => {
            let solutions: Vec<_> = workspace
                .solutions()
                .filter(|s| s.path.parent() == Some(path.as_path()))
                .collect();
            match solutions.as_slice() {
                [one] => resolve_target(workspace, &one.path),
                _ => BuildTarget::Unknown,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::analysis::{analyze, AnalysisEnv};
    use crate::context::SolutionSnapshot;
    use crate::dotnet::{Workspace, WorkspaceOptions};

    #[test]
    fn posix_join_takes_the_short_way_only_where_it_gives_the_same_path() {
        let bases = [
            "/",
            "/src",
            "/src/",
            "/app/publish",
            "//x",
            "/a/./b",
            "/a/../b",
            "/a/.",
            "",
        ];
        let paths = [
            "",
            ".",
            "..",
            "a",
            "a/b",
            "a//b",
            "./a",
            "a/./b",
            "a/../b",
            "../a",
            "/abs",
            "/",
            "a/",
            "src/Api/Api.csproj",
        ];
        for base in bases {
            for path in paths {
                assert_eq!(
                    posix_join(base, path),
                    normalized_join(base, path),
                    "{base:?} + {path:?}"
                );
            }
        }
    }

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures")
            .join(name)
    }

    fn analysis_of(fixture_name: &str, dockerfile: &str) -> (crate::analysis::Analysis, Workspace) {
        let root = crate::dotnet::paths::normalize(&fixture(fixture_name));
        let workspace = Workspace::index(&root, WorkspaceOptions::default());
        let path = root.join(dockerfile);
        let text = std::fs::read_to_string(&path).expect("fixture Dockerfile");
        let env = AnalysisEnv {
            path: Some(path),
            solution: Some(SolutionSnapshot::new(Workspace::index(
                &root,
                WorkspaceOptions::default(),
            ))),
            ..AnalysisEnv::default()
        };
        (analyze(&text, &env), workspace)
    }

    #[test]
    fn joins_container_paths() {
        assert_eq!(
            posix_join("/src", "./src/Api/Api.csproj"),
            "/src/src/Api/Api.csproj"
        );
        assert_eq!(posix_join("/src/a", "../b/"), "/src/b");
        assert_eq!(posix_join("/app", "/abs"), "/abs");
        assert_eq!(posix_join("/", "."), "/");
    }

    #[test]
    fn files_brought_by_copy_from_an_earlier_stage() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let root = crate::dotnet::paths::normalize(dir.path());
        std::fs::create_dir_all(root.join("src/Api")).expect("mkdir");
        std::fs::write(
            root.join("src/Api/Api.csproj"),
            "<Project Sdk=\"Microsoft.NET.Sdk.Web\"></Project>",
        )
        .expect("write");
        let text = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS restore\nWORKDIR /src\nCOPY src/Api/Api.csproj src/Api/\nRUN dotnet restore src/Api/Api.csproj\nFROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /work\nCOPY --from=restore /src ./\nCOPY --from=restore /src/src/Api/Api.csproj /single/\nRUN dotnet publish src/Api/Api.csproj --no-restore\n";
        let env = AnalysisEnv {
            path: Some(root.join("Dockerfile")),
            solution: Some(SolutionSnapshot::new(Workspace::index(
                &root,
                WorkspaceOptions::default(),
            ))),
            ..AnalysisEnv::default()
        };
        let analysis = analyze(text, &env);
        let facts = analysis.facts.as_ref().expect("facts");
        let fs = StageFs::new(&analysis.tree, &analysis.model, facts);
        let publish = &analysis.model.dotnet_commands[1];
        assert_eq!(
            fs.to_container(1, publish.instruction, "src/Api/Api.csproj")
                .as_deref(),
            Some("/single/Api.csproj")
        );
        assert_eq!(
            fs.to_container(1, publish.instruction - 1, "src/Api/Api.csproj")
                .as_deref(),
            Some("/work/src/Api/Api.csproj")
        );
        assert_eq!(
            fs.to_context(1, publish.instruction, "/work/src/Api/Api.csproj")
                .as_deref(),
            Some("src/Api/Api.csproj")
        );
        assert_eq!(
            fs.to_context(1, publish.instruction, "/single/Api.csproj")
                .as_deref(),
            Some("src/Api/Api.csproj")
        );
        assert_eq!(fs.to_context(1, publish.instruction, "/work/other"), None);
    }

    #[test]
    fn visual_studio_template_paths_and_targets() {
        let (analysis, workspace) = analysis_of("vs-template", "src/Api/Dockerfile");
        let facts = analysis.facts.as_ref().expect("facts");
        let fs = StageFs::new(&analysis.tree, &analysis.model, facts);
        // Before `COPY . .` only the project file is in /src.
        let restore = &analysis.model.dotnet_commands[0];
        assert_eq!(fs.workdir_at(1, restore.instruction), "/src");
        assert_eq!(
            fs.to_container(1, restore.instruction, "src/Api/Api.csproj")
                .as_deref(),
            Some("/src/src/Api/Api.csproj")
        );
        assert_eq!(
            fs.to_container(1, restore.instruction, "src/Domain/Domain.csproj"),
            None
        );
        let targets = dotnet_targets(&fs, &workspace);
        let names: Vec<(String, Option<String>, String)> = targets
            .iter()
            .map(|t| {
                let target = match &t.target {
                    BuildTarget::Project(id) => workspace
                        .project(*id)
                        .map(|p| p.name.clone())
                        .unwrap_or_default(),
                    other => format!("{other:?}"),
                };
                (t.container_path.clone(), t.context_path.clone(), target)
            })
            .collect();
        assert_eq!(
            names,
            [
                (
                    "/src/src/Api/Api.csproj".to_string(),
                    Some("src/Api/Api.csproj".to_string()),
                    "Api".to_string()
                ),
                (
                    "/src/src/Api/Api.csproj".to_string(),
                    Some("src/Api/Api.csproj".to_string()),
                    "Api".to_string()
                ),
                // The publish stage derives from build: WORKDIR and files carry over.
                (
                    "/src/src/Api/Api.csproj".to_string(),
                    Some("src/Api/Api.csproj".to_string()),
                    "Api".to_string()
                ),
            ]
        );
        // After `COPY . .` the referenced project is there too.
        let build = &analysis.model.dotnet_commands[1];
        assert_eq!(
            fs.to_container(1, build.instruction, "src/Domain/Domain.csproj")
                .as_deref(),
            Some("/src/src/Domain/Domain.csproj")
        );
    }
}
