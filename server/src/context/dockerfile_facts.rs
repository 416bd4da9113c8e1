//! What the solution says about one Dockerfile: its build context, the `.dockerignore`
//! that applies, and what each local COPY/ADD source resolves to. Computed during
//! analysis from a [`SolutionSnapshot`] and the Dockerfile's model.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use super::{
    choose_build_context, dockerignore_for, resolve_source, BuildContextChoice,
    BuildContextRequest, ComposeFile, Dockerignore, DockerignoreSource, SourceResolution,
};
use crate::config::Config;
use crate::dotnet::Workspace;
use crate::model::Model;
use crate::syntax::{Args, Instruction, Keyword, SyntaxTree, Word};

/// The indexed solution that analyses share (cheap to clone).
#[derive(Clone, Debug)]
pub struct SolutionSnapshot {
    pub workspace: Arc<Workspace>,
    pub compose_files: Arc<Vec<ComposeFile>>,
    /// Parsed `.dockerignore` files by path and text: the Dockerfiles of a solution share
    /// them, with what each already answered (hundreds of Dockerfiles asking about the same
    /// thousands of project folders).
    dockerignores: Arc<Mutex<FxHashMap<(PathBuf, String), Dockerignore>>>,
}

/// At most this many parsed `.dockerignore` texts are kept.
const DOCKERIGNORE_CACHE_LIMIT: usize = 1_000;

impl SolutionSnapshot {
    pub fn new(workspace: Workspace) -> Self {
        let compose_files = super::load_compose_files(&workspace);
        SolutionSnapshot {
            workspace: Arc::new(workspace),
            compose_files: Arc::new(compose_files),
            dockerignores: Arc::default(),
        }
    }

    /// `text` (the file at `path`) parsed, from the cache when it was parsed before.
    fn parse_dockerignore(&self, path: &Path, text: &str) -> Dockerignore {
        let key = (path.to_path_buf(), text.to_string());
        if let Some(parsed) = self
            .dockerignores
            .lock()
            .ok()
            .and_then(|c| c.get(&key).cloned())
        {
            return parsed;
        }
        let parsed = Dockerignore::parse(text);
        if let Ok(mut cache) = self.dockerignores.lock() {
            if cache.len() >= DOCKERIGNORE_CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(key, parsed.clone());
        }
        parsed
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
                            w.text.clone()
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
        let build_context = choose_build_context(&BuildContextRequest {
            dockerfile,
            workspace: &solution.workspace,
            compose_files: &solution.compose_files,
            configured: &configured,
            configured_source: &configured_source,
            copy_sources: &all_sources,
        });
        let dockerignore = dockerignore_for(&build_context.dir, dockerfile).and_then(|source| {
            let text = crate::dotnet::files::read_text_from_disk(
                source.path(),
                crate::dotnet::files::DEFAULT_MAX_FILE_SIZE,
            )
            .ok()?;
            let ignore = solution.parse_dockerignore(source.path(), &text);
            Some(LoadedDockerignore {
                source,
                text,
                ignore,
            })
        });
        let copies = local
            .into_iter()
            .zip(expanded)
            .map(
                |((instruction, stage, _, destination), sources)| CopyFacts {
                    instruction,
                    stage,
                    sources: sources
                        .into_iter()
                        .map(|(word, text)| {
                            let resolution = resolve_source(
                                &build_context.dir,
                                &text,
                                dockerignore.as_ref().map(|d| &d.ignore),
                            );
                            (word, resolution)
                        })
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
