//! E-mail addresses as Sieve scripts write them, parsed once for every
//! place that takes one: `redirect` (RFC 5228 §4.2), `vacation :from` and
//! `:addresses` (RFC 5230 §4.3, §4.5), `notify :from` (RFC 5435 §3.3,
//! RFC 5436 §2.3), the recipients of a `mailto:` URI (RFC 6068 §2), and
//! the dry run's redirect.
//!
//! RFC 5228 §2.4.2.3 gives the form, in the symbols of RFC 5322 §3
//! (RFC 2822 when it was written):
//!
//! ```text
//! sieve-address = addr-spec                ; simple address
//!               / phrase "<" addr-spec ">" ; name & addr-spec
//! ```
//!
//! and forbids routes, groups and several addresses in one string.
//! [`parse_mailbox`] accepts RFC 5322's `mailbox`, which is that plus the
//! optional white space and comments (CFWS) RFC 5322 allows around every
//! word and the `<addr-spec>` without a name; `local-part` and `domain`
//! include the obsolete forms of RFC 5322 §4.4 (`john . doe@example.com`),
//! which §4 says receivers "MUST accept" and servers' parsers do. A
//! false error is the worst outcome, so every form a conforming parser
//! takes is taken. Non-ASCII text is allowed (RFC 6532 §3.2). White space
//! is any of space, tab, CR and LF (a Sieve `text:` string ends in a line
//! break).
//!
//! [`parse_addr_spec`] is the strict `addr-spec` of RFC 6068 §2 (mailto):
//! no comments, no white space, no obsolete forms.
//!
//! Every path is one pass over the input: comments nest without
//! recursion (a depth counter), so a 100 KB address or comments nested
//! 10,000 deep cost only their length.

use std::ops::Range;

/// One parsed address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    /// `local-part "@" domain`, without comments or white space.
    pub addr_spec: String,
    /// Bytes of the local part in [`Mailbox::addr_spec`].
    pub local_len: usize,
    /// Where the addr-spec is in the input.
    pub range: Range<usize>,
    /// Written with a display name or angle brackets.
    pub angle: bool,
}

impl Mailbox {
    pub fn local_part(&self) -> &str {
        &self.addr_spec[..self.local_len]
    }

    pub fn domain(&self) -> &str {
        &self.addr_spec[self.local_len + 1..]
    }

    /// RFC 5321 §4.5.3.1.1/§4.5.3.1.2: SMTP servers need not take a local
    /// part over 64 octets or a domain over 255. Valid as an address, but
    /// a relay may refuse it.
    pub fn smtp_limit(&self) -> Option<String> {
        let (local, domain) = (self.local_part().len(), self.domain().len());
        if local > 64 {
            Some(format!(
                "the local part has {local} octets; SMTP servers need take only 64 (RFC 5321 §4.5.3.1.1)"
            ))
        } else if domain > 255 {
            Some(format!(
                "the domain has {domain} octets; SMTP servers need take only 255 (RFC 5321 §4.5.3.1.2)"
            ))
        } else {
            None
        }
    }
}

/// Why a string is not an address, and where (byte range of the input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressError {
    pub range: Range<usize>,
    pub reason: String,
    pub help: Option<String>,
    /// The error is that the string holds several addresses (a `,`
    /// between two of them).
    pub several: bool,
}

impl AddressError {
    fn new(range: Range<usize>, reason: impl Into<String>) -> AddressError {
        AddressError {
            range,
            reason: reason.into(),
            help: None,
            several: false,
        }
    }

    fn help(mut self, help: impl Into<String>) -> AddressError {
        self.help = Some(help.into());
        self
    }
}

type Res<T> = Result<T, AddressError>;

/// A `sieve-address` (RFC 5228 §2.4.2.3): RFC 5322 `name-addr` or
/// `addr-spec`, one address, no group, no route.
pub fn parse_mailbox(s: &str) -> Res<Mailbox> {
    if s.len() > 7
        && s.get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
    {
        return Err(AddressError::new(0..7, "a `mailto:` URI is not an address")
            .help(format!("write {}", crate::diagnostic::show(&s[7..]))));
    }
    let toks = lex(s, false)?;
    if toks.is_empty() {
        return Err(AddressError::new(0..s.len(), "the address is empty"));
    }
    if let Some(k) = toks.iter().position(|t| t.kind == Kind::Special(b',')) {
        let at = |ts: &[Tok]| ts.iter().any(|x| x.kind == Kind::Special(b'@'));
        let range = toks[k].range.clone();
        if at(&toks[..k]) && at(&toks[k + 1..]) {
            let mut e = AddressError::new(range, "a comma between two addresses")
                .help("one address per string: a string list holds several");
            e.several = true;
            return Err(e);
        }
        return Err(AddressError::new(range, "a comma outside quotes").help(
            "a display name with a comma is quoted: \"\\\"Smith, Bob\\\" <bob@example.com>\"",
        ));
    }
    mailbox(s, &toks)
}

/// An RFC 5322 `mailbox-list` (RFC 5230 §4.3 `:from`): one or more
/// mailboxes separated by commas (empty members, obsolete, allowed).
pub fn parse_mailbox_list(s: &str) -> Res<Vec<Mailbox>> {
    let toks = lex(s, false)?;
    let mut out = Vec::new();
    for part in toks.split(|t| t.kind == Kind::Special(b',')) {
        if !part.is_empty() {
            out.push(mailbox(s, part)?);
        }
    }
    if out.is_empty() {
        return Err(AddressError::new(0..s.len(), "no address"));
    }
    Ok(out)
}

/// A strict `addr-spec` (RFC 6068 §2): `dot-atom / quoted-string` "@"
/// `dot-atom / domain-literal`, no comments, no white space outside
/// quotes, no obsolete forms.
pub fn parse_addr_spec(s: &str) -> Res<Mailbox> {
    let toks = lex(s, true)?;
    if toks.is_empty() {
        return Err(AddressError::new(0..s.len(), "the address is empty"));
    }
    let m = addr_spec(s, &toks, true)?;
    Ok(m)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `1*atext`
    Atom,
    /// A quoted string, quotes included.
    Quoted,
    /// `[…]`, brackets included.
    Literal,
    /// One of `< > @ , : ; .`
    Special(u8),
}

#[derive(Debug, Clone)]
struct Tok {
    kind: Kind,
    range: Range<usize>,
    /// White space or a comment right before it.
    gap: bool,
}

/// RFC 5322 §3.2.3 atext, with non-ASCII (RFC 6532 §3.2).
fn is_atext(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b) || b >= 0x80
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The char at byte `i` (for messages).
fn char_at(s: &str, i: usize) -> (String, Range<usize>) {
    let c = s[i..].chars().next().unwrap_or('\u{fffd}');
    (
        crate::diagnostic::show(&c.to_string()),
        i..i + c.len_utf8().max(1),
    )
}

/// Splits `s` into RFC 5322 lexical tokens, dropping CFWS (noting where
/// it was). `strict`: no comments, no white space outside quotes.
fn lex(s: &str, strict: bool) -> Res<Vec<Tok>> {
    let b = s.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut gap = false;
    while i < b.len() {
        let c = b[i];
        if is_ws(c) {
            if strict {
                return Err(AddressError::new(i..i + 1, "a blank in the address"));
            }
            gap = true;
            i += 1;
            continue;
        }
        let start = i;
        let kind = match c {
            b'(' => {
                if strict {
                    return Err(AddressError::new(i..i + 1, "a comment in the address"));
                }
                i = comment_end(s, i)?;
                gap = true;
                continue;
            }
            b'"' => {
                i = quoted_end(s, i)?;
                Kind::Quoted
            }
            b'[' => {
                i = literal_end(s, i, strict)?;
                Kind::Literal
            }
            b'<' | b'>' | b'@' | b',' | b':' | b';' | b'.' => {
                i += 1;
                Kind::Special(c)
            }
            _ if is_atext(c) => {
                while i < b.len() && is_atext(b[i]) {
                    i += 1;
                }
                Kind::Atom
            }
            b')' => {
                return Err(AddressError::new(
                    i..i + 1,
                    "`)` closes no comment (a comment is written `(…)`)",
                ));
            }
            _ => {
                let (shown, range) = char_at(s, i);
                let reason = if c.is_ascii_control() {
                    format!("a control character {shown}")
                } else {
                    format!("{shown} is not allowed outside quotes")
                };
                return Err(AddressError::new(range, reason).help(
                    "characters other than letters, digits and !#$%&'*+-/=?^_`{|}~ need a quoted \
                     local part: \"\\\"john doe\\\"@example.com\"",
                ));
            }
        };
        toks.push(Tok {
            kind,
            range: start..i,
            gap,
        });
        gap = false;
    }
    Ok(toks)
}

/// `quoted-pair` or a character inside quotes, a comment or a literal:
/// returns the index after it, or an error for NUL (RFC 5322 has no way
/// to write it).
fn inner_char(s: &str, i: usize, what: &str) -> Res<usize> {
    let b = s.as_bytes();
    if b[i] == 0 {
        return Err(AddressError::new(i..i + 1, format!("a NUL in the {what}")));
    }
    if b[i] == b'\\' {
        // quoted-pair = "\" (VCHAR / WSP), obs-qp any but NUL.
        return match b.get(i + 1) {
            None => Err(AddressError::new(
                i..i + 1,
                format!("a backslash ends the {what}"),
            )),
            Some(0) => Err(AddressError::new(i..i + 2, format!("a NUL in the {what}"))),
            Some(_) => Ok(i + 1 + s[i + 1..].chars().next().map_or(1, char::len_utf8)),
        };
    }
    Ok(i + 1)
}

/// RFC 5322 §3.2.4: the index after the closing quote.
fn quoted_end(s: &str, open: usize) -> Res<usize> {
    let b = s.as_bytes();
    let mut i = open + 1;
    while i < b.len() {
        if b[i] == b'"' {
            return Ok(i + 1);
        }
        i = inner_char(s, i, "quoted string")?;
    }
    Err(AddressError::new(
        open..s.len(),
        "the quoted string is not closed",
    ))
}

/// RFC 5322 §3.2.2: comments nest; a depth counter, no recursion.
fn comment_end(s: &str, open: usize) -> Res<usize> {
    let b = s.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    return Ok(i);
                }
            }
            _ => i = inner_char(s, i, "comment")?,
        }
    }
    Err(
        AddressError::new(open..s.len(), "the comment is not closed")
            .help("a comment is written `(…)`; its parentheses must balance"),
    )
}

/// RFC 5322 §3.4.1 domain-literal: `[` dtext `]`, dtext printable ASCII
/// but `[`, `]` and `\` (obsolete: quoted pairs, §4.4).
fn literal_end(s: &str, open: usize, strict: bool) -> Res<usize> {
    let b = s.as_bytes();
    let mut i = open + 1;
    while i < b.len() {
        match b[i] {
            b']' => return Ok(i + 1),
            b'[' => {
                return Err(AddressError::new(
                    i..i + 1,
                    "`[` is not allowed in a domain literal",
                ));
            }
            b'\\' if strict => {
                return Err(AddressError::new(
                    i..i + 1,
                    "`\\` is not allowed in a domain literal",
                ));
            }
            c if is_ws(c) && strict => {
                return Err(AddressError::new(i..i + 1, "a blank in the domain literal"));
            }
            _ => i = inner_char(s, i, "domain literal")?,
        }
    }
    Err(AddressError::new(
        open..s.len(),
        "the domain literal is not closed with `]`",
    ))
}

fn is_word(t: &Tok) -> bool {
    matches!(t.kind, Kind::Atom | Kind::Quoted)
}

/// `name-addr / addr-spec` over the tokens of one mailbox.
fn mailbox(s: &str, toks: &[Tok]) -> Res<Mailbox> {
    let Some(open) = toks.iter().position(|t| t.kind == Kind::Special(b'<')) else {
        if let Some(t) = toks.iter().find(|t| t.kind == Kind::Special(b'>')) {
            return Err(AddressError::new(t.range.clone(), "`>` without `<`"));
        }
        if let Some(t) = toks.iter().find(|t| t.kind == Kind::Special(b':')) {
            return Err(group_error(t));
        }
        return addr_spec(s, toks, false);
    };
    // display-name = phrase = 1*word / obs-phrase (word *(word / "." /
    // CFWS)); RFC 5322 also allows none.
    for (k, t) in toks[..open].iter().enumerate() {
        if is_word(t) || (k > 0 && t.kind == Kind::Special(b'.')) {
            continue;
        }
        return Err(match t.kind {
            Kind::Special(b':') => group_error(t),
            Kind::Special(c) => AddressError::new(
                t.range.clone(),
                format!("`{}` in the display name", c as char),
            )
            .help("quote a display name with special characters: \"\\\"Bob (work)\\\" <bob@example.com>\""),
            _ => AddressError::new(t.range.clone(), "not allowed in a display name"),
        });
    }
    let Some(close) = toks[open..]
        .iter()
        .position(|t| t.kind == Kind::Special(b'>'))
        .map(|p| open + p)
    else {
        return Err(AddressError::new(
            toks[open].range.start..s.len(),
            "`<` is not closed with `>`",
        ));
    };
    if let Some(t) = toks.get(close + 1) {
        return Err(AddressError::new(
            t.range.start..toks[toks.len() - 1].range.end,
            "text after the closing `>`",
        ));
    }
    let inner = &toks[open + 1..close];
    if inner.is_empty() {
        return Err(AddressError::new(
            toks[open].range.start..toks[close].range.end,
            "no address between `<` and `>`",
        ));
    }
    if inner[0].kind == Kind::Special(b'@') {
        // obs-route = obs-domain-list ":"
        return Err(AddressError::new(
            inner[0].range.start..toks[close].range.start,
            "a source route (`<@host:user@domain>`) is not permitted (RFC 5228 §2.4.2.3)",
        ));
    }
    let mut m = addr_spec(s, inner, false)?;
    m.angle = true;
    Ok(m)
}

fn group_error(t: &Tok) -> AddressError {
    AddressError::new(
        t.range.clone(),
        "group syntax (`name: addresses;`) is not permitted (RFC 5228 §2.4.2.3)",
    )
}

/// `local-part "@" domain` over `toks`, which hold exactly one.
fn addr_spec(s: &str, toks: &[Tok], strict: bool) -> Res<Mailbox> {
    let all = toks[0].range.start..toks[toks.len() - 1].range.end;
    let Some(at) = toks.iter().position(|t| t.kind == Kind::Special(b'@')) else {
        return Err(
            AddressError::new(all, "no `@`: an address is local-part@domain")
                .help("an address is local-part@domain, e.g. \"bob@example.com\""),
        );
    };
    if at == 0 {
        return Err(AddressError::new(
            toks[0].range.clone(),
            "the local part before `@` is empty",
        ));
    }
    let local = dotted(s, &toks[..at], "local part", strict)?;
    let domain_toks = &toks[at + 1..];
    if domain_toks.is_empty() {
        return Err(AddressError::new(
            toks[at].range.clone(),
            "the domain after `@` is empty",
        ));
    }
    if let Some(t) = domain_toks.iter().find(|t| t.kind == Kind::Special(b'@')) {
        return Err(AddressError::new(t.range.clone(), "a second `@`")
            .help("an address has one `@` outside quotes"));
    }
    let domain = if domain_toks[0].kind == Kind::Literal {
        if let Some(t) = domain_toks.get(1) {
            return Err(AddressError::new(
                t.range.clone(),
                "text after the domain literal",
            ));
        }
        s[domain_toks[0].range.clone()].to_string()
    } else {
        if let Some(t) = domain_toks.iter().find(|t| t.kind == Kind::Quoted) {
            return Err(AddressError::new(
                t.range.clone(),
                "a quoted string in the domain",
            ));
        }
        dotted(s, domain_toks, "domain", strict)?
    };
    let local_len = local.len();
    Ok(Mailbox {
        addr_spec: format!("{local}@{domain}"),
        local_len,
        range: all,
        angle: false,
    })
}

/// `word *("." word)` (obs-local-part, obs-domain; a dot-atom when
/// `strict`: one quoted string, or atoms with no gap around the dots).
fn dotted(s: &str, toks: &[Tok], what: &str, strict: bool) -> Res<String> {
    let mut out = String::new();
    let mut want_word = true;
    for (k, t) in toks.iter().enumerate() {
        if want_word {
            if is_word(t) {
                if strict && t.kind == Kind::Quoted && toks.len() > 1 {
                    return Err(AddressError::new(
                        t.range.clone(),
                        format!("a quoted string is the whole {what} or none of it"),
                    ));
                }
                out.push_str(&s[t.range.clone()]);
                want_word = false;
                continue;
            }
            let reason = match (t.kind, k) {
                (Kind::Special(b'.'), 0) => format!("the {what} starts with a dot"),
                (Kind::Special(b'.'), _) => format!("two dots in a row in the {what}"),
                (Kind::Special(c), _) => format!("`{}` is not allowed in the {what}", c as char),
                _ => format!("not allowed in the {what}"),
            };
            return Err(AddressError::new(t.range.clone(), reason));
        }
        match t.kind {
            Kind::Special(b'.') => {
                out.push('.');
                want_word = true;
            }
            _ if is_word(t) && t.gap => {
                let blank = toks[k - 1].range.end..t.range.start;
                return Err(AddressError::new(blank, format!("a blank in the {what}"))
                    .help("a local part with blanks is quoted: \"\\\"john doe\\\"@example.com\""));
            }
            _ if is_word(t) => {
                // `"john"doe`: words meet without a dot (atoms would
                // have been one token).
                return Err(AddressError::new(
                    t.range.clone(),
                    format!("expected `.` or `@` after the quoted part of the {what}"),
                ));
            }
            Kind::Special(c) => {
                return Err(AddressError::new(
                    t.range.clone(),
                    format!("`{}` is not allowed in the {what}", c as char),
                ));
            }
            _ => {
                return Err(AddressError::new(
                    t.range.clone(),
                    format!("not allowed in the {what}"),
                ));
            }
        }
    }
    if want_word {
        let last = &toks[toks.len() - 1];
        return Err(AddressError::new(
            last.range.clone(),
            format!("the {what} ends with a dot"),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> String {
        parse_mailbox(s)
            .unwrap_or_else(|e| panic!("{s:?}: {e:?}"))
            .addr_spec
    }

    fn err(s: &str) -> AddressError {
        parse_mailbox(s).expect_err(s)
    }

    #[test]
    fn common() {
        assert_eq!(ok("bob@example.com"), "bob@example.com");
        assert_eq!(
            ok("alice.smith+sieve@mail.example.org"),
            "alice.smith+sieve@mail.example.org"
        );
        assert_eq!(ok("Bob Smith <bob@example.com>"), "bob@example.com");
        assert_eq!(ok("\"Smith, Bob\" <bob@example.com>"), "bob@example.com");
        assert_eq!(ok(" bob@example.com"), "bob@example.com");
        assert_eq!(ok("bob@example.com \r\n"), "bob@example.com");
        assert!(parse_mailbox("Bob <bob@example.com>").unwrap().angle);
    }

    #[test]
    fn uncommon_but_valid() {
        assert_eq!(ok("<bob@example.com>"), "bob@example.com");
        assert_eq!(ok("bob@example.com (Bob Smith)"), "bob@example.com");
        assert_eq!(
            ok("(a (nested) comment) bob@example.com"),
            "bob@example.com"
        );
        assert_eq!(ok("Bob J. Smith <bob@example.com>"), "bob@example.com");
        assert_eq!(ok("\"john doe\"@example.com"), "\"john doe\"@example.com");
        assert_eq!(ok("\"a\\\"b@c\"@example.com"), "\"a\\\"b@c\"@example.com");
        assert_eq!(ok("postmaster@[192.0.2.1]"), "postmaster@[192.0.2.1]");
        assert_eq!(ok("user@[IPv6:2001:db8::1]"), "user@[IPv6:2001:db8::1]");
        assert_eq!(ok("josé@exämple.de"), "josé@exämple.de");
        assert_eq!(ok("Jörg <jörg@example.de>"), "jörg@example.de");
        // RFC 5322 §4.4 obsolete forms, which receivers must accept.
        assert_eq!(ok("john . doe @ example . com"), "john.doe@example.com");
        assert_eq!(ok("\"john\".doe@example.com"), "\"john\".doe@example.com");
        assert_eq!(ok("< bob@example.com >"), "bob@example.com");
        let m = parse_mailbox("Bob <bob@example.com>").unwrap();
        assert_eq!((m.local_part(), m.domain()), ("bob", "example.com"));
        assert_eq!(m.range, 5..20);
    }

    #[test]
    fn limits() {
        assert_eq!(ok("a@b"), "a@b");
        assert_eq!(
            ok("!#$%&'*+-/=?^_`{|}~@example.com"),
            "!#$%&'*+-/=?^_`{|}~@example.com"
        );
        assert_eq!(ok("\"\"@example.com"), "\"\"@example.com");
        let local = "a".repeat(64);
        assert!(
            parse_mailbox(&format!("{local}@example.com"))
                .unwrap()
                .smtp_limit()
                .is_none()
        );
        let long = parse_mailbox(&format!("a{local}@example.com")).unwrap();
        assert!(long.smtp_limit().unwrap().contains("65 octets"));
    }

    #[test]
    fn invalid() {
        assert_eq!(err("").reason, "the address is empty");
        assert_eq!(err("   ").reason, "the address is empty");
        assert!(err("bob").reason.contains("no `@`"));
        assert!(
            err("@example.com")
                .reason
                .contains("local part before `@` is empty")
        );
        assert!(err("bob@").reason.contains("domain after `@` is empty"));
        assert!(err("bob..smith@example.com").reason.contains("two dots"));
        assert!(err(".bob@example.com").reason.contains("starts with a dot"));
        assert!(err("bob@example.com.").reason.contains("ends with a dot"));
        let e = err("bob smith@example.com");
        assert_eq!(
            (e.reason.as_str(), e.range.clone()),
            ("a blank in the local part", 3..4)
        );
        assert!(err("\"john doe@example.com").reason.contains("not closed"));
        assert!(
            err("\"john\"doe@example.com")
                .reason
                .contains("expected `.`")
        );
        let e = err("bob@example.com, alice@example.com");
        assert!(e.several && e.range == (15..16));
        assert!(
            err("Smith, Bob <bob@example.com>")
                .reason
                .contains("comma outside quotes")
        );
        assert!(
            err("friends: bob@example.com;")
                .reason
                .contains("group syntax")
        );
        assert!(
            err("<@relay.example:bob@example.com>")
                .reason
                .contains("source route")
        );
        assert!(err("mailto:bob@example.com").reason.contains("mailto"));
        assert!(err("bob@a@example.com").reason.contains("second `@`"));
        assert!(err("Bob <bob@example.com").reason.contains("not closed"));
        assert!(
            err("Bob <bob@example.com> x")
                .reason
                .contains("after the closing")
        );
        assert!(
            err("bob@example.com (unclosed")
                .reason
                .contains("comment is not closed")
        );
        assert!(err("bob@example.com)").reason.contains("closes no comment"));
        assert!(err("bob@[192.0.2.1").reason.contains("not closed"));
        assert!(err("bob\u{1}@example.com").reason.contains("control"));
        assert!(err("\"a\0b\"@example.com").reason.contains("NUL"));
        assert!(
            err("bob@\"example\".com")
                .reason
                .contains("quoted string in the domain")
        );
        assert!(err("bob@example.com>").reason.contains("`>` without `<`"));
        assert!(
            err("bob@exa mple.com")
                .reason
                .contains("blank in the domain")
        );
    }

    #[test]
    fn mailbox_lists() {
        let l = parse_mailbox_list("Bob <bob@example.com>, alice@example.org").unwrap();
        assert_eq!(l.len(), 2);
        assert_eq!(l[1].addr_spec, "alice@example.org");
        assert_eq!(parse_mailbox_list("a@b, , c@d").unwrap().len(), 2);
        assert!(parse_mailbox_list(" , ").is_err());
        assert!(parse_mailbox_list("a@b, bob").is_err());
    }

    #[test]
    fn strict_addr_spec() {
        assert_eq!(
            parse_addr_spec("bob@example.com").unwrap().addr_spec,
            "bob@example.com"
        );
        assert!(parse_addr_spec("\"john doe\"@example.com").is_ok());
        assert!(parse_addr_spec("user@[192.0.2.1]").is_ok());
        assert!(parse_addr_spec(" bob@example.com").is_err());
        assert!(parse_addr_spec("bob@example.com (x)").is_err());
        assert!(parse_addr_spec("Bob <bob@example.com>").is_err());
        assert!(parse_addr_spec("\"john\".doe@example.com").is_err());
        assert!(parse_addr_spec("").is_err());
    }

    /// Hostile inputs: linear, no stack overflow, no panic.
    #[test]
    fn hostile() {
        let big = format!("{}@example.com", "a".repeat(100_000));
        assert_eq!(ok(&big).len(), 100_012);
        let deep = format!(
            "{}{}bob@example.com",
            "(".repeat(10_000),
            ")".repeat(10_000)
        );
        assert_eq!(ok(&deep), "bob@example.com");
        // A million levels: a recursive parser would overflow the stack.
        let million = format!(
            "{}{}bob@example.com",
            "(".repeat(1_000_000),
            ")".repeat(1_000_000)
        );
        assert_eq!(ok(&million), "bob@example.com");
        let open = format!("{}bob@example.com", "(".repeat(10_000));
        assert!(err(&open).reason.contains("not closed"));
        let dots = format!("a{}@b", ".a".repeat(50_000));
        assert!(parse_mailbox(&dots).is_ok());
        let quotes = "\"".repeat(100_001);
        assert!(parse_mailbox(&quotes).is_err());
        let commas = ",".repeat(100_000);
        assert!(parse_mailbox(&commas).is_err());
        assert!(parse_mailbox_list(&commas).is_err());
        let brackets = "<".repeat(100_000);
        assert!(parse_mailbox(&brackets).is_err());
        for s in ["\\", "\"\\", "(\\", "[\\", "\u{fffd}", "é", "\"é\\é\"@x"] {
            let _ = parse_mailbox(s);
            let _ = parse_addr_spec(s);
            let _ = parse_mailbox_list(s);
        }
    }
}
