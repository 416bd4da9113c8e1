//! Test helpers for the .NET rules: run a rule (or inspect the rule context) for a Dockerfile
//! that belongs to a solution, either a fixture under `fixtures/` or files written to a
//! temporary directory.

use std::path::{Path, PathBuf};

use crate::analysis::AnalysisEnv;
use crate::context::{DockerfileFacts, SolutionSnapshot};
use crate::dotnet::{Workspace, WorkspaceOptions};
use crate::model::Model;
use crate::rules::test_support::{check_rule_with, test_env};
use crate::rules::RuleContext;

pub fn fixture_dir(name: &str) -> PathBuf {
    crate::dotnet::paths::normalize(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures")
            .join(name),
    )
}

fn solution_env(root: &Path, dockerfile: &Path) -> AnalysisEnv {
    AnalysisEnv {
        path: Some(dockerfile.to_path_buf()),
        solution: Some(SolutionSnapshot::new(Workspace::index(
            root,
            WorkspaceOptions::default(),
        ))),
        ..test_env()
    }
}

/// The diagnostics of `rule` for `fixtures/<fixture>/<dockerfile_rel>`, analysed with the
/// fixture's solution (`line:col-line:col message`).
pub fn check_rule_in_solution(rule: &str, fixture: &str, dockerfile_rel: &str) -> Vec<String> {
    let root = fixture_dir(fixture);
    let path = root.join(dockerfile_rel);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    check_rule_with(rule, &text, &solution_env(&root, &path))
}

/// Writes `files` (relative path, content) to a temporary solution directory and runs `rule`
/// on `dockerfile_rel` among them.
pub fn check_rule_in_files(
    rule: &str,
    files: &[(&str, &str)],
    dockerfile_rel: &str,
) -> Vec<String> {
    let dir = write_files(files);
    let root = crate::dotnet::paths::normalize(dir.path());
    let path = root.join(dockerfile_rel);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    check_rule_with(rule, &text, &solution_env(&root, &path))
}

fn write_files(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (rel, content) in files {
        let path = dir.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create directories");
        }
        std::fs::write(&path, content).expect("write file");
    }
    dir
}

fn with_env<R>(text: &str, env: &AnalysisEnv, f: impl FnOnce(&RuleContext) -> R) -> R {
    let tree = crate::syntax::parse(text);
    let model = Model::build(&tree);
    let facts = match (&env.solution, &env.path) {
        (Some(solution), Some(path)) => Some(DockerfileFacts::compute(
            solution,
            path,
            &tree,
            &model,
            &env.config,
        )),
        _ => None,
    };
    let ctx = RuleContext {
        text,
        tree: &tree,
        model: &model,
        env,
        facts: facts.as_ref(),
        hadolint_runs: Default::default(),
    };
    f(&ctx)
}

/// Calls `f` with the rule context of a fixture's Dockerfile.
pub fn with_solution<R>(
    fixture: &str,
    dockerfile_rel: &str,
    f: impl FnOnce(&RuleContext) -> R,
) -> R {
    let root = fixture_dir(fixture);
    let path = root.join(dockerfile_rel);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    with_env(&text, &solution_env(&root, &path), f)
}

/// Calls `f` with the rule context of `dockerfile_rel` among `files` in a temporary solution.
pub fn with_files<R>(
    files: &[(&str, &str)],
    dockerfile_rel: &str,
    f: impl FnOnce(&RuleContext) -> R,
) -> R {
    let dir = write_files(files);
    let root = crate::dotnet::paths::normalize(dir.path());
    let path = root.join(dockerfile_rel);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    with_env(&text, &solution_env(&root, &path), f)
}

/// Calls `f` with the rule context of a Dockerfile analysed without a solution.
pub fn with_text<R>(text: &str, f: impl FnOnce(&RuleContext) -> R) -> R {
    with_env(text, &test_env(), f)
}

/// The severities of `rule`'s diagnostics for a fixture's Dockerfile, in order.
pub fn severities_in_solution(
    rule: &str,
    fixture: &str,
    dockerfile_rel: &str,
) -> Vec<crate::analysis::Severity> {
    let root = fixture_dir(fixture);
    let path = root.join(dockerfile_rel);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    crate::analysis::analyze(&text, &solution_env(&root, &path))
        .diagnostics
        .iter()
        .filter(|d| d.code == rule)
        .map(|d| d.severity)
        .collect()
}
