use super::lists_common::checked_names;
use super::{Rule, declare_rule};
use crate::check::Context;
use crate::diagnostic::show;

declare_rule! {
    /// ## What it does
    /// Reports a malformed `tag:` URI (RFC 4151): the form is
    /// `tag:<authority>,<date>:<specific>`, where the authority is a DNS
    /// name or an e-mail address and the date is `YYYY`, `YYYY-MM` or
    /// `YYYY-MM-DD` (a real date).
    ///
    /// ## Why is this bad?
    /// A malformed tag URI names no list a server can know; lookups fail at
    /// run time.
    ///
    /// ## Example
    /// ```sieve
    /// require "extlists";
    /// if header :list "from" "tag:example.com:blocked" { discard; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "extlists";
    /// if header :list "from" "tag:example.com,2024-01-15:blocked" { discard; }
    /// ```
    ///
    /// ## RFC
    /// RFC 6134 §2.5; RFC 4151 §2.1
    ///
    /// ## Severity
    /// Warning: RFC 6134 §2.5 only requires an absolute URI, which a malformed
    /// `tag:` name still is; it names no list an RFC 4151 handler can resolve,
    /// so lookups fail at delivery.
    pub struct InvalidTagUri {
        code: "SL0108",
        name: "invalid-tag-uri",
        severity: Warning,
        summary: "a malformed tag: URI",
    }
}

impl Rule for InvalidTagUri {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for (r, parsed) in checked_names(model) {
            let Err(e) = parsed else { continue };
            if !e.is_tag_uri() {
                continue;
            }
            cx.report(r.lit.span, format!("invalid list name {}: {e}", show(&r.lit.value)))
                .with_primary_label("malformed tag: URI")
                .with_help("write tag:<domain or e-mail>,<YYYY[-MM[-DD]]>:<name>, e.g. tag:example.com,2024-01-15:blocked");
        }
    }
}
