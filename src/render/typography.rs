//! Line-break hints for Chinese text: a number range (2026—2027,
//! 14:00—18:00, 10至11) or a number with its unit (216名, 30%, 1.5万元)
//! is wrapped in `<span class="nowrap">` so a line never ends inside it.
//! Browsers may break between a digit and a Chinese character, and after a
//! dash; nothing else here changes the text.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// Characters that follow a number as its unit.
const UNITS: &[char] = &[
    '年', '月', '日', '号', '时', '点', '分', '秒', '名', '人', '元', '个', '次', '天', '岁', '项',
    '条', '件', '台', '本', '页', '家', '届', '期', '周', '倍', '米', '吨', '%', '％', '℃',
];
/// Between the two numbers of a range.
const RANGE: &[char] = &['—', '–', '-', '~', '～', '至', '到'];

/// Wraps ranges and numbers with units in the text events of `events`,
/// except inside code.
///
/// The events are looked through first and copied only when something is
/// wrapped, into a list of exactly the size needed: growing a page's list
/// of events (tens of kilobytes) while copying it was a tenth of the time
/// Markdown took, most of it in the allocator and in page faults.
pub fn mark(events: &mut Vec<Event<'_>>) {
    // Each text event with spans to wrap: its index, and its spans.
    let mut found: Vec<(usize, Vec<(usize, usize)>)> = Vec::new();
    let mut code = 0usize;
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Text(text) if code == 0 => {
                let spans = spans(text);
                if !spans.is_empty() {
                    found.push((i, spans));
                }
            }
            _ => {}
        }
    }
    if found.is_empty() {
        return;
    }
    // A text event becomes at most two events per span and one after.
    let added: usize = found.iter().map(|(_, spans)| 4 * spans.len()).sum();
    let mut out = Vec::with_capacity(events.len() + added);
    let mut next = found.into_iter().peekable();
    for (i, event) in events.drain(..).enumerate() {
        match (event, next.peek()) {
            (Event::Text(text), Some((at, _))) if *at == i => {
                let (_, spans) = next.next().unwrap_or_default();
                split(text, &spans, &mut out);
            }
            (event, _) => out.push(event),
        }
    }
    *events = out;
}

/// `text` cut at `spans`, each span wrapped. Text borrowed from the
/// Markdown stays borrowed.
fn split<'a>(text: CowStr<'a>, spans: &[(usize, usize)], out: &mut Vec<Event<'a>>) {
    let part = |a: usize, b: usize| -> CowStr<'a> {
        match &text {
            CowStr::Borrowed(s) => CowStr::Borrowed(&s[a..b]),
            other => CowStr::from(other[a..b].to_string()),
        }
    };
    let mut at = 0;
    for &(start, end) in spans {
        if start > at {
            out.push(Event::Text(part(at, start)));
        }
        out.push(Event::Html(CowStr::Borrowed("<span class=\"nowrap\">")));
        out.push(Event::Text(part(start, end)));
        out.push(Event::Html(CowStr::Borrowed("</span>")));
        at = end;
    }
    if at < text.len() {
        out.push(Event::Text(part(at, text.len())));
    }
}

/// The end of the number starting at byte `i` (digits with `.`, `,` or `:`
/// between digits), or `None` when there is no digit there.
fn number_end(text: &str, i: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if !bytes.get(i)?.is_ascii_digit() {
        return None;
    }
    let mut j = i;
    while j < bytes.len() {
        let separator = matches!(bytes[j], b'.' | b',' | b':')
            && bytes.get(j + 1).is_some_and(u8::is_ascii_digit)
            && j > i;
        if !bytes[j].is_ascii_digit() && !separator {
            break;
        }
        j += 1;
    }
    Some(j)
}

/// Byte ranges of the ranges and numbers-with-units in `text`.
///
/// Only an ASCII digit can start one, so the scan jumps from digit to digit
/// (a digit is one byte, always at a character's start) instead of
/// decoding every character of the page in between.
fn spans(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(skip) = bytes[i..].iter().position(u8::is_ascii_digit) {
        i += skip;
        let starts_number = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        match starts_number.then(|| span_at(text, i)).flatten() {
            Some((end, joined)) => {
                if joined {
                    found.push((i, end));
                }
                i = end;
            }
            None => i += 1,
        }
    }
    found
}

/// Where the number starting at byte `i` of `text` ends, taking in a
/// range's second number and a unit after it, and whether it took in
/// either (only then is it kept together); `None` when no number starts
/// there.
fn span_at(text: &str, i: usize) -> Option<(usize, bool)> {
    let mut end = number_end(text, i)?;
    let mut joined = false;
    if let Some(c) = text[end..].chars().next().filter(|c| RANGE.contains(c)) {
        if let Some(second) = number_end(text, end + c.len_utf8()) {
            end = second;
            joined = true;
        }
    }
    let rest = &text[end..];
    let scaled = rest
        .strip_prefix('万')
        .or_else(|| rest.strip_prefix('亿'))
        .unwrap_or(rest);
    if let Some(u) = scaled.chars().next().filter(|c| UNITS.contains(c)) {
        end = text.len() - scaled.len() + u.len_utf8();
        joined = true;
    }
    Some((end, joined))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(text: &str) -> Vec<&str> {
        spans(text).into_iter().map(|(a, b)| &text[a..b]).collect()
    }

    #[test]
    fn ranges_and_units_stay_together() {
        assert_eq!(wrapped("“会宝岭工匠杯”2026—2027年度"), ["2026—2027年"]);
        assert_eq!(
            wrapped("报到时间14:00—18:00，共216名代表"),
            ["14:00—18:00", "216名"]
        );
        assert_eq!(wrapped("12月10日至11日召开"), ["12月", "10日", "11日"]);
        assert_eq!(wrapped("增长3.5%，补助1.5万元"), ["3.5%", "1.5万元"]);
        assert_eq!(wrapped("10至11"), ["10至11"]);
    }

    /// The scan as it was, character by character (the same number at
    /// each start; what differs is how the scan gets from one to the next).
    fn spans_char_by_char(text: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let starts_number = text.as_bytes()[i].is_ascii_digit()
                && (i == 0 || !text.as_bytes()[i - 1].is_ascii_alphanumeric());
            let Some((end, joined)) = starts_number.then(|| span_at(text, i)).flatten() else {
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                continue;
            };
            if joined {
                found.push((i, end));
            }
            i = end;
        }
        found
    }

    proptest::proptest! {
        #![proptest_config(crate::source::random_text::config())]
        /// Jumping from digit to digit finds what reading every character did.
        #[test]
        fn the_digit_scan_finds_what_the_character_scan_found(
            text in crate::source::random_text::pieces(&[
                "1", "2", "09", ".", ",", ":", "—", "-", "至", "~", "万", "亿", "名", "%", "年",
                "a", "B", "〔", "〕", " ", "中文", "\n",
            ], 30)
        ) {
            proptest::prop_assert_eq!(spans(&text), spans_char_by_char(&text));
        }
    }

    #[test]
    fn plain_numbers_and_codes_are_left_alone() {
        assert!(wrapped("内线8601").is_empty());
        assert!(wrapped("B座2楼").is_empty());
        assert_eq!(wrapped("〔2026〕28号"), ["28号"]);
        assert!(wrapped("ISO9001认证").is_empty());
    }

    #[test]
    fn code_is_never_touched() {
        use pulldown_cmark::{Parser, html};
        let md = "共216名。\n\n```\n216名\n```\n";
        let mut events: Vec<Event> = Parser::new(md).collect();
        mark(&mut events);
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter());
        assert_eq!(
            out,
            "<p>共<span class=\"nowrap\">216名</span>。</p>\n<pre><code>216名\n</code></pre>\n"
        );
    }
}
