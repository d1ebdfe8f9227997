//! Match types and comparators of the dry run (src/run/matching.rs).

mod common;
use common::Rng;
use common::wildcard::{parse_octets, reference};

use std::cmp::Ordering;

use sieve_lint::run::matching::{
    Budget, Comparator, MatchError, MatchType, Relation, compare, match_count, match_value,
    numeric_value, unicode_fold, wildcard_spans,
};

use Comparator::{AsciiCasemap, AsciiNumeric, Octet, UnicodeCasemap};

const BIG: u64 = 1 << 40;

fn m(
    mt: MatchType,
    cmp: Comparator,
    value: &str,
    key: &str,
) -> Result<Option<Vec<String>>, MatchError> {
    match_value(&mt, cmp, value, key, &mut Budget::new(BIG))
}

fn yes(mt: MatchType, cmp: Comparator, value: &str, key: &str) -> bool {
    m(mt, cmp, value, key).unwrap().is_some()
}

fn caps(cmp: Comparator, value: &str, key: &str) -> Option<Vec<String>> {
    m(MatchType::Matches, cmp, value, key).unwrap()
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

// --- names ---------------------------------------------------------------

#[test]
fn comparator_names_round_trip_case_insensitively() {
    for c in Comparator::ALL {
        assert_eq!(Comparator::from_name(c.name()), Some(c));
        assert_eq!(Comparator::from_name(&c.name().to_uppercase()), Some(c));
    }
    assert_eq!(Comparator::from_name("I;ASCII-NUMERIC"), Some(AsciiNumeric));
    assert_eq!(
        Comparator::from_name("i;unicode-casemap"),
        Some(UnicodeCasemap)
    );
    assert_eq!(Comparator::from_name("i;basic"), None);
    assert_eq!(Comparator::from_name("octet"), None);
    assert_eq!(Octet.name(), "i;octet");
}

#[test]
fn default_comparator_is_ascii_casemap() {
    // semantics.md: comparator left unspecified → i;ascii-casemap (RFC 5228 §2.7.3).
    assert_eq!(Comparator::default(), AsciiCasemap);
}

#[test]
fn relation_names() {
    assert_eq!(Relation::from_name("gt"), Some(Relation::Gt));
    assert_eq!(Relation::from_name("GE"), Some(Relation::Ge));
    assert_eq!(Relation::from_name("lt"), Some(Relation::Lt));
    assert_eq!(Relation::from_name("Le"), Some(Relation::Le));
    assert_eq!(Relation::from_name("eq"), Some(Relation::Eq));
    assert_eq!(Relation::from_name("ne"), Some(Relation::Ne));
    assert_eq!(Relation::from_name("gte"), None);
    assert_eq!(Relation::from_name(""), None);
    assert_eq!(Relation::Ge.name(), "ge");
}

// --- :is -----------------------------------------------------------------

#[test]
fn is_with_each_comparator() {
    use MatchType::Is;
    assert!(yes(Is, Octet, "Hello", "Hello"));
    assert!(!yes(Is, Octet, "Hello", "hello"));
    assert!(yes(Is, AsciiCasemap, "Hello", "hELLO"));
    assert!(!yes(Is, AsciiCasemap, "Hello", "Hello "));
    // semantics.md: only A–Z/a–z fold under i;ascii-casemap (RFC 4790 §9.2.1).
    assert!(!yes(Is, AsciiCasemap, "FRANÇOIS", "François"));
    assert!(yes(Is, AsciiCasemap, "FRANçOIS", "françois"));
    assert!(yes(Is, UnicodeCasemap, "FRANÇOIS", "François"));
    assert!(!yes(Is, Octet, "François", "FRANÇOIS"));
    assert!(yes(Is, AsciiNumeric, "007", "7"));
    assert!(yes(Is, AsciiNumeric, "1 (Highest)", "1"));
    assert!(!yes(Is, AsciiNumeric, "10", "1"));
    // Two strings that do not start with a digit are both +∞, hence equal.
    assert!(yes(Is, AsciiNumeric, "abc", "xyz"));
    assert!(yes(Is, AsciiNumeric, "", "-1"));
    assert!(!yes(Is, AsciiNumeric, "abc", "0"));
    assert_eq!(m(Is, Octet, "x", "x").unwrap(), Some(vec![]));
    assert!(yes(Is, Octet, "", ""));
}

// --- :contains -----------------------------------------------------------

#[test]
fn contains_with_each_comparator() {
    use MatchType::Contains;
    assert!(yes(Contains, Octet, "Buy cheap VIAGRA now", "VIAGRA"));
    assert!(!yes(Contains, Octet, "Buy cheap VIAGRA now", "viagra"));
    assert!(yes(
        Contains,
        AsciiCasemap,
        "Buy cheap VIAGRA now",
        "viagra"
    ));
    assert!(!yes(Contains, AsciiCasemap, "Grüße aus KÖLN", "köln"));
    assert!(yes(Contains, UnicodeCasemap, "Grüße aus KÖLN", "köln"));
    assert!(yes(Contains, AsciiCasemap, "abc", ""));
    assert!(yes(Contains, Octet, "", ""));
    assert!(!yes(Contains, Octet, "", "a"));
    assert!(!yes(Contains, Octet, "ab", "abc"));
    assert!(yes(Contains, Octet, "aaab", "aab"));
    // A literal `*` and `?` mean themselves in :contains.
    assert!(!yes(Contains, Octet, "abc", "a*c"));
    assert!(yes(Contains, Octet, "x a*c y", "a*c"));
    // Long keys (KMP path) and keys of exactly 64 / 65 units.
    let long = "ab".repeat(50) + "c";
    let hay = "ab".repeat(500) + &long + "zz";
    assert!(yes(Contains, Octet, &hay, &long));
    assert!(!yes(Contains, Octet, &("ab".repeat(600)), &long));
    for n in [63, 64, 65, 129] {
        let key = "x".repeat(n - 1) + "y";
        assert!(
            yes(Contains, AsciiCasemap, &("X".repeat(200) + "Y"), &key),
            "n={n}"
        );
        assert!(
            !yes(Contains, AsciiCasemap, &("X".repeat(200)), &key),
            "n={n}"
        );
    }
    assert_eq!(
        m(Contains, AsciiNumeric, "123", "2"),
        Err(MatchError::ComparatorCannot(
            "the comparator i;ascii-numeric has no substring operation (RFC 4790 §9.1), so it cannot be used with :contains, :matches or :regex"
        ))
    );
}

// --- :matches ------------------------------------------------------------

#[test]
fn matches_with_each_comparator() {
    use MatchType::Matches;
    assert!(yes(Matches, Octet, "Hello World", "Hello*"));
    assert!(!yes(Matches, Octet, "Hello World", "hello*"));
    assert!(yes(Matches, AsciiCasemap, "Hello World", "hello*"));
    assert!(yes(Matches, AsciiCasemap, "Hello World", "*WORLD"));
    assert!(!yes(Matches, AsciiCasemap, "ÉCOLE", "é*"));
    assert!(yes(Matches, UnicodeCasemap, "ÉCOLE", "é*"));
    assert!(!yes(Matches, Octet, "Hello World", "World"));
    assert!(yes(Matches, Octet, "", ""));
    assert!(yes(Matches, Octet, "", "*"));
    assert!(yes(Matches, Octet, "", "**"));
    assert!(!yes(Matches, Octet, "", "?"));
    assert!(!yes(Matches, Octet, "a", ""));
    assert!(yes(Matches, Octet, "abc", "a?c"));
    assert!(!yes(Matches, Octet, "abbc", "a?c"));
    assert!(yes(Matches, Octet, "abcabc", "*abc"));
    assert!(yes(Matches, Octet, "abcab", "abc*ab"));
    // Prefix and suffix may not overlap.
    assert!(!yes(Matches, Octet, "abc", "abc*bc"));
    assert!(!yes(Matches, Octet, "aba", "ab*ba"));
    assert!(yes(Matches, Octet, "abba", "ab*ba"));
    assert!(yes(Matches, Octet, "xaxbxcx", "*a*b*c*"));
    assert!(!yes(Matches, Octet, "xaxcxbx", "*a*b*c*"));
    assert!(matches!(
        m(Matches, AsciiNumeric, "123", "1*"),
        Err(MatchError::ComparatorCannot(_))
    ));
}

#[test]
fn matches_escapes() {
    use MatchType::Matches;
    // The key strings here are after Sieve string unescaping: `\*` is two characters.
    assert!(yes(Matches, Octet, "a*b", r"a\*b"));
    assert!(!yes(Matches, Octet, "axb", r"a\*b"));
    assert!(yes(Matches, Octet, "a?b", r"a\?b"));
    assert!(!yes(Matches, Octet, "axb", r"a\?b"));
    assert!(yes(Matches, Octet, r"a\b", r"a\\b"));
    assert!(!yes(Matches, Octet, r"a\\b", r"a\\b"));
    assert!(yes(Matches, Octet, r"a\\b", r"a\\\\b"));
    // Escaping an ordinary character yields the character.
    assert!(yes(Matches, Octet, "abc", r"\a\b\c"));
    // A trailing backslash stands for itself.
    assert!(yes(Matches, Octet, r"ab\", r"ab\"));
    // Escapes inside middle segments, and a literal star followed by a wildcard.
    assert!(yes(Matches, AsciiCasemap, "x*Y?z", r"*\*y\?*"));
    assert!(!yes(Matches, AsciiCasemap, "x*YQz", r"*\*y\?*"));
    assert_eq!(caps(Octet, "2*3", r"*\**").unwrap(), s(&["2*3", "2", "3"]));
    assert!(yes(Matches, UnicodeCasemap, "€*", r"€\*"));
}

#[test]
fn question_mark_counts_units_of_the_comparator() {
    use MatchType::Matches;
    // semantics.md: `?` is one octet for i;octet and i;ascii-casemap.
    for cmp in [Octet, AsciiCasemap] {
        assert!(!yes(Matches, cmp, "é", "?"), "{cmp:?}");
        assert!(yes(Matches, cmp, "é", "??"), "{cmp:?}");
        assert!(yes(Matches, cmp, "café", "caf??"), "{cmp:?}");
        assert!(!yes(Matches, cmp, "café", "caf?"), "{cmp:?}");
        assert!(yes(Matches, cmp, "€", "???"), "{cmp:?}");
        assert!(yes(Matches, cmp, "😀x", "????x"), "{cmp:?}");
    }
    // … and one character for i;unicode-casemap.
    assert!(yes(Matches, UnicodeCasemap, "é", "?"));
    assert!(!yes(Matches, UnicodeCasemap, "é", "??"));
    assert!(yes(Matches, UnicodeCasemap, "café", "caf?"));
    assert!(yes(Matches, UnicodeCasemap, "😀x", "?x"));
    // Octet captures split the character; the spans give the exact octets.
    let c = caps(Octet, "é", "??").unwrap();
    assert_eq!(c[0], "é");
    assert_eq!(c[1], "\u{FFFD}");
    assert_eq!(c[2], "\u{FFFD}");
    let spans = wildcard_spans(Octet, "é", "??", &mut Budget::new(BIG))
        .unwrap()
        .unwrap();
    assert_eq!(spans, vec![0..1, 1..2]);
    assert_eq!(
        caps(UnicodeCasemap, "café", "caf?").unwrap(),
        s(&["café", "é"])
    );
}

#[test]
fn question_mark_before_a_star_still_needs_one_unit() {
    use MatchType::Matches;
    // semantics.md: `?` inside a literal run followed by `*` must match exactly one.
    assert!(!yes(Matches, Octet, "a", "a?*"));
    assert!(yes(Matches, Octet, "ab", "a?*"));
    assert!(yes(Matches, Octet, "abcdef", "a?*"));
    assert!(!yes(Matches, Octet, "a", "*?a"));
    assert!(yes(Matches, Octet, "xa", "*?a"));
    assert!(!yes(Matches, Octet, "ab", "*a?b*"));
    assert!(yes(Matches, Octet, "axb", "*a?b*"));
    assert!(!yes(Matches, Octet, "xab", "*?ab?*"));
    assert!(yes(Matches, Octet, "xaby", "*?ab?*"));
    assert_eq!(
        caps(Octet, "xaby", "*?ab?*").unwrap(),
        s(&["xaby", "", "x", "y", ""])
    );
}

#[test]
fn captures_follow_rfc_5229_examples() {
    // RFC 5229 §3.2 examples.
    assert_eq!(
        caps(
            AsciiCasemap,
            "[acme-users] [fwd] version 1.0 is out",
            "[*] *"
        )
        .unwrap(),
        s(&[
            "[acme-users] [fwd] version 1.0 is out",
            "acme-users",
            "[fwd] version 1.0 is out"
        ])
    );
    assert_eq!(
        caps(AsciiCasemap, "coyote@ACME.Example.COM", "coyote@**.com").unwrap(),
        s(&["coyote@ACME.Example.COM", "", "ACME.Example"])
    );
    assert_eq!(
        caps(AsciiCasemap, "Example List <list.example.com>", "*<*@*").map(|_| ()),
        None
    );
    assert_eq!(
        caps(AsciiCasemap, "<coyote@example.com>", "*<*@*").unwrap(),
        s(&["<coyote@example.com>", "", "coyote", "example.com>"])
    );
    // Wildcards expand as little as possible from the left.
    assert_eq!(
        caps(Octet, "frop.......frop.........frop....", "?*frop*").unwrap(),
        s(&[
            "frop.......frop.........frop....",
            "f",
            "rop.......",
            ".........frop...."
        ])
    );
    assert_eq!(
        caps(Octet, "frop:frup:frop", "*:*:*").unwrap(),
        s(&["frop:frup:frop", "frop", "frup", "frop"])
    );
    assert_eq!(
        caps(Octet, "a.b.c.d", "*.*").unwrap(),
        s(&["a.b.c.d", "a", "b.c.d"])
    );
    assert_eq!(
        caps(Octet, "abc", "???").unwrap(),
        s(&["abc", "a", "b", "c"])
    );
    assert_eq!(
        caps(Octet, "abcde", "?b*?").unwrap(),
        s(&["abcde", "a", "cd", "e"])
    );
    assert_eq!(
        caps(Octet, "aXbXc", "*X*").unwrap(),
        s(&["aXbXc", "a", "bXc"])
    );
    // The captures keep the value's case, whatever the comparator folded.
    assert_eq!(
        caps(AsciiCasemap, "Re: HELLO", "re: *").unwrap(),
        s(&["Re: HELLO", "HELLO"])
    );
    assert_eq!(
        caps(UnicodeCasemap, "ÀB-ÇD", "àb-*").unwrap(),
        s(&["ÀB-ÇD", "ÇD"])
    );
}

#[test]
fn matches_without_wildcards_captures_only_the_value() {
    // semantics.md: after a :matches with no wildcards, ${1} is past the list
    // (the interpreter shows it as ""); the list holds ${0} alone.
    assert_eq!(caps(Octet, "abc", "abc").unwrap(), s(&["abc"]));
    assert_eq!(caps(Octet, "abc", "abd"), None);
}

#[test]
fn matches_is_linear_on_a_megabyte() {
    let value = "a".repeat(1 << 20);
    for (key, expect) in [
        ("*a*a*a*a*a*b", false),
        ("*a*a*a*a*a*b*", false),
        ("*a*a*a*a*a*", true),
        ("*a?a*a?a*a?b*", false),
        (
            "*aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab*",
            false,
        ),
    ] {
        // A budget of 20 steps per value byte is enough for a linear scan:
        // the step count, not the wall clock, proves the bound.
        let mut budget = Budget::new(20 << 20);
        let got = match_value(&MatchType::Matches, AsciiCasemap, &value, key, &mut budget).unwrap();
        assert_eq!(got.is_some(), expect, "{key}");
        assert!(budget.remaining > 0, "{key}");
    }
    let mut value_b = value.clone();
    value_b.push('b');
    let mut budget = Budget::new(20 << 20);
    let got = match_value(
        &MatchType::Matches,
        Octet,
        &value_b,
        "*a*a*a*a*a*b",
        &mut budget,
    )
    .unwrap()
    .unwrap();
    assert_eq!(got.len(), 7);
    assert_eq!(got[1..6], s(&["", "", "", "", ""]));
    assert_eq!(got[6].len(), (1 << 20) - 5);
}

#[test]
fn budget_runs_out_as_an_error() {
    let value = "a".repeat(100_000);
    let mut budget = Budget::new(1_000);
    assert_eq!(
        match_value(&MatchType::Matches, Octet, &value, "*b*", &mut budget),
        Err(MatchError::Budget)
    );
    assert_eq!(budget.remaining, 0);
    let mut budget = Budget::new(1_000);
    assert_eq!(
        match_value(&MatchType::Contains, AsciiCasemap, &value, "b", &mut budget),
        Err(MatchError::Budget)
    );
    let mut budget = Budget::new(1_000);
    assert_eq!(
        match_value(&MatchType::Regex, Octet, &value, "b", &mut budget),
        Err(MatchError::Budget)
    );
    let mut budget = Budget::new(10);
    assert_eq!(
        match_value(&MatchType::Is, Octet, &value, &value, &mut budget),
        Err(MatchError::Budget)
    );
    // A match found within the budget succeeds and is charged for what it scanned.
    let mut budget = Budget::new(1_000);
    let got = match_value(
        &MatchType::Contains,
        Octet,
        &(String::from("xb") + &value),
        "b",
        &mut budget,
    );
    assert_eq!(got, Ok(Some(vec![])));
    assert!(
        budget.remaining < 1_000 && budget.remaining > 900,
        "{}",
        budget.remaining
    );
    let mut b = Budget::new(5);
    assert_eq!(b.charge(5), Ok(()));
    assert_eq!(b.remaining, 0);
    assert_eq!(b.charge(1), Err(MatchError::Budget));
}

// --- cross-check :matches against a backtracking reference ---------------
// (tests/common/wildcard.rs)

#[test]
fn matches_agrees_with_backtracking_reference() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let value_alphabet = ["a", "b", "A", "é", "*", "?", "\\"];
    let key_alphabet = ["a", "b", "B", "*", "*", "?", "\\*", "\\?", "\\\\", "é"];
    let mut matched = 0;
    for _ in 0..20_000 {
        let value: String = (0..rng.below(9))
            .map(|_| rng.pick(&value_alphabet))
            .collect();
        let key: String = (0..rng.below(7)).map(|_| rng.pick(&key_alphabet)).collect();
        for cmp in [Octet, AsciiCasemap] {
            let eq: &dyn Fn(u8, u8) -> bool = if cmp == Octet {
                &|a, b| a == b
            } else {
                &|a: u8, b: u8| a.eq_ignore_ascii_case(&b)
            };
            let mut want = Vec::new();
            let ok = reference(
                &parse_octets(key.as_bytes()),
                value.as_bytes(),
                0,
                eq,
                &mut want,
            );
            let got = wildcard_spans(cmp, &value, &key, &mut Budget::new(BIG)).unwrap();
            assert_eq!(
                got,
                ok.then_some(want),
                "{cmp:?} value={value:?} key={key:?}"
            );
            matched += usize::from(ok);
        }
    }
    assert!(
        matched > 1_000,
        "the generator should produce matches too: {matched}"
    );
}

#[test]
fn unicode_matches_agrees_with_char_reference() {
    // Same reference on characters: map each distinct folded char to a byte.
    let mut rng = Rng(0xC0FF_EE00_0000_0042);
    let alphabet = ["a", "A", "é", "É", "σ", "ς", "Σ", "ß", "x"];
    for _ in 0..5_000 {
        let value: String = (0..rng.below(7)).map(|_| rng.pick(&alphabet)).collect();
        let mut key: String = String::new();
        for _ in 0..rng.below(6) {
            key.push_str(rng.pick(&["*", "?", "a", "É", "ς", "ß", "x"]));
        }
        let fold = |s: &str| -> Vec<u8> {
            s.chars()
                .map(|c| match c {
                    '*' => b'*',
                    '?' => b'?',
                    c => match unicode_fold(c) {
                        'A' => b'a',
                        'É' => b'e',
                        'Σ' => b's',
                        'ß' => b'z',
                        'X' => b'x',
                        other => panic!("unexpected fold {other:?}"),
                    },
                })
                .collect()
        };
        let mut want = Vec::new();
        let ok = reference(
            &parse_octets(&fold(&key)),
            &fold(&value),
            0,
            &|a, b| a == b,
            &mut want,
        );
        let got = m(MatchType::Matches, UnicodeCasemap, &value, &key).unwrap();
        match got {
            None => assert!(!ok, "value={value:?} key={key:?}"),
            Some(c) => {
                assert!(ok, "value={value:?} key={key:?}");
                let chars: Vec<char> = value.chars().collect();
                let expect: Vec<String> = std::iter::once(value.clone())
                    .chain(want.iter().map(|r| chars[r.clone()].iter().collect()))
                    .collect();
                assert_eq!(c, expect, "value={value:?} key={key:?}");
            }
        }
    }
}

// --- i;unicode-casemap approximation --------------------------------------

#[test]
fn unicode_casemap_folding() {
    use MatchType::Is;
    assert!(yes(Is, UnicodeCasemap, "ΣΟΦΟΣ", "σοφος"));
    // A Latin `o` is not the Greek omicron.
    assert!(!yes(Is, UnicodeCasemap, "σοφος", "σοφ\u{6F}ς"));
    assert!(yes(Is, UnicodeCasemap, "σοφοσ", "σοφος")); // final sigma folds with sigma
    assert!(yes(Is, UnicodeCasemap, "ſ", "S")); // long s
    assert!(yes(Is, UnicodeCasemap, "K", "\u{212A}")); // Kelvin sign
    assert!(yes(Is, UnicodeCasemap, "ǆ", "ǅ"));
    assert!(!yes(Is, UnicodeCasemap, "straße", "STRASSE")); // no full case folding
    // Documented limits: no NFKD.
    assert!(!yes(Is, UnicodeCasemap, "é", "e\u{301}"));
    assert!(!yes(Is, UnicodeCasemap, "ﬁ", "fi"));
    assert_eq!(unicode_fold('a'), 'A');
    assert_eq!(unicode_fold('İ'), 'İ');
    assert_eq!(unicode_fold('ß'), 'ß');
}

// --- :regex --------------------------------------------------------------

#[test]
fn regex_with_each_comparator() {
    use MatchType::Regex;
    assert_eq!(
        m(Regex, Octet, "Subject: [list] hello", r"\[([a-z]+)\] (.*)$").unwrap(),
        Some(s(&["[list] hello", "list", "hello"]))
    );
    assert!(!yes(Regex, Octet, "HELLO", "hello"));
    assert!(yes(Regex, AsciiCasemap, "HELLO", "hello"));
    // ASCII-only case-insensitivity under i;ascii-casemap.
    assert!(!yes(Regex, AsciiCasemap, "ÉCOLE", "école"));
    assert!(!yes(Regex, AsciiCasemap, "ſ", "s"));
    assert!(yes(Regex, UnicodeCasemap, "ÉCOLE", "école"));
    // `.` is one octet for octet comparators, one character for unicode.
    assert!(yes(Regex, Octet, "é", "^..$"));
    assert!(!yes(Regex, Octet, "é", "^.$"));
    assert!(yes(Regex, UnicodeCasemap, "é", "^.$"));
    // Non-ASCII literals work in octet mode; `.` matches a newline.
    assert!(yes(Regex, AsciiCasemap, "Grüße", "grüße"));
    assert!(yes(Regex, Octet, "a\nb", "^a.b$"));
    // Unmatched groups capture "".
    assert_eq!(
        m(Regex, Octet, "ac", "a(b)?c").unwrap(),
        Some(s(&["ac", ""]))
    );
    // Unanchored search: ${0} is the matched part.
    assert_eq!(
        m(Regex, Octet, "xx123yy", "[0-9]+").unwrap(),
        Some(s(&["123"]))
    );
    // POSIX classes.
    assert!(yes(Regex, Octet, "abc", "^[[:alpha:]]+$"));
    // The cache answers the same the second time.
    assert!(yes(Regex, Octet, "abc", "^[[:alpha:]]+$"));
}

#[test]
fn regex_errors() {
    use MatchType::Regex;
    for (cmp, key) in [
        (Octet, "(unclosed"),
        (AsciiCasemap, r"(a)\1"),
        (Octet, "[é]"),
        (UnicodeCasemap, "a{5"),
    ] {
        match m(Regex, cmp, "x", key) {
            Err(MatchError::BadRegex(msg)) => assert!(!msg.is_empty(), "{key}"),
            other => panic!("{key}: {other:?}"),
        }
    }
    // The same key errors again from the cache.
    assert!(matches!(
        m(Regex, Octet, "x", "(unclosed"),
        Err(MatchError::BadRegex(_))
    ));
    match m(Regex, Octet, "x", "[é]") {
        Err(MatchError::BadRegex(msg)) => assert!(msg.contains("(?u:"), "{msg}"),
        other => panic!("{other:?}"),
    }
    assert!(yes(Regex, Octet, "é", "(?u:[é])"));
    // Beyond the compiled-size limit.
    assert!(matches!(
        m(Regex, Octet, "x", "(a{1000}){1000}"),
        Err(MatchError::BadRegex(_))
    ));
    assert!(matches!(
        m(Regex, AsciiNumeric, "1", "1"),
        Err(MatchError::ComparatorCannot(_))
    ));
}

// --- :value / compare ----------------------------------------------------

#[test]
fn value_relations() {
    use MatchType::Value;
    use Relation::*;
    // value REL key (RFC 5231 §4.1).
    assert!(yes(Value(Gt), AsciiNumeric, "10", "9"));
    assert!(!yes(Value(Gt), AsciiNumeric, "9", "10"));
    assert!(yes(Value(Gt), Octet, "9", "10")); // octet: "9" > "1…"
    assert!(yes(Value(Ge), AsciiNumeric, "10", "10"));
    assert!(yes(Value(Lt), AsciiNumeric, "2", "10"));
    assert!(yes(Value(Le), AsciiNumeric, "010", "10"));
    assert!(yes(Value(Eq), AsciiNumeric, "010", "10"));
    assert!(yes(Value(Ne), AsciiNumeric, "11", "10"));
    assert!(!yes(Value(Ne), AsciiNumeric, "x", "y"));
    // semantics.md: "-1.2" is +∞ (> 100); "1 (Highest)" = 1; "abc" is +∞.
    assert!(yes(Value(Gt), AsciiNumeric, "-1.2", "100"));
    assert!(yes(Value(Eq), AsciiNumeric, "1 (Highest)", "1"));
    assert!(yes(Value(Lt), AsciiNumeric, "1 (Highest)", "2"));
    assert!(yes(
        Value(Gt),
        AsciiNumeric,
        "abc",
        "99999999999999999999999999"
    ));
    assert!(yes(Value(Gt), AsciiNumeric, "", "5"));
    assert!(yes(Value(Eq), AsciiNumeric, "", "abc"));
    assert_eq!(m(Value(Gt), AsciiNumeric, "2", "1").unwrap(), Some(vec![]));
    // Textual comparators.
    assert!(yes(Value(Lt), Octet, "Z", "b"));
    assert!(yes(Value(Gt), AsciiCasemap, "Z", "b"));
    assert!(yes(Value(Eq), AsciiCasemap, "abc", "ABC"));
    assert!(yes(Value(Lt), Octet, "ab", "abc"));
    assert!(!yes(Value(Gt), Octet, "", ""));
    assert!(yes(Value(Eq), UnicodeCasemap, "ÉTÉ", "été"));
}

#[test]
fn ascii_casemap_orders_by_upper_case() {
    // RFC 4790 §9.2.1 maps to upper case before comparing: "a" → "A" (0x41) < "_" (0x5F).
    assert_eq!(compare(AsciiCasemap, "a", "_"), Ordering::Less);
    assert_eq!(compare(Octet, "a", "_"), Ordering::Greater);
    assert_eq!(compare(AsciiCasemap, "É", "é"), "É".cmp("é"));
    assert_eq!(compare(AsciiCasemap, "abc", "ABD"), Ordering::Less);
}

#[test]
fn ascii_numeric_edge_cases() {
    assert_eq!(numeric_value("007abc"), Some("7"));
    assert_eq!(numeric_value("000"), Some(""));
    assert_eq!(numeric_value("x1"), None);
    assert_eq!(numeric_value(""), None);
    assert_eq!(numeric_value(" 1"), None);
    assert_eq!(numeric_value("+1"), None);
    assert_eq!(numeric_value("١"), None); // Arabic-Indic digit is not an ASCII digit
    assert_eq!(compare(AsciiNumeric, "0", "000"), Ordering::Equal);
    assert_eq!(compare(AsciiNumeric, "0", "0x"), Ordering::Equal);
    assert_eq!(compare(AsciiNumeric, "00012", "12.5"), Ordering::Equal);
    // Beyond u64 (18446744073709551615): compared as digit strings.
    assert_eq!(
        compare(AsciiNumeric, "18446744073709551616", "18446744073709551615"),
        Ordering::Greater
    );
    assert_eq!(
        compare(
            AsciiNumeric,
            "000018446744073709551616",
            "18446744073709551616"
        ),
        Ordering::Equal
    );
    let huge = "9".repeat(1000);
    assert_eq!(
        compare(AsciiNumeric, &huge, &("1".to_string() + &"0".repeat(1000))),
        Ordering::Less
    );
    assert_eq!(compare(AsciiNumeric, &huge, "abc"), Ordering::Less);
    assert_eq!(compare(AsciiNumeric, "123", "124"), Ordering::Less);
    assert_eq!(compare(AsciiNumeric, "99", "100"), Ordering::Less);
    assert_eq!(compare(AsciiNumeric, "-5", "-6"), Ordering::Equal);
}

#[test]
fn count_is_numeric() {
    use Relation::*;
    assert!(match_count(Gt, AsciiNumeric, 10, "9"));
    // Numeric whatever the comparator: "10" is not less than "9".
    assert!(match_count(Gt, AsciiCasemap, 10, "9"));
    assert!(!match_count(Lt, Octet, 10, "9"));
    assert!(match_count(Eq, AsciiNumeric, 0, "0"));
    assert!(match_count(Eq, AsciiNumeric, 3, "003"));
    assert!(match_count(Ge, AsciiNumeric, 3, "3 addresses"));
    assert!(match_count(Lt, AsciiNumeric, 1_000_000, "abc")); // key is +∞
    assert!(match_count(Ne, AsciiNumeric, 2, "3"));
    assert!(match_count(Le, AsciiNumeric, 2, "18446744073709551616"));
    let mut b = Budget::new(BIG);
    assert_eq!(
        match_value(&MatchType::Count(Ge), AsciiCasemap, "12", "9", &mut b),
        Ok(Some(vec![]))
    );
}

// --- total order of compare() ----------------------------------------------

fn generated_strings() -> Vec<String> {
    let mut rng = Rng(0xDEAD_BEEF_0BAD_F00D);
    let parts = [
        "0",
        "00",
        "1",
        "7",
        "9",
        "10",
        "99",
        "100",
        "18446744073709551616",
        "a",
        "-",
        " ",
        ".5",
        "x9",
        "É",
        "é",
    ];
    let mut out: Vec<String> = vec![String::new()];
    for _ in 0..150 {
        out.push((0..rng.below(4)).map(|_| rng.pick(&parts)).collect());
    }
    out
}

#[test]
fn compare_is_a_total_preorder_for_every_comparator() {
    let strings = generated_strings();
    for cmp in Comparator::ALL {
        for a in &strings {
            assert_eq!(
                compare(cmp, a, a),
                Ordering::Equal,
                "{cmp:?} reflexive {a:?}"
            );
            for b in &strings {
                let ab = compare(cmp, a, b);
                // Antisymmetry.
                assert_eq!(ab, compare(cmp, b, a).reverse(), "{cmp:?} {a:?} {b:?}");
                // Equality agrees with :is.
                let is = yes(MatchType::Is, cmp, a, b);
                assert_eq!(is, ab == Ordering::Equal, "{cmp:?} :is {a:?} {b:?}");
                for c in strings.iter().step_by(3) {
                    let bc = compare(cmp, b, c);
                    // Transitivity (of ≤ and of =).
                    if ab != Ordering::Greater && bc != Ordering::Greater {
                        assert_ne!(
                            compare(cmp, a, c),
                            Ordering::Greater,
                            "{cmp:?} {a:?} {b:?} {c:?}"
                        );
                    }
                    if ab == Ordering::Equal && bc == Ordering::Equal {
                        assert_eq!(
                            compare(cmp, a, c),
                            Ordering::Equal,
                            "{cmp:?} {a:?} {b:?} {c:?}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn ascii_numeric_order_matches_big_integers() {
    // Against a model: numbers built from digits, compared by (len, digits) after
    // stripping zeros, must agree with u128 where they fit.
    let mut rng = Rng(77);
    for _ in 0..5_000 {
        let a = rng.next() as u128 * rng.below(1000) as u128;
        let b = rng.next() as u128 * rng.below(1000) as u128;
        let za = "0".repeat(rng.below(3));
        let zb = "0".repeat(rng.below(3));
        let sa = format!("{za}{a}tail");
        let sb = format!("{zb}{b}");
        assert_eq!(compare(AsciiNumeric, &sa, &sb), a.cmp(&b), "{sa} {sb}");
    }
}
