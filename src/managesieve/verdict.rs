//! The server's CHECKSCRIPT verdict (RFC 5804 §2.12) as diagnostics beside
//! sieve-lint's: `NO "line N: error: …"` → `server-error` at line N,
//! `OK (WARNINGS) "line N: warning: …"` → `server-warning`, and a
//! `server-disagrees` note where the server refuses a script sieve-lint
//! passes, or accepts one it does not.

use super::Verdict;
use crate::CheckOptions;
use crate::FileReport;
use crate::diagnostic::{Diagnostic, LineIndex, Severity};
use crate::rules::{Meta, RuleInfo, ServerDisagrees, ServerError, ServerWarning};
use crate::syntax::ast::Span;

/// Most server messages turned into diagnostics per script.
const MAX_MESSAGES: usize = 200;

/// Splits a server message into (line, text): `line 3: error: unknown
/// command 'foo'.` → (Some(3), "unknown command 'foo'."). Lines without a
/// line number get `None`.
pub fn split_message(message: &str) -> Vec<(Option<usize>, String)> {
    let mut out = Vec::new();
    for raw in message.lines() {
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        let located = l
            .get(..5)
            .filter(|p| p.eq_ignore_ascii_case("line "))
            .and_then(|_| {
                let rest = &l[5..];
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                let n: usize = rest[..digits].parse().ok()?;
                let after = rest[digits..].strip_prefix(':')?.trim_start();
                Some((n, after))
            });
        match located {
            Some((n, text)) => {
                let text = strip_level(text);
                out.push((Some(n), text.to_string()));
            }
            None => out.push((None, strip_level(l).to_string())),
        }
        if out.len() >= MAX_MESSAGES {
            break;
        }
    }
    out
}

fn strip_level(t: &str) -> &str {
    for p in ["error:", "warning:"] {
        if t.get(..p.len()).is_some_and(|x| x.eq_ignore_ascii_case(p)) {
            return t[p.len()..].trim_start();
        }
    }
    t
}

/// The span of 1-based line `n` (the last line when past the end).
fn line_span(source: &str, index: &LineIndex, n: usize) -> Span {
    // The last line with text, for a number past the end.
    let last = index.line(source.trim_end_matches(['\n', '\r']).len());
    let line = n.saturating_sub(1).min(last);
    let start = index.line_start(line);
    let mut end = index.line_end(source, line).max(start);
    if source[start..end].ends_with('\r') {
        end -= 1;
    }
    Span::new(start, end)
}

fn level(options: &CheckOptions, rule: &'static RuleInfo) -> Option<Severity> {
    match options.rule_level(rule.code) {
        Some(l) => l.severity(),
        None => Some(rule.severity),
    }
}

/// Adds the verdict's diagnostics to `report` (kept in source order).
pub fn add(report: &mut FileReport, verdict: &Verdict, server: &str, options: &CheckOptions) {
    let index = LineIndex::new(&report.source);
    let lint_errors = report.count(Severity::Error);
    let mut new = Vec::new();
    let (rule, message): (&'static RuleInfo, Option<&str>) = match verdict {
        Verdict::Ok { warnings } => (ServerWarning.info(), warnings.as_deref()),
        Verdict::No { message, .. } => (ServerError.info(), Some(message.as_str())),
    };
    let mut first_server_line = None;
    if let Some(message) = message {
        let parts = split_message(message);
        let any_located = parts.iter().any(|(n, _)| n.is_some());
        for (n, text) in parts {
            // Unlocated lines ("error: validation failed.") only when
            // nothing else says where.
            if n.is_none() && any_located {
                continue;
            }
            let span = line_span(&report.source, &index, n.unwrap_or(1));
            first_server_line.get_or_insert(span);
            if let Some(sev) = level(options, rule) {
                let mut d = Diagnostic::new(rule, span, format!("{server}: {text}"));
                d.severity = sev;
                d.with_primary_label(match n {
                    Some(n) => format!("the server's line {n}"),
                    None => "the server names no line".into(),
                });
                new.push(d);
            }
        }
        if matches!(verdict, Verdict::No { .. }) && first_server_line.is_none() {
            let span = line_span(&report.source, &index, 1);
            first_server_line = Some(span);
            if let Some(sev) = level(options, rule) {
                let mut d = Diagnostic::new(rule, span, format!("{server} refuses the script"));
                d.severity = sev;
                new.push(d);
            }
        }
    }
    let note = level(options, ServerDisagrees.info());
    match verdict {
        Verdict::No { .. } if lint_errors == 0 => {
            if let (Some(sev), Some(span)) = (note, first_server_line) {
                let mut d = Diagnostic::new(
                    ServerDisagrees.info(),
                    span,
                    format!("{server} refuses this script, but sieve-lint found no error in it"),
                );
                d.severity = sev;
                d.with_help("the server lacks something its profile assumes (a disabled extension, a limit), or sieve-lint misses a rule: read the server's message");
                new.push(d);
            }
        }
        Verdict::Ok { .. } if lint_errors > 0 => {
            let span = report
                .diagnostics
                .iter()
                .find(|d| d.severity == Severity::Error)
                .map(|d| d.span);
            if let (Some(sev), Some(span)) = (note, span) {
                let mut d = Diagnostic::new(
                    ServerDisagrees.info(),
                    span,
                    format!("{server} accepts this script, but sieve-lint reports errors in it"),
                );
                d.severity = sev;
                d.with_help("the server is more lenient than the RFCs here, or its profile differs: it would store the script, which may still fail at delivery");
                new.push(d);
            }
        }
        _ => {}
    }
    if new.is_empty() {
        return;
    }
    report.diagnostics.extend(new);
    report
        .diagnostics
        .sort_by_key(|d| (d.span.start(), d.span.end()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_dovecot_and_cyrus_messages() {
        let d = split_message(
            "line 2: error: unknown command 'foo'.\r\nline 4: error: bar.\r\nerror: validation failed.",
        );
        assert_eq!(
            d,
            vec![
                (Some(2), "unknown command 'foo'.".to_string()),
                (Some(4), "bar.".into()),
                (None, "validation failed.".into())
            ]
        );
        let c = split_message("script errors:\nline 1: syntax error, unexpected ';'");
        assert_eq!(c[1], (Some(1), "syntax error, unexpected ';'".to_string()));
        assert_eq!(split_message("Line 99999999999999999999999: x")[0].0, None);
    }

    fn report(src: &str) -> FileReport {
        crate::lint_bytes("t.sieve", src.as_bytes(), &CheckOptions::default())
    }

    #[test]
    fn refusal_of_a_clean_script_is_an_error_and_a_note() {
        let mut r = report("keep;\r\nkeep;\n");
        let v = Verdict::No {
            message: "line 2: error: nope.\r\nline 77: error: far.".into(),
            code: None,
        };
        add(&mut r, &v, "Dovecot Pigeonhole", &CheckOptions::default());
        let names: Vec<&str> = r.diagnostics.iter().map(|d| d.name).collect();
        assert_eq!(names, ["server-error", "server-error", "server-disagrees"]);
        assert_eq!(r.diagnostics[0].message, "Dovecot Pigeonhole: nope.");
        assert_eq!(
            &r.source[r.diagnostics[0].span.start()..r.diagnostics[0].span.end()],
            "keep;"
        );
        // Line 77 is past the end: the last line with text.
        assert_eq!(r.diagnostics[1].span, r.diagnostics[0].span);
        assert_eq!(r.diagnostics[0].span.start(), 7);
    }

    #[test]
    fn acceptance_of_a_bad_script_is_a_note() {
        let mut r = report("fileinto \"x\";\n");
        assert!(r.count(Severity::Error) > 0);
        add(
            &mut r,
            &Verdict::Ok {
                warnings: Some("line 1: warning: hm".into()),
            },
            "S",
            &CheckOptions::default(),
        );
        assert!(r.diagnostics.iter().any(|d| d.name == "server-disagrees"));
        assert!(
            r.diagnostics
                .iter()
                .any(|d| d.name == "server-warning" && d.message == "S: hm")
        );
    }
}
