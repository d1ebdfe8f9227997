//! The message loop. As ruff's server: one thread handles the messages in
//! the order they arrive (no async runtime), so edits are applied in order
//! and every request sees the text of every edit before it.
//!
//! Linting never delays an edit: a changed document is only marked; its
//! diagnostics are computed when no message is waiting (`try_recv`), so a
//! burst of `didChange` is linted once, at its latest version.
//!
//! A panic in a handler is caught: a request gets an `InternalError`
//! response and the server goes on.

use super::actions;
use super::diagnostics::{self, Settings, file_path, to_lsp};
use super::document::{Document, Encoding, Text};
use super::navigation;
use crate::FileReport;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, FoldingRangeRequest, GotoDefinition,
    HoverRequest, Request as _, SemanticTokensFullRequest,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, HoverProviderCapability,
    InitializeParams, InitializeResult, MessageType, PublishDiagnosticsParams, SaveOptions,
    ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// How the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// `shutdown` then `exit`, or the input closed.
    Clean,
    /// `exit` without `shutdown` (the protocol asks for exit code 1).
    WithoutShutdown,
}

/// `initializationOptions`: `{ "target": "dovecot-2.3" }`.
#[derive(Debug, Default, serde::Deserialize)]
struct InitOptions {
    target: Option<String>,
    /// `sieve://[user@]host[:port]`: the target read from that server.
    server: Option<String>,
}

/// One open document and its last findings.
struct Open {
    doc: Document,
    /// The findings of `doc.version`, once linted.
    report: Option<Arc<FileReport>>,
    options: Arc<crate::CheckOptions>,
}

struct Server<'c> {
    conn: &'c Connection,
    enc: Encoding,
    settings: Settings,
    docs: HashMap<Uri, Open>,
    /// Documents changed since they were last linted.
    pending: BTreeSet<Uri>,
    /// Settings problems already shown (each once).
    shown: HashSet<String>,
    /// The client takes snippets in completion items.
    snippets: bool,
}

/// The capabilities: only what is implemented.
fn capabilities(enc: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(enc.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, actions::FIX_ALL]),
            resolve_provider: Some(false),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        document_symbol_provider: Some(lsp_types::OneOf::Left(true)),
        folding_range_provider: Some(lsp_types::FoldingRangeProviderCapability::Simple(true)),
        definition_provider: Some(lsp_types::OneOf::Left(true)),
        semantic_tokens_provider: Some(
            lsp_types::SemanticTokensServerCapabilities::SemanticTokensOptions(
                lsp_types::SemanticTokensOptions {
                    legend: super::semantic::legend(),
                    full: Some(lsp_types::SemanticTokensFullOptions::Bool(true)),
                    range: Some(false),
                    ..lsp_types::SemanticTokensOptions::default()
                },
            ),
        ),
        completion_provider: Some(lsp_types::CompletionOptions {
            trigger_characters: Some(vec![":".to_owned(), "\"".to_owned()]),
            ..lsp_types::CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

/// Runs the server on a connection until `exit` or the end of input.
pub fn serve(conn: &Connection) -> Result<Exit, String> {
    let (id, params) = match conn.initialize_start() {
        Ok(x) => x,
        // The input closed before `initialize`.
        Err(e) if e.channel_is_disconnected() => return Ok(Exit::Clean),
        Err(e) => return Err(e.to_string()),
    };
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let enc = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false);
    let snippets = params
        .capabilities
        .text_document
        .as_ref()
        .and_then(|t| t.completion.as_ref())
        .and_then(|c| c.completion_item.as_ref())
        .and_then(|i| i.snippet_support)
        .unwrap_or(false);
    let init: InitOptions = params
        .initialization_options
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    let mut target = init.target.as_deref().and_then(crate::profiles::find);
    // Read once, before the first lint (cached per URL for the process).
    let mut server_problem = None;
    if let (None, Some(url)) = (&init.target, &init.server) {
        match crate::profiles::live::cached(url, &super::diagnostics::lsp_connect()) {
            Ok(sp) => target = Some(sp.profile),
            Err(e) => server_problem = Some(format!("sieve-lint: {e}")),
        }
    }
    let result = InitializeResult {
        capabilities: capabilities(enc),
        server_info: Some(ServerInfo {
            name: "sieve-lint".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    };
    let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
    match conn.initialize_finish(id, result) {
        Ok(()) => {}
        Err(e) if e.channel_is_disconnected() => return Ok(Exit::Clean),
        Err(e) => return Err(e.to_string()),
    }
    let mut server = Server {
        conn,
        enc,
        settings: Settings::new(target),
        docs: HashMap::new(),
        pending: BTreeSet::new(),
        shown: HashSet::new(),
        snippets,
    };
    if watch {
        server.watch_settings();
    }
    if let Some(problem) = server_problem {
        server.show(problem);
    }
    if let (Some(name), None) = (&init.target, target) {
        server.show(format!(
            "sieve-lint: unknown target '{name}' in initializationOptions; expected one of {}",
            crate::profiles::ids()
        ));
    }
    server.run()
}

impl Server<'_> {
    fn run(&mut self) -> Result<Exit, String> {
        loop {
            // Lint only when no message waits: a burst of edits is linted
            // once, at its latest version.
            if !self.pending.is_empty() && self.conn.receiver.is_empty() {
                self.publish_pending();
                continue;
            }
            let Ok(msg) = self.conn.receiver.recv() else {
                return Ok(Exit::Clean);
            };
            match msg {
                Message::Request(req) => {
                    match self.conn.handle_shutdown(&req) {
                        Ok(true) => return Ok(Exit::Clean),
                        Ok(false) => {}
                        // The input closed (or something else came) after
                        // the shutdown was answered: nothing is lost.
                        Err(_) => return Ok(Exit::Clean),
                    }
                    self.request(req);
                }
                Message::Notification(n) if n.method == "exit" => {
                    return Ok(Exit::WithoutShutdown);
                }
                Message::Notification(n) => {
                    let method = n.method.clone();
                    let caught =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.notify(n)));
                    if caught.is_err() {
                        self.show(format!("sieve-lint: internal error handling {method}"));
                    }
                }
                Message::Response(_) => {}
            }
        }
    }

    /// Asks the editor to report changes of settings files
    /// (`workspace/didChangeWatchedFiles`), so that diagnostics follow an
    /// edited `sieve-lint.toml` without an edit of the script. Editors
    /// without dynamic registration see the change at the next edit or save.
    fn watch_settings(&self) {
        let params = lsp_types::RegistrationParams {
            registrations: vec![lsp_types::Registration {
                id: "sieve-lint-settings".to_owned(),
                method: DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: Some(serde_json::json!({
                    "watchers": [{ "globPattern": "**/sieve-lint.toml" }]
                })),
            }],
        };
        self.send(Request::new(
            "sieve-lint/watch-settings".to_owned().into(),
            lsp_types::request::RegisterCapability::METHOD.to_owned(),
            params,
        ));
    }

    fn send(&self, msg: impl Into<Message>) {
        // A closed output ends the loop at the next receive.
        let _ = self.conn.sender.send(msg.into());
    }

    fn show(&mut self, message: String) {
        if self.shown.insert(message.clone()) {
            let params = ShowMessageParams {
                typ: MessageType::WARNING,
                message,
            };
            self.send(Notification::new(ShowMessage::METHOD.to_owned(), params));
        }
    }

    fn notify(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    n.extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                let path = file_path(&uri);
                let (options, problem) = self.settings.options(path.as_deref());
                if let Some(problem) = problem {
                    self.show(format!("sieve-lint: {problem}"));
                }
                let doc = Document {
                    text: Text::new(p.text_document.text),
                    version: p.text_document.version,
                };
                self.docs.insert(
                    uri.clone(),
                    Open {
                        doc,
                        report: None,
                        options,
                    },
                );
                self.pending.insert(uri);
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = n.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) else {
                    return;
                };
                let uri = p.text_document.uri;
                let enc = self.enc;
                let Some(open) = self.docs.get_mut(&uri) else {
                    return;
                };
                for change in p.content_changes {
                    open.doc.text.apply(change, enc);
                }
                open.doc.version = p.text_document.version;
                open.report = None;
                self.pending.insert(uri);
            }
            DidSaveTextDocument::METHOD => {
                // The settings file may have changed: read it again.
                let Ok(p) =
                    n.extract::<lsp_types::DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                else {
                    return;
                };
                if let Some(open) = self.docs.get_mut(&p.text_document.uri) {
                    open.report = None;
                    self.pending.insert(p.text_document.uri);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                // A settings file changed, appeared or went: read the
                // settings (and the lists they name) again and re-lint
                // every open document.
                self.settings.forget();
                for (uri, open) in &mut self.docs {
                    open.report = None;
                    self.pending.insert(uri.clone());
                }
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = n
                    .extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                self.docs.remove(&uri);
                self.pending.remove(&uri);
                self.publish(uri, Vec::new(), None);
            }
            _ => {}
        }
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(
            PublishDiagnostics::METHOD.to_owned(),
            params,
        ));
    }

    /// Lints and publishes every changed document.
    fn publish_pending(&mut self) {
        while let Some(uri) = self.pending.pop_first() {
            let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.report(&uri).map(|r| {
                    let open = &self.docs[&uri];
                    let diags = r
                        .diagnostics
                        .iter()
                        .map(|d| to_lsp(d, &uri, &open.doc.text, self.enc))
                        .collect();
                    (diags, open.doc.version)
                })
            }));
            match caught {
                Ok(Some((diags, version))) => self.publish(uri, diags, Some(version)),
                Ok(None) => {}
                Err(_) => self.show(format!(
                    "sieve-lint: internal error linting {}",
                    uri.as_str()
                )),
            }
        }
    }

    /// The findings of a document's current text (linted now if needed);
    /// the settings are looked up again (an edited settings file counts).
    fn report(&mut self, uri: &Uri) -> Option<Arc<FileReport>> {
        let open = self.docs.get(uri)?;
        if let Some(r) = &open.report {
            return Some(r.clone());
        }
        let (options, problem) = self.settings.options(file_path(uri).as_deref());
        if let Some(problem) = problem {
            self.show(format!("sieve-lint: {problem}"));
        }
        let open = self.docs.get_mut(uri)?;
        let report = Arc::new(diagnostics::lint(uri, open.doc.text.as_str(), &options));
        open.report = Some(report.clone());
        open.options = options;
        Some(report)
    }

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.dispatch(req)));
        let response = match result {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    format!("sieve-lint: internal error: {what}"),
                )
            }
        };
        self.send(response);
    }

    fn dispatch(&mut self, req: Request) -> Result<serde_json::Value, (ErrorCode, String)> {
        let invalid =
            |e: lsp_server::ExtractError<Request>| (ErrorCode::InvalidParams, format!("{e:?}"));
        let value = match req.method.as_str() {
            CodeActionRequest::METHOD => {
                let (_, p) = req
                    .extract::<lsp_types::CodeActionParams>(CodeActionRequest::METHOD)
                    .map_err(invalid)?;
                serde_json::to_value(self.code_actions(p))
            }
            HoverRequest::METHOD => {
                let (_, p) = req
                    .extract::<lsp_types::HoverParams>(HoverRequest::METHOD)
                    .map_err(invalid)?;
                serde_json::to_value(self.hover(p))
            }
            DocumentSymbolRequest::METHOD => {
                let (_, p) = req
                    .extract::<lsp_types::DocumentSymbolParams>(DocumentSymbolRequest::METHOD)
                    .map_err(invalid)?;
                let open = self.docs.get(&p.text_document.uri);
                serde_json::to_value(open.map(|o| {
                    lsp_types::DocumentSymbolResponse::Nested(navigation::symbols(
                        &o.doc.text,
                        self.enc,
                    ))
                }))
            }
            FoldingRangeRequest::METHOD => {
                let (_, p) = req
                    .extract::<lsp_types::FoldingRangeParams>(FoldingRangeRequest::METHOD)
                    .map_err(invalid)?;
                let open = self.docs.get(&p.text_document.uri);
                serde_json::to_value(open.map(|o| navigation::folding(&o.doc.text)))
            }
            SemanticTokensFullRequest::METHOD => {
                let (_, p) = req
                    .extract::<lsp_types::SemanticTokensParams>(SemanticTokensFullRequest::METHOD)
                    .map_err(invalid)?;
                let open = self.docs.get(&p.text_document.uri);
                serde_json::to_value(open.map(|o| {
                    lsp_types::SemanticTokensResult::Tokens(lsp_types::SemanticTokens {
                        result_id: None,
                        data: super::semantic::tokens(&o.doc.text, self.enc),
                    })
                }))
            }
            GotoDefinition::METHOD => {
                let (_, p) = req
                    .extract::<lsp_types::GotoDefinitionParams>(GotoDefinition::METHOD)
                    .map_err(invalid)?;
                let at = p.text_document_position_params;
                let open = self.docs.get(&at.text_document.uri);
                serde_json::to_value(open.and_then(|o| {
                    let offset = o.doc.text.offset(at.position, self.enc);
                    let dirs = &o.options.include_dirs;
                    navigation::definition(
                        &at.text_document.uri,
                        &o.doc.text,
                        self.enc,
                        offset,
                        dirs,
                    )
                }))
            }
            Completion::METHOD => {
                let (_, p) = req
                    .extract::<lsp_types::CompletionParams>(Completion::METHOD)
                    .map_err(invalid)?;
                serde_json::to_value(self.completion(p))
            }
            #[cfg(test)]
            "sieve-lint/panic" => panic!("asked to"),
            _ => {
                return Err((
                    ErrorCode::MethodNotFound,
                    format!("sieve-lint does not handle {}", req.method),
                ));
            }
        };
        value.map_err(|e| (ErrorCode::InternalError, e.to_string()))
    }

    fn code_actions(
        &mut self,
        p: lsp_types::CodeActionParams,
    ) -> Vec<lsp_types::CodeActionOrCommand> {
        let uri = p.text_document.uri;
        let Some(report) = self.report(&uri) else {
            return Vec::new();
        };
        let open = &self.docs[&uri];
        let req = actions::Request {
            uri: &uri,
            text: &open.doc.text,
            enc: self.enc,
            report: &report,
            options: &open.options,
            span: open.doc.text.span(p.range, self.enc),
            only: p.context.only.as_deref(),
        };
        actions::actions(&req)
    }

    fn hover(&mut self, p: lsp_types::HoverParams) -> Option<lsp_types::Hover> {
        let uri = p.text_document_position_params.text_document.uri;
        let report = self.report(&uri)?;
        let open = &self.docs[&uri];
        let text = &open.doc.text;
        let offset = text.offset(p.text_document_position_params.position, self.enc);
        let script = crate::syntax::parse(text.as_str()).script;
        let lists = open.options.lists.as_ref();
        let (markdown, span) = super::hover::hover(&report, &script, offset, lists)?;
        Some(lsp_types::Hover {
            contents: lsp_types::HoverContents::Markup(lsp_types::MarkupContent {
                kind: lsp_types::MarkupKind::Markdown,
                value: markdown,
            }),
            range: Some(text.range(span, self.enc)),
        })
    }
}

impl Server<'_> {
    fn completion(
        &mut self,
        p: lsp_types::CompletionParams,
    ) -> Option<lsp_types::CompletionResponse> {
        let pos = p.text_document_position;
        let open = self.docs.get(&pos.text_document.uri)?;
        let lists = open
            .options
            .lists
            .as_ref()
            .map(|l| l.names().into_iter().map(str::to_owned).collect())
            .unwrap_or_default();
        let req = super::completion::Request {
            text: &open.doc.text,
            enc: self.enc,
            offset: open.doc.text.offset(pos.position, self.enc),
            snippets: self.snippets,
            lists,
        };
        Some(lsp_types::CompletionResponse::Array(
            super::completion::complete(&req),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panicking handler answers with an error; the next request is
    /// served.
    #[test]
    fn a_panic_becomes_an_error_response() {
        let (server, client) = Connection::memory();
        let t = std::thread::spawn(move || serve(&server));
        let init = serde_json::json!({ "capabilities": {} });
        client
            .sender
            .send(Request::new(1.into(), "initialize".into(), init).into())
            .unwrap();
        let Message::Response(r) = client.receiver.recv().unwrap() else {
            panic!()
        };
        assert!(r.response_result.unwrap()["capabilities"]["positionEncoding"] == "utf-16");
        client
            .sender
            .send(Notification::new("initialized".into(), serde_json::json!({})).into())
            .unwrap();
        client
            .sender
            .send(Request::new(2.into(), "sieve-lint/panic".into(), ()).into())
            .unwrap();
        let Message::Response(r) = client.receiver.recv().unwrap() else {
            panic!()
        };
        let err = r.response_result.unwrap_err();
        assert_eq!(err.code, ErrorCode::InternalError as i32);
        assert!(err.message.contains("asked to"), "{}", err.message);
        client
            .sender
            .send(Request::new(3.into(), "shutdown".into(), ()).into())
            .unwrap();
        let Message::Response(r) = client.receiver.recv().unwrap() else {
            panic!()
        };
        assert_eq!(r.id, 3.into());
        client
            .sender
            .send(Notification::new("exit".into(), ()).into())
            .unwrap();
        assert_eq!(t.join().unwrap(), Ok(Exit::Clean));
    }
}
