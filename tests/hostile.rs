//! Hostile or careless content: script and document URLs in Markdown and
//! in URL fields, tag and department names no file can hold, attachment
//! names Windows cannot store. Each is reported at its place with a hint,
//! and nothing dangerous reaches the HTML.

mod common;

use common::*;

/// The HTML and diagnostics (as `code line:col`) of a page body.
fn rendered(body: &str) -> (String, Vec<String>) {
    let out = render_body(body);
    let diags = out
        .diags
        .iter()
        .map(|d| {
            let s = d.span.as_ref().unwrap();
            format!("{} {}:{}", d.msg.code(), s.line, s.column)
        })
        .collect();
    (out.html, diags)
}

/// Every attribute value of the tags in some HTML (`x="…"`, `x='…'`,
/// `x=…`); text between tags is not looked at.
fn attribute_values(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in html.split('<').skip(1) {
        let mut rest = tag.split('>').next().unwrap_or("");
        while let Some(i) = rest.find('=') {
            rest = &rest[i + 1..];
            let (quote, body) = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => (Some(q), &rest[1..]),
                _ => (None, rest),
            };
            let end = match quote {
                Some(q) => body.find(q),
                None => body.find([' ', '>']),
            }
            .unwrap_or(body.len());
            out.push(body[..end].to_string());
        }
    }
    out
}

#[test]
fn script_urls_in_markdown_are_errors_at_their_place_and_never_in_the_html() {
    for (body, line_col) in [
        ("[点我](javascript:alert(1))", "1:6"),
        ("第一行\n\n[点我](JavaScript:alert(1))", "3:6"),
        ("[点我](jav&#x61;script:alert(1))", "1:6"),
        ("[点我](javascript&colon;alert(1))", "1:6"),
        ("[点我](<java\tscript:alert(1)>)", "1:7"),
        ("<javascript:alert(1)>", "1:2"),
        ("<VBScript:msgbox(1)>", "1:2"),
        ("![图](data:text/html;base64,PHNjcmlwdD4=)", "1:6"),
        ("[表格][r]\n\n[r]: vbscript:msgbox(1)", "3:6"),
        ("[表格]\n\n[表格]: javascript:void(0)", "3:7"),
        (r#"<a href="jav&#x61;script:alert(1)">点我</a>"#, "1:10"),
        ("段落 <img SRC=javascript:alert(1)> 文字", "1:13"),
        ("<div>\n<a href='data:text/html,x'>x</a>\n</div>", "2:10"),
        ("<div><a\nhref=\"javascript:alert(1)\">x</a>\n</div>", "2:7"),
        // Found by tests/properties.rs: an address on the next line of a
        // block of HTML, and one whose cutting would leave a comment open.
        ("<div>\n<a href=\njavascript:alert(1)>x</a>\n</div>", "3:1"),
        ("[<!--<a href=\"javascript:-->javascript:", "1:15"),
    ] {
        let (html, diags) = rendered(body);
        assert_eq!(diags, [format!("unsafe-url {line_col}")], "{body:?}");
        for value in attribute_values(&html) {
            let v = value.to_ascii_lowercase().replace("&#x61;", "a");
            assert!(
                !["javascript", "vbscript", "data:"]
                    .iter()
                    .any(|b| v.contains(b)),
                "{body:?} gave {html}"
            );
        }
    }
}

#[test]
fn ordinary_and_image_data_urls_stay() {
    let body = "[网站](https://www.acftu.org/) [信](mailto:gh@example.cn) \
                ![图](data:image/png;base64,iVBORw0KGgo=) [文件](javascript.pdf)\n\n\
                <a href=\"https://a.cn/\">外部</a>";
    let (html, diags) = rendered(body);
    assert!(
        diags.iter().all(|d| !d.starts_with("unsafe-url")),
        "{diags:?}"
    );
    assert!(
        html.contains(r#"src="data:image/png;base64,iVBORw0KGgo=""#),
        "{html}"
    );
    assert!(html.contains(r#"href="https://www.acftu.org/""#), "{html}");
    assert!(html.contains(r#"<a href="https://a.cn/">"#), "{html}");
}

#[test]
fn a_whole_build_names_file_line_and_column_with_a_chinese_hint() {
    let site = Site::new();
    site.page(
        "notices/a.md",
        "title: 通知\ndate: 2026-02-01",
        "正文\n\n[报名](javascript:alert('x'))",
    );
    let b = site.build().failed();
    let d = b.diag("unsafe-url", "content/notices/a.md");
    assert_eq!(loc(d), "content/notices/a.md:8:6");
    let text = d.msg.text(unionpress::i18n::Lang::Zh);
    assert!(text.contains("javascript:alert('x')"), "{text}");
    let hint = d.msg.hint(unionpress::i18n::Lang::Zh).unwrap();
    assert!(hint.contains("https://"), "{hint}");
    assert!(hint.contains("删除这个链接"), "{hint}");
    let en = d.msg.text(unionpress::i18n::Lang::En);
    assert!(
        en.starts_with("unsafe address `javascript:alert('x')`"),
        "{en}"
    );
    assert!(!b.path("notices/a/index.html").exists());
}

#[test]
fn url_fields_refuse_script_urls() {
    let site = Site::new();
    site.page(
        "policies/p.md",
        "title: 解读\ndate: 2026-02-01\nsource: 原文\nsource_url: \"  VBScript:msgbox(1)\"",
        "正文",
    );
    site.page(
        "notices/c/index.md",
        "title: 封面\ndate: 2026-02-01\ncover: javascript:alert(1)",
        "正文",
    );
    let b = site.build().failed();
    assert_eq!(
        loc(b.diag("unsafe-url", "content/policies/p.md")),
        "content/policies/p.md:5:13"
    );
    // Not "cover not found": the reason is the address itself.
    assert_eq!(
        loc(b.diag("unsafe-url", "content/notices/c/index.md")),
        "content/notices/c/index.md:4:8"
    );
    assert!(!b.explain().contains("missing-cover"), "{}", b.explain());
}

#[test]
fn menu_urls_in_site_yaml_refuse_script_urls() {
    let site = Site::new();
    site.file(
        "site.yaml",
        format!(
            "{SITE_YAML}menu:\n  - title: 通知\n    url: notices/\n  - title: 坏链接\n    url: \"jav&#x61;script:alert(1)\"\n"
        ),
    );
    let b = site.build().failed();
    assert_eq!(loc(b.diag("unsafe-url", "site.yaml")), "site.yaml:12:11");
}

/// 90 Chinese characters: 270 bytes, more than a file name can hold.
fn long_name(ending: &str) -> String {
    let mut s = "关于进一步加强新时代产业工人队伍建设改革".repeat(4);
    s.push_str("推动全总各级工会组织");
    s.push_str(ending);
    s
}

#[test]
fn long_tag_and_department_names_get_short_stable_distinct_files() {
    let (a, b) = (long_name("甲"), long_name("乙"));
    assert!(a.chars().count() >= 90 && a.len() > 255);
    let site = Site::new();
    site.page(
        "notices/a.md",
        &format!("title: 甲\ndate: 2026-02-01\ntags: [{a}, {b}]\ndepartment: {a}"),
        "正文",
    );
    let first = site.build().ok();
    let tag_pages: Vec<String> = first
        .files()
        .into_iter()
        .filter(|f| f.starts_with("tags/") && f != "tags/index.html")
        .collect();
    assert_eq!(tag_pages.len(), 2, "{tag_pages:?}");
    for f in &tag_pages {
        assert!(
            f.split('/').all(|part| part.len() <= 150),
            "{f} has a part too long"
        );
    }
    // Each tag page is headed by its whole name.
    for name in [&a, &b] {
        let heads = tag_pages
            .iter()
            .filter(|f| first.html(f).contains(&format!("</span> {name}</h1>")))
            .count();
        assert_eq!(heads, 1, "{name} heads {heads} of {tag_pages:?}");
    }
    let departments: Vec<String> = first
        .files()
        .into_iter()
        .filter(|f| f.starts_with("departments/") && f != "departments/index.html")
        .collect();
    assert_eq!(departments.len(), 1, "{departments:?}");
    assert!(first.html(&departments[0]).contains(&a));
    // The same names give the same files next time.
    let again = site.build().ok();
    assert_eq!(first.files(), again.files());
}

#[test]
fn tags_with_nothing_to_name_a_file_are_reported_where_written() {
    let site = Site::new();
    site.page(
        "notices/a.md",
        "title: 甲\ndate: 2026-02-01\ntags: [职代会, \"..\", \"#?\", \"\"]\n发布部门: \".\"",
        "正文",
    );
    let b = site.build().ok();
    let mut found: Vec<String> = b
        .warnings()
        .iter()
        .filter(|d| d.msg.code() == "unusable-name")
        .map(|d| format!("{} {}", loc(d), d.msg.text(unionpress::i18n::Lang::Zh)))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "content/notices/a.md:4:14 tags 里的“..”没有可用作网址的文字（只有标点或点号），这一项被忽略，不会生成列表页",
            "content/notices/a.md:4:20 tags 里的“#?”没有可用作网址的文字（只有标点或点号），这一项被忽略，不会生成列表页",
            "content/notices/a.md:4:7 tags 里有一项是空的，这一项被忽略",
            "content/notices/a.md:5:8 department 里的“.”没有可用作网址的文字（只有标点或点号），这一项被忽略，不会生成列表页",
        ],
        "{}",
        b.explain()
    );
    assert!(b.has("tags/职代会/index.html"));
}

#[test]
fn attachment_names_windows_cannot_store_are_reported_with_the_rename() {
    let site = Site::new();
    site.page(
        "notices/tz/index.md",
        "title: 附件\ndate: 2026-02-01",
        "正文",
    );
    for name in [
        "CON.pdf",
        "aux.docx",
        "报名表?.xlsx",
        "名单\n.xlsx",
        "议程.pdf.",
        "好的.pdf",
    ] {
        site.file(&format!("content/notices/tz/{name}"), "x");
    }
    let b = site.build().ok();
    let mut found: Vec<String> = b
        .warnings()
        .iter()
        .filter(|d| d.msg.code() == "windows-file-name")
        .map(|d| d.msg.hint(unionpress::i18n::Lang::Zh).unwrap())
        .collect();
    found.sort();
    let want = [
        "CON_.pdf",
        "aux_.docx",
        "报名表_.xlsx",
        "名单_.xlsx",
        "议程.pdf",
    ];
    assert_eq!(found.len(), want.len(), "{}", b.explain());
    for w in want {
        assert!(
            found
                .iter()
                .any(|h| h.contains(&format!("content/notices/tz/{w}"))),
            "no rename to {w}: {found:?}"
        );
    }
}

#[test]
fn an_empty_item_in_a_written_out_tag_list_is_reported_an_empty_list_is_not() {
    let site = Site::new();
    site.page(
        "notices/a.md",
        "title: 甲\ndate: 2026-02-01\ntags: 职代会,,福利",
        "正文",
    );
    site.page(
        "notices/b.md",
        "title: 乙\ndate: 2026-02-01\ntags: \"\"",
        "正文",
    );
    site.page(
        "notices/c.md",
        "title: 丙\ndate: 2026-02-01\ntags: 职代会，",
        "正文",
    );
    let b = site.build().ok();
    let found: Vec<String> = b
        .warnings()
        .iter()
        .filter(|d| d.msg.code() == "unusable-name")
        .map(|d| loc(d))
        .collect();
    assert_eq!(found, ["content/notices/a.md:4:7"], "{}", b.explain());
    assert!(b.has("tags/福利/index.html"));
}
