//! GitHub Actions workflow commands: one `::error`, `::warning` or
//! `::notice` line per diagnostic, which the runner turns into an
//! annotation on the file and line. `notice` is GitHub's name for the
//! command; sieve-lint calls the level "info" here too (in the title).
//!
//! `::error file=a.sieve,line=3,col=3,endLine=3,endColumn=11,title=SL0203 missing-require::message`
//!
//! The runner rejects `col`/`endColumn` on an annotation whose `line` and
//! `endLine` differ, so a diagnostic that spans lines gives its lines only.

use crate::FileReport;
use crate::diagnostic::{LineIndex, Severity};
use std::io::{self, Write};

/// The workflow command for a severity.
pub fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escapes a command's message (GitHub's `escapeData`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (GitHub's `escapeProperty`): the message
/// escapes, and `:` and `,`, which end a property.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for r in reports {
        if r.diagnostics.is_empty() {
            continue;
        }
        let index = LineIndex::new(&r.source);
        let file = escape_property(&r.path);
        for d in &r.diagnostics {
            let (line, col) = index.line_col(&r.source, d.span.start());
            let (end_line, end_col) = index.line_col(&r.source, d.span.end().max(d.span.start()));
            let place = if end_line == line {
                format!("line={line},col={col},endLine={end_line},endColumn={end_col}")
            } else {
                format!("line={line},endLine={end_line}")
            };
            // GitHub heads an `::notice` annotation "Notice": the title
            // says sieve-lint's own word for the level, as the other
            // formats do.
            let title = match d.severity {
                Severity::Info => format!("{} {} (info)", d.code, d.name),
                _ => format!("{} {}", d.code, d.name),
            };
            let title = escape_property(&title);
            let message = match &d.help {
                Some(help) => format!("{}\nhelp: {help}", d.message),
                None => d.message.clone(),
            };
            writeln!(
                out,
                "::{} file={file},{place},title={title}::{}",
                command(d.severity),
                escape_data(&message)
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(
            escape_data("100% sure:\r\nyes, a::b"),
            "100%25 sure:%0D%0Ayes, a::b"
        );
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(
            escape_property("dir,1/a:b%.sieve\n"),
            "dir%2C1/a%3Ab%25.sieve%0A"
        );
    }

    #[test]
    fn info_is_a_notice() {
        assert_eq!(command(Severity::Error), "error");
        assert_eq!(command(Severity::Warning), "warning");
        assert_eq!(command(Severity::Info), "notice");
    }

    #[test]
    fn a_span_over_lines_gives_lines_only() {
        // The unreachable commands after `stop` are one diagnostic over
        // two lines; `frob` is on one line.
        let report = crate::lint_bytes(
            "multi, line.sieve",
            b"stop;\nkeep;\nfrob;\n",
            &crate::CheckOptions::default(),
        );
        let mut out = Vec::new();
        render(std::slice::from_ref(&report), &mut out).expect("writes to a Vec");
        let text = String::from_utf8(out).expect("UTF-8");
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines.iter().any(|l| l.starts_with(
                "::warning file=multi%2C line.sieve,line=2,endLine=3,title=SL0209 code-after-stop::"
            )),
            "{text}"
        );
        assert!(
            lines.iter().any(|l| l.starts_with(
                "::error file=multi%2C line.sieve,line=3,col=1,endLine=3,endColumn=5,title=SL0206 unknown-command::"
            )),
            "{text}"
        );
    }
}
