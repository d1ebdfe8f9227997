//! RFC 6009 §5: the "envelope-deliverby" extension. It adds the envelope
//! parts "bytimeabsolute", "bytimerelative", "bymode" and "bytrace" (the
//! DELIVERBY parameter of RFC 2852) to the `envelope` test, which checks
//! them (`envelope.rs`), and the `:zone` tag to `envelope`, in which
//! "bytimeabsolute" is given (§5.1).

use super::{Arg, Extension, TagAddition, TagSpec};

/// The envelope parts it adds.
pub const PARTS: &[&str] = &["bytimeabsolute", "bytimerelative", "bymode", "bytrace"];

pub static ENVELOPE_DELIVERBY: Extension = Extension {
    tag_additions: &[TagAddition {
        targets: &["envelope"],
        tag: TagSpec::with_arg("zone", Arg::string("time-zone")),
    }],
    ..Extension::new("envelope-deliverby", "RFC 6009 §5")
};
