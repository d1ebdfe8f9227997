//! Every command and test the catalog checks runs in the dry run: for each
//! provider of each name (the notify draft's `notify` as well as enotify's),
//! a script that uses it with arguments of the signature's kinds is run, and
//! must not fail with "cannot run" (or any internal error). So a catalog
//! extension without an interpreter arm fails here, and `ihave` of every
//! catalog capability is true under the default target.

use sieve_lint::ext::{ArgKind, EXTENSIONS, Entry, TestArity, catalog};
use sieve_lint::run::{RunOptions, message::Mail, run_all};

const MAIL: &str = "From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\n\
                    Message-ID: <1@example.com>\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\nbody\r\n";

fn value(kind: ArgKind) -> &'static str {
    match kind {
        ArgKind::String => "\"x\"",
        ArgKind::StringList => "[\"x\"]",
        ArgKind::Number => "1",
    }
}

/// The arguments of a use: a tag of each exclusive set that must have one,
/// then every positional argument the signature requires.
fn arguments(e: &Entry) -> String {
    let mut out = String::new();
    for set in e.sig.required {
        if let Some(t) = e.tags.iter().find(|t| t.exclusive == Some(set)) {
            out.push_str(&format!(" :{}", t.spec.name));
            if let Some(a) = t.spec.arg {
                out.push_str(&format!(" {}", value(a.kind)));
            }
        }
    }
    for a in e.sig.positional.iter().filter(|a| !a.optional) {
        out.push_str(&format!(" {}", value(a.kind)));
    }
    match e.sig.tests {
        TestArity::None => {}
        TestArity::One => out.push_str(" true"),
        TestArity::List => out.push_str(" (true)"),
    }
    out
}

fn script_for(e: &Entry, is_test: bool) -> String {
    let mut caps = vec![e.capability, "variables"];
    caps.retain(|c| !c.is_empty());
    let require = format!(
        "require [{}];\n",
        caps.iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let name = e.sig.name;
    let body = if is_test {
        format!("if {name}{} {{ }}\n", arguments(e))
    } else if e.sig.follows_if {
        format!("if false {{ }} {name}{} {{ }}\n", arguments(e))
    } else if e.sig.block {
        format!("{name}{} {{ }}\n", arguments(e))
    } else {
        format!("{name}{};\n", arguments(e))
    };
    format!("{require}{body}")
}

fn runs(source: &str) -> Result<(), String> {
    let parsed = sieve_lint::syntax::parse(source);
    let mail = Mail::parse("m.eml", MAIL.as_bytes().to_vec());
    let results = run_all(
        &parsed.script,
        source,
        std::slice::from_ref(&mail),
        &RunOptions::default(),
    );
    for e in &results[0].errors {
        let m = &e.message;
        if m.contains("cannot run") || m.contains("not supported") || m.contains("internal") {
            return Err(format!("{source}\n→ {m}"));
        }
    }
    Ok(())
}

#[test]
fn every_catalog_command_and_test_runs() {
    let cat = catalog();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (names, is_test) in [
        (cat.command_names().collect::<Vec<_>>(), false),
        (cat.test_names().collect::<Vec<_>>(), true),
    ] {
        for name in names {
            let providers: Vec<&str> = cat.providers(name).collect();
            for cap in providers {
                let entry = if is_test {
                    cat.test_for(name, |c| c == cap)
                } else {
                    cat.command_for(name, |c| c == cap)
                };
                let Some(e) = entry.filter(|e| e.capability == cap) else {
                    continue;
                };
                checked += 1;
                if let Err(f) = runs(&script_for(e, is_test)) {
                    failures.push(f);
                }
            }
        }
    }
    assert!(checked > 60, "only {checked} commands and tests enumerated");
    assert!(
        failures.is_empty(),
        "the dry run cannot run these:\n{}",
        failures.join("\n\n")
    );
}

/// RFC 5463 §4: `ihave` is true for what the dry run runs and the target
/// has; false for an unknown capability and for one the target lacks.
#[test]
fn ihave_answers_for_the_dry_run_and_the_target() {
    let rfc = sieve_lint::CheckOptions::default();
    for ext in EXTENSIONS.iter().filter(|e| !e.capability.is_empty()) {
        assert!(
            sieve_lint::run::interp::runs_capability(ext.capability, &rfc),
            "ihave \"{}\" is false",
            ext.capability
        );
    }
    assert!(sieve_lint::run::interp::runs_capability(
        "comparator-i;ascii-numeric",
        &rfc
    ));
    assert!(!sieve_lint::run::interp::runs_capability(
        "comparator-x;nope",
        &rfc
    ));
    assert!(!sieve_lint::run::interp::runs_capability(
        "vnd.example.unknown",
        &rfc
    ));
    // Capability strings are case-sensitive (RFC 5228 §6).
    assert!(!sieve_lint::run::interp::runs_capability("FileInto", &rfc));
    let dovecot = sieve_lint::CheckOptions {
        target: sieve_lint::profiles::find("dovecot-2.4"),
        ..Default::default()
    };
    let cyrus = sieve_lint::CheckOptions {
        target: sieve_lint::profiles::find("cyrus-3"),
        ..Default::default()
    };
    assert!(sieve_lint::run::interp::runs_capability(
        "vnd.dovecot.pipe",
        &dovecot
    ));
    assert!(!sieve_lint::run::interp::runs_capability(
        "vnd.dovecot.pipe",
        &cyrus
    ));
}
