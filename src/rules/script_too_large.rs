use super::{Rule, declare_rule};
use crate::check::Context;
use crate::syntax::ast::Span;

declare_rule! {
    /// ## What it does
    /// Reports a script larger than the size limit: 1 MiB by default
    /// (Dovecot's `sieve_max_script_size`), the target server's where its
    /// profile documents one, or `[limits] max-script-size` from
    /// sieve-lint.toml. The diagnostic points at the first character that
    /// does not fit within the limit.
    ///
    /// ## Why is this bad?
    /// Servers refuse scripts above their limit at upload (ManageSieve
    /// `PUTSCRIPT` answers `NO (QUOTA/MAXSIZE)`), so none of the rules
    /// apply. Scripts that large are usually generated: a list of
    /// addresses belongs in an external list (RFC 6134), not in the
    /// script.
    ///
    /// ## Example
    /// A script of more than 1,048,576 bytes.
    ///
    /// ## Use instead
    /// Move long address lists into an externally stored list
    /// (`:list "…"`), or split the script with `include`.
    ///
    /// ## RFC
    /// RFC 5804 §2.6 (ManageSieve quota responses)
    ///
    /// ## Severity
    /// Error with a `--target` whose server refuses larger scripts at upload
    /// (ManageSieve PUTSCRIPT answers NO (QUOTA/MAXSIZE), RFC 5804 §2.6);
    /// otherwise a warning.
    pub struct ScriptTooLarge {
        code: "SL0222",
        name: "script-too-large",
        severity: Warning,
        summary: "the script is larger than the server accepts",
    }
}

impl Rule for ScriptTooLarge {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let limit = cx.options.script_size_limit();
        let len = cx.source.len();
        if len <= limit {
            return;
        }
        // The first character that does not fit entirely within the limit.
        let mut start = limit;
        while start > 0 && !cx.source.is_char_boundary(start) {
            start -= 1;
        }
        let end = cx.source[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
        // The target's server refuses it at upload: an error.
        let severity = if cx.options.max_script_size.is_none()
            && cx
                .options
                .target
                .is_some_and(|t| t.limits.max_script_size.is_some())
        {
            crate::diagnostic::Severity::Error
        } else {
            crate::diagnostic::Severity::Warning
        };
        cx.report_with(
            Span::new(start, end),
            severity,
            format!("the script is {len} bytes, more than the limit of {limit}"),
        )
        .with_primary_label("the limit is reached here")
        .with_help(
            "move long address lists into an external list (RFC 6134 `:list`), or split the \
             script with `include`",
        );
    }
}
