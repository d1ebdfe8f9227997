//! LDAP address books, read-only: an `[addrbooks]` URL of the form of
//! RFC 4516 §2 (`ldap://host:port/<dn>?<attributes>?<scope>?<filter>?<extensions>`)
//! names a search; every value of the (first) attribute of every entry
//! found is a member. A book of at most `--list-fetch-max` entries
//! ([`FETCH_ONCE_MAX`]) is fetched once, in pages (RFC 2696 simple paged
//! results), capped at `Options::max_members`; a bigger one, or one whose
//! server stops a search early (sizeLimitExceeded), is asked per lookup
//! with the URL's filter and the tested value (`(&(filter)(mail=value))`),
//! each distinct value once a run.
//!
//! Client: the `ldap3` crate's synchronous `LdapConn`, built with
//! `tls-rustls-ring` (rustls 0.23 with ring, no aws-lc), so `ldaps:` and
//! the `StartTLS` extension work. Anonymous, or a simple bind (RFC 4513
//! §5.1.3) as the `bindname` extension's DN, with the password from
//! [`crate::credentials::lookup`] (`SIEVE_LISTS_PASSWORD`, ~/.netrc, the
//! terminal) — never from the URL.

use super::name::ListName;
use super::remote::Options;
use super::source::{List, ListError, Live, MAX_MEMBER_BYTES};
use crate::credentials::Secret;
use ldap3::adapters::{Adapter, EntriesOnly, PagedResults};
use ldap3::{
    LdapConn, LdapConnSettings, Scope, SearchEntry, SearchOptions, SearchResult, StdStream,
};
use std::collections::HashMap;
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Environment variable holding the bind password.
pub const PASSWORD_ENV: &str = "SIEVE_LISTS_PASSWORD";

/// One RFC 4516 URL, taken apart.
#[derive(Debug, Clone, PartialEq)]
pub struct LdapUrl {
    /// `ldaps` (TLS from the start) or not.
    pub tls: bool,
    pub host: String,
    pub port: u16,
    /// The base DN (RFC 4516 §2 `dn`), percent-decoded.
    pub base: String,
    /// The attribute whose values are members (default `mail`).
    pub attr: String,
    pub scope: Scope,
    /// The filter (default `(objectClass=*)`, RFC 4516 §2).
    pub filter: String,
    /// The `StartTLS` extension (on a plain `ldap:` URL).
    pub starttls: bool,
    /// The `bindname` extension: the DN to bind as.
    pub bindname: Option<String>,
}

fn decode(s: &str, what: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("{what}: bad percent escape at byte {i} of {s:?}"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("{what}: not UTF-8 once decoded: {s:?}"))
}

/// Takes an `ldap:`/`ldaps:` URL apart (RFC 4516 §2); the error says
/// which part is wrong.
pub fn parse_url(url: &url::Url) -> Result<LdapUrl, String> {
    let tls = match url.scheme() {
        "ldap" => false,
        "ldaps" => true,
        s => return Err(format!("scheme {s}: is not ldap: or ldaps:")),
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err("user information in an LDAP URL: use the bindname extension".into());
    }
    let host = match url.host() {
        Some(url::Host::Ipv6(a)) => a.to_string(),
        Some(h) => h.to_string(),
        None => return Err("no host: name the LDAP server (ldap://host/...)".into()),
    };
    if host.is_empty() {
        return Err("no host: name the LDAP server (ldap://host/...)".into());
    }
    let port = url.port().unwrap_or(if tls { 636 } else { 389 });
    let base = decode(url.path().strip_prefix('/').unwrap_or(""), "the base DN")?;
    if url.fragment().is_some() {
        return Err("a #fragment has no meaning in an LDAP URL".into());
    }
    let query = url.query().unwrap_or("");
    let parts: Vec<&str> = query.split('?').collect();
    if parts.len() > 4 {
        return Err(format!(
            "{} '?'-separated parts after the DN; RFC 4516 allows 4 (attributes?scope?filter?extensions)",
            parts.len()
        ));
    }
    let part = |i: usize| parts.get(i).copied().unwrap_or("");
    let attrs = decode(part(0), "the attribute list")?;
    let attr = match attrs.split(',').next().unwrap_or("") {
        "" => "mail".to_string(),
        a if a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.' || c == b';') =>
        {
            a.to_string()
        }
        a => return Err(format!("attribute {a:?}: not an attribute description")),
    };
    if attrs.contains(',') {
        return Err(format!(
            "attributes {attrs:?}: give one attribute (its values are the members)"
        ));
    }
    let scope = match part(1).to_ascii_lowercase().as_str() {
        "" | "base" => Scope::Base,
        "one" => Scope::OneLevel,
        "sub" => Scope::Subtree,
        s => return Err(format!("scope {s:?}: is base, one or sub")),
    };
    let filter = match decode(part(2), "the filter")? {
        f if f.is_empty() => "(objectClass=*)".to_string(),
        f => f,
    };
    if !filter.starts_with('(') || !filter.ends_with(')') || !balanced(&filter) {
        return Err(format!(
            "filter {filter:?}: not an RFC 4515 filter (parenthesised, balanced)"
        ));
    }
    let mut starttls = false;
    let mut bindname = None;
    if !part(3).is_empty() {
        for ext in part(3).split(',') {
            let (crit, ext) = match ext.strip_prefix('!') {
                Some(e) => (true, e),
                None => (false, ext),
            };
            let (key, val) = match ext.split_once('=') {
                Some((k, v)) => (k, Some(decode(v, "an extension value")?)),
                None => (ext, None),
            };
            match key.to_ascii_lowercase().as_str() {
                "starttls" | "1.3.6.1.4.1.1466.20037" => starttls = true,
                "bindname" | "x-bindname" => match val {
                    Some(v) if !v.is_empty() => bindname = Some(v),
                    _ => return Err("extension bindname: needs a DN (bindname=cn=...)".into()),
                },
                k if crit => {
                    return Err(format!(
                        "critical extension !{k}: not known to sieve-lint (RFC 4516 §2.1)"
                    ));
                }
                _ => {}
            }
        }
    }
    if tls && starttls {
        return Err("StartTLS on an ldaps: URL: the connection is already TLS".into());
    }
    Ok(LdapUrl {
        tls,
        host,
        port,
        base,
        attr,
        scope,
        filter,
        starttls,
        bindname,
    })
}

fn balanced(f: &str) -> bool {
    let mut depth = 0i64;
    for c in f.bytes() {
        match c {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// An LDAP book with more entries than this (`--list-fetch-max`) is asked
/// per lookup instead of fetched whole. Measured on loopback slapd
/// (`BENCH=1 scripts/test-ldap.sh`, 100,000 entries, 10,000 messages):
/// fetching costs about 10 µs an entry (1.0 s for all), a search about
/// 0.35 ms (one round trip each, so more across a network). 50,000 entries
/// cost what about 1,500 distinct lookups cost, and take about 10 MB: a
/// dry run over a folder of a few thousand messages asks more than that.
pub const FETCH_ONCE_MAX: usize = 50_000;

/// Distinct values a per-lookup list remembers in one run; past it, the
/// cache starts again (memory stays bounded, answers stay right).
pub const MAX_CACHED_LOOKUPS: usize = 100_000;

/// The password for the URL's `bindname`, if it has one.
fn credentials(u: &LdapUrl, opts: &Options) -> Result<Option<(String, Secret)>, String> {
    match &u.bindname {
        Some(dn) => {
            match crate::credentials::lookup(&u.host, Some(dn), PASSWORD_ENV, opts.prompt) {
                Ok(c) => Ok(Some((dn.clone(), c.password))),
                Err(e) => Err(format!("no password for {dn}: {e}")),
            }
        }
        None => Ok(None),
    }
}

/// A connection, bound when the URL has a `bindname`.
fn connect(
    u: &LdapUrl,
    bind: Option<&(String, Secret)>,
    opts: &Options,
) -> Result<LdapConn, String> {
    let host = if u.host.contains(':') {
        format!("[{}]", u.host)
    } else {
        u.host.clone()
    };
    let conn_url = format!(
        "{}://{}:{}",
        if u.tls { "ldaps" } else { "ldap" },
        host,
        u.port
    );
    // Our own TCP connection (ldap3 would open one without a deadline of
    // its own for each address), with Nagle's algorithm off as OpenLDAP's
    // libldap has it: requests and answers are small, one per lookup.
    let stream = tcp(&u.host, u.port, opts.connect_timeout)
        .map_err(|e| format!("cannot connect to {conn_url}: {e}"))?;
    let settings = LdapConnSettings::new()
        .set_conn_timeout(opts.connect_timeout)
        .set_starttls(u.starttls)
        .set_std_stream(StdStream::Tcp(stream));
    let mut conn = LdapConn::with_settings(settings, &conn_url)
        .map_err(|e| format!("cannot connect to {conn_url}: {e}"))?;
    if let Some((dn, pw)) = bind {
        conn.with_timeout(opts.timeout)
            .simple_bind(dn, pw.expose())
            .and_then(|r| r.success())
            .map_err(|e| format!("bind as {dn} refused: {e}"))?;
    }
    Ok(conn)
}

/// A TCP connection to the first address of `host` that answers within
/// `timeout`, with `TCP_NODELAY` set.
fn tcp(host: &str, port: u16, timeout: Duration) -> std::io::Result<TcpStream> {
    let mut last = None;
    for addr in (host, port).to_socket_addrs()? {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => {
                s.set_nodelay(true)?;
                return Ok(s);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::NotFound, "the name has no address")
    }))
}

/// What fetching a book whole gave.
enum Whole {
    List(Box<List>),
    /// More entries than may be fetched (or than the server returns to
    /// one search): ask per lookup.
    TooBig(String),
}

/// Result codes meaning "the server will not return that many entries to
/// one search" (RFC 4511 §4.1.9): sizeLimitExceeded, adminLimitExceeded.
const LIMIT_CODES: [u32; 2] = [4, 11];

/// The values of `attr` in `entry` that may be members, checked as every
/// other source's members are.
fn values<'e>(entry: &'e SearchEntry, attr: &str) -> Result<Vec<&'e str>, String> {
    let mut out = Vec::new();
    for (k, vals) in &entry.attrs {
        if !k.eq_ignore_ascii_case(attr) {
            continue;
        }
        for v in vals {
            let v = v.trim();
            if v.len() > MAX_MEMBER_BYTES {
                return Err(format!(
                    "entry {}: a {attr} value of {} bytes, longer than {MAX_MEMBER_BYTES} bytes, \
                     the most a list member may have",
                    entry.dn,
                    v.len()
                ));
            }
            if !v.is_empty() {
                out.push(v);
            }
        }
    }
    Ok(out)
}

/// Fetches the whole result set in pages (RFC 2696), unless it has more
/// than `max` entries.
fn fetch_whole(
    conn: &mut LdapConn,
    name: &ListName,
    u: &LdapUrl,
    max: usize,
    opts: &Options,
) -> Result<Whole, String> {
    let adapters: Vec<Box<dyn Adapter<_, _>>> = vec![
        Box::new(EntriesOnly::new()),
        Box::new(PagedResults::new(500)),
    ];
    let mut stream = conn
        .with_timeout(opts.timeout)
        .streaming_search_with(adapters, &u.base, u.scope, &u.filter, vec![u.attr.as_str()])
        .map_err(|e| format!("search failed: {e}"))?;
    let mut list = List::of(name.clone());
    let mut entries = 0usize;
    let mut count = 0usize;
    loop {
        let entry = match stream.next() {
            Ok(Some(e)) => e,
            Ok(None) => break,
            Err(e) => return Err(format!("search failed: {e}")),
        };
        entries += 1;
        if entries > max {
            // The connection is dropped with the search still running.
            return Ok(Whole::TooBig(format!("more than {max} entries")));
        }
        let entry = SearchEntry::construct(entry);
        for v in values(&entry, &u.attr)? {
            count += 1;
            if count > opts.max_members {
                return Err(format!(
                    "more than {} members: narrow the filter or the base DN",
                    opts.max_members
                ));
            }
            list.push(v);
        }
    }
    let result = stream.result();
    if LIMIT_CODES.contains(&result.rc) {
        return Ok(Whole::TooBig(format!(
            "the server stops a search after {entries} entries ({})",
            result.text.trim()
        )));
    }
    result
        .success()
        .map_err(|e| format!("search failed: {e}"))?;
    Ok(Whole::List(Box::new(list)))
}

/// Fetches the LDAP book at `url`: its members, when it has at most
/// `opts.fetch_max` entries; past that (or when the server will not
/// return them all to one search), a list that asks the server per
/// lookup, with a filter matching the value tested.
pub fn fetch(name: &ListName, url: &url::Url, opts: &Options) -> Result<List, ListError> {
    let err = |m: String| ListError::Remote {
        list: name.original.clone(),
        url: url.to_string(),
        message: m,
    };
    let u = parse_url(url).map_err(|m| err(format!("malformed LDAP URL: {m}")))?;
    let bind = credentials(&u, opts).map_err(err)?;
    let mut conn = connect(&u, bind.as_ref(), opts).map_err(err)?;
    let why = match fetch_whole(&mut conn, name, &u, opts.fetch_max, opts).map_err(err)? {
        Whole::List(mut list) => {
            let _ = conn.unbind();
            list.origin = format!("LDAP {url}");
            return Ok(*list);
        }
        Whole::TooBig(why) => why,
    };
    drop(conn);
    // A fresh connection (the old one may still be sending entries),
    // bound as before: a failure here is reported now, before the run.
    let conn = connect(&u, bind.as_ref(), opts).map_err(err)?;
    let lookup = Lookup {
        url: u,
        bind,
        opts: opts.clone(),
        state: Mutex::new(State {
            conn: Some(conn),
            failure: None,
            cache: HashMap::new(),
        }),
        lookups: AtomicU64::new(0),
        queries: AtomicU64::new(0),
    };
    Ok(List::live(
        name.clone(),
        format!("LDAP {url} (asked per lookup: {why})"),
        Arc::new(lookup),
    ))
}

/// An LDAP book asked per lookup: `(&<filter>(<attr>=<value>))`, one
/// search a distinct value, answers cached for the run.
struct Lookup {
    url: LdapUrl,
    bind: Option<(String, Secret)>,
    opts: Options,
    state: Mutex<State>,
    lookups: AtomicU64,
    queries: AtomicU64,
}

struct State {
    /// `None` once it failed (or while reconnecting).
    conn: Option<LdapConn>,
    failure: Option<String>,
    /// ASCII-lower-cased value → the member as the server spells it.
    cache: HashMap<String, Option<String>>,
}

impl std::fmt::Debug for Lookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lookup")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl Lookup {
    /// Asks the server for the entries whose attribute equals `value`
    /// (RFC 4515 §3 escapes), and keeps the value that is equal to it as
    /// address books compare (ASCII case-insensitive, RFC 6134 §2.6): a
    /// server's looser matching rule does not make more members.
    fn query(&self, conn: &mut LdapConn, value: &str) -> Result<Option<String>, String> {
        let filter = format!(
            "(&{}({}={}))",
            self.url.filter,
            self.url.attr,
            ldap3::ldap_escape(value)
        );
        let result = conn
            .with_timeout(self.opts.timeout)
            .with_search_options(SearchOptions::new().sizelimit(64))
            .search(
                &self.url.base,
                self.url.scope,
                &filter,
                vec![self.url.attr.as_str()],
            )
            .map_err(|e| format!("lookup of {value:?} failed: {e}"))?;
        let SearchResult(entries, res) = result;
        // A size limit with entries is an answer (one of them matched).
        let limited = LIMIT_CODES.contains(&res.rc) && !entries.is_empty();
        if res.rc != 0 && !limited {
            return Err(format!("lookup of {value:?} failed: {res}"));
        }
        for e in entries {
            let entry = SearchEntry::construct(e);
            if let Some(m) = values(&entry, &self.url.attr)?
                .into_iter()
                .find(|m| m.eq_ignore_ascii_case(value))
            {
                return Ok(Some(m.to_string()));
            }
        }
        Ok(None)
    }
}

impl Live for Lookup {
    fn find(&self, value: &str) -> Result<(Option<String>, bool), String> {
        self.lookups.fetch_add(1, Ordering::Relaxed);
        // Nothing longer can be a member, and nothing empty is one.
        if value.is_empty() || value.len() > MAX_MEMBER_BYTES {
            return Ok((None, false));
        }
        let key = value.to_ascii_lowercase();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(f) = &state.failure {
            return Err(f.clone());
        }
        if let Some(hit) = state.cache.get(&key) {
            return Ok((hit.clone(), true));
        }
        self.queries.fetch_add(1, Ordering::Relaxed);
        let answer = match state.conn.as_mut() {
            Some(conn) => self.query(conn, value),
            None => Err("no connection".to_string()),
        };
        let answer = match answer {
            Ok(a) => a,
            Err(first) => {
                // One new connection, in case the server closed an idle
                // one; a second failure ends the list's lookups.
                state.conn = None;
                let retried =
                    connect(&self.url, self.bind.as_ref(), &self.opts).and_then(|mut c| {
                        let a = self.query(&mut c, value);
                        state.conn = Some(c);
                        a
                    });
                match retried {
                    Ok(a) => a,
                    Err(second) => {
                        let f = format!("{first}; again on a new connection: {second}");
                        state.failure = Some(f.clone());
                        state.conn = None;
                        return Err(f);
                    }
                }
            }
        };
        if state.cache.len() >= MAX_CACHED_LOOKUPS {
            state.cache.clear();
        }
        state.cache.insert(key, answer.clone());
        Ok((answer, false))
    }

    fn counts(&self) -> (u64, u64) {
        (
            self.lookups.load(Ordering::Relaxed),
            self.queries.load(Ordering::Relaxed),
        )
    }

    fn failure(&self) -> Option<String> {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .failure
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<LdapUrl, String> {
        parse_url(&url::Url::parse(s).expect("a URL"))
    }

    #[test]
    fn common_url() {
        let u = p("ldap://127.0.0.1:3890/ou=staff,dc=example,dc=com?mail?sub?(objectClass=person)")
            .expect("valid");
        assert_eq!(u.host, "127.0.0.1");
        assert_eq!(u.port, 3890);
        assert_eq!(u.base, "ou=staff,dc=example,dc=com");
        assert_eq!(u.attr, "mail");
        assert_eq!(u.scope, Scope::Subtree);
        assert_eq!(u.filter, "(objectClass=person)");
        assert!(!u.tls && !u.starttls && u.bindname.is_none());
    }

    #[test]
    fn defaults_follow_rfc4516() {
        let u = p("ldaps://ldap.example.com/dc=example,dc=com").expect("valid");
        assert!(u.tls);
        assert_eq!(u.port, 636);
        assert_eq!(u.attr, "mail");
        assert_eq!(u.scope, Scope::Base);
        assert_eq!(u.filter, "(objectClass=*)");
    }

    #[test]
    fn uncommon_but_valid() {
        let u = p("ldap://[::1]/ou=a%20b,dc=x??one?(%26(mail=*)(cn=A*))?!StartTLS,bindname=cn=reader%2cdc=x")
            .expect("valid");
        assert_eq!(u.host, "::1");
        assert_eq!(u.port, 389);
        assert_eq!(u.base, "ou=a b,dc=x");
        assert_eq!(u.scope, Scope::OneLevel);
        assert_eq!(u.filter, "(&(mail=*)(cn=A*))");
        assert!(u.starttls);
        assert_eq!(u.bindname.as_deref(), Some("cn=reader,dc=x"));
        let u = p("ldap://h/?rfc822Mailbox?SUB??x-unknown=1").expect("non-critical ignored");
        assert_eq!(u.attr, "rfc822Mailbox");
        assert_eq!(u.base, "");
    }

    #[test]
    fn limits() {
        let u = p("ldap://h:65535/dc=x?mail?sub?(cn=*)?").expect("valid");
        assert_eq!(u.port, 65535);
        // Port 65536 is refused by the URL parser, before ours.
        assert!(url::Url::parse("ldap://h:65536/").is_err());
        let long = "a".repeat(10_000);
        let u = p(&format!("ldap://h/cn={long}?mail?sub?(cn={long})")).expect("valid");
        assert_eq!(u.base.len(), 10_003);
    }

    #[test]
    fn invalid_urls_say_what_is_wrong() {
        let cases = [
            ("ldap://h/dc=x?mail?deep", "scope"),
            ("ldap://h/dc=x?mail?sub?(cn=a", "filter"),
            ("ldap://h/dc=x?mail?sub?cn=a", "filter"),
            ("ldap://h/dc=x?mail,cn", "one attribute"),
            ("ldap://h/dc=x?ma il", "attribute"),
            (
                "ldap://h/dc=x?mail?sub?(cn=*)?!x-frob",
                "critical extension",
            ),
            ("ldap://h/dc=x?mail?sub?(cn=*)?bindname", "bindname"),
            ("ldap://h/dc%zz", "percent"),
            ("ldap://h/dc=x?a?sub?(cn=*)?e?f", "4"),
            ("ldaps://h/dc=x??sub??!StartTLS", "already TLS"),
            ("ldap://u@h/dc=x", "bindname"),
            ("ldap:///dc=x", "host"),
        ];
        for (s, want) in cases {
            let e = p(s).expect_err(s);
            assert!(e.contains(want), "{s}: {e}");
        }
    }

    #[test]
    fn unreachable_server_names_the_list() {
        let name = super::super::name::parse_name(":addrbook:staff").expect("name");
        // A port nothing listens on: bind a socket, note the port, close it.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("port")
            .port();
        let url = url::Url::parse(&format!("ldap://127.0.0.1:{port}/dc=x?mail?sub")).expect("url");
        let opts = Options {
            prompt: false,
            connect_timeout: std::time::Duration::from_secs(2),
            timeout: std::time::Duration::from_secs(2),
            ..Options::default()
        };
        let e = fetch(&name, &url, &opts)
            .expect_err("nothing there")
            .to_string();
        assert!(
            e.contains(":addrbook:staff") && e.contains("connect"),
            "{e}"
        );
    }
}
