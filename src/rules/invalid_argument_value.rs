use super::{Rule, declare_rule};
use crate::check::Context;
use crate::ext::Validation;

declare_rule! {
    /// ## What it does
    /// Reports an argument whose value the extension's specification
    /// forbids, or a command that stands where its specification does not
    /// allow it: what a signature (the number, kind and tags of the
    /// arguments) cannot say. Each extension's file in `src/ext/` holds its
    /// own checks; among them:
    ///
    /// - `envelope` parts other than `from` and `to` (RFC 5228 §5.4), and
    ///   those of envelope-dsn and envelope-deliverby when required;
    /// - the `address` test on a header that holds no address (RFC 5228
    ///   §5.1), and on one Dovecot refuses (an error for a Dovecot target);
    /// - `i;ascii-numeric` with `:contains`, `:matches` or `:regex`
    ///   (RFC 5228 §2.7.1, §2.7.3; RFC 4790 §9.1);
    /// - `:last` without `:index`, and `:index 0` (RFC 5260 §6);
    /// - `:anychild` without `:mime` (RFC 5703 §4.1);
    /// - special-use attributes that are not RFC 6154 §6 `use-attr`
    ///   (RFC 8579);
    /// - the variable name of `setflag`/`addflag`/`removeflag` and the
    ///   variable list of `hasflag` without "variables" (RFC 5232 §1);
    /// - `date`/`currentdate` `:zone` not of the form `+hhmm`/`-hhmm`
    ///   (RFC 5260 §4.1);
    /// - `vacation :from` and `:addresses` that are not addresses
    ///   (RFC 5230 §4);
    /// - `notify` methods, `:from`, `:options` and `:importance`
    ///   (RFC 5435 §3, RFC 5436 §2);
    /// - editheader field names and values (RFC 5293 §4–§6);
    /// - `break` and `extracttext` outside `foreverypart` (RFC 5703 §3, §7);
    /// - `include` names and `global` (RFC 6609 §3.2–§3.4).
    ///
    /// Values built from variables (`${…}`) are checked at run time only.
    ///
    /// ## Why is this bad?
    /// Each of these is a MUST of the extension's RFC that the script text
    /// decides: a conforming server refuses the script when it is uploaded
    /// (or, where the RFC says so, fails it when it runs).
    ///
    /// ## Example
    /// ```sieve
    /// require "envelope";
    /// if envelope "subject" "hello" { discard; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// if header "subject" "hello" { discard; }
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §2.10.5; the section of each extension named in the message
    ///
    /// ## Severity
    /// Error for what an extension's RFC says MUST (or "is an error") about a
    /// value the text decides; each message names the section. Checks whose
    /// specification says SHOULD are errors only where every server of the
    /// profiles refuses the script (the extension's file says which).
    pub struct InvalidArgumentValue {
        code: "SL0214",
        name: "invalid-argument-value",
        severity: Error,
        summary: "a value or a placement the extension's specification forbids",
    }
}

impl Rule for InvalidArgumentValue {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        let mut validators: Vec<crate::ext::Validator> = Vec::new();
        for (index, u) in model.uses.iter().enumerate() {
            validators.clear();
            // Each extension's validation once, from the catalog's entries
            // (no lookup by name per use).
            let found = u
                .entry
                .and_then(|e| e.validate)
                .into_iter()
                .chain(u.binding.tags.iter().filter_map(|t| t.entry.validate));
            for v in found {
                if !validators.iter().any(|w| std::ptr::fn_addr_eq(*w, v)) {
                    validators.push(v);
                }
            }
            for v in &validators {
                v(&mut Validation {
                    cx: &mut *cx,
                    index,
                });
            }
        }
    }
}
