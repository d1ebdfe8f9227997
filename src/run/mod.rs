//! The dry run: evaluates a script on messages and reports the actions it
//! would take. It never sends, writes, moves or deletes mail.
//!
//! [`interp`] runs one message; [`run_all`] runs many, on all cores, with
//! results in input order. Actions, errors and the trace are data; the
//! report layer renders them.

pub mod date;
pub mod expect;
pub mod interp;
pub mod matching;
pub mod message;
pub mod routes;

pub use interp::Program;

use crate::syntax::ast::{Script, Span};
use serde::Serialize;

/// Limits of one message's run (design.md "Limits").
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_actions: usize,
    pub max_redirects: usize,
    pub max_list_redirects: usize,
    /// Commands, tests and matching work, in steps.
    pub max_steps: u64,
    /// Scripts including scripts, deeper than this, is a run-time error.
    pub max_include_depth: usize,
    /// An expanded string longer than this many bytes is a run-time error.
    pub max_string_length: usize,
    /// Distinct variables per scope (a script's own, the global one);
    /// setting one more is a run-time error.
    pub max_variables: usize,
    /// Longer variable values are truncated, with a warning (RFC 5229 §6).
    pub max_variable_size: usize,
    /// The highest match variable index a script may reference; `${N}`
    /// above it is an error before the script runs (RFC 5229 §6).
    pub max_match_variables: usize,
    /// `foreverypart` loops nested deeper than this is a run-time error.
    pub max_foreverypart_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_actions: 32,
            max_redirects: 4,
            max_list_redirects: 100,
            max_steps: 10_000_000,
            max_include_depth: 10,
            max_string_length: 1_048_576,
            max_variables: 255,
            max_variable_size: 4096,
            max_match_variables: 32,
            max_foreverypart_depth: 4,
        }
    }
}

/// What the host tells the run: envelope, environment, lists, limits.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub envelope_from: Option<String>,
    pub envelope_to: Vec<String>,
    pub env: Vec<(String, String)>,
    pub mailboxes: Vec<String>,
    pub spam_score: Option<String>,
    pub virus_score: Option<String>,
    pub lists: crate::lists::ListSet,
    /// Where `include :personal` finds scripts (the main script's folder).
    pub script_dir: Option<std::path::PathBuf>,
    /// Where `include :global` finds scripts (`--include-dir`, repeatable):
    /// searched in order, the first folder that has the script wins.
    pub global_dirs: Vec<std::path::PathBuf>,
    /// The run's lint options (`--target`, rule levels, include folders):
    /// included scripts are checked with them, and `ihave` answers for
    /// the target.
    pub check: crate::CheckOptions,
    /// `--program-result NAME=true|false`: what a vnd.dovecot program
    /// (pipe, filter, execute) would return. Default: it succeeds.
    pub program_results: Vec<(String, bool)>,
    /// `--program-output NAME=TEXT`: what `execute :output` stores.
    /// Default: the empty string.
    pub program_outputs: Vec<(String, String)>,
    /// "Now" for currentdate: (unix seconds, zone offset in minutes);
    /// `None`: the system clock, UTC.
    pub now: Option<(i64, i32)>,
    pub trace: bool,
    pub limits: Limits,
    /// Messages over this many octets are not read: their run is a
    /// run-time error (`--max-message-size`; `None`:
    /// [`message::DEFAULT_MAX_MESSAGE_SIZE`]).
    pub max_message_size: Option<u64>,
    /// The main script's path: an `include` of it is recursive (RFC 6609
    /// §3.2).
    pub script_path: Option<std::path::PathBuf>,
}

/// An action the script would take. Names are the Sieve command names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "lowercase")]
pub enum Action {
    Keep {
        implicit: bool,
        flags: Vec<String>,
    },
    Fileinto {
        mailbox: String,
        flags: Vec<String>,
        copy: bool,
        create: bool,
    },
    Redirect {
        address: String,
        copy: bool,
        /// The list it was expanded from (`redirect :list`).
        #[serde(skip_serializing_if = "Option::is_none")]
        list: Option<String>,
    },
    Discard,
    Reject {
        reason: String,
    },
    Ereject {
        reason: String,
    },
    Vacation {
        to: String,
        subject: Option<String>,
        from: Option<String>,
        handle: Option<String>,
        addresses: Vec<String>,
        seconds: Option<u64>,
        reason: String,
        /// Why no reply would be sent (RFC 5230 §4.5–4.6), if not.
        suppressed: Option<String>,
    },
    Notify {
        method: String,
        from: Option<String>,
        importance: Option<String>,
        message: Option<String>,
    },
    #[serde(rename = "addheader")]
    AddHeader {
        name: String,
        value: String,
        last: bool,
    },
    #[serde(rename = "deleteheader")]
    DeleteHeader {
        name: String,
        index: Option<usize>,
    },
    /// vnd.dovecot.pipe (spec-bosch-sieve-extprograms §5): the message
    /// would be handed to the program; never run by the dry run.
    Pipe {
        program: String,
        arguments: Vec<String>,
        copy: bool,
        r#try: bool,
    },
    /// vnd.dovecot.filter (§6): the message would be filtered through the
    /// program; the dry run leaves it unchanged.
    Filter {
        program: String,
        arguments: Vec<String>,
    },
    /// vnd.dovecot.execute (§7): the program would run.
    Execute {
        program: String,
        arguments: Vec<String>,
        /// `:input` data.
        input: Option<String>,
        /// `:pipe`: the message is its input.
        pipe: bool,
        /// `:output`: the variable its output goes to.
        output: Option<String>,
    },
    /// vnd.dovecot.debug (spec-bosch-sieve-debug §3): a log line.
    #[serde(rename = "debug_log")]
    DebugLog {
        message: String,
    },
    /// vnd.dovecot.report (spec-bosch-sieve-report §3): a MARF report.
    Report {
        feedback_type: String,
        message: String,
        address: String,
        headers_only: bool,
    },
    /// The notify draft's `notify` (draft-martin-sieve-notify-01).
    #[serde(rename = "notify")]
    NotifyDraft {
        method: String,
        id: Option<String>,
        options: Vec<String>,
        importance: String,
        message: Option<String>,
    },
    /// The notify draft's `denotify`: cancels notifications (those whose
    /// id matches, with the match type given).
    Denotify {
        r#match: Option<String>,
        id: Option<String>,
        importance: Option<String>,
    },
    /// vnd.cyrus.log: a log line.
    Log {
        message: String,
    },
    /// RFC 5703 §5: the message would be replaced (later tests still see
    /// the original in the dry run).
    Replace {
        text: String,
        subject: Option<String>,
        from: Option<String>,
        mime: bool,
    },
    /// RFC 5703 §6: the message would be enclosed in a new one.
    Enclose {
        text: String,
        subject: Option<String>,
        headers: Vec<String>,
    },
    /// RFC 6558: the parts of one media type would be converted to another.
    Convert {
        from: String,
        to: String,
        params: Vec<String>,
    },
    /// RFC 9671: the calendar data would be processed.
    #[serde(rename = "processcalendar")]
    ProcessCalendar {
        calendarid: Option<String>,
        updatesonly: bool,
    },
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Keep { .. } => "keep",
            Action::Fileinto { .. } => "fileinto",
            Action::Redirect { .. } => "redirect",
            Action::Discard => "discard",
            Action::Reject { .. } => "reject",
            Action::Ereject { .. } => "ereject",
            Action::Vacation { .. } => "vacation",
            Action::Notify { .. } => "notify",
            Action::AddHeader { .. } => "addheader",
            Action::DeleteHeader { .. } => "deleteheader",
            Action::Pipe { .. } => "pipe",
            Action::Filter { .. } => "filter",
            Action::Execute { .. } => "execute",
            Action::DebugLog { .. } => "debug_log",
            Action::Report { .. } => "report",
            Action::NotifyDraft { .. } => "notify",
            Action::Denotify { .. } => "denotify",
            Action::Log { .. } => "log",
            Action::Replace { .. } => "replace",
            Action::Enclose { .. } => "enclose",
            Action::Convert { .. } => "convert",
            Action::ProcessCalendar { .. } => "processcalendar",
        }
    }
}

/// An action and the command that caused it (`None`: the implicit keep).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRecord {
    pub action: Action,
    pub span: Option<Span>,
}

/// A run-time error or warning, with where it happened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunError {
    pub message: String,
    pub span: Option<Span>,
}

/// One list lookup of a `:list` test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListLookup {
    pub list: String,
    pub value: String,
    /// The member that matched, if any.
    pub member: Option<String>,
    /// Where the list came from: a file (`lists.json:3`) or a live source
    /// (`CardDAV https://…`, with `(cache)` when a kept copy answered).
    pub from: String,
}

/// One evaluated test (`--trace`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceEvent {
    pub span: Span,
    pub test: String,
    /// The test's source text (shortened).
    pub text: String,
    pub values: Vec<String>,
    pub keys: Vec<String>,
    pub result: bool,
    pub lists: Vec<ListLookup>,
    /// A command's event (what a program run would return, a value set),
    /// not a test's.
    pub command: bool,
}

/// What the script does with one message.
#[derive(Debug, Clone)]
pub struct MessageResult {
    pub path: String,
    pub subject: Option<String>,
    pub from: Option<String>,
    /// In execution order; the implicit keep last when in effect.
    pub actions: Vec<ActionRecord>,
    pub implicit_keep: bool,
    pub errors: Vec<RunError>,
    pub warnings: Vec<RunError>,
    pub trace: Vec<TraceEvent>,
}

/// Runs a script on every message, in parallel, results in input order.
/// A script with `duplicate` runs the messages one after the other: its
/// state crosses messages, as in a delivery agent.
pub fn run_all(
    script: &Script,
    source: &str,
    mails: &[message::Mail],
    opts: &RunOptions,
) -> Vec<MessageResult> {
    run_all_progress(script, source, mails, opts, None)
}

/// Called with the number of messages just finished (from any thread of
/// the run, in no particular order); the calls add up to the messages.
pub type Progress<'a> = &'a (dyn Fn(usize) + Sync);

/// [`run_all`], telling `progress` as messages finish (a progress bar).
/// Results stay in input order.
pub fn run_all_progress(
    script: &Script,
    source: &str,
    mails: &[message::Mail],
    opts: &RunOptions,
    progress: Option<Progress<'_>>,
) -> Vec<MessageResult> {
    use rayon::prelude::*;
    let prog = Program::new(script);
    let seen = std::sync::Mutex::new(std::collections::HashSet::new());
    let one = |m: &message::Mail| {
        let r = interp::run_message(&prog, source, m, opts, &seen);
        if let Some(tell) = progress {
            tell(1);
        }
        r
    };
    if mails.len() < 2 || prog.is_stateful() {
        return mails.iter().map(one).collect();
    }
    mails.par_iter().map(one).collect()
}

/// Messages of an mbox read ahead as one batch (and run in parallel while
/// the next batch is read), at most.
const MBOX_BATCH_MESSAGES: usize = 256;
/// Octets of an mbox batch, at most (one message may exceed it alone).
const MBOX_BATCH_BYTES: usize = 16 * 1024 * 1024;
/// Files (of a folder, a Maildir) run as one batch: each is read on the
/// thread that runs it and dropped once it ran, so a batch holds the
/// results, not the messages.
const FILE_BATCH: usize = 512;

/// [`run_all`] over sources not read yet ([`message::sources`]), in
/// bounded memory: whatever the number of messages or the size of an
/// mbox, at most a few batches of messages are held at once (see
/// [`message::Mbox`]), and no message over `opts.max_message_size` (its
/// run is a run-time error, the run goes on).
///
/// `each` is called on every result on the thread that produced it (to
/// render it there, or to count it); `sink` gets the results and what
/// `each` made of them, in input order, on the calling thread, as they
/// are ready, and whether the message is one of an mbox. A source that cannot be read ends the run with its error
/// (what came before it went to `sink`; an input that cannot be listed
/// ends it before anything runs).
pub fn run_stream<T: Send>(
    script: &Script,
    source: &str,
    mut sources: Vec<message::Source>,
    opts: &RunOptions,
    each: &(dyn Fn(&MessageResult) -> T + Sync),
    sink: &mut dyn FnMut(MessageResult, T, bool),
) -> Result<(), message::LoadError> {
    use rayon::prelude::*;
    if let Some(e) = message::take_failure(&mut sources) {
        return Err(e);
    }
    let max = opts
        .max_message_size
        .unwrap_or(message::DEFAULT_MAX_MESSAGE_SIZE);
    let prog = Program::new(script);
    // State crosses messages (`duplicate`): one after the other, as in a
    // delivery agent.
    let serial = prog.is_stateful();
    let seen = std::sync::Mutex::new(std::collections::HashSet::new());
    let one = |l: message::Loaded| {
        let r = run_loaded(&prog, source, l, opts, &seen);
        let t = each(&r);
        (r, t)
    };
    enum Done<T> {
        Ran(MessageResult, T),
        Mbox(
            message::Mbox<std::io::BufReader<std::fs::File>>,
            std::path::PathBuf,
        ),
    }
    let open = |s: message::Source| -> Result<Done<T>, message::LoadError> {
        Ok(match s.open(max)? {
            message::OpenedSource::One(l) => {
                let (r, t) = one(l);
                Done::Ran(r, t)
            }
            message::OpenedSource::Mbox(m, path) => Done::Mbox(m, path),
        })
    };
    let run_batch = |batch: Vec<message::Source>| -> Vec<Result<Done<T>, message::LoadError>> {
        if serial || batch.len() < 2 {
            batch.into_iter().map(open).collect()
        } else {
            batch.into_par_iter().map(open).collect()
        }
    };
    let mut deliver = |done: Vec<Result<Done<T>, message::LoadError>>| {
        for d in done {
            match d? {
                Done::Ran(r, t) => sink(r, t, false),
                Done::Mbox(mbox, path) => run_mbox(mbox, serial, &one, sink)
                    .map_err(|source| message::LoadError::Read { path, source })?,
            }
        }
        Ok(())
    };
    let mut rest = sources.into_iter();
    let mut ready = Vec::new();
    loop {
        let batch: Vec<message::Source> = rest.by_ref().take(FILE_BATCH).collect();
        if batch.is_empty() {
            return deliver(ready);
        }
        if serial {
            deliver(std::mem::take(&mut ready))?;
            ready = run_batch(batch);
            continue;
        }
        // The next batch runs while the one before is handed over (and
        // written out) on this thread.
        let (next, delivered) = std::thread::scope(|scope| {
            let running = scope.spawn(|| run_batch(batch));
            let delivered = deliver(std::mem::take(&mut ready));
            (running.join(), delivered)
        });
        delivered?;
        ready = next.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    }
}

/// An mbox, batch by batch: while one batch runs, the one before is
/// written out and the next is read.
fn run_mbox<T: Send, R: std::io::BufRead + Send>(
    mut mbox: message::Mbox<R>,
    serial: bool,
    one: &(dyn Fn(message::Loaded) -> (MessageResult, T) + Sync),
    sink: &mut dyn FnMut(MessageResult, T, bool),
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let read = |mbox: &mut message::Mbox<R>| -> std::io::Result<Vec<message::Loaded>> {
        let mut batch = Vec::new();
        let mut bytes = 0;
        while batch.len() < MBOX_BATCH_MESSAGES && bytes < MBOX_BATCH_BYTES {
            match mbox.next() {
                Some(l) => {
                    let l = l?;
                    bytes += l.size();
                    batch.push(l);
                }
                None => break,
            }
        }
        Ok(batch)
    };
    let run = |batch: Vec<message::Loaded>| -> Vec<(MessageResult, T)> {
        if serial {
            batch.into_iter().map(one).collect()
        } else {
            batch.into_par_iter().map(one).collect()
        }
    };
    let mut batch = read(&mut mbox)?;
    if serial {
        while !batch.is_empty() {
            for (r, t) in run(batch) {
                sink(r, t, true);
            }
            batch = read(&mut mbox)?;
        }
        return Ok(());
    }
    // A batch runs on the pool while this thread writes out the one before
    // and reads the next.
    let mut before = Vec::new();
    while !batch.is_empty() {
        let (ran, next) = std::thread::scope(|scope| {
            let running = scope.spawn(|| run(batch));
            for (r, t) in before.drain(..) {
                sink(r, t, true);
            }
            let next = read(&mut mbox);
            (running.join(), next)
        });
        before = ran.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        batch = match next {
            Ok(b) => b,
            Err(e) => {
                for (r, t) in before {
                    sink(r, t, true);
                }
                return Err(e);
            }
        };
    }
    for (r, t) in before {
        sink(r, t, true);
    }
    Ok(())
}

/// One message's run; a message too large to read is a run-time error
/// (which keeps it, RFC 5228 §2.10.6), and how it was read may add a
/// warning.
fn run_loaded(
    prog: &Program<'_>,
    source: &str,
    loaded: message::Loaded,
    opts: &RunOptions,
    seen: &std::sync::Mutex<std::collections::HashSet<String>>,
) -> MessageResult {
    match loaded {
        message::Loaded::Mail(m) => {
            let mut r = interp::run_message(prog, source, &m, opts, seen);
            if let Some(note) = m.load_note() {
                r.warnings.insert(
                    0,
                    RunError {
                        message: note.to_owned(),
                        span: None,
                    },
                );
            }
            r
        }
        message::Loaded::TooLarge { path, size, limit } => MessageResult {
            path,
            subject: None,
            from: None,
            actions: vec![ActionRecord {
                action: Action::Keep {
                    implicit: true,
                    flags: Vec::new(),
                },
                span: None,
            }],
            implicit_keep: true,
            errors: vec![RunError {
                message: format!(
                    "the message is not read: {size} bytes, over --max-message-size ({limit})"
                ),
                span: None,
            }],
            warnings: Vec::new(),
            trace: Vec::new(),
        },
    }
}
