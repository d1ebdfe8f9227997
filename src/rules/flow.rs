//! Reachability, in one place for every rule that asks "does this run?":
//! where a command sequence stops running (RFC 5228 §3.3 `stop`, RFC 6609
//! §3.3 `return`, RFC 5703 §3 `break`), and tests whose value the text
//! decides (RFC 5228 §5.2, §5.3, §5.8, §5.9, §5.10).
//!
//! A command ends its sequence when it is `stop`, `return` or `break`, or
//! when it is an `if` … `elsif` … `else` chain every branch of which that
//! can run ends (a branch whose test is constant `false` never runs; one
//! whose test is constant `true` is always taken, and no later branch
//! runs). So `if true { stop; }` ends the script as `stop;` does, and so
//! does `if a { stop; } else { stop; }`. Blocks of other commands
//! (`foreverypart`, which may visit no part) are not looked into: what
//! cannot be proved is taken as "may run on".

use crate::hash::FastMap;
use crate::syntax::ast::{Command, Test, Tests};

/// Commands that end the rest of their sequence.
const ENDS: &[&str] = &["stop", "return", "break"];

/// The value of a test when the text alone decides it: `true`, `false`,
/// and `not`/`allof`/`anyof` of such tests. `None`: depends on the message.
pub fn constant(t: &Test) -> Option<bool> {
    let name = &t.name;
    let tests = t.args.tests.as_deref().map(Tests::as_slice).unwrap_or(&[]);
    if !t.args.args.is_empty() {
        return None;
    }
    if name.is("true") && tests.is_empty() {
        Some(true)
    } else if name.is("false") && tests.is_empty() {
        Some(false)
    } else if name.is("not") && tests.len() == 1 {
        constant(&tests[0]).map(|v| !v)
    } else if name.is("allof") && !tests.is_empty() {
        fold(tests, false)
    } else if name.is("anyof") && !tests.is_empty() {
        fold(tests, true)
    } else {
        None
    }
}

/// `anyof` (`decisive` true) or `allof` (`decisive` false): one decisive
/// member decides; all members constant and none decisive decide the other way.
fn fold(tests: &[Test], decisive: bool) -> Option<bool> {
    let mut all_known = true;
    for t in tests {
        match constant(t) {
            Some(v) if v == decisive => return Some(decisive),
            Some(_) => {}
            None => all_known = false,
        }
    }
    all_known.then_some(!decisive)
}

/// The test of an `if`/`elsif`; `else` is always taken when reached.
fn branch_value(c: &Command) -> Option<bool> {
    if c.name.is("else") {
        return Some(true);
    }
    match c.args.tests.as_deref()? {
        Tests::One(t) => constant(t),
        Tests::List { .. } => None,
    }
}

/// For each command of `seq`: whether its block can run as far as its own
/// test and its chain tell (no for a constant `false` branch and for the
/// branches after one that is always taken; yes for any other command).
fn runnable_branches(seq: &[Command]) -> Vec<bool> {
    let mut runs = vec![true; seq.len()];
    // Inside a chain, after a branch that is always taken.
    let mut taken = false;
    for (k, c) in seq.iter().enumerate() {
        let branch = ["if", "elsif", "else"].iter().any(|n| c.name.is(n));
        if !branch || c.broken || c.name.is("if") {
            taken = false;
        }
        if !branch || c.broken {
            continue;
        }
        let value = branch_value(c);
        runs[k] = !taken && value != Some(false);
        taken |= value == Some(true);
    }
    runs
}

/// Answers reachability questions about one script; remembers what it
/// worked out for each sequence, so asking about every sequence of a
/// script is linear in the script.
///
/// What it remembers is small (a big script has hundreds of thousands of
/// sequences): per sequence, a range of one shared list of [`End`]s.
#[derive(Default)]
pub struct Reach {
    /// Each non-empty sequence asked about (by its address: sequences
    /// are always whole blocks, so two never start at one address): its
    /// enders, `ends[start..start + len]`.
    memo: FastMap<usize, (u32, u32)>,
    /// Every construct that ends each sequence asked about, in order.
    ends: Vec<End>,
    /// [`runnable_branches`] of each sequence asked about.
    branches: FastMap<(usize, usize), Box<[bool]>>,
}

/// The construct that ends a sequence: its first and last command (an
/// `if` chain spans its `elsif`s and `else`) and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct End {
    pub first: usize,
    pub last: usize,
    pub ender: Ender,
}

/// What ends a sequence, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ender {
    Stop,
    Return,
    Break,
    /// An `if` chain whose branches that can run all end.
    Chain,
}

impl Reach {
    /// The first construct in `seq` after which nothing in `seq` runs,
    /// if there is one.
    pub fn end_of(&mut self, seq: &[Command]) -> Option<End> {
        let (start, len) = self.enders(seq);
        (len > 0).then(|| self.ends[start])
    }

    /// Every construct of `seq` that ends it (after the first, the others
    /// never run; a range that starts after one may hold the next), once
    /// per sequence: where they are in [`Reach::ends`] (start, length).
    fn enders(&mut self, seq: &[Command]) -> (usize, usize) {
        if seq.is_empty() {
            return (0, 0);
        }
        let key = seq.as_ptr() as usize;
        if let Some(&(start, len)) = self.memo.get(&key) {
            return (start as usize, len as usize);
        }
        // Nested sequences are worked out (and stored) on the way, so this
        // sequence's enders are gathered first and stored after them.
        let mut found = Vec::new();
        let mut i = 0;
        while i < seq.len() {
            let (ends, last) = self.ender_at(seq, i);
            if let Some(ender) = ends {
                found.push(End {
                    first: i,
                    last,
                    ender,
                });
            }
            i = last + 1;
        }
        let start = self.ends.len();
        self.ends.extend_from_slice(&found);
        // A script is under 4 GiB, so these fit.
        self.memo.insert(key, (start as u32, found.len() as u32));
        (start, found.len())
    }

    /// [`construct_end`], asking this `Reach` about the blocks.
    fn ender_at(&mut self, seq: &[Command], i: usize) -> (Option<Ender>, usize) {
        construct_end(seq, i, |k| {
            seq[k]
                .block
                .as_ref()
                .is_some_and(|blk| self.end_of(&blk.commands).is_some())
        })
    }

    /// Whether the command at the end of `path` (for each level from the
    /// top: the sequence and the index in it) can run: nothing before it
    /// at any level ends that level's sequence, and no block on the way is
    /// a branch that never runs (constant `false`, or after a branch of
    /// its chain that is always taken).
    pub fn can_run(&mut self, path: &[(&[Command], usize)]) -> bool {
        path.iter().enumerate().all(|(depth, &(seq, k))| {
            !self.ends_within(seq, 0, k) && (depth + 1 == path.len() || self.branch_runs(seq, k))
        })
    }

    fn branch_runs(&mut self, seq: &[Command], k: usize) -> bool {
        let key = (seq.as_ptr() as usize, seq.len());
        self.branches
            .entry(key)
            .or_insert_with(|| runnable_branches(seq).into())
            .get(k)
            .copied()
            .unwrap_or(true)
    }

    /// Whether something in `seq[from..to]` ends the sequence before `to`
    /// (an `if` chain counts only when it lies wholly inside the range).
    pub fn ends_within(&mut self, seq: &[Command], from: usize, to: usize) -> bool {
        let (start, len) = self.enders(seq);
        let enders = &self.ends[start..start + len];
        let next = enders.partition_point(|e| e.first < from);
        enders.get(next).is_some_and(|e| e.last < to.min(seq.len()))
    }
}

/// What ends `seq` right after the construct that starts at `i` (and the
/// index of that construct's last command: an `if` chain spans its
/// `elsif`s and `else`); `block_ends(k)` tells whether the block of
/// `seq[k]` ends.
fn construct_end(
    seq: &[Command],
    i: usize,
    mut block_ends: impl FnMut(usize) -> bool,
) -> (Option<Ender>, usize) {
    let c = &seq[i];
    if c.broken {
        return (None, i);
    }
    if let Some(e) = ENDS.iter().position(|e| c.name.is(e)) {
        return (
            [Ender::Stop, Ender::Return, Ender::Break].get(e).copied(),
            i,
        );
    }
    if !c.name.is("if") {
        return (None, i);
    }
    let mut last = i;
    while seq
        .get(last + 1)
        .is_some_and(|n| n.name.is("elsif") || n.name.is("else"))
        && !seq[last].name.is("else")
    {
        last += 1;
    }
    let mut all_end = true;
    for (k, b) in seq.iter().enumerate().take(last + 1).skip(i) {
        if b.broken {
            return (None, last);
        }
        let value = branch_value(b);
        if value == Some(false) {
            continue;
        }
        all_end &= b.block.is_some() && block_ends(k);
        if value == Some(true) {
            // Always taken when reached: later branches never run.
            return (all_end.then_some(Ender::Chain), last);
        }
    }
    // No branch is always taken: the chain may fall through.
    (None, last)
}

/// Calls `found` with the sequence and its first [`End`] (as
/// [`Reach::end_of`] gives it), for every sequence of `commands` and their
/// blocks that has one. Each block is looked at once, innermost first, and
/// nothing is remembered past its parent: memory is the depth of nesting
/// times the width of a sequence, not the size of the script.
pub fn each_end<'s>(commands: &'s [Command], found: &mut impl FnMut(&'s [Command], End)) -> bool {
    let ends: Vec<bool> = commands
        .iter()
        .map(|c| {
            c.block
                .as_ref()
                .is_some_and(|b| each_end(&b.commands, found))
        })
        .collect();
    let mut i = 0;
    while i < commands.len() {
        let (ender, last) = construct_end(commands, i, |k| ends[k]);
        if let Some(ender) = ender {
            found(
                commands,
                End {
                    first: i,
                    last,
                    ender,
                },
            );
            return true;
        }
        i = last + 1;
    }
    false
}

/// Parses `src` and runs `f` on its top-level commands (tests).
#[cfg(test)]
fn with_script<T>(src: &str, f: impl FnOnce(&[Command]) -> T) -> T {
    let parsed = crate::syntax::parse(src);
    f(&parsed.script.commands)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(src: &str) -> Option<usize> {
        with_script(src, |seq| Reach::default().end_of(seq).map(|e| e.last))
    }

    /// `each_end` (one pass, nothing remembered) finds for every sequence
    /// the same first end as `Reach::end_of` (memoized).
    #[test]
    fn each_end_agrees_with_reach() {
        fn sequences<'s>(seq: &'s [Command<'s>], out: &mut Vec<&'s [Command<'s>]>) {
            out.push(seq);
            for c in seq {
                if let Some(b) = &c.block {
                    sequences(&b.commands, out);
                }
            }
        }
        for src in [
            "keep;",
            "stop; keep;",
            "if true { stop; } keep;",
            "if false { stop; } keep;",
            "if exists \"a\" { stop; } else { if true { return; } keep; } discard;",
            "if exists \"a\" { stop; } elsif exists \"b\" { stop; } keep;",
            "if exists \"a\" { if anyof (true, exists \"x\") { stop; } } else { stop; } keep; \
             if true { keep; stop; keep; } keep;",
            "foreverypart { break; keep; } if not false { if true { stop; } keep; } keep;",
            "if allof (true, true) { } elsif true { stop; } keep;",
        ] {
            with_script(src, |top| {
                let mut found = Vec::new();
                each_end(top, &mut |seq, e| found.push((seq.as_ptr(), e)));
                let mut all = Vec::new();
                sequences(top, &mut all);
                let mut reach = Reach::default();
                let mut want: Vec<_> = all
                    .iter()
                    .filter_map(|s| Some((s.as_ptr(), reach.end_of(s)?)))
                    .collect();
                assert!(!src.contains("stop") || !want.is_empty(), "{src}");
                let key = |x: &(*const Command, End)| (x.0 as usize, x.1.first);
                found.sort_by_key(key);
                want.sort_by_key(key);
                assert_eq!(found, want, "{src}");
            });
        }
    }

    #[test]
    fn constants() {
        for (src, want) in [
            ("true", Some(true)),
            ("false", Some(false)),
            ("not false", Some(true)),
            ("not not true", Some(true)),
            ("anyof (exists \"x\", true)", Some(true)),
            ("anyof (exists \"x\", false)", None),
            ("allof (true, not false)", Some(true)),
            ("allof (exists \"x\", false)", Some(false)),
            ("exists \"x\"", None),
            ("TRUE", Some(true)),
        ] {
            let code = format!("if {src} {{ keep; }}");
            let got = with_script(&code, |seq| branch_value(&seq[0]));
            assert_eq!(got, want, "{src}");
        }
    }

    #[test]
    fn what_ends_a_sequence() {
        assert_eq!(end("keep; stop; keep;"), Some(1));
        assert_eq!(end("if true { stop; } keep;"), Some(0));
        assert_eq!(end("if true { keep; if true { return; } } keep;"), Some(0));
        assert_eq!(end("if exists \"x\" { stop; } keep;"), None);
        assert_eq!(
            end("if exists \"x\" { stop; } else { stop; } keep;"),
            Some(1)
        );
        assert_eq!(
            end("if exists \"x\" { stop; } elsif exists \"y\" { keep; } else { stop; } keep;"),
            None
        );
        assert_eq!(
            end("if false { keep; } elsif true { stop; } else { keep; } keep;"),
            Some(2)
        );
        assert_eq!(end("if false { stop; } keep;"), None);
        assert_eq!(end("if true { keep; } keep;"), None);
        // foreverypart may visit no part: not looked into.
        assert_eq!(end("foreverypart { stop; } keep;"), None);
        assert_eq!(end(""), None);
    }

    #[test]
    fn what_can_run() {
        let src = "if true { stop; } keep; \
                   if false { keep; } elsif true { keep; } else { keep; } \
                   if exists \"x\" { keep; }";
        with_script(src, |seq| {
            let mut r = Reach::default();
            assert!(r.can_run(&[(seq, 0)]));
            assert!(!r.can_run(&[(seq, 1)]));
        });
        let src = "if false { keep; } elsif true { keep; } else { keep; } \
                   if exists \"x\" { keep; } elsif exists \"y\" { keep; }";
        with_script(src, |seq| {
            let mut r = Reach::default();
            let inner = |i: usize| &seq[i].block.as_ref().unwrap().commands[..];
            let runs = |r: &mut Reach, i: usize| r.can_run(&[(seq, i), (inner(i), 0)]);
            assert!(!runs(&mut r, 0), "if false");
            assert!(runs(&mut r, 1), "elsif true");
            assert!(!runs(&mut r, 2), "else after an always-taken branch");
            assert!(runs(&mut r, 3));
            assert!(runs(&mut r, 4));
        });
    }

    #[test]
    fn ends_within_a_range() {
        with_script("keep; if true { stop; } keep; stop;", |seq| {
            let mut r = Reach::default();
            assert!(r.ends_within(seq, 0, 2));
            assert!(!r.ends_within(seq, 0, 1));
            assert!(!r.ends_within(seq, 2, 3));
            assert!(r.ends_within(seq, 2, 4));
        });
        // A chain that reaches past the range does not count.
        with_script("if exists \"x\" { stop; } else { stop; } keep;", |seq| {
            assert!(!Reach::default().ends_within(seq, 0, 1));
        });
    }
}
