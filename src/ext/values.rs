//! Checks of argument values that several extensions share: addresses
//! (through the one parser, `syntax::address`) and URIs (RFC 3986).
//! Not an extension.

use super::Validation;
use crate::diagnostic::{Severity, show};
use crate::syntax::address::AddressError;
use crate::syntax::ast::{Span, StringLit};
use std::borrow::Cow;
use std::ops::Range;

/// Is the value known from the text alone? Not when variables (or
/// encoded characters) may expand `${…}` in it: those are checked when
/// the script runs.
pub fn constant(v: &Validation<'_, '_, '_>, lit: &StringLit) -> bool {
    !(lit.value.contains("${") && (v.has("variables") || v.has("encoded-character")))
}

/// The value as the script means it: its encoded characters decoded
/// (RFC 5228 §2.4.2.4, when "encoded-character" is had; they are decoded
/// before variables are expanded), or `None` when variables may still
/// expand `${…}` in it. Borrowed when nothing was decoded, so byte offsets
/// in it are offsets in `lit.value`.
pub fn text<'a>(v: &Validation<'_, '_, '_>, lit: &'a StringLit<'a>) -> Option<Cow<'a, str>> {
    let decoded = if lit.value.contains("${") && v.has("encoded-character") {
        crate::syntax::encoded::decode(&lit.value)
    } else {
        Cow::Borrowed(lit.value.as_ref())
    };
    (!(decoded.contains("${") && v.has("variables"))).then_some(decoded)
}

/// Does the value hold `${hex:…}` octets (RFC 5228 §2.4.2.4) that, with
/// the text around them, are not UTF-8? The octets of neighbouring
/// sequences are taken together ("${hex:c3}${hex:a9}" is "é"). Linear.
pub fn hex_not_utf8(value: &str) -> bool {
    let mut bytes = Vec::with_capacity(value.len());
    let mut hex = false;
    let mut rest = value;
    while let Some(i) = rest.find("${") {
        bytes.extend_from_slice(&rest.as_bytes()[..i]);
        let tail = &rest[i..];
        let decoded = tail
            .get(..6)
            .filter(|p| p.eq_ignore_ascii_case("${hex:"))
            // The body ends at "}"; a "$" before it ends the search (so
            // the scan stays linear): not a well-formed sequence.
            .and_then(|_| tail[6..].find(['}', '$']))
            .filter(|&end| tail.as_bytes()[6 + end] == b'}')
            .and_then(|end| Some((hex_octets(&tail[6..6 + end])?, 6 + end)));
        match decoded {
            Some((octets, close)) => {
                hex = true;
                bytes.extend(octets);
                rest = &tail[close + 1..];
            }
            None => {
                bytes.extend_from_slice(b"${");
                rest = &tail[2..];
            }
        }
    }
    bytes.extend_from_slice(rest.as_bytes());
    hex && std::str::from_utf8(&bytes).is_err()
}

/// The octets of a `hex-pair-seq` (pairs of 1 or 2 hex digits between
/// blanks), or `None` if it is not one.
fn hex_octets(body: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for t in body
        .split([' ', '\t', '\r', '\n'])
        .filter(|t| !t.is_empty())
    {
        if !t.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let b = t.as_bytes();
        let pairs: Vec<&[u8]> = if b.len() <= 2 {
            vec![b]
        } else {
            b.chunks(2).collect()
        };
        for p in pairs {
            out.push(u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok()?);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Where bytes `range` of the value are in the source.
pub fn span(v: &Validation<'_, '_, '_>, lit: &StringLit, range: Range<usize>) -> Span {
    crate::rules::value_span(v.cx.source, lit, range)
}

/// Reports a value that is not an address: `what` names it
/// ("vacation :from"), `rfc` the section that says so.
pub fn report_address(
    v: &mut Validation<'_, '_, '_>,
    lit: &StringLit,
    e: AddressError,
    severity: Severity,
    what: &str,
    rfc: &str,
) {
    let at = span(v, lit, e.range.clone());
    let message = format!("{what} {} is not an address", show(&lit.value));
    let d = match severity {
        Severity::Error => v.error(at, message),
        _ => v.warning(at, message),
    };
    d.with_primary_label(e.reason);
    match e.help {
        Some(help) => d.with_help(format!("{help}; {rfc}")),
        None => d.with_help(format!(
            "an address is local-part@domain, optionally with a name: \"Bob <bob@example.com>\"; {rfc}"
        )),
    };
}

/// Why `s` is not an RFC 3986 §3 `URI`: the byte range and the reason.
pub fn uri_error(s: &str) -> Option<(Range<usize>, String)> {
    let b = s.as_bytes();
    if b.is_empty() {
        return Some((0..0, "the URI is empty".into()));
    }
    // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
    let colon = b.iter().position(|&c| c == b':');
    let scheme_ok = colon.is_some_and(|c| {
        c > 0
            && b[0].is_ascii_alphabetic()
            && b[1..c]
                .iter()
                .all(|&x| x.is_ascii_alphanumeric() || b"+-.".contains(&x))
    });
    if !scheme_ok {
        return Some((
            0..s.len(),
            "not a URI: it starts with a scheme and `:`, such as \"mailto:\"".into(),
        ));
    }
    let mut hash = false;
    let mut i = colon.unwrap_or(0) + 1;
    while i < b.len() {
        let c = b[i];
        match c {
            b'%' => {
                if !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
                {
                    // Up to 3 bytes, ended on a character boundary.
                    let mut end = (i + 3).min(s.len());
                    while !s.is_char_boundary(end) {
                        end += 1;
                    }
                    return Some((
                        i..end,
                        "`%` is not followed by two hex digits (RFC 3986 §2.1)".into(),
                    ));
                }
                i += 3;
                continue;
            }
            b'#' if hash => {
                return Some((i..i + 1, "a second `#` (RFC 3986 §3.5)".into()));
            }
            b'#' => hash = true,
            // unreserved, sub-delims, and ":" "@" "/" "?" "[" "]"
            _ if c.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?[]".contains(&c) => {}
            _ => {
                let ch = s[i..].chars().next().unwrap_or('\u{fffd}');
                let what = if ch == ' ' {
                    "a space".to_string()
                } else {
                    show(&ch.to_string())
                };
                return Some((
                    i..i + ch.len_utf8(),
                    format!("{what} is not allowed in a URI: percent-encode it (RFC 3986 §2.1)"),
                ));
            }
        }
        i += 1;
    }
    None
}

/// Decodes `%XX` (the input has passed [`uri_error`]); `None` if the
/// octets are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(x) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(x);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        for ok in [
            "mailto:alm@example.com",
            "mailto:",
            "xmpp:tim@example.com?message;subject=SIEVE;body=You%20got%20mail",
            "tel:+14085551212",
            "http://gw.example.net/notify?test#top",
            "http://[2001:db8::1]/",
        ] {
            assert_eq!(uri_error(ok), None, "{ok}");
        }
        assert!(uri_error("").unwrap().1.contains("empty"));
        assert!(
            uri_error("alm@example.com")
                .unwrap()
                .1
                .contains("not a URI")
        );
        assert!(uri_error(":x").unwrap().1.contains("not a URI"));
        assert!(uri_error("1a:x").unwrap().1.contains("not a URI"));
        let (r, why) = uri_error("mailto:a@b?subject=hi there").unwrap();
        assert_eq!((r, why.contains("a space")), (21..22, true));
        assert!(uri_error("mailto:a@b%2").unwrap().1.contains("hex"));
        assert!(uri_error("mailto:a@b%zz").unwrap().1.contains("hex"));
        assert!(uri_error("x:a#b#c").unwrap().1.contains("second `#`"));
        assert!(
            uri_error("mailto:jörg@example.de")
                .unwrap()
                .1
                .contains("\"ö\"")
        );
        assert!(uri_error(&format!("x:{}", "%".repeat(100_000))).is_some());
        // A bad escape before a multibyte character: the range ends on a
        // character boundary.
        let (r, _) = uri_error("x:%\u{20ac}").unwrap();
        assert_eq!(r, 2..6);
    }

    #[test]
    fn hex_octets_not_utf8() {
        use super::hex_not_utf8;
        assert!(hex_not_utf8("${hex:ff}rop"));
        assert!(hex_not_utf8("a${HEX: 80 }"));
        assert!(hex_not_utf8("${hex:c3}"));
        assert!(!hex_not_utf8("${hex:c3}${hex:a9}"));
        assert!(!hex_not_utf8("${hex:c3 a9}"));
        assert!(!hex_not_utf8("${hex:41}"));
        assert!(!hex_not_utf8("${hex:ff"));
        assert!(!hex_not_utf8("${hex:zz}"));
        assert!(!hex_not_utf8("${unicode:ff}"));
        assert!(!hex_not_utf8("plain ü"));
        assert!(!hex_not_utf8(&"${".repeat(10_000)));
        assert!(!hex_not_utf8(&"${hex:".repeat(10_000)));
    }

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("a%20b%2C").as_deref(), Some("a b,"));
        assert_eq!(percent_decode("j%C3%B6rg").as_deref(), Some("jörg"));
        assert_eq!(percent_decode("%FF"), None);
    }
}
