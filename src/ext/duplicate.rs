//! RFC 7352: the "duplicate" test (§3).

use super::{Arg, Extension, Signature, TagSpec};

pub static DUPLICATE: Extension = Extension {
    tests: &[
        // §3: duplicate [":handle" <handle: string>]
        //     [":header" <header-name: string> / ":uniqueid" <value: string>]
        //     [":seconds" <timeout: number>] [":last"]
        Signature {
            tags: &[
                TagSpec::with_arg("handle", Arg::string("handle")).doc("A name for this check, so separate duplicate tests keep separate records."),
                TagSpec::with_arg("header", Arg::string("header-name")).doc("Takes the identifier from this header field instead of Message-ID.")
                    .exclusive("identifier source"),
                TagSpec::with_arg("uniqueid", Arg::string("value")).doc("Uses this string as the identifier instead of the Message-ID.").exclusive("identifier source"),
                TagSpec::with_arg("seconds", Arg::number("timeout")).doc("How many seconds the identifier is remembered; 0 makes the test always false."),
                TagSpec::flag("last").doc("Counts the remembering time from the last time the message was seen, not the first."),
            ],
            doc: "True when a message with the same identifier (by default its Message-ID) was seen before.",
..Signature::new("duplicate")
        },
    ],
    doc: "Adds the duplicate test, to recognize messages that were delivered before.",
..Extension::new("duplicate", "RFC 7352 §3")
};
