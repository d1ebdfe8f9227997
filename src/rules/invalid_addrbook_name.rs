use super::lists_common::{checked_names, expansion_note};
use super::{Rule, declare_rule};
use crate::check::Context;
use crate::diagnostic::show;

declare_rule! {
    /// ## What it does
    /// Reports an address-book URN (`urn:ietf:params:sieve:addrbook:…`, or
    /// `:addrbook:…`) without a book name, with an empty one, or with
    /// characters a URN segment may not hold (`/`, space, …).
    ///
    /// ## Why is this bad?
    /// The bare `urn:ietf:params:sieve:addrbook` names no list; a book name
    /// with a `/` is not one path segment. The server cannot resolve either.
    ///
    /// ## Example
    /// ```sieve
    /// require "extlists";
    /// if address :list "from" ":addrbook" { keep; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "extlists";
    /// if address :list "from" ":addrbook:default" { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 6134 §2.6
    ///
    /// ## Severity
    /// Error: RFC 6134 §2.6: the bare URN "has no meaning in itself. It MUST be
    /// used with sub-parameters representing the address book name", and the
    /// name is one URI segment (the ABNF of §2.6).
    pub struct InvalidAddrbookName {
        code: "SL0105",
        name: "invalid-addrbook-name",
        severity: Error,
        summary: "an address-book URN without a valid book name",
    }
}

impl Rule for InvalidAddrbookName {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for (r, parsed) in checked_names(model) {
            let Err(e) = parsed else { continue };
            if !e.is_addrbook() {
                continue;
            }
            let name = &r.lit.value;
            let label = expansion_note(name, e.expanded()).unwrap_or_else(|| "here".into());
            cx.report(
                r.lit.span,
                format!("invalid address book name {}: {e}", show(name)),
            )
            .with_primary_label(label)
            .with_help(
                "name a book after \"addrbook:\": \":addrbook:default\" is your default \
                     address book; percent-encode '/' and spaces in other names",
            );
        }
    }
}
