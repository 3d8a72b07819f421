//! The cache of published photo copies, `.unionpress/images/` beside
//! site.yaml: each photo's copies stored under a key made of the original's
//! content hash and the settings that shape the copies, so a photo is
//! processed once, whichever build, watcher or server asks for it. An index
//! of each original's size and time spares re-reading unchanged originals.
//!
//! Every file is written under a temporary name and renamed, the entry's
//! description last, so a killed build leaves no half entry behind.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::process::{self, Encoded, Format};
use super::{Photo, Variant, Why};
use crate::config::ImageSettings;
use crate::content::Asset;

/// Bump when the copies would come out differently for the same input.
const PIPELINE_VERSION: u32 = 2;
const INDEX_FILE: &str = "index.json";

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
        let text = std::fs::read(self.dir.join(format!("{key}.json"))).ok()?;
        let entry: Entry = serde_json::from_slice(&text).ok()?;
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

/// The content hash and the settings that shape the copies.
fn entry_key(hash: u64, s: &ImageSettings) -> String {
    let shape = format!(
        "{PIPELINE_VERSION}:{}:{}:{}",
        s.max_width, s.thumb_width, s.quality
    );
    let k = xxhash_rust::xxh3::xxh3_64(shape.as_bytes());
    format!("{hash:016x}-{k:08x}", k = k as u32)
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let tmp = path.with_extension(format!("tmp{}-{n}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
