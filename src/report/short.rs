//! `path:line:col: severity[code]: message` — one line per diagnostic, as
//! gcc and shellcheck print them; editors and grep read it.

use crate::FileReport;
use crate::diagnostic::LineIndex;
use std::io::{self, Write};

pub fn render(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for r in reports {
        if r.diagnostics.is_empty() {
            continue;
        }
        let index = LineIndex::new(&r.source);
        for d in &r.diagnostics {
            let (line, col) = index.line_col(&r.source, d.span.start());
            writeln!(
                out,
                "{}:{}:{}: {}[{}]: {}",
                r.path, line, col, d.severity, d.code, d.message
            )?;
        }
    }
    Ok(())
}
