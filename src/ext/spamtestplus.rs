//! RFC 5235 §3.2.2: `:percent` on `spamtest`, behind the "spamtestplus"
//! capability.

use super::{Extension, TagAddition, TagSpec};

pub static SPAMTESTPLUS: Extension = Extension {
    tag_additions: &[TagAddition {
        targets: &["spamtest"],
        tag: TagSpec::flag("percent"),
    }],
    ..Extension::new("spamtestplus", "RFC 5235 §3.2.2")
};
