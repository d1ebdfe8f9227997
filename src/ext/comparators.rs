//! The comparators a script may name with `:comparator` (RFC 5228 §2.7.3),
//! each behind a `comparator-<name>` capability. They add no command, test
//! or tag. "i;octet" and "i;ascii-casemap" are available without a require.
//!
//! Validation ([`validate_match`], run for every use that takes a
//! comparator, through the base language's file): a comparator without
//! the substring operation may not be used with a match type that needs it.
//! RFC 5228 §2.7.1: "It is an error to use a comparator with ":contains"
//! or ":matches" that is not compatible with it"; §2.7.3 says it again.
//! RFC 4790 §9.1: "i;ascii-numeric" "does not support the substring
//! operation". `:regex` is "subject to the same rules and restrictions as
//! the standard match types" (draft-murchison-sieve-regex §3), and is
//! compatible with "i;octet" and "i;ascii-casemap" only.
//!
//! A comparator name built from variables is valid (RFC 5229 §3 expands
//! every string; checked at run time) but Pigeonhole 0.5 refuses it at
//! upload: an error for the Dovecot targets, nothing otherwise.

use super::{Extension, Validation};

/// RFC 4790 §9.3
pub static OCTET: Extension = Extension {
    doc: "Compares strings byte by byte, so case matters.",
    ..Extension::new("comparator-i;octet", "RFC 4790 §9.3")
};

/// RFC 4790 §9.2
pub static ASCII_CASEMAP: Extension = Extension {
    doc: "Compares strings ignoring the case of ASCII letters (the default comparator).",
    ..Extension::new("comparator-i;ascii-casemap", "RFC 4790 §9.2")
};

/// RFC 4790 §9.1
pub static ASCII_NUMERIC: Extension = Extension {
    doc: "Compares strings as whole numbers by their leading digits.",
    ..Extension::new("comparator-i;ascii-numeric", "RFC 4790 §9.1")
};

/// RFC 5051
pub static UNICODE_CASEMAP: Extension = Extension {
    doc: "Compares strings ignoring case for all Unicode letters, not only ASCII ones.",
    ..Extension::new("comparator-i;unicode-casemap", "RFC 5051")
};

/// Comparators that offer equality and ordering but no substring
/// operation (RFC 4790 §9.1.2: `<operations>equality order</operations>`).
const NO_SUBSTRING: &[&str] = &["i;ascii-numeric"];

/// Match types that need the comparator's substring operation: `:contains`
/// and `:matches` (RFC 5228 §2.7.1), `:regex` (draft-murchison-sieve-regex
/// §3). `:is`, `:value` and `:count` (RFC 5231) need equality and ordering
/// only.
const SUBSTRING_MATCHES: &[&str] = &["contains", "matches", "regex"];

/// A substring match type with a comparator that has no substring
/// operation: an error (RFC 5228 §2.7.1, §2.7.3; RFC 4790 §9.1).
pub(super) fn validate_match(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    let Some(comparator) = u.binding.tag("comparator") else {
        return;
    };
    let Some([name]) = comparator.arg.map(|a| a.strings()) else {
        return;
    };
    if name.value.contains("${") && v.has("variables") {
        // RFC 5229 §3 expands variables in every string, the comparator
        // name too (valid, checked at run time); Pigeonhole 0.5 refuses
        // that at upload ("only supports a literal string argument for the
        // :comparator tag"): an error for the Dovecot targets only.
        if v.dovecot() {
            v.error(
                name.span,
                format!(
                    "Dovecot refuses the comparator name {} built from variables",
                    crate::diagnostic::show(&name.value)
                ),
            )
            .with_primary_label("known only at run time")
            .with_help(
                "valid (RFC 5229 §3), but Dovecot refuses it at upload; name the comparator \
                 literally, e.g. in an if/elsif per comparator",
            );
        }
        return;
    }
    let Some(cmp) = NO_SUBSTRING
        .iter()
        .find(|c| c.eq_ignore_ascii_case(&name.value))
    else {
        return;
    };
    let Some(mt) = u.binding.tags.iter().find(|t| {
        t.entry.exclusive == Some("match type") && SUBSTRING_MATCHES.contains(&t.entry.spec.name)
    }) else {
        return;
    };
    let tag = mt.entry.spec.name;
    v.error(
        mt.tag.span,
        format!("comparator \"{cmp}\" cannot be used with :{tag}"),
    )
    .with_primary_label(format!(":{tag} needs a substring match"))
    .with_label(name.span, format!("\"{cmp}\" compares whole numbers only"))
    .with_help(
        "RFC 4790 §9.1: i;ascii-numeric has no substring operation (RFC 5228 §2.7.1); \
         use :is, or :value/:count of \"relational\", or another comparator",
    );
}
