use super::{Rule, declare_rule};
use crate::check::Context;

declare_rule! {
    /// ## What it does
    /// Reports commands that follow `stop` in the same block.
    ///
    /// ## Why is this bad?
    /// `stop` ends the script: nothing after it in the same block ever runs.
    /// Either the `stop` is misplaced or the code after it is dead.
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
    pub struct CodeAfterStop {
        code: "SL0209",
        name: "code-after-stop",
        severity: Warning,
        summary: "commands after `stop` never run",
    }
}

impl Rule for CodeAfterStop {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for seq in &model.sequences {
            let Some(i) = seq.iter().position(|c| c.name.is("stop") && !c.broken) else {
                continue;
            };
            if let (Some(first), Some(last)) = (seq.get(i + 1), seq.last()) {
                let n = seq.len() - i - 1;
                cx.report(
                    first.span.cover(last.span),
                    format!(
                        "unreachable: {n} command{} after `stop`",
                        if n == 1 { "" } else { "s" }
                    ),
                )
                .with_primary_label("never runs")
                .with_label(seq[i].span, "the script stops here")
                .with_help("remove the dead code, or move `stop` after it");
            }
        }
    }
}
