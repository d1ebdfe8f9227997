//! RFC 5228: the base language — control commands (§3), actions (§4) and
//! tests (§5), with the match types, comparators and address parts shared by
//! the tests (§2.7).

use super::{Arg, Extension, Group, Signature, TagSpec, TestArity, Validation};

// Validation: the `address` test only on headers that hold addresses
// (§5.1); a comparator must support the match type it is used with
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
            doc: "Runs its block when the test is true; elsif and else branches may follow.",
            ..Signature::new("if")
        },
        Signature {
            tests: TestArity::One,
            block: true,
            follows_if: true,
            doc: "Runs its block when its test is true and no earlier if or elsif branch ran.",
            ..Signature::new("elsif")
        },
        Signature {
            block: true,
            follows_if: true,
            doc: "Runs its block when no earlier if or elsif branch ran.",
            ..Signature::new("else")
        },
        // §3.2
        Signature {
            positional: &[Arg::strings("capabilities")],
            doc: "Declares the extensions the script uses; comes before any other command.",
            ..Signature::new("require")
        },
        // §3.3
        Signature {
            doc: "Ends the script here; the implicit keep still happens unless an action cancelled it.",
            ..Signature::new("stop")
        },
        // §4.2
        Signature {
            positional: &[Arg::string("address")],
            doc: "Forwards the message to the given address and cancels the implicit keep.",
            ..Signature::new("redirect")
        },
        // §4.3, §4.4
        Signature {
            doc: "Files the message into the default mailbox, as if the script did nothing.",
            ..Signature::new("keep")
        },
        Signature {
            doc: "Silently throws the message away by cancelling the implicit keep.",
            ..Signature::new("discard")
        },
    ],
    tests: &[
        // §5.1
        Signature {
            groups: ADDRESS_TEST,
            positional: &[Arg::strings("header-list"), Arg::strings("key-list")],
            doc: "Compares the addresses in the named headers (From, To, ...) with the keys.",
            ..Signature::new("address")
        },
        // §5.2, §5.3
        Signature {
            tests: TestArity::List,
            doc: "True when every test in the list is true (logical and).",
            ..Signature::new("allof")
        },
        Signature {
            tests: TestArity::List,
            doc: "True when at least one test in the list is true (logical or).",
            ..Signature::new("anyof")
        },
        // §5.5
        Signature {
            positional: &[Arg::strings("header-names")],
            doc: "True when every one of the named header fields is present in the message.",
            ..Signature::new("exists")
        },
        // §5.6
        Signature {
            doc: "A test that is never true.",
            ..Signature::new("false")
        },
        // §5.7
        Signature {
            groups: MATCH_AND_COMPARATOR,
            positional: &[Arg::strings("header-names"), Arg::strings("key-list")],
            doc: "Compares the values of the named header fields with the keys.",
            ..Signature::new("header")
        },
        // §5.8
        Signature {
            tests: TestArity::One,
            doc: "Turns the result of the test it wraps around: true becomes false and back.",
            ..Signature::new("not")
        },
        // §5.9
        Signature {
            tags: &[
                TagSpec::flag("over")
                    .doc("True when the message is larger than the limit.")
                    .exclusive("size relation"),
                TagSpec::flag("under")
                    .doc("True when the message is smaller than the limit.")
                    .exclusive("size relation"),
            ],
            positional: &[Arg::number("limit")],
            required: &["size relation"],
            doc: "Compares the size of the message in octets with a limit; needs :over or :under.",
            ..Signature::new("size")
        },
        // §5.10
        Signature {
            doc: "A test that is always true.",
            ..Signature::new("true")
        },
    ],
    group_tags: &[
        // §2.7.1
        (
            Group::MatchType,
            TagSpec::flag("is")
                .doc("Matches when the value and a key are equal (the default match type)."),
        ),
        (
            Group::MatchType,
            TagSpec::flag("contains").doc("Matches when a key occurs somewhere inside the value."),
        ),
        (
            Group::MatchType,
            TagSpec::flag("matches").doc(
                "Matches a key as a wildcard pattern: * stands for any text, ? for one character.",
            ),
        ),
        // §2.7.3
        (
            Group::Comparator,
            TagSpec::with_arg("comparator", Arg::string("comparator-name"))
                .doc("Names the comparator that decides equality and order, e.g. \"i;octet\"."),
        ),
        // §2.7.4
        (
            Group::AddressPart,
            TagSpec::flag("all").doc("Compares the whole address (the default address part)."),
        ),
        (
            Group::AddressPart,
            TagSpec::flag("localpart").doc("Compares only the part of the address before the @."),
        ),
        (
            Group::AddressPart,
            TagSpec::flag("domain").doc("Compares only the domain of the address, after the @."),
        ),
    ],
    validate: Some(validate),
    doc: "The base Sieve language (RFC 5228): always available, needs no require.",
    ..Extension::new("", "RFC 5228")
};

fn validate(v: &mut Validation<'_, '_, '_>) {
    super::comparators::validate_match(v);
    address_headers(v);
    header_names(v);
}

/// `header` and `exists` of a name that is no RFC 5322 field name
/// ("Subject:", "X Spam"): RFC 5228 §2.4.2.2: "no header will match a
/// syntactically invalid header name", and it "MUST NOT cause an error":
/// a warning (the test never matches; `exists` is always false), as
/// Pigeonhole gives ("specified header field name ... is invalid").
fn header_names(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    let name = u.node.name();
    if !u.node.is_test() || !(name.is("header") || name.is("exists")) {
        return;
    }
    let Some(names) = u.binding.positional.first() else {
        return;
    };
    for lit in names.strings() {
        if !super::values::constant(v, lit) {
            continue;
        }
        if let Some((range, why)) = super::editheader::field_name_error(&lit.value) {
            let at = super::values::span(v, lit, range);
            v.warning(
                at,
                format!(
                    "{} is not a header field name: no field matches it",
                    crate::diagnostic::show(&lit.value)
                ),
            )
            .with_primary_label(why)
            .with_help(
                "a field name is printable US-ASCII without blanks or `:` (RFC 5322 §3.6.8), \
                 e.g. \"Subject\" (RFC 5228 §2.4.2.2)",
            );
        }
    }
}

/// RFC 5322 §3.6 fields, and fields of other standards, whose body is no
/// address list: RFC 5228 §5.1 "Implementations MUST restrict the address
/// test to headers that contain addresses".
const NOT_ADDRESSES: &[&str] = &[
    "date",
    "subject",
    "comments",
    "keywords",
    "message-id",
    "in-reply-to",
    "references",
    "received",
    "resent-date",
    "resent-message-id",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "content-id",
    "content-description",
    "content-disposition",
    "content-language",
    "list-id",
    "list-post",
    "list-help",
    "list-subscribe",
    "list-unsubscribe",
    "list-unsubscribe-post",
    "list-archive",
    "list-owner",
    "precedence",
    "auto-submitted",
    "importance",
    "priority",
    "x-priority",
    "user-agent",
    "x-mailer",
    "organization",
    "dkim-signature",
    "authentication-results",
    "received-spf",
    "x-spam-status",
    "x-spam-flag",
    "x-spam-score",
    "x-spam-level",
];

/// The fields Pigeonhole allows in `address` (its tst-address.c list):
/// any other name is refused at upload.
const DOVECOT_ADDRESS_FIELDS: &[&str] = &[
    "from",
    "to",
    "cc",
    "bcc",
    "sender",
    "reply-to",
    "resent-from",
    "resent-to",
    "resent-cc",
    "resent-bcc",
    "resent-sender",
    "resent-reply-to",
    "errors-to",
    "delivered-to",
    "x-original-to",
    "mail-followup-to",
    "mail-reply-to",
    "apparently-to",
    "x-beenthere",
];

/// Address fields of other standards that servers other than Dovecot take
/// (RFC 5228 §5.1: an implementation "SHOULD include any other header that
/// utilizes an address-list structured header body").
const OTHER_ADDRESS_FIELDS: &[&str] = &[
    "return-path",
    "author",
    "original-from",
    "original-sender",
    "original-recipient",
    "disposition-notification-to",
    "return-receipt-to",
    "envelope-to",
    "x-envelope-to",
    "x-delivered-to",
    "x-original-from",
    "x-forwarded-to",
];

/// The header names of an `address` test: error on a field that holds no
/// address (§5.1 MUST); a field Dovecot does not allow is an error for a
/// Dovecot target, which refuses the script at upload, and an unknown one
/// a warning elsewhere (it is refused there).
fn address_headers(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    if !u.node.name().is("address") {
        return;
    }
    let Some(headers) = u.binding.positional.first() else {
        return;
    };
    let dovecot = v.cx.options.target().id.starts_with("dovecot");
    for h in headers.strings() {
        if !super::values::constant(v, h) {
            continue;
        }
        let name = h.value.trim().to_ascii_lowercase();
        let shown = crate::diagnostic::show(&h.value);
        if NOT_ADDRESSES.contains(&name.as_str()) {
            v.error(
                h.span,
                format!("the address test cannot test {shown}: it holds no address"),
            )
            .with_primary_label("not an address header")
            .with_help(format!(
                "RFC 5228 §5.1: implementations MUST restrict `address` to headers that \
                 contain addresses; test it with `header` instead: header :contains {shown} …"
            ));
        } else if !DOVECOT_ADDRESS_FIELDS.contains(&name.as_str()) {
            let known = OTHER_ADDRESS_FIELDS.contains(&name.as_str());
            if !dovecot && known {
                continue;
            }
            let message = format!("Dovecot refuses the address test of {shown}");
            let d = if dovecot {
                v.error(h.span, message)
            } else {
                v.warning(h.span, message)
            };
            d.with_primary_label(if known {
                "an address header Dovecot does not allow in `address`"
            } else {
                "not known to hold addresses"
            })
            .with_help(
                "Pigeonhole allows `address` only on the headers it knows to hold addresses \
                 (from, to, cc, bcc, sender, reply-to, resent-*, errors-to, delivered-to, \
                 x-original-to, mail-followup-to, mail-reply-to, …); `header` tests any field",
            );
        }
    }
}
