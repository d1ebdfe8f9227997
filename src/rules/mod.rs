//! The rules: one file each, one registry line each. A rule's doc comment
//! is its documentation (`sieve-lint explain CODE`).

use crate::check::Context;
use crate::diagnostic::Severity;

mod code_after_stop;
mod conflicting_tags;
mod deep_nesting;
mod disabled_on_target;
mod duplicate_require;
mod duplicate_tag;
mod elsif_without_if;
pub(crate) mod flow;
pub(crate) mod include_files;
mod invalid_argument_value;
mod invalid_encoded_character;
mod invalid_redirect_address;
mod invalid_regex;
mod invalid_relational_operator;
mod invalid_utf8;
mod invalid_variable_name;
mod missing_argument;
mod missing_block;
mod missing_include;
mod missing_require;
mod missing_required_tag;
mod missing_tag_argument;
mod nesting_too_deep;
mod recursive_include;
mod reject_with_other_actions;
mod require_after_command;
mod script_too_large;
mod server_disagrees;
mod server_error;
mod server_warning;
mod syntax_error;
mod tag_after_positional;
mod unexpected_argument;
mod unexpected_block;
mod unknown_capability;
mod unknown_command;
mod unknown_comparator;
mod unknown_date_part;
mod unknown_tag;
mod unknown_test;
mod unsupported_by_target;
mod unused_require;
mod unused_suppression;
mod vacation_period_zero;
mod wrong_argument_type;
mod wrong_test_arity;
// generic modules: insert above
mod addrbook_query;
mod comparator_with_list;
mod invalid_addrbook_name;
mod invalid_list_name;
mod invalid_tag_uri;
mod list_on_unsupported_test;
mod list_with_match_type;
mod list_without_extlists;
mod lists_common;
mod never_valid_ext_list;
mod redirect_list_addrbook;
mod redirect_list_misuse;
mod string_list_without_variables;
mod unknown_list;
mod unknown_rule_in_suppression;
mod unknown_sieve_urn_parameter;
mod unsupported_list_scheme;
// extlists modules: insert above

/// Where a byte range of a string's value is in the source (escapes counted).
pub(crate) use invalid_encoded_character::value_span;
pub use invalid_utf8::InvalidUtf8;
pub use nesting_too_deep::NestingTooDeep;
pub use server_disagrees::ServerDisagrees;
pub use server_error::ServerError;
pub use server_warning::ServerWarning;
pub use syntax_error::SyntaxError;
pub use unknown_rule_in_suppression::UnknownRuleInSuppression;
pub use unused_suppression::UnusedSuppression;

/// What `rules` lists and `explain` prints.
#[derive(Debug)]
pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// Markdown, from the rule's doc comment.
    pub doc: &'static str,
}

impl RuleInfo {
    /// The doc text with the one space rustdoc leaves after `///` removed.
    pub fn doc_text(&self) -> String {
        self.doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_owned()
    }

    /// The RFC line of the doc text (under "## RFC").
    pub fn rfc(&self) -> Option<&'static str> {
        let mut lines = self.doc.lines();
        lines.find(|l| l.trim() == "## RFC")?;
        lines.map(str::trim).find(|l| !l.is_empty())
    }
}

pub trait Meta {
    fn info(&self) -> &'static RuleInfo;
}

/// A lint rule. Rules that the parser reports (syntax errors) have no
/// check of their own.
pub trait Rule: Meta + Sync {
    fn check(&self, _cx: &mut Context<'_, '_>) {}
}

/// Declares a rule's struct and its metadata; the doc comment becomes the
/// rule's documentation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            code: $code:literal,
            name: $rname:literal,
            severity: $sev:ident,
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $crate::rules::Meta for $name {
            fn info(&self) -> &'static $crate::rules::RuleInfo {
                static INFO: $crate::rules::RuleInfo = $crate::rules::RuleInfo {
                    code: $code,
                    name: $rname,
                    severity: $crate::diagnostic::Severity::$sev,
                    summary: $summary,
                    doc: concat!($($doc, "\n"),*),
                };
                &INFO
            }
        }
    };
}
pub(crate) use declare_rule;

/// Every rule, in code order. One line per rule.
pub static RULES: &[&dyn Rule] = &[
    &syntax_error::SyntaxError,
    &invalid_utf8::InvalidUtf8,
    &nesting_too_deep::NestingTooDeep,
    &require_after_command::RequireAfterCommand,
    &unknown_capability::UnknownCapability,
    &missing_require::MissingRequire,
    &unused_require::UnusedRequire,
    &duplicate_require::DuplicateRequire,
    &unknown_command::UnknownCommand,
    &unknown_test::UnknownTest,
    &elsif_without_if::ElsifWithoutIf,
    &code_after_stop::CodeAfterStop,
    &unknown_tag::UnknownTag,
    &duplicate_tag::DuplicateTag,
    &conflicting_tags::ConflictingTags,
    &tag_after_positional::TagAfterPositional,
    &missing_tag_argument::MissingTagArgument,
    &missing_argument::MissingArgument,
    &unexpected_argument::UnexpectedArgument,
    &wrong_argument_type::WrongArgumentType,
    &missing_required_tag::MissingRequiredTag,
    &wrong_test_arity::WrongTestArity,
    &missing_block::MissingBlock,
    &unexpected_block::UnexpectedBlock,
    &invalid_argument_value::InvalidArgumentValue,
    &reject_with_other_actions::RejectWithOtherActions,
    &deep_nesting::DeepNesting,
    &unknown_comparator::UnknownComparator,
    &invalid_relational_operator::InvalidRelationalOperator,
    &invalid_regex::InvalidRegex,
    &unknown_date_part::UnknownDatePart,
    &invalid_variable_name::InvalidVariableName,
    &invalid_encoded_character::InvalidEncodedCharacter,
    &vacation_period_zero::VacationPeriodZero,
    &invalid_redirect_address::InvalidRedirectAddress,
    &unsupported_by_target::UnsupportedByTarget,
    &disabled_on_target::DisabledOnTarget,
    &script_too_large::ScriptTooLarge,
    &unused_suppression::UnusedSuppression,
    &unknown_rule_in_suppression::UnknownRuleInSuppression,
    &missing_include::MissingInclude,
    &recursive_include::RecursiveInclude,
    &server_error::ServerError,
    &server_warning::ServerWarning,
    &server_disagrees::ServerDisagrees,
    // generic: insert above
    &list_without_extlists::ListWithoutExtlists,
    &comparator_with_list::ComparatorWithList,
    &list_with_match_type::ListWithMatchType,
    &list_on_unsupported_test::ListOnUnsupportedTest,
    &invalid_list_name::InvalidListName,
    &invalid_addrbook_name::InvalidAddrbookName,
    &addrbook_query::AddrbookQuery,
    &unknown_sieve_urn_parameter::UnknownSieveUrnParameter,
    &invalid_tag_uri::InvalidTagUri,
    &unsupported_list_scheme::UnsupportedListScheme,
    &redirect_list_misuse::RedirectListMisuse,
    &redirect_list_addrbook::RedirectListAddrbook,
    &never_valid_ext_list::NeverValidExtList,
    &string_list_without_variables::StringListWithoutVariables,
    &unknown_list::UnknownList,
    // extlists: insert above
];

/// A rule's severity as a project sets it (`[rules]` in sieve-lint.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    Off,
    Info,
    Warning,
    Error,
}

impl RuleLevel {
    /// The severity, or `None` for `off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleLevel::Off => None,
            RuleLevel::Info => Some(Severity::Info),
            RuleLevel::Warning => Some(Severity::Warning),
            RuleLevel::Error => Some(Severity::Error),
        }
    }
}

/// Whether a project may change a rule's severity: not for the rules that
/// report input sieve-lint cannot read (syntax errors, invalid UTF-8,
/// nesting past the parser's limits).
pub fn is_configurable(code: &str) -> bool {
    ![
        syntax_error::SyntaxError.info().code,
        invalid_utf8::InvalidUtf8.info().code,
        nesting_too_deep::NestingTooDeep.info().code,
    ]
    .contains(&code)
}

/// The rules whose diagnostics can carry a `--fix` edit (`rules` says so);
/// `tests/cli.rs` holds this list to the rules' sources.
pub const FIXABLE: &[&str] = &["duplicate-require", "missing-require", "unused-require"];

/// The rule a mistyped code or name most likely means, for "did you mean":
/// a name or code within two edits (case ignored), else the one name that
/// starts with `key` (at least three characters).
pub fn suggest(key: &str) -> Option<&'static RuleInfo> {
    let key = key.to_ascii_lowercase();
    let infos = || RULES.iter().map(|r| r.info());
    let close = infos()
        .flat_map(|i| [(i.name, i), (i.code, i)])
        .filter(|(n, _)| n.len().abs_diff(key.len()) <= 2)
        .map(|(n, i)| {
            (
                unknown_capability::edit_distance(&key, &n.to_ascii_lowercase()),
                i,
            )
        })
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, i)| (*d, i.code));
    if let Some((_, i)) = close {
        return Some(i);
    }
    if key.len() < 3 {
        return None;
    }
    let mut starts = infos().filter(|i| i.name.starts_with(&key));
    match (starts.next(), starts.next()) {
        (Some(i), None) => Some(i),
        _ => None,
    }
}

/// Finds a rule by code (`SL0203`) or name (`missing-require`), ignoring case.
pub fn find(key: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| {
        let i = r.info();
        i.code.eq_ignore_ascii_case(key) || i.name.eq_ignore_ascii_case(key)
    })
}
