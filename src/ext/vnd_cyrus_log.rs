//! Cyrus's "vnd.cyrus.log" (Cyrus IMAP sieve reference, "Cyrus IMAP
//! Specific Extensions"; sieve/sieve.y `LOG`): the `log` action, which
//! writes a string to syslog. Cyrus does not advertise it over
//! ManageSieve, but accepts it in `require` when `sieve_extensions` has it
//! (the default).

use super::{Arg, Extension, Signature};

pub static VND_CYRUS_LOG: Extension = Extension {
    commands: &[
        // log <text: string>
        Signature {
            positional: &[Arg::string("text")],
            doc: "Writes the text to the server's log (Cyrus only).",
            ..Signature::new("log")
        },
    ],
    doc: "Cyrus extension adding log, to write a line to the server's log.",
    ..Extension::new(
        "vnd.cyrus.log",
        "Cyrus IMAP sieve reference (vnd.cyrus.log)",
    )
};
