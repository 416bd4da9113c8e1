//! An LSP client for end-to-end tests: it starts the real `dockside` binary and speaks
//! JSON-RPC over its stdin/stdout the way an editor does.
//!
//! Every wait has a timeout, so a server that hangs fails the test instead of hanging it.
//! Notifications that arrive while the client waits for something else are kept:
//! `publishDiagnostics` in [`LspClient::published`], `window/logMessage` in
//! [`LspClient::log_messages`].

#![allow(dead_code)] // each test binary uses a different part of this module

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Generous: tests run debug builds on a loaded 2-core machine.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// One `textDocument/publishDiagnostics` notification.
#[derive(Clone, Debug)]
pub struct Published {
    pub uri: String,
    pub version: Option<i64>,
    pub diagnostics: Vec<Value>,
}

pub struct LspClient {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Result<Value, String>>,
    stderr: Arc<Mutex<String>>,
    next_id: i64,
    pub timeout: Duration,
    /// Every publishDiagnostics, in arrival order.
    pub published: Vec<Published>,
    /// Every window/logMessage as (type, message).
    pub log_messages: Vec<(i64, String)>,
    /// Messages not yet consumed by a wait (responses to other ids, other notifications).
    backlog: VecDeque<Value>,
}

/// The column unit a test speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enc {
    Utf8,
    Utf16,
}

impl LspClient {
    /// Starts `dockside lsp`.
    pub fn start() -> Self {
        Self::start_with_args(&["lsp"])
    }

    pub fn start_with_args(args: &[&str]) -> Self {
        Self::start_with_env(args, &[])
    }

    /// Starts the binary with extra environment variables (`DOCKSIDE_TODAY`, ...).
    pub fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dockside"));
        command.args(args).envs(env.iter().copied());
        Self::spawn(command)
    }

    /// Starts `command` (the binary, or a wrapper such as `strace` or `unshare` that runs it)
    /// with piped standard streams.
    pub fn spawn(mut command: Command) -> Self {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the dockside binary");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr_pipe = child.stderr.take().expect("piped stderr");
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || read_frames(BufReader::new(stdout), tx));
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&stderr);
        thread::spawn(move || {
            let mut reader = BufReader::new(stderr_pipe);
            let mut line = String::new();
            while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        LspClient {
            stdin: child.stdin.take(),
            child,
            incoming: rx,
            stderr,
            next_id: 1,
            timeout: DEFAULT_TIMEOUT,
            published: Vec::new(),
            log_messages: Vec::new(),
            backlog: VecDeque::new(),
        }
    }

    /// Starts the server and initializes it with VS Code's capabilities; `utf8` decides
    /// whether the client offers `utf-8` positions.
    pub fn initialized(utf8: bool) -> Self {
        let mut client = Self::start();
        let result = client.initialize(vscode_capabilities(utf8));
        let expected = if utf8 { "utf-8" } else { "utf-16" };
        assert_eq!(result["capabilities"]["positionEncoding"], expected);
        client
    }

    /// Sends `initialize` and `initialized`; returns the initialize result.
    pub fn initialize(&mut self, capabilities: Value) -> Value {
        let result = self
            .request("initialize", initialize_params(capabilities))
            .expect("initialize succeeds");
        self.notify("initialized", json!({}));
        result
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Writes raw bytes to the server's stdin.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).expect("write to the server");
        stdin.flush().expect("flush to the server");
    }

    pub fn send(&mut self, message: &Value) {
        self.send_raw(&frame(message));
    }

    /// Sends several messages in one write, as a burst.
    pub fn send_burst(&mut self, messages: &[Value]) {
        let bytes: Vec<u8> = messages.iter().flat_map(frame).collect();
        self.send_raw(&bytes);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&notification(method, params));
    }

    /// A request message with a fresh id, not yet sent.
    pub fn new_request(&mut self, method: &str, params: Value) -> (i64, Value) {
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        (id, message)
    }

    /// Sends a request and waits for its response: `Ok(result)` or `Err(error object)`.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let (id, message) = self.new_request(method, params);
        self.send(&message);
        self.response(id)
    }

    /// Waits for the response to request `id`.
    pub fn response(&mut self, id: i64) -> Result<Value, Value> {
        let message = self.wait_for(&format!("the response to request {id}"), |m| {
            m.get("method").is_none() && m["id"] == json!(id)
        });
        response_result(message)
    }

    /// Waits for a response with `"id": null` (an answer to an unreadable message).
    pub fn response_without_id(&mut self) -> Value {
        let message = self.wait_for("a response with id null", |m| {
            m.get("method").is_none() && m.get("id") == Some(&Value::Null)
        });
        message["error"].clone()
    }

    /// Waits until the server publishes diagnostics for `uri` at `version`; returns them.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        self.wait_published(&format!("diagnostics for {uri} version {version}"), |p| {
            p.uri == uri && p.version == Some(version)
        })
        .diagnostics
    }

    /// The latest recorded publishDiagnostics matching `matches`, waiting for one if none
    /// has arrived yet.
    pub fn wait_published(
        &mut self,
        what: &str,
        matches: impl Fn(&Published) -> bool,
    ) -> Published {
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Some(found) = self.published.iter().rev().find(|p| matches(p)) {
                return found.clone();
            }
            self.next_message(what, deadline);
        }
    }

    /// Waits for a window/logMessage whose text contains `needle`.
    pub fn log_containing(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Some((_, text)) = self.log_messages.iter().find(|(_, m)| m.contains(needle)) {
                return text.clone();
            }
            self.next_message(&format!("a log message containing {needle:?}"), deadline);
        }
    }

    /// Waits for the first response or server request matching `matches`. Notifications
    /// that arrive meanwhile are recorded ([`Self::published`], [`Self::log_messages`]);
    /// other messages are kept for later waits.
    pub fn wait_for(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        if let Some(index) = self.backlog.iter().position(&matches) {
            return self.backlog.remove(index).expect("present");
        }
        let deadline = Instant::now() + self.timeout;
        loop {
            let message = self.next_message(what, deadline);
            if matches(&message) {
                return message;
            }
            if !is_recorded(&message) {
                self.backlog.push_back(message);
            }
        }
    }

    /// The next message from the server (recorded if it is a notification we track).
    fn next_message(&mut self, what: &str, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        let message = match self.incoming.recv_timeout(left) {
            Ok(Ok(message)) => message,
            Ok(Err(error)) => panic!(
                "the server sent a malformed message while waiting for {what}: {error}\nstderr:\n{}",
                self.stderr()
            ),
            Err(RecvTimeoutError::Timeout) => panic!(
                "timed out after {:?} waiting for {what}\nstderr:\n{}",
                self.timeout,
                self.stderr()
            ),
            Err(RecvTimeoutError::Disconnected) => panic!(
                "the server closed stdout while waiting for {what}\nstderr:\n{}",
                self.stderr()
            ),
        };
        self.record(&message);
        message
    }

    /// Waits until the server has been silent for `quiet`; returns the messages that
    /// arrived meanwhile (recorded as usual) and those kept from earlier waits, except
    /// the recorded notifications.
    pub fn drain(&mut self, quiet: Duration) -> Vec<Value> {
        let mut out: Vec<Value> = self.backlog.drain(..).collect();
        while let Ok(Ok(message)) = self.incoming.recv_timeout(quiet) {
            self.record(&message);
            if !is_recorded(&message) {
                out.push(message);
            }
        }
        out
    }

    /// The versions of every publishDiagnostics for `uri`, in arrival order.
    pub fn published_versions(&self, uri: &str) -> Vec<Option<i64>> {
        self.published
            .iter()
            .filter(|p| p.uri == uri)
            .map(|p| p.version)
            .collect()
    }

    fn record(&mut self, message: &Value) {
        match message["method"].as_str() {
            Some("textDocument/publishDiagnostics") => {
                let params = &message["params"];
                self.published.push(Published {
                    uri: params["uri"].as_str().unwrap_or_default().to_string(),
                    version: params["version"].as_i64(),
                    diagnostics: params["diagnostics"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default(),
                });
            }
            Some("window/logMessage") => self.log_messages.push((
                message["params"]["type"].as_i64().unwrap_or_default(),
                message["params"]["message"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )),
            _ => {}
        }
    }

    // Documents

    pub fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": version, "text": text}}),
        );
    }

    pub fn change(&mut self, uri: &str, version: i64, changes: Vec<Value>) {
        self.send(&did_change(uri, version, changes));
    }

    pub fn close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }

    pub fn document_symbols(&mut self, uri: &str) -> Result<Value, Value> {
        self.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
    }

    // Ending

    /// `shutdown` with `"params": null` (as LSP4IJ and Eglot send it), then `exit`; returns
    /// the exit status.
    pub fn shutdown_and_exit(mut self) -> ExitStatus {
        let (id, _) = self.new_request("shutdown", Value::Null);
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": "shutdown", "params": null}));
        assert_eq!(self.response(id), Ok(Value::Null));
        self.notify_without_params("exit");
        self.exit_status()
    }

    pub fn notify_without_params(&mut self, method: &str) {
        self.send(&json!({"jsonrpc": "2.0", "method": method}));
    }

    /// Closes stdin (end of input for the server).
    pub fn close_stdin(&mut self) {
        self.stdin.take();
    }

    /// Waits for the process to end; fails the test if it does not within the timeout.
    pub fn exit_status(&mut self) -> ExitStatus {
        let deadline = Instant::now() + self.timeout;
        loop {
            match self.child.try_wait().expect("poll the server process") {
                Some(status) => {
                    let stderr = self.stderr();
                    assert!(
                        !stderr.contains("panicked"),
                        "the server panicked:\n{stderr}"
                    );
                    return status;
                }
                None if Instant::now() >= deadline => {
                    let _ = self.child.kill();
                    panic!(
                        "the server did not exit within {:?}\nstderr:\n{}",
                        self.timeout,
                        self.stderr()
                    );
                }
                None => thread::sleep(Duration::from_millis(10)),
            }
        }
    }

    /// Asserts that nothing on stderr says the server panicked.
    pub fn assert_no_panic(&self) {
        let stderr = self.stderr();
        assert!(
            !stderr.contains("panicked"),
            "the server panicked:\n{stderr}"
        );
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn is_recorded(message: &Value) -> bool {
    matches!(
        message["method"].as_str(),
        Some("textDocument/publishDiagnostics" | "window/logMessage")
    )
}

pub fn notification(method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "method": method, "params": params})
}

pub fn did_change(uri: &str, version: i64, changes: Vec<Value>) -> Value {
    notification(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
    )
}

/// An incremental change.
pub fn edit(start: (u32, u32), end: (u32, u32), text: &str) -> Value {
    json!({"range": range(start, end), "text": text})
}

pub fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({
        "start": {"line": start.0, "character": start.1},
        "end": {"line": end.0, "character": end.1},
    })
}

pub fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

fn response_result(message: Value) -> Result<Value, Value> {
    match message.get("error") {
        Some(error) => Err(error.clone()),
        None => Ok(message
            .get("result")
            .cloned()
            .expect("a result or an error")),
    }
}

/// Reads the server's frames strictly: anything but a well-formed `Content-Length` frame
/// with a JSON body is reported as an error and ends reading.
fn read_frames(mut stdout: impl BufRead, tx: mpsc::Sender<Result<Value, String>>) {
    loop {
        let mut length: Option<usize> = None;
        loop {
            let mut line = String::new();
            match stdout.read_line(&mut line) {
                Ok(0) => return,
                Ok(_) => {}
                Err(error) => {
                    let _ = tx.send(Err(format!("reading a header: {error}")));
                    return;
                }
            }
            let Some(header) = line.strip_suffix("\r\n") else {
                let _ = tx.send(Err(format!("header line without CRLF: {line:?}")));
                return;
            };
            if header.is_empty() {
                break;
            }
            match header.split_once(": ") {
                Some(("Content-Length", value)) => match value.parse() {
                    Ok(n) => length = Some(n),
                    Err(_) => {
                        let _ = tx.send(Err(format!("bad Content-Length: {header:?}")));
                        return;
                    }
                },
                Some((_, _)) => {}
                None => {
                    let _ = tx.send(Err(format!("malformed header: {header:?}")));
                    return;
                }
            }
        }
        let Some(length) = length else {
            let _ = tx.send(Err("no Content-Length".to_string()));
            return;
        };
        let mut body = vec![0; length];
        if let Err(error) = stdout.read_exact(&mut body) {
            let _ = tx.send(Err(format!("reading a body of {length} bytes: {error}")));
            return;
        }
        let message = serde_json::from_slice::<Value>(&body)
            .map_err(|error| {
                format!(
                    "body is not JSON ({error}): {}",
                    String::from_utf8_lossy(&body)
                )
            })
            .and_then(|value| {
                if value["jsonrpc"] == "2.0" {
                    Ok(value)
                } else {
                    Err(format!("no \"jsonrpc\": \"2.0\" in {value}"))
                }
            });
        if tx.send(message).is_err() {
            return;
        }
    }
}

pub fn initialize_params(capabilities: Value) -> Value {
    json!({
        "processId": std::process::id(),
        "clientInfo": {"name": "Visual Studio Code", "version": "1.95.3"},
        "locale": "en",
        "rootPath": null,
        "rootUri": null,
        "capabilities": capabilities,
        "trace": "off",
        "workspaceFolders": null,
    })
}

/// The client capabilities VS Code 1.95 sends (the parts a Dockerfile server can use);
/// with `utf8`, `general.positionEncodings` offers `["utf-8", "utf-16"]`, else only
/// `["utf-16"]` as VS Code does.
pub fn vscode_capabilities(utf8: bool) -> Value {
    let encodings = if utf8 {
        json!(["utf-8", "utf-16"])
    } else {
        json!(["utf-16"])
    };
    json!({
        "workspace": {
            "applyEdit": true,
            "workspaceEdit": {"documentChanges": true, "resourceOperations": ["create", "rename", "delete"]},
            "didChangeConfiguration": {"dynamicRegistration": true},
            "didChangeWatchedFiles": {"dynamicRegistration": true, "relativePatternSupport": true},
            "symbol": {"dynamicRegistration": true},
            "executeCommand": {"dynamicRegistration": true},
            "configuration": true,
            "workspaceFolders": true,
            "semanticTokens": {"refreshSupport": true},
            "diagnostics": {"refreshSupport": true},
            "inlayHint": {"refreshSupport": true},
        },
        "textDocument": {
            "publishDiagnostics": {
                "relatedInformation": true,
                "versionSupport": false,
                "tagSupport": {"valueSet": [1, 2]},
                "codeDescriptionSupport": true,
                "dataSupport": true,
            },
            "synchronization": {
                "dynamicRegistration": true,
                "willSave": true,
                "willSaveWaitUntil": true,
                "didSave": true,
            },
            "completion": {
                "dynamicRegistration": true,
                "contextSupport": true,
                "completionItem": {
                    "snippetSupport": true,
                    "commitCharactersSupport": true,
                    "documentationFormat": ["markdown", "plaintext"],
                    "insertReplaceSupport": true,
                    "resolveSupport": {"properties": ["documentation", "detail", "additionalTextEdits"]},
                },
            },
            "hover": {"dynamicRegistration": true, "contentFormat": ["markdown", "plaintext"]},
            "documentSymbol": {
                "dynamicRegistration": true,
                "symbolKind": {"valueSet": (1..=26).collect::<Vec<u32>>()},
                "hierarchicalDocumentSymbolSupport": true,
                "tagSupport": {"valueSet": [1]},
                "labelSupport": true,
            },
            "codeAction": {
                "dynamicRegistration": true,
                "isPreferredSupport": true,
                "disabledSupport": true,
                "dataSupport": true,
                "resolveSupport": {"properties": ["edit"]},
                "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["", "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite", "source", "source.organizeImports"]}},
            },
            "foldingRange": {"dynamicRegistration": true, "lineFoldingOnly": true},
            "inlayHint": {"dynamicRegistration": true},
            "diagnostic": {"dynamicRegistration": true, "relatedDocumentSupport": false},
        },
        "window": {
            "showMessage": {"messageActionItem": {"additionalPropertiesSupport": true}},
            "showDocument": {"support": true},
            "workDoneProgress": true,
        },
        "general": {
            "staleRequestSupport": {"cancel": true, "retryOnContentModified": []},
            "regularExpressions": {"engine": "ECMAScript", "version": "ES2020"},
            "markdown": {"parser": "marked", "version": "1.1.0"},
            "positionEncodings": encodings,
        },
    })
}

/// A test-side model of a document: applies LSP edits to a String with a plain scan, the
/// way the LSP specification defines positions (lines end at \n, \r\n or \r; columns in
/// the negotiated unit; a column past the line end means the line end).
pub fn apply_edit(text: &mut String, start: (u32, u32), end: (u32, u32), new_text: &str, enc: Enc) {
    let a = offset_of(text, start, enc);
    let b = offset_of(text, end, enc);
    // A range that ends before it starts is taken with its ends swapped, as the server does.
    text.replace_range(a.min(b)..a.max(b), new_text);
}

pub fn offset_of(text: &str, (line, column): (u32, u32), enc: Enc) -> usize {
    let mut current_line = 0;
    let mut chars = text.char_indices().peekable();
    let mut line_start = 0;
    while current_line < line {
        match chars.next() {
            None => return text.len(),
            Some((i, '\r')) => {
                if let Some(&(j, '\n')) = chars.peek() {
                    chars.next();
                    line_start = j + 1;
                } else {
                    line_start = i + 1;
                }
                current_line += 1;
            }
            Some((i, '\n')) => {
                line_start = i + 1;
                current_line += 1;
            }
            Some(_) => {}
        }
    }
    let mut units = 0;
    for (i, ch) in text[line_start..].char_indices() {
        let width = match enc {
            Enc::Utf8 => ch.len_utf8() as u32,
            Enc::Utf16 => ch.len_utf16() as u32,
        };
        // A column inside a character means that character's start.
        if ch == '\n' || ch == '\r' || units + width > column {
            return line_start + i;
        }
        units += width;
    }
    text.len()
}

/// The LSP position of a byte offset.
pub fn position_of(text: &str, offset: usize, enc: Enc) -> (u32, u32) {
    let before = &text[..offset];
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + before.matches('\r').count()
        - before.matches("\r\n").count();
    let column = match enc {
        Enc::Utf8 => before[line_start..].len(),
        Enc::Utf16 => before[line_start..].encode_utf16().count(),
    };
    (line as u32, column as u32)
}

/// The position of the first occurrence of `needle` (start, end).
pub fn find(text: &str, needle: &str, enc: Enc) -> ((u32, u32), (u32, u32)) {
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} in {text:?}"));
    (
        position_of(text, start, enc),
        position_of(text, start + needle.len(), enc),
    )
}

/// `{"start": .., "end": ..}` of the first occurrence of `needle`.
pub fn range_of(text: &str, needle: &str, enc: Enc) -> Value {
    let (start, end) = find(text, needle, enc);
    range(start, end)
}
