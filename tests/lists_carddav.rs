//! CardDAV address books (issue 16) against an in-process fake server on
//! 127.0.0.1 (plain HTTP: allowed to loopback only). What is sent (REPORT,
//! Depth 1, the EMAIL query, Basic credentials from SIEVE_LISTS_PASSWORD),
//! hits and misses of `:list` in a dry run, `--trace` naming the source,
//! and every failure — 401, 404, malformed XML, unreachable, timeout,
//! `--offline`, too many members — an error naming the list, exit 2.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One canned answer: status and body.
type Answer = (u16, String);

/// A server answering each connection with the next answer (the last one
/// again when they run out); the requests it got, as text.
struct Fake {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

fn serve(answers: Vec<Answer>) -> Fake {
    serve_with(answers, Duration::ZERO)
}

fn serve_with(answers: Vec<Answer>, delay: Duration) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    std::thread::spawn(move || {
        for (i, conn) in listener.incoming().enumerate() {
            let Ok(mut conn) = conn else { return };
            let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            // Headers, then Content-Length bytes of body.
            let body_start = loop {
                let Ok(n) = conn.read(&mut chunk) else {
                    break None;
                };
                if n == 0 {
                    break None;
                }
                buf.extend_from_slice(&chunk[..n]);
                if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    break Some(p + 4);
                }
            };
            let Some(body_start) = body_start else {
                continue;
            };
            let head = String::from_utf8_lossy(&buf[..body_start]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < body_start + len {
                match conn.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            seen.lock()
                .expect("lock")
                .push(String::from_utf8_lossy(&buf).into_owned());
            std::thread::sleep(delay);
            let (status, body) = answers[i.min(answers.len() - 1)].clone();
            let _ = write!(
                conn,
                "HTTP/1.1 {status} X\r\nContent-Type: application/xml; charset=utf-8\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Fake { port, requests }
}

/// A multistatus of the given cards (each a vCard text).
fn multistatus(cards: &[&str]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:multistatus xmlns:d=\"DAV:\" \
         xmlns:card=\"urn:ietf:params:xml:ns:carddav\">\n",
    );
    for (i, c) in cards.iter().enumerate() {
        let escaped = c
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('\r', "&#13;");
        s.push_str(&format!(
            "<d:response><d:href>/dav/me/contacts/{i}.vcf</d:href><d:propstat><d:prop>\
             <d:getetag>\"{i}\"</d:getetag><card:address-data>{escaped}</card:address-data>\
             </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>\n"
        ));
    }
    s.push_str("</d:multistatus>\n");
    s
}

const CARDS: &[&str] = &[
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:1\r\nEMAIL;TYPE=INTERNET:Ann@Example.org\r\nEND:VCARD\r\n",
    "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:2\r\nitem1.EMAIL:bob@example.com\r\nEMAIL:bob@work.example\r\nEND:VCARD\r\n",
];

struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    /// A folder with sieve-lint.toml mapping `default` to the fake server,
    /// a script filing known senders, and two messages (hit, miss).
    fn new(port: u16) -> Setup {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("sieve-lint.toml"),
            format!("[addrbooks]\ndefault = \"http://me@127.0.0.1:{port}/dav/me/contacts/\"\n"),
        )
        .expect("write");
        std::fs::write(
            dir.path().join("s.sieve"),
            "require [\"extlists\", \"fileinto\"];\n\
             if address :list \"from\" \":addrbook:default\" { fileinto \"Known\"; }\n",
        )
        .expect("write");
        std::fs::write(
            dir.path().join("hit.eml"),
            "From: Ann <ann@EXAMPLE.org>\nSubject: a\n\nx\n",
        )
        .expect("write");
        std::fs::write(
            dir.path().join("miss.eml"),
            "From: eve@example.net\nSubject: b\n\nx\n",
        )
        .expect("write");
        Setup { dir }
    }

    fn path(&self, f: &str) -> std::path::PathBuf {
        self.dir.path().join(f)
    }

    fn run(&self, extra: &[&str]) -> std::process::Output {
        assert_cmd::Command::cargo_bin("sieve-lint")
            .expect("binary")
            .current_dir(self.dir.path())
            .env("SIEVE_LISTS_PASSWORD", "pw-secret")
            .env("NETRC", self.path("no-netrc"))
            .args(["run", "--format", "json"])
            .args(extra)
            .args(["s.sieve", "hit.eml", "miss.eml"])
            .output()
            .expect("runs")
    }
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_dry_run_asks_the_book_once_and_hits_and_misses() {
    let fake = serve(vec![(207, multistatus(CARDS))]);
    let s = Setup::new(fake.port);
    let out = s.run(&["--trace"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["messages"][0]["actions"][0]["mailbox"], "Known");
    assert_eq!(v["messages"][1]["actions"][0]["action"], "keep");
    let lookup = &v["messages"][0]["trace"][0]["lists"][0];
    assert_eq!(lookup["member"], "Ann@Example.org");
    assert!(
        lookup["from"]
            .as_str()
            .is_some_and(|f| f.starts_with("CardDAV http://")),
        "{lookup}"
    );
    let reqs = fake.requests.lock().expect("lock");
    assert_eq!(reqs.len(), 1, "one request for the whole run");
    let r = &reqs[0];
    assert!(r.starts_with("REPORT /dav/me/contacts/ HTTP/1.1"), "{r}");
    let lower = r.to_ascii_lowercase();
    assert!(lower.contains("\r\ndepth: 1\r\n"), "{r}");
    // Basic base64("me:pw-secret").
    assert!(r.contains("Basic bWU6cHctc2VjcmV0"), "{r}");
    assert!(r.contains("addressbook-query") && r.contains("<C:prop name=\"EMAIL\"/>"));
    // The password is never printed.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("pw-secret"));
    assert!(!stderr(&out).contains("pw-secret"));
}

#[test]
fn a_server_refusing_prop_filtering_is_asked_for_whole_cards() {
    let fake = serve(vec![(400, "bad request".into()), (207, multistatus(CARDS))]);
    let s = Setup::new(fake.port);
    let out = s.run(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let reqs = fake.requests.lock().expect("lock");
    assert_eq!(reqs.len(), 2);
    assert!(!reqs[1].contains("prop name"), "{}", reqs[1]);
}

#[test]
fn failures_name_the_list_and_exit_2() {
    let cases: Vec<(Vec<Answer>, &str)> = vec![
        (vec![(401, String::new())], "401"),
        (vec![(404, String::new())], "404"),
        (
            vec![(207, "<d:multistatus xmlns:d=\"DAV:\"><d:response>".into())],
            "malformed XML",
        ),
        (
            vec![(207, "<html>login</html>".into())],
            "not a DAV multistatus",
        ),
        (vec![(500, String::new())], "HTTP 500"),
        (
            vec![(207, multistatus(&["BEGIN:VCARD\r\nEMAIL:a@b\r\n"]))],
            "/dav/me/contacts/0.vcf:1: BEGIN:VCARD without END:VCARD",
        ),
        (vec![(301, String::new())], "redirects"),
    ];
    for (answers, words) in cases {
        let fake = serve(answers);
        let s = Setup::new(fake.port);
        let out = s.run(&[]);
        let e = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{words}: {e}");
        assert!(
            e.contains(":addrbook:default") && e.contains(words),
            "{words}: {e}"
        );
        assert!(
            out.stdout.is_empty(),
            "no report: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn an_unreachable_server_and_offline_are_errors() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let s = Setup::new(port);
    let out = s.run(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("connect"), "{}", stderr(&out));

    let fake = serve(vec![(207, multistatus(CARDS))]);
    let s = Setup::new(fake.port);
    let out = s.run(&["--offline"]);
    assert_eq!(out.status.code(), Some(2));
    let e = stderr(&out);
    assert!(
        e.contains("--offline") && e.contains(":addrbook:default"),
        "{e}"
    );
    assert!(
        fake.requests.lock().expect("lock").is_empty(),
        "no request offline"
    );

    // A file of the same name given on the command line wins: no request.
    let vcf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/vcard/google.vcf");
    let spec = format!(":addrbook:default={}", vcf.display());
    let out = s.run(&["--offline", "--list", &spec]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn check_resolves_books_only_when_asked() {
    let fake = serve(vec![(207, multistatus(CARDS))]);
    let s = Setup::new(fake.port);
    std::fs::write(
        s.path("t.sieve"),
        "require [\"extlists\", \"fileinto\"];\n\
         if address :list \"from\" [\":addrbook:default\", \":addrbook:other\"] { fileinto \"K\"; }\n",
    )
    .expect("write");
    std::fs::write(s.path("l.json"), "{\"tag:example.com,2026:x\": [\"a\"]}").expect("write");
    let check = |extra: &[&str]| {
        assert_cmd::Command::cargo_bin("sieve-lint")
            .expect("binary")
            .current_dir(s.dir.path())
            .env("SIEVE_LISTS_PASSWORD", "pw-secret")
            .env("NETRC", s.path("no-netrc"))
            .args(["check", "--format", "short", "--lists", "l.json"])
            .args(extra)
            .arg("t.sieve")
            .output()
            .expect("runs")
    };
    let out = check(&[]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains(":addrbook:other"), "{text}");
    assert!(
        !text.contains("\":addrbook:default\""),
        "a configured book is known: {text}"
    );
    assert!(
        fake.requests.lock().expect("lock").is_empty(),
        "no request without --resolve-lists"
    );

    let out = check(&["--resolve-lists"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains(":addrbook:other"), "{text}");
    assert_eq!(fake.requests.lock().expect("lock").len(), 1);

    let out = check(&["--resolve-lists", "--offline"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn a_config_with_plain_http_to_another_host_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("sieve-lint.toml"),
        "[addrbooks]\ndefault = \"http://dav.example.org/c/\"\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("s.sieve"), "keep;\n").expect("write");
    std::fs::write(dir.path().join("m.eml"), "Subject: x\n\nx\n").expect("write");
    let out = assert_cmd::Command::cargo_bin("sieve-lint")
        .expect("binary")
        .current_dir(dir.path())
        .args(["run", "s.sieve", "m.eml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let e = stderr(&out);
    assert!(
        e.contains("sieve-lint.toml:2") && e.contains("https://"),
        "{e}"
    );
}

#[test]
fn a_silent_server_times_out_and_a_big_book_hits_the_cap() {
    use sieve_lint::lists::{parse_name, remote};
    let name = parse_name(":addrbook:default").expect("a name");
    let fake = serve_with(vec![(207, multistatus(CARDS))], Duration::from_secs(5));
    let url = url::Url::parse(&format!("http://127.0.0.1:{}/c/", fake.port)).expect("URL");
    let opts = remote::Options {
        timeout: Duration::from_millis(500),
        prompt: false,
        ..remote::Options::default()
    };
    let start = std::time::Instant::now();
    let e = remote::fetch(&name, &url, &opts)
        .expect_err("times out")
        .to_string();
    assert!(
        e.contains("timeout") && e.contains(":addrbook:default"),
        "{e}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );

    let fake = serve(vec![(207, multistatus(CARDS))]);
    let url = url::Url::parse(&format!("http://127.0.0.1:{}/c/", fake.port)).expect("URL");
    let opts = remote::Options {
        max_members: 2,
        prompt: false,
        ..remote::Options::default()
    };
    let e = remote::fetch(&name, &url, &opts)
        .expect_err("over the cap")
        .to_string();
    assert!(e.contains("more than 2"), "{e}");
    let opts = remote::Options {
        max_members: 3,
        prompt: false,
        ..remote::Options::default()
    };
    let list = remote::fetch(&name, &url, &opts).expect("at the cap");
    assert_eq!(list.members.len(), 3);
}

#[test]
fn cache_dir_keeps_the_book_until_its_sync_token_changes() {
    let token = |t: &str| {
        format!(
            "<?xml version=\"1.0\"?><d:multistatus xmlns:d=\"DAV:\"><d:response>\
             <d:href>/dav/me/contacts/</d:href><d:propstat><d:prop>\
             <d:sync-token>{t}</d:sync-token></d:prop>\
             <d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>"
        )
    };
    let fake = serve(vec![
        // Run 1: token, then the book (kept).
        (207, token("http://x/sync/1")),
        (207, multistatus(CARDS)),
        // Run 2: the same token: the kept copy answers.
        (207, token("http://x/sync/1")),
        // Run 3: a new token: fetched again, without Ann.
        (207, token("http://x/sync/2")),
        (207, multistatus(&CARDS[1..])),
    ]);
    let s = Setup::new(fake.port);
    let cache = s.path("cache");
    let cache_arg = cache.display().to_string();
    let from = |out: &std::process::Output| {
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        (
            v["messages"][0]["actions"][0]["action"]
                .as_str()
                .unwrap_or("")
                .to_owned(),
            v["messages"][0]["trace"][0]["lists"][0]["from"]
                .as_str()
                .unwrap_or("")
                .to_owned(),
        )
    };
    let out = s.run(&["--trace", "--cache-dir", &cache_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(from(&out).0, "fileinto");
    assert!(!from(&out).1.contains("cache"), "{:?}", from(&out));
    let files: Vec<_> = std::fs::read_dir(&cache).expect("cache dir").collect();
    assert_eq!(files.len(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let f = files[0].as_ref().expect("entry").path();
        let mode = std::fs::metadata(&f).expect("meta").permissions().mode();
        assert_eq!(mode & 0o077, 0, "owner only: {mode:o}");
    }

    let out = s.run(&["--trace", "--cache-dir", &cache_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(from(&out).0, "fileinto");
    assert!(from(&out).1.contains("cache"), "{:?}", from(&out));

    let out = s.run(&["--trace", "--cache-dir", &cache_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(from(&out).0, "keep", "Ann left the book");
    let reqs = fake.requests.lock().expect("lock");
    let methods: Vec<&str> = reqs
        .iter()
        .map(|r| r.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(
        methods,
        ["PROPFIND", "REPORT", "PROPFIND", "PROPFIND", "REPORT"]
    );
}

#[test]
fn a_tls_failure_names_the_list() {
    // https:// to a server that answers the TLS hello with plain HTTP: the
    // handshake fails at once.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let mut hello = [0u8; 512];
            let _ = conn.read(&mut hello);
            let _ = conn.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let s = Setup::new(port);
    std::fs::write(
        s.path("sieve-lint.toml"),
        format!("[addrbooks]\ndefault = \"https://127.0.0.1:{port}/dav/me/contacts/\"\n"),
    )
    .expect("write");
    let out = s.run(&[]);
    let e = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{e}");
    assert!(
        e.contains(":addrbook:default") && e.contains("https://127.0.0.1"),
        "{e}"
    );
    assert!(e.contains("TLS"), "{e}");
}

#[test]
fn a_dry_run_contacts_only_the_books_the_script_names() {
    let fake = serve(vec![(207, multistatus(CARDS))]);
    let s = Setup::new(fake.port);
    std::fs::write(
        s.path("sieve-lint.toml"),
        format!(
            "[addrbooks]\ndefault = \"http://me@127.0.0.1:{}/dav/me/contacts/\"\n\
             staff = \"ldap://127.0.0.1:1/dc=example,dc=com?mail\"\n",
            fake.port
        ),
    )
    .expect("write");
    // s.sieve names only the default book: the LDAP one is not asked.
    let out = s.run(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fake.requests.lock().expect("lock").len(), 1);
    // A script naming the LDAP book gets its error.
    std::fs::write(
        s.path("s.sieve"),
        "require [\"extlists\", \"fileinto\"];\n\
         if address :list \"from\" \":addrbook:staff\" { fileinto \"Staff\"; }\n",
    )
    .expect("write");
    let out = s.run(&[]);
    assert_eq!(out.status.code(), Some(2));
    let e = stderr(&out);
    assert!(
        e.contains(":addrbook:staff") && e.contains("cannot connect to ldap://127.0.0.1:1"),
        "{e}"
    );
    assert_eq!(
        fake.requests.lock().expect("lock").len(),
        1,
        "default not asked"
    );
}
