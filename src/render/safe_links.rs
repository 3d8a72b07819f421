//! Keeps script and document URLs out of the HTML made from Markdown: a
//! link, image, reference definition, autolink or raw HTML `href`/`src`
//! whose address is `javascript:`, `vbscript:` or a non-image `data:` (see
//! [`crate::source::url_policy`]) is an error at the place it is written,
//! and never reaches the HTML: a link's address is emptied, a piece of raw
//! HTML holding one is shown as text. The build fails anyway; this is so
//! that no path (a preview, a cached render) can carry it.
//!
//! Owns only the judging and reporting for the Markdown renderer; links
//! that are safe go on to [`super::markdown`]'s usual rewriting.

use std::iter::Peekable;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use super::markdown::Origin;
use crate::diagnostics::Diagnostic;
use crate::i18n::Msg;
use crate::source::url_policy;

/// Attributes of raw HTML that hold an address a browser follows or loads.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "xlink:href",
    "data",
    "background",
    "cite",
];

/// Whether a link or image destination may be emitted; when not, an error
/// is added at the place it is written (`range`: the link's range in the
/// Markdown).
pub fn link_is_safe(
    origin: &Origin,
    dest: &str,
    range: &Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let Some(scheme) = url_policy::unsafe_scheme(dest) else {
        return true;
    };
    let body = &origin.file.text[origin.body.clone()];
    let written = body.get(range.clone()).unwrap_or("");
    // Where the address is written: in the link itself, or for a reference
    // link in its definition; else the link's start.
    let at = written
        .find(dest.trim())
        .map(|i| range.start + i)
        .or_else(|| body.find(dest.trim()).filter(|_| !dest.trim().is_empty()))
        // Written with entities (`jav&#x61;script:`): where the address starts.
        .or_else(|| written.find("](").map(|i| range.start + i + 2))
        .unwrap_or(range.start);
    let start = origin.body.start + at;
    let len = if body[at..].starts_with(dest.trim()) {
        dest.trim().len().max(1)
    } else {
        1
    };
    let span = origin.file.span(start..(start + len).min(origin.body.end));
    diags.push(Diagnostic::error(
        Some(span),
        Msg::UnsafeUrl {
            url: dest.trim().to_string(),
            scheme,
        },
    ));
    false
}

/// Checks the address attributes of a piece of raw HTML. When one is
/// unsafe, returns the whole piece escaped, to show as text: cutting out
/// just the address could leave a quote or comment open and join it to
/// whatever follows.
pub fn checked_raw_html(
    origin: &Origin,
    html: &str,
    range: &Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let mut unsafe_found = false;
    for value in url_values(html) {
        let url = &html[value];
        let Some(scheme) = url_policy::unsafe_scheme(url) else {
            continue;
        };
        unsafe_found = true;
        let body = &origin.file.text[origin.body.clone()];
        let written = body.get(range.clone()).unwrap_or("");
        let at = written.find(url).map_or(range.start, |i| range.start + i);
        let start = origin.body.start + at;
        let span = origin
            .file
            .span(start..(start + url.len().max(1)).min(origin.body.end));
        diags.push(Diagnostic::error(
            Some(span),
            Msg::UnsafeUrl {
                url: url.to_string(),
                scheme,
            },
        ));
    }
    unsafe_found.then(|| {
        html.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    })
}

/// The parser's events with each block of raw HTML as one event: it comes
/// line by line, and `<a href=⏎javascript:…>` must be read whole to be
/// judged. The HTML written out is the same.
pub fn whole_html_blocks<'a, I>(events: I) -> WholeHtml<'a, I>
where
    I: Iterator<Item = (Event<'a>, Range<usize>)>,
{
    WholeHtml {
        inner: events.peekable(),
    }
}

pub struct WholeHtml<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    inner: Peekable<I>,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for WholeHtml<'a, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let (event, range) = self.inner.next()?;
        let Event::Html(first) = event else {
            return Some((event, range));
        };
        if !matches!(self.inner.peek(), Some((Event::Html(_), _))) {
            return Some((Event::Html(first), range));
        }
        let mut html = first.into_string();
        let mut range = range;
        while let Some((Event::Html(_), _)) = self.inner.peek() {
            if let Some((Event::Html(more), r)) = self.inner.next() {
                html.push_str(&more);
                range = range.start.min(r.start)..range.end.max(r.end);
            }
        }
        Some((Event::Html(CowStr::from(html)), range))
    }
}

/// The byte ranges of the values of address attributes in raw HTML
/// (`href="…"`, `src='…'`, `href=…`), any letter case.
fn url_values(html: &str) -> Vec<Range<usize>> {
    let lower = html.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // An attribute name starts after whitespace, a quote or a `/`, or
        // at the start of a line of block HTML (`<a\nhref=…` comes in two).
        let boundary = i == 0
            || matches!(
                bytes[i - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'"' | b'\''
            );
        let name = boundary
            .then(|| URL_ATTRIBUTES.iter().find(|a| lower[i..].starts_with(**a)))
            .flatten();
        let Some(name) = name else {
            i += 1;
            continue;
        };
        let mut j = i + name.len();
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if bytes.get(j) != Some(&b'=') {
            i += 1;
            continue;
        }
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let (start, end) = match bytes.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = lower[j + 1..]
                    .find(q as char)
                    .map_or(bytes.len(), |e| j + 1 + e);
                (j + 1, end)
            }
            _ => {
                let end = lower[j..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .map_or(bytes.len(), |e| j + e);
                (j, end)
            }
        };
        out.push(start..end);
        i = end.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::url_values;

    #[test]
    fn finds_address_attributes_only() {
        let html = r#"<a data-href="x" HREF = "javascript:a()" title='t'><img src=javascript:b() alt=x><form action='c'>"#;
        let found: Vec<&str> = url_values(html).into_iter().map(|r| &html[r]).collect();
        assert_eq!(found, ["javascript:a()", "javascript:b()", "c"]);
    }
}
