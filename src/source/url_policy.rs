//! Which URLs an editor may write: everything except those that run code
//! or smuggle a document into the reader's browser — `javascript:`,
//! `vbscript:` and `data:` other than `data:image/…`. The scheme is read
//! the way a browser reads it: HTML character references decoded (raw
//! HTML only; Markdown's parser has already done it), tabs and newlines
//! anywhere removed, leading and trailing spaces and control characters
//! ignored, any letter case. Used for Markdown links and images, raw
//! HTML `href`/`src`, URL fields of front matter and site.yaml's menu.
//! It also tells an address on another server ([`leaves_site`]) from one
//! of the site, for what a page loads (see `render::outside_loads`).
//!
//! This module only judges; callers report where the URL was written.

/// Schemes that are refused outright.
const SCRIPT_SCHEMES: &[&str] = &["javascript", "vbscript"];

/// The scheme that makes `url` unsafe, lower-cased (`javascript`,
/// `vbscript`, `data`), or `None` when it is safe to emit.
pub fn unsafe_scheme(url: &str) -> Option<String> {
    let cleaned = browser_view(&decode_references(url));
    let (scheme, rest) = split_scheme(&cleaned)?;
    let scheme = scheme.to_ascii_lowercase();
    if SCRIPT_SCHEMES.contains(&scheme.as_str()) {
        return Some(scheme);
    }
    if scheme == "data" {
        let media = rest.trim_start_matches([' ', '\x0c']).to_ascii_lowercase();
        if !media.starts_with("image/") {
            return Some(scheme);
        }
    }
    None
}

/// Schemes whose addresses name another server.
const SERVER_SCHEMES: &[&str] = &["http", "https", "ftp"];

/// Whether the browser would fetch `url` from another server: `http:`,
/// `https:`, `ftp:` or protocol-relative `//host/…` (a browser reads `\\`
/// as `//`), read as [`unsafe_scheme`] reads it. Relative paths, `#…`,
/// `data:` and `mailto:` stay on the page or the site.
pub fn leaves_site(url: &str) -> bool {
    let cleaned = browser_view(&decode_references(url));
    let slashes = |c: char| c == '/' || c == '\\';
    let mut chars = cleaned.chars();
    if chars.next().is_some_and(slashes) && chars.next().is_some_and(slashes) {
        return true;
    }
    split_scheme(&cleaned)
        .is_some_and(|(scheme, _)| SERVER_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()))
}

/// Whether `url` starts at the server's root (`/uploads/a.png`; a browser
/// reads `\\` as `/`): under a sub-path (`http://intranet/union/`) and
/// over `file://` it leads out of the site's folder.
pub fn root_absolute(url: &str) -> bool {
    let cleaned = browser_view(&decode_references(url));
    cleaned.starts_with(['/', '\\']) && !leaves_site(&cleaned)
}

/// What a browser's URL parser looks at: leading and trailing C0 controls
/// and spaces stripped, ASCII tabs and newlines removed everywhere.
fn browser_view(url: &str) -> String {
    url.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// `scheme:rest` when `url` starts with a scheme (a letter, then letters,
/// digits, `+`, `-` or `.`, then `:`).
fn split_scheme(url: &str) -> Option<(&str, &str)> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (first_ok && rest_ok).then(|| (scheme, &url[colon + 1..]))
}

/// Decodes the HTML character references a browser would in an attribute:
/// `&#106;`, `&#x6A;` (the `;` optional) and the named ones that can
/// disguise a scheme (`&colon;`, `&Tab;`, `&NewLine;`…).
pub fn decode_references(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match reference(rest) {
            Some((c, used)) => {
                out.push(c);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character an `&…` reference at the start of `s` stands for, and
/// how many bytes it takes.
fn reference(s: &str) -> Option<(char, usize)> {
    let body = s.strip_prefix('&')?;
    if let Some(num) = body.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (num, 10, 1),
        };
        let len = digits
            .chars()
            .take_while(|c| c.is_digit(radix))
            .map(char::len_utf8)
            .sum::<usize>();
        if len == 0 {
            return None;
        }
        // Overlong numbers (`&#0000000106;`) still mean their value.
        let value = u32::from_str_radix(digits[..len].trim_start_matches('0'), radix)
            .ok()
            .or_else(|| digits[..len].bytes().all(|b| b == b'0').then_some(0))
            .unwrap_or(0xFFFD);
        let c = char::from_u32(value).unwrap_or('\u{FFFD}');
        let semi = usize::from(digits[len..].starts_with(';'));
        return Some((c, 1 + skip + len + semi));
    }
    const NAMED: &[(&str, char)] = &[
        ("Tab;", '\t'),
        ("NewLine;", '\n'),
        ("colon;", ':'),
        ("amp;", '&'),
        ("amp", '&'),
        ("lt;", '<'),
        ("gt;", '>'),
        ("quot;", '"'),
        ("apos;", '\''),
        ("sol;", '/'),
        ("period;", '.'),
        ("lpar;", '('),
        ("rpar;", ')'),
        ("nbsp;", '\u{a0}'),
    ];
    NAMED
        .iter()
        .find(|(name, _)| body.starts_with(name))
        .map(|(name, c)| (*c, 1 + name.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_and_document_urls_are_refused_however_disguised() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "  javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "jav&#x61;script:alert(1)",
            "jav&#X61script:alert(1)",
            "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
            "&#0000106avascript:alert(1)",
            "javascript&colon;alert(1)",
            "java&Tab;script:alert(1)",
            "vbscript:msgbox(1)",
            "VBSCRIPT:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "DATA:text/html;base64,PHNjcmlwdD4=",
            "data:,hello",
            "data:application/pdf;base64,JVBERi0=",
        ] {
            assert!(unsafe_scheme(url).is_some(), "{url:?} passed");
        }
    }

    #[test]
    fn ordinary_urls_pass() {
        for url in [
            "https://www.acftu.org/",
            "mailto:gonghui@example.cn",
            "tel:8001",
            "../notices/a.md",
            "议程.pdf",
            "附件/javascript:说明.pdf",
            "#top",
            "/notices/",
            "data:image/png;base64,iVBORw0KGgo=",
            "DATA:Image/JPEG;base64,/9j/",
            "javascript.html",
            "a&amp;b.pdf",
            "&",
            "&#",
            "&#x;",
            "",
        ] {
            assert_eq!(unsafe_scheme(url), None, "{url:?} refused");
        }
    }

    #[test]
    fn addresses_on_other_servers_are_told_from_the_site() {
        for url in [
            "https://cdn.example.com/a.png",
            "HTTP://oa.company.local/logo.png",
            "//cdn.example.com/a.png",
            "\\\\cdn.example.com/a.png",
            "ftp://files.example.com/a.pdf",
            " https://x.cn/a.png",
            "ht\ttps://x.cn/a.png",
            "https&#58;//x.cn/a.png",
        ] {
            assert!(leaves_site(url), "{url:?} stays");
        }
        for url in [
            "a.png",
            "./图片/a.png",
            "/notices/a.png",
            "../a.png",
            "#top",
            "data:image/png;base64,iVBORw0KGgo=",
            "mailto:a@b.cn",
            "https.png",
            "",
        ] {
            assert!(!leaves_site(url), "{url:?} leaves");
        }
    }

    #[test]
    fn root_absolute_addresses_are_neither_relative_nor_on_other_servers() {
        for url in [
            "/uploads/a.png",
            "\\uploads\\a.png",
            " /a.png",
            "&#47;a.png",
        ] {
            assert!(root_absolute(url), "{url:?}");
        }
        for url in [
            "//cdn.example.com/a.png",
            "a.png",
            "../a.png",
            "https://a.cn/",
            "",
        ] {
            assert!(!root_absolute(url), "{url:?}");
        }
    }

    #[test]
    fn references_decode_as_a_browser_would() {
        assert_eq!(decode_references("a&#x3A;b&#58c&colon;d"), "a:b:c:d");
        assert_eq!(decode_references("&#xFFFFFFFFFF;"), "\u{FFFD}");
        assert_eq!(decode_references("&unknown; &"), "&unknown; &");
    }
}
