//! The Dockerfile Dockside writes for a .NET project (`dockside init`, the
//! `dockside.generateDockerfile` command, and the action in an empty Dockerfile).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::create_dockerignore::dotnet_dockerignore;
use super::{ActionContext, ActionKind, CodeAction, FileChange};
use crate::declare_action;
use crate::dotnet::{paths, Project, Workspace};
use crate::ide::TextEdit;
use crate::images::{Catalog, DotnetVersion, ImageMatch, ImageRef, RepoKind};
use crate::rules::dotnet::published::dotnet_version_of_tfm;
use crate::rules::dotnet::restore_model::display_relative;

/// What [`generate`] writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedDockerfile {
    pub dockerfile: String,
    /// The build context the Dockerfile expects (`docker build -f <Dockerfile> <context>`).
    pub context_dir: PathBuf,
    /// `<context>/.dockerignore`.
    pub dockerignore_path: PathBuf,
    pub dockerignore: String,
}

/// Why no Dockerfile can be written for a project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GenerateError {
    /// A class library or test project: nothing to run.
    NotAnApp { project: String },
    /// No .NET (Core) TargetFramework: .NET Framework and .NET Standard have no Linux image.
    NoTargetFramework { project: String },
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenerateError::NotAnApp { project } => write!(
                f,
                "{project} is not an app (its OutputType is not Exe), so there is nothing for a container to run"
            ),
            GenerateError::NoTargetFramework { project } => write!(
                f,
                "{project} has no .NET 5+ TargetFramework (net8.0, net10.0...), which the .NET container images need"
            ),
        }
    }
}

impl std::error::Error for GenerateError {}

/// How the project is published and which image runs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RuntimeChoice {
    pub kind: RepoKind,
    /// Self-contained or Native AOT: the app is an executable of its own.
    pub native: bool,
    pub aot: bool,
}

impl RuntimeChoice {
    pub(crate) fn of_project(project: &Project) -> RuntimeChoice {
        let aot = project.publish_aot == Some(true);
        let native = aot
            || project.publish_self_contained == Some(true)
            || project.self_contained == Some(true);
        let kind = if native {
            RepoKind::RuntimeDeps
        } else if project.is_web() {
            RepoKind::Aspnet
        } else {
            RepoKind::Runtime
        };
        RuntimeChoice { kind, native, aot }
    }
}

/// `mcr.microsoft.com/dotnet/<repo>:<version>-<variant>` for the first variant the embedded
/// catalog publishes, else `<repo>:<version>`.
pub(crate) fn catalog_image(kind: RepoKind, version: DotnetVersion, variants: &[&str]) -> String {
    let repo = format!("mcr.microsoft.com/dotnet/{}", kind.short_name());
    let catalog = Catalog::embedded();
    variants
        .iter()
        .map(|variant| format!("{repo}:{version}-{variant}"))
        .find(|candidate| {
            matches!(
                catalog.lookup(&ImageRef::parse(candidate)),
                ImageMatch::Known(_)
            )
        })
        .unwrap_or_else(|| format!("{repo}:{version}"))
}

/// `["dotnet", "Api.dll"]`, or `["./Api"]` for a self-contained or AOT app.
pub(crate) fn entrypoint_words(assembly: &str, native: bool) -> Vec<String> {
    if native {
        vec![format!("./{assembly}")]
    } else {
        vec!["dotnet".to_string(), format!("{assembly}.dll")]
    }
}

/// The exec form of `words`.
pub(crate) fn exec_form(words: &[String]) -> String {
    format!(
        "[{}]",
        words
            .iter()
            .map(|w| serde_json::Value::String(w.clone()).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The project's .NET version: its one TargetFramework, or the newest of several.
pub(crate) fn project_dotnet_version(project: &Project) -> Option<(DotnetVersion, String)> {
    project
        .target_frameworks
        .iter()
        .filter_map(|tfm| Some((dotnet_version_of_tfm(tfm)?, tfm.clone())))
        .max_by_key(|(v, _)| (v.major, v.minor))
}

/// The directory to build from: the one holding the project's solution file, widened to
/// contain every project and MSBuild file the restore needs.
pub fn context_dir_for(workspace: &Workspace, project: &Project) -> PathBuf {
    let mut dirs: Vec<PathBuf> = restore_inputs(workspace, project)
        .into_iter()
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    if let Some(solution) = workspace
        .solutions()
        .filter(|s| s.projects.iter().any(|p| p.path == project.path))
        .filter(|s| project.path.starts_with(s.dir()))
        .min_by_key(|s| s.path.components().count())
    {
        dirs.push(solution.dir().to_path_buf());
    }
    let mut common = paths::normalize(project.dir());
    for dir in dirs {
        let dir = paths::normalize(&dir);
        while !dir.starts_with(&common) {
            match common.parent() {
                Some(parent) => common = parent.to_path_buf(),
                None => break,
            }
        }
    }
    common
}

/// Every file `dotnet restore` of `project` reads from the solution: the project files of
/// its reference closure, their MSBuild imports (Directory.Build.props, Directory.Packages.props),
/// NuGet.config and global.json. Inside the workspace only.
fn restore_inputs(workspace: &Workspace, project: &Project) -> Vec<PathBuf> {
    let closure = workspace.reference_closure(project.id);
    let projects: Vec<&Project> = std::iter::once(project)
        .chain(
            closure
                .entries
                .iter()
                .filter_map(|e| workspace.project(e.project)),
        )
        .collect();
    let mut files: Vec<PathBuf> = Vec::new();
    for p in &projects {
        files.push(p.path.clone());
        files.extend(p.inputs.iter().cloned());
    }
    files.extend(
        workspace
            .nuget_configs_for(project.dir())
            .into_iter()
            .map(|c| c.path.clone()),
    );
    files.extend(
        workspace
            .global_json_for(project.dir())
            .map(|g| g.path.clone()),
    );
    let root = paths::normalize(workspace.root());
    let mut files: Vec<PathBuf> = files
        .into_iter()
        .map(|f| paths::normalize(&f))
        .filter(|f| f.starts_with(&root))
        .collect();
    files.sort();
    files.dedup();
    files
}

/// A path for a Dockerfile word: JSON-quoted when it has spaces.
fn needs_json(paths: &[String]) -> bool {
    paths.iter().any(|p| p.contains([' ', '\t']))
}

fn copy_line(sources: &[String], destination: &str) -> String {
    let mut words: Vec<String> = sources.to_vec();
    words.push(destination.to_string());
    if needs_json(&words) {
        format!("COPY {}", exec_form(&words))
    } else {
        format!("COPY {}", words.join(" "))
    }
}

fn shell_word(path: &str) -> String {
    if path.contains([' ', '\t']) {
        format!("\"{path}\"")
    } else {
        path.to_string()
    }
}

/// The best-practice Dockerfile for `project`, to be saved as `dockerfile_path` and built
/// from [`context_dir_for`]: an SDK build stage with a restore layer that copies only what
/// restore reads, then the sources and `dotnet publish --no-restore`, and a final stage on
/// the smallest image that runs the app (chiseled when the catalog has it), as the non-root
/// `$APP_UID`, exposing 8080 for web apps.
pub fn generate(
    workspace: &Workspace,
    project: &Project,
    dockerfile_path: &Path,
) -> Result<GeneratedDockerfile, GenerateError> {
    let project_name = project
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| project.name.clone());
    if !project.is_executable() {
        return Err(GenerateError::NotAnApp {
            project: project_name,
        });
    }
    let Some((version, tfm)) = project_dotnet_version(project) else {
        return Err(GenerateError::NoTargetFramework {
            project: project_name,
        });
    };
    let context_dir = context_dir_for(workspace, project);
    let relative = |abs: &Path| -> String {
        match paths::normalize(abs).strip_prefix(&context_dir) {
            Ok(rest) => rest
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/"),
            Err(_) => abs.display().to_string(),
        }
    };
    let choice = RuntimeChoice::of_project(project);
    let project_rel = relative(&project.path);
    let lb = "\n";
    let mut out = String::new();
    let dockerfile_rel = relative(dockerfile_path);
    let build_command = if dockerfile_rel == "Dockerfile" {
        "docker build .".to_string()
    } else {
        format!("docker build -f {} .", shell_word(&dockerfile_rel))
    };
    let from_where = if workspace.solutions().any(|s| s.dir() == context_dir) {
        "the solution directory".to_string()
    } else if context_dir == paths::normalize(project.dir()) {
        "the project directory".to_string()
    } else {
        let name = context_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "/".to_string());
        format!("the directory {name}")
    };
    out.push_str(&format!(
        "# Generated by Dockside for {project_rel}. Build from {from_where}:{lb}#   {build_command}{lb}"
    ));

    let sdk = if choice.aot {
        catalog_image(RepoKind::Sdk, version, &["noble-aot"])
    } else {
        catalog_image(RepoKind::Sdk, version, &[])
    };
    out.push_str(&format!("FROM {sdk} AS build{lb}"));
    if choice.aot && !sdk.ends_with("-aot") {
        // Before .NET 10 there is no AOT SDK image: Native AOT links with clang.
        out.push_str(&format!(
            "RUN apt-get update \\{lb}    && apt-get install -y --no-install-recommends clang zlib1g-dev \\{lb}    && rm -rf /var/lib/apt/lists/*{lb}"
        ));
    }
    let arch = if choice.native {
        out.push_str(&format!("ARG TARGETARCH{lb}"));
        " -a $TARGETARCH"
    } else {
        ""
    };
    out.push_str(&format!("WORKDIR /src{lb}{lb}"));
    out.push_str(&format!(
        "# Restore first: this layer is rebuilt only when a file restore reads changes{lb}"
    ));
    let mut by_dir: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in restore_inputs(workspace, project) {
        let rel = relative(&file);
        let dir = match rel.rfind('/') {
            Some(at) => format!("{}/", &rel[..at]),
            None => "./".to_string(),
        };
        by_dir.entry(dir).or_default().push(rel);
    }
    // The context root first (Directory.Build.props and friends), then each directory.
    if let Some(root_files) = by_dir.remove("./") {
        out.push_str(&copy_line(&root_files, "./"));
        out.push_str(lb);
    }
    for (dir, files) in &by_dir {
        out.push_str(&copy_line(files, dir));
        out.push_str(lb);
    }
    let project_word = shell_word(&project_rel);
    let framework = if project.target_frameworks.len() > 1 {
        format!(" -f {tfm}")
    } else {
        String::new()
    };
    out.push_str(&format!("RUN dotnet restore {project_word}{arch}{lb}{lb}"));
    out.push_str(&format!("COPY . .{lb}"));
    let app_host = if choice.native {
        ""
    } else {
        " -p:UseAppHost=false"
    };
    out.push_str(&format!(
        "RUN dotnet publish {project_word} -c Release{framework}{arch} --no-restore -o /app/publish{app_host}{lb}{lb}"
    ));

    let globalization = if project.invariant_globalization == Some(true) {
        "noble-chiseled"
    } else {
        // ICU and time zones for apps that format dates, numbers or currencies.
        "noble-chiseled-extra"
    };
    let runtime = catalog_image(choice.kind, version, &[globalization]);
    out.push_str(&format!("FROM {runtime} AS final{lb}"));
    out.push_str(&format!("WORKDIR /app{lb}"));
    out.push_str(&format!("COPY --from=build /app/publish .{lb}"));
    out.push_str(&format!("USER $APP_UID{lb}"));
    if project.is_web() {
        out.push_str(&format!("EXPOSE 8080{lb}"));
    }
    out.push_str(&format!(
        "ENTRYPOINT {}{lb}",
        exec_form(&entrypoint_words(&project.assembly_name, choice.native))
    ));

    let copied: Vec<String> = Vec::new();
    Ok(GeneratedDockerfile {
        dockerfile: out,
        dockerignore_path: context_dir.join(".dockerignore"),
        context_dir,
        dockerignore: dotnet_dockerignore(&copied, lb),
    })
}

declare_action! {
/// In an empty Dockerfile that sits next to one .NET app project, writes the best-practice
/// Dockerfile for it: an SDK build stage whose restore layer copies only the project files
/// of the ProjectReference closure and the MSBuild, NuGet and SDK files restore reads, then
/// `dotnet publish --no-restore`; a final stage on the chiseled `aspnet`, `runtime` or
/// `runtime-deps` image of the project's TargetFramework, running as `$APP_UID`, with
/// `EXPOSE 8080` for web apps. Creates the build context's `.dockerignore` too when there is
/// none.
///
/// The same generator runs behind the `dockside.generateDockerfile` command and
/// `dockside init <project>`.
///
/// ## Before
/// ```dockerfile
/// $0
/// ```
///
/// ## After
/// ```dockerfile
/// # Generated by Dockside for Api.csproj. Build from the project directory:
/// #   docker build .
/// FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
/// WORKDIR /src
///
/// # Restore first: this layer is rebuilt only when a file restore reads changes
/// COPY Api.csproj ./
/// RUN dotnet restore Api.csproj
///
/// COPY . .
/// RUN dotnet publish Api.csproj -c Release --no-restore -o /app/publish -p:UseAppHost=false
///
/// FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra AS final
/// WORKDIR /app
/// COPY --from=build /app/publish .
/// USER $APP_UID
/// EXPOSE 8080
/// ENTRYPOINT ["dotnet", "Api.dll"]
/// ```
///
/// ## Fix safety
/// Not a fix: offered in empty Dockerfiles only.
    GenerateDockerfile { expensive: true }
}

impl GenerateDockerfile {
    fn run(ctx: &ActionContext, out: &mut Vec<CodeAction>) {
        if !ctx.text().trim().is_empty() {
            return;
        }
        let (Some(workspace), Some(dockerfile)) = (ctx.workspace(), ctx.env.path.as_ref()) else {
            return;
        };
        let Some(dir) = dockerfile.parent().map(paths::normalize) else {
            return;
        };
        let mut apps = workspace
            .projects()
            .filter(|p| p.dir() == dir && p.is_executable());
        let (Some(project), None) = (apps.next(), apps.next()) else {
            return;
        };
        let Ok(generated) = generate(workspace, project, dockerfile) else {
            return;
        };
        let name = display_relative(workspace.root(), &project.path);
        let mut action = CodeAction::new(
            &Self::META,
            ActionKind::Source,
            format!("Generate a Dockerfile for {name}"),
            vec![TextEdit::insert(
                0,
                generated.dockerfile.replace('\n', ctx.line_break()),
            )],
        );
        let has_ignore =
            crate::context::dockerignore::dockerignore_for(&generated.context_dir, dockerfile)
                .is_some();
        if !has_ignore {
            action = action.with_file(FileChange::Create {
                path: generated.dockerignore_path,
                contents: generated.dockerignore.replace('\n', ctx.line_break()),
            });
        }
        out.push(action);
    }
}

/// The solution a project belongs to, indexed from the nearest directory above it that holds
/// a solution file or a `.git` (the project's own directory when there is none).
pub fn index_project_workspace(project_path: &Path) -> Workspace {
    let project_path = paths::normalize(project_path);
    let project_dir = project_path.parent().unwrap_or(Path::new("/"));
    let is_root = |dir: &Path| {
        dir.join(".git").exists()
            || std::fs::read_dir(dir).is_ok_and(|entries| {
                entries.flatten().any(|e| {
                    let name = e.file_name().to_string_lossy().to_ascii_lowercase();
                    name.ends_with(".sln") || name.ends_with(".slnx")
                })
            })
    };
    let mut root = project_dir
        .ancestors()
        .find(|dir| is_root(dir))
        .unwrap_or(project_dir)
        .to_path_buf();
    // Widen the root until it holds every project the closure references.
    const MAX_WIDENINGS: usize = 8;
    let mut workspace = Workspace::index(&root, crate::dotnet::WorkspaceOptions::default());
    for _ in 0..MAX_WIDENINGS {
        let outside = referenced_outside(&workspace, &project_path);
        if outside.is_empty() {
            break;
        }
        for path in outside {
            while !path.starts_with(&root) {
                match root.parent() {
                    Some(parent) => root = parent.to_path_buf(),
                    None => break,
                }
            }
        }
        workspace = Workspace::index(&root, crate::dotnet::WorkspaceOptions::default());
    }
    workspace
}

/// Existing projects of the closure of `project_path` that lie outside the workspace root.
fn referenced_outside(workspace: &Workspace, project_path: &Path) -> Vec<PathBuf> {
    let Some(project) = workspace.project_by_path(project_path) else {
        return Vec::new();
    };
    let root = paths::normalize(workspace.root());
    let closure = workspace.reference_closure(project.id);
    std::iter::once(project)
        .chain(
            closure
                .entries
                .iter()
                .filter_map(|e| workspace.project(e.project)),
        )
        .flat_map(|p| p.project_references.iter())
        .filter(|r| r.condition.applies() && r.target_exists)
        .map(|r| paths::normalize(&r.path))
        .filter(|path| !path.starts_with(&root))
        .collect()
}

/// Where [`generate`] puts the Dockerfile of `project`: next to the project file.
pub fn default_dockerfile_path(project: &Project) -> PathBuf {
    project.dir().join("Dockerfile")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_support::{check_not_applicable_with, offered, solution_env};
    use crate::analysis::analyze;
    use crate::ide::apply_edits;
    use crate::rules::dotnet::test_support::{csproj, solution};
    use crate::text::TextRange;

    const NAME: &str = "GenerateDockerfile";

    fn project(sdk: &str, properties: &str, references: &[&str]) -> String {
        let items: String = references
            .iter()
            .map(|r| format!("    <ProjectReference Include=\"{r}\" />\n"))
            .collect();
        format!("<Project Sdk=\"{sdk}\">\n  <PropertyGroup>\n{properties}  </PropertyGroup>\n  <ItemGroup>\n{items}  </ItemGroup>\n</Project>\n")
    }

    /// A web API with a three-project closure, central package management, a NuGet.config
    /// and a global.json, plus a test project that must not be copied.
    fn layered_solution() -> tempfile::TempDir {
        solution(&[
            ("Shop.sln", "Microsoft Visual Studio Solution File, Format Version 12.00\nProject(\"{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}\") = \"Api\", \"src\\Api\\Api.csproj\", \"{11111111-1111-1111-1111-111111111111}\"\nEndProject\n"),
            ("Directory.Build.props", "<Project>\n  <PropertyGroup>\n    <Nullable>enable</Nullable>\n  </PropertyGroup>\n</Project>\n"),
            ("Directory.Packages.props", "<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>\n  </PropertyGroup>\n</Project>\n"),
            ("NuGet.config", "<configuration>\n  <packageSources>\n    <add key=\"nuget\" value=\"https://api.nuget.org/v3/index.json\" />\n  </packageSources>\n</configuration>\n"),
            ("global.json", "{ \"sdk\": { \"version\": \"10.0.100\", \"rollForward\": \"latestFeature\" } }\n"),
            ("src/Api/Api.csproj", &project("Microsoft.NET.Sdk.Web", "    <TargetFramework>net10.0</TargetFramework>\n", &["../Domain/Domain.csproj"])),
            ("src/Domain/Domain.csproj", &project("Microsoft.NET.Sdk", "    <TargetFramework>net10.0</TargetFramework>\n", &["../Shared Kernel/Shared.Kernel.csproj"])),
            ("src/Shared Kernel/Shared.Kernel.csproj", &project("Microsoft.NET.Sdk", "    <TargetFramework>net10.0</TargetFramework>\n", &[])),
            ("tests/Api.Tests/Api.Tests.csproj", &project("Microsoft.NET.Sdk", "    <TargetFramework>net10.0</TargetFramework>\n", &["../../src/Api/Api.csproj"])),
        ])
    }

    #[test]
    fn web_api_with_a_closure_and_solution_files() {
        let dir = layered_solution();
        let root = paths::normalize(dir.path());
        let workspace = Workspace::index(&root, crate::dotnet::WorkspaceOptions::default());
        let project = workspace
            .project_by_path(&root.join("src/Api/Api.csproj"))
            .expect("the project");
        let dockerfile_path = default_dockerfile_path(project);
        let generated = generate(&workspace, project, &dockerfile_path).expect("generated");
        assert_eq!(generated.context_dir, root);
        assert_eq!(generated.dockerignore_path, root.join(".dockerignore"));
        assert_eq!(
            generated.dockerfile,
            "# Generated by Dockside for src/Api/Api.csproj. Build from the solution directory:\n\
             #   docker build -f src/Api/Dockerfile .\n\
             FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build\n\
             WORKDIR /src\n\
             \n\
             # Restore first: this layer is rebuilt only when a file restore reads changes\n\
             COPY Directory.Build.props Directory.Packages.props NuGet.config global.json ./\n\
             COPY src/Api/Api.csproj src/Api/\n\
             COPY src/Domain/Domain.csproj src/Domain/\n\
             COPY [\"src/Shared Kernel/Shared.Kernel.csproj\", \"src/Shared Kernel/\"]\n\
             RUN dotnet restore src/Api/Api.csproj\n\
             \n\
             COPY . .\n\
             RUN dotnet publish src/Api/Api.csproj -c Release --no-restore -o /app/publish -p:UseAppHost=false\n\
             \n\
             FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra AS final\n\
             WORKDIR /app\n\
             COPY --from=build /app/publish .\n\
             USER $APP_UID\n\
             EXPOSE 8080\n\
             ENTRYPOINT [\"dotnet\", \"Api.dll\"]\n"
        );
        // What Dockside itself says about the result, with the .dockerignore written.
        std::fs::write(&dockerfile_path, &generated.dockerfile).expect("write");
        std::fs::write(&generated.dockerignore_path, &generated.dockerignore).expect("write");
        let env = solution_env(&root, "src/Api/Dockerfile");
        let analysis = analyze(&generated.dockerfile, &env);
        let findings: Vec<String> = analysis
            .diagnostics
            .iter()
            .map(|d| format!("{:?} {}", d.severity, d.code))
            .collect();
        // Floating tags get the patches; pinning them is the user's choice (PinImageTag).
        assert_eq!(
            findings,
            ["Info ImageTagNotPinned", "Info ImageTagNotPinned"],
            "{:#?}",
            analysis.diagnostics
        );
    }

    #[test]
    fn native_aot_console_app() {
        let dir = solution(&[(
            "Tool/Tool.csproj",
            &project(
                "Microsoft.NET.Sdk",
                "    <OutputType>Exe</OutputType>\n    <TargetFramework>net8.0</TargetFramework>\n    <PublishAot>true</PublishAot>\n    <InvariantGlobalization>true</InvariantGlobalization>\n",
                &[],
            ),
        )]);
        let root = paths::normalize(dir.path());
        let workspace = index_project_workspace(&root.join("Tool/Tool.csproj"));
        let project = workspace
            .project_by_path(&root.join("Tool/Tool.csproj"))
            .expect("the project");
        let generated =
            generate(&workspace, project, &default_dockerfile_path(project)).expect("generated");
        assert_eq!(generated.context_dir, root.join("Tool"));
        assert_eq!(
            generated.dockerfile,
            "# Generated by Dockside for Tool.csproj. Build from the project directory:\n\
             #   docker build .\n\
             FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\n\
             RUN apt-get update \\\n    && apt-get install -y --no-install-recommends clang zlib1g-dev \\\n    && rm -rf /var/lib/apt/lists/*\n\
             ARG TARGETARCH\n\
             WORKDIR /src\n\
             \n\
             # Restore first: this layer is rebuilt only when a file restore reads changes\n\
             COPY Tool.csproj ./\n\
             RUN dotnet restore Tool.csproj -a $TARGETARCH\n\
             \n\
             COPY . .\n\
             RUN dotnet publish Tool.csproj -c Release -a $TARGETARCH --no-restore -o /app/publish\n\
             \n\
             FROM mcr.microsoft.com/dotnet/runtime-deps:8.0-noble-chiseled AS final\n\
             WORKDIR /app\n\
             COPY --from=build /app/publish .\n\
             USER $APP_UID\n\
             ENTRYPOINT [\"./Tool\"]\n"
        );
    }

    #[test]
    fn without_a_solution_the_context_widens_to_the_referenced_projects() {
        let dir = solution(&[
            (
                "src/Api/Api.csproj",
                &csproj("Microsoft.NET.Sdk.Web", &["../Domain/Domain.csproj"]),
            ),
            (
                "src/Domain/Domain.csproj",
                &csproj("Microsoft.NET.Sdk", &[]),
            ),
        ]);
        let root = paths::normalize(dir.path());
        let api = root.join("src/Api/Api.csproj");
        let workspace = index_project_workspace(&api);
        let project = workspace.project_by_path(&api).expect("the project");
        let generated =
            generate(&workspace, project, &default_dockerfile_path(project)).expect("generated");
        assert_eq!(generated.context_dir, root.join("src"));
        assert!(
            generated.dockerfile.contains(
                "COPY Api/Api.csproj Api/\nCOPY Domain/Domain.csproj Domain/\nRUN dotnet restore Api/Api.csproj\n"
            ),
            "{}",
            generated.dockerfile
        );
    }

    #[test]
    fn libraries_and_old_frameworks_are_refused() {
        let dir = solution(&[
            ("Lib/Lib.csproj", &csproj("Microsoft.NET.Sdk", &[])),
            (
                "Old/Old.csproj",
                &project(
                    "Microsoft.NET.Sdk",
                    "    <OutputType>Exe</OutputType>\n    <TargetFramework>net48</TargetFramework>\n",
                    &[],
                ),
            ),
        ]);
        let root = paths::normalize(dir.path());
        let workspace = Workspace::index(&root, crate::dotnet::WorkspaceOptions::default());
        let error = |rel: &str| {
            let project = workspace
                .project_by_path(&root.join(rel))
                .expect("the project");
            generate(&workspace, project, &default_dockerfile_path(project))
                .expect_err("refused")
                .to_string()
        };
        assert_eq!(
            error("Lib/Lib.csproj"),
            "Lib.csproj is not an app (its OutputType is not Exe), so there is nothing for a container to run"
        );
        assert_eq!(
            error("Old/Old.csproj"),
            "Old.csproj has no .NET 5+ TargetFramework (net8.0, net10.0...), which the .NET container images need"
        );
    }

    #[test]
    fn offered_in_an_empty_dockerfile_next_to_the_project() {
        let dir = layered_solution();
        let root = paths::normalize(dir.path());
        std::fs::write(root.join("src/Api/Dockerfile"), "").expect("write");
        let env = solution_env(&root, "src/Api/Dockerfile");
        let actions = offered(&env, NAME, "\n", TextRange::empty(0));
        assert_eq!(actions.len(), 1);
        let action = &actions[0];
        assert_eq!(action.title, "Generate a Dockerfile for src/Api/Api.csproj");
        assert_eq!(action.kind, crate::actions::ActionKind::Source);
        let workspace = env.solution.as_ref().expect("solution").workspace.clone();
        let project = workspace
            .project_by_path(&root.join("src/Api/Api.csproj"))
            .expect("the project");
        let generated =
            generate(&workspace, project, &root.join("src/Api/Dockerfile")).expect("generated");
        assert_eq!(
            apply_edits("\n", &action.edits),
            format!("{}\n", generated.dockerfile)
        );
        assert_eq!(
            action.files,
            vec![FileChange::Create {
                path: root.join(".dockerignore"),
                contents: generated.dockerignore.clone(),
            }]
        );
        check_not_applicable_with(&env, NAME, "FROM scratch$0\n");
        let library = solution_env(&root, "src/Domain/Dockerfile");
        check_not_applicable_with(&library, NAME, "$0");
    }
}
