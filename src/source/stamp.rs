//! The one rule for trusting a file's size and modification time instead of
//! its bytes: only once the file has been still for a few seconds. File
//! systems with coarse clocks (network shares, FAT) can take two saves within
//! one tick, so a file touched in the last few seconds is always read again.

use std::time::{Duration, SystemTime};

/// How long a file must have been left alone before its stamp is trusted.
pub const SETTLE: Duration = Duration::from_secs(3);

/// Whether a file last modified at `modified` has been still long enough
/// for its size and time to stand for its bytes.
pub fn settled(modified: Option<SystemTime>) -> bool {
    modified
        .and_then(|m| m.elapsed().ok())
        .is_some_and(|age| age > SETTLE)
}
