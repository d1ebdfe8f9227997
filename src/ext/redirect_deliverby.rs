//! RFC 6009: the "redirect-deliverby" extension — delivery time tags on
//! `redirect`.
//!
//! Not checked: `:bymode` ("notify" or "return") and `:bytrace` are only
//! allowed with `:bytimerelative` or `:bytimeabsolute`; the catalog has no
//! way to tie one tag to another.

use super::{Arg, Extension, TagAddition, TagSpec};

const DELIVERY_TIME: &str = "delivery time";

pub static REDIRECT_DELIVERBY: Extension = Extension {
    // redirect [:bytimerelative <rlimit: number> /
    //           :bytimeabsolute <alimit: string>
    //           [:bymode "notify"|"return"] [:bytrace]]
    //          <address: string>
    tag_additions: &[
        TagAddition {
            targets: &["redirect"],
            tag: TagSpec::with_arg("bytimerelative", Arg::number("rlimit")).doc("Asks for delivery within this many seconds; :bymode says what happens if it is missed.")
                .exclusive(DELIVERY_TIME),
        },
        TagAddition {
            targets: &["redirect"],
            tag: TagSpec::with_arg("bytimeabsolute", Arg::string("alimit")).doc("Asks for delivery by this date and time; :bymode says what happens if it is missed.")
                .exclusive(DELIVERY_TIME),
        },
        TagAddition {
            targets: &["redirect"],
            tag: TagSpec::with_arg("bymode", Arg::string("mode")).doc("What to do when the deadline passes: \"notify\" the sender or \"return\" the message."),
        },
        TagAddition {
            targets: &["redirect"],
            tag: TagSpec::flag("bytrace").doc("Asks the relays to report the message's progress towards the deadline."),
        },
    ],
    doc: "Adds DELIVERBY tags to redirect, to ask for delivery of the forwarded message by a deadline.",
..Extension::new("redirect-deliverby", "RFC 6009")
};
