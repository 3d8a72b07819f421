//! Writing the site, without ever losing a file that is not the site's.
//!
//! Owns the output folder: which folder may be written ([`guard`]), which
//! files in it are ours ([`manifest`]), publishing a whole build at once
//! ([`Staging`]: the complete new tree is built beside the output and
//! swapped in with one rename) and updating single files while watching
//! ([`Ledger`]: each file replaced by a rename, the manifest kept in step,
//! damage noticed and repaired), one build at a time ([`lock`]), reading
//! again only the output's folders that changed ([`listings`]). Files
//! someone else put in the output folder survive every build. Nothing here
//! decides what the site contains.

pub mod guard;
mod hooks;
mod ledger;
mod listings;
pub mod lock;
pub mod manifest;
mod publish;
mod report;

pub use guard::Refusal;
pub use ledger::{Damage, Ledger};
pub use publish::{Problem, Published, Staging};
pub use report::{busy, leftover_warning, refused, sources};
// For the points where a watch rebuild may stop (src/build/mod.rs), which the
// tests hold the same way as a publish.
pub(crate) use hooks::hold;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub files: usize,
    /// Files whose bytes differ from the previous output (or are new).
    pub changed: usize,
}

/// The suffix of a file being written; never left behind on purpose.
const TMP_SUFFIX: &str = ".unionpress-tmp";

/// `url` as a path under `base`, refusing anything that could leave it.
fn under(base: &Path, url: &str) -> io::Result<PathBuf> {
    if !stays_inside(url) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("unsafe output path {url}"),
        ));
    }
    // Made once at its full size: pushed part by part, the path grew
    // (and was copied) again for each folder, for every file of a build.
    let mut path = PathBuf::with_capacity(base.as_os_str().len() + 1 + url.len());
    path.push(base);
    // On Unix `/` is the separator, and the URL has no empty part: it goes
    // on in one piece. Elsewhere each part is pushed.
    #[cfg(unix)]
    path.push(url);
    #[cfg(not(unix))]
    for seg in url.split('/') {
        path.push(seg);
    }
    Ok(path)
}

/// Whether the relative `url` names a place inside the folder it is
/// relative to ([`under`] accepts it), without making its path: no empty,
/// `.` or `..` segment, no `\` or `:`.
fn stays_inside(url: &str) -> bool {
    // Every file of a build is checked here four or five times (each
    // manifest read, stamped, kept and linked). The bytes are looked at
    // without stopping early, which the compiler does many at a time:
    // for `\` and `:`, and for a part that could be empty, `.` or `..`
    // (a `/` after a `/`, a `.` after a `/`). Only a URL with such a pair
    // is split into its parts; a loop over each byte, stopping at the
    // first bad one, took 470 instructions a URL (callgrind).
    let bytes = url.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    let odd = (bytes.iter()).fold(false, |odd, &b| odd | (b == b'\\') | (b == b':'));
    if odd || first == b'/' || last == b'/' {
        return false;
    }
    let pairs = bytes.iter().zip(&bytes[1..]);
    let dotted = pairs.fold(first == b'.', |seen, (&a, &b)| {
        seen | ((a == b'/') & ((b == b'/') | (b == b'.')))
    });
    !dotted || bytes.split(|&b| b == b'/').all(fine_part)
}

/// A part of a path between two `/` that [`stays_inside`] accepts.
fn fine_part(part: &[u8]) -> bool {
    !matches!(part, b"" | b"." | b"..")
}

/// The path of the root-relative `url` inside the output folder `out`.
pub fn path_in(out: &Path, url: &str) -> io::Result<PathBuf> {
    under(out, url)
}

/// `/`-separated path of `path` relative to `base`; `None` for `base`
/// itself.
fn rel_url(base: &Path, path: &Path) -> Option<String> {
    crate::paths::relative(base, path).filter(|rel| !rel.is_empty())
}

fn is_litter(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(TMP_SUFFIX)
}

/// What a file looked like right after we wrote it, to notice when
/// someone else changes or deletes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    id: (u64, u64),
}

impl Stamp {
    fn of(path: &Path) -> io::Result<Stamp> {
        Ok(Stamp::of_meta(&fs::symlink_metadata(path)?))
    }

    /// The stamp of the file `url` of the output folder `out`, if it is a
    /// file there (a link or a folder is not).
    pub fn of_file(out: &Path, url: &str) -> Option<Stamp> {
        let meta = fs::symlink_metadata(under(out, url).ok()?).ok()?;
        meta.is_file().then(|| Stamp::of_meta(&meta))
    }

    /// [`Stamp::of_file`], looked up from the output folder opened once;
    /// with how many names (hard links) the file has.
    pub fn of_file_in(out: &crate::paths::folder::Folder, url: &str) -> Option<(Stamp, u64)> {
        if !stays_inside(url) {
            return None;
        }
        // `/` parts a path on every system.
        let found = out.look(Path::new(url), false)?;
        let stamp = Stamp {
            len: found.len,
            modified: found.modified,
            id: found.id,
        };
        found.is_file.then_some((stamp, found.links))
    }

    /// The file's inode (0 where the system has none).
    pub fn inode(&self) -> u64 {
        self.id.1
    }

    /// The file's size in bytes.
    pub fn size(&self) -> u64 {
        self.len
    }

    pub fn modified(&self) -> Option<SystemTime> {
        self.modified
    }

    fn of_meta(m: &fs::Metadata) -> Stamp {
        Stamp {
            len: m.len(),
            modified: m.modified().ok(),
            id: file_id(m),
        }
    }
}

#[cfg(unix)]
fn file_id(m: &fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn file_id(_: &fs::Metadata) -> (u64, u64) {
    (0, 0)
}

fn same_bytes(old: &Path, new: &[u8]) -> bool {
    match fs::symlink_metadata(old) {
        Ok(m) if m.is_file() && m.len() == new.len() as u64 => {
            fs::read(old).is_ok_and(|b| b == new)
        }
        _ => false,
    }
}

fn same_files(old: &Path, src: &Path) -> bool {
    match (fs::symlink_metadata(old), fs::metadata(src)) {
        (Ok(a), Ok(b)) if a.is_file() && a.len() == b.len() => {
            matches!((fs::read(old), fs::read(src)), (Ok(x), Ok(y)) if x == y)
        }
        _ => false,
    }
}

/// Writes `bytes` to a fresh `path` (its folder exists).
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    hooks::write()?;
    fs::write(path, bytes)
}

/// [`write_new`], returning the file's stamp as written, taken from the
/// open file rather than by looking the path up again.
fn write_new_stamped(path: &Path, bytes: &[u8]) -> io::Result<Stamp> {
    use std::io::Write;
    hooks::write()?;
    let mut f = fs::File::create(path)?;
    f.write_all(bytes)?;
    Ok(Stamp::of_meta(&f.metadata()?))
}

/// Writes one file so that a reader never sees it half-written: into a
/// temporary name beside it, then renamed over it. On failure (a full
/// disk) the temporary file is removed and the old file is as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_atomic(path, |tmp| write_new(tmp, bytes))
}

/// [`write_atomic`] for a file made of `parts` one after another, written
/// as they are rather than first copied into one buffer (the build
/// cache's search index is megabytes, behind a few lines).
pub fn write_atomic_parts(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    replace_atomic(path, |tmp| {
        use std::io::Write;
        hooks::write()?;
        let mut f = fs::File::create(tmp)?;
        parts.iter().try_for_each(|p| f.write_all(p))
    })
}

/// Makes `path` another name of the file `from`, replacing what was at
/// `path` in one step.
fn link_atomic(from: &Path, path: &Path) -> io::Result<()> {
    replace_atomic(path, |tmp| {
        hooks::write()?;
        let _ = fs::remove_file(tmp);
        fs::hard_link(from, tmp)
    })
}

/// [`write_atomic`] for a copy of `src`, without reading it into memory.
fn copy_atomic(src: &Path, path: &Path) -> io::Result<()> {
    replace_atomic(path, |tmp| {
        hooks::write()?;
        fs::copy(src, tmp).map(|_| ())
    })
}

fn replace_atomic(path: &Path, write: impl FnOnce(&Path) -> io::Result<()>) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let tmp = path.with_file_name(format!(
        ".{}{TMP_SUFFIX}",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    let result = write(&tmp).and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Removes the folders `path` leaves empty, up to (not including) `base`.
fn prune(base: &Path, path: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == base || !d.starts_with(base) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_cannot_escape() {
        let base = Path::new("/tmp/out");
        assert_eq!(
            under(base, "a/b/index.html").unwrap(),
            Path::new("/tmp/out/a/b/index.html")
        );
        assert_eq!(
            under(base, "通知/会议 议程.pdf").unwrap(),
            base.join("通知").join("会议 议程.pdf")
        );
        for bad in ["../x", "a/../../x", "", "a//b", "a\\..\\b", "C:/x"] {
            assert!(under(base, bad).is_err(), "{bad}");
        }
    }

    /// The one pass over the bytes accepts what checking each part of the
    /// split URL accepts.
    #[test]
    fn the_byte_check_is_the_part_by_part_rule() {
        let by_parts = |url: &str| {
            url.split('/').all(|seg| {
                !(seg.is_empty()
                    || seg == "."
                    || seg == ".."
                    || seg.contains('\\')
                    || seg.contains(':'))
            })
        };
        let pieces = [
            "a", "通知", ".", "..", "", "/", "\\", ":", "...", ".a", "x.html",
        ];
        let mut rng = crate::seeded::Seeded(0x9e37_79b9_7f4a_7c15);
        for _ in 0..5000 {
            let n = rng.below(6) + 1;
            let url: String = (0..n).map(|_| pieces[rng.below(pieces.len())]).collect();
            assert_eq!(stays_inside(&url), by_parts(&url), "{url:?}");
        }
    }
}
