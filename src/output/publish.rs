//! Publishing a whole build at once. The complete new tree is built in a
//! folder beside the output (`.<name>.unionpress-new-<pid>`, same file
//! system): files whose bytes did not change are hard-linked from the old
//! output (so they keep their inode and modification time and a sync
//! copies only what changed), changed ones are written, and every file
//! someone else put in the old output is linked across too. Then the two
//! folders trade places in one step (`renameat2(RENAME_EXCHANGE)` on
//! Linux) and the old tree is removed. So a reader, a web server or a
//! crash at any instant sees the old site or the new one, never a mix.
//!
//! Where the exchange is not available (other systems, file systems that
//! refuse it) two renames do it: output → `.<name>.unionpress-old-<pid>`,
//! new tree → output. A crash between them leaves no output folder but the
//! old tree beside it, which the next build puts back before anything else.
//!
//! The tree the exchange swaps out is not deleted (that cost a link and an
//! unlink for every file of the site): stripped of the files others put in
//! the output (all of which the new output holds, as the same files) it is
//! kept beside the output as `.<name>.unionpress-kept`, with the manifest
//! of what it holds, and the next build makes it its new tree: it claims it
//! by renaming it to its own `-new-<pid>` name, checks every file of the
//! site in it (the same file as in the output, or written afresh; never
//! written into, as its files are hard links to the output's), removes
//! the files of ours the site no longer has, and adds to its manifest,
//! before writing it, every file it adds. So at any instant the tree's
//! manifest lists every file of ours in it, and what is not listed is left
//! alone or carried into the output, never deleted. A kept tree that is not
//! a folder with a readable manifest is not touched.
//!
//! To find the files of others, the output is read folder by folder; a
//! folder that has not changed since the last publish read it (the same
//! folder, its change time before that publish began) is taken as that
//! publish found it, see [`listings`].
//!
//! Folders are carried by the same rule as files: a folder the last
//! manifest names a file in is ours, and comes into the new tree only if
//! the new site has a file in it or something of someone else's is in it;
//! so a dropped page leaves no empty folder, and neither does the kept
//! tree. Every other folder of the output (an empty one someone made) is
//! carried across as it is.
//!
//! Leftovers of a killed run are removed by the next build, and only what
//! is recognisably ours: a folder named as above, of a process that is no
//! longer running, and of it only files that are listed in its manifest,
//! still present in the output, or in a tree that never got a manifest
//! (a staging folder that never got a manifest holds nothing but our
//! writes and copies of what the output still has).

use std::borrow::Cow;
use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::guard::{self, Refusal};
use super::listings;
use super::{Ledger, Stamp, WriteStats, hooks, manifest, rel_url, same_bytes, same_files, under};
use crate::paths::folder::Folder;

/// Why a build could not be published. In every case the output is as it
/// was before the build began.
#[derive(Debug)]
pub enum Problem {
    Refused(Refusal),
    Io {
        path: PathBuf,
        error: io::Error,
    },
    /// A file not written by unionpress is where the site needs to write.
    InTheWay {
        path: PathBuf,
    },
    /// Another file system is mounted inside the output folder.
    MountInside {
        path: PathBuf,
    },
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> Problem + '_ {
    move |error| Problem::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// A finished publish.
pub struct Published {
    pub stats: WriteStats,
    /// Root-relative paths written or removed.
    pub changed: Vec<String>,
    /// What is in the output now, for later single-file updates.
    pub ledger: Ledger,
    /// The old tree, when it could not be removed completely (it holds
    /// files that exist nowhere else); the next build tries again.
    pub leftover: Option<PathBuf>,
    /// How long each step of publishing took, for `UNIONPRESS_TIMINGS`.
    pub laps: Vec<(&'static str, Duration)>,
    /// The folder (device, inode) of the tree kept beside the output for
    /// the next build, when this publish kept one: it holds every file of
    /// the site that is not among `changed` as the very file the output
    /// holds (a hard link; see [`Staging::keep`]).
    pub kept: Option<(u64, u64)>,
}

struct Entry {
    url: String,
    stamp: Stamp,
    changed: bool,
}

pub struct Staging {
    /// The output folder, resolved.
    out: PathBuf,
    /// The new tree.
    new: PathBuf,
    /// The new tree opened, so that a reused tree's files are looked up
    /// from it, not by their whole path (every folder from the file
    /// system's root down, again for each of 17,807 files at 10,000 pages).
    new_folder: Folder,
    /// The previous build's manifest (empty for a new or empty folder);
    /// hashed, as every file of the site is looked up in it; shared with a
    /// kept tree whose manifest lists the same ([`claim_kept`]).
    old: Arc<FxHashSet<String>>,
    entries: Mutex<Vec<Entry>>,
    /// Set when the new tree is the kept tree of the last publish.
    reused: Option<Reused>,
    /// Folders of the new tree already made (or found) for a file: the
    /// next file in the same folder makes no system call for it.
    folders: RwLock<HashSet<PathBuf>>,
    /// The site's folder, where what the carry read of the output's
    /// folders is kept ([`listings`]).
    site: PathBuf,
}

/// A kept tree being brought up to date: the files of ours it may replace
/// or remove (its manifest as claimed, read without a lock by every
/// writer, and what was added since), and the manifest open for adding to.
struct Reused {
    listed: Arc<FxHashSet<String>>,
    added: Mutex<(FxHashSet<String>, fs::File)>,
    /// Folders of the tree found to be folders, not links (which could
    /// lead a removal or a write out of it).
    real: Mutex<FxHashSet<String>>,
    /// The tree is the one the build cache says the last publish kept
    /// (see [`Staging::keep`]).
    known: bool,
}

impl Reused {
    fn lock(&self) -> io::Result<std::sync::MutexGuard<'_, (FxHashSet<String>, fs::File)>> {
        self.added
            .lock()
            .map_err(|_| io::Error::other("a writer thread panicked"))
    }

    fn lists(&self, url: &str) -> io::Result<bool> {
        Ok(self.listed.contains(url) || self.lock()?.0.contains(url))
    }

    /// Lists `url` in the tree's manifest (before it is written there).
    fn add(&self, url: &str) -> io::Result<()> {
        if self.listed.contains(url) {
            return Ok(());
        }
        let mut guard = self.lock()?;
        if guard.0.contains(url) {
            return Ok(());
        }
        hooks::write()?;
        guard
            .1
            .write_all(format!("{}\n", manifest::encode(url)).as_bytes())?;
        guard.0.insert(url.to_string());
        Ok(())
    }

    /// Checks that no folder on the way to `url` in `tree` is a link.
    fn no_links_to(&self, tree: &Path, url: &str) -> io::Result<()> {
        for (i, _) in url.match_indices('/') {
            let dir = &url[..i];
            let real = self
                .real
                .lock()
                .map_err(|_| io::Error::other("a writer thread panicked"))?;
            if real.contains(dir) {
                continue;
            }
            drop(real);
            let path = under(tree, dir)?;
            match fs::symlink_metadata(&path) {
                Ok(m) if m.file_type().is_symlink() => return Err(not_ours(&path)),
                Ok(m) if m.is_dir() => {}
                // Not there, or a file (which `make_room` deals with).
                _ => return Ok(()),
            }
            self.real
                .lock()
                .map_err(|_| io::Error::other("a writer thread panicked"))?
                .insert(dir.to_string());
        }
        Ok(())
    }

    /// Every file of ours the tree may hold that is not among `urls`
    /// (only these are copied: the others are most of the site).
    fn all_but(&self, urls: &FxHashSet<&str>) -> io::Result<Vec<String>> {
        let added = self.lock()?;
        Ok((self.listed.iter().chain(&added.0))
            .filter(|u| !urls.contains(u.as_str()))
            .cloned()
            .collect())
    }
}

/// What [`Staging::carry_foreign`] carried into the new tree: files and
/// folders of others, and our own litter it left behind.
#[derive(Default)]
struct Carried {
    files: Vec<PathBuf>,
    /// Parents before children.
    dirs: Vec<PathBuf>,
    litter: Vec<PathBuf>,
    /// The listings to keep for the old output's tree, saved once it is
    /// published ([`listings`]).
    listings: Option<ToSave>,
}

/// The listings file of the old output's tree, and its folders as this
/// publish found them.
type ToSave = (PathBuf, listings::Folders);

/// The time each step of a publish took.
struct Laps {
    start: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Default for Laps {
    fn default() -> Self {
        Laps {
            start: Instant::now(),
            laps: Vec::new(),
        }
    }
}

impl Laps {
    fn lap(&mut self, name: &'static str) {
        self.laps.push((name, self.start.elapsed()));
        self.start = Instant::now();
    }

    fn done(mut self, name: &'static str) -> Vec<(&'static str, Duration)> {
        self.lap(name);
        self.laps
    }
}

/// `.<name>.unionpress-<role>-<pid>` beside `out`.
fn sibling(out: &Path, role: &str, pid: u32) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.unionpress-{role}-{pid}"))
}

/// `.<name>.unionpress-kept` beside `out`: the tree the last publish
/// swapped out, for the next build to bring up to date.
fn kept_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.unionpress-kept"))
}

/// The role and process of a sibling folder of `out` that is one of ours
/// (or of the staging folders older versions left: `.<name>.staging-<pid>`).
fn leftover_of(out_name: &str, name: &str) -> Option<(&'static str, u32)> {
    let rest = name.strip_prefix('.')?.strip_prefix(out_name)?;
    for (prefix, role) in [
        (".unionpress-new-", "new"),
        (".unionpress-old-", "old"),
        (".staging-", "legacy"),
    ] {
        if let Some(pid) = rest.strip_prefix(prefix) {
            return pid.parse().ok().map(|p| (role, p));
        }
    }
    None
}

/// Whether process `pid` is running. Where that cannot be told (no
/// `/proc`), no: a leftover is tidied (the output lock keeps two builds
/// apart) and a lock's holder is not named.
pub(super) fn running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        false
    }
}

impl Staging {
    /// Checks that `out` may be written (see [`guard`]), tidies what a
    /// killed run left beside it, and starts the new tree. `sources` are
    /// the site's source folders and files, which `out` must keep clear of.
    /// `kept` is the folder (device, inode) of the tree the last publish
    /// kept, as the build cache recorded it ([`Published::kept`]).
    pub fn begin(
        out: &Path,
        root: &Path,
        sources: &[PathBuf],
        kept: Option<(u64, u64)>,
    ) -> Result<Staging, Problem> {
        guard::check_place(out, root, sources).map_err(Problem::Refused)?;
        let out = guard::resolve(out).map_err(io_at(out))?;
        let parent = out.parent().unwrap_or(Path::new("/")).to_path_buf();
        fs::create_dir_all(&parent).map_err(io_at(&parent))?;
        tidy_leftovers(&out);
        let (old, old_text) = guard::check_owner(&out).map_err(Problem::Refused)?;
        let old = Arc::new(old);
        if out.is_dir() && device(&out) != device(&parent) {
            // A mount point cannot be renamed; see README ("Deploying").
            return Err(Problem::Refused(Refusal::Place {
                path: out,
                why: guard::Why::MountPoint,
            }));
        }
        let new = sibling(&out, "new", std::process::id());
        if new.exists() {
            remove_leftover(&new, &out);
        }
        let reused = claim_kept(&out, &new, (&old, old_text.as_deref()), kept);
        if reused.is_none() {
            fs::create_dir(&new).map_err(io_at(&new))?;
        }
        Ok(Staging {
            out,
            new_folder: Folder::open(&new),
            new,
            old,
            entries: Mutex::new(Vec::new()),
            reused,
            folders: RwLock::default(),
            site: root.to_path_buf(),
        })
    }

    /// Makes room for a file of ours at `url` in a reused tree: lists it
    /// in the tree's manifest and removes what of ours is there (a file, or
    /// a folder the last site had); then makes its folders.
    fn make_room(&self, url: &str, target: &Path) -> io::Result<()> {
        if let Some(r) = &self.reused {
            r.no_links_to(&self.new, url)?;
            match fs::symlink_metadata(target) {
                Ok(m) => {
                    if !r.lists(url)? {
                        return Err(not_ours(target));
                    }
                    r.add(url)?;
                    if m.is_dir() {
                        self.clear_folder(r, url, target)?;
                    } else {
                        self.unblocked(url, || fs::remove_file(target))?;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => r.add(url)?,
                Err(e) => return Err(e),
            }
        }
        if let Some(dir) = target.parent() {
            let made = |d: &Path| self.folders.read().is_ok_and(|f| f.contains(d));
            if !made(dir) {
                self.unblocked(url, || fs::create_dir_all(dir))?;
                if let Ok(mut f) = self.folders.write() {
                    f.insert(dir.to_path_buf());
                }
            }
        }
        Ok(())
    }

    /// Runs `f`; if it fails in a reused tree, clears the way to `url`
    /// (a file of ours where a folder now goes, a folder someone made
    /// read-only) and runs it once more.
    fn unblocked<T>(&self, url: &str, f: impl Fn() -> io::Result<T>) -> io::Result<T> {
        let first = f();
        let Some(r) = &self.reused else {
            return first;
        };
        if first.is_ok() {
            return first;
        }
        let mut path = self.new.clone();
        let mut rel = String::new();
        for seg in url.split('/') {
            path.push(seg);
            if !rel.is_empty() {
                rel.push('/');
            }
            rel.push_str(seg);
            let Ok(m) = fs::symlink_metadata(&path) else {
                break;
            };
            if m.is_dir() {
                writable(&path, &m);
            } else if rel != url {
                if !r.lists(&rel)? {
                    return Err(not_ours(&path));
                }
                fs::remove_file(&path)?;
                break;
            }
        }
        f()
    }

    /// Removes a folder of a reused tree where a file now goes: only files
    /// of ours may be in it.
    fn clear_folder(&self, r: &Reused, url: &str, dir: &Path) -> io::Result<()> {
        for entry in walkdir::WalkDir::new(dir).contents_first(true) {
            let entry = entry.map_err(io::Error::from)?;
            let path = entry.path();
            if entry.file_type().is_dir() {
                if let Ok(m) = fs::symlink_metadata(path) {
                    writable(path, &m);
                }
                fs::remove_dir(path)?;
                continue;
            }
            let rel = rel_url(&self.new, path).unwrap_or_default();
            if !r.lists(&rel)? {
                return Err(not_ours(path));
            }
            self.unblocked(url, || fs::remove_file(path))?;
        }
        Ok(())
    }

    /// Makes `url` in a reused tree the very file the output has (a hard
    /// link), unless it already is.
    fn link_from_output(&self, url: &str, stamp: Stamp) -> io::Result<()> {
        // The paths are made only when the file must be linked: that is
        // one file in thousands after an edit.
        if super::stays_inside(url)
            && stamp.id != (0, 0)
            && (self.reused.as_ref()).is_some_and(|r| r.lists(url).unwrap_or(false))
            && (self.new_folder)
                .look(Path::new(url), false)
                .is_some_and(|found| found.id == stamp.id)
        {
            return Ok(());
        }
        let (old, target) = (under(&self.out, url)?, under(&self.new, url)?);
        self.make_room(url, &target)?;
        hooks::write()?;
        if fs::hard_link(&old, &target).is_err() {
            fs::copy(&old, &target)?;
        }
        hooks::step("file linked");
        Ok(())
    }

    /// Puts `url` into the new tree: a fresh file from `write`, unless
    /// the old output has exactly these bytes; such a file is linked into
    /// the new tree at commit, and only if something else changed.
    fn place(
        &self,
        url: &str,
        unchanged: impl Fn(&Path) -> bool,
        write: impl Fn(&Path) -> io::Result<Stamp>,
    ) -> io::Result<()> {
        let old = under(&self.out, url)?;
        let same = self.old.contains(url) && unchanged(&old);
        let stamp = if same {
            let stamp = Stamp::of(&old)?;
            if self.reused.is_some() {
                self.link_from_output(url, stamp)?;
            }
            stamp
        } else {
            let target = under(&self.new, url)?;
            self.make_room(url, &target)?;
            let stamp = write(&target)?;
            hooks::step("file staged");
            stamp
        };
        let entry = Entry {
            url: url.to_string(),
            stamp,
            changed: !same,
        };
        self.entries
            .lock()
            .map_err(|_| io::Error::other("a writer thread panicked"))?
            .push(entry);
        Ok(())
    }

    /// Keeps `url` as the old output has it, without reading it (the build
    /// cache vouches for its bytes). `false` when the old output holds no
    /// such file of ours: the caller then puts or copies it. `seen` is the
    /// file's stamp as the caller found it in this build (the build cache
    /// compared it with the one it recorded), which spares looking again.
    ///
    /// In a reused tree the file must be the very file the output holds.
    /// `twin` spares looking that up too (17,807 `statx` at 10,000 pages,
    /// as many as the build cache's own check): the build cache recorded
    /// that the kept tree held, at `url`, the file with the inode the output
    /// was `seen` to hold, and that file was seen to have exactly two names
    /// (the output's and one more). Trusted only in the very tree the cache
    /// recorded as kept (its folder's device and inode). Whatever put
    /// another file at `url` in that tree since took that name from the
    /// output's file, which would have one name left: this build's own
    /// writes into a claimed tree, a killed build's, and anyone else's
    /// (unless they also linked the output's file somewhere new).
    pub fn keep(&self, url: &str, seen: Option<Stamp>, twin: bool) -> io::Result<bool> {
        if !self.old.contains(url) {
            return Ok(false);
        }
        // Looked up only when the build cache did not see it.
        let stamp = match seen {
            Some(stamp) if super::stays_inside(url) => stamp,
            _ => match Stamp::of(&under(&self.out, url)?) {
                Ok(stamp) => stamp,
                Err(_) => return Ok(false),
            },
        };
        let known = |r: &Reused| twin && seen.is_some() && r.known && r.lists(url).unwrap_or(false);
        if self.reused.as_ref().is_some_and(|r| !known(r)) {
            match self.link_from_output(url, stamp) {
                // Gone since it was seen: made again, as when not there.
                Err(e) if seen.is_some() && e.kind() == io::ErrorKind::NotFound => {
                    return Ok(false);
                }
                r => r?,
            }
        }
        let entry = Entry {
            url: url.to_string(),
            stamp,
            changed: false,
        };
        self.entries
            .lock()
            .map_err(|_| io::Error::other("a writer thread panicked"))?
            .push(entry);
        Ok(true)
    }

    /// Adds `bytes` as `url`.
    pub fn put(&self, url: &str, bytes: &[u8]) -> io::Result<()> {
        self.place(
            url,
            |old| same_bytes(old, bytes),
            |target| super::write_new_stamped(target, bytes),
        )
    }

    /// Adds a copy of `src` as `url`.
    pub fn copy(&self, url: &str, src: &Path) -> io::Result<()> {
        self.place(
            url,
            |old| same_files(old, src),
            |target| {
                super::hooks::write()?;
                fs::copy(src, target)?;
                Stamp::of(target)
            },
        )
    }

    /// Throws the new tree away (a reused one is kept again for the next
    /// build); the output is untouched.
    pub fn abort(self) {
        let _ = self.discard();
    }

    /// Whether the new tree was kept.
    fn discard(&self) -> bool {
        let kept = kept_path(&self.out);
        if self.reused.is_some() && fs::symlink_metadata(&kept).is_err() {
            hooks::step("new tree to be kept");
            if fs::rename(&self.new, &kept).is_ok() {
                return true;
            }
        }
        remove_leftover(&self.new, &self.out);
        false
    }

    /// Makes the new tree the output in one step and keeps or removes the
    /// old one. On an error the output is exactly as it was and the new
    /// tree is gone.
    pub fn commit(self) -> Result<Published, Problem> {
        let result = self.swap_in();
        if result.is_err() {
            remove_leftover(&self.new, &self.out);
        }
        result
    }

    fn swap_in(&self) -> Result<Published, Problem> {
        let entries = std::mem::take(
            &mut *self
                .entries
                .lock()
                .map_err(|_| io_at(&self.new)(io::Error::other("a writer thread panicked")))?,
        );
        hooks::step("staged");
        let mut laps = Laps::default();
        // Sorted once in a list: a tree of 17,807 paths cost their
        // comparisons again on every insertion.
        let mut sorted: Vec<&str> = entries.iter().map(|e| e.url.as_str()).collect();
        sorted.sort_unstable();
        sorted.dedup();
        let text = manifest::render(sorted.iter().copied());
        // The ledger keeps the names in this order for the watcher's
        // quick updates, which rewrite the manifest when a file comes or
        // goes: sorted here, in the full build, rather than in the first
        // of them (tens of thousands of names, on the way to a reload).
        let listed: Vec<String> = sorted.iter().map(|u| u.to_string()).collect();
        // Looked up for every file of ours: hashed.
        let urls: FxHashSet<&str> = sorted.into_iter().collect();
        let old_list = self.out.join(manifest::FILE);
        let nothing_new = entries.iter().all(|e| !e.changed)
            && self.old.len() == urls.len()
            && same_bytes(&old_list, text.as_bytes());
        if nothing_new {
            // The output already is the new site: leave it, inodes and all.
            // A reused tree kept again holds every file of the site as the
            // output does: each was kept, and so linked or known the same.
            let kept = self.discard().then(|| self.kept_tree()).flatten();
            let laps = laps.done("publish: unchanged");
            return Ok(self.published(&entries, &urls, listed, (None, kept), laps));
        }
        match &self.reused {
            Some(r) => self.remove_stale(r, &urls)?,
            None => self.link_unchanged(&entries)?,
        }
        hooks::step("linked");
        laps.lap("publish: link");
        let carried = if self.out.is_dir() {
            self.carry_foreign(&urls)?
        } else {
            Carried::default()
        };
        hooks::step("carried");
        laps.lap("publish: carry");
        // Unchanged, the manifest too keeps its inode (a sync skips it).
        let new_list = self.new.join(manifest::FILE);
        let same_list = same_bytes(&old_list, text.as_bytes());
        if self.reused.is_some() {
            // Replaced in one step: until then it lists what the tree holds.
            let linked = same_list && super::link_atomic(&old_list, &new_list).is_ok();
            if !linked {
                super::write_atomic(&new_list, text.as_bytes()).map_err(io_at(&new_list))?;
            }
        } else if !(same_list && fs::hard_link(&old_list, &new_list).is_ok()) {
            super::write_new(&new_list, text.as_bytes()).map_err(io_at(&new_list))?;
        }
        hooks::step("manifest");
        let old_tree = if self.out.exists() {
            let swapped = if hooks::no_exchange() {
                Err(io::ErrorKind::Unsupported.into())
            } else {
                exchange(&self.new, &self.out)
            };
            match swapped {
                Ok(()) => self.new.clone(),
                Err(e) if exchange_unsupported(&e) => self.two_renames()?,
                Err(e) => return Err(io_at(&self.out)(e)),
            }
        } else {
            fs::rename(&self.new, &self.out).map_err(io_at(&self.out))?;
            self.new.clone()
        };
        hooks::step("swapped");
        laps.lap("publish: manifest+swap");
        let (mut leftover, mut kept) = (None, None);
        if old_tree.exists() {
            if self.keep_old(&old_tree, &carried) {
                kept = self.kept_tree();
            } else if remove_leftover(&old_tree, &self.out) {
                leftover = Some(old_tree);
            }
        }
        // Only once published: a publish that fails writes nothing more
        // than it did before.
        if let Some((file, folders)) = carried.listings {
            // The tree the output is now keeps its listings too.
            let now =
                listings::root_of(&self.out).map(|r| listings::file(&self.site, &self.out, r));
            listings::save(&file, &folders, &self.out, &now.unwrap_or_default());
        }
        let laps = laps.done("publish: keep or remove old tree");
        Ok(self.published(&entries, &urls, listed, (leftover, kept), laps))
    }

    /// The folder (device, inode) of the kept tree, just kept.
    fn kept_tree(&self) -> Option<(u64, u64)> {
        let meta = fs::symlink_metadata(kept_path(&self.out)).ok()?;
        Some(super::file_id(&meta)).filter(|id| meta.is_dir() && *id != (0, 0))
    }

    /// Removes from a reused tree the files of ours the new site does not
    /// have, and the folders they leave empty.
    fn remove_stale(&self, r: &Reused, urls: &FxHashSet<&str>) -> Result<(), Problem> {
        let stale = r.all_but(urls).map_err(io_at(&self.new))?;
        for url in stale {
            let path = under(&self.new, &url).map_err(io_at(&self.new))?;
            // Listed but not there (or not there any more): nothing to do,
            // and nothing on the way to it may be touched.
            if fs::symlink_metadata(&path).is_err() {
                continue;
            }
            r.no_links_to(&self.new, &url).map_err(io_at(&path))?;
            self.unblocked(&url, || fs::remove_file(&path))
                .map_err(io_at(&path))?;
            super::prune(&self.new, &path);
            hooks::step("stale file removed");
        }
        Ok(())
    }

    /// Keeps the tree the publish swapped out for the next build (see the
    /// module comment): the files of others that were carried across, now
    /// in the output as the same files, and our litter are removed from
    /// it, and it takes the kept tree's name. False when it cannot be kept
    /// (a kept tree is already there, no manifest, a file of others that
    /// the output does not have): it is then removed as a leftover.
    fn keep_old(&self, tree: &Path, carried: &Carried) -> bool {
        let kept = kept_path(&self.out);
        if fs::symlink_metadata(&kept).is_ok() {
            return false;
        }
        // Its manifest is the old output's, which this build read and
        // checked, and the build that claims the tree checks it again:
        // here only its first line is looked at, not every path parsed.
        let (list, out_list) = (tree.join(manifest::FILE), self.out.join(manifest::FILE));
        let Ok(text) = fs::read(&list) else {
            return false;
        };
        if !manifest::is_manifest(&text) {
            return false;
        }
        // The output's manifest may be this very file: give the kept
        // tree its own, so that neither changes with the other.
        if survives_in(&list, &out_list) && super::write_atomic(&list, &text).is_err() {
            return false;
        }
        for rel in &carried.files {
            let (file, there) = (tree.join(rel), self.out.join(rel));
            if fs::symlink_metadata(&file).is_err() {
                continue;
            }
            if !(survives_in(&file, &there) && fs::remove_file(&file).is_ok()) {
                return false;
            }
            super::prune(tree, &file);
        }
        for rel in &carried.litter {
            let _ = fs::remove_file(tree.join(rel));
        }
        for rel in carried.dirs.iter().rev() {
            let _ = fs::remove_dir(tree.join(rel));
        }
        hooks::step("old tree stripped");
        fs::rename(tree, &kept).is_ok()
    }

    /// Hard-links each file whose bytes did not change from the old output
    /// into the new tree (a copy where the file system has no hard links).
    fn link_unchanged(&self, entries: &[Entry]) -> Result<(), Problem> {
        entries.par_iter().filter(|e| !e.changed).try_for_each(|e| {
            let (old, target) = (self.out.join(&e.url), self.new.join(&e.url));
            let link = || -> io::Result<()> {
                if let Some(dir) = target.parent() {
                    fs::create_dir_all(dir)?;
                }
                hooks::write()?;
                if fs::hard_link(&old, &target).is_err() {
                    fs::copy(&old, &target)?;
                }
                Ok(())
            };
            link().map_err(io_at(&target))?;
            hooks::step("file linked");
            Ok(())
        })
    }

    fn published(
        &self,
        entries: &[Entry],
        urls: &FxHashSet<&str>,
        listed: Vec<String>,
        (leftover, kept): (Option<PathBuf>, Option<(u64, u64)>),
        laps: Vec<(&'static str, Duration)>,
    ) -> Published {
        let mut changed: Vec<String> = entries
            .iter()
            .filter(|e| e.changed)
            .map(|e| e.url.clone())
            .chain(
                self.old
                    .iter()
                    .filter(|u| !urls.contains(u.as_str()))
                    .cloned(),
            )
            .collect();
        changed.sort();
        let stats = WriteStats {
            files: entries.len(),
            changed: changed.len(),
        };
        let stamps: rustc_hash::FxHashMap<String, Stamp> =
            entries.iter().map(|e| (e.url.clone(), e.stamp)).collect();
        Published {
            stats,
            changed,
            ledger: Ledger::new(stamps, listed, &self.out),
            leftover,
            laps,
            kept,
        }
    }

    /// The fallback swap: output aside, new tree in, old tree returned.
    fn two_renames(&self) -> Result<PathBuf, Problem> {
        let aside = sibling(&self.out, "old", std::process::id());
        fs::rename(&self.out, &aside).map_err(io_at(&self.out))?;
        hooks::step("set aside");
        if let Err(e) = fs::rename(&self.new, &self.out) {
            let _ = fs::rename(&aside, &self.out);
            return Err(io_at(&self.out)(e));
        }
        Ok(aside)
    }

    /// What is in the output, its folders that have not changed since the
    /// last publish read them taken from the listings kept for it; and
    /// the listings to save once published, with this tree's as read now.
    #[cfg(unix)]
    fn scan_output(
        &self,
        mounts: &Mounts,
        ours: &Ours,
    ) -> Result<(Found, Option<ToSave>), Problem> {
        let file = listings::root_of(&self.out).map(|r| listings::file(&self.site, &self.out, r));
        let known = file.as_deref().map(listings::read);
        // The new tree was written to before the carry: its time is one
        // the file system gave before any folder is read.
        let fence = listings::fence(&self.new);
        let mut found = scan(&self.out, mounts, known.as_ref(), fence, ours)?;
        let mut known = known.unwrap_or_default();
        let folders = (std::mem::take(&mut found.listed).into_iter())
            .filter_map(|(inside, listing)| {
                let listing = listing.or_else(|| known.remove(&inside))?;
                Some((inside, listing))
            })
            .collect();
        Ok((found, file.map(|file| (file, folders))))
    }

    #[cfg(not(unix))]
    fn scan_output(&self, mounts: &Mounts, _: &Ours) -> Result<(Found, Option<ToSave>), Problem> {
        Ok((scan(&self.out, Path::new(""), "", mounts)?, None))
    }

    /// Links every file of the old output that is not the site's into the
    /// new tree, at the same place, and recreates its folders. The output
    /// is read in parallel, and of it only the folders that changed since
    /// the last publish read them (the others as [`listings`] remembers
    /// them); folders that hold files of the site exist in the new tree
    /// already and are not looked at again.
    fn carry_foreign(&self, urls: &FxHashSet<&str>) -> Result<Carried, Problem> {
        let mounts = Mounts::inside(&self.out);
        // Folders the new site fills are made by its files; folders the
        // last site filled are ours too, and come across only when
        // something of someone else's is in them (its files and folders
        // make them). Only the other folders are carried as they are,
        // empty or not.
        let ours = folders_of(
            urls.iter()
                .copied()
                .chain(self.old.iter().map(String::as_str)),
        );
        let not_carried = |rel: &str, is_dir: bool| {
            if is_dir {
                ours.contains(rel)
            } else {
                self.old.contains(rel) || rel == manifest::FILE
            }
        };
        let (found, listings) = self.scan_output(&mounts, &not_carried)?;
        let mut carried = Carried {
            litter: found.litter,
            listings,
            ..Carried::default()
        };
        for (inside, rel) in found.dirs {
            if ours.contains(rel.as_str()) {
                continue;
            }
            let (path, target) = (self.out.join(&inside), self.new.join(&inside));
            match fs::symlink_metadata(&target) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => return Err(Problem::InTheWay { path }),
                Err(_) => {
                    fs::create_dir_all(&target).map_err(io_at(&target))?;
                    if let Ok(m) = fs::metadata(&path) {
                        let _ = fs::set_permissions(&target, m.permissions());
                    }
                    carried.dirs.push(inside);
                }
            }
        }
        for (inside, rel) in found.files {
            if self.old.contains(&rel) || rel == manifest::FILE {
                continue;
            }
            let (path, target) = (self.out.join(&inside), self.new.join(&inside));
            if urls.contains(rel.as_str()) || fs::symlink_metadata(&target).is_ok() {
                return Err(Problem::InTheWay { path });
            }
            if let Some(dir) = target.parent() {
                fs::create_dir_all(dir).map_err(|_| Problem::InTheWay { path: path.clone() })?;
            }
            hooks::write().map_err(io_at(&target))?;
            if fs::hard_link(&path, &target).is_err() {
                copy_entry(&path, &target).map_err(io_at(&path))?;
            }
            carried.files.push(inside);
            hooks::step("foreign file carried");
        }
        Ok(carried)
    }
}

/// Every folder that holds one of `urls`, at any depth, as a relative URL.
fn folders_of<'a>(urls: impl Iterator<Item = &'a str>) -> FxHashSet<&'a str> {
    let mut dirs = FxHashSet::default();
    for url in urls {
        let mut dir = url;
        while let Some((parent, _)) = dir.rsplit_once('/') {
            if !dirs.insert(parent) {
                break;
            }
            dir = parent;
        }
    }
    dirs
}

/// What is in the output: its folders (parents before children), its
/// files and our litter, each as a path inside it and as a `/`-joined
/// relative URL. Where the output is read by folder descriptors (Unix),
/// the files and folders that [`Ours`] says are not carried are left out:
/// they are nearly all of it, and each cost two strings, made and moved
/// up through every folder above it.
#[derive(Default)]
struct Found {
    dirs: Vec<(PathBuf, String)>,
    files: Vec<(PathBuf, String)>,
    litter: Vec<PathBuf>,
    /// The folders read (or known unchanged) that the next publish may
    /// trust without reading ([`listings`]), by their paths inside; `None`
    /// for one whose known listing still holds.
    listed: Vec<(Vec<u8>, Option<listings::Listing>)>,
}

/// Reads the folder `inside` of `base` and, in parallel, every folder
/// under it; another file system mounted in it is an error.
#[cfg(not(unix))]
fn scan(base: &Path, inside: &Path, rel: &str, mounts: &Mounts) -> Result<Found, Problem> {
    let dir = base.join(inside);
    let mut found = Found::default();
    let mut subdirs = Vec::new();
    for entry in fs::read_dir(&dir).map_err(io_at(&dir))? {
        let entry = entry.map_err(io_at(&dir))?;
        let name = entry.file_name();
        let child = inside.join(&name);
        let name = name.to_string_lossy();
        let child_rel = rel_in(rel, &name);
        if entry.file_type().map_err(io_at(&dir))?.is_dir() {
            subdirs.push((child, child_rel));
        } else if super::is_litter(&name) {
            found.litter.push(child);
        } else {
            found.files.push((child, child_rel));
        }
    }
    let below: Vec<Result<Found, Problem>> = subdirs
        .par_iter()
        .map(|(child, child_rel)| {
            let path = base.join(child);
            if mounts.at(&path) {
                return Err(Problem::MountInside { path });
            }
            scan(base, child, child_rel, mounts)
        })
        .collect();
    for (sub, more) in subdirs.into_iter().zip(below) {
        let more = more?;
        found.dirs.push(sub);
        found.dirs.extend(more.dirs);
        found.files.extend(more.files);
        found.litter.extend(more.litter);
    }
    Ok(found)
}

/// Whether the file or folder (`true`) at an output-relative URL is one of
/// ours that [`Staging::carry_foreign`] does not carry as it is.
type Ours<'a> = dyn Fn(&str, bool) -> bool + Sync + 'a;

/// Reads the folder `inside` of `base` and, in parallel, every folder
/// under it; another file system mounted in it is an error. Each folder
/// is opened from its parent's descriptor, not by its whole path: with
/// 12,000 folders at 10,000 pages, looking up every path again from the
/// root was most of the time a publish took to carry files across. A
/// folder `known` lists (see [`listings`]) and that has not changed since
/// is not read at all; every folder read whose change time is before
/// `fence` comes back in [`Found::listed`].
#[cfg(unix)]
fn scan(
    base: &Path,
    mounts: &Mounts,
    known: Option<&listings::Folders>,
    fence: Option<(i64, u32)>,
    ours: &Ours,
) -> Result<Found, Problem> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let fd = rustix::fs::open(base, flags, Mode::empty()).map_err(|e| io_at(base)(e.into()))?;
    let root =
        rustix::fs::openat(&fd, c".", flags, Mode::empty()).map_err(|e| io_at(base)(e.into()))?;
    let scan = Scan {
        base,
        root: std::os::fd::AsFd::as_fd(&root),
        mounts,
        known,
        fence,
        ours,
    };
    // The top folder is always read: the swap itself changes it.
    let (dir, listing) = scan.read(fd, Path::new(""))?;
    let fd = dir.fd().map_err(|e| io_at(base)(e.into()))?;
    scan.found_in(Some(fd), listing, Path::new(""), "")
}

/// A folder's entries as read or known (see [`listings::Listing`]), and
/// its stamp when it may be kept.
#[cfg(unix)]
type Read<'a> = (Option<listings::Seen>, Cow<'a, [(Vec<u8>, bool)]>);

/// What [`scan`] reads with.
#[cfg(unix)]
struct Scan<'a> {
    base: &'a Path,
    /// `base`, open.
    root: std::os::fd::BorrowedFd<'a>,
    mounts: &'a Mounts,
    known: Option<&'a listings::Folders>,
    fence: Option<(i64, u32)>,
    /// What is not to be found ([`Found`]).
    ours: &'a Ours<'a>,
}

#[cfg(unix)]
impl Scan<'_> {
    /// The entries of the folder open as `fd` (`inside` the output), and
    /// its stamp as it was before they were read, if it may be kept; and
    /// the folder, still open, for what is under it.
    fn read(
        &self,
        fd: std::os::fd::OwnedFd,
        inside: &Path,
    ) -> Result<(rustix::fs::Dir, Read<'static>), Problem> {
        use rustix::fs::{AtFlags, Dir, FileType};
        use std::os::fd::AsFd;
        let failed = |e: rustix::io::Errno| io_at(&self.base.join(inside))(e.into());
        let seen = listings::seen_at(fd.as_fd(), "").filter(|s| s.before(self.fence));
        let mut dir = Dir::new(fd).map_err(failed)?;
        let mut entries = Vec::new();
        while let Some(entry) = dir.read() {
            let entry = entry.map_err(failed)?;
            let raw = entry.file_name();
            let bytes = raw.to_bytes();
            if bytes == b"." || bytes == b".." {
                continue;
            }
            let is_dir = match entry.file_type() {
                FileType::Directory => true,
                // A file system that does not say: ask, without following.
                FileType::Unknown => {
                    let fd = dir.fd().map_err(failed)?;
                    let st =
                        rustix::fs::statat(fd, raw, AtFlags::SYMLINK_NOFOLLOW).map_err(failed)?;
                    FileType::from_raw_mode(st.st_mode) == FileType::Directory
                }
                _ => false,
            };
            entries.push((bytes.to_vec(), is_dir));
        }
        Ok((dir, (seen, Cow::Owned(entries))))
    }

    /// What is under the folder `inside` whose entries are `listing`: its
    /// files, and what is under each of its folders, in parallel. `fd` is
    /// the folder open, when it was read rather than known.
    fn found_in(
        &self,
        fd: Option<std::os::fd::BorrowedFd<'_>>,
        (seen, entries): Read<'_>,
        inside: &Path,
        rel: &str,
    ) -> Result<Found, Problem> {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let mut found = Found::default();
        let mut subdirs: Vec<(&[u8], PathBuf, String)> = Vec::new();
        // Each name's URL is made in this one string, and copied out only
        // for what is kept.
        let mut child_rel = String::new();
        for (bytes, is_dir) in entries.iter() {
            let os_name = OsStr::from_bytes(bytes);
            let name = os_name.to_string_lossy();
            child_rel.clear();
            if !rel.is_empty() {
                child_rel.push_str(rel);
                child_rel.push('/');
            }
            child_rel.push_str(&name);
            if *is_dir {
                subdirs.push((bytes, inside.join(os_name), child_rel.clone()));
            } else if super::is_litter(&name) {
                found.litter.push(inside.join(os_name));
            } else if !(self.ours)(&child_rel, false) {
                found.files.push((inside.join(os_name), child_rel.clone()));
            }
        }
        let one = |(raw, child, child_rel): &(&[u8], PathBuf, String)| {
            self.folder(fd, raw, child, child_rel)
        };
        // Spread over threads only where a folder holds several: most hold
        // a page and no folder, and a parallel collect for each of those
        // (12,251 at 10,000 pages, 38 million instructions and a wake-up of
        // the other threads each) cost more than the one `statx` it waited
        // for.
        let below: Vec<Result<Found, Problem>> = if subdirs.len() > 1 {
            subdirs.par_iter().map(one).collect()
        } else {
            subdirs.iter().map(one).collect()
        };
        for ((_, child, child_rel), more) in subdirs.into_iter().zip(below) {
            let more = more?;
            if !(self.ours)(&child_rel, true) {
                found.dirs.push((child, child_rel));
            }
            found.dirs.extend(more.dirs);
            found.files.extend(more.files);
            found.litter.extend(more.litter);
            found.listed.extend(more.listed);
        }
        if let Some(seen) = seen {
            let inside = inside.as_os_str().as_bytes().to_vec();
            // A known listing is taken over when the listings are saved.
            let listing = match entries {
                Cow::Owned(entries) => Some(listings::Listing { seen, entries }),
                Cow::Borrowed(_) => None,
            };
            found.listed.push((inside, listing));
        }
        Ok(found)
    }

    /// What is under the folder `inside` (named `raw` in its parent, open
    /// as `parent` when it was read): its listing as known when it has not
    /// changed, else read from the folder opened.
    fn folder(
        &self,
        parent: Option<std::os::fd::BorrowedFd<'_>>,
        raw: &[u8],
        inside: &Path,
        rel: &str,
    ) -> Result<Found, Problem> {
        use rustix::fs::{Mode, OFlags};
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        if self.mounts.at_inside(self.base, inside) {
            let path = self.base.join(inside);
            return Err(Problem::MountInside { path });
        }
        // From the parent open by its name, or from the top folder by the
        // path inside it when the parent was known rather than read.
        let (at, name) = match parent {
            Some(fd) => (fd, Path::new(OsStr::from_bytes(raw))),
            None => (self.root, inside),
        };
        let known = (self.known)
            .and_then(|k| k.get(inside.as_os_str().as_bytes()))
            .filter(|l| listings::seen_at(at, name) == Some(l.seen));
        if let Some(listing) = known {
            // Kept in the listings as it is: it is still true.
            let entries = (Some(listing.seen), Cow::Borrowed(&listing.entries[..]));
            return self.found_in(None, entries, inside, rel);
        }
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let failed = |e: rustix::io::Errno| io_at(&self.base.join(inside))(e.into());
        let fd = rustix::fs::openat(at, name, flags, Mode::empty()).map_err(failed)?;
        let (dir, listing) = self.read(fd, inside)?;
        let fd = dir.fd().map_err(failed)?;
        self.found_in(Some(fd), listing, inside, rel)
    }
}

/// Where other file systems are mounted inside the output: on Linux the
/// mount points listed in `/proc/self/mountinfo` (read once, where a
/// bind mount of the same disk shows too), elsewhere each folder's device.
enum Mounts {
    Listed(HashSet<PathBuf>),
    Device(Option<u64>),
}

impl Mounts {
    fn inside(out: &Path) -> Mounts {
        #[cfg(target_os = "linux")]
        if let Ok(text) = fs::read_to_string("/proc/self/mountinfo") {
            let points = text
                .lines()
                .filter_map(|line| line.split(' ').nth(4))
                .map(|p| PathBuf::from(unescape_mount(p)))
                .filter(|p| p.starts_with(out) && p != out)
                .collect();
            return Mounts::Listed(points);
        }
        Mounts::Device(device(out))
    }

    fn at(&self, dir: &Path) -> bool {
        match self {
            Mounts::Listed(points) => points.contains(dir),
            Mounts::Device(dev) => device(dir) != *dev,
        }
    }

    /// [`Mounts::at`] the folder `inside` of `base`, its path made only
    /// when a mount could be there (none is, nearly always: the path of
    /// each of 12,000 folders was made for nothing).
    #[cfg(unix)]
    fn at_inside(&self, base: &Path, inside: &Path) -> bool {
        match self {
            Mounts::Listed(points) if points.is_empty() => false,
            _ => self.at(&base.join(inside)),
        }
    }
}

/// A mount point as `/proc/self/mountinfo` writes it: space, tab, line
/// break and backslash as three octal digits after a backslash.
#[cfg(target_os = "linux")]
fn unescape_mount(field: &str) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStringExt;
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes.get(i + 1..i + 4).and_then(|d| {
            let d = std::str::from_utf8(d).ok()?;
            u8::from_str_radix(d, 8).ok()
        });
        match (bytes[i], octal) {
            (b'\\', Some(b)) => {
                out.push(b);
                i += 4;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    std::ffi::OsString::from_vec(out)
}

/// The kept tree beside `out`, renamed to `new` for this build, if there is
/// one that is recognisably ours: a folder (not a link) on the output's
/// file system with a manifest that reads. Its manifest is written afresh
/// (it may be a hard link to the output's) and opened for adding to.
/// `old` is what the output's manifest lists, and its bytes: after an
/// edit that adds or removes no file the kept tree's lists the same, in
/// the same bytes, and is not parsed again (17,808 paths at 10,000 pages).
fn claim_kept(
    out: &Path,
    new: &Path,
    old: (&Arc<FxHashSet<String>>, Option<&[u8]>),
    expected: Option<(u64, u64)>,
) -> Option<Reused> {
    let kept = kept_path(out);
    let meta = fs::symlink_metadata(&kept).ok()?;
    let known = expected.is_some_and(|id| id == super::file_id(&meta));
    let parent = out.parent()?;
    if !meta.is_dir() || device(&kept) != device(parent) {
        return None;
    }
    // Written again as the bytes checked: rendering the list again
    // sorted and encoded 17,808 paths at 10,000 pages.
    let text = manifest::read_bytes(&kept).ok().flatten()?;
    let listed = match old.1 == Some(&text[..]) {
        true => old.0.clone(),
        false => Arc::new(manifest::parse(&kept, &text).ok()?),
    };
    fs::rename(&kept, new).ok()?;
    hooks::step("kept tree claimed");
    let opened = super::write_atomic(&new.join(manifest::FILE), &text).and_then(|()| {
        fs::OpenOptions::new()
            .append(true)
            .open(new.join(manifest::FILE))
    });
    match opened {
        Ok(file) => Some(Reused {
            listed,
            added: Mutex::new((FxHashSet::default(), file)),
            real: Mutex::new(FxHashSet::default()),
            known,
        }),
        Err(_) => {
            // Back where it was, as it was; or removed as a leftover.
            if fs::rename(new, &kept).is_err() {
                remove_leftover(new, out);
            }
            None
        }
    }
}

fn not_ours(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "{} is not a file unionpress wrote; move it away",
            path.display()
        ),
    )
}

/// Gives the owner write permission on a folder of ours that lacks it.
fn writable(dir: &Path, meta: &fs::Metadata) {
    let mut perms = meta.permissions();
    if perms.readonly() {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            perms.set_mode(perms.mode() | 0o700);
        }
        #[cfg(not(unix))]
        perms.set_readonly(false);
        let _ = fs::set_permissions(dir, perms);
    }
}

/// A copy of a file or symbolic link, for file systems without hard links.
fn copy_entry(from: &Path, to: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(from)?;
    #[cfg(unix)]
    if meta.file_type().is_symlink() {
        return std::os::unix::fs::symlink(fs::read_link(from)?, to);
    }
    if !meta.is_file() {
        return Err(io::Error::other(
            "not a regular file; cannot be carried over",
        ));
    }
    fs::copy(from, to).map(|_| ())
}

#[cfg(unix)]
pub(super) fn device(p: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(p).ok().map(|m| m.dev())
}

#[cfg(not(unix))]
pub(super) fn device(_: &Path) -> Option<u64> {
    None
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The exchange is not offered here (old kernel, a file system without
/// it), as opposed to failing.
fn exchange_unsupported(e: &io::Error) -> bool {
    // EINVAL, ENOSYS, EOPNOTSUPP on Linux.
    e.kind() == io::ErrorKind::Unsupported || matches!(e.raw_os_error(), Some(22 | 38 | 95))
}

/// Finds what killed runs left beside `out` and removes it (see the
/// module comment). An old tree set aside by the two-rename fallback comes
/// back first when the output itself is missing.
fn tidy_leftovers(out: &Path) {
    let (Some(parent), Some(out_name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let out_name = out_name.to_string_lossy();
    let Ok(dir) = fs::read_dir(parent) else {
        return;
    };
    // Best effort: an entry that cannot be read is simply left alone.
    let mut found: Vec<(&str, PathBuf)> = dir
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let (role, pid) = leftover_of(&out_name, &name)?;
            (!running(pid) && e.file_type().is_ok_and(|t| t.is_dir())).then(|| (role, e.path()))
        })
        .collect();
    found.sort();
    if !out.exists()
        && let Some(i) = found
            .iter()
            .position(|(role, p)| *role == "old" && p.join(manifest::FILE).is_file())
        && fs::rename(&found[i].1, out).is_ok()
    {
        found.remove(i);
    }
    for (_, tree) in found {
        remove_leftover(&tree, out);
    }
}

/// Removes a tree of ours beside `out`, file by file, keeping any file
/// that might exist nowhere else. Returns whether something was kept.
fn remove_leftover(tree: &Path, out: &Path) -> bool {
    let listed = manifest::read(tree).ok().flatten();
    let mut kept = false;
    for entry in walkdir::WalkDir::new(tree)
        .min_depth(1)
        .contents_first(true)
    {
        let Ok(entry) = entry else {
            kept = true;
            continue;
        };
        let path = entry.path();
        if entry.file_type().is_dir() {
            if fs::remove_dir(path).is_err() {
                kept = true;
            }
            continue;
        }
        let Some(rel) = rel_url(tree, path) else {
            continue;
        };
        let name = entry.file_name().to_string_lossy();
        let safe = match &listed {
            None => true,
            Some(files) => {
                rel == manifest::FILE
                    || files.contains(&rel)
                    || super::is_litter(&name)
                    || survives_in(path, &out.join(path.strip_prefix(tree).unwrap_or(path)))
            }
        };
        if !(safe && fs::remove_file(path).is_ok()) {
            kept = true;
        }
        hooks::step("old file removed");
    }
    if fs::remove_dir(tree).is_err() {
        kept = true;
    }
    kept
}

/// Whether the output still has this file: the same inode, or the same bytes.
fn survives_in(file: &Path, there: &Path) -> bool {
    let (Ok(a), Ok(b)) = (fs::symlink_metadata(file), fs::symlink_metadata(there)) else {
        return false;
    };
    if super::file_id(&a) == super::file_id(&b) && super::file_id(&a) != (0, 0) {
        return true;
    }
    if a.file_type().is_symlink() && b.file_type().is_symlink() {
        return fs::read_link(file).ok() == fs::read_link(there).ok();
    }
    a.is_file() && b.is_file() && a.len() == b.len() && same_files(there, file)
}

/// The output-relative name of `name` in the folder `rel` (`""` the top).
#[cfg(not(unix))]
fn rel_in(rel: &str, name: &str) -> String {
    if rel.is_empty() {
        name.to_string()
    } else {
        format!("{rel}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_names_are_leftovers() {
        assert_eq!(
            leftover_of("public", ".public.unionpress-new-42"),
            Some(("new", 42))
        );
        assert_eq!(
            leftover_of("public", ".public.unionpress-old-7"),
            Some(("old", 7))
        );
        assert_eq!(
            leftover_of("public", ".public.staging-9"),
            Some(("legacy", 9))
        );
        for other in [
            ".public.unionpress-new-x",
            "public",
            ".publicity.staging-1",
            ".other.staging-1",
        ] {
            assert_eq!(leftover_of("public", other), None, "{other}");
        }
    }
}
