//! `check --format sarif` against SARIF 2.1.0: the official OASIS schema
//! (vendored as `tests/data/sarif-schema-2.1.0.json`), and by hand the
//! fields the schema requires and the links it cannot express (a result's
//! `ruleId` and `ruleIndex` name the same rule, regions are 1-based and
//! ordered).

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use sieve_lint::rules::RULES;
use std::path::PathBuf;

fn scripts() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cmd/scripts")
}

fn sarif(args: &[&str], stdin: &[u8], code: i32) -> Value {
    let out = cargo_bin_cmd!("sieve-lint")
        .current_dir(scripts())
        .args(["check", "--format", "sarif"])
        .args(args)
        .write_stdin(stdin)
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("stdout is one JSON document")
}

fn schema_validator() -> jsonschema::Validator {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path).expect("the vendored SARIF schema");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn schema_errors(validator: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Every output this test produces, with the scripts behind it.
fn outputs() -> Vec<(&'static str, Value)> {
    vec![
        ("mixed.sieve", sarif(&["mixed.sieve"], b"", 1)),
        ("three.sieve", sarif(&["three.sieve"], b"", 1)),
        ("warnings.sieve", sarif(&["warnings.sieve"], b"", 0)),
        ("clean.sieve", sarif(&["clean.sieve"], b"", 0)),
        (
            "stdin",
            sarif(
                &["--stdin-filename", "my filters/Pöst #1.sieve", "-"],
                "frob;\n".as_bytes(),
                1,
            ),
        ),
    ]
}

#[test]
fn output_is_valid_against_the_official_sarif_2_1_0_schema() {
    let validator = schema_validator();
    for (name, doc) in outputs() {
        let errors = schema_errors(&validator, &doc);
        assert!(errors.is_empty(), "{name}: {errors:#?}\n{doc:#}");
    }
}

/// The schema check is real: it rejects what SARIF forbids.
#[test]
fn the_schema_rejects_broken_logs() {
    let validator = schema_validator();
    let good = sarif(&["three.sieve"], b"", 1);
    assert!(schema_errors(&validator, &good).is_empty());

    let mut no_message = good.clone();
    no_message["runs"][0]["results"][0]
        .as_object_mut()
        .expect("a result object")
        .remove("message");
    assert!(!schema_errors(&validator, &no_message).is_empty());

    let mut bad_level = good.clone();
    bad_level["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!schema_errors(&validator, &bad_level).is_empty());

    let mut zero_line = good.clone();
    zero_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!schema_errors(&validator, &zero_line).is_empty());

    let mut bad_version = good;
    bad_version["version"] = "2.0.0".into();
    assert!(!schema_errors(&validator, &bad_version).is_empty());
}

fn text<'a>(v: &'a Value, what: &str) -> &'a str {
    v.as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| panic!("{what} is not a non-empty string: {v}"))
}

fn int(v: &Value, what: &str) -> u64 {
    v.as_u64()
        .unwrap_or_else(|| panic!("{what} is not an integer: {v}"))
}

/// The region of a physical location: 1-based, and its end not before its start.
fn check_region(loc: &Value) -> (u64, u64, u64, u64) {
    let p = &loc["physicalLocation"];
    text(&p["artifactLocation"]["uri"], "artifactLocation.uri");
    let r = &p["region"];
    let (sl, sc) = (
        int(&r["startLine"], "startLine"),
        int(&r["startColumn"], "startColumn"),
    );
    let (el, ec) = (
        int(&r["endLine"], "endLine"),
        int(&r["endColumn"], "endColumn"),
    );
    assert!(
        sl >= 1 && sc >= 1 && el >= 1 && ec >= 1,
        "0-based region {r}"
    );
    assert!((el, ec) >= (sl, sc), "region ends before it starts: {r}");
    (sl, sc, el, ec)
}

#[test]
fn output_has_the_fields_sarif_requires_and_consistent_links() {
    for (name, doc) in outputs() {
        assert_eq!(doc["version"], "2.1.0", "{name}");
        assert_eq!(
            doc["$schema"],
            "https://json.schemastore.org/sarif-2.1.0.json"
        );
        let runs = doc["runs"].as_array().expect("runs is an array");
        assert_eq!(runs.len(), 1, "{name}");
        let run = &runs[0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "sieve-lint");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        assert!(driver.get("informationUri").is_none());

        let rules = driver["rules"]
            .as_array()
            .expect("driver.rules is an array");
        assert_eq!(rules.len(), RULES.len(), "every rule is listed");
        for (rule, registered) in rules.iter().zip(RULES) {
            let info = registered.info();
            assert_eq!(text(&rule["id"], "rule id"), info.code);
            assert_eq!(rule["name"], info.name);
            assert_eq!(
                text(&rule["shortDescription"]["text"], "short"),
                info.summary
            );
            let full = text(&rule["fullDescription"]["text"], "fullDescription");
            assert_eq!(full, info.doc_text());
            assert_eq!(rule["help"]["text"], full);
            assert_eq!(rule["help"]["markdown"], full);
            assert!(rule.get("helpUri").is_none());
            let level = &rule["defaultConfiguration"]["level"];
            assert_eq!(
                level.as_str(),
                Some(match info.severity.as_str() {
                    "info" => "note",
                    other => other,
                })
            );
            assert_eq!(rule["properties"]["rfc"].as_str(), info.rfc());
        }

        let results = run["results"].as_array().expect("results is an array");
        for result in results {
            text(&result["message"]["text"], "message.text");
            let id = text(&result["ruleId"], "ruleId");
            let index = int(&result["ruleIndex"], "ruleIndex") as usize;
            assert_eq!(rules[index]["id"], id, "ruleIndex names another rule");
            let level = result["level"].as_str().expect("level");
            assert!(
                ["none", "note", "warning", "error"].contains(&level),
                "level {level}"
            );
            let locations = result["locations"].as_array().expect("locations");
            assert_eq!(locations.len(), 1);
            check_region(&locations[0]);
            for related in result["relatedLocations"].as_array().into_iter().flatten() {
                check_region(related);
                text(&related["message"]["text"], "relatedLocation message");
            }
        }
        if name == "clean.sieve" {
            assert_eq!(run["results"], Value::Array(Vec::new()), "clean: []");
        }
        assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    }
}

/// Errors, warnings and a note from one script, located in code points
/// on a line where UTF-16 columns would differ (📬 is two UTF-16 units).
#[test]
fn results_are_located_in_code_points() {
    let doc = sarif(&["mixed.sieve"], b"", 1);
    let results = doc["runs"][0]["results"].as_array().expect("results");
    let levels: Vec<&str> = results.iter().filter_map(|r| r["level"].as_str()).collect();
    for level in ["error", "warning", "note"] {
        assert!(levels.contains(&level), "no {level} in {levels:?}");
    }

    let source = std::fs::read_to_string(scripts().join("mixed.sieve")).expect("mixed.sieve");
    let (line_no, line) = source
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("frob"))
        .expect("the frob line");
    let byte = line.find("frob").expect("frob");
    let chars = line[..byte].chars().count() as u64 + 1;
    let utf16 = line[..byte].encode_utf16().count() as u64 + 1;
    assert_ne!(chars, utf16, "the line must tell the two apart");

    let frob = results
        .iter()
        .find(|r| r["ruleId"] == "SL0206")
        .expect("unknown command frob");
    let (sl, sc, el, ec) = check_region(&frob["locations"][0]);
    assert_eq!((sl, sc, el, ec), (line_no as u64 + 1, chars, sl, chars + 4));
    assert_eq!(
        frob["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "mixed.sieve"
    );
}

#[test]
fn the_artifact_uri_is_a_percent_encoded_uri_reference() {
    let doc = sarif(
        &["--stdin-filename", "my filters/Pöst #1.sieve", "-"],
        b"frob;\n",
        1,
    );
    let uri = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "my%20filters/P%C3%B6st%20%231.sieve");
    let base = url::Url::parse("file:///repo/").expect("base URL");
    let joined = base.join(text(uri, "uri")).expect("a URI reference");
    assert_eq!(joined.path(), "/repo/my%20filters/P%C3%B6st%20%231.sieve");
}
