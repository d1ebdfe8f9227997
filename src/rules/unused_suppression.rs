use super::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a code or name in a `# sieve-lint: allow(…)` or
    /// `# sieve-lint: allow-file(…)` comment that suppresses nothing: no
    /// such diagnostic is reported on the line it speaks of (the comment's
    /// own line when code stands before it, else the next line) or, for
    /// `allow-file`, in the file. Also reported: an `allow-file` after the
    /// first command (it only works at the top), and an allow of a rule
    /// that cannot be suppressed — syntax errors (`syntax-error`,
    /// `invalid-utf8`, `nesting-too-deep`) never are, and this rule and
    /// `unknown-rule-in-suppression` only with `allow-file`.
    ///
    /// Not reported when the script has syntax errors: rules that conclude
    /// from absence stay quiet then, so an allow may look unused.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next real finding of that rule on the
    /// line, and it tells the reader of a problem that is not there.
    ///
    /// ## Example
    /// ```sieve
    /// # sieve-lint: allow(unused-require)
    /// require "fileinto";
    /// fileinto "Archive";
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "fileinto";
    /// fileinto "Archive";
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §2.3 (comments)
    ///
    /// ## Severity
    /// Warning: about sieve-lint's own comments, never about Sieve.
    pub struct UnusedSuppression {
        code: "SL0212",
        name: "unused-suppression",
        severity: Warning,
        summary: "a suppression comment suppresses nothing",
    }
}

/// Reported by the suppression pass (`check::suppress`), after every rule.
impl Rule for UnusedSuppression {}
