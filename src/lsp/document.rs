//! Open documents and the conversion between byte offsets (what the
//! linter speaks) and LSP positions (line, and a column counted in the
//! encoding negotiated at `initialize`: UTF-8 bytes when the client offers
//! it, else UTF-16 code units, the protocol's default).
//!
//! Lines end at `\n` (a `\r` before it is part of the line break, not of
//! the line), as in [`LineIndex`], which the reports use too. Positions
//! past the end of a line or of the document are clamped to it, never an
//! error: the protocol says a character beyond the line's length means the
//! line's end.

use crate::diagnostic::LineIndex;
use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// How a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client lists it, else UTF-16 (LSP 3.17: the client
    /// offers encodings in `general.positionEncodings`; UTF-16 must always
    /// be supported).
    pub fn negotiate(offered: Option<&[lsp_types::PositionEncodingKind]>) -> Encoding {
        let utf8 = offered.is_some_and(|o| o.contains(&lsp_types::PositionEncodingKind::UTF8));
        if utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> lsp_types::PositionEncodingKind {
        match self {
            Encoding::Utf8 => lsp_types::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp_types::PositionEncodingKind::UTF16,
        }
    }

    /// The length of `s` in this encoding's units.
    pub(super) fn len(self, s: &str) -> usize {
        match self {
            Encoding::Utf8 => s.len(),
            Encoding::Utf16 => s.chars().map(char::len_utf16).sum(),
        }
    }
}

/// A text with its line index.
#[derive(Debug, Clone)]
pub struct Text {
    text: String,
    lines: LineIndex,
}

impl Text {
    pub fn new(text: String) -> Text {
        let lines = LineIndex::new(&text);
        Text { text, lines }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// The number of lines (a text ending in `\n` has an empty last line).
    fn line_count(&self) -> usize {
        self.lines.line(self.text.len()) + 1
    }

    /// Where a 0-based line's content ends: before its `\r\n` or `\n`.
    pub(crate) fn content_end(&self, line: usize) -> usize {
        let end = self.lines.line_end(&self.text, line);
        let start = self.lines.line_start(line);
        if end > start && self.text.as_bytes()[end - 1] == b'\r' && end < self.text.len() {
            end - 1
        } else {
            end
        }
    }

    /// The byte offset of a position, clamped to the line's content and
    /// to the document, on a character boundary (a UTF-16 column inside a
    /// surrogate pair falls back to the character's start).
    pub fn offset(&self, pos: Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.line_count() {
            return self.text.len();
        }
        let start = self.lines.line_start(line);
        let end = self.content_end(line);
        let content = &self.text[start..end];
        let want = pos.character as usize;
        match enc {
            Encoding::Utf8 => {
                let mut at = want.min(content.len());
                while !content.is_char_boundary(at) {
                    at -= 1;
                }
                start + at
            }
            Encoding::Utf16 => {
                let mut units = 0;
                for (i, c) in content.char_indices() {
                    units += c.len_utf16();
                    if units > want {
                        return start + i;
                    }
                }
                end
            }
        }
    }

    /// The position of a byte offset (clamped to the text, moved back to a
    /// character boundary).
    pub fn position(&self, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.lines.line(offset);
        let start = self.lines.line_start(line);
        let column = enc.len(&self.text[start..offset]);
        Position::new(to_u32(line), to_u32(column))
    }

    pub fn range(&self, span: crate::syntax::ast::Span, enc: Encoding) -> Range {
        Range::new(
            self.position(span.start(), enc),
            self.position(span.end(), enc),
        )
    }

    /// The byte range of an LSP range (start and end ordered).
    pub fn span(&self, range: Range, enc: Encoding) -> crate::syntax::ast::Span {
        let a = self.offset(range.start, enc);
        let b = self.offset(range.end, enc);
        crate::syntax::ast::Span::new(a.min(b), a.max(b))
    }

    /// Applies one change of `didChange`: a range replaced, or (without a
    /// range) the whole text.
    pub fn apply(&mut self, change: TextDocumentContentChangeEvent, enc: Encoding) {
        match change.range {
            None => *self = Text::new(change.text),
            Some(range) => {
                let span = self.span(range, enc);
                let mut text = std::mem::take(&mut self.text);
                text.replace_range(span.range(), &change.text);
                *self = Text::new(text);
            }
        }
    }
}

pub(super) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// An open document.
#[derive(Debug, Clone)]
pub struct Document {
    pub text: Text,
    pub version: i32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use Encoding::{Utf8, Utf16};

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    /// `Iván` has a two-byte `á`: one UTF-16 unit, two UTF-8 bytes.
    #[test]
    fn non_ascii_columns_differ_by_encoding() {
        let t = Text::new("# Iván\nkeep;\n".to_owned());
        let after_a = "# Ivá".len();
        assert_eq!(t.position(after_a, Utf16), pos(0, 5));
        assert_eq!(t.position(after_a, Utf8), pos(0, 6));
        assert_eq!(t.offset(pos(0, 5), Utf16), after_a);
        assert_eq!(t.offset(pos(0, 6), Utf8), after_a);
        // A UTF-8 column inside `á` falls back to its start.
        assert_eq!(t.offset(pos(0, 5), Utf8), "# Iv".len());
        assert_eq!(t.position("# Iván\n".len(), Utf16), pos(1, 0));
    }

    /// An emoji outside the BMP is a surrogate pair in UTF-16 (two units)
    /// and four bytes in UTF-8.
    #[test]
    fn emoji_is_a_surrogate_pair_in_utf16() {
        let text = "if header \"subject\" \"😀x\" { stop; }";
        let t = Text::new(text.to_owned());
        let x = text.find('x').unwrap();
        let emoji = text.find('😀').unwrap();
        assert_eq!(t.position(x, Utf16), pos(0, emoji as u32 + 2));
        assert_eq!(t.position(x, Utf8), pos(0, emoji as u32 + 4));
        assert_eq!(t.offset(pos(0, emoji as u32 + 2), Utf16), x);
        // Between the two halves of the pair: the emoji's start.
        assert_eq!(t.offset(pos(0, emoji as u32 + 1), Utf16), emoji);
        for off in 0..=text.len() {
            for enc in [Utf8, Utf16] {
                let back = t.offset(t.position(off, enc), enc);
                assert!(back <= off && text.is_char_boundary(back), "{off} {enc:?}");
            }
        }
    }

    /// `\r\n` ends a line; the `\r` belongs to no column, and a position
    /// past the line's end stops before it.
    #[test]
    fn crlf_lines() {
        let text = "require \"fileinto\";\r\nkeep;\r\n";
        let t = Text::new(text.to_owned());
        let keep = text.find("keep").unwrap();
        assert_eq!(t.position(keep, Utf16), pos(1, 0));
        assert_eq!(t.offset(pos(1, 0), Utf16), keep);
        assert_eq!(t.offset(pos(0, 999), Utf16), text.find('\r').unwrap());
        assert_eq!(t.offset(pos(1, 999), Utf8), keep + "keep;".len());
        assert_eq!(t.offset(pos(2, 0), Utf8), text.len());
    }

    /// Past the last line, past the end: the document's end, no panic.
    #[test]
    fn positions_past_the_end_are_clamped() {
        let t = Text::new("keep;".to_owned());
        assert_eq!(t.offset(pos(0, 99), Utf16), 5);
        assert_eq!(t.offset(pos(7, 3), Utf8), 5);
        assert_eq!(t.offset(pos(u32::MAX, u32::MAX), Utf16), 5);
        assert_eq!(t.position(99, Utf16), pos(0, 5));
        let empty = Text::new(String::new());
        assert_eq!(empty.offset(pos(3, 3), Utf16), 0);
        assert_eq!(empty.position(0, Utf8), pos(0, 0));
    }

    /// Incremental edits replace a range; a reversed range is ordered.
    #[test]
    fn incremental_changes_apply_in_order() {
        let mut t = Text::new("# Iván\r\nkeep;\r\n".to_owned());
        let change = |range: Option<Range>, text: &str| TextDocumentContentChangeEvent {
            range,
            range_length: None,
            text: text.to_owned(),
        };
        t.apply(
            change(Some(Range::new(pos(1, 0), pos(1, 4))), "stop"),
            Utf16,
        );
        assert_eq!(t.as_str(), "# Iván\r\nstop;\r\n");
        t.apply(change(Some(Range::new(pos(0, 6), pos(0, 2))), "😀"), Utf16);
        assert_eq!(t.as_str(), "# 😀\r\nstop;\r\n");
        t.apply(change(Some(Range::new(pos(0, 4), pos(0, 4))), "!"), Utf16);
        assert_eq!(t.as_str(), "# 😀!\r\nstop;\r\n");
        t.apply(change(Some(Range::new(pos(9, 9), pos(9, 9))), "x"), Utf8);
        assert_eq!(t.as_str(), "# 😀!\r\nstop;\r\nx");
        t.apply(change(None, "keep;"), Utf8);
        assert_eq!(t.as_str(), "keep;");
        assert_eq!(t.position(5, Utf16), pos(0, 5));
    }
}
