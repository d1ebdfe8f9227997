//! CLI tests. The cases in `tests/cmd/*.toml` are data: arguments, standard
//! input, exit code and the expected `.stdout`/`.stderr` (inputs in
//! `tests/cmd/scripts/`). Regenerate with `TRYCMD=overwrite cargo test --test cli`
//! and read the diff. The tests below check what a snapshot cannot say well.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::path::PathBuf;

#[test]
fn cli_tests() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}

fn scripts() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cmd/scripts")
}

/// `check --format json` on a script with three mistakes: the document's
/// shape, as design.md promises it.
#[test]
fn json_document_has_every_promised_field() {
    let out = cargo_bin_cmd!("sieve-lint")
        .current_dir(scripts())
        .args(["check", "--format", "json", "three.sieve"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).expect("stdout is one JSON document");

    assert_eq!(doc["version"], 1);
    let files = doc["files"].as_array().expect("files is an array");
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["path"], "three.sieve");

    let diags = doc["diagnostics"]
        .as_array()
        .expect("diagnostics is an array");
    assert_eq!(diags.len(), 3, "{doc:#}");
    let mut last_start = 0;
    for d in diags {
        assert_eq!(d["path"], "three.sieve");
        for key in ["code", "name", "severity", "message", "help"] {
            assert!(
                d[key].as_str().is_some_and(|s| !s.is_empty()),
                "{key} missing in {d:#}"
            );
        }
        let code = d["code"].as_str().unwrap();
        assert!(code.starts_with("SL") && code.len() == 6, "code {code}");
        let name = d["name"].as_str().unwrap();
        assert!(
            name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "name {name} is not kebab-case"
        );
        assert_eq!(d["severity"], "error");

        let start = d["span"]["start"].as_u64().expect("span.start");
        let end = d["span"]["end"].as_u64().expect("span.end");
        assert!(start < end, "empty span in {d:#}");
        assert!(start >= last_start, "diagnostics not in source order");
        last_start = start;
        for pos in ["start", "end"] {
            let line = d[pos]["line"].as_u64().expect("line");
            let column = d[pos]["column"].as_u64().expect("column");
            assert!(line >= 1 && column >= 1, "1-based positions in {d:#}");
        }
    }
    let lines: Vec<u64> = diags
        .iter()
        .map(|d| d["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [3, 5, 6]);

    let summary = &doc["summary"];
    assert_eq!(summary["files"], 1);
    assert_eq!(summary["errors"], 3);
    assert_eq!(summary["warnings"], 0);
}

/// Output to a pipe never carries ANSI escapes, with or without `NO_COLOR`,
/// in every format, on stdout and stderr.
#[test]
fn no_ansi_escapes_when_not_a_terminal() {
    for format in ["human", "short", "json"] {
        for no_color in [false, true] {
            let mut cmd = cargo_bin_cmd!("sieve-lint");
            cmd.current_dir(scripts())
                .args(["check", "--format", format])
                .args(["three.sieve", "warnings.sieve", "no-such-file.sieve"])
                .env_remove("CLICOLOR_FORCE")
                .env_remove("FORCE_COLOR");
            if no_color {
                cmd.env("NO_COLOR", "1");
            } else {
                cmd.env_remove("NO_COLOR");
            }
            let out = cmd.assert().code(2).get_output().clone();
            assert!(!out.stdout.is_empty(), "{format}: no report");
            for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
                assert!(
                    !bytes.contains(&0x1b),
                    "{format} (NO_COLOR={no_color}): ANSI escape on {stream}:\n{}",
                    String::from_utf8_lossy(bytes)
                );
            }
        }
    }
}

/// `explain` finds a rule by code and by name, with the same text.
#[test]
fn explain_by_code_and_by_name_agree_for_every_rule() {
    let rules = cargo_bin_cmd!("sieve-lint").arg("rules").assert().success();
    let listing = String::from_utf8(rules.get_output().stdout.clone()).unwrap();
    assert!(!listing.is_empty());
    for line in listing.lines() {
        let mut words = line.split_whitespace();
        let (code, name) = (words.next().unwrap(), words.next().unwrap());
        let by_code = cargo_bin_cmd!("sieve-lint")
            .args(["explain", code])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let by_name = cargo_bin_cmd!("sieve-lint")
            .args(["explain", name])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        assert_eq!(by_code, by_name, "{code} / {name}");
        let text = String::from_utf8(by_code).unwrap();
        assert!(text.starts_with(&format!("{code} {name} ")), "{text}");
    }
}

/// A reader that stops early (`| head`) is not an error: JSON output to a
/// closed pipe exits by the findings, with nothing on standard error.
#[test]
fn json_to_a_closed_pipe_is_quiet() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = std::env::temp_dir().join(format!("sieve-lint-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let script = dir.join("big.sieve");
    let three = std::fs::read_to_string(scripts().join("three.sieve")).expect("three.sieve");
    std::fs::write(&script, three.repeat(2000)).expect("write");
    for format in ["json", "sarif"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sieve-lint"))
            .args(["check", "--no-config", "--format", format])
            .arg(&script)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut first = [0u8; 16];
        child
            .stdout
            .take()
            .expect("stdout")
            .read_exact(&mut first)
            .expect("some output");
        // The pipe's reading end is closed here.
        let out = child.wait_with_output().expect("wait");
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(
            out.stderr.is_empty(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A message file that cannot be read, between two good ones: exit 2, the
/// file named on standard error, no report (the others are still run, as
/// the parallel loop reads each file itself, but nothing is printed).
#[test]
fn an_unreadable_message_fails_the_run_and_prints_no_report() {
    let case = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/run/allof-anyof-not");
    let out = cargo_bin_cmd!("sieve-lint")
        .current_dir(&case)
        .args([
            "run",
            "--no-config",
            "--format",
            "json",
            "script.sieve",
            "a-report.eml",
            "missing.eml",
            "b-no-date.eml",
        ])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot read 'missing.eml'"), "{err}");
}
