use super::{Rule, declare_rule};
use crate::check::{Context, Node};
use crate::syntax::ast::Span;

declare_rule! {
    /// ## What it does
    /// Reports, once per script, the first block nested 32 levels deep, or
    /// the first test nested 32 levels deep inside one command (a command's
    /// own test is level 1; `not`, `allof` and `anyof` add a level each).
    /// Dovecot (Pigeonhole) refuses both: "cannot nest command blocks
    /// deeper than 32 levels" and "cannot nest tests deeper than 32
    /// levels", counting the level the block or test stands in. Blocks and
    /// tests are counted separately, as Dovecot does. Scripts with syntax
    /// errors are not checked (nesting-too-deep covers nesting the parser
    /// itself refuses).
    ///
    /// The limit is 32 by default; `[limits] max-nesting` in sieve-lint.toml
    /// changes it, and a `--target` whose server documents another limit
    /// uses that one.
    ///
    /// ## Why is this bad?
    /// The script is valid Sieve, but Dovecot refuses to compile it. Such
    /// nesting is almost always generated, and can be flattened.
    ///
    /// ## Example
    /// ```sieve
    /// if not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not not true { keep; }
    /// ```
    ///
    /// ## Use instead
    /// Flatten the logic: `allof`/`anyof` take many tests at one level,
    /// `elsif` chains replace nested `if`s, `stop` ends a branch early, and
    /// an even number of `not`s cancels out:
    /// ```sieve
    /// if true { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §8.2 (grammar; the limit is Dovecot's)
    ///
    /// ## Severity
    /// Error with a `--target` whose server refuses the nesting at upload
    /// (Dovecot: "cannot nest command blocks deeper than 32 levels"); otherwise
    /// a warning: RFC 5228 §2.10.7 only requires fifteen levels, so deeper
    /// scripts are valid but fail on some servers.
    pub struct DeepNesting {
        code: "SL0211",
        name: "deep-nesting",
        severity: Warning,
        summary: "blocks or tests nested deeper than Dovecot accepts",
    }
}

impl Rule for DeepNesting {
    fn check(&self, cx: &mut Context<'_, '_>) {
        // Past the parser's own limits nesting-too-deep has said it all.
        if cx.parse_failed {
            return;
        }
        let limit = cx.options.nesting_limit();
        // Who sets the limit, for the message.
        let who = if cx.options.max_nesting.is_some() {
            "the project's limit allows no".to_owned()
        } else if let Some(server) = cx.options.target.filter(|t| t.limits.max_nesting.is_some()) {
            format!("{} refuses", server.server)
        } else {
            "Dovecot refuses".to_owned()
        };
        // The target's server refuses the script at upload: an error.
        let severity = if cx.options.max_nesting.is_none()
            && cx
                .options
                .target
                .is_some_and(|t| t.limits.max_nesting.is_some())
        {
            crate::diagnostic::Severity::Error
        } else {
            crate::diagnostic::Severity::Warning
        };
        let mut command_depth = 0;
        for u in &cx.model.uses {
            match u.node {
                Node::Command(cmd) => {
                    command_depth = u.depth as usize;
                    let Some(block) = &cmd.block else { continue };
                    if u.depth as usize + 1 >= limit {
                        let open = Span::new(block.span.start(), block.span.start() + 1);
                        cx.report_with(
                            open,
                            severity,
                            format!("block nested {} levels deep", u.depth + 1),
                        )
                        .with_primary_label(format!("{who} more than {} nested blocks", limit - 1))
                        .with_label(cmd.name.span, "this command's block")
                        .with_help(
                            "flatten the logic: `elsif` chains replace nested `if`s, and \
                             `allof` combines conditions",
                        );
                        return;
                    }
                }
                Node::Test(test) => {
                    // Uses are in source order: a test follows its command.
                    let level = (u.depth as usize).saturating_sub(command_depth);
                    if level >= limit {
                        cx.report_with(
                            test.name.span,
                            severity,
                            format!("test nested {level} levels deep"),
                        )
                        .with_primary_label(format!("{who} more than {} nested tests", limit - 1))
                        .with_help(
                            "flatten the logic: `allof`/`anyof` take many tests at one level, \
                             and `not not` cancels out",
                        );
                        return;
                    }
                }
            }
        }
    }
}
