use super::{Rule, declare_rule};
use crate::check::Context;

declare_rule! {
    /// ## What it does
    /// Reports `:comparator` on a test that uses the `:list` match type.
    ///
    /// ## Why is this bad?
    /// With `:list`, the list itself decides how values are compared (an
    /// address book ignores case, an IP block list compares octets); RFC
    /// 6134 makes a comparator together with `:list` an error.
    ///
    /// ## Example
    /// ```sieve
    /// require "extlists";
    /// if header :list :comparator "i;octet" "from" ":addrbook:default" { keep; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "extlists";
    /// if header :list "from" ":addrbook:default" { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 6134 §2.2
    ///
    /// ## Severity
    /// Error: RFC 6134 §2.2: "Comparators are not allowed together with the
    /// ":list" match type, so if both are specified in a test, that MUST
    /// result in an error."
    pub struct ComparatorWithList {
        code: "SL0101",
        name: "comparator-with-list",
        severity: Error,
        summary: "a comparator together with `:list`",
    }
}

impl Rule for ComparatorWithList {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for u in &model.uses {
            let list = u.binding.tags.iter().find(|t| t.entry.spec.name == "list");
            let cmp = u
                .binding
                .tags
                .iter()
                .find(|t| t.entry.spec.name == "comparator");
            if let (Some(list), Some(cmp)) = (list, cmp) {
                let span = cmp
                    .arg
                    .map_or(cmp.tag.span, |a| cmp.tag.span.cover(a.span()));
                cx.report(span, "a comparator cannot be used with `:list`")
                    .with_primary_label("remove this comparator")
                    .with_label(list.tag.span, "the list decides how values compare")
                    .with_help("remove `:comparator …`: address books ignore case, other lists compare as they define");
            }
        }
    }
}
