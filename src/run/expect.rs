//! Regression expectations: users keep sample mails with the actions they
//! expect, and the dry run reports where the script now differs.
//!
//! An expectation is an array of actions in the form of the JSON
//! report (`{"action": "fileinto", "mailbox": "Friends"}`, …, the implicit
//! keep as `{"action": "keep", "implicit": true}`); only the fields given
//! are compared. They come from `--expect FILE` (a JSON object from message
//! path or file name to its array; or TOML, `["boss.eml"] actions = [{
//! action = "fileinto", mailbox = "VIP" }]`) or from a sidecar file
//! `MESSAGE.expected` (a JSON array) beside the message.

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
        let text = std::fs::read_to_string(path)
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
        let sidecar = format!("{message_path}.expected");
        match std::fs::read_to_string(&sidecar) {
            Ok(text) => {
                let v: Value = serde_json::from_str(&text)
                    .map_err(|e| format!("{sidecar}:{}: invalid JSON: {e}", e.line()))?;
                let arr = v
                    .as_array()
                    .ok_or_else(|| format!("{sidecar}: expected an array of actions"))?;
                check_actions(arr).map_err(|e| format!("{sidecar}: {e}"))?;
                Ok(Some(arr.clone()))
            }
            Err(_) => Ok(None),
        }
    }
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
