//! `init`, `new` and `check` as an editor runs them: the real binary, in a
//! temporary folder, judged by exit codes and the files a reader would open.

mod editor_support;

use std::path::Path;
use std::process::{Command, Output};

use editor_support::TestSite;
use unionpress::i18n::Lang;

fn unionpress(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_unionpress"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn root_arg(dir: &Path) -> String {
    dir.display().to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn check_json(root: &str, extra: &[&str]) -> (Output, Vec<serde_json::Value>) {
    let mut args = vec!["check", "--root", root, "--format", "json"];
    args.extend_from_slice(extra);
    let out = unionpress(&args);
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    let items = json.as_array().expect("an array").clone();
    (out, items)
}

#[test]
fn init_makes_a_site_that_builds_and_passes_check() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("我的工会网站");
    let root = root_arg(&dir);
    let out = unionpress(&["init", &root]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("unionpress build"),
        "{}",
        stdout(&out)
    );
    for file in [
        "site.yaml",
        "content/notices/_index.md",
        "content/policies/_index.md",
        "content/events/_index.md",
        "content/services/_index.md",
    ] {
        assert!(dir.join(file).is_file(), "{file} missing");
    }
    // The theme is built in: a new site carries none of its own.
    assert!(!dir.join("themes").exists());
    let yaml = std::fs::read_to_string(dir.join("site.yaml")).unwrap();
    assert!(yaml.contains("# 网站名称"), "site.yaml explains itself");

    let (out, items) = check_json(&root, &[]);
    assert!(out.status.success());
    assert_eq!(
        items,
        Vec::<serde_json::Value>::new(),
        "a new site is clean"
    );

    let out = unionpress(&["build", "--root", &root]);
    assert!(out.status.success(), "{}", stderr(&out));
    for page in [
        "index.html",
        "notices/welcome/index.html",
        "policies/annual-leave/index.html",
        "events/first-event/index.html",
        "services/membership/index.html",
    ] {
        assert!(dir.join("public").join(page).is_file(), "{page} not built");
    }
    let notice = std::fs::read_to_string(dir.join("public/notices/welcome/index.html")).unwrap();
    assert!(notice.contains("关于启用工会内网站点的通知"));
    assert!(
        dir.join("public/style.css").is_file(),
        "the built-in theme's files are copied"
    );
}

/// The starter notice and `new notice` leave the 主送 line to `recipients`:
/// the body must not say it again (the template prints it above the body).
#[test]
fn the_starter_notices_do_not_repeat_the_recipients_in_the_body() {
    let site = TestSite::new();
    let root = root_arg(site.root());
    let out = unionpress(&[
        "new",
        "notice",
        "关于开展职工之家创建活动的通知",
        "--root",
        &root,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let created = std::fs::read_dir(site.path("content/notices"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains("职工之家"))
        .expect("the new notice");
    for file in [site.path("content/notices/welcome.md"), created] {
        let text = std::fs::read_to_string(&file).unwrap();
        let body = text.splitn(3, "---\n").nth(2).unwrap();
        for line in body.lines() {
            assert!(
                !(line.starts_with('各') && line.ends_with('：')),
                "{}: the body repeats the 主送 line: {line}",
                file.display()
            );
        }
    }
}

#[test]
fn init_lang_en_writes_an_english_site_that_builds_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let root = root_arg(tmp.path());
    let out = unionpress(&["init", &root, "--lang", "en"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Created a new site"),
        "{}",
        stdout(&out)
    );
    let yaml = std::fs::read_to_string(tmp.path().join("site.yaml")).unwrap();
    assert!(yaml.contains("language: en"), "{yaml}");
    assert!(
        !yaml.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{yaml}"
    );
    let (out, items) = check_json(&root, &[]);
    assert!(out.status.success());
    assert_eq!(
        items,
        Vec::<serde_json::Value>::new(),
        "a new site is clean"
    );
    let out = unionpress(&["build", "--root", &root]);
    assert!(out.status.success(), "{}", stderr(&out));
    let notice =
        std::fs::read_to_string(tmp.path().join("public/notices/welcome/index.html")).unwrap();
    assert!(notice.contains("Notice on opening the union"), "{notice}");
    // `new` in an English site writes English hints.
    let out = unionpress(&[
        "new",
        "notice",
        "Annual meeting",
        "--slug",
        "annual",
        "--root",
        &root,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(tmp.path().join("content/notices/annual.md")).unwrap();
    assert!(page.contains("# Draft: delete the next line"), "{page}");
    assert!(!page.contains("草稿"), "{page}");
    let (out, items) = check_json(&root, &["--drafts"]);
    assert!(out.status.success(), "{items:?}");
}

/// `init --theme` in an existing site copies the built-in theme for
/// customizing, and never overwrites a file already there.
#[test]
fn init_theme_copies_the_built_in_theme_into_a_site_without_overwriting() {
    let site = TestSite::new();
    let root = root_arg(site.root());
    site.write("themes/default/templates/page.html", "{# mine #}");
    let out = unionpress(&["init", "--theme", &root]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("已有的 1 个文件保持不变"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        site.read("themes/default/templates/page.html"),
        "{# mine #}"
    );
    assert!(site.path("themes/default/templates/base.html").is_file());
    assert!(site.path("themes/default/static/style.css").is_file());
    // The site itself was not rewritten.
    assert!(site.read("site.yaml").contains("某某公司工会"));
}

#[test]
fn init_refuses_a_folder_with_files_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let root = root_arg(tmp.path());
    std::fs::write(tmp.path().join("笔记.txt"), "别覆盖我").unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    let out = unionpress(&["init", &root]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("init-not-empty"), "{}", stderr(&out));
    assert!(!tmp.path().join("site.yaml").exists());

    let out = unionpress(&["init", &root, "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tmp.path().join("site.yaml").is_file());
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("笔记.txt")).unwrap(),
        "别覆盖我"
    );
    // Hidden folders (a fresh git repository) do not count as files.
    let tmp2 = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp2.path().join(".git")).unwrap();
    assert!(
        unionpress(&["init", &root_arg(tmp2.path())])
            .status
            .success()
    );
}

/// `new` for every kind: the file is where the kind's section is, carries
/// the kind's fields as hints, stays a draft, and builds once `draft` goes.
#[test]
fn new_creates_a_page_of_every_kind_that_builds_once_published() {
    let site = TestSite::new();
    let root = root_arg(site.root());
    let cases = [
        (
            "notice",
            "关于召开2025年职工代表大会的通知",
            "notices",
            "doc_number",
        ),
        (
            "policy",
            "《劳动合同法》解读：试用期",
            "policies",
            "effective",
        ),
        ("event", "职工运动会: 拔河比赛", "events", "event_date"),
        ("page", "法律援助", "services", "contact"),
    ];
    let mut created = Vec::new();
    for (kind, title, section, hint) in cases {
        let mut args = vec!["new", kind, title, "--root", &root, "--date", "2025-03-05"];
        if kind == "event" {
            args.push("--bundle");
        }
        let out = unionpress(&args);
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        let shown = stdout(&out);
        let rel = shown
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("已新建 "))
            .unwrap_or_else(|| panic!("{shown}"))
            .to_string();
        assert!(
            rel.starts_with(&format!("content/{section}/2025-03-05-")),
            "{rel}"
        );
        let text = site.read(&rel);
        assert!(text.contains("draft: true"), "{text}");
        assert!(text.contains("date: 2025-03-05"), "{text}");
        assert!(
            text.contains(&format!("# {hint}:")),
            "{kind} lacks the {hint} hint"
        );
        assert!(!text.contains("kind:"), "the section gives the kind");
        created.push((rel, title));
    }
    assert!(
        created[2].0.ends_with("/index.md"),
        "--bundle makes a folder"
    );

    // Drafts are not published…
    let report = site.build();
    assert!(!report.failed(), "{:?}", report.diags);
    let published = |site: &TestSite| {
        walkdir::WalkDir::new(site.path("public"))
            .into_iter()
            .flatten()
            .filter(|e| e.file_name() == "index.html")
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect::<Vec<_>>()
    };
    let before = published(&site);
    // …until the line goes.
    for (rel, _) in &created {
        let text = site.read(rel).replace("draft: true\n", "");
        site.write(rel, text);
    }
    let report = site.build();
    assert!(!report.failed(), "{:?}", report.diags);
    let after = published(&site);
    for (_, title) in &created {
        // The page itself: its title is the heading, not an entry of a list.
        let page = |html: &String| {
            html.split("<h1")
                .skip(1)
                .any(|h1| h1.split("</h1>").next().unwrap_or("").contains(*title))
        };
        assert!(!before.iter().any(page), "{title} published while a draft");
        assert!(after.iter().any(page), "{title} not published");
    }
    let url = "public/notices/2025-03-05-关于召开2025年职工代表大会的通知/index.html";
    let listing: Vec<_> = std::fs::read_dir(site.path("public/notices"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(site.path(url).is_file(), "{listing:?}");
}

#[test]
fn new_never_lands_on_an_existing_page() {
    let site = TestSite::new();
    let root = root_arg(site.root());
    let args = [
        "new",
        "notice",
        "放假通知",
        "--root",
        &root,
        "--date",
        "2025-03-05",
    ];
    assert!(unionpress(&args).status.success());
    let again = unionpress(&args);
    assert!(again.status.success());
    assert!(
        stderr(&again).contains("2025-03-05-放假通知-2"),
        "{}",
        stderr(&again)
    );
    assert!(
        site.path("content/notices/2025-03-05-放假通知.md")
            .is_file()
    );
    assert!(
        site.path("content/notices/2025-03-05-放假通知-2.md")
            .is_file()
    );

    // An explicit slug that is taken is refused, the file left alone.
    let before = site.read("content/notices/welcome.md");
    let out = unionpress(&[
        "new", "notice", "欢迎", "--root", &root, "--slug", "Welcome",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("slug-taken"), "{}", stderr(&out));
    assert_eq!(site.read("content/notices/welcome.md"), before);

    // A page whose `slug:` takes the URL counts too.
    site.write(
        "content/notices/other-name.md",
        "---\ntitle: 另一个\ndate: 2025-03-01\nslug: taken-by-slug\n---\n",
    );
    let out = unionpress(&[
        "new",
        "notice",
        "x",
        "--root",
        &root,
        "--slug",
        "taken-by-slug",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn new_puts_a_page_of_another_kind_into_the_asked_section_with_its_kind() {
    let site = TestSite::new();
    let root = root_arg(site.root());
    let out = unionpress(&[
        "new",
        "政策",
        "解读",
        "--root",
        &root,
        "--section",
        "content/notices",
        "--slug",
        "jiedu",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = site.read("content/notices/jiedu.md");
    assert!(text.contains("kind: policy\n"), "{text}");
    let out = unionpress(&["new", "notice", "x", "--root", &root, "--section", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("content/nope"), "{}", stderr(&out));
}

#[test]
fn check_json_gives_one_object_per_problem_and_exit_code_1_on_errors() {
    let site = TestSite::new();
    site.write(
        "content/notices/bad.md",
        "---\ntitle: 通知\ndate: 2025年3月5号\ntitel: x\n---\n",
    );
    let root = root_arg(site.root());
    let (out, items) = check_json(&root, &["--now", "2025-06-01"]);
    assert_eq!(out.status.code(), Some(1));
    let bad: Vec<_> = items
        .iter()
        .filter(|i| i["file"] == "content/notices/bad.md")
        .collect();
    assert_eq!(bad.len(), 2, "{items:#?}");
    let date = bad[0];
    assert_eq!(date["line"], 3);
    assert_eq!(date["column"], 7);
    assert_eq!(date["severity"], "error");
    assert_eq!(date["code"], "bad-date");
    assert!(date["message"].as_str().unwrap().contains("2025年3月5号"));
    assert!(date["hint"].as_str().unwrap().contains("2024年3月5日"));
    assert_eq!(bad[1]["severity"], "warning");
    assert_eq!(bad[1]["code"], "unknown-key");
    assert_eq!(bad[1]["hint"], "是不是想写 `title`？");
    for item in &items {
        for key in [
            "file", "line", "column", "severity", "code", "message", "hint",
        ] {
            assert!(item.get(key).is_some(), "{key} missing in {item}");
        }
    }

    // English on request; warnings alone exit 0.
    site.write(
        "content/notices/bad.md",
        "---\ntitle: 通知\ndate: 2025-03-05\ntitel: x\n---\n",
    );
    let (out, items) = check_json(&root, &["--now", "2025-06-01", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let warning = items
        .iter()
        .find(|i| i["file"] == "content/notices/bad.md")
        .expect("the warning is listed");
    assert_eq!(
        warning["message"],
        "unknown field `titel` (kept in page.extra)"
    );
}

#[test]
fn check_text_lists_warnings_and_errors_with_a_summary() {
    let site = TestSite::new();
    site.write("content/notices/bad.md", "---\ntitle: 通知\n---\n");
    let root = root_arg(site.root());
    let out = unionpress(&["check", "--root", &root, "--now", "2025-06-01"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/notices/bad.md:1:1"), "{err}");
    assert!(err.contains("1 个错误"), "{err}");
    // Nothing was written.
    assert!(!site.path("public").exists());
    // --future and --drafts are a build's.
    site.write(
        "content/notices/bad.md",
        "---\ntitle: 通知\ndate: 2025-07-01\n---\n",
    );
    let pages = |err: &str| -> usize {
        let summary = err.lines().last().unwrap_or_default();
        let n = summary.split("检查完成：").nth(1).unwrap_or_default();
        let n = n.split(' ').next().unwrap_or_default();
        n.parse()
            .unwrap_or_else(|_| panic!("no page count in {summary}"))
    };
    // A scheduled page is a warning, not an error…
    let out = unionpress(&["check", "--root", &root, "--now", "2025-06-01"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("warning[scheduled]"), "{err}");
    assert!(err.contains("content/notices/bad.md:3:1"), "{err}");
    let without = pages(&err);
    // …and with --future it is checked as published: no warning, one page more.
    let out = unionpress(&["check", "--root", &root, "--now", "2025-06-01", "--future"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("warning["), "{err}");
    assert!(err.contains("没有发现问题"), "{err}");
    assert_eq!(pages(&err), without + 1, "{err}");
}

#[test]
fn check_and_build_agree_on_failure() {
    let site = TestSite::new();
    site.write(
        "content/notices/bad.md",
        "---\ntitle: 通知\ndate: 2025-03-05\n---\n[x](nowhere.md)\n",
    );
    assert!(site.check(Lang::Zh).failed());
    assert!(site.build().failed());
    site.write(
        "content/notices/bad.md",
        "---\ntitle: 通知\ndate: 2025-03-05\n---\n![](https://x.cn/a.png)\n",
    );
    assert!(!site.check(Lang::Zh).failed(), "warnings do not fail");
    assert!(!site.build().failed());
}

#[test]
fn a_long_list_closes_with_a_count_of_each_kind() {
    let site = TestSite::new();
    for i in 0..21 {
        site.write(
            &format!("content/notices/n{i}.md"),
            "---\ntitle: 通知\ndate: 2025-03-05\nlayout: post\n---\n",
        );
    }
    let root = root_arg(site.root());
    let out = unionpress(&["check", "--root", &root, "--now", "2025-06-01"]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("按类型统计：unknown-key 21 个"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_build_summary_names_drafts_and_scheduled_pages() {
    let site = TestSite::new();
    for i in 1..=7 {
        site.write(
            &format!("content/notices/d{i}.md"),
            "---\ntitle: 草稿\ndate: 2025-03-05\ndraft: true\n---\n正文\n",
        );
    }
    site.write(
        "content/notices/later.md",
        "---\ntitle: 以后\ndate: 2025-09-01\n---\n正文\n",
    );
    let root = root_arg(site.root());
    let out = unionpress(&["build", "--root", &root, "--now", "2025-06-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("7 篇草稿没有发布"), "{text}");
    assert!(text.contains("content/notices/d1.md"), "{text}");
    assert!(text.contains("另有 2 篇"), "{text}");
    assert!(
        !text.contains("content/notices/d7.md"),
        "five named: {text}"
    );
    assert!(text.contains("1 篇定时发布"), "{text}");
    assert!(text.contains("content/notices/later.md"), "{text}");
}

#[test]
fn build_inside_content_finds_the_site_yaml_above_and_says_so() {
    let site = TestSite::new();
    let out = Command::new(env!("CARGO_BIN_EXE_unionpress"))
        .args(["build", "--now", "2025-06-01"])
        .current_dir(site.path("content/notices"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("使用上级文件夹中的"),
        "{}",
        stderr(&out)
    );
    assert!(
        site.path("public/index.html").is_file(),
        "built into the site's public/"
    );
    assert!(!site.path("content/notices/public").exists());
    assert!(!site.path("content/notices/site.yaml").exists());
}

#[test]
fn new_refuses_an_empty_title() {
    let site = TestSite::new();
    let root = root_arg(site.root());
    let before = std::fs::read_dir(site.path("content/notices"))
        .unwrap()
        .count();
    let out = unionpress(&["new", "notice", "", "--root", &root]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("empty-title"), "{}", stderr(&out));
    let after = std::fs::read_dir(site.path("content/notices"))
        .unwrap()
        .count();
    assert_eq!(before, after, "no file written");
}

#[test]
fn help_and_command_line_mistakes_are_in_chinese_unless_english_is_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_unionpress"))
            .args(args)
            .current_dir(tmp.path())
            .output()
            .unwrap()
    };
    let out = run(&["--help"]);
    assert!(out.status.success());
    let help = stdout(&out);
    assert!(help.contains("用法：unionpress [选项] <命令>"), "{help}");
    assert!(help.contains("显示帮助"), "{help}");
    for english in ["Usage", "Print help", "Options", "Commands", "[OPTIONS]"] {
        assert!(!help.contains(english), "{english} in:\n{help}");
    }
    let help = stdout(&run(&["new", "--help"]));
    assert!(help.contains("<类型> <标题>"), "{help}");
    assert!(!help.contains("Print"), "{help}");

    let out = run(&["build", "--outptu", "x"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("无法识别的选项 --outptu"), "{err}");
    assert!(err.contains("是不是想写 --output"), "{err}");
    let err = stderr(&run(&["new", "notise", "标题"]));
    assert!(
        err.contains("“notise”无效，可选：notice、policy、event、page"),
        "{err}"
    );

    // English with --lang en, or when the site says `language: en`.
    assert!(stdout(&run(&["--lang", "en", "--help"])).contains("Usage: unionpress"));
    std::fs::write(tmp.path().join("site.yaml"), "title: Union\nlanguage: en\n").unwrap();
    let help = stdout(&run(&["build", "--help"]));
    assert!(help.contains("Usage: unionpress build"), "{help}");
}

/// `tests/browser/run.sh` runs the binary cargo built: under
/// `CARGO_TARGET_DIR` when that is set (issue 9, "Also").
#[test]
fn the_browser_tests_find_the_binary_under_cargo_target_dir() {
    let repo = env!("CARGO_MANIFEST_DIR");
    let script = format!("{repo}/tests/browser/bin-path.sh");
    let path = |dir: Option<&str>| {
        let mut cmd = Command::new("bash");
        cmd.arg(&script).env_remove("CARGO_TARGET_DIR");
        if let Some(d) = dir {
            cmd.env("CARGO_TARGET_DIR", d);
        }
        let out = cmd.output().expect("bash runs");
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out).trim().to_string()
    };
    assert_eq!(path(None), format!("{repo}/target/debug/unionpress"));
    assert_eq!(
        path(Some("/tmp/elsewhere")),
        "/tmp/elsewhere/debug/unionpress"
    );
    assert_eq!(
        path(Some("build/t")),
        format!("{repo}/build/t/debug/unionpress")
    );
    let run = std::fs::read_to_string(format!("{repo}/tests/browser/run.sh")).unwrap();
    assert!(run.contains("bin-path.sh"), "run.sh uses it");
    assert!(!run.contains("$repo/target/debug"), "no hard-coded target/");
}
