//! Temporary folders and files for tests that drive the binary.

use std::path::{Path, PathBuf};

/// A fresh, empty temporary folder for one test: `group` and `name` keep
/// concurrent tests (and test binaries) apart.
pub fn temp_dir(group: &str, name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("sieve-lint-{group}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Writes a file, creating its folders.
pub fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}
