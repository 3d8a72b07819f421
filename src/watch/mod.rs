//! Watch mode: rebuild whenever a source changes, for as long as it runs.
//!
//! The watcher does not interpret events. Any event under a watched folder
//! (editor temp files aside) means "look again", and the build session
//! rescans and redoes only what changed. So every way editors save —
//! write in place, write-then-rename, delete-then-create — is the same to
//! us, and a burst of events becomes one rebuild after a short quiet spell.
//!
//! It also heals. Source folders that appear after the start (`static/`,
//! `templates/`) or are renamed away and back (`content/`) are watched
//! again after every batch, and every [`CHECK_EVERY`] without events the
//! output is compared with what the session wrote: a deleted or edited
//! output file, or a deleted output folder, is rebuilt to exactly what a
//! clean build writes.
//!
//! A full build that follows a quick update is stopped, before it writes
//! anything, when a newer change comes while it runs
//! ([`Session::build_unless`]): that change's quick update goes first, and
//! the full build starts again after it. The look for a newer change takes
//! no event away: what it reads waits for the next batch. The build after
//! the last batch of a burst runs to the end and checks every file, as
//! does one whose batch the quick path declined (it alone brings that
//! change) and the repairs made while quiet.
//!
//! Polling needs one more check. A poller compares each look at the files
//! with its previous look, not with what the build read: a page saved just
//! after one look, built, and deleted before the next is never reported,
//! and its page would stay published. So when polling, the loop notes the
//! inputs' sizes and times as each build starts ([`Inputs`]) and, when
//! quiet, builds again if they differ.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{Config as NotifyConfig, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use crate::build::{Report, Session};

/// Quiet time that ends a burst of events (an editor's save is several).
const DEBOUNCE: Duration = Duration::from_millis(10);
/// A burst never delays a rebuild longer than this.
const MAX_WAIT: Duration = Duration::from_millis(300);
/// How often a quiet watcher checks the output for damage (a stat of each
/// file: about 10 ms at 10,000 pages).
pub const CHECK_EVERY: Duration = Duration::from_secs(2);

/// How to learn about changes.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    /// The operating system's notifications (inotify, FSEvents, …).
    Native,
    /// Look at the files every so often: for network shares, where native
    /// events do not arrive.
    Poll(Duration),
}

/// The folders a site is built from: content, themes, the site's own
/// templates and static files (recursively), and the site folder itself
/// (not recursively: for `site.yaml`, and folders created later).
pub fn watched_paths(root: &Path) -> Vec<(PathBuf, RecursiveMode)> {
    let mut paths = vec![(root.to_path_buf(), RecursiveMode::NonRecursive)];
    for dir in ["content", "themes", "templates", "static"] {
        let p = root.join(dir);
        if p.is_dir() {
            paths.push((p, RecursiveMode::Recursive));
        }
    }
    paths
}

/// Whether an event path could change the site: not an editor's temporary
/// file, not inside the output folder.
pub fn is_relevant(path: &Path, output: Option<&Path>) -> bool {
    if output.is_some_and(|o| path.starts_with(o)) {
        return false;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    // Vim probes whether it may write a folder with a file named 4913.
    !(crate::content::is_ignored(&name) || name == "4913")
}

/// Polling compares contents, not just times: shares often keep times to
/// the second or two, and an editor can save twice within one.
fn poll_config(every: Duration) -> NotifyConfig {
    NotifyConfig::default()
        .with_poll_interval(every)
        .with_compare_contents(true)
}

/// A source of "something changed" signals, kept alive while watching.
pub struct Changes {
    rx: Receiver<PathBuf>,
    /// Events [`Changes::pending`] read, oldest first, for the next batch.
    held: RefCell<VecDeque<PathBuf>>,
    root: PathBuf,
    /// When polling: the inputs as the last build began to read them.
    inputs: Option<Mutex<Inputs>>,
    watcher: Mutex<Box<dyn Watcher + Send>>,
    /// Each watched folder and the identity it had when watched.
    watched: Mutex<Vec<(PathBuf, Option<FolderId>)>>,
}

/// A folder's identity: renamed away and another put in its place, or the
/// same one renamed back, it must be watched again.
type FolderId = (u64, u64);

#[cfg(unix)]
fn folder_id(p: &Path) -> Option<FolderId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p)
        .ok()
        .filter(|m| m.is_dir())
        .map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn folder_id(p: &Path) -> Option<FolderId> {
    p.is_dir().then_some((0, 0))
}

impl Changes {
    /// Starts watching. Native mode falls back to polling when the
    /// operating system cannot watch these folders. Call it before the
    /// first build: the inputs are noted as they are now.
    pub fn start(
        root: &Path,
        output: Option<&Path>,
        mode: Mode,
    ) -> notify::Result<(Changes, Mode)> {
        let (tx, rx) = mpsc::channel();
        let handler = move |res: notify::Result<notify::Event>| {
            let Ok(event) = res else { return };
            // Reading a file is not changing it, and every build reads them all.
            if event.kind.is_access() {
                return;
            }
            for p in event.paths {
                let _ = tx.send(p);
            }
        };
        let mut used = mode;
        let mut watcher: Box<dyn Watcher + Send> = match mode {
            Mode::Native => match RecommendedWatcher::new(handler.clone(), NotifyConfig::default())
            {
                Ok(w) => Box::new(w),
                Err(_) => {
                    used = Mode::Poll(Duration::from_millis(500));
                    Box::new(PollWatcher::new(
                        handler,
                        poll_config(Duration::from_millis(500)),
                    )?)
                }
            },
            Mode::Poll(every) => Box::new(PollWatcher::new(handler, poll_config(every))?),
        };
        let mut watched = Vec::new();
        for (path, recursive) in watched_paths(root) {
            watcher.watch(&path, recursive)?;
            watched.push((path.clone(), folder_id(&path)));
        }
        let inputs = matches!(used, Mode::Poll(_)).then(|| Mutex::new(Inputs::now(root, output)));
        Ok((
            Changes {
                rx,
                held: RefCell::default(),
                root: root.to_path_buf(),
                inputs,
                watcher: Mutex::new(watcher),
                watched: Mutex::new(watched),
            },
            used,
        ))
    }

    /// Watches the source folders as they are now: ones created since,
    /// and ones renamed away and back (a watch follows the folder that
    /// moved, not the name). Returns whether anything changed.
    pub fn rewatch(&self) -> bool {
        let (Ok(mut watcher), Ok(mut watched)) = (self.watcher.lock(), self.watched.lock()) else {
            return false;
        };
        let mut changed = false;
        for (path, recursive) in watched_paths(&self.root) {
            let now = folder_id(&path);
            match watched.iter().position(|(p, _)| *p == path) {
                Some(i) if watched[i].1 == now => continue,
                Some(i) => {
                    let _ = watcher.unwatch(&path);
                    watched.remove(i);
                }
                None => {}
            }
            if watcher.watch(&path, recursive).is_ok() {
                watched.push((path, now));
                changed = true;
            }
        }
        // Folders gone since: drop their watch so a new one can be added.
        watched.retain(|(p, id)| {
            let gone = folder_id(p).is_none() && id.is_some();
            if gone {
                let _ = watcher.unwatch(p);
                changed = true;
            }
            !gone
        });
        changed
    }

    /// Notes the inputs as they are now, before a build reads them (only
    /// when polling).
    fn before_build(&self) {
        if let Some(Ok(mut inputs)) = self.inputs.as_ref().map(Mutex::lock) {
            *inputs = Inputs::now(&inputs.root, inputs.output.as_deref());
        }
    }

    /// Whether an input changed since the last build began without the
    /// poller reporting it (never when not polling).
    fn missed(&self) -> bool {
        self.inputs
            .as_ref()
            .and_then(|m| m.lock().ok())
            .is_some_and(|inputs| {
                Inputs::now(&inputs.root, inputs.output.as_deref()).stamps != inputs.stamps
            })
    }

    /// Whether a relevant change has come since the last batch. What it
    /// reads is kept, relevant or not, for [`Changes::next_batch_within`].
    pub fn pending(&self, output: Option<&Path>) -> bool {
        let mut held = self.held.borrow_mut();
        held.extend(self.rx.try_iter());
        held.iter().any(|p| is_relevant(p, output))
    }

    /// The next event: one [`Changes::pending`] kept, else one from the
    /// watcher, waiting until `deadline` (`None`: for ever).
    fn next_event(&self, deadline: Option<Instant>) -> Result<PathBuf, RecvTimeoutError> {
        if let Some(p) = self.held.borrow_mut().pop_front() {
            return Ok(p);
        }
        match deadline {
            None => self.rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(d) => (self.rx).recv_timeout(d.saturating_duration_since(Instant::now())),
        }
    }

    /// Blocks until a relevant change, then waits for the burst to settle.
    /// `None` when the watcher has stopped.
    pub fn next_batch(&self, output: Option<&Path>) -> Option<Vec<PathBuf>> {
        loop {
            if let Some(batch) = self.next_batch_within(output, Duration::MAX)? {
                return Some(batch);
            }
        }
    }

    /// [`Changes::next_batch`], giving up after `wait` without a relevant
    /// change (`Some(None)`).
    pub fn next_batch_within(
        &self,
        output: Option<&Path>,
        wait: Duration,
    ) -> Option<Option<Vec<PathBuf>>> {
        let mut batch = Vec::new();
        let deadline = Instant::now().checked_add(wait);
        loop {
            let p = match self.next_event(deadline) {
                Ok(p) => p,
                Err(RecvTimeoutError::Timeout) => return Some(None),
                Err(RecvTimeoutError::Disconnected) => return None,
            };
            if is_relevant(&p, output) {
                batch.push(p);
                break;
            }
        }
        let started = Instant::now();
        while started.elapsed() < MAX_WAIT {
            match self.next_event(Instant::now().checked_add(DEBOUNCE)) {
                Ok(p) if is_relevant(&p, output) => batch.push(p),
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        Some(Some(batch))
    }
}

/// Every input file's path, size and modification time (a stat of each:
/// about 10 ms at 10,000 pages, once a build and once every
/// [`CHECK_EVERY`] while quiet, and only when polling).
struct Inputs {
    root: PathBuf,
    output: Option<PathBuf>,
    stamps: Vec<(String, crate::cache::Stamp)>,
}

impl Inputs {
    fn now(root: &Path, output: Option<&Path>) -> Inputs {
        // The output is not an input, however either was named.
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let output = output.map(crate::build::anchor);
        let stamps = crate::cache::input_stamps(&root, output.as_deref().unwrap_or(&root))
            .0
            .into_iter()
            .map(|(rel, _, stamp)| (rel, stamp))
            .collect();
        Inputs {
            root,
            output,
            stamps,
        }
    }
}

/// What the watch loop reports after a change.
pub enum Event<'a> {
    /// Pages whose text alone changed, re-rendered and written ahead of the
    /// full build so the preview can reload at once.
    Quick {
        urls: &'a [String],
        elapsed: Duration,
    },
    /// A full (incremental) build finished.
    Built(&'a Report),
}

/// Builds, then rebuilds on every change until the watcher stops. A bad
/// edit is just a report with errors: the loop goes on, the output stays as
/// it was.
pub fn run(mut session: Session, changes: &Changes, mut on: impl FnMut(Event)) {
    changes.before_build();
    on(Event::Built(&session.build()));
    run_from(session, changes, on);
}

/// [`run`] for a session that has already built once.
pub fn run_from(mut session: Session, changes: &Changes, mut on: impl FnMut(Event)) {
    let output = session.request().output.clone();
    while let Some(batch) = changes.next_batch_within(output.as_deref(), CHECK_EVERY) {
        let rewatched = changes.rewatch();
        let Some(batch) = batch else {
            // Quiet: repair the output if someone changed it, and build
            // once more if a folder is watched anew.
            if rewatched || session.output_damaged() || changes.missed() {
                changes.before_build();
                on(Event::Built(&session.build()));
            }
            continue;
        };
        let started = Instant::now();
        let timings = std::env::var_os("UNIONPRESS_TIMINGS").is_some();
        let quick = session.try_quick(&batch);
        match &quick {
            Ok(urls) if !urls.is_empty() => on(Event::Quick {
                urls,
                elapsed: started.elapsed(),
            }),
            Ok(_) => {}
            // For whoever is finding where the time goes, beside the timings.
            Err(why) if timings => eprintln!("quick path declined: {why}"),
            Err(_) => {}
        }
        changes.before_build();
        if quick.is_err() {
            // The full build alone brings this change: it is not stopped.
            on(Event::Built(&session.build()));
            continue;
        }
        match session.build_unless(&|| changes.pending(output.as_deref())) {
            Ok(report) => on(Event::Built(&report)),
            // Nothing to tell an editor: the next quick update and full
            // build come at once.
            Err(stopped) if timings => eprintln!("{stopped}"),
            Err(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_litter_and_output_are_not_changes() {
        let out = Path::new("/site/public");
        for p in [
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/~$议程.docx",
            "/site/content/4913",
            "/site/public/index.html",
        ] {
            assert!(!is_relevant(Path::new(p), Some(out)), "{p}");
        }
        assert!(is_relevant(Path::new("/site/content/通知.md"), Some(out)));
        assert!(is_relevant(Path::new("/site/site.yaml"), Some(out)));
    }
}
