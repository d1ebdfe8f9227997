use super::lists_common::{checked_names, expansion_note};
use super::{Rule, declare_rule};
use crate::check::Context;
use crate::diagnostic::show;

declare_rule! {
    /// ## What it does
    /// Reports a list name that is not an absolute URI (RFC 3986) once the
    /// `:` shorthand is expanded: no scheme (`default`, `friends`), white
    /// space, characters that must be percent-encoded, a bad `%`
    /// sequence, or a fragment. The message shows the expanded form.
    ///
    /// ## Why is this bad?
    /// RFC 6134 list names are always absolute URIs; a server cannot look
    /// up anything else, so the test fails at run time (and the message is
    /// filed as if the list were empty, or the script errors).
    ///
    /// ## Example
    /// ```sieve
    /// require "extlists";
    /// if address :list "from" "addressbook" { keep; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "extlists";
    /// if address :list "from" ":addrbook:default" { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 6134 §2.5; RFC 3986 §4.3
    ///
    /// ## Severity
    /// Error: RFC 6134 §2.5: "A name of an externally stored list is always an
    /// absolute URI [RFC3986]."
    pub struct InvalidListName {
        code: "SL0104",
        name: "invalid-list-name",
        severity: Error,
        summary: "a list name that is not an absolute URI",
    }
}

impl Rule for InvalidListName {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for (r, parsed) in checked_names(model) {
            let Err(e) = parsed else { continue };
            if e.is_addrbook() || e.is_tag_uri() {
                continue;
            }
            let name = &r.lit.value;
            let d = cx
                .report(r.lit.span, format!("invalid list name {}: {e}", show(name)))
                .with_help(
                    "list names are absolute URIs: \":addrbook:default\" (your address book), \
                     \"tag:example.com,2024-01-01:name\", \"ldap://…\"",
                );
            match expansion_note(name, e.expanded()) {
                Some(note) => d.with_primary_label(note),
                None => d.with_primary_label("not an absolute URI"),
            };
        }
    }
}
