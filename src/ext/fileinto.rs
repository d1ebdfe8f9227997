//! RFC 5228 §4.1: `fileinto`, an optional action behind the "fileinto"
//! capability.

use super::{Arg, Extension, Signature};

pub static FILEINTO: Extension = Extension {
    commands: &[Signature {
        positional: &[Arg::string("mailbox")],
        ..Signature::new("fileinto")
    }],
    ..Extension::new("fileinto", "RFC 5228 §4.1")
};
