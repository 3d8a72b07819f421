//! Atom feeds (the whole site and each section) and `sitemap.xml`. Both
//! need absolute URLs, so they are written only when `site.yaml` sets
//! `base_url`; everything else in the output stays relative.
//!
//! Entries carry the page's HTML with `xml:base` set to the page's address,
//! so the relative links inside resolve in a feed reader as on the site.

use std::fmt::Write as _;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::Bodies;
use crate::site::{Site, SitePage, generated, newest_first};

/// The site's feed; a section's is `<dir>/atom.xml`.
pub const SITE_FEED: &str = generated::FEED;
pub const SITEMAP: &str = generated::SITEMAP;

/// Entries in a feed: the newest pages, enough for a reader that checks
/// weekly on a busy site.
pub const FEED_ENTRIES: usize = 30;

const SUMMARY_CHARS: usize = 200;

/// What a URL may not hold as it is: feeds and sitemaps want ASCII.
const URL_ESCAPE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^');

/// `base_url` + the root-relative `url`, percent-encoded.
pub fn absolute(base: &str, url: &str) -> String {
    format!("{base}{}", utf8_percent_encode(url, URL_ESCAPE))
}

/// The site's feed URL, when feeds are written and a page is dated.
pub fn site_feed(site: &Site) -> Option<&'static str> {
    generated::site_feed(&site.config, &site.pages)
}

/// The feed URL of a section, when feeds are written and it has one.
pub fn section_feed(site: &Site, section: usize) -> Option<String> {
    generated::section_feed(&site.config, &site.sections[section], &site.pages)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters are not allowed in XML 1.0.
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn updated(p: &SitePage, site: &Site) -> Option<String> {
    let m = &p.page.meta;
    m.updated
        .or(m.date)
        .map(|d| d.rfc3339(&site.config.timezone))
}

fn entry(out: &mut String, site: &Site, bodies: &Bodies, base: &str, i: usize) {
    let p = &site.pages[i];
    let m = &p.page.meta;
    let tz = &site.config.timezone;
    let link = absolute(base, &p.url);
    let author = m
        .author
        .as_deref()
        .or(m.department.as_deref())
        .or(site.config.organization.as_deref())
        .unwrap_or(&site.config.title);
    let summary = m
        .summary
        .clone()
        .unwrap_or_else(|| bodies.pages[i].excerpt(SUMMARY_CHARS));
    let _ = write!(
        out,
        "<entry>\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<id>{}</id>\n",
        escape(&m.title),
        escape(&link),
        escape(&link),
    );
    if let Some(d) = &m.date {
        let _ = writeln!(out, "<published>{}</published>", d.rfc3339(tz));
    }
    if let Some(u) = updated(p, site) {
        let _ = writeln!(out, "<updated>{u}</updated>");
    }
    let _ = writeln!(out, "<author><name>{}</name></author>", escape(author));
    for &t in &p.tags {
        let _ = writeln!(out, "<category term=\"{}\"/>", escape(&site.tags[t].name));
    }
    let _ = writeln!(out, "<summary type=\"text\">{}</summary>", escape(&summary));
    let _ = writeln!(
        out,
        "<content type=\"html\" xml:base=\"{}\">{}</content>\n</entry>",
        escape(&link),
        escape(&bodies.pages[i].shown().html),
    );
}

/// One feed of the newest dated pages among `pages`; `None` when none is
/// dated (Atom needs a date for every entry).
fn feed(
    site: &Site,
    bodies: &Bodies,
    base: &str,
    feed_url: &str,
    page_url: &str,
    title: &str,
    pages: impl Iterator<Item = usize>,
) -> Option<String> {
    let mut list: Vec<usize> = pages
        .filter(|&i| site.pages[i].page.meta.date.is_some())
        .collect();
    list.sort_by(|&a, &b| newest_first(&site.pages[a], &site.pages[b]));
    list.truncate(FEED_ENTRIES);
    let newest = list
        .iter()
        .filter_map(|&i| {
            let m = &site.pages[i].page.meta;
            m.updated.or(m.date)
        })
        .max()?;
    let c = &site.config;
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n",
        escape(&c.language),
        escape(title),
    );
    if let Some(sub) = &c.subtitle {
        let _ = writeln!(out, "<subtitle>{}</subtitle>", escape(sub));
    }
    let self_url = absolute(base, feed_url);
    let _ = write!(
        out,
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<id>{}</id>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<generator>unionpress</generator>\n",
        escape(&self_url),
        escape(&absolute(base, page_url)),
        escape(&self_url),
        newest.rfc3339(&c.timezone),
        escape(c.organization.as_deref().unwrap_or(&c.title)),
    );
    for i in list {
        entry(&mut out, site, bodies, base, i);
    }
    out.push_str("</feed>\n");
    Some(out)
}

fn sitemap(site: &Site, base: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut url = |loc: &str, lastmod: Option<String>| {
        let _ = write!(out, "<url><loc>{}</loc>", escape(&absolute(base, loc)));
        if let Some(d) = lastmod {
            let _ = write!(out, "<lastmod>{d}</lastmod>");
        }
        out.push_str("</url>\n");
    };
    for s in &site.sections {
        url(&s.url, None);
    }
    for p in &site.pages {
        let m = &p.page.meta;
        url(&p.url, m.updated.or(m.date).map(|d| d.date().to_string()));
    }
    out.push_str("</urlset>\n");
    out
}

/// The feeds and sitemap by URL, or `None` without `base_url`.
pub fn build(site: &Site, bodies: &Bodies) -> Option<Vec<(String, String)>> {
    let base = site.config.base_url.as_deref()?;
    let mut files = Vec::new();
    let c = &site.config;
    if let Some(f) = feed(
        site,
        bodies,
        base,
        SITE_FEED,
        "index.html",
        &c.title,
        0..site.pages.len(),
    ) {
        files.push((SITE_FEED.to_string(), f));
    }
    for (i, s) in site.sections.iter().enumerate() {
        let Some(url) = section_feed(site, i) else {
            continue;
        };
        let title = format!("{} - {}", s.section.title, c.title);
        if let Some(f) = feed(
            site,
            bodies,
            base,
            &url,
            &s.url,
            &title,
            s.pages.iter().copied(),
        ) {
            files.push((url, f));
        }
    }
    files.push((SITEMAP.to_string(), sitemap(site, base)));
    Some(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_urls_are_ascii() {
        assert_eq!(
            absolute("http://gh.example.cn/", "departments/工会办公室/index.html"),
            "http://gh.example.cn/departments/%E5%B7%A5%E4%BC%9A%E5%8A%9E%E5%85%AC%E5%AE%A4/index.html"
        );
        assert_eq!(absolute("http://a/", "a b/x.pdf"), "http://a/a%20b/x.pdf");
    }

    #[test]
    fn xml_text_is_escaped() {
        assert_eq!(
            escape("<b>\"劳动\" & 合同\u{1}"),
            "&lt;b&gt;&quot;劳动&quot; &amp; 合同"
        );
    }
}
