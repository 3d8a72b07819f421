//! The build cache across processes, where a new `unionpress build` skips
//! work: pages whose files are as the last build saw them (same size and
//! time, old enough to trust) are taken from the cache without being read,
//! and read only when something needs their text. Each test here fails when
//! a skip is wrong: a stale text used, a changed file not noticed, a message
//! without its line. (`tests/watch.rs` holds the randomized equivalence
//! test, which exercises these skips among every other edit.)

mod common;

use std::path::Path;
use std::time::{Duration, SystemTime};

use common::{Opts, Site, snapshot};
use unionpress::build;
use unionpress::diagnostics::Renderer;
use unionpress::i18n::Lang;

/// Messages as an editor's terminal shows them, in Chinese.
fn shown(report: &build::Report) -> String {
    let r = Renderer {
        sources: &report.sources,
        lang: Lang::Zh,
    };
    r.to_string(&report.diags)
}

/// Sets a file's modification time.
fn set_time(path: &Path, t: SystemTime) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(t).unwrap();
}

/// Gives every file under `content/` its own modification time, an hour
/// ago or more, as if each had been saved long before: their stamps are
/// trusted from now on. `tick` keeps every time ever given distinct, so
/// that no two versions of a file share a stamp.
fn settle(site: &Site, tick: &mut u64) {
    let base = SystemTime::now() - Duration::from_secs(3600 * 24);
    for e in walk(&site.root.join("content")) {
        *tick += 1;
        set_time(&e, base + Duration::from_secs(*tick));
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = e.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Ten notices, each linking to the next.
fn ten_notices() -> Site {
    let site = Site::new();
    for n in 0..10 {
        site.page(
            &format!("notices/n{n}.md"),
            &format!("title: 通知{n}\ndate: 2026-02-{:02}", n + 1),
            &format!("正文{n}，见[另一篇](n{}.md)。", (n + 1) % 10),
        );
    }
    site
}

/// A clean build of the same site into another folder, and its files.
fn clean(site: &Site, opts: Opts) -> (build::Report, std::collections::BTreeMap<String, Vec<u8>>) {
    let mut req = site.request(opts);
    let out = site.dir().join("clean");
    let _ = std::fs::remove_dir_all(&out);
    req.output = Some(out.clone());
    let report = build::run(&req);
    (report, snapshot(&out))
}

#[test]
fn settled_pages_are_not_read_after_an_edit() {
    let site = ten_notices();
    let opts = Opts::now(common::NOW);
    let mut tick = 0;
    let first = build::run_cached(&site.request(opts));
    assert!(!first.failed());
    // Nothing to trust yet: every file was written a moment ago.
    assert_eq!(first.read_late, Some((0, 0)));
    settle(&site, &mut tick);

    site.page(
        "notices/n3.md",
        "title: 通知3\ndate: 2026-02-04",
        "改过的正文，见[另一篇](n4.md)。",
    );
    let edited = build::run_cached(&site.request(opts));
    assert!(!edited.failed(), "{:?}", edited.diags);
    // The nine other pages came from the cache unread, and nothing needed
    // their text; the edited page and the sections were read. Their
    // rendered Markdown stayed encoded: the lists show their summaries.
    assert_eq!(edited.read_late, Some((9, 0)), "{}", edited.timings());
    assert_eq!(edited.decoded, Some(0), "{}", edited.timings());
    // Only the page and the lists that show it were compared.
    assert!(
        edited.narrowed.is_some_and(|n| n < 10),
        "{}",
        edited.timings()
    );
    assert_eq!(edited.reused, Some((14, 9)));
    assert_eq!(snapshot(&site.out), clean(&site, opts).1);
    let page = std::fs::read_to_string(site.out.join("notices/n3/index.html")).unwrap();
    assert!(page.contains("改过的正文"));

    // A page moves: the page linking to it is rendered again, from its
    // text read late, and still equals a clean build.
    settle(&site, &mut tick);
    site.page(
        "notices/n5.md",
        "title: 通知5\ndate: 2026-02-06\nslug: moved",
        "正文5，见[另一篇](n6.md)。",
    );
    let moved = build::run_cached(&site.request(opts));
    assert!(!moved.failed(), "{:?}", moved.diags);
    assert_eq!(moved.read_late, Some((9, 1)), "{}", moved.timings());
    let linking = std::fs::read_to_string(site.out.join("notices/n4/index.html")).unwrap();
    assert!(linking.contains("moved/"), "{linking}");
    assert_eq!(snapshot(&site.out), clean(&site, opts).1);
}

/// Rendered Markdown is trusted without looking up its links only under
/// the link map it was made or checked under: a page moved and moved
/// back gives the first build's map again, and the page linking to it,
/// rendered again under the moved map, is checked, not trusted, and
/// links to it where it is again.
#[test]
fn a_page_moved_and_moved_back_is_linked_where_it_is() {
    let site = ten_notices();
    let opts = Opts::now(common::NOW);
    let mut tick = 0;
    assert!(!build::run_cached(&site.request(opts)).failed());
    let first = snapshot(&site.out);
    for (slug, front) in [
        ("moved/", "title: 通知5\ndate: 2026-02-06\nslug: moved"),
        ("n5/", "title: 通知5\ndate: 2026-02-06"),
    ] {
        settle(&site, &mut tick);
        site.page("notices/n5.md", front, "正文5，见[另一篇](n6.md)。");
        let report = build::run_cached(&site.request(opts));
        assert!(!report.failed(), "{:?}", report.diags);
        let linking = std::fs::read_to_string(site.out.join("notices/n4/index.html")).unwrap();
        assert!(linking.contains(slug), "{linking}");
        assert_eq!(snapshot(&site.out), clean(&site, opts).1);
    }
    assert_eq!(snapshot(&site.out), first);
}

/// Two saves within one tick of a coarse clock leave the same size and
/// time; while the file is that recent its stamp is not trusted, and the
/// second text is built.
#[test]
fn a_page_saved_twice_in_one_tick_is_read_while_recent() {
    let site = ten_notices();
    let opts = Opts::now(common::NOW);
    let mut tick = 0;
    settle(&site, &mut tick);
    assert!(!build::run_cached(&site.request(opts)).failed());
    let path = site.root.join("content/notices/n2.md");
    let when = SystemTime::now() - Duration::from_secs(1);
    std::fs::write(
        &path,
        "---\ntitle: 通知2\ndate: 2026-02-03\n---\n\n第一稿。\n",
    )
    .unwrap();
    set_time(&path, when);
    assert!(!build::run_cached(&site.request(opts)).failed());
    // The same length, the same time.
    std::fs::write(
        &path,
        "---\ntitle: 通知2\ndate: 2026-02-03\n---\n\n第二稿。\n",
    )
    .unwrap();
    set_time(&path, when);
    let second = build::run_cached(&site.request(opts));
    assert!(!second.failed());
    let page = std::fs::read_to_string(site.out.join("notices/n2/index.html")).unwrap();
    assert!(page.contains("第二稿"), "the first text was kept");
    assert_eq!(snapshot(&site.out), clean(&site, opts).1);
}

/// A page whose text changed behind a stamp that did not (a copy that kept
/// the old size and time) is taken from the cache unread; when something
/// then needs its text, the read finds other bytes than the cache said.
/// The build stops with an error naming the file, writes nothing, and the
/// next build reads every file again and is right.
#[test]
fn a_page_changed_behind_its_stamp_stops_the_build_when_read_late() {
    let site = ten_notices();
    let opts = Opts::now(common::NOW);
    let mut tick = 0;
    assert!(!build::run_cached(&site.request(opts)).failed());
    settle(&site, &mut tick);
    // A build that records the settled stamps (one with nothing changed
    // would record nothing).
    site.page("notices/n9.md", "title: 通知9\ndate: 2026-02-10", "改过。");
    assert!(!build::run_cached(&site.request(opts)).failed());

    // n4 links to n5; its new text has the same length and time.
    let n4 = site.root.join("content/notices/n4.md");
    let old = std::fs::read_to_string(&n4).unwrap();
    let when = std::fs::metadata(&n4).unwrap().modified().unwrap();
    let new = old.replace("正文4", "修订4");
    assert_eq!(new.len(), old.len());
    std::fs::write(&n4, &new).unwrap();
    set_time(&n4, when);
    // n5 moves, so n4's Markdown must be rendered again.
    site.page(
        "notices/n5.md",
        "title: 通知5\ndate: 2026-02-06\nslug: moved",
        "正文5，见[另一篇](n6.md)。",
    );
    let before = snapshot(&site.out);
    let stopped = build::run_cached(&site.request(opts));
    assert!(stopped.failed());
    let errors: Vec<_> = stopped.diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = errors[0];
    assert_eq!(e.location(), "content/notices/n4.md:1:1", "{:?}", e.span);
    let shown = shown(&stopped);
    assert!(
        shown.contains("content/notices/n4.md 在构建过程中被修改") && shown.contains("再运行一次"),
        "{shown}"
    );
    let en = Renderer {
        sources: &stopped.sources,
        lang: Lang::En,
    }
    .to_string(&stopped.diags);
    assert!(
        en.contains(
            "content/notices/n4.md changed while the site was being built; nothing was written"
        ) && en.contains("run the same command again"),
        "{en}"
    );
    assert_eq!(snapshot(&site.out), before, "a stopped build wrote");

    // Run again, as the message says: every file is hashed again, so n4
    // is read and parsed; the pages whose bytes hash as their products say
    // stay unread (all but n4, and n5 and n9, saved a moment ago).
    let again = build::run_cached(&site.request(opts));
    assert!(!again.failed(), "{:?}", again.diags);
    assert_eq!(again.read_late, Some((7, 0)));
    let page = std::fs::read_to_string(site.out.join("notices/n4/index.html")).unwrap();
    assert!(page.contains("修订4"));
    assert_eq!(snapshot(&site.out), clean(&site, opts).1);
}

/// A warning that the site's index finds in a page the cache left unread
/// (a tag that makes no file name) is the same as a clean build's, and the
/// message shows the page's line.
#[test]
fn a_warning_in_an_unread_page_shows_its_line() {
    let site = ten_notices();
    site.page(
        "notices/n2.md",
        "title: 通知2\ndate: 2026-02-03\ntags: [\"..\", 福利]",
        "正文2。",
    );
    let opts = Opts::now(common::NOW);
    let mut tick = 0;
    let first = build::run_cached(&site.request(opts));
    assert_eq!(first.diags.len(), 1, "{:?}", first.diags);
    settle(&site, &mut tick);
    site.page("notices/n7.md", "title: 通知7\ndate: 2026-02-08", "改过。");
    let edited = build::run_cached(&site.request(opts));
    assert_eq!(edited.read_late, Some((9, 1)), "{}", edited.timings());
    let (clean, files) = clean(&site, opts);
    assert_eq!(format!("{:?}", edited.diags), format!("{:?}", clean.diags));
    let shown = shown(&edited);
    assert_eq!(shown, self::shown(&clean));
    assert!(shown.contains("tags: [\"..\", 福利]"), "{shown}");
    assert_eq!(snapshot(&site.out), files);
}

/// A small deterministic generator, so a failing run can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

/// The example site (photos in its event reports) built once by its
/// folder's path and again by another spelling of it, as an editor does
/// who builds from inside the site one day and with `--root` the next:
/// the rendered Markdown is reused, and the output is the same.
#[test]
fn another_spelling_of_the_site_folder_keeps_the_rendered_markdown() {
    let site = Site::bare();
    common::copy_dir(
        &Path::new(common::REPO).join("content"),
        &site.root.join("content"),
    );
    site.file(
        "site.yaml",
        std::fs::read(Path::new(common::REPO).join("site.yaml")).unwrap(),
    );
    let opts = Opts::now("2026-11-21 09:00");
    let first = build::run_cached(&site.request(opts));
    assert!(!first.failed(), "{:?}", first.diags);
    assert!(first.images.is_some_and(|i| i.processed > 0));
    let built = snapshot(&site.out);

    site.page(
        "notices/新通知.md",
        "title: 新通知\ndate: 2026-11-20",
        "正文。",
    );
    let mut req = site.request(opts);
    req.root = site.root.join("content").join("..");
    let again = build::run_cached(&req);
    assert!(!again.failed(), "{:?}", again.diags);
    let pages = first.pages;
    // Every page but the new one, as the first build rendered it.
    assert_eq!(
        again.reused.map(|(_, rendered)| rendered),
        Some(pages),
        "{}",
        again.timings()
    );
    site.remove("content/notices/新通知.md");
    let back = build::run_cached(&req);
    assert!(!back.failed());
    assert_eq!(snapshot(&site.out), built);
}

/// Replaces the value of the first front-matter line `key: …`.
fn set_field(text: &str, key: &str, value: &str) -> Option<String> {
    let start = text.find(&format!("\n{key}: "))? + 1;
    let end = start + text[start..].find('\n')?;
    Some(format!("{}{key}: {value}{}", &text[..start], &text[end..]))
}

/// The example site (pinned notices, photo news, tags, departments,
/// archives, attachments, related pages; feeds, with a `base_url`; two
/// event reports whose cover is their first photo), edited at random the
/// ways that keep a page in place — its text, its title, its summary, the
/// photo it opens with — with now and then a new date, which moves it,
/// or new tags, which change its related pages and others' (kept by the
/// cache while no page's tags or place change):
/// after every edit a new process with the cache, which renders only the
/// files showing the edited pages when they stayed in place and decodes
/// the cached HTML of only the pages it needs, equals a clean build byte
/// for byte.
#[test]
fn builds_narrowed_to_the_edited_pages_equal_a_clean_build() {
    let site = Site::bare();
    common::copy_dir(
        &Path::new(common::REPO).join("content"),
        &site.root.join("content"),
    );
    let config = std::fs::read_to_string(Path::new(common::REPO).join("site.yaml")).unwrap();
    site.file(
        "site.yaml",
        format!("{config}\nbase_url: https://gh.example.cn/union/\n"),
    );
    let opts = Opts::now("2026-11-21 09:00");
    let pages: Vec<_> = walk(&site.root.join("content"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| !p.ends_with("_index.md"))
        .collect();
    let events: Vec<_> = (pages.iter())
        .filter(|p| p.ends_with("index.md") && p.to_string_lossy().contains("/events/"))
        .cloned()
        .collect();
    // Two reports' covers taken from their first photo.
    for event in ["golden-autumn-aid-2026", "reading-share-2026"] {
        let path = site.root.join(format!("content/events/{event}/index.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("\ncover: cover.jpg\n", "\n")).unwrap();
    }
    let mut rng = Lcg(20261202);
    // Template edits beside the page edits, drawn apart so that the page
    // edits are drawn as they always were.
    let mut designer = Lcg(5);
    // Tag edits, drawn apart too: they change which pages are related.
    let mut tagger = Lcg(17);
    let tagged: Vec<_> = (pages.iter())
        .filter(|p| std::fs::read_to_string(p).unwrap().contains("\ntags: "))
        .cloned()
        .collect();
    let templates = site.root.join("themes/default/templates");
    let mut tick = 0;
    assert!(!build::run_cached(&site.request(opts)).failed());
    let (mut narrowed, mut moved, mut with_templates) = (0, 0, 0);
    let mut history = Vec::new();
    // The last rounds also change a page's tags (after the others, so
    // that those are drawn and narrowed as they always were).
    for round in 0..30 {
        settle(&site, &mut tick);
        let mut in_place = true;
        let names = [
            "tag.html",
            "notice.html",
            "partials/breadcrumb.html",
            "base.html",
            "section.html",
        ];
        let template = (designer.below(10) < 4).then(|| {
            let name = names[designer.below(names.len())];
            let path = templates.join(name);
            let text = std::fs::read_to_string(&path).unwrap();
            let mark = format!("<!-- 第{round}版 -->");
            let text = if name == "base.html" {
                text.replacen("</body>", &format!("{mark}</body>"), 1)
            } else if name.starts_with("partials/") {
                text + &mark
            } else {
                in_last_block(&text, &mark)
            };
            std::fs::write(&path, text).unwrap();
            history.push(format!("{round}: template {name}"));
        });
        for _ in 0..1 + rng.below(2) {
            let kind = rng.below(10).min(8);
            let path = match kind {
                7 => &events[rng.below(events.len())],
                _ => &pages[rng.below(pages.len())],
            };
            let text = std::fs::read_to_string(path).unwrap();
            let name = path.strip_prefix(&site.root).unwrap().display().to_string();
            let new = match kind {
                0..=2 => Some(format!("{text}\n补充说明第{round}条。\n")),
                3..=4 => {
                    let title = text
                        .split("\ntitle: ")
                        .nth(1)
                        .and_then(|t| t.lines().next());
                    title.and_then(|t| set_field(&text, "title", &format!("{t}（修订{round}）")))
                }
                5..=6 => set_field(&text, "summary", &format!("第{round}次改写的摘要。")),
                // Another photo first: a report without a cover shows it.
                7 => {
                    let folder = path.parent().unwrap();
                    let photos: Vec<_> = walk(folder)
                        .into_iter()
                        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
                        .collect();
                    let body = text.find("\n---\n").map(|i| i + 5);
                    body.filter(|_| !photos.is_empty()).map(|at| {
                        let photo = &photos[rng.below(photos.len())];
                        let photo = photo.file_name().unwrap().to_string_lossy();
                        let (head, rest) = text.split_at(at);
                        format!("{head}![第{round}张]({photo})\n\n{rest}")
                    })
                }
                _ => {
                    in_place = false;
                    set_field(&text, "date", &format!("2026-10-{:02}", 1 + rng.below(28)))
                }
            };
            let Some(new) = new else {
                continue;
            };
            let what = [
                "text", "text", "text", "title", "title", "summary", "summary", "photo", "date",
            ];
            history.push(format!("{round}: {} {name}", what[kind]));
            std::fs::write(path, new).unwrap();
        }
        // Now and then a page's tags change: its related pages, and those
        // of the pages sharing its old and new tags, are found again.
        if round >= 24 {
            let path = &tagged[tagger.below(tagged.len())];
            let text = std::fs::read_to_string(path).unwrap();
            let words = ["法律服务", "困难帮扶", "会员服务", "女职工", "心理健康"];
            let (a, b) = (words[tagger.below(5)], words[tagger.below(5)]);
            let tags = if a == b {
                format!("[{a}]")
            } else {
                format!("[{a}, {b}]")
            };
            std::fs::write(path, set_field(&text, "tags", &tags).unwrap()).unwrap();
            let name = path.strip_prefix(&site.root).unwrap().display();
            history.push(format!("{round}: tags {tags} {name}"));
        }
        // Now and then someone changes one output file and deletes
        // another: the cached build, which keeps files as it found them
        // when it checked the output, makes those two again.
        if round % 3 == 1 {
            let ours: Vec<_> = walk(&site.out)
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "html"))
                .collect();
            let changed = &ours[rng.below(ours.len())];
            std::fs::write(changed, "有人改过这个文件").unwrap();
            let deleted = &ours[rng.below(ours.len())];
            let _ = std::fs::remove_file(deleted);
            let rel = |p: &Path| p.strip_prefix(&site.out).unwrap().display().to_string();
            history.push(format!(
                "{round}: output {} changed, {} deleted",
                rel(changed),
                rel(deleted)
            ));
        }
        let report = build::run_cached(&site.request(opts));
        assert!(!report.failed(), "{:?}", report.diags);
        if in_place {
            // Template edits too: only the files made with them are prepared.
            narrowed += usize::from(report.narrowed.is_some());
            let by_template = template.is_some() && report.narrowed.is_some();
            with_templates += usize::from(by_template);
        } else {
            // A new date moves the page in its lists: every file compared.
            assert_eq!(report.narrowed, None, "round {round}\n{history:#?}");
            moved += 1;
        }
        let (clean, files) = clean(&site, opts);
        assert!(!clean.failed());
        let label = format!("round {round} ({})", report.timings());
        common::assert_same_files(&snapshot(&site.out), &files, &label, &history);
    }
    let photos = history.iter().filter(|h| h.contains(": photo ")).count();
    let retags = history.iter().filter(|h| h.contains(": tags ")).count();
    assert!(
        narrowed >= 12 && moved >= 2 && photos >= 2 && with_templates >= 3 && retags >= 5,
        "narrowed {narrowed} ({with_templates} with a template edit), moved {moved}, \
         photos {photos}, tags {retags}"
    );
}

/// `text` with `mark` put before its last `{% endblock`: a child template
/// allows nothing outside its blocks.
fn in_last_block(text: &str, mark: &str) -> String {
    let at = text.rfind("{% endblock").unwrap_or(text.len());
    format!("{}{mark}{}", &text[..at], &text[at..])
}

/// A template edit between two builds with the cache renders only the
/// files made with that template or one that uses it, not the whole site:
/// the tag lists for `tag.html`, the files showing a breadcrumb for its
/// partial, every file for `base.html`; and each time the output equals a
/// clean build byte for byte.
#[test]
fn a_template_edit_renders_only_the_files_made_with_it() {
    let site = ten_notices();
    site.page(
        "policies/p.md",
        "title: 政策\ndate: 2026-02-11\ntags: [福利, 职代会]",
        "正文。",
    );
    site.page(
        "notices/tagged.md",
        "title: 带标签的通知\ndate: 2026-02-12\ntags: [福利]",
        "正文。",
    );
    let opts = Opts::default();
    let first = build::run_cached(&site.request(opts));
    assert!(!first.failed(), "{:?}", first.diags);
    let all = first.rendered.expect("rendered");
    let templates = site.root.join("themes/default/templates");
    let edit = |name: &str, mark: &str| {
        let path = templates.join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, in_last_block(&text, mark)).unwrap();
    };

    edit("tag.html", "<!-- 标签页第二版 -->");
    let report = build::run_cached(&site.request(opts));
    assert!(!report.failed(), "{:?}", report.diags);
    let mut changed = report.changed.clone();
    changed.sort();
    assert_eq!(changed, ["tags/福利/index.html", "tags/职代会/index.html"]);
    assert_eq!(report.rendered, Some(2), "{}", report.timings());
    // Only the tag lists and the files no template renders are prepared.
    let files = report.narrowed.expect("narrowed to the tag lists");
    assert!(files >= 2 && files < all / 2, "{files} of {all}");
    assert_eq!(snapshot(&site.out), clean(&site, opts).1);

    // A template and a page saved together: the files of either.
    edit("tag.html", "<!-- 标签页第三版 -->");
    let page = site.root.join("content/notices/n3.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("正文3", "正文3，已修订")).unwrap();
    let report = build::run_cached(&site.request(opts));
    assert!(!report.failed(), "{:?}", report.diags);
    assert!(report.narrowed.is_some(), "{}", report.timings());
    let changed = &report.changed;
    assert!(
        changed.contains(&"tags/福利/index.html".to_string()),
        "{changed:?}"
    );
    assert!(changed.iter().any(|u| u.contains("n3")), "{changed:?}");
    assert_eq!(snapshot(&site.out), clean(&site, opts).1);

    // A partial many templates include, outside any block.
    let crumb = templates.join("partials/breadcrumb.html");
    let text = std::fs::read_to_string(&crumb).unwrap();
    std::fs::write(&crumb, format!("{text}<!-- 路径 -->\n")).unwrap();
    let report = build::run_cached(&site.request(opts));
    assert!(!report.failed(), "{:?}", report.diags);
    let rendered = report.rendered.expect("rendered");
    assert_eq!(rendered, report.changed.len(), "{:?}", report.changed);
    assert!(rendered > 12 && rendered < all, "{rendered} of {all}");
    assert!(!report.changed.contains(&"index.html".to_string()));
    assert_eq!(snapshot(&site.out), clean(&site, opts).1);

    edit("base.html", "<!-- 全站 -->");
    let report = build::run_cached(&site.request(opts));
    assert!(!report.failed(), "{:?}", report.diags);
    assert_eq!(report.rendered, Some(all), "{}", report.timings());
    assert_eq!(snapshot(&site.out), clean(&site, opts).1);
}

/// A build with no cache to compare with (the first, or after the cache
/// was removed) hashes its inputs from the bytes it reads anyway, pages
/// and photos read once instead of twice: the cache it leaves must hold
/// each input file's true hash all the same — pages, a section, a photo
/// and the file beside it, a static file, site.yaml — so that the next
/// build with nothing changed writes nothing and reads no page.
#[test]
fn a_first_build_leaves_the_hash_of_every_input() {
    let site = ten_notices();
    site.page(
        "notices/meeting/index.md",
        "title: 会议\ndate: 2026-02-20",
        "![合影](photo.jpg)",
    );
    site.file("content/notices/meeting/photo.jpg", common::TINY_JPEG);
    site.file("content/notices/meeting/议程.txt", "议程");
    site.file("static/notice.txt", "静态文件");
    let opts = Opts::now(common::NOW);
    let mut tick = 0;
    settle(&site, &mut tick);
    let first = build::run_cached(&site.request(opts));
    assert!(!first.failed(), "{:?}", first.diags);
    let root = site.root.canonicalize().unwrap();
    let out = build::anchor(&site.out);
    let saved = unionpress::cache::load(&root, &out).unwrap().unwrap();
    let mut photos = 0;
    for (rel, (_, hash)) in &saved.files {
        let bytes = std::fs::read(root.join(rel)).unwrap();
        assert_eq!(*hash, xxhash_rust::xxh3::xxh3_64(&bytes), "{rel}");
        photos += usize::from(rel.ends_with(".jpg"));
    }
    assert_eq!(photos, 1);
    assert!(saved.files.len() > 14, "{:?}", saved.files.keys());

    let again = build::run_cached(&site.request(opts));
    assert!(!again.failed(), "{:?}", again.diags);
    assert_eq!(again.stats.map(|s| s.changed), Some(0));
    // Nothing to do at all: the build cache vouched for every input.
    assert!(
        again.stages.iter().all(|(n, _)| *n == "cache"),
        "{}",
        again.timings()
    );
}

/// The pages' rendered Markdown is kept in files of bodies read only when
/// a page needs it, checked then: one someone changed in place (after the
/// build that wrote it) is named in a note, and the build that finds it
/// renders every page's Markdown again, as if the cache held none (the
/// other files of bodies may be damaged too), and writes what a clean
/// build writes; one that is gone only costs the next build their
/// Markdown.
#[test]
fn a_file_of_bodies_changed_or_removed_is_not_used() {
    let site = ten_notices();
    let opts = Opts::now(common::NOW);
    let first = build::run_cached(&site.request(opts));
    assert!(!first.failed(), "{:?}", first.diags);
    let products = site.root.join(".unionpress/cache/products");
    let bodies = || -> Vec<std::path::PathBuf> {
        (walk(&products).into_iter())
            .filter(|p| p.extension().is_some_and(|e| e == "body"))
            .collect()
    };
    assert!(!bodies().is_empty());
    let templates = site.root.join("themes/default/templates");
    let edit = |mark: &str| {
        let path = templates.join("base.html");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, in_last_block(&text, mark)).unwrap();
    };

    // Every page is rendered again with its kept Markdown.
    for path in bodies() {
        let mut bytes = std::fs::read(&path).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x20;
        let mut f = std::fs::File::options().write(true).open(&path).unwrap();
        std::io::Write::write_all(&mut f, &bytes).unwrap();
    }
    edit("<!-- 第二版 -->");
    let healed = build::run_cached(&site.request(opts));
    assert!(!healed.failed(), "{:?}", healed.diags);
    let note = healed.note.clone().unwrap_or_default();
    assert!(
        note.contains("已损坏") && note.contains(".body") && note.contains("重新生成"),
        "{note}"
    );
    assert_eq!(healed.reused.map(|(_, md)| md), Some(0));
    assert_eq!(snapshot(&site.out), clean(&site, opts).1);
    let again = build::run_cached(&site.request(opts));
    assert!(!again.failed(), "{:?}", again.diags);
    assert_eq!(again.note, None);
    assert_eq!(again.stats.map(|s| s.changed), Some(0));

    for path in bodies() {
        std::fs::remove_file(path).unwrap();
    }
    edit("<!-- 第三版 -->");
    let report = build::run_cached(&site.request(opts));
    assert!(!report.failed(), "{:?}", report.diags);
    assert_eq!(report.reused.map(|(_, md)| md), Some(0));
    assert_eq!(report.note, None);
    assert_eq!(snapshot(&site.out), clean(&site, opts).1);
    assert!(!bodies().is_empty(), "written again");
}

/// A cached build loads the content from the files it stamped rather than
/// walking `content/` again: what the loader leaves out (an editor's
/// litter, hidden folders, links to files and to folders) stays out, and
/// what is added or removed between two builds is seen, as in a clean
/// build.
#[test]
fn the_files_stamped_are_the_files_loaded() {
    let site = ten_notices();
    let opts = Opts::now(common::NOW);
    site.file("content/notices/n1.md~", "备份");
    site.file("content/notices/~$报告.docx", "锁");
    site.page(".drafts/x.md", "title: 隐藏\ndate: 2026-02-01", "不发布。");
    site.page(
        "notices/.drafts/y.md",
        "title: 草稿\ndate: 2026-02-01",
        "不发布。",
    );
    site.file("content/files/规定.pdf", "%PDF-1.4");
    site.file(
        "elsewhere/a.md",
        "---\ntitle: 外链\ndate: 2026-02-01\n---\n正文。",
    );
    #[cfg(unix)]
    {
        let content = site.root.join("content");
        std::os::unix::fs::symlink(content.join("notices/n2.md"), content.join("notices/l.md"))
            .unwrap();
        std::os::unix::fs::symlink(site.root.join("elsewhere"), content.join("linked")).unwrap();
    }
    let first = build::run_cached(&site.request(opts));
    assert!(!first.failed(), "{:?}", first.diags);
    let (clean_report, clean_files) = clean(&site, opts);
    assert_eq!(snapshot(&site.out), clean_files);
    assert_eq!(first.pages, clean_report.pages);
    assert!(
        !clean_files
            .keys()
            .any(|f| f.contains("drafts") || f.contains("linked"))
    );

    site.page(
        "notices/n10.md",
        "title: 通知10\ndate: 2026-02-11",
        "新的一篇。",
    );
    site.page("new/b.md", "title: 新栏目\ndate: 2026-02-12", "新的栏目。");
    std::fs::remove_file(site.root.join("content/files/规定.pdf")).unwrap();
    let second = build::run_cached(&site.request(opts));
    assert!(!second.failed(), "{:?}", second.diags);
    let (clean_report, clean_files) = clean(&site, opts);
    assert_eq!(snapshot(&site.out), clean_files);
    assert_eq!(second.pages, clean_report.pages);
    assert!(clean_files.keys().any(|f| f.starts_with("new/")));
}

/// The tree the publish keeps beside the output holds each unchanged file
/// as the output's very file, and the build cache records which: the next
/// build takes them as they are without looking each up. A file of that
/// tree replaced or removed behind the build's back leaves the output's
/// file with one name fewer, and is noticed: the published site is still
/// the site, not what was put in the kept tree.
#[test]
fn a_kept_file_replaced_behind_the_build_is_not_published() {
    let site = ten_notices();
    let opts = Opts::now(common::NOW);
    let mut tick = 0;
    settle(&site, &mut tick);
    assert!(!build::run_cached(&site.request(opts)).failed());
    let name = site.out.file_name().unwrap().to_string_lossy().into_owned();
    let kept = site.out.with_file_name(format!(".{name}.unionpress-kept"));
    // Two edits: the first leaves a kept tree, the second reuses it.
    for (n, body) in [(3, "第一次改"), (4, "第二次改")] {
        settle(&site, &mut tick);
        let front = format!("title: 通知{n}\ndate: 2026-02-0{}", n + 1);
        site.page(&format!("notices/n{n}.md"), &front, body);
        assert!(!build::run_cached(&site.request(opts)).failed());
        assert!(kept.is_dir(), "no kept tree after editing n{n}");
        assert_eq!(snapshot(&site.out), clean(&site, opts).1);
    }
    // Replaced (another file at the same place), and removed.
    let replaced = kept.join("notices/n7/index.html");
    std::fs::remove_file(&replaced).unwrap();
    std::fs::write(&replaced, "不是网站的文件").unwrap();
    std::fs::remove_file(kept.join("notices/n8/index.html")).unwrap();
    settle(&site, &mut tick);
    site.page(
        "notices/n5.md",
        "title: 通知5\ndate: 2026-02-06",
        "第三次改",
    );
    let third = build::run_cached(&site.request(opts));
    assert!(!third.failed(), "{:?}", third.diags);
    assert_eq!(snapshot(&site.out), clean(&site, opts).1);
    let page = std::fs::read_to_string(site.out.join("notices/n7/index.html")).unwrap();
    assert!(page.contains("通知7"), "{page}");
}
