//! Which output files an edit that moves pages within the lists reaches: a
//! new date, tags, department, pinning or expiry, once the index's lists
//! are made again ([`crate::site::relist`]).
//!
//! A moved page leaves some lists and joins others, shifts every entry
//! between its old and new place across list pages, changes counts, may
//! empty a tag or fill a new one, and changes the related pages of pages
//! sharing its old or new tags. Rather than follow each of these, the
//! watcher's quick path takes as candidates every list of the site (a few
//! hundred at 10,000 pages) and the pages found here whose own file can
//! differ, and keeps those whose fingerprint differs from what it last
//! wrote — the same comparison the full build makes, so the set is exact.

use std::collections::HashSet;

use super::{Job, Renderer};
use crate::site::Site;
use crate::site::relist::Before;

/// The pages whose summary is to be made again after [`relist`]: the
/// moved ones, and those carrying a tag whose name changed (the first
/// spelling of a tag names it, so moving the page that spelled it renames
/// it for all). Nothing else in another page's summary depends on the
/// lists: its tags' URLs come from their names, and its department's list
/// stays while the page is in it (a department list whose URL a page holds
/// is an error, which the quick path leaves to the full build).
///
/// [`relist`]: crate::site::relist::relist
pub fn summaries_to_make(site: &Site, before: &Before, moved: &[usize]) -> Vec<usize> {
    let renamed: HashSet<&str> = (site.tags.iter())
        .filter(|t| (before.tags.iter()).any(|b| b.url == t.url && b.name != t.name))
        .map(|t| t.url.as_str())
        .collect();
    let mut out: Vec<usize> = moved.to_vec();
    if !renamed.is_empty() {
        out.extend((0..site.pages.len()).filter(|i| {
            !moved.contains(i)
                && (site.pages[*i].tags.iter())
                    .any(|&t| renamed.contains(site.tags[t].url.as_str()))
        }));
    }
    out
}

/// The pages whose own file can differ: those whose summary was made again
/// (`remade`), those whose related pages are others than before, and those
/// naming one of `remade` as related. Each once, in page order.
pub fn pages_reached(site: &Site, before: &Before, remade: &[usize]) -> Vec<usize> {
    let related = &site.taxonomy.related;
    (0..site.pages.len())
        .filter(|&j| {
            remade.contains(&j)
                || before.taxonomy.related.get(j) != related.get(j)
                || related[j].iter().any(|r| remade.contains(r))
        })
        .collect()
}

impl Renderer<'_> {
    /// The candidates of a move: every list of the site as it is now (home,
    /// sections, tags, departments, archives, downloads, 404…), and the
    /// `pages` themselves. Files made whole (search index, feeds) are not
    /// among them.
    pub fn jobs_after_move(&self, pages: &[usize]) -> Vec<Job> {
        let mut jobs: Vec<Job> = (self.jobs().into_iter())
            .filter(|j| !matches!(j, Job::Page(_) | Job::File(_)))
            .collect();
        jobs.extend(pages.iter().map(|&i| Job::Page(i)));
        jobs
    }
}
