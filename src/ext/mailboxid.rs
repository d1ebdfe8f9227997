//! RFC 9042: the "mailboxid" extension — the `:mailboxid` argument of
//! `fileinto` (and of `:fcc`, RFC 8580, on `vacation` and `notify`) and
//! the `mailboxidexists` test.
//!
//! Not checked: on `vacation` and `notify`, `:mailboxid` goes only with
//! `:fcc`.

use super::{Arg, Extension, Signature, TagAddition, TagSpec};

pub static MAILBOXID: Extension = Extension {
    tests: &[
        // mailboxidexists <mailbox-objectids: string-list>
        Signature {
            positional: &[Arg::strings("mailbox-objectids")],
            doc: "True when every given mailbox id names an existing mailbox.",
            ..Signature::new("mailboxidexists")
        },
    ],
    // fileinto [":mailboxid" <mailboxid: string>] <mailbox: string>
    tag_additions: &[TagAddition {
        targets: &["fileinto", "vacation", "notify"],
        tag: TagSpec::with_arg("mailboxid", Arg::string("mailboxid")).doc(
            "Files into the mailbox with this unique id when it exists, else into the named one.",
        ),
    }],
    doc: "Lets scripts name mailboxes by their unique id (IMAP OBJECTID), which survives renames.",
    ..Extension::new("mailboxid", "RFC 9042")
};
