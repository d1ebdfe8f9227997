use super::{Rule, declare_rule};
use crate::check::Context;
use crate::diagnostic::show;

declare_rule! {
    /// ## What it does
    /// Reports a `:value` or `:count` match type whose relational operator
    /// is not one of "gt", "ge", "lt", "le", "eq" or "ne". The operators are
    /// ABNF literals, so case does not matter ("GT" is valid).
    ///
    /// Not reported: operators built from variables (`"${op}"` with
    /// "variables" required).
    ///
    /// ## Why is this bad?
    /// The server refuses the script. Symbols (`">"`, `"=="`) and spelled-out
    /// words (`"greater"`) are the usual slips.
    ///
    /// ## Example
    /// ```sieve
    /// require ["relational", "comparator-i;ascii-numeric"];
    /// if header :value ">=" :comparator "i;ascii-numeric" "x-spam-score" "5" {
    ///     discard;
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require ["relational", "comparator-i;ascii-numeric"];
    /// if header :value "ge" :comparator "i;ascii-numeric" "x-spam-score" "5" {
    ///     discard;
    /// }
    /// ```
    ///
    /// ## RFC
    /// RFC 5231 §4
    ///
    /// ## Severity
    /// Error: RFC 5231 §4: the operator is one of the literals of `relational-
    /// match` ("gt" / "ge" / "lt" / "le" / "eq" / "ne"); anything else does not
    /// follow the grammar. The literals ignore case (RFC 5234 §2.3), so "GT" is
    /// valid, but an error with a Dovecot target: Pigeonhole refuses it at
    /// upload.
    pub struct InvalidRelationalOperator {
        code: "SL0314",
        name: "invalid-relational-operator",
        severity: Error,
        summary: "`:value`/`:count` with an operator other than gt, ge, lt, le, eq, ne",
    }
}

const OPERATORS: &[&str] = &["gt", "ge", "lt", "le", "eq", "ne"];

/// Symbols and words people write instead of the operator.
const ALIASES: &[(&str, &str)] = &[
    (">", "gt"),
    (">=", "ge"),
    ("=>", "ge"),
    ("<", "lt"),
    ("<=", "le"),
    ("=<", "le"),
    ("=", "eq"),
    ("==", "eq"),
    ("!=", "ne"),
    ("<>", "ne"),
    ("greater", "gt"),
    ("less", "lt"),
    ("equal", "eq"),
    ("equals", "eq"),
    ("neq", "ne"),
    ("lte", "le"),
    ("gte", "ge"),
];

impl Rule for InvalidRelationalOperator {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        let variables = model.is_required("variables");
        for u in &model.uses {
            for t in &u.binding.tags {
                let name = t.entry.spec.name;
                if t.entry.capability != "relational" || !(name == "value" || name == "count") {
                    continue;
                }
                let Some(arg) = t.arg else { continue };
                let [op] = arg.strings() else { continue };
                let lower = op.value.trim().to_ascii_lowercase();
                if variables && op.value.contains("${") {
                    continue;
                }
                if OPERATORS.contains(&op.value.to_ascii_lowercase().as_str()) {
                    // ABNF literals ignore case (RFC 5234 §2.3), so "GT" is
                    // valid; Pigeonhole compares them case-sensitively and
                    // refuses it at upload.
                    if *op.value != *lower && cx.options.target().id.starts_with("dovecot") {
                        cx.report(
                            op.span,
                            format!(
                                "Dovecot refuses the relational operator {} in upper case",
                                show(&op.value)
                            ),
                        )
                        .with_primary_label("valid Sieve, refused by this target")
                        .with_help(format!("write {}", show(&lower)));
                    }
                    continue;
                }
                let help = match ALIASES.iter().find(|(a, _)| *a == lower) {
                    Some((_, o)) => format!("write {} instead", show(o)),
                    None if OPERATORS.contains(&lower.as_str()) => {
                        format!("remove the blanks and line breaks: {}", show(&lower))
                    }
                    None => "the operators are \"gt\", \"ge\", \"lt\", \"le\", \"eq\" and \"ne\""
                        .to_owned(),
                };
                cx.report(
                    op.span,
                    format!(
                        "invalid relational operator {} for `:{name}`",
                        show(&op.value)
                    ),
                )
                .with_primary_label("not a relational operator")
                .with_help(help);
            }
        }
    }
}
