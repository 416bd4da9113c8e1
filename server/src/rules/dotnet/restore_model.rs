//! The restore model: for every `dotnet restore|build|publish|test` of a Dockerfile, which
//! project (or solution) it builds, which files of the build context are in the stage's
//! filesystem when it runs (from COPY/ADD, WORKDIR and `FROM <stage>` chains, through
//! [`StageFs`]), where MSBuild and NuGet will look for the files the build needs, and which
//! earlier restore a `--no-restore` command relies on.
//!
//! Rules share it through [`RestoreModel::of`]; it is `None` when the Dockerfile is analysed
//! without its solution.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::context::dockerfile_facts::{ContextProjects, DockerfileFacts, SolutionSnapshot};
use crate::context::stage_fs::{dotnet_targets, posix_join, BuildTarget, DotnetTarget, StageFs};
use crate::context::{ContextReason, SourceMatch, SourceOutcome};
use crate::dotnet::{paths, ClosureEntry, ProjectId, Workspace};
use crate::model::DotnetCommand;
use crate::rules::RuleContext;
use crate::syntax::{Instruction, Keyword};
use crate::text::TextRange;

/// The Dockerfile seen together with its solution: the workspace, the Dockerfile facts and
/// the stage filesystems.
pub struct SolutionView<'a> {
    pub workspace: &'a Workspace,
    solution: &'a SolutionSnapshot,
    pub facts: &'a DockerfileFacts,
    pub fs: StageFs<'a>,
    /// The build context directory, normalised.
    pub context_dir: PathBuf,
    text: &'a str,
}

impl<'a> SolutionView<'a> {
    /// The analysis's view, shared by every rule that asks (built with the restore model).
    pub fn of<'b>(ctx: &'b RuleContext<'a>) -> Option<&'b SolutionView<'a>> {
        RestoreModel::of(ctx).map(|model| &model.view)
    }

    fn build(ctx: &RuleContext<'a>) -> Option<SolutionView<'a>> {
        let facts = ctx.facts?;
        let solution = ctx.env.solution.as_ref()?;
        Some(SolutionView {
            workspace: solution.workspace.as_ref(),
            solution,
            facts,
            fs: StageFs::new(ctx.tree, ctx.model, facts),
            context_dir: paths::normalize(&facts.build_context.dir),
            text: ctx.text,
        })
    }

    /// `abs` relative to the build context (`/`-separated, `""` for the context itself), or
    /// `None` when it lies outside the context.
    pub fn context_path(&self, abs: &Path) -> Option<String> {
        crate::context::dockerfile_facts::context_relative(abs, &self.context_dir)
    }

    /// "; .dockerignore line 3 (`**/*.props`) excludes it" when the ignore file leaves the
    /// context file out, else "".
    pub fn exclusion_note(&self, context_path: &str) -> String {
        self.facts
            .dockerignore
            .as_ref()
            .and_then(|d| {
                let matched = d.ignore.is_excluded(context_path)?;
                let name = d
                    .source
                    .path()
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| ".dockerignore".to_string());
                Some(format!(
                    "; {name} line {} (`{}`) excludes it from the build context",
                    matched.line, matched.pattern
                ))
            })
            .unwrap_or_default()
    }

    /// How a path of the solution is shown in messages: relative to the workspace root.
    pub fn display_path(&self, abs: &Path) -> String {
        display_relative(self.workspace.root(), abs)
    }

    /// "`.` (set by service `api` in compose.yaml)": which directory is the build context and
    /// why, short enough for a diagnostic message.
    pub fn context_description(&self) -> String {
        let dir = self.display_path(&self.facts.build_context.dir);
        let why = match &self.facts.build_context.reason {
            ContextReason::Compose {
                compose_file,
                service,
            } => format!(
                "set by service `{service}` in {}",
                self.display_path(compose_file)
            ),
            ContextReason::DockerfileContext { project, value } => format!(
                "<DockerfileContext>{value}</DockerfileContext> in {}",
                self.display_path(project)
            ),
            ContextReason::Configured { source } => format!("configured in {source}"),
            ContextReason::CopySources {
                found, considered, ..
            } => format!("guessed: {found} of {considered} COPY sources exist there"),
            ContextReason::DockerfileDirectory => "assumed: the Dockerfile's directory".to_string(),
        };
        format!("`{dir}` ({why})")
    }

    /// Whether the context was named explicitly (compose, DockerfileContext, configuration)
    /// rather than guessed.
    pub fn context_is_explicit(&self) -> bool {
        matches!(
            self.facts.build_context.reason,
            ContextReason::Compose { .. }
                | ContextReason::DockerfileContext { .. }
                | ContextReason::Configured { .. }
        )
    }

    /// The 1-based line of a byte offset of the Dockerfile.
    pub fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    /// Where a finding about the build context as a whole goes: the keyword of the first
    /// instruction that reads the context (a COPY/ADD without `--from`, or a RUN with a bind
    /// mount of the context). `None` when nothing reads it: BuildKit then sends no file.
    pub fn context_finding_range(&self) -> Option<TextRange> {
        let tree = self.fs.tree;
        let first_copy = self.facts.copies.iter().map(|c| c.instruction).min();
        let first_mount = self
            .fs
            .model
            .stages
            .iter()
            .flat_map(|s| s.instructions.clone())
            .find(|&idx| {
                tree.instructions
                    .get(idx)
                    .is_some_and(|i| i.keyword == Keyword::Run && mounts_context(i))
            });
        [first_copy, first_mount]
            .into_iter()
            .flatten()
            .min()
            .and_then(|idx| tree.instructions.get(idx))
            .map(|i| i.keyword_range)
    }

    /// The context-relative directories of the workspace's projects.
    pub fn projects_in_context(&self) -> Arc<ContextProjects> {
        self.solution.projects_in_context(&self.context_dir)
    }

    /// The copied matches of the final stage's filesystem (its own copies and those of the
    /// stages it derives from), with the copy they come from.
    pub fn final_stage_copies(
        &self,
    ) -> Vec<(
        &'a crate::context::CopyFacts,
        usize,
        &'a crate::context::SourceResolution,
    )> {
        let Some(final_stage) = self.fs.model.final_stage() else {
            return Vec::new();
        };
        self.fs
            .copies_before(final_stage.index, usize::MAX)
            .into_iter()
            .flat_map(|copy| {
                copy.sources
                    .iter()
                    .enumerate()
                    .map(move |(i, (_, resolution))| (copy, i, resolution))
            })
            .collect()
    }
}

/// A RUN whose `--mount` binds the build context (type `bind`, the default, without
/// `from=`).
fn mounts_context(run: &Instruction) -> bool {
    run.flags
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("mount"))
        .filter_map(|f| f.value.as_ref())
        .any(|value| {
            let mut kind = "bind";
            let mut from = false;
            for option in value.text.split(',') {
                let (key, val) = option.split_once('=').unwrap_or((option, ""));
                match key.trim().to_ascii_lowercase().as_str() {
                    "type" => kind = val.trim(),
                    "from" => from = true,
                    _ => {}
                }
            }
            kind.eq_ignore_ascii_case("bind") && !from
        })
}

/// `a, b, c and 3 more`.
pub fn list_names(names: &[String], max: usize) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        _ if names.len() <= max => format!(
            "{} and {}",
            names[..names.len() - 1].join(", "),
            names[names.len() - 1]
        ),
        _ => format!("{} and {} more", names[..max].join(", "), names.len() - max),
    }
}

/// `abs` relative to `root` (`.` for the root itself), else `abs` as it is.
pub fn display_relative(root: &Path, abs: &Path) -> String {
    let abs = paths::normalize(abs);
    match abs.strip_prefix(root) {
        Ok(rest) if rest.as_os_str().is_empty() => ".".to_string(),
        Ok(rest) => paths::slashed(rest),
        Err(_) => abs.display().to_string(),
    }
}

/// The relative path from context directory `from_dir` to context path `to`
/// (`src/Api` -> `Directory.Build.props` = `../../Directory.Build.props`).
pub fn relative_path(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|p| !p.is_empty()).collect();
    let target: Vec<&str> = to.split('/').filter(|p| !p.is_empty()).collect();
    let common = from.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&target[common..]);
    parts.join("/")
}

/// The directory part of a `/`-separated path (`""` for a bare name, `/` for `/x`).
pub fn parent_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(i) => &path[..i],
        None => "",
    }
}

/// `dir` is `ancestor` or below it (absolute container paths).
pub fn container_dir_within(dir: &str, ancestor: &str) -> bool {
    let ancestor = ancestor.trim_end_matches('/');
    ancestor.is_empty()
        || dir == ancestor
        || dir
            .strip_prefix(ancestor)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// `path` is `dir` or below it (context-relative paths; `""` is the context root).
pub fn context_path_within(path: &str, dir: &str) -> bool {
    dir.is_empty()
        || path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// A source match that is a directory the build sees (not left out by .dockerignore).
pub fn visible_dir(m: &SourceMatch) -> bool {
    m.is_dir && m.excluded_by.is_none()
}

/// The visible matches of a resolution.
pub fn visible_matches(outcome: &SourceOutcome) -> impl Iterator<Item = &SourceMatch> {
    let matches: &[SourceMatch] = match outcome {
        SourceOutcome::Found(m) => m,
        _ => &[],
    };
    matches.iter().filter(|m| m.excluded_by.is_none())
}

/// One `dotnet` command with what it builds and where.
pub struct DotnetStep<'a> {
    pub target: DotnetTarget<'a>,
    /// The projects it builds directly: the project, or the solution's projects.
    pub projects: Vec<ProjectId>,
    /// The context directory and container directory of the project or solution file it
    /// names: other files are found relative to these two, so a file of the context is where
    /// the build looks for it when it sits at the same relative place in the container.
    pub anchor: Option<Anchor>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    pub context_dir: String,
    pub container_dir: String,
}

impl<'a> DotnetStep<'a> {
    pub fn command(&self) -> &'a DotnetCommand {
        &self.target.invocation.command
    }

    pub fn stage(&self) -> usize {
        self.target.invocation.stage
    }

    pub fn instruction(&self) -> usize {
        self.target.invocation.instruction
    }

    pub fn restores(&self) -> bool {
        self.command().restores()
    }

    /// `dotnet restore`, as a range: from `dotnet` to the verb.
    pub fn words_range(&self) -> TextRange {
        let command = self.command();
        TextRange::new(command.range.start(), command.verb_range.end())
    }

    /// The project argument, or the `dotnet <verb>` words when there is none.
    pub fn target_range(&self) -> TextRange {
        self.command()
            .project
            .as_ref()
            .map(|p| p.range)
            .unwrap_or_else(|| self.words_range())
    }

    /// "`dotnet restore` runs" / "`dotnet publish` restores", for messages.
    pub fn restore_phrase(&self) -> String {
        let verb = &self.command().verb;
        if verb == "restore" {
            "`dotnet restore` runs".to_string()
        } else {
            format!("`dotnet {verb}` restores")
        }
    }
}

/// A project the restore of a step evaluates, with the reference chain that pulls it in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoredProject {
    pub project: ProjectId,
    /// From the project the command names to this one (both included); one element for the
    /// named project itself.
    pub chain: Vec<ProjectId>,
}

/// The restore model of one Dockerfile.
pub struct RestoreModel<'a> {
    pub view: SolutionView<'a>,
    pub steps: Vec<DotnetStep<'a>>,
    /// For each stage, the indices in `steps` of its commands that restore: a restore looks
    /// for earlier ones only in the few stages whose files it sees.
    restoring_by_stage: Vec<Vec<usize>>,
    /// [`Self::closure_entries`] by project.
    closures: RefCell<FxHashMap<ProjectId, Rc<[ClosureEntry]>>>,
}

impl<'a> RestoreModel<'a> {
    /// The analysis's restore model, built on first use and shared by the rules: building
    /// it traces every COPY and `dotnet` command, too much to repeat per rule.
    pub fn of<'b>(ctx: &'b RuleContext<'a>) -> Option<&'b RestoreModel<'a>> {
        ctx.restore_model.get_or_init(|| Self::build(ctx)).as_ref()
    }

    fn build(ctx: &RuleContext<'a>) -> Option<RestoreModel<'a>> {
        let view = SolutionView::build(ctx)?;
        let targets = dotnet_targets(&view.fs, view.workspace);
        let steps = targets
            .into_iter()
            .map(|target| {
                let projects = match &target.target {
                    BuildTarget::Project(id) => vec![*id],
                    BuildTarget::Solution { projects, .. } => projects.clone(),
                    BuildTarget::Unknown => Vec::new(),
                };
                let anchor = anchor_of(&view, &target);
                DotnetStep {
                    target,
                    projects,
                    anchor,
                }
            })
            .collect::<Vec<DotnetStep>>();
        let mut restoring_by_stage = vec![Vec::new(); view.fs.model.stages.len()];
        for (i, step) in steps.iter().enumerate() {
            if let Some(stage) = restoring_by_stage.get_mut(step.stage()) {
                if step.restores() {
                    stage.push(i);
                }
            }
        }
        Some(RestoreModel {
            view,
            steps,
            restoring_by_stage,
            closures: RefCell::default(),
        })
    }

    pub fn workspace(&self) -> &'a Workspace {
        self.view.workspace
    }

    /// Where the context file `context_path` is in the stage when `step` runs, if a COPY
    /// put it there.
    pub fn present(&self, step: &DotnetStep, context_path: &str) -> Option<String> {
        self.view
            .fs
            .to_container(step.stage(), step.instruction(), context_path)
    }

    /// Where the build of `step` looks for the context file `context_path`: the same place
    /// relative to the project or solution it names as in the context.
    pub fn mirrored(&self, step: &DotnetStep, context_path: &str) -> Option<String> {
        let anchor = step.anchor.as_ref()?;
        Some(posix_join(
            &anchor.container_dir,
            &relative_path(&anchor.context_dir, context_path),
        ))
    }

    /// Every project the restore of `step` evaluates: the projects it names and their
    /// ProjectReference closures (conditions honoured), each once with its shortest chain.
    pub fn restored_projects(&self, step: &DotnetStep) -> Vec<RestoredProject> {
        let mut out: Vec<RestoredProject> = step
            .projects
            .iter()
            .map(|&id| RestoredProject {
                project: id,
                chain: vec![id],
            })
            .collect();
        for &id in &step.projects {
            let closure = self.closure_entries(id);
            for entry in closure.iter() {
                match out.iter_mut().find(|r| r.project == entry.project) {
                    Some(existing) if existing.chain.len() > entry.chain.len() => {
                        existing.chain = entry.chain.clone();
                    }
                    Some(_) => {}
                    None => out.push(RestoredProject {
                        project: entry.project,
                        chain: entry.chain.clone(),
                    }),
                }
            }
        }
        out
    }

    /// The ProjectReference closure of `id`, computed once per project: a Dockerfile with
    /// many services restores the same shared projects again and again.
    fn closure_entries(&self, id: ProjectId) -> Rc<[ClosureEntry]> {
        let mut closures = self.closures.borrow_mut();
        Rc::clone(
            closures
                .entry(id)
                .or_insert_with(|| self.workspace().reference_closure(id).entries.into()),
        )
    }

    /// Indices of the steps that restore before `steps[index]` in the same filesystem: in
    /// its stage before it, in a stage it derives from, or in a stage whose restored project
    /// folders (with their `obj/`) a `COPY --from=<stage>` brought in.
    pub fn earlier_restores(&self, index: usize) -> Vec<usize> {
        let Some(step) = self.steps.get(index) else {
            return Vec::new();
        };
        let fs = &self.view.fs;
        let chain = fs.chain(step.stage());
        let copied_in: Vec<(Vec<usize>, Vec<String>)> = fs
            .stage_copies_before(step.stage(), step.instruction())
            .into_iter()
            .map(|copy| (fs.chain(copy.from), copy.sources))
            .collect();
        let earlier = |i: usize, s: &DotnetStep| {
            if i == index || !s.restores() {
                return false;
            }
            if chain.contains(&s.stage()) {
                return s.instruction() < step.instruction()
                    || (s.instruction() == step.instruction() && i < index);
            }
            copied_in.iter().any(|(stages, sources)| {
                stages.contains(&s.stage())
                    && s.anchor.as_ref().is_none_or(|anchor| {
                        sources
                            .iter()
                            .any(|source| container_dir_within(&anchor.container_dir, source))
                    })
            })
        };
        // Only steps of the stages in `chain` or in a copied-in chain can pass `earlier`.
        let mut stages: Vec<usize> = chain.clone();
        stages.extend(
            copied_in
                .iter()
                .flat_map(|(stages, _)| stages.iter().copied()),
        );
        stages.sort_unstable();
        stages.dedup();
        let mut found: Vec<usize> = stages
            .iter()
            .filter_map(|&stage| self.restoring_by_stage.get(stage))
            .flatten()
            .copied()
            .filter(|&i| self.steps.get(i).is_some_and(|s| earlier(i, s)))
            .collect();
        found.sort_unstable();
        found
    }

    /// The projects a restoring step leaves restored (named projects and closures); `None`
    /// when it names something Dockside cannot trace.
    pub fn restored_set(&self, step: &DotnetStep) -> Option<Vec<ProjectId>> {
        if matches!(step.target.target, BuildTarget::Unknown) {
            return None;
        }
        Some(
            self.restored_projects(step)
                .into_iter()
                .map(|r| r.project)
                .collect(),
        )
    }

    /// The context path of a project file.
    pub fn project_context_path(&self, id: ProjectId) -> Option<String> {
        let project = self.workspace().project(id)?;
        self.view.context_path(&project.path)
    }

    pub fn project_name(&self, id: ProjectId) -> String {
        self.workspace()
            .project(id)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| "?".to_string())
    }
}

/// The context and container directories of what a step names.
fn anchor_of(view: &SolutionView, target: &DotnetTarget) -> Option<Anchor> {
    let file: PathBuf = match &target.target {
        BuildTarget::Project(id) => view.workspace.project(*id)?.path.clone(),
        BuildTarget::Solution { path, .. } => path.clone(),
        BuildTarget::Unknown => return None,
    };
    let context_file = view.context_path(&file)?;
    let invocation = target.invocation;
    let container_file = view
        .fs
        .to_container(invocation.stage, invocation.instruction + 1, &context_file)
        .or_else(|| {
            // The command named the project's directory: the file sits inside it.
            let named = target.context_path.as_deref()?;
            let name = context_file.rsplit('/').next()?;
            (parent_of(&context_file) == named).then(|| posix_join(&target.container_path, name))
        })?;
    Some(Anchor {
        context_dir: parent_of(&context_file).to_string(),
        container_dir: parent_of(&container_file).to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::dotnet::test_support::{check_text_in_dir, csproj, solution};

    /// The rules built on this model, and CopyIgnoredFile.
    const RULES: &[&str] = &[
        "RestoreCacheBusted",
        "RestoreMissingProject",
        "RestoreMissingMsbuildInput",
        "RestoreTargetMismatch",
        "CopySourceMissing",
        "CopyIgnoredFile",
        "MissingDockerignore",
        "DockerignoreMissingBuildOutputs",
        "DeadDockerignore",
        "BuildContextMismatch",
        "NugetCredentialsInImage",
        "SecretFileInImage",
        "SourceInFinalImage",
        "ProjectFileUnreadable",
    ];

    #[test]
    fn every_context_rule_is_on_and_documented_in_ruff_shape() {
        for name in RULES {
            let meta = crate::rules::find_rule(name).expect("registered").meta();
            assert!(meta.default_enabled, "{name}");
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Use instead",
                "## Fix safety",
            ] {
                assert!(meta.docs.contains(section), "{name} lacks {section}");
            }
        }
    }

    #[test]
    fn the_good_dockerfile_in_its_solution_passes_every_context_rule() {
        let good = include_str!("../../../../tests/data/good.Dockerfile");
        let ignore = include_str!("../../../../fixtures/good/.dockerignore");
        let dir = solution(&[
            ("Api.sln", ""),
            ("global.json", "{\"sdk\": {\"version\": \"10.0.100\", \"rollForward\": \"latestFeature\"}}"),
            ("Directory.Build.props", "<Project><PropertyGroup><Nullable>enable</Nullable></PropertyGroup></Project>"),
            ("Directory.Packages.props", "<Project><PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup></Project>"),
            ("NuGet.config", "<configuration><packageSources><clear /><add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\" /></packageSources></configuration>"),
            (".dockerignore", ignore),
            ("src/Api/Api.csproj", &csproj("Microsoft.NET.Sdk.Web", &["../Domain/Domain.csproj"])),
            ("src/Api/Program.cs", ""),
            ("src/Domain/Domain.csproj", &csproj("Microsoft.NET.Sdk", &[])),
            ("Dockerfile", good),
        ]);
        for rule in RULES {
            assert_eq!(
                check_text_in_dir(rule, dir.path(), "Dockerfile", good),
                Vec::<String>::new(),
                "{rule}"
            );
        }
        // The same file without the Domain project in the restore layer is caught, so the
        // silence above is the model's verdict, not a failure to read the Dockerfile.
        let without_domain =
            good.replace("COPY [\"src/Domain/Domain.csproj\", \"src/Domain/\"]\n", "");
        assert_ne!(without_domain, good);
        assert_eq!(
            check_text_in_dir("RestoreMissingProject", dir.path(), "Dockerfile", &without_domain),
            ["17:20-17:40 Domain (src/Domain/Domain.csproj) is not in the image when `dotnet restore` runs; it is referenced by Api -> Domain"]
        );
    }

    #[test]
    fn relative_paths_between_context_files() {
        assert_eq!(
            relative_path("src/Api", "Directory.Build.props"),
            "../../Directory.Build.props"
        );
        assert_eq!(
            relative_path("src/Api", "src/Domain/Domain.csproj"),
            "../Domain/Domain.csproj"
        );
        assert_eq!(relative_path("", "src/A.csproj"), "src/A.csproj");
        assert_eq!(relative_path("src", "src/A/A.csproj"), "A/A.csproj");
        assert_eq!(parent_of("src/Api/Api.csproj"), "src/Api");
        assert_eq!(parent_of("Api.csproj"), "");
        assert_eq!(parent_of("/src/Api.csproj"), "/src");
        assert_eq!(parent_of("/Api.csproj"), "/");
        assert!(container_dir_within("/src/src/Api", "/src"));
        assert!(container_dir_within("/src", "/"));
        assert!(!container_dir_within("/srcx", "/src"));
        assert!(context_path_within("src/Api", ""));
        assert!(context_path_within("src/Api", "src"));
        assert!(!context_path_within("srcs/Api", "src"));
    }
}
