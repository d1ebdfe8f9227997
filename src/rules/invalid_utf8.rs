use super::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports bytes that are not valid UTF-8, at their byte offset: as a
    /// warning inside a string or a comment, as an error anywhere else.
    ///
    /// ## Why is this bad?
    /// Sieve scripts are UTF-8. RFC 5228 still lets strings and comments
    /// hold other octets, as a deprecated practice, but a script saved in
    /// Latin-1 or another legacy charset compares its strings wrongly: a
    /// folder name or key with `é` never matches a message, whose headers
    /// are compared as UTF-8.
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
    ///
    /// ## Severity
    /// Error where the bytes are outside strings and comments (RFC 5228 §2.2:
    /// "the language is limited to US-ASCII characters"); inside strings and
    /// comments RFC 5228 §2.2 and §2.4.2 allow other octets ("implementations
    /// MUST accept all strings that match the grammar"), so there it is a
    /// warning: the deprecated practice fails to match on servers that compare
    /// UTF-8.
    pub struct InvalidUtf8 {
        code: "SL0002",
        name: "invalid-utf8",
        severity: Error,
        summary: "the script is not valid UTF-8",
    }
}

impl Rule for InvalidUtf8 {}
