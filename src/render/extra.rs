//! Files the build writes that no template renders: the search index, the
//! Atom feeds and the sitemap. They are made once a build from the site and
//! the rendered Markdown (the search index by [`crate::search`], a floor
//! above this one, which hands its files in), and written through the same
//! jobs as pages
//! ([`super::Job::File`]) but not through a template: a prepared file is
//! [`super::Made::File`], fingerprinted by its contents' hash and written
//! from a borrow of them, so staging, change detection and the watcher treat
//! it like any other output file without copying it.
//!
//! A build from the build cache makes again only the search index files
//! that changed; the others are [`Extra::kept`], known by their hash, and
//! kept as the output holds them (or, where it does not, made by the
//! index again: see `build/quick.rs`).

use super::{Bodies, feeds};
use crate::site::Site;

#[derive(Debug, Default)]
pub struct Extra {
    /// Root-relative URL and contents.
    pub files: Vec<(String, String)>,
    /// Files of the search index not made again: URL and [`hash`] of the
    /// contents the last build wrote. They come after [`Extra::files`] in
    /// the numbering of [`super::Job::File`].
    pub kept: Vec<(String, u64)>,
    /// How many feeds were written; `None` when `base_url` is not set.
    pub feeds: Option<usize>,
}

/// The search index's `files` with the feeds and sitemap added.
pub fn build(site: &Site, bodies: &Bodies, mut files: Vec<(String, String)>) -> Extra {
    let feeds = feeds::build(site, bodies);
    let feed_count = feeds.map(|f| {
        let n = f
            .iter()
            .filter(|(u, _)| u.ends_with(feeds::SITE_FEED))
            .count();
        files.extend(f);
        n
    });
    Extra {
        files,
        kept: Vec::new(),
        feeds: feed_count,
    }
}

impl Extra {
    /// How many files, made and kept.
    pub fn count(&self) -> usize {
        self.files.len() + self.kept.len()
    }

    /// The URL of file `i` (see [`Extra::kept`]).
    pub fn url(&self, i: usize) -> &str {
        match self.files.get(i) {
            Some((url, _)) => url,
            None => &self.kept[i - self.files.len()].0,
        }
    }

    /// The [`hash`] of file `i`'s contents.
    pub fn hash_of(&self, i: usize) -> u64 {
        match self.files.get(i) {
            Some((_, contents)) => hash(contents),
            None => self.kept[i - self.files.len()].1,
        }
    }

    /// File `i`'s contents; `None` for a kept one.
    pub fn contents(&self, i: usize) -> Option<&str> {
        self.files.get(i).map(|(_, contents)| contents.as_str())
    }
}

/// A hash of a file's contents, for change detection (xxh3: the index is
/// tens of megabytes at 10,000 pages and is hashed on every rebuild).
pub fn hash(contents: &str) -> u64 {
    super::fingerprint::of_bytes(contents.as_bytes())
}
