//! The hand-written fast path (`src/syntax/fast.rs`) must build exactly the
//! tree that the pest grammar builds, and report exactly the same errors:
//! over every fixture script, and over thousands of generated scripts —
//! valid ones and broken ones.

mod common;
use common::Rng;

use sieve_lint::syntax::{decode, parse, parse_reference};
use std::path::{Path, PathBuf};

fn scripts_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            scripts_under(&p, out);
        } else if p.extension().is_some_and(|x| x == "sieve" || x == "siv") {
            out.push(p);
        }
    }
}

fn assert_agree(name: &str, text: &str) {
    let fast = parse(text);
    let reference = parse_reference(text);
    assert_eq!(
        fast.script, reference.script,
        "trees differ for {name}:\n{text}"
    );
    assert_eq!(
        fast.errors, reference.errors,
        "errors differ for {name}:\n{text}"
    );
}

#[test]
fn every_fixture_parses_the_same_both_ways() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    scripts_under(&root.join("fixtures"), &mut files);
    scripts_under(&root.join("tests"), &mut files);
    assert!(
        files.len() > 50,
        "expected the fixture scripts, found {}",
        files.len()
    );
    for f in files {
        let bytes = std::fs::read(&f).expect("fixture readable");
        let text = decode(&bytes).text;
        assert_agree(&f.display().to_string(), &text);
    }
}

const SPACE: &[&str] = &[
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    " # note\n",
    " /* c */ ",
    "/**/",
    "",
];
const STRINGS: &[&str] = &[
    "\"a\"",
    "\"\"",
    "\"x\\\"y\"",
    "\"back\\\\\"",
    "\"caf\u{e9}\"",
    "\"two\nlines\"",
    "\"\\q\"",
    "text:\nhello\n..dot\n.\n",
    "text: # c\r\nline\r\n.\r\n",
    "TEXT:\n.\n",
];
const TAGS: &[&str] = &[
    ":is",
    ":contains",
    ":matches",
    ":comparator",
    ":over",
    ":_x1",
    ":domain",
];
const NUMBERS: &[&str] = &[
    "0",
    "100K",
    "2m",
    "3G",
    "007",
    "18446744073709551615",
    "99999999999999999999",
];
const NAMES: &[&str] = &[
    "header", "address", "true", "false", "not", "anyof", "allof", "exists", "size", "X_1",
];
const COMMANDS: &[&str] = &[
    "keep", "discard", "stop", "fileinto", "redirect", "require", "if", "elsif", "else", "foo",
];
/// Fragments that break the grammar in different ways.
const NOISE: &[&str] = &[
    ";",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ",",
    ":",
    "\"open",
    "text:x\n",
    "/* open",
    "\0",
    "\r",
    "#",
    "1text:\n.\n",
    "\\",
];

fn gen_string(r: &mut Rng) -> String {
    if r.next().is_multiple_of(4) {
        let n = 1 + r.next() % 3;
        let items: Vec<&str> = (0..n).map(|_| r.pick(STRINGS)).collect();
        format!(
            "[{}]",
            items.join(&format!("{},{}", r.pick(SPACE), r.pick(SPACE)))
        )
    } else {
        r.pick(STRINGS).to_owned()
    }
}

fn gen_test(r: &mut Rng, depth: u32) -> String {
    let mut s = r.pick(NAMES).to_owned();
    for _ in 0..r.next() % 4 {
        s.push_str(r.pick(SPACE));
        s.push(' ');
        match r.next() % 3 {
            0 => s.push_str(r.pick(TAGS)),
            1 => s.push_str(&gen_string(r)),
            _ => s.push_str(r.pick(NUMBERS)),
        }
    }
    if depth < 3 {
        match r.next() % 5 {
            0 => {
                s.push_str(" (");
                let n = 1 + r.next() % 3;
                let tests: Vec<String> = (0..n).map(|_| gen_test(r, depth + 1)).collect();
                s.push_str(&tests.join(", "));
                s.push(')');
            }
            1 => {
                s.push(' ');
                s.push_str(&gen_test(r, depth + 1));
            }
            _ => {}
        }
    }
    s
}

fn gen_command(r: &mut Rng, depth: u32, broken: bool) -> String {
    let mut s = r.pick(COMMANDS).to_owned();
    for _ in 0..r.next() % 3 {
        s.push(' ');
        s.push_str(&gen_string(r));
        s.push_str(r.pick(SPACE));
    }
    if r.next().is_multiple_of(3) {
        s.push(' ');
        s.push_str(&gen_test(r, 0));
    }
    if broken && r.next().is_multiple_of(4) {
        s.push_str(r.pick(NOISE));
    }
    if depth < 4 && r.next().is_multiple_of(3) {
        s.push_str(" {");
        for _ in 0..r.next() % 3 {
            s.push_str(r.pick(SPACE));
            s.push_str(&gen_command(r, depth + 1, broken));
        }
        s.push_str("\n}");
    } else {
        s.push(';');
    }
    s
}

#[test]
fn generated_scripts_parse_the_same_both_ways() {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let mut clean = 0;
    for i in 0..3000u32 {
        let broken = !i.is_multiple_of(2);
        let n = 1 + r.next() % 6;
        let mut text = String::new();
        for _ in 0..n {
            text.push_str(&gen_command(&mut r, 0, broken));
            text.push_str(r.pick(SPACE));
            text.push('\n');
        }
        if parse(&text).errors.is_empty() {
            clean += 1;
        }
        assert_agree(&format!("generated #{i}"), &text);
    }
    // Both halves must really be exercised.
    assert!(clean > 300, "too few clean scripts: {clean}");
    assert!(clean < 2700, "too few broken scripts: {}", 3000 - clean);
}
