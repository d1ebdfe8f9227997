use super::{Rule, declare_rule};
use crate::check::{Context, Issue};
use crate::syntax::ast::Argument;

declare_rule! {
    /// ## What it does
    /// Reports a positional argument of the wrong kind: a number where a
    /// string belongs, a string list where one string belongs.
    ///
    /// ## Why is this bad?
    /// The server rejects the script. `fileinto ["A", "B"]` does not file
    /// into two folders; `size :over "100K"` is not a number.
    ///
    /// ## Example
    /// ```sieve
    /// if size :over "100K" { discard; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// if size :over 100K { discard; }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §2.6.1
    ///
    /// ## Severity
    /// Error: RFC 5228 §2.6.1: each positional argument has the type of its
    /// usage (string, string list, number); servers refuse others at upload.
    pub struct WrongArgumentType {
        code: "SL0308",
        name: "wrong-argument-type",
        severity: Error,
        summary: "a positional argument of the wrong kind",
    }
}

pub(crate) fn redirect_list(u: &crate::check::Use<'_>) -> bool {
    u.node.name().is("redirect") && u.binding.tags.iter().any(|t| t.entry.spec.name == "list")
}

fn describe(arg: &Argument) -> &'static str {
    match arg {
        Argument::Tag(_) => "a tag",
        Argument::Number(_) => "a number",
        Argument::String(_) => "a string",
        Argument::StringList(_) => "a string list",
    }
}

impl Rule for WrongArgumentType {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        let source = cx.source;
        for (u, issue) in model.issues() {
            let Issue::WrongArgumentType { arg, expected } = issue else {
                continue;
            };
            // `redirect :list [..]` is redirect-list-misuse (SL0110).
            if redirect_list(u) {
                continue;
            }
            let name = &u.node.name().name;
            let d = cx
                .report(
                    arg.span(),
                    format!(
                        "`{name}` expects {} ({}), found {}",
                        expected.kind.describe(),
                        expected.name,
                        describe(arg)
                    ),
                )
                .with_primary_label(format!("{} expected", expected.kind.describe()));
            match arg {
                Argument::String(s) if expected.kind == crate::ext::ArgKind::Number => {
                    d.with_help(format!("write the number without quotes: {}", s.value));
                }
                // A number where a string belongs: `fileinto 42;` (RFC 5228
                // §2.4.2: a string is in double quotes).
                Argument::Number(_)
                    if matches!(
                        expected.kind,
                        crate::ext::ArgKind::String | crate::ext::ArgKind::StringList
                    ) =>
                {
                    let text = &source[arg.span().start()..arg.span().end()];
                    d.with_help(format!("write it in quotes: \"{text}\""));
                }
                Argument::StringList(_) => {
                    d.with_help(format!(
                        "`{name}` takes one string here; repeat the command for each value"
                    ));
                }
                _ => {}
            }
        }
    }
}
