//! RFC 5703 §6: the `enclose` action of the "enclose" extension.

use super::{Arg, Extension, Signature, TagSpec};

pub static ENCLOSE: Extension = Extension {
    commands: &[
        // §6: enclose [":subject" string] [":headers" string-list]
        //     <text: string>
        Signature {
            tags: &[
                TagSpec::with_arg("subject", Arg::string("subject")),
                TagSpec::with_arg("headers", Arg::strings("headers")),
            ],
            positional: &[Arg::string("text")],
            ..Signature::new("enclose")
        },
    ],
    ..Extension::new("enclose", "RFC 5703 §6")
};
