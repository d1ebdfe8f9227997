//! `--server`, `targets --server`, `--save-profile`/`--target FILE` and
//! `--server-check` against a scripted fake ManageSieve server (RFC 5804)
//! in this process, on 127.0.0.1: STARTTLS with a self-signed test
//! certificate, PLAIN login, capabilities before and after login, the
//! three EXTLISTS forms, CHECKSCRIPT answering OK, OK (WARNINGS) (as a
//! literal) and NO with line numbers (server-error SL0250, server-warning
//! SL0251, server-disagrees SL0252), BYE mid-session, a server that never
//! answers and one that lies. The fake server records every command and
//! each test fails if one that changes a server (PUTSCRIPT, SETACTIVE,
//! DELETESCRIPT, RENAMESCRIPT, …) ever arrives.

use assert_cmd::cargo::cargo_bin_cmd;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PASSWORD: &str = "s3cret-Pa55word";
const USER: &str = "alice";

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Normal,
    /// Capabilities sent unasked after AUTHENTICATE's OK.
    UnaskedCaps,
    /// BYE in answer to CHECKSCRIPT.
    ByeOnCheck,
    /// Accepts, then says nothing.
    Silent,
    /// A greeting that is not ManageSieve.
    Liar,
    /// Offers SCRAM-SHA-256 (and PLAIN).
    Scram,
    /// Offers SCRAM-SHA-256 and answers with a wrong server signature (a
    /// server that does not know the password).
    ScramImpostor,
}

#[derive(Clone)]
struct Fake {
    mode: Mode,
    tls: bool,
    extlists: Option<&'static str>,
    log: Arc<Mutex<Vec<String>>>,
}

const FORBIDDEN: &[&str] = &[
    "PUTSCRIPT",
    "SETACTIVE",
    "DELETESCRIPT",
    "RENAMESCRIPT",
    "GETSCRIPT",
    "HAVESPACE",
    "UNAUTHENTICATE",
];

trait Io: Read + Write + Send {}
impl<T: Read + Write + Send> Io for T {}

fn read_line(s: &mut dyn Io) -> Option<String> {
    let mut out = Vec::new();
    let mut b = [0u8; 1];
    loop {
        match s.read(&mut b) {
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
        out.push(b[0]);
        if out.ends_with(b"\r\n") {
            out.truncate(out.len() - 2);
            return Some(String::from_utf8_lossy(&out).into_owned());
        }
    }
}

fn read_exact(s: &mut dyn Io, n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    let _ = s.read_exact(&mut v);
    v
}

fn tls_config() -> (Arc<rustls::ServerConfig>, String) {
    let ck = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()])
        .expect("certificate");
    let pem = ck.cert.pem();
    let key =
        rustls::pki_types::PrivateKeyDer::try_from(ck.signing_key.serialize_der()).expect("key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![ck.cert.der().clone()], key)
    .expect("server config");
    (Arc::new(config), pem)
}

impl Fake {
    fn new(mode: Mode, tls: bool, extlists: Option<&'static str>) -> Fake {
        Fake {
            mode,
            tls,
            extlists,
            log: Arc::default(),
        }
    }

    fn caps(&self, authed: bool, tls_done: bool) -> String {
        let mut c = String::from(
            "\"IMPLEMENTATION\" \"Fakecot Pigeonhole\"\r\n\"SIEVE\" \"fileinto envelope vacation\"\r\n\"VERSION\" \"1.0\"\r\n",
        );
        if !authed {
            c.push_str(if matches!(self.mode, Mode::Scram | Mode::ScramImpostor) {
                "\"SASL\" \"SCRAM-SHA-256 PLAIN\"\r\n"
            } else {
                "\"SASL\" \"PLAIN LOGIN\"\r\n"
            });
        }
        if self.tls && !tls_done {
            c.push_str("\"STARTTLS\"\r\n");
        }
        if authed {
            // Only after login (Dovecot does the same).
            c.push_str("\"NOTIFY\" \"mailto xmpp\"\r\n\"MAXREDIRECTS\" \"7\"\r\n");
            if let Some(e) = self.extlists {
                c.push_str(&format!("\"EXTLISTS\" \"{e}\"\r\n"));
            }
        }
        c
    }

    /// Starts the server; returns its sieve URL and the PEM of its certificate.
    fn start(self) -> (String, String, Arc<Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (config, pem) = tls_config();
        let log = self.log.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let me = self.clone();
                let config = config.clone();
                std::thread::spawn(move || me.serve(conn, config));
            }
        });
        (format!("sieve://{USER}@127.0.0.1:{port}"), pem, log)
    }

    fn serve(self, tcp: TcpStream, config: Arc<rustls::ServerConfig>) {
        let _ = tcp.set_read_timeout(Some(Duration::from_secs(20)));
        if self.mode == Mode::Silent {
            std::thread::sleep(Duration::from_secs(10));
            return;
        }
        let mut s: Box<dyn Io> = Box::new(tcp.try_clone().unwrap());
        if self.mode == Mode::Liar {
            let _ = s.write_all(b"* OK IMAP4rev1 ready\r\n");
            std::thread::sleep(Duration::from_secs(1));
            return;
        }
        let mut authed = false;
        let mut tls_done = false;
        let _ =
            s.write_all(format!("{}OK \"Fake ready.\"\r\n", self.caps(false, false)).as_bytes());
        while let Some(line) = read_line(&mut *s) {
            let cmd = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
            self.log.lock().unwrap().push(cmd.clone());
            if FORBIDDEN.contains(&cmd.as_str()) {
                let _ = s.write_all(b"NO \"forbidden in this test\"\r\n");
                continue;
            }
            match cmd.as_str() {
                "CAPABILITY" => {
                    let _ = s.write_all(
                        format!(
                            "{}OK \"Capability completed.\"\r\n",
                            self.caps(authed, tls_done)
                        )
                        .as_bytes(),
                    );
                }
                "STARTTLS" => {
                    let _ = s.write_all(b"OK \"Begin TLS negotiation now.\"\r\n");
                    let conn = rustls::ServerConnection::new(config.clone()).unwrap();
                    let sock = tcp.try_clone().unwrap();
                    s = Box::new(rustls::StreamOwned::new(conn, sock));
                    tls_done = true;
                    let _ = s.write_all(
                        format!(
                            "{}OK \"TLS negotiation successful.\"\r\n",
                            self.caps(false, true)
                        )
                        .as_bytes(),
                    );
                }
                "AUTHENTICATE" if line.contains("\"SCRAM-SHA-256\"") => {
                    match scram_server(&mut *s, &line, self.mode == Mode::ScramImpostor) {
                        Some(true) => {
                            authed = true;
                            self.log.lock().unwrap().push("SCRAM-OK".into());
                        }
                        _ => {
                            let _ = s.write_all(b"NO \"Authentication failed.\"\r\n");
                        }
                    }
                }
                "AUTHENTICATE" => {
                    let b64 = line.rsplit('"').nth(1).unwrap_or("");
                    let want = base64_plain(USER, PASSWORD);
                    if line.contains("\"PLAIN\"") && b64 == want {
                        authed = true;
                        let _ = s.write_all(b"OK \"Logged in.\"\r\n");
                        if self.mode == Mode::UnaskedCaps {
                            let _ = s.write_all(
                                format!("{}OK \"unasked\"\r\n", self.caps(true, tls_done))
                                    .as_bytes(),
                            );
                        }
                    } else {
                        let _ = s.write_all(b"NO (AUTH-TOO-WEAK) \"Authentication failed.\"\r\n");
                    }
                }
                "NOOP" => {
                    let tag = line.split('"').nth(1).unwrap_or("");
                    let _ = s.write_all(format!("OK (TAG \"{tag}\") \"Done\"\r\n").as_bytes());
                }
                "CHECKSCRIPT" => {
                    let n: usize = line
                        .trim_start_matches("CHECKSCRIPT {")
                        .trim_end_matches("+}")
                        .parse()
                        .unwrap_or(0);
                    let script = String::from_utf8_lossy(&read_exact(&mut *s, n)).into_owned();
                    let _ = read_line(&mut *s);
                    if self.mode == Mode::ByeOnCheck {
                        let _ = s.write_all(b"BYE (TRYLATER) \"Server shutting down.\"\r\n");
                        return;
                    }
                    let answer = if script.contains("foo") {
                        // Multi-line messages come as a literal (as Dovecot sends them).
                        let text = "line 2: error: unknown command 'foo' (only 'require' and 'keep' known).\r\nerror: validation failed.";
                        format!("NO {{{}}}\r\n{text}\r\n", text.len())
                    } else if script.contains("imapflags") {
                        let text = "line 1: warning: the imapflags extension is deprecated.";
                        format!("OK (WARNINGS) {{{}}}\r\n{text}\r\n", text.len())
                    } else {
                        "OK \"Script is valid.\"\r\n".to_string()
                    };
                    let _ = s.write_all(answer.as_bytes());
                }
                "LOGOUT" => {
                    let _ = s.write_all(b"OK \"Logout completed.\"\r\n");
                    return;
                }
                _ => {
                    let _ = s.write_all(b"NO \"unknown command\"\r\n");
                }
            }
        }
    }
}

/// The server side of SCRAM-SHA-256 (RFC 5802 §3, RFC 7677), written
/// independently of sieve-lint's client: `Some(true)` when the client
/// proved the password (the final OK with the server signature is sent).
fn scram_server(s: &mut dyn Io, line: &str, impostor: bool) -> Option<bool> {
    use base64::Engine;
    use ring::{digest, hmac, pbkdf2};
    let b64 = base64::engine::general_purpose::STANDARD;
    let first = String::from_utf8(b64.decode(line.rsplit('"').nth(1)?).ok()?).ok()?;
    let bare = first.strip_prefix("n,,")?.to_string();
    let user = bare.strip_prefix("n=")?.split(',').next()?.to_string();
    let cnonce = bare.split(",r=").nth(1)?.to_string();
    let salt = b"fake-salt-16byte";
    let iterations = 4096u32;
    let server_first = format!(
        "r={cnonce}SERVERNONCE,s={},i={iterations}",
        b64.encode(salt)
    );
    s.write_all(format!("\"{}\"\r\n", b64.encode(&server_first)).as_bytes())
        .ok()?;
    let reply = read_line(s)?;
    let fin = String::from_utf8(b64.decode(reply.trim_matches('"')).ok()?).ok()?;
    let (without_proof, proof) = fin.rsplit_once(",p=")?;
    let proof = b64.decode(proof).ok()?;
    let mut salted = [0u8; 32];
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        std::num::NonZeroU32::new(iterations)?,
        salt,
        PASSWORD.as_bytes(),
        &mut salted,
    );
    let mac = |key: &[u8], data: &[u8]| {
        hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data)
            .as_ref()
            .to_vec()
    };
    let auth_message = format!("{bare},{server_first},{without_proof}");
    let client_key = mac(&salted, b"Client Key");
    let stored_key = digest::digest(&digest::SHA256, &client_key);
    let signature = mac(stored_key.as_ref(), auth_message.as_bytes());
    let recovered: Vec<u8> = proof.iter().zip(&signature).map(|(a, b)| a ^ b).collect();
    let ok = user == USER
        && without_proof == format!("c=biws,r={cnonce}SERVERNONCE")
        && digest::digest(&digest::SHA256, &recovered).as_ref() == stored_key.as_ref();
    if !ok {
        return Some(false);
    }
    let mut server_sig = mac(&mac(&salted, b"Server Key"), auth_message.as_bytes());
    if impostor {
        server_sig[0] ^= 1;
    }
    let v = b64.encode(format!("v={}", b64.encode(server_sig)));
    s.write_all(format!("OK (SASL \"{v}\") \"Logged in.\"\r\n").as_bytes())
        .ok()?;
    Some(true)
}

/// `\0user\0pass` in base64, as the client sends it (RFC 4616).
fn base64_plain(user: &str, pass: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("\0{user}\0{pass}"))
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn sieve_lint(args: &[&str], pem: &str, dir: &std::path::Path) -> Out {
    let cert = dir.join("ca.pem");
    std::fs::write(&cert, pem).unwrap();
    let out = cargo_bin_cmd!("sieve-lint")
        .args(args)
        .current_dir(dir)
        .env("SIEVE_PASSWORD", PASSWORD)
        .env("NETRC", dir.join("no-netrc"))
        .env("SSL_CERT_FILE", &cert)
        .env_remove("SSL_CERT_DIR")
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let o = Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !o.stdout.contains(PASSWORD) && !o.stderr.contains(PASSWORD),
        "the password leaked"
    );
    assert!(
        !o.stderr.contains("panicked"),
        "sieve-lint panicked: {}",
        o.stderr
    );
    o
}

fn no_forbidden(log: &Arc<Mutex<Vec<String>>>) {
    let log = log.lock().unwrap();
    for c in log.iter() {
        assert!(
            !FORBIDDEN.contains(&c.as_str()),
            "sieve-lint sent {c}: it must never change the server"
        );
    }
}

#[test]
fn targets_reads_capabilities_after_starttls_and_login() {
    let dir = tempfile::tempdir().unwrap();
    let (url, pem, log) = Fake::new(
        Mode::Normal,
        true,
        Some("urn:ietf:params:sieve:addrbook:default"),
    )
    .start();
    let o = sieve_lint(&["targets", "--server", &url], &pem, dir.path());
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("Fakecot Pigeonhole"), "{}", o.stdout);
    assert!(o.stdout.contains("fileinto envelope vacation"));
    // Only announced after login: read again after AUTHENTICATE.
    assert!(o.stdout.contains("mailto xmpp"), "{}", o.stdout);
    assert!(o.stdout.contains("max redirects    7"), "{}", o.stdout);
    assert!(
        o.stdout
            .contains("lists: urn:ietf:params:sieve:addrbook:default")
    );
    assert!(o.stdout.contains("target           dovecot@127.0.0.1"));
    let log = log.lock().unwrap().clone();
    assert_eq!(
        log,
        ["STARTTLS", "AUTHENTICATE", "CAPABILITY", "NOOP", "LOGOUT"]
    );
}

#[test]
fn extlists_in_three_forms() {
    for (value, want) in [
        ("urn tag", "schemes: urn tag"),
        (
            "urn:ietf:params:sieve:addrbook:default urn:ietf:params:sieve:addrbook:work",
            "lists: urn:ietf:params:sieve:addrbook:default urn:ietf:params:sieve:addrbook:work",
        ),
        (
            "urn:ietf:params:sieve:addrbook",
            "prefixes: urn:ietf:params:sieve:addrbook",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (url, pem, log) = Fake::new(Mode::Normal, false, Some(value)).start();
        let o = sieve_lint(
            &["targets", "--server", &url, "--server-insecure"],
            &pem,
            dir.path(),
        );
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert!(o.stdout.contains(want), "{value}: {}", o.stdout);
        no_forbidden(&log);
    }
}

#[test]
fn unknown_server_list_is_a_warning_and_schemes_constrain() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("l.sieve");
    std::fs::write(
        &script,
        "require [\"extlists\", \"fileinto\"];\nif address :list \"from\" \":addrbook:friends\" { fileinto \"F\"; }\nif address :list \"from\" \"tag:example.com,2024:x\" { fileinto \"F\"; }\n",
    )
    .unwrap();
    let (url, pem, log) = Fake::new(
        Mode::Normal,
        false,
        Some("urn:ietf:params:sieve:addrbook:default"),
    )
    .start();
    // The fake announces no extlists in SIEVE; the list rules still run.
    let o = sieve_lint(
        &[
            "check",
            "--server",
            &url,
            "--server-insecure",
            "--format",
            "short",
            "l.sieve",
        ],
        &pem,
        dir.path(),
    );
    assert!(o.stdout.contains("SL0114"), "unknown-list: {}", o.stdout);
    assert!(
        o.stdout.contains("SL0109"),
        "unsupported-list-scheme: {}",
        o.stdout
    );
    no_forbidden(&log);
}

#[test]
fn server_check_shows_the_servers_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("ok.sieve"),
        "require \"fileinto\";\nfileinto \"A\";\n",
    )
    .unwrap();
    std::fs::write(p.join("refused.sieve"), "keep;\nfoo;\n").unwrap();
    std::fs::write(p.join("warned.sieve"), "# imapflags\nkeep;\n").unwrap();
    let (url, pem, log) = Fake::new(Mode::Normal, true, None).start();
    let o = sieve_lint(
        &[
            "check",
            "--server",
            &url,
            "--server-check",
            "--format",
            "short",
            "ok.sieve",
            "refused.sieve",
            "warned.sieve",
        ],
        &pem,
        p,
    );
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    // NO "line 2: error: …" at line 2, named by IMPLEMENTATION.
    assert!(
        o.stdout.contains(
            "refused.sieve:2:1: error[SL0250]: Fakecot Pigeonhole: unknown command 'foo'"
        ),
        "{}",
        o.stdout
    );
    // OK (WARNINGS) {N} literal, at line 1.
    assert!(
        o.stdout.contains("warned.sieve:1:1: warning[SL0251]: Fakecot Pigeonhole: the imapflags extension is deprecated."),
        "{}",
        o.stdout
    );
    assert!(!o.stdout.contains("ok.sieve:"), "{}", o.stdout);
    // sieve-lint also flags `foo` (unknown-command), so the verdicts agree.
    assert!(!o.stdout.contains("SL0252"), "{}", o.stdout);
    let log = log.lock().unwrap().clone();
    assert_eq!(log.iter().filter(|c| *c == "CHECKSCRIPT").count(), 3);
    no_forbidden_vec(&log);
}

fn no_forbidden_vec(log: &[String]) {
    for c in log {
        assert!(!FORBIDDEN.contains(&c.as_str()), "sieve-lint sent {c}");
    }
}

#[test]
fn server_disagrees_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    // sieve-lint passes it (a string "foo"), the fake refuses anything with foo.
    std::fs::write(
        p.join("a.sieve"),
        "require \"fileinto\";\nfileinto \"foo\";\n",
    )
    .unwrap();
    // sieve-lint refuses it (fileinto without require), the fake accepts.
    std::fs::write(p.join("b.sieve"), "fileinto \"A\";\n").unwrap();
    let (url, pem, _log) = Fake::new(Mode::Normal, false, None).start();
    let o = sieve_lint(
        &[
            "check",
            "--server",
            &url,
            "--server-insecure",
            "--server-check",
            "--format",
            "short",
            "a.sieve",
            "b.sieve",
        ],
        &pem,
        p,
    );
    assert_eq!(o.code, 1);
    assert!(
        o.stdout.contains("a.sieve:2:1: info[SL0252]: Fakecot Pigeonhole refuses this script, but sieve-lint found no error in it"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains("b.sieve:1:1: info[SL0252]: Fakecot Pigeonhole accepts this script, but sieve-lint reports errors in it"),
        "{}",
        o.stdout
    );
}

#[test]
fn saved_profile_gives_the_same_diagnostics_offline() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("s.sieve"),
        "require \"body\";\nif body :contains \"x\" { keep; }\n",
    )
    .unwrap();
    let (url, pem, log) = Fake::new(Mode::Normal, false, Some("urn tag")).start();
    let live = sieve_lint(
        &[
            "check",
            "--server",
            &url,
            "--server-insecure",
            "--save-profile",
            "srv.toml",
            "--format",
            "short",
            "s.sieve",
        ],
        &pem,
        p,
    );
    assert_eq!(live.code, 1, "{}", live.stderr);
    assert!(
        live.stdout
            .contains("\"body\" is not supported by Fakecot Pigeonhole"),
        "{}",
        live.stdout
    );
    let saved = std::fs::read_to_string(p.join("srv.toml")).unwrap();
    assert!(
        saved.contains("max-redirects = 7") && saved.contains("extlists = \"urn tag\""),
        "{saved}"
    );
    assert!(!saved.contains(PASSWORD));
    let offline = sieve_lint(
        &[
            "check", "--target", "srv.toml", "--format", "short", "s.sieve",
        ],
        &pem,
        p,
    );
    assert_eq!(offline.stdout, live.stdout);
    assert_eq!(offline.code, 1);
    // A broken profile file: a located error, exit 2.
    std::fs::write(
        p.join("bad.toml"),
        "id = \"x\"\nserver = \"y\"\ncapabilities = []\nbogus = 1\n",
    )
    .unwrap();
    let bad = sieve_lint(&["check", "--target", "bad.toml", "s.sieve"], &pem, p);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("bad.toml:4:"), "{}", bad.stderr);
    assert!(bad.stdout.is_empty());
    no_forbidden(&log);
}

#[test]
fn capabilities_sent_unasked_after_login_are_not_taken_for_an_answer() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("r.sieve"), "keep;\nfoo;\n").unwrap();
    let (url, pem, _log) = Fake::new(Mode::UnaskedCaps, false, None).start();
    let o = sieve_lint(
        &[
            "check",
            "--server",
            &url,
            "--server-insecure",
            "--server-check",
            "--format",
            "short",
            "r.sieve",
        ],
        &pem,
        p,
    );
    assert!(o.stdout.contains("SL0250"), "{}{}", o.stdout, o.stderr);
}

fn expect_trouble(o: &Out, words: &str) {
    assert_eq!(o.code, 2, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.is_empty(),
        "nothing printed as a result: {}",
        o.stdout
    );
    assert!(o.stderr.contains(words), "{words}: {}", o.stderr);
    assert_eq!(o.stderr.lines().count(), 1, "one clear error: {}", o.stderr);
}

#[test]
fn bye_mid_session_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("s.sieve"), "keep;\n").unwrap();
    let (url, pem, _) = Fake::new(Mode::ByeOnCheck, false, None).start();
    let o = sieve_lint(
        &[
            "check",
            "--server",
            &url,
            "--server-insecure",
            "--server-check",
            "s.sieve",
        ],
        &pem,
        p,
    );
    expect_trouble(
        &o,
        "the server ended the session: BYE (TRYLATER) \"Server shutting down.\"",
    );
}

#[test]
fn a_server_that_never_answers_times_out() {
    let dir = tempfile::tempdir().unwrap();
    let (url, pem, _) = Fake::new(Mode::Silent, false, None).start();
    let t = std::time::Instant::now();
    let o = sieve_lint(
        &[
            "targets",
            "--server",
            &url,
            "--server-insecure",
            "--server-timeout",
            "1",
        ],
        &pem,
        dir.path(),
    );
    expect_trouble(&o, "no answer from the server within 1 s");
    assert!(t.elapsed() < Duration::from_secs(8));
}

#[test]
fn a_server_that_lies_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let (url, pem, _) = Fake::new(Mode::Liar, false, None).start();
    let o = sieve_lint(
        &["targets", "--server", &url, "--server-insecure"],
        &pem,
        dir.path(),
    );
    expect_trouble(&o, "malformed response from the server");
}

#[test]
fn wrong_password_is_an_auth_error() {
    let dir = tempfile::tempdir().unwrap();
    let (url, pem, _) = Fake::new(Mode::Normal, true, None).start();
    let url = url.replace("alice@", "mallory@");
    let o = sieve_lint(&["targets", "--server", &url], &pem, dir.path());
    expect_trouble(
        &o,
        "login as mallory failed: NO (AUTH-TOO-WEAK) \"Authentication failed.\"",
    );
}

#[test]
fn no_starttls_no_login() {
    let dir = tempfile::tempdir().unwrap();
    let (url, pem, log) = Fake::new(Mode::Normal, false, None).start();
    let o = sieve_lint(&["targets", "--server", &url], &pem, dir.path());
    expect_trouble(&o, "does not offer STARTTLS");
    assert!(!log.lock().unwrap().iter().any(|c| c == "AUTHENTICATE"));
}

#[test]
fn an_untrusted_certificate_is_a_tls_error() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _pem, _) = Fake::new(Mode::Normal, true, None).start();
    let (_, other_pem) = tls_config();
    let o = sieve_lint(&["targets", "--server", &url], &other_pem, dir.path());
    expect_trouble(&o, "TLS:");
}

#[test]
fn refused_connection_and_bad_urls() {
    let dir = tempfile::tempdir().unwrap();
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let o = sieve_lint(
        &[
            "targets",
            "--server",
            &format!("sieve://a@127.0.0.1:{port}"),
        ],
        "",
        dir.path(),
    );
    expect_trouble(&o, "cannot connect");
    // RFC 6761: .invalid never resolves.
    let o = sieve_lint(
        &["targets", "--server", "sieve://a@host.invalid"],
        "",
        dir.path(),
    );
    expect_trouble(&o, "cannot resolve the host name");
    for (url, words) in [
        ("imap://a@h", "expected a sieve://"),
        ("sieve://a:pw@h", "password in the URL is refused"),
        ("sieve://a@h/script", "without a script name"),
    ] {
        let o = sieve_lint(&["targets", "--server", url], "", dir.path());
        expect_trouble(&o, words);
    }
}

#[test]
fn insecure_is_only_for_loopback() {
    let dir = tempfile::tempdir().unwrap();
    // A TEST-NET address (RFC 5737): refused before any connection.
    let o = sieve_lint(
        &[
            "targets",
            "--server",
            "sieve://a@192.0.2.1",
            "--server-insecure",
        ],
        "",
        dir.path(),
    );
    expect_trouble(&o, "only allowed for a loopback address");
}

mod parser {
    use proptest::prelude::*;
    use sieve_lint::managesieve::response::parse_all;

    const PIECES: &[&[u8]] = &[
        b"OK",
        b"NO",
        b"BYE",
        b" ",
        b"\r\n",
        b"\"",
        b"\\",
        b"{",
        b"}",
        b"+",
        b"(",
        b")",
        b"5",
        b"99999999999999999999",
        b"WARNINGS",
        b"\"SIEVE\" \"fileinto\"",
        b"x",
        b"\n",
    ];

    proptest! {
        /// Random bytes never panic the response reader, and it stops.
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse_all(&bytes);
        }

        /// Bytes shaped like responses, with random cuts and noise.
        #[test]
        fn response_like_bytes_never_panic(
            picks in proptest::collection::vec(0usize..PIECES.len(), 0..40)
        ) {
            let bytes: Vec<u8> = picks.iter().flat_map(|&i| PIECES[i].iter().copied()).collect();
            let _ = parse_all(&bytes);
        }
    }
}

#[test]
fn server_and_profile_file_in_sieve_lint_toml() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("s.sieve"),
        "require \"body\";\nif body :contains \"x\" { keep; }\n",
    )
    .unwrap();
    let (url, pem, log) = Fake::new(Mode::Normal, false, None).start();
    // `server =`: no --server on the command line.
    std::fs::write(p.join("sieve-lint.toml"), format!("server = \"{url}\"\n")).unwrap();
    let o = sieve_lint(
        &[
            "check",
            "--server-insecure",
            "--server-check",
            "--format",
            "short",
            "s.sieve",
        ],
        &pem,
        p,
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stdout
            .contains("\"body\" is not supported by Fakecot Pigeonhole"),
        "{}",
        o.stdout
    );
    assert!(log.lock().unwrap().iter().any(|c| c == "CHECKSCRIPT"));
    // `target = "FILE"`: a saved profile, relative to the settings file.
    let saved = sieve_lint(
        &[
            "targets",
            "--server",
            &url,
            "--server-insecure",
            "--save-profile",
            "srv.toml",
        ],
        &pem,
        p,
    );
    assert_eq!(saved.code, 0, "{}", saved.stderr);
    std::fs::write(p.join("sieve-lint.toml"), "target = \"srv.toml\"\n").unwrap();
    let offline = sieve_lint(&["check", "--format", "short", "s.sieve"], &pem, p);
    // The same target; no server verdict (the fake accepts it: SL0252 above).
    assert!(o.stdout.contains("info[SL0252]"), "{}", o.stdout);
    assert_eq!(
        offline.stdout,
        "s.sieve:1:9: error[SL0220]: \"body\" is not supported by Fakecot Pigeonhole\n"
    );
    // A bad `server =` is a located settings error.
    std::fs::write(p.join("sieve-lint.toml"), "server = \"imap://h\"\n").unwrap();
    let bad = sieve_lint(&["check", "s.sieve"], &pem, p);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("sieve-lint.toml:1:"), "{}", bad.stderr);
    no_forbidden(&log);
}

#[test]
fn list_schemes_takes_the_three_forms() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("l.sieve"),
        "require \"extlists\";\nif address :list \"from\" \":addrbook:friends\" { keep; }\nif address :list \"from\" \"tag:example.com,2024:x\" { keep; }\n",
    )
    .unwrap();
    let run = |schemes: &str| {
        sieve_lint(
            &[
                "check",
                "--list-schemes",
                schemes,
                "--format",
                "short",
                "l.sieve",
            ],
            "",
            p,
        )
    };
    // RFC form: tag lists allowed, nothing about which exist.
    let rfc = run("urn,tag");
    assert!(
        !rfc.stdout.contains("SL0109") && !rfc.stdout.contains("SL0114"),
        "{}",
        rfc.stdout
    );
    // Full names: the lists that exist; tag: is not a scheme of theirs.
    let names = run("urn:ietf:params:sieve:addrbook:default");
    assert!(
        names
            .stdout
            .contains("l.sieve:2:25: warning[SL0114]: unknown list"),
        "{}",
        names.stdout
    );
    assert!(
        names.stdout.contains("l.sieve:3:25: error[SL0109]"),
        "{}",
        names.stdout
    );
    // A URN prefix: the urn scheme, any address book.
    let prefix = run("urn:ietf:params:sieve:addrbook");
    assert!(!prefix.stdout.contains("SL0114"), "{}", prefix.stdout);
    assert!(
        prefix.stdout.contains("l.sieve:3:25: error[SL0109]"),
        "{}",
        prefix.stdout
    );
    let bad = run("urn:ietf:params:sieve:addrbook:a#b");
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("not a valid list name"),
        "{}",
        bad.stderr
    );
}

#[test]
fn run_takes_the_servers_profile() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("s.sieve"),
        "require \"fileinto\";\nfileinto \"A\";\n",
    )
    .unwrap();
    std::fs::write(
        p.join("m.eml"),
        "From: a@example.org\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nbody\r\n",
    )
    .unwrap();
    let (url, pem, log) = Fake::new(Mode::Normal, true, None).start();
    let o = sieve_lint(
        &[
            "run", "--server", &url, "--format", "json", "s.sieve", "m.eml",
        ],
        &pem,
        p,
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains("\"action\":\"fileinto\"")
            || o.stdout.contains("\"action\": \"fileinto\""),
        "{}",
        o.stdout
    );
    no_forbidden(&log);
}

/// The language server: `initializationOptions.server` and `server =` in
/// sieve-lint.toml are read once per server (one login), not per edit.
#[test]
fn language_server_reads_the_server_once() {
    use serde_json::{Value, json};
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let (url, pem, log) = Fake::new(Mode::Normal, true, None).start();
    std::fs::write(p.join("ca.pem"), &pem).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sieve-lint"))
        .arg("lsp")
        .current_dir(p)
        .env("SIEVE_PASSWORD", PASSWORD)
        .env("NETRC", p.join("no-netrc"))
        .env("SSL_CERT_FILE", p.join("ca.pem"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut send = |m: Value| {
        let body = m.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    };
    let mut read = || -> Value {
        let mut len = 0;
        loop {
            let mut line = String::new();
            assert!(stdout.read_line(&mut line).unwrap() > 0, "output ended");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                len = n.parse().unwrap();
            }
        }
        let mut body = vec![0; len];
        stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    };
    send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"capabilities": {}, "initializationOptions": {"server": url}}}));
    while read()["id"] != 1 {}
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let uri = "untitled:a.sieve";
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
        {"uri": uri, "languageId": "sieve", "version": 1, "text": "require \"body\";\n"}}}),
    );
    for v in 2..6 {
        send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": v},
            "contentChanges": [{"text": format!("require \"body\";\n# edit {v}\n")}]}}),
        );
    }
    let mut seen = String::new();
    for _ in 0..20 {
        let m = read();
        if m["method"] == "textDocument/publishDiagnostics" {
            seen = m["params"]["diagnostics"].to_string();
            if m["params"]["version"] == 5 {
                break;
            }
        }
    }
    assert!(
        seen.contains("not supported by Fakecot Pigeonhole"),
        "{seen}"
    );
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    while read()["id"] != 2 {}
    send(json!({"jsonrpc": "2.0", "method": "exit"}));
    let _ = child.wait();
    let log = log.lock().unwrap().clone();
    assert_eq!(
        log.iter().filter(|c| *c == "AUTHENTICATE").count(),
        1,
        "{log:?}"
    );
    no_forbidden_vec(&log);
}

#[test]
fn scram_sha_256_is_preferred_and_the_server_must_prove_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let (url, pem, log) = Fake::new(Mode::Scram, true, None).start();
    let o = sieve_lint(&["targets", "--server", &url], &pem, dir.path());
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("read after login with SCRAM-SHA-256"),
        "{}",
        o.stdout
    );
    assert!(log.lock().unwrap().iter().any(|c| c == "SCRAM-OK"));
    // A server that cannot prove it knows the password: refused.
    let (url, pem, _) = Fake::new(Mode::ScramImpostor, true, None).start();
    let o = sieve_lint(&["targets", "--server", &url], &pem, dir.path());
    expect_trouble(&o, "SCRAM signature is wrong");
    // The wrong password: the server refuses.
    let (url, pem, _) = Fake::new(Mode::Scram, true, None).start();
    let cert = dir.path().join("ca.pem");
    std::fs::write(&cert, &pem).unwrap();
    let out = cargo_bin_cmd!("sieve-lint")
        .args(["targets", "--server", &url])
        .env("SIEVE_PASSWORD", "wrong")
        .env("NETRC", dir.path().join("no-netrc"))
        .env("SSL_CERT_FILE", &cert)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("login as alice failed: NO \"Authentication failed.\""),
        "{err}"
    );
}

#[test]
fn server_check_needs_a_server() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.sieve"), "keep;\n").unwrap();
    let o = sieve_lint(&["check", "--server-check", "s.sieve"], "", dir.path());
    expect_trouble(&o, "--server-check needs a server");
    // --target and --server name two targets.
    let o = sieve_lint(
        &[
            "check",
            "--server",
            "sieve://a@h",
            "--target",
            "rfc",
            "s.sieve",
        ],
        "",
        dir.path(),
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("cannot be used with"), "{}", o.stderr);
}
