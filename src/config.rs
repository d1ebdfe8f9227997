//! `sieve-lint.toml`: the project's settings — target server, capabilities,
//! list schemes and files, per-rule severity, limits, include/exclude
//! globs. Each file takes the nearest one in its folder or above
//! ([`Config::discover`], cached per folder by the command line);
//! command-line options override it. Every mistake in the file (unknown
//! key, bad value, unknown rule or target) is an error with the file's
//! line and column.

use crate::profiles::{self, Profile};
use crate::rules::RuleLevel;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The file name searched for.
pub const FILE_NAME: &str = "sieve-lint.toml";

/// A problem with the configuration file: where, and what.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read '{path}': {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

/// Limits a project may set; `None`: the default (or the target's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LimitSettings {
    /// Scripts larger than this many bytes are reported (warning).
    pub max_script_size: Option<usize>,
    /// Blocks or tests nested this deep are reported (warning).
    pub max_nesting: Option<usize>,
    /// Dry run: actions per message.
    pub max_actions: Option<usize>,
    /// Dry run: redirects per message.
    pub max_redirects: Option<usize>,
    /// Dry run: addresses `redirect :list` may expand to.
    pub max_list_redirects: Option<usize>,
    /// Dry run: work per message.
    pub max_steps: Option<u64>,
    /// Dry run: include nesting.
    pub max_include_depth: Option<usize>,
    /// Dry run: bytes of an expanded string.
    pub max_string_length: Option<usize>,
    /// Dry run: distinct variables per scope.
    pub max_variables: Option<usize>,
    /// Dry run: bytes of a variable's value (longer ones are truncated).
    pub max_variable_size: Option<usize>,
    /// Dry run: the highest match variable index (`${N}`).
    pub max_match_variables: Option<usize>,
    /// Dry run: nested `foreverypart` loops.
    pub max_foreverypart_depth: Option<usize>,
}

impl LimitSettings {
    /// Each limit from `self` where set, else from `other`.
    pub fn or(&self, other: &LimitSettings) -> LimitSettings {
        LimitSettings {
            max_script_size: self.max_script_size.or(other.max_script_size),
            max_nesting: self.max_nesting.or(other.max_nesting),
            max_actions: self.max_actions.or(other.max_actions),
            max_redirects: self.max_redirects.or(other.max_redirects),
            max_list_redirects: self.max_list_redirects.or(other.max_list_redirects),
            max_steps: self.max_steps.or(other.max_steps),
            max_include_depth: self.max_include_depth.or(other.max_include_depth),
            max_string_length: self.max_string_length.or(other.max_string_length),
            max_variables: self.max_variables.or(other.max_variables),
            max_variable_size: self.max_variable_size.or(other.max_variable_size),
            max_match_variables: self.max_match_variables.or(other.max_match_variables),
            max_foreverypart_depth: self.max_foreverypart_depth.or(other.max_foreverypart_depth),
        }
    }

    /// The dry run's limits: each from `self` where set, else the target's
    /// documented one, else sieve-lint's default.
    pub fn run_limits(&self, target: &Profile) -> crate::run::Limits {
        let d = crate::run::Limits::default();
        let t = &target.limits;
        crate::run::Limits {
            max_actions: self.max_actions.or(t.max_actions).unwrap_or(d.max_actions),
            max_redirects: self
                .max_redirects
                .or(t.max_redirects)
                .unwrap_or(d.max_redirects),
            max_list_redirects: self.max_list_redirects.unwrap_or(d.max_list_redirects),
            max_steps: self.max_steps.unwrap_or(d.max_steps),
            max_include_depth: self.max_include_depth.unwrap_or(d.max_include_depth),
            max_string_length: self.max_string_length.unwrap_or(d.max_string_length),
            max_variables: self.max_variables.unwrap_or(d.max_variables),
            max_variable_size: self.max_variable_size.unwrap_or(d.max_variable_size),
            max_match_variables: self.max_match_variables.unwrap_or(d.max_match_variables),
            max_foreverypart_depth: self
                .max_foreverypart_depth
                .unwrap_or(d.max_foreverypart_depth),
        }
    }
}

/// The file as written (spans kept where values are checked afterwards).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    target: Option<Spanned<String>>,
    /// `sieve://[user@]host[:port]`: read the target from that server.
    server: Option<Spanned<String>>,
    list_schemes: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    lists: Vec<String>,
    #[serde(default)]
    list: std::collections::BTreeMap<String, String>,
    /// Address book name → CardDAV collection or LDAP URL (issue 16).
    #[serde(default)]
    addrbooks: std::collections::BTreeMap<String, Spanned<String>>,
    include: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    capabilities: RawCapabilities,
    #[serde(default)]
    rules: std::collections::BTreeMap<Spanned<String>, RuleLevel>,
    #[serde(default)]
    limits: LimitSettings,
    /// Where `include :global` finds scripts: a folder or a list of them.
    include_dir: Option<OneOrMany>,
}

/// A string or a list of strings.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCapabilities {
    #[serde(default)]
    add: Vec<Spanned<String>>,
    #[serde(default)]
    remove: Vec<Spanned<String>>,
}

/// A loaded, validated configuration.
#[derive(Debug, Default)]
pub struct Config {
    /// The file it came from (`None`: no file).
    pub path: Option<PathBuf>,
    pub target: Option<&'static Profile>,
    /// `target = "FILE"`: the profile file it names, read.
    pub target_file: Option<&'static profiles::live::ServerProfile>,
    /// `server = "sieve://…"`: the ManageSieve server whose capabilities
    /// are the target (RFC 5804; checked to be a sieve URL).
    pub server: Option<String>,
    /// Capabilities the server has beyond its profile, lower case.
    pub capabilities_added: Vec<String>,
    /// Capabilities of the profile the server lacks, lower case.
    pub capabilities_removed: Vec<String>,
    pub list_schemes: Option<Vec<String>>,
    /// List files (`lists`), resolved from the settings file's folder.
    pub lists: Vec<PathBuf>,
    /// One-list files (`[list]`), resolved from the settings file's folder.
    pub list: Vec<(String, PathBuf)>,
    /// Live address books (`[addrbooks]`): `:addrbook:NAME` is read from
    /// the URL (CardDAV or LDAP; see [`crate::lists::remote`]).
    pub addrbooks: Vec<crate::lists::remote::Addrbook>,
    /// Rule code → level.
    pub rules: Vec<(&'static str, RuleLevel)>,
    pub limits: LimitSettings,
    /// Files a folder search lints (default `*.sieve`, `*.siv`).
    pub include: Option<globset::GlobSet>,
    pub exclude: Option<globset::GlobSet>,
    /// Folders where `include :global` finds scripts (`include-dir`),
    /// resolved from the settings file's folder.
    pub include_dirs: Vec<PathBuf>,
}

impl Config {
    /// Finds `sieve-lint.toml` in `start` or the nearest folder above it.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    /// Reads and validates a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text =
            crate::files::read_regular_to_string(path).map_err(|source| ConfigError::Read {
                path: path.to_owned(),
                source,
            })?;
        Config::parse(path, &text)
    }

    /// Validates a configuration given as text; `path` names it in errors
    /// and relative paths in it are resolved from its folder.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let err = |span: std::ops::Range<usize>, message: String| {
            let (line, column) = line_column(text, span.start);
            ConfigError::Invalid {
                path: path.to_owned(),
                line,
                column,
                message,
            }
        };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().to_owned();
            err(e.span().unwrap_or(0..0), message)
        })?;
        let base = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(PathBuf::new, Path::to_path_buf);

        let mut target_file = None;
        let target = match &raw.target {
            None => None,
            Some(t) => match profiles::find(t.get_ref()) {
                Some(p) => Some(p),
                // A profile file (--save-profile), relative to this file.
                None if t.get_ref().ends_with(".toml") || t.get_ref().contains('/') => {
                    let sp = profiles::live::cached_file(&base.join(t.get_ref()))
                        .map_err(|m| err(t.span(), m))?;
                    target_file = Some(sp);
                    Some(sp.profile)
                }
                None => {
                    return Err(err(
                        t.span(),
                        format!(
                            "unknown target '{}'; expected one of {}, or a profile file",
                            t.get_ref(),
                            profiles::ids()
                        ),
                    ));
                }
            },
        };
        let server = match &raw.server {
            None => None,
            Some(u) => {
                if raw.target.is_some() {
                    return Err(err(u.span(), "give `target` or `server`, not both".into()));
                }
                crate::managesieve::ServerUrl::parse(u.get_ref()).map_err(|m| err(u.span(), m))?;
                Some(u.get_ref().clone())
            }
        };
        let list_schemes = match raw.list_schemes {
            None => None,
            Some(s) => {
                let span = s.span();
                Some(
                    parse_schemes(&s.into_inner().join(","))
                        .map_err(|m| err(span, format!("list-schemes: {m}")))?,
                )
            }
        };
        let mut rules = Vec::new();
        for (key, level) in raw.rules {
            let rule = crate::rules::find(key.get_ref()).ok_or_else(|| {
                let hint = match crate::rules::suggest(key.get_ref()) {
                    Some(i) => format!("did you mean '{}' ({})?", i.name, i.code),
                    None => "`sieve-lint rules` lists them".to_owned(),
                };
                err(
                    key.span(),
                    format!("unknown rule '{}'; {hint}", key.get_ref()),
                )
            })?;
            let info = rule.info();
            if !crate::rules::is_configurable(info.code) {
                return Err(err(
                    key.span(),
                    format!(
                        "{} {} reports input sieve-lint cannot read; its severity cannot be changed",
                        info.code, info.name
                    ),
                ));
            }
            rules.retain(|(c, _)| *c != info.code);
            rules.push((info.code, level));
        }
        let capability = |c: &Spanned<String>| -> Result<String, ConfigError> {
            let v = c.get_ref().trim();
            if v.is_empty() || v.chars().any(|ch| ch.is_whitespace() || ch == '"') {
                return Err(err(c.span(), format!("'{v}' is not a capability name")));
            }
            Ok(v.to_ascii_lowercase())
        };
        let capabilities_added = raw
            .capabilities
            .add
            .iter()
            .map(capability)
            .collect::<Result<_, _>>()?;
        let capabilities_removed = raw
            .capabilities
            .remove
            .iter()
            .map(capability)
            .collect::<Result<_, _>>()?;
        let globs = |patterns: &[Spanned<String>]| -> Result<globset::GlobSet, ConfigError> {
            let mut set = globset::GlobSetBuilder::new();
            for p in patterns {
                // As in .gitignore: a pattern without `/` matches at any depth.
                let pattern = if p.get_ref().contains('/') {
                    p.get_ref().trim_start_matches('/').to_owned()
                } else {
                    format!("**/{}", p.get_ref())
                };
                let glob = globset::GlobBuilder::new(&pattern)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| err(p.span(), format!("bad glob: {}", e.kind())))?;
                set.add(glob);
            }
            set.build()
                .map_err(|e| err(0..0, format!("bad glob set: {e}")))
        };
        let include = raw.include.as_deref().map(globs).transpose()?;
        let mut addrbooks = Vec::new();
        for (book, u) in &raw.addrbooks {
            let bad = |m: String| err(u.span(), format!("addrbooks.{book}: {m}"));
            let url = url::Url::parse(u.get_ref().trim()).map_err(|e| bad(format!("{e}")))?;
            crate::lists::remote::check_url(&url).map_err(bad)?;
            let entry = crate::lists::remote::Addrbook {
                book: book.clone(),
                url,
                written: None,
            };
            entry.list_name().map_err(bad)?;
            addrbooks.push(entry);
        }
        let exclude = if raw.exclude.is_empty() {
            None
        } else {
            Some(globs(&raw.exclude)?)
        };
        Ok(Config {
            path: Some(path.to_owned()),
            target,
            target_file,
            server,
            capabilities_added,
            capabilities_removed,
            list_schemes,
            lists: raw.lists.iter().map(|l| base.join(l)).collect(),
            list: raw
                .list
                .into_iter()
                .map(|(name, file)| (name, base.join(file)))
                .collect(),
            addrbooks,
            rules,
            limits: raw.limits,
            include,
            exclude,
            include_dirs: match raw.include_dir {
                None => Vec::new(),
                Some(OneOrMany::One(d)) => vec![base.join(d)],
                Some(OneOrMany::Many(ds)) => ds.iter().map(|d| base.join(d)).collect(),
            },
        })
    }

    /// Check options from these settings; `target` (from the command line)
    /// overrides the file's. Lists are loaded by the caller.
    pub fn check_options(&self, target: Option<&'static Profile>) -> crate::CheckOptions {
        let mut options = crate::CheckOptions {
            list_schemes: self.list_schemes.clone(),
            list_names: None,
            lists: None,
            target: target.or(self.target),
            capabilities_added: self.capabilities_added.clone(),
            capabilities_removed: self.capabilities_removed.clone(),
            rule_levels: self.rules.clone(),
            max_nesting: self.limits.max_nesting,
            max_script_size: self.limits.max_script_size,
            include_dirs: self.include_dirs.clone(),
        };
        if target.is_none()
            && let Some(sp) = self.target_file
        {
            sp.apply(&mut options);
        }
        options
    }

    /// The lists the file names (`lists`, `[list]`), loaded; `None` when it
    /// names none.
    pub fn load_lists(&self) -> Result<Option<crate::lists::ListSet>, crate::lists::ListError> {
        if self.lists.is_empty() && self.list.is_empty() {
            return Ok(None);
        }
        let mut set = crate::lists::ListSet::default();
        for f in &self.lists {
            set.load_map_file(f)?;
        }
        for (name, file) in &self.list {
            set.load_one(name, file)?;
        }
        // The `[addrbooks]` names are known (not fetched: the language
        // server contacts no server).
        crate::lists::remote::declare(&mut set, &self.addrbooks);
        Ok(Some(set))
    }

    /// The folder the file is in: include/exclude globs are relative to it.
    pub fn root(&self) -> Option<&Path> {
        self.path
            .as_deref()
            .and_then(Path::parent)
            .filter(|p| !p.as_os_str().is_empty())
    }
}

/// `urn,tag` or `urn tag` (the EXTLISTS capability is space-separated),
/// or full list names or URN prefixes as servers send them
/// ([`crate::lists::name::parse_extlists`]): the lower-cased URI schemes.
pub fn parse_schemes(s: &str) -> Result<Vec<String>, String> {
    crate::lists::name::parse_extlists(s).map(|e| e.schemes)
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("conf/sieve-lint.toml"), text)
    }

    fn error_at(text: &str) -> (usize, usize, String) {
        match parse(text) {
            Err(ConfigError::Invalid {
                line,
                column,
                message,
                ..
            }) => (line, column, message),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn full_example_loads() {
        let c = parse(
            r#"
target = "dovecot-2.3"
list-schemes = ["urn", "TAG:"]
lists = ["lists.json"]
include = ["*.sieve", "filters/*.txt"]
exclude = ["vendor/**"]

[capabilities]
add = ["vnd.dovecot.debug"]
remove = ["Editheader"]

[list]
"urn:ietf:params:sieve:addrbook:friends" = "friends.csv"

[rules]
unused-require = "off"
SL0211 = "error"

[limits]
max-nesting = 16
max-actions = 10
"#,
        )
        .expect("valid");
        assert_eq!(c.target.map(|t| t.id), Some("dovecot-2.3"));
        assert_eq!(c.list_schemes, Some(vec!["urn".into(), "tag".into()]));
        assert_eq!(c.lists, vec![PathBuf::from("conf/lists.json")]);
        assert_eq!(
            c.list,
            vec![(
                "urn:ietf:params:sieve:addrbook:friends".to_owned(),
                PathBuf::from("conf/friends.csv")
            )]
        );
        assert_eq!(c.capabilities_added, vec!["vnd.dovecot.debug"]);
        assert_eq!(c.capabilities_removed, vec!["editheader"]);
        let mut rules = c.rules.clone();
        rules.sort_by_key(|(code, _)| *code);
        assert_eq!(
            rules,
            vec![("SL0204", RuleLevel::Off), ("SL0211", RuleLevel::Error)]
        );
        assert_eq!(c.limits.max_nesting, Some(16));
        assert_eq!(c.limits.max_actions, Some(10));
        assert_eq!(c.limits.max_redirects, None);
        let include = c.include.expect("include");
        assert!(include.is_match("a.sieve") && include.is_match("filters/x.txt"));
        assert!(include.is_match("deep/er/a.sieve"), "no `/`: any depth");
        assert!(
            !include.is_match("filters/deep/x.txt"),
            "* does not cross /"
        );
        assert!(
            !include.is_match("other/filters/x.txt"),
            "with `/`: anchored"
        );
        assert!(c.exclude.expect("exclude").is_match("vendor/a/b.sieve"));
        assert!(c.include_dirs.is_empty());
    }

    #[test]
    fn include_dir_is_one_folder_or_a_list_beside_the_file() {
        let one = parse("include-dir = \"global\"\n").expect("valid");
        assert_eq!(one.include_dirs, vec![PathBuf::from("conf/global")]);
        assert_eq!(
            one.check_options(None).include_dirs,
            vec![PathBuf::from("conf/global")]
        );
        let many = parse("include-dir = [\"a\", \"/srv/sieve\"]\n").expect("valid");
        assert_eq!(
            many.include_dirs,
            vec![PathBuf::from("conf/a"), PathBuf::from("/srv/sieve")]
        );
        let (line, _, _) = error_at("include-dir = 3\n");
        assert_eq!(line, 1);
    }

    #[test]
    fn run_limits_come_from_self_then_the_target_then_the_default() {
        let dovecot = crate::profiles::find("dovecot-2.3").expect("profile");
        let rfc = crate::profiles::default_profile();
        let none = LimitSettings::default();
        let d = crate::run::Limits::default();
        // Dovecot 2.3 documents 32 actions and 4 redirects (as the defaults).
        assert_eq!(none.run_limits(dovecot).max_actions, 32);
        assert_eq!(none.run_limits(rfc).max_steps, d.max_steps);
        let cli = LimitSettings {
            max_actions: Some(5),
            ..LimitSettings::default()
        };
        let file = LimitSettings {
            max_actions: Some(7),
            max_redirects: Some(2),
            ..LimitSettings::default()
        };
        let merged = cli.or(&file).run_limits(dovecot);
        assert_eq!((merged.max_actions, merged.max_redirects), (5, 2));
        assert_eq!(merged.max_include_depth, d.max_include_depth);
    }

    #[test]
    fn empty_file_is_the_defaults() {
        let c = parse("").expect("valid");
        assert!(c.target.is_none() && c.rules.is_empty() && c.include.is_none());
        assert_eq!(c.limits, LimitSettings::default());
    }

    #[test]
    fn unknown_key_is_located() {
        let (line, column, message) = error_at("target = \"rfc\"\ncolour = true\n");
        assert_eq!((line, column), (2, 1));
        assert!(message.contains("colour"), "{message}");
    }

    #[test]
    fn unknown_key_in_a_table_is_located() {
        let (line, column, message) = error_at("[limits]\nmax-nesting = 3\nmax-depth = 3\n");
        assert_eq!((line, column), (3, 1));
        assert!(message.contains("max-depth"), "{message}");
    }

    #[test]
    fn bad_values_are_located() {
        let (line, column, m) = error_at("target = \"dovecot-9\"");
        assert_eq!((line, column), (1, 10));
        assert!(m.contains("dovecot-2.3"), "lists the targets: {m}");

        let (line, column, m) = error_at("[rules]\nunused-require = \"loud\"\n");
        assert_eq!(line, 2);
        assert!(column >= 18, "{column}");
        assert!(m.contains("loud") || m.contains("off"), "{m}");

        let (line, column, m) = error_at("[rules]\n\nno-such-rule = \"off\"\n");
        assert_eq!((line, column), (3, 1));
        assert!(m.contains("no-such-rule"), "{m}");

        let (line, _, m) = error_at("[limits]\nmax-nesting = -1\n");
        assert_eq!(line, 2);
        assert!(!m.is_empty());

        let (line, _, m) = error_at("list-schemes = [\"1bad\"]\n");
        assert_eq!(line, 1);
        assert!(m.contains("1bad"), "{m}");

        let (line, column, m) = error_at("exclude = [\"ok\", \"a[\"]\n");
        assert_eq!((line, column), (1, 18));
        assert!(m.contains("glob"), "{m}");

        let (_, _, m) = error_at("[capabilities]\nadd = [\"two words\"]\n");
        assert!(m.contains("two words"), "{m}");
    }

    #[test]
    fn syntax_rules_cannot_be_configured() {
        let (_, _, m) = error_at("[rules]\nsyntax-error = \"off\"\n");
        assert!(m.contains("cannot be changed"), "{m}");
    }

    #[test]
    fn malformed_toml_is_located() {
        let (line, _, _) = error_at("target = \"rfc\"\n[limits\n");
        assert_eq!(line, 2);
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_column("é = 1\nab", 7), (2, 1));
        assert_eq!(line_column("é = 1", 2), (1, 2));
    }

    #[test]
    fn discovery_walks_up() {
        let dir = std::env::temp_dir().join(format!("sieve-lint-conf-{}", std::process::id()));
        let deep = dir.join("a/b");
        std::fs::create_dir_all(&deep).expect("mkdir");
        std::fs::write(dir.join(FILE_NAME), "").expect("write");
        assert_eq!(Config::discover(&deep), Some(dir.join(FILE_NAME)));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
