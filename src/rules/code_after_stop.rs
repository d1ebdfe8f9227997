use super::flow::{End, Ender, each_end};
use super::{Rule, declare_rule};
use crate::check::Context;

declare_rule! {
    /// ## What it does
    /// Reports commands that follow, in the same block, something that
    /// always ends that block: `stop`, `return`, `break`, or an `if` whose
    /// branches that can run all end (`if true { stop; }`,
    /// `if a { stop; } else { stop; }`).
    ///
    /// ## Why is this bad?
    /// `stop` ends the script (`return` the included script, `break` the
    /// `foreverypart` loop): nothing after it in the same block ever runs.
    /// Either the `stop` is misplaced or the code after it is dead (RFC 5228
    /// §3.1 for `if`, RFC 6609 §3.3 for `return`, RFC 5703 §3 for `break`).
    ///
    /// ## Example
    /// ```sieve
    /// require "fileinto";
    /// if header :contains "subject" "[spam]" {
    ///     stop;
    ///     fileinto "Junk";
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "fileinto";
    /// if header :contains "subject" "[spam]" {
    ///     fileinto "Junk";
    ///     stop;
    /// }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §3.3
    ///
    /// ## Severity
    /// Warning: the script is valid (RFC 5228 §3.3: `stop` ends the script; RFC
    /// 6609 §3.3 `return`, RFC 5703 §3 `break`), but commands that can never
    /// run are almost surely a mistake.
    pub struct CodeAfterStop {
        code: "SL0209",
        name: "code-after-stop",
        severity: Warning,
        summary: "commands after `stop` never run",
    }
}

impl Rule for CodeAfterStop {
    fn check(&self, cx: &mut Context<'_, '_>) {
        // Every sequence, innermost first (the report is sorted later).
        let script = cx.script;
        each_end(&script.commands, &mut |seq, end| {
            let End {
                first: i,
                last: j,
                ender,
            } = end;
            let (Some(first), Some(last)) = (seq.get(j + 1), seq.last()) else {
                return;
            };
            let (what, label) = match ender {
                Ender::Stop => ("`stop`", "the script stops here"),
                Ender::Return => ("`return`", "the script returns here"),
                Ender::Break => ("`break`", "the loop ends here"),
                Ender::Chain => (
                    "a block that always stops",
                    "every branch that runs ends here",
                ),
            };
            let n = seq.len() - j - 1;
            cx.report(
                first.span.cover(last.span),
                format!(
                    "unreachable: {n} command{} after {what}",
                    if n == 1 { "" } else { "s" }
                ),
            )
            .with_primary_label("never runs")
            .with_label(seq[i].span.cover(seq[j].span), label)
            .with_help("remove the dead code, or move `stop` after it");
        });
    }
}
