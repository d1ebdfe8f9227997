use super::invalid_encoded_character::value_span;
use super::{Rule, declare_rule};
use crate::check::Context;
use crate::diagnostic::{Severity, show};
use crate::syntax::address::parse_mailbox;
use crate::syntax::ast::Argument;

declare_rule! {
    /// ## What it does
    /// Reports a `redirect` whose address is not a `sieve-address`
    /// (RFC 5228 §2.4.2.3): an RFC 5322 `addr-spec` (`local-part@domain`,
    /// the local part a dot-atom or a quoted string, the domain a dot-atom
    /// or a domain literal), optionally with a display name in front and
    /// the address in angle brackets (`Bob Smith <bob@example.com>`).
    /// White space and comments around the words are allowed, as are
    /// non-ASCII characters (RFC 6532) and the obsolete forms RFC 5322
    /// §4.4 makes receivers accept. Reported: a missing `@`, local part or
    /// domain, empty or doubled dots, blanks inside the local part or
    /// domain, unclosed quotes, comments, brackets or literals, several
    /// addresses, group syntax and source routes (which §2.4.2.3 does not
    /// permit), and a `mailto:` URI.
    ///
    /// A warning (valid, but a relay may refuse it): a local part over 64
    /// octets or a domain over 255 (RFC 5321 §4.5.3.1).
    ///
    /// Not reported: `redirect :list` (its argument is a list name),
    /// addresses built from variables (`"${x}"` with "variables" required)
    /// or written with `${hex:…}`/`${unicode:…}` ("encoded-character").
    ///
    /// ## Why is this bad?
    /// RFC 5228 §2.4.2.3: "It is an error for a script to execute an
    /// action with a value for use as an outbound address that doesn't
    /// match the sieve-address syntax." Servers refuse a constant invalid
    /// address when the script is uploaded.
    ///
    /// ## Example
    /// ```sieve
    /// redirect "bob@example.com, alice@example.com";
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// redirect "bob@example.com";
    /// redirect "alice@example.com";
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §2.4.2.3, §4.2; RFC 5322 §3.4, §4.4
    ///
    /// ## Severity
    /// Error: RFC 5228 §2.4.2.3: "It is an error for a script to execute an
    /// action with a value for use as an outbound address that doesn't match
    /// the "sieve-address" syntax." A local part over 64 or a domain over 255
    /// octets (RFC 5321 §4.5.3.1) is a warning: valid syntax that fails at
    /// delivery. Pigeonhole 0.5 accepts local parts with a leading, a
    /// trailing or a doubled dot (".bob@", "bob.@", "bo..b@", as some
    /// mobile carriers issued them); they match neither RFC 5322 `dot-atom`
    /// nor `obs-local-part` (§4.4), so they stay errors for every target.
    pub struct InvalidRedirectAddress {
        code: "SL0320",
        name: "invalid-redirect-address",
        severity: Error,
        summary: "a `redirect` address that is not an RFC 5228 sieve-address",
    }
}

impl Rule for InvalidRedirectAddress {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        let dynamic = model.is_required("variables") || model.is_required("encoded-character");
        for u in &model.uses {
            if u.entry.is_none_or(|e| e.sig.name != "redirect") {
                continue;
            }
            if u.binding.tags.iter().any(|t| t.entry.spec.name == "list") {
                continue;
            }
            let Some(Argument::String(lit)) = u.binding.positional.first() else {
                continue;
            };
            let addr = lit.value.as_ref();
            if dynamic && addr.contains("${") {
                continue;
            }
            match parse_mailbox(addr) {
                Ok(m) => {
                    // Valid, but a relay may refuse it (RFC 5321 §4.5.3.1).
                    if let Some(limit) = m.smtp_limit() {
                        let span = value_span(cx.source, lit, m.range);
                        cx.report_with(
                            span,
                            Severity::Warning,
                            format!(
                                "redirect address {} may be refused by SMTP servers",
                                show(addr)
                            ),
                        )
                        .with_primary_label(limit);
                    }
                }
                Err(e) => {
                    let span = value_span(cx.source, lit, e.range.clone());
                    let d = cx
                        .report(span, format!("invalid redirect address {}", show(addr)))
                        .with_primary_label(e.reason);
                    let help = if e.several {
                        Some("redirect takes one address: use one redirect per address".to_string())
                    } else {
                        e.help
                    };
                    if let Some(help) = help {
                        d.with_help(help);
                    }
                }
            }
        }
    }
}
