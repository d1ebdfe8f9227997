//! RFC 5429 §2.1: `ereject`, refusing delivery at the protocol level where
//! possible, behind the "ereject" capability.

use super::{Arg, Extension, Signature};

pub static EREJECT: Extension = Extension {
    commands: &[Signature {
        positional: &[Arg::string("reason")],
        doc: "Refuses the message with the reason, preferably during SMTP, else by a bounce to the sender.",
        ..Signature::new("ereject")
    }],
    doc: "Adds ereject, to refuse a message at the SMTP level where possible.",
    ..Extension::new("ereject", "RFC 5429 §2.1")
};
