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
            tag: TagSpec::with_arg("notify", Arg::string("notify")),
        },
        TagAddition {
            targets: &["redirect"],
            tag: TagSpec::with_arg("ret", Arg::string("ret")),
        },
    ],
    ..Extension::new("redirect-dsn", "RFC 6009")
};
