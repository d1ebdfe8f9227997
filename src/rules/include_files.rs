//! What missing-include and recursive-include share: the scripts that
//! `include` names (RFC 6609 §3.2), found on disk.
//!
//! A script name `x` is the file `x.sieve` (as Dovecot stores scripts) or
//! the file `x` itself; `:personal` (the default) scripts are looked up
//! beside the script being checked, `:global` ones in each
//! [`CheckOptions::include_dirs`](crate::check::CheckOptions::include_dirs)
//! folder in turn. Without a script file (standard input) or, for
//! `:global`, without a folder, nothing is looked up.

use crate::check::Context;
use crate::syntax::ast::{Argument, Command, Script, Span};
use std::path::{Path, PathBuf};

/// One `include` command.
#[derive(Debug, Clone)]
pub(crate) struct Include {
    pub name: String,
    /// The span of the name (in the script being checked).
    pub span: Span,
    pub global: bool,
    pub once: bool,
    pub optional: bool,
}

/// Where a script name leads.
#[derive(Debug)]
pub(crate) enum Found {
    File(PathBuf),
    /// Not in any of these folders.
    Missing(Vec<PathBuf>),
    /// Not looked up: no folder to look in, or a name that is no file name
    /// (built from variables, or one the include validation reports).
    Unknown,
}

/// The `include` commands of the script being checked, with a name that
/// can be looked up.
pub(super) fn includes(cx: &Context<'_, '_>) -> Vec<Include> {
    let model = cx.model;
    let variables = model.is_required("variables");
    model
        .uses
        .iter()
        .filter(|u| u.node.is_command() && u.node.name().is("include"))
        .filter_map(|u| {
            let [lit] = u.binding.positional.first()?.strings() else {
                return None;
            };
            if (variables || u.guarded("variables")) && lit.value.contains("${") {
                return None;
            }
            let has = |tag: &str| u.binding.tag(tag).is_some();
            Some(Include {
                name: lit.value.to_string(),
                span: lit.span,
                global: has("global"),
                once: has("once"),
                optional: has("optional"),
            })
        })
        .collect()
}

/// The `include` commands of a script read from another file (spans are
/// of no use there). Names with `${` are left out.
fn includes_of(script: &Script) -> Vec<Include> {
    let mut out = Vec::new();
    let mut stack: Vec<&[Command]> = vec![&script.commands];
    while let Some(commands) = stack.pop() {
        for c in commands {
            if let Some(block) = &c.block {
                stack.push(&block.commands);
            }
            if !c.name.is("include") || c.broken {
                continue;
            }
            let tag = |name: &str| {
                c.args
                    .args
                    .iter()
                    .any(|a| matches!(a, Argument::Tag(t) if t.is(name)))
            };
            let Some(Argument::String(lit)) =
                c.args.args.iter().find(|a| !matches!(a, Argument::Tag(_)))
            else {
                continue;
            };
            if lit.value.contains("${") {
                continue;
            }
            out.push(Include {
                name: lit.value.to_string(),
                span: lit.span,
                global: tag("global"),
                once: tag("once"),
                optional: tag("optional"),
            });
        }
    }
    out
}

/// Could `name` be a file in a folder? (Not a path, not a control
/// character: those are the include validation's to report.)
fn is_file_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
}

/// The files a script name may be, in the order they are tried.
pub(super) fn file_names(name: &str) -> [String; 2] {
    [format!("{name}.sieve"), name.to_owned()]
}

/// Looks a script up: beside `script` (`:personal`), or in `global_dirs`.
pub(crate) fn resolve(include: &Include, script: &Path, global_dirs: &[PathBuf]) -> Found {
    if !is_file_name(&include.name) {
        return Found::Unknown;
    }
    let dirs: Vec<PathBuf> = if include.global {
        global_dirs.to_vec()
    } else {
        vec![
            script
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        ]
    };
    // Say nothing when there is no folder to look in.
    let dirs: Vec<PathBuf> = dirs.into_iter().filter(|d| d.is_dir()).collect();
    if dirs.is_empty() {
        return Found::Unknown;
    }
    for dir in &dirs {
        for file in file_names(&include.name) {
            let name: &str = file.as_ref();
            let path = dir.join(name);
            if path.is_file() {
                return Found::File(path);
            }
        }
    }
    Found::Missing(dirs)
}

/// How deep includes are followed looking for a circle. RFC 6609 §3.1 has
/// servers support at least three levels; Dovecot's default limit is 10.
const MAX_DEPTH: usize = 16;

/// The include graph, read lazily: each file is read and parsed once.
pub(super) struct Graph<'o> {
    global_dirs: &'o [PathBuf],
    /// Canonical path → the includes it makes, resolved (canonical), with
    /// `:once`.
    edges: crate::hash::FastMap<PathBuf, Vec<(PathBuf, bool)>>,
    /// Files whose every path has been searched without finding a circle.
    done: crate::hash::FastSet<PathBuf>,
}

impl<'o> Graph<'o> {
    pub fn new(global_dirs: &'o [PathBuf]) -> Self {
        Graph {
            global_dirs,
            edges: Default::default(),
            done: Default::default(),
        }
    }

    fn edges(&mut self, file: &Path) -> Vec<(PathBuf, bool)> {
        if let Some(e) = self.edges.get(file) {
            return e.clone();
        }
        // Only a regular file: a FIFO would block (crate::files).
        let text = crate::files::read_script(file)
            .ok()
            .map(|b| crate::syntax::decode(&b).text);
        let edges: Vec<(PathBuf, bool)> = text
            .as_deref()
            .map(|t| includes_of(&crate::syntax::parse(t).script))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|inc| match resolve(&inc, file, self.global_dirs) {
                Found::File(p) => Some((canonical(&p), inc.once)),
                _ => None,
            })
            .collect();
        self.edges.insert(file.to_owned(), edges.clone());
        edges
    }

    /// A circle of includes reached from `stack`'s last file: the files
    /// from the first one of the circle back to it. An include `:once` of
    /// a file being included is no circle (RFC 6609 §3.2: "the script MUST
    /// be considered previously included").
    pub fn circle(&mut self, stack: &mut Vec<PathBuf>) -> Option<Vec<PathBuf>> {
        let here = stack.last()?.clone();
        for (next, once) in self.edges(&here) {
            if let Some(at) = stack.iter().position(|p| *p == next) {
                if once {
                    continue;
                }
                let mut circle = stack[at..].to_vec();
                circle.push(next);
                return Some(circle);
            }
            if self.done.contains(&next) || stack.len() >= MAX_DEPTH {
                continue;
            }
            stack.push(next);
            let found = self.circle(stack);
            stack.pop();
            if found.is_some() {
                return found;
            }
        }
        self.done.insert(here);
        None
    }
}

/// The path made absolute and free of links, when it can be.
pub(super) fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

/// How a file is named in messages: its file name.
pub(super) fn shown(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    /// A fresh folder with these files.
    fn folder(name: &str, files: &[(impl AsRef<str>, String)]) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("sieve-lint-inc-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (file, text) in files {
            let name: &str = file.as_ref();
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        dir
    }

    /// The (rule, line) of each include diagnostic of `main.sieve`.
    fn found(dir: &Path, include_dirs: &[&str]) -> Vec<(&'static str, usize)> {
        let file = dir.join("main.sieve");
        let bytes = std::fs::read(&file).expect("read");
        let options = crate::CheckOptions {
            include_dirs: include_dirs.iter().map(|d| dir.join(d)).collect(),
            ..Default::default()
        };
        let report = crate::lint_file("main.sieve", &file, bytes, &options);
        let index = crate::diagnostic::LineIndex::new(&report.source);
        report
            .diagnostics
            .iter()
            .filter(|d| d.name.ends_with("-include"))
            .map(|d| (d.name, index.line(d.span.start()) + 1))
            .collect()
    }

    fn includes(names: &[&str]) -> String {
        let mut s = String::from("require \"include\";\n");
        for n in names {
            s.push_str(&format!("include {n};\n"));
        }
        s
    }

    #[test]
    fn missing_scripts_are_reported_unless_optional_or_unlookable() {
        let dir = folder(
            "missing",
            &[
                (
                    "main.sieve",
                    includes(&[
                        "\"here\"",
                        "\"bare\"",
                        "\"gone\"",
                        ":optional \"gone\"",
                        ":global \"site\"",
                        ":global \"nosite\"",
                        "\"a/b\"",
                    ]),
                ),
                ("here.sieve", "keep;".into()),
                ("bare", "keep;".into()),
                ("g2/site.sieve", "keep;".into()),
            ],
        );
        assert_eq!(
            found(&dir, &["g1", "g2"]),
            vec![("missing-include", 4), ("missing-include", 7)]
        );
        // Without an include folder (or one that is not there), :global is
        // not looked up.
        assert_eq!(found(&dir, &[]), vec![("missing-include", 4)]);
        assert_eq!(found(&dir, &["nowhere"]), vec![("missing-include", 4)]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn circles_are_found_and_include_once_breaks_them() {
        let dir = folder(
            "circles",
            &[
                (
                    "main.sieve",
                    includes(&[
                        "\"a\"",
                        ":once \"main\"",
                        "\"main\"",
                        ":once \"c\"",
                        "\"ok\"",
                    ]),
                ),
                ("a.sieve", includes(&["\"b\""])),
                ("b.sieve", includes(&["\"a\""])),
                // c includes main (not :once) while main runs: recursive.
                ("c.sieve", includes(&["\"main\""])),
                // ok includes a script being included only :once.
                ("ok.sieve", includes(&[":once \"main\"", "\"here\""])),
                ("here.sieve", "keep;".into()),
            ],
        );
        assert_eq!(
            found(&dir, &[]),
            vec![
                ("recursive-include", 2),
                ("recursive-include", 4),
                ("recursive-include", 5)
            ]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn long_chains_are_followed_to_the_depth_bound_only() {
        // main → s1 → … → sN → s1.
        let chain = |n: usize| {
            let mut files = vec![("main.sieve".to_owned(), includes(&["\"s1\""]))];
            for i in 1..=n {
                let next = if i == n { 1 } else { i + 1 };
                files.push((format!("s{i}.sieve"), includes(&[&format!("\"s{next}\"")])));
            }
            files
        };
        let short = chain(super::MAX_DEPTH - 2);
        let dir = folder("chain-short", &short);
        assert_eq!(found(&dir, &[]), vec![("recursive-include", 2)]);
        let _ = std::fs::remove_dir_all(&dir);
        let long = chain(super::MAX_DEPTH + 5);
        let dir = folder("chain-long", &long);
        assert_eq!(found(&dir, &[]), vec![]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn every_file_is_read_once() {
        // 40 scripts, each including every later one: without remembering
        // the files already searched, the paths number 2^40.
        let n = 40;
        let mut files = Vec::new();
        for i in 0..n {
            let names: Vec<String> = (i + 1..n).map(|j| format!("\"s{j}\"")).collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let file = if i == 0 {
                "main.sieve".to_owned()
            } else {
                format!("s{i}.sieve")
            };
            files.push((file, includes(&refs)));
        }
        let dir = folder("diamonds", &files);
        let start = std::time::Instant::now();
        assert_eq!(found(&dir, &[]), vec![]);
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
