use super::{Rule, declare_rule};
use crate::check::Context;
use crate::diagnostic::show;

declare_rule! {
    /// ## What it does
    /// Reports a date-part argument of `date` or `currentdate` that is not
    /// one of the names RFC 5260 defines: "year", "month", "day", "date",
    /// "julian", "hour", "minute", "second", "time", "iso8601", "std11",
    /// "zone" and "weekday". Names are compared without regard to case.
    ///
    /// Not reported: date parts built from variables (`"${part}"` with
    /// "variables" required).
    ///
    /// ## Why is this bad?
    /// The server refuses the script. Other products' names (`"dayofweek"`,
    /// `"timezone"`, `"rfc2822"`) and plurals (`"days"`) are the usual slips.
    ///
    /// ## Example
    /// ```sieve
    /// require "date";
    /// if currentdate :is "dayofweek" "0" { discard; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "date";
    /// if currentdate :is "weekday" "0" { discard; }
    /// ```
    ///
    /// ## RFC
    /// RFC 5260 §4.2
    ///
    /// ## Severity
    /// Error: RFC 5260 §4.2 lists the date parts; a name outside the list is
    /// refused at upload by every server of the profiles.
    pub struct UnknownDatePart {
        code: "SL0316",
        name: "unknown-date-part",
        severity: Error,
        summary: "a date part that RFC 5260 does not define",
    }
}

use crate::ext::DATE_PARTS;

/// Names from other products, with the RFC 5260 name that means the same.
const ALIASES: &[(&str, &str)] = &[
    ("dayofweek", "weekday"),
    ("day-of-week", "weekday"),
    ("dow", "weekday"),
    ("wday", "weekday"),
    ("timezone", "zone"),
    ("tz", "zone"),
    ("rfc2822", "std11"),
    ("rfc822", "std11"),
    ("rfc5322", "std11"),
    ("iso-8601", "iso8601"),
    ("mjd", "julian"),
    ("min", "minute"),
    ("sec", "second"),
    ("mon", "month"),
    ("yyyy", "year"),
];

impl Rule for UnknownDatePart {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        let variables = model.is_required("variables");
        for u in &model.uses {
            let Some(entry) = u.entry else { continue };
            let slot = match entry.sig.name {
                "date" if entry.capability == "date" => 1,
                "currentdate" if entry.capability == "date" => 0,
                _ => continue,
            };
            // Only when every slot is filled, so the index is the slot's.
            if u.binding.positional.len() != entry.sig.positional.len() {
                continue;
            }
            let Some(arg) = u.binding.positional.get(slot) else {
                continue;
            };
            let [part] = arg.strings() else { continue };
            let lower = part.value.to_ascii_lowercase();
            if DATE_PARTS.contains(&lower.as_str()) || (variables && lower.contains("${")) {
                continue;
            }
            cx.report(
                part.span,
                format!("unknown date part {}", show(&part.value)),
            )
            .with_primary_label(format!("`{}` has no such date part", entry.sig.name))
            .with_help(suggestion(lower.trim()));
        }
    }
}

fn suggestion(name: &str) -> String {
    if let Some((_, p)) = ALIASES.iter().find(|(a, _)| *a == name) {
        return format!("did you mean {}?", show(p));
    }
    if DATE_PARTS.contains(&name) {
        return format!("remove the blanks and line breaks: {}", show(name));
    }
    let close = DATE_PARTS
        .iter()
        .map(|p| (super::unknown_capability::edit_distance(name, p), *p))
        .filter(|(d, _)| *d <= 2)
        .min();
    match close {
        Some((_, p)) => format!("did you mean {}?", show(p)),
        None => {
            let all: Vec<String> = DATE_PARTS.iter().map(|p| show(p)).collect();
            format!("the date parts are {}", all.join(", "))
        }
    }
}
