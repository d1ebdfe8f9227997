//! RFC 5235 §3.3: the `virustest` test, behind the "virustest" capability.

use super::{Arg, Extension, Group, Signature};

pub static VIRUSTEST: Extension = Extension {
    tests: &[Signature {
        groups: &[Group::Comparator, Group::MatchType],
        positional: &[Arg::string("value")],
        ..Signature::new("virustest")
    }],
    ..Extension::new("virustest", "RFC 5235 §3.3")
};
