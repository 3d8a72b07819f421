//! Watch mode: rebuild whenever a source changes, for as long as it runs.
//!
//! The watcher does not interpret events. Any event under a watched folder
//! (editor temp files aside) means "look again", and the build session
//! rescans and redoes only what changed. So every way editors save —
//! write in place, write-then-rename, delete-then-create — is the same to
//! us, and a burst of events becomes one rebuild after a short quiet spell.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{Config as NotifyConfig, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use crate::build::{Report, Session};

/// Quiet time that ends a burst of events (an editor's save is several).
const DEBOUNCE: Duration = Duration::from_millis(10);
/// A burst never delays a rebuild longer than this.
const MAX_WAIT: Duration = Duration::from_millis(300);

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
    _watcher: Box<dyn Watcher + Send>,
}

impl Changes {
    /// Starts watching. Native mode falls back to polling when the
    /// operating system cannot watch these folders.
    pub fn start(root: &Path, mode: Mode) -> notify::Result<(Changes, Mode)> {
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
        for (path, recursive) in watched_paths(root) {
            watcher.watch(&path, recursive)?;
        }
        Ok((
            Changes {
                rx,
                _watcher: watcher,
            },
            used,
        ))
    }

    /// Blocks until a relevant change, then waits for the burst to settle.
    /// `None` when the watcher has stopped.
    pub fn next_batch(&self, output: Option<&Path>) -> Option<Vec<PathBuf>> {
        let mut batch = Vec::new();
        loop {
            let p = self.rx.recv().ok()?;
            if is_relevant(&p, output) {
                batch.push(p);
                break;
            }
        }
        let started = Instant::now();
        while started.elapsed() < MAX_WAIT {
            match self.rx.recv_timeout(DEBOUNCE) {
                Ok(p) if is_relevant(&p, output) => batch.push(p),
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        Some(batch)
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
    on(Event::Built(&session.build()));
    run_from(session, changes, on);
}

/// [`run`] for a session that has already built once.
pub fn run_from(mut session: Session, changes: &Changes, mut on: impl FnMut(Event)) {
    let output = session.request().output.clone();
    while let Some(batch) = changes.next_batch(output.as_deref()) {
        let started = Instant::now();
        match session.try_quick(&batch) {
            Ok(urls) if !urls.is_empty() => on(Event::Quick {
                urls: &urls,
                elapsed: started.elapsed(),
            }),
            Ok(_) => {}
            // For whoever is finding where the time goes, beside the timings.
            Err(why) if std::env::var_os("UNIONPRESS_TIMINGS").is_some() => {
                eprintln!("quick path declined: {why}");
            }
            Err(_) => {}
        }
        on(Event::Built(&session.build()));
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
