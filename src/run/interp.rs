//! The interpreter: runs a checked script against one message and records
//! the actions it would take (RFC 5228 §2.10), following the RFCs where
//! deployed engines differ (README, "run — the dry run": the semantics paragraph).
//!
//! The script is prepared once ([`Program`]: the checker's model, which has
//! every command and test bound to its signature) and run on many messages.

use super::matching::{self, Budget, Captures, Comparator, MatchType, Relation};
use super::message::{BodyTransform, Mail};
use super::{Action, ActionRecord, ListLookup, MessageResult, RunError, RunOptions, TraceEvent};
use crate::check::{Binding, Model, Node};
use crate::syntax::ast::*;
use std::borrow::Cow;
use std::collections::HashMap;

/// A script prepared for running: parsed and bound once.
pub struct Program<'s> {
    pub script: &'s Script<'s>,
    model: Model<'s>,
    /// Node address → index into `model.uses` (looked up for every command
    /// and test run).
    by_node: crate::hash::FastMap<usize, usize>,
    /// `variables` and `encoded-character` required: looked up for every
    /// string expanded.
    variables: bool,
    encoded: bool,
    /// vnd.dovecot.environment required: `${env.…}` reads environment
    /// items (spec-bosch-sieve-dovecot-environment §4).
    env_namespace: bool,
    /// imapsieve required: its user items exist, empty, at delivery.
    imapsieve: bool,
    /// The highest `${N}` in the script's strings and where (with
    /// variables required), found once: every message checks it.
    highest_match_ref: Option<(usize, Span)>,
}

impl<'s> Program<'s> {
    pub fn new(script: &'s Script<'s>) -> Self {
        let model = Model::build(script);
        let by_node = model
            .uses
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let addr = match u.node {
                    Node::Command(c) => c as *const Command as usize,
                    Node::Test(t) => t as *const Test as usize,
                };
                (addr, i)
            })
            .collect();
        let required: Vec<String> = model.required.iter().cloned().collect();
        let highest_match_ref = if required.iter().any(|c| c == "variables") {
            model
                .uses
                .iter()
                .flat_map(|u| u.node.args().args.iter().flat_map(Argument::strings))
                .filter_map(|lit| match_references(&lit.value).max().map(|n| (n, lit.span)))
                .max_by_key(|(n, _)| *n)
        } else {
            None
        };
        let variables = required.iter().any(|c| c == "variables");
        let encoded = required.iter().any(|c| c == "encoded-character");
        let env_namespace = required.iter().any(|c| c == "vnd.dovecot.environment");
        let imapsieve = required.iter().any(|c| c == "imapsieve");
        Program {
            script,
            model,
            by_node,
            variables,
            encoded,
            env_namespace,
            imapsieve,
            highest_match_ref,
        }
    }

    fn binding_of(&self, addr: usize) -> Option<&Binding<'s>> {
        self.by_node
            .get(&addr)
            .map(|&i| &self.model.uses[i].binding)
    }

    /// The capability whose command or test this node is ("notify" of the
    /// draft or of enotify; "" for the base language).
    fn capability_of(&self, addr: usize) -> &'static str {
        self.by_node
            .get(&addr)
            .and_then(|&i| self.model.uses[i].entry)
            .map_or("", |e| e.capability)
    }

    /// RFC 5229 §6: the highest `${N}`, if above `max`, as an error (a syntax error: the script does not run).
    pub fn match_variable_beyond(&self, max: usize) -> Option<RunError> {
        let (n, span) = self.highest_match_ref.filter(|(n, _)| *n > max)?;
        let shown = if n == usize::MAX {
            "a very large index".to_owned()
        } else {
            format!("${{{n}}}")
        };
        Some(RunError {
            message: format!(
                "match variable {shown} is above the highest supported, ${{{max}}} \
                 (--max-match-variables; RFC 5229 §6: a syntax error)"
            ),
            span: Some(span),
        })
    }

    /// State shared between messages makes the order matter.
    pub fn is_stateful(&self) -> bool {
        self.model
            .uses
            .iter()
            .any(|u| u.node.name().is("duplicate"))
    }
}

/// Whether a string may hold a `${…}` reference: `str::contains("${")`,
/// but a byte scan (called for every string of every test run, the
/// substring searcher's setup was most of the cost).
fn has_reference(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(b'$', b).any(|i| b.get(i + 1) == Some(&b'{'))
}

/// A command or test name in lower case, borrowed when it already is
/// (nearly always): it is looked at for every command and test run.
fn lower(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// How control leaves a command sequence.
enum Flow {
    Next,
    Stop,
    /// `return` (RFC 6609 §3.3): end the current script only.
    Return,
    /// `break [:name]` (RFC 5703 §3): leave the (named) foreverypart loop.
    Break(Option<String>),
}

/// A runtime error ends the script (RFC 5228 §2.10.6).
struct Failure(RunError);

type Res<T> = Result<T, Failure>;

struct Interp<'p, 's, 'm> {
    prog: &'p Program<'s>,
    mail: &'m Mail,
    opts: &'p RunOptions,
    source: &'p str,
    vars: HashMap<String, String>,
    /// Variables shared between scripts (RFC 6609 §3.4 `global`).
    global_vars: HashMap<String, String>,
    /// Names this script declared `global`.
    declared_globals: Vec<String>,
    /// Scripts included so far (for `:once`), and how deep we are.
    included: Vec<String>,
    include_depth: usize,
    /// The scripts running: the main one, then each include in progress
    /// (their canonical paths): including one of them is recursive.
    running: Vec<std::path::PathBuf>,
    match_vars: Vec<String>,
    /// imap4flags' internal variable (RFC 5232 §3).
    flags: Vec<String>,
    actions: Vec<ActionRecord>,
    implicit_keep: bool,
    trace: Vec<TraceEvent>,
    warnings: Vec<RunError>,
    budget: Budget,
    /// editheader changes in order (RFC 5293): later tests see them.
    edits: Vec<HeaderEdit>,
    /// Unique ids seen by `duplicate` across the run's messages.
    seen: &'p std::sync::Mutex<std::collections::HashSet<String>>,

    /// The foreverypart loops being run: (part index, loop name).
    part_stack: Vec<(usize, Option<String>)>,
    /// A string that expanded past `--max-string-length` (its span): the
    /// expansion stopped there; the command fails at the next check.
    overflow: std::cell::Cell<Option<Span>>,
}

/// Runs the program on one message.
pub fn run_message(
    prog: &Program<'_>,
    source: &str,
    mail: &Mail,
    opts: &RunOptions,
    seen: &std::sync::Mutex<std::collections::HashSet<String>>,
) -> MessageResult {
    let mut it = Interp {
        prog,
        mail,
        opts,
        source,
        vars: HashMap::new(),
        global_vars: HashMap::new(),
        declared_globals: Vec::new(),
        included: Vec::new(),
        include_depth: 0,
        running: opts.script_path.iter().map(|p| script_key(p)).collect(),
        match_vars: Vec::new(),
        flags: Vec::new(),
        actions: Vec::new(),
        implicit_keep: true,
        trace: Vec::new(),
        warnings: Vec::new(),
        budget: Budget::new(opts.limits.max_steps),
        edits: Vec::new(),
        part_stack: Vec::new(),
        seen,
        overflow: std::cell::Cell::new(None),
    };
    let mut errors = Vec::new();
    // RFC 5229 §6: a match variable beyond the supported ones is a syntax
    // error: the script does not run.
    let checked = match prog.match_variable_beyond(opts.limits.max_match_variables) {
        Some(e) => Err(Failure(e)),
        None => it.run_block(&prog.script.commands),
    };
    match checked {
        Ok(_) => {
            if let Err(Failure(e)) = it.finish() {
                errors.push(e);
            }
        }
        Err(Failure(e)) => errors.push(e),
    }
    if !errors.is_empty() {
        // RFC 5228 §2.10.6: a run-time error cancels every action; the
        // implicit keep is taken.
        it.actions.clear();
        it.implicit_keep = true;
    }
    let mut actions = it.actions;
    if it.implicit_keep {
        actions.push(ActionRecord {
            action: Action::Keep {
                implicit: true,
                flags: it.flags.clone(),
            },
            span: None,
        });
    }
    MessageResult {
        path: mail.path().to_owned(),
        subject: mail.subject(),
        from: mail.from_text(),
        actions,
        implicit_keep: it.implicit_keep,
        errors,
        warnings: it.warnings,
        trace: it.trace,
    }
}

/// Who a script is, for recursion: its canonical path (the path as given
/// when it cannot be resolved).
fn script_key(path: &std::path::Path) -> std::path::PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// An error or warning of an included script, shown at the `include`
/// line (`span`) of the script that included it: the message names the
/// included script and the line:column in it (`text`), as
/// "in included script b.sieve:3:5: …"; nested includes chain.
fn in_included(e: RunError, file: &str, text: &str, span: Span) -> RunError {
    let at = e.span.map_or_else(String::new, |s| {
        let (line, column) = crate::diagnostic::LineIndex::new(text).line_col(text, s.start());
        format!(":{line}:{column}")
    });
    RunError {
        message: format!("in included script {file}{at}: {}", e.message),
        span: Some(span),
    }
}

fn err(span: Span, message: impl Into<String>) -> Failure {
    Failure(RunError {
        message: message.into(),
        span: Some(span),
    })
}

impl<'p, 's, 'm> Interp<'p, 's, 'm> {
    fn binding(&self, addr: usize, span: Span) -> Res<&'p Binding<'s>> {
        self.prog
            .binding_of(addr)
            .ok_or_else(|| err(span, "internal: command not bound"))
    }

    fn tag_arg<'b>(b: &'b Binding<'s>, name: &str) -> Option<&'b Argument<'b>> {
        b.tags
            .iter()
            .find(|t| t.entry.spec.name == name)
            .and_then(|t| t.arg)
    }

    fn has_tag(b: &Binding<'s>, name: &str) -> bool {
        b.tags.iter().any(|t| t.entry.spec.name == name)
    }

    fn step(&mut self, span: Span) -> Res<()> {
        self.overflowed()?;
        if self.budget.remaining == 0 {
            return Err(err(
                span,
                "the script ran past its step limit (--max-steps)",
            ));
        }
        self.budget.remaining -= 1;
        Ok(())
    }

    /// The error for a string that expanded past `--max-string-length`.
    fn overflowed(&self) -> Res<()> {
        match self.overflow.take() {
            Some(span) => Err(err(
                span,
                format!(
                    "a string expands to more than {} bytes (--max-string-length)",
                    self.opts.limits.max_string_length
                ),
            )),
            None => Ok(()),
        }
    }

    fn run_block(&mut self, commands: &'s [Command]) -> Res<Flow> {
        let mut chain_taken: Option<bool> = None;
        for cmd in commands {
            self.step(cmd.span)?;
            let name = lower(&cmd.name.name);
            match &*name {
                "if" => {
                    let t = self.condition(cmd)?;
                    chain_taken = Some(t);
                    if t && let Some(f @ (Flow::Stop | Flow::Break(_) | Flow::Return)) =
                        self.run_sub(cmd)?
                    {
                        return Ok(f);
                    }
                }
                "elsif" => {
                    if chain_taken == Some(false) {
                        let t = self.condition(cmd)?;
                        chain_taken = Some(t);
                        if t && let Some(f @ (Flow::Stop | Flow::Break(_) | Flow::Return)) =
                            self.run_sub(cmd)?
                        {
                            return Ok(f);
                        }
                    }
                }
                "else" => {
                    if chain_taken == Some(false)
                        && let Some(f @ (Flow::Stop | Flow::Break(_) | Flow::Return)) =
                            self.run_sub(cmd)?
                    {
                        return Ok(f);
                    }
                    chain_taken = None;
                }
                "foreverypart" => {
                    chain_taken = None;
                    if let Flow::Stop = self.foreverypart(cmd)? {
                        return Ok(Flow::Stop);
                    }
                }
                _ => {
                    chain_taken = None;
                    let flow = self.command(cmd, &name)?;
                    self.overflowed()?;
                    match flow {
                        Flow::Next => {}
                        f => return Ok(f),
                    }
                }
            }
        }
        Ok(Flow::Next)
    }

    fn run_sub(&mut self, cmd: &'s Command<'s>) -> Res<Option<Flow>> {
        match &cmd.block {
            Some(b) => Ok(Some(self.run_block(&b.commands)?)),
            None => Ok(None),
        }
    }

    fn condition(&mut self, cmd: &'s Command<'s>) -> Res<bool> {
        match cmd.args.tests.as_deref() {
            Some(Tests::One(t)) => {
                let result = self.test(t)?;
                self.overflowed()?;
                Ok(result)
            }
            _ => Err(err(cmd.span, "this condition has no test")),
        }
    }

    /// A string argument with variables and encoded characters expanded;
    /// borrowed from the script when there is nothing to expand.
    fn expand(&self, s: &'s StringLit<'s>) -> Cow<'s, str> {
        let decoded = if self.prog.encoded {
            crate::syntax::encoded::decode(&s.value)
        } else {
            Cow::Borrowed(s.value.as_ref())
        };
        let max = self.opts.limits.max_string_length;
        let (out, over) = if self.prog.variables && has_reference(&decoded) {
            let (out, over) = self.substitute(&decoded, max);
            (Cow::Owned(out), over)
        } else {
            let over = decoded.len() > max;
            (decoded, over)
        };
        if over && self.overflow.get().is_none() {
            self.overflow.set(Some(s.span));
        }
        out
    }

    /// RFC 5229 §3: `${name}` and `${N}`; unknown names are empty; a `${`
    /// that does not form a reference stays as it is. Stops once the
    /// result is longer than `max` bytes: (what it has, true).
    fn substitute(&self, s: &str, max: usize) -> (String, bool) {
        if !s.contains("${") {
            return (s.to_owned(), s.len() > max);
        }
        let mut out = String::with_capacity(s.len().min(max));
        let mut rest = s;
        while let Some(i) = rest.find("${") {
            if out.len() > max {
                return (out, true);
            }
            out.push_str(&rest[..i]);
            let tail = &rest[i + 2..];
            match tail.find('}') {
                Some(end) if is_var_ref(&tail[..end]) => {
                    let name = &tail[..end];
                    if let Ok(n) = name.parse::<usize>() {
                        out.push_str(self.match_vars.get(n).map_or("", String::as_str));
                    } else {
                        let key = name.to_ascii_lowercase();
                        out.push_str(self.get_var(&key).as_deref().unwrap_or(""));
                    }
                    rest = &tail[end + 1..];
                }
                _ => {
                    out.push_str("${");
                    rest = tail;
                }
            }
        }
        out.push_str(rest);
        let over = out.len() > max;
        (out, over)
    }

    fn strings(&self, a: Option<&'s Argument<'s>>) -> Vec<String> {
        a.map(|a| {
            a.strings()
                .iter()
                .map(|s| self.expand(s).into_owned())
                .collect()
        })
        .unwrap_or_default()
    }

    /// [`Self::strings`], borrowed from the script where nothing expands.
    fn keys(&self, a: Option<&'s Argument<'s>>) -> Vec<Cow<'s, str>> {
        a.map(|a| a.strings().iter().map(|s| self.expand(s)).collect())
            .unwrap_or_default()
    }

    fn string(&self, a: Option<&'s Argument<'s>>) -> String {
        self.strings(a).into_iter().next().unwrap_or_default()
    }

    fn push(&mut self, action: Action, span: Span) -> Res<()> {
        self.overflowed()?;
        if self.actions.len() >= self.opts.limits.max_actions {
            return Err(err(
                span,
                format!(
                    "more than {} actions (--max-actions)",
                    self.opts.limits.max_actions
                ),
            ));
        }
        self.actions.push(ActionRecord {
            action,
            span: Some(span),
        });
        Ok(())
    }

    fn command(&mut self, cmd: &'s Command<'s>, name: &str) -> Res<Flow> {
        let addr = cmd as *const Command as usize;
        let span = cmd.span;
        let b = self.binding(addr, span)?;
        match name {
            "require" => {}
            "stop" => return Ok(Flow::Stop),
            "return" => return Ok(Flow::Return),
            "global" => {
                for n in self.strings(b.positional.first()) {
                    let n = n.to_ascii_lowercase();
                    if !self.declared_globals.contains(&n) {
                        self.declared_globals.push(n);
                    }
                }
            }
            "include" => return self.include(b, span),
            "break" => {
                if self.part_stack.is_empty() {
                    return Err(err(span, "`break` outside foreverypart"));
                }
                let name = Self::tag_arg(b, "name").map(|a| self.string(Some(a)));
                return Ok(Flow::Break(name));
            }
            "extracttext" => {
                let Some(&(part, _)) = self.part_stack.last() else {
                    return Err(err(
                        span,
                        "`extracttext` outside foreverypart (RFC 5703 §7)",
                    ));
                };
                let mut text = match &self.mail.parts().get(part).map(|p| &p.body) {
                    Some(super::message::PartBody::Text { text, .. }) => text.clone(),
                    _ => String::new(),
                };
                if let Some(Argument::Number(n)) = Self::tag_arg(b, "first") {
                    text = text
                        .chars()
                        .take(usize::try_from(n.value).unwrap_or(usize::MAX))
                        .collect();
                }
                let name = self.string(b.positional.first()).to_ascii_lowercase();
                let value = self.modified(b, text);
                self.set_var(name, value, span)?;
            }
            "keep" => {
                let flags = self.flags_for(b);
                self.push(
                    Action::Keep {
                        implicit: false,
                        flags,
                    },
                    span,
                )?;
                self.implicit_keep = false;
            }
            "discard" => {
                self.push(Action::Discard, span)?;
                self.implicit_keep = false;
            }
            "fileinto" => {
                let mailbox = self.string(b.positional.first());
                let copy = Self::has_tag(b, "copy");
                let create = Self::has_tag(b, "create");
                let flags = self.flags_for(b);
                self.push(
                    Action::Fileinto {
                        mailbox,
                        flags,
                        copy,
                        create,
                    },
                    span,
                )?;
                if !copy {
                    self.implicit_keep = false;
                }
            }
            "redirect" => {
                let copy = Self::has_tag(b, "copy");
                if Self::has_tag(b, "list") {
                    self.redirect_list(b, span, copy)?;
                } else {
                    let written = self.string(b.positional.first());
                    // RFC 5228 §2.4.2.3: the envelope recipient is the
                    // addr-spec; a value that is no sieve-address is an
                    // error when the action runs.
                    let address = crate::syntax::address::parse_mailbox(&written)
                        .map_err(|e| {
                            err(
                                span,
                                format!("redirect to {written:?}: not an address ({})", e.reason),
                            )
                        })?
                        .addr_spec;
                    self.redirect_to(address, None, copy, span)?;
                }
                if !copy {
                    self.implicit_keep = false;
                }
            }
            "reject" | "ereject" => {
                let reason = self.string(b.positional.first());
                let action = if name == "reject" {
                    Action::Reject { reason }
                } else {
                    Action::Ereject { reason }
                };
                self.push(action, span)?;
                self.implicit_keep = false;
            }
            "set" => self.set(b, span)?,
            "setflag" | "addflag" | "removeflag" => self.flag_command(name, b, span)?,
            "vacation" => self.vacation(b, span)?,
            "notify" if self.prog.capability_of(addr) == "notify" => self.notify_draft(b, span)?,
            "denotify" => {
                // draft-martin-sieve-notify-01: `denotify [MATCH-TYPE id] [priority]`.
                let (kind, id) = ["is", "contains", "matches", "regex"]
                    .iter()
                    .find_map(|m| Self::tag_arg(b, m).map(|a| (*m, self.string(Some(a)))))
                    .map_or((None, None), |(k, i)| (Some(k.to_owned()), Some(i)));
                let importance = draft_priority(b);
                self.denotify(kind.as_deref(), id.as_deref(), importance.as_deref(), span)?;
                self.push(
                    Action::Denotify {
                        r#match: kind,
                        id,
                        importance,
                    },
                    span,
                )?;
            }
            "pipe" => self.pipe(b, span)?,
            "convert" => {
                self.convert(b, span, None)?;
            }
            // RFC 5703 §5–§6: reported; the dry run's later tests still see
            // the message as it came (README).
            "replace" => {
                let text = self.string(b.positional.first());
                let subject = Self::tag_arg(b, "subject").map(|a| self.string(Some(a)));
                let from = Self::tag_arg(b, "from").map(|a| self.string(Some(a)));
                let mime = Self::has_tag(b, "mime");
                self.push(
                    Action::Replace {
                        text,
                        subject,
                        from,
                        mime,
                    },
                    span,
                )?;
            }
            "enclose" => {
                let text = self.string(b.positional.first());
                let subject = Self::tag_arg(b, "subject").map(|a| self.string(Some(a)));
                let headers = Self::tag_arg(b, "headers")
                    .map(|a| self.strings(Some(a)))
                    .unwrap_or_default();
                self.push(
                    Action::Enclose {
                        text,
                        subject,
                        headers,
                    },
                    span,
                )?;
            }
            "processcalendar" => self.processcalendar(b, span)?,
            "filter" => {
                self.filter(b, span, None)?;
            }
            "execute" => {
                self.execute(b, span, None)?;
            }
            "debug_log" => {
                let message = self.string(b.positional.first());
                self.push(Action::DebugLog { message }, span)?;
            }
            "log" => {
                let message = self.string(b.positional.first());
                self.push(Action::Log { message }, span)?;
            }
            "report" => self.report(b, span)?,
            // draft-melnikov-sieve-imapflags-03 §5: `mark` is
            // `addflag "\\Flagged"`, `unmark` is `removeflag "\\Flagged"`.
            "mark" => {
                if !self
                    .flags
                    .iter()
                    .any(|f| f.eq_ignore_ascii_case("\\Flagged"))
                {
                    self.flags.push("\\Flagged".to_owned());
                }
            }
            "unmark" => self.flags.retain(|f| !f.eq_ignore_ascii_case("\\Flagged")),
            "notify" => {
                let method = self.string(b.positional.first());
                let message = Self::tag_arg(b, "message").map(|a| self.string(Some(a)));
                let from = Self::tag_arg(b, "from").map(|a| self.string(Some(a)));
                let importance = Self::tag_arg(b, "importance").map(|a| self.string(Some(a)));
                self.push(
                    Action::Notify {
                        method,
                        from,
                        importance,
                        message,
                    },
                    span,
                )?;
            }
            "addheader" => {
                let name = self.string(b.positional.first());
                let value = self.string(b.positional.get(1));
                let last = Self::has_tag(b, "last");
                self.edits.push(HeaderEdit::Add {
                    name: name.clone(),
                    value: value.clone(),
                    last,
                });
                self.push(Action::AddHeader { name, value, last }, span)?;
            }
            "deleteheader" => {
                let name = self.string(b.positional.first());
                let index = Self::tag_arg(b, "index").and_then(|a| match a {
                    Argument::Number(n) => usize::try_from(n.value).ok(),
                    _ => None,
                });
                // [:index n [:last]] [COMPARATOR] [MATCH-TYPE] name [patterns]
                let patterns = (b.positional.len() > 1).then(|| self.strings(b.positional.get(1)));
                let (mt, cmp) = self.match_spec(b)?;
                self.edits.push(HeaderEdit::Delete {
                    name: name.clone(),
                    index: index.map(|i| (i, Self::has_tag(b, "last"))),
                    patterns: patterns.map(|p| (mt, cmp, p)),
                });
                self.push(Action::DeleteHeader { name, index }, span)?;
            }
            "error" => {
                let message = self.string(b.positional.first());
                return Err(err(span, format!("the script raised an error: {message}")));
            }
            _ => return Err(err(span, format!("`{name}` cannot run: unknown command"))),
        }
        Ok(Flow::Next)
    }

    /// `:flags` of keep/fileinto, else the internal flag variable.
    fn flags_for(&self, b: &Binding<'s>) -> Vec<String> {
        match Self::tag_arg(b, "flags") {
            Some(a) => split_flags(&self.strings(Some(a))),
            None => self.flags.clone(),
        }
    }

    fn redirect_to(
        &mut self,
        address: String,
        list: Option<String>,
        copy: bool,
        span: Span,
    ) -> Res<()> {
        let redirects = self
            .actions
            .iter()
            .filter(|a| matches!(a.action, Action::Redirect { .. }))
            .count();
        // RFC 5228 §4.2: the same address twice is one redirect.
        if self.actions.iter().any(|a| matches!(&a.action, Action::Redirect { address: x, .. } if x.eq_ignore_ascii_case(&address))) {
            self.warnings.push(RunError {
                message: format!("redirect to {address} again: sent once"),
                span: Some(span),
            });
            return Ok(());
        }
        if redirects >= self.opts.limits.max_redirects {
            return Err(err(
                span,
                format!(
                    "more than {} redirects (--max-redirects)",
                    self.opts.limits.max_redirects
                ),
            ));
        }
        if self
            .opts
            .envelope_to
            .iter()
            .any(|me| me.eq_ignore_ascii_case(&address))
        {
            self.warnings.push(RunError {
                message: format!(
                    "redirect to the recipient's own address {address}: servers may ignore it"
                ),
                span: Some(span),
            });
        }
        self.push(
            Action::Redirect {
                address,
                copy,
                list,
            },
            span,
        )
    }

    /// RFC 6134 §2.3: one redirect per member of the list.
    fn redirect_list(&mut self, b: &Binding<'s>, span: Span, copy: bool) -> Res<()> {
        let name = self.string(b.positional.first());
        let list = self.lookup_list(&name, span)?;
        if list.live.is_some() {
            return Err(err(
                span,
                format!(
                    "list {name} is asked per lookup ({}): redirect :list needs every member, \
                     and the list is too big to fetch",
                    list.origin
                ),
            ));
        }
        if list.members.len() > self.opts.limits.max_list_redirects {
            return Err(err(
                span,
                format!(
                    "list {name} has {} members: more than --max-list-redirects ({})",
                    list.members.len(),
                    self.opts.limits.max_list_redirects
                ),
            ));
        }
        let mut addresses = Vec::with_capacity(list.members.len());
        for m in &list.members {
            if m.contains('*') || m.contains('?') {
                return Err(err(
                    span,
                    format!(
                        "list {name} holds a pattern ({m}), not an address: it cannot be redirected to"
                    ),
                ));
            }
            // The same parser as `redirect` (RFC 5228 §2.4.2.3).
            match crate::syntax::address::parse_mailbox(m) {
                Ok(a) => addresses.push(a.addr_spec),
                Err(_) => {
                    return Err(err(
                        span,
                        format!("list {name} holds \"{m}\", which is not an e-mail address"),
                    ));
                }
            }
        }
        for m in addresses {
            self.redirect_to(m, Some(name.clone()), copy, span)?;
        }
        Ok(())
    }

    fn lookup_list(&self, name: &str, span: Span) -> Res<&'p crate::lists::source::List> {
        let parsed = parse_name_cached(name)
            .map_err(|e| err(span, format!("invalid list name \"{name}\": {e}")))?;
        self.opts.lists.get_normalized(&parsed.normalized).ok_or_else(|| {
            let loaded = self.opts.lists.names();
            err(
                span,
                if loaded.is_empty() {
                    format!("cannot query list \"{name}\": no lists are loaded (--lists, --list)")
                } else {
                    format!(
                        "cannot query list \"{name}\" (normalized \"{}\"): the loaded lists are {}",
                        parsed.normalized,
                        loaded.join(", ")
                    )
                },
            )
        })
    }

    fn set(&mut self, b: &Binding<'s>, span: Span) -> Res<()> {
        let name = self.string(b.positional.first()).to_ascii_lowercase();
        let value = self.string(b.positional.get(1));
        self.overflowed()?;
        let value = self.modified(b, value);
        self.set_var(name, value, span)
    }

    /// The `set` modifiers (RFC 5229 §4.1), also taken by extracttext;
    /// highest precedence first.
    fn modified(&self, b: &Binding<'s>, mut value: String) -> String {
        if Self::has_tag(b, "lower") {
            value = value.to_ascii_lowercase();
        }
        if Self::has_tag(b, "upper") {
            value = value.to_ascii_uppercase();
        }
        if Self::has_tag(b, "lowerfirst") {
            value = first_char(&value, false);
        }
        if Self::has_tag(b, "upperfirst") {
            value = first_char(&value, true);
        }
        if Self::has_tag(b, "quotewildcard") {
            value = value
                .replace('\\', "\\\\")
                .replace('*', "\\*")
                .replace('?', "\\?");
        }
        if Self::has_tag(b, "quoteregex") {
            value = regex::escape(&value);
        }
        if Self::has_tag(b, "encodeurl") {
            value = value
                .bytes()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || b"-._~".contains(&c) {
                        (c as char).to_string()
                    } else {
                        format!("%{c:02X}")
                    }
                })
                .collect();
        }
        if Self::has_tag(b, "length") {
            value = value.chars().count().to_string();
        }
        value
    }

    /// RFC 5703 §3: runs the block once per MIME part below the current
    /// one (the whole message at the top: every part but the root, or the
    /// root itself when the message is not multipart).
    fn foreverypart(&mut self, cmd: &'s Command<'s>) -> Res<Flow> {
        let b = self.binding(cmd as *const Command as usize, cmd.span)?;
        let name = Self::tag_arg(b, "name").map(|a| self.string(Some(a)));
        self.overflowed()?;
        let max = self.opts.limits.max_foreverypart_depth;
        if self.part_stack.len() >= max {
            return Err(err(
                cmd.span,
                format!("foreverypart loops nested deeper than {max} (--max-foreverypart-depth)"),
            ));
        }
        let parts = self.mail.parts();
        let children: Vec<usize> = match self.part_stack.last() {
            Some(&(p, _)) => descendants(parts, p),
            // At the top the message itself is the first part (as
            // Pigeonhole and Stalwart do).
            None => (0..parts.len()).collect(),
        };
        for i in children {
            self.step(cmd.span)?;
            self.part_stack.push((i, name.clone()));
            let flow = match &cmd.block {
                Some(block) => self.run_block(&block.commands),
                None => Ok(Flow::Next),
            };
            self.part_stack.pop();
            match flow? {
                Flow::Next => {}
                Flow::Stop => return Ok(Flow::Stop),
                Flow::Return => return Ok(Flow::Return),
                Flow::Break(None) => break,
                Flow::Break(Some(n))
                    if name.as_deref().is_some_and(|m| m.eq_ignore_ascii_case(&n)) =>
                {
                    break;
                }
                f @ Flow::Break(Some(_)) => return Ok(f),
            }
        }
        Ok(Flow::Next)
    }

    /// Header values for a test with `:mime` (RFC 5703 §4): the current
    /// part's fields (with `:anychild`, those of every part below it), and
    /// the Content-Type options.
    fn mime_values(&self, b: &Binding<'s>, names: &[String]) -> Vec<String> {
        let parts = self.mail.parts();
        let current = self.part_stack.last().map_or(0, |&(p, _)| p);
        let mut scope = vec![current];
        if Self::has_tag(b, "anychild") {
            scope.extend(descendants(parts, current));
        }
        let mut out = Vec::new();
        for &p in &scope {
            let Some(part) = parts.get(p) else { continue };
            for n in names {
                for (field, value) in &part.headers {
                    if !field.eq_ignore_ascii_case(n) {
                        continue;
                    }
                    let (media, params) = split_params(value);
                    if Self::has_tag(b, "type") {
                        out.push(media.split('/').next().unwrap_or("").trim().to_owned());
                    } else if Self::has_tag(b, "subtype") {
                        out.push(
                            media
                                .split_once('/')
                                .map_or("", |(_, s)| s)
                                .trim()
                                .to_owned(),
                        );
                    } else if Self::has_tag(b, "contenttype") {
                        out.push(media.trim().to_owned());
                    } else if let Some(a) = Self::tag_arg(b, "param") {
                        let wanted = self.strings(Some(a));
                        for (k, v) in &params {
                            if wanted.iter().any(|w| w.eq_ignore_ascii_case(k)) {
                                out.push(v.clone());
                            }
                        }
                    } else {
                        out.push(value.clone());
                    }
                }
            }
        }
        out
    }

    /// RFC 6609 §3.4: `global.x`, or a name this script declared global,
    /// lives in the shared map; any other name is local to the script.
    /// spec-bosch-sieve-dovecot-environment §4: with vnd.dovecot.environment
    /// `env.NAME` is the environment item NAME, read-only, a "-" of the
    /// item's name written "_" (`${env.vnd.dovecot.default_mailbox}`).
    fn get_var(&self, name: &str) -> Option<Cow<'_, str>> {
        if self.prog.env_namespace
            && let Some(item) = name.strip_prefix("env.")
        {
            return self
                .environment(item)
                .or_else(|| self.environment(&item.replace('_', "-")))
                .map(Cow::Owned);
        }
        match self.global_name(name) {
            Some(g) => self.global_vars.get(&g),
            None => self.vars.get(name),
        }
        .map(|v| Cow::Borrowed(v.as_str()))
    }

    /// Sets a variable. RFC 5229 §6: a value longer than the limit is
    /// truncated (at a character boundary), not an error; a warning says
    /// so. A new variable past `--max-variables` in its scope is an error.
    fn set_var(&mut self, name: String, mut value: String, span: Span) -> Res<()> {
        self.overflowed()?;
        let max_size = self.opts.limits.max_variable_size;
        if value.len() > max_size {
            let mut cut = max_size;
            while !value.is_char_boundary(cut) {
                cut -= 1;
            }
            self.warnings.push(RunError {
                message: format!(
                    "the value of `{name}` ({} bytes) is truncated to {cut} bytes \
                     (--max-variable-size; RFC 5229 §6)",
                    value.len()
                ),
                span: Some(span),
            });
            value.truncate(cut);
        }
        let max = self.opts.limits.max_variables;
        let (map, key, scope) = match self.global_name(&name) {
            Some(g) => (&mut self.global_vars, g, "global"),
            None => (&mut self.vars, name, "script"),
        };
        if !map.contains_key(&key) && map.len() >= max {
            return Err(err(
                span,
                format!(
                    "setting `{key}` makes more than {max} variables in the {scope} scope \
                     (--max-variables)"
                ),
            ));
        }
        map.insert(key, value);
        Ok(())
    }

    fn global_name(&self, name: &str) -> Option<String> {
        if let Some(rest) = name.strip_prefix("global.") {
            return Some(rest.to_owned());
        }
        self.declared_globals
            .iter()
            .any(|g| g == name)
            .then(|| name.to_owned())
    }

    /// RFC 6609 §3.2: runs another script. `:personal` (default) scripts
    /// are looked up beside the main script, `:global` ones in every
    /// `--include-dir` in the order given (the first folder that has it
    /// wins); in each folder "NAME.sieve", then "NAME", as the checker
    /// does. Only regular files are read (a FIFO would block the run).
    /// The included script is checked with the run's own options
    /// (`--target`, rule levels). Actions of the included script are
    /// reported at the `include` line.
    fn include(&mut self, b: &Binding<'s>, span: Span) -> Res<Flow> {
        let name = self.string(b.positional.first());
        self.overflowed()?;
        let optional = Self::has_tag(b, "optional");
        let once = Self::has_tag(b, "once");
        let dirs: Vec<&std::path::PathBuf> = if Self::has_tag(b, "global") {
            self.opts.global_dirs.iter().collect()
        } else {
            self.opts.script_dir.iter().collect()
        };
        if name.is_empty()
            || name.contains(['/', '\\'])
            || name.starts_with('.')
            || name.chars().any(char::is_control)
        {
            return Err(err(
                span,
                format!("include: \"{name}\" is not a script name"),
            ));
        }
        if dirs.is_empty() {
            return Err(err(
                span,
                if Self::has_tag(b, "global") {
                    "include :global needs --include-dir"
                } else {
                    "include: the main script's folder is not known"
                },
            ));
        }
        let mut not_regular = None;
        let path = dirs
            .iter()
            .flat_map(|d| [format!("{name}.sieve"), name.clone()].map(|f| d.join(f)))
            .find(|p| match std::fs::metadata(p) {
                Ok(m) if m.is_file() => true,
                Ok(_) => {
                    not_regular.get_or_insert_with(|| p.display().to_string());
                    false
                }
                Err(_) => false,
            });
        let Some(path) = path else {
            if optional {
                return Ok(Flow::Next);
            }
            let folders: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
            return Err(err(
                span,
                match not_regular {
                    Some(p) => format!("include: {p} is not a regular file: not read"),
                    None => format!("include: no script \"{name}\" in {}", folders.join(", ")),
                },
            ));
        };
        let file = path
            .file_name()
            .map_or_else(|| name.clone(), |f| f.to_string_lossy().into_owned());
        let key = path.display().to_string();
        // RFC 6609 §3: recursion (a includes a, or a includes b includes a)
        // is an error at execution time, the main script included; §3.2:
        // with `:once` it is no error, the script counts as included
        // already. Pigeonhole refuses such a cycle when it compiles the
        // script (and, for `:once`, at run time): a warning says so.
        let canonical = script_key(&path);
        let recursive = self.running.contains(&canonical);
        if once && recursive {
            self.warnings.push(RunError {
                message: format!(
                    "include :once \"{name}\": {file} is running, so the inclusion would be \
                     recursive: it counts as included already and is skipped (RFC 6609 §3.2); \
                     Dovecot's Pigeonhole stops with \"circular include\" instead"
                ),
                span: Some(span),
            });
            return Ok(Flow::Next);
        }
        if once && self.included.contains(&key) {
            return Ok(Flow::Next);
        }
        if recursive {
            return Err(err(
                span,
                format!(
                    "include \"{name}\": {file} is running: a recursive include is an error \
                     (RFC 6609 §3; `:once` would skip it)"
                ),
            ));
        }
        if self.include_depth >= self.opts.limits.max_include_depth {
            return Err(err(
                span,
                format!(
                    "includes nested deeper than {} (--max-include-depth)",
                    self.opts.limits.max_include_depth
                ),
            ));
        }
        // Only a regular file is read (a FIFO would block the run); only a
        // script that is not there is skipped by `:optional` (RFC 6609
        // §3.2), one that cannot be read is an error.
        let text = match crate::files::read_script(&path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if optional && e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Flow::Next);
            }
            Err(e) => return Err(err(span, format!("include: cannot read {key}: {e}"))),
        };
        // Only whether it has errors matters here: its fixes are not
        // verified (that would re-lint it on every message that reaches it).
        let (report, script) = crate::lint_unverified(
            &key,
            crate::syntax::decode(text.as_bytes()),
            &self.opts.check,
        );
        if let Some(d) = report
            .diagnostics
            .iter()
            .find(|d| d.severity == crate::diagnostic::Severity::Error)
        {
            return Err(err(
                span,
                format!("include: {key} has errors: {}", d.message),
            ));
        }
        self.included.push(key.clone());
        let prog = Program::new(&script);
        if let Some(e) = prog.match_variable_beyond(self.opts.limits.max_match_variables) {
            return Err(Failure(in_included(e, &file, &text, span)));
        }
        let before_actions = self.actions.len();
        let before_trace = self.trace.len();
        let before_warnings = self.warnings.len();
        self.running.push(canonical);
        let mut sub = Interp {
            prog: &prog,
            mail: self.mail,
            opts: self.opts,
            source: &text,
            vars: HashMap::new(),
            global_vars: std::mem::take(&mut self.global_vars),
            declared_globals: Vec::new(),
            included: std::mem::take(&mut self.included),
            include_depth: self.include_depth + 1,
            running: std::mem::take(&mut self.running),
            match_vars: Vec::new(),
            flags: std::mem::take(&mut self.flags),
            actions: std::mem::take(&mut self.actions),
            implicit_keep: self.implicit_keep,
            trace: std::mem::take(&mut self.trace),
            warnings: std::mem::take(&mut self.warnings),
            budget: Budget::new(self.budget.remaining),
            edits: std::mem::take(&mut self.edits),
            part_stack: std::mem::take(&mut self.part_stack),
            seen: self.seen,
            overflow: std::cell::Cell::new(None),
        };
        let flow = sub.run_block(&script.commands);
        self.global_vars = sub.global_vars;
        self.included = sub.included;
        self.running = sub.running;
        self.running.pop();
        self.flags = sub.flags;
        self.actions = sub.actions;
        self.implicit_keep = sub.implicit_keep;
        self.trace = sub.trace;
        self.warnings = sub.warnings;
        self.budget = Budget::new(sub.budget.remaining);
        self.edits = sub.edits;
        self.part_stack = sub.part_stack;
        // Locations in the included script are shown at the include line.
        for a in &mut self.actions[before_actions..] {
            a.span = Some(span);
        }
        for t in &mut self.trace[before_trace..] {
            t.span = span;
            t.text = format!("[{file}] {}", t.text);
        }
        for w in &mut self.warnings[before_warnings..] {
            *w = in_included(std::mem::take(w), &file, &text, span);
        }
        match flow {
            Ok(Flow::Stop) => Ok(Flow::Stop),
            Ok(_) => Ok(Flow::Next),
            Err(Failure(e)) => Err(Failure(in_included(e, &file, &text, span))),
        }
    }

    fn flag_command(&mut self, name: &str, b: &Binding<'s>, span: Span) -> Res<()> {
        // [<variablename>] <list-of-flags>: the flag list is the last slot.
        let list = split_flags(&self.strings(b.positional.last()));
        let var = (b.positional.len() == 2)
            .then(|| self.string(b.positional.first()).to_ascii_lowercase());
        let mut current = match &var {
            Some(v) => split_flags(&[self.get_var(v).map(Cow::into_owned).unwrap_or_default()]),
            None => self.flags.clone(),
        };
        match name {
            "setflag" => current = list,
            "addflag" => {
                for f in list {
                    if !current.iter().any(|c| c.eq_ignore_ascii_case(&f)) {
                        current.push(f);
                    }
                }
            }
            _ => current.retain(|c| !list.iter().any(|f| f.eq_ignore_ascii_case(c))),
        }
        match var {
            Some(v) => self.set_var(v, current.join(" "), span)?,
            None => self.flags = current,
        }
        Ok(())
    }

    fn vacation(&mut self, b: &Binding<'s>, span: Span) -> Res<()> {
        let reason = self.string(b.positional.first());
        let subject = Self::tag_arg(b, "subject").map(|a| self.string(Some(a)));
        let from = Self::tag_arg(b, "from").map(|a| self.string(Some(a)));
        let handle = Self::tag_arg(b, "handle").map(|a| self.string(Some(a)));
        let addresses = Self::tag_arg(b, "addresses")
            .map(|a| self.strings(Some(a)))
            .unwrap_or_default();
        let num = |t: &str| match Self::tag_arg(b, t) {
            Some(Argument::Number(n)) => Some(n.value),
            _ => None,
        };
        let seconds = num("seconds")
            .map(|s| (s, s, "seconds"))
            .or_else(|| num("days").map(|d| (d, d.saturating_mul(86_400), "days")))
            .map(|(written, seconds, unit)| {
                if seconds <= MAX_VACATION_SECONDS {
                    return seconds;
                }
                // RFC 5230 §4.1 (RFC 6131 §2 for :seconds): above the
                // site's maximum, the maximum is used instead.
                self.warnings.push(RunError {
                    message: format!(
                        "vacation :{unit} {written} is above the dry run's maximum of {} days: \
                         {} days is used (RFC 5230 §4.1: a server uses its own maximum instead)",
                        MAX_VACATION_SECONDS / 86_400,
                        MAX_VACATION_SECONDS / 86_400
                    ),
                    span: Some(span),
                });
                MAX_VACATION_SECONDS
            });
        let to = self
            .opts
            .envelope_from
            .clone()
            .or_else(|| self.mail.default_envelope_from());
        // RFC 5230 §4.5-§4.6: no reply to list mail, to bulk mail, to
        // automatic replies, to the null sender, or when the user is not
        // among the recipients.
        let skip = if to.as_deref().is_none_or(|t| t.is_empty() || t == "<>") {
            Some("the message has no return path")
        } else if to.as_deref().is_some_and(|t| {
            let local = t
                .rsplit_once('@')
                .map_or(t, |(l, _)| l)
                .to_ascii_lowercase();
            local == "mailer-daemon" || local.starts_with("owner-") || local.ends_with("-request")
        }) {
            // RFC 5230 §4.6: never to these.
            Some("the sender is a mailing list or mailer daemon address")
        } else if !self.mail.header_values("list-id").is_empty()
            || !self.mail.header_values("list-post").is_empty()
        {
            Some("the message comes from a mailing list")
        } else if self
            .mail
            .header_values("auto-submitted")
            .iter()
            .any(|v| !v.trim().eq_ignore_ascii_case("no"))
        {
            Some("the message is an automatic reply")
        } else if self
            .mail
            .header_values("precedence")
            .iter()
            .any(|v| ["bulk", "list", "junk"].contains(&v.trim().to_ascii_lowercase().as_str()))
        {
            Some("the message is bulk mail")
        } else if !self.addressed_to_user(&addresses) {
            // RFC 5230 §4.5: only when the user is a listed recipient.
            Some("the user's address is not in To, Cc or Bcc")
        } else {
            None
        };
        self.push(
            Action::Vacation {
                to: to.unwrap_or_default(),
                subject,
                from,
                handle,
                addresses,
                seconds,
                reason,
                suppressed: skip.map(str::to_owned),
            },
            span,
        )
    }

    /// The program name and arguments of `pipe`, `filter` or `execute`
    /// (spec-bosch-sieve-extprograms §3, §4).
    fn program(&self, b: &Binding<'s>) -> (String, Vec<String>) {
        (
            self.string(b.positional.first()),
            self.strings(b.positional.get(1)),
        )
    }

    /// What the program would return: `--program-result NAME=…`, else
    /// success. Shown in the trace: the dry run never runs a program.
    fn program_result(
        &mut self,
        command: &str,
        is_test: bool,
        program: &str,
        span: Span,
        note: impl FnOnce(bool) -> Option<String>,
    ) -> bool {
        let given = self
            .opts
            .program_results
            .iter()
            .rev()
            .find(|(n, _)| n == program)
            .map(|&(_, r)| r);
        let result = given.unwrap_or(true);
        let how = match given {
            Some(_) => format!("program \"{program}\" not run: --program-result says {result}"),
            None => format!(
                "program \"{program}\" not run: assumed to succeed (--program-result {program}=false to change)"
            ),
        };
        if self.opts.trace {
            let values: Vec<String> = std::iter::once(how).chain(note(result)).collect();
            self.trace_at(span, command, &values, result, !is_test);
        }
        result
    }

    /// spec-bosch-sieve-extprograms §5: `pipe` hands the message to a
    /// program; without `:copy` it cancels the implicit keep (§5.1, §5.2).
    /// A failing program is a run-time error, unless `:try`: then the
    /// script goes on as if `pipe` never ran, and the keep stays (§5).
    fn pipe(&mut self, b: &Binding<'s>, span: Span) -> Res<()> {
        let (program, arguments) = self.program(b);
        let copy = Self::has_tag(b, "copy");
        let r#try = Self::has_tag(b, "try");
        // §5.1: one pipe per program and script.
        if self
            .actions
            .iter()
            .any(|a| matches!(&a.action, Action::Pipe { program: p, .. } if *p == program))
        {
            return Err(err(
                span,
                format!(
                    "pipe to \"{program}\" a second time: a script may pipe the message to a \
                     program once (spec-bosch-sieve-extprograms §5.1)"
                ),
            ));
        }
        if !self.program_result("pipe", false, &program, span, |_| None) {
            if r#try {
                self.warnings.push(RunError {
                    message: format!(
                        "pipe :try \"{program}\" failed (--program-result): the script goes on \
                         as if it never ran (spec-bosch-sieve-extprograms §5)"
                    ),
                    span: Some(span),
                });
                return Ok(());
            }
            return Err(err(
                span,
                format!(
                    "pipe to \"{program}\" failed (--program-result; spec-bosch-sieve-extprograms §5)"
                ),
            ));
        }
        self.push(
            Action::Pipe {
                program,
                arguments,
                copy,
                r#try,
            },
            span,
        )?;
        if !copy {
            self.implicit_keep = false;
        }
        Ok(())
    }

    /// spec-bosch-sieve-extprograms §6, §8: `filter` would replace the
    /// message with the program's output; the dry run cannot run it, so
    /// the message stays as it is (the trace says so). It never touches
    /// the implicit keep. As a test: the program's result.
    fn filter(&mut self, b: &Binding<'s>, span: Span, test: Option<&'s Test<'s>>) -> Res<bool> {
        let (program, arguments) = self.program(b);
        let name = test.map_or("filter", |t| t.name.name.as_ref());
        let ok = self.program_result(name, test.is_some(), &program, span, |_| {
            Some("the message is left unchanged: the dry run does not run filters".to_owned())
        });
        // The program runs whatever it returns: the action is reported.
        self.push(
            Action::Filter {
                program: program.clone(),
                arguments,
            },
            span,
        )?;
        if !ok && test.is_none() {
            // §6: a failing filter leaves the message unchanged.
            self.warnings.push(RunError {
                message: format!(
                    "filter \"{program}\" failed (--program-result): the message is unchanged"
                ),
                span: Some(span),
            });
        }
        Ok(ok)
    }

    /// spec-bosch-sieve-extprograms §7, §8: `execute` would run a program;
    /// it never changes the message or the implicit keep. `:output` gets
    /// `--program-output NAME=TEXT` (default: the empty string) when the
    /// program succeeds, and stays unchanged when it fails (§7). As a
    /// test: the program's result.
    fn execute(&mut self, b: &Binding<'s>, span: Span, test: Option<&'s Test<'s>>) -> Res<bool> {
        let (program, arguments) = self.program(b);
        let name = test.map_or("execute", |t| t.name.name.as_ref());
        let input = Self::tag_arg(b, "input").map(|a| self.string(Some(a)));
        let pipe = Self::has_tag(b, "pipe");
        let output = Self::tag_arg(b, "output").map(|a| self.string(Some(a)).to_ascii_lowercase());
        let text = self
            .opts
            .program_outputs
            .iter()
            .rev()
            .find(|(n, _)| *n == program)
            .map_or(String::new(), |(_, t)| t.clone());
        let ok = self.program_result(name, test.is_some(), &program, span, |ok| {
            let var = output.as_ref()?;
            Some(if ok {
                format!("${{{var}}} set to {text:?} (--program-output {program}=TEXT to change)")
            } else {
                format!("${{{var}}} left unchanged: the program failed")
            })
        });
        if ok && let Some(var) = &output {
            self.set_var(var.clone(), text, span)?;
        }
        // The program runs whatever it returns: the action is reported.
        self.push(
            Action::Execute {
                program,
                arguments,
                input,
                pipe,
                output,
            },
            span,
        )?;
        Ok(ok)
    }

    /// RFC 6558 §2: would convert the parts of one media type to another;
    /// as a test, false only if a conversion failed: the dry run converts
    /// nothing and takes it as succeeded (the trace says so).
    fn convert(&mut self, b: &Binding<'s>, span: Span, test: Option<&'s Test<'s>>) -> Res<bool> {
        let from = self.string(b.positional.first());
        let to = self.string(b.positional.get(1));
        let params = self.strings(b.positional.get(2));
        if let Some(t) = test {
            self.trace_event(
                t,
                &["not converted by the dry run: assumed to succeed".to_owned()],
                &[],
                true,
                Vec::new(),
            );
        }
        self.push(Action::Convert { from, to, params }, span)?;
        Ok(true)
    }

    /// RFC 9671: would process the calendar data. The dry run has no
    /// calendar: `:outcome` is "no_action" when the message has no
    /// text/calendar part, else "added_or_updated" (assumed; the trace
    /// says so); `:reason` is left unset.
    fn processcalendar(&mut self, b: &Binding<'s>, span: Span) -> Res<()> {
        let calendarid = Self::tag_arg(b, "calendarid").map(|a| self.string(Some(a)));
        let updatesonly = Self::has_tag(b, "updatesonly");
        let has_calendar = self.mail.parts().iter().any(|p| {
            p.headers.iter().any(|(n, v)| {
                n.eq_ignore_ascii_case("content-type")
                    && v.trim_start()
                        .to_ascii_lowercase()
                        .starts_with("text/calendar")
            })
        });
        if let Some(a) = Self::tag_arg(b, "outcome") {
            let var = self.string(Some(a)).to_ascii_lowercase();
            let outcome = if has_calendar {
                "added_or_updated"
            } else {
                "no_action"
            };
            self.trace_at(
                span,
                "processcalendar",
                &[format!(
                    "${{{var}}} set to \"{outcome}\" (assumed: the dry run has no calendar)"
                )],
                true,
                true,
            );
            self.set_var(var, outcome.to_owned(), span)?;
        }
        self.push(
            Action::ProcessCalendar {
                calendarid,
                updatesonly,
            },
            span,
        )
    }

    /// spec-bosch-sieve-report §3: a MARF report; it never cancels the
    /// implicit keep, and the same feedback type to the same recipient is
    /// sent once (the first message is used).
    fn report(&mut self, b: &Binding<'s>, span: Span) -> Res<()> {
        let feedback_type = self.string(b.positional.first());
        let message = self.string(b.positional.get(1));
        let written = self.string(b.positional.get(2));
        let address = match crate::syntax::address::parse_mailbox(&written) {
            Ok(a) => a.addr_spec,
            Err(e) => {
                return Err(err(
                    span,
                    format!("report to {written:?}: not an address ({})", e.reason),
                ));
            }
        };
        let again = self.actions.iter().any(|a| {
            matches!(&a.action, Action::Report { feedback_type: f, address: x, .. }
                if f.eq_ignore_ascii_case(&feedback_type) && x.eq_ignore_ascii_case(&address))
        });
        if again {
            self.warnings.push(RunError {
                message: format!(
                    "report \"{feedback_type}\" to {address} again: sent once \
                     (spec-bosch-sieve-report §3)"
                ),
                span: Some(span),
            });
            return Ok(());
        }
        // §3: never to the account running the script.
        let mine = if self.opts.envelope_to.is_empty() {
            self.mail.default_envelope_to().into_iter().collect()
        } else {
            self.opts.envelope_to.clone()
        };
        if mine
            .iter()
            .any(|m| split_address(m).full.eq_ignore_ascii_case(&address))
        {
            self.warnings.push(RunError {
                message: format!(
                    "report to the user's own address {address}: not sent \
                     (spec-bosch-sieve-report §3: never to the account running the script)"
                ),
                span: Some(span),
            });
            return Ok(());
        }
        let headers_only = Self::has_tag(b, "headers_only");
        self.push(
            Action::Report {
                feedback_type,
                message,
                address,
                headers_only,
            },
            span,
        )
    }

    /// draft-martin-sieve-notify-01 `notify`: `:method` (default "mailto",
    /// the one method Dovecot has), `:id`, `:options` (the recipients),
    /// `:low`/`:normal`/`:high` (default normal), `:message`. A
    /// notification never cancels the implicit keep.
    fn notify_draft(&mut self, b: &Binding<'s>, span: Span) -> Res<()> {
        let method = Self::tag_arg(b, "method")
            .map(|a| self.string(Some(a)))
            .unwrap_or_else(|| "mailto".to_owned());
        let id = Self::tag_arg(b, "id").map(|a| self.string(Some(a)));
        let options = Self::tag_arg(b, "options")
            .map(|a| self.strings(Some(a)))
            .unwrap_or_default();
        let message = Self::tag_arg(b, "message").map(|a| self.string(Some(a)));
        let importance = draft_priority(b).unwrap_or_else(|| "normal".to_owned());
        self.push(
            Action::NotifyDraft {
                method,
                id,
                options,
                importance,
                message,
            },
            span,
        )
    }

    /// The notify draft's `denotify`: cancels the notifications so far
    /// whose id matches (every one without a match type) and, with a
    /// priority, only those of that priority.
    fn denotify(
        &mut self,
        kind: Option<&str>,
        id: Option<&str>,
        importance: Option<&str>,
        span: Span,
    ) -> Res<()> {
        let mt = match kind {
            Some("contains") => MatchType::Contains,
            Some("matches") => MatchType::Matches,
            Some("regex") => MatchType::Regex,
            _ => MatchType::Is,
        };
        let mut budget = Budget::new(self.budget.remaining);
        let mut failure = None;
        self.actions.retain(|a| {
            let Action::NotifyDraft {
                id: nid,
                importance: ni,
                ..
            } = &a.action
            else {
                return true;
            };
            if importance.is_some_and(|p| p != ni) {
                return true;
            }
            let Some(key) = id else { return false };
            let Some(nid) = nid else { return true };
            match matching::match_value(&mt, Comparator::AsciiCasemap, nid, key, &mut budget) {
                Ok(m) => m.is_none(),
                Err(e) => {
                    failure.get_or_insert(e.to_string());
                    true
                }
            }
        });
        self.budget = Budget::new(budget.remaining);
        match failure {
            Some(e) => Err(err(span, e)),
            None => Ok(()),
        }
    }

    /// RFC 5230 §4.5: one of the user's addresses (the envelope recipients
    /// and `:addresses`) in To, Cc, Bcc or their Resent- forms. With no
    /// envelope recipient given, the message's own recipient is the user.
    fn addressed_to_user(&self, extra: &[String]) -> bool {
        let mut mine: Vec<String> = self.opts.envelope_to.clone();
        if mine.is_empty() {
            mine.extend(self.mail.default_envelope_to());
        }
        mine.extend(extra.iter().cloned());
        ["to", "cc", "bcc", "resent-to", "resent-cc", "resent-bcc"]
            .iter()
            .flat_map(|h| self.mail.addresses(h))
            .any(|a| {
                mine.iter().any(|m| {
                    // `:addresses` items in any sieve-address form
                    // ("Bob <bob@example.com>"): the shared parser.
                    match crate::syntax::address::parse_mailbox(m) {
                        Ok(p) => p.addr_spec.eq_ignore_ascii_case(&a.full),
                        Err(_) => m.trim_matches(['<', '>']).eq_ignore_ascii_case(&a.full),
                    }
                })
            })
    }

    fn finish(&mut self) -> Res<()> {
        // RFC 5429 §2.4: reject with an action that delivers, with vacation
        // or with another reject is a run-time error (RFC 5228 §2.10.6:
        // "invalid combinations of actions"); the caller cancels every
        // action and takes the implicit keep.
        if let Some(e) = reject_conflict(&self.actions) {
            return Err(Failure(e));
        }
        // The same mailbox twice: delivered once (RFC 5228 §2.10.3);
        // `keep` is filing into INBOX (§4.3).
        let mut seen: Vec<String> = Vec::new();
        if self
            .actions
            .iter()
            .any(|a| matches!(a.action, Action::Keep { .. }))
        {
            seen.push("INBOX".into());
        }
        self.actions.retain(|a| match &a.action {
            Action::Fileinto { mailbox, .. } => {
                let key = if mailbox.eq_ignore_ascii_case("inbox") {
                    "INBOX".to_owned()
                } else {
                    mailbox.clone()
                };
                if seen.contains(&key) {
                    false
                } else {
                    seen.push(key);
                    true
                }
            }
            _ => true,
        });
        Ok(())
    }

    // ---- tests ----------------------------------------------------------

    fn test(&mut self, t: &'s Test<'s>) -> Res<bool> {
        self.step(t.span)?;
        let name = lower(&t.name.name);
        let addr = t as *const Test as usize;
        let b = self.binding(addr, t.span)?;
        let result = match &*name {
            "true" => true,
            "false" => false,
            "not" => match t.args.tests.as_deref() {
                Some(Tests::One(inner)) => !self.test(inner)?,
                _ => return Err(err(t.span, "`not` needs a test")),
            },
            "allof" => {
                let mut all = true;
                for inner in t.args.tests.as_deref().map(Tests::as_slice).unwrap_or(&[]) {
                    if !self.test(inner)? {
                        all = false;
                        break;
                    }
                }
                all
            }
            "anyof" => {
                let mut any = false;
                for inner in t.args.tests.as_deref().map(Tests::as_slice).unwrap_or(&[]) {
                    if self.test(inner)? {
                        any = true;
                        break;
                    }
                }
                any
            }
            "exists" => {
                let names = self.strings(b.positional.first());
                let r = if Self::has_tag(b, "mime") {
                    names
                        .iter()
                        .all(|n| !self.mime_values(b, std::slice::from_ref(n)).is_empty())
                } else if self.edits.is_empty() {
                    names.iter().all(|n| self.mail.has_header(n))
                } else {
                    names.iter().all(|n| !self.header_values(n).is_empty())
                };
                self.trace_event(t, &names, &[], r, Vec::new());
                r
            }
            "size" => {
                let limit = match b.positional.first() {
                    Some(Argument::Number(n)) => n.value,
                    _ => 0,
                };
                let size = self.mail.size() as u64;
                let r = if Self::has_tag(b, "over") {
                    size > limit
                } else {
                    size < limit
                };
                self.trace_event(t, &[size.to_string()], &[limit.to_string()], r, Vec::new());
                r
            }
            "header" => {
                let names = self.keys(b.positional.first());
                if Self::has_tag(b, "mime") {
                    let values = self.mime_values(b, &owned(&names));
                    self.match_test(t, b, &values)?
                } else if self.edits.is_empty() {
                    // The message's own values, borrowed.
                    let mail = self.mail;
                    let values: Vec<&str> =
                        names.iter().flat_map(|n| mail.header_strs(n)).collect();
                    self.match_test(t, b, &values)?
                } else {
                    let values: Vec<String> =
                        names.iter().flat_map(|n| self.header_values(n)).collect();
                    self.match_test(t, b, &values)?
                }
            }
            "address" => {
                let names = self.keys(b.positional.first());
                let part = address_part(b);
                let mail = self.mail;
                let values: Vec<&str> = names
                    .iter()
                    .flat_map(|n| mail.address_refs(n))
                    .filter_map(|a| part_ref(a, part))
                    .collect();
                self.match_test(t, b, &values)?
            }
            "envelope" => {
                let parts = self.strings(b.positional.first());
                let part = address_part(b);
                let mut values = Vec::new();
                for p in &parts {
                    match p.to_ascii_lowercase().as_str() {
                        "from" => values.extend(
                            self.opts
                                .envelope_from
                                .clone()
                                .or_else(|| self.mail.default_envelope_from())
                                .and_then(|a| part_of(&split_address(&a), part)),
                        ),
                        "to" => {
                            let to: Vec<String> = if self.opts.envelope_to.is_empty() {
                                self.mail.default_envelope_to().into_iter().collect()
                            } else {
                                self.opts.envelope_to.clone()
                            };
                            values
                                .extend(to.iter().filter_map(|a| part_of(&split_address(a), part)));
                        }
                        _ => {}
                    }
                }
                self.match_test(t, b, &values)?
            }
            "string" => {
                let values = self.strings(b.positional.first());
                // RFC 5229 §5: an empty source string counts as no value for :count.
                self.match_test(t, b, &values)?
            }
            "hasflag" => {
                let current = if b.positional.len() == 2 {
                    let vars = self.strings(b.positional.first());
                    split_flags(
                        &vars
                            .iter()
                            .map(|v| {
                                self.get_var(&v.to_ascii_lowercase())
                                    .map(Cow::into_owned)
                                    .unwrap_or_default()
                            })
                            .collect::<Vec<_>>(),
                    )
                } else {
                    self.flags.clone()
                };
                self.match_test(t, b, &current)?
            }
            "body" => {
                let transform = if Self::has_tag(b, "raw") {
                    BodyTransform::Raw
                } else if let Some(a) = Self::tag_arg(b, "content") {
                    BodyTransform::Content(self.strings(Some(a)))
                } else {
                    BodyTransform::Text
                };
                let values = self.mail.body(&transform);
                // :contains is the RFC 5173 default of interest.
                self.match_test(t, b, &values)?
            }
            "environment" => {
                let name = self.string(b.positional.first()).to_ascii_lowercase();
                let mut values: Vec<String> = self.environment(&name).into_iter().collect();
                // RFC 5183 §4: the count is 0 for an empty value, 1 otherwise
                // (an empty value still exists for the other match types).
                if Self::has_tag(b, "count") && values.iter().all(String::is_empty) {
                    values.clear();
                }
                self.match_test(t, b, &values)?
            }
            "mailboxexists" => {
                let names = self.strings(b.positional.first());
                let r = names
                    .iter()
                    .all(|n| self.opts.mailboxes.iter().any(|m| m == n));
                self.trace_event(t, &names, &[], r, Vec::new());
                r
            }
            "spamtest" | "virustest" => {
                let percent = Self::has_tag(b, "percent");
                let score = if name == "spamtest" {
                    self.opts
                        .spam_score
                        .clone()
                        .map(|s| if percent { scale_percent(&s) } else { s })
                        .or_else(|| spam_from_headers(self, percent))
                } else {
                    self.opts
                        .virus_score
                        .clone()
                        .or_else(|| virus_from_headers(self))
                };
                // RFC 5235 §3.1: "0" is "not tested".
                let score = score.unwrap_or_else(|| "0".to_owned());
                self.match_test(t, b, &[score])?
            }
            "valid_ext_list" => {
                let names = self.strings(b.positional.first());
                let r = names.iter().all(|n| {
                    crate::lists::parse_name(n)
                        .is_ok_and(|p| self.opts.lists.get(&p.normalized).is_some())
                });
                self.trace_event(t, &names, &[], r, Vec::new());
                r
            }
            "ihave" => {
                // RFC 5463 §4–§5: true when every capability is one the
                // dry run runs and the target (`--target`) has; an unknown
                // or unsupported one is false and its block never runs.
                let caps = self.strings(b.positional.first());
                let r = caps.iter().all(|c| runs_capability(c, &self.opts.check));
                self.trace_event(t, &caps, &[], r, Vec::new());
                r
            }
            "valid_notify_method" => {
                let uris = self.strings(b.positional.first());
                uris.iter()
                    .all(|u| u.to_ascii_lowercase().starts_with("mailto:"))
            }
            "date" | "currentdate" => {
                let values = self.date_values(&name, b);
                self.match_test(t, b, &values)?
            }
            "duplicate" => self.duplicate(b),
            "filter" => self.filter(b, t.span, Some(t))?,
            "convert" => self.convert(b, t.span, Some(t))?,
            // RFC 5490 §3.3–§4.2: a dry run knows no annotations: the
            // tests see no value, the exists tests are false.
            "metadata" | "servermetadata" => self.match_test(t, b, &[] as &[&str])?,
            "metadataexists" | "servermetadataexists" | "mailboxidexists" => {
                let names = self.strings(b.positional.last());
                self.trace_event(
                    t,
                    &names,
                    &["a dry run knows no annotations or mailbox ids".to_owned()],
                    false,
                    Vec::new(),
                );
                false
            }
            // RFC 8579 §4: true when the mailbox (or any, without one) has
            // every special-use attribute; the dry run knows none.
            "specialuse_exists" => {
                let attrs = self.strings(b.positional.last());
                self.trace_event(
                    t,
                    &attrs,
                    &["a dry run knows no special-use attributes".to_owned()],
                    false,
                    Vec::new(),
                );
                false
            }
            // RFC 5435 §5: "maybe" for mailto's "online" (RFC 5436 §2.4:
            // a mailto recipient's presence cannot be known); no value for
            // other methods or items.
            "notify_method_capability" => {
                let uri = self.string(b.positional.first());
                let item = self.string(b.positional.get(1)).to_ascii_lowercase();
                let values: Vec<&str> =
                    if uri.to_ascii_lowercase().starts_with("mailto:") && item == "online" {
                        vec!["maybe"]
                    } else {
                        Vec::new()
                    };
                self.match_test(t, b, &values)?
            }
            "execute" => self.execute(b, t.span, Some(t))?,
            _ => return Err(err(t.span, format!("`{name}` cannot run: unknown test"))),
        };
        Ok(result)
    }

    /// RFC 5260 §4–§5: the date part of a header's date, or of "now".
    fn date_values(&self, name: &str, b: &Binding<'s>) -> Vec<String> {
        let zone =
            Self::tag_arg(b, "zone").and_then(|a| super::date::parse_zone(&self.string(Some(a))));
        let (instant, part) = if name == "currentdate" {
            let now = self.opts.now.unwrap_or_else(|| {
                let secs = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64);
                (secs, 0)
            });
            (Some(now), self.string(b.positional.first()))
        } else {
            let header = self.string(b.positional.first());
            let values = self.header_values(&header);
            let index = Self::tag_arg(b, "index").and_then(|a| match a {
                Argument::Number(n) => usize::try_from(n.value).ok(),
                _ => None,
            });
            let chosen = match index {
                Some(i) if Self::has_tag(b, "last") => {
                    values.len().checked_sub(i).and_then(|k| values.get(k))
                }
                Some(i) => i.checked_sub(1).and_then(|k| values.get(k)),
                None => values.first(),
            };
            (
                chosen.and_then(|v| super::message::parse_date(v)),
                self.string(b.positional.get(1)),
            )
        };
        let Some((unix, original)) = instant else {
            return Vec::new();
        };
        // :originalzone keeps the header's zone; otherwise the given zone,
        // else the dry run's local zone: that of --date, or UTC.
        let offset = if Self::has_tag(b, "originalzone") {
            original
        } else {
            zone.unwrap_or(self.opts.now.map_or(0, |(_, z)| z))
        };
        super::date::part(unix, offset, &part).into_iter().collect()
    }

    /// RFC 7352: true when the message's unique id (Message-ID, or the
    /// :header / :uniqueid value) was seen earlier in this run under the
    /// same handle. The run keeps this state across messages, as a delivery
    /// agent does; ids are recorded when the test runs (the RFC records
    /// them when the script succeeds — documented simplification).
    fn duplicate(&mut self, b: &Binding<'s>) -> bool {
        let handle = Self::tag_arg(b, "handle")
            .map(|a| self.string(Some(a)))
            .unwrap_or_default();
        // vnd.dovecot.duplicate's `:value` is RFC 7352's `:uniqueid`.
        let id = if let Some(a) = Self::tag_arg(b, "uniqueid").or_else(|| Self::tag_arg(b, "value"))
        {
            Some(self.string(Some(a)))
        } else {
            let header = Self::tag_arg(b, "header")
                .map(|a| self.string(Some(a)))
                .unwrap_or_else(|| "message-id".into());
            self.header_values(&header)
                .into_iter()
                .next()
                .map(|v| v.trim().to_owned())
        };
        let Some(id) = id.filter(|i| !i.is_empty()) else {
            return false;
        };
        let key = format!("{handle}\u{0}{id}");
        match self.seen.lock() {
            Ok(mut seen) => !seen.insert(key),
            Err(_) => false,
        }
    }

    fn environment(&self, name: &str) -> Option<String> {
        if let Some((_, v)) = self
            .opts
            .env
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
        {
            return Some(v.clone());
        }
        let recipient = || {
            self.opts
                .envelope_to
                .first()
                .cloned()
                .or_else(|| self.mail.default_envelope_to())
        };
        match name {
            // spec-bosch-sieve-dovecot-environment §3: the keep's mailbox
            // ("normally … INBOX") and the recipient's user name (the
            // envelope recipient's address: Dovecot logins are often the
            // address; --env vnd.dovecot.username=… to change).
            "vnd.dovecot.default-mailbox" => Some("INBOX".to_owned()),
            "vnd.dovecot.username" => recipient().map(|to| split_address(&to).full),
            // RFC 6785 §4.2, §4.5: at final delivery "imap.user" and
            // "imap.email" MUST be the empty string, as "imap.changedflags"
            // when no flag change invoked the script. "imap.cause" and
            // "imap.mailbox" describe an IMAP event: given with --env.
            "imap.user" | "imap.email" | "imap.changedflags" if self.prog.imapsieve => {
                Some(String::new())
            }
            _ => environment_default(name, || {
                Some(split_address(&recipient()?).domain).filter(|d| !d.is_empty())
            }),
        }
    }

    /// Header values after editheader changes (RFC 5293 §4–§5), in order.
    fn header_values(&self, name: &str) -> Vec<String> {
        let mut values: Vec<String> = self.mail.header_values(name);
        for e in &self.edits {
            match e {
                HeaderEdit::Add {
                    name: n,
                    value,
                    last,
                } if n.eq_ignore_ascii_case(name) => {
                    if *last {
                        values.push(value.clone());
                    } else {
                        values.insert(0, value.clone());
                    }
                }
                HeaderEdit::Delete {
                    name: n,
                    index,
                    patterns,
                } if n.eq_ignore_ascii_case(name) => {
                    let matches = |v: &str| match patterns {
                        None => true,
                        Some((mt, cmp, keys)) => keys.iter().any(|k| {
                            let mut budget = Budget::new(1_000_000);
                            matches!(
                                matching::match_value(mt, *cmp, v, k, &mut budget),
                                Ok(Some(_))
                            )
                        }),
                    };
                    match index {
                        // :index counts from the top, or with :last from the end.
                        Some((i, last)) => {
                            let pos = if *last {
                                values.len().checked_sub(*i)
                            } else {
                                i.checked_sub(1)
                            };
                            if let Some(p) = pos.filter(|&p| p < values.len())
                                && matches(&values[p])
                            {
                                values.remove(p);
                            }
                        }
                        None => values.retain(|v| !matches(v)),
                    }
                }
                _ => {}
            }
        }
        values
    }

    /// The match type and comparator a command or test names.
    fn match_spec(&self, b: &Binding<'s>) -> Res<(MatchType, Comparator)> {
        let cmp = match Self::tag_arg(b, "comparator") {
            Some(a) => {
                let n = self.string(Some(a));
                Comparator::from_name(&n)
                    .ok_or_else(|| err(a.span(), format!("unknown comparator \"{n}\"")))?
            }
            None => Comparator::AsciiCasemap,
        };
        let mt = if Self::has_tag(b, "contains") {
            MatchType::Contains
        } else if Self::has_tag(b, "matches") {
            MatchType::Matches
        } else if Self::has_tag(b, "regex") {
            MatchType::Regex
        } else if let Some(a) = Self::tag_arg(b, "value") {
            let r = self.string(Some(a));
            MatchType::Value(
                Relation::from_name(&r)
                    .ok_or_else(|| err(a.span(), format!("unknown relation \"{r}\"")))?,
            )
        } else {
            MatchType::Is
        };
        Ok((mt, cmp))
    }

    /// The match type, comparator and keys of a test, applied to values.
    fn match_test<V: AsRef<str>>(
        &mut self,
        t: &'s Test<'s>,
        b: &'p Binding<'s>,
        values: &[V],
    ) -> Res<bool> {
        let keys_arg = b.positional.last();
        let keys = self.keys(keys_arg);
        let key_span = keys_arg.map_or(t.span, Argument::span);
        if Self::has_tag(b, "list") {
            return self.list_test(t, values, &keys, key_span);
        }
        let (mt, cmp) = self.match_spec(b)?;
        if let Some(a) = Self::tag_arg(b, "count") {
            let r = self.string(Some(a));
            let rel = Relation::from_name(&r)
                .ok_or_else(|| err(a.span(), format!("unknown relation \"{r}\"")))?;
            // RFC 5229 §5: for `string`, empty strings are not counted;
            // every other test counts every value (RFC 5231 §4.2).
            let n = if t.name.is("string") {
                values.iter().filter(|v| !v.as_ref().is_empty()).count()
            } else {
                values.len()
            };
            let result = keys.iter().any(|k| matching::match_count(rel, cmp, n, k));
            if self.opts.trace {
                self.trace_event(t, &[n.to_string()], &owned(&keys), result, Vec::new());
            }
            return Ok(result);
        }

        let mut result = false;
        let mut captures: Option<Captures> = None;
        'outer: for v in values {
            for k in &keys {
                match matching::match_value(&mt, cmp, v.as_ref(), k, &mut self.budget) {
                    Ok(Some(c)) => {
                        result = true;
                        captures = Some(c);
                        break 'outer;
                    }
                    Ok(None) => {}
                    Err(e) => return Err(err(key_span, e.to_string())),
                }
            }
        }
        // RFC 5229 §3.2: match variables come from the last successful
        // :matches or :regex test.
        if let (Some(c), MatchType::Matches | MatchType::Regex) = (captures, &mt) {
            self.match_vars = c;
        }
        if self.opts.trace {
            self.trace_event(t, &owned(values), &owned(&keys), result, Vec::new());
        }
        Ok(result)
    }

    /// RFC 6134 §2.2: true if any value is in any of the lists.
    fn list_test<V: AsRef<str>>(
        &mut self,
        t: &'s Test<'s>,
        values: &[V],
        names: &[Cow<'s, str>],
        span: Span,
    ) -> Res<bool> {
        let mut lookups = Vec::new();
        let mut hit: Option<String> = None;
        'outer: for n in names {
            let list = self.lookup_list(n, span)?;
            for v in values {
                let v = v.as_ref().trim();
                let found = list
                    .lookup(v)
                    .map_err(|e| err(span, format!("list {n}: {e}")))?;
                if self.opts.trace {
                    lookups.push(ListLookup {
                        list: n.to_string(),
                        value: v.to_owned(),
                        member: found.member.as_deref().map(str::to_owned),
                        from: found.from().into_owned(),
                    });
                }
                if let Some(m) = found.member {
                    hit = Some(m.into_owned());
                    break 'outer;
                }
            }
        }
        let result = hit.is_some();
        if let Some(m) = hit
            && self.prog.variables
        {
            // ${0} is the list value that matched (RFC 6134 §2.2).
            self.match_vars = vec![m];
        }
        if self.opts.trace {
            self.trace_event(t, &owned(values), &owned(names), result, lookups);
        }
        Ok(result)
    }

    fn trace_event(
        &mut self,
        t: &Test,
        values: &[String],
        keys: &[String],
        result: bool,
        lists: Vec<ListLookup>,
    ) {
        if !self.opts.trace {
            return;
        }
        let mut event = self.event_at(t.span, &t.name.name, values, result);
        event.keys = keys.to_vec();
        event.lists = lists;
        self.trace.push(event);
    }

    /// A trace event with notes as its values (what a program would
    /// return, a value the dry run assumed): of a command, or of a test.
    fn trace_at(&mut self, span: Span, name: &str, notes: &[String], result: bool, command: bool) {
        if !self.opts.trace {
            return;
        }
        let mut event = self.event_at(span, name, notes, result);
        event.command = command;
        self.trace.push(event);
    }

    fn event_at(&self, span: Span, name: &str, values: &[String], result: bool) -> TraceEvent {
        let text = self.source.get(span.range()).unwrap_or("");
        TraceEvent {
            span,
            test: name.to_owned(),
            text: text.chars().take(200).collect(),
            values: values.to_vec(),
            keys: Vec::new(),
            result,
            lists: Vec::new(),
            command: false,
        }
    }
}

/// Whether the dry run runs `capability` for the target of `check`: an
/// extension in the catalog (every command and test of which the
/// interpreter runs: tests/run_catalog.rs) or a comparator it implements
/// (RFC 5228 §2.7.3), that the target supports (RFC 5463 §4). Capability
/// strings are case-sensitive (RFC 5228 §6).
pub fn runs_capability(capability: &str, check: &crate::CheckOptions) -> bool {
    let known = match capability.strip_prefix("comparator-") {
        Some(name) => Comparator::from_name(name).is_some(),
        None => {
            capability.bytes().all(|b| !b.is_ascii_uppercase())
                && crate::ext::catalog().is_checked(capability)
        }
    };
    known && check.target_supports(capability)
}

/// The longest vacation period the dry run uses: 365 days. RFC 5230 §4.1
/// lets a site define a maximum (greater than 7 days, and SHOULD be more
/// than 30) and use it for larger `:days`; a number of days or seconds
/// above it is clamped, with a warning.
pub const MAX_VACATION_SECONDS: u64 = 365 * 86_400;

/// The notify draft's priority tag (`:low`, `:normal`, `:high`), if any.
fn draft_priority(b: &Binding<'_>) -> Option<String> {
    ["low", "normal", "high"]
        .iter()
        .find(|p| b.tags.iter().any(|t| t.entry.spec.name == **p))
        .map(|p| (*p).to_owned())
}

/// Strings as owned strings (for the trace).
fn owned<V: AsRef<str>>(v: &[V]) -> Vec<String> {
    v.iter().map(|v| v.as_ref().to_owned()).collect()
}

thread_local! {
    /// List names parsed on this thread: the same few names are looked up
    /// for every message.
    static NAMES: std::cell::RefCell<HashMap<String, Result<crate::lists::ListName, crate::lists::NameError>>> =
        std::cell::RefCell::new(HashMap::new());
}

fn parse_name_cached(name: &str) -> Result<crate::lists::ListName, crate::lists::NameError> {
    NAMES.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(r) = cache.get(name) {
            return r.clone();
        }
        let r = crate::lists::parse_name(name);
        if cache.len() < 10_000 {
            cache.insert(name.to_owned(), r.clone());
        }
        r
    })
}

/// `--spam-score` (0–10) as a `:percent` value (0–100).
fn scale_percent(s: &str) -> String {
    s.trim().parse::<f64>().map_or_else(
        |_| s.to_owned(),
        |v| ((v * 10.0).clamp(0.0, 100.0) as u32).to_string(),
    )
}

/// RFC 5235 spamtest from the scanner's headers, when no --spam-score is
/// given: SpamAssassin's `X-Spam-Status: … score=S required=R` (or
/// `X-Spam-Score: S` with R = 5) and rspamd's `X-Spamd-Result: … [S / R]`.
/// S ≤ 0 is 1 ("clearly not spam"); S = R is 6; S ≥ 2R is 10. `:percent`
/// maps S/2R to 0–100. Documented in the README; the mapping is the site's
/// choice in the RFC.
fn spam_from_headers(it: &Interp<'_, '_, '_>, percent: bool) -> Option<String> {
    let num = |s: &str| {
        s.trim()
            .trim_end_matches([',', ';', ']'])
            .parse::<f64>()
            .ok()
    };
    let mut found: Option<(f64, f64)> = None;
    for v in it.header_values("x-spam-status") {
        let field = |k: &str| {
            v.split_whitespace()
                .find_map(|w| w.strip_prefix(k))
                .and_then(num)
        };
        if let Some(s) = field("score=") {
            found = Some((s, field("required=").unwrap_or(5.0)));
        }
    }
    if found.is_none()
        && let Some(v) = it.header_values("x-spamd-result").first()
        && let (Some(a), Some(b)) = (v.find('['), v.find(']'))
        && a < b
        && let Some((s, r)) = v[a + 1..b].split_once('/')
    {
        found = num(s).zip(num(r));
    }
    if found.is_none() {
        found = it
            .header_values("x-spam-score")
            .first()
            .and_then(|v| num(v))
            .map(|s| (s, 5.0));
    }
    let (score, required) = found?;
    let required = if required > 0.0 { required } else { 5.0 };
    if percent {
        let p = (score / (2.0 * required) * 100.0).clamp(0.0, 100.0);
        return Some((p.round() as u32).to_string());
    }
    let v = if score <= 0.0 {
        1.0
    } else {
        (1.0 + score / required * 5.0).clamp(1.0, 10.0)
    };
    Some((v.floor() as u32).to_string())
}

/// RFC 5235 §3.3 virustest from `X-Virus-Status` / `X-Virus-Scanned`:
/// "Clean" is 1, "Infected" is 5.
fn virus_from_headers(it: &Interp<'_, '_, '_>) -> Option<String> {
    let v = it
        .header_values("x-virus-status")
        .into_iter()
        .next()
        .or_else(|| it.header_values("x-virus-scanned").into_iter().next())?;
    let v = v.to_ascii_lowercase();
    Some(
        if v.contains("infected") || v.contains("yes") {
            "5"
        } else {
            "1"
        }
        .to_owned(),
    )
}

/// The parts below part `p` (document order: they follow it while deeper).
fn descendants(parts: &[super::message::Part], p: usize) -> Vec<usize> {
    let Some(depth) = parts.get(p).map(|x| x.depth) else {
        return Vec::new();
    };
    (p + 1..parts.len())
        .take_while(|&i| parts[i].depth > depth)
        .collect()
}

/// `type/subtype; a=b; c="d"` → ("type/subtype", [(a, b), (c, d)]).
fn split_params(value: &str) -> (&str, Vec<(String, String)>) {
    let mut it = value.split(';');
    let media = it.next().unwrap_or("");
    let params = it
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((k.trim().to_owned(), v.trim().trim_matches('"').to_owned()))
        })
        .collect();
    (media, params)
}

/// An editheader change (RFC 5293).
enum HeaderEdit {
    Add {
        name: String,
        value: String,
        last: bool,
    },
    Delete {
        name: String,
        /// (n, :last)
        index: Option<(usize, bool)>,
        patterns: Option<(MatchType, Comparator, Vec<String>)>,
    },
}

/// The indices of the match variables `${N}` a string refers to
/// (`usize::MAX` for an index too large to represent).
fn match_references(s: &str) -> impl Iterator<Item = usize> + '_ {
    s.match_indices("${").filter_map(move |(i, _)| {
        let tail = s.get(i + 2..)?;
        let end = tail.find('}')?;
        let name = &tail[..end];
        (!name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()))
            .then(|| name.parse::<usize>().unwrap_or(usize::MAX))
    })
}

fn is_var_ref(s: &str) -> bool {
    if s.is_empty() {
        return false;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    s.split('.').all(|part| {
        part.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

fn first_char(s: &str, upper: bool) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => {
            let c = if upper {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            };
            std::iter::once(c).chain(chars).collect()
        }
        None => String::new(),
    }
}

/// Flag lists are space-separated inside each string (RFC 5232 §2).
fn split_flags(strings: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in strings {
        for f in s.split_whitespace() {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(f)) {
                out.push(f.to_owned());
            }
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Part {
    All,
    Local,
    Domain,
    User,
    Detail,
}

fn address_part(b: &Binding<'_>) -> Part {
    for t in &b.tags {
        match t.entry.spec.name {
            "localpart" => return Part::Local,
            "domain" => return Part::Domain,
            "user" => return Part::User,
            "detail" => return Part::Detail,
            "all" => return Part::All,
            _ => {}
        }
    }
    Part::All
}

fn split_address(a: &str) -> super::message::Address {
    let a = a.trim().trim_start_matches('<').trim_end_matches('>');
    match a.rsplit_once('@') {
        Some((l, d)) => super::message::Address {
            local: l.to_owned(),
            domain: d.to_owned(),
            full: a.to_owned(),
        },
        None => super::message::Address {
            local: a.to_owned(),
            domain: String::new(),
            full: a.to_owned(),
        },
    }
}

/// RFC 5228 §2.7.4 and RFC 5233 (the separator is "+"; `:detail` keeps
/// everything after the first "+", semantics.md). An address without a
/// separator has no detail: `:detail` sees no value (RFC 5233 §4).
fn part_of(a: &super::message::Address, part: Part) -> Option<String> {
    part_ref(a, part).map(str::to_owned)
}

/// [`part_of`], borrowed from the address.
fn part_ref(a: &super::message::Address, part: Part) -> Option<&str> {
    // RFC 5228 §2.7.4: an invalid address matches only with :all.
    if !matches!(part, Part::All) && !a.is_valid() {
        return None;
    }
    Some(match part {
        Part::All => &a.full,
        Part::Local => &a.local,
        Part::Domain => &a.domain,
        Part::User => a.local.split_once('+').map_or(a.local.as_str(), |(u, _)| u),
        Part::Detail => a.local.split_once('+')?.1,
    })
}

/// The run-time error of a `reject`/`ereject` that ran with an action it
/// cannot run with (RFC 5429 §2.4), at the later of the two.
fn reject_conflict(actions: &[ActionRecord]) -> Option<RunError> {
    let is_reject =
        |a: &ActionRecord| matches!(a.action, Action::Reject { .. } | Action::Ereject { .. });
    let first = actions.iter().position(is_reject)?;
    let r = &actions[first];
    let other = actions.iter().enumerate().find(|&(i, a)| {
        i != first
            && (is_reject(a)
                || matches!(
                    a.action,
                    Action::Keep { .. }
                        | Action::Fileinto { .. }
                        | Action::Redirect { .. }
                        | Action::Vacation { .. }
                        // spec-bosch-sieve-extprograms §5.1.
                        | Action::Pipe { .. }
                ))
    });
    let (i, o) = other?;
    let (rn, on) = (r.action.name(), o.action.name());
    let why = match o.action {
        Action::Reject { .. } | Action::Ereject { .. } => {
            "a script may execute one reject only".to_owned()
        }
        Action::Vacation { .. } => "reject and vacation are incompatible".to_owned(),
        _ => format!("a rejected message cannot also be delivered ({on})"),
    };
    let later = if i > first { o } else { r };
    Some(RunError {
        message: format!("`{rn}` and `{on}` both ran: {why} (RFC 5429 §2.4)"),
        span: later.span.or(r.span),
    })
}

/// The environment items (RFC 5183 §4.1) of a dry run at delivery, when
/// `--env` does not give them: `name` "sieve-lint", `version` the crate's
/// version, `location` "MDA" and `phase` "during" (a delivery agent, at
/// final delivery); `domain` and `host` the envelope recipient's domain
/// (`recipient_domain`; the host that delivers the message); `remote-host`
/// the empty string (§4.1: "the empty string will be returned" when the
/// client's name cannot be obtained: a dry run has no SMTP client);
/// `remote-ip` and any other item do not exist, so the test is false
/// (§4: "MUST fail unconditionally if the specified information item does
/// not exist").
pub fn environment_default(
    name: &str,
    recipient_domain: impl FnOnce() -> Option<String>,
) -> Option<String> {
    match name {
        "name" => Some("sieve-lint".into()),
        "version" => Some(env!("CARGO_PKG_VERSION").into()),
        "location" => Some("MDA".into()),
        "phase" => Some("during".into()),
        "domain" | "host" => recipient_domain(),
        "remote-host" => Some(String::new()),
        _ => None,
    }
}

#[cfg(test)]
mod environment_tests {
    use super::environment_default;

    /// RFC 5183 §4.1 defaults of the dry run; §4: a missing item is `None`.
    #[test]
    fn defaults_describe_a_dry_run_at_delivery() {
        let domain = || Some("example.com".to_owned());
        let get = |n: &str| environment_default(n, domain);
        assert_eq!(get("name").as_deref(), Some("sieve-lint"));
        assert_eq!(get("version").as_deref(), Some(env!("CARGO_PKG_VERSION")));
        assert_eq!(get("location").as_deref(), Some("MDA"));
        assert_eq!(get("phase").as_deref(), Some("during"));
        assert_eq!(get("domain").as_deref(), Some("example.com"));
        assert_eq!(get("host").as_deref(), Some("example.com"));
        assert_eq!(get("remote-host").as_deref(), Some(""));
        assert_eq!(get("remote-ip"), None);
        assert_eq!(get("vnd.example.x"), None);
        // No recipient: no domain, no host.
        assert_eq!(environment_default("host", || None), None);
    }
}
