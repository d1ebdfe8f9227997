use super::{Rule, declare_rule};
use crate::check::Context;
use crate::diagnostic::show;
use crate::syntax::ast::Argument;

declare_rule! {
    /// ## What it does
    /// With `--target` (or `target` in sieve-lint.toml), reports every
    /// `require` of an extension the target server does not support, and
    /// every use of a feature it lacks inside an extension it does support
    /// (such as `redirect :list`). The message names the server. A
    /// project adds or removes capabilities of its server's profile with
    /// `[capabilities] add`/`remove` in sieve-lint.toml.
    ///
    /// Without a target (`rfc`, the default) every registered extension is
    /// supported and this rule reports nothing.
    ///
    /// ## Why is this bad?
    /// The server refuses the whole script when it is uploaded or compiled
    /// ("unsupported extension"), so none of its rules apply and mail is
    /// delivered to the inbox unfiltered. Finding out before upload is the
    /// point of linting against a target.
    ///
    /// ## Example
    /// ```sieve
    /// # sieve-lint --target dovecot-2.3
    /// require ["extlists", "fileinto"];
    /// if address :list "from" ":addrbook:default" { fileinto "Known"; }
    /// ```
    ///
    /// ## Use instead
    /// Use only what the server supports, or guard optional parts with
    /// `ihave` (RFC 5463):
    /// ```sieve
    /// # sieve-lint --target dovecot-2.3
    /// require "fileinto";
    /// if address :is "from" "boss@example.com" { fileinto "Known"; }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §3.2
    ///
    /// ## Severity
    /// Error: the `--target` server refuses the script at upload (RFC 5228
    /// §3.2: a require of an extension the implementation does not support is
    /// an error).
    pub struct UnsupportedByTarget {
        code: "SL0220",
        name: "unsupported-by-target",
        severity: Error,
        summary: "the target server does not support an extension or feature the script uses",
    }
}

impl Rule for UnsupportedByTarget {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let options = cx.options;
        let target = options.target();
        for r in &cx.model.requires {
            let name = r.capability.value.as_ref();
            // Unknown names are unknown-capability's.
            if !crate::ext::is_known_capability(name) || options.target_supports(name) {
                continue;
            }
            let removed = options
                .capabilities_removed
                .contains(&name.to_ascii_lowercase());
            cx.report(
                r.capability.span,
                format!("{} is not supported by {}", show(name), target.server),
            )
            .with_primary_label(if removed {
                "removed from the target's capabilities in sieve-lint.toml"
            } else {
                "the server refuses the whole script"
            })
            .with_help(format!(
                "remove the extension and the commands that use it, or guard them with `ihave`; \
                 if your server has it, add it to `[capabilities] add` (profile `{}`: \
                 `sieve-lint targets` shows its sources)",
                target.id
            ));
        }
        for f in target.missing_features {
            for u in &cx.model.uses {
                let name = u.node.name();
                if !name.name.eq_ignore_ascii_case(f.command) {
                    continue;
                }
                let span = match f.tag {
                    None => Some(name.span),
                    Some(tag) => u.node.args().args.iter().find_map(|a| match a {
                        Argument::Tag(t)
                            if t.name.eq_ignore_ascii_case(tag.trim_start_matches(':')) =>
                        {
                            Some(t.span)
                        }
                        _ => None,
                    }),
                };
                if let Some(span) = span {
                    cx.report(
                        span,
                        format!("{} is not supported by {}", f.name, target.server),
                    )
                    .with_primary_label("the server refuses the whole script")
                    .with_help(format!(
                        "do without {} on this server (profile `{}`: `sieve-lint targets` \
                         shows its sources)",
                        f.name, target.id
                    ));
                }
            }
        }
    }
}
