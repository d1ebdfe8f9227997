use super::{Rule, declare_rule};
use crate::check::{Context, ListContext};
use crate::diagnostic::show;

declare_rule! {
    /// ## What it does
    /// Reports names given to `valid_ext_list` that can never be valid: not
    /// absolute URIs, address-book URNs without a book, malformed `tag:`
    /// URIs, or (with `--list-schemes`) schemes the server does not support.
    ///
    /// ## Why is this bad?
    /// `valid_ext_list` is true only if every name is valid; with such a
    /// name the test is always false, and the branch it guards never runs.
    ///
    /// ## Example
    /// ```sieve
    /// require "extlists";
    /// if valid_ext_list "friends" { keep; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "extlists";
    /// if valid_ext_list ":addrbook:friends" { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 6134 §2.7
    ///
    /// ## Severity
    /// Warning: the script is valid; `valid_ext_list` (RFC 6134 §2.7) is then
    /// always false, which is almost surely a mistake.
    pub struct NeverValidExtList {
        code: "SL0112",
        name: "never-valid-ext-list",
        severity: Warning,
        summary: "`valid_ext_list` with a name that can never be valid",
    }
}

impl Rule for NeverValidExtList {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        let schemes = cx.options.effective_list_schemes();
        for r in &model.lists {
            if r.context != ListContext::ValidExtList {
                continue;
            }
            let reason = match &r.parsed {
                None => continue,
                Some(Err(e)) => e.to_string(),
                Some(Ok(n)) => match &schemes {
                    Some(s) if !s.iter().any(|x| x.eq_ignore_ascii_case(&n.scheme)) => {
                        format!("the server does not support \"{}:\" lists", n.scheme)
                    }
                    _ => continue,
                },
            };
            cx.report(r.lit.span, format!("{} can never be a valid list: {reason}", show(&r.lit.value)))
                .with_primary_label("valid_ext_list is always false with this name")
                .with_help("list names are absolute URIs such as \":addrbook:default\" or \"tag:example.com,2024:name\"");
        }
    }
}
