//! RFC 5435: the "enotify" extension — the `notify` action (§3), the
//! `valid_notify_method` (§4) and `notify_method_capability` (§5) tests,
//! and the `:encodeurl` modifier of `set` (§6).
//!
//! Not checked: the value of `:importance` must be "1", "2" or "3" (§3).

use super::{Arg, Extension, Group, Signature, TagAddition, TagSpec};

pub static ENOTIFY: Extension = Extension {
    commands: &[
        // §3: notify [":from" string] [":importance" <"1" / "2" / "3">]
        //     [":options" string-list] [":message" string] <method: string>
        Signature {
            tags: &[
                TagSpec::with_arg("from", Arg::string("from")),
                TagSpec::with_arg("importance", Arg::string("importance")),
                TagSpec::with_arg("options", Arg::strings("options")),
                TagSpec::with_arg("message", Arg::string("message")),
            ],
            positional: &[Arg::string("method")],
            ..Signature::new("notify")
        },
    ],
    tests: &[
        // §4: valid_notify_method <notification-uris: string-list>
        Signature {
            positional: &[Arg::strings("notification-uris")],
            ..Signature::new("valid_notify_method")
        },
        // §5: notify_method_capability [COMPARATOR] [MATCH-TYPE]
        //     <notification-uri: string> <notification-capability: string>
        //     <key-list: string-list>
        Signature {
            groups: &[Group::Comparator, Group::MatchType],
            positional: &[
                Arg::string("notification-uri"),
                Arg::string("notification-capability"),
                Arg::strings("key-list"),
            ],
            ..Signature::new("notify_method_capability")
        },
    ],
    // §6: a modifier of precedence 15. It is a MODIFIER of RFC 5229 §4, so
    // it applies wherever modifiers do: `set`, and `extracttext`
    // (RFC 5703 §7).
    tag_additions: &[TagAddition {
        targets: &["set", "extracttext"],
        tag: TagSpec::flag("encodeurl").exclusive("encodeurl modifier (precedence 15)"),
    }],
    ..Extension::new("enotify", "RFC 5435 §3, §4, §5, §6")
};
