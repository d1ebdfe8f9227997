//! RFC 5260 §6: `:index` and `:last` on `header`, `address` and `date`,
//! behind the "index" capability. `:last` only counts from the end for
//! `:index`.
//!
//! Validation: §6: "Specifying :last without :index is an error."

use super::{Arg, Extension, TagAddition, TagSpec, Validation};

const TARGETS: &[&str] = &["header", "address", "date"];

pub static INDEX: Extension = Extension {
    tag_additions: &[
        TagAddition {
            targets: TARGETS,
            tag: TagSpec::with_arg("index", Arg::number("fieldno")),
        },
        TagAddition {
            targets: TARGETS,
            tag: TagSpec::flag("last"),
        },
    ],
    validate: Some(validate),
    ..Extension::new("index", "RFC 5260 §6")
};

fn validate(v: &mut Validation<'_, '_, '_>) {
    let b = &v.use_().binding;
    let own = |name: &str| {
        b.tags
            .iter()
            .find(|t| t.entry.capability == "index" && t.entry.spec.name == name)
    };
    let (Some(last), None) = (own("last"), own("index")) else {
        return;
    };
    v.error(last.tag.span, ":last without :index")
        .with_primary_label("counts `:index` from the end; there is no `:index`")
        .with_help("add `:index 1` to test the last field (RFC 5260 §6), or remove `:last`");
}
