//! vCard files as address books (`.vcf`): every EMAIL of every card is a
//! member. One line-oriented pass over the text, linear in its length, one
//! reused buffer for the current logical line (no allocation per line).
//!
//! What it reads:
//! - vCard 4.0 (RFC 6350), 3.0 (RFC 2426) and 2.1 (the exports of older
//!   programs), several cards a file, CRLF or LF line ends;
//! - folded lines: a line break followed by one space or tab continues the
//!   line (RFC 6350 §3.2; RFC 2426 §2.6);
//! - groups (`item1.EMAIL`, Apple Contacts; RFC 6350 §3.3) and parameters
//!   (`EMAIL;TYPE=work,pref:`, `EMAIL;TYPE="INTERNET,HOME":`, vCard 2.1's
//!   bare `EMAIL;INTERNET;PREF:`), names without regard to case;
//! - `ENCODING=QUOTED-PRINTABLE` (vCard 2.1) with its soft line breaks (a
//!   line ending in `=` goes on at the next line) and `CHARSET=` UTF-8,
//!   US-ASCII or ISO-8859-1;
//! - text escapes (`\,` `\;` `\\`, RFC 6350 §3.4) and a `mailto:` prefix
//!   (some programs store EMAIL as a URI).
//!
//! What it skips, on purpose: a card without EMAIL (a phone-only contact,
//! a `KIND:group` card) and an EMAIL whose value is empty (Google exports
//! write `EMAIL;TYPE=INTERNET:` for a cleared field). They are counted in
//! [`Stats`].
//!
//! What is an error at `file:line`: a card never closed (at its BEGIN), an
//! END:VCARD without BEGIN, a BEGIN:VCARD inside an open card, content
//! outside a card, a line without `:`, a continuation line with nothing
//! before it, a quoted-printable soft line break at the end of the file, a
//! bad `=XY` escape, decoded bytes that are not text in their charset, an
//! unknown VERSION, a base64-encoded EMAIL, and a member longer than
//! [`super::source::MAX_MEMBER_BYTES`] (checked by the caller).

use super::source::ListError;
use std::path::Path;

/// What a file held besides its members.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Cards read (BEGIN…END).
    pub cards: usize,
    /// Cards that had no EMAIL with a value: skipped.
    pub without_email: usize,
    /// EMAIL values seen (duplicates included).
    pub emails: usize,
}

/// Reads every card of `text` (a whole `.vcf` file, or one CardDAV
/// `address-data`), calling `member(value, line)` for each EMAIL value.
/// `path` names the source in errors; `first_line` is the line number of
/// the text's first line (1 for a file).
pub fn read(
    path: &Path,
    text: &str,
    first_line: usize,
    mut member: impl FnMut(&str, usize) -> Result<(), ListError>,
) -> Result<Stats, ListError> {
    let mut r = Reader {
        path,
        stats: Stats::default(),
        open: None,
        card_emails: 0,
        scratch: Vec::new(),
    };
    // The logical line being built, where it starts, and whether it is
    // quoted-printable (whose soft line breaks join lines).
    let mut cur = String::new();
    let mut cur_line = 0usize;
    let mut cur_qp = false;
    // `lines` drops the `\n` or `\r\n`, and gives no empty last line
    // after a final line break.
    for (this, line) in (first_line..).zip(text.lines()) {
        if !cur.is_empty() && cur_qp && cur.ends_with('=') {
            // Quoted-printable soft line break: `=` CRLF is removed.
            cur.pop();
            cur.push_str(line);
            continue;
        }
        if let Some(rest) = line.strip_prefix([' ', '\t']) {
            if cur.is_empty() {
                if rest.trim().is_empty() {
                    continue;
                }
                return Err(r.bad(
                    this,
                    "a folded line (starting with a space or tab) with no line before it to \
                     continue"
                        .into(),
                ));
            }
            cur.push_str(rest);
            continue;
        }
        if !cur.is_empty() {
            r.logical(&cur, cur_line, &mut member)?;
            cur.clear();
        }
        if line.is_empty() {
            continue;
        }
        cur.push_str(line);
        cur_line = this;
        cur_qp = is_quoted_printable(header(line));
    }
    if !cur.is_empty() {
        if cur_qp && cur.ends_with('=') {
            return Err(r.bad(
                cur_line,
                "a quoted-printable value ends in a soft line break ('=') at the end of the file: \
                 the file is cut short"
                    .into(),
            ));
        }
        r.logical(&cur, cur_line, &mut member)?;
    }
    if let Some(begin) = r.open {
        return Err(r.bad(
            begin,
            "BEGIN:VCARD without END:VCARD: the card is never closed (the file is cut short?)"
                .into(),
        ));
    }
    Ok(r.stats)
}

struct Reader<'a> {
    path: &'a Path,
    stats: Stats,
    /// The line of the open card's BEGIN.
    open: Option<usize>,
    /// EMAIL values of the open card.
    card_emails: usize,
    /// Decoded bytes of a quoted-printable value (reused).
    scratch: Vec<u8>,
}

impl Reader<'_> {
    fn bad(&self, line: usize, message: String) -> ListError {
        ListError::Bad {
            path: self.path.into(),
            line,
            message,
        }
    }

    /// One unfolded content line: `[group.]name *(;param) : value`.
    fn logical(
        &mut self,
        l: &str,
        line: usize,
        member: &mut impl FnMut(&str, usize) -> Result<(), ListError>,
    ) -> Result<(), ListError> {
        let head = header(l);
        if head.len() == l.len() {
            return Err(self.bad(
                line,
                format!(
                    "not a vCard content line (NAME:VALUE): \"{}\"",
                    shorten(l.trim())
                ),
            ));
        }
        let value = &l[head.len() + 1..];
        let mut params = split_unquoted(head, b';');
        let full_name = params.next().unwrap_or("").trim();
        // RFC 6350 §3.3: a group name, then a dot.
        let name = full_name.rsplit('.').next().unwrap_or(full_name);
        if name.eq_ignore_ascii_case("BEGIN") {
            if !value.trim().eq_ignore_ascii_case("VCARD") {
                return Err(self.bad(
                    line,
                    format!("BEGIN:{} is not a vCard", shorten(value.trim())),
                ));
            }
            if let Some(begin) = self.open {
                return Err(self.bad(
                    line,
                    format!(
                        "BEGIN:VCARD inside the card begun at line {begin}, which has no \
                         END:VCARD"
                    ),
                ));
            }
            self.open = Some(line);
            self.card_emails = 0;
            return Ok(());
        }
        if self.open.is_none() {
            return Err(self.bad(
                line,
                if name.eq_ignore_ascii_case("END") {
                    "END:VCARD without BEGIN:VCARD".into()
                } else {
                    format!(
                        "\"{}\" outside a card (before BEGIN:VCARD or after END:VCARD)",
                        shorten(l.trim())
                    )
                },
            ));
        }
        if name.eq_ignore_ascii_case("END") {
            if !value.trim().eq_ignore_ascii_case("VCARD") {
                return Err(self.bad(
                    line,
                    format!(
                        "END:{} inside a card (END:VCARD closes it)",
                        shorten(value.trim())
                    ),
                ));
            }
            self.open = None;
            self.stats.cards += 1;
            if self.card_emails == 0 {
                self.stats.without_email += 1;
            }
            return Ok(());
        }
        if name.eq_ignore_ascii_case("VERSION") {
            let v = value.trim();
            if !matches!(v, "2.1" | "3.0" | "4.0") {
                return Err(self.bad(
                    line,
                    format!(
                        "VERSION:{}: sieve-lint reads vCard 2.1, 3.0 and 4.0",
                        shorten(v)
                    ),
                ));
            }
            return Ok(());
        }
        if !name.eq_ignore_ascii_case("EMAIL") {
            return Ok(());
        }
        let mut qp = false;
        let mut charset = Charset::Utf8;
        for p in params {
            let (k, v) = p.split_once('=').unwrap_or(("", p));
            let (k, v) = (k.trim(), v.trim().trim_matches('"'));
            if k.is_empty() || k.eq_ignore_ascii_case("ENCODING") {
                if v.eq_ignore_ascii_case("QUOTED-PRINTABLE") {
                    qp = true;
                } else if v.eq_ignore_ascii_case("B") || v.eq_ignore_ascii_case("BASE64") {
                    return Err(self.bad(
                        line,
                        "a base64-encoded EMAIL: an address is text; export the address \
                         book again as vCard 3.0 or 4.0"
                            .into(),
                    ));
                }
            } else if k.eq_ignore_ascii_case("CHARSET") {
                charset = if v.eq_ignore_ascii_case("UTF-8") || v.eq_ignore_ascii_case("US-ASCII") {
                    Charset::Utf8
                } else if v.eq_ignore_ascii_case("ISO-8859-1") || v.eq_ignore_ascii_case("LATIN1") {
                    Charset::Latin1
                } else {
                    Charset::Other
                };
            }
        }
        let decoded: std::borrow::Cow<'_, str> = if qp {
            self.scratch.clear();
            decode_qp(value, &mut self.scratch).map_err(|at| {
                self.bad(
                    line,
                    format!(
                        "a bad quoted-printable escape \"{}\" (= must be followed by two \
                         hexadecimal digits)",
                        shorten(&value[at..].chars().take(3).collect::<String>())
                    ),
                )
            })?;
            match charset {
                Charset::Utf8 => std::str::from_utf8(&self.scratch)
                    .map_err(|_| {
                        self.bad(
                            line,
                            "the quoted-printable EMAIL decodes to bytes that are not UTF-8 \
                             (add CHARSET=ISO-8859-1 if it is Latin-1)"
                                .into(),
                        )
                    })?
                    .to_owned()
                    .into(),
                Charset::Latin1 => self.scratch.iter().map(|&b| char::from(b)).collect(),
                Charset::Other => {
                    if !self.scratch.is_ascii() {
                        return Err(self.bad(
                            line,
                            "an EMAIL in a character set sieve-lint does not read (UTF-8, \
                             US-ASCII and ISO-8859-1 are read)"
                                .into(),
                        ));
                    }
                    String::from_utf8_lossy(&self.scratch).into_owned().into()
                }
            }
        } else {
            value.into()
        };
        let v = unescape(decoded.trim());
        let v = v.trim();
        let v = strip_mailto(v);
        self.stats.emails += 1;
        if v.is_empty() {
            return Ok(());
        }
        self.card_emails += 1;
        member(v, line)
    }
}

#[derive(Clone, Copy)]
enum Charset {
    Utf8,
    Latin1,
    Other,
}

/// The part of a content line before its first `:` outside double quotes
/// (a parameter value may be quoted and hold a colon, RFC 6350 §3.3); the
/// whole line if it has none.
fn header(l: &str) -> &str {
    let mut quoted = false;
    for (i, b) in l.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b':' if !quoted => return &l[..i],
            _ => {}
        }
    }
    l
}

/// Splits at `sep` outside double quotes.
fn split_unquoted(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut quoted = false;
    let mut done = false;
    let bytes = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            if b == b'"' {
                quoted = !quoted;
            } else if b == sep && !quoted {
                let part = &s[start..i - 1];
                start = i;
                return Some(part);
            }
        }
        done = true;
        Some(&s[start..])
    })
}

/// Whether a property's parameters say quoted-printable (vCard 2.1:
/// `ENCODING=QUOTED-PRINTABLE` or the bare `QUOTED-PRINTABLE`).
fn is_quoted_printable(head: &str) -> bool {
    split_unquoted(head, b';').skip(1).any(|p| {
        let v = p.split_once('=').map_or(p, |(_, v)| v);
        v.trim()
            .trim_matches('"')
            .eq_ignore_ascii_case("QUOTED-PRINTABLE")
    })
}

/// Quoted-printable (RFC 2045 §6.7) into `out`; `Err(byte offset)` of a bad
/// escape. Soft line breaks were joined by the reader.
fn decode_qp(s: &str, out: &mut Vec<u8>) -> Result<(), usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            let hex = |c: u8| (c as char).to_digit(16);
            match (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                }
                _ => return Err(i),
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(())
}

/// RFC 6350 §3.4 text escapes: `\,` `\;` `\:` `\\` are the character,
/// `\n` a line break (never in an address; kept so it shows).
fn unescape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\\') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(n) => out.push(n),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// `mailto:a@example.org` (any case) is the address.
fn strip_mailto(v: &str) -> &str {
    match v.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("mailto:") => v[7..].trim(),
        _ => v,
    }
}

/// At most 60 characters of `s`, for messages.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(text: &str) -> Result<(Vec<(String, usize)>, Stats), ListError> {
        let mut v = Vec::new();
        let stats = read(Path::new("t.vcf"), text, 1, |m, l| {
            v.push((m.to_owned(), l));
            Ok(())
        })?;
        Ok((v, stats))
    }

    fn line_of(e: ListError) -> usize {
        match e {
            ListError::Bad { line, .. } => line,
            other => panic!("expected a located error, got {other:?}"),
        }
    }

    #[test]
    fn vcard4_with_groups_params_and_folding() {
        let text = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann\r\nitem1.EMAIL;TYPE=work,pref:ann@\r\n \
                    example.org\r\nEMAIL;TYPE=\"home,x:y\":mailto:Ann.H@Example.org\r\nEND:VCARD\r\n";
        let (m, stats) = members(text).expect("valid");
        assert_eq!(
            m,
            vec![
                ("ann@example.org".to_owned(), 4),
                ("Ann.H@Example.org".to_owned(), 6)
            ]
        );
        assert_eq!(stats.cards, 1);
        assert_eq!(stats.without_email, 0);
    }

    #[test]
    fn quoted_printable_with_a_soft_line_break() {
        let text = "BEGIN:VCARD\nVERSION:2.1\nEMAIL;INTERNET;ENCODING=QUOTED-PRINTABLE:j=C3=BCrgen=\n@example.de\n\
                    EMAIL;QUOTED-PRINTABLE;CHARSET=ISO-8859-1:m=FCller@example.de\nEND:VCARD\n";
        let (m, _) = members(text).expect("valid");
        assert_eq!(m[0], ("jürgen@example.de".to_owned(), 3));
        assert_eq!(m[1], ("müller@example.de".to_owned(), 5));
    }

    #[test]
    fn a_bad_escape_before_a_multibyte_character_is_a_located_error() {
        // Found by the lists fuzz target: the message quoted the escape by
        // bytes and cut the U+FEFF after it in two.
        let text =
            "BEGIN:VCARD\nVERSION:2.1\nEMAIL;ENCODING=QUOTED-PRINTABLE:a=E\u{feff}x\nEND:VCARD\n";
        let e = members(text).expect_err("bad escape");
        assert!(e.to_string().contains("\"=E\u{feff}\""), "{e}");
        assert_eq!(line_of(e), 3);
    }

    #[test]
    fn a_card_without_email_and_an_empty_email_are_skipped_and_counted() {
        let text = "BEGIN:VCARD\nVERSION:3.0\nFN:Phone only\nTEL:+1\nEND:VCARD\n\
                    BEGIN:VCARD\nVERSION:3.0\nEMAIL;TYPE=INTERNET:\nEND:VCARD\n";
        let (m, stats) = members(text).expect("valid");
        assert!(m.is_empty());
        assert_eq!(
            stats,
            Stats {
                cards: 2,
                without_email: 2,
                emails: 1
            }
        );
    }

    #[test]
    fn broken_files_are_errors_at_their_line() {
        let cases: &[(&str, usize)] = &[
            ("BEGIN:VCARD\nVERSION:3.0\nEMAIL:a@b\n", 1),
            ("EMAIL:a@b\n", 1),
            ("BEGIN:VCARD\nEND:VCARD\nEND:VCARD\n", 3),
            ("BEGIN:VCARD\nEMAIL:a@b\nBEGIN:VCARD\nEND:VCARD\n", 3),
            ("BEGIN:VCARD\nno colon here\nEND:VCARD\n", 2),
            (" folded at the start\n", 1),
            ("BEGIN:VCARD\nEMAIL;ENCODING=QUOTED-PRINTABLE:a=\n", 2),
            (
                "BEGIN:VCARD\nEMAIL;ENCODING=QUOTED-PRINTABLE:a=ZZ@b\nEND:VCARD\n",
                2,
            ),
            (
                "BEGIN:VCARD\nEMAIL;ENCODING=QUOTED-PRINTABLE:=FF@b\nEND:VCARD\n",
                2,
            ),
            ("BEGIN:VCARD\nVERSION:5.0\nEND:VCARD\n", 2),
            ("BEGIN:VCARD\nEMAIL;ENCODING=b:YUBi\nEND:VCARD\n", 2),
            ("BEGIN:VCALENDAR\n", 1),
        ];
        for (text, line) in cases {
            let e = members(text).expect_err(text);
            assert_eq!(line_of(e), *line, "{text:?}");
        }
    }

    #[test]
    fn escapes_and_blank_lines_between_cards() {
        let text = "\nBEGIN:VCARD\nEMAIL:a\\,b@example.org\nEND:VCARD\n\n\nBEGIN:VCARD\nEMAIL:MAILTO:c@example.org\nEND:VCARD";
        let (m, _) = members(text).expect("valid");
        let m: Vec<_> = m.into_iter().map(|(m, _)| m).collect();
        assert_eq!(m, vec!["a,b@example.org", "c@example.org"]);
    }
}
