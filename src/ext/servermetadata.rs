//! RFC 5490 §3.5, §3.6: the `servermetadata` and `servermetadataexists`
//! tests on server annotations, behind the "servermetadata" capability.

use super::{Arg, Extension, Group, Signature};

pub static SERVERMETADATA: Extension = Extension {
    tests: &[
        // §3.5
        Signature {
            groups: &[Group::MatchType, Group::Comparator],
            positional: &[Arg::string("annotation-name"), Arg::strings("key-list")],
            doc: "Compares the value of a server metadata annotation with the keys.",
            ..Signature::new("servermetadata")
        },
        // §3.6
        Signature {
            positional: &[Arg::strings("annotation-names")],
            doc: "True when the server has every one of the named metadata annotations.",
            ..Signature::new("servermetadataexists")
        },
    ],
    doc: "Adds tests of the IMAP metadata (annotations) of the server.",
    ..Extension::new("servermetadata", "RFC 5490 §3.5, §3.6")
};
