//! RFC 3894 §3: `:copy` on `fileinto` and `redirect`, which then no longer
//! cancel the implicit keep, behind the "copy" capability. Dovecot's
//! `pipe` takes it too when vnd.dovecot.pipe is required
//! (spec-bosch-sieve-extprograms §5.2).

use super::{Extension, TagAddition, TagSpec};

pub static COPY: Extension = Extension {
    tag_additions: &[TagAddition {
        targets: &["fileinto", "redirect", "pipe"],
        tag: TagSpec::flag("copy"),
    }],
    ..Extension::new("copy", "RFC 3894 §3")
};
