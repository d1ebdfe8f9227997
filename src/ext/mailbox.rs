//! RFC 5490 §3.1, §3.2: the `mailboxexists` test and `:create` on
//! `fileinto`, behind the "mailbox" capability.

use super::{Arg, Extension, Signature, TagAddition, TagSpec};

pub static MAILBOX: Extension = Extension {
    tests: &[
        // §3.1
        Signature {
            positional: &[Arg::strings("mailbox-names")],
            ..Signature::new("mailboxexists")
        },
    ],
    // §3.2
    tag_additions: &[TagAddition {
        // RFC 8580 §4: also with :fcc on vacation and notify.
        targets: &["fileinto", "vacation", "notify"],
        tag: TagSpec::flag("create"),
    }],
    ..Extension::new("mailbox", "RFC 5490 §3.1, §3.2")
};
