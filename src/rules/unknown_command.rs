use super::{Rule, declare_rule};
use crate::check::{Context, Node};
use crate::ext::catalog;

declare_rule! {
    /// ## What it does
    /// Reports a command that neither the base language nor any known
    /// extension defines.
    ///
    /// ## Why is this bad?
    /// The server rejects the whole script. Usually a typo (`fileino`) or a
    /// test used as a command.
    ///
    /// ## Example
    /// ```sieve
    /// require "fileinto";
    /// fileino "Archive";
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "fileinto";
    /// fileinto "Archive";
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §2.9, §3, §4
    pub struct UnknownCommand {
        code: "SL0206",
        name: "unknown-command",
        severity: Error,
        summary: "a command no known extension defines",
    }
}

impl Rule for UnknownCommand {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for u in model.uses.iter().filter(|u| u.entry.is_none()) {
            let Node::Command(cmd) = u.node else { continue };
            let d = cx
                .report(
                    cmd.name.span,
                    format!("unknown command `{}`", cmd.name.name),
                )
                .with_primary_label("not a Sieve command");
            if catalog().test(&cmd.name.name).is_some() {
                d.with_help(format!(
                    "`{}` is a test: use it in `if {} … {{ … }}`",
                    cmd.name.name, cmd.name.name
                ));
            } else if let Some(s) = closest(&cmd.name.name, catalog().command_names()) {
                d.with_help(format!("did you mean `{s}`?"));
            } else {
                d.with_help(
                    "check the spelling; a command of an extension also needs its `require`",
                );
            }
        }
    }
}

/// The known name within two edits of `name`.
pub(crate) fn closest(
    name: &str,
    names: impl Iterator<Item = &'static str>,
) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    names
        .map(|n| (super::unknown_capability::edit_distance(&lower, n), n))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, n)| n)
}
