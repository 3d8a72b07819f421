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
pub fn mark(events: &mut Vec<Event<'_>>) {
    let mut out = Vec::with_capacity(events.len());
    let mut code = 0usize;
    for event in events.drain(..) {
        match &event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Text(text) if code == 0 => {
                let spans = spans(text);
                if !spans.is_empty() {
                    split(text, &spans, &mut out);
                    continue;
                }
            }
            _ => {}
        }
        out.push(event);
    }
    *events = out;
}

fn split<'a>(text: &str, spans: &[(usize, usize)], out: &mut Vec<Event<'a>>) {
    let mut at = 0;
    for &(start, end) in spans {
        if start > at {
            out.push(Event::Text(CowStr::from(text[at..start].to_string())));
        }
        out.push(Event::Html(CowStr::from("<span class=\"nowrap\">")));
        out.push(Event::Text(CowStr::from(text[start..end].to_string())));
        out.push(Event::Html(CowStr::from("</span>")));
        at = end;
    }
    if at < text.len() {
        out.push(Event::Text(CowStr::from(text[at..].to_string())));
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
fn spans(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let starts_number = text.as_bytes()[i].is_ascii_digit()
            && (i == 0 || !text.as_bytes()[i - 1].is_ascii_alphanumeric());
        let Some(mut end) = starts_number.then(|| number_end(text, i)).flatten() else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
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
        if joined {
            found.push((i, end));
        }
        i = end;
    }
    found
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
