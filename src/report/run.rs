//! Dry-run results as text: `human` (per message, the actions with the
//! line that caused them) and `json` (design.md "Dry-run output").

use crate::diagnostic::LineIndex;
use crate::run::routes::{self, Route, RouteKind};
use crate::run::{Action, ActionRecord, ListLookup, MessageResult, RunError, TraceEvent};
use crate::syntax::ast::Span;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
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
        let mut t = Tally::default();
        for r in results {
            t.add(r);
        }
        t.summary()
    }
}

/// The summary counted message by message: what the closing summary needs
/// of a run, without its results.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    messages: usize,
    errors: usize,
    with_errors: usize,
    actions: BTreeMap<String, usize>,
    folders: BTreeMap<String, usize>,
    /// Actions that edit rather than route, per name.
    edits: BTreeMap<&'static str, usize>,
    routes: routes::RouteCounts,
}

impl Tally {
    pub fn add(&mut self, r: &MessageResult) {
        fn bump(map: &mut BTreeMap<String, usize>, key: &str) {
            match map.get_mut(key) {
                Some(n) => *n += 1,
                None => {
                    map.insert(key.to_owned(), 1);
                }
            }
        }
        self.messages += 1;
        self.errors += r.errors.len();
        self.with_errors += usize::from(!r.errors.is_empty());
        self.routes.add(r);
        for a in &r.actions {
            bump(&mut self.actions, a.action.name());
            match &a.action {
                Action::Fileinto { mailbox, .. } => bump(&mut self.folders, mailbox),
                Action::Keep { .. } => bump(&mut self.folders, "INBOX"),
                _ => {}
            }
            if RouteKind::of(&a.action).is_none() {
                *self.edits.entry(a.action.name()).or_default() += 1;
            }
        }
    }

    pub fn messages(&self) -> usize {
        self.messages
    }

    pub fn summary(&self) -> RunSummary {
        RunSummary {
            messages: self.messages,
            errors: self.errors,
            actions: self.actions.clone(),
            folders: self.folders.clone(),
            routes: self.routes.rows(),
        }
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
            // No return path: nobody to answer (the reason says "not sent").
            let mut s = if to.is_empty() {
                "vacation reply (no return path)".to_owned()
            } else {
                format!("vacation reply to {to}")
            };
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
        Action::Pipe {
            program,
            arguments,
            copy,
            r#try,
        } => format!(
            "pipe to program \"{program}\"{}{}{} (not run)",
            args(arguments),
            if *copy { " :copy" } else { "" },
            if *r#try { " :try" } else { "" },
        ),
        Action::Filter { program, arguments } => format!(
            "filter through program \"{program}\"{} (not run: message unchanged)",
            args(arguments)
        ),
        Action::Execute {
            program,
            arguments,
            input,
            pipe,
            output,
        } => format!(
            "execute program \"{program}\"{}{}{}{} (not run)",
            args(arguments),
            if *pipe {
                " with the message as input"
            } else {
                ""
            },
            input
                .as_ref()
                .map(|i| format!(" with input \"{}\"", first_line(i)))
                .unwrap_or_default(),
            output
                .as_ref()
                .map(|o| format!(", output into ${{{o}}}"))
                .unwrap_or_default(),
        ),
        Action::DebugLog { message } => format!("debug_log: {}", first_line(message)),
        Action::Log { message } => format!("log: {}", first_line(message)),
        Action::Report {
            feedback_type,
            address,
            headers_only,
            ..
        } => format!(
            "report \"{feedback_type}\" to {address}{}",
            if *headers_only { " (headers only)" } else { "" }
        ),
        Action::NotifyDraft {
            method,
            options,
            importance,
            ..
        } => {
            let to = if options.is_empty() {
                String::new()
            } else {
                format!(" {}", options.join(", "))
            };
            format!("notify ({method}){to}, {importance} priority")
        }
        Action::Denotify { r#match, id, .. } => match (r#match, id) {
            (Some(m), Some(i)) => format!("denotify notifications whose id {m} \"{i}\""),
            _ => "denotify every notification".to_owned(),
        },
        Action::Replace { text, subject, .. } => format!(
            "replace the message{}: {}",
            subject
                .as_ref()
                .map(|s| format!(" (subject \"{s}\")"))
                .unwrap_or_default(),
            first_line(text)
        ),
        Action::Enclose { text, subject, .. } => format!(
            "enclose the message{}: {}",
            subject
                .as_ref()
                .map(|s| format!(" (subject \"{s}\")"))
                .unwrap_or_default(),
            first_line(text)
        ),
        Action::Convert { from, to, .. } => format!("convert {from} parts to {to} (not run)"),
        Action::ProcessCalendar { calendarid, .. } => match calendarid {
            Some(c) => format!("processcalendar into calendar \"{c}\" (not run)"),
            None => "processcalendar (not run)".to_owned(),
        },
    }
}

/// A program's arguments, quoted (`pipe`, `filter`, `execute`).
fn args(arguments: &[String]) -> String {
    arguments
        .iter()
        .map(|a| format!(" \"{a}\""))
        .collect::<String>()
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
    let mut stream = HumanStream::new(script, source, view);
    for r in results {
        stream.message(r, out)?;
    }
    stream.finish(out)
}

/// The human report written message by message (a streamed run): each
/// message as it comes, then the summary.
pub struct HumanStream<'a> {
    script: &'a str,
    source: &'a str,
    index: LineIndex,
    view: HumanView,
    tally: Tally,
}

impl<'a> HumanStream<'a> {
    pub fn new(script: &'a str, source: &'a str, view: HumanView) -> Self {
        HumanStream {
            script,
            source,
            index: LineIndex::new(source),
            view,
            tally: Tally::default(),
        }
    }

    pub fn message(&mut self, r: &MessageResult, out: &mut dyn Write) -> io::Result<()> {
        self.tally.add(r);
        if self.view.messages {
            render_message(self.script, self.source, &self.index, r, out)?;
        }
        Ok(())
    }

    /// The summary (for more than one message, or `--quiet`).
    pub fn finish(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.tally.messages > 1 || !self.view.messages {
            if self.view.messages {
                writeln!(out)?;
            }
            render_summary(&self.tally, out)?;
        }
        Ok(())
    }
}

fn render_message(
    script: &str,
    source: &str,
    index: &LineIndex,
    r: &MessageResult,
    out: &mut dyn Write,
) -> io::Result<()> {
    let at = |span: Option<crate::syntax::ast::Span>| match span {
        Some(s) => {
            let (l, c) = index.line_col(source, s.start());
            format!("{script}:{l}:{c}")
        }
        None => String::new(),
    };
    {
        write!(out, "{}", line(&r.path))?;
        if let Some(s) = &r.subject {
            write!(out, " — \"{}\"", line(s))?;
        }
        if let Some(f) = &r.from {
            write!(out, " from {}", line(f))?;
        }
        writeln!(out)?;
        for t in &r.trace {
            let (l, _) = index.line_col(source, t.span.start());
            writeln!(
                out,
                "  {} (line {l}) {} → {}",
                if t.command { "ran" } else { "test" },
                line(&t.text.split_whitespace().collect::<Vec<_>>().join(" ")),
                t.result
            )?;
            writeln!(
                out,
                "       values {} keys {}",
                quoted(&t.values),
                quoted(&t.keys)
            )?;
            for lk in &t.lists {
                let (list, value) = (line(&lk.list), short(&lk.value));
                let from = line(&lk.from);
                match &lk.member {
                    Some(m) => writeln!(
                        out,
                        "       list {list} ({from}): {value:?} found as {:?}",
                        short(m)
                    )?,
                    None => writeln!(out, "       list {list} ({from}): {value:?} not found")?,
                }
            }
        }
        for a in &r.actions {
            let where_ = at(a.span);
            let what = line(&describe(&a.action));
            if where_.is_empty() {
                writeln!(out, "  {what}")?;
            } else {
                writeln!(out, "  {what:<48} {where_}")?;
            }
        }
        for w in &r.warnings {
            writeln!(out, "  warning: {}  {}", line(&w.message), at(w.span))?;
        }
        for e in &r.errors {
            writeln!(out, "  error: {}  {}", line(&e.message), at(e.span))?;
            writeln!(
                out,
                "  (a run-time error cancels every action: the message is kept)"
            )?;
        }
    }
    Ok(())
}

/// Characters of one printed value (a header, a list member, a key).
const VALUE_MAX: usize = 200;
/// Characters of one printed line's text (an action, an error, a subject).
const LINE_MAX: usize = 500;

/// Text for one line of the human report: control characters (a line
/// break in a regex error, a CR in a Subject) as spaces, at most
/// [`LINE_MAX`] characters.
fn line(text: &str) -> String {
    one_line(text, LINE_MAX)
}

fn one_line(text: &str, max: usize) -> String {
    let cut = super::clip(text, max);
    if cut.chars().any(char::is_control) {
        cut.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect()
    } else {
        cut.into_owned()
    }
}

/// A value cut to [`VALUE_MAX`] characters (shown quoted, escapes and all).
fn short(text: &str) -> std::borrow::Cow<'_, str> {
    super::clip(text, VALUE_MAX)
}

/// `["a", "b"]` with each value cut, and at most 20 of them.
fn quoted(values: &[String]) -> String {
    let mut shown: Vec<String> = values
        .iter()
        .take(20)
        .map(|v| format!("{:?}", short(v)))
        .collect();
    if values.len() > 20 {
        shown.push(format!("… {} more", values.len() - 20));
    }
    format!("[{}]", shown.join(", "))
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
fn render_summary(t: &Tally, out: &mut dyn Write) -> io::Result<()> {
    let s = &t.summary();
    writeln!(
        out,
        "{} messages, {} with run-time errors",
        s.messages, t.with_errors
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
    let edits: Vec<String> = t
        .edits
        .iter()
        .map(|(name, n)| format!("{name} {n}"))
        .collect();
    if !edits.is_empty() {
        writeln!(out, "  other actions: {}", edits.join(", "))?;
    }
    Ok(())
}

/// The JSON report, message by message: each message is written as soon
/// as it is ready (on the thread that ran it, see [`JsonMessages::message`]),
/// then the parts are joined in input order by [`JsonMessages::finish`].
/// The bytes are those of `serde_json::to_writer_pretty` on the whole
/// report as a `serde_json::Value` (keys in sorted order), without building
/// it.
pub struct JsonMessages<'a> {
    source: &'a str,
    index: LineIndex,
    /// The script's diagnostics (warnings and notes: a script with errors
    /// does not run), as the `check` JSON document has them.
    diagnostics: serde_json::Value,
}

impl<'a> JsonMessages<'a> {
    pub fn new(source: &'a str) -> Self {
        JsonMessages {
            source,
            index: LineIndex::new(source),
            diagnostics: serde_json::Value::Array(Vec::new()),
        }
    }

    /// The report carries `lint`'s diagnostics in its `diagnostics` array.
    pub fn with_diagnostics(mut self, lint: &crate::FileReport) -> Self {
        self.diagnostics = super::json::diagnostics_value(lint);
        self
    }

    /// One message's object, as it appears in the report's `messages`
    /// array (indented two levels), appended to `out`.
    pub fn message(&self, r: &MessageResult, out: &mut Vec<u8>) {
        let view = MessageJson {
            index: &self.index,
            source: self.source,
            r,
        };
        let mut ser = serde_json::Serializer::with_formatter(&mut *out, Indented::at(2));
        // Writing to memory; the data is strings, numbers and booleans.
        let _ = view.serialize(&mut ser);
    }

    fn refused(&self) -> bool {
        self.diagnostics.as_array().is_some_and(|all| {
            all.iter()
                .any(|d| d.get("severity").and_then(|s| s.as_str()) == Some("error"))
        })
    }

    /// The whole report: the messages' parts (from [`Self::message`], in
    /// input order), then the script and the summary.
    pub fn finish<'p>(
        &self,
        script: &str,
        results: &[MessageResult],
        parts: impl IntoIterator<Item = &'p [u8]>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.begin(out)?;
        let mut any = false;
        for part in parts {
            self.part(any, part, out)?;
            any = true;
        }
        self.end(script, any, &RunSummary::of(results), out)
    }

    /// The report up to its `messages` array's first element (a streamed
    /// run: then [`Self::part`] for each message, [`Self::end`]).
    pub fn begin(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(b"{\n  \"diagnostics\": ")?;
        let mut ser = serde_json::Serializer::with_formatter(&mut *out, Indented::at(1));
        self.diagnostics
            .serialize(&mut ser)
            .map_err(io::Error::from)?;
        out.write_all(b",\n  \"messages\": [")
    }

    /// One message's part; `after` another one.
    pub fn part(&self, after: bool, part: &[u8], out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if after { b",\n    " } else { b"\n    " })?;
        out.write_all(part)
    }

    /// The rest of the report: the script and the summary; `any`: a part
    /// was written.
    pub fn end(
        &self,
        script: &str,
        any: bool,
        summary: &RunSummary,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        out.write_all(if any { b"\n  ]" } else { b"]" })?;
        // `refused`: the server would refuse the script (errors in
        // `diagnostics`): no message ran.
        let refused = self.refused();
        write!(out, ",\n  \"refused\": {refused},\n  \"script\": ")?;
        serde_json::to_writer(&mut *out, script).map_err(io::Error::from)?;
        out.write_all(b",\n  \"summary\": ")?;
        // Keys sorted, as in a Value (the derive would keep field order).
        let summary = serde_json::to_value(summary).map_err(io::Error::from)?;
        let mut ser = serde_json::Serializer::with_formatter(&mut *out, Indented::at(1));
        summary.serialize(&mut ser).map_err(io::Error::from)?;
        out.write_all(b",\n  \"version\": 1\n}\n")
    }
}

/// The JSON report of a script the server would refuse (it has errors):
/// no message ran; the diagnostics say why, `refused` is `true`.
pub fn render_refused_json(
    script: &str,
    lint: &crate::FileReport,
    out: &mut dyn Write,
) -> io::Result<()> {
    JsonMessages::new(&lint.source)
        .with_diagnostics(lint)
        .finish(script, &[], std::iter::empty(), out)
}

/// JSON report, version 1; fields are only ever added.
pub fn render_json(
    script: &str,
    source: &str,
    results: &[MessageResult],
    out: &mut dyn Write,
) -> io::Result<()> {
    let json = JsonMessages::new(source);
    let mut buf = Vec::new();
    let mut ends = Vec::with_capacity(results.len());
    for r in results {
        json.message(r, &mut buf);
        ends.push(buf.len());
    }
    let parts = ends.iter().scan(0, |start, &end| {
        let part = buf.get(*start..end).unwrap_or_default();
        *start = end;
        Some(part)
    });
    json.finish(script, results, parts, out)
}

/// serde_json's `PrettyFormatter` (two spaces), starting `depth` levels in:
/// a value written with it fits in place inside a pretty-printed document.
struct Indented {
    depth: usize,
    has_value: bool,
}

impl Indented {
    fn at(depth: usize) -> Self {
        Indented {
            depth,
            has_value: false,
        }
    }

    fn indent<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        let mut n = self.depth * 2;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Line and column (1-based) of a span's start.
fn pos(index: &LineIndex, source: &str, span: Option<Span>) -> Option<(usize, usize)> {
    span.map(|s| index.line_col(source, s.start()))
}

// The views below write their keys in sorted order, as a
// `serde_json::Value` object (a BTreeMap) does; the report's format is that
// of the Value it was once built as.

struct MessageJson<'a> {
    index: &'a LineIndex,
    source: &'a str,
    r: &'a MessageResult,
}

impl Serialize for MessageJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.r;
        let traced = !r.trace.is_empty();
        let mut m = s.serialize_map(Some(7 + usize::from(traced)))?;
        m.serialize_entry(
            "actions",
            &items(&r.actions, |a| ActionJson {
                a,
                pos: pos(self.index, self.source, a.span),
            }),
        )?;
        let error = |e: &RunError| pos(self.index, self.source, e.span);
        m.serialize_entry(
            "errors",
            &items(&r.errors, |e| ErrorJson { e, pos: error(e) }),
        )?;
        m.serialize_entry("from", &r.from)?;
        m.serialize_entry("implicit_keep", &r.implicit_keep)?;
        m.serialize_entry("path", &r.path)?;
        m.serialize_entry("subject", &r.subject)?;
        if traced {
            m.serialize_entry(
                "trace",
                &items(&r.trace, |t| TraceJson {
                    t,
                    pos: index_pos(self.index, self.source, t.span),
                }),
            )?;
        }
        m.serialize_entry(
            "warnings",
            &items(&r.warnings, |e| ErrorJson { e, pos: error(e) }),
        )?;
        m.end()
    }
}

fn index_pos(index: &LineIndex, source: &str, span: Span) -> (usize, usize) {
    index.line_col(source, span.start())
}

/// A slice written as an array of views.
struct Items<'a, T, F>(&'a [T], F);

fn items<'a, T, V: Serialize>(slice: &'a [T], view: impl Fn(&'a T) -> V) -> impl Serialize {
    Items(slice, view)
}

impl<'a, T, F, V> Serialize for Items<'a, T, F>
where
    F: Fn(&'a T) -> V,
    V: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            seq.serialize_element(&(self.1)(item))?;
        }
        seq.end()
    }
}

struct ErrorJson<'a> {
    e: &'a RunError,
    pos: Option<(usize, usize)>,
}

impl Serialize for ErrorJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("column", &self.pos.map(|p| p.1))?;
        m.serialize_entry("line", &self.pos.map(|p| p.0))?;
        m.serialize_entry("message", &self.e.message)?;
        m.end()
    }
}

struct TraceJson<'a> {
    t: &'a TraceEvent,
    pos: (usize, usize),
}

impl Serialize for TraceJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.t;
        let mut m = s.serialize_map(Some(8))?;
        m.serialize_entry("column", &self.pos.1)?;
        m.serialize_entry("keys", &t.keys)?;
        m.serialize_entry("line", &self.pos.0)?;
        m.serialize_entry("lists", &items(&t.lists, LookupJson))?;
        m.serialize_entry("result", &t.result)?;
        m.serialize_entry("test", &t.test)?;
        m.serialize_entry("text", &t.text)?;
        m.serialize_entry("values", &t.values)?;
        m.end()
    }
}

struct LookupJson<'a>(&'a ListLookup);

impl Serialize for LookupJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("from", &self.0.from)?;
        m.serialize_entry("list", &self.0.list)?;
        m.serialize_entry("member", &self.0.member)?;
        m.serialize_entry("value", &self.0.value)?;
        m.end()
    }
}

/// An action as in [`crate::run::expect::action_value`] (the `action` tag
/// and the fields, sorted), with `line` and `column` when it has a span.
struct ActionJson<'a> {
    a: &'a ActionRecord,
    pos: Option<(usize, usize)>,
}

impl Serialize for ActionJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The fields of each action, by name; `column` and `line` go in
        // their sorted places.
        let (fields, n): ([(&str, Field<'_>); 10], usize) = action_fields(&self.a.action);
        let extra = if self.pos.is_some() { 2 } else { 0 };
        let mut m = s.serialize_map(Some(n + extra))?;
        let mut column_done = self.pos.is_none();
        let mut line_done = self.pos.is_none();
        let (line, column) = self.pos.unwrap_or_default();
        for (key, value) in fields.iter().take(n) {
            if !column_done && *key > "column" {
                m.serialize_entry("column", &column)?;
                column_done = true;
            }
            if !line_done && *key > "line" {
                m.serialize_entry("line", &line)?;
                line_done = true;
            }
            m.serialize_entry(key, value)?;
        }
        if !column_done {
            m.serialize_entry("column", &column)?;
        }
        if !line_done {
            m.serialize_entry("line", &line)?;
        }
        m.end()
    }
}

/// A field of an action.
#[derive(Clone, Copy)]
enum Field<'a> {
    Str(&'a str),
    OptStr(Option<&'a str>),
    Bool(bool),
    OptNum(Option<u64>),
    List(&'a [String]),
}

impl Serialize for Field<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Field::Str(v) => s.serialize_str(v),
            Field::OptStr(v) => v.serialize(s),
            Field::Bool(v) => s.serialize_bool(v),
            Field::OptNum(v) => v.serialize(s),
            Field::List(v) => v.serialize(s),
        }
    }
}

/// An action's fields in sorted order (`action` first: it sorts first
/// for every action), and how many there are.
fn action_fields<'a>(a: &'a Action) -> ([(&'static str, Field<'a>); 10], usize) {
    use Field::{Bool, List, OptNum, OptStr, Str};
    let mut f = [("", Bool(false)); 10];
    let mut n = 0;
    let mut put = |key: &'static str, value: Field<'a>| {
        if let Some(slot) = f.get_mut(n) {
            *slot = (key, value);
            n += 1;
        }
    };
    let opt = |v: &'a Option<String>| OptStr(v.as_deref());
    match a {
        Action::Keep { implicit, flags } => {
            put("action", Str("keep"));
            put("flags", List(flags));
            put("implicit", Bool(*implicit));
        }
        Action::Fileinto {
            mailbox,
            flags,
            copy,
            create,
        } => {
            put("action", Str("fileinto"));
            put("copy", Bool(*copy));
            put("create", Bool(*create));
            put("flags", List(flags));
            put("mailbox", Str(mailbox));
        }
        Action::Redirect {
            address,
            copy,
            list,
        } => {
            put("action", Str("redirect"));
            put("address", Str(address));
            put("copy", Bool(*copy));
            if let Some(l) = list {
                put("list", Str(l));
            }
        }
        Action::Discard => put("action", Str("discard")),
        Action::Reject { reason } => {
            put("action", Str("reject"));
            put("reason", Str(reason));
        }
        Action::Ereject { reason } => {
            put("action", Str("ereject"));
            put("reason", Str(reason));
        }
        Action::Vacation {
            to,
            subject,
            from,
            handle,
            addresses,
            seconds,
            reason,
            suppressed,
        } => {
            put("action", Str("vacation"));
            put("addresses", List(addresses));
            put("from", opt(from));
            put("handle", opt(handle));
            put("reason", Str(reason));
            put("seconds", OptNum(*seconds));
            put("subject", opt(subject));
            put("suppressed", opt(suppressed));
            put("to", Str(to));
        }
        Action::Notify {
            method,
            from,
            importance,
            message,
        } => {
            put("action", Str("notify"));
            put("from", opt(from));
            put("importance", opt(importance));
            put("message", opt(message));
            put("method", Str(method));
        }
        Action::AddHeader { name, value, last } => {
            put("action", Str("addheader"));
            put("last", Bool(*last));
            put("name", Str(name));
            put("value", Str(value));
        }
        Action::DeleteHeader { name, index } => {
            put("action", Str("deleteheader"));
            put("index", OptNum(index.map(|i| i as u64)));
            put("name", Str(name));
        }
        Action::Pipe {
            program,
            arguments,
            copy,
            r#try,
        } => {
            put("action", Str("pipe"));
            put("arguments", List(arguments));
            put("copy", Bool(*copy));
            put("program", Str(program));
            put("try", Bool(*r#try));
        }
        Action::Filter { program, arguments } => {
            put("action", Str("filter"));
            put("arguments", List(arguments));
            put("program", Str(program));
        }
        Action::Execute {
            program,
            arguments,
            input,
            pipe,
            output,
        } => {
            put("action", Str("execute"));
            put("arguments", List(arguments));
            put("input", opt(input));
            put("output", opt(output));
            put("pipe", Bool(*pipe));
            put("program", Str(program));
        }
        Action::DebugLog { message } => {
            put("action", Str("debug_log"));
            put("message", Str(message));
        }
        Action::Log { message } => {
            put("action", Str("log"));
            put("message", Str(message));
        }
        Action::Report {
            feedback_type,
            message,
            address,
            headers_only,
        } => {
            put("action", Str("report"));
            put("address", Str(address));
            put("feedback_type", Str(feedback_type));
            put("headers_only", Bool(*headers_only));
            put("message", Str(message));
        }
        Action::NotifyDraft {
            method,
            id,
            options,
            importance,
            message,
        } => {
            put("action", Str("notify"));
            put("id", opt(id));
            put("importance", Str(importance));
            put("message", opt(message));
            put("method", Str(method));
            put("options", List(options));
        }
        Action::Denotify {
            r#match,
            id,
            importance,
        } => {
            put("action", Str("denotify"));
            put("id", opt(id));
            put("importance", opt(importance));
            put("match", opt(r#match));
        }
        Action::Replace {
            text,
            subject,
            from,
            mime,
        } => {
            put("action", Str("replace"));
            put("from", opt(from));
            put("mime", Bool(*mime));
            put("subject", opt(subject));
            put("text", Str(text));
        }
        Action::Enclose {
            text,
            subject,
            headers,
        } => {
            put("action", Str("enclose"));
            put("headers", List(headers));
            put("subject", opt(subject));
            put("text", Str(text));
        }
        Action::Convert { from, to, params } => {
            put("action", Str("convert"));
            put("from", Str(from));
            put("params", List(params));
            put("to", Str(to));
        }
        Action::ProcessCalendar {
            calendarid,
            updatesonly,
        } => {
            put("action", Str("processcalendar"));
            put("calendarid", opt(calendarid));
            put("updatesonly", Bool(*updatesonly));
        }
    }
    (f, n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// The report as it was built before it was streamed: a Value per
    /// message (keys sorted by the map), written pretty as a whole.
    fn as_value(source: &str, results: &[MessageResult]) -> String {
        let index = LineIndex::new(source);
        let at = |span: Option<Span>| match span {
            Some(s) => {
                let (l, c) = index.line_col(source, s.start());
                (json!(l), json!(c))
            }
            None => (Value::Null, Value::Null),
        };
        let action = |a: &ActionRecord| {
            let mut v = crate::run::expect::action_value(a);
            if let (Value::Object(m), (l, c)) = (&mut v, at(a.span))
                && !l.is_null()
            {
                m.insert("line".into(), l);
                m.insert("column".into(), c);
            }
            v
        };
        let error = |e: &RunError| {
            let (l, c) = at(e.span);
            json!({"message": e.message, "line": l, "column": c})
        };
        let messages: Vec<Value> = results
            .iter()
            .map(|r| {
                let mut m = json!({
                    "path": r.path, "subject": r.subject, "from": r.from,
                    "actions": r.actions.iter().map(action).collect::<Vec<_>>(),
                    "implicit_keep": r.implicit_keep,
                    "errors": r.errors.iter().map(error).collect::<Vec<_>>(),
                    "warnings": r.warnings.iter().map(error).collect::<Vec<_>>(),
                });
                if !r.trace.is_empty()
                    && let Value::Object(o) = &mut m
                {
                    let trace = r.trace.iter().map(|t| {
                        let (l, c) = at(Some(t.span));
                        json!({"test": t.test, "text": t.text, "line": l, "column": c,
                               "values": t.values, "keys": t.keys, "result": t.result, "lists": t.lists})
                    });
                    o.insert("trace".into(), Value::Array(trace.collect()));
                }
                m
            })
            .collect();
        let doc = json!({"version": 1, "script": "s \"x\".sieve", "messages": messages,
                         "summary": RunSummary::of(results), "diagnostics": [], "refused": false});
        let mut out = serde_json::to_string_pretty(&doc).expect("to memory");
        out.push('\n');
        out
    }

    fn streamed(source: &str, results: &[MessageResult]) -> String {
        let mut out = Vec::new();
        render_json("s \"x\".sieve", source, results, &mut out).expect("to memory");
        String::from_utf8(out).expect("UTF-8")
    }

    /// The script's diagnostics in the run's JSON report are the `check`
    /// document's, at the right depth; `refused` says whether any is an error.
    #[test]
    fn run_json_carries_the_diagnostics() {
        for (src, refused) in [
            ("require \"reject\";\nreject \"x\";\nkeep;\n", false),
            ("fileinto \"x\";\n", true),
        ] {
            let lint = crate::lint("s.sieve", src, &Default::default());
            assert!(!lint.diagnostics.is_empty());
            let mut out = Vec::new();
            if refused {
                render_refused_json("s.sieve", &lint, &mut out).expect("to memory");
            } else {
                JsonMessages::new(src)
                    .with_diagnostics(&lint)
                    .finish("s.sieve", &[], std::iter::empty(), &mut out)
                    .expect("to memory");
            }
            let doc = json!({"version": 1, "script": "s.sieve", "messages": [],
                             "summary": RunSummary::of(&[]), "refused": refused,
                             "diagnostics": super::super::json::diagnostics_value(&lint)});
            let mut want = serde_json::to_string_pretty(&doc).expect("to memory");
            want.push('\n');
            assert_eq!(String::from_utf8(out).expect("UTF-8"), want);
        }
    }

    /// A vacation without a return path names nobody; values and lines of
    /// the human report are bounded and on one line.
    #[test]
    fn human_lines_are_bounded() {
        let v = Action::Vacation {
            to: String::new(),
            subject: None,
            from: None,
            handle: None,
            addresses: vec![],
            seconds: None,
            reason: "r".into(),
            suppressed: Some("the message has no return path".into()),
        };
        assert!(describe(&v).starts_with("vacation reply (no return path)"));
        let long = "x".repeat(10_000);
        assert_eq!(line(&long).chars().count(), LINE_MAX + 1);
        assert_eq!(line("a\nb\rc"), "a b c");
        let many: Vec<String> = (0..30).map(|_| long.clone()).collect();
        let q = quoted(&many);
        assert!(q.ends_with("… 10 more]"), "{q}");
        assert!(q.chars().count() < 21 * (VALUE_MAX + 8));
    }

    #[test]
    fn streamed_json_is_the_value_json() {
        let source = "require \"x\";\n# é\n  keep;\nfileinto \"a\";\n";
        let span = |start| Some(Span::new(start, start + 1));
        let s = |v: &str| v.to_owned();
        let actions = vec![
            Action::Keep {
                implicit: true,
                flags: vec![],
            },
            Action::Keep {
                implicit: false,
                flags: vec![s("\\Seen"), s("$x")],
            },
            Action::Fileinto {
                mailbox: s("Ä/\"q\""),
                flags: vec![s("f")],
                copy: true,
                create: false,
            },
            Action::Redirect {
                address: s("a@b.c"),
                copy: false,
                list: None,
            },
            Action::Redirect {
                address: s("a@b.c"),
                copy: true,
                list: Some(s(":addrbook:default")),
            },
            Action::Discard,
            Action::Reject {
                reason: s("no\nway"),
            },
            Action::Ereject { reason: s("") },
            Action::Vacation {
                to: s("t@x"),
                subject: None,
                from: Some(s("f@x")),
                handle: None,
                addresses: vec![s("me@x")],
                seconds: Some(86400),
                reason: s("away"),
                suppressed: Some(s("list mail")),
            },
            Action::Vacation {
                to: s("t@x"),
                subject: Some(s("s")),
                from: None,
                handle: Some(s("h")),
                addresses: vec![],
                seconds: None,
                reason: s("r"),
                suppressed: None,
            },
            Action::Notify {
                method: s("mailto:a@b"),
                from: None,
                importance: Some(s("1")),
                message: None,
            },
            Action::AddHeader {
                name: s("X-A"),
                value: s("v"),
                last: true,
            },
            Action::DeleteHeader {
                name: s("X-B"),
                index: Some(2),
            },
            Action::DeleteHeader {
                name: s("X-B"),
                index: None,
            },
            Action::Pipe {
                program: s("learn"),
                arguments: vec![s("a"), s("b")],
                copy: true,
                r#try: false,
            },
            Action::Filter {
                program: s("f"),
                arguments: vec![],
            },
            Action::Execute {
                program: s("x"),
                arguments: vec![s("1")],
                input: Some(s("in")),
                pipe: false,
                output: Some(s("v")),
            },
            Action::Execute {
                program: s("x"),
                arguments: vec![],
                input: None,
                pipe: true,
                output: None,
            },
            Action::DebugLog { message: s("d") },
            Action::Log { message: s("l") },
            Action::Report {
                feedback_type: s("abuse"),
                message: s("m"),
                address: s("abuse@example.net"),
                headers_only: true,
            },
            Action::NotifyDraft {
                method: s("mailto"),
                id: Some(s("i")),
                options: vec![s("a@example.net")],
                importance: s("high"),
                message: None,
            },
            Action::Denotify {
                r#match: Some(s("is")),
                id: Some(s("i")),
                importance: None,
            },
            Action::Replace {
                text: s("t"),
                subject: Some(s("s")),
                from: None,
                mime: true,
            },
            Action::Enclose {
                text: s("t"),
                subject: None,
                headers: vec![s("X-A: 1")],
            },
            Action::Convert {
                from: s("image/tiff"),
                to: s("image/jpeg"),
                params: vec![s("pix-x=100")],
            },
            Action::ProcessCalendar {
                calendarid: Some(s("c")),
                updatesonly: false,
            },
        ];
        let mut results = Vec::new();
        for (i, a) in actions.into_iter().enumerate() {
            let with_span = ActionRecord {
                action: a.clone(),
                span: span(i % source.len()),
            };
            let without = ActionRecord {
                action: a,
                span: None,
            };
            let trace = if i % 3 == 0 {
                vec![TraceEvent {
                    span: Span::new(24, 29),
                    test: s("header"),
                    text: s("header :is \"a\" \"b\""),
                    values: vec![s("v")],
                    keys: vec![],
                    result: i % 2 == 0,
                    command: false,
                    lists: vec![
                        ListLookup {
                            list: s("l"),
                            value: s("v"),
                            member: None,
                            from: s("l.json:1"),
                        },
                        ListLookup {
                            list: s("l"),
                            value: s("w"),
                            member: Some(s("W")),
                            from: s("CardDAV https://dav.example/c/"),
                        },
                    ],
                }]
            } else {
                vec![]
            };
            results.push(MessageResult {
                path: format!("m{i}.eml"),
                subject: (i % 2 == 0).then(|| s("Grüße \u{1}")),
                from: (i % 4 == 0).then(|| s("<a@b>")),
                actions: if i == 5 {
                    vec![]
                } else {
                    vec![with_span, without]
                },
                implicit_keep: i % 2 == 1,
                errors: if i % 5 == 0 {
                    vec![
                        RunError {
                            message: s("bad"),
                            span: span(30),
                        },
                        RunError {
                            message: s("worse"),
                            span: None,
                        },
                    ]
                } else {
                    vec![]
                },
                warnings: if i == 7 {
                    vec![RunError {
                        message: s("w"),
                        span: span(3),
                    }]
                } else {
                    vec![]
                },
                trace,
            });
        }
        assert_eq!(streamed(source, &results), as_value(source, &results));
        assert_eq!(
            streamed(source, &results[..1]),
            as_value(source, &results[..1])
        );
        assert_eq!(streamed(source, &[]), as_value(source, &[]));
    }
}
