use super::lists_common::checked_names;
use super::{Rule, declare_rule};
use crate::check::Context;
use crate::diagnostic::show;

declare_rule! {
    /// ## What it does
    /// When lists are supplied (`--lists FILE`, `--list NAME=FILE`),
    /// reports list names that are none of them — after normalization, so
    /// `:addrbook:default` and `urn:ietf:params:sieve:addrbook:DEFAULT` are
    /// the same list. Without supplied lists, when the target server's
    /// EXTLISTS capability names full lists (Pigeonhole 2.4 sends
    /// `urn:ietf:params:sieve:addrbook:default …`; `--server`, a saved
    /// profile, or `--list-schemes` with names), reports names that are
    /// none of those. A name that is itself an LDAP URL (RFC 4516:
    /// `ldap://host/ou=staff,dc=example,dc=com?mail?sub`) says where its
    /// list is (`run` searches that directory), so it is reported only
    /// when the supplied lists name others on the same server — then it is
    /// most likely a typo of one of them.
    ///
    /// ## Why is this bad?
    /// Usually a typo in the list name. In a dry run the lookup is a
    /// run-time error; on the server the list may not exist either.
    ///
    /// ## Example
    /// With `--lists lists.json` defining `tag:example.com,2024:vip`:
    /// ```sieve
    /// require "extlists";
    /// if header :list "from" "tag:example.com,2024:vips" { keep; }
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require "extlists";
    /// if header :list "from" "tag:example.com,2024:vip" { keep; }
    /// ```
    ///
    /// ## RFC
    /// RFC 6134 §2.2
    ///
    /// ## Severity
    /// Warning: the script is valid (RFC 6134 §2.2); the list is just not
    /// among the lists you supplied, so lookups would fail at delivery.
    pub struct UnknownList {
        code: "SL0114",
        name: "unknown-list",
        severity: Warning,
        summary: "a list name that none of the supplied lists has",
    }
}

impl Rule for UnknownList {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let Some(lists) = cx.options.lists.clone() else {
            if let Some(names) = &cx.options.list_names {
                server_lists(cx, names);
            }
            return;
        };
        let model = cx.model;
        // The supplied names and their LDAP servers, once for all names.
        let known = lists.names();
        let servers: Vec<_> = known.iter().filter_map(|n| ldap_server(n)).collect();
        for (r, parsed) in checked_names(model) {
            let Ok(name) = parsed else { continue };
            if lists.get_normalized(&name.normalized).is_some() {
                continue;
            }
            // An LDAP URL names its own source (`run` searches it): only a
            // near miss of a supplied list on the same server is reported.
            if let Some(server) = ldap_server(&name.original)
                && !servers.contains(&server)
            {
                continue;
            }
            let shown: Vec<String> = known.iter().take(5).map(|n| show(n)).collect();
            let more = if known.len() > 5 {
                format!(" and {} more", known.len() - 5)
            } else {
                String::new()
            };
            cx.report(r.lit.span, format!("unknown list {}", show(&r.lit.value)))
                .with_primary_label(format!("normalized: \"{}\"", name.normalized))
                .with_help(format!("the supplied lists are {}{more}", shown.join(", ")));
        }
    }
}

/// Names not among the lists the server's EXTLISTS capability names
/// (RFC 6134 §2.8, in the full-name form Pigeonhole 2.4 sends).
/// The scheme, host and port of an `ldap:`/`ldaps:` list name.
fn ldap_server(name: &str) -> Option<(String, String, Option<u16>)> {
    let u = url::Url::parse(name).ok()?;
    matches!(u.scheme(), "ldap" | "ldaps").then(|| {
        (
            u.scheme().to_string(),
            u.host_str().unwrap_or("").to_ascii_lowercase(),
            u.port(),
        )
    })
}

fn server_lists(cx: &mut Context<'_, '_>, names: &[String]) {
    let model = cx.model;
    for (r, parsed) in checked_names(model) {
        let Ok(name) = parsed else { continue };
        if names.contains(&name.normalized) {
            continue;
        }
        let shown: Vec<String> = names.iter().take(5).map(|n| show(n)).collect();
        cx.report(r.lit.span, format!("unknown list {}", show(&r.lit.value)))
            .with_primary_label(format!("normalized: \"{}\"", name.normalized))
            .with_help(format!(
                "the server's EXTLISTS capability names {}",
                shown.join(", ")
            ));
    }
}
