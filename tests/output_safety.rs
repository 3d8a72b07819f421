//! `--output` never loses a file: the folder is ours only if we made it,
//! files someone else put there survive every rebuild, places that hold
//! sources (or a home folder, or the current folder) are refused on
//! resolved paths, and a publish leaves the old site or the new one —
//! at every step a crash could hit, on a full disk, and with files in the
//! way; a dropped page leaves no empty folder; two builds at once take
//! turns. The crash, full-disk and pause hooks are the `test-hooks` feature
//! (src/output/hooks.rs), which the binary under test is built with.

mod common;
#[path = "common/running.rs"]
mod running;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::{Site, snapshot};
use running::{Mount, Running};

const BIN: &str = env!("CARGO_BIN_EXE_unionpress");

fn run(args: &[&str], env: &[(&str, &str)], cwd: Option<&Path>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    cmd.output().expect("run unionpress")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// `unionpress build --root <site> --output <out>`, with `env`.
fn build_into(site: &Site, out: &Path, env: &[(&str, &str)]) -> Output {
    run(
        &["build", "--root", s(&site.root), "--output", s(out)],
        env,
        None,
    )
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn names(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn put(path: &Path, bytes: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// Rewrites the small site's first notice (dated as it was) with `title`
/// and `body`.
fn edit_n0(site: &Site, title: &str, body: &str) {
    site.page(
        "notices/n0.md",
        &format!("title: {title}\ndate: 2026-01-01 09:00"),
        body,
    );
}

fn small_site(pages: usize) -> Site {
    let site = Site::new();
    for i in 0..pages {
        site.page(
            &format!("notices/n{i}.md"),
            &format!("title: 第{i}号通知\ndate: 2026-01-{:02} 09:00", i + 1),
            &format!("第{i}号通知正文。"),
        );
    }
    site
}

/// Files someone else put into the output: an admin's, a share's, a
/// whole folder, one inside a folder of the site, an empty folder.
const FOREIGN: [(&str, &str); 6] = [
    (".htaccess", "Options -Indexes\n"),
    ("robots.txt", "User-agent: *\nDisallow: /\n"),
    ("desktop.ini", "[.ShellClassInfo]\n"),
    ("admin/notes.txt", "服务器说明"),
    ("admin/deep/x.bin", "\u{0}\u{1}"),
    ("notices/n1/附件说明.txt", "勿删"),
];

#[test]
fn files_someone_else_put_there_survive_every_rebuild() {
    let site = small_site(3);
    site.build().ok();
    let out = site.out.clone();
    assert!(
        out.join(".unionpress-output").is_file(),
        "the build records what it wrote"
    );
    for (rel, text) in FOREIGN {
        put(&out.join(rel), text);
    }
    fs::create_dir_all(out.join("empty-share-folder")).unwrap();
    let ids = common::identities(&out);
    // A rebuild that changes a page, removes the page whose folder holds a
    // foreign file, and adds a page.
    edit_n0(&site, "改过的通知", "新正文。");
    site.remove("content/notices/n1.md");
    site.page(
        "notices/n9.md",
        "title: 新通知\ndate: 2026-01-20 09:00",
        "新增。",
    );
    let b = site.build().ok();
    for (rel, text) in FOREIGN {
        assert_eq!(
            fs::read_to_string(out.join(rel)).unwrap(),
            text,
            "{rel} survives"
        );
        assert_eq!(
            ids[rel],
            common::identities(&out)[rel],
            "{rel} is the same file"
        );
    }
    assert!(out.join("empty-share-folder").is_dir());
    assert!(!b.has("notices/n1/index.html"), "the removed page is gone");
    assert!(b.html("notices/n0/index.html").contains("新正文"));
    assert!(b.has("notices/n9/index.html"));
    let listed = fs::read_to_string(out.join(".unionpress-output")).unwrap();
    for (rel, _) in FOREIGN {
        assert!(
            !listed.lines().any(|l| l == rel),
            "{rel} is not listed as ours"
        );
    }
    // Third build with nothing changed: still there.
    site.build().ok();
    for (rel, text) in FOREIGN {
        assert_eq!(fs::read_to_string(out.join(rel)).unwrap(), text);
    }
}

/// The publish reads again only the output's folders that changed since
/// it last read them (src/output/listings.rs): files others add or remove
/// right after a build, in folders of ours or of theirs, at any depth, are
/// still carried across, however soon the next build comes, and one they
/// removed is not brought back.
#[test]
fn files_others_add_right_after_a_build_are_carried_by_the_next() {
    let site = small_site(3);
    let out = site.out.clone();
    let mut theirs: Vec<(String, String)> = Vec::new();
    let mut removed = BTreeSet::new();
    for round in 0..8 {
        edit_n0(
            &site,
            &format!("第{round}次"),
            &format!("第{round}次正文。"),
        );
        site.build().ok();
        for (rel, text) in &theirs {
            let there = fs::read_to_string(out.join(rel));
            if removed.contains(rel) {
                assert!(there.is_err(), "round {round}: {rel} stays removed");
            } else {
                assert_eq!(there.unwrap(), *text, "round {round}: {rel} carried");
            }
        }
        // Removed by them: the next build must not bring it back.
        if let Some((rel, _)) = theirs.last() {
            fs::remove_file(out.join(rel)).unwrap();
            removed.insert(rel.clone());
        }
        for rel in [
            format!("r{round}.txt"),
            format!("notices/r{round}.txt"),
            format!("notices/n2/r{round}.txt"),
            format!("share/r{round}/a.txt"),
            format!("share/deep/r{round}.txt"),
        ] {
            let text = format!("{rel} 的内容");
            put(&out.join(&rel), &text);
            theirs.push((rel, text));
        }
    }
    let kept = fs::read_dir(site.root.join(".unionpress")).unwrap();
    assert!(
        kept.filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().starts_with("listings-")),
        "the folders read are remembered"
    );
}

#[test]
fn a_folder_with_someone_elses_files_is_refused_and_left_as_it_was() {
    let site = small_site(2);
    let docs = site.dir().join("docs");
    put(&docs.join("thesis.docx"), "论文");
    put(&docs.join("sub/salary.xlsx"), "工资表");
    let before = snapshot(&docs);
    let around = names(site.dir());
    let o = build_into(&site, &docs, &[]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("output-not-ours"), "{err}");
    assert!(
        err.contains(s(&docs.canonicalize().unwrap())),
        "names the folder: {err}"
    );
    assert!(err.contains("已有 2 个文件"), "says how many: {err}");
    assert!(err.contains("新的或空的目录"), "says what to do: {err}");
    assert!(err.contains("原有输出未作任何改动"), "{err}");
    assert_eq!(before, snapshot(&docs), "nothing in docs/ changed");
    assert_eq!(around, names(site.dir()), "nothing left beside it");

    let o = build_into(&site, &docs, &[]);
    let o_en = run(
        &[
            "build",
            "--lang",
            "en",
            "--root",
            s(&site.root),
            "--output",
            s(&docs),
        ],
        &[],
        None,
    );
    assert!(!o.status.success() && !o_en.status.success());
    assert!(
        stderr(&o_en).contains("already holds 2 file(s)"),
        "{}",
        stderr(&o_en)
    );
    assert_eq!(before, snapshot(&docs));

    // An empty folder is fine, and so is a new one.
    let empty = site.dir().join("empty");
    fs::create_dir(&empty).unwrap();
    assert!(build_into(&site, &empty, &[]).status.success());
    assert!(empty.join("index.html").is_file());
}

#[test]
fn the_home_folder_is_refused() {
    let site = small_site(1);
    let home = site.dir().join("home");
    put(&home.join(".bashrc"), "alias ll='ls -l'\n");
    put(&home.join(".ssh/id_ed25519"), "PRIVATE KEY");
    put(&home.join("Documents/report.docx"), "报告");
    let before = snapshot(&home);
    for out in [home.clone(), home.join(".."), home.join("Documents/..")] {
        let o = build_into(&site, &out, &[("HOME", s(&home))]);
        assert!(!o.status.success(), "{}", out.display());
        assert!(stderr(&o).contains("unsafe-output"), "{}", stderr(&o));
        assert_eq!(before, snapshot(&home));
    }
    assert!(stderr(&build_into(&site, &home, &[("HOME", s(&home))])).contains("主目录"));
    // Empty, the home folder is still no place for a site.
    let bare = site.dir().join("bare-home");
    fs::create_dir(&bare).unwrap();
    let o = build_into(&site, &bare, &[("HOME", s(&bare))]);
    assert!(!o.status.success());
    assert!(names(&bare).is_empty());
}

#[test]
fn the_current_folder_and_its_parents_are_refused() {
    let site = small_site(1);
    let cwd = site.dir().join("我的文档");
    put(&cwd.join("年终总结.docx"), "总结");
    put(&cwd.join("照片/合影.jpg"), "jpg");
    let before = snapshot(&cwd);
    for out in [".", "..", "照片/.."] {
        let o = run(
            &["build", "--root", s(&site.root), "--output", out],
            &[],
            Some(&cwd),
        );
        assert!(!o.status.success(), "--output {out}");
        assert!(stderr(&o).contains("unsafe-output"), "{}", stderr(&o));
        assert_eq!(before, snapshot(&cwd));
    }
    // A new folder below the current one is fine.
    let o = run(
        &["build", "--root", s(&site.root), "--output", "网站"],
        &[],
        Some(&cwd),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(cwd.join("网站/index.html").is_file());
}

#[cfg(unix)]
#[test]
fn linked_source_folders_cannot_be_the_output() {
    use std::os::unix::fs::symlink;
    let site = small_site(2);
    let share = site.dir().join("share");
    fs::create_dir_all(&share).unwrap();
    fs::rename(site.root.join("content"), share.join("content")).unwrap();
    symlink(share.join("content"), site.root.join("content")).unwrap();
    fs::rename(site.root.join("themes"), share.join("themes")).unwrap();
    symlink(share.join("themes"), site.root.join("themes")).unwrap();
    let before = snapshot(&share);
    for out in [
        share.join("content"),
        share.join("themes"),
        share.join("themes/default"),
        share.clone(),
        share.join("content/notices"),
    ] {
        let o = build_into(&site, &out, &[]);
        assert!(!o.status.success(), "{}", out.display());
        assert!(stderr(&o).contains("unsafe-output"), "{}", stderr(&o));
        assert_eq!(
            before,
            snapshot(&share),
            "{} left sources alone",
            out.display()
        );
    }
    // A link to the content folder, as the output: refused too.
    symlink(share.join("content"), site.dir().join("out-link")).unwrap();
    assert!(
        !build_into(&site, &site.dir().join("out-link"), &[])
            .status
            .success()
    );
    assert_eq!(before, snapshot(&share));
    assert!(build_into(&site, &site.out, &[]).status.success());
}

/// The output's files, and the names beside it (but the kept tree, which
/// comes and goes; [`assert_kept_tree_is_ours`] checks it).
fn state(out: &Path) -> (BTreeMap<String, Vec<u8>>, BTreeSet<String>) {
    let mut beside = names(out.parent().unwrap());
    beside.remove(kept(out).file_name().unwrap().to_str().unwrap());
    (snapshot(out), beside)
}

fn crash_at_every_step(extra: &[(&str, &str)]) {
    let site = small_site(4);
    let out = site.out.clone();
    let a_sources = || {
        edit_n0(&site, "旧标题", "旧正文。");
        site.page(
            "notices/n3.md",
            "title: 将删除\ndate: 2026-01-04 09:00",
            "旧。",
        );
        let _ = fs::remove_file(site.root.join("content/notices/n7.md"));
    };
    let b_sources = || {
        edit_n0(&site, "新标题", "新正文。");
        site.remove("content/notices/n3.md");
        site.page(
            "notices/n7.md",
            "title: 新增\ndate: 2026-01-07 09:00",
            "新。",
        );
    };
    a_sources();
    assert!(build_into(&site, &out, &[]).status.success());
    put(&out.join("robots.txt"), "foreign");
    let (a, beside) = state(&out);
    b_sources();
    assert!(build_into(&site, &out, &[]).status.success());
    let (b, _) = state(&out);
    assert_ne!(a, b);
    let mut crashes = 0;
    for step in 1.. {
        a_sources();
        let o = build_into(&site, &out, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(
            state(&out),
            (a.clone(), beside.clone()),
            "before step {step}"
        );
        b_sources();
        let k = step.to_string();
        let mut env = vec![("UNIONPRESS_CRASH_AT", k.as_str())];
        env.extend_from_slice(extra);
        let o = build_into(&site, &out, &env);
        let crashed = stderr(&o).contains("crash at step");
        let now = snapshot(&out);
        if now != a && now != b {
            // Only the fallback has an instant without an output folder,
            // and then the old site waits beside it.
            assert!(
                !extra.is_empty() && !out.exists(),
                "step {step}: a mix\n{}",
                stderr(&o)
            );
            let aside = names(out.parent().unwrap())
                .into_iter()
                .find(|n| n.contains(".unionpress-old-"))
                .expect("the old site is set aside");
            assert_eq!(snapshot(&out.parent().unwrap().join(aside)), a);
        }
        if !crashed {
            assert!(o.status.success(), "{}", stderr(&o));
            assert_eq!(state(&out), (b.clone(), beside.clone()));
            break;
        }
        crashes += 1;
        assert_kept_tree_is_ours(&out);
        // The next build tidies up after the crash and publishes the new site.
        let o = build_into(&site, &out, &[]);
        assert!(o.status.success(), "after step {step}: {}", stderr(&o));
        assert_kept_tree_is_ours(&out);
        assert_eq!(
            state(&out),
            (b.clone(), beside.clone()),
            "after step {step}"
        );
    }
    eprintln!("crashed at {crashes} steps");
    assert!(
        crashes >= 4,
        "the hook stopped the publish at {crashes} steps"
    );
}

#[test]
fn a_crash_at_any_step_of_publishing_leaves_the_old_or_the_new_site() {
    crash_at_every_step(&[]);
}

#[test]
fn the_two_rename_fallback_recovers_from_a_crash_too() {
    crash_at_every_step(&[("UNIONPRESS_NO_EXCHANGE", "1")]);
}

#[test]
fn a_failed_write_leaves_the_old_site_and_no_staging() {
    let site = small_site(3);
    let out = site.out.clone();
    assert!(build_into(&site, &out, &[]).status.success());
    let before = state(&out);
    edit_n0(&site, "新标题", "新正文。");
    for after in ["0", "3", "10"] {
        let o = build_into(&site, &out, &[("UNIONPRESS_FAIL_WRITES_AFTER", after)]);
        assert!(!o.status.success(), "writes fail after {after}");
        let err = stderr(&o);
        assert!(err.contains("No space left"), "{err}");
        assert!(err.contains("原有输出未作任何改动"), "{err}");
        assert_eq!(before, state(&out), "writes fail after {after}");
    }
}

#[test]
fn a_file_in_the_way_stops_the_publish_and_changes_nothing() {
    let site = small_site(3);
    let out = site.out.clone();
    site.build().ok();
    // Someone replaced a page with a folder of their own.
    fs::remove_file(out.join("notices/n2/index.html")).unwrap();
    put(&out.join("notices/n2/index.html/mine.txt"), "我的");
    // And put a file where a new page will go.
    put(&out.join("notices/n5/index.html"), "<p>手写的页面</p>");
    let before = state(&out);
    edit_n0(&site, "新标题", "新正文。");
    site.page(
        "notices/n5.md",
        "title: 新页面\ndate: 2026-01-05 09:00",
        "新。",
    );
    let o = build_into(&site, &out, &[]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("output-in-the-way"), "{err}");
    assert!(err.contains("原有输出未作任何改动"), "{err}");
    assert_eq!(before, state(&out));
    // Moved away, the build goes through.
    fs::remove_dir_all(out.join("notices/n2/index.html")).unwrap();
    fs::remove_file(out.join("notices/n5/index.html")).unwrap();
    let o = build_into(&site, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_in_the_output_does_not_stop_a_rebuild() {
    use std::os::unix::fs::PermissionsExt;
    let site = small_site(2);
    let out = site.out.clone();
    site.build().ok();
    let ro = out.join("notices");
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o555)).unwrap();
    edit_n0(&site, "新标题", "新正文。");
    let o = build_into(&site, &out, &[]);
    // The new tree is built beside the output, so the folder's mode does
    // not matter; its mode is kept.
    let _ = fs::set_permissions(&ro, fs::Permissions::from_mode(0o755));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        fs::read_to_string(out.join("notices/n0/index.html"))
            .unwrap()
            .contains("新正文")
    );
    let leftovers: Vec<String> = names(site.dir())
        .into_iter()
        .filter(|n| {
            n.contains("unionpress-")
                && !n.ends_with("unionpress-kept")
                && !n.ends_with("unionpress-lock")
        })
        .collect();
    // Without root, the old tree's files in the read-only folder cannot be
    // unlinked: the build says so and keeps that tree, nothing else.
    if !leftovers.is_empty() {
        assert!(stderr(&o).contains("output-old-kept"), "{}", stderr(&o));
    }
    // The swapped-out tree, read-only folder and all, is brought up to
    // date by the next build, which adds a page in that folder.
    site.page(
        "notices/n5.md",
        "title: 新页面\ndate: 2026-01-05 09:00",
        "新。",
    );
    let o = build_into(&site, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("notices/n5/index.html").is_file());
    assert_kept_tree_is_ours(&out);
}

#[test]
fn leftovers_of_killed_runs_are_removed_but_not_what_is_unique() {
    let site = small_site(2);
    let out = site.out.clone();
    site.build().ok();
    let dir = site.dir();
    // PIDs above the kernel's maximum: no such process can be running.
    let new = dir.join(".public.unionpress-new-4194999");
    put(&new.join("index.html"), "half");
    put(&new.join("notices/n0/index.html"), "half");
    let legacy = dir.join(".public.staging-4194998");
    put(&legacy.join("index.html"), "old staging");
    let old = dir.join(".public.unionpress-old-4194997");
    put(
        &old.join(".unionpress-output"),
        "unionpress-output 1\nindex.html\n",
    );
    put(&old.join("index.html"), "old");
    put(&old.join("only-here.txt"), "不能丢");
    let user = dir.join(".public.backup");
    put(&user.join("index.html"), "user's");
    site.build().ok();
    assert!(!new.exists() && !legacy.exists());
    assert_eq!(names(&old), BTreeSet::from(["only-here.txt".to_string()]));
    assert_eq!(
        fs::read_to_string(old.join("only-here.txt")).unwrap(),
        "不能丢"
    );
    assert!(!old.join("index.html").exists());
    assert_eq!(
        fs::read_to_string(user.join("index.html")).unwrap(),
        "user's"
    );
    assert!(out.join("index.html").is_file());
}

fn random_bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 56) as u8
        })
        .collect()
}

#[test]
fn a_full_disk_leaves_the_old_site() {
    let site = small_site(2);
    let Some(disk) = Mount::tmpfs(&site.dir().join("disk"), "4m") else {
        return;
    };
    let out = disk.0.join("public");
    fs::create_dir_all(site.root.join("static")).unwrap();
    fs::write(
        site.root.join("static/大文件.bin"),
        random_bytes(2_500_000, 1),
    )
    .unwrap();
    let o = build_into(&site, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = state(&out);
    fs::write(
        site.root.join("static/大文件.bin"),
        random_bytes(2_500_000, 2),
    )
    .unwrap();
    let o = build_into(&site, &out, &[]);
    assert!(!o.status.success(), "the disk should be full");
    assert!(stderr(&o).contains("No space left"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("原有输出未作任何改动"),
        "{}",
        stderr(&o)
    );
    assert_eq!(before, state(&out));
    drop(disk);
}

#[test]
fn staging_stays_on_the_output_file_system_and_a_mount_point_is_refused() {
    let site = small_site(2);
    let Some(disk) = Mount::tmpfs(&site.dir().join("mnt"), "16m") else {
        return;
    };
    let around = names(site.dir());
    let out = disk.0.join("public");
    for _ in 0..2 {
        let o = build_into(&site, &out, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        edit_n0(&site, "又改了", "新。");
    }
    // The swapped-out tree is kept on the output's disk too.
    let beside = [
        ".public.unionpress-kept",
        ".public.unionpress-lock",
        "public",
    ]
    .map(String::from);
    assert_eq!(names(&disk.0), BTreeSet::from(beside));
    assert_eq!(around, names(site.dir()));
    // The mount point itself cannot be swapped: refused with a way out.
    fs::remove_dir_all(&out).unwrap();
    fs::remove_dir_all(kept(&out)).unwrap();
    fs::remove_file(disk.0.join(".public.unionpress-lock")).unwrap();
    let o = build_into(&site, &disk.0, &[]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("挂载点"), "{}", stderr(&o));
    assert!(names(&disk.0).is_empty());
    assert_eq!(around, names(site.dir()));
    drop(disk);
}

#[test]
fn watch_and_serve_refuse_a_folder_that_is_not_theirs_and_stop() {
    let site = small_site(1);
    let wdocs = site.dir().join("wdocs");
    put(&wdocs.join("thesis.docx"), "论文");
    put(&wdocs.join("sub/salary.xlsx"), "工资表");
    let before = snapshot(&wdocs);
    for cmd in [vec!["watch"], vec!["serve", "--port", "0"]] {
        let (status, lines) = Running::start_to(&site, &wdocs, &cmd).stopped();
        let lines = lines.join("\n");
        let status = status.unwrap_or_else(|| panic!("{cmd:?} kept running: {lines}"));
        assert!(!status.success(), "{cmd:?}");
        assert!(lines.contains("output-not-ours"), "{cmd:?}: {lines}");
        assert!(!lines.contains("http://"), "{cmd:?} served it: {lines}");
        assert_eq!(before, snapshot(&wdocs), "{cmd:?}");
    }
}

/// A web server reading during the swap: with the exchange there is no
/// instant without the page (with `UNIONPRESS_NO_EXCHANGE=1`, the
/// two-rename fallback, this fails most runs: the folder is briefly gone).
#[test]
fn a_reader_during_publishing_always_finds_a_whole_page() {
    let site = small_site(2);
    let out = site.out.clone();
    let version = |v: usize| {
        edit_n0(&site, "版本", &format!("版本{v}正文。"));
    };
    version(0);
    site.build().ok();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (stop, page) = (stop.clone(), out.join("notices/n0/index.html"));
        std::thread::spawn(move || {
            let mut reads = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let html = fs::read_to_string(&page).expect("the page is always there");
                assert!(
                    html.contains("正文。") && html.contains("</html>"),
                    "a partial page"
                );
                reads += 1;
            }
            reads
        })
    };
    for v in 1..=12 {
        version(v);
        site.build().ok();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let reads = reader
        .join()
        .expect("the reader saw a whole page every time");
    assert!(reads > 0);
}

/// The tree the last publish swapped out, kept beside the output for the
/// next build to bring up to date.
fn kept(out: &Path) -> std::path::PathBuf {
    let name = out.file_name().unwrap().to_string_lossy();
    out.with_file_name(format!(".{name}.unionpress-kept"))
}

/// Every file in the kept tree (if there is one) is listed in its
/// manifest: nothing of anyone else's rests there.
fn assert_kept_tree_is_ours(out: &Path) {
    let tree = kept(out);
    if !tree.exists() {
        return;
    }
    let listed =
        fs::read_to_string(tree.join(".unionpress-output")).expect("a kept tree has a manifest");
    let listed: BTreeSet<&str> = listed.lines().collect();
    for rel in snapshot(&tree).keys() {
        assert!(
            rel == ".unionpress-output" || listed.contains(rel.as_str()),
            "{rel} rests in the kept tree unlisted"
        );
    }
}

/// The output without the files of others in `foreign`.
fn ours(out: &Path, foreign: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(out);
    files.retain(|rel, _| {
        !foreign
            .iter()
            .any(|f| rel == f || rel.starts_with(&format!("{f}/")))
    });
    files
}

/// Two outputs hold the same files with the same bytes (names the first
/// that differs rather than printing both).
fn same_site(got: BTreeMap<String, Vec<u8>>, want: BTreeMap<String, Vec<u8>>) {
    let (a, b): (BTreeSet<&String>, BTreeSet<&String>) =
        (got.keys().collect(), want.keys().collect());
    assert_eq!(a, b, "the same files");
    for (rel, bytes) in &want {
        assert!(got[rel] == *bytes, "{rel} differs from a clean build's");
    }
}

/// `unionpress build --no-cache`: every file rendered and compared.
fn build_uncached(site: &Site, out: &Path) -> Output {
    let args = [
        "build",
        "--no-cache",
        "--root",
        s(&site.root),
        "--output",
        s(out),
    ];
    run(&args, &[], None)
}

/// What a clean build of the site writes.
fn clean_build(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let fresh = site.dir().join("fresh");
    let _ = fs::remove_dir_all(&fresh);
    let o = build_uncached(site, &fresh);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = snapshot(&fresh);
    fs::remove_dir_all(&fresh).unwrap();
    let _ = fs::remove_dir_all(kept(&fresh));
    files
}

#[test]
fn the_kept_tree_follows_the_files_of_others_added_and_removed_between_builds() {
    let site = small_site(4);
    let out = site.out.clone();
    let edit = |n: usize| {
        edit_n0(&site, "改过的通知", &format!("第{n}版正文。"));
    };
    for (n, cached) in [(1, false), (2, true), (3, false)] {
        edit(n);
        let o = if cached {
            build_into(&site, &out, &[])
        } else {
            build_uncached(&site, &out)
        };
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert!(
        kept(&out).join(".unionpress-output").is_file(),
        "the swapped-out tree is kept"
    );
    assert_kept_tree_is_ours(&out);
    for (rel, text) in FOREIGN {
        put(&out.join(rel), text);
    }
    let ids = common::identities(&out);
    let foreign: Vec<&str> = FOREIGN.iter().map(|(rel, _)| *rel).collect();
    for n in 4..7 {
        edit(n);
        if n == 6 {
            // Someone removes some of their files, and a page goes.
            fs::remove_file(out.join("robots.txt")).unwrap();
            fs::remove_dir_all(out.join("admin")).unwrap();
            site.remove("content/notices/n3.md");
        }
        let o = build_into(&site, &out, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_kept_tree_is_ours(&out);
        let now = common::identities(&out);
        for (rel, text) in FOREIGN {
            if n == 6 && (rel == "robots.txt" || rel.starts_with("admin/")) {
                assert!(
                    !out.join(rel).exists(),
                    "{rel}, removed by its owner, stays removed"
                );
                continue;
            }
            assert_eq!(fs::read_to_string(out.join(rel)).unwrap(), text, "{rel}");
            assert_eq!(ids[rel], now[rel], "{rel} is the same file");
        }
        assert!(
            !out.join("admin").exists() || n < 6,
            "its folder stays removed"
        );
        same_site(ours(&out, &foreign), clean_build(&site));
    }
}

#[test]
fn a_damaged_kept_tree_never_reaches_the_output() {
    let site = small_site(4);
    let out = site.out.clone();
    let edit = |n: usize| {
        edit_n0(&site, "改过的通知", &format!("第{n}版正文。"));
    };
    for n in 1..=3 {
        edit(n);
        assert!(build_into(&site, &out, &[]).status.success());
    }
    let tree = kept(&out);
    // A page the next build does not change, edited in the kept tree as a
    // new file; another one deleted there; a file of someone's put there.
    fs::remove_file(tree.join("notices/n2/index.html")).unwrap();
    put(&tree.join("notices/n2/index.html"), "<p>坏了</p>");
    fs::remove_file(tree.join("notices/n1/index.html")).unwrap();
    put(&tree.join("mine.txt"), "我的文件");
    edit(4);
    let o = build_into(&site, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    same_site(ours(&out, &["mine.txt"]), clean_build(&site));
    let mine = [out.join("mine.txt"), tree.join("mine.txt")];
    assert!(
        mine.iter()
            .any(|p| fs::read_to_string(p).is_ok_and(|t| t == "我的文件")),
        "someone's file in the kept tree is never deleted"
    );

    // A folder of the kept tree made a link to someone's folder, and the
    // page in it dropped from the site: nothing out there is removed; the
    // build stops, and the next one starts afresh.
    #[cfg(unix)]
    {
        let theirs = site.dir().join("theirs");
        put(&theirs.join("index.html"), "别人的页面");
        fs::remove_dir_all(tree.join("notices/n3")).unwrap();
        std::os::unix::fs::symlink(&theirs, tree.join("notices/n3")).unwrap();
        site.remove("content/notices/n3.md");
        let before = snapshot(&out);
        let o = build_into(&site, &out, &[]);
        assert!(!o.status.success());
        assert!(
            stderr(&o).contains("原有输出未作任何改动"),
            "{}",
            stderr(&o)
        );
        assert_eq!(snapshot(&out), before);
        let o = build_into(&site, &out, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        same_site(ours(&out, &["mine.txt"]), clean_build(&site));
        assert_eq!(
            fs::read_to_string(theirs.join("index.html")).unwrap(),
            "别人的页面",
            "nothing is removed through a link in the kept tree"
        );
    }

    // A kept tree whose manifest is not ours, or that is a link, is not touched.
    let _ = fs::remove_file(out.join("mine.txt"));
    let _ = fs::remove_file(tree.join("mine.txt"));
    fs::write(
        tree.join(".unionpress-output"),
        "something else\nindex.html\n",
    )
    .unwrap();
    let before = snapshot(&tree);
    edit(5);
    let o = build_into(&site, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        snapshot(&tree),
        before,
        "an unreadable kept tree is left alone"
    );
    same_site(ours(&out, &[]), clean_build(&site));
    fs::remove_dir_all(&tree).unwrap();
    let elsewhere = site.dir().join("elsewhere");
    put(
        &elsewhere.join(".unionpress-output"),
        "unionpress-output 1\nindex.html\n",
    );
    put(&elsewhere.join("index.html"), "别人的");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&elsewhere, &tree).unwrap();
    edit(6);
    let o = build_into(&site, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(elsewhere.join("index.html")).unwrap(),
        "别人的"
    );
    same_site(ours(&out, &[]), clean_build(&site));
}

/// Another file system mounted inside the output, or a folder of the same
/// disk bound there, stops the publish: its files are not the site's to
/// link, copy or remove.
#[test]
fn a_mount_inside_the_output_stops_the_publish() {
    let site = small_site(2);
    let out = site.out.clone();
    site.build().ok();
    site.build().ok();
    let elsewhere = site.dir().join("elsewhere");
    put(&elsewhere.join("data.txt"), "别处的数据");
    let Some(disk) = Mount::tmpfs(&out.join("share/disk"), "1m") else {
        return;
    };
    put(&disk.0.join("x.txt"), "挂载盘上的文件");
    let bound = out.join("bound");
    fs::create_dir_all(&bound).unwrap();
    let bind = std::process::Command::new("mount")
        .args(["--bind", s(&elsewhere), s(&bound)])
        .status()
        .is_ok_and(|st| st.success());
    let bound = bind.then(|| Mount(bound));
    edit_n0(&site, "新标题", "新正文。");
    for mounted in [Some(&disk), bound.as_ref()].into_iter().flatten() {
        let before = state(&out);
        let o = build_into(&site, &out, &[]);
        assert!(!o.status.success(), "{}", stderr(&o));
        assert!(stderr(&o).contains("output-mount-inside"), "{}", stderr(&o));
        assert_eq!(before, state(&out));
        assert_kept_tree_is_ours(&out);
        // Unmounted here; dropping the guard later tries again harmlessly.
        let _ = std::process::Command::new("umount")
            .arg(&mounted.0)
            .status();
    }
    assert_eq!(
        fs::read_to_string(elsewhere.join("data.txt")).unwrap(),
        "别处的数据"
    );
    let o = build_into(&site, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    drop((disk, bound));
}

/// Every empty folder under `dir`, as a `/`-joined relative path.
fn empty_folders(dir: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let mut empty = true;
        for e in fs::read_dir(&d).unwrap() {
            empty = false;
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                todo.push(e.path());
            }
        }
        if empty && d != dir {
            let rel = d.strip_prefix(dir).unwrap().to_string_lossy();
            found.insert(rel.replace('\\', "/"));
        }
    }
    found
}

/// A small site whose third notice has its own tag, department and year,
/// so that dropping it empties a page folder and three list folders.
fn site_with_a_page_to_drop() -> Site {
    let site = small_site(2);
    site.page(
        "notices/drop.md",
        "title: 将删除的通知\ndate: 2025-03-01 09:00\ntags: [独有标签]\ndepartment: 独有部门",
        "正文。",
    );
    site
}

/// The folders the dropped notice had, each then without a file of ours.
const DROPPED: [&str; 4] = [
    "notices/drop",
    "tags/独有标签",
    "departments/独有部门",
    "notices/archive/2025",
];

#[test]
fn a_dropped_page_leaves_no_empty_folder_but_folders_of_others_stay() {
    for (how, build) in [
        (
            "cached",
            build_into as fn(&Site, &Path, &[(&str, &str)]) -> Output,
        ),
        ("uncached", |site, out, _| build_uncached(site, out)),
    ] {
        let site = site_with_a_page_to_drop();
        let out = site.out.clone();
        // Three builds, so that the last one brings a kept tree up to date.
        for _ in 0..2 {
            let o = build(&site, &out, &[]);
            assert!(o.status.success(), "{how}: {}", stderr(&o));
        }
        for dir in DROPPED {
            assert!(out.join(dir).join("index.html").is_file(), "{how}: {dir}");
        }
        // Someone's empty folders (one inside a folder of the site), and a
        // hidden file in a folder that only the dropped page filled.
        fs::create_dir_all(out.join("uploads")).unwrap();
        fs::create_dir_all(out.join("notices/mine")).unwrap();
        put(&out.join("tags/独有标签/.keep"), "勿删");
        site.remove("content/notices/drop.md");
        let o = build(&site, &out, &[]);
        assert!(o.status.success(), "{how}: {}", stderr(&o));
        assert_eq!(
            empty_folders(&out),
            BTreeSet::from(["notices/mine".to_string(), "uploads".to_string()]),
            "{how}: only the folders someone made are empty"
        );
        for dir in DROPPED {
            assert!(!out.join(dir).join("index.html").exists(), "{how}: {dir}");
        }
        assert_eq!(
            fs::read_to_string(out.join("tags/独有标签/.keep")).unwrap(),
            "勿删",
            "{how}: the folder holding someone's file stays with it"
        );
        assert_eq!(
            names(&out.join("tags/独有标签")),
            BTreeSet::from([".keep".to_string()]),
            "{how}"
        );
        // And the tree kept for the next build does not gather them either.
        let o = build(&site, &out, &[]);
        assert!(o.status.success(), "{how}: {}", stderr(&o));
        assert!(kept(&out).is_dir(), "{how}: a kept tree");
        assert_eq!(empty_folders(&kept(&out)), BTreeSet::new(), "{how}");
        assert_eq!(empty_folders(&out).len(), 2, "{how}");
    }
}

#[test]
fn watch_removes_the_folders_a_dropped_page_leaves_empty() {
    let site = site_with_a_page_to_drop();
    let out = site.out.clone();
    let w = Running::watch(&site, &out);
    running::eventually("the first build", || {
        out.join("notices/drop/index.html").is_file()
    });
    fs::create_dir_all(out.join("uploads")).unwrap();
    put(&out.join("tags/独有标签/.keep"), "勿删");
    site.remove("content/notices/drop.md");
    running::eventually("the dropped page gone", || {
        !out.join("notices/drop").exists()
    });
    running::settled(&out);
    drop(w);
    assert_eq!(
        empty_folders(&out),
        BTreeSet::from(["uploads".to_string()]),
        "only the folder someone made is empty"
    );
    assert_eq!(
        names(&out.join("tags/独有标签")),
        BTreeSet::from([".keep".to_string()])
    );
}

/// `unionpress build` of `site` into its output, in the background, with
/// `args` added and `env`.
fn build_running(site: &Site, args: &[&str], env: &[(&str, &str)]) -> Running {
    let mut cmd = Command::new(BIN);
    cmd.args(["build", "--root", s(&site.root), "--output", s(&site.out)])
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    Running::spawn(cmd)
}

/// The first build pauses with its new tree ready, holding the output,
/// until `resume` exists.
fn paused_build(site: &Site, resume: &Path) -> Running {
    let env = [
        ("UNIONPRESS_PAUSE_AT", "staged"),
        ("UNIONPRESS_RESUME", s(resume)),
    ];
    let first = build_running(site, &[], &env);
    first.wait_for("paused at staged");
    first
}

#[test]
fn a_second_build_waits_for_the_first_and_says_so() {
    let site = small_site(3);
    site.build().ok();
    let out = site.out.clone();
    let before = snapshot(&out);
    let resume = site.dir().join("resume");
    edit_n0(&site, "第一次构建", "一。");
    let first = paused_build(&site, &resume);
    // Meanwhile a page is added (the first build does not have it), and
    // two more builds start, one in Chinese, one in English.
    site.page(
        "notices/new.md",
        "title: 新增通知\ndate: 2026-01-20 09:00",
        "新增。",
    );
    let zh = build_running(&site, &[], &[]);
    let en = build_running(&site, &["--lang", "en"], &[]);
    let pid = first.id();
    let said = zh.wait_for(&format!("进程号 {pid}")).join("\n");
    assert!(said.contains("正在向输出目录"), "{said}");
    let hint = zh.wait_for("提示：").join("\n");
    assert!(hint.contains("按 Ctrl+C 可放弃"), "{hint}");
    let said = en.wait_for(&format!("(process {pid})")).join("\n");
    assert!(
        said.contains("is publishing into the output folder"),
        "{said}"
    );
    let hint = en.wait_for("hint: ").join("\n");
    assert!(hint.contains("Ctrl+C gives this build up"), "{hint}");
    // Both wait: nothing of theirs is published while the first holds it.
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(snapshot(&out), before, "a waiting build published");
    fs::write(&resume, "").unwrap();
    for (name, run) in [("first", first), ("zh", zh), ("en", en)] {
        let (status, lines) = run.stopped();
        let lines = lines.join("\n");
        assert!(status.is_some_and(|st| st.success()), "{name}: {lines}");
    }
    // The last to publish had the added page; nothing is anyone else's.
    let listed = fs::read_to_string(out.join(".unionpress-output")).unwrap();
    assert!(listed.lines().any(|l| l == "notices/new/index.html"));
    same_site(snapshot(&out), clean_build(&site));
    let o = build_into(&site, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_kept_tree_is_ours(&out);
}

#[test]
fn a_killed_build_does_not_hold_the_output() {
    let site = small_site(2);
    site.build().ok();
    let out = site.out.clone();
    edit_n0(&site, "被中断的构建", "一。");
    let first = paused_build(&site, &site.dir().join("never"));
    drop(first); // killed, as by `kill -9` or a closed window
    edit_n0(&site, "接着的构建", "二。");
    let (status, lines) = build_running(&site, &[], &[]).stopped();
    let lines = lines.join("\n");
    assert!(status.is_some_and(|st| st.success()), "{lines}");
    assert!(!lines.contains("另一个 unionpress"), "{lines}");
    same_site(snapshot(&out), clean_build(&site));
}

/// Whether a line of a `.gitignore` at the site's top covers the name
/// `name` there (the two forms the scaffold uses: `/dir/` and `/prefix*`).
fn ignored(gitignore: &str, name: &str) -> bool {
    gitignore.lines().any(|line| {
        let Some(pattern) = line.strip_prefix('/') else {
            return false;
        };
        match pattern.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix),
            None => pattern.trim_end_matches('/') == name,
        }
    })
}

#[test]
fn what_builds_leave_in_a_new_site_is_ignored_by_git() {
    let tmp = tempfile::tempdir().unwrap();
    for lang in ["zh", "en"] {
        let site = tmp.path().join(lang);
        let o = run(&["init", s(&site), "--lang", lang], &[], None);
        assert!(o.status.success(), "{}", stderr(&o));
        let made = names(&site);
        for _ in 0..2 {
            let o = run(&["build"], &[], Some(&site));
            assert!(o.status.success(), "{}", stderr(&o));
        }
        let gitignore = fs::read_to_string(site.join(".gitignore")).unwrap();
        let left: Vec<String> = names(&site).difference(&made).cloned().collect();
        assert!(left.len() >= 3, "{lang}: {left:?}");
        for name in left {
            assert!(ignored(&gitignore, &name), "{lang}: {name} is not ignored");
        }
    }
}

#[test]
fn watch_after_another_site_published_into_its_output_publishes_afresh() {
    let site = small_site(2);
    let out = site.out.clone();
    let w = Running::watch(&site, &out);
    running::eventually("the first build", || {
        out.join("notices/n1/index.html").is_file()
    });
    running::settled(&out);
    // Another site publishes into the same folder while watch runs.
    let other = Site::new();
    other.page(
        "notices/other.md",
        "title: 另一个站点的通知\ndate: 2026-02-01 09:00",
        "别处。",
    );
    let o = build_into(&other, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("notices/other/index.html").is_file());
    // The editor saves a page: watch's site is published again, whole, and
    // nothing of the other site stays behind unlisted.
    w.drain();
    edit_n0(&site, "改过的通知", "新正文。");
    let lines = w.wait_for("已更新：").join("\n");
    assert!(!lines.contains("error"), "{lines}");
    drop(w);
    assert!(running::read(&out.join("notices/n0/index.html")).contains("新正文"));
    same_site(snapshot(&out), clean_build(&site));
    // So the other site can publish again (its files were listed).
    let o = build_into(&other, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A waiting build names no process that is done: here the lock is held
/// by something that wrote no id, over the id a killed build left.
#[cfg(unix)]
#[test]
fn a_waiting_build_never_names_a_process_that_is_gone() {
    use rustix::fs::{FlockOperation, flock};
    let site = small_site(1);
    site.build().ok();
    let lock = site.out.with_file_name(".public.unionpress-lock");
    fs::write(&lock, "999999999\n").unwrap();
    let held = fs::OpenOptions::new().write(true).open(&lock).unwrap();
    flock(&held, FlockOperation::LockExclusive).unwrap();
    let waiting = build_running(&site, &[], &[]);
    let said = waiting.wait_for("正在向输出目录").join("\n");
    assert!(said.contains("另一个 unionpress 正在"), "{said}");
    assert!(!said.contains("999999999"), "{said}");
    drop(held);
    let (status, lines) = waiting.stopped();
    assert!(
        status.is_some_and(|st| st.success()),
        "{}",
        lines.join("\n")
    );
    assert_eq!(fs::read(&lock).unwrap(), b"", "no id once it is free");
}
