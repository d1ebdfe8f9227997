//! `dovecot-2.3`: Dovecot 2.3 with Pigeonhole 0.5 — verified by running the
//! real thing: Debian bookworm's dovecot-sieve 1:2.3.19.1+dfsg1-2.1+deb12u7
//! (Pigeonhole 0.5.19, build 4eae2f79), probed with
//! `scripts/probe-dovecot-extensions.sh`, which compiles `require "<cap>";`
//! for every capability in src/ext/known.rs with `sievec -c /dev/null`
//! (Pigeonhole's built-in defaults), then with `-x "+<cap>"` (the
//! `sieve_extensions = +<cap>` setting), then with the sieve plugins loaded
//! (`-P sieve_imapsieve -P sieve_extprograms`).
//!
//! Probe output, summarised:
//! - accepted by default: fileinto, envelope, comparator-i;octet,
//!   comparator-i;ascii-casemap, comparator-i;ascii-numeric, body, copy,
//!   date, duplicate, encoded-character, enotify, environment, extracttext
//!   (with variables and foreverypart, which Pigeonhole demands), foreverypart,
//!   ihave, imap4flags, include, index, mailbox, mime, regex, reject,
//!   relational, subaddress, vacation, variables.
//! - accepted only once enabled (`sieve_extensions = +…`): editheader,
//!   mboxmetadata, servermetadata, spamtest, spamtestplus, special-use,
//!   vacation-seconds, virustest.
//! - accepted only with the `sieve_imapsieve` plugin loaded: imapsieve.
//! - never ("unknown Sieve capability"): comparator-i;unicode-casemap,
//!   convert, enclose, envelope-deliverby, envelope-dsn, ereject (built only
//!   with --with-unfinished-features), extlists, fcc, mailboxid,
//!   processcalendar, redirect-deliverby, redirect-dsn, replace.
//! - features: `set :quoteregex` is refused ("unknown tagged argument
//!   ':quoteregex' for the set command": Pigeonhole implements regex draft
//!   08, before `:quoteregex`); `set :encodeurl`, `hasflag :count`,
//!   `header :index … :last`, `duplicate :uniqueid :seconds :last`, `error`,
//!   `extracttext :first` and `header :mime :anychild :param` are accepted.
//! - limits: 31 nested `if` blocks compile, 32 give "cannot nest command
//!   blocks deeper than 32 levels"; `if` with 30 nested `not`s (31 test
//!   levels) compiles, 31 give "cannot nest tests deeper than 32 levels";
//!   a 1,048,576-byte script compiles, 1,049,600 bytes give "sieve script is
//!   too large (max 1048576 bytes)"; with `sieve-test`, 32 `fileinto`s run
//!   and 33 give "total number of actions exceeds policy limit (33 > 32)";
//!   4 `redirect`s run and 5 give "number of redirect actions exceeds policy
//!   limit (5 > 4)". These are the defaults of sieve_max_script_size,
//!   sieve_max_actions and sieve_max_redirects; the nesting limits are
//!   compiled in (SIEVE_MAX_BLOCK_NESTING / SIEVE_MAX_TEST_NESTING = 32 in
//!   Pigeonhole's src/lib-sieve/sieve-limits.h).
//!
//! Server-specific capabilities (from the same probe), in the profile
//! since sieve-lint catalogs them: vnd.dovecot.debug (the command-line
//! tools sievec and sieve-test enable it themselves; Dovecot's own
//! managesieved 2.3.19 refuses it with its default settings, "unknown Sieve
//! capability", scripts/test-managesieve.sh); imapflags, notify,
//! vnd.dovecot.duplicate, vnd.dovecot.environment, vnd.dovecot.report
//! (enabled by `+…`); vnd.dovecot.pipe, vnd.dovecot.filter,
//! vnd.dovecot.execute (sieve_extprograms plugin plus `+…`) — all listed as
//! disabled by default. Not cataloged:
//! vnd.dovecot.imapsieve (sieve_imapsieve plugin), which scripts do not
//! require.
//!
//! No extlists, so no list-name schemes.

use super::{MissingFeature, Profile, ProfileLimits};

pub static DOVECOT_2_3: Profile = Profile {
    id: "dovecot-2.3",
    server: "Dovecot 2.3 (Pigeonhole 0.5)",
    source: "sievec/sieve-test of Debian dovecot-sieve 2.3.19.1 (Pigeonhole 0.5.19), probed by scripts/probe-dovecot-extensions.sh",
    capabilities: Some(&[
        "fileinto",
        "envelope",
        "comparator-i;octet",
        "comparator-i;ascii-casemap",
        "comparator-i;ascii-numeric",
        "body",
        "copy",
        "date",
        "duplicate",
        "editheader",
        "encoded-character",
        "enotify",
        "environment",
        "extracttext",
        "foreverypart",
        "ihave",
        "imap4flags",
        "imapsieve",
        "include",
        "index",
        "mailbox",
        "mboxmetadata",
        "mime",
        "regex",
        "reject",
        "relational",
        "servermetadata",
        "spamtest",
        "spamtestplus",
        "special-use",
        "subaddress",
        "vacation",
        "vacation-seconds",
        "variables",
        "virustest",
        "imapflags",
        "notify",
        "vnd.dovecot.debug",
        "vnd.dovecot.duplicate",
        "vnd.dovecot.environment",
        "vnd.dovecot.execute",
        "vnd.dovecot.filter",
        "vnd.dovecot.pipe",
        "vnd.dovecot.report",
    ]),
    disabled_by_default: &[
        "editheader",
        "imapsieve",
        "mboxmetadata",
        "servermetadata",
        "spamtest",
        "spamtestplus",
        "special-use",
        "vacation-seconds",
        "virustest",
        "imapflags",
        "notify",
        "vnd.dovecot.debug",
        "vnd.dovecot.duplicate",
        "vnd.dovecot.environment",
        "vnd.dovecot.execute",
        "vnd.dovecot.filter",
        "vnd.dovecot.pipe",
        "vnd.dovecot.report",
    ],
    missing_features: &[MissingFeature {
        command: "set",
        tag: Some(":quoteregex"),
        name: "set :quoteregex",
    }],
    list_schemes: None,
    limits: ProfileLimits {
        max_script_size: Some(1_048_576),
        max_nesting: Some(31),
        max_actions: Some(32),
        max_redirects: Some(4),
    },
};
