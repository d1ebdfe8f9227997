//! vCard files as address books (issue 16): exports in the shapes of the
//! common address-book programs (tests/data/vcard/, written for these
//! tests) load every EMAIL of every card; broken files are errors at
//! `file:line`; `--list`/`--lists` take `.vcf` on the command line.

use sieve_lint::lists::{ListError, ListSet};
use std::path::{Path, PathBuf};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/vcard")
        .join(name)
}

fn members(file: &str) -> Vec<String> {
    let mut set = ListSet::default();
    set.load_one(":addrbook:friends", &data(file))
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    let list = set.get(":addrbook:friends").expect("the list");
    list.members.iter().map(str::to_owned).collect()
}

#[test]
fn exports_of_the_common_programs_load_every_email() {
    let cases: &[(&str, &[&str])] = &[
        (
            "thunderbird.vcf",
            &[
                "ann@example.org",
                "ann.private@example.net",
                "bob@example.com",
            ],
        ),
        (
            "apple-contacts.vcf",
            &[
                "john@example.com",
                "John.Doe@Work.Example",
                "sales@example.com",
            ],
        ),
        (
            "google.vcf",
            &[
                "carol@gmail.example",
                "Dave@Example.ORG",
                "dave,work@example.org",
            ],
        ),
        (
            "nextcloud-radicale.vcf",
            &[
                "erin.very-long-surname-that-needs-folding@department.example.org",
                "frank@example.net",
            ],
        ),
        (
            "outlook-2.1-qp.vcf",
            &["juergen@example.de", "jürgen.müller@example.de"],
        ),
    ];
    for (file, want) in cases {
        assert_eq!(members(file), *want, "{file}");
    }
}

#[test]
fn address_book_matching_ignores_case() {
    let mut set = ListSet::default();
    set.load_one(":addrbook:Friends", &data("google.vcf"))
        .expect("loads");
    let list = set
        .get("urn:ietf:params:sieve:addrbook:Friends")
        .expect("the list");
    assert_eq!(list.find("dave@example.org"), Some("Dave@Example.ORG"));
    assert_eq!(
        list.find("CAROL@GMAIL.EXAMPLE"),
        Some("carol@gmail.example")
    );
    assert_eq!(list.find("nobody@example.org"), None);
}

#[test]
fn a_vcf_in_lists_is_the_book_named_after_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("default.vcf");
    std::fs::copy(data("thunderbird.vcf"), &path).expect("copy");
    let mut set = ListSet::default();
    set.load_map_file(&path).expect("loads");
    // `default` is case-insensitive (RFC 6134 §2.6).
    let list = set.get(":ADDRBOOK:DEFAULT").expect("the default book");
    assert!(list.find("Bob@Example.com").is_some());
    let odd = dir.path().join("my friends.vcf");
    std::fs::copy(data("google.vcf"), &odd).expect("copy");
    set.load_map_file(&odd).expect("loads");
    assert!(
        set.get(":addrbook:my%20friends").is_some(),
        "{:?}",
        set.names()
    );
}

#[test]
fn broken_files_are_errors_at_file_and_line() {
    let cases: &[(&str, usize, &str)] = &[
        ("broken-no-end.vcf", 1, "never closed"),
        (
            "broken-end-without-begin.vcf",
            5,
            "END:VCARD without BEGIN:VCARD",
        ),
        ("broken-bad-qp.vcf", 3, "quoted-printable"),
        ("broken-unterminated-soft-break.vcf", 3, "soft line break"),
        ("broken-not-utf8.vcf", 3, "UTF-8"),
    ];
    for (file, line, words) in cases {
        let mut set = ListSet::default();
        let e = set
            .load_one(":addrbook:friends", &data(file))
            .expect_err(file);
        let text = e.to_string();
        match e {
            ListError::Bad { line: l, .. } => assert_eq!(l, *line, "{file}: {text}"),
            other => panic!("{file}: not located: {other:?}"),
        }
        assert!(text.contains(words), "{file}: {text}");
        assert!(text.contains(&format!("{file}:{line}:")), "{text}");
    }
}

#[test]
fn a_member_over_the_limit_is_an_error_at_its_line() {
    let long = "a".repeat(sieve_lint::lists::source::MAX_MEMBER_BYTES + 1);
    let text = format!("BEGIN:VCARD\nVERSION:4.0\nFN:x\nEMAIL:{long}@example.org\nEND:VCARD\n");
    let e = ListSet::default()
        .load_one_bytes(":addrbook:x", Path::new("big.vcf"), text.as_bytes())
        .expect_err("too long");
    assert!(matches!(e, ListError::Bad { line: 4, .. }), "{e}");
}

#[test]
fn many_cards_load_in_linear_time() {
    // 200,000 cards (about 14 MB): one pass; a quadratic reader would take
    // minutes.
    let mut text = String::new();
    for i in 0..200_000 {
        text.push_str(&format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P{i}\r\nEMAIL:p{i}@example.org\r\nEND:VCARD\r\n"
        ));
    }
    let start = std::time::Instant::now();
    let mut set = ListSet::default();
    set.load_one_bytes(":addrbook:big", Path::new("big.vcf"), text.as_bytes())
        .expect("loads");
    assert_eq!(
        set.get(":addrbook:big").expect("list").members.len(),
        200_000
    );
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

#[test]
fn run_answers_list_tests_from_a_vcf() {
    let dir = tempfile::tempdir().expect("temp dir");
    let script = dir.path().join("s.sieve");
    std::fs::write(
        &script,
        "require [\"extlists\", \"fileinto\"];\n\
         if address :list \"from\" \":addrbook:friends\" { fileinto \"Friends\"; }\n",
    )
    .expect("write");
    let hit = dir.path().join("hit.eml");
    std::fs::write(&hit, "From: John <JOHN@example.com>\nSubject: hi\n\nbody\n").expect("write");
    let miss = dir.path().join("miss.eml");
    std::fs::write(&miss, "From: x@example.com\nSubject: hi\n\nbody\n").expect("write");
    let spec = format!(":addrbook:friends={}", data("apple-contacts.vcf").display());
    let out = assert_cmd::Command::cargo_bin("sieve-lint")
        .expect("binary")
        .args(["run", "--format", "json", "--list", &spec])
        .arg(&script)
        .arg(&hit)
        .arg(&miss)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["messages"][0]["actions"][0]["mailbox"], "Friends");
    assert_eq!(v["messages"][1]["actions"][0]["action"], "keep");

    let bad = format!(":addrbook:friends={}", data("broken-no-end.vcf").display());
    let out = assert_cmd::Command::cargo_bin("sieve-lint")
        .expect("binary")
        .args(["run", "--list", &bad])
        .arg(&script)
        .arg(&hit)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken-no-end.vcf:1:"), "{err}");
}

mod never_panics {
    use proptest::prelude::*;
    use sieve_lint::lists::{ListError, ListSet};
    use std::path::Path;

    /// Lines made of the pieces vCard files are made of, in any order:
    /// whatever they make, the reader gives members or an error at a line
    /// of the file — never a panic.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "BEGIN:VCARD",
            "END:VCARD",
            "VERSION:3.0",
            "VERSION:9",
            "EMAIL:a@example.org",
            "item1.EMAIL;TYPE=\"x:y\":b@example.org",
            "EMAIL;ENCODING=QUOTED-PRINTABLE:c=",
            "EMAIL;QUOTED-PRINTABLE;CHARSET=ISO-8859-1:=E9=",
            "EMAIL;ENCODING=QUOTED-PRINTABLE:=Z",
            " folded",
            "\t",
            "",
            "no colon",
            "EMAIL:mailto:",
            "EMAIL:\\",
            "\u{feff}",
            "é:ü",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 512,
            failure_persistence: None,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x0016_0016),
            ..ProptestConfig::default()
        })]
        #[test]
        fn any_arrangement_loads_or_fails_at_a_line(
            lines in prop::collection::vec(piece(), 0..40),
            crlf in any::<bool>(),
        ) {
            let text = lines.join(if crlf { "\r\n" } else { "\n" });
            let mut set = ListSet::default();
            match set.load_one_bytes(":addrbook:p", Path::new("p.vcf"), text.as_bytes()) {
                Ok(()) => {
                    let list = set.get(":addrbook:p").expect("loaded");
                    for m in &list.members {
                        prop_assert!(!m.is_empty());
                    }
                }
                Err(ListError::Bad { line, .. }) => {
                    prop_assert!(line >= 1 && line <= lines.len().max(1), "line {line}");
                }
                Err(other) => prop_assert!(false, "unlocated: {other}"),
            }
        }
    }
}
