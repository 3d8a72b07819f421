//! Writing the site. Everything is rendered and compared with the previous
//! output first; only files whose bytes changed are written, into a staging
//! folder beside the output, and moved into place once the whole build has
//! succeeded. So a failed build leaves the previous output exactly as it was,
//! and an unchanged file keeps its inode and modification time (a sync to
//! the intranet server copies only what changed). With no previous output,
//! the staging folder simply becomes the output.

pub mod urls;

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub files: usize,
    /// Files whose bytes differ from the previous output (or are new).
    pub changed: usize,
}

pub struct Staging {
    out: PathBuf,
    stage: PathBuf,
    /// No previous output: everything goes to the staging folder, which
    /// then simply becomes the output.
    fresh: bool,
    files: AtomicUsize,
    /// URLs whose bytes differ from the previous output, staged to replace it.
    changed: Mutex<Vec<String>>,
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// `url` as a path under `base`, refusing anything that could leave it.
fn under(base: &Path, url: &str) -> io::Result<PathBuf> {
    let mut path = base.to_path_buf();
    for seg in url.split('/') {
        if seg.is_empty() || seg == "." || seg == ".." || seg.contains('\\') || seg.contains(':') {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("unsafe output path {url}"),
            ));
        }
        path.push(seg);
    }
    Ok(path)
}

fn same_bytes(old: &Path, new: &[u8]) -> bool {
    match fs::metadata(old) {
        Ok(m) if m.is_file() && m.len() == new.len() as u64 => {
            fs::read(old).is_ok_and(|b| b == new)
        }
        _ => false,
    }
}

fn same_files(old: &Path, src: &Path) -> bool {
    match (fs::metadata(old), fs::metadata(src)) {
        (Ok(a), Ok(b)) if a.is_file() && a.len() == b.len() => {
            matches!((fs::read(old), fs::read(src)), (Ok(x), Ok(y)) if x == y)
        }
        _ => false,
    }
}

fn is_empty_dir(p: &Path) -> bool {
    fs::read_dir(p).is_ok_and(|mut d| d.next().is_none())
}

impl Staging {
    /// Starts a staging folder beside `out` (same file system, so moving
    /// files into the output is a rename).
    pub fn begin(out: &Path) -> io::Result<Staging> {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let stage = sibling(out, "staging");
        if stage.exists() {
            fs::remove_dir_all(&stage)?;
        }
        fs::create_dir_all(&stage)?;
        let fresh = !out.exists() || is_empty_dir(out);
        Ok(Staging {
            out: out.to_path_buf(),
            stage,
            fresh,
            files: AtomicUsize::new(0),
            changed: Mutex::new(Vec::new()),
        })
    }

    /// Stages `url` unless the previous output already has exactly it.
    fn place(
        &self,
        url: &str,
        unchanged: impl Fn(&Path) -> bool,
        write: impl Fn(&Path) -> io::Result<()>,
    ) -> io::Result<()> {
        self.files.fetch_add(1, Ordering::Relaxed);
        if !self.fresh && unchanged(&under(&self.out, url)?) {
            return Ok(());
        }
        let target = under(&self.stage, url)?;
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        write(&target)?;
        if let Ok(mut c) = self.changed.lock() {
            c.push(url.to_string());
        }
        Ok(())
    }

    /// Makes the staged files the output: the staging folder itself when
    /// there was no output; otherwise each changed file is moved over its
    /// old version and files the site no longer has (not in `keep`) are
    /// removed. Unchanged files are never touched.
    pub fn commit(self, keep: &HashSet<String>) -> io::Result<(WriteStats, Vec<String>)> {
        let mut changed = self.changed.into_inner().unwrap_or_default();
        let files = self.files.into_inner();
        if self.fresh {
            if self.out.exists() {
                fs::remove_dir(&self.out)?;
            }
            fs::rename(&self.stage, &self.out)?;
        } else {
            for url in &changed {
                let (from, to) = (under(&self.stage, url)?, under(&self.out, url)?);
                if let Some(dir) = to.parent() {
                    fs::create_dir_all(dir)?;
                }
                fs::rename(from, to)?;
            }
            for url in stale_files(&self.out, keep) {
                remove_and_prune(&self.out, &url)?;
                changed.push(url);
            }
            fs::remove_dir_all(&self.stage)?;
        }
        changed.sort();
        let stats = WriteStats {
            files,
            changed: changed.len(),
        };
        Ok((stats, changed))
    }

    /// Throws the staging folder away; the output is untouched.
    pub fn abort(self) {
        let _ = fs::remove_dir_all(&self.stage);
    }
}

/// Files under `out` whose URL is not in `keep`.
fn stale_files(out: &Path, keep: &HashSet<String>) -> Vec<String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(out).ok()?;
            let url = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            (!keep.contains(&url)).then_some(url)
        })
        .collect()
}

impl Staging {
    /// Stages `bytes` as `url` unless the previous output has exactly them.
    pub fn put(&self, url: &str, bytes: &[u8]) -> io::Result<()> {
        self.place(
            url,
            |old| same_bytes(old, bytes),
            |target| fs::write(target, bytes),
        )
    }

    /// Stages a copy of `src` as `url` unless the previous output has it.
    pub fn copy(&self, url: &str, src: &Path) -> io::Result<()> {
        self.place(
            url,
            |old| same_files(old, src),
            |target| fs::copy(src, target).map(|_| ()),
        )
    }
}

/// The path of the root-relative `url` inside the output folder `out`.
pub fn path_in(out: &Path, url: &str) -> io::Result<PathBuf> {
    under(out, url)
}

/// Writes one file so that a reader never sees it half-written: into a
/// temporary name beside it, then renamed over it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let tmp = path.with_file_name(format!(
        ".{}.unionpress-tmp",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, path)
}

/// [`write_atomic`] for a copied file.
pub fn copy_atomic(src: &Path, path: &Path) -> io::Result<()> {
    write_atomic(path, &fs::read(src)?)
}

/// Removes a file that is no longer part of the site, and the folders it
/// leaves empty, up to (not including) `out`.
pub fn remove_and_prune(out: &Path, url: &str) -> io::Result<()> {
    let path = under(out, url)?;
    match fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == out || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

/// Whether writing the site into `out` could destroy the sources: the
/// output must not be the site root, contain it, or sit inside a source
/// folder.
pub fn is_unsafe_output(root: &Path, out: &Path) -> bool {
    let (Ok(root), Ok(out_abs)) = (root.canonicalize(), absolute(out)) else {
        return false;
    };
    if root.starts_with(&out_abs) {
        return true;
    }
    ["content", "themes", "templates", "static"]
        .iter()
        .any(|d| out_abs.starts_with(root.join(d)))
}

fn absolute(p: &Path) -> io::Result<PathBuf> {
    match p.canonicalize() {
        Ok(c) => Ok(c),
        Err(_) => {
            // Not there yet: its parent decides.
            let parent = p
                .parent()
                .filter(|x| !x.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            Ok(parent
                .canonicalize()?
                .join(p.file_name().unwrap_or_default()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_cannot_escape() {
        let base = Path::new("/tmp/out");
        assert!(under(base, "a/b/index.html").is_ok());
        for bad in ["../x", "a/../../x", "", "a//b", "a\\..\\b", "C:/x"] {
            assert!(under(base, bad).is_err(), "{bad}");
        }
    }
}
