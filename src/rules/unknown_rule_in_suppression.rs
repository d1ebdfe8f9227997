use super::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a code or name in a `# sieve-lint: allow(…)` or
    /// `allow-file(…)` comment that is no rule. Codes (`SL0204`) and names
    /// (`unused-require`) are matched ignoring case; `sieve-lint rules`
    /// lists them all. Only `allow-file(unknown-rule-in-suppression)`
    /// silences this warning.
    ///
    /// ## Why is this bad?
    /// A misspelt suppression suppresses nothing: the diagnostic it was
    /// meant for is still reported, and the comment misleads its reader.
    ///
    /// ## Example
    /// ```sieve
    /// # sieve-lint: allow(unused-requires)
    /// require ["fileinto", "envelope"];
    /// fileinto "Archive";
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// # sieve-lint: allow(unused-require)
    /// require ["fileinto", "envelope"];
    /// fileinto "Archive";
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §2.3 (comments)
    ///
    /// ## Severity
    /// Warning: about sieve-lint's own comments, never about Sieve.
    pub struct UnknownRuleInSuppression {
        code: "SL0213",
        name: "unknown-rule-in-suppression",
        severity: Warning,
        summary: "a suppression comment names no rule",
    }
}

/// Reported by the suppression pass (`check::suppress`), after every rule.
impl Rule for UnknownRuleInSuppression {}
