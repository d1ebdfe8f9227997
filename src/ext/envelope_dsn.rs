//! RFC 6009: the "envelope-dsn" extension. It declares no command, test or
//! tag: it adds the envelope parts "notify", "orcpt", "ret" and "envid"
//! (the DSN parameters of RFC 3461) to the `envelope` test.
//!
//! Not checked: envelope part names are not checked at all, so using these
//! parts without the require goes unreported, and so does requiring it
//! without using them.

use super::Extension;

pub static ENVELOPE_DSN: Extension = Extension::new("envelope-dsn", "RFC 6009");
