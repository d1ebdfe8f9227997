//! Safe, mechanical fixes (`check --fix`, `check --diff`), designed like
//! ruff's: a rule that finds a problem may attach a [`Fix`] to its
//! diagnostic — edits (a byte range and its replacement) and a note.
//! Before a fix is offered it is verified ([`verify`]): the script with it
//! applied must parse, keep its commands and report nothing new; a fix that
//! fails is removed from its diagnostic and never applied. The engine
//! applies the non-overlapping fixes of one lint pass, lints the result
//! again and repeats until no fix applies (at most [`MAX_PASSES`] passes).
//!
//! Only the `require` rules fix today (missing-require adds the missing
//! capabilities, duplicate-require merges or de-duplicates, unused-require
//! drops): [`requires`] builds their edits. Edits never drop a comment and
//! leave every other byte as it was; inserted line breaks follow the file's
//! (CRLF files stay CRLF).
//!
//! The library never prints: [`fix_bytes`] returns the fixed text, the
//! report of what is left and what was not fixed and why, [`unified_diff`]
//! the diff as a string, and [`write_in_place`] replaces a file atomically.

pub mod requires;
pub mod verify;

use crate::diagnostic::Diagnostic;
use crate::syntax::ast::Span;
use crate::{CheckOptions, FileReport};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

/// Lint passes at most: each pass applies every fix that does not overlap
/// another one, so few are ever needed.
pub const MAX_PASSES: usize = 10;

/// Replace `span` of the source with `content` (empty: delete; an empty
/// span: insert).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    pub span: Span,
    pub content: String,
}

impl Edit {
    pub fn delete(span: Span) -> Edit {
        Edit {
            span,
            content: String::new(),
        }
    }

    pub fn insert(at: usize, content: impl Into<String>) -> Edit {
        Edit {
            span: Span::new(at, at),
            content: content.into(),
        }
    }

    pub fn replace(span: Span, content: impl Into<String>) -> Edit {
        Edit {
            span,
            content: content.into(),
        }
    }

    /// Two edits conflict when their ranges share a byte, or when one
    /// inserts strictly inside the range the other replaces. Insertions at
    /// the same offset do not conflict: they are applied in order.
    fn overlaps(&self, other: &Edit) -> bool {
        self.span.start() < other.span.end() && other.span.start() < self.span.end()
    }
}

/// A diagnostic's fix: what it does, and its edits (applied together or
/// not at all).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    pub message: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(message: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            message: message.into(),
            edits,
        }
    }
}

/// Applies the fixes that do not overlap each other, in source order (the
/// first one wins a conflict; identical fixes count once). Returns the new
/// text and how many fixes were applied. `O(n log n)` in the fixes.
pub fn apply_fixes<'a>(source: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> (String, usize) {
    let mut fixes: Vec<&Fix> = fixes.into_iter().filter(|f| valid(source, f)).collect();
    fixes.sort_by_key(|f| verify::start_of(f));
    let mut seen: crate::hash::FastSet<&[Edit]> = crate::hash::FastSet::default();
    let mut occupied = Occupied::default();
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        if seen.insert(fix.edits.as_slice()) && !occupied.conflicts_with(fix) {
            occupied.take(fix);
            accepted.extend(&fix.edits);
            applied += 1;
        }
    }
    // Stable: insertions at one offset keep the order of their fixes.
    accepted.sort_by_key(|e| (e.span.start(), e.span.end()));
    let mut out = String::with_capacity(source.len());
    let mut pos = 0;
    for e in accepted {
        out.push_str(&source[pos..e.span.start()]);
        out.push_str(&e.content);
        pos = e.span.end();
    }
    out.push_str(&source[pos..]);
    (out, applied)
}

/// The ranges that accepted edits replace, to find a conflict (see
/// [`Edit::overlaps`]) in `O(log n)`.
#[derive(Debug, Default)]
pub(crate) struct Occupied {
    /// Non-empty ranges, start → end; they never overlap each other.
    ranges: BTreeMap<usize, usize>,
    /// Insertion points.
    points: BTreeSet<usize>,
}

impl Occupied {
    fn conflicts(&self, e: &Edit) -> bool {
        let (start, end) = (e.span.start(), e.span.end());
        // Of the ranges that start before `end`, the last one ends last
        // (they are disjoint): only it can reach past `start`. For an
        // insertion (`start == end`) that is a range strictly around it.
        let range = self
            .ranges
            .range(..end)
            .next_back()
            .is_some_and(|(_, &t)| t > start);
        let point = start < end && self.points.range(start + 1..end).next().is_some();
        range || point
    }

    pub(crate) fn conflicts_with(&self, fix: &Fix) -> bool {
        fix.edits.iter().any(|e| self.conflicts(e))
    }

    pub(crate) fn take(&mut self, fix: &Fix) {
        for e in &fix.edits {
            if e.span.is_empty() {
                self.points.insert(e.span.start());
            } else {
                self.ranges.insert(e.span.start(), e.span.end());
            }
        }
    }
}

/// Edits inside the text, on character boundaries, not overlapping each
/// other within the fix.
pub(crate) fn valid(source: &str, fix: &Fix) -> bool {
    let in_bounds = fix.edits.iter().all(|e| {
        e.span.start() <= e.span.end()
            && source.is_char_boundary(e.span.start())
            && source.is_char_boundary(e.span.end())
    });
    let disjoint = fix
        .edits
        .iter()
        .enumerate()
        .all(|(i, a)| fix.edits[i + 1..].iter().all(|b| !a.overlaps(b)));
    !fix.edits.is_empty() && in_bounds && disjoint
}

/// What fixing one script gives.
#[derive(Debug)]
pub struct FixOutcome {
    /// The diagnostics of the result (of the input when nothing changed);
    /// the fixes left in it are verified.
    pub report: FileReport,
    /// The fixed text, when it differs from the input.
    pub fixed: Option<String>,
    /// Fixes applied over all passes.
    pub applied: usize,
    /// Why the script was not fixed at all.
    pub refused: Option<Refusal>,
    /// Fixes that were found but not applied, and why (each once).
    pub dropped: Vec<verify::Dropped>,
}

/// Why a script was left as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Scripts that do not parse are never fixed (what they mean is not
    /// known, so no fix can be verified).
    #[error("not fixed: the script has syntax errors; fix them, then run --fix again")]
    SyntaxErrors,
}

/// Does the report hold a syntax, UTF-8 or nesting error (never
/// suppressed)? Such scripts are never fixed.
pub fn has_syntax_errors(report: &FileReport) -> bool {
    report.diagnostics.iter().any(is_syntax_error)
}

pub(crate) fn is_syntax_error(d: &Diagnostic) -> bool {
    use crate::rules::{InvalidUtf8, Meta, NestingTooDeep, SyntaxError};
    [
        SyntaxError.info(),
        InvalidUtf8.info(),
        NestingTooDeep.info(),
    ]
    .iter()
    .any(|i| i.code == d.code)
}

fn has_fixes(report: &FileReport) -> bool {
    report.diagnostics.iter().any(|d| d.fix.is_some())
}

/// Lints a script and applies its verified fixes until none is left (or
/// [`MAX_PASSES`]). A script with syntax errors is left as it is. Each pass
/// is judged against the script before it like a single fix (it parses,
/// keeps its commands, reports nothing new): the fixes of one pass were
/// verified in one piece when they could be, else one at a time, and a
/// pass whose fixes do not hold together applies its first fix alone.
pub fn fix_bytes(path: &str, bytes: &[u8], options: &CheckOptions) -> FixOutcome {
    let (report, script) = crate::lint_unverified(path, crate::syntax::decode(bytes), options);
    let mut cur = verify::Linted { report, script };
    if has_syntax_errors(&cur.report) {
        verify::verify_linted(&mut cur, options);
        return FixOutcome {
            report: cur.report,
            fixed: None,
            applied: 0,
            refused: Some(Refusal::SyntaxErrors),
            dropped: Vec::new(),
        };
    }
    let original = cur.report.source.clone();
    let mut dropped: Vec<verify::Dropped> = Vec::new();
    // Each fix is named once, however many passes drop it.
    let mut named: crate::hash::FastSet<String> = crate::hash::FastSet::default();
    let mut applied = 0;
    for pass in 0..=MAX_PASSES {
        let v = verify::verify_linted(&mut cur, options);
        for d in v.dropped {
            if named.insert(d.fix.clone()) {
                dropped.push(d);
            }
        }
        if pass == MAX_PASSES || !has_fixes(&cur.report) {
            break;
        }
        let fixes: Vec<&Fix> = cur.report.diagnostics.iter().flat_map(|d| &d.fix).collect();
        let (text, n) = apply_fixes(&cur.report.source, fixes.iter().copied());
        if n == 0 || text == cur.report.source {
            break;
        }
        let baseline = verify::Baseline::of(&cur.report.diagnostics, &cur.script);
        let next = match v.first_layer {
            Some(l) if l.report.source == text => l,
            _ => verify::lint_text(path, text, options),
        };
        let (next, n) = match baseline.judge(&next) {
            Ok(()) => (next, n),
            Err(_) => {
                // Verified one at a time, not together: the first alone
                // (which was verified alone).
                let first = fixes.iter().min_by_key(|f| verify::start_of(f));
                let alone = apply_fixes(&cur.report.source, first.copied()).0;
                let next = verify::lint_text(path, alone, options);
                if let Err(why) = baseline.judge(&next) {
                    if let Some(f) = first.filter(|f| named.insert(f.message.clone())) {
                        dropped.push(verify::Dropped {
                            fix: f.message.clone(),
                            why,
                        });
                    }
                    break;
                }
                (next, 1)
            }
        };
        drop(baseline);
        applied += n;
        cur = next;
    }
    // Fixes left after the last pass are not applied: say so.
    for d in cur.report.diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
        if named.insert(d.message.clone()) {
            dropped.push(verify::Dropped {
                fix: d.message.clone(),
                why: verify::Unsafe::Left,
            });
        }
    }
    let fixed = (cur.report.source != original).then(|| cur.report.source.clone());
    FixOutcome {
        report: cur.report,
        fixed,
        applied,
        refused: None,
        dropped,
    }
}

/// A unified diff (3 lines of context) from `old` to `new`, with `path`
/// in both headers as git writes it (`--- a/PATH`, `+++ b/PATH`), so the
/// output applies with `git apply` and with `patch -p1`; empty when they
/// are equal.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    // git's paths have no `./` step, and an absolute path loses its `/`
    // (as `git diff --no-index /x/a /x/b` writes `a/x/a`).
    let mut path = path.trim_start_matches('/');
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.trim_start_matches('/');
    }
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Replaces the file's content without harming it (`check --fix`):
///
/// - a symbolic link is followed: the file it names is fixed, the link kept;
/// - the new content goes to a temporary file in the same folder, which gets
///   the original's owner, group and mode (in that order: a change of owner
///   clears set-id bits), is flushed to disk (`fsync`), and only then renamed
///   over the original; on any error the original is untouched and the
///   temporary file removed;
/// - a file with more than one hard link is refused (renaming over one name
///   would split it from the others, and writing into the shared inode
///   cannot be undone if it fails half-way): nothing is written;
/// - an owner or group that cannot be kept (not root, the file someone
///   else's) is an error, not a silent change of owner;
/// - extended attributes (POSIX ACLs, SELinux labels, user.*) are not copied:
///   the new file has those its folder gives new files.
pub fn write_in_place(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let meta = std::fs::metadata(&target)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(std::io::Error::other(format!(
                "it has {} hard links, and --fix does not split them (use --diff and apply the \
                 diff, or give the file a single link)",
                meta.nlink()
            )));
        }
    }
    let dir = target
        .parent()
        .ok_or_else(|| std::io::Error::other("the file has no folder"))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut attempt = 0;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(
            ".{name}.sieve-lint-{}-{attempt}.tmp",
            std::process::id()
        ));
        let mut open = std::fs::OpenOptions::new();
        open.write(true).create_new(true);
        #[cfg(unix)]
        {
            // Nobody else can read it while it is being written.
            use std::os::unix::fs::OpenOptionsExt;
            open.mode(0o600);
        }
        match open.open(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    };
    let written = file
        .write_all(bytes)
        .and_then(|()| keep_owner(&file, &meta))
        .and_then(|()| file.set_permissions(meta.permissions()))
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            std::fs::rename(&tmp, &target)
        })
        .map(|()| sync_folder(dir));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Gives the temporary file the original's owner and group (a no-op when
/// they are already the writer's).
fn keep_owner(file: &std::fs::File, meta: &std::fs::Metadata) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let now = file.metadata()?;
        if (now.uid(), now.gid()) != (meta.uid(), meta.gid()) {
            std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())).map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!(
                        "cannot keep its owner and group ({}:{}): {e}",
                        meta.uid(),
                        meta.gid()
                    ),
                )
            })?;
        }
    }
    #[cfg(not(unix))]
    let _ = (file, meta);
    Ok(())
}

/// Makes the rename durable (the folder's entry flushed to disk); where a
/// folder cannot be opened or synced (not Unix), the rename stands anyway.
fn sync_folder(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix::new("test", edits)
    }

    #[test]
    fn applies_edits_in_source_order_whatever_the_fix_order() {
        let src = "abcdef";
        let fixes = [
            fix(vec![Edit::replace(Span::new(4, 5), "E")]),
            fix(vec![Edit::delete(Span::new(0, 1))]),
            fix(vec![Edit::insert(6, "!")]),
        ];
        assert_eq!(apply_fixes(src, &fixes), ("bcdEf!".to_owned(), 3));
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        let src = "abcdef";
        let fixes = [
            fix(vec![Edit::delete(Span::new(1, 4))]),
            fix(vec![Edit::replace(Span::new(3, 5), "X")]),
            fix(vec![Edit::insert(2, "Y")]),
        ];
        assert_eq!(apply_fixes(src, &fixes), ("aef".to_owned(), 1));
    }

    #[test]
    fn a_fix_applies_whole_or_not_at_all() {
        let src = "abcdef";
        let fixes = [
            fix(vec![Edit::delete(Span::new(0, 1))]),
            fix(vec![
                Edit::delete(Span::new(0, 2)),
                Edit::insert(6, "never"),
            ]),
        ];
        assert_eq!(apply_fixes(src, &fixes), ("bcdef".to_owned(), 1));
    }

    #[test]
    fn identical_fixes_count_once_and_insertions_at_one_offset_keep_order() {
        let src = "ab";
        let same = fix(vec![Edit::insert(1, "1")]);
        let fixes = [same.clone(), same, fix(vec![Edit::insert(1, "2")])];
        assert_eq!(apply_fixes(src, &fixes), ("a12b".to_owned(), 2));
        // An insertion where a deletion starts or ends is no conflict.
        let fixes = [
            fix(vec![Edit::delete(Span::new(0, 1))]),
            fix(vec![Edit::insert(1, "+")]),
        ];
        assert_eq!(apply_fixes(src, &fixes), ("+b".to_owned(), 2));
    }

    #[test]
    fn thousands_of_fixes_apply_in_one_pass() {
        // Every other byte deleted, an insertion before each: 40,000 fixes
        // (a quadratic overlap search took seconds here).
        let src = "ab".repeat(20_000);
        let mut fixes = Vec::new();
        for i in (0..src.len()).step_by(2) {
            fixes.push(fix(vec![Edit::delete(Span::new(i + 1, i + 2))]));
            fixes.push(fix(vec![Edit::insert(i, "<")]));
        }
        let (out, n) = apply_fixes(&src, &fixes);
        assert_eq!(n, 40_000);
        assert_eq!(out, "<a".repeat(20_000));
        // An insertion strictly inside a deletion still waits.
        let (_, n) = apply_fixes(
            "abc",
            &[
                fix(vec![Edit::delete(Span::new(0, 3))]),
                fix(vec![Edit::insert(1, "x")]),
            ],
        );
        assert_eq!(n, 1);
    }

    #[test]
    fn out_of_bounds_or_split_characters_are_refused() {
        let src = "é;";
        let fixes = [
            fix(vec![Edit::delete(Span::new(1, 2))]),
            fix(vec![Edit::delete(Span::new(2, 9))]),
            fix(vec![]),
        ];
        assert_eq!(apply_fixes(src, &fixes), ("é;".to_owned(), 0));
    }

    #[test]
    fn diff_is_empty_without_changes_and_unified_otherwise() {
        assert_eq!(unified_diff("a.sieve", "keep;\n", "keep;\n"), "");
        let d = unified_diff("a.sieve", "require \"x\";\nkeep;\n", "keep;\n");
        assert_eq!(
            d,
            "--- a/a.sieve\n+++ b/a.sieve\n@@ -1,2 +1 @@\n-require \"x\";\n keep;\n"
        );
    }

    #[test]
    fn write_in_place_replaces_content_and_keeps_permissions() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("f.sieve");
        std::fs::write(&path, "old").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        }
        write_in_place(&path, b"new").expect("write in place");
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 1, "temporary file left behind: {left:?}");
    }
}
