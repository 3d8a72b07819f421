//! The watcher heals: whatever happens to the output folder or the source
//! folders while `watch`/`serve` runs, the output comes back to exactly
//! what a clean build writes. The output deleted, a file in it deleted or
//! edited; `content/` renamed away and back; `static/` and `templates/`
//! created after the start; a full disk half-way through a rebuild.

mod common;
#[path = "common/running.rs"]
mod running;

use std::collections::BTreeMap;
use std::fs;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::{Opts, Site, snapshot};
use running::{Mount, Running, eventually, read};
use unionpress::build::{self, Session};

fn site() -> Site {
    let site = Site::new();
    for i in 0..3 {
        site.page(
            &format!("notices/n{i}.md"),
            &format!("title: 第{i}号通知\ndate: 2026-01-{:02} 09:00", i + 1),
            &format!("第{i}号通知正文。"),
        );
    }
    site
}

/// What a clean build of the site as it is now writes.
fn clean(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let mut req = site.request(Opts::default());
    req.output = Some(dir.path().join("clean"));
    let report = build::run(&req);
    assert!(!report.failed());
    snapshot(&dir.path().join("clean"))
}

#[test]
fn a_session_repairs_what_someone_did_to_its_output() {
    let site = site();
    let mut session = Session::new(site.request(Opts::default()));
    assert!(!session.build().failed());
    assert!(!session.output_damaged());
    let want = clean(&site);
    assert_eq!(snapshot(&site.out), want);

    // A file deleted, another edited, one edited keeping its size.
    fs::remove_file(site.out.join("notices/n0/index.html")).unwrap();
    fs::write(site.out.join("index.html"), "vandalised").unwrap();
    let css = site.out.join("style.css");
    let mut bytes = fs::read(&css).unwrap_or_default();
    if !bytes.is_empty() {
        bytes[0] ^= 1;
        fs::write(&css, bytes).unwrap();
    }
    // A file someone added is not damage, and it stays.
    fs::write(site.out.join("robots.txt"), "User-agent: *").unwrap();
    assert!(session.output_damaged());
    let report = session.build();
    assert!(!report.failed());
    assert!(
        report.changed.contains(&"index.html".to_string()),
        "{:?}",
        report.changed
    );
    let mut got = snapshot(&site.out);
    assert_eq!(
        got.remove("robots.txt").as_deref(),
        Some(&b"User-agent: *"[..])
    );
    assert_eq!(got, want);
    assert!(!session.output_damaged());

    // The whole folder deleted.
    fs::remove_dir_all(&site.out).unwrap();
    assert!(session.output_damaged());
    assert!(!session.build().failed());
    assert_eq!(snapshot(&site.out), want);

    // Its manifest deleted: written again, nothing else disturbed.
    fs::remove_file(site.out.join(".unionpress-output")).unwrap();
    assert!(session.output_damaged());
    assert!(!session.build().failed());
    assert_eq!(snapshot(&site.out), want);
}

// ---- the real binary ------------------------------------------------------

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn watch_restores_a_deleted_or_edited_output_without_any_source_change() {
    let site = site();
    let _w = Running::watch(&site, &site.out);
    let want = clean(&site);
    eventually("first build", || snapshot(&site.out) == want);

    fs::remove_file(site.out.join("notices/n1/index.html")).unwrap();
    fs::write(site.out.join("index.html"), "vandalised").unwrap();
    eventually("deleted and edited files restored", || {
        snapshot(&site.out) == want
    });

    // Gone at once, as a delete from a file manager leaves it: removing it
    // file by file races the repair the watcher starts on seeing it damaged
    // (once: "Directory not empty").
    // A repair already under way when the folder was renamed may still
    // put a file in it (seen once under load: "Directory not empty"), so
    // the removal is tried until it holds.
    let aside = site.dir().join("public-deleted");
    fs::rename(&site.out, &aside).unwrap();
    eventually("renamed-away output removed", || {
        fs::remove_dir_all(&aside).is_ok() || !aside.exists()
    });
    eventually("deleted output folder restored", || {
        snapshot(&site.out) == want
    });
}

#[test]
fn source_folders_renamed_back_or_created_later_are_watched() {
    let site = site();
    let w = Running::watch(&site, &site.out);
    let page = site.out.join("notices/n0/index.html");
    eventually("first build", || read(&page).contains("第0号通知正文"));

    // content/ renamed away and back, then edited.
    let aside = site.dir().join("content-aside");
    fs::rename(site.root.join("content"), &aside).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    fs::rename(&aside, site.root.join("content")).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    site.page(
        "notices/n0.md",
        "title: 第0号通知\ndate: 2026-01-01 09:00",
        "改名回来后的正文。",
    );
    eventually("an edit after content/ came back", || {
        read(&page).contains("改名回来后的正文")
    });

    // static/ created after the start.
    site.file("static/新文件.txt", "静态文件");
    eventually("a file in a new static/", || {
        read(&site.out.join("新文件.txt")) == "静态文件"
    });
    site.file("static/新文件.txt", "静态文件第二版");
    eventually("an edit in the new static/", || {
        read(&site.out.join("新文件.txt")) == "静态文件第二版"
    });

    // templates/ created after the start, overriding the theme's page.
    let theme = fs::read_to_string(site.root.join("themes/default/templates/notice.html")).unwrap();
    site.file(
        "templates/notice.html",
        theme.replacen(
            "{% block content %}",
            "{% block content %}<p>站点模板</p>",
            1,
        ),
    );
    eventually("the new templates/ is used", || {
        read(&page).contains("站点模板")
    });
    let _ = w.drain();
    let want = clean(&site);
    eventually("the output equals a clean build", || {
        snapshot(&site.out) == want
    });
}

fn tmp_files(dir: &Path) -> Vec<String> {
    snapshot(dir)
        .into_keys()
        .filter(|k| k.ends_with(".unionpress-tmp"))
        .collect()
}

#[test]
fn a_full_disk_while_watching_leaves_whole_files_and_says_what_was_not_updated() {
    let site = site();
    let Some(disk) = Mount::tmpfs(&site.dir().join("disk"), "8m") else {
        return;
    };
    let out = disk.0.join("public");
    let w = Running::watch(&site, &out);
    let page = |i: usize| out.join(format!("notices/n{i}/index.html"));
    eventually("first build", || read(&page(2)).contains("第2号通知正文"));
    let before: Vec<String> = (0..3).map(|i| read(&page(i))).collect();
    // Fill the disk but for a little room.
    let filler = disk.0.join("filler");
    let free = {
        let o = Command::new("df")
            .args(["--output=avail", "-B1", s(&disk.0)])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .nth(1)
            .unwrap()
            .trim()
            .parse::<usize>()
            .unwrap()
    };
    fs::write(&filler, vec![7u8; free.saturating_sub(40_000)]).unwrap();
    let _ = w.drain();
    // Three pages grow far beyond the room left.
    let big = "长".repeat(60_000);
    for i in 0..3 {
        site.page(
            &format!("notices/n{i}.md"),
            &format!("title: 第{i}号通知\ndate: 2026-01-{:02} 09:00", i + 1),
            &format!("{big}{i}"),
        );
    }
    let seen = w.wait_for("未能更新");
    let said = seen.join("\n");
    assert!(said.contains("已更新"), "{said}");
    assert!(tmp_files(&out).is_empty(), "{:?}", tmp_files(&out));
    for (i, old) in before.iter().enumerate() {
        let now = read(&page(i));
        assert!(
            now == *old || now.contains(&format!("{big}{i}")),
            "n{i} half-written"
        );
    }
    // Room again: the next save finishes the job.
    fs::remove_file(&filler).unwrap();
    site.page(
        "notices/n0.md",
        "title: 第0号通知\ndate: 2026-01-01 09:00",
        &format!("{big}0"),
    );
    eventually("all pages written once there is room", || {
        (0..3).all(|i| read(&page(i)).contains(&format!("{big}{i}")))
    });
    drop(w);
    let mut got = snapshot(&out);
    let want = clean(&site);
    got.retain(|k, _| want.contains_key(k) || k == ".unionpress-output");
    assert_eq!(got.len(), want.len());
    drop(disk);
}
