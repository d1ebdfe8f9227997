use super::{Rule, declare_rule};
use crate::check::{Context, ListContext};

declare_rule! {
    /// ## What it does
    /// Reports `redirect :list` to an address book, such as
    /// `redirect :list ":addrbook:default"`.
    ///
    /// ## Why is this bad?
    /// It sends the message to everyone in the address book — usually far
    /// more people than intended, and a way to leak mail. RFC 6134's
    /// security considerations call for a warning.
    ///
    /// ## Example
    /// ```sieve
    /// require "extlists";
    /// redirect :list ":addrbook:default";
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "extlists";
    /// redirect :list "tag:example.com,2024-01-15:on-call";
    /// ```
    ///
    /// ## RFC
    /// RFC 6134 §3
    ///
    /// ## Severity
    /// Warning: valid, but RFC 6134 §3 warns that redirecting to an address
    /// book sends mail to everyone in it; almost surely a mistake.
    pub struct RedirectListAddrbook {
        code: "SL0111",
        name: "redirect-list-addrbook",
        severity: Warning,
        summary: "`redirect :list` to a whole address book",
    }
}

impl Rule for RedirectListAddrbook {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for r in &model.lists {
            if r.context != ListContext::RedirectTarget {
                continue;
            }
            let Some(Ok(name)) = &r.parsed else { continue };
            if name.is_addrbook() {
                cx.report(
                    r.lit.span,
                    "this redirects every message to everyone in the address book",
                )
                .with_primary_label(format!("the whole address book \"{}\"", name.normalized))
                .with_help("redirect to a dedicated list (a tag: URI) or to explicit addresses");
            }
        }
    }
}
