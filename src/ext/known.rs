//! Capability names registered for Sieve (the IANA "Sieve Extensions"
//! registry and the comparators of the collation registry), so that real
//! scripts do not get false "unknown capability" errors. Extensions listed
//! here without a file of their own are known by name only.

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
];

/// Command names of known extensions that have no catalog file yet. The
/// parser's recovery treats a line starting with one as a new command.
pub static OTHER_COMMANDS: &[&str] = &[];

/// Test names of known extensions that have no catalog file yet.
pub static OTHER_TESTS: &[&str] = &["valid_ext_list"];
