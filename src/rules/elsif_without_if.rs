use super::{Rule, declare_rule};
use crate::check::Context;
use crate::ext::catalog;

declare_rule! {
    /// ## What it does
    /// Reports an `elsif` or `else` that does not directly follow an `if`
    /// or `elsif`.
    ///
    /// ## Why is this bad?
    /// The grammar of control commands has no meaning for a lone `else`; the
    /// server rejects the script. Often a stray `;` or command between the
    /// closing `}` and the `else`.
    ///
    /// ## Example
    /// ```sieve
    /// if header :is "x-spam" "yes" { discard; }
    /// keep;
    /// else { stop; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// if header :is "x-spam" "yes" { discard; }
    /// else { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §3.1
    ///
    /// ## Severity
    /// Error: RFC 5228 §3.1: "an elsif or else MUST only follow an if or elsif.
    /// An error occurs if these conditions are not met."
    pub struct ElsifWithoutIf {
        code: "SL0208",
        name: "elsif-without-if",
        severity: Error,
        summary: "`elsif` or `else` not after `if`",
    }
}

impl Rule for ElsifWithoutIf {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for seq in &model.sequences {
            for (i, cmd) in seq.iter().enumerate() {
                if !catalog().follows_if(&cmd.name.name) {
                    continue;
                }
                let prev = i.checked_sub(1).map(|p| &seq[p]);
                let ok = prev.is_some_and(|p| p.broken || p.name.is("if") || p.name.is("elsif"));
                if ok {
                    continue;
                }
                let n = &cmd.name.name;
                let after_else = prev.is_some_and(|p| p.name.is("else"));
                let message = match prev {
                    Some(_) if after_else => {
                        format!("`{n}` after `else`: an `if` chain ends with its `else`")
                    }
                    Some(p) => format!("`{n}` must follow `if` or `elsif`, not `{}`", p.name.name),
                    None => format!("`{n}` without a preceding `if`"),
                };
                let d = cx
                    .report(cmd.name.span, message)
                    .with_primary_label(format!("`{n}` must follow `if` or `elsif`"));
                if let Some(p) = prev {
                    d.with_label(p.name.span, "the command before it");
                }
                d.with_help(if after_else {
                    "start a new chain with `if`, or move the `else` to the end of the chain"
                } else {
                    "place it directly after the closing '}' of an `if` or `elsif`"
                });
            }
        }
    }
}
