//! A reference implementation of `:matches` (RFC 5228 §2.7.1) with RFC 5229
//! §3.2 captures: plain backtracking, exponential in the worst case, so only
//! for short keys and values. `tests/run_matching.rs` and
//! `tests/properties.rs` compare the crate's linear matcher with it.

#![allow(dead_code)] // Each test crate uses part of it.

use std::ops::Range;

/// One element of a parsed key, over units of type `T` (octets or chars).
#[derive(Clone, Copy, Debug)]
pub enum Tok<T> {
    Lit(T),
    Any,
    Star,
}

/// Splits a key into literals, `?` and `*`; `\` makes the next unit literal
/// and a trailing lone `\` stands for itself.
pub fn parse_key<T: Copy + PartialEq>(key: &[T], star: T, any: T, backslash: T) -> Vec<Tok<T>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < key.len() {
        let u = key[i];
        if u == backslash {
            i += 1;
            out.push(Tok::Lit(*key.get(i).unwrap_or(&backslash)));
        } else if u == star {
            out.push(Tok::Star);
        } else if u == any {
            out.push(Tok::Any);
        } else {
            out.push(Tok::Lit(u));
        }
        i += 1;
    }
    out
}

/// [`parse_key`] for a key seen as octets (i;octet, i;ascii-casemap).
pub fn parse_octets(key: &[u8]) -> Vec<Tok<u8>> {
    parse_key(key, b'*', b'?', b'\\')
}

/// Non-greedy backtracking: each `*` tries the shortest expansion first, so
/// the first success is the one RFC 5229 §3.2 describes. On success `out`
/// holds the unit range of each wildcard, in key order.
pub fn reference<T: Copy>(
    p: &[Tok<T>],
    t: &[T],
    at: usize,
    eq: &dyn Fn(T, T) -> bool,
    out: &mut Vec<Range<usize>>,
) -> bool {
    match p.first() {
        None => at == t.len(),
        Some(Tok::Lit(c)) => {
            at < t.len() && eq(t[at], *c) && reference(&p[1..], t, at + 1, eq, out)
        }
        Some(Tok::Any) => {
            if at >= t.len() {
                return false;
            }
            out.push(at..at + 1);
            if reference(&p[1..], t, at + 1, eq, out) {
                return true;
            }
            out.pop();
            false
        }
        Some(Tok::Star) => {
            for end in at..=t.len() {
                out.push(at..end);
                if reference(&p[1..], t, end, eq, out) {
                    return true;
                }
                out.pop();
            }
            false
        }
    }
}
