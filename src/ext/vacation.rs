//! RFC 5230 §4: the `vacation` action, behind the "vacation" capability.
//!
//! Validation (through the address parser `syntax::address`):
//! - `:from` must be an RFC 5322 `mailbox-list` (§4.3: "The string must
//!   specify a valid [RFC2822] mailbox-list. Implementations SHOULD check
//!   the syntax and generate an error"): an error, as servers refuse it at
//!   upload (Dovecot, Cyrus). Dovecot takes a single address only, so a
//!   list of several is an error for a Dovecot target.
//! - `:addresses` are the user's other addresses (§4.5); RFC 5230 puts no
//!   MUST on their form, but one that is no address never matches a
//!   recipient: a warning.

use super::values::{constant, report_address, span};
use super::{Arg, Extension, Signature, TagSpec, Validation};
use crate::diagnostic::{Severity, show};
use crate::syntax::address::{parse_mailbox, parse_mailbox_list};

/// The exclusive set of `:days` and, with "vacation-seconds" (RFC 6131),
/// `:seconds`.
pub const PERIOD: &str = "period";

pub static VACATION: Extension = Extension {
    commands: &[Signature {
        tags: &[
            // §4.1
            TagSpec::with_arg("days", Arg::number("days"))
                .doc("How many days to wait before replying to the same sender again.")
                .exclusive(PERIOD),
            // §4.3
            TagSpec::with_arg("subject", Arg::string("subject"))
                .doc("The subject of the reply; by default it is built from the original subject."),
            TagSpec::with_arg("from", Arg::string("from"))
                .doc("The address to send the reply from."),
            // §4.5
            TagSpec::with_arg("addresses", Arg::strings("addresses"))
                .doc("Other addresses of yours, so mail sent to them also gets a reply."),
            // §4.4
            TagSpec::flag("mime")
                .doc("The reason is a whole MIME entity, with its own headers, not plain text."),
            // §4.2
            TagSpec::with_arg("handle", Arg::string("handle")).doc(
                "A name for this reply, so different vacation replies are tracked separately.",
            ),
        ],
        positional: &[Arg::string("reason")],
        doc: "Sends an automatic reply with the reason, at most once per sender in a given period.",
        ..Signature::new("vacation")
    }],
    validate: Some(validate),
    doc: "Adds vacation, to send automatic replies while you are away.",
    ..Extension::new("vacation", "RFC 5230 §4")
};

fn validate(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    if !u.node.name().is("vacation") {
        return;
    }
    if let Some(arg) = u.binding.tag("from").and_then(|t| t.arg) {
        for lit in arg.strings() {
            if !constant(v, lit) {
                continue;
            }
            match parse_mailbox_list(&lit.value) {
                Err(e) => report_address(
                    v,
                    lit,
                    e,
                    Severity::Error,
                    "vacation :from",
                    "see RFC 5230 §4.3",
                ),
                // Valid (a mailbox-list), but Dovecot takes one address.
                Ok(list) if list.len() > 1 && v.cx.options.target().id.starts_with("dovecot") => {
                    let at = span(v, lit, list[1].range.clone());
                    v.error(
                        at,
                        format!(
                            "vacation :from {} holds several addresses",
                            show(&lit.value)
                        ),
                    )
                    .with_primary_label("Dovecot takes one address here")
                    .with_help(
                        "keep one address (RFC 5230 §4.3 allows a list; Dovecot refuses it)",
                    );
                }
                Ok(_) => {}
            }
        }
    }
    if let Some(arg) = u.binding.tag("addresses").and_then(|t| t.arg) {
        for lit in arg.strings() {
            if constant(v, lit)
                && let Err(e) = parse_mailbox(&lit.value)
            {
                report_address(
                    v,
                    lit,
                    e,
                    Severity::Warning,
                    "vacation :addresses item",
                    "RFC 5230 §4.5: such an item never matches a recipient",
                );
            }
        }
    }
}
