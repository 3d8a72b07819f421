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
//! This module reads the site index and the rendered text; it writes
//! nothing itself. The build hands the files to the output like any other.

pub mod shards;
pub mod tokenize;

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::json;

use crate::i18n;
use crate::render::markdown::Rendered;
use crate::site::{Site, SitePage};

/// Field levels stored with each posting; higher ranks first.
pub const BODY: u8 = 0;
pub const META: u8 = 1;
pub const TITLE: u8 = 2;

/// Where the index goes in the output.
pub const DIR: &str = "search";

/// Characters of a page's text kept for snippets: the opening of a
/// notice, where its point is; a match further in shows the opening
/// instead. Short, because a results page loads up to ten chunks of pages
/// ([`doc_chunk`]): at 160 characters a two-character query on a
/// 10,000-page site stays near 150 KB with the page, style sheet and
/// scripts, and the index under 40 % of the Markdown (at 2,000 characters
/// it was 108 %).
pub const DOC_TEXT_CHARS: usize = 160;

/// Pages' snippet data are packed this many to a file at least…
pub const DOC_CHUNK_MIN: usize = 4;
/// …and more when needed to keep the number of files at most this.
pub const DOC_FILES_MAX: usize = 900;

/// How many pages' snippet data one `search/d/<n>.js` holds.
pub fn doc_chunk(docs: usize) -> usize {
    docs.div_ceil(DOC_FILES_MAX).max(DOC_CHUNK_MIN)
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
    pub files: Vec<(String, String)>,
    pub stats: Stats,
}

/// The Fx hash (from rustc): the index's maps hold millions of short
/// tokens from the site's own files, where SipHash's defence against
/// crafted keys costs more than it protects.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(n as u64);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

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

/// The text of each field of a page with the level it is indexed at.
fn fields<'a>(
    site: &'a Site,
    p: &'a SitePage,
    text: &'a str,
) -> Vec<(std::borrow::Cow<'a, str>, u8)> {
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
    for meta in [&m.department, &m.doc_number, &m.policy_number]
        .into_iter()
        .flatten()
    {
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
    for other in [
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
    {
        out.push((Cow::from(other.as_str()), BODY));
    }
    for a in &p.attachments {
        out.push((Cow::from(a.title.as_str()), BODY));
        out.push((Cow::from(a.file.as_str()), BODY));
    }
    out.push((Cow::from(text), BODY));
    out
}

/// A page's distinct tokens with their best level: CJK ones packed, the
/// level in [`LEVEL_MASK`] (sorted by partition, then key), words as text.
#[derive(Default)]
struct PageTokens {
    cjk: Vec<u64>,
    words: Vec<(String, u8)>,
}

/// Tokens are merged in this many groups at once.
const PARTITION_BITS: u32 = 6;

/// A CJK token's level is kept in bits its packed key never uses (a key is
/// the pair flag, bit 63, and two 21-bit code points): eight bytes a token
/// instead of sixteen, and every page's tokens are alive during the merge,
/// the peak of a build's memory (64 of 411 MiB at 10,000 pages).
const LEVEL_SHIFT: u32 = 42;
const LEVEL_MASK: u64 = 3 << LEVEL_SHIFT;

fn partition(key: u64) -> u64 {
    key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - PARTITION_BITS)
}

fn page_tokens(site: &Site, p: &SitePage, text: &str) -> PageTokens {
    let mut cjk: FxMap<u64, u8> = FxMap::default();
    let mut words: FxMap<String, u8> = FxMap::default();
    for (field, level) in fields(site, p, text) {
        tokenize::index_keys(&field, |t| match t {
            tokenize::Token::Cjk(key) => {
                let l = cjk.entry(key).or_insert(level);
                *l = (*l).max(level);
            }
            tokenize::Token::Word(w) => match words.get_mut(w) {
                Some(l) => *l = (*l).max(level),
                None => {
                    words.insert(w.to_string(), level);
                }
            },
        });
    }
    let mut cjk: Vec<u64> = cjk
        .into_iter()
        .map(|(k, l)| k | (l as u64) << LEVEL_SHIFT)
        .collect();
    cjk.sort_unstable_by_key(|&t| (partition(t & !LEVEL_MASK), t & !LEVEL_MASK));
    PageTokens {
        cjk,
        words: words.into_iter().collect(),
    }
}

/// Every token with its shard hash and encoded postings, built in parallel.
fn postings(per_doc: &[&PageTokens]) -> Vec<(u32, String, String)> {
    let entry = |token: String, list: &[(u32, u8)]| {
        (tokenize::hash(&token), token, shards::encode_postings(list))
    };
    let (mut out, words) = rayon::join(
        || {
            (0..1u64 << PARTITION_BITS)
                .into_par_iter()
                .flat_map_iter(|part| {
                    let mut map: FxMap<u64, Vec<(u32, u8)>> = FxMap::default();
                    for (doc, tokens) in per_doc.iter().enumerate() {
                        let start = tokens
                            .cjk
                            .partition_point(|t| partition(t & !LEVEL_MASK) < part);
                        for (key, level) in tokens.cjk[start..]
                            .iter()
                            .map(|&t| (t & !LEVEL_MASK, ((t & LEVEL_MASK) >> LEVEL_SHIFT) as u8))
                            .take_while(|t| partition(t.0) == part)
                        {
                            map.entry(key).or_default().push((doc as u32, level));
                        }
                    }
                    map.into_iter()
                        .map(|(key, list)| entry(tokenize::unpack(key), &list))
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        },
        || {
            let mut map: FxMap<&str, Vec<(u32, u8)>> = FxMap::default();
            for (doc, tokens) in per_doc.iter().enumerate() {
                for (w, level) in &tokens.words {
                    map.entry(w.as_str())
                        .or_default()
                        .push((doc as u32, *level));
                }
            }
            map.into_iter()
                .map(|(w, list)| entry(w.to_string(), &list))
                .collect::<Vec<_>>()
        },
    );
    out.extend(words);
    out
}

fn doc_file(site: &Site, p: &SitePage, text: &str) -> serde_json::Value {
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
    let mut doc = json!({
        "t": m.title,
        "u": p.url,
        "s": site.sections[p.section].section.title,
        "k": p.kind.as_str(),
        "x": crate::render::context::excerpt(text, DOC_TEXT_CHARS),
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

/// What one page contributes to the index, kept between builds in watch
/// mode: its tokens and its snippet data, with a hash of every input they
/// were made from.
#[derive(Clone)]
struct PageEntry {
    key: u64,
    tokens: Arc<PageTokens>,
    doc: Arc<String>,
}

/// Per-page index data from the previous build, by page URL. A rebuild
/// tokenizes only pages whose indexed fields changed.
#[derive(Default)]
pub struct Cache {
    pages: HashMap<String, PageEntry>,
    /// Off for one-shot builds: tokens are then dropped as soon as they are
    /// merged, which keeps a 10,000-page build's peak memory lower.
    retain: bool,
}

impl Cache {
    pub fn retaining() -> Cache {
        Cache {
            pages: HashMap::new(),
            retain: true,
        }
    }
}

/// A hash of everything [`page_tokens`] and [`doc_file`] read for a page.
fn entry_key(site: &Site, p: &SitePage, text: &str) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for (field, level) in fields(site, p, text) {
        h.update(field.as_bytes());
        h.update(&[0xff, level]);
    }
    (
        p.url.as_str(),
        p.kind.as_str(),
        p.expired,
        &p.page.meta.summary,
    )
        .hash(&mut h);
    h.digest()
}

fn page_entry(site: &Site, p: &SitePage, text: &str, cache: &Cache) -> PageEntry {
    let key = entry_key(site, p, text);
    if let Some(e) = cache.pages.get(&p.url).filter(|e| e.key == key) {
        return e.clone();
    }
    PageEntry {
        key,
        tokens: Arc::new(page_tokens(site, p, text)),
        doc: Arc::new(shards::js_json(&doc_file(site, p, text))),
    }
}

/// Builds the index of every page in `site` from the plain text of its
/// rendered body (`texts[i]` is page `i`'s), reusing and refreshing `cache`.
pub fn build<R: Borrow<Rendered> + Sync>(site: &Site, texts: &[R], cache: &mut Cache) -> Index {
    let order = doc_order(site);
    let entries: Vec<PageEntry> = order
        .par_iter()
        .map(|&i| page_entry(site, &site.pages[i], &texts[i].borrow().text, cache))
        .collect();
    if cache.retain {
        cache.pages = order
            .iter()
            .zip(&entries)
            .map(|(&i, e)| (site.pages[i].url.clone(), e.clone()))
            .collect();
    }
    let per_doc: Vec<&PageTokens> = entries.iter().map(|e| &*e.tokens).collect();
    let mut tokens = postings(&per_doc);
    drop(per_doc);
    // Tokens are merged; unless the cache keeps them, free them now.
    let entries: Vec<Arc<String>> = entries.into_iter().map(|e| e.doc).collect();

    let total: usize = tokens.iter().map(|(_, t, p)| t.len() + p.len() + 6).sum();
    let shard_count = total
        .div_ceil(SHARD_TARGET_BYTES)
        .max(1)
        .next_power_of_two()
        .min(MAX_SHARDS);
    let mask = shard_count as u32 - 1;
    tokens.sort_unstable_by(|a, b| (a.0 & mask, &a.1).cmp(&(b.0 & mask, &b.1)));

    let mut files: Vec<(String, String)> = Vec::with_capacity(shard_count + order.len() + 1);
    let mut start = 0;
    for shard in 0..shard_count as u32 {
        let end = start + tokens[start..].partition_point(|t| t.0 & mask == shard);
        let entries: Vec<(&str, &str)> = tokens[start..end]
            .iter()
            .map(|(_, t, p)| (t.as_str(), p.as_str()))
            .collect();
        let body = shards::shard_object(&entries);
        files.push((
            format!("{DIR}/t/{shard}.js"),
            shards::script("t", shard as usize, &body),
        ));
        start = end;
    }
    let chunk = doc_chunk(entries.len());
    let docs: Vec<(String, String)> = entries
        .par_chunks(chunk)
        .enumerate()
        .map(|(n, docs)| {
            let docs: Vec<&str> = docs.iter().map(|d| d.as_str()).collect();
            (
                format!("{DIR}/d/{n}.js"),
                shards::script("d", n, &format!("[{}]", docs.join(","))),
            )
        })
        .collect();
    files.extend(docs);

    let largest_shard = files[..shard_count]
        .iter()
        .map(|(_, s)| s.len() as u64)
        .max()
        .unwrap_or(0);
    // xxh3, not SipHash: this runs over every index file on every rebuild.
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (url, body) in &files {
        url.hash(&mut hasher);
        body.hash(&mut hasher);
    }
    let expired: Vec<u32> = order
        .iter()
        .enumerate()
        .filter(|(_, i)| site.pages[**i].expired)
        .map(|(id, _)| id as u32)
        .collect();
    let manifest = json!({
        "version": format!("{:016x}", hasher.finish()),
        "docs": order.len(),
        "shards": shard_count,
        "chunk": chunk,
        "expired": shards::encode_ids(&expired),
    });
    files.push((
        format!("{DIR}/manifest.js"),
        shards::script("m", 0, &shards::js_json(&manifest)),
    ));
    let stats = Stats {
        docs: order.len(),
        tokens: tokens.len(),
        shards: shard_count,
        files: files.len(),
        bytes: files.iter().map(|(_, s)| s.len() as u64).sum(),
        largest_shard,
    };
    Index { files, stats }
}
