//! RFC 5228: the base language — control commands (§3), actions (§4) and
//! tests (§5), with the match types, comparators and address parts shared by
//! the tests (§2.7).

use super::{Arg, Extension, Group, Signature, TagSpec, TestArity};

// Validation: a comparator must support the match type it is used with
// (RFC 5228 §2.7.1, §2.7.3); the comparators' file holds the check, run
// here because `:comparator` and the match types are this file's tags.

const MATCH_AND_COMPARATOR: &[Group] = &[Group::Comparator, Group::MatchType];
const ADDRESS_TEST: &[Group] = &[Group::Comparator, Group::AddressPart, Group::MatchType];

pub static CORE: Extension = Extension {
    commands: &[
        // §3.1
        Signature {
            tests: TestArity::One,
            block: true,
            ..Signature::new("if")
        },
        Signature {
            tests: TestArity::One,
            block: true,
            follows_if: true,
            ..Signature::new("elsif")
        },
        Signature {
            block: true,
            follows_if: true,
            ..Signature::new("else")
        },
        // §3.2
        Signature {
            positional: &[Arg::strings("capabilities")],
            ..Signature::new("require")
        },
        // §3.3
        Signature::new("stop"),
        // §4.2
        Signature {
            positional: &[Arg::string("address")],
            ..Signature::new("redirect")
        },
        // §4.3, §4.4
        Signature::new("keep"),
        Signature::new("discard"),
    ],
    tests: &[
        // §5.1
        Signature {
            groups: ADDRESS_TEST,
            positional: &[Arg::strings("header-list"), Arg::strings("key-list")],
            ..Signature::new("address")
        },
        // §5.2, §5.3
        Signature {
            tests: TestArity::List,
            ..Signature::new("allof")
        },
        Signature {
            tests: TestArity::List,
            ..Signature::new("anyof")
        },
        // §5.5
        Signature {
            positional: &[Arg::strings("header-names")],
            ..Signature::new("exists")
        },
        // §5.6
        Signature::new("false"),
        // §5.7
        Signature {
            groups: MATCH_AND_COMPARATOR,
            positional: &[Arg::strings("header-names"), Arg::strings("key-list")],
            ..Signature::new("header")
        },
        // §5.8
        Signature {
            tests: TestArity::One,
            ..Signature::new("not")
        },
        // §5.9
        Signature {
            tags: &[
                TagSpec::flag("over").exclusive("size relation"),
                TagSpec::flag("under").exclusive("size relation"),
            ],
            positional: &[Arg::number("limit")],
            required: &["size relation"],
            ..Signature::new("size")
        },
        // §5.10
        Signature::new("true"),
    ],
    group_tags: &[
        // §2.7.1
        (Group::MatchType, TagSpec::flag("is")),
        (Group::MatchType, TagSpec::flag("contains")),
        (Group::MatchType, TagSpec::flag("matches")),
        // §2.7.3
        (
            Group::Comparator,
            TagSpec::with_arg("comparator", Arg::string("comparator-name")),
        ),
        // §2.7.4
        (Group::AddressPart, TagSpec::flag("all")),
        (Group::AddressPart, TagSpec::flag("localpart")),
        (Group::AddressPart, TagSpec::flag("domain")),
    ],
    validate: Some(super::comparators::validate_match),
    ..Extension::new("", "RFC 5228")
};
