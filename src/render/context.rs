//! The values templates read (docs/THEMES.md is their contract). Each page's
//! summary is built once and shared by every list that shows it: Tera values
//! are reference-counted, so a list of 20 pages is 20 pointer copies.

use jiff::tz::TimeZone;
use tera::{Map, Value};

use super::body::Body;
use crate::config::Config;
use crate::i18n::{self, Lang};
use crate::images;
use crate::site::{Attachment, Site, SitePage};
use crate::source::dates::Moment;

/// A map value built field by field; absent options are left out so that
/// `{% if page.author %}` reads naturally.
#[derive(Default)]
pub struct Obj(Map);

impl Obj {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set(mut self, key: &'static str, value: impl Into<Value>) -> Self {
        self.0.insert(key.into(), value.into());
        self
    }

    pub fn opt(self, key: &'static str, value: Option<impl Into<Value>>) -> Self {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    pub fn build(self) -> Value {
        Value::from(self.0)
    }
}

/// Adds fields to an existing map value (a page summary plus its content).
pub fn extend(base: &Value, fields: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    let mut map = base.as_map().cloned().unwrap_or_default();
    for (k, v) in fields {
        map.insert(k.into(), v);
    }
    Value::from(map)
}

pub fn date(m: &Moment, lang: Lang, tz: &TimeZone) -> Value {
    let d = m.date();
    Obj::new()
        .set("iso", d.to_string())
        .set(
            "display",
            i18n::format_date(lang, d.year(), d.month(), d.day()),
        )
        .set("datetime", m.rfc3339(tz))
        .set("year", d.year() as i64)
        .set("month", d.month() as i64)
        .build()
}

fn attachment(a: &Attachment, lang: Lang) -> Value {
    Obj::new()
        .set("title", a.title.as_str())
        .set("file", a.file.as_str())
        .set("url", a.url.as_str())
        .set("size", a.size)
        .set("size_display", crate::format::human_size(a.size))
        .set("ext", a.ext.to_uppercase())
        .set("type_label", i18n::file_type_label(lang, &a.ext))
        .build()
}

/// Cuts plain text to `max` characters (not bytes) at most, with `…`.
pub fn excerpt(text: &str, max: usize) -> String {
    let mut chars = text.char_indices();
    match chars.nth(max) {
        Some((i, _)) => format!("{}…", text[..i].trim_end()),
        None => text.to_string(),
    }
}

const SUMMARY_CHARS: usize = 120;

fn joined(items: &[String]) -> Option<String> {
    (!items.is_empty()).then(|| items.join("、"))
}

/// Where a notice's long title breaks when the editor gave no `title_lines`.
fn auto_title_lines(p: &SitePage) -> Option<Vec<String>> {
    let m = &p.page.meta;
    if p.kind != crate::content::Kind::Notice || !m.title_lines.is_empty() {
        return None;
    }
    let lines = super::official::title_lines(&m.title);
    (!lines.is_empty()).then_some(lines)
}

/// What lists show of a page: everything but its content.
pub fn page_summary(site: &Site, p: &SitePage, body: &Body) -> Value {
    let c = &site.config;
    let (lang, tz) = (c.lang, &c.timezone);
    let m = &p.page.meta;
    let s = &site.sections[p.section];
    let d = |x: &Option<Moment>| x.as_ref().map(|m| date(m, lang, tz));
    let tags: Vec<Value> = p
        .tags
        .iter()
        .map(|&t| {
            Obj::new()
                .set("name", site.tags[t].name.as_str())
                .set("url", site.tags[t].url.as_str())
                .build()
        })
        .collect();
    let summary = m
        .summary
        .clone()
        .unwrap_or_else(|| body.excerpt(SUMMARY_CHARS));
    let extra: Map = m
        .extra
        .iter()
        .map(|(k, v)| (k.clone().into(), Value::from_serializable(&v.to_json())))
        .collect();
    Obj::new()
        .set("title", m.title.as_str())
        .set("url", p.url.as_str())
        .set("kind", p.kind.as_str())
        .set("slug", p.slug.as_str())
        .set("section", section_ref(site, p.section))
        .opt("date", d(&m.date))
        .opt("updated", d(&m.updated))
        .opt("expires", d(&m.expires))
        .opt("pinned_until", d(&m.pinned_until))
        .set("summary", summary)
        .set("tags", tags)
        .opt("author", m.author.as_deref())
        .opt("editor", m.editor.as_deref())
        .opt("reviewer", m.reviewer.as_deref())
        .opt("department", m.department.as_deref())
        .opt(
            "department_url",
            site.taxonomy.department_of(p).map(|d| d.url.as_str()),
        )
        .set("pinned", p.pinned)
        .set("expired", p.expired)
        .set("draft", m.draft)
        .set(
            "attachments",
            p.attachments
                .iter()
                .map(|a| attachment(a, lang))
                .collect::<Vec<_>>(),
        )
        .opt("doc_number", m.doc_number.as_deref())
        .opt("urgency", m.urgency.as_deref())
        .opt("recipients", joined(&m.recipients))
        .opt("cc", joined(&m.cc))
        .opt("signed_on", d(&m.signed_on))
        .opt("contact", m.contact.as_deref())
        .opt("printed_by", m.printed_by.as_deref())
        .opt("printed_on", d(&m.printed_on))
        .opt(
            "title_lines",
            (!m.title_lines.is_empty()).then(|| m.title_lines.clone()),
        )
        .opt("title_auto_lines", auto_title_lines(p))
        .opt("issuer", m.issuer.as_deref())
        .opt("policy_number", m.policy_number.as_deref())
        .opt("effective", d(&m.effective))
        .opt("source", m.source.as_deref())
        .opt("source_url", m.source_url.as_deref())
        .opt("event_date", d(&m.event_date))
        .opt("location", m.location.as_deref())
        .opt("organizer", m.organizer.as_deref())
        .opt("participants", m.participants)
        .opt("cover", cover(site, p, body))
        .set("extra", Value::from(extra))
        .set("section_title", s.section.title.as_str())
        .build()
}

/// The cover as templates see it: `url`, `alt` and, for a photo, its
/// sizes and thumbnail. An event report without a `cover` uses its first
/// photo.
pub fn cover(site: &Site, p: &SitePage, body: &Body) -> Option<Value> {
    let alt = p.page.meta.title.as_str();
    match &p.cover_url {
        Some(url) => Some(
            photo_value(site, url, alt)
                .unwrap_or_else(|| Obj::new().set("url", url.as_str()).build()),
        )
        .map(|v| extend(&v, [("alt", Value::from(alt))])),
        None if p.kind == crate::content::schema::Kind::Event => page_photos(site, p, body)
            .into_iter()
            .next()
            .map(|v| extend(&v, [("alt", Value::from(alt))])),
        None => None,
    }
}

/// A photo as templates see it, by the URL of its original: `url`,
/// `width`, `height` of the display copy, `thumb`, `thumb_width`,
/// `thumb_height`, `caption`, and `original` when originals are published.
pub fn photo_value(site: &Site, url: &str, caption: &str) -> Option<Value> {
    let (a, photo) = site.photo_at(url)?;
    let t = photo.thumb_or_display();
    let originals = site.config.images.publish_originals;
    Some(
        Obj::new()
            .set("url", images::display_url(&a.url, photo))
            .set("width", photo.display.width as i64)
            .set("height", photo.display.height as i64)
            .set("thumb", images::thumb_url(&a.url, photo))
            .set("thumb_width", t.width as i64)
            .set("thumb_height", t.height as i64)
            .set("caption", caption)
            .opt("original", originals.then(|| images::original_url(&a.url)))
            .build(),
    )
}

/// What the HTML of rendered Markdown needs to know of a photo.
pub fn photo_shown(site: &Site, url: &str) -> Option<images::html::Shown> {
    let (a, photo) = site.photo_at(url)?;
    Some(images::html::Shown {
        display_url: images::display_url(&a.url, photo),
        width: photo.display.width,
        height: photo.display.height,
        thumb: photo
            .thumb
            .as_ref()
            .map(|t| (images::thumb_url(&a.url, photo), t.width)),
    })
}

/// A page's photos for its gallery: those its Markdown shows, in order and
/// captioned with their title or alt text, then the other photos of its
/// bundle (the cover left out) by file name.
pub fn page_photos(site: &Site, p: &SitePage, body: &Body) -> Vec<Value> {
    if site.photos.by_rel.is_empty() {
        return Vec::new();
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for tag in body.images(&p.url).iter() {
        let Some((a, _)) = site.photo_at(&tag.url) else {
            continue;
        };
        if !seen.insert(a.url.as_str()) {
            continue;
        }
        let caption = if tag.title.trim().is_empty() {
            tag.alt.trim()
        } else {
            tag.title.trim()
        };
        out.extend(photo_value(site, &a.url, caption));
    }
    if p.page.bundle {
        let mut rest: Vec<&str> = site
            .photos
            .bundles
            .get(p.page.dir())
            .into_iter()
            .flatten()
            .map(|&i| site.assets[i].url.as_str())
            .filter(|u| Some(*u) != p.cover_url.as_deref() && !seen.contains(u))
            .collect();
        rest.sort();
        out.extend(rest.into_iter().filter_map(|u| photo_value(site, u, "")));
    }
    out
}

pub fn section_ref(site: &Site, i: usize) -> Value {
    let s = &site.sections[i];
    Obj::new()
        .set("title", s.section.title.as_str())
        .set("url", s.url.as_str())
        .set("kind", s.section.kind.as_str())
        .build()
}

/// `site`, `sections`, `t` and `build`: the same for every template.
pub fn globals(site: &Site) -> Vec<(&'static str, Value)> {
    let c: &Config = &site.config;
    let menu: Vec<Value> = c
        .menu
        .iter()
        .map(|m| {
            Obj::new()
                .set("title", m.title.as_str())
                .set("url", m.url.as_str())
                .set("external", m.external)
                .build()
        })
        .collect();
    let contact: Map = c
        .contact
        .iter()
        .map(|(k, v)| (k.clone().into(), Value::from(v.as_str())))
        .collect();
    let site_value = Obj::new()
        .set("title", c.title.as_str())
        .opt("subtitle", c.subtitle.as_deref())
        .opt("organization", c.organization.as_deref())
        .set("language", c.language.as_str())
        .set("menu", menu)
        .set("contact", Value::from(contact))
        .set("channels", super::contact::channels(c))
        .opt(
            "contact_url",
            super::contact::has_channels(c).then_some(super::contact::URL),
        )
        .set("new_days", c.new_days)
        .opt("base_url", c.base_url.as_deref())
        .opt("feed_url", super::feeds::site_feed(site))
        .build();
    let sections: Vec<Value> = site
        .sections
        .iter()
        .filter(|s| !s.section.dir.is_empty())
        .map(|s| {
            Obj::new()
                .set("title", s.section.title.as_str())
                .set("url", s.url.as_str())
                .set("kind", s.section.kind.as_str())
                .opt("description", s.section.description.as_deref())
                .set("count", s.pages.len())
                .build()
        })
        .collect();
    let t: Map = i18n::ui::strings(c.lang)
        .map(|(k, v)| (k.into(), Value::from(v)))
        .collect();
    vec![
        ("site", site_value),
        ("sections", Value::from(sections)),
        ("t", Value::from(t)),
        ("build", Obj::new().set("generator", "unionpress").build()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_cuts_by_characters() {
        assert_eq!(excerpt("工会服务职工", 4), "工会服务…");
        assert_eq!(excerpt("工会", 4), "工会");
    }
}
