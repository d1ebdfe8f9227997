//! Externally stored lists (RFC 6134): list names — their URI rules and
//! normalization, shared by the checker and the dry run — and the list files
//! users supply (CSV, JSON, plain text, vCard).

pub mod carddav;
pub mod ldap;
pub mod name;
pub mod remote;
pub mod source;
pub mod vcard;

pub use name::{ListName, NameError, NameKind, NameWarning, parse_name};
pub use source::{ListError, ListSet, MatchMode, load_fuzz_input, split_spec};
