//! RFC 5490 §3.5, §3.6: the `servermetadata` and `servermetadataexists`
//! tests on server annotations, behind the "servermetadata" capability.

use super::{Arg, Extension, Group, Signature};

pub static SERVERMETADATA: Extension = Extension {
    tests: &[
        // §3.5
        Signature {
            groups: &[Group::MatchType, Group::Comparator],
            positional: &[Arg::string("annotation-name"), Arg::strings("key-list")],
            ..Signature::new("servermetadata")
        },
        // §3.6
        Signature {
            positional: &[Arg::strings("annotation-names")],
            ..Signature::new("servermetadataexists")
        },
    ],
    ..Extension::new("servermetadata", "RFC 5490 §3.5, §3.6")
};
