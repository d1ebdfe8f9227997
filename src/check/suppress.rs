//! Suppression comments, applied after every rule ran:
//!
//! * `# sieve-lint: allow(CODE-OR-NAME, …)` at the end of a line suppresses
//!   those diagnostics on that line; on a line of its own, on the next line.
//! * `# sieve-lint: allow-file(…)` before the first command (comments and
//!   blank lines may precede it) suppresses them in the whole file.
//!
//! Codes (`SL0204`) and names (`unused-require`) are matched ignoring case;
//! a diagnostic is on the line where its primary span starts. Only real
//! comments count: hash comments and bracket comments (`/* … */`), never
//! the text of a string or a `text:` block.
//!
//! Syntax errors (SL0001–SL0003) are never suppressed: the script does not
//! parse, whatever the comment says. An allow that suppresses nothing is
//! reported (`unused-suppression`, SL0212), and so is a code or name that
//! is no rule (`unknown-rule-in-suppression`, SL0213); these two can only
//! be allowed with `allow-file`.

use crate::diagnostic::{Diagnostic, LineIndex, show};
use crate::rules::{self, Meta, RuleInfo};
use crate::syntax::ast::Span;
use crate::syntax::comments::{CommentKind, comments};

/// Where an allow applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// One line (0-based).
    Line(usize),
    File,
    /// `allow-file` after the first command: applies nowhere.
    Misplaced,
}

#[derive(Debug)]
struct Entry {
    /// The code or name as written in the comment.
    span: Span,
    rule: &'static RuleInfo,
    scope: Scope,
    used: bool,
}

/// Rules whose diagnostics no `allow` suppresses.
fn never_suppressed(code: &str) -> bool {
    [
        rules::SyntaxError.info(),
        rules::InvalidUtf8.info(),
        rules::NestingTooDeep.info(),
    ]
    .iter()
    .any(|i| i.code == code)
}

/// Rules about suppressions themselves: only `allow-file` suppresses them.
fn about_suppressions(code: &str) -> bool {
    code == rules::UnusedSuppression.info().code
        || code == rules::UnknownRuleInSuppression.info().code
}

/// Removes the diagnostics that comments allow and adds the diagnostics
/// about the suppressions. When the script did not parse, unused allows are
/// not reported (rules that conclude from absence stayed quiet).
pub fn apply(source: &str, parse_failed: bool, diagnostics: &mut Vec<Diagnostic>) {
    // Most scripts have no suppression: find the rare '-' (memchr) and
    // look around it, rather than comparing every 11-byte window.
    let bytes = source.as_bytes();
    let mentions = source.match_indices('-').any(|(i, _)| {
        i >= 5
            && bytes
                .get(i - 5..i + 6)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"sieve-lint:"))
    });
    if !mentions {
        return;
    }
    let lines = LineIndex::new(source);
    let found = comments(source);
    let first_code = found.first_code.unwrap_or(usize::MAX);
    let mut entries: Vec<Entry> = Vec::new();
    let mut unknown: Vec<Span> = Vec::new();
    for c in &found.comments {
        let Some((file, names)) = directive(source, c.body) else {
            continue;
        };
        let scope = if file {
            if c.span.start() < first_code {
                Scope::File
            } else {
                Scope::Misplaced
            }
        } else {
            Scope::Line(target_line(source, &lines, c.span, c.kind))
        };
        for span in names {
            match rules::find(&source[span.range()]) {
                Some(rule) => entries.push(Entry {
                    span,
                    rule: rule.info(),
                    scope,
                    used: false,
                }),
                None => unknown.push(span),
            }
        }
    }

    diagnostics.retain(|d| {
        if never_suppressed(d.code) || about_suppressions(d.code) {
            return true;
        }
        let line = lines.line(d.span.start());
        let mut suppressed = false;
        for e in entries.iter_mut().filter(|e| e.rule.code == d.code) {
            if e.scope == Scope::File || e.scope == Scope::Line(line) {
                e.used = true;
                suppressed = true;
            }
        }
        !suppressed
    });

    let mut extra: Vec<Diagnostic> = unknown
        .iter()
        .map(|&span| unknown_rule(source, span))
        .collect();
    if !parse_failed {
        for e in &entries {
            let meta = about_suppressions(e.rule.code);
            if e.used || (meta && e.scope == Scope::File) {
                continue;
            }
            extra.push(unused(e, meta));
        }
    }
    // `allow-file` for the suppression rules themselves.
    extra.retain(|d| {
        let mut suppressed = false;
        for e in entries.iter_mut() {
            if e.scope == Scope::File && e.rule.code == d.code {
                e.used = true;
                suppressed = true;
            }
        }
        !suppressed
    });
    let unused_code = rules::UnusedSuppression.info().code;
    let unused_allowed = entries
        .iter()
        .any(|e| e.scope == Scope::File && e.rule.code == unused_code);
    if !parse_failed && !unused_allowed {
        for e in &entries {
            if !e.used
                && e.scope == Scope::File
                && e.rule.code != unused_code
                && about_suppressions(e.rule.code)
            {
                extra.push(unused(e, false));
            }
        }
    }
    diagnostics.extend(extra);
}

/// `sieve-lint: allow(…)` or `sieve-lint: allow-file(…)` at the start of a
/// comment's text: whether it is `allow-file`, and the span of each name.
fn directive(source: &str, body: Span) -> Option<(bool, Vec<Span>)> {
    let text = source.get(body.range())?;
    let lead = text.len() - text.trim_start().len();
    let mut pos = body.start() + lead;
    let rest = |pos: usize| &source[pos..body.end()];
    let eat = |pos: &mut usize, word: &str| {
        let r = rest(*pos);
        let ok = r.len() >= word.len()
            && r.is_char_boundary(word.len())
            && r[..word.len()].eq_ignore_ascii_case(word);
        if ok {
            *pos += word.len();
        }
        ok
    };
    let skip_blanks = |pos: &mut usize| {
        let r = rest(*pos);
        *pos += r.len() - r.trim_start_matches([' ', '\t']).len();
    };
    if !eat(&mut pos, "sieve-lint:") {
        return None;
    }
    skip_blanks(&mut pos);
    let file = if eat(&mut pos, "allow-file") {
        true
    } else if eat(&mut pos, "allow") {
        false
    } else {
        return None;
    };
    skip_blanks(&mut pos);
    if !eat(&mut pos, "(") {
        return None;
    }
    let close = pos + rest(pos).find(')')?;
    let mut names = Vec::new();
    let mut start = pos;
    for part in source[pos..close].split(',') {
        let lead = part.len() - part.trim_start().len();
        let name = part.trim();
        if !name.is_empty() {
            names.push(Span::new(start + lead, start + lead + name.len()));
        }
        start += part.len() + 1;
    }
    Some((file, names))
}

/// The line an `allow` comment speaks of: its own when code stands before
/// it on its line (or after a bracket comment on the line where it ends),
/// else the next line.
fn target_line(source: &str, lines: &LineIndex, span: Span, kind: CommentKind) -> usize {
    let first = lines.line(span.start());
    let before = source
        .get(lines.line_start(first)..span.start())
        .unwrap_or("");
    if !before.trim().is_empty() {
        return first;
    }
    let last = lines.line(span.end());
    if kind == CommentKind::Bracket {
        // The last line ends at the end of the source (found by fuzzing: an
        // unterminated bracket comment holding a suppression).
        let end = lines.line_end(source, last);
        let after = source.get(span.end()..end).unwrap_or("");
        let after = after.trim();
        if !after.is_empty() && !after.starts_with('#') {
            return last;
        }
    }
    last + 1
}

fn unknown_rule(source: &str, span: Span) -> Diagnostic {
    let name = &source[span.range()];
    let mut d = Diagnostic::new(
        rules::UnknownRuleInSuppression.info(),
        span,
        format!("no rule is called {} in this suppression", show(name)),
    );
    d.with_primary_label("not a rule code or name")
        .with_help("`sieve-lint rules` lists every code and name (`SL0204` or `unused-require`)");
    d
}

fn unused(e: &Entry, meta: bool) -> Diagnostic {
    let name = e.rule.name;
    let (message, help) = if never_suppressed(e.rule.code) {
        (
            format!("`{name}` cannot be suppressed"),
            "fix the syntax error: a script that does not parse is rejected whatever the comment says".to_owned(),
        )
    } else if meta {
        (
            format!("`{name}` can only be allowed for the whole file"),
            format!("write `# sieve-lint: allow-file({name})` before the first command"),
        )
    } else {
        match e.scope {
            Scope::Line(l) => (
                format!("unused suppression: no `{name}` on line {}", l + 1),
                "remove it, or move it to the line before the diagnostic (or the end of its line)"
                    .to_owned(),
            ),
            Scope::File => (
                format!("unused suppression: no `{name}` in this file"),
                "remove it from the allow-file comment".to_owned(),
            ),
            Scope::Misplaced => (
                "`allow-file` after the first command has no effect".to_owned(),
                "move it above the first command, or use `allow(…)` for one line".to_owned(),
            ),
        }
    };
    let mut d = Diagnostic::new(rules::UnusedSuppression.info(), e.span, message);
    d.with_primary_label("suppresses nothing").with_help(help);
    d
}

#[cfg(test)]
mod tests {
    use crate::CheckOptions;

    fn codes(src: &str) -> Vec<(&'static str, usize)> {
        let r = crate::lint("t.sieve", src, &CheckOptions::default());
        let index = crate::diagnostic::LineIndex::new(&r.source);
        r.diagnostics
            .iter()
            .map(|d| (d.code, index.line_col(&r.source, d.span.start()).0))
            .collect()
    }

    const UNUSED: &str = "require [\"fileinto\", \"envelope\"];\nfileinto \"A\";\n";

    #[test]
    fn unsuppressed_baseline() {
        assert_eq!(codes(UNUSED), [("SL0204", 1)]);
    }

    #[test]
    fn allow_on_the_line_before_or_at_the_end_of_the_line() {
        let before = format!("# sieve-lint: allow(unused-require)\n{UNUSED}");
        assert_eq!(codes(&before), []);
        let trailing = UNUSED.replacen(";\n", "; # Sieve-Lint: ALLOW(sl0204)\n", 1);
        assert_eq!(codes(&trailing), []);
        let bracket = format!("/* sieve-lint: allow(SL0204) */ {UNUSED}");
        assert_eq!(codes(&bracket), []);
    }

    #[test]
    fn allow_two_lines_above_does_not_reach() {
        let src = format!("# sieve-lint: allow(unused-require)\n\n{UNUSED}");
        assert_eq!(codes(&src), [("SL0212", 1), ("SL0204", 3)]);
    }

    #[test]
    fn allow_file_only_before_the_first_command() {
        let top =
            format!("# header\n\n# sieve-lint: allow-file(duplicate-require, SL0204)\n{UNUSED}");
        // duplicate-require suppresses nothing: reported.
        assert_eq!(codes(&top), [("SL0212", 3)]);
        let late = format!("{UNUSED}# sieve-lint: allow-file(unused-require)\n");
        assert_eq!(codes(&late), [("SL0204", 1), ("SL0212", 3)]);
    }

    #[test]
    fn text_in_strings_is_no_comment() {
        let src = format!("{UNUSED}fileinto \"# sieve-lint: allow(sl0204)\";\n");
        assert_eq!(codes(&src), [("SL0204", 1)]);
        let src = "require [\"fileinto\", \"envelope\"]; # x\nfileinto text:\n# sieve-lint: allow-file(sl0204)\n.\n;\n";
        assert_eq!(codes(src), [("SL0204", 1)]);
    }

    #[test]
    fn unknown_names_are_reported_and_allow_file_silences_them() {
        let src = format!("# sieve-lint: allow(unused-requires, , sl0204)\n{UNUSED}");
        assert_eq!(codes(&src), [("SL0213", 1)]);
        let src = format!(
            "# sieve-lint: allow-file(unknown-rule-in-suppression)\n# sieve-lint: allow(nope)\n{UNUSED}"
        );
        assert_eq!(codes(&src), [("SL0204", 3)]);
    }

    #[test]
    fn suppression_rules_and_syntax_errors_cannot_be_allowed_per_line() {
        let src = "# sieve-lint: allow(nope, unknown-rule-in-suppression)\nkeep;\n";
        assert_eq!(codes(src), [("SL0213", 1), ("SL0212", 1)]);
        let src = "# sieve-lint: allow(syntax-error)\nif true { keep;\n";
        let got = codes(src);
        assert!(got.iter().any(|(c, _)| *c == "SL0001"), "{got:?}");
    }

    #[test]
    fn unused_allow_is_quiet_when_the_script_does_not_parse() {
        let src = "# sieve-lint: allow(unused-require)\nif true { keep;\n";
        assert!(codes(src).iter().all(|(c, _)| *c == "SL0001"));
    }
}
