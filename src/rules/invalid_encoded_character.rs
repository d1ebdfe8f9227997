use super::{Rule, declare_rule};
use crate::check::Context;
use crate::diagnostic::{Severity, show};
use crate::syntax::ast::{Span, StringKind, StringLit};

declare_rule! {
    /// ## What it does
    /// With "encoded-character" required, checks every `${hex:…}` and
    /// `${unicode:…}` in the script's strings:
    ///
    /// * error: a well-formed `${unicode:…}` with a code point that is not
    ///   a character: a surrogate (D800–DFFF) or a value above 10FFFF;
    /// * warning: `${hex:` or `${unicode:` not followed by a well-formed
    ///   sequence (`${hex:4G}`, `${hex:400}`, `${unicode:41,42}`, no closing
    ///   `}`): RFC 5228 leaves such text as it is, which is rarely what was
    ///   meant.
    ///
    /// Well-formed means: hex pairs of one or two hex digits (`${hex:}`),
    /// or code points of any number of hex digits (`${unicode:}`),
    /// separated by spaces, tabs or line breaks, with blanks allowed after
    /// the colon and before the brace; the prefix is not case-sensitive.
    /// The finding points at the sequence inside the string.
    ///
    /// ## Why is this bad?
    /// RFC 5228 makes a code point outside 0–D7FF and E000–10FFFF an error,
    /// so the server refuses the script. A malformed sequence is kept
    /// literally, so the script silently compares or files with the text
    /// `${hex:…}` itself.
    ///
    /// ## Example
    /// ```sieve
    /// require ["encoded-character", "fileinto"];
    /// fileinto "INBOX.${unicode:D83D}";
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require ["encoded-character", "fileinto"];
    /// fileinto "INBOX.${unicode:1F4E5}";
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §2.4.2.4
    ///
    /// ## Severity
    /// Error: RFC 5228 §2.4.2.4: "It is an error for a script to use a
    /// hexadecimal value that isn't in either the range 0 to D7FF or the range
    /// E000 to 10FFFF."
    pub struct InvalidEncodedCharacter {
        code: "SL0318",
        name: "invalid-encoded-character",
        severity: Error,
        summary: "a `${hex:…}` or `${unicode:…}` that is not a valid encoded character",
    }
}

impl Rule for InvalidEncodedCharacter {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        if !model.is_required("encoded-character") {
            return;
        }
        for u in &model.uses {
            if u.node.name().is("require") {
                continue;
            }
            for arg in &u.node.args().args {
                for lit in arg.strings() {
                    if lit.value.contains("${") {
                        check_string(cx, lit);
                    }
                }
            }
        }
    }
}

fn check_string(cx: &mut Context<'_, '_>, lit: &StringLit) {
    let s = lit.value.as_ref();
    let mut spans = ValueSpans::new(cx.source, lit);
    let mut from = 0;
    while let Some(at) = s[from..].find("${").map(|i| i + from) {
        from = at + 2;
        let Some((kind, body_start)) = prefix(s, at) else {
            continue;
        };
        match parse(s, body_start, kind) {
            Parsed::Valid { end, bad } => {
                if let Some((start, len, value)) = bad {
                    let what = if (0xD800..=0xDFFF).contains(&value) {
                        "a surrogate (D800–DFFF), not a character"
                    } else {
                        "above 10FFFF, the last Unicode code point"
                    };
                    let span = spans.span(start..start + len);
                    let seq = &s[at..end];
                    let digits = &s[start..start + len];
                    cx.report(span, format!("invalid code point in {}", show(seq)))
                        .with_primary_label(format!("{digits} is {what}"))
                        .with_help("use a code point in 0–D7FF or E000–10FFFF");
                }
                from = end;
            }
            Parsed::Literal => {}
            Parsed::Malformed { end, reason } => {
                let span = spans.span(at..end);
                let seq = &s[at..end];
                cx.report_with(
                    span,
                    Severity::Warning,
                    format!(
                        "{} is not an encoded character and stays literal text",
                        show(seq)
                    ),
                )
                .with_primary_label(reason)
                .with_help(match kind {
                    Kind::Hex => "write hex pairs separated by spaces: \"${hex:48 69}\"",
                    Kind::Unicode => {
                        "write code points separated by spaces: \"${unicode:48 1F600}\""
                    }
                });
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Hex,
    Unicode,
}

/// `${hex:` or `${unicode:` (any case) at `at`: the kind and where the
/// sequence starts.
fn prefix(s: &str, at: usize) -> Option<(Kind, usize)> {
    let rest = &s.as_bytes()[at + 2..];
    let name_len = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if rest.get(name_len) != Some(&b':') {
        return None;
    }
    let name = &rest[..name_len];
    let kind = if name.eq_ignore_ascii_case(b"hex") {
        Kind::Hex
    } else if name.eq_ignore_ascii_case(b"unicode") {
        Kind::Unicode
    } else {
        return None;
    };
    Some((kind, at + 2 + name_len + 1))
}

enum Parsed {
    /// Well-formed up to `end` (after the brace); `bad`: the first code
    /// point out of range (start, length, value).
    Valid {
        end: usize,
        bad: Option<(usize, usize, u32)>,
    },
    /// Not an encoded character; the text up to `end` is shown.
    Malformed { end: usize, reason: &'static str },
    /// Not an encoded character, evidently on purpose.
    Literal,
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// `*blank item *(1*blank item) *blank "}"` (RFC 5228 §2.4.2.4).
fn parse(s: &str, start: usize, kind: Kind) -> Parsed {
    let b = s.as_bytes();
    // What to show of a malformed sequence: up to its `}`, or the prefix
    // when another `${` (or the end) comes first. The search stops at that
    // `${`, so a string of many malformed sequences is read once.
    let shown_end = |i: usize| {
        let mut j = i;
        while j < b.len() {
            match b[j] {
                b'}' => return j + 1,
                b'$' if b.get(j + 1) == Some(&b'{') => return start,
                _ => j += 1,
            }
        }
        start
    };
    let no_brace = Parsed::Malformed {
        end: start,
        reason: "no closing `}`",
    };
    let mut i = start;
    let mut items = 0;
    let mut bad = None;
    loop {
        while i < b.len() && is_blank(b[i]) {
            i += 1;
        }
        let Some(&c) = b.get(i) else {
            return no_brace;
        };
        if c == b'}' {
            if items == 0 {
                return Parsed::Malformed {
                    end: i + 1,
                    reason: "empty sequence",
                };
            }
            return Parsed::Valid { end: i + 1, bad };
        }
        // Another sequence inside this one (`${hex:4${hex:30}}`): the outer
        // text is meant to stay literal.
        if s[i..].starts_with("${") {
            return Parsed::Literal;
        }
        let digits = b[i..].iter().take_while(|d| d.is_ascii_hexdigit()).count();
        if digits == 0 {
            return Parsed::Malformed {
                end: shown_end(i),
                reason: "not a hex digit",
            };
        }
        if kind == Kind::Hex && digits > 2 {
            return Parsed::Malformed {
                end: shown_end(i),
                reason: "a hex pair has one or two digits",
            };
        }
        if kind == Kind::Unicode && bad.is_none() {
            let value = s[i..i + digits].chars().fold(0u32, |v, d| {
                v.saturating_mul(16)
                    .saturating_add(d.to_digit(16).unwrap_or(0))
            });
            if value > 0x10FFFF || (0xD800..=0xDFFF).contains(&value) {
                bad = Some((i, digits, value));
            }
        }
        items += 1;
        i += digits;
        match b.get(i) {
            None => return no_brace,
            Some(&x) if is_blank(x) || x == b'}' => {}
            Some(_) if s[i..].starts_with("${") => return Parsed::Literal,
            Some(_) => {
                return Parsed::Malformed {
                    end: shown_end(i),
                    reason: "not a hex digit",
                };
            }
        }
    }
}

/// The source span of bytes `range` of a string's value. Quoted strings
/// (with their escapes) and multi-line strings (with their dot-stuffing)
/// are mapped back exactly, an escaped character with its backslash; when
/// the source does not decode to the value, the whole string is returned.
/// Linear in the string: a caller with several spans of one string uses
/// [`ValueSpans`], which maps the string once.
pub(crate) fn value_span(source: &str, lit: &StringLit, range: std::ops::Range<usize>) -> Span {
    ValueSpans::new(source, lit).span(range)
}

/// The spans of one string's value bytes, the string mapped on first use.
pub(super) struct ValueSpans<'a> {
    source: &'a str,
    lit: &'a StringLit<'a>,
    map: Option<Option<Vec<(usize, usize)>>>,
}

impl<'a> ValueSpans<'a> {
    pub(super) fn new(source: &'a str, lit: &'a StringLit<'a>) -> Self {
        ValueSpans {
            source,
            lit,
            map: None,
        }
    }

    /// See [`value_span`].
    pub(super) fn span(&mut self, range: std::ops::Range<usize>) -> Span {
        let lit = self.lit;
        let source = self.source;
        let Some(map) = self.map.get_or_insert_with(|| offsets(source, lit)) else {
            return lit.span;
        };
        let Some(&(start, _)) = map.get(range.start) else {
            return lit.span;
        };
        if range.is_empty() {
            return Span::new(start, start);
        }
        match map.get(range.end - 1) {
            Some(&(_, end)) => Span::new(start, end),
            None => lit.span,
        }
    }
}

/// For each byte of the value, where the source text that gave it starts
/// (the backslash of an escape) and ends.
fn offsets(source: &str, lit: &StringLit) -> Option<Vec<(usize, usize)>> {
    let text = source.get(lit.span.range())?;
    let bytes = text.as_bytes();
    let base = lit.span.start();
    let mut map = Vec::with_capacity(lit.value.len());
    let mut decoded = Vec::with_capacity(lit.value.len());
    match lit.kind {
        StringKind::Quoted => {
            if bytes.len() < 2 || bytes[0] != b'"' || bytes[bytes.len() - 1] != b'"' {
                return None;
            }
            let mut i = 1;
            let end = bytes.len() - 1;
            while i < end {
                if bytes[i] == b'\\' && i + 1 < end {
                    let escape = i;
                    i += 1;
                    let len = utf8_len(bytes[i]).min(end - i);
                    for k in 0..len {
                        let from = if k == 0 { escape } else { i + k };
                        map.push((base + from, base + i + k + 1));
                        decoded.push(bytes[i + k]);
                    }
                    i += len;
                } else {
                    map.push((base + i, base + i + 1));
                    decoded.push(bytes[i]);
                    i += 1;
                }
            }
        }
        StringKind::MultiLine => {
            let body = text.find('\n')? + 1;
            let mut line_start = body;
            for line in text[body..].split_inclusive('\n') {
                let content = line.trim_end_matches('\n').trim_end_matches('\r');
                if content == "." {
                    break;
                }
                let skip = usize::from(line.starts_with(".."));
                for (k, &b) in line.as_bytes().iter().enumerate().skip(skip) {
                    let at = base + line_start + k;
                    map.push((at, at + 1));
                    decoded.push(b);
                }
                line_start += line.len();
            }
        }
    }
    (decoded == lit.value.as_bytes()).then_some(map)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}
