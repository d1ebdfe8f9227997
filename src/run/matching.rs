//! Match types and comparators (RFC 5228 §2.7, RFC 4790, RFC 5231, RFC 5229 §3.2).
//!
//! Everything here works on one value and one key; the interpreter loops over
//! the values a test sees and the keys it was given ("any value matches any
//! key", RFC 5228 §2.7.1).
//!
//! # Units
//!
//! A comparator decides what one "character" is (RFC 4790 §4.1, RFC 5228
//! §2.7.1): for `i;octet` and `i;ascii-casemap` it is one octet, so the `?`
//! wildcard matches one octet and `é` (two octets in UTF-8) needs `??`; for
//! `i;unicode-casemap` it is one Unicode character. `i;ascii-numeric` has no
//! substring operation at all (RFC 4790 §9.1), so `:contains`, `:matches` and
//! `:regex` with it are run-time errors ([`MatchError::ComparatorCannot`]).
//!
//! # Cost
//!
//! Every algorithm charges a [`Budget`] in proportion to the units it scans,
//! and stops with [`MatchError::Budget`] before it would scan past what is
//! left: a pathological key on a large value is a run-time error, never a
//! hang. `:matches` is linear: the key is split at `*` into segments, the
//! first and last are anchored, and each middle one is found left to right
//! with a linear substring search (KMP, or bit-parallel Shift-And when the
//! segment contains `?`; see [`match_value`]).

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::Hash;
use std::ops::Range;

/// A comparator (RFC 4790; RFC 5228 §2.7.3; RFC 5051 for i;unicode-casemap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Comparator {
    /// `i;octet` (RFC 4790 §9.3): octet by octet.
    Octet,
    /// `i;ascii-casemap` (RFC 4790 §9.2): only A–Z/a–z fold, so
    /// `FRANÇOIS` ≠ `François`. The default for every test (RFC 5228 §2.7.3).
    #[default]
    AsciiCasemap,
    /// `i;ascii-numeric` (RFC 4790 §9.1): the value is its leading digits;
    /// a string that does not begin with a digit is positive infinity.
    AsciiNumeric,
    /// `i;unicode-casemap` (RFC 5051), approximated: see [`unicode_fold`].
    UnicodeCasemap,
}

impl Comparator {
    /// Every comparator this module implements.
    pub const ALL: [Comparator; 4] = [
        Comparator::Octet,
        Comparator::AsciiCasemap,
        Comparator::AsciiNumeric,
        Comparator::UnicodeCasemap,
    ];

    /// The comparator a name denotes. Comparator names are compared without
    /// regard to ASCII case (RFC 4790 §3.1 registers them case-insensitively).
    pub fn from_name(name: &str) -> Option<Comparator> {
        Comparator::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name))
    }

    /// The registered name, e.g. `"i;ascii-casemap"`.
    pub fn name(self) -> &'static str {
        match self {
            Comparator::Octet => "i;octet",
            Comparator::AsciiCasemap => "i;ascii-casemap",
            Comparator::AsciiNumeric => "i;ascii-numeric",
            Comparator::UnicodeCasemap => "i;unicode-casemap",
        }
    }

    /// Whether the comparator has a substring operation (`:contains`,
    /// `:matches`, `:regex`). Only i;ascii-numeric has none (RFC 4790 §9.1.1).
    pub fn supports_substring(self) -> bool {
        self != Comparator::AsciiNumeric
    }
}

/// A relational operator of `:value` / `:count` (RFC 5231 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
}

impl Relation {
    /// `"gt"`, `"ge"`, `"lt"`, `"le"`, `"eq"`, `"ne"` in any ASCII case
    /// (RFC 5231 §4: the ABNF quoted strings are case-insensitive).
    pub fn from_name(s: &str) -> Option<Relation> {
        [
            Relation::Gt,
            Relation::Ge,
            Relation::Lt,
            Relation::Le,
            Relation::Eq,
            Relation::Ne,
        ]
        .into_iter()
        .find(|r| r.name().eq_ignore_ascii_case(s))
    }

    /// The lower-case name, e.g. `"ge"`.
    pub fn name(self) -> &'static str {
        match self {
            Relation::Gt => "gt",
            Relation::Ge => "ge",
            Relation::Lt => "lt",
            Relation::Le => "le",
            Relation::Eq => "eq",
            Relation::Ne => "ne",
        }
    }

    /// Whether `value REL key` holds, given `compare(value, key)`
    /// (RFC 5231 §4.1: the value from the message is on the left).
    pub fn holds(self, ord: Ordering) -> bool {
        match self {
            Relation::Gt => ord == Ordering::Greater,
            Relation::Ge => ord != Ordering::Less,
            Relation::Lt => ord == Ordering::Less,
            Relation::Le => ord != Ordering::Greater,
            Relation::Eq => ord == Ordering::Equal,
            Relation::Ne => ord != Ordering::Equal,
        }
    }
}

/// A match type (RFC 5228 §2.7.1; RFC 5231 §4; draft-ietf-sieve-regex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchType {
    Is,
    Contains,
    Matches,
    Regex,
    Value(Relation),
    Count(Relation),
}

/// Captures for match variables: `${0}` is the whole matched value, `${1}`..
/// the wildcards (or regex groups).
pub type Captures = Vec<String>;

/// A run-time matching error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatchError {
    /// The `:regex` key does not compile (syntax, unsupported feature such as
    /// back-references, or beyond the compiled-size limit).
    #[error("invalid regular expression: {0}")]
    BadRegex(String),
    /// The step budget ran out.
    #[error("matching exceeded the step limit")]
    Budget,
    /// The comparator has no operation the match type needs.
    #[error("{0}")]
    ComparatorCannot(&'static str),
}

/// A step budget: every matching algorithm charges it in proportion to the
/// work it does; when it runs out, [`MatchError::Budget`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    pub remaining: u64,
}

impl Budget {
    pub fn new(steps: u64) -> Self {
        Budget { remaining: steps }
    }

    /// Takes `steps` from the budget, or empties it and fails.
    pub fn charge(&mut self, steps: u64) -> Result<(), MatchError> {
        if steps > self.remaining {
            self.remaining = 0;
            Err(MatchError::Budget)
        } else {
            self.remaining -= steps;
            Ok(())
        }
    }

    /// How many units costing `per_unit` each are still affordable.
    fn affordable(&self, per_unit: u64) -> usize {
        usize::try_from(self.remaining / per_unit.max(1)).unwrap_or(usize::MAX)
    }
}

const NUMERIC_NO_SUBSTRING: &str = "the comparator i;ascii-numeric has no substring operation \
     (RFC 4790 §9.1), so it cannot be used with :contains, :matches or :regex";

/// Does `value` match `key`? `Some(captures)` when it does; captures are
/// empty for `:is`, `:contains`, `:value` and `:count`.
///
/// - `:is` — equality under the comparator (RFC 4790 §4.2).
/// - `:contains` — `key` is a substring of `value` under the comparator
///   (RFC 4790 §4.2.2); the empty key is in every value.
/// - `:matches` — RFC 5228 §2.7.1 wildcards: `*` any sequence of units, `?`
///   exactly one unit of the comparator, `\` makes the next character literal
///   (a `\` at the very end of the key stands for itself). Captures follow
///   RFC 5229 §3.2: `${0}` is the whole value, then one entry per wildcard in
///   key order; wildcards expand as little as possible from the left (the
///   RFC's examples: `"[*] *"` on `[acme-users] [fwd] version 1.0 is out`
///   gives `acme-users` and `[fwd] version 1.0 is out`; `coyote@**.com` gives
///   an empty `${1}`). Finding each segment at its leftmost place is exactly
///   that expansion, and it is also a correct match/no-match decision: a
///   leftmost placement leaves the most room for the rest.
/// - `:regex` — see [`regex_match`].
/// - `:value` — `compare(value, key)` with the relation (RFC 5231 §4.1).
/// - `:count` — `value` is taken as the decimal count (the interpreter
///   normally calls [`match_count`] directly).
pub fn match_value(
    mt: &MatchType,
    cmp: Comparator,
    value: &str,
    key: &str,
    budget: &mut Budget,
) -> Result<Option<Captures>, MatchError> {
    budget.charge(1)?;
    match mt {
        MatchType::Is => {
            budget.charge(value.len().min(key.len()) as u64)?;
            Ok(is_equal(cmp, value, key).then(Vec::new))
        }
        MatchType::Value(rel) => {
            budget.charge(value.len().min(key.len()) as u64)?;
            Ok(rel.holds(compare(cmp, value, key)).then(Vec::new))
        }
        MatchType::Count(rel) => {
            budget.charge(value.len().min(key.len()) as u64)?;
            Ok(rel
                .holds(compare(Comparator::AsciiNumeric, value, key))
                .then(Vec::new))
        }
        MatchType::Contains => Ok(contains(cmp, value, key, budget)?.then(Vec::new)),
        MatchType::Matches => {
            let Some(spans) = wildcard_spans(cmp, value, key, budget)? else {
                return Ok(None);
            };
            let bytes = value.as_bytes();
            let mut caps = Vec::with_capacity(spans.len() + 1);
            caps.push(value.to_owned());
            caps.extend(spans.into_iter().map(|r| lossy(&bytes[r])));
            Ok(Some(caps))
        }
        MatchType::Regex => regex_match(cmp, value, key, budget),
    }
}

/// `:count` (RFC 5231 §4.2): the number of values (addresses, header fields,
/// …) compared with the key as i;ascii-numeric does, whatever comparator the
/// test names: a count is a number, and a key that does not start with a
/// digit is positive infinity (so `count lt "abc"` always holds).
pub fn match_count(rel: Relation, _cmp: Comparator, count: usize, key: &str) -> bool {
    rel.holds(compare(Comparator::AsciiNumeric, &count.to_string(), key))
}

/// The comparator's ordering (RFC 4790 §4.3), as used by `:value`.
///
/// - i;octet: octet strings, lexicographic (a proper prefix is smaller).
/// - i;ascii-casemap: both sides with a–z mapped to A–Z, then i;octet
///   (RFC 4790 §9.2.1 maps to *upper* case, which matters for `_`, `[`, `^`…
///   between the two letter ranges).
/// - i;ascii-numeric (RFC 4790 §9.1.1): the leading run of ASCII digits is
///   the value (`1 (Highest)` = 1, `007` = 7); a string that does not begin
///   with a digit, the empty string included, is positive infinity
///   (`-1.2` is greater than `100`); two infinities are equal. Digit strings are compared as digit
///   strings (leading zeros dropped, then length, then digits), so numbers
///   beyond `u64` compare correctly.
/// - i;unicode-casemap: the folded characters ([`unicode_fold`]) by code
///   point, which is the UTF-8 octet order RFC 5051 §2.3 uses.
pub fn compare(cmp: Comparator, a: &str, b: &str) -> Ordering {
    match cmp {
        Comparator::Octet => a.as_bytes().cmp(b.as_bytes()),
        Comparator::AsciiCasemap => a
            .bytes()
            .map(|c| c.to_ascii_uppercase())
            .cmp(b.bytes().map(|c| c.to_ascii_uppercase())),
        Comparator::AsciiNumeric => compare_numeric(a, b),
        Comparator::UnicodeCasemap => a.chars().map(unicode_fold).cmp(b.chars().map(unicode_fold)),
    }
}

/// The number an i;ascii-numeric string denotes: its leading digits without
/// leading zeros (`"0"` becomes `""`), or `None` for positive infinity.
pub fn numeric_value(s: &str) -> Option<&str> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let run = &s[..digits];
    Some(run.trim_start_matches('0'))
}

fn compare_numeric(a: &str, b: &str) -> Ordering {
    match (numeric_value(a), numeric_value(b)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => x.len().cmp(&y.len()).then_with(|| x.cmp(y)),
    }
}

/// The i;unicode-casemap folding of one character, as this tool implements
/// it: its lower-case mapping, then the upper-case mapping of that, each only
/// where the mapping is one character (else the character is kept).
///
/// RFC 5051 §2 requires the simple *titlecase* mapping of each character,
/// then NFKD normalization, then an octet comparison. What differs here:
/// - no NFKD: `é` precomposed (U+00E9) ≠ `e` + U+0301; ligatures (`ﬁ`),
///   full-width forms, superscripts and other compatibility characters are not
///   mapped to their plain forms;
/// - lower-then-upper instead of titlecase: the classes are the same for
///   nearly every letter (σ/ς/Σ, ſ/s/S, ı/i/I, ǆ/ǅ/Ǆ all fold together as in
///   RFC 5051), but a few pairs that RFC 5051 keeps apart are folded together
///   here, e.g. Georgian Mtavruli/Mkhedruli and ẞ (U+1E9E)/ß;
/// - characters whose case mapping is not one character (İ U+0130, ŉ, ß's
///   upper case "SS") are kept unchanged, as RFC 5051's simple mapping does.
pub fn unicode_fold(c: char) -> char {
    let lower = single(c.to_lowercase()).unwrap_or(c);
    single(lower.to_uppercase()).unwrap_or(lower)
}

fn single(mut it: impl Iterator<Item = char>) -> Option<char> {
    let first = it.next()?;
    it.next().is_none().then_some(first)
}

fn is_equal(cmp: Comparator, a: &str, b: &str) -> bool {
    match cmp {
        Comparator::Octet => a == b,
        Comparator::AsciiCasemap => a.eq_ignore_ascii_case(b),
        Comparator::AsciiNumeric => compare_numeric(a, b) == Ordering::Equal,
        Comparator::UnicodeCasemap => a.chars().map(unicode_fold).eq(b.chars().map(unicode_fold)),
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

// ---------------------------------------------------------------------------
// Values as sequences of comparator units.

/// One comparator unit: an octet or a (folded) character.
trait Unit: Copy + Eq + Hash {
    fn code(self) -> u32;
}

impl Unit for u8 {
    fn code(self) -> u32 {
        u32::from(self)
    }
}

impl Unit for char {
    fn code(self) -> u32 {
        self as u32
    }
}

/// A value seen as comparator units, already folded.
trait Text {
    type U: Unit;
    fn len(&self) -> usize;
    fn at(&self, i: usize) -> Self::U;
    /// The byte offset in the original value where unit `i` starts
    /// (`i == len()` gives the value's length).
    fn offset(&self, i: usize) -> usize;
}

/// i;octet: the octets themselves.
struct Octets<'a>(&'a [u8]);

impl Text for Octets<'_> {
    type U = u8;
    fn len(&self) -> usize {
        self.0.len()
    }
    fn at(&self, i: usize) -> u8 {
        self.0[i]
    }
    fn offset(&self, i: usize) -> usize {
        i
    }
}

/// i;ascii-casemap: octets with a–z mapped to A–Z (RFC 4790 §9.2.1). The
/// mapping keeps every octet in place, so offsets are unchanged.
struct AsciiFolded<'a>(&'a [u8]);

impl Text for AsciiFolded<'_> {
    type U = u8;
    fn len(&self) -> usize {
        self.0.len()
    }
    fn at(&self, i: usize) -> u8 {
        self.0[i].to_ascii_uppercase()
    }
    fn offset(&self, i: usize) -> usize {
        i
    }
}

/// i;unicode-casemap: one folded character per original character.
struct FoldedChars {
    units: Vec<char>,
    offsets: Vec<usize>,
}

impl FoldedChars {
    fn new(s: &str, budget: &mut Budget) -> Result<Self, MatchError> {
        budget.charge(s.len() as u64)?;
        let mut units = Vec::with_capacity(s.len());
        let mut offsets = Vec::with_capacity(s.len() + 1);
        for (i, c) in s.char_indices() {
            units.push(unicode_fold(c));
            offsets.push(i);
        }
        offsets.push(s.len());
        Ok(FoldedChars { units, offsets })
    }
}

impl Text for FoldedChars {
    type U = char;
    fn len(&self) -> usize {
        self.units.len()
    }
    fn at(&self, i: usize) -> char {
        self.units[i]
    }
    fn offset(&self, i: usize) -> usize {
        self.offsets[i]
    }
}

// ---------------------------------------------------------------------------
// :contains

fn contains(
    cmp: Comparator,
    value: &str,
    key: &str,
    budget: &mut Budget,
) -> Result<bool, MatchError> {
    match cmp {
        Comparator::AsciiNumeric => Err(MatchError::ComparatorCannot(NUMERIC_NO_SUBSTRING)),
        Comparator::Octet => {
            let seg = Segment::new(key.bytes().map(Some).collect());
            let text = Octets(value.as_bytes());
            Ok(seg.find(&text, 0, text.len(), budget)?.is_some())
        }
        Comparator::AsciiCasemap => {
            let seg = Segment::new(key.bytes().map(|b| Some(b.to_ascii_uppercase())).collect());
            let text = AsciiFolded(value.as_bytes());
            Ok(seg.find(&text, 0, text.len(), budget)?.is_some())
        }
        Comparator::UnicodeCasemap => {
            let seg = Segment::new(key.chars().map(|c| Some(unicode_fold(c))).collect());
            let text = FoldedChars::new(value, budget)?;
            Ok(seg.find(&text, 0, text.len(), budget)?.is_some())
        }
    }
}

// ---------------------------------------------------------------------------
// :matches

/// The byte ranges in `value` that each wildcard of a `:matches` key covers,
/// in key order, or `None` when the value does not match. This is what
/// [`match_value`] turns into `${1}`…; with i;octet and i;ascii-casemap a `?`
/// covers one octet, which may be part of a multi-octet character (its
/// capture is then not valid UTF-8 on its own, and [`match_value`] renders it
/// with U+FFFD — use the ranges to rebuild the octets exactly).
pub fn wildcard_spans(
    cmp: Comparator,
    value: &str,
    key: &str,
    budget: &mut Budget,
) -> Result<Option<Vec<Range<usize>>>, MatchError> {
    match cmp {
        Comparator::AsciiNumeric => Err(MatchError::ComparatorCannot(NUMERIC_NO_SUBSTRING)),
        Comparator::Octet => {
            let pattern = Pattern::parse(key.bytes(), b'*', b'?', b'\\');
            pattern.spans(&Octets(value.as_bytes()), budget)
        }
        Comparator::AsciiCasemap => {
            // `*`, `?` and `\` are not letters, so folding before parsing is safe.
            let pattern = Pattern::parse(
                key.bytes().map(|b| b.to_ascii_uppercase()),
                b'*',
                b'?',
                b'\\',
            );
            pattern.spans(&AsciiFolded(value.as_bytes()), budget)
        }
        Comparator::UnicodeCasemap => {
            let pattern = Pattern::parse(key.chars().map(unicode_fold), '*', '?', '\\');
            let text = FoldedChars::new(value, budget)?;
            pattern.spans(&text, budget)
        }
    }
}

/// A `:matches` key: segments between the `*`s. A segment is a run of units
/// where `None` is a `?` (any one unit) and `Some(u)` a literal unit.
struct Pattern<U: Unit> {
    /// Always at least one; `segments.len() - 1` is the number of `*`.
    segments: Vec<Segment<U>>,
}

impl<U: Unit> Pattern<U> {
    /// RFC 5228 §2.7.1: `*`, `?`, and `\` quoting the next character.
    fn parse(units: impl Iterator<Item = U>, star: U, question: U, backslash: U) -> Self {
        let mut segments = Vec::new();
        let mut current = Vec::new();
        let mut units = units;
        while let Some(u) = units.next() {
            if u == backslash {
                // A trailing lone backslash quotes nothing and stands for itself.
                current.push(Some(units.next().unwrap_or(backslash)));
            } else if u == star {
                segments.push(Segment::new(std::mem::take(&mut current)));
            } else if u == question {
                current.push(None);
            } else {
                current.push(Some(u));
            }
        }
        segments.push(Segment::new(current));
        Pattern { segments }
    }

    /// Unit ranges of each wildcard, mapped to byte ranges of the value.
    fn spans<T: Text<U = U>>(
        &self,
        text: &T,
        budget: &mut Budget,
    ) -> Result<Option<Vec<Range<usize>>>, MatchError> {
        let n = text.len();
        let first = &self.segments[0];
        let mut wild: Vec<Range<usize>> = Vec::new();
        if self.segments.len() == 1 {
            // No `*`: the key must cover the value exactly.
            if first.len() != n {
                return Ok(None);
            }
            budget.charge(n as u64)?;
            if !first.matches_at(text, 0) {
                return Ok(None);
            }
            first.push_anys(0, &mut wild);
            return Ok(Some(to_bytes(text, wild)));
        }
        let last = &self.segments[self.segments.len() - 1];
        if first.len() + last.len() > n {
            return Ok(None);
        }
        let end = n - last.len();
        budget.charge((first.len() + last.len()) as u64)?;
        if !first.matches_at(text, 0) || !last.matches_at(text, end) {
            return Ok(None);
        }
        first.push_anys(0, &mut wild);
        let mut pos = first.len();
        for seg in &self.segments[1..self.segments.len() - 1] {
            let Some(at) = seg.find(text, pos, end, budget)? else {
                return Ok(None);
            };
            wild.push(pos..at); // the `*` before this segment
            seg.push_anys(at, &mut wild);
            pos = at + seg.len();
        }
        wild.push(pos..end); // the last `*`
        last.push_anys(end, &mut wild);
        Ok(Some(to_bytes(text, wild)))
    }
}

fn to_bytes<T: Text>(text: &T, units: Vec<Range<usize>>) -> Vec<Range<usize>> {
    units
        .into_iter()
        .map(|r| text.offset(r.start)..text.offset(r.end))
        .collect()
}

/// A run of literal units and `?`s, searched for in linear time.
struct Segment<U: Unit> {
    units: Vec<Option<U>>,
}

/// Segments up to this many units (and every segment with a `?`) are searched
/// with Shift-And; longer literal ones with Knuth–Morris–Pratt.
const SHIFT_AND_MAX_LITERAL: usize = 64;

impl<U: Unit> Segment<U> {
    fn new(units: Vec<Option<U>>) -> Self {
        Segment { units }
    }

    fn len(&self) -> usize {
        self.units.len()
    }

    fn matches_at<T: Text<U = U>>(&self, text: &T, at: usize) -> bool {
        self.units
            .iter()
            .enumerate()
            .all(|(j, u)| u.is_none_or(|u| text.at(at + j) == u))
    }

    /// The unit ranges of this segment's `?`s when it sits at `at`.
    fn push_anys(&self, at: usize, out: &mut Vec<Range<usize>>) {
        for (j, u) in self.units.iter().enumerate() {
            if u.is_none() {
                out.push(at + j..at + j + 1);
            }
        }
    }

    /// The leftmost `i` in `from..=to - len` where the segment matches,
    /// scanning no further than the budget allows.
    fn find<T: Text<U = U>>(
        &self,
        text: &T,
        from: usize,
        to: usize,
        budget: &mut Budget,
    ) -> Result<Option<usize>, MatchError> {
        let m = self.len();
        if m == 0 {
            return Ok(Some(from));
        }
        if to < from || to - from < m {
            return Ok(None);
        }
        let has_any = self.units.iter().any(Option::is_none);
        let per_unit = if has_any || m <= SHIFT_AND_MAX_LITERAL {
            m.div_ceil(64) as u64
        } else {
            2 // KMP looks at each text unit at most twice (amortized)
        };
        // Setting up the search costs about one step per key unit.
        budget.charge(m as u64)?;
        let limit = to.min(from.saturating_add(budget.affordable(per_unit)));
        let found = if has_any || m <= SHIFT_AND_MAX_LITERAL {
            self.shift_and(text, from, limit)
        } else {
            self.kmp(text, from, limit)
        };
        match found {
            Some(at) => {
                budget.charge((at + m - from) as u64 * per_unit)?;
                Ok(Some(at))
            }
            // A match ending inside the affordable window would have been
            // found, so the leftmost one (if any) ends past it: out of budget.
            None if limit < to => {
                budget.remaining = 0;
                Err(MatchError::Budget)
            }
            None => {
                budget.charge((to - from) as u64 * per_unit)?;
                Ok(None)
            }
        }
    }

    /// Bit-parallel Shift-And (Baeza-Yates–Gonnet): O((to - from) · ⌈m/64⌉),
    /// and `?` is simply a position every unit's mask has set.
    fn shift_and<T: Text<U = U>>(&self, text: &T, from: usize, to: usize) -> Option<usize> {
        let m = self.len();
        if m <= 64 {
            return self.shift_and_word(text, from, to);
        }
        let words = m.div_ceil(64);
        let mut any = vec![0u64; words];
        for (j, u) in self.units.iter().enumerate() {
            if u.is_none() {
                any[j / 64] |= 1 << (j % 64);
            }
        }
        // Masks for codes below 256 in a flat table, others in a map; every
        // mask includes the `?` positions.
        let mut dense: Vec<u64> = any.iter().copied().cycle().take(256 * words).collect();
        let mut sparse: HashMap<u32, Vec<u64>> = HashMap::new();
        for (j, u) in self.units.iter().enumerate() {
            if let Some(u) = u {
                let code = u.code();
                let bit = 1u64 << (j % 64);
                if code < 256 {
                    dense[code as usize * words + j / 64] |= bit;
                } else {
                    sparse.entry(code).or_insert_with(|| any.clone())[j / 64] |= bit;
                }
            }
        }
        let top_word = (m - 1) / 64;
        let top_bit = 1u64 << ((m - 1) % 64);
        let mut state = vec![0u64; words];
        for i in from..to {
            let code = text.at(i).code();
            let mask: &[u64] = if code < 256 {
                let c = code as usize;
                &dense[c * words..(c + 1) * words]
            } else {
                sparse.get(&code).map_or(any.as_slice(), Vec::as_slice)
            };
            let mut carry = 1u64;
            for (s, &mk) in state.iter_mut().zip(mask) {
                let next_carry = *s >> 63;
                *s = ((*s << 1) | carry) & mk;
                carry = next_carry;
            }
            if state[top_word] & top_bit != 0 {
                return Some(i + 1 - m);
            }
        }
        None
    }

    /// [`Self::shift_and`] for segments of at most 64 units: one state word,
    /// the masks of codes below 256 in a table on the stack (no allocation;
    /// most keys and values are short, and building the table was most of
    /// the work).
    fn shift_and_word<T: Text<U = U>>(&self, text: &T, from: usize, to: usize) -> Option<usize> {
        let m = self.len();
        let mut any = 0u64;
        for (j, u) in self.units.iter().enumerate() {
            if u.is_none() {
                any |= 1 << j;
            }
        }
        let mut dense = [any; 256];
        // Codes of 256 and above (i;unicode-casemap): (code, mask), sorted.
        let mut sparse: Vec<(u32, u64)> = Vec::new();
        for (j, u) in self.units.iter().enumerate() {
            if let Some(u) = u {
                let code = u.code();
                let bit = 1u64 << j;
                match dense.get_mut(code as usize) {
                    Some(mask) => *mask |= bit,
                    None => match sparse.binary_search_by_key(&code, |&(c, _)| c) {
                        Ok(k) => sparse[k].1 |= bit,
                        Err(k) => sparse.insert(k, (code, any | bit)),
                    },
                }
            }
        }
        let top_bit = 1u64 << (m - 1);
        let mut state = 0u64;
        for i in from..to {
            let code = text.at(i).code();
            let mask = match dense.get(code as usize) {
                Some(&mask) => mask,
                None => sparse
                    .binary_search_by_key(&code, |&(c, _)| c)
                    .map_or(any, |k| sparse[k].1),
            };
            state = ((state << 1) | 1) & mask;
            if state & top_bit != 0 {
                return Some(i + 1 - m);
            }
        }
        None
    }

    /// Knuth–Morris–Pratt for a literal segment: O(m + (to - from)).
    fn kmp<T: Text<U = U>>(&self, text: &T, from: usize, to: usize) -> Option<usize> {
        let pat: Vec<U> = self
            .units
            .iter()
            .map(|u| u.expect("literal segment"))
            .collect();
        let m = pat.len();
        let mut fail = vec![0usize; m];
        let mut k = 0;
        for i in 1..m {
            while k > 0 && pat[i] != pat[k] {
                k = fail[k - 1];
            }
            if pat[i] == pat[k] {
                k += 1;
            }
            fail[i] = k;
        }
        let mut q = 0;
        for i in from..to {
            let c = text.at(i);
            while q > 0 && c != pat[q] {
                q = fail[q - 1];
            }
            if c == pat[q] {
                q += 1;
            }
            if q == m {
                return Some(i + 1 - m);
            }
        }
        None
    }
}

// ---------------------------------------------------------------------------
// :regex

/// Compiled-program size limit for one `:regex` key (regex crate
/// `size_limit`); the lazy-DFA cache gets the same.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// Compiled keys kept per thread before the cache is emptied.
const REGEX_CACHE_CAPACITY: usize = 256;

#[derive(Clone)]
enum CompiledRegex {
    Bytes(regex::bytes::Regex),
    Unicode(regex::Regex),
}

thread_local! {
    static REGEX_CACHE: RefCell<HashMap<(Comparator, String), Result<CompiledRegex, String>>> =
        RefCell::new(HashMap::new());
}

fn compile_regex(cmp: Comparator, key: &str) -> Result<CompiledRegex, String> {
    match cmp {
        Comparator::UnicodeCasemap => regex::RegexBuilder::new(key)
            .case_insensitive(true)
            .dot_matches_new_line(true)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map(CompiledRegex::Unicode)
            .map_err(|e| e.to_string()),
        _ => regex::bytes::RegexBuilder::new(key)
            .unicode(false)
            .case_insensitive(cmp == Comparator::AsciiCasemap)
            .dot_matches_new_line(true)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map(CompiledRegex::Bytes)
            .map_err(|e| {
                let msg = e.to_string();
                if msg.contains("Unicode not allowed") {
                    format!(
                        "{msg}\n(with {} a regex works on octets; a bracket expression with \
                         non-ASCII characters needs i;unicode-casemap or a (?u:…) group)",
                        cmp.name()
                    )
                } else {
                    msg
                }
            }),
    }
}

/// `:regex` (draft-ietf-sieve-regex): an unanchored search with the regex
/// crate (guaranteed linear time in the value for a given key; compiled size
/// limited to [`REGEX_SIZE_LIMIT`]; compiled keys cached per thread).
///
/// - i;octet and i;ascii-casemap: the regex works on octets, like a POSIX
///   regex in the C locale (`.` is one octet, classes such as `\w` and
///   `[[:alpha:]]` are ASCII); i;ascii-casemap adds case-insensitivity for
///   A–Z/a–z only (the regex crate with Unicode off), so `(?i)` never folds
///   `É`/`é` or `ſ`/`s` (RFC 4790 §9.2.1). A bracket expression containing a
///   non-ASCII character is an error in this mode (write it inside `(?u:…)`).
/// - i;unicode-casemap: `.` is one character and case-insensitivity is the
///   regex crate's Unicode simple case folding.
/// - i;ascii-numeric: an error (no substring operation).
///
/// `.` matches a newline and `^`/`$` anchor the whole value, as POSIX regexec
/// without REG_NEWLINE. Captures: `${0}` the matched text, `${n}` group n,
/// `""` for a group that did not take part. Differences from POSIX ERE: the
/// regex crate's leftmost-first (Perl) semantics instead of leftmost-longest
/// (same yes/no answer, but `a|ab` captures `a` on `ab`); no back-references
/// (a [`MatchError::BadRegex`]); unknown escapes such as `\<` are errors.
///
/// Budget: `(value length + 1) · (1 + key length / 64)` plus the key length,
/// charged before the search, as an estimate of the automaton's work.
pub fn regex_match(
    cmp: Comparator,
    value: &str,
    key: &str,
    budget: &mut Budget,
) -> Result<Option<Captures>, MatchError> {
    if cmp == Comparator::AsciiNumeric {
        return Err(MatchError::ComparatorCannot(NUMERIC_NO_SUBSTRING));
    }
    let estimate = (value.len() as u64 + 1)
        .saturating_mul(1 + key.len() as u64 / 64)
        .saturating_add(key.len() as u64);
    budget.charge(estimate)?;
    let compiled = REGEX_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(found) = cache.get(&(cmp, key.to_owned())) {
            return found.clone();
        }
        if cache.len() >= REGEX_CACHE_CAPACITY {
            cache.clear();
        }
        let compiled = compile_regex(cmp, key);
        cache.insert((cmp, key.to_owned()), compiled.clone());
        compiled
    });
    match compiled.map_err(MatchError::BadRegex)? {
        CompiledRegex::Bytes(re) => Ok(re.captures(value.as_bytes()).map(|c| {
            c.iter()
                .map(|m| m.map_or_else(String::new, |m| lossy(m.as_bytes())))
                .collect()
        })),
        CompiledRegex::Unicode(re) => Ok(re.captures(value).map(|c| {
            c.iter()
                .map(|m| m.map_or_else(String::new, |m| m.as_str().to_owned()))
                .collect()
        })),
    }
}
