//! Follows every link of the bundled example site (the repository root is
//! its root) the way a browser does from the files on disk, with the output
//! at the top of a folder and again copied under a sub-folder: every
//! relative URL must name a file of the site, every `#fragment` an `id` on
//! its page, and nothing the browser loads by itself may come from outside.

mod common;

use std::path::Path;

use common::*;
use unionpress::build::{self, Request};
use unionpress::site::Options;

/// The clock the example site is written for.
const EXAMPLE_NOW: &str = "2026-11-21";

fn build_example(out: &Path) {
    let report = build::run(&Request {
        root: REPO.into(),
        output: Some(out.to_path_buf()),
        options: Options {
            drafts: false,
            future: false,
            now: at(EXAMPLE_NOW),
        },
        lang: None,
    });
    let b = Build {
        report,
        out: out.to_path_buf(),
    };
    let b = b.ok();
    assert!(b.report.pages >= 15, "the example has about twenty pages");
}

/// The search form is checked by its own test below.
fn is_search_form(p: &Problem) -> bool {
    p.tag == "form" && p.attr == "action"
}

fn assert_crawls_clean(out: &Path) {
    let problems: Vec<String> = crawl(out)
        .into_iter()
        .filter(|p| !is_search_form(p))
        .map(|p| p.to_string())
        .collect();
    assert!(
        problems.is_empty(),
        "{} broken links:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_link_of_the_example_site_resolves_at_the_root_and_under_a_sub_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_example(&out);

    // Enough was crawled for a clean result to mean something.
    let files = snapshot(&out);
    let htmls: Vec<&String> = files.keys().filter(|f| f.ends_with(".html")).collect();
    let link_count: usize = htmls
        .iter()
        .map(|f| links(&String::from_utf8_lossy(&files[*f])).len())
        .sum();
    assert!(htmls.len() >= 40, "{} html files", htmls.len());
    assert!(link_count >= 1000, "{link_count} links");
    for must in [
        "index.html",
        "404.html",
        "notices/index.html",
        "notices/workers-congress-2026/index.html",
        "notices/workers-congress-2026/会议议程.pdf",
        "events/sports-meet-2026/cover.jpg",
        "tags/index.html",
    ] {
        assert!(files.contains_key(must), "{must} missing");
    }
    assert_crawls_clean(&out);

    // The same files, one folder down, as on an intranet server under /union/.
    let sub = tmp.path().join("tmp/union");
    copy_dir(&out, &sub);
    assert_crawls_clean(&sub);
    for html in htmls {
        let text = String::from_utf8_lossy(&files[html]);
        for l in links(&text) {
            if !is_external(&l.value) {
                let target = resolve(html, &l.value);
                assert!(target.is_some(), "{html}: {l:?} leaves the site folder");
            }
        }
    }
}

#[test]
fn external_urls_appear_only_as_links_the_reader_follows() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_example(&out);
    let mut external = Vec::new();
    for (file, bytes) in snapshot(&out) {
        if !file.ends_with(".html") {
            continue;
        }
        for l in links(&String::from_utf8_lossy(&bytes)) {
            if is_external(&l.value) {
                assert!(
                    l.tag == "a" && l.attr == "href",
                    "{file}: {l:?} makes the browser leave the site"
                );
                external.push(l.value);
            }
        }
    }
    // The example links the ACFTU site in its menu and mails the union office.
    assert!(external.iter().any(|u| u.starts_with("https://")));
    assert!(external.iter().any(|u| u.starts_with("mailto:")));
}

#[test]
fn the_search_form_points_at_an_existing_search_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_example(&out);
    let forms: Vec<Problem> = crawl(&out).into_iter().filter(is_search_form).collect();
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    let action = links(&home)
        .into_iter()
        .find(|l| l.tag == "form" && l.attr == "action")
        .expect("the header has a search form");
    assert_eq!(action.value, "search/index.html");
    assert!(
        forms.is_empty(),
        "search/index.html is not built yet ({} pages point at it), e.g. {}",
        forms.len(),
        forms[0]
    );
}

/// The crawler is the test: make sure it catches what it should.
#[test]
fn the_crawler_catches_broken_absolute_folder_and_external_links() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let write = |rel: &str, text: &str| {
        let p = out.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "a/index.html",
        "<!-- <a href=\"commented-out.html\"> -->\
         <link rel=\"stylesheet\" href=\"../style.css\">\
         <h2 id=\"一时间\">一、时间</h2>\
         <a href=\"../b/index.html\">ok</a>\
         <a href=\"#一时间\">ok</a>\
         <a href=\"%E8%AE%AE%E7%A8%8B.pdf?v=1#page=2\">ok</a>\
         <a href=\"https://www.acftu.org/\">ok</a>\
         <a href=\"/b/index.html\">absolute</a>\
         <a href=\"../../outside.html\">above the root</a>\
         <a href=\"../b/\">folder</a>\
         <a href=\"../b/missing.html\">missing</a>\
         <a href=\"../b/index.html#nowhere\">no such id</a>\
         <img src=\"https://cdn.example.com/x.png\">\
         <link rel=\"stylesheet\" href=\"//fonts.example.com/css\">\
         <link rel=\"canonical\" href=\"https://gh.example.cn/a/index.html\">\
         <script>var s = '<img src=\"/in-a-script.png\">';</script>",
    );
    write("a/议程.pdf", "%PDF");
    write("b/index.html", "<h1 id=\"top\">b</h1>");
    write(
        "style.css",
        "@import \"x.css\";\nbody{background:url(http://x.cn/bg.png)}\n.a{background:url('img/ok.png')}",
    );
    write("img/ok.png", "png");
    let problems = crawl(out);
    let mut found: Vec<(String, String)> = problems
        .iter()
        .map(|p| (p.file.clone(), p.value.clone()))
        .collect();
    found.sort();
    let expected = [
        ("a/index.html", "../../outside.html"),
        ("a/index.html", "../b/"),
        ("a/index.html", "../b/index.html#nowhere"),
        ("a/index.html", "../b/missing.html"),
        ("a/index.html", "/b/index.html"),
        ("a/index.html", "//fonts.example.com/css"),
        ("a/index.html", "https://cdn.example.com/x.png"),
        ("style.css", ""),
        ("style.css", "http://x.cn/bg.png"),
    ];
    let mut expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    expected.sort();
    assert_eq!(
        found,
        expected,
        "{}",
        problems
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
