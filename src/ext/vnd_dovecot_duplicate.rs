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
                TagSpec::with_arg("handle", Arg::string("handle")),
                TagSpec::with_arg("header", Arg::string("header-name"))
                    .exclusive("identifier source"),
                TagSpec::with_arg("value", Arg::string("value")).exclusive("identifier source"),
                TagSpec::with_arg("seconds", Arg::number("timeout")),
                TagSpec::flag("last"),
            ],
            ..Signature::new("duplicate")
        },
    ],
    successor: Some("duplicate"),
    deprecated: Some(
        "Dovecot's vendor draft of what became \"duplicate\" (RFC 7352); the standard \
         extension names `:value` `:uniqueid`, and Dovecot 2.4 no longer has this one",
    ),
    ..Extension::new("vnd.dovecot.duplicate", "spec-bosch-sieve-duplicate")
};
