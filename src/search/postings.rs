//! The postings: for every token, the pages that hold it and the best
//! field it occurs in there, kept between builds so that an edit updates
//! only the tokens of the pages it touched, and written out as the token
//! shards (`search/t/<n>.js`, see [`super::shards`]).
//!
//! Tokens are spread over [`PARTS`] independent parts by a hash of their
//! key, so that merging pages, renumbering them and measuring the lists all
//! run on every core without locks. A CJK token is its packed key
//! ([`tokenize::Token::Cjk`]), so the millions of postings of a large site
//! need no string; a word is stored once per site. A posting is one `u32`,
//! `page << 2 | level`, and each token's list is sorted by page.
//!
//! Every token whose list changed since the last [`Postings::clear_dirty`]
//! (or [`Postings::take_dirty_shards`], which clears as it reads) is
//! marked, which tells the build which shards to write again.
//!
//! A list read back from the build cache keeps the bytes it was read from
//! ([`Postings::saved_bytes`]) until it changes: saving the index again
//! copies them rather than encoding millions of postings that an edit
//! left as they were.

use std::cmp::Ordering;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::shards;
use super::tokenize::{self, Token};

/// `page << 2 | level`.
pub type Posting = u32;

/// A page id no longer in the index (in a renumbering map).
pub const GONE: u32 = u32::MAX;

/// The most pages the index can number (ids take 30 bits of a posting).
pub const MAX_DOCS: usize = 1 << 30;

pub fn posting(doc: u32, level: u8) -> Posting {
    doc << 2 | level as u32
}

pub fn doc_of(p: Posting) -> u32 {
    p >> 2
}

pub fn level_of(p: Posting) -> u8 {
    (p & 3) as u8
}

/// 256 parts: each holds a few thousand tokens of a 10,000-page site, so
/// its map and lists stay in the core's cache while pages are merged.
const PART_BITS: u32 = 8;
/// Independent groups of tokens, merged in parallel.
pub const PARTS: usize = 1 << PART_BITS;

fn cjk_part(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - PART_BITS)) as usize
}

fn word_part(hash: u32) -> usize {
    (hash >> (32 - PART_BITS)) as usize
}

/// Marks a packed pair (as [`tokenize`] packs them).
const PAIR: u64 = 1 << 63;

/// The characters of a packed CJK token.
fn cjk_chars(key: u64) -> (char, Option<char>) {
    let ch = |v: u64| char::from_u32((v & 0x1F_FFFF) as u32).unwrap_or('\u{FFFD}');
    if key & PAIR != 0 {
        (ch(key >> 21), Some(ch(key)))
    } else {
        (ch(key), None)
    }
}

/// A token's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Cjk(u64),
    Word(Box<str>),
}

impl Text {
    fn len(&self) -> usize {
        match self {
            Text::Cjk(key) => {
                let (a, b) = cjk_chars(*key);
                a.len_utf8() + b.map_or(0, char::len_utf8)
            }
            Text::Word(w) => w.len(),
        }
    }

    /// The hash `search.js` computes of the token's text.
    fn hash(&self) -> u32 {
        match self {
            Text::Cjk(key) => {
                let (a, b) = cjk_chars(*key);
                let mut buf = [0u8; 8];
                let n = a.encode_utf8(&mut buf).len();
                let m = b.map_or(0, |b| b.encode_utf8(&mut buf[n..]).len());
                tokenize::hash(std::str::from_utf8(&buf[..n + m]).unwrap_or_default())
            }
            Text::Word(w) => tokenize::hash(w),
        }
    }

    /// The order of tokens in a shard: their texts' byte order. Every word
    /// starts below U+0530 and every CJK token at U+3007 or above, so words
    /// come first; UTF-8 keeps code point order, and a lone character
    /// sorts before the pairs it starts.
    fn cmp(&self, other: &Text) -> Ordering {
        let cjk_order = |key: u64| {
            let (a, b) = cjk_chars(key);
            (a as u64) << 21 | b.map_or(0, |b| b as u64)
        };
        match (self, other) {
            (Text::Word(a), Text::Word(b)) => a.cmp(b),
            (Text::Word(_), Text::Cjk(_)) => Ordering::Less,
            (Text::Cjk(_), Text::Word(_)) => Ordering::Greater,
            (Text::Cjk(a), Text::Cjk(b)) => cjk_order(*a).cmp(&cjk_order(*b)),
        }
    }

    /// Appends the text as a JSON string.
    fn push_json(&self, out: &mut String) {
        match self {
            Text::Cjk(key) => {
                let (a, b) = cjk_chars(*key);
                out.push('"');
                out.push(a);
                if let Some(b) = b {
                    out.push(b);
                }
                out.push('"');
            }
            Text::Word(w) => {
                if w.chars().any(|c| c == '"' || c == '\\' || c < ' ') {
                    out.push_str(&serde_json::Value::from(&**w).to_string());
                } else {
                    out.push('"');
                    out.push_str(w);
                    out.push('"');
                }
            }
        }
    }
}

/// What [`Postings::measure`] found.
#[derive(Default, Clone, Copy)]
pub struct Measured {
    /// The index's total weight (each token's text, list and
    /// punctuation), which the shard count is worked out from.
    pub weight: usize,
    /// Tokens that hold at least one page.
    pub live: usize,
}

/// One token and the pages that hold it.
#[derive(Debug)]
pub struct Tok {
    pub text: Text,
    hash: u32,
    pub list: Vec<Posting>,
    /// Characters of the list as one number a posting, as of the last
    /// [`Postings::measure`]: the shard count is worked out from it (a
    /// dense list is written shorter, see [`shards::put_postings`]), and
    /// it changes only where the list does, so an edit keeps it up to date
    /// without encoding the list again.
    enc_len: u32,
    /// A hash of the list as it was before it was first touched since the
    /// last [`Postings::clear_dirty`]: a page edited in place leaves most of
    /// its tokens' lists as they were, and their shards need not change.
    touched: Option<u64>,
    /// Changed since the last [`Postings::clear_dirty`] (set by
    /// [`Postings::measure`]).
    dirty: bool,
    /// `enc_len` is the list's: kept up to date where a list changes in
    /// a few places ([`Postings::renumber`], [`Part::add`]), so that
    /// [`Postings::measure`] need not encode the whole list again; false
    /// for a list read back from the build cache.
    measured: bool,
    /// Where in [`Postings::saved`] the bytes the list was read back from
    /// are; `None` once it was found changed (or when it was not read
    /// back).
    saved: Option<(u32, u32)>,
}

fn list_hash(list: &[Posting]) -> u64 {
    // The same bytes as one update a posting, fed 64 at a time: a
    // renumbering hashes every list of the index.
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut bytes = [0u8; 256];
    for chunk in list.chunks(64) {
        for (b, p) in bytes.chunks_exact_mut(4).zip(chunk) {
            b.copy_from_slice(&p.to_le_bytes());
        }
        h.update(&bytes[..chunk.len() * 4]);
    }
    h.digest()
}

impl Tok {
    fn new(text: Text) -> Tok {
        Tok {
            hash: text.hash(),
            text,
            list: Vec::new(),
            enc_len: 0,
            touched: Some(list_hash(&[])),
            dirty: false,
            measured: true,
            saved: None,
        }
    }

    fn touch(&mut self) {
        if self.touched.is_none() {
            self.touched = Some(list_hash(&self.list));
        }
    }

    /// What the token adds to the index's size (as the shard count is
    /// worked out from it).
    fn weight(&self) -> usize {
        if self.list.is_empty() {
            0
        } else {
            self.text.len() + self.enc_len as usize + 6
        }
    }
}

#[derive(Default)]
struct Part {
    cjk: FxHashMap<u64, u32>,
    words: FxHashMap<Box<str>, u32>,
    /// Tokens whose list became empty stay, empty, until they come back.
    tokens: Vec<Tok>,
}

impl Part {
    fn id(&mut self, text: Token) -> usize {
        let tokens = &mut self.tokens;
        let mut fresh = |text: Text| {
            tokens.push(Tok::new(text));
            tokens.len() as u32 - 1
        };
        let id = match text {
            Token::Cjk(key) => *self.cjk.entry(key).or_insert_with(|| fresh(Text::Cjk(key))),
            Token::Word(w) => match self.words.get(w) {
                Some(&id) => id,
                None => {
                    let id = fresh(Text::Word(w.into()));
                    self.words.insert(w.into(), id);
                    id
                }
            },
        };
        id as usize
    }

    fn add(&mut self, token: Token, doc: u32, level: u8) {
        let id = self.id(token);
        let tok = &mut self.tokens[id];
        // A list known to have changed (renumbered) need not be hashed.
        if !tok.dirty {
            tok.touch();
        }
        let p = posting(doc, level);
        // Where the list changes: the postings whose encoding changes
        // (the one put in or raised, and the one after it).
        let (at, before, after) = match tok.list.last() {
            Some(&last) if doc_of(last) >= doc => {
                match tok.list.binary_search_by_key(&doc, |&q| doc_of(q)) {
                    Ok(i) => {
                        let before = span_len(&tok.list, i, i + 1);
                        tok.list[i] = tok.list[i].max(p);
                        (i, before, i + 1)
                    }
                    Err(i) => {
                        let before = span_len(&tok.list, i, i + 1);
                        tok.list.insert(i, p);
                        (i, before, i + 2)
                    }
                }
            }
            _ => {
                tok.list.push(p);
                (tok.list.len() - 1, 0, tok.list.len())
            }
        };
        if tok.measured {
            let after = span_len(&tok.list, at, after);
            tok.enc_len = (tok.enc_len as usize - before + after) as u32;
        }
    }
}

/// One page's distinct tokens with their best level, grouped by part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageTokens {
    /// CJK keys, sorted by part, then key.
    cjk: Vec<(u64, u8)>,
    /// Where each part's keys start in `cjk` (and the end).
    cjk_starts: Vec<u32>,
    /// Words as ranges of `text`, sorted by part, then word.
    words: Vec<(u8, u32, u32, u8)>,
    text: String,
}

/// A page's CJK tokens in part order, each part's by key, and where each
/// part starts (`PARTS + 1` offsets). Placed by part first, then each
/// part's handful sorted: one sort of the whole page, comparing parts
/// computed again at each step, was 1.7 % of a 10,000-page build.
fn by_part(tokens: FxHashMap<u64, u8>) -> (Vec<(u64, u8)>, Vec<u32>) {
    let mut starts = vec![0u32; PARTS + 1];
    for &key in tokens.keys() {
        starts[cjk_part(key) + 1] += 1;
    }
    for part in 0..PARTS {
        starts[part + 1] += starts[part];
    }
    let mut next = starts.clone();
    let mut placed = vec![(0u64, 0u8); tokens.len()];
    for (key, level) in tokens {
        let at = &mut next[cjk_part(key)];
        placed[*at as usize] = (key, level);
        *at += 1;
    }
    for part in 0..PARTS {
        placed[starts[part] as usize..starts[part + 1] as usize].sort_unstable_by_key(|&(k, _)| k);
    }
    (placed, starts)
}

impl PageTokens {
    /// The tokens of fields indexed at the given levels; a token found in
    /// several fields keeps the highest.
    pub fn of<'a>(fields: impl IntoIterator<Item = (&'a str, u8)>) -> PageTokens {
        let fields: Vec<(&str, u8)> = fields.into_iter().collect();
        // Room for the distinct tokens of a Chinese text, about one for
        // every character (three bytes), so the map is not grown again and
        // again.
        let bytes: usize = fields.iter().map(|(f, _)| f.len()).sum();
        let mut cjk: FxHashMap<u64, u8> =
            FxHashMap::with_capacity_and_hasher((bytes / 3).min(1 << 16), Default::default());
        let mut text = String::new();
        let mut words: Vec<(u8, u32, u32, u8)> = Vec::new();
        for (field, level) in fields {
            tokenize::index_keys(field, |t| match t {
                Token::Cjk(key) => {
                    let l = cjk.entry(key).or_insert(level);
                    *l = (*l).max(level);
                }
                Token::Word(w) => {
                    let start = text.len() as u32;
                    text.push_str(w);
                    let part = word_part(tokenize::hash(w)) as u8;
                    words.push((part, start, text.len() as u32, level));
                }
            });
        }
        let word = |&(_, s, e, _): &(u8, u32, u32, u8)| &text[s as usize..e as usize];
        words.sort_unstable_by(|a, b| (a.0, word(a), b.3).cmp(&(b.0, word(b), a.3)));
        // The highest level of each word sorts first.
        words.dedup_by(|b, a| a.0 == b.0 && word(a) == word(b));
        let (cjk, cjk_starts) = by_part(cjk);
        PageTokens {
            cjk,
            cjk_starts,
            words,
            text,
        }
    }

    fn each_in(&self, part: usize, mut f: impl FnMut(Token, u8)) {
        let range = self.cjk_starts[part] as usize..self.cjk_starts[part + 1] as usize;
        for &(key, level) in &self.cjk[range] {
            f(Token::Cjk(key), level);
        }
        let start = self.words.partition_point(|w| (w.0 as usize) < part);
        for &(_, s, e, level) in self.words[start..]
            .iter()
            .take_while(|w| w.0 as usize == part)
        {
            f(Token::Word(&self.text[s as usize..e as usize]), level);
        }
    }
}

/// Every token with its list.
pub struct Postings {
    parts: Vec<Part>,
    /// The bytes the lists read back from the build cache were read from,
    /// one after another ([`Tok::saved`]).
    saved: Vec<u8>,
}

impl Default for Postings {
    fn default() -> Self {
        Postings {
            parts: (0..PARTS).map(|_| Part::default()).collect(),
            saved: Vec::new(),
        }
    }
}

impl Postings {
    /// Adds pages' tokens; `docs` in rising page order, none of them in the
    /// index already.
    pub fn add(&mut self, docs: &[(u32, &PageTokens)]) {
        self.parts.par_iter_mut().enumerate().for_each(|(n, part)| {
            for &(doc, tokens) in docs {
                tokens.each_in(n, |t, level| part.add(t, doc, level));
            }
        });
    }

    /// Adds one token's whole list (sorted by page), as read back from a
    /// saved index from `bytes` (kept for [`Postings::saved_bytes`]);
    /// false if the token is there already.
    pub fn insert_list(&mut self, text: Text, list: Vec<Posting>, bytes: &[u8]) -> bool {
        let part = match &text {
            Text::Cjk(key) => cjk_part(*key),
            Text::Word(w) => word_part(tokenize::hash(w)),
        };
        let part = &mut self.parts[part];
        let before = part.tokens.len();
        let id = match &text {
            Text::Cjk(key) => part.id(Token::Cjk(*key)),
            Text::Word(w) => part.id(Token::Word(w)),
        };
        if part.tokens.len() == before {
            return false;
        }
        let start = self.saved.len();
        let span = u32::try_from(start)
            .ok()
            .zip(u32::try_from(start + bytes.len()).ok());
        if span.is_some() {
            self.saved.extend_from_slice(bytes);
        }
        let tok = &mut part.tokens[id];
        tok.list = list;
        tok.measured = false;
        tok.saved = span;
        // As saved, not changed: measured, it keeps its bytes.
        tok.touched = None;
        true
    }

    /// The bytes `tok`'s list was read back from, if it has not changed
    /// since. A page edited in place puts its tokens in again, mostly as
    /// they were: a list found changed when measured ([`Postings::measure`])
    /// loses its bytes there, and one touched since is not trusted.
    pub fn saved_bytes(&self, tok: &Tok) -> Option<&[u8]> {
        if tok.touched.is_some() || tok.dirty {
            return None;
        }
        let (from, to) = tok.saved?;
        self.saved.get(from as usize..to as usize)
    }

    /// Renumbers pages: page `p` becomes `map[p]`, or leaves every list
    /// when that is [`GONE`]. The map keeps the order of the pages it keeps.
    pub fn renumber(&mut self, map: &[u32]) {
        // The pages before the first that moves or goes keep their
        // numbers, and so does each list's head up to there: only the
        // tails are read (found by binary search), which after an edit
        // among the newest pages is a small part of the index.
        let first = (map.iter().enumerate())
            .position(|(o, &new)| new != o as u32)
            .unwrap_or(map.len()) as u32;
        let runs = runs(map, first);
        self.parts.par_iter_mut().for_each(|part| {
            let mut segments = Vec::new();
            for tok in &mut part.tokens {
                if tok.list.last().is_none_or(|&p| doc_of(p) < first) {
                    continue;
                }
                let start = tok.list.partition_point(|&p| doc_of(p) < first);
                segments.clear();
                segments_of(&tok.list, start, &runs, &mut segments);
                let shifted = segments.iter().any(|s| s.shift.is_some_and(|d| d != 0));
                let gone = segments.iter().any(|s| s.shift.is_none());
                if !shifted && !gone {
                    continue;
                }
                // A page of the list under another number: the list differs
                // (no need to hash it before and after). Only pages gone
                // (re-added later, maybe) leave it to the hashes.
                match shifted {
                    true => tok.dirty = true,
                    false => tok.touch(),
                }
                // Only the tail's part of the encoded length changes, worked
                // out while the tail is rewritten. (Its saved bytes go when
                // it is measured, if it changed: a page edited in place is
                // taken out here and put in again as it was.)
                let (before, after) = renumber_tail(&mut tok.list, start, &segments);
                if tok.measured {
                    tok.enc_len = (tok.enc_len as usize - before + after) as u32;
                }
            }
        });
    }

    /// Finds which tokens changed and brings their encoded sizes up to
    /// date; returns the index's total weight (tokens, lists and
    /// punctuation) and how many tokens hold a page, counted in the same
    /// pass (the index has hundreds of thousands of tokens, and every
    /// quick update measures it).
    pub fn measure(&mut self) -> Measured {
        self.parts
            .par_iter_mut()
            .map(|part| {
                let mut m = Measured::default();
                for tok in &mut part.tokens {
                    if let Some(before) = tok.touched.take() {
                        tok.dirty |= list_hash(&tok.list) != before;
                    }
                    if tok.dirty {
                        tok.saved = None;
                    }
                    if !tok.measured {
                        tok.enc_len = encoded_len(&tok.list) as u32;
                        tok.measured = true;
                    }
                    debug_assert_eq!(tok.enc_len as usize, encoded_len(&tok.list));
                    m.weight += tok.weight();
                    m.live += usize::from(!tok.list.is_empty());
                }
                m
            })
            .reduce(Measured::default, |a, b| Measured {
                weight: a.weight + b.weight,
                live: a.live + b.live,
            })
    }

    /// Tokens that hold at least one page.
    pub fn live(&self) -> impl Iterator<Item = &Tok> {
        self.parts
            .iter()
            .flat_map(|p| &p.tokens)
            .filter(|t| !t.list.is_empty())
    }

    pub fn live_count(&self) -> usize {
        self.live().count()
    }

    /// The shards (of `count`, a power of two) holding a changed token
    /// (after [`Postings::measure`]), with every token's changes cleared
    /// as [`Postings::clear_dirty`] does: one pass over the tokens, not
    /// two.
    pub fn take_dirty_shards(&mut self, count: usize) -> Vec<bool> {
        let mask = count as u32 - 1;
        let or = |mut a: Vec<bool>, b: Vec<bool>| {
            a.iter_mut().zip(b).for_each(|(a, b)| *a |= b);
            a
        };
        (self.parts.par_iter_mut())
            .map(|part| {
                let mut dirty = vec![false; count];
                for tok in &mut part.tokens {
                    if tok.dirty {
                        dirty[(tok.hash & mask) as usize] = true;
                    }
                    tok.dirty = false;
                    tok.touched = None;
                }
                dirty
            })
            .reduce(|| vec![false; count], or)
    }

    pub fn clear_dirty(&mut self) {
        for tok in self.parts.iter_mut().flat_map(|p| &mut p.tokens) {
            tok.dirty = false;
            tok.touched = None;
        }
    }

    /// The script of each shard `n` (of `count`) with `wanted[n]`.
    pub fn shard_scripts(&self, count: usize, wanted: &[bool]) -> Vec<Option<String>> {
        if !wanted.contains(&true) {
            return vec![None; count];
        }
        let mask = count as u32 - 1;
        let mut buckets: Vec<Vec<&Tok>> = vec![Vec::new(); count];
        for tok in self.live() {
            let shard = (tok.hash & mask) as usize;
            if wanted[shard] {
                buckets[shard].push(tok);
            }
        }
        buckets
            .into_par_iter()
            .enumerate()
            // One buffer of digits for each of rayon's jobs, not each shard:
            // it grows to seven bytes a posting of the longest list.
            .map_init(Vec::new, |digits, (n, mut toks)| {
                if !wanted[n] {
                    return None;
                }
                toks.sort_unstable_by(|a, b| a.text.cmp(&b.text));
                Some(shard_script(n, &toks, digits))
            })
            .collect()
    }
}

/// `UnionpressSearch.add("t",n,{"token":"postings",…});`, as
/// [`shards::script`] and [`shards::shard_object`] write it.
fn shard_script(n: usize, toks: &[&Tok], digits: &mut Vec<u8>) -> String {
    let size: usize = toks.iter().map(|t| t.weight()).sum();
    let mut s = String::with_capacity(size + 40);
    s.push_str("UnionpressSearch.add(\"t\",");
    s.push_str(&n.to_string());
    s.push_str(",{");
    for (i, tok) in toks.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        tok.text.push_json(&mut s);
        s.push_str(":\"");
        push_postings(&mut s, &tok.list, digits);
        s.push('"');
    }
    s.push_str("});\n");
    s
}

/// Pages `end` of the previous run (or the first page that moves or
/// goes) to `end − 1` of a renumbering, which all move by `shift`, or all
/// go (`None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    end: u32,
    shift: Option<i64>,
}

/// The map from `first` on as runs of pages that move alike. A page that
/// comes or goes makes two or three of them, however many pages follow:
/// within a run the gaps between pages stay as they were, so a list's
/// postings there are moved as a block and only the one after a run's
/// start is encoded differently. Pages the map does not name go.
fn runs(map: &[u32], first: u32) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for (old, &new) in map.iter().enumerate().skip(first as usize) {
        let shift = (new != GONE).then(|| new as i64 - old as i64);
        match runs.last_mut() {
            Some(run) if run.shift == shift => run.end = old as u32 + 1,
            _ => runs.push(Run {
                end: old as u32 + 1,
                shift,
            }),
        }
    }
    runs.push(Run {
        end: u32::MAX,
        shift: None,
    });
    runs
}

/// Postings `from..to` of a list, all in one [`Run`].
#[derive(Debug, Clone, Copy)]
struct Segment {
    from: usize,
    to: usize,
    shift: Option<i64>,
}

/// Cuts `list[start..]` (every page at or after the runs' first) into the
/// runs its pages fall in: one binary search among the runs and one in the
/// list for each, not a look-up of every posting in the map.
fn segments_of(list: &[Posting], start: usize, runs: &[Run], out: &mut Vec<Segment>) {
    let Some(&last) = list.last() else {
        return;
    };
    let mut from = start;
    while from < list.len() {
        let doc = doc_of(list[from]);
        let run = runs[runs.partition_point(|r| r.end <= doc)];
        // Most lists end in the run that reaches the last page: no search.
        let to = match doc_of(last) < run.end {
            true => list.len(),
            false => from + list[from..].partition_point(|&p| doc_of(p) < run.end),
        };
        out.push(Segment {
            from,
            to,
            shift: run.shift,
        });
        from = to;
    }
}

/// Renumbers `list` from `start` on, cut into `segments` ([`segments_of`]),
/// in place; returns the characters the tail took encoded before and takes
/// after ([`encoded_len`]'s part of them), both without the postings whose
/// gap stays as it was: all but the first of each segment moved.
fn renumber_tail(list: &mut Vec<Posting>, start: usize, segments: &[Segment]) -> (usize, usize) {
    let from = start.checked_sub(1).map_or(0, |i| doc_of(list[i]) as u64);
    let (mut old_prev, mut new_prev) = (from, from);
    let (mut before, mut after) = (0, 0);
    let gap_len = |gap: u64, p: Posting| number_len(gap * shards::LEVELS + level_of(p) as u64);
    let mut kept = start;
    for seg in segments {
        let Some(shift) = seg.shift else {
            for &p in &list[seg.from..seg.to] {
                before += gap_len(doc_of(p) as u64 - old_prev, p);
                old_prev = doc_of(p) as u64;
            }
            continue;
        };
        let (head, last) = (list[seg.from], doc_of(list[seg.to - 1]) as u64);
        let old = doc_of(head) as u64;
        let new = (old as i64 + shift) as u64;
        if new - new_prev != old - old_prev {
            before += gap_len(old - old_prev, head);
            after += gap_len(new - new_prev, head);
        }
        // `page << 2 | level` moved by `shift` pages, wrapping for a
        // negative one: the page stays within 30 bits.
        let by = (shift as u32).wrapping_shl(2);
        if by != 0 || kept != seg.from {
            for i in seg.from..seg.to {
                list[kept + i - seg.from] = list[i].wrapping_add(by);
            }
        }
        kept += seg.to - seg.from;
        old_prev = last;
        new_prev = (last as i64 + shift) as u64;
    }
    list.truncate(kept);
    (before, after)
}

/// A list as [`shards::encode_postings`] encodes it. Its digits are put
/// together as bytes in `digits` (a buffer used again for every list,
/// grown to the room of the longest) and added at once: pushed onto the
/// `String` a `char` at a time, they took most of the search lap of an
/// update that remakes every shard (millions of postings at 10,000 pages).
fn push_postings(out: &mut String, list: &[Posting], digits: &mut Vec<u8>) {
    // A gap below 2^30 pages, times the levels, plus a level is below
    // 2^32: seven digits at most, and the dense forms are shorter.
    let room = list.len() * 7;
    if digits.len() < room {
        digits.resize(room, 0);
    }
    let value = |i: usize| {
        let prev = i.checked_sub(1).map_or(0, |p| doc_of(list[p]) as u64);
        (doc_of(list[i]) as u64 - prev) * shards::LEVELS + level_of(list[i]) as u64
    };
    let at = shards::put_postings(digits, 0, list.len(), value);
    out.push_str(std::str::from_utf8(&digits[..at]).expect("base-32 digits are ASCII"));
}

/// Characters [`push_postings`] writes for `list[from..to]` (within the
/// whole list: the first gap counted from the posting before `from`).
fn span_len(list: &[Posting], from: usize, to: usize) -> usize {
    let to = to.min(list.len());
    if from >= to {
        return 0;
    }
    let mut prev = from.checked_sub(1).map_or(0, |i| doc_of(list[i]) as u64);
    let mut len = 0;
    for &p in &list[from..to] {
        let doc = doc_of(p) as u64;
        len += number_len((doc - prev) * shards::LEVELS + level_of(p) as u64);
        prev = doc;
    }
    len
}

/// Characters [`shards::push_number`] writes for `v`.
fn number_len(v: u64) -> usize {
    let bits = 64 - v.leading_zeros() as usize;
    bits.div_ceil(5).max(1)
}

/// Characters [`push_postings`] writes for `list`.
fn encoded_len(list: &[Posting]) -> usize {
    let mut prev = 0u64;
    let mut len = 0;
    for &p in list {
        let doc = doc_of(p) as u64;
        len += number_len((doc - prev) * shards::LEVELS + level_of(p) as u64);
        prev = doc;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_tokens_placed_by_part_are_in_part_then_key_order() {
        // Keys from an LCG: many parts, several keys in most of them.
        let mut key = 7u64;
        let tokens: FxHashMap<u64, u8> = (0..3000u32)
            .map(|i| {
                key = key
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (key >> 11, (i % 3) as u8)
            })
            .collect();
        let mut sorted: Vec<(u64, u8)> = tokens.iter().map(|(&k, &l)| (k, l)).collect();
        sorted.sort_unstable_by_key(|&(k, _)| (cjk_part(k), k));
        let (placed, starts) = by_part(tokens);
        assert_eq!(placed, sorted);
        assert_eq!(starts.len(), PARTS + 1);
        for part in 0..PARTS {
            let range = starts[part] as usize..starts[part + 1] as usize;
            assert!(placed[range].iter().all(|&(k, _)| cjk_part(k) == part));
        }
        assert_eq!(starts[PARTS] as usize, placed.len());
    }

    fn tokens(text: &str) -> PageTokens {
        PageTokens::of([(text, 0)])
    }

    /// A list read back keeps its bytes while a page put in again leaves it
    /// as it was, and loses them once it changes.
    #[test]
    fn a_list_read_back_keeps_its_bytes_until_it_changes() {
        let mut p = Postings::default();
        let text = Text::Word("pdf".into());
        let list = vec![posting(0, 2), posting(3, 0)];
        assert!(p.insert_list(text, list, b"saved"));
        p.measure();
        p.clear_dirty();
        let bytes = |p: &Postings| {
            let tok = p.live().find(|t| t.text == Text::Word("pdf".into()));
            tok.and_then(|t| p.saved_bytes(t)).map(<[u8]>::to_vec)
        };
        assert_eq!(bytes(&p), Some(b"saved".to_vec()));
        // Page 3 again, as it was: touched, not trusted until measured.
        p.add(&[(3, &tokens("pdf"))]);
        assert_eq!(bytes(&p), None);
        p.measure();
        p.clear_dirty();
        assert_eq!(bytes(&p), Some(b"saved".to_vec()));
        // Page 3 raised to a better field: changed.
        p.add(&[(3, &PageTokens::of([("pdf", 2)]))]);
        p.measure();
        p.clear_dirty();
        assert_eq!(bytes(&p), None);
    }

    #[test]
    fn a_list_is_written_no_longer_than_measured_and_a_dense_one_shorter() {
        let list: Vec<Posting> = [(0, 2), (1, 0), (5, 1), (1000, 0), (123_456, 2)]
            .iter()
            .map(|&(d, l)| posting(d, l))
            .collect();
        let mut s = String::new();
        push_postings(&mut s, &list, &mut Vec::new());
        assert!(s.len() <= encoded_len(&list));
        let dense: Vec<Posting> = (0..300)
            .map(|d| posting(d, (d % 7 == 0) as u8 * 2))
            .collect();
        let mut d = String::new();
        push_postings(&mut d, &dense, &mut Vec::new());
        assert!(d.len() < encoded_len(&dense) / 2, "{d}");
        let pairs: Vec<(u32, u8)> = dense.iter().map(|&p| (doc_of(p), level_of(p))).collect();
        assert_eq!(d, shards::encode_postings(&pairs));
        let pairs: Vec<(u32, u8)> = list.iter().map(|&p| (doc_of(p), level_of(p))).collect();
        assert_eq!(s, shards::encode_postings(&pairs));
    }

    #[test]
    fn shard_order_is_the_texts_byte_order() {
        let mut texts = vec![
            Text::Word("zz".into()),
            Text::Word("a".into()),
            Text::Word("ё".into()),
            Text::Cjk('会' as u64),
            Text::Cjk(PAIR | ('工' as u64) << 21 | '会' as u64),
            Text::Cjk('工' as u64),
            Text::Cjk(PAIR | ('工' as u64) << 21 | '人' as u64),
            Text::Cjk('〇' as u64),
            Text::Cjk('𠀀' as u64),
        ];
        let mut by_string: Vec<String> = texts
            .iter()
            .map(|t| {
                let mut s = String::new();
                t.push_json(&mut s);
                s
            })
            .collect();
        by_string.sort();
        texts.sort_by(|a, b| a.cmp(b));
        let ours: Vec<String> = texts
            .iter()
            .map(|t| {
                let mut s = String::new();
                t.push_json(&mut s);
                s
            })
            .collect();
        assert_eq!(ours, by_string);
        assert_eq!(Text::Cjk('工' as u64).len(), 3);
        assert_eq!(Text::Cjk('工' as u64).hash(), tokenize::hash("工"));
    }

    #[test]
    fn a_page_keeps_each_token_once_at_its_best_level() {
        let t = PageTokens::of([("工会 PDF", 0), ("工人 pdf", 2)]);
        let mut p = Postings::default();
        p.add(&[(3, &t)]);
        let find = |p: &Postings, s: &str| {
            p.live()
                .find(|t| {
                    let mut j = String::new();
                    t.text.push_json(&mut j);
                    j == format!("\"{s}\"")
                })
                .map(|t| t.list.clone())
        };
        assert_eq!(find(&p, "工"), Some(vec![posting(3, 2)]));
        assert_eq!(find(&p, "会"), Some(vec![posting(3, 0)]));
        assert_eq!(find(&p, "pdf"), Some(vec![posting(3, 2)]));
        // Pages added out of order still give sorted lists.
        p.add(&[(1, &tokens("工"))]);
        assert_eq!(find(&p, "工"), Some(vec![posting(1, 0), posting(3, 2)]));
        p.renumber(&[GONE, GONE, GONE, 0]);
        assert_eq!(find(&p, "工"), Some(vec![posting(0, 2)]));
        assert_eq!(find(&p, "工人"), Some(vec![posting(0, 2)]));
    }

    /// Renumbering moves each list's postings by runs of pages
    /// ([`runs`]); the lists, their encoded lengths and which changed are
    /// those of renumbering every posting one by one.
    #[test]
    fn renumbered_lists_are_each_posting_renumbered() {
        let mut rng = crate::seeded::Seeded(0x9E37_79B9_7F4A_7C15);
        let mut below = |n: usize| rng.below(n);
        let n = 60usize;
        // Maps: a page gone or come at the start, in the middle and at the
        // end; several at once; none.
        let shifted = |at: usize, by: i64| -> Vec<u32> {
            (0..n)
                .map(|o| {
                    if o < at {
                        o as u32
                    } else {
                        (o as i64 + by) as u32
                    }
                })
                .collect()
        };
        let gone = |at: &[usize]| -> Vec<u32> {
            let mut next = 0;
            (0..n)
                .map(|o| {
                    if at.contains(&o) {
                        GONE
                    } else {
                        next += 1;
                        next - 1
                    }
                })
                .collect()
        };
        let mut maps = vec![
            (0..n as u32).collect(),
            shifted(0, 1),
            shifted(30, 1),
            shifted(n - 1, 1),
            shifted(0, 3),
            gone(&[0]),
            gone(&[30]),
            gone(&[n - 1]),
            gone(&[0, 1, 2, 30, n - 1]),
            (0..n)
                .map(|o| if o + 1 == n { n as u32 + 5 } else { o as u32 })
                .collect(),
            // Fewer pages in the map than in the lists: the rest go.
            (0..n as u32 - 10).collect(),
        ];
        for _ in 0..40 {
            let mut next = 0u32;
            maps.push(
                (0..n)
                    .map(|_| {
                        next += below(3) as u32 * u32::from(below(4) == 0);
                        if below(5) == 0 {
                            GONE
                        } else {
                            next += 1;
                            next - 1
                        }
                    })
                    .collect(),
            );
        }
        for map in &maps {
            let mut p = Postings::default();
            let mut lists = Vec::new();
            for t in 0..80 {
                // Lists of every length from none to every page, a single
                // posting among them; levels at random.
                let mut list: Vec<Posting> = Vec::new();
                for d in 0..n as u32 {
                    if below(1 + t % 7) == 0 {
                        list.push(posting(d, below(3) as u8));
                    }
                }
                if t % 10 == 0 {
                    list.truncate(1);
                }
                let text = Text::Word(format!("w{t}").into());
                assert!(p.insert_list(text.clone(), list.clone(), &[]));
                lists.push((text, list));
            }
            p.measure();
            p.clear_dirty();
            p.renumber(map);
            p.measure();
            for (text, list) in &lists {
                let want: Vec<Posting> = (list.iter())
                    .filter_map(|&q| {
                        let new = map.get(doc_of(q) as usize).copied().unwrap_or(GONE);
                        (new != GONE).then(|| posting(new, level_of(q)))
                    })
                    .collect();
                let tok = (p.parts.iter().flat_map(|part| &part.tokens))
                    .find(|t| &t.text == text)
                    .expect("the token");
                assert_eq!(tok.list, want, "{text:?} by {map:?}");
                assert_eq!(tok.enc_len as usize, encoded_len(&want), "{text:?}");
                assert_eq!(tok.dirty, want != *list, "{text:?} by {map:?}");
            }
        }
    }
}
