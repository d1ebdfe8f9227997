use super::{Rule, declare_rule};
use crate::check::{Context, Issue, Model, Use};
use crate::diagnostic::show;
use crate::ext::catalog;
use crate::hash::{FastMap, FastSet};
use crate::syntax::ast::Argument;
use std::sync::LazyLock;

declare_rule! {
    /// ## What it does
    /// Reports a required extension that nothing in the script uses.
    ///
    /// An extension counts as used when anything in the script needs it or
    /// was meant to use it: one of its commands, tests or tags (also where
    /// a tag conflicts, repeats or stands on the wrong command), a value
    /// that belongs to it (an envelope part of envelope-dsn, the variable
    /// name of `addflag`, which needs "variables"), a variable namespace it
    /// defines (`global.` is "include"'s, RFC 6609 §3.5), a `${…}`
    /// reference ("variables"), a comparator it provides, a tag of an
    /// unknown (vendor) command, and the did-you-mean of an unknown
    /// command, test or tag (`filinto` keeps "fileinto": the typo is the
    /// problem, and removing the require would only hide the next one).
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
    ///
    /// ## Severity
    /// Warning: valid (RFC 5228 §3.2), but an unused require makes the script
    /// fail for nothing on servers that lack the extension, and is almost
    /// surely left over.
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
        // Each capability once, and only those whose every use shows.
        let mut seen: FastSet<String> = FastSet::default();
        let candidates: Vec<_> = model
            .requires
            .iter()
            .filter(|r| {
                // A capability in another case is no capability at all
                // (RFC 5228 §6): unknown-capability reports it.
                if r.capability.value.bytes().any(|b| b.is_ascii_uppercase()) {
                    return false;
                }
                let cap = r.capability.value.to_ascii_lowercase();
                let checkable = catalog().use_is_visible(&cap)
                    || (cap.starts_with("comparator-") && crate::ext::is_known_capability(&cap));
                checkable && seen.insert(cap)
            })
            .collect();
        if candidates.is_empty() {
            return;
        }
        let used = Used::of(model);
        let unused: Vec<_> = candidates
            .into_iter()
            .filter(|r| !used.covers(&r.capability.value.to_ascii_lowercase()))
            .collect();
        if unused.is_empty() {
            return;
        }
        // One fix per require command removes all its unused capabilities
        // (as ruff does for the names of one import): the same fix on each
        // of their diagnostics. The comments matter only to the fixes.
        let comments = crate::syntax::comments::comments(cx.source);
        let leading = crate::fix::requires::leading_requires(cx.script);
        let mut fixes: Vec<(&crate::syntax::ast::Command, Option<crate::fix::Fix>)> = Vec::new();
        for r in &unused {
            if fixes.iter().any(|(c, _)| std::ptr::eq(*c, r.command)) {
                continue;
            }
            let caps: Vec<_> = unused
                .iter()
                .filter(|x| std::ptr::eq(x.command, r.command))
                .map(|x| x.capability)
                .collect();
            let names: Vec<String> = caps.iter().map(|c| show(&c.value)).collect();
            let fix = crate::fix::requires::remove_all_from(
                cx.source,
                leading,
                &comments,
                r.command,
                &caps,
                format!("remove {} from the require", names.join(", ")),
            );
            fixes.push((r.command, fix));
        }
        for r in unused {
            let fix = fixes
                .iter()
                .find(|(c, _)| std::ptr::eq(*c, r.command))
                .and_then(|(_, f)| f.clone());
            cx.report(
                r.capability.span,
                format!("{} is required but never used", show(&r.capability.value)),
            )
            .with_primary_label("unused")
            .with_help("remove it from the require")
            .with_fix(fix);
        }
    }
}

/// The capabilities a script uses or was meant to use (see the rule's
/// documentation), found in one pass over the model.
#[derive(Debug, Default)]
pub(crate) struct Used {
    /// Few distinct capabilities: a vector beats hashing per use.
    caps: Vec<&'static str>,
    /// `comparator-…` capabilities named by `:comparator`, lower case.
    comparators: FastSet<String>,
    /// A `:comparator` name built from variables (RFC 5229 §3): it may
    /// name any required comparator at run time.
    any_comparator: bool,
}

impl Used {
    pub(crate) fn of(model: &Model<'_>) -> Used {
        let mut used = Used::default();
        let variables = model.is_required("variables");
        // Unknown names repeat: their did-you-mean is found once per name.
        let mut meant: FastMap<String, Option<&'static str>> = FastMap::default();
        for u in &model.uses {
            match u.entry {
                Some(e) => {
                    used.note(e.capability);
                    // A name two required extensions define (`duplicate` of
                    // RFC 7352 and of vnd.dovecot.duplicate) may be either's:
                    // neither require is unused (requiring both is its own
                    // finding, unknown-capability's).
                    for p in catalog().providers_of_name(&u.node.name().name) {
                        if model.is_required(p) {
                            used.note(p);
                        }
                    }
                    used.note_all(e.sig.also_uses);
                    if let Some(f) = e.argument_uses {
                        let mut caps = Vec::new();
                        f(u, &mut caps);
                        used.note_all(&caps);
                    }
                }
                None => {
                    if let Some(c) = meant_capability(u, &mut meant) {
                        used.note(c);
                    }
                    // The tags of an unknown (vendor) command are still the
                    // extensions' that define them (`pipe :copy`), and a
                    // comparator named after `:comparator` is still used.
                    let args = &u.node.args().args;
                    for (i, a) in args.iter().enumerate() {
                        if let Argument::Tag(t) = a {
                            used.note_all(tag_providers(&t.name));
                            if t.is("comparator")
                                && let Some(Argument::String(name)) = args.get(i + 1)
                            {
                                used.note_comparator(&name.value, variables);
                            }
                        }
                    }
                }
            }
            for t in &u.binding.tags {
                used.note(t.entry.capability);
                used.note_all(t.entry.spec.also_uses);
                if t.entry.spec.name == "comparator"
                    && let Some(arg) = t.arg
                {
                    for s in arg.strings() {
                        used.note_comparator(&s.value, variables);
                    }
                }
            }
            // Tags that conflict, repeat or stand where they do not belong
            // were meant as uses all the same (their own rules report them).
            for issue in u.issues() {
                match issue {
                    Issue::ConflictingTags { tag, .. } | Issue::DuplicateTag { tag, .. } => {
                        if let Some(te) = u.entry.and_then(|e| e.tag(&tag.name)) {
                            used.note(te.capability);
                        }
                    }
                    Issue::UnknownTag { tag } => {
                        used.note_all(tag_providers(&tag.name));
                        if let Some(te) = u
                            .entry
                            .and_then(|e| super::unknown_tag::closest_tag(e, &tag.name))
                        {
                            used.note(te.capability);
                        }
                    }
                    _ => {}
                }
            }
            if u.node.name().is("require") {
                continue;
            }
            // Variable names in a namespace (`set "global.a"`) need the
            // extension that defines it.
            for (lit, _) in super::invalid_variable_name::name_slots(u) {
                if let Some(c) = crate::ext::variables::namespace_capability(&lit.value) {
                    used.note(c);
                }
            }
            // Any `${` relies on "variables" (with it, such strings are
            // values built at run time, which other rules leave alone), and
            // a reference in a namespace on the namespace's extension.
            if variables || u.guarded("variables") {
                for s in u.node.args().args.iter().flat_map(Argument::strings) {
                    if !s.value.contains("${") {
                        continue;
                    }
                    used.note("variables");
                    for name in crate::ext::variables::references(&s.value) {
                        if let Some(c) = crate::ext::variables::namespace_capability(name) {
                            used.note(c);
                        }
                    }
                }
            }
        }
        used
    }

    /// Is the capability (lower case) used, or is requiring it how an
    /// extension it implies is had ("vacation-seconds" for `vacation`)?
    pub(crate) fn covers(&self, cap: &str) -> bool {
        self.has(cap)
            || self.comparators.contains(cap)
            || (self.any_comparator && cap.starts_with("comparator-"))
            || catalog()
                .extension(cap)
                .is_some_and(|e| e.implies.iter().any(|i| self.has(i)))
    }

    fn has(&self, cap: &str) -> bool {
        self.caps.iter().any(|c| c.eq_ignore_ascii_case(cap))
    }

    /// Adds a capability once. Nearly every one is the very same static
    /// string as before (the catalog's), so it is found by address first;
    /// the text is compared only when the addresses differ.
    fn note(&mut self, c: &'static str) {
        if !self.caps.iter().any(|u| std::ptr::eq(*u, c) || *u == c) {
            self.caps.push(c);
        }
    }

    fn note_comparator(&mut self, name: &str, variables: bool) {
        if variables && name.contains("${") {
            self.any_comparator = true;
            return;
        }
        self.comparators
            .insert(format!("comparator-{}", name.to_ascii_lowercase()));
    }

    fn note_all(&mut self, caps: &[&'static str]) {
        for c in caps {
            self.note(c);
        }
    }
}

/// The capability of what an unknown command or test was meant to be, as
/// unknown-command and unknown-test suggest it: a test used as a command
/// (or the reverse) is that test, else the name within two edits.
fn meant_capability(
    u: &Use<'_>,
    cache: &mut FastMap<String, Option<&'static str>>,
) -> Option<&'static str> {
    let name = &u.node.name().name;
    let key = format!("{}{}", u.node.kind(), name.to_ascii_lowercase());
    if let Some(c) = cache.get(&key) {
        return *c;
    }
    let cat = catalog();
    let entry = if u.node.is_command() {
        cat.test(name).or_else(|| {
            super::unknown_command::closest(name, cat.command_names()).and_then(|n| cat.command(n))
        })
    } else {
        cat.command(name).or_else(|| {
            super::unknown_command::closest(name, cat.test_names()).and_then(|n| cat.test(n))
        })
    };
    let cap = entry.map(|e| e.capability);
    cache.insert(key, cap);
    cap
}

/// Every capability that defines a tag of this name, on any command or
/// test.
fn tag_providers(name: &str) -> &'static [&'static str] {
    static PROVIDERS: LazyLock<FastMap<&'static str, Vec<&'static str>>> = LazyLock::new(|| {
        let cat = catalog();
        let mut map: FastMap<&'static str, Vec<&'static str>> = FastMap::default();
        let entries = cat
            .command_names()
            .filter_map(|n| cat.command(n))
            .chain(cat.test_names().filter_map(|n| cat.test(n)));
        for e in entries {
            for t in &e.tags {
                let caps = map.entry(t.spec.name).or_default();
                if !caps.contains(&t.capability) {
                    caps.push(t.capability);
                }
            }
        }
        map
    });
    PROVIDERS
        .get(name.to_ascii_lowercase().as_str())
        .map_or(&[], Vec::as_slice)
}
