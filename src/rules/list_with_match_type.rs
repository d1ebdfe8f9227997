use super::{Rule, declare_rule};
use crate::check::Context;

declare_rule! {
    /// ## What it does
    /// Reports `:list` together with another match type (`:is`,
    /// `:contains`, `:matches`, `:regex`, `:value`, `:count`).
    ///
    /// ## Why is this bad?
    /// `:list` is itself a match type: a test has one. The server rejects
    /// the script.
    ///
    /// ## Example
    /// ```sieve
    /// require "extlists";
    /// if header :is :list "from" ":addrbook:default" { keep; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "extlists";
    /// if header :list "from" ":addrbook:default" { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 6134 §2.2; RFC 5228 §2.7.1
    ///
    /// ## Severity
    /// Error: RFC 6134 §2.2 makes `:list` a match type, and RFC 5228 §2.7.1:
    /// "It is an error to give more than one of these arguments to a given
    /// command."
    pub struct ListWithMatchType {
        code: "SL0102",
        name: "list-with-match-type",
        severity: Error,
        summary: "`:list` together with another match type",
    }
}

impl Rule for ListWithMatchType {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for u in &model.uses {
            let Some(list) = u.binding.tags.iter().find(|t| t.entry.spec.name == "list") else {
                continue;
            };
            for other in u
                .binding
                .tags
                .iter()
                .filter(|t| t.entry.exclusive == Some("match type"))
            {
                cx.report(
                    other.tag.span,
                    format!("`:{}` and `:list` are both match types", other.tag.name),
                )
                .with_primary_label("another match type")
                .with_label(list.tag.span, "`:list` is the match type")
                .with_help(format!(
                    "keep `:list` to look values up in a list, or `:{}` to compare with the keys",
                    other.tag.name
                ));
            }
        }
    }
}
