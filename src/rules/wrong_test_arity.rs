use super::{Rule, declare_rule};
use crate::check::{Context, Issue};
use crate::ext::TestArity;
use crate::syntax::ast::{Span, Tests};

declare_rule! {
    /// ## What it does
    /// Reports a command or test given the wrong number of tests: `if` and
    /// `not` take exactly one test, `allof` and `anyof` a test list in
    /// parentheses, and other commands and tests none.
    ///
    /// ## Why is this bad?
    /// The server rejects the script. `if (a, b)` is not "if a and b": it
    /// needs `allof` or `anyof`.
    ///
    /// ## Example
    /// ```sieve
    /// if (exists "x-spam", exists "x-virus") { discard; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// if anyof (exists "x-spam", exists "x-virus") { discard; }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §3.1, §5.2, §5.3, §5.8
    ///
    /// ## Severity
    /// Error: RFC 5228 §3.1, §5.2, §5.3, §5.8: `if` takes one test,
    /// `allof`/`anyof` a test list, `not` one test; anything else does not
    /// follow the grammar.
    pub struct WrongTestArity {
        code: "SL0310",
        name: "wrong-test-arity",
        severity: Error,
        summary: "a test missing, or given where none or a list belongs",
    }
}

impl Rule for WrongTestArity {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for (u, issue) in model.issues() {
            let Issue::WrongTests { expected, found } = issue else {
                continue;
            };
            let name = u.node.name();
            let n = &name.name;
            // A command read as a test: with its braces forgotten
            // (`if … keep;`) missing-block reports it, one diagnostic.
            if let (TestArity::None, Some(Tests::One(_))) = (expected, found)
                && (super::missing_block::in_blockless_command(model, u)
                    || u.issues().iter().any(|i| matches!(i, Issue::MissingBlock)))
                && model.uses.iter().any(|t| {
                    t.parent().is_some_and(|p| std::ptr::eq(&model.uses[p], u))
                        && super::missing_block::command_as_test(t)
                })
            {
                continue;
            }
            let (span, message, help) = match (expected, found) {
                // `else if …`: Sieve spells it `elsif` (RFC 5228 §3.1).
                (TestArity::None, Some(Tests::One(t))) if name.is("else") && t.name.is("if") => (
                    Span::new(name.span.start(), t.name.span.end()),
                    "`else if` is written `elsif` in Sieve".to_owned(),
                    format!(
                        "write `elsif {}`",
                        cx.text(Span::new(t.name.span.end(), t.span.end())).trim()
                    ),
                ),
                (TestArity::None, Some(t)) if name.is("else") => (
                    t.span(),
                    "`else` takes no test".to_owned(),
                    "use `elsif <test> { … }` for a branch with a condition".to_owned(),
                ),
                (TestArity::None, Some(t)) => (
                    t.span(),
                    format!("`{n}` takes no test"),
                    if u.node.is_command() {
                        "a command that is not `if`/`elsif` ends with ';'; did a ';' go missing?"
                            .to_owned()
                    } else {
                        format!("remove the test after `{n}`")
                    },
                ),
                (TestArity::One, None) => (
                    name.span,
                    format!("`{n}` needs a test"),
                    format!("write `{n} <test>`"),
                ),
                (TestArity::One, Some(Tests::List { span, tests })) => (
                    *span,
                    format!("`{n}` takes one test, not a test list"),
                    if tests.len() > 1 {
                        "combine the tests with `allof (…)` (all true) or `anyof (…)` (any true)"
                            .to_owned()
                    } else {
                        "remove the parentheses".to_owned()
                    },
                ),
                (TestArity::List, None) => (
                    name.span,
                    format!("`{n}` needs a test list"),
                    format!("write `{n} (<test>, <test>, …)`"),
                ),
                (TestArity::List, Some(Tests::One(t))) => (
                    t.span,
                    format!("`{n}` takes a test list in parentheses"),
                    format!("write `{n} ({})`", cx.text(t.span)),
                ),
                _ => continue,
            };
            let label = match expected {
                TestArity::None => "unexpected test",
                TestArity::One => "one test expected",
                TestArity::List => "test list expected",
            };
            cx.report(span, message)
                .with_primary_label(label)
                .with_help(help);
        }
    }
}
