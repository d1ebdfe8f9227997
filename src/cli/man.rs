//! The manual page, sieve-lint(1): one complete page, generated from the
//! same clap definitions as `--help` (every command and every option, with
//! its value, default and choices), plus the sections a manual needs that
//! clap does not know: exit status, the settings file (its example is
//! README's, so the two cannot drift), the environment, examples.

use clap::Command;
use std::fmt::Write;

/// The whole page, roff (man macros).
pub fn render(cmd: &Command) -> String {
    let mut cmd = cmd.clone();
    cmd.build();
    let mut out = String::new();
    let version = cmd.get_version().unwrap_or("");
    let _ = writeln!(
        out,
        ".TH SIEVE\\-LINT 1 \"\" \"sieve\\-lint {}\" \"User Commands\"",
        esc(version)
    );
    section(&mut out, "NAME");
    let _ = writeln!(
        out,
        "sieve\\-lint \\- {}",
        esc(&cmd.get_about().map(|a| a.to_string()).unwrap_or_default())
    );

    section(&mut out, "SYNOPSIS");
    for sub in visible(&cmd) {
        let _ = writeln!(out, ".br");
        let _ = writeln!(out, "{}", synopsis(sub));
    }

    section(&mut out, "DESCRIPTION");
    para(
        &mut out,
        "sieve-lint checks Sieve mail filters (RFC 5228 and its extensions, \
         externally stored lists of RFC 6134 above all) and reports every problem \
         of a script in one run, each with a stable code, its place (line and \
         column), a message and what to write instead. It also runs a script on \
         real messages without delivering anything (the dry run) and shows what \
         the script would do with each.",
    );
    para(
        &mut out,
        "An error means that the RFCs say MUST or MUST NOT about something the \
         script's text decides, or that the server of the chosen --target refuses \
         the script at upload. A warning means that the script is valid but fails \
         at delivery on some path or server, or is almost surely a mistake. An \
         info is a note. sieve-lint explain CODE says, for each rule, which \
         sentence of which RFC makes it what it is.",
    );

    section(&mut out, "COMMANDS");
    for sub in visible(&cmd) {
        let _ = writeln!(out, ".SS \"{}\"", esc(&synopsis_plain(sub)));
        let about = sub
            .get_long_about()
            .or(sub.get_about())
            .map(|a| a.to_string())
            .unwrap_or_default();
        para(&mut out, &about);
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            if arg.get_id() == "help" || arg.get_id() == "version" {
                continue;
            }
            let _ = writeln!(out, ".TP");
            let _ = writeln!(out, "{}", arg_head(arg));
            let help = arg
                .get_long_help()
                .or(arg.get_help())
                .map(|h| h.to_string())
                .unwrap_or_default();
            let mut text = esc(&sentence(&help));
            let choices: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_owned())
                .collect();
            if !choices.is_empty() && arg.get_action().takes_values() {
                let _ = write!(text, " One of: {}.", esc(&choices.join(", ")));
            }
            // A flag's default ("false") says nothing.
            let defaults: Vec<String> = if arg.get_action().takes_values() {
                arg.get_default_values()
            } else {
                &[]
            }
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
            if !defaults.is_empty() {
                let _ = write!(text, " Default: {}.", esc(&defaults.join(", ")));
            }
            let _ = writeln!(out, "{text}");
        }
    }

    section(&mut out, "EXIT STATUS");
    for (code, text) in [
        (
            "0",
            "No errors: warnings alone exit 0 unless --deny-warnings; a dry run \
             whose messages all ran and matched their expectations.",
        ),
        (
            "1",
            "Findings: lint errors, run-time errors in a dry run, or an expectation \
             that did not match.",
        ),
        (
            "2",
            "sieve-lint could not do its job: a bad option, a file that cannot be \
             read, a bad list or settings file, output that cannot be written.",
        ),
    ] {
        let _ = writeln!(out, ".TP\n.B {code}\n{}", esc(text));
    }

    section(&mut out, "FILES");
    let _ = writeln!(out, ".TP\n.B sieve\\-lint.toml");
    let _ = writeln!(
        out,
        "{}",
        esc("The project's settings (the settings file). Described below.")
    );
    para(
        &mut out,
        "sieve-lint.toml holds the project's settings. Each linted file uses the \
         nearest sieve-lint.toml in its own folder or above it (standard input: the \
         folder of --stdin-filename, else the current folder; run: the script's \
         folder); --config PATH names one for every file, --no-config ignores them; \
         options on the command line override it. Paths in it are relative to it. Every key is optional; \
         an unknown key or a value of the wrong type is an error with its line \
         and column (exit 2). A full example:",
    );
    for block in toml_blocks(README) {
        let _ = writeln!(out, ".PP\n.nf\n.RS 4");
        for line in block.lines() {
            let _ = writeln!(out, "{}", esc_line(line));
        }
        let _ = writeln!(out, ".RE\n.fi");
    }

    section(&mut out, "ENVIRONMENT");
    let _ = writeln!(
        out,
        ".TP\n.B NO_COLOR\n{}",
        esc(
            "When set (to anything), the human format uses no colour. Colour is also \
             off when standard output is not a terminal."
        )
    );

    section(&mut out, "EXAMPLES");
    for (what, command) in [
        (
            "Lint every script below a folder:",
            "sieve-lint check filters/",
        ),
        (
            "One line per problem, for editors and grep:",
            "sieve-lint check --format short filters/",
        ),
        (
            "Lint for the server the scripts run on:",
            "sieve-lint check --target dovecot-2.3 filters/",
        ),
        (
            "Apply the safe fixes, showing the changes first:",
            "sieve-lint check --diff filters/ && sieve-lint check --fix filters/",
        ),
        (
            "What a script does with a Maildir, with an address book:",
            "sieve-lint run filter.sieve ~/Maildir --list :addrbook:default=contacts.csv",
        ),
        (
            "Annotations on a GitHub pull request:",
            "sieve-lint check --format github filters/",
        ),
        (
            "A rule's documentation:",
            "sieve-lint explain missing-require",
        ),
    ] {
        let _ = writeln!(out, ".PP\n{}\n.PP\n.RS 4\n.nf", esc(what));
        let _ = writeln!(out, "{}", esc_line(command));
        let _ = writeln!(out, ".fi\n.RE");
    }

    section(&mut out, "STANDARDS");
    para(
        &mut out,
        "RFC 5228 (Sieve), RFC 6134 (externally stored lists), RFC 5804 \
         (ManageSieve) and the Sieve extension RFCs named by each rule.",
    );
    section(&mut out, "SEE ALSO");
    let _ = writeln!(out, ".BR sievec (1),\n.BR sieve\\-test (1)");
    out
}

static README: &str = include_str!("../../README.md");

/// The ```toml blocks of README's settings section.
fn toml_blocks(readme: &str) -> Vec<&str> {
    let Some(start) = readme.find("## Configuration") else {
        return Vec::new();
    };
    let rest = &readme[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    let mut blocks = Vec::new();
    let mut s = &rest[..end];
    while let Some(open) = s.find("```toml\n") {
        let body = &s[open + 8..];
        let Some(close) = body.find("```") else { break };
        blocks.push(body[..close].trim_end());
        s = &body[close + 3..];
    }
    blocks
}

fn visible(cmd: &Command) -> impl Iterator<Item = &Command> {
    cmd.get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
}

fn section(out: &mut String, name: &str) {
    let _ = writeln!(out, ".SH \"{name}\"");
}

fn para(out: &mut String, text: &str) {
    for p in text.split("\n\n") {
        let p = p.split_whitespace().collect::<Vec<_>>().join(" ");
        if !p.is_empty() {
            let _ = writeln!(out, ".PP\n{}", esc_line(&p));
        }
    }
}

/// `sieve-lint check [OPTIONS] [PATH]...` as roff.
fn synopsis(sub: &Command) -> String {
    let args = args_of(sub);
    if args.is_empty() {
        format!(".B sieve\\-lint {}", esc(sub.get_name()))
    } else {
        format!(".B sieve\\-lint {}\n{}", esc(sub.get_name()), esc(&args))
    }
}

fn synopsis_plain(sub: &Command) -> String {
    format!("sieve-lint {} {}", sub.get_name(), args_of(sub))
}

fn args_of(sub: &Command) -> String {
    let mut parts = Vec::new();
    if sub.get_arguments().any(|a| {
        !a.is_positional() && !a.is_hide_set() && a.get_id() != "help" && a.get_id() != "version"
    }) {
        parts.push("[OPTIONS]".to_owned());
    }
    for a in sub.get_positionals().filter(|a| !a.is_hide_set()) {
        let name = a
            .get_value_names()
            .and_then(|v| v.first())
            .map(|v| v.to_string())
            .unwrap_or_else(|| a.get_id().to_string().to_uppercase());
        let many = a.get_num_args().is_some_and(|n| n.max_values() > 1);
        let dots = if many { "..." } else { "" };
        parts.push(if a.is_required_set() {
            format!("{name}{dots}")
        } else {
            format!("[{name}]{dots}")
        });
    }
    for s in sub.get_subcommands().filter(|s| s.get_name() != "help") {
        parts.push(s.get_name().to_owned());
    }
    parts.join(" ")
}

/// `\fB\-\-format\fR \fIFORMAT\fR`, `\fB\-q\fR, \fB\-\-quiet\fR`, `\fIPATH\fR`.
fn arg_head(arg: &clap::Arg) -> String {
    let value = || {
        arg.get_value_names()
            .and_then(|v| v.first())
            .map(|v| v.to_string())
            .unwrap_or_else(|| arg.get_id().to_string().to_uppercase())
    };
    if arg.is_positional() {
        return format!("\\fI{}\\fR", esc(&value()));
    }
    let mut names = Vec::new();
    if let Some(s) = arg.get_short() {
        names.push(format!("\\fB\\-{}\\fR", esc(&s.to_string())));
    }
    if let Some(l) = arg.get_long() {
        names.push(format!("\\fB\\-\\-{}\\fR", esc(l)));
    }
    let mut head = names.join(", ");
    if arg.get_action().takes_values() {
        let _ = write!(head, " \\fI{}\\fR", esc(&value()));
    }
    head
}

/// Help text as a sentence: ends with a full stop.
fn sentence(s: &str) -> String {
    let t = s.trim_end();
    if t.is_empty() || t.ends_with(['.', '!', '?', ')']) {
        t.to_owned()
    } else {
        format!("{t}.")
    }
}

/// Escapes text for roff: backslashes, hyphens, and characters outside
/// ASCII as `\[uXXXX]` (troff reads its input as Latin-1 otherwise).
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\e"),
            '-' => out.push_str("\\-"),
            c if c.is_ascii() => out.push(c),
            c => {
                let _ = write!(out, "\\[u{:04X}]", u32::from(c));
            }
        }
    }
    out
}

/// Escapes a whole line, which must not start with a control character.
fn esc_line(s: &str) -> String {
    let e = esc(s);
    if e.starts_with('.') || e.starts_with('\'') {
        format!("\\&{e}")
    } else {
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_settings_examples_are_found() {
        let blocks = toml_blocks(README);
        assert!(blocks.len() >= 2, "{blocks:?}");
        assert!(blocks[0].contains("target = "));
        assert!(blocks.iter().any(|b| b.contains("exclude")));
    }

    #[test]
    fn roff_escapes_control_lines_and_backslashes() {
        assert_eq!(esc_line(".hidden"), "\\&.hidden");
        assert_eq!(esc("a\\b-c"), "a\\eb\\-c");
        assert_eq!(esc("a…"), "a\\[u2026]");
    }
}
