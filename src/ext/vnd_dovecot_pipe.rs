//! Dovecot's "vnd.dovecot.pipe" (spec-bosch-sieve-extprograms §5): the
//! `pipe` action, which hands the message to an external program chosen by
//! the administrator. The "copy" extension adds `:copy` to it (§5.2, in
//! copy.rs).
//!
//! Validation, shared by `filter` and `execute` (vnd_dovecot_filter.rs,
//! vnd_dovecot_execute.rs): the program name (§3) MUST be a constant
//! string, at least one character long, without "/" or control
//! characters: errors. Where the specification leaves a limit to the
//! implementation, Pigeonhole's (sieve-extprograms-common.c) is a warning,
//! an error with a Dovecot `--target`, which refuses the script: a name
//! longer than 128 characters (§3 "MAY allow longer names"), and an
//! argument longer than 1024 octets or with CR or LF (§4 "MAY restrict").

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
            tags: &[TagSpec::flag("try").doc("Carries on as if nothing happened when the program fails, instead of failing the script.")],
            positional: PROGRAM,
            doc: "Delivers the message to the named program's input, in place of the implicit keep.",
..Signature::new("pipe")
        },
    ],
    validate: Some(check_program_name),
    doc: "Dovecot extension adding pipe, to deliver the message to a configured program.",
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
        std::borrow::Cow::Borrowed(lit.value.as_ref())
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
        return;
    }
    if value.chars().count() > MAX_NAME {
        dovecot_refuses(
            v,
            lit.span,
            format!("the program name is longer than {MAX_NAME} characters"),
            "§3: servers must allow 128 characters and may refuse longer names; Dovecot does",
        );
    }
    let Some(args) = u.binding.positional.get(1) else {
        return;
    };
    for arg in args.strings() {
        if v.has("variables") && arg.value.contains("${") {
            continue;
        }
        let problem = if arg.value.len() > MAX_ARGUMENT {
            format!("a program argument is longer than {MAX_ARGUMENT} octets")
        } else if arg.value.contains(['\r', '\n']) {
            "a program argument contains a line break".to_owned()
        } else {
            continue;
        };
        dovecot_refuses(
            v,
            arg.span,
            problem,
            "§4: servers must accept arguments of 1024 octets and may refuse longer ones and \
             CR or LF; Dovecot does",
        );
    }
}

/// Pigeonhole's limits (sieve-extprograms-common.c), which §3 and §4 allow.
const MAX_NAME: usize = 128;
const MAX_ARGUMENT: usize = 1024;

/// What Dovecot refuses but the specification leaves to the server: an
/// error when the target is Dovecot, else a warning.
fn dovecot_refuses(
    v: &mut Validation<'_, '_, '_>,
    span: crate::syntax::ast::Span,
    message: String,
    help: &str,
) {
    let target = v.cx.options.target();
    let d = if target.id.starts_with("dovecot") {
        v.error(span, message)
    } else {
        v.warning(span, message)
    };
    d.with_primary_label("Dovecot refuses the script")
        .with_help(help.to_owned());
}

/// §3: the characters a program name must not contain.
fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}')
}
