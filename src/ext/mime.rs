//! RFC 5703 §4: the "mime" extension's tags on the `header` (§4.1),
//! `address` (§4.2) and `exists` (§4.3) tests. The MIMEOPTS
//! (`:type` / `:subtype` / `:contenttype` / `:param`) belong to `header`
//! only.
//!
//! Not checked: `:anychild` and the MIMEOPTS are only meaningful with
//! `:mime` (§4.1); the catalog has no way to tie one tag to another.

use super::{Arg, Extension, TagAddition, TagSpec};

const MIME_OPTION: &str = "MIME option";

pub static MIME: Extension = Extension {
    tag_additions: &[
        TagAddition {
            targets: &["header", "address", "exists"],
            tag: TagSpec::flag("mime"),
        },
        TagAddition {
            targets: &["header", "address", "exists"],
            tag: TagSpec::flag("anychild"),
        },
        TagAddition {
            targets: &["header"],
            tag: TagSpec::flag("type").exclusive(MIME_OPTION),
        },
        TagAddition {
            targets: &["header"],
            tag: TagSpec::flag("subtype").exclusive(MIME_OPTION),
        },
        TagAddition {
            targets: &["header"],
            tag: TagSpec::flag("contenttype").exclusive(MIME_OPTION),
        },
        TagAddition {
            targets: &["header"],
            tag: TagSpec::with_arg("param", Arg::strings("param-list")).exclusive(MIME_OPTION),
        },
    ],
    ..Extension::new("mime", "RFC 5703 §4")
};
