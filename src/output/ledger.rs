//! Single-file updates while watching, and noticing damage. A [`Ledger`]
//! is what this process last wrote into the output: each file's path and
//! its stamp (size, time, inode) right after writing. Each update replaces
//! one file by a rename (a reader sees the old or the new file, a full disk
//! leaves the old one and no temporary file), and a file new to the site is
//! added to the manifest before it is written, so a crash never leaves a
//! file of ours that the next build would take for someone else's.
//!
//! Watch rebuilds use this rather than [`super::Staging`]: linking a whole
//! new tree costs about a second at 10,000 pages, a single page costs
//! milliseconds. The site as a whole is then briefly a mix of old and new
//! files while a rebuild writes (see README, "Deploying").

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use super::publish::Problem;
use super::{Stamp, manifest, under};

#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// Hashed with Fx: looked up for every file of a 10,000-page site.
    stamps: FxHashMap<String, Stamp>,
    /// The keys of `stamps` in order, as the manifest lists them: given by
    /// the publish that made the ledger (or made by the first
    /// [`Ledger::save`] of a default one) and kept in step after that, so
    /// that a quick update adding or removing a file does not sort the
    /// tens of thousands of names again.
    listed: Option<Vec<String>>,
    /// The output folder's identity (device, inode) when it was published.
    /// Another build publishing into it swaps in another folder: what it
    /// holds then is that build's, not in this ledger, and only a whole
    /// publish (which reads its manifest) may replace it.
    folder: Option<(u64, u64)>,
}

/// What changed in the output behind our back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Damage {
    None,
    /// These files (or the manifest) were deleted or changed by someone else.
    Files(Vec<String>),
    /// The folder is gone, or another build published into it: publish
    /// the whole site again.
    Whole,
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> Problem + '_ {
    move |error| Problem::Io {
        path: path.to_path_buf(),
        error,
    }
}

impl Ledger {
    /// A ledger of `stamps`; `listed` is their keys in order.
    pub(super) fn new(stamps: FxHashMap<String, Stamp>, listed: Vec<String>, out: &Path) -> Ledger {
        let folder = fs::metadata(out)
            .ok()
            .map(|m| super::file_id(&m))
            .filter(|id| *id != (0, 0));
        debug_assert!(listed.len() == stamps.len() && listed.is_sorted());
        Ledger {
            stamps,
            listed: Some(listed),
            folder,
        }
    }

    pub fn contains(&self, url: &str) -> bool {
        self.stamps.contains_key(url)
    }

    pub fn len(&self) -> usize {
        self.stamps.len()
    }

    /// The size and modification time `url` had when it was written (or
    /// kept) into the output, without looking at the file again.
    pub fn written(&self, url: &str) -> Option<(u64, Option<std::time::SystemTime>)> {
        self.stamps.get(url).map(|s| (s.len, s.modified))
    }

    /// The inode `url` had when it was written (or kept) into the output.
    pub fn inode(&self, url: &str) -> Option<u64> {
        self.stamps.get(url).map(Stamp::inode)
    }

    pub fn is_empty(&self) -> bool {
        self.stamps.is_empty()
    }

    /// Whether the output folder is gone or is not the one we published
    /// (another build swapped in its own): two `stat`s, for the quick path.
    pub fn replaced(&self, out: &Path) -> bool {
        match fs::metadata(out) {
            Ok(m) => !m.is_dir() || self.folder.is_some_and(|id| super::file_id(&m) != id),
            Err(_) => true,
        }
    }

    /// Compares the output with what we last wrote.
    pub fn damaged(&self, out: &Path) -> Damage {
        if self.replaced(out) {
            return Damage::Whole;
        }
        let mut files: Vec<String> = self
            .stamps
            .iter()
            .filter(|(url, stamp)| {
                under(out, url)
                    .and_then(|p| Stamp::of(&p))
                    .map_or(true, |now| now != **stamp)
            })
            .map(|(url, _)| url.clone())
            .collect();
        if !out.join(manifest::FILE).is_file() {
            // Written again from the ledger by the next update.
            files.push(manifest::FILE.to_string());
        }
        if files.is_empty() {
            return Damage::None;
        }
        files.sort();
        Damage::Files(files)
    }

    /// Lists `url` in the manifest unless it already is; a file someone
    /// else put there is refused.
    fn claim(&mut self, out: &Path, url: &str, path: &Path) -> Result<(), Problem> {
        if self.stamps.contains_key(url) {
            return Ok(());
        }
        if fs::symlink_metadata(path).is_ok() {
            return Err(Problem::InTheWay {
                path: path.to_path_buf(),
            });
        }
        manifest::append(out, url).map_err(io_at(&out.join(manifest::FILE)))
    }

    /// Replaces (or adds) `url` with `bytes`.
    pub fn write(&mut self, out: &Path, url: &str, bytes: &[u8]) -> Result<(), Problem> {
        self.replace(out, url, |path| super::write_atomic(path, bytes))
    }

    /// [`Ledger::write`] for many files: each new one is listed in the
    /// manifest first, one by one, then all are written side by side.
    /// Each file's result, in order; a file written is recorded whatever
    /// became of the others.
    pub fn write_all(&mut self, out: &Path, files: &[(&str, &[u8])]) -> Vec<Result<(), Problem>> {
        use rayon::prelude::*;
        let claimed: Vec<Result<PathBuf, Problem>> = (files.iter())
            .map(|(url, _)| {
                let path = under(out, url).map_err(io_at(out))?;
                self.claim(out, url, &path)?;
                Ok(path)
            })
            .collect();
        let done: Vec<Result<Stamp, Problem>> = (claimed.into_par_iter().zip(files))
            .map(|(path, (_, bytes))| {
                let path = path?;
                super::write_atomic(&path, bytes).map_err(io_at(&path))?;
                super::hooks::step("file written");
                Stamp::of(&path).map_err(io_at(&path))
            })
            .collect();
        (done.into_iter().zip(files))
            .map(|(stamp, (url, _))| {
                self.record(url, stamp?);
                Ok(())
            })
            .collect()
    }

    /// Replaces (or adds) `url` with a copy of `src`.
    pub fn copy(&mut self, out: &Path, url: &str, src: &Path) -> Result<(), Problem> {
        self.replace(out, url, |path| super::copy_atomic(src, path))
    }

    fn replace(
        &mut self,
        out: &Path,
        url: &str,
        write: impl FnOnce(&Path) -> io::Result<()>,
    ) -> Result<(), Problem> {
        let path = under(out, url).map_err(io_at(out))?;
        self.claim(out, url, &path)?;
        write(&path).map_err(io_at(&path))?;
        super::hooks::step("file written");
        let stamp = Stamp::of(&path).map_err(io_at(&path))?;
        self.record(url, stamp);
        Ok(())
    }

    /// Keeps `url`'s stamp, and lists it in [`Ledger::listed`] when new.
    fn record(&mut self, url: &str, stamp: Stamp) {
        let new = self.stamps.insert(url.to_string(), stamp).is_none();
        if let (true, Some(listed)) = (new, &mut self.listed)
            && let Err(at) = listed.binary_search_by(|u| u.as_str().cmp(url))
        {
            listed.insert(at, url.to_string());
        }
    }

    /// Removes `url`, a file of ours the site no longer has, and the
    /// folders it leaves empty. Files not in the ledger are never touched.
    pub fn remove(&mut self, out: &Path, url: &str) -> Result<(), Problem> {
        if !self.stamps.contains_key(url) {
            return Ok(());
        }
        let path = under(out, url).map_err(io_at(out))?;
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_at(&path)(e)),
        }
        self.stamps.remove(url);
        if let Some(listed) = &mut self.listed
            && let Ok(at) = listed.binary_search_by(|u| u.as_str().cmp(url))
        {
            listed.remove(at);
        }
        super::prune(out, &path);
        Ok(())
    }

    /// Forgets the stamps of these files (they will be rewritten).
    pub fn forget(&mut self, urls: &[String]) {
        for u in urls {
            if let Some(s) = self.stamps.get_mut(u) {
                s.len = u64::MAX;
            }
        }
    }

    /// Rewrites the manifest to list exactly the files in the ledger.
    pub fn save(&mut self, out: &Path) -> Result<(), Problem> {
        let listed = self.listed.get_or_insert_with(|| {
            let mut listed: Vec<String> = self.stamps.keys().cloned().collect();
            listed.sort_unstable();
            listed
        });
        manifest::write_sorted(out, listed).map_err(io_at(&out.join(manifest::FILE)))
    }
}
