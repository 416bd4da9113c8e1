//! The language server reports exactly what `dockside check --format json` reports on every
//! fixture solution (`fixtures/<name>/expected-diagnostics.json`, checked by
//! tests/fixtures_expected.rs): the same rules, messages, severities and ranges, with the
//! solution indexed in the background from the workspace folder as an editor opens it. Every
//! Dockerfile of a fixture is opened, so the files the CLI finds clean must be clean here too.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use support::{initialize_params, vscode_capabilities, LspClient};

/// The day the expected diagnostics hold for (as in tests/fixtures_expected.rs).
const FIXED_TODAY: &str = "2026-11-26";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the repository root")
}

/// A diagnostic as the CLI's JSON output has it, from either side.
type Row = (u64, u64, u64, u64, String, String, String);

fn cli_row(d: &Value) -> Row {
    let at = |p: &str| d.pointer(p).and_then(Value::as_u64).unwrap_or(u64::MAX);
    (
        at("/range/start/line"),
        at("/range/start/character"),
        at("/range/end/line"),
        at("/range/end/character"),
        d["severity"].as_str().unwrap_or_default().to_string(),
        d["code"].as_str().unwrap_or_default().to_string(),
        d["message"].as_str().unwrap_or_default().to_string(),
    )
}

fn lsp_row(d: &Value) -> Row {
    let at = |p: &str| d.pointer(p).and_then(Value::as_u64).unwrap_or(u64::MAX);
    let severity = match d["severity"].as_u64() {
        Some(1) => "error",
        Some(2) => "warning",
        Some(3) => "info",
        Some(4) => "hint",
        _ => "none",
    };
    (
        at("/range/start/line"),
        at("/range/start/character"),
        at("/range/end/line"),
        at("/range/end/character"),
        severity.to_string(),
        d["code"].as_str().unwrap_or_default().to_string(),
        d["message"].as_str().unwrap_or_default().to_string(),
    )
}

/// The Dockerfiles of a fixture, relative to the repository root, as the CLI finds them.
fn dockerfiles(root: &Path, fixture: &str) -> Vec<String> {
    let output = Command::new(env!("CARGO_BIN_EXE_dockside"))
        .args(["check", "--show-files"])
        .arg(format!("fixtures/{fixture}"))
        .current_dir(root)
        .output()
        .expect("run dockside");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn check_fixture(root: &Path, fixture: &str) -> Vec<String> {
    let dir = root.join("fixtures").join(fixture);
    let expected_json: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected-diagnostics.json")).expect("expected file"),
    )
    .expect("expected diagnostics are JSON");
    let mut expected: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for d in expected_json.as_array().into_iter().flatten() {
        let file = d["file"].as_str().unwrap_or_default().to_string();
        expected.entry(file).or_default().push(cli_row(d));
    }
    let files = dockerfiles(root, fixture);
    assert!(!files.is_empty(), "{fixture}: no Dockerfile found");

    let mut client = LspClient::start_with_env(&["lsp"], &[("DOCKSIDE_TODAY", FIXED_TODAY)]);
    let uri = format!("file://{}", dir.display());
    let mut params = initialize_params(vscode_capabilities(true));
    params["rootUri"] = json!(uri);
    params["workspaceFolders"] = json!([{"uri": uri, "name": fixture}]);
    client.request("initialize", params).expect("initialize");
    client.notify("initialized", json!({}));
    client.wait_for("the end of indexing", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });

    let mut problems = Vec::new();
    for file in &files {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).expect("read the Dockerfile");
        let file_uri = format!("file://{}", path.display());
        client.open(&file_uri, 1, &text);
        let mut actual: Vec<Row> = client
            .diagnostics(&file_uri, 1)
            .iter()
            .map(lsp_row)
            .collect();
        let mut wanted = expected.remove(file).unwrap_or_default();
        actual.sort();
        wanted.sort();
        if actual != wanted {
            problems.push(format!(
                "{file}:\n  LSP only: {:#?}\n  CLI only: {:#?}",
                actual
                    .iter()
                    .filter(|r| !wanted.contains(r))
                    .collect::<Vec<_>>(),
                wanted
                    .iter()
                    .filter(|r| !actual.contains(r))
                    .collect::<Vec<_>>(),
            ));
        }
    }
    for (file, rows) in expected {
        problems.push(format!(
            "{file}: expected {} diagnostics but the CLI did not list the file",
            rows.len()
        ));
    }
    client.shutdown_and_exit();
    problems
}

#[test]
fn the_language_server_reports_what_the_cli_reports_on_every_fixture() {
    let root = repo_root();
    let mut fixtures: Vec<String> = std::fs::read_dir(root.join("fixtures"))
        .expect("fixtures/")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("expected-diagnostics.json").is_file())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 8, "fixtures: {fixtures:?}");
    let problems: Vec<String> = fixtures
        .iter()
        .flat_map(|fixture| check_fixture(&root, fixture))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
