//! Navigation: the outline of a script (`textDocument/documentSymbol`),
//! its folding ranges (`textDocument/foldingRange`) and go to definition
//! (`textDocument/definition`) from a variable reference to the commands
//! that set it, and from `include` to the included script.
//!
//! Everything is computed from the syntax tree of the current text; the
//! parser recovers from errors, so a broken document still gets an
//! answer (possibly an empty one), never an error.

use super::document::{Encoding, Text, to_u32};
use crate::rules::include_files::{Found, Include, resolve};
use crate::syntax::ast::{Argument, Arguments, Command, Span, StringKind, StringLit, Test};
use crate::syntax::comments::{CommentKind, comments};
use lsp_types::{
    DocumentSymbol, FoldingRange, FoldingRangeKind, GotoDefinitionResponse, Location, SymbolKind,
    Uri,
};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// How long a symbol's name may grow (in characters) before it is cut.
const NAME_MAX: usize = 80;

// ---------------------------------------------------------------- symbols

/// The outline: the top-level commands, `if` chains grouped with their
/// `elsif` and `else`, nested commands as children.
pub fn symbols(text: &Text, enc: Encoding) -> Vec<DocumentSymbol> {
    let script = crate::syntax::parse(text.as_str()).script;
    symbols_of(&script.commands, text, enc)
}

fn symbols_of(commands: &[Command], text: &Text, enc: Encoding) -> Vec<DocumentSymbol> {
    let mut out: Vec<DocumentSymbol> = Vec::new();
    let mut i = 0;
    while i < commands.len() {
        let c = &commands[i];
        i += 1;
        let mut sym = symbol(c, text, enc);
        if c.name.is("if") {
            // The `elsif`/`else` that follow belong to this `if`.
            let mut span = c.span;
            let mut branches = Vec::new();
            while let Some(next) = commands.get(i) {
                if !(next.name.is("elsif") || next.name.is("else")) {
                    break;
                }
                span = span.cover(next.span);
                branches.push(symbol(next, text, enc));
                i += 1;
                if next.name.is("else") {
                    break;
                }
            }
            sym.range = text.range(span, enc);
            if !branches.is_empty() {
                sym.children.get_or_insert_with(Vec::new).extend(branches);
            }
        }
        out.push(sym);
    }
    out
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written.
fn symbol(c: &Command, text: &Text, enc: Encoding) -> DocumentSymbol {
    let (name, kind) = describe(c);
    let children = c
        .block
        .as_ref()
        .map(|b| symbols_of(&b.commands, text, enc))
        .filter(|v| !v.is_empty());
    // The keyword lies inside the command's span; keep it so if a broken
    // command's spans disagree.
    let span = c.span.cover(c.name.span);
    DocumentSymbol {
        name: cut(name),
        detail: None,
        kind,
        tags: None,
        deprecated: None,
        range: text.range(span, enc),
        selection_range: text.range(c.name.span, enc),
        children,
    }
}

/// A command's name in the outline, and its kind.
fn describe(c: &Command) -> (String, SymbolKind) {
    let keyword = if c.name.name.is_empty() {
        "?".to_owned()
    } else {
        c.name.name.to_string()
    };
    let lower = keyword.to_ascii_lowercase();
    match lower.as_str() {
        "require" => {
            let caps: Vec<String> = strings(&c.args).map(|s| quote(&s.value)).collect();
            let name = if caps.is_empty() {
                keyword
            } else {
                format!("{keyword} {}", caps.join(", "))
            };
            (name, SymbolKind::PACKAGE)
        }
        "if" | "elsif" => {
            let test = c
                .args
                .tests
                .as_ref()
                .and_then(|t| t.as_slice().first())
                .map(test_name);
            let name = match test {
                Some(t) => format!("{keyword} {t}"),
                None => keyword,
            };
            (name, SymbolKind::NAMESPACE)
        }
        "else" => (keyword, SymbolKind::NAMESPACE),
        "include" => {
            let name = match strings(&c.args).next() {
                Some(s) => format!("{keyword} {}", quote(&s.value)),
                None => keyword,
            };
            (name, SymbolKind::MODULE)
        }
        "set" | "global" => {
            let name = match strings(&c.args).next() {
                Some(s) => format!("{keyword} {}", quote(&s.value)),
                None => keyword,
            };
            (name, SymbolKind::VARIABLE)
        }
        _ => (keyword, SymbolKind::FUNCTION),
    }
}

/// `header "subject"`, `anyof(header "subject", exists "x")`, `true`.
fn test_name(t: &Test) -> String {
    let mut name = t.name.name.to_string();
    if let Some(tests) = &t.args.tests {
        let inner: Vec<String> = tests.as_slice().iter().map(test_name).collect();
        name.push('(');
        name.push_str(&inner.join(", "));
        name.push(')');
    } else if let Some(s) = strings(&t.args).next() {
        name.push(' ');
        name.push_str(&quote(&s.value));
    }
    name
}

/// The strings of the arguments (string lists flattened), in order.
fn strings<'a, 's>(args: &'a Arguments<'s>) -> impl Iterator<Item = &'a StringLit<'s>> {
    args.args.iter().flat_map(Argument::strings)
}

/// A string as a name shows it: quoted, on one line.
fn quote(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("\"{}\"", one_line.trim_end())
}

fn cut(name: String) -> String {
    if name.chars().count() <= NAME_MAX {
        return name;
    }
    let mut s: String = name.chars().take(NAME_MAX - 1).collect();
    s.push('…');
    s
}

// ---------------------------------------------------------------- folding

/// Folding ranges by whole lines: blocks, `text:` strings, bracket
/// comments and runs of `#` comment lines.
pub fn folding(text: &Text) -> Vec<FoldingRange> {
    let src = text.as_str();
    let script = crate::syntax::parse(src).script;
    let line = |offset: usize| text.lines().line(offset.min(src.len()));
    let mut out: Vec<(usize, usize, Option<FoldingRangeKind>)> = Vec::new();
    let mut stack: Vec<&[Command]> = vec![&script.commands];
    while let Some(commands) = stack.pop() {
        for c in commands {
            let mut args = vec![&c.args];
            let mut k = 0;
            while let Some(a) = args.get(k).copied() {
                k += 1;
                for s in strings(a) {
                    if s.kind == StringKind::MultiLine {
                        out.push((
                            line(s.span.start()),
                            line(s.span.end().saturating_sub(1)),
                            None,
                        ));
                    }
                }
                if let Some(t) = &a.tests {
                    args.extend(t.as_slice().iter().map(|t| &t.args));
                }
            }
            if let Some(block) = &c.block {
                let start = line(block.span.start());
                let close = block.span.end().saturating_sub(1);
                let mut end = line(close);
                // Keep a `}` that starts its line visible.
                if src.as_bytes().get(close) == Some(&b'}') {
                    let line_start = text.lines().line_start(end);
                    if src[line_start..close].trim().is_empty() && end > start {
                        end -= 1;
                    }
                }
                out.push((start, end, None));
                stack.push(&block.commands);
            }
        }
    }
    let mut hash_run: Option<(usize, usize)> = None;
    let flush = |run: Option<(usize, usize)>, out: &mut Vec<_>| {
        if let Some((a, b)) = run {
            out.push((a, b, Some(FoldingRangeKind::Comment)));
        }
    };
    for c in comments(src).comments {
        match c.kind {
            CommentKind::Bracket => {
                let end = c.span.end().saturating_sub(1).max(c.span.start());
                out.push((
                    line(c.span.start()),
                    line(end),
                    Some(FoldingRangeKind::Comment),
                ));
            }
            CommentKind::Hash => {
                let l = line(c.span.start());
                let start = text.lines().line_start(l);
                // Only comments alone on their line make a run.
                if !src[start..c.span.start()].trim().is_empty() {
                    continue;
                }
                hash_run = match hash_run {
                    Some((a, b)) if b + 1 == l => Some((a, l)),
                    run => {
                        flush(run, &mut out);
                        Some((l, l))
                    }
                };
            }
        }
    }
    flush(hash_run, &mut out);
    out.retain(|(a, b, _)| b > a);
    out.sort_by_key(|(a, b, _)| (*a, std::cmp::Reverse(*b)));
    out.dedup_by_key(|(a, b, _)| (*a, *b));
    out.into_iter()
        .map(|(a, b, kind)| FoldingRange {
            start_line: to_u32(a),
            start_character: None,
            end_line: to_u32(b),
            end_character: None,
            kind,
            collapsed_text: None,
        })
        .collect()
}

// ------------------------------------------------------------- definition

/// Where the thing at `offset` is defined: a variable reference `${name}`
/// leads to the commands before it that assign the variable; an `include`
/// to the script it names, when that file exists.
pub fn definition(
    uri: &Uri,
    text: &Text,
    enc: Encoding,
    offset: usize,
    global_dirs: &[PathBuf],
) -> Option<GotoDefinitionResponse> {
    let script = crate::syntax::parse(text.as_str()).script;
    let (c, string) = at(&script.commands, offset)?;
    if c.name.is("include") && !c.broken {
        return include_target(uri, c, global_dirs);
    }
    let string = string?;
    let name = reference_at(text.as_str(), string, offset)?;
    let mut found = Vec::new();
    assignments(&script.commands, name, string.span.start(), &mut found);
    if found.is_empty() {
        return None;
    }
    let locations = found
        .into_iter()
        .map(|span| Location::new(uri.clone(), text.range(span, enc)))
        .collect();
    Some(GotoDefinitionResponse::Array(locations))
}

/// The innermost command whose span holds `offset`, and the string at
/// `offset` in its arguments (or its tests'), if any.
fn at<'a, 's>(
    commands: &'a [Command<'s>],
    offset: usize,
) -> Option<(&'a Command<'s>, Option<&'a StringLit<'s>>)> {
    let covers = |s: Span| s.start() <= offset && offset <= s.end();
    let c = commands
        .iter()
        .find(|c| covers(c.span.cover(c.name.span)))?;
    if let Some(block) = &c.block
        && covers(block.span)
        && let Some(inner) = at(&block.commands, offset)
    {
        return Some(inner);
    }
    let mut args = vec![&c.args];
    let mut k = 0;
    while let Some(a) = args.get(k).copied() {
        k += 1;
        if let Some(s) = strings(a).find(|s| covers(s.span)) {
            return Some((c, Some(s)));
        }
        if let Some(t) = &a.tests {
            args.extend(t.as_slice().iter().map(|t| &t.args));
        }
    }
    Some((c, None))
}

/// The variable name of the `${…}` reference at `offset` in a string's
/// source text (RFC 5229 §3: letters, digits, `_` and `.`).
fn reference_at<'s>(src: &'s str, string: &StringLit, offset: usize) -> Option<&'s str> {
    let raw = src.get(string.span.range())?;
    crate::ext::variables::located_references(raw)
        .find(|(at, name)| {
            let start = string.span.start() + at;
            // `${` + name + `}`: the cursor may stand on either brace.
            start <= offset && offset <= start + 2 + name.len() + 1
        })
        .map(|(_, name)| name)
}

/// The argument when it is a single string.
fn string_arg<'a, 's>(a: Option<&'a Argument<'s>>) -> Option<&'a StringLit<'s>> {
    match a {
        Some(Argument::String(s)) => Some(s),
        _ => None,
    }
}

/// The spans of the variable names assigned to `name` before `before`:
/// `set` (RFC 5229 §4), `global` (RFC 6609 §3.4: `${x}` and
/// `${global.x}`), `extracttext` (RFC 5703 §7), the variable of
/// `setflag`/`addflag`/`removeflag` (RFC 5232 §3), `:outcome`/`:reason` of
/// processcalendar (RFC 9671 §3) and `:output` of vnd.dovecot.execute.
/// A match variable (`${1}`, RFC 5229 §3.2) is set by the most recent
/// successful `:matches` (or `:regex`) test: those before it are its
/// definitions.
fn assignments(commands: &[Command], name: &str, before: usize, out: &mut Vec<Span>) {
    let matched = !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit());
    let global = name
        .split_once('.')
        .filter(|(ns, _)| ns.eq_ignore_ascii_case("global"))
        .map(|(_, n)| n);
    let fits = |s: &StringLit, via_global: bool| {
        s.value.eq_ignore_ascii_case(name)
            || (via_global && global.is_some_and(|g| s.value.eq_ignore_ascii_case(g)))
    };
    for c in commands {
        if c.span.start() >= before {
            return;
        }
        if !c.broken {
            if matched {
                matching_tests(&c.args, before, out);
            } else {
                for s in assigned(&c.name.name, &c.args) {
                    if fits(s, c.name.is("global")) {
                        out.push(s.span);
                    }
                }
                tests_assigning(&c.args, &fits, before, out);
            }
        }
        if let Some(block) = &c.block {
            assignments(&block.commands, name, before, out);
        }
    }
}

/// The variable names that the command or test `name` with `args`
/// assigns.
fn assigned<'a>(name: &str, args: &'a Arguments<'a>) -> Vec<&'a StringLit<'a>> {
    let positional: Vec<&Argument> = args
        .args
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            // A tag's own argument is not positional.
            let tag_arg = *i > 0 && tag_with_arg(name, &args.args[*i - 1]);
            !matches!(a, Argument::Tag(_)) && !tag_arg
        })
        .map(|(_, a)| a)
        .collect();
    let mut out: Vec<&StringLit> = match name.to_ascii_lowercase().as_str() {
        "set" => string_arg(positional.first().copied())
            .into_iter()
            .collect(),
        "extracttext" => string_arg(positional.last().copied()).into_iter().collect(),
        "global" => positional.iter().flat_map(|a| a.strings()).collect(),
        // RFC 5232 §3: with two arguments the first names the variable.
        "setflag" | "addflag" | "removeflag" if positional.len() == 2 => {
            string_arg(positional.first().copied())
                .into_iter()
                .collect()
        }
        _ => Vec::new(),
    };
    for pair in args.args.windows(2) {
        if let [tag @ Argument::Tag(_), Argument::String(s)] = pair
            && tag_with_arg(name, tag)
        {
            out.push(s);
        }
    }
    out
}

/// Is `a` a tag of `command` whose argument names a variable (`:output`
/// of execute, `:outcome`/`:reason` of processcalendar)?
fn tag_with_arg(command: &str, a: &Argument) -> bool {
    let Argument::Tag(t) = a else { return false };
    match command.to_ascii_lowercase().as_str() {
        "execute" => t.is("output"),
        "processcalendar" => t.is("outcome") || t.is("reason"),
        _ => false,
    }
}

/// The tests in `args` (nested ones too) that assign a variable `fits`.
fn tests_assigning(
    args: &Arguments,
    fits: &dyn Fn(&StringLit, bool) -> bool,
    before: usize,
    out: &mut Vec<Span>,
) {
    for t in args.tests.iter().flat_map(|t| t.as_slice()) {
        if t.span.start() >= before {
            return;
        }
        for s in assigned(&t.name.name, &t.args) {
            if fits(s, false) {
                out.push(s.span);
            }
        }
        tests_assigning(&t.args, fits, before, out);
    }
}

/// The `:matches` and `:regex` tests in `args` (nested ones too): each
/// sets the match variables when it succeeds (RFC 5229 §3.2).
fn matching_tests(args: &Arguments, before: usize, out: &mut Vec<Span>) {
    for t in args.tests.iter().flat_map(|t| t.as_slice()) {
        if t.span.start() >= before {
            return;
        }
        if t.args
            .args
            .iter()
            .any(|a| matches!(a, Argument::Tag(g) if g.is("matches") || g.is("regex")))
        {
            out.push(t.span);
        }
        matching_tests(&t.args, before, out);
    }
}

/// The script an `include` names, when it is a file on disk (looked up as
/// the checker looks it up).
fn include_target(
    uri: &Uri,
    c: &Command,
    global_dirs: &[PathBuf],
) -> Option<GotoDefinitionResponse> {
    let script = super::diagnostics::file_path(uri)?;
    let tag = |name: &str| {
        c.args
            .args
            .iter()
            .any(|a| matches!(a, Argument::Tag(t) if t.is(name)))
    };
    let Some(Argument::String(lit)) = c.args.args.iter().find(|a| !matches!(a, Argument::Tag(_)))
    else {
        return None;
    };
    if lit.value.contains("${") {
        return None;
    }
    let include = Include {
        name: lit.value.to_string(),
        span: lit.span,
        global: tag("global"),
        once: tag("once"),
        optional: tag("optional"),
    };
    let Found::File(path) = resolve(&include, &script, global_dirs) else {
        return None;
    };
    let target = file_uri(&path)?;
    let start = lsp_types::Position::new(0, 0);
    Some(GotoDefinitionResponse::Scalar(Location::new(
        target,
        lsp_types::Range::new(start, start),
    )))
}

/// The `file://` URI of a path, percent-encoded.
fn file_uri(path: &Path) -> Option<Uri> {
    let path = std::path::absolute(path).ok()?;
    let url = url::Url::from_file_path(path).ok()?;
    Uri::from_str(url.as_str()).ok()
}
