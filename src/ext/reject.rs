//! RFC 5429 §2.2: `reject`, refusing delivery with a reason for the sender,
//! behind the "reject" capability.

use super::{Arg, Extension, Signature};

pub static REJECT: Extension = Extension {
    commands: &[Signature {
        positional: &[Arg::string("reason")],
        doc: "Refuses the message and sends the reason back to the sender, by SMTP refusal or a report.",
        ..Signature::new("reject")
    }],
    doc: "Adds reject, to refuse a message and tell the sender why.",
    ..Extension::new("reject", "RFC 5429 §2.2")
};
