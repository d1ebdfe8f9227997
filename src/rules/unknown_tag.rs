use super::{Rule, declare_rule};
use crate::check::{Context, Issue};

declare_rule! {
    /// ## What it does
    /// Reports a tagged argument (`:name`) that the command or test does not
    /// take. Where an unknown vendor extension or an `ihave` guard of an
    /// unknown or unsupported extension may add it, it is noted (`info`)
    /// instead, as for unknown-command.
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
    ///
    /// ## Severity
    /// Error: RFC 5228 §2.6.2: a command or test takes the tags of its usage
    /// and of the extensions required; servers refuse others at upload. An info
    /// where an unchecked vendor extension is required or an `ihave` guard
    /// covers it.
    ///
    /// The notes: RFC 5228 §6.1 (vendor extensions), RFC 5463 §4 (ihave).
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
        let unchecked = super::unknown_command::Unchecked::new(cx);
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
            if unchecked.note(cx, u, tag.span, &format!("tag `:{}` of `{name}`", tag.name)) {
                continue;
            }
            // A tag name two extensions provide (`:flags`) shows once.
            let mut valid: Vec<String> = Vec::with_capacity(entry.tags.len());
            for t in &entry.tags {
                let shown = format!(":{}", t.spec.name);
                if !valid.contains(&shown) {
                    valid.push(shown);
                }
            }
            let close = closest_tag(entry, &tag.name);
            let help = match close {
                Some(t) => format!("did you mean `:{}`?", t.spec.name),
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

/// The tag of `entry` within two edits of `name`, if any: the did-you-mean
/// (unused-require counts its capability as meant).
pub(crate) fn closest_tag<'e>(
    entry: &'e crate::ext::Entry,
    name: &str,
) -> Option<&'e crate::ext::TagEntry> {
    let lower = name.to_ascii_lowercase();
    entry
        .tags
        .iter()
        .filter(|t| t.spec.name.len().abs_diff(lower.len()) <= 2)
        .map(|t| {
            (
                super::unknown_capability::edit_distance(&lower, t.spec.name),
                t.spec.name,
                t,
            )
        })
        .filter(|(d, _, _)| *d <= 2)
        .min_by_key(|(d, n, _)| (*d, *n))
        .map(|(_, _, t)| t)
}
