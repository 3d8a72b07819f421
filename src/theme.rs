//! The built-in default theme: `themes/default/` as it was when the binary
//! was compiled, carried inside it, so a site without a `themes/` folder
//! builds. It owns the one embedding of that folder (used by `build`, by
//! `init` and by `theme eject`), where a build reads it from, and copying it
//! into a site for customizing. It knows nothing of sites beyond paths.
//!
//! Templates and static files are read from disk by the rest of the
//! pipeline, so the built-in copy is written once, per version of its
//! contents, into the user's cache folder (`~/.cache/unionpress/`, or
//! `%LOCALAPPDATA%` on Windows, else the temp folder) and read from there.
//! A copy is used only while every file is byte for byte the built-in one;
//! anything else there is replaced. Nothing in the site is touched.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use include_dir::{Dir, DirEntry, include_dir};

/// The name `theme:` gives the built-in theme.
pub const DEFAULT: &str = "default";

static THEME: Dir = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Every file of the built-in theme: its `/`-separated path inside the
/// theme (`templates/base.html`) and its bytes, sorted by path.
pub fn files() -> Vec<(String, &'static [u8])> {
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
        for entry in dir.entries() {
            match entry {
                DirEntry::File(f) => {
                    let path = crate::paths::slash_path(f.path());
                    out.push((path, f.contents()));
                }
                DirEntry::Dir(d) => walk(d, out),
            }
        }
    }
    let mut out = Vec::new();
    walk(&THEME, &mut out);
    out.sort();
    out
}

/// A short name for this copy of the theme, changing when any file does.
fn version() -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for (path, bytes) in files() {
        h.update(path.as_bytes());
        h.update(&[0]);
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    format!("{:016x}", h.digest())
}

fn cache_root() -> PathBuf {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    env("XDG_CACHE_HOME")
        .or_else(|| env("LOCALAPPDATA"))
        .or_else(|| env("HOME").map(|h| h.join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("unionpress")
}

/// The folder holding the built-in theme on disk, written on first use.
/// `None` only when it cannot be written anywhere (the caller then reports
/// the theme as missing, naming the folder it looked in).
pub fn builtin_dir() -> Option<PathBuf> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = cache_root();
        let dir = root.join(format!("theme-default-{}", version()));
        materialize(&dir)
            .or_else(|_| {
                let dir = std::env::temp_dir()
                    .join("unionpress")
                    .join(format!("theme-default-{}", version()));
                materialize(&dir)
            })
            .ok()
    })
    .clone()
}

/// Marks a complete copy, so a copy cut short is never used.
const COMPLETE: &str = ".complete";

/// Writes the theme into `dir` unless a complete copy is there: first into
/// a folder of this process's own, then renamed into place in one step, so
/// two builds starting at once never see half a theme.
fn materialize(dir: &Path) -> std::io::Result<PathBuf> {
    if dir.join(COMPLETE).is_file() {
        if intact(dir) {
            return Ok(dir.to_path_buf());
        }
        // Edited or damaged (or put there by someone else, in a shared
        // temp folder): set aside, and written afresh below.
        let aside = dir.with_extension(format!("old.{}", std::process::id()));
        std::fs::rename(dir, &aside)?;
        let _ = std::fs::remove_dir_all(&aside);
    }
    let parent = dir.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent)?;
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    let tmp = parent.join(format!(".{name}.{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp)?;
    }
    write_all(&tmp)?;
    std::fs::write(tmp.join(COMPLETE), b"")?;
    match std::fs::rename(&tmp, dir) {
        Ok(()) => Ok(dir.to_path_buf()),
        // Another process won the race: its copy is as good as ours.
        Err(_) if dir.join(COMPLETE).is_file() => {
            let _ = std::fs::remove_dir_all(&tmp);
            Ok(dir.to_path_buf())
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            Err(e)
        }
    }
}

/// Whether every file in `dir` is the built-in theme's, byte for byte. The
/// copy is read on every build, so a copy that differs is never used.
fn intact(dir: &Path) -> bool {
    files()
        .into_iter()
        .all(|(rel, bytes)| std::fs::read(dir.join(&rel)).is_ok_and(|b| b == bytes))
}

/// What [`eject`] did with each file of the theme.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Ejected {
    pub written: Vec<PathBuf>,
    /// Files already in the site, left as they were.
    pub kept: Vec<PathBuf>,
}

/// Copies the built-in theme into `dest` (a site's `themes/default`) for
/// customizing. A file already there is never overwritten: it is kept and
/// listed, so an editor's changes survive running this twice.
pub fn eject(dest: &Path) -> std::io::Result<Ejected> {
    let mut done = Ejected::default();
    for (rel, bytes) in files() {
        let path = dest.join(&rel);
        if path.exists() {
            done.kept.push(path);
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)?;
        done.written.push(path);
    }
    Ok(done)
}

fn write_all(dest: &Path) -> std::io::Result<()> {
    for (rel, bytes) in files() {
        let path = dest.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)?;
    }
    Ok(())
}

/// The themes a site can name: its own `themes/*/` folders that hold
/// templates, and `default`, which is always there (built in).
pub fn available(themes_dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(themes_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("templates").is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if !names.iter().any(|n| n == DEFAULT) {
        names.push(DEFAULT.to_string());
    }
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedding_holds_the_templates_and_static_files() {
        let names: Vec<String> = files().into_iter().map(|(p, _)| p).collect();
        for f in [
            "templates/base.html",
            "templates/notice.html",
            "static/style.css",
        ] {
            assert!(names.iter().any(|n| n == f), "{f} not in {names:?}");
        }
    }

    #[test]
    fn materializes_once_and_completely() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("theme-default-x");
        assert_eq!(materialize(&dir).unwrap(), dir);
        assert!(dir.join("templates/base.html").is_file());
        assert!(dir.join(COMPLETE).is_file());
        // A second call reuses an intact copy, and never one that differs
        // from the built-in theme.
        let before = std::fs::metadata(dir.join("templates/base.html")).unwrap();
        materialize(&dir).unwrap();
        let after = std::fs::metadata(dir.join("templates/base.html")).unwrap();
        assert_eq!(before.modified().unwrap(), after.modified().unwrap());
        std::fs::write(dir.join("templates/base.html"), "planted").unwrap();
        materialize(&dir).unwrap();
        let base = std::fs::read(dir.join("templates/base.html")).unwrap();
        let builtin = files()
            .into_iter()
            .find(|(p, _)| p == "templates/base.html")
            .unwrap()
            .1;
        assert_eq!(base, builtin);
    }

    #[test]
    fn eject_never_overwrites() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("themes/default");
        std::fs::create_dir_all(dest.join("templates")).unwrap();
        std::fs::write(dest.join("templates/base.html"), "mine").unwrap();
        let done = eject(&dest).unwrap();
        assert_eq!(done.kept, [dest.join("templates/base.html")]);
        assert_eq!(done.written.len(), files().len() - 1);
        let mine = std::fs::read_to_string(dest.join("templates/base.html")).unwrap();
        assert_eq!(mine, "mine");
    }
}
