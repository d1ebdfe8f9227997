//! One test per fixture file under `fixtures/` (datatest-stable), each
//! snapshotted beside the fixture (insta):
//!
//! * `fixtures/rules/<rule-name>/pass-*.sieve` must produce no diagnostic;
//! * `fixtures/rules/<rule-name>/fail-*.sieve` must produce at least one
//!   diagnostic of `<rule-name>`;
//! * anywhere else, `pass-*.sieve` must produce no diagnostic too, and
//!   every other `.sieve` file is snapshotted only.
//!
//! The snapshot holds the `short` and the `human` rendering, so a change in
//! any message, span or help text shows up as a reviewed diff.

use sieve_lint::report::{Format, HumanOptions, Summary, render};
use sieve_lint::{CheckOptions, lint_bytes};
use std::path::Path;

fn render_all(report: &sieve_lint::FileReport) -> String {
    let reports = std::slice::from_ref(report);
    let summary = Summary::of(reports);
    let mut short = Vec::new();
    render(
        Format::Short,
        reports,
        &summary,
        &HumanOptions::plain(),
        &mut short,
    )
    .expect("render short");
    let mut human = Vec::new();
    render(
        Format::Human,
        reports,
        &summary,
        &HumanOptions::plain(),
        &mut human,
    )
    .expect("render human");
    format!(
        "{}\n---\n{}",
        String::from_utf8_lossy(&short),
        String::from_utf8_lossy(&human)
    )
}

fn check_fixture(path: &Path) -> datatest_stable::Result<()> {
    // Dry-run cases have their own harness (tests/run_cases.rs).
    if path.components().any(|c| c.as_os_str() == "run") {
        return Ok(());
    }
    let bytes = std::fs::read(path)?;
    let name = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    // A sieve-lint.toml beside the fixtures sets their options (a target,
    // limits, rule levels), as it would for a user.
    let settings = path.with_file_name(sieve_lint::config::FILE_NAME);
    let options = if settings.is_file() {
        sieve_lint::config::Config::load(&settings)
            .map_err(|e| e.to_string())?
            .check_options(None)
    } else {
        CheckOptions::default()
    };
    let report = lint_bytes(&name, &bytes, &options);

    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or("fixture without a name")?;
    let rule_dir = path
        .parent()
        .filter(|p| p.parent().and_then(|g| g.file_name()) == Some("rules".as_ref()))
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str());
    // Anywhere under fixtures/: a pass-* script must lint clean.
    if rule_dir.is_none() && stem.starts_with("pass") && !report.diagnostics.is_empty() {
        return Err(format!(
            "{name}: a pass fixture must be clean, got:\n{}",
            render_all(&report)
        )
        .into());
    }
    if let Some(rule) = rule_dir {
        if stem.starts_with("pass") {
            if !report.diagnostics.is_empty() {
                return Err(format!(
                    "{name}: a pass fixture must be clean, got:\n{}",
                    render_all(&report)
                )
                .into());
            }
        } else if stem.starts_with("fail") {
            if !report.diagnostics.iter().any(|d| d.name == rule) {
                return Err(format!(
                    "{name}: a fail fixture must trigger `{rule}`, got:\n{}",
                    render_all(&report)
                )
                .into());
            }
        } else {
            return Err(format!("{name}: fixture names start with pass- or fail-").into());
        }
    }

    let mut settings = insta::Settings::clone_current();
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path.parent().ok_or("no parent")?);
    settings.set_snapshot_path(dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_input_file(path);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(stem.to_owned(), render_all(&report)));
    Ok(())
}

datatest_stable::harness! {
    { test = check_fixture, root = "fixtures", pattern = r"\.(sieve|siv)$" },
}
