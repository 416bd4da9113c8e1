//! Dockside: a language server and CI linter for the Dockerfiles of .NET solutions.
//!
//! Layers, from the bottom up (see docs/architecture.md):
//! `syntax` (lossless, error-tolerant Dockerfile parser) -> `model` (stages, variables,
//! `dotnet` command lines) -> `dotnet` / `context` / `images` (the solution, the build
//! context, the image catalog) -> `rules` and `actions` -> `ide` (editor features as plain
//! functions) -> `lsp` and `cli` (thin protocol and command-line layers).

pub mod actions;
pub mod analysis;
pub mod bench_support;
pub mod cli;
pub mod config;
pub mod context;
pub mod dotnet;
#[doc(hidden)]
pub mod fuzzing;
pub mod ide;
pub mod images;
pub mod lsp;
pub mod model;
pub mod rules;
pub mod syntax;
pub mod text;
