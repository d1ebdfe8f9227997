use super::include_files::{Found, file_names, includes, resolve};
use super::{Rule, declare_rule};
use crate::check::Context;
use crate::diagnostic::show;

declare_rule! {
    /// ## What it does
    /// Reports an `include` (RFC 6609) naming a script that is not there:
    /// for `include` and `include :personal`, beside the script being
    /// checked; for `include :global`, in the `--include-dir` folders (or
    /// `include-dir` of sieve-lint.toml). A script name `x` is the file
    /// `x.sieve` (as Dovecot stores scripts) or the file `x`.
    ///
    /// Checked only when the folder is there: not for standard input, and
    /// not for `:global` without an include folder. `include :optional` is
    /// never reported, nor names built from variables.
    ///
    /// ## Why is this bad?
    /// RFC 6609 §3.2: "Sieve implementations MUST generate an error at
    /// execution time if an included script does not exist, except when
    /// the ":optional" parameter is specified." The server accepts the
    /// script (it MUST NOT report a missing script at upload), and every
    /// message that reaches the `include` fails the script at delivery,
    /// where the implicit keep files it into the inbox. A warning, then:
    /// the script is valid, and the included one may be uploaded later.
    ///
    /// ## Example
    /// ```sieve
    /// require "include";
    /// include "spam-rules";   # no spam-rules.sieve beside this script
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "include";
    /// include :optional "spam-rules";
    /// ```
    ///
    /// ## RFC
    /// RFC 6609 §3.2
    ///
    /// ## Severity
    /// Warning: RFC 6609 §3.2: a missing included script is an error "at
    /// execution time", and servers MUST NOT report it at upload; the script
    /// fails at delivery on the messages that reach the `include`.
    pub struct MissingInclude {
        code: "SL0240",
        name: "missing-include",
        severity: Warning,
        summary: "an `include` of a script that is not beside the script or in --include-dir",
    }
}

impl Rule for MissingInclude {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let Some(script) = cx.script_path else {
            return;
        };
        let dirs = &cx.options.include_dirs;
        for inc in includes(cx) {
            if inc.optional {
                continue;
            }
            let Found::Missing(looked) = resolve(&inc, script, dirs) else {
                continue;
            };
            let [with_ext, as_given] = file_names(&inc.name);
            let folders: Vec<String> = looked
                .iter()
                .map(|d| format!("'{}'", d.display()))
                .collect();
            let (label, place) = if inc.global {
                ("not in the include folders", "--include-dir")
            } else {
                ("no such script beside this one", "this script's folder")
            };
            cx.report(
                inc.span,
                format!("included script {} not found", show(&inc.name)),
            )
            .with_primary_label(label)
            .with_help(format!(
                "looked for {with_ext} and {as_given} in {}; at delivery a missing script \
                 fails the script (RFC 6609 §3.2): add it to {place}, fix the name, or \
                 use `include :optional`",
                folders.join(", ")
            ));
        }
    }
}
