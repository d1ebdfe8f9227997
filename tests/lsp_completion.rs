//! Completion in the language server, in process over `lsp-server`'s
//! memory connection: what is offered by context, the `require` edits,
//! snippets only for clients that take them, and no error anywhere.

mod common;

use common::lsp_client;
use serde_json::{Value, json};
use sieve_lint::lsp::Exit;

const URI: &str = "untitled:completion.sieve";

/// The shared client, with completion at a marked cursor.
struct Client(lsp_client::Client);

impl Client {
    fn start(snippets: bool) -> (Client, Value) {
        let init = json!({ "capabilities": { "textDocument": { "completion": {
            "completionItem": { "snippetSupport": snippets } } } } });
        let (c, result) = lsp_client::Client::start(init, &[]);
        (Client(c), result)
    }

    /// Opens `text` (a `|` marks the cursor, removed) and completes there.
    fn complete(&mut self, marked: &str) -> Vec<Value> {
        let offset = marked.find('|').expect("a cursor");
        let text = marked.replacen('|', "", 1);
        let before = &text[..offset];
        let line = before.matches('\n').count() as u32;
        let character = before
            .rsplit('\n')
            .next()
            .unwrap()
            .chars()
            .map(char::len_utf16)
            .sum::<usize>() as u32;
        self.complete_at(&text, line, character)
    }

    fn complete_at(&mut self, text: &str, line: u32, character: u32) -> Vec<Value> {
        self.0.open(URI, text);
        let r = self
            .0
            .request(
                "textDocument/completion",
                lsp_client::at(URI, line, character),
            )
            .expect("completion answers");
        self.0.close(URI);
        assert!(self.0.asked.is_empty(), "unexpected {:?}", self.0.asked);
        r.as_array().cloned().unwrap_or_default()
    }

    fn shutdown(self) -> Exit {
        self.0.shutdown()
    }
}

fn labels(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["label"].as_str().unwrap()).collect()
}

fn item<'a>(items: &'a [Value], label: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["label"] == label)
        .unwrap_or_else(|| panic!("no {label} in {:?}", labels(items)))
}

#[test]
fn capability_is_announced() {
    let (c, result) = Client::start(false);
    let triggers = &result["capabilities"]["completionProvider"]["triggerCharacters"];
    assert_eq!(triggers, &json!([":", "\""]));
    assert_eq!(c.shutdown(), Exit::Clean);
}

#[test]
fn commands_with_and_without_a_require_edit() {
    let (mut c, _) = Client::start(false);
    // Required: no extra edit.
    let items = c.complete("require \"fileinto\";\n|");
    let f = item(&items, "fileinto");
    assert!(f["additionalTextEdits"].is_null(), "{f}");
    assert_eq!(f["kind"], 3, "a function"); // CompletionItemKind::FUNCTION
    assert!(f["detail"].as_str().unwrap().contains("RFC 5228"), "{f}");
    let keep = item(&items, "keep");
    assert!(keep["additionalTextEdits"].is_null());
    assert_eq!(item(&items, "if")["kind"], 14, "a keyword");
    // Tests are not commands.
    assert!(!labels(&items).contains(&"header"));
    // Not required: the edit adds it after the last require.
    let items = c.complete("require \"copy\";\r\nkeep;\r\nfil|");
    let f = item(&items, "fileinto");
    let edits = f["additionalTextEdits"].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0]["newText"], "require \"fileinto\";\r\n");
    assert_eq!(
        edits[0]["range"]["start"],
        json!({ "line": 1, "character": 0 })
    );
    // The typed word is replaced.
    assert_eq!(
        f["textEdit"]["range"]["start"],
        json!({ "line": 2, "character": 0 })
    );
    assert_eq!(
        f["textEdit"]["range"]["end"],
        json!({ "line": 2, "character": 3 })
    );
    assert_eq!(f["textEdit"]["newText"], "fileinto");
    // No require at all: at the top.
    let items = c.complete("if true {\n  |\n}\n");
    let v = item(&items, "vacation");
    assert_eq!(
        v["additionalTextEdits"][0]["newText"],
        "require \"vacation\";\n"
    );
    assert_eq!(
        v["additionalTextEdits"][0]["range"]["start"],
        json!({ "line": 0, "character": 0 })
    );
    // The base language never needs one; an implied capability counts.
    assert!(item(&items, "stop")["additionalTextEdits"].is_null());
    let items = c.complete("require \"vacation-seconds\";\n|");
    assert!(item(&items, "vacation")["additionalTextEdits"].is_null());
    // A name shared with a draft: the standard provider.
    let items = c.complete("|");
    let setflag = item(&items, "setflag");
    assert_eq!(
        setflag["additionalTextEdits"][0]["newText"],
        "require \"imap4flags\";\n"
    );
    assert_eq!(
        labels(&items).iter().filter(|l| **l == "setflag").count(),
        1
    );
    assert_eq!(c.shutdown(), Exit::Clean);
}

#[test]
fn tests_where_a_test_goes() {
    let (mut c, _) = Client::start(false);
    for marked in [
        "if |",
        "if h|",
        "if true { keep; } elsif |",
        "if anyof(|",
        "if allof(true, |) { stop; }",
        "if not |",
        "require \"fileinto\";\nif anyof(header :is \"a\" \"b\", |",
    ] {
        let items = c.complete(marked);
        let l = labels(&items);
        assert!(
            l.contains(&"header") && l.contains(&"address"),
            "{marked}: {l:?}"
        );
        assert!(
            !l.contains(&"fileinto") && !l.contains(&"keep"),
            "{marked}: {l:?}"
        );
        let body = item(&items, "body");
        assert_eq!(
            body["additionalTextEdits"][0]["newText"],
            "require \"body\";\n"
        );
    }
    // After a complete test: nothing.
    assert!(c.complete("if true |").is_empty());
    assert_eq!(c.shutdown(), Exit::Clean);
}

#[test]
fn tags_without_those_given_and_their_exclusive_sets() {
    let (mut c, _) = Client::start(false);
    let items = c.complete("if header :contains :|");
    let l = labels(&items);
    assert!(l.contains(&":comparator"), "{l:?}");
    assert!(!l.contains(&":is") && !l.contains(&":contains"), "{l:?}");
    assert!(!l.contains(&":matches") && !l.contains(&":regex"), "{l:?}");
    assert!(items.iter().all(|i| i["kind"] == 10), "properties");
    let items = c.complete("if header :|");
    let l = labels(&items);
    assert!(l.contains(&":is") && l.contains(&":contains"), "{l:?}");
    // :regex needs its extension.
    let regex = item(&items, ":regex");
    assert_eq!(
        regex["additionalTextEdits"][0]["newText"],
        "require \"regex\";\n"
    );
    assert!(item(&items, ":is")["additionalTextEdits"].is_null());
    // The colon is replaced with the tag.
    assert_eq!(regex["textEdit"]["range"]["start"]["character"], 10);
    assert_eq!(regex["textEdit"]["newText"], ":regex");
    // A command's own tags and those others add.
    let items = c.complete("require [\"fileinto\", \"copy\"];\nfileinto :c|");
    let l = labels(&items);
    assert!(l.contains(&":copy"), "{l:?}");
    assert!(item(&items, ":copy")["additionalTextEdits"].is_null());
    // Address parts of address, not of header.
    let items = c.complete("if address :all :|");
    let l = labels(&items);
    assert!(!l.contains(&":localpart") && l.contains(&":is"), "{l:?}");
    assert_eq!(c.shutdown(), Exit::Clean);
}

#[test]
fn string_values() {
    let (mut c, _) = Client::start(false);
    // Capabilities inside require, in a list or alone.
    for marked in [
        "require [\"fileinto\", \"|\"];",
        "require \"va|",
        "require [\"|",
    ] {
        let items = c.complete(marked);
        let l = labels(&items);
        assert!(
            l.contains(&"vacation") && l.contains(&"imap4flags"),
            "{l:?}"
        );
        assert!(l.contains(&"comparator-i;ascii-numeric"), "{l:?}");
        assert!(items.iter().all(|i| i["kind"] == 12), "values");
    }
    let items = c.complete("require \"va|\";");
    let v = item(&items, "vacation");
    assert_eq!(v["textEdit"]["newText"], "vacation");
    assert_eq!(v["textEdit"]["range"]["start"]["character"], 9);
    assert_eq!(v["textEdit"]["range"]["end"]["character"], 11);
    // Comparators.
    let items = c.complete("if header :comparator \"|\" \"a\" \"b\" { stop; }");
    assert_eq!(
        labels(&items),
        [
            "i;octet",
            "i;ascii-casemap",
            "i;ascii-numeric",
            "i;unicode-casemap"
        ]
    );
    assert!(item(&items, "i;octet")["additionalTextEdits"].is_null());
    assert_eq!(
        item(&items, "i;ascii-numeric")["additionalTextEdits"][0]["newText"],
        "require \"comparator-i;ascii-numeric\";\n"
    );
    // Date parts: the second argument of date, the first of currentdate.
    let parts = [
        "year", "month", "day", "date", "julian", "hour", "minute", "second", "time", "iso8601",
        "std11", "zone", "weekday",
    ];
    let items = c.complete("require \"date\";\nif date :is \"received\" \"|");
    assert_eq!(labels(&items), parts);
    let items = c.complete("require \"date\";\nif currentdate :zone \"+0100\" :value \"ge\" \"|");
    assert_eq!(labels(&items), parts);
    // Not the header name.
    assert!(c.complete("require \"date\";\nif date \"|").is_empty());
    // List names after :list.
    let items = c.complete("require \"extlists\";\nif header :list \"from\" \"|");
    assert_eq!(labels(&items), [":addrbook:default"]);
    // A plain string: nothing.
    assert!(
        c.complete("if header :is \"subject\" \"|\" { stop; }")
            .is_empty()
    );
    assert_eq!(c.shutdown(), Exit::Clean);
}

#[test]
fn variables_set_before() {
    let (mut c, _) = Client::start(false);
    let items = c.complete(
        "require [\"variables\", \"fileinto\"];\nset \"folder\" \"x\";\nset :lower \"who\" \"${folder}\";\nfileinto \"INBOX.${f|\";\nset \"later\" \"y\";",
    );
    let l = labels(&items);
    assert!(l.contains(&"folder") && l.contains(&"who"), "{l:?}");
    assert!(l.contains(&"1") && l.contains(&"0"), "{l:?}");
    assert!(!l.contains(&"later"), "{l:?}");
    let f = item(&items, "folder");
    assert_eq!(f["kind"], 6, "a variable");
    assert_eq!(f["textEdit"]["newText"], "folder}");
    // `${` closed before the cursor: not a variable.
    assert!(c.complete("set \"a\" \"${x} |\";").is_empty());
    assert_eq!(c.shutdown(), Exit::Clean);
}

#[test]
fn snippets_only_for_clients_that_take_them() {
    let (mut c, _) = Client::start(true);
    let items = c.complete("require \"fileinto\";\n|");
    let f = item(&items, "fileinto");
    assert_eq!(f["insertTextFormat"], 2);
    assert_eq!(f["textEdit"]["newText"], "fileinto \"${1:mailbox}\";");
    let i = item(&items, "if");
    assert_eq!(i["textEdit"]["newText"], "if ${1:test} {\n\t$0\n}");
    let items = c.complete("if header :|");
    assert_eq!(
        item(&items, ":comparator")["textEdit"]["newText"],
        ":comparator \"${1:comparator-name}\""
    );
    assert_eq!(c.shutdown(), Exit::Clean);
    let (mut c, _) = Client::start(false);
    let items = c.complete("require \"fileinto\";\n|");
    let f = item(&items, "fileinto");
    assert_eq!(f["insertTextFormat"], 1);
    assert_eq!(f["textEdit"]["newText"], "fileinto");
    assert!(
        items
            .iter()
            .all(|i| !i["textEdit"]["newText"].as_str().unwrap().contains('$'))
    );
    assert_eq!(c.shutdown(), Exit::Clean);
}

#[test]
fn never_an_error() {
    let (mut c, _) = Client::start(true);
    // In a comment: nothing.
    assert!(c.complete("# if |\nkeep;").is_empty());
    assert!(c.complete("/* fileinto | */ keep;").is_empty());
    assert!(c.complete("/* unclosed |").is_empty());
    // Past the end: the end of the document.
    let items = c.complete_at("keep;\n", 40, 99);
    assert!(labels(&items).contains(&"keep"));
    // Invalid documents, every offset.
    let texts = [
        "if header :is \"a\" { ] ) , ; } } } elsif (",
        "require [\"fileinto\" \"x\";\nfileinto :copy :",
        "text:\nfoo ${\n.\nset \"é😀\" \"${",
        "\"unclosed ${x",
        "if anyof(not, , ) :is [ \"a\", ]; ( ) ) ]",
        ":::: 12K [ { ( \\ \" \u{0} é",
    ];
    for text in texts {
        let lines: Vec<&str> = text.split('\n').collect();
        for (l, line) in lines.iter().enumerate() {
            for ch in 0..=line.chars().map(char::len_utf16).sum::<usize>() + 1 {
                let _ = c.complete_at(text, l as u32, ch as u32);
            }
        }
    }
    assert_eq!(c.shutdown(), Exit::Clean);
}

/// Linear: a large script is completed quickly.
#[test]
fn large_documents_are_linear() {
    let (mut c, _) = Client::start(false);
    let mut text = String::from("require [\"variables\", \"fileinto\"];\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "if header :contains \"subject\" \"x{i}\" {{ set \"v{i}\" \"y\"; fileinto \"a\"; }}\n"
        ));
    }
    let line = text.matches('\n').count() as u32;
    let started = std::time::Instant::now();
    let items = c.complete_at(&format!("{text}fileinto \"${{v1"), line, 15);
    assert!(labels(&items).contains(&"v19999"));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(c.shutdown(), Exit::Clean);
}

/// The whole response for one position, as an editor receives it: the
/// tags `fileinto` still takes after `:copy` once "copy", "mailbox" and
/// "imap4flags" are required, with their details and documentation.
#[test]
fn snapshot_of_tag_items() {
    let (mut c, _) = Client::start(true);
    let items = c.complete(
        "require [\"fileinto\", \"copy\", \"mailbox\", \"imap4flags\"];\nfileinto :copy :| \"INBOX\";\n",
    );
    insta::assert_snapshot!(lsp_client::pretty(&Value::Array(items)));
    c.shutdown();
}

/// Inside `if ihave "x" { … }` (or an `allof` with it) the capability is
/// there (RFC 5463 §4): no `require` edit. After the block, under `not`,
/// or in an `anyof`, it is not.
#[test]
fn ihave_guards_need_no_require() {
    let (mut c, _) = Client::start(false);
    let needs_require =
        |items: &[Value]| item(items, "fileinto").get("additionalTextEdits").is_some();
    let guarded = c.complete("require \"ihave\";\nif ihave \"fileinto\" {\n  fil|\n}\n");
    assert!(!needs_require(&guarded));
    let nested = c.complete(
        "require \"ihave\";\nif allof(true, ihave [\"fileinto\", \"copy\"]) {\n  if true { fil| }\n}\n",
    );
    assert!(!needs_require(&nested));
    let after = c.complete("require \"ihave\";\nif ihave \"fileinto\" { stop; }\nfil|\n");
    assert!(needs_require(&after));
    let negated = c.complete("require \"ihave\";\nif not ihave \"fileinto\" {\n  fil|\n}\n");
    assert!(needs_require(&negated));
    let either =
        c.complete("require \"ihave\";\nif anyof(ihave \"fileinto\", true) {\n  fil|\n}\n");
    assert!(needs_require(&either));
    let elsif =
        c.complete("require \"ihave\";\nif ihave \"fileinto\" { stop; } elsif true {\n  fil|\n}\n");
    assert!(needs_require(&elsif));
    c.shutdown();
}
