//! Builds, start to finish: load → validate → index → render → write.
//!
//! A [`Session`] owns what one build leaves behind — parsed files, rendered
//! Markdown, each output's fingerprint and hash — so the next build (the
//! watcher's) reads, renders and writes only what a change affects. The first
//! build of a session, and every `unionpress build`, renders into a staging
//! folder and swaps it in; later ones render the affected files in memory and
//! replace them one by one. Nothing is written while any error stands.
//! A watch rebuild may be stopped by a newer change ([`Session::build_unless`])
//! at a few points before it writes anything, leaving the output and the
//! session as the last build and quick updates left them.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;

use crate::cache;
use crate::config::{self, Config};
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics, Sources};
use crate::i18n::{Lang, Msg};
use crate::images;
use crate::output::{self, Damage, Ledger, Staging, WriteStats};
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

impl Request {
    /// The same request with the site folder canonical and the output
    /// absolute, so that paths a watcher reports (always absolute) can be
    /// matched against them: `./content/a.md` and `/home/x/site/content/a.md`
    /// are the same file, but no prefix test says so. Paths that cannot be
    /// resolved stay as given.
    pub fn anchored(mut self) -> Request {
        if let Ok(root) = self.root.canonicalize() {
            self.root = root;
        }
        if let Some(out) = &self.output {
            self.output = Some(anchor(out));
        }
        self
    }
}

/// `out` made absolute and canonical as far as it exists (the output
/// folder may not exist yet).
pub fn anchor(out: &Path) -> PathBuf {
    if let Ok(p) = out.canonicalize() {
        return p;
    }
    match (out.parent(), out.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            match parent.canonicalize() {
                Ok(p) => p.join(name),
                Err(_) => std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf()),
            }
        }
        _ => std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf()),
    }
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
    /// The process's CPU time in each stage of `stages` that timed it.
    cpu: Vec<(&'static str, Duration)>,
    cpu_mark: Duration,
    /// A failed watch rebuild that still replaced some files (a full disk
    /// half-way): how many it updated and which it could not. Empty when
    /// the output is exactly as before.
    pub partly_written: Option<(usize, Vec<String>)>,
    /// Drafts and scheduled pages this build left out.
    pub held_back: site::HeldBack,
    /// Why the build cache was thrown away, if it was (one line).
    pub note: Option<String>,
    /// How much photo work the build did; `None` when it wrote nothing.
    pub images: Option<images::Stats>,
    /// Files whose parsing, and pages whose Markdown, the build took from
    /// the build cache ([`cache::products`]); `None` without one.
    pub reused: Option<(usize, usize)>,
    /// How many pages the load took from the build cache without reading
    /// them, and how many of those were read later; `None` without a cache.
    pub read_late: Option<(usize, usize)>,
    /// How many files a build whose only changes were pages that kept
    /// their place and templates prepared and compared ([`cache::narrow`],
    /// [`cache::templates`]); `None` when it compared every file.
    pub narrowed: Option<usize>,
    /// How many files the templates rendered: the others had the inputs
    /// they were last written from. `None` when nothing was written.
    pub rendered: Option<usize>,
    /// Of the pages whose rendered Markdown came from the build cache, how
    /// many needed their HTML or text decoded ([`render::body`]).
    pub decoded: Option<usize>,
}

/// CPU time the whole process has used so far, all threads (zero where
/// it is not known).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn process_cpu() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to fill in.
    if unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn process_cpu() -> Duration {
    Duration::ZERO
}

impl Report {
    /// Records how long a stage took since `lap`, and restarts it.
    fn stage(&mut self, name: &'static str, lap: &mut Instant) {
        self.stages.push((name, lap.elapsed()));
        let cpu = process_cpu();
        self.cpu.push((name, cpu.saturating_sub(self.cpu_mark)));
        self.cpu_mark = cpu;
        *lap = Instant::now();
    }

    /// `load+index 120 ms · markdown 40 ms · …`, for `UNIONPRESS_TIMINGS=1`.
    pub fn timings(&self) -> String {
        let mut parts: Vec<String> = self
            .stages
            .iter()
            .map(|(n, d)| match self.cpu.iter().find(|(c, _)| c == n) {
                Some((_, cpu)) => format!("{n} {} ms (cpu {})", d.as_millis(), cpu.as_millis()),
                None => format!("{n} {} ms", d.as_millis()),
            })
            .collect();
        if let Some(i) = &self.images {
            parts.push(format!(
                "photos processed {} · reused {} · hashed {}",
                i.processed, i.reused, i.hashed
            ));
        }
        if let Some((parsed, rendered)) = self.reused {
            parts.push(format!(
                "from the build cache: parsed {parsed} · rendered {rendered}"
            ));
        }
        if let Some((unread, late)) = self.read_late {
            parts.push(format!("pages left unread {unread} · read late {late}"));
        }
        if let Some(n) = self.narrowed {
            parts.push(format!(
                "only {n} files that the changed pages or templates can reach compared"
            ));
        }
        if let Some(n) = self.rendered {
            parts.push(format!("rendered {n} files"));
        }
        if let Some(n) = self.decoded {
            parts.push(format!("pages from the cache decoded {n}"));
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
    if let Some(msg) = config.theme_missing() {
        // One error, not one "template missing" per page.
        diags.error(None, msg);
        return None;
    }
    Templates::load(&config.root, &config.theme_dir(), diags, sources)
}

/// The size and time of every template file, theme's and site's, to notice
/// an edit without reading them; and whether every folder could be read.
fn template_stamps(config: &Config) -> (Vec<FileStamp>, bool) {
    let mut unreadable = Diagnostics::default();
    let stamps = [config.theme_dir(), config.root.clone()]
        .iter()
        .flat_map(|d| files_under(&d.join("templates"), &mut unreadable))
        .map(|(_, path)| stamp(&path))
        .collect();
    (stamps, unreadable.is_empty())
}

/// Theme static files, the site's own static files over them, and the
/// files under `content/`, by output URL.
pub fn static_files(
    config: &Config,
    site: &Site,
    diags: &mut Diagnostics,
) -> BTreeMap<String, PathBuf> {
    let mut files = BTreeMap::new();
    for dir in [
        config.theme_dir().join("static"),
        config.root.join("static"),
    ] {
        files.extend(files_under(&dir, diags));
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

/// One full build, with no cache.
pub fn run(req: &Request) -> Report {
    let mut session = Session::one_shot(req.clone());
    let report = session.build();
    crate::heap::drop_later(session);
    report
}

/// What `unionpress build` runs: one build that starts from the cache the
/// previous one left in `.unionpress/cache/` and leaves one for the next.
pub fn run_cached(req: &Request) -> Report {
    let mut session = Session::one_shot(req.clone()).with_cache();
    let report = session.build();
    crate::heap::drop_later(session);
    report
}

/// Size and time of a file, to notice it changed without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileStamp {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
}

impl FileStamp {
    /// Not yet [settled](crate::source::stamp::settled): its bytes must be
    /// compared.
    fn recent(&self) -> bool {
        !crate::source::stamp::settled(self.modified)
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
    /// The output's files as written, to update them one by one and to
    /// notice when someone else changes them.
    ledger: Ledger,
    /// Hash of the values every template saw ([`render::context::globals`]).
    globals: u64,
    /// The output's files of `outputs` and `statics` as this build found
    /// them, as the build cache recorded them: kept without looking again.
    seen: HashMap<String, output::Stamp>,
}

impl Written {
    /// Forgets these output files so the next build writes them again.
    fn forget(&mut self, urls: &[String]) {
        for u in urls {
            self.outputs.remove(u);
            self.statics.remove(u);
            self.seen.remove(u);
        }
        self.ledger.forget(urls);
    }
}

/// Whether two versions of a page's front matter put it in the same place:
/// same URL, same publication, same lists, same files. Fields that are only
/// shown on the page (title, summary, 文号, people, places…) may differ.
/// Values only: where a field is written in the file (its span) moves
/// whenever a line above it changes length, as a new title does.
fn same_place(a: &content::PageMeta, b: &content::PageMeta) -> bool {
    fn text(v: &Option<(String, crate::diagnostics::Span)>) -> Option<&str> {
        v.as_ref().map(|(t, _)| t.as_str())
    }
    fn files(m: &content::PageMeta) -> impl Iterator<Item = (&String, &Option<String>)> {
        m.attachments.iter().map(|d| (&d.file, &d.title))
    }
    a.date == b.date
        && a.draft == b.draft
        && text(&a.slug) == text(&b.slug)
        && a.kind == b.kind
        && a.template == b.template
        && a.tags == b.tags
        && a.department == b.department
        && a.pinned == b.pinned
        && a.pinned_until == b.pinned_until
        && a.expires == b.expires
        && files(a).eq(files(b))
        && text(&a.cover) == text(&b.cover)
}

/// Why [`Session::try_quick`] left an edit to the full build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Declined {
    /// Nothing has been written yet to update.
    NoBuildYet,
    /// `check`: there is no output.
    NoOutput,
    /// Not a page file, nor one that can become a page on its own (config,
    /// template, a section's `_index.md`, a file of a bundle, a bundle with
    /// files beside its `index.md`…).
    NotAPage(PathBuf),
    Unreadable(PathBuf),
    /// The file has an error, or the change makes one elsewhere (a link
    /// to a page that left, a list's URL a page holds); the full build
    /// reports it.
    Problems(PathBuf),
    /// It moves in a way only the full build follows: a section's Markdown
    /// links to it, or it takes the URL of a static file.
    Moved(PathBuf),
    /// It changes a value every template is given (a section's page
    /// count a template shows): every file is the full build's.
    EveryPage(PathBuf),
    /// A section's `_index.md` changes what its pages or every page show
    /// of it, or how they are listed
    /// ([`render::section_index::keeps_place`]).
    Section(PathBuf),
    /// The template failed; the full build reports it.
    Template,
    /// Template files were added, removed, or a site's own now stands for
    /// the theme's (or no longer does): the full build sees what is made.
    TemplateFiles,
    /// A write failed; the full build writes (or reports) it.
    Write(String),
    /// Another build published into the output: only a whole publish may
    /// replace what it holds.
    Replaced,
}

impl std::fmt::Display for Declined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Declined::NoBuildYet => write!(f, "no build written yet"),
            Declined::NoOutput => write!(f, "no output folder"),
            Declined::NotAPage(p) => write!(f, "{} is not a page file of its own", p.display()),
            Declined::Unreadable(p) => write!(f, "{} could not be read", p.display()),
            Declined::Problems(p) => write!(f, "{} has errors", p.display()),
            Declined::Moved(p) => write!(
                f,
                "{} moved where only the full build follows (a section links to it, a static file's URL)",
                p.display()
            ),
            Declined::EveryPage(p) => write!(
                f,
                "{} changes what every page is given (a section's page count a template shows)",
                p.display()
            ),
            Declined::Section(p) => write!(
                f,
                "{} changes its section's title, description, kind, sort or pagination",
                p.display()
            ),
            Declined::Template => write!(f, "a template failed"),
            Declined::TemplateFiles => write!(f, "template files were added or removed"),
            Declined::Write(u) => write!(f, "{u} could not be written"),
            Declined::Replaced => write!(f, "another build published into the output"),
        }
    }
}

/// What the last written build rendered from.
struct Last {
    site: Site,
    bodies: render::Bodies,
    summaries: Vec<tera::Value>,
    /// The fingerprint of each summary, and of the globals, as the written
    /// files' fingerprints used them.
    hashes: Vec<u64>,
    globals: u64,
}

/// What a written build leaves for [`Session::quick`] besides the site:
/// the summaries, their fingerprints and the globals' ([`Last`]).
type Summaries = (Vec<tera::Value>, Vec<u64>, u64);

/// What every quick path works from: the last written build, its
/// templates, what it wrote and where; declined when there is none, or when
/// another build has published into the output since.
fn quick_parts<'a>(
    last: &'a mut Option<Last>,
    templates: &'a Option<Templates>,
    written: &'a mut Option<Written>,
    output: &'a Option<PathBuf>,
) -> Result<(&'a mut Last, &'a Templates, &'a mut Written, &'a PathBuf), Declined> {
    let last = last.as_mut().ok_or(Declined::NoBuildYet)?;
    let templates = templates.as_ref().ok_or(Declined::NoBuildYet)?;
    let written = written.as_mut().ok_or(Declined::NoBuildYet)?;
    let out = output.as_ref().ok_or(Declined::NoOutput)?;
    if written.ledger.replaced(out) {
        return Err(Declined::Replaced);
    }
    Ok((last, templates, written, out))
}

/// The fingerprint of the globals every template is given: part of every
/// file's fingerprint (what the templates themselves are is part of it
/// too, as [`Templates::uses_hash`]). Each section's page count only when
/// a template can show it ([`render::section_counts`]): else a page
/// published or deleted would change every file's fingerprint.
fn globals_hash(counts: bool, globals: &[(&'static str, tera::Value)]) -> u64 {
    let no_known = Known::default();
    globals.iter().fold(0, |acc, (k, v)| {
        let hash = match *k {
            "sections" if !counts => {
                fingerprint::of_value(&render::section_counts::without_counts(v), &no_known)
            }
            _ => fingerprint::of_value(v, &no_known),
        };
        acc ^ hash.wrapping_add(fingerprint::of_bytes(k.as_bytes()))
    })
}

pub struct Session {
    req: Request,
    config_text: Option<String>,
    content: content::Cache,
    markdown: MarkdownCache,
    search: crate::search::Cache,
    templates: Option<Templates>,
    template_stamps: Vec<FileStamp>,
    /// Whether a template can show a section's page count
    /// ([`render::section_counts`]).
    counts_shown: bool,
    /// Keep parsed files and search tokens for the next build (watch mode).
    retain: bool,
    /// The last build that was written, for [`Session::quick`].
    last: Option<Last>,
    /// Published photo copies, opened at the first build that writes.
    images: Option<images::cache::Cache>,
    written: Option<Written>,
    /// Use and leave a build cache ([`crate::cache`]); one-shot builds only.
    cache: bool,
    /// The cache's view of this build: site, output, input files and their
    /// hash, set when the cache is on.
    cached: Option<CacheState>,
    /// When the clock next changes what is published ([`site::next_change`]).
    until: Option<jiff::Timestamp>,
    /// The build cache's per-file products, loaded once `site.yaml` is read.
    products: Option<ProductsState>,
    /// The thread writing them ([`Session::save_products`]).
    saving: Option<std::thread::JoinHandle<()>>,
    /// The search index's cache being read ([`Session::search_loaded`]).
    search_loading: Option<SearchLoading>,
    /// How many times the templates were loaded: a rebuild whose load
    /// loaded them (or `site.yaml`) again may not stop ([`Session::build_unless`]).
    template_loads: u64,
    /// The search index holds pages that no written build has: a rebuild
    /// updated it and stopped before writing. Quick updates then take every
    /// file of it, and write those that differ from the output.
    search_ahead: bool,
}

/// Why [`Session::build_unless`] stopped a build: a newer change came
/// before it wrote anything.
#[derive(Debug, Clone, Copy)]
pub struct Abandoned {
    /// The point it stopped at (`rebuild: started`, `rebuild: loaded`,
    /// `rebuild: searched`, `rebuild: fingerprinted`, `rebuild: rendered`).
    pub at: &'static str,
    /// How long it had run.
    pub after: Duration,
}

impl std::fmt::Display for Abandoned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "full build stopped at {} after {} ms: a newer change came",
            self.at,
            self.after.as_millis()
        )
    }
}

/// Where a build may stop for a newer change, and whether it may.
#[derive(Clone, Copy)]
struct Stop<'a> {
    /// A watch rebuild: the test hooks may hold it at each point, stopped
    /// or not (`output::hold`).
    rebuild: bool,
    /// Whether a newer change has come; `None` when the build may not stop.
    stale: Option<&'a dyn Fn() -> bool>,
    started: Instant,
}

impl Stop<'_> {
    /// `Err` when the build is to stop at `point`.
    fn at(&self, point: &'static str) -> Result<(), Abandoned> {
        fn no() -> bool {
            false
        }
        if self.rebuild {
            output::hold(point, self.stale.unwrap_or(&no));
        }
        match self.stale {
            Some(stale) if stale() => Err(Abandoned {
                at: point,
                after: self.started.elapsed(),
            }),
            _ => Ok(()),
        }
    }
}

/// The name of the search index's file among the products.
const SEARCH: &str = "search";

/// Reads the search index as the last build left it, to be updated in
/// place and saved as soon as it is made
/// ([`crate::search::Cache::saving_to`]), and why it was thrown away.
fn load_search(
    root: &Path,
    config: u64,
) -> (crate::search::Cache, Option<(cache::Discarded, PathBuf)>) {
    let file = || cache::products::whole_file(root, SEARCH);
    let (search, why) = match cache::products::load_whole(root, SEARCH, config) {
        Ok(Some(bytes)) => match crate::search::Cache::from_bytes(&bytes) {
            Some(s) => (s, None),
            None => (
                crate::search::Cache::retaining(),
                Some((cache::Discarded::Corrupt, file())),
            ),
        },
        Ok(None) => (crate::search::Cache::retaining(), None),
        Err(e) => (crate::search::Cache::retaining(), Some((e, file()))),
    };
    let root = root.to_path_buf();
    let search = search.saving_to(Box::new(move |bytes| {
        // A failure only costs the next build time.
        let _ = cache::products::save_whole(&root, SEARCH, config, bytes);
    }));
    (search, why)
}

type LoadSearch = (crate::search::Cache, Option<(cache::Discarded, PathBuf)>);

/// [`load_search`] under way on a thread of its own; done where it is
/// waited for when no thread could be started (or it failed).
struct SearchLoading {
    root: PathBuf,
    config: u64,
    thread: Option<std::thread::JoinHandle<LoadSearch>>,
}

impl SearchLoading {
    fn start(root: PathBuf, config: u64) -> SearchLoading {
        let read = {
            let root = root.clone();
            move || load_search(&root, config)
        };
        let thread = (std::thread::Builder::new().name("search cache".into()))
            .spawn(read)
            .ok();
        SearchLoading {
            root,
            config,
            thread,
        }
    }

    fn wait(self) -> LoadSearch {
        let done = self.thread.and_then(|t| t.join().ok());
        done.unwrap_or_else(|| load_search(&self.root, self.config))
    }
}

struct ProductsState {
    root: PathBuf,
    /// [`cache::products::config_key`] of the `site.yaml` they belong to.
    config: u64,
    sums: cache::products::Sums,
    /// Parsed files, taken before the one-shot build frees its content cache.
    content: rustc_hash::FxHashMap<String, content::Stored>,
    /// How many files were not parsed again thanks to them.
    parsed: usize,
    /// Files parsed afresh ([`content::Cache::fresh`]).
    fresh: HashSet<String>,
    /// Pages left unread by the load, and those read later.
    unread: usize,
    reads: std::sync::Arc<content::Reads>,
    /// Why products were thrown away, for the report.
    note: Option<String>,
}

struct CacheState {
    root: PathBuf,
    out: PathBuf,
    files: BTreeMap<String, (cache::Stamp, u64)>,
    inputs: u64,
    options: String,
    /// The inputs changed since the cached build, when nothing else did
    /// ([`cache::narrow::changed_inputs`]).
    changed: Option<Vec<(String, u64)>>,
    /// The pages they are, when they all keep their place
    /// ([`cache::narrow::pages_in_place`]).
    pages: Option<Vec<usize>>,
    /// Each template's hash of what it can use, as the cached build had it.
    uses: HashMap<String, u64>,
    /// The templates changed since then, when the other changed inputs
    /// are such pages ([`cache::templates`]).
    templates: Option<Vec<String>>,
    /// With no cache to compare them with, `files` are stamped but not yet
    /// hashed, and `inputs` is 0: the hashes of what the build reads.
    unhashed: Option<cache::Unhashed>,
}

impl Session {
    /// A session that keeps what it built for the next build (watch and
    /// serve). Its paths are [anchored](Request::anchored) once, here.
    pub fn new(req: Request) -> Session {
        Session::with(req.anchored())
    }

    fn with(req: Request) -> Session {
        Session {
            req,
            config_text: None,
            content: content::Cache::default(),
            markdown: MarkdownCache::default(),
            search: crate::search::Cache::retaining(),
            templates: None,
            template_stamps: Vec::new(),
            counts_shown: true,
            retain: true,
            last: None,
            written: None,
            cache: false,
            cached: None,
            until: None,
            images: None,
            products: None,
            saving: None,
            search_loading: None,
            template_loads: 0,
            search_ahead: false,
        }
    }

    /// Starts from the build cache and leaves one (see [`run_cached`]).
    pub fn with_cache(mut self) -> Session {
        self.cache = !self.retain;
        self
    }

    /// A session for a single build: nothing is kept for a next one, so
    /// memory is freed as soon as each stage is done with it.
    pub fn one_shot(req: Request) -> Session {
        Session {
            retain: false,
            search: crate::search::Cache::default(),
            ..Session::with(req)
        }
    }

    pub fn request(&self) -> &Request {
        &self.req
    }

    /// Whether the output differs from what this session last wrote
    /// (someone deleted or edited a file, or the folder), so a rebuild
    /// would repair it. For the watcher's periodic check.
    pub fn output_damaged(&self) -> bool {
        match (&self.written, &self.req.output) {
            (Some(w), Some(out)) => w.ledger.damaged(out) != Damage::None,
            _ => false,
        }
    }

    /// The fast path for the commonest edits, an editor saving a page's text
    /// or its title: when every changed path is a published page whose front
    /// matter still puts it in the same place ([`same_place`]), re-render
    /// those pages and every list that shows them
    /// ([`Renderer::jobs_showing`]), update the search index, feeds and
    /// sitemap, from the last written build, and write what changed, so the
    /// preview can reload at once. A page that only moves within the lists
    /// (a new date, tags, department, pinning or expiry:
    /// [`site::relist::only_moves`]) goes the same way once the lists are
    /// made again ([`site::relist`]): every list, and each page whose
    /// related pages or summary can differ ([`render::moves`]), is rendered
    /// if its fingerprint differs from what was last written, and a list no
    /// longer made is removed. Template edits render the files made with
    /// the edited templates (`quick_templates`), before any pages saved
    /// with them go one of the ways above. Returns
    /// the URLs written or removed (maybe none), or `None` when the edit
    /// needs a real build. Always follow it with [`Session::build`], which
    /// checks every file.
    pub fn quick(&mut self, paths: &[PathBuf]) -> Option<Vec<String>> {
        self.try_quick(paths).ok()
    }

    /// [`Session::quick`], saying why it declined. All or nothing: every
    /// changed file is read, parsed, rendered and checked before anything
    /// of the last build is replaced or written. A batch of templates and
    /// pages saved together is two such steps, the templates first, then
    /// the pages with the new templates; should the pages' step decline,
    /// the templates' files are written already, and the full build that
    /// follows does the rest.
    pub fn try_quick(&mut self, paths: &[PathBuf]) -> Result<Vec<String>, Declined> {
        let (templates, rest): (Vec<PathBuf>, Vec<PathBuf>) =
            paths.iter().cloned().partition(|p| self.is_template(p));
        let (sections, rest): (Vec<PathBuf>, Vec<PathBuf>) =
            rest.into_iter().partition(|p| self.is_section(p));
        let (files, pages): (Vec<PathBuf>, Vec<PathBuf>) =
            rest.into_iter().partition(|p| self.is_attachment(p));
        if templates.is_empty() && sections.is_empty() && files.is_empty() {
            return self.quick_pages(paths);
        }
        let mut urls = Vec::new();
        if !templates.is_empty() {
            urls.extend(self.quick_templates()?);
        }
        if !sections.is_empty() {
            urls.extend(self.quick_sections(&sections)?);
        }
        if !files.is_empty() {
            urls.extend(self.quick_attachments(&files)?);
        }
        if !pages.is_empty() {
            urls.extend(self.quick_pages(&pages)?);
        }
        urls.sort();
        urls.dedup();
        Ok(urls)
    }

    /// [`Session::try_quick`] for a batch without templates.
    fn quick_pages(&mut self, paths: &[PathBuf]) -> Result<Vec<String>, Declined> {
        match self.quick_in_place(paths) {
            // Pages that come, go, or take another URL or publication.
            Err(Declined::Moved(_)) => self.quick_reshape(paths),
            Err(Declined::NotAPage(p)) if content::is_markdown(&p.to_string_lossy()) => {
                self.quick_reshape(paths)
            }
            Err(Declined::Unreadable(p)) if std::fs::symlink_metadata(&p).is_err() => {
                self.quick_reshape(paths)
            }
            done => done,
        }
    }

    /// [`Session::try_quick`] for pages that keep their place or only move
    /// within the lists.
    fn quick_in_place(&mut self, paths: &[PathBuf]) -> Result<Vec<String>, Declined> {
        let _lock = self.lock_output();
        let (last, templates, written, out) = quick_parts(
            &mut self.last,
            &self.templates,
            &mut self.written,
            &self.req.output,
        )?;
        let content_dir = last.site.config.content_dir();
        let tz = last.site.config.timezone.clone();
        let (now, future) = (last.site.options.now, last.site.options.future);
        let unique = unique(paths);
        // Everything first, in memory; the last build is untouched so far.
        let mut laps = QuickLaps::start();
        let mut updates = Vec::new();
        let mut moved = Vec::new();
        for path in unique {
            let other = || Declined::NotAPage(path.clone());
            let rel = crate::paths::relative(&content_dir, path).ok_or_else(other)?;
            let Some(i) = last.site.pages.iter().position(|p| p.page.rel == rel) else {
                if scratch_file_gone(&last.site, &rel, path) {
                    continue;
                }
                return Err(other());
            };
            let old = &last.site.pages[i];
            let bytes = std::fs::read(path).map_err(|_| Declined::Unreadable(path.clone()))?;
            let file = crate::source::decode(path.clone(), old.page.file.display.clone(), bytes)
                .map_err(|_| Declined::Unreadable(path.clone()))?;
            let (parsed, diags) = content::parse::page(&file, &tz);
            let (meta, body) = parsed.ok_or_else(|| Declined::Problems(path.clone()))?;
            if diags.iter().any(Diagnostic::is_error) {
                return Err(Declined::Problems(path.clone()));
            }
            if !same_place(&meta, &old.page.meta) {
                // A new date, tags, department or pinning: its lists are
                // made again below. Anything else is the full build's.
                if !site::relist::only_moves(&old.page.meta, &meta, now, future) {
                    return Err(Declined::Moved(path.clone()));
                }
                moved.push((i, path.clone()));
            }
            let origin = render::markdown::Origin {
                lang: last.site.config.lang,
                file: &file,
                body: body.clone(),
                dir: old.page.dir(),
                url: &old.url,
            };
            let rendered = render::with_photos(
                &last.site,
                &old.url,
                render::markdown::render(&origin, &last.site.links),
            );
            if rendered.diags.iter().any(Diagnostic::is_error) {
                return Err(Declined::Problems(path.clone()));
            }
            updates.push((i, file, meta, body, rendered));
        }
        laps.lap("read+parse+markdown");
        // Swapped in, and swapped back should a template fail.
        let mut summaries = last.summaries.clone();
        let mut hashes = last.hashes.clone();
        let mut originals: Vec<Original> = Vec::new();
        for (i, file, meta, body, rendered) in updates {
            let mut page = last.site.pages[i].page.clone();
            page.file = content::PageFile::of(file);
            page.body = body;
            page.meta = std::sync::Arc::new(meta);
            let old_page = std::mem::replace(&mut last.site.pages[i].page, page);
            let body = std::sync::Arc::new(render::body::Body::fresh(rendered));
            let old_body = std::mem::replace(&mut last.bodies.pages[i], body);
            originals.push((i, old_page, old_body));
        }
        let pages: Vec<usize> = originals.iter().map(|(i, ..)| *i).collect();
        // The lists made again around the moved pages, and put back with
        // the pages should anything fail.
        let before = match moved.first() {
            None => None,
            Some((_, path)) => {
                let mut found = Diagnostics::default();
                let moved: Vec<(usize, &content::PageMeta)> = (originals.iter())
                    .filter(|(i, ..)| moved.iter().any(|(m, _)| m == i))
                    .map(|(i, page, _)| (*i, &*page.meta))
                    .collect();
                let before = site::relist::relist(&mut last.site, &moved, &mut found);
                let globals = render::context::globals(&last.site);
                if found.has_errors() || globals_hash(self.counts_shown, &globals) != last.globals {
                    undo(last, originals, Some(before));
                    return Err(Declined::Moved(path.clone()));
                }
                Some(before)
            }
        };
        laps.lap("lists");
        let remade = match &before {
            Some(b) => render::moves::summaries_to_make(&last.site, b, &pages),
            None => pages.clone(),
        };
        for &i in &remade {
            summaries[i] = render::context::page_summary(
                &last.site,
                &last.site.pages[i],
                &last.bodies.pages[i],
            );
            hashes[i] = fingerprint::of_value(&summaries[i], &Known::default());
        }
        laps.lap("summaries");
        let renderer = Renderer {
            site: &last.site,
            templates,
            bodies: &last.bodies,
            summaries: summaries.clone(),
            later: None,
            extra: Default::default(),
        };
        // The pages and every list that shows them, rendered before
        // anything is written: all of them, or none. With (URL, the
        // fingerprint of what it was made from) after a move, which
        // compares every list with what was last written.
        let rendered: Result<Vec<Option<Made>>, Diagnostic> = match &before {
            None => (renderer.jobs_showing(&pages).into_par_iter())
                .map(|job| {
                    renderer
                        .render(job)
                        .map(|(url, html)| Some((url, html, None)))
                })
                .collect(),
            Some(before) => {
                let last_written = render::moves::Written {
                    jobs: &written.jobs,
                    outputs: &written.outputs,
                    globals: last.globals,
                };
                (renderer.render_moved(before, &remade, &hashes, &last_written)).map(|files| {
                    (files.into_iter())
                        .map(|(url, html, fp)| Some((url, html, Some(fp))))
                        .collect()
                })
            }
        };
        let lists: Vec<String> = match &before {
            Some(_) => renderer.list_urls(),
            None => Vec::new(),
        };
        drop(renderer);
        let mut files: Vec<Made> = match rendered {
            Ok(files) => files.into_iter().flatten().collect(),
            Err(_) => {
                undo(last, originals, before);
                return Err(Declined::Template);
            }
        };
        // The search index, the feeds and the sitemap show the page's text
        // and title too; the search cache remakes only what they changed.
        laps.lap("compare+render");
        let index = search_files(
            &last.site,
            &last.bodies.pages,
            &mut self.search,
            self.search_ahead,
        );
        let extra = render::extra::build(&last.site, &last.bodies, index.files).files;
        // After a move, files of ours the site no longer has (a tag's list
        // no page carries now, a list's last page): removed as the full
        // build would.
        let gone: Vec<String> = match &before {
            None => Vec::new(),
            Some(_) => gone_files(written, &last.site, &lists, &extra, &index.urls),
        };
        files.extend(extra.into_iter().map(|(url, text)| (url, text, None)));
        laps.lap("search+feeds");
        // Only now is anything kept or written.
        let replaced = std::mem::replace(&mut last.summaries, summaries);
        last.hashes = hashes;
        let changed = write_quick(written, out, files, gone);
        dropped_aside((replaced, before));
        let changed = changed?;
        laps.lap("write");
        laps.print(changed.len());
        Ok(changed)
    }

    /// [`Session::try_quick`] for pages that come, go, or take another URL
    /// or publication: a new, deleted or renamed page file, `draft:` on or
    /// off, a new `slug:`. The index is made again around them
    /// ([`site::reshape`]), what the last build kept per page follows its
    /// page ([`render::reshape`]), and the files are found, rendered and
    /// written as after a move; the old URL's files are removed through
    /// the ledger, which removes only files this session wrote.
    fn quick_reshape(&mut self, paths: &[PathBuf]) -> Result<Vec<String>, Declined> {
        let _lock = self.lock_output();
        let (last, templates, written, out) = quick_parts(
            &mut self.last,
            &self.templates,
            &mut self.written,
            &self.req.output,
        )?;
        let mut laps = QuickLaps::start();
        let unique = unique(paths);
        let mut changes = Vec::new();
        for path in &unique {
            if let Some(change) = page_change(&last.site, path)? {
                changes.push(change);
            }
        }
        let first = || {
            unique
                .first()
                .map_or_else(PathBuf::new, |p| p.to_path_buf())
        };
        laps.lap("read+parse");
        let mut found = Diagnostics::default();
        let new = site::reshape::reshape(&last.site, changes, &mut found);
        if found.has_errors() {
            return Err(Declined::Problems(first()));
        }
        let globals = render::context::globals(&new.site);
        if globals_hash(self.counts_shown, &globals) != last.globals {
            return Err(Declined::EveryPage(first()));
        }
        // A page where a static file was: the full build decides.
        if (new.changed.iter()).any(|&j| written.statics.contains_key(&new.site.pages[j].url)) {
            return Err(Declined::Moved(first()));
        }
        laps.lap("index");
        let before = render::reshape::Last {
            links: &last.site.links,
            bodies: &last.bodies,
            summaries: &last.summaries,
            hashes: &last.hashes,
        };
        let carried = match render::reshape::carry(&new, &before) {
            Ok(c) => c,
            Err(render::reshape::Refused::Problem(_)) => return Err(Declined::Problems(first())),
            Err(render::reshape::Refused::Section) => return Err(Declined::Moved(first())),
        };
        laps.lap("markdown+summaries");
        let renderer = Renderer {
            site: &new.site,
            templates,
            bodies: &carried.bodies,
            summaries: carried.summaries.clone(),
            later: None,
            extra: Default::default(),
        };
        let last_written = render::moves::Written {
            jobs: &written.jobs,
            outputs: &written.outputs,
            globals: last.globals,
        };
        let rendered =
            renderer.render_moved(&new.before, &carried.remade, &carried.hashes, &last_written);
        let lists = renderer.list_urls();
        drop(renderer);
        let mut files = match rendered {
            Ok(files) => fingerprinted(files),
            Err(_) => return Err(Declined::Template),
        };
        laps.lap("compare+render");
        let index = search_files(
            &new.site,
            &carried.bodies.pages,
            &mut self.search,
            self.search_ahead,
        );
        laps.lap("search");
        let extra = render::extra::build(&new.site, &carried.bodies, index.files).files;
        let gone = gone_files(written, &new.site, &lists, &extra, &index.urls);
        files.extend(extra.into_iter().map(|(url, text)| (url, text, None)));
        laps.lap("feeds");
        // Only now is anything kept or written.
        let globals = last.globals;
        let replaced = std::mem::replace(
            last,
            Last {
                site: new.site,
                bodies: carried.bodies,
                summaries: carried.summaries,
                hashes: carried.hashes,
                globals,
            },
        );
        let changed = write_quick(written, out, files, gone);
        // The last build's index and products: ten thousand pages' worth
        // of small allocations, freed off the path to the reload.
        dropped_aside((replaced, new.before));
        let changed = changed?;
        laps.lap("write");
        laps.print(changed.len());
        Ok(changed)
    }

    /// Whether a changed path is the `_index.md` of a section the last
    /// written build has (a new one makes a section: the full build's).
    fn is_section(&self, path: &Path) -> bool {
        let Some(last) = &self.last else {
            return false;
        };
        let content_dir = last.site.config.content_dir();
        crate::paths::relative(&content_dir, path).is_some_and(|rel| {
            let (dir, name) = rel.rsplit_once('/').unwrap_or(("", &rel));
            name == "_index.md"
                && (last.site.sections.iter())
                    .any(|s| s.section.dir == dir && s.section.file.is_some())
        })
    }

    /// [`Session::try_quick`] for sections' `_index.md` (each of a section
    /// the last build has): when each keeps its title, kind, sort,
    /// pagination and description ([`render::section_index`]), its Markdown
    /// is rendered again, and every list whose fingerprint differs from
    /// what was last written is rendered, all before any is written; the
    /// feeds and search index are made again as after a page edit.
    fn quick_sections(&mut self, paths: &[PathBuf]) -> Result<Vec<String>, Declined> {
        let _lock = self.lock_output();
        let (last, templates, written, out) = quick_parts(
            &mut self.last,
            &self.templates,
            &mut self.written,
            &self.req.output,
        )?;
        let mut laps = QuickLaps::start();
        let content_dir = last.site.config.content_dir();
        let unique = unique(paths);
        let mut edits = Vec::new();
        for path in unique {
            let other = || Declined::NotAPage(path.clone());
            let rel = crate::paths::relative(&content_dir, path).ok_or_else(other)?;
            let dir = crate::paths::parent(&rel);
            let s = (last.site.sections.iter())
                .position(|s| s.section.dir == dir)
                .ok_or_else(other)?;
            let old = &last.site.sections[s].section;
            let display = old.file.as_ref().ok_or_else(other)?.display.clone();
            let bytes = std::fs::read(path).map_err(|_| Declined::Unreadable(path.clone()))?;
            let file = crate::source::decode(path.clone(), display, bytes)
                .map_err(|_| Declined::Unreadable(path.clone()))?;
            let tz = &last.site.config.timezone;
            let (section, diags) = content::parse::section(file.into(), dir.to_string(), tz);
            let section = section.ok_or_else(|| Declined::Problems(path.clone()))?;
            if diags.iter().any(Diagnostic::is_error) {
                return Err(Declined::Problems(path.clone()));
            }
            if !render::section_index::keeps_place(old, &section) {
                return Err(Declined::Section(path.clone()));
            }
            edits.push((s, section, path));
        }
        // Swapped in, and swapped back should anything fail.
        let mut originals = Vec::new();
        for (s, section, _) in &mut edits {
            let old = std::mem::replace(&mut last.site.sections[*s].section, section.clone());
            originals.push((*s, old));
        }
        let undo = |last: &mut Last, originals: Vec<(usize, content::Section)>| {
            for (s, section) in originals {
                last.site.sections[s].section = section;
                last.bodies.sections[s] =
                    render::section_markdown(&last.site, &last.site.sections[s]);
            }
        };
        let mut problem = None;
        for (s, _, path) in &edits {
            let rendered = render::section_markdown(&last.site, &last.site.sections[*s]);
            if rendered.diags.iter().any(Diagnostic::is_error) {
                problem = Some(Declined::Problems(path.to_path_buf()));
            }
            last.bodies.sections[*s] = rendered;
        }
        let globals = render::context::globals(&last.site);
        if problem.is_none() && globals_hash(self.counts_shown, &globals) != last.globals {
            problem = Some(Declined::EveryPage(edits[0].2.clone()));
        }
        if let Some(why) = problem {
            undo(last, originals);
            return Err(why);
        }
        laps.lap("read+parse+markdown");
        let renderer = Renderer {
            site: &last.site,
            templates,
            bodies: &last.bodies,
            summaries: std::mem::take(&mut last.summaries),
            later: None,
            extra: Default::default(),
        };
        let last_written = render::moves::Written {
            jobs: &written.jobs,
            outputs: &written.outputs,
            globals: last.globals,
        };
        let rendered = renderer.render_changed(&[], &last.hashes, &last_written);
        last.summaries = renderer.summaries;
        let files = match rendered {
            Ok(files) => fingerprinted(files),
            Err(_) => {
                undo(last, originals);
                return Err(Declined::Template);
            }
        };
        laps.lap("compare+render");
        let files = with_index_and_feeds(
            files,
            &last.site,
            &last.bodies,
            &mut self.search,
            self.search_ahead,
        );
        laps.lap("search+feeds");
        let changed = write_quick(written, out, files, Vec::new())?;
        laps.lap("write");
        laps.print(changed.len());
        Ok(changed)
    }

    /// Whether a changed path is a file the last written build copied from
    /// `content/` (an attachment, a bundle's file), still there, and no
    /// photo (photos are made from their bytes: the full build's).
    fn is_attachment(&self, path: &Path) -> bool {
        let (Some(last), Some(written)) = (&self.last, &self.written) else {
            return false;
        };
        let site = &last.site;
        let Some(rel) = crate::paths::relative(&site.config.content_dir(), path) else {
            return false;
        };
        !content::is_markdown(&rel)
            && !site.photos.by_rel.contains_key(&rel)
            && path.is_file()
            && (site.assets.iter())
                .any(|a| a.asset.rel == rel && written.statics.contains_key(&a.url))
    }

    /// [`Session::try_quick`] for files replaced under the same name
    /// ([`Session::is_attachment`]): each file's new size put in the index
    /// ([`site::attachments`]), the summaries of the pages declaring it
    /// made again, those pages and every list rendered when their
    /// fingerprint differs from what was last written, the feeds and search
    /// index made again, and each file copied into the output.
    fn quick_attachments(&mut self, paths: &[PathBuf]) -> Result<Vec<String>, Declined> {
        let _lock = self.lock_output();
        let (last, templates, written, out) = quick_parts(
            &mut self.last,
            &self.templates,
            &mut self.written,
            &self.req.output,
        )?;
        let mut laps = QuickLaps::start();
        let content_dir = last.site.config.content_dir();
        let unique = unique(paths);
        // Swapped in, and put back should anything fail.
        let mut resized: Vec<(String, u64)> = Vec::new();
        let mut copies = Vec::new();
        let mut pages = Vec::new();
        let undo = |last: &mut Last, resized: Vec<(String, u64)>| {
            for (rel, size) in resized.into_iter().rev() {
                site::attachments::resize(&mut last.site, &rel, size);
            }
        };
        for path in unique {
            let other = || Declined::NotAPage(path.clone());
            let rel = crate::paths::relative(&content_dir, path).ok_or_else(other)?;
            let size = match std::fs::metadata(path) {
                Ok(m) if m.is_file() => m.len(),
                _ => {
                    undo(last, resized);
                    return Err(Declined::Unreadable(path.clone()));
                }
            };
            let Some((k, before, shown)) = site::attachments::resize(&mut last.site, &rel, size)
            else {
                undo(last, resized);
                return Err(other());
            };
            resized.push((rel, before));
            copies.push((last.site.assets[k].url.clone(), path.clone()));
            pages.extend(shown);
        }
        pages.sort_unstable();
        pages.dedup();
        let mut summaries = last.summaries.clone();
        let mut hashes = last.hashes.clone();
        for &i in &pages {
            summaries[i] = render::context::page_summary(
                &last.site,
                &last.site.pages[i],
                &last.bodies.pages[i],
            );
            hashes[i] = fingerprint::of_value(&summaries[i], &Known::default());
        }
        laps.lap("sizes+summaries");
        let renderer = Renderer {
            site: &last.site,
            templates,
            bodies: &last.bodies,
            summaries,
            later: None,
            extra: Default::default(),
        };
        let last_written = render::moves::Written {
            jobs: &written.jobs,
            outputs: &written.outputs,
            globals: last.globals,
        };
        let rendered = renderer.render_changed(&pages, &hashes, &last_written);
        let summaries = renderer.summaries;
        let files = match rendered {
            Ok(files) => fingerprinted(files),
            Err(_) => {
                undo(last, resized);
                return Err(Declined::Template);
            }
        };
        laps.lap("compare+render");
        let files = with_index_and_feeds(
            files,
            &last.site,
            &last.bodies,
            &mut self.search,
            self.search_ahead,
        );
        laps.lap("search+feeds");
        // Only now is anything kept or written.
        last.summaries = summaries;
        last.hashes = hashes;
        let mut changed = write_quick(written, out, files, Vec::new())?;
        for (url, src) in copies {
            (written.ledger.copy(out, &url, &src)).map_err(|_| Declined::Write(url.clone()))?;
            written.statics.insert(url.clone(), stamp(&src));
            changed.push(url);
        }
        laps.lap("write");
        laps.print(changed.len());
        Ok(changed)
    }

    /// Whether a changed path is in a templates folder (the theme's or the
    /// site's own), after a written build.
    fn is_template(&self, path: &Path) -> bool {
        let Some(last) = &self.last else {
            return false;
        };
        let config = &last.site.config;
        let dirs = [
            config.theme_dir().join("templates"),
            config.root.join("templates"),
        ];
        dirs.iter()
            .any(|d| crate::paths::relative(d, path).is_some())
    }

    /// The quick path for template edits: the templates are loaded again
    /// and, when the same template files are there and all load without a
    /// word, the files made with a template whose own source or one it
    /// uses changed ([`Templates::uses_hash`]) are rendered from the last
    /// written build, all before any is written, and those whose bytes
    /// changed are written. The full build that follows finds their
    /// fingerprints up to date. Anything else (a template added, removed
    /// or failing) is the full build's, which reports it.
    fn quick_templates(&mut self) -> Result<Vec<String>, Declined> {
        let _lock = self.lock_output();
        let (last, old, written, out) = quick_parts(
            &mut self.last,
            &self.templates,
            &mut self.written,
            &self.req.output,
        )?;
        let mut laps = QuickLaps::start();
        let config = &last.site.config;
        let (stamps, readable) = template_stamps(config);
        let (mut diags, mut sources) = (Diagnostics::default(), Sources::default());
        let new = Templates::load(&config.root, &config.theme_dir(), &mut diags, &mut sources);
        let mut new = match new {
            Some(t) if readable && diags.is_empty() => t,
            _ => return Err(Declined::Template),
        };
        let changed = old.changed_in(&new).ok_or(Declined::TemplateFiles)?;
        // A template that starts (or stops) showing a section's page count
        // changes every file's fingerprint: the full build's.
        if render::section_counts::shown(new.sources()) != self.counts_shown {
            return Err(Declined::TemplateFiles);
        }
        new.set_globals(render::context::globals(&last.site));
        laps.lap("load templates");
        let renderer = Renderer {
            site: &last.site,
            templates: &new,
            bodies: &last.bodies,
            summaries: std::mem::take(&mut last.summaries),
            later: None,
            extra: Default::default(),
        };
        let mut known = match &renderer.later {
            Some(later) => later.known(),
            None => Known::default(),
        };
        for (v, &h) in renderer.summaries.iter().zip(&last.hashes) {
            known.insert(v, h);
        }
        let made: Result<Vec<(String, String, u64)>, Diagnostic> = (renderer.jobs_using(&changed))
            .into_par_iter()
            .map(|job| {
                let p = renderer.prepare_job(job)?;
                let fp = p.fingerprint(last.globals, &known);
                let html = renderer.render_prepared(&p)?.into_owned();
                Ok((p.url, html, fp))
            })
            .collect();
        last.summaries = renderer.summaries;
        let files = made.map_err(|_| Declined::Template)?;
        laps.lap("render");
        let (mut urls, mut reshaped) = (Vec::new(), false);
        for (url, html, fp) in files {
            let hash = fingerprint::of_bytes(html.as_bytes());
            if written.outputs.get(&url) != Some(&hash) {
                reshaped |= !written.ledger.contains(&url);
                (written.ledger.write(out, &url, html.as_bytes()))
                    .map_err(|_| Declined::Write(url.clone()))?;
                written.outputs.insert(url.clone(), hash);
                urls.push(url.clone());
            }
            written.jobs.insert(url, fp);
        }
        if reshaped {
            (written.ledger.save(out))
                .map_err(|_| Declined::Write(output::manifest::FILE.into()))?;
        }
        laps.lap("write");
        laps.print(urls.len());
        self.templates = Some(new);
        self.template_stamps = stamps;
        Ok(urls)
    }

    /// Builds the site as it is on disk now, doing only the work that
    /// changed since the last build of this session.
    pub fn build(&mut self) -> Report {
        match self.build_stopping(None) {
            Ok(report) => report,
            Err(_) => unreachable!("a build with nothing to stop it stopped"),
        }
    }

    /// [`Session::build`] for the watcher after a quick update, stopped
    /// (before it writes anything) when `stale` says a newer change came:
    /// checked as it starts, after the load, after the search index, after
    /// the fingerprints and after rendering.
    /// A stopped build leaves the output as the quick update left it, and
    /// the session a base for the next quick update: only caches that stay
    /// true (parsed files, rendered Markdown, photos) keep what it did; the
    /// search index it updated is marked as ahead of the output, and the
    /// templates are given the last written build's values again. A build
    /// whose load loads `site.yaml` or the templates again runs to the end
    /// (the quick paths render with the templates the last build had), and
    /// so does one, once it finds the output folder gone, that publishes it
    /// whole. Follow a stopped build with another, as after a quick update.
    pub fn build_unless(&mut self, stale: &dyn Fn() -> bool) -> Result<Report, Abandoned> {
        self.build_stopping(Some(stale))
    }

    /// [`Session::build`], stopped when `stale` says so
    /// ([`Session::build_unless`]).
    fn build_stopping(&mut self, stale: Option<&dyn Fn() -> bool>) -> Result<Report, Abandoned> {
        // Held from reading the output and its cache to saving the cache.
        let _lock = self.lock_output();
        let (report, damaged) = self.build_locked(stale)?;
        let Some(damaged) = damaged else {
            return Ok(report);
        };
        // A file of bodies of the build cache did not hold what its shard
        // says (damaged, or changed by someone while this build read it):
        // nothing was written. Built once more with the products read
        // afresh and without any file of bodies (others may be damaged
        // too, and are read only when needed); one changing in between
        // still fails as it did.
        self.products_saved();
        if let Some(p) = self.products.take() {
            cache::products::forget_bodies(&p.root);
        }
        let (mut again, _) = self.build_locked(None)?;
        again.elapsed += report.elapsed;
        let lang = again.lang;
        let note = cache::Discarded::Corrupt.part_note(lang, &damaged);
        again.note = Some(match again.note.take() {
            Some(other) => format!("{note}\n{other}"),
            None => note,
        });
        Ok(again)
    }

    /// [`Session::build`] with the output locked; also the build cache's
    /// file of bodies that failed its check, if one did. `Err` when
    /// `stale` stopped it ([`Session::build_unless`]).
    fn build_locked(
        &mut self,
        stale: Option<&dyn Fn() -> bool>,
    ) -> Result<(Report, Option<PathBuf>), Abandoned> {
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
            cpu: Vec::new(),
            cpu_mark: process_cpu(),
            partly_written: None,
            held_back: site::HeldBack::default(),
            note: None,
            images: None,
            reused: None,
            read_late: None,
            narrowed: None,
            rendered: None,
            decoded: None,
        };
        let mut lap = Instant::now();
        if self.cache && self.written.is_none() && self.start_from_cache(&mut report) {
            report.stage("cache", &mut lap);
            report.elapsed = started.elapsed();
            return Ok((report, None));
        }
        let rebuild = self.retain && !self.cache && self.written.is_some();
        let stop = Stop {
            rebuild,
            stale: stale.filter(|_| rebuild),
            started,
        };
        // A save made during the quick update: nothing is done yet.
        stop.at("rebuild: started")?;
        let loads = self.template_loads;
        let loaded = self.load(&mut diags, &mut sources);
        // From here only a rebuild whose load kept `site.yaml` and the
        // templates may stop: the quick paths after it render with the
        // templates the last written build had.
        let stop = Stop {
            stale: stop.stale.filter(|_| self.template_loads == loads),
            ..stop
        };
        let mut damaged = None;
        // What a one-shot build is done with once written, freed only after
        // the products and the cache are saved: freeing it (tens of
        // thousands of blocks) on a thread of its own took CPU from them,
        // on a machine whose cores the build keeps busy.
        let mut done_with = None;
        if report.note.is_none() {
            report.note = self.products.as_mut().and_then(|p| p.note.take());
        }
        report.stage("load+index", &mut lap);
        if let Some(mut site) = loaded {
            if let Err(abandoned) = stop.at("rebuild: loaded") {
                crate::heap::drop_later(site);
                return Err(abandoned);
            }
            self.photos(&mut site, &mut diags, &mut report);
            report.stage("photos", &mut lap);
            report.lang = self.req.lang.unwrap_or(site.config.lang);
            report.pages = site.pages.len();
            report.held_back = site.held_back.clone();
            let (bodies, md_diags) = render::markdown_cached(&site, &mut self.markdown);
            diags.extend(md_diags);
            if let Some(p) = &self.products {
                let changed = p.reads.changed();
                if !changed.is_empty() {
                    // Its saved hash is wrong: the next build reads all.
                    if let Some(c) = &self.cached {
                        cache::forget(&c.root, &c.out);
                    }
                }
                diags.extend(changed);
                report.reused = Some((p.parsed, self.markdown.reused()));
            }
            report.stage("markdown", &mut lap);
            if self.cache {
                // Saved from now on, beside the render: nothing later
                // changes them.
                self.save_products();
            }
            let summaries =
                match self.render_and_write(&site, &bodies, &mut diags, &mut report, stop) {
                    Ok(summaries) => summaries,
                    Err(abandoned) => {
                        self.abandoned();
                        crate::heap::drop_later((site, bodies));
                        return Err(abandoned);
                    }
                };
            if let Some(p) = &self.products {
                let decoded = bodies.pages.iter().filter(|b| b.was_decoded());
                report.decoded = Some(decoded.count());
                let changed = bodies_changed(&bodies.pages);
                if !changed.is_empty() {
                    damaged = changed.first().map(|p| p.to_path_buf());
                    // Not to be read again; what was made from its empty
                    // pages (the search index's cache) not to be trusted.
                    for path in changed {
                        let _ = std::fs::remove_file(path);
                    }
                    let _ = std::fs::remove_file(cache::products::whole_file(&p.root, SEARCH));
                    if let Some(c) = &self.cached {
                        cache::forget(&c.root, &c.out);
                    }
                }
            }
            // Only a build that was written is a base for quick updates.
            self.last = match summaries {
                Some((summaries, hashes, globals)) if self.retain => Some(Last {
                    site,
                    bodies,
                    summaries,
                    hashes,
                    globals,
                }),
                summaries => {
                    done_with = Some((site, bodies, summaries));
                    None
                }
            };
        } else {
            self.last = None;
        }
        report.diags = diags.into_sorted();
        if let Some(p) = &self.products {
            p.reads.add_sources(&report.diags, &mut sources);
            report.read_late = Some((p.unread, p.reads.count()));
        }
        report.sources = sources;
        // Rendering timed its own stages.
        lap = Instant::now();
        if self.saving.is_some() {
            self.products_saved();
            report.stage("waiting for the products", &mut lap);
        }
        if self.cache && report.stats.is_some() {
            self.save_cache(&report);
        }
        if self.cache {
            report.stage("save cache", &mut lap);
        }
        crate::heap::drop_later(done_with);
        report.elapsed = started.elapsed();
        Ok((report, damaged))
    }

    /// After a rebuild stopped once it had updated the search index and
    /// given the templates its values: the index holds what the output
    /// may not yet, and the templates get the last written build's values
    /// again (as [`Session::quick_templates`] gives new templates).
    fn abandoned(&mut self) {
        self.search_ahead = true;
        if let (Some(templates), Some(last)) = (self.templates.as_mut(), &self.last) {
            templates.set_globals(render::context::globals(&last.site));
        }
    }

    /// Waits until no other build is publishing into the output, saying
    /// so on standard error; the output is this session's until the value
    /// is dropped (see [`output::lock`]).
    fn lock_output(&self) -> Option<output::lock::Lock> {
        let out = self.req.output.as_ref()?;
        let lang = (self.req.lang)
            .or(self.last.as_ref().map(|l| l.site.config.lang))
            .unwrap_or_default();
        output::lock::hold(out, &self.req.root, |pid| {
            eprintln!("{}", output::busy(lang, out, pid));
        })
    }

    /// Reads the cache and hashes the inputs. True when nothing changed —
    /// inputs, clock window and output all as the cache says — and
    /// `report` is filled in from it; otherwise what the cache knows about
    /// the output is loaded for the build to render only what changed.
    fn start_from_cache(&mut self, report: &mut Report) -> bool {
        let Some(out) = &self.req.output else {
            return false;
        };
        let root = self
            .req
            .root
            .canonicalize()
            .unwrap_or_else(|_| self.req.root.clone());
        let out = anchor(out);
        // The cache's file is decoded while the inputs are stamped: the
        // decoding takes one core, the stamps mostly wait for the system.
        let (saved, stamps) = rayon::join(
            || cache::load(&root, &out),
            || cache::input_stamps(&root, &out),
        );
        let mut saved = match saved {
            Ok(s) => s,
            Err(why) => {
                let lang = self.req.lang.unwrap_or_default();
                report.note = Some(why.note(lang, &cache::file(&root, &out)));
                None
            }
        };
        let options = format!(
            "drafts={} future={} lang={:?}",
            self.req.options.drafts, self.req.options.future, self.req.lang
        );
        let (files, inputs, unhashed) = if saved.is_some() || cache::products::any(&root) {
            let files = cache::hashed(stamps, saved.as_ref().map(|s| &s.files));
            let inputs = cache::inputs_hash(&files, &options);
            (files, inputs, None)
        } else {
            // Nothing to compare with: hashed as the build reads them.
            let files = cache::unhashed(stamps);
            (files, 0, Some(cache::Unhashed::default()))
        };
        let now = self.req.options.now.as_millisecond();
        let changed =
            (saved.as_ref()).and_then(|s| cache::narrow::changed_inputs(s, &files, &options, now));
        self.cached = Some(CacheState {
            root,
            out: out.clone(),
            files,
            inputs,
            options,
            changed,
            pages: None,
            uses: (saved.as_mut()).map_or_else(HashMap::new, |s| std::mem::take(&mut s.templates)),
            templates: None,
            unhashed,
        });
        let Some(saved) = saved else {
            return false;
        };
        // Every file of ours as it was written, and the manifest that makes
        // the folder ours; files others put there do not matter.
        let listed: Vec<(&String, &(u64, cache::Stamp))> = saved.outputs.iter().collect();
        let found = cache::outputs_as_written(&out, listed.iter().map(|(url, (_, st))| (*url, st)));
        let same_output =
            out.join(output::manifest::FILE).is_file() && found.iter().all(Option::is_some);
        if saved.inputs == inputs
            && !saved.warnings
            && now >= saved.now_ms
            && saved.until_ms.is_none_or(|u| now < u)
            && same_output
        {
            report.lang = if saved.en { Lang::En } else { Lang::Zh };
            report.lang = self.req.lang.unwrap_or(report.lang);
            report.pages = saved.pages;
            report.search = saved.search;
            report.feeds = saved.feeds;
            report.stats = Some(WriteStats {
                files: saved.outputs.len(),
                changed: 0,
            });
            return true;
        }
        // Only what is still in the output as it was written counts.
        let mut seen = HashMap::with_capacity(listed.len());
        let mut outputs = HashMap::with_capacity(listed.len());
        for ((url, (hash, _)), stamp) in listed.into_iter().zip(found) {
            let Some(stamp) = stamp else {
                continue;
            };
            if *hash != 0 {
                outputs.insert(url.clone(), *hash);
            }
            seen.insert(url.clone(), stamp);
        }
        self.written = Some(Written {
            jobs: saved.jobs,
            outputs,
            statics: saved
                .statics
                .into_iter()
                .filter(|(url, _)| seen.contains_key(url))
                .map(|(url, (path, st))| {
                    let modified = SystemTime::UNIX_EPOCH + Duration::new(st.secs, st.nanos);
                    let stamp = FileStamp {
                        path,
                        len: st.len,
                        modified: Some(modified),
                    };
                    (url, stamp)
                })
                .collect(),
            // A one-shot build publishes a whole tree; the ledger is watch's.
            ledger: Default::default(),
            globals: saved.globals,
            seen,
        });
        false
    }

    /// Leaves the cache for the next build; a failure only costs it time.
    fn save_cache(&mut self, report: &Report) {
        let (Some(mut state), Some(written)) = (self.cached.take(), &self.written) else {
            return;
        };
        if let Some(unhashed) = state.unhashed.take() {
            state.files = unhashed.hash(&state.root, std::mem::take(&mut state.files));
            state.inputs = cache::inputs_hash(&state.files, &state.options);
        }
        // The publish recorded each file's stamp; look only where it did not.
        let ledger = &written.ledger;
        let stamp_of = |url: &String| -> Option<cache::Stamp> {
            if ledger.is_empty() {
                let st = output::Stamp::of_file(&state.out, url)?;
                return Some(cache::Stamp::of_written(&st));
            }
            let recorded = ledger.written(url);
            (recorded.map(|(len, t)| cache::Stamp::from_parts(len, t)))
                .or_else(|| cache::Stamp::of_output(&state.out, url))
        };
        let mut outputs: HashMap<String, (u64, cache::Stamp)> = (written.outputs.par_iter())
            .filter_map(|(url, hash)| Some((url.clone(), (*hash, stamp_of(url)?))))
            .collect();
        let statics: Vec<_> = (written.statics.par_iter())
            .filter_map(|(url, fs)| {
                // As the build stamped the source before copying it.
                let src = cache::Stamp::from_parts(fs.len, Some(fs.modified?));
                Some((url, fs.path.clone(), src, stamp_of(url)?))
            })
            .collect();
        let mut static_files = HashMap::with_capacity(statics.len());
        for (url, path, src, st) in statics {
            outputs.insert(url.clone(), (0, st));
            static_files.insert(url.clone(), (path, src));
        }
        let statics = static_files;
        let saved = cache::Saved {
            site: state.root.to_string_lossy().into_owned(),
            output: state.out.to_string_lossy().into_owned(),
            inputs: state.inputs,
            files: state.files,
            now_ms: self.req.options.now.as_millisecond(),
            until_ms: self.until.map(|t| t.as_millisecond()),
            warnings: !report.diags.is_empty(),
            en: report.lang == Lang::En,
            pages: report.pages,
            search: report.search,
            feeds: report.feeds,
            jobs: written.jobs.clone(),
            outputs,
            statics,
            options: state.options,
            globals: written.globals,
            templates: (self.templates.as_ref()).map_or_else(HashMap::new, |t| t.uses().clone()),
        };
        let _ = cache::save(&state.root, &state.out, &saved);
    }

    /// Starts the content and Markdown caches from the products an earlier
    /// process left, once `site.yaml` is known (they belong to one).
    fn load_products(&mut self) {
        let Some(state) = self.cached.as_ref().filter(|_| self.products.is_none()) else {
            return;
        };
        let config = cache::products::config_key(self.config_text.as_deref());
        let (products, sums, why) = cache::products::load(&state.root, config);
        self.content = content::Cache::from_stored(products.content);
        self.markdown = MarkdownCache::from_stored(products.markdown);
        // Read beside the content's load and the index, which leave a core
        // idle for much of their time; [`Session::search_loaded`] waits.
        self.search_loading = Some(SearchLoading::start(state.root.clone(), config));
        let lang = self.req.lang.unwrap_or_default();
        self.products = Some(ProductsState {
            root: state.root.clone(),
            config,
            sums,
            content: Default::default(),
            parsed: 0,
            fresh: HashSet::new(),
            unread: 0,
            reads: Default::default(),
            note: why.map(|(why, file)| why.part_note(lang, &file)),
        });
    }

    /// The search index's cache as [`Session::load_products`] found it,
    /// once read; its note, if the products had none.
    fn search_loaded(&mut self) {
        let Some(loading) = self.search_loading.take() else {
            return;
        };
        let (search, why) = loading.wait();
        self.search = search;
        if let Some(p) = &mut self.products
            && p.note.is_none()
        {
            let lang = self.req.lang.unwrap_or_default();
            p.note = why.map(|(why, file)| why.part_note(lang, &file));
        }
    }

    /// Leaves what this build parsed and rendered for the next process,
    /// whether or not the build succeeded; a failure only costs it time.
    /// A one-shot build hands what it kept only for this to a thread of its
    /// own, which encodes and writes it while the build renders and frees
    /// it after (on the 10,000-page site 96 MB of products, a third of a
    /// second of CPU that the cold build used to wait for);
    /// [`Session::products_saved`] waits for it.
    fn save_products(&mut self) {
        let Some(p) = self.products.as_mut() else {
            return;
        };
        if self.retain {
            let products = cache::products::Products {
                content: std::mem::take(&mut p.content),
                markdown: self.markdown.stored(),
            };
            let markdown = self.markdown.fresh();
            let fresh = |rel: &str| p.fresh.contains(rel) || markdown.contains(rel);
            let _ = cache::products::save(&p.root, p.config, &products, &p.sums, &fresh);
            return;
        }
        let content = std::mem::take(&mut p.content);
        let parsed = std::mem::take(&mut p.fresh);
        let markdown = std::mem::take(&mut self.markdown);
        let (root, config, sums) = (p.root.clone(), p.config, p.sums.clone());
        let save = move || {
            let products = cache::products::Products {
                content,
                markdown: markdown.stored(),
            };
            let rendered = markdown.fresh();
            let fresh = |rel: &str| parsed.contains(rel) || rendered.contains(rel);
            let _ = cache::products::save(&root, config, &products, &sums, &fresh);
        };
        // Without a thread (none left to start) they are not saved: that
        // only costs the next build time.
        self.saving = std::thread::Builder::new()
            .name("products".into())
            .spawn(save)
            .ok();
    }

    /// Waits until the products [`Session::save_products`] handed to a
    /// thread are written.
    fn products_saved(&mut self) {
        if let Some(saving) = self.saving.take() {
            let _ = saving.join();
        }
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
            if let Some(state) = &mut self.cached
                && let Some(unhashed) = &mut state.unhashed
            {
                let read = (cache.hashes()).map(|(rel, len, secs, nanos, hash)| {
                    (rel, cache::Stamp { len, secs, nanos }, hash)
                });
                let content_dir = site.config.content_dir();
                unhashed.found_under(&state.files, &state.root, &content_dir, read);
            }
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
        if self.cache {
            self.load_products();
        }
        // A folder that cannot be read reloads the templates, which reports it.
        let (stamps, readable) = template_stamps(&config);
        if self.templates.is_none() || stamps != self.template_stamps || !readable {
            self.templates = load_templates(&config, diags, sources);
            self.template_loads += 1;
            self.counts_shown = (self.templates.as_ref())
                .is_none_or(|t| render::section_counts::shown(t.sources()));
            self.template_stamps = stamps;
        } else if let Some(t) = &self.templates {
            t.add_sources(sources);
        }
        let content_dir = config.content_dir();
        if let (Some(state), Some(_)) = (&self.cached, &self.products) {
            let hashed = state.unhashed.is_none();
            let unchanged = cache::unchanged_under(&state.files, &state.root, &content_dir, hashed);
            self.content.trust(unchanged);
        }
        let content = content::load_cached(
            &config.content_dir(),
            &root,
            &config.timezone.clone(),
            &mut self.content,
            diags,
            sources,
        );
        if let Some(state) = &mut self.cached
            && let Some(unhashed) = &mut state.unhashed
        {
            let read = (self.content.read_hashes()).filter_map(|(rel, len, modified, hash)| {
                Some((rel, cache::Stamp::from_parts(len, Some(modified?)), hash))
            });
            unhashed.found_under(&state.files, &state.root, &content_dir, read);
        }
        self.until = site::next_change(&content.pages, self.req.options.now, &config.timezone);
        if let Some(p) = &mut self.products {
            p.content = self.content.stored();
            p.parsed = self.content.reused();
            p.fresh = self.content.fresh().clone();
            p.reads = self.content.reads();
            p.unread = self.content.unread();
        }
        // Changed templates are told apart; the other changed files must be
        // pages that keep their place.
        let template_dirs = [
            config.theme_dir().join("templates"),
            config.root.join("templates"),
        ];
        let split = (self.cached.as_ref())
            .and_then(|s| cache::templates::split(s.changed.as_deref()?, &s.root, &template_dirs));
        let changed = (self.cached.as_ref())
            .zip(split.as_ref())
            .and_then(|(s, (_, rest))| cache::narrow::under(rest, &s.root, &content_dir))
            .map(|c| cache::narrow::changed_pages(&c, &self.content));
        if let (Some(state), Some((templates, _))) = (&mut self.cached, &split) {
            state.templates = match (templates, &self.templates) {
                (false, _) => Some(Vec::new()),
                (true, Some(t)) => cache::templates::changed(&state.uses, t),
                (true, None) => None,
            };
        }
        if !self.retain {
            // The site holds its own copy of every page; the cache's is spare.
            crate::heap::drop_later(std::mem::take(&mut self.content));
        }
        let site = site::index(config, self.req.options.clone(), content, diags);
        if let (Some(state), Some(changed)) = (&mut self.cached, changed) {
            state.pages = cache::narrow::pages_in_place(&site, &changed, same_place);
        }
        self.search_loaded();
        Some(site)
    }

    /// Renders and writes; returns the page summaries, their fingerprints
    /// and the globals' when the output was written, for [`Session::quick`].
    /// `Err` when `stop` stopped it, before anything was written.
    fn render_and_write(
        &mut self,
        site: &Site,
        bodies: &render::Bodies,
        diags: &mut Diagnostics,
        report: &mut Report,
        stop: Stop,
    ) -> Result<Option<Summaries>, Abandoned> {
        let Some(templates) = self.templates.as_mut() else {
            return Ok(None);
        };
        let globals = render::context::globals(site);
        let no_known = Known::default();
        let globals_hash = globals_hash(self.counts_shown, &globals);
        templates.set_globals(globals);
        let templates = &*templates;
        let mut lap = Instant::now();
        let index = crate::search::build(site, &bodies.pages, &mut self.search);
        report.search = Some(index.stats);
        // A build with the cache that may render only the files an edit
        // reaches makes each summary when a file first needs it.
        let narrowing = !self.retain
            && (self.cached.as_ref()).is_some_and(|c| c.pages.is_some() && c.templates.is_some());
        let renderer = if narrowing {
            Renderer::with_later_summaries(site, templates, bodies, index.files, index.kept)
        } else {
            Renderer::new(site, templates, bodies, index.files, index.kept)
        };
        report.stage("summaries+search+feeds", &mut lap);
        stop.at("rebuild: searched")?;
        report.feeds = renderer.extra.feeds;
        // Fingerprints tell the next build what it may skip: a one-shot
        // build without the build cache has no next build to tell.
        let fingerprinted = self.retain || self.cache;
        let mut known = match &renderer.later {
            Some(later) => later.known(),
            None => Known::default(),
        };
        // Watch keeps every summary's hash for its quick paths; a build
        // with the cache hashes only those the files it prepares show
        // (after one edit, the lists that show that page).
        let hashes: Vec<u64> = if self.retain {
            renderer
                .summaries
                .par_iter()
                .map(|v| fingerprint::of_value(v, &no_known))
                .collect()
        } else {
            Vec::new()
        };
        for (v, &h) in renderer.summaries.iter().zip(&hashes) {
            known.insert(v, h);
        }
        if fingerprinted && !self.retain {
            for v in &renderer.summaries {
                known.insert_lazy(v);
            }
        }
        let jobs = renderer.jobs();
        let fingerprint = |p: &Prepared| {
            if fingerprinted {
                p.fingerprint(globals_hash, &known)
            } else {
                0
            }
        };
        // Watch's later builds compare every file's fingerprint with what it
        // last wrote before rendering any; other builds prepare, render and
        // write each file in one go (see `full_write`).
        let incremental = self.retain && self.written.is_some();
        let mut fingerprints = Vec::new();
        if incremental {
            let (done, missing) = renderer.fingerprints(&jobs, &fingerprint);
            fingerprints = done;
            diags.extend(missing);
            report.stage("contexts+fingerprints", &mut lap);
            stop.at("rebuild: fingerprinted")?;
        }
        let mut statics = static_files(&site.config, site, diags);
        let rendered_urls: HashSet<String> = jobs.par_iter().map(|&j| renderer.url(j)).collect();
        statics.retain(|url, _| !rendered_urls.contains(url));
        drop(rendered_urls);

        let out = match &self.req.output {
            Some(out) if !diags.has_errors() => out.clone(),
            _ => {
                // Nothing will be written; render anyway to find template errors.
                let (missing, failed) = renderer.problems(&jobs, true);
                if !incremental {
                    diags.extend(missing);
                }
                diags.extend(failed);
                return Ok(None);
            }
        };
        // Heal what someone else changed in the output since the last
        // build: rewrite damaged files, or publish afresh if it is gone.
        if let Some(prev) = &mut self.written {
            match prev.ledger.damaged(&out) {
                Damage::None => {}
                Damage::Files(urls) => prev.forget(&urls),
                Damage::Whole => self.written = None,
            }
        }
        // Only the pages changed, in place, and the templates see what they
        // saw: the files that show none of them are kept unrendered.
        let only = (self.cached.as_ref())
            .and_then(|c| Some((c.pages.as_deref()?, c.templates.as_deref()?)))
            .filter(|_| {
                !self.retain
                    && self
                        .written
                        .as_ref()
                        .is_some_and(|w| w.globals == globals_hash)
            })
            .map(|(pages, changed)| cache::templates::jobs(&renderer, pages, changed, &jobs));
        report.narrowed = only.as_ref().map(HashSet::len);
        let search = &self.search;
        let jobs = Jobs {
            renderer: &renderer,
            jobs: &jobs,
            fingerprint: &fingerprint,
            only: only.as_ref(),
            remake: &|urls| search.remake(urls),
            rendered: AtomicUsize::new(0),
        };
        let mut laps = Vec::new();
        let result = match self.written.take() {
            None => full_write(&jobs, &statics, &out, None, diags, &mut laps),
            // A one-shot build with what the cache says is in the output.
            Some(prev) if !self.retain => {
                full_write(&jobs, &statics, &out, Some(&prev), diags, &mut laps)
            }
            Some(mut prev) => {
                let r =
                    incremental_write(&jobs, &fingerprints, &statics, &out, &mut prev, diags, stop);
                match r {
                    Ok(r) => Some(r),
                    Err(NotWritten::Failed(partial)) => {
                        report.partly_written = partial;
                        self.written = Some(prev);
                        None
                    }
                    Err(NotWritten::Abandoned(abandoned)) => {
                        self.written = Some(prev);
                        return Err(abandoned);
                    }
                }
            }
        };
        report.stage("render+write", &mut lap);
        report.stages.extend(laps);
        let Some((mut written, stats, changed)) = result else {
            return Ok(None);
        };
        // Every file of the search index was compared with the output.
        self.search_ahead = false;
        report.rendered = Some(jobs.rendered.load(Ordering::Relaxed));
        written.globals = globals_hash;
        self.written = Some(written);
        report.stats = Some(stats);
        report.changed = changed;
        Ok(Some((renderer.summaries, hashes, globals_hash)))
    }
}

fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::io(path.display(), &e)
}

/// The build cache's files of bodies that someone changed after the build
/// opened them, each once: the pages decoded from them came out empty
/// ([`render::body::Body::failed_file`]), so nothing may be written.
fn bodies_changed(bodies: &[std::sync::Arc<render::body::Body>]) -> BTreeSet<&Path> {
    bodies.iter().filter_map(|b| b.failed_file()).collect()
}

/// The files the templates make, and how a prepared one is fingerprinted.
struct Jobs<'a> {
    renderer: &'a Renderer<'a>,
    jobs: &'a [render::Job],
    fingerprint: &'a (dyn Fn(&Prepared) -> u64 + Sync),
    /// The only jobs whose inputs may have changed ([`cache::narrow`]).
    only: Option<&'a HashSet<render::Job>>,
    /// Makes the search index files the index kept as the last build made
    /// them ([`crate::search::Index::kept`]), for an output that turns out
    /// not to hold them.
    remake: &'a Remake<'a>,
    /// How many were rendered.
    rendered: AtomicUsize,
}

/// Makes index files by URL: URL and contents of each it can make.
type Remake<'a> = dyn Fn(&[String]) -> Vec<(String, String)> + Sync + 'a;

/// How one file of a [`full_write`] went.
enum Outcome {
    /// URL, fingerprint of its inputs, hash of its bytes.
    Done(String, u64, u64),
    Failed(Diagnostic),
    /// Left alone: a template is missing, so nothing will be written.
    Skipped,
    /// A search index file the index kept, not in the output as the last
    /// build wrote it: made again after the others ([`Jobs::remake`]).
    Remake(String),
}

/// Every file rendered and compared with the previous output; what changed
/// is written into a new tree beside the output, which replaces the old
/// one in a single step at the end (see [`output::Staging`]).
///
/// Each file is prepared, fingerprinted, rendered and written in one go
/// and then dropped: holding every file's context until all were ready
/// kept the Markdown of the whole site in memory twice.
///
/// With `prev` (from the build cache), files whose inputs and output are as
/// `prev` has them are neither rendered nor compared: they are kept as the
/// old output has them.
fn full_write(
    jobs: &Jobs,
    statics: &BTreeMap<String, PathBuf>,
    out: &Path,
    prev: Option<&Written>,
    diags: &mut Diagnostics,
    laps: &mut Vec<(&'static str, Duration)>,
) -> Option<(Written, WriteStats, Vec<String>)> {
    let started = Instant::now();
    let renderer = jobs.renderer;
    let config = &renderer.site.config;
    let staging = match Staging::begin(out, &config.root, &output::sources(config)) {
        Ok(s) => s,
        Err(p) => {
            // A missing template is reported first, as when nothing is to
            // be written, with every template that fails.
            let (missing, _) = renderer.problems(jobs.jobs, false);
            if missing.is_empty() {
                diags.push(p.diagnostic());
            } else {
                let (missing, failed) = renderer.problems(jobs.jobs, true);
                diags.extend(missing);
                diags.extend(failed);
            }
            return None;
        }
    };
    let missing = AtomicBool::new(false);
    let one = |job: render::Job| -> Outcome {
        if missing.load(Ordering::Relaxed) {
            return Outcome::Skipped;
        }
        if let Some(kept) = keep_unrendered(jobs, job, prev, &staging) {
            return kept;
        }
        let Ok(p) = renderer.prepare_job(job) else {
            missing.store(true, Ordering::Relaxed);
            return Outcome::Skipped;
        };
        let fp = (jobs.fingerprint)(&p);
        if let Some(&hash) = prev
            .filter(|w| w.jobs.get(&p.url) == Some(&fp))
            .and_then(|w| w.outputs.get(&p.url))
        {
            match staging.keep(&p.url, seen(prev, &p.url)) {
                Ok(true) => return Outcome::Done(p.url, fp, hash),
                Ok(false) => {}
                Err(e) => return Outcome::Failed(io_error(Path::new(&p.url), e)),
            }
        }
        match p.made {
            render::Made::Template { .. } => {
                jobs.rendered.fetch_add(1, Ordering::Relaxed);
            }
            render::Made::File { index, .. } if renderer.extra.contents(index).is_none() => {
                return Outcome::Remake(p.url);
            }
            render::Made::File { .. } => {}
        }
        let html = match renderer.render_bytes(&p) {
            Ok(html) => html,
            Err(d) => return Outcome::Failed(d),
        };
        if let Err(e) = staging.put(&p.url, &html) {
            return Outcome::Failed(io_error(Path::new(&p.url), e));
        }
        let hash = fingerprint::of_bytes(&html);
        Outcome::Done(p.url, fp, hash)
    };
    let mut results: Vec<Outcome> = jobs.jobs.par_iter().map(|&job| one(job)).collect();
    remake_kept(jobs, &staging, &mut results);
    if missing.into_inner() {
        // Reported as when nothing is to be written: the missing
        // templates, and every template that fails.
        let (missing, failed) = renderer.problems(jobs.jobs, true);
        diags.extend(missing);
        diags.extend(failed);
        staging.abort();
        return None;
    }
    // Each source stamped once, before it is copied: a source changed
    // while copying then differs from its stamp, and is copied next time.
    let copied: Vec<(&String, FileStamp, Option<Diagnostic>)> = statics
        .par_iter()
        .map(|(url, src)| {
            let now = stamp(src);
            let same = prev.is_some_and(|w| w.statics.get(url) == Some(&now)) && !now.recent();
            let kept = same && staging.keep(url, seen(prev, url)).is_ok_and(|k| k);
            let failed = if kept {
                None
            } else {
                staging.copy(url, src).err().map(|e| io_error(src, e))
            };
            (url, now, failed)
        })
        .collect();
    let mut written = Written::default();
    let mut failed = false;
    for (url, stamp, problem) in copied {
        failed |= problem.is_some();
        diags.extend(problem);
        written.statics.insert(url.clone(), stamp);
    }
    for r in results {
        match r {
            Outcome::Done(url, fp, hash) => {
                written.jobs.insert(url.clone(), fp);
                written.outputs.insert(url, hash);
            }
            Outcome::Failed(d) => {
                failed = true;
                diags.push(d);
            }
            Outcome::Skipped | Outcome::Remake(_) => {}
        }
    }
    for path in bodies_changed(&renderer.bodies.pages) {
        failed = true;
        let path = path.display().to_string();
        diags.push(Diagnostic::error(None, Msg::ChangedWhileBuilding { path }));
    }
    if failed {
        staging.abort();
        return None;
    }
    laps.push(("of which render+compare", started.elapsed()));
    match staging.commit() {
        Ok(published) => {
            laps.extend(published.laps);
            if let Some(tree) = &published.leftover {
                diags.push(output::leftover_warning(tree));
            }
            written.ledger = published.ledger;
            Some((written, published.stats, published.changed))
        }
        Err(p) => {
            diags.push(p.diagnostic());
            None
        }
    }
}

/// Makes and puts the search index files `results` says the output does
/// not hold as the last build wrote them ([`Outcome::Remake`]).
fn remake_kept(jobs: &Jobs, staging: &Staging, results: &mut [Outcome]) {
    let urls: Vec<String> = (results.iter())
        .filter_map(|r| match r {
            Outcome::Remake(url) => Some(url.clone()),
            _ => None,
        })
        .collect();
    if urls.is_empty() {
        return;
    }
    let made: HashMap<String, String> = (jobs.remake)(&urls).into_iter().collect();
    for r in results.iter_mut() {
        let Outcome::Remake(url) = r else {
            continue;
        };
        let url = std::mem::take(url);
        *r = match made.get(&url) {
            Some(body) => match staging.put(&url, body.as_bytes()) {
                Ok(()) => {
                    let hash = render::extra::hash(body);
                    Outcome::Done(url, hash, hash)
                }
                Err(e) => Outcome::Failed(io_error(Path::new(&url), e)),
            },
            None => {
                let e = std::io::Error::new(std::io::ErrorKind::NotFound, "not made again");
                Outcome::Failed(io_error(Path::new(&url), e))
            }
        };
    }
}

/// The stamp the build cache's check found `url` with in the output.
fn seen(prev: Option<&Written>, url: &str) -> Option<output::Stamp> {
    prev?.seen.get(url).copied()
}

/// A job outside [`Jobs::only`], kept as the output holds it with the
/// fingerprint it had; `None` when it must be prepared (it is among them,
/// or the old output does not have it).
fn keep_unrendered(
    jobs: &Jobs,
    job: render::Job,
    prev: Option<&Written>,
    staging: &Staging,
) -> Option<Outcome> {
    if jobs.only?.contains(&job) {
        return None;
    }
    let url = jobs.renderer.url(job);
    let prev = prev?;
    let (&fp, &hash) = (prev.jobs.get(&url)?, prev.outputs.get(&url)?);
    match staging.keep(&url, seen(Some(prev), &url)) {
        Ok(true) => Some(Outcome::Done(url, fp, hash)),
        Ok(false) => None,
        Err(e) => Some(Outcome::Failed(io_error(Path::new(&url), e))),
    }
}

/// Only what changed: affected files rendered in memory first (so an error
/// writes nothing), then each replaced on its own, atomically (see
/// [`output::Ledger`]); files of ours no longer part of the site are
/// removed. On a write error (a full disk) the files already replaced stay
/// replaced: `Err(NotWritten::Failed(Some((updated, not_updated))))` says
/// which, and `prev.ledger` learns what is now on disk. `stop` may stop it
/// once the files are rendered, before the first is written.
#[allow(clippy::type_complexity)]
fn incremental_write(
    jobs: &Jobs,
    fingerprints: &[(render::Job, String, u64)],
    statics: &BTreeMap<String, PathBuf>,
    out: &Path,
    prev: &mut Written,
    diags: &mut Diagnostics,
    stop: Stop,
) -> Result<(Written, WriteStats, Vec<String>), NotWritten> {
    let dirty: Vec<&(render::Job, String, u64)> = fingerprints
        .iter()
        .filter(|(_, url, fp)| prev.jobs.get(url) != Some(fp) || !prev.outputs.contains_key(url))
        .collect();
    let templated = dirty
        .iter()
        .filter(|(job, ..)| !matches!(job, render::Job::File(_)));
    jobs.rendered.store(templated.count(), Ordering::Relaxed);
    let renderer = jobs.renderer;
    // Prepared again: only the dirty ones, and their contexts are not kept.
    let rendered: Vec<Result<(&str, std::borrow::Cow<str>), Diagnostic>> = dirty
        .par_iter()
        .map(|(job, url, _)| {
            let p = renderer.prepare_job(*job)?;
            renderer
                .render_prepared(&p)
                .map(|html| (url.as_str(), html))
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
        return Err(NotWritten::Failed(None));
    }
    stop.at("rebuild: rendered")
        .map_err(NotWritten::Abandoned)?;

    let mut ledger = prev.ledger.clone();
    let mut written = Written {
        jobs: fingerprints
            .iter()
            .map(|(_, url, fp)| (url.clone(), *fp))
            .collect(),
        outputs: prev.outputs.clone(),
        statics: HashMap::new(),
        ledger: Ledger::default(),
        globals: prev.globals,
        seen: HashMap::new(),
    };
    let mut changed = Vec::new();
    let mut not_written = Vec::new();
    let mut record = |url: &str, result: Result<(), output::Problem>| match result {
        Ok(()) => changed.push(url.to_string()),
        Err(p) => {
            diags.push(p.diagnostic());
            not_written.push(url.to_string());
        }
    };
    if !out.join(output::manifest::FILE).is_file() {
        record(output::manifest::FILE, ledger.save(out));
    }
    for (url, html) in &pages {
        let hash = fingerprint::of_bytes(html.as_bytes());
        if prev.outputs.get(*url) != Some(&hash) {
            record(url, ledger.write(out, url, html.as_bytes()));
            written.outputs.insert(url.to_string(), hash);
        }
    }
    for (url, src) in statics {
        let now = stamp(src);
        if prev.statics.get(url) != Some(&now)
            || now.recent() && !same_file_bytes(src, &out.join(url))
        {
            record(url, ledger.copy(out, url, src));
        }
        written.statics.insert(url.clone(), now);
    }
    let live: HashSet<&str> = fingerprints
        .iter()
        .map(|(_, url, _)| url.as_str())
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
        record(&url, ledger.remove(out, &url));
    }
    record(output::manifest::FILE, ledger.save(out));
    changed.retain(|u| u != output::manifest::FILE);
    if !not_written.is_empty() {
        prev.ledger = ledger;
        return Err(NotWritten::Failed(Some((changed.len(), not_written))));
    }
    changed.sort();
    changed.dedup();
    written.ledger = ledger;
    let stats = WriteStats {
        files: written.outputs.len() + written.statics.len(),
        changed: changed.len(),
    };
    Ok((written, stats, changed))
}

/// Why [`incremental_write`] wrote nothing, or not everything.
enum NotWritten {
    /// A file failed to render (nothing written), or to be written: how
    /// many were replaced and which were not.
    Failed(Option<(usize, Vec<String>)>),
    /// A newer change came before anything was written.
    Abandoned(Abandoned),
}

/// Files of ours a quick update leaves behind: written by the last build
/// and no longer made (a page's old URL, a tag's list no page carries now,
/// a list's last page).
fn gone_files(
    written: &Written,
    site: &Site,
    lists: &[String],
    extra: &[(String, String)],
    search: &[String],
) -> Vec<String> {
    // FxHash: twenty thousand URLs on every quick update after a move.
    let live: rustc_hash::FxHashSet<&str> = (site.pages.iter().map(|p| p.url.as_str()))
        .chain(lists.iter().map(String::as_str))
        .chain(extra.iter().map(|(u, _)| u.as_str()))
        .chain(search.iter().map(String::as_str))
        .chain(written.statics.keys().map(String::as_str))
        .collect();
    (written.outputs.keys())
        .filter(|u| !live.contains(u.as_str()))
        .cloned()
        .collect()
}

/// Each of the changed `paths` once, in order.
fn unique(paths: &[PathBuf]) -> Vec<&PathBuf> {
    let mut unique: Vec<&PathBuf> = paths.iter().collect();
    unique.sort();
    unique.dedup();
    unique
}

/// A file a quick update made: URL, bytes, and the fingerprint of what a
/// page or list was made from (none for the search index and feeds).
type Made = (String, String, Option<u64>);

/// Rendered pages and lists with their fingerprints, as [`write_quick`]
/// takes them.
fn fingerprinted(files: Vec<(String, String, u64)>) -> Vec<Made> {
    (files.into_iter())
        .map(|(url, html, fp)| (url, html, Some(fp)))
        .collect()
}

/// The search index files a quick update writes: those it made again
/// ([`crate::search::changed`]), or every file when the index is `ahead`
/// of the output ([`Session::build_unless`]); [`write_quick`] writes those
/// that differ from what the output holds.
fn search_files(
    site: &Site,
    bodies: &[std::sync::Arc<render::body::Body>],
    search: &mut crate::search::Cache,
    ahead: bool,
) -> crate::search::Index {
    if ahead {
        crate::search::build(site, bodies, search)
    } else {
        crate::search::changed(site, bodies, search)
    }
}

/// `files` with the search index files the update writes
/// ([`search_files`]) and the feeds.
fn with_index_and_feeds(
    mut files: Vec<Made>,
    site: &Site,
    bodies: &render::Bodies,
    search: &mut crate::search::Cache,
    ahead: bool,
) -> Vec<Made> {
    let index = search_files(site, &bodies.pages, search, ahead);
    let extra = render::extra::build(site, bodies, index.files).files;
    files.extend(extra.into_iter().map(|(url, text)| (url, text, None)));
    files
}

/// Writes what a quick update made that differs from what is in the
/// output (with each file's fingerprint, when it has one), removes `gone`
/// through the ledger (only files of ours), and saves the manifest when
/// files came or went; returns the URLs written or removed.
fn write_quick(
    written: &mut Written,
    out: &Path,
    files: Vec<(String, String, Option<u64>)>,
    gone: Vec<String>,
) -> Result<Vec<String>, Declined> {
    let mut changed = Vec::new();
    // A file added or removed: the manifest must say so.
    let mut reshaped = !gone.is_empty();
    let hashed: Vec<(String, String, Option<u64>, u64)> = (files.into_par_iter())
        .map(|(url, html, fp)| {
            let hash = fingerprint::of_bytes(html.as_bytes());
            (url, html, fp, hash)
        })
        .collect();
    let mut differ: Vec<(String, String, Option<u64>, u64)> = Vec::new();
    for (url, html, fp, hash) in hashed {
        if written.outputs.get(&url) != Some(&hash) {
            reshaped |= !written.ledger.contains(&url);
            differ.push((url, html, fp, hash));
        } else if let Some(fp) = fp {
            written.jobs.insert(url, fp);
        }
    }
    // Written side by side (a page move rewrites hundreds of lists and
    // search files); each one that was written is recorded, the first
    // failure declines.
    let each: Vec<(&str, &[u8])> = (differ.iter())
        .map(|(url, html, ..)| (url.as_str(), html.as_bytes()))
        .collect();
    let results = written.ledger.write_all(out, &each);
    let mut failed = None;
    for ((url, _, fp, hash), result) in differ.into_iter().zip(results) {
        match result {
            Ok(()) => {
                written.outputs.insert(url.clone(), hash);
                if let Some(fp) = fp {
                    written.jobs.insert(url.clone(), fp);
                }
                changed.push(url);
            }
            // The file as it was, and what it was made from.
            Err(_) => drop(failed.get_or_insert(Declined::Write(url))),
        }
    }
    if let Some(failed) = failed {
        return Err(failed);
    }
    for url in gone {
        written
            .ledger
            .remove(out, &url)
            .map_err(|_| Declined::Write(url.clone()))?;
        written.outputs.remove(&url);
        written.jobs.remove(&url);
        changed.push(url);
    }
    if reshaped {
        // The manifest names every file of ours, for the builds after.
        (written.ledger.save(out)).map_err(|_| Declined::Write(output::manifest::FILE.into()))?;
    }
    Ok(changed)
}

/// Drops `value` on a thread of its own: what a quick update replaced is
/// freed after the reload is sent rather than before.
fn dropped_aside<T: Send + 'static>(value: T) {
    // Should no thread be had, the closure and `value` are dropped here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// What a changed path under `content/` is to [`site::reshape`]: a page
/// file as it is now, one gone, or nothing (a scratch file gone again).
/// Declined: anything else (a section, a file a page uses or could use,
/// a bundle with files beside its `index.md`: their URLs follow the page)
/// and a page file with errors, which the full build reports.
fn page_change(site: &Site, path: &Path) -> Result<Option<site::reshape::Change>, Declined> {
    let other = || Declined::NotAPage(path.to_path_buf());
    let content_dir = site.config.content_dir();
    let rel = crate::paths::relative(&content_dir, path).ok_or_else(other)?;
    let name = rel.rsplit('/').next().unwrap_or(&rel);
    if !content::is_markdown(name) {
        return match scratch_file_gone(site, &rel, path) {
            true => Ok(None),
            false => Err(other()),
        };
    }
    let dir = crate::paths::parent(&rel);
    // Inside a bundle's folder a Markdown file is one of its files.
    let in_bundle = |d: &str| {
        (site.pages.iter()).any(|p| {
            p.page.bundle && d.starts_with(p.page.dir()) && {
                let rest = &d[p.page.dir().len()..];
                rest.is_empty() || rest.starts_with('/')
            }
        })
    };
    let bundle = name == "index.md";
    let nested = if bundle {
        rel == "index.md" || in_bundle(crate::paths::parent(dir))
    } else {
        in_bundle(dir)
    };
    if name == "_index.md" || nested {
        return Err(other());
    }
    if bundle {
        let has_files = (site.assets.iter()).any(|a| a.asset.bundle.as_deref() == Some(dir));
        let others = std::fs::read_dir(path.parent().unwrap_or(path))
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n != "index.md" && !content::is_ignored(&n)
            });
        if has_files || others {
            return Err(other());
        }
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Some(site::reshape::Change::Gone(rel)));
        }
        Err(_) => return Err(Declined::Unreadable(path.to_path_buf())),
    };
    let display: std::sync::Arc<str> = format!("{}/{rel}", site.config.content_prefix()).into();
    let file = crate::source::decode(path.to_path_buf(), display, bytes)
        .map_err(|_| Declined::Unreadable(path.to_path_buf()))?;
    let (parsed, diags) = content::parse::page(&file, &site.config.timezone);
    let (meta, body) = parsed.ok_or_else(|| Declined::Problems(path.to_path_buf()))?;
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Declined::Problems(path.to_path_buf()));
    }
    Ok(Some(site::reshape::Change::Put(content::Page {
        file: content::PageFile::of(file),
        rel,
        bundle,
        body,
        meta: std::sync::Arc::new(meta),
    })))
}

/// Whether a changed path under `content/` is a scratch file that is gone
/// again: what `sed -i` and some editors write and then rename over the
/// page (the page is in the same batch). Nothing the last build read —
/// no Markdown file, no attachment or photo — counts: their deletion
/// changes what pages link to, which only the full build can tell.
fn scratch_file_gone(site: &site::Site, rel: &str, path: &Path) -> bool {
    !content::is_markdown(rel)
        && !site.links.contains_key(rel)
        && !site.assets.iter().any(|a| a.asset.rel == rel)
        && std::fs::symlink_metadata(path).is_err()
}

/// How long each step of a quick update took, on standard error with
/// `UNIONPRESS_TIMINGS=1` (beside the full build's stages).
struct QuickLaps {
    on: bool,
    mark: Instant,
    /// The process's CPU time at `mark` (all threads: the quick path runs
    /// on rayon's too).
    cpu: Duration,
    done: Vec<(&'static str, Duration, Duration)>,
}

impl QuickLaps {
    fn start() -> QuickLaps {
        let on = std::env::var_os("UNIONPRESS_TIMINGS").is_some();
        QuickLaps {
            on,
            mark: Instant::now(),
            cpu: if on { process_cpu() } else { Duration::ZERO },
            done: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        if self.on {
            let cpu = process_cpu();
            (self.done).push((name, self.mark.elapsed(), cpu.saturating_sub(self.cpu)));
            self.mark = Instant::now();
            self.cpu = cpu;
        }
    }

    /// `quick path, 12 files: read+parse 0.4 ms (cpu 0.4) · …`, and the
    /// totals.
    fn print(&self, files: usize) {
        if self.on {
            let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
            let parts: Vec<String> = (self.done.iter())
                .map(|(n, d, c)| format!("{n} {:.1} ms (cpu {:.1})", ms(d), ms(c)))
                .collect();
            let wall: Duration = self.done.iter().map(|(_, d, _)| *d).sum();
            let cpu: Duration = self.done.iter().map(|(_, _, c)| *c).sum();
            eprintln!(
                "quick path, {files} files: {} · total {:.1} ms (cpu {:.1})",
                parts.join(" · "),
                ms(&wall),
                ms(&cpu)
            );
        }
    }
}

/// A page of the last build as it was before [`Session::try_quick`]
/// swapped in its edit: its index, its file and its rendered Markdown.
type Original = (usize, content::Page, std::sync::Arc<render::body::Body>);

/// Puts back what [`Session::try_quick`] swapped into the last build when
/// it cannot finish: the pages as they were and, after a move, the lists.
fn undo(last: &mut Last, originals: Vec<Original>, before: Option<site::relist::Before>) {
    if let Some(before) = before {
        site::relist::restore(&mut last.site, before);
    }
    for (i, page, body) in originals {
        last.site.pages[i].page = page;
        last.bodies.pages[i] = body;
    }
}
