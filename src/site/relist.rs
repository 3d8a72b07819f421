//! The index's lists made again in place after pages' front matter moved
//! them without changing what they are: a new date, tags, department,
//! pinning or expiry of a page that keeps its URL, its section, its files
//! and its publication. What [`super::index`] derives from the placed pages
//! — pinned and expired marks, each section's order, tags, departments,
//! archives, related pages, the download centre — is derived again, by the
//! same functions (related pages only for the pages sharing a tag with a
//! moved page: the others' cannot change; the tags only put in order again
//! where a moved page is, when no moved page's tags changed), so the
//! result is the index a full build would make; and
//! what was there before is handed back, to compare with (which lists
//! changed) or to put back (when the edit cannot be taken after all).
//!
//! The watcher's quick path uses it ([`crate::build::Session::try_quick`]);
//! deciding which output files the change reaches is rendering's
//! ([`crate::render::moves`]).

use std::collections::HashSet;

use super::{
    Newest, Site, Tag, claim_sections, collect_tags, generated, mark_dates, order_sections,
    schedule, taxonomy,
};
use crate::content::model::PageMeta;
use crate::diagnostics::Diagnostics;

/// What [`relist`] replaced: the lists as the index had them before.
pub struct Before {
    /// Each section's pages, in its order.
    pub sections: Vec<Vec<usize>>,
    pub tags: Vec<Tag>,
    /// Each page's tags (indices into `tags`), for [`restore`]; empty from
    /// [`super::reshape`], whose index is never restored.
    pub page_tags: Vec<Vec<usize>>,
    /// Each page's pinned and expired marks, for [`restore`]; empty from
    /// [`super::reshape`].
    pub marks: Vec<(bool, bool)>,
    pub taxonomy: taxonomy::Taxonomy,
}

/// Whether front matter `new` only moves a page that had `old` within the
/// lists: everything that decides its URL, its section's choice of
/// template, its files and whether it is published is the same, it is
/// still dated (a section's feed needs a dated page) and not after `now`
/// (unless `future`: else it would leave the site).
/// Fields shown only on the page may differ too.
pub fn only_moves(old: &PageMeta, new: &PageMeta, now: jiff::Timestamp, future: bool) -> bool {
    fn text(v: &Option<(String, crate::diagnostics::Span)>) -> Option<&str> {
        v.as_ref().map(|(t, _)| t.as_str())
    }
    fn files(m: &PageMeta) -> impl Iterator<Item = (&String, &Option<String>)> {
        m.attachments.iter().map(|d| (&d.file, &d.title))
    }
    old.draft == new.draft
        && !new.draft
        && old.date.is_some() == new.date.is_some()
        && text(&old.slug) == text(&new.slug)
        && old.kind == new.kind
        && old.template == new.template
        && files(old).eq(files(new))
        && text(&old.cover) == text(&new.cover)
        && (future || !schedule::is_future(new, now))
}

/// Derives the lists again from the pages as they are now, `moved` being
/// the pages whose front matter changed (with it as it was), and returns
/// the ones they replace.
/// Problems found (a new department whose URL a page holds, a tag that
/// gives no file name) go into `diags`, as the full build would report them.
pub fn relist(site: &mut Site, moved: &[(usize, &PageMeta)], diags: &mut Diagnostics) -> Before {
    // The lists' URLs the last build checked; only new ones are checked.
    let checked: HashSet<String> = lists_of(site).urls().into_iter().collect();
    let marks = site.pages.iter().map(|p| (p.pinned, p.expired)).collect();
    // With the same tags written on every moved page, the tags, their
    // names and each page's are what they were: only the lists holding a
    // moved page are put in order again.
    let same_tags = (moved.iter()).all(|(i, then)| then.tags == site.pages[*i].page.meta.tags);
    let page_tags: Vec<Vec<usize>> = match same_tags {
        true => site.pages.iter().map(|p| p.tags.clone()).collect(),
        false => (site.pages.iter_mut())
            .map(|p| std::mem::take(&mut p.tags))
            .collect(),
    };
    let sections = (site.sections.iter_mut())
        .map(|s| std::mem::take(&mut s.pages))
        .collect();
    mark_dates(&mut site.pages, site.options.now, &site.config.timezone);
    let newest = Newest::of(&site.pages);
    order_sections(&mut site.sections, &site.pages, &newest);
    let tags = match same_tags {
        true => {
            let before: Vec<Tag> = (site.tags.iter())
                .map(|t| Tag {
                    name: t.name.clone(),
                    url: t.url.clone(),
                    pages: t.pages.clone(),
                })
                .collect();
            let mut held: Vec<usize> = (moved.iter())
                .flat_map(|(i, _)| site.pages[*i].tags.iter().copied())
                .collect();
            held.sort_unstable();
            held.dedup();
            for t in held {
                newest.sort(&mut site.tags[t].pages);
            }
            before
        }
        false => {
            let tags = collect_tags(&mut site.pages, &newest, diags);
            std::mem::replace(&mut site.tags, tags)
        }
    };
    let claimed = claims(site);
    let related = related(site, &tags, &page_tags, moved, &newest);
    let fresh = taxonomy::with_related(
        &site.pages,
        &site.sections,
        &claimed,
        &newest,
        diags,
        related,
    );
    let taxonomy = std::mem::replace(&mut site.taxonomy, fresh);
    let lists = lists_of(site);
    let added: Vec<String> = (lists.urls().into_iter())
        .filter(|u| !checked.contains(u))
        .collect();
    lists.check_urls(added, &site.assets, diags);
    Before {
        sections,
        tags,
        page_tags,
        marks,
        taxonomy,
    }
}

/// The lists the build writes itself, as `site` has them.
pub(super) fn lists_of(site: &Site) -> generated::Lists<'_> {
    generated::Lists {
        config: &site.config,
        sections: &site.sections,
        pages: &site.pages,
        tags: &site.tags,
        taxonomy: &site.taxonomy,
    }
}

/// Puts back the lists [`relist`] replaced (the pages' front matter is
/// the caller's to put back).
pub fn restore(site: &mut Site, before: Before) {
    for (p, (tags, (pinned, expired))) in
        (site.pages.iter_mut()).zip(before.page_tags.into_iter().zip(before.marks))
    {
        p.tags = tags;
        p.pinned = pinned;
        p.expired = expired;
    }
    for (s, pages) in site.sections.iter_mut().zip(before.sections) {
        s.pages = pages;
    }
    site.tags = before.tags;
    site.taxonomy = before.taxonomy;
}

/// Each page's related pages: as before, but for the pages sharing a tag
/// with a page whose tags or place among equals (date, expiry) changed,
/// before or after the move, whose are found again. Pages sharing none are
/// not candidates for them either way, and the others keep their order
/// among themselves, so their choice stands.
fn related(
    site: &Site,
    old_tags: &[Tag],
    old: &[Vec<usize>],
    moved: &[(usize, &PageMeta)],
    newest: &Newest,
) -> Vec<Vec<usize>> {
    let moved: Vec<usize> = (moved.iter())
        .filter(|(i, then)| {
            let now = &site.pages[*i].page.meta;
            then.tags != now.tags || then.date != now.date || then.expires != now.expires
        })
        .map(|(i, _)| *i)
        .collect();
    let mut related = site.taxonomy.related.clone();
    if moved.is_empty() {
        return related;
    }
    let mut urls: HashSet<&str> = HashSet::new();
    for &m in &moved {
        urls.extend(old[m].iter().map(|&t| old_tags[t].url.as_str()));
        urls.extend(
            site.pages[m]
                .tags
                .iter()
                .map(|&t| site.tags[t].url.as_str()),
        );
    }
    let near: Vec<bool> = site
        .tags
        .iter()
        .map(|t| urls.contains(t.url.as_str()))
        .collect();
    let touched: Vec<usize> = (0..site.pages.len())
        .filter(|&i| moved.contains(&i) || site.pages[i].tags.iter().any(|&t| near[t]))
        .collect();
    for (i, list) in touched
        .iter()
        .zip(taxonomy::related_of(&site.pages, newest, &touched))
    {
        related[*i] = list;
    }
    related
}

/// The URL claims of sections, the build's own lists and pages, as
/// [`super::index`] made them (a build that was written had no clash, so
/// the order of claims does not matter here).
fn claims(site: &Site) -> super::Claims {
    let mut claimed = claim_sections(&site.sections);
    let mut known = Diagnostics::default();
    generated::claim_fixed(&site.config, &site.sections, &mut claimed, &mut known);
    // Which file holds a URL only names it in a message; a move that
    // clashes is left to the full build, which says so.
    for p in &site.pages {
        claimed.insert(p.url.to_lowercase(), "".into());
    }
    claimed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example site's index, as a build makes it.
    fn example_site() -> Site {
        use crate::diagnostics::Sources;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let options = super::super::Options {
            drafts: false,
            future: false,
            now: "2026-11-21T00:00:00Z".parse().unwrap(),
        };
        let (mut diags, mut sources) = (Diagnostics::default(), Sources::default());
        let config = crate::config::load(root, &mut diags, &mut sources).unwrap();
        let (dir, tz) = (config.content_dir(), config.timezone.clone());
        let content = crate::content::load(&dir, root, &tz, &mut diags, &mut sources);
        super::super::index(config, options, content, &mut diags)
    }

    /// A tag's name, URL and pages.
    type Listed = (String, String, Vec<usize>);

    /// The tags as [`collect_tags`] makes them from the pages as they are,
    /// and each page's tags.
    fn tags_made_again(site: &mut Site) -> (Vec<Listed>, Vec<Vec<usize>>) {
        let kept: Vec<Vec<usize>> = (site.pages.iter_mut())
            .map(|p| std::mem::take(&mut p.tags))
            .collect();
        let newest = Newest::of(&site.pages);
        let tags = collect_tags(&mut site.pages, &newest, &mut Diagnostics::default());
        let fresh: Vec<Vec<usize>> = (site.pages.iter_mut())
            .map(|p| std::mem::take(&mut p.tags))
            .collect();
        for (p, t) in site.pages.iter_mut().zip(kept) {
            p.tags = t;
        }
        let tags = tags.into_iter().map(|t| (t.name, t.url, t.pages)).collect();
        (tags, fresh)
    }

    /// On the example site, each page given another page's date, or its
    /// pinning toggled, keeping its tags: the tags [`relist`] leaves (only
    /// the lists holding the page put in order again) are those made again
    /// from every page.
    #[test]
    fn a_move_keeping_its_tags_leaves_the_tags_a_full_index_makes() {
        let mut site = example_site();
        let mut reordered = 0;
        for i in 0..site.pages.len() {
            for how in 0..2 {
                let old = site.pages[i].page.meta.clone();
                let other = site.pages[(i + 5) % site.pages.len()].page.meta.date;
                let meta = std::sync::Arc::make_mut(&mut site.pages[i].page.meta);
                match how {
                    0 => meta.date = other,
                    _ => meta.pinned = !meta.pinned,
                }
                let mut found = Diagnostics::default();
                let before = relist(&mut site, &[(i, &old)], &mut found);
                let (tags, page_tags) = tags_made_again(&mut site);
                let now: Vec<Listed> = (site.tags.iter())
                    .map(|t| (t.name.clone(), t.url.clone(), t.pages.clone()))
                    .collect();
                assert_eq!(now, tags, "page {i}, move {how}");
                let now: Vec<&Vec<usize>> = site.pages.iter().map(|p| &p.tags).collect();
                assert_eq!(now, page_tags.iter().collect::<Vec<_>>(), "page {i}");
                reordered += usize::from(
                    before
                        .tags
                        .iter()
                        .zip(&site.tags)
                        .any(|(a, b)| a.pages != b.pages),
                );
                restore(&mut site, before);
                site.pages[i].page.meta = old;
            }
        }
        // Not vacuous: some moves put a tag's list in another order.
        assert!(reordered > 0);
    }
}
