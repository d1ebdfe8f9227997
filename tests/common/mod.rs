//! What several test files share.

#[allow(dead_code)] // Not every test crate writes files.
pub mod temp;

#[allow(dead_code)] // Only the language-server tests use it.
pub mod lsp_client;

/// xorshift64*: a deterministic generator with no dependency, for tests
/// that generate their inputs.
pub struct Rng(pub u64);

#[allow(dead_code)] // Each test crate uses part of it.
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

pub mod wildcard;
