//! `stalwart`: Stalwart Mail Server, whose Sieve is the stalwartlabs/sieve
//! crate — read (for facts only; AGPL, nothing copied) at commit
//! 8bd38a5808a0a56f89979c37d99990fefece37ab:
//!
//! - src/compiler/grammar/mod.rs, `lookup_capabilities`: the capability
//!   names `require` accepts. Of those sieve-lint knows, every one except
//!   comparator-i;unicode-casemap and processcalendar (neither is in the
//!   table). No capability is marked disabled by default in the crate;
//!   whether the server's configuration turns any off by default is not
//!   verified (so none are listed as disabled).
//! - src/compiler/grammar/actions/action_redirect.rs: `redirect` accepts
//!   `:list` (behind extlists), `:copy`, `:notify`/`:ret` (redirect-dsn)
//!   and the `:by…` tags (redirect-deliverby): `redirect :list` is not
//!   missing.
//! - List-name schemes: not verified; None (any).
//! - Limits: the crate's `Compiler::new()` defaults are a 1 MiB script,
//!   15 nested blocks and 15 nested tests, but the server sets its own
//!   limits from its configuration, and neither those defaults nor the
//!   exact boundary (15 accepted or refused) were verified; left None.
//!
//! Server-specific capabilities sieve-lint does not know:
//! vnd.stalwart.while, vnd.stalwart.expressions, and the test-only
//! comparator-elbonia.

use super::{Profile, ProfileLimits};

pub static STALWART: Profile = Profile {
    id: "stalwart",
    server: "Stalwart Mail Server",
    source: "stalwartlabs/sieve @8bd38a5: src/compiler/grammar/mod.rs lookup_capabilities, actions/action_redirect.rs",
    capabilities: Some(&[
        "envelope",
        "envelope-dsn",
        "envelope-deliverby",
        "fileinto",
        "encoded-character",
        "comparator-i;octet",
        "comparator-i;ascii-casemap",
        "comparator-i;ascii-numeric",
        "body",
        "convert",
        "copy",
        "relational",
        "date",
        "index",
        "duplicate",
        "variables",
        "editheader",
        "foreverypart",
        "mime",
        "replace",
        "enclose",
        "extracttext",
        "enotify",
        "redirect-dsn",
        "redirect-deliverby",
        "environment",
        "reject",
        "ereject",
        "extlists",
        "subaddress",
        "vacation",
        "vacation-seconds",
        "fcc",
        "mailbox",
        "mailboxid",
        "mboxmetadata",
        "servermetadata",
        "special-use",
        "imap4flags",
        "ihave",
        "imapsieve",
        "include",
        "regex",
        "spamtest",
        "spamtestplus",
        "virustest",
    ]),
    disabled_by_default: &[],
    missing_features: &[],
    list_schemes: None,
    limits: ProfileLimits {
        max_script_size: None,
        max_nesting: None,
        max_actions: None,
        max_redirects: None,
    },
};
