use super::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports bytes that are not valid UTF-8, at their byte offset.
    ///
    /// ## Why is this bad?
    /// Sieve scripts are UTF-8. A script saved in Latin-1 or another legacy
    /// charset is rejected by strict servers, and others compare its strings
    /// wrongly: a folder name or key with `é` never matches.
    ///
    /// ## Example
    /// A script saved as ISO-8859-1 whose `fileinto "Privé";` holds the
    /// single byte `0xE9`.
    ///
    /// ## Use instead
    /// Re-save the file as UTF-8 (`iconv -f latin1 -t utf-8`).
    ///
    /// ## RFC
    /// RFC 5228 §2.2
    pub struct InvalidUtf8 {
        code: "SL0002",
        name: "invalid-utf8",
        severity: Error,
        summary: "the script is not valid UTF-8",
    }
}

impl Rule for InvalidUtf8 {}
