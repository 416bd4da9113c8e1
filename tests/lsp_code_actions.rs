//! Code actions through the real `dockside lsp` binary, as VS Code asks for them: quick
//! fixes attached to their diagnostic, `context.only` filtering, and edits whose positions
//! are in the negotiated encoding (the text has non-ASCII characters before the edits).

mod support;

use serde_json::{json, Value};
use support::{apply_edit, find, range, Enc, LspClient};

const URI: &str = "file:///work/app/Dockerfile";

const DOCKERFILE: &str = concat!(
    "FROM alpine:3.20\n",
    "LABEL title=\"🐳 日本\"\n",
    "ENTRYPOINT dotnet 日本.dll --name \"🐳\"\n",
);

fn code_actions(
    client: &mut LspClient,
    at: ((u32, u32), (u32, u32)),
    only: Option<Value>,
) -> Vec<Value> {
    let mut context = json!({"diagnostics": [], "triggerKind": 1});
    if let Some(only) = only {
        context["only"] = only;
    }
    let result = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": range(at.0, at.1), "context": context}),
        )
        .expect("codeAction succeeds");
    result.as_array().cloned().unwrap_or_default()
}

/// Applies a `WorkspaceEdit.changes` entry for [`URI`] to `text`, last edit first.
fn apply(text: &str, edit: &Value, enc: Enc) -> String {
    let mut text = text.to_string();
    let mut edits = edit["changes"][URI]
        .as_array()
        .cloned()
        .expect("edits for the document");
    edits.sort_by_key(|e| {
        std::cmp::Reverse((
            e["range"]["start"]["line"].as_u64(),
            e["range"]["start"]["character"].as_u64(),
        ))
    });
    for e in edits {
        let pos = |p: &Value| {
            (
                p["line"].as_u64().unwrap() as u32,
                p["character"].as_u64().unwrap() as u32,
            )
        };
        apply_edit(
            &mut text,
            pos(&e["range"]["start"]),
            pos(&e["range"]["end"]),
            e["newText"].as_str().unwrap(),
            enc,
        );
    }
    text
}

#[test]
fn exec_form_quick_fix_in_both_encodings() {
    for enc in [Enc::Utf8, Enc::Utf16] {
        let mut client = LspClient::initialized(enc == Enc::Utf8);
        client.open(URI, 1, DOCKERFILE);
        let diagnostics = client.diagnostics(URI, 1);
        assert!(
            diagnostics
                .iter()
                .any(|d| d["code"] == "JSONArgsRecommended"),
            "{diagnostics:?}"
        );
        let cursor = find(DOCKERFILE, "日本.dll", enc);
        let actions = code_actions(&mut client, (cursor.0, cursor.0), None);
        let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
        assert_eq!(
            titles,
            [
                "Use the exec form: [\"dotnet\", \"日本.dll\", \"--name\", \"🐳\"]",
                "Suppress JSONArgsRecommended for this instruction",
                "Suppress JSONArgsRecommended in this file",
            ],
            "{enc:?}"
        );
        let fix = &actions[0];
        assert_eq!(fix["kind"], "quickfix");
        assert_eq!(fix["isPreferred"], true);
        assert_eq!(fix["diagnostics"][0]["code"], "JSONArgsRecommended");
        let command = find(DOCKERFILE, "dotnet 日本.dll --name \"🐳\"", enc);
        assert_eq!(
            fix["edit"]["changes"][URI][0]["range"],
            range(command.0, command.1),
            "{enc:?}"
        );
        assert_eq!(
            apply(DOCKERFILE, &fix["edit"], enc),
            "FROM alpine:3.20\nLABEL title=\"🐳 日本\"\nENTRYPOINT [\"dotnet\", \"日本.dll\", \"--name\", \"🐳\"]\n"
        );
        client.shutdown_and_exit();
    }
}

#[test]
fn only_filters_by_kind_and_clean_lines_offer_nothing() {
    let mut client = LspClient::initialized(true);
    client.open(URI, 1, DOCKERFILE);
    client.diagnostics(URI, 1);
    let cursor = find(DOCKERFILE, "日本.dll", Enc::Utf8);
    assert!(code_actions(&mut client, (cursor.0, cursor.0), Some(json!(["refactor"]))).is_empty());
    assert_eq!(
        code_actions(&mut client, (cursor.0, cursor.0), Some(json!(["quickfix"]))).len(),
        3
    );
    let label = find(DOCKERFILE, "title", Enc::Utf8);
    assert!(code_actions(&mut client, (label.0, label.0), None).is_empty());
    client.shutdown_and_exit();
}

#[test]
fn capabilities_advertise_code_actions_with_resolve() {
    let mut client = LspClient::start();
    let result = client.initialize(support::vscode_capabilities(true));
    let provider = &result["capabilities"]["codeActionProvider"];
    assert_eq!(provider["resolveProvider"], true);
    assert_eq!(
        provider["codeActionKinds"],
        json!([
            "quickfix",
            "refactor",
            "refactor.extract",
            "refactor.rewrite",
            "source"
        ])
    );
    client.shutdown_and_exit();
}
