//! The syntax tree. Every node keeps the byte range it came from; line and
//! column are computed only when a diagnostic is rendered.

use serde::Serialize;

/// A byte range in the script source (`start..end`).
///
/// Offsets are 32-bit: a big script has millions of spans, and a script is
/// read only below 4 GiB ([`MAX_SOURCE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    start: u32,
    end: u32,
}

/// The largest source a [`Span`] can address (4 GiB - 1).
pub const MAX_SOURCE: usize = u32::MAX as usize;

/// `at` as a 32-bit offset; past [`MAX_SOURCE`] (never, for a source that
/// was let in) it stays at the limit rather than wrapping.
const fn offset(at: usize) -> u32 {
    if at > MAX_SOURCE { u32::MAX } else { at as u32 }
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span {
            start: offset(start),
            end: offset(end),
        }
    }

    pub const fn start(self) -> usize {
        self.start as usize
    }

    pub const fn end(self) -> usize {
        self.end as usize
    }

    /// The range `start..end`, to index the source.
    pub const fn range(self) -> std::ops::Range<usize> {
        self.start()..self.end()
    }

    pub fn set_end(&mut self, end: usize) {
        self.end = offset(end);
    }

    pub const fn len(self) -> usize {
        self.end() - self.start()
    }

    pub const fn is_empty(self) -> bool {
        self.end == self.start
    }

    /// The smallest span that covers both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn shift(self, by: usize) -> Span {
        Span::new(self.start() + by, self.end() + by)
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

/// A parsed script: the top-level commands.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Script<'s> {
    pub commands: Vec<Command<'s>>,
}

/// A command, test or tag name: the catalog's own copy when it is one of
/// its names as written (no allocation for the usual `if`, `fileinto`,
/// `:contains`), else the script's.
///
/// Two words, not three as a `Cow<str>` would be: both kinds are thin
/// pointers (a big script has a name in every command, test and tag).
#[derive(Clone)]
pub enum Name {
    /// The catalog's copy, with what the name stands for.
    Known(&'static crate::ext::KnownName),
    /// Not among the catalog's names as written.
    Other(Box<Box<str>>),
}

/// The [`Name`] for `s`.
pub fn name(s: &str) -> Name {
    match crate::ext::catalog().known_name(s) {
        Some(known) => Name::Known(known),
        None => Name::Other(Box::new(s.into())),
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Name::Known(k) => k.name,
            Name::Other(s) => s,
        }
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        **self == **other
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

/// An identifier: a command or test name.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: Name,
    pub span: Span,
}

impl Ident {
    /// Identifiers are compared without regard to ASCII case.
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// `identifier arguments (";" / block)` — RFC 5228 §8.2.
#[derive(Debug, Clone, PartialEq)]
pub struct Command<'s> {
    pub name: Ident,
    pub args: Arguments<'s>,
    /// Boxed: most commands have none.
    pub block: Option<Box<Block<'s>>>,
    /// From the identifier to the `;` or the closing `}`.
    pub span: Span,
    /// The head could not be parsed; a syntax error was reported for it.
    /// Its block (if the scanner found one) is still parsed and checked.
    pub broken: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block<'s> {
    pub commands: Box<[Command<'s>]>,
    /// From `{` to `}` (or to the end of the script when unclosed).
    pub span: Span,
}

/// `identifier arguments` used as a test.
#[derive(Debug, Clone, PartialEq)]
pub struct Test<'s> {
    pub name: Ident,
    pub args: Arguments<'s>,
    pub span: Span,
}

/// `*argument [ test / test-list ]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Arguments<'s> {
    pub args: Box<[Argument<'s>]>,
    /// Boxed: most commands and tests take none, and every one of them
    /// would otherwise carry the room.
    pub tests: Option<Box<Tests<'s>>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Tests<'s> {
    One(Test<'s>),
    /// `( test *("," test) )`
    List {
        tests: Vec<Test<'s>>,
        span: Span,
    },
}

impl<'s> Tests<'s> {
    pub fn as_slice(&self) -> &[Test<'s>] {
        match self {
            Tests::One(t) => std::slice::from_ref(t),
            Tests::List { tests, .. } => tests,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Tests::One(t) => t.span,
            Tests::List { span, .. } => *span,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Argument<'s> {
    Tag(Tag),
    Number(Number),
    String(StringLit<'s>),
    StringList(StringList<'s>),
}

impl<'s> Argument<'s> {
    pub fn span(&self) -> Span {
        match self {
            Argument::Tag(t) => t.span,
            Argument::Number(n) => n.span,
            Argument::String(s) => s.span,
            Argument::StringList(l) => l.span,
        }
    }

    /// The strings of a string or string-list argument.
    pub fn strings(&self) -> &[StringLit<'s>] {
        match self {
            Argument::String(s) => std::slice::from_ref(s),
            Argument::StringList(l) => &l.items,
            _ => &[],
        }
    }

    pub fn as_tag(&self) -> Option<&Tag> {
        match self {
            Argument::Tag(t) => Some(t),
            _ => None,
        }
    }
}

/// `:identifier`
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// Without the leading colon.
    pub name: Name,
    pub span: Span,
}

impl Tag {
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// `1*DIGIT [ QUANTIFIER ]`, with the quantifier applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub value: u64,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringKind {
    Quoted,
    MultiLine,
}

/// A string with its decoded value and where it stands in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct StringLit<'s> {
    pub value: Text<'s>,
    pub span: Span,
    pub kind: StringKind,
}

/// `[ string *("," string) ]`
#[derive(Debug, Clone, PartialEq)]
pub struct StringList<'s> {
    pub items: Box<[StringLit<'s>]>,
    pub span: Span,
}

/// A string's value: the script's own text when it needs no decoding
/// (nearly always: no backslash in a quoted string, no stuffed dot in a
/// multi-line one), else a decoded copy.
///
/// Two words either way, like the `Box<str>` it replaces, and a big script
/// no longer allocates for each of its hundreds of thousands of strings.
#[derive(Clone)]
pub enum Text<'s> {
    Borrowed(&'s str),
    /// Boxed twice: a thin pointer, so that the enum stays two words.
    Owned(Box<Box<str>>),
}

impl<'s> Text<'s> {
    /// A copy that borrows nothing.
    pub fn into_owned(self) -> Text<'static> {
        match self {
            Text::Borrowed(s) => Text::Owned(Box::new(s.into())),
            Text::Owned(s) => Text::Owned(s),
        }
    }
}

impl From<String> for Text<'_> {
    fn from(s: String) -> Self {
        Text::Owned(Box::new(s.into_boxed_str()))
    }
}

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Borrowed(s) => s,
            Text::Owned(s) => s,
        }
    }
}

impl AsRef<str> for Text<'_> {
    fn as_ref(&self) -> &str {
        self
    }
}

impl PartialEq for Text<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl std::fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl Script<'_> {
    /// A copy of the tree that borrows nothing from the text (its strings
    /// are copied), for a caller that keeps it past the text.
    pub fn into_owned(self) -> Script<'static> {
        Script {
            commands: self.commands.into_iter().map(Command::into_owned).collect(),
        }
    }
}

impl Command<'_> {
    fn into_owned(self) -> Command<'static> {
        Command {
            name: self.name,
            args: self.args.into_owned(),
            block: self.block.map(|b| {
                Box::new(Block {
                    commands: b.commands.into_iter().map(Command::into_owned).collect(),
                    span: b.span,
                })
            }),
            span: self.span,
            broken: self.broken,
        }
    }
}

impl Arguments<'_> {
    fn into_owned(self) -> Arguments<'static> {
        Arguments {
            args: self.args.into_iter().map(Argument::into_owned).collect(),
            tests: self.tests.map(|t| {
                Box::new(match *t {
                    Tests::One(t) => Tests::One(t.into_owned()),
                    Tests::List { tests, span } => Tests::List {
                        tests: tests.into_iter().map(Test::into_owned).collect(),
                        span,
                    },
                })
            }),
        }
    }
}

impl Test<'_> {
    fn into_owned(self) -> Test<'static> {
        Test {
            name: self.name,
            args: self.args.into_owned(),
            span: self.span,
        }
    }
}

impl Argument<'_> {
    fn into_owned(self) -> Argument<'static> {
        match self {
            Argument::Tag(t) => Argument::Tag(t),
            Argument::Number(n) => Argument::Number(n),
            Argument::String(s) => Argument::String(s.into_owned()),
            Argument::StringList(l) => Argument::StringList(StringList {
                items: l.items.into_iter().map(StringLit::into_owned).collect(),
                span: l.span,
            }),
        }
    }
}

impl StringLit<'_> {
    fn into_owned(self) -> StringLit<'static> {
        StringLit {
            value: self.value.into_owned(),
            span: self.span,
            kind: self.kind,
        }
    }
}
