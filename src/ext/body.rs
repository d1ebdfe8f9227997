//! RFC 5173 §4, §5: the `body` test and its transforms (`:raw`,
//! `:content`, `:text`), behind the "body" capability.

use super::{Arg, Extension, Group, Signature, TagSpec};

pub static BODY: Extension = Extension {
    tests: &[Signature {
        tags: &[
            // §5: at most one BODY-TRANSFORM.
            TagSpec::flag("raw").doc("Searches the body as it is, without decoding and with MIME structure included.").exclusive("body transform"),
            TagSpec::with_arg("content", Arg::strings("content-types")).doc("Searches only the MIME parts of the given content types (\"text\", \"image/png\"), decoded.").exclusive("body transform"),
            TagSpec::flag("text").doc("Searches the decoded text parts of the body (the default).").exclusive("body transform"),
        ],
        groups: &[Group::Comparator, Group::MatchType],
        positional: &[Arg::strings("key-list")],
        doc: "Compares the body of the message with the keys; :raw, :content or :text picks which part.",
..Signature::new("body")
    }],
    doc: "Adds the body test, to search the message body.",
..Extension::new("body", "RFC 5173 §4, §5")
};
