//! Slugs: the name a page has in its URL and on disk. They must be safe in
//! a URL, on Windows file shares and in zip archives, and stay readable.

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
    if RESERVED.contains(&out.as_str()) {
        return Some(format!("{out}-"));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::slugify;

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
        assert_eq!(slugify("？？"), None);
    }
}
