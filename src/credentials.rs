//! Passwords for the servers sieve-lint talks to (ManageSieve, CardDAV,
//! LDAP). A password is never taken from the command line (it would show
//! in `ps` and in shell history) and never logged: [`Secret`] prints as
//! `***`. Where it comes from, first found wins:
//!
//! 1. an environment variable the caller names (`SIEVE_PASSWORD`, …);
//! 2. a netrc-style file: `$NETRC`, else `~/.netrc` — `machine HOST login
//!    USER password PASS` entries, `default` as the fallback, as ftp(1)
//!    and curl read them; a file that holds a password and that others can
//!    read is refused, as ftp(1) does;
//! 3. a prompt on the terminal, without echo, when standard input is one.
//!
//! Nothing here opens a connection.

use std::fmt;
use std::path::{Path, PathBuf};

/// A password. Its `Debug` and `Display` print `***`, so it cannot leak
/// into a log or a diagnostic by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }
    /// The password itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A user name and password for one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub password: Secret,
}

/// Why no password could be had.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CredentialError {
    #[error("{path}:{line}: {message}")]
    Netrc {
        path: String,
        line: usize,
        message: String,
    },
    #[error(
        "{path} holds a password and can be read by others; `chmod 600 {path}` (as ftp(1) requires)"
    )]
    NetrcReadable { path: String },
    #[error("cannot read {path}: {message}")]
    Read { path: String, message: String },
    #[error(
        "no password for {user}@{host}: set {env}, add a `machine {host}` entry to ~/.netrc (or $NETRC), or run on a terminal to be asked"
    )]
    Missing {
        user: String,
        host: String,
        env: String,
    },
    #[error(
        "no user name for {host}: give one in the URL (user@{host}) or in a `machine {host} login USER` entry of ~/.netrc"
    )]
    NoUser { host: String },
}

/// One `machine` (or `default`) entry of a netrc file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetrcEntry {
    /// `None`: the `default` entry.
    pub machine: Option<String>,
    pub login: Option<String>,
    pub password: Option<Secret>,
}

/// Parses netrc text. Tokens are separated by white space; `macdef NAME`
/// skips to the next blank line; `#` starts a comment at the start of a
/// token (curl's reading). Unknown keywords are an error with their line,
/// so a typo does not silently lose a password.
pub fn parse_netrc(text: &str) -> Result<Vec<NetrcEntry>, (usize, String)> {
    let mut entries: Vec<NetrcEntry> = Vec::new();
    let mut tokens = Tokens::new(text);
    while let Some((line, token)) = tokens.next() {
        match token {
            "machine" => {
                let Some((_, name)) = tokens.next() else {
                    return Err((line, "`machine` without a host name".into()));
                };
                entries.push(NetrcEntry {
                    machine: Some(name.to_string()),
                    ..NetrcEntry::default()
                });
            }
            "default" => entries.push(NetrcEntry::default()),
            "login" | "password" | "account" => {
                let Some((_, value)) = tokens.next() else {
                    return Err((line, format!("`{token}` without a value")));
                };
                let Some(entry) = entries.last_mut() else {
                    return Err((line, format!("`{token}` before any `machine` entry")));
                };
                match token {
                    "login" => entry.login = Some(value.to_string()),
                    "password" => entry.password = Some(Secret::new(value)),
                    _ => {}
                }
            }
            "macdef" => {
                tokens.next();
                tokens.skip_macro();
            }
            other => {
                return Err((line, format!("unknown netrc keyword `{other}`")));
            }
        }
    }
    Ok(entries)
}

/// The entry for `host` (and `user`, when given), else `default`.
pub fn find_entry<'a>(
    entries: &'a [NetrcEntry],
    host: &str,
    user: Option<&str>,
) -> Option<&'a NetrcEntry> {
    let user_fits =
        |e: &&NetrcEntry| user.is_none_or(|u| e.login.as_deref().is_none_or(|l| l == u));
    entries
        .iter()
        .filter(|e| {
            e.machine
                .as_deref()
                .is_some_and(|m| m.eq_ignore_ascii_case(host))
        })
        .find(user_fits)
        .or_else(|| {
            entries
                .iter()
                .filter(|e| e.machine.is_none())
                .find(user_fits)
        })
}

struct Tokens<'a> {
    rest: &'a str,
    line: usize,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Self {
        Tokens {
            rest: text.strip_prefix('\u{feff}').unwrap_or(text),
            line: 1,
        }
    }

    /// Skips a macro body: everything up to and including the next empty
    /// line.
    fn skip_macro(&mut self) {
        // Finish the `macdef NAME` line first.
        let Some(end) = self.rest.find('\n') else {
            self.rest = "";
            return;
        };
        self.rest = &self.rest[end + 1..];
        self.line += 1;
        loop {
            let (line, rest) = match self.rest.find('\n') {
                Some(i) => (&self.rest[..i], &self.rest[i + 1..]),
                None => (self.rest, ""),
            };
            self.rest = rest;
            self.line += 1;
            if line.trim().is_empty() || rest.is_empty() {
                return;
            }
        }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<(usize, &'a str)> {
        loop {
            let trimmed = self.rest.trim_start_matches(|c: char| {
                if c == '\n' {
                    self.line += 1;
                }
                c.is_whitespace()
            });
            self.rest = trimmed;
            if self.rest.is_empty() {
                return None;
            }
            if self.rest.starts_with('#') {
                let end = self.rest.find('\n').unwrap_or(self.rest.len());
                self.rest = &self.rest[end..];
                continue;
            }
            if let Some(quoted) = self.rest.strip_prefix('"') {
                // A quoted token (curl): up to the next quote, no escapes
                // needed for passwords with spaces.
                let end = quoted.find('"').unwrap_or(quoted.len());
                let token = &quoted[..end];
                self.line += token.matches('\n').count();
                self.rest = quoted.get(end + 1..).unwrap_or("");
                return Some((self.line, token));
            }
            let end = self
                .rest
                .find(char::is_whitespace)
                .unwrap_or(self.rest.len());
            let token = &self.rest[..end];
            self.rest = &self.rest[end..];
            return Some((self.line, token));
        }
    }
}

/// Where the netrc file is: `$NETRC`, else `$HOME/.netrc`.
pub fn netrc_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("NETRC").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| Path::new(&h).join(".netrc"))
}

/// Reads the netrc file at `path`; a missing file is no entries.
pub fn read_netrc(path: &Path) -> Result<Vec<NetrcEntry>, CredentialError> {
    let shown = path.display().to_string();
    let text = match crate::files::read_regular(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(CredentialError::Read {
                path: shown,
                message: e.to_string(),
            });
        }
    };
    let text = String::from_utf8_lossy(&text);
    let entries = parse_netrc(&text).map_err(|(line, message)| CredentialError::Netrc {
        path: shown.clone(),
        line,
        message,
    })?;
    #[cfg(unix)]
    if entries.iter().any(|e| e.password.is_some()) {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            return Err(CredentialError::NetrcReadable { path: shown });
        }
    }
    Ok(entries)
}

/// Finds credentials for `user@host` (user optional: the netrc entry may
/// name it): from the environment variable `env`, the netrc file, or a
/// prompt when `prompt` is allowed and standard input is a terminal.
pub fn lookup(
    host: &str,
    user: Option<&str>,
    env: &str,
    prompt: bool,
) -> Result<Credentials, CredentialError> {
    let entries = match netrc_path() {
        Some(p) => read_netrc(&p)?,
        None => Vec::new(),
    };
    let entry = find_entry(&entries, host, user);
    let user = match user
        .map(str::to_string)
        .or_else(|| entry.and_then(|e| e.login.clone()))
    {
        Some(u) => u,
        None => {
            return Err(CredentialError::NoUser {
                host: host.to_string(),
            });
        }
    };
    if let Some(p) = std::env::var_os(env).filter(|p| !p.is_empty()) {
        return Ok(Credentials {
            user,
            password: Secret::new(p.to_string_lossy()),
        });
    }
    if let Some(p) = entry.and_then(|e| e.password.clone()) {
        return Ok(Credentials { user, password: p });
    }
    if prompt && std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        let asked = format!("Password for {user}@{host}: ");
        if let Ok(p) = rpassword::prompt_password(asked) {
            return Ok(Credentials {
                user,
                password: Secret::new(p),
            });
        }
    }
    Err(CredentialError::Missing {
        user,
        host: host.to_string(),
        env: env.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_prints() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s} {s:?}"), "*** ***");
        let c = Credentials {
            user: "me".into(),
            password: s,
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn netrc_entries_and_default() {
        let text = "# mine\nmachine mail.example.org login me password \"a b\"\n\
                    machine other login you password x\n\
                    macdef init\ncd /\nls\n\ndefault password guest\n";
        let e = parse_netrc(text).unwrap();
        assert_eq!(e.len(), 3);
        let m = find_entry(&e, "MAIL.example.org", None).unwrap();
        assert_eq!(m.login.as_deref(), Some("me"));
        assert_eq!(m.password.as_ref().unwrap().expose(), "a b");
        // A user the entry does not name falls to `default`.
        let d = find_entry(&e, "mail.example.org", Some("bob")).unwrap();
        assert_eq!(d.machine, None);
        let fallback = find_entry(&e, "nowhere", None).unwrap();
        assert_eq!(fallback.password.as_ref().unwrap().expose(), "guest");
        // An entry naming another login does not fit.
        assert!(find_entry(&e[..2], "other", Some("bob")).is_none());
    }

    #[test]
    fn netrc_single_line_and_errors() {
        let e = parse_netrc("machine h login u password p").unwrap();
        assert_eq!(e[0].password.as_ref().unwrap().expose(), "p");
        assert_eq!(parse_netrc("login u").unwrap_err().0, 1);
        let (line, msg) = parse_netrc("machine h\n\n  pasword p").unwrap_err();
        assert_eq!(line, 3);
        assert!(msg.contains("pasword"), "{msg}");
        assert!(parse_netrc("machine").is_err());
        assert!(parse_netrc("").unwrap().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn readable_netrc_with_password_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("netrc");
        std::fs::write(&p, "machine h login u password p\n").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            read_netrc(&p),
            Err(CredentialError::NetrcReadable { .. })
        ));
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(read_netrc(&p).unwrap().len(), 1);
        assert!(read_netrc(&dir.path().join("missing")).unwrap().is_empty());
    }
}
