//! The checker: builds the semantic model once (every command and test
//! resolved against the extension catalog, arguments bound to signatures),
//! then runs every rule of the registry over it.

mod model;
pub mod suppress;

pub use model::{Binding, BoundTag, Issue, ListContext, ListRef, Model, Node, Use};

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{RULES, RuleInfo};
use crate::syntax::ast::{Script, Span};

/// Options that change what the checker reports.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// URI schemes the target server supports for list names (its
    /// ManageSieve EXTLISTS capability); `None`: any.
    pub list_schemes: Option<Vec<String>>,
    /// Lists the user supplied; names not among them are reported.
    pub lists: Option<crate::lists::ListSet>,
}

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
            fix: None,
        });
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    /// The source text of a span.
    pub fn text(&self, span: Span) -> &'s str {
        self.source.get(span.start..span.end).unwrap_or("")
    }
}

/// A list name as the JSON output shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ListInfo {
    pub span: Span,
    /// As written.
    pub name: String,
    /// `match-key`, `redirect`, or `valid_ext_list`.
    pub context: &'static str,
    /// The normalized name (`None` when invalid or built from variables).
    pub normalized: Option<String>,
    /// Why the name is invalid.
    pub error: Option<String>,
    /// Built from variables: checked at run time only.
    pub dynamic: bool,
}

/// What checking a script gives.
#[derive(Debug, Clone, Default)]
pub struct CheckResult {
    pub diagnostics: Vec<Diagnostic>,
    pub lists: Vec<ListInfo>,
}

/// Models with at least this many uses run their rules on all cores.
const PARALLEL_USES: usize = 20_000;

/// Runs every rule over a parsed script.
pub fn check(
    source: &str,
    script: &Script,
    parse_failed: bool,
    options: &CheckOptions,
) -> CheckResult {
    use rayon::prelude::*;
    let model = Model::build(script);
    let lists = model
        .lists
        .iter()
        .map(|r| ListInfo {
            span: r.lit.span,
            name: r.lit.value.clone(),
            context: match r.context {
                ListContext::MatchKey => "match-key",
                ListContext::RedirectTarget => "redirect",
                ListContext::ValidExtList => "valid_ext_list",
            },
            normalized: r
                .parsed
                .as_ref()
                .and_then(|p| p.as_ref().ok())
                .map(|n| n.normalized.clone()),
            error: r
                .parsed
                .as_ref()
                .and_then(|p| p.as_ref().err())
                .map(|e| e.to_string()),
            dynamic: r.parsed.is_none(),
        })
        .collect();
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
    CheckResult {
        diagnostics: outs.into_iter().flatten().collect(),
        lists,
    }
}
