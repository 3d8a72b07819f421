//! The offline search index: every published page's title, tags,
//! department, section, date, document numbers and text, tokenized so that
//! Chinese is found without a dictionary ([`tokenize`]), written as script
//! shards that the theme's `search.js` loads a few at a time ([`shards`]).
//!
//! Ranking happens in the browser from what the index stores: for each
//! token and page, the best field it occurs in (title over tags and other
//! metadata over body). Pages are numbered oldest first, so that among
//! equal matches the higher number is the newer page, and numbers stay put
//! when a new page is published; expired pages are listed in the manifest
//! and ranked below current ones.
//!
//! Between builds the index is kept ([`Cache`], its postings in
//! [`postings`]) and updated in place: a rebuild tokenizes only the pages
//! that changed and remakes only the files whose contents changed;
//! [`saved`] turns it into bytes for the build cache and back.
//!
//! This module reads the site index and the rendered text; it writes
//! nothing itself. The build hands the files to the output like any other.

pub mod postings;
pub mod saved;
pub mod shards;
pub mod tokenize;

use std::hash::{Hash, Hasher};

use rustc_hash::FxHashMap;

use rayon::prelude::*;
use serde_json::json;

use crate::content::model::PageMeta;
use crate::i18n;
use crate::render::body::Body;
use crate::site::{Site, SitePage};

use postings::{GONE, PageTokens, Postings};

/// Field levels stored with each posting; higher ranks first.
pub const BODY: u8 = 0;
pub const META: u8 = 1;
pub const TITLE: u8 = 2;

/// Where the index goes in the output.
pub const DIR: &str = "search";

/// What the theme's `search.js` says of the index it reads, changed with
/// the form of the index this module writes (3: snippet chunks named by
/// their first page, round fourteen; 4: dense postings written shorter,
/// see [`shards::put_postings`], and pages' URLs without `index.html`). A site with its own copy of the
/// theme (`unionpress init --theme`) keeps the script it was given, and a
/// script of another form finds nothing; the build warns of it
/// ([`reads_this_index`]).
pub const SCRIPT_FORM: &str = "unionpress-search-index: 4";

/// Whether a `search.js` reads the index this module writes.
pub fn reads_this_index(script: &[u8]) -> bool {
    memchr::memmem::find(script, SCRIPT_FORM.as_bytes()).is_some()
}

/// Characters of a page's text kept for snippets: the opening of a
/// notice, where its point is; a match further in shows the opening
/// instead. Short, because a results page loads up to ten chunks of pages
/// ([`Layout`]): at 160 characters the index stays under 40 % of the
/// Markdown (at 2,000 characters it was 108 %).
pub const DOC_TEXT_CHARS: usize = 160;

/// The newest pages' snippet data are packed about this many to a file…
pub const DOC_CHUNK_MIN: usize = 4;
/// …older pages' more, so that the number of files stays near this.
pub const DOC_FILES_MAX: usize = 900;

/// Steps of the chunks' growth ([`Grade`]): `c` in `c × √rank` counts
/// in 64ths.
const GRADE_STEPS: f64 = 64.0;

/// How the chunks grow with a page's age: a page that `rank` pages are
/// newer than lies in a chunk of about `max(DOC_CHUNK_MIN, c × √rank)`
/// pages, `c` being `step / 64` ([`GRADE_STEPS`]).
///
/// Why by age: among pages that match a query equally, the newer ranks
/// first, so the ten results of a common query are the newest pages
/// that have it, and a page is shown as a result the more often the
/// newer it is. On the 10,000-page benchmark site, of the first ten
/// results of all 1,066 two-character pairs, 98.9 % are among the 1,023
/// newest pages and all but four among the 2,047 newest. Chunks of one
/// size everywhere (12 pages) put the results of a pair found in one page
/// of thirty in ten chunks of 10 KB or more: 155 pairs cost over 150 KB
/// with the page, style sheet and scripts. Small chunks where results
/// are, and larger ones where they seldom are, in as many files, leave
/// none over.
///
/// The step is the smallest whose chunks number about [`DOC_FILES_MAX`]
/// or fewer ([`Grade::of`]): it changes, and every chunk with it, only
/// when the site has grown or shrunk by about a tenth, not with each page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Grade {
    step: u32,
}

impl Grade {
    /// The grade for a site of `docs` pages: the smallest step whose
    /// chunks number about [`DOC_FILES_MAX`] or fewer.
    fn of(docs: usize) -> Grade {
        // The estimate falls as the step grows: a binary search.
        let (mut lo, mut hi) = (1u32, 1u32 << 16);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if (Grade { step: mid }).files(docs) <= DOC_FILES_MAX as f64 {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Grade { step: lo }
    }

    /// The grade saved as [`Grade::step`].
    fn from_step(step: usize) -> Grade {
        Grade {
            step: u32::try_from(step).unwrap_or(u32::MAX),
        }
    }

    /// The number the grade is saved as.
    fn step(self) -> usize {
        self.step as usize
    }

    /// The chunk size aimed at for a page `rank` pages older than the
    /// newest (a real number; see [`Layout::of`] for what it sets).
    fn aim(self, rank: usize) -> f64 {
        let grown = self.step as f64 / GRADE_STEPS * (rank as f64).sqrt();
        grown.max(DOC_CHUNK_MIN as f64)
    }

    /// About how many chunks `docs` pages take: a chunk aimed at `a`
    /// pages holds `a − 1` on average ([`Layout::of`]).
    fn files(self, docs: usize) -> f64 {
        (0..docs).map(|r| 1.0 / (self.aim(r) - 1.0)).sum()
    }
}

/// Where the snippet chunks of pages in number order begin, and what their
/// files are called. The boundaries are chosen from the pages' URLs, not
/// by count: a chunk ends after a page whose URL hash hits a mark (with
/// chance `p`), once it holds at least `min` pages, or when it holds
/// `max`. So a page coming or going changes its own chunk (and seldom the
/// next), not every chunk after it, as fixed `n × chunk` ranges did: on a
/// 10,000-page site a draft toggled on an oldest-year notice remade 754
/// chunks. A file is named by its first page's URL hash, not its place,
/// for the same reason, and its contents hold no page numbers: the
/// manifest lists each chunk's first page and name, and `search.js` finds
/// the chunk of page `i` by binary search.
///
/// Each page has its own aim `a` ([`Grade::aim`], small for new pages,
/// larger for old ones): `min` two thirds of it, `p` its inverse third
/// (at most a half), `max` twice it. Chunks then hold about `a − 1` pages,
/// and the chunk a result falls in about `a`, since a page lands in a
/// large chunk more often than in a small one (the size-biased mean).
/// With `min` larger and `p` larger, chunks vary less but a change moves
/// more boundaries after it; in a simulation of single insertions and
/// deletions on 10,000 pages this choice changed 1.3 chunks on average.
///
/// A page is compared with its mark by where its hash falls (below `p`),
/// not by a remainder: a new page makes every older page's rank one more
/// and its aim a little larger, which moves a page's mark only when its
/// hash lies between the old `p` and the new one, about once in all the
/// pages for each new page (the chances' total change), and `min` or
/// `max` only where they step; so publishing a page remakes the chunk it
/// joins and seldom more.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Layout {
    /// Each chunk's first page number, rising, the first 0.
    firsts: Vec<u32>,
    /// Each chunk's name (a [`NAME_BITS`]-bit number), distinct.
    names: Vec<u32>,
}

/// Bits of a chunk's name: four file-name characters. A name already
/// taken in the site is followed by the next free one.
const NAME_BITS: u32 = 20;
const NAME_CHARS: usize = (NAME_BITS / 5) as usize;

impl Layout {
    /// The chunks of pages with these URLs, in number order, sized by the
    /// grade of this step ([`Grade::step`]; the build cache saves it).
    fn of<'a>(urls: impl ExactSizeIterator<Item = &'a str>, step: usize) -> Layout {
        let grade = Grade::from_step(step);
        let newest = urls.len().saturating_sub(1);
        let mut layout = Layout::default();
        let mut taken = rustc_hash::FxHashSet::default();
        let mut start = true;
        let mut size = 0;
        for (i, url) in urls.enumerate() {
            let h = xxhash_rust::xxh3::xxh3_64(url.as_bytes());
            if start {
                let mut name = (h as u32) & ((1 << NAME_BITS) - 1);
                while !taken.insert(name) {
                    name = (name + 1) & ((1 << NAME_BITS) - 1);
                }
                layout.firsts.push(i as u32);
                layout.names.push(name);
                size = 0;
            }
            size += 1;
            let a = grade.aim(newest - i);
            let min = ((a * 2.0 / 3.0) as usize).max(1);
            let max = (a * 2.0) as usize;
            // The mark from other bits of the hash than the name's: where
            // they fall in [0, 1), read lowest bit first, so that a chance
            // of one in 2ⁿ is the n lowest bits all 0, as the one-in-`g`
            // marks of chunks of one size were (at four pages, on sites of
            // fewer than 2,700, the boundaries are as they were).
            let mark = ((h >> 32) as u32).reverse_bits() as f64 / (1u64 << 32) as f64;
            start = (size >= min && mark < (3.0 / a).min(0.5)) || size >= max;
        }
        layout
    }

    fn len(&self) -> usize {
        self.firsts.len()
    }

    /// The page numbers of chunk `k` of a layout of `docs` pages.
    fn range(&self, k: usize, docs: usize) -> std::ops::Range<usize> {
        let end = self.firsts.get(k + 1).map_or(docs, |&f| f as usize);
        self.firsts[k] as usize..end
    }

    /// Chunk `k`'s name as its file is called.
    fn name(&self, k: usize) -> String {
        let mut s = String::with_capacity(NAME_CHARS);
        for i in (0..NAME_CHARS).rev() {
            s.push(shards::DIGITS[(self.names[k] >> (5 * i)) as usize & 31] as char);
        }
        s
    }

    /// The chunk a file name names, if any.
    fn find(&self, name: &str) -> Option<usize> {
        let v = (name.len() == NAME_CHARS)
            .then(|| u32::from_str_radix(name, 32).ok())
            .flatten()?;
        // Only the lowercase spelling is a file this layout names.
        self.names
            .iter()
            .position(|&n| n == v)
            .filter(|&k| self.name(k) == name)
    }
}

/// A token shard's aimed size. A two-character query loads one shard, a
/// longer one a shard a pair, so this bounds what typing a query costs.
pub const SHARD_TARGET_BYTES: usize = 32 * 1024;
pub const MAX_SHARDS: usize = 4096;

/// What the build reports about the index.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    pub docs: usize,
    pub tokens: usize,
    pub shards: usize,
    pub files: usize,
    pub bytes: u64,
    pub largest_shard: u64,
}

/// The index as files, by root-relative URL.
#[derive(Debug, Default)]
pub struct Index {
    /// Every file ([`build`]), or only those made again and the manifest
    /// ([`changed`], and [`build`] with a cache read back from the build
    /// cache: see [`Index::kept`]).
    pub files: Vec<(String, String)>,
    /// The files this update did not make again and whose contents the
    /// cache does not hold (a cache read back from the build cache keeps
    /// only their hashes): URL and [`file_hash`] of the contents, which
    /// the last build wrote. The output that build wrote holds them; where
    /// it does not, [`Cache::remake`] makes them.
    pub kept: Vec<(String, u64)>,
    /// The URL of every file of the index, made again or not.
    pub urls: Vec<String>,
    pub stats: Stats,
}

/// Page numbers: oldest first (undated pages before all), then by URL.
fn doc_order(site: &Site) -> Vec<usize> {
    let mut order: Vec<usize> = (0..site.pages.len()).collect();
    let date = |p: &SitePage| p.page.meta.date.map(|d| d.ts);
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&site.pages[a], &site.pages[b]);
        date(pa).cmp(&date(pb)).then_with(|| pa.url.cmp(&pb.url))
    });
    order
}

/// The front matter fields indexed with the title's neighbours (level
/// [`META`]); [`fields`] and [`entry_key`] both read them from here.
fn meta_fields(m: &PageMeta) -> impl Iterator<Item = &String> {
    [&m.department, &m.doc_number, &m.policy_number]
        .into_iter()
        .flatten()
}

/// The front matter fields indexed as text (level [`BODY`]).
fn text_fields(m: &PageMeta) -> impl Iterator<Item = &String> {
    [
        &m.summary,
        &m.author,
        &m.issuer,
        &m.source,
        &m.location,
        &m.organizer,
        &m.contact,
    ]
    .into_iter()
    .flatten()
}

/// The text of each field of a page but its body with the level it is
/// indexed at.
fn fields<'a>(site: &'a Site, p: &'a SitePage) -> Vec<(std::borrow::Cow<'a, str>, u8)> {
    use std::borrow::Cow;
    let m = &p.page.meta;
    let mut out: Vec<(Cow<str>, u8)> = vec![(Cow::from(m.title.as_str()), TITLE)];
    for &t in &p.tags {
        out.push((Cow::from(site.tags[t].name.as_str()), META));
    }
    out.push((
        Cow::from(site.sections[p.section].section.title.as_str()),
        META,
    ));
    for meta in meta_fields(m) {
        out.push((Cow::from(meta.as_str()), META));
    }
    if let Some(d) = &m.date {
        let day = d.date();
        out.push((Cow::from(day.to_string()), META));
        out.push((
            Cow::from(i18n::format_date(
                site.config.lang,
                day.year(),
                day.month(),
                day.day(),
            )),
            META,
        ));
    }
    for other in text_fields(m) {
        out.push((Cow::from(other.as_str()), BODY));
    }
    for a in &p.attachments {
        out.push((Cow::from(a.title.as_str()), BODY));
        out.push((Cow::from(a.file.as_str()), BODY));
    }
    out
}

fn doc_file(site: &Site, p: &SitePage, body: &Body) -> serde_json::Value {
    let m = &p.page.meta;
    let c = &site.config;
    let date = m.date.map(|d| {
        let day = d.date();
        (
            i18n::format_date(c.lang, day.year(), day.month(), day.day()),
            day.to_string(),
        )
    });
    let number = m.doc_number.as_deref().or(m.policy_number.as_deref());
    // A page's URL without the `index.html` every one ends with (the
    // script puts it back), and no kind: the script does not show it.
    let url = (p.url.strip_suffix("index.html"))
        .filter(|u| u.ends_with('/'))
        .unwrap_or(&p.url);
    let mut doc = json!({
        "t": m.title,
        "u": url,
        "s": site.sections[p.section].section.title,
        "x": body.excerpt(DOC_TEXT_CHARS),
    });
    let obj = doc.as_object_mut().expect("a map");
    if let Some((display, iso)) = date {
        obj.insert("d".into(), display.into());
        obj.insert("i".into(), iso.into());
    }
    if let Some(n) = number {
        obj.insert("n".into(), n.into());
    }
    if let Some(s) = &m.summary {
        obj.insert("m".into(), s.as_str().into());
    }
    if p.expired {
        obj.insert("e".into(), true.into());
    }
    doc
}

/// One page as the index is updated with it: its URL, a hash of every
/// input its tokens and snippet data are made from, and whether it expired.
struct DocIn<'a> {
    url: &'a str,
    key: u64,
    expired: bool,
}

/// One page of the index as the next build finds it.
struct Doc {
    url: String,
    key: u64,
    expired: bool,
    /// Its snippet data (`search/d/<n>.js` entry), as JSON: bytes, so that
    /// those read back from the build cache are checked for UTF-8 only
    /// when their chunk is made again ([`chunk_script`]).
    json: Vec<u8>,
}

/// The index between builds: its pages, its postings and the files last
/// made of them.
#[derive(Default)]
struct State {
    docs: Vec<Doc>,
    postings: Postings,
    /// The last build's token shards and snippet chunks (scripts), and the
    /// pages a chunk held; `None` before any.
    files: Option<Files>,
    /// Shard and chunk files the last update made rather than kept.
    made: usize,
}

struct Files {
    shards: Vec<IndexFile>,
    chunks: Vec<IndexFile>,
    /// The step of the chunks' [`Grade`], and where they were.
    chunk: usize,
    layout: Layout,
}

/// One token shard or snippet chunk as the last update made it.
#[derive(Default)]
struct IndexFile {
    /// Its contents, held in watch mode; `None` read back from the build
    /// cache or handed to the build ([`Index::files`]).
    body: Option<String>,
    /// Its [`file_hash`], for the manifest's version.
    hash: u64,
    /// Its length in bytes, for [`Stats`].
    len: u64,
}

impl IndexFile {
    fn made(body: String) -> IndexFile {
        IndexFile {
            hash: file_hash(&body),
            len: body.len() as u64,
            body: Some(body),
        }
    }
}

/// The hash of one index file that the manifest's version is made of.
fn file_hash(body: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(body.as_bytes())
}

/// The index from the previous build, which a rebuild updates instead of
/// making it afresh: only pages whose indexed fields changed are
/// tokenized again, only the postings of their old and new tokens change,
/// and only the shards and chunks whose contents changed are written again.
#[derive(Default)]
pub struct Cache {
    state: Option<State>,
    /// Off for one-shot builds: the index is then dropped as soon as its
    /// files are made, which keeps a 10,000-page build's peak memory lower.
    retain: bool,
    /// For the build cache ([`Cache::saving`]): the index is turned into
    /// bytes as soon as its files are made, and dropped.
    save: bool,
    /// Those bytes, until [`Cache::take_saved`].
    saved: Option<Vec<u8>>,
    /// Or where they go at once ([`Cache::saving_to`]).
    sink: Option<Sink>,
}

/// What a [`Cache::saving_to`] cache hands the index's bytes to.
pub type Sink = Box<dyn FnOnce(&[u8]) + Send + Sync>;

impl Cache {
    /// A cache that keeps the index for the next build (watch mode, or a
    /// build whose index is saved with [`Cache::to_bytes`]). For the build
    /// cache: give the session `Cache::from_bytes(saved)` (or, with
    /// nothing saved or `None` back, `Cache::retaining()`), build, then
    /// save `to_bytes()`; a changed `site.yaml` starts a fresh cache, as
    /// `Session::load` does in watch mode.
    pub fn retaining() -> Cache {
        Cache {
            retain: true,
            ..Cache::default()
        }
    }

    /// A cache for a single build whose index is saved for the next
    /// process: the next update keeps the index only long enough to turn
    /// it into bytes ([`Cache::take_saved`]), and does not keep the files
    /// it made, so the build's memory stays as without the build cache.
    /// Starts from whatever this cache holds (e.g. [`Cache::from_bytes`]).
    pub fn saving(self) -> Cache {
        Cache {
            retain: false,
            save: true,
            ..self
        }
    }

    /// [`Cache::saving`], handing the bytes to `sink` as soon as they are
    /// made (once), so that they are not held while the build goes on.
    pub fn saving_to(self, sink: Sink) -> Cache {
        Cache {
            sink: Some(sink),
            ..self.saving()
        }
    }

    /// The bytes of the index the last update made, in a cache made with
    /// [`Cache::saving`] (the same as [`Cache::to_bytes`] would give).
    pub fn take_saved(&mut self) -> Option<Vec<u8>> {
        self.saved.take()
    }

    /// Whether a build left an index here.
    pub fn is_empty(&self) -> bool {
        self.state.is_none()
    }

    /// The contents of the index files at `urls` (as [`Index::kept`] names
    /// them) as the last update made them, for an output that turned out
    /// not to hold them. A URL this cache cannot make is left out.
    pub fn remake(&self, urls: &[String]) -> Vec<(String, String)> {
        let Some((state, files)) = (self.state.as_ref()).and_then(|s| Some((s, s.files.as_ref()?)))
        else {
            return Vec::new();
        };
        let count = files.shards.len();
        let mut wanted = vec![false; count];
        let mut chunks = Vec::new();
        let number = |rest: &str| rest.strip_suffix(".js")?.parse::<usize>().ok();
        let name = |rest: &str| files.layout.find(rest.strip_suffix(".js")?);
        for url in urls {
            let Some(rest) = url.strip_prefix(DIR).and_then(|r| r.strip_prefix('/')) else {
                continue;
            };
            if let Some(i) = rest.strip_prefix("t/").and_then(number)
                && i < count
            {
                wanted[i] = true;
            } else if let Some(k) = rest.strip_prefix("d/").and_then(name)
                && k < files.chunks.len()
            {
                chunks.push(k);
            }
        }
        let mut made: Vec<(String, String)> = Vec::new();
        if wanted.contains(&true) {
            let shards = state.postings.shard_scripts(count, &wanted);
            made.extend(
                (shards.into_iter().enumerate())
                    .filter_map(|(i, s)| Some((format!("{DIR}/t/{i}.js"), s?))),
            );
        }
        made.extend(chunks.into_iter().map(|k| {
            let body = chunk_script(&state.docs, &files.layout, k);
            (format!("{DIR}/d/{}.js", files.layout.name(k)), body)
        }));
        made
    }
}

/// A hash of everything [`PageTokens::of`] and [`doc_file`] read for a
/// page: its fields, and its body by the hash of its text (which is at
/// hand when the body itself is not, see [`Body`]).
/// The fields are hashed where they are, not gathered as [`fields`] does
/// (this runs for every page on every update): a date by its day, which
/// its two spellings are made from (the language is the site's, and a
/// changed `site.yaml` starts a fresh index).
fn entry_key(site: &Site, p: &SitePage, body: &Body) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut field = |text: &str, level: u8| {
        h.update(text.as_bytes());
        h.update(&[0xff, level]);
    };
    let m = &p.page.meta;
    field(&m.title, TITLE);
    for &t in &p.tags {
        field(&site.tags[t].name, META);
    }
    field(&site.sections[p.section].section.title, META);
    for meta in meta_fields(m) {
        field(meta, META);
    }
    for other in text_fields(m) {
        field(other, BODY);
    }
    for a in &p.attachments {
        field(&a.title, BODY);
        field(&a.file, BODY);
    }
    if let Some(d) = &m.date {
        let day = d.date();
        h.update(&[0xfe]);
        h.update(&day.year().to_le_bytes());
        h.update(&[day.month() as u8, day.day() as u8]);
    }
    h.update(&body.text_hash().to_le_bytes());
    (
        p.url.as_str(),
        p.kind.as_str(),
        p.expired,
        &p.page.meta.summary,
    )
        .hash(&mut h);
    h.digest()
}

fn page_tokens(site: &Site, p: &SitePage, body: &Body) -> PageTokens {
    let whole = body.full();
    let mut fields = fields(site, p);
    fields.push((std::borrow::Cow::from(whole.text.as_str()), BODY));
    PageTokens::of(fields.iter().map(|(f, l)| (f.as_ref(), *l)))
}

/// Pages tokenized at once (see [`update`]).
const TOKEN_BATCH: usize = 1024;

/// Builds the index of every page in `site` from the plain text of its
/// rendered body (`bodies[i]` is page `i`'s), updating what `cache` holds
/// from the previous build. Only the pages tokenized again need their
/// whole text (a body from the build cache decodes it then).
pub fn build(site: &Site, bodies: &[std::sync::Arc<Body>], cache: &mut Cache) -> Index {
    made(site, bodies, cache, true)
}

/// [`build`] for the watcher's quick path: [`Index::files`] holds only the
/// files this update made again (and the manifest), not copies of the tens
/// of megabytes it kept; [`Index::urls`] still names every file.
pub fn changed(site: &Site, bodies: &[std::sync::Arc<Body>], cache: &mut Cache) -> Index {
    made(site, bodies, cache, false)
}

/// [`build`], with every file in [`Index::files`] when `all`.
fn made(site: &Site, bodies: &[std::sync::Arc<Body>], cache: &mut Cache, all: bool) -> Index {
    let order = doc_order(site);
    let body = |i: usize| &*bodies[i];
    let docs: Vec<DocIn> = order
        .par_iter()
        .map(|&i| {
            let p = &site.pages[i];
            DocIn {
                url: &p.url,
                key: entry_key(site, p, body(i)),
                expired: p.expired,
            }
        })
        .collect();
    let page = |d: usize| (&site.pages[order[d]], body(order[d]));
    update(
        cache,
        &docs,
        &|d| {
            let (p, body) = page(d);
            page_tokens(site, p, body)
        },
        &|d| {
            let (p, body) = page(d);
            shards::js_json(&doc_file(site, p, body))
        },
        all,
    )
}

/// Brings the index in `cache` to `docs` (in page-number order): pages
/// whose URL and key are unchanged and that keep their order are kept
/// (renumbered if pages before them came or went); the others are made
/// with `tokens` and `json` (called with the page's number). Every file is
/// in [`Index::files`] when `all`, else only those made again.
fn update(
    cache: &mut Cache,
    docs: &[DocIn],
    tokens: &(dyn Fn(usize) -> PageTokens + Sync),
    json: &(dyn Fn(usize) -> String + Sync),
    all: bool,
) -> Index {
    let mut state = cache.state.take().unwrap_or_default();
    let n = docs.len().min(postings::MAX_DOCS);
    let docs = &docs[..n];

    // Which old page each page is, if it is unchanged.
    let kept: Vec<Option<u32>> = {
        let old: FxHashMap<&str, u32> = state
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.url.as_str(), i as u32))
            .collect();
        let mut last: Option<u32> = None;
        docs.iter()
            .map(|d| {
                let o = *old.get(d.url)?;
                let same = state.docs[o as usize].key == d.key && last.is_none_or(|l| o > l);
                same.then(|| {
                    last = Some(o);
                    o
                })
            })
            .collect()
    };
    let mut map = vec![GONE; state.docs.len()];
    for (new, o) in kept.iter().enumerate() {
        if let Some(o) = o {
            map[*o as usize] = new as u32;
        }
    }
    if map.iter().enumerate().any(|(o, &new)| new != o as u32) {
        state.postings.renumber(&map);
    }
    let fresh: Vec<u32> = (0..n as u32)
        .filter(|&d| kept[d as usize].is_none())
        .collect();
    {
        // A batch of pages at a time: a page's tokens take four times the
        // room of its postings, so all of them at once would be the
        // build's peak.
        let mut made: Vec<String> = Vec::with_capacity(fresh.len());
        for batch in fresh.chunks(TOKEN_BATCH) {
            let tokens: Vec<(u32, PageTokens)> =
                batch.par_iter().map(|&d| (d, tokens(d as usize))).collect();
            let added: Vec<(u32, &PageTokens)> = tokens.iter().map(|(d, t)| (*d, t)).collect();
            state.postings.add(&added);
        }
        made.par_extend(fresh.par_iter().map(|&d| json(d as usize)));
        let mut old: Vec<Option<Doc>> = std::mem::take(&mut state.docs)
            .into_iter()
            .map(Some)
            .collect();
        let mut made = made.into_iter();
        state.docs = docs
            .iter()
            .zip(&kept)
            .map(|(d, k)| {
                let json = match k.and_then(|o| old[o as usize].take()) {
                    Some(doc) => doc.json,
                    None => made.next().unwrap_or_default().into_bytes(),
                };
                Doc {
                    url: d.url.to_string(),
                    key: d.key,
                    expired: d.expired,
                    json,
                }
            })
            .collect();
    }
    let old_n = map.len();
    let retain = cache.retain;

    let measured = state.postings.measure();
    let shard_count = measured
        .weight
        .div_ceil(SHARD_TARGET_BYTES)
        .max(1)
        .next_power_of_two()
        .min(MAX_SHARDS);
    let old_files = state.files.take();
    // A retaining cache holds every file's contents: one read back from
    // the build cache makes again those it has only the hash of.
    let held = |f: &IndexFile| !retain || f.body.is_some();
    let reusable = old_files.as_ref().filter(|f| f.shards.len() == shard_count);
    // Taken (and cleared) whether or not the old shards are reused: the
    // next update starts with no token changed.
    let dirty = state.postings.take_dirty_shards(shard_count);
    let wanted = match reusable {
        Some(f) => (dirty.into_iter().zip(&f.shards))
            .map(|(dirty, old)| dirty || !held(old))
            .collect(),
        None => vec![true; shard_count],
    };
    let made = state.postings.write_shards(shard_count, &wanted, retain);

    let chunk = Grade::of(n).step();
    let layout = Layout::of(state.docs.iter().map(|d| d.url.as_str()), chunk);
    let chunk_count = layout.len();
    let reusable_chunks = old_files.as_ref().filter(|f| f.chunk == chunk);
    let old_by_name: FxHashMap<u32, usize> = reusable_chunks.map_or_else(Default::default, |f| {
        (f.layout.names.iter().enumerate())
            .map(|(k, &name)| (name, k))
            .collect()
    });
    // For each chunk, the last build's chunk it is, if that held the same
    // pages (unchanged, in the same order) under the same name: its file
    // is then the same, whatever numbers the pages have now.
    let was: Vec<Option<usize>> = (0..chunk_count)
        .into_par_iter()
        .map(|k| {
            let f = reusable_chunks?;
            let o = *old_by_name.get(&layout.names[k])?;
            let (new, old) = (layout.range(k, n), f.layout.range(o, old_n));
            let same_pages = new.len() == old.len()
                && new
                    .clone()
                    .all(|d| kept[d] == Some((old.start + d - new.start) as u32));
            (same_pages && f.chunks.get(o).is_some_and(held)).then_some(o)
        })
        .collect();
    let made_chunks: Vec<Option<String>> = (was.par_iter().enumerate())
        .map(|(k, was)| was.is_none().then(|| chunk_script(&state.docs, &layout, k)))
        .collect();
    let (mut old_shards, mut old_chunks) = match old_files {
        Some(f) => {
            // The chunks kept, put in their new places.
            let mut old = f.chunks;
            let chunks = (was.iter())
                .map(|o| o.map(|o| std::mem::take(&mut old[o])).unwrap_or_default())
                .collect();
            (f.shards, chunks)
        }
        None => Default::default(),
    };
    state.made = made
        .iter()
        .chain(&made_chunks)
        .filter(|f| f.is_some())
        .count();
    // Each file, and whether it was made again; a kept one is as it was
    // made, with the hash it was made with.
    let mut fresh = Vec::with_capacity(shard_count + chunk_count);
    let mut files_of = |made: Vec<Option<String>>, old: &mut Vec<IndexFile>| -> Vec<IndexFile> {
        (made.into_iter().enumerate())
            .map(|(i, s)| {
                fresh.push(s.is_some());
                match s {
                    Some(s) => IndexFile::made(s),
                    None => std::mem::take(&mut old[i]),
                }
            })
            .collect()
    };
    let mut shard_files = files_of(made, &mut old_shards);
    let mut chunk_files = files_of(made_chunks, &mut old_chunks);

    let urls: Vec<String> = (0..shard_count)
        .map(|i| format!("{DIR}/t/{i}.js"))
        .chain((0..chunk_count).map(|k| format!("{DIR}/d/{}.js", layout.name(k))))
        .collect();
    let largest_shard = shard_files.iter().map(|f| f.len).max().unwrap_or(0);
    let bytes: u64 = (shard_files.iter().chain(&chunk_files))
        .map(|f| f.len)
        .sum();
    // The version: each file's URL and hash (xxh3, not SipHash: this runs
    // on every rebuild, and a kept file is not hashed again).
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (url, f) in urls.iter().zip(shard_files.iter().chain(&chunk_files)) {
        hasher.update(url.as_bytes());
        hasher.update(&[0xff]);
        hasher.update(&f.hash.to_le_bytes());
    }
    let mut files: Vec<(String, String)> = Vec::with_capacity(shard_count + chunk_count + 1);
    let mut kept = Vec::new();
    let each = (urls.iter()).zip(shard_files.iter_mut().chain(chunk_files.iter_mut()));
    for ((url, f), &made) in each.zip(&fresh) {
        if retain && !all && !made {
            continue;
        }
        // Moved, not copied, unless the cache keeps it: the index is tens
        // of megabytes.
        let body = if retain {
            f.body.clone()
        } else {
            f.body.take()
        };
        match body {
            Some(body) => files.push((url.clone(), body)),
            None => kept.push((url.clone(), f.hash)),
        }
    }
    // What the manifest says of the chunks, before the layout is kept.
    let chunk_firsts = shards::encode_ids(&layout.firsts);
    let chunk_names: String = (0..chunk_count).map(|k| layout.name(k)).collect();
    state.files = Some(Files {
        shards: shard_files,
        chunks: chunk_files,
        chunk,
        layout,
    });
    let expired: Vec<u32> = state
        .docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.expired)
        .map(|(id, _)| id as u32)
        .collect();
    let manifest = json!({
        "version": format!("{:016x}", hasher.finish()),
        "docs": n,
        "shards": shard_count,
        "chunks": chunk_firsts,
        "names": chunk_names,
        "expired": shards::encode_ids(&expired),
    });
    let manifest = shards::script("m", 0, &shards::js_json(&manifest));
    let stats = Stats {
        docs: n,
        tokens: measured.live,
        shards: shard_count,
        files: urls.len() + 1,
        bytes: bytes + manifest.len() as u64,
        largest_shard,
    };
    let mut urls = urls;
    urls.push(format!("{DIR}/manifest.js"));
    files.push((format!("{DIR}/manifest.js"), manifest));
    if cache.save {
        let bytes = saved::encode(&state);
        match cache.sink.take() {
            Some(sink) => sink(&bytes),
            None => cache.saved = Some(bytes),
        }
    }
    // Kept for the next update; by a cache that does not retain the
    // index, only to make the files in `kept` for an output that turns
    // out not to hold them ([`Cache::remake`]).
    if retain || !kept.is_empty() {
        cache.state = Some(state);
    }
    Index {
        files,
        kept,
        urls,
        stats,
    }
}

/// `search/d/<name>.js`: the snippet data of the pages of chunk `k`.
fn chunk_script(docs: &[Doc], layout: &Layout, k: usize) -> String {
    let json: Vec<&[u8]> = docs[layout.range(k, docs.len())]
        .iter()
        .map(|d| d.json.as_slice())
        .collect();
    let list = [&b"["[..], &json.join(&b","[..]), b"]"].concat();
    // Each entry was made as a `String`, by this build or by one whose
    // bytes the build cache read back whole (their hash checked), so the
    // lossy conversion changes nothing: it stands in for a check that
    // cannot fail, not for a repair.
    shards::named_script("d", &layout.name(k), &String::from_utf8_lossy(&list))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn the_built_in_search_script_reads_this_index_and_an_older_one_does_not() {
        let script = include_bytes!("../../themes/default/static/search.js");
        assert!(reads_this_index(script));
        let older = String::from_utf8_lossy(script).replace(SCRIPT_FORM, "");
        assert!(!reads_this_index(older.as_bytes()));
    }

    /// A page as the equivalence test makes them.
    #[derive(Clone, Debug)]
    struct TestPage {
        url: String,
        title: String,
        body: String,
        expired: bool,
    }

    fn run_all(cache: &mut Cache, pages: &[TestPage], all: bool) -> Index {
        let docs: Vec<DocIn> = pages
            .iter()
            .map(|p| DocIn {
                url: &p.url,
                key: xxhash_rust::xxh3::xxh3_64(
                    format!("{}\0{}\0{}\0{}", p.url, p.title, p.body, p.expired).as_bytes(),
                ),
                expired: p.expired,
            })
            .collect();
        update(
            cache,
            &docs,
            &|d| {
                PageTokens::of([
                    (pages[d].title.as_str(), TITLE),
                    (pages[d].body.as_str(), BODY),
                ])
            },
            &|d| shards::js_json(&json!({"t": pages[d].title, "u": pages[d].url})),
            all,
        )
    }

    fn run(cache: &mut Cache, pages: &[TestPage]) -> Index {
        run_all(cache, pages, true)
    }

    /// Random test pages from a seeded generator: the same on every run.
    struct Rng(crate::seeded::Seeded);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0.below(n)
        }

        /// Text of `min` to `min + spread` characters.
        fn text(&mut self, min: usize, spread: usize) -> String {
            let chars = min + self.below(spread);
            const WORDS: [&str; 6] = [" PDF ", " 2024 ", " Émile ", " v2 ", " 12号 ", " ab\\\"c "];
            let mut s = String::new();
            for _ in 0..chars {
                match self.below(30) {
                    0 => s.push_str(WORDS[self.below(WORDS.len())]),
                    1 => s.push('，'),
                    2 => s.push('〇'),
                    3 => s.push('𠀀'),
                    _ => s.push(char::from_u32(0x5DE5 + self.below(400) as u32).unwrap_or('工')),
                }
            }
            s
        }

        fn page(&mut self, n: u64) -> TestPage {
            TestPage {
                url: format!("p/{n}/"),
                title: self.text(6, 1),
                body: self.text(20, 300),
                expired: self.below(10) == 0,
            }
        }
    }

    fn assert_same(a: &Index, b: &Index, what: &str) {
        assert_eq!(a.files.len(), b.files.len(), "{what}: file count");
        for (x, y) in a.files.iter().zip(&b.files) {
            assert_eq!(x.0, y.0, "{what}");
            assert!(x.1 == y.1, "{what}: {} differs", x.0);
        }
        assert_eq!(a.stats, b.stats, "{what}: stats");
    }

    /// After random batches of edits, additions, deletions and moves, the
    /// index updated in place (and the one read back from bytes after
    /// every batch) is byte for byte the index made from scratch.
    #[test]
    fn updated_index_equals_a_fresh_one() {
        let mut rng = Rng(crate::seeded::Seeded(0x5EED_1234_ABCD_0001));
        let mut next_url = 0;
        let mut pages: Vec<TestPage> = (0..150)
            .map(|_| {
                next_url += 1;
                rng.page(next_url)
            })
            .collect();
        let mut live = Cache::retaining();
        let mut saved = Cache::retaining();
        let mut saving: Option<Vec<u8>> = None;
        let mut shard_counts = std::collections::BTreeSet::new();
        let mut kept_some = false;
        let mut kept_from_bytes = false;
        for batch in 0..40 {
            // Mostly small batches; now and then many pages come or go,
            // which changes the number of shards.
            let edits = match batch % 10 {
                4 | 9 => 60,
                _ => 1 + rng.below(3),
            };
            for _ in 0..edits {
                let i = rng.below(pages.len());
                let op = match batch % 10 {
                    4 => 5,
                    9 => 4,
                    _ => rng.below(6),
                };
                match op {
                    0 | 1 => pages[i].body = rng.text(20, 300),
                    2 => pages[i].title = rng.text(6, 1),
                    3 => pages[i].expired = !pages[i].expired,
                    4 => {
                        // A new page, or a date changed: a place in the order.
                        next_url += 1;
                        let p = if batch % 10 == 9 || rng.below(2) == 0 {
                            rng.page(next_url)
                        } else {
                            pages.remove(i)
                        };
                        let at = rng.below(pages.len() + 1);
                        pages.insert(at, p);
                    }
                    _ => {
                        if pages.len() > 1 {
                            pages.remove(i);
                        }
                    }
                }
            }
            let fresh = run(&mut Cache::default(), &pages);
            let updated = run(&mut live, &pages);
            assert_same(&updated, &fresh, &format!("batch {batch}, in place"));
            let made = live.state.as_ref().map_or(0, |s| s.made);
            kept_some |= edits < 4 && made < updated.files.len() - 1;
            let mut reread = saved.to_bytes().map_or_else(Cache::retaining, |b| {
                Cache::from_bytes(&b).expect("reads back")
            });
            let from_bytes = run(&mut reread, &pages);
            assert_same(&from_bytes, &fresh, &format!("batch {batch}, read back"));
            saved = reread;
            // As `unionpress build` keeps it: bytes made as the files are,
            // the index itself dropped.
            let once = match saving.take() {
                Some(b) => Cache::from_bytes(&b).expect("reads back"),
                None => Cache::default(),
            };
            // Handed over from inside the update, or kept until taken.
            let sent = std::sync::Arc::new(std::sync::Mutex::new(None));
            let mut once = if batch % 2 == 0 {
                once.saving()
            } else {
                let sent = sent.clone();
                once.saving_to(Box::new(move |b| *sent.lock().unwrap() = Some(b.to_vec())))
            };
            let mut from_saved = run(&mut once, &pages);
            // The files it did not make again are the last build's, which
            // it names with their hashes and makes on request.
            let kept: Vec<String> = from_saved.kept.iter().map(|(u, _)| u.clone()).collect();
            let remade = once.remake(&kept);
            assert_eq!(remade.len(), kept.len(), "batch {batch}: all remade");
            for ((url, hash), (remade_url, body)) in from_saved.kept.iter().zip(&remade) {
                assert_eq!(url, remade_url);
                assert_eq!(*hash, file_hash(body), "batch {batch}: {url}");
            }
            kept_from_bytes |= !kept.is_empty();
            from_saved.files.extend(remade);
            let order: HashMap<&str, usize> = (fresh.files.iter().enumerate())
                .map(|(i, (u, _))| (u.as_str(), i))
                .collect();
            from_saved
                .files
                .sort_by_key(|(u, _)| order.get(u.as_str()).copied());
            assert_same(&from_saved, &fresh, &format!("batch {batch}, saving"));
            assert_eq!(
                once.is_empty(),
                kept.is_empty(),
                "batch {batch}: the index was dropped unless files were kept"
            );
            saving = once.take_saved().or_else(|| sent.lock().unwrap().take());
            assert_eq!(saving, saved.to_bytes(), "batch {batch}: saved bytes");
            shard_counts.insert(fresh.stats.shards);
        }
        assert!(
            shard_counts.len() >= 2,
            "the shard count changed: {shard_counts:?}"
        );
        assert!(kept_some, "a small edit kept some files as they were");
        assert!(kept_from_bytes, "a build from the build cache kept some");
    }

    /// A one-page edit makes only the shards its tokens are in and its chunk.
    #[test]
    fn an_edit_makes_only_what_changed() {
        let mut rng = Rng(crate::seeded::Seeded(42));
        let mut pages: Vec<TestPage> = (0..400).map(|n| rng.page(n)).collect();
        let mut cache = Cache::retaining();
        let first = run(&mut cache, &pages);
        assert!(first.stats.shards >= 4, "{:?}", first.stats);
        let made = |c: &Cache| c.state.as_ref().map_or(0, |s| s.made);
        assert_eq!(made(&cache), first.files.len() - 1);
        run(&mut cache, &pages);
        assert_eq!(made(&cache), 0, "nothing changed, nothing made");
        // An editor adds a word: 工, 会, 工会 and the pair before it change.
        pages[7].body.push_str("工会");
        let after = run(&mut cache, &pages);
        assert!((2..=5).contains(&made(&cache)), "{}", made(&cache));
        let fresh = run(&mut Cache::default(), &pages);
        assert_same(&after, &fresh, "edit");
        // For the quick path: only those files (and the manifest), the
        // same as the whole index has them; every URL still named.
        pages[7].body.push_str("职工之家");
        let quick = run_all(&mut cache, &pages, false);
        let fresh = run(&mut Cache::default(), &pages);
        assert_eq!(quick.files.len(), made(&cache) + 1);
        assert!((2..fresh.files.len() / 2).contains(&quick.files.len()));
        for (url, body) in &quick.files {
            assert!(fresh.files.contains(&(url.clone(), body.clone())), "{url}");
        }
        let urls: Vec<&String> = fresh.files.iter().map(|(u, _)| u).collect();
        assert_eq!(quick.urls.iter().collect::<Vec<_>>(), urls);
        assert_eq!(quick.stats, fresh.stats);
    }

    /// A page coming or going near the start, or a new page published,
    /// remakes its own chunk (and seldom a neighbour), not every chunk
    /// after it; the chunks keep their sizes and distinct names.
    #[test]
    fn a_page_coming_or_going_remakes_only_the_chunks_near_it() {
        let mut rng = Rng(crate::seeded::Seeded(99));
        let mut pages: Vec<TestPage> = (0..3000).map(|n| rng.page(n)).collect();
        let mut cache = Cache::retaining();
        let first = run(&mut cache, &pages);
        let chunks = |index: &Index| {
            (index.files.iter())
                .filter(|(u, _)| u.starts_with("search/d/"))
                .count()
        };
        let all = chunks(&first);
        let grade = Grade::of(3000);
        let layout = Layout::of(pages.iter().map(|p| p.url.as_str()), grade.step());
        assert_eq!(layout.len(), all);
        let names: std::collections::HashSet<u32> = layout.names.iter().copied().collect();
        assert_eq!(names.len(), all, "distinct names");
        for k in 0..all {
            let range = layout.range(k, 3000);
            let most = 2.0 * grade.aim(3000 - 1 - range.start);
            assert!(range.len() as f64 <= most, "chunk {k}: {range:?}");
            assert_eq!(layout.find(&layout.name(k)), Some(k));
        }
        for at in [3, 40, 700, 2990] {
            let gone = pages.remove(at);
            let quick = run_all(&mut cache, &pages, false);
            // A few, where fixed ranges remade every chunk after `at`.
            assert!(chunks(&quick) <= 4, "{} of {all} remade", chunks(&quick));
            assert_same(
                &run(&mut cache, &pages),
                &run(&mut Cache::default(), &pages),
                "gone",
            );
            pages.insert(at, gone);
            let quick = run_all(&mut cache, &pages, false);
            // A few, where fixed ranges remade every chunk after `at`.
            assert!(chunks(&quick) <= 4, "{} of {all} remade", chunks(&quick));
        }
        // Each page published makes every older page's rank one more,
        // and moves a boundary seldom.
        let mut remade = 0;
        for n in 0..20 {
            pages.push(rng.page(10_000 + n));
            assert_eq!(Grade::of(pages.len()), grade);
            remade += chunks(&run_all(&mut cache, &pages, false));
        }
        assert!(remade <= 20 * 3, "{remade} chunks remade for 20 new pages");
        assert_same(
            &run(&mut cache, &pages),
            &run(&mut Cache::default(), &pages),
            "published",
        );
    }

    /// Chunks are small where the pages are new and results mostly are,
    /// larger further back, and about [`DOC_FILES_MAX`] in all.
    #[test]
    fn chunks_grow_with_age_and_keep_to_the_number_of_files() {
        for docs in [100, 2_000, 10_000, 40_000] {
            let urls: Vec<String> = (0..docs).map(|n| format!("notices/{n}/")).collect();
            let grade = Grade::of(docs);
            let layout = Layout::of(urls.iter().map(String::as_str), grade.step());
            let count = layout.len();
            // About the estimate, and never far over the aim.
            let estimate = grade.files(docs);
            assert!(
                (count as f64 - estimate).abs() < estimate * 0.1 + 5.0,
                "{docs} pages: {count} chunks, estimated {estimate}"
            );
            assert!(count <= DOC_FILES_MAX * 11 / 10, "{docs} pages: {count}");
            let size = |k: usize| layout.range(k, docs).len();
            let mean = |ks: std::ops::Range<usize>| {
                let n = ks.len() as f64;
                ks.map(size).sum::<usize>() as f64 / n
            };
            let newest = mean(count.saturating_sub(30)..count);
            assert!(newest <= DOC_CHUNK_MIN as f64, "{docs}: newest {newest}");
            if docs > 3 * DOC_FILES_MAX {
                let oldest = mean(0..30);
                assert!(oldest > 2.0 * newest, "{docs}: {oldest} vs {newest}");
            } else {
                // A small site: every chunk as small as chunks get.
                assert!(mean(0..count) <= DOC_CHUNK_MIN as f64, "{docs}");
            }
        }
    }

    #[test]
    fn damaged_bytes_are_refused_not_read() {
        let mut rng = Rng(crate::seeded::Seeded(7));
        let pages: Vec<TestPage> = (0..20).map(|n| rng.page(n)).collect();
        let mut cache = Cache::retaining();
        run(&mut cache, &pages);
        let bytes = cache.to_bytes().expect("an index");
        assert!(Cache::from_bytes(&bytes).is_some());
        for cut in [0, 5, saved::MAGIC.len(), bytes.len() / 2, bytes.len() - 1] {
            assert!(Cache::from_bytes(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        for i in (0..bytes.len()).step_by(97) {
            let mut b = bytes.clone();
            b[i] ^= 0x41;
            assert!(Cache::from_bytes(&b).is_none(), "byte {i} flipped");
        }
        assert!(Cache::default().to_bytes().is_none());
    }
}
