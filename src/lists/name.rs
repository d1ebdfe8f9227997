//! List names (RFC 6134 §2.5, §2.6): always absolute URIs (RFC 3986). A
//! leading `:` is shorthand for `urn:ietf:params:sieve:`; address books are
//! `urn:ietf:params:sieve:addrbook:<name>`, where the name `default` is
//! case-insensitive; `tag:` URIs follow RFC 4151.
//!
//! [`parse_name`] validates a name and gives its normalized form, the key
//! under which lists are compared: shorthand expanded, the `urn:ietf:params:
//! sieve:` prefix and the `addrbook` parameter lower-cased, the book name
//! percent-decoded (and `default` case-folded).

/// The prefix a leading `:` stands for.
pub const SHORTHAND_PREFIX: &str = "urn:ietf:params:sieve:";
const ADDRBOOK: &str = "addrbook";

/// What kind of list a name designates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameKind {
    /// An address book; `book` is the decoded name ("default" folded), with
    /// octets that are not UTF-8 shown as U+FFFD: compare lists by
    /// [`ListName::normalized`], never by `book`.
    Addrbook { book: String },
    /// `urn:ietf:params:sieve:<param>` with an unregistered parameter.
    UnknownSieveParam { param: String },
    /// A `tag:` URI (RFC 4151).
    Tag,
    /// Any other absolute URI (ldap:, https:, …).
    Other,
}

/// Something allowed but worth a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameWarning {
    /// An addrbook URN with a query part: no query extensions are defined.
    AddrbookQuery { query: String },
    /// `urn:ietf:params:sieve:X` for an X that is not registered.
    UnknownSieveParam { param: String },
    /// `addrbook:…`: a URI of the unregistered scheme "addrbook", almost
    /// certainly the `:addrbook:…` shorthand without its leading colon.
    ShorthandWithoutColon,
}

/// A valid list name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListName {
    /// As written.
    pub original: String,
    /// With the `:` shorthand expanded.
    pub expanded: String,
    /// The key lists are compared by.
    pub normalized: String,
    /// Lower-cased scheme (`urn`, `tag`, `ldap`, …).
    pub scheme: String,
    pub kind: NameKind,
    pub warnings: Vec<NameWarning>,
}

impl ListName {
    pub fn is_addrbook(&self) -> bool {
        matches!(self.kind, NameKind::Addrbook { .. })
    }
}

/// Why a name is not a valid list name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    Empty,
    /// No scheme: a relative reference, or no `:` at all.
    NotAbsolute {
        expanded: String,
    },
    /// A character that may not appear in a URI (space, `<`, non-ASCII…).
    BadChar {
        expanded: String,
        ch: char,
        offset: usize,
    },
    /// `%` not followed by two hex digits.
    BadPercent {
        expanded: String,
        offset: usize,
    },
    /// A fragment (`#…`): list names are absolute URIs, which have none.
    Fragment {
        expanded: String,
    },
    /// The url crate rejects it.
    Unparsable {
        expanded: String,
        reason: String,
    },
    /// `urn:ietf:params:sieve:addrbook` without a book name, or with an
    /// empty one.
    AddrbookNoName {
        expanded: String,
    },
    /// A character not allowed in the book name segment.
    AddrbookBadChar {
        expanded: String,
        ch: char,
    },
    /// `%` not followed by two hex digits in the book name.
    AddrbookBadPercent {
        expanded: String,
    },
    /// `urn:ietf:params:sieve:` (or `:`) with no parameter: names nothing.
    NoSieveParam {
        expanded: String,
    },
    /// A malformed `tag:` URI; the text says what is wrong.
    TagUri {
        expanded: String,
        reason: String,
    },
}

impl NameError {
    /// The rule that reports it.
    pub fn is_addrbook(&self) -> bool {
        matches!(
            self,
            NameError::AddrbookNoName { .. }
                | NameError::AddrbookBadChar { .. }
                | NameError::AddrbookBadPercent { .. }
        )
    }

    pub fn is_tag_uri(&self) -> bool {
        matches!(self, NameError::TagUri { .. })
    }

    /// The name with the shorthand expanded, as far as it got.
    pub fn expanded(&self) -> Option<&str> {
        match self {
            NameError::Empty => None,
            NameError::NotAbsolute { expanded }
            | NameError::BadChar { expanded, .. }
            | NameError::BadPercent { expanded, .. }
            | NameError::Fragment { expanded }
            | NameError::Unparsable { expanded, .. }
            | NameError::AddrbookNoName { expanded }
            | NameError::AddrbookBadChar { expanded, .. }
            | NameError::AddrbookBadPercent { expanded }
            | NameError::NoSieveParam { expanded }
            | NameError::TagUri { expanded, .. } => Some(expanded),
        }
    }
}

impl std::fmt::Display for NameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameError::Empty => write!(f, "the list name is empty"),
            NameError::NotAbsolute { .. } => {
                write!(
                    f,
                    "not an absolute URI (it has no scheme such as \"urn:\" or \"tag:\")"
                )
            }
            NameError::BadChar { ch, .. } if ch.is_whitespace() => {
                write!(f, "a list name may not contain white space")
            }
            NameError::BadChar { ch, .. } => {
                write!(f, "{ch:?} may not appear in a URI unless percent-encoded")
            }
            NameError::BadPercent { .. } => {
                write!(f, "'%' must be followed by two hexadecimal digits")
            }
            NameError::Fragment { .. } => {
                write!(f, "a list name may not have a fragment ('#…')")
            }
            NameError::Unparsable { reason, .. } => write!(f, "not a valid URI: {reason}"),
            NameError::AddrbookNoName { .. } => write!(f, "the address book URN names no book"),
            NameError::AddrbookBadChar { ch, .. } => write!(
                f,
                "{ch:?} is not allowed in an address book name (percent-encode it)"
            ),
            NameError::AddrbookBadPercent { .. } => write!(
                f,
                "'%' in the address book name must be followed by two hexadecimal digits"
            ),
            NameError::NoSieveParam { .. } => write!(
                f,
                "names no Sieve URN parameter (for the address book write \":addrbook:default\")"
            ),
            NameError::TagUri { reason, .. } => write!(f, "malformed tag: URI: {reason}"),
        }
    }
}

/// RFC 3986 `unreserved` and `sub-delims`, plus `:` and `@`: `pchar` without
/// percent-encodings.
fn is_pchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@".contains(c)
}

/// Characters that may appear anywhere in an absolute URI (gen-delims
/// included, `#` excluded: fragments are rejected separately).
fn is_uri_char(c: char) -> bool {
    is_pchar(c) || "/?[]%".contains(c)
}

/// What a server's EXTLISTS capability (or `--list-schemes`) says, in any
/// of the three forms deployed: RFC 6134 §2.8's space-separated URI
/// schemes (`urn tag`), full list names (Pigeonhole 2.4:
/// `urn:ietf:params:sieve:addrbook:default`), or a URN prefix (Cyrus:
/// `urn:ietf:params:sieve:addrbook`). Schemes constrain list names; full
/// names, when given, are the lists that exist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extlists {
    /// Lower-cased schemes, each once: given, or of the names and prefixes.
    pub schemes: Vec<String>,
    /// Normalized full list names ([`ListName::normalized`]).
    pub names: Vec<String>,
    /// URN prefixes, as given.
    pub prefixes: Vec<String>,
}

/// Parses an EXTLISTS value; words are separated by spaces, tabs or
/// commas. An error names the word that is none of the three forms.
pub fn parse_extlists(s: &str) -> Result<Extlists, String> {
    let mut out = Extlists::default();
    let scheme_ok = |x: &str| {
        x.starts_with(|c: char| c.is_ascii_alphabetic())
            && x.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    };
    for word in s.split([',', ' ', '\t']).filter(|w| !w.is_empty()) {
        let expanded = match word.strip_prefix(':') {
            Some(rest) => format!("{SHORTHAND_PREFIX}{rest}"),
            None => word.to_string(),
        };
        let bare = expanded.trim_end_matches(':');
        let scheme = bare.split(':').next().unwrap_or("").to_ascii_lowercase();
        if !scheme_ok(&scheme) {
            return Err(format!(
                "'{word}' is not a URI scheme, a list name or a URN prefix"
            ));
        }
        if !bare.contains(':') {
            // RFC 6134 §2.8: a scheme.
        } else if expanded.ends_with(':')
            || strip_prefix_ci(bare, SHORTHAND_PREFIX).is_some_and(|p| !p.contains(':'))
        {
            out.prefixes.push(word.to_string());
        } else {
            match parse_name(word) {
                Ok(name) => {
                    if !out.names.contains(&name.normalized) {
                        out.names.push(name.normalized);
                    }
                }
                Err(e) => return Err(format!("'{word}' is not a valid list name: {e}")),
            }
        }
        if !out.schemes.contains(&scheme) {
            out.schemes.push(scheme);
        }
    }
    if out.schemes.is_empty() {
        return Err("give at least one URI scheme, list name or URN prefix, e.g. urn,tag".into());
    }
    Ok(out)
}

/// Validates a list name and gives its normalized form.
pub fn parse_name(name: &str) -> Result<ListName, NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    let expanded = match name.strip_prefix(':') {
        Some(rest) => format!("{SHORTHAND_PREFIX}{rest}"),
        None => name.to_owned(),
    };
    // scheme ":" — RFC 3986 §3.1
    let Some(colon) = expanded.find(':') else {
        return Err(NameError::NotAbsolute { expanded });
    };
    let scheme = &expanded[..colon];
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !scheme_ok {
        return Err(NameError::NotAbsolute { expanded });
    }
    // An address book's name segment gets the address-book errors.
    if let Some(tail) = strip_prefix_ci(&expanded, "urn:ietf:params:sieve:addrbook:") {
        let segment = tail.split('?').next().unwrap_or(tail);
        if let Some(ch) = segment.chars().find(|&c| !(is_pchar(c) || c == '%')) {
            return Err(NameError::AddrbookBadChar { expanded, ch });
        }
        if bad_percent(segment).is_some() {
            return Err(NameError::AddrbookBadPercent { expanded });
        }
    }
    for (offset, ch) in expanded.char_indices() {
        if ch == '#' {
            return Err(NameError::Fragment { expanded });
        }
        if !is_uri_char(ch) {
            return Err(NameError::BadChar {
                expanded,
                ch,
                offset,
            });
        }
    }
    if let Some(offset) = bad_percent(&expanded) {
        return Err(NameError::BadPercent { expanded, offset });
    }
    if let Err(e) = url::Url::parse(&expanded) {
        return Err(NameError::Unparsable {
            reason: e.to_string(),
            expanded,
        });
    }
    let scheme = scheme.to_ascii_lowercase();
    let mut warnings = Vec::new();
    let (kind, normalized) = if let Some(param_part) = strip_prefix_ci(&expanded, SHORTHAND_PREFIX)
    {
        sieve_urn(&expanded, param_part, &mut warnings)?
    } else if scheme == "addrbook" {
        warnings.push(NameWarning::ShorthandWithoutColon);
        (NameKind::Other, format!("{scheme}{}", &expanded[colon..]))
    } else if scheme == "tag" {
        check_tag_uri(&expanded)?;
        (NameKind::Tag, format!("tag:{}", &expanded[4..]))
    } else {
        (NameKind::Other, format!("{scheme}{}", &expanded[colon..]))
    };
    Ok(ListName {
        original: name.to_owned(),
        expanded,
        normalized,
        scheme,
        kind,
        warnings,
    })
}

/// The first `%` not followed by two hex digits.
fn bad_percent(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len()).find(|&i| {
        b[i] == b'%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &s[prefix.len()..])
}

/// Percent-decodes to octets (already checked to be well formed).
fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(b[i + 1]) * 16 + hex(b[i + 2]));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// Percent-encodes the octets a path segment may not hold (`%` itself, and
/// every octet that is not ASCII: a book name need not be UTF-8).
fn percent_encode(octets: &[u8]) -> String {
    let mut out = String::with_capacity(octets.len());
    for &b in octets {
        if b.is_ascii() && is_pchar(char::from(b)) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `urn:ietf:params:sieve:<param>…`
fn sieve_urn(
    expanded: &str,
    rest: &str,
    warnings: &mut Vec<NameWarning>,
) -> Result<(NameKind, String), NameError> {
    let (param, tail) = match rest.find(':') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let param_lower = param.to_ascii_lowercase();
    if param.is_empty() {
        return Err(NameError::NoSieveParam {
            expanded: expanded.to_owned(),
        });
    }
    if param_lower != ADDRBOOK {
        let param_name = param.split('?').next().unwrap_or(param).to_owned();
        warnings.push(NameWarning::UnknownSieveParam {
            param: param_name.clone(),
        });
        return Ok((
            NameKind::UnknownSieveParam { param: param_name },
            format!("{SHORTHAND_PREFIX}{rest}"),
        ));
    }
    // addrbook: segment [ "?" query ]
    let Some(tail) = tail else {
        return Err(NameError::AddrbookNoName {
            expanded: expanded.to_owned(),
        });
    };
    let (segment, query) = match tail.find('?') {
        Some(i) => (&tail[..i], Some(&tail[i + 1..])),
        None => (tail, None),
    };
    if segment.is_empty() {
        return Err(NameError::AddrbookNoName {
            expanded: expanded.to_owned(),
        });
    }
    if let Some(ch) = segment.chars().find(|&c| !(is_pchar(c) || c == '%')) {
        return Err(NameError::AddrbookBadChar {
            expanded: expanded.to_owned(),
            ch,
        });
    }
    let mut octets = percent_decode(segment);
    if octets.eq_ignore_ascii_case(b"default") {
        octets = b"default".to_vec();
    }
    // The normalized form is itself a valid name: the book name's octets
    // are re-encoded canonically (upper-case hex, only where needed). They
    // are encoded as octets, not via text: `%80` and `%FF` are two books,
    // though neither is UTF-8 (RFC 3986 §2.1).
    let mut normalized = format!("{SHORTHAND_PREFIX}{ADDRBOOK}:{}", percent_encode(&octets));
    // For display; not a key (two books may display alike).
    let book = String::from_utf8_lossy(&octets).into_owned();
    if let Some(q) = query {
        warnings.push(NameWarning::AddrbookQuery {
            query: q.to_owned(),
        });
        normalized.push('?');
        normalized.push_str(q);
    }
    Ok((NameKind::Addrbook { book }, normalized))
}

/// RFC 4151: `tag:` authorityName "," date ":" specific.
fn check_tag_uri(expanded: &str) -> Result<(), NameError> {
    let err = |reason: &str| NameError::TagUri {
        expanded: expanded.to_owned(),
        reason: reason.to_owned(),
    };
    let rest = &expanded[4..];
    let Some(comma) = rest.find(',') else {
        return Err(err(
            "expected tag:<authority>,<date>:<specific> (no ',' before the date)",
        ));
    };
    let authority = &rest[..comma];
    let after = &rest[comma + 1..];
    let Some(colon) = after.find(':') else {
        return Err(err("expected ':' and the specific part after the date"));
    };
    let date = &after[..colon];
    if authority.is_empty() {
        return Err(err(
            "the authority (a domain name or an e-mail address) is empty",
        ));
    }
    let dns_ok = |d: &str| {
        !d.is_empty()
            && d.split('.').all(|comp| {
                !comp.is_empty()
                    && comp.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !comp.starts_with('-')
                    && !comp.ends_with('-')
            })
    };
    match authority.split_once('@') {
        Some((local, domain)) => {
            if local.is_empty()
                || !local
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
            {
                return Err(err(
                    "the e-mail address before '@' has characters RFC 4151 does not allow",
                ));
            }
            if !dns_ok(domain) {
                return Err(err(
                    "the domain of the authority's e-mail address is not a DNS name",
                ));
            }
        }
        None => {
            if !dns_ok(authority) {
                return Err(err(
                    "the authority is neither a DNS name nor an e-mail address",
                ));
            }
        }
    }
    check_tag_date(date).map_err(|r| err(&r))
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real date.
fn check_tag_date(date: &str) -> Result<(), String> {
    let parts: Vec<&str> = date.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let shape = match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2),
        [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
        _ => false,
    };
    if !shape {
        return Err(format!(
            "the date \"{date}\" is not YYYY, YYYY-MM or YYYY-MM-DD"
        ));
    }
    let num = |s: &str| s.parse::<u32>().unwrap_or(0);
    if let Some(m) = parts.get(1) {
        let month = num(m);
        if !(1..=12).contains(&month) {
            return Err(format!("the month in \"{date}\" is not 01–12"));
        }
        if let Some(d) = parts.get(2) {
            let year = num(parts[0]);
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            let days = match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            let day = num(d);
            if !(1..=days).contains(&day) {
                return Err(format!("\"{date}\" is not a real date"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        parse_name(s)
            .map(|n| n.normalized)
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn shorthand_and_default_book_are_one_list() {
        for n in [
            ":addrbook:default",
            "urn:ietf:params:sieve:addrbook:default",
            ":ADDRBOOK:DEFAULT",
            ":aDdRbOOk:DeFauLt",
            ":AddrBook:%44%65%66ault",
            "URN:IETF:PARAMS:SIEVE:addrbook:Default",
        ] {
            assert_eq!(norm(n), "urn:ietf:params:sieve:addrbook:default", "{n}");
        }
    }

    #[test]
    fn other_books_keep_their_case() {
        assert_eq!(
            norm(":addrbook:Friends"),
            "urn:ietf:params:sieve:addrbook:Friends"
        );
        assert_ne!(norm(":addrbook:Friends"), norm(":addrbook:friends"));
        assert_eq!(
            norm(":addrbook:my%20book"),
            "urn:ietf:params:sieve:addrbook:my%20book"
        );
    }

    #[test]
    fn books_that_are_not_utf8_keep_their_octets() {
        // Found by tests/properties.rs: both used to normalize to
        // `%EF%BF%BD` (U+FFFD), making two lists one.
        assert_eq!(norm(":addrbook:%80"), "urn:ietf:params:sieve:addrbook:%80");
        assert_eq!(norm(":addrbook:%ff"), "urn:ietf:params:sieve:addrbook:%FF");
        assert_ne!(norm(":addrbook:%80"), norm(":addrbook:%FF"));
        assert_ne!(norm(":addrbook:%FF"), norm(":addrbook:%EF%BF%BD"));
        // UTF-8 books are unchanged: é stays encoded, as it must in a URI.
        assert_eq!(
            norm(":addrbook:caf%c3%a9"),
            "urn:ietf:params:sieve:addrbook:caf%C3%A9"
        );
    }

    #[test]
    fn normalization_is_idempotent() {
        for n in [
            ":addrbook:default",
            "tag:example.com,2011-04-10:Bad",
            "ldap://h/dc=x",
            ":addrbook:a%2Fb",
        ] {
            let once = norm(n);
            assert_eq!(norm(&once), once, "{n}");
        }
    }

    #[test]
    fn addrbook_errors() {
        assert!(matches!(
            parse_name(":addrbook"),
            Err(NameError::AddrbookNoName { .. })
        ));
        assert!(matches!(
            parse_name(":addrbook:"),
            Err(NameError::AddrbookNoName { .. })
        ));
        assert!(matches!(
            parse_name(":addrbook:a/b"),
            Err(NameError::AddrbookBadChar { ch: '/', .. })
        ));
        assert!(matches!(
            parse_name(":addrbook:%4"),
            Err(NameError::AddrbookBadPercent { .. })
        ));
        assert!(matches!(
            parse_name(":addrbook:%zz"),
            Err(NameError::AddrbookBadPercent { .. })
        ));
        assert!(matches!(
            parse_name(":addrbook:my book"),
            Err(NameError::AddrbookBadChar { ch: ' ', .. })
        ));
        assert!(matches!(
            parse_name(":"),
            Err(NameError::NoSieveParam { .. })
        ));
        assert!(matches!(
            parse_name("urn:ietf:params:sieve:"),
            Err(NameError::NoSieveParam { .. })
        ));
        let q = parse_name(":addrbook:default?name=x").expect("query is allowed");
        assert_eq!(
            q.warnings,
            [NameWarning::AddrbookQuery {
                query: "name=x".into()
            }]
        );
    }

    #[test]
    fn not_absolute() {
        for n in ["default", "my list", "/path", "1abc:x", "#frag"] {
            assert!(parse_name(n).is_err(), "{n} should be rejected");
        }
        assert!(matches!(
            parse_name("default"),
            Err(NameError::NotAbsolute { .. })
        ));
        assert!(matches!(
            parse_name("tag:a.com,2011:x#y"),
            Err(NameError::Fragment { .. })
        ));
        assert!(matches!(
            parse_name("ldap://host/a b"),
            Err(NameError::BadChar { ch: ' ', .. })
        ));
        assert!(matches!(
            parse_name("https://h/é"),
            Err(NameError::BadChar { .. })
        ));
    }

    #[test]
    fn addrbook_scheme_without_the_colon_is_a_warning() {
        let n = parse_name("addrbook:default").expect("a valid URI all the same");
        assert_eq!(n.warnings, [NameWarning::ShorthandWithoutColon]);
    }

    #[test]
    fn unknown_sieve_parameter_is_a_warning() {
        let n = parse_name(":foo:bar").expect("valid URI");
        assert_eq!(
            n.warnings,
            [NameWarning::UnknownSieveParam {
                param: "foo".into()
            }]
        );
    }

    #[test]
    fn tag_uris() {
        for ok in [
            "tag:example.com,2011-04-10:DisallowedIPs",
            "tag:example.com,2010-05-28:mylist",
            "tag:user@example.com,2000:x",
            "tag:a-b.example,2004-02:x/y?z",
            "tag:example.com,2012-02-29:leap",
            "tag:example.com,2011:",
        ] {
            assert!(parse_name(ok).is_ok(), "{ok}: {:?}", parse_name(ok));
        }
        for bad in [
            "tag:example.com:x",
            "tag:example.com,11-04-10:x",
            "tag:example.com,2011-13:x",
            "tag:example.com,2011-02-30:x",
            "tag:example.com,2011-04-10",
            "tag:,2011:x",
            "tag:-bad.com,2011:x",
            "tag:us er@example.com,2011:x",
            "tag:example..com,2011:x",
        ] {
            assert!(parse_name(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn other_schemes() {
        let n = parse_name("LDAP://ldap.example.com/cn=list,dc=example").expect("ldap");
        assert_eq!(n.scheme, "ldap");
        assert_eq!(n.kind, NameKind::Other);
        assert!(parse_name("https://dav.example.com/book/").is_ok());
    }

    #[test]
    fn extlists_in_three_forms() {
        let rfc = parse_extlists("urn tag").unwrap();
        assert_eq!(rfc.schemes, ["urn", "tag"]);
        assert!(rfc.names.is_empty() && rfc.prefixes.is_empty());
        let pigeonhole = parse_extlists(
            "urn:ietf:params:sieve:addrbook:default urn:ietf:params:sieve:addrbook:Friends",
        )
        .unwrap();
        assert_eq!(pigeonhole.schemes, ["urn"]);
        assert_eq!(
            pigeonhole.names,
            [
                "urn:ietf:params:sieve:addrbook:default",
                "urn:ietf:params:sieve:addrbook:Friends"
            ]
        );
        let cyrus = parse_extlists("urn:ietf:params:sieve:addrbook").unwrap();
        assert_eq!(cyrus.schemes, ["urn"]);
        assert_eq!(cyrus.prefixes, ["urn:ietf:params:sieve:addrbook"]);
        assert!(cyrus.names.is_empty());
        let mixed = parse_extlists("tag:, :addrbook:DEFAULT").unwrap();
        assert_eq!(mixed.schemes, ["tag", "urn"]);
        assert_eq!(mixed.names, ["urn:ietf:params:sieve:addrbook:default"]);
        for bad in ["", "1x", "urn:ietf:params:sieve:addrbook:a#b", "ü"] {
            assert!(parse_extlists(bad).is_err(), "{bad}");
        }
    }
}
