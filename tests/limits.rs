//! Every limit at its value and one past it (README "Limits"), through the
//! binary, with scripts and messages generated in temporary folders; and the
//! pathological inputs that must end in bounded time.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::path::Path;

mod common;
use common::temp::write;

/// A fresh temporary folder for one test.
fn temp(name: &str) -> common::temp::TempDir {
    common::temp::temp_dir("limits", name)
}

const MAIL: &str = "From: a@example.com\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nbody\r\n";

/// What one `run` of one message gave.
struct Run {
    code: i32,
    actions: Vec<Value>,
    errors: Vec<String>,
    warnings: Vec<String>,
}

impl Run {
    /// The non-implicit actions' names.
    fn names(&self) -> Vec<String> {
        self.actions
            .iter()
            .filter(|a| a["implicit"] != Value::Bool(true))
            .map(|a| a["action"].as_str().unwrap_or("").to_owned())
            .collect()
    }

    fn mailboxes(&self) -> Vec<String> {
        self.actions
            .iter()
            .filter_map(|a| a["mailbox"].as_str().map(str::to_owned))
            .collect()
    }

    fn implicit_keep_only(&self) -> bool {
        self.actions.len() == 1 && self.actions[0]["implicit"] == Value::Bool(true)
    }

    fn ok(&self) -> bool {
        self.code == 0 && self.errors.is_empty()
    }

    /// Failed with a run-time error mentioning `what`; the actions
    /// cancelled (RFC 5228 §2.10.6).
    fn failed_with(&self, what: &str) -> bool {
        self.code == 1 && self.errors.iter().any(|e| e.contains(what)) && self.implicit_keep_only()
    }
}

/// `sieve-lint run --format json --no-config SCRIPT MAIL ARGS` in `dir`,
/// with the script written to `dir/main.sieve` and the message to
/// `dir/mail.eml`.
fn run_in(dir: &Path, script: &str, mail: &str, args: &[&str]) -> Run {
    write(&dir.join("main.sieve"), script);
    write(&dir.join("mail.eml"), mail);
    run_files(dir, &["--no-config"], args)
}

fn run_files(dir: &Path, settings: &[&str], args: &[&str]) -> Run {
    let out = cargo_bin_cmd!("sieve-lint")
        .current_dir(dir)
        .args(["run", "--format", "json"])
        .args(settings)
        .args(["main.sieve", "mail.eml"])
        .args(args)
        .output()
        .expect("runs");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let msg = &doc["messages"][0];
    let texts = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["message"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        actions: msg["actions"].as_array().cloned().unwrap_or_default(),
        errors: texts(&msg["errors"]),
        warnings: texts(&msg["warnings"]),
    };
    assert!(
        doc != Value::Null,
        "no JSON report; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    run
}

fn run(name: &str, script: &str, args: &[&str]) -> Run {
    run_in(&temp(name), script, MAIL, args)
}

/// `n` fileinto commands to distinct mailboxes.
fn fileintos(n: usize) -> String {
    let mut s = String::from("require \"fileinto\";\n");
    for i in 0..n {
        s.push_str(&format!("fileinto \"F{i}\";\n"));
    }
    s
}

// ---------------------------------------------------------------------------
// Actions, redirects, list redirects

#[test]
fn max_actions_default_32() {
    let r = run("actions-32", &fileintos(32), &[]);
    assert!(r.ok(), "{:?}", r.errors);
    assert_eq!(r.names().len(), 32);
    let r = run("actions-33", &fileintos(33), &[]);
    assert!(
        r.failed_with("more than 32 actions (--max-actions)"),
        "{:?}",
        r.errors
    );
}

#[test]
fn max_actions_flag() {
    let r = run("actions-flag-5", &fileintos(5), &["--max-actions", "5"]);
    assert!(r.ok(), "{:?}", r.errors);
    assert_eq!(r.names().len(), 5);
    let r = run("actions-flag-6", &fileintos(6), &["--max-actions", "5"]);
    assert!(r.failed_with("--max-actions"), "{:?}", r.errors);
}

fn redirects(n: usize) -> String {
    (0..n)
        .map(|i| format!("redirect \"r{i}@example.net\";\n"))
        .collect()
}

#[test]
fn max_redirects_default_4() {
    let r = run("redirects-4", &redirects(4), &[]);
    assert!(r.ok(), "{:?}", r.errors);
    assert_eq!(r.names(), vec!["redirect"; 4]);
    let r = run("redirects-5", &redirects(5), &[]);
    assert!(r.failed_with("--max-redirects"), "{:?}", r.errors);
}

#[test]
fn max_redirects_flag() {
    let r = run("redirects-flag-2", &redirects(2), &["--max-redirects", "2"]);
    assert!(r.ok(), "{:?}", r.errors);
    let r = run("redirects-flag-3", &redirects(3), &["--max-redirects", "2"]);
    assert!(r.failed_with("--max-redirects"), "{:?}", r.errors);
}

#[test]
fn max_list_redirects() {
    let script = "require [\"extlists\"];\nredirect :list \"tag:example.com,2026:team\";\n";
    for (members, ok) in [(3, true), (4, false)] {
        let dir = temp(&format!("list-redirects-{members}"));
        let list: Vec<String> = (0..members).map(|i| format!("m{i}@example.net")).collect();
        write(
            &dir.join("lists.json"),
            &serde_json::json!({ "tag:example.com,2026:team": list }).to_string(),
        );
        let r = run_in(
            &dir,
            script,
            MAIL,
            &[
                "--lists",
                "lists.json",
                "--max-list-redirects",
                "3",
                "--max-redirects",
                "10",
            ],
        );
        if ok {
            assert!(r.ok(), "{:?}", r.errors);
            assert_eq!(r.names(), vec!["redirect"; 3]);
        } else {
            assert!(r.failed_with("--max-list-redirects"), "{:?}", r.errors);
        }
    }
}

// ---------------------------------------------------------------------------
// Steps

/// `keep;` costs one step; so does each test. A script of `n` keeps needs
/// exactly `n` steps.
#[test]
fn max_steps_exact() {
    let script = "keep;\n".repeat(10);
    let r = run("steps-10", &script, &["--max-steps", "10"]);
    assert!(r.ok(), "{:?}", r.errors);
    assert_eq!(r.names(), vec!["keep"; 10]);
    let r = run("steps-9", &script, &["--max-steps", "9"]);
    assert!(r.failed_with("--max-steps"), "{:?}", r.errors);
}

/// Matching is charged too: a large header needs more steps than a small
/// one, and enough steps always suffice.
#[test]
fn max_steps_monotonic_with_matching() {
    let value = "x".repeat(10_000);
    let mail = format!("From: a@example.com\r\nX-Big: {value}\r\n\r\nbody\r\n");
    let script =
        "require \"fileinto\";\nif header :matches \"X-Big\" \"*y*\" { fileinto \"Y\"; }\n";
    let dir = temp("steps-matching");
    let r = run_in(&dir, script, &mail, &["--max-steps", "100"]);
    assert!(r.failed_with("step limit"), "{:?}", r.errors);
    let r = run_in(&dir, script, &mail, &["--max-steps", "1000000"]);
    assert!(r.ok(), "{:?}", r.errors);
    assert!(r.names().is_empty());
}

// ---------------------------------------------------------------------------
// Include depth and loops

/// main includes s1, s1 includes s2, … the last one files into "Deep".
fn include_chain(dir: &Path, n: usize) {
    write(
        &dir.join("main.sieve"),
        "require \"include\";\ninclude \"s1\";\n",
    );
    for i in 1..=n {
        let text = if i == n {
            "require \"fileinto\";\nfileinto \"Deep\";\n".to_owned()
        } else {
            format!("require \"include\";\ninclude \"s{}\";\n", i + 1)
        };
        write(&dir.join(format!("s{i}.sieve")), &text);
    }
    write(&dir.join("mail.eml"), MAIL);
}

#[test]
fn max_include_depth_default_10() {
    let dir = temp("include-10");
    include_chain(&dir, 10);
    let r = run_files(&dir, &["--no-config"], &[]);
    assert!(r.ok(), "{:?}", r.errors);
    assert_eq!(r.mailboxes(), vec!["Deep"]);
    let dir = temp("include-11");
    include_chain(&dir, 11);
    let r = run_files(&dir, &["--no-config"], &[]);
    assert!(r.failed_with("--max-include-depth"), "{:?}", r.errors);
}

#[test]
fn max_include_depth_flag() {
    let dir = temp("include-flag");
    include_chain(&dir, 3);
    let r = run_files(&dir, &["--no-config"], &["--max-include-depth", "3"]);
    assert!(r.ok(), "{:?}", r.errors);
    let r = run_files(&dir, &["--no-config"], &["--max-include-depth", "2"]);
    assert!(
        r.failed_with("includes nested deeper than 2"),
        "{:?}",
        r.errors
    );
}

/// a includes b includes a, without `:once`: a recursive include is a
/// run-time error (RFC 6609 §3), at once (no more the include limit).
#[test]
fn include_loop_is_a_runtime_error() {
    let dir = temp("include-loop");
    write(
        &dir.join("main.sieve"),
        "require \"include\";\ninclude \"a\";\n",
    );
    write(
        &dir.join("a.sieve"),
        "require \"include\";\ninclude \"b\";\n",
    );
    write(
        &dir.join("b.sieve"),
        "require \"include\";\ninclude \"a\";\n",
    );
    write(&dir.join("mail.eml"), MAIL);
    let start = std::time::Instant::now();
    let r = run_files(&dir, &["--no-config"], &[]);
    eprintln!("include loop: {:?}", start.elapsed());
    assert!(
        r.failed_with("a.sieve is running: a recursive include is an error"),
        "{:?}",
        r.errors
    );
}

// ---------------------------------------------------------------------------
// Strings and variables

/// `fileinto "${a}${a}…"`: `a` is 50 bytes; the mailbox is `n` copies
/// plus `extra`.
fn expanding(n: usize, extra: &str) -> String {
    format!(
        "require [\"variables\", \"fileinto\"];\nset \"a\" \"{}\";\nfileinto \"{}{extra}\";\n",
        "a".repeat(50),
        "${a}".repeat(n)
    )
}

#[test]
fn max_string_length() {
    let r = run(
        "string-100",
        &expanding(2, ""),
        &["--max-string-length", "100"],
    );
    assert!(r.ok(), "{:?}", r.errors);
    assert_eq!(r.mailboxes(), vec!["a".repeat(100)]);
    let r = run(
        "string-101",
        &expanding(2, "x"),
        &["--max-string-length", "100"],
    );
    assert!(
        r.failed_with("expands to more than 100 bytes (--max-string-length)"),
        "{:?}",
        r.errors
    );
}

/// 4096-byte values doubled again and again: the default limit (1 MiB)
/// stops the expansion, it does not build the string.
#[test]
fn max_string_length_default_stops_exponential_growth() {
    let mut script = format!(
        "require [\"variables\", \"fileinto\"];\nset \"a\" \"{}\";\n",
        "a".repeat(4096)
    );
    // A string of 300 references to a 4 KiB value: 1.2 MB.
    script.push_str(&format!("fileinto \"{}\";\n", "${a}".repeat(300)));
    let r = run("string-default", &script, &[]);
    assert!(
        r.failed_with("more than 1048576 bytes (--max-string-length)"),
        "{:?}",
        r.errors
    );
}

/// `set` of `n` distinct variables, then `a0` again.
fn variables(n: usize) -> String {
    let mut s = String::from("require [\"variables\", \"fileinto\"];\n");
    for i in 0..n {
        s.push_str(&format!("set \"a{i}\" \"{i}\";\n"));
    }
    s.push_str("set \"a0\" \"again\";\nfileinto \"${a0}\";\n");
    s
}

#[test]
fn max_variables_flag() {
    let r = run("vars-3", &variables(3), &["--max-variables", "3"]);
    assert!(r.ok(), "{:?}", r.errors);
    assert_eq!(r.mailboxes(), vec!["again"]);
    let r = run("vars-4", &variables(4), &["--max-variables", "3"]);
    assert!(
        r.failed_with("setting `a3` makes more than 3 variables in the script scope"),
        "{:?}",
        r.errors
    );
}

#[test]
fn max_variables_default_255() {
    let r = run("vars-255", &variables(255), &[]);
    assert!(r.ok(), "{:?}", r.errors);
    let r = run("vars-256", &variables(256), &[]);
    assert!(
        r.failed_with("makes more than 255 variables in the script scope (--max-variables)"),
        "{:?}",
        r.errors
    );
}

fn set_and_file(value: &str) -> String {
    format!(
        "require [\"variables\", \"fileinto\"];\nset \"v\" \"{value}\";\nfileinto \"${{v}}\";\n"
    )
}

/// RFC 5229 §6: a value too long is truncated, not an error; a warning.
#[test]
fn max_variable_size_truncates() {
    let r = run(
        "varsize-8",
        &set_and_file("12345678"),
        &["--max-variable-size", "8"],
    );
    assert!(r.ok(), "{:?}", r.errors);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.mailboxes(), vec!["12345678"]);

    let r = run(
        "varsize-9",
        &set_and_file("123456789"),
        &["--max-variable-size", "8"],
    );
    assert!(r.ok(), "{:?}", r.errors);
    assert_eq!(r.mailboxes(), vec!["12345678"]);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("`v` (9 bytes) is truncated to 8 bytes (--max-variable-size")),
        "{:?}",
        r.warnings
    );

    // Cut at a character boundary: "é" is two bytes.
    let r = run(
        "varsize-utf8",
        &set_and_file("1234567é"),
        &["--max-variable-size", "8"],
    );
    assert!(r.ok(), "{:?}", r.errors);
    assert_eq!(r.mailboxes(), vec!["1234567"]);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
}

#[test]
fn max_variable_size_default_4096() {
    let r = run("varsize-4096", &set_and_file(&"v".repeat(4096)), &[]);
    assert!(
        r.ok() && r.warnings.is_empty(),
        "{:?} {:?}",
        r.errors,
        r.warnings
    );
    assert_eq!(r.mailboxes(), vec!["v".repeat(4096)]);
    let r = run("varsize-4097", &set_and_file(&"v".repeat(4097)), &[]);
    assert!(r.ok(), "{:?}", r.errors);
    assert_eq!(r.mailboxes(), vec!["v".repeat(4096)]);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
}

/// A `:regex` with 40 groups on the subject, then `${N}`.
fn match_ref(n: usize) -> String {
    format!(
        "require [\"variables\", \"fileinto\", \"regex\"];\n\
         if header :regex \"subject\" \"{}\" {{ fileinto \"m${{{n}}}\"; }}\n",
        "(.?)".repeat(40)
    )
}

/// RFC 5229 §6: a reference past the supported match variables is a
/// syntax error: the script does not run.
#[test]
fn max_match_variables_flag() {
    let r = run("match-3", &match_ref(3), &["--max-match-variables", "3"]);
    assert!(r.ok(), "{:?}", r.errors);
    assert_eq!(r.mailboxes(), vec!["m"]);
    let r = run("match-4", &match_ref(4), &["--max-match-variables", "3"]);
    assert!(
        r.failed_with("match variable ${4} is above the highest supported, ${3}"),
        "{:?}",
        r.errors
    );
}

#[test]
fn max_match_variables_default_32() {
    let r = run("match-32", &match_ref(32), &[]);
    assert!(r.ok(), "{:?}", r.errors);
    let r = run("match-33", &match_ref(33), &[]);
    assert!(r.failed_with("--max-match-variables"), "{:?}", r.errors);
    // An index too large for a number is refused too, not wrapped.
    let r = run(
        "match-huge",
        &match_ref(0).replace("${0}", "${99999999999999999999999}"),
        &[],
    );
    assert!(r.failed_with("a very large index"), "{:?}", r.errors);
}

// ---------------------------------------------------------------------------
// foreverypart

/// A message of `depth` multiparts nested, around one text part.
fn nested_mime(depth: usize) -> String {
    let mut mail = String::from("From: a@example.com\r\nSubject: parts\r\nMIME-Version: 1.0\r\n");
    for i in 0..depth {
        mail.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n"
        ));
    }
    mail.push_str("Content-Type: text/plain\r\n\r\nbottom\r\n");
    for i in (0..depth).rev() {
        mail.push_str(&format!("--b{i}--\r\n"));
    }
    mail
}

/// `n` foreverypart loops nested; the innermost files into "In". Each loop
/// visits the parts below the outer one's, so the message needs `n` levels.
fn loops(n: usize) -> String {
    let mut s = String::from("require [\"foreverypart\", \"fileinto\"];\n");
    s.push_str(&"foreverypart {\n".repeat(n));
    s.push_str("fileinto \"In\"; stop;\n");
    s.push_str(&"}\n".repeat(n));
    s
}

#[test]
fn max_foreverypart_depth_default_4() {
    let dir = temp("fep-4");
    let mail = nested_mime(8);
    let r = run_in(&dir, &loops(4), &mail, &[]);
    assert!(r.ok(), "{:?}", r.errors);
    assert_eq!(r.mailboxes(), vec!["In"]);
    let r = run_in(&dir, &loops(5), &mail, &[]);
    assert!(
        r.failed_with("foreverypart loops nested deeper than 4 (--max-foreverypart-depth)"),
        "{:?}",
        r.errors
    );
}

#[test]
fn max_foreverypart_depth_flag() {
    let dir = temp("fep-flag");
    let mail = nested_mime(8);
    let r = run_in(&dir, &loops(1), &mail, &["--max-foreverypart-depth", "1"]);
    assert!(r.ok(), "{:?}", r.errors);
    assert_eq!(r.mailboxes(), vec!["In"]);
    let r = run_in(&dir, &loops(2), &mail, &["--max-foreverypart-depth", "1"]);
    assert!(r.failed_with("--max-foreverypart-depth"), "{:?}", r.errors);
}

/// 10,000 nested multiparts: no stack overflow, an answer in bounded time.
#[test]
fn deeply_nested_mime_ends() {
    let mail = nested_mime(10_000);
    let script = "require [\"foreverypart\", \"mime\", \"fileinto\", \"variables\"];\n\
                  foreverypart {\n\
                    foreverypart { if header :mime :type \"Content-Type\" \"text\" { fileinto \"Text\"; stop; } }\n\
                  }\n";
    let start = std::time::Instant::now();
    let r = run_in(&temp("deep-mime"), script, &mail, &[]);
    eprintln!("10,000 nested multiparts: {:?}", start.elapsed());
    assert!(r.ok(), "{:?}", r.errors);
    assert_eq!(r.mailboxes(), vec!["Text"]);
    // Every part is visited: 10,000 multiparts and the text part.
    let count = "require [\"foreverypart\", \"variables\", \"fileinto\"];\n\
                 set \"n\" \"\";\nforeverypart { set \"n\" \"${n}x\"; }\n\
                 set :length \"len\" \"${n}\";\nfileinto \"${len}\";\n";
    let r = run_in(
        &temp("deep-mime-count"),
        count,
        &mail,
        &["--max-variable-size", "20000"],
    );
    assert!(r.ok(), "{:?}", r.errors);
    assert_eq!(r.mailboxes(), vec!["10001"]);
}

// ---------------------------------------------------------------------------
// Pathological matching

/// `*a*a*a*a*a*b` on a 1 MB header of "a" (exponential for a naive
/// backtracking matcher): no match. `*a*a*a*a*a*b*` has no anchored end, so
/// the matcher scans the whole megabyte for the "b": still linear, inside
/// the default step limit, and a step-limit error with a small limit.
#[test]
fn pathological_matches_on_a_1mb_header() {
    let mail = format!(
        "From: a@example.com\r\nX-Big: {}\r\n\r\nbody\r\n",
        "a".repeat(1_000_000)
    );
    let script = "require \"fileinto\";\n\
                  if header :matches \"X-Big\" \"*a*a*a*a*a*b\" { fileinto \"B\"; }\n\
                  if header :matches \"X-Big\" \"*a*a*a*a*a*b*\" { fileinto \"B2\"; }\n\
                  if header :matches \"X-Big\" \"*a*a*a*a*a*\" { fileinto \"A\"; }\n";
    let dir = temp("pathological");
    let start = std::time::Instant::now();
    let r = run_in(&dir, script, &mail, &[]);
    eprintln!("*a*a*a*a*a*b on 1 MB: {:?}", start.elapsed());
    assert!(r.ok(), "{:?}", r.errors);
    assert_eq!(r.mailboxes(), vec!["A"]);
    // With a small step budget the scan for "b" is a run-time error.
    let start = std::time::Instant::now();
    let r = run_in(&dir, script, &mail, &["--max-steps", "10000"]);
    eprintln!("the same with --max-steps 10000: {:?}", start.elapsed());
    assert!(r.failed_with("step limit"), "{:?}", r.errors);
}

// ---------------------------------------------------------------------------
// The settings file: the new keys, overridden by the command line

#[test]
fn limits_from_the_settings_file() {
    let dir = temp("settings");
    write(
        &dir.join("sieve-lint.toml"),
        "[limits]\nmax-string-length = 200\nmax-variables = 3\nmax-variable-size = 60\n\
         max-match-variables = 3\nmax-foreverypart-depth = 1\n",
    );
    write(&dir.join("mail.eml"), &nested_mime(3));
    let go = |script: &str, args: &[&str]| {
        write(&dir.join("main.sieve"), script);
        run_files(&dir, &[], args)
    };
    // 4 × 50 bytes and one more.
    assert!(go(&expanding(4, "x"), &[]).failed_with("--max-string-length"));
    assert!(go(&expanding(4, "x"), &["--max-string-length", "201"]).ok());
    assert!(go(&variables(4), &[]).failed_with("--max-variables"));
    assert!(go(&variables(4), &["--max-variables", "4"]).ok());
    let long = "v".repeat(61);
    let r = go(&set_and_file(&long), &[]);
    assert_eq!(r.mailboxes(), vec!["v".repeat(60)]);
    let r = go(&set_and_file(&long), &["--max-variable-size", "61"]);
    assert_eq!(r.mailboxes(), vec![long]);
    assert!(go(&match_ref(4), &[]).failed_with("--max-match-variables"));
    assert!(go(&match_ref(4), &["--max-match-variables", "4"]).ok());
    assert!(go(&loops(2), &[]).failed_with("--max-foreverypart-depth"));
    assert!(go(&loops(2), &["--max-foreverypart-depth", "2"]).ok());
}

// ---------------------------------------------------------------------------
// check: script size, nesting, and the parser's hard limits

fn check_codes(name: &str, script: &str, args: &[&str]) -> Vec<String> {
    let dir = temp(name);
    write(&dir.join("main.sieve"), script);
    let out = cargo_bin_cmd!("sieve-lint")
        .current_dir(&dir)
        .args(["check", "--format", "json", "--no-config", "main.sieve"])
        .args(args)
        .output()
        .expect("runs");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert!(
        doc != Value::Null,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    doc["diagnostics"]
        .as_array()
        .map(|ds| {
            ds.iter()
                .map(|d| d["code"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn max_script_size() {
    let script = format!("keep;\n#{}\n", "x".repeat(92)); // 100 bytes
    assert_eq!(script.len(), 100);
    assert!(check_codes("size-100", &script, &["--max-script-size", "100"]).is_empty());
    let script = format!("{script} ");
    assert_eq!(
        check_codes("size-101", &script, &["--max-script-size", "100"]),
        vec!["SL0222"]
    );
}

fn nested_blocks(n: usize) -> String {
    format!("{}keep;\n{}", "if true {\n".repeat(n), "}\n".repeat(n))
}

fn nested_nots(n: usize) -> String {
    format!("if {}true {{ keep; }}\n", "not ".repeat(n))
}

/// deep-nesting reports blocks or tests nested `--max-nesting` deep.
#[test]
fn max_nesting() {
    assert!(check_codes("nest-4", &nested_blocks(4), &["--max-nesting", "5"]).is_empty());
    assert_eq!(
        check_codes("nest-5", &nested_blocks(5), &["--max-nesting", "5"]),
        vec!["SL0211"]
    );
}

/// The parser keeps 256 nested blocks and 128 nested tests; one more is
/// nesting-too-deep (SL0003), never a crash.
#[test]
fn parser_hard_limits() {
    let off = ["--max-nesting", "100000"];
    let codes = check_codes("blocks-256", &nested_blocks(256), &off);
    assert!(!codes.contains(&"SL0003".to_owned()), "{codes:?}");
    let codes = check_codes("blocks-257", &nested_blocks(257), &off);
    assert!(codes.contains(&"SL0003".to_owned()), "{codes:?}");
    let codes = check_codes("tests-128", &nested_nots(127), &off);
    assert!(!codes.contains(&"SL0003".to_owned()), "{codes:?}");
    let codes = check_codes("tests-129", &nested_nots(128), &off);
    assert!(codes.contains(&"SL0003".to_owned()), "{codes:?}");
}
