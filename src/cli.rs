//! Command-line arguments, output format and exit codes. Everything else is
//! in the library.

mod man;
mod pages;
mod progress;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;
use sieve_lint::config::{Config, LimitSettings};
use sieve_lint::profiles::Profile;
use sieve_lint::profiles::live::{self, ServerProfile};
use sieve_lint::report::{self, Format, HumanOptions, Summary};
use sieve_lint::rules::RULES;
use sieve_lint::{CheckOptions, FileReport};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Set when standard error could not be written: the run then exits 2,
/// since something it had to say was lost.
static STDERR_FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `eprintln!` that never panics (the standard one does when standard
/// error is closed or full): a failed write is remembered and makes the
/// exit code 2.
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        if writeln!(std::io::stderr(), $($arg)*).is_err() {
            STDERR_FAILED.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }};
}

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
    Check(Box<CheckArgs>),
    /// Dry run: evaluate SCRIPT on messages and report the actions it would
    /// take. MAIL is an .eml file, a folder of them, a Maildir, an mbox
    /// file, or "-" for one message on standard input. Never sends, writes,
    /// moves or deletes mail.
    Run(Box<RunArgs>),
    /// List every rule: code, name, default severity, whether `--fix`
    /// fixes it, summary.
    Rules {
        /// Output format: a table or a JSON array.
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
    },
    /// Print a rule's documentation.
    Explain {
        /// A rule code (SL0203) or name (missing-require).
        rule: String,
    },
    /// List the server profiles `--target` takes; with --server, print the
    /// one read from that server.
    Targets(TargetsArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `sieve-lint man > sieve-lint.1`.
    Man,
    /// Language server (LSP) over standard input and output.
    Lsp,
}

/// Where settings come from: sieve-lint.toml and the target server.
#[derive(Args, Debug, Clone)]
struct SettingsArgs {
    /// Settings file for every input (default: for each file, the nearest
    /// sieve-lint.toml in its folder or above; for standard input, above
    /// --stdin-filename's folder or the current one; for `run`, above the
    /// script's folder).
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Ignore sieve-lint.toml files.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// The server the scripts are for: rfc (default), dovecot-2.3,
    /// dovecot-2.4, cyrus-3, stalwart (`sieve-lint targets`), or a profile
    /// FILE saved with --save-profile.
    #[arg(long, value_name = "SERVER|FILE", value_parser = TargetParser)]
    target: Option<String>,
    /// Read the target from a ManageSieve server (RFC 5804):
    /// sieve://[user@]host[:port]. Logs in over STARTTLS; the password
    /// comes from SIEVE_PASSWORD, ~/.netrc or a prompt. Sends only
    /// CAPABILITY (and CHECKSCRIPT with --server-check); never changes
    /// anything on the server.
    #[arg(long, value_name = "URL", conflicts_with = "target")]
    server: Option<String>,
    /// Talk to the server without TLS: only for a loopback address
    /// (tests).
    #[arg(long)]
    server_insecure: bool,
    /// Seconds to wait for the connection and for each answer.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    server_timeout: u64,
    /// Save the profile read from --server as a TOML file, for
    /// `--target FILE` where the server cannot be reached (CI).
    #[arg(long, value_name = "FILE", requires = "server")]
    save_profile: Option<PathBuf>,
    /// The profile read from --server or a --target FILE.
    #[arg(skip)]
    resolved: Option<&'static ServerProfile>,
}

/// `--target`'s parser: a profile id or a profile file; completions offer
/// the ids.
#[derive(Clone)]
struct TargetParser;

impl clap::builder::TypedValueParser for TargetParser {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        let s = value.to_string_lossy();
        parse_target(&s).map_err(|m| {
            let name = arg.map_or("--target".to_string(), |a| a.to_string());
            clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!(
                    "invalid value '{s}' for '{name}': {m}\n\nFor more information, try '--help'.\n"
                ),
            )
            .with_cmd(cmd)
        })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            sieve_lint::profiles::PROFILES
                .iter()
                .map(|p| clap::builder::PossibleValue::new(p.id)),
        ))
    }
}

/// `--target`: a profile id (any case), or a path to a profile file.
fn parse_target(s: &str) -> Result<String, String> {
    if sieve_lint::profiles::find(s).is_some() || s.contains(['/', '\\']) || s.ends_with(".toml") {
        Ok(s.to_string())
    } else {
        Err(format!(
            "unknown target '{s}'; expected one of {}, or a profile file (a path)",
            sieve_lint::profiles::ids()
        ))
    }
}

impl SettingsArgs {
    /// The profile `--target` or `--server` names.
    fn target(&self) -> Option<&'static Profile> {
        self.resolved
            .map(|r| r.profile)
            .or_else(|| self.target.as_deref().and_then(sieve_lint::profiles::find))
    }

    /// How to reach servers.
    fn connect(&self) -> live::Connect {
        live::Connect {
            options: sieve_lint::managesieve::Options {
                timeout: std::time::Duration::from_secs(self.server_timeout.max(1)),
                insecure: self.server_insecure,
                roots: None,
            },
            prompt: true,
        }
    }

    /// Reads `--server` (logging in once) or a `--target FILE`, and saves
    /// `--save-profile`.
    fn resolve(&mut self) -> Result<(), String> {
        if let Some(url) = &self.server {
            self.resolved = Some(live::cached(url, &self.connect())?);
        } else if let Some(t) = &self.target
            && sieve_lint::profiles::find(t).is_none()
        {
            self.resolved = Some(live::cached_file(Path::new(t))?);
        }
        if let (Some(path), Some(sp)) = (&self.save_profile, self.resolved) {
            std::fs::write(path, sieve_lint::profiles::file::to_toml(sp))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        Ok(())
    }

    /// Applies the resolved profile (its EXTLISTS names), or the settings
    /// file's `server`, to check options.
    fn apply(&self, config: &Config, options: &mut CheckOptions) -> Result<(), String> {
        if let Some(sp) = self.resolved {
            sp.apply(options);
        } else if self.target.is_none()
            && let Some(url) = &config.server
        {
            live::cached(url, &self.connect())?.apply(options);
        }
        Ok(())
    }

    /// The server `--server-check` asks for files under `config`.
    fn server_for(&self, config: &Config) -> Option<String> {
        self.server.clone().or_else(|| {
            if self.target.is_none() {
                config.server.clone()
            } else {
                None
            }
        })
    }
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Files or folders to lint; "-" reads standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Colour the output: auto (on a terminal, unless NO_COLOR is set;
    /// CLICOLOR_FORCE or FORCE_COLOR force it), always, never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto)]
    color: ColorArg,
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
    /// One list from a file: NAME=FILE (.csv, .json array, .txt or .vcf).
    #[arg(long = "list", value_name = "NAME=FILE")]
    list: Vec<String>,
    /// Also fetch the address books of sieve-lint.toml's [addrbooks]
    /// (CardDAV, LDAP) for unknown-list; without it their names are known
    /// but no server is contacted.
    #[arg(long)]
    resolve_lists: bool,
    #[command(flatten)]
    live: LiveArgs,
    /// The target server's list names (its ManageSieve EXTLISTS
    /// capability), comma- or space-separated, in any of its three forms:
    /// URI schemes (urn,tag), full list names
    /// (urn:ietf:params:sieve:addrbook:default: the lists that exist), or
    /// a URN prefix (urn:ietf:params:sieve:addrbook).
    #[arg(long = "list-schemes", value_name = "SCHEMES", value_parser = parse_schemes)]
    list_schemes: Option<Schemes>,
    /// Blocks or tests nested this deep are reported (default 32, or the
    /// target's limit).
    #[arg(long, value_name = "N")]
    max_nesting: Option<usize>,
    /// Scripts larger than this many bytes are reported (default 1 MiB, or
    /// the target's limit).
    #[arg(long, value_name = "BYTES")]
    max_script_size: Option<usize>,
    #[command(flatten)]
    settings: SettingsArgs,
    /// With --server: also send each script to the server with
    /// CHECKSCRIPT (RFC 5804 §2.12; nothing is stored) and show its
    /// verdict as server-error and server-warning diagnostics, with a
    /// note where it differs from sieve-lint's.
    #[arg(long)]
    server_check: bool,
    /// Apply safe fixes in place (stdin: print the fixed script), then
    /// report what is left.
    #[arg(long)]
    fix: bool,
    /// Print the fixes as a unified diff instead of writing them; exit 1
    /// when there is something to fix.
    #[arg(long)]
    diff: bool,
    /// Where `include :global` finds scripts, repeatable (`include
    /// :personal` looks beside each script); included scripts that are not
    /// there, and circular includes, are reported.
    #[arg(long, value_name = "DIR")]
    include_dir: Vec<PathBuf>,
    /// Folder search: also lint what .gitignore, .ignore and git's exclude
    /// files list (hidden files and folders stay skipped unless named).
    #[arg(long)]
    no_ignore: bool,
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
struct Schemes(sieve_lint::lists::name::Extlists);

/// How the address books of sieve-lint.toml's `[addrbooks]` (CardDAV,
/// LDAP) are read.
#[derive(Args, Debug, Clone)]
struct LiveArgs {
    /// No network access at all: an address book of [addrbooks] that lives
    /// on a server is an error that names it (for CI).
    #[arg(long)]
    offline: bool,
    /// Keep fetched address books in DIR between runs; a kept book is used
    /// again when the server says it has not changed (sync-token or CTag).
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Seconds one request to an address book server may take, answer
    /// included [default: 120].
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    list_timeout: Option<u64>,
    /// An LDAP address book with more entries than this is asked per
    /// lookup (one search per distinct value tested) instead of fetched
    /// whole [default: 50000].
    #[arg(long, value_name = "N")]
    list_fetch_max: Option<usize>,
}

impl LiveArgs {
    fn options(&self) -> sieve_lint::lists::remote::Options {
        let d = sieve_lint::lists::remote::Options::default();
        sieve_lint::lists::remote::Options {
            offline: self.offline,
            cache_dir: self.cache_dir.clone(),
            timeout: self
                .list_timeout
                .map_or(d.timeout, std::time::Duration::from_secs),
            fetch_max: self.list_fetch_max.unwrap_or(d.fetch_max),
            ..d
        }
    }
}

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
    /// Colour the output: auto (on a terminal, unless NO_COLOR is set;
    /// CLICOLOR_FORCE or FORCE_COLOR force it), always, never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto)]
    color: ColorArg,
    /// Print only the closing summary (no per-message listing) and draw no
    /// progress bar.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Expected actions per message (JSON: {"message": [actions]}); a
    /// sidecar beside a message works too (boss.eml.expected or
    /// boss.expected). Mismatches are shown as a diff and exit 1, and so
    /// do expectations naming no message of the run.
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
    /// One list: NAME=FILE (.csv, .json array, .txt or .vcf), repeatable.
    #[arg(long = "list", value_name = "NAME=FILE")]
    list: Vec<String>,
    #[command(flatten)]
    live: LiveArgs,
    /// Actions per message before a run-time error [default: 32, or the
    /// target's].
    #[arg(long, value_name = "N")]
    max_actions: Option<usize>,
    /// Redirects per message before a run-time error [default: 4, or the
    /// target's].
    #[arg(long, value_name = "N")]
    max_redirects: Option<usize>,
    /// Members `redirect :list` may expand to [default: 100].
    #[arg(long, value_name = "N")]
    max_list_redirects: Option<usize>,
    /// Work per message (commands, tests, matching) before a run-time error
    /// [default: 10000000].
    #[arg(long, value_name = "N")]
    max_steps: Option<u64>,
    /// Where `include :global` finds scripts (`include :personal` looks
    /// beside SCRIPT); repeatable: searched in the order given, the first
    /// folder that has the script wins.
    #[arg(long, value_name = "DIR")]
    include_dir: Vec<PathBuf>,
    /// Scripts including scripts deeper than this is a run-time error
    /// [default: 10].
    #[arg(long, value_name = "N")]
    max_include_depth: Option<usize>,
    /// Bytes an expanded string may have before a run-time error
    /// [default: 1048576].
    #[arg(long, value_name = "BYTES")]
    max_string_length: Option<usize>,
    /// Distinct variables per scope before a run-time error [default: 255].
    #[arg(long, value_name = "N")]
    max_variables: Option<usize>,
    /// Bytes of a variable's value; longer values are truncated, with a
    /// warning (RFC 5229 §6) [default: 4096].
    #[arg(long, value_name = "BYTES")]
    max_variable_size: Option<usize>,
    /// The highest match variable `${N}` a script may use; a higher one is
    /// an error before the script runs (RFC 5229 §6) [default: 32].
    #[arg(long, value_name = "N")]
    max_match_variables: Option<usize>,
    /// Nested `foreverypart` loops before a run-time error [default: 4].
    #[arg(long, value_name = "N")]
    max_foreverypart_depth: Option<usize>,
    /// What a Dovecot external program (pipe, filter, execute) returns in
    /// the dry run, which never runs one: NAME=true|false, repeatable
    /// [default: every program succeeds].
    #[arg(long, value_name = "NAME=true|false")]
    program_result: Vec<String>,
    /// What `execute :output` stores for a program: NAME=TEXT, repeatable
    /// [default: the empty string].
    #[arg(long, value_name = "NAME=TEXT")]
    program_output: Vec<String>,
    /// Bytes of a message; a larger message is not read and its run is a
    /// run-time error (the run goes on) [default: 104857600].
    #[arg(long, value_name = "BYTES", default_value_t = sieve_lint::run::message::DEFAULT_MAX_MESSAGE_SIZE, hide_default_value = true)]
    max_message_size: u64,
    #[command(flatten)]
    settings: SettingsArgs,
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
    sieve_lint::lists::name::parse_extlists(s).map(Schemes)
}

/// 0: clean; 1: findings; 2: the tool could not do its job.
const EXIT_FINDINGS: u8 = 1;
const EXIT_TROUBLE: u8 = 2;

pub fn main() -> ExitCode {
    let code = dispatch();
    if STDERR_FAILED.load(std::sync::atomic::Ordering::Relaxed) {
        return ExitCode::from(EXIT_TROUBLE);
    }
    code
}

fn dispatch() -> ExitCode {
    pages::start_small();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help and --version: their text must reach standard output, or
        // the exit code says it did not.
        Err(e)
            if matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            ) =>
        {
            return emit("the help text", e.render().to_string().as_bytes());
        }
        Err(e) => e.exit(),
    };
    match cli.command {
        Command::Check(args) => check(*args),
        Command::Run(args) => run(*args),
        Command::Rules { format } => rules(format),
        Command::Explain { rule } => explain(&rule),
        Command::Targets(args) => targets(args),
        Command::Completions { shell } => completions(shell),
        Command::Man => man(),
        Command::Lsp => sieve_lint::lsp::main(),
    }
}

fn man() -> ExitCode {
    emit("the manual page", man::render(&Cli::command()).as_bytes())
}

/// The completion script for `shell`. clap_complete's bash script names
/// its subcommand states `sieve__subcmd__lint__subcmd__check` but tests
/// for `sieve__lint__subcmd__check` (the `-` in the binary's name), so
/// nothing completed after a subcommand: the state names are made to agree.
fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "sieve-lint", &mut script);
    if shell == clap_complete::Shell::Bash {
        let text = String::from_utf8_lossy(&script).replace("sieve__subcmd__lint", "sieve__lint");
        script = text.into_bytes();
    }
    emit("the completion script", &script)
}

/// Writes a command's whole output to standard output: exit 2 with a
/// message when it cannot be written (a full disk, a closed pipe).
fn emit(what: &str, bytes: &[u8]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`| head`): nothing to say to it.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(EXIT_TROUBLE),
        Err(e) => {
            eprintln!("sieve-lint: cannot write {what}: {e}");
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}

#[derive(Args, Debug)]
struct TargetsArgs {
    /// Print this profile in detail (its extensions, those disabled by
    /// default, limits).
    #[arg(value_name = "TARGET", conflicts_with = "server", value_parser = TargetParser)]
    name: Option<String>,
    /// Read the profile from this ManageSieve server:
    /// sieve://[user@]host[:port] (capabilities after login; nothing else
    /// is sent).
    #[arg(long, value_name = "URL")]
    server: Option<String>,
    /// Talk to the server without TLS: only for a loopback address
    /// (tests).
    #[arg(long, requires = "server")]
    server_insecure: bool,
    /// Seconds to wait for the connection and for each answer.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    server_timeout: u64,
    /// Save the profile read as a TOML file for `--target FILE`.
    #[arg(long, value_name = "FILE", requires = "server")]
    save_profile: Option<PathBuf>,
}

fn targets(args: TargetsArgs) -> ExitCode {
    if let Some(name) = &args.name {
        let sp = match sieve_lint::profiles::find(name) {
            Some(p) => live::of_builtin(p),
            None => match live::cached_file(Path::new(name)) {
                Ok(sp) => live::of_builtin(sp.profile),
                Err(e) => {
                    eprintln!("sieve-lint: error: {e}");
                    return ExitCode::from(EXIT_TROUBLE);
                }
            },
        };
        return emit("the profile", sp.describe().as_bytes());
    }
    if let Some(url) = args.server {
        let mut settings = SettingsArgs {
            config: None,
            no_config: true,
            target: None,
            server: Some(url),
            server_insecure: args.server_insecure,
            server_timeout: args.server_timeout,
            save_profile: args.save_profile,
            resolved: None,
        };
        if let Err(e) = settings.resolve() {
            eprintln!("sieve-lint: error: {e}");
            return ExitCode::from(EXIT_TROUBLE);
        }
        let text = settings
            .resolved
            .map(|sp| sp.describe())
            .unwrap_or_default();
        return emit("the profile", text.as_bytes());
    }
    let mut out = String::new();
    for p in sieve_lint::profiles::PROFILES {
        out.push_str(&format!("{:<12} {}\n", p.id, p.server));
        out.push_str(&format!("{:<12} source: {}\n", "", p.source));
    }
    emit("the target list", out.as_bytes())
}

/// The settings for files in `folder`: the `--config` file, nothing with
/// `--no-config`, else the nearest sieve-lint.toml in `folder` or above
/// it (an empty configuration when there is none).
fn load_config(settings: &SettingsArgs, folder: &Path) -> Result<Config, String> {
    if settings.no_config {
        return Ok(Config::default());
    }
    let path = match &settings.config {
        Some(p) => Some(p.clone()),
        None => Config::discover(&absolute(folder)),
    };
    match path {
        None => Ok(Config::default()),
        Some(p) => Config::load(&p).map_err(|e| e.to_string()),
    }
}

/// `path` made absolute from the current folder, `.` and `..` resolved
/// by name (as ruff does: a link is not resolved, so a file is governed
/// by the settings above the path it was named by).
fn absolute(path: &Path) -> PathBuf {
    use std::path::Component;
    // The current folder, asked once (a folder search calls this for
    // every file).
    static CWD: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        CWD.get_or_init(|| std::env::current_dir().unwrap_or_default())
            .join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The folder a file is in (`.` for a bare file name).
fn folder_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The lists named on the command line, else those of the settings file;
/// `None` when neither names any.
fn load_lists(
    files: &[PathBuf],
    specs: &[String],
    config: &Config,
) -> Result<Option<sieve_lint::lists::ListSet>, String> {
    load_files(files, specs, config)
}

/// The address books of the settings' `[addrbooks]` added to `set`:
/// fetched when `live` says so (`run`, `check --resolve-lists`), else only
/// their names, when other lists are loaded (for unknown-list). A list of
/// the same name from a file wins.
fn add_live(
    set: Option<sieve_lint::lists::ListSet>,
    books: &[sieve_lint::lists::remote::Addrbook],
    live: Option<&sieve_lint::lists::remote::Options>,
) -> Result<Option<sieve_lint::lists::ListSet>, String> {
    use sieve_lint::lists::remote;
    if books.is_empty() {
        return Ok(set);
    }
    match live {
        Some(opts) => {
            let mut set = set.unwrap_or_default();
            remote::resolve(&mut set, books, opts).map_err(|e| e.to_string())?;
            Ok(Some(set))
        }
        None => Ok(set.map(|mut s| {
            remote::declare(&mut s, books);
            s
        })),
    }
}

/// The configured books a dry run needs: those the script names, or all
/// of them when it may name others at run time (a list name built from
/// variables, an `include`d script).
fn books_named(
    config: &Config,
    report: &sieve_lint::FileReport,
) -> Vec<sieve_lint::lists::remote::Addrbook> {
    use sieve_lint::lists::remote::Addrbook;
    let all = report.lists.iter().any(|l| l.dynamic) || report.source.contains("include");
    let mut books: Vec<Addrbook> = config
        .addrbooks
        .iter()
        .filter(|b| {
            all || b.list_name().is_ok_and(|n| {
                report
                    .lists
                    .iter()
                    .any(|l| l.normalized.as_deref() == Some(n.normalized.as_str()))
            })
        })
        .cloned()
        .collect();
    // A list name that is an LDAP URL names its directory (RFC 4516): it
    // is searched, once per distinct name.
    let mut seen = std::collections::HashSet::new();
    for l in &report.lists {
        if let Some(n) = &l.normalized
            && seen.insert(n.as_str())
            && let Some(b) = Addrbook::from_ldap_name(&l.name)
        {
            books.push(b);
        }
    }
    books
}

fn load_files(
    files: &[PathBuf],
    specs: &[String],
    config: &Config,
) -> Result<Option<sieve_lint::lists::ListSet>, String> {
    let mut set = sieve_lint::lists::ListSet::default();
    // A big list file is a big input: huge pages (a 1,000,000-member CSV
    // loads in 0.43 s with them, 0.6 s without).
    let spec_files = specs
        .iter()
        .filter_map(|s| sieve_lint::lists::split_spec(s).ok().map(|(_, f)| f));
    for f in files
        .iter()
        .map(PathBuf::as_path)
        .chain(spec_files)
        .chain(config.lists.iter().map(PathBuf::as_path))
        .chain(config.list.iter().map(|(_, f)| f.as_path()))
    {
        if let Ok(meta) = std::fs::metadata(f) {
            pages::input_of(meta.len());
        }
    }
    let loaded = if !files.is_empty() || !specs.is_empty() {
        files
            .iter()
            .try_for_each(|f| set.load_map_file(f))
            .and_then(|()| specs.iter().try_for_each(|s| set.load_one_spec(s)))
    } else if !config.lists.is_empty() || !config.list.is_empty() {
        config
            .lists
            .iter()
            .try_for_each(|f| set.load_map_file(f))
            .and_then(|()| {
                config
                    .list
                    .iter()
                    .try_for_each(|(name, file)| set.load_one(name, file))
            })
    } else {
        return Ok(None);
    };
    loaded.map_err(|e| e.to_string())?;
    Ok(Some(set))
}

/// Whether a file given as SCRIPT starts as a mail message does: an mbox
/// `From ` line, or a header field `Name: value` (RFC 5322 §2.2: a name of
/// printable characters and a colon) on the first line, which no Sieve
/// script begins with (only asked when the file is not valid Sieve).
fn looks_like_message(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"From ") {
        return true;
    }
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    match first.iter().position(|&b| b == b':') {
        Some(colon) if colon > 0 => first[..colon]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-'),
        _ => false,
    }
}

fn run(mut args: RunArgs) -> ExitCode {
    use sieve_lint::run::RunOptions;
    if let Err(e) = args.settings.resolve() {
        eprintln!("sieve-lint: error: {e}");
        return ExitCode::from(EXIT_TROUBLE);
    }
    let script_name = args.script.display().to_string();
    let bytes = match sieve_lint::files::read_script(&args.script) {
        Ok(b) => b,
        Err(e) => {
            // A folder of messages or a Maildir given first: the arguments
            // are swapped, most likely.
            let hint = if args.script.is_dir() {
                "; SCRIPT comes first: sieve-lint run SCRIPT MAIL"
            } else {
                ""
            };
            eprintln!("sieve-lint: error: cannot read '{script_name}': {e}{hint}");
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let config = match load_config(&args.settings, &folder_of(&args.script)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("sieve-lint: error: {e}");
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let lists = match load_lists(&args.lists, &args.list, &config) {
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
    let mut program_results = Vec::new();
    for p in &args.program_result {
        match p.rsplit_once('=') {
            Some((name, "true")) if !name.is_empty() => {
                program_results.push((name.to_owned(), true))
            }
            Some((name, "false")) if !name.is_empty() => {
                program_results.push((name.to_owned(), false))
            }
            _ => {
                eprintln!(
                    "sieve-lint: error: --program-result takes NAME=true or NAME=false, got '{p}'"
                );
                return ExitCode::from(EXIT_TROUBLE);
            }
        }
    }
    let mut program_outputs = Vec::new();
    for p in &args.program_output {
        match p.split_once('=') {
            Some((name, text)) if !name.is_empty() => {
                program_outputs.push((name.to_owned(), text.to_owned()))
            }
            _ => {
                eprintln!("sieve-lint: error: --program-output takes NAME=TEXT, got '{p}'");
                return ExitCode::from(EXIT_TROUBLE);
            }
        }
    }
    // Lint first. Only errors (after the project's rule levels) mean the
    // server refuses the script: then it does not run. Warnings and notes
    // are shown with the run, which goes on.
    let mut options = config.check_options(args.settings.target());
    if let Err(e) = args.settings.apply(&config, &mut options) {
        eprintln!("sieve-lint: error: {e}");
        return ExitCode::from(EXIT_TROUBLE);
    }
    if !args.include_dir.is_empty() {
        options.include_dirs.clone_from(&args.include_dir);
    }
    let target = options.target();
    let mail_like = looks_like_message(&bytes);
    // The dry run keeps the tree past the report's text: its strings are
    // copied (a script is small next to its mail).
    let (report, script) =
        sieve_lint::lint_file_with(&script_name, &args.script, bytes, &options, |_, tree| {
            tree.into_owned()
        });
    if mail_like && report.count(sieve_lint::diagnostic::Severity::Error) > 0 {
        // `run MAIL SCRIPT`: the Sieve errors of a message would only
        // confuse; say what happened.
        eprintln!(
            "sieve-lint: error: '{script_name}' looks like a mail message, not a Sieve script: \
             SCRIPT comes first (sieve-lint run SCRIPT MAIL)"
        );
        return ExitCode::from(EXIT_TROUBLE);
    }
    let color = args.color.enabled();
    if report.count(sieve_lint::diagnostic::Severity::Error) > 0 {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        let written = match args.format {
            // One JSON document on standard output, whatever happens.
            RunFormatArg::Json => {
                sieve_lint::report::run::render_refused_json(&script_name, &report, &mut out)
            }
            RunFormatArg::Human => {
                let summary = Summary::of(std::slice::from_ref(&report));
                report::render(
                    Format::Human,
                    std::slice::from_ref(&report),
                    &summary,
                    &HumanOptions { color, width: None },
                    &mut out,
                )
            }
        };
        if let Err(e) = written.and_then(|()| out.flush())
            && e.kind() != std::io::ErrorKind::BrokenPipe
        {
            eprintln!("sieve-lint: cannot write the report: {e}");
            return ExitCode::from(EXIT_TROUBLE);
        }
        eprintln!(
            "sieve-lint: the script has errors (the server would refuse it): it does not run"
        );
        return ExitCode::from(EXIT_FINDINGS);
    }
    // The address books on servers the script names, fetched once now
    // (not for a script that does not run).
    let lists = match add_live(
        lists,
        &books_named(&config, &report),
        Some(&args.live.options()),
    ) {
        Ok(l) => l.unwrap_or_default(),
        Err(e) => {
            eprintln!("sieve-lint: error: {e}");
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let (mut sources, skipped) = sieve_lint::run::message::sources(&args.mail);
    for note in &skipped {
        eprintln!("sieve-lint: note: {note}");
    }
    // An input that cannot be listed: nothing runs, no report.
    if let Some(e) = sieve_lint::run::message::take_failure(&mut sources) {
        eprintln!("sieve-lint: error: {e}");
        return ExitCode::from(EXIT_TROUBLE);
    }
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
        global_dirs: options.include_dirs.clone(),
        check: options.clone(),
        program_results,
        program_outputs,
        now: args.date.map(|n| n.0),
        trace: args.trace,
        max_message_size: Some(args.max_message_size),
        script_path: Some(args.script.clone()),
        // The command line, else the settings file, else the target's
        // documented limits, else sieve-lint's defaults.
        limits: LimitSettings {
            max_actions: args.max_actions,
            max_redirects: args.max_redirects,
            max_list_redirects: args.max_list_redirects,
            max_steps: args.max_steps,
            max_include_depth: args.max_include_depth,
            max_string_length: args.max_string_length,
            max_variables: args.max_variables,
            max_variable_size: args.max_variable_size,
            max_match_variables: args.max_match_variables,
            max_foreverypart_depth: args.max_foreverypart_depth,
            ..LimitSettings::default()
        }
        .or(&config.limits)
        .run_limits(target),
    };
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
    // A progress bar on standard error when it is a terminal, for the human
    // format without --quiet: one step per message (its length is the
    // number of files: an mbox is counted as it is read). Not when the
    // report goes to the terminal as well: the messages printed as they
    // run are the progress there, and a bar would be drawn across them.
    let show = matches!(args.format, RunFormatArg::Human)
        && !args.quiet
        && std::io::stderr().is_terminal()
        && !std::io::stdout().is_terminal();
    let bar = progress::RunProgress::new(sources.len(), show);
    let json = matches!(args.format, RunFormatArg::Json).then(|| {
        sieve_lint::report::run::JsonMessages::new(&report.source).with_diagnostics(&report)
    });
    // Each message is run, rendered (JSON) on its thread, and written out
    // in input order as it is ready: nothing of a message is kept but the
    // counts of the summary (and the expectations it missed).
    let render = |r: &sieve_lint::run::MessageResult| {
        bar.inc(1);
        let mut part = Vec::new();
        if let Some(json) = &json {
            json.message(r, &mut part);
        }
        part
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut human = sieve_lint::report::run::HumanStream::new(
        &script_name,
        &report.source,
        sieve_lint::report::run::HumanView {
            messages: !args.quiet,
        },
    );
    let mut tally = sieve_lint::report::run::Tally::default();
    let mut written = match &json {
        Some(json) => json.begin(&mut out),
        // The script's warnings and notes first (not with --quiet: the
        // summary alone), then the run.
        None if !args.quiet && !report.diagnostics.is_empty() => {
            report::render_file(&report, &HumanOptions { color, width: None }, &mut out)
        }
        _ => Ok(()),
    };
    let mut mismatches = Vec::new();
    let mut checked = 0usize;
    let mut expect_error = None;
    let mut any_errors = false;
    // The messages' paths, kept only when an expectation may name none of
    // them (--expect, or sidecars in a folder): a typo fails the run.
    let keep_paths = args.expect.is_some() || args.mail.iter().any(|m| m.is_dir());
    let mut paths: Vec<String> = Vec::new();
    let mut sink = |r: sieve_lint::run::MessageResult, part: Vec<u8>, in_mbox: bool| {
        any_errors |= !r.errors.is_empty();
        if keep_paths {
            paths.push(r.path.clone());
        }
        match expectations.for_message_in(&r.path, !in_mbox) {
            Ok(Some(expected)) => {
                checked += 1;
                if let Some(diff) = sieve_lint::run::expect::compare(&expected, &r) {
                    mismatches.push((r.path.clone(), diff));
                }
            }
            Ok(None) => {}
            Err(e) => {
                expect_error.get_or_insert(e);
            }
        }
        if written.is_err() {
            return;
        }
        written = match &json {
            Some(json) => {
                let after = tally.messages() > 0;
                tally.add(&r);
                json.part(after, &part, &mut out)
            }
            None => human.message(&r, &mut out),
        };
    };
    let ran =
        sieve_lint::run::run_stream(&script, &report.source, sources, &opts, &render, &mut sink);
    bar.finish();
    if let Err(e) = ran {
        let _ = out.flush();
        eprintln!("sieve-lint: error: {e}");
        return ExitCode::from(EXIT_TROUBLE);
    }
    // A list asked per lookup whose server failed during the run: the
    // run's answers are not to be trusted.
    for (name, lookups, queries, failure) in opts.lists.live_lists() {
        if let Some(f) = failure {
            let _ = out.flush();
            eprintln!("sieve-lint: error: list \"{name}\": {f}");
            return ExitCode::from(EXIT_TROUBLE);
        }
        if !args.quiet {
            eprintln!(
                "sieve-lint: note: list \"{name}\" was asked per lookup: {lookups} lookups, \
                 {queries} searches on its server"
            );
        }
    }
    if let Some(e) = expect_error {
        let _ = out.flush();
        eprintln!("sieve-lint: error: {e}");
        return ExitCode::from(EXIT_TROUBLE);
    }
    let written = written.and_then(|()| match &json {
        Some(json) => json.end(
            &script_name,
            tally.messages() > 0,
            &tally.summary(),
            &mut out,
        ),
        None => human.finish(&mut out),
    });
    if let Err(e) = written.and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("sieve-lint: cannot write the report: {e}");
        return ExitCode::from(EXIT_TROUBLE);
    }
    // An expectation naming no message of the run (a typo) fails it: a
    // key of --expect's file, or a sidecar in a folder searched.
    let mut unmatched: Vec<String> = expectations
        .unmatched(paths.iter().map(String::as_str))
        .into_iter()
        .map(|k| {
            format!("expectation for '{k}' matches no message of the run (by path or file name)")
        })
        .collect();
    unmatched.extend(
        sieve_lint::run::expect::orphan_sidecars(&args.mail, paths.iter().map(String::as_str))
            .into_iter()
            .map(|p| format!("expectation file '{p}' is beside no message of the run")),
    );
    if checked + unmatched.len() > 0 {
        let mut err = std::io::stderr().lock();
        for (path, diff) in &mismatches {
            let _ = writeln!(
                err,
                "expectation mismatch for {path} (- expected, + actual):\n{diff}"
            );
        }
        for line in &unmatched {
            let _ = writeln!(err, "{line}");
        }
        let _ = writeln!(
            err,
            "{} of {} expectations met",
            checked - mismatches.len(),
            checked + unmatched.len()
        );
    }
    if !mismatches.is_empty() || !unmatched.is_empty() || any_errors {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

/// `--color`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

impl ColorArg {
    /// Whether standard output gets colour: `--color always|never` wins;
    /// with `auto`, NO_COLOR (set and not empty, no-color.org) turns it off,
    /// then CLICOLOR_FORCE (not empty, not "0") or FORCE_COLOR (not empty)
    /// turn it on, then CLICOLOR=0 turns it off, else colour on a terminal
    /// only (the order of the anstream crate, which cargo and clap use,
    /// with FORCE_COLOR, force-color.org, beside CLICOLOR_FORCE).
    fn enabled(self) -> bool {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        color_choice(self, std::io::stdout().is_terminal(), var)
    }
}

/// [`ColorArg::enabled`] with the terminal test and the environment given.
fn color_choice(
    choice: ColorArg,
    terminal: bool,
    var: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> bool {
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            if var("NO_COLOR").is_some() {
                false
            } else if var("CLICOLOR_FORCE").is_some_and(|v| v != "0")
                || var("FORCE_COLOR").is_some()
            {
                true
            } else if var("CLICOLOR").is_some_and(|v| v == "0") {
                false
            } else {
                terminal
            }
        }
    }
}

/// `rules --format`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum RulesFormat {
    Human,
    Json,
}

fn rules(format: RulesFormat) -> ExitCode {
    let mut rules: Vec<_> = RULES.iter().map(|r| r.info()).collect();
    rules.sort_by_key(|i| i.code);
    let fixable = |name: &str| sieve_lint::rules::FIXABLE.contains(&name);
    let out = match format {
        RulesFormat::Json => {
            let list: Vec<_> = rules
                .iter()
                .map(|i| {
                    serde_json::json!({
                        "code": i.code,
                        "name": i.name,
                        "severity": i.severity.as_str(),
                        "fixable": fixable(i.name),
                        "summary": i.summary,
                        "rfc": i.rfc(),
                    })
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&list).expect("JSON values serialize");
            text.push('\n');
            text
        }
        RulesFormat::Human => {
            // Each column as wide as its longest value, whatever the names.
            let name_width = rules.iter().map(|i| i.name.len()).max().unwrap_or(0);
            let mut text = String::new();
            for i in &rules {
                let fix = if fixable(i.name) { "fixable" } else { "" };
                text.push_str(&format!(
                    "{}  {:<name_width$}  {:<8}  {:<7}  {}\n",
                    i.code,
                    i.name,
                    i.severity.as_str(),
                    fix,
                    i.summary
                ));
            }
            text
        }
    };
    emit("the rule list", out.as_bytes())
}

fn explain(key: &str) -> ExitCode {
    match sieve_lint::rules::find(key) {
        Some(rule) => {
            let i = rule.info();
            let text = format!(
                "{} {} ({} by default)\n\n{}\n",
                i.code,
                i.name,
                i.severity,
                i.doc_text()
            );
            emit("the rule's documentation", text.as_bytes())
        }
        None => {
            match sieve_lint::rules::suggest(key) {
                Some(i) => eprintln!(
                    "sieve-lint: no rule named '{key}'; did you mean '{}' ({})?",
                    i.name, i.code
                ),
                None => {
                    eprintln!("sieve-lint: no rule named '{key}'; `sieve-lint rules` lists them")
                }
            }
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}

/// One input: a path or standard input, with the index of its settings
/// in [`Settings::loaded`].
enum Input {
    Stdin(String, usize),
    File(PathBuf, usize),
}

/// One settings file, loaded, with the check options it gives (the
/// command line's options applied over it).
struct Loaded {
    config: Config,
    options: CheckOptions,
    /// The settings file's folder, absolute: globs are relative to it.
    root: Option<PathBuf>,
    /// The ManageSieve server `--server-check` asks (`--server`, else the
    /// settings file's `server`).
    server: Option<String>,
}

/// The settings of every input of a `check`: the `--config` file for all
/// (or none with `--no-config`), else for each file the nearest
/// sieve-lint.toml in its folder or above (as ruff does), so a file gives
/// the same result wherever the command runs. Each folder is looked up
/// once and each settings file loaded once.
struct Settings<'a> {
    args: &'a CheckArgs,
    /// The lists of `--lists`/`--list`, loaded once: they replace every
    /// settings file's lists.
    cli_lists: Option<sieve_lint::lists::ListSet>,
    loaded: Vec<Loaded>,
    /// `--config`/`--no-config`: the one entry of `loaded`.
    fixed: Option<usize>,
    /// Absolute folder → its settings file (`None`: there is none).
    nearest: std::collections::HashMap<PathBuf, Option<PathBuf>>,
    /// Settings file → its index in `loaded`, or `None` when it failed to
    /// load (said once, in `problems`).
    by_file: std::collections::HashMap<PathBuf, Option<usize>>,
    /// Index of the empty configuration (no settings file), once made.
    empty: Option<usize>,
}

impl<'a> Settings<'a> {
    fn new(args: &'a CheckArgs) -> Result<Settings<'a>, String> {
        let cli_lists = if args.lists.is_empty() && args.list.is_empty() {
            None
        } else {
            load_lists(&args.lists, &args.list, &Config::default())?
        };
        let mut settings = Settings {
            args,
            cli_lists,
            loaded: Vec::new(),
            fixed: None,
            nearest: Default::default(),
            by_file: Default::default(),
            empty: None,
        };
        if args.settings.no_config || args.settings.config.is_some() {
            let config = load_config(&args.settings, Path::new("."))?;
            settings.fixed = Some(settings.add(config)?);
        }
        Ok(settings)
    }

    /// Adds a loaded configuration with its options.
    fn add(&mut self, config: Config) -> Result<usize, String> {
        let args = self.args;
        let mut options = config.check_options(args.settings.target());
        if let Some(s) = &args.list_schemes {
            options.list_schemes = Some(s.0.schemes.clone());
            if !s.0.names.is_empty() {
                options.list_names = Some(s.0.names.clone());
            }
        }
        args.settings.apply(&config, &mut options)?;
        let server = args.settings.server_for(&config);
        options.max_nesting = args.max_nesting.or(options.max_nesting);
        options.max_script_size = args.max_script_size.or(options.max_script_size);
        if !args.include_dir.is_empty() {
            options.include_dirs.clone_from(&args.include_dir);
        }
        options.lists = match &self.cli_lists {
            Some(lists) => Some(lists.clone()),
            None => load_lists(&[], &[], &config)?,
        };
        let live = args.live.options();
        let live = args.resolve_lists.then_some(&live);
        options.lists = add_live(options.lists.take(), &config.addrbooks, live)?;
        let root = config.path.as_deref().map(|p| absolute(&folder_of(p)));
        self.loaded.push(Loaded {
            config,
            options,
            root,
            server,
        });
        Ok(self.loaded.len() - 1)
    }

    /// The settings file nearest above the absolute folder `dir`.
    fn nearest(&mut self, dir: &Path) -> Option<PathBuf> {
        // The folders up to one already known (or the root), then filled
        // in from the top: each folder is looked at once.
        let mut chain = Vec::new();
        let mut found = None;
        for d in dir.ancestors() {
            if let Some(known) = self.nearest.get(d) {
                found.clone_from(known);
                break;
            }
            chain.push(d);
            let candidate = d.join(sieve_lint::config::FILE_NAME);
            if candidate.is_file() {
                found = Some(candidate);
                break;
            }
        }
        for d in chain.into_iter().rev() {
            // A folder holding a settings file maps to it; those below it
            // map to the same file.
            self.nearest.insert(d.to_path_buf(), found.clone());
        }
        found
    }

    /// The settings for files in `dir` (a folder as named, relative to the
    /// current one or absolute); `None` when its settings file could not
    /// be loaded (the problem is said once).
    fn for_folder(&mut self, dir: &Path, problems: &mut Vec<String>) -> Option<usize> {
        if let Some(i) = self.fixed {
            return Some(i);
        }
        let Some(file) = self.nearest(&absolute(dir)) else {
            if self.empty.is_none() {
                // The empty configuration cannot fail (no lists to load
                // but the command line's, loaded already).
                self.empty = self.add(Config::default()).ok();
            }
            return self.empty;
        };
        if let Some(known) = self.by_file.get(&file) {
            return *known;
        }
        let loaded = Config::load(&file)
            .map_err(|e| e.to_string())
            .and_then(|config| self.add(config));
        let index = match loaded {
            Ok(i) => Some(i),
            Err(e) => {
                problems.push(e);
                None
            }
        };
        self.by_file.insert(file, index);
        index
    }

    fn options(&self, index: usize) -> &CheckOptions {
        &self.loaded[index].options
    }

    fn filter(&self, index: usize) -> Filter<'_> {
        let loaded = &self.loaded[index];
        Filter {
            include: loaded.config.include.as_ref(),
            exclude: loaded.config.exclude.as_ref(),
            root: loaded.root.as_deref(),
        }
    }
}

/// Which files a folder search lints: the settings file's `include` globs
/// (default `*.sieve`, `*.siv`) and `exclude` globs, relative to its folder.
struct Filter<'c> {
    include: Option<&'c globset::GlobSet>,
    exclude: Option<&'c globset::GlobSet>,
    /// Absolute: paths are matched relative to it.
    root: Option<&'c Path>,
}

impl Filter<'_> {
    /// The path the globs see: relative to the settings file's folder.
    fn relative<'p>(&self, path: &'p Path) -> std::borrow::Cow<'p, Path> {
        let Some(root) = self.root else {
            return path.into();
        };
        match absolute(path).strip_prefix(root) {
            Ok(rel) => rel.to_path_buf().into(),
            Err(_) => path.into(),
        }
    }

    fn excluded(&self, path: &Path) -> bool {
        self.exclude
            .is_some_and(|ex| ex.is_match(self.relative(path).as_ref()))
    }

    /// Whether a folder search lints this file.
    fn included(&self, path: &Path) -> bool {
        if self.excluded(path) {
            return false;
        }
        match self.include {
            Some(inc) => inc.is_match(self.relative(path).as_ref()),
            None => matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("sieve" | "siv")
            ),
        }
    }
}

/// Expands folders (see [`walk`]). Returns the inputs and the problems
/// met. A file named explicitly is linted whatever its name, unless its
/// settings exclude it; standard input takes the settings of
/// `--stdin-filename`'s folder, else of the current folder.
fn collect(
    args: &CheckArgs,
    stdin_name: &str,
    settings: &mut Settings,
) -> (Vec<Input>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for p in &args.paths {
        if p.as_os_str() == "-" {
            let folder = args
                .stdin_filename
                .as_deref()
                .map_or_else(|| PathBuf::from("."), |n| folder_of(Path::new(n)));
            if let Some(i) = settings.for_folder(&folder, &mut problems) {
                inputs.push(Input::Stdin(stdin_name.to_owned(), i));
            }
        } else if p.is_dir() {
            let before = inputs.len();
            walk(p, args.no_ignore, settings, &mut inputs, &mut problems);
            if inputs.len() == before {
                eprintln!(
                    "sieve-lint: note: no *.sieve or *.siv files in '{}'",
                    p.display()
                );
            }
        } else if let Some(i) = settings.for_folder(&folder_of(p), &mut problems)
            && !settings.filter(i).excluded(p)
        {
            inputs.push(Input::File(p.clone(), i));
        }
    }
    (inputs, problems)
}

/// Lints the files of a folder, sorted by name, recursively, with the
/// walker ripgrep uses: hidden files and folders are skipped, and so is
/// what `.ignore` files and, in a git repository, `.gitignore` and git's
/// exclude files list (not with `--no-ignore`); then each file's settings decide (`include`/`exclude`).
/// Symbolic links to folders are not followed; a link named like a script
/// is followed, and a dangling one (or a loop) is an error naming it. A
/// FIFO, socket or device named like a script is skipped with a note:
/// reading it would block or mean nothing.
fn walk(
    dir: &Path,
    no_ignore: bool,
    settings: &mut Settings,
    inputs: &mut Vec<Input>,
    problems: &mut Vec<String>,
) {
    let walker = ignore::WalkBuilder::new(dir)
        .standard_filters(!no_ignore)
        .hidden(true)
        // As ripgrep: .gitignore and git's exclude files count inside a
        // git repository only (a `*` in a home folder's .gitignore for a
        // dotfiles setup must not hide everything); .ignore counts always.
        .require_git(true)
        .follow_links(false)
        .sort_by_file_name(std::ffi::OsStr::cmp)
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            // A folder that cannot be read: scripts may be missed.
            Err(e) if e.is_io() => {
                problems.push(format!("cannot search '{}': {e}", dir.display()));
                continue;
            }
            // A bad line in an ignore file: git skips it too.
            Err(e) => {
                eprintln!("sieve-lint: note: {e}");
                continue;
            }
        };
        let Some(ty) = entry.file_type() else {
            continue;
        };
        if ty.is_dir() {
            continue;
        }
        let path = entry.into_path();
        let Some(i) = settings.for_folder(&folder_of(&path), problems) else {
            continue;
        };
        if !settings.filter(i).included(&path) {
            continue;
        }
        let ty = match sieve_lint::files::followed_type(&path, ty) {
            Ok(Some(ty)) => ty,
            Ok(None) => continue,
            Err(e) => {
                problems.push(format!("cannot read '{}': {e}", path.display()));
                continue;
            }
        };
        match sieve_lint::files::kind_of(ty) {
            None => inputs.push(Input::File(path, i)),
            Some(kind) => eprintln!("sieve-lint: note: skipped '{}': {kind}", path.display()),
        }
    }
}

fn check(mut args: CheckArgs) -> ExitCode {
    if let Err(e) = args.settings.resolve() {
        eprintln!("sieve-lint: error: {e}");
        return ExitCode::from(EXIT_TROUBLE);
    }
    if args.server_check && (args.fix || args.diff) {
        eprintln!("sieve-lint: error: --server-check cannot be combined with --fix or --diff");
        return ExitCode::from(EXIT_TROUBLE);
    }
    let stdin_name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| "<stdin>".into());
    let mut settings = match Settings::new(&args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sieve-lint: error: {e}");
            return ExitCode::from(EXIT_TROUBLE);
        }
    };
    let (inputs, mut problems) = collect(&args, &stdin_name, &mut settings);
    let settings = settings;

    let mut stdin_bytes: Option<Vec<u8>> = None;
    if inputs.iter().any(|i| matches!(i, Input::Stdin(..))) {
        let mut buf = Vec::new();
        let limit = sieve_lint::files::MAX_SCRIPT;
        match std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut buf)
        {
            Ok(n) if n as u64 > limit => problems.push(format!(
                "cannot read standard input: {}",
                sieve_lint::files::script_too_large()
            )),
            Ok(_) => stdin_bytes = Some(buf),
            Err(e) => problems.push(format!("cannot read standard input: {e}")),
        }
    }

    if args.fix || args.diff {
        return fix(&args, &inputs, &settings, stdin_bytes.as_deref(), problems);
    }

    // One file: no thread pool to start (the parser and checker still
    // spread a large script over the cores), and its tree is not freed:
    // the process ends soon, and freeing a big tree node by node costs
    // a tenth of the check. Many files: each tree is freed on its worker.
    let one = inputs.len() == 1;
    let lint_one = |input: &Input| {
        let tree = |t: sieve_lint::syntax::ast::Script<'_>| {
            if one {
                std::mem::forget(t);
            }
        };
        match input {
            Input::Stdin(name, i) => stdin_bytes
                .as_deref()
                .map(|b| {
                    pages::input_of(b.len() as u64);
                    let options = settings.options(*i);
                    sieve_lint::lint_owned_with(name, b.to_vec(), options, |_, t| tree(t)).0
                })
                .ok_or_else(|| "standard input could not be read".to_owned()),
            // Only a regular file: a FIFO would block (sieve_lint::files).
            Input::File(path, i) => sieve_lint::files::read_script(path)
                .map(|b| {
                    pages::input_of(b.len() as u64);
                    let options = settings.options(*i);
                    let name = path.display().to_string();
                    sieve_lint::lint_file_with(&name, path, b, options, |_, t| tree(t)).0
                })
                .map_err(|e| format!("cannot read '{}': {e}", path.display())),
        }
    };
    let results: Vec<Result<FileReport, String>> = if one {
        inputs.iter().map(lint_one).collect()
    } else {
        inputs.par_iter().map(lint_one).collect()
    };
    let mut reports = Vec::with_capacity(results.len());
    let mut servers = Vec::with_capacity(results.len());
    for (r, input) in results.into_iter().zip(&inputs) {
        match r {
            Ok(rep) => {
                let i = match input {
                    Input::Stdin(_, i) | Input::File(_, i) => *i,
                };
                servers.push(i);
                reports.push(rep);
            }
            Err(e) => problems.push(e),
        }
    }
    if args.server_check
        && let Err(e) = server_check(&args, &settings, &mut reports, &servers)
    {
        // Nothing is printed as if it were a result.
        eprintln!("sieve-lint: error: {e}");
        return ExitCode::from(EXIT_TROUBLE);
    }

    let color = args.color.enabled();
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

/// `--server-check`: one session per server, CHECKSCRIPT for each file
/// whose settings name that server, the verdicts added to the reports.
fn server_check(
    args: &CheckArgs,
    settings: &Settings,
    reports: &mut [FileReport],
    settings_of: &[usize],
) -> Result<(), String> {
    let mut by_server: Vec<(String, Vec<usize>)> = Vec::new();
    for (k, &i) in settings_of.iter().enumerate() {
        let Some(url) = settings.loaded[i].server.clone() else {
            return Err(format!(
                "--server-check needs a server: give --server sieve://host or `server = \"sieve://…\"` in sieve-lint.toml ({} has none)",
                reports[k].path
            ));
        };
        match by_server.iter_mut().find(|(u, _)| *u == url) {
            Some((_, files)) => files.push(k),
            None => by_server.push((url, vec![k])),
        }
    }
    for (url, files) in by_server {
        let (_, mut client) = live::login(&url, &args.settings.connect())?;
        let name = client
            .capabilities
            .get("IMPLEMENTATION")
            .unwrap_or("the server")
            .to_string();
        for k in files {
            let verdict = client
                .check_script(&reports[k].source)
                .map_err(|e| format!("{}: {e}", reports[k].path))?;
            let options = settings.options(settings_of[k]);
            sieve_lint::managesieve::verdict::add(&mut reports[k], &verdict, &name, options);
        }
        client.logout();
    }
    Ok(())
}

/// `check --fix` and `check --diff`: the fixing is sieve_lint::fix's; this
/// reads, writes and prints.
fn fix(
    args: &CheckArgs,
    inputs: &[Input],
    settings: &Settings,
    stdin: Option<&[u8]>,
    mut problems: Vec<String>,
) -> ExitCode {
    use sieve_lint::fix::{Refusal, fix_bytes, unified_diff, write_in_place};
    let (mut reports, mut diff, mut fixed_stdin) = (Vec::new(), String::new(), None);
    let (mut applied, mut files, mut not_fixed) = (0, 0, 0);
    let mut write_failed = false;
    for input in inputs {
        let (name, bytes, options) = match input {
            Input::Stdin(name, i) => match stdin {
                Some(b) => (name.clone(), b.to_vec(), settings.options(*i)),
                None => continue,
            },
            Input::File(path, i) => match sieve_lint::files::read_script(path) {
                Ok(b) => (path.display().to_string(), b, settings.options(*i)),
                Err(e) => {
                    problems.push(format!("cannot read '{}': {e}", path.display()));
                    continue;
                }
            },
        };
        let mut out = fix_bytes(&name, &bytes, options);
        // Every file left (partly) unfixed is named, with why.
        if let Some(r @ Refusal::SyntaxErrors) = &out.refused {
            eprintln!("sieve-lint: note: {name}: {r}");
        }
        for d in &out.dropped {
            eprintln!(
                "sieve-lint: note: {name}: not applied: {}: {}",
                d.fix, d.why
            );
        }
        let mut unfixed = out.refused.is_some() || !out.dropped.is_empty();
        let written = match (&out.fixed, input) {
            (Some(text), Input::File(path, _)) if !args.diff => {
                write_in_place(path, text.as_bytes())
            }
            _ => Ok(()),
        };
        if let Err(e) = written {
            // Nothing was fixed: said at once, and the file's own
            // diagnostics are reported, not those of the unwritten text.
            eprintln!("sieve-lint: error: cannot write the fixed '{name}', left unchanged: {e}");
            (out.report, out.fixed, unfixed, write_failed) = (
                sieve_lint::lint_bytes(&name, &bytes, options),
                None,
                true,
                true,
            );
        }
        not_fixed += usize::from(unfixed);
        if let Some(text) = &out.fixed {
            (applied, files) = (applied + out.applied, files + 1);
            if args.diff {
                diff.push_str(&unified_diff(&name, &String::from_utf8_lossy(&bytes), text));
            }
        }
        if matches!(input, Input::Stdin(..)) && !args.diff {
            fixed_stdin = Some(
                out.fixed
                    .clone()
                    .unwrap_or_else(|| out.report.source.clone()),
            );
        }
        reports.push(out.report);
    }
    let verb = if args.diff { "would apply" } else { "applied" };
    let fixes = if applied == 1 { "fix" } else { "fixes" };
    let file_s = if files == 1 { "file" } else { "files" };
    let left = match not_fixed {
        0 => String::new(),
        1 => "; 1 file not (fully) fixed, see above".to_owned(),
        n => format!("; {n} files not (fully) fixed, see above"),
    };
    eprintln!("sieve-lint: {verb} {applied} {fixes} to {files} {file_s}{left}");
    let mut out = std::io::stdout().lock();
    let written = if args.diff {
        out.write_all(diff.as_bytes())
    } else {
        let summary = Summary::of(&reports);
        let color = args.color.enabled();
        let human = HumanOptions { color, width: None };
        let format = args.format.into();
        match &fixed_stdin {
            // The fixed script goes to standard output, the report to stderr.
            Some(text) => out.write_all(text.as_bytes()).and_then(|()| {
                report::render(format, &reports, &summary, &human, &mut std::io::stderr())
            }),
            None => report::render(format, &reports, &summary, &human, &mut out),
        }
    };
    if let Err(e) = written.and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("sieve-lint: cannot write the report: {e}");
        return ExitCode::from(EXIT_TROUBLE);
    }
    for p in &problems {
        eprintln!("sieve-lint: error: {p}");
    }
    let summary = Summary::of(&reports);
    if !problems.is_empty() || write_failed {
        ExitCode::from(EXIT_TROUBLE)
    } else if args.diff {
        ExitCode::from(u8::from(files > 0))
    } else if summary.errors > 0 || (args.deny_warnings && summary.warnings > 0) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::{ColorArg, color_choice};
    use std::ffi::OsString;

    fn with<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, v)| *k == name && !v.is_empty())
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn color_flag_wins_over_the_environment() {
        assert!(color_choice(
            ColorArg::Always,
            false,
            with(&[("NO_COLOR", "1")])
        ));
        assert!(!color_choice(
            ColorArg::Never,
            true,
            with(&[("FORCE_COLOR", "1")])
        ));
    }

    #[test]
    fn auto_follows_no_color_then_force_then_the_terminal() {
        assert!(color_choice(ColorArg::Auto, true, with(&[])));
        assert!(!color_choice(ColorArg::Auto, false, with(&[])));
        assert!(!color_choice(
            ColorArg::Auto,
            true,
            with(&[("NO_COLOR", "1")])
        ));
        // An empty NO_COLOR is not set (no-color.org).
        assert!(color_choice(
            ColorArg::Auto,
            true,
            with(&[("NO_COLOR", "")])
        ));
        let both = [("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")];
        assert!(!color_choice(ColorArg::Auto, false, with(&both)));
        assert!(color_choice(
            ColorArg::Auto,
            false,
            with(&[("CLICOLOR_FORCE", "1")])
        ));
        assert!(!color_choice(
            ColorArg::Auto,
            false,
            with(&[("CLICOLOR_FORCE", "0")])
        ));
        assert!(color_choice(
            ColorArg::Auto,
            false,
            with(&[("FORCE_COLOR", "3")])
        ));
        assert!(!color_choice(
            ColorArg::Auto,
            true,
            with(&[("CLICOLOR", "0")])
        ));
    }
}
