//! Dovecot's "vnd.dovecot.debug" (spec-bosch-sieve-debug §3): the
//! `debug_log` command, which writes a message to the server's log.

use super::{Arg, Extension, Signature};

pub static VND_DOVECOT_DEBUG: Extension = Extension {
    commands: &[
        // §3: debug_log <message: string>
        Signature {
            positional: &[Arg::string("message")],
            doc: "Writes the message, which may contain ${...} variables, to the Dovecot log.",
            ..Signature::new("debug_log")
        },
    ],
    doc: "Dovecot extension adding debug_log, to write messages to the log while testing a script.",
    ..Extension::new("vnd.dovecot.debug", "spec-bosch-sieve-debug §3")
};
