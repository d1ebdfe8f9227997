//! sieve-lint: a linter and dry-run tool for Sieve mail filters (RFC 5228).
//!
//! The library parses, checks and returns diagnostics as data; it never
//! prints. The binary (`src/main.rs`, `src/cli.rs`) owns arguments, output
//! format and exit codes; [`report`] turns diagnostics into text.

pub mod check;
pub mod config;
pub mod diagnostic;
pub mod ext;
pub mod fix;
pub mod hash;
pub mod lists;
pub mod profiles;
pub mod report;
pub mod rules;
pub mod run;
pub mod syntax;

use diagnostic::{Diagnostic, Severity};
use syntax::{SyntaxError, SyntaxErrorKind};

pub use check::CheckOptions;

/// One linted script: its text (as decoded) and what was found in it.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as the user named it (or the stdin file name).
    pub path: String,
    /// The source text; offsets of diagnostics point into it.
    pub source: String,
    /// In source order.
    pub diagnostics: Vec<Diagnostic>,
    /// Every list name (RFC 6134) with its normalized form.
    pub lists: Vec<check::ListInfo>,
}

impl FileReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Lints a script given as bytes.
pub fn lint_bytes(path: &str, bytes: &[u8], options: &CheckOptions) -> FileReport {
    lint_decoded(path, syntax::decode(bytes), options)
}

/// Lints a script read into memory, without copying it when it is UTF-8.
pub fn lint_owned(path: &str, bytes: Vec<u8>, options: &CheckOptions) -> FileReport {
    lint_owned_and_parse(path, bytes, options).0
}

/// [`lint_owned`], keeping the syntax tree: a caller about to exit may
/// forget it rather than free it node by node.
pub fn lint_owned_and_parse(
    path: &str,
    bytes: Vec<u8>,
    options: &CheckOptions,
) -> (FileReport, syntax::ast::Script) {
    let decoded = match String::from_utf8(bytes) {
        Ok(text) => syntax::SourceText {
            text,
            errors: Vec::new(),
        },
        Err(e) => syntax::decode(e.as_bytes()),
    };
    lint_decoded_keep(path, decoded, options)
}

fn lint_decoded(path: &str, decoded: syntax::SourceText, options: &CheckOptions) -> FileReport {
    lint_decoded_keep(path, decoded, options).0
}

/// Lints a script and keeps its syntax tree, for callers that go on to run
/// it (the dry run): the script is parsed once.
pub fn lint_and_parse(
    path: &str,
    bytes: &[u8],
    options: &CheckOptions,
) -> (FileReport, syntax::ast::Script) {
    lint_decoded_keep(path, syntax::decode(bytes), options)
}

/// Lints, then verifies the fixes offered (`fix::verify`): a fix that the
/// fixed script would not bear is removed from its diagnostic. Scripts
/// without a fix cost nothing more; the others one more lint (rarely a few).
fn lint_decoded_keep(
    path: &str,
    decoded: syntax::SourceText,
    options: &CheckOptions,
) -> (FileReport, syntax::ast::Script) {
    let (mut report, script) = lint_unverified(path, decoded, options);
    fix::verify::verify(&mut report, &script, options);
    (report, script)
}

/// Lints without verifying the fixes (the fix engine verifies them itself,
/// and lints each fixed text this way).
pub(crate) fn lint_unverified(
    path: &str,
    decoded: syntax::SourceText,
    options: &CheckOptions,
) -> (FileReport, syntax::ast::Script) {
    let parsed = syntax::parse(&decoded.text);
    let mut diagnostics: Vec<Diagnostic> = decoded
        .errors
        .iter()
        .chain(parsed.errors.iter())
        .map(syntax_diagnostic)
        .collect();
    let parse_failed = !diagnostics.is_empty();
    let checked = check::check(&decoded.text, &parsed.script, parse_failed, options);
    diagnostics.extend(checked.diagnostics);
    check::suppress::apply(&decoded.text, parse_failed, &mut diagnostics);
    check::apply_levels(options, &mut diagnostics);
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
    });
    let report = FileReport {
        path: path.to_owned(),
        source: decoded.text,
        diagnostics,
        lists: checked.lists,
    };
    (report, parsed.script)
}

/// Lints a script given as text.
pub fn lint(path: &str, source: &str, options: &CheckOptions) -> FileReport {
    lint_bytes(path, source.as_bytes(), options)
}

fn syntax_diagnostic(e: &SyntaxError) -> Diagnostic {
    let rule: &dyn rules::Meta = match e.kind {
        SyntaxErrorKind::Syntax => &rules::SyntaxError,
        SyntaxErrorKind::InvalidUtf8 => &rules::InvalidUtf8,
        SyntaxErrorKind::TooDeep => &rules::NestingTooDeep,
    };
    Diagnostic {
        label: Some(e.label.clone()),
        labels: e
            .labels
            .iter()
            .map(|(span, message)| diagnostic::Label {
                span: *span,
                message: message.clone(),
            })
            .collect(),
        help: e.help.clone(),
        ..Diagnostic::new(rule.info(), e.span, e.message.clone())
    }
}
