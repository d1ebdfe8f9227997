//! miette's graphical report, with the source snippet.

use crate::FileReport;
use crate::diagnostic::{Diagnostic, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;
use std::io::{self, Write};

/// How the human report looks.
#[derive(Debug, Clone)]
pub struct HumanOptions {
    pub color: bool,
    /// Text width; `None` for miette's default.
    pub width: Option<usize>,
}

impl HumanOptions {
    /// Fixed look for tests: no colour, 80 columns.
    pub fn plain() -> Self {
        HumanOptions {
            color: false,
            width: Some(80),
        }
    }
}

/// Adapter from our diagnostic to miette's trait, at the edge.
struct Adapter<'a> {
    d: &'a Diagnostic,
    source: &'a NamedSource<String>,
}

impl fmt::Debug for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl fmt::Display for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Adapter<'_> {}

/// miette draws no label at the very end of the source: move such spans
/// onto the last character.
fn source_span(span: crate::syntax::ast::Span, len: usize) -> SourceSpan {
    if span.start >= len && len > 0 {
        return SourceSpan::new((len - 1).into(), 1);
    }
    SourceSpan::new(span.start.into(), span.len())
}

impl miette::Diagnostic for Adapter<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!("{}({})", self.d.code, self.d.name)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let help = self.d.help.as_deref();
        let rfc = self.d.rfc;
        let text = match (help, rfc) {
            (Some(h), Some(r)) => Some(format!("{h}\n(see {r})")),
            (Some(h), None) => Some(h.to_owned()),
            (None, Some(r)) => Some(format!("see {r}")),
            (None, None) => None,
        };
        let text = match (&self.d.fix, text) {
            (Some(f), Some(t)) => Some(format!("{t}\nfixable: {}", f.message)),
            (Some(f), None) => Some(format!("fixable: {}", f.message)),
            (None, t) => t,
        };
        text.map(|t| Box::new(t) as Box<dyn fmt::Display + 'b>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let len = self.source.inner().len();
        let primary =
            LabeledSpan::new_primary_with_span(self.d.label.clone(), source_span(self.d.span, len));
        let rest = self.d.labels.iter().map(move |l| {
            LabeledSpan::new_with_span(Some(l.message.clone()), source_span(l.span, len))
        });
        Some(Box::new(std::iter::once(primary).chain(rest)))
    }
}

pub fn render_human(
    reports: &[FileReport],
    sum: &super::Summary,
    options: &HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // Never split a word (a tag name, a require line) across lines.
    let mut handler = GraphicalReportHandler::new_themed(theme).with_break_words(false);
    if let Some(w) = options.width {
        handler = handler.with_width(w);
    }
    for r in reports {
        if r.diagnostics.is_empty() {
            continue;
        }
        let source = NamedSource::new(&r.path, r.source.clone());
        for d in &r.diagnostics {
            let mut s = String::new();
            handler
                .render_report(&mut s, &Adapter { d, source: &source })
                .map_err(io::Error::other)?;
            writeln!(out, "{s}")?;
        }
    }
    let unreadable = match sum.unreadable {
        0 => String::new(),
        n => format!(" {n} input{} could not be read.", plural(n)),
    };
    if sum.errors + sum.warnings + sum.infos == 0 {
        if sum.files > 0 || sum.unreadable == 0 {
            write!(
                out,
                "No problems found in {} file{}.",
                sum.files,
                plural(sum.files)
            )?;
        }
        writeln!(out, "{}", unreadable.trim_start())?;
    } else {
        writeln!(
            out,
            "Found {} error{}, {} warning{} and {} note{} in {} file{}.",
            sum.errors,
            plural(sum.errors),
            sum.warnings,
            plural(sum.warnings),
            sum.infos,
            plural(sum.infos),
            sum.files,
            plural(sum.files)
        )?;
        if !unreadable.is_empty() {
            writeln!(out, "{}", unreadable.trim_start())?;
        }
        let fixable: usize = reports
            .iter()
            .map(|r| r.diagnostics.iter().filter(|d| d.fix.is_some()).count())
            .sum();
        if fixable > 0 {
            writeln!(
                out,
                "{fixable} fixable with `sieve-lint check --fix` (`--diff` shows the changes)."
            )?;
        }
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
