//! Navigation on the solution's files from a Dockerfile: hover on a COPY/ADD source that is a
//! project, `Directory.*.props`, NuGet.config or global.json shows what that file contributes;
//! go to definition opens it; the build context is explained in a code lens and in the
//! hover of the first line; COPY/ADD path completion lists the context's folders.
//!
//! Everything here reads [`Analysis::facts`] (the build context, its `.dockerignore` and what
//! each COPY source resolves to) and the indexed [`Workspace`]; without them every function
//! answers nothing.

use std::path::{Component, Path, PathBuf};

use crate::analysis::Analysis;
use crate::context::{
    BuildContextChoice, ContextReason, CopyFacts, DockerfileFacts, MatchedPattern, SourceMatch,
    SourceOutcome, SourceResolution,
};
use crate::dotnet::{classify, FileKind, Project, ProjectLanguage, Workspace};
use crate::ide::code_lens::CodeLens;
use crate::ide::hover_docs::Hover;
use crate::ide::{BuildContextProvider, ContextEntry};
use crate::syntax::Word;
use crate::text::TextRange;

/// How many files a directory or wildcard source lists in its hover before "and N more".
const MAX_LISTED_FILES: usize = 20;

/// The files this module describes: what a .NET restore reads besides sources.
fn is_described_kind(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::Project
            | FileKind::DirectoryBuildProps
            | FileKind::DirectoryBuildTargets
            | FileKind::DirectoryPackagesProps
            | FileKind::NugetConfig
            | FileKind::GlobalJson
    )
}

/// A COPY/ADD source word under the cursor and what it resolves to.
pub struct SourceAt<'a> {
    pub copy: &'a CopyFacts,
    pub word: &'a Word,
    pub resolution: &'a SourceResolution,
    /// The word without the quotes of the JSON form.
    pub range: TextRange,
}

/// The local COPY/ADD source at `offset`, if the build context is known.
pub fn source_at(analysis: &Analysis, offset: usize) -> Option<SourceAt<'_>> {
    let facts = analysis.facts.as_ref()?;
    facts.copies.iter().find_map(|copy| {
        copy.sources.iter().find_map(|(word, resolution)| {
            word.range.contains_inclusive(offset).then(|| SourceAt {
                copy,
                word,
                resolution,
                range: without_quotes(&analysis.text, word.range),
            })
        })
    })
}

fn without_quotes(text: &str, range: TextRange) -> TextRange {
    match text.get(range.as_range()) {
        Some(s) if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') => {
            TextRange::new(range.start() + 1, range.end() - 1)
        }
        _ => range,
    }
}

fn matches_of(resolution: &SourceResolution) -> &[SourceMatch] {
    match &resolution.outcome {
        SourceOutcome::Found(matches) => matches,
        _ => &[],
    }
}

/// `path` relative to `base` with `/` separators (`.` for `base` itself); the full path when
/// it is not below `base`.
pub fn relative_display(path: &Path, base: &Path) -> String {
    match path.strip_prefix(base) {
        Ok(rest) if rest.as_os_str().is_empty() => ".".to_string(),
        Ok(rest) => rest
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => path.display().to_string(),
    }
}

/// A described file copied by a source: its absolute path and its path in the context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopiedFile {
    pub path: PathBuf,
    pub relative_path: String,
    pub kind: FileKind,
    pub excluded_by: Option<MatchedPattern>,
}

/// The project, props, NuGet.config and global.json files a source copies: the file itself,
/// or the ones the workspace found below a copied directory. Sorted by path.
pub fn copied_files(
    facts: &DockerfileFacts,
    workspace: Option<&Workspace>,
    resolution: &SourceResolution,
) -> Vec<CopiedFile> {
    let context = &facts.build_context.dir;
    let ignore = facts.dockerignore.as_ref().map(|d| &d.ignore);
    let mut out = Vec::new();
    for found in matches_of(resolution) {
        let path = context.join(&found.relative_path);
        if !found.is_dir {
            if let Some(kind) = classify(&path).filter(|k| is_described_kind(*k)) {
                out.push(CopiedFile {
                    path,
                    relative_path: found.relative_path.clone(),
                    kind,
                    excluded_by: found.excluded_by.clone(),
                });
            }
            continue;
        }
        let Some(workspace) = workspace else { continue };
        for (file, kind) in &workspace.files().files {
            if !is_described_kind(*kind) || !file.starts_with(&path) {
                continue;
            }
            let relative_path = relative_display(file, context);
            let excluded_by = ignore.and_then(|i| i.is_excluded(&relative_path));
            out.push(CopiedFile {
                path: file.clone(),
                relative_path,
                kind: *kind,
                excluded_by,
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.dedup_by(|a, b| a.path == b.path);
    out
}

/// Go to definition on a COPY/ADD source: the described files it copies into the image
/// (a project file itself, or the project files below a copied folder / matched by a
/// wildcard). Files left out by `.dockerignore` are not offered.
pub fn definition(
    analysis: &Analysis,
    workspace: Option<&Workspace>,
    offset: usize,
) -> Vec<PathBuf> {
    let (Some(facts), Some(source)) = (analysis.facts.as_ref(), source_at(analysis, offset)) else {
        return Vec::new();
    };
    copied_files(facts, workspace, source.resolution)
        .into_iter()
        .filter(|f| f.excluded_by.is_none())
        .map(|f| f.path)
        .collect()
}

/// A link from a COPY/ADD source to the file it copies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileLink {
    pub range: TextRange,
    pub path: PathBuf,
}

/// Links from every local COPY/ADD source that resolves to exactly one existing file of the
/// build context (wildcards with a single match included), in source order.
pub fn file_links(analysis: &Analysis) -> Vec<FileLink> {
    let Some(facts) = analysis.facts.as_ref() else {
        return Vec::new();
    };
    let mut links = Vec::new();
    for copy in &facts.copies {
        for (word, resolution) in &copy.sources {
            if let [only] = matches_of(resolution) {
                if !only.is_dir && !only.relative_path.is_empty() {
                    links.push(FileLink {
                        range: without_quotes(&analysis.text, word.range),
                        path: facts.build_context.dir.join(&only.relative_path),
                    });
                }
            }
        }
    }
    links
}

/// Hover on a COPY/ADD source: what the copied project or MSBuild/NuGet file contributes, the
/// project files a folder or wildcard brings in, and which `.dockerignore` line leaves
/// matches out of the build context.
pub fn source_hover(
    analysis: &Analysis,
    workspace: Option<&Workspace>,
    offset: usize,
) -> Option<Hover> {
    let facts = analysis.facts.as_ref()?;
    // A `$VAR` inside the source keeps the variable's own hover.
    if crate::ide::index::symbol_at(analysis, offset).is_some() {
        return None;
    }
    let source = source_at(analysis, offset)?;
    let matches = matches_of(source.resolution);
    let mut sections: Vec<String> = Vec::new();
    let excluded: Vec<&SourceMatch> = matches.iter().filter(|m| m.excluded_by.is_some()).collect();
    if !excluded.is_empty() {
        sections.push(exclusion_markdown(
            facts,
            workspace,
            &excluded,
            matches.len(),
        ));
    }
    let files = copied_files(facts, workspace, source.resolution);
    let single_file = matches.len() == 1 && matches.iter().all(|m| !m.is_dir);
    match files.as_slice() {
        [file] if single_file && file.excluded_by.is_none() => {
            sections.push(describe_file(file, workspace));
        }
        _ => {
            let visible: Vec<&CopiedFile> =
                files.iter().filter(|f| f.excluded_by.is_none()).collect();
            if !visible.is_empty() {
                sections.push(file_list_markdown(&visible, workspace));
            }
        }
    }
    if sections.is_empty() {
        return None;
    }
    Some(Hover {
        range: source.range,
        markdown: sections.join("\n\n---\n\n"),
    })
}

fn dockerignore_name(facts: &DockerfileFacts, workspace: Option<&Workspace>) -> String {
    match &facts.dockerignore {
        Some(loaded) => {
            let base = workspace.map_or(facts.build_context.dir.as_path(), Workspace::root);
            relative_display(loaded.source.path(), base)
        }
        None => ".dockerignore".to_string(),
    }
}

fn exclusion_markdown(
    facts: &DockerfileFacts,
    workspace: Option<&Workspace>,
    excluded: &[&SourceMatch],
    total: usize,
) -> String {
    let file = dockerignore_name(facts, workspace);
    let mut out = if excluded.len() == total {
        "**Not in the build context**: Docker does not send".to_string()
    } else {
        format!(
            "**Partly outside the build context**: {} of {total} matches are left out:",
            excluded.len()
        )
    };
    if excluded.len() == 1 && total == 1 {
        let m = excluded[0];
        if let Some(pattern) = &m.excluded_by {
            out.push_str(&format!(
                " `{}`; line {} of `{file}` excludes it: `{}`{}.",
                display_relative(&m.relative_path),
                pattern.line,
                pattern.pattern,
                parent_note(&m.relative_path, pattern),
            ));
        }
        return out;
    }
    if excluded.len() == total {
        out.push_str(" these matches:");
    }
    for m in excluded.iter().take(MAX_LISTED_FILES) {
        if let Some(pattern) = &m.excluded_by {
            out.push_str(&format!(
                "\n- `{}`: line {} of `{file}`, `{}`{}",
                display_relative(&m.relative_path),
                pattern.line,
                pattern.pattern,
                parent_note(&m.relative_path, pattern),
            ));
        }
    }
    if excluded.len() > MAX_LISTED_FILES {
        out.push_str(&format!(
            "\n- and {} more",
            excluded.len() - MAX_LISTED_FILES
        ));
    }
    out
}

fn display_relative(relative: &str) -> &str {
    if relative.is_empty() {
        "."
    } else {
        relative
    }
}

/// " (through its folder `src/bin`)" when the pattern matched a parent directory.
fn parent_note(relative: &str, pattern: &MatchedPattern) -> String {
    if pattern.matched_path.is_empty() || pattern.matched_path == relative {
        String::new()
    } else {
        format!(" (through its folder `{}`)", pattern.matched_path)
    }
}

fn file_list_markdown(files: &[&CopiedFile], workspace: Option<&Workspace>) -> String {
    let projects = files.iter().filter(|f| f.kind == FileKind::Project).count();
    let others = files.len() - projects;
    let mut heading = format!("**Copies {}**", count(projects, "project file"));
    if others > 0 {
        heading = format!(
            "**Copies {} and {}**",
            count(projects, "project file"),
            count(others, "build input")
        );
    }
    let mut out = heading;
    for file in files.iter().take(MAX_LISTED_FILES) {
        let summary = match file.kind {
            FileKind::Project => workspace
                .and_then(|w| w.project_by_path(&file.path))
                .map(|p| format!(" · {}", project_summary(p)))
                .unwrap_or_default(),
            kind => format!(" · {}", kind_label(kind)),
        };
        out.push_str(&format!("\n- `{}`{summary}", file.relative_path));
    }
    if files.len() > MAX_LISTED_FILES {
        out.push_str(&format!("\n- and {} more", files.len() - MAX_LISTED_FILES));
    }
    out
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `net8.0 · Exe` for a list of projects.
fn project_summary(project: &Project) -> String {
    let mut parts = Vec::new();
    if !project.target_frameworks.is_empty() {
        parts.push(project.target_frameworks.join(";"));
    }
    parts.push(project.output_type_or_default().to_string());
    parts.join(" · ")
}

fn kind_label(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Project => "project",
        FileKind::DirectoryBuildProps => "MSBuild properties for the projects below it",
        FileKind::DirectoryBuildTargets => "MSBuild targets for the projects below it",
        FileKind::DirectoryPackagesProps => "central package versions",
        FileKind::NugetConfig => "NuGet package sources",
        FileKind::GlobalJson => "the .NET SDK version",
        _ => "file",
    }
}

/// The hover text of one copied file.
fn describe_file(file: &CopiedFile, workspace: Option<&Workspace>) -> String {
    match file.kind {
        FileKind::Project => match workspace.and_then(|w| w.project_by_path(&file.path)) {
            Some(project) => project_markdown(project, &file.relative_path),
            None => format!(
                "**Project `{}`**\n\nThe solution index does not know this project yet.",
                file.relative_path
            ),
        },
        FileKind::DirectoryBuildProps | FileKind::DirectoryBuildTargets => {
            directory_build_markdown(file, workspace)
        }
        FileKind::DirectoryPackagesProps => packages_props_markdown(file, workspace),
        FileKind::NugetConfig => nuget_config_markdown(file, workspace),
        FileKind::GlobalJson => global_json_markdown(file, workspace),
        _ => format!("`{}`", file.relative_path),
    }
}

fn code_list(items: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    items
        .into_iter()
        .map(|i| format!("`{}`", i.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The facts of a project, `relative_path` being its path in the build context.
pub fn project_markdown(project: &Project, relative_path: &str) -> String {
    let language = match project.language {
        Some(ProjectLanguage::CSharp) => "C# project",
        Some(ProjectLanguage::FSharp) => "F# project",
        Some(ProjectLanguage::VisualBasic) => "Visual Basic project",
        None => "Project",
    };
    let mut out = format!("**{language} `{relative_path}`**\n");
    if !project.evaluated {
        let reason = project
            .diagnostics
            .first()
            .map(|d| d.message.clone())
            .unwrap_or_else(|| "it could not be read".to_string());
        out.push_str(&format!("\nNo facts: {reason}"));
        return out;
    }
    let mut line = |name: &str, value: String| out.push_str(&format!("\n- {name}: {value}"));
    if let Some(sdk) = project.sdk() {
        line("Sdk", format!("`{sdk}`"));
    }
    match project.target_frameworks.as_slice() {
        [] => {}
        [one] => line("TargetFramework", format!("`{one}`")),
        many => line("TargetFrameworks", code_list(many)),
    }
    line("AssemblyName", format!("`{}`", project.assembly_name));
    match &project.output_type {
        Some(output) => line("OutputType", format!("`{output}`")),
        None => line(
            "OutputType",
            format!("`{}` (SDK default)", project.output_type_or_default()),
        ),
    }
    if !project.runtime_identifiers.is_empty() {
        line(
            "RuntimeIdentifiers",
            code_list(&project.runtime_identifiers),
        );
    }
    let publish: Vec<&str> = [
        (
            project.self_contained.or(project.publish_self_contained),
            "SelfContained",
        ),
        (project.publish_aot, "PublishAot"),
        (project.publish_trimmed, "PublishTrimmed"),
        (project.publish_single_file, "PublishSingleFile"),
    ]
    .into_iter()
    .filter(|(value, _)| *value == Some(true))
    .map(|(_, name)| name)
    .collect();
    if !publish.is_empty() {
        line("Publish", publish.join(", "));
    }
    if let Some(invariant) = project.invariant_globalization {
        line("InvariantGlobalization", format!("`{invariant}`"));
    }
    let frameworks: Vec<&str> = project
        .framework_references
        .iter()
        .filter(|f| f.condition.applies())
        .map(|f| f.name.as_str())
        .collect();
    if !frameworks.is_empty() {
        line("FrameworkReferences", code_list(frameworks));
    }
    let references: Vec<String> = project
        .project_references
        .iter()
        .filter(|r| r.condition.applies())
        .map(|r| {
            let name = crate::dotnet::paths::file_stem(&r.path);
            if r.target_exists {
                name
            } else {
                format!("{name} (missing)")
            }
        })
        .collect();
    if !references.is_empty() {
        line(
            &format!("ProjectReferences ({})", references.len()),
            code_list(references),
        );
    }
    let packages = project
        .package_references
        .iter()
        .filter(|p| p.condition.applies())
        .count();
    if packages > 0 {
        line("PackageReferences", packages.to_string());
    }
    if let Some(context) = &project.dockerfile_context {
        line("DockerfileContext", format!("`{context}`"));
    }
    out
}

fn directory_build_markdown(file: &CopiedFile, workspace: Option<&Workspace>) -> String {
    let (title, when) = if file.kind == FileKind::DirectoryBuildProps {
        ("Directory.Build.props", "before")
    } else {
        ("Directory.Build.targets", "after")
    };
    let mut out = format!(
        "**{title} `{}`**\n\nMSBuild imports it {when} the project file of every project in its folder and below, so `dotnet restore` needs it in the image.",
        file.relative_path
    );
    let Some(workspace) = workspace else {
        return out;
    };
    let importers: Vec<&Project> = workspace
        .projects()
        .filter(|p| p.inputs.iter().any(|i| i == &file.path))
        .collect();
    if !importers.is_empty() {
        let names: Vec<&str> = importers.iter().map(|p| p.name.as_str()).collect();
        out.push_str(&format!(
            "\n- Imported by {}: {}",
            count(importers.len(), "project"),
            code_list(names)
        ));
    }
    let mut properties: Vec<&str> = Vec::new();
    for project in &importers {
        for property in project.properties.iter() {
            let from_here = property
                .origin
                .as_ref()
                .is_some_and(|o| o.path.as_ref() == file.path.as_path());
            if from_here && !properties.contains(&property.name.as_str()) {
                properties.push(&property.name);
            }
        }
    }
    if !properties.is_empty() {
        properties.sort_unstable();
        out.push_str(&format!("\n- Sets {}", code_list(properties)));
    }
    out
}

fn packages_props_markdown(file: &CopiedFile, workspace: Option<&Workspace>) -> String {
    let mut out = format!(
        "**Directory.Packages.props `{}`**\n\nCentral package management: the versions of the PackageReferences of every project in its folder and below.",
        file.relative_path
    );
    let max = crate::dotnet::files::DEFAULT_MAX_FILE_SIZE;
    let parsed = crate::dotnet::files::read_text_from_disk(&file.path, max)
        .ok()
        .and_then(|text| crate::dotnet::xml::parse(&text).ok());
    match parsed {
        Some(document) => {
            let mut versions = 0;
            let mut global = 0;
            let mut stack = vec![&document.root];
            while let Some(element) = stack.pop() {
                if element.is("PackageVersion") {
                    versions += 1;
                } else if element.is("GlobalPackageReference") {
                    global += 1;
                }
                stack.extend(element.children.iter());
            }
            out.push_str(&format!("\n- Central package versions: {versions}"));
            if global > 0 {
                out.push_str(&format!("\n- GlobalPackageReferences: {global}"));
            }
        }
        None => out.push_str("\n- The file could not be read as XML."),
    }
    if let Some(workspace) = workspace {
        let users = workspace
            .projects()
            .filter(|p| p.central_package_management && p.inputs.iter().any(|i| i == &file.path))
            .count();
        if users > 0 {
            out.push_str(&format!("\n- Used by {}", count(users, "project")));
        }
    }
    out
}

/// A package source URL without any `user:password@` part.
fn without_userinfo(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}{}", &url[..scheme_end], &rest[at + 1..]),
        None => url.to_string(),
    }
}

fn nuget_config_markdown(file: &CopiedFile, workspace: Option<&Workspace>) -> String {
    let mut out = format!(
        "**NuGet.config `{}`**\n\nThe package sources `dotnet restore` uses in its folder and below.",
        file.relative_path
    );
    let config = workspace.and_then(|w| w.nuget_configs().find(|c| c.path == file.path));
    let Some(config) = config else {
        return out;
    };
    if config.clears_sources {
        out.push_str("\n- `<clear />`: sources from machine and user configurations are dropped");
    }
    if config.sources.is_empty() {
        out.push_str("\n- No package sources");
    }
    for source in &config.sources {
        out.push_str(&format!(
            "\n- `{}`: {}",
            source.key,
            without_userinfo(&source.url)
        ));
    }
    out
}

fn global_json_markdown(file: &CopiedFile, workspace: Option<&Workspace>) -> String {
    let mut out = format!(
        "**global.json `{}`**\n\nSelects the .NET SDK that `dotnet` commands use in its folder and below.",
        file.relative_path
    );
    let global = workspace.and_then(|w| w.global_jsons().find(|g| g.path == file.path));
    let Some(global) = global else {
        return out;
    };
    match &global.sdk_version {
        Some(version) => out.push_str(&format!("\n- SDK version: `{version}`")),
        None => out.push_str("\n- No SDK version pinned"),
    }
    let written = if global.roll_forward.is_some() {
        ""
    } else {
        " (default)"
    };
    out.push_str(&format!(
        "\n- rollForward: `{}`{written}",
        global.effective_roll_forward()
    ));
    if let Some(prerelease) = global.allow_prerelease {
        out.push_str(&format!("\n- allowPrerelease: `{prerelease}`"));
    }
    if !global.msbuild_sdks.is_empty() {
        let sdks: Vec<String> = global
            .msbuild_sdks
            .iter()
            .map(|(name, version)| format!("{name} {version}"))
            .collect();
        out.push_str(&format!("\n- msbuild-sdks: {}", code_list(sdks)));
    }
    out
}

/// The build context directory relative to the workspace root (`.` for the root itself).
fn context_dir_display(choice: &BuildContextChoice, workspace: Option<&Workspace>) -> String {
    match workspace {
        Some(workspace) => relative_display(&choice.dir, workspace.root()),
        None => choice.dir.display().to_string(),
    }
}

/// A few words on why the context was chosen, for the code lens.
pub fn short_reason(choice: &BuildContextChoice, workspace: Option<&Workspace>) -> String {
    let shown = |path: &Path| match workspace {
        Some(workspace) => relative_display(path, workspace.root()),
        None => path.display().to_string(),
    };
    match &choice.reason {
        ContextReason::Compose {
            compose_file,
            service,
        } => format!("service {service} in {}", shown(compose_file)),
        ContextReason::DockerfileContext { project, .. } => {
            format!("DockerfileContext in {}", shown(project))
        }
        ContextReason::Configured { source } => {
            let source_path = Path::new(source);
            if source_path.is_absolute() {
                format!("configured in {}", shown(source_path))
            } else {
                format!("configured in {source}")
            }
        }
        ContextReason::CopySources {
            found, considered, ..
        } => format!("guessed: {found} of {considered} COPY sources exist there"),
        ContextReason::DockerfileDirectory => "assumed: the Dockerfile's folder".to_string(),
    }
}

/// The code lens above the first instruction: "Build context: src (service api in
/// compose.yaml)".
pub fn build_context_lens(analysis: &Analysis, workspace: Option<&Workspace>) -> Option<CodeLens> {
    let facts = analysis.facts.as_ref()?;
    let first = analysis.tree.instructions.first()?;
    Some(CodeLens {
        range: first.keyword_range,
        title: format!(
            "Build context: {} ({})",
            context_dir_display(&facts.build_context, workspace),
            short_reason(&facts.build_context, workspace)
        ),
        locations: Vec::new(),
    })
}

/// The build context explanation for the hover of the first line and of the first FROM
/// keyword: which directory, why, and which `.dockerignore` applies. `None` elsewhere.
pub fn build_context_hover(
    analysis: &Analysis,
    workspace: Option<&Workspace>,
    offset: usize,
) -> Option<Hover> {
    let facts = analysis.facts.as_ref()?;
    let text = &analysis.text;
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let first_from = analysis
        .model
        .stages
        .first()
        .and_then(|s| analysis.tree.instructions.get(s.from))
        .map(|i| i.keyword_range);
    // When the file starts with its FROM, the image word keeps its own hover alone.
    let first_line_is_from = first_from.is_some_and(|r| r.start() <= first_line_end);
    let range = if offset <= first_line_end && !first_line_is_from {
        let line = TextRange::new(0, first_line_end);
        // The first line's own hover (a directive, an instruction keyword) keeps its range.
        first_from
            .filter(|r| r.contains_inclusive(offset))
            .unwrap_or(line)
    } else {
        first_from.filter(|r| r.contains_inclusive(offset))?
    };
    let dockerignore = match &facts.dockerignore {
        Some(_) => format!(
            "`{}` decides what Docker leaves out of it.",
            dockerignore_name(facts, workspace)
        ),
        None => "No `.dockerignore` applies: Docker sends every file of it.".to_string(),
    };
    Some(Hover {
        range,
        markdown: format!(
            "**Build context: `{}`**\n\n{}\n\n{dockerignore}",
            context_dir_display(&facts.build_context, workspace),
            facts.build_context.explanation()
        ),
    })
}

/// The build context's files for COPY/ADD path completion, with `.dockerignore` applied.
pub struct ContextFiles<'a> {
    facts: &'a DockerfileFacts,
}

impl<'a> ContextFiles<'a> {
    /// `None` when the build context is not known (no solution indexed yet).
    pub fn new(analysis: &'a Analysis) -> Option<Self> {
        analysis.facts.as_ref().map(|facts| ContextFiles { facts })
    }

    /// The folder of the context named by `dir` (`""` is the root), when every component
    /// is a plain name of a real directory: `..`, absolute paths and symlinks, which could
    /// lead outside the context, are refused.
    fn folder(&self, dir: &str) -> Option<PathBuf> {
        let mut path = self.facts.build_context.dir.clone();
        for component in Path::new(dir).components() {
            match component {
                Component::Normal(name) => path.push(name),
                Component::CurDir => {}
                _ => return None,
            }
            let metadata = path.symlink_metadata().ok()?;
            if !metadata.is_dir() {
                return None;
            }
        }
        Some(path)
    }
}

impl BuildContextProvider for ContextFiles<'_> {
    fn list_dir(&self, dir: &str) -> Vec<ContextEntry> {
        let Some(folder) = self.folder(dir) else {
            return Vec::new();
        };
        let Ok(entries) = std::fs::read_dir(&folder) else {
            return Vec::new();
        };
        let ignore = self.facts.dockerignore.as_ref();
        let prefix = dir.trim_matches('/');
        let mut out: Vec<ContextEntry> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let name = entry.file_name().to_str()?.to_string();
                let is_dir = entry.file_type().ok()?.is_dir();
                let relative = if prefix.is_empty() || prefix == "." {
                    name.clone()
                } else {
                    format!("{prefix}/{name}")
                };
                let excluded_by = ignore.and_then(|loaded| {
                    let pattern = loaded.ignore.is_excluded(&relative)?;
                    Some(format!(
                        "excluded by {} line {}: {}",
                        loaded
                            .source
                            .path()
                            .file_name()
                            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                        pattern.line,
                        pattern.pattern
                    ))
                });
                Some(ContextEntry {
                    name,
                    is_dir,
                    excluded_by,
                })
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    fn link_target(&self, _path: &str) -> Option<String> {
        // Links come from the resolved COPY sources (`file_links`), which also cover
        // wildcards and substituted variables.
        None
    }
}

/// The projects the `dotnet` commands of the Dockerfile build, traced through the stage
/// filesystem (WORKDIR, COPY) to the solution, for the `dotnet publish` code lens. Traced
/// on first use, so requests that never ask pay nothing.
pub struct BuiltProjects<'a> {
    analysis: &'a Analysis,
    facts: &'a DockerfileFacts,
    workspace: &'a Workspace,
    /// The project argument as written, and the target framework(s) of what it builds.
    frameworks: std::cell::OnceCell<Vec<(String, String)>>,
}

impl<'a> BuiltProjects<'a> {
    pub fn new(analysis: &'a Analysis, workspace: Option<&'a Workspace>) -> Option<Self> {
        Some(BuiltProjects {
            analysis,
            facts: analysis.facts.as_ref()?,
            workspace: workspace?,
            frameworks: std::cell::OnceCell::new(),
        })
    }

    fn frameworks(&self) -> &[(String, String)] {
        self.frameworks.get_or_init(|| {
            use crate::context::stage_fs::{dotnet_targets, BuildTarget, StageFs};
            let fs = StageFs::new(&self.analysis.tree, &self.analysis.model, self.facts);
            dotnet_targets(&fs, self.workspace)
                .into_iter()
                .filter_map(|built| {
                    let written = built.invocation.command.project.as_ref()?.text.to_string();
                    let BuildTarget::Project(id) = built.target else {
                        return None;
                    };
                    let project = self.workspace.project(id)?;
                    (!project.target_frameworks.is_empty())
                        .then(|| (written, project.target_frameworks.join(";")))
                })
                .collect()
        })
    }
}

impl crate::ide::ProjectProvider for BuiltProjects<'_> {
    fn target_frameworks(&self, project: &str) -> Option<String> {
        self.frameworks()
            .iter()
            .find(|(written, _)| written == project)
            .map(|(_, frameworks)| frameworks.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, AnalysisEnv};
    use crate::context::SolutionSnapshot;
    use crate::dotnet::WorkspaceOptions;

    fn write(root: &Path, relative: &str, text: &str) {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A solution at the root of the context: the Dockerfile in src/Api copies from the root.
    fn solution() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "Shop.sln", "");
        write(
            root,
            "global.json",
            r#"{"sdk": {"version": "9.0.100", "rollForward": "latestFeature"}}"#,
        );
        write(
            root,
            "NuGet.config",
            r#"<configuration><packageSources><clear /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /><add key="contoso" value="https://bot:s3cret@pkgs.contoso.com/feed/index.json" /></packageSources><packageSourceCredentials><contoso><add key="Username" value="bot" /><add key="ClearTextPassword" value="hunter2" /></contoso></packageSourceCredentials></configuration>"#,
        );
        write(
            root,
            "Directory.Build.props",
            "<Project><PropertyGroup><TargetFramework>net9.0</TargetFramework><Nullable>enable</Nullable></PropertyGroup></Project>",
        );
        write(
            root,
            "Directory.Packages.props",
            r#"<Project><PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup><ItemGroup><PackageVersion Include="Serilog" Version="4.0.0" /><PackageVersion Include="Polly" Version="8.4.0" /></ItemGroup></Project>"#,
        );
        write(
            root,
            ".dockerignore",
            "# outputs\n**/bin\n**/obj\nsecrets/\n",
        );
        write(
            root,
            "src/Api/Api.csproj",
            r#"<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><AssemblyName>Shop.Api</AssemblyName><RuntimeIdentifiers>linux-x64;linux-arm64</RuntimeIdentifiers><InvariantGlobalization>true</InvariantGlobalization><PublishTrimmed>true</PublishTrimmed><DockerfileContext>..\..</DockerfileContext></PropertyGroup><ItemGroup><PackageReference Include="Serilog" /><ProjectReference Include="..\Domain\Domain.csproj" /></ItemGroup></Project>"#,
        );
        write(root, "src/Api/Program.cs", "");
        write(root, "src/Api/bin/Api.dll", "");
        write(
            root,
            "src/Domain/Domain.csproj",
            r#"<Project Sdk="Microsoft.NET.Sdk"></Project>"#,
        );
        write(root, "secrets/key.txt", "");
        dir
    }

    const DOCKERFILE: &str = "\
# Café: built from the solution root
FROM mcr.microsoft.com/dotnet/sdk:9.0 AS build
WORKDIR /src
COPY [\"src/Api/Api.csproj\", \"src/Api/\"]
COPY global.json NuGet.config Directory.Build.props Directory.Packages.props ./
COPY src/ src/
COPY secrets/key.txt src/Api/bin/ /run/
COPY src/*/*.csproj /projects/
RUN dotnet publish src/Api/Api.csproj -c Release -o /app
";

    fn analysed(root: &Path) -> (crate::analysis::Analysis, SolutionSnapshot) {
        let snapshot = SolutionSnapshot::new(crate::dotnet::Workspace::index(
            root,
            WorkspaceOptions::default(),
        ));
        let env = AnalysisEnv {
            path: Some(root.join("src/Api/Dockerfile")),
            today: "2026-01-15".to_string(),
            solution: Some(snapshot.clone()),
            ..AnalysisEnv::default()
        };
        write(root, "src/Api/Dockerfile", DOCKERFILE);
        (analyze(DOCKERFILE, &env), snapshot)
    }

    fn at(needle: &str) -> usize {
        DOCKERFILE.find(needle).unwrap() + 1
    }

    #[test]
    fn hover_on_a_project_file_shows_its_facts() {
        let dir = solution();
        let (a, snapshot) = analysed(dir.path());
        let hover = source_hover(&a, Some(&snapshot.workspace), at("src/Api/Api.csproj")).unwrap();
        assert_eq!(&DOCKERFILE[hover.range.as_range()], "src/Api/Api.csproj");
        assert_eq!(
            hover.markdown,
            "**C# project `src/Api/Api.csproj`**\n\
             \n- Sdk: `Microsoft.NET.Sdk.Web`\
             \n- TargetFramework: `net9.0`\
             \n- AssemblyName: `Shop.Api`\
             \n- OutputType: `Exe` (SDK default)\
             \n- RuntimeIdentifiers: `linux-x64`, `linux-arm64`\
             \n- Publish: PublishTrimmed\
             \n- InvariantGlobalization: `true`\
             \n- ProjectReferences (1): `Domain`\
             \n- PackageReferences: 1\
             \n- DockerfileContext: `..\\..`"
        );
    }

    #[test]
    fn hover_on_msbuild_nuget_and_sdk_files() {
        let dir = solution();
        let (a, snapshot) = analysed(dir.path());
        let ws = Some(snapshot.workspace.as_ref());
        let hover = |needle: &str| source_hover(&a, ws, at(needle)).unwrap().markdown;
        assert_eq!(
            hover("global.json"),
            "**global.json `global.json`**\n\nSelects the .NET SDK that `dotnet` commands use in its folder and below.\
             \n- SDK version: `9.0.100`\
             \n- rollForward: `latestFeature`"
        );
        // Package sources without credentials, even those written into a URL.
        assert_eq!(
            hover("NuGet.config"),
            "**NuGet.config `NuGet.config`**\n\nThe package sources `dotnet restore` uses in its folder and below.\
             \n- `<clear />`: sources from machine and user configurations are dropped\
             \n- `nuget.org`: https://api.nuget.org/v3/index.json\
             \n- `contoso`: https://pkgs.contoso.com/feed/index.json"
        );
        assert_eq!(
            hover("Directory.Build.props"),
            "**Directory.Build.props `Directory.Build.props`**\n\nMSBuild imports it before the project file of every project in its folder and below, so `dotnet restore` needs it in the image.\
             \n- Imported by 2 projects: `Api`, `Domain`\
             \n- Sets `Nullable`, `TargetFramework`"
        );
        assert_eq!(
            hover("Directory.Packages.props"),
            "**Directory.Packages.props `Directory.Packages.props`**\n\nCentral package management: the versions of the PackageReferences of every project in its folder and below.\
             \n- Central package versions: 2\
             \n- Used by 2 projects"
        );
    }

    #[test]
    fn hover_on_folders_wildcards_and_excluded_sources() {
        let dir = solution();
        let (a, snapshot) = analysed(dir.path());
        let ws = Some(snapshot.workspace.as_ref());
        let hover = |needle: &str| source_hover(&a, ws, at(needle)).unwrap().markdown;
        assert_eq!(
            hover("src/ src/"),
            "**Copies 2 project files**\
             \n- `src/Api/Api.csproj` · net9.0 · Exe\
             \n- `src/Domain/Domain.csproj` · net9.0 · Library"
        );
        assert_eq!(
            hover("src/*/*.csproj"),
            "**Copies 2 project files**\
             \n- `src/Api/Api.csproj` · net9.0 · Exe\
             \n- `src/Domain/Domain.csproj` · net9.0 · Library"
        );
        assert_eq!(
            hover("secrets/key.txt"),
            "**Not in the build context**: Docker does not send `secrets/key.txt`; line 4 of `.dockerignore` excludes it: `secrets/` (through its folder `secrets`)."
        );
        assert_eq!(
            hover("src/Api/bin/"),
            "**Not in the build context**: Docker does not send `src/Api/bin`; line 2 of `.dockerignore` excludes it: `**/bin`."
        );
        // Not a source: no hover here.
        assert!(source_hover(&a, ws, at("/projects/")).is_none());
    }

    #[test]
    fn definition_and_links_open_the_copied_files() {
        let dir = solution();
        let root = dir.path();
        let (a, snapshot) = analysed(root);
        let ws = Some(snapshot.workspace.as_ref());
        assert_eq!(
            definition(&a, ws, at("src/Api/Api.csproj")),
            [root.join("src/Api/Api.csproj")]
        );
        assert_eq!(
            definition(&a, ws, at("src/ src/")),
            [
                root.join("src/Api/Api.csproj"),
                root.join("src/Domain/Domain.csproj")
            ]
        );
        assert!(definition(&a, ws, at("secrets/key.txt")).is_empty());
        let links: Vec<(&str, PathBuf)> = file_links(&a)
            .into_iter()
            .map(|l| (&DOCKERFILE[l.range.as_range()], l.path))
            .collect();
        assert_eq!(
            links,
            [
                ("src/Api/Api.csproj", root.join("src/Api/Api.csproj")),
                ("global.json", root.join("global.json")),
                ("NuGet.config", root.join("NuGet.config")),
                ("Directory.Build.props", root.join("Directory.Build.props")),
                (
                    "Directory.Packages.props",
                    root.join("Directory.Packages.props")
                ),
                ("secrets/key.txt", root.join("secrets/key.txt")),
            ]
        );
    }

    #[test]
    fn build_context_lens_and_hover() {
        let dir = solution();
        let (a, snapshot) = analysed(dir.path());
        let ws = Some(snapshot.workspace.as_ref());
        let lens = build_context_lens(&a, ws).unwrap();
        assert_eq!(&DOCKERFILE[lens.range.as_range()], "FROM");
        assert_eq!(
            lens.title,
            "Build context: . (DockerfileContext in src/Api/Api.csproj)"
        );
        let expected = format!(
            "**Build context: `.`**\n\nBuild context {}: <DockerfileContext>..\\..</DockerfileContext> in {}.\n\n`.dockerignore` decides what Docker leaves out of it.",
            dir.path().display(),
            dir.path().join("src/Api/Api.csproj").display()
        );
        let on_comment = build_context_hover(&a, ws, 3).unwrap();
        assert_eq!(on_comment.markdown, expected);
        assert_eq!(
            &DOCKERFILE[on_comment.range.as_range()],
            "# Café: built from the solution root"
        );
        let on_from = build_context_hover(&a, ws, at("FROM")).unwrap();
        assert_eq!(&DOCKERFILE[on_from.range.as_range()], "FROM");
        assert!(build_context_hover(&a, ws, at("WORKDIR")).is_none());
        assert!(build_context_hover(&a, ws, at("sdk:9.0")).is_none());
    }

    #[test]
    fn context_folders_for_completion_mark_dockerignore_exclusions() {
        let dir = solution();
        let (a, _snapshot) = analysed(dir.path());
        let files = ContextFiles::new(&a).unwrap();
        let entries: Vec<(String, bool, Option<String>)> = files
            .list_dir("src/Api")
            .into_iter()
            .map(|e| (e.name, e.is_dir, e.excluded_by))
            .collect();
        assert_eq!(
            entries,
            [
                ("Api.csproj".into(), false, None),
                ("Dockerfile".into(), false, None),
                ("Program.cs".into(), false, None),
                (
                    "bin".into(),
                    true,
                    Some("excluded by .dockerignore line 2: **/bin".into())
                ),
            ]
        );
        assert!(files.list_dir("../..").is_empty());
        assert!(files.list_dir("/etc").is_empty());
        assert!(files.list_dir("nowhere").is_empty());
        assert_eq!(files.list_dir("./secrets").len(), 1);
    }

    #[test]
    fn publish_lens_names_the_target_framework_of_the_built_project() {
        let dir = solution();
        let (a, snapshot) = analysed(dir.path());
        let built = BuiltProjects::new(&a, Some(&snapshot.workspace)).unwrap();
        let env = crate::ide::IdeEnv {
            projects: Some(&built),
            ..Default::default()
        };
        let lenses = crate::ide::code_lens::code_lenses(&a, &env);
        let publish = lenses.last().unwrap();
        assert_eq!(
            publish.title,
            "publishes src/Api/Api.csproj · net9.0 · Release"
        );
        assert!(BuiltProjects::new(&a, None).is_none());
    }

    #[test]
    fn without_a_solution_nothing_is_answered() {
        let a = crate::ide::test_support::analysis(DOCKERFILE);
        assert!(source_hover(&a, None, at("src/Api/Api.csproj")).is_none());
        assert!(definition(&a, None, at("src/Api/Api.csproj")).is_empty());
        assert!(file_links(&a).is_empty());
        assert!(build_context_lens(&a, None).is_none());
        assert!(build_context_hover(&a, None, 0).is_none());
        assert!(ContextFiles::new(&a).is_none());
        assert_eq!(without_userinfo("https://u:p@host/x@y"), "https://host/x@y");
    }
}
