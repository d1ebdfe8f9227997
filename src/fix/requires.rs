//! The edits of the `require` rules: add missing capabilities, remove one
//! mention, merge the leading requires into one. Each builder returns
//! `None` when it cannot be done safely (a comment would be lost, the
//! require has an unusual shape): the diagnostic then has no fix.
//!
//! Only top-level `require` commands that come before every other command
//! are touched; moving a late `require` (require-after-command) is not a
//! mechanical change and is never done.

use super::{Edit, Fix};
use crate::syntax::ast::{Argument, Command, Script, Span, StringKind, StringLit};
use crate::syntax::comments::Comments;

/// The `require` commands at the top of the script, before any other
/// command, whose shape the fixer knows (one string or string list, no
/// test, no block).
pub fn leading_requires<'a, 's>(script: &'a Script<'s>) -> &'a [Command<'s>] {
    let n = script
        .commands
        .iter()
        .take_while(|c| c.name.is("require") && simple(c))
        .count();
    &script.commands[..n]
}

fn simple(cmd: &Command) -> bool {
    !cmd.broken
        && cmd.block.is_none()
        && cmd.args.tests.is_none()
        && matches!(
            &*cmd.args.args,
            [Argument::String(_) | Argument::StringList(_)]
        )
        && cmd.args.args[0]
            .strings()
            .iter()
            .all(|s| s.kind == StringKind::Quoted)
}

/// A capability as a Sieve quoted string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// The script's line break: that of its first line (LF when it has none).
pub fn newline(source: &str) -> &'static str {
    match source.find('\n') {
        Some(i) if i > 0 && source.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Does a comment overlap the span? The comments are in source order and
/// do not overlap, so the first one that ends after the span's start is the
/// only candidate.
fn has_comment_in(comments: &Comments, span: Span) -> bool {
    let c = &comments.comments;
    let i = c.partition_point(|c| c.span.end() <= span.start());
    c.get(i).is_some_and(|c| c.span.start() < span.end())
}

fn text(source: &str, span: Span) -> &str {
    source.get(span.range()).unwrap_or("")
}

/// Adds `caps` (already in the order to write them) to the first leading
/// require, or, when the script has none, inserts a require before its
/// first command (after any comments that open the script).
pub fn add_capabilities(source: &str, script: &Script, caps: &[String]) -> Option<Fix> {
    if caps.is_empty() {
        return None;
    }
    let quoted: Vec<String> = caps.iter().map(|c| quote(c)).collect();
    let message = format!("add {} to the require", quoted.join(", "));
    if let Some(first) = leading_requires(script).first() {
        let edit = match &first.args.args[0] {
            Argument::StringList(list) => {
                let last = list.items.last()?;
                Edit::insert(last.span.end(), format!(", {}", quoted.join(", ")))
            }
            Argument::String(s) => Edit::replace(
                s.span,
                format!("[{}, {}]", text(source, s.span), quoted.join(", ")),
            ),
            _ => return None,
        };
        return Some(Fix::new(message, vec![edit]));
    }
    let first = script.commands.first()?;
    let start = first.span.start();
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let blank_before = source[line_start..start]
        .bytes()
        .all(|b| b == b' ' || b == b'\t');
    let at = if blank_before { line_start } else { start };
    let list = match quoted.as_slice() {
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    };
    Some(Fix::new(
        message,
        vec![Edit::insert(
            at,
            format!("require {list};{}", newline(source)),
        )],
    ))
}

/// Removes one capability from its require: the string and its comma, or
/// the whole command (with its line, when it stands alone on it) when it
/// is the only one. `None` when the require is not a leading one or a
/// comment stands in the way.
pub fn remove_capability(
    source: &str,
    script: &Script,
    comments: &Comments,
    cap: &StringLit,
    message: impl Into<String>,
) -> Option<Fix> {
    let leading = leading_requires(script);
    let cmd = leading
        .iter()
        .find(|c| index_of(c.args.args[0].strings(), cap).is_some())?;
    remove_from(source, leading, comments, cmd, cap, message)
}

/// [`remove_capability`] when the command that holds `cap` is known and
/// the leading requires were found once ([`leading_requires`]): no scan of
/// the requires, so a rule may call it for each of thousands.
pub fn remove_from(
    source: &str,
    leading: &[Command],
    comments: &Comments,
    cmd: &Command,
    cap: &StringLit,
    message: impl Into<String>,
) -> Option<Fix> {
    remove_all_from(source, leading, comments, cmd, &[cap], message)
}

/// Removes several capabilities of one require in one fix (as ruff removes
/// the unused names of one import): each with the comma before it, the
/// first ones up to the first that stays, or the whole command when none
/// stays. `None` when the require is not a leading one, a capability is not
/// in it, or a comment stands in the way.
pub fn remove_all_from(
    source: &str,
    leading: &[Command],
    comments: &Comments,
    cmd: &Command,
    caps: &[&StringLit],
    message: impl Into<String>,
) -> Option<Fix> {
    if caps.is_empty() || !leading.as_ptr_range().contains(&std::ptr::from_ref(cmd)) {
        return None;
    }
    let items = cmd.args.args.first()?.strings();
    let mut gone = vec![false; items.len()];
    for cap in caps {
        gone[index_of(items, cap)?] = true;
    }
    let mut spans: Vec<Span> = Vec::new();
    match gone.iter().position(|g| !g) {
        None => spans.push(command_removal(source, cmd.span)),
        Some(kept) => {
            if kept > 0 {
                spans.push(Span::new(items[0].span.start(), items[kept].span.start()));
            }
            for i in (kept + 1..items.len()).filter(|&i| gone[i]) {
                let span = Span::new(items[i - 1].span.end(), items[i].span.end());
                match spans.last_mut() {
                    Some(last) if last.end() == span.start() => last.set_end(span.end()),
                    _ => spans.push(span),
                }
            }
        }
    }
    if spans.iter().any(|s| has_comment_in(comments, *s)) {
        return None;
    }
    Some(Fix::new(
        message,
        spans.into_iter().map(Edit::delete).collect(),
    ))
}

/// The index of `x` in `items`, when it is one of them (by address).
fn index_of<T>(items: &[T], x: &T) -> Option<usize> {
    let range = items.as_ptr_range();
    let p = std::ptr::from_ref(x);
    let size = std::mem::size_of::<T>().max(1);
    range
        .contains(&p)
        .then(|| (p as usize - range.start as usize) / size)
}

/// What to delete to remove a command: its line when nothing else stands
/// on it, else the command and the blanks after it.
fn command_removal(source: &str, span: Span) -> Span {
    let b = source.as_bytes();
    let line_start = source[..span.start()].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[span.end()..]
        .find('\n')
        .map_or(source.len(), |i| span.end() + i);
    let blank = |s: &[u8]| s.iter().all(|&c| c == b' ' || c == b'\t' || c == b'\r');
    if blank(&b[line_start..span.start()]) && blank(&b[span.end()..line_end]) {
        return Span::new(line_start, (line_end + 1).min(b.len()));
    }
    let mut end = span.end();
    while end < b.len() && (b[end] == b' ' || b[end] == b'\t') {
        end += 1;
    }
    Span::new(span.start(), end)
}

/// Rewrites the leading requires as one `require [ … ];` with each
/// capability once, in the order of first appearance (spelt as first
/// written). `None` when there is nothing to merge, or when the requires
/// are not one run of commands with only white space between them (a
/// comment there would be lost).
pub fn merge_requires(source: &str, script: &Script, comments: &Comments) -> Option<Fix> {
    let leading = leading_requires(script);
    let (first, last) = (leading.first()?, leading.last()?);
    let span = Span::new(first.span.start(), last.span.end());
    if has_comment_in(comments, span) {
        return None;
    }
    let mut caps: Vec<&StringLit> = Vec::new();
    let mut seen: crate::hash::FastSet<String> = crate::hash::FastSet::default();
    for cmd in leading {
        for s in cmd.args.args[0].strings() {
            if seen.insert(s.value.to_ascii_lowercase()) {
                caps.push(s);
            }
        }
    }
    let written: Vec<&str> = caps.iter().map(|s| text(source, s.span)).collect();
    let content = match written.as_slice() {
        [one] => format!("require {one};"),
        many => format!("require [{}];", many.join(", ")),
    };
    if content == text(source, span) {
        return None;
    }
    Some(Fix::new(
        "merge the requires into one, each capability once",
        vec![Edit::replace(span, content)],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::comments::comments;

    fn parse(src: &str) -> Script<'_> {
        let p = crate::syntax::parse(src);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        p.script
    }

    fn apply(src: &str, fix: Option<Fix>) -> String {
        let fix = fix.expect("a fix");
        super::super::apply_fixes(src, [&fix]).0
    }

    #[test]
    fn adds_to_a_list_a_string_or_a_new_require() {
        let caps = ["envelope".to_owned(), "body".to_owned()];
        let src = "require [\"fileinto\"];\nkeep;\n";
        let got = apply(src, add_capabilities(src, &parse(src), &caps));
        assert_eq!(
            got,
            "require [\"fileinto\", \"envelope\", \"body\"];\nkeep;\n"
        );

        let src = "require \"fileinto\";\nkeep;\n";
        let got = apply(src, add_capabilities(src, &parse(src), &caps[..1]));
        assert_eq!(got, "require [\"fileinto\", \"envelope\"];\nkeep;\n");

        let src = "# header\r\n\r\n  keep;\r\n";
        let got = apply(src, add_capabilities(src, &parse(src), &caps[..1]));
        assert_eq!(got, "# header\r\n\r\nrequire \"envelope\";\r\n  keep;\r\n");

        let src = "/* c */ keep;";
        let got = apply(src, add_capabilities(src, &parse(src), &caps));
        assert_eq!(got, "/* c */ require [\"envelope\", \"body\"];\nkeep;");
    }

    #[test]
    fn removes_an_item_or_the_whole_line() {
        let src = "require [\"a\", \"b\", \"c\"];\nrequire \"d\";\nkeep;\n";
        let script = parse(src);
        let cs = comments(src);
        let items = script.commands[0].args.args[0].strings();
        let got = apply(src, remove_capability(src, &script, &cs, &items[0], "x"));
        assert_eq!(got, "require [\"b\", \"c\"];\nrequire \"d\";\nkeep;\n");
        let got = apply(src, remove_capability(src, &script, &cs, &items[2], "x"));
        assert_eq!(got, "require [\"a\", \"b\"];\nrequire \"d\";\nkeep;\n");
        let d = &script.commands[1].args.args[0].strings()[0];
        let got = apply(src, remove_capability(src, &script, &cs, d, "x"));
        assert_eq!(got, "require [\"a\", \"b\", \"c\"];\nkeep;\n");
    }

    #[test]
    fn removes_several_of_one_require_in_one_fix() {
        let src = "require [\"a\", \"b\", \"c\", \"d\", \"e\"];\nkeep;\n";
        let script = parse(src);
        let cs = comments(src);
        let leading = leading_requires(&script);
        let cmd = &script.commands[0];
        let items = cmd.args.args[0].strings();
        let remove = |which: &[usize]| {
            let caps: Vec<&StringLit> = which.iter().map(|&i| &items[i]).collect();
            apply(src, remove_all_from(src, leading, &cs, cmd, &caps, "x"))
        };
        assert_eq!(remove(&[0, 1, 3]), "require [\"c\", \"e\"];\nkeep;\n");
        assert_eq!(remove(&[2, 3, 4]), "require [\"a\", \"b\"];\nkeep;\n");
        assert_eq!(remove(&[1, 4]), "require [\"a\", \"c\", \"d\"];\nkeep;\n");
        assert_eq!(remove(&[0, 1, 2, 3, 4]), "keep;\n");
        let other = parse("require \"a\";");
        let foreign = &other.commands[0].args.args[0].strings()[0];
        assert_eq!(
            remove_all_from(src, leading, &cs, cmd, &[foreign], "x"),
            None
        );
    }

    #[test]
    fn keeps_comments_on_the_line_and_refuses_to_drop_one() {
        let src = "require \"a\"; # why\nkeep;\n";
        let script = parse(src);
        let a = &script.commands[0].args.args[0].strings()[0];
        let got = apply(src, remove_capability(src, &script, &comments(src), a, "x"));
        assert_eq!(got, "# why\nkeep;\n");

        let src = "require [\"a\", /* why */ \"b\"];\nkeep;\n";
        let script = parse(src);
        let b = &script.commands[0].args.args[0].strings()[1];
        assert_eq!(
            remove_capability(src, &script, &comments(src), b, "x"),
            None
        );
    }

    #[test]
    fn merges_in_order_of_first_appearance_unless_a_comment_is_between() {
        let src = "require \"a\";\r\nrequire [\"B\", \"a\"];\r\nrequire \"b\";\r\nkeep;\r\n";
        let got = apply(src, merge_requires(src, &parse(src), &comments(src)));
        assert_eq!(got, "require [\"a\", \"B\"];\r\nkeep;\r\n");

        let src = "require \"a\";\n# keep me\nrequire \"a\";\nkeep;\n";
        assert_eq!(merge_requires(src, &parse(src), &comments(src)), None);

        let src = "require [\"a\", \"b\"];\nkeep;\n";
        assert_eq!(merge_requires(src, &parse(src), &comments(src)), None);
    }

    #[test]
    fn late_or_odd_requires_are_left_alone() {
        let src = "keep;\nrequire \"a\";\n";
        let script = parse(src);
        let a = &script.commands[1].args.args[0].strings()[0];
        assert_eq!(
            remove_capability(src, &script, &comments(src), a, "x"),
            None
        );
        assert!(leading_requires(&script).is_empty());

        let src = "require text:\nfileinto\n.\n;\nkeep;\n";
        assert!(leading_requires(&parse(src)).is_empty());
    }
}
