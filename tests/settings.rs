//! The settings file, its precedence against the command line, server
//! profiles (`--target`), completions and the manual page — through the
//! binary, in temporary folders.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::path::{Path, PathBuf};

mod common;
use common::temp::write;

/// A fresh temporary folder for one test.
fn temp(name: &str) -> common::temp::TempDir {
    common::temp::temp_dir("settings", name)
}

/// Runs `sieve-lint ARGS` in `dir`: exit code and the JSON document (or
/// the standard error when the output is not JSON).
fn check_json(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let out = cargo_bin_cmd!("sieve-lint")
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    let doc = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        doc,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn codes(doc: &Value) -> Vec<(String, String)> {
    doc["diagnostics"]
        .as_array()
        .map(|ds| {
            ds.iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap_or("").to_owned(),
                        d["severity"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

const UNUSED_REQUIRE: &str = "require [\"fileinto\", \"envelope\"];\nfileinto \"Archive\";\n";
const EXTLISTS: &str = "require [\"extlists\", \"fileinto\"];\n\
                        if address :list \"from\" \":addrbook:default\" { fileinto \"Known\"; }\n";

#[test]
fn settings_file_is_found_upwards_and_the_command_line_wins() {
    let dir = temp("upwards");
    write(
        &dir.join("sieve-lint.toml"),
        "[rules]\nunused-require = \"error\"\n",
    );
    write(
        &dir.join("other.toml"),
        "[rules]\nunused-require = \"off\"\n",
    );
    write(&dir.join("sub/deeper/a.sieve"), UNUSED_REQUIRE);
    let sub = dir.join("sub/deeper");

    // Found two folders up: the warning becomes an error.
    let (code, doc, _) = check_json(&sub, &["a.sieve"]);
    assert_eq!(code, 1);
    assert_eq!(codes(&doc), vec![("SL0204".into(), "error".into())]);

    // --no-config: the default severity, a warning, exit 0.
    let (code, doc, _) = check_json(&sub, &["--no-config", "a.sieve"]);
    assert_eq!(code, 0);
    assert_eq!(codes(&doc), vec![("SL0204".into(), "warning".into())]);

    // --config names another file: the rule is off.
    let (code, doc, _) = check_json(&sub, &["--config", "../../other.toml", "a.sieve"]);
    assert_eq!(code, 0);
    assert!(codes(&doc).is_empty(), "{doc}");

    // A named file that does not exist is a usage error.
    let (code, _, err) = check_json(&sub, &["--config", "missing.toml", "a.sieve"]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.toml"), "{err}");
}

#[test]
fn a_bad_settings_file_is_located_and_exits_2() {
    let dir = temp("bad");
    write(&dir.join("a.sieve"), "keep;\n");
    for (text, line_col, what) in [
        ("target = \"rfc\"\ncolour = \"red\"\n", ":2:1:", "colour"),
        ("[rules]\nunused-require = \"loud\"\n", ":2:", "loud"),
        ("[rules]\nno-such-rule = \"off\"\n", ":2:1:", "no-such-rule"),
        ("target = \"exchange\"\n", ":1:10:", "exchange"),
        ("[limits]\nmax-nesting = \"deep\"\n", ":2:15:", "\"deep\""),
    ] {
        write(&dir.join("sieve-lint.toml"), text);
        let (code, _, err) = check_json(&dir, &["a.sieve"]);
        assert_eq!(code, 2, "{text}: {err}");
        assert!(
            err.contains(&format!("sieve-lint.toml{line_col}")),
            "{text}: no location {line_col} in {err}"
        );
        assert!(err.contains(what), "{text}: {err}");
    }
}

#[test]
fn a_script_passes_rfc_and_fails_dovecot_2_3() {
    let dir = temp("target");
    write(&dir.join("lists.sieve"), EXTLISTS);
    let (code, doc, _) = check_json(&dir, &["lists.sieve"]);
    assert_eq!(code, 0, "{doc}");
    let (code, doc, _) = check_json(&dir, &["--target", "dovecot-2.3", "lists.sieve"]);
    assert_eq!(code, 1);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "SL0220");
    assert_eq!(
        d["message"], "\"extlists\" is not supported by Dovecot 2.3 (Pigeonhole 0.5)",
        "{d}"
    );
    assert_eq!(d["start"]["line"], 1);
    assert_eq!(d["start"]["column"], 10);

    // The settings file's target, overridden by --target.
    write(&dir.join("sieve-lint.toml"), "target = \"dovecot-2.3\"\n");
    let (code, _, _) = check_json(&dir, &["lists.sieve"]);
    assert_eq!(code, 1);
    let (code, _, _) = check_json(&dir, &["--target", "rfc", "lists.sieve"]);
    assert_eq!(code, 0);

    // A capability the project says its server has.
    write(
        &dir.join("sieve-lint.toml"),
        "target = \"dovecot-2.3\"\n[capabilities]\nadd = [\"extlists\"]\n",
    );
    let (code, doc, _) = check_json(&dir, &["lists.sieve"]);
    assert_eq!(code, 0, "{doc}");

    // An unknown target is a usage error that lists the known ones.
    let (code, _, err) = check_json(&dir, &["--target", "exchange", "lists.sieve"]);
    assert_eq!(code, 2);
    assert!(err.contains("dovecot-2.3"), "{err}");
}

#[test]
fn removed_capabilities_are_refused_even_on_rfc() {
    let dir = temp("removed");
    write(
        &dir.join("sieve-lint.toml"),
        "[capabilities]\nremove = [\"extlists\"]\n",
    );
    write(&dir.join("lists.sieve"), EXTLISTS);
    let (code, doc, _) = check_json(&dir, &["lists.sieve"]);
    assert_eq!(code, 1);
    assert_eq!(codes(&doc), vec![("SL0220".into(), "error".into())]);
}

#[test]
fn include_and_exclude_globs_pick_the_files_of_a_folder_search() {
    let dir = temp("globs");
    write(&dir.join("a.sieve"), "keep;\n");
    write(&dir.join("filters/b.txt"), "keep;\n");
    write(&dir.join("filters/c.sieve"), "keep;\n");
    write(&dir.join("vendor/d.sieve"), "keep;\n");
    write(&dir.join("notes.md"), "not a script");
    let files = |doc: &Value| -> Vec<String> {
        let mut f: Vec<String> = doc["files"]
            .as_array()
            .expect("files")
            .iter()
            .map(|f| f["path"].as_str().unwrap_or("").replace('\\', "/"))
            .collect();
        f.sort();
        f
    };
    // Defaults: every *.sieve.
    let (_, doc, _) = check_json(&dir, &["."]);
    assert_eq!(
        files(&doc),
        ["./a.sieve", "./filters/c.sieve", "./vendor/d.sieve"]
    );
    write(
        &dir.join("sieve-lint.toml"),
        "include = [\"*.sieve\", \"filters/*.txt\"]\nexclude = [\"vendor/**\"]\n",
    );
    let (_, doc, _) = check_json(&dir, &["."]);
    assert_eq!(
        files(&doc),
        ["./a.sieve", "./filters/b.txt", "./filters/c.sieve"]
    );
    // Run from a subfolder: globs stay relative to the settings file.
    let (_, doc, _) = check_json(&dir.join("vendor"), &["."]);
    assert!(files(&doc).is_empty(), "{doc}");
    // An excluded file named explicitly is skipped too (pre-commit names files).
    let (_, doc, _) = check_json(&dir, &["vendor/d.sieve", "a.sieve"]);
    assert_eq!(files(&doc), ["a.sieve"]);
}

#[test]
fn limits_come_from_the_command_line_then_the_file_then_the_default() {
    let dir = temp("limits");
    // 3 nested blocks.
    write(
        &dir.join("nested.sieve"),
        "if true { if true { if true { keep; } } }\n",
    );
    let (code, doc, _) = check_json(&dir, &["nested.sieve"]);
    assert_eq!((code, codes(&doc)), (0, vec![]));
    write(&dir.join("sieve-lint.toml"), "[limits]\nmax-nesting = 3\n");
    let (_, doc, _) = check_json(&dir, &["nested.sieve"]);
    assert_eq!(codes(&doc), vec![("SL0211".into(), "warning".into())]);
    let (_, doc, _) = check_json(&dir, &["--max-nesting", "4", "nested.sieve"]);
    assert!(codes(&doc).is_empty(), "{doc}");
    let (_, doc, _) = check_json(&dir, &["--max-script-size", "10", "nested.sieve"]);
    assert!(
        codes(&doc).contains(&("SL0222".into(), "warning".into())),
        "{doc}"
    );

    // The dry run's limits: two actions against max-actions = 1.
    write(
        &dir.join("two.sieve"),
        "require \"fileinto\";\nfileinto \"A\";\nfileinto \"B\";\n",
    );
    write(
        &dir.join("m.eml"),
        "From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nbody\r\n",
    );
    write(&dir.join("sieve-lint.toml"), "[limits]\nmax-actions = 1\n");
    let run = |args: &[&str]| {
        cargo_bin_cmd!("sieve-lint")
            .current_dir(&dir)
            .arg("run")
            .args(args)
            .args(["--format", "json", "two.sieve", "m.eml"])
            .output()
            .expect("runs")
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1), "the file's limit applies");
    let out = run(&["--max-actions", "5"]);
    assert_eq!(out.status.code(), Some(0), "the command line wins");
    let out = run(&["--no-config"]);
    assert_eq!(out.status.code(), Some(0), "the default is 32");
}

#[test]
fn completions_for_each_shell_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish"] {
        let out = cargo_bin_cmd!("sieve-lint")
            .args(["completions", shell])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        for word in ["sieve-lint", "check", "explain", "--target", "dovecot-2.3"] {
            assert!(text.contains(word), "{shell} completion lacks {word}");
        }
    }
    let out = cargo_bin_cmd!("sieve-lint")
        .args(["completions", "tcsh"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

/// `[rules]` applies to the suppression pass's own diagnostics too.
#[test]
fn rule_levels_apply_to_suppression_diagnostics() {
    let dir = temp("suppression-levels");
    write(
        &dir.join("a.sieve"),
        "# sieve-lint: allow(unused-require)\nkeep;\n",
    );
    let (code, doc, _) = check_json(&dir, &["a.sieve"]);
    assert_eq!(
        (code, codes(&doc)),
        (0, vec![("SL0212".into(), "warning".into())])
    );
    write(
        &dir.join("sieve-lint.toml"),
        "[rules]\nunused-suppression = \"off\"\n",
    );
    let (code, doc, _) = check_json(&dir, &["a.sieve"]);
    assert_eq!((code, codes(&doc)), (0, vec![]));
    write(
        &dir.join("sieve-lint.toml"),
        "[rules]\nSL0212 = \"error\"\n",
    );
    let (code, doc, _) = check_json(&dir, &["a.sieve"]);
    assert_eq!(
        (code, codes(&doc)),
        (1, vec![("SL0212".into(), "error".into())])
    );
}

/// The diagnostics of a JSON document as (file, code, severity), the
/// file named by its path relative to `root` (paths in the document are
/// relative to `cwd`, or absolute), sorted: what a run found, whatever the
/// folder it ran from and however the files were named.
fn findings(doc: &Value, cwd: &Path, root: &Path) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let mut path = PathBuf::new();
            for c in cwd.join(d["path"].as_str().unwrap_or("")).components() {
                match c {
                    std::path::Component::CurDir => {}
                    std::path::Component::ParentDir => {
                        path.pop();
                    }
                    c => path.push(c),
                }
            }
            let path = path.strip_prefix(root).unwrap_or(&path);
            let field = |k: &str| d[k].as_str().unwrap_or("").to_owned();
            (
                path.to_string_lossy().replace('\\', "/"),
                field("code"),
                field("severity"),
            )
        })
        .collect();
    out.sort();
    out
}

/// A monorepo: the root's sieve-lint.toml (rfc, unused-require an error)
/// and `mail/sieve-lint.toml` (dovecot-2.3, unused-require off). Each file
/// takes the nearest settings file above it, so the same file gives the
/// same result from the root, from a subfolder and from elsewhere.
#[test]
fn each_file_takes_the_nearest_settings_file_wherever_the_command_runs() {
    let dir = temp("monorepo");
    // extlists (Dovecot 2.3 lacks it) and an unused "envelope".
    let script = "require [\"extlists\", \"fileinto\", \"envelope\"];\n\
                  if address :list \"from\" \":addrbook:default\" { fileinto \"Known\"; }\n";
    write(
        &dir.join("sieve-lint.toml"),
        "[rules]\nunused-require = \"error\"\n",
    );
    write(
        &dir.join("mail/sieve-lint.toml"),
        "target = \"dovecot-2.3\"\n[rules]\nunused-require = \"off\"\n",
    );
    write(&dir.join("top.sieve"), script);
    write(&dir.join("mail/a.sieve"), script);
    write(&dir.join("mail/deep/b.sieve"), script);
    let elsewhere = temp("monorepo-elsewhere");
    let expected = vec![
        // mail/: Dovecot 2.3 lacks extlists (SL0220); unused-require off.
        ("mail/a.sieve".into(), "SL0220".into(), "error".into()),
        ("mail/deep/b.sieve".into(), "SL0220".into(), "error".into()),
        // The root: rfc has extlists; the unused "envelope" is an error.
        ("top.sieve".into(), "SL0204".into(), "error".into()),
    ];
    let found = |cwd: &Path, args: &[&str]| {
        let (code, doc, err) = check_json(cwd, args);
        assert_eq!(code, 1, "{doc} {err}");
        findings(&doc, cwd, &dir)
    };
    let abs = |p: &str| dir.join(p).to_string_lossy().into_owned();
    // A folder search from the root, from a subfolder, from elsewhere.
    assert_eq!(found(&dir, &["."]), expected);
    assert_eq!(found(&dir.join("mail/deep"), &["../.."]), expected);
    assert_eq!(found(&elsewhere, &[&abs(".")]), expected);
    // Files named one by one, relative or absolute.
    let named = ["top.sieve", "mail/a.sieve", "mail/deep/b.sieve"];
    assert_eq!(found(&dir, &named), expected);
    let from_deep = ["../../top.sieve", "../a.sieve", "b.sieve"];
    assert_eq!(found(&dir.join("mail/deep"), &from_deep), expected);
    let absolute: Vec<String> = named.iter().map(|n| abs(n)).collect();
    let absolute: Vec<&str> = absolute.iter().map(String::as_str).collect();
    assert_eq!(found(&elsewhere, &absolute), expected);

    // --config wins for every file; --no-config ignores them all.
    let (code, doc, _) = check_json(
        &dir.join("mail"),
        &["--config", "../sieve-lint.toml", "a.sieve", "deep/b.sieve"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&doc, &dir.join("mail"), &dir),
        vec![
            ("mail/a.sieve".into(), "SL0204".into(), "error".into()),
            ("mail/deep/b.sieve".into(), "SL0204".into(), "error".into()),
        ]
    );
    let (code, doc, _) = check_json(&dir, &["--no-config", "."]);
    assert_eq!(code, 0, "{doc}");
    assert!(
        findings(&doc, &dir, &dir)
            .iter()
            .all(|(_, c, s)| c == "SL0204" && s == "warning"),
        "{doc}"
    );

    // Standard input: --stdin-filename's folder, else the current one.
    let stdin = |cwd: &Path, args: &[&str]| {
        let out = cargo_bin_cmd!("sieve-lint")
            .current_dir(cwd)
            .args(["check", "--format", "json"])
            .args(args)
            .arg("-")
            .write_stdin(script)
            .output()
            .expect("runs");
        let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
        codes(&doc)
    };
    let dovecot = vec![("SL0220".to_owned(), "error".to_owned())];
    let rfc = vec![("SL0204".to_owned(), "error".to_owned())];
    assert_eq!(stdin(&dir, &["--stdin-filename", "mail/x.sieve"]), dovecot);
    assert_eq!(
        stdin(&dir.join("mail"), &["--stdin-filename", "../x.sieve"]),
        rfc
    );
    assert_eq!(stdin(&dir.join("mail/deep"), &[]), dovecot);
    assert_eq!(stdin(&dir, &[]), rfc);
}

/// Include/exclude globs of a settings file in a subfolder are relative
/// to that file, and a broken settings file stops only its own files.
#[test]
fn nested_settings_globs_are_relative_to_their_file_and_errors_stay_local() {
    let dir = temp("nested-globs");
    write(&dir.join("a.sieve"), "keep;\n");
    write(&dir.join("sub/sieve-lint.toml"), "exclude = [\"gen/**\"]\n");
    write(&dir.join("sub/b.sieve"), "keep;\n");
    write(&dir.join("sub/gen/c.sieve"), "keep;\n");
    write(&dir.join("gen/d.sieve"), "keep;\n");
    let (code, doc, _) = check_json(&dir, &["."]);
    assert_eq!(code, 0);
    let files: Vec<&str> = doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(files, ["./a.sieve", "./gen/d.sieve", "./sub/b.sieve"]);

    write(&dir.join("sub/sieve-lint.toml"), "colour = true\n");
    let (code, doc, err) = check_json(&dir, &["."]);
    // The files under it are not linted (their settings are unknown);
    // the others are.
    assert_eq!(code, 2, "{err}");
    assert_eq!(doc["files"].as_array().map(Vec::len), Some(2), "{doc}");
    assert_eq!(err.matches("colour").count(), 1, "said once: {err}");
    assert!(err.contains("sieve-lint.toml:1:1"), "{err}");
}

/// `run` takes the settings above the script, wherever it runs from.
#[test]
fn run_takes_the_settings_above_the_script() {
    let dir = temp("run-settings");
    write(
        &dir.join("mail/sieve-lint.toml"),
        "target = \"dovecot-2.3\"\n",
    );
    write(&dir.join("mail/s.sieve"), EXTLISTS);
    write(
        &dir.join("m.eml"),
        "From: a@example.com\nSubject: x\n\nbody\n",
    );
    for (cwd, script, mail) in [
        (dir.to_path_buf(), "mail/s.sieve", "m.eml"),
        (dir.join("mail"), "s.sieve", "../m.eml"),
    ] {
        let out = cargo_bin_cmd!("sieve-lint")
            .current_dir(&cwd)
            .args(["run", script, mail])
            .output()
            .expect("runs");
        // Dovecot 2.3 refuses extlists: the script does not run.
        assert_eq!(out.status.code(), Some(1), "{cwd:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("SL0220"));
    }
}
