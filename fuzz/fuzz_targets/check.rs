//! Parse and check arbitrary bytes, and render every report format: no
//! panic, no hang, and every diagnostic located inside the source.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sieve_lint::report::{Format, HumanOptions, Summary, render};

fuzz_target!(|data: &[u8]| {
    let report = sieve_lint::lint_bytes("fuzz.sieve", data, &Default::default());
    let len = report.source.len();
    let mut last = 0;
    for d in &report.diagnostics {
        assert!(d.span.start() <= d.span.end() && d.span.end() <= len, "{d:?}");
        assert!(report.source.is_char_boundary(d.span.start()), "{d:?}");
        assert!(report.source.is_char_boundary(d.span.end()), "{d:?}");
        assert!(d.span.start() >= last, "diagnostics out of order");
        last = d.span.start();
        for l in &d.labels {
            assert!(l.span.start() <= l.span.end() && l.span.end() <= len, "{d:?}");
        }
    }
    let reports = std::slice::from_ref(&report);
    let summary = Summary::of(reports);
    for format in [Format::Short, Format::Json, Format::Human] {
        let mut out = Vec::new();
        render(format, reports, &summary, &HumanOptions::plain(), &mut out)
            .expect("rendering into memory cannot fail");
    }
});
