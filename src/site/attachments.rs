//! An attachment replaced by a file of the same name, for the watcher's
//! quick path: the index keeps each file's size, and each page that
//! declares the file as an attachment shows it (the page, its summary in
//! every list, the download centre). Nothing else of the index depends on
//! a file's bytes but its photos, which are made from them (the full
//! build's: [`crate::images`]).

use super::Site;

/// Gives the file `rel` (content-relative) of the site's assets its new
/// `size`, and every page's attachment made from it; returns its index in
/// the site's assets, its size before, and the pages whose attachments
/// changed. `None` when `rel` is not one of the assets, or is a photo.
pub fn resize(site: &mut Site, rel: &str, size: u64) -> Option<(usize, u64, Vec<usize>)> {
    if site.photos.by_rel.contains_key(rel) {
        return None;
    }
    let k = site.assets.iter().position(|a| a.asset.rel == rel)?;
    let before = std::mem::replace(&mut site.assets[k].asset.size, size);
    let url = site.assets[k].url.clone();
    let mut pages = Vec::new();
    for (i, p) in site.pages.iter_mut().enumerate() {
        let mut shown = false;
        for a in p.attachments.iter_mut().filter(|a| a.url == url) {
            a.size = size;
            shown = true;
        }
        if shown {
            pages.push(i);
        }
    }
    Some((k, before, pages))
}
