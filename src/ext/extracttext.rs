//! RFC 5703 §7: the `extracttext` action of the "extracttext" extension.
//!
//! Its MODIFIERs are those of `set` (RFC 5229 §4.1), with the same
//! exclusive sets as in `variables.rs`: modifiers of one precedence may not
//! be combined. Modifiers that other extensions add (`:encodeurl`,
//! RFC 5435 §7) are attached by those extensions.
//!
//! Not checked: `extracttext` is only allowed inside `foreverypart`
//! (§7), and it needs "variables" as well.

use super::{Arg, Extension, Signature, TagSpec};

pub static EXTRACTTEXT: Extension = Extension {
    commands: &[
        // §7: extracttext [MODIFIER] [":first" number] <varname: string>
        Signature {
            tags: &[
                // The set modifiers come from variables.rs (tag additions).
                TagSpec::with_arg("first", Arg::number("limit")),
            ],
            positional: &[Arg::string("varname")],
            also_uses: &["variables"],
            ..Signature::new("extracttext")
        },
    ],
    ..Extension::new("extracttext", "RFC 5703 §7")
};
