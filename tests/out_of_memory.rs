//! Running out of memory is an error with exit 2, never an abort (issue
//! 12, item 20): the allocator wrapper in src/main.rs.
#![cfg(target_os = "linux")]

use std::os::unix::process::CommandExt;

/// A script whose syntax tree and model need far more than the 128 MiB of
/// address space the process is given (about 25 MB of source).
fn big_script() -> String {
    let mut s = String::from("require \"fileinto\";\n");
    s.push_str(&"if header :contains \"subject\" \"abc\" { fileinto \"x\"; }\n".repeat(500_000));
    s
}

#[test]
fn out_of_memory_is_a_one_line_error_and_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.sieve");
    std::fs::write(&path, big_script()).expect("write");
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("sieve-lint"));
    cmd.args(["check", "--format", "short"]).arg(&path);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 128 << 20,
                rlim_max: 128 << 20,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().expect("run sieve-lint");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "not an abort: {out:?}");
    let line = stderr
        .lines()
        .find(|l| l.starts_with("sieve-lint: out of memory (could not allocate "))
        .unwrap_or_else(|| panic!("no out-of-memory line: {stderr}"));
    assert!(line.ends_with(" bytes)"), "{line}");
}
