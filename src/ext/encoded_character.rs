//! RFC 5228 §2.4.2.4: "encoded-character" lets strings spell characters as
//! `${hex:…}` and `${unicode:…}`. It adds no command, test or tag.

use super::Extension;

pub static ENCODED_CHARACTER: Extension = Extension {
    doc: "Lets strings write characters by code: ${hex:40} for @, ${unicode:263A} for a smiley.",
    ..Extension::new("encoded-character", "RFC 5228 §2.4.2.4")
};
