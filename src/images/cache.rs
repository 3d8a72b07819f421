//! The cache of published photo copies, `.unionpress/images/` beside
//! site.yaml: each photo's copies stored under a key made of the original's
//! content hash and the settings that shape the copies, so a photo is
//! processed once, whichever build, watcher or server asks for it. An index
//! of each original's size and time spares re-reading unchanged originals.
//!
//! Every file is written under a temporary name and renamed, the entry's
//! description last, so a killed build leaves no half entry behind.
//!
//! The index also holds the description of each entry the last build used,
//! and the cache's folder is listed once per build: an entry the index
//! describes whose files are all listed is taken as it is, without opening
//! its description or looking up its copies one by one (at 1,835 photos,
//! 13,000 system calls in a build that changed one page). An entry missing
//! a file is read from its description, as one the index does not know,
//! and made again when that fails.
//!
//! The cache does not grow forever: after each build it removes the entries
//! no photo of that build used and none has used for [`KEEP_UNUSED`] (an
//! entry's description is touched at most once a day when it is used), so
//! a photo taken out of a page and put back within weeks is not processed
//! again. It removes only files of its own naming.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::process::{self, Encoded, Format};
use super::{Photo, Variant, Why};
use crate::config::ImageSettings;
use crate::content::Asset;

/// Bump when the copies would come out differently for the same input.
const PIPELINE_VERSION: u32 = 2;
const INDEX_FILE: &str = "index.json";
/// How long an entry no build uses is kept.
pub const KEEP_UNUSED: Duration = Duration::from_secs(30 * 24 * 3600);
/// How old a leftover of a killed build (a temporary file, or copies whose
/// description was never written) must be before it is removed: old
/// enough that no build still running can be writing it.
const KEEP_LEFTOVER: Duration = Duration::from_secs(24 * 3600);
/// A used entry's description is touched when it is older than this.
const TOUCH_AFTER: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    len: u64,
    secs: u64,
    nanos: u32,
    hash: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct StoredVariant {
    file: String,
    format: Format,
    width: u32,
    height: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    #[serde(default)]
    renamed: bool,
    display: StoredVariant,
    thumb: Option<StoredVariant>,
}

/// An entry's description, and the time (seconds) its file was last
/// given, which [`Cache::prune`] goes by: touched again when a day old.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Described {
    entry: Entry,
    touched: u64,
}

/// What `index.json` holds: each photo's stamp, and the description of
/// each entry the build that wrote it used. No field has a default, so
/// that an index of the older form (the stamps alone) is not taken for an
/// empty one of this form ([`read_index`]).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Index {
    photos: HashMap<String, Stamp>,
    entries: HashMap<String, Described>,
}

/// Whether a photo's copies were made now or found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Processed,
    Reused,
}

pub struct Cache {
    /// Where the site's cache belongs.
    requested: PathBuf,
    /// Where it is (`requested`, or a stand-in).
    dir: PathBuf,
    /// Stamps as loaded (or kept from the last build of a session).
    known: HashMap<String, Stamp>,
    /// Stamps of this build's photos: the next index.
    seen: Mutex<HashMap<String, Stamp>>,
    /// Descriptions as loaded (or kept from the last build of a session).
    described: HashMap<String, Described>,
    /// Descriptions of the entries this build used: the next index.
    used_described: Mutex<HashMap<String, Described>>,
    /// The names of the cache folder's files, listed when the build began
    /// ([`Cache::list`]); `None` until then, or when it cannot be read.
    listed: Option<HashSet<String>>,
    hashed: AtomicUsize,
}

impl Cache {
    /// Opens the cache in `dir`, reading its index if there is one. When
    /// `dir` cannot be made (a read-only site folder), a folder under the
    /// system's temporary folder stands in.
    pub fn open(dir: &Path) -> Cache {
        let requested = dir.to_path_buf();
        let dir = if std::fs::create_dir_all(dir).is_ok() {
            requested.clone()
        } else {
            let tag = xxhash_rust::xxh3::xxh3_64(dir.to_string_lossy().as_bytes());
            std::env::temp_dir().join(format!("unionpress-images-{tag:016x}"))
        };
        let index = read_index(&dir.join(INDEX_FILE));
        Cache {
            requested,
            dir,
            known: index.photos,
            seen: Mutex::new(HashMap::new()),
            described: index.entries,
            used_described: Mutex::new(HashMap::new()),
            listed: None,
            hashed: AtomicUsize::new(0),
        }
    }

    /// Where the cache was asked to be (see [`Cache::open`]).
    pub fn requested(&self) -> &Path {
        &self.requested
    }

    /// How many originals were read to be hashed since the last call.
    pub fn take_hashed(&self) -> usize {
        self.hashed.swap(0, Ordering::Relaxed)
    }

    /// Writes the index of this build's photos (a failure only costs
    /// re-hashing next time) and makes it the one to consult.
    pub fn save_index(&mut self) {
        let seen = std::mem::take(self.seen.get_mut().unwrap_or_else(|e| e.into_inner()));
        let used = self.used_described.get_mut();
        let described = std::mem::take(used.unwrap_or_else(|e| e.into_inner()));
        if seen != self.known || described != self.described {
            let index = Index {
                photos: seen,
                entries: described,
            };
            if let Ok(json) = serde_json::to_vec(&index) {
                let _ = write_atomic(&self.dir.join(INDEX_FILE), &json);
            }
            self.known = index.photos;
            self.described = index.entries;
        }
        self.listed = None;
    }

    /// Lists the cache folder's files, for the entries of this build: call
    /// it before the photos are asked for. Files removed after it are not
    /// noticed (as when they go between a look and a read).
    pub fn list(&mut self) {
        let listed = std::fs::read_dir(&self.dir).ok().map(|dir| {
            dir.flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        });
        self.listed = listed;
    }

    /// Each photo of the last [`Cache::save_index`]: its content-relative
    /// path, the size and time (seconds, nanoseconds) it had when it was
    /// read or last hashed, and the hash of its bytes, for a build cache
    /// that would otherwise read every photo again to hash it.
    pub fn hashes(&self) -> impl Iterator<Item = (&str, u64, u64, u32, u64)> {
        (self.known.iter()).map(|(rel, s)| (rel.as_str(), s.len, s.secs, s.nanos, s.hash))
    }

    /// The copies of `asset`, from the cache or made now.
    pub fn get_or_make(
        &self,
        asset: &Asset,
        settings: &ImageSettings,
    ) -> Result<(Photo, Outcome), Why> {
        let unreadable = |e: std::io::Error| Why::Unreadable(e.to_string());
        // The size and time the content was found with, a moment ago;
        // looked up again only when that failed.
        let (len, modified) = match asset.modified {
            Some(m) => (asset.size, Some(m)),
            None => {
                let meta = std::fs::metadata(&asset.path).map_err(unreadable)?;
                (meta.len(), meta.modified().ok())
            }
        };
        let (secs, nanos) = modified
            .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
            .map_or((0, 0), |d| (d.as_secs(), d.subsec_nanos()));
        let same = |s: &Stamp| s.len == len && s.secs == secs && s.nanos == nanos;
        let mut bytes = None;
        let hash = match self.known.get(&asset.rel).filter(|s| same(s)) {
            Some(s) => s.hash,
            None => {
                let b = std::fs::read(&asset.path).map_err(unreadable)?;
                self.hashed.fetch_add(1, Ordering::Relaxed);
                let h = xxhash_rust::xxh3::xxh3_64(&b);
                bytes = Some(b);
                h
            }
        };
        let stamp = Stamp {
            len,
            secs,
            nanos,
            hash,
        };
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(asset.rel.clone(), stamp);
        let key = entry_key(hash, settings);
        if let Some(photo) = self.load(&key) {
            return Ok((photo, Outcome::Reused));
        }
        let bytes = match bytes {
            Some(b) => b,
            None => std::fs::read(&asset.path).map_err(unreadable)?,
        };
        let made = process::process(&bytes, settings).map_err(Why::Problem)?;
        drop(bytes);
        let mut photo = self.store(&key, &made, made.thumb.as_ref())?;
        photo.renamed = made.renamed;
        Ok((photo, Outcome::Processed))
    }

    fn load(&self, key: &str) -> Option<Photo> {
        if let Some(photo) = self.vouched(key) {
            return Some(photo);
        }
        use std::io::Read;
        let described = self.dir.join(format!("{key}.json"));
        let mut file = std::fs::File::open(&described).ok()?;
        let mut text = Vec::new();
        file.read_to_end(&mut text).ok()?;
        let entry: Entry = serde_json::from_slice(&text).ok()?;
        let touched = match file.metadata().and_then(|m| m.modified()) {
            Ok(modified) => touch_if_older(&described, modified),
            Err(_) => SystemTime::now(),
        };
        let photo = self.photo_of(&entry, |file| self.dir.join(file).is_file())?;
        let touched = secs_of(touched);
        self.remember(key, Described { entry, touched });
        Some(photo)
    }

    /// The entry `key` as the index describes it, when the folder's
    /// listing has its description and every copy.
    fn vouched(&self, key: &str) -> Option<Photo> {
        let listed = self.listed.as_ref()?;
        let known = self.described.get(key)?;
        if !listed.contains(&format!("{key}.json")) {
            return None;
        }
        let photo = self.photo_of(&known.entry, |file| listed.contains(file))?;
        let mut known = known.clone();
        let touched = UNIX_EPOCH + Duration::from_secs(known.touched);
        let described = self.dir.join(format!("{key}.json"));
        known.touched = secs_of(touch_if_older(&described, touched));
        self.remember(key, known);
        Some(photo)
    }

    fn remember(&self, key: &str, described: Described) {
        (self
            .used_described
            .lock()
            .unwrap_or_else(|e| e.into_inner()))
        .insert(key.to_string(), described);
    }

    /// The copies `entry` describes, when `there` finds each of them.
    fn photo_of(&self, entry: &Entry, there: impl Fn(&str) -> bool) -> Option<Photo> {
        let variant = |v: &StoredVariant| {
            there(&v.file).then(|| Variant {
                path: self.dir.join(&v.file),
                format: v.format,
                width: v.width,
                height: v.height,
            })
        };
        Some(Photo {
            renamed: entry.renamed,
            display: variant(&entry.display)?,
            thumb: match &entry.thumb {
                Some(t) => Some(variant(t)?),
                None => None,
            },
        })
    }

    fn store(
        &self,
        key: &str,
        made: &process::Processed,
        thumb: Option<&Encoded>,
    ) -> Result<Photo, Why> {
        let display = &made.display;
        let failed =
            |path: &Path, e: std::io::Error| Why::Unreadable(format!("{}: {e}", path.display()));
        std::fs::create_dir_all(&self.dir).map_err(|e| failed(&self.dir, e))?;
        let put = |name: &str, e: &Encoded| -> Result<(StoredVariant, Variant), Why> {
            let file = format!("{key}-{name}.{}", e.format.ext());
            let path = self.dir.join(&file);
            write_atomic(&path, &e.bytes).map_err(|err| failed(&path, err))?;
            Ok((
                StoredVariant {
                    file,
                    format: e.format,
                    width: e.width,
                    height: e.height,
                },
                Variant {
                    path,
                    format: e.format,
                    width: e.width,
                    height: e.height,
                },
            ))
        };
        let (stored_display, display) = put("display", display)?;
        let thumb = thumb.map(|t| put("thumb", t)).transpose()?;
        let (stored_thumb, thumb) = match thumb {
            Some((s, v)) => (Some(s), Some(v)),
            None => (None, None),
        };
        let entry = Entry {
            renamed: made.renamed,
            display: stored_display,
            thumb: stored_thumb,
        };
        let json = serde_json::to_vec(&entry).unwrap_or_default();
        let path = self.dir.join(format!("{key}.json"));
        write_atomic(&path, &json).map_err(|e| failed(&path, e))?;
        let touched = secs_of(SystemTime::now());
        self.remember(key, Described { entry, touched });
        Ok(Photo {
            display,
            thumb,
            renamed: made.renamed,
        })
    }
}

impl Cache {
    /// Removes the entries this build did not use that no build has used
    /// for [`KEEP_UNUSED`], and leftovers of killed builds; returns how
    /// many files went. Call it after a build has asked for every photo of
    /// the site and [`Cache::save_index`] has kept the entries it used (see
    /// [`super::prepare`]). A file that cannot be removed stays: the cache
    /// only costs disk space.
    pub fn prune(&mut self) -> usize {
        let used = &self.described;
        let Ok(dir) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
        let now = SystemTime::now();
        let age = |path: &Path| {
            let modified = std::fs::symlink_metadata(path).and_then(|m| m.modified());
            modified.map_or(Duration::ZERO, |m| {
                now.duration_since(m).unwrap_or_default()
            })
        };
        let mut removed = 0;
        for item in dir.flatten() {
            let name = item.file_name();
            let Some(name) = name.to_str() else { continue };
            let path = item.path();
            let Some((key, rest)) = split_key(name) else {
                let index_written = (name.strip_prefix("index")).is_some_and(is_temporary);
                if index_written
                    && age(&path) >= KEEP_LEFTOVER
                    && std::fs::remove_file(&path).is_ok()
                {
                    removed += 1;
                }
                continue;
            };
            let keep_for = if rest.contains(".tmp") {
                if !is_temporary(rest) {
                    continue;
                }
                KEEP_LEFTOVER
            } else if used.contains_key(key) {
                continue;
            } else {
                let described = self.dir.join(format!("{key}.json"));
                match described.is_file() {
                    // An entry goes when its description is old, all of it.
                    true if rest != ".json" && age(&described) < KEEP_UNUSED => continue,
                    true => KEEP_UNUSED,
                    false => KEEP_LEFTOVER,
                }
            };
            if age(&path) >= keep_for && std::fs::remove_file(&path).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}

/// `0123456789abcdef-01234567-display.jpg` → (the entry's key, the rest:
/// `-display.jpg`), for names of this cache's own making only.
fn split_key(name: &str) -> Option<(&str, &str)> {
    let key = name.get(..25)?;
    let (hash, shape) = (&key[..16], &key[17..]);
    let hex = |s: &str| s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let rest = &name[25..];
    let ours = [".json", ".tmp", "-display.", "-thumb."];
    let ours = ours.iter().any(|p| rest.starts_with(p));
    (key.as_bytes()[16] == b'-' && hex(hash) && hex(shape) && ours).then_some((key, rest))
}

/// `.tmp1234-5` (a description, the index) or `-display.tmp1234-5` (a
/// copy): what [`write_atomic`] writes before renaming.
fn is_temporary(rest: &str) -> bool {
    rest.rsplit_once(".tmp").is_some_and(|(_, n)| {
        n.split_once('-').is_some_and(|(pid, i)| {
            [pid, i]
                .iter()
                .all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        })
    })
}

/// The index of the cache, of this form or of the older one (each
/// photo's stamp alone); empty when there is none or it cannot be read.
fn read_index(path: &Path) -> Index {
    let Ok(bytes) = std::fs::read(path) else {
        return Index::default();
    };
    serde_json::from_slice(&bytes).unwrap_or_else(|_| Index {
        photos: serde_json::from_slice(&bytes).unwrap_or_default(),
        entries: HashMap::new(),
    })
}

fn secs_of(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Sets `path`'s time (`modified`) to now when it is older than
/// [`TOUCH_AFTER`], so that [`Cache::prune`] sees the entry as used, and
/// returns the time it has now. Failing only makes the entry look older.
fn touch_if_older(path: &Path, modified: SystemTime) -> SystemTime {
    let now = SystemTime::now();
    if now.duration_since(modified).unwrap_or_default() < TOUCH_AFTER {
        return modified;
    }
    if let Ok(file) = std::fs::File::options().write(true).open(path) {
        let _ = file.set_modified(now);
    }
    now
}

/// The content hash and the settings that shape the copies.
fn entry_key(hash: u64, s: &ImageSettings) -> String {
    let shape = format!(
        "{PIPELINE_VERSION}:{}:{}:{}",
        s.max_width, s.thumb_width, s.quality
    );
    let k = xxhash_rust::xxh3::xxh3_64(shape.as_bytes());
    format!("{hash:016x}-{k:08x}", k = k as u32)
}

/// Writes `path` under a temporary name ([`is_temporary`]) and renames it.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let tmp = path.with_extension(format!("tmp{}-{n}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_of_its_own_making_are_the_caches() {
        let key = "0123456789abcdef-89abcdef";
        for rest in [
            ".json",
            "-display.jpg",
            "-thumb.webp",
            ".tmp12-0",
            "-thumb.tmp3-44",
        ] {
            assert_eq!(split_key(&format!("{key}{rest}")), Some((key, rest)));
        }
        for name in [
            "index.json",
            "说明.txt",
            "0123456789abcdef-89abcdef.txt",
            "0123456789ABCDEF-89abcdef.json",
            "0123456789abcdef_89abcdef.json",
            "0123456789abcdef-89abcde",
        ] {
            assert_eq!(split_key(name), None, "{name}");
        }
        assert!(is_temporary(".tmp12-0") && is_temporary("-display.tmp3-44"));
        assert!(!is_temporary(".tmp12") && !is_temporary(".tmpx-1") && !is_temporary(".json"));
    }

    #[test]
    fn names_written_atomically_are_recognised_as_temporary() {
        let dir = std::env::temp_dir().join(format!("up-img-tmp-{}", std::process::id()));
        let key = "0123456789abcdef-89abcdef";
        for name in [format!("{key}.json"), format!("{key}-display.jpg")] {
            let tmp = dir.join(&name).with_extension(format!("tmp{}-{}", 7, 3));
            let tmp = tmp.file_name().unwrap().to_str().unwrap().to_string();
            let (_, rest) = split_key(&tmp).unwrap();
            assert!(is_temporary(rest), "{tmp}");
        }
        let index = dir.join(INDEX_FILE).with_extension("tmp7-3");
        let index = index.file_name().unwrap().to_str().unwrap();
        assert!(index.strip_prefix("index").is_some_and(is_temporary));
    }
}
