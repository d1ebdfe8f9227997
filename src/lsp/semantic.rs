//! Semantic tokens (`textDocument/semanticTokens/full`): colours for
//! editors that have no Sieve grammar of their own. From the token pass
//! that completion uses (RFC 5228 §8.1), not the parser, so a broken
//! script is coloured as far as it can be read:
//!
//! * the identifier that starts a command (at the start of the script or
//!   after `;`, `{` or `}`) is a `keyword`, any other identifier (a test)
//!   a `function`;
//! * a tag (`:is`) a `parameter`, a number a `number`, a comment a
//!   `comment`;
//! * a string a `string`, with each `${…}` reference in it (RFC 5229 §3)
//!   a `variable`.
//!
//! Tokens never span lines (clients need not support multi-line tokens):
//! a `text:` string or bracket comment is one token per line. Positions
//! are found with one forward pass, so the work is linear in the text.

use super::completion::{Tok, tokenize};
use super::document::{Encoding, Text, to_u32};
use lsp_types::{SemanticToken, SemanticTokenType, SemanticTokensLegend};

/// The token types, in the order their indices refer to.
const TYPES: [SemanticTokenType; 7] = [
    SemanticTokenType::KEYWORD,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::PARAMETER,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::COMMENT,
    SemanticTokenType::VARIABLE,
];

const KEYWORD: u32 = 0;
const FUNCTION: u32 = 1;
const PARAMETER: u32 = 2;
const STRING: u32 = 3;
const NUMBER: u32 = 4;
const COMMENT: u32 = 5;
const VARIABLE: u32 = 6;

/// The legend announced in `initialize`.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: Vec::new(),
    }
}

/// The semantic tokens of the whole document, encoded relative to each
/// other as the protocol wants them.
pub fn tokens(text: &Text, enc: Encoding) -> Vec<SemanticToken> {
    let src = text.as_str();
    let mut out = Encoder::new(text, enc);
    let mut command_next = true;
    for t in tokenize(src) {
        match t.tok {
            Tok::Ident => {
                let kind = if command_next { KEYWORD } else { FUNCTION };
                out.piece(t.start, t.end, kind);
                command_next = false;
            }
            Tok::Tag => out.piece(t.start, t.end, PARAMETER),
            Tok::Num => out.piece(t.start, t.end, NUMBER),
            Tok::Comment => out.piece(t.start, t.end, COMMENT),
            Tok::Str { .. } => {
                let raw = &src[t.start..t.end];
                let mut at = t.start;
                for (offset, name) in crate::ext::variables::located_references(raw) {
                    let start = t.start + offset;
                    // `${` + name + `}`.
                    let end = (start + 2 + name.len() + 1).min(t.end);
                    out.piece(at, start, STRING);
                    out.piece(start, end, VARIABLE);
                    at = end;
                }
                out.piece(at, t.end, STRING);
            }
            Tok::Punct(b';' | b'{' | b'}') => command_next = true,
            Tok::Punct(_) => {}
        }
    }
    out.tokens
}

/// Turns byte ranges, in increasing order, into encoded tokens.
struct Encoder<'t> {
    text: &'t Text,
    enc: Encoding,
    tokens: Vec<SemanticToken>,
    /// The last position computed: its byte offset, line and column.
    at: (usize, usize, usize),
    /// Where the previous token started: line and column.
    prev: (usize, usize),
}

impl<'t> Encoder<'t> {
    fn new(text: &'t Text, enc: Encoding) -> Self {
        Encoder {
            text,
            enc,
            tokens: Vec::new(),
            at: (0, 0, 0),
            prev: (0, 0),
        }
    }

    /// The line and column of `offset` (not before the last one asked).
    fn position(&mut self, offset: usize) -> (usize, usize) {
        let src = self.text.as_str();
        let lines = self.text.lines();
        let line = lines.line(offset);
        let (last, last_line, last_col) = self.at;
        let col = if line == last_line && last <= offset {
            last_col + self.enc.len(&src[last..offset])
        } else {
            self.enc.len(&src[lines.line_start(line)..offset])
        };
        self.at = (offset, line, col);
        (line, col)
    }

    /// The bytes `start..end` as one token per line they cover.
    fn piece(&mut self, start: usize, end: usize, kind: u32) {
        let src = self.text.as_str();
        let mut from = start;
        while from < end {
            // This line's part: up to its line break (`\n` or `\r\n`, the
            // line breaks of the document's line index).
            let newline = src[from..end].find('\n').map(|n| from + n);
            let mut line_end = newline.unwrap_or(end);
            if newline.is_some() && src[from..line_end].ends_with('\r') {
                line_end -= 1;
            }
            if line_end > from {
                let (line, col) = self.position(from);
                let length = self.enc.len(&src[from..line_end]);
                self.push(line, col, length, kind);
            }
            from = newline.map_or(end, |n| n + 1);
        }
    }

    fn push(&mut self, line: usize, col: usize, length: usize, kind: u32) {
        let (prev_line, prev_col) = self.prev;
        let delta_line = line - prev_line;
        let delta_start = if delta_line == 0 { col - prev_col } else { col };
        self.tokens.push(SemanticToken {
            delta_line: to_u32(delta_line),
            delta_start: to_u32(delta_start),
            length: to_u32(length),
            token_type: kind,
            token_modifiers_bitset: 0,
        });
        self.prev = (line, col);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, column, length, type) of each token, decoded.
    fn decoded(src: &str, enc: Encoding) -> Vec<(u32, u32, u32, u32)> {
        let text = Text::new(src.to_owned());
        let mut line = 0;
        let mut col = 0;
        tokens(&text, enc)
            .iter()
            .map(|t| {
                if t.delta_line > 0 {
                    line += t.delta_line;
                    col = t.delta_start;
                } else {
                    col += t.delta_start;
                }
                (line, col, t.length, t.token_type)
            })
            .collect()
    }

    #[test]
    fn commands_tests_tags_strings_variables() {
        let src = "require \"variables\"; # hi\nif header :is \"to\" \"${a}@x\" { keep; }\n";
        assert_eq!(
            decoded(src, Encoding::Utf16),
            [
                (0, 0, 7, KEYWORD),
                (0, 8, 11, STRING),
                (0, 21, 4, COMMENT),
                (1, 0, 2, KEYWORD),
                (1, 3, 6, FUNCTION),
                (1, 10, 3, PARAMETER),
                (1, 14, 4, STRING),
                (1, 19, 1, STRING),
                (1, 20, 4, VARIABLE),
                (1, 24, 3, STRING),
                (1, 30, 4, KEYWORD),
            ]
        );
    }

    #[test]
    fn multi_line_tokens_are_split_and_columns_follow_the_encoding() {
        // A bracket comment over CRLF lines, a text: string, non-ASCII.
        let src = "/* a\r\n b */ fileinto \"Iván 😀\";\nvacation text:\nhé\n.\n;\n";
        let utf16 = decoded(src, Encoding::Utf16);
        assert_eq!(
            utf16,
            [
                (0, 0, 4, COMMENT),
                (1, 0, 5, COMMENT),
                (1, 6, 8, KEYWORD),
                (1, 15, 9, STRING),
                (2, 0, 8, KEYWORD),
                (2, 9, 5, STRING),
                (3, 0, 2, STRING),
                (4, 0, 1, STRING),
            ]
        );
        let utf8 = decoded(src, Encoding::Utf8);
        assert_eq!(utf8[3], (1, 15, 12, STRING));
        assert_eq!(utf8[6], (3, 0, 3, STRING));
    }

    #[test]
    fn broken_and_empty_documents() {
        assert!(decoded("", Encoding::Utf16).is_empty());
        // An unclosed string and comment run to the end; nothing panics.
        let d = decoded("if header \"a", Encoding::Utf16);
        assert_eq!(d.last(), Some(&(0, 10, 2, STRING)));
        let d = decoded("keep; /* open\n\n", Encoding::Utf8);
        assert_eq!(d, [(0, 0, 4, KEYWORD), (0, 6, 7, COMMENT)]);
        // A lone CR is no line break to the document's line index (the
        // one every position of this server uses).
        let lone_cr = decoded("keep;\rstop;", Encoding::Utf8);
        assert_eq!(lone_cr, [(0, 0, 4, KEYWORD), (0, 6, 4, KEYWORD)]);
    }
}
