//! `check --fix` and `check --diff`: on copies of scripts in a temporary
//! folder, and the fix engine over every fixture of the repository.

use assert_cmd::cargo::cargo_bin_cmd;
use sieve_lint::CheckOptions;
use std::path::{Path, PathBuf};

const REQUIRE_RULES: &[&str] = &["missing-require", "unused-require", "duplicate-require"];

/// A temporary folder holding `name` with `content`.
fn script(name: &str, content: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, content).expect("write script");
    (dir, path)
}

fn check(args: &[&str], path: &Path) -> std::process::Output {
    cargo_bin_cmd!("sieve-lint")
        .arg("check")
        .args(args)
        .arg(path)
        .output()
        .expect("run sieve-lint")
}

fn require_findings(text: &str) -> Vec<&'static str> {
    sieve_lint::lint("t.sieve", text, &CheckOptions::default())
        .diagnostics
        .iter()
        .filter(|d| REQUIRE_RULES.contains(&d.name))
        .map(|d| d.name)
        .collect()
}

const MESSY: &str = "\
# Sorting rules.
require \"fileinto\";
require [\"envelope\", \"fileinto\"];
require \"body\";
if header :contains \"subject\" \"[list]\" {
    fileinto :copy \"Lists\";
}
";

const TIDY: &str = "\
# Sorting rules.
require [\"fileinto\", \"copy\"];
if header :contains \"subject\" \"[list]\" {
    fileinto :copy \"Lists\";
}
";

#[test]
fn fix_merges_drops_and_adds_requires_and_the_result_lints_clean() {
    let (_dir, path) = script("messy.sieve", MESSY.as_bytes());
    let before = require_findings(MESSY);
    assert!(before.len() >= 4, "{before:?}");
    let out = check(&["--fix"], &path);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let after = std::fs::read_to_string(&path).expect("read");
    assert_eq!(after, TIDY);
    assert_eq!(require_findings(&after), Vec::<&str>::new());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("applied"), "{stderr}");
}

#[test]
fn fixing_twice_changes_nothing_the_second_time() {
    let (_dir, path) = script("messy.sieve", MESSY.as_bytes());
    check(&["--fix"], &path);
    let once = std::fs::read(&path).expect("read");
    let out = check(&["--fix"], &path);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read(&path).expect("read"), once);
    assert!(String::from_utf8_lossy(&out.stderr).contains("applied 0 fixes to 0 files"));
    // And --diff agrees: nothing to do, exit 0, no output.
    let out = check(&["--diff"], &path);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn diff_shows_the_changes_writes_nothing_and_exits_1() {
    let (_dir, path) = script("messy.sieve", MESSY.as_bytes());
    let out = check(&["--diff"], &path);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), MESSY);
    let diff = String::from_utf8(out.stdout).expect("utf-8 diff");
    // git's headers: `a/` and `b/` before the path (without its leading `/`).
    let name = path.display().to_string();
    let name = name.trim_start_matches('/');
    assert!(
        diff.starts_with(&format!("--- a/{name}\n+++ b/{name}\n@@ ")),
        "{diff}"
    );
    assert!(diff.contains("\n-require \"body\";\n"), "{diff}");
    assert!(
        diff.contains("\n+require [\"fileinto\", \"copy\"];\n"),
        "{diff}"
    );
}

#[test]
fn a_script_with_a_syntax_error_is_left_untouched() {
    let src = "require \"fileinto\";\nrequire \"fileinto\";\nif true { keep\n";
    let (_dir, path) = script("broken.sieve", src.as_bytes());
    let out = check(&["--fix"], &path);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), src);
    // The duplicate is still reported, but offers no fix.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("SL0205(duplicate-require)"), "{stdout}");
    assert!(!stdout.contains("fixable"), "{stdout}");
    let out = check(&["--diff"], &path);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn invalid_utf8_is_left_untouched() {
    let src = b"require \"fileinto\";\nrequire \"fileinto\";\n# caf\xe9\nkeep;\n";
    let (_dir, path) = script("latin1.sieve", src);
    check(&["--fix"], &path);
    assert_eq!(std::fs::read(&path).expect("read"), src);
}

#[test]
fn crlf_line_ends_stay_crlf() {
    let src = MESSY.replace('\n', "\r\n");
    let (_dir, path) = script("crlf.sieve", src.as_bytes());
    let out = check(&["--fix"], &path);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let after = std::fs::read_to_string(&path).expect("read");
    assert_eq!(after, TIDY.replace('\n', "\r\n"));
}

#[test]
fn a_comment_between_requires_blocks_merging_but_not_de_duplication() {
    let src = "\
require \"fileinto\";
# envelope is needed below
require [\"envelope\", \"fileinto\"];
if envelope \"from\" \"a@example.org\" { fileinto \"A\"; }
";
    let (_dir, path) = script("commented.sieve", src.as_bytes());
    let out = check(&["--fix"], &path);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let after = std::fs::read_to_string(&path).expect("read");
    assert_eq!(
        after,
        "\
require \"fileinto\";
# envelope is needed below
require [\"envelope\"];
if envelope \"from\" \"a@example.org\" { fileinto \"A\"; }
"
    );
}

#[test]
fn a_missing_require_goes_after_the_leading_comments() {
    let src = "# Header comment\n# sieve-lint: allow-file(code-after-stop)\n\nfileinto \"A\";\nvacation \"away\";\n";
    let (_dir, path) = script("none.sieve", src.as_bytes());
    let out = check(&["--fix"], &path);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // allow-file still stands before the first command: it is unused, and
    // said so, but still in force.
    let after = std::fs::read_to_string(&path).expect("read");
    assert_eq!(
        after,
        "# Header comment\n# sieve-lint: allow-file(code-after-stop)\n\nrequire [\"fileinto\", \"vacation\"];\nfileinto \"A\";\nvacation \"away\";\n"
    );
}

#[test]
fn suppressed_diagnostics_are_not_fixed() {
    let src = "require [\"fileinto\", \"envelope\"]; # sieve-lint: allow(unused-require)\nfileinto \"A\";\n";
    let (_dir, path) = script("allowed.sieve", src.as_bytes());
    let out = check(&["--diff"], &path);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn a_late_require_is_never_moved() {
    let src = "keep;\nrequire \"fileinto\";\nfileinto \"A\";\n";
    let (_dir, path) = script("late.sieve", src.as_bytes());
    let out = check(&["--fix"], &path);
    assert_eq!(out.status.code(), Some(1), "require-after-command remains");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), src);
}

#[test]
fn many_missing_capabilities_are_added_in_one_require() {
    // Limits: fifteen extensions, none required.
    let src = "\
if envelope \"from\" \"a@b\" { fileinto :copy :flags \"\\\\Seen\" \"A\"; }
if body :contains \"x\" { discard; }
if spamtest :value \"ge\" :comparator \"i;ascii-numeric\" \"5\" { discard; }
if date :is \"date\" \"year\" \"2026\" { stop; }
if exists \"x\" { vacation \"away\"; }
set \"a\" \"b\";
addheader \"X-A\" \"b\";
ereject \"no\";
";
    let (_dir, path) = script("many.sieve", src.as_bytes());
    let out = check(&["--fix"], &path);
    let after = std::fs::read_to_string(&path).expect("read");
    assert_eq!(
        require_findings(&after),
        Vec::<&str>::new(),
        "{after}\n{out:?}"
    );
    let first = after.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("require [\"envelope\", \"fileinto\""),
        "{first}"
    );
    assert_eq!(
        after.lines().filter(|l| l.starts_with("require")).count(),
        1
    );
    assert!(after.ends_with(src), "the rest is unchanged");
}

#[cfg(unix)]
#[test]
fn permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, path) = script("perm.sieve", MESSY.as_bytes());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    check(&["--fix"], &path);
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), TIDY);
}

#[test]
fn stdin_is_fixed_to_stdout_with_the_report_on_stderr() {
    let out = cargo_bin_cmd!("sieve-lint")
        .args(["check", "--fix", "--format", "short", "-"])
        .write_stdin(format!("{MESSY}frob;\n"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "unknown-command remains");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{TIDY}frob;\n")
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[SL0206]"), "{stderr}");
}

/// Every fixture of the repository: fixing gives a script that parses, has
/// no fixable diagnostic left, reports the same other problems, and is a
/// fixed point (fixing it again changes nothing).
#[test]
fn fixing_every_fixture_is_safe_and_idempotent() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read fixtures").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "sieve") {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 100, "{} fixtures", files.len());
    let options = CheckOptions::default();
    let mut fixed = 0;
    for f in &files {
        let bytes = std::fs::read(f).expect("read fixture");
        let name = f.display().to_string();
        let out = sieve_lint::fix::fix_bytes(&name, &bytes, &options);
        // No fix of a fixture is unsafe (the verification is the safety
        // net, not the way fixes are written).
        assert!(out.dropped.is_empty(), "{name}: {:?}", out.dropped);
        let Some(text) = out.fixed else { continue };
        fixed += 1;
        assert!(
            !sieve_lint::fix::has_syntax_errors(&out.report),
            "{name}:\n{text}"
        );
        assert!(
            out.report.diagnostics.iter().all(|d| d.fix.is_none()),
            "{name}: fixable diagnostics left:\n{text}"
        );
        let others = |r: &sieve_lint::FileReport| {
            let mut v: Vec<&str> = r
                .diagnostics
                .iter()
                .map(|d| d.code)
                .filter(|c| !["SL0203", "SL0204", "SL0205"].contains(c))
                .collect();
            v.sort_unstable();
            v.into_iter().map(str::to_owned).collect::<Vec<_>>()
        };
        let before = sieve_lint::lint_bytes(&name, &bytes, &options);
        assert_eq!(others(&before), others(&out.report), "{name}:\n{text}");
        let again = sieve_lint::fix::fix_bytes(&name, text.as_bytes(), &options);
        assert_eq!(again.fixed, None, "{name}: not a fixed point");
    }
    assert!(fixed >= 10, "only {fixed} fixtures had fixes");
}

/// Each of these needs every require it has: the variable name of
/// `addflag` needs "variables" (RFC 5232 §1), `global.` needs "include"
/// (RFC 6609 §3.5), a misspelt `fileinto` or `:copy` keeps its require (the
/// user fixes the typo next), and a tag of an unknown vendor command keeps
/// the extension that defines it. `--fix` leaves them as they are.
#[test]
fn requires_used_by_values_namespaces_and_typos_are_kept() {
    for src in [
        "require [\"imap4flags\", \"variables\"];\naddflag \"f\" \"\\\\Seen\";\n",
        "require [\"imap4flags\", \"variables\"];\nif hasflag :contains \"f\" \"x\" { keep; }\n",
        "require [\"variables\", \"include\"];\nset \"global.a\" \"1\";\n",
        "require [\"variables\", \"include\", \"fileinto\"];\nfileinto \"${GLOBAL.box}\";\n",
        "require \"fileinto\";\nfilinto \"x\";\n",
        "require [\"fileinto\", \"copy\"];\nfileinto :copi \"x\";\n",
        "require \"envelope\";\nif envelop \"from\" \"a@example.org\" { keep; }\n",
        "require \"comparator-i;ascii-numeric\";\nif heder :comparator \"i;ascii-numeric\" \"x\" \"1\" { keep; }\n",
        "require [\"vnd.dovecot.pipe\", \"copy\"];\npipe :copy \"learn-spam.sh\";\n",
    ] {
        let (_dir, path) = script("kept.sieve", src.as_bytes());
        check(&["--fix"], &path);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), src);
        assert!(!require_findings(src).contains(&"unused-require"), "{src}");
    }
}

#[test]
fn a_syntax_error_is_named_with_why_even_when_nothing_would_be_fixed() {
    let (_dir, path) = script("broken.sieve", b"keep\n");
    let out = check(&["--fix"], &path);
    assert_eq!(out.status.code(), Some(1), "the syntax error remains");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let name = path.display().to_string();
    assert!(
        stderr.contains(&format!(
            "note: {name}: not fixed: the script has syntax errors"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("applied 0 fixes to 0 files; 1 file not (fully) fixed"),
        "{stderr}"
    );
    // A clean file next to it is not named.
    let clean = path.with_file_name("clean.sieve");
    std::fs::write(&clean, "keep;\n").expect("write");
    let out = check(&["--fix"], &clean);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "sieve-lint: applied 0 fixes to 0 files\n"
    );
}

/// A fix that would make a new problem is not offered (JSON `fix: null`),
/// not applied, and `--fix` says which and why; the safe ones still apply.
#[test]
fn an_unsafe_fix_is_not_offered_and_the_safe_ones_still_apply() {
    // Adding "variables" would turn `${global.box}` into a reference to a
    // namespace no required extension defines (RFC 6609 §3.5).
    let src = "require \"body\";\nset \"box\" \"${global.box}\";\nfileinto \"${box}\";\n";
    let (_dir, path) = script("unsafe.sieve", src.as_bytes());
    let out = check(&["--format", "json"], &path);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let diags = doc["diagnostics"].as_array().expect("diagnostics");
    let fix_of = |name: &str| {
        diags
            .iter()
            .filter(|d| d["name"] == name)
            .map(|d| d["fix"].clone())
            .collect::<Vec<_>>()
    };
    assert!(
        fix_of("missing-require")
            .iter()
            .all(serde_json::Value::is_null)
    );
    assert_eq!(fix_of("missing-require").len(), 2);
    assert!(fix_of("unused-require").iter().all(|f| !f.is_null()));

    let out = check(&["--fix"], &path);
    assert_eq!(out.status.code(), Some(1), "missing-require remains");
    let after = std::fs::read_to_string(&path).expect("read");
    assert_eq!(
        after,
        "set \"box\" \"${global.box}\";\nfileinto \"${box}\";\n"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("not applied: add \"variables\", \"fileinto\" to the require: the fixed script would report error[SL0317]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("applied 1 fix to 1 file; 1 file not (fully) fixed"),
        "{stderr}"
    );
}

/// The imap4flags MUST (RFC 5232 §1) is an error, and missing-require's
/// fix for the actions does not hide it.
#[test]
fn the_variable_form_of_addflag_without_variables_is_an_error() {
    let src = "require \"imap4flags\";\naddflag \"flagvar\" \"\\\\Seen\";\n";
    let report = sieve_lint::lint("t.sieve", src, &CheckOptions::default());
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["SL0214"], "{:?}", report.diagnostics);
    assert!(
        report.diagnostics[0]
            .message
            .contains("needs require \"variables\"")
    );
}
