//! The dry run of arbitrary scripts on a fixed multipart message: every
//! script that lints without errors runs within its step limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sieve_lint::run::{Limits, RunOptions, message::Mail, run_all};
use std::sync::LazyLock;

const MESSAGE: &[u8] = b"Return-Path: <list-bounces@lists.example.org>\r\n\
Received: from mx.example.org by mail.example.com; Tue, 1 Dec 2026 09:00:00 +0100\r\n\
From: \"Ann Example\" <ann+tag@example.org>\r\n\
To: team@example.com, Bob <bob@example.com>\r\n\
Cc: undisclosed-recipients:;\r\n\
Subject: =?UTF-8?Q?R=C3=A9union?= weekly [list]\r\n\
Date: Tue, 1 Dec 2026 09:00:00 +0100\r\n\
X-Spam-Score: 3.5\r\n\
List-Id: <team.lists.example.org>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
Hello, the meeting is at 10. Caf\xc3\xa9 after.\r\n\
--b1\r\n\
Content-Type: application/pdf; name=\"agenda.pdf\"\r\n\
Content-Disposition: attachment; filename=\"agenda.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
JVBERi0xLjQK\r\n\
--b1--\r\n";

static OPTS: LazyLock<RunOptions> = LazyLock::new(|| {
    let mut opts = RunOptions {
        now: Some((1_767_225_600, 60)),
        limits: Limits {
            max_steps: 2_000_000,
            ..Limits::default()
        },
        env: vec![("name".into(), "sieve-lint".into())],
        mailboxes: vec!["INBOX".into(), "Archive".into()],
        ..RunOptions::default()
    };
    let lists = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/run/extlists-list-with-match-casemap/lists.json");
    opts.lists.load_map_file(&lists).expect("fixture lists");
    opts
});

fuzz_target!(|data: &[u8]| {
    let (report, script) = sieve_lint::lint_and_parse("fuzz.sieve", data, &Default::default());
    if report.count(sieve_lint::diagnostic::Severity::Error) > 0 {
        return;
    }
    let mails = [Mail::parse("fixed.eml", MESSAGE.to_vec())];
    let results = run_all(&script, &report.source, &mails, &OPTS);
    assert_eq!(results.len(), 1);
});
