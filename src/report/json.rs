//! The versioned JSON document. Stable: fields are only ever added.

use super::Summary;
use crate::FileReport;
use crate::diagnostic::LineIndex;
use crate::syntax::ast::Span;
use serde::Serialize;
use std::io::{self, Write};

pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    files: Vec<FileEntry<'a>>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct FileEntry<'a> {
    path: &'a str,
    errors: usize,
    warnings: usize,
    infos: usize,
    /// Every list name with its normalized form.
    lists: Vec<JsonList<'a>>,
}

#[derive(Serialize)]
struct JsonList<'a> {
    name: &'a str,
    context: &'a str,
    normalized: Option<&'a str>,
    error: Option<&'a str>,
    dynamic: bool,
    span: Span,
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    span: Span,
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    code: &'a str,
    name: &'a str,
    severity: crate::diagnostic::Severity,
    message: &'a str,
    help: Option<&'a str>,
    rfc: Option<&'a str>,
    /// Byte offsets, end exclusive.
    span: Span,
    start: Position,
    end: Position,
    label: Option<&'a str>,
    labels: Vec<JsonLabel<'a>>,
    /// The fix `check --fix` would apply; `null` when there is none.
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    message: &'a str,
    /// Always "safe" today: `--fix` applies only fixes that keep the
    /// script's meaning.
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    /// The replacement text (empty: a deletion).
    content: &'a str,
    span: Span,
    start: Position,
    end: Position,
}

fn position(index: &LineIndex, text: &str, offset: usize) -> Position {
    let (line, column) = index.line_col(text, offset);
    Position { line, column }
}

pub fn render(reports: &[FileReport], summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
    let mut doc = Document {
        version: VERSION,
        files: Vec::new(),
        diagnostics: Vec::new(),
        summary: *summary,
    };
    for r in reports {
        use crate::diagnostic::Severity::*;
        let index = LineIndex::new(&r.source);
        doc.files.push(FileEntry {
            path: &r.path,
            errors: r.count(Error),
            warnings: r.count(Warning),
            infos: r.count(Info),
            lists: r
                .lists
                .iter()
                .map(|l| JsonList {
                    name: &l.name,
                    context: l.context,
                    normalized: l.normalized.as_deref(),
                    error: l.error.as_deref(),
                    dynamic: l.dynamic,
                    span: l.span,
                    start: position(&index, &r.source, l.span.start()),
                    end: position(&index, &r.source, l.span.end()),
                })
                .collect(),
        });
        doc.diagnostics
            .extend(r.diagnostics.iter().map(|d| diagnostic(r, &index, d)));
    }
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::from)?;
    writeln!(out)
}

/// One diagnostic as the JSON document has it.
fn diagnostic<'a>(
    r: &'a FileReport,
    index: &LineIndex,
    d: &'a crate::diagnostic::Diagnostic,
) -> JsonDiagnostic<'a> {
    let at = |offset: usize| position(index, &r.source, offset);
    JsonDiagnostic {
        path: &r.path,
        code: d.code,
        name: d.name,
        severity: d.severity,
        message: &d.message,
        help: d.help.as_deref(),
        rfc: d.rfc,
        span: d.span,
        start: at(d.span.start()),
        end: at(d.span.end()),
        label: d.label.as_deref(),
        labels: d
            .labels
            .iter()
            .map(|l| JsonLabel {
                message: &l.message,
                span: l.span,
                start: at(l.span.start()),
                end: at(l.span.end()),
            })
            .collect(),
        fix: d.fix.as_ref().map(|f| JsonFix {
            message: &f.message,
            applicability: "safe",
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit {
                    content: &e.content,
                    span: e.span,
                    start: at(e.span.start()),
                    end: at(e.span.end()),
                })
                .collect(),
        }),
    }
}

/// A file's diagnostics as in the `check` JSON document's `diagnostics`
/// (the dry run's JSON report carries them too), keys in sorted order.
pub fn diagnostics_value(r: &FileReport) -> serde_json::Value {
    let index = LineIndex::new(&r.source);
    let all: Vec<JsonDiagnostic<'_>> = r
        .diagnostics
        .iter()
        .map(|d| diagnostic(r, &index, d))
        .collect();
    serde_json::to_value(all).unwrap_or_default()
}
