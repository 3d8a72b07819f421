//! A page that makes the reader's browser load something from another
//! server (an image pasted from a WeChat article, a CDN script, an embedded
//! video) breaks on an intranet without internet and over `file://`: each
//! such address is a warning at its line and column, in `build` and in
//! `check`, whose hint, followed, leaves a page that loads nothing from
//! outside. Links are the reader's choice and stay silent. The theme itself
//! loads nothing from outside the example site.

mod common;

use common::*;
use unionpress::build::{self, Request};
use unionpress::diagnostics::Diagnostic;
use unionpress::i18n::{Lang, Loaded, Msg};
use unionpress::site::Options;

const FRONT: &str = "title: 转载的文章\ndate: 2026-02-01";

/// Every way of loading from outside, one a line from line 6 of
/// `content/notices/wx/index.md`, with where its address starts.
const BODY: &str = r#"![外部图](https://cdn.example.com/a.jpg)

<img src="https://cdn.example.com/b.jpg">

<script src="https://cdn.example.com/x.js"></script>

<div style="background:url(https://cdn.example.com/c.jpg)">背景</div>

<iframe src="https://video.example.com/v"></iframe>

<link rel="stylesheet" href="https://cdn.example.com/s.css">

<img srcset="https://cdn.example.com/d.jpg 1x, //cdn.example.com/e.jpg 2x">

<video poster="https://cdn.example.com/p.jpg" controls><source src="https://cdn.example.com/v.mp4"><track src="https://cdn.example.com/t.vtt"></video>

<audio src="ftp://files.example.com/a.mp3"></audio>

<object data="https://cdn.example.com/o.pdf"></object>

<embed src="https://cdn.example.com/e.swf">

<input type="image" src="https://cdn.example.com/i.jpg" alt="提交">

<table background="https://cdn.example.com/bg.jpg"><tr><td>表</td></tr></table>

<link rel="icon" href="//cdn.example.com/i.ico">

<style>
p { background: url("https://cdn.example.com/s.jpg") }
@import "https://cdn.example.com/i.css";
</style>

段落里的 <img src="https://cdn.example.com/inline.jpg" alt="行内">。

- 列表里：![列表图](https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg)

![参考][wx]

[wx]: https://cdn.example.com/ref.jpg

> <span style='background-image:URL(https://cdn.example.com/q.jpg)'>引用</span>

![协议相对](//cdn.example.com/pr.jpg)"#;

/// `(line, column, address, kind)` of each warning `BODY` must give.
const EXPECTED: &[(usize, usize, &str, Loaded)] = &[
    (6, 8, "https://cdn.example.com/a.jpg", Loaded::Image),
    (8, 11, "https://cdn.example.com/b.jpg", Loaded::Image),
    (10, 14, "https://cdn.example.com/x.js", Loaded::Script),
    (12, 28, "https://cdn.example.com/c.jpg", Loaded::Background),
    (14, 14, "https://video.example.com/v", Loaded::Frame),
    (16, 30, "https://cdn.example.com/s.css", Loaded::Stylesheet),
    (18, 14, "https://cdn.example.com/d.jpg", Loaded::Image),
    (18, 48, "//cdn.example.com/e.jpg", Loaded::Image),
    (20, 16, "https://cdn.example.com/p.jpg", Loaded::Background),
    (20, 69, "https://cdn.example.com/v.mp4", Loaded::Media),
    (20, 112, "https://cdn.example.com/t.vtt", Loaded::Media),
    (22, 13, "ftp://files.example.com/a.mp3", Loaded::Media),
    (24, 15, "https://cdn.example.com/o.pdf", Loaded::Frame),
    (26, 13, "https://cdn.example.com/e.swf", Loaded::Frame),
    (28, 26, "https://cdn.example.com/i.jpg", Loaded::Background),
    (30, 20, "https://cdn.example.com/bg.jpg", Loaded::Background),
    (32, 24, "//cdn.example.com/i.ico", Loaded::Other),
    (35, 22, "https://cdn.example.com/s.jpg", Loaded::Background),
    (36, 10, "https://cdn.example.com/i.css", Loaded::Stylesheet),
    (39, 16, "https://cdn.example.com/inline.jpg", Loaded::Image),
    (
        41,
        14,
        "https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg",
        Loaded::Image,
    ),
    // `![参考][wx]` is underlined where its address is: the definition.
    (45, 7, "https://cdn.example.com/ref.jpg", Loaded::Image),
    (47, 37, "https://cdn.example.com/q.jpg", Loaded::Background),
    (49, 9, "//cdn.example.com/pr.jpg", Loaded::Image),
];

/// `(line, column, address, kind)` of each outside-load warning.
fn outside_loads(diags: &[Diagnostic]) -> Vec<(usize, usize, String, Loaded)> {
    let mut found: Vec<_> = diags
        .iter()
        .filter_map(|d| match &*d.msg {
            Msg::ExternalLoad { url, kind, .. } => {
                assert!(!d.is_error(), "a warning, not an error");
                let s = d.span.as_ref().expect("a place in the file");
                // The underline covers the address as written.
                assert_eq!(s.bytes.len(), url.len(), "{url}");
                Some((s.line, s.column, url.clone(), *kind))
            }
            _ => None,
        })
        .collect();
    found.sort_by_key(|f| (f.0, f.1));
    found
}

fn expected() -> Vec<(usize, usize, String, Loaded)> {
    EXPECTED
        .iter()
        .map(|(l, c, u, k)| (*l, *c, u.to_string(), *k))
        .collect()
}

#[test]
fn each_kind_of_load_from_another_server_is_a_warning_at_its_address() {
    let site = Site::new();
    site.page("notices/wx/index.md", FRONT, BODY);
    let b = site.build().ok();
    assert_eq!(
        outside_loads(&b.report.diags),
        expected(),
        "{}",
        b.explain()
    );
    for d in &b.report.diags {
        let s = d.span.as_ref().unwrap();
        assert_eq!(&*s.file, "content/notices/wx/index.md");
    }

    // The message says what the reader misses and where; a WeChat image
    // is named as one, with how to save it.
    let text = |line: usize| {
        let d = b
            .report
            .diags
            .iter()
            .find(|d| d.span.as_ref().is_some_and(|s| s.line == line))
            .unwrap();
        (d.msg.text(Lang::Zh), d.msg.hint(Lang::Zh).unwrap())
    };
    let (msg, hint) = text(6);
    assert!(msg.contains("https://cdn.example.com/a.jpg"), "{msg}");
    assert!(msg.contains("图片") && msg.contains("显示不出来"), "{msg}");
    assert!(msg.contains("内网") && msg.contains("file://"), "{msg}");
    assert!(hint.contains("![图片说明](a.jpg)"), "{hint}");
    assert!(hint.contains("内网服务器上的地址"), "{hint}");
    let (msg, hint) = text(10);
    assert!(msg.contains("脚本") && msg.contains("运行不了"), "{msg}");
    assert!(hint.contains("把这个地址改成 x.js"), "{hint}");
    let (msg, hint) = text(41);
    assert!(
        msg.contains("微信公众号") && msg.contains("未经允许不可引用"),
        "{msg}"
    );
    assert!(hint.contains("在微信里打开原文"), "{hint}");
    assert!(hint.contains("![图片说明](图片1.jpg)"), "{hint}");
    assert!(hint.contains("图片2.jpg"), "{hint}");
    let (_, hint) = text(14);
    assert!(
        hint.contains("[打开网页](https://video.example.com/v)"),
        "{hint}"
    );
}

/// Links and autolinks are the reader's choice; local files, inline
/// `data:` images, code and comments load nothing from outside.
#[test]
fn links_local_images_and_code_are_not_warned_about() {
    let site = Site::new();
    site.file("content/notices/ok/local.jpg", TINY_JPEG);
    site.file("content/notices/near.jpg", TINY_JPEG);
    site.page(
        "notices/ok/index.md",
        FRONT,
        "[市总工会](http://www.acftu.org) 和 <https://www.acftu.org/> 和 \
         <a href=\"https://www.acftu.org/\">全总</a>\n\n\
         ![本地](local.jpg)\n\n\
         <img src=\"local.jpg\" alt=\"本地\">\n\n\
         ![相邻](../near.jpg)\n\n\
         ![内嵌](data:image/png;base64,iVBORw0KGgo=)\n\n\
         <link rel=\"canonical\" href=\"https://www.acftu.org/\">\n\n\
         写成代码：`<img src=\"https://cdn.example.com/a.png\">`\n\n\
         ```html\n<script src=\"https://cdn.example.com/x.js\"></script>\n```\n\n\
         <!-- <img src=\"https://cdn.example.com/old.png\"> -->\n",
    );
    let b = site.build().ok();
    assert_eq!(outside_loads(&b.report.diags), [], "{}", b.explain());
}

/// `check` reports the same warnings as `build`, at the same places, in
/// Chinese by default and in English with `--lang en`.
#[test]
fn check_reports_the_same_warnings_in_either_language() {
    let site = Site::new();
    site.page("notices/wx/index.md", FRONT, BODY);
    let root = site.root.to_str().unwrap();
    for (lang, words) in [
        (None, "要从其他服务器加载"),
        (Some("en"), "is loaded from another server"),
    ] {
        let mut args = vec!["check", "--root", root];
        args.extend(lang.map(|l| ["--lang", l]).iter().flatten());
        let out = run_cli(&args);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stdout}");
        assert_eq!(
            stdout.matches("warning[external-load]").count(),
            EXPECTED.len(),
            "{stdout}"
        );
        assert_eq!(stdout.matches(words).count(), EXPECTED.len(), "{stdout}");
        for (line, col, ..) in EXPECTED {
            let at = format!("content/notices/wx/index.md:{line}:{col}");
            assert!(stdout.contains(&at), "{at} missing:\n{stdout}");
        }
    }
}

#[test]
fn the_english_message_says_the_same() {
    let site = Site::new();
    site.page(
        "notices/a.md",
        FRONT,
        "![外部图](https://cdn.example.com/a.jpg)\n\n\
         <iframe src=\"https://video.example.com/v\"></iframe>\n\n\
         <div style=\"font-family:x;src:url(https://fonts.example.com/f.woff2)\">字</div>",
    );
    let b = site.build_with(Opts {
        lang: Some(Lang::En),
        ..Opts::default()
    });
    let b = b.ok();
    let en: Vec<(String, String)> = b
        .report
        .diags
        .iter()
        .filter(|d| d.msg.code() == "external-load")
        .map(|d| (d.msg.text(Lang::En), d.msg.hint(Lang::En).unwrap()))
        .collect();
    assert_eq!(en.len(), 3, "{}", b.explain());
    assert_eq!(
        en[0].0,
        "an image is loaded from another server, https://cdn.example.com/a.jpg: readers who \
         cannot reach that server (intranet computers usually cannot reach the internet) see a \
         broken image, also when the site is opened from a file share (file://)"
    );
    assert!(en[0].1.contains("![description](a.jpg)"), "{}", en[0].1);
    assert!(en[1].0.starts_with("an embedded page"), "{}", en[1].0);
    assert!(
        en[1]
            .1
            .contains("[open the page](https://video.example.com/v)"),
        "{}",
        en[1].1
    );
    assert!(en[2].0.starts_with("a web font"), "{}", en[2].0);
    assert!(en[2].1.contains("\"Microsoft YaHei\""), "{}", en[2].1);
    // No Chinese left in the English words (the file's own text aside).
    for (text, hint) in &en {
        let words = format!("{text} {hint}").replace("外部图", "");
        assert!(!words.chars().any(|c| c > '\u{2e80}'), "{words}");
    }
}

/// What the hint says to type, read from the hint itself: a Markdown image
/// (`![图片说明](a.jpg)`), a link (`[打开网页](…)`), or a file name to put
/// in place of the address (`把这个地址改成 x.js`).
enum Fix {
    Line(String),
    Address(String),
}

fn fix_from_hint(hint: &str) -> Fix {
    for opener in ["![图片说明](", "[打开网页]("] {
        if let Some(i) = hint.find(opener) {
            let end = hint[i..].find(')').unwrap() + i + 1;
            return Fix::Line(hint[i..end].to_string());
        }
    }
    let name = hint
        .split("把这个地址改成 ")
        .nth(1)
        .unwrap_or_else(|| panic!("no fix in {hint}"));
    Fix::Address(name.split('；').next().unwrap().to_string())
}

/// Doing what each hint says — the file downloaded beside the page, the
/// line or address rewritten as told — gives a page with no warning whose
/// every link and image resolves in the output.
#[test]
fn following_the_hints_leaves_a_page_that_loads_nothing_from_outside() {
    let site = Site::new();
    let body = "![外部图](https://cdn.example.com/a.jpg)\n\n\
                <img src=\"https://cdn.example.com/b.jpg\">\n\n\
                <script src=\"https://cdn.example.com/x.js\"></script>\n\n\
                <link rel=\"stylesheet\" href=\"https://cdn.example.com/s.css\">\n\n\
                <div style=\"background:url(https://cdn.example.com/c.jpg)\">背景</div>\n\n\
                <video controls src=\"https://cdn.example.com/v.mp4\"></video>\n\n\
                <iframe src=\"https://video.example.com/v\"></iframe>\n\n\
                ![微信图](https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg)\n";
    site.page("notices/wx/index.md", FRONT, body);
    let b = site.build().ok();
    let warnings: Vec<&Diagnostic> = b
        .report
        .diags
        .iter()
        .filter(|d| d.msg.code() == "external-load")
        .collect();
    assert_eq!(warnings.len(), 8, "{}", b.explain());

    let path = site.root.join("content/notices/wx/index.md");
    let mut text = std::fs::read_to_string(&path).unwrap();
    // From the last to the first, so earlier places stay where they are.
    for d in warnings.iter().rev() {
        let span = d.span.as_ref().unwrap();
        let (fix, file) = match fix_from_hint(&d.msg.hint(Lang::Zh).unwrap()) {
            Fix::Line(line) => {
                let start = text[..span.bytes.start].rfind('\n').unwrap() + 1;
                let end = text[span.bytes.end..].find('\n').unwrap() + span.bytes.end;
                let file = line
                    .strip_prefix("![图片说明](")
                    .map(|f| f.trim_end_matches(')').to_string());
                text.replace_range(start..end, &line);
                (line, file)
            }
            Fix::Address(name) => {
                text.replace_range(span.bytes.clone(), &name);
                (name.clone(), Some(name))
            }
        };
        // The downloaded file, beside the page.
        if let Some(file) = file {
            let bytes: &[u8] = if file.ends_with(".jpg") {
                TINY_JPEG
            } else {
                b"/* downloaded */"
            };
            site.file(&format!("content/notices/wx/{file}"), bytes);
        }
        assert!(!fix.is_empty());
    }
    std::fs::write(&path, &text).unwrap();

    let b = site.build().ok();
    assert!(b.errors().is_empty(), "{}", b.explain());
    assert_eq!(
        outside_loads(&b.report.diags),
        [],
        "{text}\n{}",
        b.explain()
    );
    let problems: Vec<String> = crawl(&b.out)
        .into_iter()
        .filter(|p| p.file.starts_with("notices/wx/"))
        .map(|p| p.to_string())
        .collect();
    assert!(problems.is_empty(), "{text}\n{}", problems.join("\n"));
    let html = b.html("notices/wx/index.html");
    for name in [
        "a.jpg",
        "b.jpg",
        "x.js",
        "s.css",
        "c.jpg",
        "v.mp4",
        "图片1.jpg",
    ] {
        assert!(html.contains(name), "{name} not in\n{html}");
        assert!(b.has(&format!("notices/wx/{name}")), "{name} not published");
    }
    assert!(!html.contains("example.com/a.jpg") && !html.contains("qpic.cn"));

    // `check` does not then call the downloaded files unused (and say to
    // delete them): the raw HTML that loads them uses them.
    let checked = unionpress::check::run(&site.request(Opts::default()));
    let unused: Vec<String> = checked
        .diags
        .iter()
        .filter(|d| d.msg.code() == "unused-file")
        .map(|d| d.location())
        .collect();
    assert!(unused.is_empty(), "{unused:?}");
}

/// A file of a page bundle that only the page's raw HTML links to
/// (`<a href="旧版通知.html">`, pasted from an old site; documents such as
/// PDFs are listed as downloads anyway) is used: `check` does not call it
/// unused and say to delete it. The link itself, like any link, is no
/// warning.
#[test]
fn a_file_only_raw_html_links_to_is_used() {
    let site = Site::new();
    site.page(
        "notices/wx/index.md",
        "title: 慰问名单\ndate: 2026-02-01",
        "见<a href=\"旧版通知.html\">旧版通知</a>，或看<a href='http://www.acftu.org/'>全总网站</a>。",
    );
    site.file("content/notices/wx/旧版通知.html", "<p>旧版</p>".as_bytes());
    let checked = unionpress::check::run(&site.request(Opts::default()));
    let codes: Vec<String> = checked
        .diags
        .iter()
        .map(|d| format!("{} {}", d.msg.code(), d.location()))
        .collect();
    assert!(
        !codes.iter().any(|c| c.starts_with("unused-file")),
        "{codes:?}"
    );
    assert!(outside_loads(&checked.diags).is_empty(), "{codes:?}");
    let b = site.build().ok();
    assert!(b.has("notices/wx/旧版通知.html"));
}

/// Raw HTML in a single-file page is read like its Markdown, from the
/// Markdown file's folder, though the page is written one folder deeper:
/// `<video src="现场.mp4">` beside `运动会.md` plays, instead of leading to
/// a file that is not there and saying nothing. An address written for
/// the output (`../现场.jpg`) and one that names no file stay as written.
#[test]
fn raw_html_in_a_single_file_page_leads_where_its_markdown_would() {
    let site = Site::new();
    site.page(
        "notices/运动会.md",
        "title: 运动会\ndate: 2026-02-01",
        concat!(
            "<video src=\"现场.mp4\" poster=\"封面.jpg\" controls></video>\n\n",
            "<img src=\"现场.jpg\" srcset=\"现场.jpg 1x, 大图.jpg 2x\" alt=\"现场\">\n\n",
            "<p>见<a href=\"体检安排.xlsx?v=2\">安排</a>、<a href=\"议程.md#第二项\">议程</a>、",
            "<a href=\"#top\">顶部</a>、<a href=\"../notices/现场.jpg\">原图</a>。</p>\n\n",
            "<img src=\"../现场.jpg\" alt=\"为输出写的\">\n\n<img src=\"没有的图.jpg\" alt=\"无\">\n",
        ),
    );
    site.page(
        "notices/议程.md",
        "title: 议程\ndate: 2026-02-01",
        "## 第二项\n",
    );
    for f in ["现场.mp4", "体检安排.xlsx"] {
        site.file(&format!("content/notices/{f}"), b"x");
    }
    for f in ["现场.jpg", "封面.jpg", "大图.jpg"] {
        site.file(&format!("content/notices/{f}"), TINY_JPEG);
    }
    let b = site.build().ok();
    let html = b.html("notices/运动会/index.html");
    for written in [
        "src=\"../现场.mp4\"",
        "poster=\"../封面.jpg\"",
        "srcset=\"../现场.jpg 1x, ../大图.jpg 2x\"",
        "href=\"../体检安排.xlsx?v=2\"",
        "href=\"../议程/index.html#第二项\"",
        "href=\"#top\"",
        "href=\"../现场.jpg\">原图",
        "src=\"../现场.jpg\" alt=\"为输出写的\"",
        "src=\"没有的图.jpg\"",
    ] {
        assert!(html.contains(written), "lacks {written}:\n{html}");
    }
    for file in [
        "notices/现场.mp4",
        "notices/封面.jpg",
        "notices/大图.jpg",
        "notices/体检安排.xlsx",
        "notices/议程/index.html",
    ] {
        assert!(b.has(file), "{file}");
    }
    // A bundle's page shares its folder with its files: nothing to move.
    site.page(
        "events/游园/index.md",
        "title: 游园\ndate: 2026-02-01",
        "<img src=\"合影.jpg\" alt=\"合影\">\n",
    );
    site.file("content/events/游园/合影.jpg", TINY_JPEG);
    let b = site.build().ok();
    assert!(
        b.html("events/游园/index.html")
            .contains("src=\"合影.jpg\"")
    );
}

/// An address from the server's root (`/uploads/a.jpg`, pasted from an
/// old CMS) is outside the site's folder under a sub-path and over
/// `file://`: a warning, unless a Markdown image's names a file of the
/// site (it is then rewritten to a relative path). Links stay silent.
#[test]
fn a_load_from_the_servers_root_is_a_warning_unless_it_is_a_file_of_the_site() {
    let site = Site::new();
    site.file("content/notices/r/c.jpg", TINY_JPEG);
    let body = "<img src=\"/uploads/a.jpg\">\n\n\
                ![旧图](/uploads/b.jpg)\n\n\
                ![站内](/notices/r/c.jpg)\n\n\
                [旧链接](/blog/x/) 和 <a href=\"/blog/y/\">旧链接</a>\n\n\
                <link rel=\"stylesheet\" href=\"/css/old.css\">\n";
    site.page("notices/r/index.md", FRONT, body);
    let b = site.build().ok();
    let found: Vec<(String, String, String)> = b
        .report
        .diags
        .iter()
        .filter(|d| d.msg.code() == "root-absolute-load")
        .map(|d| (loc(d), d.msg.text(Lang::Zh), d.msg.hint(Lang::Zh).unwrap()))
        .collect();
    let places: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        places,
        [
            "content/notices/r/index.md:6:11",
            "content/notices/r/index.md:8:7",
            "content/notices/r/index.md:14:30",
        ],
        "{}",
        b.explain()
    );
    let (_, text, hint) = &found[0];
    assert!(
        text.contains("/uploads/a.jpg") && text.contains("以 / 开头"),
        "{text}"
    );
    assert!(
        text.contains("子路径") && text.contains("file://"),
        "{text}"
    );
    assert!(hint.contains("![图片说明](a.jpg)"), "{hint}");
    assert!(
        found[2].2.contains("把这个地址改成相对路径 old.css"),
        "{}",
        found[2].2
    );
    let en = b
        .report
        .diags
        .iter()
        .find(|d| d.msg.code() == "root-absolute-load")
        .map(|d| d.msg.text(Lang::En))
        .unwrap();
    assert!(
        en.starts_with("an image is loaded from /uploads/a.jpg, which starts with /"),
        "{en}"
    );
    assert!(!b.explain().contains("external-load"), "{}", b.explain());

    // Following the hints: the files beside the page, relative paths.
    site.file("content/notices/r/a.jpg", TINY_JPEG);
    site.file("content/notices/r/b.jpg", TINY_JPEG);
    site.file("content/notices/r/old.css", "p{}");
    let fixed = body
        .replace("<img src=\"/uploads/a.jpg\">", "![图片说明](a.jpg)")
        .replace("/uploads/b.jpg", "b.jpg")
        .replace("/css/old.css", "old.css");
    site.page("notices/r/index.md", FRONT, &fixed);
    let b = site.build().ok();
    assert!(!b.explain().contains("-load"), "{}", b.explain());
    let problems: Vec<String> = crawl(&b.out)
        .into_iter()
        .filter(|p| p.file.starts_with("notices/r/") && !p.value.starts_with("/blog/"))
        .map(|p| p.to_string())
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every address in an output file that the browser would fetch from
/// another server by itself: `src`, `srcset`, `poster`, `data`,
/// `background`, `<link>` that loads, `url(…)` and `@import` in `style`
/// attributes, `<style>` elements and stylesheets. Written apart from the
/// code under test, so the theme is judged by other eyes.
fn loads_from_outside(file: &str, text: &str) -> Vec<String> {
    let external = |v: &str| {
        let v = v.trim().to_ascii_lowercase();
        v.starts_with("http:")
            || v.starts_with("https:")
            || v.starts_with("ftp:")
            || v.starts_with("//")
            || v.starts_with("\\\\")
    };
    let mut out = Vec::new();
    let css = |css: &str, out: &mut Vec<String>| {
        let lower = css.to_ascii_lowercase();
        for (i, _) in lower.match_indices("url(") {
            let v = lower[i + 4..].trim_start().trim_start_matches(['"', '\'']);
            if external(v) {
                out.push(format!("{file}: url({})", &v[..v.len().min(60)]));
            }
        }
        if lower.contains("@import") {
            out.push(format!("{file}: @import"));
        }
    };
    if file.ends_with(".css") {
        css(text, &mut out);
        return out;
    }
    if file.ends_with(".svg") {
        for l in links(text) {
            if external(&l.value) {
                out.push(format!("{file}: <{} {}={}>", l.tag, l.attr, l.value));
            }
        }
        return out;
    }
    for l in links(text) {
        let loads = match l.tag.as_str() {
            "a" | "form" | "area" => false,
            "link" => l.rel.as_deref().is_some_and(|rel| {
                rel.split_whitespace().any(|r| {
                    !matches!(
                        r.to_ascii_lowercase().as_str(),
                        "alternate" | "canonical" | "author" | "license" | "next" | "prev"
                    )
                })
            }),
            _ => true,
        };
        if loads && external(&l.value) {
            out.push(format!("{file}: <{} {}={}>", l.tag, l.attr, l.value));
        }
    }
    // What `links` leaves out: attributes it does not read, inline styles,
    // `<style>` elements.
    let lower = text.to_ascii_lowercase();
    for attr in [" data=", " background="] {
        for (i, _) in lower.match_indices(attr) {
            let v = lower[i + attr.len()..].trim_start_matches(['"', '\'']);
            if external(v) {
                out.push(format!("{file}:{attr}{}", &v[..v.len().min(60)]));
            }
        }
    }
    for opener in ["style=\"", "style='"] {
        for (i, _) in lower.match_indices(opener) {
            let q = opener.chars().last().unwrap();
            let rest = &text[i + opener.len()..];
            let value = &rest[..rest.find(q).unwrap_or(rest.len())];
            css(value, &mut out);
        }
    }
    for (i, _) in lower.match_indices("<style") {
        let end = lower[i..].find("</style").map_or(lower.len(), |e| i + e);
        css(&text[i..end], &mut out);
    }
    out
}

#[test]
fn the_judge_of_the_theme_sees_every_kind_of_load() {
    let html = "<img src=\"https://a.cn/1.png\"><img srcset=\"a.png 1x, //a.cn/2.png 2x\">\
                <link rel=\"stylesheet\" href=\"https://a.cn/s.css\"><link rel=\"icon\" href=\"//a.cn/i.ico\">\
                <script src=\"https://a.cn/x.js\"></script><video poster=\"https://a.cn/p.jpg\"></video>\
                <object data=\"https://a.cn/o\"></object><body background=\"https://a.cn/b.gif\">\
                <div style=\"background:url('https://a.cn/c.png')\"></div>\
                <style>@font-face{src:url(https://f.cn/f.woff2)}</style>\
                <a href=\"https://www.acftu.org/\">ok</a><link rel=\"canonical\" href=\"https://a.cn/\">";
    assert_eq!(loads_from_outside("x.html", html).len(), 10, "{html}");
    assert_eq!(
        loads_from_outside(
            "x.css",
            "@import 'a.css'; p{background:url( \"//a.cn/x.png\")}"
        )
        .len(),
        2
    );
}

/// The example site (this repository's `content/`) has no such warning,
/// and the theme's templates, stylesheets and scripts load nothing from
/// outside it.
#[test]
fn the_example_site_and_its_theme_load_nothing_from_outside() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let report = build::run(&Request {
        root: REPO.into(),
        output: Some(out.clone()),
        options: Options {
            drafts: true,
            future: true,
            now: at("2026-11-21"),
        },
        lang: None,
    });
    let b = Build { report, out }.ok();
    assert_eq!(outside_loads(&b.report.diags), [], "{}", b.explain());

    let files = snapshot(&b.out);
    let mut checked = 0;
    let mut problems = Vec::new();
    for (file, bytes) in &files {
        if [".html", ".css", ".svg"].iter().any(|e| file.ends_with(e)) {
            checked += 1;
            problems.extend(loads_from_outside(file, &String::from_utf8_lossy(bytes)));
        }
        if file.ends_with(".js") {
            // A script could fetch anything: it names no other server.
            let text = String::from_utf8_lossy(bytes);
            let named = text
                .match_indices("http")
                .filter(|(i, _)| !text[*i..].starts_with("http://www.w3.org/"))
                .count();
            if named > 0 {
                problems.push(format!("{file} names another server"));
            }
        }
    }
    assert!(checked > 40, "only {checked} files checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Pieces of the HTML an editor pastes, to mix with any characters.
const HTML_PIECES: &[&str] = &[
    "<",
    ">",
    "</",
    "<img ",
    "<video ",
    "<source ",
    "<input type=image ",
    "<object ",
    "<link rel=\"stylesheet icon\" ",
    "<style>",
    "</style>",
    "<script>",
    "</script>",
    "<textarea>",
    "<!--",
    "-->",
    "src=",
    "srcset=",
    "style=",
    "poster=",
    "href=",
    "data=",
    "background=",
    "background:url(",
    "url(",
    "@import ",
    "\"",
    "'",
    " ",
    "\n",
    ",",
    " 2x",
    "https://a.cn/x.png",
    "//b.cn/",
    "HTTP://c.cn",
    "&#58;",
    "图",
    "a.png",
    ")",
    "(",
    "=",
    "/",
    "\\\\",
    "\n\n",
    "> ",
    "- ",
    "![图](",
    "[x]: ",
    "![x][x]",
    "`",
];

fn mixed_html() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(HTML_PIECES).prop_map(str::to_string),
            1 => any::<char>().prop_map(|c| c.to_string()),
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config {
        cases: 3000,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x6f75_7473_6964),
        ..proptest::test_runner::Config::default()
    })]

    /// Whatever is pasted, reading it never panics, and each address found
    /// is a piece of the text that leaves the site.
    #[test]
    fn any_pasted_html_is_read_without_a_panic(
        html in proptest::prop_oneof![mixed_html(), proptest::arbitrary::any::<String>()]
    ) {
        for load in unionpress::render::outside_loads::in_html(&html) {
            let url = html.get(load.at.clone());
            proptest::prop_assert!(url.is_some(), "{:?} in {:?}", load, html);
            let url = url.unwrap();
            proptest::prop_assert!(
                unionpress::source::url_policy::leaves_site(url),
                "{:?} in {:?}", url, html
            );
        }
    }

    /// Read as a page's Markdown, each warning underlines the address it
    /// names (or, when it cannot be found as written, one character).
    #[test]
    fn each_warning_underlines_its_own_address(body in mixed_html()) {
        let out = render_body(&body);
        for d in &out.diags {
            let url = match &*d.msg {
                Msg::ExternalLoad { url, .. } | Msg::RootAbsoluteLoad { url, .. } => url,
                _ => continue,
            };
            let span = d.span.as_ref().unwrap();
            let written = &body[span.bytes.clone()];
            let decoded = unionpress::source::url_policy::decode_references(written);
            proptest::prop_assert!(
                span.bytes.len() == 1 || decoded.trim() == url.as_str(),
                "{:?} underlines {:?} in {:?}", url, written, body
            );
        }
    }
}
