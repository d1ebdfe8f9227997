use super::{Rule, declare_rule};
use crate::check::{Context, Issue};

declare_rule! {
    /// ## What it does
    /// Reports the same tag given twice to one command or test.
    ///
    /// ## Why is this bad?
    /// Each tag may appear once; servers reject the script. A repeated tag
    /// with different arguments (`:days 1 … :days 7`) leaves the reader
    /// guessing which one was meant.
    ///
    /// ## Example
    /// ```sieve
    /// if header :is :is "x-spam" "yes" { discard; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// if header :is "x-spam" "yes" { discard; }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §2.6.2
    ///
    /// ## Severity
    /// Error: RFC 5228 §2.6: it is an error "to use a tagged or optional
    /// argument more than once".
    pub struct DuplicateTag {
        code: "SL0302",
        name: "duplicate-tag",
        severity: Error,
        summary: "the same tag given twice",
    }
}

impl Rule for DuplicateTag {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for (u, issue) in model.issues() {
            let Issue::DuplicateTag { tag, first } = issue else {
                continue;
            };
            cx.report(
                tag.span,
                format!("`:{}` is given twice to `{}`", tag.name, u.node.name().name),
            )
            .with_primary_label("again")
            .with_label(first.span, "first given here")
            .with_help("keep one of them");
        }
    }
}
