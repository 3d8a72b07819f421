//! The real binary running in the background (`watch`, `serve`), for the
//! tests that drive it like an editor does: started on a fixture site,
//! its stdout and stderr read line by line, killed when dropped. With the
//! waiting helpers those tests share: for a line, for a condition, for the
//! output to settle, for the process to stop; and a small tmpfs for a full
//! disk. Included by path (`#[path = "common/running.rs"] mod running;`)
//! beside `mod common;` in the tests that use it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use crate::common::{NOW, Site, snapshot};

/// How long any wait here lasts before the test fails.
const PATIENCE: Duration = Duration::from_secs(20);

/// A running `unionpress` command, killed when dropped.
pub struct Running {
    child: Child,
    lines: Receiver<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    /// `unionpress <args> --root <site> --output <site's output> --now NOW`.
    pub fn start(site: &Site, args: &[&str]) -> Running {
        Running::start_to(site, &site.out, args)
    }

    /// The same with another output folder.
    pub fn start_to(site: &Site, out: &Path, args: &[&str]) -> Running {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_unionpress"));
        cmd.args(args)
            .arg("--root")
            .arg(&site.root)
            .arg("--output")
            .arg(out)
            .args(["--now", NOW]);
        Running::spawn(cmd)
    }

    /// `unionpress watch` on `out`, once it says it is watching.
    pub fn watch(site: &Site, out: &Path) -> Running {
        let running = Running::start_to(site, out, &["watch"]);
        running.wait_for("Ctrl+C");
        running
    }

    /// Started the way editors start it: in `dir`, with `args` as typed
    /// (relative paths, or none at all).
    pub fn start_in(dir: &Path, args: &[&str]) -> Running {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_unionpress"));
        cmd.current_dir(dir).args(args).args(["--now", NOW]);
        Running::spawn(cmd)
    }

    /// Starts `cmd` (without colour) with both its streams read into lines.
    pub fn spawn(mut cmd: Command) -> Running {
        let mut child = cmd
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start unionpress");
        let (tx, rx) = std::sync::mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        Running { child, lines: rx }
    }

    /// Waits for an output line containing `needle`; returns all lines seen.
    pub fn wait_for(&self, needle: &str) -> Vec<String> {
        let deadline = Instant::now() + PATIENCE;
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(100)) {
                let hit = line.contains(needle);
                seen.push(line);
                if hit {
                    return seen;
                }
            }
        }
        panic!("no line with `{needle}` in 20 s; saw:\n{}", seen.join("\n"));
    }

    /// The lines printed since the last look, without waiting.
    pub fn drain(&self) -> Vec<String> {
        self.lines.try_iter().collect()
    }

    /// The process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    pub fn alive(&mut self) -> bool {
        self.child.try_wait().map(|s| s.is_none()).unwrap_or(false)
    }

    /// Waits for the command to stop by itself: its exit status and every
    /// line it printed, or `None` (with the lines so far) if it is still
    /// running after 20 s.
    pub fn stopped(mut self) -> (Option<ExitStatus>, Vec<String>) {
        let deadline = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                break Some(st);
            }
            if Instant::now() > deadline {
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        if status.is_none() {
            return (None, self.drain());
        }
        // Both streams are closed once the readers have sent their last line.
        let lines = std::mem::replace(&mut self.lines, std::sync::mpsc::channel().1);
        (status, lines.iter().collect())
    }
}

/// Polls until `f` holds, for up to 20 s.
pub fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for: {what}");
}

/// The output of a running watcher once nothing in it has changed for half
/// a second (a file renamed away while it is read counts as a change).
pub fn settled(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let read = || std::panic::catch_unwind(|| snapshot(out)).ok();
    let deadline = Instant::now() + PATIENCE;
    let mut last = read();
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(500));
        let now = read();
        if now.is_some() && now == last {
            return now.unwrap_or_default();
        }
        last = now;
    }
    panic!("the output of {} never settled", out.display());
}

/// A file's text; empty while it does not exist (yet).
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// A tmpfs of `size` mounted at `at` while the value lives; `None` (and a
/// note on stderr) when this user cannot mount.
pub struct Mount(pub PathBuf);

impl Mount {
    pub fn tmpfs(at: &Path, size: &str) -> Option<Mount> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("skipped: cannot mount a tmpfs here (needs root)");
            return None;
        }
        Some(Mount(at.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}
