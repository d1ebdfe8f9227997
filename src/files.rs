//! Reading input files. Only regular files are read: opening a FIFO blocks
//! until a writer comes, and a device or socket is no script or message.
//! Anything else is an error naming what the path is, so a caller can say
//! "not a regular file (a FIFO)" for a path named explicitly, or skip it
//! with a note when a folder search met it.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

/// What an entry found in a folder is, under the one symlink policy of
/// `check DIR` and `run DIR` (README): a link to a folder is not followed
/// (`Ok(None)`: skip it, no loops), a link to anything else is followed
/// to its target's type, and a link that leads nowhere (dangling, or a
/// loop of links) is the error of reading it.
pub fn followed_type(
    path: &Path,
    ty: std::fs::FileType,
) -> std::io::Result<Option<std::fs::FileType>> {
    if !ty.is_symlink() {
        return Ok(Some(ty));
    }
    let target = std::fs::metadata(path)?;
    Ok((!target.is_dir()).then(|| target.file_type()))
}

/// What a non-regular file is, for messages: "a FIFO", "a socket", …
pub fn kind_of(ty: std::fs::FileType) -> Option<&'static str> {
    if ty.is_file() {
        return None;
    }
    if ty.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ty.is_fifo() {
            return Some("a FIFO");
        }
        if ty.is_socket() {
            return Some("a socket");
        }
        if ty.is_char_device() || ty.is_block_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

/// The error for a path that is not a regular file.
fn not_regular(kind: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!("not a regular file ({kind})"),
    )
}

/// Opens `path` (following symbolic links) for reading if it is a regular
/// file; otherwise an error saying what it is. It never blocks: on Linux
/// the file is opened with `O_NONBLOCK` (which changes nothing for a
/// regular file; `O_NOCTTY` too, for a terminal) and its type is checked
/// on the open handle, so nothing can be swapped in between a check and
/// the open. Elsewhere the type is checked before opening as well.
pub fn open_regular(path: &Path) -> std::io::Result<File> {
    Ok(open_sized(path)?.0)
}

/// [`open_regular`], with the file's length.
pub fn open_sized(path: &Path) -> std::io::Result<(File, u64)> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    #[cfg(not(target_os = "linux"))]
    if let Some(kind) = kind_of(std::fs::metadata(path)?.file_type()) {
        return Err(not_regular(kind));
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if let Some(kind) = kind_of(meta.file_type()) {
        return Err(not_regular(kind));
    }
    Ok((file, meta.len()))
}

/// [`std::fs::read`] for regular files only (see [`open_regular`]): one
/// open, one stat, the reads.
pub fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    read_at_most(path, u64::MAX)
}

/// The largest script sieve-lint reads: 4 GiB - 1 bytes, as far as its
/// 32-bit source offsets reach ([`crate::syntax::ast::MAX_SOURCE`]).
pub const MAX_SCRIPT: u64 = crate::syntax::ast::MAX_SOURCE as u64;

/// [`read_regular`] for a script: one larger than [`MAX_SCRIPT`] is an
/// error, found before it is read.
pub fn read_script(path: &Path) -> std::io::Result<Vec<u8>> {
    read_at_most(path, MAX_SCRIPT)
}

/// The error for a script larger than [`MAX_SCRIPT`].
pub fn script_too_large() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::FileTooLarge,
        "larger than 4 GiB, the largest script sieve-lint reads",
    )
}

fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let (file, size) = open_sized(path)?;
    if size > limit {
        return Err(script_too_large());
    }
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(usize::try_from(size).unwrap_or(usize::MAX))
        .map_err(std::io::Error::other)?;
    // Through `Take`: `File::read_to_end` would ask the size again (and
    // a file that grows while it is read stops one byte past the limit).
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(script_too_large());
    }
    Ok(bytes)
}

/// [`std::fs::read_to_string`] for regular files only.
pub fn read_regular_to_string(path: &Path) -> std::io::Result<String> {
    String::from_utf8(read_regular(path)?)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("x.sieve");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("path");
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_regular(&fifo).expect_err("a FIFO is not read");
        assert!(e.to_string().contains("a FIFO"), "{e}");
        let e = read_regular(dir.path()).expect_err("a folder is not read");
        assert!(e.to_string().contains("a folder"), "{e}");
        let e = read_regular(Path::new("/dev/null")).expect_err("a device");
        assert!(e.to_string().contains("a device"), "{e}");
        let file = dir.path().join("a.sieve");
        std::fs::write(&file, "keep;").expect("write");
        assert_eq!(read_regular(&file).expect("regular"), b"keep;");
        let link = dir.path().join("link.sieve");
        std::os::unix::fs::symlink(&file, &link).expect("symlink");
        assert_eq!(read_regular(&link).expect("through a link"), b"keep;");
    }
}
