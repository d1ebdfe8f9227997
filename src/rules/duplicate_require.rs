use super::{Rule, declare_rule};
use crate::check::Context;

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
        let mut comments = None;
        for (i, r) in model.requires.iter().enumerate() {
            let first = model.requires[..i]
                .iter()
                .find(|p| p.capability.value.eq_ignore_ascii_case(&r.capability.value));
            if let Some(first) = first {
                let comments =
                    comments.get_or_insert_with(|| crate::syntax::comments::comments(cx.source));
                // Merge the requires at the top; where a comment stands
                // between them, drop this mention alone.
                let fix = (!cx.parse_failed)
                    .then(|| {
                        use crate::fix::requires::{merge_requires, remove_capability};
                        merge_requires(cx.source, cx.script, comments).or_else(|| {
                            remove_capability(
                                cx.source,
                                cx.script,
                                comments,
                                r.capability,
                                "remove the second mention",
                            )
                        })
                    })
                    .flatten();
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
}
