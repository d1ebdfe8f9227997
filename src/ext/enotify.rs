//! RFC 5435: the "enotify" extension — the `notify` action (§3), the
//! `valid_notify_method` (§4) and `notify_method_capability` (§5) tests,
//! and the `:encodeurl` modifier of `set` (§6).
//!
//! Validation of `notify` (errors: what §3 requires and servers refuse at
//! upload):
//! - the method is a URI (§3.2, RFC 3986): "Invalid URI syntax ... MUST
//!   cause an error"; a `mailto:` method is an RFC 6068 mailto URI whose
//!   recipients are addr-specs (RFC 5436 §2.1);
//! - a method other than the registered `mailto:` (the only one §3.2
//!   makes REQUIRED) and `xmpp:` (RFC 5437) is a warning: where unsupported it "MUST cause an error condition at run
//!   time" — unless an enclosing `if` asks `valid_notify_method` (or
//!   `notify_method_capability`) about it;
//! - `:from` of a mailto method is an address (§3.3 SHOULD, RFC 5436
//!   §2.3; servers refuse it);
//! - `:importance` is "1", "2" or "3" (§3.1);
//! - each `:options` item is `optionname=value` (§3.5 ABNF).
//!
//! - a header field of a mailto method is an RFC 5322 field name, and the
//!   addresses of its "to", "cc" and "bcc" fields are addresses (RFC 6068
//!   §2: hfname and hfvalue encode a header field);
//! - for the Dovecot targets a method other than mailto is an error
//!   (Pigeonhole refuses it at upload, guarded or not), and for
//!   dovecot-2.3 a `,` between recipients before `?`: RFC 6068 §2 allows
//!   it, Pigeonhole 0.5 refuses it.
//!
//! `valid_notify_method` and `notify_method_capability` never fail on an
//! invalid URI (§4, §5 "MUST NOT cause an error"); they are just false, so
//! an invalid constant URI there is a warning.

use super::values::{constant, percent_decode, report_address, span, uri_error};
use super::{Arg, Extension, Group, Signature, TagAddition, TagSpec, Validation};
use crate::diagnostic::{Severity, show};
use crate::syntax::address::{parse_addr_spec, parse_mailbox};
use crate::syntax::ast::StringLit;

pub static ENOTIFY: Extension = Extension {
    commands: &[
        // §3: notify [":from" string] [":importance" <"1" / "2" / "3">]
        //     [":options" string-list] [":message" string] <method: string>
        Signature {
            tags: &[
                TagSpec::with_arg("from", Arg::string("from")).doc("The sender address of the notification."),
                TagSpec::with_arg("importance", Arg::string("importance")).doc("How urgent the notification is: \"1\" high, \"2\" normal (the default), \"3\" low."),
                TagSpec::with_arg("options", Arg::strings("options")).doc("Options for the notification method, as \"name=value\" strings."),
                TagSpec::with_arg("message", Arg::string("message")).doc("The text of the notification; without it the server writes a summary."),
            ],
            positional: &[Arg::string("method")],
            doc: "Sends a notification about the message by the method URI given (mailto:, xmpp:, ...).",
..Signature::new("notify")
        },
    ],
    tests: &[
        // §4: valid_notify_method <notification-uris: string-list>
        Signature {
            positional: &[Arg::strings("notification-uris")],
            doc: "True when every notification URI is valid and its method is supported.",
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
            doc: "Compares a capability (\"online\") of the method of a notification URI with the keys.",
..Signature::new("notify_method_capability")
        },
    ],
    // §6: a modifier of precedence 15. It is a MODIFIER of RFC 5229 §4, so
    // it applies wherever modifiers do: `set`, and `extracttext`
    // (RFC 5703 §7).
    tag_additions: &[TagAddition {
        targets: &["set", "extracttext"],
        tag: TagSpec::flag("encodeurl").doc("Percent-encodes the value so it can be put inside a URI.").exclusive("encodeurl modifier (precedence 15)"),
    }],
    validate: Some(validate),
    doc: "Adds notify, to send notifications (mail, instant messages) about the message.",
..Extension::new("enotify", "RFC 5435 §3, §4, §5, §6")
};

fn validate(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    let name = u.node.name();
    if name.is("notify") {
        // The draft "notify" extension shares the command name; its
        // arguments differ (`:method`): only enotify's form is checked.
        if u.entry.is_none_or(|e| e.capability != "enotify") {
            return;
        }
        let method = u
            .binding
            .positional
            .first()
            .and_then(|a| a.strings().first());
        let mailto = method.is_some_and(|m| is_mailto(&m.value));
        if let Some(m) = method {
            check_method(v, m, true);
        }
        check_tags(v, mailto);
    } else if name.is("valid_notify_method") {
        if let Some(arg) = u.binding.positional.first() {
            for m in arg.strings() {
                check_method(v, m, false);
            }
        }
    } else if name.is("notify_method_capability")
        && let Some(m) = u
            .binding
            .positional
            .first()
            .and_then(|a| a.strings().first())
    {
        check_method(v, m, false);
    }
}

fn is_mailto(s: &str) -> bool {
    s.get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
}

/// Why a method URI is invalid: the range of the value and the reason.
fn method_error(s: &str) -> Option<(std::ops::Range<usize>, String, Option<String>)> {
    if let Some((range, why)) = uri_error(s) {
        let help = (s.contains('@') && !s.contains(':')).then(|| {
            format!(
                "a mail notification is a mailto URI: {}",
                show(&format!("mailto:{s}"))
            )
        });
        return Some((range, why, help));
    }
    if is_mailto(s) {
        return mailto_error(s).map(|(r, w)| (r, w, None));
    }
    None
}

/// RFC 6068 §2: mailtoURI = "mailto:" [ to ] [ hfields ];
/// to = addr-spec *("," addr-spec); hfields = "?" hfield *("&" hfield);
/// hfield = hfname "=" hfvalue. The URI characters are already checked.
fn mailto_error(s: &str) -> Option<(std::ops::Range<usize>, String)> {
    let body = &s[7..];
    let (to, fields) = body.split_once('?').unwrap_or((body, ""));
    // qchar = unreserved / pct-encoded / some-delims; "=" and "&" only
    // delimit header fields (a second "=" in a value is tolerated, as
    // servers do). "/", "?", "#", "[", "]" must be percent-encoded.
    let qchar = |c: u8| c.is_ascii_alphanumeric() || b"-._~%!$'()*+,;:@".contains(&c);
    let bad = to
        .bytes()
        .position(|c| !qchar(c))
        .map(|i| 7 + i)
        .or_else(|| {
            fields
                .bytes()
                .position(|c| !(qchar(c) || c == b'=' || c == b'&'))
                .map(|i| 7 + to.len() + 1 + i)
        });
    if let Some(i) = bad {
        let c = s[i..].chars().next().unwrap_or('?');
        return Some((
            i..i + c.len_utf8(),
            format!(
                "{} is not allowed in a mailto URI: percent-encode it (RFC 6068 §2)",
                show(&c.to_string())
            ),
        ));
    }
    let mut start = 7;
    for item in split_commas(to) {
        let range = start..start + item.len();
        start += item.len();
        if item.is_empty() {
            start += separator_len(&s[start..]);
            continue;
        }
        let Some(decoded) = percent_decode(item) else {
            return Some((
                range,
                "the percent-encoded octets are not UTF-8 (RFC 6068 §2)".into(),
            ));
        };
        if let Err(e) = parse_addr_spec(&decoded) {
            return Some((
                range,
                format!("recipient {}: {} (RFC 6068 §2)", show(&decoded), e.reason),
            ));
        }
        start += separator_len(&s[start..]);
    }
    let mut at = 7 + to.len() + 1;
    for field in fields.split('&') {
        let range = at..at + field.len();
        at += field.len() + 1;
        if field.is_empty() {
            continue;
        }
        let Some((name, value)) = field.split_once('=') else {
            return Some((
                range,
                "a header field without `=`: it is hfname=hfvalue (RFC 6068 §2)".into(),
            ));
        };
        if let Some(e) = hfield_error(name, value) {
            return Some(e.shift(range.start));
        }
    }
    None
}

/// A problem found in one part of a mailto header field, at `range`
/// within `hfname=hfvalue`.
struct FieldError {
    range: std::ops::Range<usize>,
    why: String,
}

impl FieldError {
    fn shift(self, by: usize) -> (std::ops::Range<usize>, String) {
        (self.range.start + by..self.range.end + by, self.why)
    }
}

/// RFC 6068 §2: "hfname" and "hfvalue" are the encodings of an RFC 5322
/// header field name and value: the name is a `field-name` (1*ftext, no
/// `:` or blank), and the value of "to", "cc" and "bcc" holds addresses
/// (the notification's recipients, RFC 5436 §2.7). Values with quoted
/// names, groups or comments are left alone (their commas do not split).
fn hfield_error(name: &str, value: &str) -> Option<FieldError> {
    let name_range = 0..name.len();
    let Some(decoded) = percent_decode(name) else {
        return Some(FieldError {
            range: name_range,
            why: "the percent-encoded octets are not UTF-8 (RFC 6068 §2)".into(),
        });
    };
    if let Some((_, why)) = super::editheader::field_name_error(&decoded) {
        return Some(FieldError {
            range: name_range,
            why: format!(
                "header field name {}: {why} (RFC 6068 §2, RFC 5322 §3.6.8)",
                show(&decoded)
            ),
        });
    }
    if !["to", "cc", "bcc"]
        .iter()
        .any(|h| h.eq_ignore_ascii_case(&decoded))
    {
        return None;
    }
    let value_range = name.len() + 1..name.len() + 1 + value.len();
    let addresses = percent_decode(value)?;
    if addresses.contains(['"', ':', ';', '(']) {
        return None;
    }
    for item in addresses.split(',').map(str::trim) {
        if item.is_empty() {
            continue;
        }
        if let Err(e) = parse_mailbox(item) {
            return Some(FieldError {
                range: value_range,
                why: format!(
                    "{} recipient {}: {} (RFC 6068 §2, RFC 5322 §3.4)",
                    decoded.to_ascii_lowercase(),
                    show(item),
                    e.reason
                ),
            });
        }
    }
    None
}

/// Recipients are separated by "," or its encoding "%2C" (RFC 6068 §2).
fn split_commas(to: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(to);
    std::iter::from_fn(move || {
        let r = rest?;
        let b = r.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b',' {
                rest = Some(&r[i + 1..]);
                return Some(&r[..i]);
            }
            if b[i] == b'%'
                && r.get(i + 1..i + 3)
                    .is_some_and(|h| h.eq_ignore_ascii_case("2C"))
            {
                rest = Some(&r[i + 3..]);
                return Some(&r[..i]);
            }
            i += 1;
        }
        rest = None;
        Some(r)
    })
}

fn separator_len(s: &str) -> usize {
    if s.starts_with(',') {
        1
    } else if s.starts_with('%') {
        3
    } else {
        0
    }
}

/// The notification methods registered for Sieve (RFC 5435 §9.2):
/// mailto (RFC 5436) and xmpp (RFC 5437).
const REGISTERED: &[&str] = &["mailto", "xmpp"];

/// The header fields RFC 5436 §2.7 makes a mailto method ignore.
const IGNORED_FIELDS: &[&str] = &["from", "auto-submitted", "received", "message-id", "date"];

/// Checks a method URI: of `notify` (`action`: errors) or of a test
/// (warnings: the test is false).
fn check_method(v: &mut Validation<'_, '_, '_>, m: &StringLit, action: bool) {
    if !constant(v, m) {
        return;
    }
    if let Some((range, why, help)) = method_error(&m.value) {
        let at = span(v, m, range);
        let d = if action {
            v.error(
                at,
                format!("invalid notification method {}", show(&m.value)),
            )
        } else {
            v.warning(
                at,
                format!(
                    "invalid notification method {}: the test is always false",
                    show(&m.value)
                ),
            )
        };
        d.with_primary_label(why);
        d.with_help(help.unwrap_or_else(|| {
            "a method is a URI such as \"mailto:alice@example.com\" (RFC 5435 §3.2, RFC 3986, RFC 6068)".into()
        }));
        return;
    }
    if !action {
        return;
    }
    if is_mailto(&m.value) {
        let to = m.value[7..].split('?').next().unwrap_or("");
        if let Some(comma) = to.find(',')
            && v.cx.options.target().id == "dovecot-2.3"
        {
            let at = span(v, m, 7 + comma..8 + comma);
            v.error(
                at,
                format!(
                    "Dovecot 2.3 refuses a `,` in the mailto recipients {}",
                    show(&m.value)
                ),
            )
            .with_primary_label("Pigeonhole 0.5 takes one recipient before `?`")
            .with_help(
                "RFC 6068 §2 allows several; for Dovecot 2.3 put the others in \
                 `?cc=` or `?to=` (\"mailto:a@example.com?to=b@example.com\")",
            );
        }
        let fields = m.value.split_once('?').map_or("", |(_, f)| f);
        for field in fields.split('&') {
            let name = field.split_once('=').map_or(field, |(n, _)| n);
            if let Some(ignored) = IGNORED_FIELDS.iter().find(|f| f.eq_ignore_ascii_case(name)) {
                let at = span(v, m, 0..m.value.len());
                v.warning(
                    at,
                    format!("the mailto header field \"{ignored}\" is ignored"),
                )
                .with_primary_label("RFC 5436 §2.7: the notification sets it itself")
                .with_help("remove it from the URI");
            }
        }
        return;
    }
    // Another scheme: fine where supported, a run-time error elsewhere,
    // unless the script tests it first. xmpp has its own RFC (5437).
    let scheme = m.value.split(':').next().unwrap_or("");
    // Dovecot knows mailto only and refuses any other method at upload,
    // even one an `if valid_notify_method` guards.
    if v.dovecot() {
        v.error(
            m.span,
            format!(
                "Dovecot does not support the notification method {}",
                show(&scheme.to_ascii_lowercase())
            ),
        )
        .with_primary_label("Pigeonhole's enotify has mailto only")
        .with_help("use a mailto: URI; Dovecot refuses the script at upload");
        return;
    }
    if REGISTERED.iter().any(|r| r.eq_ignore_ascii_case(scheme)) {
        return;
    }
    let tested = tested_by_guard(v, scheme);
    if !tested {
        v.warning(
            m.span,
            format!(
                "notification method {} may not be supported",
                show(&scheme.to_ascii_lowercase())
            ),
        )
        .with_primary_label("only mailto is required of every server (RFC 5435 §3.2)")
        .with_help(
            "an unsupported method is an error at run time; guard it with \
                 `if valid_notify_method \"…\"`",
        );
    }
}

/// Is the use inside an `if` whose condition asks `valid_notify_method`
/// or `notify_method_capability` about a method of `scheme`? Walks the
/// enclosing commands (bounded by the nesting limit) and at most 256
/// tests of each condition, so a script of many notifies stays linear.
fn tested_by_guard(v: &Validation<'_, '_, '_>, scheme: &str) -> bool {
    let uses = &v.model().uses;
    let mut parent = uses[v.index].parent();
    while let Some(a) = parent {
        let condition = uses[a + 1..]
            .iter()
            .take(256)
            .take_while(|t| t.node.is_test());
        for t in condition {
            let name = t.node.name();
            if (name.is("valid_notify_method") || name.is("notify_method_capability"))
                && t.binding.positional.first().is_some_and(|arg| {
                    arg.strings().iter().any(|s| {
                        s.value
                            .split(':')
                            .next()
                            .is_some_and(|x| x.eq_ignore_ascii_case(scheme))
                    })
                })
            {
                return true;
            }
        }
        parent = uses[a].parent();
    }
    false
}

/// `:from`, `:importance` and `:options` of `notify`.
fn check_tags(v: &mut Validation<'_, '_, '_>, mailto: bool) {
    let u = v.use_();
    if mailto
        && let Some(lit) = u
            .binding
            .tag("from")
            .and_then(|t| t.arg)
            .and_then(|a| a.strings().first())
        && constant(v, lit)
        && let Err(e) = parse_mailbox(&lit.value)
    {
        report_address(
            v,
            lit,
            e,
            Severity::Error,
            "notify :from",
            "see RFC 5435 §3.3, RFC 5436 §2.3",
        );
    }
    if let Some(lit) = u
        .binding
        .tag("importance")
        .and_then(|t| t.arg)
        .and_then(|a| a.strings().first())
        && constant(v, lit)
        && !matches!(lit.value.as_ref(), "1" | "2" | "3")
    {
        v.error(
            lit.span,
            format!("invalid :importance {}", show(&lit.value)),
        )
        .with_primary_label("not \"1\", \"2\" or \"3\"")
        .with_help("\"1\" is high, \"2\" normal, \"3\" low importance (RFC 5435 §3.4)");
    }
    if let Some(arg) = u.binding.tag("options").and_then(|t| t.arg) {
        for lit in arg.strings() {
            if constant(v, lit)
                && let Some((range, why)) = option_error(&lit.value)
            {
                let at = span(v, lit, range);
                v.error(at, format!("invalid :options item {}", show(&lit.value)))
                    .with_primary_label(why)
                    .with_help("each option is optionname=value (RFC 5435 §3.5)");
            }
        }
    }
}

/// RFC 5435 §3.5: optionname "=" value, optionname = l-d *l-d-p
/// (letters, digits, then also "." "-" "_"), value without NUL, CR, LF.
fn option_error(s: &str) -> Option<(std::ops::Range<usize>, String)> {
    let Some(eq) = s.find('=') else {
        return Some((0..s.len(), "no `=`".into()));
    };
    let name = &s.as_bytes()[..eq];
    if name.is_empty() {
        return Some((0..1, "the option name before `=` is empty".into()));
    }
    if !name[0].is_ascii_alphanumeric() {
        return Some((0..1, "an option name starts with a letter or digit".into()));
    }
    if let Some(i) = name
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || b".-_".contains(c)))
    {
        let c = s[i..].chars().next().unwrap_or('?');
        return Some((
            i..i + c.len_utf8(),
            format!("{} is not allowed in an option name", show(&c.to_string())),
        ));
    }
    if let Some(i) = s[eq + 1..]
        .bytes()
        .position(|c| matches!(c, 0 | b'\r' | b'\n'))
    {
        let at = eq + 1 + i;
        return Some((at..at + 1, "a NUL, CR or LF in the value".into()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods() {
        for ok in [
            "mailto:alm@example.com",
            "mailto:",
            "mailto:a@example.com,b@example.com",
            "mailto:a@example.com%2Cb@example.com",
            "mailto:%22john%20doe%22@example.com",
            "mailto:?to=a@example.com&subject=Hi%20there",
            "mailto:a@example.com?subject=&body=",
            "mailto:%22john%20doe%22@%5B192.0.2.1%5D?subject=a=b",
            "MAILTO:a@example.com",
            "xmpp:tim@example.com?message;subject=SIEVE",
            "tel:+14085551212",
        ] {
            assert_eq!(method_error(ok), None, "{ok}");
        }
        let bad = |s: &str| method_error(s).map(|(r, w, _)| (r, w)).expect(s);
        assert!(bad("").1.contains("empty"));
        let (r, w) = bad("alm@example.com");
        assert!(w.contains("not a URI") && r == (0..15));
        assert!(
            method_error("alm@example.com")
                .unwrap()
                .2
                .unwrap()
                .contains("mailto:alm")
        );
        assert!(
            bad("mailto:alm@example.com?subject=hi there")
                .1
                .contains("space")
        );
        let (r, w) = bad("mailto:a@example.com,bob");
        assert!(
            w.contains("recipient \"bob\"") && r == (21..24),
            "{r:?} {w}"
        );
        let (r, _) = bad("mailto:a@example.com%2Cbob");
        assert_eq!(r, 23..26);
        assert!(
            bad("mailto:a@example.com?subject")
                .1
                .contains("without `=`")
        );
        assert!(bad("mailto:%FF@example.com").1.contains("UTF-8"));
        assert!(bad("mailto:a..b@example.com").1.contains("two dots"));
        assert_eq!(bad("mailto:a@example.com?subject=a/b").0, 30..31);
        assert_eq!(bad("mailto:a@[192.0.2.1]").0, 9..10);
        assert!(bad("mailto:a@example.com#top").1.contains("\"#\""));
    }

    #[test]
    fn options() {
        for ok in ["a=b", "x-jabber.resource=home", "n_1=", "0=x y"] {
            assert_eq!(option_error(ok), None, "{ok}");
        }
        assert!(option_error("").unwrap().1.contains("no `=`"));
        assert!(option_error("novalue").unwrap().1.contains("no `=`"));
        assert!(option_error("=x").unwrap().1.contains("empty"));
        assert!(option_error("-a=x").unwrap().1.contains("starts with"));
        assert_eq!(option_error("a b=x").unwrap().0, 1..2);
        assert!(option_error("a=x\ny").unwrap().1.contains("CR or LF"));
    }
}
