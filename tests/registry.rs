//! Every rule in the registry has documentation and both kinds of fixture.

use sieve_lint::rules::RULES;
use std::path::Path;

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = std::collections::HashSet::new();
    let mut names = std::collections::HashSet::new();
    for r in RULES {
        let i = r.info();
        assert!(codes.insert(i.code), "duplicate code {}", i.code);
        assert!(names.insert(i.name), "duplicate name {}", i.name);
        assert!(
            i.code.len() == 6
                && i.code.starts_with("SL")
                && i.code[2..].bytes().all(|b| b.is_ascii_digit()),
            "bad code {}",
            i.code
        );
        assert!(
            i.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "name not kebab-case: {}",
            i.name
        );
    }
}

#[test]
fn every_rule_has_documented_sections() {
    for r in RULES {
        let i = r.info();
        let doc = i.doc_text();
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
            "## RFC",
        ] {
            assert!(doc.contains(heading), "{} lacks '{heading}'", i.name);
        }
        assert!(
            i.rfc().is_some_and(|r| r.starts_with("RFC")),
            "{} has no RFC line",
            i.name
        );
    }
}

#[test]
fn every_rule_has_pass_and_fail_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    for r in RULES {
        let i = r.info();
        let dir = root.join(i.name);
        let files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: no fixtures folder {}: {e}", i.name, dir.display()))
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            files
                .iter()
                .any(|f| f.starts_with("pass") && f.ends_with(".sieve")),
            "{}: no pass-*.sieve fixture",
            i.name
        );
        if NEEDS_OPTIONS.contains(&i.name) {
            // Their failing cases need a CLI option: tests/cmd holds them.
            assert!(
                cli_case_mentions(i.code) || server_test_mentions(i.code),
                "{}: no tests/cmd case shows it ({})",
                i.name,
                i.code
            );
        } else {
            assert!(
                files
                    .iter()
                    .any(|f| f.starts_with("fail") && f.ends_with(".sieve")),
                "{}: no fail-*.sieve fixture",
                i.name
            );
        }
    }
}

/// Rules that fire only with an option (`--list-schemes`, `--lists`) or
/// with files beside the script (the include rules).
const NEEDS_OPTIONS: &[&str] = &[
    "unsupported-list-scheme",
    "unknown-list",
    "missing-include",
    "recursive-include",
    // From a ManageSieve server's CHECKSCRIPT: tests/managesieve.rs.
    "server-error",
    "server-warning",
    "server-disagrees",
];

/// Does tests/managesieve.rs (the fake ManageSieve server) check this code?
fn server_test_mentions(code: &str) -> bool {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/managesieve.rs");
    std::fs::read_to_string(p).is_ok_and(|t| t.contains(code))
}

/// Does some CLI case's expected output carry this code?
fn cli_case_mentions(code: &str) -> bool {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd");
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| {
            let p = e.path();
            p.extension().is_some_and(|x| x == "stdout")
                && std::fs::read_to_string(&p).is_ok_and(|t| t.contains(code))
        })
}

#[test]
fn every_registered_capability_has_a_catalog_file() {
    for (cap, rfc) in sieve_lint::ext::KNOWN_CAPABILITIES {
        assert!(
            sieve_lint::ext::catalog().is_checked(cap),
            "{cap} ({rfc}) is known by name but has no file in src/ext/"
        );
    }
}

/// README's contract ("What an error means"): each rule says which
/// sentence of which RFC, or which server, makes it an error, a warning or
/// an info, under its own heading.
#[test]
fn every_rule_states_why_it_has_its_severity() {
    for r in RULES {
        let i = r.info();
        let doc = i.doc_text();
        let Some(at) = doc.find("## Severity") else {
            panic!("{} has no '## Severity' section", i.name);
        };
        let text = doc[at + "## Severity".len()..]
            .split("\n## ")
            .next()
            .unwrap_or("")
            .trim();
        let first = text.split([':', ',', ' ']).next().unwrap_or("");
        assert!(
            ["Error", "Warning", "Info"].contains(&first),
            "{}: the Severity section starts with Error, Warning or Info: {text:?}",
            i.name
        );
        assert!(
            text.contains("RFC") || text.contains("server") || text.contains("sieve-lint"),
            "{}: the Severity section names no RFC or server: {text:?}",
            i.name
        );
    }
}
