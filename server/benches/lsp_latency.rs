//! Diagnostics latency through the real language server, over stdio as an editor drives it:
//! `didOpen` to its `publishDiagnostics`, and an incremental one-character `didChange` to the
//! diagnostics of that version (p50 and p95), for generated 30-, 3,000- and 30,000-line
//! Dockerfiles, alone and as the Dockerfile of a generated solution (one web project per
//! service, each referencing a shared library; 910 projects at 30,000 lines), which the server
//! indexes when it starts and the solution-aware rules read. Run with
//! `cargo bench --bench lsp_latency`.
//!
//! The clock runs from the first byte of the notification written to the last byte of the
//! diagnostics read: the server's latency as the editor's transport sees it. What this client
//! spends encoding the notification and decoding the answer into `serde_json::Value` is the
//! editor's own cost; the didOpen figure with it included is printed as well.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use dockside::bench_support::{generated_dockerfile, services};
use serde_json::{json, Value};

/// The document of the bare rows: a path with nothing on disk.
const URI: &str = "file:///bench/Dockerfile";

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Server {
    /// The server, initialized with `root` as its workspace folder when there is one.
    fn start(root: Option<&Path>) -> Result<Server, String> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dockside"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        let mut server = Server {
            child,
            stdin,
            stdout,
        };
        let mut params = json!({"capabilities": {"general": {"positionEncodings": ["utf-16"]}}});
        if let Some(root) = root {
            let uri = format!("file://{}", root.display());
            params["rootUri"] = json!(uri);
            params["workspaceFolders"] = json!([{"uri": uri, "name": "bench"}]);
        }
        server.send(&json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": params}))?;
        server.wait_for(|m| m["id"] == 1)?;
        server.send(&json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}))?;
        Ok(server)
    }

    fn send(&mut self, message: &Value) -> Result<(), String> {
        self.send_encoded(&encode(message))
    }

    fn send_encoded(&mut self, encoded: &[u8]) -> Result<(), String> {
        self.stdin
            .write_all(encoded)
            .and_then(|_| self.stdin.flush())
            .map_err(|e| e.to_string())
    }

    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Result<Value, String> {
        self.wait_for_timed(wanted).map(|(message, _)| message)
    }

    /// The first message `wanted` accepts, with the moment its last byte was read.
    fn wait_for_timed(
        &mut self,
        wanted: impl Fn(&Value) -> bool,
    ) -> Result<(Value, Instant), String> {
        loop {
            let mut length = None;
            loop {
                let mut line = String::new();
                if self
                    .stdout
                    .read_line(&mut line)
                    .map_err(|e| e.to_string())?
                    == 0
                {
                    return Err("the server closed stdout".to_string());
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(value) = line.strip_prefix("Content-Length: ") {
                    length = value.parse::<usize>().ok();
                }
            }
            let mut body = vec![0; length.ok_or("no Content-Length")?];
            self.stdout
                .read_exact(&mut body)
                .map_err(|e| e.to_string())?;
            let arrived = Instant::now();
            let message: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
            if wanted(&message) {
                return Ok((message, arrived));
            }
        }
    }

    /// The diagnostics of `version`, with the moment they arrived.
    fn diagnostics_of(&mut self, version: i64) -> Result<(Value, Instant), String> {
        self.wait_for_timed(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version
        })
    }
}

/// A message framed as the base protocol sends it.
fn encode(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body.as_bytes());
    framed
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn percentile(samples: &mut [Duration], q: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() - 1) as f64 * q).round() as usize;
    samples.get(index).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// The samples of one file size.
struct Samples {
    open: Vec<Duration>,
    /// didOpen with this client's encoding of the notification and decoding of the answer.
    open_with_client_json: Vec<Duration>,
    change: Vec<Duration>,
    diagnostics: usize,
}

/// The samples of `lines` lines, alone or (`in_solution`) as the Dockerfile at the root of its
/// generated solution, in a temporary directory.
fn measure(
    lines: usize,
    opens: usize,
    changes: usize,
    in_solution: bool,
) -> Result<Samples, String> {
    let text = generated_dockerfile(lines);
    let solution = if in_solution {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let count = text.matches("# Service ").count().max(1);
        services::generate(dir.path(), count, &text).map_err(|e| e.to_string())?;
        Some(dir)
    } else {
        None
    };
    let root = solution.as_ref().map(|dir| dir.path());
    let uri = root.map_or(URI.to_string(), |root| {
        format!("file://{}", root.join("Dockerfile").display())
    });
    let uri = uri.as_str();
    let mut server = Server::start(root)?;
    let mut open_times = Vec::new();
    let mut open_with_client_json = Vec::new();
    let mut count = 0;
    for _ in 0..opens {
        let encoding = Instant::now();
        let did_open = encode(&json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
            "text": text}}}));
        let started = Instant::now();
        server.send_encoded(&did_open)?;
        let (published, arrived) = server.diagnostics_of(1)?;
        open_times.push(arrived - started);
        open_with_client_json.push(encoding.elapsed());
        count = published["params"]["diagnostics"]
            .as_array()
            .map_or(0, Vec::len);
        server.send(&json!({"jsonrpc": "2.0", "method": "textDocument/didClose",
            "params": {"textDocument": {"uri": uri}}}))?;
    }
    server.send(
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}}),
    )?;
    server.diagnostics_of(1)?;
    // Types and deletes a character at the end of a line in the middle of the file.
    let line = (lines / 2) as u32;
    let column = text
        .lines()
        .nth(line as usize)
        .map_or(0, |l| l.encode_utf16().count()) as u32;
    let mut change_times = Vec::new();
    for n in 0..changes {
        let version = n as i64 + 2;
        let change = if n % 2 == 0 {
            json!({"range": {"start": {"line": line, "character": column},
                "end": {"line": line, "character": column}}, "text": "x"})
        } else {
            json!({"range": {"start": {"line": line, "character": column},
                "end": {"line": line, "character": column + 1}}, "text": ""})
        };
        let did_change = encode(
            &json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": {"textDocument": {"uri": uri, "version": version},
            "contentChanges": [change]}}),
        );
        let started = Instant::now();
        server.send_encoded(&did_change)?;
        let (_, arrived) = server.diagnostics_of(version)?;
        change_times.push(arrived - started);
    }
    Ok(Samples {
        open: open_times,
        open_with_client_json,
        change: change_times,
        diagnostics: count,
    })
}

fn main() {
    println!("| lines | solution | diagnostics | didOpen to diagnostics p50 | p95 | didChange to diagnostics p50 | p95 | didOpen p50 with this client's JSON |");
    println!("|---|---|---|---|---|---|---|---|");
    let sizes = [(30, 101, 201), (3_000, 51, 201), (30_000, 21, 61)];
    let rows = sizes
        .iter()
        .map(|&size| (size, false))
        .chain(sizes.iter().map(|&size| (size, true)));
    for ((lines, opens, changes), in_solution) in rows {
        match measure(lines, opens, changes, in_solution) {
            Ok(mut samples) => println!(
                "| {lines} | {} | {} | {} | {} | {} | {} | {} |",
                if in_solution { "yes" } else { "no" },
                samples.diagnostics,
                ms(percentile(&mut samples.open, 0.5)),
                ms(percentile(&mut samples.open, 0.95)),
                ms(percentile(&mut samples.change, 0.5)),
                ms(percentile(&mut samples.change, 0.95)),
                ms(percentile(&mut samples.open_with_client_json, 0.5)),
            ),
            Err(error) => {
                eprintln!("lsp_latency bench: {error}");
                std::process::exit(1);
            }
        }
    }
}
