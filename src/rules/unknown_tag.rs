use super::{Rule, declare_rule};
use crate::check::{Context, Issue};

declare_rule! {
    /// ## What it does
    /// Reports a tagged argument (`:name`) that the command or test does not
    /// take.
    ///
    /// ## Why is this bad?
    /// The server rejects the script. Typical causes: a typo (`:contain`), a
    /// tag of another test (`:over` belongs to `size`), or a tag of an
    /// extension used on a command it does not extend.
    ///
    /// ## Example
    /// ```sieve
    /// if header :contain "subject" "invoice" { keep; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// if header :contains "subject" "invoice" { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §2.6.2
    pub struct UnknownTag {
        code: "SL0301",
        name: "unknown-tag",
        severity: Error,
        summary: "a tag the command or test does not take",
    }
}

impl Rule for UnknownTag {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for (u, issue) in model.issues() {
            let Issue::UnknownTag { tag } = issue else {
                continue;
            };
            // `:list` where it is not supported: list-on-unsupported-test.
            if tag.is("list") {
                continue;
            }
            let Some(entry) = u.entry else { continue };
            let name = &u.node.name().name;
            let mut valid: Vec<String> = entry
                .tags
                .iter()
                .map(|t| format!(":{}", t.spec.name))
                .collect();
            valid.dedup();
            let lower = tag.name.to_ascii_lowercase();
            let close = entry
                .tags
                .iter()
                .map(|t| {
                    (
                        super::unknown_capability::edit_distance(&lower, t.spec.name),
                        t.spec.name,
                    )
                })
                .filter(|(d, _)| *d <= 2)
                .min();
            let help = match close {
                Some((_, s)) => format!("did you mean `:{s}`?"),
                None if valid.is_empty() => format!("`{name}` takes no tagged arguments"),
                None => format!("`{name}` takes {}", valid.join(", ")),
            };
            cx.report(
                tag.span,
                format!("unknown tag `:{}` for `{name}`", tag.name),
            )
            .with_primary_label(format!("`{name}` does not take this tag"))
            .with_help(help);
        }
    }
}
