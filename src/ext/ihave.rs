//! RFC 5463 §4, §5: the `ihave` test and the `error` action, behind the
//! "ihave" capability.

use super::{Arg, Extension, Signature};

pub static IHAVE: Extension = Extension {
    commands: &[
        // §5
        Signature {
            positional: &[Arg::string("message")],
            ..Signature::new("error")
        },
    ],
    tests: &[
        // §4
        Signature {
            positional: &[Arg::strings("capabilities")],
            ..Signature::new("ihave")
        },
    ],
    ..Extension::new("ihave", "RFC 5463 §4, §5")
};
