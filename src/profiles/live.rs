//! A target built at run time: from what a ManageSieve server announces
//! (RFC 5804 §1.7: SIEVE, NOTIFY, MAXREDIRECTS, IMPLEMENTATION; RFC 6134
//! §2.8: EXTLISTS), or from a profile file saved from one
//! ([`super::file`]).
//!
//! [`Profile`] has `&'static` fields, which every rule reads; a profile
//! built here is leaked once per server URL (or file) per process and
//! cached ([`cached`]), so a long-running language server builds it once,
//! never per keystroke, and the memory is bounded by the servers named.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use super::{Profile, ProfileLimits};
use crate::lists::name::{Extlists, parse_extlists};
use crate::managesieve::{Capabilities, Client, Options, ServerUrl};

/// A target read from a server or a profile file.
#[derive(Debug)]
pub struct ServerProfile {
    /// The profile the rules read.
    pub profile: &'static Profile,
    /// The server's IMPLEMENTATION string (or the file's `server`).
    pub implementation: String,
    /// `sieve://host:port`, or the profile file's path.
    pub origin: String,
    /// NOTIFY: the notification methods (RFC 5804 §1.7, RFC 5435).
    pub notify_methods: Vec<String>,
    /// EXTLISTS as sent.
    pub extlists_raw: Option<String>,
    /// EXTLISTS parsed (three forms); `None`: absent or unreadable.
    pub extlists: Option<Extlists>,
    /// Why EXTLISTS could not be read, if so (said in `targets`).
    pub extlists_problem: Option<String>,
}

impl ServerProfile {
    /// Applies the profile to check options: the target, and the lists the
    /// server names (full EXTLISTS names). `--list-schemes` stays in force
    /// where given.
    pub fn apply(&self, options: &mut crate::CheckOptions) {
        options.target = Some(self.profile);
        if options.list_names.is_none()
            && let Some(e) = &self.extlists
            && !e.names.is_empty()
        {
            options.list_names = Some(e.names.clone());
        }
    }

    /// What `sieve-lint targets --server` prints.
    pub fn describe(&self) -> String {
        let p = self.profile;
        let mut out = String::new();
        out.push_str(&format!("{:<16} {}\n", "target", p.id));
        out.push_str(&format!("{:<16} {}\n", "server", p.server));
        out.push_str(&format!("{:<16} {}\n", "source", p.source));
        let caps = p.capabilities.unwrap_or(&[]);
        out.push_str(&format!("{:<16} {}\n", "extensions", caps.join(" ")));
        if !p.disabled_by_default.is_empty() {
            out.push_str(&format!(
                "{:<16} {}\n",
                "disabled",
                p.disabled_by_default.join(" ")
            ));
        }
        let unknown: Vec<&str> = caps
            .iter()
            .copied()
            .filter(|c| !crate::ext::is_known_capability(c))
            .collect();
        if !unknown.is_empty() {
            out.push_str(&format!(
                "{:<16} {} (not known to sieve-lint: accepted in require, not checked)\n",
                "",
                unknown.join(" ")
            ));
        }
        // Built-in profiles do not record notification methods.
        if !self.notify_methods.is_empty() || self.origin.starts_with("sieve://") {
            out.push_str(&format!(
                "{:<16} {}\n",
                "notify methods",
                if self.notify_methods.is_empty() {
                    "(none announced)".to_string()
                } else {
                    self.notify_methods.join(" ")
                }
            ));
        }
        out.push_str(&format!(
            "{:<16} {}\n",
            "max redirects",
            p.limits
                .max_redirects
                .map_or("(not announced)".to_string(), |n| n.to_string())
        ));
        match (&self.extlists_raw, &self.extlists) {
            (None, _) => out.push_str(&format!("{:<16} (none)\n", "extlists")),
            (Some(raw), Some(e)) => {
                out.push_str(&format!("{:<16} {raw}\n", "extlists"));
                out.push_str(&format!("{:<16} schemes: {}\n", "", e.schemes.join(" ")));
                if !e.names.is_empty() {
                    out.push_str(&format!("{:<16} lists: {}\n", "", e.names.join(" ")));
                }
                if !e.prefixes.is_empty() {
                    out.push_str(&format!("{:<16} prefixes: {}\n", "", e.prefixes.join(" ")));
                }
            }
            (Some(raw), None) => out.push_str(&format!(
                "{:<16} {raw} (ignored: {})\n",
                "extlists",
                self.extlists_problem.as_deref().unwrap_or("unreadable")
            )),
        }
        out
    }
}

fn leak(s: impl Into<String>) -> &'static str {
    Box::leak(s.into().into_boxed_str())
}

/// The id family: `dovecot` for Pigeonhole (rules with Dovecot quirks key
/// on the id), `cyrus`, else `server`.
fn family(implementation: &str) -> &'static str {
    let l = implementation.to_ascii_lowercase();
    if l.contains("dovecot") || l.contains("pigeonhole") {
        "dovecot"
    } else if l.contains("cyrus") {
        "cyrus"
    } else {
        "server"
    }
}

/// The parts a profile is built from (a server's answer or a file).
pub struct Parts {
    pub id: String,
    pub implementation: String,
    pub source: String,
    pub origin: String,
    pub capabilities: Vec<String>,
    pub disabled_by_default: Vec<String>,
    pub notify_methods: Vec<String>,
    pub extlists: Option<String>,
    pub limits: ProfileLimits,
}

/// Builds (and leaks, once) the profile.
pub fn build(parts: Parts) -> ServerProfile {
    let (extlists, extlists_problem) = match parts.extlists.as_deref().map(parse_extlists) {
        None => (None, None),
        Some(Ok(e)) => (Some(e), None),
        Some(Err(e)) => (None, Some(e)),
    };
    let caps: Vec<&'static str> = parts
        .capabilities
        .iter()
        .map(|c| leak(c.to_ascii_lowercase()))
        .collect();
    let disabled: Vec<&'static str> = parts
        .disabled_by_default
        .iter()
        .map(|c| leak(c.to_ascii_lowercase()))
        .collect();
    let list_schemes = extlists.as_ref().map(|e| {
        let v: Vec<&'static str> = e.schemes.iter().map(|s| leak(s.as_str())).collect();
        &*Box::leak(v.into_boxed_slice())
    });
    let profile: &'static Profile = Box::leak(Box::new(Profile {
        id: leak(parts.id),
        server: leak(parts.implementation.clone()),
        source: leak(parts.source),
        capabilities: Some(Box::leak(caps.into_boxed_slice())),
        disabled_by_default: Box::leak(disabled.into_boxed_slice()),
        missing_features: &[],
        list_schemes,
        limits: parts.limits,
    }));
    ServerProfile {
        profile,
        implementation: parts.implementation,
        origin: parts.origin,
        notify_methods: parts.notify_methods,
        extlists_raw: parts.extlists,
        extlists,
        extlists_problem,
    }
}

/// A built-in profile in the same shape (`sieve-lint targets NAME`).
pub fn of_builtin(p: &'static Profile) -> ServerProfile {
    let extlists_raw = p.list_schemes.map(|s| s.join(" "));
    ServerProfile {
        profile: p,
        implementation: p.server.to_string(),
        origin: p.id.to_string(),
        notify_methods: Vec::new(),
        extlists: extlists_raw.as_deref().and_then(|e| parse_extlists(e).ok()),
        extlists_raw,
        extlists_problem: None,
    }
}

/// The profile a server's capabilities (read after login with
/// `mechanism`) describe.
pub fn from_capabilities(url: &ServerUrl, caps: &Capabilities, mechanism: &str) -> ServerProfile {
    let implementation = caps
        .get("IMPLEMENTATION")
        .filter(|s| !s.trim().is_empty())
        .unwrap_or("unnamed ManageSieve server")
        .to_string();
    let max_redirects = caps.get("MAXREDIRECTS").and_then(|v| v.trim().parse().ok());
    let origin = url.display();
    // RFC 5228 §2.7.3: every implementation MUST support "i;octet" and
    // "i;ascii-casemap"; servers do not list them (Dovecot does not), yet
    // scripts may require them.
    let mut capabilities = caps.words("SIEVE");
    for implied in ["comparator-i;octet", "comparator-i;ascii-casemap"] {
        if !capabilities.iter().any(|c| c.eq_ignore_ascii_case(implied)) {
            capabilities.push(implied.to_string());
        }
    }
    build(Parts {
        id: format!("{}@{}", family(&implementation), url.host),
        source: format!("ManageSieve capabilities of {origin} (read after login with {mechanism})"),
        origin,
        implementation,
        capabilities,
        disabled_by_default: Vec::new(),
        notify_methods: caps.words("NOTIFY"),
        extlists: caps.get("EXTLISTS").map(str::to_string),
        limits: ProfileLimits {
            max_redirects,
            ..ProfileLimits::default()
        },
    })
}

/// How sieve-lint reaches servers (`--server-insecure`, timeouts).
#[derive(Debug, Clone, Default)]
pub struct Connect {
    pub options: Options,
    /// Ask for a password on the terminal when none is found.
    pub prompt: bool,
}

/// Logs in to the server `url` (password from SIEVE_PASSWORD, netrc or the
/// terminal: [`crate::credentials::lookup`]).
pub fn login(url: &str, how: &Connect) -> Result<(ServerUrl, Client), String> {
    let parsed = ServerUrl::parse(url)?;
    let creds = crate::credentials::lookup(
        &parsed.host,
        parsed.user.as_deref(),
        "SIEVE_PASSWORD",
        how.prompt,
    )
    .map_err(|e| e.to_string())?;
    let client = Client::connect(&parsed, &creds.user, &creds.password, &how.options)
        .map_err(|e| e.to_string())?;
    Ok((parsed, client))
}

/// Reads the profile of the server at `url`: logs in, reads the
/// capabilities, logs out.
pub fn read(url: &str, how: &Connect) -> Result<ServerProfile, String> {
    let (parsed, client) = login(url, how)?;
    let profile = from_capabilities(&parsed, &client.capabilities, client.mechanism);
    client.logout();
    Ok(profile)
}

type Cache = Mutex<HashMap<String, &'static ServerProfile>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// [`read`], once per URL per process; errors are not cached.
pub fn cached(url: &str, how: &Connect) -> Result<&'static ServerProfile, String> {
    if let Some(p) = cache().lock().ok().and_then(|c| c.get(url).copied()) {
        return Ok(p);
    }
    let p: &'static ServerProfile = Box::leak(Box::new(read(url, how)?));
    if let Ok(mut c) = cache().lock() {
        c.insert(url.to_string(), p);
    }
    Ok(p)
}

/// A profile file ([`super::file::load`]), once per path per process.
pub fn cached_file(path: &std::path::Path) -> Result<&'static ServerProfile, String> {
    let key = format!("file:{}", path.display());
    if let Some(p) = cache().lock().ok().and_then(|c| c.get(&key).copied()) {
        return Ok(p);
    }
    let p: &'static ServerProfile = Box::leak(Box::new(super::file::load(path)?));
    if let Ok(mut c) = cache().lock() {
        c.insert(key, p);
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(lines: &[(&str, Option<&str>)]) -> Capabilities {
        Capabilities {
            entries: lines
                .iter()
                .map(|(n, v)| (n.to_string(), v.map(str::to_string)))
                .collect(),
        }
    }

    #[test]
    fn profile_from_capabilities() {
        let url = ServerUrl::parse("sieve://me@mail.example.org").unwrap();
        let sp = from_capabilities(
            &url,
            &caps(&[
                ("IMPLEMENTATION", Some("Dovecot Pigeonhole")),
                ("SIEVE", Some("fileinto Envelope vnd.dovecot.x")),
                ("NOTIFY", Some("mailto")),
                ("MAXREDIRECTS", Some("7")),
                ("EXTLISTS", Some("urn:ietf:params:sieve:addrbook:default")),
            ]),
            "PLAIN",
        );
        let p = sp.profile;
        assert_eq!(p.id, "dovecot@mail.example.org");
        assert_eq!(p.server, "Dovecot Pigeonhole");
        assert!(p.supports("envelope") && p.supports("fileinto") && !p.supports("body"));
        assert!(p.supports("comparator-i;octet") && p.supports("comparator-i;ascii-casemap"));
        assert_eq!(p.limits.max_redirects, Some(7));
        assert_eq!(p.list_schemes, Some(&["urn"][..]));
        assert_eq!(sp.notify_methods, ["mailto"]);
        let mut o = crate::CheckOptions::default();
        sp.apply(&mut o);
        assert_eq!(
            o.list_names.as_deref(),
            Some(&["urn:ietf:params:sieve:addrbook:default".to_string()][..])
        );
        assert!(sp.describe().contains("vnd.dovecot.x (not known"));
    }

    #[test]
    fn odd_capabilities_do_not_break_the_profile() {
        let url = ServerUrl::parse("sieve://h:1").unwrap();
        let sp = from_capabilities(
            &url,
            &caps(&[("MAXREDIRECTS", Some("many")), ("EXTLISTS", Some("1bad"))]),
            "PLAIN",
        );
        assert_eq!(sp.profile.server, "unnamed ManageSieve server");
        assert_eq!(sp.profile.limits.max_redirects, None);
        assert!(sp.extlists.is_none() && sp.extlists_problem.is_some());
        assert!(!sp.profile.supports("fileinto"));
    }
}
