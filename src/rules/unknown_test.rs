use super::{Rule, declare_rule};
use crate::check::{Context, Issue, Node};
use crate::ext::catalog;

declare_rule! {
    /// ## What it does
    /// Reports a test that neither the base language nor any known
    /// extension defines. Where an unknown vendor extension or an `ihave`
    /// guard of an unknown or unsupported extension may define it, it is
    /// noted (`info`) instead, as for unknown-command.
    ///
    /// ## Why is this bad?
    /// The server rejects the whole script. Usually a typo (`adress`), a
    /// command used as a test, or a test of an extension that was never
    /// written down.
    ///
    /// ## Example
    /// ```sieve
    /// if adress :domain "from" "example.com" { keep; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// if address :domain "from" "example.com" { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §5
    ///
    /// ## Severity
    /// Error: RFC 5228 §2.10.5 and §5: a test that neither the base language
    /// nor a required extension defines cannot be run; servers refuse the
    /// script at upload. An info where an unchecked vendor extension is
    /// required or an `ihave` guard covers it (RFC 5463 §4).
    ///
    /// The notes: RFC 5228 §6.1 (vendor extensions), RFC 5463 §4 (ihave).
    pub struct UnknownTest {
        code: "SL0207",
        name: "unknown-test",
        severity: Error,
        summary: "a test no known extension defines",
    }
}

impl Rule for UnknownTest {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        let unchecked = super::unknown_command::Unchecked::new(cx);
        for u in model.uses.iter().filter(|u| u.entry.is_none()) {
            let Node::Test(test) = u.node else { continue };
            // A command read as a test is one mistake that another rule
            // reports whole: missing braces (`if … keep;`, missing-block),
            // or a test after what takes none (`else if`, `stop keep;`:
            // wrong-test-arity).
            if super::missing_block::command_as_test(u)
                && (super::missing_block::in_blockless_command(model, u)
                    || u.parent().is_some_and(|p| {
                        model.uses[p].issues().iter().any(|i| {
                            matches!(
                                i,
                                Issue::WrongTests {
                                    expected: crate::ext::TestArity::None,
                                    ..
                                }
                            )
                        })
                    }))
            {
                continue;
            }
            if unchecked.note(cx, u, test.name.span, &format!("test `{}`", test.name.name)) {
                continue;
            }
            let d = cx
                .report(test.name.span, format!("unknown test `{}`", test.name.name))
                .with_primary_label("not a Sieve test");
            if catalog().command(&test.name.name).is_some() {
                d.with_help(format!(
                    "`{}` is a command, not a test: commands go inside the block {{ … }}, each ended by ';'",
                    test.name.name
                ));
            } else if let Some(s) =
                super::unknown_command::closest(&test.name.name, catalog().test_names())
            {
                d.with_help(format!("did you mean `{s}`?"));
            } else {
                d.with_help("check the spelling; a test of an extension also needs its `require`");
            }
        }
    }
}
