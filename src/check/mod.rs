//! `check`: everything a build validates, plus what a build lets pass but
//! an editor should hear about — links to headings that are not there,
//! images without alternative text, pinning that has lapsed, pages waiting
//! for their date, files no page uses, files too big for the intranet.
//!
//! The extra findings are warnings, so `check` fails exactly when `build`
//! would. They are pure functions of a loaded site and its rendered
//! Markdown ([`findings`]), so `serve` can show them too. This module reads
//! the site; it never changes what is built.

mod files;
mod links;
mod schedule;

use crate::build::{self, Report, Request};
use crate::diagnostics::{Diagnostic, Diagnostics, Sources};
use crate::render::markdown::Rendered;
use crate::render::{self, Bodies};
use crate::site::{Options, Site};

/// Validates the site as `build` would, without writing anything, and adds
/// the extra findings. The report's diagnostics are sorted by file and line.
pub fn run(req: &Request) -> Report {
    let mut report = build::run(&Request {
        output: None,
        ..req.clone()
    });
    // A second, read-only look at the site with scheduled pages included, so
    // they can be listed and their files count as used.
    let (mut diags, mut sources) = (Diagnostics::default(), Sources::default());
    let options = Options {
        future: true,
        ..req.options.clone()
    };
    if let Some(loaded) = build::load(&req.root, options, &mut diags, &mut sources) {
        let (bodies, _) = render::markdown(&loaded.site);
        let mut all = Diagnostics::default();
        all.extend(std::mem::take(&mut report.diags));
        all.extend(findings(&loaded.site, &bodies, &req.options));
        report.diags = all.into_sorted();
    }
    report
}

/// What `check` adds to a build's diagnostics. `site` may include pages
/// dated after `options.now`; unless `options.future`, they are listed as
/// scheduled.
pub fn findings(site: &Site, bodies: &Bodies, options: &Options) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    out.extend(links::anchors_and_alt_text(site, bodies));
    out.extend(schedule::pins_and_dates(site, options));
    out.extend(files::unused_large_and_misnamed(site, bodies));
    out
}

/// Every page's and section's rendered Markdown, with the URL it is written to.
fn documents<'a>(site: &'a Site, bodies: &'a Bodies) -> Vec<(&'a str, Document<'a>)> {
    let pages = (site.pages.iter().zip(&bodies.pages))
        .map(|(p, r)| (p.url.as_str(), Document::Page(r.shown())));
    let sections = (site.sections.iter().zip(&bodies.sections))
        .map(|(s, r)| (s.url.as_str(), Document::Section(r)));
    pages.chain(sections).collect()
}

/// A page's whole rendered Markdown (decoded, see [`crate::render::body`])
/// or a section's.
enum Document<'a> {
    Page(std::sync::Arc<Rendered>),
    Section(&'a Rendered),
}

impl std::ops::Deref for Document<'_> {
    type Target = Rendered;

    fn deref(&self) -> &Rendered {
        match self {
            Document::Page(r) => r,
            Document::Section(r) => r,
        }
    }
}

/// Where a front-matter key of a page is written (its English or Chinese
/// spelling), or the page's first line.
fn key_span(page: &crate::content::Page, key: &str) -> crate::diagnostics::Span {
    use crate::content::schema::ALIASES;
    use crate::source::front_matter::key_positions;
    let head = &page.file.text[..page.body.start.min(page.file.text.len())];
    key_positions(head)
        .into_iter()
        .find(|k| {
            k.key == key
                || ALIASES
                    .iter()
                    .any(|(alias, canonical)| *alias == k.key && *canonical == key)
        })
        .map_or_else(|| page.file.start_span(), |k| page.file.span(k.key_bytes))
}
