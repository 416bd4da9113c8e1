//! The stdio transport: `Content-Length` framing on a reader and a writer thread.
//!
//! We frame messages ourselves instead of using `lsp_server::Connection::stdio()` for two
//! reasons. Its reader thread dies on the first malformed message (bad header or bad JSON)
//! and the server can then only quit; ours skips what it cannot read and resynchronises on
//! the next `Content-Length` header. And its channels are rendezvous channels, so messages
//! stay in the pipe while the server works; ours queue every message that has arrived, so
//! the main loop sees a whole burst of `didChange`s and analyses only the last version.
//! The messages themselves are `lsp_server`'s types.

use std::io::{self, BufRead, Write};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{ErrorCode, Message, RequestId};

/// Longest header line kept; longer lines are garbage, and only their tail is kept so that a
/// header glued to the end of garbage is still found.
const MAX_HEADER_LINE: usize = 4096;
/// Bodies above this size are skipped unread (a 20 MB Dockerfile is about 21 MB of JSON).
const MAX_BODY: usize = 512 * 1024 * 1024;
/// How long to wait for the writer to flush after `exit` before giving up on a client that
/// no longer reads.
const WRITER_FLUSH_TIMEOUT: Duration = Duration::from_secs(5);

/// What the reader thread hands to the main loop.
#[derive(Debug)]
pub(crate) enum Incoming {
    Message(Message),
    /// A well-framed body that is not a JSON-RPC message. `id` is set when the body was a
    /// JSON object with a usable request id.
    Malformed {
        id: Option<RequestId>,
        code: ErrorCode,
        detail: String,
    },
    /// Bytes that were not a message header, skipped to find the next message.
    Skipped {
        bytes: usize,
        sample: String,
    },
}

/// What the main loop hands to the writer thread.
#[derive(Debug)]
pub(crate) enum Outgoing {
    Message(Message),
    /// A complete JSON-RPC message, already serialized: results and notifications are
    /// written this way so that a large result (the outline of a 50,000-line file) never
    /// exists as a `serde_json::Value` tree, which costs ten times its text in memory.
    Serialized(String),
}

pub(crate) struct IoThreads {
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

/// Starts the reader (stdin) and writer (stdout) threads.
pub(crate) fn stdio() -> io::Result<(Receiver<Incoming>, Sender<Outgoing>, IoThreads)> {
    let (incoming_tx, incoming_rx) = crossbeam_channel::unbounded();
    let (outgoing_tx, outgoing_rx) = crossbeam_channel::unbounded();
    let reader = thread::Builder::new()
        .name("dockside-stdin".into())
        .spawn(move || {
            let stdin = io::stdin();
            read_messages(stdin.lock(), |incoming| incoming_tx.send(incoming).is_ok());
        })?;
    let writer = thread::Builder::new()
        .name("dockside-stdout".into())
        .spawn(move || {
            let stdout = io::stdout();
            write_messages(stdout.lock(), outgoing_rx);
        })?;
    Ok((incoming_rx, outgoing_tx, IoThreads { reader, writer }))
}

impl IoThreads {
    /// Waits until everything sent has been written. Call after dropping every
    /// `Sender<Outgoing>`, or this waits for the timeout. The reader is joined only when it
    /// has finished: after `exit` it has; on any other path it may be blocked on stdin,
    /// and the process exit ends it.
    pub(crate) fn finish(self) {
        let deadline = Instant::now() + WRITER_FLUSH_TIMEOUT;
        while !self.writer.is_finished() && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(2));
        }
        if self.writer.is_finished() {
            if self.writer.join().is_err() {
                eprintln!("dockside: error: the stdout writer thread panicked");
            }
        } else {
            eprintln!("dockside: error: the client stopped reading; unsent messages dropped");
        }
        if self.reader.is_finished() && self.reader.join().is_err() {
            eprintln!("dockside: error: the stdin reader thread panicked");
        }
    }
}

/// Reads framed messages until end of input, an I/O error, the `exit` notification, or
/// `deliver` returning false (the main loop is gone).
pub(crate) fn read_messages(input: impl BufRead, mut deliver: impl FnMut(Incoming) -> bool) {
    let mut reader = FrameReader {
        input,
        skipped: 0,
        sample: Vec::new(),
    };
    loop {
        let frame = reader.next_frame();
        if let Some(skipped) = reader.take_skipped() {
            if !deliver(skipped) {
                return;
            }
        }
        let incoming = match frame {
            Ok(Frame::Body(body)) => decode(&body),
            Ok(Frame::TooLarge(size)) => Incoming::Malformed {
                id: None,
                code: ErrorCode::InvalidRequest,
                detail: format!("a message of {size} bytes exceeds the limit of {MAX_BODY} bytes"),
            },
            Ok(Frame::Eof) => return,
            Err(error) => {
                eprintln!("dockside: error: cannot read from the client: {error}");
                return;
            }
        };
        let is_exit =
            matches!(&incoming, Incoming::Message(Message::Notification(n)) if n.method == "exit");
        if !deliver(incoming) || is_exit {
            return;
        }
    }
}

pub(crate) fn write_messages(mut output: impl Write, outgoing: Receiver<Outgoing>) {
    for message in outgoing {
        let written = match message {
            Outgoing::Message(message) => message.write(&mut output),
            Outgoing::Serialized(body) => write_frame(&mut output, &body),
        };
        if let Err(error) = written {
            eprintln!("dockside: error: cannot write to the client: {error}");
            return;
        }
    }
}

fn write_frame(output: &mut impl Write, body: &str) -> io::Result<()> {
    write!(output, "Content-Length: {}\r\n\r\n", body.len())?;
    output.write_all(body.as_bytes())?;
    output.flush()
}

enum Frame {
    Body(Vec<u8>),
    TooLarge(usize),
    Eof,
}

struct FrameReader<R> {
    input: R,
    /// Garbage bytes skipped since the last report, and the first of them.
    skipped: usize,
    sample: Vec<u8>,
}

impl<R: BufRead> FrameReader<R> {
    fn next_frame(&mut self) -> io::Result<Frame> {
        let mut content_length: Option<usize> = None;
        let mut in_header = false;
        loop {
            let Some(line) = read_line(&mut self.input)? else {
                return Ok(Frame::Eof);
            };
            let content = trim_line_break(&line.kept);
            if content.is_empty() {
                if let Some(length) = content_length {
                    return self.read_body(length);
                }
                if in_header {
                    // A header without Content-Length: the message cannot be delimited.
                    self.skip(line.consumed, b"(header without Content-Length)");
                    in_header = false;
                }
                // Blank lines between messages are tolerated silently.
                continue;
            }
            // `Content-Length:` in the middle of a line is a header glued to garbage.
            let glued_header = find(content, b"Content-Length:").is_some_and(|at| at > 0);
            match parse_header(content).filter(|_| !glued_header) {
                Some(header) => {
                    in_header = true;
                    if let Header::ContentLength(length) = header {
                        content_length = Some(length);
                    }
                }
                None => {
                    content_length = None;
                    in_header = false;
                    // A header glued to the end of garbage (e.g. after a body whose
                    // Content-Length was too small) starts a new message.
                    let glued =
                        find(content, b"Content-Length:").and_then(|at| {
                            match parse_header(&content[at..]) {
                                Some(Header::ContentLength(length)) => Some((at, length)),
                                _ => None,
                            }
                        });
                    match glued {
                        Some((at, length)) => {
                            let garbage =
                                line.consumed - (content.len() - at) - line_break_len(&line.kept);
                            self.skip(garbage, &content[..at]);
                            content_length = Some(length);
                            in_header = true;
                        }
                        None => self.skip(line.consumed, content),
                    }
                }
            }
        }
    }

    fn read_body(&mut self, length: usize) -> io::Result<Frame> {
        if length > MAX_BODY {
            let discarded = io::copy(
                &mut io::Read::take(&mut self.input, length as u64),
                &mut io::sink(),
            )?;
            if (discarded as usize) < length {
                return Ok(Frame::Eof);
            }
            return Ok(Frame::TooLarge(length));
        }
        let mut body = vec![0u8; length];
        match self.input.read_exact(&mut body) {
            Ok(()) => Ok(Frame::Body(body)),
            Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => {
                eprintln!("dockside: error: the input ended inside a message of {length} bytes");
                Ok(Frame::Eof)
            }
            Err(error) => Err(error),
        }
    }

    fn skip(&mut self, bytes: usize, sample: &[u8]) {
        if self.skipped == 0 {
            self.sample = sample.iter().copied().take(60).collect();
        }
        self.skipped += bytes;
    }

    fn take_skipped(&mut self) -> Option<Incoming> {
        if self.skipped == 0 {
            return None;
        }
        let incoming = Incoming::Skipped {
            bytes: self.skipped,
            sample: String::from_utf8_lossy(&self.sample).into_owned(),
        };
        self.skipped = 0;
        self.sample.clear();
        Some(incoming)
    }
}

struct Line {
    /// The line (with its line break), or only its last [`MAX_HEADER_LINE`] bytes.
    kept: Vec<u8>,
    /// Bytes taken from the input.
    consumed: usize,
}

fn read_line(input: &mut impl BufRead) -> io::Result<Option<Line>> {
    let mut kept = Vec::new();
    let mut consumed = 0usize;
    loop {
        let available = match input.fill_buf() {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            return Ok((consumed > 0).then_some(Line { kept, consumed }));
        }
        let (taken, complete) = match available.iter().position(|&b| b == b'\n') {
            Some(newline) => (newline + 1, true),
            None => (available.len(), false),
        };
        kept.extend_from_slice(&available[..taken]);
        if kept.len() > MAX_HEADER_LINE {
            kept.drain(..kept.len() - MAX_HEADER_LINE);
        }
        input.consume(taken);
        consumed += taken;
        if complete {
            return Ok(Some(Line { kept, consumed }));
        }
    }
}

fn line_break_len(line: &[u8]) -> usize {
    line.len() - trim_line_break(line).len()
}

fn trim_line_break(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

enum Header {
    ContentLength(usize),
    Other,
}

/// `Name: value` with a token name; `None` for anything else, including a Content-Length
/// that is not a number.
fn parse_header(line: &[u8]) -> Option<Header> {
    let colon = line.iter().position(|&b| b == b':')?;
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    if name.is_empty() || !name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-') {
        return None;
    }
    if name.eq_ignore_ascii_case(b"content-length") {
        let value = std::str::from_utf8(value).ok()?.trim();
        return value.parse().ok().map(Header::ContentLength);
    }
    Some(Header::Other)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

fn decode(body: &[u8]) -> Incoming {
    match serde_json::from_slice::<Message>(body) {
        Ok(message) => Incoming::Message(message),
        Err(error) => match serde_json::from_slice::<serde_json::Value>(body) {
            Err(_) => Incoming::Malformed {
                id: None,
                code: ErrorCode::ParseError,
                detail: format!("the message is not valid JSON: {error}"),
            },
            Ok(value) => Incoming::Malformed {
                id: value
                    .get("id")
                    .and_then(|id| serde_json::from_value::<RequestId>(id.clone()).ok()),
                code: ErrorCode::InvalidRequest,
                detail: format!(
                    "the message is not a JSON-RPC request, response or notification: {error}"
                ),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn read_all(input: &[u8]) -> Vec<Incoming> {
        let mut out = Vec::new();
        read_messages(input, |incoming| {
            out.push(incoming);
            true
        });
        out
    }

    fn method(incoming: &Incoming) -> &str {
        match incoming {
            Incoming::Message(Message::Request(r)) => &r.method,
            Incoming::Message(Message::Notification(n)) => &n.method,
            other => panic!("not a request or notification: {other:?}"),
        }
    }

    #[test]
    fn reads_framed_messages_with_extra_headers() {
        let input = format!(
            "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n{}{}",
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown","params":null}"#),
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#)
        );
        let got = read_all(input.as_bytes());
        assert_eq!(got.len(), 2);
        assert_eq!(method(&got[0]), "shutdown");
        assert_eq!(method(&got[1]), "exit");
    }

    #[test]
    fn stops_reading_after_exit() {
        let input = format!(
            "{}{}",
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
            frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#)
        );
        assert_eq!(read_all(input.as_bytes()).len(), 1);
    }

    #[test]
    fn bodies_that_are_not_messages_are_reported_and_reading_goes_on() {
        let input = format!(
            "{}{}{}{}",
            frame("{not json"),
            frame(r#"{"id":7,"params":{}}"#),
            frame(r#"[1,2]"#),
            frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#)
        );
        let got = read_all(input.as_bytes());
        assert_eq!(got.len(), 4);
        assert!(matches!(
            &got[0],
            Incoming::Malformed {
                id: None,
                code: ErrorCode::ParseError,
                ..
            }
        ));
        match &got[1] {
            Incoming::Malformed {
                id: Some(id),
                code: ErrorCode::InvalidRequest,
                ..
            } => {
                assert_eq!(*id, RequestId::from(7))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            &got[2],
            Incoming::Malformed {
                id: None,
                code: ErrorCode::InvalidRequest,
                ..
            }
        ));
        assert_eq!(method(&got[3]), "initialized");
    }

    #[test]
    fn garbage_between_messages_is_skipped_and_reported_once() {
        let mut input = b"\x00\xff\xfegarbage\nmore garbage: with colon?\n\n".to_vec();
        input.extend(frame(r#"{"jsonrpc":"2.0","method":"initialized"}"#).as_bytes());
        let got = read_all(&input);
        assert_eq!(got.len(), 2, "{got:?}");
        match &got[0] {
            Incoming::Skipped { bytes, sample } => {
                assert_eq!(*bytes, 37);
                assert!(sample.contains("garbage"), "{sample}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(method(&got[1]), "initialized");
    }

    #[test]
    fn a_too_small_content_length_resynchronises_on_the_next_header() {
        let body = r#"{"jsonrpc":"2.0","method":"initialized"}"#;
        let mut input = format!("Content-Length: {}\r\n\r\n{body}", body.len() - 5);
        input.push_str(&frame(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#));
        let got = read_all(input.as_bytes());
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(matches!(
            &got[0],
            Incoming::Malformed {
                code: ErrorCode::ParseError,
                ..
            }
        ));
        assert!(
            matches!(&got[1], Incoming::Skipped { bytes: 5, .. }),
            "{:?}",
            got[1]
        );
        assert_eq!(method(&got[2]), "shutdown");
    }

    #[test]
    fn a_header_line_without_end_is_cut_and_resynchronised() {
        let mut input = vec![b'x'; 100_000];
        input.extend(frame(r#"{"jsonrpc":"2.0","method":"initialized"}"#).as_bytes());
        let got = read_all(&input);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            matches!(&got[0], Incoming::Skipped { bytes: 100_000, .. }),
            "{:?}",
            got[0]
        );
        assert_eq!(method(&got[1]), "initialized");
    }

    #[test]
    fn input_ending_inside_a_message_ends_reading() {
        assert!(read_all(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"").is_empty());
        assert!(read_all(b"Content-Length: 100\r\n").is_empty());
        let got = read_all(b"Content-Length: abc\r\n\r\n");
        assert!(matches!(&got[..], [Incoming::Skipped { .. }]), "{got:?}");
    }

    fn garbage_strategy() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..40),
            Just(b"\r\n".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"Content-Type: x\r\n".to_vec()),
            Just(b"Content-Length\r\n".to_vec()),
            Just(b"Content-Length: \r\n".to_vec()),
            Just(b"{\"jsonrpc\":\"2.0\",".to_vec()),
            Just(vec![0u8; 3]),
        ];
        proptest::collection::vec(piece, 0..20).prop_map(|pieces| pieces.concat())
    }

    proptest::proptest! {
        /// Whatever precedes it, a well-formed message after garbage is read, unless the
        /// garbage itself announced a body (then the message may be swallowed by it).
        #[test]
        fn random_bytes_never_stop_the_reader(garbage in garbage_strategy()) {
            let mut input = garbage.clone();
            input.extend(frame(r#"{"jsonrpc":"2.0","id":5,"method":"shutdown"}"#).as_bytes());
            let got = read_all(&input);
            let announces_body = find(&garbage, b"Content-Length:").is_some_and(|at| {
                garbage[at + 15..].iter().any(|b| b.is_ascii_digit())
            });
            if !announces_body {
                let last = match got.last() {
                    Some(Incoming::Message(Message::Request(r))) => Some(r.method.as_str()),
                    _ => None,
                };
                proptest::prop_assert_eq!(last, Some("shutdown"), "{:?}", got);
            }
        }
    }

    #[test]
    fn serialized_messages_are_framed() {
        let (tx, rx) = crossbeam_channel::unbounded();
        let body = r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad 🐳"}}"#;
        tx.send(Outgoing::Serialized(body.to_string())).unwrap();
        tx.send(Outgoing::Message(Message::Response(
            lsp_server::Response::new_ok(RequestId::from(1), ()),
        )))
        .unwrap();
        drop(tx);
        let mut out = Vec::new();
        write_messages(&mut out, rx);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            format!(
                "Content-Length: {}\r\n\r\n{body}Content-Length: 38\r\n\r\n{}",
                body.len(),
                r#"{"jsonrpc":"2.0","id":1,"result":null}"#
            )
        );
    }
}
