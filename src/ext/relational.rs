//! RFC 5231 §4, §5: the relational match types `:value` and `:count`,
//! available wherever a MATCH-TYPE is, behind the "relational" capability.

use super::{Arg, Extension, Group, TagSpec};

pub static RELATIONAL: Extension = Extension {
    group_tags: &[
        // §4: "gt", "ge", "lt", "le", "eq" or "ne".
        (
            Group::MatchType,
            TagSpec::with_arg("value", Arg::string("relational-match")).doc("Compares values by order; the argument is the relation: \"gt\", \"ge\", \"lt\", \"le\", \"eq\" or \"ne\"."),
        ),
        (
            Group::MatchType,
            TagSpec::with_arg("count", Arg::string("relational-match")).doc("Compares the number of values (headers, addresses) with the keys using the relation given."),
        ),
    ],
    doc: "Adds the :value and :count match types, to compare with greater than, less than and so on.",
..Extension::new("relational", "RFC 5231 §4, §5")
};
