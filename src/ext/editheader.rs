//! RFC 5293: the "editheader" extension — `addheader` (§4) and
//! `deleteheader` (§5).
//!
//! Not checked: `:last` on `deleteheader` is only allowed together with
//! `:index` (§5); the catalog has no way to tie one tag to another.

use super::{Arg, Extension, Group, Signature, TagSpec};

pub static EDITHEADER: Extension = Extension {
    commands: &[
        // §4: addheader [":last"] <field-name: string> <value: string>
        Signature {
            tags: &[TagSpec::flag("last")],
            positional: &[Arg::string("field-name"), Arg::string("value")],
            ..Signature::new("addheader")
        },
        // §5: deleteheader [":index" <fieldno: number> [":last"]]
        //     [COMPARATOR] [MATCH-TYPE]
        //     <field-name: string> [<value-patterns: string-list>]
        Signature {
            tags: &[
                TagSpec::with_arg("index", Arg::number("fieldno")),
                TagSpec::flag("last"),
            ],
            groups: &[Group::Comparator, Group::MatchType],
            positional: &[
                Arg::string("field-name"),
                Arg::strings("value-patterns").optional(),
            ],
            ..Signature::new("deleteheader")
        },
    ],
    ..Extension::new("editheader", "RFC 5293 §4, §5")
};
