//! Text synchronisation and diagnostics: incremental edits in both position encodings,
//! next to non-ASCII text, bursts of changes, broken edits, and the diagnostics published
//! for each version.
//!
//! The server's text is checked through what it reports about it: a document's symbols
//! (names, details with the arguments, exact ranges) must equal those of a fresh document
//! opened with the text the test expects, and some ranges are also checked by hand.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::{apply_edit, edit, find, position_of, range, range_of, Enc, LspClient};

const URI: &str = "file:///work/app/Dockerfile";
const CHECK_URI: &str = "file:///work/check/Dockerfile";

/// Asserts that the server holds `expected` as the text of `uri`: its symbols equal those
/// of a fresh document with that text.
fn assert_server_text(client: &mut LspClient, uri: &str, version: i64, expected: &str) {
    let actual = client.document_symbols(uri).expect("symbols");
    client.open(CHECK_URI, version, expected);
    let reference = client.document_symbols(CHECK_URI).expect("symbols");
    client.close(CHECK_URI);
    // Wait for the close, so that later checks do not see these notifications arrive.
    client.wait_published("diagnostics cleared on close", |p| {
        p.uri == CHECK_URI && p.version.is_none()
    });
    client.published.retain(|p| p.uri != CHECK_URI);
    assert_eq!(
        actual, reference,
        "the server's text differs from\n{expected}"
    );
    assert_ne!(actual, json!([]), "symbols to compare");
}

fn client_and_encoding(utf8: bool) -> (LspClient, Enc) {
    (
        LspClient::initialized(utf8),
        if utf8 { Enc::Utf8 } else { Enc::Utf16 },
    )
}

#[test]
fn incremental_edits_next_to_non_ascii_text_in_both_encodings() {
    for utf8 in [true, false] {
        let (mut client, enc) = client_and_encoding(utf8);
        let mut text = String::from(
            "FROM alpine:3.20 AS 日本語🐳\nLABEL x=\"日本語🐳\" y=1\nRUN echo 日本語🐳 done\n",
        );
        client.open(URI, 1, &text);
        client.diagnostics(URI, 1);

        // Each edit is computed from the test's own copy of the text, in `enc` units.
        let mut version = 1;
        let mut change = |client: &mut LspClient,
                          text: &mut String,
                          start: (u32, u32),
                          end: (u32, u32),
                          new_text: &str| {
            version += 1;
            apply_edit(text, start, end, new_text, enc);
            client.change(URI, version, vec![edit(start, end, new_text)]);
            version
        };

        // Right after the whale in the LABEL line.
        let (_, after_whale) = find(&text, "🐳\" y", enc);
        let after_whale = (after_whale.0, after_whale.1 - 3); // before `" y`
        change(&mut client, &mut text, after_whale, after_whale, "!");
        // Replace `本` in the stage name.
        let (start, end) = find(&text, "本", enc);
        change(&mut client, &mut text, start, end, "X");
        // Delete the whale of the RUN line.
        let run_whale = text.rfind("🐳").unwrap();
        let (start, end) = (
            position_of(&text, run_whale, enc),
            position_of(&text, run_whale + "🐳".len(), enc),
        );
        change(&mut client, &mut text, start, end, "");
        // A new line with non-ASCII text inserted before the RUN line.
        let (run, _) = find(&text, "RUN", enc);
        change(&mut client, &mut text, run, run, "ENV A=é🐳\n");
        // Two changes in one notification, applied in order.
        version += 1;
        let first = find(&text, "done", enc);
        apply_edit(&mut text, first.0, first.1, "finished 🐳", enc);
        let second = find(&text, "y=1", enc);
        apply_edit(&mut text, second.0, second.1, "y=2", enc);
        client.change(
            URI,
            version,
            vec![
                edit(first.0, first.1, "finished 🐳"),
                edit(second.0, second.1, "y=2"),
            ],
        );

        assert_eq!(
            text,
            "FROM alpine:3.20 AS 日X語🐳\nLABEL x=\"日本語🐳!\" y=2\nENV A=é🐳\nRUN echo 日本語 finished 🐳\n"
        );
        client.diagnostics(URI, version);
        assert_server_text(&mut client, URI, version, &text);

        // And by hand: the RUN instruction ends after the whale, in the negotiated unit.
        let symbols = client.document_symbols(URI).unwrap();
        let run_symbol = &symbols[0]["children"][3];
        assert_eq!(run_symbol["name"], "RUN");
        assert_eq!(run_symbol["detail"], "echo 日本語 finished 🐳");
        let end_column = if utf8 { 32 } else { 24 };
        assert_eq!(
            run_symbol["range"],
            range((3, 0), (3, end_column)),
            "utf8: {utf8}"
        );
        assert_eq!(symbols[0]["name"], "日X語🐳");
        assert_eq!(
            symbols[0]["selectionRange"],
            range_of(&text, "日X語🐳", enc)
        );
        assert!(client.log_messages.is_empty(), "{:?}", client.log_messages);
        assert!(client.shutdown_and_exit().success());
    }
}

#[test]
fn a_change_without_range_replaces_the_whole_text() {
    let mut client = LspClient::initialized(false);
    client.open(URI, 1, "FROM alpine:3.20\nRUN <<EOF\n");
    assert_eq!(client.diagnostics(URI, 1).len(), 1);
    let text = "FROM mcr.microsoft.com/dotnet/aspnet:10.0.11 AS final\nUSER app\n";
    client.change(URI, 2, vec![json!({"text": text})]);
    assert_eq!(client.diagnostics(URI, 2), Vec::<Value>::new());
    assert_server_text(&mut client, URI, 2, text);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn an_unterminated_heredoc_is_reported_on_its_token_in_both_encodings() {
    for utf8 in [true, false] {
        let (mut client, enc) = client_and_encoding(utf8);
        let text = "FROM alpine:3.20\nRUN echo 🐳 && cat <<EOF\necho hi\n";
        client.open(URI, 7, text);
        let diagnostics = client.diagnostics(URI, 7);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        let diagnostic = &diagnostics[0];
        assert_eq!(diagnostic["code"], "UnterminatedHeredoc");
        assert_eq!(diagnostic["source"], "dockside");
        assert_eq!(diagnostic["severity"], 1);
        assert_eq!(diagnostic["range"], range_of(text, "<<EOF", enc));
        let column = if utf8 { 21 } else { 19 };
        assert_eq!(
            diagnostic["range"]["start"],
            json!({"line": 1, "character": column})
        );
        assert_eq!(
            diagnostic["message"],
            "unterminated heredoc: no line `EOF` ends it before the end of the file"
        );
        let href = diagnostic["codeDescription"]["href"]
            .as_str()
            .unwrap_or_default();
        assert!(href.ends_with("/UnterminatedHeredoc.md"), "{diagnostic}");

        // Typing the terminator clears it, for the new version.
        client.change(URI, 8, vec![edit((3, 0), (3, 0), "EOF\n")]);
        assert_eq!(client.diagnostics(URI, 8), Vec::<Value>::new());
        assert!(client.shutdown_and_exit().success());
    }
}

#[test]
fn a_burst_of_200_changes_gets_diagnostics_for_the_latest_version_only() {
    let mut client = LspClient::initialized(false);
    // A document large enough that analysing it takes longer than reading a change.
    let mut text = String::from("FROM mcr.microsoft.com/dotnet/sdk:10.0.400 AS build\n");
    for i in 0..3000 {
        text.push_str(&format!("RUN echo step {i} && dotnet --info\n"));
    }
    client.open(URI, 1, &text);
    assert_eq!(
        without_consecutive_runs(client.diagnostics(URI, 1)),
        Vec::<Value>::new()
    );

    // 199 edits rewriting the step number on line 1, then one that opens a heredoc at
    // the end.
    let mut changes = Vec::new();
    let mut number = String::from("0");
    for version in 2..=200 {
        let start = (1, 14);
        let end = (1, 14 + number.len() as u32);
        number = version.to_string();
        changes.push(support::did_change(
            URI,
            version,
            vec![edit(start, end, &number)],
        ));
        apply_edit(&mut text, start, end, &number, Enc::Utf16);
    }
    changes.push(support::did_change(
        URI,
        201,
        vec![edit((3001, 0), (3001, 0), "RUN cat <<EOF\n")],
    ));
    text.push_str("RUN cat <<EOF\n");
    assert!(text.starts_with("FROM mcr.microsoft.com/dotnet/sdk:10.0.400 AS build\nRUN echo step 200 && dotnet --info\nRUN echo step 1 "));
    client.send_burst(&changes);

    let last = without_consecutive_runs(client.diagnostics(URI, 201));
    assert_eq!(last.len(), 1, "{last:?}");
    assert_eq!(last[0]["code"], "UnterminatedHeredoc");
    assert_eq!(last[0]["range"], range((3001, 8), (3001, 13)));
    // Nothing arrives after the latest version's diagnostics.
    client.drain(Duration::from_millis(300));
    let versions: Vec<i64> = client
        .published
        .iter()
        .filter(|p| p.uri == URI)
        .map(|p| p.version.expect("a version"))
        .collect();
    assert_eq!(versions.last(), Some(&201), "{versions:?}");
    assert!(
        versions.windows(2).all(|w| w[0] < w[1]),
        "versions go back: {versions:?}"
    );
    // The burst was coalesced: far fewer analyses than changes.
    assert!(
        versions.len() < 50,
        "{} publications: {versions:?}",
        versions.len()
    );
    eprintln!("published versions after the burst: {versions:?}");

    let run = client.document_symbols(URI).unwrap()[0]["children"][1].clone();
    assert_eq!(run["detail"], "echo step 200 && dotnet --info");
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn a_change_for_a_document_never_opened_is_logged_and_ignored() {
    let mut client = LspClient::initialized(false);
    let unopened = "file:///work/never/Dockerfile";
    client.change(unopened, 2, vec![edit((0, 0), (0, 0), "FROM x\n")]);
    let log = client.log_containing("not open");
    assert!(log.contains(unopened), "{log}");
    assert_eq!(client.document_symbols(unopened), Ok(Value::Null));
    assert!(client.published.iter().all(|p| p.uri != unopened));
    // A close for it is logged too, and the server goes on.
    client.close(unopened);
    client.log_containing("ignoring `didClose`");
    client.open(URI, 1, "FROM alpine:3.20\n");
    assert_eq!(client.diagnostics(URI, 1), Vec::<Value>::new());
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn edits_outside_the_document_are_clamped_and_logged() {
    for utf8 in [true, false] {
        let (mut client, enc) = client_and_encoding(utf8);
        let mut text = String::from("FROM alpine:3.20 AS 🐳\nRUN echo a\n");
        client.open(URI, 1, &text);
        client.diagnostics(URI, 1);

        // A column past the end of line 0: the line end.
        apply_edit(&mut text, (0, 500), (0, 900), "x", enc);
        client.change(URI, 2, vec![edit((0, 500), (0, 900), "x")]);
        // A line past the end of the document: the end.
        apply_edit(&mut text, (40, 3), (99, 0), "RUN echo b\n", enc);
        client.change(URI, 3, vec![edit((40, 3), (99, 0), "RUN echo b\n")]);
        // u32::MAX everywhere.
        let max = u32::MAX;
        apply_edit(&mut text, (max, max), (max, max), "USER app\n", enc);
        client.change(URI, 4, vec![edit((max, max), (max, max), "USER app\n")]);

        assert_eq!(
            text,
            "FROM alpine:3.20 AS 🐳x\nRUN echo a\nRUN echo b\nUSER app\n"
        );
        client.diagnostics(URI, 4);
        assert_server_text(&mut client, URI, 4, &text);
        let clamp_logs = client
            .log_messages
            .iter()
            .filter(|(kind, m)| *kind == 2 && m.contains("clamped"))
            .count();
        assert_eq!(clamp_logs, 3, "{:?}", client.log_messages);

        // A range that ends before it starts is applied with its ends swapped.
        let (b, _) = find(&text, "b\n", enc);
        let (a, _) = find(&text, "a\n", enc);
        client.change(URI, 5, vec![edit(b, a, "")]);
        let expected = "FROM alpine:3.20 AS 🐳x\nRUN echo b\nUSER app\n";
        client.diagnostics(URI, 5);
        client.log_containing("swapped");
        assert_server_text(&mut client, URI, 5, expected);
        assert!(client.shutdown_and_exit().success());
    }
}

#[test]
fn a_version_that_goes_back_is_logged_and_the_change_applied() {
    let mut client = LspClient::initialized(false);
    client.open(URI, 10, "FROM alpine:3.20\n");
    client.diagnostics(URI, 10);
    client.change(URI, 3, vec![edit((1, 0), (1, 0), "RUN <<EOF\n")]);
    client.log_containing("from version 10 to 3");
    let diagnostics = client.diagnostics(URI, 3);
    assert_eq!(diagnostics[0]["code"], "UnterminatedHeredoc");
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn closing_a_document_clears_its_diagnostics() {
    let mut client = LspClient::initialized(false);
    client.open(URI, 1, "FROM alpine:3.20\nRUN <<EOF\n");
    assert_eq!(client.diagnostics(URI, 1).len(), 1);
    client.close(URI);
    let cleared = client.wait_published("empty diagnostics after didClose", |p| {
        p.uri == URI && p.version.is_none()
    });
    assert!(cleared.diagnostics.is_empty());
    assert_eq!(client.published_versions(URI), [Some(1), None]);
    assert_eq!(client.document_symbols(URI), Ok(Value::Null));
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn reopening_an_open_document_replaces_it_and_save_changes_nothing() {
    let mut client = LspClient::initialized(false);
    client.open(URI, 1, "FROM alpine:3.20\nRUN <<EOF\n");
    assert_eq!(client.diagnostics(URI, 1).len(), 1);
    client.open(URI, 2, "FROM alpine:3.20\n");
    client.log_containing("already open");
    assert_eq!(client.diagnostics(URI, 2), Vec::<Value>::new());
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_server_text(&mut client, URI, 2, "FROM alpine:3.20\n");
    let extra = client.drain(Duration::from_millis(200));
    assert!(extra.is_empty(), "{extra:?}");
    assert_eq!(client.published_versions(URI), [Some(1), Some(2)]);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn crlf_documents_keep_their_line_breaks_through_edits() {
    let mut client = LspClient::initialized(true);
    let mut text = String::from("FROM alpine:3.20\r\nRUN a\r\nRUN b\r\n");
    client.open(URI, 1, &text);
    client.diagnostics(URI, 1);
    // Join lines 1 and 2 by deleting the \r\n between them.
    apply_edit(&mut text, (1, 5), (2, 0), " && ", Enc::Utf8);
    client.change(URI, 2, vec![edit((1, 5), (2, 0), " && ")]);
    assert_eq!(text, "FROM alpine:3.20\r\nRUN a && RUN b\r\n");
    client.diagnostics(URI, 2);
    assert_server_text(&mut client, URI, 2, &text);
    let symbols = client.document_symbols(URI).unwrap();
    assert_eq!(symbols[0]["children"][1]["range"], range((1, 0), (1, 14)));
    assert!(client.shutdown_and_exit().success());
}

/// The burst document is 3,000 RUN lines in a row, which ConsecutiveRunInstructions (DL3059,
/// info) reports on every line; this test is about which versions get diagnostics.
fn without_consecutive_runs(diagnostics: Vec<Value>) -> Vec<Value> {
    diagnostics
        .into_iter()
        .filter(|d| d["code"] != "ConsecutiveRunInstructions")
        .collect()
}
