//! RFC 5228 §2.4.2.4: "encoded-character" lets strings spell characters as
//! `${hex:…}` and `${unicode:…}`. It adds no command, test or tag.

use super::Extension;

pub static ENCODED_CHARACTER: Extension = Extension::new("encoded-character", "RFC 5228 §2.4.2.4");
