//! RFC 5260 §6: `:index` and `:last` on `header`, `address` and `date`,
//! behind the "index" capability. `:last` only counts from the end for
//! `:index`.
//!
//! Validation: §6: "Specifying :last without :index is an error." And
//! `:index 0`, a warning: fields are counted "beginning at 1, the first
//! named header field" (§6), so 0 names no field and the test is always
//! false; the RFC does not call it an error. An error for the Dovecot
//! targets, which refuse it at upload (Pigeonhole's test suite,
//! tests/extensions/index/errors/syntax.sieve: "index 0").

use super::{Arg, Extension, TagAddition, TagSpec, Validation};

const TARGETS: &[&str] = &["header", "address", "date"];

pub static INDEX: Extension = Extension {
    tag_additions: &[
        TagAddition {
            targets: TARGETS,
            tag: TagSpec::with_arg("index", Arg::number("fieldno")).doc(
                "Tests only the occurrence of the header with this number, 1 being the first.",
            ),
        },
        TagAddition {
            targets: TARGETS,
            tag: TagSpec::flag("last").doc(
                "Counts the :index from the last occurrence of the header instead of the first.",
            ),
        },
    ],
    validate: Some(validate),
    doc: "Adds :index and :last, to test one particular occurrence of a repeated header.",
    ..Extension::new("index", "RFC 5260 §6")
};

fn validate(v: &mut Validation<'_, '_, '_>) {
    let b = &v.use_().binding;
    let own = |name: &str| {
        b.tags
            .iter()
            .find(|t| t.entry.capability == "index" && t.entry.spec.name == name)
    };
    if let Some(index) = own("index")
        && let Some(crate::syntax::ast::Argument::Number(n)) = index.arg
        && n.value == 0
    {
        let message = ":index 0 names no field";
        let d = if v.cx.options.target().id.starts_with("dovecot") {
            v.error(n.span, message)
        } else {
            v.warning(n.span, message)
        };
        d
            .with_primary_label("fields are counted from 1")
            .with_help("RFC 5260 §6: `:index 1` is the first field (with `:last`, the last one); with 0 the test is always false");
    }
    let (Some(last), None) = (own("last"), own("index")) else {
        return;
    };
    v.error(last.tag.span, ":last without :index")
        .with_primary_label("counts `:index` from the end; there is no `:index`")
        .with_help("add `:index 1` to test the last field (RFC 5260 §6), or remove `:last`");
}
