//! What the print version of a notice is built from: the record's 印发 row
//! (`printed_by`, `printed_on`), the editor's title lines, the attachment
//! note and the QR code. (How it looks on paper is tests/browser/print.test.js.)

mod common;

use common::{Site, element, loc};

const NOTICE: &str = "\
title: 关于召开第五届职工代表大会第三次会议的通知
date: 2026-02-20
doc_number: 测工发〔2026〕5号
cc: 集团公司党委，集团公司行政办公室
signed_on: 2026-02-18
";

/// The text between `open` and the next `close`.
fn inner<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let e = element(html, open, close).unwrap_or_else(|| panic!("no {open} in {html}"));
    &e[open.len()..e.len() - close.len()]
}

fn record(html: &str) -> &str {
    element(html, "<footer class=\"doc-record\">", "</footer>").expect("a record (版记)")
}

#[test]
fn the_record_defaults_to_the_organization_and_the_signing_date() {
    let site = Site::new();
    site.page("notices/a.md", NOTICE, "正文。");
    let b = site.build().ok();
    let html = b.html("notices/a/index.html");
    let rec = record(&html);
    assert!(rec.contains("抄送"), "{rec}");
    // 抄送 bodies are separated by full-width commas, as GB/T 9704 writes them.
    assert!(rec.contains("集团公司党委，集团公司行政办公室"), "{rec}");
    assert!(rec.contains("测试集团有限公司工会委员会"), "{rec}");
    assert!(
        rec.contains("<time datetime=\"2026-02-18\">2026年2月18日</time>印发"),
        "{rec}"
    );
}

#[test]
fn printed_by_and_printed_on_are_read_in_english_and_chinese() {
    let site = Site::new();
    site.page(
        "notices/a.md",
        &format!("{NOTICE}printed_by: 集团工会办公室\nprinted_on: 2026-02-19\n"),
        "正文。",
    );
    site.page(
        "notices/b.md",
        &format!("{NOTICE}印发机关: 集团工会办公室\n印发日期: 2026年2月19日\n"),
        "正文。",
    );
    let b = site.build().ok();
    assert!(b.warnings().is_empty(), "{}", b.explain());
    for url in ["notices/a/index.html", "notices/b/index.html"] {
        let html = b.html(url);
        let rec = record(&html);
        assert!(rec.contains("集团工会办公室"), "{url}: {rec}");
        assert!(
            rec.contains("<time datetime=\"2026-02-19\">2026年2月19日</time>印发"),
            "{url}: {rec}"
        );
    }
}

#[test]
fn title_lines_break_the_title_where_the_editor_wants() {
    let site = Site::new();
    site.page(
        "notices/list.md",
        &format!("{NOTICE}title_lines: [关于召开第五届, 职工代表大会第三次会议的通知]\n"),
        "正文。",
    );
    site.page(
        "notices/bar.md",
        &format!("{NOTICE}标题分行: 关于召开第五届｜职工代表大会第三次会议的通知\n"),
        "正文。",
    );
    let b = site.build().ok();
    assert!(b.warnings().is_empty(), "{}", b.explain());
    for url in ["notices/list/index.html", "notices/bar/index.html"] {
        let html = b.html(url);
        let h1 = inner(&html, "<h1 class=\"doc-title\">", "</h1>");
        assert_eq!(
            h1,
            "<span class=\"title-line\">关于召开第五届</span><br>\
             <span class=\"title-line\">职工代表大会第三次会议的通知</span>",
            "{url}"
        );
        // Lists and the browser tab keep the whole title.
        assert!(html.contains("<title>关于召开第五届职工代表大会第三次会议的通知 - "));
    }
}

#[test]
fn title_lines_that_are_not_the_title_are_reported_and_ignored() {
    let site = Site::new();
    site.page(
        "notices/a.md",
        &format!("{NOTICE}标题分行: [关于召开第五届, 职工代表大会的通知]\n"),
        "正文。",
    );
    let b = site.build().ok();
    let d = b.diag("title-lines-mismatch", "content/notices/a.md");
    // The key is on line 7 of the file (line 1 is `---`).
    assert_eq!(loc(d), "content/notices/a.md:7:7");
    let text = d.msg.text(b.report.lang);
    assert!(text.contains("关于召开第五届职工代表大会的通知"), "{text}");
    let hint = d.msg.hint(b.report.lang).unwrap();
    assert!(hint.contains("title_lines: ["), "{hint}");
    let html = b.html("notices/a/index.html");
    // The editor's lines are dropped: the title breaks by itself.
    let h1 = inner(&html, "<h1 class=\"doc-title\">", "</h1>");
    assert!(!h1.contains("<br>"), "{h1}");
    let text: String = h1.split(['<', '>']).step_by(2).collect();
    assert_eq!(text, "关于召开第五届职工代表大会第三次会议的通知");
}

#[test]
fn the_attachment_note_of_a_notice_is_marked_for_print() {
    let site = Site::new();
    site.page(
        "notices/a.md",
        NOTICE,
        "正文。\n\n附件：\n\n1. 会议议程\n2. 代表报到回执\n",
    );
    let b = site.build().ok();
    let html = b.html("notices/a/index.html");
    let note = element(&html, "<div class=\"doc-attachment-note\">", "</div>")
        .expect("the note is marked");
    assert!(note.contains("<li>代表报到回执</li>"), "{note}");
}

#[test]
fn with_base_url_printed_pages_carry_a_qr_code_of_their_address() {
    let site = Site::new();
    site.file(
        "site.yaml",
        format!(
            "{}base_url: http://gh.example.cn/union/\n",
            common::SITE_YAML
        ),
    );
    site.page("notices/a.md", NOTICE, "正文。");
    site.page(
        "policies/p.md",
        "title: 劳动合同\ndate: 2026-01-05",
        "正文。",
    );
    let b = site.build().ok();
    let notice = b.html("notices/a/index.html");
    let head = element(&notice, "<header class=\"doc-head\">", "</header>").unwrap();
    assert!(
        head.contains("<figure class=\"print-qr print-only\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox="),
        "{head}"
    );
    let policy = b.html("policies/p/index.html");
    let source = element(
        &policy,
        "<footer class=\"print-source print-only\">",
        "</footer>",
    )
    .unwrap();
    assert!(source.contains("<svg "), "{source}");
    assert!(
        source.contains("http://gh.example.cn/union/policies/p/"),
        "{source}"
    );
}

#[test]
fn without_base_url_there_is_no_qr_code() {
    let site = Site::new();
    site.page("notices/a.md", NOTICE, "正文。");
    site.page(
        "policies/p.md",
        "title: 劳动合同\ndate: 2026-01-05",
        "正文。",
    );
    let b = site.build().ok();
    for url in ["notices/a/index.html", "policies/p/index.html"] {
        let html = b.html(url);
        assert!(!html.contains("<svg"), "{url}");
        assert!(!html.contains("print-qr"), "{url}");
    }
    // The source line still names the site.
    let policy = b.html("policies/p/index.html");
    assert!(policy.contains("本文来自测试集团工会"), "{policy}");
}

#[test]
fn a_long_title_without_title_lines_breaks_between_words() {
    let site = Site::new();
    site.page(
        "notices/a.md",
        "title: 关于做好2027年元旦期间安全生产工作的通知\ndate: 2026-02-20",
        "正文。",
    );
    site.page(
        "notices/short.md",
        "title: 关于做好元旦期间安全生产工作的通知\ndate: 2026-02-20",
        "正文。",
    );
    let b = site.build().ok();
    let html = b.html("notices/a/index.html");
    // No <br>: on a wide screen the title stays on one line.
    assert_eq!(
        inner(&html, "<h1 class=\"doc-title\">", "</h1>"),
        "<span class=\"title-line\">关于做好2027年</span>\
         <span class=\"title-line\">元旦期间安全生产工作的通知</span>"
    );
    let short = b.html("notices/short/index.html");
    assert_eq!(
        inner(&short, "<h1 class=\"doc-title\">", "</h1>"),
        "关于做好元旦期间安全生产工作的通知"
    );
}
