//! The parts of a notice that an official document (公文, GB/T 9704) sets in
//! a form of its own. In the Markdown body, the attachment note (附件说明),
//! written either as a paragraph "附件：" followed by a numbered list, or as
//! one paragraph "附件：会议议程", is marked with a class for the theme:
//! the text and the order stay as written, and pages that never print as 公文
//! just carry an unused class. For the title, [`title_lines`] finds where a
//! title too long for one printed line breaks without cutting a word.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// The class the theme styles the attachment note by.
pub const ATTACHMENT_NOTE: &str = "doc-attachment-note";

/// "附件：" or "附件:" (full- or half-width colon).
fn attachment_label(text: &str) -> Option<&str> {
    let rest = text.trim_start().strip_prefix("附件")?;
    rest.strip_prefix('：').or_else(|| rest.strip_prefix(':'))
}

/// Marks the attachment notes among `events` (top-level blocks only).
pub fn mark(events: &mut Vec<Event<'_>>) {
    let mut depth = 0usize;
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                if let Some(skip) = mark_note(events, i) {
                    i += skip;
                    continue;
                }
                depth += 1;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
}

/// If the paragraph starting at `start` is an attachment note, marks it and
/// returns how many events it now spans.
fn mark_note(events: &mut Vec<Event<'_>>, start: usize) -> Option<usize> {
    let Some(Event::Text(first)) = events.get(start + 1) else {
        return None;
    };
    let rest = attachment_label(first)?;
    let alone = rest.trim().is_empty() && matches!(events.get(start + 2), Some(Event::End(_)));
    let open = format!("<p class=\"{ATTACHMENT_NOTE}\">");
    if alone
        && matches!(
            events.get(start + 3),
            Some(Event::Start(Tag::List(Some(_))))
        )
    {
        // "附件：" and the numbered list after it: one block.
        let end = list_end(events, start + 3)?;
        events.insert(end + 1, Event::Html(CowStr::from("</div>\n")));
        events.insert(
            start,
            Event::Html(CowStr::from(format!("<div class=\"{ATTACHMENT_NOTE}\">\n"))),
        );
        return Some(end + 3 - start);
    }
    if alone {
        return None;
    }
    // "附件：会议议程" on its own: the paragraph itself.
    let end =
        (start..events.len()).find(|&k| matches!(events[k], Event::End(TagEnd::Paragraph)))?;
    events[start] = Event::Html(CowStr::from(open));
    events[end] = Event::Html(CowStr::from("</p>\n"));
    Some(end + 1 - start)
}

/// The index of the `End` of the list whose `Start` is at `start`.
fn list_end(events: &[Event<'_>], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, e) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

/// Characters a printed 2号 title line holds (156 mm at 22 pt).
const TITLE_LINE: f32 = 20.0;
/// Endings that name the kind of document (文种): a title breaks before "的…".
const DOC_KINDS: &[&str] = &[
    "通知",
    "决定",
    "意见",
    "报告",
    "通报",
    "公告",
    "请示",
    "批复",
    "方案",
    "办法",
    "规定",
    "纪要",
    "函",
    "总结",
    "计划",
    "倡议书",
    "决议",
];

fn width(s: &str) -> f32 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.55 } else { 1.0 })
        .sum()
}

/// Where a title may break without cutting a word: before the 文种 ("…的
/// 通知"), before an ordinal (第三次), after a closing quote or bracket, after
/// 、，：, and after a year (2027年, 2026—2027年度) or a 届.
fn safe_breaks(chars: &[char]) -> Vec<usize> {
    let mut breaks = Vec::new();
    for k in 1..chars.len() {
        let (before, after) = (chars[k - 1], chars[k]);
        let ends_kind = after == '的' && {
            let rest: String = chars[k + 1..].iter().collect();
            DOC_KINDS
                .iter()
                .any(|d| rest.strip_prefix("紧急").unwrap_or(&rest) == *d)
        };
        let year = (before == '年' && after != '度' && k >= 2 && chars[k - 2].is_ascii_digit())
            || (before == '度' && k >= 3 && chars[k - 2] == '年' && chars[k - 3].is_ascii_digit());
        if ends_kind
            || (after == '第' && k > 1)
            || matches!(before, '”' | '》' | '）' | ')' | '、' | '，' | '：' | '届')
            || year
        {
            breaks.push(k);
        }
    }
    breaks
}

/// The lines a title too long for one printed line breaks into: two lines,
/// each within the line, at a safe place (see [`safe_breaks`]), as even as
/// possible. Empty when the title fits one line, or when no safe place gives
/// lines within 11 characters of each other (the theme then balances the
/// lines itself).
pub fn title_lines(title: &str) -> Vec<String> {
    // Two lines at most: longer titles (and any text pasted into a title by
    // mistake) are left to the theme, so this never costs more than a glance.
    if title.chars().nth(2 * TITLE_LINE as usize * 2).is_some() {
        return Vec::new();
    }
    let w = width(title);
    if w <= TITLE_LINE || w > 2.0 * TITLE_LINE {
        return Vec::new();
    }
    let chars: Vec<char> = title.chars().collect();
    let best = safe_breaks(&chars)
        .into_iter()
        .map(|k| {
            let left: String = chars[..k].iter().collect();
            let right: String = chars[k..].iter().collect();
            (left, right)
        })
        .filter(|(l, r)| width(l) <= TITLE_LINE && width(r) <= TITLE_LINE)
        .min_by(|a, b| {
            let d = |(l, r): &(String, String)| (width(l) - width(r)).abs();
            d(a).total_cmp(&d(b))
        });
    match best {
        Some((l, r)) if (width(&l) - width(&r)).abs() <= 11.0 => vec![l, r],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Parser, html};

    fn render(md: &str) -> String {
        let mut events: Vec<Event> = Parser::new(md).collect();
        mark(&mut events);
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter());
        out
    }

    #[test]
    fn a_label_and_its_numbered_list_are_one_note() {
        let out = render("正文。\n\n附件：\n\n1. 会议议程\n2. 代表报到回执\n");
        assert_eq!(
            out,
            "<p>正文。</p>\n<div class=\"doc-attachment-note\">\n<p>附件：</p>\n\
             <ol>\n<li>会议议程</li>\n<li>代表报到回执</li>\n</ol>\n</div>\n"
        );
    }

    #[test]
    fn a_single_attachment_paragraph_is_marked() {
        let out = render("附件：会议议程\n");
        assert_eq!(out, "<p class=\"doc-attachment-note\">附件：会议议程</p>\n");
        let half = render("附件: 会议议程\n");
        assert!(
            half.starts_with("<p class=\"doc-attachment-note\">"),
            "{half}"
        );
    }

    #[test]
    fn other_text_is_left_alone() {
        for md in [
            "附件在下载中心。\n",
            "附件：\n\n- 会议议程\n",
            "详见附件：会议议程。\n",
            "> 附件：会议议程\n",
            "1. 附件：会议议程\n",
        ] {
            assert!(!render(md).contains(ATTACHMENT_NOTE), "{md}");
        }
    }

    #[test]
    fn text_after_the_note_is_kept() {
        let out = render("附件：\n\n1. 议程\n   1. 上午\n2. 回执\n\n联系人：陈静\n");
        assert!(
            out.ends_with("</ol>\n</div>\n<p>联系人：陈静</p>\n"),
            "{out}"
        );
    }

    #[test]
    fn long_titles_break_between_words() {
        let t = |s| title_lines(s);
        assert_eq!(
            t("关于召开集团第五届职工代表大会第三次会议的通知"),
            ["关于召开集团第五届", "职工代表大会第三次会议的通知"]
        );
        assert_eq!(
            t("关于做好2027年元旦期间安全生产工作的通知"),
            ["关于做好2027年", "元旦期间安全生产工作的通知"]
        );
        assert_eq!(
            t("关于开展2026年度工会会员实名制信息采集和核对工作的通知"),
            ["关于开展2026年度", "工会会员实名制信息采集和核对工作的通知"]
        );
        assert_eq!(
            t("关于举办“会宝岭工匠杯”2026—2027年度职工职业技能大赛的通知"),
            [
                "关于举办“会宝岭工匠杯”",
                "2026—2027年度职工职业技能大赛的通知"
            ]
        );
    }

    #[test]
    fn a_huge_title_is_left_alone() {
        // A whole text pasted into `title:` by mistake: no lines, and only
        // its first characters are looked at (tests/build_errors.rs builds
        // such a page).
        assert!(title_lines(&"关于2026年的通知".repeat(100_000)).is_empty());
    }

    #[test]
    fn short_titles_and_titles_without_a_safe_break_are_left_to_the_theme() {
        assert!(title_lines("关于做好元旦期间安全生产工作的通知").is_empty());
        // The only safe place leaves 18 and 5 characters: too uneven.
        assert!(title_lines("关于切实做好寒潮天气职工安全防护工作的紧急通知").is_empty());
        assert!(title_lines("职工书屋图书借阅与管理和职工阅读推广活动实施情况").is_empty());
    }
}
