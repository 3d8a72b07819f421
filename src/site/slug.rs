//! Slugs: the name a page has in its URL and on disk. They must be safe in
//! a URL, on Windows file shares and in zip archives, and stay readable.
//! Also the names Windows cannot store, for files that keep their own name
//! (attachments), with the rename to suggest.

/// Windows cannot create files with these names, whatever the extension.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Makes a URL- and Windows-safe slug. Chinese stays; ASCII letters are
/// lower-cased (Windows shares do not tell `A` from `a`); spaces become `-`;
/// characters that break URLs or Windows paths are dropped. `None` when
/// nothing usable is left.
pub fn slugify(input: &str) -> Option<String> {
    already_a_slug(input).or_else(|| slug_by_characters(input))
}

/// [`slugify`], character by character.
fn slug_by_characters(input: &str) -> Option<String> {
    let mut out = String::with_capacity(input.len());
    let mut dash = false;
    for c in input.trim().chars() {
        let keep = match c {
            c if c.is_whitespace()
                || matches!(
                    c,
                    '-' | '_' | '—' | '–' | '·' | '/' | '\\' | '+' | '&' | '=' | ',' | '，' | '、'
                ) =>
            {
                None
            }
            '<' | '>' | ':' | '"' | '|' | '?' | '*' | '#' | '%' | '{' | '}' | '^' | '~' | '['
            | ']' | '`' | '\'' | '!' | '@' | '$' | ';' | '(' | ')' | '（' | '）' | '：' | '？'
            | '！' | '“' | '”' | '‘' | '’' | '。' | '《' | '》' | '【' | '】' => {
                continue;
            }
            c if c.is_control() => continue,
            c => Some(c.to_ascii_lowercase()),
        };
        match keep {
            Some(c) => {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                out.push(c);
            }
            None => dash = true,
        }
    }
    let out = out.trim_matches(|c| c == '.' || c == '-').to_string();
    if out.is_empty() {
        return None;
    }
    // Windows reads `con.2024` as the device `con` too: the part before
    // the first dot decides.
    let stem = out.split('.').next().unwrap_or_default();
    if RESERVED.contains(&stem) {
        return Some(shorten(format!("{stem}-{}", &out[stem.len()..])));
    }
    Some(shorten(out))
}

/// The slug of a name that is one already (`notice-00004`, `2024.3`):
/// lower-case ASCII letters and digits, joined by single `-` or `.` and
/// neither first nor last, short, and no reserved name. [`slugify`] keeps
/// such a name as it is; found without going through it character by
/// character, as most file names of a site are such names and every page's
/// is made a slug on every index.
fn already_a_slug(input: &str) -> Option<String> {
    let b = input.as_bytes();
    let word = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let joins = |w: &[u8]| !(matches!(w[0], b'-' | b'.') && matches!(w[1], b'-' | b'.'));
    let simple = (b.first().is_some_and(word) && b.last().is_some_and(word))
        && b.len() <= MAX_SLUG_BYTES
        && b.iter().all(|c| word(c) || matches!(c, b'-' | b'.'))
        && b.windows(2).all(joins);
    let stem = input.split('.').next().unwrap_or_default();
    (simple && !RESERVED.contains(&stem)).then(|| input.to_string())
}

/// Longest slug kept whole, in bytes: a file name may hold 255 bytes on
/// Linux and a Windows path 260 characters, and a slug is one part of a
/// path. 150 bytes is 50 Chinese characters (a long notice title still
/// keeps its readable URL) or 150 ASCII ones.
pub const MAX_SLUG_BYTES: usize = 150;
/// Characters a longer slug keeps before its hash (at most 32 × 4 + 11
/// bytes, so a shortened slug is never shortened again).
const KEPT_CHARS: usize = 32;

/// A slug over [`MAX_SLUG_BYTES`] becomes its first [`KEPT_CHARS`]
/// characters and a hash of the whole: the same name always gives the same
/// file, and two long names that start alike still differ (40 bits of
/// xxh3, not tied to the build or the machine).
fn shorten(slug: String) -> String {
    if slug.len() <= MAX_SLUG_BYTES {
        return slug;
    }
    let head: String = slug.chars().take(KEPT_CHARS).collect();
    let head = head.trim_end_matches(['-', '.']);
    let hash = xxhash_rust::xxh3::xxh3_64(slug.as_bytes()) & 0xff_ffff_ffff;
    format!("{head}-{hash:010x}")
}

/// The name to give a file or folder that Windows cannot store under
/// `name` (`CON.pdf`, `aux.docx`, `报名表?.xls`, a newline, a trailing dot
/// or space), or `None` when it can. Forbidden characters become `_`, the
/// trailing dots and spaces go, and a reserved device name gets a `_`.
pub fn windows_rename(name: &str) -> Option<String> {
    if windows_can_store(name) {
        return None;
    }
    let mut fixed: String = name
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '|' | '?' | '*' | '\\' => '_',
            c if (c as u32) < 32 => '_',
            c => c,
        })
        .collect();
    fixed = fixed.trim_end_matches(['.', ' ']).to_string();
    if fixed.is_empty() {
        fixed = "_".into();
    }
    let (stem, ext) = match fixed.split_once('.') {
        Some((stem, ext)) => (stem.to_string(), format!(".{ext}")),
        None => (fixed.clone(), String::new()),
    };
    if RESERVED.contains(&stem.trim_end().to_ascii_lowercase().as_str()) {
        fixed = format!("{}_{ext}", stem.trim_end());
    }
    (fixed != name).then_some(fixed)
}

/// Whether [`windows_rename`] leaves `name` as it is, found without
/// making anything (every file's every folder is checked on every index).
fn windows_can_store(name: &str) -> bool {
    // By bytes: what Windows refuses is ASCII, and no byte of a longer
    // character is.
    let allowed =
        |c: u8| !matches!(c, b'<' | b'>' | b':' | b'"' | b'|' | b'?' | b'*' | b'\\') && c >= b' ';
    let stem = name
        .split_once('.')
        .map_or(name, |(stem, _)| stem)
        .trim_end();
    !name.is_empty() && !name.ends_with(['.', ' ']) && name.bytes().all(allowed) && !reserved(stem)
}

/// Whether Windows keeps `stem` for a device (`CON`, `lpt1`); every
/// reserved name has three or four letters.
fn reserved(stem: &str) -> bool {
    matches!(stem.len(), 3 | 4) && RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem))
}

#[cfg(test)]
mod tests {
    use super::{already_a_slug, slug_by_characters, slugify};

    #[test]
    fn a_name_taken_as_a_slug_is_the_slug_made_of_it() {
        let names = [
            "notice-00004",
            "2024.3",
            "a",
            "a-b.c",
            "con",
            "con.2024",
            "lpt1-x",
            "a--b",
            "a-.b",
            "-a",
            "a.",
            "A-b",
            "a b",
            "通知",
            "x".repeat(151).leak(),
            "x".repeat(150).leak(),
        ];
        for name in names {
            if let Some(slug) = already_a_slug(name) {
                assert_eq!(Some(slug), slug_by_characters(name), "{name}");
            }
            assert_eq!(slugify(name), slug_by_characters(name), "{name}");
        }
        assert_eq!(
            already_a_slug("notice-00004").as_deref(),
            Some("notice-00004")
        );
        assert_eq!(already_a_slug("con.2024"), None);
    }

    #[test]
    fn keeps_chinese_and_makes_spaces_dashes() {
        assert_eq!(slugify("职代会 2024").as_deref(), Some("职代会-2024"));
        assert_eq!(
            slugify("Annual Report & 2025 Plan").as_deref(),
            Some("annual-report-2025-plan")
        );
    }

    #[test]
    fn drops_what_windows_and_urls_cannot_hold() {
        assert_eq!(
            slugify("a:b?c*d<e>f|g\"h#i%j").as_deref(),
            Some("abcdefghij")
        );
        assert_eq!(
            slugify("《劳动合同法》解读（2024）").as_deref(),
            Some("劳动合同法解读2024")
        );
        assert_eq!(slugify("..hidden..").as_deref(), Some("hidden"));
        assert_eq!(slugify("con").as_deref(), Some("con-"));
        assert_eq!(slugify("CON.2024").as_deref(), Some("con-.2024"));
        assert_eq!(slugify("？？"), None);
        // Control characters pasted from Word or a spreadsheet (a Windows
        // path cannot hold them) are dropped, not kept in the URL.
        assert_eq!(
            slugify("会议\u{1}通知\u{7f}\u{1b}").as_deref(),
            Some("会议通知")
        );
    }

    #[test]
    fn long_names_are_shortened_stably_and_distinctly() {
        let long = "关于进一步加强新时代产业工人队伍建设改革".repeat(5);
        let title50 = "关于进一步加强新时代产业工人队伍建设改革".repeat(2) + "的通知关于进一步加强";
        assert_eq!(title50.chars().count(), 50);
        assert_eq!(slugify(&title50).as_deref(), Some(title50.as_str()));
        let a = slugify(&long).unwrap();
        assert!(a.len() <= super::MAX_SLUG_BYTES, "{a}");
        assert_eq!(slugify(&long).unwrap(), a, "stable");
        let head: String = long.chars().take(32).collect();
        assert!(a.starts_with(&format!("{head}-")), "{a}");
        // The hash is 40 bits: exactly ten hex digits after the head, so a
        // shortened slug always has the same length for the same head.
        let hash = &a[head.len() + 1..];
        assert_eq!(hash.len(), 10, "{a}");
        assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()), "{a}");
        let b = slugify(&format!("{long}二")).unwrap();
        assert_ne!(a, b);
        assert_eq!(a.chars().count(), b.chars().count());
        // Short ones are untouched.
        assert_eq!(slugify("职代会").as_deref(), Some("职代会"));
        let ascii = "a".repeat(150);
        assert_eq!(slugify(&ascii).as_deref(), Some(ascii.as_str()));
    }

    #[test]
    fn names_windows_cannot_store_get_a_rename() {
        use super::windows_rename as r;
        assert_eq!(r("CON.pdf").as_deref(), Some("CON_.pdf"));
        assert_eq!(r("aux.docx").as_deref(), Some("aux_.docx"));
        assert_eq!(r("Lpt1.tar.gz").as_deref(), Some("Lpt1_.tar.gz"));
        assert_eq!(r("nul").as_deref(), Some("nul_"));
        assert_eq!(r("报名表?.xlsx").as_deref(), Some("报名表_.xlsx"));
        assert_eq!(r("a\nb.pdf").as_deref(), Some("a_b.pdf"));
        assert_eq!(r("议程.pdf.").as_deref(), Some("议程.pdf"));
        assert_eq!(r("议程 ").as_deref(), Some("议程"));
        assert_eq!(r("a<b>c:d\"e|f*.doc").as_deref(), Some("a_b_c_d_e_f_.doc"));
        assert_eq!(r("..."), Some("_".into()));
        for ok in [
            "议程.pdf",
            "console.pdf",
            "con-2024.pdf",
            "com10.txt",
            ".htaccess",
        ] {
            assert_eq!(r(ok), None, "{ok}");
        }
    }
}
