//! Regression expectations: users keep sample mails with the actions they
//! expect, and the dry run reports where the script now differs.
//!
//! An expectation is an array of actions in the form of the JSON
//! report (`{"action": "fileinto", "mailbox": "Friends"}`, …, the implicit
//! keep as `{"action": "keep", "implicit": true}`); only the fields given
//! are compared. They come from `--expect FILE` (a JSON object from message
//! path or file name to its array; or TOML, `["boss.eml"] actions = [{
//! action = "fileinto", mailbox = "VIP" }]`) or from a sidecar file (a
//! JSON array) beside the message: `MESSAGE.expected`, and for `boss.eml`
//! also `boss.expected` (both at once is an error: which one is meant?).
//!
//! An expectation for a message that is not in the run (a typo in its
//! name, a message since removed) is an error: it would otherwise pass
//! unnoticed, forever ([`Expectations::unmatched`]).

use super::{ActionRecord, MessageResult};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// Expected actions per message, by path or by file name.
#[derive(Debug, Default, Clone)]
pub struct Expectations {
    by_key: HashMap<String, Vec<Value>>,
}

impl Expectations {
    /// `--expect FILE`.
    pub fn load(path: &Path) -> Result<Expectations, String> {
        let text = crate::files::read_regular_to_string(path)
            .map_err(|e| format!("cannot read '{}': {e}", path.display()))?;
        let is_toml = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
        let v: Value = if is_toml {
            // TOML: one table per message, `actions = [{ action = "…" }, …]`
            // or the array directly under the message's key.
            let t: toml::Table = toml::from_str(&text).map_err(|e| {
                let line = e.span().map_or(1, |s| {
                    text[..s.start].bytes().filter(|&b| b == b'\n').count() + 1
                });
                format!("{}:{line}: invalid TOML: {}", path.display(), e.message())
            })?;
            let mut v = serde_json::to_value(t).map_err(|e| e.to_string())?;
            if let Value::Object(m) = &mut v {
                for (_, entry) in m.iter_mut() {
                    if let Some(actions) = entry.get("actions").cloned() {
                        *entry = actions;
                    }
                }
            }
            v
        } else {
            serde_json::from_str(&text)
                .map_err(|e| format!("{}:{}: invalid JSON: {e}", path.display(), e.line()))?
        };
        let obj = v.as_object().ok_or_else(|| {
            format!(
                "{}: expected an object {{\"message\": [actions]}}",
                path.display()
            )
        })?;
        let mut by_key = HashMap::new();
        for (k, v) in obj {
            let arr = v.as_array().ok_or_else(|| {
                format!(
                    "{}: the expectation for \"{k}\" must be an array of actions",
                    path.display()
                )
            })?;
            check_actions(arr).map_err(|e| format!("{}: \"{k}\": {e}", path.display()))?;
            by_key.insert(k.clone(), arr.clone());
        }
        Ok(Expectations { by_key })
    }

    /// The expectation for a message: from the file, else its sidecar.
    pub fn for_message(&self, message_path: &str) -> Result<Option<Vec<Value>>, String> {
        self.for_message_in(message_path, true)
    }

    /// [`Self::for_message`]; `sidecar` false: no `MESSAGE.expected` is
    /// looked for (a message of an mbox: "FILE#N" is no file, and an mbox
    /// of a million messages would be a million failed look-ups).
    pub fn for_message_in(
        &self,
        message_path: &str,
        sidecar: bool,
    ) -> Result<Option<Vec<Value>>, String> {
        let name = Path::new(message_path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(v) = self
            .by_key
            .get(message_path)
            .or_else(|| self.by_key.get(&name))
        {
            return Ok(Some(v.clone()));
        }
        if !sidecar {
            return Ok(None);
        }
        let mut found = None;
        for sidecar in sidecars(message_path) {
            // Only a regular file (crate::files): a FIFO would block.
            let text = match crate::files::read_regular_to_string(Path::new(&sidecar)) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(format!("cannot read '{sidecar}': {e}")),
            };
            if let Some((first, _)) = &found {
                return Err(format!(
                    "two expectations for '{message_path}': '{first}' and '{sidecar}'; keep one"
                ));
            }
            let v: Value = serde_json::from_str(&text)
                .map_err(|e| format!("{sidecar}:{}: invalid JSON: {e}", e.line()))?;
            let arr = v
                .as_array()
                .ok_or_else(|| format!("{sidecar}: expected an array of actions"))?;
            check_actions(arr).map_err(|e| format!("{sidecar}: {e}"))?;
            found = Some((sidecar, arr.clone()));
        }
        Ok(found.map(|(_, arr)| arr))
    }

    /// The keys of `--expect`'s file that name no message of the run (by
    /// path or file name), sorted: each is an error.
    pub fn unmatched<'p>(&self, message_paths: impl IntoIterator<Item = &'p str>) -> Vec<String> {
        let mut used = std::collections::HashSet::new();
        for path in message_paths {
            used.insert(path);
            if let Some(name) = Path::new(path).file_name().and_then(|n| n.to_str()) {
                used.insert(name);
            }
        }
        let mut left: Vec<String> = self
            .by_key
            .keys()
            .filter(|k| !used.contains(k.as_str()))
            .cloned()
            .collect();
        left.sort();
        left
    }
}

/// Sidecar files (`*.expected`) in the folders among `inputs` (searched as
/// a folder of messages is: recursively, skipping names that start with
/// `.`, not following links to folders; a Maildir's cur/ and new/ hold
/// messages only) that are the sidecar of no message of the run: a typo
/// (`bos.eml.expected`) or a message since removed. Sorted.
pub fn orphan_sidecars<'p>(
    inputs: &[std::path::PathBuf],
    message_paths: impl IntoIterator<Item = &'p str>,
) -> Vec<String> {
    let mut found = Vec::new();
    for input in inputs {
        let is_maildir = input.join("cur").is_dir() && input.join("new").is_dir();
        if input.is_dir() && !is_maildir {
            sidecar_files(input, &mut found);
        }
    }
    if found.is_empty() {
        return Vec::new();
    }
    let read: std::collections::HashSet<String> =
        message_paths.into_iter().flat_map(sidecars).collect();
    let mut orphans: Vec<String> = found
        .into_iter()
        .map(|p| p.display().to_string())
        .filter(|p| !read.contains(p))
        .collect();
    orphans.sort();
    orphans.dedup();
    orphans
}

/// The `*.expected` files under `dir` (see [`orphan_sidecars`]).
fn sidecar_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => sidecar_files(&path, out),
            Ok(_) if path.extension().is_some_and(|e| e == "expected") => out.push(path),
            _ => {}
        }
    }
}

/// The sidecar files read for a message: `MESSAGE.expected`, and for an
/// `.eml` file the name with `.eml` replaced too (`boss.eml` →
/// `boss.eml.expected`, `boss.expected`). Other names (a Maildir file's
/// `1700000000.M1P2.host,S=1234:2,S`, an mbox's `box.mbox#3`) have no
/// extension to replace.
fn sidecars(message_path: &str) -> Vec<String> {
    let mut names = vec![format!("{message_path}.expected")];
    let path = Path::new(message_path);
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("eml"))
    {
        names.push(
            path.with_extension("expected")
                .to_string_lossy()
                .into_owned(),
        );
    }
    names
}

fn check_actions(arr: &[Value]) -> Result<(), String> {
    for (i, a) in arr.iter().enumerate() {
        if a.get("action").and_then(Value::as_str).is_none() {
            return Err(format!("action {} has no \"action\" name", i + 1));
        }
    }
    Ok(())
}

/// The JSON form of an action, without its location.
pub fn action_value(a: &ActionRecord) -> Value {
    let mut v = serde_json::to_value(&a.action).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v
        && !matches!(a.action, super::Action::Keep { .. })
    {
        m.remove("implicit");
    }
    v
}

/// Where the actual actions differ from the expected ones: `None` when
/// they agree (every field an expected action gives, in order).
pub fn compare(expected: &[Value], result: &MessageResult) -> Option<String> {
    let actual: Vec<Value> = result.actions.iter().map(action_value).collect();
    let agrees = expected.len() == actual.len()
        && expected.iter().zip(&actual).all(|(e, a)| match (e, a) {
            (Value::Object(e), Value::Object(a)) => e.iter().all(|(k, v)| a.get(k) == Some(v)),
            _ => false,
        });
    if agrees && result.errors.is_empty() {
        return None;
    }
    let show = |v: &Value| serde_json::to_string(v).unwrap_or_default();
    let mut diff = String::new();
    for i in 0..expected.len().max(actual.len()) {
        match (expected.get(i), actual.get(i)) {
            (Some(e), Some(a)) if matches!((e, a), (Value::Object(eo), Value::Object(ao)) if eo.iter().all(|(k, v)| ao.get(k) == Some(v))) =>
            {
                diff.push_str(&format!("    {}\n", show(e)));
            }
            (Some(e), Some(a)) => diff.push_str(&format!("  - {}\n  + {}\n", show(e), show(a))),
            (Some(e), None) => diff.push_str(&format!("  - {}\n", show(e))),
            (None, Some(a)) => diff.push_str(&format!("  + {}\n", show(a))),
            (None, None) => {}
        }
    }
    for e in &result.errors {
        diff.push_str(&format!("  ! run-time error: {}\n", e.message));
    }
    Some(diff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecar_names() {
        assert_eq!(
            sidecars("mail/boss.eml"),
            ["mail/boss.eml.expected", "mail/boss.expected"]
        );
        assert_eq!(sidecars("mail/1234"), ["mail/1234.expected"]);
        assert_eq!(sidecars("box.mbox#3"), ["box.mbox#3.expected"]);
        assert_eq!(sidecars("cur/17.M1.h:2,S"), ["cur/17.M1.h:2,S.expected"]);
        assert_eq!(sidecars("a/B.EML"), ["a/B.EML.expected", "a/B.expected"]);
    }

    #[test]
    fn sidecars_of_no_message_are_orphans() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mail = dir.path().join("mail");
        for f in [
            "boss.eml",
            "boss.expected",
            "bos.eml.expected",
            "sub/a.eml",
            "sub/a.eml.expected",
            "sub/gone.expected",
            ".hidden/x.expected",
        ] {
            let path = mail.join(f);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, "[]").expect("write");
        }
        let m = |f: &str| mail.join(f).display().to_string();
        let run = [m("boss.eml"), m("sub/a.eml")];
        assert_eq!(
            orphan_sidecars(std::slice::from_ref(&mail), run.iter().map(String::as_str)),
            [m("bos.eml.expected"), m("sub/gone.expected")]
        );
        // Files named one by one: no folder searched, nothing to say.
        assert!(
            orphan_sidecars(&[mail.join("boss.eml")], run.iter().map(String::as_str)).is_empty()
        );
    }

    #[test]
    fn keys_naming_no_message_are_unmatched() {
        let e = Expectations {
            by_key: [
                ("boss.eml", vec![]),
                ("mail/a.eml", vec![]),
                ("bos.eml", vec![]),
                ("box.mbox#2", vec![]),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        };
        let run = ["mail/boss.eml", "mail/a.eml", "box.mbox#2"];
        assert_eq!(e.unmatched(run), ["bos.eml"]);
        assert_eq!(
            e.unmatched([]),
            ["bos.eml", "boss.eml", "box.mbox#2", "mail/a.eml"]
        );
    }
}
