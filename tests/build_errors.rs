//! What an editor sees when something is wrong: every problem in every file
//! in one run, each at `file:line:col` with a message and a hint in Chinese
//! (English on request), the build failing with exit code 1, and no input,
//! however hostile, making it panic.

mod common;

use common::*;
use unionpress::diagnostics::{Diagnostic, Renderer};
use unionpress::i18n::Lang;

/// `(line, column)` of a diagnostic.
fn at(d: &Diagnostic) -> (usize, usize) {
    let s = d.span.as_ref().expect("a place in the file");
    (s.line, s.column)
}

fn zh(d: &Diagnostic) -> String {
    d.msg.text(Lang::Zh)
}

fn hint(d: &Diagnostic) -> String {
    d.msg.hint(Lang::Zh).unwrap_or_default()
}

const OK: &str = "title: 没问题的通知\ndate: 2026-02-01";

/// One problem a file, across sections and page bundles, beside valid pages.
fn broken_site() -> Site {
    let site = Site::new();
    site.page("notices/fine.md", OK, "正文。");
    site.page("policies/fine.md", OK, "正文。");
    // A Tab indents line 4: YAML takes only spaces.
    site.page(
        "notices/bad-yaml.md",
        "title: 通知\ndate: 2026-02-01\n\ttags: [职代会]",
        "",
    );
    site.page("notices/no-title.md", "date: 2026-02-01", "");
    site.page("policies/no-date.md", "title: 缺日期的解读", "");
    site.page(
        "notices/date-list.md",
        "title: 日期写成了列表\ndate: [2026-02-01]",
        "",
    );
    site.page(
        "events/bad-date.md",
        "title: 日期不存在\ndate: 2026-13-45",
        "",
    );
    site.page(
        "services/kind.md",
        "title: 类型写错\ndate: 2026-02-01\nkind: news",
        "",
    );
    site.page("notices/same.md", "title: 同名一\ndate: 2026-02-01", "");
    site.page(
        "notices/other.md",
        "title: 同名二\ndate: 2026-02-01\nslug: same",
        "",
    );
    // Body starts on line 6 (`---`, 2 lines, `---`, blank line).
    site.page(
        "policies/link.md",
        "title: 链接坏了\ndate: 2026-02-01",
        "第一段。\n\n详见[劳动合同](../policies/labour.md)。",
    );
    site.page(
        "notices/meeting/index.md",
        "title: 附件缺失\ndate: 2026-02-01\nattachments:\n  - file: 会议议程.pdf\n    title: 附件1",
        "",
    );
    site.file("content/notices/meeting/报名表.docx", b"PK docx");
    // A valid UTF-8 file with two bytes that are not, on line 6 column 3.
    site.file(
        "content/events/bytes.md",
        b"---\ntitle: \xe4\xb9\xb1\xe7\xa0\x81\ndate: 2026-02-01\n---\n\n\xe6\xad\xa3\xe6\x96\x87\xff\xfe\xff\xfe\n".as_slice(),
    );
    site
}

#[test]
fn every_problem_in_every_file_is_reported_in_one_run() {
    let b = broken_site().build().failed();
    // (code, file, line, column, in the message, in the message or hint).
    // The YAML and encoding checks name the likely cause with codes of
    // their own (`yaml-tab`, `unsure-encoding`…); any of them will do here.
    let expected: &[(&str, &str, usize, usize, &str, &str)] = &[
        ("yaml-*", "content/notices/bad-yaml.md", 4, 1, "", "Tab"),
        (
            "missing-field",
            "content/notices/no-title.md",
            1,
            1,
            "缺少必填项 `title`",
            "title: ",
        ),
        (
            "missing-field",
            "content/policies/no-date.md",
            1,
            1,
            "缺少必填项 `date`",
            "date: 2024-03-05",
        ),
        (
            "wrong-type",
            "content/notices/date-list.md",
            3,
            7,
            "`date` 应当是日期，这里写的是列表",
            "请写成：date: 2024-03-05",
        ),
        (
            "impossible-date",
            "content/events/bad-date.md",
            3,
            7,
            "`date` 的日期“2026-13-45”不存在：一年只有 12 个月，没有 13 月",
            "把月份改成 1 到 12 之间的数字",
        ),
        (
            "unknown-kind",
            "content/services/kind.md",
            4,
            7,
            "未知的栏目类型 kind: “news”",
            "notice（通知公告）",
        ),
        (
            "duplicate-url",
            "content/notices/same.md",
            1,
            1,
            "notices/same/index.html 与 content/notices/other.md 重复",
            "slug",
        ),
        (
            "broken-link",
            "content/policies/link.md",
            8,
            10,
            "链接指向的页面或文件不存在：../policies/labour.md",
            "相对路径",
        ),
        (
            "missing-attachment",
            "content/notices/meeting/index.md",
            5,
            11,
            "附件文件不存在：会议议程.pdf",
            "content/notices/meeting/ 文件夹里（页面包，与 index.md 同一个文件夹）",
        ),
        (
            "not-utf8|unsure-encoding",
            "content/events/bytes.md",
            6,
            3,
            "不是 UTF-8 编码",
            "UTF-8",
        ),
    ];
    for &(code, file, line, col, text, tip) in expected {
        let d = b.diag(code, file);
        assert!(d.is_error(), "{code} in {file} should be an error");
        assert_eq!(at(d), (line, col), "[{code}] {file}\n{}", b.explain());
        assert!(
            zh(d).contains(text),
            "[{code}] {file}: `{}` lacks `{text}`",
            zh(d)
        );
        assert!(!hint(d).is_empty(), "[{code}] {file}: no hint");
        let words = format!("{} {}", zh(d), hint(d));
        assert!(
            words.contains(tip),
            "[{code}] {file}: `{words}` lacks `{tip}`"
        );
    }
    assert_eq!(
        b.errors().len(),
        expected.len(),
        "exactly these errors:\n{}",
        b.explain()
    );
    // Sorted by file, then line, for the editor reading them top to bottom.
    let order: Vec<(String, usize)> = b
        .report
        .diags
        .iter()
        .map(|d| {
            (
                d.span.as_ref().unwrap().file.to_string(),
                d.span.as_ref().unwrap().line,
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert!(!b.out.exists(), "a failed first build writes nothing");
}

#[test]
fn messages_come_in_english_when_asked() {
    let site = broken_site();
    let b = site
        .build_with(Opts {
            lang: Some(Lang::En),
            ..Opts::default()
        })
        .failed();
    assert_eq!(b.report.lang, Lang::En);
    let d = b.diag("wrong-type", "content/notices/date-list.md");
    assert_eq!(
        d.msg.text(b.report.lang),
        "`date` should be a date, found a list"
    );

    // `language: en` in site.yaml does the same without the flag.
    site.file(
        "site.yaml",
        SITE_YAML.replace("language: zh-CN", "language: en"),
    );
    let b = site.build().failed();
    assert_eq!(b.report.lang, Lang::En);
    let d = b.diag("missing-field", "content/notices/no-title.md");
    assert_eq!(
        d.msg.text(b.report.lang),
        "required field `title` is missing"
    );
}

#[test]
fn two_pages_on_one_url_name_both_files() {
    let site = Site::new();
    site.page("notices/Report.md", OK, "");
    site.page("notices/report.md", OK, "");
    site.page(
        "notices/x/index.md",
        "title: 包\ndate: 2026-02-01\nslug: 职代会",
        "",
    );
    site.page(
        "notices/y.md",
        "title: 单页\ndate: 2026-02-01\nslug: 职代会",
        "",
    );
    site.page("tags.md", OK, "");
    let b = site.build().failed();
    assert_eq!(b.errors().len(), 3, "{}", b.explain());

    // Windows shares do not tell `Report` from `report`.
    let d = b.diag("duplicate-url", "content/notices/report.md");
    assert!(zh(d).contains("notices/report/index.html"), "{}", zh(d));
    assert!(zh(d).contains("content/notices/Report.md"), "{}", zh(d));

    let d = b.diag("duplicate-url", "content/notices/y.md");
    assert_eq!(at(d), (4, 7), "points at the slug");
    assert!(zh(d).contains("content/notices/x/index.md"), "{}", zh(d));

    // The build writes tags/index.html itself.
    let d = b.diag("duplicate-url", "content/tags.md");
    assert!(zh(d).contains("tags/index.html"), "{}", zh(d));
}

/// A browser saves a second download of `会议通知.md` as `会议通知(1).md`,
/// and Windows names a copy `会议通知 - 副本.md`; both keep the original's
/// `slug:`. The copy is the one reported (whichever the folder lists first),
/// with a free slug, and the original is published.
#[test]
fn a_copy_named_by_a_browser_or_windows_is_the_page_reported() {
    let front = "title: 会议通知\ndate: 2026-02-01\nslug: zhidaihui";
    for copy in [
        "会议通知(1).md",
        "会议通知（2）.md",
        "会议通知 - 副本.md",
        "会议通知 - Copy.md",
        "会议通知 - 复制.md",
    ] {
        let site = Site::new();
        site.page("notices/会议通知.md", front, "正文");
        site.page(&format!("notices/{copy}"), front, "副本正文");
        let b = site.build().failed();
        assert_eq!(b.errors().len(), 1, "{copy}: {}", b.explain());
        let d = b.diag("duplicate-url", &format!("content/notices/{copy}"));
        assert!(zh(d).contains("content/notices/会议通知.md"), "{}", zh(d));
        assert!(hint(d).contains("zhidaihui-2"), "{}", hint(d));
    }
}

/// A tag or department with nothing to name a file after is underlined
/// where it is written (not merely on its line), under the English key or
/// its Chinese spelling, in a list on the key's line or below it; one that
/// came from elsewhere (`categories`) points at the top of the file.
#[test]
fn an_unusable_tag_or_department_is_underlined_where_it_is_written() {
    let site = Site::new();
    let a = "title: 甲\ndate: 2026-02-01\ntags: [职代会, \"..\"]\n发布部门: \"#?\"";
    site.page("notices/a.md", a, "正文");
    let b = "title: 乙\ndate: 2026-02-01\nsummary: 标签\n标签:\n  - 福利\n  - \"#\"";
    site.page("notices/b.md", b, "正文");
    site.page(
        "notices/c.md",
        "title: 丙\ndate: 2026-02-01\ncategories: [\"?\"]",
        "正文",
    );
    let built = site.build().ok();
    let mut found: Vec<(String, String)> = built
        .warnings()
        .iter()
        .filter(|d| d.msg.code() == "unusable-name")
        .map(|d| {
            let s = d.span.as_ref().expect("a place");
            let text = std::fs::read_to_string(site.root.join(&*s.file)).unwrap();
            (loc(d), text[s.bytes.clone()].to_string())
        })
        .collect();
    found.sort();
    let want = [
        ("content/notices/a.md:4:14", ".."),
        ("content/notices/a.md:5:8", "#?"),
        ("content/notices/b.md:7:6", "#"),
        ("content/notices/c.md:1:1", "---"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(l, t)| (l.to_string(), t.to_string()))
        .collect();
    assert_eq!(found, want, "{}", built.explain());
}

/// A cover on another server (`https://…` or `//…`) may not load on the
/// intranet: a warning that says so, at the cover line, not a
/// "cover not found" error that would fail the build.
#[test]
fn a_cover_from_another_server_is_a_warning_not_a_missing_file() {
    let site = Site::new();
    for (name, cover) in [
        ("a", "https://img.example.com/a.jpg"),
        ("b", "//img.example.com/b.jpg"),
    ] {
        site.page(
            &format!("notices/{name}.md"),
            &format!("title: 封面{name}\ndate: 2026-02-01\ncover: {cover}"),
            "正文",
        );
    }
    let b = site.build().ok();
    for name in ["a", "b"] {
        let d = b.diag("external-cover", &format!("content/notices/{name}.md"));
        assert_eq!(at(d), (4, 8), "{}", b.explain());
    }
    assert!(!b.explain().contains("missing-cover"), "{}", b.explain());
}

#[test]
fn unknown_keys_are_warnings_with_a_did_you_mean() {
    let site = Site::new();
    site.page(
        "notices/typos.md",
        "title: 字段拼错\ndate: 2026-02-01\nsummay: 摘要\nweixin_qr: qr.png",
        "",
    );
    let b = site.build().ok();
    assert!(b.errors().is_empty());
    let summay = b
        .warnings()
        .into_iter()
        .find(|d| zh(d).contains("`summay`"))
        .unwrap_or_else(|| panic!("{}", b.explain()));
    assert_eq!(
        summay.span.as_ref().unwrap().file.as_ref(),
        "content/notices/typos.md"
    );
    assert_eq!(at(summay), (4, 1));
    assert_eq!(hint(summay), "是不是想写 `summary`？");
    let weixin = b
        .warnings()
        .into_iter()
        .find(|d| zh(d).contains("`weixin_qr`"))
        .unwrap();
    assert_eq!(
        weixin.msg.hint(Lang::Zh),
        None,
        "nothing close enough to suggest"
    );
    assert!(
        b.has("notices/typos/index.html"),
        "warnings do not stop the build"
    );

    // `titel` for `title`: the title is missing (an error) and the
    // warning says what was meant.
    site.page("notices/titel.md", "titel: 标题拼错\ndate: 2026-02-01", "");
    let b = site.build().failed();
    let missing = b.diag("missing-field", "content/notices/titel.md");
    assert!(zh(missing).contains("`title`"));
    let unknown = b.diag("unknown-key", "content/notices/titel.md");
    assert!(!unknown.is_error());
    assert_eq!(at(unknown), (2, 1));
    assert_eq!(hint(unknown), "是不是想写 `title`？");
}

#[test]
fn a_template_syntax_error_names_the_template_and_line_beside_content_errors() {
    let site = Site::new();
    site.page("notices/a.md", OK, "正文。");
    site.page("notices/link.md", OK, "[坏链接](nowhere.md)");
    site.file(
        "templates/notice.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n\
         {% for x in %}\n{% endfor %}\n{% endblock content %}\n",
    );
    let b = site.build().failed();
    let d = b.diag("template-error", "templates/notice.html");
    assert_eq!(at(d).0, 4, "{}", b.explain());
    assert!(zh(d).starts_with("模板错误："), "{}", zh(d));
    assert!(hint(d).contains("{% %}"));
    // The content is still checked in the same run.
    b.diag("broken-link", "content/notices/link.md");
}

#[test]
fn an_unknown_filter_names_the_template_and_line() {
    let site = Site::new();
    site.page("notices/a.md", OK, "正文。");
    site.file(
        "templates/notice.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n\
         <p>{{ page.title | nosuchfilter }}</p>\n{% endblock content %}\n",
    );
    let b = site.build().failed();
    let d = b.diag("template-error", "templates/notice.html");
    assert_eq!(at(d), (4, 20), "{}", b.explain());
    assert!(zh(d).contains("nosuchfilter"), "{}", zh(d));
}

#[test]
fn a_template_rendering_error_names_the_template_and_line() {
    let site = Site::new();
    site.page("notices/a.md", OK, "正文。");
    site.file(
        "templates/notice.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n\
         <p>{{ page.no_such_field.deeper }}</p>\n{% endblock content %}\n",
    );
    let b = site.build().failed();
    let d = b.diag("template-error", "templates/notice.html");
    assert_eq!(at(d), (4, 12), "{}", b.explain());
    assert!(zh(d).contains("no_such_field"), "{}", zh(d));
}

#[test]
fn the_binary_exits_1_with_file_line_col_and_the_chinese_message() {
    let site = broken_site();
    let out = site.cli(&["--now", "2026-03-01"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for text in [
        "content/notices/date-list.md:3:7",
        "`date` 应当是日期，这里写的是列表",
        "提示：请写成：date: 2024-03-05",
        "content/policies/link.md:8:10",
        "链接指向的页面或文件不存在：../policies/labour.md",
        "构建失败：10 个错误",
    ] {
        assert!(stderr.contains(text), "stderr lacks `{text}`:\n{stderr}");
    }
    assert!(!site.out.exists());

    let out = site.cli(&["--now", "2026-03-01", "--lang", "en"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("`date` should be a date, found a list"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: write it like: date: 2024-03-05"),
        "{stderr}"
    );

    let out = site.cli(&["--now", "下个月"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("--now 的时间“下个月”无法识别"), "{stderr}");
}

/// Pseudo-random bytes, the same on every run.
fn garbage(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 56) as u8
        })
        .collect()
}

fn hostile_files() -> Vec<(&'static str, Vec<u8>)> {
    let nested_list = format!(
        "---\ntitle: 深\ndate: 2026-02-01\nx: {}{}\n---\n",
        "[".repeat(5_000),
        "]".repeat(5_000)
    );
    let mut nested_map = String::from("---\ntitle: 深\ndate: 2026-02-01\nx:\n");
    for depth in 1..=300 {
        nested_map.push_str(&format!("{}k:\n", "  ".repeat(depth)));
    }
    nested_map.push_str("---\n");
    let mut bomb = String::from(
        "---\nTITLE\na: &a [\"哈\",\"哈\",\"哈\",\"哈\",\"哈\",\"哈\",\"哈\",\"哈\",\"哈\"]\n",
    );
    let mut prev = 'a';
    for c in 'b'..='j' {
        let refs = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(&format!("{c}: &{c} [{refs}]\n"));
        prev = c;
    }
    bomb.push_str("---\n");
    let bomb = bomb.replace("TITLE", "title: 炸弹\ndate: 2026-02-01");
    let huge = format!(
        "---\ntitle: {}\ndate: 2026-02-01\nsummary: {}\n---\n{}\n\n[链接](nowhere.md)\n",
        "长".repeat(100_000),
        "摘".repeat(100_000),
        "字".repeat(1_000_000)
    );
    vec![
        ("notices/empty.md", Vec::new()),
        ("notices/only-dashes.md", b"---".to_vec()),
        ("notices/only-fences.md", b"---\n---\n".to_vec()),
        ("notices/whitespace.md", b"\n\n   \n\t\n".to_vec()),
        ("notices/garbage.md", garbage(8192, 7)),
        ("notices/garbage-fenced.md", [b"---\n".as_slice(), &garbage(2048, 11), b"\n---\n"].concat()),
        ("notices/nul.md", b"---\ntitle: a\0b\ndate: 2026-02-01\0\n---\n\0\0".to_vec()),
        ("notices/nested-list.md", nested_list.into_bytes()),
        ("notices/nested-map.md", nested_map.into_bytes()),
        ("notices/bomb.md", bomb.into_bytes()),
        ("notices/list.md", "---\n- 标题\n- 日期\n---\n正文".into()),
        ("notices/scalar.md", "---\n就一句话\n---\n".into()),
        ("notices/complex-key.md", "---\n? [a, b]\n: c\ntitle: x\ndate: 2026-02-01\n---\n".into()),
        ("notices/tagged.md", "---\ntitle: !!binary aGVsbG8=\ndate: !custom 2026-02-01\n---\n".into()),
        ("notices/mixed.md", "---\ntitle: [1, {a: b}]\ndate: {y: 2026}\ntags: {a: b}\nattachments: 7\npinned: 也许\n---\n".into()),
        ("notices/toml.md", "+++\ntitle = \"a\"\n+++\n".into()),
        ("notices/unclosed.md", "---\ntitle: 没有结束\ndate: 2026-02-01\n".into()),
        ("notices/bom-only.md", b"\xef\xbb\xbf".to_vec()),
        ("notices/utf16-odd.md", b"\xff\xfe-\x00-\x00-".to_vec()),
        ("notices/huge.md", huge.into_bytes()),
        ("notices/crlf-broken.md", "---\r\ntitle: 关于: 通知\r\ndate: 2026-02-01\r\n---\r\n".into()),
        ("events/_index.md", "---\n- 栏目\n---\n".into()),
        ("services/_index.md", Vec::new()),
    ]
}

#[test]
fn hostile_input_is_reported_never_a_panic() {
    let site = Site::new();
    site.page("notices/fine.md", OK, "正文。");
    let files = hostile_files();
    for (rel, bytes) in &files {
        site.file(&format!("content/{rel}"), bytes);
    }
    let b = site.build().failed();
    for (rel, _) in &files {
        let file = format!("content/{rel}");
        // Every file that can hold no page says so, at a real place.
        let mine: Vec<&Diagnostic> = b
            .report
            .diags
            .iter()
            .filter(|d| d.span.as_ref().is_some_and(|s| *s.file == *file))
            .collect();
        for d in &mine {
            let (line, col) = at(d);
            assert!(line >= 1 && col >= 1, "{file}: {line}:{col}");
        }
        // YAML tags are read through; a complex key is kept as an unknown one.
        if !["notices/complex-key.md", "notices/tagged.md"].contains(rel) {
            assert!(
                mine.iter().any(|d| d.is_error()),
                "{file} gave no error:\n{}",
                b.explain()
            );
        }
    }
    // Drawing the code frames (what the CLI prints) must not panic either.
    let text = Renderer {
        sources: &b.report.sources,
        lang: Lang::Zh,
    }
    .to_string(&b.report.diags);
    assert!(text.contains("content/notices/garbage.md"));

    let out = site.cli(&["--now", "2026-03-01"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_hostile_site_yaml_is_reported_never_a_panic() {
    let cases: [(&str, &[u8]); 7] = [
        ("empty", b""),
        ("list", "- title\n- 工会\n".as_bytes()),
        ("scalar", "测试工会".as_bytes()),
        ("bad yaml", "title: 工会: 测试\n".as_bytes()),
        ("garbage", b"\x00\xff\xfe\x80title"),
        ("wrong types", "title: [a]\ntimezone: 火星/奥林匹斯山\nlanguage: 克林贡语\npaginate: 很多\nmenu: 首页\ncontact: 8600\n".as_bytes()),
        ("menu items", "title: 工会\nmenu:\n  - 首页\n  - {url: 1}\n  - {title: 无网址}\n".as_bytes()),
    ];
    for (name, bytes) in cases {
        let site = Site::new();
        site.file("site.yaml", bytes);
        site.page("notices/fine.md", OK, "");
        let b = site.build();
        assert!(b.report.failed(), "{name}: should fail:\n{}", b.explain());
        assert!(
            b.errors()
                .iter()
                .all(|d| d.span.as_ref().is_none_or(|s| &*s.file == "site.yaml")),
            "{name}:\n{}",
            b.explain()
        );
    }
}

#[test]
fn each_incomplete_menu_item_is_an_error_at_the_item() {
    let site = Site::new();
    site.file(
        "site.yaml",
        "title: 工会\nmenu:\n  - 首页\n  - {url: 1}\n  - {title: 无网址}\n  - {title: 通知公告, url: notices/}\n",
    );
    site.page("notices/fine.md", OK, "");
    let b = site.build().failed();
    let found: Vec<(String, String)> = b
        .errors()
        .iter()
        .map(|d| (loc(d), d.msg.text(Lang::Zh)))
        .collect();
    assert_eq!(
        found,
        [
            (
                "site.yaml:3:5".to_string(),
                "菜单第 1 项“首页”不完整：每一项都要写 title（显示的文字）和 url（链接地址）"
                    .to_string()
            ),
            (
                "site.yaml:4:11".to_string(),
                "菜单第 2 项不完整：每一项都要写 title（显示的文字）和 url（链接地址）".to_string()
            ),
            (
                "site.yaml:5:13".to_string(),
                "菜单第 3 项不完整：每一项都要写 title（显示的文字）和 url（链接地址）".to_string()
            ),
        ],
        "{}",
        b.explain()
    );
    // The hint shows a complete item, which parses.
    let hint = b.errors()[0].msg.hint(Lang::Zh).unwrap();
    let example = hint.strip_prefix("写成：\n").unwrap();
    let site = Site::new();
    site.file("site.yaml", format!("title: 工会\n{example}\n"));
    site.page("notices/fine.md", OK, "");
    let b = site.build().ok();
    assert!(b.html("index.html").contains("中华全国总工会"));
}

#[test]
fn a_page_naming_a_missing_template_is_reported_at_the_page() {
    let site = Site::new();
    site.page("notices/fine.md", OK, "");
    site.page(
        "notices/special.md",
        "title: 专用模板\ndate: 2026-02-01\ntemplate: 不存在的模板.html",
        "",
    );
    let b = site.build().failed();
    let d = b.diag("template-missing", "content/notices/special.md");
    assert!(zh(d).contains("不存在的模板.html"), "{}", zh(d));
    assert_eq!(b.errors().len(), 1, "{}", b.explain());
}

#[test]
fn a_missing_template_found_midway_writes_nothing_and_reports_every_failing_one() {
    // Files are prepared, rendered and written one at a time; a missing
    // template found after others were written must still leave the last
    // site as it was, and be reported with every template that fails.
    let site = Site::new();
    for i in 0..60 {
        site.page(&format!("policies/p{i:02}.md"), OK, "正文。");
    }
    site.page("notices/a.md", OK, "正文。");
    site.build().ok();
    let siblings = |dir: &std::path::Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let (before, names) = (snapshot(&site.out), siblings(&site.out));
    site.page(
        "services/special.md",
        "title: 专用模板\ndate: 2026-02-01\ntemplate: 不存在的模板.html",
        "",
    );
    site.file(
        "templates/notice.html",
        "{% extends \"base.html\" %}\n{% block content %}\n\
         <p>{{ page.no_such_field.deeper }}</p>\n{% endblock content %}\n",
    );
    let b = site.build().failed();
    let missing = b.diag("template-missing", "content/services/special.md");
    assert!(zh(missing).contains("不存在的模板.html"), "{}", zh(missing));
    let failing = b.diag("template-error", "templates/notice.html");
    assert_eq!(at(failing), (3, 12), "{}", b.explain());
    assert_eq!(b.errors().len(), 2, "{}", b.explain());
    assert!(snapshot(&site.out) == before, "the output changed");
    assert_eq!(siblings(&site.out), names, "a staging folder was left");
}

#[test]
fn output_piped_into_a_closed_reader_is_not_a_panic() {
    // `unionpress build | head -1`: the reader leaves before the summary.
    let site = Site::new();
    site.page("notices/a.md", "title: 通知\ndate: 2026-02-01", "正文");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_unionpress"))
        .args(["build", "--now", common::NOW, "--root"])
        .arg(&site.root)
        .arg("--output")
        .arg(&site.out)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{stderr}");
}

#[test]
fn a_blank_slug_kind_urgency_or_cover_is_unset_and_a_list_there_is_an_error() {
    // Left blank by an editor (or by a template that lists every key):
    // as if not written, without a message.
    let site = Site::new();
    site.page(
        "notices/blank.md",
        "title: 留空的字段\ndate: 2026-02-01\nslug: \" \"\nkind: \"\"\nurgency:\ncover:",
        "正文。",
    );
    let b = site.build().ok();
    assert!(!b.explain().contains("blank.md"), "{}", b.explain());
    let html = b.html("notices/blank/index.html");
    assert!(html.contains("kind-notice"), "the section's kind");
    assert!(!html.contains("badge-urgent"));

    // A list where one text belongs: an error at the value, naming the key.
    site.page(
        "notices/list.md",
        "title: 两个紧急程度\ndate: 2026-02-01\nurgency: [特急, 加急]",
        "正文。",
    );
    let b = site.build().failed();
    let d = b.diag("wrong-type", "content/notices/list.md");
    assert_eq!(loc(d), "content/notices/list.md:4:10");
    assert!(
        d.msg.text(b.report.lang).contains("urgency"),
        "{}",
        b.explain()
    );
}

/// A link whose target has spaces is not a link to Markdown: the page shows
/// `[名单](慰问 名单 (2).pdf)` as text. Each one in a page's body is an
/// error underlined where it is written, with the form that works; a real
/// link, one with a title after its target, one in `<…>`, code, and a `(`
/// not closed on its own line (the `)` of a list item `1)` below is not
/// its end) are left alone.
#[test]
fn a_link_target_with_spaces_is_underlined_with_the_form_that_works() {
    let site = Site::new();
    let body = "请查看[名单](慰问 名单 (2).pdf)和![合影](运动会 合影.jpg)。\n\n\
        [正常](b.md)、[带标题](b.md \"乙\")、[尖括号](<慰问 名单 (2).pdf>)。\n\n\
        `[代码](a b.md)`\n\n```\n[代码块](a b.md)\n```\n\n\
        [报名表](报名 表\n1) 填写姓名；\n2) 交到工会。\n\n\
        另见[补发名单](补发 名单(2))。";
    site.page("notices/a.md", "title: 甲\ndate: 2026-02-01", body);
    site.page("notices/b.md", "title: 乙\ndate: 2026-02-02", "正文");
    site.file("content/notices/慰问 名单 (2).pdf", b"%PDF-1.4");
    let built = site.build().failed();
    let found: Vec<(String, String, String)> = built
        .errors()
        .iter()
        .map(|d| {
            let s = d.span.as_ref().expect("a place");
            let text = std::fs::read_to_string(site.root.join(&*s.file)).unwrap();
            (loc(d), text[s.bytes.clone()].to_string(), hint(d))
        })
        .collect();
    let want = [
        (
            "content/notices/a.md:6:4",
            "[名单](慰问 名单 (2).pdf)",
            "[名单](<慰问 名单 (2).pdf>)",
        ),
        (
            "content/notices/a.md:6:24",
            "![合影](运动会 合影.jpg)",
            "![合影](<运动会 合影.jpg>)",
        ),
        (
            "content/notices/a.md:20:3",
            "[补发名单](补发 名单(2))",
            "[补发名单](<补发 名单(2)>)",
        ),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(l, t, f)| {
            (
                l.to_string(),
                t.to_string(),
                format!("用尖括号把地址括起来，写成：{f}"),
            )
        })
        .collect();
    assert_eq!(found, want, "{}", built.explain());
}

/// A file whose front matter has an error is reported once, in that file:
/// the pages linking to it (to the page, to its bundle's folder or files,
/// to a section's `_index.md`) get no "broken link" error of their own,
/// which would send the clerk to fix links that are right.
#[test]
fn links_to_a_file_with_a_front_matter_error_are_not_reported_as_broken() {
    let site = Site::new();
    site.page("notices/broken.md", "title：全角冒号\ndate: 2026-02-01", "");
    site.page(
        "notices/bundle/index.md",
        "title: 缩进错了\ndate: 2026-02-01\n  kind: notice",
        "",
    );
    site.file("content/notices/bundle/议程.pdf", b"%PDF-1.4");
    site.file(
        "content/policies/_index.md",
        "---\ntitle：政策解读\nkind: policy\n---\n",
    );
    site.page(
        "notices/fine.md",
        OK,
        "见[那篇](broken.md)、[包](bundle/)、[包的页面](bundle/index.md)、\
         [议程](bundle/议程.pdf)和[栏目](../policies/_index.md)、[目录](../policies/)。",
    );
    let b = site.build().failed();
    let mut errors: Vec<(String, &str)> = b
        .errors()
        .iter()
        .map(|d| (d.span.as_ref().unwrap().file.to_string(), d.msg.code()))
        .collect();
    errors.sort();
    let files: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        files,
        [
            "content/notices/broken.md",
            "content/notices/bundle/index.md",
            "content/policies/_index.md",
        ],
        "{}",
        b.explain()
    );
    assert!(!b.explain().contains("broken-link"), "{}", b.explain());
}
