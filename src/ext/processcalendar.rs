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
                TagSpec::flag("allowpublic").doc("Also processes published calendar data (METHOD:PUBLISH), not only scheduling messages."),
                TagSpec::with_arg("addresses", Arg::strings("addresses")).doc("Your own calendar addresses, to find you among the organizer and attendees."),
                TagSpec::with_arg("organizers", Arg::string("ext-list-name")).doc("The external list of organizers whose calendar messages are processed; others are not.")
                    .also_uses(&["extlists"]),
                TagSpec::flag("updatesonly").doc("Only updates events already in your calendar; new invitations are not added.").exclusive("target calendar"),
                TagSpec::with_arg("calendarid", Arg::string("calendarid")).doc("The id of the calendar that new events go into, instead of the default calendar.")
                    .exclusive("target calendar"),
                TagSpec::flag("deletecancelled").doc("Deletes events the organizer cancels instead of keeping them marked as cancelled."),
                TagSpec::with_arg("outcome", Arg::string("variablename")).doc("The variable that receives what happened, e.g. \"added\" or \"updated\".").also_uses(&["variables"]),
                TagSpec::with_arg("reason", Arg::string("variablename")).doc("The variable that receives a text saying why nothing was done or what went wrong.").also_uses(&["variables"]),
            ],
            doc: "Applies the calendar invitation, reply or cancellation in the message to your calendar.",
..Signature::new("processcalendar")
        },
    ],
    doc: "Adds processcalendar, to update your calendar from invitations and replies received by mail.",
..Extension::new("processcalendar", "RFC 9671")
};
