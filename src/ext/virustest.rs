//! RFC 5235 §3.3: the `virustest` test, behind the "virustest" capability.

use super::{Arg, Extension, Group, Signature};

pub static VIRUSTEST: Extension = Extension {
    tests: &[Signature {
        groups: &[Group::Comparator, Group::MatchType],
        positional: &[Arg::string("value")],
        doc: "Compares the virus result, \"0\" (not checked) or \"1\" (clean) to \"5\" (infected), with the keys.",
        ..Signature::new("virustest")
    }],
    doc: "Adds the virustest test, to act on the server's virus check of the message.",
    ..Extension::new("virustest", "RFC 5235 §3.3")
};
