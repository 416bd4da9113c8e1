//! Start-up of the language server with the image catalog embedded: from spawning
//! `dockside lsp` to the `initialize` result, and to the first hover on a `FROM` image (which
//! parses the catalog on first use). Run with `cargo bench --bench startup`; times are over
//! fresh processes (median, fastest, 90th percentile).

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 31;

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// Reads frames until the response with `id`.
fn wait_for(reader: &mut impl BufRead, id: u32) -> Result<(), String> {
    let wanted = format!("\"id\":{id}");
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
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
        let length = length.ok_or("no Content-Length")?;
        let mut body = vec![0; length];
        reader.read_exact(&mut body).map_err(|e| e.to_string())?;
        let body = String::from_utf8_lossy(&body);
        if body.contains(&wanted) && body.contains("\"result\"") {
            return Ok(());
        }
    }
}

/// One fresh process: (start to initialize result, start to first hover result).
fn one_run() -> Result<(Duration, Duration), String> {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dockside"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let mut stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    stdin
        .write_all(&frame(
            r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#,
        ))
        .map_err(|e| e.to_string())?;
    stdin.flush().map_err(|e| e.to_string())?;
    wait_for(&mut stdout, 1)?;
    let initialized = started.elapsed();
    let open = r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///w/Dockerfile","languageId":"dockerfile","version":1,"text":"FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled\n"}}}"#;
    let hover = r#"{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///w/Dockerfile"},"position":{"line":0,"character":10}}}"#;
    for message in [
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        open,
        hover,
    ] {
        stdin
            .write_all(&frame(message))
            .map_err(|e| e.to_string())?;
    }
    stdin.flush().map_err(|e| e.to_string())?;
    wait_for(&mut stdout, 2)?;
    let hovered = started.elapsed();
    let _ = child.kill();
    let _ = child.wait();
    Ok((initialized, hovered))
}

fn summary(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let at = |q: f64| {
        let index = ((samples.len() - 1) as f64 * q).round() as usize;
        samples.get(index).copied().unwrap_or_default()
    };
    format!(
        "median {:.2} ms, fastest {:.2} ms, p90 {:.2} ms",
        at(0.5).as_secs_f64() * 1e3,
        at(0.0).as_secs_f64() * 1e3,
        at(0.9).as_secs_f64() * 1e3
    )
}

fn main() {
    let mut initialize = Vec::new();
    let mut first_hover = Vec::new();
    for _ in 0..RUNS {
        match one_run() {
            Ok((init, hover)) => {
                initialize.push(init);
                first_hover.push(hover);
            }
            Err(error) => {
                eprintln!("startup bench: {error}");
                std::process::exit(1);
            }
        }
    }
    println!(
        "start to initialize result ({RUNS} fresh processes): {}",
        summary(initialize)
    );
    println!(
        "start to first FROM-image hover (catalog parsed on first use): {}",
        summary(first_hover)
    );
}
