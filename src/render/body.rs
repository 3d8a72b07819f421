//! A page's rendered Markdown as a build holds it ([`Body`]): the whole of
//! it (HTML, table of contents, text, links as written), and what every
//! build needs of every page without the whole — the opening of its text
//! (the summaries lists show), a hash of its text (the search index's
//! key), the `<img>`s of its HTML (an event report's cover) and the links
//! it looked up (whether it is still valid).
//!
//! A page the build cache kept ([`super::StoredMarkdown`]) has those at
//! hand and its whole as some bytes of a file of bodies the cache keeps
//! apart from everything else ([`BodyFile`]), read only when a body in it
//! is first needed and decoded each time something needs it: its own file,
//! a feed it is in, the search index when the page changed, `check`. After
//! one edit a new process so reads and decodes a few pages' HTML, not the
//! site's 90 megabytes; decoded bodies are not kept, so a build that needs
//! every page's HTML holds it once, as a build without the cache does. A page rendered by
//! this process keeps only its [`Rendered`] and makes the rest from it
//! when asked (a cold build's memory stays as it was). This module owns
//! that form and its encoding; the cache's files are
//! [`crate::cache::products`]'.
//!
//! The cache keeps a body's HTML, not its text (42 % of the bytes of the
//! 10,000-page site's bodies, 37 of 90 MB, written by every cold build):
//! the text is made again from the page's Markdown ([`markdown::text`],
//! without rendering it) when the search index tokenizes an unchanged
//! page again, and only then ([`Body::full`]; [`Body::shown`] leaves it
//! out). Pages, feeds and `check`, which read the HTML, never need it.

use std::borrow::Cow;
use std::fs::File;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use super::markdown::{self, Heading, LinkRef, Rendered, resolve};
use crate::content::PageFile;
use crate::diagnostics::Diagnostic;
use crate::images::html::ImgTag;
use crate::site::Links;

/// Characters of the text a [`Body`] from the build cache keeps at hand:
/// more than any excerpt the build cuts from it (lists' summaries 120,
/// search snippets 160, feeds 200).
pub const LEAD_CHARS: usize = 201;

/// A page's rendered Markdown: what every build needs of it at hand, the
/// rest rendered or encoded ([`Body::full`]).
pub struct Body {
    /// xxh3 of the whole text.
    text_hash: u64,
    /// Every link path looked up and what it resolved to: the HTML stays
    /// valid exactly as long as each still resolves the same way.
    lookups: Vec<(String, Option<String>)>,
    kept: Kept,
    /// Whether [`Body::full`] decoded it (the build reports how many).
    decoded: AtomicBool,
    /// The `<img>`s of a rendered body's HTML, found the first time they
    /// are asked for, with the URL they were resolved against: the cover,
    /// the page's photos and the build cache all ask, and each search of
    /// the HTML was a scan of the whole page.
    images: OnceLock<(String, Vec<ImgTag>)>,
}

enum Kept {
    /// Rendered by this process (its `lookups` moved out, into the body).
    Rendered(Arc<Rendered>),
    /// From the build cache: the opening of the text, the `<img>`s of the
    /// HTML, and the rest as [`WholeRef`] encodes it, in these bytes of a
    /// file of bodies; the text is made from `source` when needed.
    Encoded {
        lead: Lead,
        images: Vec<ImgTag>,
        file: Arc<BodyFile>,
        range: Range<usize>,
        source: OnceLock<Source>,
    },
}

/// The Markdown a kept body was rendered from: the page's file, read when
/// the text is first made from it, and the body's bytes in its text.
struct Source {
    file: PageFile,
    body: Range<usize>,
}

/// A file of the build cache holding the encoded wholes of kept bodies
/// side by side, opened when the cache is read and read only when one of
/// its bodies is first needed; checked then against the hash it was
/// written with. The cache never writes into such a file (a new one gets
/// another name), and the file stays open from the start of the build, so
/// what is read is what was there then; a file someone else changed in
/// place reads as missing, and [`Body::failed_file`] names it.
pub struct BodyFile {
    path: PathBuf,
    hash: u64,
    len: usize,
    open: Mutex<Option<File>>,
    bytes: OnceLock<Option<Vec<u8>>>,
}

impl BodyFile {
    /// The file at `path`, opened now, when it is there with `len` bytes;
    /// its bytes must hash to `hash` (xxh3).
    pub fn open(path: PathBuf, hash: u64, len: usize) -> Option<Arc<BodyFile>> {
        let file = File::open(&path).ok()?;
        let same_len = file.metadata().ok()?.len() == len as u64;
        same_len.then(|| {
            Arc::new(BodyFile {
                path,
                hash,
                len,
                open: Mutex::new(Some(file)),
                bytes: OnceLock::new(),
            })
        })
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Its bytes, read now if not yet; `None` when they are not the ones
    /// written.
    fn bytes(&self) -> Option<&[u8]> {
        let read = || {
            let file = self.open.lock().ok()?.take()?;
            let mut bytes = Vec::with_capacity(self.len);
            (&file).read_to_end(&mut bytes).ok()?;
            let same = bytes.len() == self.len && xxhash_rust::xxh3::xxh3_64(&bytes) == self.hash;
            same.then_some(bytes)
        };
        self.bytes.get_or_init(read).as_deref()
    }

    /// Whether it was read and found not to be what was written.
    fn failed(&self) -> bool {
        matches!(self.bytes.get(), Some(None))
    }
}

/// What the build cache keeps of a body beside its encoded whole, as read
/// back ([`Body::encoded`]).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Brief {
    /// The text's first [`LEAD_CHARS`] characters (all of it when shorter).
    lead: Lead,
    text_hash: u64,
    /// Every `<img>` of the HTML, in order.
    images: Vec<ImgTag>,
    lookups: Vec<(String, Option<String>)>,
}

/// [`Brief`] as written ([`Body::brief`]).
#[derive(Serialize)]
pub struct BriefRef<'a> {
    lead: Cow<'a, str>,
    text_hash: u64,
    images: Cow<'a, [ImgTag]>,
    lookups: &'a [(String, Option<String>)],
}

/// The opening of a kept body's text as the build cache wrote it (a
/// string), its bytes not yet checked to be UTF-8: every build after an
/// edit reads the 10,000 pages' leads, 62 million instructions of checks
/// at 10,000 pages (callgrind), and needs only the few its lists show.
/// Checked when used ([`Lead::text`]).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Lead(Box<[u8]>);

impl Lead {
    /// The text; bytes that are not UTF-8 (only a program bug could write
    /// them: the cache's files are checked against their hash) read as
    /// replacement characters rather than failing the build.
    fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }
}

impl<'de> Deserialize<'de> for Lead {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Lead, D::Error> {
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = Lead;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string's bytes")
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<Lead, E> {
                Ok(Lead(v.into()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Lead, E> {
                Ok(Lead(v.as_bytes().into()))
            }
        }
        // A string and bytes are encoded alike (a length, then the bytes).
        d.deserialize_bytes(Bytes)
    }
}

/// What a [`Body`] holds beyond its brief, as the build cache encodes it
/// (not its text: see the module's opening).
#[derive(Serialize)]
struct WholeRef<'a> {
    html: &'a str,
    toc: &'a [Heading],
    refs: &'a [LinkRef],
}

/// [`WholeRef`], decoded.
#[derive(Deserialize)]
struct Whole {
    html: String,
    toc: Vec<Heading>,
    refs: Vec<LinkRef>,
}

impl Body {
    /// The Markdown this process rendered.
    pub fn fresh(mut rendered: Rendered) -> Body {
        Body {
            text_hash: xxhash_rust::xxh3::xxh3_64(rendered.text.as_bytes()),
            lookups: std::mem::take(&mut rendered.lookups),
            kept: Kept::Rendered(Arc::new(rendered)),
            decoded: AtomicBool::new(false),
            images: OnceLock::new(),
        }
    }

    /// A body the build cache kept: `brief`, and the rest encoded in the
    /// bytes `whole` (start, length) of `file`, read when first needed.
    /// `None` when those bytes are not inside the file.
    pub fn encoded(brief: Brief, file: &Arc<BodyFile>, whole: (u64, u64)) -> Option<Body> {
        let start = usize::try_from(whole.0).ok()?;
        let range = start..start.checked_add(usize::try_from(whole.1).ok()?)?;
        (range.end <= file.len).then(|| Body {
            text_hash: brief.text_hash,
            lookups: brief.lookups,
            kept: Kept::Encoded {
                lead: brief.lead,
                images: brief.images,
                file: file.clone(),
                range,
                source: OnceLock::new(),
            },
            decoded: AtomicBool::new(false),
            images: OnceLock::new(),
        })
    }

    /// The whole rendered Markdown, decoded now when it is encoded (and not
    /// kept: call once per use), its text made again from the Markdown
    /// ([`Body::rendered_from`]; empty when none was given). Its `lookups`
    /// are empty; they stay in the body. A body whose file was changed by
    /// someone else since the build opened it gives an empty page, and
    /// [`Body::failed_file`] names that file: the build must not write
    /// what it made. One whose checked bytes do not decode (only a program
    /// bug could cause it) gives one too.
    pub fn full(&self) -> Arc<Rendered> {
        self.decode(true)
    }

    /// [`Body::full`] without the text when the body is encoded: what a
    /// page, a feed or `check` shows of it.
    pub fn shown(&self) -> Arc<Rendered> {
        self.decode(false)
    }

    /// Tells a body from the build cache the Markdown it was rendered
    /// from (`body`, the bytes of `file`'s text): its text is made from
    /// it when [`Body::full`] needs it. Only the first one given counts.
    pub fn rendered_from(&self, file: &PageFile, body: Range<usize>) {
        if let Kept::Encoded { source, .. } = &self.kept {
            let file = file.clone();
            let _ = source.set(Source { file, body });
        }
    }

    fn decode(&self, text: bool) -> Arc<Rendered> {
        match &self.kept {
            Kept::Rendered(r) => r.clone(),
            Kept::Encoded {
                file,
                range,
                source,
                ..
            } => {
                self.decoded.store(true, Ordering::Relaxed);
                let bytes = file.bytes().map(|b| &b[range.clone()]);
                let whole = bytes.and_then(|b| postcard::from_bytes::<Whole>(b).ok());
                debug_assert!(
                    whole.is_some() || bytes.is_none(),
                    "a checked body does not decode"
                );
                let whole = whole.unwrap_or_else(|| Whole {
                    html: String::new(),
                    toc: Vec::new(),
                    refs: Vec::new(),
                });
                // A file changed since it was parsed reads as blanks of its
                // old length (and the build reports it: see
                // `content::lazy`), so the range stays inside it.
                let text = match source.get().filter(|_| text) {
                    Some(s) => markdown::text(s.file.text.get(s.body.clone()).unwrap_or_default()),
                    None => String::new(),
                };
                Arc::new(Rendered {
                    html: whole.html,
                    toc: whole.toc,
                    text,
                    diags: Vec::new(),
                    lookups: Vec::new(),
                    refs: whole.refs,
                })
            }
        }
    }

    /// Whether the whole is kept encoded (it came from the build cache).
    pub fn is_encoded(&self) -> bool {
        matches!(self.kept, Kept::Encoded { .. })
    }

    /// Whether [`Body::full`] has decoded it.
    pub fn was_decoded(&self) -> bool {
        self.decoded.load(Ordering::Relaxed)
    }

    /// The file of bodies this body was to be read from, when
    /// [`Body::full`] found it changed and gave an empty page instead.
    pub fn failed_file(&self) -> Option<&Path> {
        match &self.kept {
            Kept::Encoded { file, .. } if self.was_decoded() && file.failed() => Some(file.path()),
            _ => None,
        }
    }

    /// What the build cache keeps beside the whole, for the page at `url`.
    pub fn brief(&self, url: &str) -> BriefRef<'_> {
        let lead = match &self.kept {
            Kept::Rendered(r) => Cow::Borrowed(lead(&r.text)),
            Kept::Encoded { lead, .. } => lead.text(),
        };
        BriefRef {
            lead,
            text_hash: self.text_hash,
            images: self.images(url),
            lookups: &self.lookups,
        }
    }

    /// Appends the whole as the build cache keeps it ([`Body::encoded`]
    /// reads it back) to `out`, the file of bodies being made: the bytes it
    /// came from, or encoded now, straight into `out`. Encoding each body
    /// into a vector of its own and copying that into the file's moved the
    /// site's 90 megabytes of bodies once more in every cold build. `false`,
    /// with nothing appended, when its file is no longer what was written.
    pub fn append_whole(&self, out: &mut Vec<u8>) -> bool {
        match &self.kept {
            Kept::Encoded { file, range, .. } => match file.bytes() {
                Some(bytes) => {
                    out.extend_from_slice(&bytes[range.clone()]);
                    true
                }
                None => false,
            },
            Kept::Rendered(r) => {
                let whole = WholeRef {
                    html: &r.html,
                    toc: &r.toc,
                    refs: &r.refs,
                };
                // Strings and vectors only, into a vector: encoding cannot
                // fail; were it to, what it appended goes again.
                let start = out.len();
                let done = postcard::serialize_with_flavor(&whole, Append(out)).is_ok();
                if !done {
                    out.truncate(start);
                }
                done
            }
        }
    }

    /// Problems rendering it found (none for a kept body: only Markdown
    /// without any is kept).
    pub fn diags(&self) -> &[Diagnostic] {
        match &self.kept {
            Kept::Rendered(r) => &r.diags,
            Kept::Encoded { .. } => &[],
        }
    }

    /// The text's first `max` characters and `…` when there are more, as
    /// [`super::context::excerpt`] cuts the whole text.
    pub fn excerpt(&self, max: usize) -> String {
        assert!(max < LEAD_CHARS, "an excerpt longer than the lead");
        match &self.kept {
            Kept::Rendered(r) => super::context::excerpt(&r.text, max),
            Kept::Encoded { lead, .. } => super::context::excerpt(&lead.text(), max),
        }
    }

    /// xxh3 of the text.
    pub fn text_hash(&self) -> u64 {
        self.text_hash
    }

    /// Every `<img>` of the HTML, in order, resolved against `url` (the
    /// page's, which a body from the build cache was kept for).
    pub fn images(&self, url: &str) -> Cow<'_, [ImgTag]> {
        match &self.kept {
            Kept::Rendered(r) => {
                let (at, images) = self
                    .images
                    .get_or_init(|| (url.to_string(), crate::images::html::images(&r.html, url)));
                match at == url {
                    true => Cow::Borrowed(images),
                    false => Cow::Owned(crate::images::html::images(&r.html, url)),
                }
            }
            Kept::Encoded { images, .. } => Cow::Borrowed(images),
        }
    }

    /// Whether this HTML would come out the same against a new link map.
    pub fn links_unchanged(&self, dir: &str, links: &Links) -> bool {
        self.links_unchanged_but(dir, links, &|_| true)
    }

    /// [`Body::links_unchanged`], resolving again only the links `may_differ`
    /// says may resolve otherwise (the others are known to resolve as before).
    pub fn links_unchanged_but(
        &self,
        dir: &str,
        links: &Links,
        may_differ: &dyn Fn(&str) -> bool,
    ) -> bool {
        (self.lookups.iter())
            .all(|(path, old)| !may_differ(path) || resolve(dir, path, links) == old.as_deref())
    }
}

/// Postcard's output going onto the end of a vector that already holds
/// other bodies.
struct Append<'a>(&'a mut Vec<u8>);

impl postcard::ser_flavors::Flavor for Append<'_> {
    type Output = ();

    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        self.0.push(data);
        Ok(())
    }

    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        self.0.extend_from_slice(data);
        Ok(())
    }

    fn finalize(self) -> postcard::Result<()> {
        Ok(())
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
    use crate::source::SourceFile;

    const URL: &str = "notices/a/index.html";

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

    /// `body` as the build cache writes it and reads it back, between
    /// other bytes of its file of bodies.
    fn kept(body: &Body) -> Body {
        let brief = postcard::to_stdvec(&body.brief(URL)).unwrap();
        let brief: Brief = postcard::from_bytes(&brief).unwrap();
        let bytes = whole(body).unwrap();
        let (_dir, file) = bodies_file(&[b"head\n".as_slice(), &bytes, b"tail"].concat());
        let kept = Body::encoded(brief, &file, (5, bytes.len() as u64)).unwrap();
        // The test bodies' text is one paragraph of Markdown as it is.
        let text = match &body.kept {
            Kept::Rendered(r) => r.text.clone(),
            Kept::Encoded { .. } => panic!("kept twice"),
        };
        let len = text.len();
        let source = SourceFile::from_text("a.md".into(), "a.md".into(), text);
        kept.rendered_from(&PageFile::of(source), 0..len);
        kept
    }

    /// What [`Body::append_whole`] appends, on its own.
    fn whole(body: &Body) -> Option<Vec<u8>> {
        let mut bytes = Vec::new();
        body.append_whole(&mut bytes).then_some(bytes)
    }

    /// A file of bodies holding `bytes`, opened (in a folder that goes
    /// when the first value is dropped: the file stays open).
    fn bodies_file(bytes: &[u8]) -> (tempfile::TempDir, Arc<BodyFile>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("00-1.body");
        std::fs::write(&path, bytes).unwrap();
        let hash = xxhash_rust::xxh3::xxh3_64(bytes);
        let file = BodyFile::open(path, hash, bytes.len()).unwrap();
        (dir, file)
    }

    #[test]
    fn an_excerpt_of_the_lead_is_the_excerpt_of_the_text() {
        for n in [0, 1, 119, 120, 121, 160, 161, 200, 201, 202, 1000] {
            let text: String = "工会服务职工。 ".chars().cycle().take(n).collect();
            let body = kept(&Body::fresh(rendered(&text)));
            for max in [120, 160, 200] {
                assert_eq!(
                    body.excerpt(max),
                    super::super::context::excerpt(&text, max),
                    "{n} characters, excerpt of {max}"
                );
            }
        }
    }

    #[test]
    fn a_kept_body_decodes_to_what_was_rendered() {
        let r = rendered(&"职工之家".repeat(100));
        let html = r.html.clone();
        let body = Body::fresh(r);
        let images = body.images(URL);
        assert_eq!(images.len(), 2);
        assert_eq!(images[1].url, "notices/b/c.png");
        let kept = kept(&body);
        assert!(kept.is_encoded() && !body.is_encoded());
        assert!(!kept.was_decoded());
        assert_eq!(kept.images(URL), images);
        assert_eq!(kept.text_hash(), body.text_hash());
        let links = Links::from_iter([("a.md".to_string(), "a/".to_string())]);
        assert!(kept.links_unchanged("", &links));
        assert!(!kept.links_unchanged("", &Links::default()));
        let (a, b) = (body.full(), kept.full());
        assert!(kept.was_decoded() && !body.was_decoded());
        assert_eq!((&a.html, &a.text, &a.toc), (&b.html, &b.text, &b.toc));
        let shown = kept.shown();
        assert_eq!((&shown.html, &shown.toc), (&b.html, &b.toc));
        assert!(shown.text.is_empty(), "the text is made only for full()");
        assert_eq!(b.html, html);
        assert_eq!(whole(&kept), whole(&body));
        let again = |b: &Body| postcard::to_stdvec(&b.brief(URL)).unwrap();
        assert_eq!(again(&kept), again(&body));
    }

    #[test]
    fn bytes_outside_the_file_are_refused() {
        let body = Body::fresh(rendered("正文"));
        let brief = postcard::to_stdvec(&body.brief(URL)).unwrap();
        let brief: Brief = postcard::from_bytes(&brief).unwrap();
        let (_dir, file) = bodies_file(b"head");
        assert!(Body::encoded(brief.clone(), &file, (2, 3)).is_none());
        assert!(Body::encoded(brief.clone(), &file, (u64::MAX, 3)).is_none());
        assert!(Body::encoded(brief, &file, (0, 4)).is_some());
        // Not there, or not as long as the cache says.
        let gone = std::env::temp_dir().join("unionpress-no-such-file.body");
        assert!(BodyFile::open(gone, 0, 4).is_none());
        let (dir, _) = bodies_file(b"head");
        assert!(BodyFile::open(dir.path().join("00-1.body"), 0, 5).is_none());
    }

    /// A file of bodies someone else writes into after the build opened
    /// it: no body of it decodes, the body names it, and the cache does
    /// not keep it.
    #[test]
    fn a_file_of_bodies_changed_in_place_is_named_not_used() {
        let body = Body::fresh(rendered(&"职工之家".repeat(10)));
        let brief = postcard::to_stdvec(&body.brief(URL)).unwrap();
        let brief: Brief = postcard::from_bytes(&brief).unwrap();
        let bytes = whole(&body).unwrap();
        let (dir, file) = bodies_file(&bytes);
        let kept = Body::encoded(brief, &file, (0, bytes.len() as u64)).unwrap();
        let path = dir.path().join("00-1.body");
        let mut changed = bytes.clone();
        changed[0] ^= 1;
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, &changed))
            .unwrap();
        assert!(kept.failed_file().is_none(), "not read yet");
        assert!(kept.full().html.is_empty());
        assert_eq!(kept.failed_file(), Some(path.as_path()));
        assert!(whole(&kept).is_none());
        let mut after = b"other bodies".to_vec();
        assert!(!kept.append_whole(&mut after));
        assert_eq!(after, b"other bodies", "nothing appended");
    }
}
