//! RFC 5703 §5: the `replace` action of the "replace" extension.

use super::{Arg, Extension, Signature, TagSpec};

pub static REPLACE: Extension = Extension {
    commands: &[
        // §5: replace [":mime"] [":subject" string] [":from" string]
        //     <replacement: string>
        Signature {
            tags: &[
                TagSpec::flag("mime"),
                TagSpec::with_arg("subject", Arg::string("subject")),
                TagSpec::with_arg("from", Arg::string("from")),
            ],
            positional: &[Arg::string("replacement")],
            ..Signature::new("replace")
        },
    ],
    ..Extension::new("replace", "RFC 5703 §5")
};
