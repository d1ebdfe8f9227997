//! Profile files: a target saved as TOML (`--save-profile FILE`), so CI
//! can lint against a server it cannot reach (`--target FILE`).
//!
//! ```toml
//! id = "dovecot@mail.example.org"
//! server = "Dovecot Pigeonhole"
//! source = "ManageSieve capabilities of sieve://mail.example.org:4190 (read after login)"
//! capabilities = ["fileinto", "envelope"]
//! notify-methods = ["mailto"]
//! extlists = "urn:ietf:params:sieve:addrbook:default"
//! max-redirects = 4
//! ```
//! `disabled-by-default`, `max-script-size`, `max-nesting` and
//! `max-actions` may be added by hand. Unknown keys are an error, so a
//! typo does not silently drop a fact.

use serde::{Deserialize, Serialize};
use std::path::Path;

use super::ProfileLimits;
use super::live::{Parts, ServerProfile, build};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ProfileFile {
    id: String,
    server: String,
    #[serde(default)]
    source: String,
    capabilities: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    disabled_by_default: Vec<String>,
    #[serde(default)]
    notify_methods: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extlists: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_redirects: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_script_size: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_nesting: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_actions: Option<usize>,
}

/// The largest profile file read (a real one is under 2 KiB).
const MAX_BYTES: u64 = 1 << 20;

/// The TOML text of a profile.
pub fn to_toml(sp: &ServerProfile) -> String {
    let p = sp.profile;
    let file = ProfileFile {
        id: p.id.to_string(),
        server: p.server.to_string(),
        source: p.source.to_string(),
        capabilities: p
            .capabilities
            .unwrap_or(&[])
            .iter()
            .map(|c| c.to_string())
            .collect(),
        disabled_by_default: p
            .disabled_by_default
            .iter()
            .map(|c| c.to_string())
            .collect(),
        notify_methods: sp.notify_methods.clone(),
        extlists: sp.extlists_raw.clone(),
        max_redirects: p.limits.max_redirects,
        max_script_size: p.limits.max_script_size,
        max_nesting: p.limits.max_nesting,
        max_actions: p.limits.max_actions,
    };
    let body = toml::to_string(&file).unwrap_or_default();
    format!(
        "# sieve-lint target profile: `sieve-lint check --target THIS-FILE`.\n# Saved by sieve-lint {} from {}.\n{body}",
        env!("CARGO_PKG_VERSION"),
        sp.origin
    )
}

/// Reads a profile file; errors name the file (and the line, for TOML).
pub fn load(path: &Path) -> Result<ServerProfile, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("{shown}: not a regular file"));
    }
    if meta.len() > MAX_BYTES {
        return Err(format!("{shown}: larger than 1 MiB: not a profile file"));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    parse(&text, &shown.to_string())
}

/// Parses profile-file text; `origin` names it in messages.
pub fn parse(text: &str, origin: &str) -> Result<ServerProfile, String> {
    let f: ProfileFile = toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|s| {
                let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                format!(":{line}")
            })
            .unwrap_or_default();
        format!("{origin}{at}: bad profile file: {}", e.message())
    })?;
    if f.id.trim().is_empty() || f.server.trim().is_empty() {
        return Err(format!(
            "{origin}: bad profile file: `id` and `server` must not be empty"
        ));
    }
    if let Some(e) = f.extlists.as_deref()
        && let Err(m) = crate::lists::name::parse_extlists(e)
    {
        return Err(format!("{origin}: bad profile file: extlists: {m}"));
    }
    Ok(build(Parts {
        id: f.id,
        implementation: f.server,
        source: if f.source.is_empty() {
            format!("profile file {origin}")
        } else {
            format!("{} (saved in {origin})", f.source)
        },
        origin: origin.to_string(),
        capabilities: f.capabilities,
        disabled_by_default: f.disabled_by_default,
        notify_methods: f.notify_methods,
        extlists: f.extlists,
        limits: ProfileLimits {
            max_script_size: f.max_script_size,
            max_nesting: f.max_nesting,
            max_actions: f.max_actions,
            max_redirects: f.max_redirects,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let text = "id = \"dovecot@h\"\nserver = \"Dovecot Pigeonhole\"\ncapabilities = [\"fileinto\", \"vacation\"]\nnotify-methods = [\"mailto\"]\nextlists = \"urn:ietf:params:sieve:addrbook\"\nmax-redirects = 4\n";
        let sp = parse(text, "p.toml").unwrap();
        assert!(sp.profile.supports("vacation") && !sp.profile.supports("body"));
        let again = parse(&to_toml(&sp), "q.toml").unwrap();
        assert_eq!(again.profile.capabilities, sp.profile.capabilities);
        assert_eq!(again.profile.limits.max_redirects, Some(4));
        assert_eq!(again.extlists_raw, sp.extlists_raw);
        assert_eq!(again.notify_methods, ["mailto"]);
    }

    #[test]
    fn bad_files_are_located_errors() {
        let e = parse(
            "id = \"x\"\nserver = \"y\"\ncapabilities = []\ncolour = 1\n",
            "p.toml",
        )
        .unwrap_err();
        assert!(e.starts_with("p.toml:4: bad profile file"), "{e}");
        let e = parse("id = \"x\"\nserver = \"y\"\n", "p.toml").unwrap_err();
        assert!(e.contains("capabilities"), "{e}");
        let e = parse(
            "id = \"x\"\nserver = \"y\"\ncapabilities = []\nextlists = \"1x\"\n",
            "p.toml",
        )
        .unwrap_err();
        assert!(e.contains("extlists"), "{e}");
    }
}
