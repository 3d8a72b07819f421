//! What a page's Markdown makes the reader's browser fetch from another
//! server by itself, without a click: Markdown images; in raw HTML,
//! `<img src/srcset>`, `<script src>`, `<iframe>`/`<embed>`/`<object>`,
//! `<video>`/`<audio>`/`<source>`/`<track>`, `poster`, `background`,
//! `<input type=image>`, `<link href>` that loads (stylesheet, icon,
//! preload…), and `url(…)`/`@import` in a `style` attribute or a `<style>`
//! element. On an intranet without internet each one is a broken picture,
//! a dead script or an empty box, and the site is no longer one folder that
//! works anywhere; an intranet server can be meant, so it is a warning at
//! the address, with what to type instead. So is an address from the
//! server's root (`/uploads/a.png`, pasted from an old CMS) that is no file
//! of the site: under a sub-path and over `file://` it leads out of the
//! site's folder. Links (`<a href>`, `[…](…)`)
//! are the reader's choice and never reported.
//!
//! Owns only finding and reporting these loads, and noting the site's own
//! files raw HTML loads or links to (`<a href="名单.pdf">`) so that
//! `check` counts them as used; which
//! addresses leave the site is [`url_policy::leaves_site`]'s to say. Raw
//! HTML is read by a small tokenizer of its own: the pieces are fragments
//! of an editor's Markdown, and what is needed is each address's place in
//! the file, which the HTML parsers on crates.io either do not give or
//! give for whole documents.

use std::ops::Range;

use super::markdown::{LinkRef, Origin, Rendered, resolve};
use crate::diagnostics::Diagnostic;
use crate::i18n::{Loaded, Msg};
use crate::site::{Links, join_rel};
use crate::source::url_policy;
use crate::urls;

/// `rel` values of `<link>` that make the browser fetch the address.
const LOADING_RELS: &[&str] = &[
    "stylesheet",
    "icon",
    "apple-touch-icon",
    "apple-touch-icon-precomposed",
    "mask-icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
    "prerender",
    "preconnect",
    "dns-prefetch",
    "import",
];

/// Elements whose content is text up to their closing tag, not HTML.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp"];

/// An address in a piece of raw HTML that the browser loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Load {
    /// Where the address is written in the HTML.
    pub at: Range<usize>,
    pub kind: Loaded,
}

/// Warns when a Markdown image's address is on another server, or starts
/// at the server's root and is no file of the site (`resolved`: whether
/// it named one and is rewritten; `range`: the image's range in the
/// Markdown).
pub fn image(
    origin: &Origin,
    dest: &str,
    range: &Range<usize>,
    resolved: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let outside = url_policy::leaves_site(dest);
    if !outside && (resolved || !url_policy::root_absolute(dest)) {
        return;
    }
    let body = &origin.file.text[origin.body.clone()];
    let written = body.get(range.clone()).unwrap_or("");
    let dest = dest.trim();
    // In the image itself, or for `![图][1]` in its definition.
    let at = written
        .rfind(dest)
        .map(|i| (range.start + i, dest.len()))
        .or_else(|| body.find(dest).map(|i| (i, dest.len())))
        .unwrap_or((range.start, 1));
    let start = origin.body.start + at.0;
    let span = origin
        .file
        .span(start..(start + at.1.max(1)).min(origin.body.end));
    diags.push(match outside {
        true => warning(span, dest, Loaded::Image),
        false => root_warning(span, dest, Loaded::Image),
    });
}

/// Warns for each address in a piece of raw HTML (`range`: its range in
/// the Markdown) that the browser would load from another server or from
/// the server's root (`/x` stays `/x`), and records the site's own files it
/// loads or links to among `out.refs`, so `check` counts them as used (and
/// does not say to delete them).
///
/// A relative address is read as a Markdown link is, from the Markdown
/// file's folder: `<video src="现场.mp4">` in `notices/运动会.md` names
/// `notices/现场.mp4`, though the page is written one folder deeper
/// (`notices/运动会/index.html`). Such an address is rewritten to lead
/// there from the page, and the HTML so changed is returned. One that names
/// no file from the Markdown's folder is left as written and read from the
/// page's place (a bundle's page and files share a folder, and an editor
/// may have written `../现场.mp4` for the output).
pub fn raw_html(
    origin: &Origin,
    links: &Links,
    html: &str,
    range: &Range<usize>,
    out: &mut Rendered,
) -> Option<String> {
    let mut loads = addresses(html);
    if loads.is_empty() {
        return None;
    }
    loads.sort_by_key(|(at, _)| at.start);
    let body = &origin.file.text[origin.body.clone()];
    let written = body.get(range.clone()).unwrap_or("");
    let mut moved: Vec<(Range<usize>, String)> = Vec::new();
    // A block of HTML inside a list or quote is not one run of the file:
    // each address is looked for as written, after the one before.
    let mut from = 0;
    for (in_html, kind) in loads {
        let raw = &html[in_html.clone()];
        let at = match written.get(from..).and_then(|w| w.find(raw)) {
            Some(i) => {
                from += i + raw.len();
                (range.start + from - raw.len(), raw.len())
            }
            None => (range.start, 1),
        };
        let start = origin.body.start + at.0;
        let span = origin
            .file
            .span(start..(start + at.1.max(1)).min(origin.body.end));
        let url = url_policy::decode_references(raw);
        let url = url.trim();
        // A link (`None`) is the reader's choice: only noted as a use.
        if let Some(kind) = kind.filter(|_| url_policy::leaves_site(url)) {
            out.diags.push(warning(span, url, kind));
        } else if let Some(kind) = kind.filter(|_| url_policy::root_absolute(url)) {
            out.diags.push(root_warning(span, url, kind));
        } else if let Some(as_placed) = site_file(origin.url, url) {
            let path = url.split(['?', '#']).next().unwrap_or(url);
            let found = resolve(origin.dir, path, links);
            out.lookups
                .push((path.to_string(), found.map(str::to_string)));
            let target = match found {
                Some(target) if target != as_placed => {
                    let rest = raw.find(['?', '#']).map_or("", |i| &raw[i..]);
                    let to = urls::encode(&urls::relative(origin.url, target));
                    let to = to.replace('&', "&amp;").replace('\'', "%27");
                    moved.push((in_html, format!("{to}{rest}")));
                    target.to_string()
                }
                _ => as_placed,
            };
            out.refs.push(LinkRef {
                dest: url.to_string(),
                span,
                internal: true,
                target: Some(target),
                fragment: None,
                image: false,
                alt: true,
            });
        }
    }
    if moved.is_empty() {
        return None;
    }
    let mut rewritten = String::with_capacity(html.len() + 16 * moved.len());
    let mut copied = 0;
    for (at, to) in moved {
        rewritten.push_str(&html[copied..at.start]);
        rewritten.push_str(&to);
        copied = at.end;
    }
    rewritten.push_str(&html[copied..]);
    Some(rewritten)
}

/// The root-relative URL of the file a relative address in the HTML
/// written to `page` (`notices/a/index.html`) names: raw HTML is not
/// rewritten, so it is read from the page's place in the output.
fn site_file(page: &str, url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let scheme = path.find(':').is_some_and(|i| !path[..i].contains('/'));
    if path.is_empty() || path.starts_with('/') || scheme {
        return None;
    }
    let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
    join_rel(dir, &crate::urls::decode(path))
}

fn warning(span: crate::diagnostics::Span, url: &str, kind: Loaded) -> Diagnostic {
    Diagnostic::warning(
        Some(span),
        Msg::ExternalLoad {
            url: url.to_string(),
            kind,
            file: file_name(url, kind),
            wechat: kind_is_picture(kind) && is_wechat(url),
        },
    )
}

fn root_warning(span: crate::diagnostics::Span, url: &str, kind: Loaded) -> Diagnostic {
    Diagnostic::warning(
        Some(span),
        Msg::RootAbsoluteLoad {
            url: url.to_string(),
            kind,
            file: file_name(url, kind),
        },
    )
}

fn kind_is_picture(kind: Loaded) -> bool {
    matches!(kind, Loaded::Image | Loaded::Background)
}

/// Whether `url` is an image of a WeChat official account, which WeChat
/// refuses to show on other sites.
fn is_wechat(url: &str) -> bool {
    let host = host(url).to_ascii_lowercase();
    ["qpic.cn", "qlogo.cn", "weixin.qq.com"]
        .iter()
        .any(|h| host == *h || host.ends_with(&format!(".{h}")))
}

fn host(url: &str) -> &str {
    let after = url.split_once("//").map_or("", |(_, rest)| rest);
    let end = after.find(['/', '?', '#', '\\']).unwrap_or(after.len());
    let host = &after[..end];
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    host.split(':').next().unwrap_or(host)
}

/// The file name at the end of `url` (`a.png`, `议程.mp4`), when it is one
/// a downloaded file of this kind could keep and a page could name as is.
fn file_name(url: &str, kind: Loaded) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.rsplit(['/', '\\']).next().unwrap_or("");
    let name = crate::urls::decode(last);
    let (stem, ext) = name.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    let exts: &[&str] = match kind {
        Loaded::Image | Loaded::Background => {
            &["jpg", "jpeg", "png", "gif", "webp", "svg", "bmp", "ico"]
        }
        Loaded::Script => &["js", "mjs"],
        Loaded::Stylesheet => &["css"],
        Loaded::Frame => &["mp4", "webm"],
        Loaded::Media => &["mp4", "webm", "ogg", "ogv", "mp3", "m4a", "wav", "vtt"],
        Loaded::Font => &["woff", "woff2", "ttf", "otf", "eot"],
        Loaded::Other => &[
            "jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "css", "js", "json",
        ],
    };
    let plain = !stem.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    (plain && exts.contains(&ext.as_str())).then_some(name)
}

/// Every address in `html` that the browser loads from another server.
pub fn in_html(html: &str) -> Vec<Load> {
    let mut out = Vec::new();
    for (at, kind) in loaded_addresses(html) {
        if url_policy::leaves_site(&html[at.clone()]) {
            out.push(Load { at, kind });
        }
    }
    out
}

/// Every address in `html` that the browser loads by itself, wherever it
/// points.
fn loaded_addresses(html: &str) -> Vec<(Range<usize>, Loaded)> {
    (addresses(html).into_iter())
        .filter_map(|(at, kind)| Some((at, kind?)))
        .collect()
}

/// Every address in `html` that the browser loads by itself (with what it
/// loads), in the order they are found, then every link's (`<a href>`,
/// `<area href>`: `None`).
fn addresses(html: &str) -> Vec<(Range<usize>, Option<Loaded>)> {
    let lower = html.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut out = Vec::new();
    let mut links = Vec::new();
    let mut i = 0;
    while let Some(off) = lower[i..].find('<') {
        let lt = i + off;
        if lower[lt..].starts_with("<!--") {
            i = lower[lt + 4..]
                .find("-->")
                .map_or(lower.len(), |e| lt + 7 + e);
            continue;
        }
        if !bytes.get(lt + 1).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let name_end = lower[lt + 1..]
            .find(|c: char| c.is_ascii_whitespace() || matches!(c, '/' | '>'))
            .map_or(lower.len(), |e| lt + 1 + e);
        let name = &lower[lt + 1..name_end];
        let (attrs, end) = attributes(&lower, name_end);
        tag_loads(html, name, &attrs, &mut out);
        if matches!(name, "a" | "area") {
            let href = attrs.iter().find(|a| a.name == "href");
            links.extend(
                href.filter(|a| !a.value.is_empty())
                    .map(|a| trimmed(html, a.value.clone())),
            );
        }
        i = end;
        if RAW_TEXT.contains(&name) {
            let close = lower[end..]
                .find(&format!("</{name}"))
                .map_or(lower.len(), |e| end + e);
            if name == "style" {
                css_loads(html, end..close, &mut out);
            }
            i = close;
        }
    }
    (out.into_iter())
        .map(|(at, kind)| (at, Some(kind)))
        .chain(links.into_iter().map(|at| (at, None)))
        .collect()
}

/// An attribute of a tag: its lower-case name and where its value is.
struct Attr<'a> {
    name: &'a str,
    value: Range<usize>,
}

/// The attributes of the tag whose name ends at `from`, and where the tag
/// ends (after its `>`, or the end of the text).
fn attributes(lower: &str, from: usize) -> (Vec<Attr<'_>>, usize) {
    let b = lower.as_bytes();
    let mut out = Vec::new();
    let mut i = from;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return (out, b.len());
        }
        if b[i] == b'>' {
            return (out, i + 1);
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        // A lone `"` or `=` where a name should be: step over it.
        i = i.max(start + 1);
        let name = &lower[start..i];
        let mut j = i;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if b.get(j) != Some(&b'=') {
            out.push(Attr { name, value: i..i });
            continue;
        }
        j += 1;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let value = match b.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = lower[j + 1..]
                    .find(q as char)
                    .map_or(b.len(), |e| j + 1 + e);
                i = (end + 1).min(b.len());
                j + 1..end
            }
            _ => {
                let end = lower[j..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .map_or(b.len(), |e| j + e);
                i = end;
                j..end
            }
        };
        out.push(Attr { name, value });
    }
}

/// The addresses one tag makes the browser load.
fn tag_loads(html: &str, tag: &str, attrs: &[Attr], out: &mut Vec<(Range<usize>, Loaded)>) {
    let get = |name: &str| {
        attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.clone())
    };
    let text = |name: &str| get(name).map(|r| html[r].to_ascii_lowercase());
    let mut push = |name: &str, kind: Loaded| {
        if let Some(r) = get(name).filter(|r| !r.is_empty()) {
            out.push((trimmed(html, r), kind));
        }
    };
    push("background", Loaded::Background);
    match tag {
        "img" => {
            push("src", Loaded::Image);
            push("lowsrc", Loaded::Image);
        }
        "source" => push("src", Loaded::Media),
        "video" => {
            push("src", Loaded::Media);
            push("poster", Loaded::Background);
        }
        "audio" | "track" => push("src", Loaded::Media),
        "script" => push("src", Loaded::Script),
        "iframe" | "frame" | "embed" => push("src", Loaded::Frame),
        "object" => push("data", Loaded::Frame),
        "input" if text("type").is_some_and(|t| t.trim() == "image") => {
            push("src", Loaded::Background);
        }
        "image" | "feimage" | "use" => {
            push("href", Loaded::Background);
            push("xlink:href", Loaded::Background);
        }
        "link" => {
            let rel = text("rel").unwrap_or_default();
            let rels: Vec<&str> = rel.split_ascii_whitespace().collect();
            if rels.contains(&"stylesheet") {
                push("href", Loaded::Stylesheet);
            } else if rels.iter().any(|r| LOADING_RELS.contains(r)) {
                push("href", Loaded::Other);
            }
        }
        _ => {}
    }
    if let Some(r) = get("srcset") {
        for candidate in srcset(html, r) {
            out.push((candidate, Loaded::Image));
        }
    }
    if let Some(r) = get("style") {
        css_loads(html, r, out);
    }
}

/// `r` without the spaces around the address.
fn trimmed(html: &str, r: Range<usize>) -> Range<usize> {
    let value = &html[r.clone()];
    let start = r.start + (value.len() - value.trim_start().len());
    let end = r.end - (value.len() - value.trim_end().len());
    start..end.max(start)
}

/// The addresses of a `srcset` (`a.png 1x, b.png 2x`), as a browser splits
/// it: an address runs to the next space, descriptors to the next comma.
fn srcset(html: &str, r: Range<usize>) -> Vec<Range<usize>> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = r.start;
    while i < r.end {
        while i < r.end && (b[i].is_ascii_whitespace() || b[i] == b',') {
            i += 1;
        }
        if i >= r.end {
            break;
        }
        let start = i;
        while i < r.end && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut end = i;
        while end > start && b[end - 1] == b',' {
            end -= 1;
        }
        out.push(start..end);
        if end < i {
            continue;
        }
        let mut depth = 0usize;
        while i < r.end && !(b[i] == b',' && depth == 0) {
            match b[i] {
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                _ => {}
            }
            i += 1;
        }
    }
    out
}

/// The addresses of `url(…)` and `@import "…"` in the CSS at `r` of `html`.
fn css_loads(html: &str, r: Range<usize>, out: &mut Vec<(Range<usize>, Loaded)>) {
    let css = html[r.clone()].to_ascii_lowercase();
    let mut i = 0;
    while i < css.len() {
        let url = css[i..].find("url(").map(|e| (i + e, 4));
        let import = css[i..].find("@import").map(|e| (i + e, 7));
        let Some((at, len)) = [url, import].into_iter().flatten().min() else {
            break;
        };
        let mut j = at + len;
        j += css[j..].len() - css[j..].trim_start().len();
        // `@import url(…)` is read as the `url(` it holds.
        if len == 7 && css[j..].starts_with("url(") {
            i = j;
            continue;
        }
        let value = match css[j..].chars().next() {
            Some(q @ ('"' | '\'')) => {
                let end = css[j + 1..].find(q).map_or(css.len(), |e| j + 1 + e);
                j + 1..end
            }
            _ if len == 7 => {
                i = j;
                continue;
            }
            _ => {
                let end = css[j..]
                    .find([')', ' ', '\t', '\n'])
                    .map_or(css.len(), |e| j + e);
                j..end
            }
        };
        i = value.end.max(at + len);
        if value.is_empty() {
            continue;
        }
        let kind = if len == 7 {
            Loaded::Stylesheet
        } else {
            css_kind(&css[value.clone()])
        };
        out.push((r.start + value.start..r.start + value.end, kind));
    }
}

/// What a `url(…)` in CSS fetches, by its file's extension.
fn css_kind(url: &str) -> Loaded {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "woff" | "woff2" | "ttf" | "otf" | "eot" => Loaded::Font,
        "css" => Loaded::Stylesheet,
        _ => Loaded::Background,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(html: &str) -> Vec<(&str, Loaded)> {
        in_html(html)
            .into_iter()
            .map(|l| (&html[l.at], l.kind))
            .collect()
    }

    #[test]
    fn each_kind_of_load_is_found_where_it_is_written() {
        let html = r#"<IMG SRC = "https://a.cn/1.png" alt=x><img srcset="https://a.cn/2.png 2x, //a.cn/3.png 3x,https://a.cn/4.png">
<script src=https://a.cn/x.js></script><iframe src='https://v.cn/v'></iframe>
<div style="background:url(https://a.cn/c.png); font: x"><link rel="preload stylesheet" href="https://a.cn/s.css">
<link rel="shortcut icon" href="https://a.cn/i.ico"><video poster="https://a.cn/p.jpg" src="https://a.cn/v.mp4"><source src="https://a.cn/s.webm"><track src="https://a.cn/t.vtt"></video>
<object data="https://a.cn/o.swf"></object><embed src="https://a.cn/e"><input type="image" src="https://a.cn/b.png">
<table background="http://a.cn/bg.gif"><style>@import "https://a.cn/i.css"; @font-face{src:url('https://f.cn/f.woff2')} p{background:URL( https://a.cn/d.png )}</style>"#;
        use Loaded::*;
        assert_eq!(
            found(html),
            [
                ("https://a.cn/1.png", Image),
                ("https://a.cn/2.png", Image),
                ("//a.cn/3.png", Image),
                ("https://a.cn/4.png", Image),
                ("https://a.cn/x.js", Script),
                ("https://v.cn/v", Frame),
                ("https://a.cn/c.png", Background),
                ("https://a.cn/s.css", Stylesheet),
                ("https://a.cn/i.ico", Other),
                ("https://a.cn/v.mp4", Media),
                ("https://a.cn/p.jpg", Background),
                ("https://a.cn/s.webm", Media),
                ("https://a.cn/t.vtt", Media),
                ("https://a.cn/o.swf", Frame),
                ("https://a.cn/e", Frame),
                ("https://a.cn/b.png", Background),
                ("http://a.cn/bg.gif", Background),
                ("https://a.cn/i.css", Stylesheet),
                ("https://f.cn/f.woff2", Font),
                ("https://a.cn/d.png", Background),
            ]
        );
    }

    #[test]
    fn links_local_files_and_text_are_not_loads() {
        for html in [
            r#"<a href="https://www.acftu.org/">全总</a>"#,
            r#"<link rel="canonical" href="https://a.cn/x.html">"#,
            r#"<form action="https://a.cn/f"><input type="text" src="https://a.cn/x.png"></form>"#,
            r#"<img src="a.png" srcset="a.png 1x, b@2x.png 2x" data-src="https://a.cn/lazy.png">"#,
            r#"<!-- <img src="https://a.cn/old.png"> -->"#,
            r#"<script>var u = '<img src="https://a.cn/x.png">';</script>"#,
            r#"<textarea><img src="https://a.cn/x.png"></textarea>"#,
            r#"<div title="url(https://a.cn/x.png)" style="color:red">"#,
            r#"<img src="data:image/png;base64,iVBORw0KGgo=">"#,
            r#"<p>背景写成 url(https://a.cn/x.png) 只是正文</p>"#,
        ] {
            let loads = found(html);
            assert!(loads.is_empty(), "{html}: {loads:?}");
        }
    }

    #[test]
    fn a_relative_address_is_read_from_the_page_in_the_output() {
        let page = "notices/a/index.html";
        assert_eq!(site_file(page, "x.js").as_deref(), Some("notices/a/x.js"));
        assert_eq!(
            site_file(page, "../b/%E5%9B%BE.jpg?v=2").as_deref(),
            Some("notices/b/图.jpg")
        );
        for not in ["/x.js", "data:image/png;base64,AA", "", "#top"] {
            assert_eq!(site_file(page, not), None, "{not}");
        }
    }

    #[test]
    fn a_downloaded_file_keeps_a_name_only_when_the_address_has_one() {
        assert_eq!(
            file_name("https://a.cn/p/a.png?x=1", Loaded::Image).as_deref(),
            Some("a.png")
        );
        assert_eq!(
            file_name("https://a.cn/%E5%9B%BE.JPG", Loaded::Image).as_deref(),
            Some("图.JPG")
        );
        for (url, kind) in [
            (
                "https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg",
                Loaded::Image,
            ),
            ("https://a.cn/get.php?id=3", Loaded::Image),
            ("https://a.cn/a%20b.png", Loaded::Image),
            ("https://player.example.com/player.html", Loaded::Frame),
            ("https://a.cn/", Loaded::Other),
        ] {
            assert_eq!(file_name(url, kind), None, "{url}");
        }
        assert!(is_wechat("https://mmbiz.qpic.cn/mmbiz_png/x/0?wx_fmt=png"));
        assert!(!is_wechat("https://qpic.cn.example.com/a.png"));
    }
}
