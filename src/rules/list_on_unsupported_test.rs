use super::{Rule, declare_rule};
use crate::check::{Context, Node};
use crate::ext::extlists::LIST_TESTS;

declare_rule! {
    /// ## What it does
    /// Reports the `:list` match type on a test that does not support it.
    /// sieve-lint supports `:list` in `address`, `envelope`, `header`,
    /// `string` (with variables), and `date`/`currentdate` (RFC 6134's own
    /// example 2 uses `currentdate :list`); every other test — `body`,
    /// `exists`, `size`, `hasflag`, `spamtest`, `environment`, `metadata`,
    /// `duplicate`, … — is an error.
    ///
    /// ## Why is this bad?
    /// RFC 6134 requires the error, at compile time where possible: the
    /// server either rejects the script or fails when the test runs.
    ///
    /// ## Example
    /// ```sieve
    /// require ["extlists", "body"];
    /// if body :list ":addrbook:default" { discard; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "extlists";
    /// if address :list "from" ":addrbook:default" { discard; }
    /// ```
    ///
    /// ## RFC
    /// RFC 6134 §2.2
    ///
    /// ## Severity
    /// Error: RFC 6134 §2.2: "Implementations MUST report an error when a
    /// script uses ":list" with a test that does not support ":list"."
    pub struct ListOnUnsupportedTest {
        code: "SL0103",
        name: "list-on-unsupported-test",
        severity: Error,
        summary: "`:list` on a test that does not support it",
    }
}

impl Rule for ListOnUnsupportedTest {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for u in &model.uses {
            // Bound (a test with match types) or unknown there (`exists`).
            let bound = u
                .binding
                .tags
                .iter()
                .find(|t| t.entry.spec.name == "list" && t.entry.capability == "extlists")
                .map(|t| t.tag);
            let unknown = u.issues().iter().find_map(|i| match i {
                crate::check::Issue::UnknownTag { tag } if tag.is("list") => Some(*tag),
                _ => None,
            });
            let Some(list) = bound.or(unknown) else {
                continue;
            };
            let name = u.node.name();
            let supported = match u.node {
                Node::Test(_) => LIST_TESTS.iter().any(|t| name.is(t)),
                Node::Command(_) => name.is("redirect"),
            };
            if supported {
                continue;
            }
            cx.report(list.span, format!("`{}` does not support `:list`", name.name))
                .with_primary_label("not a list lookup here")
                .with_label(name.span, format!("`{}` {}", name.name, u.node.kind()))
                .with_help(format!(
                    "`:list` works in {} (string needs \"variables\"; date and currentdate need \"date\")",
                    LIST_TESTS.join(", ")
                ));
        }
    }
}
