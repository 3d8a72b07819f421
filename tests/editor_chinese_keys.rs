//! Front matter written with Chinese keys means exactly what the English
//! keys mean, end to end: loaded, validated, built.

mod editor_support;

use editor_support::{TestSite, codes};
use unionpress::build;
use unionpress::content::PageMeta;
use unionpress::diagnostics::{Diagnostics, Sources};
use unionpress::i18n::Lang;

/// A real 4 × 4 JPEG: photos are decoded now, so fixtures need real ones.
const TINY_JPEG: &[u8] = include_bytes!("common/tiny.jpg");

const ENGLISH: &str = "---
title: 关于召开职代会的通知
date: 2025-03-05 09:00
updated: 2025-03-06
draft: false
summary: 会议定于三月召开
tags: [职代会, 民主管理]
author: 工会办公室
editor: 张悦
reviewer: 李明哲
department: 工会办公室
pinned: true
pinned_until: 2025-12-31
expires: 2026-01-31
attachments:
  - file: 议程.pdf
    title: 会议议程
doc_number: 某某工发〔2025〕1号
urgency: 加急
recipients: 各分工会，各部门
cc: 党委办公室
signed_on: 2025-03-04
contact: 陈静，内线8601
issuer: 集团工会
policy_number: 第3号
effective: 2025-04-01
source: 《工会法》
source_url: https://flk.npc.gov.cn/
event_date: 2025-03-10 09:00
location: 多功能厅
organizer: 集团工会
participants: 216
cover: cover.jpg
---
正文
";

const CHINESE: &str = "---
标题: 关于召开职代会的通知
日期: 2025-03-05 09:00
更新日期: 2025-03-06
草稿: 否
摘要: 会议定于三月召开
标签: [职代会, 民主管理]
作者: 工会办公室
责任编辑: 张悦
审核: 李明哲
发布单位: 工会办公室
置顶: 是
置顶至: 2025-12-31
有效期至: 2026-01-31
附件:
  - file: 议程.pdf
    title: 会议议程
文号: 某某工发〔2025〕1号
紧急程度: 加急
主送: 各分工会，各部门
抄送: 党委办公室
成文日期: 2025-03-04
联系人: 陈静，内线8601
制定机关: 集团工会
文件编号: 第3号
施行日期: 2025-04-01
来源: 《工会法》
原文链接: https://flk.npc.gov.cn/
活动日期: 2025-03-10 09:00
地点: 多功能厅
主办: 集团工会
参加人数: 216
封面: cover.jpg
---
正文
";

/// Everything a page's front matter says, spans aside.
fn meaning(m: &PageMeta) -> String {
    let attachments: Vec<_> = m.attachments.iter().map(|a| (&a.file, &a.title)).collect();
    format!(
        "{:?}",
        (
            (&m.title, m.date, m.updated, m.draft, &m.summary, &m.tags),
            (&m.author, &m.editor, &m.reviewer, &m.department),
            (m.pinned, m.pinned_until, m.expires, attachments),
            (
                &m.doc_number,
                &m.urgency,
                &m.recipients,
                &m.cc,
                m.signed_on,
                &m.contact
            ),
            (
                &m.issuer,
                &m.policy_number,
                m.effective,
                &m.source,
                &m.source_url
            ),
            (m.event_date, &m.location, &m.organizer, m.participants),
            m.cover.as_ref().map(|c| &c.0),
            &m.extra,
        )
    )
}

fn load(front_matter: &str) -> String {
    let site = TestSite::new();
    site.write("content/notices/test/index.md", front_matter);
    site.write("content/notices/test/议程.pdf", "%PDF-1.4");
    site.write("content/notices/test/cover.jpg", TINY_JPEG);
    let report = site.check(Lang::Zh);
    assert!(
        codes(&report, "content/notices/test/index.md").is_empty(),
        "{:?}",
        report.diags
    );
    let (mut d, mut s) = (Diagnostics::default(), Sources::default());
    let loaded = build::load(site.root(), site.options(), &mut d, &mut s).expect("loads");
    let page = loaded
        .site
        .pages
        .iter()
        .find(|p| p.page.rel == "notices/test/index.md")
        .expect("the page is published");
    assert!(page.pinned, "置顶: 是 pins the page");
    assert_eq!(page.attachments.len(), 1);
    assert!(page.cover_url.is_some());
    assert!(!site.build().failed());
    meaning(&page.page.meta)
}

#[test]
fn chinese_keys_mean_exactly_the_english_keys() {
    let english = load(ENGLISH);
    let chinese = load(CHINESE);
    assert_eq!(english, chinese);
    assert!(english.contains("某某工发〔2025〕1号"), "{english}");
}

#[test]
fn both_spellings_of_one_key_is_an_error() {
    for (a, b) in [
        ("title: 通知", "标题: 通知"),
        ("department: 甲", "发布单位: 乙"),
        ("pinned: true", "置顶: 是"),
    ] {
        let site = TestSite::new();
        let title = if a.starts_with("title") {
            ""
        } else {
            "title: 通知\n"
        };
        let text = format!("---\n{title}{a}\ndate: 2025-03-05\n{b}\n---\n");
        site.write("content/notices/x.md", text);
        let report = site.check(Lang::Zh);
        assert_eq!(
            codes(&report, "content/notices/x.md"),
            ["duplicate-key"],
            "{a} / {b}"
        );
        assert!(report.failed());
    }
}

#[test]
fn yes_and_no_in_chinese_are_booleans() {
    for (value, pinned) in [("是", true), ("否", false), ("true", true)] {
        let site = TestSite::new();
        site.write(
            "content/notices/x.md",
            format!("---\n标题: 通知\n日期: 2025-03-05\n置顶: {value}\n---\n"),
        );
        let (mut d, mut s) = (Diagnostics::default(), Sources::default());
        let loaded = build::load(site.root(), site.options(), &mut d, &mut s).unwrap();
        let page = loaded
            .site
            .pages
            .iter()
            .find(|p| p.page.rel == "notices/x.md")
            .unwrap();
        assert_eq!(page.pinned, pinned, "置顶: {value}");
    }
    let site = TestSite::new();
    site.write(
        "content/notices/x.md",
        "---\n标题: 通知\n日期: 2025-03-05\n置顶: 也许\n---\n",
    );
    assert_eq!(
        codes(&site.check(Lang::Zh), "content/notices/x.md"),
        ["wrong-type"]
    );
}
