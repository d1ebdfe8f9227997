//! The comparators a script may name with `:comparator` (RFC 5228 §2.7.3),
//! each behind a "comparator-<name>" capability. They add no command, test
//! or tag. "i;octet" and "i;ascii-casemap" are available without a require.

use super::Extension;

/// RFC 4790 §9.3
pub static OCTET: Extension = Extension::new("comparator-i;octet", "RFC 4790 §9.3");

/// RFC 4790 §9.2
pub static ASCII_CASEMAP: Extension = Extension::new("comparator-i;ascii-casemap", "RFC 4790 §9.2");

/// RFC 4790 §9.1
pub static ASCII_NUMERIC: Extension = Extension::new("comparator-i;ascii-numeric", "RFC 4790 §9.1");

/// RFC 5051
pub static UNICODE_CASEMAP: Extension = Extension::new("comparator-i;unicode-casemap", "RFC 5051");
