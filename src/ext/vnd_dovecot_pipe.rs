//! Dovecot's "vnd.dovecot.pipe" (spec-bosch-sieve-extprograms §5): the
//! `pipe` action, which hands the message to an external program chosen by
//! the administrator. The "copy" extension adds `:copy` to it (§5.2, in
//! copy.rs).
//!
//! Validation, shared by `filter` and `execute` (vnd_dovecot_filter.rs,
//! vnd_dovecot_execute.rs): the program name (§3) MUST be a constant
//! string, at least one character long, without "/" or control
//! characters; Pigeonhole refuses the script otherwise.

use super::{Arg, Extension, Signature, TagSpec, Validation};

/// §5, §6, §7: `<program-name: string> [<arguments: string-list>]`.
pub(super) const PROGRAM: &[Arg] = &[
    Arg::string("program-name"),
    Arg::strings("arguments").optional(),
];

pub static VND_DOVECOT_PIPE: Extension = Extension {
    commands: &[
        // §5: pipe [":try"] <program-name: string> [<arguments: string-list>]
        Signature {
            tags: &[TagSpec::flag("try")],
            positional: PROGRAM,
            ..Signature::new("pipe")
        },
    ],
    validate: Some(check_program_name),
    ..Extension::new("vnd.dovecot.pipe", "spec-bosch-sieve-extprograms §5")
};

/// §3: what a program name may be. Checks the first positional argument of
/// a `pipe`, `filter` or `execute` use.
pub(super) fn check_program_name(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    let Some(name) = u.binding.positional.first() else {
        return;
    };
    let [lit] = name.strings() else { return };
    let value = if v.has("encoded-character") {
        crate::syntax::encoded::decode(&lit.value)
    } else {
        std::borrow::Cow::Borrowed(lit.value.as_str())
    };
    let shown = crate::diagnostic::show(&lit.value);
    let problem = if v.has("variables") && value.contains("${") {
        Some((
            format!("the program name {shown} is built from variables"),
            "§3: the program name MUST be a constant string; variables are never expanded in it",
        ))
    } else if value.is_empty() {
        Some((
            "the program name is empty".to_owned(),
            "§3: a program name is at least one character long",
        ))
    } else if value.contains('/') {
        Some((
            format!("the program name {shown} contains \"/\""),
            "§3: a program name is a name the administrator configured, never a path: \
             give the name alone (the program must be in the configured program directory)",
        ))
    } else if value.chars().any(forbidden) {
        Some((
            format!("the program name {shown} contains a control character"),
            "§3: control characters, DEL and the line and paragraph separators are not \
             allowed in a program name",
        ))
    } else {
        None
    };
    if let Some((message, help)) = problem {
        v.error(lit.span, message)
            .with_primary_label("not a valid program name")
            .with_help(help);
    }
}

/// §3: the characters a program name must not contain.
fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}')
}
