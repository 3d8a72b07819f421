//! Rendering after an edit that changes what lists and a few pages show
//! without moving any page — a section's text ([`super::section_index`]),
//! an attachment replaced ([`crate::site::attachments`]): every list of
//! the site and those pages are the candidates, and those whose
//! fingerprint differs from what was last written are rendered. That is
//! the comparison the full build makes, so the set is exact as long as no
//! other page's context changed.

use super::moves::Written;
use super::{Job, Renderer};
use crate::diagnostics::Diagnostic;

impl Renderer<'_> {
    /// Every list (home, sections, tags, departments, archives, downloads,
    /// 404…) and each of `pages` whose fingerprint differs from what was
    /// last written, rendered, with its URL and fingerprint; all of them or
    /// the first failure. `hashes` are the fingerprints of the summaries.
    /// Files made whole (search index, feeds) are not among them.
    pub fn render_changed(
        &self,
        pages: &[usize],
        hashes: &[u64],
        last: &Written,
    ) -> Result<Vec<(String, Vec<u8>, u64)>, Diagnostic> {
        let mut jobs: Vec<Job> = (self.jobs().into_iter())
            .filter(|j| !matches!(j, Job::Page(_) | Job::File(_)))
            .collect();
        jobs.extend(pages.iter().map(|&i| Job::Page(i)));
        self.render_differing(jobs, hashes, last)
    }
}
