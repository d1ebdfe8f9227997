//! List files round trip (issue 12, Proof): generated lists — address-book
//! URNs and tag URIs (which hold a comma) as names; members with commas,
//! quotes, line breaks, non-ASCII text — are written as CSV (RFC 4180
//! quoting, LF or CRLF), JSON (map, map with `members`/`match`, one-list
//! array) and text, with or without a byte order mark, and loaded back:
//! what loads is exactly what was written (each member once under the
//! list's match mode, in file order), and every member is found.

use proptest::prelude::*;
use sieve_lint::lists::{ListSet, MatchMode};
use std::path::Path;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 128,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x0115_7F11E5),
        ..ProptestConfig::default()
    }
}

/// A member: printable text with the characters CSV and JSON must quote or
/// escape; never empty, never starting or ending with white space (the
/// loaders trim cells and lines), never starting with U+FEFF (at the start
/// of a file it is the byte order mark, which every loader drops).
fn member(line_breaks: bool) -> impl Strategy<Value = String> {
    let chars = if line_breaks {
        "[a-zA-Z0-9@., \"'\\\\\r\néü€😀\u{feff}*?]{1,12}"
    } else {
        "[a-zA-Z0-9@., \"'\\\\éü€😀\u{feff}*?]{1,12}"
    };
    chars
        .prop_map(|s| s.trim().to_owned())
        .prop_filter("a member has text", |s| {
            !s.is_empty() && !s.starts_with('\u{feff}')
        })
}

/// Lists: the i-th is an address book or a tag-URI list, by `kinds`.
fn lists(line_breaks: bool) -> impl Strategy<Value = Vec<(String, Vec<String>)>> {
    prop::collection::vec(
        (
            any::<bool>(),
            prop::collection::vec(member(line_breaks), 1..8),
        ),
        1..5,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (book, members))| {
                let name = if book {
                    format!(":addrbook:book{i}")
                } else {
                    format!("tag:example.com,2026:list{i}")
                };
                (name, members)
            })
            .collect()
    })
}

fn mode_of(name: &str) -> MatchMode {
    if name.starts_with(":addrbook:") {
        MatchMode::Casemap
    } else {
        MatchMode::Octet
    }
}

/// The members a list holds: each once under its match mode, first
/// spelling kept, in order.
fn distinct(members: &[String], mode: MatchMode) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    members
        .iter()
        .filter(|m| {
            seen.insert(match mode {
                MatchMode::Casemap => m.to_ascii_lowercase(),
                MatchMode::Octet => (*m).clone(),
            })
        })
        .cloned()
        .collect()
}

/// RFC 4180 §2: a field with a comma, quote, line break or outer space is
/// quoted, a quote doubled.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) || s.trim() != s {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn bom(yes: bool) -> &'static str {
    if yes { "\u{feff}" } else { "" }
}

fn assert_loaded(
    set: &ListSet,
    name: &str,
    members: &[String],
    mode: MatchMode,
) -> Result<(), TestCaseError> {
    let list = set
        .get(name)
        .ok_or_else(|| TestCaseError::fail(format!("{name} not loaded")))?;
    prop_assert_eq!(list.mode, mode);
    let loaded: Vec<&str> = list.members.iter().collect();
    prop_assert_eq!(loaded, distinct(members, mode));
    for m in members {
        prop_assert!(list.find(m).is_some(), "{} not found in {}", m, name);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn csv_maps_round_trip(lists in lists(true), crlf: bool, with_bom: bool) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("{}list,member{eol}", bom(with_bom));
        for (name, members) in &lists {
            for m in members {
                text.push_str(&format!("{},{}{eol}", csv_field(name), csv_field(m)));
            }
        }
        let mut set = ListSet::default();
        set.load_map_bytes(Path::new("l.csv"), text.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text:?}")))?;
        prop_assert_eq!(set.len(), lists.len());
        for (name, members) in &lists {
            assert_loaded(&set, name, members, mode_of(name))?;
        }
    }

    #[test]
    fn json_maps_round_trip(lists in lists(true), objects: bool, with_bom: bool) {
        let mut map = serde_json::Map::new();
        for (name, members) in &lists {
            let arr = serde_json::json!(members);
            map.insert(
                name.clone(),
                if objects && mode_of(name) == MatchMode::Octet {
                    serde_json::json!({"members": arr, "match": "octet"})
                } else {
                    arr
                },
            );
        }
        let text = format!("{}{}", bom(with_bom), serde_json::to_string_pretty(&map).unwrap());
        let mut set = ListSet::default();
        set.load_map_bytes(Path::new("l.json"), text.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        for (name, members) in &lists {
            assert_loaded(&set, name, members, mode_of(name))?;
        }
    }

    #[test]
    fn one_list_files_round_trip(
        (name, members) in lists(true).prop_map(|mut v| v.swap_remove(0)),
        with_bom: bool,
    ) {
        let mode = mode_of(&name);
        // CSV: a header row, then one member a row.
        let mut csv = format!("{}email\n", bom(with_bom));
        for m in &members {
            csv.push_str(&format!("{}\n", csv_field(m)));
        }
        let json = format!("{}{}", bom(with_bom), serde_json::json!(members));
        for (file, text) in [("one.csv", csv), ("one.json", json)] {
            let mut set = ListSet::default();
            set.load_one_bytes(&name, Path::new(file), text.as_bytes())
                .map_err(|e| TestCaseError::fail(format!("{e}\n{text:?}")))?;
            assert_loaded(&set, &name, &members, mode)?;
        }
    }

    #[test]
    fn text_lists_round_trip(
        (name, members) in lists(false).prop_map(|mut v| v.swap_remove(0)),
        crlf: bool,
        with_bom: bool,
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let text = format!("{}{}{eol}", bom(with_bom), members.join(eol));
        let mut set = ListSet::default();
        set.load_one_bytes(&name, Path::new("one.txt"), text.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text:?}")))?;
        assert_loaded(&set, &name, &members, mode_of(&name))?;
    }
}

#[test]
fn a_member_past_64_kib_is_an_error_at_its_line() {
    let long = "a".repeat(64 * 1024 + 1);
    let ok = "b".repeat(64 * 1024);
    let cases = [
        (
            "l.csv",
            format!("list,member\n:addrbook:a,{ok}\n:addrbook:a,{long}\n"),
            3,
        ),
        (
            "l.json",
            format!("{{\":addrbook:a\": [\n\"{ok}\",\n\"{long}\"]}}"),
            3,
        ),
    ];
    for (file, text, line) in cases {
        let err = ListSet::default()
            .load_map_bytes(Path::new(file), text.as_bytes())
            .expect_err("too long");
        let msg = err.to_string();
        assert!(msg.starts_with(&format!("{file}:{line}: ")), "{msg}");
        assert!(msg.contains("65536"), "{msg}");
    }
    for (file, text, line) in [
        ("one.txt", format!("{ok}\n\n{long}\n"), 3),
        ("one.csv", format!("email\n{ok}\n{long}\n"), 3),
        ("one.json", format!("[\"{ok}\",\n\n\"{long}\"]"), 3),
    ] {
        let err = ListSet::default()
            .load_one_bytes(":addrbook:x", Path::new(file), text.as_bytes())
            .expect_err("too long");
        assert!(
            err.to_string().starts_with(&format!("{file}:{line}: ")),
            "{err}"
        );
    }
    // Escapes count as what they stand for: 65,536 bytes written as
    // `\u00e9` (2 bytes each) pass, one more is refused.
    let escaped = "\\u00e9".repeat(32 * 1024);
    ListSet::default()
        .load_one_bytes(
            ":addrbook:x",
            Path::new("one.json"),
            format!("[\"{escaped}\"]").as_bytes(),
        )
        .expect("exactly 64 KiB");
    ListSet::default()
        .load_one_bytes(
            ":addrbook:x",
            Path::new("one.json"),
            format!("[\"{escaped}x\"]").as_bytes(),
        )
        .expect_err("one byte more");
}

#[test]
fn duplicates_are_held_once() {
    let mut set = ListSet::default();
    set.load_one_bytes(
        ":addrbook:d",
        Path::new("d.txt"),
        b"A@x.org\na@x.org\nb@x.org\nA@x.org\n",
    )
    .expect("loads");
    let list = set.get(":addrbook:d").expect("list");
    assert_eq!(
        list.members.iter().collect::<Vec<_>>(),
        ["A@x.org", "b@x.org"]
    );
    assert_eq!(list.find("a@X.ORG"), Some("A@x.org"));
}
