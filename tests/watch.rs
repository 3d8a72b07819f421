//! Watch mode and the preview server.
//!
//! The core promise: after any sequence of edits, the incrementally updated
//! output is byte-for-byte what a clean build of the same files gives. The
//! randomized test below makes hundreds of edits an editor could make —
//! bodies, titles, dates, pinned, tags, drafts, new pages, deletions,
//! renames, attachments, templates, broken files — and after every batch
//! compares the watched output with a fresh full build.

mod common;
#[path = "common/running.rs"]
mod running;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;

use std::time::Duration;

use common::{Opts, Site, snapshot};
use running::{Running, eventually, read, settled};
use unionpress::build::{self, Session};

/// A small deterministic generator, so a failing sequence can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const SECTIONS: [&str; 4] = ["notices", "policies", "events", "services"];
const TAGS: [&str; 6] = ["职代会", "福利", "安全生产", "劳动合同", "PDF", "女职工"];
const WORDS: [&str; 8] = [
    "工会", "职工", "通知", "慰问", "培训", "报名", "大会", "帮扶",
];

/// A page as the test last wrote it.
#[derive(Clone)]
struct PageSpec {
    rel: String,
    title: String,
    day: u32,
    pinned: bool,
    pinned_until: Option<u32>,
    draft: bool,
    tags: Vec<&'static str>,
    body: String,
    link: Option<String>,
    slug: Option<String>,
    department: Option<&'static str>,
    expires: Option<u32>,
}

impl PageSpec {
    fn text(&self) -> String {
        let mut fm = format!(
            "title: {}\ndate: 2026-02-{:02} 09:00\n",
            self.title, self.day
        );
        if self.pinned {
            fm.push_str("pinned: true\n");
        }
        if let Some(d) = self.pinned_until {
            fm.push_str(&format!("pinned_until: 2026-02-{d:02}\n"));
        }
        if self.draft {
            fm.push_str("draft: true\n");
        }
        if let Some(slug) = &self.slug {
            fm.push_str(&format!("slug: {slug}\n"));
        }
        if let Some(d) = self.department {
            fm.push_str(&format!("department: {d}\n"));
        }
        if let Some(d) = self.expires {
            fm.push_str(&format!("expires: 2026-02-{d:02}\n"));
        }
        if !self.tags.is_empty() {
            fm.push_str(&format!("tags: [{}]\n", self.tags.join(", ")));
        }
        let link = self
            .link
            .as_ref()
            .map(|l| format!("\n\n[相关页面]({l})"))
            .unwrap_or_default();
        format!("---\n{fm}---\n\n{}{link}\n", self.body)
    }
}

fn random_page(rng: &mut Lcg, n: usize) -> PageSpec {
    let section = *rng.pick(&SECTIONS);
    let bundle = rng.chance(25);
    let rel = if bundle {
        format!("{section}/p{n}/index.md")
    } else {
        format!("{section}/p{n}.md")
    };
    PageSpec {
        rel,
        title: format!("{}{}第{n}号", rng.pick(&WORDS), rng.pick(&WORDS)),
        day: 1 + rng.below(27) as u32,
        pinned: rng.chance(15),
        pinned_until: None,
        draft: rng.chance(10),
        tags: (0..rng.below(3)).map(|_| *rng.pick(&TAGS)).collect(),
        body: format!(
            "## 一、{}\n\n{}，请各单位按时{}。",
            rng.pick(&WORDS),
            rng.pick(&WORDS),
            rng.pick(&WORDS)
        ),
        link: None,
        slug: None,
        department: None,
        expires: None,
    }
}

/// The path of one page as seen from another, for a Markdown link.
fn link_from(from: &PageSpec, to: &PageSpec) -> String {
    let depth = from.rel.matches('/').count();
    format!("{}{}", "../".repeat(depth), to.rel)
}

/// Whether a page is published at the tests' clock (15 February, noon, or
/// later): not a draft, not dated after it.
fn published(p: &PageSpec) -> bool {
    !p.draft && p.day <= 15
}

/// Takes out the links to `rel` from every page: a link to a page gone or
/// not published is an error, and an editor told so would take it out (or
/// every later build would fail).
fn unlink_to(site: &Site, pages: &mut [PageSpec], rel: &str) {
    for q in pages
        .iter_mut()
        .filter(|q| q.link.as_deref().is_some_and(|l| l.ends_with(rel)))
    {
        q.link = None;
        site.file(&format!("content/{}", q.rel), q.text());
    }
}

/// Applies one random edit; returns a label for failure messages.
fn edit(
    site: &Site,
    rng: &mut Lcg,
    pages: &mut Vec<PageSpec>,
    counter: &mut usize,
    broken: &mut Option<String>,
) -> String {
    let write = |p: &PageSpec| site.file(&format!("content/{}", p.rel), p.text());
    if let Some(rel) = broken.take() {
        // Fix what the last batch broke, as an editor would.
        if let Some(p) = pages.iter().find(|p| p.rel == rel) {
            write(p);
        }
        return format!("fix {rel}");
    }
    if pages.is_empty() || rng.chance(12) {
        *counter += 1;
        let p = random_page(rng, *counter);
        write(&p);
        let label = format!("add {}", p.rel);
        pages.push(p);
        return label;
    }
    let i = rng.below(pages.len());
    match rng.below(14) {
        13 => {
            // A new URL for an unchanged target: pages linking to it must follow.
            *counter += 1;
            pages[i].slug = if rng.chance(70) {
                Some(format!("s{}", *counter))
            } else {
                None
            };
            write(&pages[i]);
            format!("slug {}", pages[i].rel)
        }
        0 => {
            pages[i]
                .body
                .push_str(&format!("\n\n补充说明：{}。", rng.pick(&WORDS)));
            write(&pages[i]);
            format!("body {}", pages[i].rel)
        }
        1 => {
            pages[i].title = format!(
                "{}（修订{}）",
                pages[i].title.split('（').next().unwrap_or(""),
                rng.below(9)
            );
            write(&pages[i]);
            format!("title {}", pages[i].rel)
        }
        2 => {
            pages[i].day = 1 + rng.below(27) as u32;
            write(&pages[i]);
            if !published(&pages[i]) {
                let rel = pages[i].rel.clone();
                unlink_to(site, pages, &rel);
            }
            format!("date {}", pages[i].rel)
        }
        3 => {
            pages[i].pinned = !pages[i].pinned;
            pages[i].pinned_until = if rng.chance(50) {
                Some(1 + rng.below(27) as u32)
            } else {
                None
            };
            write(&pages[i]);
            format!("pinned {}", pages[i].rel)
        }
        4 => {
            pages[i].tags = (0..rng.below(3)).map(|_| *rng.pick(&TAGS)).collect();
            write(&pages[i]);
            format!("tags {}", pages[i].rel)
        }
        5 => {
            pages[i].draft = !pages[i].draft;
            write(&pages[i]);
            if !published(&pages[i]) {
                let rel = pages[i].rel.clone();
                unlink_to(site, pages, &rel);
            }
            format!("draft {}", pages[i].rel)
        }
        6 => {
            let p = pages.remove(i);
            let path = site.root.join("content").join(&p.rel);
            if p.rel.ends_with("/index.md") {
                std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
            } else {
                std::fs::remove_file(path).unwrap();
            }
            unlink_to(site, pages, &p.rel);
            format!("delete {}", p.rel)
        }
        7 if !pages[i].rel.ends_with("/index.md") => {
            // Rename: a new file name, so a new URL; links to it follow.
            let old = pages[i].rel.clone();
            *counter += 1;
            let new = format!("{}/renamed{}.md", old.split('/').next().unwrap(), *counter);
            std::fs::rename(
                site.root.join("content").join(&old),
                site.root.join("content").join(&new),
            )
            .unwrap();
            pages[i].rel = new.clone();
            let target = pages[i].clone();
            for q in pages
                .iter_mut()
                .filter(|q| q.link.as_deref().is_some_and(|l| l.ends_with(&old)))
            {
                q.link = Some(link_from(q, &target));
                site.file(&format!("content/{}", q.rel), q.text());
            }
            format!("rename {old} -> {new}")
        }
        8 if pages.len() > 1 => {
            let j = (i + 1 + rng.below(pages.len() - 1)) % pages.len();
            if !published(&pages[j]) {
                return format!("no link {} -> {}", pages[i].rel, pages[j].rel);
            }
            let link = link_from(&pages[i], &pages[j]);
            pages[i].link = Some(link);
            write(&pages[i]);
            format!("link {} -> {}", pages[i].rel, pages[j].rel)
        }
        9 if pages[i].rel.ends_with("/index.md") => {
            let dir = pages[i].rel.trim_end_matches("index.md").to_string();
            let name = format!("content/{dir}附件{}.pdf", rng.below(3));
            if rng.chance(70) {
                site.file(&name, format!("%PDF-1.4 {}", rng.next()));
                format!("attach {name}")
            } else {
                let _ = std::fs::remove_file(site.root.join(&name));
                format!("detach {name}")
            }
        }
        10 => edit_template(site, rng, broken, false),
        11 => {
            // A broken front matter: the next batch fixes it.
            site.file(
                &format!("content/{}", pages[i].rel),
                "---\ntitle: [未闭合\ndate: 2026-02-01\n---\n正文\n",
            );
            *broken = Some(pages[i].rel.clone());
            format!("break {}", pages[i].rel)
        }
        _ => {
            // Mostly the section's text (the quick path's), now and then
            // its title (the full build's: every page's menu shows it).
            let s = *rng.pick(&SECTIONS);
            let n = rng.below(4);
            section_index(site, s, n == 0, &format!("简介第{n}版。"));
            format!("section {s}")
        }
    }
}

/// Writes the `_index.md` of the section in folder `dir` as [`Site::new`]
/// has it (title and kind), the title changed when `retitled`, with
/// `text` after the front matter; returns its path.
fn section_index(site: &Site, dir: &str, retitled: bool, text: &str) -> std::path::PathBuf {
    let (title, kind) = match dir {
        "notices" => ("通知公告", "notice"),
        "policies" => ("政策解读", "policy"),
        "events" => ("活动报道", "event"),
        _ => ("职工服务", "page"),
    };
    let title = if retitled {
        format!("{title}栏目")
    } else {
        title.to_string()
    };
    let rel = format!("content/{dir}/_index.md");
    site.file(
        &rel,
        format!("---\ntitle: {title}\nkind: {kind}\n---\n\n{text}\n"),
    );
    site.root.join(rel)
}

/// Applies one random template edit, or with `may_break` one that breaks a
/// template (the next call fixes it); returns a label for failure messages.
fn edit_template(
    site: &Site,
    rng: &mut Lcg,
    broken: &mut Option<String>,
    may_break: bool,
) -> String {
    if let Some(rel) = broken.take_if(|b| b.starts_with("themes/")) {
        // Fix the template the last edit broke.
        let name = rel.trim_start_matches("themes/default/templates/");
        site.file(&rel, theme_template(name));
        return format!("template {rel}");
    }
    // One draw, so that the edits after it are drawn as they always were.
    let draw = rng.below(25);
    let version = format!("<!-- 版本 {} -->", draw % 5);
    let kind = if may_break { draw / 5 } else { draw / 5 % 4 };
    let (rel, text) = match kind {
        // A site template override that changes every page.
        0 => (
            "templates/base.html",
            theme_template("base.html").replacen("</body>", &format!("{version}</body>"), 1),
        ),
        // The theme's own notice template: the notices alone.
        1 => (
            "themes/default/templates/notice.html",
            in_last_block(&theme_template("notice.html"), &version),
        ),
        // A partial that pages and most lists include.
        2 => (
            "themes/default/templates/partials/breadcrumb.html",
            theme_template("partials/breadcrumb.html") + &version,
        ),
        // The site's own partial over the theme's (at first a new
        // template file).
        3 => (
            "templates/partials/page_list.html",
            theme_template("partials/page_list.html") + &version,
        ),
        // A syntax error: the next call fixes it.
        _ => {
            let rel = "themes/default/templates/notice.html";
            *broken = Some(rel.to_string());
            (
                rel,
                in_last_block(&theme_template("notice.html"), "{% for %}"),
            )
        }
    };
    site.file(rel, text);
    format!("template {rel}")
}

/// A template of the repository's default theme, by its name.
fn theme_template(name: &str) -> String {
    read(
        &Path::new(common::REPO)
            .join("themes/default/templates")
            .join(name),
    )
}

/// A site of twelve random pages (numbered 1 to 12) drawn from `seed`, and
/// the generator to draw its edits from.
fn random_site(seed: u64) -> (Site, Lcg, Vec<PageSpec>) {
    let site = Site::new();
    let mut rng = Lcg(seed);
    let pages: Vec<PageSpec> = (1..=12)
        .map(|n| {
            let p = random_page(&mut rng, n);
            site.file(&format!("content/{}", p.rel), p.text());
            p
        })
        .collect();
    (site, rng, pages)
}

#[test]
fn incremental_output_always_equals_a_clean_build() {
    let (site, mut rng, mut pages) = random_site(20261121);
    let mut counter = pages.len();
    let mut broken: Option<String> = None;
    let opts = Opts::now("2026-02-15 12:00");
    let mut session = Session::new(site.request(opts));
    assert!(!session.build().failed());
    let clean_out = site.dir().join("clean");
    let mut history: Vec<String> = Vec::new();
    let (mut edits, mut quick_templates) = (0, 0);
    let (mut quick_taken, mut reshapes) = (0, 0);
    let mut designer = Lcg(13);
    let (mut mixer, mut mixed_quick, mut sections_quick) = (Lcg(17), 0, 0);
    for batch in 0..80 {
        let before = snapshot(&site.out);
        let content = inputs(&site);
        // Now and then a batch of template edits alone, as a designer
        // saves them (and the batch after one that broke a template),
        // drawn apart so that the other batches are drawn as they were.
        let templates_only = match &broken {
            Some(b) => b.starts_with("themes/"),
            None => designer.chance(25),
        };
        let n = if templates_only {
            1 + designer.below(3)
        } else {
            1 + rng.below(5)
        };
        for _ in 0..n {
            history.push(if templates_only {
                edit_template(&site, &mut designer, &mut broken, true)
            } else {
                edit(&site, &mut rng, &mut pages, &mut counter, &mut broken)
            });
            edits += 1;
        }
        // And now and then a template saved with the pages.
        let mixed = !templates_only && broken.is_none() && mixer.chance(30);
        if mixed {
            history.push(edit_template(&site, &mut mixer, &mut None, false));
        }
        // As the watcher does: the quick path with every file that changed
        // (pages written, added, deleted, renamed; templates), then the build.
        let now = inputs(&site);
        let paths: Vec<std::path::PathBuf> = (content.keys().chain(now.keys()))
            .filter(|rel| content.get(*rel) != now.get(*rel))
            .map(|rel| site.root.join(rel))
            .collect();
        let quick = session.try_quick(&paths);
        quick_templates += usize::from(templates_only && quick.is_ok());
        let with_pages = paths
            .iter()
            .any(|p| p.starts_with(site.root.join("content")));
        mixed_quick += usize::from(mixed && with_pages && quick.is_ok());
        let section_edit = paths.iter().any(|p| p.ends_with("_index.md"));
        sections_quick += usize::from(section_edit && quick.is_ok());
        let report = session.build();
        if let Ok(urls) = &quick {
            // What the quick path wrote is what the full build would.
            assert!(
                report.changed.is_empty(),
                "batch {batch}: after the quick path {urls:?}, the full build wrote {:?}\n{history:#?}",
                report.changed
            );
            quick_taken += 1;
            let recent = &history[history.len() - n..];
            let kinds = ["add ", "delete ", "rename ", "draft ", "slug "];
            reshapes += usize::from(
                recent
                    .iter()
                    .any(|h| kinds.iter().any(|k| h.starts_with(k))),
            );
        }
        let clean = clean_build(&site, opts, &clean_out);
        assert_eq!(
            report.failed(),
            clean.failed(),
            "batch {batch}: incremental and clean builds disagree on errors\n{history:#?}"
        );
        if report.failed() {
            assert_eq!(
                snapshot(&site.out),
                before,
                "batch {batch}: a failed rebuild changed the output\n{history:#?}"
            );
            continue;
        }
        assert_same_output(&site.out, &clean_out, &format!("batch {batch}"), &history);
    }
    assert!(edits >= 200, "only {edits} edits were made");
    assert!(
        quick_templates >= 8,
        "template edits took the quick path {quick_templates} times"
    );
    assert!(
        mixed_quick >= 3,
        "templates saved with pages took the quick path {mixed_quick} times"
    );
    assert!(
        sections_quick >= 4,
        "section edits took the quick path {sections_quick} times"
    );
    // Not vacuous: pages came, went and moved through the quick path.
    assert!(
        quick_taken >= 4 && reshapes >= 3,
        "quick path taken {quick_taken} times, {reshapes} with pages added, deleted, renamed, drafted or given a slug"
    );
}

/// The site's pages and templates, by path from the site's folder.
fn inputs(site: &Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut all = std::collections::BTreeMap::new();
    for dir in ["content", "templates", "themes"] {
        for (rel, bytes) in snapshot(&site.root.join(dir)) {
            all.insert(format!("{dir}/{rel}"), bytes);
        }
    }
    all
}

/// Every file under `dir`, however deep.
/// Gives each file under `dir` saved in the last ten minutes its own time a
/// day ago, as if it had been saved long before the next build: the build
/// cache then trusts its stamp. `tick` keeps all such times distinct.
fn settle_recent(dir: &Path, tick: &mut u64) {
    let now = std::time::SystemTime::now();
    let base = now - Duration::from_secs(24 * 3600);
    for f in files_under(dir) {
        let recent = std::fs::metadata(&f)
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age.as_secs() < 600));
        if recent {
            *tick += 1;
            let file = std::fs::File::options().write(true).open(&f).unwrap();
            file.set_modified(base + Duration::from_secs(*tick))
                .unwrap();
        }
    }
}

/// The site built afresh, with no cache and no earlier output, into `out`
/// (a folder of its own beside the site's output): what every incremental,
/// cached or quick result is compared with.
/// The full build after a quick update writes nothing (the quick path
/// wrote what it would have), and the output is a clean build's.
fn settles_as_a_clean_build(
    session: &mut Session,
    site: &Site,
    opts: Opts,
    clean_out: &Path,
    label: &str,
    urls: &[String],
) {
    let report = session.build();
    assert!(!report.failed(), "{label}");
    assert!(
        report.changed.is_empty(),
        "{label}: the full build after the quick path wrote {:?} (quick path: {urls:?})",
        report.changed
    );
    assert!(!clean_build(site, opts, clean_out).failed());
    assert_same_output(&site.out, clean_out, label, &[]);
}

fn clean_build(site: &Site, opts: Opts, out: &Path) -> build::Report {
    let mut req = site.request(opts);
    req.output = Some(out.to_path_buf());
    let _ = std::fs::remove_dir_all(out);
    build::run(&req)
}

/// Asserts that `got` holds the same files as the clean build in `clean`,
/// byte for byte, naming the first file that differs and what led to it.
fn assert_same_output(got: &Path, clean: &Path, label: &str, history: &[String]) {
    common::assert_same_files(&snapshot(got), &snapshot(clean), label, history);
}

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = e.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Flips a byte past the file's first two lines (its format line and
/// hash), as a disk error or an interrupted copy would.
fn damage(file: &Path, rng: &mut Lcg) {
    let mut bytes = std::fs::read(file).unwrap();
    let body = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(1)
        .map_or(0, |(i, _)| i + 1);
    let at = body + rng.below(bytes.len() - body);
    bytes[at] ^= 0x55;
    std::fs::write(file, bytes).unwrap();
}

/// The diagnostics that belong to files of the site (not to the output
/// folder, which differs between the two builds compared).
fn file_diags(report: &build::Report) -> Vec<String> {
    report
        .diags
        .iter()
        .filter(|d| d.span.is_some())
        .map(|d| format!("{d:?}"))
        .collect()
}

/// The build cache across process restarts: every `build::run_cached` is a
/// new session, as each `unionpress build` is a new process, and knows the
/// previous build only through `.unionpress/cache/` (the last batches run
/// the real program, one process each). After every batch of edits (or
/// none, or a damaged cache file, or another clock) its output equals a
/// clean build's byte for byte and it reports the same problems in the
/// same files; with nothing changed it writes nothing; and files whose text
/// did not change are neither parsed nor rendered again.
#[test]
fn cached_builds_always_equal_a_clean_build() {
    let (site, mut rng, mut pages) = random_site(20261201);
    let mut counter = pages.len();
    let mut broken = None;
    let clocks = ["2026-02-15 12:00", "2026-02-15 12:00", "2026-06-30 08:00"];
    let cache_dir = site.root.join(".unionpress/cache");
    let clean_out = site.dir().join("clean");
    let mut history: Vec<String> = Vec::new();
    let (mut skipped, mut discarded) = (0, 0);
    let (mut parsed_again, mut rendered_again) = (0, 0);
    let mut process_reused = 0;
    // Files given old times, so the cache trusts their stamps and leaves
    // pages unread; drawn apart from `rng`, which draws the edits.
    let (mut clock, mut tick) = (Lcg(7), 0);
    let (mut unread, mut read_late, mut narrowed) = (0, 0, 0);
    const BATCHES: usize = 60;
    const BY_PROCESS: usize = 6;
    for batch in 0..BATCHES {
        let opts = Opts::now(clocks[rng.below(clocks.len())]);
        let n = rng.below(4);
        for _ in 0..n {
            history.push(edit(&site, &mut rng, &mut pages, &mut counter, &mut broken));
        }
        if clock.chance(60) {
            settle_recent(&site.root.join("content"), &mut tick);
            history.push("settle".into());
        }
        // Damage the whole build's record, or one file of per-file products.
        let by_process = batch >= BATCHES - BY_PROCESS;
        let damaged = (batch > 0 && !by_process && rng.chance(15)).then(|| {
            let files = files_under(&cache_dir);
            let main = rng.chance(40);
            let in_products =
                |f: &&std::path::PathBuf| f.parent().is_some_and(|d| d.ends_with("products"));
            let f = if main {
                files.iter().find(|f| !in_products(f))
            } else {
                // One of the 64 shards, or the search index.
                let (index, shards): (Vec<_>, Vec<_>) = files
                    .iter()
                    .filter(in_products)
                    .partition(|f| f.ends_with("search.bin"));
                let of = if rng.chance(40) { index } else { shards };
                Some(*rng.pick(&of))
            };
            let f = f.expect("a cache file").clone();
            damage(&f, &mut rng);
            history.push(format!("damage {}", f.display()));
            main
        });
        if by_process {
            // The real program, one process per build. Its first build finds
            // the cache of another program (this test) and starts afresh.
            history.push(format!("unionpress build --now {}", opts.now));
            let before = snapshot(&site.out);
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_unionpress"))
                .args(["build", "--root", site.root.to_str().unwrap()])
                .args(["--output", site.out.to_str().unwrap(), "--now", opts.now])
                .env("UNIONPRESS_TIMINGS", "1")
                .output()
                .unwrap();
            let clean = clean_build(&site, opts, &clean_out);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.success(),
                !clean.failed(),
                "batch {batch}: the program and a clean build disagree on errors\n{stderr}\n{history:#?}"
            );
            if batch > BATCHES - BY_PROCESS && stderr.contains("load+index") {
                let rendered = stderr
                    .split("from the build cache: parsed ")
                    .nth(1)
                    .and_then(|s| s.split("rendered ").nth(1))
                    .and_then(|s| s.split_whitespace().next())
                    .and_then(|n| n.parse::<usize>().ok());
                assert!(
                    rendered.is_some_and(|n| n > 0),
                    "batch {batch}: the program did not use the cache\n{stderr}"
                );
                process_reused += 1;
            }
            if clean.failed() {
                assert_eq!(
                    snapshot(&site.out),
                    before,
                    "batch {batch}: a failed build wrote"
                );
            } else {
                let label = format!("batch {batch}: the program's output");
                assert_same_output(&site.out, &clean_out, &label, &history);
            }
            continue;
        }
        history.push(format!("build at {}", opts.now));
        let before = snapshot(&site.out);
        let files_before = if site.out.is_dir() {
            common::identities(&site.out)
        } else {
            Default::default()
        };
        let cache_before = snapshot(&cache_dir);
        let report = build::run_cached(&site.request(opts));
        let skip = report.stages.first().is_some_and(|(s, _)| *s == "cache");
        // Products are read only by a build that has something to do.
        if damaged == Some(true) || (damaged == Some(false) && !skip) {
            assert!(
                report.note.as_deref().is_some_and(|n| n.contains("已损坏")),
                "batch {batch}: no note for a damaged cache: {:?}",
                report.note
            );
            discarded += 1;
        }
        if let Some((parsed, rendered)) = report.reused {
            parsed_again += report.pages.saturating_sub(parsed);
            rendered_again += report.pages.saturating_sub(rendered);
        }
        if let Some((left, late)) = report.read_late {
            unread += left;
            read_late += late;
        }
        narrowed += usize::from(report.narrowed.is_some());
        if skip {
            skipped += 1;
            assert_eq!(
                snapshot(&site.out),
                before,
                "batch {batch}: skipped but wrote"
            );
            assert_eq!(
                common::identities(&site.out),
                files_before,
                "batch {batch}: skipped but touched files"
            );
            assert_eq!(
                snapshot(&cache_dir),
                cache_before,
                "batch {batch}: cache rewritten"
            );
        }
        let clean = clean_build(&site, opts, &clean_out);
        assert_eq!(
            report.failed(),
            clean.failed(),
            "batch {batch}: cached and clean builds disagree on errors\n{history:#?}"
        );
        if !skip {
            assert_eq!(
                file_diags(&report),
                file_diags(&clean),
                "batch {batch}: cached and clean builds report different problems\n{history:#?}"
            );
        }
        if report.failed() {
            assert_eq!(
                snapshot(&site.out),
                before,
                "batch {batch}: a failed build wrote"
            );
            continue;
        }
        assert_same_output(&site.out, &clean_out, &format!("batch {batch}"), &history);
    }
    assert!(
        skipped >= 3,
        "the nothing-changed path ran only {skipped} times"
    );
    assert!(
        discarded >= 2,
        "a damaged cache was tried only {discarded} times"
    );
    assert!(process_reused >= 1, "no program run used the cache");
    assert!(
        unread > 100 && read_late > 0,
        "pages left unread {unread}, read late {read_late}"
    );
    // Builds after edits that keep every page in place compare only the
    // files that show them.
    assert!(narrowed >= 1, "no build was narrowed");
    // Most files come from the cache: at most a few a batch are made again.
    assert!(
        parsed_again < 6 * BATCHES && rendered_again < 6 * BATCHES,
        "parsed {parsed_again} and rendered {rendered_again} pages again in {BATCHES} batches"
    );
}

/// The build cache's per-file products: a new process after a one-page
/// edit parses and renders that page alone; another `site.yaml` uses none of
/// them (quietly: that is an ordinary change); damaged ones are dropped with a
/// note; a site copied elsewhere starts afresh with a note.
#[test]
fn a_new_process_parses_and_renders_only_the_edited_page() {
    let site = Site::new();
    for n in 0..10 {
        site.page(
            &format!("content/notices/n{n}.md"),
            &format!("title: 通知{n}\ndate: 2026-02-{:02}", n + 1),
            &format!("正文{n}，见[另一篇](n{}.md)。", (n + 1) % 10),
        );
    }
    let files = 10 + 5; // the pages and the sections' `_index.md`
    let opts = Opts::now(common::NOW);
    let clean = || {
        let mut req = site.request(opts);
        let out = site.dir().join("clean");
        let _ = std::fs::remove_dir_all(&out);
        req.output = Some(out.clone());
        assert!(!build::run(&req).failed());
        snapshot(&out)
    };
    let first = build::run_cached(&site.request(opts));
    assert!(!first.failed());
    assert_eq!(first.reused, Some((0, 0)));
    assert_eq!(first.pages, 10);

    // Each shard's products files (`NN.bin`, and its file of bodies
    // `NN-<hash>.body`) by name and inode: a rewrite replaces them.
    let shard_ids = || -> Vec<(String, Vec<(String, u64)>)> {
        use std::os::unix::fs::MetadataExt;
        let dir = site.root.join(".unionpress/cache/products");
        let mut ids = std::collections::BTreeMap::<String, Vec<(String, u64)>>::new();
        for f in std::fs::read_dir(&dir).unwrap().map(|f| f.unwrap()) {
            let name = f.file_name().to_string_lossy().into_owned();
            if name == "search.bin" {
                continue;
            }
            let shard = name[..2].to_string();
            let id = (name, f.metadata().unwrap().ino());
            ids.entry(shard).or_default().push(id);
        }
        for files in ids.values_mut() {
            files.sort();
        }
        ids.into_iter().collect()
    };
    let before = shard_ids();
    // The search index is saved as soon as it is made, updated after an edit.
    let search_bin = site.root.join(".unionpress/cache/products/search.bin");
    let index_before = std::fs::read(&search_bin).expect("the search index is kept");
    site.page(
        "content/notices/n3.md",
        "title: 通知3\ndate: 2026-02-04",
        "改过的正文。",
    );
    let edited = build::run_cached(&site.request(opts));
    assert_eq!(edited.reused, Some((files - 1, 9)), "{:?}", edited.stages);
    let index_after = std::fs::read(&search_bin).expect("the search index is kept");
    assert_ne!(
        index_after, index_before,
        "the edit reached the saved index"
    );
    let after = shard_ids();
    let rewritten = before.iter().zip(&after).filter(|(b, a)| b != a).count();
    assert_eq!(
        (before.len(), rewritten),
        (after.len(), 1),
        "only the edited page's products file is written again"
    );
    assert_eq!(edited.note, None);
    assert_eq!(snapshot(&site.out), clean());

    // A moved page: the pages linking to it are rendered again, not reused.
    site.page(
        "content/notices/n5.md",
        "title: 通知5\ndate: 2026-02-06\nslug: moved",
        "正文5，见[另一篇](n6.md)。",
    );
    let moved = build::run_cached(&site.request(opts));
    assert_eq!(moved.reused, Some((files - 1, 8)));
    assert!(
        snapshot(&site.out).keys().any(|k| k.contains("/moved")),
        "the page did not move"
    );
    assert_eq!(snapshot(&site.out), clean());

    site.file("site.yaml", format!("{}# 改过\n", common::SITE_YAML));
    let config = build::run_cached(&site.request(opts));
    assert_eq!(config.reused, Some((0, 0)));
    assert_eq!(config.note, None);

    let shards = site.root.join(".unionpress/cache/products");
    for f in std::fs::read_dir(&shards).unwrap() {
        let f = f.unwrap().path();
        let mut bytes = std::fs::read(&f).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&f, bytes).unwrap();
    }
    site.page(
        "content/notices/n3.md",
        "title: 通知3\ndate: 2026-02-04",
        "再改。",
    );
    let damaged = build::run_cached(&site.request(opts));
    assert_eq!(damaged.reused, Some((0, 0)));
    let note = damaged.note.clone().expect("a note");
    assert!(
        note.contains("已损坏") && note.contains("products"),
        "{note}"
    );
    assert!(
        !note.contains("完整构建"),
        "only the products are made again: {note}"
    );
    assert!(!damaged.failed());
    let again = build::run_cached(&site.request(opts));
    assert_eq!(again.note, None);

    // The whole site copied elsewhere, cache and all.
    let copy = site.dir().join("copy");
    common::copy_dir(&site.root, &copy);
    site.page(
        "content/notices/n3.md",
        "title: 通知3\ndate: 2026-02-04",
        "三改。",
    );
    let mut req = site.request(opts);
    req.root = copy.clone();
    req.output = Some(site.dir().join("copy-out"));
    let elsewhere = build::run_cached(&req);
    assert_eq!(elsewhere.reused, Some((0, 0)));
    assert!(
        elsewhere
            .note
            .as_deref()
            .is_some_and(|n| n.contains("另一个网站")),
        "{:?}",
        elsewhere.note
    );
}

/// A section's `_index.md` edited: it is parsed again (no Markdown of a
/// page is rendered again), and what was parsed is kept for the next
/// process (its products file is rewritten although no rendering in it is
/// new), so that process parses only what changed since.
#[test]
fn an_edited_section_is_kept_for_the_next_process() {
    let site = Site::new();
    for n in 0..10 {
        site.page(
            &format!("content/notices/n{n}.md"),
            &format!("title: 通知{n}\ndate: 2026-02-{:02}", n + 1),
            &format!("正文{n}。"),
        );
    }
    let files = 10 + 5; // the pages and the sections' `_index.md`
    let opts = Opts::now(common::NOW);
    assert!(!build::run_cached(&site.request(opts)).failed());

    site.file(
        "content/notices/_index.md",
        "---\ntitle: 通知公告（新）\nkind: notice\n---\n",
    );
    let retitled = build::run_cached(&site.request(opts));
    assert!(!retitled.failed());
    assert_eq!(
        retitled.reused,
        Some((files - 1, 10)),
        "{:?}",
        retitled.stages
    );
    let list = std::fs::read_to_string(site.out.join("notices/index.html")).unwrap();
    assert!(list.contains("通知公告（新）"));

    // The next process: one page edited, and the section comes from the cache.
    site.page(
        "content/notices/n7.md",
        "title: 通知7\ndate: 2026-02-08",
        "改过的正文7。",
    );
    let next = build::run_cached(&site.request(opts));
    assert!(!next.failed());
    assert_eq!(next.reused, Some((files - 1, 9)), "{:?}", next.stages);
}

/// A products file is written again when every file in it was parsed
/// afresh, even though it holds as many as before and no page's Markdown in
/// it was rendered again: the home page and every section retitled at once
/// (a colleague's copy of the folder pasted over it) are kept for the next
/// process, which parses only the page added since and shows the new titles.
#[test]
fn sections_all_retitled_at_once_are_kept_for_the_next_process() {
    let site = Site::new();
    let opts = Opts::now(common::NOW);
    let first = build::run_cached(&site.request(opts));
    assert!(!first.failed());
    assert_eq!(first.reused, Some((0, 0)));
    site.file(
        "content/_index.md",
        "---\ntitle: 职工之家（新）\n---\n\n欢迎各位职工。\n",
    );
    for (dir, kind) in [
        ("notices", "notice"),
        ("policies", "policy"),
        ("events", "event"),
        ("services", "page"),
    ] {
        site.file(
            &format!("content/{dir}/_index.md"),
            format!("---\ntitle: 新{dir}\nkind: {kind}\n---\n"),
        );
    }
    let retitled = build::run_cached(&site.request(opts));
    assert!(!retitled.failed());
    assert_eq!(retitled.reused, Some((0, 0)), "{:?}", retitled.stages);

    // The next process, after a new page (with nothing changed, it would
    // not load the content at all).
    site.page(
        "content/notices/a.md",
        "title: 通知\ndate: 2026-02-01",
        "正文。",
    );
    let next = build::run_cached(&site.request(opts));
    assert!(!next.failed());
    assert_eq!(
        next.reused,
        Some((5, 0)),
        "the second process's parses were not kept: {:?}",
        next.stages
    );
    let list = std::fs::read_to_string(site.out.join("policies/index.html")).unwrap();
    assert!(list.contains("新policies"), "{list}");
    let home = std::fs::read_to_string(site.out.join("index.html")).unwrap();
    assert!(home.contains("欢迎各位职工"), "{home}");
}

#[test]
fn a_body_edit_rewrites_only_that_page() {
    let site = Site::new();
    site.page(
        "notices/a.md",
        "title: 甲通知\ndate: 2026-02-01\nsummary: 固定摘要",
        "正文一",
    );
    site.page("notices/b.md", "title: 乙通知\ndate: 2026-02-02", "正文二");
    let mut session = Session::new(site.request(Opts::default()));
    assert!(!session.build().failed());
    site.page(
        "notices/a.md",
        "title: 甲通知\ndate: 2026-02-01\nsummary: 固定摘要",
        "正文一，已修改",
    );
    let report = session.build();
    let html: Vec<&String> = report
        .changed
        .iter()
        .filter(|u| u.ends_with(".html"))
        .collect();
    assert_eq!(
        html,
        ["notices/a/index.html"],
        "all changed: {:?}",
        report.changed
    );
}

/// The points where a watch rebuild may stop for a newer change, in order.
const STOP_POINTS: [&str; 6] = [
    "rebuild: started",
    "rebuild: read",
    "rebuild: loaded",
    "rebuild: searched",
    "rebuild: fingerprinted",
    "rebuild: rendered",
];

/// A rebuild stopped at any of its points leaves the output as the quick
/// update left it and the session a base for the next one: a page saved
/// while it ran (read by its load; from `rebuild: searched` on, its search
/// index already holds the new title) is written by the next quick update
/// with every list and search file that shows it, so the full build after
/// finds nothing left to write, and the output is what a clean build
/// writes.
#[test]
fn a_stopped_rebuild_leaves_a_base_for_the_next_quick_update() {
    for (k, point) in STOP_POINTS.iter().enumerate() {
        let site = Site::new();
        site.page(
            "notices/a.md",
            "title: 甲通知\ndate: 2026-02-01\ntags: [福利]",
            "甲正文",
        );
        site.page(
            "notices/b.md",
            "title: 乙通知\ndate: 2026-02-02\ntags: [福利]",
            "乙正文",
        );
        let mut session = Session::new(site.request(Opts::default()));
        assert!(!session.build().failed());
        let (a, b) = (
            site.root.join("content/notices/a.md"),
            site.root.join("content/notices/b.md"),
        );
        site.page(
            "notices/a.md",
            "title: 甲通知（修订）\ndate: 2026-02-01\ntags: [福利]",
            "甲正文，已修改",
        );
        assert!(session.try_quick(std::slice::from_ref(&a)).is_ok());
        let after_quick = snapshot(&site.out);
        // Saved while the full build runs: its load reads it.
        site.page(
            "notices/b.md",
            "title: 乙通知（修订）\ndate: 2026-02-02\ntags: [福利]",
            "乙正文，已修改",
        );
        let checks = std::cell::Cell::new(0);
        let stopped = session.build_unless(&|| {
            checks.set(checks.get() + 1);
            checks.get() == k + 1
        });
        let stopped = stopped.expect_err("the rebuild was to stop");
        assert_eq!(stopped.at, *point);
        assert_eq!(snapshot(&site.out), after_quick, "{point}: it wrote");
        let urls = session.try_quick(std::slice::from_ref(&b)).expect("quick");
        assert!(urls.iter().any(|u| u.starts_with("search/")), "{urls:?}");
        let report = session.build();
        assert!(!report.failed());
        assert!(
            report.changed.is_empty(),
            "{point}: the quick update after the stopped build left {:?} to the full build",
            report.changed
        );
        let clean = site.dir().join("clean");
        clean_build(&site, Opts::default(), &clean);
        assert_same_output(&site.out, &clean, point, &[]);
    }
}

/// `unionpress watch` with each rebuild held at `point` (a test hook)
/// until the file `resume` exists or a newer change comes.
fn watch_held_at(site: &Site, point: &str, resume: &Path) -> Running {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_unionpress"));
    cmd.args(["watch", "--root"])
        .arg(&site.root)
        .arg("--output")
        .arg(&site.out)
        .args(["--now", common::NOW])
        .env("UNIONPRESS_PAUSE_AT", point)
        .env("UNIONPRESS_RESUME", resume)
        .env("UNIONPRESS_TIMINGS", "1");
    Running::spawn(cmd)
}

/// Waits until a line with each of `needles` has come, in any order (the
/// process's two streams are read apart); returns every line seen.
fn wait_for_all(w: &Running, needles: &[&str]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for needle in needles {
        if !seen.iter().any(|l| l.contains(needle)) {
            seen.extend(w.wait_for(needle));
        }
    }
    seen
}

/// An editor saves one page, then another while the full build after the
/// first quick update runs (held at one of its points until a file
/// appears: without stopping, the second page would wait for it). The
/// second save's quick update comes while that build is still held; after
/// the burst the output is what a clean build writes, and no file of the
/// output, the site's or someone else's, is lost.
#[test]
fn a_save_during_the_full_build_is_written_at_once() {
    for point in STOP_POINTS {
        let site = Site::new();
        site.page("notices/a.md", "title: 甲\ndate: 2026-02-01", "甲第一版");
        site.page("notices/b.md", "title: 乙\ndate: 2026-02-02", "乙第一版");
        let resume = site.dir().join("resume");
        let w = watch_held_at(&site, point, &resume);
        w.wait_for("已更新：");
        let theirs = site.out.join("留存.txt");
        std::fs::write(&theirs, "编辑自己放的文件").unwrap();

        let paused = format!("paused at {point}");
        site.page("notices/a.md", "title: 甲\ndate: 2026-02-01", "甲第二版");
        wait_for_all(&w, &["已先行更新", &paused]);
        site.page("notices/b.md", "title: 乙\ndate: 2026-02-02", "乙第二版");
        let stopped = format!("stopped at {point}");
        // The second quick update, the stopped build, the next full build
        // held in its turn.
        let lines = wait_for_all(&w, &["已先行更新", &stopped, &paused]);
        let b = site.out.join("notices/b/index.html");
        assert!(read(&b).contains("乙第二版"), "{point}: {lines:#?}");
        assert!(!resume.exists());
        assert!(
            !lines.iter().any(|l| l.contains("已更新：")),
            "{point}: a full build finished before the second quick update: {lines:#?}"
        );

        // The full build after the burst runs to the end.
        std::fs::write(&resume, "").unwrap();
        w.wait_for("已更新：");
        let mut got = snapshot(&site.out);
        assert_eq!(
            got.remove("留存.txt").as_deref(),
            Some("编辑自己放的文件".as_bytes()),
            "{point}: someone else's file"
        );
        let clean = site.dir().join("clean");
        clean_build(&site, Opts::default(), &clean);
        common::assert_same_files(&got, &snapshot(&clean), point, &[]);
        assert!(read(&site.out.join("notices/a/index.html")).contains("甲第二版"));
    }
}

/// A watch session trusts a file's size and time instead of its bytes only
/// when both are unchanged and the file has been still for a few seconds.
/// So it sees an edit that keeps the size (one character for another),
/// one that keeps the time (a file share whose clock ticks every two
/// seconds takes two saves in one tick), and, on a share whose clock runs
/// ahead, one that keeps both.
#[test]
fn a_watch_session_sees_every_edit_whatever_the_file_times_say() {
    use std::time::SystemTime;
    let site = Site::new();
    let path = site.root.join("content/notices/a.md");
    let write = |title: &str, time: SystemTime| {
        site.page(
            "notices/a.md",
            &format!("title: {title}\ndate: 2026-02-01"),
            "正文",
        );
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(time).unwrap();
    };
    let page = site.out.join("notices/a/index.html");
    let mut session = Session::new(site.request(Opts::default()));
    let mut shows = |title: &str| {
        assert!(!session.build().failed());
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(html.contains(title), "the page does not show {title}");
    };
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let later = hour_ago + Duration::from_secs(60);
    write("通知甲", hour_ago);
    shows("通知甲");
    // The same size, another time.
    write("通知乙", later);
    shows("通知乙");
    // Another size, the same time.
    write("通知丙丁", later);
    shows("通知丙丁");
    // The same size and the same time, a time not yet reached.
    let ahead = SystemTime::now() + Duration::from_secs(3600);
    write("通知戊己", ahead);
    shows("通知戊己");
    write("通知庚辛", ahead);
    shows("通知庚辛");
}

// ---- the real binary ------------------------------------------------------

fn check_watch_survives_edits(mode: &[&str]) {
    let site = Site::new();
    site.page("notices/a.md", "title: 原标题\ndate: 2026-02-01", "正文");
    let mut args = vec!["watch"];
    args.extend_from_slice(mode);
    let mut w = Running::start(&site, &args);
    let page = site.out.join("notices/a/index.html");
    eventually("first build", || read(&page).contains("原标题"));

    // Write in place.
    site.page("notices/a.md", "title: 新标题\ndate: 2026-02-01", "正文");
    eventually("title in the page", || read(&page).contains("新标题"));
    eventually("title on the list", || {
        read(&site.out.join("notices/index.html")).contains("新标题")
    });

    // Write-then-rename, the way many editors save.
    site.file(
        "content/notices/.a.md.tmp",
        "---\ntitle: 改名保存\ndate: 2026-02-01\n---\n正文\n",
    );
    std::fs::rename(
        site.root.join("content/notices/.a.md.tmp"),
        site.root.join("content/notices/a.md"),
    )
    .unwrap();
    eventually("rename-saved title", || read(&page).contains("改名保存"));
    // The quick path writes the page first; wait for the full build too.
    eventually("rename-saved title on the list", || {
        read(&site.out.join("notices/index.html")).contains("改名保存")
    });

    // A broken edit: reported with its place, output untouched, watcher alive.
    // The full build after the rename may still be writing (search index,
    // tags): compare against the output once it has settled.
    let before = settled(&site.out);
    site.file("content/notices/a.md", "---\ntitle: 坏\ndate: [2026\n---\n");
    let lines = w.wait_for("content/notices/a.md:");
    assert!(
        lines.iter().any(|l| l.contains("content/notices/a.md:3:")),
        "{lines:#?}"
    );
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(settled(&site.out), before, "a bad edit changed the output");
    assert!(w.alive(), "the watcher stopped after a bad edit");

    // Delete-then-create: fixed, and the page comes back.
    site.remove("content/notices/a.md");
    site.page("notices/a.md", "title: 修好了\ndate: 2026-02-01", "正文");
    eventually("fixed page", || read(&page).contains("修好了"));

    // A deleted page disappears from the output and from its list.
    site.remove("content/notices/a.md");
    eventually("deleted page gone", || !page.exists());
    eventually("list updated", || {
        !read(&site.out.join("notices/index.html")).contains("修好了")
    });
}

#[test]
fn watch_follows_every_way_of_saving_and_survives_errors() {
    check_watch_survives_edits(&[]);
}

/// The quick path must fire however the watcher was started: inside the
/// site with no `--root` (the README's way), or from the folder above with a
/// relative `--root`. Its paths are absolute; the site's were once `./`.
fn check_quick_path_from(dir: &Path, args: &[&str], out: &Path) {
    let page = out.join("notices/a/index.html");
    let w = Running::start_in(dir, args);
    eventually("first build", || read(&page).contains("第一版正文"));
    w.wait_for("已更新");
    std::fs::write(
        dir.join(
            args.iter()
                .position(|a| *a == "--root")
                .map_or("", |i| args[i + 1]),
        )
        .join("content/notices/a.md"),
        "---\ntitle: 甲\ndate: 2026-02-01\n---\n第二版正文\n",
    )
    .unwrap();
    // The page, its section's list, its archive year and three files of
    // the search index (the page has no tags, and home has no latest block
    // without a home section).
    let lines = w.wait_for("已先行更新");
    assert!(
        lines.iter().any(|l| l.contains("已先行更新 6 个文件")),
        "{lines:#?}"
    );
    eventually("edit in the page", || read(&page).contains("第二版正文"));
}

#[test]
fn the_quick_path_fires_when_started_inside_the_site() {
    let site = Site::new();
    site.page("notices/a.md", "title: 甲\ndate: 2026-02-01", "第一版正文");
    check_quick_path_from(&site.root, &["watch"], &site.root.join("public"));
}

#[test]
fn the_quick_path_fires_with_a_relative_root() {
    let site = Site::new();
    site.page("notices/a.md", "title: 甲\ndate: 2026-02-01", "第一版正文");
    let parent = site.root.parent().unwrap();
    let name = site.root.file_name().unwrap().to_str().unwrap();
    check_quick_path_from(
        parent,
        &["watch", "--root", name, "--output", "public"],
        &parent.join("public"),
    );
}

#[test]
fn watch_by_polling_works_too() {
    check_watch_survives_edits(&["--poll", "100"]);
}

/// A poller compares each look with its last one, not with what the build
/// read. Here it looks only at the start (one look a minute): a page saved
/// afterwards is built (the output was damaged, so the quiet check
/// rebuilds) and deleted before the poller ever sees it. The watcher must
/// still take the page down: once it ran 20 s and the page stayed.
#[test]
fn polling_notices_a_page_gone_between_two_looks() {
    let site = Site::new();
    site.page("notices/a.md", "title: 甲\ndate: 2026-02-01", "正文");
    let w = Running::start(&site, &["watch", "--poll", "60000"]);
    let a = site.out.join("notices/a/index.html");
    eventually("first build", || read(&a).contains("甲"));
    w.wait_for("已更新");

    site.page("notices/b.md", "title: 乙\ndate: 2026-02-02", "正文");
    std::fs::remove_file(&a).unwrap();
    let b = site.out.join("notices/b/index.html");
    eventually("the new page, built by the repair", || {
        read(&b).contains("乙") && a.exists()
    });
    site.remove("content/notices/b.md");
    eventually("the deleted page taken down", || !b.exists());
    eventually("and off its list", || {
        !read(&site.out.join("notices/index.html")).contains("乙")
    });
}

/// A bare HTTP/1.1 GET: status, headers and body.
fn get(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = unchunk(&body);
    }
    (status, head, body)
}

fn unchunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(std::str::from_utf8(&data[..eol]).unwrap().trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
}

fn serve(site: &Site, extra: &[&str]) -> (Running, u16) {
    let mut args = vec!["serve", "--port", "0"];
    args.extend_from_slice(extra);
    let running = Running::start(site, &args);
    let lines = running.wait_for("http://127.0.0.1:");
    let line = lines.last().unwrap();
    let port = line
        .rsplit(':')
        .next()
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    (running, port)
}

#[test]
fn serve_answers_like_the_intranet_server_will() {
    let site = Site::new();
    site.page(
        "notices/tz/index.md",
        "title: 带附件的通知\ndate: 2026-02-01",
        "[议程](会议议程.pdf)",
    );
    site.file("content/notices/tz/会议议程.pdf", "%PDF-1.4 test");
    site.file("content/notices/tz/回执.docx", "PK docx");
    let (_s, port) = serve(&site, &["--base-path", "/union/"]);

    let (status, head, body) = get(port, "/union/");
    assert_eq!(status, 200);
    assert!(head.contains("text/html; charset=utf-8"), "{head}");
    let html = String::from_utf8_lossy(&body);
    assert!(
        html.contains("EventSource('/union/__unionpress/events')"),
        "live reload script not injected"
    );
    assert!(
        !read(&site.out.join("index.html")).contains("EventSource"),
        "the script leaked into the output"
    );

    let (status, head, body) = get(
        port,
        "/union/notices/tz/%E4%BC%9A%E8%AE%AE%E8%AE%AE%E7%A8%8B.pdf",
    );
    assert_eq!((status, body.as_slice()), (200, &b"%PDF-1.4 test"[..]));
    assert!(head.contains("application/pdf"), "{head}");
    let (_, head, _) = get(port, "/union/notices/tz/%E5%9B%9E%E6%89%A7.docx");
    assert!(head.contains("wordprocessingml"), "{head}");
    let (_, head, _) = get(port, "/union/style.css");
    assert!(head.contains("text/css"), "{head}");

    let (status, _, body) = get(port, "/union/no/such/page/");
    assert_eq!(status, 404);
    assert!(
        String::from_utf8_lossy(&body).contains("页面不存在"),
        "the site's 404 page is served"
    );
    for bad in [
        "/union/../site.yaml",
        "/union/%2e%2e/site/site.yaml",
        "/union/..%2Fsite%2Fsite.yaml",
    ] {
        assert_eq!(get(port, bad).0, 404, "{bad}");
    }
    let (status, head, _) = get(port, "/");
    assert_eq!(status, 302);
    assert!(head.contains("Location: /union/"), "{head}");
}

#[test]
fn serve_pushes_a_reload_and_an_error_to_open_pages() {
    let site = Site::new();
    site.page("notices/a.md", "title: 甲\ndate: 2026-02-01", "正文");
    let (_s, port) = serve(&site, &[]);
    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        events,
        "GET /__unionpress/events HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    .unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut reader = BufReader::new(events);
    let mut next_event = || loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if let Some(data) = line.strip_prefix("data: ") {
            return serde_json::from_str::<serde_json::Value>(data.trim()).unwrap();
        }
    };
    let first = next_event();
    assert!(first["error"].is_null());
    site.file(
        "content/notices/a.md",
        "---\ntitle: 甲\ndate: 2026-02-01\ntags: [a\n---\n",
    );
    let broken = next_event();
    let text = broken["error"].as_str().expect("an error event");
    assert!(text.contains("content/notices/a.md:4"), "{text}");
    site.page("notices/a.md", "title: 甲（改）\ndate: 2026-02-01", "正文");
    let fixed = next_event();
    assert!(fixed["error"].is_null());
    assert!(
        fixed["version"].as_u64() > first["version"].as_u64(),
        "{first} then {fixed}"
    );
}

#[test]
fn a_page_follows_when_the_page_it_links_to_moves() {
    let site = Site::new();
    site.page(
        "notices/a.md",
        "title: 甲\ndate: 2026-02-01",
        "见[乙](b.md)",
    );
    site.page("notices/b.md", "title: 乙\ndate: 2026-02-02", "正文");
    let mut session = Session::new(site.request(Opts::default()));
    assert!(!session.build().failed());
    let a = site.out.join("notices/a/index.html");
    assert!(
        read(&a).contains(r#"href="../b/index.html""#),
        "{}",
        read(&a)
    );
    site.page(
        "notices/b.md",
        "title: 乙\ndate: 2026-02-02\nslug: yi",
        "正文",
    );
    assert!(!session.build().failed());
    assert!(
        read(&a).contains(r#"href="../yi/index.html""#),
        "a still links to the old URL: {}",
        read(&a)
    );
}

#[test]
fn a_text_edit_and_its_lists_are_written_before_the_full_build() {
    let site = Site::new();
    site.page(
        "notices/a.md",
        "title: 甲\ndate: 2026-02-01\ntags: [福利]",
        "第一版正文",
    );
    site.page(
        "notices/b.md",
        "title: 乙\ndate: 2026-02-02\ntags: [福利]",
        "正文",
    );
    let mut session = Session::new(site.request(Opts::default()));
    assert!(!session.build().failed());
    let path = site.root.join("content/notices/a.md");
    site.page(
        "notices/a.md",
        "title: 甲（更正）\ndate: 2026-02-01\ntags: [福利]",
        "第二版正文",
    );
    let mut urls = session
        .quick(std::slice::from_ref(&path))
        .expect("a text-only edit takes the quick path");
    urls.sort();
    // The page, and every list that shows its title: the home page, its
    // section's, its tag's and its archive year's lists, and 乙, which
    // names it as related.
    let tag_list = urls
        .iter()
        .find(|u| u.starts_with("tags/") && *u != "tags/index.html")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        urls,
        [
            "index.html",
            "notices/a/index.html",
            "notices/archive/2026/index.html",
            "notices/b/index.html",
            "notices/index.html",
            "search/d/6k4s.js",
            "search/manifest.js",
            "search/t/0.js",
            tag_list.as_str(),
        ],
        "{urls:?}"
    );
    for url in urls
        .iter()
        .filter(|u| !u.starts_with("search/") || u.ends_with("d/0.js"))
    {
        assert!(
            read(&site.out.join(url)).contains("甲（更正）"),
            "{url} was written without the new title"
        );
    }
    let report = session.build();
    assert!(!report.failed());
    assert!(read(&site.out.join("notices/index.html")).contains("第二版正文"));
    for url in &urls {
        assert!(
            !report.changed.contains(url),
            "{url} written twice: {:?}",
            report.changed
        );
    }
}

#[test]
fn the_quick_path_declines_what_it_cannot_do_alone() {
    let site = Site::new();
    site.page("notices/a.md", "title: 甲\ndate: 2026-02-01", "正文");
    let mut session = Session::new(site.request(Opts::default()));
    let path = site.root.join("content/notices/a.md");
    assert!(
        session.quick(std::slice::from_ref(&path)).is_none(),
        "no build yet"
    );
    assert!(!session.build().failed());
    site.page(
        "notices/a.md",
        "title: 甲\ndate: 2026-02-01",
        "见[不存在](nowhere.md)",
    );
    assert!(
        session.quick(std::slice::from_ref(&path)).is_none(),
        "a broken link needs the full report"
    );
    site.page(
        "notices/b.md",
        "title: 乙\ndate: 2026-02-02",
        "见[甲](a.md)",
    );
    let b = site.root.join("content/notices/b.md");
    assert!(session.build().failed());
    site.page("notices/a.md", "title: 甲\ndate: 2026-02-01", "正文");
    assert!(!session.build().failed());
    site.page(
        "notices/a.md",
        "title: 甲\ndate: 2026-02-01\ndraft: true",
        "正文",
    );
    assert_eq!(
        session.try_quick(std::slice::from_ref(&path)),
        Err(build::Declined::Problems(path.clone())),
        "a page linked to leaves the site: the link breaks"
    );
    site.page("notices/a.md", "title: 甲\ndate: 2026-02-01", "正文");
    site.page("notices/b.md", "title: 乙\ndate: 2026-02-02", "正文");
    assert!(session.quick(std::slice::from_ref(&b)).is_some());
    site.file("content/notices/_index.md", "---\ntitle: 通知\n---\n");
    assert!(
        (session.quick(&[site.root.join("content/notices/_index.md")])).is_none(),
        "a section is not a page"
    );
    site.file("site.yaml", common::SITE_YAML);
    assert!(
        session.quick(&[site.root.join("site.yaml")]).is_none(),
        "not a page"
    );
}

/// What the quick path writes after an edit of the only notice, `a`, of a
/// site with no home section and no tags: the page, its section's list,
/// its archive year and the search index's three files (the snippet
/// chunk is named by a hash of its first page's URL).
const A_AND_ITS_LISTS: [&str; 6] = [
    "notices/a/index.html",
    "notices/index.html",
    "notices/archive/2026/index.html",
    "search/t/0.js",
    "search/d/6k4s.js",
    "search/manifest.js",
];

/// `sed -i` and some editors save by writing a scratch file beside the
/// page and renaming it over the page: the batch names both, and the
/// scratch file is gone. That is still a text edit. A file the last build
/// did read (an attachment) being gone is not: links change.
#[test]
fn the_quick_path_takes_a_save_through_a_scratch_file() {
    let site = Site::new();
    site.page(
        "notices/a/index.md",
        "title: 甲\ndate: 2026-02-01",
        "甲的第一版，见[议程](议程.pdf)",
    );
    site.file("content/notices/a/议程.pdf", "%PDF-1.4");
    let mut session = Session::new(site.request(Opts::default()));
    assert!(!session.build().failed());
    let (page, scratch) = (
        site.root.join("content/notices/a/index.md"),
        site.root.join("content/notices/a/sedAx9Qz"),
    );
    site.file(
        "content/notices/a/sedAx9Qz",
        "---\ntitle: 甲\ndate: 2026-02-01\n---\n甲的第二版，见[议程](议程.pdf)\n",
    );
    std::fs::rename(&scratch, &page).unwrap();
    let urls = session.try_quick(&[scratch.clone(), page.clone()]).unwrap();
    assert_eq!(urls, A_AND_ITS_LISTS);
    assert!(read(&site.out.join("notices/a/index.html")).contains("甲的第二版"));

    let pdf = site.root.join("content/notices/a/议程.pdf");
    site.remove("content/notices/a/议程.pdf");
    assert_eq!(
        session.try_quick(&[pdf.clone(), page.clone()]).unwrap_err(),
        build::Declined::NotAPage(pdf),
        "a removed attachment breaks the page's link: the full build must say so"
    );
}

/// A batch the quick path cannot take whole is left whole to the full
/// build, with the reason: no page of it is written, and the session's last
/// build is not half-updated.
#[test]
fn the_quick_path_is_all_or_nothing() {
    let site = Site::new();
    site.page("notices/a.md", "title: 甲\ndate: 2026-02-01", "甲的第一版");
    site.page("notices/b.md", "title: 乙\ndate: 2026-02-02", "乙的第一版");
    let mut session = Session::new(site.request(Opts::default()));
    assert!(!session.build().failed());
    let (a, b) = (
        site.root.join("content/notices/a.md"),
        site.root.join("content/notices/b.md"),
    );
    site.page("notices/a.md", "title: 甲\ndate: 2026-02-01", "甲的第二版");
    site.page(
        "notices/b.md",
        "title: 乙\ndate: 2026-02-03",
        "乙的第二版，见[不存在](nowhere.md)",
    );
    let why = session.try_quick(&[a.clone(), b.clone()]).unwrap_err();
    assert_eq!(why, build::Declined::Problems(b.clone()));
    assert!(why.to_string().contains("b.md has errors"), "{why}");
    assert!(read(&site.out.join("notices/a/index.html")).contains("甲的第一版"));
    // b put back: a alone now goes through, and the page shows a's new text
    // with b's list entry as the last build had it.
    site.page("notices/b.md", "title: 乙\ndate: 2026-02-02", "乙的第一版");
    assert_eq!(session.try_quick(&[a]).unwrap(), A_AND_ITS_LISTS);
    assert!(read(&site.out.join("notices/a/index.html")).contains("甲的第二版"));
    assert_eq!(
        session
            .try_quick(&[site.root.join("site.yaml")])
            .unwrap_err(),
        build::Declined::NotAPage(site.root.join("site.yaml"))
    );
}

/// Text edits and moving edits (a new date, tags, department, pinning,
/// expiry) take the quick path, then the full build; after every batch the
/// output must equal a clean build, the full build must find nothing left
/// to write after the quick path, and most batches must really have gone
/// through the quick path. Lists of two entries a page, so that moves
/// cross list pages, fill new ones and empty others.
/// A site of ten published pages in lists of two entries a page (so that
/// moves cross list pages), drawn from `seed`, with the generator to go on.
fn ten_published_two_a_page(seed: u64) -> (Site, Lcg, Vec<PageSpec>) {
    let site = Site::new();
    site.file(
        "site.yaml",
        common::SITE_YAML.replace("paginate: 20", "paginate: 2"),
    );
    let mut rng = Lcg(seed);
    let pages: Vec<PageSpec> = (1..=10)
        .map(|n| PageSpec {
            draft: false,
            day: 1 + (n as u32 % 14),
            ..random_page(&mut rng, n)
        })
        .collect();
    for p in &pages {
        site.file(&format!("content/{}", p.rel), p.text());
    }
    (site, rng, pages)
}

#[test]
fn quick_updates_then_builds_always_equal_a_clean_build() {
    let (site, mut rng, mut pages) = ten_published_two_a_page(7);
    // The site's own templates are there from the start, so that editing
    // them adds no template file.
    for name in ["base.html", "partials/page_list.html"] {
        site.file(&format!("templates/{name}"), theme_template(name));
    }
    let opts = Opts::now("2026-02-15 12:00");
    let mut session = Session::new(site.request(opts));
    assert!(!session.build().failed());
    let clean_out = site.dir().join("clean");
    let (mut quick_taken, mut moves_taken, mut removed) = (0, 0, 0);
    // Template edits saved with the pages, drawn apart so that the page
    // edits are drawn as they always were.
    let (mut designer, mut mixed, mut sections) = (Lcg(11), 0, 0);
    for batch in 0..60 {
        let mut paths = Vec::new();
        let mut template = None;
        if designer.chance(30) {
            let label = edit_template(&site, &mut designer, &mut None, false);
            let rel = label.trim_start_matches("template ");
            paths.push(site.root.join(rel));
            template = Some(label);
        }
        // A section's text, with the pages or alone.
        let section = designer.chance(25).then(|| *designer.pick(&SECTIONS));
        if let Some(s) = section {
            let text = format!("第{batch}批简介：{}。", designer.pick(&WORDS));
            paths.push(section_index(&site, s, false, &text));
            sections += 1;
        }
        for _ in 0..rng.below(3) {
            let i = rng.below(pages.len());
            pages[i]
                .body
                .push_str(&format!("\n\n第{batch}次补充：{}。", rng.pick(&WORDS)));
            site.file(&format!("content/{}", pages[i].rel), pages[i].text());
            paths.push(site.root.join("content").join(&pages[i].rel));
        }
        if rng.chance(30) {
            // A new title: shown on the page and its lists at once.
            let i = rng.below(pages.len());
            pages[i].title = format!("第{batch}版标题");
            site.file(&format!("content/{}", pages[i].rel), pages[i].text());
            paths.push(site.root.join("content").join(&pages[i].rel));
        }
        let mut moving = Vec::new();
        for _ in 0..rng.below(3) {
            // A move within the lists, dated up to now (a later date
            // would hold the page back).
            let i = rng.below(pages.len());
            let p = &mut pages[i];
            let what = match rng.below(5) {
                0 => {
                    p.day = 1 + rng.below(15) as u32;
                    "date"
                }
                1 => {
                    p.tags = (0..rng.below(3)).map(|_| *rng.pick(&TAGS)).collect();
                    "tags"
                }
                2 => {
                    p.pinned = !p.pinned;
                    p.pinned_until = rng.chance(50).then(|| 1 + rng.below(27) as u32);
                    "pinned"
                }
                3 => {
                    p.department = if rng.chance(70) {
                        Some(*rng.pick(&["工会办公室", "女工委", "劳动保护部"]))
                    } else {
                        None
                    };
                    "department"
                }
                _ => {
                    p.expires = rng.chance(70).then(|| 10 + rng.below(10) as u32);
                    "expires"
                }
            };
            site.file(&format!("content/{}", p.rel), p.text());
            paths.push(site.root.join("content").join(&p.rel));
            moving.push(format!("{what} {}", p.rel));
        }
        let label = format!("batch {batch} (moves: {moving:?}, {template:?}, section {section:?})");
        let before = files_under(&site.out);
        let quick = session.try_quick(&paths);
        let urls = quick.unwrap_or_else(|why| panic!("{label}: declined: {why}"));
        if !urls.is_empty() {
            quick_taken += 1;
            moves_taken += usize::from(!moving.is_empty());
        }
        mixed += usize::from(template.is_some() && paths.len() > 1);
        removed += before.iter().filter(|f| !f.exists()).count();
        settles_as_a_clean_build(&mut session, &site, opts, &clean_out, &label, &urls);
    }
    assert!(
        quick_taken >= 40 && moves_taken >= 25,
        "the quick path was taken {quick_taken} times in 60 batches, {moves_taken} with moves"
    );
    assert!(
        mixed >= 10,
        "only {mixed} batches held a template and pages"
    );
    assert!(
        sections >= 10,
        "only {sections} batches held a section's text"
    );
    assert!(removed > 0, "no move ever emptied a list page");
}

/// Pages that come, go or take another URL or publication — a new page
/// (some of them drafts or bundles), a deleted one, a renamed file,
/// `draft:` on and off, a new `slug:` — with text edits and moves beside
/// them, each batch through the quick path, then the full build: the quick
/// path must never decline, the full build must find nothing left to write,
/// and the output must equal a clean build. Lists of two entries a page, so
/// that pages coming and going shift every list page after them.
#[test]
fn pages_that_come_go_or_move_take_the_quick_path_and_equal_a_clean_build() {
    let (site, mut rng, mut pages) = ten_published_two_a_page(13);
    let opts = Opts::now("2026-02-15 12:00");
    let mut session = Session::new(site.request(opts));
    assert!(!session.build().failed());
    let clean_out = site.dir().join("clean");
    let mut counter = pages.len();
    let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut removed = 0;
    for batch in 0..50 {
        let mut paths = Vec::new();
        let mut done = Vec::new();
        for _ in 0..1 + rng.below(2) {
            let i = rng.below(pages.len());
            let path = |p: &PageSpec| site.root.join("content").join(&p.rel);
            let kind = match rng.below(7) {
                0 if pages.len() > 4 => {
                    let p = pages.remove(i);
                    if p.rel.ends_with("/index.md") {
                        std::fs::remove_dir_all(path(&p).parent().unwrap()).unwrap();
                    } else {
                        std::fs::remove_file(path(&p)).unwrap();
                    }
                    paths.push(path(&p));
                    "delete"
                }
                1 if !pages[i].rel.ends_with("/index.md") => {
                    counter += 1;
                    let old = path(&pages[i]);
                    let section = pages[i].rel.split('/').next().unwrap().to_string();
                    pages[i].rel = format!("{section}/renamed{counter}.md");
                    std::fs::rename(&old, path(&pages[i])).unwrap();
                    paths.extend([old, path(&pages[i])]);
                    "rename"
                }
                2 => {
                    pages[i].draft = !pages[i].draft;
                    site.file(&format!("content/{}", pages[i].rel), pages[i].text());
                    paths.push(path(&pages[i]));
                    "draft"
                }
                3 => {
                    counter += 1;
                    pages[i].slug = rng.chance(70).then(|| format!("s{counter}"));
                    site.file(&format!("content/{}", pages[i].rel), pages[i].text());
                    paths.push(path(&pages[i]));
                    "slug"
                }
                4 => {
                    pages[i].day = 1 + rng.below(15) as u32;
                    pages[i].body.push_str(&format!("\n\n第{batch}次补充。"));
                    site.file(&format!("content/{}", pages[i].rel), pages[i].text());
                    paths.push(path(&pages[i]));
                    "date+body"
                }
                _ => {
                    counter += 1;
                    let p = PageSpec {
                        day: 1 + rng.below(15) as u32,
                        ..random_page(&mut rng, counter)
                    };
                    site.file(&format!("content/{}", p.rel), p.text());
                    paths.push(path(&p));
                    pages.push(p);
                    "add"
                }
            };
            *kinds.entry(kind).or_default() += 1;
            done.push(kind);
        }
        let label = format!("batch {batch} ({done:?})");
        let before = files_under(&site.out);
        let urls = session
            .try_quick(&paths)
            .unwrap_or_else(|why| panic!("{label}: declined: {why}"));
        removed += before.iter().filter(|f| !f.exists()).count();
        settles_as_a_clean_build(&mut session, &site, opts, &clean_out, &label, &urls);
    }
    for kind in ["delete", "rename", "draft", "slug", "add"] {
        assert!(kinds.get(kind).is_some_and(|&n| n >= 5), "{kinds:?}");
    }
    assert!(removed > 0, "no page's files were ever removed");
}

/// Pages of shapes the random sites above lack come, go, are renamed and
/// given slugs through the quick path, one or two a batch: other years
/// (an archive year comes or goes), departments (a new one), a tag spelt
/// in other cases and new tags, files named as copies (the index puts them
/// last), pages dated after now (held back), expired and pinned ones, a
/// section listed by title. The quick path never declines, the full build
/// after it finds nothing to write, and the output equals a clean build;
/// with `test-hooks` each patched index is checked against the whole one,
/// and most updates must have been patched.
#[test]
fn pages_of_other_shapes_come_and_go_through_the_quick_path() {
    let site = Site::new();
    site.file(
        "site.yaml",
        format!("{}base_url: http://union.example/\n", common::SITE_YAML)
            .replace("paginate: 20", "paginate: 2"),
    );
    site.file(
        "content/policies/_index.md",
        "---\ntitle: 制度\nsort: title\n---\n",
    );
    let mut rng = Lcg(29);
    let names = [
        "会议通知",
        "会议通知 - 副本",
        "通知(1)",
        "notice copy",
        "plan",
        "年度总结",
    ];
    let front = |rng: &mut Lcg, n: usize| {
        let mut fm = format!(
            "title: {}第{n}号\ndate: {}-{:02}-{:02}\n",
            rng.pick(&WORDS),
            2023 + rng.below(4),
            1 + rng.below(12),
            1 + rng.below(28)
        );
        if rng.chance(40) {
            let new = format!("新部门{n}");
            let d = [new.as_str(), "工会办公室", "女职工委员会"][rng.below(3)];
            fm.push_str(&format!("department: {d}\n"));
        }
        let new = format!("新标签{n}");
        let tags: Vec<&str> = (0..rng.below(3))
            .map(|_| ["PDF", "pdf", "职代会", new.as_str()][rng.below(4)])
            .collect();
        if !tags.is_empty() {
            fm.push_str(&format!("tags: [{}]\n", tags.join(", ")));
        }
        if rng.chance(15) {
            fm.push_str("pinned: true\n");
        }
        if rng.chance(15) {
            fm.push_str("expires: 2026-01-01\n");
        }
        fm
    };
    let mut files: Vec<(String, String)> = Vec::new();
    let mut counter = 0;
    let name = |rng: &mut Lcg, counter: &mut usize| {
        *counter += 1;
        let section = ["notices", "policies"][rng.below(2)];
        format!("{section}/{}{counter}.md", rng.pick(&names))
    };
    for _ in 0..12 {
        let rel = name(&mut rng, &mut counter);
        let fm = front(&mut rng, counter);
        site.page(&rel, &fm, "正文");
        files.push((rel, fm));
    }
    let opts = Opts::now("2026-02-15 12:00");
    let mut session = Session::new(site.request(opts));
    assert!(!session.build().failed());
    #[cfg(feature = "test-hooks")]
    let patched = unionpress::site::reshape::patched();
    let clean_out = site.dir().join("clean");
    let batches = 40;
    for batch in 0..batches {
        let mut paths = Vec::new();
        let mut done = Vec::new();
        for _ in 0..1 + rng.below(2) {
            let i = rng.below(files.len());
            let path = |rel: &str| site.root.join("content").join(rel);
            let kind = match rng.below(5) {
                0 if files.len() > 4 => {
                    let (rel, _) = files.remove(i);
                    site.remove(&format!("content/{rel}"));
                    paths.push(path(&rel));
                    "delete"
                }
                1 => {
                    let old = path(&files[i].0);
                    files[i].0 = name(&mut rng, &mut counter);
                    std::fs::rename(&old, path(&files[i].0)).unwrap();
                    paths.extend([old, path(&files[i].0)]);
                    "rename"
                }
                2 => {
                    let fm = &mut files[i].1;
                    *fm = match fm.strip_suffix("draft: true\n") {
                        Some(rest) => rest.to_string(),
                        None => format!("{fm}draft: true\n"),
                    };
                    site.page(&files[i].0, &files[i].1, "正文");
                    paths.push(path(&files[i].0));
                    "draft"
                }
                3 => {
                    counter += 1;
                    let fm = front(&mut rng, counter);
                    files[i].1 = format!("{fm}slug: s{counter}\n");
                    site.page(&files[i].0, &files[i].1, "正文");
                    paths.push(path(&files[i].0));
                    "slug"
                }
                _ => {
                    let rel = name(&mut rng, &mut counter);
                    let fm = front(&mut rng, counter);
                    site.page(&rel, &fm, "正文");
                    paths.push(path(&rel));
                    files.push((rel, fm));
                    "add"
                }
            };
            done.push(kind);
        }
        let label = format!("batch {batch} ({done:?})");
        let urls = session
            .try_quick(&paths)
            .unwrap_or_else(|why| panic!("{label}: declined: {why}"));
        settles_as_a_clean_build(&mut session, &site, opts, &clean_out, &label, &urls);
    }
    #[cfg(feature = "test-hooks")]
    {
        let patched = unionpress::site::reshape::patched() - patched;
        assert!(patched > batches / 2, "only {patched} patched");
    }
}

/// Each way a page comes, goes or takes another URL, one at a time through
/// the quick path: the page's files are written or removed with the lists
/// that show it, and other pages' files are left alone (the default theme
/// shows no section's page count, so a count that changes is no reason to
/// write every page).
#[test]
fn each_way_a_page_comes_goes_or_moves_takes_the_quick_path() {
    let site = Site::new();
    site.page("notices/a.md", "title: 甲\ndate: 2026-02-01", "正文");
    site.page("notices/b.md", "title: 乙\ndate: 2026-02-02", "正文");
    site.page("policies/p.md", "title: 丙\ndate: 2026-02-03", "正文");
    let opts = Opts::now("2026-02-15");
    let mut session = Session::new(site.request(opts));
    assert!(!session.build().failed());
    let (d, e) = (
        site.root.join("content/notices/d.md"),
        site.root.join("content/notices/e.md"),
    );
    let steps: [(&str, &str, &[&str], &[&str]); 6] = [
        (
            "new",
            "title: 丁\ndate: 2026-02-04",
            &["notices/d/index.html"],
            &[],
        ),
        (
            "draft",
            "title: 丁\ndate: 2026-02-04\ndraft: true",
            &[],
            &["notices/d/index.html"],
        ),
        (
            "published",
            "title: 丁\ndate: 2026-02-04\ndraft: false",
            &["notices/d/index.html"],
            &[],
        ),
        (
            "slug",
            "title: 丁\ndate: 2026-02-04\nslug: ding",
            &["notices/ding/index.html"],
            &["notices/d/index.html"],
        ),
        (
            "slug taken away",
            "title: 丁\ndate: 2026-02-04",
            &["notices/d/index.html"],
            &["notices/ding/index.html"],
        ),
        (
            "renamed",
            "",
            &["notices/e/index.html"],
            &["notices/d/index.html"],
        ),
    ];
    for (what, front, written, removed) in steps {
        let paths = if front.is_empty() {
            std::fs::rename(&d, &e).unwrap();
            vec![d.clone(), e.clone()]
        } else {
            site.page("notices/d.md", front, "丁的正文");
            vec![d.clone()]
        };
        let mut urls = session
            .try_quick(&paths)
            .unwrap_or_else(|why| panic!("{what}: declined: {why}"));
        urls.sort();
        for url in written {
            assert!(urls.contains(&url.to_string()), "{what}: {urls:?}");
            assert!(site.out.join(url).exists(), "{what}: {url}");
        }
        for url in removed {
            assert!(urls.contains(&url.to_string()), "{what}: {urls:?}");
            assert!(!site.out.join(url).exists(), "{what}: {url}");
        }
        assert!(
            urls.contains(&"notices/index.html".to_string()),
            "{what}: {urls:?}"
        );
        for other in [
            "notices/a/index.html",
            "policies/p/index.html",
            "policies/index.html",
        ] {
            assert!(!urls.contains(&other.to_string()), "{what}: {urls:?}");
        }
        let report = session.build();
        assert!(!report.failed());
        assert!(report.changed.is_empty(), "{what}: {:?}", report.changed);
        assert_same_as_a_clean_build(&site, opts);
    }
    site.remove("content/notices/e.md");
    let urls = quick_then_build(&mut session, &e);
    assert!(
        urls.contains(&"notices/e/index.html".to_string()),
        "{urls:?}"
    );
    assert!(!site.out.join("notices/e/index.html").exists());
    assert_same_as_a_clean_build(&site, opts);
}

/// The pages a reshape leaves as they were keep what the last index found
/// for them (their attachments, an expiry that has passed, a pinning that
/// holds or has lapsed) while another page comes, goes and takes other
/// URLs through the quick path: after each update the output is a clean
/// build's.
#[test]
fn pages_a_reshape_leaves_keep_their_files_pinning_and_expiry() {
    let site = Site::new();
    site.file("content/notices/会议议程.pdf", "%PDF-1.4 议程");
    site.file("content/policies/办法.docx", "办法全文");
    site.page(
        "notices/a.md",
        "title: 甲\ndate: 2026-02-01\nattachments:\n  - file: 会议议程.pdf\n    title: 附件1：会议议程",
        "正文",
    );
    site.page(
        "notices/b.md",
        "title: 乙\ndate: 2026-02-02\nexpires: 2026-02-10\nattachments: [会议议程.pdf]",
        "正文",
    );
    site.page(
        "notices/c.md",
        "title: 丙\ndate: 2026-02-03\npinned: true\npinned_until: 2026-02-20",
        "正文",
    );
    site.page(
        "notices/f.md",
        "title: 戊\ndate: 2026-02-05\npinned: true\npinned_until: 2026-02-12",
        "正文",
    );
    site.page(
        "policies/p.md",
        "title: 己\ndate: 2026-02-06\nexpires: 2026-03-01\nattachments: [办法.docx]",
        "正文",
    );
    let opts = Opts::now("2026-02-15");
    let mut session = Session::new(site.request(opts));
    assert!(!session.build().failed());
    let d = site.root.join("content/notices/d.md");
    let front = "title: 丁\ndate: 2026-02-04\nattachments: [会议议程.pdf]";
    for (what, front) in [
        ("new", front.to_string()),
        ("draft", format!("{front}\ndraft: true")),
        ("published", front.to_string()),
        ("slug", format!("{front}\nslug: ding")),
    ] {
        site.page("notices/d.md", &front, "丁的正文");
        let urls = quick_then_build(&mut session, &d);
        assert!(
            urls.contains(&"notices/index.html".to_string()),
            "{what}: {urls:?}"
        );
        assert_same_as_a_clean_build(&site, opts);
    }
    site.remove("content/notices/d.md");
    let urls = quick_then_build(&mut session, &d);
    assert!(
        urls.contains(&"notices/ding/index.html".to_string()),
        "{urls:?}"
    );
    assert_same_as_a_clean_build(&site, opts);
    let a = std::fs::read_to_string(site.out.join("notices/a/index.html")).unwrap();
    assert!(a.contains("附件1：会议议程"), "{a}");
}

/// A theme that shows each section's page count (here in the menu of
/// every page) must have every page written when a page comes or goes:
/// the quick path leaves that to the full build, which writes them all.
#[test]
fn a_theme_showing_section_counts_has_every_page_follow_a_new_page() {
    let site = Site::new();
    let base =
        std::fs::read_to_string(Path::new(common::REPO).join("themes/default/templates/base.html"))
            .unwrap();
    let counted = base.replacen("{{ s.title }}", "{{ s.title }}（{{ s.count }}）", 1);
    assert_ne!(base, counted);
    site.file("templates/base.html", counted);
    site.page("notices/a.md", "title: 甲\ndate: 2026-02-01", "正文");
    site.page("policies/p.md", "title: 丙\ndate: 2026-02-03", "正文");
    let opts = Opts::now("2026-02-15");
    let mut session = Session::new(site.request(opts));
    assert!(!session.build().failed());
    let d = site.root.join("content/notices/d.md");
    site.page("notices/d.md", "title: 丁\ndate: 2026-02-04", "正文");
    assert_eq!(
        session.try_quick(std::slice::from_ref(&d)),
        Err(build::Declined::EveryPage(d.clone()))
    );
    let report = session.build();
    assert!(
        report
            .changed
            .contains(&"policies/p/index.html".to_string())
    );
    assert!(read(&site.out.join("policies/p/index.html")).contains("（2）"));
    assert_same_as_a_clean_build(&site, opts);
}

#[test]
fn a_new_title_shows_on_the_page_and_its_lists_at_once() {
    let site = Site::new();
    site.page("notices/a.md", "title: 原标题\ndate: 2026-02-01", "正文");
    let mut session = Session::new(site.request(Opts::default()));
    assert!(!session.build().failed());
    site.page("notices/a.md", "title: 新标题\ndate: 2026-02-01", "正文");
    let urls = session
        .quick(&[site.root.join("content/notices/a.md")])
        .expect("a title edit takes the quick path");
    assert_eq!(
        urls,
        [
            "notices/a/index.html",
            "notices/index.html",
            "notices/archive/2026/index.html",
            "index.html",
            "search/t/0.js",
            "search/d/6k4s.js",
            "search/manifest.js"
        ]
    );
    // Every page and list shows the new title, and so does the search
    // index's entry for the page.
    for url in urls
        .iter()
        .filter(|u| !u.starts_with("search/") || u.ends_with("d/0.js"))
    {
        assert!(read(&site.out.join(url)).contains("新标题"), "{url}");
    }
    let report = session.build();
    assert!(!report.failed());
    assert!(read(&site.out.join("notices/index.html")).contains("新标题"));
}

/// Most real pages carry an ASCII `slug:` (a Chinese title makes a poor
/// URL), written under the title. A longer title moves where the slug is
/// written in the file, not where the page is: once that counted as "moved",
/// and the quick path never fired for a title edit of such a page.
#[test]
fn a_longer_title_above_a_slug_still_takes_the_quick_path() {
    let site = Site::new();
    let meta =
        |title: &str| format!("title: {title}\nslug: cold-wave\ndate: 2026-02-01\ntags: [安全]");
    site.page("notices/a.md", &meta("寒潮通知"), "正文");
    let mut session = Session::new(site.request(Opts::default()));
    assert!(!session.build().failed());
    site.page(
        "notices/a.md",
        &meta("【更正】关于切实做好寒潮天气职工安全防护工作的紧急通知"),
        "正文",
    );
    let urls = session
        .try_quick(&[site.root.join("content/notices/a.md")])
        .expect("a title edit above the slug is not a move");
    assert!(
        urls.contains(&"notices/cold-wave/index.html".to_string()),
        "{urls:?}"
    );
    assert!(read(&site.out.join("notices/index.html")).contains("【更正】关于切实做好"));
    // A changed slug takes the quick path too, and the old URL is gone.
    site.page(
        "notices/a.md",
        &meta("寒潮通知").replace("cold-wave", "cold-wave-2"),
        "正文",
    );
    let urls = quick_then_build(&mut session, &site.root.join("content/notices/a.md"));
    assert!(
        urls.contains(&"notices/cold-wave-2/index.html".to_string())
            && urls.contains(&"notices/cold-wave/index.html".to_string()),
        "{urls:?}"
    );
    assert!(!site.out.join("notices/cold-wave/index.html").exists());
    assert_same_as_a_clean_build(&site, Opts::default());
}

/// A section's `_index.md` text edited: its list pages are written at
/// once (the home page's too for the content root's), no page; a new title
/// (every page's menu shows it) or sort is the full build's.
#[test]
fn a_sections_text_takes_the_quick_path_and_its_title_does_not() {
    let site = Site::new();
    site.page("notices/a.md", "title: 甲\ndate: 2026-02-01", "正文");
    site.page(
        "notices/b.md",
        "title: 乙\ndate: 2026-02-02",
        "见[栏目](_index.md)。",
    );
    site.page("policies/p.md", "title: 丙\ndate: 2026-02-03", "正文");
    let mut session = Session::new(site.request(Opts::default()));
    assert!(!session.build().failed());
    let path = section_index(&site, "notices", false, "本栏目发布**最新**通知。");
    let urls = quick_then_build(&mut session, &path);
    assert_eq!(urls, ["notices/index.html"]);
    assert!(read(&site.out.join("notices/index.html")).contains("<strong>最新</strong>"));
    assert_same_as_a_clean_build(&site, Opts::default());

    // The content root's text is the home page's; two sections at once.
    site.file(
        "content/_index.md",
        "---\ntitle: 测试集团工会 · 职工之家\n---\n\n欢迎访问**新版**职工之家。\n",
    );
    let home = site.root.join("content/_index.md");
    let policies = section_index(&site, "policies", false, "政策原文与解读。");
    let mut urls = session.try_quick(&[home, policies]).expect("quick");
    urls.sort();
    assert_eq!(urls, ["index.html", "policies/index.html"]);
    let report = session.build();
    assert!(
        !report.failed() && report.changed.is_empty(),
        "{:?}",
        report.changed
    );
    assert_same_as_a_clean_build(&site, Opts::default());

    let path = section_index(&site, "notices", true, "本栏目发布最新通知。");
    assert_eq!(
        session.try_quick(std::slice::from_ref(&path)),
        Err(build::Declined::Section(path.clone()))
    );
    assert!(!session.build().failed());
    assert_same_as_a_clean_build(&site, Opts::default());
    site.file(
        "content/notices/_index.md",
        "---\ntitle: 通知公告栏目\nkind: notice\nsort: title\n---\n\n正文。\n",
    );
    assert_eq!(
        session.try_quick(std::slice::from_ref(&path)),
        Err(build::Declined::Section(path.clone()))
    );
}

/// An attachment replaced by a file of the same name, alone or with its
/// page: the copy, the page and the download centre (which show its size)
/// are written at once, nothing else but what shows the page; a photo
/// replaced, or a file added beside, is the full build's.
#[test]
fn an_attachment_replaced_takes_the_quick_path() {
    let site = Site::new();
    site.page(
        "notices/meeting/index.md",
        "title: 职代会通知\ndate: 2026-02-01\nattachments:\n  - file: 议程.pdf\n    title: 会议议程",
        "详见[议程](议程.pdf)。",
    );
    site.file("content/notices/meeting/议程.pdf", "%PDF-1.4 第一版");
    site.page("notices/b.md", "title: 乙\ndate: 2026-02-02", "正文");
    let mut session = Session::new(site.request(Opts::default()));
    assert!(!session.build().failed());
    let pdf = site.root.join("content/notices/meeting/议程.pdf");
    std::fs::write(&pdf, format!("%PDF-1.4 第二版{}", "。".repeat(2000))).unwrap();
    let urls = quick_then_build(&mut session, &pdf);
    for url in [
        "notices/meeting/议程.pdf",
        "notices/meeting/index.html",
        "downloads/index.html",
    ] {
        assert!(urls.contains(&url.to_string()), "{url} not in {urls:?}");
    }
    assert!(
        !urls.contains(&"notices/b/index.html".to_string()),
        "{urls:?}"
    );
    assert_eq!(
        std::fs::read(site.out.join("notices/meeting/议程.pdf")).unwrap(),
        std::fs::read(&pdf).unwrap()
    );
    assert_same_as_a_clean_build(&site, Opts::default());

    // The same size, with the page's text.
    let page = site.root.join("content/notices/meeting/index.md");
    std::fs::write(&pdf, format!("%PDF-1.4 第三版{}", "。".repeat(2000))).unwrap();
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("详见", "会议议程详见")).unwrap();
    let urls = session.try_quick(&[pdf.clone(), page]).expect("quick");
    assert!(
        urls.contains(&"notices/meeting/议程.pdf".to_string()),
        "{urls:?}"
    );
    assert!(
        urls.contains(&"notices/meeting/index.html".to_string()),
        "{urls:?}"
    );
    let report = session.build();
    assert!(
        !report.failed() && report.changed.is_empty(),
        "{:?}",
        report.changed
    );
    assert_same_as_a_clean_build(&site, Opts::default());

    // A new file beside it: links may now lead there.
    let new = site.root.join("content/notices/meeting/签到表.pdf");
    std::fs::write(&new, "%PDF-1.4").unwrap();
    assert!(session.try_quick(std::slice::from_ref(&new)).is_err());
    assert!(!session.build().failed());
    assert_same_as_a_clean_build(&site, Opts::default());
}

/// The output equals a clean build's, into a folder of its own, byte for byte.
fn assert_same_as_a_clean_build(site: &Site, opts: Opts) {
    let clean = site.dir().join("clean");
    assert!(!clean_build(site, opts, &clean).failed());
    assert_same_output(&site.out, &clean, "the output", &[]);
}

/// A quick update, then the full build, which must find nothing left to
/// write; returns what the quick path wrote or removed, sorted.
fn quick_then_build(session: &mut Session, path: &Path) -> Vec<String> {
    let mut urls = session
        .try_quick(&[path.to_path_buf()])
        .unwrap_or_else(|why| panic!("declined: {why}"));
    urls.sort();
    let report = session.build();
    assert!(!report.failed());
    assert!(
        report.changed.is_empty(),
        "after the quick path {urls:?}, the full build wrote {:?}",
        report.changed
    );
    urls
}

/// The moves an editor makes most, each through the quick path, with the
/// files it writes: a new date that carries a page to the other page of
/// its section's list, a first tag (its list is made) and the last one
/// taken away (its list is removed, as the full build would), pinning on
/// and off.
#[test]
fn a_page_moved_in_its_lists_is_written_with_every_list_it_left_or_joined() {
    let site = Site::new();
    site.file(
        "site.yaml",
        common::SITE_YAML.replace("paginate: 20", "paginate: 2"),
    );
    for (name, day) in [("a", 1), ("b", 2), ("c", 3)] {
        site.page(
            &format!("notices/{name}.md"),
            &format!("title: 通知{name}\ndate: 2026-02-{day:02}"),
            "正文",
        );
    }
    let mut session = Session::new(site.request(Opts::now("2026-02-15")));
    assert!(!session.build().failed());
    let a = site.root.join("content/notices/a.md");
    // c, b | a  →  a, c | b
    site.page("notices/a.md", "title: 通知a\ndate: 2026-02-04", "正文");
    assert_eq!(
        quick_then_build(&mut session, &a),
        [
            "index.html",
            "notices/a/index.html",
            "notices/archive/2026/index.html",
            "notices/index.html",
            "notices/page/2/index.html",
            // Snippet chunks are named by their first page's URL: in the
            // new order other pages begin them, so chunk files come and go.
            "search/d/5kbs.js",
            "search/d/6k4s.js",
            "search/d/c9mb.js",
            "search/manifest.js",
            "search/t/0.js",
        ]
    );
    let second = read(&site.out.join("notices/page/2/index.html"));
    assert!(
        second.contains("通知b") && !second.contains("通知a"),
        "{second}"
    );

    site.page(
        "notices/a.md",
        "title: 通知a\ndate: 2026-02-04\ntags: [福利]",
        "正文",
    );
    let tagged = quick_then_build(&mut session, &a);
    // The theme's lists do not show tags: only the page, the tag's new
    // list, the list of tags and the search index's tokens change.
    assert_eq!(
        tagged,
        [
            "notices/a/index.html",
            "search/manifest.js",
            "search/t/0.js",
            "tags/index.html",
            "tags/福利/index.html",
        ]
    );
    assert!(read(&site.out.join("tags/福利/index.html")).contains("通知a"));

    site.page("notices/a.md", "title: 通知a\ndate: 2026-02-04", "正文");
    let untagged = quick_then_build(&mut session, &a);
    assert!(untagged.contains(&"tags/福利/index.html".to_string()));
    assert!(
        !site.out.join("tags/福利/index.html").exists(),
        "an emptied tag's list stays behind"
    );
    let manifest = read(&site.out.join(unionpress::output::manifest::FILE));
    assert!(!manifest.contains("福利"), "{manifest}");

    // b pinned: b, a | c; then unpinned again.
    let b = site.root.join("content/notices/b.md");
    site.page(
        "notices/b.md",
        "title: 通知b\ndate: 2026-02-02\npinned: true",
        "正文",
    );
    let pinned = quick_then_build(&mut session, &b);
    // The page itself and the search index do not show pinning.
    assert_eq!(
        pinned,
        [
            "index.html",
            "notices/archive/2026/index.html",
            "notices/index.html",
            "notices/page/2/index.html",
        ]
    );
    let first = read(&site.out.join("notices/index.html"));
    assert!(first.find("通知b") < first.find("通知a"), "{first}");
    site.page("notices/b.md", "title: 通知b\ndate: 2026-02-02", "正文");
    assert_eq!(quick_then_build(&mut session, &b), pinned);

    assert_same_as_a_clean_build(&site, Opts::now("2026-02-15"));
}

/// A move the full build would refuse (a department whose list a page's
/// URL already holds) is declined, and the lists made for it are put back:
/// the next quick update starts from the last build as it was.
#[test]
fn a_move_the_full_build_would_refuse_leaves_the_last_build_as_it_was() {
    let site = Site::new();
    site.page(
        "departments/x.md",
        "title: 部门页\ndate: 2026-02-01",
        "正文",
    );
    site.page(
        "notices/a.md",
        "title: 甲\ndate: 2026-02-02\ntags: [福利]",
        "正文",
    );
    site.page(
        "notices/b.md",
        "title: 乙\ndate: 2026-02-03\ntags: [福利]",
        "正文",
    );
    let opts = Opts::now("2026-02-15");
    let mut session = Session::new(site.request(opts));
    assert!(!session.build().failed());
    let a = site.root.join("content/notices/a.md");
    site.page(
        "notices/a.md",
        "title: 甲\ndate: 2026-02-05\ntags: [安全]\ndepartment: x",
        "正文",
    );
    assert_eq!(
        session.try_quick(std::slice::from_ref(&a)).unwrap_err(),
        build::Declined::Problems(a.clone())
    );
    assert!(
        read(&site.out.join("notices/index.html")).find("乙")
            < read(&site.out.join("notices/index.html")).find("甲")
    );
    site.page(
        "notices/a.md",
        "title: 甲\ndate: 2026-02-02\ntags: [福利]",
        "第二版正文",
    );
    quick_then_build(&mut session, &a);
    assert_same_as_a_clean_build(&site, opts);
}

/// A tag is named by its first spelling, in file order: when the page
/// that spelled it `PDF` drops it, the tag is `pdf` on every other page.
#[test]
fn a_tag_renamed_by_a_move_is_renamed_on_every_page_at_once() {
    let site = Site::new();
    site.page(
        "notices/a.md",
        "title: 甲\ndate: 2026-02-01\ntags: [PDF]",
        "正文",
    );
    site.page(
        "notices/b.md",
        "title: 乙\ndate: 2026-02-02\ntags: [pdf, 福利]",
        "正文",
    );
    let opts = Opts::now("2026-02-15");
    let mut session = Session::new(site.request(opts));
    assert!(!session.build().failed());
    assert!(read(&site.out.join("notices/b/index.html")).contains(">PDF<"));
    site.page("notices/a.md", "title: 甲\ndate: 2026-02-01", "正文");
    let urls = quick_then_build(&mut session, &site.root.join("content/notices/a.md"));
    assert!(
        urls.contains(&"notices/b/index.html".to_string()),
        "{urls:?}"
    );
    assert!(read(&site.out.join("notices/b/index.html")).contains(">pdf<"));
    assert_same_as_a_clean_build(&site, opts);
}

/// With `base_url`, the feeds and the sitemap follow a move too; a pinned
/// notice that expires leaves the home page's pinned block.
#[test]
fn feeds_sitemap_and_the_pinned_block_follow_a_move() {
    let site = Site::new();
    site.file(
        "site.yaml",
        format!(
            "{}base_url: http://intranet.example.com/union/\n",
            common::SITE_YAML
        ),
    );
    site.page(
        "notices/a.md",
        "title: 甲通知\ndate: 2026-02-01\npinned: true\ntags: [福利]",
        "正文",
    );
    site.page("notices/b.md", "title: 乙通知\ndate: 2026-02-03", "正文");
    let opts = Opts::now("2026-02-15");
    let mut session = Session::new(site.request(opts));
    assert!(!session.build().failed());
    assert!(read(&site.out.join("index.html")).contains("甲通知"));
    let a = site.root.join("content/notices/a.md");
    site.page(
        "notices/a.md",
        "title: 甲通知\ndate: 2026-02-05\npinned: true\nexpires: 2026-02-10\ntags: [福利]",
        "正文",
    );
    let urls = quick_then_build(&mut session, &a);
    for url in ["atom.xml", "notices/atom.xml", "sitemap.xml", "index.html"] {
        assert!(urls.contains(&url.to_string()), "{url} not in {urls:?}");
    }
    assert!(!read(&site.out.join("index.html")).contains("甲通知"));
    assert_same_as_a_clean_build(&site, opts);
}

/// `text` with `mark` put before its last `{% endblock`: a child template
/// allows nothing outside its blocks.
fn in_last_block(text: &str, mark: &str) -> String {
    let at = text.rfind("{% endblock").unwrap_or(text.len());
    format!("{}{mark}{}", &text[..at], &text[at..])
}

/// The files whose bytes differ between two snapshots of the output.
fn differing(
    a: &std::collections::BTreeMap<String, Vec<u8>>,
    b: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let names: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    (names.into_iter())
        .filter(|n| a.get(*n) != b.get(*n))
        .cloned()
        .collect()
}

/// A template edit takes the quick path: the files made with that template
/// — the two notices for the notice template; for a partial that many
/// templates include, every file it changes — are rendered and written
/// before the full build, which then finds nothing left to write, and the
/// output equals a clean build's.
#[test]
fn a_template_edit_writes_only_the_files_made_with_it() {
    let site = Site::new();
    site.page(
        "notices/a.md",
        "title: 甲\ndate: 2026-02-01\ntags: [福利]",
        "甲的正文",
    );
    site.page("notices/b.md", "title: 乙\ndate: 2026-02-02", "乙的正文");
    site.page(
        "policies/c.md",
        "title: 丙\ndate: 2026-02-03\ntags: [福利]",
        "丙的正文",
    );
    let mut session = Session::new(site.request(Opts::default()));
    assert!(!session.build().failed());
    let notice = site.root.join("themes/default/templates/notice.html");
    let before = snapshot(&site.out);
    std::fs::write(&notice, in_last_block(&read(&notice), "<!-- 第二版 -->")).unwrap();
    let urls = quick_then_build(&mut session, &notice);
    assert_eq!(urls, ["notices/a/index.html", "notices/b/index.html"]);
    for url in &urls {
        assert!(read(&site.out.join(url)).contains("第二版"), "{url}");
    }
    assert_eq!(differing(&before, &snapshot(&site.out)), urls);
    assert_same_as_a_clean_build(&site, Opts::default());

    // The breadcrumb: pages, section lists, tag lists, departments…
    let crumb = site
        .root
        .join("themes/default/templates/partials/breadcrumb.html");
    let before = snapshot(&site.out);
    std::fs::write(&crumb, format!("{}<!-- 路径 -->\n", read(&crumb))).unwrap();
    let urls = quick_then_build(&mut session, &crumb);
    assert_eq!(differing(&before, &snapshot(&site.out)), urls);
    for url in [
        "notices/a/index.html",
        "policies/c/index.html",
        "notices/index.html",
    ] {
        assert!(urls.contains(&url.to_string()), "{url} not in {urls:?}");
    }
    assert!(!urls.contains(&"index.html".to_string()), "{urls:?}");
    assert_same_as_a_clean_build(&site, Opts::default());
}

/// A template saved with a syntax error is left to the full build, which
/// names the template file, line and column in Chinese and leaves the
/// site as it was. Saved again fixed, only the files made with it are
/// rendered; a template file added (the site's own over the theme's) is
/// the full build's too, which renders only the files made with it.
#[test]
fn a_broken_template_is_reported_and_only_its_files_follow_the_fix() {
    let site = Site::new();
    site.page(
        "notices/a.md",
        "title: 甲\ndate: 2026-02-01\ntags: [福利]",
        "甲的正文",
    );
    site.page("policies/c.md", "title: 丙\ndate: 2026-02-03", "丙的正文");
    let mut session = Session::new(site.request(Opts::default()));
    assert!(!session.build().failed());
    let notice = site.root.join("themes/default/templates/notice.html");
    let original = read(&notice);
    let before = snapshot(&site.out);
    std::fs::write(
        &notice,
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n\
         {% for x in %}\n{% endfor %}\n{% endblock content %}\n",
    )
    .unwrap();
    assert_eq!(
        session.try_quick(std::slice::from_ref(&notice)),
        Err(build::Declined::Template)
    );
    let report = session.build();
    assert!(report.failed());
    let d = (report.diags.iter())
        .find(|d| d.msg.code() == "template-error")
        .expect("a template error");
    let span = d.span.as_ref().expect("a place in the template");
    assert_eq!(&*span.file, "themes/default/templates/notice.html");
    assert_eq!(span.line, 4, "{d:?}");
    assert!(span.column > 0, "{d:?}");
    let zh = d.msg.text(unionpress::i18n::Lang::Zh);
    assert!(zh.starts_with("模板错误："), "{zh}");
    assert_eq!(snapshot(&site.out), before, "a failed build wrote");

    std::fs::write(&notice, in_last_block(&original, "<!-- 修好了 -->")).unwrap();
    let report = session.build();
    assert!(!report.failed());
    assert_eq!(report.changed, ["notices/a/index.html"]);
    assert_eq!(report.rendered, Some(1), "{}", report.timings());
    assert_same_as_a_clean_build(&site, Opts::default());

    let tag = site.root.join("templates/tag.html");
    site.file(
        "templates/tag.html",
        in_last_block(
            &read(&site.root.join("themes/default/templates/tag.html")),
            "<!-- 本站的 -->",
        ),
    );
    assert_eq!(
        session.try_quick(std::slice::from_ref(&tag)),
        Err(build::Declined::TemplateFiles)
    );
    let report = session.build();
    assert!(!report.failed());
    let tag_list = report.changed.clone();
    assert!(
        tag_list.len() == 1 && tag_list[0].starts_with("tags/"),
        "{tag_list:?}"
    );
    assert_eq!(report.rendered, Some(1), "{}", report.timings());
    assert_same_as_a_clean_build(&site, Opts::default());
}
