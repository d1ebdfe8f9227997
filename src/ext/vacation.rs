//! RFC 5230 §4: the `vacation` action, behind the "vacation" capability.

use super::{Arg, Extension, Signature, TagSpec};

/// The exclusive set of `:days` and, with "vacation-seconds" (RFC 6131),
/// `:seconds`.
pub const PERIOD: &str = "period";

pub static VACATION: Extension = Extension {
    commands: &[Signature {
        tags: &[
            // §4.1
            TagSpec::with_arg("days", Arg::number("days")).exclusive(PERIOD),
            // §4.3
            TagSpec::with_arg("subject", Arg::string("subject")),
            TagSpec::with_arg("from", Arg::string("from")),
            // §4.5
            TagSpec::with_arg("addresses", Arg::strings("addresses")),
            // §4.4
            TagSpec::flag("mime"),
            // §4.2
            TagSpec::with_arg("handle", Arg::string("handle")),
        ],
        positional: &[Arg::string("reason")],
        ..Signature::new("vacation")
    }],
    ..Extension::new("vacation", "RFC 5230 §4")
};
