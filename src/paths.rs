//! Paths inside the site as the build names them: relative to a root and
//! joined with `/` on every system (`notices/2026/a.md`, never
//! `notices\2026\a.md`), so that content paths, URLs and messages read the
//! same on Windows and Linux. The lowest floor: it imports nothing of the
//! crate.

pub mod folder;

use std::path::Path;

/// `notices\a.md` or `notices/a.md` → `notices/a.md`.
pub fn slash_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `path` relative to `root`, `/`-joined; `None` when it is not under `root`.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    path.strip_prefix(root).ok().map(slash_path)
}

/// The folder of a `/`-joined path: `notices/2026/a.md` → `notices/2026`,
/// `a.md` → ``.
pub fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn paths_are_slash_joined_and_relative() {
        let root = PathBuf::from("site").join("content");
        let file = root.join("notices").join("2026").join("通知.md");
        assert_eq!(
            relative(&root, &file).as_deref(),
            Some("notices/2026/通知.md")
        );
        assert_eq!(relative(&root, Path::new("elsewhere/a.md")), None);
        assert_eq!(relative(&root, &root).as_deref(), Some(""));
    }

    #[test]
    fn parent_of_a_slash_path() {
        assert_eq!(parent("notices/2026/a.md"), "notices/2026");
        assert_eq!(parent("a.md"), "");
        assert_eq!(parent(""), "");
    }
}
