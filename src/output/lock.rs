//! One build at a time per output folder. Two builds publishing into the
//! same folder at once (an editor's `serve` while someone runs `build`,
//! two terminals, a scheduled task) each read the last manifest and then
//! swap in their own tree: the later one takes the other's new files for
//! someone else's and carries them across unlisted, and every build after
//! that stops on them (`output-in-the-way`). So a build holds this lock
//! from reading the output to saving its cache, and a second build waits.
//!
//! The lock is a file beside the output, `.<name>.unionpress-lock` (the
//! kept tree's neighbour), not in `.unionpress/` beside `site.yaml`: two
//! sites (or two copies of one) publishing into one folder must exclude
//! each other too, and the output's resolved path is what they share. It
//! holds the process id of the build holding it, for the message of the
//! one waiting. On Unix it is an advisory `flock`, on Windows the file
//! opened without sharing; either is released by the system when the
//! process ends however it ends, so a killed build never blocks the next.
//! The file itself stays (removing it would race with a build opening it).
//! Where no lock can be had (a file system without `flock`, a folder that
//! cannot be written), the build goes on unlocked, as before.

use std::fs;
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

use super::guard;

/// Held while it lives.
#[derive(Debug)]
pub struct Lock {
    file: fs::File,
}

impl Drop for Lock {
    /// Takes our process id out before the lock goes (with the file), so
    /// that a waiting build never names a process that is done.
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
    }
}

/// `.<name>.unionpress-lock` beside the resolved output.
pub fn path(out: &Path) -> Option<PathBuf> {
    let out = guard::resolve(out).ok()?;
    let name = out.file_name()?.to_string_lossy().into_owned();
    Some(out.with_file_name(format!(".{name}.unionpress-lock")))
}

/// Takes the lock of the output `out` of the site at `root`. When another
/// process holds it, `waiting` is told (with that process's id, when it
/// can be read) and this one waits until it is free. `None` when there is
/// no lock to be had: the output is refused (the build will say why, and
/// nothing is written beside it) or locks do not work there.
pub fn hold(out: &Path, root: &Path, waiting: impl FnOnce(Option<u32>)) -> Option<Lock> {
    guard::check_place(out, root, &super::report::default_sources(root)).ok()?;
    if !publishable(out) {
        return None;
    }
    let path = path(out)?;
    fs::create_dir_all(path.parent()?).ok()?;
    let mut file = take(&path, waiting)?;
    // Ours now: say who holds it.
    let _ = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| writeln!(file, "{}", std::process::id()));
    Some(Lock { file })
}

/// Whether `out` may be published into as far as its owner and mount go
/// (the checks [`super::Staging::begin`] makes, cheaply): new, empty, or
/// holding a manifest, and not a mount point. A folder that is refused
/// gets nothing written beside it, not even a lock.
fn publishable(out: &Path) -> bool {
    let Ok(out) = guard::resolve(out) else {
        return false;
    };
    if !out.exists() {
        return true;
    }
    let parent = out.parent().unwrap_or(Path::new("/"));
    out.is_dir()
        && super::publish::device(&out) == super::publish::device(parent)
        && (out.join(super::manifest::FILE).is_file() || guard::count_files(&out, 1) == 0)
}

/// The process id written in the lock file at `path`, if it reads.
#[cfg(unix)]
fn holder(path: &Path) -> Option<u32> {
    use std::io::Read;
    // The holder may not have written it yet: look again briefly.
    for _ in 0..20 {
        let mut text = String::new();
        if fs::File::open(path)
            .and_then(|mut f| f.read_to_string(&mut text))
            .is_ok()
            && let Ok(pid) = text.trim().parse()
            && super::publish::running(pid)
        {
            return Some(pid);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    None
}

#[cfg(unix)]
fn take(path: &Path, waiting: impl FnOnce(Option<u32>)) -> Option<fs::File> {
    use rustix::fs::{FlockOperation, flock};
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .ok()?;
    match flock(&file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Some(file),
        Err(rustix::io::Errno::WOULDBLOCK) => {
            waiting(holder(path));
            loop {
                match flock(&file, FlockOperation::LockExclusive) {
                    Ok(()) => return Some(file),
                    Err(rustix::io::Errno::INTR) => continue,
                    Err(_) => return None,
                }
            }
        }
        Err(_) => None,
    }
}

#[cfg(windows)]
fn take(path: &Path, waiting: impl FnOnce(Option<u32>)) -> Option<fs::File> {
    use std::os::windows::fs::OpenOptionsExt;
    // Opened with no sharing, the file is ours alone until we close it or
    // exit; a second opener is refused with a sharing violation (32) and
    // tries again. The holder's id cannot be read while it is open.
    const SHARING_VIOLATION: i32 = 32;
    let open = || {
        fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .share_mode(0)
            .open(path)
    };
    let mut waiting = Some(waiting);
    loop {
        match open() {
            Ok(file) => return Some(file),
            Err(e) if e.raw_os_error() == Some(SHARING_VIOLATION) => {
                if let Some(w) = waiting.take() {
                    w(None);
                }
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            Err(_) => return None,
        }
    }
}

#[cfg(not(any(unix, windows)))]
fn take(_: &Path, _: impl FnOnce(Option<u32>)) -> Option<fs::File> {
    None
}
