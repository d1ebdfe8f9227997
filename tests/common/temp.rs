//! Temporary folders and files for tests that drive the binary.

use std::path::{Path, PathBuf};

/// A fresh, empty temporary folder for one test: `group` and `name` keep
/// concurrent tests (and test binaries) apart. It is removed when the
/// returned guard is dropped (at the end of the test, passed or failed).
pub fn temp_dir(group: &str, name: &str) -> TempDir {
    let dir =
        std::env::temp_dir().join(format!("sieve-lint-{group}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    TempDir(dir)
}

/// A temporary folder, removed with everything in it when dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes a file, creating its folders.
pub fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}
