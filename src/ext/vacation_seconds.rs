//! RFC 6131 §2: `:seconds` on `vacation`, instead of `:days`, behind the
//! "vacation-seconds" capability.

use super::vacation::PERIOD;
use super::{Arg, Extension, TagAddition, TagSpec};

pub static VACATION_SECONDS: Extension = Extension {
    tag_additions: &[TagAddition {
        targets: &["vacation"],
        tag: TagSpec::with_arg("seconds", Arg::number("seconds"))
            .doc("How many seconds to wait before replying to the same sender again.")
            .exclusive(PERIOD),
    }],
    // RFC 6131 §2: "vacation-seconds" implies "vacation".
    implies: &["vacation"],
    doc: "Adds :seconds to vacation, to set the reply interval in seconds rather than days.",
    ..Extension::new("vacation-seconds", "RFC 6131 §2")
};
