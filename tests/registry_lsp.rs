//! Registry look-ups in the editor, end to end: the real `dockside lsp` binary with
//! `registry.enabled` on, against a real registry server (Debian's `docker-registry`) on
//! 127.0.0.1 holding images the test pushed over its HTTP API. Nothing is mocked.
//!
//! What an editor sees: diagnostics, hovers and inlay hints answer at once from what is
//! cached; the look-ups run in the background; when one finishes the server publishes new
//! diagnostics (ImageNotFoundInRegistry) and sends `workspace/inlayHint/refresh`, after which
//! hovers and inlay hints show the live size, its time and the digest.

mod registry_support;
mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use dockside::images::registry::format_utc;
use registry_support::{push_test_images, Registry};
use serde_json::{json, Value};
use support::{initialize_params, vscode_capabilities, LspClient};

const REFRESH: &str = "workspace/inlayHint/refresh";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The `as of` times an answer given between `from` and now may show.
fn times_since(from: u64) -> Vec<String> {
    let mut times: Vec<String> = (from..=now() + 1).map(format_utc).collect();
    times.dedup();
    times
}

/// `dockside lsp` with its own cache and Docker config directories, initialized like VS Code
/// (without `workspace/configuration`, so the settings are the initialization options).
fn start_server(cache: &Path, settings: Value) -> LspClient {
    let cache_dir = cache.to_string_lossy().into_owned();
    let docker_dir = cache.join("docker").to_string_lossy().into_owned();
    let mut client = LspClient::start_with_env(
        &["lsp"],
        &[
            ("DOCKSIDE_CACHE_DIR", cache_dir.as_str()),
            ("DOCKER_CONFIG", docker_dir.as_str()),
            ("DOCKSIDE_TODAY", "2026-11-26"),
        ],
    );
    let mut capabilities = vscode_capabilities(true);
    capabilities["workspace"]["configuration"] = json!(false);
    let mut params = initialize_params(capabilities);
    params["initializationOptions"] = json!({ "dockside": settings });
    client.request("initialize", params).expect("initialize");
    client.notify("initialized", json!({}));
    client
}

/// Waits for the server's `workspace/inlayHint/refresh` request and answers it.
fn answer_refresh(client: &mut LspClient) {
    let request = client.wait_for(REFRESH, |m| m["method"] == REFRESH);
    assert_eq!(request.get("params"), None, "{request}");
    client.send(&json!({"jsonrpc": "2.0", "id": request["id"], "result": null}));
}

fn hover(client: &mut LspClient, uri: &str, line: u32, character: u32) -> String {
    let result = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
        .expect("hover");
    assert_eq!(result["contents"]["kind"], "markdown", "{result}");
    result["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Inlay hints of the whole document as (line, character, label, tooltip).
fn inlay_hints(client: &mut LspClient, uri: &str) -> Vec<(u64, u64, String, String)> {
    let result = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 10, "character": 0}}}),
        )
        .expect("inlay hints");
    result
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|hint| {
            (
                hint["position"]["line"].as_u64().unwrap_or(99),
                hint["position"]["character"].as_u64().unwrap_or(99),
                hint["label"].as_str().unwrap_or_default().to_string(),
                hint["tooltip"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Completion at a position: (isIncomplete, [(label, detail)]).
fn complete(
    client: &mut LspClient,
    uri: &str,
    line: u32,
    character: u32,
) -> (bool, Vec<(String, String)>) {
    let result = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
        .expect("completion");
    let items = result["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|item| {
            (
                item["label"].as_str().unwrap_or_default().to_string(),
                item["detail"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (result["isIncomplete"] == json!(true), items)
}

fn registry_findings(diagnostics: &[Value]) -> Vec<(Value, Value, String)> {
    diagnostics
        .iter()
        .filter(|d| d["code"] == "ImageNotFoundInRegistry")
        .map(|d| {
            (
                d["range"].clone(),
                d["severity"].clone(),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.to_string_lossy())
}

#[test]
fn live_sizes_digests_missing_tags_and_tag_lists_arrive_in_the_background() {
    let registry = Registry::start();
    let pushed = push_test_images(&registry, "team/app");
    push_test_images(&registry, "team/tools");
    let host = registry.host();
    let work = tempfile::tempdir().expect("workspace");
    let cache = work.path().join("cache");
    let started_at = now();
    let mut client = start_server(
        &cache,
        json!({"registry": {"enabled": true, "insecure": [host]}}),
    );

    let uri = file_uri(&work.path().join("Dockerfile"));
    let text = format!("FROM {host}/team/app:1.0 AS base\nFROM {host}/team/app:9.9 AS missing\n");
    client.open(&uri, 1, &text);
    // The first diagnostics come from what is cached: nothing yet.
    let first = client.diagnostics(&uri, 1);
    assert_eq!(registry_findings(&first), []);

    // Two look-ups (1.0 and 9.9), two refreshes; then the new diagnostics.
    answer_refresh(&mut client);
    answer_refresh(&mut client);
    let published = client.wait_published("ImageNotFoundInRegistry", |p| {
        p.uri == uri && !registry_findings(&p.diagnostics).is_empty()
    });
    assert_eq!(published.version, Some(1));
    let findings = registry_findings(&published.diagnostics);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let tag_start = "FROM ".len() + host.len() + "/team/app:".len();
    assert_eq!(
        findings[0].0,
        json!({"start": {"line": 1, "character": tag_start}, "end": {"line": 1, "character": tag_start + 3}})
    );
    assert_eq!(findings[0].1, json!(2));
    let times = times_since(started_at);
    let expected_messages: Vec<String> = times
        .iter()
        .map(|time| format!("`{host}/team/app:9.9` does not exist: registry {host} has no tag `9.9` in team/app (tags: 1.0, 1.1, latest) (as of {time})"))
        .collect();
    assert!(
        expected_messages.contains(&findings[0].2),
        "{}",
        findings[0].2
    );

    // The hover of an image outside the catalog: live platforms, sizes and digest.
    let shown = hover(&mut client, &uri, 0, 8);
    let expected_hovers: Vec<String> = times
        .iter()
        .map(|time| {
            format!(
                "`{host}/team/app:1.0`\n\n**0.2 MB** compressed for `linux/amd64` (registry, as of {time})\n\nPlatforms: `linux/amd64` 0.2 MB · `linux/arm64/v8` 0.1 MB\n\nDigest: `{}`\n",
                pushed.index_digest
            )
        })
        .collect();
    assert!(expected_hovers.contains(&shown), "{shown}");
    // PinImageTag pins an image outside the catalog to the digest the registry gave.
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 1}, "end": {"line": 0, "character": 1}}, "context": {"diagnostics": []}}),
        )
        .expect("codeAction succeeds");
    let digest = &pushed.index_digest;
    let pin = actions
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Pin to 1.0@"))
        })
        .unwrap_or_else(|| panic!("no pin-to-digest action: {actions}"));
    assert_eq!(
        pin["title"],
        format!(
            "Pin to 1.0@{} (registry digest)",
            &digest[..digest.len().min("sha256:".len() + 12)]
        )
    );
    let image_end = "FROM ".len() + host.len() + "/team/app:1.0".len();
    assert_eq!(
        pin["edit"]["changes"][&uri],
        json!([{"range": {"start": {"line": 0, "character": image_end}, "end": {"line": 0, "character": image_end}}, "newText": format!("@{digest}")}])
    );

    let missing_hover = hover(&mut client, &uri, 1, 8);
    assert!(
        missing_hover.starts_with(&format!(
            "`{host}/team/app:9.9`\n\n**Not in the registry**: registry {host} has no tag `9.9` in team/app (tags: 1.0, 1.1, latest) (as of "
        )),
        "{missing_hover}"
    );

    // Inlay hints: the live size after the image that exists, none after the missing one.
    let hints = inlay_hints(&mut client, &uri);
    assert_eq!(hints.len(), 1, "{hints:?}");
    let image_end = ("FROM ".len() + host.len() + "/team/app:1.0".len()) as u64;
    assert_eq!(
        (hints[0].0, hints[0].1, hints[0].2.as_str()),
        (0, image_end, "≈ 0.2 MB")
    );
    let expected_tooltips: Vec<String> = times
        .iter()
        .map(|time| format!(
            "Compressed size of {host}/team/app:1.0 for linux/amd64 (what a pull downloads), from the registry as of {time}; digest {}",
            pushed.index_digest
        ))
        .collect();
    assert!(expected_tooltips.contains(&hints[0].3), "{}", hints[0].3);

    // Tag completion: the repository's tags, known from the answer about 1.0.
    let tags_uri = file_uri(&work.path().join("tags.Dockerfile"));
    let tags_text = format!("FROM {host}/team/app:\nFROM {host}/team/tools:\n");
    client.open(&tags_uri, 1, &tags_text);
    let app_end = ("FROM ".len() + host.len() + "/team/app:".len()) as u32;
    let detail = format!("tag in {host}");
    let registry_tags = vec![
        ("1.0".to_string(), detail.clone()),
        ("1.1".to_string(), detail.clone()),
        ("latest".to_string(), detail.clone()),
    ];
    assert_eq!(
        complete(&mut client, &tags_uri, 0, app_end),
        (false, registry_tags.clone())
    );
    // A repository never looked up: asked for now, the list marked incomplete; once the
    // answer is in, its tags.
    let tools_end = ("FROM ".len() + host.len() + "/team/tools:".len()) as u32;
    assert_eq!(
        complete(&mut client, &tags_uri, 1, tools_end),
        (true, Vec::new())
    );
    answer_refresh(&mut client);
    assert_eq!(
        complete(&mut client, &tags_uri, 1, tools_end),
        (false, registry_tags)
    );

    // Fresh answers are not asked again: no further refresh, whatever is requested.
    let requests_before = registry.request_lines().len();
    let _ = hover(&mut client, &uri, 0, 8);
    let _ = inlay_hints(&mut client, &uri);
    let late: Vec<Value> = client
        .drain(Duration::from_millis(500))
        .into_iter()
        .filter(|m| m["method"] == REFRESH)
        .collect();
    assert_eq!(late, Vec::<Value>::new());
    assert_eq!(registry.request_lines().len(), requests_before);
    client.assert_no_panic();
    client.shutdown_and_exit();

    // The answers were kept on disk for the next session.
    let cached = std::fs::read_dir(cache.join("registry"))
        .expect("cache directory")
        .count();
    assert_eq!(cached, 3, "1.0, 9.9 and tools:latest");
}

#[test]
fn with_the_registry_stopped_the_cache_serves_and_the_failure_is_logged() {
    let mut registry = Registry::start();
    let pushed = push_test_images(&registry, "team/app");
    let host = registry.host();
    let work = tempfile::tempdir().expect("workspace");
    let cache = work.path().join("cache");
    // A look-up made on the command line fills the same cache.
    for tag in ["1.0", "9.9"] {
        let status = Command::new(env!("CARGO_BIN_EXE_dockside"))
            .args([
                "images",
                "inspect",
                "--insecure",
                &format!("{host}/team/app:{tag}"),
            ])
            .env("DOCKSIDE_CACHE_DIR", &cache)
            .env("DOCKER_CONFIG", cache.join("docker"))
            .output()
            .expect("dockside images inspect")
            .status;
        assert_eq!(status.code(), Some(if tag == "1.0" { 0 } else { 1 }));
    }
    registry.stop();

    // Every answer is stale at once (time-to-live 0), so the server asks again and fails.
    let mut client = start_server(
        &cache,
        json!({"registry": {"enabled": true, "insecure": [host], "cacheTtl": 0}}),
    );
    let uri = file_uri(&work.path().join("Dockerfile"));
    let text = format!("FROM {host}/team/app:1.0 AS base\nFROM {host}/team/app:9.9 AS missing\n");
    client.open(&uri, 1, &text);
    // The very first diagnostics already know what the cache knows.
    let first = client.diagnostics(&uri, 1);
    let findings = registry_findings(&first);
    assert_eq!(findings.len(), 1, "{first:?}");
    assert!(findings[0]
        .2
        .starts_with(&format!("`{host}/team/app:9.9` does not exist: ")));
    let shown = hover(&mut client, &uri, 0, 8);
    assert!(
        shown.ends_with(&format!(
            "\n\nPlatforms: `linux/amd64` 0.2 MB · `linux/arm64/v8` 0.1 MB\n\nDigest: `{}`\n",
            pushed.index_digest
        )),
        "{shown}"
    );
    // The failure is one clear line in the server's log; no refresh, nothing lost.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let expected = format!("dockside: registry: cannot reach registry {host} for {host}/team/app:");
    while !client.stderr().contains(&expected) {
        assert!(
            std::time::Instant::now() < deadline,
            "no failure logged:\n{}",
            client.stderr()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let after: Vec<Value> = client
        .drain(Duration::from_millis(300))
        .into_iter()
        .filter(|m| m["method"] == REFRESH)
        .collect();
    assert_eq!(after, Vec::<Value>::new());
    assert_eq!(hover(&mut client, &uri, 0, 8), shown);
    let hints = inlay_hints(&mut client, &uri);
    assert_eq!(
        hints.iter().map(|h| h.2.as_str()).collect::<Vec<_>>(),
        ["≈ 0.2 MB"]
    );
    // Editing goes on as usual.
    client.change(
        &uri,
        2,
        vec![support::edit((2, 0), (2, 0), "RUN echo ok\n")],
    );
    let second = client.diagnostics(&uri, 2);
    assert_eq!(registry_findings(&second).len(), 1);
    client.assert_no_panic();
    client.shutdown_and_exit();
}
