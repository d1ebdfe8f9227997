//! The semantic model: each command and test resolved against the catalog,
//! its arguments bound to the signature, and what did not fit recorded as
//! [`Issue`]s for the rules to report.

use crate::ext::{Arg, ArgKind, Entry, TagEntry, TestArity, catalog};
use crate::hash::{FastMap, FastSet};
use crate::syntax::ast::*;

/// A command or a test.
#[derive(Debug, Clone, Copy)]
pub enum Node<'s> {
    Command(&'s Command<'s>),
    Test(&'s Test<'s>),
}

impl<'s> Node<'s> {
    pub fn name(&self) -> &'s Ident {
        match self {
            Node::Command(c) => &c.name,
            Node::Test(t) => &t.name,
        }
    }

    pub fn args(&self) -> &'s Arguments<'s> {
        match self {
            Node::Command(c) => &c.args,
            Node::Test(t) => &t.args,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Node::Command(c) => c.span,
            Node::Test(t) => t.span,
        }
    }

    pub fn is_command(&self) -> bool {
        matches!(self, Node::Command(_))
    }

    pub fn is_test(&self) -> bool {
        matches!(self, Node::Test(_))
    }

    /// "command" or "test", for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Command(_) => "command",
            Node::Test(_) => "test",
        }
    }
}

/// A tag bound to the signature, with the argument it took.
#[derive(Debug, Clone, Copy)]
pub struct BoundTag<'s> {
    pub entry: &'static TagEntry,
    pub tag: &'s Tag,
    pub arg: Option<&'s Argument<'s>>,
}

/// What did not fit the signature.
#[derive(Debug, Clone)]
pub enum Issue<'s> {
    UnknownTag {
        tag: &'s Tag,
    },
    DuplicateTag {
        tag: &'s Tag,
        first: &'s Tag,
    },
    ConflictingTags {
        set: &'static str,
        tag: &'s Tag,
        first: &'s Tag,
    },
    TagAfterPositional {
        tag: &'s Tag,
        positional: Span,
    },
    MissingTagArgument {
        tag: &'s Tag,
        expected: Arg,
        found: Option<&'s Argument<'s>>,
    },
    MissingArgument {
        expected: &'static Arg,
    },
    UnexpectedArgument {
        arg: &'s Argument<'s>,
    },
    WrongArgumentType {
        arg: &'s Argument<'s>,
        expected: &'static Arg,
    },
    MissingRequiredTag {
        set: &'static str,
    },
    /// Tests given where none are taken, none where one is needed, or one
    /// where a list is needed (and the other way round).
    WrongTests {
        expected: TestArity,
        found: Option<&'s Tests<'s>>,
    },
    MissingBlock,
    UnexpectedBlock {
        block: Span,
    },
}

/// The arguments of one use, bound to its signature (what did not fit is
/// in [`Use::issues`]).
///
/// Boxed slices, not vectors: no spare room, and a word less each (a big
/// script has hundreds of thousands of these).
#[derive(Debug, Clone, Default)]
pub struct Binding<'s> {
    pub tags: Box<[BoundTag<'s>]>,
    pub positional: Positional<'s>,
}

/// The positional arguments bound to a signature's slots, in order.
///
/// Nearly always a run of the command's own arguments (tags come first,
/// RFC 5228 §2.6.2), borrowed as it stands, so a use allocates nothing for
/// them; only a tag among them (an error) makes a separate list. One
/// word pair either way.
#[derive(Debug, Clone)]
pub enum Positional<'s> {
    Run(&'s [Argument<'s>]),
    Scattered(Box<Box<[&'s Argument<'s>]>>),
}

impl Default for Positional<'_> {
    fn default() -> Self {
        Positional::Run(&[])
    }
}

impl<'s> Positional<'s> {
    /// `given` as a run of `all` when it is one, else a list.
    fn new(all: &'s [Argument], given: &[&'s Argument<'s>]) -> Self {
        let Some(&first) = given.first() else {
            return Positional::default();
        };
        let start = all.iter().position(|a| std::ptr::eq(a, first));
        if let Some(start) = start
            && let Some(run) = all.get(start..start + given.len())
            && run.iter().zip(given).all(|(a, &g)| std::ptr::eq(a, g))
        {
            return Positional::Run(run);
        }
        Positional::Scattered(Box::new(given.into()))
    }

    pub fn len(&self) -> usize {
        match self {
            Positional::Run(run) => run.len(),
            Positional::Scattered(list) => list.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Option<&'s Argument<'s>> {
        match self {
            Positional::Run(run) => run.get(i),
            Positional::Scattered(list) => list.get(i).copied(),
        }
    }

    pub fn first(&self) -> Option<&'s Argument<'s>> {
        self.get(0)
    }

    pub fn last(&self) -> Option<&'s Argument<'s>> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    pub fn iter(&self) -> impl Iterator<Item = &'s Argument<'s>> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

/// What a use almost never has, kept apart so that a use without it
/// (nearly all of a big script's hundreds of thousands) holds one word.
#[derive(Debug, Clone, Default)]
struct Rare<'s> {
    issues: Box<[Issue<'s>]>,
    guards: Box<[&'s str]>,
}

/// A [`Binding`] being built.
struct Binder<'s> {
    tags: Vec<BoundTag<'s>>,
    positional: Vec<&'s Argument<'s>>,
    issues: Vec<Issue<'s>>,
}

impl<'s> Binding<'s> {
    pub fn tag(&self, name: &str) -> Option<&BoundTag<'s>> {
        self.tags.iter().find(|t| t.entry.spec.name == name)
    }
}

/// One command or test of the script.
#[derive(Debug, Clone)]
pub struct Use<'s> {
    pub node: Node<'s>,
    /// `None`: not in the catalog.
    pub entry: Option<&'static Entry>,
    pub binding: Binding<'s>,
    /// Blocks and tests around it.
    pub depth: u32,
    /// Index into [`Model::uses`] of the command whose block or test holds
    /// this one ([`NO_PARENT`] at the top level): see [`Use::parent`].
    parent: u32,
    /// Its issues and `ihave` guards, when it has any.
    rare: Option<Box<Rare<'s>>>,
}

/// [`Use::parent`] of a top-level use. (A script has fewer uses than
/// bytes, and its size is below 4 GiB.)
const NO_PARENT: u32 = u32::MAX;

impl<'s> Use<'s> {
    fn new(
        node: Node<'s>,
        entry: Option<&'static Entry>,
        (binding, issues): (Binding<'s>, Vec<Issue<'s>>),
        depth: usize,
        parent: u32,
        guards: &[&'s str],
    ) -> Self {
        let rare = (!issues.is_empty() || !guards.is_empty()).then(|| {
            Box::new(Rare {
                issues: issues.into_boxed_slice(),
                guards: guards.into(),
            })
        });
        Use {
            node,
            entry,
            binding,
            depth: depth as u32,
            parent,
            rare,
        }
    }

    /// What did not fit the signature.
    pub fn issues(&self) -> &[Issue<'s>] {
        self.rare.as_deref().map_or(&[], |r| &r.issues)
    }

    /// Capabilities that an enclosing `if ihave "…"` guarantees.
    pub fn guards(&self) -> &[&'s str] {
        self.rare.as_deref().map_or(&[], |r| &r.guards)
    }

    /// Index into [`Model::uses`] of the command whose block or test holds
    /// this one (`None` at the top level).
    pub fn parent(&self) -> Option<usize> {
        (self.parent != NO_PARENT).then_some(self.parent as usize)
    }

    /// Does an enclosing `ihave` guard make `capability` available here?
    pub fn guarded(&self, capability: &str) -> bool {
        self.guards()
            .iter()
            .any(|g| g.eq_ignore_ascii_case(capability))
    }
}

/// Where a list name stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListContext {
    /// A key of a test with `:list`.
    MatchKey,
    /// The argument of `redirect :list`.
    RedirectTarget,
    /// A name given to `valid_ext_list`.
    ValidExtList,
}

/// A list name in the script.
#[derive(Debug, Clone)]
pub struct ListRef<'s> {
    pub lit: &'s StringLit<'s>,
    pub context: ListContext,
    /// Index into [`Model::uses`].
    pub use_index: usize,
    /// `None`: built from variables, checked at run time only.
    pub parsed: Option<Result<crate::lists::ListName, crate::lists::NameError>>,
}

/// Where the script tests a capability with `ihave`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IhaveTested {
    /// Index into [`Model::uses`] of the `if`/`elsif` of the first test.
    pub first: usize,
    /// The first `if not ihave "x" { … error/stop … }`: past it, the script
    /// runs on only where the server has the capability.
    pub first_exit: Option<usize>,
}

impl IhaveTested {
    fn merge(&mut self, other: IhaveTested) {
        self.first = self.first.min(other.first);
        self.first_exit = match (self.first_exit, other.first_exit) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}

/// `require` strings, in order.
#[derive(Debug, Clone, Copy)]
pub struct Require<'s> {
    pub capability: &'s StringLit<'s>,
    pub command: &'s Command<'s>,
}

#[derive(Debug, Default)]
pub struct Model<'s> {
    pub requires: Vec<Require<'s>>,
    /// Lower-cased capabilities named by `require`.
    pub required: FastSet<String>,
    /// Every command and test, in source order.
    pub uses: Vec<Use<'s>>,
    /// Every sequence of commands: the script's, then each block's.
    pub sequences: Vec<&'s [Command<'s>]>,
    /// Every list name (RFC 6134), in source order.
    pub lists: Vec<ListRef<'s>>,
    /// Capabilities named by `ihave` tests (lower case): where they are
    /// first tested, for uses after the test but outside its block (RFC
    /// 5463 §4 item 1).
    ihave_tested: FastMap<String, IhaveTested>,
    /// Capabilities guaranteed by the `ihave` guards being visited.
    guard_stack: Vec<&'s str>,
    /// The use that holds the commands and tests being visited.
    parent: Option<usize>,
}

impl<'s> Model<'s> {
    pub fn build(script: &'s Script<'s>) -> Self {
        let top = &script.commands;
        let mut m = Model::default();
        m.sequences.push(top);
        // Which extension a name binds to depends on what the script
        // requires (`setflag` of imapflags or of imap4flags), so the
        // requires, which stand at the top (RFC 5228 §3.2), come first.
        m.required = top_level_requires(top);
        // One pass, into a list sized exactly. (Modelling parts of a big
        // script on all cores and merging them held the model twice at the
        // merge — 86 MB more for a 12.9 MB script — and was no faster.)
        let (uses, blocks) = count_uses(top);
        m.uses.reserve_exact(uses);
        m.sequences.reserve_exact(blocks);
        m.visit_commands(top, 0);
        for r in &m.requires {
            let cap = r.capability.value.to_ascii_lowercase();
            if let Some(ext) = catalog().extension(&cap) {
                m.required
                    .extend(ext.implies.iter().map(|i| (*i).to_owned()));
            }
            m.required.insert(cap);
        }
        m.collect_lists();
        m
    }

    /// Finds the list names: keys of tests with `:list`, the target of
    /// `redirect :list`, and the names given to `valid_ext_list`.
    fn collect_lists(&mut self) {
        let variables = self.is_required("variables");
        let encoded = self.is_required("encoded-character");
        let mut out = Vec::new();
        for (i, u) in self.uses.iter().enumerate() {
            let Some(entry) = u.entry else { continue };
            let has_list = u
                .binding
                .tags
                .iter()
                .any(|t| t.entry.spec.name == "list" && t.entry.capability == "extlists");
            let variables = variables || u.guarded("variables");
            let supported = crate::ext::extlists::LIST_TESTS.contains(&entry.sig.name);
            let (context, arg) = if entry.sig.name == "valid_ext_list" {
                (ListContext::ValidExtList, u.binding.positional.first())
            } else if has_list && entry.sig.name == "redirect" {
                // One name only: a string list is redirect-list-misuse.
                let one = u
                    .binding
                    .positional
                    .first()
                    .filter(|a| matches!(a, Argument::String(_)));
                (ListContext::RedirectTarget, one)
            } else if has_list && supported && u.node.is_test() {
                (ListContext::MatchKey, u.binding.positional.last())
            } else {
                continue;
            };
            for lit in arg.map(|a| a.strings()).unwrap_or(&[]) {
                let decoded = if encoded {
                    crate::syntax::encoded::decode(&lit.value)
                } else {
                    std::borrow::Cow::Borrowed(lit.value.as_ref())
                };
                let parsed = (!(variables && decoded.contains("${")))
                    .then(|| crate::lists::parse_name(&decoded));
                out.push(ListRef {
                    lit,
                    context,
                    use_index: i,
                    parsed,
                });
            }
        }
        self.lists = out;
    }

    /// Is the capability required (case-insensitively)?
    pub fn is_required(&self, capability: &str) -> bool {
        if capability.bytes().any(|b| b.is_ascii_uppercase()) {
            self.required.contains(&capability.to_ascii_lowercase())
        } else {
            self.required.contains(capability)
        }
    }

    /// Does the script have `capability` where the visit is: required, or
    /// guaranteed by an enclosing `ihave`?
    fn has(&self, capability: &str) -> bool {
        self.is_required(capability)
            || self
                .guard_stack
                .iter()
                .any(|g| g.eq_ignore_ascii_case(capability))
    }

    fn parent_index(&self) -> u32 {
        self.parent.map_or(NO_PARENT, |p| p as u32)
    }

    fn visit_commands(&mut self, commands: &'s [Command], depth: usize) {
        for cmd in commands {
            if cmd.name.is("require") && !cmd.broken {
                for arg in &cmd.args.args {
                    for s in arg.strings() {
                        self.requires.push(Require {
                            capability: s,
                            command: cmd,
                        });
                    }
                }
            }
            if !cmd.broken {
                let has = |c: &str| self.has(c);
                let entry = catalog().command_for_name(&cmd.name.name, has);
                let binding = entry
                    .map(|e| bind(e, &cmd.args, Some(cmd), &has))
                    .unwrap_or_default();
                self.uses.push(Use::new(
                    Node::Command(cmd),
                    entry,
                    binding,
                    depth,
                    self.parent_index(),
                    &self.guard_stack,
                ));
            }
            // The command's own use, when it has one (a broken command's
            // block still belongs to whatever holds the command).
            let own = (!cmd.broken).then(|| self.uses.len() - 1);
            let outer = self.parent;
            if let (Some(tests), Some(index)) = (&cmd.args.tests, own)
                && (cmd.name.is("if") || cmd.name.is("elsif"))
            {
                self.note_ihave_tests(cmd, tests, index);
            }
            if let (Some(tests), Some(_)) = (&cmd.args.tests, own) {
                self.parent = own;
                self.visit_tests(tests, depth + 1);
                self.parent = outer;
            }
            if let Some(block) = &cmd.block {
                self.parent = own.or(outer);
                // `if ihave "x" { … }` (RFC 5463 §4): x is available inside.
                let before = self.guard_stack.len();
                if (cmd.name.is("if") || cmd.name.is("elsif"))
                    && let Some(tests) = &cmd.args.tests
                {
                    ihave_capabilities(tests, &mut self.guard_stack);
                }
                self.sequences.push(&block.commands);
                self.visit_commands(&block.commands, depth + 1);
                self.guard_stack.truncate(before);
                self.parent = outer;
            }
        }
    }

    /// Records the capabilities the `ihave` tests of an `if`/`elsif` name.
    fn note_ihave_tests(&mut self, cmd: &'s Command<'s>, tests: &'s Tests<'s>, index: usize) {
        let mut caps = Vec::new();
        ihave_anywhere(tests, &mut caps);
        if caps.is_empty() {
            return;
        }
        // `if not ihave "x" { error "…"; }`: the script goes on only where
        // x is there.
        let exits = cmd.name.is("if")
            && matches!(tests, Tests::One(t) if t.name.is("not")
            && t.args.tests.as_deref().is_some_and(|i| {
                i.as_slice().iter().all(|t| t.name.is("ihave"))
            }))
            && cmd.block.as_ref().is_some_and(|b| {
                b.commands
                    .iter()
                    .any(|c| c.name.is("error") || c.name.is("stop"))
            });
        for cap in caps {
            let t = IhaveTested {
                first: index,
                first_exit: exits.then_some(index),
            };
            self.ihave_tested
                .entry(cap.to_ascii_lowercase())
                .and_modify(|prev| prev.merge(t))
                .or_insert(t);
        }
    }

    /// Is `capability` tested by an `ihave` before use `index` (RFC 5463
    /// §4 item 1: a successful test makes it available to the end of the
    /// script)? `Some(true)`: and the script stops where it is missing.
    pub fn ihave_before(&self, index: usize, capability: &str) -> Option<bool> {
        let t = self
            .ihave_tested
            .get(capability.to_ascii_lowercase().as_str())?;
        (t.first < index).then(|| t.first_exit.is_some_and(|e| e < index))
    }

    /// Every capability the script ends without, by
    /// `if not ihave "x" { error/stop }` (lower case), with the index of
    /// that `if`: past it, the script runs on only where x is there.
    pub fn ihave_exits(&self) -> impl Iterator<Item = (&str, usize)> + '_ {
        self.ihave_tested
            .iter()
            .filter_map(|(c, t)| Some((c.as_str(), t.first_exit?)))
    }

    fn visit_tests(&mut self, tests: &'s Tests<'s>, depth: usize) {
        for test in tests.as_slice() {
            let has = |c: &str| self.has(c);
            let entry = catalog().test_for_name(&test.name.name, has);
            let binding = entry
                .map(|e| bind(e, &test.args, None, &has))
                .unwrap_or_default();
            self.uses.push(Use::new(
                Node::Test(test),
                entry,
                binding,
                depth,
                self.parent_index(),
                &self.guard_stack,
            ));
            if let Some(inner) = &test.args.tests {
                let outer = self.parent;
                self.parent = Some(self.uses.len() - 1);
                self.visit_tests(inner, depth + 1);
                self.parent = outer;
            }
        }
    }
}

/// The capabilities named by the top-level `require` commands, lower case,
/// with those they imply.
fn top_level_requires(top: &[Command]) -> FastSet<String> {
    let mut out = FastSet::default();
    for cmd in top.iter().filter(|c| c.name.is("require") && !c.broken) {
        for s in cmd.args.args.iter().flat_map(|a| a.strings()) {
            let cap = s.value.to_ascii_lowercase();
            if let Some(ext) = catalog().extension(&cap) {
                out.extend(ext.implies.iter().map(|i| (*i).to_owned()));
            }
            out.insert(cap);
        }
    }
    out
}

/// The capabilities an `ihave` test guarantees: `ihave` itself, or inside
/// `allof` (all must hold, so each does).
fn ihave_capabilities<'s>(tests: &'s Tests<'s>, out: &mut Vec<&'s str>) {
    for t in tests.as_slice() {
        if t.name.is("ihave") {
            for a in &t.args.args {
                out.extend(a.strings().iter().map(|s| s.value.as_ref()));
            }
        } else if t.name.is("allof")
            && let Some(inner) = &t.args.tests
        {
            ihave_capabilities(inner, out);
        }
    }
}

/// Every capability an `ihave` anywhere in these tests names (under `not`,
/// `anyof` and `allof` too).
fn ihave_anywhere<'s>(tests: &'s Tests<'s>, out: &mut Vec<&'s str>) {
    for t in tests.as_slice() {
        if t.name.is("ihave") {
            for a in &t.args.args {
                out.extend(a.strings().iter().map(|s| s.value.as_ref()));
            }
        } else if let Some(inner) = &t.args.tests {
            ihave_anywhere(inner, out);
        }
    }
}

/// How many commands and tests a script has, and blocks (to size
/// [`Model::uses`] and [`Model::sequences`]: a big script has hundreds of
/// thousands of each, and a grown list keeps up to twice its room).
fn count_uses(commands: &[Command]) -> (usize, usize) {
    fn tests(t: &Tests) -> usize {
        t.as_slice()
            .iter()
            .map(|t| 1 + t.args.tests.as_deref().map_or(0, tests))
            .sum()
    }
    let (mut uses, mut blocks) = (0, 0);
    for c in commands {
        uses += 1 + c.args.tests.as_deref().map_or(0, tests);
        if let Some(b) = &c.block {
            let (u, b) = count_uses(&b.commands);
            uses += u;
            blocks += 1 + b;
        }
    }
    (uses, blocks)
}

fn kind_fits(arg: &Argument, kind: ArgKind) -> bool {
    matches!(
        (arg, kind),
        (Argument::String(_), ArgKind::String)
            | (
                Argument::String(_) | Argument::StringList(_),
                ArgKind::StringList
            )
            | (Argument::Number(_), ArgKind::Number)
    )
}

/// Binds arguments to a signature (RFC 5228 §2.6: tagged arguments first,
/// then positional ones; tests last).
fn bind<'s>(
    entry: &'static Entry,
    args: &'s Arguments<'s>,
    cmd: Option<&'s Command<'s>>,
    has: &dyn Fn(&str) -> bool,
) -> (Binding<'s>, Vec<Issue<'s>>) {
    let sig = entry.sig;
    // Exact-size vectors: a script has tens of thousands of these.
    let tags = args
        .args
        .iter()
        .filter(|a| matches!(a, Argument::Tag(_)))
        .count();
    let mut b = Binder {
        tags: Vec::with_capacity(tags),
        positional: Vec::with_capacity(args.args.len() - tags),
        issues: Vec::new(),
    };
    let mut iter = args.args.iter().peekable();
    // Every positional argument given; the slots take a prefix of them
    // (skipping an optional slot takes none), the rest are unexpected.
    let given = &mut b.positional;
    let mut last_positional: Option<Span> = None;
    while let Some(arg) = iter.next() {
        match arg {
            Argument::Tag(tag) => {
                if let Some(p) = last_positional {
                    b.issues
                        .push(Issue::TagAfterPositional { tag, positional: p });
                }
                let Some(te) = entry.tag_for(&tag.name, has) else {
                    b.issues.push(Issue::UnknownTag { tag });
                    // A tag known elsewhere keeps its argument (no cascade).
                    if let Some(a) = catalog().tag_arg(&tag.name)
                        && iter.peek().is_some_and(|n| kind_fits(n, a.kind))
                    {
                        iter.next();
                    }
                    continue;
                };
                let mut bound_arg = None;
                if let Some(expected) = te.spec.arg {
                    match iter.peek() {
                        Some(next) if kind_fits(next, expected.kind) => bound_arg = iter.next(),
                        // A value of the wrong kind is still the tag's: taking
                        // it avoids a cascade of positional-argument findings.
                        Some(next) if !matches!(next, Argument::Tag(_)) => {
                            b.issues.push(Issue::MissingTagArgument {
                                tag,
                                expected,
                                found: iter.next(),
                            });
                        }
                        _ => b.issues.push(Issue::MissingTagArgument {
                            tag,
                            expected,
                            found: None,
                        }),
                    }
                }
                if let Some(first) = b.tags.iter().find(|t| std::ptr::eq(t.entry.spec, te.spec)) {
                    b.issues.push(Issue::DuplicateTag {
                        tag,
                        first: first.tag,
                    });
                    continue;
                }
                if let Some(set) = te.exclusive
                    && let Some(first) = b.tags.iter().find(|t| t.entry.exclusive == Some(set))
                {
                    b.issues.push(Issue::ConflictingTags {
                        set,
                        tag,
                        first: first.tag,
                    });
                    continue;
                }
                b.tags.push(BoundTag {
                    entry: te,
                    tag,
                    arg: bound_arg,
                });
            }
            _ => {
                last_positional = Some(arg.span());
                given.push(arg);
            }
        }
    }
    // Positional arguments to slots. An optional slot is filled only when
    // enough arguments remain for the required slots after it, so optional
    // slots may lead (`addflag [<variable>] <flags>`) or trail
    // (`deleteheader <name> [<value-patterns>]`).
    let mut next = 0usize;
    for (i, expected) in sig.positional.iter().enumerate() {
        let required_after = sig.positional[i + 1..]
            .iter()
            .filter(|a| !a.optional)
            .count();
        let remaining = given.len() - next;
        if expected.optional && remaining <= required_after {
            continue;
        }
        match given.get(next) {
            Some(&arg) => {
                if !kind_fits(arg, expected.kind) {
                    b.issues.push(Issue::WrongArgumentType { arg, expected });
                }
                next += 1;
            }
            None => {
                b.issues.push(Issue::MissingArgument { expected });
                break;
            }
        }
    }
    for arg in given.drain(next.min(given.len())..) {
        b.issues.push(Issue::UnexpectedArgument { arg });
    }
    for set in sig.required {
        if !b.tags.iter().any(|t| t.entry.exclusive == Some(*set))
            && !b
                .issues
                .iter()
                .any(|i| matches!(i, Issue::ConflictingTags { set: s, .. } if s == set))
        {
            b.issues.push(Issue::MissingRequiredTag { set });
        }
    }
    let tests_fit = matches!(
        (sig.tests, args.tests.as_deref()),
        (TestArity::None, None)
            | (TestArity::One, Some(Tests::One(_)))
            | (TestArity::List, Some(Tests::List { .. }))
    );
    if !tests_fit {
        b.issues.push(Issue::WrongTests {
            expected: sig.tests,
            found: args.tests.as_deref(),
        });
    }
    if let Some(cmd) = cmd {
        match (&cmd.block, sig.block) {
            (None, true) => b.issues.push(Issue::MissingBlock),
            (Some(block), false) => b.issues.push(Issue::UnexpectedBlock { block: block.span }),
            _ => {}
        }
    }
    let binding = Binding {
        tags: b.tags.into_boxed_slice(),
        positional: Positional::new(&args.args, &b.positional),
    };
    (binding, b.issues)
}

impl<'s> Model<'s> {
    /// The uses that enclose `index`, innermost first.
    pub fn ancestors(&self, index: usize) -> impl Iterator<Item = &Use<'s>> {
        let mut next = self.uses.get(index).and_then(|u| u.parent());
        std::iter::from_fn(move || {
            let u = self.uses.get(next?)?;
            next = u.parent();
            Some(u)
        })
    }

    /// Every binding issue, with the use it belongs to, in source order.
    pub fn issues(&self) -> impl Iterator<Item = (&Use<'s>, &Issue<'s>)> {
        self.uses
            .iter()
            .flat_map(|u| u.issues().iter().map(move |i| (u, i)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positional_of(src: &str) -> Vec<String> {
        let parsed = crate::syntax::parse(src);
        let m = Model::build(&parsed.script);
        let u = m.uses.last().expect("a use");
        let p = &u.binding.positional;
        assert_eq!(p.iter().count(), p.len());
        assert_eq!(p.first().map(|a| a.span()), p.get(0).map(|a| a.span()));
        assert_eq!(
            p.last().map(|a| a.span()),
            p.len()
                .checked_sub(1)
                .and_then(|i| p.get(i))
                .map(|a| a.span())
        );
        p.iter()
            .map(|a| {
                a.strings()
                    .iter()
                    .map(|s| &*s.value)
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect()
    }

    #[test]
    fn positional_arguments_after_the_tags_are_a_run_of_the_commands_own() {
        let parsed = crate::syntax::parse(r#"if header :is :comparator "i;octet" "a" "b" {}"#);
        let m = Model::build(&parsed.script);
        let test = &m.uses[1];
        let Positional::Run(run) = &test.binding.positional else {
            panic!("expected a run: {:?}", test.binding.positional);
        };
        let Node::Test(t) = test.node else { panic!() };
        assert!(std::ptr::eq(run.as_ptr(), &t.args.args[3]));
        assert_eq!(
            positional_of(r#"if header :is :comparator "i;octet" "a" "b" {}"#),
            ["a", "b"]
        );
    }

    /// The model's per-use and per-block lists are sized up front, not
    /// grown (a grown list keeps up to twice its room).
    #[test]
    fn uses_and_sequences_are_counted_before_they_are_built() {
        let src = "require \"fileinto\";\nif anyof (true, not exists \"x\") {\n  if true { keep; } else { if false {} }\n  fileinto \"a\";\n} elsif size :over 1K { stop; }\nkeep;\n";
        let parsed = crate::syntax::parse(src);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let m = Model::build(&parsed.script);
        assert_eq!(m.uses.len(), 17);
        assert_eq!(m.uses.capacity(), m.uses.len());
        assert_eq!(m.sequences.len(), 6);
        assert_eq!(m.sequences.capacity(), m.sequences.len());
    }

    #[test]
    fn a_tag_among_positional_arguments_leaves_them_in_order() {
        // RFC 5228 §2.6.2 puts tags first; a tag in between is an error
        // (tag-after-positional), and the binding still holds both.
        let src = r#"if header "a" :is "b" {}"#;
        let parsed = crate::syntax::parse(src);
        let m = Model::build(&parsed.script);
        assert!(matches!(
            m.uses[1].binding.positional,
            Positional::Scattered(_)
        ));
        assert_eq!(positional_of(src), ["a", "b"]);
        // No positional argument at all, and an optional slot left empty.
        assert!(positional_of("keep;").is_empty());
        assert_eq!(positional_of(r#"fileinto :copy "x";"#), ["x"]);
        // More arguments than slots: the extra one is not bound.
        assert_eq!(positional_of(r#"fileinto "x" "y";"#), ["x"]);
    }
}
