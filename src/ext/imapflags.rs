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
        super::imap4flags::SETFLAG,
        super::imap4flags::ADDFLAG,
        super::imap4flags::REMOVEFLAG,
        // mark: addflag "\\Flagged"; unmark: removeflag "\\Flagged".
        Signature::new("mark"),
        Signature::new("unmark"),
    ],
    tag_additions: &[TagAddition {
        targets: &["keep", "fileinto"],
        tag: TagSpec::with_arg("flags", Arg::strings("list-of-flags")),
    }],
    argument_uses: Some(argument_uses),
    successor: Some("imap4flags"),
    deprecated: Some(
        "replaced by \"imap4flags\" (RFC 5232), which adds the `hasflag` test and \
         flag variables and drops `mark`/`unmark` (use `addflag \"\\\\Flagged\"`); \
         Dovecot 2.4 and current Cyrus no longer accept \"imapflags\"",
    ),
    ..Extension::new("imapflags", "draft-melnikov-sieve-imapflags-03")
};

/// The variable-name form of a flag action relies on "variables".
fn argument_uses(u: &crate::check::Use<'_>, out: &mut Vec<&'static str>) {
    if u.entry.is_some_and(|e| e.sig.positional.len() == 2) && u.binding.positional.len() == 2 {
        out.push("variables");
    }
}
