use super::{Rule, declare_rule};
use crate::check::Context;
use crate::diagnostic::show;

declare_rule! {
    /// ## What it does
    /// With `--target`, reports a `require` of an extension that the target
    /// server supports but ships disabled, so that an administrator must
    /// enable it (for Dovecot, in `sieve_extensions`). Listing the
    /// extension under `[capabilities] add` in sieve-lint.toml says that
    /// your server has it enabled, and silences this rule.
    ///
    /// ## Why is this bad?
    /// On a server with the default settings the script is refused as
    /// using an unsupported extension. Whether that is a problem depends on
    /// the server's configuration, which sieve-lint cannot see: hence a
    /// warning.
    ///
    /// ## Example
    /// ```sieve
    /// # sieve-lint --target dovecot-2.3
    /// require "editheader";
    /// addheader "X-Filtered" "yes";
    /// ```
    ///
    /// ## Use instead
    /// Enable the extension on the server and say so in sieve-lint.toml
    /// (`[capabilities] add = ["editheader"]`), or do without it:
    /// ```sieve
    /// # sieve-lint --target dovecot-2.3
    /// require "imap4flags";
    /// addflag "filtered";
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §3.2
    ///
    /// ## Severity
    /// Warning: the target server has the extension but ships it disabled; the
    /// script fails at upload unless the administrator enables it (RFC 5228
    /// §3.2: a require of an unavailable extension is an error).
    pub struct DisabledOnTarget {
        code: "SL0221",
        name: "disabled-on-target",
        severity: Warning,
        summary: "the target server ships a required extension disabled",
    }
}

impl Rule for DisabledOnTarget {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let options = cx.options;
        let target = options.target();
        for r in &cx.model.requires {
            let name = r.capability.value.as_ref();
            let lower = name.to_ascii_lowercase();
            if !target.disabled(&lower)
                || !options.target_supports(&lower)
                || options.capabilities_added.contains(&lower)
            {
                continue;
            }
            cx.report(
                r.capability.span,
                format!("{} is disabled by default in {}", show(name), target.server),
            )
            .with_primary_label("refused unless the administrator enables it")
            .with_help(format!(
                "if your server enables it, add {} to `[capabilities] add` in sieve-lint.toml",
                show(&lower)
            ));
        }
    }
}
