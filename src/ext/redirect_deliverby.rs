//! RFC 6009: the "redirect-deliverby" extension — delivery time tags on
//! `redirect`.
//!
//! Not checked: `:bymode` ("notify" or "return") and `:bytrace` are only
//! allowed with `:bytimerelative` or `:bytimeabsolute`; the catalog has no
//! way to tie one tag to another.

use super::{Arg, Extension, TagAddition, TagSpec};

const DELIVERY_TIME: &str = "delivery time";

pub static REDIRECT_DELIVERBY: Extension = Extension {
    // redirect [:bytimerelative <rlimit: number> /
    //           :bytimeabsolute <alimit: string>
    //           [:bymode "notify"|"return"] [:bytrace]]
    //          <address: string>
    tag_additions: &[
        TagAddition {
            targets: &["redirect"],
            tag: TagSpec::with_arg("bytimerelative", Arg::number("rlimit"))
                .exclusive(DELIVERY_TIME),
        },
        TagAddition {
            targets: &["redirect"],
            tag: TagSpec::with_arg("bytimeabsolute", Arg::string("alimit"))
                .exclusive(DELIVERY_TIME),
        },
        TagAddition {
            targets: &["redirect"],
            tag: TagSpec::with_arg("bymode", Arg::string("mode")),
        },
        TagAddition {
            targets: &["redirect"],
            tag: TagSpec::flag("bytrace"),
        },
    ],
    ..Extension::new("redirect-deliverby", "RFC 6009")
};
