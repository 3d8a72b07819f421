//! A page's rendered Markdown as a build holds it ([`Body`]): the little
//! every build needs of every page — the opening of its text (the
//! summaries lists show), a hash of its text (the search index's key), the
//! `<img>`s its HTML shows (an event report's cover) and the links it looked
//! up (whether it is still valid) — and the whole of it (HTML, table of
//! contents, text, links as written).
//!
//! A page the build cache kept ([`super::StoredMarkdown`]) holds the whole
//! as the bytes the cache's file was read into, and decodes them each time
//! something needs them: its own file, a feed it is in, the search index
//! when the page changed, `check`. After one edit a new process decodes a
//! few pages' HTML, not the site's 90 megabytes; decoded bodies are not
//! kept, so a build that needs every page's HTML holds it once, as a build
//! without the cache does. This module owns that form and its encoding;
//! the cache's files are [`crate::cache::products`]'.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use super::markdown::{Heading, LinkRef, Rendered, resolve};
use crate::diagnostics::Diagnostic;
use crate::images::html::ImgTag;

/// Characters of the text a [`Body`] keeps at hand: more than any excerpt
/// the build cuts from it (lists' summaries, 120; feeds, 200).
pub const LEAD_CHARS: usize = 256;

/// A page's rendered Markdown: what every build needs of it at hand, the
/// rest rendered or encoded ([`Body::full`]).
pub struct Body {
    brief: Brief,
    full: Full,
    /// Whether [`Body::full`] decoded it (the build reports how many).
    decoded: AtomicBool,
}

/// What every build needs of every page's rendered Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Brief {
    /// The text's first [`LEAD_CHARS`] characters (all of it when shorter).
    lead: String,
    /// xxh3 of the whole text.
    text_hash: u64,
    /// Every `<img>` of the HTML, in order.
    images: Vec<ImgTag>,
    /// Every link path looked up and what it resolved to: the HTML stays
    /// valid exactly as long as each still resolves the same way.
    lookups: Vec<(String, Option<String>)>,
}

enum Full {
    /// Rendered by this process (its `lookups` moved into the brief).
    Rendered(Arc<Rendered>),
    /// [`Whole`] as postcard: these bytes of a buffer the build cache read.
    Encoded(Arc<Vec<u8>>, Range<usize>),
}

/// What a [`Body`] holds beyond its brief, as the build cache encodes it.
#[derive(Serialize)]
struct WholeRef<'a> {
    html: &'a str,
    toc: &'a [Heading],
    text: &'a str,
    refs: &'a [LinkRef],
}

/// [`WholeRef`], decoded.
#[derive(Deserialize)]
struct Whole {
    html: String,
    toc: Vec<Heading>,
    text: String,
    refs: Vec<LinkRef>,
}

impl Body {
    /// The Markdown this process rendered for the page at `url` (whose
    /// `<img>`s are resolved against it).
    pub fn fresh(mut rendered: Rendered, url: &str) -> Body {
        let brief = Brief {
            lead: lead(&rendered.text).to_string(),
            text_hash: xxhash_rust::xxh3::xxh3_64(rendered.text.as_bytes()),
            images: crate::images::html::images(&rendered.html, url),
            lookups: std::mem::take(&mut rendered.lookups),
        };
        Body {
            brief,
            full: Full::Rendered(Arc::new(rendered)),
            decoded: AtomicBool::new(false),
        }
    }

    /// A body the build cache kept: `brief`, and the rest encoded in
    /// `whole`, a part of `buffer` (which it keeps instead of copying).
    /// `None` when `whole` is not inside `buffer`.
    pub fn encoded(brief: Brief, buffer: &Arc<Vec<u8>>, whole: &[u8]) -> Option<Body> {
        let start = (whole.as_ptr() as usize).checked_sub(buffer.as_ptr() as usize)?;
        let range = start..start.checked_add(whole.len())?;
        (range.end <= buffer.len()).then(|| Body {
            brief,
            full: Full::Encoded(buffer.clone(), range),
            decoded: AtomicBool::new(false),
        })
    }

    /// The whole rendered Markdown, decoded now when it is encoded (and not
    /// kept: call once per use). Its `lookups` are empty; they stay in the
    /// brief. A body whose bytes do not decode (the cache checked their
    /// hash, so only a program bug could cause it) gives an empty page.
    pub fn full(&self) -> Arc<Rendered> {
        match &self.full {
            Full::Rendered(r) => r.clone(),
            Full::Encoded(buffer, range) => {
                self.decoded.store(true, Ordering::Relaxed);
                let whole: Whole =
                    postcard::from_bytes(&buffer[range.clone()]).unwrap_or_else(|_| {
                        debug_assert!(false, "a checked body does not decode");
                        Whole {
                            html: String::new(),
                            toc: Vec::new(),
                            text: String::new(),
                            refs: Vec::new(),
                        }
                    });
                Arc::new(Rendered {
                    html: whole.html,
                    toc: whole.toc,
                    text: whole.text,
                    diags: Vec::new(),
                    lookups: Vec::new(),
                    refs: whole.refs,
                })
            }
        }
    }

    /// Whether the whole is kept encoded (it came from the build cache).
    pub fn is_encoded(&self) -> bool {
        matches!(self.full, Full::Encoded(..))
    }

    /// Whether [`Body::full`] has decoded it.
    pub fn was_decoded(&self) -> bool {
        self.decoded.load(Ordering::Relaxed)
    }

    /// The brief, for the build cache.
    pub fn brief(&self) -> &Brief {
        &self.brief
    }

    /// The whole as the build cache keeps it ([`Body::encoded`] reads it
    /// back): the bytes it came from, or encoded now.
    pub fn encode_whole(&self) -> std::borrow::Cow<'_, [u8]> {
        match &self.full {
            Full::Encoded(buffer, range) => std::borrow::Cow::Borrowed(&buffer[range.clone()]),
            Full::Rendered(r) => {
                let whole = WholeRef {
                    html: &r.html,
                    toc: &r.toc,
                    text: &r.text,
                    refs: &r.refs,
                };
                // Strings and vectors only: encoding cannot fail.
                std::borrow::Cow::Owned(postcard::to_stdvec(&whole).unwrap_or_default())
            }
        }
    }

    /// Problems rendering it found (none for a kept body: only Markdown
    /// without any is kept).
    pub fn diags(&self) -> &[Diagnostic] {
        match &self.full {
            Full::Rendered(r) => &r.diags,
            Full::Encoded(..) => &[],
        }
    }

    /// The text's first `max` characters and `…` when there are more, as
    /// [`super::context::excerpt`] cuts the whole text.
    pub fn excerpt(&self, max: usize) -> String {
        assert!(max < LEAD_CHARS, "an excerpt longer than the lead");
        super::context::excerpt(&self.brief.lead, max)
    }

    /// xxh3 of the text.
    pub fn text_hash(&self) -> u64 {
        self.brief.text_hash
    }

    /// Every `<img>` of the HTML, in order.
    pub fn images(&self) -> &[ImgTag] {
        &self.brief.images
    }

    /// Whether this HTML would come out the same against a new link map.
    pub fn links_unchanged(&self, dir: &str, links: &HashMap<String, String>) -> bool {
        (self.brief.lookups.iter()).all(|(path, old)| resolve(dir, path, links) == old.as_deref())
    }
}

/// The first [`LEAD_CHARS`] characters of `text`: an excerpt of fewer cut
/// from them knows whether the text goes on.
fn lead(text: &str) -> &str {
    match text.char_indices().nth(LEAD_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(text: &str) -> Rendered {
        Rendered {
            html: format!(
                "<p>{text}</p><p><img src=\"a.jpg\" alt=\"图\" /></p><img src=\"../b/c.png\" title=\"题\">"
            ),
            text: text.to_string(),
            lookups: vec![("a.md".into(), Some("a/".into()))],
            ..Rendered::default()
        }
    }

    #[test]
    fn an_excerpt_of_the_lead_is_the_excerpt_of_the_text() {
        for n in [0, 1, 119, 120, 121, 200, 201, 255, 256, 257, 1000] {
            let text: String = "工会服务职工。 ".chars().cycle().take(n).collect();
            let body = Body::fresh(rendered(&text), "notices/a/index.html");
            for max in [120, 200, LEAD_CHARS - 1] {
                assert_eq!(
                    body.excerpt(max),
                    super::super::context::excerpt(&text, max),
                    "{n} characters, excerpt of {max}"
                );
            }
        }
    }

    #[test]
    fn an_encoded_body_decodes_to_what_was_rendered() {
        let r = rendered(&"职工之家".repeat(100));
        let html = r.html.clone();
        let body = Body::fresh(r, "notices/a/index.html");
        assert_eq!(body.images().len(), 2);
        assert_eq!(body.images()[1].url, "notices/b/c.png");
        let bytes = body.encode_whole().into_owned();
        let buffer = Arc::new([b"head\n".as_slice(), &bytes, b"tail"].concat());
        let whole = &buffer[5..5 + bytes.len()];
        let kept = Body::encoded(body.brief().clone(), &buffer, whole).unwrap();
        assert!(kept.is_encoded() && !body.is_encoded());
        assert!(!kept.was_decoded());
        let (a, b) = (body.full(), kept.full());
        assert!(kept.was_decoded() && !body.was_decoded());
        assert_eq!((&a.html, &a.text, &a.toc), (&b.html, &b.text, &b.toc));
        assert_eq!(b.html, html);
        assert_eq!(kept.encode_whole(), body.encode_whole());
        assert_eq!(kept.brief(), body.brief());
        // Bytes that are not part of the buffer are refused.
        let elsewhere = bytes.clone();
        assert!(Body::encoded(body.brief().clone(), &buffer, &elsewhere).is_none());
    }
}
