use super::{Rule, declare_rule};
use crate::check::{Context, Issue};

declare_rule! {
    /// ## What it does
    /// Reports positional arguments beyond those a command or test takes.
    ///
    /// ## Why is this bad?
    /// The server rejects the script. Often two strings where a list was
    /// meant (`fileinto "A" "B"`), or a forgotten `;` that glued two
    /// commands together.
    ///
    /// ## Example
    /// ```sieve
    /// redirect "alice@example.org" "bob@example.org";
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// redirect "alice@example.org";
    /// redirect "bob@example.org";
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §2.6.1
    ///
    /// ## Severity
    /// Error: RFC 5228 §2.6.1: a command takes the positional arguments of its
    /// usage; more does not follow it, and servers refuse it at upload.
    pub struct UnexpectedArgument {
        code: "SL0307",
        name: "unexpected-argument",
        severity: Error,
        summary: "more positional arguments than the command or test takes",
    }
}

impl Rule for UnexpectedArgument {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for (u, issue) in model.issues() {
            let Issue::UnexpectedArgument { arg } = issue else {
                continue;
            };
            let Some(entry) = u.entry else { continue };
            let n = entry.sig.positional.len();
            let name = &u.node.name().name;
            let takes = match n {
                0 => "no positional arguments".to_owned(),
                1 => "one positional argument".to_owned(),
                n => format!("{n} positional arguments"),
            };
            cx.report(arg.span(), format!("unexpected argument to `{name}`"))
                .with_primary_label(format!("`{name}` takes {takes}"))
                .with_help(format!("usage: {}", super::missing_argument::usage(entry)));
        }
    }
}
