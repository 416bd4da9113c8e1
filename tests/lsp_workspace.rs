//! The solution behind the Dockerfiles through the real binary: background indexing with
//! `$/progress`, settings from initializationOptions / didChangeConfiguration /
//! workspace/configuration, dockside.toml problems as diagnostics on that file, and
//! re-analysis when watched files change.

mod support;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use support::{initialize_params, vscode_capabilities, LspClient};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(name)
        .canonicalize()
        .expect("fixture exists")
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn indexes_the_workspace_folder_in_the_background_with_progress() {
    let root = fixture("vs-template");
    let mut client = LspClient::start();
    let mut params = initialize_params(vscode_capabilities(false));
    params["rootUri"] = json!(file_uri(&root));
    params["workspaceFolders"] = json!([{"uri": file_uri(&root), "name": "vs-template"}]);
    params["capabilities"]["window"] = json!({"workDoneProgress": true});
    client
        .request("initialize", params)
        .expect("initialize succeeds");
    client.notify("initialized", json!({}));
    let create = client.wait_for("a progress token request", |m| {
        m["method"] == "window/workDoneProgress/create"
    });
    assert_eq!(create["params"]["token"], "dockside/indexing");
    let begin = client.wait_for("progress begin", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "begin"
    });
    assert_eq!(
        begin["params"]["value"]["title"],
        "Dockside: indexing the solution"
    );
    let end = client.wait_for("progress end", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    let message = end["params"]["value"]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.starts_with(&format!("indexed {}: 2 projects in ", root.display())),
        "{message}"
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn settings_from_initialization_options_and_did_change_configuration() {
    let mut client = LspClient::start();
    let mut params = initialize_params(vscode_capabilities(false));
    params["initializationOptions"] =
        json!({"dockside": {"rules": {"ignore": ["UnterminatedHeredoc"]}}});
    client
        .request("initialize", params)
        .expect("initialize succeeds");
    client.notify("initialized", json!({}));
    let uri = "file:///nonexistent/Dockerfile";
    client.open(uri, 1, "FROM alpine\nRUN <<EOF\necho\n");
    assert!(!codes(&client.diagnostics(uri, 1)).contains(&"UnterminatedHeredoc".to_string()));

    // New settings pushed with the notification apply to open documents at once.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dockside": {"rules": {"ignore": []}}}}),
    );
    let published = client.wait_published("diagnostics after the settings changed", |p| {
        p.uri == uri
            && p.diagnostics
                .iter()
                .any(|d| d["code"] == "UnterminatedHeredoc")
    });
    assert_eq!(published.version, Some(1));
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn settings_pulled_with_workspace_configuration() {
    let mut client = LspClient::initialized(false);
    let request = client.wait_for("workspace/configuration", |m| {
        m["method"] == "workspace/configuration"
    });
    assert_eq!(request["params"]["items"][0]["section"], "dockside");
    let uri = "file:///nonexistent/Dockerfile";
    client.open(uri, 1, "FROM alpine\nRUN <<EOF\necho\n");
    assert!(codes(&client.diagnostics(uri, 1)).contains(&"UnterminatedHeredoc".to_string()));
    client.send(&json!({
        "jsonrpc": "2.0",
        "id": request["id"],
        "result": [{"rules": {"ignore": ["UnterminatedHeredoc"]}}],
    }));
    client.wait_published("diagnostics without the ignored rule", |p| {
        p.uri == uri
            && !p
                .diagnostics
                .iter()
                .any(|d| d["code"] == "UnterminatedHeredoc")
    });
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn an_invalid_dockside_toml_is_reported_on_that_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::write(
        root.join("dockside.toml"),
        "[rules]\nignore = [\"NoSuchRule\"]\n",
    )
    .expect("write config");
    std::fs::write(root.join("Dockerfile"), "FROM alpine\n").expect("write Dockerfile");
    let mut client = LspClient::initialized(false);
    client.open(&file_uri(&root.join("Dockerfile")), 1, "FROM alpine\n");
    let toml_uri = file_uri(&root.join("dockside.toml"));
    let published = client.wait_published("diagnostics on dockside.toml", |p| p.uri == toml_uri);
    assert_eq!(
        published.diagnostics[0]["message"],
        "rules.ignore: unknown rule `NoSuchRule`."
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn watched_file_changes_reanalyse_open_dockerfiles() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::write(root.join("Dockerfile"), "FROM alpine\nRUN <<EOF\necho\n").expect("write");
    let mut client = LspClient::initialized(false);
    let uri = file_uri(&root.join("Dockerfile"));
    client.open(&uri, 1, "FROM alpine\nRUN <<EOF\necho\n");
    assert!(codes(&client.diagnostics(&uri, 1)).contains(&"UnterminatedHeredoc".to_string()));
    std::fs::write(
        root.join("dockside.toml"),
        "[rules]\nignore = [\"UnterminatedHeredoc\"]\n",
    )
    .expect("write config");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&root.join("dockside.toml")), "type": 1}]}),
    );
    client.wait_published("diagnostics after dockside.toml appeared", |p| {
        p.uri == uri
            && !p
                .diagnostics
                .iter()
                .any(|d| d["code"] == "UnterminatedHeredoc")
    });
    assert!(client.shutdown_and_exit().success());
}
