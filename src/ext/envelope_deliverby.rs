//! RFC 6009: the "envelope-deliverby" extension. It declares no command,
//! test or tag: it adds the envelope parts "bytimeabsolute",
//! "bytimerelative" and "bymode" (the DELIVERBY parameter of RFC 2852) to
//! the `envelope` test.
//!
//! Not checked: envelope part names are not checked at all.

use super::Extension;

pub static ENVELOPE_DELIVERBY: Extension = Extension::new("envelope-deliverby", "RFC 6009");
