//! From pest pairs to the AST: one function per grammar rule.

use super::ast::*;
use super::grammar::{Rule, SieveParser};
use super::scan::{HeadEnd, RawCommand};
use super::{SyntaxError, SyntaxErrorKind};
use pest::Parser;
use pest::iterators::Pair;

/// A parsed head: its name and arguments, or the error that stopped it
/// (`Err(None)`: already reported by the scanner).
pub(crate) type HeadResult<'s> = Result<(Ident, Arguments<'s>), Option<SyntaxError>>;

pub(crate) fn parse_head<'s>(src: &'s str, raw: &RawCommand) -> HeadResult<'s> {
    if raw.lex_error {
        return Err(None);
    }
    let off = raw.head.start();
    let text = &src[raw.head.range()];
    match SieveParser::parse(Rule::command_head, text) {
        Ok(mut pairs) => {
            let head = pairs.next().ok_or_else(|| Some(internal(raw.head)))?;
            let mut inner = head.into_inner();
            let ident = match inner.next() {
                Some(p) if p.as_rule() == Rule::identifier => ident(&p, off),
                _ => return Err(Some(internal(raw.head))),
            };
            let args = arguments(inner, off).map_err(Some)?;
            Ok((ident, args))
        }
        Err(e) => {
            let mut err = convert_error(text, off, src[raw.head.end()..].chars().next(), &e);
            let before = src[..off].trim_end().chars().next_back();
            common_mistake(text, off, before, &mut err);
            Err(Some(err))
        }
    }
}

/// Fast path: parses a run of complete top-level commands (with their
/// blocks) in one pest call. `None` when it does not parse; the caller then
/// parses the commands head by head, which recovers from errors.
pub(crate) fn parse_chunk(src: &str, span: Span) -> Option<Vec<Command<'_>>> {
    let text = &src[span.range()];
    let mut pairs = SieveParser::parse(Rule::script, text).ok()?;
    let script = pairs.next()?;
    let mut out = Vec::new();
    for p in script.into_inner() {
        if p.as_rule() == Rule::command {
            out.push(command(p, span.start()).ok()?);
        }
    }
    Some(out)
}

/// `identifier arguments (";" / block)`
fn command(p: Pair<'_, Rule>, off: usize) -> Result<Command<'_>, SyntaxError> {
    let span = span_of(&p, off);
    let mut inner: Vec<Pair<'_, Rule>> = p.into_inner().collect();
    let block = match inner.last().map(|l| l.as_rule()) {
        Some(Rule::block) => inner
            .pop()
            .map(|b| block(b, off).map(Box::new))
            .transpose()?,
        _ => None,
    };
    let mut inner = inner.into_iter();
    let name = match inner.next() {
        Some(i) if i.as_rule() == Rule::identifier => ident(&i, off),
        _ => return Err(internal(span)),
    };
    Ok(Command {
        name,
        args: arguments(inner, off)?,
        block,
        span,
        broken: false,
    })
}

fn block(p: Pair<'_, Rule>, off: usize) -> Result<Block<'_>, SyntaxError> {
    let span = span_of(&p, off);
    let mut commands = Vec::new();
    for c in p.into_inner() {
        if c.as_rule() == Rule::command {
            commands.push(command(c, off)?);
        }
    }

    Ok(Block {
        commands: commands.into_boxed_slice(),
        span,
    })
}

fn internal(span: Span) -> SyntaxError {
    SyntaxError::new(
        SyntaxErrorKind::Syntax,
        span,
        "this command could not be parsed",
        "here",
    )
}

fn span_of(p: &Pair<'_, Rule>, off: usize) -> Span {
    let s = p.as_span();
    Span::new(s.start() + off, s.end() + off)
}

fn ident(p: &Pair<'_, Rule>, off: usize) -> Ident {
    Ident {
        name: name(p.as_str()),
        span: span_of(p, off),
    }
}

/// `*argument [ test / test-list ]` from the pairs that follow a name.
fn arguments<'i>(
    pairs: impl Iterator<Item = Pair<'i, Rule>>,
    off: usize,
) -> Result<Arguments<'i>, SyntaxError> {
    let mut args = Arguments::default();
    let mut list = Vec::new();
    for p in pairs {
        match p.as_rule() {
            Rule::tag => list.push(Argument::Tag(Tag {
                name: name(&p.as_str()[1..]),
                span: span_of(&p, off),
            })),
            Rule::number => list.push(Argument::Number(number(p, off)?)),
            Rule::quoted_string | Rule::multi_line => list.push(Argument::String(string(p, off))),
            Rule::string_list => list.push(Argument::StringList(string_list(p, off))),
            Rule::test => args.tests = Some(Box::new(Tests::One(test(p, off)?))),
            Rule::test_list => {
                let span = span_of(&p, off);
                let mut tests = Vec::new();
                for t in p.into_inner() {
                    if t.as_rule() == Rule::test {
                        tests.push(test(t, off)?);
                    }
                }
                tests.shrink_to_fit();
                args.tests = Some(Box::new(Tests::List { tests, span }));
            }
            // EOI and punctuation carry nothing.
            _ => {}
        }
    }
    args.args = list.into_boxed_slice();
    Ok(args)
}

fn test(p: Pair<'_, Rule>, off: usize) -> Result<Test<'_>, SyntaxError> {
    let span = span_of(&p, off);
    let mut inner = p.into_inner();
    let name = match inner.next() {
        Some(i) if i.as_rule() == Rule::identifier => ident(&i, off),
        _ => return Err(internal(span)),
    };
    Ok(Test {
        name,
        args: arguments(inner, off)?,
        span,
    })
}

fn number(p: Pair<'_, Rule>, off: usize) -> Result<Number, SyntaxError> {
    let span = span_of(&p, off);
    let mut value: Option<u64> = None;
    for part in p.into_inner() {
        match part.as_rule() {
            Rule::digits => value = part.as_str().parse::<u64>().ok(),
            Rule::quantifier => {
                let shift = match part.as_str() {
                    "K" | "k" => 10,
                    "M" | "m" => 20,
                    _ => 30,
                };
                value = value.and_then(|v| v.checked_mul(1u64 << shift));
            }
            _ => {}
        }
    }
    match value {
        Some(value) => Ok(Number { value, span }),
        None => Err(SyntaxError::new(
            SyntaxErrorKind::Syntax,
            span,
            "number is too large",
            "does not fit in 64 bits",
        )
        .with_help("Sieve numbers are sizes and counts; use a smaller value")),
    }
}

fn string(p: Pair<'_, Rule>, off: usize) -> StringLit<'_> {
    let span = span_of(&p, off);
    let kind = if p.as_rule() == Rule::multi_line {
        StringKind::MultiLine
    } else {
        StringKind::Quoted
    };
    let body = p
        .into_inner()
        .find(|i| matches!(i.as_rule(), Rule::quoted_text | Rule::multi_line_body));
    let raw = body.as_ref().map_or("", |b| b.as_str());
    let value = match kind {
        StringKind::Quoted => unescape_quoted(raw),
        StringKind::MultiLine => unstuff_multi_line(raw),
    };
    StringLit { value, span, kind }
}

fn string_list(p: Pair<'_, Rule>, off: usize) -> StringList<'_> {
    let span = span_of(&p, off);
    let items = p
        .into_inner()
        .filter(|i| matches!(i.as_rule(), Rule::quoted_string | Rule::multi_line))
        .map(|i| string(i, off))
        .collect();
    StringList { items, span }
}

/// RFC 5228 §2.4.2: `\\` → `\`, `\"` → `"`, and any other backslash is
/// dropped with the character after it kept.
pub fn unescape_quoted(raw: &str) -> Text<'_> {
    if !raw.contains('\\') {
        return Text::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// RFC 5228 §2.4.2: a line of a multi-line string that starts with ".."
/// loses its first ".".
pub fn unstuff_multi_line(raw: &str) -> Text<'_> {
    if !raw.contains("\n..") && !raw.starts_with("..") {
        return Text::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    for line in raw.split_inclusive('\n') {
        match line.strip_prefix("..") {
            Some(rest) => {
                out.push('.');
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    out.into()
}

/// Builds the command tree, taking parsed heads in preorder.
pub(crate) fn assemble<'s>(
    src: &'s str,
    raw: &[RawCommand],
    results: &mut impl Iterator<Item = HeadResult<'s>>,
    errors: &mut Vec<SyntaxError>,
) -> Vec<Command<'s>> {
    let mut out = Vec::with_capacity(raw.len());
    for r in raw {
        let result = results.next().unwrap_or(Err(None));
        let block = r.block.as_ref().map(|b| {
            let end = b.close.map_or(src.len(), |c| c + 1);
            Box::new(Block {
                // Depth is bounded by scan::MAX_BLOCK_DEPTH.
                commands: assemble(src, &b.children, results, errors).into_boxed_slice(),
                span: Span::new(b.open, end),
            })
        });
        let end = match (&block, r.terminator) {
            (Some(b), _) => b.span.end(),
            (None, Some(t)) => t + 1,
            (None, None) => r.head.end(),
        };
        let cmd = match result {
            Ok((name, args)) => {
                // A command without its terminator is reported once, here;
                // the checker leaves it alone (no cascade of findings).
                let missing = r.end == HeadEnd::Missing;
                if missing {
                    errors.push(missing_terminator(src, &name, &args, r));
                }
                let start = name.span.start();
                Command {
                    name,
                    args,
                    block,
                    span: Span::new(start, end),
                    broken: missing,
                }
            }
            Err(e) => {
                if let Some(e) = e {
                    errors.push(e);
                }
                let start = r.head.start();
                let id_end = src[start..]
                    .bytes()
                    .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
                    .map_or(src.len(), |i| start + i);
                Command {
                    name: Ident {
                        name: name(&src[start..id_end]),
                        span: Span::new(start, id_end),
                    },
                    args: Arguments::default(),
                    block,
                    span: Span::new(start, end),
                    broken: true,
                }
            }
        };
        out.push(cmd);
    }
    out
}

/// The end of the last token of a command head.
fn last_token_end(name: &Ident, args: &Arguments) -> usize {
    let mut end = name.span.end();
    if let Some(a) = args.args.last() {
        end = end.max(a.span().end());
    }
    if let Some(t) = &args.tests {
        end = end.max(t.span().end());
    }
    end
}

fn missing_terminator(src: &str, name: &Ident, args: &Arguments, r: &RawCommand) -> SyntaxError {
    let at = last_token_end(name, args);
    let takes_block = crate::ext::takes_block(&name.name);
    let (message, label, help) = if takes_block {
        (
            format!("expected '{{' after `{}`", name.name),
            "a block '{ … }' must follow here".to_owned(),
            format!(
                "`{}` is followed by a block of commands in braces",
                name.name
            ),
        )
    } else {
        (
            "expected ';' after the command".to_owned(),
            "';' missing here".to_owned(),
            format!("end `{}` with ';'", name.name),
        )
    };
    let mut e = SyntaxError::new(SyntaxErrorKind::Syntax, Span::new(at, at), message, label)
        .with_help(help);
    let next = r.head.end() + src[r.head.end()..].len() - src[r.head.end()..].trim_start().len();
    if next < src.len() && src.as_bytes()[next].is_ascii_alphabetic() {
        let word_end = src[next..]
            .char_indices()
            .find(|&(i, c)| i > 0 && !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(src.len(), |(i, _)| next + i);
        if next > at {
            e.labels.push((
                Span::new(next, word_end.max(next + 1).min(src.len())),
                "the next command starts here".into(),
            ));
        }
    }
    e
}

/// Turns a pest error inside one head into words a person understands.
fn convert_error(
    text: &str,
    off: usize,
    after: Option<char>,
    e: &pest::error::Error<Rule>,
) -> SyntaxError {
    use pest::error::{ErrorVariant, InputLocation};
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let positives: &[Rule] = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        ErrorVariant::CustomError { .. } => &[],
    };
    let (found, found_len) = describe_found(text, pos, after);
    let span = Span::new(off + pos, off + pos + found_len);
    let first_token = text.len() - text.trim_start().len();

    let mut words: Vec<&str> = Vec::new();
    let mut unexpected = false;
    for r in positives {
        let w = match r {
            Rule::identifier if pos <= first_token => "a command name",
            Rule::identifier | Rule::test => "a test",
            Rule::test_list => "a test list",
            Rule::quoted_string | Rule::multi_line => "a string",
            Rule::string_list => "a string list",
            Rule::tag => "a tag",
            Rule::number => "a number",
            Rule::comma => "','",
            Rule::list_close => "']'",
            Rule::paren_close => "')'",
            Rule::EOI => {
                unexpected = true;
                continue;
            }
            _ => continue,
        };
        if !words.contains(&w) {
            words.push(w);
        }
    }
    let (message, label, help) = if words.contains(&"a command name") {
        (
            format!("expected a command name, found {found}"),
            "a command starts with its name".to_owned(),
            Some("a command is a name, its arguments, and ';' or a block".to_owned()),
        )
    } else if unexpected || words.is_empty() {
        (
            format!("unexpected {found}"),
            "not a valid argument here".to_owned(),
            Some(
                "arguments are strings (\"…\"), string lists ([\"…\", \"…\"]), numbers, :tags, \
                 and a test or a test list ( … , … ) at the end"
                    .to_owned(),
            ),
        )
    } else {
        let expected = join_or(&words);
        let help = if words.contains(&"','") && words.contains(&"']'") {
            Some("separate the strings of a list with ',' and close it with ']'".to_owned())
        } else if words.contains(&"')'") {
            Some("separate the tests of a list with ',' and close it with ')'".to_owned())
        } else if words.contains(&"a string") {
            Some("strings are written in double quotes: \"INBOX\"".to_owned())
        } else if words.contains(&"a test") {
            Some(
                "a test is a name and its arguments: header :contains \"subject\" \"offer\""
                    .to_owned(),
            )
        } else {
            Some("see the Sieve grammar, RFC 5228 §8".to_owned())
        };
        (
            format!("expected {expected}, found {found}"),
            format!("expected {expected}"),
            help,
        )
    };
    let mut err = SyntaxError::new(SyntaxErrorKind::Syntax, span, message, label);
    err.help = help;
    err
}

/// Typographic quotes that word processors and mail clients put in place
/// of `"`.
const CURLY_QUOTES: &[char] = &['“', '”', '„', '‟', '«', '»', '‘', '’', '‚', '‛'];

/// Replaces a generic parse error with specific words for the mistakes
/// people make most: single or typographic quotes for strings (RFC 5228
/// §2.4.2: strings are in straight double quotes), a number inside a
/// string list, a missing ',' between the strings of a list (§2.4.2.1),
/// and a ';' after a block's '}' (§8: a command ends with ';' or a block).
/// `text` is the command head at `off`; `before` the last non-blank
/// character before it.
fn common_mistake(text: &str, off: usize, before: Option<char>, err: &mut SyntaxError) {
    let pos = err.span.start().saturating_sub(off).min(text.len());
    let rest = &text[pos..];
    let Some(c) = rest.chars().next() else {
        // `;` after `}`: the head is empty and the terminator is ';'.
        if text.trim().is_empty() && before == Some('}') && err.message.ends_with("found ';'") {
            err.message = "';' after '}': a block ends the command, no ';' follows it".to_owned();
            err.label = "remove this ';'".to_owned();
            err.help =
                Some("write `if … { … }` and `elsif … { … }` without ';' after '}'".to_owned());
        }
        return;
    };
    // The text a quote opens, up to its closing quote on the same line.
    let quoted = |open: char| -> Option<&str> {
        let inner = &rest[open.len_utf8()..];
        let line = inner.split('\n').next().unwrap_or("");
        let close = line.find(|q: char| q == open || CURLY_QUOTES.contains(&q))?;
        Some(&line[..close])
    };
    let write_as = |inner: Option<&str>| match inner {
        Some(inner) => format!(
            "write it as \"{}\"",
            inner.replace('\\', "\\\\").replace('"', "\\\"")
        ),
        None => "write strings as \"…\"".to_owned(),
    };
    if c == '\'' {
        err.message = "a string in single quotes: Sieve strings are in double quotes".to_owned();
        err.label = "a single quote".to_owned();
        err.help = Some(write_as(quoted(c)));
    } else if CURLY_QUOTES.contains(&c) {
        err.message =
            format!("a typographic quote '{c}': Sieve strings are in straight double quotes");
        err.label = "not the '\"' character".to_owned();
        err.help = Some(format!(
            "{} (an editor or mail client may have replaced the quotes)",
            write_as(quoted(c))
        ));
    } else if c.is_ascii_digit() && err.message.starts_with("expected a string") {
        let digits = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
        err.message =
            "a number where a string belongs: a string list holds strings only".to_owned();
        err.label = "a number".to_owned();
        err.help = Some(format!("write it in quotes: \"{}\"", &rest[..digits]));
    } else if c == '"' && err.message == "expected ',' or ']', found a string" {
        err.message = "missing ',' between the strings of a list".to_owned();
        err.label = "',' missing before this string".to_owned();
        err.help = Some("separate the strings with ',': [\"a\", \"b\"]".to_owned());
    }
}

fn join_or(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} or {}", rest.join(", "), last),
    }
}

/// A description of what stands at `pos`, and its length in bytes.
fn describe_found(text: &str, pos: usize, after: Option<char>) -> (String, usize) {
    let rest = &text[pos.min(text.len())..];
    let Some(c) = rest.chars().next() else {
        // The end of the head: what stands there is the terminator.
        return match after {
            Some(t @ (';' | '{' | '}')) => (format!("'{t}'"), 1),
            _ => ("the end of the script".to_owned(), 0),
        };
    };
    match c {
        '"' => ("a string".to_owned(), 1),
        ':' => {
            let len = 1 + rest[1..]
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            (format!("`{}`", &rest[..len]), len)
        }
        c if c.is_ascii_alphanumeric() || c == '_' => {
            let len = rest
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            (format!("`{}`", &rest[..len]), len)
        }
        '\0' => ("a NUL character".to_owned(), 1),
        '\r' => ("a carriage return without line feed".to_owned(), 1),
        c if c.is_control() => (
            format!("a control character (U+{:04X})", c as u32),
            c.len_utf8(),
        ),
        c => (format!("'{c}'"), c.len_utf8()),
    }
}
