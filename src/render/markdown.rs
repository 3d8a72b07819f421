//! Markdown to HTML: CommonMark with tables, footnotes, strikethrough and
//! task lists; heading anchors that work for Chinese; links to `.md` files
//! and bundle files rewritten to relative URLs of the output; a link to
//! something that does not exist reported at its line and column.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::{outside_loads, safe_links};
use crate::diagnostics::{Diagnostic, Span};
use crate::i18n::{Lang, Msg, ui};
use crate::site::{Links, join_rel};
use crate::source::SourceFile;
use crate::urls;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
    /// The text without markup, for summaries and the search index.
    pub text: String,
    /// Broken links, at their place in the file. Not kept by the build
    /// cache, which keeps only Markdown without any.
    #[serde(skip)]
    pub diags: Vec<Diagnostic>,
    /// Every link path looked up and what it resolved to: the HTML stays
    /// valid exactly as long as each still resolves the same way.
    pub lookups: Vec<(String, Option<String>)>,
    /// Every link and image as written, for `check` (anchors, alt text,
    /// files no page uses).
    pub refs: Vec<LinkRef>,
}

/// A link or image in the Markdown, where it is written and where it leads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkRef {
    /// The destination as written.
    pub dest: String,
    pub span: Span,
    /// False for links that leave the site (`https:`, `mailto:`…).
    pub internal: bool,
    /// The root-relative URL of the page or file it resolved to; `None` for
    /// a `#heading` on the same page, or when it resolves to nothing.
    pub target: Option<String>,
    /// The part after `#`, percent-decoded.
    pub fragment: Option<String>,
    pub image: bool,
    /// For images: whether there is alternative text.
    pub alt: bool,
}

impl Rendered {
    /// Whether this HTML would come out the same against a new link map.
    pub fn links_unchanged(&self, dir: &str, links: &Links) -> bool {
        self.lookups
            .iter()
            .all(|(path, old)| resolve(dir, path, links) == old.as_deref())
    }
}

/// Where a piece of Markdown lives, so its links can be resolved.
pub struct Origin<'a> {
    pub file: &'a SourceFile,
    /// The Markdown's range in the file.
    pub body: Range<usize>,
    /// Content-relative folder the Markdown's relative links start from.
    pub dir: &'a str,
    /// Root-relative URL of the file the HTML is written into.
    pub url: &'a str,
    /// The site's language, for the words screen readers hear (task lists).
    pub lang: Lang,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn render(origin: &Origin, links: &Links) -> Rendered {
    let markdown = &origin.file.text[origin.body.clone()];
    let mut out = Rendered::default();
    // About one event for every 16 bytes of Markdown (Chinese text, 3
    // bytes a character, with links, lists and tables): the list is seldom
    // grown and copied.
    let mut events: Vec<Event> = Vec::with_capacity(markdown.len() / 16 + 16);
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut heading: Option<(usize, u8)> = None; // index of the Start event, level
    let mut heading_text = String::new();
    let mut image: Option<usize> = None; // index into `out.refs` while inside an image

    let parser = Parser::new_ext(markdown, options()).into_offset_iter();
    for (event, range) in safe_links::whole_html_blocks(parser) {
        collect_text(&event, &mut out.text);
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                out.refs
                    .push(link_ref(origin, links, link_type, &dest_url, &range, false));
                let dest_url = safe_dest(origin, links, link_type, dest_url, &range, &mut out);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                image = Some(out.refs.len());
                out.refs
                    .push(link_ref(origin, links, link_type, &dest_url, &range, true));
                let resolved = out.refs.last().is_some_and(|r| r.target.is_some());
                outside_loads::image(origin, &dest_url, &range, resolved, &mut out.diags);
                let dest_url = safe_dest(origin, links, link_type, dest_url, &range, &mut out);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::TaskListMarker(done) => task_marker(done, origin.lang),
            Event::Start(Tag::Table(_)) => {
                // Wide tables scroll inside this box, which keyboard users
                // can focus to scroll it.
                let label = ui::get(origin.lang, "table");
                events.push(Event::Html(
                    format!(
                        "<div class=\"table-scroll\" tabindex=\"0\" role=\"group\" aria-label=\"{label}\">"
                    )
                    .into(),
                ));
                event
            }
            Event::End(TagEnd::Table) => {
                events.push(event);
                Event::Html("</div>\n".into())
            }
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((events.len(), level as u8));
                heading_text.clear();
                event
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((start, level)) = heading.take() {
                    let title = heading_text.trim().to_string();
                    let id = set_heading_id(&mut events[start], &title, &mut ids);
                    out.toc.push(Heading { level, id, title });
                }
                event
            }
            Event::End(TagEnd::Image) => {
                image = None;
                event
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if heading.is_some() {
                    heading_text.push_str(t);
                }
                if let Some(r) = image.and_then(|i| out.refs.get_mut(i)) {
                    r.alt |= !t.trim().is_empty();
                }
                event
            }
            Event::Html(html) => Event::Html(safe_html(origin, links, html, &range, &mut out)),
            Event::InlineHtml(html) => {
                Event::InlineHtml(safe_html(origin, links, html, &range, &mut out))
            }
            other => other,
        };
        events.push(event);
    }
    super::official::mark(&mut events);
    super::typography::mark(&mut events);
    out.html.reserve(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    collapse_spaces(&mut out.text);
    out
}

/// `- [x]` as ☑ and `- [ ]` as ☐ text, with words for screen readers,
/// instead of a disabled checkbox that has no label and cannot be used.
fn task_marker(done: bool, lang: Lang) -> Event<'static> {
    let (mark, key, class) = if done {
        ('☑', "task_done", "task task-done")
    } else {
        ('☐', "task_todo", "task task-todo")
    };
    let words = ui::get(lang, key);
    Event::InlineHtml(
        format!(
            "<span class=\"{class}\"><span aria-hidden=\"true\">{mark}</span><span class=\"visually-hidden\">{words}</span></span>"
        )
        .into(),
    )
}

/// The text [`render`] collects from `markdown` (a page's body), made
/// without rendering it: the build cache keeps a page's HTML but not its
/// text, which only the search index needs, and only for a page it
/// tokenizes again ([`super::body::Body::full`]). It depends on nothing
/// but the Markdown (not on links, photos or the language), and both
/// collect it with [`collect_text`] from the same events.
pub fn text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    let parser = Parser::new_ext(markdown, options()).into_offset_iter();
    for (event, _) in safe_links::whole_html_blocks(parser) {
        collect_text(&event, &mut text);
    }
    collapse_spaces(&mut text);
    text
}

/// What an event of the Markdown adds to its text: its words, and a space
/// where a line, paragraph, list item or table cell ends.
fn collect_text(event: &Event, text: &mut String) {
    match event {
        Event::Text(t) | Event::Code(t) => text.push_str(t),
        Event::SoftBreak
        | Event::HardBreak
        | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => text.push(' '),
        _ => {}
    }
}

/// Each run of whitespace between words as one space, none at the ends.
///
/// Copied run by run rather than character by character, and each
/// character told apart by its bytes ([`whitespace_at`]) rather than
/// decoded (this goes over every character of the site's text).
fn collapse_spaces(text: &mut String) {
    let trimmed = text.trim();
    let bytes = trimmed.as_bytes();
    let mut out = String::with_capacity(trimmed.len());
    let mut word = 0;
    let mut i = 0;
    while i < bytes.len() {
        // `i` is always at a character's start: a Chinese character is
        // stepped over at once, not byte by byte.
        let (space, len) = whitespace_at(bytes, i);
        if !space {
            i += len;
            continue;
        }
        let space = len;
        if word < i {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&trimmed[word..i]);
        }
        i += space;
        word = i;
    }
    if word < bytes.len() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&trimmed[word..]);
    }
    *text = out;
}

/// Whether the character at byte `i` (a character's start) of `bytes`
/// (UTF-8) is whitespace as [`char::is_whitespace`] says, and its length,
/// read from the bytes without decoding it: U+0085, U+00A0, U+1680,
/// U+2000–U+200A, U+2028, U+2029, U+202F, U+205F and U+3000 besides ASCII.
fn whitespace_at(bytes: &[u8], i: usize) -> (bool, usize) {
    let b = bytes[i];
    let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match b {
        b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => (true, 1),
        0..=0x7F => (false, 1),
        0xC2 => (matches!(next(1), 0x85 | 0xA0), 2),
        0x80..=0xDF => (false, 2),
        0xE1 => (next(1) == 0x9A && next(2) == 0x80, 3),
        0xE2 => {
            let space = match next(1) {
                0x80 => matches!(next(2), 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF),
                0x81 => next(2) == 0x9F,
                _ => false,
            };
            (space, 3)
        }
        0xE3 => (next(1) == 0x80 && next(2) == 0x80, 3),
        0xE0..=0xEF => (false, 3),
        _ => (false, 4),
    }
}

/// Gives the heading its id (`{#custom}` wins) and returns it.
fn set_heading_id(event: &mut Event, title: &str, ids: &mut HashMap<String, usize>) -> String {
    let Event::Start(Tag::Heading { id, .. }) = event else {
        return String::new();
    };
    if let Some(custom) = id {
        return custom.to_string();
    }
    let base = anchor(title);
    let n = ids.entry(base.clone()).or_insert(0);
    let unique = if *n == 0 { base } else { format!("{base}-{n}") };
    *n += 1;
    *id = Some(CowStr::from(unique.clone()));
    unique
}

/// An anchor for a heading: letters (Chinese included) and digits kept,
/// spaces to `-`, punctuation dropped. `## 一、参会人员` → `一参会人员`.
pub fn anchor(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !out.ends_with('-')
            && !out.is_empty()
        {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// Is this a link that leaves the site or stays on the page?
fn is_external(dest: &str) -> bool {
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") {
        return true;
    }
    // A scheme: letters, then `:` before any `/` (`https:`, `mailto:`, `tel:`).
    match dest.find(':') {
        Some(i) => {
            dest[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && i > 0
        }
        None => false,
    }
}

/// A link or image address as it goes into the HTML: emptied when it is a
/// script or document URL (reported by [`safe_links`]), else rewritten.
fn safe_dest<'a>(
    origin: &Origin,
    links: &Links,
    link_type: LinkType,
    dest: CowStr<'a>,
    range: &Range<usize>,
    out: &mut Rendered,
) -> CowStr<'a> {
    if safe_links::link_is_safe(origin, &dest, range, &mut out.diags) {
        rewrite(origin, links, link_type, dest, range, out)
    } else {
        CowStr::from("")
    }
}

/// Raw HTML with its unsafe `href`/`src` addresses emptied and reported,
/// and what it loads from other servers reported.
fn safe_html<'a>(
    origin: &Origin,
    links: &Links,
    html: CowStr<'a>,
    range: &Range<usize>,
    out: &mut Rendered,
) -> CowStr<'a> {
    match safe_links::checked_raw_html(origin, &html, range, &mut out.diags) {
        Some(clean) => CowStr::from(clean),
        None => match outside_loads::raw_html(origin, links, &html, range, out) {
            Some(rewritten) => CowStr::from(rewritten),
            None => html,
        },
    }
}

fn rewrite<'a>(
    origin: &Origin,
    links: &Links,
    link_type: LinkType,
    dest: CowStr<'a>,
    range: &Range<usize>,
    out: &mut Rendered,
) -> CowStr<'a> {
    if matches!(link_type, LinkType::Email | LinkType::Autolink) || is_external(&dest) {
        return dest;
    }
    let (path, fragment) = match dest.find(['#', '?']) {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (&dest[..], ""),
    };
    let root_absolute = path.starts_with('/');
    let resolved = resolve(origin.dir, path, links);
    out.lookups
        .push((path.to_string(), resolved.map(str::to_string)));
    match resolved {
        Some(target) => CowStr::from(format!(
            "{}{fragment}",
            urls::encode(&urls::relative(origin.url, target))
        )),
        // A root-absolute link we cannot place is left as written (old CMS
        // links); anything relative that leads nowhere is a broken link.
        None if root_absolute => dest,
        None => {
            let text =
                &origin.file.text[origin.body.start + range.start..origin.body.start + range.end];
            // The path as written, or (written with escapes or entities, so
            // not found as decoded) the link's first character.
            let (at, len) = match text.rfind(path).filter(|_| !path.is_empty()) {
                Some(i) => (i, path.len()),
                None => (0, text.chars().next().map_or(0, char::len_utf8)),
            };
            let start = origin.body.start + range.start + at;
            let span = origin.file.span(start..start + len);
            // `a@b.cn`, `www.x.cn`, `*https://x.cn*`: meant to leave the site.
            let msg = match external_fix(&dest) {
                Some(fix) => Msg::LinkNeedsFix {
                    target: dest.to_string(),
                    fix,
                },
                None => Msg::BrokenLink {
                    target: dest.to_string(),
                    suggestion: suggest_link(origin.dir, path, links),
                },
            };
            out.diags.push(Diagnostic::error(Some(span), msg));
            dest
        }
    }
}

/// Records a link or image for `check`. Resolution is the same as
/// [`rewrite`]'s, so `check` and the HTML agree.
fn link_ref(
    origin: &Origin,
    links: &Links,
    link_type: LinkType,
    dest: &str,
    range: &Range<usize>,
    image: bool,
) -> LinkRef {
    let text = &origin.file.text[origin.body.start + range.start..origin.body.start + range.end];
    let at = origin.body.start + range.start;
    let span = match text.rfind(dest).filter(|_| !dest.is_empty()) {
        Some(i) => origin.file.span(at + i..at + i + dest.len()),
        None => origin.file.span(at..at + text.len().min(1)),
    };
    let external = matches!(link_type, LinkType::Email | LinkType::Autolink)
        || (is_external(dest) && !dest.starts_with('#'));
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(urls::decode(f))),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let target = if external || path.is_empty() {
        None
    } else {
        resolve(origin.dir, path, links).map(str::to_string)
    };
    LinkRef {
        dest: dest.to_string(),
        span,
        internal: !external,
        target,
        fragment: fragment.filter(|f| !f.is_empty()),
        image,
        alt: false,
    }
}

/// What a link that resolves to nothing was probably meant to be, when it
/// is an address outside the site written without its scheme.
pub fn external_fix(dest: &str) -> Option<String> {
    let d = dest.trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '<' | '>'));
    // `*https://x.cn*`, `SOFABolt：https://github.com/…`
    if let Some(i) = d.find("://") {
        let start = d[..i]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_alphabetic())
            .last()
            .map_or(i, |(j, _)| j);
        let url = &d[start..];
        return (start < i && url != dest).then(|| url.to_string());
    }
    if d.contains(['/', ' ']) && !d.split('/').next().is_some_and(|h| h.contains('.')) {
        return None;
    }
    let host = d.split('/').next().unwrap_or(d);
    if let Some((user, domain)) = host.split_once('@') {
        let ok = !user.is_empty() && domain.contains('.') && !d.contains('/');
        return ok.then(|| format!("mailto:{d}"));
    }
    let tld = host.rsplit('.').next().unwrap_or("");
    const FILE_EXTS: &[&str] = &[
        "md", "markdown", "html", "htm", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps",
        "et", "dps", "txt", "csv", "zip", "rar", "7z", "jpg", "jpeg", "png", "gif", "webp", "svg",
        "bmp", "mp3", "mp4", "mov", "avi", "wav", "ofd",
    ];
    let domain = host.contains('.')
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
        && !FILE_EXTS.contains(&tld.to_ascii_lowercase().as_str())
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    domain.then(|| format!("https://{d}"))
}

/// The root-relative URL a relative Markdown link points at.
pub fn resolve<'l>(dir: &str, path: &str, links: &'l Links) -> Option<&'l str> {
    let joined = join_rel(dir, &urls::decode(path))?;
    let joined = joined.trim_end_matches('/');
    links
        .get(joined)
        .or_else(|| links.get(joined.strip_suffix("/index.html").unwrap_or(joined)))
        .or_else(|| links.get(&format!("{joined}.md")))
        .map(String::as_str)
}

/// For a link that leads nowhere: the link with its last part replaced by
/// the closest name of a page or file in the same folder (`会议议成.pdf` →
/// `会议议程.pdf`), if one is close enough to be what was meant.
pub fn suggest_link(dir: &str, path: &str, links: &Links) -> Option<String> {
    let joined = join_rel(dir, &urls::decode(path))?;
    let (folder, name) = joined.rsplit_once('/').unwrap_or(("", &joined));
    let written = path.rsplit('/').next().unwrap_or(path);
    let n = name.chars().count();
    links
        .keys()
        .filter_map(|k| {
            let (f, candidate) = k.rsplit_once('/').unwrap_or(("", k));
            (f == folder && candidate != name).then_some(candidate)
        })
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|&(d, c)| d <= 2.max(n / 3) && d < n.min(c.chars().count()))
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| format!("{}{c}", &path[..path.len() - written.len()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`collapse_spaces`] as it was, character by character.
    fn collapse_char_by_char(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut space = false;
        for c in text.trim().chars() {
            if c.is_whitespace() {
                space = true;
            } else {
                if space {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
        out
    }

    /// Every character's bytes tell whitespace as `char::is_whitespace`
    /// does, and its length.
    #[test]
    fn whitespace_is_told_by_its_bytes_for_every_character() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(
                whitespace_at(bytes, 0),
                (c.is_whitespace(), c.len_utf8()),
                "{:#x}",
                c as u32
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::source::random_text::config())]
        /// Copying run by run collapses every kind of whitespace as
        /// looking at each character did.
        #[test]
        fn runs_of_whitespace_collapse_as_before(text in crate::source::random_text::pieces(&[
            " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{1680}",
            "\u{2003}", "\u{2028}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{200B}", "\u{2010}",
            "\u{3001}", "\u{E9}", "\u{C2}", "工会", "a", "〔2026〕", "—", "\u{2000}", "\u{200A}",
            "\u{2029}", "\u{2060}", "\u{1681}", "\u{3002}", "\u{2080}", "\u{1F600}", "\u{84}",
        ], 30)) {
            let mut collapsed = text.clone();
            collapse_spaces(&mut collapsed);
            proptest::prop_assert_eq!(collapsed, collapse_char_by_char(&text));
        }

        /// Random Markdown of the pieces that start, end and break text:
        /// [`text`] gives what [`render`] collects.
        #[test]
        fn text_alone_is_the_text_rendering_collects_of_random_markdown(
            markdown in crate::source::random_text::pieces(&[
                "工会", " ", "\n", "\n\n", "*", "_", "`", "```", "#", "- ", "1. ", "> ", "|",
                "---", "[", "](a.md)", "!", "<b>", "</b>", "<div>", "&amp;", "\\", "[^1]",
                "- [ ] ", "~~", "\u{3000}", "    ",
            ], 40)
        ) {
            proptest::prop_assert_eq!(text(&markdown), rendered_text(&markdown, Lang::Zh));
        }
    }

    /// The text [`render`] collects from `markdown` as a whole page's body.
    fn rendered_text(markdown: &str, lang: Lang) -> String {
        let file = SourceFile::from_text("a.md".into(), "a.md".into(), markdown.to_string());
        let origin = Origin {
            file: &file,
            body: 0..markdown.len(),
            dir: "",
            url: "a/index.html",
            lang,
        };
        render(&origin, &Links::default()).text
    }

    /// Text made without rendering is the text rendering collects, for
    /// Markdown with every kind of event that adds to it or hides from it.
    #[test]
    fn text_alone_is_the_text_rendering_collects() {
        let markdown = "# 标题 {#t}\n\n第一段，*强调*与`代码`，\n换行  \n硬换行。\n\n\
            - [x] 已办\n- [ ] 待办\n  1. 嵌套\n\n| 甲 | 乙 |\n|---|---|\n| 一 | 二 |\n\n\
            > 引用 [链接](a.md) ![图](b.jpg \"题\")\n\n<div>\n块 <b>HTML</b>\n</div>\n\n\
            行内 <span>HTML</span>&amp;实体&#x4E00;\u{3000}全角空格[^1]\n\n[^1]: 脚注。\n\n\
            ```\n代码块\n  缩进\n```\n\n~~删除~~ 〔2026〕1号\n";
        for lang in [Lang::Zh, Lang::En] {
            let rendered = rendered_text(markdown, lang);
            assert!(rendered.contains("代码块") && rendered.contains("脚注"));
            assert_eq!(text(markdown), rendered);
        }
    }

    #[test]
    fn a_misspelt_link_gets_the_closest_name_in_its_folder() {
        let links: Links = [
            "notices/x/会议议程.pdf",
            "notices/x/回执.docx",
            "notices/x/index.md",
            "notices/other.md",
        ]
        .iter()
        .map(|k| (k.to_string(), String::new()))
        .collect();
        let s = |p| suggest_link("notices/x", p, &links);
        assert_eq!(s("会议议成.pdf").as_deref(), Some("会议议程.pdf"));
        assert_eq!(s("./回执.doc").as_deref(), Some("./回执.docx"));
        assert_eq!(s("../othr.md").as_deref(), Some("../other.md"));
        assert_eq!(s("通讯录.xlsx"), None);
    }

    #[test]
    fn anchors_keep_chinese() {
        assert_eq!(anchor("一、参会人员"), "一参会人员");
        assert_eq!(anchor("Step 2: 报名 方式"), "step-2-报名-方式");
        assert_eq!(anchor("？！"), "section");
    }

    #[test]
    fn addresses_written_without_their_scheme_are_recognised() {
        let fix = |d| external_fix(d);
        assert_eq!(
            fix("khotyn.huangt@antgroup.com").as_deref(),
            Some("mailto:khotyn.huangt@antgroup.com")
        );
        assert_eq!(
            fix("github.com/stretchr/testify").as_deref(),
            Some("https://github.com/stretchr/testify")
        );
        assert_eq!(fix("*https://a.cn/x*").as_deref(), Some("https://a.cn/x"));
        assert_eq!(
            fix("SOFABolt：https://github.com/a").as_deref(),
            Some("https://github.com/a")
        );
        assert_eq!(
            fix("www.acftu.org").as_deref(),
            Some("https://www.acftu.org")
        );
        for not in [
            "议程.pdf",
            "../notices/a.md",
            "h/blog/x/",
            "cover.jpg",
            "a.md#b",
            "notices",
        ] {
            assert_eq!(fix(not), None, "{not}");
        }
    }

    #[test]
    fn schemes_and_fragments_are_external() {
        for d in [
            "https://a.cn",
            "mailto:a@b.cn",
            "tel:8001",
            "#top",
            "//cdn.x",
        ] {
            assert!(is_external(d), "{d}");
        }
        for d in ["a.md", "../b/c.md", "议程.pdf", "/notices/x.md"] {
            assert!(!is_external(d), "{d}");
        }
    }
}
