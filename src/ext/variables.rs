//! RFC 5229 §4, §5: the `set` action with its modifiers and the `string`
//! test, behind the "variables" capability.

use super::{Arg, Extension, Group, Signature, TagSpec};

/// §4.1: modifiers of the same precedence may not be combined, so each
/// precedence is an exclusive set.
const CASE_MODIFIER: &str = "case modifier (precedence 40)";
const FIRST_LETTER_MODIFIER: &str = "first-letter case modifier (precedence 30)";
/// Shared with `:quoteregex` of the "regex" extension.
pub const QUOTING_MODIFIER: &str = "quoting modifier (precedence 20)";
const LENGTH_MODIFIER: &str = "length modifier (precedence 10)";

pub static VARIABLES: Extension = Extension {
    commands: &[
        // §4
        Signature {
            tags: &[
                TagSpec::flag("lower").exclusive(CASE_MODIFIER),
                TagSpec::flag("upper").exclusive(CASE_MODIFIER),
                TagSpec::flag("lowerfirst").exclusive(FIRST_LETTER_MODIFIER),
                TagSpec::flag("upperfirst").exclusive(FIRST_LETTER_MODIFIER),
                TagSpec::flag("quotewildcard").exclusive(QUOTING_MODIFIER),
                TagSpec::flag("length").exclusive(LENGTH_MODIFIER),
            ],
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
    ..Extension::new("variables", "RFC 5229 §4, §5")
};
