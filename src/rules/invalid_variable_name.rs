use super::invalid_encoded_character::ValueSpans;
use super::{Rule, declare_rule};
use crate::check::{Context, Issue, Use};
use crate::diagnostic::{Severity, show};
use crate::ext::Arg;
use crate::syntax::ast::{Argument, StringLit};

declare_rule! {
    /// ## What it does
    /// Checks variable names (RFC 5229 §3: `identifier = (ALPHA / "_")
    /// *(ALPHA / DIGIT / "_")`):
    ///
    /// * error: the name given to `set`, `extracttext`, `global`, the
    ///   optional variable of `setflag`/`addflag`/`removeflag`, the
    ///   variables of `hasflag`, and `:outcome`/`:reason` of
    ///   `processcalendar` is not a valid name; names are constant, so a
    ///   `${…}` there is an error too. A number names a match variable:
    ///   it can be read (`hasflag`) but not set. `global` takes plain
    ///   identifiers only;
    /// * error: a name or a `${ns.name}` reference uses a namespace that no
    ///   required extension defines. The only namespace sieve-lint knows is
    ///   `global` (RFC 6609, with "include"); with a capability sieve-lint
    ///   does not know required, namespaces are not checked;
    /// * warning (with "variables" required): text that looks like a
    ///   reference but is not one, such as `${my-var}` or `${1st}`. RFC 5229
    ///   keeps such text literally, so this is not an error, but it is
    ///   rarely what was meant. `${` followed by blanks, braces or
    ///   punctuation only (`${}`, `${ x }`) is taken as intended literal
    ///   text, and `${hex:…}`/`${unicode:…}` belong to
    ///   invalid-encoded-character.
    ///
    /// ## Why is this bad?
    /// The server refuses a script that sets an invalid name, a match
    /// variable or an unknown namespace. A reference with an invalid name is
    /// not expanded: the message is compared with, or filed into, the text
    /// `${my-var}` itself.
    ///
    /// ## Example
    /// ```sieve
    /// require ["variables", "fileinto"];
    /// set "list-name" "rust";
    /// fileinto "Lists/${list-name}";
    /// ```
    ///
    /// ## Use instead
    /// ```sieve
    /// require ["variables", "fileinto"];
    /// set "list_name" "rust";
    /// fileinto "Lists/${list_name}";
    /// ```
    ///
    /// ## RFC
    /// RFC 5229 §3, §4; RFC 6609 §3.4, §3.5
    ///
    /// ## Severity
    /// Error: RFC 5229 §4: "The name MUST be a constant string and conform to
    /// the syntax of variable-name. [...] An invalid name MUST be detected as a
    /// syntax error."; §3 for references. For the Dovecot targets also a
    /// name over 64 characters, a match variable past `${32}` and a 256th
    /// variable, which RFC 5229 allows but Pigeonhole refuses at upload.
    pub struct InvalidVariableName {
        code: "SL0317",
        name: "invalid-variable-name",
        severity: Error,
        summary: "an invalid variable name, a match variable set, or an unknown namespace",
    }
}

/// What a name slot accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Assigned: no match variables.
    Write,
    /// Read: match variables too.
    Read,
    /// Declared by `global`: plain identifiers only.
    Declare,
}

/// `(command or test, positional slot, mode)` of the variable-name slots.
const SLOTS: &[(&str, &str, Mode)] = &[
    ("set", "name", Mode::Write),
    ("extracttext", "varname", Mode::Write),
    ("setflag", "variablename", Mode::Write),
    ("addflag", "variablename", Mode::Write),
    ("removeflag", "variablename", Mode::Write),
    ("hasflag", "variable-list", Mode::Read),
    ("global", "value", Mode::Declare),
];

/// The argument name of tags that take a variable name.
const TAG_ARG: &str = "variablename";

/// What a name is, by RFC 5229 §3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Name<'a> {
    Empty,
    Identifier,
    Number,
    /// `ns.name` (or `ns.sub.name`), well-formed.
    Namespaced(&'a str),
    Invalid,
}

fn is_identifier(s: &str) -> bool {
    let mut b = s.bytes();
    b.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())
}

fn classify(s: &str) -> Name<'_> {
    if s.is_empty() {
        return Name::Empty;
    }
    if is_identifier(s) {
        return Name::Identifier;
    }
    if is_number(s) {
        return Name::Number;
    }
    // namespace = identifier "." *sub-namespace; sub-namespace =
    // variable-name "."; then variable-name.
    let mut parts = s.split('.');
    let first = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    if !rest.is_empty()
        && is_identifier(first)
        && rest.iter().all(|p| is_identifier(p) || is_number(p))
    {
        return Name::Namespaced(first);
    }
    Name::Invalid
}

/// A valid name close to `s`: other characters become `_`, and a leading
/// digit gets a `_` before it.
fn sanitized(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

impl Rule for InvalidVariableName {
    fn check(&self, cx: &mut Context<'_, '_>) {
        let model = cx.model;
        let variables = model.is_required("variables");
        // An extension sieve-lint does not know may define namespaces.
        let unknown_ext = model
            .required
            .iter()
            .any(|c| !crate::ext::is_known_capability(c));
        let global_ns = model.is_required("include");
        // Namespaces of required extensions: "global" (include), "env"
        // (vnd.dovecot.environment).
        let namespace_known = |ns: &str| {
            unknown_ext
                || (global_ns && ns.eq_ignore_ascii_case("global"))
                || model.required.iter().any(|c| {
                    crate::ext::catalog()
                        .extension(c)
                        .is_some_and(|e| e.namespaces.iter().any(|n| n.eq_ignore_ascii_case(ns)))
                })
        };
        let dovecot = cx.options.target().id.starts_with("dovecot");
        // Distinct plain names assigned (case-insensitive, RFC 5229 §3),
        // for Dovecot's limit; `None` once it was reported.
        let mut assigned = Some(crate::hash::FastSet::<String>::default());
        for u in &model.uses {
            if u.node.name().is("require") {
                continue;
            }
            let names = name_slots(u);
            for &(lit, mode) in &names {
                check_name(cx, lit, mode, &namespace_known, global_ns);
                if dovecot
                    && mode == Mode::Write
                    && matches!(classify(&lit.value), Name::Identifier)
                    // An over-long name is refused, not declared.
                    && lit.value.len() <= 64
                    && let Some(set) = assigned.as_mut()
                {
                    set.insert(lit.value.to_ascii_lowercase());
                    if set.len() > DOVECOT_MAX_VARIABLES {
                        assigned = None;
                        cx.report(
                            lit.span,
                            format!(
                                "Dovecot refuses more than {DOVECOT_MAX_VARIABLES} variables in a script"
                            ),
                        )
                        .with_primary_label(format!("variable {}", DOVECOT_MAX_VARIABLES + 1))
                        .with_help(
                            "valid (RFC 5229 §6: at least 128 must be supported), but refused \
                             at upload: reuse variables",
                        );
                    }
                }
            }
            if !variables {
                continue;
            }
            for arg in &u.node.args().args {
                for lit in arg.strings() {
                    if lit.value.contains("${") && !names.iter().any(|(n, _)| std::ptr::eq(*n, lit))
                    {
                        check_references(cx, lit, &namespace_known);
                    }
                }
            }
        }
    }
}

/// The strings of a use that name variables, with what they accept.
pub(crate) fn name_slots<'s>(u: &Use<'s>) -> Vec<(&'s StringLit<'s>, Mode)> {
    let mut out = Vec::new();
    let Some(entry) = u.entry else { return out };
    let cmd = entry.sig.name;
    let filled = if SLOTS.iter().any(|(c, _, _)| *c == cmd) {
        slots(u)
    } else {
        Vec::new()
    };
    for (slot, arg) in filled {
        if let Some(&(_, _, mode)) = SLOTS.iter().find(|(c, s, _)| *c == cmd && *s == slot.name) {
            out.extend(arg.strings().iter().map(|l| (l, mode)));
        }
    }
    for t in &u.binding.tags {
        if t.entry.spec.arg.is_some_and(|a| a.name == TAG_ARG)
            && let Some(Argument::String(lit)) = t.arg
        {
            out.push((lit, Mode::Write));
        }
    }
    out
}

/// The positional arguments of a use with the slot each fills, as the
/// binder assigned them (optional slots are filled only when enough
/// arguments remain for the required ones after them).
fn slots<'s>(u: &Use<'s>) -> Vec<(&'static Arg, &'s Argument<'s>)> {
    let Some(entry) = u.entry else {
        return Vec::new();
    };
    let sig = entry.sig.positional;
    let unexpected = u
        .issues()
        .iter()
        .filter(|i| matches!(i, Issue::UnexpectedArgument { .. }))
        .count();
    let given = u.binding.positional.len() + unexpected;
    let mut out = Vec::new();
    let mut next = 0usize;
    for (i, expected) in sig.iter().enumerate() {
        let required_after = sig[i + 1..].iter().filter(|a| !a.optional).count();
        if expected.optional && given - next <= required_after {
            continue;
        }
        let Some(arg) = u.binding.positional.get(next) else {
            break;
        };
        out.push((expected, arg));
        next += 1;
    }
    out
}

fn check_name(
    cx: &mut Context<'_, '_>,
    lit: &StringLit,
    mode: Mode,
    namespace_known: &dyn Fn(&str) -> bool,
    global_ns: bool,
) {
    let name = lit.value.as_ref();
    let shown = show(name);
    match classify(name) {
        Name::Identifier => dovecot_limits(cx, lit.span, name),
        Name::Number if mode == Mode::Read => dovecot_limits(cx, lit.span, name),
        Name::Number => {
            cx.report(lit.span, format!("cannot set match variable {shown}"))
                .with_primary_label(format!(
                    "`${{{name}}}` is a match variable, set only by `:matches` and `:regex`"
                ))
                .with_help(format!(
                    "use a name that starts with a letter or `_`, such as {}",
                    show(&sanitized(name))
                ));
        }
        Name::Namespaced(_) if mode == Mode::Declare => {
            cx.report(
                lit.span,
                format!("invalid variable name {shown} for `global`"),
            )
            .with_primary_label("`global` declares plain names, without a namespace")
            .with_help(format!(
                "declare {} and refer to it as `${{global.{}}}`",
                show(name.rsplit('.').next().unwrap_or(name)),
                name.rsplit('.').next().unwrap_or(name)
            ));
        }
        Name::Namespaced(ns) if namespace_known(ns) => {}
        Name::Namespaced(ns) => report_namespace(cx, lit.span, name, ns, global_ns),
        Name::Empty => {
            cx.report(lit.span, "empty variable name")
                .with_primary_label("a variable name has at least one character")
                .with_help("name the variable, e.g. \"subject\"");
        }
        Name::Invalid if name.contains("${") => {
            cx.report(lit.span, format!("variable name {shown} is not constant"))
                .with_primary_label("names are not expanded: this is the name itself")
                .with_help("write the variable's name directly; a variable cannot name another");
        }
        Name::Invalid => {
            cx.report(lit.span, format!("invalid variable name {shown}"))
                .with_primary_label(
                    "a name is letters, digits and `_`, and does not start with a digit",
                )
                .with_help(format!("did you mean {}?", show(&sanitized(name))));
        }
    }
}

/// Pigeonhole's limit of distinct variables in a script ("declaration of
/// new variable ... exceeds the limit (max variables: 255)", sievec 0.5.19).
const DOVECOT_MAX_VARIABLES: usize = 255;

/// Pigeonhole's compiled-in limits (sievec 0.5.19): a variable name of
/// at most 64 characters ("invalid variable name"), match variables up to
/// `${32}` ("match value index 33 out of range (max: 32)"). RFC 5229 sets
/// neither (§6 asks for at least 128 distinct variables; an index past the
/// matches is the empty string, §3.2): errors for the Dovecot targets only.
fn dovecot_limits(cx: &mut Context<'_, '_>, span: crate::syntax::ast::Span, name: &str) {
    const MAX_NAME: usize = 64;
    const MAX_MATCH: u64 = 32;
    if !cx.options.target().id.starts_with("dovecot") {
        return;
    }
    if is_number(name) {
        // Leading zeroes are ignored (§3.2); a long number is past any limit.
        let digits = name.trim_start_matches('0');
        if digits.len() > 2 || digits.parse::<u64>().is_ok_and(|n| n > MAX_MATCH) {
            cx.report_with(
                span,
                Severity::Error,
                format!("Dovecot refuses the match variable ${{{name}}}"),
            )
            .with_primary_label(format!("Dovecot keeps ${{0}} to ${{{MAX_MATCH}}} only"))
            .with_help(
                "valid (RFC 5229 §3.2: an index past the matches is empty), but refused at upload",
            );
        }
    } else if name.len() > MAX_NAME {
        cx.report_with(
            span,
            Severity::Error,
            format!("Dovecot refuses variable names over {MAX_NAME} characters"),
        )
        .with_primary_label(format!("{} characters", name.len()))
        .with_help("valid (RFC 5229 sets no limit), but refused at upload: shorten the name");
    }
}

fn report_namespace(
    cx: &mut Context<'_, '_>,
    span: crate::syntax::ast::Span,
    name: &str,
    ns: &str,
    global_ns: bool,
) {
    let help = if ns.eq_ignore_ascii_case("global") && !global_ns {
        "the \"global\" namespace needs: require \"include\";".to_owned()
    } else {
        format!("use a plain name such as {}", show(&sanitized(name)))
    };
    cx.report(span, format!("unknown variable namespace {}", show(ns)))
        .with_primary_label("no required extension defines this namespace")
        .with_help(help);
}

/// `${…}` in a string: unknown namespaces (errors) and references that are
/// not references (warnings).
fn check_references(
    cx: &mut Context<'_, '_>,
    lit: &StringLit,
    namespace_known: &dyn Fn(&str) -> bool,
) {
    let s = lit.value.as_ref();
    let mut spans = ValueSpans::new(cx.source, lit);
    let mut from = 0;
    while let Some(at) = s[from..].find("${").map(|i| i + from) {
        from = at + 2;
        let rest = &s[at + 2..];
        let n = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
            .count();
        let content = if rest.as_bytes().get(n) == Some(&b'}') {
            &rest[..n]
        } else {
            // Up to the next brace: text that may have been meant as one
            // (at most 65 bytes on: longer is not reported, and a bounded
            // look keeps a string of many `${` linear).
            let Some(q) = rest.bytes().take(66).position(|b| b == b'}') else {
                continue;
            };
            let c = &rest[..q];
            let lower = c.to_ascii_lowercase();
            if c.len() > 64
                || c.contains(['$', '{'])
                || c.chars().any(char::is_whitespace)
                || !c.bytes().any(|b| b.is_ascii_alphanumeric() || b == b'_')
                || lower.starts_with("hex:")
                || lower.starts_with("unicode:")
            {
                continue;
            }
            c
        };
        let end = at + 2 + content.len() + 1;
        match classify(content) {
            Name::Empty => {}
            Name::Identifier | Name::Number => {
                if cx.options.target().id.starts_with("dovecot") {
                    let span = spans.span(at..end);
                    dovecot_limits(cx, span, content);
                }
            }
            Name::Namespaced(ns) if namespace_known(ns) => {}
            Name::Namespaced(ns) => {
                let global_ns = cx.model.is_required("include");
                let span = spans.span(at..end);
                report_namespace(cx, span, content, ns, global_ns);
            }
            Name::Invalid => {
                let span = spans.span(at..end);
                cx.report_with(
                    span,
                    Severity::Warning,
                    format!(
                        "{} is not a variable reference and stays literal text",
                        show(&s[at..end])
                    ),
                )
                .with_primary_label(
                    "a name is letters, digits and `_`, and does not start with a digit",
                )
                .with_help(format!("did you mean `${{{}}}`?", sanitized(content)));
            }
        }
        from = end;
    }
}
