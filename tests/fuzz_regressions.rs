//! Inputs the fuzzers (fuzz/) once broke, kept in fixtures/fuzz/<target>/
//! and replayed through the same entry points as the fuzz targets, so a
//! regression fails the ordinary tests. Each must finish and give a result.

use sieve_lint::report::{Format, HumanOptions, Summary, render};
use sieve_lint::run::{Limits, RunOptions, message::Mail, run_all};
use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/fuzz")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<(PathBuf, Vec<u8>)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).expect("readable fixture");
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

fn run_options() -> RunOptions {
    RunOptions {
        now: Some((1_767_225_600, 0)),
        limits: Limits {
            max_steps: 2_000_000,
            ..Limits::default()
        },
        ..RunOptions::default()
    }
}

#[test]
fn check_inputs() {
    for (path, bytes) in inputs("check").into_iter().chain(inputs("run_script")) {
        let report = sieve_lint::lint_bytes("fuzz.sieve", &bytes, &Default::default());
        for d in &report.diagnostics {
            assert!(
                d.span.end() <= report.source.len(),
                "{}: {d:?}",
                path.display()
            );
        }
        let reports = std::slice::from_ref(&report);
        for format in [Format::Short, Format::Json, Format::Human] {
            let mut out = Vec::new();
            render(
                format,
                reports,
                &Summary::of(reports),
                &HumanOptions::plain(),
                &mut out,
            )
            .expect("render");
        }
    }
}

/// Every dry-run fixture script, on every message input.
#[test]
fn run_message_inputs() {
    let messages = inputs("run_message");
    if messages.is_empty() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/run");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures/run")
        .filter_map(Result::ok)
        .map(|e| e.path().join("script.sieve"))
        .filter(|p| p.is_file())
        .collect();
    cases.sort();
    let mails: Vec<Mail> = messages
        .into_iter()
        .map(|(p, bytes)| Mail::parse(p.display().to_string(), bytes))
        .collect();
    for script in cases {
        let bytes = std::fs::read(&script).expect("script");
        let (report, parsed) =
            sieve_lint::lint_and_parse("script.sieve", &bytes, &Default::default());
        let mut opts = run_options();
        opts.script_dir = script.parent().map(Path::to_path_buf);
        let results = run_all(&parsed, &report.source, &mails, &opts);
        assert_eq!(results.len(), mails.len(), "{}", script.display());
    }
}

#[test]
fn run_script_inputs() {
    let mail = [Mail::parse(
        "fixed.eml",
        b"From: Ann <ann@example.org>\r\nTo: bob@example.com\r\nSubject: hi\r\n\r\nbody\r\n"
            .to_vec(),
    )];
    for (path, bytes) in inputs("run_script") {
        let (report, parsed) =
            sieve_lint::lint_and_parse("fuzz.sieve", &bytes, &Default::default());
        if report.count(sieve_lint::diagnostic::Severity::Error) == 0 {
            let results = run_all(&parsed, &report.source, &mail, &run_options());
            assert_eq!(results.len(), 1, "{}", path.display());
        }
    }
}

#[test]
fn list_inputs() {
    for (path, bytes) in inputs("lists") {
        let Some((_, loaded)) = sieve_lint::lists::load_fuzz_input(&bytes) else {
            continue;
        };
        if let Err(e) = loaded {
            assert!(!e.to_string().is_empty(), "{}", path.display());
        }
    }
}
