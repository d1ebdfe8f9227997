use super::{Rule, declare_rule};
use crate::check::{Context, Issue};

declare_rule! {
    /// ## What it does
    /// Reports a block after a command that does not take one.
    ///
    /// ## Why is this bad?
    /// Only control commands take blocks; the server rejects the script.
    /// Usually a missing `if` or a `;` turned into `{`.
    ///
    /// ## Example
    /// ```sieve
    /// keep { stop; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// keep;
    /// stop;
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §2.9, §3.1
    ///
    /// ## Severity
    /// Error: RFC 5228 §2.9 and §8.2: a command that takes no block is followed
    /// by ";".
    pub struct UnexpectedBlock {
        code: "SL0312",
        name: "unexpected-block",
        severity: Error,
        summary: "a block after a command that takes none",
    }
}

impl Rule for UnexpectedBlock {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for (u, issue) in model.issues() {
            let Issue::UnexpectedBlock { block } = issue else {
                continue;
            };
            let name = u.node.name();
            cx.report(*block, format!("`{}` does not take a block", name.name))
                .with_primary_label("unexpected block")
                .with_label(name.span, "this command ends with ';'")
                .with_help(format!("end `{}` with ';'", name.name));
        }
    }
}
