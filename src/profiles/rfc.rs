//! `rfc`: the standards themselves — every extension sieve-lint knows (the
//! registered ones, and the drafts and vendor extensions it catalogs, so
//! that a script written for one server is not refused by default), no
//! missing features, any list-name scheme; limits are those of sieve-lint's
//! own defaults (design.md).

use super::{Profile, ProfileLimits};

pub static RFC: Profile = Profile {
    id: "rfc",
    server: "the RFCs",
    source: "every capability sieve-lint catalogs (src/ext/known.rs): the IANA Sieve extensions registry, and the drafts and vendor extensions servers run",
    capabilities: None,
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
