//! RFC 9671: the `processcalendar` action of the "processcalendar"
//! extension.
//!
//! Not checked: `:organizers` names an external list and needs "extlists"
//! (RFC 6134); `:outcome` and `:reason` name variables and need
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
                TagSpec::with_arg("organizers", Arg::string("ext-list-name")),
                TagSpec::flag("updatesonly").exclusive("target calendar"),
                TagSpec::with_arg("calendarid", Arg::string("calendarid"))
                    .exclusive("target calendar"),
                TagSpec::flag("deletecancelled"),
                TagSpec::with_arg("outcome", Arg::string("variablename")),
                TagSpec::with_arg("reason", Arg::string("variablename")),
            ],
            ..Signature::new("processcalendar")
        },
    ],
    ..Extension::new("processcalendar", "RFC 9671")
};
