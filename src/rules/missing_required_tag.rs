use super::{Rule, declare_rule};
use crate::check::{Context, Issue};

declare_rule! {
    /// ## What it does
    /// Reports a test that lacks a tag it cannot do without: `size` needs
    /// exactly one of `:over` and `:under`.
    ///
    /// ## Why is this bad?
    /// Without the tag the test has no meaning; the server rejects the
    /// script.
    ///
    /// ## Example
    /// ```sieve
    /// if size 1M { discard; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// if size :over 1M { discard; }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §5.9
    ///
    /// ## Severity
    /// Error: RFC 5228 §5.9 (and each extension that makes a tag mandatory):
    /// `size` "MUST" have `:over` or `:under`; the command does not follow its
    /// usage.
    pub struct MissingRequiredTag {
        code: "SL0309",
        name: "missing-required-tag",
        severity: Error,
        summary: "a test lacks a tag it requires (size :over/:under)",
    }
}

impl Rule for MissingRequiredTag {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for (u, issue) in model.issues() {
            let Issue::MissingRequiredTag { set } = issue else {
                continue;
            };
            let Some(entry) = u.entry else { continue };
            let options: Vec<String> = entry
                .tags
                .iter()
                .filter(|t| t.exclusive == Some(*set))
                .map(|t| format!("`:{}`", t.spec.name))
                .collect();
            let name = u.node.name();
            cx.report(name.span, format!("`{}` needs a {set}", name.name))
                .with_primary_label(format!("one of {} is required", options.join(" or ")))
                .with_help(format!("add {}", options.join(" or ")));
        }
    }
}
