//! miette's graphical report, with the source snippet.
//!
//! miette reads the source through [`Excerpt`]: the lines around one
//! diagnostic's spans, each line cut to a bounded width around the spans,
//! found with the file's [`LineIndex`] (built once per file, the index
//! every format uses). So a report costs what its diagnostics show, not
//! the size of the file per diagnostic: linear in the diagnostics, and no
//! column ever reaches miette's 65,535 limit. At most
//! [`MAX_PER_FILE`] diagnostics are drawn per file, then a line says how
//! many more there are.

use super::clip;
use crate::FileReport;
use crate::diagnostic::{Diagnostic, LineIndex, Severity};
use crate::syntax::ast::Span;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::io::{self, Write};

/// Diagnostics drawn per file in the human format; the rest are counted
/// on one line (`--format short` lists them all).
pub const MAX_PER_FILE: usize = 100;
/// A source line up to this many bytes is shown whole.
const LINE_MAX: usize = 160;
/// On a longer line: this many bytes each side of each span's ends.
const AROUND: usize = 60;
/// Secondary labels drawn per diagnostic (miette's drawing is quadratic in
/// them); the help says how many more there are.
const MAX_LABELS: usize = 8;
/// Messages, labels and help longer than this many characters are cut.
const TEXT_MAX: usize = 1000;

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
    source: &'a Excerpt<'a>,
}

impl fmt::Debug for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&clip(&self.d.message, TEXT_MAX))
    }
}

impl fmt::Display for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&clip(&self.d.message, TEXT_MAX))
    }
}

impl std::error::Error for Adapter<'_> {}

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
        let help = self.d.help.as_deref().map(|h| clip(h, TEXT_MAX));
        let rfc = self.d.rfc;
        let text = match (help, rfc) {
            (Some(h), Some(r)) => Some(format!("{h}\n(see {r})")),
            (Some(h), None) => Some(h.into_owned()),
            (None, Some(r)) => Some(format!("see {r}")),
            (None, None) => None,
        };
        let hidden = self.d.labels.len().saturating_sub(MAX_LABELS);
        let text = match (text, hidden) {
            (t, 0) => t,
            (t, n) => Some(format!(
                "{}{n} more location{} not shown (--format json lists them)",
                t.map(|t| t + "\n").unwrap_or_default(),
                if n == 1 { "" } else { "s" }
            )),
        };
        let text = match (&self.d.fix, text) {
            (Some(f), Some(t)) => Some(format!("{t}\nfixable: {}", clip(&f.message, TEXT_MAX))),
            (Some(f), None) => Some(format!("fixable: {}", clip(&f.message, TEXT_MAX))),
            (None, t) => t,
        };
        text.map(|t| Box::new(t) as Box<dyn fmt::Display + 'b>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let ex = self.source;
        let label = |l: &Option<String>| l.as_deref().map(|t| clip(t, TEXT_MAX).into_owned());
        let primary =
            LabeledSpan::new_primary_with_span(label(&self.d.label), ex.span(self.d.span));
        let rest = self.d.labels.iter().take(MAX_LABELS).map(move |l| {
            LabeledSpan::new_with_span(label(&Some(l.message.clone())), ex.span(l.span))
        });
        Some(Box::new(std::iter::once(primary).chain(rest)))
    }
}

/// A run of whole source lines in an excerpt.
struct Block {
    /// Its bytes in the excerpt's text.
    start: usize,
    end: usize,
    /// The 0-based source line of its first line.
    line: usize,
    /// Where each of its lines starts in the excerpt's text.
    starts: Vec<usize>,
}

/// What miette sees of a file for one diagnostic: the lines around the
/// diagnostic's spans (one line of context each side), each cut to at most
/// [`LINE_MAX`] bytes, or to [`AROUND`] bytes each side of each span end
/// with `…` for what is left out. Control characters other than tab and
/// the CR of CRLF show as spaces (a lone CR is not a line break: lines are
/// those of [`LineIndex`], as in every other format).
struct Excerpt<'a> {
    name: &'a str,
    source: &'a str,
    index: &'a LineIndex,
    text: String,
    /// (excerpt offset, source offset, length) of each copied piece, in
    /// the order of both.
    pieces: Vec<(usize, usize, usize)>,
    blocks: Vec<Block>,
}

impl<'a> Excerpt<'a> {
    fn new(r: &'a FileReport, index: &'a LineIndex, d: &Diagnostic) -> Self {
        let source = r.source.as_str();
        let len = source.len();
        let spans: Vec<Span> = std::iter::once(d.span)
            .chain(d.labels.iter().take(MAX_LABELS).map(|l| l.span))
            .map(|s| clamp(s, len))
            .collect();
        let last_line = index.line(len.saturating_sub(1));
        // Line ranges with one line of context each side, merged.
        let mut ranges: Vec<(usize, usize)> = spans
            .iter()
            .map(|s| {
                let l0 = index.line(s.start());
                let l1 = index.line(s.end().saturating_sub(1).max(s.start()));
                (l0.saturating_sub(1), (l1 + 1).min(last_line).max(l0))
            })
            .collect();
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (a, b) in ranges {
            match merged.last_mut() {
                Some(m) if a <= m.1 + 1 => m.1 = m.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        let mut ex = Excerpt {
            name: &r.path,
            source,
            index,
            text: String::new(),
            pieces: Vec::new(),
            blocks: Vec::new(),
        };
        let mut points: Vec<usize> = spans.iter().flat_map(|s| [s.start(), s.end()]).collect();
        points.sort_unstable();
        for (a, b) in merged {
            let mut block = Block {
                start: ex.text.len(),
                end: 0,
                line: a,
                starts: Vec::new(),
            };
            for line in a..=b {
                block.starts.push(ex.text.len());
                ex.push_line(line, &points);
            }
            block.end = ex.text.len();
            ex.blocks.push(block);
        }
        ex
    }

    /// Copies one source line (cut as needed) and its line break.
    fn push_line(&mut self, line: usize, points: &[usize]) {
        let src = self.source;
        let (ls, le) = (self.index.line_start(line), self.index.line_end(src, line));
        let mut windows: Vec<(usize, usize)> = Vec::new();
        if le - ls <= LINE_MAX {
            windows.push((ls, le));
        } else {
            let lo = points.partition_point(|&p| p < ls);
            let hi = points.partition_point(|&p| p <= le);
            for &p in &points[lo..hi] {
                let w = (
                    floor_char(src, p.saturating_sub(AROUND).max(ls)),
                    ceil_char(src, (p + AROUND).min(le)),
                );
                match windows.last_mut() {
                    Some(last) if w.0 <= last.1 + 3 => last.1 = last.1.max(w.1),
                    _ => windows.push(w),
                }
            }
            if windows.is_empty() {
                windows.push((ls, ceil_char(src, (ls + LINE_MAX).min(le))));
            }
        }
        let mut at = ls;
        for (s, e) in windows {
            if s > at {
                self.text.push('…');
            }
            self.copy(s, e);
            at = e;
        }
        if at < le {
            self.text.push('…');
        }
        if le < src.len() {
            self.copy(le, le + 1);
        }
    }

    /// Copies `source[s..e]` as one piece, control characters shown as
    /// spaces (offsets stay those of the source within the piece).
    fn copy(&mut self, s: usize, e: usize) {
        let bytes = self.source.as_bytes();
        self.pieces.push((self.text.len(), s, e - s));
        for (i, ch) in self.source[s..e].char_indices() {
            let b = s + i;
            let keep = !ch.is_control()
                || ch == '\t'
                || ch == '\n'
                || (ch == '\r' && bytes.get(b + 1) == Some(&b'\n'));
            if keep {
                self.text.push(ch);
            } else {
                // As many spaces as bytes (a C1 control is two): offsets
                // inside the piece stay those of the source.
                self.text.extend(std::iter::repeat_n(' ', ch.len_utf8()));
            }
        }
    }

    /// The excerpt offset of a source offset (a left-out one: the end of
    /// the piece before it).
    fn to_excerpt(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.1 <= offset);
        match i.checked_sub(1).map(|i| self.pieces[i]) {
            Some((x, s, n)) => x + (offset - s).min(n),
            None => 0,
        }
    }

    /// The source offset of an excerpt offset (in a `…`: the start of the
    /// next piece).
    fn to_source(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.0 <= offset);
        match i.checked_sub(1).map(|i| self.pieces[i]) {
            Some((x, s, n)) if offset <= x + n => s + (offset - x),
            _ => self.pieces.get(i).map_or(self.source.len(), |p| p.1),
        }
    }

    fn span(&self, span: Span) -> SourceSpan {
        let s = clamp(span, self.source.len());
        let (a, b) = (self.to_excerpt(s.start()), self.to_excerpt(s.end()));
        SourceSpan::new(a.into(), b.saturating_sub(a))
    }
}

/// A span inside the text; miette draws no label at the very end of the
/// source, so such spans move onto the last character.
fn clamp(span: Span, len: usize) -> Span {
    let start = span.start().min(len);
    let end = span.end().clamp(start, len);
    if start >= len && len > 0 {
        return Span::new(len - 1, len);
    }
    Span::new(start, end)
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl SourceCode for Excerpt<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let (off, end) = (span.offset(), span.offset() + span.len());
        let block = self
            .blocks
            .iter()
            .find(|b| b.start <= off && off <= b.end)
            .filter(|b| end <= b.end)
            .ok_or(MietteError::OutOfBounds)?;
        let line_of = |o: usize| block.starts.partition_point(|&s| s <= o).saturating_sub(1);
        let (li, lj) = (line_of(off), line_of(end.saturating_sub(1).max(off)));
        let first = li.saturating_sub(before);
        let last = (lj + after).min(block.starts.len() - 1);
        let data_start = if before == 0 {
            off
        } else {
            block.starts[first]
        };
        let data_end = block.starts.get(last + 1).copied().unwrap_or(block.end);
        let column = if before == 0 {
            self.index.line_col(self.source, self.to_source(off)).1 - 1
        } else {
            0
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_owned(),
            &self.text.as_bytes()[data_start..data_end.max(data_start)],
            SourceSpan::new(data_start.into(), data_end.saturating_sub(data_start)),
            block.line + if before == 0 { li } else { first },
            column,
            last - first + 1,
        )))
    }
}

fn handler(options: &HumanOptions) -> GraphicalReportHandler {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // Never split a word (a tag name, a require line) across lines.
    let handler = GraphicalReportHandler::new_themed(theme).with_break_words(false);
    match options.width {
        Some(w) => handler.with_width(w),
        None => handler,
    }
}

/// One file's diagnostics, at most [`MAX_PER_FILE`], then how many more;
/// no closing summary (the dry run shows a script's warnings with this).
pub fn render_file(r: &FileReport, options: &HumanOptions, out: &mut dyn Write) -> io::Result<()> {
    render_one(&handler(options), r, out)
}

fn render_one(
    handler: &GraphicalReportHandler,
    r: &FileReport,
    out: &mut dyn Write,
) -> io::Result<()> {
    if r.diagnostics.is_empty() {
        return Ok(());
    }
    let index = LineIndex::new(&r.source);
    for d in r.diagnostics.iter().take(MAX_PER_FILE) {
        let excerpt = Excerpt::new(r, &index, d);
        let mut s = String::new();
        handler
            .render_report(
                &mut s,
                &Adapter {
                    d,
                    source: &excerpt,
                },
            )
            .map_err(io::Error::other)?;
        writeln!(out, "{s}")?;
    }
    if let Some(more) = r
        .diagnostics
        .len()
        .checked_sub(MAX_PER_FILE)
        .filter(|&n| n > 0)
    {
        writeln!(
            out,
            "… {more} more in {} (use --format short to see all)\n",
            r.path
        )?;
    }
    Ok(())
}

pub fn render_human(
    reports: &[FileReport],
    sum: &super::Summary,
    options: &HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let handler = handler(options);
    for r in reports {
        render_one(&handler, r, out)?;
    }
    if sum.errors + sum.warnings + sum.infos == 0 {
        if sum.files > 0 || sum.unreadable == 0 {
            writeln!(
                out,
                "No problems found in {} file{}.",
                sum.files,
                plural(sum.files)
            )?;
        }
    } else {
        writeln!(out, "{}", found_line(sum))?;
    }
    if sum.unreadable > 0 {
        writeln!(
            out,
            "{} input{} could not be read.",
            sum.unreadable,
            plural(sum.unreadable)
        )?;
    }
    if sum.errors + sum.warnings + sum.infos > 0 {
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

/// "Found 1 error and 2 warnings in 1 file.": only the counts that are not
/// zero, in the words the other formats use (error, warning, info).
fn found_line(sum: &super::Summary) -> String {
    let counts: Vec<String> = [
        (sum.errors, "error"),
        (sum.warnings, "warning"),
        (sum.infos, "info"),
    ]
    .into_iter()
    .filter(|&(n, _)| n > 0)
    .map(|(n, word)| format!("{n} {word}{}", plural(n)))
    .collect();
    let list = match counts.as_slice() {
        [] => "no problems".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    format!("Found {list} in {} file{}.", sum.files, plural(sum.files))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(r: &FileReport) -> String {
        let mut out = Vec::new();
        render_file(r, &HumanOptions::plain(), &mut out).expect("to memory");
        String::from_utf8(out).expect("UTF-8")
    }

    /// Past [`MAX_PER_FILE`] diagnostics, one line says how many more.
    #[test]
    fn the_report_is_capped_per_file() {
        let src = "fileinto \"x\";\n".repeat(MAX_PER_FILE + 150);
        let r = crate::lint("many.sieve", &src, &Default::default());
        assert_eq!(r.diagnostics.len(), MAX_PER_FILE + 150);
        let text = render(&r);
        assert_eq!(text.matches("missing require").count(), MAX_PER_FILE);
        assert!(text.contains("… 150 more in many.sieve (use --format short to see all)"));
        let few = crate::lint("few.sieve", "fileinto \"x\";\n", &Default::default());
        assert!(!render(&few).contains("more in"));
    }

    /// A diagnostic far out on a 1 MB line: no panic (miette's column
    /// limit is 65,535), the real line and column in the header, and what
    /// is printed (and built) per diagnostic does not grow with the line.
    #[test]
    fn long_lines_are_cut_around_the_spans() {
        for pad in [70_000, 1_000_000] {
            let src = format!("# x\n{}bogus;\nkeep;\n", " ".repeat(pad));
            let r = crate::lint("long.sieve", &src, &Default::default());
            let index = LineIndex::new(&r.source);
            let d = &r.diagnostics[0];
            let ex = Excerpt::new(&r, &index, d);
            assert!(
                ex.text.len() < 3 * LINE_MAX,
                "excerpt of {} bytes",
                ex.text.len()
            );
            let text = render(&r);
            assert!(
                text.contains(&format!("[long.sieve:2:{}]", pad + 1)),
                "{text}"
            );
            assert!(
                text.lines().all(|l| l.chars().count() < 2 * LINE_MAX),
                "{text}"
            );
            assert!(text.contains("│ …") && text.contains("bogus;"), "{text}");
        }
    }

    /// At most [`MAX_LABELS`] secondary labels are drawn; the help counts
    /// the others.
    #[test]
    fn labels_are_capped() {
        let src = format!(
            "require \"reject\";\nreject \"x\";\n{}",
            "if exists \"x\" { keep; }\n".repeat(MAX_LABELS + 5)
        );
        let r = crate::lint("l.sieve", &src, &Default::default());
        assert_eq!(r.diagnostics[0].labels.len(), MAX_LABELS + 5);
        let text = render(&r);
        assert_eq!(
            text.matches("delivers the message").count(),
            MAX_LABELS,
            "{text}"
        );
        assert!(text.contains("5 more locations not shown"), "{text}");
    }

    /// Random scripts of Sieve pieces, long runs, lone CRs, multi-byte and
    /// control characters: the report renders (no panic) and every line it
    /// prints is bounded.
    #[test]
    fn random_scripts_render_bounded() {
        const PIECES: &[&str] = &[
            "keep;",
            "fileinto \"x\";",
            "if true {",
            "}",
            "\r",
            "\n",
            "\r\n",
            "é",
            "€",
            "\u{1}",
            "\u{85}",
            "\u{9b}",
            "\t",
            "\"",
            "text:\n",
            ".\n",
            "stop;",
            "reject \"r\";",
            "bogus;",
            "require \"reject\";",
            "[",
            "(",
            ":is",
            "#",
            "/*",
            "*/",
            " ",
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..300 {
            let mut src = String::new();
            for _ in 0..next() % 60 {
                let piece = PIECES[(next() % PIECES.len() as u64) as usize];
                let repeat = if next() % 10 == 0 {
                    1 + next() % 400
                } else {
                    1
                };
                for _ in 0..repeat {
                    src.push_str(piece);
                }
            }
            let r = crate::lint("r.sieve", &src, &Default::default());
            let text = render(&r);
            let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            assert!(widest < 2 * TEXT_MAX, "{widest} columns for {src:?}");
        }
    }

    /// Lines are those of [`LineIndex`] (a lone CR is not a line break),
    /// columns count characters, as in `--format short`.
    #[test]
    fn lines_and_columns_match_the_other_formats() {
        let src = "# é\rkeep;\nkepp;\n";
        let r = crate::lint("cr.sieve", src, &Default::default());
        let text = render(&r);
        let index = LineIndex::new(src);
        for d in &r.diagnostics {
            let (l, c) = index.line_col(src, d.span.start());
            assert!(text.contains(&format!("[cr.sieve:{l}:{c}]")), "{text}");
        }
        assert!(!text.contains('\r'));
    }
}
