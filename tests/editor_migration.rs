//! A section moved over from Jekyll/Hexo/Hugo, as issue 9 found them: 612
//! posts with Jekyll's and Hexo's date forms, `categories`, `layout`,
//! `description`, `author` lists, `aliases` and `url`. It must build with
//! its dates and print a screenful of grouped warnings, not thousands.

mod editor_support;

use std::process::Command;

use editor_support::TestSite;

const POSTS: usize = 612;

fn post(i: usize) -> (String, String) {
    let day = i % 28 + 1;
    let date = match i % 3 {
        0 => format!("2018-01-{day:02} 18:49 +0800"),
        1 => format!("2018-01-{day:02} 14:10:51 +0800"),
        _ => format!("2018-01-{day:02} 14:10:51"),
    };
    // Every tenth post is a `.markdown` file, as Jekyll names them.
    let ext = if i % 10 == 0 { "markdown" } else { "md" };
    let name = format!("content/blog/2018-01-{day:02}-post-{i}.{ext}");
    let text = format!(
        "---\nlayout: post\ntitle: \"工会动态第{i}期\"\ndate: {date}\ncategories: [工会动态]\ndescription: 第{i}期摘要：职工之家建设情况\nauthor: [张三, 李四]\naliases: [/old/{i}.html]\nurl: /2018/01/post-{i}.html\ntags: [职代会]\n---\n\n第{i}期正文。\n"
    );
    (name, text)
}

#[test]
fn a_jekyll_section_of_612_posts_builds_with_its_dates_and_a_screenful_of_warnings() {
    let site = TestSite::new();
    site.write("content/blog/_index.md", "---\ntitle: 工会动态\n---\n");
    for i in 0..POSTS {
        let (name, text) = post(i);
        site.write(&name, text);
    }
    let out = Command::new(env!("CARGO_BIN_EXE_unionpress"))
        .args(["build", "--now", "2026-06-01", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stderr}");

    // A screenful: one line per repeated (code, key), not 1,836 frames.
    let lines = stderr.lines().count();
    assert!(lines <= 25, "{lines} lines:\n{stderr}");
    for key in ["layout", "aliases", "url"] {
        let line = stderr
            .lines()
            .find(|l| l.contains(&format!("`{key}`")))
            .unwrap_or_else(|| panic!("no line for {key}:\n{stderr}"));
        assert!(line.contains(&format!("×{POSTS}")), "{line}");
        assert!(line.contains("content/blog/"), "{line}");
    }
    // Mapped, so not warned about: categories (tags), description (summary),
    // author lists.
    for key in ["`categories`", "`description`", "`author`"] {
        assert!(!stderr.contains(key), "{key} warned:\n{stderr}");
    }
    assert!(stdout.contains("构建完成"), "{stdout}");
    let built = std::fs::read_dir(site.path("public/blog"))
        .unwrap()
        .flatten()
        .filter(|e| {
            e.path().join("index.html").is_file()
                && e.file_name().to_string_lossy().contains("-post-")
        })
        .count();
    assert_eq!(built, POSTS, "every post, .md and .markdown, is a page");

    // Every post is a page, with its date and both reporters.
    for i in [0usize, 1, 2, 10, 611] {
        let day = i % 28 + 1;
        let slug = format!("2018-01-{day:02}-post-{i}");
        let html = site.read(&format!("public/blog/{slug}/index.html"));
        assert!(html.contains("工会动态第"), "{slug}");
        assert!(
            html.contains(&format!("2018-01-{day:02}")),
            "{slug} lacks its date"
        );
        assert!(html.contains("张三、李四"), "{slug} lacks its authors");
    }
    // `--verbose` lists every warning.
    let out = Command::new(env!("CARGO_BIN_EXE_unionpress"))
        .args(["build", "--verbose", "--now", "2026-06-01", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    let verbose = String::from_utf8_lossy(&out.stderr);
    assert_eq!(verbose.matches("warning[unknown-key]").count(), 3 * POSTS);
}

#[test]
fn hexo_dates_are_read_in_their_offset_and_description_is_the_summary() {
    let site = TestSite::new();
    site.write(
        "content/notices/hexo.md",
        "---\ntitle: 旧站通知\ndate: 2018-01-15 20:00 -0500\ndescription: 旧站迁移过来的摘要\n---\n正文\n",
    );
    assert!(!site.build().failed());
    let html = site.read("public/notices/hexo/index.html");
    // 20:00 in New York is 09:00 the next morning in Shanghai, the site's
    // time zone: the page is dated the 16th.
    assert!(html.contains("<time datetime=\"2018-01-16\">"), "{html}");
    let list = site.read("public/notices/index.html");
    assert!(list.contains("旧站迁移过来的摘要"), "{list}");
}
