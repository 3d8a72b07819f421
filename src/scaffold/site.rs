//! A new site that builds at once: site.yaml with comments, the sections
//! 通知公告 / 政策解读 / 活动报道 / 职工服务 with one page each, in Chinese
//! (`scaffold/site`) or English (`scaffold/site-en`). The theme is not
//! copied unless asked for: the site uses the built-in one (see README,
//! "Themes"), and [`eject_theme`] copies it when someone wants to change it.

use std::path::{Path, PathBuf};

use include_dir::{Dir, DirEntry, include_dir};

use crate::diagnostics::Diagnostic;
use crate::i18n::{Lang, Msg};

static SITE_ZH: Dir = include_dir!("$CARGO_MANIFEST_DIR/scaffold/site");
static SITE_EN: Dir = include_dir!("$CARGO_MANIFEST_DIR/scaffold/site-en");

/// Writes a new site into `dir`. Refuses a folder with anything in it
/// (hidden files like `.git` aside) unless `force`.
pub fn create(
    dir: &Path,
    force: bool,
    today: jiff::civil::Date,
    lang: Lang,
) -> Result<(), Diagnostic> {
    if !force && has_files(dir) {
        return Err(Diagnostic::error(
            None,
            Msg::InitNotEmpty {
                path: dir.display().to_string(),
            },
        ));
    }
    let fill = |text: &str| {
        text.replace("{{today}}", &today.to_string())
            .replace("{{year}}", &today.year().to_string())
    };
    let site = match lang {
        Lang::Zh => &SITE_ZH,
        Lang::En => &SITE_EN,
    };
    for file in files(site) {
        let text = String::from_utf8_lossy(file.contents());
        write(&dir.join(file.path()), fill(&text).as_bytes())?;
    }
    Ok(())
}

/// Copies the built-in theme into the site's `themes/default/` for
/// customizing; files already there are kept. Returns the files written and
/// those kept.
pub fn eject_theme(site: &Path) -> Result<crate::theme::Ejected, Diagnostic> {
    let dest = theme_folder(site);
    crate::theme::eject(&dest).map_err(|e| Diagnostic::io(dest.display(), &e))
}

/// Where [`eject_theme`] writes.
pub fn theme_folder(site: &Path) -> PathBuf {
    site.join("themes").join(crate::theme::DEFAULT)
}

fn has_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| !e.file_name().to_string_lossy().starts_with('.'))
    })
}

fn files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut out = Vec::new();
    for entry in dir.entries() {
        match entry {
            DirEntry::File(f) => out.push(f),
            DirEntry::Dir(d) => out.extend(files(d)),
        }
    }
    out
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let io = |e: std::io::Error| Diagnostic::io(path.display(), &e);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(path, bytes).map_err(io)
}
