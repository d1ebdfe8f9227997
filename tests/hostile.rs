//! Hostile and faulty input, found by trying sieve-lint as a new user would
//! (issue "never crash, never hang, never lose the user's file"): each case
//! here once crashed, hung or was silently wrong. Timing is not asserted
//! (that lives in `scripts/scaling.sh`); what is asserted is that the answer
//! at scale is complete and exact.

use sieve_lint::{CheckOptions, lint};

/// Every one of many malformed `${hex:…}` sequences and bad `${…}`
/// references in one string is reported, each at its own bytes (the
/// string's offsets are mapped once, not once per finding).
#[test]
fn many_encoded_sequences_and_references_in_one_string() {
    let n = 5_000;
    let script = format!(
        "require [\"encoded-character\", \"variables\"];\n\
         if header :is \"subject\" \"{}\" {{ keep; }}\n\
         if header :is \"subject\" \"{}\" {{ keep; }}\n",
        "${hex:zz".repeat(n),
        "${a-b}".repeat(n)
    );
    let report = lint("x.sieve", &script, &CheckOptions::default());
    let encoded: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.name == "invalid-encoded-character")
        .collect();
    assert_eq!(encoded.len(), n);
    // A malformed sequence without its brace shows its prefix.
    assert!(encoded.iter().all(|d| &script[d.span.range()] == "${hex:"));
    let refs: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.name == "invalid-variable-name")
        .collect();
    assert_eq!(refs.len(), n);
    assert!(refs.iter().all(|d| &script[d.span.range()] == "${a-b}"));
}
