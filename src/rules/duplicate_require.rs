use super::{Rule, declare_rule};
use crate::check::Context;
use crate::fix::Fix;
use crate::fix::requires::{leading_requires, merge_requires, remove_from};
use crate::hash::FastMap;

declare_rule! {
    /// ## What it does
    /// Reports a capability required twice.
    ///
    /// ## Why is this bad?
    /// It is harmless to the server but a sign of copy and paste: the second
    /// mention is noise that hides which extensions the script really needs.
    ///
    /// ## Example
    /// ```sieve
    /// require "fileinto";
    /// require ["fileinto", "envelope"];
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require ["fileinto", "envelope"];
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §3.2
    ///
    /// ## Severity
    /// Warning: RFC 5228 §3.2 allows the same capability to be required again;
    /// a repeated mention is almost surely left over from an edit.
    pub struct DuplicateRequire {
        code: "SL0205",
        name: "duplicate-require",
        severity: Warning,
        summary: "the same capability is required twice",
    }
}

impl Rule for DuplicateRequire {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        // The first mention of each capability (lower case): one lookup
        // per require, not a scan of those before it.
        let mut first: FastMap<String, usize> = FastMap::default();
        let mut comments = None;
        // Merging the requires at the top is one fix, the same for every
        // duplicate: built once.
        let mut merge: Option<Option<Fix>> = None;
        let leading = leading_requires(cx.script);
        for (i, r) in model.requires.iter().enumerate() {
            // Capability strings are case-sensitive (RFC 5228 §6): "Foo"
            // is no second "foo" (unknown-capability reports it).
            let f = *first.entry(r.capability.value.to_string()).or_insert(i);
            if f == i {
                continue;
            }
            let first = &model.requires[f];
            // Merge the requires at the top; where a comment stands
            // between them, drop this mention alone.
            let fix = if cx.parse_failed {
                None
            } else {
                let comments =
                    comments.get_or_insert_with(|| crate::syntax::comments::comments(cx.source));
                merge
                    .get_or_insert_with(|| merge_requires(cx.source, cx.script, comments))
                    .clone()
                    .or_else(|| {
                        remove_from(
                            cx.source,
                            leading,
                            comments,
                            r.command,
                            r.capability,
                            "remove the second mention",
                        )
                    })
            };
            cx.report(
                r.capability.span,
                format!(
                    "{} is already required",
                    crate::diagnostic::show(&r.capability.value)
                ),
            )
            .with_primary_label("required again")
            .with_label(first.capability.span, "first required here")
            .with_help("remove the second mention")
            .with_fix(fix);
        }
    }
}
