//! The index on disk: script files the search page loads with `<script>`,
//! because `fetch` of a JSON file is refused over `file://`.
//!
//! - `search/manifest.js`: version, counts, shard count, expired pages.
//! - `search/t/<n>.js`: the tokens whose hash falls in shard `n`, each with
//!   its postings: which pages hold it, and in which field.
//! - `search/d/<name>.js`: the titles, URLs, dates and opening text of a
//!   run of pages in number order (which run, and the chunk's name, the
//!   manifest says: see `Layout` in the module above), loaded only when
//!   one of them is among the results shown, for its snippet. Packed,
//!   because one file a page was 10,000 files.
//!
//! Every file calls `UnionpressSearch.add(kind, n, data)`, which
//! `search.js` defines before it adds the script.
//!
//! A token's postings are numbers `gap × LEVELS + level` ([`put_postings`]),
//! written shorter where a list is dense: three pages in a row as one
//! symbol, and an item repeated as `~` and a count. A token in nearly every
//! page (工会 on the benchmark site) took one character a page.

use std::fmt::Write as _;

/// 32 digits that say "more follow" and 32 that end a number; none needs
/// escaping in a JavaScript string.
const CONTINUE: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
const FINAL: &[u8; 32] = b"wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// Base-32 digits in one case, for file names (which some file systems do
/// not tell apart by case): the snippet chunks' names.
pub const DIGITS: &[u8; 32] = CONTINUE;

/// Appends `v` in base 32, most significant digit first.
pub fn push_number(out: &mut String, v: u64) {
    // Most gaps of a large index take one digit: written without the
    // digit buffer (the shards of a 10,000-page site are 15 MB of them).
    if v < 32 {
        out.push(FINAL[v as usize] as char);
        return;
    }
    let mut digits = [0u8; 13];
    let mut n = 0;
    let mut v = v;
    loop {
        digits[n] = (v & 31) as u8;
        n += 1;
        v >>= 5;
        if v == 0 {
            break;
        }
    }
    for i in (1..n).rev() {
        out.push(CONTINUE[digits[i] as usize] as char);
    }
    out.push(FINAL[digits[0] as usize] as char);
}

/// [`push_number`] into `out` at `at`, which has room for it (13 bytes
/// hold any `u64`); returns where the next number goes. For the token
/// shards' postings, written into a buffer by index: pushed a byte at a
/// time, each push stored the vector's length again.
#[inline]
pub fn put_digits(out: &mut [u8], at: usize, v: u64) -> usize {
    if v < 32 {
        out[at] = FINAL[v as usize];
        return at + 1;
    }
    // Five bits a digit, the most significant first.
    let digits = number_len(v);
    for (i, o) in out[at..at + digits - 1].iter_mut().enumerate() {
        *o = CONTINUE[((v >> (5 * (digits - 1 - i))) & 31) as usize];
    }
    out[at + digits - 1] = FINAL[(v & 31) as usize];
    at + digits
}

/// How many field levels a posting carries (body, meta, title).
pub const LEVELS: u64 = 3;

/// Three postings in a row, each one page after the one before (numbers
/// `LEVELS` to `2 × LEVELS − 1`), as one symbol: the first's level times
/// nine, the second's times three, the third's. None is a digit, `~`, or
/// needs escaping in a JavaScript string.
pub const TRIPLES: &[u8; 27] = b"!#$%&'()*+,./:;<=>?@[]^`{|}";

/// The item before repeated as many more times as the number after says.
pub const REPEAT: u8 = b'~';

/// One item of an encoded list: a number, or three in one symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Number(u64),
    Triple(u8),
}

/// The item at `values[i]` (of `n`) and where the next starts: a
/// [`TRIPLES`] symbol where three pages in a row start, else a number.
fn item_at(n: usize, value: &impl Fn(usize) -> u64, i: usize) -> (Item, usize) {
    let next = |k: usize| (LEVELS..2 * LEVELS).contains(&value(i + k));
    if i + 3 <= n && next(0) && next(1) && next(2) {
        let t = (0..3).fold(0, |t, k| t * LEVELS + value(i + k) - LEVELS);
        (Item::Triple(t as u8), i + 3)
    } else {
        (Item::Number(value(i)), i + 1)
    }
}

/// Characters a number takes ([`push_number`], [`put_digits`]).
#[inline]
pub fn number_len(v: u64) -> usize {
    let bits = 64 - v.leading_zeros() as usize;
    bits.div_ceil(5).max(1)
}

fn put_item(out: &mut [u8], at: usize, item: Item) -> usize {
    match item {
        Item::Number(v) => put_digits(out, at, v),
        Item::Triple(t) => {
            out[at] = TRIPLES[t as usize];
            at + 1
        }
    }
}

/// Writes `n` numbers (`value(i)` the `i`th) into `out` at `at`, which
/// has room for them one by one ([`put_digits`]); returns the end. Three
/// pages in a row take one [`TRIPLES`] symbol, and an item followed by the
/// same ones is written once, then [`REPEAT`] and how many follow, where
/// that is shorter. Never longer than the numbers one by one.
pub fn put_postings(out: &mut [u8], at: usize, n: usize, value: impl Fn(usize) -> u64) -> usize {
    put_postings_from(out, at, 0, n, value, |_, _| true)
}

/// [`put_postings`] of numbers `from..n`, as if the numbers before were
/// written already and `from` starts an item that is not a repeat of the
/// one before (a group start, which [`put_postings`] of all `n` numbers
/// reports where it has one: then the bytes are the rest of its). Calls
/// `group(i, at)` where each group of items begins (an item and its
/// repeats): number `i` is written from `out[at]` on, and what is written
/// from there depends only on numbers `i..n`, and on nothing before. When
/// `group` says false, stops there (returns that `at`).
pub fn put_postings_from(
    out: &mut [u8],
    mut at: usize,
    from: usize,
    n: usize,
    value: impl Fn(usize) -> u64,
    mut group: impl FnMut(usize, usize) -> bool,
) -> usize {
    let mut i = from;
    while i < n {
        if !group(i, at) {
            return at;
        }
        let (item, mut next) = item_at(n, &value, i);
        let mut more = 0u64;
        while next < n {
            let (again, after) = item_at(n, &value, next);
            if again != item {
                break;
            }
            more += 1;
            next = after;
        }
        at = put_item(out, at, item);
        let len = match item {
            Item::Number(v) => number_len(v) as u64,
            Item::Triple(_) => 1,
        };
        if more > 0 && 1 + (number_len(more) as u64) < len * more {
            out[at] = REPEAT;
            at = put_digits(out, at + 1, more);
        } else {
            for _ in 0..more {
                at = put_item(out, at, item);
            }
        }
        i = next;
    }
    at
}

/// Postings `(page id, level)` in rising id order as numbers
/// `gap × LEVELS + level`, the gap counted from the previous id (the first
/// from 0), as [`put_postings`] writes them. Frequent tokens have small
/// gaps, so most take one character, and dense runs less.
pub fn encode_postings(postings: &[(u32, u8)]) -> String {
    let value = |i: usize| {
        let prev = i.checked_sub(1).map_or(0, |p| postings[p].0 as u64);
        (postings[i].0 as u64 - prev) * LEVELS + postings[i].1 as u64
    };
    let mut out = vec![0u8; postings.len() * 13];
    let end = put_postings(&mut out, 0, postings.len(), value);
    out.truncate(end);
    String::from_utf8(out).expect("ASCII")
}

/// Rising ids as gaps (the first from 0).
pub fn encode_ids(ids: &[u32]) -> String {
    let mut out = String::new();
    let mut prev = 0u64;
    for &id in ids {
        push_number(&mut out, id as u64 - prev);
        prev = id as u64;
    }
    out
}

/// JSON as a JavaScript expression: U+2028 and U+2029 are valid in JSON
/// strings but end a line in older JavaScript engines.
pub fn js_json(value: &serde_json::Value) -> String {
    let json = value.to_string();
    if json.contains(['\u{2028}', '\u{2029}']) {
        json.replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029")
    } else {
        json
    }
}

/// One script file: `UnionpressSearch.add("t",17,{…});`.
pub fn script(kind: &str, n: usize, data: &str) -> String {
    let mut s = String::with_capacity(data.len() + 40);
    let _ = writeln!(s, "UnionpressSearch.add(\"{kind}\",{n},{data});");
    s
}

/// One script file named by a string: `UnionpressSearch.add("d","k3v0",[…]);`.
pub fn named_script(kind: &str, name: &str, data: &str) -> String {
    let mut s = String::with_capacity(data.len() + 40);
    let _ = writeln!(s, "UnionpressSearch.add(\"{kind}\",\"{name}\",{data});");
    s
}

/// The body of a token shard, `{"token":"postings",…}` in token order.
pub fn shard_object(entries: &[(&str, &str)]) -> String {
    let mut s = String::with_capacity(entries.iter().map(|(t, p)| t.len() + p.len() + 6).sum());
    s.push('{');
    for (i, (token, postings)) in entries.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&serde_json::Value::from(*token).to_string());
        s.push(':');
        s.push('"');
        s.push_str(postings);
        s.push('"');
    }
    s.push('}');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decoder `search.js` uses, written again here to test the format.
    fn decode(s: &str) -> Vec<u64> {
        let mut out = Vec::new();
        let mut last: Vec<u64> = Vec::new();
        let mut repeat = false;
        let mut v = 0u64;
        for b in s.bytes() {
            if let Some(d) = CONTINUE.iter().position(|&c| c == b) {
                v = v * 32 + d as u64;
            } else if let Some(d) = FINAL.iter().position(|&c| c == b) {
                let n = v * 32 + d as u64;
                v = 0;
                if repeat {
                    for _ in 0..n {
                        out.extend_from_slice(&last);
                    }
                    repeat = false;
                } else {
                    last = vec![n];
                    out.push(n);
                }
            } else if let Some(t) = TRIPLES.iter().position(|&c| c == b) {
                let t = t as u64;
                last = vec![LEVELS + t / 9, LEVELS + t / 3 % 3, LEVELS + t % 3];
                out.extend_from_slice(&last);
            } else if b == REPEAT {
                repeat = true;
            }
        }
        out
    }

    /// Numbers `gap × LEVELS + level` of postings, one by one.
    fn values(postings: &[(u32, u8)]) -> Vec<u64> {
        let mut prev = 0;
        (postings.iter())
            .map(|&(d, l)| {
                let v = (d as u64 - prev) * LEVELS + l as u64;
                prev = d as u64;
                v
            })
            .collect()
    }

    #[test]
    fn dense_postings_are_shorter_and_decode_the_same() {
        // Every page, mostly in the body: 工会 on the benchmark site.
        let every: Vec<(u32, u8)> = (0..10_000)
            .map(|d| (d, u8::from(d % 23 == 0) * 2))
            .collect();
        let s = encode_postings(&every);
        assert!(s.len() < every.len() / 5, "{} characters", s.len());
        assert_eq!(decode(&s), values(&every));
        // Mixed levels, gaps and runs, and the edges: none, one, two.
        let mut rng = crate::seeded::Seeded(0x7121_0001);
        for case in 0..400 {
            let mut d = 0u32;
            let len = rng.below(60);
            let list: Vec<(u32, u8)> = (0..len)
                .map(|_| {
                    d += match rng.below(4 + case % 5) {
                        0 => 1 + rng.below(2000) as u32,
                        1 => 2,
                        _ => 1,
                    };
                    (
                        d,
                        if rng.below(5) == 0 {
                            rng.below(3) as u8
                        } else {
                            (case % 3) as u8
                        },
                    )
                })
                .collect();
            let s = encode_postings(&list);
            assert_eq!(decode(&s), values(&list), "{list:?}");
            let plain: usize = values(&list).iter().map(|&v| number_len(v)).sum();
            assert!(s.len() <= plain, "{s} longer than {plain}");
            assert!(!s.contains(['"', '\\']));
        }
    }

    #[test]
    fn triple_symbols_are_distinct_and_not_digits() {
        let mut all: Vec<u8> = TRIPLES
            .iter()
            .chain(CONTINUE)
            .chain(FINAL)
            .copied()
            .collect();
        all.push(REPEAT);
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 27 + 64 + 1);
        assert!(
            all.iter()
                .all(|&b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
        );
    }

    #[test]
    fn numbers_round_trip() {
        let mut s = String::new();
        for v in [0, 1, 31, 32, 1023, 1024, 123_456_789] {
            push_number(&mut s, v);
        }
        assert_eq!(decode(&s), [0, 1, 31, 32, 1023, 1024, 123_456_789]);
        let mut one = String::new();
        push_number(&mut one, 31);
        assert_eq!(one.len(), 1);
    }

    #[test]
    fn digits_are_the_numbers_characters() {
        let values = (0..70_000u64)
            .chain((0..64).map(|b| 1u64 << b))
            .chain((1..64).map(|b| (1u64 << b) - 1))
            .chain([u64::MAX, 123_456_789]);
        for v in values {
            let mut s = String::new();
            push_number(&mut s, v);
            let mut put = [0u8; 16];
            let end = put_digits(&mut put, 2, v);
            assert_eq!(&put[2..end], s.as_bytes(), "{v}");
        }
    }

    #[test]
    fn postings_are_gaps_and_levels() {
        let s = encode_postings(&[(0, 2), (1, 0), (5, 1), (1000, 0)]);
        assert_eq!(decode(&s), [2, 3, 13, 995 * 3]);
        // Ids are gaps from the previous one, without levels.
        assert_eq!(decode(&encode_ids(&[3, 4, 10])), [3, 1, 6]);
        assert_eq!(decode(&encode_ids(&[0, 40])), [0, 40]);
    }

    #[test]
    fn line_separators_are_escaped_for_old_engines() {
        let v = serde_json::json!({"x": "a\u{2028}b"});
        assert_eq!(js_json(&v), r#"{"x":"a\u2028b"}"#);
    }

    #[test]
    fn shards_are_scripts_calling_the_loader() {
        let body = shard_object(&[("职工", "w"), ("\"q", "x")]);
        assert_eq!(body, r#"{"职工":"w","\"q":"x"}"#);
        assert_eq!(
            script("t", 3, &body),
            "UnionpressSearch.add(\"t\",3,{\"职工\":\"w\",\"\\\"q\":\"x\"});\n"
        );
    }
}
