use super::{Rule, declare_rule};
use crate::check::{Context, Issue};

declare_rule! {
    /// ## What it does
    /// Reports a tag that takes an argument (`:comparator "i;octet"`) but is
    /// not followed by one of the right kind.
    ///
    /// ## Why is this bad?
    /// The server reads the next argument as the tag's and rejects the
    /// script, or worse, takes a positional argument for the tag's.
    ///
    /// ## Example
    /// ```sieve
    /// if header :comparator :is "subject" "x" { keep; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// if header :comparator "i;octet" :is "subject" "x" { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §2.6.2
    ///
    /// ## Severity
    /// Error: RFC 5228 §2.6.2: a tag that takes an argument is followed by it;
    /// without it the command does not follow its usage.
    pub struct MissingTagArgument {
        code: "SL0305",
        name: "missing-tag-argument",
        severity: Error,
        summary: "a tag lacks its argument",
    }
}

impl Rule for MissingTagArgument {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for (_, issue) in model.issues() {
            let Issue::MissingTagArgument {
                tag,
                expected,
                found,
            } = issue
            else {
                continue;
            };
            let d = cx.report(
                tag.span,
                format!(
                    "`:{}` must be followed by {} ({})",
                    tag.name,
                    expected.kind.describe(),
                    expected.name
                ),
            );
            match found {
                Some(arg) => {
                    d.with_primary_label("this tag")
                        .with_label(arg.span(), format!("not {}", expected.kind.describe()));
                }
                None => {
                    d.with_primary_label(format!("{} missing after this tag", expected.name));
                }
            }
            d.with_help(format!("write `:{} <{}>`", tag.name, expected.name));
        }
    }
}
