//! RFC 5490 §3.3, §3.4: the `metadata` and `metadataexists` tests on
//! mailbox annotations, behind the "mboxmetadata" capability.

use super::{Arg, Extension, Group, Signature};

pub static MBOXMETADATA: Extension = Extension {
    tests: &[
        // §3.3
        Signature {
            groups: &[Group::MatchType, Group::Comparator],
            positional: &[
                Arg::string("mailbox"),
                Arg::string("annotation-name"),
                Arg::strings("key-list"),
            ],
            doc: "Compares the value of a metadata annotation of the mailbox with the keys.",
            ..Signature::new("metadata")
        },
        // §3.4
        Signature {
            positional: &[Arg::string("mailbox"), Arg::strings("annotation-names")],
            doc: "True when the mailbox has every one of the named metadata annotations.",
            ..Signature::new("metadataexists")
        },
    ],
    doc: "Adds tests of the IMAP metadata (annotations) of a mailbox.",
    ..Extension::new("mboxmetadata", "RFC 5490 §3.3, §3.4")
};
