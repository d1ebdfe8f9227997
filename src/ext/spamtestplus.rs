//! RFC 5235 §3.2.2: `:percent` on `spamtest`, behind the "spamtestplus"
//! capability.

use super::{Extension, TagAddition, TagSpec};

pub static SPAMTESTPLUS: Extension = Extension {
    tag_additions: &[TagAddition {
        targets: &["spamtest"],
        tag: TagSpec::flag("percent"),
    }],
    // RFC 5235's examples require only "spamtestplus" and use `spamtest`:
    // the extension brings the test with it.
    implies: &["spamtest"],
    ..Extension::new("spamtestplus", "RFC 5235 §3.2.2")
};
