//! RFC 8579: the "special-use" extension — the `specialuse_exists` test
//! and the `:specialuse` argument of `fileinto`.
//!
//! `:specialuse` is also one of the options of `:fcc` (RFC 8580) on
//! `vacation` and `notify`, so it is attached there too. Not checked: that
//! it accompanies `:fcc` there.

use super::{Arg, Extension, Signature, TagAddition, TagSpec};

pub static SPECIAL_USE: Extension = Extension {
    tests: &[
        // specialuse_exists [<mailbox: string>]
        //     <special-use-attrs: string-list>
        Signature {
            positional: &[
                Arg::string("mailbox").optional(),
                Arg::strings("special-use-attrs"),
            ],
            ..Signature::new("specialuse_exists")
        },
    ],
    // fileinto [":specialuse" <special-use-attr: string>] <mailbox: string>
    tag_additions: &[TagAddition {
        targets: &["fileinto", "vacation", "notify"],
        tag: TagSpec::with_arg("specialuse", Arg::string("special-use-attr")),
    }],
    ..Extension::new("special-use", "RFC 8579")
};
