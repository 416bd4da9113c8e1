//! SplitRestoreStage end to end through the real binary: the workspace folder is indexed,
//! the quick fix comes without its edit, `codeAction/resolve` computes it, and after the
//! edit is applied the restore rules are silent on fixtures/restore-chain (a three-level
//! ProjectReference chain with Directory.Build.props and Directory.Packages.props).

mod support;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use support::{apply_edit, find, initialize_params, range, vscode_capabilities, Enc, LspClient};

const RESTORE_RULES: &[&str] = &[
    "RestoreMissingProject",
    "RestoreMissingMsbuildInput",
    "RestoreCacheBusted",
];

const EXPECTED: &str = "FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Api/Api.csproj src/Api/
COPY src/Core/Core.csproj src/Core/
COPY src/Domain/Domain.csproj src/Domain/
RUN dotnet restore src/Api/Api.csproj
COPY . .
RUN dotnet publish src/Api/Api.csproj -c Release -o /app/publish --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
WORKDIR /app
COPY --from=build /app/publish .
USER $APP_UID
EXPOSE 8080
ENTRYPOINT [\"dotnet\", \"Api.dll\"]
";

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

fn apply(text: &str, uri: &str, edit: &Value) -> String {
    let mut text = text.to_string();
    let mut edits = edit["changes"][uri]
        .as_array()
        .cloned()
        .expect("edits for the Dockerfile");
    edits.sort_by_key(|e| {
        std::cmp::Reverse((
            e["range"]["start"]["line"].as_u64(),
            e["range"]["start"]["character"].as_u64(),
        ))
    });
    let pos = |p: &Value| {
        (
            p["line"].as_u64().unwrap_or_default() as u32,
            p["character"].as_u64().unwrap_or_default() as u32,
        )
    };
    for e in edits {
        apply_edit(
            &mut text,
            pos(&e["range"]["start"]),
            pos(&e["range"]["end"]),
            e["newText"].as_str().unwrap_or_default(),
            Enc::Utf16,
        );
    }
    text
}

#[test]
fn split_restore_stage_fixes_the_restore_rules_on_a_three_level_chain() {
    let root = fixture("restore-chain");
    let dockerfile = root.join("Dockerfile");
    let text = std::fs::read_to_string(&dockerfile).expect("fixture Dockerfile");
    let uri = file_uri(&dockerfile);

    let mut client = LspClient::start();
    let mut params = initialize_params(vscode_capabilities(false));
    params["rootUri"] = json!(file_uri(&root));
    params["workspaceFolders"] = json!([{"uri": file_uri(&root), "name": "restore-chain"}]);
    client
        .request("initialize", params)
        .expect("initialize succeeds");
    client.notify("initialized", json!({}));
    client.open(&uri, 1, &text);
    // The restore rules need the indexed solution: wait for the analysis that has it.
    let before = client.wait_published("diagnostics with the solution indexed", |p| {
        p.uri == uri
            && p.diagnostics
                .iter()
                .any(|d| d["code"] == "RestoreCacheBusted")
    });
    assert!(codes(&before.diagnostics).contains(&"RestoreCacheBusted".to_string()));

    let copy = find(&text, "COPY . .", Enc::Utf16);
    let diagnostic = before
        .diagnostics
        .iter()
        .find(|d| d["code"] == "RestoreCacheBusted")
        .cloned()
        .expect("the diagnostic");
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": range(copy.0, copy.0),
                "context": {"diagnostics": [diagnostic], "triggerKind": 1},
            }),
        )
        .expect("codeAction succeeds");
    let fix = actions
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|a| a["title"] == "Add a restore layer for Api inside stage `build`")
        })
        .cloned()
        .unwrap_or_else(|| panic!("no SplitRestoreStage quick fix in {actions:#}"));
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert!(
        fix.get("edit").is_none(),
        "the edit comes on resolve: {fix:#}"
    );
    let stages = actions
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|a| a["title"] == "Split Api into stages restore, build, publish, final")
                .count()
        })
        .unwrap_or_default();
    assert_eq!(stages, 1);

    let resolved = client
        .request("codeAction/resolve", fix)
        .expect("resolve succeeds");
    let after = apply(&text, &uri, &resolved["edit"]);
    assert_eq!(after, EXPECTED);

    client.change(&uri, 2, vec![json!({"text": after})]);
    let diagnostics = client.diagnostics(&uri, 2);
    let remaining: Vec<String> = codes(&diagnostics)
        .into_iter()
        .filter(|c| RESTORE_RULES.contains(&c.as_str()))
        .collect();
    assert_eq!(remaining, Vec::<String>::new(), "{diagnostics:#?}");
    assert!(client.shutdown_and_exit().success());
}
