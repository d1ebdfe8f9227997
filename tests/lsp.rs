//! The language server in process, over `lsp-server`'s memory connection:
//! a whole session (initialize, open, incremental change, diagnostics,
//! code actions, hover, shutdown, exit) with the responses snapshotted;
//! coalesced edits; settings from sieve-lint.toml and from
//! initializationOptions; and every fixture opened and edited at random,
//! with an answer to every request.

mod common;

use common::lsp_client::{Client, at, open, pretty};
use lsp_server::{Message, Notification};
use serde_json::{Value, json};
use sieve_lint::lsp::Exit;

fn change(uri: &str, version: i32, range: Option<[u32; 4]>, text: &str) -> Value {
    let change = match range {
        Some([l1, c1, l2, c2]) => json!({
            "range": { "start": { "line": l1, "character": c1 }, "end": { "line": l2, "character": c2 } },
            "text": text
        }),
        None => json!({ "text": text }),
    };
    json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [change] })
}

fn codes(published: &Value) -> Vec<String> {
    published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

const URI: &str = "untitled:session.sieve";

/// The script of the session: a missing require after non-ASCII text
/// (`Iván`, an emoji) on CRLF lines, and code after stop.
const SCRIPT: &str = "# Iván 😀\r\nrequire \"envelope\";\r\nif header :is \"from\" \"iván@😀.example\" { fileinto \"Iván\"; }\r\nstop;\r\nkeep;\r\n";

#[test]
fn a_whole_session() {
    let init = json!({
        "capabilities": { "general": { "positionEncodings": ["utf-8", "utf-16"] } }
    });
    let (mut c, result) = Client::start(init, &[]);
    insta::assert_snapshot!("initialize", pretty(&result));

    c.notify("textDocument/didOpen", open(URI, SCRIPT));
    let first = c.diagnostics();
    assert_eq!(first["version"], 1);
    assert_eq!(
        codes(&first),
        ["SL0204", "SL0203", "SL0209"],
        "unused envelope, missing fileinto, code after stop"
    );
    insta::assert_snapshot!("open", pretty(&first));

    // Incremental: `envelope` → `fileinto` (line 1, UTF-8 columns 9..17).
    c.notify(
        "textDocument/didChange",
        change(URI, 2, Some([1, 9, 1, 17]), "fileinto"),
    );
    let second = c.diagnostics();
    assert_eq!(second["version"], 2);
    assert_eq!(codes(&second), ["SL0209"]);
    insta::assert_snapshot!("change", pretty(&second));

    // Back to the first text, whole.
    c.notify("textDocument/didChange", change(URI, 3, None, SCRIPT));
    assert_eq!(codes(&c.diagnostics()), ["SL0204", "SL0203", "SL0209"]);

    let range =
        json!({ "start": { "line": 2, "character": 0 }, "end": { "line": 2, "character": 60 } });
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": URI }, "range": range, "context": { "diagnostics": [] } }),
        )
        .unwrap();
    insta::assert_snapshot!("code_actions", pretty(&actions));
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Suppress missing-require on this line"),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|t| t.starts_with("Fix all")),
        "{titles:?}"
    );

    // Hover on `fileinto` (line 2): its finding's rule documentation.
    let on_fileinto = SCRIPT.lines().nth(2).unwrap().find("fileinto").unwrap() as u32;
    let hover = c
        .request("textDocument/hover", at(URI, 2, on_fileinto + 1))
        .unwrap();
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("**SL0203 missing-require**"), "{text}");
    // On `header`: its signature and RFC section.
    let hover = c.request("textDocument/hover", at(URI, 2, 4)).unwrap();
    insta::assert_snapshot!("hover_header", pretty(&hover));
    // Nothing at the end of the comment.
    assert_eq!(
        c.request("textDocument/hover", at(URI, 0, 3)).unwrap(),
        Value::Null
    );

    // Unknown methods are errors, not silence.
    let err = c
        .request("sieve-lint/no-such-method", at(URI, 0, 0))
        .unwrap_err();
    assert_eq!(err.code, lsp_server::ErrorCode::MethodNotFound as i32);

    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": URI } }),
    );
    assert_eq!(c.diagnostics()["diagnostics"], json!([]));
    assert_eq!(c.shutdown(), Exit::Clean);
}

/// Without UTF-8 offered, columns count UTF-16 units: the emoji counts 2.
#[test]
fn utf16_by_default() {
    let (mut c, result) = Client::start(json!({ "capabilities": {} }), &[]);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    c.notify("textDocument/didOpen", open(URI, "# 😀\r\nunknowncmd;\r\n"));
    let d = c.diagnostics();
    assert_eq!(
        d["diagnostics"][0]["range"]["start"],
        json!({"line": 1, "character": 0})
    );
    // `x` typed after the emoji: UTF-16 column 4 (`# ` + a surrogate pair).
    c.notify(
        "textDocument/didChange",
        change(URI, 2, Some([0, 4, 0, 4]), " x"),
    );
    c.diagnostics();
    // `unknowncmd` → `stop` on line 1.
    c.notify(
        "textDocument/didChange",
        change(URI, 3, Some([1, 0, 1, 10]), "stop"),
    );
    let d = c.diagnostics();
    assert_eq!(d["diagnostics"], json!([]), "{d}");
    assert_eq!(c.shutdown(), Exit::Clean);
}

/// Edits queued together are linted once, at the latest version.
#[test]
fn queued_edits_are_linted_once() {
    let mut queued = vec![Message::from(Notification::new(
        "textDocument/didOpen".into(),
        open(URI, "keep;\n"),
    ))];
    for v in 2..=51 {
        queued.push(
            Notification::new(
                "textDocument/didChange".into(),
                change(URI, v, Some([0, 0, 0, 0]), "x"),
            )
            .into(),
        );
    }
    let (mut c, _) = Client::start(json!({ "capabilities": {} }), &queued);
    let d = c.diagnostics();
    assert_eq!(d["version"], 51);
    // Fifty `x` typed before `keep`: the last version's text.
    let unknown = format!("unknown command `{}keep`", "x".repeat(50));
    assert_eq!(d["diagnostics"][0]["message"], unknown.as_str(), "{d}");
    // A request after it: no other publication came in between.
    c.request("textDocument/hover", at(URI, 0, 0)).unwrap();
    assert!(
        c.notes
            .iter()
            .all(|n| n.method != "textDocument/publishDiagnostics"),
        "{:?}",
        c.notes
    );
    assert_eq!(c.shutdown(), Exit::Clean);
}

const TARGET_SCRIPT: &str = "require \"foreverypart\";\nforeverypart { keep; }\n";

/// The nearest sieve-lint.toml gives the target; initializationOptions
/// override it; an edited settings file counts at the next save.
#[test]
fn settings_and_target() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("sub/x.sieve");
    std::fs::create_dir_all(script.parent().unwrap()).unwrap();
    std::fs::write(&script, TARGET_SCRIPT).unwrap();
    std::fs::write(dir.path().join("sieve-lint.toml"), "target = \"cyrus-3\"\n").unwrap();
    let uri = url::Url::from_file_path(&script).unwrap().to_string();

    let (mut c, _) = Client::start(json!({ "capabilities": {} }), &[]);
    c.notify("textDocument/didOpen", open(&uri, TARGET_SCRIPT));
    assert_eq!(
        codes(&c.diagnostics()),
        ["SL0220"],
        "cyrus-3 has no foreverypart"
    );
    std::fs::write(dir.path().join("sieve-lint.toml"), "target = \"rfc\"\n").unwrap();
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(dir.path().join("sieve-lint.toml"))
        .unwrap()
        .set_modified(later)
        .unwrap();
    c.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(codes(&c.diagnostics()), Vec::<String>::new());
    assert_eq!(c.shutdown(), Exit::Clean);

    let init = json!({ "capabilities": {}, "initializationOptions": { "target": "cyrus-3" } });
    let (mut c, _) = Client::start(init, &[]);
    c.notify("textDocument/didOpen", open(URI, TARGET_SCRIPT));
    assert_eq!(codes(&c.diagnostics()), ["SL0220"]);
    assert_eq!(c.shutdown(), Exit::Clean);
}

/// With a client that can watch files, the server asks to watch
/// sieve-lint.toml, and a change it reports re-lints the open documents
/// with the new settings (without an edit or save of the script).
#[test]
fn watched_settings_relint_open_documents() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("x.sieve");
    std::fs::write(&script, TARGET_SCRIPT).unwrap();
    let settings = dir.path().join("sieve-lint.toml");
    std::fs::write(&settings, "target = \"cyrus-3\"\n").unwrap();
    let uri = url::Url::from_file_path(&script).unwrap().to_string();

    let init = json!({ "capabilities": {
        "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } }
    } });
    let (mut c, _) = Client::start(init, &[]);
    c.notify("textDocument/didOpen", open(&uri, TARGET_SCRIPT));
    assert_eq!(codes(&c.diagnostics()), ["SL0220"]);
    let register = c
        .asked
        .iter()
        .find(|r| r.method == "client/registerCapability")
        .expect("the server asks to watch the settings files");
    let registration = &register.params["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(
        registration["registerOptions"]["watchers"][0]["globPattern"],
        "**/sieve-lint.toml"
    );
    // The same modification time on purpose: the notification alone counts.
    let modified = std::fs::metadata(&settings).unwrap().modified().unwrap();
    std::fs::write(&settings, "target = \"rfc\"\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&settings)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let settings_uri = url::Url::from_file_path(&settings).unwrap().to_string();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": settings_uri, "type": 2 }] }),
    );
    assert_eq!(codes(&c.diagnostics()), Vec::<String>::new());
    assert_eq!(c.shutdown(), Exit::Clean);

    // A client without dynamic registration is not asked.
    let (c, _) = Client::start(json!({ "capabilities": {} }), &[]);
    assert!(c.asked.is_empty());
    assert_eq!(c.shutdown(), Exit::Clean);
}

/// A broken settings file is said once (window/showMessage) and the
/// document is still linted, with the defaults.
#[test]
fn broken_settings_are_shown_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("x.sieve");
    std::fs::write(dir.path().join("sieve-lint.toml"), "target = 3\n").unwrap();
    let uri = url::Url::from_file_path(&script).unwrap().to_string();
    let (mut c, _) = Client::start(json!({ "capabilities": {} }), &[]);
    c.notify("textDocument/didOpen", open(&uri, TARGET_SCRIPT));
    assert_eq!(codes(&c.diagnostics()), Vec::<String>::new());
    let shown: Vec<&Notification> = c
        .notes
        .iter()
        .filter(|n| n.method == "window/showMessage")
        .collect();
    assert_eq!(shown.len(), 1, "{:?}", c.notes);
    let message = shown[0].params["message"].as_str().unwrap();
    assert!(message.contains("sieve-lint.toml:1:"), "{message}");
    assert_eq!(c.shutdown(), Exit::Clean);
}

/// A small deterministic generator (no dependency for it).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u32) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % u64::from(below.max(1))) as u32
    }
}

fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("sieve" | "siv")
        ) {
            out.push(p);
        }
    }
}

/// Every fixture (and the fuzz corpus when present), opened and edited at
/// random places, with hovers and code actions at random positions (also
/// past the end): every request is answered, none with an internal error.
#[test]
fn every_fixture_with_random_edits() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files(&root.join("fixtures"), &mut paths);
    files(&root.join("fuzz/corpus"), &mut paths);
    paths.sort();
    assert!(paths.len() > 100, "{} fixtures", paths.len());
    let (mut c, _) = Client::start(json!({ "capabilities": {} }), &[]);
    let mut rng = Lcg(14);
    let inserts = [
        "\"", "{", "}", ";", "😀", "é", "\r\n", "/*", "text:\n", "# ", ":is", "",
    ];
    for (n, path) in paths.iter().enumerate() {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        let uri = format!("untitled:doc{n}.sieve");
        c.notify("textDocument/didOpen", open(&uri, &text));
        let lines = text.lines().count() as u32 + 2;
        for v in 2..5 {
            let (l1, c1) = (rng.next(lines), rng.next(40));
            let (l2, c2) = (l1 + rng.next(2), rng.next(40));
            let insert = inserts[rng.next(inserts.len() as u32) as usize];
            c.notify(
                "textDocument/didChange",
                change(&uri, v, Some([l1, c1, l2, c2]), insert),
            );
            let (l, ch) = (rng.next(lines), rng.next(60));
            for r in [
                c.request("textDocument/hover", at(&uri, l, ch)),
                c.request(
                    "textDocument/codeAction",
                    json!({
                        "textDocument": { "uri": uri },
                        "range": { "start": { "line": l, "character": ch }, "end": { "line": l, "character": ch } },
                        "context": { "diagnostics": [] }
                    }),
                ),
            ] {
                if let Err(e) = r {
                    panic!("{}: {e:?}", path.display());
                }
            }
        }
        c.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        );
        // A request after the close: every notification before it is in.
        c.request("textDocument/hover", at(&uri, 0, 0)).unwrap();
        let internal = c
            .notes
            .iter()
            .find(|n| n.params.to_string().contains("internal error"));
        assert!(internal.is_none(), "{}: {internal:?}", path.display());
        c.notes.clear();
    }
    assert_eq!(c.shutdown(), Exit::Clean);
}
