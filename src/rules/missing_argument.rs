use super::{Rule, declare_rule};
use crate::check::{Context, Issue};

declare_rule! {
    /// ## What it does
    /// Reports a command or test given fewer positional arguments than it
    /// requires.
    ///
    /// ## Why is this bad?
    /// The server rejects the script: `header` needs both the header names
    /// and the keys, `fileinto` needs a mailbox.
    ///
    /// ## Example
    /// ```sieve
    /// if header :contains "subject" { discard; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// if header :contains "subject" "lottery" { discard; }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §2.6.1
    ///
    /// ## Severity
    /// Error: RFC 5228 §2.6.1: positional arguments are required; a command
    /// without them does not follow its usage, and servers refuse it at upload.
    pub struct MissingArgument {
        code: "SL0306",
        name: "missing-argument",
        severity: Error,
        summary: "a required positional argument is missing",
    }
}

impl Rule for MissingArgument {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for (u, issue) in model.issues() {
            let Issue::MissingArgument { expected } = issue else {
                continue;
            };
            // `redirect :list` with no name is redirect-list-misuse (SL0110).
            if super::wrong_argument_type::redirect_list(u) {
                continue;
            }
            let Some(entry) = u.entry else { continue };
            let name = u.node.name();
            let usage = usage(entry);
            cx.report(
                name.span,
                format!(
                    "`{}` is missing its {} ({})",
                    name.name,
                    expected.name,
                    expected.kind.describe()
                ),
            )
            .with_primary_label(format!("{} expected", expected.name))
            .with_help(format!("usage: {usage}"));
        }
    }
}

/// `name [:tags] <arg> <arg>` for help texts.
pub(crate) fn usage(entry: &crate::ext::Entry) -> String {
    let sig = entry.sig;
    let mut s = sig.name.to_owned();
    if !entry.tags.is_empty() {
        s.push_str(" [tags]");
    }
    for a in sig.positional {
        if a.optional {
            s.push_str(&format!(" [<{}>]", a.name));
        } else {
            s.push_str(&format!(" <{}>", a.name));
        }
    }
    match sig.tests {
        crate::ext::TestArity::None => {}
        crate::ext::TestArity::One => s.push_str(" <test>"),
        crate::ext::TestArity::List => s.push_str(" (<test>, …)"),
    }
    if sig.block {
        s.push_str(" { … }");
    }
    s
}
