use super::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// With `--server URL --server-check`, shows each warning the server's
    /// CHECKSCRIPT answers — `OK (WARNINGS) "line N: warning: …"` —
    /// located at line N, in the server's words, named by the server's
    /// IMPLEMENTATION string.
    ///
    /// ## Why is this bad?
    /// The server accepts the script but expects trouble with it: a
    /// deprecated extension, a construct that fails at delivery.
    ///
    /// ## Example
    /// On a Dovecot server, a script that Pigeonhole warns about:
    /// ```sieve
    /// require "imapflags";
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "imap4flags";
    /// ```
    ///
    /// ## RFC
    /// RFC 5804 §2.12 (CHECKSCRIPT, the WARNINGS response code)
    ///
    /// ## Severity
    /// Warning: the server accepts the script (RFC 5804 §2.12: OK
    /// (WARNINGS)) but says it may not work as meant.
    pub struct ServerWarning {
        code: "SL0251",
        name: "server-warning",
        severity: Warning,
        summary: "the server warns about the script (CHECKSCRIPT answered OK (WARNINGS))",
    }
}

/// Reported from the server's answer (`managesieve::verdict`), not by a check.
impl Rule for ServerWarning {}
