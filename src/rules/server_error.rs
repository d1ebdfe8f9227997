use super::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// With `--server URL --server-check`, sieve-lint sends each script to
    /// the ManageSieve server with CHECKSCRIPT (which compiles it and
    /// stores nothing) and shows each error the server answers — `NO
    /// "line N: error: …"` — located at line N, in the server's words,
    /// named by the server's IMPLEMENTATION string.
    ///
    /// ## Why is this bad?
    /// The server refuses the script at upload: it never runs. The server
    /// is the final word on what it accepts; where it disagrees with
    /// sieve-lint, `server-disagrees` says so.
    ///
    /// ## Example
    /// On a Dovecot server without the `vnd.cyrus.log` extension:
    /// ```sieve
    /// require "vnd.cyrus.log";
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "fileinto";
    /// ```
    ///
    /// ## RFC
    /// RFC 5804 §2.12 (CHECKSCRIPT)
    ///
    /// ## Severity
    /// Error: the target server refuses the script at upload (RFC 5804
    /// §2.12: CHECKSCRIPT answers NO), which design.md makes an error.
    pub struct ServerError {
        code: "SL0250",
        name: "server-error",
        severity: Error,
        summary: "the server refuses the script (CHECKSCRIPT answered NO)",
    }
}

/// Reported from the server's answer (`managesieve::verdict`), not by a check.
impl Rule for ServerError {}
