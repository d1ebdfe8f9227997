//! RFC 5703 §5: the `replace` action of the "replace" extension.

use super::{Arg, Extension, Signature, TagSpec};

pub static REPLACE: Extension = Extension {
    commands: &[
        // §5: replace [":mime"] [":subject" string] [":from" string]
        //     <replacement: string>
        Signature {
            tags: &[
                TagSpec::flag("mime").doc(
                    "The replacement is a whole MIME entity, with its own headers, not plain text.",
                ),
                TagSpec::with_arg("subject", Arg::string("subject"))
                    .doc("The new subject of the replaced message."),
                TagSpec::with_arg("from", Arg::string("from"))
                    .doc("The new From address of the replaced message."),
            ],
            positional: &[Arg::string("replacement")],
            doc: "Replaces the content of the message with the given text.",
            ..Signature::new("replace")
        },
    ],
    doc: "Adds replace, to swap the message content for a text of your own.",
    ..Extension::new("replace", "RFC 5703 §5")
};
