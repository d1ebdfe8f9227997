//! RFC 5429 §2.2: `reject`, refusing delivery with a reason for the sender,
//! behind the "reject" capability.

use super::{Arg, Extension, Signature};

pub static REJECT: Extension = Extension {
    commands: &[Signature {
        positional: &[Arg::string("reason")],
        ..Signature::new("reject")
    }],
    ..Extension::new("reject", "RFC 5429 §2.2")
};
