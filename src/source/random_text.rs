//! Random text for the parsers' unit tests: mixes of the pieces a parser
//! stumbles on (brackets, quotes, colons, Chinese), drawn by proptest from
//! a fixed seed, so a run is repeatable and a red CI means a change broke
//! something; `PROPTEST_RNG_SEED` draws other inputs. Test-only.

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngSeed};

/// 20,000 cases, no regression files written beside the source.
pub(crate) fn config() -> Config {
    let seeded = std::env::var_os("PROPTEST_RNG_SEED").is_some();
    Config {
        cases: 20_000,
        failure_persistence: None,
        rng_seed: if seeded {
            Config::default().rng_seed
        } else {
            RngSeed::Fixed(0x9e37_79b9_7f4a_7c15)
        },
        ..Config::default()
    }
}

/// Text of fewer than `max` pieces drawn from `pieces`.
pub(crate) fn pieces(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(pieces), 0..max).prop_map(|v| v.concat())
}
