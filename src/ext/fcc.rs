//! RFC 8580: the "fcc" extension — the `:fcc` argument of `vacation`
//! (RFC 5230) and `notify` (RFC 5435).
//!
//! RFC 8580 lets `:create` ("mailbox", RFC 5490), `:flags` ("imap4flags",
//! RFC 5232) and `:specialuse` ("special-use", RFC 8579) accompany `:fcc`,
//! and RFC 9042 adds `:mailboxid` ("mailboxid"); those tags belong to their
//! own extensions, which attach them. Not checked: that they appear on
//! `vacation` and `notify` only together with `:fcc`.

use super::{Arg, Extension, TagAddition, TagSpec};

pub static FCC: Extension = Extension {
    tag_additions: &[TagAddition {
        targets: &["vacation", "notify"],
        tag: TagSpec::with_arg("fcc", Arg::string("mailbox"))
            .doc("Files a copy of the reply or notification sent into the named mailbox."),
    }],
    doc: "Adds :fcc to vacation and notify, to keep a copy of what they send.",
    ..Extension::new("fcc", "RFC 8580")
};
