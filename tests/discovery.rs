//! Finding things besides sections: department lists, each section's
//! year → month archive, related pages, the download centre, the search
//! index files, and the Atom feeds and sitemap.

mod common;

use common::{SITE_YAML, Site};

/// Six pages over three sections, three departments and overlapping tags.
fn fixture() -> Site {
    let site = Site::new();
    site.page(
        "notices/congress/index.md",
        "title: 关于召开职代会的通知\ndate: 2025-03-05\ndepartment: 工会办公室\ntags: [职代会, 民主管理]\ndoc_number: 测工发〔2025〕3号\nattachments:\n  - file: 议程.pdf\n    title: 大会议程",
        "各分工会：\n\n定于3月召开职工代表大会。",
    )
    .file("content/notices/congress/议程.pdf", vec![b'%'; 3000])
    .page(
        "notices/spring.md",
        "title: 关于春节慰问的通知\ndate: 2025-01-20\ndepartment: 生活保障部\ntags: [送温暖]\nexpires: 2025-02-28",
        "春节慰问困难职工。",
    )
    .page(
        "notices/election.md",
        "title: 关于2026年职代会代表选举的通知\ndate: 2026-02-10\ndepartment: 工会办公室\ntags: [职代会]",
        "选举代表。",
    )
    .page(
        "notices/old-congress.md",
        "title: 上一届职代会工作报告\ndate: 2024-12-01\ntags: [职代会, 民主管理]",
        "回顾。",
    )
    .page(
        "policies/contract/index.md",
        "title: 劳动合同解读\ndate: 2025-11-01\ndepartment: 权益保障部\ntags: [劳动合同, 民主管理]",
        "劳动合同要点。",
    )
    .file("content/policies/contract/测算表.xlsx", vec![0u8; 2048])
    .page(
        "events/assembly.md",
        "title: 民主管理座谈会\ndate: 2025-03-20\ndepartment: 工会办公室\ntags: [民主管理]",
        "座谈。",
    );
    site
}

/// The text between two markers of an output file.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not in:\n{html}"));
    let rest = &html[from..];
    let to = rest.find(end).unwrap_or(rest.len());
    &rest[..to]
}

/// Where each needle first occurs, to assert on order.
fn positions(html: &str, needles: &[&str]) -> Vec<usize> {
    needles
        .iter()
        .map(|n| {
            html.find(n)
                .unwrap_or_else(|| panic!("`{n}` not found in:\n{html}"))
        })
        .collect()
}

fn assert_ordered(html: &str, needles: &[&str]) {
    let at = positions(html, needles);
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "expected in this order: {needles:?}, found at {at:?}"
    );
}

#[test]
fn each_department_lists_its_pages_newest_first() {
    let site = fixture();
    let b = site.build().ok();
    let all = b.html("departments/index.html");
    for name in ["工会办公室", "生活保障部", "权益保障部"] {
        assert!(
            all.contains(&format!("href=\"../departments/{name}/index.html\"")),
            "{name}"
        );
    }
    assert!(all.contains("工会办公室 <span class=\"count\">3</span>"));

    let office = b.html("departments/工会办公室/index.html");
    assert_ordered(
        &office,
        &[
            "关于2026年职代会代表选举的通知",
            "民主管理座谈会",
            "关于召开职代会的通知",
        ],
    );
    assert!(!office.contains("劳动合同解读"));
    assert!(office.contains("href=\"../../notices/election/index.html\""));

    // A page names its department with a link to that list.
    let page = b.html("notices/congress/index.html");
    assert!(page.contains("href=\"../../departments/工会办公室/index.html\""));
}

#[test]
fn long_department_lists_are_paginated() {
    let site = fixture();
    site.file(
        "site.yaml",
        SITE_YAML.replace("paginate: 20", "paginate: 2"),
    );
    let b = site.build().ok();
    let second = b.html("departments/工会办公室/page/2/index.html");
    assert!(second.contains("关于召开职代会的通知"));
    assert!(!second.contains("民主管理座谈会"));
    assert!(!b.has("departments/工会办公室/page/3/index.html"));
}

#[test]
fn long_tag_lists_are_paginated_newest_first() {
    let site = fixture();
    site.file(
        "site.yaml",
        SITE_YAML.replace("paginate: 20", "paginate: 2"),
    );
    let b = site.build().ok();
    // 职代会 has three pages: two on the first list page, one on the second.
    let first = b.html("tags/职代会/index.html");
    assert_ordered(
        &first,
        &["关于2026年职代会代表选举的通知", "关于召开职代会的通知"],
    );
    assert!(
        !first.contains("上一届职代会工作报告"),
        "page 1 holds two entries"
    );
    assert!(
        first.contains(r#"href="../../tags/职代会/page/2/index.html""#),
        "a link to page 2"
    );
    let second = b.html("tags/职代会/page/2/index.html");
    assert!(second.contains("上一届职代会工作报告"));
    assert!(
        second.contains(r#"href="../../../../tags/职代会/index.html""#),
        "a link back to page 1"
    );
    assert!(!b.has("tags/职代会/page/3/index.html"));
}

#[test]
fn sections_have_a_year_and_month_archive() {
    let site = fixture();
    let b = site.build().ok();
    let index = b.html("notices/archive/index.html");
    assert_ordered(&index, &["2026年", "2025年", "2024年"]);
    let y2025 = between(&index, "2025年", "2024年");
    assert_ordered(y2025, &["3月", "1月"]);
    assert!(index.contains("href=\"../../notices/archive/2025/index.html#m3\""));
    // Each year says how many notices it holds: two in 2025, one in March.
    assert!(
        index.contains("2025年</a> <span class=\"count\">2</span>"),
        "{index}"
    );
    assert!(
        y2025.contains("3月</a> <span class=\"count\">1</span>"),
        "{y2025}"
    );

    let year = b.html("notices/archive/2025/index.html");
    assert_ordered(
        &year,
        &[
            "id=\"m3\"",
            "关于召开职代会的通知",
            "id=\"m1\"",
            "关于春节慰问的通知",
        ],
    );
    assert!(!year.contains("关于2026年职代会代表选举的通知"));
    assert!(year.contains("href=\"../../../notices/congress/index.html\""));

    // The section's list links to its archive.
    assert!(
        b.html("notices/index.html")
            .contains("href=\"../notices/archive/index.html\"")
    );
    assert!(b.has("events/archive/2025/index.html"));
}

#[test]
fn a_page_cannot_take_the_archive_url() {
    let site = fixture();
    site.page(
        "notices/archive.md",
        "title: 归档说明\ndate: 2025-01-01",
        "正文",
    );
    let b = site.build().failed();
    b.diag("duplicate-url", "content/notices/archive.md");
}

#[test]
fn related_pages_share_tags_most_shared_first() {
    let site = fixture();
    let b = site.build().ok();
    let page = b.html("notices/congress/index.html");
    let related = between(&page, "class=\"card related\"", "</aside>");
    // Shares both tags; then one tag each, newest first.
    assert_ordered(
        related,
        &[
            "上一届职代会工作报告",
            "关于2026年职代会代表选举的通知",
            "劳动合同解读",
            "民主管理座谈会",
        ],
    );
    assert!(!related.contains("关于召开职代会的通知"), "not itself");
    assert!(!related.contains("关于春节慰问的通知"), "shares no tag");
    // A page whose tags no other page has shows no block.
    assert!(
        !b.html("notices/spring/index.html")
            .contains("class=\"card related\"")
    );
}

#[test]
fn the_download_centre_lists_every_attachment_newest_first() {
    let site = fixture();
    let b = site.build().ok();
    let dl = b.html("downloads/index.html");
    assert_ordered(&dl, &["测算表", "大会议程"]);
    let row = between(&dl, "大会议程", "</tr>");
    assert!(row.contains("PDF"), "{row}");
    assert!(row.contains("3 KB"), "{row}");
    assert!(row.contains("2025年3月5日"), "{row}");
    assert!(
        row.contains("href=\"../notices/congress/index.html\""),
        "{row}"
    );
    assert!(dl.contains("href=\"../notices/congress/议程.pdf\""));
    assert!(b.has("notices/congress/议程.pdf"));
}

#[test]
fn the_search_index_covers_every_page() {
    let site = fixture();
    let b = site.build().ok();
    let stats = b.report.search.expect("search index stats");
    assert_eq!(stats.docs, 6);
    assert!(stats.shards >= 1 && stats.bytes > 0);
    let manifest = b.html("search/manifest.js");
    assert!(manifest.starts_with("UnionpressSearch.add(\"m\",0,"));
    assert!(manifest.contains("\"docs\":6"));
    // Pages are numbered oldest first and packed a few to a file, in
    // order: the manifest gives each file's first page (as gaps) and its
    // four-character name.
    let json = (manifest.strip_prefix("UnionpressSearch.add(\"m\",0,"))
        .and_then(|m| m.strip_suffix(");\n"))
        .expect("a manifest script");
    let m: serde_json::Value = serde_json::from_str(json).expect("manifest JSON");
    let names = m["names"].as_str().expect("names");
    assert!(m["chunks"].as_str().is_some_and(|c| c.starts_with('w')));
    assert!(names.len() % 4 == 0 && names.len() >= 4, "{names}");
    let chunks: Vec<String> = (0..names.len() / 4)
        .map(|k| b.html(&format!("search/d/{}.js", &names[4 * k..4 * k + 4])))
        .collect();
    let first = &chunks[0];
    assert!(
        first.starts_with(&format!(
            "UnionpressSearch.add(\"d\",\"{}\",[{{",
            &names[..4]
        )),
        "{first}"
    );
    let all = chunks.concat();
    let oldest = all.find("上一届职代会工作报告").expect("page 0");
    let third = all.find("测工发〔2025〕3号").expect("page 2");
    let newest = all.find("关于2026年职代会代表选举的通知").expect("page 5");
    assert!(oldest < third && third < newest);
    assert!(first.contains("上一届职代会工作报告"));
    // The expired notice (number 1) is listed as such: gap 1 is `x`.
    assert!(manifest.contains("\"expired\":\"x\""), "{manifest}");
    let shards: String = (0..stats.shards)
        .map(|n| b.html(&format!("search/t/{n}.js")))
        .collect();
    for token in ["\"职代\"", "\"2025\"", "\"pdf\"", "\"号\""] {
        assert!(shards.contains(token), "{token}");
    }
    assert!(b.has("search/index.html") && b.has("search.js"));
}

#[test]
fn feeds_and_sitemap_need_base_url() {
    let site = fixture();
    let b = site.build().ok();
    assert_eq!(b.report.feeds, None);
    assert!(!b.has("atom.xml") && !b.has("sitemap.xml"));
    assert!(!b.html("index.html").contains("application/atom+xml"));
    let out = site.cli(&["--now", "2026-03-01"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(stdout.contains("base_url"), "{stdout}");
}

#[test]
fn feeds_and_sitemap_use_absolute_urls() {
    let site = fixture();
    site.file(
        "site.yaml",
        format!("{SITE_YAML}base_url: http://gh.example.cn/union\n"),
    );
    let b = site.build().ok();
    assert_eq!(b.report.feeds, Some(4), "the site's and one per section");
    let atom = b.html("atom.xml");
    assert!(atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(atom.contains("<id>http://gh.example.cn/union/notices/election/index.html</id>"));
    assert!(atom.contains("<published>2026-02-10T00:00:00+08:00</published>"));
    assert!(atom.contains("xml:base=\"http://gh.example.cn/union/notices/congress/index.html\""));
    // Newest first.
    assert_ordered(&atom, &["关于2026年职代会代表选举的通知", "劳动合同解读"]);
    let notices = b.html("notices/atom.xml");
    assert!(notices.contains("关于春节慰问的通知") && !notices.contains("劳动合同解读"));
    let sitemap = b.html("sitemap.xml");
    assert!(sitemap.contains(
        "<loc>http://gh.example.cn/union/policies/contract/index.html</loc><lastmod>2025-11-01</lastmod>"
    ));
    assert!(b.html("index.html").contains("href=\"atom.xml\""));
    assert!(
        b.html("notices/index.html")
            .contains("href=\"../notices/atom.xml\"")
    );
}

/// Every token of the written index.
fn index_tokens(b: &common::Build) -> Vec<String> {
    let shards = b.report.search.expect("an index").shards;
    let mut out = Vec::new();
    for n in 0..shards {
        let file = b.html(&format!("search/t/{n}.js"));
        let json = file
            .trim_end()
            .strip_prefix(&format!("UnionpressSearch.add(\"t\",{n},"))
            .and_then(|s| s.strip_suffix(");"))
            .expect("a shard script");
        let shard: serde_json::Value = serde_json::from_str(json).expect("shard JSON");
        out.extend(shard.as_object().expect("token → postings").keys().cloned());
    }
    out
}

#[test]
fn chinese_punctuation_separates_words_and_is_never_indexed() {
    let site = fixture();
    site.page(
        "notices/rest.md",
        "title: 关于《职工休假办法》的说明\ndate: 2025-04-01\ndoc_number: 测工发〔2025〕9号",
        "年休假、探亲假。「病假」按【规定】执行　婚假另计。",
    );
    let b = site.build().ok();
    let tokens = index_tokens(&b);
    // The words on either side are there…
    for t in [
        "工发", "2025", "9", "号", "休假", "探亲", "病假", "规定", "婚假", "办法",
    ] {
        assert!(tokens.iter().any(|x| x == t), "{t} not indexed");
    }
    // …but no token holds the CJK punctuation block (U+3000–303F: 、。〔〕
    // 《》「」【】 and the ideographic space), which search.js never puts in
    // a query: such tokens could never be found. 〇 (U+3007) is a digit.
    let punct: Vec<&String> = tokens
        .iter()
        .filter(|t| {
            t.chars()
                .any(|c| ('\u{3000}'..='\u{303F}').contains(&c) && c != '〇')
        })
        .collect();
    assert!(punct.is_empty(), "{punct:?}");
    assert!(
        !tokens.iter().any(|t| t == "假探" || t == "发9"),
        "punctuation joins nothing"
    );
}

/// One token's postings from the written index, as `(page number, level)`:
/// the scores search.js ranks by, produced by the build alone.
fn postings(b: &common::Build, token: &str) -> Vec<(u64, u64)> {
    const CONTINUE: &str = "0123456789abcdefghijklmnopqrstuv";
    const FINAL: &str = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
    let shards = b.report.search.expect("an index").shards as u32;
    let n = unionpress::search::tokenize::hash(token) % shards;
    let file = b.html(&format!("search/t/{n}.js"));
    let json = file
        .trim_end()
        .strip_prefix(&format!("UnionpressSearch.add(\"t\",{n},"))
        .and_then(|s| s.strip_suffix(");"))
        .expect("a shard script");
    let shard: serde_json::Value = serde_json::from_str(json).expect("shard JSON");
    let encoded = shard[token]
        .as_str()
        .unwrap_or_else(|| panic!("{token} not in shard {n}"));
    let (mut out, mut v, mut prev) = (Vec::new(), 0u64, 0u64);
    for c in encoded.chars() {
        if let Some(d) = CONTINUE.find(c) {
            v = v * 32 + d as u64;
        } else if let Some(d) = FINAL.find(c) {
            let x = v * 32 + d as u64;
            prev += x / 3;
            out.push((prev, x % 3));
            v = 0;
        }
    }
    out
}

#[test]
fn the_index_stores_the_best_field_of_each_token() {
    let site = fixture();
    let b = site.build().ok();
    // Pages by number: 0 上一届职代会工作报告, 1 关于春节慰问的通知, 2 关于召开职代会的通知,
    // 3 民主管理座谈会, 4 劳动合同解读, 5 关于2026年职代会代表选举的通知.
    let (body, meta, title) = (0, 1, 2);
    // 民主管理 is a tag of 0, 2, 3 and 4, and in 3's title.
    assert_eq!(
        postings(&b, "民主"),
        [(0, meta), (2, meta), (3, title), (4, meta)]
    );
    // 劳动合同 is 4's title and tag, and in its body.
    assert_eq!(postings(&b, "合同"), [(4, title)]);
    // The document number is metadata.
    assert_eq!(postings(&b, "测工"), [(2, meta)]);
    // 困难 is only in 1's body.
    assert_eq!(postings(&b, "困难"), [(1, body)]);
}

/// Lists and the search index (which ranks expired pages last) mark a page
/// expired, and no longer pinned, from the day after its `expires`.
#[test]
fn lists_and_the_search_index_mark_expiry_from_the_day_after() {
    let site = fixture();
    site.page(
        "notices/heat.md",
        "title: 防暑降温通知\ndate: 2025-06-01\nexpires: 2026-03-10\npinned: true\ntags: [防暑]",
        "防暑。",
    );
    // The tag list marks it pinned while it is valid, and not once expired.
    let item = |b: &common::Build| -> String {
        let list = b.html("tags/防暑/index.html");
        let at = list.find("notices/heat/index.html").expect("listed");
        list[list[..at].rfind("<li").unwrap()..at].to_string()
    };
    let valid = item(&site.build_at("2026-03-10 23:59").ok());
    assert!(
        valid.contains("is-pinned") && !valid.contains("is-expired"),
        "{valid}"
    );
    let expired = item(&site.build_at("2026-03-11 00:00").ok());
    assert!(
        expired.contains("is-expired") && !expired.contains("is-pinned"),
        "{expired}"
    );
    let expired_of = |b: &common::Build| -> String {
        let manifest = b.html("search/manifest.js");
        let at = manifest.find("\"expired\":\"").expect("an expired list") + 11;
        manifest[at..at + manifest[at..].find('"').unwrap()].to_string()
    };
    // Pages by number (oldest first): 0 上一届…, 1 春节慰问 (expired 2025), 2 congress,
    // 3 assembly, 4 heat, 5 contract, 6 election. Gap 1 is `x`, then gap 3 is `z`.
    assert_eq!(expired_of(&site.build_at("2026-03-10 23:59").ok()), "x");
    assert_eq!(expired_of(&site.build_at("2026-03-11 00:00").ok()), "xz");
}
