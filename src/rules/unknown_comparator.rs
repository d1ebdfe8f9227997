use super::{Rule, declare_rule};
use crate::check::Context;
use crate::diagnostic::show;

declare_rule! {
    /// ## What it does
    /// Reports a `:comparator` naming a comparator that sieve-lint does not
    /// know: neither `i;octet` nor `i;ascii-casemap` (which every server
    /// has), nor one of the `comparator-<name>` extensions of the catalog
    /// (`i;ascii-numeric`, `i;unicode-casemap`, …). Names are compared
    /// without regard to case.
    ///
    /// Not reported: names built from variables (`"${cmp}"` with
    /// "variables" required), uses inside `if ihave "comparator-<name>"`,
    /// and names whose `comparator-<name>` capability the script requires
    /// (unknown-capability reports the `require` line instead).
    ///
    /// ## Why is this bad?
    /// A server refuses a script that names a comparator it does not
    /// implement. Typical causes are typos (`i;ascii-casemaps`), a missing
    /// `i;` prefix (`ascii-numeric`) and names of other products' collations.
    ///
    /// ## Example
    /// ```sieve
    /// if header :comparator "i;ascii-case" :is "subject" "hello" { keep; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// if header :comparator "i;ascii-casemap" :is "subject" "hello" { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §2.7.3; RFC 4790 §9
    ///
    /// ## Severity
    /// Error: RFC 5228 §2.7.3: "If a comparator declared with require is not
    /// known, it is an error, and execution fails."
    pub struct UnknownComparator {
        code: "SL0313",
        name: "unknown-comparator",
        severity: Error,
        summary: "a comparator that no known extension provides",
    }
}

/// Comparators every implementation has without a require (RFC 5228 §2.7.3).
const BUILT_IN: &[&str] = &["i;octet", "i;ascii-casemap"];

/// Every comparator the catalog knows, lower case.
fn known_comparators() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = BUILT_IN.to_vec();
    for ext in crate::ext::EXTENSIONS {
        if let Some(name) = ext.capability.strip_prefix("comparator-")
            && !out.contains(&name)
        {
            out.push(name);
        }
    }
    out
}

impl Rule for UnknownComparator {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        let variables = model.is_required("variables");
        let mut known: Option<Vec<&'static str>> = None;
        for u in &model.uses {
            for t in &u.binding.tags {
                if t.entry.spec.name != "comparator" {
                    continue;
                }
                let Some(arg) = t.arg else { continue };
                let [name] = arg.strings() else { continue };
                let lower = name.value.to_ascii_lowercase();
                if variables && lower.contains("${") {
                    continue;
                }
                let known = known.get_or_insert_with(known_comparators);
                let capability = format!("comparator-{lower}");
                if known.contains(&lower.as_str())
                    || model.is_required(&capability)
                    || u.guarded(&capability)
                {
                    continue;
                }
                let help = suggestion(&lower, known);
                cx.report(
                    name.span,
                    format!("unknown comparator {}", show(&name.value)),
                )
                .with_primary_label("no known extension provides this comparator")
                .with_help(help);
            }
        }
    }
}

/// "did you mean" for a close name; else the list of known names.
fn suggestion(name: &str, known: &[&str]) -> String {
    let trimmed = name.trim();
    if trimmed != name && known.contains(&trimmed) {
        return format!("remove the blanks and line breaks: {}", show(trimmed));
    }
    // A missing "i;" prefix is the most common slip.
    let prefixed = format!("i;{name}");
    if known.contains(&prefixed.as_str()) {
        return format!(
            "comparator names start with \"i;\": did you mean {}?",
            show(&prefixed)
        );
    }
    let close = known
        .iter()
        .map(|k| (super::unknown_capability::edit_distance(name, k), *k))
        .filter(|(d, _)| *d <= 3)
        .min();
    match close {
        Some((_, k)) => format!("did you mean {}?", show(k)),
        None => {
            let names: Vec<String> = known.iter().map(|k| show(k)).collect();
            format!("known comparators: {}", names.join(", "))
        }
    }
}
