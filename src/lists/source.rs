//! List files (`--lists FILE`, `--list NAME=FILE`): JSON, CSV and plain
//! text, in the formats README.md ("Lists") describes. Every name is normalized with
//! [`parse_name`]; a bad file, row or name is an error with its file and
//! line — nothing is skipped silently.

use super::name::{ListName, parse_name};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// How members are compared with tested values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchMode {
    /// Exact octets.
    Octet,
    /// ASCII letters without regard to case (address books always).
    Casemap,
}

/// The longest list member (bytes): a member is an address, a domain or a
/// pattern, and nothing longer is one. Past it, an error at file:line.
pub const MAX_MEMBER_BYTES: usize = 64 * 1024;

/// The largest list file (bytes), checked before it is read: a list is
/// held in memory (about its distinct members' bytes again, for lookups).
pub const MAX_LIST_FILE_BYTES: u64 = 1 << 30;

/// A list's distinct members, in order of first appearance: one string
/// holding them all and where each starts (no allocation per member).
#[derive(Debug, Clone, Default)]
pub struct Members {
    text: String,
    /// Start of each member in `text`, and its end as the last entry.
    bounds: Vec<u32>,
}

impl Members {
    pub fn len(&self) -> usize {
        self.bounds.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        let (&a, &b) = (self.bounds.get(i)?, self.bounds.get(i + 1)?);
        self.text.get(a as usize..b as usize)
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.bounds
            .windows(2)
            .map(|w| &self.text[w[0] as usize..w[1] as usize])
    }

    fn push(&mut self, m: &str) {
        if self.bounds.is_empty() {
            self.bounds.push(0);
        }
        self.text.push_str(m);
        // A file is at most 1 GiB, so offsets fit in 32 bits.
        self.bounds
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }
}

impl<'a> IntoIterator for &'a Members {
    type Item = &'a str;
    type IntoIter = Box<dyn ExactSizeIterator<Item = &'a str> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// A list too big to hold, asked per lookup (an LDAP directory past
/// `--list-fetch-max` entries): it answers one value at a time.
pub trait Live: Send + Sync + std::fmt::Debug {
    /// The member equal to `value` (as the server spells it), or none;
    /// `Err` when the server cannot be asked. The flag says whether the
    /// answer came from the run's cache rather than the server.
    fn find(&self, value: &str) -> Result<(Option<String>, bool), String>;
    /// Lookups answered so far, and how many of them asked the server.
    fn counts(&self) -> (u64, u64);
    /// The first failure, if a lookup failed (every later one fails too).
    fn failure(&self) -> Option<String>;
}

/// One loaded list.
#[derive(Debug, Clone)]
pub struct List {
    pub name: ListName,
    /// Each member once (under the match mode: a casemap list keeps the
    /// first spelling), in file order. Empty for a live list.
    pub members: Members,
    pub mode: MatchMode,
    /// `file:line` where it was defined.
    pub origin: String,
    index: Index,
    /// Set for a list asked per lookup (its members are not held).
    pub live: Option<std::sync::Arc<dyn Live>>,
}

/// One lookup's answer, and where it came from (for `--trace`; built
/// only when asked, as lookups run per message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'a> {
    pub member: Option<std::borrow::Cow<'a, str>>,
    /// The list's origin.
    origin: &'a str,
    /// Answered from the run's cache of a live list.
    cached: bool,
}

impl Found<'_> {
    /// Where the answer came from: the list's origin, and whether a live
    /// list answered from the run's cache.
    pub fn from(&self) -> std::borrow::Cow<'_, str> {
        if self.cached {
            format!("{} (cached in this run)", self.origin).into()
        } else {
            self.origin.into()
        }
    }
}

/// An open-addressing hash set of member indexes (4 bytes a slot, at most
/// three quarters full): lookups are O(1) whatever the list's size, and the
/// members are not stored again as keys.
///
/// The hash is SipHash with keys random per process, not
/// `crate::hash::hash_str` (whose FxHash mixing, since replaced, gave
/// structured members whole 64-bit collisions and made loading a big list
/// quadratic): random keys keep a list file from colliding on purpose.
///
/// Each slot holds the member's index and the top 32 bits of its hash
/// (which also give its position), so a probe that meets another member is
/// told apart, and the table grows, without reading members: at a million
/// members each such read is a cache miss (1,600,000 members loaded in
/// 1.40 s before, with the hash's low bits for positions and the members
/// read again at every growth).
#[derive(Debug, Clone, Default)]
struct Index {
    slots: Vec<u64>,
    hasher: std::hash::RandomState,
}

const EMPTY: u64 = u64::MAX;

/// A slot: the hash's top 32 bits, then the member's index.
fn slot_of(hash: u64, index: u32) -> u64 {
    (hash & 0xFFFF_FFFF_0000_0000) | u64::from(index)
}

fn member_of(slot: u64) -> u32 {
    slot as u32
}

impl Index {
    /// The key's hash: casemap keys hashed as if ASCII-lower-cased, in
    /// chunks on the stack (no allocation).
    fn hash(&self, mode: MatchMode, k: &str) -> u64 {
        use std::hash::{BuildHasher, Hasher};
        let mut h = self.hasher.build_hasher();
        match mode {
            MatchMode::Octet => h.write(k.as_bytes()),
            MatchMode::Casemap => {
                for chunk in k.as_bytes().chunks(64) {
                    let mut buf = [0u8; 64];
                    for (d, s) in buf.iter_mut().zip(chunk) {
                        *d = s.to_ascii_lowercase();
                    }
                    h.write(&buf[..chunk.len()]);
                }
            }
        }
        h.finish()
    }

    /// The slot holding the member equal to `k`, or the empty slot where it
    /// would go.
    fn slot(&self, members: &Members, mode: MatchMode, k: &str) -> (usize, u64) {
        let mask = self.slots.len() - 1;
        let hash = self.hash(mode, k);
        let tag = hash & 0xFFFF_FFFF_0000_0000;
        // The position comes from the same top 32 bits as the tag, so
        // growing re-places every member without reading it.
        let mut i = (hash >> 32) as usize & mask;
        loop {
            match self.slots[i] {
                EMPTY => return (i, hash),
                s if s & 0xFFFF_FFFF_0000_0000 == tag
                    && members
                        .get(member_of(s) as usize)
                        .is_some_and(|m| same(mode, m, k)) =>
                {
                    return (i, hash);
                }
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Room for one more member: doubles (and re-places every member) when
    /// three quarters full.
    fn grow(&mut self, members: &Members) {
        let n = members.len() + 1;
        if n * 4 <= self.slots.len() * 3 {
            return;
        }
        let size = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; size]);
        for s in old.into_iter().filter(|&s| s != EMPTY) {
            // The slot's top 32 bits are the hash's: no member is read.
            let mut i = (s >> 32) as usize & (size - 1);
            while self.slots[i] != EMPTY {
                i = (i + 1) & (size - 1);
            }
            self.slots[i] = s;
        }
    }
}

fn same(mode: MatchMode, a: &str, b: &str) -> bool {
    match mode {
        MatchMode::Octet => a == b,
        MatchMode::Casemap => a.eq_ignore_ascii_case(b),
    }
}

impl List {
    /// An empty list (its origin is set once it is read).
    fn new(name: ListName, mode: MatchMode) -> List {
        List {
            name,
            members: Members::default(),
            mode,
            origin: String::new(),
            index: Index::default(),
            live: None,
        }
    }

    /// A list whose members stay on their server, asked per lookup.
    pub(crate) fn live(name: ListName, origin: String, live: std::sync::Arc<dyn Live>) -> List {
        let mut list = List::of(name);
        list.origin = origin;
        list.live = Some(live);
        list
    }

    /// The member equal to `value`, from the members held or (a live list)
    /// from its server; `Err` names what failed.
    pub fn lookup(&self, value: &str) -> Result<Found<'_>, String> {
        use std::borrow::Cow;
        match &self.live {
            None => Ok(Found {
                member: self.find(value).map(Cow::Borrowed),
                origin: &self.origin,
                cached: false,
            }),
            Some(live) => {
                let (member, cached) = live.find(value)?;
                Ok(Found {
                    member: member.map(Cow::Owned),
                    origin: &self.origin,
                    cached,
                })
            }
        }
    }

    /// An empty list matched as its name says (address books: casemap).
    pub(crate) fn of(name: ListName) -> List {
        let mode = default_mode(&name);
        List::new(name, mode)
    }

    /// Adds a member unless it is one already (its length is checked by the
    /// caller, who knows its line).
    pub(crate) fn push(&mut self, m: &str) {
        self.index.grow(&self.members);
        let (i, hash) = self.index.slot(&self.members, self.mode, m);
        if self.index.slots[i] == EMPTY {
            // At most 1 GiB of file: fewer members than u32::MAX.
            self.index.slots[i] = slot_of(hash, self.members.len() as u32);
            self.members.push(m);
        }
    }

    /// The member equal to `value` under the list's match mode.
    pub fn find(&self, value: &str) -> Option<&str> {
        if self.index.slots.is_empty() {
            return None;
        }
        let (i, _) = self.index.slot(&self.members, self.mode, value);
        let s = *self.index.slots.get(i)?;
        if s == EMPTY {
            return None;
        }
        self.members.get(member_of(s) as usize)
    }
}

/// A member longer than [`MAX_MEMBER_BYTES`] is an error at its line.
pub(crate) fn check_member(path: &Path, line: usize, m: &str) -> Result<(), ListError> {
    if m.len() > MAX_MEMBER_BYTES {
        return Err(ListError::Bad {
            path: path.into(),
            line,
            message: format!(
                "a list member of {} bytes: longer than {MAX_MEMBER_BYTES} bytes, the most a \
                 member may have",
                m.len()
            ),
        });
    }
    Ok(())
}

/// `NAME=FILE` of `--list`, split at the last `=` (LDAP names contain
/// `=`); neither part may be empty.
pub fn split_spec(spec: &str) -> Result<(&str, &Path), ListError> {
    match spec.rsplit_once('=') {
        Some((name, file)) if !name.is_empty() && !file.is_empty() => Ok((name, Path::new(file))),
        _ => Err(ListError::Spec(spec.into())),
    }
}

/// Loads list-file bytes as the `lists` fuzz target does: the first byte
/// picks one of the six ways a list file is read (map or one list; JSON,
/// CSV, text or vCard), the rest is the file. Shared with the replay of its
/// findings (tests/fuzz_regressions.rs), which must read them the same way.
#[doc(hidden)]
pub fn load_fuzz_input(data: &[u8]) -> Option<(ListSet, Result<(), ListError>)> {
    let (&kind, body) = data.split_first()?;
    let mut set = ListSet::default();
    let loaded = match kind % 6 {
        0 => set.load_map_bytes(Path::new("fuzz.json"), body),
        1 => set.load_map_bytes(Path::new("fuzz.csv"), body),
        2 => set.load_one_bytes(":addrbook:friends", Path::new("one.csv"), body),
        3 => set.load_one_bytes("tag:example.com,2026:vip", Path::new("one.json"), body),
        4 => set.load_one_bytes("urn:example:list", Path::new("one.txt"), body),
        _ => set.load_one_bytes(":addrbook:contacts", Path::new("one.vcf"), body),
    };
    Some((set, loaded))
}

#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error("cannot read list file '{path}': {message}")]
    Io { path: PathBuf, message: String },
    #[error("{path}:{line}: {message}")]
    Bad {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("list \"{name}\" is defined twice: at {first} and at {second}")]
    Duplicate {
        name: String,
        first: String,
        second: String,
    },
    #[error("--list takes NAME=FILE, got '{0}'")]
    Spec(String),
    /// A live list (CardDAV, LDAP) that could not be had.
    #[error("list \"{list}\" ({url}): {message}")]
    Remote {
        list: String,
        url: String,
        message: String,
    },
}

/// Every list supplied, by normalized name.
#[derive(Debug, Clone, Default)]
pub struct ListSet {
    lists: Vec<List>,
    index: HashMap<String, usize>,
}

impl ListSet {
    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }

    pub fn len(&self) -> usize {
        self.lists.len()
    }

    /// A list by any spelling of its name.
    pub fn get(&self, name: &str) -> Option<&List> {
        self.get_normalized(&parse_name(name).ok()?.normalized)
    }

    /// A list by its normalized name (see [`ListName::normalized`]).
    pub fn get_normalized(&self, normalized: &str) -> Option<&List> {
        self.index.get(normalized).map(|&i| &self.lists[i])
    }

    /// The lists asked per lookup: each one's name, lookups, server
    /// queries, and failure if one failed.
    pub fn live_lists(&self) -> Vec<(&str, u64, u64, Option<String>)> {
        self.lists
            .iter()
            .filter_map(|l| {
                let live = l.live.as_ref()?;
                let (lookups, queries) = live.counts();
                Some((l.name.original.as_str(), lookups, queries, live.failure()))
            })
            .collect()
    }

    /// The names as the files wrote them, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .lists
            .iter()
            .map(|l| l.name.original.as_str())
            .collect();
        v.sort_unstable();
        v
    }

    pub(crate) fn add(&mut self, mut list: List) -> Result<(), ListError> {
        // The members' string grew by doubling: give back the spare half.
        list.members.text.shrink_to_fit();
        list.members.bounds.shrink_to_fit();
        if let Some(&i) = self.index.get(&list.name.normalized) {
            return Err(ListError::Duplicate {
                name: list.name.original,
                first: self.lists[i].origin.clone(),
                second: list.origin,
            });
        }
        self.index
            .insert(list.name.normalized.clone(), self.lists.len());
        self.lists.push(list);
        Ok(())
    }

    /// `--lists FILE`: a JSON map or a CSV with `list,member` columns.
    pub fn load_map_file(&mut self, path: &Path) -> Result<(), ListError> {
        let bytes = read(path)?;
        self.load_map_bytes(path, &bytes)
    }

    /// A list-map file's content, read already; `path` gives the format
    /// (by its extension) and names it in errors.
    pub fn load_map_bytes(&mut self, path: &Path, bytes: &[u8]) -> Result<(), ListError> {
        let text = utf8(path, bytes)?;
        match extension(path).as_str() {
            "json" => self.load_json_map(path, text),
            "csv" => self.load_csv_map(path, text),
            "vcf" | "vcard" => {
                // An address book export: the book named after the file
                // (`friends.vcf` is `:addrbook:friends`).
                let stem = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default();
                let name = format!(":addrbook:{}", percent_encode_segment(stem));
                self.load_one_bytes(&name, path, bytes)
            }
            other => Err(ListError::File {
                path: path.into(),
                message: format!(
                    "unknown list file type '.{other}': --lists takes .json, .csv or .vcf"
                ),
            }),
        }
    }

    /// `--list NAME=FILE`.
    pub fn load_one_spec(&mut self, spec: &str) -> Result<(), ListError> {
        let (name, file) = split_spec(spec)?;
        self.load_one(name, file)
    }

    /// One list from a one-list file: CSV, JSON array or text.
    pub fn load_one(&mut self, name: &str, path: &Path) -> Result<(), ListError> {
        let bytes = read(path)?;
        self.load_one_bytes(name, path, &bytes)
    }

    /// A one-list file's content, read already; `path` gives the format
    /// and names it in errors.
    pub fn load_one_bytes(
        &mut self,
        name: &str,
        path: &Path,
        bytes: &[u8],
    ) -> Result<(), ListError> {
        let list_name = parse_name(name).map_err(|e| ListError::File {
            path: path.into(),
            message: format!("the list name \"{name}\" given with --list is not valid: {e}"),
        })?;
        let text = utf8(path, bytes)?;
        let mut list = List::of(list_name);
        match extension(path).as_str() {
            "csv" => one_list_csv(path, text, &mut list)?,
            "json" => {
                let serde_json::Value::Array(arr) = json(path, text)? else {
                    return Err(ListError::Bad {
                        path: path.into(),
                        line: 1,
                        message: "a one-list JSON file is an array of strings".into(),
                    });
                };
                strings(path, text, arr, "", &mut list)?;
            }
            "vcf" | "vcard" => {
                super::vcard::read(path, text, 1, |m, line| {
                    check_member(path, line, m)?;
                    list.push(m);
                    Ok(())
                })?;
            }
            "txt" | "" => {
                for (i, l) in text.lines().enumerate() {
                    let l = l.trim();
                    check_member(path, i + 1, l)?;
                    if !l.is_empty() {
                        list.push(l);
                    }
                }
            }
            other => {
                return Err(ListError::File {
                    path: path.into(),
                    message: format!(
                        "unknown list file type '.{other}': --list takes .csv, .json, .txt or .vcf"
                    ),
                });
            }
        }
        list.origin = format!("{}:1", path.display());
        self.add(list)
    }

    fn load_json_map(&mut self, path: &Path, text: &str) -> Result<(), ListError> {
        check_json_strings(path, text)?;
        // Entries in file order, duplicates kept (a map would hide them).
        let entries: Entries = serde_json::from_str(text).map_err(|e| ListError::Bad {
            path: path.into(),
            line: e.line(),
            message: if e.is_data() {
                "expected an object: {\"<list name>\": [\"member\", …], …}".into()
            } else {
                format!("invalid JSON: {e}")
            },
        })?;
        let mut seen: Vec<String> = Vec::new();
        for (name, def) in entries.0 {
            let name = name.as_str();
            let nth = seen.iter().filter(|s| s.as_str() == name).count();
            if nth > 0 {
                return Err(ListError::Duplicate {
                    name: name.to_owned(),
                    first: format!("{}:{}", path.display(), line_of_key_nth(text, name, 0)),
                    second: format!("{}:{}", path.display(), line_of_key_nth(text, name, nth)),
                });
            }
            seen.push(name.to_owned());
            let line = line_of_key(text, name);
            let bad = |message: String| ListError::Bad {
                path: path.into(),
                line,
                message,
            };
            let list_name = parse_name(name)
                .map_err(|e| bad(format!("\"{name}\" is not a valid list name: {e}")))?;
            let list = match def {
                serde_json::Value::Array(a) => {
                    let mut list = List::of(list_name);
                    strings(path, text, a, name, &mut list)?;
                    list
                }
                serde_json::Value::Object(mut o) => {
                    let members = match o.remove("members") {
                        Some(serde_json::Value::Array(m)) => m,
                        _ => {
                            return Err(bad(format!("list \"{name}\" needs \"members\": [ … ]")));
                        }
                    };
                    let mode = match o.get("match").map(|m| m.as_str()) {
                        None => default_mode(&list_name),
                        Some(Some("casemap")) => MatchMode::Casemap,
                        Some(Some("octet")) if list_name.is_addrbook() => {
                            return Err(bad(format!(
                                "list \"{name}\" is an address book: its entries always match without regard to case"
                            )));
                        }
                        Some(Some("octet")) => MatchMode::Octet,
                        Some(_) => {
                            return Err(bad(format!(
                                "list \"{name}\": \"match\" is \"casemap\" or \"octet\""
                            )));
                        }
                    };
                    if let Some(k) = o.keys().find(|k| *k != "members" && *k != "match") {
                        return Err(bad(format!("list \"{name}\": unknown key \"{k}\"")));
                    }
                    let mut list = List::new(list_name, mode);
                    strings(path, text, members, name, &mut list)?;
                    list
                }
                _ => {
                    return Err(bad(format!(
                        "list \"{name}\" must be an array or an object"
                    )));
                }
            };
            let mut list = list;
            list.origin = format!("{}:{line}", path.display());
            self.add(list)?;
        }
        Ok(())
    }

    fn load_csv_map(&mut self, path: &Path, text: &str) -> Result<(), ListError> {
        check_csv_quotes(path, text)?;
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = rdr.headers().map_err(|e| csv_error(path, &e))?.clone();
        let col = |want: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(want))
        };
        let (Some(lc), Some(mc)) = (col("list"), col("member")) else {
            return Err(ListError::Bad {
                path: path.into(),
                line: 1,
                message: "the header row must name the columns 'list' and 'member'".into(),
            });
        };
        let mut by_name: Vec<(List, usize)> = Vec::new();
        // Raw name → index in by_name: a name is parsed once, not per row.
        let mut seen: HashMap<String, usize> = HashMap::new();
        // One record, reused: no allocation per row.
        let mut rec = csv::StringRecord::new();
        while rdr.read_record(&mut rec).map_err(|e| csv_error(path, &e))? {
            let line = rec.position().map_or(0, |p| p.line() as usize);
            let bad = |message: String| ListError::Bad {
                path: path.into(),
                line,
                message,
            };
            let name = rec.get(lc).map(str::trim).unwrap_or("");
            let member = rec.get(mc).map(str::trim).unwrap_or("");
            if name.is_empty() && member.is_empty() {
                continue;
            }
            if name.is_empty() || member.is_empty() {
                return Err(bad("each row needs both a list name and a member".into()));
            }
            check_member(path, line, member)?;
            if let Some(&i) = seen.get(name) {
                by_name[i].0.push(member);
                continue;
            }
            let list_name = parse_name(name)
                .map_err(|e| bad(format!("\"{name}\" is not a valid list name: {e}")))?;
            let i = match by_name
                .iter()
                .position(|(l, _)| l.name.normalized == list_name.normalized)
            {
                Some(i) => i,
                None => {
                    by_name.push((List::of(list_name), line));
                    by_name.len() - 1
                }
            };
            by_name[i].0.push(member);
            seen.insert(name.to_owned(), i);
        }
        for (mut list, line) in by_name {
            list.origin = format!("{}:{line}", path.display());
            self.add(list)?;
        }
        Ok(())
    }
}

/// A file name as an address-book name segment: characters that are not
/// unreserved (RFC 3986 §2.3) percent-encoded, so that any file name makes
/// a valid `:addrbook:` name (RFC 6134 §2.6) that decodes back to it.
fn percent_encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn default_mode(name: &ListName) -> MatchMode {
    if name.is_addrbook() {
        MatchMode::Casemap
    } else {
        MatchMode::Octet
    }
}

fn read(path: &Path) -> Result<Vec<u8>, ListError> {
    let io = |e: std::io::Error| ListError::Io {
        path: path.into(),
        message: e.to_string(),
    };
    // The size first: a file too big is refused before it is read. Only a
    // regular file is read (a FIFO would block: crate::files).
    let (file, size) = crate::files::open_sized(path).map_err(io)?;
    too_big(path, size)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, size.saturating_add(1)),
        &mut bytes,
    )
    .map_err(io)?;
    too_big(path, bytes.len() as u64)?;
    Ok(bytes)
}

fn too_big(path: &Path, size: u64) -> Result<(), ListError> {
    if size > MAX_LIST_FILE_BYTES {
        return Err(ListError::File {
            path: path.into(),
            message: format!(
                "{size} bytes: a list file may have at most {MAX_LIST_FILE_BYTES} (1 GiB)"
            ),
        });
    }
    Ok(())
}

/// The file as text, without a leading byte order mark (spreadsheet and
/// Windows exports start with one, whatever the format); not copied.
fn utf8<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, ListError> {
    too_big(path, bytes.len() as u64)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        ListError::Bad {
            path: path.into(),
            line,
            message: format!("invalid UTF-8 at byte {at}"),
        }
    })
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn json(path: &Path, text: &str) -> Result<serde_json::Value, ListError> {
    check_json_strings(path, text)?;
    serde_json::from_str(text).map_err(|e| ListError::Bad {
        path: path.into(),
        line: e.line(),
        message: format!("invalid JSON: {e}"),
    })
}

/// RFC 4180 §2 quoting, checked before the CSV reader sees the text (it
/// reads a quote left open to the end of the file as one field, and text
/// after a closing quote as part of the field): a quoted field starts at
/// the start of a field, `""` inside it is one quote, and the closing quote
/// is followed by a comma, a line break or the end. Anything else is an
/// error at the line where the field starts.
fn check_csv_quotes(path: &Path, text: &str) -> Result<(), ListError> {
    let b = text.as_bytes();
    let mut line = 1;
    let mut i = 0;
    let mut field_start = true;
    while i < b.len() {
        match b[i] {
            b'"' if field_start => {
                let opened = line;
                i += 1;
                loop {
                    match b.get(i) {
                        None => {
                            return Err(ListError::Bad {
                                path: path.into(),
                                line: opened,
                                message: "invalid CSV: a quoted field is never closed (a \" \
                                          inside a quoted field is written \"\")"
                                    .into(),
                            });
                        }
                        Some(b'"') if b.get(i + 1) == Some(&b'"') => i += 2,
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\n') => {
                            line += 1;
                            i += 1;
                        }
                        Some(_) => i += 1,
                    }
                }
                match b.get(i) {
                    None | Some(b',' | b'\r' | b'\n') => {}
                    Some(_) => {
                        return Err(ListError::Bad {
                            path: path.into(),
                            line,
                            message: "invalid CSV: text after the closing quote of a field \
                                      (a \" inside a quoted field is written \"\")"
                                .into(),
                        });
                    }
                }
                field_start = false;
            }
            b',' => {
                field_start = true;
                i += 1;
            }
            b'\n' => {
                line += 1;
                field_start = true;
                i += 1;
            }
            _ => {
                field_start = false;
                i += 1;
            }
        }
    }
    Ok(())
}

fn csv_error(path: &Path, e: &csv::Error) -> ListError {
    ListError::Bad {
        path: path.into(),
        line: e.position().map_or(1, |p| p.line() as usize),
        message: format!("invalid CSV: {e}"),
    }
}

/// The members of a JSON array, each a string, into `out` (each dropped
/// from the array as it is added). Their length was checked before the
/// file was parsed ([`check_json_strings`]).
fn strings(
    path: &Path,
    text: &str,
    arr: Vec<serde_json::Value>,
    list: &str,
    out: &mut List,
) -> Result<(), ListError> {
    for (i, v) in arr.into_iter().enumerate() {
        match v {
            serde_json::Value::String(s) => out.push(&s),
            v => {
                return Err(ListError::Bad {
                    path: path.into(),
                    line: if list.is_empty() {
                        1
                    } else {
                        line_of_key(text, list)
                    },
                    message: format!(
                        "member {} of {} is {}, not a string",
                        i + 1,
                        if list.is_empty() {
                            "the list".to_owned()
                        } else {
                            format!("\"{list}\"")
                        },
                        v
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Every string of a JSON text (members, names, keys) is at most
/// [`MAX_MEMBER_BYTES`] once unescaped, checked by one pass over the text
/// before it is parsed: a huge string is refused at its line without being
/// held. Unescaped lengths: `\uXXXX` is 1 to 3 bytes of UTF-8 (each half
/// of a surrogate pair 2), other escapes 1 byte.
fn check_json_strings(path: &Path, text: &str) -> Result<(), ListError> {
    let b = text.as_bytes();
    let (mut i, mut line) = (0, 1);
    while let Some(q) = memchr::memchr2(b'"', b'\n', &b[i..]) {
        i += q;
        if b[i] == b'\n' {
            line += 1;
            i += 1;
            continue;
        }
        // A string from b[i] (its opening quote).
        let (start_line, mut len) = (line, 0usize);
        i += 1;
        while i < b.len() && b[i] != b'"' {
            match b[i] {
                b'\\' if b.get(i + 1) == Some(&b'u') => {
                    let cp = text
                        .get(i + 2..i + 6)
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .unwrap_or(0);
                    len += match cp {
                        0..0x80 => 1,
                        0x80..0x800 | 0xD800..0xE000 => 2,
                        _ => 3,
                    };
                    i += 6;
                }
                b'\\' => {
                    len += 1;
                    i += 2;
                }
                b'\n' => {
                    // Not valid JSON; the parser says so.
                    line += 1;
                    len += 1;
                    i += 1;
                }
                _ => {
                    len += 1;
                    i += 1;
                }
            }
        }
        if len > MAX_MEMBER_BYTES {
            return Err(ListError::Bad {
                path: path.into(),
                line: start_line,
                message: format!(
                    "a JSON string of {len} bytes: longer than {MAX_MEMBER_BYTES} bytes, the \
                     most a list member or name may have"
                ),
            });
        }
        // Past the closing quote (an escape at the very end may overshoot).
        i = (i + 1).min(b.len());
    }
    Ok(())
}

/// The line on which a JSON key first appears (serde_json keeps no spans).
fn line_of_key(text: &str, key: &str) -> usize {
    line_of_key_nth(text, key, 0)
}

/// The line of the `n`th (0-based) appearance of a JSON key (SIMD search:
/// a key after a big list is megabytes into the file).
fn line_of_key_nth(text: &str, key: &str, n: usize) -> usize {
    let quoted = serde_json::to_string(key).unwrap_or_default();
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, quoted.as_bytes())
        .nth(n)
        .map_or(1, |i| {
            memchr::memchr_iter(b'\n', bytes.get(..i).unwrap_or_default()).count() + 1
        })
}

/// A JSON object's entries in order, duplicates included.
struct Entries(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of lists")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Entries, A::Error> {
                let mut v = Vec::new();
                while let Some(entry) = m.next_entry::<String, serde_json::Value>()? {
                    v.push(entry);
                }
                Ok(Entries(v))
            }
        }
        d.deserialize_map(V)
    }
}

/// A one-list CSV: the e-mail column of address-book exports, by name;
/// else the first column. A header row is expected.
fn one_list_csv(path: &Path, text: &str, out: &mut List) -> Result<(), ListError> {
    check_csv_quotes(path, text)?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| csv_error(path, &e))?.clone();
    const NAMES: &[&str] = &[
        "email",
        "e-mail",
        "email address",
        "e-mail address",
        "member",
        "value",
    ];
    let col = headers
        .iter()
        .position(|h| NAMES.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
        .unwrap_or(0);
    let mut rec = csv::StringRecord::new();
    while rdr.read_record(&mut rec).map_err(|e| csv_error(path, &e))? {
        let v = rec.get(col).map(str::trim).unwrap_or("");
        let line = rec.position().map_or(0, |p| p.line() as usize);
        check_member(path, line, v)?;
        if !v.is_empty() {
            out.push(v);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A live list answering from a fixed set, or failing.
    #[derive(Debug, Default)]
    struct FakeLive {
        members: Vec<&'static str>,
        fail: bool,
        asked: std::sync::Mutex<Vec<String>>,
    }

    impl Live for FakeLive {
        fn find(&self, value: &str) -> Result<(Option<String>, bool), String> {
            if self.fail {
                return Err("server gone".into());
            }
            let mut asked = self.asked.lock().expect("lock");
            let cached = asked.iter().any(|a| a.eq_ignore_ascii_case(value));
            asked.push(value.to_string());
            let m = self.members.iter().find(|m| m.eq_ignore_ascii_case(value));
            Ok((m.map(|m| (*m).to_string()), cached))
        }
        fn counts(&self) -> (u64, u64) {
            let n = self.asked.lock().expect("lock").len() as u64;
            (n, n)
        }
        fn failure(&self) -> Option<String> {
            self.fail.then(|| "server gone".to_string())
        }
    }

    #[test]
    fn a_live_list_answers_per_lookup_and_says_from_where() {
        let name = parse_name(":addrbook:staff").expect("name");
        let live = std::sync::Arc::new(FakeLive {
            members: vec!["Ann@Example.org"],
            ..FakeLive::default()
        });
        let list = List::live(name, "LDAP ldap://h/dc=x".into(), live);
        assert!(list.members.is_empty(), "no members are held");
        let hit = list.lookup("ann@example.ORG").expect("answered");
        assert_eq!(hit.member.as_deref(), Some("Ann@Example.org"));
        assert_eq!(hit.from(), "LDAP ldap://h/dc=x");
        let again = list.lookup("ANN@example.org").expect("answered");
        assert_eq!(again.from(), "LDAP ldap://h/dc=x (cached in this run)");
        let miss = list.lookup("bob@example.org").expect("answered");
        assert_eq!(miss.member, None);
        let mut set = ListSet::default();
        set.add(list).expect("added");
        assert_eq!(
            set.live_lists(),
            vec![(":addrbook:staff", 3, 3, None)],
            "the run's note counts lookups"
        );
    }

    #[test]
    fn a_failing_live_list_is_an_error_not_a_miss() {
        let name = parse_name(":addrbook:staff").expect("name");
        let live = std::sync::Arc::new(FakeLive {
            fail: true,
            ..FakeLive::default()
        });
        let list = List::live(name, "LDAP ldap://h/dc=x".into(), live);
        assert_eq!(list.lookup("ann@example.org"), Err("server gone".into()));
        let mut set = ListSet::default();
        set.add(list).expect("added");
        assert_eq!(set.live_lists()[0].3.as_deref(), Some("server gone"));
    }

    #[test]
    fn a_held_list_answers_from_its_origin() {
        let mut list = List::of(parse_name(":addrbook:staff").expect("name"));
        list.origin = "staff.csv:2".into();
        list.push("Ann@Example.org");
        let hit = list.lookup("ann@example.org").expect("answered");
        assert_eq!(hit.member.as_deref(), Some("Ann@Example.org"));
        assert_eq!(hit.from(), "staff.csv:2");
        assert!(ListSet::default().live_lists().is_empty());
    }

    #[test]
    fn a_spec_splits_at_its_last_equals_sign() {
        let (name, file) =
            split_spec("ldap:///ou=people,dc=example?mail=lists/people.csv").expect("a valid spec");
        assert_eq!(name, "ldap:///ou=people,dc=example?mail");
        assert_eq!(file, Path::new("lists/people.csv"));
        for bad in ["no-equals", "=file.csv", "name=", ""] {
            assert!(split_spec(bad).is_err(), "{bad:?}");
        }
    }

    fn line_of(err: ListError) -> usize {
        match err {
            ListError::Bad { line, .. } => line,
            other => panic!("expected a located error, got {other:?}"),
        }
    }

    #[test]
    fn a_csv_quote_left_open_is_an_error_at_its_line() {
        let text = "list,member\n:addrbook:a,x@example.org\n:addrbook:a,\"y@example.org\n:addrbook:a,z@example.org\n";
        let mut set = ListSet::default();
        let err = set
            .load_map_bytes(Path::new("l.csv"), text.as_bytes())
            .expect_err("an unterminated quote");
        assert_eq!(line_of(err), 3);
        let err = ListSet::default()
            .load_one_bytes(
                ":addrbook:b",
                Path::new("one.csv"),
                b"email\n\"a@example.org\n",
            )
            .expect_err("an unterminated quote");
        assert_eq!(line_of(err), 2);
    }

    #[test]
    fn text_after_a_closing_quote_is_an_error() {
        let err = ListSet::default()
            .load_one_bytes(
                ":addrbook:b",
                Path::new("one.csv"),
                b"email\n\"a\"b@example.org\n",
            )
            .expect_err("junk after a closing quote");
        assert_eq!(line_of(err), 2);
    }

    #[test]
    fn rfc_4180_quoting_reads_exactly() {
        // A doubled quote, a comma and a line break inside quoted fields,
        // an empty quoted field, CRLF line ends and no final line break.
        let text = "list,member,note\r\n:addrbook:a,\"\"\"q\"\"@example.org\",\"a, b\"\r\n\
                    :addrbook:a,\"x@example.org\",\"two\nlines\"\r\n:addrbook:a,w@example.org,\"\"";
        let mut set = ListSet::default();
        set.load_map_bytes(Path::new("l.csv"), text.as_bytes())
            .expect("valid CSV");
        let list = set.get(":addrbook:a").expect("the list");
        for member in ["\"q\"@example.org", "x@example.org", "w@example.org"] {
            assert!(list.find(member).is_some(), "{member}");
        }
    }

    #[test]
    fn a_byte_order_mark_is_accepted_in_every_format() {
        let bom = "\u{feff}";
        let mut set = ListSet::default();
        set.load_map_bytes(
            Path::new("l.json"),
            format!("{bom}{{\":addrbook:j\": [\"a@example.org\"]}}").as_bytes(),
        )
        .expect("JSON with a BOM");
        set.load_map_bytes(
            Path::new("l.csv"),
            format!("{bom}list,member\n:addrbook:c,b@example.org\n").as_bytes(),
        )
        .expect("CSV with a BOM");
        set.load_one_bytes(
            ":addrbook:t",
            Path::new("t.txt"),
            format!("{bom}c@example.org\n").as_bytes(),
        )
        .expect("text with a BOM");
        assert!(
            set.get(":addrbook:j")
                .and_then(|l| l.find("a@example.org"))
                .is_some()
        );
        assert!(
            set.get(":addrbook:c")
                .and_then(|l| l.find("b@example.org"))
                .is_some()
        );
        assert!(
            set.get(":addrbook:t")
                .and_then(|l| l.find("c@example.org"))
                .is_some()
        );
    }
}
