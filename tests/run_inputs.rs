//! What `run` reads (ISSUE 12 #6, #11): only regular files. A FIFO never
//! blocks the run: named explicitly (the script or a message) it is an
//! error naming it (exit 2); found in a folder it is skipped with a note. A
//! `*.eml` symbolic link that leads nowhere (dangling, or a loop) is an
//! error naming it (exit 2), as `check DIR` reports a script it cannot read.
#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const MAIL: &str = "From: a@example.com\nTo: b@example.com\nSubject: hi\n\nbody\n";

fn mkfifo(p: &Path) {
    let ok = Command::new("mkfifo")
        .arg(p)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "mkfifo {}", p.display());
}

/// Runs sieve-lint in `dir`; fails the test (instead of hanging) after 20 s.
fn run(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sieve-lint"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("sieve-lint {args:?} hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("s.sieve"), "keep;\n").expect("write");
    std::fs::create_dir(dir.path().join("mail")).expect("mkdir");
    std::fs::write(dir.path().join("mail/a.eml"), MAIL).expect("write");
    dir
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_fifo_as_the_script_is_an_error() {
    let dir = setup();
    mkfifo(&dir.path().join("f.sieve"));
    let o = run(dir.path(), &["run", "f.sieve", "mail"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("'f.sieve'"), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
}

#[test]
fn a_fifo_named_as_a_message_is_an_error() {
    let dir = setup();
    mkfifo(&dir.path().join("f.eml"));
    let o = run(dir.path(), &["run", "s.sieve", "f.eml"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("'f.eml'"), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a regular file"));
}

#[test]
fn a_fifo_in_a_folder_is_skipped_with_a_note() {
    let dir = setup();
    mkfifo(&dir.path().join("mail/b.eml"));
    let o = run(dir.path(), &["run", "s.sieve", "mail"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("note: skipped 'mail/b.eml'"),
        "{}",
        stderr(&o)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("mail/a.eml"));
}

#[test]
fn a_dangling_eml_link_in_a_folder_is_an_error() {
    let dir = setup();
    std::os::unix::fs::symlink("nowhere.eml", dir.path().join("mail/b.eml")).expect("symlink");
    let o = run(dir.path(), &["run", "s.sieve", "mail"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("mail/b.eml"), "{}", stderr(&o));
}

#[test]
fn an_eml_link_loop_in_a_folder_is_an_error() {
    let dir = setup();
    std::os::unix::fs::symlink("y.eml", dir.path().join("mail/x.eml")).expect("symlink");
    std::os::unix::fs::symlink("x.eml", dir.path().join("mail/y.eml")).expect("symlink");
    let o = run(dir.path(), &["run", "s.sieve", "mail"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("mail/x.eml"), "{}", stderr(&o));
}

#[test]
fn an_eml_link_to_a_file_is_read_and_one_to_a_folder_is_not_followed() {
    let dir = setup();
    std::os::unix::fs::symlink("a.eml", dir.path().join("mail/b.eml")).expect("symlink");
    std::os::unix::fs::symlink(".", dir.path().join("mail/self.eml")).expect("symlink");
    let o = run(dir.path(), &["run", "s.sieve", "mail"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("mail/a.eml") && out.contains("mail/b.eml"),
        "{out}"
    );
}

/// An included script that is a FIFO is not read (the run would block).
#[test]
fn an_included_fifo_is_a_run_time_error() {
    let dir = setup();
    std::fs::write(
        dir.path().join("i.sieve"),
        "require \"include\";\ninclude \"pipe\";\n",
    )
    .expect("write");
    mkfifo(&dir.path().join("pipe.sieve"));
    let o = run(dir.path(), &["run", "i.sieve", "mail"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("is not a regular file"), "{out}{}", stderr(&o));
}
