//! The extension catalog: one file per Sieve extension, each declaring its
//! commands, tests and tags with their argument signatures, and the
//! capability string a script must `require` to use them. The checker reads
//! this catalog generically: adding an extension touches only its file and
//! the [`EXTENSIONS`] list.

mod body;
mod comparators;
mod copy;
mod core;
mod date;
mod encoded_character;
mod envelope;
mod environment;
mod ereject;
pub mod extlists;
mod fileinto;
mod ihave;
mod imap4flags;
mod index;
mod known;
mod mailbox;
mod mboxmetadata;
mod regex;
mod reject;
mod relational;
mod servermetadata;
mod spamtest;
mod spamtestplus;
mod subaddress;
mod vacation;
mod vacation_seconds;
pub mod variables;
mod virustest;
// batch-1 modules: insert above
mod convert;
mod duplicate;
mod editheader;
mod enclose;
mod enotify;
mod envelope_deliverby;
mod envelope_dsn;
mod extracttext;
mod fcc;
mod foreverypart;
mod imapsieve;
mod include;
mod mailboxid;
mod mime;
mod processcalendar;
mod redirect_deliverby;
mod redirect_dsn;
mod replace;
mod special_use;
// shared value checks (addresses, URIs): not an extension
mod values;
// batch-2 modules: insert above
// Drafts and vendor extensions: after the standards, whose commands keep a
// shared name (`notify`, `setflag`, `duplicate`) unless the script requires
// the other provider (Catalog::command_for).
mod imapflags;
mod notify;
mod vnd_cyrus_log;
mod vnd_dovecot_debug;
mod vnd_dovecot_duplicate;
mod vnd_dovecot_environment;
mod vnd_dovecot_execute;
mod vnd_dovecot_filter;
mod vnd_dovecot_pipe;
mod vnd_dovecot_report;
// vendor modules: insert above

use crate::syntax::ast::Name;
use std::collections::HashMap;
use std::sync::LazyLock;

use crate::hash::FastMap;

pub use date::DATE_PARTS;
pub use known::{KNOWN_CAPABILITIES, UNCATALOGED, is_unchecked_capability};

/// The kind of a positional or tag argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    String,
    /// A string list; a single string is accepted too (RFC 5228 §2.4.2.1).
    StringList,
    Number,
}

impl ArgKind {
    pub fn describe(self) -> &'static str {
        match self {
            ArgKind::String => "a string",
            ArgKind::StringList => "a string list",
            ArgKind::Number => "a number",
        }
    }
}

/// A positional argument (or the argument of a tag).
#[derive(Debug, Clone, Copy)]
pub struct Arg {
    /// What the argument means, for messages: "mailbox", "key-list".
    pub name: &'static str,
    pub kind: ArgKind,
    pub optional: bool,
}

impl Arg {
    pub const fn string(name: &'static str) -> Arg {
        Arg {
            name,
            kind: ArgKind::String,
            optional: false,
        }
    }
    pub const fn strings(name: &'static str) -> Arg {
        Arg {
            name,
            kind: ArgKind::StringList,
            optional: false,
        }
    }
    pub const fn number(name: &'static str) -> Arg {
        Arg {
            name,
            kind: ArgKind::Number,
            optional: false,
        }
    }
    pub const fn optional(self) -> Arg {
        Arg {
            optional: true,
            ..self
        }
    }
}

/// A tagged argument.
#[derive(Debug, Clone, Copy)]
pub struct TagSpec {
    /// Without the colon.
    pub name: &'static str,
    /// The argument that follows the tag, if it takes one.
    pub arg: Option<Arg>,
    /// Tags with the same exclusive set may not appear together
    /// ("match type", "size relation", …).
    pub exclusive: Option<&'static str>,
    /// Other capabilities a use of this tag relies on (`:outcome` of
    /// processcalendar names a variable: "variables").
    pub also_uses: &'static [&'static str],
    /// One line saying what the tag does, for hover and completion
    /// (empty: not written yet).
    pub doc: &'static str,
}

impl TagSpec {
    pub const fn flag(name: &'static str) -> TagSpec {
        TagSpec {
            name,
            arg: None,
            exclusive: None,
            also_uses: &[],
            doc: "",
        }
    }
    pub const fn with_arg(name: &'static str, arg: Arg) -> TagSpec {
        TagSpec {
            name,
            arg: Some(arg),
            exclusive: None,
            also_uses: &[],
            doc: "",
        }
    }
    pub const fn exclusive(self, set: &'static str) -> TagSpec {
        TagSpec {
            exclusive: Some(set),
            ..self
        }
    }
    pub const fn also_uses(self, capabilities: &'static [&'static str]) -> TagSpec {
        TagSpec {
            also_uses: capabilities,
            ..self
        }
    }
    /// The one-line description ([`TagSpec::doc`]).
    pub const fn doc(self, doc: &'static str) -> TagSpec {
        TagSpec { doc, ..self }
    }
}

/// Tag groups shared by many tests; extensions add members to them
/// (`:regex` to the match types, `:user`/`:detail` to the address parts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    MatchType,
    Comparator,
    AddressPart,
}

impl Group {
    pub fn exclusive_set(self) -> &'static str {
        match self {
            Group::MatchType => "match type",
            Group::Comparator => "comparator",
            Group::AddressPart => "address part",
        }
    }
}

/// How many tests a command or test takes after its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestArity {
    None,
    One,
    List,
}

/// The argument signature of a command or test.
#[derive(Debug, Clone, Copy)]
pub struct Signature {
    pub name: &'static str,
    pub tags: &'static [TagSpec],
    pub groups: &'static [Group],
    pub positional: &'static [Arg],
    pub tests: TestArity,
    /// Commands: followed by a block instead of `;`.
    pub block: bool,
    /// Exclusive tag sets of which exactly one member is required.
    pub required: &'static [&'static str],
    /// Must follow an `if` or `elsif` (elsif, else).
    pub follows_if: bool,
    /// Other capabilities a use of it relies on (`extracttext` stores into
    /// a variable: "variables"), so requiring them is not "unused".
    pub also_uses: &'static [&'static str],
    /// One line saying what it does, for hover and completion (empty: not
    /// written yet).
    pub doc: &'static str,
}

impl Signature {
    pub const fn new(name: &'static str) -> Signature {
        Signature {
            name,
            tags: &[],
            groups: &[],
            positional: &[],
            tests: TestArity::None,
            block: false,
            required: &[],
            follows_if: false,
            also_uses: &[],
            doc: "",
        }
    }
}

/// A tag that an extension adds to commands or tests of others.
#[derive(Debug, Clone, Copy)]
pub struct TagAddition {
    pub targets: &'static [&'static str],
    pub tag: TagSpec,
}

/// One Sieve extension (or the RFC 5228 base language, capability "").
#[derive(Debug, Clone, Copy)]
pub struct Extension {
    /// The string for `require`; empty for the base language.
    pub capability: &'static str,
    /// Where it is defined, e.g. "RFC 5228 §4.1".
    pub rfc: &'static str,
    pub commands: &'static [Signature],
    pub tests: &'static [Signature],
    pub group_tags: &'static [(Group, TagSpec)],
    pub tag_additions: &'static [TagAddition],
    /// Capabilities that requiring this one makes available too
    /// ("vacation-seconds" implies "vacation", RFC 6131 §2).
    pub implies: &'static [&'static str],
    /// The extension's own checks of what its specification requires and
    /// a signature cannot say (a value's form, where a command may stand).
    /// Called for every use of one of its commands or tests, and for every
    /// use that carries one of its tags; it reports through
    /// [`Validation`]. See `rules/invalid_argument_value.rs`.
    pub validate: Option<Validator>,
    /// Capabilities that a use of one of its commands or tests relies on
    /// through the *values* of its arguments (an envelope part of
    /// envelope-dsn, a variable name that needs "variables"), so that
    /// requiring them is not "unused". Pushes onto the vector.
    pub argument_uses: Option<ArgumentUses>,
    /// Variable namespaces (RFC 5229 §3) it defines: "global" (include),
    /// "env" (vnd.dovecot.environment).
    pub namespaces: &'static [&'static str],
    /// A deprecated draft or vendor extension: what replaces it and what
    /// differs, for the note on its `require` (`None`: current).
    pub deprecated: Option<&'static str>,
    /// The standard extension that replaced a deprecated one ("imap4flags"
    /// for "imapflags"): servers refuse scripts that require both, so it is
    /// never added next to it.
    pub successor: Option<&'static str>,
    /// One line saying what the extension adds, for hover and completion
    /// of capability names (empty: not written yet).
    pub doc: &'static str,
}

/// An extension's own check of one use: see [`Extension::validate`].
pub type Validator = fn(&mut Validation<'_, '_, '_>);

/// Adds the capabilities a use's argument values rely on (see
/// [`Extension::argument_uses`]).
pub type ArgumentUses = fn(&crate::check::Use<'_>, &mut Vec<&'static str>);

/// What an extension's check sees: the use being checked (with the whole
/// model and source around it) and where it reports.
pub struct Validation<'c, 'm, 's> {
    pub cx: &'c mut crate::check::Context<'m, 's>,
    /// Index of the use in `cx.model.uses`.
    pub index: usize,
}

impl<'m, 's> Validation<'_, 'm, 's> {
    /// The use being checked.
    pub fn use_(&self) -> &'m crate::check::Use<'s> {
        &self.cx.model.uses[self.index]
    }

    /// The model of the whole script.
    pub fn model(&self) -> &'m crate::check::Model<'s> {
        self.cx.model
    }

    /// Is the capability required, or guaranteed here by an `ihave` guard?
    pub fn has(&self, capability: &str) -> bool {
        self.cx.model.is_required(capability) || self.use_().guarded(capability)
    }

    /// The uses enclosing this one, innermost first.
    pub fn ancestors(&self) -> impl Iterator<Item = &'m crate::check::Use<'s>> {
        self.cx.model.ancestors(self.index)
    }

    /// Reports an error (the running rule's severity) at `span`.
    pub fn error(
        &mut self,
        span: crate::syntax::ast::Span,
        message: impl Into<String>,
    ) -> &mut crate::diagnostic::Diagnostic {
        self.cx.report(span, message)
    }

    /// Is the target a Dovecot server (Pigeonhole), `dovecot-*`?
    pub fn dovecot(&self) -> bool {
        self.cx.options.target().id.starts_with("dovecot")
    }

    /// Reports an error when the target refuses the script at upload
    /// (`refused`), else a warning: what the RFCs allow (or only advise
    /// against) but a server rejects.
    pub fn error_if(
        &mut self,
        refused: bool,
        span: crate::syntax::ast::Span,
        message: impl Into<String>,
    ) -> &mut crate::diagnostic::Diagnostic {
        if refused {
            self.cx
                .report_with(span, crate::diagnostic::Severity::Error, message)
        } else {
            self.warning(span, message)
        }
    }

    /// Reports a warning at `span`: valid, but fails at delivery somewhere.
    pub fn warning(
        &mut self,
        span: crate::syntax::ast::Span,
        message: impl Into<String>,
    ) -> &mut crate::diagnostic::Diagnostic {
        self.cx
            .report_with(span, crate::diagnostic::Severity::Warning, message)
    }
}

impl Extension {
    pub const fn new(capability: &'static str, rfc: &'static str) -> Extension {
        Extension {
            capability,
            rfc,
            commands: &[],
            tests: &[],
            group_tags: &[],
            tag_additions: &[],
            implies: &[],
            validate: None,
            argument_uses: None,
            namespaces: &[],
            deprecated: None,
            successor: None,
            doc: "",
        }
    }

    /// Is this a vendor extension (`vnd.*`, RFC 5228 §6.2)?
    pub fn is_vendor(&self) -> bool {
        self.capability.starts_with("vnd.")
    }
}

/// Every extension sieve-lint knows the signatures of.
pub static EXTENSIONS: &[&Extension] = &[
    &core::CORE,
    &fileinto::FILEINTO,
    &envelope::ENVELOPE,
    &reject::REJECT,
    &ereject::EREJECT,
    &body::BODY,
    &copy::COPY,
    &relational::RELATIONAL,
    &regex::REGEX,
    &subaddress::SUBADDRESS,
    &vacation::VACATION,
    &vacation_seconds::VACATION_SECONDS,
    &variables::VARIABLES,
    &imap4flags::IMAP4FLAGS,
    &date::DATE,
    &index::INDEX,
    &ihave::IHAVE,
    &mailbox::MAILBOX,
    &mboxmetadata::MBOXMETADATA,
    &servermetadata::SERVERMETADATA,
    &environment::ENVIRONMENT,
    &spamtest::SPAMTEST,
    &spamtestplus::SPAMTESTPLUS,
    &virustest::VIRUSTEST,
    &encoded_character::ENCODED_CHARACTER,
    &comparators::OCTET,
    &comparators::ASCII_CASEMAP,
    &comparators::ASCII_NUMERIC,
    &comparators::UNICODE_CASEMAP,
    // batch-1: insert above
    &convert::CONVERT_EXT,
    &duplicate::DUPLICATE,
    &editheader::EDITHEADER,
    &enclose::ENCLOSE,
    &enotify::ENOTIFY,
    &envelope_deliverby::ENVELOPE_DELIVERBY,
    &envelope_dsn::ENVELOPE_DSN,
    &extracttext::EXTRACTTEXT,
    &fcc::FCC,
    &foreverypart::FOREVERYPART,
    &imapsieve::IMAPSIEVE,
    &include::INCLUDE,
    &mailboxid::MAILBOXID,
    &mime::MIME,
    &processcalendar::PROCESSCALENDAR,
    &redirect_deliverby::REDIRECT_DELIVERBY,
    &redirect_dsn::REDIRECT_DSN,
    &replace::REPLACE,
    &special_use::SPECIAL_USE,
    // batch-2: insert above
    &extlists::EXTLISTS,
    // extlists: insert above
    &imapflags::IMAPFLAGS,
    &notify::NOTIFY,
    &vnd_dovecot_pipe::VND_DOVECOT_PIPE,
    &vnd_dovecot_filter::VND_DOVECOT_FILTER,
    &vnd_dovecot_execute::VND_DOVECOT_EXECUTE,
    &vnd_dovecot_debug::VND_DOVECOT_DEBUG,
    &vnd_dovecot_environment::VND_DOVECOT_ENVIRONMENT,
    &vnd_dovecot_report::VND_DOVECOT_REPORT,
    &vnd_dovecot_duplicate::VND_DOVECOT_DUPLICATE,
    &vnd_cyrus_log::VND_CYRUS_LOG,
    // vendor: insert above
];

/// A tag as available on one command or test.
#[derive(Debug, Clone, Copy)]
pub struct TagEntry {
    pub spec: &'static TagSpec,
    /// The capability that provides the tag ("" for the base language).
    pub capability: &'static str,
    /// The exclusive set it belongs to, from the spec or its group.
    pub exclusive: Option<&'static str>,
    /// Its extension's own validation ([`Extension::validate`]).
    pub validate: Option<Validator>,
}

/// A command or test as the catalog knows it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub sig: &'static Signature,
    pub capability: &'static str,
    pub rfc: &'static str,
    /// Every tag it accepts: its own, its groups', and added ones.
    pub tags: Vec<TagEntry>,
    /// Its extension's own validation ([`Extension::validate`]).
    pub validate: Option<Validator>,
    /// Its extension's [`Extension::argument_uses`].
    pub argument_uses: Option<ArgumentUses>,
}

impl Entry {
    pub fn tag(&self, name: &str) -> Option<&TagEntry> {
        self.tags.iter().find(|t| tag_is(t, name))
    }

    /// The tag of that name from the extension the script has (`has`:
    /// required or guaranteed by `ihave`), else the first provider's: a
    /// name may come from several (`:flags` of imap4flags and of the
    /// imapflags draft).
    pub fn tag_for(&self, name: &str, has: impl Fn(&str) -> bool) -> Option<&TagEntry> {
        let mut first = None;
        for t in self.tags.iter().filter(|t| tag_is(t, name)) {
            if t.capability.is_empty() || has(t.capability) {
                return Some(t);
            }
            first.get_or_insert(t);
        }
        first
    }
}

/// Is `t` the tag `name` (case-insensitively)?
fn tag_is(t: &TagEntry, name: &str) -> bool {
    // Length and first letter first: `header` alone has some 30 tags.
    let n = t.spec.name.as_bytes();
    n.len() == name.len()
        && n.first().map(u8::to_ascii_lowercase)
            == name.as_bytes().first().map(u8::to_ascii_lowercase)
        && t.spec.name.eq_ignore_ascii_case(name)
}

/// The catalog, indexed.
#[derive(Debug)]
pub struct Catalog {
    /// The argument every known tag of a name takes (for tags used where
    /// they are unknown: their argument is still theirs).
    tag_args: FastMap<&'static str, Option<Arg>>,
    /// The capability that provides every known tag of a name, if one.
    tag_caps: FastMap<&'static str, Option<&'static str>>,
    /// Capabilities whose extension has a file here.
    checked: FastMap<&'static str, &'static Extension>,
    /// Commands that must follow `if` or `elsif` (`elsif`, `else`).
    follows_if: Vec<&'static str>,
    /// Every command, test and tag name, with the providers of the
    /// command and of the test of that name (see [`Catalog::known_name`]).
    names: FastMap<&'static str, KnownName>,
}

/// A command, test or tag name of the catalog, with its providers: a name
/// of the syntax tree points here ([`crate::syntax::ast::Name::Known`]),
/// so that finding what it names takes no lookup.
#[derive(Debug)]
pub struct KnownName {
    pub name: &'static str,
    /// Every provider of the command of this name, standard extensions
    /// first (the order of [`EXTENSIONS`]): `setflag` of imap4flags, then
    /// of imapflags. Empty when no command has the name.
    commands: Vec<Entry>,
    /// The same for tests.
    tests: Vec<Entry>,
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(Catalog::build);

/// The catalog of every known extension.
pub fn catalog() -> &'static Catalog {
    &CATALOG
}

impl Catalog {
    fn build() -> Catalog {
        let mut group_tags: HashMap<Group, Vec<TagEntry>> = HashMap::new();
        let mut additions: HashMap<&'static str, Vec<TagEntry>> = HashMap::new();
        for ext in EXTENSIONS {
            for (group, tag) in ext.group_tags {
                group_tags.entry(*group).or_default().push(TagEntry {
                    spec: tag,
                    capability: ext.capability,
                    exclusive: Some(tag.exclusive.unwrap_or(group.exclusive_set())),
                    validate: ext.validate,
                });
            }
            for add in ext.tag_additions {
                for target in add.targets {
                    additions.entry(target).or_default().push(TagEntry {
                        spec: &add.tag,
                        capability: ext.capability,
                        exclusive: add.tag.exclusive,
                        validate: ext.validate,
                    });
                }
            }
        }
        let entry = |ext: &'static Extension, sig: &'static Signature| {
            let mut tags: Vec<TagEntry> = sig
                .tags
                .iter()
                .map(|t| TagEntry {
                    spec: t,
                    capability: ext.capability,
                    exclusive: t.exclusive,
                    validate: ext.validate,
                })
                .collect();
            for g in sig.groups {
                tags.extend(group_tags.get(g).into_iter().flatten().copied());
            }
            // Additions are written for the standard command of a name:
            // not for the draft's (`:fcc` of RFC 8580 is for enotify's
            // notify, not the notify draft's).
            if ext.deprecated.is_none() {
                tags.extend(additions.get(sig.name).into_iter().flatten().copied());
            }
            Entry {
                sig,
                capability: ext.capability,
                rfc: ext.rfc,
                tags,
                validate: ext.validate,
                argument_uses: ext.argument_uses,
            }
        };
        let mut commands: FastMap<&'static str, Vec<Entry>> = FastMap::default();
        let mut tests: FastMap<&'static str, Vec<Entry>> = FastMap::default();
        let mut checked = FastMap::default();
        for ext in EXTENSIONS {
            checked.insert(ext.capability, *ext);
            for sig in ext.commands {
                commands.entry(sig.name).or_default().push(entry(ext, sig));
            }
            for sig in ext.tests {
                tests.entry(sig.name).or_default().push(entry(ext, sig));
            }
        }
        let mut tag_args: FastMap<&'static str, Option<Arg>> = FastMap::default();
        let mut tag_caps: FastMap<&'static str, Option<&'static str>> = FastMap::default();
        for e in commands.values().chain(tests.values()).flatten() {
            for t in &e.tags {
                tag_caps
                    .entry(t.spec.name)
                    .and_modify(|prev| {
                        if *prev != Some(t.capability) {
                            *prev = None;
                        }
                    })
                    .or_insert(Some(t.capability));
                let a = t.spec.arg;
                tag_args
                    .entry(t.spec.name)
                    .and_modify(|prev| {
                        if prev.map(|p| p.kind) != a.map(|x| x.kind) {
                            *prev = None;
                        }
                    })
                    .or_insert(a);
            }
        }
        let mut follows_if: Vec<&'static str> = commands
            .values()
            .flatten()
            .filter(|e| e.sig.follows_if)
            .map(|e| e.sig.name)
            .collect();
        follows_if.sort_unstable();
        let mut names: FastMap<&'static str, KnownName> = tag_args
            .keys()
            .chain(commands.keys())
            .chain(tests.keys())
            .map(|&name| {
                let known = KnownName {
                    name,
                    commands: Vec::new(),
                    tests: Vec::new(),
                };
                (name, known)
            })
            .collect();
        for (name, entries) in commands {
            if let Some(k) = names.get_mut(name) {
                k.commands = entries;
            }
        }
        for (name, entries) in tests {
            if let Some(k) = names.get_mut(name) {
                k.tests = entries;
            }
        }
        Catalog {
            names,
            tag_args,
            tag_caps,
            checked,
            follows_if,
        }
    }

    /// Must the command `name` follow `if` or `elsif`? (Asked for every
    /// command: a couple of comparisons, not a lookup.)
    pub fn follows_if(&self, name: &str) -> bool {
        self.follows_if.iter().any(|c| c.eq_ignore_ascii_case(name))
    }

    /// The command `name` of the first extension that defines it (the
    /// standard one where a draft or vendor extension reuses the name).
    pub fn command(&self, name: &str) -> Option<&Entry> {
        self.commands_named(name).first()
    }

    /// The test `name` of the first extension that defines it.
    pub fn test(&self, name: &str) -> Option<&Entry> {
        self.tests_named(name).first()
    }

    /// The command `name` of the extension the script has (`has`: required
    /// or guaranteed by `ihave`), else the first provider's.
    pub fn command_for(&self, name: &str, has: impl Fn(&str) -> bool) -> Option<&Entry> {
        resolve(self.commands_named(name), has)
    }

    /// The test `name` of the extension the script has, else the first
    /// provider's.
    pub fn test_for(&self, name: &str, has: impl Fn(&str) -> bool) -> Option<&Entry> {
        resolve(self.tests_named(name), has)
    }

    /// Every extension that defines a command or test named `name`.
    pub fn providers(&self, name: &str) -> impl Iterator<Item = &'static str> + '_ {
        self.commands_named(name)
            .iter()
            .chain(self.tests_named(name))
            .map(|e| e.capability)
    }

    /// The command and test providers of `name`, in any case.
    fn named(&self, name: &str) -> Option<&KnownName> {
        get_lower(&self.names, name)
    }

    fn commands_named(&self, name: &str) -> &[Entry] {
        self.named(name).map_or(&[], |k| &k.commands)
    }

    fn tests_named(&self, name: &str) -> &[Entry] {
        self.named(name).map_or(&[], |k| &k.tests)
    }

    /// [`Catalog::named`] for a name of the syntax tree: no lookup when
    /// the catalog knows it as written.
    fn named_in_tree(&self, name: &Name) -> Option<&KnownName> {
        match name {
            Name::Known(k) => Some(k),
            Name::Other(_) => self.named(name),
        }
    }

    /// True when the catalog has the extension's signatures, so its use can
    /// be checked in full.
    pub fn is_checked(&self, capability: &str) -> bool {
        get_lower(&self.checked, capability).is_some()
    }

    /// The catalog's command, test or tag name spelled exactly so: the
    /// syntax tree points at it (a thin pointer, [`crate::syntax::ast::Name`])
    /// instead of allocating a copy, and finds its providers there.
    pub fn known_name(&'static self, name: &str) -> Option<&'static KnownName> {
        // One lookup for every name the parser reads.
        self.names.get(name)
    }

    /// [`Catalog::command_for`] for a name of the syntax tree: no lookup
    /// when the catalog knows it as written.
    pub fn command_for_name(&self, name: &Name, has: impl Fn(&str) -> bool) -> Option<&Entry> {
        resolve(self.named_in_tree(name).map_or(&[], |k| &k.commands), has)
    }

    /// [`Catalog::test_for`] for a name of the syntax tree.
    pub fn test_for_name(&self, name: &Name, has: impl Fn(&str) -> bool) -> Option<&Entry> {
        resolve(self.named_in_tree(name).map_or(&[], |k| &k.tests), has)
    }

    /// [`Catalog::providers`] for a name of the syntax tree.
    pub fn providers_of_name<'c>(
        &'c self,
        name: &'c Name,
    ) -> impl Iterator<Item = &'static str> + 'c {
        let known = self.named_in_tree(name);
        let commands = known.map_or(&[][..], |k| &k.commands);
        let tests = known.map_or(&[][..], |k| &k.tests);
        commands.iter().chain(tests).map(|e| e.capability)
    }

    /// The argument that every known tag named `name` takes, if they agree.
    pub fn tag_arg(&self, name: &str) -> Option<Arg> {
        get_lower(&self.tag_args, name).copied().flatten()
    }

    /// The capability that provides every known tag named `name`, if one.
    pub fn tag_capability(&self, name: &str) -> Option<&'static str> {
        get_lower(&self.tag_caps, name).copied().flatten()
    }

    /// The extension's file, if the catalog has one.
    pub fn extension(&self, capability: &str) -> Option<&'static Extension> {
        get_lower(&self.checked, capability).copied()
    }

    /// True when every use of the extension shows in the syntax (a command,
    /// test or tag of its own), so "required but never used" can be told
    /// for sure. Extensions that only change values (encoded-character,
    /// envelope-dsn) or add comparators are not.
    pub fn use_is_visible(&self, capability: &str) -> bool {
        self.extension(capability).is_some_and(|e| {
            !e.commands.is_empty()
                || !e.tests.is_empty()
                || !e.group_tags.is_empty()
                || !e.tag_additions.is_empty()
        })
    }

    pub fn command_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.names
            .values()
            .filter(|k| !k.commands.is_empty())
            .map(|k| k.name)
    }

    pub fn test_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.names
            .values()
            .filter(|k| !k.tests.is_empty())
            .map(|k| k.name)
    }
}

/// `map[name]` for keys in lower case: `name` is lowered (a copy) only when
/// it has an upper-case letter, which is rare.
fn get_lower<'c, V>(map: &'c FastMap<&'static str, V>, name: &str) -> Option<&'c V> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        map.get(name.to_ascii_lowercase().as_str())
    } else {
        map.get(name)
    }
}

/// Of the providers of one name, the one whose capability the script has;
/// else the first (standard) one. Most names have one provider.
fn resolve(providers: &[Entry], has: impl Fn(&str) -> bool) -> Option<&Entry> {
    match providers {
        [] => None,
        [one] => Some(one),
        [first, ..] => providers
            .iter()
            .find(|e| e.capability.is_empty() || has(e.capability))
            .or(Some(first)),
    }
}

/// Is `name` a capability registered for Sieve (or a known comparator)?
pub fn is_known_capability(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    KNOWN_CAPABILITIES.iter().any(|(c, _)| *c == lower)
}

/// The RFC that defines a capability, when known.
pub fn capability_rfc(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    KNOWN_CAPABILITIES
        .iter()
        .find(|(c, _)| *c == lower)
        .map(|(_, rfc)| *rfc)
}

/// Used by the parser's recovery: does a line starting with `name` start a
/// new command? Every command name of the catalog counts.
pub fn is_command_name(name: &str) -> bool {
    catalog().command(name).is_some()
}

/// Does the command `name` take a block?
pub fn takes_block(name: &str) -> bool {
    catalog().command(name).is_some_and(|e| e.sig.block)
}

#[cfg(test)]
mod tests {
    use super::{EXTENSIONS, Signature, catalog};

    /// A name of the tree finds the same providers through its catalog
    /// slot as by looking its text up, whatever the script requires; a
    /// name spelled otherwise (upper case) is looked up.
    #[test]
    fn a_known_name_finds_what_a_lookup_finds() {
        use crate::syntax::ast::{Name, name};
        let c = catalog();
        let caps = [
            "imap4flags",
            "imapflags",
            "vnd.dovecot.pipe",
            "extlists",
            "foo",
        ];
        let names: Vec<&str> = c.command_names().chain(c.test_names()).collect();
        assert!(names.len() > 50);
        for n in names.iter().copied().chain(["nosuch"]) {
            for spelled in [n.to_owned(), n.to_ascii_uppercase()] {
                let tree = name(&spelled);
                assert_eq!(
                    matches!(tree, Name::Known(_)),
                    spelled == n && n != "nosuch",
                    "{spelled}"
                );
                for cap in caps {
                    let has = |c: &str| c == cap;
                    let same = |a: Option<&super::Entry>, b: Option<&super::Entry>| match (a, b) {
                        (Some(a), Some(b)) => {
                            std::ptr::eq(a.sig, b.sig) && a.capability == b.capability
                        }
                        (a, b) => a.is_none() && b.is_none(),
                    };
                    assert!(
                        same(c.command_for_name(&tree, has), c.command_for(&spelled, has)),
                        "{spelled}"
                    );
                    assert!(
                        same(c.test_for_name(&tree, has), c.test_for(&spelled, has)),
                        "{spelled}"
                    );
                }
                let by_slot: Vec<_> = c.providers_of_name(&tree).collect();
                let by_text: Vec<_> = c.providers(&spelled).collect();
                assert_eq!(by_slot, by_text, "{spelled}");
            }
        }
    }

    /// A name several extensions define binds to the one the script has,
    /// else to the standard one (listed first).
    #[test]
    fn shared_names_resolve_to_the_provider_the_script_has() {
        let c = catalog();
        let providers: Vec<_> = c.providers("setflag").collect();
        assert_eq!(providers, ["imap4flags", "imapflags"]);
        let none = |_: &str| false;
        let draft = |cap: &str| cap == "imapflags";
        assert_eq!(
            c.command_for("setflag", none).unwrap().capability,
            "imap4flags"
        );
        assert_eq!(
            c.command_for("SetFlag", draft).unwrap().capability,
            "imapflags"
        );
        assert_eq!(c.command_for("notify", none).unwrap().capability, "enotify");
        assert_eq!(
            c.command_for("notify", |cap| cap == "notify")
                .unwrap()
                .capability,
            "notify"
        );
        assert_eq!(
            c.test_for("duplicate", none).unwrap().capability,
            "duplicate"
        );
        assert_eq!(
            c.test_for("duplicate", |cap| cap == "vnd.dovecot.duplicate")
                .unwrap()
                .capability,
            "vnd.dovecot.duplicate"
        );
        // One provider: that one, whatever the script has.
        assert_eq!(
            c.command_for("pipe", none).unwrap().capability,
            "vnd.dovecot.pipe"
        );
        assert!(c.command_for("no-such-command", none).is_none());
        // A tag two extensions add to one command.
        let keep = c.command("keep").unwrap();
        assert_eq!(
            keep.tag_for("flags", none).unwrap().capability,
            "imap4flags"
        );
        assert_eq!(
            keep.tag_for("FLAGS", draft).unwrap().capability,
            "imapflags"
        );
        // copy adds :copy to pipe (spec-bosch-sieve-extprograms §5.2).
        let pipe = c.command("pipe").unwrap();
        assert_eq!(pipe.tag("copy").unwrap().capability, "copy");
    }

    /// Every command, test, tag and capability of the catalog has its one
    /// line for hover and completion: not empty, one line, at most 120
    /// characters, ending with a period.
    #[test]
    fn every_catalog_entry_has_a_one_line_doc() {
        fn check(what: String, doc: &str, bad: &mut Vec<String>) {
            let why = if doc.is_empty() {
                "empty"
            } else if doc.contains('\n') || doc.contains('\r') {
                "more than one line"
            } else if doc.chars().count() > 120 {
                "longer than 120 characters"
            } else if !doc.ends_with('.') {
                "does not end with a period"
            } else {
                return;
            };
            bad.push(format!("{what}: doc {why}"));
        }
        fn signature(cap: &str, kind: &str, sig: &Signature, bad: &mut Vec<String>) {
            check(format!("{cap}: {kind} {}", sig.name), sig.doc, bad);
            for t in sig.tags {
                check(
                    format!("{cap}: {kind} {} tag :{}", sig.name, t.name),
                    t.doc,
                    bad,
                );
            }
        }
        let mut bad = Vec::new();
        for ext in EXTENSIONS {
            let cap = if ext.capability.is_empty() {
                "(base language)"
            } else {
                ext.capability
            };
            check(format!("{cap}: extension"), ext.doc, &mut bad);
            for sig in ext.commands {
                signature(cap, "command", sig, &mut bad);
            }
            for sig in ext.tests {
                signature(cap, "test", sig, &mut bad);
            }
            for (group, t) in ext.group_tags {
                let group = group.exclusive_set();
                check(format!("{cap}: {group} tag :{}", t.name), t.doc, &mut bad);
            }
            for add in ext.tag_additions {
                let to = add.targets.join("/");
                check(
                    format!("{cap}: tag :{} added to {to}", add.tag.name),
                    add.tag.doc,
                    &mut bad,
                );
            }
        }
        assert!(
            bad.is_empty(),
            "{} catalog docs to fix:\n{}",
            bad.len(),
            bad.join("\n")
        );
    }

    #[test]
    fn drafts_name_their_successor() {
        for (old, new) in [
            ("imapflags", "imap4flags"),
            ("notify", "enotify"),
            ("vnd.dovecot.duplicate", "duplicate"),
        ] {
            let e = catalog().extension(old).unwrap();
            assert_eq!(e.successor, Some(new));
            assert!(e.deprecated.is_some());
            assert!(catalog().is_checked(new));
        }
    }
}
