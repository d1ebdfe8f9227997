//! sieve-lint: a linter and dry-run tool for Sieve mail filters (RFC 5228).
//!
//! The library parses, checks and returns diagnostics as data; it never
//! prints. The binary (`src/main.rs`, `src/cli.rs`) owns arguments, output
//! format and exit codes; [`report`] turns diagnostics into text.

pub mod check;
pub mod config;
pub mod credentials;
pub mod diagnostic;
pub mod ext;
pub mod files;
pub mod fix;
pub mod hash;
pub mod lists;
pub mod lsp;
pub mod managesieve;
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
    lint_owned_with(path, bytes, options, |_, tree| drop(tree)).0
}

/// [`lint_owned`], then hands the report and the syntax tree to `then`, as
/// [`lint_file_with`] does.
pub fn lint_owned_with<R>(
    path: &str,
    bytes: Vec<u8>,
    options: &CheckOptions,
    then: impl FnOnce(&FileReport, syntax::ast::Script<'_>) -> R,
) -> (FileReport, R) {
    lint_core(path, None, decode_owned(bytes), options, true, then)
}

/// Lints a script read from the file `file` (named `path` in the report).
/// Knowing the file, the checks of `include` (RFC 6609) look for the
/// scripts it names beside it and in [`CheckOptions::include_dirs`].
pub fn lint_file(
    path: &str,
    file: &std::path::Path,
    bytes: Vec<u8>,
    options: &CheckOptions,
) -> FileReport {
    lint_file_with(path, file, bytes, options, |_, tree| drop(tree)).0
}

/// [`lint_file`], then hands the report and the syntax tree to `then`. The
/// tree borrows the report's text (its strings are not copied): keep it
/// with [`syntax::ast::Script::into_owned`], or forget it to spare its
/// freeing.
pub fn lint_file_with<R>(
    path: &str,
    file: &std::path::Path,
    bytes: Vec<u8>,
    options: &CheckOptions,
    then: impl FnOnce(&FileReport, syntax::ast::Script<'_>) -> R,
) -> (FileReport, R) {
    lint_core(path, Some(file), decode_owned(bytes), options, true, then)
}

fn decode_owned(bytes: Vec<u8>) -> syntax::SourceText {
    match String::from_utf8(bytes) {
        Ok(text) => syntax::SourceText {
            text,
            errors: Vec::new(),
        },
        Err(e) => syntax::decode(e.as_bytes()),
    }
}

fn lint_decoded(path: &str, decoded: syntax::SourceText, options: &CheckOptions) -> FileReport {
    lint_core(path, None, decoded, options, true, |_, tree| drop(tree)).0
}

/// Lints a script and keeps its syntax tree, for callers that go on to run
/// it (the dry run): the script is parsed once. The tree owns its strings.
pub fn lint_and_parse(
    path: &str,
    bytes: &[u8],
    options: &CheckOptions,
) -> (FileReport, syntax::ast::Script<'static>) {
    lint_core(
        path,
        None,
        syntax::decode(bytes),
        options,
        true,
        |_, tree| tree.into_owned(),
    )
}

/// Lints without verifying the fixes (the fix engine verifies them itself,
/// and lints each fixed text this way). The tree owns its strings.
pub(crate) fn lint_unverified(
    path: &str,
    decoded: syntax::SourceText,
    options: &CheckOptions,
) -> (FileReport, syntax::ast::Script<'static>) {
    lint_core(path, None, decoded, options, false, |_, tree| {
        tree.into_owned()
    })
}

/// Parses and checks a script, verifies the fixes offered when `verify`
/// (`fix::verify`: a fix that the fixed script would not bear is removed
/// from its diagnostic; scripts without a fix cost nothing more, the
/// others one more lint, rarely a few), then hands the report and the
/// tree, which borrows the report's text, to `then`.
fn lint_core<R>(
    path: &str,
    file: Option<&std::path::Path>,
    decoded: syntax::SourceText,
    options: &CheckOptions,
    verify: bool,
    then: impl FnOnce(&FileReport, syntax::ast::Script<'_>) -> R,
) -> (FileReport, R) {
    let mut report = FileReport {
        path: path.to_owned(),
        source: decoded.text,
        diagnostics: Vec::new(),
        lists: Vec::new(),
    };
    let source: &str = &report.source;
    let parsed = syntax::parse(source);
    let mut diagnostics: Vec<Diagnostic> = decoded
        .errors
        .iter()
        .chain(parsed.errors.iter())
        .map(syntax_diagnostic)
        .collect();
    if !decoded.errors.is_empty() {
        utf8_in_strings_and_comments(source, &parsed.script, &mut diagnostics);
    }
    let parse_failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let checked = check::check_file(source, &parsed.script, parse_failed, options, file);
    diagnostics.extend(checked.diagnostics);
    check::suppress::apply(source, parse_failed, &mut diagnostics);
    check::apply_levels(options, &mut diagnostics);
    diagnostics.sort_by(|a, b| {
        (a.span.start(), a.span.end(), a.code).cmp(&(b.span.start(), b.span.end(), b.code))
    });
    if verify {
        fix::verify::verify(path, source, &mut diagnostics, &parsed.script, options);
    }
    report.diagnostics = diagnostics;
    report.lists = checked.lists;
    let kept = then(&report, parsed.script);
    (report, kept)
}

/// Invalid UTF-8 inside a string or a comment is allowed by RFC 5228 §2.2
/// and §2.4.2 ("implementations MUST accept all strings that match the
/// grammar"), as a deprecated practice: a warning there, an error
/// anywhere else. Only called when the script has such bytes.
fn utf8_in_strings_and_comments(
    source: &str,
    script: &syntax::ast::Script,
    diagnostics: &mut [Diagnostic],
) {
    fn strings(commands: &[syntax::ast::Command], out: &mut Vec<syntax::ast::Span>) {
        fn args(a: &syntax::ast::Arguments, out: &mut Vec<syntax::ast::Span>) {
            for arg in &a.args {
                out.extend(arg.strings().iter().map(|s| s.span));
            }
            for t in a.tests.iter().flat_map(|t| t.as_slice()) {
                args(&t.args, out);
            }
        }
        for c in commands {
            args(&c.args, out);
            if let Some(b) = &c.block {
                strings(&b.commands, out);
            }
        }
    }
    let mut spans: Vec<syntax::ast::Span> = Vec::new();
    strings(&script.commands, &mut spans);
    // (span, is a comment)
    let mut text: Vec<(syntax::ast::Span, bool)> = spans.into_iter().map(|s| (s, false)).collect();
    text.extend(
        syntax::comments::comments(source)
            .comments
            .iter()
            .map(|c| (c.span, true)),
    );
    text.sort_unstable_by_key(|(s, _)| s.start());
    for d in diagnostics
        .iter_mut()
        .filter(|d| d.code == rules::Meta::info(&rules::InvalidUtf8).code)
    {
        // The last text span that starts at or before the bytes.
        let i = text.partition_point(|(s, _)| s.start() <= d.span.start());
        let Some(&(span, comment)) = i.checked_sub(1).map(|i| &text[i]) else {
            continue;
        };
        if span.end() < d.span.end() {
            continue;
        }
        d.severity = Severity::Warning;
        d.help = Some(if comment {
            "RFC 5228 §2.2 allows other octets in comments, as a deprecated practice; \
             tools that read the script as UTF-8 refuse it: re-save the file as UTF-8 \
             (e.g. iconv -f latin1 -t utf-8)"
                .to_owned()
        } else {
            "RFC 5228 §2.2 allows other octets in strings, as a deprecated practice, but \
             messages are compared as UTF-8, so this string never matches one: re-save the \
             file as UTF-8 (e.g. iconv -f latin1 -t utf-8)"
                .to_owned()
        });
    }
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
