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

use super::{Job, Renderer};
use crate::site::Site;
use crate::site::relist::Before;

/// What a page's summary shows of its lists: each tag's name and URL, and
/// its department's list.
fn summary_lists<'a>(
    tags: impl Iterator<Item = &'a crate::site::Tag>,
    department: Option<&'a crate::site::taxonomy::Department>,
) -> (Vec<(&'a str, &'a str)>, Option<&'a str>) {
    (
        tags.map(|t| (t.name.as_str(), t.url.as_str())).collect(),
        department.map(|d| d.url.as_str()),
    )
}

/// The pages whose summary is to be made again after [`relist`]: the
/// moved ones, and those whose tags or department list are not named as
/// they were (the first spelling of a tag names it, so moving the page that
/// spelled it can rename it for all).
///
/// [`relist`]: crate::site::relist::relist
pub fn summaries_to_make(site: &Site, before: &Before, moved: &[usize]) -> Vec<usize> {
    let mut out: Vec<usize> = moved.to_vec();
    for (i, p) in site.pages.iter().enumerate() {
        if moved.contains(&i) {
            continue;
        }
        let then = summary_lists(
            before.page_tags[i].iter().map(|&t| &before.tags[t]),
            before.taxonomy.department_of(p),
        );
        let now = summary_lists(
            p.tags.iter().map(|&t| &site.tags[t]),
            site.taxonomy.department_of(p),
        );
        if then != now {
            out.push(i);
        }
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
