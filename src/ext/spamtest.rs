//! RFC 5235 §3.2: the `spamtest` test, behind the "spamtest" capability.
//! Its value is usually compared with `:value` (RFC 5231) and the
//! "i;ascii-numeric" comparator.

use super::{Arg, Extension, Group, Signature};

pub static SPAMTEST: Extension = Extension {
    tests: &[Signature {
        groups: &[Group::Comparator, Group::MatchType],
        positional: &[Arg::string("value")],
        doc: "Compares the spam score, \"0\" (not checked) or \"1\" (clean) to \"10\" (spam), with the keys.",
        ..Signature::new("spamtest")
    }],
    doc: "Adds the spamtest test, to act on the spam score the server gave the message.",
    ..Extension::new("spamtest", "RFC 5235 §3.2")
};
