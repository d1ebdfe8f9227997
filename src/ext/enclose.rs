//! RFC 5703 §6: the `enclose` action of the "enclose" extension.

use super::{Arg, Extension, Signature, TagSpec};

pub static ENCLOSE: Extension = Extension {
    commands: &[
        // §6: enclose [":subject" string] [":headers" string-list]
        //     <text: string>
        Signature {
            tags: &[
                TagSpec::with_arg("subject", Arg::string("subject")).doc(
                    "The subject of the new message; by default the enclosed message's subject.",
                ),
                TagSpec::with_arg("headers", Arg::strings("headers"))
                    .doc("Header fields to copy from the enclosed message into the new message."),
            ],
            positional: &[Arg::string("text")],
            doc: "Wraps the message as an attachment in a new message whose body is the given text.",
            ..Signature::new("enclose")
        },
    ],
    doc: "Adds enclose, to wrap the message as an attachment inside a new message.",
    ..Extension::new("enclose", "RFC 5703 §6")
};
