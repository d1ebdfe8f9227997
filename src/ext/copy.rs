//! RFC 3894 §3: `:copy` on `fileinto` and `redirect`, which then no longer
//! cancel the implicit keep, behind the "copy" capability. Dovecot's
//! `pipe` takes it too when vnd.dovecot.pipe is required
//! (spec-bosch-sieve-extprograms §5.2).

use super::{Extension, TagAddition, TagSpec};

pub static COPY: Extension = Extension {
    tag_additions: &[TagAddition {
        targets: &["fileinto", "redirect", "pipe"],
        tag: TagSpec::flag("copy").doc("Keeps the implicit keep: the action works on a copy."),
    }],
    doc: "Adds :copy, so that filing or forwarding a message does not cancel the implicit keep.",
    ..Extension::new("copy", "RFC 3894 §3")
};
