//! Deterministic generator of realistic Sieve scripts for benchmarking.
//!
//! `cargo run --release --example gen_bench -- RULES > bench.sieve`
//!
//! The output uses only the base language plus the "fileinto" and
//! "envelope" extensions, lints clean with `sieve-lint check` and compiles
//! with Dovecot's `sievec`. The same RULES always gives the same bytes.

use std::fmt::Write as _;
use std::io::Write as _;

/// xorshift64: tiny, fast, and deterministic across platforms.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `pct` percent.
    fn chance(&mut self, pct: usize) -> bool {
        self.below(100) < pct
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SEED: u64 = 0x2545_F491_4F6C_DD1D;

const HEADERS: &[&str] = &[
    "subject",
    "from",
    "to",
    "cc",
    "list-id",
    "x-spam-flag",
    "x-mailer",
    "reply-to",
    "x-priority",
    "precedence",
];
const ADDR_HEADERS: &[&str] = &["from", "to", "cc", "sender", "reply-to"];
const WORDS: &[&str] = &[
    "invoice",
    "meeting",
    "newsletter",
    "urgent",
    "report",
    "offer",
    "security",
    "release",
    "build failed",
    "weekly digest",
    "[announce]",
    "unsubscribe",
    "password",
    "order",
    "ticket",
];
const USERS: &[&str] = &[
    "alice", "bob", "carol", "dave", "erin", "frank", "noreply", "billing", "support", "admin",
];
const DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "lists.example.net",
    "corp.example",
    "mail.test",
    "shop.example",
];
const FOLDERS: &[&str] = &[
    "Lists", "Work", "Bills", "Spam", "Social", "Alerts", "Archive", "Friends",
];

struct Gen {
    rng: Rng,
    out: String,
}

impl Gen {
    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str("    ");
        }
    }

    fn address(&mut self) -> String {
        let u = self.rng.pick(USERS);
        let d = self.rng.pick(DOMAINS);
        format!("{u}@{d}")
    }

    /// One test; `depth` bounds the nesting of anyof/allof/not.
    fn test(&mut self, depth: usize) {
        let r = self.rng.below(if depth == 0 { 80 } else { 100 });
        match r {
            0..=19 => {
                let h = self.rng.pick(HEADERS);
                let w = self.rng.pick(WORDS);
                let _ = write!(self.out, "header :contains \"{h}\" \"{w}\"");
            }
            20..=31 => {
                let h = self.rng.pick(&["x-spam-flag", "precedence", "x-priority"]);
                let n = 2 + self.rng.below(2);
                let vals = ["\"YES\"", "\"bulk\"", "\"list\"", "\"1\""];
                let list: Vec<&str> = (0..n).map(|i| vals[(i + n) % vals.len()]).collect();
                let _ = write!(self.out, "header :is \"{h}\" [{}]", list.join(", "));
            }
            32..=43 => {
                let h = self.rng.pick(ADDR_HEADERS);
                match self.rng.below(3) {
                    0 => {
                        let a = self.address();
                        let _ = write!(self.out, "address :is \"{h}\" \"{a}\"");
                    }
                    1 => {
                        let d = self.rng.pick(DOMAINS);
                        let _ = write!(self.out, "address :domain :is \"{h}\" \"{d}\"");
                    }
                    _ => {
                        let u = self.rng.pick(USERS);
                        let _ = write!(self.out, "address :localpart :is \"{h}\" \"{u}\"");
                    }
                }
            }
            44..=53 => {
                let part = self.rng.pick(&["from", "to"]);
                let a = self.address();
                let _ = write!(self.out, "envelope :is \"{part}\" \"{a}\"");
            }
            54..=59 => {
                let h = self.rng.pick(HEADERS);
                let _ = write!(self.out, "exists \"{h}\"");
            }
            60..=65 => {
                let k = self.rng.pick(&["100K", "1M", "500K", "2M"]);
                let _ = write!(self.out, "size :over {k}");
            }
            66..=68 => {
                // A multi-line string (RFC 5228 §2.4.2).
                let w = self.rng.pick(WORDS);
                let _ = write!(self.out, "header :contains \"subject\" text:\n{w}\n.\n");
            }
            69..=79 => {
                let w = self.rng.pick(WORDS);
                let _ = write!(self.out, "header :contains \"subject\" \"{w}\"");
            }
            80..=87 => {
                self.out.push_str("not ");
                self.test(depth - 1);
            }
            _ => {
                let kw = if self.rng.chance(50) {
                    "anyof"
                } else {
                    "allof"
                };
                let n = 2 + self.rng.below(3);
                let _ = write!(self.out, "{kw} (");
                for i in 0..n {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.test(depth - 1);
                }
                self.out.push(')');
            }
        }
    }

    /// One or two distinct actions; `stop` only ever comes last, and never
    /// in an `else` (a chain whose every branch stops would leave what
    /// follows it unreachable, which sieve-lint reports).
    fn actions(&mut self, depth: usize, rule: usize, may_stop: bool) {
        let first = self.rng.below(10);
        let mut kinds = vec![first];
        if self.rng.chance(25) {
            // A second, different action: file a copy and keep, and so on.
            kinds.push((first + 3 + self.rng.below(5)) % 10);
        }
        for k in kinds {
            self.indent(depth);
            match k {
                0..=4 => {
                    let f = self.rng.pick(FOLDERS);
                    let _ = writeln!(self.out, "fileinto \"{f}/{}\";", rule % 97);
                }
                5..=6 => {
                    let a = self.address();
                    let _ = writeln!(self.out, "redirect \"{a}\";");
                }
                7..=8 => self.out.push_str("keep;\n"),
                _ => self.out.push_str("discard;\n"),
            }
        }
        // Drawn either way: the same seed gives the same script elsewhere.
        if self.rng.chance(20) && may_stop {
            self.indent(depth);
            self.out.push_str("stop;\n");
        }
    }

    /// ` {` after a test, or `{` when a `text:` string left us on a new line.
    fn open_block(&mut self) {
        if !self.out.ends_with('\n') {
            self.out.push(' ');
        }
        self.out.push_str("{\n");
    }

    /// A block body: actions, sometimes a nested `if` (up to `nest` more levels).
    fn body(&mut self, depth: usize, nest: usize, rule: usize) {
        if nest > 0 && self.rng.chance(20) {
            self.if_chain(depth, nest - 1, rule);
        }
        self.actions(depth, rule, true);
    }

    fn if_chain(&mut self, depth: usize, nest: usize, rule: usize) {
        self.indent(depth);
        self.out.push_str("if ");
        self.test(2);
        self.open_block();
        self.body(depth + 1, nest, rule);
        self.indent(depth);
        self.out.push('}');
        let elsifs = if self.rng.chance(15) {
            1 + self.rng.below(2)
        } else {
            0
        };
        for _ in 0..elsifs {
            self.out.push_str(" elsif ");
            self.test(1);
            self.open_block();
            self.body(depth + 1, nest, rule);
            self.indent(depth);
            self.out.push('}');
        }
        if self.rng.chance(15) {
            self.out.push_str(" else {\n");
            self.actions(depth + 1, rule, false);
            self.indent(depth);
            self.out.push('}');
        }
        self.out.push('\n');
    }

    fn rule(&mut self, n: usize) {
        match self.rng.below(10) {
            0..=3 => {
                let _ = writeln!(self.out, "# Rule {n}: sort by sender and subject");
            }
            4 => {
                let _ = writeln!(
                    self.out,
                    "/* Rule {n}: added by the mail admin,\n * reviewed quarterly. */"
                );
            }
            _ => {}
        }
        let nest = self.rng.below(3);
        self.if_chain(0, nest, n);
    }
}

fn main() {
    let arg = std::env::args().nth(1);
    let rules: usize = match arg.as_deref().map(str::parse) {
        Some(Ok(n)) if n > 0 => n,
        _ => {
            eprintln!("usage: gen_bench RULES  (RULES > 0)");
            std::process::exit(2);
        }
    };
    let mut g = Gen {
        rng: Rng(SEED),
        out: String::with_capacity(rules * 170),
    };
    g.out
        .push_str("# Generated by `cargo run --example gen_bench`; do not edit.\n");
    g.out.push_str("require [\"fileinto\", \"envelope\"];\n\n");
    // Rule 0 uses both extensions, so neither `require` is ever unused.
    g.out
        .push_str("if envelope :is \"to\" \"postmaster@example.com\" {\n");
    g.out.push_str("    fileinto \"Admin\";\n    stop;\n}\n");
    for n in 1..rules {
        g.rule(n);
    }
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(g.out.as_bytes()).is_err() {
        std::process::exit(1);
    }
}
