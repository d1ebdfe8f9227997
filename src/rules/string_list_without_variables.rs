use super::{Rule, declare_rule};
use crate::check::Context;

declare_rule! {
    /// ## What it does
    /// Reports `string :list` in a script that does not require
    /// "variables".
    ///
    /// ## Why is this bad?
    /// The `string` test belongs to the variables extension; RFC 6134 makes
    /// `:list` available in it only when variables is in use. Without the
    /// require the server rejects the script.
    ///
    /// ## Example
    /// ```sieve
    /// require "extlists";
    /// if string :list "${1}" "tag:example.com,2024:vip" { keep; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require ["extlists", "variables"];
    /// if string :list "${1}" "tag:example.com,2024:vip" { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 6134 §2.2; RFC 5229 §5
    ///
    /// ## Severity
    /// Error: RFC 5229 §5 defines the `string` test; without require
    /// "variables" RFC 5228 §2.10.5 applies: "implementations MUST treat it as
    /// if they did not support it at all."
    pub struct StringListWithoutVariables {
        code: "SL0113",
        name: "string-list-without-variables",
        severity: Error,
        summary: "`string :list` without require \"variables\"",
    }
}

impl Rule for StringListWithoutVariables {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        if model.is_required("variables") {
            return;
        }
        for u in &model.uses {
            if !u.node.name().is("string") || u.guarded("variables") {
                continue;
            }
            if let Some(list) = u.binding.tags.iter().find(|t| t.entry.spec.name == "list") {
                let help = super::missing_require::suggestion(cx, "variables");
                cx.report(
                    u.node.name().span,
                    "`string :list` needs require \"variables\"",
                )
                .with_primary_label("the string test is part of variables")
                .with_label(list.tag.span, "list lookup")
                .with_help(help);
            }
        }
    }
}
