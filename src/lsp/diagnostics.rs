//! Linting a document and turning its findings into LSP diagnostics, with
//! the settings of the nearest `sieve-lint.toml` above the document's file
//! (as `check` finds them: [`Config::discover`], [`Config::load`],
//! [`Config::check_options`]).

use super::document::{Encoding, Text};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::profiles::Profile;
use crate::{CheckOptions, FileReport};
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location, NumberOrString, Uri,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// The `source` of every diagnostic.
pub const SOURCE: &str = "sieve-lint";

/// The file path of a `file:` URI.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    let url = url::Url::parse(uri.as_str()).ok()?;
    if url.scheme() != "file" {
        return None;
    }
    url.to_file_path().ok()
}

/// A loaded settings file, kept while its modification time is the same
/// (an edited `sieve-lint.toml` is read again at the next lint).
struct Loaded {
    modified: Option<SystemTime>,
    options: Result<Arc<CheckOptions>, String>,
}

/// Check options per settings file.
pub struct Settings {
    /// `initializationOptions.target`: overrides every file's target.
    target: Option<&'static Profile>,
    by_file: HashMap<PathBuf, Loaded>,
    /// For documents without a settings file.
    default: Arc<CheckOptions>,
}

impl Settings {
    pub fn new(target: Option<&'static Profile>) -> Settings {
        Settings {
            target,
            by_file: HashMap::new(),
            default: Arc::new(Config::default().check_options(target)),
        }
    }

    /// Forgets every loaded settings file: the next lint reads them (and
    /// their list files) again.
    pub fn forget(&mut self) {
        self.by_file.clear();
    }

    /// The options for a document at `path` (`None`: not a file), and the
    /// problem with its settings file if it could not be loaded (the
    /// defaults are used then).
    pub fn options(&mut self, path: Option<&Path>) -> (Arc<CheckOptions>, Option<String>) {
        let Some(file) = path.and_then(Path::parent).and_then(Config::discover) else {
            return (self.default.clone(), None);
        };
        let modified = std::fs::metadata(&file).and_then(|m| m.modified()).ok();
        let stale = self
            .by_file
            .get(&file)
            .is_none_or(|l| l.modified != modified || modified.is_none());
        if stale {
            let options = Config::load(&file)
                .map_err(|e| e.to_string())
                .and_then(|config| {
                    let mut options = config.check_options(self.target);
                    options.lists = config.load_lists().map_err(|e| e.to_string())?;
                    // `server = "sieve://…"`: read once per server per
                    // process (cached), never per keystroke; never prompts.
                    if self.target.is_none()
                        && let Some(url) = &config.server
                    {
                        crate::profiles::live::cached(url, &lsp_connect())?.apply(&mut options);
                    }
                    Ok(Arc::new(options))
                });
            self.by_file
                .insert(file.clone(), Loaded { modified, options });
        }
        match &self.by_file[&file].options {
            Ok(o) => (o.clone(), None),
            Err(e) => (self.default.clone(), Some(e.clone())),
        }
    }
}

/// How the language server reaches a ManageSieve server: as `check` does,
/// but never asking for a password (standard input is the LSP channel).
pub fn lsp_connect() -> crate::profiles::live::Connect {
    crate::profiles::live::Connect {
        options: crate::managesieve::Options::default(),
        prompt: false,
    }
}

/// Lints a document's text as `check` lints the file: with the file's
/// path when it has one (`include` looks beside it), else by its URI.
pub fn lint(uri: &Uri, text: &str, options: &CheckOptions) -> FileReport {
    match file_path(uri) {
        Some(path) => {
            let name = path.display().to_string();
            crate::lint_file(&name, &path, text.as_bytes().to_vec(), options)
        }
        None => crate::lint(uri.as_str(), text, options),
    }
}

/// Rules whose findings are code that does nothing: editors grey it out.
fn unnecessary(d: &Diagnostic) -> bool {
    matches!(d.name, "unused-require" | "code-after-stop")
}

/// One finding as an LSP diagnostic: the rule code as `code`, the rule
/// name (and help, when there is one) in `data`, the secondary labels as
/// related information.
pub fn to_lsp(d: &Diagnostic, uri: &Uri, text: &Text, enc: Encoding) -> lsp_types::Diagnostic {
    let severity = match d.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .map(|l| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), text.range(l.span, enc)),
            message: l.message.clone(),
        })
        .collect();
    let mut data = serde_json::json!({ "name": d.name });
    if let Some(help) = &d.help {
        data["help"] = help.clone().into();
    }
    if let Some(rfc) = d.rfc {
        data["rfc"] = rfc.into();
    }
    lsp_types::Diagnostic {
        range: text.range(d.span, enc),
        severity: Some(severity),
        code: Some(NumberOrString::String(d.code.to_owned())),
        code_description: None,
        source: Some(SOURCE.to_owned()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: unnecessary(d).then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: Some(data),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    /// Codes, names, severities and messages are those of `check`; labels
    /// become related information; unused-require is "unnecessary".
    #[test]
    fn findings_keep_check_s_content() {
        let src = "require \"fileinto\";\r\nrequire \"fileinto\";\r\n# Iván 😀\r\nstop;\r\n";
        let u = uri("untitled:Untitled-1");
        let report = lint(&u, src, &CheckOptions::default());
        let text = Text::new(src.to_owned());
        let all: Vec<_> = report
            .diagnostics
            .iter()
            .map(|d| to_lsp(d, &u, &text, Encoding::Utf16))
            .collect();
        assert!(!all.is_empty());
        for (d, l) in report.diagnostics.iter().zip(&all) {
            assert_eq!(l.code, Some(NumberOrString::String(d.code.to_owned())));
            assert_eq!(l.message, d.message);
            assert_eq!(l.data.as_ref().unwrap()["name"], d.name);
            assert_eq!(l.range, text.range(d.span, Encoding::Utf16));
            assert_eq!(
                l.tags.is_some(),
                d.name == "unused-require" || d.name == "code-after-stop"
            );
            assert_eq!(
                l.related_information.as_ref().map_or(0, Vec::len),
                d.labels.len()
            );
        }
        assert!(all.iter().any(|l| l.tags.is_some()), "{all:#?}");
    }

    #[test]
    fn only_file_uris_have_paths() {
        assert_eq!(
            file_path(&uri("file:///tmp/a%20b.sieve")),
            Some(PathBuf::from("/tmp/a b.sieve"))
        );
        assert_eq!(file_path(&uri("untitled:Untitled-1")), None);
    }

    /// The nearest settings file gives the target; a broken one is said and
    /// the defaults used; an edited one is read again.
    #[test]
    fn settings_come_from_the_nearest_file() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        let conf = dir.path().join("a/sieve-lint.toml");
        std::fs::write(&conf, "target = \"dovecot-2.3\"\n").unwrap();
        let mut s = Settings::new(None);
        let (o, e) = s.options(Some(&sub.join("x.sieve")));
        assert_eq!((o.target().id, e), ("dovecot-2.3", None));
        // An initializationOptions target wins.
        let mut over = Settings::new(crate::profiles::find("cyrus-3"));
        assert_eq!(
            over.options(Some(&sub.join("x.sieve"))).0.target().id,
            "cyrus-3"
        );
        std::fs::write(&conf, "target = \"nope\"\n").unwrap();
        // The modification time may not change within the clock's grain.
        let later = SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::File::options()
            .write(true)
            .open(&conf)
            .unwrap()
            .set_modified(later)
            .unwrap();
        let (o, e) = s.options(Some(&sub.join("x.sieve")));
        assert_eq!(o.target().id, "rfc");
        assert!(e.unwrap().contains("unknown target"));
        let (o, e) = s.options(Some(&dir.path().join("y.sieve")));
        assert_eq!((o.target().id, e), ("rfc", None));
    }
}
