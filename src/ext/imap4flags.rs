//! RFC 5232 §3, §4, §5: the flag actions, the `hasflag` test and `:flags`
//! on `keep` and `fileinto`, behind the "imap4flags" capability.

use super::{Arg, Extension, Group, Signature, TagAddition, TagSpec};

/// §3: `[<variablename: string>] <list-of-flags: string-list>`; the
/// variable name needs "variables" (RFC 5229).
const FLAG_ACTION: &[Arg] = &[
    Arg::string("variablename").optional(),
    Arg::strings("list-of-flags"),
];

pub static IMAP4FLAGS: Extension = Extension {
    commands: &[
        // §3.1, §3.2, §3.3
        Signature {
            positional: FLAG_ACTION,
            ..Signature::new("setflag")
        },
        Signature {
            positional: FLAG_ACTION,
            ..Signature::new("addflag")
        },
        Signature {
            positional: FLAG_ACTION,
            ..Signature::new("removeflag")
        },
    ],
    tests: &[
        // §4
        Signature {
            groups: &[Group::MatchType, Group::Comparator],
            positional: &[
                Arg::strings("variable-list").optional(),
                Arg::strings("list-of-flags"),
            ],
            ..Signature::new("hasflag")
        },
    ],
    // §5
    tag_additions: &[TagAddition {
        // RFC 8580 §4: also with :fcc on vacation and notify.
        targets: &["keep", "fileinto", "vacation", "notify"],
        tag: TagSpec::with_arg("flags", Arg::strings("list-of-flags")),
    }],
    ..Extension::new("imap4flags", "RFC 5232 §3, §4, §5")
};
