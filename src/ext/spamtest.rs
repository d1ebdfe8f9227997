//! RFC 5235 §3.2: the `spamtest` test, behind the "spamtest" capability.
//! Its value is usually compared with `:value` (RFC 5231) and the
//! "i;ascii-numeric" comparator.

use super::{Arg, Extension, Group, Signature};

pub static SPAMTEST: Extension = Extension {
    tests: &[Signature {
        groups: &[Group::Comparator, Group::MatchType],
        positional: &[Arg::string("value")],
        ..Signature::new("spamtest")
    }],
    ..Extension::new("spamtest", "RFC 5235 §3.2")
};
