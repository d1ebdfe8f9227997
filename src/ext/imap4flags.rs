//! RFC 5232 §3, §4, §5: the flag actions, the `hasflag` test and `:flags`
//! on `keep` and `fileinto`, behind the "imap4flags" capability.
//!
//! The optional variable name of `setflag`/`addflag`/`removeflag` and the
//! variable list of `hasflag` are the "variables" extension's (RFC 5232
//! §1: without `require "variables"` they "MUST NOT be used and MUST cause
//! an error"): such a use relies on "variables" (so requiring it is not
//! "unused"), and without it the validation reports an error.

use super::{Arg, Extension, Group, Signature, TagAddition, TagSpec, Validation};
use crate::check::Use;
use crate::syntax::ast::Argument;

/// §3: `[<variablename: string>] <list-of-flags: string-list>`; the
/// variable name needs "variables" (RFC 5229).
const FLAG_ACTION: &[Arg] = &[
    Arg::string("variablename").optional(),
    Arg::strings("list-of-flags"),
];

/// §3.1, §3.2, §3.3; the imapflags draft has the same three (imapflags.rs).
pub(super) const SETFLAG: Signature = Signature {
    positional: FLAG_ACTION,
    doc: "Replaces the current IMAP flags (or those held in the named variable) with the list.",
    ..Signature::new("setflag")
};
pub(super) const ADDFLAG: Signature = Signature {
    positional: FLAG_ACTION,
    doc: "Adds the flags to the current IMAP flags (or to those held in the named variable).",
    ..Signature::new("addflag")
};
pub(super) const REMOVEFLAG: Signature = Signature {
    positional: FLAG_ACTION,
    doc: "Removes the flags from the current IMAP flags (or from those in the named variable).",
    ..Signature::new("removeflag")
};

pub static IMAP4FLAGS: Extension = Extension {
    commands: &[SETFLAG, ADDFLAG, REMOVEFLAG],
    tests: &[
        // §4
        Signature {
            groups: &[Group::MatchType, Group::Comparator],
            positional: &[
                Arg::strings("variable-list").optional(),
                Arg::strings("list-of-flags"),
            ],
            doc: "True when the current IMAP flags (or those in the named variables) match the keys.",
..Signature::new("hasflag")
        },
    ],
    // §5
    tag_additions: &[TagAddition {
        // RFC 8580 §4: also with :fcc on vacation and notify.
        targets: &["keep", "fileinto", "vacation", "notify"],
        tag: TagSpec::with_arg("flags", Arg::strings("list-of-flags")).doc("The IMAP flags the stored message gets, e.g. \"\\\\Seen\", instead of the current flags."),
    }],
    validate: Some(validate),
    argument_uses: Some(argument_uses),
    doc: "Adds commands and tags to set IMAP flags (\\Seen, \\Flagged, keywords) on stored messages.",
..Extension::new("imap4flags", "RFC 5232 §3, §4, §5")
};

/// The variable name (or `hasflag`'s variable list) a use gives, if any:
/// the binder fills the leading optional slot only when two positional
/// arguments are there (RFC 5232 §3.1–§3.3, §4).
pub fn variable_argument<'s>(u: &Use<'s>) -> Option<&'s Argument<'s>> {
    let entry = u.entry?;
    if entry.capability != IMAP4FLAGS.capability {
        return None;
    }
    match u.binding.positional.len() {
        2 => u.binding.positional.first(),
        _ => None,
    }
}

/// A variable name relies on "variables" (RFC 5232 §1).
fn argument_uses(u: &Use<'_>, out: &mut Vec<&'static str>) {
    if variable_argument(u).is_some() {
        out.push("variables");
    }
}

/// RFC 5232 §1: the variable-name parameter without "variables" enabled
/// MUST cause an error (and §3: a run-time error where the interpreter
/// lacks "variables"). An `ihave "variables"` guard enables it too (RFC
/// 5463 §4). A variable name given as a string list is
/// wrong-argument-type's, too many arguments unexpected-argument's.
fn validate(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    let Some(arg) = variable_argument(u) else {
        return;
    };
    let test = u.node.is_test();
    // Too many arguments: which one is the name is a guess (the arity is
    // unexpected-argument's to report).
    let guess = u
        .issues()
        .iter()
        .any(|i| matches!(i, crate::check::Issue::UnexpectedArgument { .. }));
    if v.has("variables") || guess || (!test && !matches!(arg, Argument::String(_))) {
        return;
    }
    let name = &u.node.name().name;
    let what = if test {
        "the variable list"
    } else {
        "the variable name"
    };
    v.error(
        arg.span(),
        format!("{what} of `{name}` needs require \"variables\""),
    )
    .with_primary_label("a variable of RFC 5229, not the internal flag variable")
    .with_help(
        "add \"variables\" to the require (RFC 5232 §1); or, to work on the internal \
         variable, leave the name out",
    );
}
