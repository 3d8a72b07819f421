//! A site for editor-facing tests: `unionpress init`'s, dated 2025-03-01,
//! checked as if it were 2025-06-01 10:00 in Shanghai, so every message and
//! snapshot is the same on every day it runs.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use unionpress::build::{self, Report, Request};
use unionpress::diagnostics::{Diagnostic, Renderer};
use unionpress::i18n::Lang;
use unionpress::site::Options;

pub const TODAY: (i16, i8, i8) = (2025, 3, 1);
pub const NOW: &str = "2025-06-01T10:00:00+08:00";

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// A fresh `init` site.
    pub fn new() -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        let (y, m, d) = TODAY;
        unionpress::scaffold::site::create(dir.path(), false, jiff::civil::date(y, m, d), Lang::Zh)
            .expect("init writes a site");
        TestSite { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn options(&self) -> Options {
        Options {
            drafts: false,
            future: false,
            now: NOW.parse().expect("NOW parses"),
        }
    }

    fn request(&self, output: Option<PathBuf>, lang: Option<Lang>) -> Request {
        Request {
            root: self.root().to_path_buf(),
            output,
            options: self.options(),
            lang,
        }
    }

    pub fn check(&self, lang: Lang) -> Report {
        unionpress::check::run(&self.request(None, Some(lang)))
    }

    pub fn build(&self) -> Report {
        build::run(&self.request(Some(self.path("public")), None))
    }
}

/// The diagnostics about one file, as a terminal shows them without colour.
pub fn rendered(report: &Report, lang: Lang, file: &str) -> String {
    let about: Vec<Diagnostic> = report
        .diags
        .iter()
        .filter(|d| d.span.as_ref().is_some_and(|s| &*s.file == file))
        .cloned()
        .collect();
    Renderer {
        sources: &report.sources,
        lang,
    }
    .to_string(&about)
}

/// Chinese, then English: what one snapshot holds.
pub fn both(site: &TestSite, file: &str) -> String {
    let zh = rendered(&site.check(Lang::Zh), Lang::Zh, file);
    let en = rendered(&site.check(Lang::En), Lang::En, file);
    format!("{zh}\n=============== en ===============\n\n{en}")
}

pub fn codes(report: &Report, file: &str) -> Vec<&'static str> {
    report
        .diags
        .iter()
        .filter(|d| d.span.as_ref().is_some_and(|s| &*s.file == file))
        .map(|d| d.msg.code())
        .collect()
}

/// Copies a folder tree (the shared corpus is read-only: copies only).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
            // Copies of read-only files stay writable, so the temp dir can go.
            let mut perms = std::fs::metadata(&dest).expect("meta").permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&dest, perms).expect("chmod");
        }
    }
}
