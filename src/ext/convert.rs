//! RFC 6558: the "convert" extension — `convert` as an action and as a
//! test, with the same arguments.

use super::{Arg, Extension, Signature};

/// convert <quoted-from-media-type: string> <quoted-to-media-type: string>
///         <transcoding-params: string-list>
const CONVERT: Signature = Signature {
    positional: &[
        Arg::string("quoted-from-media-type"),
        Arg::string("quoted-to-media-type"),
        Arg::strings("transcoding-params"),
    ],
    doc: "Converts body parts of one media type into another (image/tiff to image/jpeg); as a test, true if it did.",
    ..Signature::new("convert")
};

pub static CONVERT_EXT: Extension = Extension {
    commands: &[CONVERT],
    tests: &[CONVERT],
    doc: "Adds convert, to change attachments from one media type into another.",
    ..Extension::new("convert", "RFC 6558")
};
