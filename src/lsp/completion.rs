//! Completion (`textDocument/completion`): what may stand at the cursor,
//! from the extension catalog.
//!
//! The document is often incomplete while it is typed, so the context is
//! not taken from the parser's tree: one pass over the tokens of the text
//! (linear in its size) keeps a stack of the enclosing blocks, commands,
//! tests, test lists and string lists, and the state at the cursor decides
//! what is offered:
//!
//! * at the start of a statement, the commands; where a test goes (after
//!   `if`, `elsif`, `not`, inside `anyof(`/`allof(`), the tests;
//! * after `:`, the tags the command or test accepts, without those given
//!   and those of an exclusive set one of them is in;
//! * inside a string: after `${`, the variables set before and the match
//!   variables; in `require`, the capabilities; after `:comparator`, the
//!   comparators; a `date-part` argument, the date parts (RFC 5260 §4.2);
//!   the key list after `:list`, the list names (RFC 6134).
//!
//! An item whose extension is not required yet carries the edit that adds
//! `require "…";` after the last `require` (or at the top). Snippets only
//! when the client supports them.

use crate::ext::{ArgKind, Entry, KNOWN_CAPABILITIES, Signature, TestArity, catalog};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionItemTag, CompletionTextEdit, Documentation,
    InsertTextFormat, TextEdit,
};

use super::document::{Encoding, Text};

/// What completion sees of the document and the client.
pub struct Request<'a> {
    pub text: &'a Text,
    pub enc: Encoding,
    /// The cursor, a byte offset.
    pub offset: usize,
    /// The client accepts snippets.
    pub snippets: bool,
    /// Configured list names (`sieve-lint.toml`).
    pub lists: Vec<String>,
}

use crate::ext::DATE_PARTS;

/// RFC 4790 §9 and RFC 5051; the first two need no `require` (RFC 5228
/// §2.7.3).
const COMPARATORS: &[(&str, &str)] = &[
    ("i;octet", "RFC 4790 §9.3"),
    ("i;ascii-casemap", "RFC 4790 §9.2"),
    ("i;ascii-numeric", "RFC 4790 §9.1"),
    ("i;unicode-casemap", "RFC 5051"),
];

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Ident,
    /// `:name`, or a lone `:` (empty name).
    Tag,
    /// A quoted string (`quoted`) or a `text:` one; `closed`: it ends.
    Str {
        quoted: bool,
        closed: bool,
    },
    Num,
    Punct(u8),
    /// A comment; `closed` for `/* */` that ends.
    Comment,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// The tokens of RFC 5228 §8.1 (unknown bytes skipped).
pub(super) fn tokenize(s: &str) -> Vec<Token> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let word = |b: &[u8], mut j: usize| {
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
            j += 1;
        }
        j
    };
    while i < b.len() {
        let start = i;
        let c = b[i];
        let tok = match c {
            b'#' => {
                i = s[i..].find('\n').map_or(b.len(), |n| i + n);
                Tok::Comment
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = s[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
                Tok::Comment
            }
            b'"' => {
                i += 1;
                let mut closed = false;
                while i < b.len() {
                    match b[i] {
                        b'\\' => i += 2,
                        b'"' => {
                            i += 1;
                            closed = true;
                            break;
                        }
                        _ => i += 1,
                    }
                }
                i = i.min(b.len());
                Tok::Str {
                    quoted: true,
                    closed,
                }
            }
            b':' => {
                i = word(b, i + 1);
                Tok::Tag
            }
            b'0'..=b'9' => {
                i = word(b, i);
                Tok::Num
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                i = word(b, i);
                if s[start..i].eq_ignore_ascii_case("text") && b.get(i) == Some(&b':') {
                    // Multi-line: up to a line holding only ".".
                    let body = s[i..].find('\n').map_or(b.len(), |n| i + n + 1);
                    let mut j = body;
                    let mut closed = false;
                    while j < b.len() {
                        let line_end = s[j..].find('\n').map_or(b.len(), |n| j + n);
                        if s[j..line_end].trim_end_matches('\r') == "." {
                            j = (line_end + 1).min(b.len());
                            closed = true;
                            break;
                        }
                        j = line_end + 1;
                    }
                    i = j.min(b.len());
                    Tok::Str {
                        quoted: false,
                        closed,
                    }
                } else {
                    Tok::Ident
                }
            }
            b'[' | b']' | b'(' | b')' | b'{' | b'}' | b';' | b',' => {
                i += 1;
                Tok::Punct(c)
            }
            _ => {
                // Whitespace and stray bytes (whole characters).
                i += s[i..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
        };
        out.push(Token { tok, start, end: i });
    }
    out
}

/// A command or test being read.
#[derive(Debug, Clone)]
struct Call {
    /// Lower case.
    name: String,
    test: bool,
    /// Tags given, lower case, without the colon.
    tags: Vec<String>,
    /// The tag whose argument comes next.
    pending_tag: Option<String>,
    positional: usize,
    has_test: bool,
    /// `if`/`elsif`: the capabilities its `ihave` tests guarantee in its
    /// block (RFC 5463 §4), lower case.
    guards: Vec<String>,
}

#[derive(Debug, Clone)]
enum Frame {
    /// A block, with the capabilities an `ihave` guard of its `if`
    /// guarantees inside it.
    Block(Vec<String>),
    Call(Call),
    TestList {
        expecting: bool,
    },
    /// A string list: its strings.
    List(Vec<String>),
}

/// What the pass over the tokens learns of the whole script.
#[derive(Default)]
struct Facts {
    /// Capabilities required, lower case.
    required: Vec<String>,
    /// Where the last `require` ends (after its `;`).
    require_end: Option<usize>,
    /// Capabilities the `ihave` guards of the blocks around the cursor
    /// guarantee, lower case.
    guarded: Vec<String>,
    /// Variables set before the cursor, as first spelled.
    variables: Vec<String>,
    /// Their names in lower case (variable names are case-insensitive,
    /// RFC 5229 §3).
    seen_variables: std::collections::HashSet<String>,
}

fn string_value(src: &str, t: &Token) -> String {
    match t.tok {
        Tok::Str {
            quoted: true,
            closed,
        } => {
            let end = if closed { t.end - 1 } else { t.end };
            let raw = &src[(t.start + 1).min(end)..end];
            let mut out = String::with_capacity(raw.len());
            let mut esc = false;
            for c in raw.chars() {
                if c == '\\' && !esc {
                    esc = true;
                    continue;
                }
                esc = false;
                out.push(c);
            }
            out
        }
        _ => String::new(),
    }
}

impl Facts {
    fn has(&self, capability: &str) -> bool {
        capability.is_empty()
            || self.required.iter().chain(&self.guarded).any(|r| {
                r == capability
                    || catalog()
                        .extension(r)
                        .is_some_and(|e| e.implies.contains(&capability))
            })
    }

    fn variable(&mut self, name: &str, before_cursor: bool) {
        if before_cursor
            && !name.is_empty()
            && !name.contains('$')
            && self.seen_variables.insert(name.to_ascii_lowercase())
        {
            self.variables.push(name.to_owned());
        }
    }

    /// Arguments given to a call: positional strings or a tag's argument.
    fn argument(&mut self, call: &mut Call, values: &[String], before_cursor: bool) {
        if let Some(tag) = call.pending_tag.take() {
            let arg = catalog().tag_arg(&tag);
            if arg.is_some_and(|a| a.name == "variablename" || a.name == "varname") {
                for v in values {
                    self.variable(v, before_cursor);
                }
            }
            return;
        }
        if !call.test && call.name == "require" {
            for v in values {
                self.required.push(v.to_ascii_lowercase());
            }
        }
        if !call.test && call.positional == 0 && (call.name == "set" || call.name == "extracttext")
        {
            for v in values {
                self.variable(v, before_cursor);
            }
        }
        call.positional += 1;
    }
}

/// Pops frames up to the innermost block (a `;`, `{` or `}` ends every
/// command, test and list open in it).
fn unwind(stack: &mut Vec<Frame>, facts: &mut Facts, end: usize, semicolon: bool) {
    while let Some(top) = stack.last() {
        match top {
            Frame::Block(_) => return,
            Frame::Call(c) if semicolon && !c.test && c.name == "require" => {
                facts.require_end = Some(end);
            }
            _ => {}
        }
        stack.pop();
    }
}

fn entry_of(call: &Call, facts: &Facts) -> Option<&'static Entry> {
    let has = |c: &str| facts.has(c);
    if call.test {
        catalog().test_for(&call.name, has)
    } else {
        catalog().command_for(&call.name, has)
    }
}

fn tag_takes_arg(call: &Call, tag: &str, facts: &Facts) -> bool {
    match entry_of(call, facts) {
        Some(e) => e.tag_for(tag, |c| facts.has(c)).map_or_else(
            || catalog().tag_arg(tag).is_some(),
            |t| t.spec.arg.is_some(),
        ),
        None => catalog().tag_arg(tag).is_some(),
    }
}

/// The capabilities the blocks on the stack are guarded by.
fn guards_of(stack: &[Frame]) -> Vec<String> {
    stack
        .iter()
        .rev()
        .find_map(|f| match f {
            Frame::Block(g) => Some(g.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// The capability names given to an `ihave` test at the top of the stack
/// guard the block of the `if`/`elsif` it is the condition of, when it is
/// that condition or one of an `allof` that is (RFC 5463 §4: `not ihave`
/// or `anyof(ihave …, …)` guarantees nothing).
fn guard(stack: &mut [Frame], values: &[String]) {
    let Some(Frame::Call(top)) = stack.last() else {
        return;
    };
    if !(top.test && top.name == "ihave") {
        return;
    }
    for f in stack.iter_mut().rev().skip(1) {
        match f {
            Frame::TestList { .. } => {}
            Frame::Call(c) if c.test && c.name == "allof" => {}
            Frame::Call(c) if !c.test && (c.name == "if" || c.name == "elsif") => {
                c.guards
                    .extend(values.iter().map(|v| v.to_ascii_lowercase()));
                return;
            }
            _ => return,
        }
    }
}

/// Feeds one token to the stack.
fn step(stack: &mut Vec<Frame>, facts: &mut Facts, src: &str, t: &Token, before_cursor: bool) {
    let text = &src[t.start..t.end];
    if let Tok::Punct(p @ (b';' | b'{' | b'}')) = t.tok {
        // The block of an `if`/`elsif` inherits the guards around it and
        // adds those of its `ihave` tests.
        let guards =
            (p == b'{').then(|| {
                let mut guards = guards_of(stack);
                if let Some(Frame::Call(c)) = stack.iter().rev().find(|f| {
                    matches!(f, Frame::Call(c) if !c.test) || matches!(f, Frame::Block(_))
                }) {
                    guards.extend(c.guards.iter().cloned());
                }
                guards
            });
        unwind(stack, facts, t.end, p == b';');
        match p {
            b'{' => stack.push(Frame::Block(guards.unwrap_or_default())),
            b'}' if stack.len() > 1 => {
                stack.pop();
            }
            _ => {}
        }
        return;
    }
    let call = |name: &str, test: bool| {
        Frame::Call(Call {
            name: name.to_ascii_lowercase(),
            test,
            tags: Vec::new(),
            pending_tag: None,
            positional: 0,
            has_test: false,
            guards: Vec::new(),
        })
    };
    let n = stack.len();
    match (stack.last_mut(), &t.tok) {
        (None, _) => stack.push(Frame::Block(Vec::new())),
        (Some(Frame::Block(_)), Tok::Ident) => stack.push(call(text, false)),
        (Some(Frame::Block(_)), _) => {}
        (Some(Frame::TestList { expecting }), Tok::Ident) => {
            *expecting = false;
            stack.push(call(text, true));
        }
        (Some(Frame::TestList { expecting }), Tok::Punct(b',')) => *expecting = true,
        (Some(Frame::TestList { .. }), Tok::Punct(b')')) => {
            stack.pop();
        }
        (Some(Frame::TestList { .. }), _) => {}
        (Some(Frame::List(values)), Tok::Str { .. }) => values.push(string_value(src, t)),
        (Some(Frame::List(_)), Tok::Punct(b']')) => {
            let Some(Frame::List(values)) = stack.pop() else {
                return;
            };
            if let Some(Frame::Call(c)) = stack.last_mut() {
                let mut c2 = c.clone();
                facts.argument(&mut c2, &values, before_cursor);
                *c = c2;
            }
            guard(stack, &values);
        }
        (Some(Frame::List(_)), _) => {}
        (Some(Frame::Call(c)), tok) => match tok {
            Tok::Tag => {
                let name = text[1..].to_ascii_lowercase();
                let mut c2 = c.clone();
                c2.pending_tag = tag_takes_arg(&c2, &name, facts).then(|| name.clone());
                c2.tags.push(name);
                *c = c2;
            }
            Tok::Str { .. } | Tok::Num => {
                let values = vec![string_value(src, t)];
                let mut c2 = c.clone();
                facts.argument(&mut c2, &values, before_cursor);
                *c = c2;
                guard(stack, &values);
            }
            Tok::Punct(b'[') => stack.push(Frame::List(Vec::new())),
            Tok::Punct(b'(') => {
                c.has_test = true;
                stack.push(Frame::TestList { expecting: true });
            }
            Tok::Ident => {
                let takes_tests =
                    entry_of(c, facts).is_some_and(|e| e.sig.tests != TestArity::None);
                if !c.test && !takes_tests {
                    // A missing `;`: a new command.
                    let _ = n;
                    unwind(stack, facts, t.start, false);
                    stack.push(call(text, false));
                } else {
                    c.has_test = true;
                    stack.push(call(text, true));
                }
            }
            Tok::Punct(b',' | b')') => {
                // Ends the tests up to the enclosing test list.
                while matches!(stack.last(), Some(Frame::Call(_))) {
                    stack.pop();
                }
                match (stack.last_mut(), &t.tok) {
                    (Some(Frame::TestList { expecting }), Tok::Punct(b',')) => *expecting = true,
                    (Some(Frame::TestList { .. }), _) => {
                        stack.pop();
                    }
                    _ => {}
                }
            }
            _ => {}
        },
    }
}

/// Where the cursor is.
enum Context {
    /// A command, test or tag is typed: `prefix` from `from`.
    Word {
        from: usize,
        tag: bool,
    },
    /// Inside a quoted string whose content starts at `content`.
    InString {
        content: usize,
        quoted: bool,
    },
    Nothing,
}

/// The completion items at the cursor.
pub fn complete(req: &Request<'_>) -> Vec<CompletionItem> {
    let src = req.text.as_str();
    let offset = req.offset.min(src.len());
    let tokens = tokenize(src);
    let mut stack = vec![Frame::Block(Vec::new())];
    let mut facts = Facts::default();
    let mut at_cursor: Option<(Vec<Frame>, Context)> = None;
    for t in &tokens {
        if at_cursor.is_none() {
            let inside = t.start < offset && offset < t.end;
            let context = match &t.tok {
                Tok::Comment if inside || (t.start < offset && offset == t.end) => {
                    Some(Context::Nothing)
                }
                Tok::Str { quoted, closed } if t.start < offset && (inside || !closed) => {
                    Some(Context::InString {
                        content: if *quoted { t.start + 1 } else { t.start },
                        quoted: *quoted,
                    })
                }
                Tok::Ident | Tok::Tag if t.start < offset && offset <= t.end => {
                    Some(Context::Word {
                        from: t.start,
                        tag: t.tok == Tok::Tag,
                    })
                }
                _ if t.start >= offset => Some(Context::Word {
                    from: offset,
                    tag: false,
                }),
                _ if inside => Some(Context::Nothing),
                _ => None,
            };
            if let Some(c) = context {
                at_cursor = Some((stack.clone(), c));
            }
        }
        step(&mut stack, &mut facts, src, t, at_cursor.is_none());
    }
    let (stack, context) = at_cursor.unwrap_or((
        stack,
        Context::Word {
            from: offset,
            tag: false,
        },
    ));
    facts.guarded = guards_of(&stack);
    let mut out = Completions {
        req,
        facts: &facts,
        from: offset,
        items: Vec::new(),
    };
    match context {
        Context::Nothing => {}
        Context::Word { from, tag } => {
            out.from = from;
            word(&mut out, &stack, tag);
        }
        Context::InString { content, quoted } => {
            in_string(&mut out, &stack, src, content, quoted);
        }
    }
    out.items
}

struct Completions<'a> {
    req: &'a Request<'a>,
    facts: &'a Facts,
    /// The start of what the items replace (up to the cursor).
    from: usize,
    items: Vec<CompletionItem>,
}

impl Completions<'_> {
    fn edit(&self, new_text: String) -> Option<CompletionTextEdit> {
        let span = crate::syntax::ast::Span::new(self.from, self.req.offset.max(self.from));
        Some(CompletionTextEdit::Edit(TextEdit {
            range: self.req.text.range(span, self.req.enc),
            new_text,
        }))
    }

    /// The edit adding `require "cap";`, unless the script has it.
    fn require(&self, capability: &str) -> Option<Vec<TextEdit>> {
        if self.facts.has(capability) {
            return None;
        }
        let src = self.req.text.as_str();
        let line = format!("require \"{capability}\";");
        let (at, new_text) = match self.facts.require_end {
            Some(end) => match src[end..].find('\n') {
                Some(n) => {
                    let eol = if src[..end + n].ends_with('\r') {
                        "\r\n"
                    } else {
                        "\n"
                    };
                    (end + n + 1, format!("{line}{eol}"))
                }
                None => (src.len(), format!("\n{line}")),
            },
            None => {
                let eol = if src.contains("\r\n") { "\r\n" } else { "\n" };
                (0, format!("{line}{eol}"))
            }
        };
        let span = crate::syntax::ast::Span::new(at, at);
        Some(vec![TextEdit {
            range: self.req.text.range(span, self.req.enc),
            new_text,
        }])
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        label: String,
        kind: CompletionItemKind,
        detail: String,
        doc: &str,
        snippet: Option<String>,
        capability: &str,
    ) {
        let (text, format) = match snippet {
            Some(s) if self.req.snippets => (s, InsertTextFormat::SNIPPET),
            _ => (label.clone(), InsertTextFormat::PLAIN_TEXT),
        };
        let deprecated = catalog()
            .extension(capability)
            .is_some_and(|e| e.deprecated.is_some());
        self.items.push(CompletionItem {
            filter_text: Some(label.clone()),
            label,
            kind: Some(kind),
            detail: Some(detail),
            documentation: (!doc.is_empty()).then(|| Documentation::String(doc.to_owned())),
            insert_text_format: Some(format),
            text_edit: self.edit(text),
            additional_text_edits: self.require(capability),
            tags: deprecated.then(|| vec![CompletionItemTag::DEPRECATED]),
            ..CompletionItem::default()
        });
    }

    fn values(&mut self, values: &[(&str, &str, &str)], kind: CompletionItemKind) {
        for (label, detail, capability) in values {
            self.push(
                (*label).to_owned(),
                kind,
                (*detail).to_owned(),
                "",
                None,
                capability,
            );
        }
    }
}

fn detail(entry: &Entry) -> String {
    format!(
        "{} — {}",
        super::hover::synopsis(entry),
        if entry.capability.is_empty() {
            entry.rfc.to_owned()
        } else {
            format!("{} (\"{}\")", entry.rfc, entry.capability)
        }
    )
}

fn placeholder(n: usize, name: &str, kind: ArgKind) -> String {
    match kind {
        ArgKind::Number => format!("${{{n}:{name}}}"),
        ArgKind::String | ArgKind::StringList => format!("\"${{{n}:{name}}}\""),
    }
}

/// `name "${1:arg}" ${2:test} {\n\t$0\n}` or `…;`.
fn snippet(sig: &Signature, command: bool) -> String {
    let mut s = sig.name.to_owned();
    let mut n = 0;
    for a in sig.positional.iter().filter(|a| !a.optional) {
        n += 1;
        s.push(' ');
        s.push_str(&placeholder(n, a.name, a.kind));
    }
    match sig.tests {
        TestArity::None => {}
        TestArity::One => s.push_str(&format!(" ${{{}:test}}", n + 1)),
        TestArity::List => s.push_str(&format!("(${{{}:tests}})", n + 1)),
    }
    if sig.block {
        s.push_str(" {\n\t$0\n}");
    } else if command {
        s.push(';');
    }
    s
}

/// A command, test or tag at the cursor.
fn word(out: &mut Completions<'_>, stack: &[Frame], tag: bool) {
    let facts = out.facts;
    match stack.last() {
        Some(Frame::Block(_)) if !tag => commands(out, false),
        Some(Frame::TestList { expecting: true }) if !tag => commands(out, true),
        Some(Frame::Call(c)) => {
            let Some(entry) = entry_of(c, facts) else {
                return;
            };
            if tag {
                tags(out, c, entry);
            } else if !c.has_test && c.pending_tag.is_none() && entry.sig.tests == TestArity::One {
                commands(out, true);
            }
        }
        _ => {}
    }
}

fn commands(out: &mut Completions<'_>, tests: bool) {
    let facts = out.facts;
    let c = catalog();
    let mut names: Vec<&str> = if tests {
        c.test_names().collect()
    } else {
        c.command_names().collect()
    };
    names.sort_unstable();
    for name in names {
        let has = |cap: &str| facts.has(cap);
        let entry = if tests {
            c.test_for(name, has)
        } else {
            c.command_for(name, has)
        };
        let Some(entry) = entry else { continue };
        let kind = if tests {
            CompletionItemKind::FUNCTION
        } else if entry.capability.is_empty()
            && (entry.sig.block || name == "require" || name == "stop")
        {
            CompletionItemKind::KEYWORD
        } else {
            CompletionItemKind::FUNCTION
        };
        out.push(
            name.to_owned(),
            kind,
            detail(entry),
            entry.sig.doc,
            Some(snippet(entry.sig, !tests)),
            entry.capability,
        );
    }
}

fn tags(out: &mut Completions<'_>, call: &Call, entry: &Entry) {
    let facts = out.facts;
    let given: Vec<_> = call
        .tags
        .iter()
        .filter_map(|g| entry.tag_for(g, |c| facts.has(c)))
        .collect();
    let mut seen: Vec<&str> = Vec::new();
    for t in &entry.tags {
        let name = t.spec.name;
        if seen.contains(&name) || call.tags.iter().any(|g| g == name) {
            continue;
        }
        seen.push(name);
        let Some(t) = entry.tag_for(name, |c| facts.has(c)) else {
            continue;
        };
        if t.exclusive
            .is_some_and(|set| given.iter().any(|g| g.exclusive == Some(set)))
        {
            continue;
        }
        let capability = if t.capability.is_empty() {
            entry.capability
        } else {
            t.capability
        };
        let rfc = catalog().extension(capability).map_or(entry.rfc, |e| e.rfc);
        let (sig, snippet) = match t.spec.arg {
            Some(a) => (
                format!(":{name} <{}: {}>", a.name, a.kind.describe()),
                Some(format!(":{name} {}", placeholder(1, a.name, a.kind))),
            ),
            None => (format!(":{name}"), None),
        };
        let set = t.exclusive.map(|s| format!(" ({s})")).unwrap_or_default();
        out.push(
            format!(":{name}"),
            CompletionItemKind::PROPERTY,
            format!("{sig}{set} — {rfc}"),
            t.spec.doc,
            snippet,
            capability,
        );
    }
}

/// Inside a string.
fn in_string(out: &mut Completions<'_>, stack: &[Frame], src: &str, content: usize, quoted: bool) {
    let offset = out.req.offset.min(src.len());
    let typed = &src[content.min(offset)..offset];
    // `${name` not closed yet: the variables.
    if let Some(open) = typed.rfind("${")
        && !typed[open..].contains('}')
    {
        out.from = content + open + 2;
        let close = if src[offset..].starts_with('}') {
            ""
        } else {
            "}"
        };
        let mut names: Vec<String> = out.facts.variables.clone();
        names.extend((0..10).map(|n| n.to_string()));
        for name in names {
            let matched = name.bytes().all(|b| b.is_ascii_digit());
            let detail = if matched {
                "match variable (RFC 5229 §3.2)"
            } else {
                "variable (RFC 5229 §4)"
            };
            let edit = out.edit(format!("{name}{close}"));
            out.push(
                name,
                CompletionItemKind::VARIABLE,
                detail.to_owned(),
                "",
                None,
                "",
            );
            if let Some(item) = out.items.last_mut() {
                item.text_edit = edit;
            }
        }
        return;
    }
    if !quoted {
        return;
    }
    out.from = content.min(offset);
    let call = match stack {
        [.., Frame::Call(c)] | [.., Frame::Call(c), Frame::List(_)] => c,
        _ => return,
    };
    if !call.test && call.name == "require" {
        let mut caps: Vec<(&str, &str)> = KNOWN_CAPABILITIES.to_vec();
        for e in crate::ext::EXTENSIONS {
            if !e.capability.is_empty() && !caps.iter().any(|(c, _)| *c == e.capability) {
                caps.push((e.capability, e.rfc));
            }
        }
        caps.sort_unstable();
        for (cap, rfc) in caps {
            let doc = catalog().extension(cap).map_or("", |e| e.doc);
            out.push(
                cap.to_owned(),
                CompletionItemKind::VALUE,
                rfc.to_owned(),
                doc,
                None,
                "",
            );
            if let Some(item) = out.items.last_mut() {
                item.tags = catalog()
                    .extension(cap)
                    .is_some_and(|e| e.deprecated.is_some())
                    .then(|| vec![CompletionItemTag::DEPRECATED]);
            }
        }
        return;
    }
    match call.pending_tag.as_deref() {
        Some("comparator") => {
            let values: Vec<(&str, &str, &str)> = COMPARATORS
                .iter()
                .map(|(name, rfc)| {
                    let cap = match *name {
                        "i;ascii-numeric" => "comparator-i;ascii-numeric",
                        "i;unicode-casemap" => "comparator-i;unicode-casemap",
                        _ => "",
                    };
                    (*name, *rfc, cap)
                })
                .collect();
            out.values(&values, CompletionItemKind::VALUE);
        }
        Some(_) => {}
        None => {
            let Some(entry) = entry_of(call, out.facts) else {
                return;
            };
            let Some(arg) = entry.sig.positional.get(call.positional) else {
                return;
            };
            if arg.name == "date-part" {
                let values: Vec<(&str, &str, &str)> = DATE_PARTS
                    .iter()
                    .map(|p| (*p, "date part (RFC 5260 §4.2)", ""))
                    .collect();
                out.values(&values, CompletionItemKind::VALUE);
            } else if call.tags.iter().any(|t| t == "list")
                && call.positional + 1 == entry.sig.positional.len()
            {
                let mut names = vec![":addrbook:default".to_owned()];
                for l in &out.req.lists {
                    if !names.contains(l) {
                        names.push(l.clone());
                    }
                }
                let values: Vec<(&str, &str, &str)> = names
                    .iter()
                    .map(|n| (n.as_str(), "list (RFC 6134)", ""))
                    .collect();
                out.values(&values, CompletionItemKind::VALUE);
            }
        }
    }
}
