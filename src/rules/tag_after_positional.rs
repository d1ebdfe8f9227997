use super::{Rule, declare_rule};
use crate::check::{Context, Issue};

declare_rule! {
    /// ## What it does
    /// Reports a tagged argument that comes after a positional argument.
    ///
    /// ## Why is this bad?
    /// Tagged arguments come first, positional arguments after them; servers
    /// reject the script.
    ///
    /// ## Example
    /// ```sieve
    /// if header "subject" "offer" :contains { discard; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// if header :contains "subject" "offer" { discard; }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §2.6.2
    ///
    /// ## Severity
    /// Error: RFC 5228 §2.6.2: "Tagged arguments must appear before positional
    /// arguments"; the command does not follow the grammar of its usage.
    pub struct TagAfterPositional {
        code: "SL0304",
        name: "tag-after-positional",
        severity: Error,
        summary: "a tag after the positional arguments",
    }
}

impl Rule for TagAfterPositional {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for (u, issue) in model.issues() {
            let Issue::TagAfterPositional { tag, positional } = issue else {
                continue;
            };
            cx.report(
                tag.span,
                format!("`:{}` comes after a positional argument", tag.name),
            )
            .with_primary_label("tags must come first")
            .with_label(*positional, "positional argument")
            .with_help(format!(
                "move `:{}` right after `{}`",
                tag.name,
                u.node.name().name
            ));
        }
    }
}
