//! Photos under `content/` (JPEG, PNG, WebP): which files are photos, the
//! published copies each one becomes (a display copy no wider than
//! `images.max_width`, a thumbnail, both upright and without EXIF), the
//! cache of those copies under `.unionpress/images/` beside site.yaml, and
//! the names the copies take in the output. Animated GIFs and SVGs are not
//! photos here: they are copied as they are, like any other file.
//!
//! It reads content files and writes only inside its cache folder; `build`
//! copies the cached files into the output, `render` shows them.

pub mod cache;
pub mod html;
pub mod process;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::ImageSettings;
use crate::content::Asset;
use crate::diagnostics::{Diagnostic, Span};
use crate::i18n::Msg;
pub use process::{Format, Problem};

/// What the build does with a file under `content/`, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Resized, turned upright, stripped of metadata.
    Photo,
    /// A phone format browsers do not show (HEIC): refused with a hint.
    Unsupported,
    /// Anything else, GIF and SVG included: copied as it is.
    Other,
}

pub fn role(rel: &str) -> Role {
    let ext = rel
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "jpg" | "jpeg" | "jpe" | "png" | "webp" => Role::Photo,
        "heic" | "heif" => Role::Unsupported,
        _ => Role::Other,
    }
}

/// One published copy in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub path: PathBuf,
    pub format: Format,
    pub width: u32,
    pub height: u32,
}

/// A photo's published copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub display: Variant,
    /// `None` when the display copy is already thumbnail-sized.
    pub thumb: Option<Variant>,
    /// The display copy is in another format than the original's bytes, so
    /// it cannot keep the original's name.
    pub renamed: bool,
}

impl Photo {
    /// The thumbnail, or the display copy when that is small already.
    pub fn thumb_or_display(&self) -> &Variant {
        self.thumb.as_ref().unwrap_or(&self.display)
    }
}

/// How much image work a build did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Photos decoded and encoded (or stripped) in this build.
    pub processed: usize,
    /// Photos whose copies came from the cache.
    pub reused: usize,
    /// Photos whose bytes were read and hashed because their size or time
    /// changed since the cache last saw them.
    pub hashed: usize,
    /// Files the cache removed: entries long unused, leftovers of killed
    /// builds.
    pub pruned: usize,
}

/// Every photo of the site, by content-relative path.
#[derive(Debug, Clone, Default)]
pub struct Photos {
    pub by_rel: HashMap<String, Photo>,
    pub stats: Stats,
    pub settings: ImageSettings,
    /// Changes whenever any photo's copies change (for caches of HTML that
    /// carries their sizes).
    pub key: u64,
    /// The URL each photo's original would have → its index in the site's
    /// assets (filled by the build, which knows the URLs).
    pub urls: HashMap<String, usize>,
    /// A bundle's folder → indices of its photos in the site's assets.
    pub bundles: HashMap<String, Vec<usize>>,
}

/// A photo that cannot be published, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub rel: String,
    pub why: Why,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    Problem(Problem),
    /// Over `images.max_mb`.
    TooLarge {
        size: u64,
        max_mb: u64,
    },
    Unreadable(String),
}

/// Checks that need no decoding (size, format by name, header): what
/// `check` runs, and what `build` runs before [`prepare`].
pub fn screen<'a>(
    settings: &ImageSettings,
    assets: impl IntoIterator<Item = &'a Asset>,
    read_headers: bool,
) -> Vec<Refused> {
    let candidates: Vec<&Asset> = assets
        .into_iter()
        .filter(|a| role(&a.rel) != Role::Other)
        .collect();
    candidates
        .par_iter()
        .filter_map(|a| {
            let why = screen_one(settings, a, read_headers)?;
            Some(Refused {
                rel: a.rel.clone(),
                why,
            })
        })
        .collect()
}

fn screen_one(settings: &ImageSettings, a: &Asset, read_headers: bool) -> Option<Why> {
    if role(&a.rel) == Role::Unsupported {
        return Some(Why::Problem(Problem::Unsupported {
            format: "HEIC".into(),
        }));
    }
    if a.size > settings.max_mb * 1024 * 1024 {
        return Some(Why::TooLarge {
            size: a.size,
            max_mb: settings.max_mb,
        });
    }
    if !read_headers {
        return None;
    }
    let head = match read_head(&a.path) {
        Ok(h) => h,
        Err(e) => return Some(Why::Unreadable(e.to_string())),
    };
    process::inspect(&head).err().map(Why::Problem)
}

/// Enough of a file to read its header: JPEG headers (with EXIF and a
/// colour profile) can be long, so up to 1 MB.
fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)?
        .take(1 << 20)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// Makes (or finds in the cache) the copies of every photo among `assets`,
/// in parallel, one photo per core at a time. Refused photos are left out
/// of the result and reported.
pub fn prepare<'a>(
    settings: &ImageSettings,
    cache: &mut cache::Cache,
    assets: impl IntoIterator<Item = &'a Asset>,
) -> (Photos, Vec<Refused>) {
    let photos: Vec<&Asset> = assets
        .into_iter()
        .filter(|a| role(&a.rel) != Role::Other)
        .collect();
    cache.list();
    type Made = Result<(Photo, cache::Outcome), Why>;
    let results: Vec<(&Asset, Made)> = photos
        .par_iter()
        .map(|a| (*a, one(settings, cache, a)))
        .collect();
    let mut out = Photos {
        settings: settings.clone(),
        ..Photos::default()
    };
    let mut refused = Vec::new();
    for (a, r) in results {
        match r {
            Ok((photo, outcome)) => {
                match outcome {
                    cache::Outcome::Reused => out.stats.reused += 1,
                    cache::Outcome::Processed => out.stats.processed += 1,
                }
                out.by_rel.insert(a.rel.clone(), photo);
            }
            Err(why) => refused.push(Refused {
                rel: a.rel.clone(),
                why,
            }),
        }
    }
    out.stats.hashed = cache.take_hashed();
    cache.save_index();
    // Every photo of the site was asked for: what was not is unused.
    out.stats.pruned = cache.prune();
    out.key = key_of(&out.by_rel);
    (out, refused)
}

fn one(
    settings: &ImageSettings,
    cache: &cache::Cache,
    a: &Asset,
) -> Result<(Photo, cache::Outcome), Why> {
    if let Some(why) = screen_one(settings, a, false) {
        return Err(why);
    }
    cache.get_or_make(a, settings)
}

/// What the HTML showing the photos depends on: their URLs, formats and
/// sizes, not where the image cache keeps the copies (a path that changes
/// with the way the site's folder is named, `.` or `--root site`, while
/// the HTML does not).
fn key_of(photos: &HashMap<String, Photo>) -> u64 {
    let mut all: Vec<(&String, &Photo)> = photos.iter().collect();
    all.sort_by(|a, b| a.0.cmp(b.0));
    let shown = |v: &Variant| (v.format, v.width, v.height);
    let all: Vec<_> = (all.into_iter())
        .map(|(url, p)| {
            (
                url,
                shown(&p.display),
                p.thumb.as_ref().map(shown),
                p.renamed,
            )
        })
        .collect();
    let text = format!("{all:?}");
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// `events/x/relay.jpg` → where its display copy goes: the same URL when
/// the format is the same, else with the new extension added
/// (`banner.webp.jpg`).
pub fn display_url(url: &str, photo: &Photo) -> String {
    // A PNG saved as `.jpg` stays under its name: browsers go by the bytes.
    if !photo.renamed {
        url.to_string()
    } else {
        format!("{url}.{}", photo.display.format.ext())
    }
}

/// `events/x/relay.jpg` → `events/x/relay.thumb.jpg`; the display URL when
/// there is no separate thumbnail.
pub fn thumb_url(url: &str, photo: &Photo) -> String {
    match &photo.thumb {
        Some(t) => format!("{}.thumb.{}", stem_of(url), t.format.ext()),
        None => display_url(url, photo),
    }
}

/// `events/x/relay.jpg` → `events/x/relay.original.jpg` (only published
/// when `images.publish_originals` is set).
pub fn original_url(url: &str) -> String {
    let ext = url.rsplit_once('.').map_or("", |(_, e)| e);
    format!("{}.original.{ext}", stem_of(url))
}

fn stem_of(url: &str) -> &str {
    match url.rsplit_once('.') {
        Some((stem, _)) if !stem.ends_with('/') && !stem.is_empty() => stem,
        _ => url,
    }
}

/// A refused photo as an editor reads it: the file, what is wrong, what to do.
pub fn diagnostic(r: &Refused, config: &crate::config::Config) -> Diagnostic {
    let prefix = config.content_prefix();
    let file = format!("{prefix}/{}", r.rel);
    let span = Span {
        file: file.clone().into(),
        line: 1,
        column: 1,
        bytes: 0..0,
    };
    let msg = match &r.why {
        Why::Problem(Problem::Unsupported { format }) => Msg::ImageUnsupported {
            file,
            format: format.clone(),
        },
        Why::Problem(Problem::Corrupt { detail }) => Msg::ImageCorrupt {
            file,
            detail: detail.clone(),
        },
        Why::Problem(Problem::TooManyPixels { width, height }) => Msg::ImageTooManyPixels {
            file,
            width: *width,
            height: *height,
        },
        Why::TooLarge { size, max_mb } => Msg::ImageTooLarge {
            file,
            size_mb: format!("{:.1}", *size as f64 / (1024.0 * 1024.0)),
            max_mb: *max_mb,
        },
        Why::Unreadable(detail) => Msg::ImageUnreadable {
            file,
            detail: detail.clone(),
        },
    };
    Diagnostic::error(Some(span), msg)
}

/// Where the cache lives for a site.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(".unionpress").join("images")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(format: Format, thumb: bool, renamed: bool) -> Photo {
        let v = Variant {
            path: PathBuf::new(),
            format,
            width: 1,
            height: 1,
        };
        Photo {
            display: v.clone(),
            thumb: thumb.then_some(v),
            renamed,
        }
    }

    #[test]
    fn copies_are_named_beside_the_original() {
        let p = photo(Format::Jpeg, true, false);
        assert_eq!(display_url("e/a/relay.JPG", &p), "e/a/relay.JPG");
        assert_eq!(thumb_url("e/a/relay.JPG", &p), "e/a/relay.thumb.jpg");
        assert_eq!(original_url("e/a/relay.JPG"), "e/a/relay.original.JPG");
        let w = photo(Format::Jpeg, false, true);
        assert_eq!(display_url("e/b.webp", &w), "e/b.webp.jpg");
        assert_eq!(thumb_url("e/b.webp", &w), "e/b.webp.jpg");
        // A PNG saved as .jpg and only stripped keeps its name.
        let png = photo(Format::Png, false, false);
        assert_eq!(display_url("e/c.jpg", &png), "e/c.jpg");
    }

    #[test]
    fn heic_and_gif_roles() {
        assert_eq!(role("a/IMG_0001.HEIC"), Role::Unsupported);
        assert_eq!(role("a/anim.gif"), Role::Other);
        assert_eq!(role("a/logo.svg"), Role::Other);
        assert_eq!(role("a/p.jpeg"), Role::Photo);
    }
}
