//! Code actions: each diagnostic's fix as a quick fix, "suppress RULE on
//! this line" and "for this file" (the comments of `check/suppress.rs`:
//! `# sieve-lint: allow(…)` at the end of a line, `# sieve-lint:
//! allow-file(…)` before the first command), and `source.fixAll.sieve-lint`
//! (what `check --fix` applies, [`crate::fix::fix_bytes`]).
//!
//! A suppression is offered only when the script with the comment added no
//! longer reports that finding and has no new syntax error: the script is
//! linted again with the comment (the end of a line may be inside a
//! multi-line string or a bracket comment, where a comment means nothing).

use super::diagnostics::to_lsp;
use super::document::{Encoding, Text};
use crate::diagnostic::Diagnostic;
use crate::fix::Edit;
use crate::syntax::ast::Span;
use crate::{CheckOptions, FileReport};
use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, TextEdit, Uri, WorkspaceEdit};

/// The kind of the fix-all action.
pub const FIX_ALL: CodeActionKind = CodeActionKind::new("source.fixAll.sieve-lint");

/// What the code actions of one request see.
pub struct Request<'a> {
    pub uri: &'a Uri,
    pub text: &'a Text,
    pub enc: Encoding,
    /// The document's findings (of its current text).
    pub report: &'a FileReport,
    pub options: &'a CheckOptions,
    /// The range asked about.
    pub span: Span,
    /// `context.only`: the kinds the client wants (`None`: all).
    pub only: Option<&'a [CodeActionKind]>,
}

impl Request<'_> {
    /// Does the client want actions of `kind`? (`source.fixAll` asks for
    /// `source.fixAll.sieve-lint` too: kinds are hierarchical.)
    fn wants(&self, kind: &CodeActionKind) -> bool {
        self.only.is_none_or(|only| {
            only.iter().any(|o| {
                let (o, k) = (o.as_str(), kind.as_str());
                k == o || k.strip_prefix(o).is_some_and(|r| r.starts_with('.'))
            })
        })
    }

    fn edit(&self, edits: &[Edit]) -> WorkspaceEdit {
        let edits = edits
            .iter()
            .map(|e| TextEdit::new(self.text.range(e.span, self.enc), e.content.clone()))
            .collect();
        WorkspaceEdit::new([(self.uri.clone(), edits)].into_iter().collect())
    }

    fn action(&self, title: String, kind: CodeActionKind, edits: &[Edit]) -> CodeAction {
        CodeAction {
            title,
            kind: Some(kind),
            edit: Some(self.edit(edits)),
            ..CodeAction::default()
        }
    }
}

/// Every action for the request's range.
pub fn actions(req: &Request<'_>) -> Vec<CodeActionOrCommand> {
    let mut out: Vec<CodeAction> = Vec::new();
    // Suppressions already considered (one per rule and scope), and how
    // many more may be verified (each costs a lint of the whole script).
    let mut tried = Tried {
        titles: Default::default(),
        budget: MAX_VERIFIED,
    };
    if req.wants(&CodeActionKind::QUICKFIX) {
        let here = req
            .report
            .diagnostics
            .iter()
            .filter(|d| d.span.start() <= req.span.end() && req.span.start() <= d.span.end());
        for d in here {
            let lsp = to_lsp(d, req.uri, req.text, req.enc);
            if let Some(fix) = &d.fix {
                let mut a = req.action(fix.message.clone(), CodeActionKind::QUICKFIX, &fix.edits);
                a.is_preferred = Some(true);
                a.diagnostics = Some(vec![lsp.clone()]);
                out.push(a);
            }
            for (title, edit) in suppressions(req, d, &mut tried) {
                let mut a = req.action(title, CodeActionKind::QUICKFIX, &[edit]);
                a.diagnostics = Some(vec![lsp.clone()]);
                out.push(a);
            }
        }
    }
    if req.wants(&FIX_ALL) && req.report.diagnostics.iter().any(|d| d.fix.is_some()) {
        let source = req.text.as_str();
        let outcome = crate::fix::fix_bytes(&req.report.path, source.as_bytes(), req.options);
        if let Some(fixed) = outcome.fixed {
            let all = smallest_edit(source, &fixed);
            let title = format!(
                "Fix all sieve-lint problems ({} {})",
                outcome.applied,
                if outcome.applied == 1 { "fix" } else { "fixes" }
            );
            out.push(req.action(title, FIX_ALL, &[all]));
        }
    }
    out.into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

/// One edit from `old` to `new`: the part between their common prefix and
/// suffix (on character boundaries), so the editor keeps the cursor and
/// the undo step is small.
fn smallest_edit(old: &str, new: &str) -> Edit {
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let room = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Edit::replace(
        Span::new(prefix, old.len() - suffix),
        &new[prefix..new.len() - suffix],
    )
}

/// Suppressions verified per request at most (a range covering a whole
/// script with many findings must not lint it hundreds of times).
const MAX_VERIFIED: usize = 16;

struct Tried {
    titles: std::collections::HashSet<String>,
    budget: usize,
}

/// The line break the file uses (CRLF files stay CRLF).
fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// "On this line" and "for this file", each when it works.
fn suppressions(req: &Request<'_>, d: &Diagnostic, tried: &mut Tried) -> Vec<(String, Edit)> {
    let source = req.text.as_str();
    let line = req.text.lines().line(d.span.start());
    let line_edit = on_line(req.text, line, d.name);
    let file_edit = Edit::insert(
        0,
        format!("# sieve-lint: allow-file({}){}", d.name, newline(source)),
    );
    let mut out = Vec::new();
    let candidates = [
        (format!("Suppress {} on this line", d.name), line_edit, true),
        (
            format!("Suppress {} for this file", d.name),
            file_edit,
            false,
        ),
    ];
    for (title, edit, per_line) in candidates {
        // The same title for another finding of the rule: offered once.
        if tried.budget == 0 || !tried.titles.insert(title.clone()) {
            continue;
        }
        tried.budget -= 1;
        let fix = crate::fix::Fix::new(title.clone(), vec![edit.clone()]);
        let (after, _) = crate::fix::apply_fixes(source, [&fix]);
        let report = super::diagnostics::lint(req.uri, &after, req.options);
        let after_text = Text::new(after);
        let count = |r: &FileReport, lines: &crate::diagnostic::LineIndex, line: usize| {
            r.diagnostics
                .iter()
                .filter(|x| x.code == d.code && (!per_line || lines.line(x.span.start()) == line))
                .count()
        };
        let before = count(req.report, req.text.lines(), line);
        // The file-wide comment adds a line above.
        let new_line = if per_line { line } else { line + 1 };
        let left = count(&report, after_text.lines(), new_line);
        let broken = |r: &FileReport| r.diagnostics.iter().filter(|x| is_syntax(x)).count();
        if left < before && broken(&report) <= broken(req.report) {
            out.push((title, edit));
        }
    }
    out
}

/// Findings of a script that does not parse (never suppressed).
fn is_syntax(d: &Diagnostic) -> bool {
    !crate::rules::is_configurable(d.code)
}

/// `# sieve-lint: allow(NAME)` at the end of the line, or NAME added to
/// the list of an `allow(…)` already there.
fn on_line(text: &Text, line: usize, name: &str) -> Edit {
    let source = text.as_str();
    let start = text.lines().line_start(line);
    let end = text.content_end(line);
    let content = &source[start..end];
    let lower = content.to_ascii_lowercase();
    if let Some(at) = lower.find("sieve-lint: allow(")
        && let Some(close) = content[at..].find(')')
    {
        return Edit::insert(start + at + close, format!(", {name}"));
    }
    Edit::insert(end, format!(" # sieve-lint: allow({name})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request<'a>(
        uri: &'a Uri,
        text: &'a Text,
        report: &'a FileReport,
        options: &'a CheckOptions,
        span: Span,
    ) -> Request<'a> {
        Request {
            uri,
            text,
            enc: Encoding::Utf16,
            report,
            options,
            span,
            only: None,
        }
    }

    fn titles(actions: &[CodeActionOrCommand]) -> Vec<String> {
        actions
            .iter()
            .map(|a| match a {
                CodeActionOrCommand::CodeAction(a) => a.title.clone(),
                CodeActionOrCommand::Command(c) => c.title.clone(),
            })
            .collect()
    }

    /// The applied edit of the action titled `title`.
    fn applied(actions: &[CodeActionOrCommand], title: &str, text: &Text) -> String {
        let a = actions
            .iter()
            .find_map(|a| match a {
                CodeActionOrCommand::CodeAction(a) if a.title == title => Some(a),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no {title:?} in {:?}", titles(actions)));
        let edits = a.edit.as_ref().unwrap().changes.as_ref().unwrap();
        let mut t = text.clone();
        let mut edits: Vec<_> = edits.values().next().unwrap().clone();
        edits.reverse();
        for e in edits {
            t.apply(
                lsp_types::TextDocumentContentChangeEvent {
                    range: Some(e.range),
                    range_length: None,
                    text: e.new_text,
                },
                Encoding::Utf16,
            );
        }
        t.as_str().to_owned()
    }

    /// The fix-all edit is the changed middle; applied, it gives the new
    /// text, also with multi-byte characters at its edges.
    #[test]
    fn smallest_edit_is_the_changed_middle() {
        for (old, new) in [
            ("abc", "abc"),
            ("abc", "aXc"),
            ("", "x"),
            ("x", ""),
            ("é😀é", "é😁é"),
            ("aaa", "aa"),
            (
                "require [\"a\", \"b\"];\r\nkeep;",
                "require \"a\";\r\nkeep;",
            ),
        ] {
            let e = smallest_edit(old, new);
            let mut out = old.to_owned();
            out.replace_range(e.span.range(), &e.content);
            assert_eq!(out, new);
            assert!(e.span.len() <= old.len() && e.content.len() <= new.len());
        }
        assert_eq!(smallest_edit("abc", "aXc").span, Span::new(1, 2));
    }

    #[test]
    fn fixes_suppressions_and_fix_all() {
        let src = "require [\"fileinto\", \"fileinto\"];\r\n# Iván 😀\r\nkeep;\r\n";
        let uri: Uri = "untitled:x".parse().unwrap();
        let options = CheckOptions::default();
        let report = super::super::diagnostics::lint(&uri, src, &options);
        let text = Text::new(src.to_owned());
        let all = actions(&request(
            &uri,
            &text,
            &report,
            &options,
            Span::new(0, src.len()),
        ));
        let t = titles(&all);
        assert!(
            t.iter()
                .any(|t| t == "Suppress duplicate-require on this line"),
            "{t:?}"
        );
        let line = applied(&all, "Suppress duplicate-require on this line", &text);
        assert!(
            line.starts_with(
                "require [\"fileinto\", \"fileinto\"]; # sieve-lint: allow(duplicate-require)\r\n"
            ),
            "{line}"
        );
        let file = applied(&all, "Suppress duplicate-require for this file", &text);
        assert!(file.starts_with("# sieve-lint: allow-file(duplicate-require)\r\nrequire"));
        let fix_all = t.iter().find(|t| t.starts_with("Fix all")).unwrap();
        let fixed = applied(&all, fix_all, &text);
        assert!(!fixed.contains("fileinto"), "{fixed}");
        assert!(fixed.ends_with("# Iván 😀\r\nkeep;\r\n"));
        // Each fix of a diagnostic is its own quick fix, preferred.
        for d in report.diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
            assert!(t.contains(&d.message), "{t:?}");
        }
        // Only the fix-all when asked for source actions.
        let only = [CodeActionKind::SOURCE_FIX_ALL];
        let req = Request {
            only: Some(&only),
            ..request(&uri, &text, &report, &options, Span::new(0, src.len()))
        };
        assert_eq!(titles(&actions(&req)), vec![fix_all.clone()]);
    }

    /// Where a comment at the end of the line would fall inside a string,
    /// "on this line" is not offered; an allow already there is extended.
    #[test]
    fn suppression_on_a_line_only_where_it_works() {
        let src = "fileinto \"a\r\nb\";\r\n";
        let uri: Uri = "untitled:x".parse().unwrap();
        let options = CheckOptions::default();
        let report = super::super::diagnostics::lint(&uri, src, &options);
        assert_eq!(report.diagnostics[0].name, "missing-require");
        let text = Text::new(src.to_owned());
        let all = actions(&request(
            &uri,
            &text,
            &report,
            &options,
            Span::new(0, src.len()),
        ));
        let t = titles(&all);
        assert!(!t.iter().any(|t| t.ends_with("on this line")), "{t:?}");
        assert!(
            t.iter()
                .any(|t| t == "Suppress missing-require for this file"),
            "{t:?}"
        );
        let src = "require \"fileinto\"; # sieve-lint: allow(code-after-stop)\nkeep;\n";
        let text = Text::new(src.to_owned());
        let report = super::super::diagnostics::lint(&uri, src, &options);
        let all = actions(&request(
            &uri,
            &text,
            &report,
            &options,
            Span::new(0, src.len()),
        ));
        let out = applied(&all, "Suppress unused-require on this line", &text);
        assert!(
            out.starts_with(
                "require \"fileinto\"; # sieve-lint: allow(code-after-stop, unused-require)\n"
            ),
            "{out}"
        );
    }
}
