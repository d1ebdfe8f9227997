//! Turns diagnostics (data) into text, one reporter per `--format`.

pub mod github;
mod human;
pub(crate) mod json;
pub mod run;
pub mod sarif;
mod short;

use crate::FileReport;
use crate::diagnostic::Severity;
use std::io::{self, Write};

pub use human::{HumanOptions, MAX_PER_FILE, render_file, render_human};

/// `text`, cut to at most `max` characters with `…` (long values and
/// messages never fill a terminal).
pub fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..cut])),
    }
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Short,
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

/// Totals over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Inputs that could not be read (reported on standard error).
    pub unreadable: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut s = Summary {
            files: reports.len(),
            ..Summary::default()
        };
        for r in reports {
            s.errors += r.count(Severity::Error);
            s.warnings += r.count(Severity::Warning);
            s.infos += r.count(Severity::Info);
        }
        s
    }
}

/// Writes the reports in the chosen format.
pub fn render(
    format: Format,
    reports: &[FileReport],
    summary: &Summary,
    human: &HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => render_human(reports, summary, human, out),
        Format::Short => short::render(reports, out),
        Format::Json => json::render(reports, summary, out),
        Format::Sarif => sarif::render(reports, summary, out),
        Format::Github => github::render(reports, out),
    }
}
