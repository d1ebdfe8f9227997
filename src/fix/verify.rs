//! Every fix is verified before it is offered (design.md: "a fix is offered
//! only if the fixed script has no new diagnostic and means the same").
//!
//! A fix is kept when the script with it applied
//! 1. parses without errors,
//! 2. has the same commands, `require`s aside (the only fixes there are
//!    change what is required), compared without regard to position, and
//! 3. reports no diagnostic that the script did not already report: the
//!    diagnostics are compared as a multiset of code and message (spans
//!    shift; digits are ignored, so a size or a count that changes with
//!    the text does not count as new).
//!
//! The cost stays linear: the fixes of a script (each distinct fix once)
//! are laid out in layers of fixes that do not overlap (most scripts need
//! one), and each layer is verified with one lint of the result. Only when
//! a layer shows a new diagnostic are its fixes verified one at a time, at
//! most [`SINGLE_CHECKS`] of them per script; those left over, and those
//! past [`MAX_LAYERS`], are not offered (a later `--fix` pass offers them
//! again). A fix that is not offered leaves its diagnostic without one.

use super::{Edit, Fix, Occupied, apply_fixes, is_syntax_error};
use crate::diagnostic::{Diagnostic, Severity};
use crate::hash::FastMap;
use crate::syntax::ast::{Argument, Command, Script, Test, Tests};
use crate::{CheckOptions, FileReport};

/// Layers of non-overlapping fixes verified per script.
pub const MAX_LAYERS: usize = 8;
/// Fixes verified one at a time per script, after a layer failed.
pub const SINGLE_CHECKS: usize = 16;

/// Why a fix is not offered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unsafe {
    #[error("the fixed script would not parse ({0})")]
    WouldNotParse(String),
    #[error("the fixed script would not mean the same (its commands change)")]
    ChangesCommands,
    #[error("the fixed script would report {severity}[{code}]: {message}")]
    NewDiagnostic {
        severity: Severity,
        code: &'static str,
        message: String,
    },
    #[error("not verified: it overlaps too many other fixes (run --fix again)")]
    TooManyOverlaps,
    #[error("not verified: too many fixes failed together to check each (run --fix again)")]
    OverBudget,
    /// Still offered when `--fix` stopped (it depends on fixes applied in
    /// the same run, or the passes ran out).
    #[error("left for another run of --fix")]
    Left,
}

/// A fix that was not offered, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// The fix's own message ("remove \"copy\" from the require").
    pub fix: String,
    pub why: Unsafe,
}

/// A script linted after fixes were applied: kept so that `--fix` does not
/// lint the same text twice.
#[derive(Debug)]
pub struct Linted {
    pub report: FileReport,
    pub script: Script<'static>,
}

/// What verifying a script's fixes gives.
#[derive(Debug, Default)]
pub struct Verification {
    pub dropped: Vec<Dropped>,
    /// The first layer applied and linted, when all of it was kept: what
    /// `--fix` applies next (the fixes that `apply_fixes` picks from what
    /// is kept are exactly that layer).
    pub first_layer: Option<Linted>,
}

/// Lints a text without verifying its fixes.
pub(crate) fn lint_text(path: &str, text: String, options: &CheckOptions) -> Linted {
    let (report, script) = crate::lint_unverified(
        path,
        crate::syntax::SourceText {
            text,
            errors: Vec::new(),
        },
        options,
    );
    Linted { report, script }
}

/// [`verify`] for a script linted after fixes.
pub(crate) fn verify_linted(l: &mut Linted, options: &CheckOptions) -> Verification {
    let r = &mut l.report;
    verify(&r.path, &r.source, &mut r.diagnostics, &l.script, options)
}

/// Verifies the fixes of a linted script, removing from its diagnostics
/// every fix that is not safe (see the module documentation). A script
/// with syntax errors keeps no fix.
pub fn verify(
    path: &str,
    source: &str,
    diagnostics: &mut [Diagnostic],
    script: &Script,
    options: &CheckOptions,
) -> Verification {
    let mut out = Verification::default();
    if !diagnostics.iter().any(|d| d.fix.is_some()) {
        return out;
    }
    if diagnostics.iter().any(is_syntax_error) {
        for d in diagnostics.iter_mut() {
            d.fix = None;
        }
        return out;
    }
    // Each distinct fix once, in the order apply_fixes takes them.
    let mut index: FastMap<&[Edit], usize> = FastMap::default();
    let mut unique: Vec<&Fix> = Vec::new();
    for f in diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
        index.entry(f.edits.as_slice()).or_insert_with(|| {
            unique.push(f);
            unique.len() - 1
        });
    }
    let mut order: Vec<usize> = (0..unique.len()).collect();
    order.sort_by_key(|&i| start_of(unique[i]));
    let mut keep = vec![false; unique.len()];
    let mut why: Vec<Option<Unsafe>> = vec![None; unique.len()];
    // Layers of fixes that do not overlap each other.
    let mut layers: Vec<(Vec<usize>, Occupied)> = Vec::new();
    for i in order {
        let fix = unique[i];
        if !super::valid(source, fix) {
            why[i] = Some(Unsafe::WouldNotParse("an edit outside the text".into()));
            continue;
        }
        let free = layers.iter().position(|(_, occ)| !occ.conflicts_with(fix));
        match free {
            Some(l) => {
                let (members, occ) = &mut layers[l];
                occ.take(fix);
                members.push(i);
            }
            None if layers.len() < MAX_LAYERS => {
                let mut occ = Occupied::default();
                occ.take(fix);
                layers.push((vec![i], occ));
            }
            None => why[i] = Some(Unsafe::TooManyOverlaps),
        }
    }
    let before = Baseline::of(diagnostics, script);
    let mut singles = SINGLE_CHECKS;
    for (n, (members, _)) in layers.iter().enumerate() {
        let fixes = members.iter().map(|&i| unique[i]);
        let after = lint_text(path, apply_fixes(source, fixes).0, options);
        match before.judge(&after) {
            Ok(()) => {
                members.iter().for_each(|&i| keep[i] = true);
                if n == 0 {
                    out.first_layer = Some(after);
                }
            }
            Err(e) if members.len() == 1 => why[members[0]] = Some(e),
            Err(_) => {
                for &i in members {
                    if singles == 0 {
                        why[i] = Some(Unsafe::OverBudget);
                        continue;
                    }
                    singles -= 1;
                    let alone = apply_fixes(source, [unique[i]]).0;
                    match before.judge(&lint_text(path, alone, options)) {
                        Ok(()) => keep[i] = true,
                        Err(e) => why[i] = Some(e),
                    }
                }
            }
        }
    }
    out.dropped = (0..unique.len())
        .filter(|&i| !keep[i])
        .map(|i| Dropped {
            fix: unique[i].message.clone(),
            why: why[i].clone().unwrap_or(Unsafe::OverBudget),
        })
        .collect();
    if out.dropped.is_empty() {
        return out;
    }
    let kept: Vec<bool> = diagnostics
        .iter()
        .map(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| keep[index[f.edits.as_slice()]])
        })
        .collect();
    for (d, k) in diagnostics.iter_mut().zip(kept) {
        if !k {
            d.fix = None;
        }
    }
    out
}

/// Where a fix starts: where apply_fixes orders it.
pub(crate) fn start_of(fix: &Fix) -> Option<(usize, usize)> {
    fix.edits
        .iter()
        .map(|e| (e.span.start(), e.span.end()))
        .min()
}

/// A script before fixes, to judge a fixed version against.
pub(crate) struct Baseline<'a> {
    script: &'a Script<'a>,
    diagnostics: FastMap<(&'static str, String), usize>,
}

impl<'a> Baseline<'a> {
    pub(crate) fn of(found: &[Diagnostic], script: &'a Script<'a>) -> Baseline<'a> {
        let mut diagnostics: FastMap<(&'static str, String), usize> = FastMap::default();
        for d in found {
            *diagnostics.entry(key(d)).or_default() += 1;
        }
        Baseline {
            script,
            diagnostics,
        }
    }

    /// Is `after` a safe result of fixing this script?
    pub(crate) fn judge(&self, after: &Linted) -> Result<(), Unsafe> {
        if let Some(d) = after.report.diagnostics.iter().find(|d| is_syntax_error(d)) {
            return Err(Unsafe::WouldNotParse(d.message.clone()));
        }
        if !same_commands(&self.script.commands, &after.script.commands, true) {
            return Err(Unsafe::ChangesCommands);
        }
        let mut left = self.diagnostics.clone();
        for d in &after.report.diagnostics {
            match left.get_mut(&key(d)) {
                Some(n) if *n > 0 => *n -= 1,
                _ => {
                    return Err(Unsafe::NewDiagnostic {
                        severity: d.severity,
                        code: d.code,
                        message: d.message.clone(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// A diagnostic as compared before and after a fix: its code and its
/// message in lower case (capabilities are named in either case: removing
/// the first of `"extlists"` and `"Extlists"` moves a finding from one to
/// the other) with every run of digits as one `#`.
fn key(d: &Diagnostic) -> (&'static str, String) {
    let mut message = String::with_capacity(d.message.len());
    let mut digits = false;
    for c in d.message.chars() {
        if c.is_ascii_digit() {
            if !digits {
                message.push('#');
            }
            digits = true;
        } else {
            message.push(c.to_ascii_lowercase());
            digits = false;
        }
    }
    (d.code, message)
}

/// The same commands, positions aside; at the top level the `require`
/// commands are left out (they are what the fixes change).
fn same_commands(a: &[Command], b: &[Command], top: bool) -> bool {
    let kept = |c: &&Command| !(top && c.name.is("require"));
    let (mut a, mut b) = (a.iter().filter(kept), b.iter().filter(kept));
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if same_command(x, y) => {}
            _ => return false,
        }
    }
}

fn same_command(a: &Command, b: &Command) -> bool {
    a.name.name == b.name.name
        && a.broken == b.broken
        && same_arguments(&a.args.args, &b.args.args)
        && same_tests(a.args.tests.as_deref(), b.args.tests.as_deref())
        && match (&a.block, &b.block) {
            (None, None) => true,
            (Some(x), Some(y)) => same_commands(&x.commands, &y.commands, false),
            _ => false,
        }
}

fn same_tests(a: Option<&Tests>, b: Option<&Tests>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(Tests::One(x)), Some(Tests::One(y))) => same_test(x, y),
        (Some(Tests::List { tests: x, .. }), Some(Tests::List { tests: y, .. })) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_test(x, y))
        }
        _ => false,
    }
}

fn same_test(a: &Test, b: &Test) -> bool {
    a.name.name == b.name.name
        && same_arguments(&a.args.args, &b.args.args)
        && same_tests(a.args.tests.as_deref(), b.args.tests.as_deref())
}

fn same_arguments(a: &[Argument], b: &[Argument]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Argument::Tag(x), Argument::Tag(y)) => x.name == y.name,
            (Argument::Number(x), Argument::Number(y)) => x.value == y.value,
            (Argument::String(x), Argument::String(y)) => x.value == y.value && x.kind == y.kind,
            (Argument::StringList(x), Argument::StringList(y)) => {
                x.items.len() == y.items.len()
                    && x.items
                        .iter()
                        .zip(&y.items)
                        .all(|(x, y)| x.value == y.value && x.kind == y.kind)
            }
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint(src: &str) -> Linted {
        lint_text("t.sieve", src.to_owned(), &CheckOptions::default())
    }

    fn judge(before: &str, after: &str) -> Result<(), Unsafe> {
        let b = lint(before);
        Baseline::of(&b.report.diagnostics, &b.script).judge(&lint(after))
    }

    #[test]
    fn a_fix_that_removes_diagnostics_only_is_safe() {
        let before = "require [\"fileinto\", \"body\"];\nfileinto \"A\";\n";
        assert_eq!(
            judge(before, "require \"fileinto\";\nfileinto \"A\";\n"),
            Ok(())
        );
    }

    #[test]
    fn a_new_diagnostic_a_change_of_commands_or_a_parse_error_is_not() {
        let before = "require \"fileinto\";\nfileinto \"A\";\n";
        assert!(matches!(
            judge(before, "fileinto \"A\";\n"),
            Err(Unsafe::NewDiagnostic { code: "SL0203", .. })
        ));
        assert_eq!(
            judge(before, "require \"fileinto\";\nfileinto \"B\";\n"),
            Err(Unsafe::ChangesCommands)
        );
        assert_eq!(
            judge(before, "require \"fileinto\";\nkeep;\n"),
            Err(Unsafe::ChangesCommands)
        );
        assert!(matches!(
            judge(before, "require \"fileinto\";\nfileinto \"A\"\n"),
            Err(Unsafe::WouldNotParse(_))
        ));
    }

    #[test]
    fn positions_and_counts_in_messages_do_not_make_a_diagnostic_new() {
        let d = |m: &str| Diagnostic {
            message: m.to_owned(),
            ..Diagnostic::new(
                crate::rules::Meta::info(&crate::rules::SyntaxError),
                Default::default(),
                "",
            )
        };
        assert_eq!(
            key(&d("the script is 1200 bytes")),
            key(&d("the script is 99 bytes"))
        );
        assert_eq!(key(&d("\"Extlists\" 1")), key(&d("\"extlists\" 2")));
        assert_ne!(key(&d("a 1")), key(&d("b 1")));
    }

    #[test]
    fn overlapping_fixes_are_verified_in_layers_and_all_kept() {
        // The merge (duplicate-require) covers the removal (unused-require)
        // and the addition (missing-require): three layers, three lints.
        let src =
            "require [\"body\", \"fileinto\"];\nrequire \"fileinto\";\nfileinto :copy \"A\";\n";
        let mut l = lint(src);
        let fixable = l
            .report
            .diagnostics
            .iter()
            .filter(|d| d.fix.is_some())
            .count();
        assert_eq!(fixable, 3, "{:?}", l.report.diagnostics);
        let v = verify_linted(&mut l, &CheckOptions::default());
        assert!(v.dropped.is_empty(), "{:?}", v.dropped);
        let kept = l
            .report
            .diagnostics
            .iter()
            .filter(|d| d.fix.is_some())
            .count();
        assert_eq!(kept, 3);
    }

    #[test]
    fn unsafe_fixes_are_dropped_and_safe_ones_kept() {
        let options = CheckOptions::default();
        let src = "require [\"fileinto\", \"body\"];\nfileinto \"A\";\n";
        let mut l = lint(src);
        // A hand-made bad fix on the unused-require diagnostic: it would
        // remove "fileinto" instead.
        let d = l
            .report
            .diagnostics
            .iter_mut()
            .find(|d| d.name == "unused-require")
            .expect("unused body");
        assert!(d.fix.is_some());
        let good = d.fix.clone();
        let at = src.find("\"fileinto\", ").expect("fileinto");
        d.fix = Some(Fix::new(
            "bad",
            vec![Edit::delete(crate::syntax::ast::Span::new(at, at + 12))],
        ));
        let v = verify_linted(&mut l, &options);
        assert_eq!(v.dropped.len(), 1, "{:?}", v.dropped);
        assert!(matches!(v.dropped[0].why, Unsafe::NewDiagnostic { .. }));
        assert!(l.report.diagnostics.iter().all(|d| d.fix.is_none()));
        // The real fix passes, and its result is kept for --fix.
        let mut l = lint(src);
        let v = verify_linted(&mut l, &options);
        assert!(v.dropped.is_empty());
        assert_eq!(
            l.report.diagnostics.iter().find_map(|d| d.fix.clone()),
            good
        );
        let first = v.first_layer.expect("first layer");
        assert_eq!(
            first.report.source,
            "require [\"fileinto\"];\nfileinto \"A\";\n"
        );
    }
}
