//! RFC 5490 §3.1, §3.2: the `mailboxexists` test and `:create` on
//! `fileinto`, behind the "mailbox" capability.
//!
//! Validation: a `mailboxexists` name whose `${hex:…}` octets (RFC 5228
//! §2.4.2.4) are not UTF-8 names no mailbox (RFC 5228 §4.1: names are
//! reencoded from UTF-8), so the test is false for it: a warning, as
//! Pigeonhole gives ("invalid mailbox name ... invalid utf-8").

use super::{Arg, Extension, Signature, TagAddition, TagSpec, Validation};

pub static MAILBOX: Extension = Extension {
    tests: &[
        // §3.1
        Signature {
            positional: &[Arg::strings("mailbox-names")],
            doc: "True when every named mailbox exists and can take new messages.",
            ..Signature::new("mailboxexists")
        },
    ],
    // §3.2
    tag_additions: &[TagAddition {
        // RFC 8580 §4: also with :fcc on vacation and notify.
        targets: &["fileinto", "vacation", "notify"],
        tag: TagSpec::flag("create")
            .doc("Creates the target mailbox first when it does not exist yet."),
    }],
    validate: Some(validate),
    doc: "Adds mailboxexists and :create, to check for mailboxes or create them on delivery.",
    ..Extension::new("mailbox", "RFC 5490 §3.1, §3.2")
};

fn validate(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    if !u.node.is_test() || !u.node.name().is("mailboxexists") || !v.has("encoded-character") {
        return;
    }
    let Some(names) = u.binding.positional.first() else {
        return;
    };
    for lit in names.strings() {
        if super::values::hex_not_utf8(&lit.value) {
            v.warning(
                lit.span,
                format!(
                    "mailbox name {} is not UTF-8",
                    crate::diagnostic::show(&lit.value)
                ),
            )
            .with_primary_label("no mailbox has this name: the test is false for it")
            .with_help("RFC 5228 §4.1: mailbox names are UTF-8; write the characters themselves or as ${unicode:…}");
        }
    }
}
