//! `dovecot-2.4`: Dovecot 2.4 with Pigeonhole 2.4 — not installable here
//! (not in Debian bookworm), so read from the stored public sources:
//!
//! - dovecot/documentation docs/core/config/sieve/overview.md (commit
//!   a54235efa52f81c87483d7ff92d630b5e8a939bd): the 2.4 extension table and
//!   which are enabled by default. Not by default: editheader, extlists,
//!   imapsieve (imap_sieve plugin), mboxmetadata, servermetadata, spamtest,
//!   vacation-seconds, virustest; imapflags and notify are listed as
//!   removed. An older version of that page (commit 8de79af9…) lacks the
//!   extlists row: extlists came with a later 2.4 release; which 2.4.x
//!   first shipped it I could not verify.
//! - dovecot/pigeonhole src/lib-sieve/sieve-settings.c (2.4 settings
//!   version, stored without a commit id): the default `sieve_extensions`
//!   is "fileinto reject envelope encoded-character vacation subaddress
//!   comparator-i;ascii-numeric relational regex imap4flags copy include
//!   body variables enotify environment mailbox date index ihave duplicate
//!   mime foreverypart extracttext"; the defaults of max_script_size
//!   (1 << 20), max_actions (32) and max_redirects (4). The 2.4-era
//!   src/lib-sieve/sieve-extensions.c lists spamtestplus and special-use
//!   among the extra (not enabled by default) extensions, with the dummy
//!   comparators i;octet and i;ascii-casemap always available; ereject only
//!   with HAVE_SIEVE_UNFINISHED.
//! - extlists (src/lib-sieve/plugins/extlists/): ext-extlists.c (commit
//!   8020ac138000e7e45f85f352eb15b66fa246f7a2) registers `valid_ext_list`,
//!   the `:list` match type and a `:list` tag on `redirect`; but
//!   tag-redirect-list.c (same commit) makes that tag's validation always
//!   fail with "using :list with redirect is not supported", and
//!   docs/core/config/sieve/extensions/extlists.md (commit 52b0d0bc…) says
//!   redirecting to a list "is currently not implemented in Dovecot and will
//!   always trigger an error". So `redirect :list` is a missing feature.
//! - list names: ext-extlists-settings.c (commit
//!   039142bf2ba275b9df31ad88b4096b6d96131b6f), ext_extlists_name_normalize:
//!   a leading ':' is expanded with the Sieve URN prefix; then only the
//!   "urn" and "tag" schemes are accepted ("scheme not supported for
//!   external list name" otherwise).
//! - nesting: SIEVE_MAX_BLOCK_NESTING and SIEVE_MAX_TEST_NESTING are still
//!   32 in the 2.4 sieve-limits.h, as in 2.3, where the probe of
//!   dovecot_2_3.rs shows 31 levels accepted.
//! - `set :quoteregex`: not re-verified for 2.4 (regex is still the draft
//!   08 implementation per the overview table), so not listed as missing.
//!
//! Server-specific capabilities (overview.md), in the profile since
//! sieve-lint catalogs them, all disabled by default: vnd.dovecot.debug,
//! vnd.dovecot.environment, vnd.dovecot.report (not by default);
//! vnd.dovecot.execute, vnd.dovecot.filter, vnd.dovecot.pipe
//! (sieve_extprograms plugin). imapflags, notify and vnd.dovecot.duplicate
//! are gone in 2.4 (the overview lists the first two as removed; the
//! duplicate extension page says vnd.dovecot.duplicate "has been removed"),
//! so they are not in the profile.

use super::{MissingFeature, Profile, ProfileLimits};

pub static DOVECOT_2_4: Profile = Profile {
    id: "dovecot-2.4",
    server: "Dovecot 2.4 (Pigeonhole 2.4)",
    source: "dovecot/documentation sieve overview.md @a54235e and dovecot/pigeonhole sources (sieve-settings.c, extlists/ @8020ac1, @039142b)",
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
        "extlists",
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
        "vnd.dovecot.debug",
        "vnd.dovecot.environment",
        "vnd.dovecot.execute",
        "vnd.dovecot.filter",
        "vnd.dovecot.pipe",
        "vnd.dovecot.report",
    ]),
    disabled_by_default: &[
        "editheader",
        "extlists",
        "imapsieve",
        "mboxmetadata",
        "servermetadata",
        "spamtest",
        "spamtestplus",
        "special-use",
        "vacation-seconds",
        "virustest",
        "vnd.dovecot.debug",
        "vnd.dovecot.environment",
        "vnd.dovecot.execute",
        "vnd.dovecot.filter",
        "vnd.dovecot.pipe",
        "vnd.dovecot.report",
    ],
    missing_features: &[MissingFeature {
        command: "redirect",
        tag: Some(":list"),
        name: "redirect :list",
    }],
    list_schemes: Some(&["urn", "tag"]),
    limits: ProfileLimits {
        max_script_size: Some(1_048_576),
        max_nesting: Some(31),
        max_actions: Some(32),
        max_redirects: Some(4),
    },
};
