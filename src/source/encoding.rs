//! Which encoding a file from an editor's desktop is in, and its text.
//!
//! UTF-8 (with or without a byte-order mark) is read as it is. Chinese
//! Windows saves "ANSI" text as GBK, and Notepad's "Unicode" is UTF-16: both
//! are decoded when we are sure, with a warning asking the editor to save the
//! file as UTF-8. When we are not sure, we refuse rather than guess, because
//! a wrong guess turns every character of the page into nonsense.

use std::borrow::Cow;

use encoding_rs::{Encoding as Codec, GB18030, GBK, UTF_16BE, UTF_16LE};

/// What a file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    Utf8,
    /// GBK or GB18030 (GB18030 is a superset, so it decodes both).
    Gb18030,
    Utf16,
}

impl Encoding {
    /// The name an editor sees in Notepad's or WPS's "save as" dialog.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GBK/GB18030",
            Encoding::Utf16 => "UTF-16",
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Decoded<'a> {
    /// UTF-8 text is the bytes themselves, borrowed: the caller makes the
    /// one copy it keeps (a whole file copied twice over cost more than
    /// checking it).
    Text(Cow<'a, str>, Encoding),
    /// Not UTF-8 and not certainly anything else: the offset of the first
    /// byte that is not UTF-8, and what the bytes most look like, if anything.
    Unsure {
        bad_at: usize,
        guess: Option<Encoding>,
    },
}

/// Decodes a file's bytes; a UTF-8 byte-order mark is dropped.
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8_or_guess(rest, 3);
    }
    if let Some(text) = utf16(bytes) {
        return Decoded::Text(Cow::Owned(text), Encoding::Utf16);
    }
    utf8_or_guess(bytes, 0)
}

fn utf8_or_guess(bytes: &[u8], offset: usize) -> Decoded<'_> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Decoded::Text(Cow::Borrowed(s), Encoding::Utf8),
        Err(e) => match gb18030(bytes) {
            Ok(text) => Decoded::Text(Cow::Owned(text), Encoding::Gb18030),
            Err(looks_like_gbk) => Decoded::Unsure {
                bad_at: offset + e.valid_up_to(),
                guess: looks_like_gbk.then_some(Encoding::Gb18030),
            },
        },
    }
}

/// UTF-16 with a byte-order mark (what Notepad calls "Unicode").
fn utf16(bytes: &[u8]) -> Option<String> {
    let codec: &'static Codec = match bytes.get(..2)? {
        b"\xFF\xFE" => UTF_16LE,
        b"\xFE\xFF" => UTF_16BE,
        _ => return None,
    };
    let (text, had_errors) = codec.decode_without_bom_handling(&bytes[2..]);
    (!had_errors).then(|| text.into_owned())
}

/// GBK text, when we are certain: the detector's best guess for a Chinese
/// site is GBK, every byte decodes, and what comes out is overwhelmingly
/// Chinese characters and punctuation. `Err(true)` when it looked like GBK
/// but not certainly enough.
fn gb18030(bytes: &[u8]) -> Result<String, bool> {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Deny);
    if guess != GBK && guess != GB18030 {
        return Err(false);
    }
    let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(true);
    }
    let non_ascii: Vec<char> = text.chars().filter(|c| !c.is_ascii()).collect();
    let chinese = non_ascii.iter().filter(|&&c| is_chinese(c)).count();
    // A handful of characters could be anything; most of a page must be Chinese.
    let certain = chinese >= 4 && chinese * 10 >= non_ascii.len() * 9;
    if certain {
        Ok(text.into_owned())
    } else {
        Err(true)
    }
}

/// Common Chinese characters and the punctuation written with them.
fn is_chinese(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'     // CJK unified ideographs
        | '\u{3400}'..='\u{4DBF}'   // extension A
        | '\u{3000}'..='\u{303F}'   // CJK punctuation: 、。〔〕《》「」
        | '\u{FF00}'..='\u{FFEF}'   // full-width forms: ，：；（）！？
        | '\u{2010}'..='\u{2027}'   // dashes, quotes “”‘’, ellipsis …
        | '\u{00B7}'                // middle dot ·
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        GBK.encode(s).0.into_owned()
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode("标题".as_bytes()),
            Decoded::Text("标题".into(), Encoding::Utf8)
        );
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice("标题".as_bytes());
        assert_eq!(
            decode(&with_bom),
            Decoded::Text("标题".into(), Encoding::Utf8)
        );
    }

    #[test]
    fn gbk_chinese_is_decoded() {
        let text = "---\ntitle: 关于召开职工代表大会的通知\ndate: 2024-03-05\n---\n各分工会：现将有关事项通知如下。\n";
        assert_eq!(
            decode(&gbk(text)),
            Decoded::Text(text.into(), Encoding::Gb18030)
        );
    }

    #[test]
    fn too_little_text_to_be_sure_is_refused() {
        // Two bytes that are one GBK character, or something else entirely.
        let bytes = b"title: \xB9\xA4\n";
        match decode(bytes) {
            Decoded::Unsure { bad_at, .. } => assert_eq!(bad_at, 7),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn latin1_is_not_taken_for_gbk() {
        let bytes = b"title: caf\xE9 cr\xE8me br\xFBl\xE9e na\xEFve\n";
        assert!(matches!(decode(bytes), Decoded::Unsure { .. }));
    }

    #[test]
    fn notepad_unicode_is_utf16() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "标题: 通知".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(
            decode(&bytes),
            Decoded::Text("标题: 通知".into(), Encoding::Utf16)
        );
    }

    #[test]
    fn big5_is_not_read_as_gbk() {
        let text = "---\ntitle: 關於召開職工代表大會的通知\ndate: 2024-03-05\n---\n各分工會：現將有關事項通知如下。請各單位認真組織，按時報送代表名單。\n";
        let bytes = encoding_rs::BIG5.encode(text).0.into_owned();
        match decode(&bytes) {
            Decoded::Text(t, _) => assert_eq!(t, text, "decoded, so it must be right"),
            Decoded::Unsure { .. } => {}
        }
    }
}
