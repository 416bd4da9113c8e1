//! The build context of a Dockerfile: which directory Docker sends, what `.dockerignore`
//! leaves out of it, compose build settings, and what COPY/ADD sources resolve to.

pub mod dockerignore;

pub use dockerignore::{
    dockerignore_for, BuildOutputCoverage, Dockerignore, DockerignorePattern, DockerignoreSource,
    InvalidPattern, MatchedPattern,
};
pub mod compose;
pub mod confined;

pub use compose::{
    parse_compose, ComposeBuild, ComposeBuildArg, ComposeFile, ComposePort, ComposeService, Spanned,
};
pub mod sources;

pub use sources::{resolve_source, resolve_sources, SourceMatch, SourceOutcome, SourceResolution};
pub mod build_context;

pub use build_context::{
    choose_build_context, load_compose_files, BuildContextChoice, BuildContextRequest,
    ContextReason,
};

pub mod dockerfile_facts;
pub mod stage_fs;

pub use dockerfile_facts::{CopyFacts, DockerfileFacts, LoadedDockerignore, SolutionSnapshot};

#[cfg(test)]
mod fixture_tests;
