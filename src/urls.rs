//! URLs inside the site. Every URL the build hands around is relative to the
//! site root and names a file (`notices/foo/index.html`), because a folder URL
//! does not open `index.html` over `file://`. What is written into a page is
//! relative to that page, so the output works at any sub-path.
//!
//! Pure string arithmetic that every floor needs (`config` for menu links,
//! `site` for page URLs, `images` and `render` for what goes into a page):
//! like `paths`, it imports nothing of the crate.

/// ASCII that must be escaped in an `href` path. Chinese stays as it is:
/// browsers accept it, and it reads better in the page source. (The
/// `percent-encoding` crate escapes all non-ASCII, hence this small loop.)
fn must_escape(c: char) -> bool {
    c.is_ascii_control()
        || matches!(
            c,
            ' ' | '"' | '#' | '%' | '<' | '>' | '?' | '`' | '{' | '}' | '\\' | '^' | '|'
        )
}

/// `notices` → `notices/index.html`, `notices/` → `notices/index.html`,
/// `a/b.pdf` stays. An empty path is the home page.
pub fn file_url(path: &str) -> String {
    let path = path.trim_start_matches("./");
    if path.is_empty() {
        return "index.html".into();
    }
    if path.ends_with('/') {
        return format!("{path}index.html");
    }
    let last = path.rsplit('/').next().unwrap_or(path);
    if last.contains('.') {
        path.to_string()
    } else {
        format!("{path}/index.html")
    }
}

/// The way back from a file to the site root: `a/b/index.html` → `../../`.
pub fn path_to_root(file: &str) -> String {
    "../".repeat(file.matches('/').count())
}

/// The relative URL from the file `from` to the file `to`, both root-relative.
/// `notices/a/index.html` → `services/b/index.html` gives
/// `../../services/b/index.html`; a sibling gives just its name.
pub fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let common = common.min(to_parts.len().saturating_sub(1));
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// Escapes what an `href` cannot hold (spaces, `#`, `%`, `?`…).
pub fn encode(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if must_escape(c) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Percent-decodes what an editor may have written (`附件%20一.pdf`).
pub fn decode(url: &str) -> String {
    percent_encoding::percent_decode_str(url)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_to_root_counts_folders() {
        assert_eq!(path_to_root("index.html"), "");
        assert_eq!(path_to_root("notices/index.html"), "../");
        assert_eq!(path_to_root("notices/some/path/index.html"), "../../../");
    }

    #[test]
    fn relative_urls_between_files() {
        assert_eq!(
            relative("notices/a/index.html", "services/b/index.html"),
            "../../services/b/index.html"
        );
        assert_eq!(
            relative("notices/a/index.html", "notices/a/议程.pdf"),
            "议程.pdf"
        );
        assert_eq!(
            relative("notices/a/index.html", "notices/index.html"),
            "../index.html"
        );
        assert_eq!(
            relative("index.html", "notices/index.html"),
            "notices/index.html"
        );
        assert_eq!(
            relative("notices/index.html", "index.html"),
            "../index.html"
        );
        assert_eq!(relative("a/b/index.html", "a/b/index.html"), "index.html");
    }

    /// Pages in year and month folders (`notices/2026/11/c.md`) climb one
    /// `../` per folder, however deep.
    #[test]
    fn relative_urls_from_deep_folders() {
        assert_eq!(
            relative("notices/2026/a/index.html", "notices/b/index.html"),
            "../../b/index.html"
        );
        assert_eq!(
            relative("notices/2026/11/c/index.html", "services/legal/index.html"),
            "../../../../services/legal/index.html"
        );
        assert_eq!(
            relative("notices/2026/11/c/index.html", "notices/2026/a/index.html"),
            "../../a/index.html"
        );
        assert_eq!(
            relative("index.html", "notices/2026/11/c/index.html"),
            "notices/2026/11/c/index.html"
        );
        assert_eq!(path_to_root("notices/2026/11/c/index.html"), "../../../../");
    }

    #[test]
    fn encoding_keeps_chinese_and_escapes_spaces() {
        assert_eq!(encode("附件/会议 议程.pdf"), "附件/会议%20议程.pdf");
        assert_eq!(decode("%E8%AE%AE%E7%A8%8B.pdf"), "议程.pdf");
    }
}
