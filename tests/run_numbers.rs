//! Numbers that become durations or sizes in the dry run, at the limits
//! (ISSUE 12 #9): nothing wraps around. A vacation period above 365 days is
//! clamped with a warning (RFC 5230 §4.1, RFC 6131 §2); a size suffix that
//! overflows 64 bits is a syntax error, never a smaller number.

use sieve_lint::run::interp::MAX_VACATION_SECONDS;
use sieve_lint::run::{Action, MessageResult, RunOptions, message::Mail, run_all};

const MAIL: &str = "Return-Path: <bob@example.com>\nFrom: bob@example.com\n\
                    To: alice@example.org\nSubject: hi\n\nbody\n";

fn run(source: &str) -> MessageResult {
    let parsed = sieve_lint::syntax::parse(source);
    assert!(parsed.errors.is_empty(), "{source}: {:?}", parsed.errors);
    let mail = Mail::parse("m.eml", MAIL.as_bytes().to_vec());
    let opts = RunOptions {
        envelope_to: vec!["alice@example.org".into()],
        ..RunOptions::default()
    };
    run_all(&parsed.script, source, std::slice::from_ref(&mail), &opts).remove(0)
}

fn vacation_seconds(r: &MessageResult) -> Option<u64> {
    r.actions.iter().find_map(|a| match &a.action {
        Action::Vacation { seconds, .. } => *seconds,
        _ => None,
    })
}

#[test]
fn vacation_periods_clamp_at_the_maximum() {
    let cases: &[(&str, u64, bool)] = &[
        ("vacation :days 1 \"x\";", 86_400, false),
        ("vacation :days 365 \"x\";", MAX_VACATION_SECONDS, false),
        ("vacation :days 366 \"x\";", MAX_VACATION_SECONDS, true),
        // 213503982334602 days × 86400 wraps a u64 to 61,184 s.
        (
            "vacation :days 213503982334602 \"x\";",
            MAX_VACATION_SECONDS,
            true,
        ),
        (
            "vacation :days 18446744073709551615 \"x\";",
            MAX_VACATION_SECONDS,
            true,
        ),
        (
            "vacation :days 9999999999G \"x\";",
            MAX_VACATION_SECONDS,
            true,
        ),
        ("vacation :seconds 0 \"x\";", 0, false),
        (
            "vacation :seconds 31536000 \"x\";",
            MAX_VACATION_SECONDS,
            false,
        ),
        (
            "vacation :seconds 31536001 \"x\";",
            MAX_VACATION_SECONDS,
            true,
        ),
        (
            "vacation :seconds 18446744073709551615 \"x\";",
            MAX_VACATION_SECONDS,
            true,
        ),
    ];
    for (body, want, warns) in cases {
        let source = format!("require [\"vacation\", \"vacation-seconds\"];\n{body}\n");
        let r = run(&source);
        assert!(r.errors.is_empty(), "{body}: {:?}", r.errors);
        assert_eq!(vacation_seconds(&r), Some(*want), "{body}");
        let clamped = r.warnings.iter().any(|w| w.message.contains("maximum"));
        assert_eq!(clamped, *warns, "{body}: {:?}", r.warnings);
    }
}

#[test]
fn size_suffixes_at_the_limit() {
    // (2^34 − 1) × 2^30 fits in 64 bits; 2^34 × 2^30 does not.
    let r = run("if size :over 17179869183G { discard; }\n");
    assert!(r.errors.is_empty());
    assert!(r.implicit_keep, "a tiny message is not over 16 EiB");
    let r = run("if size :under 17179869183G { discard; }\n");
    assert!(!r.implicit_keep);
    for too_big in [
        "17179869184G",
        "18446744073709551616",
        "99999999999999999999K",
    ] {
        let source = format!("if size :over {too_big} {{ discard; }}\n");
        let parsed = sieve_lint::syntax::parse(&source);
        assert!(
            !parsed.errors.is_empty(),
            "{too_big} must be a syntax error, not a wrapped number"
        );
    }
}
