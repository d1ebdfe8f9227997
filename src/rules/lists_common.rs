//! What the list-name rules share: which names to check where.

use crate::check::{ListContext, ListRef, Model};
use crate::lists::{ListName, NameError};

/// A redirect :list target written like an e-mail address: reported by
/// redirect-list-misuse, not by the name rules.
pub(crate) fn looks_like_address(s: &str) -> bool {
    s.contains('@') && !s.contains(':')
}

/// List names in places where an invalid name is an error (keys of `:list`
/// tests, `redirect :list` targets), with their parse result. Names built
/// from variables and names given to `valid_ext_list` are left out.
pub(crate) fn checked_names<'m, 's>(
    model: &'m Model<'s>,
) -> impl Iterator<Item = (&'m ListRef<'s>, &'m Result<ListName, NameError>)> {
    model.lists.iter().filter_map(|r| {
        let parsed = r.parsed.as_ref()?;
        match r.context {
            ListContext::ValidExtList => None,
            ListContext::RedirectTarget if looks_like_address(&r.lit.value) => None,
            _ => Some((r, parsed)),
        }
    })
}

/// "expands to …" for names written with the `:` shorthand.
pub(crate) fn expansion_note(original: &str, expanded: Option<&str>) -> Option<String> {
    match expanded {
        Some(e) if original.starts_with(':') => {
            Some(format!("expands to {}", crate::diagnostic::show(e)))
        }
        _ => None,
    }
}
