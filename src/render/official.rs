//! The parts of a Markdown body that an official document (公文, GB/T 9704)
//! sets in a form of their own, found in the Markdown events and marked with
//! a class for the theme. Today one part: the attachment note (附件说明),
//! written either as a paragraph "附件：" followed by a numbered list, or as
//! one paragraph "附件：会议议程". Marking is all it does: the text and
//! the order stay as written, and pages that never print as 公文 just carry
//! an unused class.

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
}
