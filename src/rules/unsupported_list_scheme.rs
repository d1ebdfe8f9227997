use super::lists_common::checked_names;
use super::{Rule, declare_rule};
use crate::check::Context;
use crate::diagnostic::show;

declare_rule! {
    /// ## What it does
    /// With `--list-schemes` (the URI schemes the target server supports
    /// for lists, as its ManageSieve EXTLISTS capability announces them),
    /// reports list names of any other scheme.
    ///
    /// ## Why is this bad?
    /// Which kinds of list exist is the server's choice; a name of another
    /// scheme can never be queried there, and the test fails at run time.
    ///
    /// ## Example
    /// With `--list-schemes urn,tag`:
    /// ```sieve
    /// require "extlists";
    /// if header :list "from" "ldap://ldap.example.com/cn=vip" { keep; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "extlists";
    /// if header :list "from" "tag:example.com,2024:vip" { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 6134 §2.8
    ///
    /// ## Severity
    /// Error: the target server refuses the script (RFC 6134 §2.8: EXTLISTS
    /// lists the URI schemes the server supports).
    pub struct UnsupportedListScheme {
        code: "SL0109",
        name: "unsupported-list-scheme",
        severity: Error,
        summary: "a list name of a scheme the target server does not support",
    }
}

impl Rule for UnsupportedListScheme {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let Some(schemes) = cx.options.effective_list_schemes() else {
            return;
        };
        let model = cx.model;
        for (r, parsed) in checked_names(model) {
            let Ok(name) = parsed else { continue };
            // Address books MUST be supported (RFC 6134 §2.5).
            if name.is_addrbook() || schemes.iter().any(|s| s.eq_ignore_ascii_case(&name.scheme)) {
                continue;
            }
            cx.report(
                r.lit.span,
                format!(
                    "the server does not support \"{}:\" lists: {}",
                    name.scheme,
                    show(&r.lit.value)
                ),
            )
            .with_primary_label(format!("supported: {}", schemes.join(", ")))
            .with_help(
                "use a list of a supported scheme, or change --list-schemes to match the server",
            );
        }
    }
}
