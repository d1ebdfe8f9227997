//! Messages for the dry run: loading and header/address/body access, on the
//! fixtures in fixtures/mail/.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sieve_lint::run::message::{
    Address, BodyTransform, LoadError, Mail, PartBody, decode_rfc2047, load, parse_address_list,
    parse_date,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/mail")
        .join(name)
}

fn mail(name: &str) -> Mail {
    let path = fixture(name);
    let raw = std::fs::read(&path).expect("fixture exists");
    Mail::parse(path.display().to_string(), raw)
}

fn content(types: &[&str]) -> BodyTransform {
    BodyTransform::Content(types.iter().map(|t| t.to_string()).collect())
}

/// (fixture, header name, every value in order)
const HEADERS: &[(&str, &str, &[&str])] = &[
    ("plain.eml", "Subject", &["Lunch on Friday?"]),
    ("plain.eml", "subject", &["Lunch on Friday?"]),
    ("plain.eml", "SUBJECT", &["Lunch on Friday?"]),
    ("plain.eml", "From", &["Alice Example <alice@example.org>"]),
    ("plain.eml", "X-Missing", &[]),
    ("plain-crlf.eml", "Subject", &["Lunch on Friday?"]),
    ("plain-crlf.eml", "Message-ID", &["<lunch-1@example.org>"]),
    // Folding: CRLF+WSP → WSP, the WSP kept.
    (
        "folded.eml",
        "Subject",
        &["This subject is long enough that it was folded\tover three lines"],
    ),
    (
        "folded.eml",
        "To",
        &["bob@example.net,  carol@example.com,\tdave@example.com"],
    ),
    ("folded.eml", "X-Spaces", &["padded value"]),
    // RFC 2047: Q and B, UTF-8 and ISO-8859-1.
    ("encoded.eml", "Subject", &["Grüße aus Köln"]),
    ("encoded.eml", "X-Q-Utf8", &["café crème"]),
    ("encoded.eml", "X-B-Utf8", &["café crème"]),
    ("encoded.eml", "X-Q-Latin1", &["café crème"]),
    ("encoded.eml", "X-B-Latin1", &["café crème"]),
    ("encoded.eml", "From", &["Jörg Müller <joerg@example.de>"]),
    ("encoded.eml", "To", &["André <andre@example.fr>"]),
    // Whitespace between adjacent encoded-words is dropped (RFC 2047 §6.2).
    ("encoded.eml", "X-Adjacent", &["one two"]),
    // A character split across two words survives.
    ("encoded.eml", "X-Split-Char", &["éè"]),
    ("encoded.eml", "X-Mixed", &["Re: café meeting"]),
    ("encoded.eml", "X-Not-Encoded", &["=?bad"]),
    ("encoded.eml", "X-Unknown-Charset", &["plain"]),
    // Every instance, in order.
    (
        "received.eml",
        "Received",
        &[
            "from mx2.example.net (mx2.example.net [192.0.2.2])\tby mail.example.net with ESMTPS id AAA; Thu, 05 Mar 2026 10:00:03 +0000",
            "from mx1.example.org (mx1.example.org [192.0.2.1])\tby mx2.example.net with ESMTP id BBB; Thu, 05 Mar 2026 10:00:02 +0000",
            "from laptop (localhost [127.0.0.1])\tby mx1.example.org with SMTP id CCC; Thu, 05 Mar 2026 11:00:01 +0100",
        ],
    ),
    // Invalid UTF-8 replaced.
    ("invalid-utf8.eml", "Subject", &["Caf\u{FFFD} au lait"]),
    ("invalid-utf8.eml", "X-Bytes", &["\u{FFFD}\u{FFFD} ok"]),
    // The header ends at the first line that is not a field.
    ("no-blank-line.eml", "Subject", &["No separator"]),
    ("no-blank-line.eml", "Second body line", &[]),
    ("empty.eml", "From", &[]),
];

#[test]
fn header_values() {
    for (file, name, expected) in HEADERS {
        let m = mail(file);
        assert_eq!(m.header_values(name), *expected, "{file}: {name}");
        assert_eq!(m.has_header(name), !expected.is_empty(), "{file}: {name}");
    }
}

/// (fixture, header name, the `full` of every address in order)
const ADDRESSES: &[(&str, &str, &[&str])] = &[
    ("plain.eml", "From", &["alice@example.org"]),
    ("plain.eml", "to", &["bob@example.net"]),
    (
        "folded.eml",
        "To",
        &["bob@example.net", "carol@example.com", "dave@example.com"],
    ),
    ("encoded.eml", "From", &["joerg@example.de"]),
    ("addresses.eml", "From", &["john.doe@example.org"]),
    // An empty group has no members.
    ("addresses.eml", "To", &[]),
    // Group members expanded, then the address after the group.
    (
        "addresses.eml",
        "Cc",
        &["a@x.org", "b@y.org", "outside@z.org"],
    ),
    // Commas inside quoted display names; comments ignored.
    (
        "addresses.eml",
        "Bcc",
        &["jane@example.com", "plain@example.net", "jim@example.com"],
    ),
    // Quoted local parts unquoted.
    ("addresses.eml", "Reply-To", &["john doe@example.org"]),
    ("addresses.eml", "Sender", &["quoted\"quote@example.org"]),
    // A source route is dropped.
    ("addresses.eml", "Resent-From", &["user@example.com"]),
    // Not addresses: the raw text, local and domain empty; <> is empty.
    (
        "addresses.eml",
        "Resent-To",
        &["not an address", "also-bad@", "", "postmaster"],
    ),
    ("addresses.eml", "X-Missing", &[]),
];

#[test]
fn addresses() {
    for (file, name, expected) in ADDRESSES {
        let m = mail(file);
        let got: Vec<String> = m.addresses(name).into_iter().map(|a| a.full).collect();
        assert_eq!(got, *expected, "{file}: {name}");
    }
}

#[test]
fn address_parts() {
    let m = mail("addresses.eml");
    let cc = m.addresses("cc");
    assert_eq!(
        cc[1],
        Address {
            local: "b".into(),
            domain: "y.org".into(),
            full: "b@y.org".into()
        }
    );
    let reply = &m.addresses("reply-to")[0];
    assert_eq!(reply.local, "john doe");
    assert_eq!(reply.domain, "example.org");
    assert!(reply.is_valid());
    for bad in m.addresses("resent-to") {
        assert!(!bad.is_valid(), "{bad:?}");
        assert_eq!((bad.local.as_str(), bad.domain.as_str()), ("", ""));
    }
}

/// (address-list text, the `full` of every address)
const ADDRESS_LISTS: &[(&str, &[&str])] = &[
    ("a@b.c", &["a@b.c"]),
    ("  <a@b.c>  ", &["a@b.c"]),
    ("A <a@b.c>, \"B, C\" <b@c.d>", &["a@b.c", "b@c.d"]),
    ("a@b.c (A, with comma), b@c.d", &["a@b.c", "b@c.d"]),
    ("(comment (nested)) a@b.c", &["a@b.c"]),
    ("first . last @ example . org", &["first.last@example.org"]),
    ("\"a\\\\b\"@c.d", &["a\\b@c.d"]),
    ("user@[192.0.2.1]", &["user@[192.0.2.1]"]),
    ("=?UTF-8?Q?Doe,_J?= <j@x.org>", &["j@x.org"]),
    (
        "g1: a@b.c;, g2: d@e.f, g@h.i;",
        &["a@b.c", "d@e.f", "g@h.i"],
    ),
    ("undisclosed-recipients:;", &[]),
    (",,a@b.c,,", &["a@b.c"]),
    ("a@b@c", &["a@b@c"]),
    ("\"unterminated <a@b.c>", &["\"unterminated <a@b.c>"]),
    ("<unterminated@angle", &["unterminated@angle"]),
    ("", &[]),
];

#[test]
fn address_lists() {
    for (text, expected) in ADDRESS_LISTS {
        let got: Vec<String> = parse_address_list(text)
            .into_iter()
            .map(|a| a.full)
            .collect();
        assert_eq!(got, *expected, "{text:?}");
    }
}

#[test]
fn subject_and_from_for_reports() {
    let m = mail("encoded.eml");
    assert_eq!(m.subject().as_deref(), Some("Grüße aus Köln"));
    assert_eq!(
        m.from_text().as_deref(),
        Some("Jörg Müller <joerg@example.de>")
    );
    let empty = mail("empty.eml");
    assert_eq!(empty.subject(), None);
    assert_eq!(empty.from_text(), None);
}

#[test]
fn envelope_defaults() {
    let m = mail("plain.eml");
    assert_eq!(
        m.default_envelope_from().as_deref(),
        Some("alice@example.org")
    );
    // Delivered-To wins over To.
    assert_eq!(m.default_envelope_to().as_deref(), Some("bob@example.net"));

    // No Return-Path; no Delivered-To: the first To.
    let f = mail("folded.eml");
    assert_eq!(f.default_envelope_from(), None);
    assert_eq!(f.default_envelope_to().as_deref(), Some("bob@example.net"));

    // Return-Path: <> is the null sender; To is an empty group.
    let a = mail("addresses.eml");
    assert_eq!(a.default_envelope_from().as_deref(), Some(""));
    assert_eq!(a.default_envelope_to(), None);
}

#[test]
fn dates() {
    let m = mail("plain.eml");
    // 2026-03-03T09:15:00+01:00 = 08:15:00Z
    assert_eq!(m.date_header("date"), Some((1_772_525_700, 60)));
    let f = mail("folded.eml");
    // 2026-03-04T18:30:00-05:00 = 23:30:00Z
    assert_eq!(f.date_header("Date"), Some((1_772_667_000, -300)));
    // A Received field: the date after the last ';' (first instance).
    let r = mail("received.eml");
    assert_eq!(r.date_header("received"), Some((1_772_704_803, 0)));
    assert_eq!(m.date_header("x-missing"), None);
    assert_eq!(m.date_header("subject"), None);
    assert_eq!(parse_date("not a date"), None);
    assert_eq!(
        parse_date("Thu, 05 Mar 2026 11:00:01 +0100"),
        Some((1_772_704_801, 60))
    );
}

#[test]
fn sizes_and_line_endings() {
    let lf = mail("plain.eml");
    let crlf = mail("plain-crlf.eml");
    let lines = std::fs::read(fixture("plain.eml"))
        .unwrap()
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    assert_eq!(
        lf.size(),
        std::fs::metadata(fixture("plain.eml")).unwrap().len() as usize
    );
    assert_eq!(crlf.size(), lf.size() + lines);
    for name in ["from", "to", "subject", "date", "return-path"] {
        assert_eq!(lf.header_values(name), crlf.header_values(name), "{name}");
    }
    assert_eq!(
        lf.body(&BodyTransform::Raw),
        vec!["Hi Bob,\n\nAre you free for lunch on Friday?\n\nAlice\n"]
    );
    assert_eq!(
        crlf.body(&BodyTransform::Raw),
        vec!["Hi Bob,\r\n\r\nAre you free for lunch on Friday?\r\n\r\nAlice\r\n"]
    );
    assert_eq!(
        lf.body(&BodyTransform::Text),
        vec!["Hi Bob,\n\nAre you free for lunch on Friday?\n\nAlice\n"]
    );
}

#[test]
fn multipart_body() {
    let m = mail("multipart.eml");
    let types: Vec<&str> = m.parts().iter().map(|p| p.content_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "multipart/mixed",
            "multipart/alternative",
            "text/plain",
            "text/html",
            "application/pdf"
        ]
    );
    let depths: Vec<usize> = m.parts().iter().map(|p| p.depth).collect();
    assert_eq!(depths, [0, 1, 2, 2, 1]);

    // :text: text parts decoded (QP, charset), HTML turned into text.
    let text = m.body(&BodyTransform::Text);
    assert_eq!(text.len(), 2, "{text:?}");
    assert_eq!(text[0], "Here is the résumé of the report.");
    assert!(
        text[1].contains("Here is the résumé of the report."),
        "{:?}",
        text[1]
    );
    assert!(!text[1].contains("<b>"), "{:?}", text[1]);

    // :content "text": decoded content, HTML kept as HTML.
    let t = m.body(&content(&["text"]));
    assert_eq!(
        t,
        vec![
            "Here is the résumé of the report.".to_string(),
            "<html><body><p>Here is the <b>résumé</b> of the report.</p></body></html>".to_string()
        ]
    );
    assert_eq!(
        m.body(&content(&["text/plain"])),
        vec!["Here is the résumé of the report."]
    );
    assert_eq!(
        m.body(&content(&["TEXT/HTML"])).len(),
        1,
        "media types compare case-insensitively"
    );
    // The attachment, base64-decoded.
    assert_eq!(
        m.body(&content(&["application/pdf"])),
        vec!["%PDF-1.4 fake pdf content\n"]
    );
    assert_eq!(m.body(&content(&["image"])), Vec::<String>::new());
    // A matching multipart gives its prologue and epilogue (RFC 5173 §5.2).
    let multi = m.body(&content(&["multipart/mixed"]));
    assert_eq!(
        multi,
        vec!["This is a multi-part message in MIME format.\nEpilogue text.\r\n"]
    );
    // "" matches every part.
    assert_eq!(m.body(&content(&[""])).len(), 5);

    // :raw: undecoded, MIME structure and all.
    let raw = m.body(&BodyTransform::Raw);
    assert_eq!(raw.len(), 1);
    assert!(raw[0].starts_with("This is a multi-part message in MIME format.\r\n--outer-b\r\n"));
    assert!(raw[0].contains("r=C3=A9sum=C3=A9"));
    assert!(raw[0].contains("JVBERi0xLjQgZmFrZSBwZGYgY29udGVudAo="));

    // Part headers, decoded.
    let pdf = &m.parts()[4];
    assert!(
        pdf.headers
            .iter()
            .any(|(n, v)| n == "Content-Disposition" && v == "attachment; filename=\"report.pdf\"")
    );
    assert!(matches!(pdf.body, PartBody::Binary(_)));
}

#[test]
fn nested_message() {
    let raw = b"From: a@b.c\nSubject: outer\nContent-Type: message/rfc822\n\nFrom: c@d.e\nSubject: inner\n\ninner body\n".to_vec();
    let m = Mail::parse("nested", raw);
    let types: Vec<&str> = m.parts().iter().map(|p| p.content_type.as_str()).collect();
    assert_eq!(types, ["message/rfc822", "text/plain"]);
    assert_eq!(
        m.body(&content(&["message"])),
        vec!["From: c@d.e\nSubject: inner\n\n"]
    );
    assert_eq!(m.body(&BodyTransform::Text), vec!["inner body\n"]);
    // Top-level headers only.
    assert_eq!(m.header_values("subject"), vec!["outer"]);
}

#[test]
fn invalid_utf8_body() {
    let m = mail("invalid-utf8.eml");
    assert_eq!(
        m.body(&BodyTransform::Raw),
        vec!["Body with a bad byte: \u{FFFD} end.\n"]
    );
    assert_eq!(
        m.body(&BodyTransform::Text),
        vec!["Body with a bad byte: \u{FFFD} end.\n"]
    );
}

#[test]
fn malformed_mime() {
    let m = mail("malformed-mime.eml");
    assert_eq!(m.subject().as_deref(), Some("Truncated"));
    assert_eq!(m.body(&BodyTransform::Text), vec!["First part."]);
    // The last part has no closing boundary: still decoded from base64.
    assert_eq!(
        m.body(&content(&["application/octet-stream"])),
        vec!["binary payload"]
    );
}

#[test]
fn no_blank_line_after_headers() {
    let m = mail("no-blank-line.eml");
    assert_eq!(m.header_values("to"), vec!["bob@example.net"]);
    let body = "This line is the body, there was no blank line.\nSecond body line: with a colon.\n";
    assert_eq!(m.body(&BodyTransform::Raw), vec![body]);
    assert_eq!(m.body(&BodyTransform::Text), vec![body]);
}

#[test]
fn mbox_envelope_line_is_not_a_field() {
    let raw = b"From alice@example.org Thu Mar  5 10:00:00 2026\nFrom: alice@example.org\nSubject: hi\n\nbody\n";
    let m = Mail::parse("from-line", raw.to_vec());
    assert_eq!(m.header_names(), ["From", "Subject"]);
    assert_eq!(m.subject().as_deref(), Some("hi"));
    assert_eq!(m.body(&BodyTransform::Text), vec!["body\n"]);
}

#[test]
fn empty_message() {
    let m = mail("empty.eml");
    assert_eq!(m.size(), 0);
    assert!(m.header_names().is_empty());
    assert_eq!(m.addresses("from"), Vec::<Address>::new());
    assert_eq!(m.body(&BodyTransform::Raw), vec![""]);
    assert_eq!(m.body(&BodyTransform::Text), vec![""]);
    assert_eq!(m.default_envelope_from(), None);
    assert_eq!(m.default_envelope_to(), None);
    assert_eq!(m.date_header("date"), None);
}

#[test]
fn huge_header_line() {
    const SIZE: usize = 5 * 1024 * 1024;
    let start = Instant::now();
    // A 5 MB Subject of encoded-word openers that never close, a 5 MB To of
    // specials, then a normal field and body.
    let mut raw = b"Subject: ".to_vec();
    while raw.len() < SIZE {
        raw.extend_from_slice(b"=?a?q?x");
    }
    raw.extend_from_slice(b"\nTo: ");
    while raw.len() < 2 * SIZE {
        raw.extend_from_slice(b"=?a,<\"(x@y");
    }
    // A 5 MB Cc of an address followed by colons and brackets.
    raw.extend_from_slice(b"\nCc: a@b.c");
    while raw.len() < 3 * SIZE {
        raw.extend_from_slice(b":<:>:[x]:(y):");
    }
    // A 5 MB Bcc of commas, each element an unclosed encoded-word.
    raw.extend_from_slice(b"\nBcc: ");
    while raw.len() < 4 * SIZE {
        raw.extend_from_slice(b"=?a?b?,");
    }
    raw.extend_from_slice(b"\nX-After: still here\n\nbody\n");
    let m = Mail::parse("huge", raw);
    let subject = m.subject().unwrap_or_default();
    assert_eq!(subject.len(), m.header_values("subject")[0].len());
    assert!(subject.len() >= SIZE - 16, "{}", subject.len());
    assert!(subject.starts_with("=?a?q?x=?a?q?x"));
    let _ = m.addresses("to");
    assert_eq!(m.addresses("cc").len(), 1);
    assert!(m.addresses("bcc").len() >= SIZE / 7 - 1);
    assert_eq!(m.header_values("x-after"), vec!["still here"]);
    assert_eq!(m.body(&BodyTransform::Text), vec!["body\n"]);
    assert_eq!(m.body(&BodyTransform::Raw), vec!["body\n"]);
    let elapsed = start.elapsed();
    // Linear work: about 5 s unoptimised, 0.5 s optimised; quadratic would
    // take hours.
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
}

#[test]
fn rfc2047_edge_cases() {
    let cases: &[(&str, &str)] = &[
        ("plain text", "plain text"),
        ("=?UTF-8?Q?a?= b =?UTF-8?Q?c?=", "a b c"),
        ("=?UTF-8?Q?a?=\t =?ISO-8859-1?Q?=E9?=", "aé"),
        ("=?UTF-8*en?Q?lang?=", "lang"),
        ("=?UTF-8?X?bad?=", "=?UTF-8?X?bad?="),
        ("=?UTF-8?Q?has space?=", "=?UTF-8?Q?has space?="),
        ("=??Q?x?=", "=??Q?x?="),
        ("x=?UTF-8?Q?y?=z", "xyz"),
        ("=?", "=?"),
    ];
    for (input, expected) in cases {
        assert_eq!(decode_rfc2047(input.as_bytes()), *expected, "{input:?}");
    }
}

fn paths(mails: &[Mail]) -> Vec<String> {
    let root = fixture("").display().to_string();
    mails
        .iter()
        .map(|m| m.path().strip_prefix(&root).unwrap_or(m.path()).to_string())
        .collect()
}

#[test]
fn load_eml_files_in_order() {
    let mails = load(&[fixture("received.eml"), fixture("plain.eml")]).unwrap();
    assert_eq!(paths(&mails), ["received.eml", "plain.eml"]);
    assert_eq!(mails[1].subject().as_deref(), Some("Lunch on Friday?"));
}

#[test]
fn load_mbox() {
    let mails = load(&[fixture("three.mbox")]).unwrap();
    assert_eq!(
        paths(&mails),
        ["three.mbox#1", "three.mbox#2", "three.mbox#3"]
    );
    let subjects: Vec<String> = mails.iter().filter_map(Mail::subject).collect();
    assert_eq!(subjects, ["First", "Second", "Third"]);
    // ">From " unescaped once; the separating blank line is not part of the
    // message.
    assert_eq!(
        mails[1].body(&BodyTransform::Raw),
        vec![
            "Two, quoting:\nFrom the archives, a line that started with From.\n>From stays quoted once.\n"
        ]
    );
    assert_eq!(mails[0].body(&BodyTransform::Raw), vec!["One.\n"]);
    assert_eq!(
        mails[0].size(),
        "From: alice@example.org\nTo: bob@example.net\nSubject: First\n\nOne.\n".len()
    );
    assert_eq!(mails[2].body(&BodyTransform::Raw), vec!["Three.\n"]);
}

#[test]
fn load_maildir() {
    let mails = load(&[fixture("maildir")]).unwrap();
    assert_eq!(
        paths(&mails),
        [
            "maildir/cur/1700000000.M1P1.host,S=80",
            "maildir/cur/1700000100.M2P1.host,S=80",
            "maildir/new/1700000200.M3P1.host"
        ]
    );
    let subjects: Vec<String> = mails.iter().filter_map(Mail::subject).collect();
    assert_eq!(
        subjects,
        ["Maildir cur one", "Maildir cur two", "Maildir new"]
    );
}

#[test]
fn load_folder_only_eml() {
    let mails = load(&[fixture("folder")]).unwrap();
    assert_eq!(
        paths(&mails),
        ["folder/a.eml", "folder/b.eml", "folder/sub/c.EML"]
    );
}

#[test]
fn load_errors_name_the_path() {
    let missing = fixture("does-not-exist.eml");
    let err = load(&[missing]).unwrap_err();
    assert!(matches!(err, LoadError::Read { .. }), "{err:?}");
    assert!(err.to_string().contains("does-not-exist.eml"), "{err}");

    let notes = fixture("folder/notes.txt");
    let err = load(&[notes]).unwrap_err();
    assert!(matches!(err, LoadError::NotMessage { .. }), "{err:?}");
    assert!(err.to_string().contains("notes.txt"), "{err}");

    let empty_dir = fixture("maildir/tmp");
    let err = load(&[empty_dir]).unwrap_err();
    assert!(matches!(err, LoadError::NoMessages { .. }), "{err:?}");
    assert!(err.to_string().contains("tmp"), "{err}");

    // An empty file given explicitly is a message with nothing in it.
    let mails = load(&[fixture("empty.eml")]).unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].size(), 0);
}

#[test]
fn editheader_support() {
    let mut m = mail("received.eml");
    m.add_header("X-Added", "first", false);
    m.add_header("X-Added", "last", true);
    assert_eq!(m.header_values("x-added"), vec!["first", "last"]);
    assert_eq!(m.header_names().first(), Some(&"X-Added"));
    let n = m.delete_headers("received", |i, v| i == 2 || v.contains("laptop"));
    assert_eq!(n, 2);
    let left = m.header_values("received");
    assert_eq!(left.len(), 1);
    assert!(left[0].starts_with("from mx2.example.net"));
}

#[test]
fn mail_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Mail>();
}

/// Found by fuzzing: a `)` that closes no comment made the address
/// tokenizer loop forever, growing its token list until memory ran out.
#[test]
fn stray_closing_parenthesis_in_an_address() {
    let got: Vec<String> = parse_address_list("ceo@corp)example, ) , b@c.d)")
        .into_iter()
        .map(|a| a.full)
        .collect();
    assert!(got.iter().any(|a| a == "b@c.d"), "{got:?}");
    assert!(parse_address_list(")))").is_empty());
}

// ---------------------------------------------------------------------------
// mbox variants (RFC 4155): which "From " lines start a message, mboxrd
// unquoting, mboxcl2's Content-Length, hostile input.

use sieve_lint::run::message::{Loaded, Mbox, is_from_line};

/// The messages of an mbox given as bytes: (raw message, note) or the size
/// of a message over `max`.
fn mbox_with(bytes: &[u8], max: u64) -> Vec<Result<(String, Option<String>), u64>> {
    Mbox::new(bytes, "m".into(), max)
        .map(|l| match l.expect("read from memory") {
            Loaded::Mail(m) => Ok((
                String::from_utf8_lossy(m.raw()).into_owned(),
                m.load_note().map(str::to_owned),
            )),
            Loaded::TooLarge { size, .. } => Err(size),
        })
        .collect()
}

fn mbox(bytes: &[u8]) -> Vec<String> {
    mbox_with(bytes, u64::MAX)
        .into_iter()
        .map(|m| m.expect("under the limit").0)
        .collect()
}

const F1: &str = "From alice@example.org Thu Mar  5 10:00:00 2026\n";
const F2: &str = "From bob@example.org Fri Mar  6 11:30:05 2026\n";

#[test]
fn from_lines_recognised() {
    for line in [
        "From alice@example.org Thu Mar  5 10:00:00 2026",
        "From MAILER-DAEMON Fri Jul  8 12:08:34 2011\r\n",
        "From bob@example.org Sat Jan  3 01:05:34 1996 +0000",
        "From bob Sat Jan 3 01:05 PST 1996 remote from host",
        "From  Mon Dec 31 23:59:59 2029", // empty sender
        "From x@y wed feb 29 00:00:00 2024",
    ] {
        assert!(is_from_line(line.as_bytes()), "{line:?}");
    }
    for line in [
        "From here on, we talk about Mar 5.",
        "From: alice@example.org",
        "From alice Thu Mar 5 2026",            // no time
        "From alice Thu Mar 5 10:00:00",        // no year
        "From alice Thu Foo 5 10:00:00 2026",   // no month
        "From alice Thu Mar 123 10:00:00 2026", // no day
        "From alice Thu Mar 5 10:0000:00 2026", // no time
        ">From alice Thu Mar  5 10:00:00 2026",
        "from alice Thu Mar  5 10:00:00 2026",
        "From ",
        "",
    ] {
        assert!(!is_from_line(line.as_bytes()), "{line:?}");
    }
}

#[test]
fn mboxo_body_line_from_is_no_message() {
    // Common: an unquoted "From " sentence after an empty line (mboxo
    // writers do not always quote) stays in the body.
    let text = format!(
        "{F1}Subject: one\n\nHello,\n\nFrom here on, all is well.\n\n{F2}Subject: two\n\nBye.\n"
    );
    let m = mbox(text.as_bytes());
    assert_eq!(
        m,
        [
            "Subject: one\n\nHello,\n\nFrom here on, all is well.\n",
            "Subject: two\n\nBye.\n"
        ]
    );
}

#[test]
fn from_line_only_after_an_empty_line() {
    // A From_ line right after a body line is body (no empty line before).
    let text = format!("{F1}Subject: one\n\nquoted:\n{F2}still one\n");
    assert_eq!(mbox(text.as_bytes()).len(), 1);
}

#[test]
fn phantom_message_gets_a_note() {
    // Invalid but real: a body line that looks exactly like a From_ line,
    // after an empty line, unquoted (mboxo): a message without header
    // fields comes out; its run warns.
    let text =
        format!("{F1}Subject: one\n\nbody\n\n{F2}forwarded text\n\n{F1}Subject: three\n\n3\n");
    let m = mbox_with(text.as_bytes(), u64::MAX);
    assert_eq!(m.len(), 3);
    let (raw, note) = m[1].clone().unwrap();
    assert_eq!(raw, "forwarded text\n");
    assert!(note.unwrap().contains("no header fields"));
    assert_eq!(m[0].clone().unwrap().1, None);
    assert_eq!(m[2].clone().unwrap().1, None);
}

#[test]
fn mboxrd_unquoting() {
    let text =
        format!("{F1}Subject: q\n\n>From a\n>>From b\n>>>From c\n> From d\n>Fromage\nx>From e\n");
    assert_eq!(
        mbox(text.as_bytes()),
        ["Subject: q\n\nFrom a\n>From b\n>>From c\n> From d\n>Fromage\nx>From e\n"]
    );
}

#[test]
fn mboxcl2_content_length_skips_the_body() {
    // The body holds an unquoted From_ line after an empty line; the count
    // covers it, and ends at the next From_ line: one message, as written
    // (mboxcl2 does not quote: ">From" stays).
    let body = "Hi\n\nFrom bob@example.org Fri Mar  6 11:30:05 2026\n>From x\n";
    let text = format!(
        "{F1}Subject: cl\nContent-Length: {}\n\n{body}\n{F2}Subject: next\n\nn\n",
        body.len()
    );
    let m = mbox(text.as_bytes());
    assert_eq!(m.len(), 2, "{m:?}");
    assert_eq!(
        m[0],
        format!("Subject: cl\nContent-Length: {}\n\n{body}", body.len())
    );
    assert_eq!(m[1], "Subject: next\n\nn\n");
    // Uncommon: no empty line after the counted body; and the count ends
    // the file.
    let text = format!(
        "{F1}Content-Length: 3\n\nab\n{F2}Subject: next\n\nn\n\n{F1}Content-Length: {}\n\n{body}",
        body.len()
    );
    let m = mbox(text.as_bytes());
    assert_eq!(m.len(), 3, "{m:?}");
    assert_eq!(m[0], "Content-Length: 3\n\nab\n");
    assert_eq!(m[2], format!("Content-Length: {}\n\n{body}", body.len()));
    // At the limit: Content-Length 0.
    let text = format!("{F1}Content-Length: 0\n\n\n{F2}Subject: b\n\nb\n");
    assert_eq!(
        mbox(text.as_bytes()),
        ["Content-Length: 0\n\n", "Subject: b\n\nb\n"]
    );
}

#[test]
fn wrong_content_length_is_ignored() {
    // Too short, too long, past the end, not a number: the From_ lines
    // decide, and what a wrong count hid is read again.
    for cl in ["2", "5", "999999", "-1", "x", "18446744073709551615"] {
        let text = format!(
            "{F1}Subject: a\nContent-Length: {cl}\n\nbody a\n\n{F2}Subject: b\n\n>From b\n"
        );
        let m = mbox(text.as_bytes());
        assert_eq!(
            m,
            [
                format!("Subject: a\nContent-Length: {cl}\n\nbody a\n"),
                "Subject: b\n\nFrom b\n".to_owned()
            ],
            "Content-Length: {cl}"
        );
    }
    // A count that lands inside a later message: the message it hid is
    // read again, with the From_ lines after it.
    let text = format!(
        "{F1}Subject: a\nContent-Length: 30\n\na\n\n{F2}Subject: b\n\nb\n\n{F1}Subject: c\n\nc\n"
    );
    let m = mbox(text.as_bytes());
    assert_eq!(m.len(), 3, "{m:?}");
    assert_eq!(m[1], "Subject: b\n\nb\n");
    assert_eq!(m[2], "Subject: c\n\nc\n");
}

#[test]
fn mbox_crlf_and_message_names() {
    let text = "From a@b Thu Mar  5 10:00:00 2026\r\nSubject: a\r\n\r\nA\r\n\r\nFrom a@b Thu Mar  5 10:00:00 2026\r\nSubject: b\r\n\r\nB\r\n";
    let m = mbox(text.as_bytes());
    assert_eq!(m, ["Subject: a\r\n\r\nA\r\n", "Subject: b\r\n\r\nB\r\n"]);
    let names: Vec<String> = Mbox::new(text.as_bytes(), "x.mbox".into(), u64::MAX)
        .map(|l| match l.unwrap() {
            Loaded::Mail(m) => m.path().to_owned(),
            Loaded::TooLarge { path, .. } => path,
        })
        .collect();
    assert_eq!(names, ["x.mbox#1", "x.mbox#2"]);
}

#[test]
fn mbox_message_over_the_limit_is_skipped_and_the_mbox_read_on() {
    let big = "x".repeat(200_000) + "\n";
    let text = format!("{F1}Subject: a\n\n{big}\n{F2}Subject: b\n\nb\n");
    let m = mbox_with(text.as_bytes(), 1000);
    assert_eq!(m.len(), 2);
    assert_eq!(m[0], Err(("Subject: a\n\n".len() + big.len()) as u64));
    assert_eq!(m[1], Ok(("Subject: b\n\nb\n".to_owned(), None)));
    // At the limit exactly: read.
    let text = format!("{F1}Subject: a\n\n");
    assert!(mbox_with(text.as_bytes(), 12)[0].is_ok());
    assert!(mbox_with(text.as_bytes(), 11)[0].is_err());
}

#[test]
fn hostile_mboxes() {
    // Only From_ lines; a From_ line without a line break; a 1 MB line;
    // NUL bytes; a huge Content-Length: each read in linear time.
    let started = Instant::now();
    // A From_ line right after another is body (no empty line before it).
    let many = F1.repeat(3);
    assert_eq!(mbox(many.as_bytes()), [F1.repeat(2)]);
    assert_eq!(mbox(F1.trim_end().as_bytes()), [""]);
    let long = format!(
        "{F1}Subject: {}\n\n{}\n",
        "a".repeat(1 << 20),
        "\0".repeat(1 << 20)
    );
    assert_eq!(mbox(long.as_bytes()), [long[F1.len()..].to_owned()]);
    let blanks = format!("{F1}{}", "\n".repeat(100_000));
    assert_eq!(mbox(blanks.as_bytes()).len(), 1);
    let froms = format!("{F1}Subject: a\n\n{}", format!("\n{F2}").repeat(20_000));
    assert_eq!(mbox(froms.as_bytes()).len(), 20_001);
    // Content-Length hiding 10,000 From_ lines that all come back.
    let hidden = format!(
        "{F1}Content-Length: 99999999\n\n{}",
        format!("\n{F2}Subject: h\n").repeat(10_000)
    );
    assert_eq!(mbox(hidden.as_bytes()).len(), 10_001);
    // Every message with a count past the end of the file: each is read
    // again once, not once per message before it.
    let wrong = format!("{F1}Content-Length: 99999999\n\nx\n\n").repeat(20_000);
    assert_eq!(mbox(wrong.as_bytes()).len(), 20_000);
    assert!(started.elapsed() < Duration::from_secs(20));
}

// ---------------------------------------------------------------------------
// The run over an mbox, end to end: streamed, in order, a size limit per
// message, warnings for phantom messages, no sidecar look-up.

#[path = "common/temp.rs"]
#[allow(dead_code)]
mod temp;

/// A fresh folder for one test, removed when the test ends.
fn temp_dir(name: &str) -> temp::TempDir {
    temp::temp_dir("mbox", name)
}

fn run_cli(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sieve-lint"))
        .current_dir(dir)
        .args(["run", "--no-config"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn run_over_an_mbox_streams_in_order_with_limits_and_warnings() {
    let dir = temp_dir("run");
    std::fs::write(
        dir.join("s.sieve"),
        "require \"fileinto\";\nif header :contains \"subject\" \"x\" { fileinto \"X\"; }\n",
    )
    .unwrap();
    // 600 messages (more than one batch), one too large, one phantom.
    let mut text = String::new();
    for i in 0..600 {
        match i {
            100 => text.push_str(&format!("{F1}Subject: x big\n\n{}\n\n", "y".repeat(5000))),
            200 => text.push_str(&format!(
                "{F1}Subject: x {i}\n\nquote:\n\n{F2}not a header\n\n"
            )),
            _ => text.push_str(&format!("{F1}Subject: x {i}\n\nbody {i}\n\n")),
        }
    }
    std::fs::write(dir.join("m.mbox"), &text).unwrap();
    // A sidecar for an mbox message is not looked for.
    std::fs::write(dir.join("m.mbox#1.expected"), "[{\"action\": \"discard\"}]").unwrap();
    let (code, out, err) = run_cli(
        &dir,
        &[
            "--format",
            "json",
            "--max-message-size",
            "4096",
            "s.sieve",
            "m.mbox",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains("expectation"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    let msgs = v["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 601);
    for (i, m) in msgs.iter().enumerate() {
        assert_eq!(m["path"], format!("m.mbox#{}", i + 1));
    }
    assert_eq!(msgs[0]["subject"], "x 0");
    assert_eq!(msgs[599]["subject"], "x 598");
    let big = &msgs[100];
    assert!(
        big["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("over --max-message-size (4096)"),
        "{big}"
    );
    assert_eq!(big["actions"][0]["implicit"], true);
    let phantom = &msgs[201];
    assert!(
        phantom["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no header fields"),
        "{phantom}"
    );
    assert_eq!(v["summary"]["messages"], 601);
    assert_eq!(v["summary"]["errors"], 1);
    // The human report: the same, message by message, then the summary.
    let (code, out, _) = run_cli(&dir, &["--max-message-size", "4096", "s.sieve", "m.mbox"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("601 messages, 1 with run-time errors"),
        "{out}"
    );
    assert!(
        out.contains(
            "m.mbox#202\n  keep (implicit)\n  warning: this mbox message has no header fields"
        ),
        "{out}"
    );
    // The default limit reads it; a file over the limit, named alone, too.
    let (code, out, _) = run_cli(&dir, &["-q", "s.sieve", "m.mbox"]);
    assert_eq!(code, 0, "{out}");
    std::fs::write(
        dir.join("a.eml"),
        "Subject: x\n\n".to_owned() + &"z".repeat(100),
    )
    .unwrap();
    let (code, out, _) = run_cli(&dir, &["--max-message-size", "50", "s.sieve", "a.eml"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("not read: 112 bytes, over --max-message-size (50)"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
