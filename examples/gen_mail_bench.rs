//! Deterministic generator of a dry-run benchmark: mail, lists and a script.
//!
//! `cargo run --release --example gen_mail_bench -- OUTDIR MESSAGES MEMBERS [BIG]`
//!
//! Writes into OUTDIR:
//! - `mail/NNNNN.eml`: MESSAGES messages of 2–20 KB, plain text or
//!   multipart (alternative text/HTML, some with a base64 attachment), with
//!   realistic headers: From/To/Cc with display names, Subject (some RFC 2047
//!   encoded), Date, Message-ID, several folded Received lines, List-Id on
//!   some. Message `n` depends only on `n`, so the first 1,000 messages of a
//!   10,000-message set are the 1,000-message set.
//! - `lists.json`: the list "tag:example.com,2024-01-01:senders" with MEMBERS
//!   addresses and the address book ":addrbook:default" with 1,000 entries.
//! - `big.csv`: the same two lists as `list,member` rows, the first with BIG
//!   members (default 1,000,000); its first MEMBERS members are those of
//!   `lists.json`.
//! - `filter.sieve`: a 50-rule script with `:list` tests (address, header
//!   and envelope, on both lists), header `:contains`/`:matches`, address
//!   `:domain`, size, variables, fileinto/keep/discard/addflag. It lints
//!   clean with `sieve-lint check`.
//! - `filter-dovecot.sieve`: the same script without extlists (each `:list`
//!   test becomes `:is` on a few addresses) for Dovecot's `sieve-test`.
//!
//! About 5–20% of the messages hit each list. The same arguments always
//! give the same bytes.

use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Write as _};
use std::path::Path;

/// xorshift64: tiny, fast, and deterministic across platforms.
struct Rng(u64);

impl Rng {
    /// A generator for stream `n` of the fixed seed (decorrelated by mixing).
    fn stream(n: u64) -> Self {
        let mut r = Rng(SEED ^ (n.wrapping_add(1)).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        if r.0 == 0 {
            r.0 = SEED;
        }
        for _ in 0..4 {
            r.next();
        }
        r
    }

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

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
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
const SENDERS: &str = "tag:example.com,2024-01-01:senders";
const ADDRBOOK: &str = ":addrbook:default";
const ADDRBOOK_ENTRIES: usize = 1000;
const DEFAULT_BIG: usize = 1_000_000;
/// Addresses of senders that are on no list start at this number.
const STRANGERS: usize = 10_000_000;
const RULES: usize = 50;

const FIRST: &[&str] = &[
    "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory",
    "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Uma", "Victor", "Walter", "Xena",
    "Yusuf", "Zoe", "Amir", "Bea", "Chen", "Dana", "Emil", "Fatima", "Goran", "Hana", "Igor",
];
const LAST: &[&str] = &[
    "Smith", "Jones", "Garcia", "Miller", "Davis", "Lopez", "Wilson", "Moore", "Taylor", "Thomas",
    "White", "Harris", "Martin", "Thompson", "Clark", "Lewis", "Walker", "Hall", "Young", "King",
    "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell",
    "Roberts", "Carter", "Phillips",
];
/// Domains of the senders list (and of strangers: the domain alone does not
/// tell members apart).
const SENDER_DOMAINS: &[&str] = &[
    "example.net",
    "mail.example.org",
    "shop.example",
    "news.example.com",
    "billing.example.net",
    "social.example",
    "travel.example.org",
    "bank.example",
    "alerts.example.com",
    "cloud.example.net",
    "forum.example.org",
    "events.example",
    "jobs.example.com",
    "school.example.edu",
    "health.example",
    "games.example.net",
];
const CONTACT_DOMAINS: &[&str] = &[
    "corp.example",
    "Mail.Corp.Example",
    "partner.example.com",
    "family.example",
    "friends.example.org",
    "university.example.edu",
    "club.example",
];
const LISTS: &[(&str, &str)] = &[
    ("Rust users", "rust-users.lists.example.org"),
    ("Dovecot", "dovecot.lists.example.net"),
    ("Sieve WG", "sieve.ietf.example"),
    ("Announce", "announce.corp.example"),
    ("Neighbours", "neighbours.groups.example"),
];
const TOPICS: &[&str] = &[
    "invoice",
    "meeting",
    "newsletter",
    "report",
    "offer",
    "security alert",
    "release",
    "build failed",
    "weekly digest",
    "order",
    "ticket",
    "receipt",
    "holiday plans",
    "password reset",
    "unsubscribe",
    "lunch",
    "travel",
    "review",
];
const ENCODED_SUBJECTS: &[&str] = &[
    "Café offer",
    "Réunion de l'équipe",
    "Grüße aus München",
    "Überweisung erhalten",
    "Zpráva o stavu",
    "Счёт на оплату",
    "会议通知",
    "¡Oferta especial!",
];
const LOREM: &[&str] = &[
    "the",
    "build",
    "server",
    "report",
    "meeting",
    "please",
    "review",
    "attached",
    "numbers",
    "quarter",
    "thanks",
    "for",
    "your",
    "order",
    "shipping",
    "update",
    "and",
    "with",
    "release",
    "notes",
    "we",
    "will",
    "discuss",
    "next",
    "week",
    "agenda",
    "draft",
    "invoice",
    "payment",
    "due",
    "account",
    "security",
    "team",
    "project",
    "deadline",
    "schedule",
    "feedback",
    "change",
    "request",
    "ticket",
    "customer",
    "support",
    "newsletter",
    "offer",
    "today",
    "only",
    "issue",
    "fixed",
    "version",
    "config",
    "filter",
    "mailbox",
    "list",
    "sieve",
    "rules",
    "message",
];
const MAILERS: &[&str] = &[
    "Mozilla Thunderbird 128.3.1",
    "Apple Mail (2.3774.200.91.1.1)",
    "Microsoft Outlook 16.0",
    "Roundcube Webmail/1.6.9",
    "K-9 Mail for Android",
    "mutt/2.2.13",
];
const ATTACHMENTS: &[(&str, &str)] = &[
    ("application/pdf", "pdf"),
    ("image/png", "png"),
    ("text/csv", "csv"),
    ("application/zip", "zip"),
];

/// Member `i` of the senders list: lower case, unique by its number.
fn member(i: usize) -> String {
    format!(
        "{}.{}{}@{}",
        FIRST[i % FIRST.len()].to_ascii_lowercase(),
        LAST[(i / FIRST.len()) % LAST.len()].to_ascii_lowercase(),
        i,
        SENDER_DOMAINS[(i / 7) % SENDER_DOMAINS.len()]
    )
}

/// Entry `j` of the address book, in mixed case as people type them
/// (the book matches without regard to case).
fn contact(j: usize) -> String {
    format!(
        "{}.{}@{}",
        FIRST[j % FIRST.len()],
        LAST[(j / FIRST.len()) % LAST.len()],
        CONTACT_DOMAINS[j % CONTACT_DOMAINS.len()]
    )
}

fn contact_name(j: usize) -> String {
    format!(
        "{} {}",
        FIRST[j % FIRST.len()],
        LAST[(j / FIRST.len()) % LAST.len()]
    )
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * k)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An RFC 2047 "Q" encoded word.
fn q_word(charset: &str, text: &str) -> String {
    let mut out = format!("=?{charset}?Q?");
    for &b in text.as_bytes() {
        match b {
            b' ' => out.push('_'),
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b',' | b'!' => out.push(b as char),
            _ => {
                let _ = write!(out, "={b:02X}");
            }
        }
    }
    out.push_str("?=");
    out
}

/// An RFC 2047 "B" encoded word.
fn b_word(text: &str) -> String {
    format!("=?UTF-8?B?{}?=", base64(text.as_bytes()))
}

/// Latin-1 bytes of a string made only of Latin-1 characters.
fn latin1(text: &str) -> Option<Vec<u8>> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect()
}

/// Days since 1970-01-01 → (year, month, day) (H. Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// An RFC 5322 date for unix time `t` shown in zone `zone` (minutes east).
fn rfc5322_date(t: i64, zone: i32) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let local = t + i64::from(zone) * 60;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    let sign = if zone < 0 { '-' } else { '+' };
    let z = zone.abs();
    format!(
        "{}, {d} {} {y} {:02}:{:02}:{:02} {sign}{:02}{:02}",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[m as usize - 1],
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        z / 60,
        z % 60
    )
}

/// Who sent a message.
enum Sender {
    /// On the senders list.
    Member(usize),
    /// In the address book.
    Contact(usize),
    /// On no list.
    Stranger(usize),
}

impl Sender {
    fn address(&self, lower: bool) -> String {
        match *self {
            Sender::Member(i) => member(i),
            Sender::Contact(j) if lower => contact(j).to_ascii_lowercase(),
            Sender::Contact(j) => contact(j),
            Sender::Stranger(k) => member(k),
        }
    }

    fn display(&self) -> String {
        match *self {
            Sender::Member(i) | Sender::Stranger(i) => format!(
                "{} {}",
                FIRST[i % FIRST.len()],
                LAST[(i / FIRST.len()) % LAST.len()]
            ),
            Sender::Contact(j) => contact_name(j),
        }
    }
}

/// `Name <addr>` in one of the forms mail clients write.
fn mailbox(rng: &mut Rng, name: &str, addr: &str) -> String {
    match rng.below(10) {
        0 => addr.to_owned(),
        1 => format!("<{addr}>"),
        2 => format!("{} <{addr}>", q_word("UTF-8", &name.replace('o', "ö"))),
        3..=5 => format!("{name} <{addr}>"),
        _ => format!("\"{name}\" <{addr}>"),
    }
}

fn words(rng: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(LOREM));
    }
    s
}

/// Paragraphs of wrapped text, about `size` bytes.
fn text_body(rng: &mut Rng, size: usize, greeting: &str) -> String {
    let mut out = format!("Hello {greeting},\n\n");
    let mut col = 0;
    let mut sentence = 0;
    while out.len() < size {
        let w = rng.pick(LOREM);
        if col + w.len() + 1 > 72 {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(w);
        col += w.len();
        sentence += 1;
        if sentence > 6 && rng.chance(15) {
            out.push('.');
            col += 1;
            sentence = 0;
            if rng.chance(20) {
                out.push_str("\n\n");
                col = 0;
            }
        }
    }
    out.push_str("\n\n-- \nSent from the benchmark generator\n");
    out
}

fn html_body(text: &str) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n<body style=\"font-family: sans-serif\">\n",
    );
    for para in text.split("\n\n") {
        out.push_str("<p>");
        out.push_str(&para.replace('\n', " "));
        out.push_str("</p>\n");
    }
    out.push_str("</body></html>\n");
    out
}

/// Message `n`: its bytes depend only on `n` and `members`.
fn message(n: usize, members: usize) -> String {
    let mut rng = Rng::stream(n as u64);
    let target = rng.range(2300, 20 * 1024 - 400);
    let sender = match rng.below(100) {
        0..=11 => Sender::Member(rng.below(members)),
        12..=21 => Sender::Contact(rng.below(ADDRBOOK_ENTRIES)),
        _ => Sender::Stranger(STRANGERS + rng.below(10 * members.max(1))),
    };
    let from_addr = sender.address(rng.chance(50));
    let list = if rng.chance(18) {
        Some(LISTS[rng.below(LISTS.len())])
    } else {
        None
    };
    let me = [
        "me@example.com",
        "me+work@example.com",
        "family@example.com",
    ][rng.below(3)];
    let t = 1_767_225_600 + (n as i64) * 97 + rng.below(3600) as i64; // 2026-01-01
    let zone = [0, 60, 120, -300, -420, 330, 540][rng.below(7)];

    let mut h = String::with_capacity(2048);
    // Envelope sender: list mail bounces to the list; others to the author.
    let return_path = match list {
        Some((_, id)) => format!("{}-bounces@{}", id.split('.').next().unwrap_or("list"), id),
        None if rng.chance(8) => format!("bounce-{n}@mailer.example.net"),
        None => from_addr.clone(),
    };
    let _ = writeln!(h, "Return-Path: <{return_path}>");
    let _ = writeln!(h, "Delivered-To: {me}");
    let hops = rng.range(2, 5);
    let mut hop_t = t + 5 + hops as i64 * 2;
    for k in 0..hops {
        let ip = format!(
            "192.0.2.{}",
            (n * 7 + k * 31) % 254 + 1 // documentation range
        );
        let by = if k == 0 {
            "mx1.example.com".to_owned()
        } else {
            format!("relay{k}.example.net")
        };
        let _ = writeln!(
            h,
            "Received: from relay{}.example.org (relay{}.example.org [{ip}])\n\tby {by} (Postfix) with ESMTPS id {:010X}\n\tfor <{me}>; {}",
            k + 1,
            k + 1,
            rng.next() & 0xFF_FFFF_FFFF,
            rfc5322_date(hop_t, 0)
        );
        hop_t -= 2;
    }
    if rng.chance(30) {
        let _ = writeln!(
            h,
            "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={};\n\ts=sel1; t={t}; h=from:to:subject:date:message-id;\n\tbh={};\n\tb={}",
            from_addr.rsplit('@').next().unwrap_or("example.net"),
            base64(&[rng.next().to_le_bytes(), rng.next().to_le_bytes()].concat()),
            base64(&[rng.next().to_le_bytes(), rng.next().to_le_bytes()].concat())
        );
    }
    let name = sender.display();
    let _ = writeln!(h, "From: {}", mailbox(&mut rng, &name, &from_addr));
    let to_name = "Morgan Example";
    let mut to = mailbox(&mut rng, to_name, me);
    if rng.chance(25) {
        let j = rng.below(ADDRBOOK_ENTRIES);
        to.push_str(", ");
        to.push_str(&mailbox(&mut rng, &contact_name(j), &contact(j)));
    }
    if let Some((_, id)) = list {
        let local = id.split('.').next().unwrap_or("list");
        to = format!("{local}@{id}");
    }
    let _ = writeln!(h, "To: {to}");
    if rng.chance(30) {
        let mut cc = Vec::new();
        for _ in 0..rng.range(1, 3) {
            if rng.chance(15) {
                let j = rng.below(ADDRBOOK_ENTRIES);
                cc.push(mailbox(&mut rng, &contact_name(j), &contact(j)));
            } else {
                let k = STRANGERS + rng.below(1_000_000);
                let s = Sender::Stranger(k);
                cc.push(mailbox(&mut rng, &s.display(), &member(k)));
            }
        }
        if rng.chance(10) {
            let _ = writeln!(h, "Cc: Team: {};", cc.join(", "));
        } else {
            let _ = writeln!(h, "Cc: {}", cc.join(",\n "));
        }
    }
    // A bare Sender / Reply-To (header :list compares the whole value).
    if rng.chance(25) {
        let _ = writeln!(h, "Sender: {from_addr}");
    }
    if rng.chance(15) {
        let _ = writeln!(h, "Reply-To: {from_addr}");
    }
    let topic = rng.pick(TOPICS);
    let subject = match rng.below(10) {
        0 => b_word(ENCODED_SUBJECTS[rng.below(ENCODED_SUBJECTS.len())]),
        1 => {
            let s = ENCODED_SUBJECTS[rng.below(ENCODED_SUBJECTS.len())];
            match latin1(s) {
                Some(bytes) if rng.chance(50) => {
                    let mut w = String::from("=?ISO-8859-1?Q?");
                    for b in bytes {
                        match b {
                            b' ' => w.push('_'),
                            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => w.push(b as char),
                            _ => {
                                let _ = write!(w, "={b:02X}");
                            }
                        }
                    }
                    w + "?= (" + topic + ")"
                }
                _ => format!("{} {topic}", q_word("UTF-8", s)),
            }
        }
        _ => {
            let mut s = String::new();
            if let Some((label, _)) = list {
                let _ = write!(s, "[{label}] ");
            } else if rng.chance(10) {
                s.push_str("Re: ");
            }
            let _ = write!(s, "{}{}", topic[..1].to_uppercase(), &topic[1..]);
            if rng.chance(60) {
                let k = rng.range(2, 6);
                let _ = write!(s, ": {}", words(&mut rng, k));
            }
            if rng.chance(15) {
                s.push_str(" #");
                let _ = write!(s, "{}", 1000 + rng.below(9000));
            }
            s
        }
    };
    if subject.len() > 60 && rng.chance(50) {
        // A folded Subject.
        let cut = subject[..50].rfind(' ').unwrap_or(0);
        if cut > 0 && !subject[..cut].contains("=?") {
            let _ = writeln!(h, "Subject: {}\n {}", &subject[..cut], &subject[cut + 1..]);
        } else {
            let _ = writeln!(h, "Subject: {subject}");
        }
    } else {
        let _ = writeln!(h, "Subject: {subject}");
    }
    let _ = writeln!(h, "Date: {}", rfc5322_date(t, zone));
    let msg_domain = from_addr.rsplit('@').next().unwrap_or("example.net");
    let _ = writeln!(
        h,
        "Message-ID: <{:016x}.{n}@{}>",
        rng.next(),
        msg_domain.to_ascii_lowercase()
    );
    if rng.chance(20) {
        let _ = writeln!(
            h,
            "In-Reply-To: <{:016x}.{}@example.com>",
            rng.next(),
            n / 2
        );
    }
    if let Some((label, id)) = list {
        let local = id.split('.').next().unwrap_or("list");
        let _ = writeln!(h, "List-Id: {label} <{id}>");
        let _ = writeln!(
            h,
            "List-Unsubscribe: <mailto:{local}-leave@{id}>,\n <https://{id}/unsubscribe>"
        );
        let _ = writeln!(h, "Precedence: list");
    }
    if rng.chance(60) {
        let _ = writeln!(h, "X-Mailer: {}", rng.pick(MAILERS));
    }
    let spam = rng.below(100);
    if spam < 4 {
        let _ = writeln!(
            h,
            "X-Spam-Flag: YES\nX-Spam-Score: 1{}.{}",
            rng.below(10),
            rng.below(10)
        );
    } else if spam < 50 {
        let _ = writeln!(h, "X-Spam-Score: {}.{}", rng.below(5), rng.below(10));
    }
    let _ = writeln!(h, "MIME-Version: 1.0");

    let greeting = to_name.split(' ').next().unwrap_or("there");
    let kind = rng.below(100);
    let room = target.saturating_sub(h.len() + 200).max(400);
    let mut body = String::with_capacity(room + 1024);
    if kind < 55 {
        let _ = writeln!(h, "Content-Type: text/plain; charset=utf-8; format=flowed");
        let _ = writeln!(h, "Content-Transfer-Encoding: 8bit");
        body.push_str(&text_body(&mut rng, room, greeting));
    } else {
        let boundary = format!("----=_Part_{n}_{:08x}", rng.next() as u32);
        let attach = kind >= 70;
        let (text_size, attach_size) = if attach {
            // Plain + HTML about half, the base64 attachment the rest.
            let a = room / 2;
            ((room - a) * 2 / 5, a * 3 / 4)
        } else {
            (room * 2 / 5, 0)
        };
        let text = text_body(&mut rng, text_size, greeting);
        let html = html_body(&text);
        let alt = if attach {
            format!("{boundary}_alt")
        } else {
            boundary.clone()
        };
        if attach {
            let _ = writeln!(
                h,
                "Content-Type: multipart/mixed;\n boundary=\"{boundary}\""
            );
            let _ = write!(
                body,
                "This is a multi-part message in MIME format.\n\n--{boundary}\nContent-Type: multipart/alternative;\n boundary=\"{alt}\"\n\n"
            );
        } else {
            let _ = writeln!(
                h,
                "Content-Type: multipart/alternative;\n boundary=\"{boundary}\""
            );
            body.push_str("This is a multi-part message in MIME format.\n\n");
        }
        let _ = write!(
            body,
            "--{alt}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{text}\n--{alt}\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{html}\n--{alt}--\n"
        );
        if attach {
            let (mime, ext) = ATTACHMENTS[rng.below(ATTACHMENTS.len())];
            let mut data = Vec::with_capacity(attach_size + 8);
            while data.len() < attach_size {
                data.extend_from_slice(&rng.next().to_le_bytes());
            }
            data.truncate(attach_size);
            let _ = write!(
                body,
                "\n--{boundary}\nContent-Type: {mime}; name=\"report-{n}.{ext}\"\nContent-Disposition: attachment; filename=\"report-{n}.{ext}\"\nContent-Transfer-Encoding: base64\n\n"
            );
            let encoded = base64(&data);
            for line in encoded.as_bytes().chunks(76) {
                body.push_str(std::str::from_utf8(line).unwrap_or(""));
                body.push('\n');
            }
            let _ = writeln!(body, "\n--{boundary}--");
        }
    }
    h.push('\n');
    h.push_str(&body);
    h
}

/// The tests of the script: `:list` ones, or `:is` on a few addresses of the
/// list for engines without extlists.
struct Script {
    out: String,
    extlists: bool,
    rules: usize,
}

impl Script {
    /// `TEST :list PART "LIST"` or `TEST :is PART [a few addresses]`.
    fn list_test(&self, test: &str, part: &str, list: &str) -> String {
        if self.extlists {
            return format!("{test} :list {part} \"{list}\"");
        }
        let sample: Vec<String> = if list == SENDERS {
            (0..4).map(|i| format!("\"{}\"", member(i * 997))).collect()
        } else {
            (0..4)
                .map(|j| format!("\"{}\"", contact(j * 211)))
                .collect()
        };
        format!("{test} :is {part} [{}]", sample.join(", "))
    }

    fn rule(&mut self, comment: &str, test: &str, body: &[&str]) {
        self.rules += 1;
        let _ = writeln!(self.out, "# {}. {comment}\nif {test} {{", self.rules);
        for line in body {
            let _ = writeln!(self.out, "    {line}");
        }
        self.out.push_str("}\n");
    }
}

fn script(extlists: bool) -> String {
    let mut s = Script {
        out: String::new(),
        extlists,
        rules: 0,
    };
    let tool = if extlists {
        "sieve-lint"
    } else {
        "engines without extlists (Dovecot's sieve-test)"
    };
    let _ = writeln!(
        s.out,
        "# Generated by `cargo run --example gen_mail_bench`; do not edit.\n# {RULES} rules for {tool}."
    );
    let ext = if extlists { "\"extlists\", " } else { "" };
    let _ = writeln!(
        s.out,
        "require [\"fileinto\", \"envelope\", \"variables\", {ext}\"imap4flags\"];\n"
    );

    s.rule(
        "Spam the filter upstream flagged",
        "anyof (header :contains \"X-Spam-Flag\" \"YES\",\n        header :matches \"X-Spam-Score\" \"1?.*\")",
        &["fileinto \"Junk\";", "stop;"],
    );
    let t = s.list_test("address", "\"from\"", SENDERS);
    s.rule(
        "Known senders (list)",
        &t,
        &["set \"known\" \"sender\";", "addflag \"$KnownSender\";"],
    );
    let t = s.list_test("envelope", "\"from\"", SENDERS);
    s.rule("Known envelope senders", &t, &["set \"route\" \"direct\";"]);
    let t = s.list_test("header", "\"sender\"", SENDERS);
    s.rule(
        "Sent on behalf of a known sender",
        &t,
        &["addflag \"$OnBehalf\";"],
    );
    let t = s.list_test("address", "[\"from\", \"reply-to\"]", ADDRBOOK);
    s.rule(
        "People in my address book",
        &t,
        &[
            "set \"known\" \"contact\";",
            "addflag \"\\\\Flagged\";",
            "fileinto \"Contacts\";",
        ],
    );
    let t = s.list_test("address", "\"cc\"", ADDRBOOK);
    s.rule("A contact in copy", &t, &["addflag \"$CcContact\";"]);
    let t = s.list_test("envelope", "\"from\"", ADDRBOOK);
    s.rule(
        "Contacts writing directly",
        &t,
        &["set \"route\" \"contact\";"],
    );
    let t = s.list_test("header", "\"reply-to\"", ADDRBOOK);
    s.rule("Replies go to a contact", &t, &["keep;"]);
    s.rule(
        "Mailing lists by List-Id",
        "header :matches \"List-Id\" \"*<*.*>*\"",
        &[
            "set :lower \"list\" \"${2}\";",
            "fileinto \"Lists/${list}\";",
        ],
    );
    s.rule(
        "Subject tags",
        "header :matches \"Subject\" \"[*] *\"",
        &["set \"tag\" \"${1}\";"],
    );
    s.rule("Large mail", "size :over 16K", &["addflag \"$Large\";"]);
    s.rule("Small mail", "size :under 3K", &["addflag \"$Small\";"]);
    s.rule(
        "Work",
        "address :domain :is [\"from\", \"cc\"] [\"corp.example\", \"mail.corp.example\"]",
        &["fileinto \"Work\";"],
    );
    s.rule(
        "Bills",
        "allof (header :contains \"subject\" [\"invoice\", \"receipt\", \"order\"],\n       address :domain :is \"from\" [\"billing.example.net\", \"shop.example\", \"bank.example\"])",
        &["fileinto \"Bills\";"],
    );
    let t = s.list_test("address", "\"from\"", ADDRBOOK);
    let t = format!(
        "allof (header :contains \"subject\" \"unsubscribe\",\n       not {t},\n       not exists \"List-Id\")"
    );
    s.rule(
        "Unsolicited mail about unsubscribing",
        &t,
        &["discard;", "stop;"],
    );

    // Filler rules in the usual style of hand-written filters.
    let mut rng = Rng::stream(u64::MAX);
    const HDRS: &[&str] = &["subject", "x-mailer", "to", "cc", "list-id", "reply-to"];
    const FOLDERS: &[&str] = &[
        "Archive",
        "Alerts",
        "Social",
        "Travel",
        "Shopping",
        "Reports",
        "Newsletters",
    ];
    const FLAGS: &[&str] = &["$Todo", "$Later", "$Important", "\\\\Seen", "$Work"];
    while s.rules < RULES - 3 {
        let n = s.rules + 1;
        let (comment, test) = match rng.below(9) {
            0 | 1 => {
                let h = rng.pick(HDRS);
                let a = rng.pick(TOPICS);
                let b = rng.pick(LOREM);
                (
                    format!("{h} mentions {a}"),
                    format!("header :contains \"{h}\" [\"{a}\", \"{b} {n}\"]"),
                )
            }
            2 => {
                let a = rng.pick(TOPICS);
                (
                    format!("subject pattern {a}"),
                    format!("header :matches \"subject\" \"*{a}*#*\""),
                )
            }
            3 => {
                let d = rng.pick(SENDER_DOMAINS);
                (
                    format!("mail from {d}"),
                    format!("address :domain :is \"from\" \"{d}\""),
                )
            }
            4 => {
                let u = rng.pick(FIRST).to_ascii_lowercase();
                (
                    format!("the {u}s"),
                    format!("address :localpart :matches \"from\" \"{u}.*\""),
                )
            }
            5 => {
                let k = rng.range(8, 19);
                let a = rng.pick(TOPICS);
                (
                    format!("big {a}"),
                    format!("allof (size :over {k}K, header :contains \"subject\" \"{a}\")"),
                )
            }
            6 => {
                let m = rng.pick(MAILERS);
                let m = m.split(' ').next().unwrap_or(m);
                (
                    format!("sent with {m}"),
                    format!("allof (exists \"x-mailer\", header :contains \"x-mailer\" \"{m}\")"),
                )
            }
            7 => {
                let (label, _) = LISTS[rng.below(LISTS.len())];
                let a = rng.pick(TOPICS);
                (
                    format!("{label} about {a}"),
                    format!(
                        "allof (header :contains \"list-id\" \"{}\",\n       header :contains \"subject\" \"{a}\")",
                        label.to_ascii_lowercase()
                    ),
                )
            }
            _ => {
                let a = rng.pick(TOPICS);
                let b = rng.pick(TOPICS);
                (
                    format!("{a} or {b}"),
                    format!(
                        "anyof (header :contains \"subject\" \"{a}\",\n       header :is \"subject\" \"{b}\")"
                    ),
                )
            }
        };
        let action = match rng.below(10) {
            0..=4 => format!("fileinto \"{}/{n}\";", rng.pick(FOLDERS)),
            5..=7 => format!("addflag \"{}\";", rng.pick(FLAGS)),
            8 => "keep;".to_owned(),
            _ => format!("set \"topic\" \"{n}\";"),
        };
        s.rule(&comment, &test, &[&action]);
    }
    s.rule(
        "File mail from known people by route",
        "allof (string :is \"${known}\" [\"sender\", \"contact\"],\n       not string :is \"${route}\" \"\")",
        &["fileinto \"Known/${known}-${route}\";"],
    );
    s.rule(
        "Tagged subjects",
        "not string :is \"${tag}\" \"\"",
        &["addflag \"$Tagged\";"],
    );
    s.rule(
        "Everything else from strangers",
        "allof (string :is \"${known}\" \"\", string :is \"${list}\" \"\")",
        &["addflag \"$Unknown\";", "keep;"],
    );
    debug_assert_eq!(s.rules, RULES);
    s.out
}

fn die(msg: &str) -> ! {
    eprintln!("gen_mail_bench: {msg}");
    std::process::exit(2);
}

fn write_file(path: &Path, f: impl FnOnce(&mut BufWriter<fs::File>) -> std::io::Result<()>) {
    let file = fs::File::create(path)
        .unwrap_or_else(|e| die(&format!("cannot create {}: {e}", path.display())));
    let mut w = BufWriter::with_capacity(1 << 16, file);
    if let Err(e) = f(&mut w).and_then(|()| w.flush()) {
        die(&format!("cannot write {}: {e}", path.display()));
    }
}

fn main() {
    const USAGE: &str = "usage: gen_mail_bench OUTDIR MESSAGES MEMBERS [BIG]  (counts > 0; BIG defaults to 1000000)";
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !(3..=4).contains(&args.len()) {
        die(USAGE);
    }
    let count = |s: &str| match s.parse::<usize>() {
        Ok(n) if n > 0 => n,
        _ => die(USAGE),
    };
    let out = Path::new(&args[0]);
    let messages = count(&args[1]);
    let members = count(&args[2]);
    let big = args.get(3).map_or(DEFAULT_BIG, |s| count(s)).max(members);

    let mail = out.join("mail");
    fs::create_dir_all(&mail)
        .unwrap_or_else(|e| die(&format!("cannot create {}: {e}", mail.display())));
    for n in 0..messages {
        let path = mail.join(format!("{n:05}.eml"));
        let text = message(n, members);
        fs::write(&path, text)
            .unwrap_or_else(|e| die(&format!("cannot write {}: {e}", path.display())));
    }

    write_file(&out.join("lists.json"), |w| {
        write!(w, "{{\n  \"{SENDERS}\": [")?;
        for i in 0..members {
            let sep = if i == 0 { "" } else { "," };
            write!(w, "{sep}\n    \"{}\"", member(i))?;
        }
        write!(w, "\n  ],\n  \"{ADDRBOOK}\": [")?;
        for j in 0..ADDRBOOK_ENTRIES {
            let sep = if j == 0 { "" } else { "," };
            write!(w, "{sep}\n    \"{}\"", contact(j))?;
        }
        writeln!(w, "\n  ]\n}}")
    });

    write_file(&out.join("big.csv"), |w| {
        writeln!(w, "list,member")?;
        for i in 0..big {
            writeln!(w, "\"{SENDERS}\",{}", member(i))?;
        }
        for j in 0..ADDRBOOK_ENTRIES {
            writeln!(w, "{ADDRBOOK},{}", contact(j))?;
        }
        Ok(())
    });

    write_file(&out.join("filter.sieve"), |w| {
        w.write_all(script(true).as_bytes())
    });
    write_file(&out.join("filter-dovecot.sieve"), |w| {
        w.write_all(script(false).as_bytes())
    });
}
