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
//!
//! `quick` holds watch's quick paths ([`Session::try_quick`]), which write a
//! save's page and lists ahead of the full build; `write` how a full build's
//! files reach the output (a staging tree swapped in, or one file at a time).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::cache;
use crate::config::{self, Config};
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics, Sources, Span};
use crate::i18n::{Lang, Msg};
use crate::images;
use crate::output::{self, Damage, Ledger, Staging, WriteStats};
use crate::render::fingerprint::{self, Known};
use crate::render::templates::{Templates, files_under};
use crate::render::{self, MarkdownCache, Prepared, Renderer};
use crate::site::{self, Site};

mod quick;
mod write;

pub use quick::Declined;
use quick::same_place;
use write::{Jobs, NotWritten, full_write, incremental_write};

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
                "photos processed {} · reused {} · hashed {} · pruned {}",
                i.processed, i.reused, i.hashed, i.pruned
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
    stale_search_script(config, diags);
    Templates::load(&config.root, &config.theme_dir(), diags, sources)
}

/// A warning when the `search.js` the site publishes is its own (the
/// site's `static/`, or a theme copied into the site) and reads another
/// form of the search index than this version writes: such a copy is never
/// updated by unionpress, and its search would find nothing, silently.
fn stale_search_script(config: &Config, diags: &mut Diagnostics) {
    let theme = config.theme_dir();
    let mut own = vec![config.root.join("static")];
    if theme.starts_with(&config.root) {
        own.push(theme.join("static"));
    }
    let Some(path) = own
        .iter()
        .map(|d| d.join("search.js"))
        .find(|p| p.is_file())
    else {
        return;
    };
    let Ok(script) = std::fs::read(&path) else {
        return;
    };
    if crate::search::reads_this_index(&script) {
        return;
    }
    let rel =
        crate::paths::relative(&config.root, &path).unwrap_or_else(|| path.display().to_string());
    let span = Span {
        file: rel.as_str().into(),
        line: 1,
        column: 1,
        bytes: 0..0,
    };
    diags.warning(Some(span), Msg::StaleSearchScript { path: rel });
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

/// What is in the output folder, as the session last wrote it. Its maps
/// are keyed by URLs the build made itself, so they hash with rustc-hash's
/// Fx (no outsider chooses the keys); every watch update looks up and
/// inserts thousands of them.
#[derive(Default)]
struct Written {
    /// Fingerprint of each rendered file's inputs.
    jobs: FxHashMap<String, u64>,
    /// Hash of each rendered file's bytes.
    outputs: FxHashMap<String, u64>,
    statics: FxHashMap<String, FileStamp>,
    /// The output's files as written, to update them one by one and to
    /// notice when someone else changes them.
    ledger: Ledger,
    /// Hash of the values every template saw ([`render::context::globals`]).
    globals: u64,
    /// The output's files of `outputs` and `statics` as this build found
    /// them, as the build cache recorded them: kept without looking again;
    /// and whether the tree `kept` holds each as the same file
    /// ([`output::Staging::keep`]).
    seen: FxHashMap<String, (output::Stamp, bool)>,
    /// The folder (device, inode) of the tree kept beside the output: as
    /// the build cache recorded it, then as the publish left it.
    kept: Option<(u64, u64)>,
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
    /// The point it stopped at (`rebuild: started`, `rebuild: read`, `rebuild: loaded`,
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
    fresh: Vec<String>,
    /// Pages left unread by the load, and those read later.
    unread: usize,
    reads: std::sync::Arc<content::Reads>,
    /// Why products were thrown away, for the report.
    note: Option<String>,
    /// The [`cache::products::links_hash`] of this build's site, once known.
    links: u64,
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
    /// The walk that found `files`, until the content is loaded from it.
    walked: Option<cache::Walked>,
    /// Each page's related pages as the cached build found them, then as
    /// this one did.
    related: site::taxonomy::Remembered,
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
    /// checked as it starts, once the files are read, once the site is indexed,
    /// after the search index, after the fingerprints and after rendering.
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
        let loaded = self.load(&mut diags, &mut sources, stop)?;
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
            if let Some(p) = &mut self.products {
                // Once the photos have added their links.
                p.links = cache::products::links_hash(&site.links);
                self.markdown.set_links(p.links);
            }
            self.search_loaded();
            if report.note.is_none() {
                report.note = self.products.as_mut().and_then(|p| p.note.take());
            }
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
        // The cache's file is decoded, and the output's files it lists
        // looked up, while the inputs are stamped: the walk that finds the
        // inputs runs on one thread and left the other core idle once the
        // file was decoded (after one edit at 10,000 pages, 52 ms of
        // looking up 17,890 output files came after it, in turn).
        let ((saved, found), (stamps, walked)) = rayon::join(
            || {
                let saved = cache::load(&root, &out);
                let found = match &saved {
                    Ok(Some(s)) => {
                        let twins = s.twins.iter().copied().chain(std::iter::repeat(0));
                        let files = (s.outputs.iter()).zip(twins);
                        cache::outputs_as_written(
                            &out,
                            files.map(|((url, (_, st)), twin)| (url, st, twin)),
                        )
                    }
                    _ => Vec::new(),
                };
                (saved, found)
            },
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
            walked: Some(walked),
            related: (saved.as_mut())
                .map_or_else(Default::default, |s| std::mem::take(&mut s.related)),
        });
        let Some(saved) = saved else {
            return false;
        };
        // Every file of ours as it was written (`found`, in the order of
        // `saved.outputs`), and the manifest that makes the folder ours;
        // files others put there do not matter.
        let listed: Vec<(&String, &(u64, cache::Stamp))> =
            (saved.outputs.iter()).map(|(url, v)| (url, v)).collect();
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
        let mut seen = FxHashMap::with_capacity_and_hasher(listed.len(), Default::default());
        let mut outputs = FxHashMap::with_capacity_and_hasher(listed.len(), Default::default());
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
            kept: saved.kept,
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
        // Borrowed, not copied: see [`cache::SavedOut`].
        let mut outputs: Vec<(&str, (u64, cache::Stamp))> = (written.outputs.par_iter())
            .filter_map(|(url, hash)| Some((url.as_str(), (*hash, stamp_of(url)?))))
            .collect();
        let statics: Vec<_> = (written.statics.par_iter())
            .filter_map(|(url, fs)| {
                // As the build stamped the source before copying it.
                let src = cache::Stamp::from_parts(fs.len, Some(fs.modified?));
                Some((url.as_str(), fs.path.as_path(), src, stamp_of(url)?))
            })
            .collect();
        // No URL is both rendered and copied (the copies give way).
        outputs.extend(statics.iter().map(|&(url, _, _, st)| (url, (0, st))));
        // The kept tree holds every file the publish did not change as the
        // very file the output holds (see [`output::Published::kept`]).
        let changed: HashSet<&str> = report.changed.iter().map(String::as_str).collect();
        let twins: Vec<u64> = match written.kept {
            Some(_) if !ledger.is_empty() => (outputs.par_iter())
                .map(|(url, _)| match changed.contains(url) {
                    true => 0,
                    false => ledger.inode(url).unwrap_or(0),
                })
                .collect(),
            _ => Vec::new(),
        };
        let statics = statics
            .into_iter()
            .map(|(url, path, src, _)| (url, (path, src)));
        let site = state.root.to_string_lossy();
        let output = state.out.to_string_lossy();
        let templates = (self.templates.as_ref()).map(|t| t.uses());
        let no_templates = HashMap::new();
        let saved = cache::SavedOut {
            site: &site,
            output: &output,
            inputs: state.inputs,
            files: &state.files,
            now_ms: self.req.options.now.as_millisecond(),
            until_ms: self.until.map(|t| t.as_millisecond()),
            warnings: !report.diags.is_empty(),
            en: report.lang == Lang::En,
            pages: report.pages,
            search: report.search,
            feeds: report.feeds,
            jobs: &written.jobs,
            outputs: cache::Entries(outputs),
            statics: cache::Entries(statics.collect()),
            options: &state.options,
            globals: written.globals,
            templates: templates.unwrap_or(&no_templates),
            related: &state.related,
            kept: written.kept.filter(|_| !twins.is_empty()),
            twins: &twins,
        };
        let _ = cache::save(&state.root, &state.out, &saved);
        // Freed on a thread of its own: fourteen thousand files' names.
        crate::heap::drop_later(state);
    }

    /// Starts the content and Markdown caches from the products an earlier
    /// process left, once `site.yaml` is known (they belong to one).
    fn load_products(&mut self) {
        let Some(state) = self.cached.as_ref().filter(|_| self.products.is_none()) else {
            return;
        };
        let config = cache::products::config_key(self.config_text.as_deref());
        // Read beside the products, the content's load, the index and the
        // photos, which leave a core idle for much of their time;
        // [`Session::search_loaded`] waits, before the Markdown. Started
        // after the products, it still had 60 ms to go when the index was
        // done (one edit, 10,000 pages), and the build waited.
        self.search_loading = Some(SearchLoading::start(state.root.clone(), config));
        let (products, sums, why) = cache::products::load(&state.root, config);
        self.content = content::Cache::from_stored(products.content);
        self.markdown = MarkdownCache::from_stored(products.markdown);
        let lang = self.req.lang.unwrap_or_default();
        self.products = Some(ProductsState {
            root: state.root.clone(),
            config,
            sums,
            content: Default::default(),
            parsed: 0,
            fresh: Vec::new(),
            unread: 0,
            reads: Default::default(),
            note: why.map(|(why, file)| why.part_note(lang, &file)),
            links: 0,
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
            let fresh = (p.fresh.iter())
                .chain(self.markdown.fresh())
                .map(String::as_str);
            let _ = cache::products::save(&p.root, p.config, p.links, &products, &p.sums, fresh);
            return;
        }
        let content = std::mem::take(&mut p.content);
        let parsed = std::mem::take(&mut p.fresh);
        let markdown = std::mem::take(&mut self.markdown);
        let (root, config, sums, links) = (p.root.clone(), p.config, p.sums.clone(), p.links);
        let save = move || {
            let products = cache::products::Products {
                content,
                markdown: markdown.stored(),
            };
            let fresh = (parsed.iter()).chain(markdown.fresh()).map(String::as_str);
            let _ = cache::products::save(&root, config, links, &products, &sums, fresh);
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
    fn load(
        &mut self,
        diags: &mut Diagnostics,
        sources: &mut Sources,
        stop: Stop,
    ) -> Result<Option<Site>, Abandoned> {
        let loads = self.template_loads;
        let root = self.req.root.clone();
        let Some(config) = config::load(&root, diags, sources) else {
            return Ok(None);
        };
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
        // The files the stamps were taken of, so that the content folder
        // is not walked twice.
        if let Some(state) = &mut self.cached
            && let Some(files) =
                (state.walked.take()).and_then(|w| w.under(&state.root, &content_dir, &state.out))
        {
            self.content.listed(files);
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
            p.fresh = self.content.fresh().to_vec();
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
        // A newer change came while the files were read: the site is not
        // indexed (what was read stays true of the files; only a rebuild
        // that kept `site.yaml` and the templates may stop).
        if self.template_loads == loads {
            stop.at("rebuild: read")?;
        }
        let options = self.req.options.clone();
        let site = match &mut self.cached {
            // Only the build cache keeps them for a next build.
            Some(state) => {
                site::index_remembering(config, options, content, diags, &mut state.related)
            }
            None => site::index(config, options, content, diags),
        };
        if let (Some(state), Some(changed)) = (&mut self.cached, changed) {
            state.pages = cache::narrow::pages_in_place(&site, &changed, same_place);
        }
        Ok(Some(site))
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
        // The index made the text of each unchanged page it tokenized again
        // from its Markdown (the build cache keeps no text), reading the
        // file if the load had not: one changed since the load is reported
        // as after the Markdown, and nothing is written. Those reported
        // then already stopped the writing.
        if let Some(p) = &self.products
            && !diags.has_errors()
        {
            diags.extend(p.reads.changed());
        }
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

/// The build cache's files of bodies that someone changed after the build
/// opened them, each once: the pages decoded from them came out empty
/// ([`render::body::Body::failed_file`]), so nothing may be written.
fn bodies_changed(bodies: &[std::sync::Arc<render::body::Body>]) -> BTreeSet<&Path> {
    bodies.iter().filter_map(|b| b.failed_file()).collect()
}
