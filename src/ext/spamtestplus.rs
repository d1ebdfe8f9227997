//! RFC 5235 §3.2.2: `:percent` on `spamtest`, behind the "spamtestplus"
//! capability.

use super::{Extension, TagAddition, TagSpec};

pub static SPAMTESTPLUS: Extension = Extension {
    tag_additions: &[TagAddition {
        targets: &["spamtest"],
        tag: TagSpec::flag("percent").doc(
            "Gives the spam score as a percentage from \"0\" (clean) to \"100\" (certainly spam).",
        ),
    }],
    // RFC 5235's examples require only "spamtestplus" and use `spamtest`:
    // the extension brings the test with it.
    implies: &["spamtest"],
    doc: "Adds :percent to spamtest, for a finer spam score from 0 to 100.",
    ..Extension::new("spamtestplus", "RFC 5235 §3.2.2")
};
