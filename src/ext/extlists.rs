//! RFC 6134: externally stored lists — the `:list` match type (§2.2),
//! `redirect :list` (§2.3) and the `valid_ext_list` test (§2.7).
//!
//! `:list` is a match type, but it is given its own exclusive set so that
//! the extlists rules (SL01xx), not the generic conflicting-tags rule,
//! report it together with another match type.

use super::{Arg, Extension, Group, Signature, TagAddition, TagSpec};

/// Tests that support `:list` (RFC 6134 §2.2: address, envelope, header,
/// and string when variables is in use; §2.9 example 2 uses currentdate,
/// so date and currentdate are supported too).
pub const LIST_TESTS: &[&str] = &[
    "address",
    "envelope",
    "header",
    "string",
    "date",
    "currentdate",
];

pub static EXTLISTS: Extension = Extension {
    tests: &[Signature {
        positional: &[Arg::strings("ext-list-names")],
        doc: "True when every named external list exists and can be used.",
..Signature::new("valid_ext_list")
    }],
    group_tags: &[(
        Group::MatchType,
        TagSpec::flag("list").doc("Matches when the value is a member of one of the external lists named by the keys.").exclusive("list match type"),
    )],
    tag_additions: &[TagAddition {
        targets: &["redirect"],
        tag: TagSpec::flag("list").doc("Sends the message to every address of the named external list instead of one address."),
    }],
    doc: "Lets tests and redirect use lists kept outside the script, such as an address book.",
..Extension::new("extlists", "RFC 6134")
};
