//! Watch-mode latency benchmark: the time from saving a file to its output
//! being written and the reload event reaching an open page, measured the way
//! a browser sees it — over the real `unionpress serve` and its event stream.
//!
//! ```text
//! cargo run --release --example bench_watch -- <site> [repeats] [inside|parent|absolute] [only]
//! ```
//!
//! `only`, if given, keeps the edits whose label contains it (e.g. `draft`,
//! `new notice`, `deleted`: a deletion brings along the edit that made the
//! file), so that one kind can be measured alone and alternately with
//! `bench_reshape`.
//!
//! `<site>` is a generated site (examples/gen_site.rs). Nineteen edits, each
//! repeated: a notice's body text, its title (changes lists, tag pages, the
//! home page, the search index), its date, tags and pinning (each moves it
//! within its lists), the pinning of a recent notice; then pages that come,
//! go or take another URL: a notice of the newest year made a draft and
//! published again, a new notice of that year, that file deleted; the same
//! for a notice of the oldest year (which renumbers every later page of the
//! search index), a new `slug:` and the file renamed;
//! the notice template (changes every notice); that template and a notice's
//! body saved together; the notices section's text (its `_index.md`); the
//! body of a notice bundle with attachments, and one of its attachments
//! replaced; and two saves in a row, the second 200–400 ms after the first
//! (while the full build after the first's quick update runs), timed from
//! the second save to the reload event after which its page shows it. Not a
//! test: figures depend on the machine and its load.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

#[path = "support/generated.rs"]
mod generated;

struct Serve {
    child: Child,
    lines: Receiver<String>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// How `serve` is started. Editors start it inside the site folder with no
/// `--root` (the README's way); `parent` starts it one folder up with a
/// relative `--root`; `absolute` passes absolute paths.
#[derive(Clone, Copy)]
enum How {
    Inside,
    Parent,
    Absolute,
}

/// Starts `serve` the given way; returns it, its port and its output folder.
fn start(bin: &Path, site: &Path, how: How) -> (Serve, u16, PathBuf) {
    let parent = site.parent().expect("site has a parent folder");
    let name = site.file_name().expect("site folder name");
    let mut cmd = Command::new(bin);
    cmd.args(["serve", "--port", "0", "--now", "2026-11-21"]);
    let out = match how {
        How::Inside => {
            cmd.current_dir(site);
            site.join("public")
        }
        How::Parent => {
            let out = format!("{}-public", name.to_string_lossy());
            cmd.current_dir(parent)
                .arg("--root")
                .arg(name)
                .arg("--output")
                .arg(&out);
            parent.join(out)
        }
        How::Absolute => {
            let out = std::env::temp_dir().join("unionpress-bench-watch-out");
            cmd.arg("--root").arg(site).arg("--output").arg(&out);
            out
        }
    };
    let _ = std::fs::remove_dir_all(&out);
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start unionpress serve");
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let serve = Serve { child, lines: rx };
    loop {
        let line = serve
            .lines
            .recv_timeout(Duration::from_secs(120))
            .expect("serve prints its address");
        if let Some(i) = line.find("http://127.0.0.1:") {
            let port = line[i + 17..]
                .split('/')
                .next()
                .and_then(|p| p.parse().ok())
                .expect("port");
            return (serve, port, out);
        }
    }
}

/// Reads `data:` events from the live-reload stream.
struct Events(BufReader<TcpStream>);

impl Events {
    fn connect(port: u16) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        write!(
            s,
            "GET /__unionpress/events HTTP/1.1\r\nHost: bench\r\n\r\n"
        )
        .expect("request");
        s.set_read_timeout(Some(Duration::from_secs(120)))
            .expect("timeout");
        Events(BufReader::new(s))
    }

    fn next(&mut self) -> String {
        loop {
            let mut line = String::new();
            self.0.read_line(&mut line).expect("event stream");
            if let Some(data) = line.strip_prefix("data: ") {
                return data.trim().to_string();
            }
        }
    }

    /// Reads whatever events are still coming (a text edit sends two: the
    /// quick reload, then the full build's), so the next edit starts clean.
    fn drain(&mut self) {
        let s = self.0.get_ref();
        s.set_read_timeout(Some(Duration::from_millis(300)))
            .expect("timeout");
        let mut line = String::new();
        while self.0.read_line(&mut line).is_ok_and(|n| n > 0) {
            line.clear();
        }
        self.0
            .get_ref()
            .set_read_timeout(Some(Duration::from_secs(120)))
            .expect("timeout");
    }
}

/// What the server printed about one change: its quick update's own time
/// (if it took the quick path), the full build's time and how many files
/// that build changed.
struct Printed {
    quick_ms: Option<u64>,
    full_ms: u64,
    changed: u64,
}

/// The numbers in a line, in order.
fn numbers(line: &str) -> Vec<u64> {
    line.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect()
}

/// Reads the server's lines up to the one it prints when a full build is
/// done, noting the quick update's line on the way.
fn full_build_done(lines: &Receiver<String>) -> Printed {
    let mut quick_ms = None;
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(120))
            .expect("a build line");
        // "已先行更新 884 个文件（…），用时 312 毫秒" or "Updated 884 file(s)
        // first (…) in 312 ms": the files, then the time.
        if line.contains("已先行更新") || (line.starts_with("Updated ") && line.contains(" first "))
        {
            quick_ms = numbers(&line).get(1).copied();
        } else if line.contains("已更新：") || line.starts_with("Updated:") {
            let numbers = numbers(&line);
            return Printed {
                quick_ms,
                full_ms: numbers.last().copied().unwrap_or(0),
                changed: numbers.first().copied().unwrap_or(0),
            };
        }
    }
}

/// The load average over the last minute (Linux), for the table's caption:
/// the quick path works on both cores of a small machine, and loses that
/// when other processes keep one of them busy.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

/// `text` without pinning, and pinned when `pinned`.
fn pinning(text: &str, pinned: bool) -> String {
    let base: String = text
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("pinned"))
        .collect();
    if !pinned {
        return base;
    }
    let title = base.find("\ntitle: ").map_or(0, |a| a + 1);
    format!("{}pinned: true\n{}", &base[..title], &base[title..])
}

/// `text` with its first line starting with `key` replaced by `line`.
fn with_line(text: &str, key: &str, line: &str) -> String {
    let at = text.find(&format!("\n{key}")).map_or(0, |a| a + 1);
    let end = text[at..].find('\n').map_or(text.len(), |e| at + e);
    format!("{}{line}{}", &text[..at], &text[end..])
}

/// The `i`th new notice the benchmark writes into `folder`.
fn made(folder: &Path, i: usize) -> PathBuf {
    folder.join(format!("bench-new-{i}.md"))
}

/// `text` without its line starting with `key`, if it has one.
fn strip_line(text: &str, key: &str) -> String {
    text.split_inclusive('\n')
        .filter(|l| !l.starts_with(key))
        .collect()
}

/// What one edit does to the site's files.
enum Action {
    Write(PathBuf, String),
    /// Files saved together, as one batch of the watcher.
    WriteAll(Vec<(PathBuf, Vec<u8>)>),
    Remove(PathBuf),
    Rename(PathBuf, PathBuf),
    /// One file saved, then after the pause another, whose output page (the
    /// path) is to show the text (the string).
    TwoSaves {
        first: (PathBuf, String),
        pause: Duration,
        second: (PathBuf, String),
        page: PathBuf,
        shows: String,
    },
}

/// The output page of a page file of the generated site (which sets no
/// `slug:`): `content/a/b.md` and `content/a/b/index.md` are `a/b/index.html`.
fn page_of(site: &Path, out: &Path, file: &Path) -> PathBuf {
    let rel = file
        .strip_prefix(site.join("content"))
        .expect("a page file");
    let rel = if rel.ends_with("index.md") {
        rel.parent().expect("bundle folder").to_path_buf()
    } else {
        rel.with_extension("")
    };
    out.join(rel).join("index.html")
}

/// After two saves in a row: reads the server's lines until it has been
/// quiet for a while, and returns what the last quick update and the last
/// full build printed, with when that build's line came.
fn last_build_done(lines: &Receiver<String>) -> (Printed, Instant) {
    let mut quick_ms = None;
    let mut done = None;
    loop {
        let Ok(line) = lines.recv_timeout(Duration::from_millis(2000)) else {
            if let Some(done) = done {
                return done;
            }
            continue;
        };
        if line.contains("已先行更新") || (line.starts_with("Updated ") && line.contains(" first "))
        {
            quick_ms = numbers(&line).get(1).copied();
        } else if line.contains("已更新：") || line.starts_with("Updated:") {
            let numbers = numbers(&line);
            let printed = Printed {
                quick_ms,
                full_ms: numbers.last().copied().unwrap_or(0),
                changed: numbers.first().copied().unwrap_or(0),
            };
            done = Some((printed, Instant::now()));
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let site = PathBuf::from(
        args.get(1)
            .expect("usage: bench_watch <site> [repeats] [inside|parent|absolute] [only]"),
    );
    let repeats: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let bin = std::env::current_exe()
        .expect("exe")
        .parent()
        .and_then(Path::parent)
        .expect("target dir")
        .join("unionpress");
    let how = match args.get(3).map(String::as_str) {
        None | Some("inside") => How::Inside,
        Some("parent") => How::Parent,
        Some("absolute") => How::Absolute,
        Some(other) => panic!("unknown way to start `{other}`: inside, parent or absolute"),
    };
    let started = Instant::now();
    let (serve, port, out) = start(&bin, &site, how);
    println!(
        "initial build and server start: {:.2} s (started {}, output {})",
        started.elapsed().as_secs_f64(),
        args.get(3).map_or("inside", String::as_str),
        out.display()
    );
    let mut events = Events::connect(port);
    events.next();
    events.drain();

    let all = generated::notices(&site);
    let notice = all[0].clone();
    let original = std::fs::read_to_string(&notice).expect("notice");
    let recent = all[all.len() - 1].clone();
    let original_recent = std::fs::read_to_string(&recent).expect("notice");
    let template = site.join("themes/default/templates/notice.html");
    let original_template = std::fs::read_to_string(&template).expect("template");
    let section = site.join("content/notices/_index.md");
    let original_section = std::fs::read_to_string(&section).expect("section");
    // A notice bundle with attachments beside its index.md.
    let bundle = (all.iter())
        .filter(|p| p.ends_with("index.md"))
        .find(|p| {
            std::fs::read_dir(p.parent().expect("folder"))
                .into_iter()
                .flatten()
                .flatten()
                .any(|e| e.file_name().to_string_lossy().ends_with(".pdf"))
        })
        .expect("a notice bundle with an attachment")
        .clone();
    let original_bundle = std::fs::read_to_string(&bundle).expect("bundle");
    let attachment = generated::walk(bundle.parent().expect("folder"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("attachment");
    let original_attachment = std::fs::read(&attachment).expect("attachment");
    // Inside the last block: a child template allows nothing outside blocks.
    let template_version = |o: &str, i: usize| {
        let at = o.rfind("{% endblock").unwrap_or(o.len());
        format!("{}<!-- 修订 {i} -->{}", &o[..at], &o[at..])
    };

    println!("\nload average before the edits: {}", load());
    println!(
        "\n| edit | save → first reload event: the page, every list showing it and the search index (median, min–max) | of which the quick update inside serve (median; the rest is the watcher's wait for the save to settle and the event's way to the page) | save → full build done (median) | full build inside serve (median) | files the full build changed after the quick update (0: the quick update wrote them all) |"
    );
    println!("|---|---|---|---|---|---|");
    // Of the oldest year: every page after it in the search index's
    // numbering (oldest first) is renumbered when it comes or goes; of the
    // newest year, as most new and drafted notices are.
    let (single, newest) = generated::movable(&site, &all);
    let original_single = std::fs::read_to_string(&single).expect("notice");
    let original_newest = std::fs::read_to_string(&newest).expect("notice");
    let folder = single.parent().expect("folder").to_path_buf();
    let newest_folder = newest.parent().expect("folder").to_path_buf();
    let renamed = folder.join("bench-renamed.md");
    type Edit = Box<dyn Fn(usize) -> Action>;
    let write = |edit: Box<dyn Fn(usize) -> (PathBuf, String)>| -> Edit {
        Box::new(move |i| {
            let (path, text) = edit(i);
            Action::Write(path, text)
        })
    };
    let edits: Vec<(&str, Edit)> = vec![
        ("body text of one notice", {
            let (n, o) = (notice.clone(), original.clone());
            write(Box::new(move |i| {
                (
                    n.clone(),
                    format!("{o}\n补充说明第{i}条：请各单位按时报送。\n"),
                )
            }))
        }),
        ("title of one notice (lists change)", {
            let (n, o) = (notice.clone(), original.clone());
            write(Box::new(move |i| {
                (
                    n.clone(),
                    o.replacen("title: ", &format!("title: （第{i}次修订）"), 1),
                )
            }))
        }),
        ("date of one notice (it moves in its lists)", {
            let (n, o) = (notice.clone(), original.clone());
            write(Box::new(move |i| {
                // Another day of its month, as when a wrong day is put
                // right: it passes the notices between the two days.
                let at = o.find("\ndate: ").map_or(0, |a| a + 7);
                let month = o.get(at..at + 8).unwrap_or("2020-01-");
                let date = format!("date: {month}{:02} 09:00", i % 28 + 1);
                (n.clone(), with_line(&o, "date: ", &date))
            }))
        }),
        ("tags of one notice (it leaves and joins tag lists)", {
            let (n, o) = (notice.clone(), original.clone());
            write(Box::new(move |i| {
                let tags = ["职代会", "送温暖", "困难帮扶", "劳动保护"];
                let line = format!("tags: [{}]", tags[i % tags.len()]);
                (n.clone(), with_line(&o, "tags: ", &line))
            }))
        }),
        (
            "pinning of that notice, of the oldest year (on, off: it passes every newer notice)",
            {
                let (n, o) = (notice.clone(), original.clone());
                write(Box::new(move |i| (n.clone(), pinning(&o, i % 2 == 1))))
            },
        ),
        ("pinning of a notice of the newest year (on, off)", {
            let (n, o) = (recent.clone(), original_recent.clone());
            write(Box::new(move |i| (n.clone(), pinning(&o, i % 2 == 1))))
        }),
        (
            "draft: true, then draft: false, on a notice of the newest year",
            {
                let (n, o) = (newest.clone(), original_newest.clone());
                write(Box::new(move |i| {
                    let text = match i % 2 {
                        1 => o.replacen("\ntitle: ", "\ndraft: true\ntitle: ", 1),
                        _ => o.clone(),
                    };
                    (n.clone(), text)
                }))
            },
        ),
        ("a new notice of the newest year (a new file)", {
            let (o, f) = (original_newest.clone(), newest_folder.clone());
            write(Box::new(move |i| {
                let text = o.replacen("title: ", &format!("title: 新通知第{i}号："), 1);
                (made(&f, i), strip_line(&text, "slug: "))
            }))
        }),
        ("that new notice deleted", {
            let f = newest_folder.clone();
            Box::new(move |i| Action::Remove(made(&f, i)))
        }),
        (
            "draft: true, then draft: false, on a notice of the oldest year (later search numbers shift)",
            {
                let (n, o) = (single.clone(), original_single.clone());
                write(Box::new(move |i| {
                    let text = match i % 2 {
                        1 => o.replacen("\ntitle: ", "\ndraft: true\ntitle: ", 1),
                        _ => o.clone(),
                    };
                    (n.clone(), text)
                }))
            },
        ),
        ("a new notice of the oldest year (a new file)", {
            let (o, f) = (original_single.clone(), folder.clone());
            write(Box::new(move |i| {
                let text = o.replacen("title: ", &format!("title: 新通知第{i}号："), 1);
                let text = strip_line(&text, "slug: ");
                (made(&f, i), text)
            }))
        }),
        ("that new notice deleted", {
            let f = folder.clone();
            Box::new(move |i| Action::Remove(made(&f, i)))
        }),
        (
            "a new slug: on that notice of the oldest year (its URL changes)",
            {
                let (n, o) = (single.clone(), original_single.clone());
                write(Box::new(move |i| {
                    let base = strip_line(&o, "slug: ");
                    let text =
                        base.replacen("\ntitle: ", &format!("\nslug: bench-slug-{i}\ntitle: "), 1);
                    (n.clone(), text)
                }))
            },
        ),
        ("that notice's file renamed (and back: its URL changes)", {
            let (n, r) = (single.clone(), renamed.clone());
            Box::new(move |i| match i % 2 {
                1 => Action::Rename(n.clone(), r.clone()),
                _ => Action::Rename(r.clone(), n.clone()),
            })
        }),
        ("the notice template", {
            let (t, o) = (template.clone(), original_template.clone());
            write(Box::new(move |i| (t.clone(), template_version(&o, i))))
        }),
        (
            "the notice template and the body of one notice saved together (one batch)",
            {
                let (t, ot) = (template.clone(), original_template.clone());
                let (n, o) = (notice.clone(), original.clone());
                Box::new(move |i| {
                    // Versions the template edit above did not write.
                    let i = i + 100;
                    let text = format!("{o}\n补充说明第{i}条：请各单位按时报送。\n");
                    Action::WriteAll(vec![
                        (t.clone(), template_version(&ot, i).into_bytes()),
                        (n.clone(), text.into_bytes()),
                    ])
                })
            },
        ),
        ("the text of the notices section (its _index.md)", {
            let (s, o) = (section.clone(), original_section.clone());
            write(Box::new(move |i| {
                (
                    s.clone(),
                    format!("{o}\n本栏目第{i}次说明：通知以正式文件为准。\n"),
                )
            }))
        }),
        (
            "the body text of a notice bundle with attachments (its index.md)",
            {
                let (b, o) = (bundle.clone(), original_bundle.clone());
                write(Box::new(move |i| {
                    (b.clone(), format!("{o}\n补充说明第{i}条：附件已更新。\n"))
                }))
            },
        ),
        (
            "an attachment of that bundle replaced (same name, new bytes)",
            {
                let (a, o) = (attachment.clone(), original_attachment.clone());
                Box::new(move |i| {
                    let mut bytes = o.clone();
                    bytes.extend(std::iter::repeat_n(b'%', 100 * i));
                    Action::WriteAll(vec![(a.clone(), bytes)])
                })
            },
        ),
        (
            "two saves in a row: a notice's body, 200-400 ms later another's (save → reload showing the second)",
            {
                let (n, o) = (notice.clone(), original.clone());
                let (r, or) = (recent.clone(), original_recent.clone());
                let page = page_of(&site, &out, &recent);
                Box::new(move |i| {
                    // No digits: the typography wraps numbers in the page.
                    let shows = format!("第二次保存（{}）", ["甲", "乙", "丙", "丁", "戊"][i % 5]);
                    Action::TwoSaves {
                        first: (n.clone(), format!("{o}\n第一次保存第{i}条。\n")),
                        // Across the full build's stages, a repeat each.
                        pause: Duration::from_millis(200 + 50 * (i as u64 % 5)),
                        second: (r.clone(), format!("{or}\n{shows}。\n")),
                        page: page.clone(),
                        shows,
                    }
                })
            },
        ),
    ];
    let only = args.get(4).map(String::as_str).unwrap_or("");
    // "That new notice deleted" removes the file the edit before it made:
    // selected alone (`deleted`), it brings that edit along.
    let chosen: Vec<bool> = (0..edits.len())
        .map(|i| {
            let picked = |j: usize| edits[j].0.contains(only);
            picked(i)
                || (edits
                    .get(i + 1)
                    .is_some_and(|(l, _)| l.starts_with("that new notice"))
                    && picked(i + 1))
        })
        .collect();
    for (label, edit) in edits
        .iter()
        .zip(&chosen)
        .filter(|(_, c)| **c)
        .map(|(e, _)| e)
    {
        let (mut first, mut quick, mut full, mut inside, mut files) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), 0);
        for i in 0..repeats {
            let action = edit(i + 1);
            let mut t0 = Instant::now();
            match action {
                Action::Write(path, text) => std::fs::write(&path, text).expect("write"),
                Action::WriteAll(files) => {
                    for (path, bytes) in files {
                        std::fs::write(&path, bytes).expect("write");
                    }
                }
                Action::Remove(path) => std::fs::remove_file(&path).expect("remove"),
                Action::Rename(from, to) => std::fs::rename(&from, &to).expect("rename"),
                Action::TwoSaves {
                    first: (path1, text1),
                    pause,
                    second: (path2, text2),
                    page,
                    shows,
                } => {
                    std::fs::write(&path1, text1).expect("write");
                    std::thread::sleep(pause);
                    t0 = Instant::now();
                    std::fs::write(&path2, text2).expect("write");
                    // Reload events until one comes with the second page
                    // written (the first's quick update may send one late).
                    loop {
                        events.next();
                        if std::fs::read_to_string(&page).is_ok_and(|t| t.contains(&shows)) {
                            break;
                        }
                    }
                    first.push(t0.elapsed().as_secs_f64() * 1000.0);
                    let (printed, done) = last_build_done(&serve.lines);
                    full.push(done.duration_since(t0).as_secs_f64() * 1000.0);
                    quick.extend(printed.quick_ms.map(|ms| ms as f64));
                    inside.push(printed.full_ms as f64);
                    files = printed.changed;
                    events.drain();
                    continue;
                }
            }
            events.next();
            first.push(t0.elapsed().as_secs_f64() * 1000.0);
            let printed = full_build_done(&serve.lines);
            full.push(t0.elapsed().as_secs_f64() * 1000.0);
            quick.extend(printed.quick_ms.map(|ms| ms as f64));
            inside.push(printed.full_ms as f64);
            files = printed.changed;
            events.drain();
        }
        let (min, max) = (
            first.iter().cloned().fold(f64::MAX, f64::min),
            first.iter().cloned().fold(0.0, f64::max),
        );
        println!(
            "| {label} | {:.0} ms ({min:.0}–{max:.0}) | {} | {:.0} ms | {:.0} ms | {files} |",
            median(first),
            // Not every edit takes the quick path.
            if quick.is_empty() {
                "–".to_string()
            } else {
                format!("{:.0} ms", median(quick))
            },
            median(full),
            median(inside)
        );
        // The next edit starts from the notices as they were (a draft
        // left a draft, a slug left in place would hide what it measures).
        let mut restored = false;
        if renamed.exists() {
            std::fs::rename(&renamed, &single).expect("rename back");
            restored = true;
        }
        for (path, text) in [(&single, &original_single), (&newest, &original_newest)] {
            if std::fs::read_to_string(path).ok().as_ref() != Some(text) {
                std::fs::write(path, text).expect("restore notice");
                restored = true;
            }
        }
        if restored {
            events.next();
            full_build_done(&serve.lines);
            events.drain();
        }
    }
    println!("\nload average after the edits: {}", load());
    if renamed.exists() {
        std::fs::rename(&renamed, &single).expect("rename back");
    }
    for i in 1..=repeats {
        let _ = std::fs::remove_file(made(&folder, i));
        let _ = std::fs::remove_file(made(&newest_folder, i));
    }
    std::fs::write(&single, original_single).expect("restore notice");
    std::fs::write(&notice, original).expect("restore notice");
    std::fs::write(&recent, original_recent).expect("restore notice");
    std::fs::write(&template, original_template).expect("restore template");
    std::fs::write(&section, original_section).expect("restore section");
    std::fs::write(&bundle, original_bundle).expect("restore bundle");
    std::fs::write(&attachment, original_attachment).expect("restore attachment");
}
