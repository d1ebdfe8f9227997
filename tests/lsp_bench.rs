//! A benchmark, not a timed test (ignored by default): from a `didChange`
//! to its `publishDiagnostics`, over 200 edits at random lines, for each
//! script named in `LSP_BENCH` (comma-separated paths). In a release build:
//!
//! ```sh
//! cargo run --release --example gen_bench -- 1000 > /tmp/1000.sieve
//! LSP_BENCH=/tmp/1000.sieve cargo test --release --test lsp_bench -- --ignored --nocapture
//! ```

use lsp_server::{Connection, Message, Notification, Request};
use serde_json::json;
use std::time::{Duration, Instant};

#[test]
#[ignore = "a benchmark: run with --ignored in a release build"]
fn did_change_to_publish_diagnostics() {
    let Ok(paths) = std::env::var("LSP_BENCH") else {
        eprintln!("LSP_BENCH not set: nothing to measure");
        return;
    };
    for path in paths.split(',') {
        let text = std::fs::read_to_string(path).unwrap();
        let (server, client) = Connection::memory();
        let t = std::thread::spawn(move || sieve_lint::lsp::serve(&server));
        let init = json!({ "capabilities": {} });
        client
            .sender
            .send(Request::new(1.into(), "initialize".into(), init).into())
            .unwrap();
        client.receiver.recv().unwrap();
        let send = |method: &str, params: serde_json::Value| {
            client
                .sender
                .send(Notification::new(method.into(), params).into())
                .unwrap();
        };
        let published = || loop {
            if let Message::Notification(n) = client.receiver.recv().unwrap()
                && n.method == "textDocument/publishDiagnostics"
            {
                return n.params;
            }
        };
        send("initialized", json!({}));
        let uri = "untitled:bench.sieve";
        send(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "sieve", "version": 1, "text": text } }),
        );
        published();
        let lines = text.lines().count() as u64;
        let mut seed: u64 = 0x5eed;
        let mut times: Vec<Duration> = Vec::new();
        let mut line = 0;
        for v in 0..200 {
            if v % 2 == 0 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                line = (seed >> 33) % lines;
            }
            // A space typed at the start of a random line, then taken back:
            // the script stays what it was.
            let (end, new) = if v % 2 == 0 { (0, " ") } else { (1, "") };
            let range = json!({ "start": { "line": line, "character": 0 }, "end": { "line": line, "character": end } });
            let start = Instant::now();
            send(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": uri, "version": v + 2 }, "contentChanges": [{ "range": range, "text": new }] }),
            );
            let p = published();
            times.push(start.elapsed());
            assert_eq!(p["version"], v + 2);
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        eprintln!(
            "{path}: {} bytes, {lines} lines: median {:.2} ms, p99 {:.2} ms, max {:.2} ms over {} edits",
            text.len(),
            ms(times[times.len() / 2]),
            ms(times[times.len() * 99 / 100]),
            ms(times[times.len() - 1]),
            times.len()
        );
        client
            .sender
            .send(Request::new(2.into(), "shutdown".into(), ()).into())
            .unwrap();
        send("exit", json!(null));
        drop(client);
        t.join().unwrap().unwrap();
    }
}
