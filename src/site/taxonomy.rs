//! Ways into the pages besides sections and tags: one list per department
//! (发布部门), a year → month archive of each section, the pages related to
//! each page by shared tags, and the download centre listing every
//! attachment of the site.
//!
//! Built from the placed pages at the end of [`super::index`]; it decides
//! lists and their URLs, and leaves how they look to the templates.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{Newest, SitePage, SiteSection, generated, slug};
use crate::diagnostics::Diagnostics;

/// How many related pages a page shows.
pub const RELATED_MAX: usize = 5;

#[derive(Debug, Clone)]
pub struct Department {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Newest first.
    pub pages: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct ArchiveMonth {
    pub month: i8,
    /// Newest first.
    pub pages: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct ArchiveYear {
    pub year: i16,
    pub url: String,
    /// Newest month first.
    pub months: Vec<ArchiveMonth>,
}

impl ArchiveYear {
    pub fn count(&self) -> usize {
        self.months.iter().map(|m| m.pages.len()).sum()
    }
}

/// A section's dated pages by year and month.
#[derive(Debug, Clone)]
pub struct Archive {
    pub section: usize,
    pub url: String,
    /// Newest year first.
    pub years: Vec<ArchiveYear>,
}

/// One attachment of one page, for the download centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Download {
    pub page: usize,
    /// Index into the page's `attachments`.
    pub attachment: usize,
}

#[derive(Debug, Default)]
pub struct Taxonomy {
    /// By name.
    pub departments: Vec<Department>,
    pub archives: Vec<Archive>,
    /// For each page, up to [`RELATED_MAX`] other pages sharing its tags.
    pub related: Vec<Vec<usize>>,
    /// Every attachment, newest page first.
    pub downloads: Vec<Download>,
}

impl Taxonomy {
    /// The department list a page's `department` names, if any.
    pub fn department_of(&self, p: &SitePage) -> Option<&Department> {
        let slug = slug::slugify(p.page.meta.department.as_deref()?)?;
        self.departments.iter().find(|d| d.slug == slug)
    }

    /// The archive of a section, if it has dated pages.
    pub fn archive_of(&self, section: usize) -> Option<&Archive> {
        self.archives.iter().find(|a| a.section == section)
    }
}

/// Builds every list. `claimed` maps URLs taken by pages and sections to
/// the file that took them; a list whose URL is taken is left out, with an
/// error naming the file.
pub fn build(
    pages: &[SitePage],
    sections: &[SiteSection],
    claimed: &super::Claims,
    newest: &Newest,
    diags: &mut Diagnostics,
) -> Taxonomy {
    let related = related(pages, newest);
    with_related(pages, sections, claimed, newest, diags, related)
}

/// [`build`] with each page's related pages given (the watcher's quick
/// path finds those of the few pages a move changes with
/// [`related_of`]).
pub fn with_related(
    pages: &[SitePage],
    sections: &[SiteSection],
    claimed: &super::Claims,
    newest: &Newest,
    diags: &mut Diagnostics,
    related: Vec<Vec<usize>>,
) -> Taxonomy {
    let mut departments = departments(pages, newest, diags);
    let mut free = |url: &str| match claimed.get(&*super::lower(url)) {
        Some(other) if &**other != generated::BY_BUILD => {
            // The list is left out; the page holding its URL is told.
            let holder = pages.iter().find(|p| p.url.eq_ignore_ascii_case(url));
            let span = holder.map(|p| p.slug_or_start_span());
            diags.push(generated::clash(url, span, generated::BY_BUILD, true));
            false
        }
        _ => true,
    };
    departments.retain(|d| free(&d.url));
    let mut archives = archives(pages, sections, newest);
    for a in &mut archives {
        a.years.retain(|y| free(&y.url));
    }
    Taxonomy {
        departments,
        archives,
        related,
        downloads: downloads(pages, newest),
    }
}

fn departments(pages: &[SitePage], newest: &Newest, diags: &mut Diagnostics) -> Vec<Department> {
    // Keyed by slug, as tags are; the first spelling seen names the list.
    // Listed by slug, in the end.
    let mut by_slug: FxHashMap<String, usize> = FxHashMap::default();
    let mut found: Vec<Department> = Vec::new();
    // A few names written thousands of times: each is looked up once, and
    // after that leads straight to its list.
    let mut by_name: FxHashMap<&str, Option<usize>> = FxHashMap::default();
    for (i, p) in pages.iter().enumerate() {
        let Some(name) = p.page.meta.department.as_deref().map(str::trim) else {
            continue;
        };
        let d = *by_name.entry(name).or_insert_with(|| {
            let slug = slug::slugify(name)?;
            let d = by_slug.entry(slug).or_insert_with_key(|slug| {
                found.push(Department {
                    name: name.to_string(),
                    url: generated::department_url(slug),
                    slug: slug.clone(),
                    pages: Vec::new(),
                });
                found.len() - 1
            });
            Some(*d)
        });
        match d {
            Some(d) => found[d].pages.push(i),
            None => super::unusable_name(&p.page, "department", name, diags),
        }
    }
    let mut by_slug: Vec<(String, usize)> = by_slug.into_iter().collect();
    by_slug.sort_unstable();
    let mut found: Vec<Option<Department>> = found.into_iter().map(Some).collect();
    let mut out: Vec<Department> = (by_slug.into_iter())
        .filter_map(|(_, d)| found[d].take())
        .collect();
    for d in &mut out {
        newest.sort(&mut d.pages);
    }
    out
}

fn archives(pages: &[SitePage], sections: &[SiteSection], newest: &Newest) -> Vec<Archive> {
    let mut out = Vec::new();
    for (s, section) in sections.iter().enumerate() {
        let Some(url) = generated::archive_url(section) else {
            continue;
        };
        let mut tree: BTreeMap<i16, BTreeMap<i8, Vec<usize>>> = BTreeMap::new();
        for &i in &section.pages {
            if let Some(d) = pages[i].page.meta.date {
                let day = d.date();
                tree.entry(day.year())
                    .or_default()
                    .entry(day.month())
                    .or_default()
                    .push(i);
            }
        }
        if tree.is_empty() {
            continue;
        }
        let years = tree
            .into_iter()
            .rev()
            .map(|(year, months)| ArchiveYear {
                year,
                url: generated::archive_year_url(section, year),
                months: months
                    .into_iter()
                    .rev()
                    .map(|(month, mut list)| {
                        newest.sort(&mut list);
                        ArchiveMonth { month, pages: list }
                    })
                    .collect(),
            })
            .collect();
        out.push(Archive {
            section: s,
            url,
            years,
        });
    }
    out
}

/// Pages sharing the most tags first; among equals current before expired,
/// then newest.
fn related(pages: &[SitePage], newest: &Newest) -> Vec<Vec<usize>> {
    let tags: Vec<&[usize]> = pages.iter().map(|p| p.tags.as_slice()).collect();
    related_ranked(&tags, &ranks(pages, newest))
}

/// Each page's related pages as a build found them, with exactly what they
/// were found from: every page's tags and its place among equals, the only
/// inputs of [`related`]. The build cache keeps them, so that a build after
/// an edit that moves no page among the others (a body, a summary) takes
/// them back instead of working through every tag set again (at 10,000
/// pages, 135 million instructions of 2,744). The inputs are kept whole,
/// not hashed: comparing them costs as little, and no collision can ever
/// hand a page another's list.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Remembered {
    /// Each page's tags, one after the other; `ends[i]` is where page
    /// `i`'s end.
    tags: Vec<u32>,
    ends: Vec<u32>,
    rank: Vec<u32>,
    /// Each page's related pages, one after the other, as the tags are:
    /// two allocations, not one per page, since the cold build holds them
    /// to its end and its peak memory is close to its limit.
    related: Vec<u32>,
    related_ends: Vec<u32>,
}

impl Remembered {
    /// The related pages of `pages`: those remembered when they were found
    /// from the same tags and places, found now otherwise. Either way
    /// `self` then holds them, with their inputs, for the next build.
    pub fn related(&mut self, pages: &[SitePage], newest: &Newest) -> Vec<Vec<usize>> {
        let tags: Vec<&[usize]> = pages.iter().map(|p| p.tags.as_slice()).collect();
        self.ranked(&tags, ranks(pages, newest))
    }

    /// [`Remembered::related`] on plain data, as [`related_ranked`] takes it.
    fn ranked(&mut self, tags: &[&[usize]], rank: Vec<u32>) -> Vec<Vec<usize>> {
        let mut flat = Vec::with_capacity(self.tags.len());
        let mut ends = Vec::with_capacity(tags.len());
        for t in tags {
            flat.extend(t.iter().map(|&t| t as u32));
            ends.push(flat.len() as u32);
        }
        // Ten thousand pages fit in u32 many times over; a site that did
        // not is never remembered.
        let fits = (tags.len().max(flat.len()) as u64) < u64::from(u32::MAX)
            && tags
                .iter()
                .flat_map(|t| t.iter())
                .all(|&t| t < u32::MAX as usize);
        let same = fits && self.rank == rank && self.ends == ends && self.tags == flat;
        if same && self.related_ends.len() == tags.len() {
            return self
                .lists()
                .map(|list| list.iter().map(|&j| j as usize).collect())
                .collect();
        }
        let related = related_ranked(tags, &rank);
        *self = if fits {
            let mut kept = Vec::with_capacity(related.iter().map(Vec::len).sum());
            let mut related_ends = Vec::with_capacity(related.len());
            for list in &related {
                kept.extend(list.iter().map(|&j| j as u32));
                related_ends.push(kept.len() as u32);
            }
            Remembered {
                tags: flat,
                ends,
                rank,
                related: kept,
                related_ends,
            }
        } else {
            Remembered::default()
        };
        related
    }

    /// Each page's remembered related pages, in page order.
    fn lists(&self) -> impl Iterator<Item = &[u32]> {
        let starts = std::iter::once(0).chain(self.related_ends.iter().copied());
        (starts.zip(&self.related_ends))
            .map(|(from, &to)| self.related.get(from as usize..to as usize).unwrap_or(&[]))
    }
}

/// The related pages of the pages in `only` (in that order), as
/// [`related`] chooses them for the whole site, working through the tag
/// sets of those pages alone.
pub fn related_of(pages: &[SitePage], newest: &Newest, only: &[usize]) -> Vec<Vec<usize>> {
    let tags: Vec<&[usize]> = pages.iter().map(|p| p.tags.as_slice()).collect();
    related_ranked_for(&tags, &ranks(pages, newest), Some(only))
}

/// Each page's place among equals (current before expired, then newest):
/// after this only tag sets and places matter. The newest-first order
/// with the current pages taken out first, without sorting again.
fn ranks(pages: &[SitePage], newest: &Newest) -> Vec<u32> {
    let current = (newest.order.iter()).filter(|&&i| !pages[i].expired);
    let expired = (newest.order.iter()).filter(|&&i| pages[i].expired);
    let mut rank = vec![0u32; pages.len()];
    for (r, &i) in current.chain(expired).enumerate() {
        rank[i] = r as u32;
    }
    rank
}

/// How many distinct tag sets containing one tag are looked at, best-placed
/// first. Sites reuse a few dozen tags in a few hundred combinations, far
/// below this; past it a tag's rarest, oldest combinations are passed over,
/// which keeps related pages linear in the number of pages.
const SETS_PER_TAG: usize = 2000;

/// [`related`] on plain data: each page's tags (sorted, distinct) and its
/// place among equals (`rank`, lower first, all different).
///
/// Pages with the same tag set are interchangeable as candidates: they share
/// the same number of tags with any page, so only each set's best
/// [`RELATED_MAX`] + 1 pages (one more, for the page itself) can ever be
/// chosen. So the work is per pair of tag sets sharing a tag, not per pair of
/// pages — a dozen common tags no longer make it quadratic in the pages.
fn related_ranked(tags: &[&[usize]], rank: &[u32]) -> Vec<Vec<usize>> {
    related_ranked_for(tags, rank, None)
}

/// [`related_ranked`] for the pages in `only` (in that order), or every
/// page: only the sets of those pages are looked through.
fn related_ranked_for(tags: &[&[usize]], rank: &[u32], only: Option<&[usize]>) -> Vec<Vec<usize>> {
    // Tag sets, each with its pages best-placed first.
    let mut set_of: FxHashMap<&[usize], usize> = FxHashMap::default();
    let mut sets: Vec<(&[usize], Vec<usize>)> = Vec::new();
    let mut page_set = vec![usize::MAX; tags.len()];
    for (i, t) in tags.iter().enumerate() {
        if t.is_empty() {
            continue;
        }
        let s = *set_of.entry(t).or_insert_with(|| {
            sets.push((t, Vec::new()));
            sets.len() - 1
        });
        sets[s].1.push(i);
        page_set[i] = s;
    }
    let keep = RELATED_MAX + 1;
    for (_, members) in &mut sets {
        members.sort_unstable_by_key(|&i| rank[i]);
        members.truncate(keep);
    }
    // Tag → the sets containing it, best-placed first, at most SETS_PER_TAG.
    let mut by_tag: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for (s, (t, _)) in sets.iter().enumerate() {
        for &tag in *t {
            by_tag.entry(tag).or_default().push(s);
        }
    }
    for list in by_tag.values_mut() {
        list.sort_unstable_by_key(|&s| rank[sets[s].1[0]]);
        list.truncate(SETS_PER_TAG);
    }
    let mut wanted = vec![only.is_none(); sets.len()];
    for &i in only.into_iter().flatten() {
        if let Some(w) = wanted.get_mut(page_set[i]) {
            *w = true;
        }
    }
    // For each set, the best `keep` pages of all the sets it shares tags with.
    let best: Vec<Vec<usize>> = (0..sets.len())
        .into_par_iter()
        .map_init(
            || (vec![0u32; sets.len()], Vec::new(), Vec::new()),
            |(counts, touched, list), s| {
                if !wanted[s] {
                    return Vec::new();
                }
                for tag in sets[s].0 {
                    for &o in by_tag.get(tag).into_iter().flatten() {
                        if counts[o] == 0 {
                            touched.push(o);
                        }
                        counts[o] += 1;
                    }
                }
                list.clear();
                for &o in touched.iter() {
                    for &j in &sets[o].1 {
                        list.push((u32::MAX - counts[o], rank[j], j));
                    }
                    counts[o] = 0;
                }
                touched.clear();
                if list.len() > keep {
                    list.select_nth_unstable(keep);
                    list.truncate(keep);
                }
                list.sort_unstable();
                // A new, small list: the candidates' buffer is reused (had
                // it been collected in place, each set's few pages would
                // keep its allocation: 100 MB at 10,000 pages).
                list.iter().map(|&(_, _, j)| j).collect()
            },
        )
        .collect();
    let of = |i: usize| match best.get(page_set[i]) {
        None => Vec::new(),
        Some(list) => list
            .iter()
            .copied()
            .filter(|&j| j != i)
            .take(RELATED_MAX)
            .collect(),
    };
    match only {
        Some(only) => only.iter().map(|&i| of(i)).collect(),
        None => (0..tags.len()).map(of).collect(),
    }
}

fn downloads(pages: &[SitePage], newest: &Newest) -> Vec<Download> {
    (newest.order.iter().copied())
        .filter(|&i| !pages[i].attachments.is_empty())
        .flat_map(|page| {
            (0..pages[page].attachments.len()).map(move |attachment| Download { page, attachment })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pair of pages compared: the definition, slowly.
    fn related_by_brute_force(tags: &[&[usize]], rank: &[u32]) -> Vec<Vec<usize>> {
        (0..tags.len())
            .map(|i| {
                let mut list: Vec<(std::cmp::Reverse<usize>, u32, usize)> = (0..tags.len())
                    .filter(|&j| j != i)
                    .filter_map(|j| {
                        let shared = tags[i].iter().filter(|t| tags[j].contains(t)).count();
                        (shared > 0).then_some((std::cmp::Reverse(shared), rank[j], j))
                    })
                    .collect();
                list.sort();
                list.into_iter()
                    .take(RELATED_MAX)
                    .map(|(_, _, j)| j)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn tag_sets_give_the_same_related_pages_as_comparing_every_pair() {
        let mut rng = crate::seeded::Seeded(0x2545_f491_4f6c_dd1d);
        let mut next = |n: u64| rng.below(n as usize);
        for round in 0..20 {
            let n = 50 + next(400);
            let vocabulary = 2 + round;
            let tags: Vec<Vec<usize>> = (0..n)
                .map(|_| {
                    let mut t: Vec<usize> = (0..next(5)).map(|_| next(vocabulary as u64)).collect();
                    t.sort_unstable();
                    t.dedup();
                    t
                })
                .collect();
            let mut rank: Vec<u32> = (0..n as u32).collect();
            for i in (1..n).rev() {
                rank.swap(i, next(i as u64 + 1));
            }
            let tags: Vec<&[usize]> = tags.iter().map(Vec::as_slice).collect();
            assert_eq!(
                related_ranked(&tags, &rank),
                related_by_brute_force(&tags, &rank),
                "round {round}"
            );
        }
    }

    #[test]
    fn the_related_pages_of_a_few_are_those_of_the_whole_site() {
        let mut rng = crate::seeded::Seeded(0x9e37_79b9_7f4a_7c15);
        let mut next = |n: u64| rng.below(n as usize);
        for round in 0..10 {
            let n = 30 + next(200);
            let tags: Vec<Vec<usize>> = (0..n)
                .map(|_| {
                    let mut t: Vec<usize> = (0..next(4)).map(|_| next(6)).collect();
                    t.sort_unstable();
                    t.dedup();
                    t
                })
                .collect();
            let rank: Vec<u32> = (0..n as u32).rev().collect();
            let tags: Vec<&[usize]> = tags.iter().map(Vec::as_slice).collect();
            let all = related_ranked(&tags, &rank);
            let only: Vec<usize> = (0..n).filter(|_| next(4) == 0).collect();
            let some = related_ranked_for(&tags, &rank, Some(&only));
            let expected: Vec<Vec<usize>> = only.iter().map(|&i| all[i].clone()).collect();
            assert_eq!(some, expected, "round {round}");
        }
    }

    /// Remembered related pages are taken back only for the very tags and
    /// places they were found from; any other change finds them again.
    #[test]
    fn remembered_related_pages_stand_only_for_the_same_tags_and_places() {
        let mut rng = crate::seeded::Seeded(0x51ed_2701_a3c4_9b17);
        let mut next = |n: usize| rng.below(n);
        let mut marked = 0;
        for round in 0..20 {
            let n = 20 + next(150);
            let mut tags: Vec<Vec<usize>> = (0..n)
                .map(|_| {
                    let mut t: Vec<usize> = (0..next(4)).map(|_| next(8)).collect();
                    t.sort_unstable();
                    t.dedup();
                    t
                })
                .collect();
            let mut rank: Vec<u32> = (0..n as u32).collect();
            for i in (1..n).rev() {
                rank.swap(i, next(i + 1));
            }
            let found = |tags: &[Vec<usize>], rank: &[u32]| {
                let t: Vec<&[usize]> = tags.iter().map(Vec::as_slice).collect();
                related_ranked(&t, rank)
            };
            let mut memo = Remembered::default();
            let ask = |memo: &mut Remembered, tags: &[Vec<usize>], rank: &[u32]| {
                let t: Vec<&[usize]> = tags.iter().map(Vec::as_slice).collect();
                memo.ranked(&t, rank.to_vec())
            };
            assert_eq!(ask(&mut memo, &tags, &rank), found(&tags, &rank));
            // The same inputs: taken back (a marked list shows it was).
            if let Some(&was) = memo.related.first() {
                memo.related[0] = u32::MAX;
                let back = ask(&mut memo, &tags, &rank);
                let first = back.iter().find(|list| !list.is_empty());
                assert_eq!(first.map(|list| list[0]), Some(u32::MAX as usize));
                memo.related[0] = was;
                marked += 1;
            }
            // One page's tags, or two pages' places, changed: found again.
            let page = next(n);
            if tags[page].contains(&3) {
                tags[page].retain(|&t| t != 3);
            } else {
                tags[page].push(3);
                tags[page].sort_unstable();
            }
            assert_eq!(
                ask(&mut memo, &tags, &rank),
                found(&tags, &rank),
                "round {round}"
            );
            rank.swap(next(n), next(n));
            assert_eq!(
                ask(&mut memo, &tags, &rank),
                found(&tags, &rank),
                "round {round}"
            );
            // A tag moved from one page to the next: the same tags in all,
            // other pages' tags.
            if let Some(i) = (0..n - 1).find(|&i| tags[i].len() == 1 && tags[i + 1].is_empty()) {
                tags.swap(i, i + 1);
                assert_eq!(
                    ask(&mut memo, &tags, &rank),
                    found(&tags, &rank),
                    "round {round}"
                );
            }
            tags.truncate(n - 1);
            rank.retain(|&r| r != n as u32 - 1);
            assert_eq!(
                ask(&mut memo, &tags, &rank),
                found(&tags, &rank),
                "round {round}"
            );
        }
        assert!(
            marked > 10,
            "only {marked} rounds had a related page to mark"
        );
    }

    /// A small site: one to nine pages sharing one tag, so that a page has
    /// fewer, exactly as many, and more candidates than it shows (plus itself).
    #[test]
    fn a_few_pages_sharing_a_tag_list_each_other() {
        for n in 1..10 {
            let tags: Vec<&[usize]> = vec![&[7]; n];
            let rank: Vec<u32> = (0..n as u32).rev().collect();
            let related = related_ranked(&tags, &rank);
            assert_eq!(related, related_by_brute_force(&tags, &rank), "{n} pages");
            assert_eq!(related[0].len(), (n - 1).min(RELATED_MAX), "{n} pages");
        }
    }
}
