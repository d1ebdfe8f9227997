use super::{Rule, declare_rule};
use crate::check::Context;

declare_rule! {
    /// ## What it does
    /// Reports the `:list` match type, `redirect :list` or the
    /// `valid_ext_list` test in a script that does not `require
    /// "extlists"` (and is not inside `if ihave "extlists"`).
    ///
    /// ## Why is this bad?
    /// Without the require, externally stored lists are not available: the
    /// server rejects the script at upload, even if the test sits in code
    /// that never runs.
    ///
    /// ## Example
    /// ```sieve
    /// require "fileinto";
    /// if address :list "from" ":addrbook:default" { fileinto "Known"; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require ["fileinto", "extlists"];
    /// if address :list "from" ":addrbook:default" { fileinto "Known"; }
    /// ```
    ///
    /// ## RFC
    /// RFC 6134 §2.1
    ///
    /// ## Severity
    /// Error: RFC 5228 §2.10.5: "If an extension is not enabled with
    /// "require", implementations MUST treat it as if they did not support it
    /// at all."
    pub struct ListWithoutExtlists {
        code: "SL0100",
        name: "list-without-extlists",
        severity: Error,
        summary: "`:list`, `redirect :list` or `valid_ext_list` without require \"extlists\"",
    }
}

impl Rule for ListWithoutExtlists {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        if model.is_required("extlists") {
            return;
        }
        for u in &model.uses {
            if u.guarded("extlists") {
                continue;
            }
            let name = u.node.name();
            let span = if name.is("valid_ext_list") && u.entry.is_some() {
                Some((name.span, "`valid_ext_list`".to_owned()))
            } else {
                u.binding
                    .tags
                    .iter()
                    .find(|t| t.entry.capability == "extlists")
                    .map(|t| (t.tag.span, format!("`{} :list`", name.name)))
            };
            if let Some((span, what)) = span {
                let help = super::missing_require::suggestion(cx, "extlists");
                cx.report(span, format!("{what} needs require \"extlists\""))
                    .with_primary_label("externally stored lists are an extension")
                    .with_help(help);
            }
        }
    }
}
