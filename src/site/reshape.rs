//! The index made again when pages come, go or take another URL or
//! publication: a new page file, a deleted one, a renamed one, `draft:` on
//! or off, a new `slug:`. Page numbers shift with such an edit, so nothing
//! is patched in place: [`super::index`] itself indexes the pages, sections
//! and files of the last index with the edited pages put in, taken out or
//! replaced (related pages are found again only where they can differ:
//! [`related`]), so the result is exactly the index a full build makes. What
//! the last build kept by page number follows through [`Reshaped::old`],
//! and the last index's lists come back in the new numbering
//! ([`relist::Before`]), to tell which lists show what they showed.
//!
//! The watcher's quick path uses it ([`crate::build::Session::try_quick`]);
//! which files the change reaches is rendering's ([`crate::render::moves`]).
//! Only pages whose own files stay as they are qualify: a bundle with
//! files beside its `index.md` takes the full build (its files' URLs
//! follow the page), and so does any section file.

use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;

use super::relist::Before;
use super::taxonomy::{self, Download, Taxonomy};
use super::{Newest, Site, SitePage, Tag};
use crate::content::model::{Content, Page};
use crate::diagnostics::Diagnostics;

/// One page file as it is now.
pub enum Change {
    /// Written: new, edited, renamed to here, or a draft (which the index
    /// holds back like any other).
    Put(Page),
    /// Gone from `content/` (deleted, or renamed away): its path.
    Gone(String),
}

/// The index made again, and how it relates to the last one.
pub struct Reshaped {
    pub site: Site,
    /// For each page of `site`, its number in the last index when it was
    /// there with the same file.
    pub old: Vec<Option<usize>>,
    /// The pages of `site` that changed (new, or their file edited).
    pub changed: Vec<usize>,
    /// The last index's lists, in the numbering of `site`; a page that is
    /// no longer published is [`GONE`].
    pub before: Before,
}

/// Where a page of the last index that left the site stood in a list.
pub const GONE: usize = usize::MAX;

/// Indexes `last`'s pages, sections and files with `changes` applied, as
/// [`super::index`] does them. Problems it finds go into `diags`.
pub fn reshape(last: &Site, changes: Vec<Change>, diags: &mut Diagnostics) -> Reshaped {
    let mut put: HashMap<String, Page> = HashMap::new();
    let mut touched: Vec<String> = Vec::new();
    for c in changes {
        match c {
            Change::Put(p) => {
                touched.push(p.rel.clone());
                put.insert(p.rel.clone(), p);
            }
            Change::Gone(rel) => touched.push(rel),
        }
    }
    // Made at its size: collected through the filter, the list of ten
    // thousand pages grew by doubling, each time copied whole.
    let mut pages: Vec<Page> = Vec::with_capacity(last.pages.len() + put.len());
    pages.extend(
        (last.pages.iter())
            .filter(|p| !touched.contains(&p.page.rel))
            .map(|p| p.page.clone()),
    );
    pages.extend(put.into_values());
    // The order the content folder is walked in: by name, folder by
    // folder (`a/b.md` before `a.md`), which the index's order starts from.
    // Compared as bytes with `/` made the lowest (no path holds a NUL), the
    // order of comparing part by part, without splitting at each compare.
    // The last index's pages are nearly in that order already (files
    // named as copies come last), the edited ones after them: a stable
    // sort takes them as the runs they are, without a key made per page.
    pages.sort_by(|a, b| walk_order(&a.rel, &b.rel));
    let content = Content {
        sections: last.sections.iter().map(|s| s.section.clone()).collect(),
        pages,
        assets: last.assets.iter().map(|a| a.asset.clone()).collect(),
        unreadable: Vec::new(),
    };
    // The last index's pages by file (FxHash: ten thousand paths, looked
    // up for every page twice on every reshape).
    let by_rel: FxHashMap<&str, usize> = (last.pages.iter().enumerate())
        .map(|(i, p)| (p.page.rel.as_str(), i))
        .collect();
    // Which page was which is found once: the pages the related pages are
    // found among are the new index's, in its order. A `OnceLock`: the
    // related pages are found on one of rayon's threads.
    let was = std::sync::OnceLock::new();
    let related = |pages: &[SitePage], tags: &[Tag], newest: &Newest| {
        let placed = was.get_or_init(|| placed(&by_rel, pages));
        related(last, &touched, pages, tags, newest, placed)
    };
    let page = |p: &Page| by_rel.get(p.rel.as_str()).map(|&i| &last.pages[i]);
    let again = super::Again {
        related: &related,
        page: &page,
    };
    let (config, options) = (last.config.clone(), last.options.clone());
    let mut site = super::index_with(config, options, content, diags, Some(again));
    // The photos are the last build's (the files are the same), and so
    // are the links to their display copies.
    site.photos = last.photos.clone();
    for a in &site.assets {
        if let Some(photo) = site.photos.by_rel.get(&a.asset.rel) {
            site.links.insert(
                a.asset.rel.clone(),
                crate::images::display_url(&a.url, photo),
            );
        }
    }
    let placed = was
        .into_inner()
        .unwrap_or_else(|| placed(&by_rel, &site.pages));
    let changed: Vec<usize> = (0..site.pages.len())
        .filter(|&j| placed[j].is_none() || touched.contains(&site.pages[j].page.rel))
        .collect();
    let old: Vec<Option<usize>> = (placed.iter().enumerate())
        .map(|(j, o)| o.filter(|_| !changed.contains(&j)))
        .collect();
    let mut new_of = vec![GONE; last.pages.len()];
    for (j, o) in placed.iter().enumerate() {
        if let Some(o) = o {
            new_of[*o] = j;
        }
    }
    let before = renumbered(last, &placed, &new_of);
    Reshaped {
        site,
        old,
        changed,
        before,
    }
}

/// The walk order of two content paths: their bytes with `/` below every
/// other.
fn walk_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn key(s: &str) -> impl Iterator<Item = u8> + '_ {
        (s.bytes()).map(|c| if c == b'/' { 0 } else { c })
    }
    key(a).cmp(key(b))
}

/// Each page's related pages in the new index (`pages`, `tags`): found
/// again for the pages sharing a tag with a page that changed (as it was
/// or as it is) and for those pages themselves; the others keep theirs
/// from `last`, renumbered. A page sharing no tag with a changed page has
/// it among its candidates neither before nor after, and the others keep
/// their order among themselves, so its choice stands (as after a move,
/// [`super::relist`]).
fn related(
    last: &Site,
    touched: &[String],
    pages: &[SitePage],
    tags: &[Tag],
    newest: &Newest,
    placed: &[Option<usize>],
) -> Vec<Vec<usize>> {
    let mut new_of = vec![GONE; last.pages.len()];
    for (j, o) in placed.iter().enumerate() {
        if let Some(o) = o {
            new_of[*o] = j;
        }
    }
    let mut urls: HashSet<&str> = HashSet::new();
    for p in last.pages.iter().filter(|p| touched.contains(&p.page.rel)) {
        urls.extend(p.tags.iter().map(|&t| last.tags[t].url.as_str()));
    }
    for p in pages.iter().filter(|p| touched.contains(&p.page.rel)) {
        urls.extend(p.tags.iter().map(|&t| tags[t].url.as_str()));
    }
    let near: Vec<bool> = tags.iter().map(|t| urls.contains(t.url.as_str())).collect();
    let old: Vec<Option<usize>> = (pages.iter().zip(placed))
        .map(|(p, o)| o.filter(|_| !touched.contains(&p.page.rel)))
        .collect();
    let mut related: Vec<Vec<usize>> = vec![Vec::new(); pages.len()];
    let mut again = Vec::new();
    for (j, p) in pages.iter().enumerate() {
        let kept = old[j]
            .filter(|_| !p.tags.iter().any(|&t| near[t]))
            .and_then(|o| renumber(&last.taxonomy.related[o], &new_of));
        match kept {
            Some(list) => related[j] = list,
            None => again.push(j),
        }
    }
    for (j, list) in again
        .iter()
        .zip(taxonomy::related_of(pages, newest, &again))
    {
        related[*j] = list;
    }
    related
}

/// `list` in the new numbering; `None` when one of its pages is gone.
/// Made at its size: collected as an `Option`, each page's list started
/// at four and grew to hold five, for every page on every reshape.
fn renumber(list: &[usize], new_of: &[usize]) -> Option<Vec<usize>> {
    let mut out = Vec::with_capacity(list.len());
    for &r in list {
        let j = new_of[r];
        if j == GONE {
            return None;
        }
        out.push(j);
    }
    Some(out)
}

/// For each of `pages`, its number in the last index (whose pages
/// `by_rel` numbers by file) when it holds the same file.
fn placed(by_rel: &FxHashMap<&str, usize>, pages: &[SitePage]) -> Vec<Option<usize>> {
    (pages.iter())
        .map(|p| by_rel.get(p.page.rel.as_str()).copied())
        .collect()
}

/// The lists of `last` with its page numbers turned into `new_of`'s.
fn renumbered(last: &Site, placed: &[Option<usize>], new_of: &[usize]) -> Before {
    let map = |pages: &[usize]| -> Vec<usize> { pages.iter().map(|&i| new_of[i]).collect() };
    let by_new = |f: &dyn Fn(usize) -> Vec<usize>| -> Vec<Vec<usize>> {
        placed
            .iter()
            .map(|o| o.map(f).unwrap_or_default())
            .collect()
    };
    let tax = &last.taxonomy;
    let mut departments = tax.departments.clone();
    for d in &mut departments {
        d.pages = map(&d.pages);
    }
    let mut archives = tax.archives.clone();
    for m in archives
        .iter_mut()
        .flat_map(|a| a.years.iter_mut())
        .flat_map(|y| y.months.iter_mut())
    {
        m.pages = map(&m.pages);
    }
    let downloads = (tax.downloads.iter())
        .map(|d| Download {
            page: new_of[d.page],
            ..*d
        })
        .collect();
    Before {
        sections: last.sections.iter().map(|s| map(&s.pages)).collect(),
        tags: (last.tags.iter())
            .map(|t| Tag {
                name: t.name.clone(),
                url: t.url.clone(),
                pages: map(&t.pages),
            })
            .collect(),
        // Read only to put a relisted index back ([`super::relist::restore`]),
        // which a reshaped one never is: ten thousand lists not copied.
        page_tags: Vec::new(),
        marks: Vec::new(),
        taxonomy: Taxonomy {
            departments,
            archives,
            related: by_new(&|o| map(&tax.related[o])),
            downloads,
        },
    }
}
