//! Rendering: Markdown for every page and section, then every output file
//! (pages, section lists, home, tags, 404) through the theme's templates, in
//! parallel; `build` decides what is written.

pub mod body;
pub mod changed;
pub mod contact;
pub mod context;
pub mod discovery;
pub mod extra;
pub mod feeds;
pub mod fingerprint;
pub mod later;
pub mod markdown;
pub mod moves;
pub mod not_found;
pub mod official;
pub mod outside_loads;
pub mod paginate;
pub mod qr;
pub mod reshape;
pub mod safe_links;
pub mod section_counts;
pub mod section_index;
pub mod showing;
pub mod templates;
pub mod typography;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use tera::{Context, Value};

use crate::content::PageFile;
use crate::diagnostics::Diagnostic;
use crate::i18n::Msg;
use crate::site::{Links, Site, SitePage, generated};
use crate::urls;
use body::Body;
use context::Obj;
use markdown::{Origin, Rendered};
use templates::Templates;

/// How many pages of each section the home page shows.
const HOME_LATEST: usize = 6;
/// How many event reports the home page's 图片新闻 shows.
const PHOTO_NEWS: usize = 4;

/// Markdown rendered for every page and every section's `_index.md`.
pub struct Bodies {
    pub pages: Vec<Arc<Body>>,
    pub sections: Vec<Rendered>,
}

/// Rendered Markdown kept between rebuilds, by content-relative path.
#[derive(Default)]
pub struct MarkdownCache {
    entries: HashMap<String, (PageFile, String, Arc<Body>)>,
    /// The photos the cached HTML was sized for ([`crate::images::Photos::key`]).
    photos: u64,
    /// What an earlier process rendered ([`StoredMarkdown`]).
    stored: FxHashMap<String, StoredMarkdown>,
    /// How many pages the last run took from `stored`.
    reused: usize,
    /// Pages the last run rendered afresh that [`MarkdownCache::stored`]
    /// includes.
    fresh: HashSet<String>,
    /// The hash of the site's link map ([`MarkdownCache::set_links`]); 0
    /// when not known.
    links: u64,
}

/// A page's rendered Markdown in the form the build cache keeps between
/// processes ([`crate::cache`]): valid while the file's text hashes to
/// `text`, the page keeps its URL, the photos are the same and every link
/// it looked up still resolves the same way. Only Markdown without
/// diagnostics is kept, so messages are always made afresh. Read back
/// ([`StoredMarkdownIn`]), the whole of it stays encoded until needed
/// ([`Body`]).
pub struct StoredMarkdown {
    text: u64,
    url: String,
    photos: u64,
    /// The hash of the link map it was last checked against (0: none).
    links: u64,
    body: Arc<Body>,
}

/// [`StoredMarkdown`] as encoded: the body's brief, and where the rest is
/// in the shard's file of bodies ([`body::BodyFile`]).
#[derive(serde::Serialize)]
pub struct StoredMarkdownOut<'a> {
    text: u64,
    url: &'a str,
    photos: u64,
    brief: body::BriefRef<'a>,
    whole: (u64, u64),
}

impl StoredMarkdown {
    /// Appends the body's whole as the build cache writes it into a file
    /// of bodies (`out`, the file's bytes so far); `false`, with nothing
    /// appended, when it came from one that is no longer as written.
    pub fn append_whole(&self, out: &mut Vec<u8>) -> bool {
        self.body.append_whole(out)
    }

    /// The rest, for the whole written at `start` (`len` bytes).
    pub fn out(&self, start: u64, len: u64) -> StoredMarkdownOut<'_> {
        StoredMarkdownOut {
            text: self.text,
            url: &self.url,
            photos: self.photos,
            brief: self.body.brief(&self.url),
            whole: (start, len),
        }
    }
}

/// A [`StoredMarkdown`] as decoded, its body's whole still in the file of
/// bodies ([`StoredMarkdownIn::keep`]).
#[derive(serde::Deserialize)]
pub struct StoredMarkdownIn {
    text: u64,
    url: String,
    photos: u64,
    brief: body::Brief,
    whole: (u64, u64),
}

impl StoredMarkdownIn {
    /// The product, its body's whole left in `file` until something needs
    /// it; every link it looked up resolved as it says under the link map
    /// whose hash is `links`. `None` when it is not inside the file.
    pub fn keep(self, file: &Arc<body::BodyFile>, links: u64) -> Option<StoredMarkdown> {
        Some(StoredMarkdown {
            text: self.text,
            url: self.url,
            photos: self.photos,
            links,
            body: Arc::new(Body::encoded(self.brief, file, self.whole)?),
        })
    }
}

impl MarkdownCache {
    /// A cache that starts from what an earlier process rendered.
    pub fn from_stored(stored: FxHashMap<String, StoredMarkdown>) -> MarkdownCache {
        MarkdownCache {
            stored,
            ..MarkdownCache::default()
        }
    }

    /// How many pages the last run took from what an earlier process
    /// rendered instead of rendering them.
    pub fn reused(&self) -> usize {
        self.reused
    }

    /// Pages the last run rendered rather than took from an earlier process
    /// (only those [`MarkdownCache::stored`] keeps).
    pub fn fresh(&self) -> &HashSet<String> {
        &self.fresh
    }

    /// Tells the next run the hash of the site's link map
    /// ([`crate::cache::products::links_hash`]): what an earlier process
    /// rendered under the same map resolves every link as it did then, and
    /// its links are not looked up again (a lookup for each link of each of
    /// 10,000 pages, 63 million instructions after one edit).
    pub fn set_links(&mut self, hash: u64) {
        self.links = hash;
    }

    /// Every page rendered without a problem, for the build cache.
    pub fn stored(&self) -> FxHashMap<String, StoredMarkdown> {
        self.entries
            .par_iter()
            .filter(|(_, (_, _, body))| body.diags().is_empty())
            .map(|(rel, (file, url, body))| {
                let stored = StoredMarkdown {
                    text: file.text_hash(),
                    url: url.clone(),
                    photos: self.photos,
                    links: self.links,
                    body: body.clone(),
                };
                (rel.clone(), stored)
            })
            .collect()
    }

    /// The cached HTML of a page, if its file, its URL and every link it
    /// looked up are still the same.
    /// The second value is true when it comes from `stored`.
    fn get(&self, p: &SitePage, links: &Links) -> Option<(Arc<Body>, bool)> {
        if let Some((file, url, body)) = self.entries.get(&p.page.rel) {
            let same = file.same(&p.page.file)
                && *url == p.url
                && body.links_unchanged(p.page.dir(), links);
            return same.then(|| (body.clone(), false));
        }
        let s = self.stored.get(&p.page.rel)?;
        let same = s.url == p.url
            && s.photos == self.photos
            && s.text == p.page.file.text_hash()
            && ((s.links == self.links && self.links != 0)
                || s.body.links_unchanged(p.page.dir(), links));
        if same {
            s.body.rendered_from(&p.page.file, p.page.body.clone());
        }
        same.then(|| (s.body.clone(), true))
    }
}

pub fn markdown(site: &Site) -> (Bodies, Vec<Diagnostic>) {
    markdown_cached(site, &mut MarkdownCache::default())
}

/// [`markdown`], reusing and refreshing `cache`.
pub fn markdown_cached(site: &Site, cache: &mut MarkdownCache) -> (Bodies, Vec<Diagnostic>) {
    if cache.photos != site.photos.key {
        cache.entries.clear();
        cache.photos = site.photos.key;
    }
    // What an earlier process rendered, made for other photos, is no use.
    let photos = cache.photos;
    cache.stored.retain(|_, s| s.photos == photos);
    let pages: Vec<(Arc<Body>, bool)> = site
        .pages
        .par_iter()
        .map(|p| {
            if let Some(r) = cache.get(p, &site.links) {
                return r;
            }
            (Arc::new(Body::fresh(page_markdown(site, p))), false)
        })
        .collect();
    cache.reused = pages.iter().filter(|(_, stored)| *stored).count();
    cache.fresh = site
        .pages
        .iter()
        .zip(&pages)
        .filter(|(_, (r, stored))| !*stored && r.diags().is_empty())
        .map(|(p, _)| p.page.rel.clone())
        .collect();
    let pages: Vec<Arc<Body>> = pages.into_iter().map(|(r, _)| r).collect();
    cache.entries = site
        .pages
        .iter()
        .zip(&pages)
        .map(|(p, r)| {
            (
                p.page.rel.clone(),
                (p.page.file.clone(), p.url.clone(), r.clone()),
            )
        })
        .collect();
    cache.stored = FxHashMap::default();
    let sections: Vec<Rendered> = (site.sections.iter())
        .map(|s| section_markdown(site, s))
        .collect();
    let mut diags: Vec<Diagnostic> = Vec::new();
    for r in &pages {
        diags.extend(r.diags().iter().cloned());
    }
    for r in &sections {
        diags.extend(r.diags.iter().cloned());
    }
    (Bodies { pages, sections }, diags)
}

/// A page's Markdown rendered as it is now in `site`, photos included.
pub fn page_markdown(site: &Site, p: &SitePage) -> Rendered {
    let origin = Origin {
        file: &p.page.file,
        body: p.page.body.clone(),
        dir: p.page.dir(),
        url: &p.url,
        lang: site.config.lang,
    };
    with_photos(site, &p.url, markdown::render(&origin, &site.links))
}

/// A section's Markdown (its `_index.md`) rendered as it is now in `site`,
/// photos included; nothing for a content root without one.
pub fn section_markdown(site: &Site, s: &crate::site::SiteSection) -> Rendered {
    match &s.section.file {
        Some(file) => {
            let origin = Origin {
                file,
                body: s.section.body.clone(),
                dir: &s.section.dir,
                url: &s.url,
                lang: site.config.lang,
            };
            with_photos(site, &s.url, markdown::render(&origin, &site.links))
        }
        None => Rendered::default(),
    }
}

/// Gives the photos in rendered Markdown their sizes and thumbnails.
pub fn with_photos(site: &Site, url: &str, mut r: Rendered) -> Rendered {
    if !site.photos.by_rel.is_empty() {
        r.html = crate::images::html::decorate(&r.html, url, |u| context::photo_shown(site, u));
    }
    r
}

/// One file the templates produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    Home,
    NotFound,
    Page(usize),
    /// A section's list, 1-based page number.
    SectionList(usize, usize),
    Tags,
    /// A tag's list, 1-based page number.
    Tag(usize, usize),
    /// `search/index.html`; the index itself is in [`Job::File`]s.
    Search,
    Departments,
    /// A department's list, 1-based page number.
    Department(usize, usize),
    /// A section's archive: its years and months.
    Archive(usize),
    /// One year of a section's archive: archive, year.
    ArchiveYear(usize, usize),
    /// The download centre, 1-based page number.
    Downloads(usize),
    /// `contact/index.html`: how to reach the union.
    Contact,
    /// A file no template renders (search index, feeds): an index into
    /// [`Renderer::extra`].
    File(usize),
}

/// Room for one rendered file at the start: most pages and lists are
/// 10–20 KB, so the buffer is seldom grown and copied.
const RENDER_CAPACITY: usize = 32 * 1024;

/// A template's context made of a prepared job's values.
fn context_of(values: &[(&'static str, Value)]) -> Context {
    let mut ctx = Context::new();
    for (k, v) in values {
        ctx.insert_value(*k, v.clone());
    }
    ctx
}

/// The job-specific values of a template context, in insertion order.
pub struct Vals(pub Vec<(&'static str, Value)>);

impl Vals {
    fn push(&mut self, key: &'static str, value: Value) {
        self.0.push((key, value));
    }
}

/// A job made ready to write: where it goes and how it is made.
pub struct Prepared {
    pub url: String,
    pub made: Made,
}

/// How a prepared file is made.
pub enum Made {
    /// A template rendered with these values; `uses` is the hash of the
    /// templates it can use ([`Templates::uses_hash`]).
    Template {
        name: String,
        values: Vec<(&'static str, Value)>,
        uses: u64,
    },
    /// A file the build makes whole ([`extra`]: search index, feeds,
    /// sitemap): an index into [`Renderer::extra`]'s files, written as it
    /// is, and the hash of its contents.
    File { index: usize, hash: u64 },
}

impl Prepared {
    /// What decides whether the file must be made again: a template's name,
    /// the templates it can use, and its values with the `globals` every
    /// template sees; or a file's contents.
    pub fn fingerprint(&self, globals: u64, known: &fingerprint::Known) -> u64 {
        match &self.made {
            Made::Template { name, values, uses } => {
                fingerprint::of_job(name, *uses, values, globals, known)
            }
            Made::File { hash, .. } => *hash,
        }
    }
}

pub struct Renderer<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
    pub bodies: &'a Bodies,
    /// Each page's summary value, shared by every list that shows it;
    /// empty when they are made as needed ([`Renderer::later`]).
    pub summaries: Vec<Value>,
    /// The summaries made when a file first needs them, instead of
    /// [`Renderer::summaries`] ([`Renderer::with_later_summaries`]).
    pub later: Option<later::LaterSummaries>,
    /// The search index, feeds and sitemap.
    pub extra: extra::Extra,
}

/// `notices/index.html`, `notices/page/2/index.html`, …
pub fn list_url(site: &Site, section: usize, number: usize) -> String {
    paginate::url(&site.sections[section].url, number)
}

impl<'a> Renderer<'a> {
    /// Prepares summaries and feeds, and takes the search index's files
    /// ([`crate::search::build`]) to write with them, and those it kept as
    /// the last build made them ([`extra::Extra::kept`]).
    pub fn new(
        site: &'a Site,
        templates: &'a Templates,
        bodies: &'a Bodies,
        search_files: Vec<(String, String)>,
        search_kept: Vec<(String, u64)>,
    ) -> Self {
        let mut r = Self::with_later_summaries(site, templates, bodies, search_files, search_kept);
        r.later = None;
        r.summaries = site
            .pages
            .par_iter()
            .zip(&bodies.pages)
            .map(|(p, b)| context::page_summary(site, p, b))
            .collect();
        r
    }

    /// [`Renderer::new`] with each summary made when a file first needs
    /// it ([`later`]): for a build that renders a few of the files.
    pub fn with_later_summaries(
        site: &'a Site,
        templates: &'a Templates,
        bodies: &'a Bodies,
        search_files: Vec<(String, String)>,
        search_kept: Vec<(String, u64)>,
    ) -> Self {
        // After the search index, not beside it: merging the index is the
        // build's peak of memory, and the summaries (five kilobytes a page)
        // need not be alive during it. Both use every core anyway.
        let mut extra = extra::build(site, bodies, search_files);
        extra.kept = search_kept;
        Renderer {
            site,
            templates,
            bodies,
            summaries: Vec::new(),
            later: Some(later::LaterSummaries::new(site)),
            extra,
        }
    }

    /// Page `i`'s summary.
    pub fn summary(&self, i: usize) -> &Value {
        match &self.later {
            Some(later) => later.get(self.site, self.bodies, i),
            None => &self.summaries[i],
        }
    }

    /// Every file the templates produce for this site.
    pub fn jobs(&self) -> Vec<Job> {
        let site = self.site;
        let mut jobs = vec![Job::Home, Job::NotFound, Job::Tags];
        jobs.extend((0..site.pages.len()).map(Job::Page));
        for (i, s) in site.sections.iter().enumerate() {
            if s.section.dir.is_empty() {
                continue;
            }
            let lists = paginate::count(s.pages.len(), paginate::size(site, Some(i)));
            jobs.extend((1..=lists).map(|n| Job::SectionList(i, n)));
        }
        let size = paginate::size(site, None);
        for (t, tag) in site.tags.iter().enumerate() {
            let total = paginate::count(tag.pages.len(), size);
            jobs.extend((1..=total).map(|n| Job::Tag(t, n)));
        }
        jobs.extend(discovery::jobs(site));
        if contact::has_channels(&site.config) && self.templates.has(contact::TEMPLATE) {
            jobs.push(Job::Contact);
        }
        jobs.extend((0..self.extra.count()).map(Job::File));
        jobs
    }

    pub fn url(&self, job: Job) -> String {
        match job {
            Job::Home => "index.html".into(),
            Job::NotFound => generated::NOT_FOUND.into(),
            Job::Page(i) => self.site.pages[i].url.clone(),
            Job::Contact => contact::URL.into(),
            Job::SectionList(s, n) => list_url(self.site, s, n),
            Job::Tags => generated::TAGS.into(),
            Job::Tag(t, n) => paginate::url(&self.site.tags[t].url, n),
            Job::File(i) => self.extra.url(i).to_string(),
            Job::Search
            | Job::Departments
            | Job::Department(..)
            | Job::Archive(_)
            | Job::ArchiveYear(..)
            | Job::Downloads(_) => discovery::url(self.site, job),
        }
    }

    /// The latest event reports with a photo cover, for the home page's
    /// 图片新闻 block.
    fn photo_news(&self) -> Vec<usize> {
        let site = self.site;
        let mut events: Vec<usize> = (0..site.pages.len())
            .filter(|&i| {
                let p = &site.pages[i];
                p.kind == crate::content::schema::Kind::Event
                    && !p.expired
                    && self.has_cover_thumb(i)
            })
            .collect();
        events.sort_by(|&a, &b| crate::site::newest_first(&site.pages[a], &site.pages[b]));
        events.truncate(PHOTO_NEWS);
        events
    }

    /// Whether page `i`'s summary has a `cover.thumb`, without making the
    /// summary when it is made as needed (every event's would be made).
    fn has_cover_thumb(&self, i: usize) -> bool {
        let shown = |v: Option<&Value>| v.is_some_and(|v| !v.is_undefined() && !v.is_none());
        if self.later.is_none() {
            return shown(self.summaries[i].get_from_path("cover.thumb"));
        }
        let (p, body) = (&self.site.pages[i], &self.bodies.pages[i]);
        context::cover(self.site, p, body).is_some_and(|c| shown(c.get_from_path("thumb")))
    }

    /// The pinned pages, newest first, for the home page's 置顶 block.
    fn pinned(&self) -> Vec<usize> {
        let site = self.site;
        let mut pinned: Vec<usize> = (0..site.pages.len())
            .filter(|&i| site.pages[i].pinned)
            .collect();
        pinned.sort_by(|&a, &b| crate::site::newest_first(&site.pages[a], &site.pages[b]));
        pinned
    }

    /// Section `s`'s latest pages that have not expired, for the home page.
    fn latest(&self, s: usize) -> Vec<usize> {
        let site = self.site;
        let mut pages: Vec<usize> = site.sections[s]
            .pages
            .iter()
            .copied()
            .filter(|&p| !site.pages[p].expired)
            .collect();
        pages.sort_by(|&a, &b| crate::site::newest_first(&site.pages[a], &site.pages[b]));
        pages.truncate(HOME_LATEST);
        pages
    }

    fn list(&self, pages: &[usize]) -> Value {
        Value::from(
            pages
                .iter()
                .map(|&i| self.summary(i).clone())
                .collect::<Vec<_>>(),
        )
    }

    /// The job-specific part of a template's context (nothing for a file
    /// the build made).
    fn prepare(&self, job: Job, ctx: &mut Vals) {
        let site = self.site;
        match job {
            Job::Home => {
                let root = site.sections.iter().position(|s| s.section.dir.is_empty());
                let home = root.map(|r| {
                    Obj::new()
                        .set("title", site.sections[r].section.title.as_str())
                        .set("content", Value::safe_string(&self.bodies.sections[r].html))
                        .build()
                });
                ctx.push("home", home.unwrap_or_else(|| Obj::new().build()));
                ctx.push("pinned", self.list(&self.pinned()));
                ctx.push("photo_news", self.list(&self.photo_news()));
                let latest: Vec<Value> = (0..site.sections.len())
                    .filter(|&i| !site.sections[i].section.dir.is_empty())
                    .map(|i| {
                        Obj::new()
                            .set("section", context::section_ref(site, i))
                            .set("pages", self.list(&self.latest(i)))
                            .build()
                    })
                    .collect();
                ctx.push("latest", Value::from(latest));
            }
            Job::NotFound => {
                for (k, v) in not_found::values(site) {
                    ctx.push(k, v);
                }
            }
            Job::Page(i) => {
                let p = &site.pages[i];
                let body = self.bodies.pages[i].shown();
                let toc: Vec<Value> = body
                    .toc
                    .iter()
                    .map(|h| {
                        Obj::new()
                            .set("level", h.level as i64)
                            .set("id", h.id.as_str())
                            .set("title", h.title.as_str())
                            .build()
                    })
                    .collect();
                let mut fields = vec![
                    ("content", Value::safe_string(&body.html)),
                    ("toc", Value::from(toc)),
                    (
                        "photos",
                        Value::from(context::page_photos(site, p, &self.bodies.pages[i])),
                    ),
                    ("related", self.related(i)),
                ];
                if let Some(base) = &site.config.base_url {
                    let address = qr::page_address(base, &p.url);
                    if let Some(svg) = qr::svg(&address) {
                        fields.push(("qr_svg", Value::safe_string(&svg)));
                    }
                    fields.push(("address", Value::from(address)));
                }
                let page = context::extend(self.summary(i), fields);
                ctx.push("page", page);
            }
            Job::SectionList(s, n) => {
                let sec = &site.sections[s];
                let size = paginate::size(site, Some(s));
                let total = paginate::count(sec.pages.len(), size);
                let slice = paginate::slice(&sec.pages, n, size);
                let section = Obj::new()
                    .set("title", sec.section.title.as_str())
                    .set("url", sec.url.as_str())
                    .set("kind", sec.section.kind.as_str())
                    .opt("description", sec.section.description.as_deref())
                    .set("content", Value::safe_string(&self.bodies.sections[s].html))
                    .opt(
                        "archive_url",
                        site.taxonomy.archive_of(s).map(|a| a.url.as_str()),
                    )
                    .opt("feed_url", feeds::section_feed(site, s))
                    .build();
                let paginator = paginate::value(&sec.url, n, total);
                ctx.push("section", section);
                ctx.push("pages", self.list(slice));
                ctx.push("paginator", paginator);
            }
            Job::Tags => {
                let tags: Vec<Value> = site
                    .tags
                    .iter()
                    .map(|t| {
                        Obj::new()
                            .set("name", t.name.as_str())
                            .set("url", t.url.as_str())
                            .set("count", t.pages.len())
                            .build()
                    })
                    .collect();
                ctx.push("tags", Value::from(tags));
            }
            Job::Tag(t, n) => {
                let tag = &site.tags[t];
                let size = paginate::size(site, None);
                let total = paginate::count(tag.pages.len(), size);
                ctx.push(
                    "tag",
                    Obj::new()
                        .set("name", tag.name.as_str())
                        .set("url", tag.url.as_str())
                        .set("count", tag.pages.len())
                        .build(),
                );
                ctx.push("pages", self.list(paginate::slice(&tag.pages, n, size)));
                ctx.push("paginator", paginate::value(&tag.url, n, total));
            }
            Job::Contact | Job::File(_) => {}
            Job::Search
            | Job::Departments
            | Job::Department(..)
            | Job::Archive(_)
            | Job::ArchiveYear(..)
            | Job::Downloads(_) => {
                for (k, v) in self.discovery(job) {
                    ctx.push(k, v);
                }
            }
        }
    }

    /// The template a job is rendered with, as the site names it; `None`
    /// for a file no template makes.
    fn named_template(&self, job: Job) -> Option<String> {
        let site = self.site;
        let name = match job {
            Job::Home => "index.html".into(),
            Job::NotFound => "404.html".into(),
            Job::Page(i) => {
                let p = &site.pages[i];
                (p.page.meta.template.clone()).unwrap_or_else(|| p.kind.template().to_string())
            }
            Job::SectionList(s, _) => {
                (site.sections[s].section.template.clone()).unwrap_or_else(|| "section.html".into())
            }
            Job::Tags => "tags.html".into(),
            Job::Tag(..) => "tag.html".into(),
            Job::Contact => contact::TEMPLATE.into(),
            Job::File(_) => return None,
            Job::Search
            | Job::Departments
            | Job::Department(..)
            | Job::Archive(_)
            | Job::ArchiveYear(..)
            | Job::Downloads(_) => discovery::template(job).into(),
        };
        Some(name)
    }

    /// The template a job is rendered with, which may be missing (the
    /// build reports it); `None` for a file no template makes. A theme
    /// without a kind's own template shows it as a plain page.
    pub fn template_of(&self, job: Job) -> Option<String> {
        let template = self.named_template(job)?;
        if let Job::Page(i) = job {
            let fall_back = !self.templates.has(&template)
                && template != "page.html"
                && self.site.pages[i].page.meta.template.is_none()
                && self.templates.has("page.html");
            if fall_back {
                return Some("page.html".into());
            }
        }
        Some(template)
    }

    /// The jobs rendered with one of `templates` (names), in job order.
    pub fn jobs_using(&self, templates: &[String]) -> Vec<Job> {
        (self.jobs().into_par_iter())
            .filter(|&job| {
                self.template_of(job)
                    .is_some_and(|t| templates.contains(&t))
            })
            .collect()
    }

    /// The template and values for one file, checked that the template exists.
    pub fn prepare_job(&self, job: Job) -> Result<Prepared, Diagnostic> {
        let url = self.url(job);
        let mut vals = Vals(vec![
            ("root", Value::from(urls::path_to_root(&url))),
            ("current_url", Value::from(url.as_str())),
        ]);
        if let Job::File(index) = job {
            // Its bytes stand for it in the watcher's fingerprint.
            let hash = self.extra.hash_of(index);
            let made = Made::File { index, hash };
            return Ok(Prepared { url, made });
        }
        // Every other job has a template.
        let template = self.template_of(job).unwrap_or_default();
        if !self.templates.has(&template) {
            let span = match job {
                Job::Page(i) => Some(self.site.pages[i].page.file.start_span()),
                _ => None,
            };
            return Err(Diagnostic::error(
                span,
                Msg::TemplateMissing { name: template },
            ));
        }
        self.prepare(job, &mut vals);
        let uses = self.templates.uses_hash(&template);
        Ok(Prepared {
            url,
            made: Made::Template {
                name: template,
                values: vals.0,
                uses,
            },
        })
    }

    /// Rendered, or for a file no template makes, its contents borrowed
    /// (the search index is tens of megabytes).
    pub fn render_prepared(&self, p: &Prepared) -> Result<Cow<'_, str>, Diagnostic> {
        let (name, values) = match &p.made {
            Made::File { index, .. } => return self.contents(p, *index).map(Cow::Borrowed),
            Made::Template { name, values, .. } => (name, values),
        };
        self.templates
            .tera
            .render(name, &context_of(values))
            .map(Cow::Owned)
            .map_err(|e| self.templates.diagnostic(&e, Some(name)))
    }

    /// [`Renderer::render_prepared`] as the bytes to write, for the builds
    /// that only write and hash them: Tera writes UTF-8, and making it a
    /// `String` checked every byte of every file once more (2 % of a
    /// 10,000-page build's CPU).
    pub fn render_bytes(&self, p: &Prepared) -> Result<Cow<'_, [u8]>, Diagnostic> {
        let (name, values) = match &p.made {
            Made::File { index, .. } => {
                return (self.contents(p, *index)).map(|c| Cow::Borrowed(c.as_bytes()));
            }
            Made::Template { name, values, .. } => (name, values),
        };
        let mut html = Vec::with_capacity(RENDER_CAPACITY);
        self.templates
            .tera
            .render_to(name, &context_of(values), &mut html)
            .map(|()| Cow::Owned(html))
            .map_err(|e| self.templates.diagnostic(&e, Some(name)))
    }

    /// A file no template makes, which a kept one ([`extra::Extra::kept`])
    /// is not here to give: the build keeps it as the output has it.
    fn contents(&self, p: &Prepared, index: usize) -> Result<&str, Diagnostic> {
        self.extra.contents(index).ok_or_else(|| {
            let e = std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "kept from the last build, not made",
            );
            Diagnostic::io(&p.url, &e)
        })
    }

    /// Every job's URL and fingerprint (`fingerprint` of its prepared
    /// context), each context dropped as soon as it is hashed so that no
    /// more than a few are alive at once; and the problems of the jobs whose
    /// template is missing.
    pub fn fingerprints(
        &self,
        jobs: &[Job],
        fingerprint: &(dyn Fn(&Prepared) -> u64 + Sync),
    ) -> (Vec<(Job, String, u64)>, Vec<Diagnostic>) {
        let outcomes: Vec<Result<(Job, String, u64), Diagnostic>> = jobs
            .par_iter()
            .map(|&job| {
                let p = self.prepare_job(job)?;
                let fp = fingerprint(&p);
                Ok((job, p.url, fp))
            })
            .collect();
        let mut done = Vec::with_capacity(outcomes.len());
        let mut missing = Vec::new();
        for o in outcomes {
            match o {
                Ok(x) => done.push(x),
                Err(d) => missing.push(d),
            }
        }
        (done, missing)
    }

    /// What fails when every job is prepared and, with `render`, rendered
    /// (nothing is kept or written): the jobs whose template is missing, and
    /// the templates that fail.
    pub fn problems(&self, jobs: &[Job], render: bool) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        let outcomes: Vec<Result<Option<Diagnostic>, Diagnostic>> = jobs
            .par_iter()
            .map(|&job| {
                let p = self.prepare_job(job)?;
                // A file no template makes cannot fail (nor, kept, be made).
                let templated = matches!(p.made, Made::Template { .. });
                Ok((render && templated)
                    .then(|| self.render_prepared(&p).err())
                    .flatten())
            })
            .collect();
        let mut missing = Vec::new();
        let mut failed = Vec::new();
        for o in outcomes {
            match o {
                Ok(d) => failed.extend(d),
                Err(d) => missing.push(d),
            }
        }
        (missing, failed)
    }

    /// Renders one file.
    pub fn render(&self, job: Job) -> Result<(String, String), Diagnostic> {
        let p = self.prepare_job(job)?;
        let html = self.render_prepared(&p)?.into_owned();
        Ok((p.url, html))
    }
}

/// The example site of this repository as a build on 21 November 2026
/// indexes it, with its templates: for the tests that check which files
/// show a page against every kind of list the site has.
#[cfg(test)]
pub(crate) fn example_site() -> (Site, Templates) {
    use crate::diagnostics::{Diagnostics, Sources};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = crate::site::Options {
        drafts: false,
        future: false,
        now: "2026-11-21T00:00:00Z".parse().unwrap(),
    };
    let (mut diags, mut sources) = (Diagnostics::default(), Sources::default());
    let config = crate::config::load(root, &mut diags, &mut sources).unwrap();
    let templates =
        Templates::load(&config.root, &config.theme_dir(), &mut diags, &mut sources).unwrap();
    let (dir, tz) = (config.content_dir(), config.timezone.clone());
    let content = crate::content::load(&dir, root, &tz, &mut diags, &mut sources);
    let site = crate::site::index(config, options, content, &mut diags);
    (site, templates)
}
