//! Tokens for the search index, the same ones `search.js` makes of a query.
//!
//! Chinese has no spaces, and a dictionary would miss the names and terms
//! a union site is full of (职代会, 会宝岭), so a run of Han characters is
//! indexed as each character and each pair of neighbours: any word of two
//! or more characters is then found by its pairs, a single character by
//! itself. Letters and digits form lower-cased words (`PDF` → `pdf`,
//! `〔2024〕12号` → `2024`, `12`, `号`); everything else separates.
//!
//! The character classes are explicit code-point ranges rather than Unicode
//! properties so that the browser script, which must run in old ES5
//! engines, classifies every character exactly as this module does.
//! `tests/search/tokenizer-cases.json` holds cases both sides are tested on.

/// A word token longer than this is cut: long runs are hashes, serial
/// numbers or URLs, and their first characters find them well enough.
pub const MAX_WORD_CHARS: usize = 32;

/// Full-width ASCII (`ＰＤＦ`, `２０２４`) as ASCII, then lower case when
/// lower-casing gives a single character.
pub fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if is_cjk(c) {
        return c;
    }
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Han characters (and 〇, written in Chinese years), kana and Hangul:
/// scripts written without spaces, indexed by characters and pairs.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3007
        | 0x3041..=0x3096
        | 0x30A1..=0x30FA
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0x20000..=0x3134F)
}

/// Letters and digits that make words: ASCII, Latin with accents, Greek and
/// Cyrillic (after [`fold`]).
pub fn is_word(c: char) -> bool {
    matches!(c as u32,
        0x30..=0x39
        | 0x61..=0x7A
        | 0xC0..=0xD6
        | 0xD8..=0xF6
        | 0xF8..=0x24F
        | 0x370..=0x3FF
        | 0x400..=0x52F)
}

/// A token as the index builder meets it: a CJK character or pair packed
/// into a number, so the millions of them on a large site need no string,
/// or a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    Cjk(u64),
    Word(&'a str),
}

/// Marks a packed pair; a lone character is just its code point.
const PAIR: u64 = 1 << 63;

fn pack(a: char, b: Option<char>) -> u64 {
    match b {
        Some(b) => PAIR | (a as u64) << 21 | b as u64,
        None => a as u64,
    }
}

/// The text of a packed CJK token.
pub fn unpack(key: u64) -> String {
    let ch = |v: u64| char::from_u32((v & 0x1F_FFFF) as u32).unwrap_or('\u{FFFD}');
    if key & PAIR != 0 {
        [ch(key >> 21), ch(key)].iter().collect()
    } else {
        ch(key).to_string()
    }
}

/// Every token of `text` as the index stores it: words, and for CJK runs
/// each character and each pair. Repeats are passed on as they occur.
///
/// One pass over the text: this runs over every character of the site.
/// Inlined, so that the caller's `token` is too (called apart, twice for
/// each Chinese character, it cost 2.6 % of a cold build).
#[inline]
pub fn index_keys(text: &str, mut token: impl FnMut(Token)) {
    // One buffer for every word: a page has thousands of them.
    let mut word = String::new();
    let mut word_chars = 0;
    fn flush(word: &mut String, word_chars: &mut usize, token: &mut impl FnMut(Token)) {
        if *word_chars > 0 {
            token(Token::Word(word));
            word.clear();
            *word_chars = 0;
        }
    }
    // The previous character, while in a CJK run.
    let mut prev: Option<char> = None;
    for c in text.chars() {
        // ASCII first, as `fold` and `is_word` take it: lower-cased, and a
        // word's when it is a letter or a digit.
        if c.is_ascii() {
            prev = None;
            if c.is_ascii_alphanumeric() {
                if word_chars < MAX_WORD_CHARS {
                    word.push(c.to_ascii_lowercase());
                }
                word_chars += 1;
            } else {
                flush(&mut word, &mut word_chars, &mut token);
            }
            continue;
        }
        // A CJK character folds to itself.
        if is_cjk(c) {
            flush(&mut word, &mut word_chars, &mut token);
            if let Some(p) = prev {
                token(Token::Cjk(pack(p, Some(c))));
            }
            token(Token::Cjk(pack(c, None)));
            prev = Some(c);
            continue;
        }
        prev = None;
        let c = fold(c);
        if is_word(c) {
            if word_chars < MAX_WORD_CHARS {
                word.push(c);
            }
            word_chars += 1;
        } else {
            flush(&mut word, &mut word_chars, &mut token);
        }
    }
    flush(&mut word, &mut word_chars, &mut token);
}

/// [`index_keys`] as strings.
pub fn index_tokens(text: &str, mut token: impl FnMut(&str)) {
    index_keys(text, |t| match t {
        Token::Word(w) => token(w),
        Token::Cjk(key) => token(&unpack(key)),
    });
}

/// FNV-1a over code points with a final avalanche (MurmurHash3's), so that
/// the low bits that pick a shard depend on every character. `search.js`
/// computes the same with `Math.imul`.
pub fn hash(token: &str) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    for c in token.chars() {
        h = (h ^ c as u32).wrapping_mul(0x0100_0193);
    }
    h ^= h >> 16;
    h = h.wrapping_mul(0x85EB_CA6B);
    h ^= h >> 13;
    h = h.wrapping_mul(0xC2B2_AE35);
    h ^= h >> 16;
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        index_tokens(text, |t| v.push(t.to_string()));
        v
    }

    /// The pairs of a text: what a query of it must all find. (What
    /// `search.js` makes of a query is tested against
    /// `tests/search/tokenizer-cases.json` in tests/browser.)
    fn pairs(text: &str) -> Vec<String> {
        all(text)
            .into_iter()
            .filter(|t| t.chars().count() == 2 && t.chars().all(is_cjk))
            .collect()
    }

    #[test]
    fn chinese_is_indexed_by_characters_and_pairs() {
        assert_eq!(all("职代会"), ["职", "职代", "代", "代会", "会"]);
        assert_eq!(all("会"), ["会"]);
    }

    #[test]
    fn a_word_inside_a_longer_text_shares_its_pairs() {
        let text: Vec<String> = all("关于召开职代会的通知");
        for t in pairs("职代会") {
            assert!(text.contains(&t), "{t}");
        }
        for t in pairs("劳动合同") {
            assert!(!text.contains(&t), "{t}");
        }
    }

    #[test]
    fn latin_and_digits_are_lower_cased_words() {
        assert_eq!(
            all("下载PDF附件 v2"),
            ["下", "下载", "载", "pdf", "附", "附件", "件", "v2"]
        );
        assert_eq!(all("ＰＤＦ２０２４"), ["pdf2024"]);
        assert_eq!(all("Émile ÉCOLE"), ["émile", "école"]);
    }

    #[test]
    fn document_numbers_keep_their_numbers_and_characters() {
        assert_eq!(all("〔2024〕12号"), ["2024", "12", "号"]);
        assert_eq!(
            all("会宝岭工发〔2026〕28号"),
            [
                "会", "会宝", "宝", "宝岭", "岭", "岭工", "工", "工发", "发", "2026", "28", "号"
            ]
        );
    }

    #[test]
    fn punctuation_only_gives_nothing() {
        assert!(all("，。、《》——〔〕「」【】\u{3000}").is_empty());
        assert!(all("  ...!!!").is_empty());
        // 〇 is written in years: a character, not punctuation.
        assert_eq!(all("〇"), ["〇"]);
    }

    #[test]
    fn packed_characters_unpack() {
        let mut text: Vec<String> = Vec::new();
        index_keys("工会𠀀", |t| {
            if let Token::Cjk(k) = t {
                text.push(unpack(k));
            }
        });
        assert_eq!(text, ["工", "工会", "会", "会𠀀", "𠀀"]);
    }

    /// Every ASCII character is classified as `fold` and `is_word` do.
    #[test]
    fn the_ascii_shortcut_agrees_with_fold_and_is_word() {
        for b in 0u8..0x80 {
            let c = b as char;
            assert!(!is_cjk(c));
            assert_eq!(is_word(fold(c)), c.is_ascii_alphanumeric(), "{b:#x}");
            assert_eq!(fold(c), c.to_ascii_lowercase(), "{b:#x}");
        }
    }

    #[test]
    fn long_words_are_cut() {
        let long = "a".repeat(100);
        assert_eq!(all(&long)[0].chars().count(), MAX_WORD_CHARS);
    }

    #[test]
    fn hashes_spread_pairs_over_shards() {
        let mut seen = std::collections::HashSet::new();
        for t in pairs("中华全国总工会职工代表大会劳动合同法律援助困难帮扶")
        {
            seen.insert(hash(&t) % 16);
        }
        assert!(seen.len() >= 8, "{seen:?}");
    }

    /// The cases `search.js` is tested on too (its query tokens there):
    /// both sides must index alike and hash alike.
    #[test]
    fn shared_cases_agree_with_the_browser_script() {
        let cases: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/search/tokenizer-cases.json"))
                .expect("tokenizer-cases.json is JSON");
        let cases = cases.as_array().expect("a list of cases");
        assert!(cases.len() >= 8);
        for case in cases {
            let text = case["text"].as_str().expect("text");
            let want = |k: &str| -> Vec<String> {
                case[k]
                    .as_array()
                    .expect(k)
                    .iter()
                    .map(|v| v.as_str().unwrap_or_default().to_string())
                    .collect()
            };
            assert_eq!(all(text), want("index"), "index tokens of {text}");
            if let Some(hashes) = case.get("hashes").and_then(|h| h.as_object()) {
                for (token, h) in hashes {
                    assert_eq!(hash(token) as u64, h.as_u64().unwrap_or(0), "{token}");
                }
            }
        }
    }
}
