//! Navigation between Dockerfiles and the solution through the real binary, on the fixture
//! solutions: hover, definition and links on COPY sources that are project files, the build
//! context's code lens and hover, COPY path completion from the build context, compose
//! `build.target` in stage references and rename, and workspace symbols over every
//! Dockerfile of the workspace. Each test waits for the end of indexing (`$/progress`).

mod support;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use support::{initialize_params, range, range_of, vscode_capabilities, Enc, LspClient};

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

/// A server with `root` as its workspace folder, after indexing finished.
fn start_in(root: &Path, utf8: bool) -> LspClient {
    let mut client = LspClient::start();
    let mut params = initialize_params(vscode_capabilities(utf8));
    params["rootUri"] = json!(file_uri(root));
    params["workspaceFolders"] = json!([{"uri": file_uri(root), "name": "fixture"}]);
    params["capabilities"]["window"] = json!({"workDoneProgress": true});
    client
        .request("initialize", params)
        .expect("initialize succeeds");
    client.notify("initialized", json!({}));
    client.wait_for("the end of indexing", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    client
}

fn position(text: &str, needle: &str, enc: Enc) -> Value {
    let (start, _) = support::find(text, needle, enc);
    json!({"line": start.0, "character": start.1 + 1})
}

fn at(uri: &str, position: Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position})
}

/// The VS template's Dockerfile with a source before the project file that has a 4-byte,
/// 2-UTF-16-unit character, and a `COPY ` being typed on the last line.
fn vs_template_text(root: &Path) -> String {
    let disk = std::fs::read_to_string(root.join("src/Api/Dockerfile")).expect("Dockerfile");
    let edited = disk.replace(
        "COPY [\"src/Api/Api.csproj\", \"src/Api/\"]",
        "COPY [\"🐳.txt\", \"src/Api/Api.csproj\", \"src/Api/\"]",
    );
    assert_ne!(edited, disk);
    format!("{edited}COPY ")
}

#[test]
fn project_file_hover_definition_links_and_build_context() {
    let root = fixture("vs-template");
    let mut client = start_in(&root, false);
    let dockerfile = root.join("src/Api/Dockerfile");
    let uri = file_uri(&dockerfile);
    let text = vs_template_text(&root);
    client.open(&uri, 1, &text);
    let project = "src/Api/Api.csproj";

    let hover = client
        .request(
            "textDocument/hover",
            at(&uri, position(&text, project, Enc::Utf16)),
        )
        .expect("hover");
    assert_eq!(
        hover,
        json!({
            "contents": {"kind": "markdown", "value": "**C# project `src/Api/Api.csproj`**\n\
                \n- Sdk: `Microsoft.NET.Sdk.Web`\
                \n- TargetFramework: `net8.0`\
                \n- AssemblyName: `Api`\
                \n- OutputType: `Exe` (SDK default)\
                \n- ProjectReferences (1): `Domain`\
                \n- PackageReferences: 1\
                \n- DockerfileContext: `..\\..`"},
            "range": range_of(&text, project, Enc::Utf16),
        })
    );

    let definition = client
        .request(
            "textDocument/definition",
            at(&uri, position(&text, project, Enc::Utf16)),
        )
        .expect("definition");
    assert_eq!(
        definition,
        json!([{"uri": file_uri(&root.join(project)), "range": range((0, 0), (0, 0))}])
    );

    let links = client
        .request(
            "textDocument/documentLink",
            json!({"textDocument": {"uri": uri}}),
        )
        .expect("links");
    let file_links: Vec<&Value> = links
        .as_array()
        .expect("an array")
        .iter()
        .filter(|l| l["target"].as_str().is_some_and(|t| t.starts_with("file:")))
        .collect();
    assert_eq!(
        file_links,
        [&json!({
            "range": range_of(&text, project, Enc::Utf16),
            "target": file_uri(&root.join(project)),
            "tooltip": "Open src/Api/Api.csproj",
        })]
    );

    let lenses = client
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .expect("code lenses");
    assert_eq!(
        lenses[0],
        json!({
            "range": range_of(&text, "FROM", Enc::Utf16),
            "command": {"title": "Build context: . (DockerfileContext in src/Api/Api.csproj)", "command": ""},
        })
    );
    // The publish lens names the target framework of the project it traces to.
    let (verb, _) = support::find(&text, "publish \"./Api.csproj\"", Enc::Utf16);
    let publish: Vec<&Value> = lenses
        .as_array()
        .expect("an array")
        .iter()
        .filter(|l| {
            l["command"]["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("publishes"))
        })
        .collect();
    assert_eq!(
        publish,
        [&json!({
            "range": range(verb, (verb.0, verb.1 + "publish".len() as u32)),
            "command": {"title": "publishes ./Api.csproj · net8.0 · $BUILD_CONFIGURATION", "command": ""},
        })]
    );

    let hover = client
        .request(
            "textDocument/hover",
            at(&uri, json!({"line": 0, "character": 3})),
        )
        .expect("hover on the first line");
    let first_line = text.lines().next().expect("a first line");
    assert_eq!(
        hover,
        json!({
            "contents": {"kind": "markdown", "value": format!(
                "**Build context: `.`**\n\nBuild context {}: <DockerfileContext>..\\..</DockerfileContext> in {}.\n\n`.dockerignore` decides what Docker leaves out of it.",
                root.display(),
                root.join(project).display(),
            )},
            "range": range_of(&text, first_line, Enc::Utf16),
        })
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn copy_paths_complete_from_the_build_context() {
    let root = fixture("vs-template");
    let mut client = start_in(&root, false);
    let uri = file_uri(&root.join("src/Api/Dockerfile"));
    let text = vs_template_text(&root);
    client.open(&uri, 1, &text);
    let end = support::position_of(&text, text.len(), Enc::Utf16);
    let completion = client
        .request(
            "textDocument/completion",
            at(&uri, json!({"line": end.0, "character": end.1})),
        )
        .expect("completion");
    let items: Vec<(String, Option<String>, bool)> = completion["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["label"].as_str().unwrap_or_default().to_string(),
                i["detail"].as_str().map(str::to_string),
                i["tags"] == json!([1]),
            )
        })
        .collect();
    let item = |label: &str, detail: Option<&str>, excluded: bool| {
        (label.to_string(), detail.map(str::to_string), excluded)
    };
    assert_eq!(
        items,
        [
            item("VsTemplate.sln", Some("restore input"), false),
            item("src/", None, false),
            item("expected-diagnostics.json", None, false),
            item(
                ".dockerignore",
                Some("excluded by .dockerignore line 2: **/.dockerignore"),
                true
            ),
            item(
                "README.md",
                Some("excluded by .dockerignore line 25: README.md"),
                true
            ),
        ]
    );
    // Inside a folder, the replaced range starts after its `/`.
    let typed = format!("{text}src/Api/");
    client.change(
        &uri,
        2,
        vec![json!({"range": range(end, end), "text": "src/Api/"})],
    );
    let end = support::position_of(&typed, typed.len(), Enc::Utf16);
    let completion = client
        .request(
            "textDocument/completion",
            at(&uri, json!({"line": end.0, "character": end.1})),
        )
        .expect("completion in a folder");
    let labels: Vec<&str> = completion["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "Api.csproj",
            "Properties/",
            "Program.cs",
            "appsettings.json",
            "Dockerfile"
        ]
    );
    assert_eq!(completion["items"][0]["textEdit"]["range"], range(end, end));
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn compose_build_targets_are_references_and_rename_with_the_stage() {
    let root = fixture("compose-app");
    let mut client = start_in(&root, true);
    let uri = file_uri(&root.join("src/Api/Dockerfile"));
    let disk = std::fs::read_to_string(root.join("src/Api/Dockerfile")).expect("Dockerfile");
    let text = disk.replace(
        "FROM base AS final",
        "LABEL description=\"Bestellübersicht\"\nFROM base AS final",
    );
    client.open(&uri, 1, &text);
    let compose_uri = file_uri(&root.join("compose.yaml"));
    let stage = position(&text, "final", Enc::Utf8);
    let references = client
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri}, "position": stage, "context": {"includeDeclaration": true}}),
        )
        .expect("references");
    assert_eq!(
        references,
        json!([
            {"uri": uri, "range": range_of(&text, "final", Enc::Utf8)},
            {"uri": compose_uri, "range": range((5, 14), (5, 19))},
        ])
    );
    let rename = client
        .request(
            "textDocument/rename",
            json!({"textDocument": {"uri": uri}, "position": stage, "newName": "release"}),
        )
        .expect("rename");
    assert_eq!(
        rename,
        json!({"changes": {
            uri.clone(): [{"range": range_of(&text, "final", Enc::Utf8), "newText": "release"}],
            compose_uri: [{"range": range((5, 14), (5, 19)), "newText": "release"}],
        }})
    );
    // A stage no compose file names stays in its Dockerfile.
    let (copy_from, _) = support::find(&text, "build /app/publish", Enc::Utf8);
    let references = client
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri}, "position": position(&text, "build /app/publish", Enc::Utf8), "context": {"includeDeclaration": false}}),
        )
        .expect("references of build");
    assert_eq!(
        references,
        json!([{"uri": uri, "range": range(copy_from, (copy_from.0, copy_from.1 + 5))}])
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn workspace_symbols_cover_every_dockerfile_of_the_workspace() {
    let root = fixture("microservices");
    let mut client = start_in(&root, false);
    let billing = root.join("src/Services/Billing/Billing.Api/Dockerfile");
    let orders = root.join("src/Services/Orders/Orders.Api/Dockerfile");
    // The open document's text wins over the file on disk.
    let disk = std::fs::read_to_string(&orders).expect("Dockerfile");
    let text = format!(
        "# Bestellungen · ü\n{}",
        disk.replace("AS build", "AS compile")
    );
    client.open(&file_uri(&orders), 1, &text);
    let symbols = client
        .request("workspace/symbol", json!({"query": ""}))
        .expect("workspace symbols");
    let got: Vec<(String, String, String)> = symbols
        .as_array()
        .expect("an array")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap_or_default().to_string(),
                s["location"]["uri"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                s["containerName"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let (billing_uri, orders_uri) = (file_uri(&billing), file_uri(&orders));
    assert_eq!(
        got,
        [
            (
                "build".to_string(),
                billing_uri.clone(),
                "Dockerfile · FROM mcr.microsoft.com/dotnet/sdk:9.0".to_string()
            ),
            (
                "final".to_string(),
                billing_uri,
                "Dockerfile · FROM mcr.microsoft.com/dotnet/aspnet:9.0".to_string()
            ),
            (
                "compile".to_string(),
                orders_uri.clone(),
                "Dockerfile · FROM mcr.microsoft.com/dotnet/sdk:9.0".to_string()
            ),
            (
                "final".to_string(),
                orders_uri,
                "Dockerfile · FROM mcr.microsoft.com/dotnet/aspnet:9.0".to_string()
            ),
        ]
    );
    assert_eq!(
        symbols[2]["location"]["range"],
        range_of(&text, "compile", Enc::Utf16)
    );
    let filtered = client
        .request("workspace/symbol", json!({"query": "fin"}))
        .expect("filtered symbols");
    assert_eq!(filtered.as_array().map(Vec::len), Some(2));
    assert!(client.shutdown_and_exit().success());
}
