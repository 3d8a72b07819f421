//! Files the build writes that no template renders: the search index, the
//! Atom feeds and the sitemap. They are made once a build from the site and
//! the rendered Markdown, and written through the same jobs as pages
//! ([`super::Job::File`]), so staging, change detection and the watcher
//! treat them like any other output file.

use super::{Bodies, feeds};
use crate::search;
use crate::site::Site;

#[derive(Debug, Default)]
pub struct Extra {
    /// Root-relative URL and contents.
    pub files: Vec<(String, String)>,
    pub search: search::Stats,
    /// How many feeds were written; `None` when `base_url` is not set.
    pub feeds: Option<usize>,
}

pub fn build(site: &Site, bodies: &Bodies, cache: &mut search::Cache) -> Extra {
    let (index, feeds) = rayon::join(
        || search::build(site, &bodies.pages, cache),
        || feeds::build(site, bodies),
    );
    let mut files = index.files;
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
        search: index.stats,
        feeds: feed_count,
    }
}

impl Extra {
    /// The contents of the file a [`super::Job::File`] was prepared with,
    /// borrowed: the search index is tens of megabytes.
    pub fn contents(&self, values: &[(&'static str, tera::Value)]) -> &str {
        values
            .iter()
            .find(|(k, _)| *k == "file")
            .and_then(|(_, v)| v.as_u64())
            .and_then(|i| self.files.get(i as usize))
            .map_or("", |(_, body)| body.as_str())
    }
}

/// A hash of a file's contents, for change detection (xxh3: the index is
/// tens of megabytes at 10,000 pages and is hashed on every rebuild).
pub fn hash(contents: &str) -> u64 {
    super::fingerprint::of_bytes(contents.as_bytes())
}

/// A stand-in template name for [`super::Job::File`]: no file can have it.
pub const TEMPLATE: &str = "\0file";
