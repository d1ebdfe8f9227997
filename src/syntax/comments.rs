//! Where the comments of a script are: hash comments (`# …` to the end of
//! the line) and bracket comments (`/* … */`), never text inside quoted
//! strings or `text:` strings. Used by suppressions and by the fixer (which
//! must never drop a comment).
//!
//! The scan follows the lexical rules of `scan.rs` (RFC 5228 §2.3, §2.4.2)
//! but keeps no command structure: it is one linear pass.

use super::ast::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentKind {
    /// `# …`
    Hash,
    /// `/* … */`
    Bracket,
}

/// One comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comment {
    pub kind: CommentKind,
    /// The whole comment, markers included (a hash comment ends before its
    /// line break, and before a `\r` of a CRLF line end).
    pub span: Span,
    /// The text between the markers.
    pub body: Span,
}

/// The comments of a script, in source order, and where its first token
/// that is not a comment stands.
#[derive(Debug, Clone, Default)]
pub struct Comments {
    pub comments: Vec<Comment>,
    /// The offset of the first byte that is neither white space nor part of
    /// a comment (nor a leading byte order mark); `None` when there is none.
    pub first_code: Option<usize>,
}

/// Finds every comment of `src`. Unterminated strings and comments run to
/// the end of the script (the parser reports them).
pub fn comments(src: &str) -> Comments {
    let b = src.as_bytes();
    let mut out = Comments::default();
    let mut pos = if b.starts_with("\u{feff}".as_bytes()) {
        3
    } else {
        0
    };
    let code = |out: &mut Comments, at: usize| {
        if out.first_code.is_none() {
            out.first_code = Some(at);
        }
    };
    while pos < b.len() {
        match b[pos] {
            b'#' => pos = hash_comment(b, pos, &mut out.comments),
            b'/' if b.get(pos + 1) == Some(&b'*') => {
                let close = find(b, pos + 2, b"*/");
                let end = close.map_or(b.len(), |e| e + 2);
                out.comments.push(Comment {
                    kind: CommentKind::Bracket,
                    span: Span::new(pos, end),
                    body: Span::new((pos + 2).min(b.len()), close.unwrap_or(b.len())),
                });
                pos = end;
            }
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            b'"' => {
                code(&mut out, pos);
                pos += 1;
                while pos < b.len() && b[pos] != b'"' {
                    pos += if b[pos] == b'\\' { 2 } else { 1 };
                }
                pos = (pos + 1).min(b.len());
            }
            b':' => {
                code(&mut out, pos);
                pos = ident_end(b, pos + 1);
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                code(&mut out, pos);
                let end = ident_end(b, pos);
                if end - pos == 4
                    && b[pos..end].eq_ignore_ascii_case(b"text")
                    && b.get(end) == Some(&b':')
                {
                    pos = multi_line(b, end + 1, &mut out.comments);
                } else {
                    pos = end;
                }
            }
            _ => {
                code(&mut out, pos);
                pos += 1;
            }
        }
    }
    out
}

/// At `#`: records the comment, returns the offset of its line break.
fn hash_comment(b: &[u8], pos: usize, out: &mut Vec<Comment>) -> usize {
    let le = line_end(b, pos);
    let end = if le > pos + 1 && b[le - 1] == b'\r' && le < b.len() {
        le - 1
    } else {
        le
    };
    out.push(Comment {
        kind: CommentKind::Hash,
        span: Span::new(pos, end),
        body: Span::new(pos + 1, end),
    });
    le
}

/// After `text:`: the rest of that line may hold a hash comment; the string
/// runs to a line holding only `.`. Returns the offset after that line.
fn multi_line(b: &[u8], mut p: usize, out: &mut Vec<Comment>) -> usize {
    while p < b.len() && (b[p] == b' ' || b[p] == b'\t') {
        p += 1;
    }
    if p < b.len() && b[p] == b'#' {
        hash_comment(b, p, out);
    }
    p = (line_end(b, p) + 1).min(b.len());
    while p < b.len() {
        let le = line_end(b, p);
        let line = &b[p..le];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line == b"." {
            return (le + 1).min(b.len());
        }
        p = (le + 1).min(b.len());
    }
    b.len()
}

fn line_end(b: &[u8], pos: usize) -> usize {
    b[pos.min(b.len())..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |i| pos + i)
}

fn ident_end(b: &[u8], mut p: usize) -> usize {
    while p < b.len() && (b[p].is_ascii_alphanumeric() || b[p] == b'_') {
        p += 1;
    }
    p
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(src: &str) -> Vec<&str> {
        comments(src)
            .comments
            .iter()
            .map(|c| &src[c.body.range()])
            .collect()
    }

    #[test]
    fn finds_hash_and_bracket_comments() {
        let src = "# one\r\nkeep; /* two */ # three\n";
        assert_eq!(bodies(src), [" one", " two ", " three"]);
        assert_eq!(comments(src).first_code, Some(7));
    }

    #[test]
    fn ignores_comment_markers_inside_strings() {
        let src = "fileinto \"# not /* a */ comment\\\" # still\"; # real\n";
        assert_eq!(bodies(src), [" real"]);
    }

    #[test]
    fn ignores_text_blocks_but_keeps_the_comment_after_text_colon() {
        let src = "reject text: # after\r\n# inside\n/* inside */\n.\n;\n# out\n";
        assert_eq!(bodies(src), [" after", " out"]);
    }

    #[test]
    fn unterminated_constructs_end_at_the_end() {
        assert_eq!(bodies("keep; /* open"), [" open"]);
        assert_eq!(bodies("keep \"open # x"), Vec::<&str>::new());
        assert_eq!(comments("   \n# only\n").first_code, None);
    }
}
