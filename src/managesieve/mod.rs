//! A small, read-only ManageSieve client (RFC 5804) on rustls: connect,
//! STARTTLS, SASL (PLAIN, SCRAM-SHA-1, SCRAM-SHA-256), CAPABILITY,
//! CHECKSCRIPT, NOOP and LOGOUT — and nothing else. The commands that
//! change the server (PUTSCRIPT, SETACTIVE, DELETESCRIPT, RENAMESCRIPT, …)
//! cannot be sent: [`Client::command`] refuses every name not in
//! [`READ_ONLY_COMMANDS`].
//!
//! Written here rather than taken from io-managesieve 0.2: that crate is a
//! sans-I/O design over pimalaya-stream and io-sasl (more crates, its own
//! TLS setup), while sieve-lint needs per-response deadlines, the
//! plain-text loopback mode for tests, bounded reading of what a lying
//! server sends, and a whitelist of commands; this is about 600 lines.

pub mod response;
mod sasl;
pub mod verdict;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use crate::credentials::Secret;
pub use response::{Code, Line, ProtocolError, Response, Status};

/// The ManageSieve port (RFC 5804 §1.8).
pub const DEFAULT_PORT: u16 = 4190;
/// How long a connection may take to open, and a response to arrive.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The only commands sieve-lint sends (RFC 5804 §2): none of them changes
/// anything on the server.
pub const READ_ONLY_COMMANDS: &[&str] = &[
    "CAPABILITY",
    "STARTTLS",
    "AUTHENTICATE",
    "CHECKSCRIPT",
    "NOOP",
    "LOGOUT",
];

/// A `sieve://[user@]host[:port]` URL (RFC 5804 §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUrl {
    pub user: Option<String>,
    pub host: String,
    pub port: u16,
}

impl ServerUrl {
    /// Parses a sieve URL; a path (a script name) is refused: sieve-lint
    /// reads the server, not its scripts.
    pub fn parse(s: &str) -> Result<ServerUrl, String> {
        let url = url::Url::parse(s).map_err(|e| format!("`{s}` is not a URL: {e}"))?;
        if url.scheme() != "sieve" {
            return Err(format!(
                "`{s}`: expected a sieve://[user@]host[:port] URL (RFC 5804 §3)"
            ));
        }
        let host = match url.host() {
            Some(url::Host::Domain(d)) => d.to_string(),
            Some(url::Host::Ipv4(a)) => a.to_string(),
            Some(url::Host::Ipv6(a)) => a.to_string(),
            None => return Err(format!("`{s}`: no host name")),
        };
        if url.password().is_some() {
            return Err(format!(
                "`{s}`: a password in the URL is refused (it would show in `ps` and shell history); use SIEVE_PASSWORD, ~/.netrc or the prompt"
            ));
        }
        if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "`{s}`: sieve-lint takes a server URL without a script name: sieve://[user@]host[:port]"
            ));
        }
        let user = match url.username() {
            "" => None,
            u => Some(
                percent_decode(u).ok_or_else(|| format!("`{s}`: bad %-escape in the user name"))?,
            ),
        };
        Ok(ServerUrl {
            user,
            host,
            port: url.port().unwrap_or(DEFAULT_PORT),
        })
    }

    /// `sieve://host:port` (no user), for messages and caches.
    pub fn display(&self) -> String {
        if self.host.contains(':') {
            format!("sieve://[{}]:{}", self.host, self.port)
        } else {
            format!("sieve://{}:{}", self.host, self.port)
        }
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Why talking to the server failed. Each names the server.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{url}: cannot resolve the host name: {message}")]
    Dns { url: String, message: String },
    #[error("{url}: cannot connect: {message}")]
    Connect { url: String, message: String },
    #[error("{url}: TLS: {message}")]
    Tls { url: String, message: String },
    #[error(
        "{url}: the server does not offer STARTTLS; sieve-lint will not send a password in clear text (--server-insecure is for loopback tests only)"
    )]
    NoStartTls { url: String },
    #[error(
        "{url}: --server-insecure is only allowed for a loopback address (127.0.0.1, ::1, localhost)"
    )]
    InsecureNotLoopback { url: String },
    #[error(
        "{url}: no SASL mechanism sieve-lint speaks is offered (offered: {offered}; sieve-lint: SCRAM-SHA-256, SCRAM-SHA-1, PLAIN)"
    )]
    NoMechanism { url: String, offered: String },
    #[error("{url}: login as {user} failed: {response}")]
    Auth {
        url: String,
        user: String,
        response: String,
    },
    #[error("{url}: {command} refused: {response}")]
    Refused {
        url: String,
        command: String,
        response: String,
    },
    #[error("{url}: the server ended the session: {response}")]
    Bye { url: String, response: String },
    #[error("{url}: {source}")]
    Protocol {
        url: String,
        #[source]
        source: ProtocolError,
    },
    #[error("{url}: {message}")]
    Other { url: String, message: String },
}

/// The capabilities a server announces (RFC 5804 §1.7), names upper-cased.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// Every capability line: name, then its value if any.
    pub entries: Vec<(String, Option<String>)>,
}

impl Capabilities {
    fn from_lines(lines: &[Vec<String>]) -> Capabilities {
        Capabilities {
            entries: lines
                .iter()
                .filter_map(|l| {
                    let name = l.first()?.to_ascii_uppercase();
                    Some((name, l.get(1).cloned()))
                })
                .collect(),
        }
    }

    /// The value of `name` (`None`: absent or without a value).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_deref())
    }

    pub fn has(&self, name: &str) -> bool {
        self.entries
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    /// The space-separated words of `name`'s value.
    pub fn words(&self, name: &str) -> Vec<String> {
        self.get(name)
            .map(|v| v.split_ascii_whitespace().map(str::to_string).collect())
            .unwrap_or_default()
    }
}

/// How to connect.
#[derive(Debug, Clone)]
pub struct Options {
    pub timeout: Duration,
    /// Skip STARTTLS: only for loopback addresses (tests).
    pub insecure: bool,
    /// Trust roots instead of the system's (tests); `None`: the system's
    /// (rustls-native-certs, which honours SSL_CERT_FILE and SSL_CERT_DIR).
    pub roots: Option<Vec<rustls::pki_types::CertificateDer<'static>>>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            timeout: DEFAULT_TIMEOUT,
            insecure: false,
            roots: None,
        }
    }
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
    /// Only while switching to TLS.
    None,
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
            Stream::None => Ok(0),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
            Stream::None => Ok(0),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
            Stream::None => Ok(()),
        }
    }
}

/// An open, authenticated session.
pub struct Client {
    url: String,
    reader: response::Reader<Stream>,
    /// The capabilities read last (after login).
    pub capabilities: Capabilities,
    /// The capabilities of the greeting, before STARTTLS and login.
    pub greeting: Capabilities,
    /// The SASL mechanism that logged in.
    pub mechanism: &'static str,
}

/// What CHECKSCRIPT answered (RFC 5804 §2.12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// `OK`, possibly `OK (WARNINGS) "…"`.
    Ok { warnings: Option<String> },
    /// `NO "…"`: the server refuses the script.
    No { message: String, code: Option<Code> },
}

fn is_loopback(host: &str, addrs: &[SocketAddr]) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || (!addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback()))
}

impl Client {
    /// Connects, reads the greeting, switches to TLS, logs in and reads
    /// the capabilities again (RFC 5804 §1.7: some only appear after
    /// login).
    pub fn connect(
        url: &ServerUrl,
        user: &str,
        password: &Secret,
        options: &Options,
    ) -> Result<Client, Error> {
        let shown = url.display();
        let addrs: Vec<SocketAddr> = (url.host.as_str(), url.port)
            .to_socket_addrs()
            .map_err(|e| Error::Dns {
                url: shown.clone(),
                message: e.to_string(),
            })?
            .collect();
        if addrs.is_empty() {
            return Err(Error::Dns {
                url: shown,
                message: "no address".into(),
            });
        }
        if options.insecure && !is_loopback(&url.host, &addrs) {
            return Err(Error::InsecureNotLoopback { url: shown });
        }
        let mut last = String::new();
        let mut tcp = None;
        for a in &addrs {
            match TcpStream::connect_timeout(a, options.timeout) {
                Ok(s) => {
                    tcp = Some(s);
                    break;
                }
                Err(e) => last = format!("{a}: {e}"),
            }
        }
        let Some(tcp) = tcp else {
            return Err(Error::Connect {
                url: shown,
                message: last,
            });
        };
        let io = |e: std::io::Error| Error::Connect {
            url: shown.clone(),
            message: e.to_string(),
        };
        tcp.set_read_timeout(Some(options.timeout)).map_err(io)?;
        tcp.set_write_timeout(Some(options.timeout)).map_err(io)?;
        let _ = tcp.set_nodelay(true);
        let mut client = Client {
            url: shown.clone(),
            reader: response::Reader::new(Stream::Plain(tcp), options.timeout),
            capabilities: Capabilities::default(),
            greeting: Capabilities::default(),
            mechanism: "",
        };
        let greeting = client.read()?;
        client.done("the greeting", &greeting)?;
        client.greeting = Capabilities::from_lines(&greeting.lines);
        client.capabilities = client.greeting.clone();
        if !options.insecure {
            if !client.capabilities.has("STARTTLS") {
                return Err(Error::NoStartTls { url: shown });
            }
            client.starttls(&url.host, options)?;
        }
        client.authenticate(user, password)?;
        client.refresh_capabilities()?;
        Ok(client)
    }

    fn read(&mut self) -> Result<Response, Error> {
        self.reader.response().map_err(|source| Error::Protocol {
            url: self.url.clone(),
            source,
        })
    }

    /// `BYE` is an error everywhere; `NO` is the caller's to judge.
    fn done(&self, what: &str, r: &Response) -> Result<(), Error> {
        match r.status {
            Status::Ok => Ok(()),
            Status::Bye => Err(Error::Bye {
                url: self.url.clone(),
                response: r.describe(),
            }),
            Status::No => Err(Error::Refused {
                url: self.url.clone(),
                command: what.into(),
                response: r.describe(),
            }),
        }
    }

    /// Sends a command; only the read-only ones are allowed.
    fn command(&mut self, name: &str, args: &[&[u8]]) -> Result<(), Error> {
        if !READ_ONLY_COMMANDS.contains(&name) {
            return Err(Error::Other {
                url: self.url.clone(),
                message: format!("sieve-lint never sends {name}"),
            });
        }
        let mut line = name.as_bytes().to_vec();
        for a in args {
            line.push(b' ');
            line.extend_from_slice(a);
        }
        line.extend_from_slice(b"\r\n");
        self.send(&line)
    }

    fn send(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let s = self.reader.get_mut();
        s.write_all(bytes)
            .and_then(|()| s.flush())
            .map_err(|e| Error::Protocol {
                url: self.url.clone(),
                source: ProtocolError::Io(e.to_string()),
            })
    }

    fn starttls(&mut self, host: &str, options: &Options) -> Result<(), Error> {
        self.command("STARTTLS", &[])?;
        let r = self.read()?;
        self.done("STARTTLS", &r)?;
        let tls = |message: String| Error::Tls {
            url: self.url.clone(),
            message,
        };
        let mut roots = rustls::RootCertStore::empty();
        match &options.roots {
            Some(certs) => {
                for c in certs {
                    roots
                        .add(c.clone())
                        .map_err(|e| tls(format!("bad trust root: {e}")))?;
                }
            }
            None => {
                let found = rustls_native_certs::load_native_certs();
                for c in found.certs {
                    let _ = roots.add(c);
                }
                if roots.is_empty() {
                    return Err(tls(
                        "no trusted certificates found on this system (set SSL_CERT_FILE to a PEM file of CA certificates)".into(),
                    ));
                }
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| tls(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name = rustls::pki_types::ServerName::try_from(host.to_string())
            .map_err(|e| tls(format!("bad server name {host}: {e}")))?;
        let conn = rustls::ClientConnection::new(Arc::new(config), name)
            .map_err(|e| tls(e.to_string()))?;
        if self.reader.has_buffered() {
            return Err(tls("the server sent data before the TLS handshake".into()));
        }
        let old = std::mem::replace(self.reader.get_mut(), Stream::None);
        let Stream::Plain(tcp) = old else {
            return Err(tls("already in TLS".into()));
        };
        let mut stream = rustls::StreamOwned::new(conn, tcp);
        // Completes the handshake now, so a bad certificate is a TLS error.
        while stream.conn.is_handshaking() {
            stream
                .conn
                .complete_io(&mut stream.sock)
                .map_err(|e| tls(e.to_string()))?;
        }
        let timeout = options.timeout;
        let _ = std::mem::replace(
            &mut self.reader,
            response::Reader::new(Stream::Tls(Box::new(stream)), timeout),
        );
        // RFC 5804 §2.2: the server sends its capabilities again.
        let r = self.read()?;
        self.done("the capabilities after STARTTLS", &r)?;
        self.capabilities = Capabilities::from_lines(&r.lines);
        Ok(())
    }

    fn authenticate(&mut self, user: &str, password: &Secret) -> Result<(), Error> {
        let offered = self.capabilities.words("SASL");
        let pick = ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"]
            .into_iter()
            .find(|m| offered.iter().any(|o| o.eq_ignore_ascii_case(m)));
        let Some(mechanism) = pick else {
            return Err(Error::NoMechanism {
                url: self.url.clone(),
                offered: if offered.is_empty() {
                    "none".into()
                } else {
                    offered.join(" ")
                },
            });
        };
        self.mechanism = mechanism;
        let failed = |this: &Client, response: String| Error::Auth {
            url: this.url.clone(),
            user: user.to_string(),
            response,
        };
        let end = if mechanism == "PLAIN" {
            let initial = sasl::plain(user, password);
            self.command(
                "AUTHENTICATE",
                &[b"\"PLAIN\"", &response::encode_string(&initial)],
            )?;
            self.sasl_end()?
        } else {
            let mut scram = sasl::Scram::new(mechanism, user, password);
            let first = scram.client_first();
            self.command(
                "AUTHENTICATE",
                &[
                    &response::encode_string(mechanism),
                    &response::encode_string(&first),
                ],
            )?;
            // server-first
            let challenge = match self.sasl_line()? {
                Line::Data(items) => items.into_iter().next().unwrap_or_default(),
                Line::Done { status, code, text } => {
                    return Err(failed(
                        self,
                        Response {
                            lines: vec![],
                            status,
                            code,
                            text,
                        }
                        .describe(),
                    ));
                }
            };
            let fin = match scram.client_final(&challenge) {
                Ok(f) => f,
                Err(e) => {
                    self.send(b"\"*\"\r\n")?;
                    let _ = self.sasl_end();
                    return Err(failed(self, e));
                }
            };
            self.send(&[response::encode_string(&fin), b"\r\n".to_vec()].concat())?;
            match self.sasl_line()? {
                Line::Data(items) => {
                    let v = items.into_iter().next().unwrap_or_default();
                    scram.verify_server(&v).map_err(|e| failed(self, e))?;
                    self.send(b"\"\"\r\n")?;
                    self.sasl_end()?
                }
                Line::Done { status, code, text } => {
                    let r = Response {
                        lines: vec![],
                        status,
                        code,
                        text,
                    };
                    if r.status == Status::Ok {
                        let v = r
                            .code
                            .as_ref()
                            .filter(|c| c.name == "SASL")
                            .and_then(|c| c.args.first())
                            .ok_or_else(|| failed(self, "no server signature".into()))?;
                        scram.verify_server(v).map_err(|e| failed(self, e))?;
                    }
                    r
                }
            }
        };
        match end.status {
            Status::Ok => Ok(()),
            Status::Bye => Err(Error::Bye {
                url: self.url.clone(),
                response: end.describe(),
            }),
            Status::No => Err(failed(self, end.describe())),
        }
    }

    fn sasl_line(&mut self) -> Result<Line, Error> {
        self.reader.sasl_step().map_err(|source| Error::Protocol {
            url: self.url.clone(),
            source,
        })
    }

    /// Reads to the end of an AUTHENTICATE exchange.
    fn sasl_end(&mut self) -> Result<Response, Error> {
        loop {
            match self.sasl_line()? {
                Line::Data(_) => {
                    // A challenge where none is expected: abort it.
                    self.send(b"\"*\"\r\n")?;
                }
                Line::Done { status, code, text } => {
                    return Ok(Response {
                        lines: vec![],
                        status,
                        code,
                        text,
                    });
                }
            }
        }
    }

    /// Sends CAPABILITY, then NOOP with a tag (RFC 5804 §2.13), and reads
    /// up to the tagged answer: capabilities a server sends unasked after
    /// AUTHENTICATE are read (and superseded) instead of being taken for
    /// the answer to a later command.
    fn refresh_capabilities(&mut self) -> Result<(), Error> {
        const TAG: &str = "sieve-lint-sync";
        self.command("CAPABILITY", &[])?;
        self.command("NOOP", &[&response::encode_string(TAG)])?;
        let mut latest: Option<Capabilities> = None;
        loop {
            let r = self.read()?;
            if r.status == Status::Bye {
                return Err(Error::Bye {
                    url: self.url.clone(),
                    response: r.describe(),
                });
            }
            if !r.lines.is_empty() {
                latest = Some(Capabilities::from_lines(&r.lines));
            }
            let tagged = r
                .code
                .as_ref()
                .is_some_and(|c| c.name == "TAG" && c.args.first().is_some_and(|a| a == TAG));
            // A server without NOOP answers NO: the capabilities came before.
            if tagged || (r.status == Status::No && latest.is_some()) {
                break;
            }
            if r.status == Status::No {
                return Err(Error::Refused {
                    url: self.url.clone(),
                    command: "CAPABILITY".into(),
                    response: r.describe(),
                });
            }
        }
        if let Some(c) = latest {
            self.capabilities = c;
        }
        Ok(())
    }

    /// CHECKSCRIPT (RFC 5804 §2.12): the server compiles the script and
    /// stores nothing.
    pub fn check_script(&mut self, script: &str) -> Result<Verdict, Error> {
        let mut lit = format!("{{{}+}}\r\n", script.len()).into_bytes();
        lit.extend_from_slice(script.as_bytes());
        self.command("CHECKSCRIPT", &[&lit])?;
        let r = self.read()?;
        match r.status {
            Status::Ok => Ok(Verdict::Ok {
                warnings: r
                    .text
                    .filter(|_| r.code.as_ref().is_some_and(|c| c.name == "WARNINGS")),
            }),
            Status::No => Ok(Verdict::No {
                message: r.text.clone().unwrap_or_default(),
                code: r.code,
            }),
            Status::Bye => Err(Error::Bye {
                url: self.url.clone(),
                response: r.describe(),
            }),
        }
    }

    /// LOGOUT (RFC 5804 §2.3); errors are ignored: the work is done.
    pub fn logout(mut self) {
        if self.command("LOGOUT", &[]).is_ok() {
            let _ = self.read();
        }
    }

    /// `sieve://host:port`.
    pub fn url(&self) -> &str {
        &self.url
    }
}
