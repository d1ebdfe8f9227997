use super::{Rule, declare_rule};
use crate::check::{Context, Issue};

declare_rule! {
    /// ## What it does
    /// Reports `if`, `elsif` or `else` ended with `;` instead of a block.
    ///
    /// ## Why is this bad?
    /// Control commands take a block of commands in braces; `if true;` is
    /// rejected by the server.
    ///
    /// ## Example
    /// ```sieve
    /// if header :contains "subject" "spam";
    /// discard;
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// if header :contains "subject" "spam" {
    ///     discard;
    /// }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §3.1
    ///
    /// ## Severity
    /// Error: RFC 5228 §3.1 and §8.2: the grammar gives `if`, `elsif`, `else`
    /// (and block commands of extensions) a block.
    pub struct MissingBlock {
        code: "SL0311",
        name: "missing-block",
        severity: Error,
        summary: "a control command without its block",
    }
}

impl Rule for MissingBlock {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for (u, issue) in model.issues() {
            let Issue::MissingBlock = issue else { continue };
            let name = u.node.name();
            cx.report(
                name.span,
                format!("`{}` must be followed by a block", name.name),
            )
            .with_primary_label("no block")
            .with_help("put the commands to run in braces: { … }");
        }
    }
}
