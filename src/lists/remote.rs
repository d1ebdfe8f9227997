//! Live list sources, read-only: the address books of sieve-lint.toml's
//! `[addrbooks]` table, each a name and a URL. The URL's scheme picks the
//! source: `https:` (and `http:` to this machine only) is a CardDAV
//! collection ([`super::carddav`], RFC 6352), `ldap:`/`ldaps:` an LDAP
//! search (RFC 4516, [`ldap`]).
//!
//! Each book is fetched once, before the run (an LDAP book too big to
//! fetch is asked per lookup instead, see [`super::ldap`]), and becomes a
//! list like a file's: matched without regard to
//! case (RFC 6134 §2.6), its origin saying where it came from, which
//! `--trace` shows for each lookup. A book that cannot be had — offline,
//! unreachable, refused, malformed — is an error naming the list: never a
//! silently empty list.

use super::name::{ListName, parse_name};
use super::source::{List, ListError, ListSet};
use std::path::PathBuf;
use std::time::Duration;

/// The most members one live list may have (each a separate EMAIL or LDAP
/// value): past it, an error rather than an unbounded download.
pub const MAX_REMOTE_MEMBERS: usize = 1_000_000;

/// How live sources are used.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--offline`: no network access at all; a live list is an error.
    pub offline: bool,
    /// `--cache-dir`: where fetched books are kept between runs.
    pub cache_dir: Option<PathBuf>,
    /// Connecting (TCP and TLS) may take this long.
    pub connect_timeout: Duration,
    /// The whole request, answer included, may take this long.
    pub timeout: Duration,
    /// Members a list may have.
    pub max_members: usize,
    /// An LDAP book with more entries than this is asked per lookup
    /// instead of fetched whole.
    pub fetch_max: usize,
    /// Whether a password may be asked for at the terminal.
    pub prompt: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            offline: false,
            cache_dir: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(120),
            max_members: MAX_REMOTE_MEMBERS,
            fetch_max: super::ldap::FETCH_ONCE_MAX,
            prompt: true,
        }
    }
}

/// One `[addrbooks]` entry: the book's name (`default`, `friends`) and
/// where it lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addrbook {
    pub book: String,
    pub url: url::Url,
    /// For a book a script names by its LDAP URL (RFC 4516 as a list
    /// name): that name, as written.
    pub written: Option<String>,
}

impl Addrbook {
    /// A list name that is itself an LDAP URL (`ldap://host/dn?mail?sub`):
    /// a book to search, named by the script. `None` for any other name.
    pub fn from_ldap_name(name: &str) -> Option<Addrbook> {
        let url = url::Url::parse(name).ok()?;
        matches!(url.scheme(), "ldap" | "ldaps").then(|| Addrbook {
            book: name.to_string(),
            url,
            written: Some(name.to_string()),
        })
    }

    /// The list name the entry answers to: `:addrbook:<book>`, the book
    /// name percent-encoded where RFC 6134 §2.6 requires (or the LDAP URL
    /// the script named it by).
    pub fn list_name(&self) -> Result<ListName, String> {
        if let Some(w) = &self.written {
            return parse_name(w).map_err(|e| e.to_string());
        }
        let mut seg = String::new();
        for b in self.book.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@".contains(&b) {
                seg.push(char::from(b));
            } else {
                seg.push_str(&format!("%{b:02X}"));
            }
        }
        parse_name(&format!(":addrbook:{seg}")).map_err(|e| e.to_string())
    }
}

/// Checks an `[addrbooks]` URL: a scheme sieve-lint reads, no password in
/// it (passwords come from the environment, ~/.netrc or the terminal),
/// and plain `http:` only to this machine.
pub fn check_url(url: &url::Url) -> Result<(), String> {
    if url.password().is_some() {
        return Err(
            "a password in the URL: give it in SIEVE_LISTS_PASSWORD or ~/.netrc instead".into(),
        );
    }
    match url.scheme() {
        "https" | "ldap" | "ldaps" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(format!(
            "plain http:// sends the address book (and a password) in clear: use https:// \
             ({} is not this machine)",
            url.host_str().unwrap_or("")
        )),
        other => Err(format!(
            "an address book URL is https:// (CardDAV) or ldap:// / ldaps:// (LDAP), not {other}:"
        )),
    }
}

/// Whether the URL's host is this machine (127.0.0.0/8, ::1, localhost).
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(a)) => a.is_loopback(),
        Some(url::Host::Ipv6(a)) => a.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Fetches every configured book not already among `set`'s lists (a list
/// file of the same name, given on the command line, wins) and adds it.
pub fn resolve(set: &mut ListSet, books: &[Addrbook], opts: &Options) -> Result<(), ListError> {
    for b in books {
        let name = b.list_name().map_err(|m| ListError::Remote {
            list: b
                .written
                .clone()
                .unwrap_or_else(|| format!(":addrbook:{}", b.book)),
            url: b.url.to_string(),
            message: m,
        })?;
        if set.get_normalized(&name.normalized).is_some() {
            continue;
        }
        let list = fetch(&name, &b.url, opts)?;
        set.add(list)?;
    }
    Ok(())
}

/// Adds every configured book as a name with no members, not fetched
/// (`check` without `--resolve-lists`: `unknown-list` knows the names).
pub fn declare(set: &mut ListSet, books: &[Addrbook]) {
    for b in books {
        if let Ok(name) = b.list_name()
            && set.get_normalized(&name.normalized).is_none()
        {
            let mut list = List::of(name);
            list.origin = format!("{} (not fetched)", b.url);
            // A name not yet loaded cannot be a duplicate.
            let _ = set.add(list);
        }
    }
}

/// One book, by its URL's scheme.
pub fn fetch(name: &ListName, url: &url::Url, opts: &Options) -> Result<List, ListError> {
    if opts.offline {
        return Err(ListError::Remote {
            list: name.original.clone(),
            url: url.to_string(),
            message: "--offline forbids network access, and this address book is on a server \
                      (give it as a .vcf file with --list, or drop --offline)"
                .into(),
        });
    }
    match url.scheme() {
        "https" | "http" => super::carddav::fetch(name, url, opts),
        "ldap" | "ldaps" => ldap(name, url, opts),
        _ => Err(ListError::Remote {
            list: name.original.clone(),
            url: url.to_string(),
            message: check_url(url)
                .err()
                .unwrap_or_else(|| "unknown scheme".into()),
        }),
    }
}

/// An LDAP book (RFC 4516 URL): see [`super::ldap`].
pub fn ldap(name: &ListName, url: &url::Url, opts: &Options) -> Result<List, ListError> {
    super::ldap::fetch(name, url, opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> url::Url {
        url::Url::parse(s).expect("a URL")
    }

    #[test]
    fn urls_are_checked() {
        assert!(check_url(&url("https://dav.example.org/addressbooks/me/contacts/")).is_ok());
        assert!(check_url(&url("ldaps://ldap.example.com/dc=example,dc=com?mail")).is_ok());
        assert!(check_url(&url("http://127.0.0.1:5232/me/contacts/")).is_ok());
        assert!(check_url(&url("http://localhost/me/")).is_ok());
        assert!(check_url(&url("http://[::1]:8080/me/")).is_ok());
        assert!(check_url(&url("http://dav.example.org/me/")).is_err());
        assert!(check_url(&url("https://me:secret@dav.example.org/")).is_err());
        assert!(check_url(&url("ftp://example.org/")).is_err());
    }

    #[test]
    fn offline_names_the_list_and_the_flag() {
        let b = Addrbook {
            book: "Default".into(),
            url: url("https://dav.example.org/c/"),
            written: None,
        };
        let name = b.list_name().expect("a name");
        assert_eq!(name.normalized, "urn:ietf:params:sieve:addrbook:default");
        let opts = Options {
            offline: true,
            ..Options::default()
        };
        let e = fetch(&name, &b.url, &opts)
            .expect_err("offline")
            .to_string();
        assert!(
            e.contains("--offline") && e.contains(":addrbook:Default"),
            "{e}"
        );
    }

    #[test]
    fn ldap_malformed_url_is_a_clear_error() {
        let b = Addrbook {
            book: "staff".into(),
            url: url("ldap://ldap.example.com/dc=example,dc=com?mail?deep"),
            written: None,
        };
        let mut set = ListSet::default();
        let e = resolve(&mut set, &[b], &Options::default())
            .expect_err("bad scope")
            .to_string();
        assert!(
            e.contains("malformed LDAP URL") && e.contains(":addrbook:staff"),
            "{e}"
        );
    }

    #[test]
    fn an_ldap_url_list_name_is_its_own_book() {
        let name =
            "ldap://Ldap.Example.com/ou=staff,dc=example,dc=com?mail?sub?(objectClass=person)";
        let b = Addrbook::from_ldap_name(name).expect("an LDAP URL");
        assert_eq!(b.url.scheme(), "ldap");
        let n = b.list_name().expect("valid");
        assert_eq!(n.original, name, "the name as the script wrote it");
        assert_eq!(
            n.normalized,
            crate::lists::parse_name(name).expect("valid").normalized
        );
        assert!(Addrbook::from_ldap_name("ldaps://h/dc=x").is_some());
        for other in [
            ":addrbook:default",
            "tag:example.com,2026:vip",
            "https://h/",
            "ldap",
        ] {
            assert!(Addrbook::from_ldap_name(other).is_none(), "{other}");
        }
    }

    #[test]
    fn book_names_are_encoded() {
        let b = Addrbook {
            book: "my friends".into(),
            url: url("https://x.example/"),
            written: None,
        };
        assert_eq!(
            b.list_name().expect("valid").original,
            ":addrbook:my%20friends"
        );
    }
}
