//! How a full build's files reach the output: the first build of a session
//! (and every `unionpress build`) renders into a staging tree that is
//! swapped in whole ([`full_write`]); later builds of a watching session
//! render only what differs and replace those files one by one through the
//! ledger ([`incremental_write`]).

use super::*;

fn io_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::io(path.display(), &e)
}

/// The files the templates make, and how a prepared one is fingerprinted.
pub(super) struct Jobs<'a> {
    pub(super) renderer: &'a Renderer<'a>,
    pub(super) jobs: &'a [render::Job],
    pub(super) fingerprint: &'a (dyn Fn(&Prepared) -> u64 + Sync),
    /// The only jobs whose inputs may have changed ([`cache::narrow`]).
    pub(super) only: Option<&'a HashSet<render::Job>>,
    /// Makes the search index files the index kept as the last build made
    /// them ([`crate::search::Index::kept`]), for an output that turns out
    /// not to hold them.
    pub(super) remake: &'a Remake<'a>,
    /// How many were rendered.
    pub(super) rendered: AtomicUsize,
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
pub(super) fn full_write(
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
    let kept = prev.and_then(|w| w.kept);
    let staging = match Staging::begin(out, &config.root, &output::sources(config), kept) {
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
            let (seen, twin) = seen(prev, &p.url);
            match staging.keep(&p.url, seen, twin) {
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
    // A file of `content/` was stamped when the content was found (or the
    // build cache checked its stamp): not looked up again by its whole path.
    let found: rustc_hash::FxHashMap<&str, &content::Asset> = (renderer.site.assets.iter())
        .map(|a| (a.url.as_str(), &a.asset))
        .collect();
    let copied: Vec<(&String, FileStamp, Option<Diagnostic>)> = statics
        .par_iter()
        .map(|(url, src)| {
            let now = match found.get(url.as_str()) {
                Some(a) if a.path == *src => FileStamp {
                    path: src.clone(),
                    len: a.size,
                    modified: a.modified,
                },
                _ => stamp(src),
            };
            let same = prev.is_some_and(|w| w.statics.get(url) == Some(&now)) && !now.recent();
            let (seen, twin) = seen(prev, url);
            let kept = same && staging.keep(url, seen, twin).is_ok_and(|k| k);
            let failed = if kept {
                None
            } else {
                staging.copy(url, src).err().map(|e| io_error(src, e))
            };
            (url, now, failed)
        })
        .collect();
    let mut written = Written::default();
    // Made at their full size: grown insert by insert, the tables of
    // 17,807 files were moved to larger ones a dozen times each.
    written.statics.reserve(copied.len());
    written.jobs.reserve(results.len());
    written.outputs.reserve(results.len());
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
            written.kept = published.kept;
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

/// The stamp the build cache's check found `url` with in the output, and
/// whether the kept tree holds it as the same file ([`Written::seen`]).
fn seen(prev: Option<&Written>, url: &str) -> (Option<output::Stamp>, bool) {
    match prev.and_then(|w| w.seen.get(url)) {
        Some(&(stamp, twin)) => (Some(stamp), twin),
        None => (None, false),
    }
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
    let (seen, twin) = seen(Some(prev), &url);
    match staging.keep(&url, seen, twin) {
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
pub(super) fn incremental_write(
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
        statics: Default::default(),
        ledger: Ledger::default(),
        globals: prev.globals,
        seen: Default::default(),
        kept: None,
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
pub(super) enum NotWritten {
    /// A file failed to render (nothing written), or to be written: how
    /// many were replaced and which were not.
    Failed(Option<(usize, Vec<String>)>),
    /// A newer change came before anything was written.
    Abandoned(Abandoned),
}
