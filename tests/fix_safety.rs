//! A fix never breaks a script (design.md: "a fix is offered only if the
//! fixed script has no new diagnostic and means the same").
//!
//! `fix::fix_bytes` is applied to every fixture under `fixtures/` and to a
//! generated corpus (proptest): scripts built from the extension catalog —
//! requires drawn from every extension sieve-lint knows (and a few it does
//! not), repeated, in other cases, split over several `require` commands;
//! every command and test of the catalog with its arguments and each of its
//! tags; the variable forms of the flag actions and the `global` namespace;
//! typos of command, test and tag names. For each script:
//!
//! 1. the fixed script parses;
//! 2. it has the same commands, `require` aside (compared without
//!    positions);
//! 3. it reports no diagnostic the script did not report (code and message,
//!    ignoring case and digits, as the fix engine compares them);
//! 4. correcting the typos after fixing needs no require that correcting
//!    them before fixing does not: a require is not "unused" while a typo
//!    means one of its names (`filinto` keeps "fileinto").

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use sieve_lint::CheckOptions;
use sieve_lint::ext::{ArgKind, Entry, TestArity, catalog};
use sieve_lint::syntax::ast::{Argument, Command, Test, Tests};
use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

// ---- the properties -------------------------------------------------------

/// A diagnostic as compared before and after: code and message, lower case,
/// each run of digits as `#` (spans, sizes and counts shift).
fn key(d: &sieve_lint::diagnostic::Diagnostic) -> String {
    let mut out = format!("{} ", d.code);
    let mut digits = false;
    for c in d.message.chars() {
        if c.is_ascii_digit() {
            if !digits {
                out.push('#');
            }
            digits = true;
        } else {
            out.push(c.to_ascii_lowercase());
            digits = false;
        }
    }
    out
}

/// The commands of a script as text without positions, the top-level
/// `require` commands left out.
fn commands(src: &str) -> String {
    fn args(out: &mut String, a: &[Argument]) {
        for a in a {
            match a {
                Argument::Tag(t) => out.push_str(&format!(" :{}", t.name)),
                Argument::Number(n) => out.push_str(&format!(" {}", n.value)),
                Argument::String(s) => out.push_str(&format!(" {:?}{:?}", s.kind, s.value)),
                Argument::StringList(l) => {
                    out.push_str(" [");
                    for s in &l.items {
                        out.push_str(&format!("{:?}{:?},", s.kind, s.value));
                    }
                    out.push(']');
                }
            }
        }
    }
    fn tests(out: &mut String, t: Option<&Tests>) {
        match t {
            None => {}
            Some(Tests::One(t)) => test(out, t),
            Some(Tests::List { tests, .. }) => {
                out.push('(');
                for t in tests {
                    test(out, t);
                    out.push(',');
                }
                out.push(')');
            }
        }
    }
    fn test(out: &mut String, t: &Test) {
        out.push_str(&format!(" {}", t.name.name));
        args(out, &t.args.args);
        tests(out, t.args.tests.as_deref());
    }
    fn cmds(out: &mut String, c: &[Command], top: bool) {
        for c in c.iter().filter(|c| !(top && c.name.is("require"))) {
            out.push_str(&format!(
                "{}{}",
                c.name.name,
                if c.broken { "!" } else { "" }
            ));
            args(out, &c.args.args);
            tests(out, c.args.tests.as_deref());
            if let Some(b) = &c.block {
                out.push('{');
                cmds(out, &b.commands, false);
                out.push('}');
            }
            out.push(';');
        }
    }
    let mut out = String::new();
    cmds(
        &mut out,
        &sieve_lint::syntax::parse(src).script.commands,
        true,
    );
    out
}

fn lint(src: &str) -> sieve_lint::FileReport {
    sieve_lint::lint("t.sieve", src, &CheckOptions::default())
}

fn is_syntax(d: &sieve_lint::diagnostic::Diagnostic) -> bool {
    ["SL0001", "SL0002", "SL0003"].contains(&d.code)
        || d.name == "syntax-error"
        || d.name == "invalid-utf8"
        || d.name == "nesting-too-deep"
}

/// Properties 1–3 for one script; `Err` says what broke. `None` when the
/// script is not fixed (it has syntax errors, or nothing to fix).
fn fixed_safely(name: &str, src: &str) -> Result<Option<String>, String> {
    let before = lint(src);
    if before.diagnostics.iter().any(is_syntax) {
        return Ok(None);
    }
    let out = sieve_lint::fix::fix_bytes(name, src.as_bytes(), &CheckOptions::default());
    let Some(fixed) = out.fixed else {
        return Ok(None);
    };
    let after = lint(&fixed);
    if let Some(d) = after.diagnostics.iter().find(|d| is_syntax(d)) {
        return Err(format!("the fixed script does not parse: {}", d.message));
    }
    if commands(src) != commands(&fixed) {
        return Err("the fixed script has other commands".into());
    }
    let mut left: HashMap<String, usize> = HashMap::new();
    for d in &before.diagnostics {
        *left.entry(key(d)).or_default() += 1;
    }
    for d in &after.diagnostics {
        match left.get_mut(&key(d)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => {
                return Err(format!(
                    "new diagnostic {}[{}]: {}",
                    d.severity, d.code, d.message
                ));
            }
        }
    }
    Ok(Some(fixed))
}

/// The missing-require findings of a script, sorted.
fn missing_requires(src: &str) -> Vec<String> {
    let mut v: Vec<String> = lint(src)
        .diagnostics
        .iter()
        .filter(|d| d.name == "missing-require")
        .map(key)
        .collect();
    v.sort();
    v.dedup();
    v
}

// ---- every fixture ----------------------------------------------------------

#[test]
fn fixing_any_fixture_adds_no_diagnostic_and_keeps_its_commands() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut stack = vec![root];
    let (mut seen, mut fixed, mut broken) = (0, 0, Vec::new());
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read fixtures").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "sieve") {
                continue;
            }
            let Ok(src) = std::fs::read_to_string(&p) else {
                continue; // not UTF-8: never fixed (tests/fix.rs)
            };
            seen += 1;
            match fixed_safely(&p.display().to_string(), &src) {
                Ok(Some(_)) => fixed += 1,
                Ok(None) => {}
                Err(e) => broken.push(format!("{}: {e}", p.display())),
            }
        }
    }
    assert!(
        broken.is_empty(),
        "fixes that break:\n{}",
        broken.join("\n")
    );
    assert!(seen > 300 && fixed >= 10, "{seen} fixtures, {fixed} fixed");
}

// ---- a corpus from the catalog ------------------------------------------------

/// A piece of script with a hole for each value.
#[derive(Debug, Clone)]
struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Value(ArgKind),
}

/// Values for the holes: plain, a flag, an envelope part, a variable name
/// in and out of the global namespace, references, a comparator.
const STRINGS: &[&str] = &[
    "x",
    "from",
    "\\\\Seen",
    "flagvar",
    "global.box",
    "GLOBAL.n",
    "${global.box}",
    "${v}",
    "i;ascii-numeric",
    "ge",
    "a@example.org",
];

fn signature_template(entry: &Entry, tag: Option<usize>, test: bool) -> Option<Template> {
    let sig = entry.sig;
    if sig.block || sig.tests != TestArity::None || sig.follows_if || sig.name == "require" {
        return None;
    }
    let mut parts = vec![Part::Text(sig.name.to_owned())];
    fn tag_part(t: &sieve_lint::ext::TagEntry, parts: &mut Vec<Part>) {
        parts.push(Part::Text(format!(" :{}", t.spec.name)));
        if let Some(a) = t.spec.arg {
            parts.push(Part::Text(" ".into()));
            parts.push(Part::Value(a.kind));
        }
    }
    for set in sig.required {
        let t = entry.tags.iter().find(|t| t.exclusive == Some(*set))?;
        tag_part(t, &mut parts);
    }
    if let Some(i) = tag {
        let t = entry.tags.get(i)?;
        if t.exclusive.is_some_and(|e| sig.required.contains(&e)) {
            return None;
        }
        tag_part(t, &mut parts);
    }
    for a in sig.positional.iter().filter(|a| !a.optional) {
        parts.push(Part::Text(" ".into()));
        parts.push(Part::Value(a.kind));
    }
    let (open, close) = if test {
        ("if ", " { keep; }")
    } else {
        ("", ";")
    };
    parts.insert(0, Part::Text(open.into()));
    parts.push(Part::Text(close.into()));
    Some(Template { parts })
}

fn text(s: &str) -> Template {
    Template {
        parts: vec![Part::Text(s.to_owned())],
    }
}

/// Every command and test of the catalog, bare and with each tag; the
/// forms that use an extension through a value.
static TEMPLATES: LazyLock<Vec<Template>> = LazyLock::new(|| {
    let cat = catalog();
    let mut out = Vec::new();
    let mut names: Vec<(&str, bool)> = cat
        .command_names()
        .map(|n| (n, false))
        .chain(cat.test_names().map(|n| (n, true)))
        .collect();
    names.sort_unstable();
    for (name, test) in names {
        let entry = if test {
            cat.test(name)
        } else {
            cat.command(name)
        };
        let Some(entry) = entry else { continue };
        out.extend(signature_template(entry, None, test));
        for i in 0..entry.tags.len() {
            out.extend(signature_template(entry, Some(i), test));
        }
    }
    for s in [
        "addflag \"flagvar\" \"\\\\Seen\";",
        "setflag \"global.flags\" \"\\\\Seen\";",
        "removeflag \"f\" [\"a\", \"b\"];",
        "if hasflag :contains \"flagvar\" \"Seen\" { keep; }",
        "if hasflag :contains [\"a\", \"global.b\"] \"Seen\" { keep; }",
        "set \"global.a\" \"1\";",
        "set \"a\" \"${global.a}\";",
        "global \"a\";",
        "fileinto \"${global.box}\";",
        "if string \"${a}\" \"\" { stop; }",
        "if envelope \"orcpt\" \"x\" { keep; }",
        "if header :comparator \"i;ascii-numeric\" :value \"gt\" \"x\" \"1\" { stop; }",
        "pipe :copy \"learn-spam.sh\";",
    ] {
        out.push(text(s));
    }
    out
});

/// A typo and the name it is one letter away from: a command, test or tag
/// whose did-you-mean is that name (checked by linting it).
#[derive(Debug, Clone)]
struct Typo {
    wrong: String,
    right: String,
    template: Template,
}

static TYPOS: LazyLock<Vec<Typo>> = LazyLock::new(|| {
    let mut out = Vec::new();
    // Whether the typo of a name suggests the name, found once per name.
    let mut means: HashMap<String, bool> = HashMap::new();
    for t in TEMPLATES.iter() {
        let Some(Part::Text(head)) = t.parts.get(1) else {
            continue;
        };
        let name = head.as_str();
        if name.len() < 5 || !name.bytes().all(|b| b.is_ascii_lowercase()) {
            continue;
        }
        // Drop a letter in the middle: "fileinto" -> "filinto".
        let mid = name.len() / 2;
        let wrong = format!("{}{}", &name[..mid], &name[mid + 1..]);
        let mut template = t.clone();
        template.parts[1] = Part::Text(wrong.clone());
        let probe = render(&template, &mut std::iter::repeat("x"));
        let suggested = *means.entry(wrong.clone()).or_insert_with(|| {
            lint(&probe)
                .diagnostics
                .iter()
                .any(|d| d.help.as_deref() == Some(&format!("did you mean `{name}`?")))
        });
        if suggested {
            out.push(Typo {
                wrong,
                right: name.to_owned(),
                template,
            });
        }
    }
    // A tag one letter off.
    for (wrong, right, line) in [
        ("copi", "copy", "fileinto :copi \"A\";"),
        ("flgs", "flags", "keep :flgs \"\\\\Seen\";"),
        ("contans", "contains", "if body :contans \"x\" { discard; }"),
    ] {
        out.push(Typo {
            wrong: format!(":{wrong}"),
            right: format!(":{right}"),
            template: text(line),
        });
    }
    out
});

fn render<'a>(t: &Template, values: &mut impl Iterator<Item = &'a str>) -> String {
    let mut s = String::new();
    for p in &t.parts {
        match p {
            Part::Text(x) => s.push_str(x),
            Part::Value(kind) => {
                let v = values.next().unwrap_or("x");
                match kind {
                    ArgKind::Number => s.push('1'),
                    ArgKind::String => s.push_str(&format!("\"{v}\"")),
                    ArgKind::StringList => s.push_str(&format!("[\"{v}\", \"y\"]")),
                }
            }
        }
    }
    s
}

/// Replaces each typo, as a whole word, by the name it means.
fn correct(src: &str, typos: &[Typo]) -> String {
    let mut s = src.to_owned();
    for t in typos {
        let mut out = String::with_capacity(s.len());
        let mut rest = s.as_str();
        while let Some(i) = rest.find(&t.wrong) {
            let before = rest[..i].chars().next_back();
            let after = rest[i + t.wrong.len()..].chars().next();
            // A whole name: not inside a string, a longer name or a tag.
            let inner =
                |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || "_\":".contains(c));
            let whole = (t.wrong.starts_with(':') || !inner(before)) && !inner(after);
            out.push_str(&rest[..i]);
            out.push_str(if whole { &t.right } else { &t.wrong });
            rest = &rest[i + t.wrong.len()..];
        }
        out.push_str(rest);
        s = out;
    }
    s
}

/// Every capability the catalog has, and some it has not.
static CAPABILITIES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut v: Vec<String> = sieve_lint::ext::EXTENSIONS
        .iter()
        .map(|e| e.capability.to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    v.extend(["vnd.dovecot.pipe", "x-unknown"].map(str::to_owned));
    v
});

#[derive(Debug, Clone)]
struct Case {
    script: String,
    typos: Vec<Typo>,
}

fn case() -> impl Strategy<Value = Case> {
    let caps = prop::collection::vec(
        (
            prop::sample::select(CAPABILITIES.clone()),
            any::<bool>(),
            0usize..3,
        ),
        0..10,
    );
    let body = prop::collection::vec(
        (
            prop::sample::select(TEMPLATES.clone()),
            prop::collection::vec(prop::sample::select(STRINGS), 4),
        ),
        0..8,
    );
    let typos = prop::collection::vec(
        (
            prop::sample::select(TYPOS.clone()),
            prop::collection::vec(prop::sample::select(STRINGS), 4),
        ),
        0..3,
    );
    let comment = any::<bool>();
    (caps, body, typos, comment).prop_map(|(caps, body, typos, comment)| {
        // Up to three leading requires; a capability may repeat, in another
        // case; a comment may stand between them.
        let mut groups: Vec<Vec<String>> = vec![Vec::new(); 3];
        for (cap, upper, group) in caps {
            let cap = if upper { cap.to_ascii_uppercase() } else { cap };
            groups[group].push(format!("\"{cap}\""));
        }
        let mut script = String::new();
        for (i, g) in groups.iter().filter(|g| !g.is_empty()).enumerate() {
            if comment && i > 0 {
                script.push_str("# why\n");
            }
            match g.as_slice() {
                [one] => script.push_str(&format!("require {one};\n")),
                many => script.push_str(&format!("require [{}];\n", many.join(", "))),
            }
        }
        let mut lines: Vec<String> = body
            .iter()
            .map(|(t, values)| render(t, &mut values.iter().copied()))
            .collect();
        for (t, values) in &typos {
            lines.push(render(&t.template, &mut values.iter().copied()));
        }
        let typos = typos.into_iter().map(|(t, _)| t).collect();
        for l in lines {
            script.push_str(&l);
            script.push('\n');
        }
        Case { script, typos }
    })
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(400);
    ProptestConfig {
        cases,
        rng_seed: match std::env::var("PROPTEST_RNG_SEED").as_deref() {
            Ok("random") => RngSeed::Random,
            _ => RngSeed::Fixed(0x0F1C_5AFE),
        },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fixing_a_generated_script_adds_no_diagnostic_and_keeps_its_meaning(c in case()) {
        let fixed = fixed_safely("t.sieve", &c.script)
            .map_err(|e| TestCaseError::fail(format!("{e}\n--- script:\n{}", c.script)))?;
        let Some(fixed) = fixed else { return Ok(()) };
        let before = missing_requires(&correct(&c.script, &c.typos));
        let after = missing_requires(&correct(&fixed, &c.typos));
        let new: Vec<&String> = after.iter().filter(|m| !before.contains(m)).collect();
        prop_assert!(
            new.is_empty(),
            "after fixing, correcting the typos needs {new:?}\n--- script:\n{}\n--- fixed:\n{fixed}",
            c.script
        );
    }
}

#[test]
fn the_corpus_has_what_it_claims() {
    assert!(TEMPLATES.len() > 150, "{} templates", TEMPLATES.len());
    assert!(TYPOS.len() > 100, "{} typos", TYPOS.len());
    assert!(TYPOS.iter().any(|t| t.wrong == "filento"), "{TYPOS:?}");
    assert_eq!(
        correct(
            "require \"fileinto\";\nfilento \"filento\";\nfileinto :copi \"A\";\n",
            &TYPOS
        ),
        "require \"fileinto\";\nfileinto \"filento\";\nfileinto :copy \"A\";\n"
    );
}

/// The cases this test was written for, as plain tests.
#[test]
fn the_reported_cases_are_fixed_safely() {
    for src in [
        "require [\"imap4flags\", \"variables\"];\naddflag \"f\" \"\\\\Seen\";\n",
        "require [\"variables\", \"include\"];\nset \"global.a\" \"1\";\n",
        "require \"fileinto\";\nfilinto \"x\";\n",
        "require [\"fileinto\", \"copy\"];\nfileinto :copi \"x\";\n",
    ] {
        let out = sieve_lint::fix::fix_bytes("t.sieve", src.as_bytes(), &CheckOptions::default());
        assert_eq!(out.fixed, None, "{src}");
    }
}
