//! Every rule's documentation is executable: the `## Example` block must
//! trigger the rule and the `## Use instead` block must not, so the docs
//! (`sieve-lint explain`) cannot drift from what the checker does.

use sieve_lint::CheckOptions;
use sieve_lint::rules::RULES;

/// The first ```sieve block after a heading.
fn block_after(doc: &str, heading: &str) -> Option<String> {
    let start = doc.find(heading)? + heading.len();
    let rest = &doc[start..];
    let end_of_section = rest.find("\n## ").unwrap_or(rest.len());
    let section = &rest[..end_of_section];
    let open = section.find("```sieve\n")? + "```sieve\n".len();
    let close = section[open..].find("```")?;
    Some(section[open..open + close].to_owned())
}

/// Rules whose example needs an option the CLI would pass. An example
/// whose first line is `# sieve-lint --target SERVER` is checked against
/// that server's profile.
fn options_for(rule: &str, example: &str) -> CheckOptions {
    let mut o = CheckOptions::default();
    if let Some(target) = example
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# sieve-lint --target "))
    {
        o.target = Some(
            sieve_lint::profiles::find(target.trim())
                .unwrap_or_else(|| panic!("{rule}: unknown target {target}")),
        );
    }
    match rule {
        "unsupported-list-scheme" => o.list_schemes = Some(vec!["urn".into(), "tag".into()]),
        "unknown-list" => {
            let dir = std::env::temp_dir().join(format!("sieve-lint-docs-{}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("temp dir");
            let file = dir.join("lists.json");
            std::fs::write(
                &file,
                r#"{"tag:example.com,2024:vip": ["boss@example.com"]}"#,
            )
            .expect("write lists");
            let mut set = sieve_lint::lists::ListSet::default();
            set.load_map_file(&file).expect("load lists");
            o.lists = Some(set);
            let _ = std::fs::remove_dir_all(&dir);
        }
        _ => {}
    }
    o
}

/// Rules that look at the files beside the script: their examples are
/// linted as `main.sieve` in a folder of their own.
const FILE_EXAMPLES: &[&str] = &["missing-include", "recursive-include"];

fn lint_example(
    rule: &str,
    kind: &str,
    text: &str,
    options: &CheckOptions,
) -> sieve_lint::FileReport {
    if !FILE_EXAMPLES.contains(&rule) {
        return sieve_lint::lint(&format!("{kind}.sieve"), text, options);
    }
    let dir = std::env::temp_dir().join(format!(
        "sieve-lint-docs-{}-{rule}-{kind}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("main.sieve");
    std::fs::write(&file, text).expect("write example");
    let report = sieve_lint::lint_file("main.sieve", &file, text.as_bytes().to_vec(), options);
    let _ = std::fs::remove_dir_all(&dir);
    report
}

/// Rules whose example cannot be a Sieve snippet (raw bytes).
const PROSE_EXAMPLES: &[&str] = &["invalid-utf8", "nesting-too-deep", "script-too-large"];

/// Rules reported from a ManageSieve server's answer: tests/managesieve.rs
/// shows them against its fake server.
const SERVER_EXAMPLES: &[&str] = &["server-error", "server-warning", "server-disagrees"];

#[test]
fn every_documented_example_behaves_as_documented() {
    let mut checked = 0;
    for rule in RULES {
        let info = rule.info();
        let doc = info.doc_text();
        let example = block_after(&doc, "## Example");
        let fixed = block_after(&doc, "## Use instead");
        if PROSE_EXAMPLES.contains(&info.name) || SERVER_EXAMPLES.contains(&info.name) {
            continue;
        }
        let example =
            example.unwrap_or_else(|| panic!("{}: no ```sieve block under ## Example", info.name));
        let fixed = fixed
            .unwrap_or_else(|| panic!("{}: no ```sieve block under ## Use instead", info.name));
        let options = options_for(info.name, &example);

        let bad = lint_example(info.name, "example", &example, &options);
        assert!(
            bad.diagnostics.iter().any(|d| d.name == info.name),
            "{}: its documented example does not trigger it:\n{example}\ngot: {:#?}",
            info.name,
            bad.diagnostics
                .iter()
                .map(|d| (d.name, &d.message))
                .collect::<Vec<_>>()
        );
        let good = lint_example(info.name, "fixed", &fixed, &options);
        assert!(
            !good.diagnostics.iter().any(|d| d.name == info.name),
            "{}: its documented fix still triggers it:\n{fixed}",
            info.name
        );
        checked += 1;
    }
    assert!(checked + PROSE_EXAMPLES.len() + SERVER_EXAMPLES.len() == RULES.len());
}
