use super::{Rule, declare_rule};
use crate::check::Context;
use crate::syntax::ast::Command;

declare_rule! {
    /// ## What it does
    /// Reports a `require` that comes after another command, or inside a
    /// block.
    ///
    /// ## Why is this bad?
    /// `require` must come before any other command. Servers reject the
    /// script at upload.
    ///
    /// ## Example
    /// ```sieve
    /// if header :contains "subject" "[list]" {
    ///     require "fileinto";
    ///     fileinto "Lists";
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "fileinto";
    /// if header :contains "subject" "[list]" {
    ///     fileinto "Lists";
    /// }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §3.2
    ///
    /// ## Severity
    /// Error: RFC 5228 §3.2: "The require command, if present, MUST be used
    /// before anything other than a require can be used.  An error occurs if a
    /// require appears after a command other than require."
    pub struct RequireAfterCommand {
        code: "SL0201",
        name: "require-after-command",
        severity: Error,
        summary: "`require` after another command or inside a block",
    }
}

impl Rule for RequireAfterCommand {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        let mut first_other: Option<&Command> = None;
        for cmd in &cx.script.commands {
            if cmd.name.is("require") {
                if let Some(other) = first_other {
                    cx.report(cmd.name.span, "`require` after other commands")
                        .with_primary_label("too late")
                        .with_label(other.name.span, "the first command that is not `require`")
                        .with_help("move every `require` to the top of the script");
                }
            } else if first_other.is_none() {
                first_other = Some(cmd);
            }
        }
        for seq in model.sequences.iter().skip(1) {
            for cmd in seq.iter().filter(|c| c.name.is("require")) {
                cx.report(cmd.name.span, "`require` inside a block")
                    .with_primary_label("not allowed here")
                    .with_help("move it to the top of the script; use `ihave` to test for an extension at run time");
            }
        }
    }
}
