//! Hostile or careless content: script and document URLs in Markdown and
//! in URL fields, tag and department names no file can hold, attachment
//! names Windows cannot store. Each is reported at its place with a hint,
//! and nothing dangerous reaches the HTML.

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use common::*;
use unionpress::render::markdown::{Origin, render};
use unionpress::source::SourceFile;

/// The HTML and diagnostics (as `code line:col`) of a page body.
fn rendered(body: &str) -> (String, Vec<String>) {
    let file = SourceFile::from_text(
        "a.md".into(),
        Arc::from("content/notices/a.md"),
        body.into(),
    );
    let origin = Origin {
        file: &file,
        body: 0..body.len(),
        dir: "notices",
        url: "notices/a/index.html",
    };
    let out = render(&origin, &HashMap::new());
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

/// Every attribute value in some HTML (`x="…"`, `x='…'`, `x=…`).
fn attribute_values(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
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
