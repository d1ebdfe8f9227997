//! The dry run of a fixed set of scripts (headers, addresses, MIME,
//! foreverypart, body, variables, regex, editheader, lists) on arbitrary
//! message bytes: no panic, no hang, bounded work.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sieve_lint::run::{Limits, RunOptions, message::Mail, run_all};
use std::sync::LazyLock;

const CASES: &[&str] = &[
    "real-mail-triage-groups-received-encoded",
    "mime-foreverypart-break",
    "body-text-raw-content-multipart-attachment",
    "variables-match-vars-scope-and-string",
    "regex-with-captures",
    "editheader-add-and-delete-seen-by-later-tests",
    "extlists-list-with-match-casemap",
    "address-parts-and-subaddress",
    "header-encoded-words-folding-several-instances",
];

struct Case {
    script: sieve_lint::syntax::ast::Script<'static>,
    source: String,
    opts: RunOptions,
}

static SCRIPTS: LazyLock<Vec<Case>> = LazyLock::new(|| {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/run");
    CASES
        .iter()
        .map(|c| {
            let dir = root.join(c);
            let bytes = std::fs::read(dir.join("script.sieve")).expect("fixture script");
            let (report, script) =
                sieve_lint::lint_and_parse("script.sieve", &bytes, &Default::default());
            let mut opts = RunOptions {
                now: Some((1_767_225_600, 0)),
                limits: Limits {
                    max_steps: 2_000_000,
                    ..Limits::default()
                },
                script_dir: Some(dir.clone()),
                ..RunOptions::default()
            };
            let lists = dir.join("lists.json");
            if lists.is_file() {
                opts.lists.load_map_file(&lists).expect("fixture lists");
            }
            Case {
                script,
                source: report.source,
                opts,
            }
        })
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let mails = [Mail::parse("fuzz.eml", data.to_vec())];
    for case in SCRIPTS.iter() {
        let results = run_all(&case.script, &case.source, &mails, &case.opts);
        assert_eq!(results.len(), 1);
    }
});
