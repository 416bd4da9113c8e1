//! Which directory is the build context of a Dockerfile, and why.
//!
//! In order: a compose service that builds this Dockerfile (`build.context` +
//! `build.dockerfile`); the `DockerfileContext` property of the project next to the
//! Dockerfile (Visual Studio container tools); a configured mapping (dockside.toml or editor
//! settings); else the heuristic: among the Dockerfile's directory and its ancestors up to
//! the workspace root, the one where the most COPY sources exist, preferring a solution
//! directory, then the nearest.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use super::compose::ComposeFile;
use super::confined::FsMemo;
use super::sources::{resolve_source, SourceOutcome};
use crate::dotnet::{paths, Workspace};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContextReason {
    /// A compose service builds this Dockerfile.
    Compose {
        compose_file: PathBuf,
        service: String,
    },
    /// `DockerfileContext` of the project whose Dockerfile this is.
    DockerfileContext { project: PathBuf, value: String },
    /// A mapping from the configuration; `source` names where it came from.
    Configured { source: String },
    /// The heuristic: `found` of `considered` COPY sources exist in the chosen directory.
    CopySources {
        found: usize,
        considered: usize,
        is_solution_dir: bool,
    },
    /// No evidence at all: the Dockerfile's own directory (`docker build .` next to it).
    DockerfileDirectory,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildContextChoice {
    pub dir: PathBuf,
    pub reason: ContextReason,
}

impl BuildContextChoice {
    /// One sentence for hovers and code lenses.
    pub fn explanation(&self) -> String {
        let dir = self.dir.display();
        match &self.reason {
            ContextReason::Compose { compose_file, service } => format!(
                "Build context {dir}: service `{service}` in {} builds this Dockerfile with this build.context.",
                compose_file.display()
            ),
            ContextReason::DockerfileContext { project, value } => format!(
                "Build context {dir}: <DockerfileContext>{value}</DockerfileContext> in {}.",
                project.display()
            ),
            ContextReason::Configured { source } => format!("Build context {dir}: configured in {source}."),
            ContextReason::CopySources { found, considered, is_solution_dir } => format!(
                "Build context {dir} (guessed): {found} of {considered} COPY sources exist there{}; set it in dockside.toml, compose or DockerfileContext to be sure.",
                if *is_solution_dir { ", and it is the solution directory" } else { "" }
            ),
            ContextReason::DockerfileDirectory => format!(
                "Build context {dir} (assumed): nothing names a context and no COPY source exists in any parent directory, so the Dockerfile's directory is used, as `docker build .` next to it would."
            ),
        }
    }
}

/// Everything the choice depends on.
pub struct BuildContextRequest<'a> {
    /// Absolute path of the Dockerfile.
    pub dockerfile: &'a Path,
    pub workspace: &'a Workspace,
    pub compose_files: &'a [ComposeFile],
    /// Configured Dockerfile -> context mappings (absolute paths), and where they come from.
    pub configured: &'a [(PathBuf, PathBuf)],
    pub configured_source: &'a str,
    /// The COPY/ADD sources of the Dockerfile (local sources, variables already substituted
    /// where possible; `--from` copies excluded).
    pub copy_sources: &'a [&'a str],
    /// What the disk said so far in this analysis (the chosen context's sources are resolved
    /// again after the choice).
    pub fs: &'a FsMemo,
}

pub fn choose_build_context(request: &BuildContextRequest) -> BuildContextChoice {
    let dockerfile = paths::normalize(request.dockerfile);
    let dockerfile_dir = dockerfile
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();

    for compose in request.compose_files {
        for service in &compose.services {
            let Some(build) = &service.build else {
                continue;
            };
            if build.dockerfile_path(compose.dir()).as_deref() == Some(dockerfile.as_path()) {
                if let Some(dir) = build.context_dir(compose.dir()) {
                    return BuildContextChoice {
                        dir,
                        reason: ContextReason::Compose {
                            compose_file: compose.path.clone(),
                            service: service.name.value.clone(),
                        },
                    };
                }
            }
        }
    }

    for project in request.workspace.projects() {
        let Some(value) = &project.dockerfile_context else {
            continue;
        };
        let declared = project
            .property("DockerfileFile")
            .filter(|p| !p.value.trim().is_empty())
            .map(|p| paths::resolve(project.dir(), &p.value));
        let owns = match declared {
            Some(path) => path == dockerfile,
            None => project.dir() == dockerfile_dir,
        };
        if owns {
            return BuildContextChoice {
                dir: paths::resolve(project.dir(), value),
                reason: ContextReason::DockerfileContext {
                    project: project.path.clone(),
                    value: value.clone(),
                },
            };
        }
    }

    if let Some((_, context)) = request
        .configured
        .iter()
        .find(|(file, _)| paths::normalize(file) == dockerfile)
    {
        return BuildContextChoice {
            dir: paths::normalize(context),
            reason: ContextReason::Configured {
                source: request.configured_source.to_string(),
            },
        };
    }

    heuristic(request, &dockerfile_dir)
}

fn heuristic(request: &BuildContextRequest, dockerfile_dir: &Path) -> BuildContextChoice {
    let root = request.workspace.root();
    let candidates: Vec<&Path> = if dockerfile_dir.starts_with(root) {
        dockerfile_dir
            .ancestors()
            .take_while(|d| d.starts_with(root))
            .collect()
    } else {
        vec![dockerfile_dir]
    };
    let considered: Vec<&str> = request
        .copy_sources
        .iter()
        .copied()
        .filter(|s| {
            let trimmed = s.trim().trim_start_matches("./");
            !trimmed.is_empty()
                && trimmed != "."
                && !trimmed.contains('$')
                && !trimmed.contains("://")
        })
        .collect();
    let solution_dirs: Vec<&Path> = request.workspace.solutions().map(|s| s.dir()).collect();
    let mut best: Option<(usize, bool, &Path)> = None;
    for candidate in candidates {
        // A large Dockerfile copies the same files many times: each is looked up once.
        let mut exists: FxHashMap<&str, bool> = FxHashMap::default();
        let found = considered
            .iter()
            .filter(|source| {
                *exists.entry(source).or_insert_with(|| {
                    matches!(
                        resolve_source(candidate, source, None, request.fs).outcome,
                        SourceOutcome::Found(_)
                    )
                })
            })
            .count();
        let is_solution_dir = solution_dirs.contains(&candidate);
        // Candidates go from nearest to farthest, so only a strictly better one replaces.
        let better = match best {
            None => true,
            Some((best_found, best_is_solution, _)) => {
                found > best_found || (found == best_found && is_solution_dir && !best_is_solution)
            }
        };
        if better {
            best = Some((found, is_solution_dir, candidate));
        }
    }
    match best {
        Some((found, is_solution_dir, dir)) if found > 0 => BuildContextChoice {
            dir: dir.to_path_buf(),
            reason: ContextReason::CopySources {
                found,
                considered: considered.len(),
                is_solution_dir,
            },
        },
        _ => BuildContextChoice {
            dir: dockerfile_dir.to_path_buf(),
            reason: ContextReason::DockerfileDirectory,
        },
    }
}

/// Reads and parses every compose file the workspace found (unreadable ones are skipped; the
/// workspace walk reports them).
pub fn load_compose_files(workspace: &Workspace) -> Vec<ComposeFile> {
    workspace
        .files()
        .of_kind(crate::dotnet::FileKind::Compose)
        .filter_map(|path| {
            let text = crate::dotnet::files::read_text_from_disk(
                path,
                crate::dotnet::files::DEFAULT_MAX_FILE_SIZE,
            )
            .ok()?;
            Some(super::compose::parse_compose(path, &text))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::compose::parse_compose;
    use crate::dotnet::WorkspaceOptions;

    fn write(root: &Path, relative: &str, text: &str) {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn solution() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "Shop.sln", "");
        write(
            root,
            "src/Api/Api.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk.Web\"></Project>",
        );
        write(root, "src/Api/Dockerfile", "");
        write(
            root,
            "src/Domain/Domain.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>",
        );
        dir
    }

    fn choose(
        root: &Path,
        compose: &[ComposeFile],
        configured: &[(PathBuf, PathBuf)],
        sources: &[&str],
    ) -> BuildContextChoice {
        let workspace = Workspace::index(root, WorkspaceOptions::default());
        choose_build_context(&BuildContextRequest {
            dockerfile: &root.join("src/Api/Dockerfile"),
            workspace: &workspace,
            compose_files: compose,
            configured,
            configured_source: "dockside.toml",
            copy_sources: sources,
            fs: &FsMemo::default(),
        })
    }

    #[test]
    fn heuristic_prefers_where_sources_exist_then_solution_dir() {
        let dir = solution();
        let root = dir.path();
        let choice = choose(
            root,
            &[],
            &[],
            &[
                "src/Api/Api.csproj",
                "src/Domain/Domain.csproj",
                "src/Shared/Shared.csproj",
            ],
        );
        assert_eq!(choice.dir, root);
        assert_eq!(
            choice.reason,
            ContextReason::CopySources {
                found: 2,
                considered: 3,
                is_solution_dir: true
            }
        );
        assert!(choice
            .explanation()
            .contains("2 of 3 COPY sources exist there, and it is the solution directory"));

        // Sources relative to the project folder: the Dockerfile's directory wins.
        let choice = choose(root, &[], &[], &["Api.csproj", "."]);
        assert_eq!(choice.dir, root.join("src/Api"));
        assert_eq!(
            choice.reason,
            ContextReason::CopySources {
                found: 1,
                considered: 1,
                is_solution_dir: false
            }
        );

        // Found everywhere: the solution directory is preferred over the nearer one.
        write(root, "src/Api/shared.txt", "");
        write(root, "shared.txt", "");
        let choice = choose(root, &[], &[], &["shared.txt"]);
        assert_eq!(choice.dir, root);

        let choice = choose(root, &[], &[], &["nowhere.txt"]);
        assert_eq!(
            (choice.dir, choice.reason),
            (root.join("src/Api"), ContextReason::DockerfileDirectory)
        );
    }

    #[test]
    fn compose_then_dockerfile_context_then_configuration() {
        let dir = solution();
        let root = dir.path();
        let compose_text = "services:\n  api:\n    build:\n      context: .\n      dockerfile: src/Api/Dockerfile\n";
        let compose = parse_compose(&root.join("compose.yaml"), compose_text);
        let configured = vec![(root.join("src/Api/Dockerfile"), root.join("src"))];
        let choice = choose(root, std::slice::from_ref(&compose), &configured, &[]);
        assert_eq!(choice.dir, root);
        assert_eq!(
            choice.reason,
            ContextReason::Compose {
                compose_file: root.join("compose.yaml"),
                service: "api".into()
            }
        );

        write(root, "src/Api/Api.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><DockerfileContext>..\\..</DockerfileContext></PropertyGroup></Project>");
        let choice = choose(root, &[], &configured, &[]);
        assert_eq!(choice.dir, root);
        assert_eq!(
            choice.reason,
            ContextReason::DockerfileContext {
                project: root.join("src/Api/Api.csproj"),
                value: "..\\..".into()
            }
        );
        assert!(choice
            .explanation()
            .contains("<DockerfileContext>..\\..</DockerfileContext>"));

        write(
            root,
            "src/Api/Api.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk.Web\"></Project>",
        );
        let choice = choose(root, &[], &configured, &["src/Api/Api.csproj"]);
        assert_eq!(choice.dir, root.join("src"));
        assert_eq!(
            choice.reason,
            ContextReason::Configured {
                source: "dockside.toml".into()
            }
        );
    }
}
