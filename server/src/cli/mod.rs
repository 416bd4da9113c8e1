//! The command line: `dockside lsp` (also `dockside --stdio`), `dockside check`, ...

pub mod check;

const USAGE: &str = "\
Dockside: language server and linter for the Dockerfiles of .NET solutions

Usage:
  dockside lsp                 serve the Language Server Protocol on stdin/stdout
  dockside --stdio             the same (what editor clients pass)
  dockside check [PATH...]     lint Dockerfiles under PATHs (default: current directory)
  dockside --version           print the version

Run `dockside check --help` for the options of check.";

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    run(&args)
}

pub fn run(args: &[String]) -> i32 {
    match args.first().map(String::as_str) {
        Some("lsp") | Some("--stdio") => crate::lsp::run_stdio(),
        Some("check") => check::run(&args[1..]),
        Some("--version") | Some("-V") | Some("version") => {
            println!("dockside {}", env!("CARGO_PKG_VERSION"));
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
