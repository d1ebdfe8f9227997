//! RFC 5233 §4: the address parts `:user` and `:detail`, behind the
//! "subaddress" capability.

use super::{Extension, Group, TagSpec};

pub static SUBADDRESS: Extension = Extension {
    group_tags: &[
        (Group::AddressPart, TagSpec::flag("user")),
        (Group::AddressPart, TagSpec::flag("detail")),
    ],
    ..Extension::new("subaddress", "RFC 5233 §4")
};
