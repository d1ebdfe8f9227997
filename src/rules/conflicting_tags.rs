use super::{Rule, declare_rule};
use crate::check::{Context, Issue};

declare_rule! {
    /// ## What it does
    /// Reports two tags of a set that excludes each other: two match types
    /// (`:is` and `:contains`), two address parts (`:localpart` and
    /// `:domain`), or `:over` together with `:under`. (The same tag twice,
    /// two `:comparator`s included, is `duplicate-tag`.)
    ///
    /// ## Why is this bad?
    /// A test has one match type, one comparator and one address part; the
    /// server rejects the script rather than pick one.
    ///
    /// ## Example
    /// ```sieve
    /// if address :localpart :domain "from" "example.com" { keep; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// if address :domain "from" "example.com" { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §2.7.1, §2.7.3, §2.7.4, §5.9
    ///
    /// ## Severity
    /// Error: RFC 5228 §2.6: "It is an error for a script, on a single command,
    /// to use conflicting arguments"; §2.7.1, §2.7.3 and §2.7.4 say the same of
    /// each tag group.
    pub struct ConflictingTags {
        code: "SL0303",
        name: "conflicting-tags",
        severity: Error,
        summary: "two match types, address parts or size relations",
    }
}

impl Rule for ConflictingTags {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for (u, issue) in model.issues() {
            let Issue::ConflictingTags { set, tag, first } = issue else {
                continue;
            };
            cx.report(
                tag.span,
                format!(
                    "`{}` takes one {set}: `:{}` conflicts with `:{}`",
                    u.node.name().name,
                    tag.name,
                    first.name
                ),
            )
            .with_primary_label(format!("conflicting {set}"))
            .with_label(first.span, format!("first {set}"))
            .with_help(format!("keep one {set}"));
        }
    }
}
