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

mod common;
use common::temp::{temp_dir, write};
use std::path::Path;
use std::time::Duration;

/// `sieve-lint ARGS` in `dir`, killed after 20 s (a hang fails the test):
/// exit code, stdout, stderr.
fn sieve_lint(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = cargo_bin_cmd!("sieve-lint")
        .current_dir(dir)
        .args(args)
        .timeout(Duration::from_secs(20))
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The files of a `check --format json` document, in its order.
fn checked_files(dir: &Path, args: &[&str]) -> Vec<String> {
    let (code, out, err) = sieve_lint(dir, &[&["check", "--format", "json"], args].concat());
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    let doc: Value = serde_json::from_str(&out).expect("json");
    doc["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().unwrap_or("").replace('\\', "/"))
        .collect()
}

/// A folder search skips hidden files and folders and what .gitignore,
/// .ignore and git's exclude files list (as ripgrep does), in sorted
/// order; `--no-ignore` takes the ignore files back, never the hidden
/// ones; a file or folder named explicitly is checked whatever they say.
#[test]
fn folder_search_honours_ignore_files_and_skips_hidden_entries() {
    let dir = temp_dir("cli", "walk");
    for f in [
        "b.sieve",
        "A.sieve",
        "a/z.sieve",
        "a.siv",
        ".hidden/h.sieve",
        ".h.sieve",
        "build/g.sieve",
        "gen/i.sieve",
        "keep/build/k.sieve",
        "notes.txt",
    ] {
        write(&dir.join(f), "keep;\n");
    }
    // .gitignore counts in a git repository (as in ripgrep): a `.git`
    // folder is what makes one.
    std::fs::create_dir_all(dir.join(".git")).expect("mkdir");
    write(&dir.join(".gitignore"), "/build/\n*.tmp\n");
    write(&dir.join("gen/.ignore"), "*.sieve\n");
    assert_eq!(
        checked_files(&dir, &["."]),
        [
            "./A.sieve",
            "./a/z.sieve",
            "./a.siv",
            "./b.sieve",
            "./keep/build/k.sieve"
        ]
    );
    assert_eq!(
        checked_files(&dir, &["--no-ignore", "."]),
        [
            "./A.sieve",
            "./a/z.sieve",
            "./a.siv",
            "./b.sieve",
            "./build/g.sieve",
            "./gen/i.sieve",
            "./keep/build/k.sieve"
        ]
    );
    // Outside a git repository, .gitignore says nothing; .ignore still does.
    std::fs::remove_dir(dir.join(".git")).expect("rmdir");
    assert_eq!(
        checked_files(&dir, &["."]),
        [
            "./A.sieve",
            "./a/z.sieve",
            "./a.siv",
            "./b.sieve",
            "./build/g.sieve",
            "./keep/build/k.sieve"
        ]
    );
    // Named explicitly: checked.
    assert_eq!(checked_files(&dir, &[".hidden"]), [".hidden/h.sieve"]);
    assert_eq!(
        checked_files(&dir, &[".h.sieve", "build/g.sieve"]),
        [".h.sieve", "build/g.sieve"]
    );
}

#[cfg(target_os = "linux")]
fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

const MESSAGE: &str = "From: a@example.com\nSubject: hi\n\nbody\n";

/// Only regular files are read: a FIFO named explicitly is an error naming
/// it (exit 2), one met in a folder search is skipped with a note, and
/// nothing waits for a writer — in `check`, `run` (script and messages)
/// and `include`.
#[cfg(target_os = "linux")]
#[test]
fn a_fifo_is_never_read() {
    let dir = temp_dir("cli", "fifo");
    write(&dir.join("ok.sieve"), "keep;\n");
    write(&dir.join("mail/a.eml"), MESSAGE);
    mkfifo(&dir.join("x.sieve"));
    mkfifo(&dir.join("mail/x.eml"));

    let (code, _, err) = sieve_lint(&dir, &["check", "x.sieve"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("'x.sieve': not a regular file (a FIFO)"),
        "{err}"
    );

    let (code, out, err) = sieve_lint(&dir, &["check", "--format", "short", "."]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("note: skipped './x.sieve': a FIFO"), "{err}");

    let (code, _, err) = sieve_lint(&dir, &["check", "--fix", "x.sieve"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("a FIFO"), "{err}");

    let (code, _, err) = sieve_lint(&dir, &["run", "x.sieve", "mail/a.eml"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("'x.sieve': not a regular file (a FIFO)"),
        "{err}"
    );

    let (code, _, err) = sieve_lint(&dir, &["run", "ok.sieve", "mail/x.eml"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("'mail/x.eml': not a regular file (a FIFO)"),
        "{err}"
    );

    let (code, out, err) = sieve_lint(&dir, &["run", "--format", "json", "ok.sieve", "mail"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("note: skipped 'mail/x.eml': a FIFO"), "{err}");
    let doc: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(doc["messages"].as_array().map(Vec::len), Some(1), "{doc}");

    // An included script that is a FIFO: no hang in check (the dry run's
    // include is read in src/run/interp.rs).
    write(
        &dir.join("inc.sieve"),
        "require \"include\";\ninclude :optional \"x\";\nkeep;\n",
    );
    let (code, _, err) = sieve_lint(&dir, &["check", "inc.sieve"]);
    assert!(code == 0 || code == 1, "{err}");
}

/// A script past 4 GiB (source offsets are 32-bit) is refused before it is
/// read, naming the file (exit 2), in `check`, `--fix` and `run`; an
/// included one is an error of the run. The file is sparse: nothing is
/// written to disk.
#[test]
fn a_script_past_4_gib_is_refused_unread() {
    let dir = temp_dir("cli", "huge");
    write(&dir.join("a.eml"), MESSAGE);
    let file = std::fs::File::create(dir.join("huge.sieve")).expect("create");
    file.set_len((1 << 32) + 10).expect("sparse file");
    drop(file);
    for args in [
        &["check", "huge.sieve"][..],
        &["check", "--fix", "huge.sieve"],
        &["run", "huge.sieve", "a.eml"],
    ] {
        let (code, _, err) = sieve_lint(&dir, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("huge.sieve"), "{args:?}: {err}");
        assert!(err.contains("larger than 4 GiB"), "{args:?}: {err}");
    }
    write(
        &dir.join("inc.sieve"),
        "require \"include\";\ninclude \"huge\";\nkeep;\n",
    );
    let (code, out, err) = sieve_lint(&dir, &["run", "inc.sieve", "a.eml"]);
    assert!(
        out.contains("larger than 4 GiB") || err.contains("larger than 4 GiB"),
        "{code}: {out}{err}"
    );
}

/// Symbolic links met in a folder search, the same for `check` and `run`:
/// a link to a file is followed; a link to a folder is not (no loops); a
/// dangling link or a loop of links named like an input is an error that
/// names it (exit 2), never a silent skip.
#[cfg(unix)]
#[test]
fn links_in_a_folder_search_follow_one_policy() {
    use std::os::unix::fs::symlink;
    let dir = temp_dir("cli", "links");
    write(&dir.join("real/s.sieve"), "keep;\n");
    write(&dir.join("real/m.eml"), MESSAGE);
    write(&dir.join("scripts/a.sieve"), "keep;\n");
    write(&dir.join("mail/a.eml"), MESSAGE);
    symlink(dir.join("real/s.sieve"), dir.join("scripts/linked.sieve")).expect("link");
    symlink(dir.join("real/m.eml"), dir.join("mail/linked.eml")).expect("link");
    symlink(dir.join("real"), dir.join("scripts/folder")).expect("link");
    symlink(dir.join("real"), dir.join("mail/folder")).expect("link");

    assert_eq!(
        checked_files(&dir, &["scripts"]),
        ["scripts/a.sieve", "scripts/linked.sieve"]
    );
    let (code, out, err) = sieve_lint(
        &dir,
        &["run", "--format", "json", "scripts/a.sieve", "mail"],
    );
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(doc["messages"].as_array().map(Vec::len), Some(2), "{doc}");

    // Dangling, and a loop: exit 2 naming the link, in both commands.
    symlink(dir.join("nowhere"), dir.join("scripts/dangling.sieve")).expect("link");
    symlink(dir.join("nowhere"), dir.join("mail/dangling.eml")).expect("link");
    let (code, _, err) = sieve_lint(&dir, &["check", "scripts"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("cannot read 'scripts/dangling.sieve'"),
        "{err}"
    );
    let (code, _, err) = sieve_lint(&dir, &["run", "scripts/a.sieve", "mail"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot read 'mail/dangling.eml'"), "{err}");
    std::fs::remove_file(dir.join("scripts/dangling.sieve")).expect("rm");
    std::fs::remove_file(dir.join("mail/dangling.eml")).expect("rm");
    symlink("loop2.sieve", dir.join("scripts/loop1.sieve")).expect("link");
    symlink("loop1.sieve", dir.join("scripts/loop2.sieve")).expect("link");
    symlink("loop2.eml", dir.join("mail/loop1.eml")).expect("link");
    symlink("loop1.eml", dir.join("mail/loop2.eml")).expect("link");
    let (code, _, err) = sieve_lint(&dir, &["check", "scripts"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot read 'scripts/loop1.sieve'"), "{err}");
    let (code, _, err) = sieve_lint(&dir, &["run", "scripts/a.sieve", "mail"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot read 'mail/loop1.eml'"), "{err}");
}

/// Sidecar expectations: `boss.eml.expected` and `boss.expected` are both
/// read; both at once is an error naming the two (which one is meant?).
#[test]
fn two_sidecars_for_one_message_are_an_error() {
    let dir = temp_dir("cli", "sidecars");
    write(&dir.join("s.sieve"), "keep;\n");
    write(&dir.join("mail/boss.eml"), MESSAGE);
    write(&dir.join("mail/boss.expected"), "[{\"action\": \"keep\"}]");
    let (code, _, err) = sieve_lint(&dir, &["run", "-q", "s.sieve", "mail"]);
    assert_eq!((code, err.as_str()), (0, "1 of 1 expectations met\n"));
    write(
        &dir.join("mail/boss.eml.expected"),
        "[{\"action\": \"discard\"}]",
    );
    let (code, _, err) = sieve_lint(&dir, &["run", "-q", "s.sieve", "mail"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("two expectations for 'mail/boss.eml': 'mail/boss.eml.expected' and 'mail/boss.expected'"),
        "{err}"
    );
}

/// `rules` marks a rule fixable exactly when its source attaches a fix
/// (`with_fix`): the list in `rules::FIXABLE` cannot fall behind.
#[test]
fn rules_fixable_column_matches_the_rules_sources() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut with_fix: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|s| s.contains(".with_fix(")))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().replace('_', "-"))
        .collect();
    with_fix.sort();
    let mut listed: Vec<String> = sieve_lint::rules::FIXABLE
        .iter()
        .map(|s| s.to_string())
        .collect();
    listed.sort();
    assert_eq!(with_fix, listed);
}

/// `check --diff` writes `a/` and `b/` paths as git does: the output
/// applies with `git apply` in a repository (and the result lints clean).
#[test]
fn check_diff_applies_with_git_apply() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .current_dir(dir.path())
            .args(args)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {out:?}");
    };
    git(&["init", "-q"]);
    std::fs::create_dir(dir.path().join("sieve")).unwrap();
    std::fs::copy(
        scripts().join("fixable.sieve"),
        dir.path().join("sieve/fixable.sieve"),
    )
    .unwrap();
    let diff = cargo_bin_cmd!("sieve-lint")
        .current_dir(dir.path())
        .args(["check", "--diff", "./sieve/fixable.sieve"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let diff = String::from_utf8(diff).unwrap();
    assert!(
        diff.starts_with("--- a/sieve/fixable.sieve\n+++ b/sieve/fixable.sieve\n"),
        "{diff}"
    );
    std::fs::write(dir.path().join("fix.patch"), &diff).unwrap();
    git(&["apply", "--check", "fix.patch"]);
    git(&["apply", "fix.patch"]);
    cargo_bin_cmd!("sieve-lint")
        .current_dir(dir.path())
        .args(["check", "sieve/fixable.sieve"])
        .assert()
        .code(0);
}

/// README's sample output is what the binary prints today (regenerate it
/// by running the two commands shown there, from the repository's root).
#[test]
fn readme_sample_output_is_current() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let sample = |args: &[&str], code: i32| {
        let out = cargo_bin_cmd!("sieve-lint")
            .current_dir(&root)
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("FORCE_COLOR")
            .args(args)
            .assert()
            .code(code)
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        let block = format!("$ sieve-lint {}\n{text}```", args.join(" "));
        assert!(readme.contains(&block), "README lacks:\n{block}");
    };
    sample(&["check", "fixtures/examples/two-mistakes.sieve"], 1);
    sample(
        &[
            "run",
            "tests/cmd/scripts/run/filter.sieve",
            "tests/cmd/scripts/run/list-mail.eml",
            "tests/cmd/scripts/run/boss.eml",
            "--lists",
            "tests/cmd/scripts/run/vip.json",
        ],
        0,
    );
}
