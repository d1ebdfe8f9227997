//! RFC 5260 §4, §5: the `date` and `currentdate` tests, behind the "date"
//! capability.

use super::{Arg, Extension, Group, Signature, TagSpec};

/// §4.2: the date-part names (case-insensitive).
#[allow(dead_code, reason = "the catalog does not check argument values yet")]
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
                TagSpec::with_arg("zone", Arg::string("time-zone")).exclusive("time zone"),
                TagSpec::flag("originalzone").exclusive("time zone"),
            ],
            groups: GROUPS,
            positional: &[
                Arg::string("header-name"),
                Arg::string("date-part"),
                Arg::strings("key-list"),
            ],
            ..Signature::new("date")
        },
        // §5
        Signature {
            tags: &[TagSpec::with_arg("zone", Arg::string("time-zone"))],
            groups: GROUPS,
            positional: &[Arg::string("date-part"), Arg::strings("key-list")],
            ..Signature::new("currentdate")
        },
    ],
    ..Extension::new("date", "RFC 5260 §4, §5")
};
