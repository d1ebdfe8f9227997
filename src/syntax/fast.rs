//! The fast path: a hand-written recursive-descent reader of the same
//! grammar as `grammar/sieve.pest`, for runs of commands the scanner found
//! clean. It accepts only what the pest grammar accepts and builds the very
//! same tree; at the first thing it is not sure of, it gives up (`None`) and
//! the pest parser takes over — pest is the grammar of record and the source
//! of every syntax error message. `tests/parser_agreement.rs` holds the two
//! to identical trees.
//!
//! Why: pest's generated parser reads about 20 MB/s here; this reads
//! several hundred, which is what lets `check` beat `sievec`.

use super::ast::*;
use super::tree::{unescape_quoted, unstuff_multi_line};

/// Parses `src[span]`, a run of complete commands the scanner found clean
/// (and so nested within the scanner's limits), or gives up.
pub(crate) fn parse_chunk(src: &str, span: Span) -> Option<Vec<Command>> {
    read(src, span, usize::MAX, false)
}

/// Nesting (blocks and tests) [`parse_whole`] follows before it gives up:
/// far below the scanner's limits, so that a script it accepts is one the
/// scanner would have found clean, and the recursion stays shallow.
const WHOLE_MAX_DEPTH: usize = 64;

/// Parses a whole script that has not been scanned, or gives up (a syntax
/// error, deep nesting, anything unusual): then the scanner and the pest
/// parser take over, with recovery and precise errors. Most scripts are
/// clean, and reading them once instead of twice (scan, then parse) is a
/// good part of `check`'s time.
pub(crate) fn parse_whole(src: &str) -> Option<Vec<Command>> {
    read(src, Span::new(0, src.len()), WHOLE_MAX_DEPTH, true)
}

fn read(src: &str, span: Span, max_depth: usize, unscanned: bool) -> Option<Vec<Command>> {
    let mut p = Reader {
        src,
        s: src.as_bytes(),
        pos: span.start,
        end: span.end,
        depth: 0,
        max_depth,
        unscanned,
        in_head: false,
        head_open: 0,
    };
    let commands = p.commands(false)?;
    p.ws()?;
    (p.pos == p.end).then_some(commands)
}

struct Reader<'a> {
    src: &'a str,
    s: &'a [u8],
    pos: usize,
    end: usize,
    /// Blocks and tests open around the reader.
    depth: usize,
    max_depth: usize,
    /// The scanner has not seen this text: give up where it would end a
    /// command at a line break (a line that starts with a command name,
    /// inside a head and outside brackets: a missing `;` to recover from).
    unscanned: bool,
    /// Between a command's name and its `;` or `{`.
    in_head: bool,
    /// `(` and `[` open in the current head.
    head_open: usize,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        (self.pos < self.end).then(|| self.s[self.pos])
    }

    fn at(&self, i: usize) -> Option<u8> {
        (i < self.end).then(|| self.s[i])
    }

    /// `ws` of the grammar: blanks, CRLF/LF, hash and bracket comments.
    fn ws(&mut self) -> Option<()> {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.line_break()?;
                }
                b'\r' => {
                    if self.at(self.pos + 1) != Some(b'\n') {
                        return None;
                    }
                    self.pos += 2;
                    self.line_break()?;
                }
                b'#' => {
                    self.pos += 1;
                    while let Some(c) = self.peek() {
                        match c {
                            b'\n' | b'\r' => break,
                            0 => return None,
                            _ => self.pos += 1,
                        }
                    }
                }
                b'/' if self.at(self.pos + 1) == Some(b'*') => {
                    let body = self.pos + 2;
                    let rest = &self.s[body.min(self.end)..self.end];
                    let close = rest.windows(2).position(|w| w == b"*/")?;
                    if rest[..close].contains(&0) {
                        return None;
                    }
                    self.pos = body + close + 2;
                }
                _ => break,
            }
        }
        Some(())
    }

    /// After a line break in white space: gives up where the scanner
    /// would end the command (see [`Reader::unscanned`]).
    fn line_break(&self) -> Option<()> {
        let ends_command = self.unscanned
            && self.in_head
            && self.head_open == 0
            && super::scan::line_starts_command(self.s, self.pos, &crate::ext::is_command_name);
        (!ends_command).then_some(())
    }

    fn span_from(&self, start: usize) -> Span {
        Span::new(start, self.pos)
    }

    fn ident(&mut self) -> Option<Ident> {
        let start = self.pos;
        if !is_ident_start(self.peek()?) {
            return None;
        }
        self.pos += 1;
        while self.peek().is_some_and(is_ident_char) {
            self.pos += 1;
        }
        Some(Ident {
            name: self.src[start..self.pos].to_owned(),
            span: self.span_from(start),
        })
    }

    /// `*command`, up to `}` (inside a block) or the end.
    fn commands(&mut self, in_block: bool) -> Option<Vec<Command>> {
        let mut out = Vec::new();
        loop {
            let save = self.pos;
            self.ws()?;
            match self.peek() {
                None => {
                    self.pos = save;
                    return (!in_block).then_some(out);
                }
                Some(b'}') if in_block => {
                    self.pos = save;
                    return Some(out);
                }
                Some(_) => out.push(self.command()?),
            }
        }
    }

    fn command(&mut self) -> Option<Command> {
        let start = self.pos;
        self.in_head = true;
        self.head_open = 0;
        let name = self.ident()?;
        let args = self.arguments()?;
        self.ws()?;
        self.in_head = false;
        let block = match self.peek()? {
            b';' => {
                self.pos += 1;
                None
            }
            b'{' => {
                let open = self.pos;
                self.pos += 1;
                self.enter()?;
                let commands = self.commands(true)?;
                self.depth -= 1;
                self.ws()?;
                if self.peek()? != b'}' {
                    return None;
                }
                self.pos += 1;
                Some(Block {
                    commands,
                    span: self.span_from(open),
                })
            }
            _ => return None,
        };
        Some(Command {
            name,
            args,
            block,
            span: self.span_from(start),
            broken: false,
        })
    }

    /// `*argument [ test / test-list ]`; trailing white space is left
    /// unread, as pest backtracks over it.
    fn arguments(&mut self) -> Option<Arguments> {
        let mut args = Arguments::default();
        loop {
            let save = self.pos;
            self.ws()?;
            match self.peek() {
                Some(b':') => args.args.push(Argument::Tag(self.tag()?)),
                Some(b'"') => args.args.push(Argument::String(self.quoted()?)),
                Some(b'[') => args.args.push(Argument::StringList(self.string_list()?)),
                Some(b'0'..=b'9') => args.args.push(Argument::Number(self.number()?)),
                Some(b't' | b'T') if self.is_text_colon() => {
                    args.args.push(Argument::String(self.multi_line()?))
                }
                Some(b'(') => {
                    args.tests = Some(self.test_list()?);
                    return Some(args);
                }
                Some(b) if is_ident_start(b) => {
                    args.tests = Some(Tests::One(Box::new(self.test()?)));
                    return Some(args);
                }
                _ => {
                    self.pos = save;
                    return Some(args);
                }
            }
        }
    }

    fn is_text_colon(&self) -> bool {
        self.s[self.pos..self.end]
            .get(..5)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"text:"))
    }

    /// One level deeper, unless that is past the limit.
    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= self.max_depth).then_some(())
    }

    fn test(&mut self) -> Option<Test> {
        let start = self.pos;
        let name = self.ident()?;
        self.enter()?;
        let args = self.arguments()?;
        self.depth -= 1;
        Some(Test {
            name,
            args,
            span: self.span_from(start),
        })
    }

    fn test_list(&mut self) -> Option<Tests> {
        let start = self.pos;
        self.pos += 1; // (
        self.head_open += 1;
        let mut tests = Vec::new();
        loop {
            self.ws()?;
            tests.push(self.test()?);
            self.ws()?;
            match self.peek()? {
                b',' => self.pos += 1,
                b')' => {
                    self.pos += 1;
                    break;
                }
                _ => return None,
            }
        }
        self.head_open -= 1;
        Some(Tests::List {
            tests,
            span: self.span_from(start),
        })
    }

    fn tag(&mut self) -> Option<Tag> {
        let start = self.pos;
        self.pos += 1; // :
        if !is_ident_start(self.peek()?) {
            return None;
        }
        while self.peek().is_some_and(is_ident_char) {
            self.pos += 1;
        }
        Some(Tag {
            name: self.src[start + 1..self.pos].to_owned(),
            span: self.span_from(start),
        })
    }

    fn number(&mut self) -> Option<Number> {
        let start = self.pos;
        let mut value: u64 = 0;
        while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
            value = value.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
            self.pos += 1;
        }
        let shift = match self.peek() {
            Some(b'K' | b'k') => 10,
            Some(b'M' | b'm') => 20,
            Some(b'G' | b'g') => 30,
            _ => 0,
        };
        if shift > 0 {
            self.pos += 1;
            value = value.checked_mul(1u64 << shift)?;
        }
        Some(Number {
            value,
            span: self.span_from(start),
        })
    }

    fn quoted(&mut self) -> Option<StringLit> {
        let start = self.pos;
        self.pos += 1; // "
        let body = self.pos;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' => match self.at(self.pos + 1)? {
                    0 | b'\r' | b'\n' => return None,
                    _ => self.pos += 2,
                },
                0 => return None,
                _ => self.pos += 1,
            }
        }
        // A backslash may have skipped into the middle of a character.
        let raw = self.src.get(body..self.pos)?;
        self.pos += 1;
        Some(StringLit {
            value: unescape_quoted(raw),
            span: self.span_from(start),
            kind: StringKind::Quoted,
        })
    }

    fn string_list(&mut self) -> Option<StringList> {
        let start = self.pos;
        self.pos += 1; // [
        self.head_open += 1;
        let mut items = Vec::new();
        loop {
            self.ws()?;
            match self.peek()? {
                b'"' => items.push(self.quoted()?),
                b't' | b'T' if self.is_text_colon() => items.push(self.multi_line()?),
                _ => return None,
            }
            self.ws()?;
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    break;
                }
                _ => return None,
            }
        }
        self.head_open -= 1;
        Some(StringList {
            items,
            span: self.span_from(start),
        })
    }

    /// The offset after a line break at `i` (CRLF or LF), if there is one.
    fn newline_at(&self, i: usize) -> Option<usize> {
        match self.at(i)? {
            b'\n' => Some(i + 1),
            b'\r' if self.at(i + 1) == Some(b'\n') => Some(i + 2),
            _ => None,
        }
    }

    /// The end of the line content at `i` (before CR/LF); `None` on NUL or
    /// a CR that is not part of CRLF, or at the end of input.
    fn line_content_end(&self, mut i: usize) -> Option<usize> {
        loop {
            match self.at(i)? {
                b'\n' => return Some(i),
                b'\r' => return (self.at(i + 1) == Some(b'\n')).then_some(i),
                0 => return None,
                _ => i += 1,
            }
        }
    }

    fn multi_line(&mut self) -> Option<StringLit> {
        let start = self.pos;
        let mut i = start + 5; // text:
        while matches!(self.at(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if self.at(i) == Some(b'#') {
            i = self.line_content_end(i)?;
        }
        let body = self.newline_at(i)?;
        let mut line = body;
        loop {
            let content_end = self.line_content_end(line)?;
            let next = self.newline_at(content_end)?;
            if &self.s[line..content_end] == b"." {
                let raw = self.src.get(body..line)?;
                self.pos = next;
                return Some(StringLit {
                    value: unstuff_multi_line(raw),
                    span: self.span_from(start),
                    kind: StringKind::MultiLine,
                });
            }
            line = next;
        }
    }
}
