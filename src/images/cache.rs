//! The cache of published photo copies, `.unionpress/images/` beside
//! site.yaml: each photo's copies stored under a key made of the original's
//! content hash and the settings that shape the copies, so a photo is
//! processed once, whichever build, watcher or server asks for it. An index
//! of each original's size and time spares re-reading unchanged originals.
//!
//! Every file is written under a temporary name and renamed, the entry's
//! description last, so a killed build leaves no half entry behind.
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

#[derive(Debug, Serialize, Deserialize)]
struct StoredVariant {
    file: String,
    format: Format,
    width: u32,
    height: u32,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    #[serde(default)]
    renamed: bool,
    display: StoredVariant,
    thumb: Option<StoredVariant>,
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
    /// Entry keys this build used: what [`Cache::prune`] keeps.
    used: Mutex<HashSet<String>>,
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
        let known = std::fs::read(dir.join(INDEX_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Cache {
            requested,
            dir,
            known,
            seen: Mutex::new(HashMap::new()),
            used: Mutex::new(HashSet::new()),
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
        if seen != self.known {
            if let Ok(json) = serde_json::to_vec(&seen) {
                let _ = write_atomic(&self.dir.join(INDEX_FILE), &json);
            }
        }
        self.known = seen;
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
        let meta = std::fs::metadata(&asset.path).map_err(unreadable)?;
        let (secs, nanos) = meta
            .modified()
            .ok()
            .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
            .map_or((0, 0), |d| (d.as_secs(), d.subsec_nanos()));
        let same = |s: &Stamp| s.len == meta.len() && s.secs == secs && s.nanos == nanos;
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
            len: meta.len(),
            secs,
            nanos,
            hash,
        };
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(asset.rel.clone(), stamp);
        let key = entry_key(hash, settings);
        (self.used.lock().unwrap_or_else(|e| e.into_inner())).insert(key.clone());
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
        use std::io::Read;
        let described = self.dir.join(format!("{key}.json"));
        let mut file = std::fs::File::open(&described).ok()?;
        let mut text = Vec::new();
        file.read_to_end(&mut text).ok()?;
        let entry: Entry = serde_json::from_slice(&text).ok()?;
        if let Ok(modified) = file.metadata().and_then(|m| m.modified()) {
            touch_if_older(&described, modified, TOUCH_AFTER);
        }
        let variant = |v: &StoredVariant| {
            let path = self.dir.join(&v.file);
            path.is_file().then_some(Variant {
                path,
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
    /// the site (see [`super::prepare`]). A file that cannot be removed
    /// stays: the cache only costs disk space.
    pub fn prune(&mut self) -> usize {
        let used = std::mem::take(self.used.get_mut().unwrap_or_else(|e| e.into_inner()));
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
            } else if used.contains(key) {
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

/// Sets `path`'s time (`modified`) to now when it is older than `after`,
/// so that [`Cache::prune`] sees the entry as used. Failing only makes the
/// entry look older.
fn touch_if_older(path: &Path, modified: SystemTime, after: Duration) {
    let now = SystemTime::now();
    if now.duration_since(modified).unwrap_or_default() >= after
        && let Ok(file) = std::fs::File::options().write(true).open(path)
    {
        let _ = file.set_modified(now);
    }
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
