//! 404.html finds the site's root wherever a server answers with it: the
//! values its script reads, and the <base> that stands in without script.
//! (Served nginx-like in Chromium: tests/browser/notfound.test.js.)

mod common;

use common::{SITE_YAML, Site};

#[test]
fn the_script_knows_the_top_folders_and_base_urls_path() {
    let site = Site::new();
    site.file(
        "site.yaml",
        format!("{SITE_YAML}base_url: http://gh.example.cn/union\ncontact:\n  hotline: \"8600\"\n"),
    );
    site.page("notices/a.md", "title: 通知\ndate: 2026-01-05", "正文。");
    site.page("about.md", "title: 关于我们\ndate: 2026-01-05", "正文。");
    let b = site.build().ok();
    let html = b.html("404.html");
    assert!(html.contains("<base href=\"/union/\">"), "{html}");
    assert!(html.contains("var basePath = \"/union/\";"), "{html}");
    let dirs = html
        .split("var dirs = ")
        .nth(1)
        .unwrap()
        .split(';')
        .next()
        .unwrap();
    for dir in [
        "\"about\"",
        "\"notices\"",
        "\"tags\"",
        "\"search\"",
        "\"departments\"",
        "\"downloads\"",
        // Written because `contact:` names a way to reach the union.
        "\"contact\"",
    ] {
        assert!(dirs.contains(dir), "{dir} in {dirs}");
    }
    // The stylesheet comes after the <base>: from a script, or <noscript>.
    let base = html.find("<base").unwrap();
    let sheet = html
        .find("<noscript><link rel=\"stylesheet\" href=\"style.css\"></noscript>")
        .unwrap();
    assert!(base < sheet);
    assert!(
        !html[..sheet].contains("<link rel=\"stylesheet\""),
        "no stylesheet link before the script sets <base>"
    );
}

#[test]
fn without_base_url_there_is_no_base_element() {
    let site = Site::new();
    site.page("notices/a.md", "title: 通知\ndate: 2026-01-05", "正文。");
    let b = site.build().ok();
    let html = b.html("404.html");
    assert!(!html.contains("<base "), "{html}");
    assert!(html.contains("var basePath = null;"));
    // Every other page links its stylesheet as before.
    let notice = b.html("notices/a/index.html");
    assert!(notice.contains("<link rel=\"stylesheet\" href=\"../../style.css\">"));
    assert!(notice.contains("<link rel=\"stylesheet\" href=\"../../print.css\" media=\"print\">"));
}
