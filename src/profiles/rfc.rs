//! `rfc`: the standards themselves — every extension sieve-lint knows, no
//! missing features, any list-name scheme; limits are those of sieve-lint's
//! own defaults (design.md).

use super::{Profile, ProfileLimits};

pub static RFC: Profile = Profile {
    id: "rfc",
    server: "the RFCs",
    source: "every capability in the IANA Sieve extensions registry that sieve-lint catalogs (src/ext/known.rs)",
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
