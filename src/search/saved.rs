//! The search index's state as bytes, for the build cache that survives
//! the process (for `src/cache.rs` to store in `.unionpress/cache/`): each
//! page's URL, input hash and snippet data, and every token's postings.
//! A new process that reads them back updates the index as watch mode
//! does, tokenizing only the pages that changed.
//!
//! The format is private to this module and versioned by [`MAGIC`]; the
//! bytes end with an xxh3 hash of the rest, and anything that does not
//! read back whole (corrupt, cut short, another format) gives `None`, never
//! a panic: the caller then builds the index afresh.
//!
//! Layout: numbers are LEB128 varints; a string is its length and bytes.
//! `MAGIC`, page count, then per page: URL, key (8 bytes, little-endian),
//! expired (1 byte), snippet JSON; token count, then per token: kind (0 a
//! packed CJK key as a varint, 1 a word as a string), list length, and each
//! posting as `gap << 2 | level` (gap from the previous page; the first
//! from 0); then whether the files made of them are known (1 byte), and if
//! they are, the step of the chunks' growth with age (their places follow
//! from it and the pages' URLs), and the shard count and the chunk
//! count, each followed by that many files as hash (8 bytes) and length;
//! finally the hash. The files' contents are not kept: a build that reads
//! the index back makes again only the files that changed, and keeps the
//! others as the output holds them ([`super::Index::kept`]).

use super::postings::{self, Posting, Postings, Text};
use super::{Cache, Doc, Files, IndexFile, Layout, State};

/// Names the format; bumped when it changes, or when the files it
/// describes are written in another form (4: dense postings written
/// shorter), so that files of the older form are not kept as they are.
pub const MAGIC: &[u8] = b"unionpress-search-index 4\n";

fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn push_str(out: &mut Vec<u8>, s: &str) {
    push_bytes(out, s.as_bytes());
}

fn push_bytes(out: &mut Vec<u8>, b: &[u8]) {
    push_varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    /// A varint; most are one byte (a posting's gap to a page nearby), read
    /// here, and the rest by [`Reader::long_varint`], out of the way of the
    /// loop over millions of postings.
    #[inline]
    fn varint(&mut self) -> Option<u64> {
        match self.bytes.split_first() {
            Some((&b, rest)) if b < 0x80 => {
                self.bytes = rest;
                Some(b as u64)
            }
            _ => self.long_varint(),
        }
    }

    #[inline(never)]
    fn long_varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for (i, &b) in self.bytes.iter().enumerate().take(10) {
            v |= ((b & 0x7f) as u64) << (7 * i);
            if b & 0x80 == 0 {
                self.bytes = &self.bytes[i + 1..];
                return Some(v);
            }
        }
        None
    }

    /// A token's `len` postings, of pages below `docs`, as [`encode`]
    /// wrote them: each page after the one before, at a level up to
    /// [`super::TITLE`]. The loop runs once per posting (eight million at
    /// 10,000 pages), so it keeps the bytes left in a local, fills a list
    /// made whole at once, and reads eight one-byte postings (a gap below
    /// 32 pages: nearly all) at a time. A one-byte posting is the gap
    /// shifted as a posting's page is, with the level below it, so its
    /// posting is the page before, shifted, plus the byte; the eight bytes'
    /// gaps and levels are checked together, as one word. What makes a
    /// list wrong is noted as it goes and looked at once it is read; the
    /// page must stay below `docs` and grows, so only the last is compared
    /// with it. After one edit of the 10,000-page site this took the
    /// postings' decoding from 199 to 97 million instructions (callgrind).
    fn postings(&mut self, len: usize, docs: u64) -> Option<Vec<Posting>> {
        const HIGH: u64 = 0x8080_8080_8080_8080;
        const LOW: u64 = 0x0101_0101_0101_0101;
        const GAPS: u64 = 0x7C7C_7C7C_7C7C_7C7C;
        // A level above TITLE is a byte's two low bits both set.
        const _: () = assert!(super::TITLE == 2);
        let mut list: Vec<Posting> = vec![0; len];
        let mut rest = self.bytes;
        let mut doc = 0u64;
        // The first page may be page 0, 0 after 0; the others come after it.
        let mut least_gap = 0;
        let mut wrong = false;
        let mut at = 0;
        while at < len {
            if let (true, Some(slots), Some(eight)) =
                (at > 0, list.get_mut(at..at + 8), rest.first_chunk::<8>())
            {
                let word = u64::from_le_bytes(*eight);
                if word & HIGH == 0 {
                    wrong |= (word & (word >> 1) & LOW) != 0;
                    // A byte's gap bits all clear leave its high bit clear.
                    wrong |= (((word & GAPS) + GAPS) & HIGH) != HIGH;
                    // No overflow: at most 31 pages a posting, from below 2^31.
                    let mut posting = doc << 2;
                    for (k, slot) in slots.iter_mut().enumerate() {
                        posting = (posting & !3) + ((word >> (8 * k)) & 0xFF);
                        *slot = posting as Posting;
                    }
                    doc = posting >> 2;
                    rest = &rest[8..];
                    at += 8;
                    continue;
                }
            }
            let v = match rest.split_first() {
                Some((&b, after)) if b < 0x80 => {
                    rest = after;
                    b as u64
                }
                _ => {
                    let mut r = Reader { bytes: rest };
                    let v = r.long_varint()?;
                    rest = r.bytes;
                    v
                }
            };
            let (gap, level) = (v >> 2, (v & 3) as u8);
            wrong |= gap < least_gap || level > super::TITLE;
            least_gap = 1;
            // No overflow: `doc` is below `docs` (at most 2^30) plus what
            // one-byte postings added (below 2^30), and `gap` below 2^62.
            doc += gap;
            if doc >= docs {
                return None;
            }
            list[at] = postings::posting(doc as u32, level);
            at += 1;
        }
        if wrong || doc >= docs {
            return None;
        }
        self.bytes = rest;
        Some(list)
    }

    /// A count of items that take at least one byte each.
    fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.varint()?).ok()?;
        (n <= self.bytes.len()).then_some(n)
    }

    fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes_field()?).ok()
    }

    /// Bytes written by [`push_bytes`].
    fn bytes_field(&mut self) -> Option<&'a [u8]> {
        let n = self.count()?;
        self.take(n)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

/// The index's state as [`Cache::to_bytes`] gives it.
pub(super) fn encode(state: &State) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 << 20);
    out.extend_from_slice(MAGIC);
    push_varint(&mut out, state.docs.len() as u64);
    for d in &state.docs {
        push_str(&mut out, &d.url);
        out.extend_from_slice(&d.key.to_le_bytes());
        out.push(d.expired as u8);
        push_bytes(&mut out, &d.json);
    }
    push_varint(&mut out, state.postings.live_count() as u64);
    for tok in state.postings.live() {
        match &tok.text {
            Text::Cjk(key) => {
                out.push(0);
                push_varint(&mut out, *key);
            }
            Text::Word(w) => {
                out.push(1);
                push_str(&mut out, w);
            }
        }
        push_varint(&mut out, tok.list.len() as u64);
        match state.postings.saved_bytes(tok) {
            Some(bytes) => {
                debug_assert_eq!(bytes, encoded(&tok.list), "{:?}", tok.text);
                out.extend_from_slice(bytes);
            }
            None => push_postings(&mut out, &tok.list),
        }
    }
    match &state.files {
        None => out.push(0),
        Some(f) => {
            out.push(1);
            push_varint(&mut out, f.chunk as u64);
            for list in [&f.shards, &f.chunks] {
                push_varint(&mut out, list.len() as u64);
                for file in list {
                    out.extend_from_slice(&file.hash.to_le_bytes());
                    push_varint(&mut out, file.len);
                }
            }
        }
    }
    let hash = xxhash_rust::xxh3::xxh3_64(&out);
    out.extend_from_slice(&hash.to_le_bytes());
    out
}

/// A token's postings, each as `gap << 2 | level` (gap from the previous
/// page; the first from 0).
fn push_postings(out: &mut Vec<u8>, list: &[Posting]) {
    let mut prev = 0;
    for &p in list {
        let doc = postings::doc_of(p);
        push_varint(
            out,
            ((doc - prev) as u64) << 2 | postings::level_of(p) as u64,
        );
        prev = doc;
    }
}

/// `list` as [`push_postings`] writes it (to check kept bytes against).
fn encoded(list: &[Posting]) -> Vec<u8> {
    let mut out = Vec::new();
    push_postings(&mut out, list);
    out
}

/// The files' hashes and lengths as [`encode`] wrote them.
/// The chunks' places are not saved: they are made again from the pages'
/// URLs, as the build that saved them made them ([`Layout::of`]).
fn files(r: &mut Reader, docs: &[Doc]) -> Option<Option<Files>> {
    match r.take(1)? {
        [0] => return Some(None),
        [1] => {}
        _ => return None,
    }
    let chunk = usize::try_from(r.varint()?).ok().filter(|&c| c > 0)?;
    let mut list = || -> Option<Vec<IndexFile>> {
        (0..r.count()?)
            .map(|_| {
                let hash = r.u64()?;
                let len = r.varint()?;
                Some(IndexFile {
                    body: None,
                    hash,
                    len,
                })
            })
            .collect()
    };
    let shards = list()?;
    let chunks = list()?;
    let layout = Layout::of(docs.iter().map(|d| d.url.as_str()), chunk);
    if layout.len() != chunks.len() {
        return None;
    }
    Some(Some(Files {
        shards,
        chunks,
        chunk,
        layout,
    }))
}

impl Cache {
    /// The index the last build left, as bytes for the build cache; `None`
    /// if this cache kept none (see [`Cache::retaining`]).
    pub fn to_bytes(&self) -> Option<Vec<u8>> {
        self.state.as_ref().map(encode)
    }

    /// A retaining cache holding the index [`Cache::to_bytes`] saved, or
    /// `None` if the bytes are not such an index, whole.
    pub fn from_bytes(bytes: &[u8]) -> Option<Cache> {
        let body = bytes.strip_prefix(MAGIC)?;
        let (body, hash) = body.split_at_checked(body.len().checked_sub(8)?)?;
        let whole = &bytes[..bytes.len() - 8];
        if xxhash_rust::xxh3::xxh3_64(whole).to_le_bytes() != hash {
            return None;
        }
        let mut r = Reader { bytes: body };
        let n = r.count()?;
        if n > postings::MAX_DOCS {
            return None;
        }
        let mut docs = Vec::with_capacity(n);
        for _ in 0..n {
            let url = r.str()?.to_string();
            let key = r.u64()?;
            let expired = match r.take(1)? {
                [0] => false,
                [1] => true,
                _ => return None,
            };
            // Checked for UTF-8 when its chunk is made again, if ever:
            // checking the snippets of 10,000 pages here took a sixth of
            // the instructions of reading the index back (69 of 428
            // million, callgrind).
            let json = r.bytes_field()?.to_vec();
            docs.push(Doc {
                url,
                key,
                expired,
                json,
            });
        }
        let mut index = Postings::default();
        for _ in 0..r.count()? {
            let text = match r.take(1)? {
                [0] => Text::Cjk(cjk_key(r.varint()?)?),
                [1] => {
                    let w = r.str()?;
                    if w.is_empty() {
                        return None;
                    }
                    Text::Word(w.into())
                }
                _ => return None,
            };
            let len = r.count()?;
            if len == 0 {
                return None;
            }
            // The list's bytes are kept: saved again unchanged, they are
            // copied, not encoded again.
            let before = r.bytes;
            let list = r.postings(len, n as u64)?;
            let bytes = &before[..before.len() - r.bytes.len()];
            if !index.insert_list(text, list, bytes) {
                return None;
            }
        }
        let files = files(&mut r, &docs)?;
        if !r.bytes.is_empty() {
            return None;
        }
        index.measure();
        index.clear_dirty();
        Some(Cache {
            state: Some(State {
                docs,
                postings: index,
                files,
                made: 0,
            }),
            ..Cache::retaining()
        })
    }
}

/// A packed CJK key as [`super::tokenize`] makes them, or `None`.
fn cjk_key(key: u64) -> Option<u64> {
    const PAIR: u64 = 1 << 63;
    let ok = |v: u64| {
        u32::try_from(v)
            .ok()
            .and_then(char::from_u32)
            .is_some_and(super::tokenize::is_cjk)
    };
    let valid = if key & PAIR != 0 {
        key & !PAIR < 1 << 42 && ok((key >> 21) & 0x1F_FFFF) && ok(key & 0x1F_FFFF)
    } else {
        ok(key)
    };
    valid.then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`Reader::postings`] as it was, one posting at a time, checking each.
    fn one_by_one(r: &mut Reader, len: usize, docs: u64) -> Option<Vec<Posting>> {
        let mut list = Vec::with_capacity(len);
        let mut doc = 0u64;
        let mut least_gap = 0;
        for _ in 0..len {
            let v = r.varint()?;
            let (gap, level) = (v >> 2, (v & 3) as u8);
            if gap < least_gap || level > crate::search::TITLE {
                return None;
            }
            least_gap = 1;
            doc += gap;
            if doc >= docs {
                return None;
            }
            list.push(postings::posting(doc as u32, level));
        }
        Some(list)
    }

    /// Lists as written, and the same bytes damaged (a page not after the
    /// one before, a level too high, a page past the last, a long gap, a
    /// list cut short), read eight at a time give what reading them one by
    /// one gives, and leave the same bytes after them.
    #[test]
    fn postings_read_eight_at_a_time_as_one_by_one() {
        let mut rng = crate::seeded::Seeded(0x0bad_cafe_d00d_f00d);
        for round in 0..3000 {
            let len = 1 + rng.below(40);
            // Now and then one posting is damaged: a page not after the
            // one before, or a level too high.
            let damaged = (rng.below(3) == 0).then(|| (rng.below(len), rng.below(2)));
            let mut bytes = Vec::new();
            let mut doc = 0u64;
            for i in 0..len {
                let mut gap = match rng.below(10) {
                    0 => 32 + rng.below(5000) as u64,
                    _ => u64::from(i > 0) + rng.below(31) as u64,
                };
                let mut level = rng.below(3) as u64;
                match damaged {
                    Some((at, 0)) if at == i => gap = 0,
                    Some((at, _)) if at == i => level = 3,
                    _ => {}
                }
                doc += gap;
                push_varint(&mut bytes, gap << 2 | level);
            }
            // Sometimes the last page is past the pages there are.
            let docs = (doc + 1).saturating_sub(rng.below(2) as u64).max(1);
            if rng.below(4) == 0 {
                bytes.truncate(rng.below(bytes.len() + 1));
            }
            bytes.extend_from_slice(b"rest");
            let mut a = Reader { bytes: &bytes };
            let mut b = Reader { bytes: &bytes };
            let fast = a.postings(len, docs);
            let slow = one_by_one(&mut b, len, docs);
            assert_eq!(fast, slow, "round {round}: {bytes:?}");
            if fast.is_some() {
                assert_eq!(a.bytes, b.bytes, "round {round}");
            }
        }
    }
}
