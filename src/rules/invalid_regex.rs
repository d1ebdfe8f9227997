use super::invalid_encoded_character::value_span;
use super::{Rule, declare_rule};
use crate::check::{Context, Issue};
use crate::diagnostic::{Severity, show};
use crate::syntax::ast::StringLit;

declare_rule! {
    /// ## What it does
    /// With the `:regex` match type, compiles every key as a regular
    /// expression and reports the keys that do not compile, with the
    /// reason and, where it can, the exact place inside the string.
    ///
    /// Sieve regexes are POSIX extended regular expressions (ERE). The
    /// check uses the Rust `regex` crate, after rewriting POSIX bracket
    /// expressions into its syntax (in POSIX a backslash or `[` inside
    /// `[…]` is an ordinary character, `[[.x.]]` and `[[=x=]]` are the
    /// character x). What remains reported are constructs that POSIX ERE
    /// lacks or leaves undefined as well: unbalanced parentheses or
    /// brackets, a repetition with nothing to repeat (`*a`), a malformed
    /// or reversed interval (`a{2,1}`, `a{,3}`, a lone `{`), a backslash at
    /// the end, escapes of letters with no meaning (`\y`), back-references
    /// (`\1`: basic regexes have them, extended ones do not, though GNU
    /// libc accepts them), and Perl groups (`(?i)`, `(?:…)`, look-around
    /// `(?=…)`). Of these, what GNU libc accepts (back-references, escaped
    /// letters, a lone `)`, `{,n}`) is a warning. A regex whose
    /// compiled form exceeds 1 MiB is reported as a warning. Constructs the
    /// crate accepts beyond POSIX (`\d`, `(?i)`, `a**`) are not reported.
    ///
    /// Not checked: keys built from variables (`"${x}"` with "variables"
    /// required), and keys of tests with `:list`.
    ///
    /// ## Why is this bad?
    /// A server refuses a script whose regex does not compile, or fails
    /// the test at delivery time. Sieve string escapes make this easy to
    /// get wrong: `"\."` is just `.` in a Sieve string; write `"\\."` for a
    /// literal dot.
    ///
    /// ## Example
    /// ```sieve
    /// require "regex";
    /// if header :regex "subject" "^\\[(urgent|important\\]" { keep; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "regex";
    /// if header :regex "subject" "^\\[(urgent|important)\\]" { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §2.7.1 (match types); draft-ietf-sieve-regex-01 §2
    ///
    /// ## Severity
    /// Error for what POSIX ERE cannot parse (draft-murchison-sieve-regex-07
    /// §4: "Implementations SHOULD reject regular expressions that are
    /// unsupported by this specification as a syntax error"; Dovecot,
    /// Cyrus and Stalwart refuse such an expression at upload). A warning
    /// for what POSIX leaves undefined and GNU libc accepts (back-references,
    /// escaped letters, a lone `)`, `{,n}`): Dovecot compiles the script,
    /// other servers refuse it or match otherwise.
    pub struct InvalidRegex {
        code: "SL0315",
        name: "invalid-regex",
        severity: Error,
        summary: "a `:regex` key that is not a valid regular expression",
    }
}

/// Compiled size limit.
const SIZE_LIMIT: usize = 1 << 20;

impl Rule for InvalidRegex {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        let variables = model.is_required("variables");
        for u in &model.uses {
            let tags = &u.binding.tags;
            let regex = tags
                .iter()
                .find(|t| t.entry.spec.name == "regex" && t.entry.capability == "regex");
            let Some(regex) = regex else { continue };
            if tags.iter().any(|t| t.entry.spec.name == "list") {
                continue;
            }
            // The keys are the last argument, once every argument is there.
            if u.issues()
                .iter()
                .any(|i| matches!(i, Issue::MissingArgument { .. }))
            {
                continue;
            }
            let Some(keys) = u.binding.positional.last() else {
                continue;
            };
            for key in keys.strings() {
                if variables && key.value.contains("${") {
                    continue;
                }
                check_key(cx, key, regex.tag.span);
            }
        }
    }
}

fn check_key(cx: &mut Context<'_, '_>, key: &StringLit, tag: crate::syntax::ast::Span) {
    let pattern = key.value.as_ref();
    let translated = translate(pattern);
    // `(?…)` (flags, non-capturing groups) is Perl syntax: in POSIX ERE `?`
    // has nothing to repeat there, and GNU libc (Dovecot) refuses it. The
    // crate accepts flags, so this is looked for first.
    if let Some(at) = perl_group(&translated) {
        let span = if translated == pattern {
            value_span(cx.source, key, at..at + 2)
        } else {
            key.span
        };
        cx.report(
            span,
            format!(
                "invalid regex {}: `(?` starts no group in POSIX",
                show(pattern)
            ),
        )
        .with_primary_label("`(?` is Perl syntax")
        .with_label(tag, "matched as a regex")
        .with_help(
            "POSIX extended regexes have no flags or non-capturing groups: use `:comparator \
             \"i;ascii-casemap\"` (the default) for case-insensitive matching, and a plain `(…)`",
        );
        return;
    }
    let err = match regex::RegexBuilder::new(&translated)
        .size_limit(SIZE_LIMIT)
        .build()
    {
        Ok(_) => return,
        Err(e) => e,
    };
    match err {
        regex::Error::CompiledTooBig(_) => {
            cx.report_with(
                key.span,
                Severity::Warning,
                "regex too large to check: its compiled form exceeds 1 MiB",
            )
            .with_primary_label("this regex")
            .with_label(tag, "matched as a regex")
            .with_help("split it into several keys or simplify bounded repetitions");
        }
        err => {
            let text = err.to_string();
            let reason = text
                .lines()
                .find_map(|l| l.strip_prefix("error: "))
                .unwrap_or_else(|| text.lines().next().unwrap_or("invalid regex"))
                .to_owned();
            // The caret line points into the pattern when it is shown as
            // is, on one line: line breaks become one-byte placeholders.
            let place = (translated == pattern)
                .then(|| locate(pattern, &reason))
                .flatten();
            let span = match place {
                Some(range) => value_span(cx.source, key, range),
                None => key.span,
            };
            let mut help = match reason.as_str() {
                "backreferences are not supported" => {
                    "POSIX extended regexes have no back-references; match the text twice \
                     with `:matches` or compare captured variables instead"
                        .to_owned()
                }
                r if r.starts_with("look-around") => {
                    "POSIX extended regexes have no look-ahead or look-behind".to_owned()
                }
                "unrecognized escape sequence" => {
                    "escape only special characters: `\\.`, `\\*`, `\\(`, …".to_owned()
                }
                _ => String::new(),
            };
            if pattern.ends_with('\\') || reason == "incomplete escape sequence" {
                help = "a Sieve string needs `\\\\` for each backslash of the regex".to_owned();
            }
            // What POSIX leaves undefined but GNU libc, and so Dovecot,
            // accepts: valid on some servers, refused or different on others.
            let undefined = match reason.as_str() {
                "backreferences are not supported"
                | "unrecognized escape sequence"
                | "unopened group" => true,
                "repetition quantifier expects a valid decimal" => pattern.contains("{,"),
                _ => false,
            };
            let (severity, message) = if undefined {
                (
                    Severity::Warning,
                    format!("regex {} is not portable: {reason}", show(pattern)),
                )
            } else {
                (
                    Severity::Error,
                    format!("invalid regex {}: {reason}", show(pattern)),
                )
            };
            if undefined {
                help = format!(
                    "{help}{}POSIX extended regexes leave this undefined: Dovecot (GNU libc) \
                     accepts it, servers with other regex libraries refuse it or match otherwise",
                    if help.is_empty() { "" } else { "; " }
                );
            }
            let d = cx
                .report_with(span, severity, message)
                .with_primary_label(reason.clone())
                .with_label(tag, "matched as a regex");
            if !help.is_empty() {
                d.with_help(help);
            }
        }
    }
}

/// Where a `(?` group starts, outside bracket expressions and escapes (in
/// a pattern whose brackets [`translate`] has rewritten: their members are
/// escaped).
fn perl_group(translated: &str) -> Option<usize> {
    let b = translated.as_bytes();
    let mut i = 0;
    let mut in_bracket = false;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'[' if !in_bracket => {
                in_bracket = true;
                i += 1;
            }
            b']' if in_bracket => {
                in_bracket = false;
                i += 1;
            }
            b'(' if !in_bracket && b.get(i + 1) == Some(&b'?') => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Where in the pattern the error is: the range its caret line marks.
fn locate(pattern: &str, reason: &str) -> Option<std::ops::Range<usize>> {
    let probe = pattern.replace('\n', "\u{1}").replace('\r', "\u{2}");
    let err = regex::RegexBuilder::new(&probe)
        .size_limit(SIZE_LIMIT)
        .build()
        .err()?
        .to_string();
    if !err
        .lines()
        .any(|l| l.strip_prefix("error: ") == Some(reason))
    {
        return None;
    }
    caret(&err, &probe)
}

/// The byte range of the pattern that the error's caret line marks, when
/// the pattern is shown on one line.
fn caret(text: &str, pattern: &str) -> Option<std::ops::Range<usize>> {
    let mut lines = text.lines();
    lines.next()?; // "regex parse error:"
    let shown = lines.next()?.strip_prefix("    ")?;
    if shown != pattern {
        return None;
    }
    let marks = lines.next()?.strip_prefix("    ")?;
    let col = marks.chars().take_while(|c| *c == ' ').count();
    let len = marks.chars().skip(col).take_while(|c| *c == '^').count();
    let start = pattern.char_indices().nth(col).map(|(i, _)| i)?;
    let end = pattern
        .char_indices()
        .nth(col + len.max(1))
        .map_or(pattern.len(), |(i, _)| i);
    Some(start..end)
}

/// Rewrites POSIX bracket expressions into the `regex` crate's syntax:
/// every member is escaped, `[:class:]` kept, `[.x.]` and `[=x=]` become x.
/// The rest of the pattern is kept as is.
fn translate(p: &str) -> String {
    let chars: Vec<char> = p.chars().collect();
    let mut out = String::with_capacity(p.len());
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                out.push('\\');
                if let Some(&c) = chars.get(i + 1) {
                    out.push(c);
                }
                i += 2;
            }
            '[' => match bracket(&chars, i) {
                Some((class, next)) => {
                    out.push_str(&class);
                    i = next;
                }
                None => {
                    // Unclosed: leave it for the crate to report.
                    out.extend(&chars[i..]);
                    break;
                }
            },
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// One bracket expression starting at `start` (`[`): its translation and
/// the index after its `]`.
fn bracket(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut out = String::from("[");
    let mut i = start + 1;
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    loop {
        let c = *chars.get(i)?;
        if c == ']' && !first {
            out.push(']');
            return Some((out, i + 1));
        }
        first = false;
        // One element: a character, a collating symbol or an equivalence
        // class; or a character class.
        let (elem, next) = match (c, chars.get(i + 1)) {
            ('[', Some(&d @ (':' | '.' | '='))) => {
                let close = (i + 2..chars.len().saturating_sub(1))
                    .find(|&j| chars[j] == d && chars[j + 1] == ']')?;
                let inner: String = chars[i + 2..close].iter().collect();
                if d == ':' {
                    out.push_str(&format!("[:{inner}:]"));
                    i = close + 2;
                    continue;
                }
                // A single character stands for itself; a named element
                // ([.hyphen.]) for some character.
                let ch = if inner.chars().count() == 1 {
                    inner.chars().next().unwrap_or('x')
                } else {
                    'x'
                };
                (ch, close + 2)
            }
            _ => (c, i + 1),
        };
        // A range: `a-z`, unless the `-` is last.
        if chars.get(next) == Some(&'-') && chars.get(next + 1).is_some_and(|&e| e != ']') {
            let end = chars[next + 1];
            let (end_elem, after) = if end == '[' && matches!(chars.get(next + 2), Some('.' | '='))
            {
                let d = chars[next + 2];
                let close = (next + 3..chars.len().saturating_sub(1))
                    .find(|&j| chars[j] == d && chars[j + 1] == ']')?;
                let inner: Vec<char> = chars[next + 3..close].to_vec();
                let ch = if inner.len() == 1 { inner[0] } else { 'x' };
                (ch, close + 2)
            } else {
                (end, next + 2)
            };
            push_member(&mut out, elem);
            out.push('-');
            push_member(&mut out, end_elem);
            i = after;
        } else {
            push_member(&mut out, elem);
            i = next;
        }
    }
}

fn push_member(out: &mut String, c: char) {
    if matches!(c, '\\' | '[' | ']' | '-' | '^' | '&' | '~') {
        out.push('\\');
    }
    out.push(c);
}
