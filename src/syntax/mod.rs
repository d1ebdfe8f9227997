//! Parsing: the fast scan ([`scan`]) splits a script into command heads and
//! blocks; the pest grammar (`grammar/sieve.pest`) parses each head; the
//! builder turns pest pairs into the AST ([`ast`]).
//!
//! Errors recover at command boundaries: a broken command is reported and
//! the rest of the script is still parsed. Heads of large scripts are parsed
//! on all cores.

pub mod ast;
mod tree;
mod scan;

use ast::{Script, Span};
use rayon::prelude::*;

pub use scan::{MAX_BLOCK_DEPTH, MAX_TEST_DEPTH};

/// Scripts larger than this are parsed on several threads.
const PARALLEL_THRESHOLD: usize = 256 * 1024;

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
pub struct Parsed {
    pub script: Script,
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
                        if errors.len() < 100 {
                            errors.push(
                                SyntaxError::new(
                                    SyntaxErrorKind::InvalidUtf8,
                                    Span::new(at, at + bad),
                                    format!("invalid UTF-8 at byte {at}"),
                                    format!("{} byte{} that are not UTF-8", bad, if bad == 1 { "" } else { "s" }),
                                )
                                .with_help("Sieve scripts are UTF-8 (RFC 5228 §2.2): re-save the file as UTF-8"),
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
pub fn parse(src: &str) -> Parsed {
    let scanner = scan::Scanner::new(src, crate::ext::is_command_name);
    let (raw, mut errors) = scanner.scan();

    let mut heads = Vec::new();
    collect_heads(&raw, &mut heads);
    let parsed: Vec<tree::HeadResult> = if src.len() >= PARALLEL_THRESHOLD {
        heads.par_iter().map(|r| tree::parse_head(src, r)).collect()
    } else {
        heads.iter().map(|r| tree::parse_head(src, r)).collect()
    };

    let mut results = parsed.into_iter();
    let commands = tree::assemble(src, &raw, &mut results, &mut errors);
    errors.sort_by_key(|e| (e.span.start, e.span.end));
    Parsed {
        script: Script { commands },
        errors,
    }
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
