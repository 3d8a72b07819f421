//! Builds, start to finish: load → validate → index → render → write.
//!
//! A [`Session`] owns what one build leaves behind — parsed files, rendered
//! Markdown, each output's fingerprint and hash — so the next build (the
//! watcher's) reads, renders and writes only what a change affects. The first
//! build of a session, and every `unionpress build`, renders into a staging
//! folder and swaps it in; later ones render the affected files in memory and
//! replace them one by one. Nothing is written while any error stands.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics, Sources};
use crate::i18n::{Lang, Msg};
use crate::images;
use crate::output::{self, Staging, WriteStats};
use crate::render::fingerprint::{self, Known};
use crate::render::templates::{Templates, files_under};
use crate::render::{self, MarkdownCache, Prepared, Renderer};
use crate::site::{self, Site};

#[derive(Debug, Clone)]
pub struct Request {
    pub root: PathBuf,
    /// `None`: validate everything, write nothing (`check`).
    pub output: Option<PathBuf>,
    pub options: site::Options,
    /// `--lang`, over the site's `language`.
    pub lang: Option<Lang>,
}

#[derive(Debug)]
pub struct Report {
    /// Sorted by file and line.
    pub diags: Vec<Diagnostic>,
    pub sources: Sources,
    pub lang: Lang,
    pub pages: usize,
    pub stats: Option<WriteStats>,
    /// Root-relative URLs written or removed by this build.
    pub changed: Vec<String>,
    pub elapsed: Duration,
    /// The search index the build made.
    pub search: Option<crate::search::Stats>,
    /// How many Atom feeds it made; `None` when `base_url` is not set.
    pub feeds: Option<usize>,
    /// How long each stage took, for finding where the time goes.
    pub stages: Vec<(&'static str, Duration)>,
    /// How much photo work the build did; `None` when it wrote nothing.
    pub images: Option<images::Stats>,
}

impl Report {
    /// Records how long a stage took since `lap`, and restarts it.
    fn stage(&mut self, name: &'static str, lap: &mut Instant) {
        self.stages.push((name, lap.elapsed()));
        *lap = Instant::now();
    }

    /// `load+index 120 ms · markdown 40 ms · …`, for `UNIONPRESS_TIMINGS=1`.
    pub fn timings(&self) -> String {
        let mut parts: Vec<String> = self
            .stages
            .iter()
            .map(|(n, d)| format!("{n} {} ms", d.as_millis()))
            .collect();
        if let Some(i) = &self.images {
            parts.push(format!(
                "photos processed {} · reused {} · hashed {}",
                i.processed, i.reused, i.hashed
            ));
        }
        parts.join(" · ")
    }

    pub fn failed(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }
}

/// A site loaded, validated and indexed, not yet rendered.
pub struct Loaded {
    pub site: Site,
    pub templates: Option<Templates>,
}

/// Loads, validates and indexes a site without rendering (`check`).
pub fn load(
    root: &Path,
    options: site::Options,
    diags: &mut Diagnostics,
    sources: &mut Sources,
) -> Option<Loaded> {
    let config = config::load(root, diags, sources)?;
    let templates = load_templates(&config, diags, sources);
    let content = content::load(
        &config.content_dir(),
        root,
        &config.timezone.clone(),
        diags,
        sources,
    );
    let site = site::index(config, options, content, diags);
    Some(Loaded { site, templates })
}

fn load_templates(
    config: &Config,
    diags: &mut Diagnostics,
    sources: &mut Sources,
) -> Option<Templates> {
    let theme_dir = config.theme_dir();
    if !theme_dir.is_dir() {
        diags.error(
            None,
            Msg::ThemeMissing {
                name: config.theme.clone(),
                path: theme_dir.display().to_string(),
            },
        );
    }
    Templates::load(&config.root, &theme_dir, diags, sources)
}

/// Theme static files, the site's own static files over them, and the
/// files under `content/`, by output URL.
pub fn static_files(config: &Config, site: &Site) -> BTreeMap<String, PathBuf> {
    let mut files = BTreeMap::new();
    for dir in [
        config.theme_dir().join("static"),
        config.root.join("static"),
    ] {
        files.extend(files_under(&dir));
    }
    let originals = config.images.publish_originals;
    for a in &site.assets {
        if images::role(&a.asset.rel) == images::Role::Other {
            files.insert(a.url.clone(), a.asset.path.clone());
            continue;
        }
        // Photos go out only as their copies, never with their EXIF (a
        // photo that could not be processed is not published at all).
        let Some(photo) = site.photos.by_rel.get(&a.asset.rel) else {
            continue;
        };
        files.insert(
            images::display_url(&a.url, photo),
            photo.display.path.clone(),
        );
        if let Some(t) = &photo.thumb {
            files.insert(images::thumb_url(&a.url, photo), t.path.clone());
        }
        if originals {
            files.insert(images::original_url(&a.url), a.asset.path.clone());
        }
    }
    files
}

/// One full build (what `unionpress build` runs).
pub fn run(req: &Request) -> Report {
    Session::one_shot(req.clone()).build()
}

/// Size and time of a file, to notice it changed without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileStamp {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
}

impl FileStamp {
    /// Coarse file-system clocks can hide a second save in the same tick.
    fn recent(&self) -> bool {
        self.modified
            .and_then(|m| m.elapsed().ok())
            .is_none_or(|age| age < Duration::from_secs(3))
    }
}

fn same_file_bytes(a: &Path, b: &Path) -> bool {
    matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
}

fn stamp(path: &Path) -> FileStamp {
    let meta = std::fs::metadata(path).ok();
    FileStamp {
        path: path.to_path_buf(),
        len: meta.as_ref().map_or(0, |m| m.len()),
        modified: meta.and_then(|m| m.modified().ok()),
    }
}

/// What is in the output folder, as the session last wrote it.
#[derive(Default)]
struct Written {
    /// Fingerprint of each rendered file's inputs.
    jobs: HashMap<String, u64>,
    /// Hash of each rendered file's bytes.
    outputs: HashMap<String, u64>,
    statics: HashMap<String, FileStamp>,
}

/// Whether two versions of a page's front matter put it in the same place:
/// same URL, same publication, same lists, same files. Fields that are only
/// shown on the page (title, summary, 文号, people, places…) may differ.
fn same_place(a: &content::PageMeta, b: &content::PageMeta) -> bool {
    a.date == b.date
        && a.draft == b.draft
        && a.slug == b.slug
        && a.kind == b.kind
        && a.template == b.template
        && a.tags == b.tags
        && a.department == b.department
        && a.pinned == b.pinned
        && a.pinned_until == b.pinned_until
        && a.expires == b.expires
        && a.attachments == b.attachments
        && a.cover == b.cover
}

/// What the last written build rendered from.
struct Last {
    site: Site,
    bodies: render::Bodies,
    summaries: Vec<tera::Value>,
}

pub struct Session {
    req: Request,
    config_text: Option<String>,
    content: content::Cache,
    markdown: MarkdownCache,
    search: crate::search::Cache,
    templates: Option<Templates>,
    template_stamps: Vec<FileStamp>,
    /// Changes whenever the templates are reloaded.
    generation: u64,
    /// Keep parsed files and search tokens for the next build (watch mode).
    retain: bool,
    /// The last build that was written, for [`Session::quick`].
    last: Option<Last>,
    /// Published photo copies, opened at the first build that writes.
    images: Option<images::cache::Cache>,
    written: Option<Written>,
}

impl Session {
    pub fn new(req: Request) -> Session {
        Session {
            req,
            config_text: None,
            content: content::Cache::default(),
            markdown: MarkdownCache::default(),
            search: crate::search::Cache::retaining(),
            templates: None,
            template_stamps: Vec::new(),
            generation: 0,
            retain: true,
            last: None,
            written: None,
            images: None,
        }
    }

    /// A session for a single build: nothing is kept for a next one, so
    /// memory is freed as soon as each stage is done with it.
    pub fn one_shot(req: Request) -> Session {
        Session {
            retain: false,
            search: crate::search::Cache::default(),
            ..Session::new(req)
        }
    }

    pub fn request(&self) -> &Request {
        &self.req
    }

    /// The fast path for the commonest edits, an editor saving a page's text
    /// or its title: when every changed path is a published page whose front
    /// matter still puts it in the same place ([`same_place`]), re-render just
    /// those pages from the last written
    /// build and write them, so the preview can reload at once. Returns the
    /// URLs written (maybe none), or `None` when the edit needs a real build.
    /// Always follow it with [`Session::build`]: lists, excerpts and the
    /// search index are brought up to date there.
    pub fn quick(&mut self, paths: &[PathBuf]) -> Option<Vec<String>> {
        let last = self.last.as_mut()?;
        let templates = self.templates.as_ref()?;
        let written = self.written.as_mut()?;
        let out = self.req.output.as_ref()?;
        let content_dir = last.site.config.content_dir();
        let tz = last.site.config.timezone.clone();
        let mut pages: Vec<usize> = Vec::new();
        let mut unique: Vec<&PathBuf> = paths.iter().collect();
        unique.sort();
        unique.dedup();
        for path in unique {
            let rel = path.strip_prefix(&content_dir).ok()?;
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let rel = rel.join("/");
            let i = last.site.pages.iter().position(|p| p.page.rel == rel)?;
            let old = &last.site.pages[i];
            let bytes = std::fs::read(path).ok()?;
            let file =
                crate::source::decode(path.clone(), old.page.file.display.clone(), bytes).ok()?;
            let (parsed, diags) = content::parse::page(&file, &tz);
            let (meta, body) = parsed?;
            if diags.iter().any(Diagnostic::is_error) || !same_place(&meta, &old.page.meta) {
                return None;
            }
            let p = &last.site.pages[i];
            let origin = render::markdown::Origin {
                file: &file,
                body: body.clone(),
                dir: p.page.dir(),
                url: &p.url,
            };
            let rendered = render::with_photos(
                &last.site,
                &p.url,
                render::markdown::render(&origin, &last.site.links),
            );
            if rendered.diags.iter().any(Diagnostic::is_error) {
                return None;
            }
            last.bodies.pages[i] = std::sync::Arc::new(rendered);
            let page = &mut last.site.pages[i].page;
            page.file = std::sync::Arc::new(file);
            page.body = body;
            page.meta = meta;
            pages.push(i);
        }
        for &i in &pages {
            last.summaries[i] = render::context::page_summary(
                &last.site,
                &last.site.pages[i],
                &last.bodies.pages[i],
            );
        }
        let renderer = Renderer {
            site: &last.site,
            templates,
            bodies: &last.bodies,
            summaries: last.summaries.clone(),
            extra: Default::default(),
        };
        let mut changed = Vec::new();
        for i in pages {
            let prepared = renderer.prepare_job(render::Job::Page(i)).ok()?;
            let html = renderer.render_prepared(&prepared).ok()?;
            let hash = fingerprint::of_bytes(html.as_bytes());
            if written.outputs.get(&prepared.url) != Some(&hash) {
                let path = output::path_in(out, &prepared.url).ok()?;
                output::write_atomic(&path, html.as_bytes()).ok()?;
                written.outputs.insert(prepared.url.clone(), hash);
                changed.push(prepared.url);
            }
        }
        Some(changed)
    }

    /// Builds the site as it is on disk now, doing only the work that
    /// changed since the last build of this session.
    pub fn build(&mut self) -> Report {
        let started = Instant::now();
        let mut diags = Diagnostics::default();
        let mut sources = Sources::default();
        let mut report = Report {
            diags: Vec::new(),
            sources: Sources::default(),
            lang: self.req.lang.unwrap_or_default(),
            pages: 0,
            stats: None,
            changed: Vec::new(),
            elapsed: Duration::ZERO,
            search: None,
            feeds: None,
            stages: Vec::new(),
            images: None,
        };
        let mut lap = Instant::now();
        let loaded = self.load(&mut diags, &mut sources);
        report.stage("load+index", &mut lap);
        if let Some(mut site) = loaded {
            self.photos(&mut site, &mut diags, &mut report);
            report.stage("photos", &mut lap);
            report.lang = self.req.lang.unwrap_or(site.config.lang);
            report.pages = site.pages.len();
            let (bodies, md_diags) = render::markdown_cached(&site, &mut self.markdown);
            diags.extend(md_diags);
            report.stage("markdown", &mut lap);
            let summaries = self.render_and_write(&site, &bodies, &mut diags, &mut report);
            // Only a build that was written is a base for quick updates.
            self.last = match summaries {
                Some(summaries) if self.retain => Some(Last {
                    site,
                    bodies,
                    summaries,
                }),
                _ => None,
            };
        } else {
            self.last = None;
        }
        report.diags = diags.into_sorted();
        report.sources = sources;
        report.elapsed = started.elapsed();
        report
    }

    /// The photos' published copies (from the cache or made now) when the
    /// build writes; only the checks that need no decoding when it does not.
    fn photos(&mut self, site: &mut Site, diags: &mut Diagnostics, report: &mut Report) {
        let settings = site.config.images.clone();
        let assets = site.assets.iter().map(|a| &a.asset);
        let refused = if self.req.output.is_none() {
            images::screen(&settings, assets, true)
        } else {
            let dir = images::cache_dir(&site.config.root);
            let cache = match &mut self.images {
                Some(c) if c.requested() == dir => c,
                slot => slot.insert(images::cache::Cache::open(&dir)),
            };
            let (mut photos, refused) = images::prepare(&settings, cache, assets);
            for (i, a) in site.assets.iter().enumerate() {
                if let Some(photo) = photos.by_rel.get(&a.asset.rel) {
                    // Markdown links to the photo lead to its display copy.
                    site.links
                        .insert(a.asset.rel.clone(), images::display_url(&a.url, photo));
                    photos.urls.insert(a.url.clone(), i);
                    photos.urls.insert(images::display_url(&a.url, photo), i);
                    if let Some(b) = &a.asset.bundle {
                        photos.bundles.entry(b.clone()).or_default().push(i);
                    }
                }
            }
            report.images = Some(photos.stats);
            site.photos = photos;
            refused
        };
        for r in &refused {
            diags.push(images::diagnostic(r, &site.config));
        }
    }

    /// Config, templates and content, each reloaded only if it changed.
    fn load(&mut self, diags: &mut Diagnostics, sources: &mut Sources) -> Option<Site> {
        let root = self.req.root.clone();
        let config = config::load(&root, diags, sources)?;
        let config_text = sources.get(config::FILE_NAME).map(|t| t.to_string());
        if config_text != self.config_text {
            // Time zone, theme and paths may all have changed: start afresh.
            self.content = content::Cache::default();
            self.markdown = MarkdownCache::default();
            self.search = if self.retain {
                crate::search::Cache::retaining()
            } else {
                crate::search::Cache::default()
            };
            self.templates = None;
            self.config_text = config_text;
        }
        let stamps: Vec<FileStamp> = [config.theme_dir().join("templates"), root.join("templates")]
            .iter()
            .flat_map(|d| files_under(d))
            .map(|(_, path)| stamp(&path))
            .collect();
        if self.templates.is_none() || stamps != self.template_stamps {
            self.templates = load_templates(&config, diags, sources);
            self.template_stamps = stamps;
            self.generation += 1;
        } else if let Some(t) = &self.templates {
            t.add_sources(sources);
        }
        let content = content::load_cached(
            &config.content_dir(),
            &root,
            &config.timezone.clone(),
            &mut self.content,
            diags,
            sources,
        );
        if !self.retain {
            // The site holds its own copy of every page; the cache's is spare.
            self.content = content::Cache::default();
        }
        Some(site::index(
            config,
            self.req.options.clone(),
            content,
            diags,
        ))
    }

    /// Renders and writes; returns the page summaries when the output was
    /// written, for [`Session::quick`].
    fn render_and_write(
        &mut self,
        site: &Site,
        bodies: &render::Bodies,
        diags: &mut Diagnostics,
        report: &mut Report,
    ) -> Option<Vec<tera::Value>> {
        let templates = self.templates.as_mut()?;
        let globals = render::context::globals(site);
        let no_known = Known::default();
        let globals_hash = globals.iter().fold(self.generation, |acc, (k, v)| {
            acc ^ fingerprint::of_value(v, &no_known)
                .wrapping_add(fingerprint::of_bytes(k.as_bytes()))
        });
        templates.set_globals(globals);
        let templates = &*templates;
        let mut lap = Instant::now();
        let renderer = Renderer::new(site, templates, bodies, &mut self.search);
        report.stage("summaries+search+feeds", &mut lap);
        report.search = Some(renderer.extra.search);
        report.feeds = renderer.extra.feeds;
        let mut known = Known::default();
        let hashes: Vec<u64> = renderer
            .summaries
            .par_iter()
            .map(|v| fingerprint::of_value(v, &no_known))
            .collect();
        for (v, h) in renderer.summaries.iter().zip(hashes) {
            known.insert(v, h);
        }
        let jobs = renderer.jobs();
        // One pass: preparing every job twice (once for the contexts, once
        // for the errors) cost a tenth of a 10,000-page build.
        let outcomes: Vec<Result<(Prepared, u64), Diagnostic>> = jobs
            .par_iter()
            .map(|&job| {
                renderer.prepare_job(job).map(|p| {
                    let fp = fingerprint::of_job(&p.template, &p.values, globals_hash, &known);
                    (p, fp)
                })
            })
            .collect();
        report.stage("contexts+fingerprints", &mut lap);
        let mut prepared: Vec<(Prepared, u64)> = Vec::with_capacity(outcomes.len());
        // Template-missing problems, reported once per job.
        for outcome in outcomes {
            match outcome {
                Ok(p) => prepared.push(p),
                Err(d) => diags.push(d),
            }
        }
        let mut statics = static_files(&site.config, site);
        let rendered_urls: HashSet<&str> = prepared.iter().map(|(p, _)| p.url.as_str()).collect();
        statics.retain(|url, _| !rendered_urls.contains(url.as_str()));

        let out = match &self.req.output {
            Some(out) if !diags.has_errors() => out.clone(),
            _ => {
                // Nothing will be written; render anyway to find template errors.
                diags.extend(
                    prepared
                        .par_iter()
                        .filter_map(|(p, _)| renderer.render_prepared(p).err())
                        .collect::<Vec<_>>(),
                );
                return None;
            }
        };
        if output::is_unsafe_output(&self.req.root, &out) {
            diags.error(
                None,
                Msg::UnsafeOutput {
                    path: out.display().to_string(),
                },
            );
            return None;
        }
        let result = match self.written.take() {
            None => full_write(&renderer, &prepared, &statics, &out, diags),
            Some(prev) => {
                let r = incremental_write(&renderer, &prepared, &statics, &out, &prev, diags);
                if r.is_none() {
                    self.written = Some(prev);
                }
                r
            }
        };
        report.stage("render+write", &mut lap);
        let (written, stats, changed) = result?;
        self.written = Some(written);
        report.stats = Some(stats);
        report.changed = changed;
        Some(renderer.summaries)
    }
}

fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::io(path.display(), &e)
}

/// Every file rendered and compared with the previous output; what changed
/// is staged and moved into place at the end (see [`output::Staging`]).
fn full_write(
    renderer: &Renderer,
    prepared: &[(Prepared, u64)],
    statics: &BTreeMap<String, PathBuf>,
    out: &Path,
    diags: &mut Diagnostics,
) -> Option<(Written, WriteStats, Vec<String>)> {
    let staging = match Staging::begin(out) {
        Ok(s) => s,
        Err(e) => {
            diags.push(io_error(out, e));
            return None;
        }
    };
    let results: Vec<Result<(String, u64, u64), Diagnostic>> = prepared
        .par_iter()
        .map(|(p, fp)| {
            let html = renderer.render_prepared(p)?;
            staging
                .put(&p.url, html.as_bytes())
                .map_err(|e| io_error(Path::new(&p.url), e))?;
            Ok((p.url.clone(), *fp, fingerprint::of_bytes(html.as_bytes())))
        })
        .collect();
    let copied: Vec<Diagnostic> = statics
        .par_iter()
        .filter_map(|(url, src)| staging.copy(url, src).err().map(|e| io_error(src, e)))
        .collect();
    let mut written = Written::default();
    let mut failed = !copied.is_empty();
    diags.extend(copied);
    for r in results {
        match r {
            Ok((url, fp, hash)) => {
                written.jobs.insert(url.clone(), fp);
                written.outputs.insert(url, hash);
            }
            Err(d) => {
                failed = true;
                diags.push(d);
            }
        }
    }
    if failed {
        staging.abort();
        return None;
    }
    written.statics = statics
        .iter()
        .map(|(url, src)| (url.clone(), stamp(src)))
        .collect();
    let keep: HashSet<String> = written
        .outputs
        .keys()
        .chain(written.statics.keys())
        .cloned()
        .collect();
    match staging.commit(&keep) {
        Ok((stats, changed)) => Some((written, stats, changed)),
        Err(e) => {
            diags.push(io_error(out, e));
            None
        }
    }
}

/// Only what changed: affected files rendered in memory first (so an error
/// writes nothing), then each written in place atomically; files no longer
/// part of the site are removed.
fn incremental_write(
    renderer: &Renderer,
    prepared: &[(Prepared, u64)],
    statics: &BTreeMap<String, PathBuf>,
    out: &Path,
    prev: &Written,
    diags: &mut Diagnostics,
) -> Option<(Written, WriteStats, Vec<String>)> {
    let dirty: Vec<&(Prepared, u64)> = prepared
        .iter()
        .filter(|(p, fp)| prev.jobs.get(&p.url) != Some(fp) || !prev.outputs.contains_key(&p.url))
        .collect();
    let rendered: Vec<Result<(&str, String), Diagnostic>> = dirty
        .par_iter()
        .map(|(p, _)| {
            renderer
                .render_prepared(p)
                .map(|html| (p.url.as_str(), html))
        })
        .collect();
    let mut pages = Vec::with_capacity(rendered.len());
    let mut failed = false;
    for r in rendered {
        match r {
            Ok(x) => pages.push(x),
            Err(d) => {
                failed = true;
                diags.push(d);
            }
        }
    }
    if failed {
        return None;
    }

    let mut written = Written {
        jobs: prepared
            .iter()
            .map(|(p, fp)| (p.url.clone(), *fp))
            .collect(),
        outputs: prev.outputs.clone(),
        statics: HashMap::new(),
    };
    let mut changed = Vec::new();
    let mut write = |url: &str, result: std::io::Result<()>, changed: &mut Vec<String>| match result
    {
        Ok(()) => changed.push(url.to_string()),
        Err(e) => diags.push(io_error(&out.join(url), e)),
    };
    for (url, html) in &pages {
        let hash = fingerprint::of_bytes(html.as_bytes());
        if prev.outputs.get(*url) != Some(&hash) {
            let r =
                output::path_in(out, url).and_then(|p| output::write_atomic(&p, html.as_bytes()));
            write(url, r, &mut changed);
            written.outputs.insert(url.to_string(), hash);
        }
    }
    for (url, src) in statics {
        let now = stamp(src);
        if prev.statics.get(url) != Some(&now)
            || now.recent() && !same_file_bytes(src, &out.join(url))
        {
            let r = output::path_in(out, url).and_then(|p| output::copy_atomic(src, &p));
            write(url, r, &mut changed);
        }
        written.statics.insert(url.clone(), now);
    }
    let live: HashSet<&str> = prepared
        .iter()
        .map(|(p, _)| p.url.as_str())
        .chain(statics.keys().map(String::as_str))
        .collect();
    let gone: Vec<String> = prev
        .outputs
        .keys()
        .chain(prev.statics.keys())
        .filter(|u| !live.contains(u.as_str()))
        .cloned()
        .collect();
    for url in gone {
        written.outputs.remove(&url);
        let r = output::remove_and_prune(out, &url);
        write(&url, r, &mut changed);
    }
    changed.sort();
    changed.dedup();
    let stats = WriteStats {
        files: written.outputs.len() + written.statics.len(),
        changed: changed.len(),
    };
    Some((written, stats, changed))
}
