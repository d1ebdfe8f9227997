//! "notify": draft-martin-sieve-notify-01, the draft that became "enotify"
//! (RFC 5435), as Dovecot (Pigeonhole's plugins/notify/cmd-notify.c and
//! cmd-denotify.c, deprecated, removed in 2.4) and Cyrus implement it:
//! `notify` with `:method`, `:id`, `:options`, a priority (`:low`,
//! `:normal`, `:high`) and `:message`, and `denotify`, which cancels
//! earlier notifications by id.
//!
//! Validation, with a Dovecot `--target` (Pigeonhole's cmd-notify.c):
//! Dovecot accepts only the "mailto" method for this `notify` ("the notify
//! command of the deprecated notify extension only supports the 'mailto'
//! notification method"), so another literal method is an error; without
//! `:options` there are no recipients (Pigeonhole warns "no :options (and
//! hence recipients) specified"): a warning; the `:options` of the mailto
//! method are its recipients, so each must be an address (an error:
//! Pigeonhole refuses "ops#example.org" or "" at upload).

use super::{Arg, Extension, Signature, TagSpec, Validation};

const PRIORITY: &str = "priority";

pub static NOTIFY: Extension = Extension {
    commands: &[
        // notify [":method" string] [":id" string] [":options" string-list]
        //        [<":low" / ":normal" / ":high">] [":message" string]
        Signature {
            tags: &[
                TagSpec::with_arg("method", Arg::string("method"))
                    .doc("The notification method to use, e.g. \"mailto\"."),
                TagSpec::with_arg("id", Arg::string("id"))
                    .doc("A name for the notification, so that denotify can cancel it."),
                TagSpec::with_arg("options", Arg::strings("options"))
                    .doc("Options of the method, such as the address to notify."),
                TagSpec::flag("low")
                    .doc("Sends the notification with low priority.")
                    .exclusive(PRIORITY),
                TagSpec::flag("normal")
                    .doc("Sends the notification with normal priority (the default).")
                    .exclusive(PRIORITY),
                TagSpec::flag("high")
                    .doc("Sends the notification with high priority.")
                    .exclusive(PRIORITY),
                TagSpec::with_arg("message", Arg::string("message")).doc(
                    "The text of the notification; $from$, $subject$ and the like are filled in.",
                ),
            ],
            doc: "Deprecated draft (use enotify); sends a notification about the message by the :method given.",
            ..Signature::new("notify")
        },
        // denotify [MATCH-TYPE string] [<":low" / ":normal" / ":high">]:
        // the match type takes the id to match as its argument.
        Signature {
            tags: &[
                TagSpec::with_arg("is", Arg::string("id"))
                    .doc("Cancels the notifications whose id equals this string.")
                    .exclusive("match type"),
                TagSpec::with_arg("contains", Arg::string("id"))
                    .doc("Cancels the notifications whose id contains this string.")
                    .exclusive("match type"),
                TagSpec::with_arg("matches", Arg::string("id"))
                    .doc("Cancels the notifications whose id matches this wildcard pattern.")
                    .exclusive("match type"),
                TagSpec::with_arg("regex", Arg::string("id"))
                    .doc("Cancels the notifications whose id matches this regular expression.")
                    .exclusive("match type"),
                TagSpec::flag("low")
                    .doc("Cancels only notifications of low priority.")
                    .exclusive(PRIORITY),
                TagSpec::flag("normal")
                    .doc("Cancels only notifications of normal priority.")
                    .exclusive(PRIORITY),
                TagSpec::flag("high")
                    .doc("Cancels only notifications of high priority.")
                    .exclusive(PRIORITY),
            ],
            doc: "Deprecated draft; cancels the notifications given so far, or those matching :id and priority.",
            ..Signature::new("denotify")
        },
    ],
    validate: Some(validate),
    successor: Some("enotify"),
    deprecated: Some(
        "replaced by \"enotify\" (RFC 5435), whose `notify` takes the method as a \
         URI argument (`notify \"mailto:alice@example.com\"`) with `:from`, \
         `:importance` \"1\"-\"3\" and `:options`, and has no `denotify`; Dovecot 2.4 \
         no longer accepts \"notify\"",
    ),
    doc: "Deprecated draft of notifications; use enotify.",
    ..Extension::new("notify", "draft-martin-sieve-notify-01")
};

fn validate(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    if !u.node.name().is("notify") || !v.cx.options.target().id.starts_with("dovecot") {
        return;
    }
    if u.binding.tag("options").is_none() {
        let server = v.cx.options.target().server;
        v.warning(
            u.node.name().span,
            format!("`notify` without `:options` notifies no one on {server}"),
        )
        .with_primary_label("no recipients")
        .with_help("give the addresses to notify: :options [\"me@example.com\"]");
    }
    // The mailto method (Dovecot's only one) sends to the :options, so
    // each is an address ("specified :options address ... is invalid for
    // the mailto notify method", sievec 0.5.19).
    let mailto = u
        .binding
        .tag("method")
        .and_then(|t| t.arg)
        .is_none_or(|m| matches!(m.strings(), [l] if l.value.eq_ignore_ascii_case("mailto")));
    for lit in u
        .binding
        .tag("options")
        .filter(|_| mailto)
        .and_then(|t| t.arg)
        .map_or(&[][..], |a| a.strings())
    {
        if super::values::constant(v, lit)
            && let Err(e) = crate::syntax::address::parse_mailbox(&lit.value)
        {
            super::values::report_address(
                v,
                lit,
                e,
                crate::diagnostic::Severity::Error,
                "notify :options",
                "Dovecot refuses the script at upload",
            );
        }
    }
    let Some(method) = u.binding.tag("method").and_then(|t| t.arg) else {
        return;
    };
    let [lit] = method.strings() else { return };
    if lit.value.eq_ignore_ascii_case("mailto") || lit.value.contains("${") {
        return;
    }
    let server = v.cx.options.target().server;
    v.error(
        lit.span,
        format!(
            "{server} accepts only the \"mailto\" method for the notify draft, not {}",
            crate::diagnostic::show(&lit.value)
        ),
    )
    .with_primary_label("refused when the script is compiled")
    .with_help("use :method \"mailto\" with the addresses in :options");
}
