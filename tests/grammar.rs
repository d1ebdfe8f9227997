//! The parser over every lexical corner of RFC 5228 §8: decoded values and
//! byte spans of every token kind, comments in odd places, error recovery,
//! hard limits, and agreement between the split-and-parse driver
//! (`syntax::parse`) and the full pest grammar (`Rule::script`).
//!
//! Spans are asserted exactly (as the source text they cover); messages
//! only by a key phrase.

use pest::Parser;
use sieve_lint::syntax::ast::{
    Argument, Command, Script, Span, StringKind, StringLit, Test, Tests,
};
use sieve_lint::syntax::grammar::{Rule, SieveParser};
use sieve_lint::syntax::{Parsed, SyntaxError, SyntaxErrorKind, decode, parse};

// ---- helpers ---------------------------------------------------------------

/// The source text a span covers.
fn at(src: &str, span: Span) -> &str {
    &src[span.range()]
}

/// The span of the only occurrence of `needle` in `src`.
fn find(src: &str, needle: &str) -> Span {
    let start = src
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {src:?}"));
    assert_eq!(
        src.rfind(needle),
        Some(start),
        "{needle:?} occurs more than once in {src:?}"
    );
    Span::new(start, start + needle.len())
}

/// The span of the `n`th (0-based) occurrence of `needle` in `src`.
fn find_nth(src: &str, needle: &str, n: usize) -> Span {
    let start = src
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("{needle:?} #{n} not in {src:?}"))
        .0;
    Span::new(start, start + needle.len())
}

/// Parses a script that must have no syntax error.
fn ok(src: &str) -> Script<'_> {
    let parsed = parse(src);
    assert!(
        parsed.errors.is_empty(),
        "unexpected errors in {src:?}: {:#?}",
        parsed.errors
    );
    parsed.script
}

/// Parses a script that must have exactly one error; returns both.
fn one_error(src: &str) -> (Parsed<'_>, SyntaxError) {
    let parsed = parse(src);
    assert_eq!(
        parsed.errors.len(),
        1,
        "expected one error in {src:?}: {:#?}",
        parsed.errors
    );
    let e = parsed.errors[0].clone();
    (parsed, e)
}

fn assert_msg(e: &SyntaxError, phrase: &str) {
    assert!(
        e.message.contains(phrase),
        "message {:?} lacks {phrase:?}",
        e.message
    );
}

/// The only command of a script without errors.
fn only(src: &str) -> Command<'_> {
    let mut script = ok(src);
    assert_eq!(script.commands.len(), 1, "{src:?}");
    script.commands.remove(0)
}

fn string_arg<'a, 's>(cmd: &'a Command<'s>, i: usize) -> &'a StringLit<'s> {
    match &cmd.args.args[i] {
        Argument::String(s) => s,
        other => panic!("argument {i} is not a string: {other:?}"),
    }
}

/// The value and source text of a command's only (string) argument.
fn only_string(src: &str) -> (String, String, StringKind) {
    let cmd = only(src);
    assert_eq!(cmd.args.args.len(), 1, "{src:?}");
    let s = string_arg(&cmd, 0);
    (s.value.to_string(), at(src, s.span).to_owned(), s.kind)
}

fn number_arg(cmd: &Command, i: usize) -> (u64, Span) {
    match &cmd.args.args[i] {
        Argument::Number(n) => (n.value, n.span),
        other => panic!("argument {i} is not a number: {other:?}"),
    }
}

fn tests_of<'a, 's>(args: &'a sieve_lint::syntax::ast::Arguments<'s>) -> &'a [Test<'s>] {
    args.tests.as_ref().map_or(&[], |t| t.as_slice())
}

fn names<'a>(cmds: &'a [Command<'_>]) -> Vec<&'a str> {
    cmds.iter().map(|c| c.name.name.as_ref()).collect()
}

fn pest_accepts(src: &str) -> bool {
    SieveParser::parse(Rule::script, src).is_ok()
}

/// Runs `f` on a fresh thread with the default stack size (2 MiB unless
/// RUST_MIN_STACK says otherwise): a stack overflow would abort the test.
/// [`parse`] with a tree that owns its strings, to pass between threads.
fn parse_owned(src: &str) -> sieve_lint::syntax::Parsed<'static> {
    let p = parse(src);
    sieve_lint::syntax::Parsed {
        script: p.script.into_owned(),
        errors: p.errors,
    }
}

fn on_default_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("the parser panicked")
}

// ---- quoted strings (§2.4.2, §8.1 quoted-string) ---------------------------

#[test]
fn quoted_plain_and_empty() {
    let (v, s, k) = only_string(r#"fileinto "INBOX";"#);
    assert_eq!(
        (v.as_str(), s.as_str(), k),
        ("INBOX", r#""INBOX""#, StringKind::Quoted)
    );
    let (v, s, _) = only_string(r#"fileinto "";"#);
    assert_eq!((v.as_str(), s.as_str()), ("", r#""""#));
}

#[test]
fn quoted_backslash_backslash_is_one_backslash() {
    let (v, s, _) = only_string(r#"fileinto "a\\b";"#);
    assert_eq!(v, r"a\b");
    assert_eq!(s, r#""a\\b""#);
}

#[test]
fn quoted_escaped_quote() {
    let (v, s, _) = only_string(r#"fileinto "say \"hi\"";"#);
    assert_eq!(v, r#"say "hi""#);
    assert_eq!(s, r#""say \"hi\"""#);
    let (v, _, _) = only_string(r#"fileinto "\"";"#);
    assert_eq!(v, "\"");
}

#[test]
fn quoted_other_escape_drops_the_backslash() {
    // §2.4.2: "\a" is just "a".
    let (v, s, _) = only_string(r#"fileinto "a\b";"#);
    assert_eq!((v.as_str(), s.as_str()), ("ab", r#""a\b""#));
    let (v, _, _) = only_string(r#"fileinto "\n\t\x";"#);
    assert_eq!(v, "ntx");
    // The kept character may be multi-byte.
    let (v, s, _) = only_string(r#"fileinto "\é";"#);
    assert_eq!((v.as_str(), s.as_str()), ("é", r#""\é""#));
}

#[test]
fn quoted_string_ending_in_escaped_backslash() {
    // `"a\\"` ends after `a\`: the second backslash does not escape the quote.
    let src = r#"fileinto "a\\" ; keep;"#;
    let script = ok(src);
    assert_eq!(names(&script.commands), ["fileinto", "keep"]);
    let s = string_arg(&script.commands[0], 0);
    assert_eq!(&*s.value, r"a\");
    assert_eq!(at(src, s.span), r#""a\\""#);
    assert_eq!(at(src, script.commands[0].span), r#"fileinto "a\\" ;"#);
}

#[test]
fn comment_markers_inside_strings_are_text() {
    let src = "fileinto \"# not /* a */ comment; {\";\nkeep;";
    let script = ok(src);
    assert_eq!(names(&script.commands), ["fileinto", "keep"]);
    let s = string_arg(&script.commands[0], 0);
    assert_eq!(&*s.value, "# not /* a */ comment; {");
    assert_eq!(at(src, s.span), "\"# not /* a */ comment; {\"");
    // An unterminated-looking "/*" in a string does not swallow the script.
    let script = ok("fileinto \"/*\";\nkeep;");
    assert_eq!(names(&script.commands), ["fileinto", "keep"]);
}

#[test]
fn quoted_strings_span_lines() {
    let src = "fileinto \"line one\nline two\";\nkeep;";
    let script = ok(src);
    let s = string_arg(&script.commands[0], 0);
    assert_eq!(&*s.value, "line one\nline two");
    assert_eq!(at(src, s.span), "\"line one\nline two\"");
    // A line inside a string that starts with a command name is not a command.
    let src = "fileinto \"a\r\nkeep\r\nb\";\r\nstop;";
    let script = ok(src);
    assert_eq!(names(&script.commands), ["fileinto", "stop"]);
    assert_eq!(&*string_arg(&script.commands[0], 0).value, "a\r\nkeep\r\nb");
}

#[test]
fn quoted_utf8_content_has_byte_spans() {
    let src = "fileinto \"Grüße 日本 🎉\"; keep;";
    let script = ok(src);
    let s = string_arg(&script.commands[0], 0);
    assert_eq!(&*s.value, "Grüße 日本 🎉");
    assert_eq!(s.span, Span::new(9, 9 + 2 + "Grüße 日本 🎉".len()));
    assert_eq!(at(src, s.span), "\"Grüße 日本 🎉\"");
    assert_eq!(at(src, script.commands[1].span), "keep;");
}

// ---- multi-line strings (§8.1 multi-line) -----------------------------------

#[test]
fn multi_line_lf() {
    let src = "fileinto text:\nline 1\nline 2\n.\n;\nkeep;";
    let script = ok(src);
    assert_eq!(names(&script.commands), ["fileinto", "keep"]);
    let s = string_arg(&script.commands[0], 0);
    assert_eq!(s.kind, StringKind::MultiLine);
    assert_eq!(&*s.value, "line 1\nline 2\n");
    assert_eq!(at(src, s.span), "text:\nline 1\nline 2\n.\n");
    assert_eq!(
        at(src, script.commands[0].span),
        "fileinto text:\nline 1\nline 2\n.\n;"
    );
}

#[test]
fn multi_line_crlf() {
    let src = "fileinto text:\r\nline 1\r\n..stuffed\r\n.\r\n;\r\nkeep;\r\n";
    let script = ok(src);
    assert_eq!(names(&script.commands), ["fileinto", "keep"]);
    let s = string_arg(&script.commands[0], 0);
    assert_eq!(&*s.value, "line 1\r\n.stuffed\r\n");
    assert_eq!(at(src, s.span), "text:\r\nline 1\r\n..stuffed\r\n.\r\n");
}

#[test]
fn multi_line_hash_comment_and_blanks_after_text_colon() {
    let src = "fileinto text: \t # a comment; with { } \"\nbody\n.\n;";
    let (v, s, _) = only_string(src);
    assert_eq!(v, "body\n");
    assert_eq!(s, "text: \t # a comment; with { } \"\nbody\n.\n");
    let src = "fileinto text:#tight\nbody\n.\n;";
    let (v, _, _) = only_string(src);
    assert_eq!(v, "body\n");
    // Spaces and tabs before the line break.
    let src = "fileinto text:  \t\t\r\nbody\r\n.\r\n;";
    let (v, s, _) = only_string(src);
    assert_eq!(v, "body\r\n");
    assert_eq!(s, "text:  \t\t\r\nbody\r\n.\r\n");
}

#[test]
fn multi_line_dot_stuffing() {
    // "..foo" is a stuffed ".foo"; ".foo" (unstuffed) is kept as is; "..."
    // loses one dot; ". " is not the terminator.
    let src = "fileinto text:\n..foo\n.foo\n...\n..\n. \nend\n.\n;";
    let (v, s, _) = only_string(src);
    assert_eq!(v, ".foo\n.foo\n..\n.\n. \nend\n");
    assert_eq!(s, &src["fileinto ".len()..src.len() - 1]);
    // Stuffing on the first line.
    let (v, _, _) = only_string("fileinto text:\n..\n.\n;");
    assert_eq!(v, ".\n");
}

#[test]
fn multi_line_ends_at_a_line_holding_only_a_dot() {
    // Text after the terminating line is back in the command.
    let src = "fileinto text:\nkeep;\n{ } \" /* #\n.\n \"second\";\nstop;";
    let script = ok(src);
    assert_eq!(names(&script.commands), ["fileinto", "stop"]);
    let cmd = &script.commands[0];
    assert_eq!(cmd.args.args.len(), 2);
    assert_eq!(&*string_arg(cmd, 0).value, "keep;\n{ } \" /* #\n");
    assert_eq!(
        at(src, string_arg(cmd, 0).span),
        "text:\nkeep;\n{ } \" /* #\n.\n"
    );
    assert_eq!(at(src, string_arg(cmd, 1).span), "\"second\"");
}

#[test]
fn multi_line_upper_case_and_empty() {
    let src = "fileinto TEXT:\nBody\n.\n;";
    let (v, s, k) = only_string(src);
    assert_eq!(
        (v.as_str(), s.as_str(), k),
        ("Body\n", "TEXT:\nBody\n.\n", StringKind::MultiLine)
    );
    let (v, s, _) = only_string("fileinto Text:\n.\n;");
    assert_eq!((v.as_str(), s.as_str()), ("", "Text:\n.\n"));
    let (v, s, _) = only_string("fileinto text:\r\n.\r\n;");
    assert_eq!((v.as_str(), s.as_str()), ("", "text:\r\n.\r\n"));
}

#[test]
fn multi_line_in_string_list_and_utf8() {
    let src = "header [\"a\", text:\nzwölf\n.\n, \"c\"] \"x\";";
    let cmd = only(src);
    let Argument::StringList(list) = &cmd.args.args[0] else {
        panic!("not a list: {:?}", cmd.args.args[0]);
    };
    let texts: Vec<&str> = list.items.iter().map(|s| at(src, s.span)).collect();
    assert_eq!(texts, ["\"a\"", "text:\nzwölf\n.\n", "\"c\""]);
    assert_eq!(&*list.items[1].value, "zwölf\n");
    assert_eq!(list.items[1].kind, StringKind::MultiLine);
    assert_eq!(at(src, list.span), "[\"a\", text:\nzwölf\n.\n, \"c\"]");
}

#[test]
fn multi_line_text_after_colon_is_an_error() {
    let src = "fileinto text: foo\nbar\n.\n;\nkeep;";
    let parsed = parse(src);
    let e = parsed
        .errors
        .iter()
        .find(|e| {
            e.message
                .contains("'text:' must be followed by a line break")
        })
        .unwrap_or_else(|| panic!("no text: error: {:#?}", parsed.errors));
    assert_eq!(at(src, e.span), "foo");
    // Recovery: the string's end is still found, and `keep` follows.
    assert_eq!(names(&parsed.script.commands), ["fileinto", "keep"]);
    assert!(!parsed.script.commands[1].broken);
}

#[test]
fn multi_line_text_after_colon_is_one_error() {
    let src = "fileinto text: foo\nbar\n.\n;\nkeep;";
    let (_, e) = one_error(src);
    assert_msg(&e, "'text:' must be followed by a line break");
}

#[test]
fn multi_line_unterminated() {
    for src in [
        "fileinto text:\nabc\n",
        "fileinto text:\nabc",
        // The terminator needs its line break (§8.1: "." CRLF).
        "fileinto text:\nabc\n.",
        // ". " is not the terminator.
        "fileinto text:\nabc\n. \n;",
    ] {
        let (parsed, e) = one_error(src);
        assert_msg(&e, "unterminated");
        assert_eq!(e.span, find(src, "text:"), "{src:?}");
        assert!(parsed.script.commands[0].broken);
        assert_eq!(parsed.script.commands[0].span, Span::new(0, src.len()));
    }
}

// ---- comments (§8.1 comment) -----------------------------------------------

#[test]
fn hash_comments() {
    let src = "# first\nkeep; # after ; { \" /*\n# last without newline";
    let script = ok(src);
    assert_eq!(names(&script.commands), ["keep"]);
    assert_eq!(at(src, script.commands[0].span), "keep;");
    // Inside a head, before the terminator, and at EOF inside a block.
    let src = "if # c1 {\n true # c2 ;\n { keep # c3 }\n ; } # eof";
    let script = ok(src);
    let block = script.commands[0].block.as_ref().expect("block");
    assert_eq!(at(src, block.commands[0].span), "keep # c3 }\n ;");
    assert_eq!(at(src, tests_of(&script.commands[0].args)[0].span), "true");
    // CRLF after a hash comment.
    ok("keep; # c\r\nstop;\r\n");
}

#[test]
fn bracket_comments_in_odd_places() {
    // Between a tag and its argument, between command and ';'.
    let src = "fileinto :copy/*c*/\"x\" /* d ; { */ ;";
    let cmd = only(src);
    let Argument::Tag(tag) = &cmd.args.args[0] else {
        panic!()
    };
    assert_eq!((tag.name.as_ref(), at(src, tag.span)), ("copy", ":copy"));
    assert_eq!(at(src, string_arg(&cmd, 1).span), "\"x\"");
    assert_eq!(at(src, cmd.span), src);

    // Inside a string list, around every item and comma.
    let src = "header [/*a*/\"a\"/*b*/,/*c*/\"b\"/*d*/] /*e*/ \"c\";";
    let cmd = only(src);
    let Argument::StringList(list) = &cmd.args.args[0] else {
        panic!()
    };
    let items: Vec<(&str, &str)> = list
        .items
        .iter()
        .map(|s| (s.value.as_ref(), at(src, s.span)))
        .collect();
    assert_eq!(items, [("a", "\"a\""), ("b", "\"b\"")]);
    assert_eq!(at(src, list.span), "[/*a*/\"a\"/*b*/,/*c*/\"b\"/*d*/]");

    // Inside a test list.
    let src = "if anyof(/*a*/true /*b*/, /*c*/ false /*d*/) /* e */ {}";
    let cmd = only(src);
    let t = &tests_of(&cmd.args)[0];
    let inner: Vec<&str> = tests_of(&t.args).iter().map(|t| at(src, t.span)).collect();
    assert_eq!(inner, ["true", "false"]);
    assert_eq!(
        at(src, t.args.tests.as_ref().unwrap().span()),
        "(/*a*/true /*b*/, /*c*/ false /*d*/)"
    );

    // Between the command name and a block, across lines, holding terminators.
    let src = "if /* ; { } \" # */ true /*\n*/{ keep; }";
    let cmd = only(src);
    assert_eq!(at(src, cmd.block.as_ref().unwrap().span), "{ keep; }");
}

#[test]
fn bracket_comments_do_not_nest() {
    let src = "keep /* a /* b */;";
    let cmd = only(src);
    assert_eq!(at(src, cmd.span), src);
    // The first "*/" ends the comment: the second is a stray token.
    let src = "/* a /* b */ */ keep;";
    let (_, e) = one_error(src);
    assert_eq!(e.span, Span::new(13, 14));
    assert_eq!(at(src, e.span), "*");
}

#[test]
fn unterminated_bracket_comment() {
    for src in ["keep; /* never closed\nstop;", "keep /* never closed ;"] {
        let (_, e) = one_error(src);
        assert_msg(&e, "unterminated comment");
        assert_eq!(e.span, find(src, "/*"), "{src:?}");
    }
    let (parsed, _) = one_error("keep; /* open");
    assert_eq!(names(&parsed.script.commands), ["keep"]);
}

#[test]
fn script_of_only_comments_and_empty_scripts() {
    for src in [
        "",
        " \t\r\n\n",
        "# only a comment",
        "# one\n# two\n",
        "/* only */",
        "/* a */ # b\n/* c\n */\r\n",
    ] {
        assert!(ok(src).commands.is_empty(), "{src:?}");
        assert!(pest_accepts(src), "{src:?}");
    }
}

// ---- identifiers and tags (§8.1 identifier, tag) ---------------------------

#[test]
fn identifier_case_is_preserved() {
    let src = "IF TRUE { KeEp; } ElsIf Not FALSE {} ELSE { _x_1; }";
    let script = ok(src);
    let got: Vec<(&str, &str)> = script
        .commands
        .iter()
        .map(|c| (c.name.name.as_ref(), at(src, c.name.span)))
        .collect();
    assert_eq!(got, [("IF", "IF"), ("ElsIf", "ElsIf"), ("ELSE", "ELSE")]);
    assert!(script.commands[0].name.is("if"));
    assert_eq!(tests_of(&script.commands[0].args)[0].name.name, "TRUE");
    let keep = &script.commands[0].block.as_ref().unwrap().commands[0];
    assert_eq!(
        (keep.name.name.as_ref(), at(src, keep.name.span)),
        ("KeEp", "KeEp")
    );
    let not = &tests_of(&script.commands[1].args)[0];
    assert_eq!(not.name.name, "Not");
    assert_eq!(tests_of(&not.args)[0].name.name, "FALSE");
    let x = &script.commands[2].block.as_ref().unwrap().commands[0];
    assert_eq!(x.name.name, "_x_1");
}

#[test]
fn tags_are_stored_without_colon() {
    let src = "if header :Contains :comparator \"i;octet\" :_x9 [\"Subject\"] \"x\" {}";
    let cmd = only(src);
    let t = &tests_of(&cmd.args)[0];
    let tags: Vec<(&str, &str)> = t
        .args
        .args
        .iter()
        .filter_map(|a| a.as_tag())
        .map(|g| (g.name.as_ref(), at(src, g.span)))
        .collect();
    assert_eq!(
        tags,
        [
            ("Contains", ":Contains"),
            ("comparator", ":comparator"),
            ("_x9", ":_x9")
        ]
    );
    assert!(t.args.args[0].as_tag().unwrap().is("contains"));
    assert_eq!(
        at(src, t.span),
        "header :Contains :comparator \"i;octet\" :_x9 [\"Subject\"] \"x\""
    );
}

#[test]
fn tokens_need_no_blank_between_them() {
    let src = "fileinto:copy\"x\";if true{keep;}";
    let script = ok(src);
    assert_eq!(names(&script.commands), ["fileinto", "if"]);
    assert_eq!(at(src, script.commands[0].args.args[0].span()), ":copy");
    assert_eq!(at(src, script.commands[0].args.args[1].span()), "\"x\"");
}

#[test]
fn bad_identifier_and_tag_characters() {
    let src = "keep é;";
    let (_, e) = one_error(src);
    assert_eq!(at(src, e.span), "é");
    let src = "fileinto : copy \"x\";";
    let (_, e) = one_error(src);
    assert_eq!(e.span.start(), find(src, ":").start());
    let src = "9keep;";
    let (_, e) = one_error(src);
    assert_msg(&e, "command name");
    assert_eq!(e.span.start(), 0);
}

// ---- numbers (§8.1 number) --------------------------------------------------

#[test]
fn numbers_and_quantifiers() {
    let src = "x 0 7 1K 2k 3M 4m 5G 6g 007 18446744073709551615 16777215G;";
    let cmd = only(src);
    let got: Vec<(u64, &str)> = (0..cmd.args.args.len())
        .map(|i| {
            let (v, s) = number_arg(&cmd, i);
            (v, at(src, s))
        })
        .collect();
    assert_eq!(
        got,
        [
            (0, "0"),
            (7, "7"),
            (1024, "1K"),
            (2048, "2k"),
            (3 << 20, "3M"),
            (4 << 20, "4m"),
            (5 << 30, "5G"),
            (6 << 30, "6g"),
            (7, "007"),
            (u64::MAX, "18446744073709551615"),
            (16_777_215 << 30, "16777215G"),
        ]
    );
}

#[test]
fn number_too_large() {
    for (src, num) in [
        (
            "if size :over 18446744073709551616 { keep; }\nstop;",
            "18446744073709551616",
        ),
        (
            "if size :over 17179869184G { keep; }\nstop;",
            "17179869184G",
        ),
        (
            "if size :over 17592186044416M { keep; }\nstop;",
            "17592186044416M",
        ),
        (
            "if size :over 18014398509481984k { keep; }\nstop;",
            "18014398509481984k",
        ),
    ] {
        let (parsed, e) = one_error(src);
        assert_msg(&e, "too large");
        assert_eq!(e.span, find(src, num), "{src:?}");
        // The command is broken but its block and the next command parse.
        let cmds = &parsed.script.commands;
        assert_eq!(names(cmds), ["if", "stop"]);
        assert!(cmds[0].broken);
        assert_eq!(names(&cmds[0].block.as_ref().unwrap().commands), ["keep"]);
    }
}

// ---- string lists (§8.2 string-list) ---------------------------------------

#[test]
fn string_lists() {
    let src = "header [\"one\"] [ \"a\" , \"b\",\"c\" ,\n\"d\" ] \"e\";";
    let cmd = only(src);
    let Argument::StringList(one) = &cmd.args.args[0] else {
        panic!()
    };
    assert_eq!(one.items.len(), 1);
    assert_eq!(
        (one.items[0].value.as_ref(), at(src, one.items[0].span)),
        ("one", "\"one\"")
    );
    assert_eq!(at(src, one.span), "[\"one\"]");
    let Argument::StringList(many) = &cmd.args.args[1] else {
        panic!()
    };
    let items: Vec<(&str, &str)> = many
        .items
        .iter()
        .map(|s| (s.value.as_ref(), at(src, s.span)))
        .collect();
    assert_eq!(
        items,
        [
            ("a", "\"a\""),
            ("b", "\"b\""),
            ("c", "\"c\""),
            ("d", "\"d\"")
        ]
    );
    assert_eq!(at(src, many.span), "[ \"a\" , \"b\",\"c\" ,\n\"d\" ]");
    assert_eq!(cmd.args.args[1].strings().len(), 4);
    assert_eq!(at(src, cmd.args.args[2].span()), "\"e\"");
    // A list item may contain a comma and brackets.
    let src = "header [\"a,b]\", \"[c\"] \"x\";";
    let cmd = only(src);
    let vals: Vec<&str> = cmd.args.args[0]
        .strings()
        .iter()
        .map(|s| s.value.as_ref())
        .collect();
    assert_eq!(vals, ["a,b]", "[c"]);
}

#[test]
fn empty_string_list_is_an_error() {
    let src = "header [] \"c\";\nkeep;";
    let (parsed, e) = one_error(src);
    assert_msg(&e, "expected a string");
    assert_eq!(e.span, find(src, "]"));
    assert_eq!(names(&parsed.script.commands), ["header", "keep"]);
    assert!(parsed.script.commands[0].broken);
    assert!(!parsed.script.commands[1].broken);
}

#[test]
fn string_list_missing_comma() {
    let src = "header [\"a\" \"b\"] \"c\";";
    let (_, e) = one_error(src);
    assert_msg(&e, "','");
    assert_eq!(e.span.start(), find(src, "\"b\"").start());
    assert_eq!(at(src, e.span), "\"");
}

#[test]
fn string_list_other_mistakes() {
    for (src, at_text, n) in [
        ("header [\"a\",] \"c\";", "]", 0),
        ("header [\"a\" \"c\";", "\"c\"", 0),
        ("header [,\"a\"] \"c\";", ",", 0),
        ("header [\"a\" 1] \"c\";", "1", 0),
        ("header [[\"a\"]] \"c\";", "[", 1),
    ] {
        let (_, e) = one_error(src);
        assert_eq!(
            e.span.start(),
            find_nth(src, at_text, n).start(),
            "{src:?}: {e:?}"
        );
    }
}

// ---- tests, test lists, blocks (§8.2) ---------------------------------------

#[test]
fn test_lists_and_nested_tests() {
    let src = "if allof(anyof(true, false), not exists \"x\", header :is \"a\" \"b\") { keep; }";
    let cmd = only(src);
    let allof = &tests_of(&cmd.args)[0];
    assert_eq!(allof.name.name, "allof");
    assert_eq!(at(src, allof.span), &src[3..src.find(" {").unwrap()]);
    let Some(Tests::List { tests, span }) = allof.args.tests.as_deref() else {
        panic!()
    };
    assert_eq!(
        at(src, *span),
        "(anyof(true, false), not exists \"x\", header :is \"a\" \"b\")"
    );
    let spans: Vec<&str> = tests.iter().map(|t| at(src, t.span)).collect();
    assert_eq!(
        spans,
        [
            "anyof(true, false)",
            "not exists \"x\"",
            "header :is \"a\" \"b\""
        ]
    );
    let inner: Vec<&str> = tests_of(&tests[0].args)
        .iter()
        .map(|t| at(src, t.span))
        .collect();
    assert_eq!(inner, ["true", "false"]);
    let Some(Tests::One(exists)) = tests[1].args.tests.as_deref() else {
        panic!()
    };
    assert_eq!(at(src, exists.span), "exists \"x\"");
    assert_eq!(at(src, exists.args.args[0].span()), "\"x\"");
    // A single-test list keeps its parentheses.
    let src = "if anyof ( true ) {}";
    let cmd = only(src);
    let anyof = &tests_of(&cmd.args)[0];
    assert!(matches!(
        anyof.args.tests.as_deref(),
        Some(Tests::List { .. })
    ));
    assert_eq!(
        at(src, anyof.args.tests.as_ref().unwrap().span()),
        "( true )"
    );
}

#[test]
fn test_list_mistakes() {
    for (src, bad) in [
        ("if anyof() {}", ")"),
        ("if anyof(true,) {}", ")"),
        ("if anyof(true, \"x\") {}", "\"x\""),
        ("if anyof(\"x\") {}", "\""),
    ] {
        let (parsed, e) = one_error(src);
        assert_eq!(
            e.span.start(),
            find_nth(src, bad, 0).start(),
            "{src:?}: {e:?}"
        );
        // The block is still parsed.
        assert!(parsed.script.commands[0].block.is_some());
    }
    // Arguments after the test list.
    let src = "if anyof(true) \"x\" {}";
    let (_, e) = one_error(src);
    assert_eq!(e.span.start(), find(src, "\"x\"").start());
}

#[test]
fn blocks_and_elsif_chains() {
    let src = "if true {\n  if false { discard; } else { }\n} elsif anyof(false) {\n} else {\n  keep; stop;\n}\nkeep;";
    let script = ok(src);
    assert_eq!(names(&script.commands), ["if", "elsif", "else", "keep"]);
    let if_ = &script.commands[0];
    let b = if_.block.as_ref().unwrap();
    assert_eq!(at(src, b.span), "{\n  if false { discard; } else { }\n}");
    assert_eq!(names(&b.commands), ["if", "else"]);
    assert_eq!(at(src, b.commands[0].span), "if false { discard; }");
    assert_eq!(at(src, b.commands[1].span), "else { }");
    assert!(b.commands[1].block.as_ref().unwrap().commands.is_empty());
    assert_eq!(at(src, script.commands[1].span), "elsif anyof(false) {\n}");
    assert!(
        script.commands[1]
            .block
            .as_ref()
            .unwrap()
            .commands
            .is_empty()
    );
    let else_ = &script.commands[2];
    assert!(else_.args.args.is_empty() && else_.args.tests.is_none());
    assert_eq!(
        names(&else_.block.as_ref().unwrap().commands),
        ["keep", "stop"]
    );
    assert_eq!(at(src, script.commands[3].span), "keep;");
}

#[test]
fn empty_blocks_everywhere() {
    let src = "if true {}if false{ }else{}";
    let script = ok(src);
    let spans: Vec<&str> = script
        .commands
        .iter()
        .map(|c| at(src, c.block.as_ref().unwrap().span))
        .collect();
    assert_eq!(spans, ["{}", "{ }", "{}"]);
}

#[test]
fn command_spans() {
    let src = "  require [\"fileinto\"] ;\n\tfileinto \"a\";";
    let script = ok(src);
    assert_eq!(at(src, script.commands[0].span), "require [\"fileinto\"] ;");
    assert_eq!(at(src, script.commands[0].name.span), "require");
    assert_eq!(at(src, script.commands[1].span), "fileinto \"a\";");
}

// ---- error recovery ---------------------------------------------------------

#[test]
fn three_mistakes_three_errors() {
    let src = "keep :;\nstop;\nfileinto [\"a\" \"b\"];\ndiscard;\nredirect \"a\" ,;\nkeep;\n";
    let parsed = parse(src);
    assert_eq!(parsed.errors.len(), 3, "{:#?}", parsed.errors);
    let cmds = &parsed.script.commands;
    assert_eq!(
        names(cmds),
        ["keep", "stop", "fileinto", "discard", "redirect", "keep"]
    );
    let broken: Vec<bool> = cmds.iter().map(|c| c.broken).collect();
    assert_eq!(broken, [true, false, true, false, true, false]);
    assert_eq!(parsed.errors[0].span.start(), find(src, ":;").start());
    assert_eq!(parsed.errors[1].span.start(), find(src, "\"b\"").start());
    assert_eq!(at(src, parsed.errors[2].span), ",");
    // Broken commands still cover their own source.
    assert_eq!(at(src, cmds[2].span), "fileinto [\"a\" \"b\"];");
    assert!(
        parsed
            .errors
            .iter()
            .all(|e| e.kind == SyntaxErrorKind::Syntax)
    );
}

#[test]
fn three_mistakes_inside_blocks() {
    let src = "if true {\n  keep [;\n  stop;\n}\nif anyof(true,) {\n  discard;\n}\nelse { fileinto 5K \"x\" \"y\" (; keep; }\n";
    let parsed = parse(src);
    assert_eq!(parsed.errors.len(), 3, "{:#?}", parsed.errors);
    let cmds = &parsed.script.commands;
    assert_eq!(names(cmds), ["if", "if", "else"]);
    assert_eq!(
        names(&cmds[0].block.as_ref().unwrap().commands),
        ["keep", "stop"]
    );
    assert_eq!(
        names(&cmds[1].block.as_ref().unwrap().commands),
        ["discard"]
    );
    assert_eq!(
        names(&cmds[2].block.as_ref().unwrap().commands),
        ["fileinto", "keep"]
    );
}

#[test]
fn missing_semicolon_before_a_command_line() {
    let src = "fileinto \"a\"   # comment\n  keep;\nstop;";
    let (parsed, e) = one_error(src);
    assert_msg(&e, "expected ';' after the command");
    // Right after the previous token.
    assert_eq!(
        e.span,
        Span::new(find(src, "\"a\"").end(), find(src, "\"a\"").end())
    );
    assert_eq!(names(&parsed.script.commands), ["fileinto", "keep", "stop"]);
    assert_eq!(at(src, parsed.script.commands[1].span), "keep;");
    // The command missing its ';' is reported once and left out of the
    // checks (no cascade); the others are whole.
    let broken: Vec<bool> = parsed.script.commands.iter().map(|c| c.broken).collect();
    assert_eq!(broken, [true, false, false]);

    let src = "keep\nstop;";
    let (_, e) = one_error(src);
    assert_msg(&e, "expected ';'");
    assert_eq!(e.span, Span::new(4, 4));

    let src = "if true { keep }";
    let (_, e) = one_error(src);
    assert_msg(&e, "expected ';'");
    assert_eq!(e.span, Span::new(14, 14));

    let src = "keep";
    let (_, e) = one_error(src);
    assert_eq!(e.span, Span::new(4, 4));
}

#[test]
fn missing_semicolon_labels_the_next_command() {
    let src = "fileinto \"a\"\n  keep;";
    let (_, e) = one_error(src);
    assert!(
        e.labels.iter().any(|(s, _)| at(src, *s) == "keep"),
        "{:?}",
        e.labels
    );
}

#[test]
fn missing_brace_after_if() {
    let src = "if exists \"x\"\nkeep;";
    let (parsed, e) = one_error(src);
    assert_msg(&e, "expected '{'");
    assert_eq!(
        e.span,
        Span::new(find(src, "\"x\"").end(), find(src, "\"x\"").end())
    );
    assert_eq!(names(&parsed.script.commands), ["if", "keep"]);
}

#[test]
fn unterminated_string() {
    let src = "fileinto \"abc;\nkeep;\nstop;";
    let (parsed, e) = one_error(src);
    assert_eq!(e.message, "unterminated string started here");
    assert_eq!(e.span, Span::new(9, 10));
    assert_eq!(at(src, e.span), "\"");
    // Recovery resumes on the next line.
    assert_eq!(names(&parsed.script.commands), ["fileinto", "keep", "stop"]);
    assert!(parsed.script.commands[0].broken);
    assert!(!parsed.script.commands[1].broken);

    // At the end of the script, after an escaped quote.
    let src = "keep;\nfileinto \"a\\\"";
    let (_, e) = one_error(src);
    assert_msg(&e, "unterminated string");
    assert_eq!(e.span, Span::new(15, 16));
    let src = "fileinto \"a\\";
    let (_, e) = one_error(src);
    assert_eq!(e.span, Span::new(9, 10));
}

#[test]
fn stray_closing_brace() {
    let src = "keep;\n}\nstop;";
    let (parsed, e) = one_error(src);
    assert_msg(&e, "unexpected '}'");
    assert_eq!(e.span, find(src, "}"));
    assert_eq!(names(&parsed.script.commands), ["keep", "stop"]);
    let src = "if true { keep; } }";
    let (_, e) = one_error(src);
    assert_eq!(e.span, Span::new(18, 19));
}

#[test]
fn unclosed_block_at_eof() {
    let src = "keep;\nif true {\n  if false {\n    stop;\n  }\n  discard;\n";
    let (parsed, e) = one_error(src);
    assert_msg(&e, "expected '}'");
    // At the end of the last line, not on the line after the final line
    // break that no editor shows: one location in every format.
    assert_eq!(e.span, Span::new(src.len() - 1, src.len() - 1));
    let open = find_nth(src, "{", 0);
    assert!(e.labels.iter().any(|(s, _)| *s == open), "{:?}", e.labels);
    let cmds = &parsed.script.commands;
    assert_eq!(names(cmds), ["keep", "if"]);
    let b = cmds[1].block.as_ref().unwrap();
    assert_eq!(b.span, Span::new(open.start(), src.len()));
    assert_eq!(names(&b.commands), ["if", "discard"]);
    assert_eq!(
        names(&b.commands[0].block.as_ref().unwrap().commands),
        ["stop"]
    );
}

#[test]
fn double_semicolon_is_an_error() {
    let src = "keep;;\nstop;";
    let (parsed, e) = one_error(src);
    assert_msg(&e, "command name");
    assert_eq!(e.span.start(), 5);
    assert_eq!(parsed.script.commands.last().unwrap().name.name, "stop");
}

// ---- invalid bytes ----------------------------------------------------------

#[test]
fn nul_bytes_are_errors() {
    let src = "\0\0\0\0";
    let parsed = on_default_thread(move || parse(src));
    assert!(!parsed.errors.is_empty());
    assert_msg(&parsed.errors[0], "NUL");
    assert_eq!(parsed.errors[0].span, Span::new(0, 4));

    let big = "\0".repeat(1 << 20);
    let parsed = parse(&big);
    assert!(!parsed.errors.is_empty());
    assert_eq!(parsed.errors[0].span.start(), 0);

    let report = sieve_lint::lint("nul.sieve", src, &Default::default());
    assert!(
        report.diagnostics.iter().any(|d| d.name == "syntax-error"),
        "{:?}",
        report.diagnostics
    );

    // In a bracket comment between commands.
    let src = "keep; /* a\0b */ stop;";
    let (parsed, e) = one_error(src);
    assert_msg(&e, "NUL");
    assert_eq!(e.span, Span::new(10, 11));
    assert_eq!(names(&parsed.script.commands), ["keep", "stop"]);
    // In a command head.
    let src = "keep \0;\nstop;";
    let (parsed, e) = one_error(src);
    assert_msg(&e, "NUL");
    assert_eq!(e.span, Span::new(5, 6));
    assert_eq!(names(&parsed.script.commands), ["keep", "stop"]);
}

#[test]
fn nul_in_quoted_string_is_one_error() {
    let src = "fileinto \"a\0b\";\nkeep;";
    let (_, e) = one_error(src);
    assert_msg(&e, "NUL");
    assert_eq!(e.span, Span::new(11, 12));
}

#[test]
fn nul_in_hash_comment_is_an_error() {
    let src = "# a\0b\nkeep;";
    assert!(!pest_accepts(src));
    let (_, e) = one_error(src);
    assert_msg(&e, "NUL");
    assert_eq!(e.span, Span::new(3, 4));
}

#[test]
fn invalid_utf8_in_a_string() {
    let bytes = b"keep;\nfileinto \"caf\xE9\";\nstop;\n";
    let decoded = decode(bytes);
    assert_eq!(decoded.text.len(), bytes.len(), "offsets are kept");
    assert_eq!(decoded.errors.len(), 1);
    let e = &decoded.errors[0];
    assert_eq!(e.kind, SyntaxErrorKind::InvalidUtf8);
    assert_eq!(e.span, Span::new(19, 20));
    assert_eq!(bytes[e.span.start()], 0xE9);
    assert_msg(e, "byte 19");
    // The rest still parses.
    let script = ok(&decoded.text);
    assert_eq!(names(&script.commands), ["keep", "fileinto", "stop"]);
    let s = string_arg(&script.commands[1], 0);
    assert_eq!(s.span, Span::new(15, 21));
}

#[test]
fn invalid_utf8_between_commands() {
    let bytes = b"keep;\n\xFF\xC3\nstop;\nfileinto \"\xF0\x9F\x8E\";\n";
    let decoded = decode(bytes);
    assert_eq!(decoded.text.len(), bytes.len());
    let spans: Vec<Span> = decoded.errors.iter().map(|e| e.span).collect();
    // Adjacent invalid bytes are one error.
    assert_eq!(spans, [Span::new(6, 8), Span::new(25, 28)]);
    let parsed = parse(&decoded.text);
    assert_eq!(parsed.errors.len(), 1, "{:#?}", parsed.errors);
    assert_eq!(parsed.errors[0].span.start(), 6);
    assert_eq!(
        names(&parsed.script.commands),
        ["keep", "", "stop", "fileinto"]
    );
    assert!(parsed.script.commands[1].broken);
    let report = sieve_lint::lint_bytes("bad.sieve", bytes, &Default::default());
    let utf8: Vec<Span> = report
        .diagnostics
        .iter()
        .filter(|d| d.name == "invalid-utf8")
        .map(|d| d.span)
        .collect();
    assert_eq!(utf8, spans);
}

// ---- limits -----------------------------------------------------------------

const DEEP: usize = 100_000;

fn assert_too_deep(src: String, first: &str) {
    let (parsed, src) = on_default_thread(move || (parse_owned(&src), src));
    let deep: Vec<&SyntaxError> = parsed
        .errors
        .iter()
        .filter(|e| e.kind == SyntaxErrorKind::TooDeep)
        .collect();
    assert_eq!(
        deep.len(),
        1,
        "{:#?}",
        &parsed.errors[..parsed.errors.len().min(5)]
    );
    assert_msg(deep[0], "nested deeper than");
    assert_eq!(at(&src, deep[0].span), first);
}

#[test]
fn deep_blocks() {
    let src = "if true {".repeat(DEEP);
    let limit = sieve_lint::syntax::MAX_BLOCK_DEPTH;
    assert_too_deep(src.clone(), "{");
    let parsed = on_default_thread(move || parse_owned(&src));
    let e = parsed
        .errors
        .iter()
        .find(|e| e.kind == SyntaxErrorKind::TooDeep)
        .unwrap();
    assert_eq!(e.span.start(), limit * "if true {".len() + "if true ".len());
    // Also closed.
    let src = format!("{}{}", "if true {".repeat(DEEP), "}".repeat(DEEP));
    assert_too_deep(src, "{");
    // Through the whole linter.
    let src = "if true {".repeat(DEEP);
    let report =
        on_default_thread(move || sieve_lint::lint("deep.sieve", &src, &Default::default()));
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.name == "nesting-too-deep")
    );
}

#[test]
fn deep_test_lists() {
    assert_too_deep(format!("if {}", "anyof(".repeat(DEEP)), "(");
    assert_too_deep(
        format!("if {}true{} {{}}", "anyof(".repeat(DEEP), ")".repeat(DEEP)),
        "(",
    );
    let src = format!(
        "if {}true{} {{ keep; }}",
        "anyof(".repeat(DEEP),
        ")".repeat(DEEP)
    );
    let report =
        on_default_thread(move || sieve_lint::lint("deep.sieve", &src, &Default::default()));
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.name == "nesting-too-deep")
    );
}

#[test]
fn deep_string_lists() {
    assert_too_deep(format!("header {}", "[".repeat(DEEP)), "[");
    assert_too_deep(
        format!(
            "header {}\"a\"{} \"b\";",
            "[".repeat(DEEP),
            "]".repeat(DEEP)
        ),
        "[",
    );
}

#[test]
fn deep_not_chains() {
    assert_too_deep(format!("if {}true {{}}", "not ".repeat(DEEP)), "not");
    assert_too_deep(format!("if {}", "not ".repeat(DEEP)), "not");
    assert_too_deep(
        format!(
            "if {}true{} {{}}",
            "not anyof(".repeat(DEEP),
            ")".repeat(DEEP)
        ),
        "(",
    );
}

#[test]
fn nesting_just_below_the_limits_parses() {
    let blocks = sieve_lint::syntax::MAX_BLOCK_DEPTH;
    let src = format!("{}keep;{}", "if true {".repeat(blocks), "}".repeat(blocks));
    let parsed = on_default_thread(move || parse_owned(&src));
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    // `if` and `true` count toward the test depth.
    let n = sieve_lint::syntax::MAX_TEST_DEPTH - 2;
    let src = format!("if {}true {{}}", "not ".repeat(n));
    let parsed = on_default_thread(move || parse_owned(&src));
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let src = format!("if {}true{} {{}}", "anyof(".repeat(n), ")".repeat(n));
    let parsed = on_default_thread(move || parse_owned(&src));
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
}

#[test]
fn ten_megabyte_script() {
    let unit = format!(
        "if header :contains \"subject\" \"{}\" {{ fileinto \"INBOX.a\"; stop; }}\n# {}\n",
        "x".repeat(600),
        "c".repeat(300)
    );
    let src = unit.repeat(10_000_000 / unit.len() + 1);
    assert!(src.len() >= 10_000_000);
    let parsed = on_default_thread(move || parse_owned(&src));
    assert!(parsed.errors.is_empty());
    let n = parsed.script.commands.len();
    assert_eq!(n, 10_000_000 / unit.len() + 1);
    let last = &parsed.script.commands[n - 1];
    assert_eq!(
        names(&last.block.as_ref().unwrap().commands),
        ["fileinto", "stop"]
    );
    assert_eq!(last.span.start(), (n - 1) * unit.len());
}

// ---- agreement between the driver and the full pest grammar ----------------

const VALID: &[&str] = &[
    "",
    "# nothing\n",
    "keep;",
    "require [\"fileinto\", \"envelope\"];\nif envelope :is \"from\" \"a@b\" { fileinto \"x\"; }",
    "if header :contains [\"Subject\",\"From\"] [\"a\", \"b\"] { discard; stop; }",
    "if anyof(not exists \"x\", allof(true, false), size :over 100K) { keep; } elsif true {} else { stop; }",
    "fileinto text:\nline\n..dot\n.\n;",
    "fileinto TEXT: # c\r\nline\r\n.\r\n;\r\n",
    "redirect \"a\\\\\" ; redirect \"b\\\"c\" ;",
    "if true{if false{if true{keep;}}}",
    "keep /* c */ ; /* d */ stop /* e */ ;",
    "IF TRUE { KEEP; }",
    "x 1 2K 3m 4G :tag \"s\" [\"l\"] t1 :a (t2, t3 4);",
    "fileinto:copy\"x\";",
    "if\n  header\n    :is\n    \"a\"\n    \"b\"\n{\n}\n",
    "fileinto \"Grüße\"; # ünïcödé comment\n",
    "fileinto \"a\nb\";",
    "header [text:\na\n.\n, \"b\"] \"c\";",
    "keep; # eof comment without newline",
    "\t \r\n keep; \r\n",
    "if not not not true { keep; }",
    "stop;\n/* multi\nline ; { } \" comment */\nkeep;",
];

const INVALID: &[&str] = &[
    "keep",
    "keep;;",
    "header [] \"a\";",
    "header [\"a\" \"b\"] \"c\";",
    "fileinto \"abc;",
    "keep /* open",
    "if true { keep;",
    "keep; }",
    "fileinto text: x\n.\n;",
    "fileinto text:\nabc\n",
    "if anyof() {}",
    "keep :;",
    "123;",
    "keep \0;",
];

#[test]
fn driver_and_grammar_accept_the_same_valid_scripts() {
    for src in VALID {
        let parsed = parse(src);
        assert!(
            parsed.errors.is_empty(),
            "driver rejects {src:?}: {:#?}",
            parsed.errors
        );
        if let Err(e) = SieveParser::parse(Rule::script, src) {
            panic!("pest rejects {src:?}: {e}");
        }
    }
}

#[test]
fn driver_and_grammar_reject_the_same_invalid_scripts() {
    for src in INVALID {
        let parsed = parse(src);
        assert!(!parsed.errors.is_empty(), "driver accepts {src:?}");
        assert!(!pest_accepts(src), "pest accepts {src:?}");
    }
}

#[test]
fn pest_script_rule_covers_the_whole_input() {
    let src = VALID[5];
    let pairs = SieveParser::parse(Rule::script, src).expect("valid");
    let script = pairs.into_iter().next().unwrap();
    assert_eq!(script.as_rule(), Rule::script);
    assert_eq!(script.as_span().start(), 0);
    assert_eq!(script.as_span().end(), src.len());
    let commands = script
        .into_inner()
        .filter(|p| p.as_rule() == Rule::command)
        .count();
    assert_eq!(commands, 3);
}

#[test]
fn command_name_as_test_at_line_start_inside_test_list() {
    let src = "require [\"convert\"];\nif anyof(true,\n         convert \"image/tiff\" \"image/jpeg\" [\"pix-x=320\"])\n{ keep; }";
    assert!(pest_accepts(src));
    let script = ok(src);
    assert_eq!(names(&script.commands), ["require", "if"]);
}

#[test]
fn multi_line_right_after_a_number() {
    let src = "x 1text:\na;b{\n.\n;";
    assert!(pest_accepts(src));
    let cmd = only(src);
    assert_eq!(at(src, string_arg(&cmd, 1).span), "text:\na;b{\n.\n");
}

#[test]
fn lone_cr_between_commands_is_an_error() {
    let src = "keep;\rstop;";
    assert!(!pest_accepts(src));
    let (_, e) = one_error(src);
    assert_eq!(e.span, Span::new(5, 6));
}

#[test]
fn backslash_before_line_break_is_an_error() {
    for src in ["fileinto \"a\\\r\nb\";", "fileinto \"a\\\nb\";"] {
        assert!(!pest_accepts(src), "{src:?}");
        assert!(!parse(src).errors.is_empty(), "{src:?}");
    }
}
