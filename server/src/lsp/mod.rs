//! The protocol layer: stdio transport, document store, position encoding, capability
//! wiring. Features live in `ide/` as plain functions; this layer only converts.
//!
//! Behaviour on bad input, in short:
//! - A body that is not JSON gets an error response with `"id": null` (ParseError); a JSON
//!   body that is not a JSON-RPC message gets InvalidRequest (with its id when it has one).
//!   Bytes that are not a message header are skipped up to the next `Content-Length`
//!   header. All of these are logged, and the server keeps running.
//! - Requests before `initialize` get ServerNotInitialized, a second `initialize` and any
//!   request after `shutdown` get InvalidRequest, unknown requests MethodNotFound.
//! - Edits outside the document are clamped and logged; a `didChange` for a document that
//!   is not open is logged and ignored; requests on such a document get a `null` result.
//! - A panic in a request handler becomes an InternalError response; in the analysis, a
//!   logged error and empty diagnostics.
//! - Exit code: 0 for `exit` after `shutdown` (or end of input after `shutdown`), 1 for
//!   `exit` without `shutdown` or end of input without `exit`.

mod code_actions;
mod commands;
mod convert;
mod documents;
mod features;
#[doc(hidden)]
pub mod fuzzing;
mod position;
mod registry;
mod server;
mod transport;
mod workspace;

/// Serves LSP over stdin/stdout until `exit`; returns the process exit code.
pub fn run_stdio() -> i32 {
    let (incoming, outgoing, io_threads) = match transport::stdio() {
        Ok(transport) => transport,
        Err(error) => {
            eprintln!("dockside: error: cannot start the stdio threads: {error}");
            return 1;
        }
    };
    // The image catalog is parsed on first use, which would otherwise be the first
    // analysis: the client's first `didOpen` comes a few milliseconds after `initialize`.
    let _ = std::thread::Builder::new()
        .name("dockside-catalog".into())
        .spawn(|| {
            crate::images::Catalog::embedded();
        });
    // `run` consumes the server and with it the last sender of outgoing messages, which
    // lets the writer thread finish once everything is written.
    let code = server::Server::new(outgoing).run(incoming);
    io_threads.finish();
    code
}
