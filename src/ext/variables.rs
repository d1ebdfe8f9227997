//! RFC 5229 §4, §5: the `set` action with its modifiers and the `string`
//! test, behind the "variables" capability.

use super::{Arg, Extension, Group, Signature, TagAddition, TagSpec};

/// §4.1: modifiers of the same precedence may not be combined, so each
/// precedence is an exclusive set.
const CASE_MODIFIER: &str = "case modifier (precedence 40)";
const FIRST_LETTER_MODIFIER: &str = "first-letter case modifier (precedence 30)";
/// Shared with `:quoteregex` of the "regex" extension.
pub const QUOTING_MODIFIER: &str = "quoting modifier (precedence 20)";
const LENGTH_MODIFIER: &str = "length modifier (precedence 10)";

/// Commands that take the `set` modifiers (RFC 5229 §4.1).
pub const MODIFIER_TARGETS: &[&str] = &["set", "extracttext"];

const fn modifier(tag: TagSpec) -> TagAddition {
    TagAddition {
        targets: MODIFIER_TARGETS,
        tag,
    }
}

pub static VARIABLES: Extension = Extension {
    commands: &[
        // §4
        // The modifiers are tag additions below: `extracttext` (RFC 5703
        // §7) takes the same ones.
        Signature {
            positional: &[Arg::string("name"), Arg::string("value")],
            doc: "Stores the value in the named variable; ${name} in later strings expands to it.",
            ..Signature::new("set")
        },
    ],
    tests: &[
        // §5
        Signature {
            groups: &[Group::MatchType, Group::Comparator],
            positional: &[Arg::strings("source"), Arg::strings("key-list")],
            doc: "Compares strings (usually built from ${...} variables) with the keys.",
            ..Signature::new("string")
        },
    ],
    tag_additions: &[
        modifier(
            TagSpec::flag("lower")
                .doc("Turns the value into lower case.")
                .exclusive(CASE_MODIFIER),
        ),
        modifier(
            TagSpec::flag("upper")
                .doc("Turns the value into upper case.")
                .exclusive(CASE_MODIFIER),
        ),
        modifier(
            TagSpec::flag("lowerfirst")
                .doc("Turns the first character of the value into lower case.")
                .exclusive(FIRST_LETTER_MODIFIER),
        ),
        modifier(
            TagSpec::flag("upperfirst")
                .doc("Turns the first character of the value into upper case.")
                .exclusive(FIRST_LETTER_MODIFIER),
        ),
        modifier(
            TagSpec::flag("quotewildcard")
                .doc(
                    "Escapes *, ? and \\ in the value, so a :matches pattern takes them literally.",
                )
                .exclusive(QUOTING_MODIFIER),
        ),
        modifier(
            TagSpec::flag("length")
                .doc("Replaces the value with its length in characters.")
                .exclusive(LENGTH_MODIFIER),
        ),
    ],
    doc: "Adds variables: set stores values, ${name} uses them, string tests them.",
    ..Extension::new("variables", "RFC 5229 §4, §5")
};

/// Variable namespaces other extensions define (RFC 5229 §3: `namespace "."
/// variable-name`), with the capability that makes each available: "global"
/// is RFC 6609 §3.5's (references to it without "include" required MUST be
/// an error), "env" is Dovecot's vnd.dovecot.environment (its §4).
pub const NAMESPACES: &[(&str, &str)] =
    &[("global", "include"), ("env", "vnd.dovecot.environment")];

/// The capability that defines the namespace of a variable name
/// (`global.x` → "include"), if it has a known one. Namespaces are
/// compared without regard to case, like variable names (RFC 5229 §3).
pub fn namespace_capability(name: &str) -> Option<&'static str> {
    let (ns, _) = name.split_once('.')?;
    NAMESPACES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(ns))
        .map(|(_, cap)| *cap)
}

/// The names of the well-formed `${…}` references in a string, in order
/// (RFC 5229 §3: `"${" variable-name "}"` — letters, digits, `_` and `.`).
/// `${hex:…}` and other text that is not a reference is skipped.
pub fn references(s: &str) -> impl Iterator<Item = &str> {
    located_references(s).map(|(_, name)| name)
}

/// [`references`] with the byte offset of each reference's `${` in `s`
/// (the language server's go to definition finds the one at the cursor).
pub fn located_references(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(at) = s.get(from..)?.find("${").map(|i| i + from) {
            let rest = &s[at + 2..];
            let n = rest
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
                .count();
            if n > 0 && rest.as_bytes().get(n) == Some(&b'}') {
                from = at + 2 + n + 1;
                return Some((at, &rest[..n]));
            }
            from = at + 2;
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_the_well_formed_ones_in_order() {
        let got: Vec<&str> = references("${a}${global.x}${hex:41}${ b}${${c}}${").collect();
        assert_eq!(got, ["a", "global.x", "c"]);
        assert_eq!(references("").count(), 0);
        assert_eq!(references("${}").count(), 0);
    }

    #[test]
    fn namespaces_name_their_capability() {
        assert_eq!(namespace_capability("global.a"), Some("include"));
        assert_eq!(namespace_capability("GLOBAL.a"), Some("include"));
        assert_eq!(
            namespace_capability("env.vnd.dovecot.x"),
            Some("vnd.dovecot.environment")
        );
        assert_eq!(namespace_capability("global"), None);
        assert_eq!(namespace_capability("other.a"), None);
        assert_eq!(namespace_capability("1"), None);
    }
}
