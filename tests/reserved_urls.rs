//! Every URL the build writes itself (the later pages of section, tag,
//! department and download lists, the tag, department, download and search
//! lists, archives, feeds, the sitemap and the 404 page) is claimed like a
//! page's: a page, a section or a file under `content/` that would be
//! written over is the duplicate-URL error naming that file and the URL,
//! the build fails, and the previous site stays as it was.
//!
//! The fixture lists two entries per page (`paginate: 2`), so three notices
//! make `notices/page/2/index.html`.

mod common;

use common::{SITE_YAML, Site};
use unionpress::i18n::Lang;

/// Three notices of 工会办公室, tagged 职代会, each with an attachment: every
/// list (section, tag, department, downloads) has a second page.
fn fixture() -> Site {
    let site = Site::new();
    site.file(
        "site.yaml",
        SITE_YAML.replace("paginate: 20", "paginate: 2"),
    );
    for (slug, day) in [("a", 1), ("b", 2), ("c", 3)] {
        site.page(
            &format!("notices/{slug}/index.md"),
            &format!(
                "title: 第{day}号通知\ndate: 2026-02-{day:02}\ndepartment: 工会办公室\ntags: [职代会]"
            ),
            "正文。",
        )
        .file(&format!("content/notices/{slug}/表{day}.pdf"), "%PDF");
    }
    site
}

/// Builds, expecting exactly one duplicate-URL error, in `file`, saying the
/// build writes `url` itself, with a hint that fits a page (its slug) or a
/// copied file (rename it).
fn assert_clash(site: &Site, file: &str, url: &str) {
    let b = site.build().failed();
    assert_eq!(b.errors().len(), 1, "{}", b.explain());
    let d = b.diag("duplicate-url", file);
    let text = d.msg.text(Lang::Zh);
    assert!(text.contains(url), "{text}");
    assert!(text.contains("unionpress 自动生成"), "{text}");
    assert!(
        d.msg
            .text(Lang::En)
            .contains("written by unionpress itself")
    );
    let hint = d.msg.hint(Lang::Zh).expect("a hint");
    if file.ends_with(".md") {
        assert!(hint.contains("slug"), "{hint}");
    } else {
        assert!(hint.contains("改名") && !hint.contains("slug"), "{hint}");
    }
}

/// A page at `rel` (under `content/`) with `front` takes `url`, which the
/// build writes itself: the clash is the usual duplicate-URL error.
fn page_clashes(rel: &str, front: &str, url: &str) {
    let site = fixture();
    site.page(rel, front, "正文");
    assert_clash(&site, &format!("content/{rel}"), url);
}

#[test]
fn the_fixture_builds_every_list_it_reserves() {
    let site = fixture();
    let b = site.build().ok();
    for url in [
        "notices/page/2/index.html",
        "tags/index.html",
        "tags/职代会/index.html",
        "tags/职代会/page/2/index.html",
        "departments/index.html",
        "departments/工会办公室/index.html",
        "departments/工会办公室/page/2/index.html",
        "downloads/index.html",
        "downloads/page/2/index.html",
        "search/index.html",
        "notices/archive/index.html",
        "notices/archive/2026/index.html",
        "404.html",
    ] {
        assert!(b.has(url), "{url} not built");
    }
}

#[test]
fn a_page_cannot_take_a_section_s_second_list_page() {
    page_clashes(
        "notices/page/2.md",
        "title: 第二页\ndate: 2026-01-01",
        "notices/page/2/index.html",
    );
}

#[test]
fn a_page_may_take_a_list_page_the_section_does_not_have() {
    let site = fixture();
    site.page(
        "notices/page/7.md",
        "title: 第七页\ndate: 2026-01-01",
        "正文",
    );
    let b = site.build().ok();
    assert!(b.html("notices/page/7/index.html").contains("第七页"));
}

#[test]
fn a_slug_cannot_take_a_list_page_either() {
    let site = fixture();
    site.page(
        "notices/page/second.md",
        "title: 第二页\ndate: 2026-01-01\nslug: \"2\"",
        "正文",
    );
    let b = site.build().failed();
    let d = b.diag("duplicate-url", "content/notices/page/second.md");
    // Pointed at the slug line, the one to change.
    assert_eq!(d.span.as_ref().unwrap().line, 4, "{}", b.explain());
}

#[test]
fn a_page_cannot_take_the_tag_index() {
    page_clashes(
        "tags.md",
        "title: 标签\ndate: 2026-01-01",
        "tags/index.html",
    );
}

#[test]
fn a_page_cannot_take_a_tag_list() {
    page_clashes(
        "tags/职代会.md",
        "title: 职代会\ndate: 2026-01-01",
        "tags/职代会/index.html",
    );
}

#[test]
fn a_page_cannot_take_a_tag_list_s_second_page() {
    page_clashes(
        "tags/职代会/page/2.md",
        "title: 职代会\ndate: 2026-01-01",
        "tags/职代会/page/2/index.html",
    );
}

#[test]
fn a_page_cannot_take_the_department_index() {
    page_clashes(
        "departments.md",
        "title: 部门\ndate: 2026-01-01",
        "departments/index.html",
    );
}

#[test]
fn a_page_cannot_take_a_department_list() {
    // The list is left out and the page holding its URL is told.
    page_clashes(
        "departments/工会办公室.md",
        "title: 工会办公室\ndate: 2026-01-01",
        "departments/工会办公室/index.html",
    );
}

#[test]
fn a_page_cannot_take_a_department_list_s_second_page() {
    page_clashes(
        "departments/工会办公室/page/2.md",
        "title: 第二页\ndate: 2026-01-01",
        "departments/工会办公室/page/2/index.html",
    );
}

#[test]
fn a_page_cannot_take_the_download_centre() {
    page_clashes(
        "downloads.md",
        "title: 下载\ndate: 2026-01-01",
        "downloads/index.html",
    );
}

#[test]
fn a_page_cannot_take_the_download_centre_s_second_page() {
    page_clashes(
        "downloads/page/2.md",
        "title: 下载\ndate: 2026-01-01",
        "downloads/page/2/index.html",
    );
}

#[test]
fn a_page_cannot_take_the_search_page() {
    page_clashes(
        "search.md",
        "title: 搜索\ndate: 2026-01-01",
        "search/index.html",
    );
}

#[test]
fn a_section_cannot_take_the_search_page() {
    let site = fixture();
    site.file("content/search/_index.md", "---\ntitle: 搜索\n---\n");
    assert_clash(&site, "content/search/_index.md", "search/index.html");
}

#[test]
fn a_page_cannot_take_an_archive_or_an_archive_year() {
    page_clashes(
        "notices/archive.md",
        "title: 归档\ndate: 2026-01-01",
        "notices/archive/index.html",
    );

    page_clashes(
        "notices/archive/2026.md",
        "title: 归档\ndate: 2026-01-01",
        "notices/archive/2026/index.html",
    );
}

#[test]
fn a_file_under_content_cannot_take_the_404_page() {
    let site = fixture();
    site.file("content/404.html", "<h1>自己写的 404</h1>");
    assert_clash(&site, "content/404.html", "404.html");
}

#[test]
fn a_file_under_content_cannot_take_a_feed_or_the_sitemap() {
    for (file, url) in [
        ("content/atom.xml", "atom.xml"),
        ("content/notices/atom.xml", "notices/atom.xml"),
        ("content/sitemap.xml", "sitemap.xml"),
    ] {
        let site = fixture();
        site.file(
            "site.yaml",
            format!(
                "{}base_url: http://gh.example.cn/union/\n",
                SITE_YAML.replace("paginate: 20", "paginate: 2")
            ),
        )
        .file(file, "<xml/>");
        assert_clash(&site, file, url);
    }
    // Without base_url no feed is written, and the file is the site's own.
    let site = fixture();
    site.file("content/sitemap.xml", "<urlset/>");
    let b = site.build().ok();
    assert_eq!(b.html("sitemap.xml"), "<urlset/>");
}

#[test]
fn a_file_under_content_cannot_take_a_page_s_url() {
    let site = fixture();
    site.file("content/notices/a/index.html", "<h1>旧版</h1>");
    let b = site.build().failed();
    let d = b.diag("duplicate-url", "content/notices/a/index.html");
    let text = d.msg.text(Lang::Zh);
    assert!(text.contains("content/notices/a/index.md"), "{text}");
}

#[test]
fn a_clash_fails_the_build_and_leaves_the_previous_site_as_it_was() {
    let site = fixture();
    let before = site.build().ok();
    let list = before.html("notices/page/2/index.html");
    site.page(
        "notices/page/2.md",
        "title: 第二页的说明\ndate: 2026-01-01",
        "正文",
    );
    let out = site.cli(&["--now", "2026-03-01"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("content/notices/page/2.md"), "{stderr}");
    assert!(stderr.contains("notices/page/2/index.html"), "{stderr}");
    assert_eq!(before.html("notices/page/2/index.html"), list);
}

#[test]
fn a_section_s_own_paginate_decides_which_list_pages_it_has() {
    // The site lists two a page, but notices lists five: three notices make
    // one list page, so page/2 is free.
    let site = fixture();
    site.file(
        "content/notices/_index.md",
        "---\ntitle: 通知公告\nkind: notice\npaginate: 5\n---\n",
    );
    site.page(
        "notices/page/2.md",
        "title: 第二页的说明\ndate: 2026-01-01",
        "正文",
    );
    let b = site.build().ok();
    assert!(b.html("notices/page/2/index.html").contains("第二页的说明"));
    assert!(!b.has("notices/page/3/index.html"));
}

#[test]
fn a_section_without_pages_has_no_feed_to_reserve() {
    // With base_url every section with dated pages gets notices/atom.xml;
    // policies has no pages, so a file of that name is the site's own.
    let site = fixture();
    site.file(
        "site.yaml",
        format!(
            "{}base_url: http://gh.example.cn/union/\n",
            SITE_YAML.replace("paginate: 20", "paginate: 2")
        ),
    )
    .file("content/policies/atom.xml", "<feed/>");
    let b = site.build().ok();
    assert_eq!(b.html("policies/atom.xml"), "<feed/>");
    assert!(b.html("notices/atom.xml").contains("<feed xmlns"));
}

#[test]
fn a_page_cannot_take_the_contact_page() {
    let site = fixture();
    site.file(
        "site.yaml",
        format!(
            "{}contact:\n  hotline: 8600\n",
            SITE_YAML.replace("paginate: 20", "paginate: 2")
        ),
    );
    assert!(site.build().ok().has("contact/index.html"));
    site.page("contact.md", "title: 联系我们\ndate: 2026-01-01", "正文");
    assert_clash(&site, "content/contact.md", "contact/index.html");
}

#[test]
fn without_a_contact_channel_the_contact_address_is_the_sites_own() {
    // No `contact:` in site.yaml: the build writes no contact page, so a
    // page of the site's own may live there.
    let site = fixture();
    site.page("contact.md", "title: 联系我们\ndate: 2026-01-01", "正文");
    let b = site.build().ok();
    assert!(b.has("contact/index.html"));
    assert!(b.html("contact/index.html").contains("联系我们"));
}
