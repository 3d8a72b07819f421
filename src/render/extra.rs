//! Files the build writes that no template renders: the search index, the
//! Atom feeds and the sitemap. They are made once a build from the site and
//! the rendered Markdown, and written through the same jobs as pages
//! ([`super::Job::File`]) but not through a template: a prepared file is
//! [`super::Made::File`], fingerprinted by its contents' hash and written
//! from a borrow of them, so staging, change detection and the watcher treat
//! it like any other output file without copying it.

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

/// A hash of a file's contents, for change detection (xxh3: the index is
/// tens of megabytes at 10,000 pages and is hashed on every rebuild).
pub fn hash(contents: &str) -> u64 {
    super::fingerprint::of_bytes(contents.as_bytes())
}
