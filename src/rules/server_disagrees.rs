use super::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// With `--server URL --server-check`: a note where the server's
    /// verdict differs from sieve-lint's — the server refuses a script in
    /// which sieve-lint found no error, or accepts one in which it found
    /// errors.
    ///
    /// ## Why is this bad?
    /// That difference is what matters before an upload: either the
    /// server lacks something its profile or sieve-lint assumes (a
    /// disabled extension, a limit), or sieve-lint is stricter than the
    /// server (the RFC says MUST, the server lets it pass). Either way,
    /// look at both messages.
    ///
    /// ## Example
    /// A script that sieve-lint passes and the server refuses because an
    /// administrator disabled `vacation`:
    /// ```sieve
    /// require "vacation";
    /// vacation "Away";
    /// ```
    ///
    /// ## Use instead
    /// Ask the administrator to enable the extension, or do without it:
    /// ```sieve
    /// keep;
    /// ```
    ///
    /// ## RFC
    /// RFC 5804 §2.12 (CHECKSCRIPT)
    ///
    /// ## Severity
    /// Info: a note about two verdicts; the server-error and sieve-lint's
    /// own diagnostics carry the severity.
    pub struct ServerDisagrees {
        code: "SL0252",
        name: "server-disagrees",
        severity: Info,
        summary: "the server's verdict differs from sieve-lint's",
    }
}

/// Reported from the server's answer (`managesieve::verdict`), not by a check.
impl Rule for ServerDisagrees {}
