//! `check --fix` never harms the file it fixes (issue 12, items 15-16):
//! owner, group and mode are kept, a symbolic link stays a link, a
//! hard-linked file is refused rather than split, and a write that fails
//! leaves the file as it was, nothing behind, the original diagnostics
//! reported and exit 2.
#![cfg(target_os = "linux")]

use assert_cmd::cargo::cargo_bin_cmd;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;

/// Misses `require "fileinto"`: `--fix` adds it.
const UNFIXED: &str = "fileinto \"Lists\";\n";
const FIXED: &str = "require \"fileinto\";\nfileinto \"Lists\";\n";

fn fix(path: &Path) -> std::process::Output {
    cargo_bin_cmd!("sieve-lint")
        .args(["check", "--fix"])
        .arg(path)
        .output()
        .expect("run sieve-lint")
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// The names in the folder, sorted: nothing left behind but what the
/// test put there.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn owner_group_and_mode_are_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("mail.sieve");
    std::fs::write(&path, UNFIXED).expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    // As root (the case of the issue): the file is a mail user's.
    let (uid, gid) = if is_root() {
        (65534, 65534)
    } else {
        let m = std::fs::metadata(&path).expect("meta");
        (m.uid(), m.gid())
    };
    std::os::unix::fs::chown(&path, Some(uid), Some(gid)).expect("chown");
    let out = fix(&path);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), FIXED);
    let m = std::fs::metadata(&path).expect("meta");
    assert_eq!((m.uid(), m.gid()), (uid, gid));
    assert_eq!(m.permissions().mode() & 0o7777, 0o640);
    assert_eq!(names(dir.path()), ["mail.sieve"]);
}

#[test]
fn a_private_script_stays_private() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.sieve");
    std::fs::write(&path, UNFIXED).expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let out = fix(&path);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), FIXED);
    let m = std::fs::metadata(&path).expect("meta");
    assert_eq!(m.permissions().mode() & 0o7777, 0o600);
}

#[test]
fn a_symbolic_link_stays_a_link_and_its_target_is_fixed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let real = dir.path().join("real.sieve");
    let link = dir.path().join("link.sieve");
    std::fs::write(&real, UNFIXED).expect("write");
    std::os::unix::fs::symlink("real.sieve", &link).expect("symlink");
    let out = fix(&link);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&real).expect("read"), FIXED);
    assert_eq!(names(dir.path()), ["link.sieve", "real.sieve"]);
}

#[test]
fn a_hard_linked_file_is_refused_not_split() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("a.sieve");
    let b = dir.path().join("b.sieve");
    std::fs::write(&a, UNFIXED).expect("write");
    std::fs::hard_link(&a, &b).expect("link");
    let out = fix(&a);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stderr.contains("2 hard links"), "{stderr}");
    assert!(stderr.contains("applied 0 fixes"), "{stderr}");
    // The original diagnostics, not those of the unwritten fix.
    assert!(stdout.contains("missing-require"), "{stdout}");
    for p in [&a, &b] {
        assert_eq!(std::fs::read_to_string(p).expect("read"), UNFIXED);
    }
    let (ma, mb) = (
        std::fs::metadata(&a).unwrap(),
        std::fs::metadata(&b).unwrap(),
    );
    assert_eq!((ma.ino(), ma.nlink()), (mb.ino(), 2));
    assert_eq!(names(dir.path()), ["a.sieve", "b.sieve"]);
}

/// A write that fails half-way (here: past the file-size limit, EFBIG, as
/// reliable as a full disk and which root cannot bypass) leaves the
/// original as it was and no temporary file, reports the original
/// diagnostics, claims no fix and exits 2.
#[test]
fn a_failed_write_leaves_the_file_and_nothing_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.sieve");
    let unfixed = format!("# {}\n{UNFIXED}", "x".repeat(8192));
    std::fs::write(&path, &unfixed).expect("write");
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("sieve-lint"));
    cmd.args(["check", "--fix"]).arg(&path);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit {
                rlim_cur: 4096,
                rlim_max: 4096,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().expect("run sieve-lint");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        stderr.contains("cannot write the fixed") && stderr.contains("left unchanged"),
        "{stderr}"
    );
    assert!(stderr.contains("too large"), "says why: {stderr}");
    assert!(!stderr.contains("applied 1 fix"), "{stderr}");
    assert!(stdout.contains("missing-require"), "{stdout}");
    assert!(!stdout.contains("No problems"), "{stdout}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), unfixed);
    assert_eq!(names(dir.path()), ["big.sieve"]);
}

/// Not root: a read-only folder cannot take the temporary file (root
/// writes anyway, so this only runs as another user).
#[test]
fn a_read_only_folder_is_an_error_not_a_claim() {
    if is_root() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ro.sieve");
    std::fs::write(&path, UNFIXED).expect("write");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let out = fix(&path);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stderr.contains("ermission denied"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), UNFIXED);
    assert_eq!(names(dir.path()), ["ro.sieve"]);
}
