//! SARIF 2.1.0 (OASIS), the format code-scanning services read: one run
//! whose driver lists every rule, and one result per diagnostic.
//!
//! Columns count characters (Unicode code points), as everywhere else in
//! sieve-lint; the run says so with `columnKind: "unicodeCodePoints"`
//! (SARIF's default would be UTF-16 code units).

use super::Summary;
use crate::FileReport;
use crate::diagnostic::{LineIndex, Severity};
use crate::rules::{RULES, RuleInfo};
use crate::syntax::ast::Span;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, Write};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const VERSION: &str = "2.1.0";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation; 1],
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RuleProperties>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    rfc: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<TextRef<'a>>,
}

#[derive(Serialize)]
struct TextRef<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    /// The column after the region's last character (SARIF §3.30.8).
    end_column: usize,
}

/// SARIF's name for a severity: SARIF 2.1.0 §3.27.10 names the levels
/// "error", "warning" and "note" (sieve-lint's "info").
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn descriptor(info: &RuleInfo) -> ReportingDescriptor {
    let doc = info.doc_text();
    ReportingDescriptor {
        id: info.code,
        name: info.name,
        short_description: Text {
            text: info.summary.to_owned(),
        },
        full_description: Text { text: doc.clone() },
        help: Help {
            text: doc.clone(),
            markdown: doc,
        },
        default_configuration: Configuration {
            level: level(info.severity),
        },
        properties: info.rfc().map(|rfc| RuleProperties { rfc }),
    }
}

/// A path as a URI reference (RFC 3986), as SARIF's `artifactLocation.uri`
/// requires: backslashes become slashes, absolute paths become `file:`
/// URIs, and every byte outside the unreserved set and `/` is
/// percent-encoded (so a `:` cannot be read as a scheme).
pub fn artifact_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len() + 8);
    let is_drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    let rest = if path.starts_with("//") {
        // A UNC path, //server/share/…: the server is the authority.
        out.push_str("file:");
        path.as_str()
    } else if path.starts_with('/') {
        out.push_str("file://");
        path.as_str()
    } else if is_drive {
        out.push_str("file:///");
        out.push_str(&path[..2]);
        &path[2..]
    } else {
        path.as_str()
    };
    for b in rest.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn region(index: &LineIndex, text: &str, span: Span) -> Region {
    let (start_line, start_column) = index.line_col(text, span.start());
    let (end_line, end_column) = index.line_col(text, span.end().max(span.start()));
    Region {
        start_line,
        start_column,
        end_line,
        end_column,
    }
}

pub fn render(reports: &[FileReport], summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<ReportingDescriptor> = RULES.iter().map(|r| descriptor(r.info())).collect();
    let uris: Vec<String> = reports.iter().map(|r| artifact_uri(&r.path)).collect();
    let mut results = Vec::new();
    for (r, uri) in reports.iter().zip(&uris) {
        if r.diagnostics.is_empty() {
            continue;
        }
        let index = LineIndex::new(&r.source);
        let at = |span: Span| PhysicalLocation {
            artifact_location: ArtifactLocation { uri },
            region: region(&index, &r.source, span),
        };
        for d in &r.diagnostics {
            let message = match &d.help {
                Some(help) => format!("{}\nhelp: {help}", d.message),
                None => d.message.clone(),
            };
            results.push(SarifResult {
                rule_id: d.code,
                rule_index: RULES.iter().position(|rule| rule.info().code == d.code),
                level: level(d.severity),
                message: Text { text: message },
                locations: [Location {
                    id: None,
                    physical_location: at(d.span),
                    message: d.label.as_deref().map(|text| TextRef { text }),
                }],
                related_locations: d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| Location {
                        id: Some(i),
                        physical_location: at(l.span),
                        message: Some(TextRef { text: &l.message }),
                    })
                    .collect(),
            });
        }
    }
    let log = Log {
        schema: SCHEMA,
        version: VERSION,
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "sieve-lint",
                    version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            invocations: [Invocation {
                execution_successful: summary.unreadable == 0,
            }],
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    // `From` keeps the kind of an I/O error (a closed pipe stays `BrokenPipe`).
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_stay_relative_and_are_percent_encoded() {
        assert_eq!(artifact_uri("filters/main.sieve"), "filters/main.sieve");
        assert_eq!(
            artifact_uri("my filters/ä.sieve"),
            "my%20filters/%C3%A4.sieve"
        );
        assert_eq!(artifact_uri("a:b#1%.sieve"), "a%3Ab%231%25.sieve");
        assert_eq!(artifact_uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(artifact_uri(r"dir\sub\x.siv"), "dir/sub/x.siv");
    }

    #[test]
    fn absolute_paths_become_file_uris() {
        assert_eq!(
            artifact_uri("/home/me/a b.sieve"),
            "file:///home/me/a%20b.sieve"
        );
        assert_eq!(
            artifact_uri(r"C:\Users\me\x.sieve"),
            "file:///C:/Users/me/x.sieve"
        );
        assert_eq!(
            artifact_uri(r"\\server\share\x.sieve"),
            "file://server/share/x.sieve"
        );
    }

    #[test]
    fn levels_are_sarif_levels() {
        assert_eq!(level(Severity::Error), "error");
        assert_eq!(level(Severity::Warning), "warning");
        assert_eq!(level(Severity::Info), "note");
    }

    #[test]
    fn columns_are_code_points_and_end_is_exclusive() {
        let text = "# 📬\nif x 📬 frob;\n";
        let index = LineIndex::new(text);
        let start = text.find("frob").unwrap_or(0);
        let r = region(&index, text, Span::new(start, start + 4));
        assert_eq!(
            (r.start_line, r.start_column, r.end_line, r.end_column),
            (2, 8, 2, 12)
        );
    }
}
