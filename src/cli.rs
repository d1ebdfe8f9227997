//! Command-line arguments, output format and exit codes. Everything else is
//! in the library.

use clap::{Args, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use sieve_lint::report::{self, Format, HumanOptions, Summary};
use sieve_lint::rules::RULES;
use sieve_lint::{CheckOptions, FileReport};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "sieve-lint",
    version,
    about = "Lint and dry-run Sieve mail filters (RFC 5228)"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Lint scripts; folders are searched for *.sieve and *.siv, "-" reads stdin.
    Check(CheckArgs),
    /// Dry run: evaluate SCRIPT on messages and report the actions it would
    /// take. MAIL is an .eml file, a folder of them, a Maildir, an mbox
    /// file, or "-" for one message on standard input. Never sends, writes,
    /// moves or deletes mail.
    Run(Box<RunArgs>),
    /// List every rule: code, name, default severity, summary.
    Rules,
    /// Print a rule's documentation.
    Explain {
        /// A rule code (SL0203) or name (missing-require).
        rule: String,
    },
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Files or folders to lint; "-" reads standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,
    /// The file name to show for standard input.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
    /// Exit 1 on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// List file: JSON ({"name": ["member", …]}) or CSV (list,member
    /// columns); list names not among the supplied lists are reported.
    #[arg(long = "lists", value_name = "FILE")]
    lists: Vec<PathBuf>,
    /// One list from a file: NAME=FILE (.csv, .json array or .txt).
    #[arg(long = "list", value_name = "NAME=FILE")]
    list: Vec<String>,
    /// URI schemes the target server supports for list names
    /// (comma-separated, e.g. urn,tag: its ManageSieve EXTLISTS capability).
    #[arg(long = "list-schemes", value_name = "SCHEMES", value_parser = parse_schemes)]
    list_schemes: Option<Schemes>,
}

/// The parsed `--date` value.
#[derive(Debug, Clone, Copy)]
struct Now((i64, i32));

fn parse_date_arg(s: &str) -> Result<Now, String> {
    sieve_lint::run::date::parse_now(s)
        .map(Now)
        .ok_or_else(|| "expected RFC 3339 (2026-12-25T09:00:00Z) or YYYY-MM-DD".into())
}

/// The parsed `--list-schemes` value.
#[derive(Debug, Clone)]
struct Schemes(Vec<String>);

#[derive(Args, Debug)]
struct RunArgs {
    /// The Sieve script.
    script: PathBuf,
    /// Messages: .eml files, folders, Maildirs, mbox files, or "-".
    #[arg(required = true)]
    mail: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RunFormatArg::Human)]
    format: RunFormatArg,
    /// Show every test evaluated: values, keys, result, list lookups.
    #[arg(long)]
    trace: bool,
    /// Expected actions per message (JSON: {"message": [actions]}); a
    /// MESSAGE.expected file beside a message works too. Mismatches are
    /// shown as a diff and exit 1.
    #[arg(long, value_name = "FILE")]
    expect: Option<PathBuf>,
    /// Envelope sender (default: the message's Return-Path).
    #[arg(long, value_name = "ADDRESS")]
    envelope_from: Option<String>,
    /// Envelope recipient, repeatable (default: Delivered-To, else To).
    #[arg(long, value_name = "ADDRESS")]
    envelope_to: Vec<String>,
    /// Environment item for the environment extension: NAME=VALUE.
    #[arg(long = "env", value_name = "NAME=VALUE")]
    env: Vec<String>,
    /// A mailbox that exists (for mailboxexists), repeatable.
    #[arg(long = "mailbox", value_name = "NAME")]
    mailboxes: Vec<String>,
    /// "Now" for currentdate: RFC 3339 (2026-12-25T09:00:00Z) or a plain
    /// date (midnight UTC). Default: the system clock.
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    date: Option<Now>,
    /// The spam score spamtest sees.
    #[arg(long, value_name = "SCORE")]
    spam_score: Option<String>,
    /// The virus score virustest sees.
    #[arg(long, value_name = "SCORE")]
    virus_score: Option<String>,
    /// List file (JSON or CSV), repeatable.
    #[arg(long = "lists", value_name = "FILE")]
    lists: Vec<PathBuf>,
    /// One list: NAME=FILE, repeatable.
    #[arg(long = "list", value_name = "NAME=FILE")]
    list: Vec<String>,
    /// Actions per message before a run-time error.
    #[arg(long, default_value_t = 32)]
    max_actions: usize,
    /// Redirects per message before a run-time error.
    #[arg(long, default_value_t = 4)]
    max_redirects: usize,
    /// Members `redirect :list` may expand to.
    #[arg(long, default_value_t = 100)]
    max_list_redirects: usize,
    /// Work per message (commands, tests, matching) before a run-time error.
    #[arg(long, default_value_t = 10_000_000)]
    max_steps: u64,
    /// Where `include :global` finds scripts (`include :personal` looks
    /// beside SCRIPT).
    #[arg(long, value_name = "DIR")]
    include_dir: Option<PathBuf>,
    /// Scripts including scripts deeper than this is a run-time error.
    #[arg(long, default_value_t = 10)]
    max_include_depth: usize,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum RunFormatArg {
    Human,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum FormatArg {
    Human,
    Short,
    Json,
    Sarif,
    Github,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Short => Format::Short,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Github => Format::Github,
        }
    }
}

/// `urn,tag` or `urn tag` (the EXTLISTS capability is space-separated).
fn parse_schemes(s: &str) -> Result<Schemes, String> {
    let schemes: Vec<String> = s
        .split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| x.trim_end_matches(':').to_ascii_lowercase())
        .collect();
    if schemes.is_empty() {
        return Err("give at least one URI scheme, e.g. urn,tag".into());
    }
    if let Some(bad) = schemes.iter().find(|x| {
        !x.starts_with(|c: char| c.is_ascii_alphabetic())
            || !x
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    }) {
        return Err(format!("'{bad}' is not a URI scheme"));
    }
    Ok(Schemes(schemes))
}

/// 0: clean; 1: findings; 2: the tool could not do its job.
const EXIT_FINDINGS: u8 = 1;
const EXIT_TROUBLE: u8 = 2;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(args),
        Command::Run(args) => run(*args),
        Command::Rules => rules(),
        Command::Explain { rule } => explain(&rule),
    }
}

fn load_lists(files: &[PathBuf], specs: &[String]) -> Result<sieve_lint::lists::ListSet, String> {
    let mut set = sieve_lint::lists::ListSet::default();
    files
        .iter()
        .try_for_each(|f| set.load_map_file(f))
        .and_then(|()| specs.iter().try_for_each(|s| set.load_one_spec(s)))
        .map_err(|e| e.to_string())?;
    Ok(set)
}

fn run(args: RunArgs) -> ExitCode {
    use sieve_lint::run::{Limits, RunOptions};
    let script_name = args.script.display().to_string();
    let bytes = match std::fs::read(&args.script) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("sieve-lint: error: cannot read '{script_name}': {e}");
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let lists = match load_lists(&args.lists, &args.list) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("sieve-lint: error: {e}");
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let mut env = Vec::new();
    for e in &args.env {
        match e.split_once('=') {
            Some((k, v)) if !k.is_empty() => env.push((k.to_owned(), v.to_owned())),
            _ => {
                eprintln!("sieve-lint: error: --env takes NAME=VALUE, got '{e}'");
                return ExitCode::from(EXIT_TROUBLE);
            }
        }
    }
    // Lint first: a script with errors does not run.
    let options = CheckOptions {
        list_schemes: None,
        lists: None,
    };
    let (report, script) = sieve_lint::lint_and_parse(&script_name, &bytes, &options);
    if report.count(sieve_lint::diagnostic::Severity::Error) > 0 {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let mut out = std::io::stdout().lock();
        let summary = Summary::of(std::slice::from_ref(&report));
        let _ = report::render(
            Format::Human,
            std::slice::from_ref(&report),
            &summary,
            &HumanOptions { color, width: None },
            &mut out,
        );
        eprintln!("sieve-lint: the script has errors: fix them before a dry run");
        return ExitCode::from(EXIT_FINDINGS);
    }
    let mails = match sieve_lint::run::message::load(&args.mail) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("sieve-lint: error: {e}");
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let opts = RunOptions {
        envelope_from: args.envelope_from,
        envelope_to: args.envelope_to,
        env,
        mailboxes: args.mailboxes,
        spam_score: args.spam_score,
        virus_score: args.virus_score,
        lists,
        script_dir: Some(
            args.script
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), PathBuf::from),
        ),
        global_dir: args.include_dir,
        now: args.date.map(|n| n.0),
        trace: args.trace,
        limits: Limits {
            max_actions: args.max_actions,
            max_redirects: args.max_redirects,
            max_list_redirects: args.max_list_redirects,
            max_steps: args.max_steps,
            max_include_depth: args.max_include_depth,
        },
    };
    let results = sieve_lint::run::run_all(&script, &report.source, &mails, &opts);
    let expectations = match args
        .expect
        .as_deref()
        .map(sieve_lint::run::expect::Expectations::load)
    {
        None => sieve_lint::run::expect::Expectations::default(),
        Some(Ok(e)) => e,
        Some(Err(e)) => {
            eprintln!("sieve-lint: error: {e}");
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let mut mismatches = Vec::new();
    let mut checked = 0usize;
    for r in &results {
        match expectations.for_message(&r.path) {
            Ok(Some(expected)) => {
                checked += 1;
                if let Some(diff) = sieve_lint::run::expect::compare(&expected, r) {
                    mismatches.push((r.path.clone(), diff));
                }
            }
            Ok(None) => {}
            Err(e) => {
                eprintln!("sieve-lint: error: {e}");
                return ExitCode::from(EXIT_TROUBLE);
            }
        }
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match args.format {
        RunFormatArg::Human => {
            sieve_lint::report::run::render_human(&script_name, &report.source, &results, &mut out)
        }
        RunFormatArg::Json => {
            sieve_lint::report::run::render_json(&script_name, &report.source, &results, &mut out)
        }
    };
    if let Err(e) = written.and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("sieve-lint: cannot write the report: {e}");
        return ExitCode::from(EXIT_TROUBLE);
    }
    if checked > 0 {
        let mut err = std::io::stderr().lock();
        for (path, diff) in &mismatches {
            let _ = writeln!(
                err,
                "expectation mismatch for {path} (- expected, + actual):\n{diff}"
            );
        }
        let _ = writeln!(
            err,
            "{} of {checked} expectations met",
            checked - mismatches.len()
        );
    }
    if !mismatches.is_empty() || results.iter().any(|r| !r.errors.is_empty()) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

fn rules() -> ExitCode {
    let mut out = std::io::stdout().lock();
    let mut rules: Vec<_> = RULES.iter().map(|r| r.info()).collect();
    rules.sort_by_key(|i| i.code);
    for i in rules {
        let _ = writeln!(
            out,
            "{}  {:<24} {:<8} {}",
            i.code, i.name, i.severity, i.summary
        );
    }
    ExitCode::SUCCESS
}

fn explain(key: &str) -> ExitCode {
    match sieve_lint::rules::find(key) {
        Some(rule) => {
            let i = rule.info();
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{} {} ({} by default)\n", i.code, i.name, i.severity);
            let _ = writeln!(out, "{}", i.doc_text());
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("sieve-lint: no rule named '{key}'; `sieve-lint rules` lists them");
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}

/// One input: a path or standard input.
enum Input {
    Stdin(String),
    File(PathBuf),
}

fn is_script(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("sieve" | "siv")
    )
}

/// Expands folders (sorted, recursively; symbolic links to folders are not
/// followed). Returns the inputs and the problems met.
fn collect(paths: &[PathBuf], stdin_name: &str) -> (Vec<Input>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin(stdin_name.to_owned()));
        } else if p.is_dir() {
            let before = inputs.len();
            walk(p, &mut inputs, &mut problems);
            if inputs.len() == before {
                eprintln!(
                    "sieve-lint: note: no *.sieve or *.siv files in '{}'",
                    p.display()
                );
            }
        } else {
            inputs.push(Input::File(p.clone()));
        }
    }
    (inputs, problems)
}

fn walk(dir: &Path, inputs: &mut Vec<Input>, problems: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(format!("cannot read folder '{}': {e}", dir.display()));
            return;
        }
    };
    let mut paths: Vec<(PathBuf, bool)> = entries
        .filter_map(Result::ok)
        .map(|e| {
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            (e.path(), is_dir)
        })
        .collect();
    paths.sort();
    for (path, is_dir) in paths {
        if is_dir {
            walk(&path, inputs, problems);
        } else if is_script(&path) {
            inputs.push(Input::File(path));
        }
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let stdin_name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| "<stdin>".into());
    let (inputs, mut problems) = collect(&args.paths, &stdin_name);
    let mut options = CheckOptions {
        list_schemes: args.list_schemes.clone().map(|s| s.0),
        lists: None,
    };
    if !args.lists.is_empty() || !args.list.is_empty() {
        let mut set = sieve_lint::lists::ListSet::default();
        let loaded = args
            .lists
            .iter()
            .try_for_each(|f| set.load_map_file(f))
            .and_then(|()| args.list.iter().try_for_each(|s| set.load_one_spec(s)));
        if let Err(e) = loaded {
            eprintln!("sieve-lint: error: {e}");
            return ExitCode::from(EXIT_TROUBLE);
        }
        options.lists = Some(set);
    }

    let mut stdin_bytes: Option<Vec<u8>> = None;
    if inputs.iter().any(|i| matches!(i, Input::Stdin(_))) {
        let mut buf = Vec::new();
        match std::io::stdin().lock().read_to_end(&mut buf) {
            Ok(_) => stdin_bytes = Some(buf),
            Err(e) => problems.push(format!("cannot read standard input: {e}")),
        }
    }

    let lint_one = |input: &Input| match input {
        Input::Stdin(name) => stdin_bytes
            .as_deref()
            .map(|b| sieve_lint::lint_bytes(name, b, &options))
            .ok_or_else(|| "standard input could not be read".to_owned()),
        Input::File(path) => std::fs::read(path)
            .map(|b| sieve_lint::lint_owned(&path.display().to_string(), b, &options))
            .map_err(|e| format!("cannot read '{}': {e}", path.display())),
    };
    // One file: no thread pool to start (the parser and checker still
    // spread a large script over the cores).
    let results: Vec<Result<FileReport, String>> = if inputs.len() == 1 {
        inputs.iter().map(lint_one).collect()
    } else {
        inputs.par_iter().map(lint_one).collect()
    };
    let mut reports = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(rep) => reports.push(rep),
            Err(e) => problems.push(e),
        }
    }

    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let human = HumanOptions { color, width: None };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut summary = Summary::of(&reports);
    summary.unreadable = problems.len();
    if let Err(e) = report::render(args.format.into(), &reports, &summary, &human, &mut out)
        .and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("sieve-lint: cannot write the report: {e}");
        return ExitCode::from(EXIT_TROUBLE);
    }
    // The process ends here: freeing every tree node one by one would only
    // cost time.
    std::mem::forget(reports);
    for p in &problems {
        eprintln!("sieve-lint: error: {p}");
    }
    if !problems.is_empty() {
        return ExitCode::from(EXIT_TROUBLE);
    }
    if summary.errors > 0 || (args.deny_warnings && summary.warnings > 0) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}
