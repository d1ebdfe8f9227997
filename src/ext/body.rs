//! RFC 5173 §4, §5: the `body` test and its transforms (`:raw`,
//! `:content`, `:text`), behind the "body" capability.

use super::{Arg, Extension, Group, Signature, TagSpec};

pub static BODY: Extension = Extension {
    tests: &[Signature {
        tags: &[
            // §5: at most one BODY-TRANSFORM.
            TagSpec::flag("raw").exclusive("body transform"),
            TagSpec::with_arg("content", Arg::strings("content-types")).exclusive("body transform"),
            TagSpec::flag("text").exclusive("body transform"),
        ],
        groups: &[Group::Comparator, Group::MatchType],
        positional: &[Arg::strings("key-list")],
        ..Signature::new("body")
    }],
    ..Extension::new("body", "RFC 5173 §4, §5")
};
