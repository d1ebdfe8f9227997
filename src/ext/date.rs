//! RFC 5260 §4, §5: the `date` and `currentdate` tests, behind the "date"
//! capability.
//!
//! Validation: the `:zone` argument of both. §4.1: "The value of time-zone
//! MUST be an offset relative to UTC with the following syntax:
//! time-zone = ( "+" / "-" ) 4DIGIT" — anything else is an error. The
//! ABNF takes any four digits; an hour above 23 or a minute above 59 is
//! allowed by it but is no offset any place has, so it is a warning.

use super::{Arg, Extension, Group, Signature, TagSpec, Validation};

/// §4.2: the date-part names (case-insensitive); the one list that the
/// `unknown-date-part` rule and the language server's completion use.
pub const DATE_PARTS: &[&str] = &[
    "year", "month", "day", "date", "julian", "hour", "minute", "second", "time", "iso8601",
    "std11", "zone", "weekday",
];

const GROUPS: &[Group] = &[Group::Comparator, Group::MatchType];

pub static DATE: Extension = Extension {
    tests: &[
        // §4
        Signature {
            tags: &[
                TagSpec::with_arg("zone", Arg::string("time-zone")).doc("Converts the date to the given time zone, e.g. \"+0100\", before taking the part.").exclusive("time zone"),
                TagSpec::flag("originalzone").doc("Keeps the time zone written in the header instead of converting to local time.").exclusive("time zone"),
            ],
            groups: GROUPS,
            positional: &[
                Arg::string("header-name"),
                Arg::string("date-part"),
                Arg::strings("key-list"),
            ],
            doc: "Compares one part (year, month, hour, ...) of the date in a header with the keys.",
..Signature::new("date")
        },
        // §5
        Signature {
            tags: &[TagSpec::with_arg("zone", Arg::string("time-zone")).doc("Takes the current time in the given time zone, e.g. \"-0500\", instead of local time.")],
            groups: GROUPS,
            positional: &[Arg::string("date-part"), Arg::strings("key-list")],
            doc: "Compares one part (year, weekday, hour, ...) of the current date and time with the keys.",
..Signature::new("currentdate")
        },
    ],
    validate: Some(validate),
    doc: "Adds the date and currentdate tests, to filter on dates and times of day.",
..Extension::new("date", "RFC 5260 §4, §5")
};

fn validate(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    if u.node.is_test() && (u.node.name().is("date") || u.node.name().is("currentdate")) {
        check_zone(v, "RFC 5260 §4.1");
    }
}

/// Checks the `:zone` of the use being validated: the `time-zone` of
/// RFC 5260 §4.1, which envelope-deliverby's `:zone` takes too
/// (RFC 6009 §5.1). `rfc` names the section in the help.
pub(super) fn check_zone(v: &mut Validation<'_, '_, '_>, rfc: &str) {
    let Some(zone) = v.use_().binding.tag("zone") else {
        return;
    };
    let Some([lit]) = zone.arg.map(|a| a.strings()) else {
        return;
    };
    let value = lit.value.as_ref();
    if v.has("variables") && value.contains("${") {
        return;
    }
    let b = value.as_bytes();
    let form = b.len() == 5 && matches!(b[0], b'+' | b'-') && b[1..].iter().all(u8::is_ascii_digit);
    let shown = crate::diagnostic::show(value);
    if !form {
        v.error(
            lit.span,
            format!("time zone {shown} is not of the form +hhmm or -hhmm"),
        )
        .with_primary_label("not a UTC offset")
        .with_help(format!(
            "{rfc}: a time zone is \"+\" or \"-\" and four digits, e.g. \"+0100\" or \"-0500\"; \
                 names such as \"UTC\" or \"Europe/Paris\" are not allowed"
        ));
        return;
    }
    let hours = u32::from(b[1] - b'0') * 10 + u32::from(b[2] - b'0');
    let minutes = u32::from(b[3] - b'0') * 10 + u32::from(b[4] - b'0');
    if hours > 23 || minutes > 59 {
        v.warning(
            lit.span,
            format!("time zone {shown} is not a real UTC offset"),
        )
        .with_primary_label("hours are 00–23 and minutes 00–59")
        .with_help(format!(
            "{rfc}: the first two digits are hours, the last two minutes; \
                 real offsets run from -1200 to +1400"
        ));
    }
}
