use super::include_files::{Found, Graph, canonical, includes, resolve, shown};
use super::{Rule, declare_rule};
use crate::check::Context;
use crate::diagnostic::show;

declare_rule! {
    /// ## What it does
    /// Follows the `include` commands (RFC 6609) of the script being
    /// checked through the scripts they name, as missing-include finds
    /// them (beside the script, or in `--include-dir` for `:global`), and
    /// reports an `include` that leads round in a circle: a script that
    /// includes itself, or `a` includes `b` which includes `a`. Each file is
    /// read once, and includes are followed 16 deep at most.
    ///
    /// An `include :once` of a script already being included is no circle
    /// (RFC 6609 §3.2), nor is anything whose files are not there.
    ///
    /// ## Why is this bad?
    /// RFC 6609 §3.2: "Sieve implementations MUST NOT allow recursive
    /// script inclusion" and "MUST generate an error at execution time if
    /// an included script is a recursive inclusion" — but "MUST NOT
    /// generate errors for recursive includes at upload time". The server
    /// accepts the script, and every message that reaches the `include`
    /// fails it at delivery: a warning.
    ///
    /// ## Example
    /// ```sieve
    /// # main.sieve
    /// require "include";
    /// include "main";
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// # main.sieve
    /// require "include";
    /// include :once "common";
    /// ```
    ///
    /// ## RFC
    /// RFC 6609 §3.2
    ///
    /// ## Severity
    /// Warning: RFC 6609 §3.2: recursive inclusion is an error at execution
    /// time, and servers "MUST NOT generate errors for recursive includes at
    /// upload time"; the script fails at delivery.
    pub struct RecursiveInclude {
        code: "SL0241",
        name: "recursive-include",
        severity: Warning,
        summary: "an `include` that leads back to a script being included",
    }
}

impl Rule for RecursiveInclude {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let Some(script) = cx.script_path else {
            return;
        };
        let incs = includes(cx);
        if incs.is_empty() {
            return;
        }
        let root = canonical(script);
        let mut graph = Graph::new(&cx.options.include_dirs);
        for inc in incs {
            let Found::File(file) = resolve(&inc, script, &cx.options.include_dirs) else {
                continue;
            };
            let file = canonical(&file);
            let circle = if file == root {
                (!inc.once).then(|| vec![root.clone(), root.clone()])
            } else {
                let mut stack = vec![root.clone(), file];
                graph.circle(&mut stack)
            };
            let Some(circle) = circle else { continue };
            let names: Vec<String> = circle.iter().map(|p| shown(p)).collect();
            let message = if circle.len() == 2 && circle[0] == root {
                format!("the script includes itself through {}", show(&inc.name))
            } else {
                format!(
                    "include of {} goes round in a circle: {}",
                    show(&inc.name),
                    names.join(" → ")
                )
            };
            cx.report(inc.span, message)
                .with_primary_label("recursive include")
                .with_help(
                    "RFC 6609 §3.2: a recursive include is an error when the script runs \
                     (servers accept it at upload); break the circle, or include shared \
                     scripts with `include :once`",
                );
        }
    }
}
