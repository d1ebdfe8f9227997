//! RFC 5703 §3: the "foreverypart" loop (§3.1) and `break` (§3.2).

use super::{Arg, Extension, Signature, TagSpec};

pub static FOREVERYPART: Extension = Extension {
    commands: &[
        // §3.1: foreverypart [":name" <name: string>] <block>
        Signature {
            tags: &[TagSpec::with_arg("name", Arg::string("name"))],
            block: true,
            ..Signature::new("foreverypart")
        },
        // §3.2: break [":name" <name: string>]
        Signature {
            tags: &[TagSpec::with_arg("name", Arg::string("name"))],
            ..Signature::new("break")
        },
    ],
    ..Extension::new("foreverypart", "RFC 5703 §3")
};
