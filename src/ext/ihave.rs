//! RFC 5463 §4, §5: the `ihave` test and the `error` action, behind the
//! "ihave" capability.
//!
//! Validation: `ihave` of a deprecated draft next to its required
//! successor (`ihave "imapflags"` with "imap4flags" required): Pigeonhole
//! refuses the pair as it does in `require` ("the (deprecated) imapflags
//! extension cannot be used together with the imap4flags extension",
//! sievec 0.5.19): a warning, an error for the Dovecot targets.

use super::{Arg, Extension, Signature, Validation};

pub static IHAVE: Extension = Extension {
    commands: &[
        // §5
        Signature {
            positional: &[Arg::string("message")],
            doc: "Stops the script with a run-time error carrying the given message.",
            ..Signature::new("error")
        },
    ],
    tests: &[
        // §4
        Signature {
            positional: &[Arg::strings("capabilities")],
            doc: "True when the server supports all the named extensions; its block may then use them.",
            ..Signature::new("ihave")
        },
    ],
    validate: Some(validate),
    doc: "Adds the ihave test, to use extensions only where the server has them, and the error command.",
    ..Extension::new("ihave", "RFC 5463 §4, §5")
};

fn validate(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    if !u.node.is_test() || !u.node.name().is("ihave") {
        return;
    }
    let Some(arg) = u.binding.positional.first() else {
        return;
    };
    for lit in arg.strings() {
        let Some((old, new)) = super::catalog()
            .extension(&lit.value)
            .and_then(|e| Some((e.capability, e.successor?)))
            .filter(|&(_, new)| v.model().is_required(new))
        else {
            continue;
        };
        let dovecot = v.dovecot();
        v.error_if(
            dovecot,
            lit.span,
            format!("\"{old}\" cannot be used together with \"{new}\""),
        )
        .with_primary_label("Dovecot refuses the script")
        .with_help(format!(
            "the script requires \"{new}\", which replaced the draft \"{old}\": \
             test and use \"{new}\" only"
        ));
    }
}
