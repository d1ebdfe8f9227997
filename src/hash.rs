//! One fast, non-cryptographic hash for the tool's own tables: the
//! extension catalog (short ASCII names, looked up for every command, test
//! and tag), list members (hashed once each, up to millions), and the dry
//! run's node index (addresses, looked up for every command and test run).
//!
//! A folded multiply per word (see [`FastHasher::mix`]): SipHash's resistance to chosen
//! keys buys nothing for these tables (a list file could collide its own
//! members, which costs only time), and a byte at a time (FNV) was half the
//! cost of a catalog lookup and most of building a 100,000-member list.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0xf135_7aea_2e62_a9c5;

#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl FastHasher {
    /// A folded multiply (the full 128-bit product, its halves XORed), as
    /// foldhash does: FxHash's `(h.rotate_left(5) ^ w) * K` let words that
    /// differ in a few bits cancel out, so structured keys collided in all
    /// 64 bits (1 in 12 of `user<N>@example.org` up to 400,000).
    fn mix(&mut self, word: u64) {
        let product = u128::from(self.0 ^ word) * u128::from(K);
        self.0 = (product as u64) ^ ((product >> 64) as u64) ^ word.rotate_left(29);
    }
}

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        // The multiplication leaves its best bits high; hash tables pick
        // the bucket from the low ones (addresses end in zero bits).
        self.0.rotate_left(26)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.mix(u64::from(b));
    }

    fn write_u32(&mut self, n: u32) {
        self.mix(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }
}

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// A 64-bit hash of a string: its length, then its bytes.
pub fn hash_str(s: &str) -> u64 {
    let mut h = FastHasher::default();
    h.write_usize(s.len());
    h.write(s.as_bytes());
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_that_differ_hash_apart() {
        let words = [
            "",
            "a",
            "a\0",
            "ab",
            "ba",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghi",
        ];
        let mut seen = std::collections::HashSet::new();
        for w in words {
            assert!(seen.insert(hash_str(w)), "{w:?} collides");
        }
        assert_eq!(hash_str("header"), hash_str("header"));
    }

    #[test]
    fn aligned_addresses_fill_the_low_bits() {
        // 1,024 addresses 16 bytes apart: the 64 buckets their low 6 bits
        // pick are all used.
        let buckets: std::collections::HashSet<u64> = (0..1024u64)
            .map(|i| {
                let mut h = FastHasher::default();
                h.write_usize((0x7f00_0000_0000 + i * 16) as usize);
                h.finish() & 63
            })
            .collect();
        assert_eq!(buckets.len(), 64);
    }
}
#[cfg(test)]
mod structured_keys {
    /// Keys that differ in a few bits of two words (addresses numbered in
    /// sequence) never collide in all 64 bits: FxHash's step made 32,756 of
    /// these 400,000 collide.
    #[test]
    fn numbered_addresses_do_not_collide() {
        let mut seen = std::collections::HashSet::new();
        for n in 0..400_000u32 {
            assert!(
                seen.insert(super::hash_str(&format!("user{n}@example.org"))),
                "user{n}@example.org collides"
            );
        }
    }
}
