//! Dovecot's "vnd.dovecot.filter" (spec-bosch-sieve-extprograms §6, §8):
//! `filter` passes the message through an external program and continues
//! with its output; it is an action and, per §8, also a test (true when
//! the program ran and gave a message).
//!
//! Validation: the program name (§3), as for `pipe`.

use super::{Extension, Signature};

/// §6: filter <program-name: string> [<arguments: string-list>]
const FILTER: Signature = Signature {
    positional: super::vnd_dovecot_pipe::PROGRAM,
    doc: "Passes the message through the named program and goes on with its output; as a test, true if it did.",
    ..Signature::new("filter")
};

pub static VND_DOVECOT_FILTER: Extension = Extension {
    commands: &[FILTER],
    // §8: "filter" as a test, with the same arguments.
    tests: &[FILTER],
    validate: Some(super::vnd_dovecot_pipe::check_program_name),
    doc: "Dovecot extension adding filter, to change the message with a configured program.",
    ..Extension::new("vnd.dovecot.filter", "spec-bosch-sieve-extprograms §6, §8")
};
