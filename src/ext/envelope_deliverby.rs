//! RFC 6009 §5: the "envelope-deliverby" extension. It adds the envelope
//! parts "bytimeabsolute", "bytimerelative", "bymode" and "bytrace" (the
//! DELIVERBY parameter of RFC 2852) to the `envelope` test, which checks
//! them (`envelope.rs`), and the `:zone` tag to `envelope`, in which
//! "bytimeabsolute" is given (§5.1).
//!
//! Validation: that `:zone` takes the time-zone of the date extension
//! (RFC 5260 §4.1: `( "+" / "-" ) 4DIGIT`), checked as `date` checks its
//! own (`date.rs`).

use super::{Arg, Extension, TagAddition, TagSpec, Validation};

/// The envelope parts it adds.
pub const PARTS: &[&str] = &["bytimeabsolute", "bytimerelative", "bymode", "bytrace"];

pub static ENVELOPE_DELIVERBY: Extension = Extension {
    tag_additions: &[TagAddition {
        targets: &["envelope"],
        tag: TagSpec::with_arg("zone", Arg::string("time-zone"))
            .doc("Gives the bytimeabsolute envelope part in the given time zone, e.g. \"+0100\"."),
    }],
    validate: Some(validate),
    doc: "Lets envelope test the SMTP DELIVERBY parameters (bytimeabsolute, bymode, ...).",
    ..Extension::new("envelope-deliverby", "RFC 6009 §5")
};

fn validate(v: &mut Validation<'_, '_, '_>) {
    super::date::check_zone(v, "RFC 6009 §5.1 (RFC 5260 §4.1)");
}
