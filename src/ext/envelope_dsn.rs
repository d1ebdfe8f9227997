//! RFC 6009 §4: the "envelope-dsn" extension. It declares no command, test
//! or tag: it adds the envelope parts "notify", "orcpt", "ret" and "envid"
//! (the DSN parameters of RFC 3461) to the `envelope` test, which checks
//! them (`envelope.rs`).

use super::Extension;

/// The envelope parts it adds.
pub const PARTS: &[&str] = &["notify", "orcpt", "ret", "envid"];

pub static ENVELOPE_DSN: Extension = Extension {
    doc: "Lets envelope test the SMTP DSN parameters (notify, ret, orcpt, envid).",
    ..Extension::new("envelope-dsn", "RFC 6009 §4")
};
