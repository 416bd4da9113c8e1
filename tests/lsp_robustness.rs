//! Bad input on the wire and in documents: malformed JSON, garbage bytes, wrong
//! Content-Length, input that ends mid-message, huge and long documents, NUL bytes and
//! random edit sequences. The server must answer, log, and never panic or hang.
//!
//! Defined behaviour on the wire:
//! - a body that is not JSON gets an error response with `"id": null` and ParseError;
//! - a JSON body that is not a JSON-RPC message gets InvalidRequest, with its id if any;
//! - bytes that are not a header are skipped up to the next `Content-Length` header;
//! - a Content-Length that is too large swallows the start of the next message, which is
//!   lost; the one after it is read normally;
//! - each of these is logged (stderr, and window/logMessage once initialized).

mod support;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{apply_edit, edit, frame, notification, range, Enc, LspClient};

const URI: &str = "file:///work/app/Dockerfile";
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;

fn raw_frame(body: &[u8], declared_length: usize) -> Vec<u8> {
    let mut bytes = format!("Content-Length: {declared_length}\r\n\r\n").into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// The server still answers requests correctly.
fn assert_alive(client: &mut LspClient) {
    client.open("file:///work/alive/Dockerfile", 1, "FROM alpine AS base\n");
    let symbols = client
        .document_symbols("file:///work/alive/Dockerfile")
        .expect("symbols");
    assert_eq!(symbols[0]["name"], "base");
    client.close("file:///work/alive/Dockerfile");
}

#[test]
fn a_body_that_is_not_json_gets_a_parse_error_and_the_server_goes_on() {
    let mut client = LspClient::initialized(false);
    client.send_raw(&raw_frame(
        b"{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\":",
        37,
    ));
    let error = client.response_without_id();
    assert_eq!(error["code"], PARSE_ERROR);
    assert!(error["message"]
        .as_str()
        .is_some_and(|m| m.contains("not valid JSON")));
    client.log_containing("unreadable message");
    // Invalid UTF-8 inside a well-framed body is no JSON either.
    client.send_raw(&raw_frame(b"{\"a\": \"\xff\xfe\"}", 11));
    assert_eq!(client.response_without_id()["code"], PARSE_ERROR);
    assert_alive(&mut client);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn json_that_is_not_a_message_gets_invalid_request_with_its_id() {
    let mut client = LspClient::initialized(false);
    client.send(&json!({"jsonrpc": "2.0", "id": 41, "params": {}}));
    let error = client.response(41).expect_err("an error");
    assert_eq!(error["code"], INVALID_REQUEST);
    client.send(&json!([1, 2, 3]));
    assert_eq!(client.response_without_id()["code"], INVALID_REQUEST);
    // A response to a request the server never sent is ignored.
    client.send(&json!({"jsonrpc": "2.0", "id": 99, "result": null}));
    assert_alive(&mut client);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn garbage_bytes_are_skipped_up_to_the_next_header() {
    let mut client = LspClient::start();
    // Before initialize: skipped and logged to stderr only.
    client.send_raw(b"\x00\x01\xff\xfe garbage\r\n\r\n\x1b[31mmore\n");
    client.initialize(support::vscode_capabilities(false));
    assert!(client.stderr().contains("skipped"), "{}", client.stderr());
    // After initialize: also logged to the client.
    let mut garbage: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    garbage.extend_from_slice(b"Content-Type: text/plain\r\n\r\n");
    client.send_raw(&garbage);
    assert_alive(&mut client);
    let log = client.log_containing("skipped");
    assert!(
        log.contains("bytes of input that are not an LSP message"),
        "{log}"
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn a_content_length_that_is_too_small_or_not_a_number_is_survived() {
    let mut client = LspClient::initialized(false);
    let body = json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}).to_string();
    client.send_raw(&raw_frame(body.as_bytes(), body.len() - 4));
    assert_eq!(client.response_without_id()["code"], PARSE_ERROR);
    client.send_raw(b"Content-Length: many\r\n\r\n");
    client.send_raw(b"Content-Length: -5\r\n\r\n");
    assert_alive(&mut client);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn a_content_length_that_is_too_large_loses_the_next_message_only() {
    let mut client = LspClient::initialized(false);
    let first = json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}).to_string();
    let (lost_id, lost) = client.new_request("shutdown", Value::Null);
    let (kept_id, kept) = client.new_request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": "file:///work/none"}}),
    );
    let mut bytes = raw_frame(first.as_bytes(), first.len() + 10);
    bytes.extend(frame(&lost));
    bytes.extend(frame(&kept));
    client.send_raw(&bytes);
    assert_eq!(client.response(kept_id), Ok(Value::Null));
    assert_eq!(client.response_without_id()["code"], PARSE_ERROR);
    let rest = client.drain(Duration::from_millis(200));
    assert!(
        rest.iter().all(|m| m["id"] != json!(lost_id)),
        "the swallowed request was answered: {rest:?}"
    );
    // The swallowed request was a shutdown: the server is still running.
    assert_alive(&mut client);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn input_that_ends_inside_a_message_ends_the_server_with_exit_code_1() {
    let mut client = LspClient::initialized(false);
    client.send_raw(b"Content-Length: 500\r\n\r\n{\"jsonrpc\": \"2.0\", \"method\": \"textDoc");
    client.close_stdin();
    assert_eq!(client.exit_status().code(), Some(1));
    assert!(client.stderr().contains("the input ended inside a message"));
}

#[test]
fn documents_with_nul_bytes_and_a_trailing_backslash_get_diagnostics() {
    let mut client = LspClient::initialized(false);
    client.open(URI, 1, "FROM alpine:3.20\nRUN echo a\u{0}b\n");
    let diagnostics = client.diagnostics(URI, 1);
    let codes: Vec<&str> = diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["NulByte"], "{diagnostics:?}");
    assert_eq!(diagnostics[0]["range"], range((1, 10), (1, 11)));
    client.change(
        URI,
        2,
        vec![json!({"text": "FROM alpine:3.20\nRUN echo \\"})],
    );
    client.diagnostics(URI, 2);
    let symbols = client.document_symbols(URI).expect("symbols");
    assert_eq!(symbols[0]["children"][1]["range"], range((1, 0), (1, 10)));
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn a_20_mb_document_with_1_mb_lines_is_opened_edited_and_outlined() {
    let mut client = LspClient::initialized(false);
    let long_word = "a".repeat(1024 * 1024);
    let mut text = String::from("FROM alpine:3.20 AS big\n");
    for i in 0..20 {
        text.push_str(&format!("RUN echo {i} {long_word}\n"));
    }
    assert!(text.len() > 20 * 1024 * 1024);
    let started = Instant::now();
    client.open(URI, 1, &text);
    let diagnostics = without_consecutive_runs(client.diagnostics(URI, 1));
    let opened = started.elapsed();
    // BuildKit rejects lines over 64 KiB; each 1 MB line is reported.
    assert_eq!(diagnostics.len(), 20, "{:?}", &diagnostics[..1]);
    assert!(diagnostics.iter().all(|d| d["code"] == "LineTooLong"));
    assert_eq!(diagnostics[19]["range"]["start"]["line"], 20);

    // An edit at the very end of a 1 MB line.
    let end_column = format!("RUN echo 19 {long_word}").len() as u32;
    client.change(URI, 2, vec![edit((20, end_column), (20, end_column), " z")]);
    let diagnostics = without_consecutive_runs(client.diagnostics(URI, 2));
    assert_eq!(diagnostics.len(), 20);
    let symbols = client.document_symbols(URI).expect("symbols");
    let children = symbols[0]["children"].as_array().expect("children");
    assert_eq!(children.len(), 21);
    assert_eq!(children[20]["range"], range((20, 0), (20, end_column + 2)));
    let detail = children[20]["detail"].as_str().expect("detail");
    assert_eq!(detail.chars().count(), 81, "details are cut short");
    assert!(detail.starts_with("echo 19 aaaa") && detail.ends_with('…'));
    eprintln!("20 MB didOpen to diagnostics (debug build): {opened:?}");
    assert_alive(&mut client);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn a_50000_line_document_is_opened_edited_and_outlined() {
    let mut client = LspClient::initialized(true);
    let mut text = String::from("FROM mcr.microsoft.com/dotnet/sdk:10.0.400 AS build\n");
    for i in 1..50_000 {
        text.push_str(&format!("RUN echo {i}\n"));
    }
    let started = Instant::now();
    client.open(URI, 1, &text);
    assert_eq!(
        without_consecutive_runs(client.diagnostics(URI, 1)),
        Vec::<Value>::new()
    );
    let opened = started.elapsed();
    // Edit the last line, and add an unterminated heredoc after it.
    client.change(
        URI,
        2,
        vec![
            edit((49_999, 9), (49_999, 14), "last"),
            edit((50_000, 0), (50_000, 0), "RUN <<EOF\n"),
        ],
    );
    let diagnostics = without_consecutive_runs(client.diagnostics(URI, 2));
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0]["range"], range((50_000, 4), (50_000, 9)));
    let started = Instant::now();
    let symbols = client.document_symbols(URI).expect("symbols");
    let outlined = started.elapsed();
    let children = symbols[0]["children"].as_array().expect("children");
    assert_eq!(children.len(), 50_001);
    assert_eq!(children[49_999]["detail"], "echo last");
    assert_eq!(children[49_999]["range"], range((49_999, 0), (49_999, 13)));
    eprintln!(
        "50,000 lines (debug build): didOpen to diagnostics {opened:?}, documentSymbol {outlined:?}"
    );
    assert!(client.shutdown_and_exit().success());
}

/// A small deterministic generator, so that a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }
    fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }
}

#[test]
fn random_edit_sequences_keep_the_server_text_in_step() {
    const PIECES: [&str; 16] = [
        "FROM alpine AS s",
        "RUN ",
        "echo ",
        "COPY --from=s ",
        "<<EOF",
        "EOF",
        "\n",
        "\r\n",
        "\r",
        "\\",
        "\"",
        "[\"a\", ",
        "🐳",
        "日本語",
        " ",
        "\u{0}",
    ];
    for (seed, utf8) in [(1u64, true), (2, false), (3, true), (4, false)] {
        let enc = if utf8 { Enc::Utf8 } else { Enc::Utf16 };
        let mut rng = Lcg(seed);
        let mut client = LspClient::initialized(utf8);
        let mut text = String::from("FROM alpine AS base\nRUN echo 日本語🐳\n");
        client.open(URI, 1, &text);
        let mut burst = Vec::new();
        for version in 2..=300 {
            let lines = text.lines().count() as u32 + 1;
            // Mostly valid positions, sometimes beyond the line or the document.
            let position = |rng: &mut Lcg| (rng.below(lines + 2), rng.below(30));
            let start = position(&mut rng);
            let end = if rng.below(3) == 0 {
                position(&mut rng)
            } else {
                (start.0, start.1 + rng.below(6))
            };
            let new_text: String = (0..rng.below(4))
                .map(|_| PIECES[rng.below(PIECES.len() as u32) as usize])
                .collect();
            apply_edit(&mut text, start, end, &new_text, enc);
            burst.push(support::did_change(
                URI,
                version,
                vec![edit(start, end, &new_text)],
            ));
        }
        client.send_burst(&burst);
        client.diagnostics(URI, 300);

        let actual = client.document_symbols(URI).expect("symbols");
        client.open("file:///work/check/Dockerfile", 1, &text);
        let reference = client
            .document_symbols("file:///work/check/Dockerfile")
            .expect("symbols");
        assert_eq!(actual, reference, "seed {seed}: text\n{text:?}");
        assert!(client.shutdown_and_exit().success());
    }
}

#[test]
fn invalid_notification_params_are_logged_and_ignored() {
    let mut client = LspClient::initialized(false);
    client.send(&notification(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI}}),
    ));
    client.log_containing("invalid params");
    client.send(&notification(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": "two"}, "contentChanges": []}),
    ));
    client.send(&notification(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "not a uri", "languageId": "dockerfile", "version": 1, "text": ""}}),
    ));
    assert_eq!(client.document_symbols(URI), Ok(Value::Null));
    assert_eq!(
        client
            .log_messages
            .iter()
            .filter(|(_, m)| m.contains("invalid params"))
            .count(),
        3
    );
    assert_alive(&mut client);
    assert!(client.shutdown_and_exit().success());
}

/// These documents are thousands of RUN lines in a row, which the hadolint-style
/// ConsecutiveRunInstructions (DL3059, info) reports on every line; the tests are about the
/// other diagnostics.
fn without_consecutive_runs(diagnostics: Vec<Value>) -> Vec<Value> {
    diagnostics
        .into_iter()
        .filter(|d| d["code"] != "ConsecutiveRunInstructions")
        .collect()
}

const REQUEST_CANCELLED: i64 = -32800;
const REQUEST_FAILED: i64 = -32803;

/// Every document request, with params on `uri` at `position` (and a range from there to
/// `end`).
fn document_requests(
    uri: &str,
    position: (u32, u32),
    end: (u32, u32),
) -> Vec<(&'static str, Value)> {
    let document = json!({"uri": uri});
    let at = json!({"line": position.0, "character": position.1});
    let span = range(position, end);
    vec![
        (
            "textDocument/hover",
            json!({"textDocument": document, "position": at}),
        ),
        (
            "textDocument/completion",
            json!({"textDocument": document, "position": at}),
        ),
        (
            "textDocument/signatureHelp",
            json!({"textDocument": document, "position": at}),
        ),
        (
            "textDocument/definition",
            json!({"textDocument": document, "position": at}),
        ),
        (
            "textDocument/references",
            json!({"textDocument": document, "position": at, "context": {"includeDeclaration": true}}),
        ),
        (
            "textDocument/documentHighlight",
            json!({"textDocument": document, "position": at}),
        ),
        (
            "textDocument/prepareRename",
            json!({"textDocument": document, "position": at}),
        ),
        (
            "textDocument/rename",
            json!({"textDocument": document, "position": at, "newName": "renamed"}),
        ),
        (
            "textDocument/documentSymbol",
            json!({"textDocument": document}),
        ),
        (
            "textDocument/semanticTokens/full",
            json!({"textDocument": document}),
        ),
        (
            "textDocument/semanticTokens/range",
            json!({"textDocument": document, "range": span}),
        ),
        (
            "textDocument/foldingRange",
            json!({"textDocument": document}),
        ),
        (
            "textDocument/selectionRange",
            json!({"textDocument": document, "positions": [at]}),
        ),
        (
            "textDocument/documentLink",
            json!({"textDocument": document}),
        ),
        (
            "textDocument/formatting",
            json!({"textDocument": document, "options": {"tabSize": 4, "insertSpaces": true}}),
        ),
        (
            "textDocument/rangeFormatting",
            json!({"textDocument": document, "range": span, "options": {"tabSize": 4, "insertSpaces": true}}),
        ),
        (
            "textDocument/onTypeFormatting",
            json!({"textDocument": document, "position": at, "ch": "\n", "options": {"tabSize": 4, "insertSpaces": true}}),
        ),
        ("textDocument/codeLens", json!({"textDocument": document})),
        (
            "textDocument/inlayHint",
            json!({"textDocument": document, "range": span}),
        ),
        (
            "textDocument/codeAction",
            json!({"textDocument": document, "range": span, "context": {"diagnostics": []}}),
        ),
    ]
}

#[test]
fn every_request_on_a_document_never_opened_gets_a_null_result() {
    let mut client = LspClient::initialized(false);
    let unopened = "file:///work/never/opened/Dockerfile";
    for (method, params) in document_requests(unopened, (0, 0), (0, 0)) {
        assert_eq!(client.request(method, params), Ok(Value::Null), "{method}");
    }
    assert_alive(&mut client);
    client.assert_no_panic();
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn every_request_at_positions_outside_the_document_is_answered_without_error() {
    let mut client = LspClient::initialized(false);
    let text = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nARG CONFIG=Release\nRUN dotnet publish -c $CONFIG\n";
    client.open(URI, 1, text);
    client.diagnostics(URI, 1);
    let max = u32::MAX;
    // Past the end of the document, past the end of a line, and a range that runs backwards.
    for (position, end) in [
        ((max, max), (max, max)),
        ((1, 9_999), (0, 0)),
        ((2, 5), (0, 3)),
    ] {
        for (method, params) in document_requests(URI, position, end) {
            match client.request(method, params) {
                Ok(_) => {}
                // Renaming where nothing can be renamed is refused with a reason to show.
                Err(error) if method.ends_with("ename") => {
                    assert_eq!(error["code"], REQUEST_FAILED, "{method} at {position:?}");
                    assert_eq!(
                        error["message"],
                        "only stage names, ARG/ENV variables and heredoc delimiters can be renamed"
                    );
                }
                Err(error) => panic!("{method} at {position:?}: {error}"),
            }
        }
    }
    assert_eq!(
        client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": max, "character": max}})
        ),
        Ok(Value::Null)
    );
    assert_alive(&mut client);
    client.assert_no_panic();
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn cancelling_every_request_kind_answers_each_request_exactly_once() {
    let mut client = LspClient::initialized(false);
    let text = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nARG CONFIG=Release\nRUN dotnet publish -c $CONFIG\n";
    client.open(URI, 1, text);
    client.diagnostics(URI, 1);
    let mut burst = Vec::new();
    let mut ids = Vec::new();
    let mut requests = document_requests(URI, (2, 25), (2, 30));
    requests.push(("workspace/symbol", json!({"query": "build"})));
    requests.push(("completionItem/resolve", json!({"label": "RUN"})));
    for (method, params) in requests {
        let (id, request) = client.new_request(method, params);
        burst.push(request);
        burst.push(notification("$/cancelRequest", json!({"id": id})));
        ids.push((id, method));
    }
    client.send_burst(&burst);
    for (id, method) in &ids {
        match client.response(*id) {
            Ok(_) => {}
            Err(error) => assert_eq!(error["code"], REQUEST_CANCELLED, "{method}: {error}"),
        }
    }
    let rest = client.drain(Duration::from_millis(300));
    let answered_again: Vec<&Value> = rest
        .iter()
        .filter(|m| m.get("method").is_none() && ids.iter().any(|(id, _)| m["id"] == json!(id)))
        .collect();
    assert!(
        answered_again.is_empty(),
        "answered twice: {answered_again:?}"
    );
    assert_alive(&mut client);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn a_message_written_one_byte_at_a_time_is_read() {
    let mut client = LspClient::initialized(false);
    client.open(URI, 1, "FROM alpine AS base\n");
    client.diagnostics(URI, 1);
    let (id, request) = client.new_request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    for byte in frame(&request) {
        client.send_raw(&[byte]);
    }
    let symbols = client.response(id).expect("symbols");
    assert_eq!(symbols[0]["name"], "base");
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn a_header_without_content_length_is_skipped_and_logged() {
    let mut client = LspClient::initialized(false);
    client.send_raw(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n");
    assert_alive(&mut client);
    let log = client.log_containing("skipped");
    assert!(
        log.contains("bytes of input that are not an LSP message"),
        "{log}"
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn a_lone_surrogate_escape_in_a_did_open_is_a_parse_error_and_the_server_goes_on() {
    let mut client = LspClient::initialized(false);
    let body = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{URI}","languageId":"dockerfile","version":1,"text":"FROM a\ud800\n"}}}}}}"#
    );
    client.send_raw(&raw_frame(body.as_bytes(), body.len()));
    assert_eq!(client.response_without_id()["code"], PARSE_ERROR);
    client.log_containing("unreadable message");
    assert!(client.published.iter().all(|p| p.uri != URI));
    assert_alive(&mut client);
    assert!(client.shutdown_and_exit().success());
}

/// Typing a Dockerfile one character per `didChange`, 10,000 changes sent in one burst: the
/// last diagnostics published are those of the final text, as a fresh open of that text
/// gets them, and the outline shows the final text.
#[test]
fn ten_thousand_changes_in_one_burst_end_with_the_diagnostics_of_the_final_text() {
    let mut client = LspClient::initialized(false);
    let line = "run echo typed && apt-get install curl\n";
    let mut typed = String::from("FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\n");
    while typed.len() < 10_000 {
        typed.push_str(line);
    }
    let typed: String = typed.chars().take(10_000).collect();
    client.open(URI, 1, "");
    client.diagnostics(URI, 1);
    let mut changes = Vec::with_capacity(typed.len());
    let (mut row, mut column) = (0u32, 0u32);
    for (index, character) in typed.chars().enumerate() {
        changes.push(support::did_change(
            URI,
            index as i64 + 2,
            vec![edit((row, column), (row, column), &character.to_string())],
        ));
        if character == '\n' {
            row += 1;
            column = 0;
        } else {
            column += 1;
        }
    }
    assert_eq!(changes.len(), 10_000);
    client.send_burst(&changes);
    let last = client.diagnostics(URI, 10_001);

    let fresh = "file:///work/fresh/Dockerfile";
    client.open(fresh, 1, &typed);
    let expected = client.diagnostics(fresh, 1);
    assert!(!expected.is_empty(), "the typed text has findings");
    assert_eq!(last, expected);
    let outline = client.document_symbols(URI).expect("an outline");
    assert_eq!(outline, client.document_symbols(fresh).expect("an outline"));
    assert!(client.shutdown_and_exit().success());
}
