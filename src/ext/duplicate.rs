//! RFC 7352: the "duplicate" test (§3).

use super::{Arg, Extension, Signature, TagSpec};

pub static DUPLICATE: Extension = Extension {
    tests: &[
        // §3: duplicate [":handle" <handle: string>]
        //     [":header" <header-name: string> / ":uniqueid" <value: string>]
        //     [":seconds" <timeout: number>] [":last"]
        Signature {
            tags: &[
                TagSpec::with_arg("handle", Arg::string("handle")),
                TagSpec::with_arg("header", Arg::string("header-name"))
                    .exclusive("identifier source"),
                TagSpec::with_arg("uniqueid", Arg::string("value")).exclusive("identifier source"),
                TagSpec::with_arg("seconds", Arg::number("timeout")),
                TagSpec::flag("last"),
            ],
            ..Signature::new("duplicate")
        },
    ],
    ..Extension::new("duplicate", "RFC 7352 §3")
};
