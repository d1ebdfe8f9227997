//! Dovecot's "vnd.dovecot.duplicate" (spec-bosch-sieve-duplicate, the
//! vendor draft that became RFC 7352): the `duplicate` test with `:value`
//! where RFC 7352 §3 has `:uniqueid`. Pigeonhole 0.4 keeps it for old
//! scripts ("deprecated; provided for backwards compatibility"), behind
//! `sieve_extensions = +vnd.dovecot.duplicate`; Dovecot 2.4 removed it.
//! Shape from Pigeonhole's src/lib-sieve/plugins/duplicate/tst-duplicate.c.

use super::{Arg, Extension, Signature, TagSpec};

pub static VND_DOVECOT_DUPLICATE: Extension = Extension {
    tests: &[
        // duplicate [":handle" <handle: string>]
        //           [":header" <header-name: string> / ":value" <value: string>]
        //           [":seconds" <timeout: number>] [":last"]
        Signature {
            tags: &[
                TagSpec::with_arg("handle", Arg::string("handle")).doc("A name for this check, so separate duplicate tests keep separate records."),
                TagSpec::with_arg("header", Arg::string("header-name")).doc("Takes the identifier from this header field instead of Message-ID.")
                    .exclusive("identifier source"),
                TagSpec::with_arg("value", Arg::string("value")).doc("Uses this string as the identifier (:uniqueid in the standard duplicate).").exclusive("identifier source"),
                TagSpec::with_arg("seconds", Arg::number("timeout")).doc("How many seconds the identifier is remembered."),
                TagSpec::flag("last").doc("Counts the remembering time from the last time the message was seen, not the first."),
            ],
            doc: "Deprecated draft (use duplicate); true when a message with the same identifier was seen before.",
..Signature::new("duplicate")
        },
    ],
    successor: Some("duplicate"),
    deprecated: Some(
        "Dovecot's vendor draft of what became \"duplicate\" (RFC 7352); the standard \
         extension names `:value` `:uniqueid`, and Dovecot 2.4 no longer has this one",
    ),
    doc: "Deprecated Dovecot draft of duplicate detection; use duplicate.",
..Extension::new("vnd.dovecot.duplicate", "spec-bosch-sieve-duplicate")
};
