//! The end of a big dry run: the routing table (counts, order, cap, bars),
//! `--quiet`, the progress callback, and no progress bar when standard
//! error is not a terminal.

use assert_cmd::cargo::cargo_bin_cmd;
use sieve_lint::report::run::{BAR_CELLS, HumanView, bar, render_human_view, render_json};
use sieve_lint::run::routes::{Route, RouteKind, TOP_ROWS, routes, top};
use sieve_lint::run::{
    Action, ActionRecord, MessageResult, RunError, RunOptions, message::Mail, run_all_progress,
};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

fn message(path: &str, actions: Vec<Action>, error: bool) -> MessageResult {
    MessageResult {
        path: path.to_owned(),
        subject: None,
        from: None,
        actions: actions
            .into_iter()
            .map(|action| ActionRecord { action, span: None })
            .collect(),
        implicit_keep: false,
        errors: if error {
            vec![RunError {
                message: "boom".into(),
                span: None,
            }]
        } else {
            Vec::new()
        },
        warnings: Vec::new(),
        trace: Vec::new(),
    }
}

fn fileinto(mailbox: &str) -> Action {
    Action::Fileinto {
        mailbox: mailbox.into(),
        flags: Vec::new(),
        copy: false,
        create: false,
    }
}

fn keep(implicit: bool) -> Action {
    Action::Keep {
        implicit,
        flags: Vec::new(),
    }
}

fn redirect(address: &str) -> Action {
    Action::Redirect {
        address: address.into(),
        copy: true,
        list: None,
    }
}

fn row(kind: RouteKind, destination: &str, messages: usize) -> Route {
    Route {
        destination: destination.into(),
        kind,
        messages,
    }
}

fn sample() -> Vec<MessageResult> {
    vec![
        message("1", vec![fileinto("A"), fileinto("B")], false),
        message("2", vec![fileinto("A")], false),
        // A run-time error keeps the message: it is in both rows.
        message("3", vec![keep(true)], true),
        // The same address twice (and an explicit keep): counted once each.
        message(
            "4",
            vec![
                redirect("x@example.org"),
                redirect("x@example.org"),
                keep(false),
            ],
            false,
        ),
        message("5", vec![Action::Discard], false),
        message(
            "6",
            vec![
                Action::AddHeader {
                    name: "X-Seen".into(),
                    value: "yes".into(),
                    last: false,
                },
                keep(true),
            ],
            false,
        ),
        // A folder named INBOX is not the keep row.
        message("7", vec![fileinto("INBOX")], false),
    ]
}

#[test]
fn routes_count_each_message_once_per_row_most_first_then_by_name() {
    assert_eq!(
        routes(&sample()),
        vec![
            row(RouteKind::Keep, "INBOX", 3),
            row(RouteKind::Fileinto, "A", 2),
            row(RouteKind::Fileinto, "B", 1),
            row(RouteKind::Fileinto, "INBOX", 1),
            row(RouteKind::Discard, "discard", 1),
            row(RouteKind::Error, "error", 1),
            row(RouteKind::Redirect, "x@example.org", 1),
        ]
    );
    assert!(routes(&[]).is_empty());
}

#[test]
fn every_routing_action_kind_has_a_row_and_edits_have_none() {
    let vacation = |suppressed: Option<&str>| Action::Vacation {
        to: "a@example.org".into(),
        subject: None,
        from: None,
        handle: None,
        addresses: Vec::new(),
        seconds: None,
        reason: "away".into(),
        suppressed: suppressed.map(str::to_owned),
    };
    let mut all = vec![message(
        "1",
        vec![
            Action::Reject { reason: "r".into() },
            Action::Ereject { reason: "r".into() },
            vacation(None),
            Action::Notify {
                method: "mailto:a@example.org".into(),
                from: None,
                importance: None,
                message: None,
            },
            Action::DeleteHeader {
                name: "X-Spam".into(),
                index: None,
            },
        ],
        false,
    )];
    all.push(message("2", vec![vacation(Some("a mailing list"))], false));
    let labels: Vec<String> = routes(&all).iter().map(Route::label).collect();
    assert_eq!(
        labels,
        [
            "ereject",
            "notify",
            "reject",
            "vacation",
            "vacation (not sent)"
        ]
    );
}

#[test]
fn the_table_is_capped_with_a_count_of_the_rest() {
    // Address i is redirected to by i + 1 messages: 25 rows, distinct counts.
    let results: Vec<MessageResult> = (0..25)
        .flat_map(|i| {
            (0..=i).map(move |j| {
                message(
                    &format!("{i}-{j}"),
                    vec![redirect(&format!("a{i:02}@example.org"))],
                    false,
                )
            })
        })
        .collect();
    let rows = routes(&results);
    assert_eq!(rows.len(), 25);
    let (shown, more) = top(&rows, TOP_ROWS);
    assert_eq!((shown.len(), more), (20, 5));
    assert_eq!(shown[0], row(RouteKind::Redirect, "a24@example.org", 25));
    assert_eq!(shown[19], row(RouteKind::Redirect, "a05@example.org", 6));
    assert_eq!(top(&rows[..3], TOP_ROWS), (&rows[..3], 0));

    let mut out = Vec::new();
    render_human_view(
        "f.sieve",
        "",
        &results,
        HumanView { messages: false },
        &mut out,
    )
    .expect("rendering to memory");
    let text = String::from_utf8(out).expect("UTF-8");
    assert!(text.contains("redirect a24@example.org"), "{text}");
    assert!(!text.contains("a04@example.org"), "{text}");
    assert!(text.contains("… 5 more destinations"), "{text}");
    // Each message reaches one row here: no note about sums.
    assert!(!text.contains("rows add up"), "{text}");
    // The JSON summary has every row.
    let mut json = Vec::new();
    render_json("f.sieve", "", &results, &mut json).expect("rendering to memory");
    let doc: serde_json::Value = serde_json::from_slice(&json).expect("JSON");
    let json_rows = doc["summary"]["routes"].as_array().expect("routes array");
    assert_eq!(json_rows.len(), 25);
    assert_eq!(
        json_rows[0],
        serde_json::json!({"destination": "a24@example.org", "kind": "redirect", "messages": 25})
    );
}

#[test]
fn bars_are_eighths_of_a_cell_scaled_to_the_largest_row() {
    assert_eq!(bar(0, 10, BAR_CELLS), "");
    assert_eq!(bar(0, 0, BAR_CELLS), "");
    // The largest row is the full width.
    assert_eq!(bar(10, 10, BAR_CELLS), "█".repeat(BAR_CELLS));
    assert_eq!(bar(1, 1, 4), "████");
    // 1 of 8×cells is exactly one eighth; 1 of a million still shows.
    assert_eq!(bar(1, 8 * BAR_CELLS, BAR_CELLS), "▏");
    assert_eq!(bar(1, 1_000_000, BAR_CELLS), "▏");
    assert_eq!(bar(5, 10, 4), "██");
    assert_eq!(bar(3, 8, 1), "▍");
    assert_eq!(bar(7, 8, 2), "█▊");
    // Never wider than the cells, even for a count above the maximum.
    assert_eq!(bar(11, 10, 4), "████");
    for n in 0..=97 {
        let b = bar(n, 97, BAR_CELLS);
        assert!(b.chars().count() <= BAR_CELLS, "{n}: {b}");
    }
}

#[test]
fn the_summary_fits_80_columns_and_notes_rows_that_add_up_to_more() {
    let long = "Archive/".repeat(10);
    let mut results = sample();
    results.extend((0..1000).map(|i| message(&format!("m{i}"), vec![fileinto(&long)], false)));
    let mut out = Vec::new();
    render_human_view("f.sieve", "", &results, HumanView::default(), &mut out)
        .expect("rendering to memory");
    let text = String::from_utf8(out).expect("UTF-8");
    let summary = &text[text
        .find("1007 messages, 1 with run-time errors")
        .expect(&text)..];
    for line in summary.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line:?}");
    }
    let lines: Vec<&str> = summary.lines().collect();
    assert!(lines[1].contains("destination") && lines[1].contains("messages"));
    // The long folder is cut with "…", has the full bar and 99.3%.
    assert!(lines[2].starts_with("  Archive/Archive/"), "{summary}");
    assert!(lines[2].contains('…') && lines[2].contains("1000") && lines[2].contains("99.3%"));
    assert!(lines[2].ends_with(&"█".repeat(BAR_CELLS)), "{summary}");
    assert!(lines[3].starts_with("  INBOX (keep) ") && lines[3].contains("0.3%"));
    assert!(
        summary.contains("rows add up to more than 1007"),
        "{summary}"
    );
    assert!(summary.contains("other actions: addheader 1"), "{summary}");
    // The listing came first.
    assert!(text.starts_with("1\n  fileinto \"A\""), "{text}");
}

#[test]
fn quiet_view_is_the_summary_alone_even_for_one_message() {
    let results = vec![message("only.eml", vec![fileinto("A")], false)];
    let mut out = Vec::new();
    render_human_view(
        "f.sieve",
        "",
        &results,
        HumanView { messages: false },
        &mut out,
    )
    .expect("rendering to memory");
    let text = String::from_utf8(out).expect("UTF-8");
    assert!(!text.contains("only.eml"), "{text}");
    assert!(
        text.starts_with("1 messages, 0 with run-time errors\n"),
        "{text}"
    );
    assert!(text.contains("  A  ") && text.contains("100.0%"), "{text}");
}

fn mails(n: usize) -> Vec<Mail> {
    (0..n)
        .map(|i| {
            let raw = format!(
                "From: s{i}@example.org\r\nSubject: n{}\r\nMessage-ID: <{i}@example.org>\r\n\r\nhi\r\n",
                i % 3
            );
            Mail::parse(format!("{i:04}.eml"), raw.into_bytes())
        })
        .collect()
}

fn run_counted(source: &str, n: usize) -> (Vec<MessageResult>, usize, usize) {
    let parsed = sieve_lint::syntax::parse(source);
    let finished = AtomicUsize::new(0);
    let calls = AtomicUsize::new(0);
    let tell = |k: usize| {
        finished.fetch_add(k, Ordering::Relaxed);
        calls.fetch_add(1, Ordering::Relaxed);
    };
    let results = run_all_progress(
        &parsed.script,
        source,
        &mails(n),
        &RunOptions::default(),
        Some(&tell),
    );
    (
        results,
        finished.load(Ordering::Relaxed),
        calls.load(Ordering::Relaxed),
    )
}

#[test]
fn progress_is_told_of_every_message_and_results_stay_in_order() {
    let parallel =
        "require \"fileinto\";\nif header :is \"subject\" \"n1\" { fileinto \"One\"; }\n";
    // duplicate carries state across messages: the sequential path.
    let stateful = "require \"duplicate\";\nif duplicate :uniqueid \"x\" { discard; }\n";
    for source in [parallel, stateful] {
        let (results, finished, calls) = run_counted(source, 500);
        assert_eq!((finished, calls), (500, 500), "{source}");
        let paths: Vec<String> = results.iter().map(|r| r.path.clone()).collect();
        let expected: Vec<String> = (0..500).map(|i| format!("{i:04}.eml")).collect();
        assert_eq!(paths, expected, "{source}");
    }
    let (results, _, _) = run_counted(parallel, 500);
    let rows = routes(&results);
    assert_eq!(
        rows,
        vec![
            row(RouteKind::Keep, "INBOX", 333),
            row(RouteKind::Fileinto, "One", 167),
        ]
    );
}

/// A folder of `n` messages under the test's temporary folder.
fn mail_folder(name: &str, n: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp folder");
    for i in 0..n {
        let text = format!(
            "From: s{i}@example.org\r\nTo: me@example.org\r\nSubject: {}\r\n\r\nhello\r\n",
            ["news", "work", "other"][i % 3]
        );
        std::fs::write(dir.join(format!("{i:04}.eml")), text).expect("write a message");
    }
    std::fs::write(
        dir.join("filter.siv"),
        "require \"fileinto\";\nif header :is \"subject\" \"news\" { fileinto \"News\"; }\n\
         elsif header :is \"subject\" \"work\" { fileinto \"Work\"; }\n",
    )
    .expect("write the script");
    dir
}

const BAR_CHARS: &[char] = &['█', '▉', '▊', '▋', '▌', '▍', '▎', '▏', '\u{1b}', '\r'];

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let dir = mail_folder("run-summary-no-bar", 300);
    let out = cargo_bin_cmd!("sieve-lint")
        .current_dir(&dir)
        .args(["run", "filter.siv", "."])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains(BAR_CHARS),
        "a progress bar on a pipe: {stderr:?}"
    );
    assert!(stderr.is_empty(), "{stderr:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("0000.eml — \"news\""), "{stdout}");
    assert!(stdout.contains("300 messages, 0 with run-time errors"));
    for row in ["  INBOX (keep) ", "  News ", "  Work "] {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(row))
            .unwrap_or_else(|| panic!("no row {row:?} in {stdout}"));
        assert!(line.contains(" 100 ") && line.contains("33.3%"), "{line}");
        assert!(line.ends_with(&"█".repeat(BAR_CELLS)), "{line}");
    }
}

#[test]
fn quiet_prints_the_summary_only() {
    let dir = mail_folder("run-summary-quiet", 30);
    for flag in ["--quiet", "-q"] {
        let out = cargo_bin_cmd!("sieve-lint")
            .current_dir(&dir)
            .args(["run", flag, "filter.siv", "."])
            .assert()
            .code(0)
            .get_output()
            .clone();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.stderr.is_empty(), "{:?}", out.stderr);
        assert!(
            stdout.starts_with("30 messages, 0 with run-time errors\n"),
            "{stdout}"
        );
        assert!(!stdout.contains(".eml"), "{stdout}");
        assert_eq!(stdout.lines().count(), 5, "{stdout}");
    }
    // JSON is unchanged by --quiet.
    let json = cargo_bin_cmd!("sieve-lint")
        .current_dir(&dir)
        .args(["run", "-q", "--format", "json", "filter.siv", "."])
        .assert()
        .code(0)
        .get_output()
        .clone();
    assert!(json.stderr.is_empty());
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(doc["messages"].as_array().map(Vec::len), Some(30));
    assert_eq!(doc["summary"]["routes"].as_array().map(Vec::len), Some(3));
}
