//! What a successful build writes: which pages are published when (drafts,
//! future dates, expiry, pinning), where each file goes, what the templates
//! show, that every link stays inside the site and is relative, and how the
//! output folder is replaced (atomically, rewriting only what changed).

mod common;

use common::*;

fn page_items(html: &str) -> usize {
    html.matches("<li class=\"page-item").count()
}

/// Every `href`, percent-decoded, in the page at `url`.
fn hrefs(b: &Build, url: &str) -> Vec<String> {
    links(&b.html(url))
        .into_iter()
        .filter(|l| l.attr == "href")
        .map(|l| decode(&l.value))
        .collect()
}

/// The root-relative file each `<a href>` of `url` leads to.
fn targets(b: &Build, url: &str) -> Vec<String> {
    links(&b.html(url))
        .into_iter()
        .filter(|l| l.tag == "a" && !is_external(&l.value))
        .filter_map(|l| resolve(url, &l.value))
        .collect()
}

// ---------------------------------------------------------------- lifecycle

#[test]
fn drafts_are_left_out_unless_drafts_is_given() {
    let site = Site::new();
    site.page(
        "notices/ready.md",
        "title: 正式通知\ndate: 2026-02-01",
        "已发布。",
    );
    site.page(
        "notices/draft.md",
        "title: 尚未定稿的通知\ndate: 2026-02-02\ndraft: true",
        "还在修改。",
    );
    site.page(
        "notices/draft-bundle/index.md",
        "title: 带附件的草稿\ndate: 2026-02-03\n草稿: 是",
        "见[附件](议程.pdf)。",
    );
    site.file("content/notices/draft-bundle/议程.pdf", b"%PDF-1.4 draft");

    let b = site.build().ok();
    assert!(b.has("notices/ready/index.html"));
    assert!(!b.has("notices/draft/index.html"));
    assert!(!b.has("notices/draft-bundle/index.html"));
    assert!(
        !b.has("notices/draft-bundle/议程.pdf"),
        "a draft's files are unpublished too"
    );
    let list = b.html("notices/index.html");
    assert!(list.contains("正式通知"));
    assert!(!list.contains("尚未定稿的通知") && !list.contains("带附件的草稿"));
    assert!(!b.html("index.html").contains("尚未定稿的通知"));

    let b = site
        .build_with(Opts {
            drafts: true,
            ..Opts::default()
        })
        .ok();
    assert!(b.has("notices/draft/index.html"));
    assert!(b.has("notices/draft-bundle/index.html"));
    assert!(b.has("notices/draft-bundle/议程.pdf"));
    let list = b.html("notices/index.html");
    assert!(list.contains("尚未定稿的通知") && list.contains("带附件的草稿"));
}

#[test]
fn future_pages_wait_for_their_date_unless_future_is_given() {
    let site = Site::new();
    site.page(
        "notices/today.md",
        "title: 今天的通知\ndate: 2026-03-01",
        "",
    );
    site.page(
        "notices/next-week.md",
        "title: 下周发布的通知\ndate: 2026-03-08 09:00",
        "到时再发。",
    );

    let b = site.build_at("2026-03-01").ok();
    assert!(b.has("notices/today/index.html"));
    assert!(!b.has("notices/next-week/index.html"));
    assert!(!b.html("notices/index.html").contains("下周发布的通知"));

    let b = site
        .build_with(Opts {
            future: true,
            ..Opts::now("2026-03-01")
        })
        .ok();
    assert!(b.has("notices/next-week/index.html"));

    // The clock is the site's (Asia/Shanghai): one minute early, then on time.
    let b = site.build_at("2026-03-08 08:59").ok();
    assert!(!b.has("notices/next-week/index.html"));
    let b = site.build_at("2026-03-08 09:00").ok();
    assert!(b.has("notices/next-week/index.html"));
    assert!(b.html("notices/index.html").contains("下周发布的通知"));
}

#[test]
fn the_now_flag_fixes_the_clock_of_the_binary() {
    let site = Site::new();
    site.page(
        "notices/later.md",
        "title: 三月中旬的通知\ndate: 2026-03-15",
        "",
    );
    let before = site.cli(&["--now", "2026-03-14"]);
    assert!(
        before.status.success(),
        "{}",
        String::from_utf8_lossy(&before.stderr)
    );
    assert!(!site.out.join("notices/later/index.html").exists());

    let after = site.cli(&["--now", "2026年3月15日"]);
    assert!(
        after.status.success(),
        "{}",
        String::from_utf8_lossy(&after.stderr)
    );
    assert!(site.out.join("notices/later/index.html").exists());
}

#[test]
fn an_expired_page_is_built_marked_and_dropped_from_home_and_pinned() {
    let site = Site::new();
    site.page(
        "notices/heat.md",
        "title: 关于做好夏季防暑降温工作的通知\ndate: 2026-02-20\nexpires: 2026-03-10\npinned: true",
        "请各单位做好防暑降温工作。",
    );
    site.page(
        "notices/newer.md",
        "title: 关于春季健步走的通知\ndate: 2026-02-25",
        "",
    );
    let url = "notices/heat/index.html";

    // `expires: 2026-03-10` holds all of that day.
    let b = site.build_at("2026-03-10 23:59").ok();
    assert!(!b.html(url).contains("已失效"));
    let home = b.html("index.html");
    let pinned = element(&home, "<section class=\"card pinned-block\"", "</section>")
        .expect("home shows the pinned block");
    assert!(pinned.contains(url));
    let list = b.html("notices/index.html");
    let [heat, newer] = positions(&list, &[url, "notices/newer/index.html"])[..] else {
        unreachable!()
    };
    assert!(heat < newer, "pinned comes first while it is valid");

    let b = site.build_at("2026-03-11 00:00").ok();
    let page = b.html(url);
    assert!(page.contains("已失效"), "the page says it has expired");
    assert!(page.contains("关于做好夏季防暑降温工作的通知"));
    let home = b.html("index.html");
    assert!(!home.contains(url), "gone from the home page:\n{home}");
    assert!(home.contains("notices/newer/index.html"));
    let list = b.html("notices/index.html");
    let [heat, newer] = positions(&list, &[url, "notices/newer/index.html"])[..] else {
        unreachable!()
    };
    assert!(newer < heat, "no longer held at the top, still listed");
    let item = &list[list[..heat].rfind("<li").unwrap()..heat];
    assert!(
        item.contains("is-expired") && !item.contains("is-pinned"),
        "{item}"
    );
}

#[test]
fn pinned_holds_a_page_at_the_top_until_pinned_until() {
    let site = Site::new();
    site.page(
        "notices/congress.md",
        "title: 关于召开职工代表大会的通知\ndate: 2026-01-05\npinned: true\npinned_until: 2026-03-15",
        "",
    );
    site.page(
        "notices/newer.md",
        "title: 较新的通知\ndate: 2026-02-20",
        "",
    );
    site.page(
        "notices/newest.md",
        "title: 最新的通知\ndate: 2026-02-25",
        "",
    );
    site.page(
        "policies/always.md",
        "title: 长期置顶的政策解读\ndate: 2025-06-01\n置顶: 是",
        "",
    );
    let pinned_url = "notices/congress/index.html";

    let b = site.build_at("2026-03-15 20:00").ok();
    let list = b.html("notices/index.html");
    let p = positions(
        &list,
        &[
            pinned_url,
            "notices/newest/index.html",
            "notices/newer/index.html",
        ],
    );
    assert!(
        p[0] < p[1] && p[1] < p[2],
        "pinned first, then newest first"
    );
    assert_eq!(list.matches("is-pinned").count(), 1);
    let home = b.html("index.html");
    let block = element(&home, "<section class=\"card pinned-block\"", "</section>").unwrap();
    assert!(block.contains(pinned_url) && block.contains("policies/always/index.html"));

    let b = site.build_at("2026-03-16 00:00").ok();
    let list = b.html("notices/index.html");
    let p = positions(
        &list,
        &[
            pinned_url,
            "notices/newest/index.html",
            "notices/newer/index.html",
        ],
    );
    assert!(p[1] < p[2] && p[2] < p[0], "back in date order");
    assert!(!list.contains("is-pinned"));
    let home = b.html("index.html");
    let block = element(&home, "<section class=\"card pinned-block\"", "</section>").unwrap();
    assert!(
        !block.contains(pinned_url),
        "no longer pinned on the home page"
    );
    assert!(
        block.contains("policies/always/index.html"),
        "no pinned_until: pinned for good"
    );
}

// ------------------------------------------------------------------- output

#[test]
fn pages_get_pretty_urls_from_slug_or_file_or_bundle_name() {
    let site = Site::new();
    let pages = [
        ("notices/plain.md", "", "notices/plain/index.html"),
        (
            "notices/named.md",
            "slug: 职代会 2026",
            "notices/职代会-2026/index.html",
        ),
        ("notices/bundle/index.md", "", "notices/bundle/index.html"),
        (
            "notices/2026/nested.md",
            "",
            "notices/2026/nested/index.html",
        ),
        ("services/Legal Aid.md", "", "services/legal-aid/index.html"),
    ];
    for (i, (file, extra, _)) in pages.iter().enumerate() {
        site.page(
            file,
            &format!("title: 第{i}号页面\ndate: 2026-02-01\n{extra}"),
            "",
        );
    }
    let b = site.build().ok();
    assert_eq!(b.report.pages, pages.len());
    for (i, (file, _, url)) in pages.iter().enumerate() {
        assert!(
            b.html(url).contains(&format!("第{i}号页面")),
            "{file} should be at {url}"
        );
    }
    for not in [
        "notices/named/index.html",
        "notices/bundle/index/index.html",
        "notices/plain.html",
        "services/Legal Aid/index.html",
    ] {
        assert!(!b.has(not), "{not} should not exist");
    }
    // Lists link the file itself, never a folder: over file:// a folder
    // shows a directory listing, not its index.html.
    let list_targets = targets(&b, "notices/index.html");
    for t in ["notices/plain/index.html", "notices/职代会-2026/index.html"] {
        assert!(list_targets.contains(&t.to_string()), "{list_targets:?}");
    }
}

#[test]
fn bundle_files_are_copied_beside_the_page_and_linked_relatively() {
    let site = Site::new();
    let pdf = b"%PDF-1.4\n% agenda\n".repeat(100);
    site.page(
        "notices/meeting/index.md",
        "title: 关于召开职代会的通知\ndate: 2026-02-01\nattachments:\n  - file: 会议议程.pdf\n    title: 附件1：会议议程",
        "![会场布置](photo.jpg)\n\n请下载[报名表](报名表.docx)和[会议议程](会议议程.pdf)。",
    );
    site.file("content/notices/meeting/会议议程.pdf", &pdf);
    site.file("content/notices/meeting/报名表.docx", b"PK\x03\x04 docx");
    site.file("content/notices/meeting/photo.jpg", common::TINY_JPEG);

    let b = site.build().ok();
    assert_eq!(
        std::fs::read(b.path("notices/meeting/会议议程.pdf")).unwrap(),
        pdf
    );
    assert!(b.has("notices/meeting/报名表.docx"));
    assert!(b.has("notices/meeting/photo.jpg"));

    let page = "notices/meeting/index.html";
    let found = links(&b.html(page));
    let img = found
        .iter()
        .find(|l| l.tag == "img" && l.value.ends_with("photo.jpg"))
        .unwrap();
    assert_eq!(img.value, "photo.jpg", "beside the page, so just its name");
    let body: Vec<String> = found.iter().map(|l| decode(&l.value)).collect();
    assert!(body.contains(&"报名表.docx".to_string()), "{body:?}");
    assert!(body.contains(&"会议议程.pdf".to_string()), "{body:?}");
    // The attachment list: the declared file with its title, then the
    // bundle's other documents.
    let t = targets(&b, page);
    assert!(t.contains(&"notices/meeting/会议议程.pdf".to_string()));
    assert!(t.contains(&"notices/meeting/报名表.docx".to_string()));
    assert!(b.html(page).contains("附件1：会议议程"));
    // Each once, in that order, and the photo is not an attachment.
    let html = b.html(page);
    let list = element(&html, "<section class=\"attachments\"", "</section>").expect("a list");
    let listed: Vec<String> = links(list).iter().map(|l| decode(&l.value)).collect();
    let want = [
        "../../notices/meeting/会议议程.pdf",
        "../../notices/meeting/报名表.docx",
    ];
    assert_eq!(listed, want, "{list}");
}

#[test]
fn links_to_markdown_files_become_relative_links_to_their_pages() {
    let site = Site::new();
    site.page(
        "notices/a.md",
        "title: 甲通知\ndate: 2026-02-01",
        "- [乙](b.md)\n- [乙的第二节](b.md#二报名方式)\n- [法律援助](../services/legal-aid.md)\n\
         - [服务栏目](../services/_index.md)\n- [会议](meeting/index.md)\n- [会议文件夹](meeting/)\n\
         - [议程](meeting/议程.pdf)\n- [全总](https://www.acftu.org/)\n- [来信](mailto:ghb@example.cn)\n",
    );
    site.page(
        "notices/b.md",
        "title: 乙通知\ndate: 2026-02-02",
        "## 一、时间\n\n## 二、报名方式\n",
    );
    site.page(
        "notices/meeting/index.md",
        "title: 会议\ndate: 2026-02-03",
        "",
    );
    site.file("content/notices/meeting/议程.pdf", b"%PDF");
    site.page(
        "services/legal-aid.md",
        "title: 法律援助\ndate: 2026-01-01",
        "",
    );
    site.file(
        "content/_index.md",
        "---\ntitle: 首页\n---\n\n详见[甲通知](notices/a.md)。\n",
    );

    let b = site.build().ok();
    let got = hrefs(&b, "notices/a/index.html");
    for want in [
        "../b/index.html",
        "../b/index.html#二报名方式",
        "../../services/legal-aid/index.html",
        "../../services/index.html",
        "../meeting/index.html",
        "../meeting/议程.pdf",
        "https://www.acftu.org/",
        "mailto:ghb@example.cn",
    ] {
        assert!(got.contains(&want.to_string()), "{want} not in {got:?}");
    }
    assert_eq!(
        got.iter().filter(|h| *h == "../meeting/index.html").count(),
        2
    );
    assert!(!got.iter().any(|h| h.contains(".md")), "{got:?}");
    assert!(hrefs(&b, "index.html").contains(&"notices/a/index.html".to_string()));
    // The anchor exists on the page it points to.
    assert!(element_ids(&b.html("notices/b/index.html")).contains(&"二报名方式".to_string()));
}

#[test]
fn home_page_shows_the_intro_and_the_newest_pages_of_each_section() {
    let site = Site::new();
    for day in 1..=8 {
        site.page(
            &format!("notices/n{day}.md"),
            &format!("title: 二月第{day}号通知\ndate: 2026-02-{day:02}"),
            "",
        );
    }
    site.page("events/e.md", "title: 职工运动会\ndate: 2026-02-10", "");
    let b = site.build().ok();
    let home = b.html("index.html");
    assert!(
        home.contains("欢迎访问职工之家"),
        "the body of content/_index.md"
    );
    for day in 3..=8 {
        assert!(
            home.contains(&format!("notices/n{day}/index.html")),
            "n{day}"
        );
    }
    for day in 1..=2 {
        assert!(
            !home.contains(&format!("notices/n{day}/index.html")),
            "only the newest six"
        );
    }
    assert!(home.contains("events/e/index.html"));
    let t = targets(&b, "index.html");
    assert!(t.contains(&"notices/index.html".to_string()), "{t:?}");
}

/// A site whose `content/` has no `_index.md` of its own (a clerk deleted
/// it, or started from folders only) still gets a home page, titled from
/// `site.yaml`, and a page at the top of `content/` is published too.
#[test]
fn a_site_without_a_root_index_md_still_has_a_home_page() {
    let site = Site::bare();
    site.file(
        "content/notices/_index.md",
        "---\ntitle: 通知公告\nkind: notice\n---\n",
    );
    site.page("notices/a.md", "title: 春节放假通知\ndate: 2026-02-01", "");
    site.page("about.md", "title: 关于我们\ndate: 2026-01-01", "");
    let b = site.build().ok();
    let home = b.html("index.html");
    assert!(home.contains("测试集团工会"), "the title from site.yaml");
    assert!(home.contains("notices/a/index.html"), "{home}");
    assert!(b.html("about/index.html").contains("关于我们"));
}

#[test]
fn section_lists_are_paginated_under_page_n() {
    let site = Site::new();
    site.file(
        "content/notices/_index.md",
        "---\ntitle: 通知公告\nkind: notice\npaginate: 2\n---\n\n栏目简介。\n",
    );
    for day in 1..=5 {
        site.page(
            &format!("notices/n{day}.md"),
            &format!("title: 第{day}号通知\ndate: 2026-02-{day:02}"),
            "",
        );
    }
    let b = site.build().ok();
    let lists = [
        "notices/index.html",
        "notices/page/2/index.html",
        "notices/page/3/index.html",
    ];
    let counts: Vec<usize> = lists.iter().map(|u| page_items(&b.html(u))).collect();
    assert_eq!(counts, [2, 2, 1]);
    assert!(!b.has("notices/page/4/index.html"));
    assert!(
        !b.has("notices/page/1/index.html"),
        "page 1 is the section's own URL"
    );
    // Newest first across the pages, each page once.
    let order: Vec<String> = lists
        .iter()
        .flat_map(|u| {
            let html = b.html(u);
            (1..=5)
                .rev()
                .filter(|d| html.contains(&format!("notices/n{d}/index.html")))
                .map(|d| format!("n{d}"))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(order, ["n5", "n4", "n3", "n2", "n1"]);
    // Page 2 links back to page 1 and on to page 3, relatively.
    let t = targets(&b, "notices/page/2/index.html");
    assert!(t.contains(&"notices/index.html".to_string()), "{t:?}");
    assert!(
        t.contains(&"notices/page/3/index.html".to_string()),
        "{t:?}"
    );
    assert!(b.html("notices/index.html").contains("栏目简介"));
    assert!(!b.html("notices/page/2/index.html").contains("栏目简介"));
}

#[test]
fn each_kind_renders_with_its_own_fields() {
    let site = Site::new();
    site.page(
        "notices/walk/index.md",
        "title: 关于开展春季职工健步走活动的通知\ndate: 2026-02-10\n文号: 测工发〔2026〕5号\n\
         department: 组织宣传部\nurgency: 加急\nrecipients: [各分工会, 各部门]\n\
         attachments:\n  - file: 报名表.xlsx\n    title: 附件1：报名汇总表\n  - file: 活动方案.pdf",
        "请各单位积极组织。",
    );
    site.file("content/notices/walk/报名表.xlsx", vec![b'x'; 3 * 1024]);
    site.file("content/notices/walk/活动方案.pdf", vec![b'p'; 1_300_000]);
    site.page(
        "policies/injury.md",
        "title: 《工伤保险条例》要点解读\ndate: 2026-01-20\nissuer: 中华人民共和国国务院\n\
         policy_number: 国务院令第586号\neffective: 2011-01-01\nsource: 《工伤保险条例》\n\
         source_url: https://flk.npc.gov.cn/",
        "## 一、认定\n\n## 二、待遇\n\n## 三、程序\n",
    );
    site.page(
        "events/sports/index.md",
        "title: 职工运动会圆满落幕\ndate: 2026-02-20\nevent_date: 2026-02-18 08:30\n\
         location: 集团体育中心\norganizer: 集团工会\nparticipants: 320\ncover: cover.jpg",
        "运动会圆满落幕。",
    );
    site.file("content/events/sports/cover.jpg", common::TINY_JPEG);
    site.page(
        "services/legal.md",
        "title: 职工法律援助\ndate: 2026-01-01",
        "## 一、咨询方式\n\n热线。\n\n## 二、援助范围\n\n## 三、申请材料\n",
    );
    let b = site.build().ok();

    let notice = b.html("notices/walk/index.html");
    for text in [
        "测工发〔2026〕5号",
        "发布部门",
        "组织宣传部",
        "加急",
        "各分工会、各部门",
        "<time datetime=\"2026-02-10\">2026年2月10日</time>",
        "附件1：报名汇总表",
        "3 KB",
        "Excel 表格",
        "XLSX",
        "活动方案",
        "1.2 MB",
        "PDF 文档",
    ] {
        assert!(notice.contains(text), "notice lacks {text}");
    }
    let t = targets(&b, "notices/walk/index.html");
    assert!(t.contains(&"notices/walk/报名表.xlsx".to_string()));
    assert!(t.contains(&"notices/walk/活动方案.pdf".to_string()));

    let policy = b.html("policies/injury/index.html");
    for text in [
        "制定机关",
        "中华人民共和国国务院",
        "国务院令第586号",
        "施行日期",
        "2011年1月1日",
        "来源",
        "《工伤保险条例》",
        "href=\"https://flk.npc.gov.cn/\"",
    ] {
        assert!(policy.contains(text), "policy lacks {text}");
    }

    let event = b.html("events/sports/index.html");
    for text in [
        "活动时间",
        "2026年2月18日 08:30",
        "集团体育中心",
        "主办单位",
        "集团工会",
        "320",
    ] {
        assert!(event.contains(text), "event lacks {text}");
    }
    let cover = links(&event)
        .into_iter()
        .find(|l| l.tag == "img")
        .expect("the cover image");
    assert_eq!(
        resolve("events/sports/index.html", &cover.value).as_deref(),
        Some("events/sports/cover.jpg")
    );
    assert!(b.has("events/sports/cover.jpg"));

    let service = b.html("services/legal/index.html");
    assert!(
        service.contains("目录"),
        "a table of contents for three headings"
    );
    assert!(element_ids(&service).contains(&"一咨询方式".to_string()));
    assert!(!service.contains("制定机关") && !notice.contains("活动时间"));
}

#[test]
fn tags_get_an_index_and_a_page_each() {
    let site = Site::new();
    site.page(
        "notices/congress.md",
        "title: 职代会通知\ndate: 2026-02-01\ntags: [职代会, 民主管理]",
        "",
    );
    site.page(
        "policies/rights.md",
        "title: 民主管理解读\ndate: 2026-02-02\ntags: 职代会，PDF",
        "",
    );
    site.page(
        "events/e.md",
        "title: 活动\ndate: 2026-02-03\ntags: [pdf]",
        "",
    );
    let b = site.build().ok();

    let all = b.html("tags/index.html");
    let tag_pages = targets(&b, "tags/index.html");
    for t in [
        "tags/职代会/index.html",
        "tags/民主管理/index.html",
        "tags/pdf/index.html",
    ] {
        assert!(
            tag_pages.contains(&t.to_string()),
            "{t} not linked from {tag_pages:?}"
        );
        assert!(b.has(t));
    }
    assert!(all.contains("职代会"));
    let tag = b.html("tags/职代会/index.html");
    assert!(tag.contains("职代会通知") && tag.contains("民主管理解读"));
    assert!(!tag.contains("events/e/index.html"));
    let pdf = b.html("tags/pdf/index.html");
    assert!(
        pdf.contains("民主管理解读") && pdf.contains("活动"),
        "`PDF` and `pdf` are one tag"
    );
    assert!(targets(&b, "notices/congress/index.html").contains(&"tags/职代会/index.html".into()));
}

#[test]
fn a_404_page_is_written_at_the_root() {
    let site = Site::new();
    let b = site.build().ok();
    let page = b.html("404.html");
    assert!(page.contains("页面不存在"));
    assert!(targets(&b, "404.html").contains(&"index.html".to_string()));
}

/// A site with a bit of everything, for the site-wide checks below.
fn varied_site() -> Site {
    let site = Site::new();
    site.file(
        "content/notices/_index.md",
        "---\ntitle: 通知公告\nkind: notice\npaginate: 2\n---\n\n见[法律援助](../services/legal.md)。\n",
    );
    for day in 1..=5 {
        site.page(
            &format!("notices/n{day}.md"),
            &format!("title: 第{day}号通知\ndate: 2026-02-{day:02}\ntags: [职代会, 通知]\npinned: {}", day == 1),
            "见[第二号](n2.md)、[服务](../services/legal.md#一咨询方式)和[会议](meeting/议程.pdf)。",
        );
    }
    site.page(
        "notices/meeting/index.md",
        "title: 会议\ndate: 2026-02-06\nattachments: [议程.pdf]",
        "![会场](photo.jpg)",
    );
    site.file("content/notices/meeting/议程.pdf", b"%PDF");
    site.file("content/notices/meeting/photo.jpg", common::TINY_JPEG);
    site.page(
        "notices/2025/archive.md",
        "title: 旧通知\ndate: 2025-02-01\nexpires: 2025-12-31",
        "",
    );
    site.page(
        "events/run/index.md",
        "title: 长跑\ndate: 2026-02-07\ncover: cover.jpg\nevent_date: 2026-02-07",
        "",
    );
    site.file("content/events/run/cover.jpg", common::TINY_JPEG);
    site.page(
        "services/legal.md",
        "title: 法律援助\ndate: 2026-01-01",
        "## 一、咨询方式\n\n[返回首页](../_index.md)\n",
    );
    site.page(
        "policies/p.md",
        "title: 解读\ndate: 2026-01-01\nsource_url: https://flk.npc.gov.cn/",
        "",
    );
    site
}

#[test]
fn every_internal_link_is_relative_and_leads_to_a_file() {
    let site = varied_site();
    let b = site.build().ok();
    for file in b.files().iter().filter(|f| f.ends_with(".html")) {
        let html = b.html(file);
        assert!(
            !html.contains("href=\"/"),
            "{file} has a root-absolute href"
        );
        assert!(!html.contains("src=\"/"), "{file} has a root-absolute src");
        assert!(
            !html.contains("action=\"/"),
            "{file} has a root-absolute action"
        );
    }
    let problems: Vec<String> = crawl(&b.out)
        .into_iter()
        // The search page is another engineer's, checked in tests/links.rs.
        .filter(|p| !(p.tag == "form" && p.value.ends_with("search/index.html")))
        .map(|p| p.to_string())
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn nothing_is_loaded_from_outside_the_site() {
    let site = varied_site();
    site.file(
        "site.yaml",
        format!("{SITE_YAML}base_url: https://gh.example.cn/\nmenu:\n  - title: 首页\n    url: index.html\n  - title: 全总\n    url: https://www.acftu.org/\n"),
    );
    let b = site.build().ok();
    let mut checked = 0;
    for file in b.files() {
        if file.ends_with(".html") {
            let html = b.html(&file);
            for l in links(&html) {
                if l.attr == "src" || l.rel.as_deref() == Some("stylesheet") {
                    checked += 1;
                    assert!(!is_external(&l.value), "{file}: {l:?} loads from outside");
                }
            }
            assert!(!html.contains("@import"), "{file}");
            assert!(
                !html.contains("url(http") && !html.contains("url(//"),
                "{file}"
            );
        } else if file.ends_with(".css") || file.ends_with(".js") {
            let text = b.html(&file);
            assert!(!text.contains("@import"), "{file}");
            assert!(
                !text.contains("http://") && !text.contains("https://"),
                "{file} names an external URL"
            );
            assert!(!text.contains("url(//"), "{file}");
        }
    }
    assert!(checked > 0, "no src or stylesheet found to check");
    // The external menu entry is still there, as a link the reader chooses.
    assert!(hrefs(&b, "index.html").contains(&"https://www.acftu.org/".to_string()));
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let site = varied_site();
    let b = site.build().ok();
    let before = snapshot(&b.out);
    let ids_before = identities(&b.out);
    assert!(before.len() > 20);
    let entries = |dir: &std::path::Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let around = entries(site.dir());

    // A new page, a changed page and a broken one: nothing may be written.
    site.page(
        "notices/new.md",
        "title: 新通知\ndate: 2026-02-20",
        "新的。",
    );
    site.page(
        "notices/n2.md",
        "title: 改过标题的通知\ndate: 2026-02-02",
        "",
    );
    site.page("notices/n3.md", "date: 2026-02-03", "标题被删掉了。");
    let b = site.build().failed();
    assert_eq!(
        b.diag("missing-field", "content/notices/n3.md").msg.code(),
        "missing-field"
    );
    assert!(b.report.stats.is_none());
    let after = snapshot(&b.out);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (file, bytes) in &before {
        assert!(after[file] == *bytes, "{file} changed");
    }
    assert_eq!(ids_before, identities(&b.out), "no file was even rewritten");
    assert_eq!(around, entries(site.dir()), "no staging folder left behind");
}

#[test]
fn files_whose_bytes_did_not_change_are_not_rewritten() {
    let site = varied_site();
    site.page(
        "notices/edited.md",
        "title: 会改正文的通知\ndate: 2026-01-15\nsummary: 摘要写死，列表不随正文变化。",
        "第一版正文。",
    );
    let first = site.build().ok();
    let files = first.report.stats.unwrap().files;
    let bytes1 = snapshot(&first.out);
    let ids1 = identities(&first.out);

    // Nothing changed: every file is the same file (same inode, same mtime).
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = site.build().ok();
    assert_eq!(second.report.stats.unwrap().changed, 0);
    assert_eq!(second.report.stats.unwrap().files, files);
    assert_eq!(ids1, identities(&second.out));

    // One body changed: that page is rewritten; a file keeps its inode and
    // mtime exactly when its bytes are the same.
    site.page(
        "notices/edited.md",
        "title: 会改正文的通知\ndate: 2026-01-15\nsummary: 摘要写死，列表不随正文变化。",
        "第二版正文。",
    );
    let third = site.build().ok();
    let bytes3 = snapshot(&third.out);
    let ids3 = identities(&third.out);
    assert_eq!(
        bytes1.keys().collect::<Vec<_>>(),
        bytes3.keys().collect::<Vec<_>>()
    );
    let changed: Vec<&String> = bytes3.keys().filter(|f| bytes1[*f] != bytes3[*f]).collect();
    assert!(
        changed.contains(&&"notices/edited/index.html".to_string()),
        "{changed:?}"
    );
    assert!(String::from_utf8_lossy(&bytes3["notices/edited/index.html"]).contains("第二版正文"));
    for (file, id) in &ids3 {
        if changed.contains(&file) {
            assert_ne!(ids1[file], *id, "{file} changed but kept its inode");
        } else {
            assert_eq!(ids1[file], *id, "{file} is unchanged but was rewritten");
        }
    }
    assert!(changed.len() < bytes3.len() / 4, "{changed:?}");
    assert_eq!(third.report.stats.unwrap().changed, changed.len());
}

#[test]
fn a_section_s_sort_orders_its_list() {
    // (folder, sort as written, the order the list must show)
    let cases = [
        ("services", "title", ["b", "c", "a"]),
        ("series", "oldest", ["a", "b", "c"]),
        ("schedule", "date_asc", ["a", "b", "c"]),
        ("news", "newest", ["c", "b", "a"]),
        ("notices", "date", ["c", "b", "a"]),
        ("reports", "date_desc", ["c", "b", "a"]),
    ];
    let site = Site::new();
    for (dir, sort, _) in &cases {
        site.file(
            &format!("content/{dir}/_index.md"),
            format!("---\ntitle: {dir}\nsort: {sort}\n---\n"),
        );
        // Dated a < b < c; titled so that by title b < c < a.
        for (name, day, title) in [
            ("a", 1, "丙 章程"),
            ("b", 2, "A 入会指南"),
            ("c", 3, "B 法律咨询"),
        ] {
            site.page(
                &format!("{dir}/{name}.md"),
                &format!("title: {title}\ndate: 2026-02-{day:02}"),
                "",
            );
        }
    }
    let b = site.build().ok();
    for (dir, sort, want) in &cases {
        let html = b.html(&format!("{dir}/index.html"));
        let mut found: Vec<(usize, &str)> = ["a", "b", "c"]
            .into_iter()
            .map(|n| {
                let at = html
                    .find(&format!("{dir}/{n}/index.html"))
                    .unwrap_or_else(|| panic!("{dir}/{n} not listed (sort: {sort})"));
                (at, n)
            })
            .collect();
        found.sort();
        let order: Vec<&str> = found.into_iter().map(|(_, n)| n).collect();
        assert_eq!(order, want, "sort: {sort}");
    }
}

#[test]
fn what_editors_tools_leave_in_content_is_neither_published_nor_reported() {
    // Office lock files, Vim swap files, Emacs backups, half-done
    // downloads, Windows' folder litter: in a bundle (where every other
    // file is an attachment of the page) and in a section folder.
    let litter = [
        "~$会议议程.docx",
        "#会议通知.md#",
        "会议通知.md~",
        "会议通知.md.swp",
        "会议通知.md.swx",
        "报名表.xlsx.tmp",
        "活动方案.pdf.crdownload",
        "Thumbs.db",
        "thumbs.db",
        "desktop.ini",
        "Desktop.ini",
    ];
    let site = Site::new();
    site.page(
        "notices/meeting/index.md",
        "title: 关于召开职代会的通知\ndate: 2026-02-01",
        "请下载附件。",
    );
    site.file("content/notices/meeting/会议议程.docx", b"PK\x03\x04 docx");
    for name in litter {
        site.file(&format!("content/notices/meeting/{name}"), b"litter");
        site.file(&format!("content/notices/{name}"), b"litter");
    }
    let b = site.build().ok();

    assert!(
        b.has("notices/meeting/会议议程.docx"),
        "the real file is published"
    );
    let files = b.files();
    for name in litter {
        assert!(
            !files.iter().any(|f| f.ends_with(name)),
            "{name} was published: {files:?}"
        );
        assert!(
            !b.explain().contains(name),
            "{name} was reported:\n{}",
            b.explain()
        );
    }
    let html = b.html("notices/meeting/index.html");
    let list = element(&html, "<section class=\"attachments\"", "</section>").expect("a list");
    let listed: Vec<String> = links(list).iter().map(|l| decode(&l.value)).collect();
    assert_eq!(listed, ["../../notices/meeting/会议议程.docx"], "{list}");
}

#[test]
fn every_field_of_a_notice_reaches_its_place_on_the_page() {
    let site = Site::new();
    site.page(
        "notices/congress.md",
        "title: 关于召开第五届职工代表大会第三次会议的通知\ndate: 2026-02-10\n\
         updated: 2026-02-12\nsummary: 定于三月召开职代会\nauthor: 张文书\neditor: 李编辑\n\
         reviewer: 王审核\ncontact: 工会办公室 88001234\n\
         cc: [集团公司党委, 集团公司行政办公室]\nsigned_on: 2026-02-09\n\
         printed_by: 集团工会办公室\nprinted_on: 2026-02-11\n\
         title_lines: [关于召开第五届职工代表大会, 第三次会议的通知]",
        "请各分工会做好准备。",
    );
    // Lines that do not read as the title are reported and not used.
    site.page(
        "notices/wrong.md",
        "title: 关于召开第五届职工代表大会第三次会议的通知\ndate: 2026-02-10\n\
         title_lines: [关于召开第五届, 职工代表大会的通知]",
        "正文。",
    );
    let b = site.build().ok();
    b.diag("title-lines-mismatch", "content/notices/wrong.md");
    let wrong = b.html("notices/wrong/index.html");
    let h1 = element(&wrong, "<h1 class=\"doc-title\"", "</h1>").expect("a title");
    assert!(
        !h1.contains("<br>") && !h1.contains("职工代表大会的通知"),
        "{h1}"
    );
    assert!(!b.explain().contains("congress.md"), "{}", b.explain());
    let html = b.html("notices/congress/index.html");
    let part = |open: &str, close: &str| {
        element(&html, open, close)
            .unwrap_or_else(|| panic!("no {open} in\n{html}"))
            .to_string()
    };
    assert!(html.contains("<meta name=\"description\" content=\"定于三月召开职代会\">"));
    let table = part("<table class=\"meta-table\"", "</table>");
    for text in [
        "张文书",
        "李编辑",
        "王审核",
        "工会办公室 88001234",
        "<time datetime=\"2026-02-12\">2026年2月12日</time>",
    ] {
        assert!(
            table.contains(text),
            "the page's record lacks {text}:\n{table}"
        );
    }
    let title = part("<h1 class=\"doc-title\"", "</h1>");
    assert!(
        title.contains(
            "<span class=\"title-line\">关于召开第五届职工代表大会</span><br>\
             <span class=\"title-line\">第三次会议的通知</span>"
        ),
        "{title}"
    );
    let signature = part("<div class=\"doc-signature", "</div>");
    assert!(signature.contains("2026年2月9日"), "{signature}");
    let record = part("<footer class=\"doc-record\"", "</footer>");
    for text in [
        "集团公司党委，集团公司行政办公室",
        "集团工会办公室",
        "2026年2月11日",
    ] {
        assert!(
            record.contains(text),
            "the record (版记) lacks {text}:\n{record}"
        );
    }
    let list = b.html("notices/index.html");
    assert!(list.contains("<p class=\"summary\">定于三月召开职代会</p>"));
}

#[test]
fn description_and_categories_from_other_generators_are_summary_and_tags() {
    let site = Site::new();
    site.page(
        "notices/moved.md",
        "title: 迁移来的通知\ndate: 2026-02-10\ndescription: 从旧网站迁来的摘要\n\
         tags: [福利]\ncategories: [福利, 女职工]",
        "正文。",
    );
    site.page(
        "notices/both.md",
        "title: 两种摘要\ndate: 2026-02-11\nsummary: 写在 summary 的摘要\n\
         description: 写在 description 的摘要",
        "正文。",
    );
    let b = site.build().ok();
    let moved = b.html("notices/moved/index.html");
    assert!(moved.contains("<meta name=\"description\" content=\"从旧网站迁来的摘要\">"));
    let both = b.html("notices/both/index.html");
    assert!(both.contains("<meta name=\"description\" content=\"写在 summary 的摘要\">"));
    // Each category is a tag, once.
    let tags: Vec<String> = targets(&b, "notices/moved/index.html")
        .into_iter()
        .filter(|t| t.starts_with("tags/") && t != "tags/index.html")
        .collect();
    assert_eq!(tags.len(), 2, "{tags:?}");
    let women = tags
        .iter()
        .find(|t| t.contains("女职工"))
        .expect("the category as a tag");
    assert!(b.html(women).contains("迁移来的通知"));
}

#[test]
fn a_bundle_folder_with_a_dot_keeps_its_whole_name_in_the_url() {
    let site = Site::new();
    site.page(
        "notices/职代会.2026/index.md",
        "title: 职代会\ndate: 2026-02-01",
        "正文。",
    );
    site.page(
        "notices/职代会.2025/index.md",
        "title: 上届职代会\ndate: 2025-02-01",
        "正文。",
    );
    let b = site.build().ok();
    let pages: Vec<String> = b
        .files()
        .into_iter()
        .filter(|f| f.starts_with("notices/职代会") && f.ends_with("index.html"))
        .collect();
    assert_eq!(pages.len(), 2, "{pages:?}\n{}", b.explain());
    assert!(pages.iter().any(|p| p.contains("2026")), "{pages:?}");
}
