//! Capability names registered for Sieve (the IANA "Sieve Extensions"
//! registry and the comparators of the collation registry), then the
//! drafts and vendor extensions that servers still run, so that real
//! scripts do not get false "unknown capability" errors. Every one of them
//! also has a catalog file with its signatures.

/// `(capability, defining document)`, lower case.
pub static KNOWN_CAPABILITIES: &[(&str, &str)] = &[
    ("fileinto", "RFC 5228 §4.1"),
    ("envelope", "RFC 5228 §5.4"),
    ("comparator-i;octet", "RFC 4790 §9.3"),
    ("comparator-i;ascii-casemap", "RFC 4790 §9.2"),
    ("comparator-i;ascii-numeric", "RFC 4790 §9.1"),
    ("comparator-i;unicode-casemap", "RFC 5051"),
    ("body", "RFC 5173"),
    ("convert", "RFC 6558"),
    ("copy", "RFC 3894"),
    ("date", "RFC 5260"),
    ("duplicate", "RFC 7352"),
    ("editheader", "RFC 5293"),
    ("enclose", "RFC 5703"),
    ("encoded-character", "RFC 5228 §2.4.2.4"),
    ("enotify", "RFC 5435"),
    ("envelope-deliverby", "RFC 6009"),
    ("envelope-dsn", "RFC 6009"),
    ("environment", "RFC 5183"),
    ("ereject", "RFC 5429"),
    ("extlists", "RFC 6134"),
    ("extracttext", "RFC 5703"),
    ("fcc", "RFC 8580"),
    ("foreverypart", "RFC 5703"),
    ("ihave", "RFC 5463"),
    ("imap4flags", "RFC 5232"),
    ("imapsieve", "RFC 6785"),
    ("include", "RFC 6609"),
    ("index", "RFC 5260"),
    ("mailbox", "RFC 5490"),
    ("mailboxid", "RFC 9042"),
    ("mboxmetadata", "RFC 5490"),
    ("mime", "RFC 5703"),
    ("processcalendar", "RFC 9671"),
    ("redirect-deliverby", "RFC 6009"),
    ("redirect-dsn", "RFC 6009"),
    ("regex", "draft-ietf-sieve-regex"),
    ("reject", "RFC 5429"),
    ("relational", "RFC 5231"),
    ("replace", "RFC 5703"),
    ("servermetadata", "RFC 5490"),
    ("spamtest", "RFC 5235"),
    ("spamtestplus", "RFC 5235"),
    ("special-use", "RFC 8579"),
    ("subaddress", "RFC 5233"),
    ("vacation", "RFC 5230"),
    ("vacation-seconds", "RFC 6131"),
    ("variables", "RFC 5229"),
    ("virustest", "RFC 5235"),
    // Deprecated drafts that servers still accept.
    ("imapflags", "draft-melnikov-sieve-imapflags-03"),
    ("notify", "draft-martin-sieve-notify-01"),
    // Vendor extensions (RFC 5228 §6.1: "vnd.").
    ("vnd.dovecot.debug", "spec-bosch-sieve-debug"),
    ("vnd.dovecot.duplicate", "spec-bosch-sieve-duplicate"),
    (
        "vnd.dovecot.environment",
        "spec-bosch-sieve-dovecot-environment",
    ),
    ("vnd.dovecot.execute", "spec-bosch-sieve-extprograms"),
    ("vnd.dovecot.filter", "spec-bosch-sieve-extprograms"),
    ("vnd.dovecot.pipe", "spec-bosch-sieve-extprograms"),
    ("vnd.dovecot.report", "spec-bosch-sieve-report"),
    ("vnd.cyrus.log", "Cyrus IMAP sieve reference"),
];

/// Capabilities that servers accept but sieve-lint has no description of,
/// besides `vnd.*` ones (RFC 5228 §6.1): requiring them is a note, and the
/// commands, tests and tags they may define are noted, not checked.
/// `(capability, where it is accepted)`, lower case.
pub static UNCATALOGED: &[(&str, &str)] = &[
    // Cyrus sieve/interp.c capability table: the snooze draft and the
    // legacy x-cyrus-* names of its vendor extensions.
    ("snooze", "draft-ietf-extra-sieve-snooze (Cyrus)"),
    ("x-cyrus-snooze", "Cyrus (legacy name of snooze)"),
    (
        "x-cyrus-jmapquery",
        "Cyrus (legacy name of vnd.cyrus.jmapquery)",
    ),
    ("x-cyrus-log", "Cyrus (legacy name of vnd.cyrus.log)"),
];

/// Is `capability` one sieve-lint knows servers accept without having its
/// description: a `vnd.*` capability not in the catalog, or one of
/// [`UNCATALOGED`]?
pub fn is_unchecked_capability(capability: &str) -> bool {
    let lower = capability.to_ascii_lowercase();
    !super::is_known_capability(&lower)
        && (lower.starts_with("vnd.") || UNCATALOGED.iter().any(|(c, _)| *c == lower))
}
