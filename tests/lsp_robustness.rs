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
