//! Side-by-side latency benchmark: Dockside against rcjsuen's
//! `dockerfile-language-server-nodejs`, both driven over stdio exactly as an editor drives
//! them (VS Code's capabilities, `didOpen`, one-character `didChange`s, hover, completion,
//! code actions), on the same generated .NET Dockerfiles, alternating the two servers.
//!
//! Run it through `bash bench/side-by-side.sh`, which installs the Node server and sets:
//! - `SIDE_BY_SIDE_NODE_SERVER`: path of the Node server's `docker-langserver` script
//!   (without it only Dockside is measured);
//! - `SIDE_BY_SIDE_SIZES`: comma-separated line counts (default `30,300,3000,30000`);
//! - `SIDE_BY_SIDE_EDITS`: one-character edits per document (default 50);
//! - `SIDE_BY_SIDE_SAMPLES`: hover/completion/code action requests per document (default 20);
//! - `SIDE_BY_SIDE_WORKSPACE`: `0` skips the 2,000-project indexing measure;
//! - `SIDE_BY_SIDE_REPORT`: a markdown file whose "Side by side" section is replaced by the
//!   new tables.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use dockside::bench_support::generated_dockerfile;
use dockside::bench_support::solution;
use serde_json::{json, Value};

/// Longest wait for any one answer; the Node server needs about 12 s per 30,000-line change.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(120);
/// The characters typed, one per `didChange`, into a blank line in the middle of the file.
const TYPED: &str = "RUN dotnet tool restore && dotnet build -c Release --no-restore -warnaserror";
const SECTION_TITLE: &str = "## Side by side with dockerfile-language-server-nodejs";

#[derive(Clone, Copy, PartialEq, Eq)]
enum ServerKind {
    Dockside,
    Node,
}

impl ServerKind {
    fn name(self) -> &'static str {
        match self {
            ServerKind::Dockside => "Dockside",
            ServerKind::Node => "Node server",
        }
    }
}

struct Config {
    node_server: Option<PathBuf>,
    sizes: Vec<usize>,
    edits: usize,
    samples: usize,
    workspace: bool,
    report: Option<PathBuf>,
}

impl Config {
    fn from_env() -> Result<Config, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let number = |name: &str, default: usize| -> Result<usize, String> {
            var(name).map_or(Ok(default), |v| {
                v.parse().map_err(|_| format!("{name}={v} is not a number"))
            })
        };
        let sizes = match var("SIDE_BY_SIDE_SIZES") {
            Some(list) => list
                .split(',')
                .map(|s| {
                    s.trim()
                        .parse::<usize>()
                        .map_err(|_| format!("SIDE_BY_SIDE_SIZES: {s:?} is not a line count"))
                })
                .collect::<Result<Vec<_>, _>>()?,
            None => vec![30, 300, 3_000, 30_000],
        };
        Ok(Config {
            node_server: var("SIDE_BY_SIDE_NODE_SERVER").map(PathBuf::from),
            sizes,
            edits: number("SIDE_BY_SIDE_EDITS", 50)?.min(TYPED.len()),
            samples: number("SIDE_BY_SIDE_SAMPLES", 20)?.max(1),
            workspace: var("SIDE_BY_SIDE_WORKSPACE").as_deref() != Some("0"),
            report: var("SIDE_BY_SIDE_REPORT").map(PathBuf::from),
        })
    }
}

/// One message from the server, stamped when the reader thread got it.
struct Received {
    at: Instant,
    message: Value,
}

/// A language server process driven over stdio.
struct Session {
    kind: ServerKind,
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Received>,
    next_id: i64,
    started: Instant,
}

impl Session {
    fn start(
        kind: ServerKind,
        config: &Config,
        extra_env: &[(&str, &str)],
    ) -> Result<Session, String> {
        let mut command = match kind {
            ServerKind::Dockside => {
                let mut command = Command::new(env!("CARGO_BIN_EXE_dockside"));
                command.arg("lsp");
                command
            }
            ServerKind::Node => {
                let script = config
                    .node_server
                    .as_ref()
                    .ok_or("no Node server configured")?;
                let mut command = Command::new("node");
                command.arg(script).arg("--stdio");
                command
            }
        };
        command
            .envs(extra_env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let started = Instant::now();
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", kind.name()))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, messages) = mpsc::channel();
        thread::spawn(move || read_frames(BufReader::new(stdout), tx));
        Ok(Session {
            kind,
            child,
            stdin,
            messages,
            next_id: 0,
            started,
        })
    }

    fn send(&mut self, message: &Value) -> Result<Instant, String> {
        let body = message.to_string();
        let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        bytes.extend_from_slice(body.as_bytes());
        let sent = Instant::now();
        self.stdin
            .write_all(&bytes)
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("{}: cannot write: {e}", self.kind.name()))?;
        Ok(sent)
    }

    fn notify(&mut self, method: &str, params: Value) -> Result<Instant, String> {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    fn request(&mut self, method: &str, params: Value) -> Result<(i64, Instant), String> {
        self.next_id += 1;
        let id = self.next_id;
        let sent =
            self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        Ok((id, sent))
    }

    /// Waits for the first message that `wanted` accepts, answering the server's own
    /// requests (configuration, progress tokens, registrations) as VS Code does.
    fn wait(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Result<Received, String> {
        let deadline = Instant::now() + ANSWER_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let received = match self.messages.recv_timeout(left) {
                Ok(received) => received,
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!(
                        "{}: no {what} within {ANSWER_TIMEOUT:?}",
                        self.kind.name()
                    ))
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(format!(
                        "{}: stdout closed while waiting for {what}",
                        self.kind.name()
                    ))
                }
            };
            if received.message.get("method").is_some() && received.message.get("id").is_some() {
                self.answer_server_request(&received.message)?;
            }
            if wanted(&received.message) {
                return Ok(received);
            }
        }
    }

    fn answer_server_request(&mut self, request: &Value) -> Result<(), String> {
        let result = if request["method"] == "workspace/configuration" {
            // No user settings: each server uses its defaults.
            let items = request["params"]["items"].as_array().map_or(0, Vec::len);
            Value::Array(vec![Value::Null; items])
        } else {
            Value::Null
        };
        self.send(&json!({"jsonrpc": "2.0", "id": request["id"], "result": result}))
            .map(|_| ())
    }

    /// Sends a request and returns its result and the time to its response.
    fn timed_request(&mut self, method: &str, params: Value) -> Result<(Value, Duration), String> {
        let (id, sent) = self.request(method, params)?;
        let received = self.wait(method, |m| {
            m["id"] == json!(id) && m.get("method").is_none()
        })?;
        if let Some(error) = received.message.get("error") {
            return Err(format!("{}: {method} failed: {error}", self.kind.name()));
        }
        Ok((received.message["result"].clone(), received.at - sent))
    }

    fn wait_diagnostics(
        &mut self,
        uri: &str,
        sent: Instant,
    ) -> Result<(Vec<Value>, Duration), String> {
        let received = self.wait("publishDiagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        })?;
        let diagnostics = received.message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        Ok((diagnostics, received.at - sent))
    }

    /// Peak resident set size in MB (`VmHWM`), read before the process ends.
    fn peak_rss_mb(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    }

    fn finish(mut self) {
        let ended = self
            .timed_request("shutdown", Value::Null)
            .and_then(|_| self.notify("exit", Value::Null));
        let deadline = Instant::now() + Duration::from_secs(5);
        while ended.is_ok() && Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn read_frames(mut stdout: impl BufRead, tx: mpsc::Sender<Received>) {
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            match stdout.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse::<usize>().ok();
                }
            }
        }
        let Some(length) = length else { continue };
        let mut body = vec![0; length];
        if stdout.read_exact(&mut body).is_err() {
            return;
        }
        let at = Instant::now();
        let Ok(message) = serde_json::from_slice::<Value>(&body) else {
            continue;
        };
        if tx.send(Received { at, message }).is_err() {
            return;
        }
    }
}

/// The capabilities VS Code 1.9x sends (abridged to what either server looks at).
fn vscode_initialize(root: Option<&Path>) -> Value {
    let root_uri = root.map(|r| format!("file://{}", r.display()));
    json!({
        "processId": std::process::id(),
        "clientInfo": {"name": "Visual Studio Code", "version": "1.96.0"},
        "locale": "en",
        "rootUri": root_uri,
        "workspaceFolders": root_uri.as_ref().map(|uri| json!([{"uri": uri, "name": "bench"}])),
        "capabilities": {
            "general": {"positionEncodings": ["utf-16"]},
            "workspace": {
                "applyEdit": true,
                "configuration": true,
                "workspaceFolders": true,
                "didChangeConfiguration": {"dynamicRegistration": true},
                "didChangeWatchedFiles": {"dynamicRegistration": true, "relativePatternSupport": true},
                "executeCommand": {"dynamicRegistration": true},
                "symbol": {"dynamicRegistration": true}
            },
            "textDocument": {
                "synchronization": {"dynamicRegistration": true, "willSave": true, "willSaveWaitUntil": true, "didSave": true},
                "publishDiagnostics": {"relatedInformation": true, "versionSupport": false, "tagSupport": {"valueSet": [1, 2]}, "codeDescriptionSupport": true, "dataSupport": true},
                "completion": {
                    "dynamicRegistration": true,
                    "contextSupport": true,
                    "completionItem": {
                        "snippetSupport": true,
                        "commitCharactersSupport": true,
                        "documentationFormat": ["markdown", "plaintext"],
                        "deprecatedSupport": true,
                        "preselectSupport": true,
                        "insertReplaceSupport": true,
                        "labelDetailsSupport": true,
                        "resolveSupport": {"properties": ["documentation", "detail", "additionalTextEdits"]}
                    }
                },
                "hover": {"dynamicRegistration": true, "contentFormat": ["markdown", "plaintext"]},
                "signatureHelp": {"dynamicRegistration": true},
                "definition": {"dynamicRegistration": true, "linkSupport": true},
                "documentHighlight": {"dynamicRegistration": true},
                "documentSymbol": {"dynamicRegistration": true, "hierarchicalDocumentSymbolSupport": true},
                "codeAction": {
                    "dynamicRegistration": true,
                    "isPreferredSupport": true,
                    "disabledSupport": true,
                    "dataSupport": true,
                    "resolveSupport": {"properties": ["edit"]},
                    "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["", "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite", "source", "source.organizeImports"]}}
                },
                "formatting": {"dynamicRegistration": true},
                "rename": {"dynamicRegistration": true, "prepareSupport": true},
                "foldingRange": {"dynamicRegistration": true},
                "semanticTokens": {"dynamicRegistration": true, "requests": {"range": true, "full": {"delta": true}}, "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"]},
                "inlayHint": {"dynamicRegistration": true}
            },
            "window": {"workDoneProgress": true, "showMessage": {}, "showDocument": {"support": true}}
        }
    })
}

/// The figures of one server on one document size, in milliseconds (RSS in MB).
#[derive(Default, Clone)]
struct Figures {
    initialize: f64,
    open: f64,
    change_p50: f64,
    change_p95: f64,
    hover_p50: f64,
    completion_p50: f64,
    code_action_p50: f64,
    rss_mb: f64,
    final_diagnostics: usize,
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

fn percentile(samples: &[Duration], fraction: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len());
    ms(sorted[rank - 1])
}

/// UTF-16 column of the end of `line` (the generated files are ASCII).
fn blank_line_near_middle(text: &str) -> Result<u32, String> {
    let lines: Vec<&str> = text.lines().collect();
    let middle = lines.len() / 2;
    (0..lines.len())
        .filter(|&i| lines[i].is_empty())
        .min_by_key(|&i| i.abs_diff(middle))
        .map(|i| i as u32)
        .ok_or_else(|| "the generated Dockerfile has no blank line".to_string())
}

/// The first line at or after `from` that starts with `prefix`.
fn line_starting_with(text: &str, from: u32, prefix: &str) -> Result<u32, String> {
    text.lines()
        .enumerate()
        .skip(from as usize)
        .find(|(_, line)| line.starts_with(prefix))
        .map(|(i, _)| i as u32)
        .ok_or_else(|| format!("no line starts with {prefix:?}"))
}

fn measure_document(kind: ServerKind, config: &Config, lines: usize) -> Result<Figures, String> {
    let text = generated_dockerfile(lines);
    let uri = format!("file:///bench/size{lines}/Dockerfile");
    let mut session = Session::start(kind, config, &[])?;
    let mut figures = Figures::default();

    let (id, _) = session.request("initialize", vscode_initialize(None))?;
    let initialized = session.wait("initialize result", |m| {
        m["id"] == json!(id) && m.get("result").is_some()
    })?;
    figures.initialize = ms(initialized.at - session.started);
    session.notify("initialized", json!({}))?;

    let sent = session.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
    )?;
    figures.open = ms(session.wait_diagnostics(&uri, sent)?.1);

    let typed_line = blank_line_near_middle(&text)?;
    let mut change_times = Vec::new();
    let mut diagnostics = Vec::new();
    for (column, character) in TYPED.chars().take(config.edits).enumerate() {
        let version = column as i64 + 2;
        let position = json!({"line": typed_line, "character": column});
        let sent = session.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": position, "end": position}, "rangeLength": 0, "text": character.to_string()}]
            }),
        )?;
        let (published, elapsed) = session.wait_diagnostics(&uri, sent)?;
        change_times.push(elapsed);
        diagnostics = published;
    }
    figures.change_p50 = percentile(&change_times, 0.5);
    figures.change_p95 = percentile(&change_times, 0.95);
    figures.final_diagnostics = diagnostics.len();

    let document = json!({"uri": uri});
    let hover_line = line_starting_with(&text, typed_line, "RUN ")?;
    let mut hovers = Vec::new();
    let mut completions = Vec::new();
    let mut code_actions = Vec::new();
    // Code actions for the line typed into, with the diagnostics published on it, as
    // VS Code asks when the cursor rests there.
    let on_typed_line: Vec<Value> = diagnostics
        .iter()
        .filter(|d| d["range"]["start"]["line"] == json!(typed_line))
        .cloned()
        .collect();
    for _ in 0..config.samples {
        let position = json!({"line": hover_line, "character": 1});
        hovers.push(
            session
                .timed_request(
                    "textDocument/hover",
                    json!({"textDocument": document, "position": position}),
                )?
                .1,
        );
        let position = json!({"line": typed_line, "character": 2});
        completions.push(
            session
                .timed_request(
                    "textDocument/completion",
                    json!({"textDocument": document, "position": position, "context": {"triggerKind": 1}}),
                )?
                .1,
        );
        let range = json!({"start": {"line": typed_line, "character": 0}, "end": {"line": typed_line, "character": 0}});
        code_actions.push(
            session
                .timed_request(
                    "textDocument/codeAction",
                    json!({"textDocument": document, "range": range, "context": {"diagnostics": on_typed_line, "triggerKind": 2}}),
                )?
                .1,
        );
    }
    figures.hover_p50 = percentile(&hovers, 0.5);
    figures.completion_p50 = percentile(&completions, 0.5);
    figures.code_action_p50 = percentile(&code_actions, 0.5);
    figures.rss_mb = session.peak_rss_mb().unwrap_or(f64::NAN);
    session.finish();
    Ok(figures)
}

/// Dockside on the generated 2,000-project solution: time from `initialized` to the end of
/// the indexing progress, and the latency of a document symbol request sent right after
/// `initialized`, answered while indexing runs.
struct IndexFigures {
    index: f64,
    request_during_index: f64,
    answered_before_index_end: bool,
}

fn measure_workspace_index(config: &Config) -> Result<IndexFigures, String> {
    let dir = std::env::temp_dir().join(format!("dockside-side-by-side-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    solution::generate(&dir).map_err(|e| format!("cannot write the solution: {e}"))?;
    let result = (|| {
        let mut session = Session::start(ServerKind::Dockside, config, &[])?;
        let (id, _) = session.request("initialize", vscode_initialize(Some(&dir)))?;
        session.wait("initialize result", |m| m["id"] == json!(id))?;
        let started = session.notify("initialized", json!({}))?;
        let uri = format!(
            "file://{}/src/Group00/Project0000/Dockerfile",
            dir.display()
        );
        session.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": generated_dockerfile(300)}}),
        )?;
        let (symbols_id, symbols_sent) = session.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )?;
        let mut answered = None;
        let mut ended = None;
        while answered.is_none() || ended.is_none() {
            let received = session.wait("symbols and indexing end", |m| {
                m["id"] == json!(symbols_id) && m.get("method").is_none()
                    || m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
            })?;
            if received.message["method"] == "$/progress" {
                ended = Some(received.at);
            } else {
                answered = Some(received.at);
            }
        }
        let (answered, ended) = (answered.unwrap_or(started), ended.unwrap_or(started));
        session.finish();
        Ok(IndexFigures {
            index: ms(ended - started),
            request_during_index: ms(answered - symbols_sent),
            answered_before_index_end: answered < ended,
        })
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn machine_description() -> String {
    let run = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    };
    let lscpu = run("lscpu", &[]);
    let field = |name: &str| {
        lscpu
            .lines()
            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string()))
            .unwrap_or_else(|| "unknown".to_string())
    };
    let memory = run("free", &["-h"])
        .lines()
        .find(|l| l.starts_with("Mem:"))
        .and_then(|l| l.split_whitespace().nth(1).map(str::to_string))
        .unwrap_or_else(|| "unknown".to_string());
    let node = run("node", &["--version"]);
    format!(
        "{} ({}), {} CPUs online (`nproc`: {}), {} RAM; Linux {}; Node {}; load average at start {}",
        field("Model name:"),
        field("Architecture:"),
        field("CPU(s):"),
        run("nproc", &[]).trim(),
        memory,
        run("uname", &["-r"]).trim(),
        node.trim(),
        std::fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|l| l.split_whitespace().next().map(str::to_string))
            .unwrap_or_else(|| "unknown".to_string()),
    )
}

fn format_ms(value: f64) -> String {
    if value.is_nan() {
        "–".to_string()
    } else if value < 10.0 {
        format!("{value:.2} ms")
    } else {
        format!("{value:.0} ms")
    }
}

fn ratio(node: f64, dockside: f64) -> String {
    if node.is_nan() || dockside.is_nan() || dockside <= 0.0 {
        "–".to_string()
    } else {
        let ratio = node / dockside;
        if ratio < 10.0 {
            format!("{ratio:.1}×")
        } else {
            format!("{ratio:.0}×")
        }
    }
}

type Row = (usize, Figures, Option<Figures>);
/// A table row: its name, how to read it from the figures, and whether it is a size in MB.
type Measure = (&'static str, fn(&Figures) -> f64, bool);

fn comparison_table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| lines | measure | Dockside | Node server | Node / Dockside |\n|---:|---|---:|---:|---:|\n",
    );
    for (lines, dockside, node) in rows {
        let measures: [Measure; 8] = [
            ("start to initialize result", |f| f.initialize, false),
            ("didOpen to diagnostics", |f| f.open, false),
            ("didChange to diagnostics p50", |f| f.change_p50, false),
            ("didChange to diagnostics p95", |f| f.change_p95, false),
            ("hover p50", |f| f.hover_p50, false),
            ("completion p50", |f| f.completion_p50, false),
            ("codeAction p50", |f| f.code_action_p50, false),
            ("peak RSS (VmHWM)", |f| f.rss_mb, true),
        ];
        for (name, get, is_memory) in measures {
            let show = |value: f64| {
                if is_memory {
                    format!("{value:.1} MB")
                } else {
                    format_ms(value)
                }
            };
            let node_value = node.as_ref().map(get).unwrap_or(f64::NAN);
            out.push_str(&format!(
                "| {lines} | {name} | {} | {} | {} |\n",
                show(get(dockside)),
                if node.is_some() {
                    show(node_value)
                } else {
                    "–".to_string()
                },
                ratio(node_value, get(dockside)),
            ));
        }
    }
    out
}

fn targets_table(rows: &[Row], index: Option<&Result<IndexFigures, String>>) -> String {
    let find = |lines: usize| rows.iter().find(|(l, _, _)| *l == lines).map(|(_, d, _)| d);
    let mut out = String::from(
        "| measure | Dockside target | Dockside measured | met |\n|---|---:|---:|---|\n",
    );
    let mut row = |name: String, target: f64, value: Option<f64>, unit: &str| {
        let (measured, met) = match value {
            Some(v) if !v.is_nan() => (
                if unit == "MB" {
                    format!("{v:.1} MB")
                } else {
                    format_ms(v)
                },
                if v < target { "yes" } else { "**no**" },
            ),
            _ => ("not measured".to_string(), "–"),
        };
        out.push_str(&format!(
            "| {name} | < {target} {unit} | {measured} | {met} |\n"
        ));
    };
    for (lines, target) in [(30, 1.0), (3_000, 10.0), (30_000, 100.0)] {
        row(
            format!("didOpen to diagnostics, {lines} lines"),
            target,
            find(lines).map(|f| f.open),
            "ms",
        );
    }
    for (lines, target) in [(3_000, 5.0), (30_000, 50.0)] {
        row(
            format!("didChange to diagnostics p95, {lines} lines"),
            target,
            find(lines).map(|f| f.change_p95),
            "ms",
        );
    }
    row(
        "hover p50, 3000 lines".to_string(),
        1.0,
        find(3_000).map(|f| f.hover_p50),
        "ms",
    );
    row(
        "peak RSS, 3000-line document open".to_string(),
        30.0,
        find(3_000).map(|f| f.rss_mb),
        "MB",
    );
    let start = rows
        .iter()
        .map(|(_, d, _)| d.initialize)
        .fold(f64::NAN, f64::min);
    row(
        "start to initialize result (best of the runs above)".to_string(),
        20.0,
        Some(start),
        "ms",
    );
    match index {
        Some(Ok(index)) => {
            row(
                format!("index a {}-project solution", solution::PROJECTS),
                500.0,
                Some(index.index),
                "ms",
            );
            out.push_str(&format!(
                "| documentSymbol sent at `initialized`, while indexing | answered before the index is done | {} | {} |\n",
                format_ms(index.request_during_index),
                if index.answered_before_index_end { "yes" } else { "**no**" }
            ));
        }
        Some(Err(error)) => out.push_str(&format!(
            "| index a 2000-project solution | < 500 ms | failed: {error} | **no** |\n"
        )),
        None => out.push_str("| index a 2000-project solution | < 500 ms | not measured | – |\n"),
    }
    out
}

/// Replaces (or appends) the side-by-side section of the report, up to the next `## `.
fn write_report(path: &Path, section: &str) -> Result<(), String> {
    let existing = std::fs::read_to_string(path).unwrap_or_else(|_| "# Performance\n".to_string());
    let updated = match existing.find(SECTION_TITLE) {
        Some(start) => {
            let after = start + SECTION_TITLE.len();
            let end = existing[after..]
                .find("\n## ")
                .map_or(existing.len(), |i| after + i + 1);
            {
                // The section ends with one blank line before the next heading.
                let rest = &existing[end..];
                let gap = if rest.is_empty() { "" } else { "\n" };
                format!(
                    "{}{}{gap}{rest}",
                    &existing[..start],
                    section.trim_end_matches('\n').to_string() + "\n"
                )
            }
        }
        None => format!(
            "{}\n{}",
            existing.trim_end_matches('\n').to_string() + "\n",
            section
        ),
    };
    std::fs::write(path, updated).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn run() -> Result<(), String> {
    let config = Config::from_env()?;
    let started = Instant::now();
    let machine = machine_description();
    eprintln!("side_by_side: {machine}");
    let mut rows: Vec<Row> = Vec::new();
    for (round, &lines) in config.sizes.iter().enumerate() {
        // Alternate which server goes first, so neither always meets a warmer page cache.
        let mut order = vec![ServerKind::Dockside];
        if config.node_server.is_some() {
            order.push(ServerKind::Node);
        }
        if round % 2 == 1 {
            order.reverse();
        }
        let mut dockside = None;
        let mut node = None;
        for kind in order {
            eprintln!("side_by_side: {} lines, {}", lines, kind.name());
            let figures = measure_document(kind, &config, lines)?;
            match kind {
                ServerKind::Dockside => dockside = Some(figures),
                ServerKind::Node => node = Some(figures),
            }
        }
        let dockside = dockside.ok_or("Dockside was not measured")?;
        rows.push((lines, dockside, node));
    }
    let index = config.workspace.then(|| {
        eprintln!(
            "side_by_side: Dockside indexing a {}-project solution",
            solution::PROJECTS
        );
        measure_workspace_index(&config)
    });
    let node_version = config
        .node_server
        .as_ref()
        .and_then(|script| {
            let package = script.parent()?.parent()?.join("package.json");
            let text = std::fs::read_to_string(package).ok()?;
            let manifest: Value = serde_json::from_str(&text).ok()?;
            manifest["version"].as_str().map(str::to_string)
        })
        .unwrap_or_else(|| "not run".to_string());
    let date = dockside::analysis::today_utc();
    let section = format!(
        "{SECTION_TITLE}\n\n\
         Measured {date} with `bash bench/side-by-side.sh` (total run time {:.0} s) on: {machine}.\n\n\
         Both servers run as fresh processes per document size, driven over stdio like VS Code \
         (its capabilities, `workspace/configuration` answered with defaults), alternating which \
         goes first. Documents: `generated_dockerfile(lines)` (multi-stage .NET: ARGs, restore \
         layers with JSON-form COPY of the csproj files, `dotnet publish` with continuations, \
         heredocs, comments). didChange: {} single-character insertions typed into a blank line in \
         the middle, each waiting for its diagnostics; hover on a `RUN` keyword, completion after \
         `RU`, codeAction on the typed line: {} requests each. Node server: \
         `dockerfile-language-server-nodejs` {node_version}.\n\n\
         {}\n\
         ### Against the targets of issue 9\n\n{}",
        started.elapsed().as_secs_f64(),
        config.edits,
        config.samples,
        comparison_table(&rows),
        targets_table(&rows, index.as_ref()),
    );
    println!("{section}");
    if let Some(report) = &config.report {
        write_report(report, &section)?;
        eprintln!("side_by_side: wrote {}", report.display());
    }
    Ok(())
}

fn main() {
    if let Err(error) = run() {
        eprintln!("side_by_side: error: {error}");
        std::process::exit(1);
    }
}
