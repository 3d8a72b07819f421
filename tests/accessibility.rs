//! What the build writes for readers who need more than the default: the
//! contact page and the 我要反映 entry (channels from `site.yaml`, `tel:`
//! and `mailto:` links), the URL it claims, the data the 新 marks read
//! (`new_days`, each list link's stamp), task lists as ☐/☑ text, focusable
//! table boxes, and the favicon. What only a browser can tell (axe, the
//! display switch, the phone menu) is in tests/browser/a11y.test.js.

mod common;

use common::*;

const CONTACT: &str = "\
contact:
  hotline: 8600（内线）/ 0531-8888 6666
  mailbox: gh@example.cn、nzg@example.cn
  office: 办公楼 3 楼 306 室
  hours: 工作日 8:30—17:00
  form: https://oa.example.cn/fanying
  form_title: 打开 OA 反映系统
  mail_subject: 职工来信
  wechat: 测试集团工会公众号
";

fn with_yaml(extra: &str) -> Site {
    let site = Site::new();
    site.file("site.yaml", format!("{SITE_YAML}{extra}"));
    site.page(
        "notices/meeting.md",
        "title: 关于开会的通知\ndate: 2026-02-20\nupdated: 2026-02-25 10:00",
        "请准时参加。",
    );
    site
}

#[test]
fn the_contact_page_lists_every_channel_with_working_links() {
    let site = with_yaml(CONTACT);
    let b = site.build().ok();
    let html = b.html("contact/index.html");
    assert!(html.contains("<h1>联系工会</h1>"), "{html}");
    for href in [
        "href=\"tel:8600\"",
        "href=\"tel:053188886666\"",
        // 职工来信, percent-encoded so every mail program keeps it.
        "href=\"mailto:gh@example.cn?subject=%E8%81%8C%E5%B7%A5%E6%9D%A5%E4%BF%A1\"",
        "href=\"mailto:nzg@example.cn?subject=%E8%81%8C%E5%B7%A5%E6%9D%A5%E4%BF%A1\"",
        "href=\"https://oa.example.cn/fanying\"",
    ] {
        assert!(html.contains(href), "missing {href} in\n{html}");
    }
    for text in [
        "拨打 0531-8888 6666",
        "办公楼 3 楼 306 室",
        "工作日 8:30—17:00",
        "打开 OA 反映系统",
        "<h2>接待时间</h2>",
        "<h2>网上反映</h2>",
        // A channel the theme has no word for is shown under its own key.
        "<h2>wechat</h2>",
        "测试集团工会公众号",
    ] {
        assert!(html.contains(text), "missing {text} in\n{html}");
    }
    // Settings are not channels.
    assert!(!html.contains("<h2>mail_subject</h2>") && !html.contains("<h2>form_title</h2>"));
    // No form pretending to send anything.
    assert!(!html.contains("<form class=\"contact") && !html.contains("<textarea"));
}

#[test]
fn every_page_links_to_the_contact_page_relatively() {
    let site = with_yaml(CONTACT);
    let b = site.build().ok();
    for (url, href) in [
        ("index.html", "contact/index.html"),
        ("notices/index.html", "../contact/index.html"),
        ("notices/meeting/index.html", "../../contact/index.html"),
        ("tags/index.html", "../contact/index.html"),
        ("contact/index.html", "../contact/index.html"),
    ] {
        let html = b.html(url);
        assert!(
            html.contains(&format!("<a class=\"report-link\" href=\"{href}\"")),
            "{url}: no 我要反映 link to {href}"
        );
        // The footer links the numbers inside their sentence.
        assert!(
            html.contains("<a href=\"tel:8600\" aria-label=\"拨打 8600\">8600</a>（内线）"),
            "{url}: footer"
        );
    }
    assert!(
        b.html("contact/index.html")
            .contains("aria-current=\"page\">我要反映</a>")
    );
}

#[test]
fn a_site_without_channels_has_no_contact_page_and_no_dead_link() {
    let site = with_yaml("");
    let b = site.build().ok();
    assert!(!b.has("contact/index.html"));
    assert!(!b.html("index.html").contains("report-link"));
    // Only settings, no channel: still nothing to show.
    let site = with_yaml("contact:\n  mail_subject: 来信\n");
    let b = site.build().ok();
    assert!(!b.has("contact/index.html"));
}

#[test]
fn a_page_cannot_take_the_contact_url() {
    let site = with_yaml(CONTACT);
    site.page("contact.md", "title: 联系我们\ndate: 2026-01-01", "正文");
    let b = site.build().failed();
    // duplicate-url here; generated-url once site::generated (tests branch) names build-written URLs.
    b.diag("duplicate-url|generated-url", "content/contact.md");
}

#[test]
fn list_links_carry_the_stamp_the_new_marks_compare() {
    let site = with_yaml("new_days: 14\n");
    let b = site.build().ok();
    let stamp = "data-stamp=\"2026-02-25T10:00:00+08:00\"";
    // On the link in section lists, on the date in the home page's short
    // lists (theme.js marks the item's link).
    for (url, marked) in [
        (
            "notices/index.html",
            format!("<a href=\"../notices/meeting/index.html\" {stamp}>"),
        ),
        (
            "index.html",
            format!("<time datetime=\"2026-02-20\" {stamp}>"),
        ),
    ] {
        let html = b.html(url);
        assert!(
            html.contains(&marked),
            "{url}: the link has its updated stamp\n{html}"
        );
        assert!(html.contains("data-new-days=\"14\""), "{url}");
        assert!(html.contains("data-new-label=\"新\""), "{url}");
    }
    // The page itself says what stamp opening it records.
    assert!(b.html("notices/meeting/index.html").contains(&format!(
        "<body class=\"single kind-notice\" data-new-days=\"14\" data-new-label=\"新\" {stamp}>"
    )));
    // Without updated, the date is the stamp; new_days defaults to 30.
    let site = Site::new();
    site.page("notices/a.md", "title: 通知\ndate: 2026-02-20", "正文");
    let html = site.build().ok().html("notices/index.html");
    assert!(
        html.contains("data-stamp=\"2026-02-20T00:00:00+08:00\""),
        "{html}"
    );
    assert!(html.contains("data-new-days=\"30\""));
}

#[test]
fn new_days_that_is_not_a_number_is_an_error_at_its_line() {
    let site = with_yaml("new_days: 一个月\n");
    let b = site.build().failed();
    let d = b.diag("*", "site.yaml");
    assert_eq!(
        loc(d),
        format!("site.yaml:{}:11", SITE_YAML.lines().count() + 1)
    );
    // The hint shows this key with a number, not some other key.
    let hint = d.msg.hint(unionpress::i18n::Lang::Zh).unwrap_or_default();
    assert_eq!(hint, "请写成：new_days: 30");
}

#[test]
fn task_lists_are_text_with_words_for_screen_readers() {
    let site = Site::new();
    site.page(
        "notices/todo.md",
        "title: 准备工作\ndate: 2026-02-01",
        "- [x] 报送名单\n- [ ] 领取材料\n",
    );
    let html = site.build().ok().html("notices/todo/index.html");
    assert!(!html.contains("type=\"checkbox\""), "{html}");
    assert!(html.contains("<span class=\"task task-done\"><span aria-hidden=\"true\">☑</span><span class=\"visually-hidden\">已完成</span></span>"), "{html}");
    assert!(html.contains("<span class=\"task task-todo\"><span aria-hidden=\"true\">☐</span><span class=\"visually-hidden\">未完成</span></span>"));
}

#[test]
fn task_list_words_follow_the_site_language() {
    let site = Site::new();
    site.file("site.yaml", SITE_YAML.replace("zh-CN", "en"));
    site.page(
        "notices/todo.md",
        "title: Todo\ndate: 2026-02-01",
        "- [x] Send the list\n",
    );
    let html = site.build().ok().html("notices/todo/index.html");
    assert!(
        html.contains("<span class=\"visually-hidden\">done</span>"),
        "{html}"
    );
}

#[test]
fn tables_scroll_in_a_box_keyboard_users_can_focus() {
    let site = Site::new();
    site.page(
        "notices/table.md",
        "title: 日程\ndate: 2026-02-01",
        "| 时间 | 安排 |\n| --- | --- |\n| 9:00 | 报到 |\n",
    );
    let html = site.build().ok().html("notices/table/index.html");
    assert!(
        html.contains(
            "<div class=\"table-scroll\" tabindex=\"0\" role=\"group\" aria-label=\"表格\"><table>"
        ),
        "{html}"
    );
    assert!(html.contains("</table>\n</div>"));
}

#[test]
fn the_favicon_is_shipped_and_linked_relatively_from_every_page() {
    let site = with_yaml(CONTACT);
    let b = site.build().ok();
    assert!(b.has("favicon.svg") && b.has("favicon.png"));
    assert!(
        std::fs::read(b.path("favicon.png"))
            .unwrap()
            .starts_with(b"\x89PNG")
    );
    for (url, root) in [
        ("index.html", ""),
        ("notices/meeting/index.html", "../../"),
        ("404.html", ""),
    ] {
        let html = b.html(url);
        assert!(
            html.contains(&format!(
                "<link rel=\"icon\" href=\"{root}favicon.svg\" type=\"image/svg+xml\">"
            )),
            "{url}"
        );
        assert!(
            html.contains(&format!(
                "<link rel=\"icon\" href=\"{root}favicon.png\" type=\"image/png\" sizes=\"32x32\">"
            )),
            "{url}"
        );
    }
}
