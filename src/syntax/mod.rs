//! Parsing. A clean script is read once by the hand-written fast reader
//! (`fast`), in pieces on all cores when large. Anything it is not sure
//! of sends the script down the precise path: the scan ([`scan`]) splits it
//! into command heads and blocks, the pest grammar (`grammar/sieve.pest`)
//! parses each head, and the builder turns pest pairs into the AST
//! ([`ast`]).
//!
//! Errors recover at command boundaries: a broken command is reported and
//! the rest of the script is still parsed. Heads of large scripts are parsed
//! on all cores.

pub mod address;
pub mod ast;
pub mod comments;
pub mod encoded;
mod fast;
mod scan;
mod tree;

use ast::{Script, Span};
use rayon::prelude::*;

pub use scan::{MAX_BLOCK_DEPTH, MAX_TEST_DEPTH};

/// Scripts of this size or more are parsed on all cores (by either path).
/// Below it, threads cost more than they save on two cores: each thread's
/// first use of memory is page faults (measured at 156 KB: 809 faults and
/// 6.0 ms of CPU serially, 1,539 faults and 8.7 ms in two halves).
pub(crate) const PARALLEL_THRESHOLD: usize = 256 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// The script does not follow the grammar.
    Syntax,
    /// The script is not valid UTF-8.
    InvalidUtf8,
    /// Nesting past what the parser accepts.
    TooDeep,
}

/// A problem found while parsing, with its place in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub span: Span,
    pub message: String,
    /// The text of the primary label.
    pub label: String,
    /// Secondary labels.
    pub labels: Vec<(Span, String)>,
    pub help: Option<String>,
}

impl SyntaxError {
    pub fn new(
        kind: SyntaxErrorKind,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        SyntaxError {
            kind,
            span,
            message: message.into(),
            label: label.into(),
            labels: Vec::new(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The result of parsing: a syntax tree (of everything that could be
/// parsed) and the errors, in source order.
#[derive(Debug, Clone, Default)]
pub struct Parsed<'s> {
    pub script: Script<'s>,
    pub errors: Vec<SyntaxError>,
}

/// Source text made from raw bytes: invalid UTF-8 sequences are reported
/// and replaced byte for byte with `?`, so that every offset still points
/// at the same byte of the file.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub text: String,
    pub errors: Vec<SyntaxError>,
}

/// Decodes a script's bytes. Offsets in `text` equal offsets in `bytes`.
pub fn decode(bytes: &[u8]) -> SourceText {
    match std::str::from_utf8(bytes) {
        Ok(s) => SourceText {
            text: s.to_owned(),
            errors: Vec::new(),
        },
        Err(_) => {
            let mut text = String::with_capacity(bytes.len());
            let mut errors = Vec::new();
            let mut rest = bytes;
            let mut offset = 0;
            while !rest.is_empty() {
                match std::str::from_utf8(rest) {
                    Ok(s) => {
                        text.push_str(s);
                        break;
                    }
                    Err(e) => {
                        let good = e.valid_up_to();
                        let bad = e.error_len().unwrap_or(rest.len() - good);
                        // Valid by construction: `good` bytes were checked.
                        text.push_str(std::str::from_utf8(&rest[..good]).unwrap_or_default());
                        text.extend(std::iter::repeat_n('?', bad));
                        let at = offset + good;
                        let merged = match errors.last_mut() {
                            Some(SyntaxError { span, label, .. })
                                if span.end() == at && good == 0 =>
                            {
                                span.set_end(at + bad);
                                *label = format!("these {} bytes are not UTF-8", span.len());
                                true
                            }
                            _ => false,
                        };
                        if !merged && errors.len() < 100 {
                            errors.push(
                                SyntaxError::new(
                                    SyntaxErrorKind::InvalidUtf8,
                                    Span::new(at, at + bad),
                                    format!("invalid UTF-8 at byte {at}"),
                                    if bad == 1 {
                                        "this byte is not UTF-8".to_owned()
                                    } else {
                                        format!("these {bad} bytes are not UTF-8")
                                    },
                                )
                                .with_help("Sieve scripts are UTF-8: re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)"),
                            );
                        }
                        offset += good + bad;
                        rest = &rest[good + bad..];
                    }
                }
            }
            SourceText { text, errors }
        }
    }
}

/// Parses a script. `is_command` tells the recovery which identifiers start
/// a new command (a line that starts with one ends a command missing its
/// `;`).
pub fn parse(src: &str) -> Parsed<'_> {
    parse_impl(src, true)
}

/// Parses with pest alone (no hand-written fast path): the reference that
/// `tests/parser_agreement.rs` compares [`parse`] with.
#[doc(hidden)]
pub fn parse_reference(src: &str) -> Parsed<'_> {
    parse_impl(src, false)
}

fn parse_impl(src: &str, use_fast: bool) -> Parsed<'_> {
    // Offsets are 32-bit: a larger text is not read (the CLI refuses such
    // a file before reading it, `files::read_script`).
    if src.len() > ast::MAX_SOURCE {
        return Parsed {
            script: Script::default(),
            errors: vec![SyntaxError::new(
                SyntaxErrorKind::Syntax,
                Span::new(0, 0),
                "the script is larger than 4 GiB, the most sieve-lint reads",
                "not read",
            )],
        };
    }
    // A clean script is read once, by the fast reader alone (in pieces on
    // all cores when large); it gives up on anything the scanner would
    // report, and the scan and pest take over.
    if use_fast && let Some(commands) = fast::parse_whole(src) {
        return Parsed {
            script: Script { commands },
            errors: Vec::new(),
        };
    }
    let scanner = scan::Scanner::new(src, crate::ext::is_command_name);
    let (raw, mut errors) = scanner.scan();

    // Runs of clean top-level commands are parsed a chunk at a time (one
    // pest call each: fast); anything the scanner found wrong, or a chunk
    // that fails, is parsed head by head (precise errors, recovery).
    let units = units(&raw, src.len());
    let parse_unit = |unit: &Unit<'_>| -> (Vec<ast::Command>, Vec<SyntaxError>) {
        if unit.clean
            && let Some(commands) = use_fast
                .then(|| fast::parse_chunk(src, unit.span))
                .flatten()
                .or_else(|| tree::parse_chunk(src, unit.span))
        {
            return (commands, Vec::new());
        }
        let mut heads = Vec::new();
        collect_heads(unit.commands, &mut heads);
        let mut results = heads.iter().map(|r| tree::parse_head(src, r));
        let mut errs = Vec::new();
        let commands = tree::assemble(src, unit.commands, &mut results, &mut errs);
        (commands, errs)
    };
    let done: Vec<(Vec<ast::Command>, Vec<SyntaxError>)> = if src.len() >= PARALLEL_THRESHOLD {
        units.par_iter().map(parse_unit).collect()
    } else {
        units.iter().map(parse_unit).collect()
    };

    let mut commands = Vec::with_capacity(raw.len());
    for (c, e) in done {
        commands.extend(c);
        errors.extend(e);
    }
    at_last_line(src, &mut errors);
    errors.sort_by_key(|e| (e.span.start(), e.span.end()));
    Parsed {
        script: Script { commands },
        errors,
    }
}

/// "The script ends here" is shown at the end of the last line: an empty
/// span at the very end of a script that ends with a line break would be
/// on a line that no editor shows (short and JSON said 7:1 while the
/// snippet showed the end of line 6). One location for every format.
fn at_last_line(src: &str, errors: &mut [SyntaxError]) {
    let end = src.len();
    let last = src
        .strip_suffix("\r\n")
        .or_else(|| src.strip_suffix('\n'))
        .map_or(end, str::len);
    let moved = |span: &mut Span| {
        if span.start() == end && span.end() == end {
            *span = Span::new(last, last);
        }
    };
    for e in errors {
        moved(&mut e.span);
        for (span, _) in &mut e.labels {
            moved(span);
        }
    }
}

/// A run of top-level commands parsed together.
struct Unit<'r> {
    commands: &'r [scan::RawCommand],
    span: Span,
    /// Every command in it is complete and free of lexical errors.
    clean: bool,
}

/// Target size of a chunk: large enough that pest's fixed cost per call
/// vanishes, small enough to spread over cores.
const CHUNK_BYTES: usize = 64 * 1024;

fn units(raw: &[scan::RawCommand], len: usize) -> Vec<Unit<'_>> {
    let target = if len >= PARALLEL_THRESHOLD {
        CHUNK_BYTES
    } else {
        usize::MAX
    };
    let mut units: Vec<Unit<'_>> = Vec::new();
    let mut start = 0;
    while start < raw.len() {
        let clean = is_clean(&raw[start]);
        let mut end = start + 1;
        if clean {
            while end < raw.len()
                && is_clean(&raw[end])
                && raw_end(&raw[end - 1]) - raw[start].head.start() < target
            {
                end += 1;
            }
        }
        units.push(Unit {
            commands: &raw[start..end],
            span: Span::new(raw[start].head.start(), raw_end(&raw[end - 1])),
            clean,
        });
        start = end;
    }
    units
}

/// The offset after a raw command's `;` or `}`.
fn raw_end(r: &scan::RawCommand) -> usize {
    match (&r.block, r.terminator) {
        (Some(b), _) => b.close.map_or(r.head.end(), |c| c + 1),
        (None, Some(t)) => t + 1,
        (None, None) => r.head.end(),
    }
}

/// Complete and free of lexical errors, blocks included (iteratively).
fn is_clean(r: &scan::RawCommand) -> bool {
    let mut stack = vec![r];
    while let Some(r) = stack.pop() {
        if r.lex_error || r.end == scan::HeadEnd::Missing {
            return false;
        }
        if let Some(b) = &r.block {
            if b.close.is_none() {
                return false;
            }
            stack.extend(b.children.iter());
        }
    }
    true
}

/// Preorder, iteratively (blocks can be deep).
fn collect_heads<'r>(raw: &'r [scan::RawCommand], out: &mut Vec<&'r scan::RawCommand>) {
    let mut stack: Vec<std::slice::Iter<'r, scan::RawCommand>> = vec![raw.iter()];
    while let Some(iter) = stack.last_mut() {
        match iter.next() {
            Some(cmd) => {
                out.push(cmd);
                if let Some(block) = &cmd.block {
                    stack.push(block.children.iter());
                }
            }
            None => {
                stack.pop();
            }
        }
    }
}

/// The full pest grammar, for tests that compare it with the driver.
pub mod grammar {
    #[derive(pest_derive::Parser)]
    #[grammar = "../grammar/sieve.pest"]
    pub struct SieveParser;
}
