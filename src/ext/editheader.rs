//! RFC 5293: the "editheader" extension — `addheader` (§4) and
//! `deleteheader` (§5).
//!
//! Validation:
//! - the field name of both is an RFC 5322 §3.6.8 `field-name`
//!   (`1*ftext`, printable US-ASCII but `:`): "the implementation MUST
//!   flag an error" (§4, §5);
//! - `deleteheader :last` without `:index`: "The implementation MUST
//!   flag an error" (§5);
//! - an `addheader` value that is not RFC 5322 `unstructured` (a control
//!   character, a line break not followed by white space): §4 lets the
//!   server "either flag an error or encode", so a warning — an error for
//!   a NUL with a Dovecot target, which refuses it at upload (other
//!   control characters it only warns about: sievec 0.5.19); encoded characters count as what they
//!   decode to (`${hex:00}` is a NUL, RFC 5228 §2.4.2.4);
//! - `deleteheader` of "Received" or "Auto-Submitted": servers "MUST NOT
//!   permit" it and the attempt "MUST be silently ignored" (§6): a
//!   warning that it does nothing.

use super::values::{constant, span, text};
use super::{Arg, Extension, Group, Signature, TagSpec, Validation};
use crate::diagnostic::show;
use crate::syntax::ast::StringLit;

pub static EDITHEADER: Extension = Extension {
    commands: &[
        // §4: addheader [":last"] <field-name: string> <value: string>
        Signature {
            tags: &[TagSpec::flag("last")
                .doc("Adds the field at the bottom of the header instead of the top.")],
            positional: &[Arg::string("field-name"), Arg::string("value")],
            doc: "Adds a header field with the given name and value at the top of the header.",
            ..Signature::new("addheader")
        },
        // §5: deleteheader [":index" <fieldno: number> [":last"]]
        //     [COMPARATOR] [MATCH-TYPE]
        //     <field-name: string> [<value-patterns: string-list>]
        Signature {
            tags: &[
                TagSpec::with_arg("index", Arg::number("fieldno")).doc(
                    "Deletes only the occurrence of the field with this number, 1 being the first.",
                ),
                TagSpec::flag("last").doc(
                    "Counts the :index from the last occurrence of the field instead of the first.",
                ),
            ],
            groups: &[Group::Comparator, Group::MatchType],
            positional: &[
                Arg::string("field-name"),
                Arg::strings("value-patterns").optional(),
            ],
            doc: "Deletes the named header fields, or only those whose values match the patterns.",
            ..Signature::new("deleteheader")
        },
    ],
    validate: Some(validate),
    doc: "Adds addheader and deleteheader, to change the header of the message.",
    ..Extension::new("editheader", "RFC 5293 §4, §5")
};

/// §6: fields a server never lets a script delete.
const PROTECTED: &[&str] = &["received", "auto-submitted"];

fn validate(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    let add = u.node.name().is("addheader");
    if !add && !u.node.name().is("deleteheader") {
        return;
    }
    let name = u
        .binding
        .positional
        .first()
        .and_then(|a| a.strings().first());
    if let Some(lit) = name
        && constant(v, lit)
    {
        if let Some((range, why)) = field_name_error(&lit.value) {
            let at = span(v, lit, range);
            v.error(
                at,
                format!("invalid header field name {}", show(&lit.value)),
            )
            .with_primary_label(why)
            .with_help(
                "a field name is printable US-ASCII without blanks or `:` \
                     (RFC 5322 §3.6.8), e.g. \"X-Spam-Flag\"; RFC 5293 §4, §5",
            );
        } else if !add && PROTECTED.iter().any(|p| p.eq_ignore_ascii_case(&lit.value)) {
            v.warning(
                lit.span,
                format!("deleting {} does nothing", show(&lit.value)),
            )
            .with_primary_label("servers must not permit it (RFC 5293 §6)")
            .with_help("the attempt is silently ignored: remove the command");
        }
    }
    if add {
        if let Some(lit) = u
            .binding
            .positional
            .get(1)
            .and_then(|a| a.strings().first())
            && let Some(text) = text(v, lit)
        {
            check_value(v, lit, &text);
        }
    } else if let Some(last) = u.binding.tag("last")
        && u.binding.tag("index").is_none()
    {
        v.error(last.tag.span, "`:last` without `:index`")
            .with_primary_label("counts from the end, but there is no :index")
            .with_help("add `:index 1` to delete the last one, or remove `:last` (RFC 5293 §5)");
    }
}

/// RFC 5322 §3.6.8: field-name = 1*ftext; ftext = %d33-57 / %d59-126.
pub(crate) fn field_name_error(s: &str) -> Option<(std::ops::Range<usize>, String)> {
    if s.is_empty() {
        return Some((0..0, "the field name is empty".into()));
    }
    let (i, c) = s
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_graphic() && c != ':'))?;
    let what = match c {
        ' ' => "a space".to_string(),
        ':' => "`:`".to_string(),
        _ => show(&c.to_string()),
    };
    let why = if c == ':' && i + 1 == s.len() {
        "the `:` after the name is not part of it".to_string()
    } else {
        format!("{what} is not allowed in a field name")
    };
    Some((i..i + c.len_utf8(), why))
}

/// §4: the value should be RFC 5322 `unstructured`: printable text and
/// folding white space (CRLF only before a space or tab).
/// What makes an addheader value not `unstructured`, least bad first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Problem {
    LineBreak,
    Control,
    Nul,
}

/// `text` is the value with its encoded characters decoded (a `${hex:00}`
/// is a NUL too).
fn check_value(v: &mut Validation<'_, '_, '_>, lit: &StringLit, text: &str) {
    // A `text:` value ends with its last line's break (RFC 5228 §2.4.2):
    // not part of the field.
    let v_ = text;
    let s = v_
        .strip_suffix("\r\n")
        .or_else(|| v_.strip_suffix('\n'))
        .unwrap_or(v_)
        .as_bytes();
    // The worst problem, first of its kind: a NUL (Dovecot refuses it),
    // another control character, a bare line break.
    let mut problem: Option<(usize, Problem)> = None;
    for (i, &c) in s.iter().enumerate() {
        let bad = match c {
            b'\t' => None,
            b'\r' if s.get(i + 1) == Some(&b'\n') => None,
            b'\r' | b'\n' if matches!(s.get(i + 1), Some(b' ' | b'\t')) => None,
            b'\r' | b'\n' => Some(Problem::LineBreak),
            0 => Some(Problem::Nul),
            1..0x20 => Some(Problem::Control),
            _ => None,
        };
        if let Some(p) = bad
            && problem.is_none_or(|(_, q)| p > q)
        {
            problem = Some((i, p));
            if p == Problem::Nul {
                break;
            }
        }
    }
    let Some((i, problem)) = problem else {
        return;
    };
    // Offsets in a decoded value are not offsets in the source.
    let at = if text == &*lit.value {
        span(v, lit, i..i + 1)
    } else {
        lit.span
    };
    let message = format!(
        "addheader value {} is not unstructured text",
        show(&lit.value)
    );
    let refused = problem == Problem::Nul && v.dovecot();
    let d = v.error_if(refused, at, message);
    let control = problem != Problem::LineBreak;
    if control {
        d.with_primary_label(format!(
            "the control character {}",
            show(&(s[i] as char).to_string())
        ))
        .with_help(if problem == Problem::Nul {
            "RFC 5293 §4: the server must refuse or encode it (Dovecot refuses the script)"
        } else {
            "RFC 5293 §4: the server must refuse or encode it"
        });
    } else {
        d.with_primary_label("a line break not followed by a space or tab (RFC 5322 §2.2.3)")
            .with_help(
                "RFC 5293 §4: the server may refuse or re-encode it; fold with CRLF and a space",
            );
    }
}

#[cfg(test)]
mod tests {
    use super::field_name_error;

    #[test]
    fn field_names() {
        for ok in ["X-Spam-Flag", "Subject", "!", "x~{}|", &"X".repeat(10_000)] {
            assert_eq!(field_name_error(ok), None, "{ok}");
        }
        assert_eq!(field_name_error("").unwrap().1, "the field name is empty");
        assert_eq!(field_name_error("X Spam").unwrap().0, 1..2);
        assert!(
            field_name_error("Subject:")
                .unwrap()
                .1
                .contains("not part of it")
        );
        assert!(field_name_error("a:b").unwrap().1.contains("`:`"));
        assert!(field_name_error("Ünïcode").unwrap().1.contains("\"Ü\""));
        assert!(field_name_error("X-\u{7f}").is_some());
        assert!(field_name_error("X-\t").is_some());
    }
}
