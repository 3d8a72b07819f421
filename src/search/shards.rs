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
    let digits = (64 - v.leading_zeros()).div_ceil(5) as usize;
    for (i, o) in out[at..at + digits - 1].iter_mut().enumerate() {
        *o = CONTINUE[((v >> (5 * (digits - 1 - i))) & 31) as usize];
    }
    out[at + digits - 1] = FINAL[(v & 31) as usize];
    at + digits
}

/// How many field levels a posting carries (body, meta, title).
pub const LEVELS: u64 = 3;

/// Postings `(page id, level)` in rising id order as numbers
/// `gap × LEVELS + level`, the gap counted from the previous id (the first
/// from 0). Frequent tokens have small gaps, so most take one character.
pub fn encode_postings(postings: &[(u32, u8)]) -> String {
    let mut out = String::with_capacity(postings.len() * 2);
    let mut prev = 0u64;
    for &(doc, level) in postings {
        let doc = doc as u64;
        push_number(&mut out, (doc - prev) * LEVELS + level as u64);
        prev = doc;
    }
    out
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
        let mut v = 0u64;
        for b in s.bytes() {
            if let Some(d) = CONTINUE.iter().position(|&c| c == b) {
                v = v * 32 + d as u64;
            } else if let Some(d) = FINAL.iter().position(|&c| c == b) {
                out.push(v * 32 + d as u64);
                v = 0;
            }
        }
        out
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
