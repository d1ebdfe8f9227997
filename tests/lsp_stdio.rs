//! `sieve-lint lsp` as an editor runs it: a child process spoken to in
//! JSON-RPC with Content-Length framing over its standard input and output.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Server {
    fn spawn() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sieve-lint"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Server {
            child,
            stdin,
            stdout,
        }
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        let stdin = self.stdin.as_mut().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    /// One framed message.
    fn read(&mut self) -> Value {
        let mut length = None;
        loop {
            let mut line = String::new();
            assert!(
                self.stdout.read_line(&mut line).unwrap() > 0,
                "output ended"
            );
            let line = line.trim_end_matches("\r\n");
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = Some(n.parse::<usize>().unwrap());
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// Reads until a message satisfies `want`.
    fn read_until(&mut self, want: impl Fn(&Value) -> bool) -> Value {
        loop {
            let m = self.read();
            if want(&m) {
                return m;
            }
        }
    }
}

fn initialize(s: &mut Server) {
    s.send(json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} } }));
    let r = s.read_until(|m| m["id"] == 1);
    assert_eq!(r["result"]["serverInfo"]["name"], "sieve-lint");
    s.send(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
}

#[test]
fn initialize_open_diagnostics_shutdown_exit() {
    let mut s = Server::spawn();
    initialize(&mut s);
    s.send(json!({
        "jsonrpc": "2.0",
        "method": "textDocument/didOpen",
        "params": { "textDocument": {
            "uri": "untitled:a.sieve", "languageId": "sieve", "version": 7,
            "text": "# Iván\r\nfileinto \"INBOX\";\r\n"
        } }
    }));
    let d = s.read_until(|m| m["method"] == "textDocument/publishDiagnostics");
    assert_eq!(d["params"]["version"], 7);
    let first = &d["params"]["diagnostics"][0];
    assert_eq!(first["code"], "SL0203");
    assert_eq!(first["message"], "missing require \"fileinto\"");
    assert_eq!(
        first["range"]["start"],
        json!({ "line": 1, "character": 0 })
    );
    s.send(json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }));
    let r = s.read_until(|m| m["id"] == 2);
    assert_eq!(r["result"], Value::Null);
    s.send(json!({ "jsonrpc": "2.0", "method": "exit" }));
    let status = s.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

/// The editor went away: the server ends on its own, exit code 0.
#[test]
fn closed_input_ends_the_server() {
    let mut s = Server::spawn();
    initialize(&mut s);
    drop(s.stdin.take());
    assert_eq!(s.child.wait().unwrap().code(), Some(0));
    // Before initialize too.
    let mut s = Server::spawn();
    drop(s.stdin.take());
    assert_eq!(s.child.wait().unwrap().code(), Some(0));
}

/// `exit` without `shutdown`: exit code 1, as the protocol asks.
#[test]
fn exit_without_shutdown_is_code_1() {
    let mut s = Server::spawn();
    initialize(&mut s);
    s.send(json!({ "jsonrpc": "2.0", "method": "exit" }));
    assert_eq!(s.child.wait().unwrap().code(), Some(1));
}
