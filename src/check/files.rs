//! Files under `content/` that no page uses, that are too big to download
//! comfortably on an intranet, or that are pages saved under the wrong name.

use std::collections::HashSet;
use std::io::Read;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Span};
use crate::i18n::Msg;
use crate::render::Bodies;
use crate::site::{OutputAsset, Site};

const MB: u64 = 1024 * 1024;

/// Extensions that are never a page saved under the wrong name.
const NOT_TEXT: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps", "odt", "ods", "odp",
    "zip", "rar", "7z", "gz", "jpg", "jpeg", "png", "gif", "webp", "bmp", "svg", "ico", "mp3",
    "mp4", "mov", "avi", "wav", "m4a", "wmv", "ofd", "css", "js", "json", "html", "htm", "csv",
];

pub fn unused_large_and_misnamed(site: &Site, bodies: &Bodies) -> Vec<Diagnostic> {
    let mut used: HashSet<&str> = HashSet::new();
    let docs = super::documents(site, bodies);
    for (_, r) in &docs {
        used.extend(r.refs.iter().filter_map(|l| l.target.as_deref()));
    }
    for p in &site.pages {
        used.extend(p.attachments.iter().map(|a| a.url.as_str()));
        used.extend(p.cover_url.as_deref());
    }
    used.extend(site.config.menu.iter().map(|m| m.url.as_str()));

    let max = site.config.max_attachment_mb;
    let mut out = Vec::new();
    for a in &site.assets {
        let span = file_span(site, a);
        if !used.contains(a.url.as_str()) {
            let msg = match misnamed_page(a) {
                Some(rename_to) => Msg::MisnamedMarkdown {
                    file: span.file.to_string(),
                    rename_to,
                },
                None => Msg::UnusedFile {
                    file: span.file.to_string(),
                },
            };
            out.push(Diagnostic::warning(Some(span.clone()), msg));
        }
        // Photos are published as resized copies (their own limit is
        // `images.max_mb`, checked with the photos), unless originals are too.
        let resized = crate::images::role(&a.asset.rel) != crate::images::Role::Other
            && !site.config.images.publish_originals;
        if max > 0 && a.asset.size > max * MB && !resized {
            out.push(Diagnostic::warning(
                Some(span),
                Msg::LargeFile {
                    file: a
                        .asset
                        .rel
                        .rsplit('/')
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                    size_mb: format!("{:.1}", a.asset.size as f64 / MB as f64),
                    max_mb: max,
                },
            ));
        }
    }
    out
}

/// A whole file as the place of a problem: its path, line 1.
fn file_span(site: &Site, a: &OutputAsset) -> Span {
    let config = &site.config;
    let prefix = config.content_prefix();
    let file: Arc<str> = format!("{prefix}/{}", a.asset.rel).into();
    Span {
        file,
        line: 1,
        column: 1,
        bytes: 0..0,
    }
}

/// `index.com` or `notice-2024` holding front matter: a page whose name does
/// not end in `.md`. The name it should have, if so.
fn misnamed_page(a: &OutputAsset) -> Option<String> {
    let name = a.asset.rel.rsplit('/').next()?;
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, ext.to_ascii_lowercase()),
        _ => (name, String::new()),
    };
    if NOT_TEXT.contains(&ext.as_str()) || ext == "md" || ext == "markdown" {
        return None;
    }
    let mut head = Vec::new();
    std::fs::File::open(&a.asset.path)
        .ok()?
        .take(4096)
        .read_to_end(&mut head)
        .ok()?;
    let text = String::from_utf8_lossy(&head);
    let text = text.trim_start_matches('\u{feff}');
    let page = text.starts_with("---")
        && ["\ntitle:", "\n标题:", "\r\ntitle:"]
            .iter()
            .any(|k| text.contains(k));
    page.then(|| format!("{stem}.md"))
}
