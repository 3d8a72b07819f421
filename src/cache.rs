//! The build cache that survives the process: what `unionpress build` needs
//! to know to skip work the previous build already did, kept in
//! `.unionpress/cache/` beside `site.yaml` (a folder git is told to ignore).
//!
//! One file per output folder holds a hash of every input file (with its
//! size and time, so that a settled file is not read again), the moment the
//! build was made for and the next moment a page's date, expiry or pinning
//! changes what is published, the fingerprint of every rendered file's
//! inputs, each template's hash of the templates it can use, and the hash and stamp of every file written. A build whose inputs,
//! clock window and output all still match writes nothing at all; otherwise
//! the fingerprints let it render only what changed.
//!
//! The file starts with a format line (`unionpress-cache <format> <version>
//! <program stamp>`) and a hash of the rest, which is postcard, not JSON:
//! every build reads it first, even one with nothing to do. A file that is
//! corrupt, from another version or from another site is thrown away with a
//! one-line note and the build runs as if there were none. What the build made of each file (parsed front
//! matter, rendered Markdown) is kept beside it, in [`products`]. This
//! module reads and writes only that folder.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::content;
use crate::i18n::Lang;
use crate::output;
use crate::paths::folder::Folder;
use crate::paths::{self, slash_path};

pub mod narrow;
pub mod products;
pub mod templates;

/// Where caches live, relative to the site root.
pub const DIR: &str = ".unionpress/cache";

/// Bumped whenever what is stored, or what it means, changes.
const FORMAT: u32 = 12;

/// A file's size and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub len: u64,
    pub secs: u64,
    pub nanos: u32,
}

impl Stamp {
    pub fn of_meta(meta: &fs::Metadata) -> Stamp {
        Stamp::from_parts(meta.len(), meta.modified().ok())
    }

    /// A stamp from a size and a time another module recorded.
    pub fn from_parts(len: u64, modified: Option<SystemTime>) -> Stamp {
        let t = modified
            .and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok())
            .unwrap_or_default();
        Stamp {
            len,
            secs: t.as_secs(),
            nanos: t.subsec_nanos(),
        }
    }

    pub fn of(path: &Path) -> Option<Stamp> {
        fs::metadata(path).ok().map(|m| Stamp::of_meta(&m))
    }

    fn settled(&self) -> bool {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::new(self.secs, self.nanos);
        crate::source::stamp::settled(Some(t))
    }
}

/// What one build left for the next, in a new process.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Saved {
    /// The site folder, canonical.
    pub site: String,
    /// The output folder, absolute.
    pub output: String,
    /// Hash of every input file and of the build's options.
    pub inputs: u64,
    /// Each input file (root-relative) with its stamp and the hash of its bytes.
    #[serde(deserialize_with = "map_at_once")]
    pub files: BTreeMap<String, (Stamp, u64)>,
    /// The build's clock, and the first later moment at which a date,
    /// expiry or pinning changes what is published (milliseconds).
    pub now_ms: i64,
    pub until_ms: Option<i64>,
    /// The build had warnings: they must be shown again, so no skipping.
    pub warnings: bool,
    /// The site's language is English (messages).
    pub en: bool,
    pub pages: usize,
    pub search: Option<crate::search::Stats>,
    pub feeds: Option<usize>,
    /// Fingerprint of each rendered file's inputs.
    pub jobs: FxHashMap<String, u64>,
    /// Each file in the output: hash of its bytes (0 for copies) and stamp.
    /// Written as a map ([`SavedOut`]) but read as its entries, which is
    /// the same bytes: the next build only goes through them once, and
    /// putting 17,807 URLs into a map first hashed each of them for nothing.
    pub outputs: Vec<(String, (u64, Stamp))>,
    /// Each copied file's source and that source's stamp, read as a list
    /// for the same reason.
    pub statics: Vec<(String, (PathBuf, Stamp))>,
    /// The build's options, as hashed into `inputs`.
    pub options: String,
    /// Hash of the values every template sees.
    pub globals: u64,
    /// Each template's hash of the templates it can use
    /// ([`crate::render::templates::Templates::uses`]).
    pub templates: HashMap<String, u64>,
    /// Each page's related pages, with what they were found from.
    pub related: crate::site::taxonomy::Remembered,
    /// The folder (device, inode) of the tree the publish kept beside the
    /// output for the next build ([`output::Staging`]), when it kept one.
    pub kept: Option<(u64, u64)>,
    /// For each of `outputs`, in the same order: the inode of the file the
    /// kept tree holds at its URL when the build left it the very file the
    /// output holds (a hard link), else 0.
    pub twins: Vec<u64>,
}

/// [`Saved`] as [`save`] writes it, borrowed from what the build holds
/// rather than copied into a [`Saved`] first: the same bytes, which read
/// back as one. At 10,000 pages copying the output's 17,807 URLs twice
/// over into maps, and freeing them, cost more than encoding them.
#[derive(Serialize)]
pub struct SavedOut<'a> {
    pub site: &'a str,
    pub output: &'a str,
    pub inputs: u64,
    pub files: &'a BTreeMap<String, (Stamp, u64)>,
    pub now_ms: i64,
    pub until_ms: Option<i64>,
    pub warnings: bool,
    pub en: bool,
    pub pages: usize,
    pub search: Option<crate::search::Stats>,
    pub feeds: Option<usize>,
    pub jobs: &'a FxHashMap<String, u64>,
    pub outputs: Entries<'a, (u64, Stamp)>,
    pub statics: Entries<'a, (&'a Path, Stamp)>,
    pub options: &'a str,
    pub globals: u64,
    pub templates: &'a HashMap<String, u64>,
    pub related: &'a crate::site::taxonomy::Remembered,
    pub kept: Option<(u64, u64)>,
    pub twins: &'a [u64],
}

/// A map's entries in any order, encoded as the map: read back into one.
#[derive(Debug, Default)]
pub struct Entries<'a, V>(pub Vec<(&'a str, V)>);

impl<V: Serialize> Serialize for Entries<'_, V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// A map written in key order, read as its entries and made into a map at
/// once: inserted one by one, 14,323 files' names were compared and placed
/// for 20 million instructions.
fn map_at_once<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    let entries: Vec<(String, V)> = Vec::deserialize(d)?;
    Ok(entries.into_iter().collect())
}

/// Why a cache was thrown away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discarded {
    Corrupt,
    OtherVersion(String),
    OtherSite(String),
}

impl Discarded {
    /// The one-line note the build prints.
    pub fn note(&self, lang: Lang, file: &Path) -> String {
        let file = file.display();
        match (lang, self) {
            (Lang::Zh, Discarded::Corrupt) => {
                format!("构建缓存 {file} 已损坏，已丢弃，本次完整构建")
            }
            (Lang::Zh, Discarded::OtherVersion(v)) => match made_by(v) {
                Some(version) => format!(
                    "构建缓存 {file} 由 unionpress {version} 生成，与当前版本不同，已丢弃，本次完整构建"
                ),
                None => {
                    format!("构建缓存 {file} 由重新编译前的 unionpress 生成，已丢弃，本次完整构建")
                }
            },
            (Lang::Zh, Discarded::OtherSite(s)) => {
                format!("构建缓存 {file} 属于另一个网站（{s}），已丢弃，本次完整构建")
            }
            (Lang::En, Discarded::Corrupt) => {
                format!("build cache {file} is corrupt; discarded, building in full")
            }
            (Lang::En, Discarded::OtherVersion(v)) => match made_by(v) {
                Some(version) => format!(
                    "build cache {file} was made by unionpress {version}, not this version; discarded, building in full"
                ),
                None => format!(
                    "build cache {file} was made before unionpress was compiled again; discarded, building in full"
                ),
            },
            (Lang::En, Discarded::OtherSite(s)) => format!(
                "build cache {file} belongs to another site ({s}); discarded, building in full"
            ),
        }
    }
}

/// The cache file of the output folder `output` of the site at `root`.
pub fn file(root: &Path, output: &Path) -> PathBuf {
    let key = xxhash_rust::xxh3::xxh3_64(output.to_string_lossy().as_bytes());
    root.join(DIR).join(format!("build-{key:016x}.bin"))
}

/// The format, the version and the program file itself (its size and
/// time): a rebuilt program of the same version may render differently, and
/// its cache must not be trusted.
fn header() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| Stamp::of(&p))
        .map_or_else(String::new, |s| format!("{}.{}.{}", s.len, s.secs, s.nanos));
    format!(
        "unionpress-cache {FORMAT} {} {exe}",
        env!("CARGO_PKG_VERSION")
    )
}

/// The release that wrote a cache whose format line reads `version`
/// (`<format> <release> <program stamp>`), when it is not this one; `None`
/// when only the program differs (the same release compiled again), whose
/// stamp means nothing to an editor.
fn made_by(version: &str) -> Option<&str> {
    let release = version.split(' ').nth(1).unwrap_or(version);
    (release != env!("CARGO_PKG_VERSION")).then_some(release)
}

/// Checks a cache file's format line: written by this very program, or
/// from another version (named in the note), or not a cache file at all.
fn check_header(head: &str) -> Result<(), Discarded> {
    let Some(version) = head.strip_prefix("unionpress-cache ") else {
        return Err(Discarded::Corrupt);
    };
    if head != header() {
        return Err(Discarded::OtherVersion(version.to_string()));
    }
    Ok(())
}

/// Reads the cache of `output`. `Ok(None)`: there is none.
pub fn load(root: &Path, output: &Path) -> Result<Option<Saved>, Discarded> {
    let path = file(root, output);
    let Ok(bytes) = fs::read(&path) else {
        return Ok(None);
    };
    let mut parts = bytes.splitn(3, |&b| b == b'\n');
    let (Some(head), Some(sum), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(Discarded::Corrupt);
    };
    check_header(std::str::from_utf8(head).map_err(|_| Discarded::Corrupt)?)?;
    if sum != format!("{:016x}", xxhash_rust::xxh3::xxh3_64(body)).as_bytes() {
        return Err(Discarded::Corrupt);
    }
    let saved: Saved = postcard::from_bytes(body).map_err(|_| Discarded::Corrupt)?;
    if saved.site != root.to_string_lossy() || saved.output != output.to_string_lossy() {
        return Err(Discarded::OtherSite(saved.site));
    }
    Ok(Some(saved))
}

/// Removes the cache of `output`: the next build reads every input file.
pub fn forget(root: &Path, output: &Path) {
    let _ = fs::remove_file(file(root, output));
}

/// Writes the cache atomically; a failure only costs the next build time.
pub fn save(root: &Path, output: &Path, saved: &SavedOut) -> std::io::Result<()> {
    let path = file(root, output);
    let dir = path.parent().expect("the cache file is in a folder");
    fs::create_dir_all(dir)?;
    let ignore = root.join(".unionpress/.gitignore");
    if !ignore.exists() {
        let _ = fs::write(&ignore, "# unionpress's build cache: safe to delete.\n*\n");
    }
    let body = postcard::to_stdvec(saved).map_err(std::io::Error::other)?;
    let head = format!("{}\n{:016x}\n", header(), xxhash_rust::xxh3::xxh3_64(&body));
    let mut bytes = Vec::with_capacity(head.len() + body.len());
    bytes.extend_from_slice(head.as_bytes());
    bytes.extend_from_slice(&body);
    crate::output::write_atomic(&path, &bytes)
}

impl Discarded {
    /// The note for one file of [`products`]: only what it held is made
    /// again, not the whole build.
    pub fn part_note(&self, lang: Lang, file: &Path) -> String {
        let whole = self.note(lang, file);
        let (full, part) = match lang {
            Lang::Zh => ("，本次完整构建", "，其中的内容本次重新生成"),
            Lang::En => (", building in full", ", what it held is made again"),
        };
        match whole.strip_suffix(full) {
            Some(head) => format!("{head}{part}"),
            None => whole,
        }
    }
}

impl fmt::Display for Discarded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.note(Lang::En, Path::new(DIR)))
    }
}

/// Every input file under `root` (all but dot-folders at the top, such as
/// `.unionpress` and `.git`, and the output folder) with its stamp, in
/// name order: what a build may read. With them, the walk that found
/// them, for the content loader ([`Walked::under`]).
pub fn input_stamps(root: &Path, output: &Path) -> (Vec<(String, PathBuf, Stamp)>, Walked) {
    let folder = Folder::open(root);
    let mut complete = true;
    // The depths of the links on the way to the current entry.
    let mut links: Vec<usize> = Vec::new();
    let mut found = Vec::new();
    // Links followed, as the build follows them (a theme may be linked in).
    let walk = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            !(e.depth() == 1 && e.file_name().to_string_lossy().starts_with('.'))
                && e.path() != output
        });
    for entry in walk {
        let Ok(entry) = entry else {
            complete = false;
            continue;
        };
        let depth = entry.depth();
        while links.last().is_some_and(|&d| d >= depth) {
            links.pop();
        }
        if entry.path_is_symlink() {
            links.push(depth);
        }
        if entry.file_type().is_file() {
            found.push((entry.into_path(), links.last().copied()));
        }
    }
    // Stamped in parallel: a system call per file, from the root.
    let stamped: Vec<_> = found
        .into_par_iter()
        .filter_map(|(path, link)| {
            let (inside, rel) = match plainly_below(root, &path) {
                Some((inside, text)) => (inside, text.to_string()),
                None => {
                    let inside = path.strip_prefix(root).ok()?;
                    (inside, slash_path(inside))
                }
            };
            let looked = folder.look(inside, true)?;
            let stamp = Stamp::from_parts(looked.len, looked.modified);
            let walked = (inside.to_path_buf(), link);
            Some(((rel, path, stamp), walked))
        })
        .collect();
    let (stamps, files) = stamped.into_iter().unzip();
    (stamps, Walked { files, complete })
}

/// `path` relative to `root` and its text, when `path` is `root`'s text, a
/// `/` and a plain relative path ([`paths::plain`]), as a walk from `root`
/// makes it: what `Path::strip_prefix` and [`slash_path`] give then, found
/// by comparing bytes. They go through both paths' parts, and took 2,600
/// instructions a file for the 14,000 files a build stamps (callgrind).
/// `None` otherwise, and off Unix: the caller asks them.
fn plainly_below<'p>(root: &Path, path: &'p Path) -> Option<(&'p Path, &'p str)> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let root = root.as_os_str().as_bytes();
        let rest = (path.as_os_str().as_bytes().strip_prefix(root))?.strip_prefix(b"/")?;
        let inside = Path::new(std::ffi::OsStr::from_bytes(rest));
        paths::plain(inside).map(|text| (inside, text))
    }
    #[cfg(not(unix))]
    {
        let _ = (root, path);
        None
    }
}

/// The files [`input_stamps`] found, relative to the root, in the order
/// of its walk (each folder's entries by name), each with the depth of
/// the deepest link on its way (the root's children are at depth 1).
#[derive(Debug, Default)]
pub struct Walked {
    files: Vec<(PathBuf, Option<usize>)>,
    /// No folder failed to be read.
    complete: bool,
}

impl Walked {
    /// The files the content loader would find under the folder `dir` of
    /// the site at `root` (canonical), relative to `dir`, in its order:
    /// those reached through no link below `dir`, with no name it ignores
    /// ([`content::is_ignored`]), each named as the loader names it
    /// ([`content::Listed`]). `None` when the walk cannot stand for the
    /// loader's: it met a folder it could not read, or skipped part of
    /// `dir` (the output folder in it, or a dot-folder at the top).
    pub fn under(&self, root: &Path, dir: &Path, output: &Path) -> Option<content::Listed> {
        let dir = dir.canonicalize().ok()?;
        let prefix = dir.strip_prefix(root).ok()?;
        let top = prefix.components().next();
        let hidden = top.is_some_and(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        if !self.complete || hidden || output.starts_with(&dir) || dir.starts_with(output) {
            return None;
        }
        let depth = prefix.components().count();
        let shown = |part: &str| !content::is_ignored(part);
        let by_parts = |rel: &Path| {
            let inner = rel.strip_prefix(prefix).ok()?;
            let mut parts = inner.components().map(|c| c.as_os_str().to_string_lossy());
            parts.all(|part| shown(&part)).then(|| inner.to_path_buf())
        };
        // Plain paths (all of them, on Unix) compared as text: their parts
        // are their pieces between slashes ([`paths::plain`]).
        let by_text = |text: &str, prefix: &str| {
            let inner = match text.strip_prefix(prefix)? {
                "" => "",
                rest => rest.strip_prefix('/')?,
            };
            paths::pieces(inner).all(shown).then(|| inner.to_string())
        };
        let prefix_text = paths::plain(prefix);
        let mut listed = content::Listed::default();
        let walked = (self.files.iter()).filter(|(_, link)| link.is_none_or(|d| d <= depth));
        for (rel, _) in walked {
            match (paths::plain(rel), prefix_text) {
                (Some(text), Some(prefix)) => {
                    if let Some(inner) = by_text(text, prefix) {
                        listed.push_plain(inner);
                    }
                }
                _ => {
                    if let Some(inner) = by_parts(rel) {
                        listed.push_by_parts(inner);
                    }
                }
            }
        }
        Some(listed)
    }
}

/// The files [`input_stamps`] found, each with its hash; a settled file
/// whose stamp `before` knows is not read again.
pub fn hashed(
    stamps: Vec<(String, PathBuf, Stamp)>,
    before: Option<&BTreeMap<String, (Stamp, u64)>>,
) -> BTreeMap<String, (Stamp, u64)> {
    let hashed: Vec<_> = (stamps.into_par_iter())
        .map(|(rel, path, stamp)| {
            let known = before
                .and_then(|b| b.get(&rel))
                .filter(|(s, _)| *s == stamp && stamp.settled())
                .map(|&(_, h)| h);
            let hash = known.unwrap_or_else(|| {
                // Unreadable now: a hash that matches nothing, so the build
                // runs and reports it.
                fs::read(&path).map_or(u64::MAX, |b| xxhash_rust::xxh3::xxh3_64(&b))
            });
            (rel, (stamp, hash))
        })
        .collect();
    // Made at once, as in [`map_at_once`].
    hashed.into_iter().collect()
}

/// The files [`input_stamps`] found, for a build with no cache to compare
/// its inputs with and no products whose files it could leave unread (the
/// first build, or after `.unionpress/` was removed): stamped now, hashed
/// later by [`Unhashed`] from the bytes the build reads anyway, so that a
/// cold build does not read every page and photo twice (at 10,000 pages,
/// 14,000 files and 93 MB). Every hash is 0 until then.
pub fn unhashed(stamps: Vec<(String, PathBuf, Stamp)>) -> BTreeMap<String, (Stamp, u64)> {
    (stamps.into_iter())
        .map(|(rel, _, stamp)| (rel, (stamp, 0)))
        .collect()
}

/// The hashes of the files of [`unhashed`] as the build reads
/// them: each is taken only for a file whose size and time are still what
/// they were stamped with; [`Unhashed::hash`] reads the others.
#[derive(Debug, Default)]
pub struct Unhashed {
    found: HashMap<String, u64>,
}

impl Unhashed {
    /// Takes the hashes of files of the folder `dir` (paths relative to
    /// it, with their size, time and hash) that the build read.
    pub fn found_under<'a>(
        &mut self,
        files: &BTreeMap<String, (Stamp, u64)>,
        root: &Path,
        dir: &Path,
        read: impl Iterator<Item = (&'a str, Stamp, u64)>,
    ) {
        let Some(prefix) = prefix_of(root, dir) else {
            return;
        };
        for (rel, stamp, hash) in read {
            let rel = if prefix.is_empty() {
                rel.to_string()
            } else {
                format!("{prefix}/{rel}")
            };
            if files.get(&rel).is_some_and(|(s, _)| *s == stamp) {
                self.found.insert(rel, hash);
            }
        }
    }

    /// `files` with every hash: the ones found, and the others read now.
    pub fn hash(
        self,
        root: &Path,
        files: BTreeMap<String, (Stamp, u64)>,
    ) -> BTreeMap<String, (Stamp, u64)> {
        files
            .into_par_iter()
            .map(|(rel, (stamp, _))| {
                let hash = self.found.get(&rel).copied().unwrap_or_else(|| {
                    // Unreadable now: a hash that matches nothing.
                    fs::read(root.join(&rel)).map_or(u64::MAX, |b| xxhash_rust::xxh3::xxh3_64(&b))
                });
                (rel, (stamp, hash))
            })
            .collect()
    }
}

/// `dir` relative to the site at `root` (canonical), with `/`.
fn prefix_of(root: &Path, dir: &Path) -> Option<String> {
    dir.canonicalize()
        .ok()
        .and_then(|d| d.strip_prefix(root).ok().map(slash_path))
}

/// The files of `files` (as [`hashed`] made them) inside the folder
/// `dir` of the site at `root` (canonical), by path relative to `dir`, for
/// [`content::Cache::trust`]: their stamps, and which may be left unread
/// (none when they are not `hashed` yet: [`unhashed`]).
pub fn unchanged_under(
    files: &BTreeMap<String, (Stamp, u64)>,
    root: &Path,
    dir: &Path,
    hashed: bool,
) -> rustc_hash::FxHashMap<String, content::Unchanged> {
    let Some(prefix) = prefix_of(root, dir) else {
        return Default::default();
    };
    files
        .iter()
        .filter_map(|(rel, (stamp, hash))| {
            let inner = if prefix.is_empty() {
                rel.as_str()
            } else {
                rel.strip_prefix(&prefix)?.strip_prefix('/')?
            };
            let modified =
                SystemTime::UNIX_EPOCH + std::time::Duration::new(stamp.secs, stamp.nanos);
            let unchanged = content::Unchanged {
                len: stamp.len,
                modified,
                bytes: *hash,
                settled: hashed && stamp.settled(),
            };
            Some((inner.to_string(), unchanged))
        })
        .collect()
}

/// One hash of all input files and the options that shape the output.
pub fn inputs_hash(files: &BTreeMap<String, (Stamp, u64)>, options: &str) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(header().as_bytes());
    h.update(options.as_bytes());
    for (rel, (_, hash)) in files {
        h.update(rel.as_bytes());
        h.update(&[0]);
        h.update(&hash.to_le_bytes());
    }
    h.digest()
}

impl Stamp {
    /// The stamp of the file `url` of the output folder, if it is one.
    pub fn of_output(output: &Path, url: &str) -> Option<Stamp> {
        output::Stamp::of_file(output, url).map(|s| Stamp::of_written(&s))
    }

    /// The size and time of a stamp the output module took.
    pub fn of_written(s: &output::Stamp) -> Stamp {
        Stamp::from_parts(s.size(), s.modified())
    }
}

/// For each file of the output folder, the stamp it was written with and
/// the inode its twin in the kept tree had ([`Saved::twins`]), in the same
/// order: the file as it is now (as the output module stamps it, with its
/// identity, so that the publish can keep it without looking again), if it
/// is still as written (size and time); and whether it still is that twin
/// with no third name (see [`output::Staging::keep`]). Looked up one by
/// one, in parallel, rather than by walking the folder: files others put
/// there do not matter, and a walk reads every folder in turn.
pub fn outputs_as_written<'a>(
    out: &Path,
    files: impl Iterator<Item = (&'a String, &'a Stamp, u64)>,
) -> Vec<Option<(output::Stamp, bool)>> {
    let out = Folder::open(out);
    let files: Vec<_> = files.collect();
    files
        .into_par_iter()
        .map(|(url, written, twin)| {
            let (found, links) = output::Stamp::of_file_in(&out, url)?;
            let twin = twin != 0 && found.inode() == twin && links == 2;
            (Stamp::of_written(&found) == *written).then_some((found, twin))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where [`plainly_below`] answers, it answers as `Path::strip_prefix`
    /// and [`slash_path`] do.
    #[test]
    fn a_path_plainly_below_the_root_is_what_strip_prefix_gives() {
        let root = Path::new("/srv/站点");
        for path in [
            "/srv/站点/content/通知/a.md",
            "/srv/站点/site.yaml",
            "/srv/站点",
            "/srv/站点/",
            "/srv/站点x/a.md",
            "/srv/站点//a.md",
            "/srv/站点/./a.md",
            "/srv/站点/a/./b.md",
            "/srv/站点/a//b.md",
            "/srv/站点/a/",
            "/srv/other/a.md",
        ] {
            let path = Path::new(path);
            let by_parts = path.strip_prefix(root).ok().map(|p| (p, slash_path(p)));
            if let Some((inside, text)) = plainly_below(root, path) {
                assert_eq!(Some((inside, text.to_string())), by_parts, "{path:?}");
            }
        }
        let plain = plainly_below(root, Path::new("/srv/站点/content/a.md"));
        assert_eq!(plain.map(|(_, t)| t), Some("content/a.md"));
        assert_eq!(plainly_below(Path::new("/"), Path::new("/a.md")), None);
    }

    impl Saved {
        /// What [`save`] writes for `self`.
        fn out(&self) -> SavedOut<'_> {
            SavedOut {
                site: &self.site,
                output: &self.output,
                inputs: self.inputs,
                files: &self.files,
                now_ms: self.now_ms,
                until_ms: self.until_ms,
                warnings: self.warnings,
                en: self.en,
                pages: self.pages,
                search: self.search,
                feeds: self.feeds,
                jobs: &self.jobs,
                outputs: Entries(
                    (self.outputs.iter())
                        .map(|(k, v)| (k.as_str(), *v))
                        .collect(),
                ),
                statics: Entries(
                    (self.statics.iter())
                        .map(|(k, (p, st))| (k.as_str(), (p.as_path(), *st)))
                        .collect(),
                ),
                options: &self.options,
                globals: self.globals,
                templates: &self.templates,
                related: &self.related,
                kept: self.kept,
                twins: &self.twins,
            }
        }
    }

    /// What the build cache's walk lists for the content loader: the files
    /// under `content/` in the walk's order, names the loader ignores left
    /// out, and a name that is not UTF-8 with its own path.
    #[test]
    fn the_walk_lists_the_content_for_the_loader() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let content = root.join("content");
        fs::create_dir_all(content.join("通知/x")).unwrap();
        let files = [
            "_index.md",
            "通知/a.md",
            "通知/x/index.md",
            "通知/x/附件.pdf",
        ];
        for f in files.iter().chain(&["通知/~$锁.docx"]) {
            fs::write(content.join(f), "t").unwrap();
        }
        fs::write(root.join("site.yaml"), "title: t").unwrap();
        let out = root.join("public");
        let (_, walked) = input_stamps(&root, &out);
        let listed = walked.under(&root, &content, &out).unwrap();
        assert_eq!(listed.names, files.map(String::from));
        assert!(listed.paths.is_empty());

        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let odd = Path::new("通知").join(std::ffi::OsStr::from_bytes(b"\xff.md"));
            fs::write(content.join(&odd), "t").unwrap();
            let (_, walked) = input_stamps(&root, &out);
            let listed = walked.under(&root, &content, &out).unwrap();
            let [(at, path)] = &listed.paths[..] else {
                panic!("{listed:?}");
            };
            assert_eq!(listed.names[*at], "通知/\u{fffd}.md");
            assert_eq!(listed.names[*at], slash_path(path));
            assert!(content.join(path).is_file());
            assert_eq!(listed.names.len(), files.len() + 1);
        }
    }

    /// What is written borrowed reads back as what it was borrowed from.
    #[test]
    fn a_saved_cache_reads_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let out = root.join("public");
        let st = |n: u64| Stamp {
            len: n,
            secs: 1_700_000_000 + n,
            nanos: n as u32 * 7,
        };
        let saved = Saved {
            site: root.to_string_lossy().into_owned(),
            output: out.to_string_lossy().into_owned(),
            inputs: 42,
            files: (0..50)
                .map(|i| (format!("content/通知-{i}.md"), (st(i), i * 3)))
                .collect(),
            now_ms: 1_763_683_200_000,
            until_ms: Some(1_763_769_600_000),
            warnings: true,
            en: false,
            pages: 50,
            search: Some(crate::search::Stats::default()),
            feeds: Some(2),
            jobs: (0..60).map(|i| (format!("p/{i}.html"), i)).collect(),
            outputs: (0..70)
                .map(|i| (format!("p/{i}.html"), (i * 11, st(i))))
                .collect(),
            statics: (0..5)
                .map(|i| {
                    (
                        format!("f/{i}.pdf"),
                        (PathBuf::from(format!("/s/{i}.pdf")), st(i)),
                    )
                })
                .collect(),
            options: "drafts=false".into(),
            globals: 9,
            templates: [("page.html".to_string(), 5)].into_iter().collect(),
            related: Default::default(),
            kept: Some((3, 99)),
            twins: (0..75).map(|i| i * 13).collect(),
        };
        save(&root, &out, &saved.out()).unwrap();
        let back = load(&root, &out).unwrap().unwrap();
        assert_eq!(back.files, saved.files);
        assert_eq!(back.jobs, saved.jobs);
        // Read back as entries, in the order they were written.
        fn sorted<V>(mut v: Vec<(String, V)>) -> Vec<(String, V)> {
            v.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            v
        }
        assert_eq!(sorted(back.outputs.clone()), sorted(saved.outputs.clone()));
        assert_eq!(sorted(back.statics.clone()), sorted(saved.statics.clone()));
        assert_eq!(back.templates, saved.templates);
        assert_eq!(back.related, saved.related);
        let plain = |s: &Saved| {
            (
                s.inputs, s.now_ms, s.until_ms, s.warnings, s.en, s.pages, s.feeds,
            )
        };
        assert_eq!(plain(&back), plain(&saved));
        assert_eq!((back.search, back.globals), (saved.search, saved.globals));
        assert_eq!(back.options, saved.options);
        assert_eq!((back.kept, &back.twins), (saved.kept, &saved.twins));
    }

    /// The note names a release an editor can look up, never the program
    /// stamp (`13651552.1796209441.206024824`), which means nothing to her.
    #[test]
    fn the_other_version_note_names_a_release_or_says_it_was_recompiled() {
        let file = Path::new(".unionpress/cache/build-1.bin");
        let older = Discarded::OtherVersion("3 0.0.9 1365.1796.2060".into());
        let zh = older.note(Lang::Zh, file);
        assert!(
            zh.contains("由 unionpress 0.0.9 生成") && !zh.contains("1365"),
            "{zh}"
        );
        assert!(
            older
                .note(Lang::En, file)
                .contains("made by unionpress 0.0.9")
        );
        let same = format!("3 {} 1365.1796.2060", env!("CARGO_PKG_VERSION"));
        let rebuilt = Discarded::OtherVersion(same);
        let zh = rebuilt.note(Lang::Zh, file);
        assert!(zh.contains("重新编译前") && !zh.contains("1365"), "{zh}");
        assert!(!rebuilt.note(Lang::En, file).contains("1365"));
    }

    #[test]
    fn a_products_note_does_not_claim_a_full_build() {
        let why = [
            Discarded::Corrupt,
            Discarded::OtherVersion("0 0.0.1".into()),
            Discarded::OtherSite("/srv/other".into()),
        ];
        for why in why {
            let zh = why.part_note(Lang::Zh, Path::new("p/03.bin"));
            assert!(
                zh.ends_with("，其中的内容本次重新生成") && zh.contains("p/03.bin"),
                "{zh}"
            );
            let en = why.part_note(Lang::En, Path::new("p/03.bin"));
            assert!(
                en.ends_with("; discarded, what it held is made again"),
                "{en}"
            );
        }
    }

    #[test]
    fn a_damaged_or_foreign_cache_is_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let out = root.join("public");
        assert!(matches!(load(&root, &out), Ok(None)));
        let saved = Saved {
            site: root.to_string_lossy().into_owned(),
            output: out.to_string_lossy().into_owned(),
            pages: 3,
            ..Saved::default()
        };
        save(&root, &out, &saved.out()).unwrap();
        assert_eq!(load(&root, &out).unwrap().unwrap().pages, 3);
        assert!(root.join(".unionpress/.gitignore").exists());

        let path = file(&root, &out);
        let good = fs::read(&path).unwrap();
        // One bit of the body flipped (the page count is near its end).
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        fs::write(&path, &flipped).unwrap();
        assert_eq!(load(&root, &out).unwrap_err(), Discarded::Corrupt);
        fs::write(&path, &good[..good.len() / 2]).unwrap();
        assert_eq!(load(&root, &out).unwrap_err(), Discarded::Corrupt);
        // A file whose hash line matches a body that is not a cache.
        let junk = format!(
            "{}\n{:016x}\nnot a cache",
            header(),
            xxhash_rust::xxh3::xxh3_64(b"not a cache")
        );
        fs::write(&path, junk).unwrap();
        assert_eq!(load(&root, &out).unwrap_err(), Discarded::Corrupt);
        let other = [
            b"unionpress-cache 0 0.0.1".as_slice(),
            &good[header().len()..],
        ]
        .concat();
        fs::write(&path, other).unwrap();
        assert_eq!(
            load(&root, &out).unwrap_err(),
            Discarded::OtherVersion("0 0.0.1".into())
        );
        // The folder copied to another place is another site.
        let elsewhere = Saved {
            site: "/srv/other".into(),
            ..saved
        };
        save(&root, &out, &elsewhere.out()).unwrap();
        assert_eq!(
            load(&root, &out).unwrap_err(),
            Discarded::OtherSite("/srv/other".into())
        );
    }
}
