//! Checks on a page's Markdown body that the renderer cannot make, because
//! to Markdown the mistake is not a link at all: `[名单](慰问 名单 (2).pdf)`
//! (spaces in the target) is shown as plain text. Found here, with the form
//! that works (`[名单](<慰问 名单 (2).pdf>)`).

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::diagnostics::Diagnostic;
use crate::i18n::Msg;
use crate::source::SourceFile;

/// Problems in the body at `body` (a byte range of `file`).
pub fn check(file: &SourceFile, body: Range<usize>) -> Vec<Diagnostic> {
    let text = &file.text[body.clone()];
    if !text.contains("](") {
        return Vec::new();
    }
    // The Markdown is parsed only when some `](` looks like a spaced link:
    // a body's links are nearly always fine, and parsing every body a
    // second time was 2 % of a 10,000-page build.
    // Found with SIMD: the standard library's `match_indices` looked at
    // every byte of the body in turn, 1 % of a cold build.
    let found: Vec<(usize, Spaced)> = memchr::memmem::find_iter(text.as_bytes(), b"](")
        .filter_map(|at| Some((at, spaced_link(text, at)?)))
        .collect();
    if found.is_empty() {
        return Vec::new();
    }
    // Code, raw HTML and what Markdown did read as links are not looked at.
    let skip: Vec<Range<usize>> = Parser::new_ext(text, Options::all())
        .into_offset_iter()
        .filter(|(e, _)| {
            matches!(
                e,
                Event::Start(Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. })
                    | Event::Code(_)
                    | Event::Html(_)
                    | Event::InlineHtml(_)
            )
        })
        .map(|(_, r)| r)
        .collect();
    let mut out = Vec::new();
    for (at, found) in found {
        if skip.iter().any(|r| r.contains(&at)) {
            continue;
        }
        let span = file.span(body.start + found.range.start..body.start + found.range.end);
        let msg = Msg::LinkWithSpaces {
            written: text[found.range].to_string(),
            fixed: found.fixed,
        };
        out.push(Diagnostic::error(Some(span), msg));
    }
    out
}

struct Spaced {
    range: Range<usize>,
    fixed: String,
}

/// The `[text](target)` around the `](` at `at`, when its target has a
/// space that is not the start of a link title (`"…"`, `'…'`, `(…)`).
fn spaced_link(text: &str, at: usize) -> Option<Spaced> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let open = line_start + text[line_start..at].rfind('[')?;
    let start = if text[..open].ends_with('!') {
        open - 1
    } else {
        open
    };
    let target_start = at + 2;
    let mut depth = 0usize;
    let mut close = None;
    for (i, c) in text[target_start..].char_indices() {
        match c {
            '\n' => return None,
            '(' => depth += 1,
            ')' if depth == 0 => {
                close = Some(target_start + i);
                break;
            }
            ')' => depth -= 1,
            _ => {}
        }
    }
    let close = close?;
    let target = &text[target_start..close];
    if target.starts_with('<') || !target.trim().contains(' ') {
        return None;
    }
    let (_, rest) = target.trim().split_once(' ')?;
    let rest = rest.trim();
    let is_title = [('"', '"'), ('\'', '\''), ('(', ')')]
        .iter()
        .any(|&(a, b)| rest.len() >= 2 && rest.starts_with(a) && rest.ends_with(b));
    if is_title {
        return None;
    }
    let fixed = format!("{}(<{}>)", &text[start..at + 1], target.trim());
    Some(Spaced {
        range: start..close + 1,
        fixed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(text: &str) -> Option<String> {
        let at = text.find("](")?;
        spaced_link(text, at).map(|s| s.fixed)
    }

    proptest::proptest! {
        #![proptest_config(crate::source::random_text::config())]
        /// Random mixes of the characters links are made of: the checks
        /// never panic, and whatever they say points inside the text.
        #[test]
        fn random_markdown_never_panics(text in crate::source::random_text::pieces(&[
            "[", "]", "(", ")", "](", " ", "!", "<", ">", "\n", "`", "```", "中文", "名单", ".pdf",
            "\"", "'", "#",
        ], 30)) {
            let file = SourceFile::from_text("t.md".into(), "t.md".into(), text.clone());
            for d in check(&file, 0..text.len()) {
                let span = d.span.expect("a place");
                proptest::prop_assert!(span.bytes.end <= text.len(), "{:?}", text);
            }
        }
    }

    #[test]
    fn spaces_in_a_target_get_angle_brackets() {
        assert_eq!(
            fixed("见[名单](慰问 名单 (2).pdf)。").as_deref(),
            Some("[名单](<慰问 名单 (2).pdf>)")
        );
        assert_eq!(
            fixed("![合影](运动会 合影.jpg)").as_deref(),
            Some("![合影](<运动会 合影.jpg>)")
        );
        assert_eq!(fixed("[a](b.pdf \"标题\")"), None);
        assert_eq!(fixed("[a](<b c.pdf>)"), None);
        assert_eq!(fixed("[a](b.pdf)"), None);
    }
}
