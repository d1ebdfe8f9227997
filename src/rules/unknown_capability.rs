use super::{Rule, declare_rule};
use crate::check::Context;
use crate::ext::is_known_capability;

declare_rule! {
    /// ## What it does
    /// Reports a capability in `require` that is not a registered Sieve
    /// extension or comparator, nor a draft or vendor extension sieve-lint
    /// knows.
    ///
    /// Two kinds of capability get a note (`info`) instead:
    /// - a vendor extension (`vnd.…`) sieve-lint has no catalog file for,
    ///   or a server-specific one it knows by name only (Cyrus's `snooze`
    ///   and `x-cyrus-…` names): its commands, tests and tags are then not
    ///   checked (they are reported as notes, not errors);
    /// - a deprecated draft or vendor extension that servers still accept
    ///   (`imapflags`, `notify`, `vnd.dovecot.duplicate`): the note names
    ///   its standard successor and what differs; sieve-lint never
    ///   rewrites the script to the successor. Requiring one together
    ///   with its successor (`imapflags` and `imap4flags`) is a warning,
    ///   an error with a Dovecot `--target`: Dovecot refuses the pair.
    ///
    /// ## Why is this bad?
    /// A script that requires an extension the server lacks fails to
    /// compile; a misspelt capability (`"fileinfo"`) fails everywhere. A
    /// deprecated draft works only on the servers that still keep it.
    ///
    /// ## Example
    /// ```sieve
    /// require ["fileinfo", "mailbox"];
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require ["fileinto", "mailbox"];
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §3.2
    ///
    /// ## Severity
    /// Error: RFC 5228 §2.10.5: "Implementations MUST NOT execute any Sieve
    /// script test or command subsequent to "require" if one of the required
    /// extensions is unavailable"; every server of the profiles refuses such a
    /// script at upload. Capability strings are case-sensitive (§6). An unknown
    /// vendor (`vnd.*`) capability is an info: sieve-lint cannot know it, the
    /// server may.
    pub struct UnknownCapability {
        code: "SL0202",
        name: "unknown-capability",
        severity: Error,
        summary: "`require` names an unknown extension",
    }
}

/// Names that scripts use for something registered under another name.
const RENAMED: &[(&str, &str)] = &[
    ("comparator-i;ascii-casemap-", "comparator-i;ascii-casemap"),
    ("comparator-ascii-numeric", "comparator-i;ascii-numeric"),
    ("i;ascii-numeric", "comparator-i;ascii-numeric"),
];

/// Deprecated drafts that Dovecot refuses next to their successor
/// ("the (deprecated) imapflags extension cannot be used together with the
/// imap4flags extension"; the same for notify and enotify, and for
/// vnd.dovecot.duplicate and duplicate: "the (deprecated)
/// vnd.dovecot.duplicate extension cannot be used together with the
/// duplicate extension", Pigeonhole 0.5.19).
const REFUSED_TOGETHER: &[&str] = &["imapflags", "notify", "vnd.dovecot.duplicate"];

impl Rule for UnknownCapability {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        for r in &model.requires {
            let name = r.capability.value.as_ref();
            // RFC 5228 §6: "Capability string are case-sensitive; for
            // example, "foo" and "FOO" are different capabilities."
            if is_known_capability(name) && name.bytes().any(|b| b.is_ascii_uppercase()) {
                let lower = name.to_ascii_lowercase();
                cx.report(
                    r.capability.span,
                    format!(
                        "unknown capability {}: capability names are case-sensitive",
                        crate::diagnostic::show(name)
                    ),
                )
                .with_primary_label(format!("not {}", crate::diagnostic::show(&lower)))
                .with_help(format!(
                    "write {} (RFC 5228 §6: \"foo\" and \"FOO\" are different capabilities)",
                    crate::diagnostic::show(&lower)
                ));
                continue;
            }
            if is_known_capability(name) {
                let ext = crate::ext::catalog().extension(name);
                if let Some((old, new)) = ext
                    .and_then(|e| Some((e.capability, e.successor?)))
                    .filter(|(old, new)| REFUSED_TOGETHER.contains(old) && model.is_required(new))
                {
                    // Pigeonhole (imapflags, notify, vnd.dovecot.duplicate) refuses
                    // the pair at compile time.
                    let dovecot = cx.options.target().id.starts_with("dovecot");
                    cx.report_with(
                        r.capability.span,
                        if dovecot {
                            crate::diagnostic::Severity::Error
                        } else {
                            crate::diagnostic::Severity::Warning
                        },
                        format!(
                            "{} cannot be required together with {}",
                            crate::diagnostic::show(old),
                            crate::diagnostic::show(new)
                        ),
                    )
                    .with_primary_label("Dovecot refuses the script")
                    .with_help(format!(
                        "use only {}: change the commands of the draft to it",
                        crate::diagnostic::show(new)
                    ));
                }
                if let Some(note) = ext.and_then(|e| e.deprecated) {
                    cx.report_with(
                        r.capability.span,
                        crate::diagnostic::Severity::Info,
                        format!(
                            "{} is a deprecated extension",
                            crate::diagnostic::show(name)
                        ),
                    )
                    .with_primary_label("accepted only by servers that keep it")
                    .with_help(note.to_owned());
                }
                continue;
            }
            let lower = name.to_ascii_lowercase();
            if crate::ext::is_unchecked_capability(&lower) {
                let kind = if lower.starts_with("vnd.") {
                    "vendor extension"
                } else {
                    "extension"
                };
                cx.report_with(
                    r.capability.span,
                    crate::diagnostic::Severity::Info,
                    format!("{kind} {} is not checked", crate::diagnostic::show(name)),
                )
                .with_primary_label("sieve-lint has no description of it")
                .with_help(
                    "commands, tests and tags that sieve-lint does not know are taken to be \
                     its own and noted, not checked",
                );
                continue;
            }
            let suggestion = RENAMED
                .iter()
                .find(|(old, _)| *old == lower)
                .map(|(_, new)| (*new).to_owned())
                .or_else(|| closest(&lower));
            let d = cx
                .report(
                    r.capability.span,
                    format!("unknown capability {}", crate::diagnostic::show(name)),
                )
                .with_primary_label("not a registered Sieve extension");
            if let Some(s) = suggestion {
                d.with_help(format!("did you mean {}?", crate::diagnostic::show(&s)));
            }
        }
    }
}

/// The registered name within two edits of `name`, if any.
fn closest(name: &str) -> Option<String> {
    crate::ext::KNOWN_CAPABILITIES
        .iter()
        // Within two edits the lengths differ by two at most: the rest
        // need no distance (a script of many unknown names stays cheap).
        .filter(|(c, _)| c.len().abs_diff(name.len()) <= 2)
        .map(|(c, _)| (edit_distance(name, c), *c))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, c)| c.to_owned())
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
