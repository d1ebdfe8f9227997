//! Dovecot's "vnd.dovecot.environment" (spec-bosch-sieve-dovecot-environment):
//! more items for the `environment` test (§3: "vnd.dovecot.default-mailbox",
//! "vnd.dovecot.username", "vnd.dovecot.config.*") and the read-only
//! variables namespace "env" (§4: `${env.vnd.dovecot.username}`). It adds
//! no command or test of its own; requiring it implies "environment" (§5).

use super::Extension;

pub static VND_DOVECOT_ENVIRONMENT: Extension = Extension {
    implies: &["environment"],
    namespaces: &["env"],
    doc: "Dovecot extension: more environment items, readable as ${env.name} variables too.",
    ..Extension::new(
        "vnd.dovecot.environment",
        "spec-bosch-sieve-dovecot-environment §3, §4, §5",
    )
};
