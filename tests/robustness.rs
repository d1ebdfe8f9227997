//! Bad input never crashes: thousands of mangled scripts and messages go
//! through the linter and the dry run, and what comes back is well formed —
//! every span inside the source, every run bounded by its limits.

mod common;
use common::Rng;

use sieve_lint::run::{RunOptions, message::Mail, run_all};
use sieve_lint::{CheckOptions, lint_bytes};

const SEEDS: &[&str] = &[
    "require [\"fileinto\", \"variables\", \"extlists\", \"imap4flags\", \"mime\", \"foreverypart\"];\n",
    "if header :matches \"subject\" \"*[*]*\" { set \"x\" \"${1}\"; fileinto \"L/${x}\"; }\n",
    "if address :list \"from\" \":addrbook:default\" { addflag \"\\\\Seen\"; keep; }\n",
    "elsif anyof (not exists \"x\", size :over 10K) { discard; stop; }\n",
    "else { redirect \"a@example.org\"; }\n",
    "foreverypart { if header :mime :type \"content-type\" \"text\" { break; } }\n",
    "vacation :days 3 text:\nhi\n..\n.\n;\n",
    "/* c */ # h\n",
    "\"\\\"\\\\\", [\"a\", \"b\"], (true, false), :is :contains 100K",
    "}",
    "{",
    "(",
    ")",
    "[",
    "]",
    ";",
    ",",
    "\"",
    "text:",
    "\r",
    "\0",
    "é",
    "\u{feff}",
];

fn mangle(r: &mut Rng, max_len: usize) -> Vec<u8> {
    let mut out = Vec::new();
    while out.len() < max_len {
        match r.below(4) {
            0 => {
                let b = r.next().to_le_bytes();
                out.extend_from_slice(&b[..1 + r.below(8)]);
            }
            _ => out.extend_from_slice(SEEDS[r.below(SEEDS.len())].as_bytes()),
        }
        if r.below(6) == 0 {
            break;
        }
    }
    out
}

#[test]
fn mangled_scripts_give_well_formed_diagnostics() {
    let mut r = Rng(0x005E_ED0F_5EED);
    for i in 0..4000 {
        let bytes = mangle(&mut r, 600);
        let report = lint_bytes("fuzz.sieve", &bytes, &CheckOptions::default());
        let len = report.source.len();
        assert_eq!(len, bytes.len(), "#{i}: offsets must stay byte offsets");
        for d in &report.diagnostics {
            assert!(
                d.span.start() <= d.span.end() && d.span.end() <= len,
                "#{i}: {d:?}"
            );
            assert!(d.help.is_some(), "#{i}: every diagnostic has help: {d:?}");
            for l in &d.labels {
                assert!(
                    l.span.start() <= l.span.end() && l.span.end() <= len,
                    "#{i}: {l:?}"
                );
            }
        }
        let mut sorted = report.diagnostics.clone();
        sorted.sort_by_key(|d| (d.span.start(), d.span.end()));
        let order: Vec<_> = report.diagnostics.iter().map(|d| d.span).collect();
        let want: Vec<_> = sorted.iter().map(|d| d.span).collect();
        assert_eq!(order, want, "#{i}: diagnostics in source order");
    }
}

#[test]
fn mangled_messages_run_within_limits() {
    let script = "require [\"fileinto\", \"variables\", \"body\", \"mime\", \"foreverypart\", \"extracttext\"];\n\
        if header :matches \"subject\" \"*\" { set \"s\" \"${1}\"; }\n\
        if address :domain \"from\" \"example.com\" { fileinto \"Ex\"; }\n\
        if body :text :contains \"x\" { fileinto \"Body\"; }\n\
        foreverypart { extracttext \"t\"; if string :contains \"${t}\" \"a\" { fileinto \"A\"; } }\n";
    let parsed = sieve_lint::syntax::parse(script);
    assert!(parsed.errors.is_empty());
    let mut r = Rng(0xC0FF_EE00_1234);
    let mut mails = Vec::new();
    for i in 0..1500 {
        let mut raw = Vec::new();
        if r.below(2) == 0 {
            raw.extend_from_slice(b"From: a@example.com\r\nSubject: =?UTF-8?B?w6k=?= x\r\n");
        }
        if r.below(2) == 0 {
            raw.extend_from_slice(b"Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\na\r\n--B\r\n");
        }
        raw.extend(mangle(&mut r, 400));
        mails.push(Mail::parse(format!("m{i}.eml"), raw));
    }
    let opts = RunOptions::default();
    let results = run_all(&parsed.script, script, &mails, &opts);
    assert_eq!(results.len(), mails.len());
    for (res, mail) in results.iter().zip(&mails) {
        assert_eq!(res.path, mail.path());
        assert!(
            res.actions.len() <= opts.limits.max_actions + 1,
            "{}: {:?}",
            res.path,
            res.actions
        );
        // The implicit keep is last when in effect, and only then.
        let implicit = res
            .actions
            .iter()
            .filter(|a| {
                matches!(
                    a.action,
                    sieve_lint::run::Action::Keep { implicit: true, .. }
                )
            })
            .count();
        assert_eq!(implicit, usize::from(res.implicit_keep), "{}", res.path);
    }
}

#[test]
fn redirect_address_with_a_wide_character_at_byte_seven() {
    // Found by tests/properties.rs: the `mailto:` check sliced the address
    // at byte 7, inside 🎉, and panicked.
    let src = "redirect \";\n日🎉\";";
    let report = lint_bytes("t.sieve", src.as_bytes(), &CheckOptions::default());
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.name == "invalid-redirect-address"),
        "{:?}",
        report.diagnostics
    );
    // A valid address (RFC 6532) with byte 7 inside 日: no panic, no finding.
    let src = "redirect \"abcdef日@example.org\";";
    let report = lint_bytes("t.sieve", src.as_bytes(), &CheckOptions::default());
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.name == "invalid-redirect-address"),
        "{:?}",
        report.diagnostics
    );
}
