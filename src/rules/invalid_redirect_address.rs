use super::invalid_encoded_character::value_span;
use super::{Rule, declare_rule};
use crate::check::Context;
use crate::diagnostic::show;
use crate::syntax::ast::Argument;
use std::ops::Range;

declare_rule! {
    /// ## What it does
    /// Reports a `redirect` whose address is not an RFC 5322 `addr-spec`:
    /// `local-part@domain`, where the local part is a dot-atom or a quoted
    /// string (`"john doe"@example.com`) and the domain is a dot-atom or a
    /// domain literal (`[192.0.2.1]`). Non-ASCII characters are allowed
    /// (RFC 6532). Not allowed: a display name or angle brackets
    /// (`Bob <bob@example.com>`), several addresses, spaces, comments, empty
    /// or doubled dots, a missing `@`, local part or domain.
    ///
    /// Not reported: `redirect :list` (its argument is a list name),
    /// addresses built from variables (`"${x}"` with "variables" required)
    /// or written with `${hex:…}`/`${unicode:…}` ("encoded-character").
    /// The obsolete forms of RFC 5322 §4.4 are reported like other
    /// invalid ones.
    ///
    /// ## Why is this bad?
    /// The server refuses the script, or the redirect fails at delivery
    /// and the message is kept instead, while its copy for the other
    /// address is lost.
    ///
    /// ## Example
    /// ```sieve
    /// redirect "Bob Smith <bob@example.com>";
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// redirect "bob@example.com";
    /// ```
    ///
    /// ## RFC
    /// RFC 5228 §4.2; RFC 5322 §3.4.1
    pub struct InvalidRedirectAddress {
        code: "SL0320",
        name: "invalid-redirect-address",
        severity: Error,
        summary: "a `redirect` address that is not local-part@domain",
    }
}

impl Rule for InvalidRedirectAddress {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        let dynamic = model.is_required("variables") || model.is_required("encoded-character");
        for u in &model.uses {
            if u.entry.is_none_or(|e| e.sig.name != "redirect") {
                continue;
            }
            if u.binding.tags.iter().any(|t| t.entry.spec.name == "list") {
                continue;
            }
            let Some(Argument::String(lit)) = u.binding.positional.first() else {
                continue;
            };
            let addr = lit.value.as_str();
            if dynamic && addr.contains("${") {
                continue;
            }
            let Err(p) = check_address(addr) else {
                continue;
            };
            let span = value_span(cx.source, lit, p.range);
            let d = cx
                .report(span, format!("invalid redirect address {}", show(addr)))
                .with_primary_label(p.reason);
            if let Some(help) = p.help {
                d.with_help(help);
            }
        }
    }
}

struct Problem {
    range: Range<usize>,
    reason: String,
    help: Option<String>,
}

fn problem(range: Range<usize>, reason: impl Into<String>) -> Problem {
    Problem {
        range,
        reason: reason.into(),
        help: None,
    }
}

impl Problem {
    fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

/// RFC 5322 §3.2.3 atext, with non-ASCII allowed (RFC 6532).
fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c) || !c.is_ascii()
}

/// Checks `local-part "@" domain`.
fn check_address(a: &str) -> Result<(), Problem> {
    let all = 0..a.len();
    if a.is_empty() {
        return Err(problem(all, "the address is empty"));
    }
    if let (Some(open), Some(close)) = (a.rfind('<'), a.rfind('>'))
        && open < close
    {
        let inner = a[open + 1..close].trim();
        let reason = if a[..open].trim().is_empty() {
            "angle brackets are not part of the address"
        } else {
            "a display name is not part of the address"
        };
        return Err(problem(all, reason).help(format!("write only the address: {}", show(inner))));
    }
    let trimmed = a.trim();
    if trimmed.len() != a.len() {
        let start = a.len() - a.trim_start().len();
        let range = if start > 0 {
            0..start
        } else {
            a.trim_end().len()..a.len()
        };
        return Err(
            problem(range, "blanks around the address").help(format!("write {}", show(trimmed)))
        );
    }
    if let Some(i) = unquoted_comma(a)
        && a[..i].contains('@')
        && a[i + 1..].contains('@')
    {
        return Err(problem(i..i + 1, "a comma between two addresses")
            .help("redirect takes one address: use one redirect per address"));
    }
    // `get`: the 7th byte may fall inside a character.
    if a.len() > 7
        && a.get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
    {
        return Err(problem(0..7, "a `mailto:` URI is not an address")
            .help(format!("write {}", show(&a[7..]))));
    }
    let at = local_part(a)?;
    domain(a, at + 1)
}

/// The first `,` outside a quoted string.
fn unquoted_comma(a: &str) -> Option<usize> {
    let (mut quoted, mut escaped) = (false, false);
    for (i, c) in a.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// Checks the local part; returns the index of the `@` after it.
fn local_part(a: &str) -> Result<usize, Problem> {
    if a.starts_with('"') {
        let mut escaped = false;
        for (i, c) in a.char_indices().skip(1) {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' => escaped = true,
                '"' => {
                    return match a[i + 1..].chars().next() {
                        Some('@') => Ok(i + 1),
                        Some(_) => Err(problem(
                            i + 1..a.len(),
                            "expected `@` after the quoted local part",
                        )),
                        None => Err(problem(
                            0..a.len(),
                            "no `@`: an address is local-part@domain",
                        )),
                    };
                }
                c if c.is_control() && c != '\t' => {
                    return Err(problem(i..i + c.len_utf8(), "a control character"));
                }
                _ => {}
            }
        }
        return Err(problem(0..a.len(), "the quoted local part is not closed"));
    }
    let Some(at) = a.find('@') else {
        let help = if a.contains(',') || a.contains(';') {
            "redirect takes one address: use one redirect per address"
        } else {
            "an address is local-part@domain, e.g. \"bob@example.com\""
        };
        return Err(problem(0..a.len(), "no `@` in the address").help(help));
    };
    if at == 0 {
        return Err(problem(0..1, "the local part before `@` is empty"));
    }
    dot_atom(a, 0, at, "local part").map_err(|p| {
        if p.help.is_none() && !p.reason.contains("dot") {
            p.help("characters other than letters, digits and !#$%&'*+-/=?^_`{|}~ need a quoted local part: \"\\\"john doe\\\"@example.com\"")
        } else {
            p
        }
    })?;
    Ok(at)
}

fn domain(a: &str, start: usize) -> Result<(), Problem> {
    let d = &a[start..];
    if d.is_empty() {
        return Err(problem(start - 1..a.len(), "the domain after `@` is empty"));
    }
    if let Some(i) = d.find('@') {
        let help = if d.contains(',') {
            "redirect takes one address: use one redirect per address"
        } else {
            "an address has one `@` outside quotes"
        };
        return Err(problem(start + i..start + i + 1, "a second `@`").help(help));
    }
    if d.starts_with('[') {
        if !d.ends_with(']') || d.len() < 2 {
            return Err(problem(
                start..a.len(),
                "the domain literal is not closed with `]`",
            ));
        }
        for (i, c) in d[1..d.len() - 1].char_indices() {
            if c == '[' || c == ']' || c == '\\' || c.is_whitespace() || c.is_control() {
                let at = start + 1 + i;
                return Err(problem(
                    at..at + c.len_utf8(),
                    format!(
                        "{} is not allowed in a domain literal",
                        show(&c.to_string())
                    ),
                ));
            }
        }
        return Ok(());
    }
    dot_atom(a, start, a.len(), "domain")
}

/// `1*atext *("." 1*atext)` over `a[start..end]`.
fn dot_atom(a: &str, start: usize, end: usize, what: &str) -> Result<(), Problem> {
    let s = &a[start..end];
    if s.starts_with('.') {
        return Err(problem(
            start..start + 1,
            format!("the {what} starts with a dot"),
        ));
    }
    if s.ends_with('.') {
        return Err(problem(end - 1..end, format!("the {what} ends with a dot")));
    }
    // A byte search: `str::find` sets up a two-way searcher for a short
    // needle, most of this rule's time over a script of redirects.
    if let Some(i) = s.as_bytes().windows(2).position(|w| w == b"..") {
        return Err(problem(
            start + i..start + i + 2,
            format!("two dots in a row in the {what}"),
        ));
    }
    for (i, c) in s.char_indices() {
        if c == '.' || is_atext(c) {
            continue;
        }
        let range = start + i..start + i + c.len_utf8();
        let reason = if c.is_whitespace() {
            format!("a blank in the {what}")
        } else {
            format!("{} is not allowed in the {what}", show(&c.to_string()))
        };
        let p = problem(range, reason);
        return Err(if c == ',' || c == ';' {
            p.help("redirect takes one address: use one redirect per address")
        } else {
            p
        });
    }
    Ok(())
}
