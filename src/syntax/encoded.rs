//! RFC 5228 §2.4.2.4, "encoded-character": `${hex:…}` and `${unicode:…}`
//! in strings, decoded when the extension is required. Malformed sequences
//! are left as they are (the checker reports them).

use std::borrow::Cow;

/// Decodes every well-formed `${hex:…}` / `${unicode:…}` in `s`, in one
/// pass (the result is not scanned again). The octets of `hex` sequences
/// are joined before they are read as UTF-8, so a character may be split
/// across sequences (`${hex:c3}${hex:a9}` is `é`); octets that are no
/// UTF-8 become U+FFFD. Linear in `s`.
pub fn decode(s: &str) -> Cow<'_, str> {
    if !s.contains("${") {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' && b.get(i + 1) == Some(&b'{') {
            if let Some(len) = decode_one(&b[i..], &mut out) {
                i += len;
            } else {
                out.extend_from_slice(b"${");
                i += 2;
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    match String::from_utf8(out) {
        Ok(text) => Cow::Owned(text),
        Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// At `${`: appends the decoded octets and returns the length consumed, if
/// the sequence is well formed (RFC 5228 §2.4.2.4 ABNF: `hex-pair = 1*2HEXDIG`,
/// `unicode-hex = 1*HEXDIG`, at least one item, blanks between). The body
/// holds only hex digits and blanks, so the look stops at the first other
/// byte: a string of many `${` is read once.
fn decode_one(b: &[u8], out: &mut Vec<u8>) -> Option<usize> {
    let name_end = 2 + b[2..]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    if b.get(name_end) != Some(&b':') {
        return None;
    }
    let name = &b[2..name_end];
    let start = name_end + 1;
    let end = start
        + b[start..]
            .iter()
            .take_while(|&&c| c.is_ascii_hexdigit() || is_blank(c))
            .count();
    if b.get(end) != Some(&b'}') {
        return None;
    }
    let items = b[start..end]
        .split(|&c| is_blank(c))
        .filter(|t| !t.is_empty());
    let mark = out.len();
    let mut any = false;
    let ok = if name.eq_ignore_ascii_case(b"hex") {
        items.into_iter().all(|t| {
            any = true;
            t.len() <= 2 && {
                out.push(hex_value(t) as u8);
                true
            }
        })
    } else if name.eq_ignore_ascii_case(b"unicode") {
        items.into_iter().all(|t| {
            any = true;
            // Leading zeros are allowed; a value past 10FFFF or a
            // surrogate is no character (the checker reports it).
            let digits = t.iter().skip_while(|&&c| c == b'0').count();
            match (digits <= 6)
                .then(|| char::from_u32(hex_value(t)))
                .flatten()
            {
                Some(c) => {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    true
                }
                None => false,
            }
        })
    } else {
        false
    };
    if ok && any {
        Some(end + 1)
    } else {
        out.truncate(mark);
        None
    }
}

/// The value of hex digits (at most 8 significant ones are ever read).
fn hex_value(digits: &[u8]) -> u32 {
    digits.iter().fold(0u32, |v, &d| {
        v.saturating_mul(16)
            .saturating_add(char::from(d).to_digit(16).unwrap_or(0))
    })
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_hex_and_unicode() {
        assert_eq!(decode("${hex:3a}addrbook:default"), ":addrbook:default");
        assert_eq!(decode("${hex: 41 42}c"), "ABc");
        assert_eq!(decode("${unicode:e9}t${UNICODE:20AC}"), "ét€");
        // RFC 5228 §2.4.2.4: a hex-pair is one or two digits.
        assert_eq!(decode("${hex:4}x"), "\u{4}x");
        assert_eq!(decode("${hex:4142}"), "${hex:4142}");
        // A character split across sequences, and octets that are no UTF-8.
        assert_eq!(decode("${hex:c3}${hex:a9}"), "é");
        assert_eq!(decode("${hex:ff}"), "\u{fffd}");
        assert_eq!(decode("${unicode:0000000041}"), "A");
        assert_eq!(decode("${hex:}"), "${hex:}");
        assert_eq!(decode("${hex:4${hex:30}}"), "${hex:40}");
        assert_eq!(decode("${unicode:D800}"), "${unicode:D800}");
        assert_eq!(decode("${name}"), "${name}");
        assert_eq!(decode("plain"), "plain");
    }
}
