//! "imapflags": draft-melnikov-sieve-imapflags-03, the draft that became
//! "imap4flags" (RFC 5232), as Dovecot (Pigeonhole's ext-imapflags.c,
//! "deprecated; provided for backwards compatibility", removed in 2.4) and
//! old Cyrus versions implement it: `setflag`, `addflag` and `removeflag`
//! (Pigeonhole registers the imap4flags commands, so the variable-name
//! form works there too), `mark` and `unmark` (add and remove
//! "\\Flagged"), and `:flags` on `keep` and `fileinto`. There is no
//! `hasflag` test in it: that came with imap4flags.
//!
//! Pigeonhole refuses a script that requires both imapflags and
//! imap4flags.

use super::{Arg, Extension, Signature, TagAddition, TagSpec};

/// `setflag`, `addflag`, `removeflag`: the draft has the flags only;
/// Pigeonhole accepts the RFC 5232 §3 variable name too, so they are
/// imap4flags' signatures.
pub static IMAPFLAGS: Extension = Extension {
    commands: &[
        Signature {
            doc: "Deprecated draft; replaces the current IMAP flags with the list (use imap4flags).",
            ..super::imap4flags::SETFLAG
        },
        Signature {
            doc: "Deprecated draft; adds the flags to the current IMAP flags (use imap4flags).",
            ..super::imap4flags::ADDFLAG
        },
        Signature {
            doc: "Deprecated draft; removes the flags from the current IMAP flags (use imap4flags).",
            ..super::imap4flags::REMOVEFLAG
        },
        // mark: addflag "\\Flagged"; unmark: removeflag "\\Flagged".
        Signature {
            doc: "Deprecated draft; adds the \\Flagged flag (use addflag \"\\\\Flagged\" of imap4flags).",
            ..Signature::new("mark")
        },
        Signature {
            doc: "Deprecated draft; removes the \\Flagged flag (use removeflag \"\\\\Flagged\" of imap4flags).",
            ..Signature::new("unmark")
        },
    ],
    tag_additions: &[TagAddition {
        targets: &["keep", "fileinto"],
        tag: TagSpec::with_arg("flags", Arg::strings("list-of-flags"))
            .doc("Deprecated draft (use imap4flags); the IMAP flags the stored message gets."),
    }],
    argument_uses: Some(argument_uses),
    successor: Some("imap4flags"),
    deprecated: Some(
        "replaced by \"imap4flags\" (RFC 5232), which adds the `hasflag` test and \
         flag variables and drops `mark`/`unmark` (use `addflag \"\\\\Flagged\"`); \
         Dovecot 2.4 and current Cyrus no longer accept \"imapflags\"",
    ),
    doc: "Deprecated draft of the IMAP flag commands; use imap4flags.",
    ..Extension::new("imapflags", "draft-melnikov-sieve-imapflags-03")
};

/// The variable-name form of a flag action relies on "variables".
fn argument_uses(u: &crate::check::Use<'_>, out: &mut Vec<&'static str>) {
    if u.entry.is_some_and(|e| e.sig.positional.len() == 2) && u.binding.positional.len() == 2 {
        out.push("variables");
    }
}
