//! What a build with the cache may leave unrendered: when the only input
//! files that changed since the cached build are pages that keep their
//! place (same URL, lists, tags, dates, files: only what the page itself
//! and its summary show differs), every output file that shows none of
//! them has exactly the inputs it had, and is kept as the output holds it
//! without its context being built. The pages, every list that shows
//! them ([`Renderer::jobs_showing`]) and the files no template renders
//! (search index, feeds, sitemap) are rendered and compared as usual.
//!
//! Template edits beside them narrow too, to the files made with the
//! edited templates ([`super::templates`]). Anything else — a file added
//! or removed, a section, static file or `site.yaml` changed, other
//! options, a clock past the moment the cached build said publication
//! changes, other site-wide template values — gives no narrowing, and
//! every file's inputs are compared.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use super::{Saved, Stamp};
use crate::content::{self, PageMeta};
use crate::render::{Job, Renderer};
use crate::site::Site;

/// The input files whose bytes changed since the `saved` build, by
/// root-relative path with the hash they had then, when they are the only
/// difference: the same files, the same `options`, and `now` in the window
/// the saved build was valid for. `None` when anything else differs.
pub fn changed_inputs(
    saved: &Saved,
    files: &BTreeMap<String, (Stamp, u64)>,
    options: &str,
    now_ms: i64,
) -> Option<Vec<(String, u64)>> {
    let same_frame = saved.options == options
        && !saved.options.is_empty()
        && now_ms >= saved.now_ms
        && saved.until_ms.is_none_or(|u| now_ms < u)
        && saved.files.len() == files.len();
    if !same_frame {
        return None;
    }
    let mut changed = Vec::new();
    for ((rel, (_, before)), (rel_now, (_, now))) in saved.files.iter().zip(files) {
        if rel != rel_now {
            return None;
        }
        if before != now {
            changed.push((rel.clone(), *before));
        }
    }
    Some(changed)
}

/// `changed` (root-relative, as [`changed_inputs`] gives them) relative to
/// the folder `dir` of the site at `root` (canonical), when all are in it.
pub fn under(changed: &[(String, u64)], root: &Path, dir: &Path) -> Option<Vec<(String, u64)>> {
    let dir = dir.canonicalize().ok()?;
    let prefix = crate::paths::slash_path(dir.strip_prefix(root).ok()?);
    changed
        .iter()
        .map(|(rel, hash)| {
            let inner = if prefix.is_empty() {
                rel.as_str()
            } else {
                rel.strip_prefix(&prefix)?.strip_prefix('/')?
            };
            Some((inner.to_string(), *hash))
        })
        .collect()
}

/// A changed input file under `content/`, with what an earlier build
/// parsed from the bytes the cached build read (when the cache knows it)
/// and what this build parsed, when they are pages.
pub struct Changed {
    rel: String,
    before: Option<PageMeta>,
    now: Option<PageMeta>,
}

/// `changed` (content-relative, with the hash of the bytes the cached build
/// read) with what `content` parsed from each, taken before the load's
/// cache is let go. What the products held is used only when it was made
/// from those very bytes: the products may be another output's.
pub fn changed_pages(changed: &[(String, u64)], content: &content::Cache) -> Vec<Changed> {
    changed
        .iter()
        .map(|(rel, hash)| Changed {
            rel: rel.clone(),
            before: (content.meta_before(rel))
                .filter(|(_, bytes)| bytes == hash)
                .map(|(m, _)| m.clone()),
            now: content.meta(rel).cloned(),
        })
        .collect()
}

/// The published pages (indices into `site.pages`) among `changed`, when
/// each changed file is a page that `same_place` says is where it was. A
/// page held back both times (a draft, one not yet due) shows nowhere.
/// `None` when any changed file is something else, or moved.
pub fn pages_in_place(
    site: &Site,
    changed: &[Changed],
    same_place: impl Fn(&PageMeta, &PageMeta) -> bool,
) -> Option<Vec<usize>> {
    let mut pages = Vec::new();
    for c in changed {
        if !same_place(c.before.as_ref()?, c.now.as_ref()?) {
            return None;
        }
        // Same place and the same clock: published now exactly if then.
        pages.extend(site.pages.iter().position(|p| p.page.rel == c.rel));
    }
    Some(pages)
}

/// The jobs to render when only `pages` changed, in place: each page, every
/// list that shows one of them, and every file no template renders.
pub fn jobs(renderer: &Renderer, pages: &[usize], all: &[Job]) -> HashSet<Job> {
    let mut only: HashSet<Job> = renderer.jobs_showing(pages).into_iter().collect();
    only.extend(all.iter().filter(|j| matches!(j, Job::File(_))));
    only
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, u64)]) -> BTreeMap<String, (Stamp, u64)> {
        let stamp = Stamp {
            len: 1,
            secs: 2,
            nanos: 3,
        };
        list.iter()
            .map(|(rel, hash)| (rel.to_string(), (stamp, *hash)))
            .collect()
    }

    #[test]
    fn only_a_build_like_the_last_but_for_some_files_is_narrowed() {
        let saved = Saved {
            files: files(&[("content/a.md", 1), ("content/b.md", 2), ("site.yaml", 3)]),
            options: "drafts=false".into(),
            now_ms: 1_000,
            until_ms: Some(2_000),
            ..Saved::default()
        };
        let edited = files(&[("content/a.md", 1), ("content/b.md", 9), ("site.yaml", 3)]);
        let opts = "drafts=false";
        assert_eq!(
            changed_inputs(&saved, &edited, opts, 1_500),
            Some(vec![("content/b.md".to_string(), 2)])
        );
        // Another clock: before the cached build's, or past its window.
        assert_eq!(changed_inputs(&saved, &edited, opts, 999), None);
        assert_eq!(changed_inputs(&saved, &edited, opts, 2_000), None);
        // Other options, or a cache that did not record them.
        assert_eq!(changed_inputs(&saved, &edited, "drafts=true", 1_500), None);
        let unrecorded = Saved {
            options: String::new(),
            files: saved.files.clone(),
            ..Saved::default()
        };
        assert_eq!(changed_inputs(&unrecorded, &edited, "", 0), None);
        // A file added, or one renamed.
        let added = files(&[
            ("content/a.md", 1),
            ("content/b.md", 2),
            ("content/c.md", 4),
            ("site.yaml", 3),
        ]);
        assert_eq!(changed_inputs(&saved, &added, opts, 1_500), None);
        let renamed = files(&[("content/a.md", 1), ("content/c.md", 2), ("site.yaml", 3)]);
        assert_eq!(changed_inputs(&saved, &renamed, opts, 1_500), None);
    }
}
