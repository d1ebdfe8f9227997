//! Messages for the dry run: loading (.eml, folders, Maildir, mbox) and
//! access to headers, addresses, envelope and body.
//!
//! A [`Mail`] owns its raw bytes. The top-level header block is split when
//! the message is loaded (one pass, no allocation per line); header values
//! are unfolded and RFC 2047-decoded on first use and cached. The MIME
//! structure is parsed with mail-parser only when a body or MIME test asks
//! for it, and kept in owned form so a `Mail` is `Send + Sync`.
//!
//! Nothing here panics on input: malformed MIME, invalid UTF-8 and huge
//! headers are handled in time linear in the size of the message.

use std::io::{BufRead, BufReader, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, OnceLock};

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::decoders::html::html_to_text;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::parsers::MessageStream;
use mail_parser::{DateTime, HeaderName, HeaderValue, MessageParser, PartType};

/// One message: its name for reports, its raw octets and its header fields.
pub struct Mail {
    path: String,
    raw: Vec<u8>,
    fields: Vec<Field>,
    /// Where the body starts (after the blank line, or at the first line that
    /// is not a header field when the blank line is missing).
    body_start: usize,
    /// Whether a blank line separates the header from the body.
    separator: bool,
    parts: OnceLock<Vec<Part>>,
    /// Why the message may not be what the sender wrote (a message of an
    /// mbox without header fields), a warning of its run.
    note: Option<String>,
}

struct Field {
    name: String,
    value: FieldValue,
    decoded: OnceLock<String>,
    addresses: OnceLock<Vec<Address>>,
}

enum FieldValue {
    /// The octets after the colon, folding included, without the final
    /// line break.
    Raw(Range<usize>),
    /// A value added at run time (editheader), already text.
    Added(String),
}

/// One address of an address header (RFC 5322), as the address test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub local: String,
    pub domain: String,
    /// "local@domain", or the raw text when it is not a valid address (no
    /// '@', an empty local part or domain, several '@'); `local` and
    /// `domain` are then empty.
    pub full: String,
}

impl Address {
    /// A syntactically valid address: both parts present. RFC 5228 §2.7.4:
    /// an invalid address is not matched by `:localpart` or `:domain`.
    pub fn is_valid(&self) -> bool {
        !self.local.is_empty() && !self.domain.is_empty()
    }

    fn invalid(text: &str) -> Address {
        Address {
            local: String::new(),
            domain: String::new(),
            full: text.trim().to_string(),
        }
    }
}

/// The body transform of the body test (RFC 5173 §5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyTransform {
    Raw,
    Text,
    Content(Vec<String>),
}

/// One MIME part, in document order (the root part first).
#[derive(Debug, Clone)]
pub struct Part {
    /// "type/subtype", lower case; "text/plain" when the part has no
    /// Content-Type (RFC 2045 §5.2), "message/rfc822" inside a digest.
    pub content_type: String,
    /// 0 for the root part, +1 for each multipart or message around it.
    pub depth: usize,
    /// The part's header fields in order: name as written, value unfolded and
    /// RFC 2047-decoded.
    pub headers: Vec<(String, String)>,
    pub body: PartBody,
}

/// What a MIME part contains.
#[derive(Debug, Clone)]
pub enum PartBody {
    /// A multipart container; its children follow it. The prologue and
    /// epilogue, joined (what `:content "multipart"` searches, RFC 5173 §5.2).
    Multipart { prologue_epilogue: String },
    /// An encapsulated message (message/rfc822); its parts follow it. The
    /// header block of the nested message (what `:content "message/rfc822"`
    /// searches, RFC 5173 §5.2).
    Message { header: String },
    /// A text/* part, transfer-decoded and converted to UTF-8.
    Text { text: String, html: bool },
    /// Any other leaf, transfer-decoded.
    Binary(Vec<u8>),
}

impl Part {
    fn media_type(&self) -> (&str, &str) {
        self.content_type
            .split_once('/')
            .unwrap_or((self.content_type.as_str(), ""))
    }

    /// Whether a `:content` type ("text", "text/plain", "" for all) names this
    /// part; case-insensitive.
    pub fn matches_type(&self, spec: &str) -> bool {
        let spec = spec.trim();
        if spec.is_empty() {
            return true;
        }
        let (ty, sub) = self.media_type();
        match spec.split_once('/') {
            Some((t, s)) => {
                t.eq_ignore_ascii_case(ty) && (s.is_empty() || s.eq_ignore_ascii_case(sub))
            }
            None => spec.eq_ignore_ascii_case(ty),
        }
    }
}

impl std::fmt::Debug for Mail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mail")
            .field("path", &self.path)
            .field("size", &self.raw.len())
            .field("fields", &self.fields.len())
            .finish()
    }
}

impl Mail {
    /// Splits the header block; never fails (an empty or headerless input is
    /// a message with no header fields).
    pub fn parse(path: impl Into<String>, raw: Vec<u8>) -> Mail {
        let (fields, body_start, separator) = split_header(&raw);
        Mail {
            path: path.into(),
            raw,
            fields,
            body_start,
            separator,
            parts: OnceLock::new(),
            note: None,
        }
    }

    /// A warning about how the message was read (see [`Mbox`]).
    pub fn load_note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// The size in octets (RFC 5228 §5.9).
    pub fn size(&self) -> usize {
        self.raw.len()
    }

    /// The raw octets of the message.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The names of the top-level header fields, in order, as written.
    pub fn header_names(&self) -> Vec<&str> {
        self.fields.iter().map(|f| f.name.as_str()).collect()
    }

    fn matching(&self, name: &str) -> impl Iterator<Item = &Field> {
        let name = name.trim();
        self.fields
            .iter()
            .filter(move |f| f.name.eq_ignore_ascii_case(name))
    }

    fn decoded<'a>(&'a self, field: &'a Field) -> &'a str {
        match &field.value {
            FieldValue::Added(text) => text,
            FieldValue::Raw(range) => field.decoded.get_or_init(|| {
                decode_header_value(self.raw.get(range.clone()).unwrap_or_default())
            }),
        }
    }

    fn unfolded(&self, field: &Field) -> String {
        match &field.value {
            FieldValue::Added(text) => text.clone(),
            FieldValue::Raw(range) => {
                String::from_utf8_lossy(&unfold(self.raw.get(range.clone()).unwrap_or_default()))
                    .into_owned()
            }
        }
    }

    /// Every instance of the header, in order, unfolded (CRLF+WSP → WSP),
    /// leading and trailing whitespace removed, RFC 2047 encoded-words
    /// decoded, invalid UTF-8 replaced lossily. Name compared
    /// case-insensitively.
    pub fn header_values(&self, name: &str) -> Vec<String> {
        self.matching(name)
            .map(|f| self.decoded(f).to_string())
            .collect()
    }

    /// [`Self::header_values`], borrowed (decoded once, cached).
    pub fn header_strs(&self, name: &str) -> impl Iterator<Item = &str> {
        self.matching(name).map(|f| self.decoded(f))
    }

    /// Whether the message has at least one instance of the header.
    pub fn has_header(&self, name: &str) -> bool {
        self.matching(name).next().is_some()
    }

    /// Addresses of every instance of an address header, in order (RFC 5322
    /// address-list: display names dropped, groups expanded into their
    /// members, comments ignored, quoted local parts unquoted). An element
    /// that is not a valid address gives its raw text as `full` with empty
    /// `local`/`domain`; `<>` gives an empty address.
    pub fn addresses(&self, name: &str) -> Vec<Address> {
        self.matching(name)
            .flat_map(|f| {
                f.addresses
                    .get_or_init(|| parse_address_list(&self.unfolded(f)))
                    .iter()
                    .cloned()
            })
            .collect()
    }

    /// [`Self::addresses`], borrowed (parsed once, cached).
    pub fn address_refs(&self, name: &str) -> impl Iterator<Item = &Address> {
        self.matching(name).flat_map(|f| {
            f.addresses
                .get_or_init(|| parse_address_list(&self.unfolded(f)))
                .iter()
        })
    }

    fn first_value(&self, name: &str) -> Option<String> {
        self.matching(name)
            .next()
            .map(|f| self.decoded(f).to_string())
    }

    pub fn subject(&self) -> Option<String> {
        self.first_value("subject")
    }

    /// The From header as shown to a person (encoded-words decoded).
    pub fn from_text(&self) -> Option<String> {
        self.first_value("from")
    }

    /// The envelope sender by default: the address of the first Return-Path
    /// ("" for `<>`, the null reverse-path).
    pub fn default_envelope_from(&self) -> Option<String> {
        let field = self.matching("return-path").next()?;
        let addresses = field
            .addresses
            .get_or_init(|| parse_address_list(&self.unfolded(field)));
        addresses
            .iter()
            .find(|a| a.is_valid() || a.full.is_empty())
            .map(|a| a.full.clone())
    }

    /// The envelope recipient by default: the first valid address of the
    /// first Delivered-To, else the first valid address of To.
    pub fn default_envelope_to(&self) -> Option<String> {
        let first_valid = |name: &str| {
            self.matching(name).find_map(|f| {
                f.addresses
                    .get_or_init(|| parse_address_list(&self.unfolded(f)))
                    .iter()
                    .find(|a| a.is_valid())
                    .map(|a| a.full.clone())
            })
        };
        first_valid("delivered-to").or_else(|| first_valid("to"))
    }

    /// The body undecoded, after the header/body separator.
    pub fn raw_body(&self) -> &[u8] {
        self.raw.get(self.body_start..).unwrap_or_default()
    }

    /// The MIME parts in document order, parsed on first use.
    pub fn parts(&self) -> &[Part] {
        self.parts.get_or_init(|| self.parse_parts())
    }

    /// RFC 5173 body test input. `Raw`: the undecoded body as one string.
    /// `Text`: every text/* part decoded to UTF-8 (text/html converted to
    /// text). `Content(types)`: the decoded content of each part whose media
    /// type matches one of the types ("text" matches text/*, "text/plain"
    /// exactly, "" everything); a matching multipart gives its prologue and
    /// epilogue, a matching message/rfc822 the header of the nested message,
    /// and the children of both are searched on their own types.
    pub fn body(&self, transform: &BodyTransform) -> Vec<String> {
        match transform {
            BodyTransform::Raw => vec![String::from_utf8_lossy(self.raw_body()).into_owned()],
            BodyTransform::Text => self
                .parts()
                .iter()
                .filter_map(|p| match &p.body {
                    PartBody::Text { text, html: false } => Some(text.clone()),
                    PartBody::Text { text, html: true } => Some(html_to_text(text)),
                    _ => None,
                })
                .collect(),
            BodyTransform::Content(types) => self
                .parts()
                .iter()
                .filter(|p| types.iter().any(|t| p.matches_type(t)))
                .map(|p| match &p.body {
                    PartBody::Multipart { prologue_epilogue } => prologue_epilogue.clone(),
                    PartBody::Message { header } => header.clone(),
                    PartBody::Text { text, .. } => text.clone(),
                    PartBody::Binary(bytes) => String::from_utf8_lossy(bytes).into_owned(),
                })
                .collect(),
        }
    }

    /// The date of the first instance of the header as (unix seconds, offset
    /// minutes east of UTC), for the date test; None when absent or
    /// unparsable.
    pub fn date_header(&self, name: &str) -> Option<(i64, i32)> {
        self.matching(name)
            .next()
            .and_then(|f| parse_date(self.decoded(f)))
    }

    /// Adds a header field (editheader): first, or last with `last`.
    pub fn add_header(&mut self, name: &str, value: &str, last: bool) {
        let field = Field {
            name: name.to_string(),
            value: FieldValue::Added(value.to_string()),
            decoded: OnceLock::new(),
            addresses: OnceLock::new(),
        };
        if last {
            self.fields.push(field);
        } else {
            self.fields.insert(0, field);
        }
    }

    /// Deletes instances of a header (editheader): `delete(index, value)` is
    /// called for each instance (index 1-based among that header's instances,
    /// value decoded as in [`Mail::header_values`]) and says whether to
    /// delete it. Returns the number deleted.
    pub fn delete_headers(
        &mut self,
        name: &str,
        mut delete: impl FnMut(usize, &str) -> bool,
    ) -> usize {
        let name = name.trim();
        let mut index = 0;
        let mut keep = Vec::with_capacity(self.fields.len());
        for f in &self.fields {
            if f.name.eq_ignore_ascii_case(name) {
                index += 1;
                keep.push(!delete(index, self.decoded(f)));
            } else {
                keep.push(true);
            }
        }
        let before = self.fields.len();
        let mut flags = keep.into_iter();
        self.fields.retain(|_| flags.next().unwrap_or(true));
        before - self.fields.len()
    }

    fn parse_parts(&self) -> Vec<Part> {
        // mail-parser reads lines without a colon as part of the header; when
        // the blank line is missing, give it one where the body starts.
        let patched;
        let raw: &[u8] = if self.separator || self.body_start >= self.raw.len() {
            &self.raw
        } else {
            let mut v = Vec::with_capacity(self.raw.len() + 2);
            v.extend_from_slice(self.raw.get(..self.body_start).unwrap_or_default());
            v.extend_from_slice(if self.raw.contains(&b'\r') {
                b"\r\n"
            } else {
                b"\n"
            });
            v.extend_from_slice(self.raw_body());
            patched = v;
            &patched
        };
        static PARSER: LazyLock<MessageParser> = LazyLock::new(|| {
            MessageParser::new()
                .with_mime_headers()
                .default_header_ignore()
        });
        let mut parts = Vec::new();
        if let Some(message) = PARSER.parse(raw) {
            collect_parts(&message, &mut parts);
        }
        if parts.is_empty() {
            // No header at all, or nothing mail-parser could use: the body is
            // plain text (RFC 2045 §5.2 default).
            parts.push(Part {
                content_type: "text/plain".into(),
                depth: 0,
                headers: Vec::new(),
                body: PartBody::Text {
                    text: String::from_utf8_lossy(self.raw_body()).into_owned(),
                    html: false,
                },
            });
        }
        parts
    }
}

// ---------------------------------------------------------------------------
// Header block

/// Splits the top-level header block: fields (name and raw value range), the
/// offset of the body, and whether a blank line separated them. A line that
/// is neither a field nor a continuation ends the header (lenient reading of
/// a message without the blank line).
fn split_header(raw: &[u8]) -> (Vec<Field>, usize, bool) {
    let mut fields: Vec<Field> = Vec::new();
    // An mbox "From " envelope line before the header is not a field.
    let mut pos = if raw.starts_with(b"From ") {
        raw.iter()
            .position(|&b| b == b'\n')
            .map_or(raw.len(), |n| n + 1)
    } else {
        0
    };
    while pos < raw.len() {
        let rest = raw.get(pos..).unwrap_or_default();
        let line_len = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        let next = pos + line_len + 1;
        let line = rest.get(..line_len).unwrap_or_default();
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return (fields, next.min(raw.len()), true);
        }
        if matches!(line.first(), Some(b' ' | b'\t')) {
            match fields.last_mut() {
                Some(Field {
                    value: FieldValue::Raw(range),
                    ..
                }) => {
                    range.end = pos + line_len;
                    pos = next;
                    continue;
                }
                _ => return (fields, pos, false),
            }
        }
        match field_name_len(line) {
            Some((name_len, colon)) => {
                fields.push(Field {
                    name: String::from_utf8_lossy(line.get(..name_len).unwrap_or_default())
                        .into_owned(),
                    value: FieldValue::Raw(pos + colon + 1..pos + line_len),
                    decoded: OnceLock::new(),
                    addresses: OnceLock::new(),
                });
                pos = next;
            }
            None => return (fields, pos, false),
        }
    }
    (fields, raw.len(), false)
}

/// The length of the field name and the offset of the colon, when the line
/// starts a header field (RFC 5322 ftext, optionally followed by WSP before
/// the colon as the obsolete syntax allows).
fn field_name_len(line: &[u8]) -> Option<(usize, usize)> {
    let name_len = line
        .iter()
        .position(|&b| !(33..=126).contains(&b) || b == b':')?;
    if name_len == 0 {
        return None;
    }
    let mut i = name_len;
    while let Some(&b) = line.get(i) {
        match b {
            b':' => return Some((name_len, i)),
            b' ' | b'\t' => i += 1,
            _ => return None,
        }
    }
    None
}

/// Removes folding: a line break (CRLF or LF) followed by WSP is dropped, the
/// WSP kept (RFC 5322 §2.2.3). Other CR and LF octets are kept.
fn unfold(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while let Some(&b) = value.get(i) {
        let brk = match (b, value.get(i + 1)) {
            (b'\r', Some(b'\n')) => 2,
            (b'\n', _) => 1,
            _ => 0,
        };
        if brk > 0 && matches!(value.get(i + brk), Some(b' ' | b'\t')) {
            i += brk;
            continue;
        }
        out.push(b);
        i += 1;
    }
    out
}

fn is_wsp(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn trim_wsp(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if is_wsp(*first) {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if is_wsp(*last) {
            s = rest;
        } else {
            break;
        }
    }
    s
}

/// Unfolds, trims and decodes a raw header value.
pub fn decode_header_value(raw: &[u8]) -> String {
    decode_rfc2047(trim_wsp(&unfold(raw)))
}

/// Finds the next occurrence of a pattern at or after a position, for
/// positions that only increase: every octet is examined at most once.
struct Finder<F: Fn(&[u8], usize) -> bool> {
    hit: Option<usize>,
    searched: usize,
    is_hit: F,
}

impl<F: Fn(&[u8], usize) -> bool> Finder<F> {
    fn new(is_hit: F) -> Self {
        Finder {
            hit: None,
            searched: 0,
            is_hit,
        }
    }

    fn find(&mut self, s: &[u8], from: usize) -> Option<usize> {
        if let Some(hit) = self.hit
            && hit >= from
        {
            return Some(hit);
        }
        let mut i = from.max(self.searched);
        while i < s.len() {
            if (self.is_hit)(s, i) {
                self.hit = Some(i);
                self.searched = i;
                return Some(i);
            }
            i += 1;
        }
        self.hit = None;
        self.searched = s.len();
        None
    }
}

/// Decodes RFC 2047 encoded-words anywhere in a header value (leniently,
/// as mail readers do). Whitespace between adjacent encoded-words is dropped
/// (RFC 2047 §6.2); adjacent words in the same charset are decoded together
/// so a character split across them survives. Linear time.
pub fn decode_rfc2047(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending: Option<(Vec<u8>, Vec<u8>)> = None; // (charset, octets)
    let mut literal_start = 0;
    let mut close = Finder::new(|s: &[u8], i| s.get(i..i + 2) == Some(b"?="));
    let mut space = Finder::new(|s: &[u8], i| s.get(i).is_some_and(|&b| is_wsp(b)));
    let mut i = 0;
    while i + 1 < s.len() {
        if s.get(i..i + 2) != Some(b"=?") {
            i += 1;
            continue;
        }
        let Some((charset, octets, end)) = encoded_word(s, i, &mut close, &mut space) else {
            i += 1;
            continue;
        };
        let between = s.get(literal_start..i).unwrap_or_default();
        let adjacent = pending.is_some() && between.iter().all(|&b| is_wsp(b));
        match &mut pending {
            Some((cs, buf)) if adjacent && cs.eq_ignore_ascii_case(&charset) => {
                buf.extend_from_slice(&octets);
            }
            _ => {
                if let Some((cs, buf)) = pending.take() {
                    out.push_str(&decode_charset(&cs, &buf));
                }
                if !adjacent {
                    out.push_str(&String::from_utf8_lossy(between));
                }
                pending = Some((charset, octets));
            }
        }
        i = end;
        literal_start = end;
    }
    if let Some((cs, buf)) = pending.take() {
        out.push_str(&decode_charset(&cs, &buf));
    }
    out.push_str(&String::from_utf8_lossy(
        s.get(literal_start..).unwrap_or_default(),
    ));
    out
}

/// Recognises `=?charset[*lang]?B|Q?text?=` at `start`: (charset, decoded
/// octets, end offset).
fn encoded_word<F1, F2>(
    s: &[u8],
    start: usize,
    close: &mut Finder<F1>,
    space: &mut Finder<F2>,
) -> Option<(Vec<u8>, Vec<u8>, usize)>
where
    F1: Fn(&[u8], usize) -> bool,
    F2: Fn(&[u8], usize) -> bool,
{
    const MAX_CHARSET: usize = 64;
    let cs_start = start + 2;
    let cs_len = s
        .get(cs_start..)?
        .iter()
        .take(MAX_CHARSET + 1)
        .position(|&b| b == b'?' || is_wsp(b) || b == b'=')?;
    if cs_len == 0 || s.get(cs_start + cs_len) != Some(&b'?') {
        return None;
    }
    let charset = s.get(cs_start..cs_start + cs_len)?;
    let charset = charset.split(|&b| b == b'*').next().unwrap_or(charset);
    let enc = *s.get(cs_start + cs_len + 1)?;
    if s.get(cs_start + cs_len + 2) != Some(&b'?') {
        return None;
    }
    let text_start = cs_start + cs_len + 3;
    let text_end = close.find(s, text_start)?;
    if space.find(s, text_start).is_some_and(|w| w < text_end) {
        return None;
    }
    // The decoders read up to and including the closing "?=".
    let word = s.get(text_start..text_end + 2)?;
    let octets = match enc {
        b'B' | b'b' => MessageStream::new(word).decode_base64_word(),
        b'Q' | b'q' => MessageStream::new(word).decode_quoted_printable_word(),
        _ => None,
    }?;
    Some((charset.to_vec(), octets, text_end + 2))
}

fn decode_charset(charset: &[u8], octets: &[u8]) -> String {
    match charset_decoder(charset) {
        Some(decode) => decode(octets),
        None => String::from_utf8_lossy(octets).into_owned(),
    }
}

// ---------------------------------------------------------------------------
// Addresses (RFC 5322 §3.4)

#[derive(Debug)]
enum Tok {
    /// An atom (dots included), a quoted string (unquoted) or a domain
    /// literal, with its span in the source.
    Word {
        text: String,
        quoted: bool,
        span: Range<usize>,
    },
    Special(u8, usize),
}

impl Tok {
    fn span(&self) -> Range<usize> {
        match self {
            Tok::Word { span, .. } => span.clone(),
            Tok::Special(_, at) => *at..*at + 1,
        }
    }
}

fn tokenize(s: &str) -> Vec<Tok> {
    // Encoded-words are at most 75 octets (RFC 2047 §2); allow sloppy
    // senders some more, but bound the look-ahead.
    const MAX_WORD: usize = 512;
    let mut close = Finder::new(|s: &[u8], i| s.get(i..i + 2) == Some(b"?="));
    let mut space = Finder::new(|s: &[u8], i| s.get(i).is_some_and(|&b| is_wsp(b)));
    let b = s.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            // A `)` that closes no comment belongs to no token: skip it (a
            // word would stop at it without consuming it, forever: found
            // by fuzzing, fixtures/fuzz/run_message/).
            b')' => i += 1,
            b'(' => {
                let mut depth = 0usize;
                while let Some(&c) = b.get(i) {
                    match c {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'"' => {
                let start = i;
                let mut text = Vec::new();
                i += 1;
                while let Some(&c) = b.get(i) {
                    match c {
                        b'\\' => {
                            if let Some(&n) = b.get(i + 1) {
                                text.push(n);
                            }
                            i += 2;
                        }
                        b'"' => {
                            i += 1;
                            break;
                        }
                        _ => {
                            text.push(c);
                            i += 1;
                        }
                    }
                }
                let end = i.min(b.len());
                toks.push(Tok::Word {
                    text: String::from_utf8_lossy(&text).into_owned(),
                    quoted: true,
                    span: start..end,
                });
            }
            b'[' => {
                let start = i;
                while let Some(&c) = b.get(i) {
                    i += if c == b'\\' { 2 } else { 1 };
                    if c == b']' {
                        break;
                    }
                }
                let end = i.min(b.len());
                toks.push(Tok::Word {
                    text: s.get(start..end).unwrap_or_default().to_string(),
                    quoted: false,
                    span: start..end,
                });
            }
            b'<' | b'>' | b',' | b':' | b';' | b'@' => {
                toks.push(Tok::Special(c, i));
                i += 1;
            }
            _ => {
                let start = i;
                // An encoded-word in a display name may hold specials.
                let word_end = if b.get(i..i + 2) == Some(b"=?") {
                    let close = close.find(b, i + 2);
                    let space = space.find(b, i + 2).unwrap_or(b.len());
                    close.filter(|&c| c < space && c - i <= MAX_WORD)
                } else {
                    None
                };
                if let Some(close) = word_end {
                    i = close + 2;
                } else {
                    while let Some(&c) = b.get(i) {
                        if is_wsp(c) || b"()<>,:;@\"[".contains(&c) {
                            break;
                        }
                        i += 1;
                    }
                }
                let end = i.min(b.len());
                toks.push(Tok::Word {
                    text: s.get(start..end).unwrap_or_default().to_string(),
                    quoted: false,
                    span: start..end,
                });
            }
        }
    }
    toks
}

/// Parses an address-list (also a single mailbox, a path like Return-Path,
/// or garbage): one [`Address`] per mailbox, group members expanded.
pub fn parse_address_list(value: &str) -> Vec<Address> {
    let toks = tokenize(value);
    let mut out = Vec::new();
    let mut buf: Vec<&Tok> = Vec::new();
    let mut angle: Option<Vec<&Tok>> = None;
    let mut angle_span: Option<Range<usize>> = None;
    let mut in_angle = false;
    // Whether `buf` holds an '@' (then ':' cannot open a group).
    let mut buf_has_at = false;

    let mut flush = |buf: &mut Vec<&Tok>,
                     angle: &mut Option<Vec<&Tok>>,
                     angle_span: &mut Option<Range<usize>>| {
        if let Some(a) = make_address(value, buf, angle.as_deref(), angle_span.clone()) {
            out.push(a);
        }
        buf.clear();
        *angle = None;
        *angle_span = None;
    };

    for tok in &toks {
        if in_angle {
            match tok {
                Tok::Special(b'>', at) => {
                    in_angle = false;
                    if let Some(span) = &mut angle_span {
                        span.end = *at;
                    }
                }
                // A source route (obsolete syntax): "<@a,@b:user@c>".
                Tok::Special(b':', at) => {
                    if let Some(a) = &mut angle {
                        a.clear();
                    }
                    angle_span = Some(at + 1..at + 1);
                }
                Tok::Special(b',', _) => {}
                _ => {
                    if let Some(a) = &mut angle {
                        a.push(tok);
                    }
                    if let Some(span) = &mut angle_span {
                        span.end = tok.span().end;
                    }
                }
            }
            continue;
        }
        match tok {
            Tok::Special(b'<', at) => {
                in_angle = true;
                angle = Some(Vec::new());
                angle_span = Some(at + 1..at + 1);
            }
            Tok::Special(b',', _) => {
                flush(&mut buf, &mut angle, &mut angle_span);
                buf_has_at = false;
            }
            Tok::Special(b':', _) if angle.is_none() && !buf_has_at => {
                // "name:" opens a group; the name is not an address.
                buf.clear();
            }
            // ";" closes a group.
            Tok::Special(b';', _) => {
                flush(&mut buf, &mut angle, &mut angle_span);
                buf_has_at = false;
            }
            _ => {
                buf_has_at |= matches!(tok, Tok::Special(b'@', _));
                buf.push(tok);
            }
        }
    }
    flush(&mut buf, &mut angle, &mut angle_span);
    out
}

fn make_address(
    source: &str,
    buf: &[&Tok],
    angle: Option<&[&Tok]>,
    angle_span: Option<Range<usize>>,
) -> Option<Address> {
    let (toks, span) = match (angle, angle_span) {
        (Some(a), Some(span)) => (a, span),
        _ => {
            let first = buf.first()?;
            let last = buf.last()?;
            (buf, first.span().start..last.span().end)
        }
    };
    let text = source.get(span).unwrap_or_default();
    if toks.is_empty() {
        // "<>": the null path.
        return Some(Address::invalid(""));
    }
    Some(match addr_spec(toks) {
        Some((local, domain)) => Address {
            full: format!("{local}@{domain}"),
            local,
            domain,
        },
        None => Address::invalid(text),
    })
}

/// local-part "@" domain, from words: the local part unquoted, its words
/// joined where a dot separates them.
fn addr_spec(toks: &[&Tok]) -> Option<(String, String)> {
    let at = toks
        .iter()
        .position(|t| matches!(t, Tok::Special(b'@', _)))?;
    let join = |words: &[&Tok], allow_quoted: bool| -> Option<String> {
        let mut out = String::new();
        for t in words {
            let Tok::Word { text, quoted, .. } = t else {
                return None;
            };
            if *quoted && !allow_quoted {
                return None;
            }
            if !out.is_empty() && !out.ends_with('.') && !text.starts_with('.') {
                return None;
            }
            out.push_str(text);
        }
        (!out.is_empty()).then_some(out)
    };
    let local = join(toks.get(..at)?, true)?;
    let domain = join(toks.get(at + 1..)?, false)?;
    Some((local, domain))
}

// ---------------------------------------------------------------------------
// Dates

/// Parses an RFC 5322 date-time (the date test, RFC 5260 §4): (unix
/// seconds, offset minutes east of UTC). For a Received field the date
/// after the last ';' is used.
pub fn parse_date(value: &str) -> Option<(i64, i32)> {
    let candidate = |v: &str| {
        let mut bytes = v.trim().as_bytes().to_vec();
        bytes.push(b'\n');
        match MessageStream::new(&bytes).parse_date() {
            HeaderValue::DateTime(dt) if dt.is_valid() => Some(dt),
            _ => None,
        }
    };
    let dt: DateTime =
        candidate(value).or_else(|| value.rsplit_once(';').and_then(|(_, d)| candidate(d)))?;
    let minutes = i32::from(dt.tz_hour) * 60 + i32::from(dt.tz_minute);
    let offset = if dt.tz_before_gmt { -minutes } else { minutes };
    Some((dt.to_timestamp(), offset))
}

// ---------------------------------------------------------------------------
// MIME parts

fn collect_parts(message: &mail_parser::Message<'_>, out: &mut Vec<Part>) {
    // Depth-first, explicit stack: (message, part id, depth).
    let mut stack: Vec<(&mail_parser::Message<'_>, u32, usize)> = vec![(message, 0, 0)];
    let mut budget = 100_000usize;
    while let Some((msg, id, depth)) = stack.pop() {
        budget = budget.saturating_sub(1);
        if budget == 0 {
            break;
        }
        let Some(part) = msg.parts.get(id as usize) else {
            continue;
        };
        let raw: &[u8] = &msg.raw_message;
        let headers: Vec<(String, String)> = part
            .headers
            .iter()
            .map(|h| {
                let name = raw
                    .get(h.offset_field as usize..(h.offset_start as usize).saturating_sub(1))
                    .map(|n| String::from_utf8_lossy(trim_wsp(n)).into_owned())
                    .unwrap_or_else(|| h.name.as_str().to_string());
                let value = decode_header_value(
                    raw.get(h.offset_start as usize..h.offset_end as usize)
                        .unwrap_or_default(),
                );
                (name, value)
            })
            .collect();
        let ct = part.headers.iter().find_map(|h| match (&h.name, &h.value) {
            (HeaderName::ContentType, HeaderValue::ContentType(ct)) => Some(ct),
            _ => None,
        });
        let declared = ct.map(|ct| {
            format!(
                "{}/{}",
                ct.ctype().to_ascii_lowercase(),
                ct.subtype().unwrap_or_default().to_ascii_lowercase()
            )
        });
        let body_range =
            part.offset_body as usize..(part.offset_end as usize).max(part.offset_body as usize);
        let (content_type, body) = match &part.body {
            PartType::Multipart(children) => {
                let boundary = ct
                    .and_then(|ct| ct.attribute("boundary"))
                    .unwrap_or_default();
                let pe = prologue_epilogue(raw, msg, body_range, children, boundary.as_bytes());
                for &child in children.iter().rev() {
                    stack.push((msg, child, depth + 1));
                }
                (
                    declared.unwrap_or_else(|| "multipart/mixed".into()),
                    PartBody::Multipart {
                        prologue_epilogue: pe,
                    },
                )
            }
            PartType::Message(nested) => {
                let header = nested
                    .parts
                    .first()
                    .and_then(|root| {
                        nested
                            .raw_message
                            .get(root.offset_header as usize..root.offset_body as usize)
                    })
                    .map(|h| String::from_utf8_lossy(h).into_owned())
                    .unwrap_or_default();
                stack.push((nested, 0, depth + 1));
                (
                    declared.unwrap_or_else(|| "message/rfc822".into()),
                    PartBody::Message { header },
                )
            }
            PartType::Text(text) | PartType::Html(text) => {
                let html = matches!(part.body, PartType::Html(_));
                match declared {
                    // A part mail-parser could not decode (say, a base64
                    // part whose closing boundary is missing) comes back as
                    // raw text: decode it here under its declared type.
                    Some(ty)
                        if part.is_encoding_problem
                            && !ty.starts_with("text/")
                            && !ty.starts_with("multipart/") =>
                    {
                        let raw_body = raw.get(body_range.clone()).unwrap_or_default();
                        (
                            ty,
                            PartBody::Binary(transfer_decode(&part.headers, raw_body)),
                        )
                    }
                    Some(ty) if part.is_encoding_problem && ty.starts_with("text/") => {
                        let raw_body = raw.get(body_range.clone()).unwrap_or_default();
                        let octets = transfer_decode(&part.headers, raw_body);
                        let text = match ct.and_then(|ct| ct.attribute("charset")) {
                            Some(cs) => decode_charset(cs.as_bytes(), &octets),
                            None => String::from_utf8_lossy(&octets).into_owned(),
                        };
                        let html = ty == "text/html";
                        (ty, PartBody::Text { text, html })
                    }
                    // A multipart without a usable boundary is read as text.
                    Some(ty) if ty.starts_with("text/") => (
                        ty,
                        PartBody::Text {
                            text: text.to_string(),
                            html,
                        },
                    ),
                    _ => (
                        if html { "text/html" } else { "text/plain" }.to_string(),
                        PartBody::Text {
                            text: text.to_string(),
                            html,
                        },
                    ),
                }
            }
            PartType::Binary(bytes) | PartType::InlineBinary(bytes) => (
                declared.unwrap_or_else(|| "application/octet-stream".into()),
                PartBody::Binary(bytes.to_vec()),
            ),
        };
        out.push(Part {
            content_type,
            depth,
            headers,
            body,
        });
    }
}

/// Decodes a part body by its Content-Transfer-Encoding, keeping the octets
/// when they do not decode.
fn transfer_decode(headers: &[mail_parser::Header<'_>], body: &[u8]) -> Vec<u8> {
    let cte = headers.iter().find_map(|h| match (&h.name, &h.value) {
        (HeaderName::ContentTransferEncoding, HeaderValue::Text(t)) => {
            Some(t.trim().to_ascii_lowercase())
        }
        _ => None,
    });
    let decoded = match cte.as_deref() {
        Some("base64") => {
            let compact: Vec<u8> = body.iter().copied().filter(|b| !is_wsp(*b)).collect();
            base64_decode(&compact)
        }
        Some("quoted-printable") => quoted_printable_decode(body),
        _ => None,
    };
    decoded.unwrap_or_else(|| body.to_vec())
}

/// The prologue and epilogue of a multipart body (RFC 2046 §5.1.1), joined
/// with a line break when both are present.
fn prologue_epilogue(
    raw: &[u8],
    msg: &mail_parser::Message<'_>,
    body: Range<usize>,
    children: &[u32],
    boundary: &[u8],
) -> String {
    if boundary.is_empty() {
        return String::new();
    }
    let mut delimiter = b"--".to_vec();
    delimiter.extend_from_slice(boundary);
    let first = children
        .first()
        .and_then(|&c| msg.parts.get(c as usize))
        .map_or(body.end, |p| p.offset_header as usize);
    let last_end = children
        .last()
        .and_then(|&c| msg.parts.get(c as usize))
        .map_or(body.end, |p| p.offset_end as usize);

    let head = raw
        .get(body.start..first.max(body.start))
        .unwrap_or_default();
    let prologue = match find(head, &delimiter) {
        Some(at) => strip_line_break(head.get(..at).unwrap_or_default()),
        None => head,
    };
    let tail = raw
        .get(last_end.min(body.end)..body.end)
        .unwrap_or_default();
    let mut close = delimiter.clone();
    close.extend_from_slice(b"--");
    let epilogue = match find(tail, &close) {
        Some(at) => {
            let after = tail.get(at..).unwrap_or_default();
            let line = after
                .iter()
                .position(|&b| b == b'\n')
                .map_or(after.len(), |n| n + 1);
            after.get(line..).unwrap_or_default()
        }
        None => &[],
    };
    let mut out = String::from_utf8_lossy(prologue).into_owned();
    if !out.is_empty() && !epilogue.is_empty() {
        out.push('\n');
    }
    out.push_str(&String::from_utf8_lossy(epilogue));
    out
}

fn strip_line_break(s: &[u8]) -> &[u8] {
    let s = s.strip_suffix(b"\n").unwrap_or(s);
    s.strip_suffix(b"\r").unwrap_or(s)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------
// Loading

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read '{path}': {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("'{path}' is not a message or an mbox: {reason}")]
    NotMessage { path: PathBuf, reason: String },
    #[error(
        "no messages in '{path}' (a folder is searched for *.eml files, a Maildir for files in cur/ and new/)"
    )]
    NoMessages { path: PathBuf },
}

/// Every message named by the inputs, in order: an .eml file (any file
/// named explicitly), a folder (searched recursively for *.eml, sorted), a
/// Maildir (a folder with cur/ and new/: all files in both, sorted), an mbox
/// file (first line starts with "From "; each message is "FILE#N", 1-based).
/// "-" reads one message from standard input ("<stdin>").
pub fn load(inputs: &[PathBuf]) -> Result<Vec<Mail>, LoadError> {
    load_sources(sources(inputs).0)
}

/// The messages of the sources, one after the other, or the first error.
pub fn load_sources(sources: Vec<Source>) -> Result<Vec<Mail>, LoadError> {
    let mut mails = Vec::new();
    for source in sources {
        mails.extend(source.load()?);
    }
    Ok(mails)
}

/// A file to read messages from (one message, or an mbox), standard input
/// already read, or why the inputs cannot be loaded.
pub struct Source(SourceKind);

enum SourceKind {
    File(PathBuf),
    Stdin(Vec<u8>),
    Failed(LoadError),
}

impl Source {
    /// The messages of this source, in order ([`load`] of its inputs is
    /// the sources' messages one after the other, or the first error).
    pub fn load(self) -> Result<Vec<Mail>, LoadError> {
        match self.0 {
            SourceKind::File(path) => {
                let mut mails = Vec::new();
                load_file(&path, &mut mails)?;
                Ok(mails)
            }
            SourceKind::Stdin(raw) => Ok(vec![Mail::parse("<stdin>", raw)]),
            SourceKind::Failed(e) => Err(e),
        }
    }
}

/// A source opened by [`Source::open`].
pub enum OpenedSource {
    One(Loaded),
    /// An mbox to read message by message, and its path.
    Mbox(Mbox<BufReader<std::fs::File>>, PathBuf),
}

impl Source {
    /// Opens the source: a message is read (unless over `max` octets), an
    /// mbox is opened to be read message by message.
    pub fn open(self, max: u64) -> Result<OpenedSource, LoadError> {
        match self.0 {
            SourceKind::File(path) => Ok(match open_file(&path, max)? {
                Opened::One(l) => OpenedSource::One(l),
                Opened::Mbox(m) => OpenedSource::Mbox(m, path),
            }),
            SourceKind::Stdin(raw) if raw.len() as u64 > max => {
                Ok(OpenedSource::One(Loaded::TooLarge {
                    path: "<stdin>".into(),
                    size: raw.len() as u64,
                    limit: max,
                }))
            }
            SourceKind::Stdin(raw) => {
                Ok(OpenedSource::One(Loaded::Mail(Mail::parse("<stdin>", raw))))
            }
            SourceKind::Failed(e) => Err(e),
        }
    }
}

/// The error that ends a list of sources (an input that cannot be
/// listed), taken out of it.
pub fn take_failure(sources: &mut Vec<Source>) -> Option<LoadError> {
    if matches!(sources.last(), Some(Source(SourceKind::Failed(_))))
        && let Some(Source(SourceKind::Failed(e))) = sources.pop()
    {
        return Some(e);
    }
    None
}

/// The inputs of [`load`] as sources, in order, not read yet (but for
/// standard input): the files can be read in parallel. Folders are listed
/// here; an input that cannot be listed ends the list with its error, as
/// [`load`] stops at it. The notes say what a folder search skipped (a
/// FIFO, socket or device named like a message): the caller shows them.
pub fn sources(inputs: &[PathBuf]) -> (Vec<Source>, Vec<String>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for input in inputs {
        if let Err(e) = add_sources(input, &mut out, &mut notes) {
            out.push(Source(SourceKind::Failed(e)));
            break;
        }
    }
    (out, notes)
}

fn add_sources(
    input: &Path,
    out: &mut Vec<Source>,
    notes: &mut Vec<String>,
) -> Result<(), LoadError> {
    if input.as_os_str() == "-" {
        let mut raw = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut raw)
            .map_err(|source| LoadError::Read {
                path: input.to_path_buf(),
                source,
            })?;
        // A delivery agent may pass the mbox "From " envelope line.
        if raw.starts_with(b"From ") {
            let line = raw
                .iter()
                .position(|&b| b == b'\n')
                .map_or(raw.len(), |n| n + 1);
            raw.drain(..line);
        }
        out.push(Source(SourceKind::Stdin(raw)));
        return Ok(());
    }
    let meta = std::fs::metadata(input).map_err(|source| LoadError::Read {
        path: input.to_path_buf(),
        source,
    })?;
    if meta.is_dir() {
        let mut files = Vec::new();
        if is_maildir(input) {
            for sub in ["cur", "new"] {
                list_files(&input.join(sub), false, &mut files, notes)?;
            }
        } else {
            list_files(input, true, &mut files, notes)?;
        }
        // Already in path order (list_files; Maildir: cur/ before new/).
        if files.is_empty() {
            return Err(LoadError::NoMessages {
                path: input.to_path_buf(),
            });
        }
        out.extend(files.into_iter().map(|f| Source(SourceKind::File(f))));
    } else {
        out.push(Source(SourceKind::File(input.to_path_buf())));
    }
    Ok(())
}

fn is_maildir(dir: &Path) -> bool {
    dir.join("cur").is_dir() && dir.join("new").is_dir()
}

/// Regular files of a folder (not starting with '.'): with `eml_only`,
/// recursively and only *.eml; otherwise every file, not recursing. In
/// path order: each folder's entries are sorted by name (bytes, as `Path`
/// compares a component) and a subfolder's files take its place, which is
/// the order of sorting the whole list of paths, without comparing whole
/// paths component by component (most of the listing's time for 10,000
/// files).
///
/// Symbolic links, as `check` treats them: a link to a folder is not
/// followed (no loops); a link named like a message is followed, and when
/// it leads nowhere (dangling, or a loop of links) that is an error naming
/// it (exit 2), never a silent skip. A FIFO, socket or device named like a
/// message (or a link to one) is skipped with a note: reading it would
/// block or mean nothing.
fn list_files(
    dir: &Path,
    eml_only: bool,
    out: &mut Vec<PathBuf>,
    notes: &mut Vec<String>,
) -> Result<(), LoadError> {
    let read_err = |source| LoadError::Read {
        path: dir.to_path_buf(),
        source,
    };
    // (name, path, a folder?, why it cannot be read): sorted before the
    // first error is returned, so the same tree gives the same error.
    let mut entries: Vec<(std::ffi::OsString, PathBuf, bool, Option<std::io::Error>)> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_err)? {
        let entry = entry.map_err(read_err)?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let ty = entry.file_type().map_err(read_err)?;
        if ty.is_dir() {
            if eml_only {
                entries.push((name, path, true, None));
            }
            continue;
        }
        if eml_only
            && !path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("eml"))
        {
            continue;
        }
        let ty = match crate::files::followed_type(&path, ty) {
            Ok(Some(ty)) => ty,
            Ok(None) => continue,
            Err(e) => {
                entries.push((name, path, false, Some(e)));
                continue;
            }
        };
        match crate::files::kind_of(ty) {
            None => entries.push((name, path, false, None)),
            Some(kind) => notes.push(format!("skipped '{}': {kind}", path.display())),
        }
    }
    entries.sort_unstable_by(|a, b| a.0.as_encoded_bytes().cmp(b.0.as_encoded_bytes()));
    for (_, path, is_dir, broken) in entries {
        if let Some(source) = broken {
            return Err(LoadError::Read { path, source });
        } else if is_dir {
            list_files(&path, true, out, notes)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn load_file(path: &Path, mails: &mut Vec<Mail>) -> Result<(), LoadError> {
    let mut keep = |l: Loaded| {
        if let Loaded::Mail(m) = l {
            mails.push(m);
        }
    };
    match open_file(path, u64::MAX)? {
        Opened::One(l) => keep(l),
        Opened::Mbox(mbox) => {
            for m in mbox {
                keep(m.map_err(|source| LoadError::Read {
                    path: path.to_path_buf(),
                    source,
                })?);
            }
        }
    }
    Ok(())
}

/// `--max-message-size` by default: 100 MiB.
pub const DEFAULT_MAX_MESSAGE_SIZE: u64 = 100 * 1024 * 1024;

/// A message as read: the message, or, past the size limit, its size only
/// (the message is not kept; its run is a run-time error).
#[derive(Debug)]
pub enum Loaded {
    Mail(Mail),
    TooLarge { path: String, size: u64, limit: u64 },
}

impl Loaded {
    /// The bytes held.
    pub fn size(&self) -> usize {
        match self {
            Loaded::Mail(m) => m.size(),
            Loaded::TooLarge { .. } => 0,
        }
    }
}

/// A file opened for the run: one message, or an mbox read message by
/// message.
pub enum Opened {
    One(Loaded),
    Mbox(Mbox<BufReader<std::fs::File>>),
}

/// Opens a message file or an mbox (its first line starts with "From ");
/// a message over `max` bytes is not read.
pub fn open_file(path: &Path, max: u64) -> Result<Opened, LoadError> {
    let read_err = |source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    };
    // Only a regular file: a FIFO would block (crate::files).
    let (file, size) = crate::files::open_sized(path).map_err(read_err)?;
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let head = reader.fill_buf().map_err(read_err)?;
    let name = path.display().to_string();
    if head.starts_with(b"From ") {
        let mbox = Mbox::new(reader, name, max);
        return Ok(Opened::Mbox(mbox));
    }
    if size > max {
        return Ok(Opened::One(Loaded::TooLarge {
            path: name,
            size,
            limit: max,
        }));
    }
    // Sized once from the file's length: no re-allocation while reading.
    let mut raw = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    reader
        .take(max.saturating_add(1))
        .read_to_end(&mut raw)
        .map_err(read_err)?;
    if raw.len() as u64 > max {
        // The file grew while it was read.
        return Ok(Opened::One(Loaded::TooLarge {
            path: name,
            size: raw.len() as u64,
            limit: max,
        }));
    }
    if let Some(reason) = not_a_message(&raw) {
        return Err(LoadError::NotMessage {
            path: path.to_path_buf(),
            reason,
        });
    }
    Ok(Opened::One(Loaded::Mail(Mail::parse(name, raw))))
}

/// Longest piece of a line read at once: a longer line is read in pieces
/// (memory per line is bounded; only a piece at a line start can be a
/// From_ line or a blank line).
const LINE_PIECE: u64 = 64 * 1024;

/// The messages of an mbox, read one at a time (memory: one message).
///
/// The variant read (RFC 4155 §2 describes the format and the ambiguity of
/// its variants): a message starts at a "From " line that is the first line
/// of the file or follows an empty line, and that looks like a From_ line
/// (`From <sender> <asctime date>`: a weekday, month, day, time and year
/// follow the sender). A body line "From here on" after an empty line
/// therefore does not split a message; a line that does look like a From_
/// line cannot be told from one (the ambiguity of mboxo) and does.
///
/// - mboxcl/mboxcl2: where a message has a `Content-Length` header field
///   and the count ends the body exactly where the next From_ line (after
///   at most an empty line) or the end of the file is, the count is
///   trusted: From_ lines inside the body are body. Such a body is taken
///   as it is (mboxcl2 does not quote). A count that does not land there
///   is ignored.
/// - mboxrd: otherwise, a line `>From `, `>>From `, … loses one `>`
///   (mboxo quoted `From ` only once and did not unquote reversibly;
///   mboxrd's unquoting is the only one that gives back what was quoted).
/// - The empty line before a From_ line belongs to the mbox, not to the
///   message before it.
///
/// Each message is named "FILE#N", 1-based. A message with no header
/// field (as a body line taken for a From_ line makes) carries a note:
/// the run shows it as a warning. A message over the size limit is not
/// kept ([`Loaded::TooLarge`]), the mbox is read on.
pub struct Mbox<R> {
    reader: R,
    name: String,
    max: u64,
    /// Messages returned so far.
    count: usize,
    /// Lines to read again before the reader's (after a wrong
    /// Content-Length, the messages it hid).
    replay: Vec<u8>,
    replay_at: usize,
    /// Whether the next piece starts a line.
    at_line_start: bool,
    started: bool,
    done: bool,
}

impl<R: std::io::BufRead> Mbox<R> {
    pub fn new(reader: R, name: String, max: u64) -> Self {
        Mbox {
            reader,
            name,
            max,
            count: 0,
            replay: Vec::new(),
            replay_at: 0,
            at_line_start: true,
            started: false,
            done: false,
        }
    }

    /// Reads the next piece of a line (the whole line with its '\n' when
    /// it is shorter than [`LINE_PIECE`]) into `out`; whether it starts a
    /// line; `None` at the end.
    fn piece(&mut self, out: &mut Vec<u8>) -> std::io::Result<Option<bool>> {
        out.clear();
        let start = self.at_line_start;
        if self.replay_at < self.replay.len() {
            let rest = &self.replay[self.replay_at..];
            let n = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
            out.extend_from_slice(&rest[..n]);
            self.replay_at += n;
            if self.replay_at == self.replay.len() {
                self.replay = Vec::new();
                self.replay_at = 0;
            }
        } else {
            (&mut self.reader).take(LINE_PIECE).read_until(b'\n', out)?;
            if out.is_empty() {
                return Ok(None);
            }
        }
        self.at_line_start = out.ends_with(b"\n");
        Ok(Some(start))
    }
}

/// Whether a line is a From_ line: "From ", a sender, and an asctime date
/// (`Www Mmm dd hh:mm[:ss] [zone] yyyy`), as RFC 4155 §2 and the
/// traditional writers have it, with what follows (a zone, "remote from
/// HOST") allowed.
pub fn is_from_line(line: &[u8]) -> bool {
    const DAYS: [&[u8]; 7] = [b"mon", b"tue", b"wed", b"thu", b"fri", b"sat", b"sun"];
    const MONTHS: [&[u8]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    let toks: Vec<&[u8]> = rest
        .split(|b| b.is_ascii_whitespace())
        .filter(|t| !t.is_empty())
        .take(16)
        .collect();
    let digits = |t: &[u8], n: std::ops::RangeInclusive<usize>| {
        n.contains(&t.len()) && t.iter().all(u8::is_ascii_digit)
    };
    let named = |t: &[u8], names: &[&[u8]]| names.iter().any(|n| t.eq_ignore_ascii_case(n));
    let time = |t: &[u8]| {
        let mut parts = t.split(|&b| b == b':');
        let ok = |p: Option<&[u8]>| p.is_some_and(|p| digits(p, 1..=2));
        ok(parts.next()) && ok(parts.next()) && parts.next().is_none_or(|p| digits(p, 2..=2))
    };
    toks.windows(4).enumerate().any(|(i, w)| {
        named(w[0], &DAYS)
            && named(w[1], &MONTHS)
            && digits(w[2], 1..=2)
            && time(w[3])
            && toks.iter().skip(i + 4).take(3).any(|t| digits(t, 4..=4))
    })
}

fn is_blank(line: &[u8]) -> bool {
    line == b"\n" || line == b"\r\n"
}

/// The value of a `Content-Length` header line, if it is one.
fn content_length(line: &[u8]) -> Option<u64> {
    let (name, value) = line.split_at_checked(15)?;
    if !name.eq_ignore_ascii_case(b"content-length:") {
        return None;
    }
    std::str::from_utf8(value).ok()?.trim().parse().ok()
}

/// mboxrd unquoting, in place: a line `>…>From ` loses one `>`.
fn unquote_from_lines(buf: &mut Vec<u8>) {
    let mut read = 0;
    let mut write = 0;
    while read < buf.len() {
        let end = memchr::memchr(b'\n', &buf[read..]).map_or(buf.len(), |i| read + i + 1);
        let line = &buf[read..end];
        let quotes = line.iter().take_while(|&&b| b == b'>').count();
        let skip = usize::from(quotes > 0 && line[quotes..].starts_with(b"From "));
        buf.copy_within(read + skip..end, write);
        write += end - read - skip;
        read = end;
    }
    buf.truncate(write);
}

impl<R: std::io::BufRead> Iterator for Mbox<R> {
    type Item = std::io::Result<Loaded>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.message() {
            Ok(Some(l)) => Some(Ok(l)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

impl<R: std::io::BufRead> Mbox<R> {
    /// The next message; its From_ line is already read (but for the
    /// first, read here).
    fn message(&mut self) -> std::io::Result<Option<Loaded>> {
        let mut line = Vec::new();
        if !self.started {
            self.started = true;
            // The first line starts with "From " (how the mbox was
            // recognised): it starts the first message, whatever follows.
            if self.piece(&mut line)?.is_none() {
                return Ok(None);
            }
            while !self.at_line_start && self.piece(&mut line)?.is_some() {}
        }
        // A message read again after a wrong count: its own count is not
        // used (each octet is read again at most once: linear time).
        let replaying = self.replay_at < self.replay.len();
        let mut buf: Vec<u8> = Vec::new();
        // Octets of the message so far (also past the limit, where `buf`
        // is no longer filled).
        let mut size: u64 = 0;
        let mut too_large = false;
        // Where the last line began, when it was blank.
        let mut blank_at: Option<u64> = None;
        let mut in_header = true;
        let mut length: Option<u64> = None;
        // The body's end by Content-Length, while it may still hold.
        let mut counted: Option<u64> = None;
        // The first From_ line after an empty line inside the counted
        // body: (where the empty line starts, where the line after the
        // From_ line starts).
        let mut hidden: Option<(usize, usize)> = None;
        let mut trusted = false;
        loop {
            let Some(start) = self.piece(&mut line)? else {
                // The end of the file.
                if let Some(end) = counted {
                    if size == end || blank_at == Some(end) {
                        trusted = true;
                        size = end;
                    } else if let Some((cut, next)) = hidden {
                        self.replay_from(&mut buf, cut, next, &[]);
                        size = cut as u64;
                        break;
                    }
                }
                if let (false, Some(b)) = (trusted, blank_at) {
                    size = b;
                }
                self.done = true;
                break;
            };
            let at = size;
            if start && is_from_line(&line) {
                match counted {
                    Some(end) if at < end => {
                        if blank_at.is_some() && hidden.is_none() && !too_large {
                            let cut = usize::try_from(blank_at.unwrap_or(0)).unwrap_or(0);
                            hidden = Some((cut, buf.len() + line.len()));
                        }
                    }
                    Some(end) if at == end || blank_at == Some(end) => {
                        trusted = true;
                        size = end;
                        break;
                    }
                    Some(_) => {
                        // The count was wrong: the first From_ line it hid
                        // starts the next message.
                        counted = None;
                        if let Some((cut, next)) = hidden {
                            self.replay_from(&mut buf, cut, next, &line);
                            size = cut as u64;
                            break;
                        }
                        if let Some(b) = blank_at {
                            size = b;
                            break;
                        }
                    }
                    None => {
                        if let Some(b) = blank_at {
                            size = b;
                            break;
                        }
                    }
                }
            }
            if start && in_header {
                if is_blank(&line) {
                    in_header = false;
                    counted = length.map(|n| (at + line.len() as u64).saturating_add(n));
                } else if let Some(n) = content_length(&line).filter(|_| !replaying) {
                    length = Some(n);
                } else if !matches!(line.first(), Some(b' ' | b'\t'))
                    && field_name_len(line.strip_suffix(b"\n").unwrap_or(&line)).is_none()
                {
                    in_header = false;
                }
            }
            blank_at = (start && is_blank(&line)).then_some(at);
            size += line.len() as u64;
            if !too_large && size > self.max {
                too_large = true;
                buf = Vec::new();
                hidden = None;
            }
            if !too_large {
                buf.extend_from_slice(&line);
            }
        }
        self.count += 1;
        let path = format!("{}#{}", self.name, self.count);
        if too_large {
            return Ok(Some(Loaded::TooLarge {
                path,
                size,
                limit: self.max,
            }));
        }
        buf.truncate(usize::try_from(size).unwrap_or(buf.len()));
        if !trusted {
            unquote_from_lines(&mut buf);
        }
        let mut mail = Mail::parse(path, buf);
        if mail.fields.is_empty() {
            mail.note = Some(
                "this mbox message has no header fields: a body line starting with \"From \" \
                 in the message before may have been taken for the start of a message (an \
                 unquoted From_ line, RFC 4155)"
                    .into(),
            );
        }
        Ok(Some(Loaded::Mail(mail)))
    }

    /// A wrong Content-Length hid a From_ line: the message ends at `cut`
    /// (its empty line), the next one's From_ line was `buf[..next]`'s last
    /// line, and what follows it (with `line`) is read again.
    fn replay_from(&mut self, buf: &mut Vec<u8>, cut: usize, next: usize, line: &[u8]) {
        let mut again = buf.split_off(next.min(buf.len()));
        again.extend_from_slice(line);
        again.extend_from_slice(&self.replay[self.replay_at..]);
        self.replay = again;
        self.replay_at = 0;
        self.at_line_start = true;
        self.done = false;
        buf.truncate(cut);
    }
}

/// Why a non-empty file cannot be a message: its first line is neither a
/// header field nor the blank line before a body.
fn not_a_message(raw: &[u8]) -> Option<String> {
    if raw.is_empty() {
        return None;
    }
    let line_len = raw.iter().position(|&b| b == b'\n').unwrap_or(raw.len());
    let line = raw.get(..line_len).unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.is_empty() || field_name_len(line).is_some() {
        return None;
    }
    if raw.iter().take(8192).any(|&b| b == 0) {
        return Some("it holds binary data".into());
    }
    let shown: String = String::from_utf8_lossy(line).chars().take(40).collect();
    Some(format!(
        "the first line is not a header field or an mbox \"From \" line: {shown:?}"
    ))
}
