//! RFC 5228 §4.1: `fileinto`, an optional action behind the "fileinto"
//! capability.
//!
//! Validation: a mailbox name whose `${hex:…}` octets (RFC 5228 §2.4.2.4)
//! are not UTF-8. The RFC allows any octets in strings, but a server that
//! stores names in another encoding "SHOULD reencode the mailbox name from
//! UTF-8" (§4.1), which such a name is not: a warning; an error for the
//! Dovecot targets, whose Pigeonhole refuses it at upload ("invalid folder
//! name ... invalid utf-8", sievec 0.5.19).

use super::{Arg, Extension, Signature, Validation};

pub static FILEINTO: Extension = Extension {
    commands: &[Signature {
        positional: &[Arg::string("mailbox")],
        doc: "Files the message into the named mailbox instead of the inbox.",
        ..Signature::new("fileinto")
    }],
    validate: Some(validate),
    doc: "Adds fileinto, to deliver the message into a mailbox of your choice.",
    ..Extension::new("fileinto", "RFC 5228 §4.1")
};

fn validate(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    if !u.node.name().is("fileinto") {
        return;
    }
    let Some([mailbox]) = u.binding.positional.first().map(|a| a.strings()) else {
        return;
    };
    if !(v.has("encoded-character") && super::values::hex_not_utf8(&mailbox.value)) {
        return;
    }
    let dovecot = v.dovecot();
    v.error_if(
        dovecot,
        mailbox.span,
        format!(
            "mailbox name {} is not UTF-8",
            crate::diagnostic::show(&mailbox.value)
        ),
    )
    .with_primary_label("its ${hex:…} octets are no UTF-8 sequence")
    .with_help(
        "RFC 5228 §4.1: mailbox names are reencoded from UTF-8; write the characters \
         themselves or as ${unicode:…} (Dovecot refuses the script)",
    );
}
