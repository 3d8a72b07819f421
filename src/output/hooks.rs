//! Fault injection for tests/output_safety.rs (and tests/watch.rs): with the `test-hooks`
//! feature (enabled by the crate's own dev-dependency: in tests and
//! examples, and in the program only when it is built in the same cargo
//! command as an example, which the bench scripts avoid), `UNIONPRESS_CRASH_AT=n` aborts the process at the n-th
//! step of publishing, the way `kill -9` would, and
//! `UNIONPRESS_FAIL_WRITES_AFTER=n` makes every output write after the n-th
//! fail as a full disk does, `UNIONPRESS_NO_EXCHANGE` forces the
//! two-rename fallback, and `UNIONPRESS_PAUSE_AT=<step name>` stops at
//! that step (saying so on stderr) until the file `UNIONPRESS_RESUME`
//! names exists, for tests of two builds at once. The same two variables
//! hold a watch rebuild at one of its [`hold`] points (named `rebuild: …`)
//! until the file exists or a newer change has come, for tests of a
//! rebuild stopped by one. Without the feature all are no-ops.

use std::io;

#[cfg(feature = "test-hooks")]
mod on {
    use std::sync::atomic::{AtomicUsize, Ordering};

    static STEPS: AtomicUsize = AtomicUsize::new(0);
    static WRITES: AtomicUsize = AtomicUsize::new(0);

    fn number(var: &str) -> Option<usize> {
        std::env::var(var).ok()?.parse().ok()
    }

    pub fn step(name: &str) {
        if std::env::var("UNIONPRESS_PAUSE_AT").is_ok_and(|at| at == name)
            && let Some(resume) = std::env::var_os("UNIONPRESS_RESUME")
        {
            eprintln!("unionpress test hook: paused at {name}");
            while !std::path::Path::new(&resume).exists() {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
        let n = STEPS.fetch_add(1, Ordering::SeqCst) + 1;
        if number("UNIONPRESS_CRASH_AT") == Some(n) {
            eprintln!("unionpress test hook: crash at step {n} ({name})");
            std::process::abort();
        }
    }

    pub fn hold(name: &str, until: &dyn Fn() -> bool) {
        if std::env::var("UNIONPRESS_PAUSE_AT").is_ok_and(|at| at == name)
            && let Some(resume) = std::env::var_os("UNIONPRESS_RESUME")
        {
            eprintln!("unionpress test hook: paused at {name}");
            while !std::path::Path::new(&resume).exists() && !until() {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
    }

    pub fn no_exchange() -> bool {
        std::env::var_os("UNIONPRESS_NO_EXCHANGE").is_some()
    }

    pub fn write() -> std::io::Result<()> {
        let n = WRITES.fetch_add(1, Ordering::SeqCst) + 1;
        match number("UNIONPRESS_FAIL_WRITES_AFTER") {
            Some(limit) if n > limit => Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "No space left on device (test hook)",
            )),
            _ => Ok(()),
        }
    }
}

/// A point in publishing where a crash must leave the old or the new site.
#[inline]
pub fn step(_name: &str) {
    #[cfg(feature = "test-hooks")]
    on::step(_name);
}

/// A point of a watch rebuild where a newer change may stop it: not a
/// step of publishing (it is not counted for `UNIONPRESS_CRASH_AT`), and
/// a pause here also ends once `until()` is true.
#[inline]
pub fn hold(_name: &str, _until: &dyn Fn() -> bool) {
    #[cfg(feature = "test-hooks")]
    on::hold(_name, _until);
}

/// `UNIONPRESS_NO_EXCHANGE`: publish with the two-rename fallback, as on
/// systems without `renameat2(RENAME_EXCHANGE)`.
#[inline]
pub fn no_exchange() -> bool {
    #[cfg(feature = "test-hooks")]
    return on::no_exchange();
    #[cfg(not(feature = "test-hooks"))]
    false
}

/// Called before each file is written to the output.
#[inline]
pub fn write() -> io::Result<()> {
    #[cfg(feature = "test-hooks")]
    return on::write();
    #[cfg(not(feature = "test-hooks"))]
    Ok(())
}
