//! Diagnostics are plain data: the report layer turns them into text.

use crate::syntax::ast::Span;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// A string value as it should appear in a message: quoted, with line
/// breaks and control characters escaped (a message stays on one line).
pub fn show(s: &str) -> String {
    format!("\"{}\"", s.escape_debug())
}

/// A secondary location with a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One finding in one script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `SL0203`.
    pub code: &'static str,
    /// Kebab-case rule name, e.g. `missing-require`.
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The primary location.
    pub span: Span,
    /// The note on the primary location.
    pub label: Option<String>,
    /// Secondary locations.
    pub labels: Vec<Label>,
    /// What to write instead.
    pub help: Option<String>,
    /// The RFC section behind the rule, where one applies.
    pub rfc: Option<&'static str>,
    /// A safe, mechanical fix (`check --fix`), when the rule offers one.
    pub fix: Option<crate::fix::Fix>,
}

impl Diagnostic {
    /// A finding of `rule` at `span`, with the rule's default severity and
    /// RFC section; labels, help and fix are added with the `with_*` calls.
    pub fn new(
        rule: &'static crate::rules::RuleInfo,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code: rule.code,
            name: rule.name,
            severity: rule.severity,
            message: message.into(),
            span,
            label: None,
            labels: Vec::new(),
            help: None,
            rfc: rule.rfc(),
            fix: None,
        }
    }

    pub fn with_label(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_primary_label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_fix(&mut self, fix: Option<crate::fix::Fix>) -> &mut Self {
        self.fix = fix;
        self
    }

    pub fn with_rfc(&mut self, rfc: &'static str) -> &mut Self {
        self.rfc = Some(rfc);
        self
    }
}

/// Line and column (both 1-based; the column counts characters) of byte
/// offsets in one source text.
/// Columns cost at most one block of counting: the characters before each
/// block boundary are kept, so a column on a 1 MB line is not a scan of
/// the line.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Characters before byte `i * CHAR_BLOCK`, for each block.
    chars: Vec<usize>,
}

const CHAR_BLOCK: usize = 1024;

/// Characters in UTF-8 bytes that start and end on character boundaries.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text.as_bytes()));
        let mut chars = Vec::with_capacity(text.len() / CHAR_BLOCK + 1);
        let mut seen = 0;
        for block in text.as_bytes().chunks(CHAR_BLOCK) {
            chars.push(seen);
            seen += count_chars(block);
        }
        chars.push(seen);
        LineIndex { starts, chars }
    }

    /// Characters before a byte offset on a character boundary.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let block = offset / CHAR_BLOCK;
        self.chars[block] + count_chars(&text.as_bytes()[block * CHAR_BLOCK..offset])
    }

    /// The 0-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// The offset where a 0-based line starts (0 past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(0)
    }

    /// The offset of a 0-based line's `\n`, or the end of the text for
    /// the last line.
    pub fn line_end(&self, text: &str, line: usize) -> usize {
        self.starts.get(line + 1).map_or(text.len(), |s| s - 1)
    }

    /// `(line, column)` of a byte offset, both 1-based.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.line(offset);
        let start = self.starts[line];
        let mut end = offset;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.chars_before(text, end) - self.chars_before(text, start) + 1;
        (line + 1, col)
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', bytes).map(|i| i + 1)
}

#[cfg(test)]
mod line_index_tests {
    use super::LineIndex;

    /// Columns from the block counts are those of counting the line's
    /// characters, on short and long lines, ASCII and not, at every offset.
    #[test]
    fn columns_match_counting_characters() {
        let long = "é".repeat(1500) + "x" + &"ab".repeat(700);
        let text = format!("a\nÄb\r\n{long}\n\nz€");
        let index = LineIndex::new(&text);
        for offset in 0..=text.len() + 2 {
            let o = offset.min(text.len());
            let mut end = o;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..start].matches('\n').count() + 1;
            let want = (line, text[start..end].chars().count() + 1);
            assert_eq!(index.line_col(&text, offset), want, "offset {offset}");
        }
    }
}
