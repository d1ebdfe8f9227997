//! Hover: on a finding, its rule's documentation (`sieve-lint explain`);
//! on a command, test or tag, its signature and one-line description from
//! the extension catalog and the RFC section that defines it; on a
//! capability in `require` or a comparator name after `:comparator`, what
//! it is and its RFC; on a list name (RFC 6134 §2.1), its normalized form
//! and, when lists are configured, whether one of them is it and how many
//! members it has.

use crate::ext::{Entry, TagEntry, TestArity, catalog};
use crate::lists::ListSet;
use crate::syntax::ast::{Argument, Arguments, Command, Script, Span};
use crate::{FileReport, rules};

/// The Markdown shown at byte `offset`, if any. `lists`: the configured
/// lists of the document's settings.
pub fn hover(
    report: &FileReport,
    script: &Script,
    offset: usize,
    lists: Option<&ListSet>,
) -> Option<(String, Span)> {
    let covers = |s: Span| s.start() <= offset && offset <= s.end();
    let docs: Vec<(String, Span)> = report
        .diagnostics
        .iter()
        .filter(|d| covers(d.span))
        .filter_map(|d| Some((rule_doc(rules::find(d.code)?.info()), d.span)))
        .collect();
    if let Some((_, span)) = docs.first() {
        let mut texts: Vec<String> = docs.iter().map(|(t, _)| t.clone()).collect();
        texts.dedup();
        return Some((texts.join("\n\n---\n\n"), *span));
    }
    if let Some(info) = report
        .lists
        .iter()
        .find(|l| l.span.start() <= offset && offset < l.span.end())
    {
        return Some((list_doc(info, lists), info.span));
    }
    syntax_hover(&script.commands, offset)
}

/// A list name: as normalized (RFC 6134 §2.1), and what the configured
/// lists say of it.
fn list_doc(info: &crate::check::ListInfo, lists: Option<&ListSet>) -> String {
    let mut text = format!("list name `{}`", info.name);
    if info.dynamic {
        text.push_str("\n\nBuilt from variables: known at run time only.");
        return text;
    }
    match (&info.normalized, &info.error) {
        (Some(n), _) => {
            if *n != info.name {
                text.push_str(&format!("\n\nNormalized: `{n}`"));
            }
            match lists {
                Some(set) => match set.get_normalized(n) {
                    Some(l) => {
                        let count = l.members.len();
                        let s = if count == 1 { "" } else { "s" };
                        text.push_str(&format!("\n\nConfigured: {count} member{s}."));
                    }
                    None => text.push_str("\n\nNot among the configured lists."),
                },
                None => text.push_str(
                    "\n\nNo lists are configured (`[list]` or `lists` in sieve-lint.toml).",
                ),
            }
        }
        (None, Some(e)) => text.push_str(&format!("\n\nNot a valid list name: {e}.")),
        (None, None) => {}
    }
    text
}

/// The one-line description, as a paragraph (empty when not written).
fn described(doc: &str) -> String {
    if doc.is_empty() {
        String::new()
    } else {
        format!("{doc}\n\n")
    }
}

fn rule_doc(info: &rules::RuleInfo) -> String {
    format!(
        "**{} {}** ({} by default)\n\n{}",
        info.code,
        info.name,
        info.severity,
        info.doc_text()
    )
}

/// The innermost command, test, tag or capability at `offset`.
fn syntax_hover(commands: &[Command], offset: usize) -> Option<(String, Span)> {
    let covers = |s: Span| s.start() <= offset && offset < s.end().max(s.start() + 1);
    // Commands are in source order: the one whose span reaches `offset`.
    let i = commands.partition_point(|c| c.span.start() <= offset);
    let c = &commands[i.checked_sub(1)?];
    if covers(c.name.span) {
        return Some((signature(catalog().command(&c.name.name)?), c.name.span));
    }
    if c.name.is("require") {
        for s in c.args.args.iter().flat_map(Argument::strings) {
            if covers(s.span) {
                let rfc = crate::ext::capability_rfc(&s.value)?;
                let doc = catalog().extension(&s.value).map_or("", |e| e.doc);
                return Some((
                    format!("capability `\"{}\"`: {}{rfc}", s.value, described(doc)),
                    s.span,
                ));
            }
        }
    }
    if let Some(found) = in_arguments(&c.args, catalog().command(&c.name.name), offset) {
        return Some(found);
    }
    syntax_hover(&c.block.as_ref()?.commands, offset)
}

fn in_arguments(args: &Arguments, entry: Option<&Entry>, offset: usize) -> Option<(String, Span)> {
    // A comparator name: the string after `:comparator` (RFC 5228 §2.7.3).
    for pair in args.args.windows(2) {
        if let [Argument::Tag(t), Argument::String(s)] = pair
            && t.name.eq_ignore_ascii_case("comparator")
            && s.span.start() <= offset
            && offset < s.span.end()
        {
            let capability = format!("comparator-{}", s.value);
            let ext = catalog().extension(&capability)?;
            let needs = if matches!(s.value.as_ref(), "i;octet" | "i;ascii-casemap") {
                "no `require` needed".to_owned()
            } else {
                format!("`require \"{capability}\";`")
            };
            return Some((
                format!(
                    "comparator `\"{}\"`: {}{}; {needs}",
                    s.value,
                    described(ext.doc),
                    ext.rfc
                ),
                s.span,
            ));
        }
    }
    for a in &args.args {
        if let Argument::Tag(t) = a
            && t.span.start() <= offset
            && offset < t.span.end()
        {
            let entry = entry?;
            return Some((tag_doc(entry, entry.tag(&t.name)?), t.span));
        }
    }
    for t in args.tests.iter().flat_map(|t| t.as_slice()) {
        if !(t.span.start() <= offset && offset <= t.span.end()) {
            continue;
        }
        let entry = catalog().test(&t.name.name);
        if t.name.span.start() <= offset && offset < t.name.span.end() {
            return Some((signature(entry?), t.name.span));
        }
        return in_arguments(&t.args, entry, offset);
    }
    None
}

/// Where the entry comes from: `require "x"` and its RFC section.
fn origin(capability: &str, rfc: &str) -> String {
    if capability.is_empty() {
        format!("{rfc} (no `require` needed)")
    } else {
        format!("{rfc}; `require \"{capability}\";`")
    }
}

fn tag_arg(t: &TagEntry) -> String {
    match t.spec.arg {
        Some(a) => format!(":{} <{}: {}>", t.spec.name, a.name, a.kind.describe()),
        None => format!(":{}", t.spec.name),
    }
}

/// `name [:tag <arg>] [:a|:b] <arg: kind> <test> { … }`: the signature on
/// one line (hover, completion).
pub fn synopsis(entry: &Entry) -> String {
    let sig = entry.sig;
    let mut parts = vec![sig.name.to_owned()];
    // Tags of one exclusive set together, in the order they come.
    let mut seen_sets: Vec<&str> = Vec::new();
    for t in &entry.tags {
        match t.exclusive {
            Some(set) if seen_sets.contains(&set) => {}
            Some(set) => {
                seen_sets.push(set);
                let members: Vec<String> = entry
                    .tags
                    .iter()
                    .filter(|o| o.exclusive == Some(set))
                    .map(tag_arg)
                    .collect();
                let joined = members.join(" | ");
                if sig.required.contains(&set) {
                    parts.push(format!("({joined})"));
                } else {
                    parts.push(format!("[{joined}]"));
                }
            }
            None => parts.push(format!("[{}]", tag_arg(t))),
        }
    }
    for a in sig.positional {
        let p = format!("<{}: {}>", a.name, a.kind.describe());
        parts.push(if a.optional { format!("[{p}]") } else { p });
    }
    match sig.tests {
        TestArity::None => {}
        TestArity::One => parts.push("<test>".into()),
        TestArity::List => parts.push("<test-list>".into()),
    }
    if sig.block {
        parts.push("{ … }".into());
    }
    parts.join(" ")
}

/// The synopsis, then the RFC.
pub fn signature(entry: &Entry) -> String {
    let synopsis = synopsis(entry);
    // Tags that other extensions add, by the capability they need.
    let mut added: Vec<(&str, Vec<String>)> = Vec::new();
    for t in &entry.tags {
        if t.capability.is_empty() || t.capability == entry.capability {
            continue;
        }
        let name = format!("`:{}`", t.spec.name);
        match added.iter_mut().find(|(c, _)| *c == t.capability) {
            Some((_, names)) => names.push(name),
            None => added.push((t.capability, vec![name])),
        }
    }
    let added: String = added
        .iter()
        .map(|(cap, names)| format!("\n- {} with `require \"{cap}\"`", names.join(", ")))
        .collect();
    format!(
        "```sieve\n{}\n```\n\n{}{}{}",
        synopsis,
        described(entry.sig.doc),
        origin(entry.capability, entry.rfc),
        if added.is_empty() {
            String::new()
        } else {
            format!("\n\nTags of other extensions:{added}")
        }
    )
}

fn tag_doc(entry: &Entry, t: &TagEntry) -> String {
    let cap = if t.capability.is_empty() {
        entry.capability
    } else {
        t.capability
    };
    let rfc = catalog()
        .extension(cap)
        .map_or(entry.rfc, |e| e.rfc)
        .to_owned();
    let set = t.exclusive.map(|s| format!(" ({s})")).unwrap_or_default();
    format!(
        "```sieve\n{}\n```\n\n{}Tag of `{}`{set}. {}",
        tag_arg(t),
        described(t.spec.doc),
        entry.sig.name,
        origin(cap, &rfc)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(src: &str, needle: &str) -> Option<String> {
        let report = crate::lint("x.sieve", src, &crate::CheckOptions::default());
        let script = crate::syntax::parse(src).script;
        let offset = src.find(needle).unwrap() + 1;
        hover(&report, &script, offset, None).map(|(t, _)| t)
    }

    #[test]
    fn commands_tests_tags_capabilities_and_findings() {
        let src = "require [\"fileinto\", \"copy\"];\nif header :contains \"subject\" \"x\" {\n  fileinto :copy \"A\";\n}\nunknowncmd;\n";
        let f = at(src, "fileinto :copy").unwrap();
        assert!(f.contains("fileinto [:copy]"), "{f}");
        assert!(f.contains("<mailbox: a string>"), "{f}");
        assert!(f.contains("require \"fileinto\";"), "{f}");
        let h = at(src, "header").unwrap();
        assert!(h.contains(":contains"), "{h}");
        assert!(h.contains("RFC 5228"), "{h}");
        assert!(h.contains("`:regex` with `require \"regex\"`"), "{h}");
        let tag = at(src, ":copy").unwrap();
        assert!(tag.contains(":copy") && tag.contains("RFC 3894"), "{tag}");
        let cap = at(src, "\"copy\"").unwrap();
        assert!(cap.contains("RFC 3894"), "{cap}");
        let rule = at(src, "unknowncmd").unwrap();
        assert!(rule.starts_with("**SL"), "{rule}");
        assert!(rule.contains("unknown-command"), "{rule}");
        assert!(at(src, "\"subject\"").is_none());
    }

    #[test]
    fn comparator_names() {
        let src = "require \"comparator-i;ascii-numeric\";\nif header :comparator \"i;ascii-numeric\" :is \"x-n\" \"1\" { stop; }\nif header :comparator \"i;octet\" :is \"a\" \"b\" { stop; }\n";
        let n = at(src, "\"i;ascii-numeric\" :is").unwrap();
        assert!(n.starts_with("comparator `\"i;ascii-numeric\"`"), "{n}");
        assert!(n.contains("RFC 4790 §9.1"), "{n}");
        assert!(n.contains("require \"comparator-i;ascii-numeric\";"), "{n}");
        let o = at(src, "\"i;octet\"").unwrap();
        assert!(
            o.contains("RFC 4790 §9.3") && o.contains("no `require` needed"),
            "{o}"
        );
        // An unknown comparator shows its finding; a header name is no comparator.
        let unknown = at(
            "if header :comparator \"i;nope\" :is \"a\" \"b\" {}",
            "i;nope",
        )
        .unwrap();
        assert!(
            unknown.starts_with("**SL") && !unknown.contains("comparator `"),
            "{unknown}"
        );
        assert!(at(src, "\"x-n\"").is_none());
    }

    #[test]
    fn list_names_with_and_without_configured_lists() {
        let src = "require \"extlists\";\nif envelope :list \"from\" \":addrbook:Friends\" { keep; }\nif header :list \"from\" \"bad list\" { keep; }\n";
        let script = crate::syntax::parse(src).script;
        let offset = src.find(":addrbook").unwrap() + 2;
        let bare = crate::lint("x.sieve", src, &crate::CheckOptions::default());
        let (text, span) = hover(&bare, &script, offset, None).unwrap();
        assert_eq!(&src[span.range()], "\":addrbook:Friends\"");
        assert!(
            text.contains("urn:ietf:params:sieve:addrbook:Friends"),
            "{text}"
        );
        assert!(text.contains("No lists are configured"), "{text}");
        let mut set = ListSet::default();
        set.load_one_bytes(
            "urn:ietf:params:sieve:addrbook:Friends",
            std::path::Path::new("f.txt"),
            b"a@example.org\nb@example.org\n",
        )
        .unwrap();
        let (text, _) = hover(&bare, &script, offset, Some(&set)).unwrap();
        assert!(text.contains("Configured: 2 members."), "{text}");
        let empty = ListSet::default();
        let (text, _) = hover(&bare, &script, offset, Some(&empty)).unwrap();
        assert!(text.contains("Not among the configured lists"), "{text}");
        // An invalid name says why; the hover on a finding comes first, so
        // look past the diagnostics.
        let bad = src.find("bad list").unwrap() + 1;
        let no_findings = FileReport {
            diagnostics: Vec::new(),
            ..bare.clone()
        };
        let (text, _) = hover(&no_findings, &script, bad, None).unwrap();
        assert!(text.contains("Not a valid list name"), "{text}");
    }
}
