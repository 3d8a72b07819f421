//! What an edit of a section's `_index.md` reaches, for the watcher's
//! quick path. Its title, kind, sort, pagination and description decide
//! where and how its pages are listed and what every page shows of it (the
//! menu, breadcrumbs, each page's summary): an edit of any of them is the
//! full build's ([`keeps_place`]). Its text, `template` and other fields
//! show on lists alone — its own list pages, the home page for the content
//! root — so every list is a candidate, and those whose fingerprint
//! differs from what was last written are rendered
//! ([`Renderer::render_lists_changed`]): the comparison the full build
//! makes, so the set is exact. Pages, and the files made whole (search
//! index, feeds), are not candidates: a page's context takes nothing of its
//! section but what [`keeps_place`] holds.

use rayon::prelude::*;

use super::fingerprint::Known;
use super::moves::Written;
use super::{Job, Renderer};
use crate::content::Section;
use crate::diagnostics::Diagnostic;

/// Whether `new` keeps what pages and their lists take of `old`: title,
/// kind, sort, pagination and description.
pub fn keeps_place(old: &Section, new: &Section) -> bool {
    old.title == new.title
        && old.kind == new.kind
        && old.sort == new.sort
        && old.paginate == new.paginate
        && old.description == new.description
}

impl Renderer<'_> {
    /// Every list of the site (home, sections, tags, departments,
    /// archives, downloads, 404…) whose fingerprint differs from what was
    /// last written, rendered, with its URL and fingerprint; all of them or
    /// the first failure. `hashes` are the fingerprints of the summaries.
    pub fn render_lists_changed(
        &self,
        hashes: &[u64],
        last: &Written,
    ) -> Result<Vec<(String, String, u64)>, Diagnostic> {
        let mut known = Known::default();
        for (v, &h) in self.summaries.iter().zip(hashes) {
            known.insert(v, h);
        }
        let lists: Vec<Job> = (self.jobs().into_iter())
            .filter(|j| !matches!(j, Job::Page(_) | Job::File(_)))
            .collect();
        let made: Vec<Option<(String, String, u64)>> = lists
            .into_par_iter()
            .map(|job| {
                let p = self.prepare_job(job)?;
                let fp = p.fingerprint(last.globals, &known);
                if last.jobs.get(&p.url) == Some(&fp) && last.outputs.contains_key(&p.url) {
                    return Ok(None);
                }
                let html = self.render_prepared(&p)?.into_owned();
                Ok(Some((p.url, html, fp)))
            })
            .collect::<Result<_, Diagnostic>>()?;
        Ok(made.into_iter().flatten().collect())
    }
}
