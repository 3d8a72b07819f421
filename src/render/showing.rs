//! Which files show a page: the page itself and every list that carries
//! its summary — the home page's blocks, the page of its section's list,
//! of each of its tags' and its department's lists and of its archive year
//! that holds it, the download centre's rows for its attachments, and the
//! pages that name it as related.
//!
//! The watcher's quick path renders these right after an edit that leaves
//! the page in place (a title, a summary, the text), and updates the search
//! index with them, so that the lists reach the browser with the page
//! instead of after the full build; the full build that always follows
//! still compares every file. What is here mirrors what
//! [`Renderer::prepare`](super::Renderer) puts in each context; a test
//! holds the two together by looking for each page's summary in every
//! context of the example site.

use super::{Job, Renderer, paginate};

/// The 1-based number of the list page that shows `page` in `list`.
fn list_page(list: &[usize], page: usize, size: usize) -> Option<usize> {
    let at = list.iter().position(|&p| p == page)?;
    Some(at / size.max(1) + 1)
}

impl Renderer<'_> {
    /// Every job whose context holds the summary of one of `pages`,
    /// including the pages themselves; each job once, in a fixed order.
    pub fn jobs_showing(&self, pages: &[usize]) -> Vec<Job> {
        let mut jobs = Vec::new();
        let mut home = false;
        for &i in pages {
            jobs.push(Job::Page(i));
            home |= self.on_home(i);
            self.lists_showing(i, &mut jobs);
        }
        if home {
            jobs.push(Job::Home);
        }
        let related = &self.site.taxonomy.related;
        jobs.extend(
            (0..related.len())
                .filter(|&j| related[j].iter().any(|r| pages.contains(r)))
                .map(Job::Page),
        );
        let mut seen = std::collections::HashSet::new();
        jobs.retain(|j| seen.insert(*j));
        jobs
    }

    fn on_home(&self, i: usize) -> bool {
        let section = self.site.pages[i].section;
        self.pinned().contains(&i)
            || self.photo_news().contains(&i)
            || (!self.site.sections[section].section.dir.is_empty()
                && self.latest(section).contains(&i))
    }

    /// The paginated and archive lists that show page `i`.
    fn lists_showing(&self, i: usize, jobs: &mut Vec<Job>) {
        let site = self.site;
        let tax = &site.taxonomy;
        let size = paginate::size(site, None);
        for (s, sec) in site.sections.iter().enumerate() {
            if sec.section.dir.is_empty() {
                continue;
            }
            let n = list_page(&sec.pages, i, paginate::size(site, Some(s)));
            jobs.extend(n.map(|n| Job::SectionList(s, n)));
        }
        for (t, tag) in site.tags.iter().enumerate() {
            jobs.extend(list_page(&tag.pages, i, size).map(|n| Job::Tag(t, n)));
        }
        for (d, dept) in tax.departments.iter().enumerate() {
            jobs.extend(list_page(&dept.pages, i, size).map(|n| Job::Department(d, n)));
        }
        for (a, archive) in tax.archives.iter().enumerate() {
            for (y, year) in archive.years.iter().enumerate() {
                if year.months.iter().any(|m| m.pages.contains(&i)) {
                    jobs.push(Job::ArchiveYear(a, y));
                }
            }
        }
        jobs.extend(
            (tax.downloads.iter().enumerate())
                .filter(|(_, row)| row.page == i)
                .map(|(k, _)| Job::Downloads(k / size.max(1) + 1)),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use tera::Value;

    use super::super::{Job, Made, Renderer, markdown};

    /// Whether `v` holds the very map `target` (summaries are shared, not
    /// copied, by every list that shows them).
    fn holds(v: &Value, target: usize) -> bool {
        if v.as_map().is_some_and(|m| m as *const _ as usize == target) {
            return true;
        }
        v.as_array()
            .is_some_and(|a| a.iter().any(|x| holds(x, target)))
            || v.as_map()
                .is_some_and(|m| m.values().any(|x| holds(x, target)))
    }

    /// On the example site (pinned notices, photo news, tags, departments,
    /// archives, attachments, related pages), for every page, exactly the
    /// jobs whose prepared context holds its summary, and the page itself.
    #[test]
    fn the_jobs_showing_a_page_are_those_whose_context_holds_it() {
        let (site, templates) = super::super::example_site();
        let (site, templates) = (&site, &templates);
        let (bodies, _) = markdown(site);
        let renderer = Renderer::new(site, templates, &bodies, Vec::new(), Vec::new());
        let contexts: Vec<(Job, Vec<Value>)> = renderer
            .jobs()
            .into_iter()
            .filter_map(|job| match renderer.prepare_job(job).ok()?.made {
                Made::Template { values, .. } => {
                    Some((job, values.into_iter().map(|(_, v)| v).collect()))
                }
                Made::File { .. } => None,
            })
            .collect();
        let mut lists = 0;
        let mut kinds = HashSet::new();
        for i in 0..site.pages.len() {
            let target = renderer.summaries[i].as_map().unwrap() as *const _ as usize;
            let mut expected: HashSet<Job> = contexts
                .iter()
                .filter(|(_, values)| values.iter().any(|v| holds(v, target)))
                .map(|(job, _)| *job)
                .collect();
            expected.insert(Job::Page(i));
            let found = renderer.jobs_showing(&[i]);
            assert_eq!(found.len(), expected.len(), "page {i}: {found:?}");
            assert_eq!(found.into_iter().collect::<HashSet<_>>(), expected);
            lists += expected.len();
            kinds.extend(expected.iter().map(|job| match job {
                Job::Page(j) if *j == i => "page",
                Job::Page(_) => "related",
                Job::Home => "home",
                Job::SectionList(..) => "section",
                Job::Tag(..) => "tag",
                Job::Department(..) => "department",
                Job::ArchiveYear(..) => "archive year",
                Job::Downloads(_) => "downloads",
                _ => "other",
            }));
        }
        // Not a vacuous check: the example site's pages appear in lists of
        // every kind.
        assert!(lists > 4 * site.pages.len(), "{lists}");
        for kind in [
            "home",
            "section",
            "tag",
            "department",
            "archive year",
            "downloads",
            "related",
        ] {
            assert!(kinds.contains(kind), "no {kind} list in {kinds:?}");
        }
    }
}
