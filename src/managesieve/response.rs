//! Reading ManageSieve responses (RFC 5804 §1.2 and §4, the ABNF):
//! capability and data lines made of strings (quoted, or literals
//! `{N}`/`{N+}` followed by CRLF and N octets), and the final
//! `OK` / `NO` / `BYE` with an optional response code in parentheses and an
//! optional human-readable string.
//!
//! Everything read is bounded (a quoted string, a literal, a line, the
//! lines of one response), so a server that lies cannot make sieve-lint
//! use unbounded memory; anything that does not fit the grammar is a
//! [`ProtocolError`] quoting (escaped, shortened) what was read, never a
//! panic.

use std::io::Read;
use std::time::{Duration, Instant};

/// The largest quoted string or literal a response may carry (a
/// CHECKSCRIPT message for a 1 MiB script stays far below this).
pub const MAX_STRING: usize = 1 << 20;
/// The most data lines one response may have (Dovecot sends about 10
/// capability lines).
pub const MAX_LINES: usize = 1000;
/// The most items (strings, response-code words) on one line.
pub const MAX_ITEMS: usize = 64;
/// The most bytes one response may take, all lines together.
pub const MAX_RESPONSE: usize = 4 << 20;

/// The three ways a response ends (RFC 5804 §1.2: `response-oknobye`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    No,
    Bye,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::No => "NO",
            Status::Bye => "BYE",
        }
    }
}

/// A response code (RFC 5804 §1.3): `(WARNINGS)`, `(SASL "…")`,
/// `(TAG "…")`, `(QUOTA/MAXSIZE)`, …; the name upper-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub name: String,
    pub args: Vec<String>,
}

/// One line of a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A line of strings (a capability, a SASL challenge).
    Data(Vec<String>),
    /// The end of the response.
    Done {
        status: Status,
        code: Option<Code>,
        text: Option<String>,
    },
}

/// What the server sent could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    #[error("the server closed the connection")]
    Closed,
    #[error("no answer from the server within {0} s")]
    Timeout(u64),
    #[error("reading from the server: {0}")]
    Io(String),
    #[error("malformed response from the server: {0}")]
    Malformed(String),
}

/// Reads responses from a byte stream, with a deadline per response.
pub struct Reader<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    /// Bytes read so far, to quote in errors (the last few).
    seen: Vec<u8>,
    timeout: Duration,
    deadline: Option<Instant>,
    /// Bytes the current response may still take.
    budget: usize,
}

impl<R: Read> Reader<R> {
    pub fn new(inner: R, timeout: Duration) -> Reader<R> {
        Reader {
            inner,
            buf: Vec::new(),
            pos: 0,
            seen: Vec::new(),
            timeout,
            deadline: None,
            budget: MAX_RESPONSE,
        }
    }

    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    pub fn into_inner(self) -> R {
        self.inner
    }

    /// Whether bytes the server sent are waiting unread (a server that
    /// speaks before it is asked).
    pub fn has_buffered(&self) -> bool {
        self.pos < self.buf.len()
    }

    /// Counts `n` bytes against the response's budget.
    fn spend(&mut self, n: usize) -> Result<(), ProtocolError> {
        match self.budget.checked_sub(n) {
            Some(left) => {
                self.budget = left;
                Ok(())
            }
            None => Err(self.malformed("response larger than 4 MiB")),
        }
    }

    fn fill(&mut self) -> Result<(), ProtocolError> {
        if self.deadline.is_some_and(|d| Instant::now() > d) {
            return Err(ProtocolError::Timeout(self.timeout.as_secs()));
        }
        self.buf.clear();
        self.pos = 0;
        let mut chunk = [0u8; 8192];
        loop {
            match self.inner.read(&mut chunk) {
                Ok(0) => return Err(ProtocolError::Closed),
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    return Err(ProtocolError::Timeout(self.timeout.as_secs()));
                }
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    return Err(ProtocolError::Closed);
                }
                Err(e) => return Err(ProtocolError::Io(e.to_string())),
            }
        }
    }

    fn peek(&mut self) -> Result<u8, ProtocolError> {
        if self.pos >= self.buf.len() {
            self.fill()?;
        }
        Ok(self.buf[self.pos])
    }

    fn next(&mut self) -> Result<u8, ProtocolError> {
        let b = self.peek()?;
        self.spend(1)?;
        self.pos += 1;
        if self.seen.len() >= 80 {
            self.seen.drain(..40);
        }
        self.seen.push(b);
        Ok(b)
    }

    fn malformed(&self, what: &str) -> ProtocolError {
        let near: String = self
            .seen
            .iter()
            .flat_map(|b| std::ascii::escape_default(*b))
            .map(char::from)
            .collect();
        ProtocolError::Malformed(format!("{what} (after \"{near}\")"))
    }

    fn expect(&mut self, want: u8, what: &str) -> Result<(), ProtocolError> {
        if self.next()? == want {
            Ok(())
        } else {
            Err(self.malformed(what))
        }
    }

    fn crlf(&mut self) -> Result<(), ProtocolError> {
        // Lenient: a bare LF ends a line too (some servers, some proxies).
        match self.next()? {
            b'\r' => self.expect(b'\n', "CR without LF"),
            b'\n' => Ok(()),
            _ => Err(self.malformed("expected the end of the line")),
        }
    }

    /// `quoted = DQUOTE *QUOTED-CHAR DQUOTE`, with `\"` and `\\`.
    fn quoted(&mut self) -> Result<String, ProtocolError> {
        self.expect(b'"', "expected a quoted string")?;
        let mut out = Vec::new();
        loop {
            match self.next()? {
                b'"' => break,
                b'\\' => match self.next()? {
                    c @ (b'"' | b'\\') => out.push(c),
                    _ => return Err(self.malformed("bad escape in a quoted string")),
                },
                b'\r' | b'\n' | 0 => {
                    return Err(self.malformed("line break inside a quoted string"));
                }
                c => out.push(c),
            }
            if out.len() > MAX_STRING {
                return Err(self.malformed("quoted string longer than 1 MiB"));
            }
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// `literal = "{" number [ "+" ] "}" CRLF *OCTET`.
    fn literal(&mut self) -> Result<String, ProtocolError> {
        self.expect(b'{', "expected a literal")?;
        let mut n: usize = 0;
        let mut digits = 0;
        loop {
            let b = self.next()?;
            match b {
                b'0'..=b'9' => {
                    digits += 1;
                    n = n
                        .checked_mul(10)
                        .and_then(|n| n.checked_add(usize::from(b - b'0')))
                        .filter(|n| *n <= MAX_STRING)
                        .ok_or_else(|| self.malformed("literal longer than 1 MiB"))?;
                }
                b'+' => {
                    self.expect(b'}', "expected } after + in a literal")?;
                    break;
                }
                b'}' => break,
                _ => return Err(self.malformed("bad literal length")),
            }
        }
        if digits == 0 {
            return Err(self.malformed("literal without a length"));
        }
        self.crlf()?;
        let mut out = Vec::with_capacity(n.min(65536));
        while out.len() < n {
            if self.pos >= self.buf.len() {
                self.fill()?;
            }
            let take = (n - out.len()).min(self.buf.len() - self.pos);
            self.spend(take)?;
            out.extend_from_slice(&self.buf[self.pos..self.pos + take]);
            self.pos += take;
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    fn string(&mut self) -> Result<String, ProtocolError> {
        match self.peek()? {
            b'"' => self.quoted(),
            b'{' => self.literal(),
            _ => Err(self.malformed("expected a string")),
        }
    }

    /// An atom: letters, digits and the few marks response codes use.
    fn atom(&mut self) -> Result<String, ProtocolError> {
        let mut out = String::new();
        while let b @ (b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'/' | b'.' | b'_' | b':') =
            self.peek()?
        {
            self.spend(1)?;
            self.pos += 1;
            out.push(char::from(b));
            if out.len() > 1024 {
                return Err(self.malformed("word longer than 1024 characters"));
            }
        }
        if out.is_empty() {
            return Err(self.malformed("expected a word"));
        }
        Ok(out)
    }

    fn code(&mut self) -> Result<Code, ProtocolError> {
        self.expect(b'(', "expected a response code")?;
        let name = self.atom()?.to_ascii_uppercase();
        let mut args = Vec::new();
        loop {
            match self.next()? {
                b')' => break,
                b' ' => {
                    if args.len() >= MAX_ITEMS {
                        return Err(self.malformed("too many items in a response code"));
                    }
                    args.push(match self.peek()? {
                        b'"' | b'{' => self.string()?,
                        _ => self.atom()?,
                    });
                }
                _ => return Err(self.malformed("bad response code")),
            }
        }
        Ok(Code { name, args })
    }

    /// Reads one line; the deadline runs from the first line of a
    /// response ([`Reader::response`] starts it).
    pub fn line(&mut self) -> Result<Line, ProtocolError> {
        match self.peek()? {
            b'"' | b'{' => {
                let mut items = vec![self.string()?];
                loop {
                    match self.peek()? {
                        b' ' => {
                            self.pos += 1;
                            if items.len() >= MAX_ITEMS {
                                return Err(self.malformed("too many strings on a line"));
                            }
                            items.push(self.string()?);
                        }
                        _ => {
                            self.crlf()?;
                            return Ok(Line::Data(items));
                        }
                    }
                }
            }
            _ => {
                let word = self.atom()?;
                let status = match word.to_ascii_uppercase().as_str() {
                    "OK" => Status::Ok,
                    "NO" => Status::No,
                    "BYE" => Status::Bye,
                    _ => return Err(self.malformed("expected OK, NO, BYE or a string")),
                };
                let mut code = None;
                let mut text = None;
                if self.peek()? == b' ' {
                    self.pos += 1;
                    if self.peek()? == b'(' {
                        code = Some(self.code()?);
                        if self.peek()? == b' ' {
                            self.pos += 1;
                            text = Some(self.string()?);
                        }
                    } else {
                        text = Some(self.string()?);
                    }
                }
                self.crlf()?;
                Ok(Line::Done { status, code, text })
            }
        }
    }

    /// Reads a whole response: its data lines and the line that ends it,
    /// within the response timeout.
    pub fn response(&mut self) -> Result<Response, ProtocolError> {
        self.deadline = Some(Instant::now() + self.timeout);
        self.budget = MAX_RESPONSE;
        let mut lines = Vec::new();
        let result = loop {
            match self.line() {
                Ok(Line::Data(items)) => {
                    if lines.len() >= MAX_LINES {
                        break Err(self.malformed("more than 1000 lines in one response"));
                    }
                    lines.push(items);
                }
                Ok(Line::Done { status, code, text }) => {
                    break Ok(Response {
                        lines,
                        status,
                        code,
                        text,
                    });
                }
                Err(e) => break Err(e),
            }
        };
        self.deadline = None;
        result
    }

    /// Reads one line as a SASL step: a challenge (one string) or the end.
    pub fn sasl_step(&mut self) -> Result<Line, ProtocolError> {
        self.deadline = Some(Instant::now() + self.timeout);
        self.budget = MAX_RESPONSE;
        let line = self.line();
        self.deadline = None;
        line
    }
}

/// A whole response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub lines: Vec<Vec<String>>,
    pub status: Status,
    pub code: Option<Code>,
    pub text: Option<String>,
}

impl Response {
    /// `NO (CODE) "text"` for messages.
    pub fn describe(&self) -> String {
        let mut s = self.status.as_str().to_string();
        if let Some(c) = &self.code {
            s.push_str(" (");
            s.push_str(&c.name);
            for a in &c.args {
                s.push(' ');
                s.push_str(a);
            }
            s.push(')');
        }
        if let Some(t) = &self.text {
            s.push_str(&format!(" \"{}\"", t.replace(['\r', '\n'], " ")));
        }
        s
    }
}

/// Reads every response in `bytes` (for tests and fuzzing): the responses
/// read, then the error that stopped the reading (`Closed` at the end).
pub fn parse_all(bytes: &[u8]) -> (Vec<Response>, ProtocolError) {
    let mut r = Reader::new(bytes, Duration::from_secs(5));
    let mut out = Vec::new();
    loop {
        match r.response() {
            Ok(resp) => out.push(resp),
            Err(e) => return (out, e),
        }
    }
}

/// Quotes `s` as a ManageSieve quoted string, or a non-synchronizing
/// literal when it holds a line break, a NUL, or is long (RFC 5804 §4).
pub fn encode_string(s: &str) -> Vec<u8> {
    if s.len() <= 1024 && !s.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
        let mut out = Vec::with_capacity(s.len() + 2);
        out.push(b'"');
        for b in s.bytes() {
            if b == b'"' || b == b'\\' {
                out.push(b'\\');
            }
            out.push(b);
        }
        out.push(b'"');
        out
    } else {
        let mut out = format!("{{{}+}}\r\n", s.len()).into_bytes();
        out.extend_from_slice(s.as_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greeting() {
        let (rs, end) = parse_all(
            b"\"IMPLEMENTATION\" \"Dovecot Pigeonhole\"\r\n\"SIEVE\" \"fileinto envelope\"\r\n\"STARTTLS\"\r\nOK \"ready\"\r\n",
        );
        assert_eq!(end, ProtocolError::Closed);
        assert_eq!(rs.len(), 1);
        assert_eq!(rs[0].lines.len(), 3);
        assert_eq!(rs[0].lines[2], vec!["STARTTLS".to_string()]);
        assert_eq!(rs[0].status, Status::Ok);
        assert_eq!(rs[0].text.as_deref(), Some("ready"));
    }

    #[test]
    fn literals_codes_and_escapes() {
        let (rs, _) = parse_all(
            b"{7}\r\nSIE\"VE\" {3+}\r\na b\r\nNO (QUOTA/MAXSIZE) {4}\r\nx\r\ny\r\nok (tag \"a\\\"b\")\r\nBYE\n",
        );
        assert_eq!(rs[0].lines[0], vec!["SIE\"VE\"".to_string(), "a b".into()]);
        assert_eq!(rs[0].status, Status::No);
        assert_eq!(rs[0].code.as_ref().unwrap().name, "QUOTA/MAXSIZE");
        assert_eq!(rs[0].text.as_deref(), Some("x\r\ny"));
        assert_eq!(rs[1].code.as_ref().unwrap().args, vec!["a\"b".to_string()]);
        assert_eq!(rs[2].status, Status::Bye);
    }

    #[test]
    fn lies_are_errors() {
        for bad in [
            &b"HELLO\r\n"[..],
            b"{99999999999999999999}\r\n",
            b"\"unterminated\r\n",
            b"OK (\r\n",
            b"{}\r\n",
            b"\"a\" x\r\n",
            b"OK \"a\\q\"\r\n",
        ] {
            let (rs, e) = parse_all(bad);
            assert!(rs.is_empty());
            assert!(matches!(e, ProtocolError::Malformed(_)), "{e:?}");
        }
    }

    /// Memory stays bounded: many long lines are cut off at 4 MiB.
    #[test]
    fn responses_are_bounded() {
        let line = format!("\"{}\"\r\n", "x".repeat(100_000));
        let bytes = line.repeat(50).into_bytes();
        let (rs, e) = parse_all(&bytes);
        assert!(rs.is_empty());
        assert!(
            matches!(&e, ProtocolError::Malformed(m) if m.contains("4 MiB")),
            "{e:?}"
        );
    }

    #[test]
    fn encodes() {
        assert_eq!(encode_string("a\"b"), b"\"a\\\"b\"");
        assert_eq!(encode_string("a\nb"), b"{3+}\r\na\nb");
    }
}
