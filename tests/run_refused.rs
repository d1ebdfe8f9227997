//! `run` runs what the server would run: only errors stop it, and
//! `--format json` writes one JSON document on standard output either way.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::path::PathBuf;

fn scripts() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cmd/scripts")
}

fn run_json(script: &str, code: i32) -> Value {
    let out = cargo_bin_cmd!("sieve-lint")
        .current_dir(scripts())
        .args(["run", script, "run/boss.eml", "--format", "json"])
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("stdout is one JSON document")
}

/// A script with errors does not run: the document holds the errors,
/// `refused` and no messages; exit 1.
#[test]
fn a_refused_script_is_one_json_document() {
    let doc = run_json("three.sieve", 1);
    assert_eq!(doc["refused"], true);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["messages"].as_array().map(Vec::len), Some(0));
    let diags = doc["diagnostics"].as_array().expect("diagnostics");
    assert!(diags.iter().any(|d| d["severity"] == "error"));
    assert!(diags.iter().all(|d| d["path"] == "three.sieve"));
}

/// Warnings do not stop the run (RFC 5429 §2.4: reject with fileinto is
/// NOT RECOMMENDED, a run-time error where both run): the warning is in
/// `diagnostics`, the message's run-time error in its `errors`, and the
/// implicit keep is taken (RFC 5228 §2.10.6).
#[test]
fn warnings_are_shown_and_the_run_goes_on() {
    let doc = run_json("run/reject-archive.sieve", 1);
    assert_eq!(doc["refused"], false);
    let diags = doc["diagnostics"].as_array().expect("diagnostics");
    assert!(
        diags
            .iter()
            .any(|d| d["code"] == "SL0210" && d["severity"] == "warning")
    );
    let m = &doc["messages"][0];
    assert_eq!(m["implicit_keep"], true);
    let error = m["errors"][0]["message"]
        .as_str()
        .expect("a run-time error");
    assert!(
        error.contains("`reject` and `fileinto` both ran"),
        "{error}"
    );
    let actions = m["actions"].as_array().expect("actions");
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0]["action"], "keep");
    assert_eq!(actions[0]["implicit"], true);
}

/// The human report of the same run shows the warning, then the message.
#[test]
fn human_run_shows_the_warning_first() {
    let out = cargo_bin_cmd!("sieve-lint")
        .current_dir(scripts())
        .args(["run", "run/reject-archive.sieve", "run/boss.eml"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("UTF-8");
    let warning = text.find("SL0210").expect("the warning");
    let message = text.find("run/boss.eml").expect("the message");
    assert!(warning < message, "{text}");
    assert!(
        text.contains("error: `reject` and `fileinto` both ran"),
        "{text}"
    );
}

/// "Refused" is decided after the project's rule levels: a warning raised
/// to an error in the settings stops the run; `--no-config` runs it again.
#[test]
fn rule_levels_decide_what_is_refused() {
    let dir = std::env::temp_dir().join(format!("sieve-lint-run-levels-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let config = dir.join("strict.toml");
    std::fs::write(&config, "[rules]\nreject-with-other-actions = \"error\"\n").expect("write");
    let run = |extra: &[&str]| {
        let mut cmd = cargo_bin_cmd!("sieve-lint");
        cmd.current_dir(scripts())
            .args([
                "run",
                "run/reject-archive.sieve",
                "run/boss.eml",
                "--format",
                "json",
            ])
            .args(extra);
        let out = cmd.output().expect("runs");
        let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
        (out.status.code(), doc["refused"].clone())
    };
    let strict = run(&["--config", config.to_str().expect("UTF-8 path")]);
    let default = run(&["--no-config"]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(strict, (Some(1), Value::Bool(true)));
    // Runs, and fails at run time on the message where both actions run.
    assert_eq!(default, (Some(1), Value::Bool(false)));
}

/// A valid script whose first MiB is one line: the script-too-large
/// warning (past column 65,535) is shown with the run, no panic, and every
/// printed line is bounded (issue: miette's column limit, 1 MB lines).
#[test]
fn a_warning_on_a_huge_line_is_shown_bounded() {
    let dir = std::env::temp_dir().join(format!("sieve-lint-run-long-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let script = dir.join("long.sieve");
    let text = format!("# {}\nkeep;\n", "x".repeat(1_100_000));
    std::fs::write(&script, text).expect("write");
    let out = cargo_bin_cmd!("sieve-lint")
        .args(["run"])
        .arg(&script)
        .arg(scripts().join("run/boss.eml"))
        .output()
        .expect("runs");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("SL0222(script-too-large)"), "{text}");
    assert!(text.contains(":1:1048577]"), "{text}");
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest < 600, "a line of {widest} characters");
}
