//! The manual page and the shell completion scripts, tested by using them:
//! the page is rendered by groff (where installed) and holds every command
//! and option; each completion script is loaded by its shell and asked to
//! complete. And every command's output, written to a full device, exits 2
//! instead of 0 or a panic.

use assert_cmd::Command;
use std::process::Stdio;

fn bin() -> Command {
    Command::cargo_bin("sieve-lint").expect("the binary")
}

fn stdout_of(args: &[&str]) -> String {
    let out = bin().args(args).output().expect("runs");
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

const COMMANDS: &[&str] = &[
    "check",
    "run",
    "rules",
    "explain",
    "targets",
    "completions",
    "man",
];

/// `--long` options that a command's `--help` lists.
fn long_options(command: &str) -> Vec<String> {
    stdout_of(&[command, "--help"])
        .split_whitespace()
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| {
            w.trim_end_matches([',', '.', ')'])
                .split('=')
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .filter(|w| w != "--help")
        .collect()
}

#[test]
fn the_manual_page_documents_every_command_and_option() {
    let page = stdout_of(&["man"]);
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "COMMANDS",
        "EXIT STATUS",
        "FILES",
        "ENVIRONMENT",
        "EXAMPLES",
    ] {
        assert!(
            page.contains(&format!(".SH \"{section}\"")),
            "no {section} section"
        );
    }
    // One page: no reference to per-command pages that do not exist.
    assert!(!page.contains("sieve\\-lint\\-check(1)"));
    for command in COMMANDS {
        assert!(
            page.contains(&format!(".B sieve\\-lint {command}")),
            "{command} not in SYNOPSIS"
        );
        for option in long_options(command) {
            let roff = option.replace('-', "\\-");
            assert!(page.contains(&roff), "{command} {option} not in the page");
        }
    }
    // The settings example is README's.
    assert!(page.contains("max\\-foreverypart\\-depth"));
    assert!(page.contains("NO_COLOR"));
}

#[test]
fn groff_renders_the_manual_page_without_warnings() {
    if std::process::Command::new("groff")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("groff not installed: skipping the rendering check");
        return;
    }
    let page = stdout_of(&["man"]);
    let mut child = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("groff starts");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(page.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("groff ends");
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && warnings.trim().is_empty(),
        "groff: {warnings}"
    );
}

/// Loads the bash script and completes `words` (the last one being typed).
fn bash_complete(script: &str, words: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sieve-lint.bash");
    std::fs::write(&path, script).expect("write");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let prev = if cword > 0 { words[cword - 1] } else { "" };
    let probe = format!(
        "source '{}'\n\
         COMP_WORDS=({})\nCOMP_CWORD={cword}\nCOMP_LINE='{}'\nCOMP_POINT=${{#COMP_LINE}}\n\
         $(complete -p sieve-lint | sed 's/.*-F \\([^ ]*\\).*/\\1/') sieve-lint '{}' '{prev}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        path.display(),
        quoted.join(" "),
        words.join(" "),
        words[cword],
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &probe])
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completes_commands_and_their_options() {
    let script = stdout_of(&["completions", "bash"]);
    assert!(bash_complete(&script, &["sieve-lint", "ch"]).contains(&"check".to_owned()));
    let target = bash_complete(&script, &["sieve-lint", "check", "--tar"]);
    assert_eq!(target, ["--target"], "after a subcommand");
    let run = bash_complete(&script, &["sieve-lint", "run", "--envelope-f"]);
    assert_eq!(run, ["--envelope-from"]);
    let formats = bash_complete(&script, &["sieve-lint", "check", "--format", "sa"]);
    assert_eq!(formats, ["sarif"]);
}

#[test]
fn fish_completes_options_after_a_subcommand() {
    if std::process::Command::new("fish")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("fish not installed: skipping");
        return;
    }
    let script = stdout_of(&["completions", "fish"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sieve-lint.fish");
    std::fs::write(&path, script).expect("write");
    let out = std::process::Command::new("fish")
        .args([
            "-c",
            &format!(
                "source '{}'; complete -C 'sieve-lint check --tar'",
                path.display()
            ),
        ])
        .output()
        .expect("fish runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("--target"));
}

#[test]
fn zsh_loads_the_completion_script() {
    if std::process::Command::new("zsh")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("zsh not installed: skipping");
        return;
    }
    let script = stdout_of(&["completions", "zsh"]);
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("_sieve-lint"), script).expect("write");
    let out = std::process::Command::new("zsh")
        .args([
            "-f",
            "-c",
            &format!(
                "fpath=('{}' $fpath); autoload -U compinit; compinit -u; \
                 autoload -U _sieve-lint; whence -w _sieve-lint",
                dir.path().display()
            ),
        ])
        .output()
        .expect("zsh runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn output_that_cannot_be_written_exits_2() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("no /dev/full: skipping");
        return;
    };
    for args in [
        &["rules"][..],
        &["explain", "SL0203"],
        &["targets"],
        &["--help"],
        &["--version"],
        &["check", "--help"],
        &["completions", "zsh"],
        &["man"],
    ] {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("sieve-lint"))
            .args(args)
            .stdout(full.try_clone().expect("clone"))
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
    }
    // A closed standard error: exit 2 (the error it had to report), no panic.
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("sieve-lint"))
        .args(["check", "/nonexistent/x.sieve"])
        .stderr(full)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}
