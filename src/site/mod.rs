//! The site index: which pages are published, where each one goes, how
//! sections order them, which are pinned or expired, tags, attachments, and
//! the map that turns a link to a `.md` file into a URL.
//!
//! Built once from the loaded content; rendering only reads it.

pub mod slug;
pub mod taxonomy;

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;

use crate::config::Config;
use crate::content::model::{Asset, Content, Page, Section};
use crate::content::schema::{Kind, Sort};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::Msg;
use crate::output::urls;

/// What the command line decides about a build.
#[derive(Debug, Clone)]
pub struct Options {
    pub drafts: bool,
    pub future: bool,
    pub now: Timestamp,
}

#[derive(Debug)]
pub struct SiteSection {
    pub section: Section,
    /// `notices/index.html`; `index.html` for the root.
    pub url: String,
    /// Indices into `Site::pages`, in the section's order.
    pub pages: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Attachment {
    pub title: String,
    pub file: String,
    pub url: String,
    pub size: u64,
    pub ext: String,
}

#[derive(Debug)]
pub struct SitePage {
    pub page: Page,
    pub url: String,
    pub slug: String,
    pub section: usize,
    pub kind: Kind,
    pub pinned: bool,
    pub expired: bool,
    /// Indices into `Site::tags`.
    pub tags: Vec<usize>,
    pub attachments: Vec<Attachment>,
    pub cover_url: Option<String>,
}

#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub url: String,
    /// Newest first.
    pub pages: Vec<usize>,
}

/// A file copied into the output as it is.
#[derive(Debug, Clone)]
pub struct OutputAsset {
    pub asset: Asset,
    pub url: String,
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub options: Options,
    pub sections: Vec<SiteSection>,
    pub pages: Vec<SitePage>,
    pub tags: Vec<Tag>,
    pub assets: Vec<OutputAsset>,
    /// Content-relative path (`notices/a.md`, `notices/x`, `notices/x/议程.pdf`)
    /// → root-relative URL, for links written in Markdown.
    pub links: HashMap<String, String>,
    /// Departments, archives, related pages, downloads.
    pub taxonomy: taxonomy::Taxonomy,
    /// The published copies of the photos among `assets`; filled by the
    /// build after indexing (empty when nothing is written).
    pub photos: crate::images::Photos,
}

impl Site {
    /// A photo by the URL its original would have, with its display URL.
    pub fn photo_at(&self, url: &str) -> Option<(&OutputAsset, &crate::images::Photo)> {
        let &i = self.photos.urls.get(url)?;
        let a = self.assets.get(i)?;
        Some((a, self.photos.by_rel.get(&a.asset.rel)?))
    }
}

/// URLs of generated lists that no page may take.
pub const GENERATED_URLS: &[&str] = &[
    "tags/index.html",
    "search/index.html",
    "downloads/index.html",
    taxonomy::DEPARTMENTS_URL,
];

/// Who `claimed` says holds a URL that the build writes itself.
pub(crate) const GENERATED_BY: &str = "unionpress";

/// File types listed as attachments without being named in `attachments`.
const DOCUMENT_EXTS: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps", "odt", "ods", "odp",
    "rtf", "txt", "csv", "zip", "rar", "7z",
];

fn ext_of(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Joins a relative link onto a folder and resolves `.` and `..`; `None`
/// when it climbs out of `content/`.
pub fn join_rel(dir: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = if link.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Builds the index. Problems (duplicate URLs, missing attachments…) go
/// into `diags`; the pages involved stay in, so later stages can report
/// their own problems too.
pub fn index(config: Config, options: Options, content: Content, diags: &mut Diagnostics) -> Site {
    let Content {
        sections,
        pages,
        assets,
    } = content;
    let tz = config.timezone.clone();
    let now = options.now;

    let mut sections: Vec<SiteSection> = sections
        .into_iter()
        .map(|s| {
            let url = urls::file_url(&s.dir);
            SiteSection {
                section: s,
                url,
                pages: Vec::new(),
            }
        })
        .collect();
    if !sections.iter().any(|s| s.section.dir.is_empty()) {
        sections.push(SiteSection {
            section: implicit_root(&config),
            url: "index.html".into(),
            pages: Vec::new(),
        });
    }
    sections.sort_by(|a, b| a.section.dir.cmp(&b.section.dir));
    let section_of_dir: HashMap<String, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.section.dir.clone(), i))
        .collect();

    let published = pages.into_iter().filter(|p| {
        let future = p.meta.date.is_some_and(|d| d.ts > now);
        (options.drafts || !p.meta.draft) && (options.future || !future)
    });

    let mut claimed: HashMap<String, String> = HashMap::new();
    for s in &sections {
        let file = s
            .section
            .file
            .as_ref()
            .map_or_else(|| "content/".to_string(), |f| f.display.to_string());
        claimed.insert(s.url.to_lowercase(), file);
    }
    // Lists the build writes itself; a page there would be overwritten.
    for generated in GENERATED_URLS {
        claimed.insert(generated.to_string(), GENERATED_BY.to_string());
    }
    for url in sections.iter().filter_map(taxonomy::archive_url) {
        claimed.insert(url.to_lowercase(), GENERATED_BY.to_string());
    }
    let mut links: HashMap<String, String> = HashMap::new();
    for s in &sections {
        links.insert(s.section.dir.clone(), s.url.clone());
        let index_md = if s.section.dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{}/_index.md", s.section.dir)
        };
        links.insert(index_md, s.url.clone());
    }

    let mut site_pages = Vec::new();
    for page in published {
        let Some(sp) = place_page(page, &section_of_dir, &sections, &mut claimed, diags) else {
            continue;
        };
        site_pages.push(sp);
    }
    for p in &mut site_pages {
        let expired = p
            .page
            .meta
            .expires
            .is_some_and(|e| now >= e.end_of_day(&tz));
        let pinned_still = p
            .page
            .meta
            .pinned_until
            .is_none_or(|u| now < u.end_of_day(&tz));
        p.expired = expired;
        p.pinned = p.page.meta.pinned && pinned_still && !expired;
        links.insert(p.page.rel.clone(), p.url.clone());
        if p.page.bundle {
            links.insert(p.page.dir().to_string(), p.url.clone());
        }
    }

    let page_url_of_bundle: HashMap<&str, &str> = site_pages
        .iter()
        .filter(|p| p.page.bundle)
        .map(|p| (p.page.dir(), p.url.as_str()))
        .collect();
    let mut out_assets = Vec::new();
    for asset in assets {
        let url = match &asset.bundle {
            Some(b) => match page_url_of_bundle.get(b.as_str()) {
                // The bundle's files go beside the page's index.html.
                Some(page_url) => format!(
                    "{}{}",
                    page_url.trim_end_matches("index.html"),
                    &asset.rel[b.len() + 1..]
                ),
                None => continue, // a draft's or future page's files stay unpublished too
            },
            None => asset.rel.clone(),
        };
        links.insert(asset.rel.clone(), url.clone());
        out_assets.push(OutputAsset { asset, url });
    }

    let asset_index = AssetIndex::new(&out_assets);
    for i in 0..site_pages.len() {
        let (attachments, cover) = page_files(&site_pages[i], &asset_index, diags);
        site_pages[i].attachments = attachments;
        site_pages[i].cover_url = cover;
    }

    for (i, p) in site_pages.iter().enumerate() {
        sections[p.section].pages.push(i);
    }
    for s in &mut sections {
        let sort = s.section.sort;
        s.pages
            .sort_by(|&a, &b| compare(&site_pages[a], &site_pages[b], sort));
    }
    let tags = collect_tags(&mut site_pages);
    let taxonomy = taxonomy::build(&site_pages, &sections, &claimed, diags);
    Site {
        config,
        options,
        sections,
        pages: site_pages,
        tags,
        assets: out_assets,
        links,
        taxonomy,
        photos: Default::default(),
    }
}

fn implicit_root(config: &Config) -> Section {
    Section {
        file: None,
        dir: String::new(),
        title: config.title.clone(),
        kind: Kind::Page,
        paginate: None,
        sort: Sort::Date,
        description: None,
        template: None,
        body: 0..0,
        extra: Vec::new(),
    }
}

/// Gives a page its section, slug and URL; `None` (with a diagnostic) when
/// its slug is unusable or its URL is taken.
fn place_page(
    page: Page,
    section_of_dir: &HashMap<String, usize>,
    sections: &[SiteSection],
    claimed: &mut HashMap<String, String>,
    diags: &mut Diagnostics,
) -> Option<SitePage> {
    // A bundle's URL comes from the folder holding the bundle.
    let home = if page.bundle {
        parent(page.dir())
    } else {
        page.dir()
    };
    let mut dir = home;
    let section = loop {
        if let Some(&i) = section_of_dir.get(dir) {
            break i;
        }
        dir = parent(dir);
    };
    let (raw_slug, slug_span) = match &page.meta.slug {
        Some((s, span)) => (s.as_str(), Some(span.clone())),
        None => (page.default_slug(), None),
    };
    let Some(slug) = slug::slugify(raw_slug) else {
        let span = slug_span.unwrap_or_else(|| page.file.start_span());
        diags.push(Diagnostic::error(
            Some(span),
            Msg::BadSlug {
                value: raw_slug.to_string(),
            },
        ));
        return None;
    };
    let prefix: String = home
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| format!("{s}/"))
        .collect();
    let url = format!("{prefix}{slug}/index.html");
    let kind = page.meta.kind.unwrap_or(sections[section].section.kind);
    if let Some(other) = claimed.get(&url.to_lowercase()) {
        let span = slug_span.unwrap_or_else(|| page.file.start_span());
        diags.push(Diagnostic::error(
            Some(span),
            Msg::DuplicateUrl {
                url: url.clone(),
                other: other.clone(),
            },
        ));
        return None;
    }
    claimed.insert(url.to_lowercase(), page.file.display.to_string());
    Some(SitePage {
        page,
        url,
        slug,
        section,
        kind,
        pinned: false,
        expired: false,
        tags: Vec::new(),
        attachments: Vec::new(),
        cover_url: None,
    })
}

/// A page's attachments (named ones first, then the bundle's other
/// documents) and its cover image; a named file that is missing is an error.
/// Assets by content-relative path and by bundle, so each page finds its
/// files without scanning every file of the site.
struct AssetIndex<'a> {
    assets: &'a [OutputAsset],
    by_rel: HashMap<&'a str, usize>,
    by_bundle: HashMap<&'a str, Vec<usize>>,
}

impl<'a> AssetIndex<'a> {
    fn new(assets: &'a [OutputAsset]) -> Self {
        let mut by_bundle: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, a) in assets.iter().enumerate() {
            if let Some(b) = &a.asset.bundle {
                by_bundle.entry(b.as_str()).or_default().push(i);
            }
        }
        let by_rel = assets
            .iter()
            .enumerate()
            .map(|(i, a)| (a.asset.rel.as_str(), i))
            .collect();
        AssetIndex {
            assets,
            by_rel,
            by_bundle,
        }
    }

    fn get(&self, rel: &str) -> Option<&'a OutputAsset> {
        self.by_rel.get(rel).map(|&i| &self.assets[i])
    }

    fn in_bundle(&self, dir: &str) -> impl Iterator<Item = &'a OutputAsset> + '_ {
        self.by_bundle
            .get(dir)
            .into_iter()
            .flatten()
            .map(|&i| &self.assets[i])
    }
}

fn page_files(
    p: &SitePage,
    assets: &AssetIndex,
    diags: &mut Diagnostics,
) -> (Vec<Attachment>, Option<String>) {
    let dir = p.page.dir();
    let find = |file: &str| {
        let rel = join_rel(dir, &urls::decode(file))?;
        assets.get(&rel)
    };
    let mut out = Vec::new();
    for decl in &p.page.meta.attachments {
        match find(&decl.file) {
            Some(a) => out.push(attachment(a, decl.title.clone())),
            None => diags.push(Diagnostic::error(
                Some(decl.span.clone()),
                Msg::MissingAttachment {
                    file: decl.file.clone(),
                },
            )),
        }
    }
    if p.page.bundle {
        for a in assets.in_bundle(dir) {
            let listed = out.iter().any(|x: &Attachment| x.url == a.url);
            if !listed && DOCUMENT_EXTS.contains(&ext_of(&a.asset.rel).as_str()) {
                out.push(attachment(a, None));
            }
        }
    }
    let cover = p.page.meta.cover.as_ref().and_then(|(file, span)| {
        // An outside address may not be reachable from the intranet.
        if file.contains("://") || file.starts_with("//") {
            let url = file.clone();
            diags.push(Diagnostic::warning(
                Some(span.clone()),
                Msg::ExternalCover { url },
            ));
            return None;
        }
        // Hugo themes read `cover: /cover.jpg` as the bundle's own file.
        let in_bundle = || {
            let name = file.strip_prefix('/')?;
            p.page.bundle.then(|| find(name)).flatten()
        };
        match find(file).or_else(in_bundle) {
            Some(a) => Some(a.url.clone()),
            None => {
                diags.push(Diagnostic::error(
                    Some(span.clone()),
                    Msg::MissingCover { file: file.clone() },
                ));
                None
            }
        }
    });
    (out, cover)
}

fn attachment(a: &OutputAsset, title: Option<String>) -> Attachment {
    let file = a
        .asset
        .rel
        .rsplit('/')
        .next()
        .unwrap_or(&a.asset.rel)
        .to_string();
    let title = title.unwrap_or_else(|| {
        file.rsplit_once('.')
            .map_or(file.as_str(), |(stem, _)| stem)
            .to_string()
    });
    Attachment {
        title,
        ext: ext_of(&file),
        file,
        url: a.url.clone(),
        size: a.asset.size,
    }
}

/// Pinned first (for the default order), then by the section's sort, then
/// by URL so the order never depends on the file system.
fn compare(a: &SitePage, b: &SitePage, sort: Sort) -> std::cmp::Ordering {
    let date = |p: &SitePage| p.page.meta.date.map(|d| d.ts);
    let by = match sort {
        Sort::Date => b.pinned.cmp(&a.pinned).then(date(b).cmp(&date(a))),
        Sort::DateAsc => date(a).cmp(&date(b)),
        Sort::Title => a.page.meta.title.cmp(&b.page.meta.title),
    };
    by.then_with(|| a.url.cmp(&b.url))
}

/// Newest first, pinned or not, for lists that are not a section's.
pub fn newest_first(a: &SitePage, b: &SitePage) -> std::cmp::Ordering {
    let date = |p: &SitePage| p.page.meta.date.map(|d| d.ts);
    date(b).cmp(&date(a)).then_with(|| a.url.cmp(&b.url))
}

fn collect_tags(pages: &mut [SitePage]) -> Vec<Tag> {
    // Keyed by slug, so `PDF` and `pdf` are one tag; the first spelling seen wins.
    let mut by_slug: BTreeMap<String, Tag> = BTreeMap::new();
    for i in 0..pages.len() {
        for name in pages[i].page.meta.tags.clone() {
            let Some(slug) = slug::slugify(&name) else {
                continue;
            };
            let tag = by_slug.entry(slug.clone()).or_insert_with(|| Tag {
                name: name.clone(),
                url: format!("tags/{slug}/index.html"),
                pages: Vec::new(),
            });
            if !tag.pages.contains(&i) {
                tag.pages.push(i);
            }
        }
    }
    let mut tags: Vec<Tag> = by_slug.into_values().collect();
    for (t, tag) in tags.iter_mut().enumerate() {
        tag.pages
            .sort_by(|&a, &b| newest_first(&pages[a], &pages[b]));
        for &p in &tag.pages {
            pages[p].tags.push(t);
        }
    }
    tags
}
