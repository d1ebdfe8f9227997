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
pub(crate) fn parse_chunk(src: &str, span: Span) -> Option<Vec<Command<'_>>> {
    read(src, span, usize::MAX, false).map(concat_exact)
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
pub(crate) fn parse_whole(src: &str) -> Option<Vec<Command<'_>>> {
    if src.len() >= SPLIT_BYTES {
        let parts = rayon::current_num_threads().clamp(1, 64);
        let mut bounds = vec![0];
        for i in 1..parts {
            let from = (src.len() / parts * i).max(bounds[bounds.len() - 1]);
            if let Some(k) = split_point(src.as_bytes(), from) {
                bounds.push(k);
            }
        }
        bounds.push(src.len());
        bounds.dedup();
        if bounds.len() > 2 {
            let pieces = read_pieces(src, &bounds);
            if pieces.iter().all(Option::is_some) {
                return Some(concat_exact(
                    pieces.into_iter().flatten().flatten().collect(),
                ));
            }
        }
    }
    read(src, Span::new(0, src.len()), WHOLE_MAX_DEPTH, true).map(concat_exact)
}

/// Reads the pieces of `src` between `bounds`: the first on this thread,
/// each other on a thread of its own that ends with it.
///
/// Not on the pool's threads: the tree is kept and freed (or forgotten)
/// here, and the model is built here. Memory that a pool thread allocated
/// and this one frees stays with the idle pool thread, which never gives
/// it back (18 MB of a 50 MB script's peak); a thread that ends hands its
/// memory over for reuse.
fn read_pieces<'a>(src: &'a str, bounds: &[usize]) -> Vec<Option<Chunks<'a>>> {
    let piece = |w: &[usize]| read(src, Span::new(w[0], w[1]), WHOLE_MAX_DEPTH, true);
    std::thread::scope(|scope| {
        let others: Vec<_> = bounds
            .windows(2)
            .skip(1)
            .map(|w| {
                std::thread::Builder::new()
                    .name("sieve-lint-parse".into())
                    .spawn_scoped(scope, move || piece(w))
            })
            .collect();
        let mut out = vec![piece(&bounds[..2])];
        for (w, t) in bounds.windows(2).skip(1).zip(others) {
            out.push(match t {
                Ok(t) => t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                // No thread to be had: read it here.
                Err(_) => piece(w),
            });
        }
        out
    })
}

/// A script's top-level commands as read: lists that never grow (growing a
/// vector of a few hundred thousand commands left its doubled capacity in
/// the tree and its smaller copies in the allocator), joined once.
type Chunks<'a> = Vec<Vec<Command<'a>>>;

/// Most top-level commands in one list of [`Chunks`].
const CHUNK: usize = 1 << 14;

/// The chunks in one list of their exact total size (the only chunk as it
/// is: sized from the script's length, it has little to spare).
fn concat_exact(mut chunks: Chunks<'_>) -> Vec<Command<'_>> {
    if chunks.len() == 1 {
        return chunks.pop().unwrap_or_default();
    }
    let mut out = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
    for c in chunks {
        out.extend(c);
    }
    out
}

/// Scripts at least this large are read in pieces on all cores.
const SPLIT_BYTES: usize = super::PARALLEL_THRESHOLD;

/// How far past its target a split point is looked for.
const SPLIT_SEARCH: usize = 64 * 1024;

/// A place at or after `from` that is likely between two top-level
/// commands: a line that starts with a letter, after a line whose last
/// token is `;` or `}`.
///
/// Only likely: the pieces are read as if each were a whole script, and
/// each must read cleanly, to its very end. A split inside a string, a
/// comment or a block leaves the piece before it unterminated (its string,
/// its comment, its block or its command has no end), so it gives up and
/// the script is read whole. A split at a line start never cuts a token,
/// and top-level commands are read the same wherever they stand; so when
/// every piece reads cleanly, their command lists together are the
/// script's.
fn split_point(s: &[u8], from: usize) -> Option<usize> {
    let limit = from.saturating_add(SPLIT_SEARCH).min(s.len());
    let mut i = from;
    while i < limit {
        let nl = i + s[i..limit].iter().position(|&b| b == b'\n')?;
        let next = nl + 1;
        if s.get(next).is_some_and(u8::is_ascii_alphabetic)
            && s[..nl]
                .iter()
                .rev()
                .find(|b| !b.is_ascii_whitespace())
                .is_some_and(|&b| b == b';' || b == b'}')
        {
            return Some(next);
        }
        i = next;
    }
    None
}

fn read(src: &str, span: Span, max_depth: usize, unscanned: bool) -> Option<Chunks<'_>> {
    let mut p = Reader {
        src,
        s: src.as_bytes(),
        pos: span.start(),
        end: span.end(),
        depth: 0,
        max_depth,
        unscanned,
        in_head: false,
        head_open: 0,
        scratch: Scratch::default(),
    };
    let commands = p.top_level()?;
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
    scratch: Scratch<'a>,
}

/// Lists being read, nested ones after the lists around them: each list is
/// gathered here and then moved into one allocation of its exact size.
/// (Growing a vector per list left a trail of freed smaller copies that
/// the allocator kept: 40% more memory than the tree itself.)
#[derive(Default)]
struct Scratch<'a> {
    commands: Vec<Command<'a>>,
    args: Vec<Argument<'a>>,
    tests: Vec<Test<'a>>,
    strings: Vec<StringLit<'a>>,
}

/// The items of `stack` from `mark` on, moved into a vector of their
/// exact size.
fn take_from<T>(stack: &mut Vec<T>, mark: usize) -> Vec<T> {
    let mut out = Vec::with_capacity(stack.len() - mark);
    out.extend(stack.drain(mark..));
    out
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
                    let rest = &self.s[self.pos + 1..self.end];
                    let len = rest
                        .iter()
                        .position(|&c| c == b'\n' || c == b'\r' || c == 0)
                        .unwrap_or(rest.len());
                    self.pos += 1 + len;
                    if self.peek() == Some(0) {
                        return None;
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
        let rest = &self.s[self.pos..self.end];
        self.pos += rest
            .iter()
            .position(|&b| !is_ident_char(b))
            .unwrap_or(rest.len());
        Some(Ident {
            name: name(&self.src[start..self.pos]),
            span: self.span_from(start),
        })
    }

    /// `*command`, up to `}` (inside a block) or the end.
    /// The script's own commands, to the end of the text.
    fn top_level(&mut self) -> Option<Chunks<'a>> {
        // Sized from the length (top-level commands take a hundred bytes
        // or more each; capped, as a huge comment is not many commands).
        let first = ((self.end - self.pos) / 128).clamp(1, CHUNK);
        let mut chunks = vec![Vec::with_capacity(first)];
        loop {
            let save = self.pos;
            self.ws()?;
            if self.peek().is_none() {
                self.pos = save;
                return Some(chunks);
            }
            let c = self.command()?;
            let mut last = chunks.last_mut()?;
            if last.len() == last.capacity() {
                chunks.push(Vec::with_capacity(CHUNK));
                last = chunks.last_mut()?;
            }
            last.push(c);
        }
    }

    /// A block's commands, to its `}`: gathered in the scratch list, then
    /// moved into a list of their exact size.
    fn commands(&mut self) -> Option<Vec<Command<'a>>> {
        let mark = self.scratch.commands.len();
        loop {
            let save = self.pos;
            self.ws()?;
            match self.peek()? {
                b'}' => {
                    self.pos = save;
                    return Some(take_from(&mut self.scratch.commands, mark));
                }
                _ => {
                    let c = self.command()?;
                    self.scratch.commands.push(c);
                }
            }
        }
    }

    fn command(&mut self) -> Option<Command<'a>> {
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
                let commands = self.commands()?;
                self.depth -= 1;
                self.ws()?;
                if self.peek()? != b'}' {
                    return None;
                }
                self.pos += 1;
                Some(Box::new(Block {
                    commands: commands.into_boxed_slice(),
                    span: self.span_from(open),
                }))
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
    fn arguments(&mut self) -> Option<Arguments<'a>> {
        let mark = self.scratch.args.len();
        loop {
            let save = self.pos;
            self.ws()?;
            let arg = match self.peek() {
                Some(b':') => Some(Argument::Tag(self.tag()?)),
                Some(b'"') => Some(Argument::String(self.quoted()?)),
                Some(b'[') => Some(Argument::StringList(self.string_list()?)),
                Some(b'0'..=b'9') => Some(Argument::Number(self.number()?)),
                Some(b't' | b'T') if self.is_text_colon() => {
                    Some(Argument::String(self.multi_line()?))
                }
                _ => None,
            };
            if let Some(arg) = arg {
                self.scratch.args.push(arg);
                continue;
            }
            // The arguments end here; tests may follow (their own
            // arguments are gathered after these, and taken first).
            let tests = match self.peek() {
                Some(b'(') => Some(Box::new(self.test_list()?)),
                Some(b) if is_ident_start(b) => Some(Box::new(Tests::One(self.test()?))),
                _ => {
                    self.pos = save;
                    None
                }
            };
            return Some(Arguments {
                args: take_from(&mut self.scratch.args, mark).into_boxed_slice(),
                tests,
            });
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

    fn test(&mut self) -> Option<Test<'a>> {
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

    fn test_list(&mut self) -> Option<Tests<'a>> {
        let start = self.pos;
        self.pos += 1; // (
        self.head_open += 1;
        let mark = self.scratch.tests.len();
        loop {
            self.ws()?;
            let t = self.test()?;
            self.scratch.tests.push(t);
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
            tests: take_from(&mut self.scratch.tests, mark),
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
            name: name(&self.src[start + 1..self.pos]),
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

    fn quoted(&mut self) -> Option<StringLit<'a>> {
        let start = self.pos;
        self.pos += 1; // "
        let body = self.pos;
        let mut escaped = false;
        loop {
            // Plain bytes in one go; stop at the three that matter.
            let rest = &self.s[self.pos..self.end];
            self.pos += rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b == 0)
                .unwrap_or(rest.len());
            match self.peek()? {
                b'"' => break,
                b'\\' => match self.at(self.pos + 1)? {
                    0 | b'\r' | b'\n' => return None,
                    _ => {
                        escaped = true;
                        self.pos += 2;
                    }
                },
                _ => return None, // NUL
            }
        }
        // A backslash may have skipped into the middle of a character.
        let raw = self.src.get(body..self.pos)?;
        self.pos += 1;
        Some(StringLit {
            value: if escaped {
                unescape_quoted(raw)
            } else {
                Text::Borrowed(raw)
            },
            span: self.span_from(start),
            kind: StringKind::Quoted,
        })
    }

    fn string_list(&mut self) -> Option<StringList<'a>> {
        let start = self.pos;
        self.pos += 1; // [
        self.head_open += 1;
        let mark = self.scratch.strings.len();
        loop {
            self.ws()?;
            let item = match self.peek()? {
                b'"' => self.quoted()?,
                b't' | b'T' if self.is_text_colon() => self.multi_line()?,
                _ => return None,
            };
            self.scratch.strings.push(item);
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
            items: take_from(&mut self.scratch.strings, mark).into_boxed_slice(),
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

    fn multi_line(&mut self) -> Option<StringLit<'a>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A script of `filler` lines around `middle`, sized so that the
    /// search for a split point starts one byte into `middle`.
    fn around(middle: &str) -> (String, std::ops::Range<usize>) {
        let line = "if size :over 1K { keep; }\n";
        let before = line.repeat(SPLIT_BYTES / line.len() + 1);
        // n = 2 * before.len() + 2, so n / 2 = before.len() + 1.
        let after_len = before.len() + 2 - middle.len();
        let mut after = line.repeat(after_len / line.len());
        after.push_str(&" ".repeat(after_len - after.len() - 1));
        after.push('\n');
        let text = format!("{before}{middle}{after}");
        assert_eq!(text.len() / 2, before.len() + 1);
        let range = before.len()..before.len() + middle.len();
        (text, range)
    }

    fn whole_at_once(src: &str) -> Option<Vec<Command<'_>>> {
        read(src, Span::new(0, src.len()), WHOLE_MAX_DEPTH, true).map(concat_exact)
    }

    /// Each of these has a line inside it that looks like the start of a
    /// top-level command: the split lands there, the first half cannot
    /// read to its end, and the script is read whole, to the same tree.
    #[test]
    fn a_split_inside_a_string_comment_or_block_is_not_taken() {
        let middles = [
            "fileinto text:\nkeep;\nstop;\n.\n;\n",
            "fileinto \"a;\nkeep;\nstop;\";\n",
            "/* a;\nkeep;\nstop; */\n",
            "if true {\nkeep;\nstop;\n}\n",
            "if anyof (true,\nfalse) {\nkeep;\nstop;\n}\n",
            "if header :is \"a\" [\"b;\nstop;\", \"c\"] { keep; }\n",
        ];
        for middle in middles {
            let (text, range) = around(middle);
            let k = split_point(text.as_bytes(), text.len() / 2).expect("a candidate line");
            assert!(range.contains(&k), "split at {k}, outside {range:?}");
            let first = read(&text, Span::new(0, k), WHOLE_MAX_DEPTH, true);
            assert!(
                first.is_none(),
                "the first half read cleanly for {middle:?}"
            );
            let tree = parse_whole(&text).unwrap_or_else(|| panic!("{middle:?} is valid"));
            assert_eq!(Some(tree), whole_at_once(&text), "{middle:?}");
        }
    }

    #[test]
    fn a_split_between_commands_gives_the_same_tree() {
        let (text, range) = around("keep;\nstop;\n");
        let k = split_point(text.as_bytes(), text.len() / 2).expect("a candidate line");
        assert!(range.contains(&k));
        let second = read(&text, Span::new(k, text.len()), WHOLE_MAX_DEPTH, true);
        assert!(second.is_some(), "both halves read cleanly");
        let tree = parse_whole(&text).expect("the script is valid");
        assert_eq!(tree.len(), text.matches("if size").count() + 2);
        assert_eq!(Some(tree), whole_at_once(&text));
    }

    /// Past one chunk of top-level commands, the script's list is the
    /// same, in order, in one allocation of its exact size.
    #[test]
    fn many_top_level_commands_are_joined_in_order_and_exactly() {
        for n in [1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 7] {
            let text: String = (0..n).map(|i| format!("fileinto \"f{i}\";\n")).collect();
            let tree = whole_at_once(&text).expect("valid");
            assert_eq!(tree.len(), n);
            if n > CHUNK {
                assert_eq!(tree.capacity(), n, "{n} commands");
            }
            for (i, c) in tree.iter().enumerate() {
                let Argument::String(s) = &c.args.args[0] else {
                    panic!("{c:?}")
                };
                assert_eq!(*s.value, format!("f{i}"));
            }
        }
        // Text without a command: no list, no chunk to spare.
        assert_eq!(whole_at_once("# nothing\n").map(|t| t.len()), Some(0));
    }

    #[test]
    fn broken_halves_give_up_as_a_whole() {
        let (text, _) = around("keep;\nstop\n");
        assert!(parse_whole(&text).is_none());
        let (text, _) = around("keep;\nfileinto \"x;\n");
        assert!(parse_whole(&text).is_none());
    }

    #[test]
    fn small_or_unsplittable_scripts_have_no_split_point() {
        // The first line after the middle that follows a `;`.
        assert_eq!(split_point(b"keep;\nstop;\nkeep;\nstop;\n", 12), Some(18));
        assert_eq!(split_point(b"keep;\nstop;\n", 6), None);
        let one_line = format!("if true {{{}}}", " keep;".repeat(SPLIT_BYTES));
        assert_eq!(split_point(one_line.as_bytes(), one_line.len() / 2), None);
        assert!(parse_whole(&one_line).is_some());
    }
}
