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
    // The footer links the number (`tel:`), so read the text without tags.
    let home = site.read("public/index.html");
    let mut text = String::new();
    let mut in_tag = false;
    for c in home.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    assert!(text.contains("8600 (内线): 工作日"), "{text}");
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
    assert!(
        text.contains("已拆成 3 项：职代会、民主管理、厂务公开"),
        "{text}"
    );
    let fixed = shown_line(&hints(&report, NOTICE)[0]);
    assert_eq!(fixed, "tags: [职代会, 民主管理, 厂务公开]");
    site.write(
        NOTICE,
        format!("---\ntitle: 通知\ndate: 2025-03-05\n{fixed}\n---\n正文\n"),
    );
    assert!(
        site.check(Lang::Zh).diags.is_empty(),
        "the hint's line is clean"
    );
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

#[test]
fn spaces_in_a_link_target_are_named_and_the_angle_bracket_form_works() {
    let site = TestSite::new();
    let file = "content/notices/test/index.md";
    let text = "---\ntitle: 通知\ndate: 2025-03-05\n---\n请查看[名单](慰问 名单 (2).pdf)。\n";
    site.write(file, text);
    site.write("content/notices/test/慰问 名单 (2).pdf", b"%PDF-1.4");
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, file), ["link-with-spaces"]);
    let fixed = shown_line(&hints(&report, file)[0]);
    assert_eq!(fixed, "[名单](<慰问 名单 (2).pdf>)");
    site.write(file, text.replace("[名单](慰问 名单 (2).pdf)", &fixed));
    let report = site.check(Lang::Zh);
    assert!(report.diags.is_empty(), "{:?}", report.diags);
    assert!(!site.build().failed());
    let html = site.read("public/notices/test/index.html");
    assert!(
        html.contains("%E6%85%B0%E9%97%AE%20%E5%90%8D%E5%8D%95%20(2).pdf")
            || html.contains("慰问 名单 (2).pdf\""),
        "{html}"
    );
    assert!(!html.contains("](慰问"));
}

#[test]
fn a_misspelt_link_target_gets_the_file_it_meant() {
    let site = TestSite::new();
    let file = "content/notices/test/index.md";
    site.write(
        file,
        "---\ntitle: 通知\ndate: 2025-03-05\n---\n见[议程](会议议成.pdf)和[回执](回执.docx)。\n",
    );
    site.write("content/notices/test/会议议程.pdf", b"%PDF-1.4");
    site.write("content/notices/test/回执.docx", b"PK");
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, file), ["broken-link"]);
    let text = rendered(&report, Lang::Zh, file);
    assert!(text.contains("是不是想写 会议议程.pdf？"), "{text}");
}

#[test]
fn a_copied_page_that_kept_the_slug_is_the_one_reported_with_a_free_slug() {
    let site = TestSite::new();
    let original = "content/notices/会议通知.md";
    let copy = "content/notices/会议通知 - 副本.md";
    let text = "---\ntitle: 会议通知\ndate: 2025-03-05\nslug: zhidaihui-2025\n---\n正文\n";
    site.write(original, text);
    site.write(copy, text);
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, original), Vec::<&str>::new());
    assert_eq!(codes(&report, copy), ["duplicate-url"]);
    let d = report
        .diags
        .iter()
        .find(|d| d.msg.code() == "duplicate-url")
        .unwrap();
    assert_eq!(
        d.span.as_ref().unwrap().line,
        4,
        "points at the copy's slug"
    );
    let hint = d.msg.hint(Lang::Zh).unwrap();
    assert!(hint.contains("slug: zhidaihui-2025-2"), "{hint}");
    // Following the hint fixes it.
    site.write(copy, text.replace("zhidaihui-2025", "zhidaihui-2025-2"));
    assert!(!site.build().failed());
}

#[test]
fn an_unknown_site_yaml_key_is_not_said_to_be_kept_in_page_extra() {
    let site = TestSite::new();
    let yaml = site.read("site.yaml") + "\nfooter_text: 版权所有\n";
    site.write("site.yaml", yaml);
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, "site.yaml"), ["unknown-key"]);
    let text = rendered(&report, Lang::Zh, "site.yaml");
    assert!(!text.contains("page.extra"), "{text}");
    assert!(text.contains("已忽略"), "{text}");
}

#[test]
fn a_missing_theme_is_one_error_naming_the_folder_and_the_themes_there_are() {
    let site = TestSite::new();
    let yaml = site
        .read("site.yaml")
        .replace("theme: default", "theme: red");
    site.write("site.yaml", yaml);
    site.write("themes/blue/templates/page.html", "{{ page.title }}");
    let report = site.check(Lang::Zh);
    let errors: Vec<_> = report.diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].msg.code(), "theme-missing");
    let text = errors[0].msg.text(Lang::Zh) + &errors[0].msg.hint(Lang::Zh).unwrap();
    assert!(text.contains("themes/red/"), "{text}");
    assert!(text.contains("可用的主题：blue、default"), "{text}");
}

#[test]
fn a_site_without_a_themes_folder_builds_with_the_built_in_theme() {
    let site = TestSite::new();
    assert!(!site.path("themes").exists());
    let report = site.build();
    assert!(!report.failed(), "{:?}", report.diags);
    assert!(site.read("public/index.html").contains("style.css"));
    assert!(site.path("public/style.css").is_file());
    // The site's own templates/ and static/ still override single files.
    site.write("static/style.css", "/* mine */");
    site.write(
        "templates/partials/breadcrumb.html",
        "<nav class=\"mine\">我的面包屑</nav>",
    );
    assert!(!site.build().failed());
    assert_eq!(site.read("public/style.css"), "/* mine */");
    assert!(
        site.read("public/notices/welcome/index.html")
            .contains("我的面包屑")
    );
}

/// A clerk should not fix and rebuild three times: the fields' own
/// problems are found in the same run as the YAML ones.
#[test]
fn field_problems_are_reported_in_the_same_run_as_yaml_problems() {
    let site = TestSite::new();
    site.write(
        NOTICE,
        "---\ntitle: \"关于开展\"职工之家\"创建活动的通知\"\ndate: 2026-02-30\nsummary: 议程: 见附件\ntags: [职代会，民主管理]\ntitel: x\n---\n正文\n",
    );
    let report = site.check(Lang::Zh);
    assert_eq!(
        codes(&report, NOTICE),
        [
            "yaml-stray-quote",
            "impossible-date",
            "yaml-colon-in-value",
            "list-item-split",
            "unknown-key"
        ]
    );
}

#[test]
fn an_attachment_title_one_space_off_is_lined_up_by_the_hint() {
    let site = TestSite::new();
    let file = "content/notices/test/index.md";
    let text = "---\ntitle: 通知\ndate: 2025-03-05\nattachments:\n  - file: 议程.pdf\n   title: 会议议程\n---\n见附件。\n";
    site.write(file, text);
    site.write("content/notices/test/议程.pdf", b"%PDF-1.4");
    let report = site.check(Lang::Zh);
    assert_eq!(codes(&report, file), ["yaml-bad-indent"]);
    let hint = &hints(&report, file)[0];
    assert!(!hint.contains("顶格"), "{hint}");
    let fixed = shown_line(hint);
    assert_eq!(fixed, "    title: 会议议程");
    site.write(file, with_line(text, 6, &fixed));
    assert!(codes(&site.check(Lang::Zh), file).is_empty());
    assert!(!site.build().failed());
    assert!(
        site.read("public/notices/test/index.html")
            .contains("会议议程")
    );
}

#[test]
fn a_copied_theme_with_an_older_search_script_is_warned_of_and_the_hint_mends_it() {
    let site = TestSite::new();
    unionpress::scaffold::site::eject_theme(site.root()).unwrap();
    let script = site.path("themes/default/static/search.js");
    // The script a copy made before this version's index form would hold.
    let older = std::fs::read_to_string(&script)
        .unwrap()
        .replace(unionpress::search::SCRIPT_FORM, "");
    site.write("themes/default/static/search.js", &older);
    let report = site.build();
    assert!(!report.failed(), "a warning: the site still builds");
    let d = (report.diags.iter())
        .find(|d| d.msg.code() == "stale-search-script")
        .expect("warned");
    let span = d.span.as_ref().unwrap();
    assert_eq!(
        (&*span.file, span.line, span.column),
        ("themes/default/static/search.js", 1, 1)
    );
    let text = d.msg.text(Lang::Zh);
    assert!(text.contains("站内搜索将找不到任何结果"), "{text}");
    let hint = d.msg.hint(Lang::Zh).unwrap();
    assert!(hint.contains("unionpress init --theme"), "{hint}");
    // Following the hint: delete it, copy the theme again (only the
    // missing file is written; a changed template stays as it was).
    site.write("themes/default/templates/page.html", "{{ page.title }}");
    std::fs::remove_file(&script).unwrap();
    unionpress::scaffold::site::eject_theme(site.root()).unwrap();
    assert_eq!(
        site.read("themes/default/templates/page.html"),
        "{{ page.title }}"
    );
    let report = site.build();
    assert!(
        !(report.diags.iter()).any(|d| d.msg.code() == "stale-search-script"),
        "{:?}",
        report.diags
    );
    // The built-in theme is never warned of.
    let plain = TestSite::new();
    assert!(!(plain.build().diags.iter()).any(|d| d.msg.code() == "stale-search-script"));
}
