//! Dry-run results as text: `human` (per message, the actions with the
//! line that caused them) and `json` (design.md "Dry-run output").

use crate::diagnostic::LineIndex;
use crate::run::{Action, ActionRecord, MessageResult, RunError};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Counts per action and per folder over a run.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct RunSummary {
    pub messages: usize,
    pub errors: usize,
    pub actions: BTreeMap<String, usize>,
    pub folders: BTreeMap<String, usize>,
}

impl RunSummary {
    pub fn of(results: &[MessageResult]) -> RunSummary {
        let mut s = RunSummary {
            messages: results.len(),
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

/// Human report.
pub fn render_human(
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
    let s = RunSummary::of(results);
    if results.len() > 1 {
        writeln!(
            out,
            "\n{} messages, {} with run-time errors",
            s.messages,
            results.iter().filter(|r| !r.errors.is_empty()).count()
        )?;
        let width = s.folders.values().max().copied().unwrap_or(1).max(1);
        for (folder, n) in &s.folders {
            let bar = "█".repeat((n * 30).div_ceil(width));
            writeln!(out, "  {folder:<24} {n:>6}  {bar}")?;
        }
        for (action, n) in &s.actions {
            if !matches!(action.as_str(), "keep" | "fileinto") {
                writeln!(out, "  {action:<24} {n:>6}")?;
            }
        }
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
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
    writeln!(out)
}
