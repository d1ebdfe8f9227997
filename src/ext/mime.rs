//! RFC 5703 §4: the "mime" extension's tags on the `header` (§4.1),
//! `address` (§4.2) and `exists` (§4.3) tests. The MIMEOPTS
//! (`:type` / `:subtype` / `:contenttype` / `:param`) belong to `header`
//! only.
//!
//! Validation: §4.1: "The ":anychild" tagged argument may only appear
//! when the ":mime" tagged argument is present [...] presence of the
//! ":anychild" in absence of ":mime" is an error" (§4.2, §4.3 say the same
//! of `address` and `exists`). The MIMEOPTS are the options of `:mime`
//! ("When the ":mime" tagged argument is present [...] These options are
//! available"); the RFC does not call one without `:mime` an error, so
//! that is a warning (the option parses nothing) — an error for the
//! Dovecot targets, which refuse it at upload (Pigeonhole's test suite,
//! tests/extensions/mime/errors/header-mime-tag.sieve: "Bare mime
//! option").

use super::{Arg, Extension, TagAddition, TagSpec, Validation};

const MIME_OPTION: &str = "MIME option";

pub static MIME: Extension = Extension {
    tag_additions: &[
        TagAddition {
            targets: &["header", "address", "exists"],
            tag: TagSpec::flag("mime").doc("Tests the headers of the current MIME part, reading them as MIME values."),
        },
        TagAddition {
            targets: &["header", "address", "exists"],
            tag: TagSpec::flag("anychild").doc("Tests the headers of every MIME part below the current one; true when any matches."),
        },
        TagAddition {
            targets: &["header"],
            tag: TagSpec::flag("type").doc("Compares only the type of a Content-Type value, e.g. \"text\" of text/plain.").exclusive(MIME_OPTION),
        },
        TagAddition {
            targets: &["header"],
            tag: TagSpec::flag("subtype").doc("Compares only the subtype of a Content-Type value, e.g. \"plain\" of text/plain.").exclusive(MIME_OPTION),
        },
        TagAddition {
            targets: &["header"],
            tag: TagSpec::flag("contenttype").doc("Compares the type/subtype of a Content-Type value, without its parameters.").exclusive(MIME_OPTION),
        },
        TagAddition {
            targets: &["header"],
            tag: TagSpec::with_arg("param", Arg::strings("param-list")).doc("Compares the values of the named header parameters, e.g. \"charset\" or \"filename\".").exclusive(MIME_OPTION),
        },
    ],
    validate: Some(validate),
    doc: "Adds tags that test the headers of the message's MIME parts and take MIME values apart.",
..Extension::new("mime", "RFC 5703 §4")
};

fn validate(v: &mut Validation<'_, '_, '_>) {
    let tags = &v.use_().binding.tags;
    let own = |t: &&crate::check::BoundTag<'_>| t.entry.capability == "mime";
    if tags.iter().filter(own).any(|t| t.entry.spec.name == "mime") {
        return;
    }
    for t in tags.iter().filter(own) {
        let name = t.entry.spec.name;
        if name == "anychild" {
            v.error(t.tag.span, ":anychild without :mime")
                .with_primary_label("only modifies :mime")
                .with_help("add :mime (RFC 5703 §4.1: :anychild in absence of :mime is an error)");
        } else if t.entry.exclusive == Some(MIME_OPTION) {
            let message = format!(":{name} without :mime");
            let refused = v.cx.options.target().id.starts_with("dovecot");
            let d = if refused {
                v.error(t.tag.span, message)
            } else {
                v.warning(t.tag.span, message)
            };
            d.with_primary_label("a MIME option of :mime: nothing is parsed without it")
                .with_help(format!(
                    "add :mime, e.g. `header :mime :{name} …` (RFC 5703 §4.1)"
                ));
        }
    }
}
