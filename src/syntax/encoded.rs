//! RFC 5228 §2.4.2.4, "encoded-character": `${hex:…}` and `${unicode:…}`
//! in strings, decoded when the extension is required. Malformed sequences
//! are left as they are (the checker reports them).

use std::borrow::Cow;

/// Decodes every well-formed `${hex:…}` / `${unicode:…}` in `s`.
pub fn decode(s: &str) -> Cow<'_, str> {
    if !s.contains("${") {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        match decode_one(tail) {
            Some((text, len)) => {
                out.push_str(&text);
                rest = &tail[len..];
            }
            None => {
                out.push_str("${");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// At `${`: the decoded text and the length consumed, if well formed.
fn decode_one(s: &str) -> Option<(String, usize)> {
    let close = s.find('}')?;
    let inner = &s[2..close];
    let (kind, body) = inner.split_once(':')?;
    let items = body
        .split([' ', '\t', '\r', '\n'])
        .filter(|t| !t.is_empty());
    let mut text = String::new();
    if kind.eq_ignore_ascii_case("hex") {
        let mut bytes = Vec::new();
        for t in items {
            if t.len() % 2 != 0 {
                return None;
            }
            for pair in t.as_bytes().chunks(2) {
                let h = std::str::from_utf8(pair).ok()?;
                bytes.push(u8::from_str_radix(h, 16).ok()?);
            }
        }
        text = String::from_utf8(bytes).ok()?;
    } else if kind.eq_ignore_ascii_case("unicode") {
        for t in items {
            if t.len() > 6
                && !t.trim_start_matches('0').is_empty()
                && t.trim_start_matches('0').len() > 6
            {
                return None;
            }
            let cp = u32::from_str_radix(t, 16).ok()?;
            text.push(char::from_u32(cp)?);
        }
    } else {
        return None;
    }
    Some((text, close + 1))
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_hex_and_unicode() {
        assert_eq!(decode("${hex:3a}addrbook:default"), ":addrbook:default");
        assert_eq!(decode("${hex: 41 42}c"), "ABc");
        assert_eq!(decode("${unicode:e9}t${UNICODE:20AC}"), "ét€");
        assert_eq!(decode("${hex:4}x"), "${hex:4}x");
        assert_eq!(decode("${unicode:D800}"), "${unicode:D800}");
        assert_eq!(decode("${name}"), "${name}");
        assert_eq!(decode("plain"), "plain");
    }
}
