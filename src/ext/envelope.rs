//! RFC 5228 §5.4: the `envelope` test, behind the "envelope" capability.

use super::{Arg, Extension, Group, Signature};

pub static ENVELOPE: Extension = Extension {
    tests: &[Signature {
        groups: &[Group::Comparator, Group::AddressPart, Group::MatchType],
        positional: &[Arg::strings("envelope-part"), Arg::strings("key-list")],
        ..Signature::new("envelope")
    }],
    ..Extension::new("envelope", "RFC 5228 §5.4")
};
