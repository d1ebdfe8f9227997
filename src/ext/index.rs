//! RFC 5260 §6: `:index` and `:last` on `header`, `address` and `date`,
//! behind the "index" capability. `:last` only counts from the end for
//! `:index`; alone it is meaningless (§6.1).

use super::{Arg, Extension, TagAddition, TagSpec};

const TARGETS: &[&str] = &["header", "address", "date"];

pub static INDEX: Extension = Extension {
    tag_additions: &[
        TagAddition {
            targets: TARGETS,
            tag: TagSpec::with_arg("index", Arg::number("fieldno")),
        },
        TagAddition {
            targets: TARGETS,
            tag: TagSpec::flag("last"),
        },
    ],
    ..Extension::new("index", "RFC 5260 §6")
};
