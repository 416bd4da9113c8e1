//! The image code actions through the real `dockside lsp` binary: PinImageTag and then
//! AddNonRootUser applied as quick fixes of their diagnostics, in both position encodings
//! (a comment with non-ASCII characters precedes the edits).

mod support;

use serde_json::{json, Value};
use support::{apply_edit, find, range, Enc, LspClient};

const URI: &str = "file:///work/orders/Dockerfile";

const DOCKERFILE: &str = concat!(
    "FROM mcr.microsoft.com/dotnet/sdk:10.0.400 AS build\n",
    "WORKDIR /src\n",
    "COPY . .\n",
    "RUN dotnet publish Orders.csproj -c Release -o /app/publish\n",
    "\n",
    "# Bestellungen 🐳 日本\n",
    "FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS final\n",
    "RUN apt-get update \\\n",
    "    && apt-get install -y --no-install-recommends curl \\\n",
    "    && rm -rf /var/lib/apt/lists/*\n",
    "WORKDIR /app\n",
    "COPY --from=build /app/publish .\n",
    "ENTRYPOINT [\"dotnet\", \"Orders.dll\"]\n",
);

const PINNED: &str = concat!(
    "FROM mcr.microsoft.com/dotnet/sdk:10.0.400 AS build\n",
    "WORKDIR /src\n",
    "COPY . .\n",
    "RUN dotnet publish Orders.csproj -c Release -o /app/publish\n",
    "\n",
    "# Bestellungen 🐳 日本\n",
    "FROM mcr.microsoft.com/dotnet/aspnet:10.0.11-noble AS final\n",
    "RUN apt-get update \\\n",
    "    && apt-get install -y --no-install-recommends curl \\\n",
    "    && rm -rf /var/lib/apt/lists/*\n",
    "WORKDIR /app\n",
    "COPY --from=build /app/publish .\n",
    "ENTRYPOINT [\"dotnet\", \"Orders.dll\"]\n",
);

const NON_ROOT: &str = concat!(
    "FROM mcr.microsoft.com/dotnet/sdk:10.0.400 AS build\n",
    "WORKDIR /src\n",
    "COPY . .\n",
    "RUN dotnet publish Orders.csproj -c Release -o /app/publish\n",
    "\n",
    "# Bestellungen 🐳 日本\n",
    "FROM mcr.microsoft.com/dotnet/aspnet:10.0.11-noble AS final\n",
    "RUN apt-get update \\\n",
    "    && apt-get install -y --no-install-recommends curl \\\n",
    "    && rm -rf /var/lib/apt/lists/*\n",
    "WORKDIR /app\n",
    "COPY --from=build /app/publish .\n",
    "USER $APP_UID\n",
    "ENTRYPOINT [\"dotnet\", \"Orders.dll\"]\n",
);

fn code_actions(client: &mut LspClient, at: ((u32, u32), (u32, u32))) -> Vec<Value> {
    let result = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": URI},
                "range": range(at.0, at.1),
                "context": {"diagnostics": [], "triggerKind": 1}
            }),
        )
        .expect("codeAction succeeds");
    result.as_array().cloned().unwrap_or_default()
}

fn titled<'a>(actions: &'a [Value], title: &str) -> &'a Value {
    actions
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| {
            let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
            panic!("no action titled {title:?}; offered: {titles:?}")
        })
}

/// Applies the `WorkspaceEdit.changes` of [`URI`] to `text`, last edit first.
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
    let position = |p: &Value| -> (u32, u32) {
        let number = |v: &Value| v.as_u64().and_then(|n| u32::try_from(n).ok());
        (
            number(&p["line"]).expect("line"),
            number(&p["character"]).expect("character"),
        )
    };
    for e in edits {
        apply_edit(
            &mut text,
            position(&e["range"]["start"]),
            position(&e["range"]["end"]),
            e["newText"].as_str().expect("newText"),
            enc,
        );
    }
    text
}

#[test]
fn pin_the_tag_then_drop_root_in_both_encodings() {
    for enc in [Enc::Utf8, Enc::Utf16] {
        let mut client = LspClient::initialized(enc == Enc::Utf8);
        client.open(URI, 1, DOCKERFILE);
        let codes: Vec<Value> = client
            .diagnostics(URI, 1)
            .iter()
            .map(|d| d["code"].clone())
            .collect();
        assert!(codes.contains(&json!("ImageTagNotPinned")), "{codes:?}");
        assert!(codes.contains(&json!("RunsAsRoot")), "{codes:?}");

        let tag = find(DOCKERFILE, "10.0-noble", enc);
        let actions = code_actions(&mut client, (tag.0, tag.0));
        let pin = titled(&actions, "Pin to 10.0.11-noble (catalog 2026-08)");
        assert_eq!(pin["kind"], "quickfix", "{enc:?}");
        assert_eq!(pin["isPreferred"], true);
        assert_eq!(pin["diagnostics"][0]["code"], "ImageTagNotPinned");
        assert_eq!(
            pin["edit"]["changes"][URI][0]["range"],
            range(tag.0, tag.1),
            "{enc:?}"
        );
        let pinned = apply(DOCKERFILE, &pin["edit"], enc);
        assert_eq!(pinned, PINNED, "{enc:?}");

        client.change(URI, 2, vec![json!({ "text": pinned })]);
        let codes: Vec<Value> = client
            .diagnostics(URI, 2)
            .iter()
            .map(|d| d["code"].clone())
            .collect();
        assert!(!codes.contains(&json!("ImageTagNotPinned")), "{codes:?}");

        let from = find(PINNED, "aspnet", enc);
        let actions = code_actions(&mut client, (from.0, from.0));
        let user = titled(&actions, "Run as the non-root app user (USER $APP_UID)");
        assert_eq!(user["kind"], "quickfix");
        assert_eq!(user["diagnostics"][0]["code"], "RunsAsRoot");
        let entrypoint = find(PINNED, "ENTRYPOINT", enc);
        assert_eq!(
            user["edit"]["changes"][URI],
            json!([{ "range": range(entrypoint.0, entrypoint.0), "newText": "USER $APP_UID\n" }]),
            "{enc:?}"
        );
        let non_root = apply(PINNED, &user["edit"], enc);
        assert_eq!(non_root, NON_ROOT, "{enc:?}");

        client.change(URI, 3, vec![json!({ "text": non_root })]);
        let codes: Vec<Value> = client
            .diagnostics(URI, 3)
            .iter()
            .map(|d| d["code"].clone())
            .collect();
        assert!(!codes.contains(&json!("RunsAsRoot")), "{codes:?}");
        let from = find(NON_ROOT, "aspnet", enc);
        let actions = code_actions(&mut client, (from.0, from.0));
        assert!(
            actions
                .iter()
                .all(|a| a["title"] != "Run as the non-root app user (USER $APP_UID)"),
            "{actions:?}"
        );
        client.shutdown_and_exit();
    }
}
