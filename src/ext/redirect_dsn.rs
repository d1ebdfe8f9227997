//! RFC 6009: the "redirect-dsn" extension — `:notify` and `:ret` on
//! `redirect`.
//!
//! Not checked: `:notify` takes "NEVER" or a comma-separated list of
//! "SUCCESS", "FAILURE" and "DELAY"; `:ret` takes "FULL" or "HDRS".

use super::{Arg, Extension, TagAddition, TagSpec};

pub static REDIRECT_DSN: Extension = Extension {
    // redirect [:notify "value"] [:ret "FULL"|"HDRS"] <address: string>
    tag_additions: &[
        TagAddition {
            targets: &["redirect"],
            tag: TagSpec::with_arg("notify", Arg::string("notify")).doc("When to get delivery reports: \"NEVER\", or any of \"SUCCESS\", \"FAILURE\", \"DELAY\"."),
        },
        TagAddition {
            targets: &["redirect"],
            tag: TagSpec::with_arg("ret", Arg::string("ret")).doc("How much of the message a failure report returns: \"FULL\" or \"HDRS\" (headers only)."),
        },
    ],
    doc: "Adds DSN tags to redirect, to choose the delivery reports for the forwarded message.",
..Extension::new("redirect-dsn", "RFC 6009")
};
