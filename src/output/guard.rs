//! Where a site may be written. Before anything is written, the output
//! folder is checked twice, on resolved paths (symbolic links followed, so
//! a linked `content/` or `themes/` cannot slip past):
//!
//! - its place: never the site folder, a folder holding sources
//!   (`site.yaml`, content, themes, templates, static) or inside one, an
//!   ancestor of any of them, the home folder or one of its ancestors, the
//!   file-system root, or the current folder or one of its ancestors;
//! - its owner: an existing folder is ours only if it is empty or holds the
//!   manifest a previous build left ([`super::manifest`]). Anything else is
//!   refused, naming the folder and how many files are in it. There is no
//!   override: the fix is an empty or new folder.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::manifest;

/// Why an output folder cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Writing there could overwrite the sources or a user's folders.
    Place { path: PathBuf, why: Why },
    /// An existing folder unionpress did not make, with this many files.
    NotOurs { path: PathBuf, files: usize },
    /// A file, not a folder.
    NotAFolder { path: PathBuf },
    /// Its manifest is unreadable or from an unknown version.
    BadManifest { path: PathBuf, detail: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// The site folder, or a folder containing it.
    SiteRoot,
    /// A source folder or file (`content`…), or a folder containing one.
    HoldsSources(PathBuf),
    /// Inside a source folder.
    InsideSources(PathBuf),
    /// The home folder or a folder containing it.
    Home,
    /// The file-system root.
    FsRoot,
    /// The current folder or a folder containing it.
    CurrentDir,
    /// A mount point: it cannot be renamed, so it cannot be swapped.
    MountPoint,
}

/// `path` made absolute with every symbolic link resolved, also when its
/// last components do not exist yet (their existing ancestor is resolved).
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut missing: Vec<std::ffi::OsString> = Vec::new();
    let mut probe = abs.as_path();
    loop {
        match probe.canonicalize() {
            Ok(mut base) => {
                for part in missing.iter().rev() {
                    match Path::new(part).components().next() {
                        Some(Component::ParentDir) => {
                            base.pop();
                        }
                        Some(Component::CurDir) | None => {}
                        _ => base.push(part),
                    }
                }
                return Ok(base);
            }
            Err(e) => {
                let Some(parent) = probe.parent() else {
                    return Err(e);
                };
                missing.push(probe.file_name().map(Into::into).unwrap_or_else(|| {
                    // `..` or `.` as the last component
                    probe
                        .components()
                        .next_back()
                        .map(|c| c.as_os_str().to_os_string())
                        .unwrap_or_default()
                }));
                probe = parent;
            }
        }
    }
}

fn home() -> Option<PathBuf> {
    let var = if cfg!(windows) { "USERPROFILE" } else { "HOME" };
    let h = std::env::var_os(var).filter(|h| !h.is_empty())?;
    resolve(Path::new(&h)).ok()
}

/// Checks the output folder's place. `sources` are the site's source
/// folders and files (they need not exist).
pub fn check_place(out: &Path, root: &Path, sources: &[PathBuf]) -> Result<(), Refusal> {
    let Ok(target) = resolve(out) else {
        // Unresolvable (no such drive…): creating it will fail with a
        // proper I/O error naming it.
        return Ok(());
    };
    // Named resolved, so `.` or a link says which folder it is.
    let refuse = |why| {
        Err(Refusal::Place {
            path: target.clone(),
            why,
        })
    };
    if target.parent().is_none() {
        return refuse(Why::FsRoot);
    }
    if let Ok(root) = resolve(root)
        && root.starts_with(&target)
    {
        return refuse(Why::SiteRoot);
    }
    for s in sources {
        let Ok(src) = resolve(s) else { continue };
        if src.starts_with(&target) {
            return refuse(Why::HoldsSources(s.clone()));
        }
        if target.starts_with(&src) && s.is_dir() {
            return refuse(Why::InsideSources(s.clone()));
        }
    }
    if home().is_some_and(|h| h.starts_with(&target)) {
        return refuse(Why::Home);
    }
    if std::env::current_dir()
        .ok()
        .and_then(|c| resolve(&c).ok())
        .is_some_and(|c| c.starts_with(&target))
    {
        return refuse(Why::CurrentDir);
    }
    Ok(())
}

/// How many files (not folders) are under `dir`, stopping at `cap`.
pub fn count_files(dir: &Path, cap: usize) -> usize {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter(|e| e.as_ref().map_or(true, |e| !e.file_type().is_dir()))
        .take(cap)
        .count()
}

/// Checks the output folder's owner: the previous build's manifest (empty
/// when the folder is new or empty), with its bytes as read (none when
/// there is no manifest), or a refusal.
pub fn check_owner(out: &Path) -> Result<Owned, Refusal> {
    match fs::symlink_metadata(out) {
        Err(_) => return Ok(Default::default()),
        Ok(m) if m.is_dir() => {}
        Ok(m) if m.file_type().is_symlink() && out.is_dir() => {}
        Ok(_) => {
            return Err(Refusal::NotAFolder {
                path: out.to_path_buf(),
            });
        }
    }
    let bad = |e: std::io::Error| Refusal::BadManifest {
        path: out.to_path_buf(),
        detail: e.to_string(),
    };
    match manifest::read_bytes(out).map_err(bad)? {
        Some(text) => Ok((manifest::parse(out, &text).map_err(bad)?, Some(text))),
        None => match count_files(out, 1_000_000) {
            0 => Ok(Default::default()),
            files => Err(Refusal::NotOurs {
                path: out.to_path_buf(),
                files,
            }),
        },
    }
}

/// The files an output's manifest lists, and its bytes.
pub type Owned = (rustc_hash::FxHashSet<String>, Option<Vec<u8>>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_follows_links_and_missing_tails() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        fs::create_dir(&real).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&real, dir.path().join("link")).unwrap();
            let r = resolve(&dir.path().join("link/new/x/..")).unwrap();
            assert_eq!(r, real.canonicalize().unwrap().join("new"));
        }
    }

    #[test]
    fn places_that_hold_sources_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        let sources = vec![root.join("content"), root.join("site.yaml")];
        assert!(check_place(&root.join("public"), &root, &sources).is_ok());
        for bad in [
            root.clone(),
            dir.path().to_path_buf(),
            root.join("content/x"),
        ] {
            assert!(
                check_place(&bad, &root, &sources).is_err(),
                "{}",
                bad.display()
            );
        }
        assert!(matches!(
            check_place(Path::new("/"), &root, &sources),
            Err(Refusal::Place {
                why: Why::FsRoot,
                ..
            })
        ));
    }
}
