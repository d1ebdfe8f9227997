use super::{Rule, declare_rule};
use crate::check::{Context, Node, Use};
use crate::diagnostic::{Severity, show};
use crate::ext::catalog;

declare_rule! {
    /// ## What it does
    /// Reports a command that neither the base language nor any known
    /// extension defines.
    ///
    /// Where an extension sieve-lint does not know may define it, the
    /// command is noted (`info`), not reported as an error: when the script
    /// requires a vendor extension (`vnd.…`) that sieve-lint has no
    /// description of, and inside `if ihave "…"` of an extension that
    /// sieve-lint does not know or the target lacks (RFC 5463 §4: the
    /// server must not refuse the script for what such a block uses).
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
    ///
    /// ## Severity
    /// Error: RFC 5228 §2.10.5 and §8: a command that neither the base language
    /// nor a required extension defines cannot be run, and every server of the
    /// profiles refuses the script at upload. An info where an unchecked vendor
    /// extension is required or an `ihave` guard covers it (RFC 5463 §4).
    ///
    /// The notes: RFC 5228 §6.1 (vendor extensions), RFC 5463 §4 (ihave).
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
        let unchecked = Unchecked::new(cx);
        for u in model.uses.iter().filter(|u| u.entry.is_none()) {
            let Node::Command(cmd) = u.node else { continue };
            if unchecked.note(
                cx,
                u,
                cmd.name.span,
                &format!("command `{}`", cmd.name.name),
            ) {
                continue;
            }
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
        // Within two edits the lengths differ by two at most.
        .filter(|n| n.len().abs_diff(lower.len()) <= 2)
        .map(|n| (super::unknown_capability::edit_distance(&lower, n), n))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, n)| n)
}

/// What makes something sieve-lint does not know a note instead of an
/// error: a required vendor extension without a catalog file (RFC 5228
/// §6.1) that may define it, or an enclosing `ihave` that guards the block
/// with a capability sieve-lint does not know or the target lacks (RFC
/// 5463 §4: "Scripts MUST either defer extension checking to run time or
/// else take the presence of "ihave" tests into account at parse time").
/// Found once per script; each use then looks at its own guards only.
pub(crate) struct Unchecked {
    vendor: Option<String>,
    /// The first `if not ihave "x" { error/stop }` of a capability x that
    /// sieve-lint does not know or the target lacks: where it starts (byte
    /// offset) and x. Past it the script runs on only where x is there
    /// (RFC 5463 §4 item 1).
    tested: Option<(usize, String)>,
}

impl Unchecked {
    pub(crate) fn new(cx: &Context<'_, '_>) -> Unchecked {
        let vendor = cx
            .model
            .requires
            .iter()
            .map(|r| r.capability.value.as_ref())
            .find(|c| crate::ext::is_unchecked_capability(c))
            .map(show);
        let options = cx.options;
        let tested = cx
            .model
            .ihave_exits()
            .filter(|(c, _)| !catalog().is_checked(c) || !options.target_supports(c))
            .map(|(c, i)| (cx.model.uses[i].node.span().start(), show(c)))
            .min();
        Unchecked { vendor, tested }
    }

    /// Why what `u` uses and sieve-lint does not know is not checked, as
    /// help text; `None`: it is an error.
    fn why(&self, cx: &Context<'_, '_>, u: &Use<'_>) -> Option<String> {
        let options = cx.options;
        for g in u.guards() {
            if !catalog().is_checked(g) {
                return Some(format!(
                    "it may come from {}, which sieve-lint has no description of; the block \
                     runs only where the server has it (RFC 5463 §4)",
                    show(g)
                ));
            }
            if !options.target_supports(g) {
                return Some(format!(
                    "the block runs only where the server has {}, which {} lacks (RFC 5463 §4)",
                    show(g),
                    options.target().server
                ));
            }
        }
        if let Some((start, cap)) = &self.tested
            && u.node.span().start() > *start
        {
            return Some(format!(
                "it may come from {cap}: the script stops earlier where the server lacks it \
                 (RFC 5463 §4)"
            ));
        }
        self.vendor.as_ref().map(|v| {
            format!("it may come from the extension {v}, which sieve-lint has no description of")
        })
    }

    /// Notes `what` at `span` as not checked when an extension sieve-lint
    /// cannot check may define it; returns whether it did.
    pub(crate) fn note(
        &self,
        cx: &mut Context<'_, '_>,
        u: &Use<'_>,
        span: crate::syntax::ast::Span,
        what: &str,
    ) -> bool {
        let Some(help) = self.why(cx, u) else {
            return false;
        };
        cx.report_with(span, Severity::Info, format!("{what} is not checked"))
            .with_primary_label("not known to sieve-lint")
            .with_help(help);
        true
    }
}
