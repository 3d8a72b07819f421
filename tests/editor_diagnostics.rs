//! What an editor reads when a file is wrong: one snapshot per kind of
//! problem, in Chinese and in English, rendered as the terminal shows it.
//! Each test also asserts the behaviour itself (the code, the place), so a
//! snapshot accepted by mistake cannot hide a regression.

mod editor_support;

use editor_support::{TestSite, both, codes, rendered};
use unionpress::i18n::Lang;

/// A real 4 × 4 JPEG: photos are decoded now, so fixtures need real ones.
const TINY_JPEG: &[u8] = include_bytes!("common/tiny.jpg");

const NOTICE: &str = "content/notices/test.md";

fn notice(site: &TestSite, text: impl AsRef<[u8]>) {
    site.write(NOTICE, text);
}

#[test]
fn misspelt_keys_get_the_closest_key_in_the_same_language() {
    let site = TestSite::new();
    notice(
        &site,
        "---\ntitel: 关于召开职代会的通知\ndate: 2025-03-05\ntag: [职代会]\n标提: 另一个标题\n---\n正文\n",
    );
    let report = site.check(Lang::Zh);
    assert_eq!(
        codes(&report, NOTICE),
        ["missing-field", "unknown-key", "unknown-key", "unknown-key"]
    );
    let text = rendered(&report, Lang::Zh, NOTICE);
    for hint in ["`title`", "`tags`", "`标题`"] {
        assert!(text.contains(&format!("是不是想写 {hint}")), "{text}");
    }
    insta::assert_snapshot!("misspelt_keys", both(&site, NOTICE));
}

#[test]
fn a_date_in_the_wrong_format_gets_examples_of_the_right_ones() {
    let site = TestSite::new();
    notice(&site, "---\ntitle: 通知\ndate: 03/05/2025\n---\n正文\n");
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, NOTICE), ["bad-date"]);
    let d = &report
        .diags
        .iter()
        .find(|d| d.msg.code() == "bad-date")
        .unwrap();
    let span = d.span.as_ref().unwrap();
    assert_eq!((span.line, span.column), (3, 7));
    insta::assert_snapshot!("bad_date", both(&site, NOTICE));
}

#[test]
fn an_unknown_kind_lists_the_valid_ones() {
    let site = TestSite::new();
    site.write(
        "content/news/_index.md",
        "---\ntitle: 新闻\nkind: news\n---\n",
    );
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, "content/news/_index.md"), ["unknown-kind"]);
    let text = rendered(&report, Lang::Zh, "content/news/_index.md");
    assert!(text.contains("notice（通知公告）"), "{text}");
    insta::assert_snapshot!("unknown_kind", both(&site, "content/news/_index.md"));
}

#[test]
fn the_same_key_twice_is_an_error_in_either_spelling() {
    let site = TestSite::new();
    notice(
        &site,
        "---\ntitle: 通知\n标题: 通知二\ndate: 2025-03-05\ndate: 2025-03-06\n---\n正文\n",
    );
    let report = site.check(Lang::Zh);
    // Both repeats in one run: the alias (line 3) and the same key (line 5).
    assert_eq!(codes(&report, NOTICE), ["duplicate-key", "duplicate-key"]);
    let lines: Vec<usize> = report
        .diags
        .iter()
        .map(|d| d.span.as_ref().unwrap().line)
        .collect();
    assert_eq!(lines, [3, 5]);
    insta::assert_snapshot!("duplicate_key", both(&site, NOTICE));
}

#[test]
fn a_tab_in_front_matter_is_pointed_at() {
    let site = TestSite::new();
    notice(
        &site,
        "---\ntitle: 通知\ndate: 2025-03-05\ntags:\n\t- 职代会\n---\n正文\n",
    );
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, NOTICE), ["yaml-tab"]);
    let span = report.diags[0].span.as_ref().unwrap();
    assert_eq!((span.line, span.column), (5, 1));
    insta::assert_snapshot!("tab", both(&site, NOTICE));
}

#[test]
fn a_trailing_tab_after_a_value_is_accepted() {
    // What the legacy corpus has: YAML allows it, and nothing is lost.
    let site = TestSite::new();
    notice(
        &site,
        "---\ntitle: \"通知\"\t\ndate: 2025-03-05\n---\n正文\n",
    );
    assert!(codes(&site.check(Lang::Zh), NOTICE).is_empty());
}

#[test]
fn full_width_colons_and_missing_spaces_are_each_pointed_at() {
    let site = TestSite::new();
    notice(
        &site,
        "---\n标题：关于召开职代会的通知\ndate:2025-03-05\n摘要： 会议定于三月召开\n---\n正文\n",
    );
    let report = site.check(Lang::Zh);
    assert_eq!(
        codes(&report, NOTICE),
        [
            "full-width-colon",
            "no-space-after-colon",
            "full-width-colon"
        ]
    );
    let places: Vec<_> = report
        .diags
        .iter()
        .map(|d| d.span.as_ref().map(|s| (s.line, s.column)).unwrap())
        .collect();
    assert_eq!(places, [(2, 3), (3, 5), (4, 3)]);
    insta::assert_snapshot!("full_width_colon", both(&site, NOTICE));
}

#[test]
fn a_missing_closing_fence_says_where_it_belongs() {
    let site = TestSite::new();
    notice(
        &site,
        "---\ntitle: 通知\ndate: 2025-03-05\n\n各分工会：\n\n现将有关事项通知如下。\n",
    );
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, NOTICE), ["unclosed-front-matter"]);
    let span = report.diags[0].span.as_ref().unwrap();
    assert_eq!(span.line, 5);
    insta::assert_snapshot!("unclosed_front_matter", both(&site, NOTICE));
}

/// A `#` comment right under the opening `---` is front matter, not a
/// Markdown heading, with Linux and Windows line ends alike: the end is
/// suggested after the last key, not on line 1.
#[test]
fn a_missing_closing_fence_after_a_leading_comment_says_where_it_belongs() {
    for nl in ["\n", "\r\n"] {
        let site = TestSite::new();
        let text = "---\n# 通知的设置\ntitle: 通知\ndate: 2025-03-05\n\n各分工会：\n";
        notice(&site, text.replace('\n', nl));
        let report = site.check(Lang::Zh);
        assert_eq!(codes(&report, NOTICE), ["unclosed-front-matter"], "{nl:?}");
        let d = &report.diags[0];
        assert_eq!(d.span.as_ref().unwrap().line, 6, "{nl:?}");
        assert!(d.msg.text(Lang::Zh).contains("第 4 行之后"), "{nl:?}");
    }
}

#[test]
fn blank_lines_above_the_fence_are_named() {
    let site = TestSite::new();
    notice(&site, "\n\n---\ntitle: 通知\ndate: 2025-03-05\n---\n正文\n");
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, NOTICE), ["front-matter-not-at-start"]);
    insta::assert_snapshot!("not_at_start", both(&site, NOTICE));
}

#[test]
fn toml_front_matter_with_crlf_points_at_the_fence_only() {
    let site = TestSite::new();
    notice(&site, "+++\r\ntitle = \"通知\"\r\n+++\r\n正文\r\n");
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, NOTICE), ["toml-front-matter"]);
    let span = report.diags[0].span.as_ref().unwrap();
    assert_eq!(span.bytes, 0..3);
    insta::assert_snapshot!("toml", both(&site, NOTICE));
}

#[test]
fn a_file_without_front_matter() {
    let site = TestSite::new();
    notice(&site, "# 关于召开职代会的通知\n\n正文\n");
    assert_eq!(codes(&site.check(Lang::Zh), NOTICE), ["no-front-matter"]);
    insta::assert_snapshot!("no_front_matter", both(&site, NOTICE));
}

#[test]
fn yaml_mistakes_are_named_not_quoted_from_the_parser() {
    let site = TestSite::new();
    notice(
        &site,
        "---\ntitle: 会议安排: 第一天\ndate: 2025-03-05\n---\n正文\n",
    );
    assert_eq!(
        codes(&site.check(Lang::Zh), NOTICE),
        ["yaml-colon-in-value"]
    );
    let colon = both(&site, NOTICE);
    notice(
        &site,
        "---\ntitle: \"关于召开职代会的通知\ndate: 2025-03-05\n---\n正文\n",
    );
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, NOTICE), ["yaml-unclosed-quote"]);
    let span = report.diags[0].span.as_ref().unwrap();
    assert_eq!(
        (span.line, span.column),
        (2, 8),
        "points at the opening quote"
    );
    let quote = both(&site, NOTICE);
    notice(
        &site,
        "---\ntitle: 通知\ntags: [职代会, 民主管理\ndate: 2025-03-05\n---\n正文\n",
    );
    assert_eq!(
        codes(&site.check(Lang::Zh), NOTICE),
        ["yaml-unclosed-bracket"]
    );
    let bracket = both(&site, NOTICE);
    for text in [&colon, &quote, &bracket] {
        assert!(!text.contains("while scanning"), "{text}");
    }
    insta::assert_snapshot!("yaml_colon_in_value", colon);
    insta::assert_snapshot!("yaml_unclosed_quote", quote);
    insta::assert_snapshot!("yaml_unclosed_bracket", bracket);
}

#[test]
fn bom_and_crlf_are_accepted() {
    let site = TestSite::new();
    let text = "\u{feff}---\r\n标题: 关于召开职代会的通知\r\n日期: 2025-03-05\r\n---\r\n正文\r\n";
    notice(&site, text);
    let report = site.check(Lang::Zh);
    assert!(codes(&report, NOTICE).is_empty(), "{:?}", report.diags);
    assert!(!site.build().failed());
    let html = site.read("public/notices/test/index.html");
    assert!(html.contains("关于召开职代会的通知"));
}

fn gbk(text: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(text).0.into_owned()
}

#[test]
fn a_gbk_file_is_read_with_a_warning_and_never_garbled() {
    let site = TestSite::new();
    let text = "---\ntitle: 关于做好春节期间送温暖活动的通知\ndate: 2025-03-05\n---\n各分工会：现将有关事项通知如下。\n";
    notice(&site, gbk(text));
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, NOTICE), ["decoded-encoding"]);
    assert!(!site.build().failed());
    let html = site.read("public/notices/test/index.html");
    assert!(html.contains("关于做好春节期间送温暖活动的通知"));
    assert!(html.contains("各分工会：现将有关事项通知如下。"));
    insta::assert_snapshot!("gbk_decoded", both(&site, NOTICE));
}

#[test]
fn a_file_in_an_encoding_we_cannot_be_sure_of_is_refused() {
    let site = TestSite::new();
    // Latin-1 "café": not UTF-8, and not Chinese either.
    notice(&site, b"---\ntitle: caf\xe9\ndate: 2025-03-05\n---\n\n");
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, NOTICE), ["not-utf8"]);
    let span = report.diags[0].span.as_ref().unwrap();
    assert_eq!((span.line, span.column), (2, 11));
    assert!(site.build().failed());
    insta::assert_snapshot!("not_utf8", both(&site, NOTICE));
}

#[test]
fn broken_links_and_addresses_without_their_scheme() {
    let site = TestSite::new();
    notice(
        &site,
        "---\ntitle: 通知\ndate: 2025-03-05\n---\n详见[议程](议程.pdf)。\n\n投稿请发至[邮箱](gonghui@example.com)。\n",
    );
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, NOTICE), ["broken-link", "link-needs-fix"]);
    let text = rendered(&report, Lang::Zh, NOTICE);
    assert!(text.contains("mailto:gonghui@example.com"), "{text}");
    insta::assert_snapshot!("broken_links", both(&site, NOTICE));
}

#[test]
fn anchors_that_lead_nowhere_and_images_without_alt_text() {
    let site = TestSite::new();
    site.write("content/notices/test/photo.jpg", TINY_JPEG);
    site.write(
        "content/notices/test/index.md",
        "---\ntitle: 通知\ndate: 2025-03-05\n---\n## 一、会议时间\n\n见[会议时间](#一、会议时间)和[年休假](../../policies/annual-leave.md#二没休的年休假怎么补)、[天数](../../policies/annual-leave.md#年休假天数)。\n\n![](photo.jpg)\n",
    );
    let file = "content/notices/test/index.md";
    let report = site.check(Lang::Zh);
    assert_eq!(
        codes(&report, file),
        ["broken-anchor", "broken-anchor", "image-no-alt"]
    );
    let text = rendered(&report, Lang::Zh, file);
    assert!(text.contains("是不是想写 #一会议时间"), "{text}");
    assert!(!report.failed(), "check's own findings are warnings");
    insta::assert_snapshot!("anchors_and_alt", both(&site, file));
}

#[test]
fn lapsed_pins_and_scheduled_pages_are_listed_with_their_dates() {
    let site = TestSite::new();
    notice(
        &site,
        "---\ntitle: 通知\ndate: 2025-03-05\npinned: true\npinned_until: 2025-05-31\n---\n正文\n",
    );
    site.write(
        "content/notices/later.md",
        "---\ntitle: 以后发布的通知\n日期: 2025-07-01 09:00\n---\n正文\n",
    );
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, NOTICE), ["pin-expired"]);
    assert_eq!(codes(&report, "content/notices/later.md"), ["scheduled"]);
    let text = rendered(&report, Lang::Zh, "content/notices/later.md");
    assert!(text.contains("2025-07-01 09:00"), "{text}");
    let both_files = format!(
        "{}\n{}",
        both(&site, NOTICE),
        both(&site, "content/notices/later.md")
    );
    insta::assert_snapshot!("pins_and_schedule", both_files);
}

#[test]
fn unused_large_and_misnamed_files() {
    let site = TestSite::new();
    let yaml = site
        .read("site.yaml")
        .replace("max_attachment_mb: 20", "max_attachment_mb: 1");
    site.write("site.yaml", yaml);
    site.write(
        "content/notices/test/index.md",
        "---\ntitle: 通知\ndate: 2025-03-05\n---\n见[报名表](报名表.docx)。\n",
    );
    site.write("content/notices/test/报名表.docx", vec![0u8; 1536 * 1024]);
    site.write("content/notices/test/unused.jpg", TINY_JPEG);
    site.write(
        "content/notices/second/index.com",
        "---\ntitle: 另一篇通知\ndate: 2025-03-05\n---\n正文\n",
    );
    let report = site.check(Lang::Zh);
    assert_eq!(
        codes(&report, "content/notices/test/报名表.docx"),
        ["large-file"]
    );
    assert_eq!(
        codes(&report, "content/notices/test/unused.jpg"),
        ["unused-file"]
    );
    assert_eq!(
        codes(&report, "content/notices/second/index.com"),
        ["misnamed-markdown"]
    );
    let text = [
        "content/notices/test/报名表.docx",
        "content/notices/test/unused.jpg",
        "content/notices/second/index.com",
    ]
    .map(|f| both(&site, f))
    .join("\n");
    // The hint shows how to use the very file, not an unrelated example.
    assert!(text.contains("![图片说明](unused.jpg)"), "{text}");
    insta::assert_snapshot!("files", text);
}

#[test]
fn a_missing_attachment() {
    let site = TestSite::new();
    notice(
        &site,
        "---\ntitle: 通知\ndate: 2025-03-05\n附件:\n  - file: 议程.pdf\n    title: 会议议程\n---\n正文\n",
    );
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, NOTICE), ["missing-attachment"]);
    let span = report.diags[0].span.as_ref().unwrap();
    assert_eq!((span.line, span.column), (5, 11));
    insta::assert_snapshot!("missing_attachment", both(&site, NOTICE));
}

/// The hint names the folder the file was looked for in: a bundle's, a
/// single-file page's own (never "beside index.md" for a page that has
/// none), a sub-folder's, and says so when `..` climbs out of `content/`.
#[test]
fn a_missing_file_hint_names_the_folder_it_was_looked_for_in() {
    let site = TestSite::new();
    let attach = |file: &str| {
        format!("---\ntitle: 通知\ndate: 2025-03-05\nattachments:\n  - file: {file}\n---\n正文\n")
    };
    let cases = [
        (
            "content/notices/meeting/index.md",
            "议程.pdf",
            "把 议程.pdf 放到 content/notices/meeting/ 文件夹里（页面包，与 index.md 同一个文件夹）",
        ),
        (
            "content/notices/体检.md",
            "安排.xlsx",
            "把 安排.xlsx 放到 content/notices/ 文件夹里（与 体检.md 同一个文件夹）",
        ),
        (
            "content/notices/表格.md",
            "附件/名单.xlsx",
            "把 名单.xlsx 放到 content/notices/附件/ 文件夹里，",
        ),
        (
            "content/notices/远处.md",
            "../../名单.xlsx",
            "文件路径跳出了 content 文件夹；写从 远处.md 所在文件夹出发的相对路径",
        ),
    ];
    for (page, file, _) in cases {
        site.write(page, attach(file));
    }
    let report = site.check(Lang::Zh);
    for (page, file, hint) in cases {
        assert_eq!(codes(&report, page), ["missing-attachment"], "{page}");
        let text = rendered(&report, Lang::Zh, page);
        assert!(
            text.contains(hint),
            "{page} ({file}): hint lacks `{hint}`:\n{text}"
        );
        if !page.ends_with("index.md") {
            assert!(
                !text.contains("index.md"),
                "{page} has no index.md:\n{text}"
            );
        }
    }
    // Put where the hint says, the file is found.
    site.write("content/notices/附件/名单.xlsx", "x");
    site.write("content/notices/安排.xlsx", "x");
    let report = site.check(Lang::Zh);
    assert!(codes(&report, "content/notices/体检.md").is_empty());
    assert!(codes(&report, "content/notices/表格.md").is_empty());
}

#[test]
fn every_problem_in_every_file_in_one_run_sorted_by_file_and_line() {
    let site = TestSite::new();
    site.write(
        "content/notices/b.md",
        "---\ntitle: 通知\ndate: 昨天\nkind: news\n---\n",
    );
    site.write("content/notices/a.md", "---\ntitle：通知\n---\n");
    site.write("content/events/c.md", "no front matter\n");
    let report = site.check(Lang::Zh);
    let places: Vec<(String, usize)> = report
        .diags
        .iter()
        .filter_map(|d| d.span.as_ref())
        .map(|s| (s.file.to_string(), s.line))
        .collect();
    let mut sorted = places.clone();
    sorted.sort();
    assert_eq!(places, sorted);
    let files: Vec<&str> = places.iter().map(|(f, _)| f.as_str()).collect();
    for f in [
        "content/events/c.md",
        "content/notices/a.md",
        "content/notices/b.md",
    ] {
        assert!(files.contains(&f), "{f} missing from {files:?}");
    }
    assert_eq!(
        codes(&report, "content/notices/b.md"),
        ["bad-date", "unknown-kind"]
    );
}

#[test]
fn site_yaml_gets_the_same_care_as_front_matter() {
    let site = TestSite::new();
    let yaml = site
        .read("site.yaml")
        .replace("title: 某某公司工会", "title：某某公司工会")
        .replace("  - title: 首页", "\t- title: 首页");
    site.write("site.yaml", yaml);
    let report = site.check(Lang::Zh);
    assert_eq!(
        codes(&report, "site.yaml"),
        ["full-width-colon", "yaml-tab"]
    );
    assert!(report.failed());
    insta::assert_snapshot!("site_yaml", both(&site, "site.yaml"));
}

/// `check` at 2025-06-01 10:00: a pinned page whose `expires` day is over is
/// told that pinning no longer holds, on its `pinned` line; one expiring
/// today is still valid all day, so it gets nothing.
#[test]
fn a_pinned_page_past_its_expiry_day_is_told_pinning_no_longer_holds() {
    let site = TestSite::new();
    notice(
        &site,
        "---\ntitle: 通知\ndate: 2025-03-05\npinned: true\nexpires: 2025-05-31\n---\n正文\n",
    );
    site.write(
        "content/notices/today.md",
        "---\ntitle: 今天到期的通知\ndate: 2025-03-05\n置顶: 是\n有效期至: 2025-06-01\n---\n正文\n",
    );
    site.write(
        "content/notices/unpinned.md",
        "---\ntitle: 未置顶的过期通知\ndate: 2025-03-05\nexpires: 2025-05-01\n---\n正文\n",
    );
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, NOTICE), ["pinned-but-expired"]);
    assert_eq!(codes(&report, "content/notices/today.md"), [""; 0]);
    assert_eq!(codes(&report, "content/notices/unpinned.md"), [""; 0]);
    let zh = rendered(&report, Lang::Zh, NOTICE);
    assert!(zh.contains("content/notices/test.md:4:1"), "{zh}");
    assert!(
        zh.contains("页面已于 2025-05-31 过了有效期，置顶不再生效"),
        "{zh}"
    );
    assert!(zh.contains("删除 pinned（置顶）一行"), "{zh}");
    let en = rendered(&report, Lang::En, NOTICE);
    assert!(en.contains("the page expired on 2025-05-31"), "{en}");
}
