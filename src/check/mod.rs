//! The checker: builds the semantic model once (every command and test
//! resolved against the extension catalog, arguments bound to signatures),
//! then runs every rule of the registry over it.

mod model;

pub use model::{Binding, BoundTag, Issue, Model, Node, Use};

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{RULES, RuleInfo};
use crate::syntax::ast::{Script, Span};

/// Options that change what the checker reports.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {}

/// What a rule sees: the source, the tree, the model; and where it reports.
pub struct Context<'m, 's> {
    pub source: &'s str,
    pub script: &'s Script,
    pub model: &'m Model<'s>,
    pub options: &'m CheckOptions,
    /// The parser reported errors: some commands are missing from the
    /// tree, so rules that conclude from absence stay quiet.
    pub parse_failed: bool,
    rule: &'static RuleInfo,
    out: Vec<Diagnostic>,
}

impl<'m, 's> Context<'m, 's> {
    /// Reports a finding of the running rule at `span`.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        self.report_with(span, self.rule.severity, message)
    }

    /// Reports with a severity other than the rule's default.
    pub fn report_with(
        &mut self,
        span: Span,
        severity: Severity,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let rule = self.rule;
        self.out.push(Diagnostic {
            code: rule.code,
            name: rule.name,
            severity,
            message: message.into(),
            span,
            label: None,
            labels: Vec::new(),
            help: None,
            rfc: rule.rfc(),
        });
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    /// The source text of a span.
    pub fn text(&self, span: Span) -> &'s str {
        self.source.get(span.start..span.end).unwrap_or("")
    }
}

/// Models with at least this many uses run their rules on all cores.
const PARALLEL_USES: usize = 20_000;

/// Runs every rule over a parsed script.
pub fn check(
    source: &str,
    script: &Script,
    parse_failed: bool,
    options: &CheckOptions,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let model = Model::build(script);
    let run = |rule: &&dyn crate::rules::Rule| {
        let mut cx = Context {
            source,
            script,
            model: &model,
            options,
            parse_failed,
            rule: rule.info(),
            out: Vec::new(),
        };
        rule.check(&mut cx);
        cx.out
    };
    let outs: Vec<Vec<Diagnostic>> = if model.uses.len() >= PARALLEL_USES {
        RULES.par_iter().map(run).collect()
    } else {
        RULES.iter().map(run).collect()
    };
    outs.into_iter().flatten().collect()
}
