//! Dry-run results as text: `human` (per message, the actions with the
//! line that caused them) and `json` (design.md "Dry-run output").

use crate::diagnostic::LineIndex;
use crate::run::routes::{self, Route, RouteKind};
use crate::run::{Action, ActionRecord, MessageResult, RunError};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Counts per action and per folder over a run, and where the messages
/// went (`routes`, see [`crate::run::routes`]).
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct RunSummary {
    pub messages: usize,
    pub errors: usize,
    pub actions: BTreeMap<String, usize>,
    pub folders: BTreeMap<String, usize>,
    /// One row per destination, most messages first; every row (the human
    /// table shows the first [`routes::TOP_ROWS`]).
    pub routes: Vec<Route>,
}

impl RunSummary {
    pub fn of(results: &[MessageResult]) -> RunSummary {
        let mut s = RunSummary {
            messages: results.len(),
            routes: routes::routes(results),
            ..RunSummary::default()
        };
        for r in results {
            s.errors += r.errors.len();
            for a in &r.actions {
                *s.actions.entry(a.action.name().to_owned()).or_default() += 1;
                match &a.action {
                    Action::Fileinto { mailbox, .. } => {
                        *s.folders.entry(mailbox.clone()).or_default() += 1
                    }
                    Action::Keep { .. } => *s.folders.entry("INBOX".to_owned()).or_default() += 1,
                    _ => {}
                }
            }
        }
        s
    }
}

fn describe(a: &Action) -> String {
    let flags = |f: &[String]| {
        if f.is_empty() {
            String::new()
        } else {
            format!(" flags {}", f.join(" "))
        }
    };
    match a {
        Action::Keep {
            implicit: true,
            flags: f,
        } => format!("keep (implicit){}", flags(f)),
        Action::Keep { flags: f, .. } => format!("keep{}", flags(f)),
        Action::Fileinto {
            mailbox,
            flags: f,
            copy,
            create,
        } => format!(
            "fileinto \"{mailbox}\"{}{}{}",
            if *copy { " :copy" } else { "" },
            if *create { " :create" } else { "" },
            flags(f)
        ),
        Action::Redirect {
            address,
            copy,
            list,
        } => format!(
            "redirect to {address}{}{}",
            if *copy { " :copy" } else { "" },
            list.as_ref()
                .map(|l| format!(" (from list {l})"))
                .unwrap_or_default()
        ),
        Action::Discard => "discard".into(),
        Action::Reject { reason } => format!("reject: {}", first_line(reason)),
        Action::Ereject { reason } => format!("ereject: {}", first_line(reason)),
        Action::Vacation {
            to,
            subject,
            seconds,
            suppressed,
            ..
        } => {
            let mut s = format!("vacation reply to {to}");
            if let Some(sub) = subject {
                s.push_str(&format!(", subject \"{sub}\""));
            }
            if let Some(sec) = seconds {
                s.push_str(&format!(", at most every {}", period(*sec)));
            }
            if let Some(why) = suppressed {
                s.push_str(&format!(" — not sent: {why}"));
            }
            s
        }
        Action::Notify { method, .. } => format!("notify {method}"),
        Action::AddHeader { name, value, .. } => format!("addheader {name}: {value}"),
        Action::DeleteHeader { name, index } => match index {
            Some(i) => format!("deleteheader {name} (#{i})"),
            None => format!("deleteheader {name}"),
        },
    }
}

fn period(seconds: u64) -> String {
    if seconds.is_multiple_of(86_400) {
        format!("{} day(s)", seconds / 86_400)
    } else {
        format!("{seconds} s")
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// What the human report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanView {
    /// Each message with its actions (and trace); `false` is `--quiet`:
    /// the summary alone, even for one message.
    pub messages: bool,
}

impl Default for HumanView {
    fn default() -> Self {
        HumanView { messages: true }
    }
}

/// Human report: each message, then (for more than one message) the
/// summary with the routing table.
pub fn render_human(
    script: &str,
    source: &str,
    results: &[MessageResult],
    out: &mut dyn Write,
) -> io::Result<()> {
    render_human_view(script, source, results, HumanView::default(), out)
}

/// Human report as `view` says.
pub fn render_human_view(
    script: &str,
    source: &str,
    results: &[MessageResult],
    view: HumanView,
    out: &mut dyn Write,
) -> io::Result<()> {
    if view.messages {
        render_messages(script, source, results, out)?;
    }
    if results.len() > 1 || !view.messages {
        if view.messages {
            writeln!(out)?;
        }
        render_summary(&RunSummary::of(results), results, out)?;
    }
    Ok(())
}

fn render_messages(
    script: &str,
    source: &str,
    results: &[MessageResult],
    out: &mut dyn Write,
) -> io::Result<()> {
    let index = LineIndex::new(source);
    let at = |span: Option<crate::syntax::ast::Span>| match span {
        Some(s) => {
            let (l, c) = index.line_col(source, s.start);
            format!("{script}:{l}:{c}")
        }
        None => String::new(),
    };
    for r in results {
        write!(out, "{}", r.path)?;
        if let Some(s) = &r.subject {
            write!(out, " — \"{s}\"")?;
        }
        if let Some(f) = &r.from {
            write!(out, " from {f}")?;
        }
        writeln!(out)?;
        for t in &r.trace {
            let (l, _) = index.line_col(source, t.span.start);
            writeln!(
                out,
                "  test (line {l}) {} → {}",
                t.text.split_whitespace().collect::<Vec<_>>().join(" "),
                t.result
            )?;
            writeln!(out, "       values {:?} keys {:?}", t.values, t.keys)?;
            for lk in &t.lists {
                match &lk.member {
                    Some(m) => writeln!(
                        out,
                        "       list {}: {:?} found as {:?}",
                        lk.list, lk.value, m
                    )?,
                    None => writeln!(out, "       list {}: {:?} not found", lk.list, lk.value)?,
                }
            }
        }
        for a in &r.actions {
            let where_ = at(a.span);
            if where_.is_empty() {
                writeln!(out, "  {}", describe(&a.action))?;
            } else {
                writeln!(out, "  {:<48} {where_}", describe(&a.action))?;
            }
        }
        for w in &r.warnings {
            writeln!(out, "  warning: {}  {}", w.message, at(w.span))?;
        }
        for e in &r.errors {
            writeln!(out, "  error: {}  {}", e.message, at(e.span))?;
            writeln!(
                out,
                "  (a run-time error cancels every action: the message is kept)"
            )?;
        }
    }
    Ok(())
}

/// Cells of the widest bar in the routing table.
pub const BAR_CELLS: usize = 28;
/// The widest destination column; longer names are cut with "…".
const NAME_CELLS: usize = 28;

/// A bar of `count` against `max`, `cells` wide at `max`, in eighths of a
/// cell (`█▏▎▍▌▋▊▉`). Any count above 0 shows at least `▏`; 0 is empty.
pub fn bar(count: usize, max: usize, cells: usize) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    if count == 0 || max == 0 {
        return String::new();
    }
    let count = count.min(max) as u128;
    let eighths = (count * cells as u128 * 8).div_ceil(max as u128) as usize;
    let mut s = "█".repeat(eighths / 8);
    if let Some(&part) = PARTS.get(eighths % 8).filter(|&&c| c != ' ') {
        s.push(part);
    }
    s
}

fn cut(name: &str, cells: usize) -> String {
    if name.chars().count() <= cells {
        name.to_owned()
    } else {
        let mut s: String = name.chars().take(cells.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// The closing summary: totals, the routing table (at most
/// [`routes::TOP_ROWS`] rows, 78 columns), and the actions that edit
/// rather than route.
fn render_summary(
    s: &RunSummary,
    results: &[MessageResult],
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "{} messages, {} with run-time errors",
        s.messages,
        results.iter().filter(|r| !r.errors.is_empty()).count()
    )?;
    let (rows, more) = routes::top(&s.routes, routes::TOP_ROWS);
    if !rows.is_empty() {
        let labels: Vec<String> = rows.iter().map(|r| cut(&r.label(), NAME_CELLS)).collect();
        let name_w = labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
            .max("destination".len());
        let max = rows.iter().map(|r| r.messages).max().unwrap_or(0);
        writeln!(
            out,
            "  {:<name_w$}  {:>8}  {:>6}",
            "destination", "messages", "%"
        )?;
        for (r, label) in rows.iter().zip(&labels) {
            let pct = 100.0 * r.messages as f64 / s.messages.max(1) as f64;
            writeln!(
                out,
                "  {label:<name_w$}  {:>8}  {pct:>5.1}%  {}",
                r.messages,
                bar(r.messages, max, BAR_CELLS)
            )?;
        }
        if more > 0 {
            writeln!(
                out,
                "  … {more} more destination{} (--format json lists them all)",
                if more == 1 { "" } else { "s" }
            )?;
        }
        if s.routes.iter().map(|r| r.messages).sum::<usize>() > s.messages {
            writeln!(
                out,
                "  (a message counts once in each row it reaches: rows add up to more than {})",
                s.messages
            )?;
        }
    }
    let mut edits: BTreeMap<&str, usize> = BTreeMap::new();
    for a in results.iter().flat_map(|r| &r.actions) {
        if RouteKind::of(&a.action).is_none() {
            *edits.entry(a.action.name()).or_default() += 1;
        }
    }
    let edits: Vec<String> = edits
        .iter()
        .map(|(name, n)| format!("{name} {n}"))
        .collect();
    if !edits.is_empty() {
        writeln!(out, "  other actions: {}", edits.join(", "))?;
    }
    Ok(())
}

fn pos(index: &LineIndex, source: &str, span: Option<crate::syntax::ast::Span>) -> (Value, Value) {
    match span {
        Some(s) => {
            let (l, c) = index.line_col(source, s.start);
            (json!(l), json!(c))
        }
        None => (Value::Null, Value::Null),
    }
}

fn action_json(index: &LineIndex, source: &str, a: &ActionRecord) -> Value {
    let mut v = crate::run::expect::action_value(a);
    if let Value::Object(m) = &mut v {
        let (l, c) = pos(index, source, a.span);
        if !l.is_null() {
            m.insert("line".into(), l);
            m.insert("column".into(), c);
        }
    }
    v
}

fn error_json(index: &LineIndex, source: &str, e: &RunError) -> Value {
    let (l, c) = pos(index, source, e.span);
    json!({"message": e.message, "line": l, "column": c})
}

/// JSON report, version 1; fields are only ever added.
pub fn render_json(
    script: &str,
    source: &str,
    results: &[MessageResult],
    out: &mut dyn Write,
) -> io::Result<()> {
    let index = LineIndex::new(source);
    let messages: Vec<Value> = results
        .iter()
        .map(|r| {
            let mut m = json!({
                "path": r.path,
                "subject": r.subject,
                "from": r.from,
                "actions": r.actions.iter().map(|a| action_json(&index, source, a)).collect::<Vec<_>>(),
                "implicit_keep": r.implicit_keep,
                "errors": r.errors.iter().map(|e| error_json(&index, source, e)).collect::<Vec<_>>(),
                "warnings": r.warnings.iter().map(|e| error_json(&index, source, e)).collect::<Vec<_>>(),
            });
            if !r.trace.is_empty()
                && let Value::Object(o) = &mut m
            {
                let trace: Vec<Value> = r
                    .trace
                    .iter()
                    .map(|t| {
                        let (l, c) = pos(&index, source, Some(t.span));
                        json!({"test": t.test, "text": t.text, "line": l, "column": c,
                               "values": t.values, "keys": t.keys, "result": t.result, "lists": t.lists})
                    })
                    .collect();
                o.insert("trace".into(), Value::Array(trace));
            }
            m
        })
        .collect();
    let doc = json!({
        "version": 1,
        "script": script,
        "messages": messages,
        "summary": RunSummary::of(results),
    });
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::from)?;
    writeln!(out)
}
