//! The protocol layer: stdio transport, document store, position encoding, capability wiring.

/// Serves LSP over stdin/stdout until `exit`; returns the process exit code.
pub fn run_stdio() -> i32 {
    eprintln!("dockside: the language server is not built yet");
    1
}
