//! What the carry ([`super::publish`]) last read in each folder of an
//! output tree, so that the next publish reads again only the folders that
//! changed since. Reading every folder of the output (12,000 at 10,000
//! pages: an open, two reads of its entries and a close each) was most of
//! the time a one-edit build spent carrying; a folder whose identity,
//! change time and modification time are still what they were when it was
//! read holds the entries it held then, and costs one `statx`.
//!
//! A folder's change time moves whenever an entry is added, removed or
//! renamed in it, by anyone. But the system takes that time from a coarse
//! clock, so a change made in the same tick as the reading could leave it
//! as it was: a folder is remembered only when its change time is older
//! than a time the same file system gave before the reading began (the
//! fence). The listings of the last two trees the output has been (the
//! publish swaps two trees in turn) are kept in the site's `.unionpress/`
//! folder (not beside the output, where nothing new may appear), a file
//! for each, named by the output and by the device and inode of the tree's
//! top folder; a file that does not read is simply not used, and none is
//! written where the site has no `.unionpress/` folder yet. Linux only
//! (`statx`); elsewhere every folder is read.

use std::fs;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

const MAGIC: &[u8] = b"unionpress-listings 2\n";

/// The identity and times of a folder as it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Seen {
    ino: u64,
    changed: (i64, u32),
    modified: (i64, u32),
}

/// A folder's entries (name, and whether it is a folder) as they were
/// read, with its stamp taken before the reading.
#[derive(Debug, Clone)]
pub(super) struct Listing {
    pub seen: Seen,
    pub entries: Vec<(Vec<u8>, bool)>,
}

/// The folders of one tree, by their path inside it (as bytes).
pub(super) type Folders = FxHashMap<Vec<u8>, Listing>;

/// The listings file of the tree whose top folder is `tree`, once the
/// output folder `out` (resolved) of the site in `root`:
/// `.unionpress/listings-<hash of out>-<device>-<inode>.bin`.
pub(super) fn file(root: &Path, out: &Path, tree: (u64, u64)) -> PathBuf {
    root.join(".unionpress")
        .join(format!("{}{:x}-{:x}.bin", prefix(out), tree.0, tree.1))
}

/// The start of the names of `out`'s listings files.
fn prefix(out: &Path) -> String {
    let key = xxhash_rust::xxh3::xxh3_64(out.to_string_lossy().as_bytes());
    format!("listings-{key:016x}-")
}

/// The folders kept in `file`; none when there is no such file or it does
/// not read.
pub(super) fn read(file: &Path) -> Folders {
    fs::read(file)
        .ok()
        .and_then(|bytes| parse(&bytes))
        .unwrap_or_default()
}

/// Writes `folders` to `file`, and removes the other listings files of
/// `out` but that of the tree `other` (the one the output is now). Best
/// effort: without its file the next publish reads every folder.
pub(super) fn save(file: &Path, folders: &Folders, out: &Path, other: &Path) {
    // Kept only where the site already keeps what it may lose (the build
    // cache, the photos, both ignored by git): a build without them leaves
    // no `.unionpress/` behind.
    if !file.parent().is_some_and(Path::is_dir) {
        return;
    }
    let mut bytes = MAGIC.to_vec();
    put_u32(&mut bytes, folders.len());
    for (inside, listing) in folders {
        put_bytes(&mut bytes, inside);
        let s = listing.seen;
        bytes.extend_from_slice(&s.ino.to_le_bytes());
        for (secs, nanos) in [s.changed, s.modified] {
            bytes.extend_from_slice(&secs.to_le_bytes());
            bytes.extend_from_slice(&nanos.to_le_bytes());
        }
        put_u32(&mut bytes, listing.entries.len());
        for (name, is_dir) in &listing.entries {
            bytes.push(u8::from(*is_dir));
            put_bytes(&mut bytes, name);
        }
    }
    if super::write_atomic(file, &bytes).is_err() {
        return;
    }
    let (Some(dir), prefix) = (file.parent(), prefix(out)) else {
        return;
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let ours = entry.file_name().to_string_lossy().starts_with(&prefix);
        if ours && path != file && path != other {
            let _ = fs::remove_file(path);
        }
    }
}

fn put_u32(bytes: &mut Vec<u8>, n: usize) {
    bytes.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn put_bytes(bytes: &mut Vec<u8>, b: &[u8]) {
    put_u32(bytes, b.len());
    bytes.extend_from_slice(b);
}

/// Reads the bytes [`save`] wrote; `None` for anything else.
fn parse(bytes: &[u8]) -> Option<Folders> {
    let mut r = Reader(bytes.strip_prefix(MAGIC)?);
    let count = r.u32()?;
    let mut folders = Folders::default();
    folders.reserve(count.min(1 << 20) as usize);
    for _ in 0..count {
        let inside = r.bytes()?.to_vec();
        let seen = Seen {
            ino: r.u64()?,
            changed: (r.i64()?, r.u32()?),
            modified: (r.i64()?, r.u32()?),
        };
        let n = r.u32()?;
        let mut entries = Vec::with_capacity(n.min(1 << 16) as usize);
        for _ in 0..n {
            let is_dir = match r.take(1)?[0] {
                0 => false,
                1 => true,
                _ => return None,
            };
            entries.push((r.bytes()?.to_vec(), is_dir));
        }
        folders.insert(inside, Listing { seen, entries });
    }
    r.0.is_empty().then_some(folders)
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
}

/// The stamp of the folder `path` under `dir` (`""` for `dir` itself),
/// not following a link; `None` when it is not a folder or cannot be
/// looked at.
#[cfg(target_os = "linux")]
pub(super) fn seen_at<P: rustix::path::Arg>(dir: std::os::fd::BorrowedFd, path: P) -> Option<Seen> {
    use rustix::fs::{AtFlags, FileType, StatxFlags};
    let flags = AtFlags::SYMLINK_NOFOLLOW | AtFlags::EMPTY_PATH;
    let st = rustix::fs::statx(dir, path, flags, StatxFlags::BASIC_STATS).ok()?;
    if FileType::from_raw_mode(u32::from(st.stx_mode)) != FileType::Directory {
        return None;
    }
    let time = |t: rustix::fs::StatxTimestamp| (t.tv_sec, t.tv_nsec);
    Some(Seen {
        ino: st.stx_ino,
        changed: time(st.stx_ctime),
        modified: time(st.stx_mtime),
    })
}

#[cfg(all(unix, not(target_os = "linux")))]
pub(super) fn seen_at<P>(_: std::os::fd::BorrowedFd, _: P) -> Option<Seen> {
    None
}

/// The fence: the modification time of the folder `dir` (on the output's
/// file system), which the publish changed before the carry began.
#[cfg(target_os = "linux")]
pub(super) fn fence(dir: &Path) -> Option<(i64, u32)> {
    use rustix::fs::{AtFlags, CWD, StatxFlags};
    let st = rustix::fs::statx(CWD, dir, AtFlags::empty(), StatxFlags::BASIC_STATS).ok()?;
    Some((st.stx_mtime.tv_sec, st.stx_mtime.tv_nsec))
}

#[cfg(not(target_os = "linux"))]
pub(super) fn fence(_: &Path) -> Option<(i64, u32)> {
    None
}

impl Seen {
    /// Whether a listing read under this stamp may be remembered: the
    /// folder last changed before the fence, so any later change moves
    /// its change time.
    pub fn before(&self, fence: Option<(i64, u32)>) -> bool {
        fence.is_some_and(|f| self.changed < f)
    }
}

/// The device and inode of the folder `dir`.
#[cfg(unix)]
pub(super) fn root_of(dir: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::symlink_metadata(dir)
        .ok()
        .filter(fs::Metadata::is_dir)
        .map(|m| (m.dev(), m.ino()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listings_read_back_as_saved() {
        let dir = tempfile::tempdir().unwrap();
        let (root, out) = (dir.path(), dir.path().join("public"));
        fs::create_dir(root.join(".unionpress")).unwrap();
        let seen = Seen {
            ino: 7,
            changed: (1_700_000_000, 5),
            modified: (-3, 999_999_999),
        };
        let mut folders = Folders::default();
        folders.insert(
            "通知/2024".as_bytes().to_vec(),
            Listing {
                seen,
                entries: vec![(b"index.html".to_vec(), false), (vec![0xff, b'a'], true)],
            },
        );
        let (a, b, c) = (
            file(root, &out, (1, 2)),
            file(root, &out, (1, 3)),
            file(root, &out, (1, 4)),
        );
        save(&a, &folders, &out, &b);
        save(&b, &Folders::default(), &out, &a);
        let got = read(&a);
        let listing = &got["通知/2024".as_bytes()];
        assert_eq!(listing.seen, seen);
        assert_eq!(listing.entries, folders["通知/2024".as_bytes()].entries);
        assert!(read(&b).is_empty());
        // A third tree: the file of the one not named goes.
        save(&c, &Folders::default(), &out, &b);
        assert!(!a.exists() && b.exists() && c.exists());
        // Cut short or not ours: not used.
        let bytes = fs::read(&c).unwrap();
        assert!(parse(&bytes[..bytes.len() - 1]).is_none());
        assert!(parse(b"something else").is_none());
    }
}
