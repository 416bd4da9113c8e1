//! What a Dockerfile ships: the project whose `dotnet publish` output ends up in the final
//! image, that publish command and its output directory, the final stage, and the image the
//! final stage runs on. Shared by the .NET runtime rules.
//!
//! The shipped project is found in this order:
//! 1. the last `dotnet publish` whose output reaches the final image: its `-o` directory (or
//!    the project's default `bin/<Configuration>/<TFM>/…/publish`) is taken by a
//!    `COPY --from=<stage>` of the final stage (or of a stage it is built `FROM`), or the
//!    command runs in the final image itself (single-stage Dockerfiles);
//! 2. else the last `dotnet publish`, else the last `dotnet build`;
//! 3. else, when the command's project cannot be traced to a file of the solution, the one
//!    project whose directory holds the Dockerfile (where Visual Studio puts it).

use super::restore_model::SolutionView;
use crate::context::stage_fs::{dotnet_target, posix_join, BuildTarget};
use crate::dotnet::{target_framework_identifier, target_framework_version, Project, Workspace};
use crate::images::{
    Catalog, DotnetVersion, ImageFacts, ImageMatch, ImageRef, KnownImage, RepoKind, TagKind,
};
use crate::model::{unquote, BaseImage, DotnetCommand, DotnetInvocation, Expanded, Model};
use crate::rules::hadolint::runs::ancestry;
use crate::rules::RuleContext;
use crate::syntax::{Args, Keyword, Word};
use crate::text::TextRange;

/// The image a stage runs on, through `FROM <stage>` links.
#[derive(Clone, Debug)]
pub struct StageImage {
    /// The stage whose FROM names the image (the stage itself or one it derives from).
    pub stage: usize,
    /// The image word of that FROM, as written.
    pub word: Word,
    /// The reference after substituting global ARGs.
    pub reference: ImageRef,
    /// The catalog entry, when the tag is a published one.
    pub known: Option<KnownImage<'static>>,
    /// What the catalog knows; `None` for images it says nothing about.
    pub facts: Option<ImageFacts>,
}

impl StageImage {
    /// The reference as the user reads it, variables substituted: `mcr.microsoft.com/dotnet/sdk:8.0`.
    pub fn name(&self) -> &str {
        self.reference.text()
    }

    /// The .NET repository kind, for the four .NET repositories only.
    pub fn kind(&self) -> Option<RepoKind> {
        self.facts
            .as_ref()
            .map(|f| f.repo_kind)
            .filter(|k| k.is_dotnet())
    }

    pub fn dotnet_version(&self) -> Option<DotnetVersion> {
        self.facts.as_ref().and_then(|f| f.dotnet_version)
    }

    /// The SDK inside an SDK image, as precisely as the tag says.
    pub fn sdk(&self) -> Option<ImageSdk> {
        if self.kind() != Some(RepoKind::Sdk) {
            return None;
        }
        let channel = self.dotnet_version()?;
        let Some(known) = &self.known else {
            return Some(ImageSdk {
                channel,
                version: None,
                exact: false,
            });
        };
        let (text, exact) = match &known.tag_kind {
            TagKind::Fixed => (known.image.product_version, true),
            TagKind::FixedOtherVersion { version } => (version.as_str(), true),
            _ => (known.image.product_version, false),
        };
        let version = SdkVersion::parse(text)
            .filter(|v| DotnetVersion::new(v.major, v.minor) == channel && v.feature_band() >= 1);
        Some(ImageSdk {
            channel,
            exact: exact && version.is_some(),
            version,
        })
    }
}

/// The SDK an SDK image has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageSdk {
    /// The .NET version of the image (`9.0`).
    pub channel: DotnetVersion,
    /// The SDK version: the tag's own for fixed tags, else the catalog's current one, whose
    /// feature band is the one a floating tag ships (each `X.Y` SDK image carries only the
    /// newest feature band). `None` when only the channel is known.
    pub version: Option<SdkVersion>,
    /// `version` is exactly what the tag holds (a fixed tag); otherwise the patch moves.
    pub exact: bool,
}

impl ImageSdk {
    /// "SDK 9.0.317" for fixed tags, "SDK 9.0.3xx" for floating ones, "a 6.0 SDK".
    pub fn describe(&self) -> String {
        match (self.version, self.exact) {
            (Some(v), true) => format!("SDK {v}"),
            (Some(v), false) => format!("SDK {}.{}.{}xx", v.major, v.minor, v.feature_band()),
            (None, _) => format!("a {} SDK", self.channel),
        }
    }
}

/// An SDK version `major.minor.FPP` (feature band `F`, patch `PP`), prerelease ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SdkVersion {
    pub major: u16,
    pub minor: u16,
    /// The third number as written: `317` for 9.0.317.
    pub build: u16,
}

impl SdkVersion {
    pub fn parse(text: &str) -> Option<SdkVersion> {
        let core = text.trim().split(['-', '+']).next()?;
        let mut parts = core.split('.');
        let number = |p: Option<&str>| -> Option<u16> {
            let p = p?;
            if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            p.parse().ok()
        };
        let version = SdkVersion {
            major: number(parts.next())?,
            minor: number(parts.next())?,
            build: number(parts.next())?,
        };
        parts.next().is_none().then_some(version)
    }

    /// `3` for 9.0.317.
    pub fn feature_band(self) -> u16 {
        self.build / 100
    }

    pub fn patch(self) -> u16 {
        self.build % 100
    }
}

impl std::fmt::Display for SdkVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.build)
    }
}

/// The image stage `stage` runs on; `None` for `scratch`, a missing image or a stage cycle.
pub fn stage_image(model: &Model, stage: usize) -> Option<StageImage> {
    let root = model.root_stage(stage)?;
    let BaseImage::Image { word, resolved } = &root.base else {
        return None;
    };
    let reference = ImageRef::parse_expanded(&resolved.text, &word.text, !resolved.is_complete());
    let catalog = Catalog::embedded();
    let matched = catalog.lookup(&reference);
    let facts = matched.facts(catalog);
    let known = match matched {
        ImageMatch::Known(known) => Some(known),
        _ => None,
    };
    Some(StageImage {
        stage: root.index,
        word: word.clone(),
        reference,
        known,
        facts,
    })
}

/// A container directory a command writes its output to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputDir {
    /// Absolute, normalised container path.
    pub path: String,
    /// Where it comes from, for messages: `-o /app/publish`, or the default layout.
    pub origin: OutputOrigin,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutputOrigin {
    /// `-o` / `--output`.
    Option,
    /// `-p:PublishDir=` (publish) or `-p:OutputPath=` (build).
    Property,
    /// No `-o`: the project's `bin/<Configuration>/<TFM>` folder (the RID and `publish`
    /// subfolders below it are not pinned down, so everything under `path` counts).
    DefaultLayout,
}

/// How the shipped command was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// A `COPY --from` of the final image (instruction index) takes its output.
    CopiedToFinal { copy: usize },
    /// The command runs in the final image's own stages.
    RunsInFinalImage,
    /// Nothing links an output to the final image: the last publish of the file.
    LastPublish,
    /// No publish at all: the last build.
    LastBuild,
}

/// A `dotnet publish` (or build) that produces what the Dockerfile ships.
#[derive(Clone, Debug)]
pub struct Shipped<'a> {
    pub invocation: &'a DotnetInvocation,
    pub output: Option<OutputDir>,
    pub evidence: Evidence,
}

impl Shipped<'_> {
    pub fn command(&self) -> &DotnetCommand {
        &self.invocation.command
    }

    /// True when the output is known to end up in the final image.
    pub fn reaches_final_image(&self) -> bool {
        matches!(
            self.evidence,
            Evidence::CopiedToFinal { .. } | Evidence::RunsInFinalImage
        )
    }
}

/// What the Dockerfile ships; see the module documentation.
#[derive(Clone, Debug)]
pub struct PublishedApp<'a> {
    pub final_stage: usize,
    /// The image the final stage runs on.
    pub runtime: Option<StageImage>,
    pub shipped: Option<Shipped<'a>>,
    /// The shipped project, when the solution is known.
    pub project: Option<&'a Project>,
}

/// Which project the Dockerfile ships, how, and on which image. `None` without stages.
/// Traced once per analysis; every rule that asks gets a copy.
pub fn published_app<'a>(ctx: &RuleContext<'a>) -> Option<PublishedApp<'a>> {
    ctx.published_app
        .get_or_init(|| trace_published_app(ctx))
        .clone()
}

fn trace_published_app<'a>(ctx: &RuleContext<'a>) -> Option<PublishedApp<'a>> {
    let model = ctx.model;
    let final_stage = model.final_stage()?.index;
    let runtime = stage_image(model, final_stage);
    // Traced one command at a time: only the candidates need it, and the whole Dockerfile's
    // targets cost a pass over every COPY per command.
    let project_of = |invocation: &'a DotnetInvocation| -> Option<&'a Project> {
        let (fs, workspace) = (&SolutionView::of(ctx)?.fs, workspace_of(ctx)?);
        project_of_target(workspace, &dotnet_target(fs, workspace, invocation).target)
    };
    let shipped = choose_shipped(ctx, final_stage, &project_of);
    let project = shipped
        .as_ref()
        .and_then(|s| project_of(s.invocation))
        .or_else(|| project_in_dockerfile_dir(ctx));
    Some(PublishedApp {
        final_stage,
        runtime,
        shipped,
        project,
    })
}

/// The solution of the analysis, borrowed for as long as the analysis environment.
fn workspace_of<'a>(ctx: &RuleContext<'a>) -> Option<&'a Workspace> {
    let env: &'a crate::analysis::AnalysisEnv = ctx.env;
    env.solution.as_ref().map(|s| s.workspace.as_ref())
}

/// The project a target names; for a solution, its one executable project.
fn project_of_target<'a>(workspace: &'a Workspace, target: &BuildTarget) -> Option<&'a Project> {
    match target {
        BuildTarget::Project(id) => workspace.project(*id),
        BuildTarget::Solution { projects, .. } => {
            let executables: Vec<&Project> = projects
                .iter()
                .filter_map(|id| workspace.project(*id))
                .filter(|p| p.is_executable())
                .collect();
            match executables.as_slice() {
                [one] => Some(*one),
                _ => None,
            }
        }
        BuildTarget::Unknown => None,
    }
}

/// The one project whose directory holds the Dockerfile.
fn project_in_dockerfile_dir<'a>(ctx: &RuleContext<'a>) -> Option<&'a Project> {
    let workspace = workspace_of(ctx)?;
    let dir = crate::dotnet::paths::normalize(ctx.env.path.as_ref()?.parent()?);
    let mut found = workspace.projects().filter(|p| p.dir() == dir);
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

fn choose_shipped<'a>(
    ctx: &RuleContext<'a>,
    final_stage: usize,
    project_of: &dyn Fn(&'a DotnetInvocation) -> Option<&'a Project>,
) -> Option<Shipped<'a>> {
    // The project matters for the output folder only when `-o` does not give it.
    let output_of = |invocation: &'a DotnetInvocation| {
        let project = if invocation.command.output.is_none() {
            project_of(invocation)
        } else {
            None
        };
        output_dir(ctx, invocation, project)
    };
    let model = ctx.model;
    let final_stages = ancestry(model, final_stage);
    // Publish output first; a build's output only when no publish output gets there.
    let copies = copies_from(ctx, &final_stages);
    // The stages each copy can take files from, once per copy rather than per command.
    let copy_sources: Vec<Vec<usize>> = copies
        .iter()
        .map(|c| ancestry(model, c.from_stage))
        .collect();
    for verb in ["publish", "build"] {
        let mut candidates: Vec<Shipped<'a>> = Vec::new();
        for invocation in &model.dotnet_commands {
            if !invocation.command.is(verb) {
                continue;
            }
            if final_stages.contains(&invocation.stage) {
                if verb == "publish" {
                    candidates.push(Shipped {
                        invocation,
                        output: output_of(invocation),
                        evidence: Evidence::RunsInFinalImage,
                    });
                }
                continue;
            }
            // The output folder is worked out only for commands a copy can reach: in a large
            // file most commands build stages the final image never copies from.
            if !copy_sources
                .iter()
                .any(|sources| sources.contains(&invocation.stage))
            {
                continue;
            }
            let output = output_of(invocation);
            let Some(out) = &output else { continue };
            let copy = copies.iter().zip(&copy_sources).find_map(|(c, sources)| {
                (sources.contains(&invocation.stage)
                    && c.paths.iter().any(|(_, p)| paths_related(p, &out.path)))
                .then_some(c)
            });
            if let Some(copy) = copy {
                candidates.push(Shipped {
                    invocation,
                    output,
                    evidence: Evidence::CopiedToFinal {
                        copy: copy.instruction,
                    },
                });
            }
        }
        // The last one wins: a later publish overwrites or supersedes an earlier one.
        if let Some(last) = candidates
            .into_iter()
            .max_by_key(|c| c.invocation.instruction)
        {
            return Some(last);
        }
    }
    for (verb, evidence) in [
        ("publish", Evidence::LastPublish),
        ("build", Evidence::LastBuild),
    ] {
        if let Some(invocation) = model
            .dotnet_commands
            .iter()
            .rev()
            .find(|i| i.command.is(verb))
        {
            return Some(Shipped {
                invocation,
                output: output_of(invocation),
                evidence,
            });
        }
    }
    None
}

/// `a` is `b`, inside `b`, or contains `b` (absolute, normalised paths).
pub fn paths_related(a: &str, b: &str) -> bool {
    is_under(a, b) || is_under(b, a)
}

/// `path` is `dir` or below it.
pub fn is_under(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    dir.is_empty()
        || path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// A `COPY --from=<stage>` with its source paths in that stage.
#[derive(Clone, Debug)]
pub struct CopyFrom<'a> {
    pub instruction: usize,
    /// The stage the copy stands in.
    pub stage: usize,
    pub from_stage: usize,
    /// Each source word with its absolute path in `from_stage` (`None` when a variable has
    /// no value or the source is a wildcard).
    pub sources: Vec<(&'a Word, Option<String>)>,
    /// The resolved paths only.
    pub paths: Vec<(&'a Word, String)>,
}

/// Every `COPY --from=<stage>` standing in `stages` (sources resolve from the stage's root,
/// not its WORKDIR, as BuildKit does).
pub fn copies_from<'a>(ctx: &RuleContext<'a>, stages: &[usize]) -> Vec<CopyFrom<'a>> {
    let model = ctx.model;
    let mut wanted = vec![false; model.stages.len()];
    for &stage in stages {
        if let Some(slot) = wanted.get_mut(stage) {
            *slot = true;
        }
    }
    let mut out = Vec::new();
    for r in &model.stage_refs {
        if r.kind != crate::model::StageRefKind::CopyFrom
            || !wanted.get(r.in_stage).copied().unwrap_or(false)
        {
            continue;
        }
        let Some(from_stage) = r.target else { continue };
        let Some(inst) = ctx.tree.instructions.get(r.instruction) else {
            continue;
        };
        let words: &'a [Word] = match &inst.args {
            Args::Words(w) => w,
            Args::Exec { elements, .. } => elements,
            _ => continue,
        };
        let Some((_, sources)) = words.split_last() else {
            continue;
        };
        let resolved: Vec<(&'a Word, Option<String>)> = sources
            .iter()
            .map(|w| {
                let e = expand_at(model, r.in_stage, r.instruction, &w.text);
                let text = unquote(&e.text);
                let path = (e.is_complete() && !text.contains(['*', '?', '[']))
                    .then(|| posix_join("/", &text));
                (w, path)
            })
            .collect();
        let paths = resolved
            .iter()
            .filter_map(|(w, p)| p.clone().map(|p| (*w, p)))
            .collect();
        out.push(CopyFrom {
            instruction: r.instruction,
            stage: r.in_stage,
            from_stage,
            sources: resolved,
            paths,
        });
    }
    out
}

/// Expands a command-line word in the invocation's scope; `None` when a variable has no value.
pub fn expand_word(ctx: &RuleContext, invocation: &DotnetInvocation, text: &str) -> Option<String> {
    let e = expand_at(ctx.model, invocation.stage, invocation.instruction, text);
    e.is_complete().then(|| unquote(&e.text))
}

/// [`Model::expand_at`], without looking up the scope when there is nothing to substitute.
pub fn expand_at(model: &Model, stage: usize, before: usize, text: &str) -> Expanded {
    if text.contains('$') {
        model.expand_at(stage, before, text)
    } else {
        Expanded {
            text: text.to_string(),
            unresolved: Vec::new(),
        }
    }
}

/// The configuration a command builds, and where that comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Configuration {
    pub name: String,
    /// The `-c` value word (or `-p:Configuration=`); `None` for the default.
    pub range: Option<TextRange>,
}

/// `-c`/`--configuration` (expanded) or `-p:Configuration=`, else the default: `dotnet build`
/// builds Debug; `dotnet publish` builds Release when `PublishRelease` is true, which the
/// .NET 8 SDK makes the default for projects targeting .NET 8 or later. `None` when a variable
/// has no value, or the default depends on something unknown.
pub fn configuration(
    ctx: &RuleContext,
    invocation: &DotnetInvocation,
    project: Option<&Project>,
) -> Option<Configuration> {
    let cmd = &invocation.command;
    if let Some(c) = &cmd.configuration {
        return Some(Configuration {
            name: expand_word(ctx, invocation, &c.text)?,
            range: Some(c.range),
        });
    }
    if let Some((_, value, range)) = cmd
        .properties
        .iter()
        .rev()
        .find(|(n, _, _)| n.eq_ignore_ascii_case("Configuration"))
    {
        return Some(Configuration {
            name: expand_word(ctx, invocation, value)?,
            range: Some(*range),
        });
    }
    if let Some(p) = project.and_then(|p| p.property("Configuration")) {
        if p.origin.is_some() && !p.value.is_empty() {
            return Some(Configuration {
                name: p.value.clone(),
                range: None,
            });
        }
    }
    if !cmd.is("publish") {
        return Some(Configuration {
            name: "Debug".to_string(),
            range: None,
        });
    }
    let release = publish_release_default(ctx, invocation, project)?;
    Some(Configuration {
        name: if release { "Release" } else { "Debug" }.to_string(),
        range: None,
    })
}

/// Whether `dotnet publish` without `-c` builds Release: `PublishRelease` when set; else true
/// from the .NET 8 SDK on for projects targeting .NET 8+ (before that SDK: Debug).
pub fn publish_release_default(
    ctx: &RuleContext,
    invocation: &DotnetInvocation,
    project: Option<&Project>,
) -> Option<bool> {
    if let Some(value) = invocation.command.property("PublishRelease") {
        return crate::dotnet::properties::parse_bool(&expand_word(ctx, invocation, value)?);
    }
    if let Some(value) = project
        .and_then(|p| p.property("PublishRelease"))
        .and_then(|p| crate::dotnet::properties::parse_bool(&p.value))
    {
        return Some(value);
    }
    let sdk = stage_image(ctx.model, invocation.stage)?.sdk()?.channel;
    if sdk.major < 8 {
        return Some(false);
    }
    match project {
        // The default applies to projects targeting .NET 8 or later.
        Some(project) => Some(
            target_framework(ctx, invocation, project)
                .and_then(|tfm| dotnet_version_of_tfm(&tfm))
                .is_some_and(|v| v.major >= 8),
        ),
        None => Some(true),
    }
}

/// The TargetFramework a command builds: `-f`, else the project's only one.
pub fn target_framework(
    ctx: &RuleContext,
    invocation: &DotnetInvocation,
    project: &Project,
) -> Option<String> {
    if let Some(f) = &invocation.command.framework {
        return expand_word(ctx, invocation, &f.text);
    }
    match project.target_frameworks.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// `10.0` for `net10.0` (and `net10.0-windows`); `None` for .NET Framework and .NET Standard.
pub fn dotnet_version_of_tfm(tfm: &str) -> Option<DotnetVersion> {
    if target_framework_identifier(tfm) != ".NETCoreApp" {
        return None;
    }
    DotnetVersion::parse(&target_framework_version(tfm)?)
}

/// `net8.0` for 8.0, `netcoreapp3.1` for 3.1 (the TFM a runtime or SDK version targets).
pub fn tfm_of_version(version: DotnetVersion) -> String {
    if version.major < 5 {
        format!("netcoreapp{version}")
    } else {
        format!("net{version}")
    }
}

/// ".NET 8" for 8.0, ".NET Core 3.1", ".NET 10".
pub fn product_name(version: DotnetVersion) -> String {
    let number = if version.minor == 0 && version.major >= 5 {
        version.major.to_string()
    } else {
        version.to_string()
    };
    if version.major < 5 {
        format!(".NET Core {number}")
    } else {
        format!(".NET {number}")
    }
}

/// Where a command writes its output: `-o`, `-p:PublishDir=` / `-p:OutputPath=`, else the
/// project's `bin/<Configuration>/<TFM>` folder (needs the project and its configuration).
pub fn output_dir(
    ctx: &RuleContext,
    invocation: &DotnetInvocation,
    project: Option<&Project>,
) -> Option<OutputDir> {
    let cmd = &invocation.command;
    let workdir = ctx.workdir_at(invocation.stage, invocation.instruction);
    if let Some(o) = &cmd.output {
        let text = expand_word(ctx, invocation, &o.text)?;
        return Some(OutputDir {
            path: posix_join(workdir, &text),
            origin: OutputOrigin::Option,
        });
    }
    let project_dir = project_container_dir(ctx, invocation, workdir);
    let property = if cmd.is("publish") {
        "PublishDir"
    } else {
        "OutputPath"
    };
    if let Some(value) = cmd.property(property) {
        let text = expand_word(ctx, invocation, value)?;
        let base = if text.starts_with('/') {
            "/".to_string()
        } else {
            project_dir?
        };
        return Some(OutputDir {
            path: posix_join(&base, &text),
            origin: OutputOrigin::Property,
        });
    }
    // `--artifacts-path` and these properties move every output elsewhere.
    let moved_by_cli = ctx
        .text
        .get(cmd.range.as_range())
        .is_some_and(|t| t.contains("--artifacts-path"))
        || [
            "ArtifactsPath",
            "OutputPath",
            "BaseOutputPath",
            "UseArtifactsOutput",
        ]
        .iter()
        .any(|name| cmd.property(name).is_some());
    let project = project?;
    let moved_by_project = [
        "UseArtifactsOutput",
        "ArtifactsPath",
        "OutputPath",
        "BaseOutputPath",
        "PublishDir",
    ]
    .iter()
    .any(|name| project.property(name).is_some_and(|p| p.origin.is_some()));
    if moved_by_cli || moved_by_project {
        return None;
    }
    let configuration = configuration(ctx, invocation, Some(project))?;
    let tfm = target_framework(ctx, invocation, project)?;
    Some(OutputDir {
        path: posix_join(
            &project_dir?,
            &format!("bin/{}/{}", configuration.name, tfm),
        ),
        origin: OutputOrigin::DefaultLayout,
    })
}

/// The container directory of the project a command builds (its argument's folder, or the
/// working directory when it names none); `None` for a solution.
fn project_container_dir(
    ctx: &RuleContext,
    invocation: &DotnetInvocation,
    workdir: &str,
) -> Option<String> {
    let Some(arg) = &invocation.command.project else {
        return Some(workdir.to_string());
    };
    let text = expand_word(ctx, invocation, &arg.text)?;
    let path = posix_join(workdir, &text);
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".sln") || lower.ends_with(".slnx") || lower.ends_with(".slnf") {
        return None;
    }
    if [".csproj", ".fsproj", ".vbproj", "proj"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        return Some(match path.rfind('/') {
            Some(0) | None => "/".to_string(),
            Some(i) => path[..i].to_string(),
        });
    }
    Some(path)
}

/// How a project is published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Deployment {
    /// Needs the shared .NET runtime (and ASP.NET Core for web apps) in the image.
    FrameworkDependent,
    /// Carries its own runtime; `reason` says what asks for it (`--self-contained`,
    /// `SelfContained in Api.csproj`).
    SelfContained { reason: String },
    /// A native executable; `reason` as above.
    NativeAot { reason: String },
    /// Not known (a variable without value, a RID before .NET 8 that may imply
    /// self-contained, or no project).
    Unknown,
}

impl Deployment {
    pub fn is_self_contained(&self) -> bool {
        matches!(
            self,
            Deployment::SelfContained { .. } | Deployment::NativeAot { .. }
        )
    }
}

/// How the shipped command publishes its project.
pub fn deployment(
    ctx: &RuleContext,
    invocation: &DotnetInvocation,
    project: Option<&Project>,
) -> Deployment {
    let cmd = &invocation.command;
    let publish = cmd.is("publish");
    let cli_bool = |name: &str| -> Result<Option<bool>, ()> {
        match cmd.property(name) {
            None => Ok(None),
            Some(value) => match expand_word(ctx, invocation, value) {
                Some(v) => Ok(crate::dotnet::properties::parse_bool(&v)),
                None => Err(()),
            },
        }
    };
    let project_bool = |name: &str| -> Option<(bool, String)> {
        let project = project?;
        let property = project.property(name)?;
        let value = crate::dotnet::properties::parse_bool(&property.value)?;
        let file = property
            .origin
            .as_ref()
            .and_then(|o| o.path.file_name().map(|f| f.to_string_lossy().to_string()))
            .unwrap_or_else(|| format!("{}.csproj", project.name));
        Some((value, format!("{} in {file}", property.name)))
    };
    if publish {
        match cli_bool("PublishAot") {
            Err(()) => return Deployment::Unknown,
            Ok(Some(true)) => {
                return Deployment::NativeAot {
                    reason: "-p:PublishAot=true".to_string(),
                }
            }
            Ok(Some(false)) => {}
            Ok(None) => {
                if let Some((true, reason)) = project_bool("PublishAot") {
                    return Deployment::NativeAot { reason };
                }
            }
        }
    }
    if let Some(sc) = cmd.self_contained {
        return if sc {
            Deployment::SelfContained {
                reason: "--self-contained".to_string(),
            }
        } else {
            Deployment::FrameworkDependent
        };
    }
    let cli_names: &[&str] = if publish {
        &["PublishSelfContained", "SelfContained"]
    } else {
        &["SelfContained"]
    };
    for name in cli_names {
        match cli_bool(name) {
            Err(()) => return Deployment::Unknown,
            Ok(Some(true)) => {
                return Deployment::SelfContained {
                    reason: format!("-p:{name}=true"),
                }
            }
            Ok(Some(false)) => return Deployment::FrameworkDependent,
            Ok(None) => {}
        }
    }
    let Some(project) = project else {
        return Deployment::Unknown;
    };
    for name in cli_names {
        match project_bool(name) {
            Some((true, reason)) => return Deployment::SelfContained { reason },
            Some((false, _)) => return Deployment::FrameworkDependent,
            None => {}
        }
    }
    // Before .NET 8 a runtime identifier implied self-contained (with a warning from the
    // .NET 6 SDK on); from .NET 8 on it does not.
    let has_rid = cmd.runtime.is_some()
        || cmd.arch.is_some()
        || cmd.os.is_some()
        || !project.runtime_identifiers.is_empty();
    let tfm_version = target_framework(ctx, invocation, project)
        .as_deref()
        .and_then(dotnet_version_of_tfm);
    match tfm_version {
        Some(v) if v.major >= 8 || !has_rid => Deployment::FrameworkDependent,
        _ => Deployment::Unknown,
    }
}

/// Suggests `mcr.microsoft.com/dotnet/<kind>:<version>` next to an image of `version`.
pub fn suggest_image(kind: RepoKind, version: Option<DotnetVersion>) -> String {
    match version {
        Some(v) => format!("mcr.microsoft.com/dotnet/{}:{v}", kind.short_name()),
        None => format!("mcr.microsoft.com/dotnet/{}", kind.short_name()),
    }
}

/// The repository a project's output belongs on.
pub fn right_image_kind(project: &Project, deployment: &Deployment) -> Option<RepoKind> {
    match deployment {
        Deployment::SelfContained { .. } | Deployment::NativeAot { .. } => {
            Some(RepoKind::RuntimeDeps)
        }
        Deployment::FrameworkDependent if project.is_web() => Some(RepoKind::Aspnet),
        Deployment::FrameworkDependent => Some(RepoKind::Runtime),
        Deployment::Unknown => None,
    }
}

/// Instructions of the final image (its stage and the stages it is built `FROM`), oldest
/// first, with the stage each stands in.
pub fn final_image_instructions(model: &Model, final_stage: usize) -> Vec<(usize, usize)> {
    let mut stages = ancestry(model, final_stage);
    stages.reverse();
    stages
        .into_iter()
        .filter_map(|s| model.stages.get(s))
        .flat_map(|s| s.instructions.clone().map(move |i| (s.index, i)))
        .collect()
}

/// The last instruction with `keyword` in the final image.
pub fn last_in_final_image(
    ctx: &RuleContext,
    final_stage: usize,
    keyword: Keyword,
) -> Option<(usize, usize)> {
    final_image_instructions(ctx.model, final_stage)
        .into_iter()
        .rev()
        .find(|(_, i)| {
            ctx.tree
                .instructions
                .get(*i)
                .is_some_and(|inst| inst.keyword == keyword)
        })
}

/// 1-based line of a byte offset, for messages that point at another instruction.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset.min(text.len()))
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::dotnet::test_support::with_solution;

    #[test]
    fn sdk_versions_and_bands() {
        let v = SdkVersion::parse("9.0.317").expect("version");
        assert_eq!(
            (v.major, v.minor, v.feature_band(), v.patch()),
            (9, 0, 3, 17)
        );
        assert_eq!(
            SdkVersion::parse("11.0.100-preview.7").map(|v| v.to_string()),
            Some("11.0.100".to_string())
        );
        assert_eq!(SdkVersion::parse("8.0"), None);
        assert_eq!(SdkVersion::parse("8.0.1.2"), None);
        assert_eq!(SdkVersion::parse("x.0.100"), None);
    }

    #[test]
    fn image_sdk_precision_follows_the_tag() {
        let model = |text: &str| crate::model::Model::build(&crate::syntax::parse(text));
        let sdk = |text: &str| stage_image(&model(text), 0).and_then(|i| i.sdk());
        let fixed = sdk("FROM mcr.microsoft.com/dotnet/sdk:8.0.100\n").expect("sdk");
        assert_eq!(fixed.describe(), "SDK 8.0.100");
        let floating = sdk("FROM mcr.microsoft.com/dotnet/sdk:9.0\n").expect("sdk");
        assert_eq!(floating.describe(), "SDK 9.0.3xx");
        assert!(!floating.exact);
        let global =
            sdk("ARG V=10.0.400\nFROM mcr.microsoft.com/dotnet/sdk:${V}-noble\n").expect("sdk");
        assert_eq!(global.describe(), "SDK 10.0.400");
        assert_eq!(sdk("FROM mcr.microsoft.com/dotnet/aspnet:9.0\n"), None);
        assert_eq!(sdk("FROM ubuntu:24.04\n"), None);
    }

    #[test]
    fn visual_studio_template_ships_api_from_the_publish_stage() {
        with_solution("vs-template", "src/Api/Dockerfile", |ctx| {
            let app = published_app(ctx).expect("app");
            assert_eq!(app.final_stage, 3);
            assert_eq!(app.project.map(|p| p.name.as_str()), Some("Api"));
            let shipped = app.shipped.as_ref().expect("shipped");
            assert!(shipped.command().is("publish"));
            assert_eq!(shipped.evidence, Evidence::CopiedToFinal { copy: 18 });
            assert_eq!(
                shipped.output.as_ref().map(|o| o.path.as_str()),
                Some("/app/publish")
            );
            let runtime = app.runtime.as_ref().expect("runtime");
            assert_eq!(runtime.name(), "mcr.microsoft.com/dotnet/aspnet:8.0");
            assert_eq!(runtime.stage, 0);
            assert_eq!(runtime.kind(), Some(RepoKind::Aspnet));
            assert_eq!(
                deployment(ctx, shipped.invocation, app.project),
                Deployment::FrameworkDependent
            );
            assert_eq!(
                configuration(ctx, shipped.invocation, app.project).map(|c| c.name),
                Some("Release".to_string())
            );
        });
    }

    #[test]
    fn single_stage_publish_runs_in_the_final_image() {
        with_solution("naive-single-stage", "Dockerfile", |ctx| {
            let app = published_app(ctx).expect("app");
            let shipped = app.shipped.as_ref().expect("shipped");
            assert_eq!(shipped.evidence, Evidence::RunsInFinalImage);
            assert_eq!(
                shipped.output.as_ref().map(|o| o.path.as_str()),
                Some("/app/out")
            );
            assert_eq!(app.project.map(|p| p.name.as_str()), Some("WebApp"));
            assert_eq!(
                app.runtime.as_ref().and_then(|r| r.kind()),
                Some(RepoKind::Sdk)
            );
        });
    }

    #[test]
    fn aot_project_properties_make_it_native() {
        with_solution("aot-app", "Dockerfile", |ctx| {
            let app = published_app(ctx).expect("app");
            let shipped = app.shipped.as_ref().expect("shipped");
            assert_eq!(
                deployment(ctx, shipped.invocation, app.project),
                Deployment::NativeAot {
                    reason: "PublishAot in Ingest.csproj".to_string()
                }
            );
        });
    }

    #[test]
    fn default_output_layout_without_dash_o() {
        let files = [
            ("App.sln", ""),
            (
                "src/Jobs/Jobs.csproj",
                "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>",
            ),
            (
                "Dockerfile",
                "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY . .\nRUN dotnet publish src/Jobs/Jobs.csproj\nFROM mcr.microsoft.com/dotnet/runtime:8.0\nCOPY --from=build /src/src/Jobs/bin/Release/net8.0/publish /app\n",
            ),
        ];
        crate::rules::dotnet::test_support::with_files(&files, "Dockerfile", |ctx| {
            let app = published_app(ctx).expect("app");
            let shipped = app.shipped.as_ref().expect("shipped");
            assert_eq!(
                shipped.output,
                Some(OutputDir {
                    path: "/src/src/Jobs/bin/Release/net8.0".to_string(),
                    origin: OutputOrigin::DefaultLayout
                })
            );
            assert_eq!(shipped.evidence, Evidence::CopiedToFinal { copy: 5 });
            assert_eq!(app.project.map(|p| p.name.as_str()), Some("Jobs"));
        });
    }

    #[test]
    fn without_a_solution_the_command_and_image_are_still_known() {
        let text = "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nWORKDIR /src\nCOPY . .\nRUN dotnet build -c Release\nRUN dotnet publish -c Release -o /out\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\nCOPY --from=build /out /app\n";
        crate::rules::dotnet::test_support::with_text(text, |ctx| {
            let app = published_app(ctx).expect("app");
            assert!(app.project.is_none());
            let shipped = app.shipped.as_ref().expect("shipped");
            assert!(shipped.command().is("publish"));
            assert_eq!(shipped.evidence, Evidence::CopiedToFinal { copy: 6 });
        });
    }

    #[test]
    fn paths_relate_both_ways() {
        assert!(paths_related("/app", "/app/publish"));
        assert!(paths_related("/app/publish/x.dll", "/app/publish"));
        assert!(!paths_related("/app/pub", "/app/publish"));
        assert!(paths_related("/", "/app"));
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(product_name(DotnetVersion::new(8, 0)), ".NET 8");
        assert_eq!(product_name(DotnetVersion::new(3, 1)), ".NET Core 3.1");
        assert_eq!(tfm_of_version(DotnetVersion::new(3, 1)), "netcoreapp3.1");
    }
}
