//! Photos in rendered Markdown: each `<img>` that shows a photo gets the
//! display copy's `width` and `height` (no jump while the page loads),
//! `loading="lazy"`, `decoding="async"` and, when there is a thumbnail, a
//! `srcset` a phone can pick it from. Also reads the alt and title of each
//! image back, for gallery captions.
//!
//! Works on the HTML pulldown-cmark writes (`<img src="…" alt="…" />`),
//! never on a theme's.

/// What an `<img>` in rendered Markdown says, attributes unescaped.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImgTag {
    /// Root-relative URL the `src` leads to, percent-decoded.
    pub url: String,
    pub alt: String,
    pub title: String,
}

/// A photo as the HTML needs it: root-relative URLs and sizes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub display_url: String,
    pub width: u32,
    pub height: u32,
    /// Thumbnail URL and width, when there is one.
    pub thumb: Option<(String, u32)>,
}

/// How wide the text column is at most (CSS px), for `sizes`.
const COLUMN: u32 = 760;

/// Adds sizes, lazy loading and `srcset` to the `<img>`s of `html`, written
/// into the file at root-relative `page_url`, whose `src` `lookup` knows.
pub fn decorate(html: &str, page_url: &str, lookup: impl Fn(&str) -> Option<Shown>) -> String {
    if !html.contains("<img ") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(i) = rest.find("<img src=\"") {
        let start = i + "<img src=\"".len();
        let Some(len) = rest[start..].find('"') else {
            break;
        };
        let src = &rest[start..start + len];
        let tag_end = rest[start..].find('>').map_or(rest.len(), |e| start + e);
        // A tag that sets its own size (raw HTML) is left as written.
        let sized = rest[start..tag_end].contains(" width=");
        let shown = (!sized)
            .then(|| resolve(page_url, src).and_then(|u| lookup(&u)))
            .flatten();
        match shown {
            Some(s) => {
                let rel = |u: &str| crate::urls::encode(&crate::urls::relative(page_url, u));
                let display = rel(&s.display_url);
                out.push_str(&rest[..i]);
                out.push_str("<img src=\"");
                out.push_str(&display);
                out.push('"');
                let mut extra = format!(
                    " width=\"{}\" height=\"{}\" loading=\"lazy\" decoding=\"async\"",
                    s.width, s.height
                );
                if let Some((thumb, tw)) = &s.thumb {
                    extra.push_str(&format!(
                        " srcset=\"{} {tw}w, {display} {}w\" sizes=\"(max-width: {COLUMN}px) 100vw, {COLUMN}px\"",
                        rel(thumb),
                        s.width
                    ));
                }
                // Before the tag closes, after alt and title.
                let after = &rest[start + len + 1..];
                let close = after.find("/>").or_else(|| after.find('>')).unwrap_or(0);
                let attrs = after[..close].trim_end();
                out.push_str(attrs);
                out.push_str(&extra);
                out.push(' ');
                rest = &after[close..];
            }
            None => {
                out.push_str(&rest[..start + len]);
                rest = &rest[start + len..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every `<img>` of rendered Markdown, in order.
pub fn images(html: &str, page_url: &str) -> Vec<ImgTag> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<img ") {
        let tag_end = rest[i..].find('>').map_or(rest.len(), |e| i + e);
        let tag = &rest[i..tag_end];
        if let Some(url) = attr(tag, "src").and_then(|s| resolve(page_url, &s)) {
            out.push(ImgTag {
                url,
                alt: attr(tag, "alt").unwrap_or_default(),
                title: attr(tag, "title").unwrap_or_default(),
            });
        }
        rest = &rest[tag_end..];
    }
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(unescape(&tag[start..start + len]))
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The root-relative URL a relative `src` leads to from `page_url`;
/// `None` for addresses that leave the site.
fn resolve(page_url: &str, src: &str) -> Option<String> {
    let src = unescape(src);
    if src.contains("://")
        || src.starts_with("//")
        || src.starts_with("data:")
        || src.starts_with('/')
    {
        return None;
    }
    let src = crate::urls::decode(src.split(['#', '?']).next().unwrap_or(""));
    let mut parts: Vec<&str> = page_url.split('/').collect();
    parts.pop();
    for seg in src.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(url: &str) -> Option<Shown> {
        (url == "events/a/relay.jpg").then(|| Shown {
            display_url: "events/a/relay.jpg".into(),
            width: 1600,
            height: 1200,
            thumb: Some(("events/a/relay.thumb.jpg".into(), 480)),
        })
    }

    #[test]
    fn photos_get_sizes_and_srcset_others_stay() {
        let html = "<p><img src=\"relay.jpg\" alt=\"接力 &amp; 冲刺\" title=\"t\" /> \
                    <img src=\"logo.svg\" alt=\"\" /></p>";
        let out = decorate(html, "events/a/index.html", lookup);
        assert!(out.contains(
            "<img src=\"relay.jpg\" alt=\"接力 &amp; 冲刺\" title=\"t\" width=\"1600\" height=\"1200\" loading=\"lazy\" decoding=\"async\" srcset=\"relay.thumb.jpg 480w, relay.jpg 1600w\""
        ), "{out}");
        assert!(out.contains("<img src=\"logo.svg\" alt=\"\" />"), "{out}");
        let tags = images(&out, "events/a/index.html");
        assert_eq!(tags[0].url, "events/a/relay.jpg");
        assert_eq!(tags[0].alt, "接力 & 冲刺");
        assert_eq!(tags[1].url, "events/a/logo.svg");
    }

    #[test]
    fn relative_sources_resolve_from_the_page() {
        assert_eq!(
            resolve("events/a/index.html", "../b/x%20y.jpg").as_deref(),
            Some("events/b/x y.jpg")
        );
        assert_eq!(resolve("index.html", "https://x.cn/a.jpg"), None);
    }
}
