//! The content model: sections, pages and the files that travel with them,
//! as read from `content/` and before anything is decided about the site.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use super::schema::{Kind, Sort};
use crate::diagnostics::Span;
use crate::source::SourceFile;
use crate::source::dates::Moment;
use crate::source::fields::AttachmentDecl;
use crate::source::front_matter::Yaml;

/// A folder with `_index.md` (or the content root, which is always one).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Section {
    /// `None` for a content root without `_index.md`. Not kept by the
    /// build cache, which keeps what was parsed from the file.
    #[serde(skip)]
    pub file: Option<Arc<SourceFile>>,
    /// Content-relative folder with `/`: `""` for the root, `notices`, …
    #[serde(skip)]
    pub dir: String,
    pub title: String,
    pub kind: Kind,
    pub paginate: Option<usize>,
    pub sort: Sort,
    pub description: Option<String>,
    pub template: Option<String>,
    pub body: Range<usize>,
    pub extra: Vec<(String, Yaml)>,
}

/// `name.md`, or a bundle `name/index.md` with its files beside it.
#[derive(Debug, Clone)]
pub struct Page {
    /// Read when first needed for a page the build cache knows unchanged.
    pub file: super::PageFile,
    /// Content-relative path with `/`: `notices/a.md`, `notices/x/index.md`.
    pub rel: String,
    /// True for `index.md` of a bundle.
    pub bundle: bool,
    pub body: Range<usize>,
    /// Shared, not copied, by the caches that keep a page between builds.
    pub meta: Arc<PageMeta>,
}

impl Page {
    /// The folder the page's own relative links start from.
    pub fn dir(&self) -> &str {
        crate::paths::parent(&self.rel)
    }

    /// The name the URL is made from when there is no `slug`: the bundle's
    /// folder or the file name without `.md`.
    pub fn default_slug(&self) -> &str {
        name_stem(if self.bundle { self.dir() } else { &self.rel })
    }
}

/// The last part of a `/`-separated path without `.md` or `.markdown`, in
/// any case (Jekyll names posts `.markdown`).
fn name_stem(path: &str) -> &str {
    // Found by bytes from the end (`/` and `.` are ASCII, and no byte of a
    // longer character is either): every index asks this of every page,
    // and the `.` of `.md` is three bytes from the end.
    fn after_last(s: &str, b: u8) -> Option<usize> {
        (s.bytes()).rposition(|c| c == b).map(|i| i + 1)
    }
    let name = &path[after_last(path, b'/').unwrap_or(0)..];
    match after_last(name, b'.') {
        Some(ext)
            if name[ext..].eq_ignore_ascii_case("md")
                || name[ext..].eq_ignore_ascii_case("markdown") =>
        {
            &name[..ext - 1]
        }
        _ => name,
    }
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PageMeta {
    pub title: String,
    pub date: Option<Moment>,
    pub updated: Option<Moment>,
    pub draft: bool,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub slug: Option<(String, Span)>,
    pub author: Option<String>,
    pub editor: Option<String>,
    pub reviewer: Option<String>,
    pub department: Option<String>,
    pub pinned: bool,
    pub pinned_until: Option<Moment>,
    pub expires: Option<Moment>,
    pub attachments: Vec<AttachmentDecl>,
    pub template: Option<String>,
    pub kind: Option<Kind>,
    // notice
    pub doc_number: Option<String>,
    pub urgency: Option<String>,
    pub recipients: Vec<String>,
    pub cc: Vec<String>,
    pub signed_on: Option<Moment>,
    pub contact: Option<String>,
    /// 印发机关 and 印发日期 of the record (版记); the theme defaults them to
    /// the organization and `signed_on`.
    pub printed_by: Option<String>,
    pub printed_on: Option<Moment>,
    /// The title broken into lines where the editor wants them.
    pub title_lines: Vec<String>,
    // policy
    pub issuer: Option<String>,
    pub policy_number: Option<String>,
    pub effective: Option<Moment>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    // event
    pub event_date: Option<Moment>,
    pub location: Option<String>,
    pub organizer: Option<String>,
    pub participants: Option<u64>,
    pub cover: Option<(String, Span)>,
    pub extra: Vec<(String, Yaml)>,
}

/// A file that is not Markdown: a bundle's attachment or image, or a file
/// placed anywhere else under `content/`.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Content-relative path with `/`.
    pub rel: String,
    pub path: PathBuf,
    pub size: u64,
    /// Its time when the content was found (`None` when it could not be
    /// looked up): with `size`, what the image cache compares, so that a
    /// photo is not looked up a second time.
    pub modified: Option<std::time::SystemTime>,
    /// The content-relative folder of the bundle it belongs to, if any.
    pub bundle: Option<String>,
}

/// Everything under `content/`.
#[derive(Debug, Default)]
pub struct Content {
    pub sections: Vec<Section>,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// Content-relative paths of Markdown files that could not be read or
    /// whose front matter has errors: they exist, so a link to one is not
    /// a broken link (their own errors say what is wrong).
    pub unreadable: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::name_stem;

    /// [`name_stem`] as it was, with `str` patterns.
    fn by_patterns(path: &str) -> &str {
        let name = path.rsplit('/').next().unwrap_or("");
        match name.rsplit_once('.') {
            Some((stem, ext))
                if ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown") =>
            {
                stem
            }
            _ => name,
        }
    }

    #[test]
    fn name_stem_is_the_last_part_without_markdown_extension() {
        for path in [
            "",
            "a",
            "a.md",
            "a.MD",
            "a.Markdown",
            "a.b.md",
            ".md",
            "a.",
            "md",
            "a/",
            "notices/2024/会议通知.md",
            "notices/x",
            "notices/x.y/z",
            "通知.pdf",
            "a/b.markdown.md",
            "a/会议.md.txt",
            "a/b/.md",
            "a/b.mdx",
        ] {
            assert_eq!(name_stem(path), by_patterns(path), "{path:?}");
        }
    }
}
