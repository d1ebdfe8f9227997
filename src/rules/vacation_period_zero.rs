use super::{Rule, declare_rule};
use crate::check::Context;
use crate::syntax::ast::Argument;

declare_rule! {
    /// ## What it does
    /// Reports `vacation :days 0` and `vacation :seconds 0`.
    ///
    /// ## Why is this bad?
    /// `:days 0` never does what it says: RFC 5230 makes the minimum period
    /// at least one day and has servers use their minimum instead of a
    /// smaller value, so the script asks for something no server does.
    ///
    /// `:seconds 0` (RFC 6131) means "reply to every message", with no
    /// suppression of repeated replies to the same sender. Servers may
    /// raise it to their own minimum (Dovecot's default minimum is one
    /// day, and it warns), and where they do not, every message of a
    /// chatty correspondent gets an auto-reply. Either way the period is
    /// not what the script says. The grammar has no negative numbers, so
    /// zero is the only value checked.
    ///
    /// ## Example
    /// ```sieve
    /// require "vacation";
    /// vacation :days 0 "I am away until Monday.";
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "vacation";
    /// vacation :days 1 "I am away until Monday.";
    /// ```
    ///
    /// ## RFC
    /// RFC 5230 §4.1; RFC 6131 §2
    ///
    /// ## Severity
    /// Warning: valid (RFC 6131 §2 allows 0 with vacation-seconds; RFC 5230
    /// §4.1 lets a server clamp `:days`), but every message then gets a reply,
    /// which is almost surely a mistake.
    pub struct VacationPeriodZero {
        code: "SL0319",
        name: "vacation-period-zero",
        severity: Warning,
        summary: "`vacation :days 0` or `:seconds 0`",
    }
}

impl Rule for VacationPeriodZero {
    fn check(&self, cx: &mut Context<'_, '_>) {
        for u in &cx.model.uses {
            if u.entry.is_none_or(|e| e.sig.name != "vacation") {
                continue;
            }
            for t in &u.binding.tags {
                let name = t.entry.spec.name;
                if name != "days" && name != "seconds" {
                    continue;
                }
                let Some(Argument::Number(n)) = t.arg else {
                    continue;
                };
                if n.value != 0 {
                    continue;
                }
                let span = t.tag.span.cover(n.span);
                if name == "days" {
                    cx.report(span, "`:days 0` is below every server's minimum period")
                        .with_primary_label("the server uses its minimum (at least 1 day) instead")
                        .with_help(
                            "write `:days 1`; to reply more often, use `:seconds` \
                             (require \"vacation-seconds\")",
                        );
                } else {
                    cx.report(span, "`:seconds 0` replies to every message")
                        .with_primary_label(
                            "no suppression of repeated replies, unless the server raises it \
                             to its minimum",
                        )
                        .with_help("give a period, e.g. `:seconds 3600` for one hour");
                }
            }
        }
    }
}
