//! The routing summary of a run: where the messages went, one row per
//! destination, as data (the report layer draws the table).
//!
//! A message counts once in each row it reaches: a message filed into two
//! folders counts in both, so the rows can add up to more than the messages.
//! A message with a run-time error counts under "error" and, since the error
//! cancels every action and keeps the message (RFC 5228 §2.10.6), under the
//! implicit keep as well.

use super::{Action, MessageResult};
use serde::Serialize;
use std::collections::HashMap;

/// What kind of destination a row is. The names are the Sieve command
/// names, plus `error` for messages with run-time errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RouteKind {
    Fileinto,
    Keep,
    Redirect,
    Discard,
    Reject,
    Ereject,
    Vacation,
    Notify,
    /// vnd.dovecot.pipe: the program the message is handed to.
    Pipe,
    /// vnd.dovecot.report: the address a report goes to.
    Report,
    Error,
}

impl RouteKind {
    /// The row an action routes a message to; `None` for actions that edit
    /// the message rather than route it (addheader, deleteheader).
    pub fn of(action: &Action) -> Option<(RouteKind, &str)> {
        Some(match action {
            Action::Fileinto { mailbox, .. } => (RouteKind::Fileinto, mailbox.as_str()),
            Action::Keep { .. } => (RouteKind::Keep, "INBOX"),
            Action::Redirect { address, .. } => (RouteKind::Redirect, address.as_str()),
            Action::Discard => (RouteKind::Discard, "discard"),
            Action::Reject { .. } => (RouteKind::Reject, "reject"),
            Action::Ereject { .. } => (RouteKind::Ereject, "ereject"),
            Action::Vacation {
                suppressed: None, ..
            } => (RouteKind::Vacation, "vacation"),
            // RFC 5230 §4.5–4.6: the script asked, but no reply would go.
            Action::Vacation { .. } => (RouteKind::Vacation, "vacation (not sent)"),
            Action::Notify { .. } | Action::NotifyDraft { .. } => (RouteKind::Notify, "notify"),
            Action::Pipe { program, .. } => (RouteKind::Pipe, program.as_str()),
            Action::Report { address, .. } => (RouteKind::Report, address.as_str()),
            // Edits, programs that do not take the message, log lines.
            Action::AddHeader { .. }
            | Action::DeleteHeader { .. }
            | Action::Filter { .. }
            | Action::Execute { .. }
            | Action::DebugLog { .. }
            | Action::Denotify { .. }
            | Action::Log { .. }
            | Action::Replace { .. }
            | Action::Enclose { .. }
            | Action::Convert { .. }
            | Action::ProcessCalendar { .. } => return None,
        })
    }
}

/// One row: a destination and how many messages reached it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Route {
    /// The folder (fileinto), `INBOX` (keep, explicit or implicit), the
    /// address (redirect), else the kind's name (`discard`, `reject`,
    /// `ereject`, `vacation`, `notify`, `error`), the program (pipe), the
    /// report's recipient (report); a vacation reply that
    /// would not be sent is `vacation (not sent)`.
    pub destination: String,
    pub kind: RouteKind,
    /// Messages that reached it, each counted once.
    pub messages: usize,
}

impl Route {
    /// The row's name in the human table: the folder, `INBOX (keep)`,
    /// `redirect ADDRESS`, or the kind.
    pub fn label(&self) -> String {
        match self.kind {
            RouteKind::Fileinto => self.destination.clone(),
            RouteKind::Keep => "INBOX (keep)".to_owned(),
            RouteKind::Redirect => format!("redirect {}", self.destination),
            RouteKind::Pipe => format!("pipe {}", self.destination),
            RouteKind::Report => format!("report to {}", self.destination),
            _ => self.destination.clone(),
        }
    }
}

/// The rows of a run, sorted by messages (most first), then by label and
/// kind. Every destination is a row; [`top`] caps them for display.
pub fn routes(results: &[MessageResult]) -> Vec<Route> {
    let mut counts = RouteCounts::default();
    for r in results {
        counts.add(r);
    }
    counts.rows()
}

/// [`routes`] counted message by message (a streamed run keeps the
/// counts, not the results).
#[derive(Debug, Default, Clone)]
pub struct RouteCounts {
    counts: HashMap<(RouteKind, String), usize>,
}

impl RouteCounts {
    pub fn add(&mut self, r: &MessageResult) {
        let mut reached: Vec<(RouteKind, &str)> = r
            .actions
            .iter()
            .filter_map(|a| RouteKind::of(&a.action))
            .collect();
        if !r.errors.is_empty() {
            reached.push((RouteKind::Error, "error"));
        }
        reached.sort_unstable();
        reached.dedup();
        for (kind, dest) in reached {
            match self.counts.get_mut(&(kind, dest.to_owned())) {
                Some(n) => *n += 1,
                None => {
                    self.counts.insert((kind, dest.to_owned()), 1);
                }
            }
        }
    }

    /// The rows, sorted as [`routes`] has them.
    pub fn rows(&self) -> Vec<Route> {
        let mut rows: Vec<(String, Route)> = self
            .counts
            .iter()
            .map(|((kind, destination), &messages)| {
                let route = Route {
                    destination: destination.clone(),
                    kind: *kind,
                    messages,
                };
                (route.label(), route)
            })
            .collect();
        rows.sort_by(|(la, a), (lb, b)| {
            b.messages
                .cmp(&a.messages)
                .then_with(|| la.cmp(lb))
                .then_with(|| a.kind.cmp(&b.kind))
        });
        rows.into_iter().map(|(_, r)| r).collect()
    }
}

/// Rows the human table shows before "… N more".
pub const TOP_ROWS: usize = 20;

/// The first `max` rows and how many rows are left out.
pub fn top(rows: &[Route], max: usize) -> (&[Route], usize) {
    let shown = rows.len().min(max);
    (&rows[..shown], rows.len() - shown)
}
