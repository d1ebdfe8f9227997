//! Dovecot's "vnd.dovecot.report" (spec-bosch-sieve-report §3): the
//! `report` action, which sends a MARF abuse report (RFC 5965) about the
//! message, mostly from IMAPSIEVE scripts.
//!
//! Validation: the feedback type must be a MIME token (§3, RFC 2045 §5.1):
//! a warning, as the value is sent in the report's Feedback-Type field;
//! an error for the Dovecot targets, whose Pigeonhole refuses it at upload
//! ("specified feedback type ... is invalid", sievec 0.5.19).

use super::{Arg, Extension, Signature, TagSpec, Validation};

pub static VND_DOVECOT_REPORT: Extension = Extension {
    commands: &[
        // §3: report [":headers_only"] <feedback-type: string>
        //            <message: string> <recipient: string>
        Signature {
            tags: &[TagSpec::flag("headers_only").doc(
                "Attaches only the header of the message to the report, not the whole message.",
            )],
            positional: &[
                Arg::string("feedback-type"),
                Arg::string("message"),
                Arg::string("recipient"),
            ],
            doc: "Sends an abuse report (MARF) of the given feedback type about the message to the recipient.",
            ..Signature::new("report")
        },
    ],
    validate: Some(validate),
    doc: "Dovecot extension adding report, to send abuse or spam reports (MARF).",
    ..Extension::new("vnd.dovecot.report", "spec-bosch-sieve-report §3")
};

fn validate(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    let Some([ty]) = u.binding.positional.first().map(|a| a.strings()) else {
        return;
    };
    if v.has("variables") && ty.value.contains("${") {
        return;
    }
    // RFC 2045 §5.1: token := 1*<any (US-ASCII) CHAR except SPACE, CTLs,
    // or tspecials>.
    let token = !ty.value.is_empty()
        && ty
            .value
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?=".contains(&b));
    if !token {
        let dovecot = v.dovecot();
        v.error_if(
            dovecot,
            ty.span,
            format!(
                "feedback type {} is not a MIME token",
                crate::diagnostic::show(&ty.value)
            ),
        )
        .with_primary_label("sent as the Feedback-Type of the report")
        .with_help(
            "use a feedback type of RFC 5965 §7.3 such as \"abuse\", \"fraud\", \"virus\" or \
             \"not-spam\" (spec-bosch-sieve-report §3: it must be a MIME token)",
        );
    }
}
