use super::{Rule, declare_rule};
use crate::check::Context;
use crate::diagnostic::show;
use crate::ext::catalog;

declare_rule! {
    /// ## What it does
    /// Reports a required extension that nothing in the script uses.
    ///
    /// ## Why is this bad?
    /// An unused `require` makes the script fail on servers that lack the
    /// extension, for nothing; it is often the trace of a rule that was
    /// removed or misspelt. Only extensions whose every command, test and
    /// tag sieve-lint knows are reported, so the warning is never a guess.
    ///
    /// ## Example
    /// ```sieve
    /// require ["fileinto", "envelope"];
    /// fileinto "Archive";
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "fileinto";
    /// fileinto "Archive";
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §3.2
    pub struct UnusedRequire {
        code: "SL0204",
        name: "unused-require",
        severity: Warning,
        summary: "a required extension is never used",
    }
}

impl Rule for UnusedRequire {
    fn check(&self, cx: &mut Context<'_, '_>) {
        if cx.parse_failed {
            return;
        }
        let model = cx.model;
        let mut used: std::collections::HashSet<String> = std::collections::HashSet::new();
        // Few distinct capabilities: a vector beats hashing per use.
        let mut used_static: Vec<&'static str> = Vec::new();
        for u in &model.uses {
            if let Some(e) = u.entry {
                for c in std::iter::once(&e.capability).chain(e.sig.also_uses) {
                    note(&mut used_static, c);
                }
                if let Some(f) = catalog()
                    .extension(e.capability)
                    .and_then(|x| x.argument_uses)
                {
                    let mut caps = Vec::new();
                    f(u, &mut caps);
                    for c in caps {
                        note(&mut used_static, c);
                    }
                }
            }
            for t in &u.binding.tags {
                for c in std::iter::once(&t.entry.capability).chain(t.entry.spec.also_uses) {
                    note(&mut used_static, c);
                }
                if t.entry.spec.name == "comparator"
                    && let Some(arg) = t.arg
                {
                    for s in arg.strings() {
                        used.insert(format!("comparator-{}", s.value.to_ascii_lowercase()));
                    }
                }
            }
        }
        // Tags that conflict, repeat or stand where they do not belong were
        // meant as uses all the same (their own rules report them).
        for (u, issue) in model.issues() {
            let cap = match issue {
                crate::check::Issue::ConflictingTags { tag, .. }
                | crate::check::Issue::DuplicateTag { tag, .. } => u
                    .entry
                    .and_then(|e| e.tag(&tag.name))
                    .map(|te| te.capability),
                crate::check::Issue::UnknownTag { tag } => catalog().tag_capability(&tag.name),
                _ => None,
            };
            if let Some(cap) = cap
                && !used_static.contains(&cap)
            {
                used_static.push(cap);
            }
        }
        // Variables are used by any `${…}` reference too.
        if model.is_required("variables") && uses_variable_reference(model) {
            used_static.push("variables");
        }
        // The comments matter only to the fix of an unused require: found
        // on the first one (most scripts have none).
        let mut comments = None;
        let mut seen: Vec<String> = Vec::new();
        for r in &model.requires {
            let cap = r.capability.value.to_ascii_lowercase();
            if seen.contains(&cap) {
                continue;
            }
            seen.push(cap.clone());
            let checkable = catalog().use_is_visible(&cap)
                || (cap.starts_with("comparator-") && crate::ext::is_known_capability(&cap));
            // Requiring it may be how an implied extension is had.
            let implied_used = catalog()
                .extension(&cap)
                .is_some_and(|e| e.implies.iter().any(|i| used_static.contains(i)));
            if checkable
                && !implied_used
                && !used.contains(&cap)
                && !used_static.contains(&cap.as_str())
            {
                let fix = crate::fix::requires::remove_capability(
                    cx.source,
                    cx.script,
                    comments.get_or_insert_with(|| crate::syntax::comments::comments(cx.source)),
                    r.capability,
                    format!("remove {} from the require", show(&r.capability.value)),
                );
                cx.report(
                    r.capability.span,
                    format!(
                        "{} is required but never used",
                        crate::diagnostic::show(&r.capability.value)
                    ),
                )
                .with_primary_label("unused")
                .with_help("remove it from the require")
                .with_fix(fix);
            }
        }
    }
}

/// Does any string of the script contain a `${` reference?
fn uses_variable_reference(model: &crate::check::Model<'_>) -> bool {
    model.uses.iter().any(|u| {
        u.node
            .args()
            .args
            .iter()
            .any(|a| a.strings().iter().any(|s| s.value.contains("${")))
    })
}

/// Adds a capability once. Nearly every one is the very same static string
/// as before (the catalog's), so it is found by address first; the text is
/// compared only when the addresses differ.
fn note(used: &mut Vec<&'static str>, c: &'static str) {
    if !used.iter().any(|u| std::ptr::eq(*u, c) || *u == c) {
        used.push(c);
    }
}
