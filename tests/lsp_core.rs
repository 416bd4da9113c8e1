//! The protocol life cycle of `dockside lsp` over stdio: initialize, capabilities and
//! position encoding, requests in the wrong phase, unknown methods, cancellation,
//! shutdown and exit codes.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::{initialize_params, vscode_capabilities, LspClient};

const SERVER_NOT_INITIALIZED: i64 = -32002;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const REQUEST_CANCELLED: i64 = -32800;

fn error_code(response: Result<Value, Value>) -> i64 {
    response.expect_err("an error response")["code"]
        .as_i64()
        .expect("a numeric error code")
}

#[test]
fn initialize_offers_utf8_incremental_sync_and_symbols() {
    let mut client = LspClient::start();
    let result = client.initialize(vscode_capabilities(true));
    assert_eq!(
        result,
        json!({
            "capabilities": {
                "positionEncoding": "utf-8",
                "textDocumentSync": {
                    "openClose": true,
                    "change": 2,
                    "save": {"includeText": false},
                },
                "documentSymbolProvider": true,
                "completionProvider": {
                    "resolveProvider": true,
                    "triggerCharacters": [" ", "$", "{", "-", "=", ":", "/", ",", "#"],
                },
                "hoverProvider": true,
                "signatureHelpProvider": {"triggerCharacters": ["-", "[", ",", " ", "="]},
                "definitionProvider": true,
                "referencesProvider": true,
                "documentHighlightProvider": true,
                "renameProvider": {"prepareProvider": true},
                "semanticTokensProvider": {
                    "legend": {
                        "tokenTypes": ["keyword", "comment", "parameter", "property", "class", "variable", "string", "type", "macro", "operator", "number"],
                        "tokenModifiers": ["declaration", "deprecated", "defaultLibrary"],
                    },
                    "full": true,
                    "range": true,
                },
                "foldingRangeProvider": true,
                "selectionRangeProvider": true,
                "documentLinkProvider": {"resolveProvider": false},
                "documentFormattingProvider": true,
                "documentRangeFormattingProvider": true,
                "documentOnTypeFormattingProvider": {"firstTriggerCharacter": "\n", "moreTriggerCharacter": ["\\", "`"]},
                "codeLensProvider": {"resolveProvider": false},
                "workspaceSymbolProvider": true,
                "inlayHintProvider": true,
                "codeActionProvider": {
                    "codeActionKinds": ["quickfix", "refactor", "refactor.extract", "refactor.rewrite", "source"],
                    "resolveProvider": true,
                },
                "executeCommandProvider": {"commands": ["dockside.generateDockerfile", "dockside.applyEdit"]},
            },
            "serverInfo": {"name": "dockside", "version": env!("CARGO_PKG_VERSION")},
        })
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn utf16_is_used_unless_the_client_offers_utf8() {
    for capabilities in [
        vscode_capabilities(false),
        json!({"general": {"positionEncodings": ["utf-32", "utf-16"]}}),
        json!({}),
    ] {
        let mut client = LspClient::start();
        let result = client.initialize(capabilities.clone());
        assert_eq!(
            result["capabilities"]["positionEncoding"], "utf-16",
            "{capabilities}"
        );
        assert!(client.shutdown_and_exit().success());
    }
}

#[test]
fn the_stdio_flag_of_editor_clients_starts_the_server() {
    let mut client = LspClient::start_with_args(&["--stdio"]);
    let result = client.initialize(vscode_capabilities(false));
    assert_eq!(result["serverInfo"]["name"], "dockside");
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn requests_before_initialize_get_server_not_initialized() {
    let mut client = LspClient::start();
    let uri = "file:///w/Dockerfile";
    assert_eq!(
        error_code(client.document_symbols(uri)),
        SERVER_NOT_INITIALIZED
    );
    assert_eq!(
        error_code(client.request("shutdown", Value::Null)),
        SERVER_NOT_INITIALIZED
    );
    // Notifications before initialize are dropped: this document is never opened.
    client.open(uri, 1, "FROM alpine\n");
    client.initialize(vscode_capabilities(false));
    assert_eq!(client.document_symbols(uri), Ok(Value::Null));
    assert!(client.log_messages.is_empty(), "{:?}", client.log_messages);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn a_second_initialize_is_an_invalid_request() {
    let mut client = LspClient::initialized(true);
    let again = client.request("initialize", initialize_params(vscode_capabilities(false)));
    assert_eq!(error_code(again), INVALID_REQUEST);
    // The first negotiation still holds: columns are UTF-8 bytes.
    client.open("file:///w/Dockerfile", 1, "FROM alpine AS é\n");
    let symbols = client.document_symbols("file:///w/Dockerfile").unwrap();
    assert_eq!(
        symbols[0]["range"]["end"],
        json!({"line": 0, "character": 17})
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn unknown_requests_get_method_not_found_and_unknown_notifications_are_ignored() {
    let mut client = LspClient::initialized(false);
    assert_eq!(
        error_code(client.request("dockside/noSuchRequest", json!({}))),
        METHOD_NOT_FOUND
    );
    assert_eq!(
        error_code(client.request("$/noSuchRequest", json!({}))),
        METHOD_NOT_FOUND
    );
    client.notify("dockside/noSuchNotification", json!({"x": 1}));
    client.notify("$/setTrace", json!({"value": "verbose"}));
    // Still answering, and nothing was sent for the notifications (besides the server's
    // own requests after `initialized`: file watching and its settings).
    assert_eq!(client.document_symbols("file:///w/none"), Ok(Value::Null));
    let extra: Vec<Value> = client
        .drain(Duration::from_millis(200))
        .into_iter()
        .filter(|m| {
            !matches!(
                m["method"].as_str(),
                Some("client/registerCapability" | "workspace/configuration")
            )
        })
        .collect();
    assert!(extra.is_empty(), "{extra:?}");
    assert!(client.log_messages.is_empty(), "{:?}", client.log_messages);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn shutdown_without_params_then_exit_gives_exit_code_0() {
    // VS Code omits `params`; LSP4IJ and Eglot send `"params": null` (shutdown_and_exit).
    let mut client = LspClient::initialized(false);
    let (id, _) = client.new_request("shutdown", Value::Null);
    client.send(&json!({"jsonrpc": "2.0", "id": id, "method": "shutdown"}));
    assert_eq!(client.response(id), Ok(Value::Null));
    client.notify_without_params("exit");
    assert_eq!(client.exit_status().code(), Some(0));
}

#[test]
fn shutdown_with_null_params_then_exit_gives_exit_code_0_while_stdin_stays_open() {
    let client = LspClient::initialized(false);
    // shutdown_and_exit keeps stdin open: the server must exit on `exit` alone.
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn exit_without_shutdown_gives_exit_code_1() {
    let mut client = LspClient::initialized(false);
    client.notify_without_params("exit");
    assert_eq!(client.exit_status().code(), Some(1));
}

#[test]
fn exit_before_initialize_gives_exit_code_1() {
    let mut client = LspClient::start();
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_status().code(), Some(1));
}

#[test]
fn end_of_input_without_exit_gives_exit_code_1_or_0_after_shutdown() {
    let mut client = LspClient::initialized(false);
    client.close_stdin();
    assert_eq!(client.exit_status().code(), Some(1));
    assert!(client.stderr().contains("without `shutdown` and `exit`"));

    let mut client = LspClient::initialized(false);
    assert_eq!(client.request("shutdown", Value::Null), Ok(Value::Null));
    client.close_stdin();
    assert_eq!(client.exit_status().code(), Some(0));
}

#[test]
fn requests_after_shutdown_are_invalid_requests() {
    let mut client = LspClient::initialized(false);
    client.open("file:///w/Dockerfile", 1, "FROM alpine\n");
    assert_eq!(client.request("shutdown", Value::Null), Ok(Value::Null));
    assert_eq!(
        error_code(client.document_symbols("file:///w/Dockerfile")),
        INVALID_REQUEST
    );
    assert_eq!(
        error_code(client.request("shutdown", Value::Null)),
        INVALID_REQUEST
    );
    client.notify_without_params("exit");
    assert_eq!(client.exit_status().code(), Some(0));
}

#[test]
fn cancelling_a_queued_request_answers_it_with_request_cancelled() {
    let mut client = LspClient::initialized(false);
    // Outlining a large document keeps the server busy while the request and its
    // cancellation arrive, so both are queued before the request is handled.
    let big: String = (0..30_000)
        .map(|i| format!("RUN echo line {i} with some words to parse\n"))
        .collect();
    let big_uri = "file:///w/big/Dockerfile";
    let small = "file:///w/small/Dockerfile";
    client.open(small, 1, "FROM alpine\n");
    let (busy_id, busy) = client.new_request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": big_uri}}),
    );
    client.send_burst(&[
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": big_uri, "languageId": "dockerfile", "version": 1, "text": format!("FROM alpine\n{big}")}}}),
        busy,
    ]);
    let (id, request) = client.new_request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": small}}),
    );
    client.send_burst(&[
        request,
        json!({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": id}}),
    ]);
    let outline = client.response(busy_id).expect("the big outline");
    assert_eq!(
        outline[0]["children"].as_array().map(Vec::len),
        Some(30_001)
    );
    assert_eq!(error_code(client.response(id)), REQUEST_CANCELLED);

    // Cancelling an answered or unknown request is not an error and gets no answer.
    let answered = client.document_symbols(small).unwrap();
    assert_eq!(answered[0]["name"], "alpine");
    client.notify("$/cancelRequest", json!({"id": id}));
    client.notify("$/cancelRequest", json!({"id": "no-such-request"}));
    assert_eq!(client.document_symbols(small).unwrap(), answered);
    assert!(client.log_messages.is_empty(), "{:?}", client.log_messages);
    assert!(client.shutdown_and_exit().success());
}
