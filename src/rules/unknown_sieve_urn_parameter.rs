use super::lists_common::checked_names;
use super::{Rule, declare_rule};
use crate::check::Context;
use crate::lists::NameWarning;

declare_rule! {
    /// ## What it does
    /// Reports a list name `urn:ietf:params:sieve:X` (or `:X:…`) whose
    /// parameter X is not `addrbook`, the only one registered — and
    /// `addrbook:…` written without the shorthand's leading colon.
    ///
    /// ## Why is this bad?
    /// No server knows such a list; it is usually a typo (`:adressbook:`)
    /// or a misunderstanding of the `:` shorthand, which always expands to
    /// `urn:ietf:params:sieve:`.
    ///
    /// ## Example
    /// ```sieve
    /// require "extlists";
    /// if address :list "from" ":adressbook:default" { keep; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "extlists";
    /// if address :list "from" ":addrbook:default" { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 6134 §2.5, §4
    ///
    /// ## Severity
    /// Warning: RFC 6134 §2.5 registers only "addrbook"; another parameter is a
    /// valid URI that no server resolves.
    pub struct UnknownSieveUrnParameter {
        code: "SL0107",
        name: "unknown-sieve-urn-parameter",
        severity: Warning,
        summary: "`urn:ietf:params:sieve:` with a parameter other than addrbook",
    }
}

impl Rule for UnknownSieveUrnParameter {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for (r, parsed) in checked_names(model) {
            let Ok(name) = parsed else { continue };
            for w in &name.warnings {
                if let NameWarning::ShorthandWithoutColon = w {
                    cx.report(
                        r.lit.span,
                        format!("\"{}\" uses \"addrbook\" as a URI scheme", r.lit.value),
                    )
                    .with_primary_label("no such scheme is registered")
                    .with_help(format!(
                        "did you mean \":{}\"? (the address book shorthand starts with ':')",
                        r.lit.value
                    ));
                    continue;
                }
                if let NameWarning::UnknownSieveParam { param } = w {
                    let close = super::unknown_capability::edit_distance(
                        &param.to_ascii_lowercase(),
                        "addrbook",
                    ) <= 4;
                    let d = cx
                        .report(
                            r.lit.span,
                            format!("unknown Sieve URN parameter \"{param}\""),
                        )
                        .with_primary_label(format!("expands to \"{}\"", name.expanded));
                    if close {
                        let fixed = match r.lit.value.find(param.as_str()) {
                            Some(at) => format!(
                                "{}addrbook{}",
                                &r.lit.value[..at],
                                &r.lit.value[at + param.len()..]
                            ),
                            None => ":addrbook:default".to_owned(),
                        };
                        d.with_help(format!("did you mean \"{fixed}\"?"));
                    } else {
                        d.with_help("only \"addrbook\" is registered under urn:ietf:params:sieve:");
                    }
                }
            }
        }
    }
}
