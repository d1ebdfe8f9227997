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
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// [`run_all`] over sources not read yet ([`message::sources`]): each file
/// is read on the thread that runs its messages, and dropped once they ran.
/// `each` is called on every result on the thread that produced it (to
/// render it there); results and what `each` made come back in input
/// order. The error is the one [`message::load`] would give (the first in
/// input order); no result is returned then.
pub fn run_sources<T: Send>(
    script: &Script,
    source: &str,
    sources: Vec<message::Source>,
    opts: &RunOptions,
    each: &(dyn Fn(&MessageResult) -> T + Sync),
) -> Result<Vec<(MessageResult, T)>, message::LoadError> {
    use rayon::prelude::*;
    let prog = Program::new(script);
    let seen = std::sync::Mutex::new(std::collections::HashSet::new());
    let one = |m: &message::Mail| {
        let r = interp::run_message(&prog, source, m, opts, &seen);
        let t = each(&r);
        (r, t)
    };
    if sources.len() < 2 || prog.is_stateful() {
        // One after the other: state crosses messages (`duplicate`), or a
        // single file (an mbox: its messages in parallel, unless stateful).
        let mut out = Vec::new();
        for s in sources {
            let mails = s.load()?;
            if mails.len() < 2 || prog.is_stateful() {
                out.extend(mails.iter().map(one));
            } else {
                out.par_extend(mails.par_iter().map(one));
            }
        }
        return Ok(out);
    }
    let parts: Vec<Result<Vec<(MessageResult, T)>, message::LoadError>> = sources
        .into_par_iter()
        .map(|s| {
            let mails = s.load()?;
            Ok(if mails.len() < 2 {
                mails.iter().map(one).collect()
            } else {
                mails.par_iter().map(one).collect()
            })
        })
        .collect();
    let mut out = Vec::with_capacity(parts.len());
    for p in parts {
        out.extend(p?);
    }
    Ok(out)
}
