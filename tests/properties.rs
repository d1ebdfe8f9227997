//! Property tests (proptest): on failure proptest shrinks the input to a
//! minimal counterexample, which is what the hand-rolled random tests in
//! the other files cannot do.
//!
//! 1. Parse stability: on arbitrary strings and on scripts from a Sieve-ish
//!    grammar (valid ones, and the same mangled), every span of the tree is
//!    inside the source, on character boundaries, nested in its parent and
//!    ordered among its siblings; diagnostics are sorted and in bounds;
//!    parsing is deterministic and the fast path agrees with pest. (There is
//!    no printer, so there is no print/parse round trip.)
//! 2. `:matches` agrees with the backtracking reference in
//!    `tests/common/wildcard.rs`, captures included (RFC 5229 §3.2).
//! 3. i;ascii-numeric (RFC 4790 §9.1) is a total order that agrees with a
//!    big-number model.
//! 4. List-name normalization (RFC 6134) is idempotent, and spellings of
//!    one name find the same list in a `ListSet`.

mod common;
use common::wildcard::{parse_key, parse_octets, reference};

use std::cmp::Ordering;
use std::path::Path;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{RngSeed, TestCaseError};

/// `cases` runs; no regression files (minimal counterexamples become
/// ordinary tests next to the code they broke). The seed is fixed so that
/// CI is reproducible; `PROPTEST_RNG_SEED=random` (or any number) explores
/// further, and `PROPTEST_CASES` runs more cases.
fn config(cases: u32) -> ProptestConfig {
    let default = ProptestConfig::default();
    let rng_seed = match std::env::var("PROPTEST_RNG_SEED").as_deref() {
        Ok("random") => RngSeed::Random,
        Ok(_) => default.rng_seed,
        Err(_) => RngSeed::Fixed(0x005E_ED0F_5EED),
    };
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() {
        default.cases
    } else {
        cases
    };
    ProptestConfig {
        cases,
        rng_seed,
        failure_persistence: None,
        ..default
    }
}

use sieve_lint::CheckOptions;
use sieve_lint::lists::{ListError, ListSet, parse_name};
use sieve_lint::run::matching::{
    Budget, Comparator, MatchType, Relation, compare, match_value, unicode_fold, wildcard_spans,
};
use sieve_lint::syntax::ast::{Argument, Command, Span, Test, Tests};
use sieve_lint::syntax::{parse, parse_reference};

type Check = Result<(), TestCaseError>;

fn join(parts: Vec<String>) -> String {
    parts.concat()
}

fn pick(items: &'static [&'static str]) -> impl Strategy<Value = String> + Clone {
    prop::sample::select(items).prop_map(str::to_owned)
}

// ===========================================================================
// 1. Parse stability
// ===========================================================================

// ---- a Sieve-ish grammar --------------------------------------------------

fn ws() -> impl Strategy<Value = String> + Clone {
    pick(&[
        "",
        " ",
        " ",
        "  ",
        "\n",
        "\t",
        "\r\n",
        "# note\n",
        "#\n",
        "/* c */",
        "/* a\n * b */ ",
    ])
}

fn ident() -> impl Strategy<Value = String> + Clone {
    pick(&[
        "if",
        "elsif",
        "else",
        "require",
        "fileinto",
        "keep",
        "discard",
        "stop",
        "redirect",
        "header",
        "address",
        "envelope",
        "allof",
        "anyof",
        "not",
        "true",
        "false",
        "exists",
        "size",
        "set",
        "vacation",
        "addflag",
        "foreverypart",
        "break",
        "Foo",
        "_x9",
    ])
}

fn tag() -> impl Strategy<Value = String> + Clone {
    pick(&[
        ":is",
        ":contains",
        ":matches",
        ":regex",
        ":over",
        ":under",
        ":comparator",
        ":value",
        ":count",
        ":list",
        ":days",
        ":copy",
        ":all",
        ":localpart",
        ":mime",
        ":Foo",
        ":_",
    ])
}

/// `1*DIGIT [K/M/G]`, past u64 sometimes.
fn number() -> impl Strategy<Value = String> + Clone {
    "[0-9]{1,22}[KMGkmg]?"
}

/// A quoted string; every piece keeps it well formed.
fn quoted() -> impl Strategy<Value = String> + Clone {
    prop::collection::vec(
        pick(&[
            "a", "b", "Z", "é", "日", "🎉", " ", "*", "?", "\\\\", "\\\"", "\\x", "\n", "\r\n",
            "#", "/*", "*/", "{", "}", ";", ",", "${1}", "text:",
        ]),
        0..6,
    )
    .prop_map(|p| format!("\"{}\"", p.concat()))
}

/// `text:` … `.` with dot-stuffing, LF or CRLF.
fn multi_line() -> impl Strategy<Value = String> + Clone {
    (
        pick(&["text:", "TEXT:"]),
        pick(&["", " ", "\t", " # c"]),
        pick(&["\n", "\r\n"]),
        prop::collection::vec(
            pick(&[
                "hello",
                "..dot",
                "",
                ".x",
                "a \"q\" b",
                "}",
                "é",
                "# not a comment",
                ";",
            ]),
            0..4,
        ),
    )
        .prop_map(|(kw, after, nl, lines)| {
            let mut s = format!("{kw}{after}{nl}");
            for l in lines {
                s.push_str(&l);
                s.push_str(&nl);
            }
            s.push('.');
            s.push_str(&nl);
            s
        })
}

fn string() -> impl Strategy<Value = String> + Clone {
    prop_oneof![4 => quoted(), 1 => multi_line()]
}

fn string_list() -> impl Strategy<Value = String> + Clone {
    prop::collection::vec((ws(), string(), ws()), 0..4).prop_map(|items| {
        let items: Vec<String> = items
            .into_iter()
            .map(|(a, s, b)| format!("{a}{s}{b}"))
            .collect();
        format!("[{}]", items.join(","))
    })
}

fn argument() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        3 => tag(),
        1 => number(),
        3 => string(),
        2 => string_list(),
    ]
}

fn arguments() -> impl Strategy<Value = String> + Clone {
    prop::collection::vec((ws(), argument()), 0..4)
        .prop_map(|v| v.into_iter().map(|(w, a)| format!(" {w}{a}")).collect())
}

/// `identifier arguments [test / test-list]`, `depth` levels of tests deep.
fn test(depth: u32) -> BoxedStrategy<String> {
    let leaf = (ident(), arguments()).prop_map(|(i, a)| format!("{i}{a}"));
    if depth == 0 {
        return leaf.boxed();
    }
    let inner = test(depth - 1);
    let list = prop::collection::vec((ws(), inner.clone(), ws()), 0..4).prop_map(|v| {
        let v: Vec<String> = v
            .into_iter()
            .map(|(a, t, b)| format!("{a}{t}{b}"))
            .collect();
        format!("({})", v.join(","))
    });
    (
        ident(),
        arguments(),
        ws(),
        prop_oneof![2 => Just(String::new()), 1 => inner, 1 => list],
    )
        .prop_map(|(i, a, w, t)| {
            if t.is_empty() {
                format!("{i}{a}")
            } else {
                format!("{i}{a} {w}{t}")
            }
        })
        .boxed()
}

/// A command ending in `;` or a block of commands, `depth` blocks deep.
fn command(depth: u32) -> BoxedStrategy<String> {
    let end: BoxedStrategy<String> = if depth == 0 {
        Just(";".to_owned()).boxed()
    } else {
        prop_oneof![
            2 => Just(";".to_owned()),
            1 => block(depth - 1),
        ]
        .boxed()
    };
    (
        ident(),
        arguments(),
        prop_oneof![2 => Just(String::new()), 1 => test(2).prop_map(|t| format!(" {t}"))],
        ws(),
        end,
    )
        .prop_map(|(i, a, t, w, e)| format!("{i}{a}{t}{w}{e}"))
        .boxed()
}

fn block(depth: u32) -> BoxedStrategy<String> {
    (prop::collection::vec((ws(), command(depth)), 0..3), ws())
        .prop_map(|(cmds, w)| {
            let body: String = cmds.into_iter().map(|(w, c)| format!("{w}{c}")).collect();
            format!("{{{body}{w}}}")
        })
        .boxed()
}

fn script() -> impl Strategy<Value = String> {
    (prop::collection::vec((ws(), command(2)), 0..5), ws())
        .prop_map(|(cmds, w)| cmds.into_iter().map(|(a, c)| a + &c).collect::<String>() + &w)
}

/// Text that breaks a script when dropped into it.
const JUNK: &[&str] = &[
    "{", "}", "(", ")", "[", "]", ";", ",", "\"", "\\", "text:", "/*", "*/", "#", "\0", "é", "\r",
    "\n", ":", "if", "123K", "\u{feff}",
];

#[derive(Debug, Clone)]
enum Mutation {
    Insert(Index, &'static str),
    Delete(Index, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), prop::sample::select(JUNK)).prop_map(|(i, j)| Mutation::Insert(i, j)),
        (any::<Index>(), 1usize..6).prop_map(|(i, n)| Mutation::Delete(i, n)),
    ]
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(mut s: String, muts: &[Mutation]) -> String {
    for m in muts {
        match m {
            Mutation::Insert(at, junk) => {
                let at = floor_boundary(&s, at.index(s.len() + 1));
                s.insert_str(at, junk);
            }
            Mutation::Delete(at, n) => {
                let start = floor_boundary(&s, at.index(s.len() + 1));
                let end = floor_boundary(&s, (start + n).min(s.len()));
                s.replace_range(start..end, "");
            }
        }
    }
    s
}

/// Scripts from the grammar with up to four mutations (none for about a
/// third of them).
fn broken_script() -> impl Strategy<Value = String> {
    (script(), prop::collection::vec(mutation(), 0..4)).prop_map(|(s, m)| mutate(s, &m))
}

/// Sieve tokens in any order: near the language, mostly not in it.
fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            ident(),
            tag(),
            number(),
            quoted(),
            multi_line(),
            ws(),
            prop::sample::select(JUNK).prop_map(str::to_owned),
        ],
        0..30,
    )
    .prop_map(join)
}

// ---- span checks ----------------------------------------------------------

fn span_ok(src: &str, span: Span, what: &str) -> Check {
    prop_assert!(
        span.start() <= span.end() && span.end() <= src.len(),
        "{} span {:?} is not inside 0..{}",
        what,
        span,
        src.len()
    );
    prop_assert!(
        src.is_char_boundary(span.start()) && src.is_char_boundary(span.end()),
        "{} span {:?} splits a character",
        what,
        span
    );
    Ok(())
}

fn within(inner: Span, outer: Span, what: &str) -> Check {
    prop_assert!(
        outer.start() <= inner.start() && inner.end() <= outer.end(),
        "{} span {:?} is not within {:?}",
        what,
        inner,
        outer
    );
    Ok(())
}

/// Sorted, and no two overlap (empty spans may touch their neighbours).
fn ordered(spans: &[Span], what: &str) -> Check {
    for w in spans.windows(2) {
        prop_assert!(
            w[0].end() <= w[1].start(),
            "{} spans out of order or overlapping: {:?} then {:?}",
            what,
            w[0],
            w[1]
        );
    }
    Ok(())
}

/// The parts of a head (`name`, arguments, tests) in order, inside `outer`.
fn check_head(
    src: &str,
    name: Span,
    args: &sieve_lint::syntax::ast::Arguments,
    outer: Span,
) -> Check {
    span_ok(src, name, "name")?;
    within(name, outer, "name")?;
    let mut parts = vec![name];
    for a in &args.args {
        let s = a.span();
        span_ok(src, s, "argument")?;
        within(s, outer, "argument")?;
        parts.push(s);
        if let Argument::StringList(l) = a {
            let items: Vec<Span> = l.items.iter().map(|i| i.span).collect();
            for &i in &items {
                span_ok(src, i, "string")?;
                within(i, l.span, "string in a list")?;
            }
            ordered(&items, "strings of a list")?;
        }
    }
    if let Some(tests) = args.tests.as_deref() {
        let s = tests.span();
        span_ok(src, s, "tests")?;
        within(s, outer, "tests")?;
        parts.push(s);
        if let Tests::List { tests, span } = tests {
            let spans: Vec<Span> = tests.iter().map(|t| t.span).collect();
            ordered(&spans, "tests of a list")?;
            for t in tests {
                check_test(src, t, *span)?;
            }
        } else {
            for t in tests.as_slice() {
                check_test(src, t, outer)?;
            }
        }
    }
    ordered(&parts, "name, arguments and tests")
}

fn check_test(src: &str, t: &Test, outer: Span) -> Check {
    span_ok(src, t.span, "test")?;
    within(t.span, outer, "test")?;
    check_head(src, t.name.span, &t.args, t.span)
}

fn check_commands(src: &str, cmds: &[Command], outer: Span) -> Check {
    let spans: Vec<Span> = cmds.iter().map(|c| c.span).collect();
    ordered(&spans, "sibling commands")?;
    for c in cmds {
        span_ok(src, c.span, "command")?;
        within(c.span, outer, "command")?;
        check_head(src, c.name.span, &c.args, c.span)?;
        if let Some(b) = &c.block {
            span_ok(src, b.span, "block")?;
            within(b.span, c.span, "block")?;
            let head_end = c
                .args
                .tests
                .as_deref()
                .map(Tests::span)
                .into_iter()
                .chain(c.args.args.iter().map(Argument::span))
                .chain([c.name.span])
                .map(|s| s.end())
                .max()
                .unwrap_or(c.span.start());
            prop_assert!(
                head_end <= b.span.start(),
                "block {:?} starts before the head ends ({})",
                b.span,
                head_end
            );
            check_commands(src, &b.commands, b.span)?;
        }
    }
    Ok(())
}

fn check_source(src: &str) -> Check {
    let parsed = parse(src);
    check_commands(src, &parsed.script.commands, Span::new(0, src.len()))?;
    for e in &parsed.errors {
        span_ok(src, e.span, "syntax error")?;
        for (s, _) in &e.labels {
            span_ok(src, *s, "syntax error label")?;
        }
    }
    // Deterministic, and the fast path builds what pest builds.
    let again = parse(src);
    prop_assert_eq!(&parsed.script, &again.script);
    prop_assert_eq!(&parsed.errors, &again.errors);
    let reference = parse_reference(src);
    prop_assert_eq!(&parsed.script, &reference.script, "fast path vs pest");
    prop_assert_eq!(&parsed.errors, &reference.errors, "fast path vs pest");

    let report = sieve_lint::lint("p.sieve", src, &CheckOptions::default());
    prop_assert_eq!(report.source.as_str(), src);
    for d in &report.diagnostics {
        span_ok(src, d.span, d.name)?;
        for l in &d.labels {
            span_ok(src, l.span, d.name)?;
        }
    }
    for w in report.diagnostics.windows(2) {
        prop_assert!(
            (w[0].span.start(), w[0].span.end()) <= (w[1].span.start(), w[1].span.end()),
            "diagnostics out of order: {:?} then {:?}",
            w[0],
            w[1]
        );
    }
    let again = sieve_lint::lint("p.sieve", src, &CheckOptions::default());
    prop_assert_eq!(&report.diagnostics, &again.diagnostics);
    Ok(())
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn spans_are_well_formed_on_arbitrary_strings(src in any::<String>()) {
        check_source(&src)?;
    }

    #[test]
    fn spans_are_well_formed_on_token_soup(src in token_soup()) {
        check_source(&src)?;
    }

    #[test]
    fn spans_are_well_formed_on_grammar_scripts(src in script()) {
        check_source(&src)?;
    }

    #[test]
    fn spans_are_well_formed_on_broken_scripts(src in broken_script()) {
        check_source(&src)?;
    }
}

// ===========================================================================
// 2. :matches against the backtracking reference
// ===========================================================================

const BIG: u64 = 1 << 40;

/// Values from a small alphabet, so that keys match often.
fn octet_value() -> impl Strategy<Value = String> {
    prop::collection::vec(pick(&["a", "a", "b", "A", "é", "*", "?", "\\"]), 0..8).prop_map(join)
}

fn octet_key() -> impl Strategy<Value = String> {
    prop::collection::vec(
        pick(&[
            "a", "a", "b", "A", "*", "*", "*", "?", "?", "\\", "\\*", "\\?", "\\\\", "\\a", "é",
        ]),
        0..7,
    )
    .prop_map(join)
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn matches_agrees_with_reference_on_octets(value in octet_value(), key in octet_key()) {
        for cmp in [Comparator::Octet, Comparator::AsciiCasemap] {
            let eq: &dyn Fn(u8, u8) -> bool = if cmp == Comparator::Octet {
                &|a, b| a == b
            } else {
                &|a: u8, b: u8| a.eq_ignore_ascii_case(&b)
            };
            let mut want = Vec::new();
            let ok = reference(&parse_octets(key.as_bytes()), value.as_bytes(), 0, eq, &mut want);
            let spans = wildcard_spans(cmp, &value, &key, &mut Budget::new(BIG)).unwrap();
            prop_assert_eq!(&spans, &ok.then(|| want.clone()), "{:?}", cmp);
            // The captures RFC 5229 §3.2 gives: ${0} the value, then each wildcard.
            let caps = match_value(&MatchType::Matches, cmp, &value, &key, &mut Budget::new(BIG))
                .unwrap();
            let expect = ok.then(|| {
                std::iter::once(value.clone())
                    .chain(want.iter().map(|r| String::from_utf8_lossy(&value.as_bytes()[r.clone()]).into_owned()))
                    .collect::<Vec<_>>()
            });
            prop_assert_eq!(caps, expect, "{:?}", cmp);
        }
    }

    #[test]
    fn matches_agrees_with_reference_on_unicode_characters(
        value in prop::collection::vec(pick(&["a", "A", "é", "É", "σ", "ς", "Σ", "ß", "K", "\u{212A}", "*"]), 0..8).prop_map(join),
        key in prop::collection::vec(pick(&["*", "*", "?", "\\*", "\\", "a", "É", "ς", "ß", "k"]), 0..7).prop_map(join),
    ) {
        let value_units: Vec<char> = value.chars().map(unicode_fold).collect();
        let key_units: Vec<char> = key.chars().map(unicode_fold).collect();
        let mut want = Vec::new();
        let ok = reference(&parse_key(&key_units, '*', '?', '\\'), &value_units, 0, &|a, b| a == b, &mut want);
        let caps = match_value(&MatchType::Matches, Comparator::UnicodeCasemap, &value, &key, &mut Budget::new(BIG))
            .unwrap();
        let chars: Vec<char> = value.chars().collect();
        let expect = ok.then(|| {
            std::iter::once(value.clone())
                .chain(want.iter().map(|r| chars[r.clone()].iter().collect()))
                .collect::<Vec<_>>()
        });
        prop_assert_eq!(caps, expect);
    }
}

// ===========================================================================
// 3. i;ascii-numeric is a total order
// ===========================================================================

/// Strings i;ascii-numeric sees: numbers with leading zeros and tails,
/// huge numbers, and strings that do not start with a digit (+∞).
fn numeric() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "0{0,3}[0-9]{1,4}",
        2 => "0{0,3}[0-9]{0,4}[ .a-z(-][0-9a-z ]{0,3}",
        1 => "[0-9]{19,40}",
        1 => "0{0,5}[1-9][0-9]{150,400}",
        2 => "([^0-9][0-9a-z]{0,3})?",
        1 => "١[0-9]{0,2}",
    ]
}

/// The model: the leading digits, padded with zeros to a common width and
/// compared as text; no digits is +∞.
fn numeric_model(a: &str, b: &str) -> Ordering {
    let digits = |s: &str| -> String { s.chars().take_while(char::is_ascii_digit).collect() };
    let (da, db) = (digits(a), digits(b));
    match (da.is_empty(), db.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => {
            let w = da.len().max(db.len());
            format!("{da:0>w$}").cmp(&format!("{db:0>w$}"))
        }
    }
}

fn num(a: &str, b: &str) -> Ordering {
    compare(Comparator::AsciiNumeric, a, b)
}

proptest! {
    #![proptest_config(config(500))]

    #[test]
    fn ascii_numeric_agrees_with_the_model(a in numeric(), b in numeric()) {
        let got = num(&a, &b);
        prop_assert_eq!(got, numeric_model(&a, &b));
        // Where both fit in u128, the numbers themselves.
        let lead = |s: &str| s.chars().take_while(char::is_ascii_digit).collect::<String>();
        if let (Ok(x), Ok(y)) = (lead(&a).parse::<u128>(), lead(&b).parse::<u128>()) {
            prop_assert_eq!(got, x.cmp(&y));
        }
        // Reflexive, antisymmetric; :is and :value agree with it.
        prop_assert_eq!(num(&a, &a), Ordering::Equal);
        prop_assert_eq!(num(&b, &a), got.reverse());
        let is = match_value(&MatchType::Is, Comparator::AsciiNumeric, &a, &b, &mut Budget::new(BIG)).unwrap();
        prop_assert_eq!(is.is_some(), got == Ordering::Equal);
        for rel in [Relation::Gt, Relation::Ge, Relation::Lt, Relation::Le, Relation::Eq, Relation::Ne] {
            let v = match_value(&MatchType::Value(rel), Comparator::AsciiNumeric, &a, &b, &mut Budget::new(BIG)).unwrap();
            prop_assert_eq!(v.is_some(), rel.holds(got), "{:?}", rel);
        }
    }

    #[test]
    fn ascii_numeric_is_transitive_and_total(v in prop::collection::vec(numeric(), 1..10)) {
        for a in &v {
            for b in &v {
                let ab = num(a, b);
                // Totality: exactly one of <, =, > from both sides.
                prop_assert_eq!(ab, num(b, a).reverse());
                for c in &v {
                    let (bc, ac) = (num(b, c), num(a, c));
                    if ab != Ordering::Greater && bc != Ordering::Greater {
                        prop_assert_ne!(ac, Ordering::Greater, "{:?} ≤ {:?} ≤ {:?}", a, b, c);
                    }
                    if ab == Ordering::Equal && bc == Ordering::Equal {
                        prop_assert_eq!(ac, Ordering::Equal, "{:?} = {:?} = {:?}", a, b, c);
                    }
                }
            }
        }
        // Sorting with it gives a sequence in which every pair is ordered.
        let mut sorted = v.clone();
        sorted.sort_by(|a, b| num(a, b));
        for (i, a) in sorted.iter().enumerate() {
            for b in &sorted[i..] {
                prop_assert_ne!(num(a, b), Ordering::Greater, "{:?} before {:?}", a, b);
            }
        }
    }

    #[test]
    fn ascii_numeric_non_digits_are_equal_infinities(
        a in "([^0-9].{0,6})?",
        b in "([^0-9].{0,6})?",
        n in "[0-9]{1,300}.{0,3}",
    ) {
        prop_assert_eq!(num(&a, &b), Ordering::Equal);
        prop_assert_eq!(num(&a, &n), Ordering::Greater);
        prop_assert_eq!(num(&n, &b), Ordering::Less);
    }

    #[test]
    fn ascii_numeric_ignores_leading_zeros(
        d in "[0-9]{1,300}",
        zeros in 0usize..40,
        tail in "([^0-9].{0,4})?",
    ) {
        let padded = format!("{}{d}{tail}", "0".repeat(zeros));
        prop_assert_eq!(num(&padded, &d), Ordering::Equal);
        prop_assert_eq!(num(&d, &padded), Ordering::Equal);
    }

    #[test]
    fn ascii_numeric_huge_numbers(n in 1usize..500, d in "[1-9][0-9]{100,400}") {
        // 99…9 (n digits) < 10…0 (n + 1 digits), however long.
        let nines = "9".repeat(n);
        let power = format!("1{}", "0".repeat(n));
        prop_assert_eq!(num(&nines, &power), Ordering::Less);
        // d < d0 and d < d + 1 (computed on the digits).
        prop_assert_eq!(num(&d, &format!("{d}0")), Ordering::Less);
        let mut succ: Vec<u8> = d.bytes().collect();
        let mut i = succ.len();
        loop {
            if i == 0 {
                succ.insert(0, b'1');
                break;
            }
            i -= 1;
            if succ[i] == b'9' {
                succ[i] = b'0';
            } else {
                succ[i] += 1;
                break;
            }
        }
        let succ = String::from_utf8(succ).unwrap();
        prop_assert_eq!(num(&d, &succ), Ordering::Less);
        prop_assert_eq!(num(&succ, &d), Ordering::Greater);
    }
}

// ===========================================================================
// 4. List-name normalization
// ===========================================================================

/// Characters a book name may hold unencoded (RFC 3986 unreserved).
const UNRESERVED: &str = "[A-Za-z0-9._~-]{1,4}";

/// A piece of an address-book name: plain text, or one octet that may be
/// written percent-encoded.
#[derive(Debug, Clone)]
enum Piece {
    Plain(String),
    Octet(u8),
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        3 => UNRESERVED.prop_map(Piece::Plain),
        1 => "[!$&'()*+,;=:@]".prop_map(Piece::Plain),
        1 => Just(Piece::Plain("default".into())),
        3 => any::<u8>().prop_map(Piece::Octet),
        // UTF-8 of a non-ASCII character, octet by octet.
        1 => Just(Piece::Plain("%C3%A9".into())),
    ]
}

/// How to write a name: which prefix, which hex case, which plain
/// characters to percent-encode.
#[derive(Debug, Clone)]
struct Spelling {
    prefix: &'static str,
    /// Per piece: upper-case hex, and (for plain pieces) percent-encoded.
    upper_hex: Vec<bool>,
    encode_plain: Vec<bool>,
}

const ADDRBOOK_PREFIXES: &[&str] = &[
    ":addrbook:",
    ":ADDRBOOK:",
    ":AddrBook:",
    "urn:ietf:params:sieve:addrbook:",
    "URN:IETF:PARAMS:SIEVE:ADDRBOOK:",
    "urn:IETF:params:Sieve:addrBook:",
];

fn spelling() -> impl Strategy<Value = Spelling> {
    (
        prop::sample::select(ADDRBOOK_PREFIXES),
        prop::collection::vec(any::<bool>(), 8),
        prop::collection::vec(prop::bool::weighted(0.2), 8),
    )
        .prop_map(|(prefix, upper_hex, encode_plain)| Spelling {
            prefix,
            upper_hex,
            encode_plain,
        })
}

fn hex(b: u8, upper: bool) -> String {
    if upper {
        format!("%{b:02X}")
    } else {
        format!("%{b:02x}")
    }
}

fn spell(pieces: &[Piece], query: &Option<String>, s: &Spelling) -> String {
    let mut out = s.prefix.to_owned();
    for (i, p) in pieces.iter().enumerate() {
        let upper = s.upper_hex[i % s.upper_hex.len()];
        match p {
            Piece::Octet(b) => out.push_str(&hex(*b, upper)),
            // Encoding an unreserved character does not change the name
            // (RFC 3986 §2.3); "default" must stay a word to stay default.
            Piece::Plain(t)
                if s.encode_plain[i % s.encode_plain.len()]
                    && t != "default"
                    && !t.contains('%')
                    && t.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"._~-".contains(&b)) =>
            {
                for b in t.bytes() {
                    out.push_str(&hex(b, upper));
                }
            }
            Piece::Plain(t) => out.push_str(t),
        }
    }
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

fn addrbook_parts() -> impl Strategy<Value = (Vec<Piece>, Option<String>)> {
    (
        prop::collection::vec(piece(), 1..5),
        prop::option::weighted(0.2, "[a-z=&0-9]{0,6}"),
    )
}

fn tag_name() -> impl Strategy<Value = String> {
    (
        pick(&["tag:", "TAG:", "Tag:"]),
        pick(&[
            "example.com",
            "user@example.com",
            "a-b.example",
            "-bad.com",
            "example..com",
            "",
        ]),
        "[0-9]{4}(-(0[0-9]|1[0-3])(-([0-2][0-9]|3[0-2]))?)?",
        "[A-Za-z0-9/?:._~-]{0,8}(%[0-9a-fA-F]{2})?",
    )
        .prop_map(|(t, auth, date, specific)| format!("{t}{auth},{date}:{specific}"))
}

fn other_name() -> impl Strategy<Value = String> {
    (
        pick(&[
            "ldap", "LDAP", "https", "Mailto", "x-list", "urn", "addrbook", "AddrBook",
        ]),
        "[A-Za-z0-9/?:._=,@~-]{0,12}(%[0-9a-fA-F]{2})?",
    )
        .prop_map(|(scheme, rest)| format!("{scheme}:{rest}"))
}

fn list_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (addrbook_parts(), spelling()).prop_map(|((p, q), s)| spell(&p, &q, &s)),
        2 => tag_name(),
        2 => other_name(),
        1 => "(:|urn:ietf:params:sieve:|URN:IETF:PARAMS:SIEVE:)[A-Za-z]{0,6}(:[A-Za-z0-9%?]{0,5})?",
        1 => "[:a-zA-Z0-9%/?#@,.~ é-]{0,20}",
        1 => any::<String>(),
    ]
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn list_name_normalization_is_idempotent(name in list_name()) {
        if let Ok(once) = parse_name(&name) {
            let twice = parse_name(&once.normalized);
            prop_assert!(twice.is_ok(), "{:?} normalized to {:?}, which is invalid: {:?}", name, once.normalized, twice);
            let twice = twice.unwrap();
            prop_assert_eq!(&twice.normalized, &once.normalized);
            prop_assert_eq!(&twice.kind, &once.kind);
        }
    }

    #[test]
    fn spellings_of_one_name_find_the_same_list(
        (pieces, query) in addrbook_parts(),
        first in spelling(),
        second in spelling(),
        other in list_name(),
    ) {
        let a = spell(&pieces, &query, &first);
        let b = spell(&pieces, &query, &second);
        let (Ok(na), Ok(nb)) = (parse_name(&a), parse_name(&b)) else {
            // The two spellings are equally valid or equally invalid.
            prop_assert_eq!(parse_name(&a).is_ok(), parse_name(&b).is_ok(), "{:?} vs {:?}", a, b);
            return Ok(());
        };
        prop_assert_eq!(&na.normalized, &nb.normalized, "{:?} vs {:?}", a, b);

        let mut set = ListSet::default();
        set.load_one_bytes(&a, Path::new("l.txt"), b"m@example.org\n").unwrap();
        let found = set.get(&b).map(|l| l.name.original.clone());
        prop_assert_eq!(found.as_deref(), Some(a.as_str()));
        prop_assert!(set.get_normalized(&na.normalized).is_some());
        // A second list under another spelling is the same list: a duplicate.
        let dup = set.load_one_bytes(&b, Path::new("m.txt"), b"x@example.org\n");
        prop_assert!(matches!(dup, Err(ListError::Duplicate { .. })), "{:?}", dup);
        // Any other name finds it exactly when it normalizes the same.
        if let Ok(no) = parse_name(&other) {
            prop_assert_eq!(set.get(&other).is_some(), no.normalized == na.normalized, "{:?}", other);
        }
    }
}

/// The octets a book name denotes: what its pieces spell, percent-decoded,
/// with "default" in any case folded to "default".
fn book_octets(pieces: &[Piece]) -> Vec<u8> {
    let mut text = String::new();
    for p in pieces {
        match p {
            Piece::Plain(t) => text.push_str(t),
            Piece::Octet(b) => text.push_str(&hex(*b, true)),
        }
    }
    let octets = percent_decode(&text);
    if octets.eq_ignore_ascii_case(b"default") {
        b"default".to_vec()
    } else {
        octets
    }
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

proptest! {
    #![proptest_config(config(500))]

    /// Normalization keeps the book's octets: two books that differ in any
    /// octet (RFC 3986 §2.1: a percent-encoding is an octet) stay two lists.
    #[test]
    fn normalized_book_keeps_its_octets(
        (pieces, query) in addrbook_parts(),
        sp in spelling(),
    ) {
        let name = spell(&pieces, &query, &sp);
        let parsed = parse_name(&name);
        prop_assert!(parsed.is_ok(), "{:?}: {:?}", name, parsed);
        let normalized = parsed.unwrap().normalized;
        let segment = normalized
            .strip_prefix("urn:ietf:params:sieve:addrbook:")
            .and_then(|r| r.split('?').next())
            .unwrap_or_default();
        prop_assert_eq!(
            percent_decode(segment),
            book_octets(&pieces),
            "{:?} normalized to {:?}",
            name,
            normalized
        );
    }
}

// ===========================================================================
// The generators themselves
// ===========================================================================

/// The grammar strategy must mostly produce scripts that parse, or the
/// properties above would only ever see error recovery.
#[test]
fn grammar_scripts_mostly_parse_and_keys_often_match() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::new(config(1));
    let (mut clean, mut commands) = (0, 0);
    for _ in 0..200 {
        let src = script().new_tree(&mut runner).unwrap().current();
        let parsed = parse(&src);
        clean += usize::from(parsed.errors.is_empty());
        commands += parsed.script.commands.len();
    }
    assert!(clean >= 100, "only {clean} of 200 generated scripts parse");
    assert!(commands >= 200, "only {commands} commands in 200 scripts");
    let mut matched = 0;
    for _ in 0..500 {
        let value = octet_value().new_tree(&mut runner).unwrap().current();
        let key = octet_key().new_tree(&mut runner).unwrap().current();
        let got = wildcard_spans(Comparator::Octet, &value, &key, &mut Budget::new(BIG));
        matched += usize::from(got.unwrap().is_some());
    }
    assert!(matched >= 30, "only {matched} of 500 keys match");
}
