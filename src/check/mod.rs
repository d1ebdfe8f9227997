//! The checker: builds the semantic model once (every command and test
//! resolved against the extension catalog, arguments bound to signatures),
//! then runs every rule of the registry over it.

mod model;
pub mod suppress;

pub use model::{Binding, BoundTag, Issue, ListContext, ListRef, Model, Node, Use};

use crate::diagnostic::{Diagnostic, Severity};
use crate::profiles::Profile;
use crate::rules::{RULES, RuleInfo, RuleLevel};
use crate::syntax::ast::{Script, Span};

/// Options that change what the checker reports.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// URI schemes the target server supports for list names (its
    /// ManageSieve EXTLISTS capability); `None`: any.
    pub list_schemes: Option<Vec<String>>,
    /// The lists the server says exist (full names in its EXTLISTS
    /// capability, normalized); `None`: not known.
    pub list_names: Option<Vec<String>>,
    /// Lists the user supplied; names not among them are reported.
    pub lists: Option<crate::lists::ListSet>,
    /// The server the script is for (`--target`); `None`: `rfc`.
    pub target: Option<&'static Profile>,
    /// Capabilities the server has beyond its profile, lower case.
    pub capabilities_added: Vec<String>,
    /// Capabilities of the profile the server lacks, lower case.
    pub capabilities_removed: Vec<String>,
    /// Per-rule severity (rule code → level) set by the project.
    pub rule_levels: Vec<(&'static str, RuleLevel)>,
    /// Nesting reported by deep-nesting; `None`: the target's, else 32.
    pub max_nesting: Option<usize>,
    /// Script size reported by script-too-large; `None`: the target's,
    /// else 1 MiB.
    pub max_script_size: Option<usize>,
    /// Where `include :global` finds scripts (`--include-dir`, the settings
    /// file's `include-dir`); empty: `:global` includes are not looked up.
    pub include_dirs: Vec<std::path::PathBuf>,
}

/// Nesting that Dovecot refuses (design.md): the default of deep-nesting.
pub const DEFAULT_MAX_NESTING: usize = 32;
/// The script size above which sieve-lint warns (Dovecot's default limit).
pub const DEFAULT_MAX_SCRIPT_SIZE: usize = 1 << 20;

impl CheckOptions {
    /// The target server's profile.
    pub fn target(&self) -> &'static Profile {
        self.target.unwrap_or_else(crate::profiles::default_profile)
    }

    /// Whether the target accepts `capability` in `require`: its profile,
    /// plus the capabilities added, minus those removed.
    pub fn target_supports(&self, capability: &str) -> bool {
        let lower = capability.to_ascii_lowercase();
        if self.capabilities_removed.contains(&lower) {
            return false;
        }
        self.capabilities_added.contains(&lower) || self.target().supports(&lower)
    }

    /// The list-name schemes the target accepts: `--list-schemes` (or the
    /// config file), else the target's; `None`: any.
    pub fn effective_list_schemes(&self) -> Option<Vec<String>> {
        self.list_schemes.clone().or_else(|| {
            self.target()
                .list_schemes
                .map(|s| s.iter().map(|x| (*x).to_owned()).collect())
        })
    }

    /// The first nesting depth deep-nesting reports: `--max-nesting` (or
    /// the settings file), else one past the deepest the target accepts,
    /// else 32.
    pub fn nesting_limit(&self) -> usize {
        self.max_nesting
            .or(self.target().limits.max_nesting.map(|deepest| deepest + 1))
            .unwrap_or(DEFAULT_MAX_NESTING)
    }

    pub fn script_size_limit(&self) -> usize {
        self.max_script_size
            .or(self.target().limits.max_script_size)
            .unwrap_or(DEFAULT_MAX_SCRIPT_SIZE)
    }

    /// The level the project set for a rule, if any.
    pub fn rule_level(&self, code: &str) -> Option<RuleLevel> {
        self.rule_levels
            .iter()
            .rev()
            .find(|(c, _)| *c == code)
            .map(|(_, l)| *l)
    }
}

/// What a rule sees: the source, the tree, the model; and where it reports.
pub struct Context<'m, 's> {
    pub source: &'s str,
    pub script: &'s Script<'s>,
    pub model: &'m Model<'s>,
    pub options: &'m CheckOptions,
    /// The parser reported errors: some commands are missing from the
    /// tree, so rules that conclude from absence stay quiet.
    pub parse_failed: bool,
    /// The file the script was read from (`None`: standard input, or text
    /// given by a library caller): `include :personal` looks beside it.
    pub script_path: Option<&'m std::path::Path>,
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
        self.out.push(Diagnostic {
            severity,
            ..Diagnostic::new(self.rule, span, message)
        });
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    /// The source text of a span.
    pub fn text(&self, span: Span) -> &'s str {
        self.source.get(span.range()).unwrap_or("")
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

/// The project's per-rule levels (`[rules]` in sieve-lint.toml) applied to
/// every diagnostic of a script, whoever made it (a rule, or the
/// suppression pass): `off` drops it, the others set its severity.
pub fn apply_levels(options: &CheckOptions, diagnostics: &mut Vec<Diagnostic>) {
    if options.rule_levels.is_empty() {
        return;
    }
    diagnostics.retain_mut(|d| match options.rule_level(d.code) {
        None => true,
        Some(level) => level.severity().is_some_and(|s| {
            d.severity = s;
            true
        }),
    });
}

/// Runs every rule over a parsed script.
pub fn check(
    source: &str,
    script: &Script,
    parse_failed: bool,
    options: &CheckOptions,
) -> CheckResult {
    check_file(source, script, parse_failed, options, None)
}

/// [`check`] a script read from `script_path`: the rules that look at the
/// files it includes (RFC 6609) find them beside it.
pub fn check_file(
    source: &str,
    script: &Script,
    parse_failed: bool,
    options: &CheckOptions,
    script_path: Option<&std::path::Path>,
) -> CheckResult {
    use rayon::prelude::*;
    let model = Model::build(script);
    let lists = model
        .lists
        .iter()
        .map(|r| ListInfo {
            span: r.lit.span,
            name: r.lit.value.to_string(),
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
        // A rule switched off does not run (apply_levels drops the rest).
        if options.rule_level(rule.info().code) == Some(RuleLevel::Off) {
            return Vec::new();
        }
        let mut cx = Context {
            source,
            script,
            model: &model,
            options,
            parse_failed,
            script_path,
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
