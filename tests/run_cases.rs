//! Dry-run cases as data: each folder of `fixtures/run/` holds a
//! `script.sieve`, the messages (`*.eml`, run in name order), optionally
//! `lists.json` / `lists.csv` (loaded as with `--lists`) and `options.txt`
//! (one `name=value` per line: envelope-from, envelope-to, env, mailbox,
//! spam-score, virus-score, list=NAME=FILE, max-actions, max-redirects,
//! max-list-redirects, max-steps, include-dir (repeatable), target,
//! program-result=NAME=true|false, program-output=NAME=TEXT). The JSON report of the run (with the
//! trace) is snapshotted beside the case as `run.snap`.

use sieve_lint::run::{Limits, RunOptions, message::Mail, run_all};
use std::path::Path;

fn options(dir: &Path) -> Result<RunOptions, String> {
    let mut o = RunOptions {
        trace: true,
        script_dir: Some(dir.to_path_buf()),
        script_path: Some(dir.join("script.sieve")),
        limits: Limits::default(),
        ..RunOptions::default()
    };
    for f in ["lists.json", "lists.csv"] {
        let p = dir.join(f);
        if p.exists() {
            o.lists.load_map_file(&p).map_err(|e| e.to_string())?;
        }
    }
    if let Ok(text) = std::fs::read_to_string(dir.join("options.txt")) {
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let (k, v) = line
                .split_once('=')
                .ok_or(format!("bad option line: {line}"))?;
            let num = |v: &str| v.parse::<u64>().map_err(|e| format!("{k}: {e}"));
            match k {
                "envelope-from" => o.envelope_from = Some(v.into()),
                "envelope-to" => o.envelope_to.push(v.into()),
                "env" => {
                    let (n, val) = v.split_once('=').ok_or("env=NAME=VALUE")?;
                    o.env.push((n.into(), val.into()));
                }
                "mailbox" => o.mailboxes.push(v.into()),
                "spam-score" => o.spam_score = Some(v.into()),
                "virus-score" => o.virus_score = Some(v.into()),
                "list" => {
                    // list=NAME=FILE, the file relative to the case folder.
                    let (n, f) = v.rsplit_once('=').ok_or("list=NAME=FILE")?;
                    o.lists
                        .load_one(n, &dir.join(f))
                        .map_err(|e| e.to_string())?;
                }
                "max-actions" => o.limits.max_actions = num(v)? as usize,
                "max-redirects" => o.limits.max_redirects = num(v)? as usize,
                "max-list-redirects" => o.limits.max_list_redirects = num(v)? as usize,
                "max-steps" => o.limits.max_steps = num(v)?,
                "include-dir" => o.global_dirs.push(dir.join(v)),
                "target" => {
                    o.check.target =
                        Some(sieve_lint::profiles::find(v).ok_or(format!("unknown target {v}"))?)
                }
                "program-result" => {
                    let (n, r) = v.rsplit_once('=').ok_or("program-result=NAME=BOOL")?;
                    o.program_results
                        .push((n.into(), r.parse().map_err(|e| format!("{k}: {e}"))?));
                }
                "program-output" => {
                    let (n, t) = v.split_once('=').ok_or("program-output=NAME=TEXT")?;
                    o.program_outputs.push((n.into(), t.into()));
                }
                "max-include-depth" => o.limits.max_include_depth = num(v)? as usize,
                other => return Err(format!("unknown option {other}")),
            }
        }
    }
    Ok(o)
}

fn run_case(path: &Path) -> datatest_stable::Result<()> {
    let dir = path.parent().ok_or("no folder")?;
    let source = std::fs::read_to_string(path)?;
    let opts = options(dir)?;
    // Checked as `run` checks it: with the case's target.
    let report = sieve_lint::lint("script.sieve", &source, &opts.check);
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == sieve_lint::diagnostic::Severity::Error)
        .collect();
    if !errors.is_empty() {
        return Err(format!(
            "{}: the case's script has lint errors: {errors:#?}",
            dir.display()
        )
        .into());
    }
    let mut names: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(format!("{}: no .eml messages", dir.display()).into());
    }
    let mails: Vec<Mail> = names
        .iter()
        .map(|p| {
            let raw = std::fs::read(p).unwrap_or_default();
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Mail::parse(name, raw)
        })
        .collect();
    let parsed = sieve_lint::syntax::parse(&source);
    let results = run_all(&parsed.script, &source, &mails, &opts);
    let mut out = Vec::new();
    sieve_lint::report::run::render_json("script.sieve", &source, &results, &mut out)?;
    let mut human = Vec::new();
    sieve_lint::report::run::render_human("script.sieve", &source, &results, &mut human)?;
    let text = format!(
        "{}\n---\n{}",
        String::from_utf8_lossy(&human),
        String::from_utf8_lossy(&out)
    );

    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_input_file(path);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("run", text));
    Ok(())
}

datatest_stable::harness! {
    { test = run_case, root = "fixtures/run", pattern = r"script\.sieve$" },
}
