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
            ..Signature::new("set")
        },
    ],
    tests: &[
        // §5
        Signature {
            groups: &[Group::MatchType, Group::Comparator],
            positional: &[Arg::strings("source"), Arg::strings("key-list")],
            ..Signature::new("string")
        },
    ],
    tag_additions: &[
        modifier(TagSpec::flag("lower").exclusive(CASE_MODIFIER)),
        modifier(TagSpec::flag("upper").exclusive(CASE_MODIFIER)),
        modifier(TagSpec::flag("lowerfirst").exclusive(FIRST_LETTER_MODIFIER)),
        modifier(TagSpec::flag("upperfirst").exclusive(FIRST_LETTER_MODIFIER)),
        modifier(TagSpec::flag("quotewildcard").exclusive(QUOTING_MODIFIER)),
        modifier(TagSpec::flag("length").exclusive(LENGTH_MODIFIER)),
    ],
    ..Extension::new("variables", "RFC 5229 §4, §5")
};
