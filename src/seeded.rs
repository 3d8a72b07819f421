//! A seeded xorshift generator for the tests' random cases: the same
//! sequence on every run, so a case that fails fails again. Test-only; it
//! imports nothing of the crate, so every floor may use it.

pub(crate) struct Seeded(pub u64);

impl Seeded {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}
