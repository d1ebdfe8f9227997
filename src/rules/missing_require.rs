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
        let mut found: Vec<(Span, String, String)> = Vec::new();
        for u in &model.uses {
            if let Some(e) = u.entry
                && !e.capability.is_empty()
                && !model.is_required(e.capability)
                && !u.guarded(e.capability)
                && !claimed_by_extlists_rules(u)
            {
                found.push((
                    u.node.name().span,
                    e.capability.to_owned(),
                    format!("`{}`", u.node.name().name),
                ));
            }
            for t in &u.binding.tags {
                let cap = t.entry.capability;
                // `:list` without extlists is list-without-extlists (SL0100).
                if !cap.is_empty()
                    && cap != "extlists"
                    && !model.is_required(cap)
                    && !u.guarded(cap)
                {
                    found.push((t.tag.span, cap.to_owned(), format!("`:{}`", t.tag.name)));
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
                        found.push((name.span, cap, format!("comparator {}", show(&name.value))));
                    }
                }
            }
        }
        // One fix for all: every missing capability, in order of first use,
        // but never the successor of a required deprecated extension
        // (imap4flags next to imapflags): servers refuse the pair.
        let mut caps: Vec<String> = Vec::new();
        for (_, cap, _) in &found {
            if !caps.iter().any(|c| c.eq_ignore_ascii_case(cap)) && predecessor(cx, cap).is_none() {
                caps.push(cap.clone());
            }
        }
        let fix = (!cx.parse_failed && !caps.is_empty())
            .then(|| crate::fix::requires::add_capabilities(cx.source, cx.script, &caps))
            .flatten();
        for (span, cap, what) in found {
            let old = predecessor(cx, &cap);
            let help = match old {
                Some(old) => format!(
                    "{what} is not part of {}; it needs {}, which servers refuse together with \
                     {}: move the whole script to {}",
                    show(old),
                    show(&cap),
                    show(old),
                    show(&cap)
                ),
                None => suggestion(cx, &cap),
            };
            cx.report(span, format!("missing require {}", show(&cap)))
                .with_primary_label(format!("{what} needs {}", show(&cap)))
                .with_help(help)
                .with_fix(if old.is_some() { None } else { fix.clone() });
        }
    }
}

/// The required deprecated extension that `cap` replaced (imapflags for
/// imap4flags), if the script requires one.
fn predecessor(cx: &Context<'_, '_>, cap: &str) -> Option<&'static str> {
    cx.model.requires.iter().find_map(|r| {
        let ext = crate::ext::catalog().extension(&r.capability.value)?;
        ext.successor
            .filter(|s| s.eq_ignore_ascii_case(cap))
            .map(|_| ext.capability)
    })
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
