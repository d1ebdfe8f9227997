use super::{Rule, declare_rule};
use crate::check::{Context, Issue, Model, Node, Use};
use crate::ext::catalog;

declare_rule! {
    /// ## What it does
    /// Reports `if`, `elsif` or `else` ended with `;` instead of a block.
    ///
    /// ## Why is this bad?
    /// Control commands take a block of commands in braces; `if true;` is
    /// rejected by the server.
    ///
    /// ## Example
    /// ```sieve
    /// if header :contains "subject" "spam";
    /// discard;
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// if header :contains "subject" "spam" {
    ///     discard;
    /// }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §3.1
    ///
    /// ## Severity
    /// Error: RFC 5228 §3.1 and §8.2: the grammar gives `if`, `elsif`, `else`
    /// (and block commands of extensions) a block.
    pub struct MissingBlock {
        code: "SL0311",
        name: "missing-block",
        severity: Error,
        summary: "a control command without its block",
    }
}

impl Rule for MissingBlock {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for (index, u) in model.uses.iter().enumerate() {
            if !u.issues().iter().any(|i| matches!(i, Issue::MissingBlock)) {
                continue;
            }
            let name = u.node.name();
            // `if header :is "a" "b" keep;`: the commands of the block,
            // without braces, were read as tests. One mistake: the missing
            // braces, with the command as a label (not an unknown test and
            // a test that takes no test besides).
            let swallowed = model
                .uses
                .iter()
                .find(|t| command_as_test(t) && nearest_command(model, t) == Some(index));
            debug_assert!(swallowed.is_none_or(|t| in_blockless_command(model, t)));
            let d = cx
                .report(
                    name.span,
                    format!("`{}` must be followed by a block", name.name),
                )
                .with_primary_label("no block");
            match swallowed {
                Some(t) => {
                    let cmd = &t.node.name().name;
                    d.with_label(
                        t.node.name().span,
                        format!("`{cmd}` is a command: it goes in the block"),
                    )
                    .with_help(format!(
                        "put the commands to run in braces: `{} … {{ {cmd}; }}`",
                        name.name
                    ));
                }
                None => {
                    d.with_help("put the commands to run in braces: { … }");
                }
            }
        }
    }
}

/// A command's name where a test stands (`keep` in `if … keep;`, `if` in
/// `else if`): an unknown test that is a known command and no test.
pub(crate) fn command_as_test(u: &Use<'_>) -> bool {
    let Node::Test(test) = u.node else {
        return false;
    };
    u.entry.is_none()
        && catalog().command(&test.name.name).is_some()
        && catalog().test(&test.name.name).is_none()
}

/// The index of the nearest command around `u` (through its tests).
pub(crate) fn nearest_command(model: &Model<'_>, u: &Use<'_>) -> Option<usize> {
    let mut next = u.parent();
    while let Some(i) = next {
        let p = model.uses.get(i)?;
        if p.node.is_command() {
            return Some(i);
        }
        next = p.parent();
    }
    None
}

/// Is the test `u` (or a test inside it) a command whose braces were
/// forgotten, so that missing-block reports it as a label?
pub(crate) fn in_blockless_command(model: &Model<'_>, u: &Use<'_>) -> bool {
    nearest_command(model, u).is_some_and(|i| {
        model.uses[i]
            .issues()
            .iter()
            .any(|i| matches!(i, Issue::MissingBlock))
    })
}
