//! In-process entry points for the LSP fuzz targets (see `crate::fuzzing`).

use lsp_server::{Message, Notification, Request, RequestId};
use lsp_types::{Position, Range};
use ropey::Rope;
use serde_json::{json, Value};

use super::documents::apply_edit;
use super::server::Server;
use super::transport::{read_messages, Incoming, Outgoing};
use crate::text::Encoding;

/// Runs the server on `input` as if a client had written it to stdin, after a fixed
/// `initialize` without workspace folders. To keep a fuzzed session off the machine's file
/// system and network, `file:` URIs become `untitled:` ones and `workspace/` notifications
/// (folders, settings that could turn on registry look-ups, watched files) are dropped.
/// Every message the server writes must be valid JSON. Returns the exit code.
pub fn serve_bytes(input: &[u8]) -> i32 {
    let mut messages = vec![
        Incoming::Message(Message::Request(Request {
            id: RequestId::from(0),
            method: "initialize".to_string(),
            params: json!({"capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}}),
        })),
        Incoming::Message(Message::Notification(Notification {
            method: "initialized".to_string(),
            params: json!({}),
        })),
    ];
    read_messages(input, |incoming| {
        if let Some(incoming) = confine(incoming) {
            messages.push(incoming);
        }
        true
    });
    let (incoming_tx, incoming_rx) = crossbeam_channel::unbounded();
    let (outgoing_tx, outgoing_rx) = crossbeam_channel::unbounded();
    for message in messages {
        // The receiver lives until `run` returns below.
        let _ = incoming_tx.send(message);
    }
    drop(incoming_tx);
    let code = Server::new(outgoing_tx).run(incoming_rx);
    for outgoing in outgoing_rx.try_iter() {
        if let Outgoing::Serialized(text) = outgoing {
            assert!(
                serde_json::from_str::<Value>(&text).is_ok(),
                "the server wrote a message that is not JSON: {text}"
            );
        }
    }
    code
}

fn confine(incoming: Incoming) -> Option<Incoming> {
    match incoming {
        Incoming::Message(Message::Request(mut request)) => {
            confine_uris(&mut request.params);
            Some(Incoming::Message(Message::Request(request)))
        }
        Incoming::Message(Message::Notification(notification))
            if notification.method.starts_with("workspace/") =>
        {
            None
        }
        Incoming::Message(Message::Notification(mut notification)) => {
            confine_uris(&mut notification.params);
            Some(Incoming::Message(Message::Notification(notification)))
        }
        other => Some(other),
    }
}

fn confine_uris(value: &mut Value) {
    match value {
        Value::String(text)
            if text
                .get(..5)
                .is_some_and(|s| s.eq_ignore_ascii_case("file:")) =>
        {
            *text = format!("untitled:{}", &text[5..]);
        }
        Value::Array(items) => items.iter_mut().for_each(confine_uris),
        Value::Object(fields) => fields.values_mut().for_each(confine_uris),
        _ => {}
    }
}

/// Reads the fuzz input as an initial text and a list of edits, applies them with the
/// document store's `apply_edit`, and checks each result against an independent model of
/// LSP positions (clamping past line and document ends, snapping inside a character to its
/// start, reversed ranges swapped).
///
/// Layout: byte 0 picks the encoding (bit 0) and the initial text's length (the rest, in
/// bytes); then that much text; then edits of 5 bytes (start line, start column, end line,
/// end column, text length) each followed by its text. Bytes ≥ 0xf0 in a position stand for
/// `u32::MAX - byte` so that huge positions are reached.
pub fn apply_edit_script(data: &[u8]) {
    let Some((&header, mut rest)) = data.split_first() else {
        return;
    };
    let encoding = if header & 1 == 0 {
        Encoding::Utf16
    } else {
        Encoding::Utf8
    };
    let initial_len = usize::from(header >> 1).min(rest.len());
    let mut text = String::from_utf8_lossy(&rest[..initial_len]).into_owned();
    rest = &rest[initial_len..];
    let mut rope = Rope::from_str(&text);
    while let [start_line, start_col, end_line, end_col, len, tail @ ..] = rest {
        let len = usize::from(*len).min(tail.len());
        let new_text = String::from_utf8_lossy(&tail[..len]).into_owned();
        rest = &tail[len..];
        let range = Range {
            start: Position::new(number(*start_line), number(*start_col)),
            end: Position::new(number(*end_line), number(*end_col)),
        };
        let start = reference_offset(&text, range.start, encoding);
        let end = reference_offset(&text, range.end, encoding);
        let (from, to) = (start.min(end), start.max(end));
        let notes = apply_edit(&mut rope, range, &new_text, encoding);
        assert_eq!(notes.reversed, start > end, "reversed range not reported");
        text.replace_range(from..to, &new_text);
        assert_eq!(
            rope.to_string(),
            text,
            "after replacing {range:?} with {new_text:?}"
        );
    }
}

fn number(byte: u8) -> u32 {
    if byte >= 0xf0 {
        u32::MAX - u32::from(byte - 0xf0)
    } else {
        u32::from(byte)
    }
}

/// The byte offset of `position`, computed on the plain string: lines end at `\n`, `\r\n`
/// or a lone `\r`.
fn reference_offset(text: &str, position: Position, encoding: Encoding) -> usize {
    let bytes = text.as_bytes();
    let mut line_start = 0;
    for _ in 0..position.line {
        let Some(break_at) = bytes[line_start..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map(|i| line_start + i)
        else {
            return text.len();
        };
        line_start = if bytes[break_at] == b'\r' && bytes.get(break_at + 1) == Some(&b'\n') {
            break_at + 2
        } else {
            break_at + 1
        };
    }
    let content = text[line_start..]
        .split(['\n', '\r'])
        .next()
        .unwrap_or_default();
    let mut units = 0usize;
    for (offset, character) in content.char_indices() {
        let width = match encoding {
            Encoding::Utf8 => character.len_utf8(),
            Encoding::Utf16 => character.len_utf16(),
        };
        if units + width > position.character as usize {
            return line_start + offset;
        }
        units += width;
    }
    line_start + content.len()
}
