//! RFC 5429 §2.1: `ereject`, refusing delivery at the protocol level where
//! possible, behind the "ereject" capability.

use super::{Arg, Extension, Signature};

pub static EREJECT: Extension = Extension {
    commands: &[Signature {
        positional: &[Arg::string("reason")],
        ..Signature::new("ereject")
    }],
    ..Extension::new("ereject", "RFC 5429 §2.1")
};
