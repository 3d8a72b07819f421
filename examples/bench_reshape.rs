//! The watcher's quick path for pages that come, go or take another URL
//! ([`Session::try_quick`]'s reshape path), in one process and without the
//! full build that follows it in `watch`: so its CPU time can be measured
//! (and profiled with `perf record`) apart from the watcher, the server and
//! the full builds. `bench_watch` measures what a browser sees.
//!
//! ```text
//! cargo run --release --example bench_reshape -- <site> [repeats] [full]
//! ```
//!
//! `<site>` is a generated site (examples/gen_site.rs); its output is
//! `<site>/public`. Each edit is done and undone `repeats` times: a notice
//! of the newest year made a draft and published again, the same of the
//! oldest year (every later search number shifts), a new notice of each
//! year and that file deleted, a new `slug:` and the file renamed. `full`
//! runs a full build after each quick update, as `watch` does. Prints the
//! wall and CPU time of each quick update (median, min–max); with
//! `UNIONPRESS_TIMINGS=1` each update's laps too. Not a test: figures
//! depend on the machine and its load. The path runs its search index and
//! its pages on rayon's threads: on a quiet 2-core machine its wall time is
//! about two thirds of its CPU time, and once other processes keep a core
//! busy (a load average of 1.5 or more) the wall time is the CPU time.
//! `bench_watch` (the same path inside `serve`) then shows about that plus
//! 10–20 ms of its own (the watcher's 10 ms wait for a save to settle): compare
//! the two at the same load, in turn, not against figures from a quieter hour.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use unionpress::build::{Request, Session, process_cpu};

#[path = "support/generated.rs"]
mod generated;

/// `text` with a line `line` put before its `title:` line (and without
/// any line of the same key, which an interrupted run may have left).
fn with_line(text: &str, line: &str) -> String {
    let key = line.split(':').next().unwrap_or(line);
    let text: String = (text.split_inclusive('\n'))
        .filter(|l| l.split(':').next() != Some(key))
        .collect();
    let at = text.find("\ntitle: ").map_or(0, |a| a + 1);
    format!("{}{line}\n{}", &text[..at], &text[at..])
}

/// Writes `text` to `path`, when called.
fn write(path: &Path, text: String) -> impl FnOnce() {
    let path = path.to_path_buf();
    move || std::fs::write(path, text).expect("write")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn summary(mut v: Vec<f64>) -> String {
    v.sort_by(|a, b| a.total_cmp(b));
    format!(
        "{:.0} ms ({:.0}–{:.0})",
        v[v.len() / 2],
        v[0],
        v[v.len() - 1]
    )
}

struct Bench {
    session: Session,
    full: bool,
    rows: Vec<(String, Vec<f64>, Vec<f64>, usize)>,
}

impl Bench {
    /// Does `edit`, then the quick update of `paths`, timed.
    fn quick(&mut self, name: &str, edit: impl FnOnce(), paths: &[PathBuf]) {
        edit();
        let (wall, c) = (Instant::now(), process_cpu());
        let result = self.session.try_quick(paths);
        let (wall, c) = (ms(wall.elapsed()), ms(process_cpu() - c));
        let files = match result {
            Ok(urls) => urls.len(),
            Err(why) => panic!("{name}: the quick path declined: {why}"),
        };
        if self.full {
            self.session.build();
        }
        match self.rows.iter_mut().find(|r| r.0 == name) {
            Some(row) => {
                row.1.push(wall);
                row.2.push(c);
                row.3 = files;
            }
            None => (self.rows).push((name.to_string(), vec![wall], vec![c], files)),
        }
    }
}

fn main() {
    // The allocator set up as `unionpress serve` has it (src/main.rs), so
    // the figures are the ones an editor's serve process gives.
    unionpress::heap::setup();
    // Built with the test hooks (a dev-dependency): the patched index is
    // not checked against the whole one here, as `serve` does not.
    unionpress::site::reshape::unchecked();
    let args: Vec<String> = std::env::args().collect();
    let site = PathBuf::from(
        args.get(1)
            .expect("usage: bench_reshape <site> [repeats] [full]"),
    )
    .canonicalize()
    .expect("the site folder");
    let repeats: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let full = args.get(3).is_some_and(|a| a == "full");
    let now = "2026-11-21T00:00:00+08:00".parse().expect("a time");
    let req = Request {
        root: site.clone(),
        output: Some(site.join("public")),
        options: unionpress::site::Options {
            drafts: false,
            future: false,
            now,
        },
        lang: None,
    };
    let mut session = Session::new(req);
    let started = Instant::now();
    let report = session.build();
    assert!(!report.failed(), "the site builds");
    eprintln!("first build: {:.0} ms", ms(started.elapsed()));
    // As bench_watch chooses them.
    let (oldest, newest) = generated::movable(&site, &generated::notices(&site));
    let mut bench = Bench {
        session,
        full,
        rows: Vec::new(),
    };
    for _ in 0..repeats {
        for (year, page) in [("newest", &newest), ("oldest", &oldest)] {
            let text = std::fs::read_to_string(page).expect("a notice");
            let draft = with_line(&text, "draft: true");
            let name = format!("draft on, off ({year} year)");
            bench.quick(&name, write(page, draft), std::slice::from_ref(page));
            bench.quick(&name, write(page, text.clone()), std::slice::from_ref(page));
            let new = page.with_file_name("bench-reshape-new.md");
            let n = new.clone();
            let copy = with_line(&text, "slug: bench-reshape-new");
            let name = format!("a new notice ({year} year)");
            bench.quick(
                &name,
                || std::fs::write(&n, copy).expect("write"),
                std::slice::from_ref(&new),
            );
            let name = format!("that notice deleted ({year} year)");
            let n = new.clone();
            bench.quick(&name, || std::fs::remove_file(&n).expect("rm"), &[new]);
        }
        let text = std::fs::read_to_string(&oldest).expect("a notice");
        let slug = with_line(&text, "slug: bench-reshape-slug");
        bench.quick(
            "a new slug, and back",
            write(&oldest, slug),
            std::slice::from_ref(&oldest),
        );
        bench.quick(
            "a new slug, and back",
            write(&oldest, text),
            std::slice::from_ref(&oldest),
        );
        let renamed = oldest.with_file_name("bench-reshape-renamed.md");
        let (a, b) = (oldest.clone(), renamed.clone());
        let both = [oldest.clone(), renamed.clone()];
        let rename = |a: PathBuf, b: PathBuf| move || std::fs::rename(a, b).expect("rename");
        bench.quick(
            "the file renamed, and back",
            rename(a.clone(), b.clone()),
            &both,
        );
        bench.quick("the file renamed, and back", rename(b, a), &both);
    }
    println!("| edit | wall (median, min–max) | cpu | files |");
    println!("|---|---:|---:|---:|");
    for (name, wall, c, files) in bench.rows {
        println!("| {name} | {} | {} | {files} |", summary(wall), summary(c));
    }
}
