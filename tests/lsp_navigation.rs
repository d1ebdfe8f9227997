//! Navigation in the language server, in process over `lsp-server`'s
//! memory connection: the outline (documentSymbol), folding ranges and go
//! to definition (variables, included scripts), in UTF-16 and UTF-8
//! positions, and broken documents answered without an error.

mod common;

use common::lsp_client::{self, at};
use serde_json::{Value, json};
use sieve_lint::lsp::Exit;

/// The shared client, with the navigation requests.
struct Client(lsp_client::Client);

impl Client {
    fn start(init: Value) -> (Client, Value) {
        let (c, result) = lsp_client::Client::start(init, &[]);
        (Client(c), result)
    }

    fn open(&self, uri: &str, text: &str) {
        self.0.open(uri, text)
    }

    fn symbols(&mut self, uri: &str) -> Value {
        self.0.ok(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
    }

    fn folding(&mut self, uri: &str) -> Value {
        self.0.ok(
            "textDocument/foldingRange",
            json!({ "textDocument": { "uri": uri } }),
        )
    }

    fn definition(&mut self, uri: &str, line: u32, character: u32) -> Value {
        self.0
            .ok("textDocument/definition", at(uri, line, character))
    }

    fn shutdown(self) -> Exit {
        self.0.shutdown()
    }
}

fn utf16() -> (Client, Value) {
    Client::start(json!({ "capabilities": {} }))
}

const URI: &str = "untitled:nav.sieve";

fn range(v: &Value) -> [u64; 4] {
    [
        v["start"]["line"].as_u64().unwrap(),
        v["start"]["character"].as_u64().unwrap(),
        v["end"]["line"].as_u64().unwrap(),
        v["end"]["character"].as_u64().unwrap(),
    ]
}

fn names(symbols: &Value) -> Vec<String> {
    symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn capabilities_are_announced() {
    let (c, init) = utf16();
    let caps = &init["capabilities"];
    assert_eq!(caps["documentSymbolProvider"], true);
    assert_eq!(caps["foldingRangeProvider"], true);
    assert_eq!(caps["definitionProvider"], true);
    assert_eq!(c.shutdown(), Exit::Clean);
}

const OUTLINE: &str = "\
require [\"fileinto\", \"include\"];
if header :contains \"subject\" \"x\" {
  fileinto \"X\";
  if exists \"y\" { stop; }
} elsif anyof (address :is \"from\" \"a@b.c\", true) {
  discard;
} else {
  keep;
}
include :global \"common\";
stop;
";

#[test]
fn outline_of_require_if_elsif_else_include() {
    let (mut c, _) = utf16();
    c.open(URI, OUTLINE);
    let s = c.symbols(URI);
    assert_eq!(
        names(&s),
        [
            "require \"fileinto\", \"include\"",
            "if header \"subject\"",
            "include \"common\"",
            "stop"
        ]
    );
    let top = s.as_array().unwrap();
    // require: a package, its statement and its keyword.
    assert_eq!(top[0]["kind"], 4);
    assert_eq!(range(&top[0]["range"]), [0, 0, 0, 32]);
    assert_eq!(range(&top[0]["selectionRange"]), [0, 0, 0, 7]);
    // The if chain covers if, elsif and else; its keyword is `if`.
    let chain = &top[1];
    assert_eq!(range(&chain["range"]), [1, 0, 8, 1]);
    assert_eq!(range(&chain["selectionRange"]), [1, 0, 1, 2]);
    assert_eq!(
        names(&chain["children"]),
        [
            "fileinto",
            "if exists \"y\"",
            "elsif anyof(address \"from\", true)",
            "else"
        ]
    );
    let children = chain["children"].as_array().unwrap();
    assert_eq!(names(&children[1]["children"]), ["stop"]);
    assert_eq!(names(&children[2]["children"]), ["discard"]);
    assert_eq!(range(&children[2]["selectionRange"]), [4, 2, 4, 7]);
    assert_eq!(names(&children[3]["children"]), ["keep"]);
    assert_eq!(top[2]["kind"], 2, "include is a module");
    assert_eq!(range(&top[2]["range"]), [9, 0, 9, 25]);
    assert_eq!(c.shutdown(), Exit::Clean);
}

const FOLDS: &str = "\
# one
# two
# three
require \"vacation\";
/* a
   bracket
   comment */
if true {
  vacation text:
Away.
Back soon.
.
;
}
keep; # not a run
# alone
";

#[test]
fn folding_blocks_text_and_comments() {
    let (mut c, _) = utf16();
    c.open(URI, FOLDS);
    let f = c.folding(URI);
    let got: Vec<(u64, u64, Option<String>)> = f
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert!(r.get("startCharacter").is_none() || r["startCharacter"].is_null());
            (
                r["startLine"].as_u64().unwrap(),
                r["endLine"].as_u64().unwrap(),
                r["kind"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let comment = Some("comment".to_owned());
    assert_eq!(
        got,
        [
            (0, 2, comment.clone()),
            (4, 6, comment),
            // The block: its `}` line stays visible.
            (7, 12, None),
            // The text: string, from `text:` to its `.`.
            (8, 11, None),
        ]
    );
    assert_eq!(c.shutdown(), Exit::Clean);
}

const VARS: &str = "\
require [\"variables\", \"include\"];
set \"subject\" \"a\";
if true { set :lower \"Subject\" \"b\"; }
global \"g\";
fileinto \"${Subject} ${global.g} ${unknown}\";
set \"subject\" \"late\";
";

#[test]
fn definition_of_a_variable_is_every_earlier_set() {
    let (mut c, _) = utf16();
    c.open(URI, VARS);
    // On `${Subject}` (line 4, inside the name).
    let d = c.definition(URI, 4, 13);
    let spans: Vec<[u64; 4]> = d
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            assert_eq!(l["uri"], URI);
            range(&l["range"])
        })
        .collect();
    assert_eq!(spans, [[1, 4, 1, 13], [2, 21, 2, 30]]);
    // `${global.g}` → `global "g"`.
    let d = c.definition(URI, 4, 25);
    let spans: Vec<[u64; 4]> = d
        .as_array()
        .unwrap()
        .iter()
        .map(|l| range(&l["range"]))
        .collect();
    assert_eq!(spans, [[3, 7, 3, 10]]);
    // Never set: nothing; outside a reference: nothing.
    assert_eq!(c.definition(URI, 4, 36), Value::Null);
    assert_eq!(c.definition(URI, 4, 2), Value::Null);
    assert_eq!(c.shutdown(), Exit::Clean);
}

/// Columns in UTF-16 (the default) and UTF-8 both find the reference
/// after non-ASCII text, and answer in the same encoding.
#[test]
fn non_ascii_line_positions() {
    let text = "require \"variables\";\nset \"x\" \"1\";\nfileinto \"Iván 😀 ${x}\";\n";
    let line = "fileinto \"Iván 😀 ${x}\";";
    let x = line.find("{x").unwrap() + 1;
    let col16 = line[..x].encode_utf16().count() as u32;
    assert_ne!(col16 as usize, x);

    let (mut c, _) = utf16();
    c.open(URI, text);
    let d = c.definition(URI, 2, col16);
    assert_eq!(range(&d[0]["range"]), [1, 4, 1, 7]);
    // The UTF-8 column of `x`, read as UTF-16, is past the reference.
    assert_eq!(c.definition(URI, 2, x as u32 + 2), Value::Null);
    assert_eq!(c.shutdown(), Exit::Clean);

    let init = json!({ "capabilities": { "general": { "positionEncodings": ["utf-8"] } } });
    let (mut c, _) = Client::start(init);
    c.open(URI, text);
    let d = c.definition(URI, 2, x as u32);
    assert_eq!(range(&d[0]["range"]), [1, 4, 1, 7]);

    // Symbols after a non-ASCII line: UTF-8 columns.
    let t = "if header \"Iván\" \"😀\" { keep; }\n";
    c.open("untitled:b.sieve", t);
    let s = c.symbols("untitled:b.sieve");
    assert_eq!(names(&s), ["if header \"Iván\""]);
    assert_eq!(range(&s[0]["range"]), [0, 0, 0, t.trim_end().len() as u64]);
    assert_eq!(c.shutdown(), Exit::Clean);

    let (mut c, _) = utf16();
    c.open("untitled:b.sieve", t);
    let s = c.symbols("untitled:b.sieve");
    let units = t.trim_end().encode_utf16().count() as u64;
    assert_eq!(range(&s[0]["range"]), [0, 0, 0, units]);
    assert_eq!(c.shutdown(), Exit::Clean);
}

#[test]
fn include_leads_to_the_file() {
    let dir = tempfile::Builder::new()
        .prefix("nav dir é ")
        .tempdir_in(std::env::temp_dir())
        .unwrap();
    let script = dir.path().join("main.sieve");
    let text = "require \"include\";\ninclude \"helper\";\ninclude :global \"shared\";\ninclude :personal \"nowhere\";\n";
    std::fs::write(&script, text).unwrap();
    let helper = dir.path().join("helper.sieve");
    std::fs::write(&helper, "keep;\n").unwrap();
    std::fs::create_dir(dir.path().join("global")).unwrap();
    let shared = dir.path().join("global/shared");
    std::fs::write(&shared, "stop;\n").unwrap();
    std::fs::write(
        dir.path().join("sieve-lint.toml"),
        "include-dir = \"global\"\n",
    )
    .unwrap();
    let uri = url::Url::from_file_path(&script).unwrap().to_string();

    let (mut c, _) = utf16();
    c.open(&uri, text);
    let d = c.definition(&uri, 1, 11);
    let target = d["uri"].as_str().unwrap();
    assert!(target.contains("nav%20dir%20%C3%A9"), "{target}");
    let path = url::Url::parse(target).unwrap().to_file_path().unwrap();
    assert_eq!(path.canonicalize().unwrap(), helper.canonicalize().unwrap());
    assert_eq!(range(&d["range"]), [0, 0, 0, 0]);
    // On the keyword too.
    assert_eq!(c.definition(&uri, 1, 2)["uri"], d["uri"]);
    // :global looks in include_dir.
    let d = c.definition(&uri, 2, 20);
    let path = url::Url::parse(d["uri"].as_str().unwrap())
        .unwrap()
        .to_file_path()
        .unwrap();
    assert_eq!(path.canonicalize().unwrap(), shared.canonicalize().unwrap());
    // A missing script: null.
    assert_eq!(c.definition(&uri, 3, 22), Value::Null);
    // An untitled document has no folder to look in.
    c.open(URI, text);
    assert_eq!(c.definition(URI, 1, 11), Value::Null);
    assert_eq!(c.shutdown(), Exit::Clean);
}

/// Broken, truncated and odd documents get answers, never errors.
#[test]
fn broken_documents_never_error() {
    let texts = [
        "",
        "if",
        "if header {",
        "if header :contains \"subject\" \"x\" { fileinto \"${",
        "}}}} elsif else { ${x} ",
        "text:\nunterminated",
        "/* unterminated\n\n",
        "set \"${x}\" \"${x}\"; fileinto \"${x}\";",
        "include;\ninclude :global;\ninclude \"../x\";\ninclude \"${x}\";",
        "\u{feff}# bom\n# second\nkeep",
        "require [\"a\",;\nif anyof(not(exists [\"a\"]), true { stop; }\r\n",
    ];
    let (mut c, _) = utf16();
    for (i, t) in texts.iter().enumerate() {
        let uri = format!("untitled:broken{i}.sieve");
        c.open(&uri, t);
        assert!(c.symbols(&uri).is_array(), "{t:?}");
        assert!(c.folding(&uri).is_array(), "{t:?}");
        let lines = t.split('\n').count() as u32;
        for line in 0..=lines {
            for ch in [0, 1, 3, 8, 15, 40, 200] {
                let d = c.definition(&uri, line, ch);
                assert!(d.is_null() || d.is_array() || d.is_object(), "{t:?}");
            }
        }
    }
    // A document that is not open: null, not an error.
    assert_eq!(c.symbols("untitled:closed.sieve"), Value::Null);
    assert_eq!(c.definition("untitled:closed.sieve", 0, 0), Value::Null);
    assert_eq!(c.shutdown(), Exit::Clean);
}

/// The outline and folding ranges of one script, whole, as an editor
/// receives them.
#[test]
fn snapshot_of_symbols_and_folding() {
    let (mut c, _) = utf16();
    let text = "require [\"fileinto\", \"include\"];\n/* a\n   comment */\nif address :is \"from\" \"a@example.org\" {\n  fileinto \"A\";\n} elsif header :contains \"subject\" \"x\" {\n  discard;\n} else {\n  keep;\n}\ninclude :personal \"common\";\n";
    c.open(URI, text);
    insta::assert_snapshot!("symbols", lsp_client::pretty(&c.symbols(URI)));
    insta::assert_snapshot!("folding", lsp_client::pretty(&c.folding(URI)));
    c.shutdown();
}

/// (line, character) of the first `needle` in ASCII `text`, plus `skip`.
fn position(text: &str, needle: &str, skip: usize) -> (u32, u32) {
    let at = text.find(needle).unwrap() + skip;
    let line = text[..at].matches('\n').count();
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line as u32, col as u32)
}

/// The ranges a definition request at the first `needle` (+ `skip`) gives.
fn definitions(c: &mut Client, text: &str, needle: &str, skip: usize) -> Vec<String> {
    let (line, character) = position(text, needle, skip);
    let d = c.definition(URI, line, character);
    let lines: Vec<&str> = text.lines().collect();
    d.as_array()
        .map(|a| {
            a.iter()
                .map(|l| {
                    let [l1, c1, l2, c2] = range(&l["range"]);
                    assert_eq!(l1, l2, "one line each");
                    lines[l1 as usize][c1 as usize..c2 as usize].to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every construct that assigns a variable is a definition: the flag
/// variable of addflag (RFC 5232 §3), `:output` of execute inside a test,
/// `:outcome` of processcalendar; a match variable leads to the
/// `:matches`/`:regex` tests before it (RFC 5229 §3.2), nested ones too.
#[test]
fn definition_of_flag_output_and_match_variables() {
    let text = "require [\"variables\", \"imap4flags\", \"vnd.dovecot.execute\", \"fileinto\", \"regex\", \"processcalendar\"];\n\
                if header :matches \"subject\" \"*: *\" { set \"a\" \"x\"; }\n\
                if allof(true, address :regex \"from\" \"(.*)@\") { addflag \"flagvar\" \"\\\\Seen\"; }\n\
                if execute :output \"out\" \"prog\" { stop; }\n\
                processcalendar :outcome \"res\";\n\
                removeflag \"\\\\Seen\";\n\
                fileinto \"${1}-${flagvar}-${out}-${res}-${Seen}\";\n\
                if header :matches \"x\" \"*\" { stop; }\n";
    let (mut c, _) = utf16();
    c.open(URI, text);
    assert_eq!(
        definitions(&mut c, text, "${1}", 2),
        [
            "header :matches \"subject\" \"*: *\"",
            "address :regex \"from\" \"(.*)@\""
        ]
    );
    assert_eq!(definitions(&mut c, text, "${flagvar}", 3), ["\"flagvar\""]);
    assert_eq!(definitions(&mut c, text, "${out}", 3), ["\"out\""]);
    assert_eq!(definitions(&mut c, text, "${res}", 3), ["\"res\""]);
    // removeflag with one argument names flags, not a variable.
    assert!(definitions(&mut c, text, "${Seen}", 3).is_empty());
    assert_eq!(c.shutdown(), Exit::Clean);
}

/// Semantic tokens: announced with their legend, answered for an open
/// document (relative positions, one token per line), null for another.
#[test]
fn semantic_tokens_of_a_document() {
    let (mut c, init) = utf16();
    let provider = &init["capabilities"]["semanticTokensProvider"];
    assert_eq!(provider["full"], true);
    let legend: Vec<&str> = provider["legend"]["tokenTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(
        legend,
        [
            "keyword",
            "function",
            "parameter",
            "string",
            "number",
            "comment",
            "variable"
        ]
    );
    c.open(URI, "if size :over 10K {\n  discard;\n}\n");
    let r = c.0.ok(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": URI } }),
    );
    // if, size, :over, 10K, discard: five tokens of five numbers each.
    let data: Vec<u64> = r["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    assert_eq!(
        data,
        [
            0, 0, 2, 0, 0, 0, 3, 4, 1, 0, 0, 5, 5, 2, 0, 0, 6, 3, 4, 0, 1, 2, 7, 0, 0
        ]
    );
    let other = c.0.ok(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": "untitled:closed.sieve" } }),
    );
    assert_eq!(other, Value::Null);
    assert_eq!(c.shutdown(), Exit::Clean);
}
