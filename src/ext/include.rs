//! RFC 6609: the "include" extension — `include` (§3.2), `return`
//! (§3.3) and `global` (§3.4).
//!
//! `global` declares variables: it uses "variables" (§3.4). Pigeonhole 0.5
//! also accepts `import` and `export`, the commands of the draft before
//! `global` (deprecated there, and only with "variables"); RFC 6609 has
//! `global` only, so they stay unknown commands here, for every target.
//!
//! Validation (see `validate` below): the script name of `include`, and
//! where `global` may stand. Whether the named script exists, and whether
//! includes go round in a circle, is not decided here: RFC 6609 §3.2 makes
//! both run-time errors that a server MUST NOT report at upload; the rules
//! missing-include and recursive-include report them as warnings when the
//! files are at hand.

use super::{Arg, Extension, Signature, TagSpec, Validation};

pub static INCLUDE: Extension = Extension {
    commands: &[
        // §3.2: include [LOCATION] [":once"] [":optional"] <value: string>
        //       LOCATION = ":personal" / ":global"
        Signature {
            tags: &[
                TagSpec::flag("personal")
                    .doc("Looks the script up among your own scripts (the default).")
                    .exclusive("location"),
                TagSpec::flag("global")
                    .doc("Looks the script up among the server's global scripts.")
                    .exclusive("location"),
                TagSpec::flag("once").doc(
                    "Runs the script only the first time it is included; later includes skip it.",
                ),
                TagSpec::flag("optional")
                    .doc("Skips the include silently when the script does not exist."),
            ],
            positional: &[Arg::string("value")],
            doc: "Runs another stored script at this point, then carries on with this one.",
            ..Signature::new("include")
        },
        // §3.3
        Signature {
            doc: "Ends the current included script and goes back to the one that included it.",
            ..Signature::new("return")
        },
        // §3.4: global <value: string-list>
        Signature {
            positional: &[Arg::strings("value")],
            also_uses: &["variables"],
            doc: "Declares variables shared between this script and the scripts it includes or is included by.",
            ..Signature::new("global")
        },
    ],
    validate: Some(validate),
    doc: "Adds include, return and global, to split filtering over several scripts.",
    ..Extension::new("include", "RFC 6609 §3")
};

// ---- validation -----------------------------------------------------------

fn validate(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    if !u.node.is_command() {
        return;
    }
    if u.node.name().is("include") {
        validate_include(v);
    } else if u.node.name().is("global") {
        validate_global(v);
    }
}

/// The longest name every server must accept (RFC 5804 §1.6: "Servers MUST
/// allow names of up to 128 Unicode characters in length").
const PORTABLE_NAME_CHARS: usize = 128;

/// RFC 6609 §3.2: "Implementations MUST restrict script names according to
/// ManageSieve [RFC5804], Section 1.6. The script name argument MUST be a
/// constant string as defined in [RFC5229], Section 3".
///
/// - a variable reference in the name (with "variables"): error;
/// - an empty name, or one with a character RFC 5804 §1.6 prohibits
///   (U+0000–U+001F, U+007F, U+0080–U+009F, U+2028, U+2029): error;
/// - longer than 128 characters: warning (servers MAY allow longer ones);
/// - a `/`: warning. RFC 5804 allows it, but RFC 6609 §4 has servers
///   refuse names "that could be used as a vector to attack the storage
///   system" (its example: `"./../..//etc/passwd"`), and Dovecot refuses
///   every name with a `/`.
fn validate_include(v: &mut Validation<'_, '_, '_>) {
    let Some(arg) = v.use_().binding.positional.first() else {
        return;
    };
    let [lit] = arg.strings() else { return };
    if v.has("variables")
        && let Some(reference) = variable_reference(&lit.value)
    {
        v.error(
            lit.span,
            format!(
                "the script name of `include` contains the variable reference {}",
                crate::diagnostic::show(reference)
            ),
        )
        .with_primary_label("must be a constant string")
        .with_help(
            "RFC 6609 §3.2: the name MUST be a constant string and variables are not \
             expanded in it; name the script literally, with one `include` per script",
        );
        return;
    }
    let name = if v.has("encoded-character") {
        crate::syntax::encoded::decode(&lit.value)
    } else {
        std::borrow::Cow::Borrowed(lit.value.as_ref())
    };
    let help = "RFC 6609 §3.2 with RFC 5804 §1.6: a script name is at least one character, \
                without control characters (U+0000–U+001F, U+007F–U+009F) or the line and \
                paragraph separators U+2028, U+2029";
    if name.is_empty() {
        v.error(lit.span, "empty script name")
            .with_primary_label("names no script")
            .with_help(help);
        return;
    }
    if let Some(bad) = name.chars().find(|&c| forbidden_in_name(c)) {
        v.error(
            lit.span,
            format!(
                "the script name contains U+{:04X}, which script names may not contain",
                u32::from(bad)
            ),
        )
        .with_primary_label("not a valid script name")
        .with_help(help);
        return;
    }
    let chars = name.chars().count();
    if chars > PORTABLE_NAME_CHARS {
        v.warning(
            lit.span,
            format!("script name of {chars} characters: servers need accept only 128"),
        )
        .with_primary_label("longer than RFC 5804 §1.6 guarantees")
        .with_help("RFC 5804 §1.6: servers MUST allow names of up to 128 characters and MAY allow longer ones; use a shorter name");
    } else if name.contains('/') {
        let dovecot = v.dovecot();
        v.error_if(dovecot, lit.span, "script name with `/`")
            .with_primary_label("Dovecot refuses script names with `/`")
            .with_help(
                "a script name names a script in the repository, not a path (RFC 6609 §3.2, \
                 §4); servers refuse names that could reach other files",
            );
    }
}

/// RFC 5804 §1.6: the characters a script name may not contain.
fn forbidden_in_name(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}')
}

/// The first variable reference in `s` (RFC 5229 §3: `"${" [namespace]
/// variable-name "}"`, a name of letters, digits, `_` and `.`), if any.
/// `${hex:…}` of encoded-character is not one.
fn variable_reference(s: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(at) = s[from..].find("${").map(|i| i + from) {
        let rest = &s[at + 2..];
        let n = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
            .count();
        let name = &rest[..n];
        let well_formed = name.split('.').all(|part| {
            !part.is_empty()
                && (part.bytes().all(|b| b.is_ascii_digit())
                    || !part.as_bytes()[0].is_ascii_digit())
        });
        if n > 0 && well_formed && rest.as_bytes().get(n) == Some(&b'}') {
            return Some(&s[at..at + 2 + n + 1]);
        }
        from = at + 2;
    }
    None
}

/// RFC 6609 §3.4.1:
///
/// - "The "global" command is only available when the script has both
///   "include" and "variables" in its require line. If the "global" command
///   appears when only "include" or only "variables" has been required, an
///   error MUST be generated when the script is uploaded." (A missing
///   "include" is missing-require's.)
/// - "If a "global" command is given the name of a variable that has
///   previously been defined in the immediate script with "set", an error
///   MUST be generated either when the script is uploaded or at execution
///   time." Reported for a `set` that comes before the `global` in the
///   script text and sets the name while it is not (yet) global: an error
///   when that `set` stands at the top level (it has run whenever the
///   `global` runs), a warning when it is inside a block (it may not have
///   run; a server that checks at upload refuses it all the same).
fn validate_global(v: &mut Validation<'_, '_, '_>) {
    if !v.has("variables") {
        let span = v.use_().node.name().span;
        v.error(span, "`global` needs require \"variables\"")
            .with_primary_label("declares variables")
            .with_help(
                "add \"variables\" to the require: RFC 6609 §3.4.1 makes `global` available \
                 only when both \"include\" and \"variables\" are required",
            );
    }
    // All `global` commands of the script are checked in one pass over the
    // script, when the first one is validated (linear, however many there
    // are). Walking back stops at the previous `global`, so over the whole
    // script the walks cost one pass too.
    let model = v.model();
    let earlier = model.uses[..v.index]
        .iter()
        .rev()
        .any(|u| u.node.is_command() && u.node.name().is("global"));
    if earlier {
        return;
    }
    let mut globals: crate::hash::FastSet<String> = crate::hash::FastSet::default();
    // Names set locally (not global at the time), with the `set` that did
    // and whether it stands in a block (may not have run).
    let mut locals: crate::hash::FastMap<String, (crate::syntax::ast::Span, bool)> =
        crate::hash::FastMap::default();
    for u in &model.uses {
        if !u.node.is_command() {
            continue;
        }
        let name = u.node.name();
        if name.is("set") {
            let Some(lit) = u
                .binding
                .positional
                .first()
                .and_then(|a| a.strings().first())
            else {
                continue;
            };
            // Variable names are case-insensitive (RFC 5229 §3).
            let key = lit.value.to_ascii_lowercase();
            if !globals.contains(&key) && !key.contains(['.', '$']) {
                let nested = u.parent().is_some();
                let entry = locals.entry(key).or_insert((lit.span, nested));
                if entry.1 && !nested {
                    *entry = (lit.span, false);
                }
            }
        } else if name.is("global") {
            let Some(arg) = u.binding.positional.first() else {
                continue;
            };
            for lit in arg.strings() {
                let key = lit.value.to_ascii_lowercase();
                if let Some(&(set, nested)) = locals.get(&key)
                    && !globals.contains(&key)
                {
                    let message = format!(
                        "`global` {} after a local `set` of the same variable",
                        crate::diagnostic::show(&lit.value)
                    );
                    let d = if nested {
                        v.warning(lit.span, message)
                    } else {
                        v.error(lit.span, message)
                    };
                    d.with_primary_label("already set in this script as a local variable")
                        .with_label(
                            set,
                            if nested {
                                "may be set here first"
                            } else {
                                "set here first"
                            },
                        )
                        .with_help(
                            "RFC 6609 §3.4.1: declaring a variable global after this script \
                             has set it is an error; put `global` before the first `set`",
                        );
                }
                globals.insert(key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::variable_reference;

    #[test]
    fn variable_references_follow_rfc_5229() {
        for (s, found) in [
            ("rules-${user}", Some("${user}")),
            ("${global.site}", Some("${global.site}")),
            ("${1}", Some("${1}")),
            ("$${x}", Some("${x}")),
            ("a${}b${_x}", Some("${_x}")),
            ("${1st}", None),
            ("${a..b}", None),
            ("${hex:41}", None),
            ("${ x }", None),
            ("${x", None),
            ("plain", None),
            ("${é}", None),
        ] {
            assert_eq!(variable_reference(s), found, "{s}");
        }
    }
}
