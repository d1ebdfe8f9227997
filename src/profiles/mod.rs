//! Server profiles (`--target`): what a particular mail server's Sieve
//! implementation supports — its extensions, the list-name schemes of its
//! extlists support, the features it lacks inside an extension it has, and
//! its limits. One file per server; each states where its facts come from.
//! The default profile, `rfc`, supports everything sieve-lint knows.

mod cyrus_3;
mod dovecot_2_3;
mod dovecot_2_4;
pub mod file;
pub mod live;
mod rfc;
mod stalwart;
// profiles: insert above

/// A feature of an extension that a server lacks although it supports the
/// extension itself (e.g. `redirect :list`).
#[derive(Debug)]
pub struct MissingFeature {
    /// The command or test (`redirect`).
    pub command: &'static str,
    /// The tag that makes the feature (`:list`), or `None` for the command
    /// or test as a whole.
    pub tag: Option<&'static str>,
    /// How the feature is named in messages (`redirect :list`).
    pub name: &'static str,
}

/// A server's limits, where it documents them; `None`: not known or none.
#[derive(Debug, Default)]
pub struct ProfileLimits {
    /// Largest script the server accepts, in bytes.
    pub max_script_size: Option<usize>,
    /// Deepest nesting of blocks and tests the server accepts.
    pub max_nesting: Option<usize>,
    /// Actions per message.
    pub max_actions: Option<usize>,
    /// Redirects per message.
    pub max_redirects: Option<usize>,
}

#[derive(Debug)]
pub struct Profile {
    /// The `--target` value, e.g. `dovecot-2.3`.
    pub id: &'static str,
    /// How the server is named in messages, e.g. `Dovecot 2.3 (Pigeonhole 0.5)`.
    pub server: &'static str,
    /// Where these facts come from (documentation, source, a local run).
    pub source: &'static str,
    /// Capabilities the server can accept in `require`, lower case; `None`:
    /// every capability sieve-lint knows.
    pub capabilities: Option<&'static [&'static str]>,
    /// Of those, the ones the server ships disabled (an administrator must
    /// enable them).
    pub disabled_by_default: &'static [&'static str],
    /// Features the server lacks inside extensions it supports.
    pub missing_features: &'static [MissingFeature],
    /// URI schemes its extlists support accepts for list names; `None`: any.
    pub list_schemes: Option<&'static [&'static str]>,
    pub limits: ProfileLimits,
}

impl Profile {
    /// Whether the server can accept `capability` in `require`.
    pub fn supports(&self, capability: &str) -> bool {
        self.capabilities
            .is_none_or(|caps| caps.iter().any(|c| c.eq_ignore_ascii_case(capability)))
    }

    /// Whether the server ships `capability` disabled.
    pub fn disabled(&self, capability: &str) -> bool {
        self.disabled_by_default
            .iter()
            .any(|c| c.eq_ignore_ascii_case(capability))
    }
}

/// Every profile, `rfc` first. One line per profile.
pub static PROFILES: &[&Profile] = &[
    &rfc::RFC,
    &dovecot_2_3::DOVECOT_2_3,
    &dovecot_2_4::DOVECOT_2_4,
    &cyrus_3::CYRUS_3,
    &stalwart::STALWART,
    // profile list: insert above
];

/// The default profile.
pub fn default_profile() -> &'static Profile {
    &rfc::RFC
}

/// Finds a profile by its `--target` id, ignoring case.
pub fn find(id: &str) -> Option<&'static Profile> {
    PROFILES
        .iter()
        .copied()
        .find(|p| p.id.eq_ignore_ascii_case(id))
}

/// Every profile id, comma-separated (for messages).
pub fn ids() -> String {
    PROFILES.iter().map(|p| p.id).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_findable() {
        for p in PROFILES {
            assert_eq!(find(p.id).map(|f| f.id), Some(p.id));
            assert_eq!(PROFILES.iter().filter(|q| q.id == p.id).count(), 1);
        }
        assert!(find("no-such-server").is_none());
    }

    /// A profile names only capabilities sieve-lint knows, so a typo in a
    /// profile cannot silently drop an extension.
    #[test]
    fn profiles_name_known_capabilities() {
        for p in PROFILES {
            for c in p
                .capabilities
                .unwrap_or(&[])
                .iter()
                .chain(p.disabled_by_default)
            {
                assert!(
                    crate::ext::is_known_capability(c),
                    "profile {} names unknown capability {c}",
                    p.id
                );
                assert!(p.supports(c), "{}: {c} disabled but not supported", p.id);
            }
            for f in p.missing_features {
                assert!(
                    crate::ext::catalog().command(f.command).is_some()
                        || crate::ext::catalog().test(f.command).is_some(),
                    "{}: unknown command {}",
                    p.id,
                    f.command
                );
            }
            assert!(!p.source.is_empty(), "{} states no source", p.id);
        }
    }

    #[test]
    fn rfc_supports_everything() {
        let rfc = default_profile();
        assert_eq!(rfc.id, "rfc");
        assert!(rfc.supports("extlists") && rfc.supports("comparator-i;ascii-numeric"));
        assert!(rfc.missing_features.is_empty());
    }

    /// Probed with sievec 0.5.19 (scripts/probe-dovecot-extensions.sh).
    #[test]
    fn dovecot_2_3_facts() {
        let p = find("dovecot-2.3").unwrap();
        assert!(!p.supports("extlists") && !p.supports("fcc"));
        assert!(p.supports("editheader") && p.disabled("editheader"));
        assert!(!p.disabled("fileinto"));
        assert_eq!(p.limits.max_redirects, Some(4));
        // Vendor extensions and drafts: the probe's findings.
        // sievec enables vnd.dovecot.debug itself; managesieved refuses it.
        assert!(p.supports("vnd.dovecot.debug") && p.disabled("vnd.dovecot.debug"));
        for c in [
            "vnd.dovecot.pipe",
            "vnd.dovecot.execute",
            "imapflags",
            "notify",
        ] {
            assert!(p.supports(c) && p.disabled(c), "{c}");
        }
        assert!(!p.supports("vnd.cyrus.log"));
    }

    /// Pigeonhole 2.4 sources: extlists exists, `redirect :list` always fails.
    #[test]
    fn dovecot_2_4_facts() {
        let p = find("dovecot-2.4").unwrap();
        assert!(p.supports("extlists") && p.disabled("extlists"));
        assert!(
            p.missing_features
                .iter()
                .any(|f| f.name == "redirect :list")
        );
        assert_eq!(p.list_schemes, Some(&["urn", "tag"][..]));
        // 2.4 removed the drafts and vnd.dovecot.duplicate.
        assert!(!p.supports("imapflags") && !p.supports("notify"));
        assert!(!p.supports("vnd.dovecot.duplicate"));
        assert!(p.supports("vnd.dovecot.pipe") && p.disabled("vnd.dovecot.pipe"));
    }

    /// Cyrus extension_isactive(): no spamtest or mime; address-book lists.
    #[test]
    fn cyrus_3_facts() {
        let p = find("cyrus-3").unwrap();
        assert!(!p.supports("spamtest") && !p.supports("mime"));
        assert!(p.supports("fcc") && p.supports("extlists"));
        assert_eq!(p.list_schemes, Some(&["urn"][..]));
        assert!(p.supports("notify") && p.supports("vnd.cyrus.log"));
        assert!(!p.supports("imapflags") && !p.supports("vnd.dovecot.pipe"));
    }

    /// stalwartlabs/sieve: extlists with `redirect :list`; no unicode-casemap.
    #[test]
    fn stalwart_facts() {
        let p = find("stalwart").unwrap();
        assert!(p.supports("extlists") && p.missing_features.is_empty());
        assert!(!p.supports("comparator-i;unicode-casemap"));
    }
}
