//! Template edits in a build with the cache. The cache keeps each
//! template's hash of the templates it can use ([`Templates::uses_hash`]);
//! when the input files that changed since the cached build are templates
//! (with the same template files there) and pages that keep their place
//! ([`super::narrow`]), the files made with a template whose hash is still
//! the cached one have the inputs they had, and are kept without their
//! context being built: only the files made with a changed template, those
//! showing a changed page, and the files no template renders are prepared
//! and compared. This module says which changed inputs are templates, and
//! which templates they change.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::render::templates::Templates;
use crate::render::{Job, Renderer};

/// `changed` (root-relative, as [`super::narrow::changed_inputs`] gives
/// them) parted into whether any is in one of the template folders `dirs`,
/// and the others. `None` when a template folder is not inside the site at
/// `root` (canonical) as the cache sees it (a theme linked in from
/// elsewhere): no narrowing then.
pub fn split(
    changed: &[(String, u64)],
    root: &Path,
    dirs: &[PathBuf],
) -> Option<(bool, Vec<(String, u64)>)> {
    let mut prefixes = Vec::new();
    for dir in dirs {
        match dir.canonicalize() {
            Ok(d) => prefixes.push(crate::paths::slash_path(d.strip_prefix(root).ok()?)),
            // No such folder: nothing changed in it.
            Err(_) if !dir.exists() => {}
            Err(_) => return None,
        }
    }
    let in_templates = |rel: &str| {
        prefixes.iter().any(|p| {
            rel.strip_prefix(p.as_str())
                .is_some_and(|r| r.starts_with('/'))
        })
    };
    let (templates, rest): (Vec<_>, Vec<_>) = changed
        .iter()
        .cloned()
        .partition(|(rel, _)| in_templates(rel));
    Some((!templates.is_empty(), rest))
}

/// The templates whose hash of what they can use differs from `saved`'s,
/// when the same templates are there; `None` when a name was added or
/// removed (which changes which files are made, and how).
pub fn changed(saved: &HashMap<String, u64>, now: &Templates) -> Option<Vec<String>> {
    let now = now.uses();
    if saved.len() != now.len() || !saved.keys().all(|n| now.contains_key(n)) {
        return None;
    }
    let mut names: Vec<String> = (now.iter())
        .filter(|(n, h)| saved.get(*n) != Some(*h))
        .map(|(n, _)| n.clone())
        .collect();
    names.sort();
    Some(names)
}

/// The jobs to prepare when only `pages` (in place) and `templates`
/// changed: those [`super::narrow::jobs`] gives for the pages, and every
/// job made with one of the templates.
pub fn jobs(
    renderer: &Renderer,
    pages: &[usize],
    templates: &[String],
    all: &[Job],
) -> HashSet<Job> {
    let mut only = super::narrow::jobs(renderer, pages, all);
    if !templates.is_empty() {
        only.extend(renderer.jobs_using(templates));
    }
    only
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_files_are_told_from_the_others() {
        let root = std::env::temp_dir().join(format!("up-tpl-split-{}", std::process::id()));
        let theme = root.join("themes/default/templates");
        std::fs::create_dir_all(&theme).unwrap();
        let root = root.canonicalize().unwrap();
        let dirs = [theme.clone(), root.join("templates")];
        let changed = |rels: &[&str]| -> Vec<(String, u64)> {
            rels.iter().map(|r| (r.to_string(), 1)).collect()
        };
        let (t, rest) = split(
            &changed(&["themes/default/templates/tag.html", "content/a.md"]),
            &root,
            &dirs,
        )
        .unwrap();
        assert!(t);
        assert_eq!(rest, changed(&["content/a.md"]));
        // A folder whose name only begins like the templates' is not theirs.
        let (t, rest) = split(
            &changed(&["themes/default/templates2/x.html", "templates.md"]),
            &root,
            &dirs,
        )
        .unwrap();
        assert!(!t);
        assert_eq!(rest.len(), 2);
        let _ = std::fs::remove_dir_all(&root);
    }
}
