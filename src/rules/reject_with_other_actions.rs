use super::flow::Reach;
use super::{Rule, declare_rule};
use crate::check::Context;
use crate::syntax::ast::Command;

declare_rule! {
    /// ## What it does
    /// Reports `reject` or `ereject` that runs in the same execution as an
    /// action that delivers the message (`keep`, `fileinto`, `redirect`,
    /// with or without `:copy`), as `vacation` (which also answers the
    /// sender), or as another `reject`/`ereject`.
    ///
    /// Only what the structure of the script proves is reported: both
    /// commands in the same command sequence ("runs together"), or one in a
    /// sequence that encloses the block holding the other, before or after
    /// that block ("can run together": whenever that block runs). What ends
    /// the execution between the two — `stop`, `return`, `break` of
    /// `foreverypart`, or a block that always ends it such as
    /// `if true { stop; }` — in either's own sequence or the shared one,
    /// means they never run together, and actions that never run (after
    /// such a block, in `if false { … }`) take no part. Not reported either:
    /// actions in different branches (`if` … `else`), in sibling blocks, or
    /// in included scripts; the implicit keep (which `reject` cancels).
    ///
    /// ## Why is this bad?
    /// A rejected message is refused: it cannot also be delivered,
    /// redirected or answered. RFC 5429 §2.4 says implementations MUST
    /// prohibit the *execution* of more than one `reject` and MUST make
    /// `reject` incompatible with `vacation`, and makes `reject` with
    /// actions that deliver the message NOT RECOMMENDED. Invalid
    /// combinations of actions are run-time errors (RFC 5228 §2.10.6):
    /// servers accept such scripts at upload (Dovecot compiles them) and
    /// fail when both actually run on a message — the script's actions are
    /// cancelled and the message is kept, so the sender gets no rejection.
    /// Hence a warning (it fails at delivery on some path), not an error;
    /// the dry run reports the run-time error on the messages where both
    /// run.
    ///
    /// ## Example
    /// ```sieve
    /// require ["reject", "fileinto"];
    /// if header :contains "subject" "casino" {
    ///     reject "No, thanks.";
    /// }
    /// fileinto "Archive";
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require ["reject", "fileinto"];
    /// if header :contains "subject" "casino" {
    ///     reject "No, thanks.";
    ///     stop;
    /// }
    /// fileinto "Archive";
    /// ```
    ///
    /// ## RFC
    /// RFC 5429 §2.4, RFC 5228 §2.10.6
    ///
    /// ## Severity
    /// Warning: RFC 5429 §2.4 forbids *executing* two rejects, or reject with
    /// vacation, and makes reject with keep, fileinto or redirect NOT
    /// RECOMMENDED; RFC 5228 §2.10.6 makes invalid combinations of actions run-
    /// time errors. Servers accept the script and fail it at delivery when both
    /// run (the dry run reports that error).
    pub struct RejectWithOtherActions {
        code: "SL0210",
        name: "reject-with-other-actions",
        severity: Warning,
        summary: "`reject` or `ereject` with another action in the same execution (fails at delivery)",
    }
}

const REJECTS: &[&str] = &["reject", "ereject"];
const OTHERS: &[&str] = &["keep", "fileinto", "redirect", "vacation"];

/// An action with where it stands: for each level from the top, the
/// sequence and the index in it.
struct Act<'s> {
    cmd: &'s Command<'s>,
    path: Vec<(&'s [Command<'s>], usize)>,
    reject: bool,
}

fn collect<'s>(
    seq: &'s [Command<'s>],
    path: &mut Vec<(&'s [Command<'s>], usize)>,
    out: &mut Vec<Act<'s>>,
) {
    for (i, cmd) in seq.iter().enumerate() {
        path.push((seq, i));
        if !cmd.broken {
            let name = &cmd.name;
            let reject = REJECTS.iter().any(|r| name.is(r));
            if reject || OTHERS.iter().any(|o| name.is(o)) {
                out.push(Act {
                    cmd,
                    path: path.clone(),
                    reject,
                });
            }
        }
        if let Some(block) = &cmd.block {
            collect(&block.commands, path, out);
        }
        path.pop();
    }
}

/// How two actions relate: `None` when no structure proves they run
/// together; else whether they do whenever either runs (same sequence).
fn relation(reach: &mut Reach, a: &Act<'_>, b: &Act<'_>) -> Option<bool> {
    let common = a
        .path
        .iter()
        .zip(&b.path)
        .take_while(|(x, y)| x.1 == y.1)
        .count();
    // They differ at level `common`; one must stand right in that sequence.
    let (la, lb) = (a.path.len() - 1, b.path.len() - 1);
    if common > la.min(lb) || (common != la && common != lb) {
        return None;
    }
    let (first, second) = if a.path[common].1 < b.path[common].1 {
        (a, b)
    } else {
        (b, a)
    };
    // The first's own blocks after it, the shared sequence between them,
    // and the second's blocks before it must not end the execution
    // (`stop`, or a block that always stops: see `flow`).
    let (seq, i) = first.path[common];
    let j = second.path[common].1;
    let blocked = first.path[common + 1..]
        .iter()
        .any(|&(s, k)| reach.ends_within(s, k + 1, s.len()))
        || reach.ends_within(seq, i + 1, j)
        || second.path[common + 1..]
            .iter()
            .any(|&(s, k)| reach.ends_within(s, 0, k));
    (!blocked).then_some(la == lb && common == la)
}

impl Rule for RejectWithOtherActions {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let any_reject = cx
            .model
            .uses
            .iter()
            .any(|u| u.node.is_command() && REJECTS.iter().any(|r| u.node.name().is(r)));
        if !any_reject {
            return;
        }
        let mut acts = Vec::new();
        collect(&cx.script.commands, &mut Vec::new(), &mut acts);
        let mut reach = Reach::default();
        // Actions that never run (after `if true { stop; }`, in `if false`)
        // take no part.
        acts.retain(|a| reach.can_run(&a.path));
        for r in acts.iter().filter(|a| a.reject) {
            let mut found: Vec<(&Act<'_>, bool)> = Vec::new();
            for a in &acts {
                if std::ptr::eq(a, r) {
                    continue;
                }
                // Two rejects: reported once, at the later one.
                if a.reject && a.cmd.span.start() > r.cmd.span.start() {
                    continue;
                }
                if let Some(definite) = relation(&mut reach, r, a) {
                    found.push((a, definite));
                }
            }
            let Some(&(first, _)) = found.iter().find(|(_, d)| *d).or_else(|| found.first()) else {
                continue;
            };
            let definite = found.iter().any(|(_, d)| *d);
            let rname = &r.cmd.name.name;
            let aname = &first.cmd.name.name;
            let message = if definite {
                format!(
                    "`{rname}` and `{aname}` run in the same execution: the script will fail at delivery"
                )
            } else {
                format!(
                    "`{rname}` and `{aname}` can run in the same execution: the script will fail at delivery if both run"
                )
            };
            let d = cx
                .report(r.cmd.name.span, message)
                .with_primary_label("refuses the message");
            for (a, _) in &found {
                let name = a.cmd.name.name.to_ascii_lowercase();
                let shown = &a.cmd.name.name;
                let label = match name.as_str() {
                    "keep" => format!("`{shown}` delivers the message"),
                    "fileinto" => format!("`{shown}` files the message"),
                    "redirect" => format!("`{shown}` forwards the message"),
                    "vacation" => format!("`{shown}` also answers the sender"),
                    _ => format!("another `{shown}` of the same message"),
                };
                d.with_label(a.cmd.name.span, label);
            }
            d.with_help(
                "put `stop;` right after the reject, or move the other action to a branch \
                 that does not reject: where both run, the server cancels every action and \
                 keeps the message",
            );
        }
    }
}
