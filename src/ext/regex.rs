//! draft-ietf-sieve-regex-01 §2, §3: the `:regex` match type, and the
//! `:quoteregex` modifier of `set` (RFC 5229), behind the "regex"
//! capability.

use super::variables::QUOTING_MODIFIER;
use super::{Extension, Group, TagAddition, TagSpec};

pub static REGEX: Extension = Extension {
    // §2
    group_tags: &[(Group::MatchType, TagSpec::flag("regex"))],
    // §3: precedence 20, like `:quotewildcard`.
    tag_additions: &[TagAddition {
        targets: &["set"],
        tag: TagSpec::flag("quoteregex").exclusive(QUOTING_MODIFIER),
    }],
    ..Extension::new("regex", "draft-ietf-sieve-regex-01 §2, §3")
};
