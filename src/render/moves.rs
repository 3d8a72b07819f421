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
//! differ, and renders those whose fingerprint differs from what it last
//! wrote — the same comparison the full build makes, so the set is exact.
//! Lists that show exactly what they showed (the same entries on the same
//! list page of a list as long as before, none with a new summary) are not
//! even candidates: what is compared for them mirrors what
//! [`Renderer::prepare`] puts in each list's context.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::fingerprint::Known;
use super::{Job, Renderer, paginate};
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use crate::site::Tag;
use crate::site::relist::Before;
use crate::site::taxonomy::{Archive, Department};

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

/// What the output holds as last written: each file's fingerprint and
/// hash by URL, and the globals' fingerprint the files were made with.
pub struct Written<'a> {
    pub jobs: &'a rustc_hash::FxHashMap<String, u64>,
    pub outputs: &'a rustc_hash::FxHashMap<String, u64>,
    pub globals: u64,
}

/// Whether page `n` of a list shows what it showed: as many entries in all
/// (its count and page links), the same ones on this page, and none of them
/// with a summary made again.
fn page_as_before<T: PartialEq>(
    then: &[T],
    now: &[T],
    n: usize,
    size: usize,
    remade: &[usize],
    page_of: impl Fn(&T) -> usize,
) -> bool {
    let shown = paginate::slice(now, n, size);
    then.len() == now.len()
        && paginate::slice(then, n, size) == shown
        && !shown.iter().any(|x| remade.contains(&page_of(x)))
}

/// Whether a section's archive shows what it showed: the same years and
/// months holding the same pages, none with a summary made again.
fn archive_as_before(then: Option<&Archive>, now: &Archive, remade: &[usize]) -> bool {
    let Some(then) = then else { return false };
    then.url == now.url
        && then.years.len() == now.years.len()
        && then.years.iter().zip(&now.years).all(|(a, b)| {
            a.year == b.year
                && a.url == b.url
                && a.months.len() == b.months.len()
                && a.months.iter().zip(&b.months).all(|(x, y)| {
                    x.month == y.month
                        && x.pages == y.pages
                        && !y.pages.iter().any(|p| remade.contains(p))
                })
        })
}

impl Renderer<'_> {
    /// The candidates of a move: every list of the site as it is now
    /// (home, sections, tags, departments, archives, downloads, 404…) but
    /// those that show what they showed before it — the same entries on the
    /// same list page of a list as long as it was, with the same name, none
    /// of them among the `remade` summaries — and the `pages` themselves.
    /// What is compared here mirrors what [`Renderer::prepare`] puts in
    /// each list's context. Files made whole (search index, feeds) are not
    /// among them.
    pub fn jobs_after_move(&self, before: &Before, remade: &[usize], pages: &[usize]) -> Vec<Job> {
        let site = self.site;
        let tax = &site.taxonomy;
        let size = paginate::size(site, None);
        let tags: HashMap<&str, &Tag> = before.tags.iter().map(|t| (t.url.as_str(), t)).collect();
        let departments: HashMap<&str, &Department> = (before.taxonomy.departments.iter())
            .map(|d| (d.url.as_str(), d))
            .collect();
        let same = |job: &Job| match *job {
            Job::SectionList(s, n) => {
                let archive =
                    |t: &crate::site::taxonomy::Taxonomy| t.archive_of(s).map(|a| a.url.clone());
                archive(&before.taxonomy) == archive(tax)
                    && page_as_before(
                        &before.sections[s],
                        &site.sections[s].pages,
                        n,
                        paginate::size(site, Some(s)),
                        remade,
                        |&i| i,
                    )
            }
            Job::Tag(t, n) => {
                let now = &site.tags[t];
                tags.get(now.url.as_str()).is_some_and(|then| {
                    then.name == now.name
                        && page_as_before(&then.pages, &now.pages, n, size, remade, |&i| i)
                })
            }
            Job::Department(d, n) => {
                let now = &tax.departments[d];
                departments.get(now.url.as_str()).is_some_and(|then| {
                    then.name == now.name
                        && page_as_before(&then.pages, &now.pages, n, size, remade, |&i| i)
                })
            }
            Job::Archive(a) | Job::ArchiveYear(a, _) => {
                let now = &tax.archives[a];
                archive_as_before(before.taxonomy.archive_of(now.section), now, remade)
            }
            Job::Downloads(n) => page_as_before(
                &before.taxonomy.downloads,
                &tax.downloads,
                n,
                size,
                remade,
                |d| d.page,
            ),
            _ => false,
        };
        let mut jobs: Vec<Job> = (self.jobs().into_iter())
            .filter(|j| !matches!(j, Job::Page(_) | Job::File(_)) && !same(j))
            .collect();
        jobs.extend(pages.iter().map(|&i| Job::Page(i)));
        jobs
    }
}

impl Renderer<'_> {
    /// After a move: the candidates ([`Renderer::jobs_after_move`] of the
    /// pages [`pages_reached`]) whose fingerprint differs from what was last
    /// written, rendered, with their URL and new fingerprint; all of them or
    /// the first failure. `hashes` are the fingerprints of the summaries.
    pub fn render_moved(
        &self,
        before: &Before,
        remade: &[usize],
        hashes: &[u64],
        last: &Written,
    ) -> Result<Vec<(String, Vec<u8>, u64)>, Diagnostic> {
        let reached = pages_reached(self.site, before, remade);
        self.render_differing(self.jobs_after_move(before, remade, &reached), hashes, last)
    }

    /// Those of `jobs` whose fingerprint differs from what was last
    /// written (or whose file was not written), rendered, with their URL
    /// and new fingerprint; all of them or the first failure. `hashes` are
    /// the fingerprints of the summaries. As bytes: they are only hashed
    /// and written, and making each a `String` checked every byte of
    /// hundreds of list pages once more on the way to the reload.
    pub(super) fn render_differing(
        &self,
        jobs: Vec<Job>,
        hashes: &[u64],
        last: &Written,
    ) -> Result<Vec<(String, Vec<u8>, u64)>, Diagnostic> {
        let mut known = Known::default();
        for (v, &h) in self.summaries.iter().zip(hashes) {
            known.insert(v, h);
        }
        let made: Vec<Option<(String, Vec<u8>, u64)>> = (jobs.into_par_iter())
            .map(|job| {
                let p = self.prepare_job(job)?;
                let fp = p.fingerprint(last.globals, &known);
                if last.jobs.get(&p.url) == Some(&fp) && last.outputs.contains_key(&p.url) {
                    return Ok(None);
                }
                let html = self.render_bytes(&p)?.into_owned();
                Ok(Some((p.url, html, fp)))
            })
            .collect::<Result<_, Diagnostic>>()?;
        Ok(made.into_iter().flatten().collect())
    }

    /// The URL of every list the site has now, to tell which files of the
    /// last build it no longer makes.
    pub fn list_urls(&self) -> Vec<String> {
        (self.jobs().into_iter())
            .filter(|j| !matches!(j, Job::Page(_) | Job::File(_)))
            .map(|j| self.url(j))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::super::fingerprint::{Known, of_value};
    use super::super::{Job, Renderer, context, markdown};
    use super::summaries_to_make;
    use crate::diagnostics::Diagnostics;
    use crate::site::relist;

    /// Every list's fingerprint as the full build computes it, by URL.
    fn lists(r: &Renderer) -> HashMap<String, u64> {
        let mut known = Known::default();
        for v in &r.summaries {
            known.insert(v, of_value(v, &Known::default()));
        }
        (r.jobs().into_iter())
            .filter(|j| !matches!(j, Job::Page(_) | Job::File(_)))
            .map(|j| {
                let p = r.prepare_job(j).unwrap();
                (p.url.clone(), p.fingerprint(0, &known))
            })
            .collect()
    }

    /// On the example site (sections, tags, departments, archives,
    /// downloads, pinned notices, photo news), each page given another
    /// page's date, other tags, or pinning toggled: every list that
    /// [`Renderer::jobs_after_move`] leaves out has the fingerprint it had,
    /// so the quick path may leave it as it is.
    #[test]
    fn a_list_left_out_of_a_moves_candidates_is_as_it_was() {
        let (mut site, templates) = super::super::example_site();
        let (bodies, _) = markdown(&site);
        let r = Renderer::new(&site, &templates, &bodies, Vec::new(), Vec::new());
        let then = lists(&r);
        let summaries = r.summaries;
        let (mut skipped, mut candidates) = (0, 0);
        for i in 0..site.pages.len() {
            for how in 0..3 {
                let old = site.pages[i].page.meta.clone();
                let other = site.pages[(i + 7) % site.pages.len()].page.meta.date;
                let meta = std::sync::Arc::make_mut(&mut site.pages[i].page.meta);
                match how {
                    0 => meta.date = other,
                    1 => meta.tags = vec!["职代会".into(), format!("新标签{}", i % 2)],
                    _ => meta.pinned = !meta.pinned,
                }
                let mut found = Diagnostics::default();
                let before = relist::relist(&mut site, &[(i, &old)], &mut found);
                let remade = summaries_to_make(&site, &before, &[i]);
                let mut now = summaries.clone();
                for &j in &remade {
                    now[j] = context::page_summary(&site, &site.pages[j], &bodies.pages[j]);
                }
                let r = Renderer {
                    site: &site,
                    templates: &templates,
                    bodies: &bodies,
                    summaries: now,
                    later: None,
                    extra: Default::default(),
                };
                let chosen: HashSet<String> = (r.jobs_after_move(&before, &remade, &[]))
                    .into_iter()
                    .map(|j| r.url(j))
                    .collect();
                for (url, fp) in lists(&r) {
                    if chosen.contains(&url) {
                        candidates += 1;
                    } else {
                        skipped += 1;
                        assert_eq!(then.get(&url), Some(&fp), "page {i}, move {how}: {url}");
                    }
                }
                relist::restore(&mut site, before);
                site.pages[i].page.meta = old;
            }
        }
        // Not vacuous: most lists are left out, some are not.
        assert!(
            skipped > candidates && candidates > 0,
            "{skipped} {candidates}"
        );
    }
}
