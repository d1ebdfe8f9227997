//! draft-ietf-sieve-regex-01 §2, §3: the `:regex` match type, and the
//! `:quoteregex` modifier of `set` (RFC 5229), behind the "regex"
//! capability.

use super::variables::QUOTING_MODIFIER;
use super::{Extension, Group, TagAddition, TagSpec};

pub static REGEX: Extension = Extension {
    // §2
    group_tags: &[(
        Group::MatchType,
        TagSpec::flag("regex").doc("Matches a key as an extended regular expression (POSIX ERE)."),
    )],
    // §3: precedence 20, like `:quotewildcard`.
    tag_additions: &[TagAddition {
        targets: &["set"],
        tag: TagSpec::flag("quoteregex")
            .doc("Escapes the regular expression special characters of the value being set.")
            .exclusive(QUOTING_MODIFIER),
    }],
    doc: "Adds the :regex match type, for regular expressions (draft, not an RFC).",
    ..Extension::new("regex", "draft-ietf-sieve-regex-01 §2, §3")
};
