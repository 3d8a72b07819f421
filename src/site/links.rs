//! The map from what an editor links to in Markdown — a content-relative
//! path (`notices/a.md`, a bundle's folder `notices/x`, a file
//! `notices/x/议程.pdf`, a section's `_index.md` or folder) — to the
//! root-relative URL it is published at. It only records URLs that indexing
//! decided; link checking and rewriting read it.

use std::collections::HashSet;

use super::{Links, OutputAsset, SitePage, SiteSection, join_rel};
use crate::content::model::Asset;
use crate::urls;

/// Sections (by folder and by `_index.md`) and pages (by file, and a
/// bundle by its folder too).
pub(super) fn of_sections_and_pages(sections: &[SiteSection], pages: &[SitePage]) -> Links {
    // Made at its size: ten thousand pages' entries, on every index.
    let bundles = pages.iter().filter(|p| p.page.bundle).count();
    let mut links = Links::with_capacity_and_hasher(
        2 * sections.len() + pages.len() + bundles,
        Default::default(),
    );
    for s in sections {
        links.insert(s.section.dir.clone(), s.url.clone());
        let index_md = if s.section.dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{}/_index.md", s.section.dir)
        };
        links.insert(index_md, s.url.clone());
    }
    for p in pages {
        links.insert(p.page.rel.clone(), p.url.clone());
        if p.page.bundle {
            links.insert(p.page.dir().to_string(), p.url.clone());
        }
    }
    links
}

/// A page or section whose front matter has errors still exists: links to
/// it (to its file, its folder, its bundle's files) point where it will be
/// once it is fixed, rather than adding a false broken-link error to every
/// page linking it.
pub(super) fn add_unreadable(links: &mut Links, unreadable: &[String], assets: &[Asset]) {
    let unreadable_bundles: HashSet<&str> = unreadable
        .iter()
        .filter_map(|rel| rel.strip_suffix("/index.md"))
        .collect();
    for rel in unreadable {
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        // A section's `_index.md` and a bundle's `index.md` are also linked
        // to by their folder (`../policies/`, `bundle/`).
        let folder = match (stem, rel.strip_suffix("/index.md")) {
            ("_index", _) => Some(dir),
            (_, Some(bundle)) => Some(bundle),
            _ => None,
        };
        let url = match folder {
            Some(folder) => urls::file_url(folder),
            None => urls::file_url(&join_rel(dir, stem).unwrap_or_default()),
        };
        links.entry(rel.clone()).or_insert(url.clone());
        if let Some(folder) = folder {
            links.entry(folder.to_string()).or_insert(url);
        }
    }
    for asset in assets {
        if let Some(b) = &asset.bundle
            && unreadable_bundles.contains(b.as_str())
        {
            links.entry(asset.rel.clone()).or_insert(asset.rel.clone());
        }
    }
}

/// Published files, at the URLs [`super::index`] gave them.
pub(super) fn add_assets(links: &mut Links, assets: &[OutputAsset]) {
    links.reserve(assets.len());
    for a in assets {
        links.insert(a.asset.rel.clone(), a.url.clone());
    }
}
