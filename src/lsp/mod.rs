//! `sieve-lint lsp`: a language server over standard input and output.
//!
//! Built on `lsp-server` and `lsp-types`, with the synchronous design of
//! ruff's server: one thread reads the messages in order ([`server`]).
//! What it offers:
//!
//! * full and incremental text sync, positions in UTF-8 when the client
//!   offers it, else UTF-16 ([`document`]);
//! * diagnostics on open and on every change, as `check` reports them, with
//!   the settings of each document's nearest `sieve-lint.toml`
//!   ([`diagnostics`]);
//! * code actions: each fix, suppressions, `source.fixAll.sieve-lint`
//!   ([`actions`]);
//! * hover: a finding's rule documentation, a command's, test's or tag's
//!   signature and RFC section ([`hover`]);
//! * outline, folding ranges, go to definition of variables and included
//!   scripts ([`navigation`]);
//! * completion: commands, tests, tags, capabilities and argument values,
//!   with the `require` they need ([`completion`]);
//! * semantic tokens for editors without a Sieve grammar ([`semantic`]).

// `lsp_types::Uri` (fluent-uri) caches its parse in a `Cell`: clippy calls
// it a mutable key, but its hash and equality are those of its text.
#![allow(clippy::mutable_key_type)]

pub mod actions;
pub mod completion;
pub mod diagnostics;
pub mod document;
pub mod hover;
pub mod navigation;
pub mod semantic;
pub mod server;

pub use server::{Exit, serve};

/// Serves on standard input and output until `exit` or the end of input.
pub fn run_stdio() -> Result<Exit, String> {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    let exit = serve(&connection)?;
    // The writer thread ends when the last sender is dropped.
    drop(connection);
    io_threads.join().map_err(|e| e.to_string())?;
    Ok(exit)
}

/// `sieve-lint lsp`: exit code 0 after `shutdown` and `exit` or when the
/// input closes, 1 after `exit` without `shutdown` (as the protocol asks),
/// 2 when the connection failed (said on standard error: standard output
/// is the protocol's).
pub fn main() -> std::process::ExitCode {
    match run_stdio() {
        Ok(Exit::Clean) => std::process::ExitCode::SUCCESS,
        Ok(Exit::WithoutShutdown) => std::process::ExitCode::from(1),
        Err(e) => {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "sieve-lint lsp: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
