//! Reaching the union: the channels `contact:` in `site.yaml` names
//! (hotline, mailbox, office, office hours, an external form such as an OA
//! system's) turned into what the footer and the contact page
//! (`contact/index.html`, template `contact.html`) show, with `tel:` links
//! for the numbers in the hotline text and `mailto:` links with a subject
//! filled in. A static site cannot receive anything, so there is no form of
//! its own: only ways to call, write, visit or go to a form elsewhere.

use std::ops::Range;

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use tera::Value;

use super::context::Obj;
use crate::config::{self, Config};
use crate::i18n::ui;

/// The contact page; reserved with the other generated URLs.
pub const URL: &str = crate::site::generated::CONTACT;

/// The template; a theme without it gets no contact page.
pub const TEMPLATE: &str = "contact.html";

/// Keys with a meaning of their own, in the order they are shown; any other
/// key is shown as written, after these.
const KNOWN: &[&str] = &["hotline", "mailbox", "office", "hours", "form"];

fn get<'a>(config: &'a Config, key: &str) -> Option<&'a str> {
    config
        .contact
        .iter()
        .find(|(k, v)| k == key && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
}

/// Whether the site names any channel (and so gets a contact page).
pub fn has_channels(config: &Config) -> bool {
    config.has_contact_channels()
}

/// The phone numbers in a hotline text such as `8600（内线）/ 12351`:
/// runs of at least three digits, with `-` or single spaces inside and an
/// optional leading `+`; full-width digits count too.
pub fn phone_numbers(text: &str) -> Vec<String> {
    phone_spans(text).into_iter().map(|(_, n)| n).collect()
}

/// [`phone_numbers`] with the byte range each was found at.
fn phone_spans(text: &str) -> Vec<(Range<usize>, String)> {
    let chars: Vec<(usize, char)> = text
        .char_indices()
        .map(|(i, c)| {
            let c = match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '－' => '-',
                '＋' => '+',
                c => c,
            };
            (i, c)
        })
        .collect();
    let digit_at = |j: usize| chars.get(j).is_some_and(|(_, c)| c.is_ascii_digit());
    let mut numbers = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let starts_number = c.is_ascii_digit() || (c == '+' && digit_at(i + 1));
        if !starts_number {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        let mut end = start;
        let mut number = String::new();
        while i < chars.len() {
            let (at, c) = chars[i];
            if c.is_ascii_digit() || (c == '+' && number.is_empty()) {
                number.push(c);
                end = at + text[at..].chars().next().map_or(1, char::len_utf8);
            } else if !((c == '-' || c == ' ') && digit_at(i + 1)) {
                // Anything but a separator inside a number ends it.
                break;
            }
            i += 1;
        }
        if number.chars().filter(char::is_ascii_digit).count() >= 3 {
            numbers.push((start..end, number));
        }
    }
    numbers
}

/// The e-mail addresses in a mailbox text (several may be listed).
pub fn mail_addresses(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || "，,、；;/（）()<>。：:".contains(c))
        .filter(|w| {
            let w = w.trim_matches('.');
            w.contains('@') && !w.starts_with('@') && !w.ends_with('@')
        })
        .map(|w| w.trim_matches('.').to_string())
        .collect()
}

/// `mailto:` with the subject percent-encoded, so that Chinese survives
/// every mail program.
pub fn mailto(address: &str, subject: &str) -> String {
    format!(
        "mailto:{address}?subject={}",
        utf8_percent_encode(subject, NON_ALPHANUMERIC)
    )
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The text as HTML, with each part in `found` (byte range, href, label)
/// made a link.
fn linked(text: &str, found: &[(Range<usize>, String, String)]) -> String {
    let mut html = String::new();
    let mut at = 0;
    for (range, href, label) in found {
        if range.start < at {
            continue;
        }
        html.push_str(&escape(&text[at..range.start]));
        html.push_str(&format!(
            "<a href=\"{}\" aria-label=\"{}\">{}</a>",
            escape(href),
            escape(label),
            escape(&text[range.clone()])
        ));
        at = range.end;
    }
    html.push_str(&escape(&text[at..]));
    html
}

fn link(href: String, text: &str, label: Option<String>) -> Value {
    Obj::new()
        .set("href", href)
        .set("text", text)
        .opt("label", label)
        .build()
}

/// Every channel, in a fixed order: `{key, label, text, html, links:
/// [{href, text, label?}], external}`; `html` is the text with its numbers
/// and addresses linked. `label` is the theme's word for a known key,
/// else the key itself.
pub fn channels(config: &Config) -> Vec<Value> {
    let lang = config.lang;
    let t = |key: &str| ui::get(lang, key).to_string();
    let mut keys: Vec<&str> = KNOWN.to_vec();
    for (k, _) in &config.contact {
        if !KNOWN.contains(&k.as_str())
            && !config::CONTACT_SETTINGS.contains(&k.as_str())
            && !keys.contains(&&**k)
        {
            keys.push(k);
        }
    }
    let mut out = Vec::new();
    for key in keys {
        let Some(text) = get(config, key) else {
            continue;
        };
        let mut links = Vec::new();
        let mut found = Vec::new();
        let mut external = false;
        let label = match key {
            "hotline" => {
                for (range, n) in phone_spans(text) {
                    let label = format!("{} {}", t("call"), &text[range.clone()]);
                    let href = format!("tel:{n}");
                    found.push((range.clone(), href.clone(), label.clone()));
                    links.push(link(href, &text[range], Some(label)));
                }
                t("hotline")
            }
            "mailbox" => {
                let subject =
                    get(config, "mail_subject").map_or_else(|| t("mail_subject"), str::to_string);
                let mut from = 0;
                for a in mail_addresses(text) {
                    let label = format!("{} {a}", t("write_mail"));
                    let href = mailto(&a, &subject);
                    if let Some(at) = text[from..].find(&a) {
                        let range = from + at..from + at + a.len();
                        from = range.end;
                        found.push((range, href.clone(), label.clone()));
                    }
                    links.push(link(href, &a, Some(label)));
                }
                t("mailbox")
            }
            "office" => t("office"),
            "hours" => t("hours"),
            "form" => {
                let item = config::menu_item(String::new(), text);
                external = item.external;
                let title =
                    get(config, "form_title").map_or_else(|| t("open_form"), str::to_string);
                links.push(link(item.url, &title, None));
                t("online_form")
            }
            other => other.to_string(),
        };
        out.push(
            Obj::new()
                .set("key", key)
                .set("label", label)
                .set("text", text)
                .set("html", linked(text, &found))
                .set("links", links)
                .set("external", external)
                .build(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_found_in_hotline_text() {
        assert_eq!(
            phone_numbers("8600（内线）/ 12351（全国总工会职工服务热线）"),
            ["8600", "12351"]
        );
        assert_eq!(phone_numbers("0531-8888 1234 转 6"), ["053188881234"]);
        assert_eq!(phone_numbers("＋86 １２３５１"), ["+8612351"]);
        assert!(phone_numbers("第3号楼").is_empty());
    }

    #[test]
    fn addresses_are_found_in_mailbox_text() {
        assert_eq!(
            mail_addresses("ghbgs@hbl.cn（工会办公室）、nzg@hbl.cn。"),
            ["ghbgs@hbl.cn", "nzg@hbl.cn"]
        );
        assert!(mail_addresses("请来信至工会办公室").is_empty());
    }

    #[test]
    fn hotline_text_keeps_its_words_around_the_links() {
        let found: Vec<_> = phone_spans("8600（内线）/ 0531-8888")
            .into_iter()
            .map(|(r, n)| (r, format!("tel:{n}"), "拨打".to_string()))
            .collect();
        assert_eq!(
            linked("8600（内线）/ 0531-8888", &found),
            "<a href=\"tel:8600\" aria-label=\"拨打\">8600</a>（内线）/ \
             <a href=\"tel:05318888\" aria-label=\"拨打\">0531-8888</a>"
        );
    }

    #[test]
    fn subjects_are_percent_encoded() {
        assert_eq!(
            mailto("a@b.cn", "职工反映"),
            "mailto:a@b.cn?subject=%E8%81%8C%E5%B7%A5%E5%8F%8D%E6%98%A0"
        );
    }
}
