//! The URLs the build writes itself besides pages: the 404 page, the tag,
//! search, department and download lists, each section's archive, the
//! Atom feeds and the sitemap, and the later pages of every long list
//! (`notices/page/2/index.html`). They are named here, once, so that what
//! rendering writes is what indexing reserved; and they are claimed like a
//! page's URL, so a page, section or file under `content/` that one of them
//! would write over is a duplicate-URL error naming that file.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::{OutputAsset, SitePage, SiteSection, Tag, taxonomy::Taxonomy};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Span};
use crate::i18n::Msg;

pub const NOT_FOUND: &str = "404.html";
pub const TAGS: &str = "tags/index.html";
pub const SEARCH: &str = "search/index.html";
pub const DEPARTMENTS: &str = "departments/index.html";
pub const DOWNLOADS: &str = "downloads/index.html";
/// The page listing the ways to reach the union (`render::contact`).
pub const CONTACT: &str = "contact/index.html";
/// The site's feed; a section's is `<dir>/atom.xml`.
pub const FEED: &str = "atom.xml";
pub const SITEMAP: &str = "sitemap.xml";

/// Who a claim says holds a URL that the build writes itself.
pub(crate) const BY_BUILD: &str = "unionpress";

/// The error for a file at `url`, which `other` (a file's display path, or
/// [`BY_BUILD`]) also writes; `page` says whether the file is a page (whose
/// slug can change) or a file copied as it is.
pub(crate) fn clash(url: &str, span: Option<Span>, other: &str, page: bool) -> Diagnostic {
    let msg = if other == BY_BUILD {
        Msg::GeneratedUrl {
            url: url.to_string(),
            page,
        }
    } else {
        Msg::DuplicateUrl {
            url: url.to_string(),
            other: other.to_string(),
            free_slug: None,
        }
    };
    Diagnostic::error(span, msg)
}

/// `tags/<slug>/index.html`.
pub fn tag_url(slug: &str) -> String {
    format!("tags/{slug}/index.html")
}

/// `departments/<slug>/index.html`.
pub fn department_url(slug: &str) -> String {
    format!("departments/{slug}/index.html")
}

/// `notices/archive/index.html`; the root section has none.
pub fn archive_url(section: &SiteSection) -> Option<String> {
    (!section.section.dir.is_empty()).then(|| format!("{}/archive/index.html", section.section.dir))
}

/// `notices/archive/2026/index.html`.
pub fn archive_year_url(section: &SiteSection, year: i16) -> String {
    format!("{}/archive/{year}/index.html", section.section.dir)
}

/// Page `n` (1-based) of a list whose first page is `first`:
/// `notices/index.html` → `notices/page/2/index.html`.
pub fn paged_url(first: &str, n: usize) -> String {
    if n <= 1 {
        return first.to_string();
    }
    // Put together without `format!` and a substring search set up per
    // call: every index and every quick update after a move names each
    // later page of every list (thousands at 10,000 pages). A list's
    // first page ends in `index.html` once (its folder ends in `/`).
    let folder = first.strip_suffix("index.html").unwrap_or(first);
    let mut url = String::with_capacity(folder.len() + "page//index.html".len() + 20);
    url.push_str(folder);
    url.push_str("page/");
    // Writing to a `String` cannot fail.
    let _ = std::fmt::Write::write_fmt(&mut url, format_args!("{n}"));
    url.push_str("/index.html");
    url
}

/// Entries per list page for a `paginate` setting (0: all on one page).
pub fn page_size(paginate: usize) -> usize {
    match paginate {
        0 => usize::MAX,
        n => n,
    }
}

/// How many pages a list of `items` takes; an empty list still has one.
pub fn page_count(items: usize, size: usize) -> usize {
    items.div_ceil(size).max(1)
}

/// A section's entries per list page: its own `paginate`, else the site's.
pub fn section_page_size(config: &Config, section: &SiteSection) -> usize {
    page_size(section.section.paginate.unwrap_or(config.paginate))
}

/// The site's feed URL, when feeds are written (`base_url` is set) and a
/// page is dated.
pub fn site_feed(config: &Config, pages: &[SitePage]) -> Option<&'static str> {
    config.base_url.as_ref()?;
    let dated = pages.iter().any(|p| p.page.meta.date.is_some());
    dated.then_some(FEED)
}

/// A section's feed URL, when feeds are written and it has a dated page.
pub fn section_feed(config: &Config, section: &SiteSection, pages: &[SitePage]) -> Option<String> {
    config.base_url.as_ref()?;
    let dated = section
        .pages
        .iter()
        .any(|&i| pages[i].page.meta.date.is_some());
    (dated && !section.section.dir.is_empty()).then(|| format!("{}/{FEED}", section.section.dir))
}

/// URLs known before pages take theirs: the fixed lists and each section's
/// archive, each claimed for the build. A section whose `_index.md` would
/// be written over is an error naming it.
pub fn claim_fixed(
    config: &Config,
    sections: &[SiteSection],
    claimed: &mut super::Claims,
    diags: &mut Diagnostics,
) {
    let fixed = [NOT_FOUND, TAGS, SEARCH, DEPARTMENTS, DOWNLOADS].map(String::from);
    // The contact page is written only when the site names a channel.
    let contact = config.has_contact_channels().then(|| CONTACT.to_string());
    for url in fixed
        .into_iter()
        .chain(contact)
        .chain(sections.iter().filter_map(archive_url))
    {
        let key = url.to_lowercase();
        if let Some(s) = sections.iter().find(|s| s.url.to_lowercase() == key) {
            let span = s.section.file.as_ref().map(|f| f.start_span());
            diags.push(clash(&url, span, BY_BUILD, true));
        }
        claimed.insert(key, BY_BUILD.into());
    }
}

/// Everything in the build's hands once pages are placed: later pages of
/// section, tag, department and download lists, tag lists, feeds and the
/// sitemap.
pub struct Lists<'a> {
    pub config: &'a Config,
    pub sections: &'a [SiteSection],
    pub pages: &'a [SitePage],
    pub tags: &'a [Tag],
    pub taxonomy: &'a Taxonomy,
}

impl Lists<'_> {
    /// Every URL these lists write that [`claim_fixed`] did not claim.
    pub fn urls(&self) -> Vec<String> {
        let site_size = page_size(self.config.paginate);
        fn later(first: &str, items: usize, size: usize) -> impl Iterator<Item = String> + '_ {
            (2..=page_count(items, size)).map(move |n| paged_url(first, n))
        }
        let mut out = Vec::new();
        for s in self.sections.iter().filter(|s| !s.section.dir.is_empty()) {
            out.extend(later(
                &s.url,
                s.pages.len(),
                section_page_size(self.config, s),
            ));
            out.extend(section_feed(self.config, s, self.pages));
        }
        for t in self.tags {
            out.push(t.url.clone());
            out.extend(later(&t.url, t.pages.len(), site_size));
        }
        for d in &self.taxonomy.departments {
            out.extend(later(&d.url, d.pages.len(), site_size));
        }
        let downloads = self.taxonomy.downloads.len();
        out.extend(later(DOWNLOADS, downloads, site_size));
        if let Some(feed) = site_feed(self.config, self.pages) {
            out.push(feed.into());
        }
        if self.config.base_url.is_some() {
            out.push(SITEMAP.into());
        }
        out
    }

    /// Reports each page, section and `content/` file whose URL one of
    /// [`Lists::urls`] would write over, and each `content/` file whose URL
    /// a page, a section or the build already writes.
    pub fn check(&self, assets: &[OutputAsset], claimed: &super::Claims, diags: &mut Diagnostics) {
        // Lower-cased once for both looks (thousands of files, on every
        // index).
        let keys = asset_keys(assets);
        let by_build = self.check_urls_among(self.urls(), assets, &keys, Some(claimed), diags);
        for (a, key) in assets.iter().zip(&keys) {
            if by_build.contains_key(&**key) {
                continue;
            }
            if let Some(other) = claimed.get(&**key) {
                diags.push(clash(&a.url, Some(self.file_span(a)), other, false));
            }
        }
    }

    /// Reports each page, section and `content/` file whose URL one of
    /// `urls` (some of [`Lists::urls`]) would write over; returns them by
    /// their lower-cased form. The watcher's quick path checks only the
    /// URLs a move added: the others were checked by the build before it.
    pub fn check_urls(
        &self,
        urls: Vec<String>,
        assets: &[OutputAsset],
        diags: &mut Diagnostics,
    ) -> FxHashMap<String, String> {
        self.check_urls_among(urls, assets, &asset_keys(assets), None, diags)
    }

    /// [`Lists::check_urls`], told the claims the pages and sections made
    /// when it has them: every page's and section's URL is among them
    /// (lower-cased, as they are keyed), so when none of `urls` is, no
    /// page or section is written over, and ten thousand pages' URLs need
    /// not be lower-cased and looked up to find that out. `keys` are the
    /// files' URLs lower-cased ([`asset_keys`]).
    fn check_urls_among(
        &self,
        urls: Vec<String>,
        assets: &[OutputAsset],
        keys: &[Cow<str>],
        claimed: Option<&super::Claims>,
        diags: &mut Diagnostics,
    ) -> FxHashMap<String, String> {
        let by_build: FxHashMap<String, String> = urls
            .into_iter()
            .map(|u| (super::lower(&u).into_owned(), u))
            .collect();
        if by_build.is_empty() {
            return by_build;
        }
        // With the claims, pages and sections are looked at only when one
        // of the build's URLs is claimed.
        let none_claimed = claimed.is_some_and(|c| by_build.keys().all(|k| !c.contains_key(k)));
        let (pages, sections) = match none_claimed {
            true => (&self.pages[..0], &self.sections[..0]),
            false => (self.pages, self.sections),
        };
        for p in pages {
            if let Some(url) = by_build.get(&*super::lower(&p.url)) {
                diags.push(clash(url, Some(p.slug_or_start_span()), BY_BUILD, true));
            }
        }
        for s in sections {
            if let (Some(url), Some(file)) = (by_build.get(&*super::lower(&s.url)), &s.section.file)
            {
                diags.push(clash(url, Some(file.start_span()), BY_BUILD, true));
            }
        }
        for (a, key) in assets.iter().zip(keys) {
            if by_build.contains_key(&**key) {
                diags.push(clash(&a.url, Some(self.file_span(a)), BY_BUILD, false));
            }
        }
        by_build
    }

    /// The start of a file under `content/` that is copied, not parsed.
    fn file_span(&self, a: &OutputAsset) -> Span {
        let content = self.config.content_dir();
        let prefix =
            crate::paths::relative(&self.config.root, &content).unwrap_or_else(|| "content".into());
        Span {
            file: format!("{prefix}/{}", a.asset.rel).into(),
            line: 1,
            column: 1,
            bytes: 0..0,
        }
    }
}

/// Each file's URL lower-cased, as claims are keyed.
fn asset_keys(assets: &[OutputAsset]) -> Vec<Cow<'_, str>> {
    assets.iter().map(|a| super::lower(&a.url)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_list_pages_are_numbered_from_two() {
        assert_eq!(paged_url("notices/index.html", 1), "notices/index.html");
        assert_eq!(
            paged_url("notices/index.html", 2),
            "notices/page/2/index.html"
        );
        assert_eq!(
            paged_url("tags/职代会/index.html", 12),
            "tags/职代会/page/12/index.html"
        );
        assert_eq!(paged_url(DOWNLOADS, 3), "downloads/page/3/index.html");
        assert_eq!(paged_url("index.html", 2), "page/2/index.html");
        assert_eq!(
            paged_url("tags/index.html/index.html", 10),
            "tags/index.html/page/10/index.html"
        );
    }

    #[test]
    fn list_sizes_and_counts() {
        assert_eq!(page_size(0), usize::MAX, "0: everything on one page");
        assert_eq!(page_size(20), 20);
        assert_eq!(page_count(0, 20), 1, "an empty list still has its page");
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
        assert_eq!(page_count(5, usize::MAX), 1);
    }

    #[test]
    fn list_urls_name_a_file() {
        assert_eq!(tag_url("职代会"), "tags/职代会/index.html");
        assert_eq!(
            department_url("工会办公室"),
            "departments/工会办公室/index.html"
        );
    }
}
