//! RFC 5233 §4: the address parts `:user` and `:detail`, behind the
//! "subaddress" capability.

use super::{Extension, Group, TagSpec};

pub static SUBADDRESS: Extension = Extension {
    group_tags: &[
        (Group::AddressPart, TagSpec::flag("user").doc("Compares only the user part of the local part, before the separator (user in user+detail).")),
        (Group::AddressPart, TagSpec::flag("detail").doc("Compares only the detail part of the local part, after the separator (detail in user+detail).")),
    ],
    doc: "Adds :user and :detail, to split addresses like user+detail@domain.",
..Extension::new("subaddress", "RFC 5233 §4")
};
