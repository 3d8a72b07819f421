//! Follows every link of the bundled example site (the repository root is
//! its root) and of a fixture whose pages sit three and four folders deep
//! (`tests/sites/deep`), the way a browser does from the files on disk, and
//! again over HTTP with the site served under `/union/`: every relative URL
//! must name a file of the site, every `#fragment` an `id` on its page, and
//! nothing the browser loads by itself may come from outside.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;

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

/// Serves `out` over HTTP at `http://127.0.0.1:<port>/union/`, as an
/// intranet server does (a folder URL gives its `index.html`; everything
/// outside `/union/` is 404), crawls it from `/union/index.html` following
/// every link and resource, and asserts every request stayed under
/// `/union/` and answered 200 and every `#fragment` names an `id`.
/// Returns the root-relative files reached.
fn assert_http_crawl_clean(out: &Path) -> BTreeSet<String> {
    const BASE: &str = "/union/";
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1:0"));
    let port = server.server_addr().to_ip().expect("an IP address").port();
    let root = out.to_path_buf();
    let serving = {
        let server = server.clone();
        std::thread::spawn(move || {
            for req in server.incoming_requests() {
                let path = decode(req.url().split(['?', '#']).next().unwrap_or(""));
                let file = path.strip_prefix(BASE).and_then(|rel| {
                    let rel = if rel.is_empty() || rel.ends_with('/') {
                        format!("{rel}index.html")
                    } else {
                        rel.to_string()
                    };
                    (!rel.split('/').any(|s| s == "..")).then(|| root.join(rel))
                });
                let resp = match file.and_then(|f| std::fs::read(f).ok()) {
                    Some(bytes) => tiny_http::Response::from_data(bytes),
                    None => tiny_http::Response::from_data(Vec::new()).with_status_code(404),
                };
                let _ = req.respond(resp);
            }
        })
    };

    let get = |path: &str| -> (u16, Vec<u8>) {
        let target = percent_encoding::utf8_percent_encode(path, URL_PATH).to_string();
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        write!(s, "GET {target} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut resp = Vec::new();
        s.read_to_end(&mut resp).unwrap();
        let head_end = resp
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("an HTTP response");
        let head = String::from_utf8_lossy(&resp[..head_end]);
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .expect("a status code");
        (status, resp[head_end + 4..].to_vec())
    };

    let mut problems = Vec::new();
    let mut fetched: BTreeMap<String, Option<Vec<u8>>> = BTreeMap::new();
    let mut queue = vec![format!("{BASE}index.html")];
    while let Some(path) = queue.pop() {
        if fetched.contains_key(&path) {
            continue;
        }
        let (status, body) = get(&path);
        if status != 200 {
            fetched.insert(path, None);
            continue;
        }
        if path.ends_with(".html") {
            for l in links(&String::from_utf8_lossy(&body)) {
                if !is_external(&l.value) && !l.value.starts_with("data:") {
                    queue.push(url_join(&path, &l.value));
                }
            }
        }
        fetched.insert(path, Some(body));
    }
    // Check every link against what the server answered.
    for (path, body) in &fetched {
        let Some(body) = body.as_ref().filter(|_| path.ends_with(".html")) else {
            continue;
        };
        for l in links(&String::from_utf8_lossy(body)) {
            if is_external(&l.value) || l.value.starts_with("data:") {
                continue;
            }
            let target = url_join(path, &l.value);
            let why = match fetched.get(&target) {
                _ if !target.starts_with(BASE) => Some(format!("{target} is outside {BASE}")),
                Some(None) => Some(format!("{target}: HTTP 404")),
                Some(Some(page)) => fragment(&l.value)
                    .filter(|f| {
                        target.ends_with(".html")
                            && !element_ids(&String::from_utf8_lossy(page)).contains(f)
                    })
                    .map(|f| format!("no id=\"{f}\" in {target}")),
                None => Some(format!("{target} never fetched")),
            };
            if let Some(why) = why {
                problems.push(format!(
                    "{path}: <{} {}=\"{}\">: {why}",
                    l.tag, l.attr, l.value
                ));
            }
        }
    }
    server.unblock();
    serving.join().unwrap();
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} broken over HTTP under {BASE}:\n{}",
        problems.len(),
        problems.join("\n")
    );
    fetched
        .into_iter()
        .filter(|(_, b)| b.is_some())
        .filter_map(|(p, _)| p.strip_prefix(BASE).map(str::to_string))
        .collect()
}

/// What a browser escapes in a request path: everything but ASCII
/// letters, digits and `/-._~`.
const URL_PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Resolves `href` against the absolute URL path `from` as a browser does
/// (RFC 3986: `/x` from the server root, `..` never above `/`), without
/// query and fragment, percent-decoded.
fn url_join(from: &str, href: &str) -> String {
    let path = decode(href.split(['#', '?']).next().unwrap_or(""));
    if path.is_empty() {
        return from.to_string();
    }
    let mut parts: Vec<&str> = if path.starts_with('/') {
        vec![""]
    } else {
        let mut p: Vec<&str> = from.split('/').collect();
        p.pop();
        p
    };
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "" if i == 0 => {}
            "." | "" if !last => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[test]
fn urls_join_as_a_browser_joins_them() {
    assert_eq!(
        url_join("/union/a/b/index.html", "../c/index.html"),
        "/union/a/c/index.html"
    );
    assert_eq!(
        url_join("/union/a/index.html", "/b/index.html"),
        "/b/index.html"
    );
    assert_eq!(url_join("/union/index.html", "../../x.html"), "/x.html");
    assert_eq!(
        url_join("/union/a/index.html", "#top"),
        "/union/a/index.html"
    );
    assert_eq!(url_join("/union/a/index.html", "../b/"), "/union/b/");
    assert_eq!(
        url_join("/union/a/index.html", "%E8%AE%AE.pdf?v=1"),
        "/union/a/议.pdf"
    );
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

    // The same files on an intranet server under /union/, crawled from the
    // home page as a reader clicks: every HTML file is reached and every
    // URL answers 200 under /union/.
    let reached = assert_http_crawl_clean(&out);
    let unreached: Vec<&&String> = htmls
        .iter()
        .filter(|f| f.as_str() != "404.html" && !reached.contains(f.as_str()))
        .collect();
    assert!(unreached.is_empty(), "no link leads to {unreached:?}");
}

#[test]
fn pages_three_and_four_folders_deep_link_to_each_other_and_back_to_the_root() {
    let site = Site::fixture("deep");
    let b = site.build_at("2026-11-21").ok();
    // The links under test are there as written, so a clean crawl means they
    // resolve (a `../` too few or too many names a file that does not exist).
    for (page, hrefs) in [
        (
            "notices/2026/a/index.html",
            &["../../b/index.html", "../11/c/index.html"][..],
        ),
        (
            "notices/2026/11/c/index.html",
            &[
                "../../a/index.html",
                "../../../b/index.html",
                "../../../../services/legal/index.html",
                "../../../../files/%E6%8A%A5%E5%90%8D%E8%A1%A8.pdf",
                "../../../../style.css",
                "../../../../index.html",
            ][..],
        ),
        (
            "notices/2026/11/congress/index.html",
            &[
                "%E8%AE%AE%E7%A8%8B.pdf",
                "../c/index.html",
                "../../../b/index.html",
            ][..],
        ),
        ("notices/b/index.html", &["../2026/11/c/index.html"][..]),
        (
            "services/legal/index.html",
            &["../../notices/2026/11/c/index.html"][..],
        ),
    ] {
        let html = b.html(page);
        let found: Vec<String> = links(&html).into_iter().map(|l| l.value).collect();
        for href in hrefs {
            assert!(
                found.iter().any(|f| f == href),
                "{page}: no {href} in {found:?}"
            );
        }
    }
    assert_crawls_clean(&site.out);
    let reached = assert_http_crawl_clean(&site.out);
    for deep in [
        "notices/2026/a/index.html",
        "notices/2026/11/c/index.html",
        "notices/2026/11/congress/index.html",
        "notices/2026/11/congress/议程.pdf",
        "files/报名表.pdf",
    ] {
        assert!(reached.contains(deep), "{deep} not reached over HTTP");
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
