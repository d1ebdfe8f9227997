//! RFC 5183 §4: the `environment` test, behind the "environment"
//! capability.

use super::{Arg, Extension, Group, Signature};

pub static ENVIRONMENT: Extension = Extension {
    tests: &[Signature {
        groups: &[Group::Comparator, Group::MatchType],
        positional: &[Arg::string("name"), Arg::strings("key-list")],
        doc: "Compares an environment item (\"domain\", \"host\", \"location\", ...) with the keys.",
        ..Signature::new("environment")
    }],
    doc: "Adds the environment test, about the server and context running the script.",
    ..Extension::new("environment", "RFC 5183 §4")
};
