use super::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports text that does not follow the Sieve grammar: a missing `;`,
    /// an unterminated string or comment, a `text:` string without its
    /// closing `.` line, a misplaced comma or bracket, a stray `}`.
    ///
    /// ## Why is this bad?
    /// A server refuses to store or run a script that does not parse: mail
    /// falls back to plain delivery and none of the filter runs. sieve-lint
    /// recovers after each error and reports every one in a single run.
    ///
    /// ## Example
    /// ```sieve
    /// if header :contains "subject" "offer" {
    ///     discard
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// if header :contains "subject" "offer" {
    ///     discard;
    /// }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §8 (grammar)
    ///
    /// ## Severity
    /// Error, and not configurable: the script does not follow the grammar of
    /// RFC 5228 §8.
    pub struct SyntaxError {
        code: "SL0001",
        name: "syntax-error",
        severity: Error,
        summary: "the script does not follow the Sieve grammar",
    }
}

impl Rule for SyntaxError {}
