//! RFC 6609: the "include" extension — `include` (§3.2), `return`
//! (§3.3) and `global` (§3.4).
//!
//! `global` declares variables: it uses "variables" (§3.4).

use super::{Arg, Extension, Signature, TagSpec};

pub static INCLUDE: Extension = Extension {
    commands: &[
        // §3.2: include [LOCATION] [":once"] [":optional"] <value: string>
        //       LOCATION = ":personal" / ":global"
        Signature {
            tags: &[
                TagSpec::flag("personal").exclusive("location"),
                TagSpec::flag("global").exclusive("location"),
                TagSpec::flag("once"),
                TagSpec::flag("optional"),
            ],
            positional: &[Arg::string("value")],
            ..Signature::new("include")
        },
        // §3.3
        Signature::new("return"),
        // §3.4: global <value: string-list>
        Signature {
            positional: &[Arg::strings("value")],
            also_uses: &["variables"],
            ..Signature::new("global")
        },
    ],
    ..Extension::new("include", "RFC 6609 §3")
};
