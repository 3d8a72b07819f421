//! Turning one Markdown file into a page or a section: split the front
//! matter, read each field with its type, collect every problem.

use std::ops::Range;
use std::sync::Arc;

use jiff::tz::TimeZone;

use super::model::{PageMeta, Section};
use super::schema::{ALIASES, Kind, PAGE_KEYS, SECTION_KEYS, Sort, URGENCIES};
use crate::diagnostics::Diagnostic;
use crate::i18n::Msg;
use crate::source::SourceFile;
use crate::source::fields::Fields;
use crate::source::front_matter::{self, SplitError, Yaml};

/// The YAML range, body range and parsed mapping of a file's front matter.
struct FrontMatter {
    yaml: Range<usize>,
    body: Range<usize>,
    map: Vec<(String, Yaml)>,
    /// Problems found while reading that did not stop it (a key written
    /// twice): reported with those of the fields.
    errors: Vec<Diagnostic>,
}

fn front_matter(file: &SourceFile) -> Result<FrontMatter, Vec<Diagnostic>> {
    let split = front_matter::split(&file.text).map_err(|e| {
        let (range, msg) = match e {
            SplitError::Missing => (0..0, Msg::NoFrontMatter),
            SplitError::Toml(r) => (r, Msg::TomlFrontMatter),
            SplitError::NotAtStart(r) => (r, Msg::FrontMatterNotAtStart),
            SplitError::Unclosed(r) => {
                let yaml_start = file.text.find('\n').map_or(file.text.len(), |i| i + 1);
                match front_matter::probable_end(&file.text, yaml_start) {
                    Some((line, body)) => (body, Msg::UnclosedFrontMatterAfter { line }),
                    None => (r, Msg::UnclosedFrontMatter),
                }
            }
        };
        vec![Diagnostic::error(Some(file.span(range)), msg)]
    })?;
    let yaml_text = &file.text[split.yaml.clone()];
    let at = split.yaml.start;
    let (value, errors) = front_matter::parse_report(yaml_text);
    let errors: Vec<Diagnostic> = errors
        .into_iter()
        .map(|e| {
            let span = file.span(at + e.bytes.start..at + e.bytes.end);
            Diagnostic::error(Some(span), e.msg)
        })
        .collect();
    match value {
        Some(Yaml::Map(map)) => Ok(FrontMatter {
            yaml: split.yaml,
            body: split.body,
            map,
            errors,
        }),
        Some(_) => Err(vec![Diagnostic::error(
            Some(file.span(split.yaml.start..split.yaml.start + 1)),
            Msg::FrontMatterNotMap,
        )]),
        None => Err(errors),
    }
}

/// A page's front matter. `None` when it has an error that leaves no page
/// to build (the diagnostics say why); warnings come back either way.
pub fn page(
    file: &SourceFile,
    tz: &TimeZone,
) -> (Option<(PageMeta, Range<usize>)>, Vec<Diagnostic>) {
    let fm = match front_matter(file) {
        Ok(fm) => fm,
        Err(d) => return (None, d),
    };
    let mut f = Fields::new(file, fm.yaml.clone(), fm.map, ALIASES, tz);
    f.diags.extend(fm.errors);
    let mut m = PageMeta {
        title: f.required_text("title").unwrap_or_default(),
        date: f.required_date("date"),
        updated: f.date("updated"),
        draft: f.bool("draft").unwrap_or(false),
        summary: f.text("summary"),
        tags: f.name_list("tags"),
        author: f.names("author"),
        editor: f.names("editor"),
        reviewer: f.names("reviewer"),
        department: f.text("department"),
        pinned: f.bool("pinned").unwrap_or(false),
        pinned_until: f.date("pinned_until"),
        expires: f.date("expires"),
        attachments: f.attachments("attachments"),
        template: f.text("template"),
        doc_number: f.text("doc_number"),
        recipients: f.text_list("recipients"),
        cc: f.text_list("cc"),
        signed_on: f.date("signed_on"),
        contact: f.text("contact"),
        printed_by: f.text("printed_by"),
        printed_on: f.date("printed_on"),
        issuer: f.text("issuer"),
        policy_number: f.text("policy_number"),
        effective: f.date("effective"),
        source: f.text("source"),
        source_url: f.url("source_url"),
        event_date: f.date("event_date"),
        location: f.text("location"),
        organizer: f.text("organizer"),
        participants: f.number("participants"),
        ..PageMeta::default()
    };
    // What Jekyll, Hexo and Hugo call the same things (README, "Sites moved
    // from other generators"): `description` is the summary, `categories`
    // are browsed like tags.
    let description = f.text("description");
    if m.summary.is_none() {
        m.summary = description;
    }
    for category in f.text_list("categories") {
        if !m.tags.contains(&category) {
            m.tags.push(category);
        }
    }
    m.slug = text_with_span(&mut f, "slug");
    m.cover =
        text_with_span(&mut f, "cover").filter(|(url, span)| f.url_is_safe(url, span.clone()));
    m.kind = kind(&mut f);
    m.title_lines = title_lines(&mut f, &m.title);
    if let Some((urgency, span)) = text_with_span(&mut f, "urgency") {
        if URGENCIES.contains(&urgency.as_str()) {
            m.urgency = Some(urgency);
        } else {
            f.diags.push(Diagnostic::error(
                Some(span),
                Msg::UnknownUrgency { value: urgency },
            ));
        }
    }
    let (extra, mut diags) = f.finish(PAGE_KEYS);
    diags.extend(super::body::check(file, fm.body.clone()));
    m.extra = extra;
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some((m, fm.body)), diags)
}

/// `title_lines`, checked against the title they break: joined they must
/// read as the title, or the printed title would differ from the page's.
fn title_lines(f: &mut Fields, title: &str) -> Vec<String> {
    let Some((lines, span)) = f.lines("title_lines") else {
        return Vec::new();
    };
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let joined = lines.concat();
    if squeeze(&joined) != squeeze(title) {
        f.diags.push(Diagnostic::warning(
            Some(span),
            Msg::TitleLinesMismatch {
                joined,
                title: title.to_string(),
            },
        ));
        return Vec::new();
    }
    lines
}

fn text_with_span(f: &mut Fields, key: &str) -> Option<(String, crate::diagnostics::Span)> {
    let (v, span) = f.take(key)?;
    match v.as_text() {
        Some(t) if !t.trim().is_empty() => Some((t.trim().to_string(), span)),
        Some(_) => None,
        None if v == Yaml::Null => None,
        None => {
            let msg = Msg::WrongType {
                field: key.into(),
                expect: crate::i18n::Expect::Text,
                found: v.kind_name(),
            };
            f.diags.push(Diagnostic::error(Some(span), msg));
            None
        }
    }
}

fn kind(f: &mut Fields) -> Option<Kind> {
    let (value, span) = text_with_span(f, "kind")?;
    let kind = Kind::parse(&value);
    if kind.is_none() {
        f.diags
            .push(Diagnostic::error(Some(span), Msg::UnknownKind { value }));
    }
    kind
}

/// A section's `_index.md`. `dir` is its content-relative folder.
pub fn section(
    file: Arc<SourceFile>,
    dir: String,
    tz: &TimeZone,
) -> (Option<Section>, Vec<Diagnostic>) {
    let fm = match front_matter(&file) {
        Ok(fm) => fm,
        Err(d) => return (None, d),
    };
    let mut f = Fields::new(&file, fm.yaml.clone(), fm.map, ALIASES, tz);
    f.diags.extend(fm.errors);
    let title = f.required_text("title").unwrap_or_default();
    let kind = kind(&mut f).unwrap_or(Kind::Page);
    let paginate = f.number("paginate").map(|n| n as usize);
    let mut sort = Sort::Date;
    if let Some((value, span)) = text_with_span(&mut f, "sort") {
        match Sort::parse(&value) {
            Some(s) => sort = s,
            None => f
                .diags
                .push(Diagnostic::error(Some(span), Msg::UnknownSort { value })),
        }
    }
    let description = f.text("description").or_else(|| f.text("summary"));
    let template = f.text("template");
    let (extra, diags) = f.finish(SECTION_KEYS);
    let ok = !diags.iter().any(Diagnostic::is_error);
    let section = Section {
        file: Some(file.clone()),
        dir,
        title,
        kind,
        paginate,
        sort,
        description,
        template,
        body: fm.body,
        extra,
    };
    (ok.then_some(section), diags)
}
