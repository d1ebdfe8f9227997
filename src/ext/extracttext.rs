//! RFC 5703 §7: the `extracttext` action of the "extracttext" extension.
//!
//! Its MODIFIERs are those of `set` (RFC 5229 §4.1), with the same
//! exclusive sets as in `variables.rs`: modifiers of one precedence may not
//! be combined. Modifiers that other extensions add (`:encodeurl`,
//! RFC 5435 §7) are attached by those extensions.
//!
//! Validation:
//! - outside a `foreverypart` loop, an error. §7: it "will set the variable
//!   identified by varname to the empty string. This SHOULD be flagged as
//!   a compilation error" — and Dovecot refuses such a script at upload;
//! - without "variables" required, an error: the action stores into a
//!   variable "as defined by [RFC5229]" (§7), and §8 says it "also
//!   requires the "variables" [RFC5229] and "foreverypart" capabilities";
//!   Dovecot refuses it too. (A missing "foreverypart" require is
//!   missing-require's, at the loop.)

use super::{Arg, Extension, Signature, TagSpec, Validation};

pub static EXTRACTTEXT: Extension = Extension {
    commands: &[
        // §7: extracttext [MODIFIER] [":first" number] <varname: string>
        Signature {
            tags: &[
                // The set modifiers come from variables.rs (tag additions).
                TagSpec::with_arg("first", Arg::number("limit"))
                    .doc("Keeps only the first this many characters of the text."),
            ],
            positional: &[Arg::string("varname")],
            also_uses: &["variables"],
            doc: "Stores the text of the current MIME part of a foreverypart loop in the named variable.",
            ..Signature::new("extracttext")
        },
    ],
    validate: Some(validate),
    doc: "Adds extracttext, to store the text of a MIME part in a variable.",
    ..Extension::new("extracttext", "RFC 5703 §7")
};

fn validate(v: &mut Validation<'_, '_, '_>) {
    let u = v.use_();
    if !u.node.is_command() || !u.node.name().is("extracttext") {
        return;
    }
    let name = u.node.name().span;
    if !v.has("variables") {
        v.error(name, "`extracttext` needs require \"variables\"")
            .with_primary_label("stores into a variable")
            .with_help(
                "add \"variables\" to the require: the text is stored in a variable of \
                 RFC 5229 (RFC 5703 §7, §8)",
            );
    }
    // With syntax errors the loop may be missing from the tree.
    if !v.cx.parse_failed && !v.ancestors().any(super::foreverypart::is_loop) {
        v.error(name, "`extracttext` outside a `foreverypart` loop")
            .with_primary_label("there is no current MIME part here")
            .with_help(
                "put it inside `foreverypart { … }` (RFC 5703 §7: outside a loop it \
                 stores the empty string, which SHOULD be a compilation error)",
            );
    }
}
