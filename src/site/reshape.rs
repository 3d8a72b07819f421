//! The index made again when pages come, go or take another URL or
//! publication: a new page file, a deleted one, a renamed one, `draft:` on
//! or off, a new `slug:`. Page numbers shift with such an edit. The
//! common case is patched ([`patch`]): the last index's pages keep all
//! they had, the edited ones are placed as [`super::index`] places a page
//! and put where its order puts them, the lists are made from the pages
//! in the new numbering, and the link map changes only by the edited
//! pages' keys. Anything unusual (a clash of URLs, a missing file, a
//! bundle's folder key taken…) takes the whole index
//! instead: [`super::index`] itself indexes the pages, sections and files
//! of the last index with the edited pages put in, taken out or replaced
//! (related pages are found again only where they can differ:
//! [`related`]). Either way the result is exactly the index a full build
//! makes (with `test-hooks` each patch is checked against the whole
//! index). What the last build kept by page number follows through
//! [`Reshaped::old`], and the last index's lists come back in the new
//! numbering ([`relist::Before`]), to tell which lists show what they
//! showed.
//!
//! The watcher's quick path uses it ([`crate::build::Session::try_quick`]);
//! which files the change reaches is rendering's ([`crate::render::moves`]).
//! Only pages whose own files stay as they are qualify: a bundle with
//! files beside its `index.md` takes the full build (its files' URLs
//! follow the page), and so does any section file.

use std::collections::{HashMap, HashSet};

use rustc_hash::{FxHashMap, FxHashSet};

use super::relist::{Before, lists_of};
use super::taxonomy::{self, Download, Taxonomy};
use super::{Links, Newest, Site, SitePage, SiteSection, Tag, generated, lower, schedule};
use crate::content::model::{Content, Page};
use crate::diagnostics::Diagnostics;

/// One page file as it is now.
#[derive(Clone)]
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
    /// The keys of the link map whose URL changed, came or went.
    pub moved: Vec<String>,
    /// What a patch took from the last index rather than copy it (its
    /// link map, files and photos), with each link key it changed and
    /// that key's URL before: [`Reshaped::give_back`].
    lent: Option<Vec<(String, Option<String>)>>,
}

impl Reshaped {
    /// Gives back to `last` what a patch took from it, as it was, when the
    /// update is not taken after all.
    pub fn give_back(self, last: &mut Site) {
        let Some(keys) = self.lent else { return };
        let mut site = self.site;
        for (key, url) in keys {
            match url {
                Some(url) => site.links.insert(key, url),
                None => site.links.remove(&key),
            };
        }
        last.links = site.links;
        last.assets = site.assets;
        last.photos = site.photos;
    }
}

/// Where a page of the last index that left the site stood in a list.
pub const GONE: usize = usize::MAX;

/// Indexes `last`'s pages, sections and files with `changes` applied, as
/// [`super::index`] does them: patched ([`patch`]) when the change is a
/// common one, made whole otherwise. Problems it finds go into `diags`
/// (a patch finds none: the whole index reports them).
pub fn reshape(last: &mut Site, changes: Vec<Change>, diags: &mut Diagnostics) -> Reshaped {
    #[cfg(feature = "test-hooks")]
    let checked = (CHECKED.load(std::sync::atomic::Ordering::Relaxed))
        .then(|| whole(last, changes.clone(), &mut Diagnostics::default()));
    match patch(last, &changes) {
        Some(patched) => {
            #[cfg(feature = "test-hooks")]
            {
                if let Some(whole) = &checked {
                    same_as_whole(&patched, whole);
                }
                PATCHED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            patched
        }
        None => whole(last, changes, diags),
    }
}

/// With `test-hooks`: how many reshapes were patched, in this process.
#[cfg(feature = "test-hooks")]
static PATCHED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// With `test-hooks`: whether each patch is checked against the whole
/// index (all but a benchmark, which times the patch alone).
#[cfg(feature = "test-hooks")]
static CHECKED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// With `test-hooks` (which the examples are built with, as a
/// dev-dependency): patches are no longer checked against the whole
/// index in this process, so that a benchmark times what `serve` does.
#[cfg(feature = "test-hooks")]
pub fn unchecked() {
    CHECKED.store(false, std::sync::atomic::Ordering::Relaxed);
}

/// With `test-hooks`: how many reshapes were patched so far, in this
/// process (each checked against the whole index).
#[cfg(feature = "test-hooks")]
pub fn patched() -> usize {
    PATCHED.load(std::sync::atomic::Ordering::Relaxed)
}

/// [`reshape`] by indexing every page again.
fn whole(last: &Site, changes: Vec<Change>, diags: &mut Diagnostics) -> Reshaped {
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
        let touched: Vec<&str> = touched.iter().map(String::as_str).collect();
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
    let moved = moved_keys(&last.links, &site.links);
    Reshaped {
        site,
        old,
        changed,
        before,
        moved,
        lent: None,
    }
}

/// The keys of link map `old` whose URL in `new` differs, and those `new`
/// has that `old` lacks.
pub fn moved_keys(old: &Links, new: &Links) -> Vec<String> {
    fn differing<'a>(a: &'a Links, b: &'a Links) -> impl Iterator<Item = &'a String> + 'a {
        (a.iter())
            .filter(move |(k, v)| b.get(k.as_str()) != Some(*v))
            .map(|(k, _)| k)
    }
    (differing(old, new).chain(differing(new, old)))
        .cloned()
        .collect()
}

/// [`reshape`] made from `last` without indexing every page again: the
/// pages it keeps are its own (their URLs, marks, files and link keys
/// stay as they are), each edited page is placed as [`super::index`]
/// places a page and put where the index's order puts it (pages named as
/// copies last, each group in walk order), the sections' lists take it in
/// where their order puts it, and what the index derives from every page
/// (tags, departments, archives, downloads, related pages) is made from
/// the pages in the new numbering. `None` for anything that would be a
/// problem or that this does not follow (a URL taken, a missing file, a
/// link key held by another entry), which the whole index takes and
/// reports.
fn patch(last: &mut Site, changes: &[Change]) -> Option<Reshaped> {
    let (config, options) = (&last.config, &last.options);
    let mut touched: Vec<&str> = Vec::with_capacity(changes.len());
    let mut put: Vec<&Page> = Vec::new();
    for c in changes {
        match c {
            Change::Put(p) => {
                touched.push(&p.rel);
                put.push(p);
            }
            Change::Gone(rel) => touched.push(rel),
        }
    }
    let mut each = touched.clone();
    each.sort_unstable();
    each.dedup();
    if each.len() != touched.len() {
        return None;
    }
    let removed: Vec<usize> = (last.pages.iter().enumerate())
        .filter(|(_, p)| touched.contains(&p.page.rel.as_str()))
        .map(|(i, _)| i)
        .collect();
    // Held back as [`super::hold_back`] holds them, in file order.
    let prefix = config.content_prefix();
    let names: Vec<String> = touched.iter().map(|r| format!("{prefix}/{r}")).collect();
    let mut held_back = last.held_back.clone();
    held_back.drafts.retain(|d| !names.contains(d));
    held_back.scheduled.retain(|d| !names.contains(d));
    let mut published = Vec::new();
    for p in put {
        let future = schedule::is_future(&p.meta, options.now);
        let list = match (p.meta.draft && !options.drafts, future && !options.future) {
            (true, _) => &mut held_back.drafts,
            (false, true) => &mut held_back.scheduled,
            (false, false) => {
                published.push(p.clone());
                continue;
            }
        };
        let name = p.file.display.to_string();
        let at = list.partition_point(|d| walk_order(d, &name).is_lt());
        list.insert(at, name);
    }
    // Placed as the index places a page it did not have.
    let section_of_dir: FxHashMap<&str, usize> = (last.sections.iter().enumerate())
        .map(|(i, s)| (s.section.dir.as_str(), i))
        .collect();
    let mut claimed = super::Claims::default();
    let mut found = Diagnostics::default();
    let files = super::AssetIndex::new(&last.assets);
    let mut fresh: Vec<SitePage> = Vec::with_capacity(published.len());
    for page in published {
        let (mut p, _) = super::place_page(
            page,
            &section_of_dir,
            &last.sections,
            &mut claimed,
            None,
            &mut found,
        )?;
        super::mark_dates(std::slice::from_mut(&mut p), options.now, &config.timezone);
        let (attachments, cover) = super::page_files(&p, &files, &mut found);
        p.attachments = attachments;
        p.cover_url = cover;
        fresh.push(p);
    }
    if found.has_errors() {
        return None;
    }
    // A URL a section, a list of the build's, a file or a page kept holds
    // is the whole index's to report.
    let mut fixed = super::claim_sections(&last.sections);
    generated::claim_fixed(config, &last.sections, &mut fixed, &mut found);
    let kept = |i: usize| removed.binary_search(&i).is_err();
    for p in &fresh {
        let key = lower(&p.url);
        let taken = fixed.contains_key(&*key)
            || last.assets.iter().any(|a| lower(&a.url) == key)
            || (last.pages.iter().enumerate()).any(|(i, q)| kept(i) && lower(&q.url) == key);
        if taken {
            return None;
        }
    }
    // The index's order: pages named as copies last, each group in walk
    // order; the last index's pages are in it already.
    let order = |a: &Page, b: &Page| {
        let copy = |p: &Page| super::looks_like_a_copy(p.default_slug());
        (copy(a).cmp(&copy(b))).then_with(|| walk_order(&a.rel, &b.rel))
    };
    fresh.sort_by(|a, b| order(&a.page, &b.page));
    let at: Vec<usize> = (fresh.iter())
        .map(|p| (last.pages).partition_point(|q| order(&q.page, &p.page).is_lt()))
        .collect();
    let count = last.pages.len() - removed.len() + fresh.len();
    let mut pages: Vec<SitePage> = Vec::with_capacity(count);
    let mut placed: Vec<Option<usize>> = Vec::with_capacity(count);
    let mut new_of = vec![GONE; last.pages.len()];
    let mut changed = Vec::with_capacity(fresh.len());
    let mut fresh = fresh.into_iter().zip(at).peekable();
    for (o, p) in last.pages.iter().enumerate() {
        while let Some((page, _)) = fresh.next_if(|(_, a)| *a <= o) {
            changed.push(pages.len());
            pages.push(page);
            placed.push(None);
        }
        if kept(o) {
            new_of[o] = pages.len();
            // Its tags are numbered again below (room made for them).
            pages.push(SitePage {
                page: p.page.clone(),
                url: p.url.clone(),
                slug: p.slug.clone(),
                section: p.section,
                kind: p.kind,
                pinned: p.pinned,
                expired: p.expired,
                tags: Vec::with_capacity(p.tags.len()),
                attachments: p.attachments.clone(),
                cover_url: p.cover_url.clone(),
            });
            placed.push(Some(o));
        }
    }
    for (page, _) in fresh {
        changed.push(pages.len());
        pages.push(page);
        placed.push(None);
    }
    // An edited page the last index had under the same file is followed
    // to its new number in the last lists, as the whole index does it
    // (what was made from it is made again all the same: [`Reshaped::old`]).
    for &j in &changed {
        let same = (removed.iter()).find(|&&o| last.pages[o].page.rel == pages[j].page.rel);
        if let Some(&o) = same {
            placed[j] = Some(o);
            new_of[o] = j;
        }
    }
    let newest = Newest::of(&pages);
    let mut sections: Vec<SiteSection> = (last.sections.iter())
        .map(|s| SiteSection {
            section: s.section.clone(),
            url: s.url.clone(),
            pages: (s.pages.iter().filter(|&&o| kept(o)))
                .map(|&o| new_of[o])
                .collect(),
        })
        .collect();
    for &j in &changed {
        let s = &mut sections[pages[j].section];
        let sort = s.section.sort;
        let at = (s.pages).partition_point(|&i| super::compare(&pages[i], &pages[j], sort).is_lt());
        s.pages.insert(at, j);
    }
    let tags = super::tags_of(&pages, &newest, &mut found);
    super::mark_tags(&mut pages, &tags);
    let related = related(last, &touched, &pages, &tags, &newest, &placed);
    let taxonomy = taxonomy::with_related(
        &pages,
        &sections,
        &super::Claims::default(),
        &newest,
        &mut found,
        related,
    );
    // The link map: the edited pages' keys out, then in again.
    let keys = |p: &SitePage| {
        let folder = p.page.bundle.then(|| p.page.dir().to_string());
        std::iter::once(p.page.rel.clone()).chain(folder)
    };
    let mut was: Vec<(String, String)> = Vec::new();
    for &o in &removed {
        let p = &last.pages[o];
        for key in keys(p) {
            if last.links.get(&key) != Some(&p.url) || was.iter().any(|(k, _)| *k == key) {
                return None;
            }
            was.push((key, p.url.clone()));
        }
    }
    let mut put: Vec<(String, String)> = Vec::new();
    for &j in &changed {
        let p = &pages[j];
        for key in keys(p) {
            let free = !last.links.contains_key(&key) || was.iter().any(|(k, _)| *k == key);
            if !free || put.iter().any(|(k, _)| *k == key) {
                return None;
            }
            put.push((key, p.url.clone()));
        }
    }
    let moved: Vec<String> = (was.iter().map(|(k, _)| k))
        .chain(put.iter().map(|(k, _)| k))
        .filter(|k| {
            let then = was.iter().find(|(w, _)| w == *k).map(|(_, u)| u);
            let now = put.iter().find(|(p, _)| p == *k).map(|(_, u)| u);
            then != now
        })
        .cloned()
        .collect();
    // Taken from the last index rather than copied (twenty thousand
    // links, the files and photos), and given back should the update
    // not be taken ([`Reshaped::give_back`]).
    let mut links = std::mem::take(&mut last.links);
    let mut lent: Vec<(String, Option<String>)> = Vec::new();
    for (key, url) in was {
        links.remove(&key);
        lent.push((key, Some(url)));
    }
    for (key, url) in put {
        if !lent.iter().any(|(k, _)| *k == key) {
            lent.push((key.clone(), None));
        }
        links.insert(key, url);
    }
    let site = Site {
        config: config.clone(),
        options: options.clone(),
        sections,
        pages,
        tags,
        assets: std::mem::take(&mut last.assets),
        links,
        taxonomy,
        held_back,
        photos: std::mem::take(&mut last.photos),
    };
    let mut patched = Reshaped {
        site,
        old: Vec::new(),
        changed,
        before: renumbered(last, &placed, &new_of),
        moved,
        lent: Some(lent),
    };
    let site = &patched.site;
    let changed = &patched.changed;
    // The lists' URLs: an edited page's against all of them, a list the
    // edit adds against every page, section and file.
    // With the first pages of department lists and archive years, which
    // the whole index checks against the claims of pages and sections.
    let urls = |site: &Site| {
        let tax = &site.taxonomy;
        let years = tax.archives.iter().flat_map(|a| a.years.iter());
        let mut urls = lists_of(site).urls();
        urls.extend(tax.departments.iter().map(|d| d.url.clone()));
        urls.extend(years.map(|y| y.url.clone()));
        urls
    };
    let (then, now) = (urls(last), urls(site));
    let keys: FxHashSet<std::borrow::Cow<str>> = now.iter().map(|u| lower(u)).collect();
    if (changed.iter()).any(|&j| keys.contains(&lower(&site.pages[j].url))) {
        drop(keys);
        patched.give_back(last);
        return None;
    }
    let then: FxHashSet<&str> = then.iter().map(String::as_str).collect();
    let added: Vec<String> = (now.iter())
        .filter(|u| !then.contains(u.as_str()))
        .cloned()
        .collect();
    lists_of(site).check_urls(added, &site.assets, &mut found);
    if found.has_errors() {
        patched.give_back(last);
        return None;
    }
    let mut old = placed;
    for &j in &patched.changed {
        old[j] = None;
    }
    patched.old = old;
    Some(patched)
}

/// With `test-hooks`: a patched index is the whole index, field by field
/// (the link map and the moved keys in any order).
#[cfg(feature = "test-hooks")]
fn same_as_whole(patched: &Reshaped, whole: &Reshaped) {
    let (a, b) = (&patched.site, &whole.site);
    let page = |p: &SitePage| {
        format!(
            "{} {} {} {} {:?} {} {} {:?} {:?} {:?}",
            p.page.rel,
            p.url,
            p.slug,
            p.section,
            p.kind,
            p.pinned,
            p.expired,
            p.tags,
            p.attachments,
            p.cover_url
        )
    };
    let pages = |s: &Site| s.pages.iter().map(page).collect::<Vec<_>>();
    assert_eq!(pages(a), pages(b), "patched pages");
    let lists = |s: &Site| {
        s.sections
            .iter()
            .map(|s| s.pages.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(lists(a), lists(b), "patched sections");
    assert_eq!(
        format!("{:?}", a.tags),
        format!("{:?}", b.tags),
        "patched tags"
    );
    assert_eq!(
        format!("{:?}", a.taxonomy),
        format!("{:?}", b.taxonomy),
        "patched taxonomy"
    );
    // The whole index holds back only the edited pages (the last index's
    // pages are the published ones); a patch keeps the others too.
    let held = |h: &super::HeldBack| [h.drafts.clone(), h.scheduled.clone()];
    for (all, some) in held(&a.held_back).iter().zip(&held(&b.held_back)) {
        assert!(some.iter().all(|d| all.contains(d)), "patched held back");
    }
    fn links(s: &Site) -> Vec<(&String, &String)> {
        let mut l: Vec<(&String, &String)> = s.links.iter().collect();
        l.sort();
        l
    }
    assert_eq!(links(a), links(b), "patched links");
    assert_eq!(patched.old, whole.old, "patched old numbers");
    assert_eq!(patched.changed, whole.changed, "patched changed pages");
    let (x, y) = (&patched.before, &whole.before);
    assert_eq!(x.sections, y.sections, "patched lists before");
    assert_eq!(format!("{:?}", x.tags), format!("{:?}", y.tags));
    assert_eq!(format!("{:?}", x.taxonomy), format!("{:?}", y.taxonomy));
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    assert_eq!(
        sorted(&patched.moved),
        sorted(&whole.moved),
        "patched moved keys"
    );
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
    touched: &[&str],
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
    for p in (last.pages.iter()).filter(|p| touched.contains(&p.page.rel.as_str())) {
        urls.extend(p.tags.iter().map(|&t| last.tags[t].url.as_str()));
    }
    for p in pages
        .iter()
        .filter(|p| touched.contains(&p.page.rel.as_str()))
    {
        urls.extend(p.tags.iter().map(|&t| tags[t].url.as_str()));
    }
    let near: Vec<bool> = tags.iter().map(|t| urls.contains(t.url.as_str())).collect();
    let old: Vec<Option<usize>> = (pages.iter().zip(placed))
        .map(|(p, o)| o.filter(|_| !touched.contains(&p.page.rel.as_str())))
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
