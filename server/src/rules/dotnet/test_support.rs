//! Helpers for .NET rule tests: run one rule over a Dockerfile of a solution on disk (a
//! fixture under `fixtures/` or a solution written to a temporary directory), with the
//! solution indexed as the CLI and the language server do.

use std::path::{Path, PathBuf};

use crate::analysis::{analyze, AnalysisEnv};
use crate::context::SolutionSnapshot;
use crate::dotnet::{paths, Workspace, WorkspaceOptions};
use crate::rules::test_support::{check_rule_with, test_env, TEST_TODAY};

/// `fixtures/<name>` of the repository.
pub fn fixture_dir(name: &str) -> PathBuf {
    paths::normalize(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures")
            .join(name),
    )
}

/// The diagnostics of rule `rule` on the Dockerfile `dockerfile_rel` of the fixture
/// `fixture` (a folder name under `fixtures/`), as `line:col-line:col message`.
pub fn check_rule_in_solution(rule: &str, fixture: &str, dockerfile_rel: &str) -> Vec<String> {
    check_rule_in_dir(rule, &fixture_dir(fixture), dockerfile_rel)
}

/// The same for a solution rooted at `root` (e.g. a temporary directory).
pub fn check_rule_in_dir(rule: &str, root: &Path, dockerfile_rel: &str) -> Vec<String> {
    let root = paths::normalize(root);
    let path = root.join(dockerfile_rel);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    check_text_in_dir(rule, &root, dockerfile_rel, &text)
}

/// Runs `rule` on `text` as if it were the Dockerfile `dockerfile_rel` of the solution at
/// `root` (the file on disk, if any, is not read).
pub fn check_text_in_dir(rule: &str, root: &Path, dockerfile_rel: &str, text: &str) -> Vec<String> {
    let root = paths::normalize(root);
    let workspace = Workspace::index(&root, WorkspaceOptions::default());
    let mut env: AnalysisEnv = test_env();
    env.path = Some(root.join(dockerfile_rel));
    env.today = TEST_TODAY.to_string();
    env.solution = Some(SolutionSnapshot::new(workspace));
    check_rule_with(rule, text, &env)
}

/// Writes `files` (relative path, contents) under a new temporary directory.
pub fn solution(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (relative, contents) in files {
        let path = dir.path().join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create directories");
        }
        std::fs::write(&path, contents).expect("write file");
    }
    dir
}

/// A minimal SDK-style project file referencing `references` (relative include paths).
pub fn csproj(sdk: &str, references: &[&str]) -> String {
    let items: String = references
        .iter()
        .map(|r| format!("    <ProjectReference Include=\"{r}\" />\n"))
        .collect();
    format!(
        "<Project Sdk=\"{sdk}\">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n  <ItemGroup>\n{items}  </ItemGroup>\n</Project>\n"
    )
}

/// The severity of each diagnostic of `rule`, in order, for rules with two levels.
pub fn severities_in_dir(rule: &str, root: &Path, dockerfile_rel: &str) -> Vec<&'static str> {
    let root = paths::normalize(root);
    let workspace = Workspace::index(&root, WorkspaceOptions::default());
    let path = root.join(dockerfile_rel);
    let text = std::fs::read_to_string(&path).expect("Dockerfile");
    let mut env = test_env();
    env.path = Some(path);
    env.solution = Some(SolutionSnapshot::new(workspace));
    analyze(&text, &env)
        .diagnostics
        .iter()
        .filter(|d| d.code == rule)
        .map(|d| d.severity.as_str())
        .collect()
}

/// Writes `files` to a temporary solution directory and runs `rule` on `dockerfile_rel`
/// among them.
pub fn check_rule_in_files(
    rule: &str,
    files: &[(&str, &str)],
    dockerfile_rel: &str,
) -> Vec<String> {
    let dir = solution(files);
    check_rule_in_dir(rule, dir.path(), dockerfile_rel)
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
    analyze(&text, &solution_env(&root, &path))
        .diagnostics
        .iter()
        .filter(|d| d.code == rule)
        .map(|d| d.severity)
        .collect()
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

/// Calls `f` with the rule context of `text` analysed in `env` (facts computed as analysis
/// does), for tests of the helpers rules share.
fn with_env<R>(
    text: &str,
    env: &AnalysisEnv,
    f: impl FnOnce(&crate::rules::RuleContext) -> R,
) -> R {
    let tree = crate::syntax::parse(text);
    let model = crate::model::Model::build(&tree);
    let facts = match (&env.solution, &env.path) {
        (Some(solution), Some(path)) => Some(crate::context::DockerfileFacts::compute(
            solution,
            path,
            &tree,
            &model,
            &env.config,
        )),
        _ => None,
    };
    let ctx = crate::rules::RuleContext::new(text, &tree, &model, env, facts.as_ref());
    f(&ctx)
}

/// Calls `f` with the rule context of a fixture's Dockerfile.
pub fn with_solution<R>(
    fixture: &str,
    dockerfile_rel: &str,
    f: impl FnOnce(&crate::rules::RuleContext) -> R,
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
    f: impl FnOnce(&crate::rules::RuleContext) -> R,
) -> R {
    let dir = solution(files);
    let root = paths::normalize(dir.path());
    let path = root.join(dockerfile_rel);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    with_env(&text, &solution_env(&root, &path), f)
}

/// Calls `f` with the rule context of a Dockerfile analysed without a solution.
pub fn with_text<R>(text: &str, f: impl FnOnce(&crate::rules::RuleContext) -> R) -> R {
    with_env(text, &test_env(), f)
}
