//! The command line: `dockside lsp` (also `dockside --stdio`), `dockside check`, ...

pub mod check;
pub mod discover;
pub mod fix;
pub mod init;
pub mod output;
pub mod rules;
pub mod selection;

use std::ffi::OsString;

const USAGE: &str = "\
Dockside: language server and linter for the Dockerfiles of .NET solutions

Usage:
  dockside lsp                 serve the Language Server Protocol on stdin/stdout
  dockside --stdio             the same (what editor clients pass)
  dockside check [PATH...]     lint Dockerfiles under PATHs (default: current directory)
  dockside rules               list every rule (name, origin, severity, DL codes, fix)
  dockside explain RULE        print a rule's documentation (name or DL code)
  dockside init PROJECT        write a Dockerfile and .dockerignore for a .NET project
  dockside images [REPO]       list .NET image tags from the embedded catalog
  dockside images inspect REF  ask REF's registry for platforms, sizes, digest and tags
  dockside --version           print the version

Run `dockside <command> --help` for a command's options.";

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    // `args_os`: a path argument that is not UTF-8 must not panic.
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    run(&args)
}

pub fn run(args: &[OsString]) -> i32 {
    let command = args.first().map(|arg| arg.to_string_lossy());
    match command.as_deref() {
        Some("lsp") | Some("--stdio") => crate::lsp::run_stdio(),
        Some("check") => check::run(args.get(1..).unwrap_or_default()),
        Some("rules") => rules::run_rules(args.get(1..).unwrap_or_default()),
        Some("explain") => rules::run_explain(args.get(1..).unwrap_or_default()),
        Some("init") => init::run(args.get(1..).unwrap_or_default()),
        Some("images") => crate::images::cli::run_command(args.get(1..).unwrap_or_default()),
        Some("--version") | Some("-V") | Some("version") => {
            println!("{}", version_line());
            0
        }
        Some("--help") | Some("-h") | Some("help") => {
            println!("{USAGE}");
            0
        }
        None => {
            eprintln!("{USAGE}");
            2
        }
        Some(other) => {
            eprintln!("dockside: unknown command `{other}`\n\n{USAGE}");
            2
        }
    }
}

/// `dockside 0.1.0 (.NET image catalog 2026-08)`
pub fn version_line() -> String {
    format!(
        "dockside {} (.NET image catalog {})",
        env!("CARGO_PKG_VERSION"),
        crate::images::CATALOG_SNAPSHOT
    )
}
