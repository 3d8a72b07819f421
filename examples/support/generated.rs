//! Files of a site made by `examples/gen_site`, as the watch benchmarks
//! (`bench_watch`, `bench_reshape`) choose them: the notices in order of
//! year, and the two notices an edit can move, add or delete without
//! taking the full build.

use std::path::{Path, PathBuf};

/// Every file under `dir`, sorted.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The notices by path: the first is of the oldest year, the last of the
/// newest (the generator puts each in a folder of its year).
pub fn notices(site: &Path) -> Vec<PathBuf> {
    let notices: Vec<PathBuf> = (walk(&site.join("content/notices")).into_iter())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .collect();
    assert!(!notices.is_empty(), "a notice in the generated site");
    notices
}

/// The oldest and the newest of `notices` that are single files (a
/// bundle's files follow its page, which only the full build does) and
/// that no page links to (a link to a page that left is an error): the
/// notices the edits that move, add or delete a page use. The oldest one's
/// coming or going renumbers every later page in the search index.
pub fn movable(site: &Path, notices: &[PathBuf]) -> (PathBuf, PathBuf) {
    let texts: String = (walk(&site.join("content")).iter())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let unlinked = |p: &&PathBuf| {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        !p.ends_with("index.md") && name.is_some_and(|n| !texts.contains(&n))
    };
    let why = "a notice that is not a bundle and that no page links to";
    let oldest = notices.iter().find(unlinked).expect(why).clone();
    let newest = notices.iter().rev().find(unlinked).expect(why).clone();
    (oldest, newest)
}
