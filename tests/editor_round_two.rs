//! Issue 9, "every message right the first time": the mistakes that got a
//! wrong or silent answer. Each test follows the hint as a clerk would
//! (types the corrected line it shows into the file) and checks that the
//! file then builds and means what was meant.

mod editor_support;

use editor_support::{TestSite, codes, rendered};
use unionpress::build::Report;
use unionpress::i18n::Lang;

const NOTICE: &str = "content/notices/test.md";

/// The hints of one file's diagnostics, in Chinese.
fn hints(report: &Report, file: &str) -> Vec<String> {
    report
        .diags
        .iter()
        .filter(|d| d.span.as_ref().is_some_and(|s| &*s.file == file))
        .filter_map(|d| d.msg.hint(Lang::Zh))
        .collect()
}

/// The corrected line a hint shows after `写成：` (up to the line's end).
fn shown_line(hint: &str) -> String {
    let at = hint
        .find("写成：")
        .expect("the hint shows the corrected line")
        + "写成：".len();
    hint[at..].lines().next().unwrap().to_string()
}

/// The file with its 1-based line `n` replaced.
fn with_line(text: &str, n: usize, line: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == n { line } else { l })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn line_of(report: &Report, file: &str, code: &str) -> usize {
    report
        .diags
        .iter()
        .find(|d| d.msg.code() == code && d.span.as_ref().is_some_and(|s| &*s.file == file))
        .and_then(|d| d.span.as_ref())
        .map(|s| s.line)
        .unwrap_or_else(|| panic!("no {code} in {file}"))
}

#[test]
fn a_second_colon_in_an_attachment_title_is_named_and_the_quoted_line_fixes_it() {
    let site = TestSite::new();
    let file = "content/notices/test/index.md";
    let text = "---\ntitle: 通知\ndate: 2025-03-05\nattachments:\n  - file: 议程.pdf\n    title: 附件1: 会议议程\n---\n见附件。\n";
    site.write(file, text);
    site.write("content/notices/test/议程.pdf", b"%PDF-1.4");
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, file), ["yaml-colon-in-value"]);
    let rendered = rendered(&report, Lang::Zh, file);
    assert!(!rendered.contains("删除行首的空格"), "{rendered}");
    let hint = &hints(&report, file)[0];
    let fixed = shown_line(hint);
    assert_eq!(fixed, "    title: \"附件1: 会议议程\"");
    site.write(file, with_line(text, 6, &fixed));
    let report = site.check(Lang::Zh);
    assert!(codes(&report, file).is_empty(), "{:?}", report.diags);
    assert!(!site.build().failed());
    let html = site.read("public/notices/test/index.html");
    assert!(
        html.contains("附件1: 会议议程"),
        "the title is what was meant"
    );
}

#[test]
fn a_second_colon_in_site_yaml_contact_is_named_and_fixed_by_the_hint() {
    let site = TestSite::new();
    let yaml = site.read("site.yaml").replace(
        "  hotline: 12351（全国总工会职工服务热线）",
        "  hotline: 8600 (内线): 工作日",
    );
    site.write("site.yaml", &yaml);
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, "site.yaml"), ["yaml-colon-in-value"]);
    let n = line_of(&report, "site.yaml", "yaml-colon-in-value");
    let fixed = shown_line(&hints(&report, "site.yaml")[0]);
    assert_eq!(fixed, "  hotline: \"8600 (内线): 工作日\"");
    site.write("site.yaml", with_line(&yaml, n, &fixed));
    assert!(!site.build().failed());
    assert!(
        site.read("public/index.html")
            .contains("8600 (内线): 工作日")
    );
}

#[test]
fn a_key_indented_under_a_value_is_still_named_as_indentation() {
    let site = TestSite::new();
    let text = "---\ntitle: 通知\n  date: 2025-03-05\n---\n正文\n";
    site.write(NOTICE, text);
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, NOTICE), ["yaml-bad-indent"]);
    let fixed = shown_line(&hints(&report, NOTICE)[0]);
    assert_eq!(fixed, "date: 2025-03-05");
    site.write(NOTICE, with_line(text, 3, &fixed));
    assert!(codes(&site.check(Lang::Zh), NOTICE).is_empty());
}

#[test]
fn quotes_inside_a_quoted_title_get_chinese_quotes_in_the_hint() {
    let site = TestSite::new();
    let text = "---\ntitle: \"关于开展\"职工之家\"创建活动的通知\"\ndate: 2025-03-05\n---\n正文\n";
    site.write(NOTICE, text);
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, NOTICE), ["yaml-stray-quote"]);
    let hint = &hints(&report, NOTICE)[0];
    assert!(!hint.contains("It's"), "no English apostrophes: {hint}");
    let fixed = shown_line(hint);
    assert_eq!(fixed, "title: 关于开展“职工之家”创建活动的通知");
    site.write(NOTICE, with_line(text, 2, &fixed));
    assert!(!site.build().failed());
    let html = site.read("public/notices/test/index.html");
    assert!(html.contains("关于开展“职工之家”创建活动的通知"));
    // The other form the hint offers works too, and keeps the ASCII quotes.
    let single = hint.lines().nth(1).unwrap();
    let single = &single[single.find("title:").unwrap()..];
    assert_eq!(single, "title: '关于开展\"职工之家\"创建活动的通知'");
    site.write(NOTICE, with_line(text, 2, single));
    assert!(!site.build().failed());
}

#[test]
fn every_yaml_problem_in_a_file_is_reported_in_one_run() {
    let site = TestSite::new();
    let text = "---\n标题：关于召开职代会的通知\ndate: 2025-03-05\ntags:\n\t- 职代会\nsummary: 会议安排: 第一天\nsource: \"关于\"职工之家\"的说明\"\n---\n正文\n";
    site.write(NOTICE, text);
    let report = site.check(Lang::Zh);
    assert_eq!(
        codes(&report, NOTICE),
        [
            "full-width-colon",
            "yaml-tab",
            "yaml-colon-in-value",
            "yaml-stray-quote"
        ]
    );
}

#[test]
fn a_full_width_comma_inside_brackets_makes_two_tags_and_says_so() {
    let site = TestSite::new();
    site.write(
        NOTICE,
        "---\ntitle: 通知\ndate: 2025-03-05\ntags: [职代会，民主管理、厂务公开]\n---\n正文\n",
    );
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, NOTICE), ["list-item-split"]);
    assert!(!report.failed(), "a warning: the page still builds");
    let text = rendered(&report, Lang::Zh, NOTICE);
    assert!(text.contains("职代会, 民主管理, 厂务公开"), "{text}");
    assert!(text.contains("tags: [职代会, 民主管理]"), "{text}");
    assert!(!site.build().failed());
    let tags = site.read("public/tags/index.html");
    for tag in ["职代会", "民主管理", "厂务公开"] {
        assert!(tags.contains(tag), "{tag} has its own tag page");
    }
    assert!(!tags.contains("职代会，民主管理"));
}

#[test]
fn a_page_with_a_front_matter_error_is_still_a_link_target() {
    let site = TestSite::new();
    site.write(
        "content/notices/broken.md",
        "---\ntitle：坏掉的通知\ndate: 2025-03-05\n---\n正文\n",
    );
    site.write(
        "content/notices/bundle/index.md",
        "---\ntitle: 包\ndate: 2025-03-05\n  kind: notice\n---\n正文\n",
    );
    site.write("content/notices/bundle/议程.pdf", b"%PDF-1.4");
    site.write(
        NOTICE,
        "---\ntitle: 通知\ndate: 2025-03-05\n---\n见[那篇](broken.md)、[包](bundle/index.md)和[议程](bundle/议程.pdf)。\n",
    );
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, NOTICE), Vec::<&str>::new());
    assert_eq!(
        codes(&report, "content/notices/broken.md"),
        ["full-width-colon"]
    );
    assert_eq!(
        codes(&report, "content/notices/bundle/index.md"),
        ["yaml-bad-indent"]
    );
    assert!(report.diags.iter().all(|d| d.msg.code() != "broken-link"));
}

#[test]
fn nesting_that_would_stall_the_parser_is_refused_at_its_line() {
    let site = TestSite::new();
    let deep = format!(
        "---\ntitle: 通知\ndate: 2025-03-05\ntags: {}\n---\n正文\n",
        "[".repeat(200_000)
    );
    site.write(NOTICE, deep);
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, NOTICE), ["yaml-too-deep"]);
    assert_eq!(line_of(&report, NOTICE, "yaml-too-deep"), 4);
    // Nesting a real front matter uses is fine.
    site.write(
        NOTICE,
        "---\ntitle: 通知\ndate: 2025-03-05\nextra_data: {a: [1, {b: [2, 3]}]}\n---\n正文\n",
    );
    assert_eq!(codes(&site.check(Lang::Zh), NOTICE), ["unknown-key"]);
}

#[test]
fn an_impossible_date_says_what_is_impossible() {
    let site = TestSite::new();
    site.write(
        NOTICE,
        "---\ntitle: 通知\ndate: 2026年13月5日\nupdated: 2026-02-30\nexpires: 2026-12-32\n---\n正文\n",
    );
    let report = site.check(Lang::Zh);
    assert_eq!(
        codes(&report, NOTICE),
        ["impossible-date", "impossible-date", "impossible-date"]
    );
    let text = rendered(&report, Lang::Zh, NOTICE);
    assert!(text.contains("没有 13 月"), "{text}");
    assert!(text.contains("2026 年 2 月只有 28 天"), "{text}");
    assert!(text.contains("2026 年 12 月只有 31 天"), "{text}");
    assert!(!text.contains("可用的写法"), "{text}");
    insta::assert_snapshot!("impossible_dates", editor_support::both(&site, NOTICE));
}
