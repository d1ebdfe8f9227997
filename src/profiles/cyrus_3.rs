//! `cyrus-3`: Cyrus IMAP 3 (lmtpd's Sieve), read from the stored public
//! sources of cyrusimap/cyrus-imapd:
//!
//! - sieve/interp.c (a 3.x version with snooze and vnd.cyrus.imip; the
//!   index did not report its commit): the `sieve_capabilities` table and
//!   `extension_isactive()`, which decides what `require` accepts. Always
//!   on: comparator-i;octet, comparator-i;ascii-casemap,
//!   comparator-i;ascii-numeric, encoded-character. Accepted when enabled
//!   in the `sieve_extensions` option (and the interpreter has the
//!   callback): envelope, fileinto, regex, copy, environment, body,
//!   variables, vacation, relational, imap4flags, subaddress, date, index,
//!   editheader, reject and ereject (both under "reject"), enotify (under
//!   "notify"), ihave, mailbox, mboxmetadata, servermetadata,
//!   vacation-seconds, extlists, include, duplicate, special-use, fcc,
//!   redirect-deliverby, redirect-dsn, mailboxid. Everything else falls to
//!   "not supported": spamtest, spamtestplus, virustest, enclose,
//!   extracttext (the table even spells it "extracttest"), foreverypart,
//!   mime, replace, envelope-deliverby, envelope-dsn, convert, imapsieve —
//!   and comparator-i;unicode-casemap and processcalendar are not in the
//!   table at all.
//! - lib/imapoptions (commit 00316edf8326cd0c5508b2a9b231b6a83b01e875):
//!   `sieve_extensions` defaults to every value it takes, so all of the
//!   above are on by default, except that extlists also needs
//!   `httpmodules` to include carddav (extension_isactive), which it does
//!   not by default: extlists is disabled by default.
//!   `sieve_maxscriptsize` defaults to 32 (kilobytes), enforced by
//!   timsieved.
//! - extlists lists (imap/lmtp_sieve.c, listvalidator /
//!   get_addrbook_mbentry): only "urn:ietf:params:sieve:addrbook:<name>"
//!   (or its ":addrbook:<name>" shorthand) names a list — a CardDAV
//!   address book; so the only scheme is "urn".
//! - Not verified: whether `redirect :list` is accepted (conservatively not
//!   listed as missing); limits on nesting, actions and redirects (none
//!   found documented; left None).
//!
//! Drafts and vendor extensions:
//! - notify (draft-martin-sieve-notify-01): in the capability table and,
//!   in the 3.x interp.c versions stored with `case SIEVE_CAPA_ENOTIFY:
//!   case SIEVE_CAPA_NOTIFY:`, accepted under the "notify" option with
//!   enotify; the newest stored interp.c dropped that case (not
//!   supported there). Kept as supported, so that a 3.x script using it
//!   gets no false error.
//! - imapflags: sieve_interface.h defines SIEVE_CAPA_IMAPFLAGS as 0
//!   ("deprecated"), so `require "imapflags"` is not supported: not listed.
//! - vnd.cyrus.log (and its legacy name x-cyrus-log): accepted when the
//!   interpreter has a logger and `sieve_extensions` has vnd.cyrus.log
//!   (the default); not advertised over ManageSieve.
//! - not cataloged: vnd.cyrus.jmapquery (x-cyrus-jmapquery), snooze
//!   (vnd.cyrus.snooze, x-cyrus-snooze), vnd.cyrus.imip,
//!   vnd.cyrus.implicit_keep_target.

use super::{Profile, ProfileLimits};

pub static CYRUS_3: Profile = Profile {
    id: "cyrus-3",
    server: "Cyrus IMAP 3",
    source: "cyrusimap/cyrus-imapd sieve/interp.c extension_isactive(), lib/imapoptions @00316ed, imap/lmtp_sieve.c listvalidator",
    capabilities: Some(&[
        "comparator-i;octet",
        "comparator-i;ascii-casemap",
        "comparator-i;ascii-numeric",
        "encoded-character",
        "envelope",
        "fileinto",
        "regex",
        "copy",
        "body",
        "environment",
        "variables",
        "vacation",
        "relational",
        "imap4flags",
        "subaddress",
        "date",
        "index",
        "editheader",
        "ereject",
        "reject",
        "enotify",
        "ihave",
        "mailbox",
        "mboxmetadata",
        "servermetadata",
        "vacation-seconds",
        "extlists",
        "include",
        "duplicate",
        "special-use",
        "fcc",
        "redirect-deliverby",
        "redirect-dsn",
        "mailboxid",
        "notify",
        "vnd.cyrus.log",
    ]),
    disabled_by_default: &["extlists"],
    missing_features: &[],
    list_schemes: Some(&["urn"]),
    limits: ProfileLimits {
        max_script_size: Some(32 * 1024),
        max_nesting: None,
        max_actions: None,
        max_redirects: None,
    },
};
