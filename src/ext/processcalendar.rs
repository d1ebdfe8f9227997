//! RFC 9671: the `processcalendar` action of the "processcalendar"
//! extension.
//!
//! `:organizers` names an external list (uses "extlists", RFC 6134);
//! `:outcome` and `:reason` name variables (use
//! "variables" (RFC 5229).

use super::{Arg, Extension, Signature, TagSpec};

pub static PROCESSCALENDAR: Extension = Extension {
    commands: &[
        // processcalendar [:allowpublic] [:addresses <string-list>]
        //     [:organizers <ext-list-name: string>]
        //     [:updatesonly / :calendarid <string>] [:deletecancelled]
        //     [:outcome <variablename: string>]
        //     [:reason <variablename: string>]
        Signature {
            tags: &[
                TagSpec::flag("allowpublic"),
                TagSpec::with_arg("addresses", Arg::strings("addresses")),
                TagSpec::with_arg("organizers", Arg::string("ext-list-name"))
                    .also_uses(&["extlists"]),
                TagSpec::flag("updatesonly").exclusive("target calendar"),
                TagSpec::with_arg("calendarid", Arg::string("calendarid"))
                    .exclusive("target calendar"),
                TagSpec::flag("deletecancelled"),
                TagSpec::with_arg("outcome", Arg::string("variablename")).also_uses(&["variables"]),
                TagSpec::with_arg("reason", Arg::string("variablename")).also_uses(&["variables"]),
            ],
            ..Signature::new("processcalendar")
        },
    ],
    ..Extension::new("processcalendar", "RFC 9671")
};
