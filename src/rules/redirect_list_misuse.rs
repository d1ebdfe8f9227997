use super::lists_common::looks_like_address;
use super::{Rule, declare_rule};
use crate::check::Context;
use crate::syntax::ast::Argument;

declare_rule! {
    /// ## What it does
    /// Reports `redirect :list` given a string list (it takes exactly one
    /// list name), no name at all, or an e-mail address where the list
    /// name belongs.
    ///
    /// ## Why is this bad?
    /// `redirect :list "a@example.com"` does not redirect to that address:
    /// it asks for a list of that name, which does not exist, and the
    /// script fails at run time. A string list is a syntax error.
    ///
    /// ## Example
    /// ```sieve
    /// require "extlists";
    /// redirect :list "team@example.com";
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "extlists";
    /// redirect :list "tag:example.com,2024-01-15:team";
    /// ```
    ///
    /// ## RFC
    /// RFC 6134 §2.3
    ///
    /// ## Severity
    /// Error: RFC 6134 §2.3: `redirect :list <ext-list-name: string>` takes one
    /// name; a string list does not follow the usage, and an address is not a
    /// list name (§2.5).
    pub struct RedirectListMisuse {
        code: "SL0110",
        name: "redirect-list-misuse",
        severity: Error,
        summary: "`redirect :list` without exactly one list name",
    }
}

impl Rule for RedirectListMisuse {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for u in &model.uses {
            if !u.node.name().is("redirect") {
                continue;
            }
            let Some(list) = u.binding.tags.iter().find(|t| t.entry.spec.name == "list") else {
                continue;
            };
            match u.binding.positional.first() {
                None => {
                    cx.report(list.tag.span, "`redirect :list` needs the name of a list")
                        .with_primary_label("no list name follows")
                        .with_help("write redirect :list \"<list name>\";");
                }
                Some(Argument::StringList(l)) => {
                    cx.report(
                        l.span,
                        "`redirect :list` takes one list name, not a string list",
                    )
                    .with_primary_label("a string list")
                    .with_label(list.tag.span, "redirect to every address of one list")
                    .with_help("use one `redirect :list` per list");
                }
                Some(Argument::String(s)) if looks_like_address(&s.value) => {
                    cx.report(
                        s.span,
                        format!("\"{}\" is an address, not a list name", s.value),
                    )
                    .with_primary_label("an e-mail address")
                    .with_label(list.tag.span, "this makes the argument a list name")
                    .with_help(format!(
                        "to redirect to this address, drop `:list`: redirect \"{}\";",
                        s.value
                    ));
                }
                _ => {}
            }
        }
    }
}
