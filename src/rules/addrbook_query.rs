use super::lists_common::checked_names;
use super::{Rule, declare_rule};
use crate::check::Context;
use crate::lists::NameWarning;

declare_rule! {
    /// ## What it does
    /// Reports an address-book URN with a query part
    /// (`:addrbook:default?…`).
    ///
    /// ## Why is this bad?
    /// The grammar allows a query, but no query extensions are defined:
    /// servers ignore it or reject the name, so the lookup does not do what
    /// the query suggests.
    ///
    /// ## Example
    /// ```sieve
    /// require "extlists";
    /// if address :list "from" ":addrbook:default?group=family" { keep; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "extlists";
    /// if address :list "from" ":addrbook:family" { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 6134 §2.6
    ///
    /// ## Severity
    /// Warning: RFC 6134 §2.6 defines no query extensions, so a server may
    /// ignore the query or fail the lookup at delivery; the script text is
    /// valid.
    pub struct AddrbookQuery {
        code: "SL0106",
        name: "addrbook-query",
        severity: Warning,
        summary: "an address-book URN with a query part",
    }
}

impl Rule for AddrbookQuery {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for (r, parsed) in checked_names(model) {
            let Ok(name) = parsed else { continue };
            for w in &name.warnings {
                if let NameWarning::AddrbookQuery { query } = w {
                    cx.report(
                        r.lit.span,
                        format!("address book query \"?{query}\" has no defined meaning"),
                    )
                    .with_primary_label("no query extensions are defined")
                    .with_help("drop the query, or use a separate address book for the group");
                }
            }
        }
    }
}
