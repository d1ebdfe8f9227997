//! RFC 5703 §3: the "foreverypart" loop (§3.1) and `break` (§3.2).
//!
//! Validation: `break` must stand inside a `foreverypart` loop, and
//! `break :name "n"` inside one named "n". §3: "It is an error if there is
//! no enclosing loop with that name"; a `break` with no loop around it at
//! all has no loop to end (and RFC 6609 §3.5: "The "break" command in an
//! included script is not valid on its own"). For the Dovecot targets a
//! fifth loop inside four others, which Pigeonhole refuses (§3.1 lets a
//! server limit nesting).

use super::{Arg, Extension, Signature, TagSpec, Validation};

pub static FOREVERYPART: Extension = Extension {
    commands: &[
        // §3.1: foreverypart [":name" <name: string>] <block>
        Signature {
            tags: &[TagSpec::with_arg("name", Arg::string("name"))
                .doc("A name for the loop, so that a break inside can leave it by name.")],
            block: true,
            doc: "Runs its block once for every MIME part of the message, in order.",
            ..Signature::new("foreverypart")
        },
        // §3.2: break [":name" <name: string>]
        Signature {
            tags: &[TagSpec::with_arg("name", Arg::string("name"))
                .doc("The name of the foreverypart loop to leave.")],
            doc: "Leaves the innermost foreverypart loop, or the one with the given :name.",
            ..Signature::new("break")
        },
    ],
    validate: Some(validate),
    doc: "Adds foreverypart and break, to loop over the MIME parts of the message.",
    ..Extension::new("foreverypart", "RFC 5703 §3")
};

/// The `:name` string of a use, if it has one.
fn loop_name<'s>(u: &crate::check::Use<'s>) -> Option<&'s crate::syntax::ast::StringLit<'s>> {
    match u.binding.tag("name")?.arg?.strings() {
        [name] => Some(name),
        _ => None,
    }
}

/// Is `u` a `foreverypart` loop?
pub(super) fn is_loop(u: &crate::check::Use<'_>) -> bool {
    u.node.is_command() && u.node.name().is("foreverypart")
}

/// Pigeonhole's limit of loops inside one another ("the nested
/// foreverypart loop exceeds the nesting limit (<= 4 levels)", sievec
/// 0.5.19). RFC 5703 §3.1: implementations "MAY limit the number of
/// nested loops"; "they MUST support at least one nested loop".
const DOVECOT_MAX_LOOPS: usize = 4;

fn validate(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    if u.node.is_command() && u.node.name().is("foreverypart") && v.dovecot() {
        // The enclosing loops, bounded: the nesting limit keeps this short.
        let outer = v
            .model()
            .ancestors(v.index)
            .filter(|a| is_loop(a))
            .take(DOVECOT_MAX_LOOPS)
            .count();
        if outer == DOVECOT_MAX_LOOPS {
            v.error(
                u.node.name().span,
                format!(
                    "Dovecot refuses `foreverypart` loops nested more than {DOVECOT_MAX_LOOPS} deep"
                ),
            )
            .with_primary_label(format!("loop {} inside one another", outer + 1))
            .with_help(
                "RFC 5703 §3.1 lets servers limit nesting (at least one nested loop); \
                 Dovecot allows 4",
            );
        }
        return;
    }
    if !u.node.is_command() || !u.node.name().is("break") {
        return;
    }
    // With syntax errors a loop may be missing from the tree: no finding
    // from absence then.
    if v.cx.parse_failed {
        return;
    }
    let name = loop_name(u);
    // A name built from variables is known at run time only.
    if name.is_some_and(|n| v.has("variables") && n.value.contains("${")) {
        return;
    }
    let mut loops = v
        .model()
        .ancestors(v.index)
        .filter(|a| is_loop(a))
        .peekable();
    match name {
        None if loops.peek().is_some() => {}
        None => {
            v.error(u.node.name().span, "`break` outside a `foreverypart` loop")
                .with_primary_label("no loop to end here")
                .with_help(
                    "`break` ends the closest enclosing `foreverypart` (RFC 5703 §3); \
                     use `stop` to end the script, or `return` to leave an included one",
                );
        }
        Some(name) => {
            // §3: "the closest enclosing loop with the identical matching name".
            if loops.any(|l| loop_name(l).is_some_and(|n| n.value == name.value)) {
                return;
            }
            v.error(
                name.span,
                format!(
                    "no enclosing `foreverypart` loop is named {}",
                    crate::diagnostic::show(&name.value)
                ),
            )
            .with_primary_label("names no loop around this `break`")
            .with_help(
                "RFC 5703 §3: it is an error if there is no enclosing loop with that \
                 name; names are compared exactly",
            );
        }
    }
}
