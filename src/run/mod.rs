//! The dry run: evaluates a script on messages and reports the actions it
//! would take. It never sends, writes, moves or deletes mail.

pub mod matching;
pub mod message;
