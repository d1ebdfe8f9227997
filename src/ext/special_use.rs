//! RFC 8579: the "special-use" extension — the `specialuse_exists` test
//! and the `:specialuse` argument of `fileinto`.
//!
//! `:specialuse` is also one of the options of `:fcc` (RFC 8580) on
//! `vacation` and `notify`, so it is attached there too. Not checked: that
//! it accompanies `:fcc` there.
//!
//! Validation: a special-use attribute is RFC 6154 §6 `use-attr`: a
//! backslash and an IMAP atom (RFC 3501 §9). One that is not is an error
//! (Dovecot, whose author wrote RFC 8579, refuses the script at upload),
//! a warning for a Stalwart target, which also takes bare names; a
//! well-formed one that is not registered (RFC 6154 §2, RFC 8457) is a
//! warning — no mailbox is likely to carry it (`\Spam` for `\Junk`).

use super::values::{constant, span};
use super::{Arg, Extension, Signature, TagAddition, TagSpec, Validation};
use crate::diagnostic::show;
use crate::syntax::ast::StringLit;

pub static SPECIAL_USE: Extension = Extension {
    tests: &[
        // specialuse_exists [<mailbox: string>]
        //     <special-use-attrs: string-list>
        Signature {
            positional: &[
                Arg::string("mailbox").optional(),
                Arg::strings("special-use-attrs"),
            ],
            doc: "True when mailboxes with the special uses (\"\\\\Junk\", ...) exist, or the mailbox given has them.",
..Signature::new("specialuse_exists")
        },
    ],
    // fileinto [":specialuse" <special-use-attr: string>] <mailbox: string>
    tag_additions: &[TagAddition {
        targets: &["fileinto", "vacation", "notify"],
        tag: TagSpec::with_arg("specialuse", Arg::string("special-use-attr")).doc("Files into the mailbox with this special use, e.g. \"\\\\Junk\", when there is one, else the named one."),
    }],
    validate: Some(validate),
    doc: "Lets scripts find mailboxes by their special use (\\Junk, \\Sent, \\Trash, ...).",
..Extension::new("special-use", "RFC 8579")
};

/// The special-use attributes registered with IANA: RFC 6154 §2,
/// RFC 8457 (`\Important`), and the later registrations `\Memos`,
/// `\Scheduled` and `\Snoozed`.
const REGISTERED: &[&str] = &[
    "All",
    "Archive",
    "Drafts",
    "Flagged",
    "Junk",
    "Sent",
    "Trash",
    "Important",
    "Memos",
    "Scheduled",
    "Snoozed",
];

fn validate(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    if u.node.name().is("specialuse_exists") {
        if let Some(arg) = u.binding.positional.last() {
            for lit in arg.strings() {
                check(v, lit);
            }
        }
    } else if let Some(lit) = u
        .binding
        .tag("specialuse")
        .and_then(|t| t.arg)
        .and_then(|a| a.strings().first())
    {
        check(v, lit);
    }
}

/// RFC 3501 §9: ATOM-CHAR is any CHAR but atom-specials: `(` `)` `{`
/// SP, CTL, `%` `*`, `"` `\`, `]`.
fn is_atom_char(c: u8) -> bool {
    (0x21..0x7f).contains(&c) && !b"(){%*\"\\]".contains(&c)
}

/// Why `s` is not `"\" atom`: the byte range and the reason.
fn attr_error(s: &str) -> Option<(std::ops::Range<usize>, String)> {
    let Some(atom) = s.strip_prefix('\\') else {
        return Some((0..s.len().min(1), "does not start with a backslash".into()));
    };
    if atom.is_empty() {
        return Some((0..1, "nothing after the backslash".into()));
    }
    let i = atom.bytes().position(|c| !is_atom_char(c))?;
    let c = atom[i..].chars().next().unwrap_or('?');
    Some((
        1 + i..1 + i + c.len_utf8(),
        format!(
            "{} is not allowed in an IMAP atom (RFC 3501 §9)",
            show(&c.to_string())
        ),
    ))
}

fn check(v: &mut Validation<'_, '_, '_>, lit: &StringLit) {
    if !constant(v, lit) {
        return;
    }
    let s = lit.value.as_ref();
    if let Some((range, why)) = attr_error(s) {
        let at = span(v, lit, range);
        let bare = REGISTERED.iter().find(|r| r.eq_ignore_ascii_case(s));
        let help = match bare {
            // "\Junk" in a Sieve string is "Junk": the escape ate it.
            Some(r) => format!(
                "write \"\\\\{r}\": in a Sieve string a backslash is written twice (RFC 5228 §2.4.2)"
            ),
            None => {
                "a special-use attribute is a backslash and a name, e.g. \"\\\\Junk\" (RFC 6154 §6)"
                    .into()
            }
        };
        let message = format!("invalid special-use attribute {}", show(s));
        // Stalwart takes bare names ("junk") too: only a warning there.
        let d = if v.cx.options.target().id == "stalwart" {
            v.warning(at, message)
        } else {
            v.error(at, message)
        };
        d.with_primary_label(why).with_help(help);
        return;
    }
    if !REGISTERED.iter().any(|r| r.eq_ignore_ascii_case(&s[1..])) {
        v.warning(
            lit.span,
            format!("unknown special-use attribute {}", show(s)),
        )
        .with_primary_label("not registered (RFC 6154 §2, RFC 8457)")
        .with_help(
            "the registered ones are \\All, \\Archive, \\Drafts, \\Flagged, \\Junk, \\Sent, \
                 \\Trash, \\Important, \\Memos, \\Scheduled and \\Snoozed",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::attr_error;

    #[test]
    fn attributes() {
        for ok in [
            "\\Junk",
            "\\junk",
            "\\X-Custom",
            "\\a",
            "\\Archive~!#$&'+,-./:;<=>?@[^_`|}",
        ] {
            assert_eq!(attr_error(ok), None, "{ok}");
        }
        assert!(attr_error("Junk").unwrap().1.contains("backslash"));
        assert!(attr_error("").unwrap().1.contains("backslash"));
        assert!(attr_error("\\").unwrap().1.contains("nothing"));
        assert_eq!(attr_error("\\Ju nk").unwrap().0, 3..4);
        for bad in [
            "\\a*",
            "\\a%",
            "\\a(",
            "\\a]",
            "\\a{",
            "\\a\\",
            "\\a\"",
            "\\é",
            "\\a\u{7f}",
        ] {
            assert!(attr_error(bad).is_some(), "{bad}");
        }
    }
}
