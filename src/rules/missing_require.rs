use super::{Rule, declare_rule};
use crate::check::Context;
use crate::diagnostic::show;
use crate::syntax::ast::Span;

declare_rule! {
    /// ## What it does
    /// Reports a command, test, tag or comparator of an extension that the
    /// script does not `require`.
    ///
    /// ## Why is this bad?
    /// Without `require`, the extension is not available: the server
    /// rejects the script, even when the use sits in code that never runs.
    /// Only `i;octet` and `i;ascii-casemap` are available without a
    /// require; every other comparator needs `comparator-<name>`.
    ///
    /// A use after an `ihave` test of its extension is no error (RFC 5463
    /// §4: a successful `ihave` makes the extension available to the end
    /// of the script, and servers must check at run time): past
    /// `if not ihave "x" { error "…"; }` nothing is reported; elsewhere a
    /// warning says it fails where the server lacks the extension.
    ///
    /// ## Example
    /// ```sieve
    /// if header :contains "list-id" "rust-users" {
    ///     fileinto "Lists/Rust";
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "fileinto";
    /// if header :contains "list-id" "rust-users" {
    ///     fileinto "Lists/Rust";
    /// }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §3.2, §2.10.5
    ///
    /// ## Severity
    /// Error: RFC 5228 §2.10.5: "If an extension is not enabled with
    /// "require", implementations MUST treat it as if they did not support it
    /// at all." After an `ihave` of the extension outside its block (RFC 5463
    /// §4) a warning, without a fix.
    pub struct MissingRequire {
        code: "SL0203",
        name: "missing-require",
        severity: Error,
        summary: "an extension is used without `require`",
    }
}

/// Comparators every implementation has without a require (RFC 5228 §2.7.3).
const IMPLICIT_COMPARATORS: &[&str] = &["i;octet", "i;ascii-casemap"];

impl Rule for MissingRequire {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        // (use, span, capability, what, the same use's other parts that
        // need it): a command and its tag that both lack one require are
        // one mistake, one diagnostic, the tag a label of it.
        type Found = (usize, Span, String, String, Vec<(Span, String)>);
        let mut found: Vec<Found> = Vec::new();
        // Uses after an `ihave` of their capability, outside its block.
        // One per use and capability (`vacation :days` is one use).
        let mut after_ihave: Vec<(usize, Span, String, String)> = Vec::new();
        for (index, u) in model.uses.iter().enumerate() {
            // RFC 5463 §4 item 1: after a successful `ihave`, the extension
            // is available to the end of the script; the server checks at
            // run time. Past `if not ihave "x" { error …; }` it is there.
            let mut push =
                |span: Span, cap: String, what: String| match model.ihave_before(index, &cap) {
                    None => match found
                        .iter_mut()
                        .rev()
                        .take_while(|(i, ..)| *i == index)
                        .find(|(_, _, c, ..)| c.eq_ignore_ascii_case(&cap))
                    {
                        Some((.., also)) => also.push((span, format!("{what} needs it too"))),
                        None => found.push((index, span, cap, what, Vec::new())),
                    },
                    Some(false) => {
                        // Pushed in use order: this use's entries are last.
                        if !after_ihave
                            .iter()
                            .rev()
                            .take_while(|(i, ..)| *i == index)
                            .any(|(_, _, c, _)| *c == cap)
                        {
                            after_ihave.push((index, span, cap, what));
                        }
                    }
                    Some(true) => {}
                };
            if let Some(e) = u.entry
                && !e.capability.is_empty()
                && !model.is_required(e.capability)
                && !u.guarded(e.capability)
                && !claimed_by_extlists_rules(u)
            {
                push(
                    u.node.name().span,
                    e.capability.to_owned(),
                    format!("`{}`", u.node.name().name),
                );
            }
            for t in &u.binding.tags {
                let cap = t.entry.capability;
                // `:list` without extlists is list-without-extlists (SL0100).
                if !cap.is_empty()
                    && cap != "extlists"
                    && !model.is_required(cap)
                    && !u.guarded(cap)
                {
                    push(t.tag.span, cap.to_owned(), format!("`:{}`", t.tag.name));
                }
                if t.entry.spec.name == "comparator"
                    && let Some(arg) = t.arg
                    && let [name] = arg.strings()
                {
                    let cmp = name.value.to_ascii_lowercase();
                    let cap = format!("comparator-{cmp}");
                    // Unknown comparators are unknown-comparator's (SL0313).
                    if !IMPLICIT_COMPARATORS.contains(&cmp.as_str())
                        && crate::ext::is_known_capability(&cap)
                        && !cmp.contains("${")
                        && !model.is_required(&cap)
                    {
                        push(name.span, cap, format!("comparator {}", show(&name.value)));
                    }
                }
            }
        }
        // Required deprecated extensions, with what replaced them.
        let replaced: Vec<(&'static str, &'static str)> = model
            .requires
            .iter()
            .filter_map(|r| {
                let ext = crate::ext::catalog().extension(&r.capability.value)?;
                Some((ext.successor?, ext.capability))
            })
            .collect();
        // One fix for all: every missing capability, in order of first use,
        // but never one a fix must not add (see `no_fix`).
        let mut caps: Vec<String> = Vec::new();
        for (_, _, cap, what, _) in &found {
            if !caps.iter().any(|c| c.eq_ignore_ascii_case(cap))
                && no_fix(cx, &replaced, cap, what).is_none()
            {
                caps.push(cap.clone());
            }
        }
        let fix = (!cx.parse_failed && !caps.is_empty())
            .then(|| crate::fix::requires::add_capabilities(cx.source, cx.script, &caps))
            .flatten();
        for (_, span, cap, what) in after_ihave {
            cx.report_with(
                span,
                crate::diagnostic::Severity::Warning,
                format!(
                    "{what} is used after `ihave {}` but outside the block it guards",
                    show(&cap)
                ),
            )
            .with_primary_label(format!(
                "fails at run time where the server lacks {}",
                show(&cap)
            ))
            .with_help(format!(
                "an earlier `ihave {}` makes it available from there on, but only where the \
                 server has it; elsewhere this fails at run time (RFC 5463 §4): use it inside \
                 the `if ihave` block, or end the script where the test fails \
                 (`if not ihave {} {{ error \"…\"; }}`)",
                show(&cap),
                show(&cap)
            ));
        }
        for (_, span, cap, what, also) in found {
            let why_not = no_fix(cx, &replaced, &cap, &what);
            let fixable = why_not.is_none();
            let help = why_not.unwrap_or_else(|| suggestion(cx, &cap));
            let d = cx
                .report(span, format!("missing require {}", show(&cap)))
                .with_primary_label(format!("{what} needs {}", show(&cap)))
                .with_help(help)
                .with_fix(if fixable { fix.clone() } else { None });
            for (span, label) in also {
                d.with_label(span, label);
            }
        }
    }
}

/// Why a fix must not add `cap`, as help text: the target server lacks it
/// (the fixed script would be refused), it replaced a deprecated extension
/// the script requires (imap4flags next to imapflags: Dovecot refuses the
/// pair), or it is a deprecated extension itself (adding it would bring a
/// new note, and the standard one is what to use).
fn no_fix(
    cx: &Context<'_, '_>,
    replaced: &[(&'static str, &'static str)],
    cap: &str,
    what: &str,
) -> Option<String> {
    if !cx.options.target_supports(cap) {
        return Some(format!(
            "{what} needs {}, which {} does not support: do without it on this server",
            show(cap),
            cx.options.target().server
        ));
    }
    if let Some((_, old)) = replaced
        .iter()
        .find(|(new, _)| new.eq_ignore_ascii_case(cap))
    {
        return Some(format!(
            "{what} is not part of {}; it needs {}, which servers refuse together with {}: \
             move the whole script to {}",
            show(old),
            show(cap),
            show(old),
            show(cap)
        ));
    }
    let ext = crate::ext::catalog().extension(cap)?;
    let new = ext.successor?;
    ext.deprecated?;
    Some(format!(
        "{what} is from the deprecated {}; require it only for a server that still has it, \
         or use {} instead",
        show(cap),
        show(new)
    ))
}

/// Uses that an extlists rule reports with a more precise message:
/// `valid_ext_list` (list-without-extlists) and `string :list` without
/// variables (string-list-without-variables).
fn claimed_by_extlists_rules(u: &crate::check::Use<'_>) -> bool {
    let name = u.node.name();
    name.is("valid_ext_list")
        || (name.is("string") && u.binding.tags.iter().any(|t| t.entry.spec.name == "list"))
}

/// The `require` line to write.
pub(crate) fn suggestion(cx: &Context<'_, '_>, cap: &str) -> String {
    let model = cx.model;
    let first = model.requires.first().map(|r| r.command);
    let all_in_one =
        first.is_some_and(|f| model.requires.iter().all(|r| std::ptr::eq(r.command, f)));
    if let (Some(_), true) = (first, all_in_one) {
        let mut names: Vec<String> = model
            .requires
            .iter()
            .map(|r| show(&r.capability.value))
            .collect();
        names.push(show(cap));
        format!(
            "add it to the require at the top: require [{}];",
            names.join(", ")
        )
    } else {
        format!("add at the top of the script: require {};", show(cap))
    }
}
