//! The fast scan: finds where each command's head ends (`;`, `{`, or a
//! missing terminator) and how blocks nest, respecting strings, `text:`
//! strings and comments. It reports lexical errors (unterminated strings and
//! comments, NUL bytes, nesting past the hard limits) with exact spans, so
//! that the pest parser only ever sees one command head at a time.
//!
//! The scan is iterative: no input, however deeply nested, can overflow the
//! stack here.

use super::{SyntaxError, SyntaxErrorKind};
use crate::syntax::ast::Span;

/// Blocks nested deeper than this are not parsed (a hard limit that keeps
/// every later recursive pass bounded; the lint limit is much lower).
pub const MAX_BLOCK_DEPTH: usize = 256;
/// Test lists and string lists nested deeper than this inside one command
/// are not parsed.
pub const MAX_TEST_DEPTH: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeadEnd {
    Semicolon,
    BlockOpen,
    /// The head stopped without `;` or `{` (at `}`, at the end of the
    /// script, or before a line that starts the next command).
    Missing,
}

#[derive(Debug)]
pub(crate) struct RawCommand {
    /// The head's text, without its terminator.
    pub head: Span,
    pub end: HeadEnd,
    /// Where the terminator stands (one byte), when there is one.
    pub terminator: Option<usize>,
    /// A lexical error was reported inside the head: do not parse it again.
    pub lex_error: bool,
    pub block: Option<RawBlock>,
}

#[derive(Debug)]
pub(crate) struct RawBlock {
    pub open: usize,
    /// The offset of `}`; `None` when the block is never closed.
    pub close: Option<usize>,
    pub children: Vec<RawCommand>,
}

pub(crate) struct Scanner<'a, F: Fn(&str) -> bool> {
    src: &'a [u8],
    pos: usize,
    pub errors: Vec<SyntaxError>,
    is_command: F,
    /// The last quoted string that ran over a line break: (its opening
    /// quote, its closing quote). A string left open swallows the code up
    /// to the next quote, and the quote after that is the one reported
    /// unterminated — on a later line than the mistake.
    last_multiline: Option<(usize, usize, usize)>,
    /// Line breaks counted so far: (up to this offset, how many). Errors
    /// come in script order, so counting resumes here (linear in all).
    lines_seen: (usize, usize),
    /// The error of a string left open (its index) and how many `{` the
    /// string swallowed that no `}` in it closes: the `}`s that then close
    /// nothing are labels of that error, not errors of their own.
    swallowed_opens: (usize, usize),
}

struct HeadScan {
    end: usize,
    how: HeadEnd,
    terminator: Option<usize>,
    lex_error: bool,
}

impl<'a, F: Fn(&str) -> bool> Scanner<'a, F> {
    pub fn new(src: &'a str, is_command: F) -> Self {
        Scanner {
            src: src.as_bytes(),
            pos: 0,
            errors: Vec::new(),
            is_command,
            last_multiline: None,
            lines_seen: (0, 0),
            swallowed_opens: (0, 0),
        }
    }

    fn nul_error(&mut self, span: Span, message: impl Into<String>, label: impl Into<String>) {
        self.errors.push(
            SyntaxError::new(SyntaxErrorKind::Syntax, span, message, label)
                .with_help("remove it: Sieve scripts are text, and NUL may not appear even in strings or comments"),
        );
    }

    /// Scans the whole script into a tree of raw commands.
    pub fn scan(mut self) -> (Vec<RawCommand>, Vec<SyntaxError>) {
        // Each open block: the command that opened it (its block's children
        // grow as we go). The bottom of the stack is the script itself.
        let mut stack: Vec<RawCommand> = Vec::new();
        let mut top: Vec<RawCommand> = Vec::new();
        if self.src.starts_with("\u{feff}".as_bytes()) {
            self.errors.push(
                SyntaxError::new(
                    SyntaxErrorKind::Syntax,
                    Span::new(0, 3),
                    "byte order mark (BOM) at the start of the script",
                    "U+FEFF, invisible in most editors",
                )
                .with_help(
                    "save the file as UTF-8 without BOM: servers reject the script because of it",
                ),
            );
            self.pos = 3;
        }
        // Blocks past the depth limit are scanned but not kept.
        let mut skipped_depth = 0usize;
        loop {
            if !self.skip_ws() {
                break;
            }
            if self.pos >= self.src.len() {
                break;
            }
            if self.src[self.pos] == b'}' {
                let at = self.pos;
                self.pos += 1;
                if skipped_depth > 0 {
                    skipped_depth -= 1;
                    continue;
                }
                match stack.pop() {
                    Some(mut cmd) => {
                        if let Some(block) = cmd.block.as_mut() {
                            block.close = Some(at);
                        }
                        match stack.last_mut() {
                            Some(parent) => push_child(parent, cmd),
                            None => top.push(cmd),
                        }
                    }
                    // The '{' it closes went into a string left open: one
                    // mistake, reported once (a label of that error).
                    None if self.swallowed_opens.1 > 0 => {
                        self.swallowed_opens.1 -= 1;
                        let (index, _) = self.swallowed_opens;
                        self.errors[index].labels.push((
                            Span::new(at, at + 1),
                            "its '{' is inside the string, so this '}' closes nothing".into(),
                        ));
                    }
                    None => self.errors.push(
                        SyntaxError::new(
                            SyntaxErrorKind::Syntax,
                            Span::new(at, at + 1),
                            "unexpected '}': no block is open here",
                            "this '}' closes nothing",
                        )
                        .with_help("remove it, or add the '{' it was meant to close"),
                    ),
                }
                continue;
            }
            let start = self.pos;
            let head = self.scan_head(start);
            if head.end == start && head.how == HeadEnd::Missing {
                // Nothing consumed (e.g. a lone '}' handled above); make
                // progress regardless.
                self.pos = start + 1;
                continue;
            }
            self.pos = match head.how {
                HeadEnd::Semicolon | HeadEnd::BlockOpen => head.end + 1,
                HeadEnd::Missing => head.end,
            };
            if skipped_depth > 0 {
                if head.how == HeadEnd::BlockOpen {
                    skipped_depth += 1;
                }
                continue;
            }
            let mut cmd = RawCommand {
                head: Span::new(start, head.end),
                end: head.how,
                terminator: head.terminator,
                lex_error: head.lex_error,
                block: None,
            };
            if head.how == HeadEnd::BlockOpen {
                if stack.len() >= MAX_BLOCK_DEPTH {
                    let at = head.end;
                    self.errors.push(SyntaxError::new(
                        SyntaxErrorKind::TooDeep,
                        Span::new(at, at + 1),
                        format!("blocks are nested deeper than {MAX_BLOCK_DEPTH} levels"),
                        "this block is too deep to parse",
                    ).with_help("move deeply nested logic into fewer levels (allof/anyof, elsif) or split the script with include"));
                    skipped_depth = 1;
                    cmd.lex_error = true;
                    match stack.last_mut() {
                        Some(parent) => push_child(parent, cmd),
                        None => top.push(cmd),
                    }
                    continue;
                }
                cmd.block = Some(RawBlock {
                    open: head.end,
                    close: None,
                    children: Vec::new(),
                });
                stack.push(cmd);
                continue;
            }
            match stack.last_mut() {
                Some(parent) => push_child(parent, cmd),
                None => top.push(cmd),
            }
        }
        // Blocks left open at the end of the script.
        if let Some(innermost) = stack.last() {
            let open = innermost
                .block
                .as_ref()
                .map_or(innermost.head.end(), |b| b.open);
            let end = self.src.len();
            let mut err = SyntaxError::new(
                SyntaxErrorKind::Syntax,
                Span::new(end, end),
                "expected '}' before the end of the script",
                "the script ends here",
            )
            .with_help("close every block with '}'");
            err.labels.push((
                Span::new(open, open + 1),
                "this block is never closed".into(),
            ));
            self.errors.push(err);
        }
        while let Some(cmd) = stack.pop() {
            match stack.last_mut() {
                Some(parent) => push_child(parent, cmd),
                None => top.push(cmd),
            }
        }
        (top, self.errors)
    }

    /// Skips white space and comments between commands. Returns false when
    /// the rest of the script was swallowed by an unterminated comment.
    fn skip_ws(&mut self) -> bool {
        let src = self.src;
        while self.pos < src.len() {
            match src[self.pos] {
                b'#' => {
                    let end = line_end(src, self.pos);
                    self.check_nul(self.pos, end);
                    self.pos = end;
                }
                b'\r' if src.get(self.pos + 1) != Some(&b'\n') => {
                    self.errors.push(
                        SyntaxError::new(
                            SyntaxErrorKind::Syntax,
                            Span::new(self.pos, self.pos + 1),
                            "carriage return without line feed",
                            "a lone CR is not a line break in Sieve",
                        )
                        .with_help("use LF or CRLF line ends"),
                    );
                    self.pos += 1;
                }
                b' ' | b'\t' | b'\r' | b'\n' => self.pos += 1,
                b'/' if src.get(self.pos + 1) == Some(&b'*') => {
                    if !self.skip_bracket_comment() {
                        return false;
                    }
                }
                _ => return true,
            }
        }
        true
    }

    /// At `/*`: moves past `*/`. Reports and returns false when unterminated.
    fn skip_bracket_comment(&mut self) -> bool {
        let start = self.pos;
        match find(self.src, start + 2, b"*/") {
            Some(end) => {
                self.check_nul(start, end);
                self.pos = end + 2;
                true
            }
            None => {
                self.errors.push(
                    SyntaxError::new(
                        SyntaxErrorKind::Syntax,
                        Span::new(start, start + 2),
                        "unterminated comment: '/*' has no matching '*/'",
                        "comment started here",
                    )
                    .with_help("close the comment with '*/' (bracket comments do not nest)"),
                );
                self.pos = self.src.len();
                false
            }
        }
    }

    /// Reports NUL bytes in `start..end`; returns true when there was one.
    fn check_nul(&mut self, start: usize, end: usize) -> bool {
        match self.src[start..end].iter().position(|&b| b == 0) {
            Some(i) => {
                let at = start + i;
                let run = self.src[at..end].iter().take_while(|&&b| b == 0).count();
                self.nul_error(
                    Span::new(at, at + run),
                    "NUL character in the script",
                    "NUL is not allowed anywhere in a Sieve script",
                );
                true
            }
            None => false,
        }
    }

    /// Scans one command head from `start` to its terminator.
    fn scan_head(&mut self, start: usize) -> HeadScan {
        let src = self.src;
        let mut pos = start;
        // Nesting estimate: brackets, plus the chain of tests nested without
        // brackets (`not not …`, `not anyof(…)`) at every level. It never
        // undercounts, so the parser's recursion is bounded by it.
        let mut depth = 0usize;
        // Brackets of any kind, for the missing-';' recovery.
        let mut open = 0usize;
        let mut chain = 0usize;
        let mut chains: Vec<usize> = Vec::new();
        let mut chain_sum = 0usize;
        let mut lex_error = false;
        let mut too_deep_reported = false;
        // The command's own name is not a level of test nesting.
        let mut seen_name = false;
        while pos < src.len() {
            let b = src[pos];
            match b {
                b'"' => match self.scan_quoted(pos) {
                    Ok((end, nul)) => {
                        lex_error |= nul;
                        pos = end;
                    }
                    Err(resume) => {
                        return HeadScan {
                            end: resume,
                            how: HeadEnd::Missing,
                            terminator: None,
                            lex_error: true,
                        };
                    }
                },
                b'#' => {
                    let end = line_end(src, pos);
                    lex_error |= self.check_nul(pos, end);
                    pos = end;
                }
                b'/' if src.get(pos + 1) == Some(&b'*') => {
                    self.pos = pos;
                    if !self.skip_bracket_comment() {
                        return HeadScan {
                            end: src.len(),
                            how: HeadEnd::Missing,
                            terminator: None,
                            lex_error: true,
                        };
                    }
                    pos = self.pos;
                }
                b'(' | b'[' => {
                    open += 1;
                    if b == b'[' {
                        depth += 1;
                    }
                    chains.push(chain);
                    chain_sum += chain;
                    chain = 0;
                    if depth + chain_sum + 1 > MAX_TEST_DEPTH && !too_deep_reported {
                        too_deep_reported = true;
                        lex_error = true;
                        self.errors.push(
                            SyntaxError::new(
                                SyntaxErrorKind::TooDeep,
                                Span::new(pos, pos + 1),
                                format!(
                                    "tests or lists are nested deeper than {MAX_TEST_DEPTH} levels"
                                ),
                                "too deep to parse",
                            )
                            .with_help(
                                "flatten the nesting: allof/anyof take many tests at one level",
                            ),
                        );
                    }
                    pos += 1;
                }
                b')' | b']' => {
                    open = open.saturating_sub(1);
                    if b == b']' {
                        depth = depth.saturating_sub(1);
                    }
                    chain = chains.pop().unwrap_or(0);
                    chain_sum = chain_sum.saturating_sub(chain);
                    pos += 1;
                }
                b',' => {
                    chain = 0;
                    pos += 1;
                }
                b';' => {
                    return HeadScan {
                        end: pos,
                        how: HeadEnd::Semicolon,
                        terminator: Some(pos),
                        lex_error,
                    };
                }
                b'{' => {
                    return HeadScan {
                        end: pos,
                        how: HeadEnd::BlockOpen,
                        terminator: Some(pos),
                        lex_error,
                    };
                }
                b'}' => {
                    return HeadScan {
                        end: pos,
                        how: HeadEnd::Missing,
                        terminator: None,
                        lex_error,
                    };
                }
                b'\n' => {
                    if open == 0 && pos > start && self.line_starts_command(pos + 1) {
                        let end = if src[pos - 1] == b'\r' { pos - 1 } else { pos };
                        return HeadScan {
                            end,
                            how: HeadEnd::Missing,
                            terminator: None,
                            lex_error,
                        };
                    }
                    pos += 1;
                }
                0 => {
                    let run = src[pos..].iter().take_while(|&&b| b == 0).count();
                    self.nul_error(
                        Span::new(pos, pos + run),
                        "NUL character in the script",
                        "NUL is not allowed anywhere in a Sieve script",
                    );
                    lex_error = true;
                    pos += run;
                }
                // A tag or a number: not a test name.
                b':' => pos = ident_end(src, pos + 1),
                b'0'..=b'9' => {
                    pos += src[pos..].iter().take_while(|b| b.is_ascii_digit()).count();
                    if matches!(src.get(pos), Some(b'K' | b'M' | b'G' | b'k' | b'm' | b'g')) {
                        pos += 1;
                    }
                }
                b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                    let id_end = ident_end(src, pos);
                    if id_end - pos == 4
                        && src[pos..id_end].eq_ignore_ascii_case(b"text")
                        && src.get(id_end) == Some(&b':')
                    {
                        match self.scan_multi_line(pos) {
                            Ok((end, bad)) => {
                                lex_error |= bad;
                                pos = end;
                            }
                            Err(()) => {
                                return HeadScan {
                                    end: src.len(),
                                    how: HeadEnd::Missing,
                                    terminator: None,
                                    lex_error: true,
                                };
                            }
                        }
                    } else {
                        if seen_name {
                            chain += 1;
                        }
                        seen_name = true;
                        if depth + chain_sum + chain > MAX_TEST_DEPTH && !too_deep_reported {
                            too_deep_reported = true;
                            lex_error = true;
                            self.errors.push(
                                SyntaxError::new(
                                    SyntaxErrorKind::TooDeep,
                                    Span::new(pos, id_end),
                                    format!("tests are nested deeper than {MAX_TEST_DEPTH} levels"),
                                    "too deep to parse",
                                )
                                .with_help(
                                    "flatten the nesting: allof/anyof take many tests at one level",
                                ),
                            );
                        }
                        pos = id_end;
                    }
                }
                _ => pos += 1,
            }
        }
        HeadScan {
            end: src.len(),
            how: HeadEnd::Missing,
            terminator: None,
            lex_error,
        }
    }

    /// True when the line starting at `pos` begins (after blanks) with the
    /// name of a known command: the previous command lacks its `;`.
    fn line_starts_command(&self, pos: usize) -> bool {
        line_starts_command(self.src, pos, &self.is_command)
    }

    /// At `"`: returns the offset after the closing quote, or, when the
    /// string is never closed, reports it and returns `Err(resume)` with the
    /// offset of the line after the opening quote.
    fn scan_quoted(&mut self, start: usize) -> Result<(usize, bool), usize> {
        let src = self.src;
        let mut p = start + 1;
        while p < src.len() {
            match src[p] {
                b'"' => {
                    let nul = self.check_nul(start, p);
                    if src[start..p].contains(&b'\n') {
                        // With the end of the closing quote's line, so the
                        // test below costs nothing per later string.
                        self.last_multiline = Some((start, p, line_end(src, p)));
                    }
                    return Ok((p + 1, nul));
                }
                b'\\' => p += 2,
                _ => p += 1,
            }
        }
        let resume = (line_end(src, start) + 1).min(src.len());
        // The string that runs over a line break and closes on this line
        // is the likely mistake (RFC 5228 §2.4.2 lets a quoted string span
        // lines, so it is not an error by itself): point at where it starts.
        if let Some((open, close, close_line_end)) = self.last_multiline
            && start < close_line_end
        {
            let (from, count) = self.lines_seen;
            let count = count + src[from..close].iter().filter(|&&b| b == b'\n').count();
            self.lines_seen = (close, count);
            let line = 1 + count;
            let mut err = SyntaxError::new(
                SyntaxErrorKind::Syntax,
                Span::new(open, open + 1),
                format!("this string runs on to line {line}: is its closing '\"' missing?"),
                "this string is not closed on its line",
            )
            .with_help(
                "add the closing '\"' where the string ends; write a quote inside a string as \\\" and a backslash as \\\\",
            );
            err.labels.push((
                Span::new(close, close + 1),
                "so this quote closes it".into(),
            ));
            err.labels.push((
                Span::new(start, start + 1),
                "and this one starts a string that is never closed".into(),
            ));
            let swallowed = &src[open..close];
            let opens = swallowed.iter().filter(|&&b| b == b'{').count();
            let closes = swallowed.iter().filter(|&&b| b == b'}').count();
            self.swallowed_opens = (self.errors.len(), opens.saturating_sub(closes));
            self.errors.push(err);
            return Err(resume);
        }
        let err = SyntaxError::new(
            SyntaxErrorKind::Syntax,
            Span::new(start, start + 1),
            "unterminated string started here",
            "this string is never closed",
        )
        .with_help(
            "add the closing '\"'; write a quote inside a string as \\\" and a backslash as \\\\",
        );
        self.errors.push(err);
        Err(resume)
    }

    /// At `text:`: returns the offset after the terminating "." line.
    /// Also says whether an error was reported on the way.
    fn scan_multi_line(&mut self, start: usize) -> Result<(usize, bool), ()> {
        let src = self.src;
        let mut p = start + 5;
        while p < src.len() && (src[p] == b' ' || src[p] == b'\t') {
            p += 1;
        }
        if p < src.len() && src[p] == b'#' {
            p = line_end(src, p);
        }
        let at_break = src[p..].starts_with(b"\r\n") || src.get(p) == Some(&b'\n');
        let mut bad = false;
        if !at_break {
            bad = true;
            let le = line_end(src, p);
            let span = if p < src.len() {
                Span::new(p, le.max(p + 1).min(src.len()))
            } else {
                Span::new(start, start + 5)
            };
            self.errors.push(
                SyntaxError::new(
                    SyntaxErrorKind::Syntax,
                    span,
                    "'text:' must be followed by a line break",
                    "the string's text starts on the next line",
                )
                .with_help("put the text on the lines after 'text:' and end it with a line holding only '.'"),
            );
            // Recover as if the line ended at `p`.
            p = le;
        }
        // Past the line break after `text:`.
        p = next_line(src, p);
        loop {
            if p >= src.len() {
                self.errors.push(
                    SyntaxError::new(
                        SyntaxErrorKind::Syntax,
                        Span::new(start, start + 5),
                        "unterminated multi-line string",
                        "this 'text:' string has no line holding only '.'",
                    )
                    .with_help("end the text with a line that holds only '.', then ';'"),
                );
                return Err(());
            }
            let le = line_end(src, p);
            let line = &src[p..le];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line == b"." && le < src.len() {
                bad |= self.check_nul(start, p);
                return Ok((le + 1, bad));
            }
            p = next_line(src, p);
        }
    }
}

/// True when the line starting at `pos` begins (after blanks) with the
/// name of a known command (`is_command`): a command before it that has no
/// `;` ends there. The fast reader gives up where this holds inside a head.
pub(crate) fn line_starts_command(
    src: &[u8],
    pos: usize,
    is_command: &dyn Fn(&str) -> bool,
) -> bool {
    let mut p = pos;
    while p < src.len() && (src[p] == b' ' || src[p] == b'\t') {
        p += 1;
    }
    if p >= src.len() || !(src[p].is_ascii_alphabetic() || src[p] == b'_') {
        return false;
    }
    let end = ident_end(src, p);
    if src.get(end) == Some(&b':') {
        return false;
    }
    // Identifiers are ASCII, so this slice is valid UTF-8.
    std::str::from_utf8(&src[p..end]).is_ok_and(is_command)
}

fn push_child(parent: &mut RawCommand, cmd: RawCommand) {
    if let Some(block) = parent.block.as_mut() {
        block.children.push(cmd);
    }
}

/// The offset of the `\n` ending the line at `pos` (or the end of input).
fn line_end(src: &[u8], pos: usize) -> usize {
    match src[pos.min(src.len())..].iter().position(|&b| b == b'\n') {
        Some(i) => pos + i,
        None => src.len(),
    }
}

/// The offset just after the line at `pos`.
fn next_line(src: &[u8], pos: usize) -> usize {
    (line_end(src, pos) + 1).min(src.len())
}

fn ident_end(src: &[u8], pos: usize) -> usize {
    let mut p = pos;
    while p < src.len() && (src[p].is_ascii_alphanumeric() || src[p] == b'_') {
        p += 1;
    }
    p
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| from + i)
}
