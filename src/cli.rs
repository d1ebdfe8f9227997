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

/// The parsed `--list-schemes` value.
#[derive(Debug, Clone)]
struct Schemes(Vec<String>);

#[derive(ValueEnum, Clone, Copy, Debug)]
enum FormatArg {
    Human,
    Short,
    Json,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Short => Format::Short,
            FormatArg::Json => Format::Json,
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
        Command::Rules => rules(),
        Command::Explain { rule } => explain(&rule),
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
