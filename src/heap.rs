//! How the process's memory allocator is set up, once, before any thread
//! starts, and how a build lets go of what it no longer needs.
//!
//! glibc's `malloc` gives each thread that contends for it an arena of its
//! own, and memory freed into one arena is not reused by another: a build
//! that parses and renders on the rayon threads, then indexes and writes on
//! others, keeps tens of megabytes of freed memory resident across arenas
//! (a 10,000-page build: 325–365 MB resident for a 270–310 MB heap).
//! One arena per core keeps resident memory close to what is live
//! (a 10,000-page build on 2 cores: 281 MB). One arena for the whole
//! process kept it as low (279 MB) but made every thread that missed its
//! small-block cache wait on the one lock: 14 % of the build's samples
//! were in waking and switching threads, and the build took 3.6 s
//! instead of 2.6 s. An arena limit set by the user (`MALLOC_ARENA_MAX`, `GLIBC_TUNABLES`)
//! is left as it is. Other platforms' allocators are left alone.

/// One arena for each thread that works at once: rayon's pool has one
/// thread per core.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn arenas() -> i32 {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .try_into()
        .unwrap_or(i32::MAX)
}

/// Blocks from this size up are mapped on their own and given back to the
/// system when freed. glibc's default starts at 128 KiB and rises to the
/// largest block freed so far, so after the first big buffer (a products
/// shard, a search shard, a file's bytes) every later one is carved from
/// an arena, where what is freed stays resident: a fixed megabyte kept a
/// 10,000-page build's peak at 300 MB instead of 304–315 MB.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: i32 = 1 << 20;

/// Sets the allocator up; call first thing in `main`.
pub fn setup() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let set_by_user = ["MALLOC_ARENA_MAX", "GLIBC_TUNABLES"]
            .iter()
            .any(|v| std::env::var_os(v).is_some());
        if !set_by_user {
            // SAFETY: called before any other thread exists; mallopt only
            // changes the allocator's settings.
            unsafe {
                libc::mallopt(libc::M_ARENA_MAX, arenas());
                libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
            }
        }
    }
}

/// Frees `value` on a thread of its own, so that the caller does not wait
/// for the thousands of small blocks a whole site's pages and rendered
/// Markdown are made of (tens of milliseconds at 10,000 pages, at the very
/// end of a build or in the middle of one). A process that exits first
/// simply does not wait for it.
pub fn drop_later<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value));
    // Without a thread (none left to start) the value was dropped with the
    // closure, here: only later than hoped, never not at all.
    let _ = spawned;
}
