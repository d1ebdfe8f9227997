//! RFC 5228 §5.4: the `envelope` test, behind the "envelope" capability.
//!
//! Validation: every envelope part must be one this script can use —
//! "from" and "to" (§5.4), the DSN parts of envelope-dsn and the DELIVERBY
//! parts of envelope-deliverby when those are required (RFC 6009 §4, §5).
//! §5.4: "implementations SHOULD consider unknown envelope parts an error";
//! Dovecot, Cyrus and Stalwart all refuse the script at upload.

use super::{Arg, Extension, Group, Signature, Validation};

pub static ENVELOPE: Extension = Extension {
    tests: &[Signature {
        groups: &[Group::Comparator, Group::AddressPart, Group::MatchType],
        positional: &[Arg::strings("envelope-part"), Arg::strings("key-list")],
        doc: "Tests the SMTP envelope (MAIL FROM / RCPT TO) instead of the headers.",
        ..Signature::new("envelope")
    }],
    validate: Some(validate),
    argument_uses: Some(argument_uses),
    doc: "Adds the envelope test, to look at the SMTP sender and recipient.",
    ..Extension::new("envelope", "RFC 5228 §5.4")
};

/// The parts RFC 5228 §5.4 defines.
const PARTS: &[&str] = &["from", "to"];

/// The extensions whose envelope parts a use names.
fn argument_uses(u: &crate::check::Use<'_>, out: &mut Vec<&'static str>) {
    let Some(parts) = u.binding.positional.first() else {
        return;
    };
    for part in parts.strings() {
        for (cap, names) in OTHER_PARTS {
            if names.iter().any(|n| n.eq_ignore_ascii_case(&part.value)) {
                out.push(cap);
            }
        }
    }
}

/// The parts other extensions add (RFC 6009 §4, §5).
const OTHER_PARTS: &[(&str, &[&str])] = &[
    ("envelope-dsn", super::envelope_dsn::PARTS),
    ("envelope-deliverby", super::envelope_deliverby::PARTS),
];

fn validate(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    if !u.node.name().is("envelope") {
        return;
    }
    let Some(parts) = u.binding.positional.first() else {
        return;
    };
    let variables = v.has("variables");
    for part in parts.strings() {
        let name = part.value.to_ascii_lowercase();
        if PARTS.contains(&name.as_str()) || (variables && name.contains("${")) {
            continue;
        }
        let other = OTHER_PARTS
            .iter()
            .copied()
            .find(|(_, parts)| parts.contains(&name.as_str()));
        match other {
            Some((cap, _)) if v.has(cap) => {}
            Some((cap, _)) => {
                v.error(
                    part.span,
                    format!(
                        "envelope part {} needs require \"{cap}\"",
                        crate::diagnostic::show(&part.value)
                    ),
                )
                .with_primary_label(format!("defined by {cap} (RFC 6009)"))
                .with_help(format!("add \"{cap}\" to the require"));
            }
            None => {
                v.error(
                    part.span,
                    format!(
                        "unknown envelope part {}",
                        crate::diagnostic::show(&part.value)
                    ),
                )
                .with_primary_label("not an envelope part")
                .with_help(
                    "use \"from\" or \"to\" (RFC 5228 §5.4); a header of the message is \
                     tested with `header` or `address`",
                );
            }
        }
    }
}
