//! An LSP client for the language-server tests: the server runs on a
//! thread over `lsp-server`'s memory connection; the client sends
//! requests and waits for their responses, keeping the notifications and
//! the server's own requests (client/registerCapability) it meets.

use lsp_server::{Connection, Message, Notification, Request, RequestId, ResponseError};
use serde_json::{Value, json};
use sieve_lint::lsp::{Exit, serve};
use std::thread::JoinHandle;

pub struct Client {
    pub conn: Connection,
    server: Option<JoinHandle<Result<Exit, String>>>,
    next_id: i32,
    /// Notifications received while waiting for a response.
    pub notes: Vec<Notification>,
    /// Requests from the server (client/registerCapability).
    pub asked: Vec<Request>,
}

impl Client {
    /// A server on a memory connection, initialized with `init` (the
    /// result of `initialize` is returned); `before` is queued before the
    /// server thread starts, so it finds all of it waiting.
    pub fn start(init: Value, before: &[Message]) -> (Client, Value) {
        let (server, conn) = Connection::memory();
        let mut c = Client {
            conn,
            server: None,
            next_id: 0,
            notes: Vec::new(),
            asked: Vec::new(),
        };
        c.send(Request::new(0.into(), "initialize".into(), init).into());
        c.notify("initialized", json!({}));
        for m in before {
            c.send(m.clone());
        }
        c.server = Some(std::thread::spawn(move || serve(&server)));
        let result = c.response(0.into()).unwrap();
        c.next_id = 1;
        (c, result)
    }

    pub fn send(&self, m: Message) {
        self.conn.sender.send(m).unwrap();
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.send(Notification::new(method.into(), params).into());
    }

    /// Waits for the response to `id` (notifications and the server's
    /// requests are kept).
    pub fn response(&mut self, id: RequestId) -> Result<Value, ResponseError> {
        loop {
            let m = self
                .conn
                .receiver
                .recv_timeout(std::time::Duration::from_secs(60))
                .expect("the server answers");
            match m {
                Message::Response(r) if r.id == id => return r.response_result,
                Message::Response(r) => panic!("unexpected response {r:?}"),
                Message::Notification(n) => self.notes.push(n),
                Message::Request(r) => self.asked.push(r),
            }
        }
    }

    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, ResponseError> {
        let id: RequestId = self.next_id.into();
        self.next_id += 1;
        self.send(Request::new(id.clone(), method.into(), params).into());
        self.response(id)
    }

    /// A request that must succeed.
    pub fn ok(&mut self, method: &str, params: Value) -> Value {
        match self.request(method, params) {
            Ok(v) => v,
            Err(e) => panic!("{method} failed: {e:?}"),
        }
    }

    pub fn open(&self, uri: &str, text: &str) {
        self.notify("textDocument/didOpen", open(uri, text));
    }

    pub fn close(&self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        );
    }

    /// The next publishDiagnostics (waiting for it).
    pub fn diagnostics(&mut self) -> Value {
        loop {
            if let Some(i) = self
                .notes
                .iter()
                .position(|n| n.method == "textDocument/publishDiagnostics")
            {
                return self.notes.remove(i).params;
            }
            match self.conn.receiver.recv().unwrap() {
                Message::Notification(n) => self.notes.push(n),
                Message::Request(r) => self.asked.push(r),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    /// shutdown, exit, and how the server ended.
    pub fn shutdown(mut self) -> Exit {
        assert_eq!(self.request("shutdown", Value::Null).unwrap(), Value::Null);
        self.notify("exit", Value::Null);
        self.server.take().unwrap().join().unwrap().unwrap()
    }
}

/// didOpen parameters.
pub fn open(uri: &str, text: &str) -> Value {
    json!({ "textDocument": { "uri": uri, "languageId": "sieve", "version": 1, "text": text } })
}

/// Text document position parameters.
pub fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

/// JSON as the snapshots hold it (insta's json feature is not enabled).
pub fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap()
}
