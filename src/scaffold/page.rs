//! A new page for `unionpress new`: the archetype of its kind filled in
//! (title, date, slug, `draft: true`, the kind's other fields as commented
//! hints), in the section made for that kind or in `--section`.
//!
//! The slug is `--slug`, or the date and the title made safe for URLs and
//! Windows (`2024-03-05-关于召开职代会的通知`). It never silently lands on a
//! page that exists: an explicit slug that is taken is an error; a derived
//! one gets `-2`, `-3`… and the editor is told.

use std::path::{Path, PathBuf};

use crate::build;
use crate::config;
use crate::content::Kind;
use crate::diagnostics::{Diagnostic, Diagnostics, Sources};
use crate::i18n::{Lang, Msg};
use crate::site::{self, Site, slug};
use crate::source::front_matter::scalar;

/// The front matter of a new page of each kind, in Chinese.
const ARCHETYPES: [(Kind, &str); 4] = [
    (
        Kind::Notice,
        include_str!("../../scaffold/archetypes/notice.md"),
    ),
    (
        Kind::Policy,
        include_str!("../../scaffold/archetypes/policy.md"),
    ),
    (
        Kind::Event,
        include_str!("../../scaffold/archetypes/event.md"),
    ),
    (
        Kind::Page,
        include_str!("../../scaffold/archetypes/page.md"),
    ),
];

/// The same in English, for a site with `language: en`.
const ARCHETYPES_EN: [(Kind, &str); 4] = [
    (
        Kind::Notice,
        include_str!("../../scaffold/archetypes-en/notice.md"),
    ),
    (
        Kind::Policy,
        include_str!("../../scaffold/archetypes-en/policy.md"),
    ),
    (
        Kind::Event,
        include_str!("../../scaffold/archetypes-en/event.md"),
    ),
    (
        Kind::Page,
        include_str!("../../scaffold/archetypes-en/page.md"),
    ),
];

/// Characters of the title kept in a derived slug: readable, and well
/// inside Windows' path limits.
const TITLE_CHARS: usize = 24;

/// What to create: the same as `new`'s arguments, without the command line.
#[derive(Debug, Clone)]
pub struct NewPage {
    pub kind: Kind,
    pub title: String,
    pub bundle: bool,
    pub section: Option<String>,
    pub slug: Option<String>,
    pub date: Option<String>,
    pub root: PathBuf,
}

/// What `new` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub path: PathBuf,
    pub slug: String,
    /// The derived slug that was taken, and by which file.
    pub adjusted: Option<(String, String)>,
}

/// Creates the page; on failure, the problems and the texts they point into.
pub fn create(args: &NewPage) -> Result<(Created, Lang), (Vec<Diagnostic>, Sources)> {
    let (mut diags, mut sources) = (Diagnostics::default(), Sources::default());
    let Some(config) = config::load(&args.root, &mut diags, &mut sources) else {
        return Err((diags.into_sorted(), sources));
    };
    let lang = config.lang;
    let fail = |d: Diagnostic| (vec![d], Sources::default());
    if args.title.trim().is_empty() {
        return Err(fail(Diagnostic::error(None, Msg::EmptyTitle)));
    }
    let tz = config.timezone.clone();
    let date = match &args.date {
        Some(text) => match crate::source::dates::parse(text, &tz) {
            Some(m) => m.date(),
            None => {
                return Err(fail(Diagnostic::error(
                    None,
                    Msg::BadDate {
                        field: "--date".into(),
                        value: text.clone(),
                    },
                )));
            }
        },
        None => jiff::Timestamp::now().to_zoned(tz).date(),
    };
    // The site as it is, drafts and scheduled pages included, to find the
    // section and the slugs already taken. Its own problems are `check`'s
    // business, not a reason to refuse a new page.
    let options = site::Options {
        drafts: true,
        future: true,
        now: jiff::Timestamp::now(),
    };
    let (mut ignored, mut ignored_sources) = (Diagnostics::default(), Sources::default());
    let Some(loaded) = build::load(&args.root, options, &mut ignored, &mut ignored_sources) else {
        return Err((diags.into_sorted(), sources));
    };
    let site = &loaded.site;
    let kind = args.kind;
    let dir = section_dir(site, kind, args.section.as_deref()).map_err(fail)?;
    let content = site.config.content_dir();
    if !content.join(&dir).is_dir() {
        let shown = format!("content/{dir}");
        return Err(fail(Diagnostic::error(
            None,
            Msg::SectionMissing { dir: shown },
        )));
    }

    let (slug, adjusted) = match &args.slug {
        Some(wanted) => {
            let Some(s) = slug::slugify(wanted) else {
                let value = wanted.clone();
                return Err(fail(Diagnostic::error(None, Msg::BadSlug { value })));
            };
            if let Some(other) = taken(site, &content, &dir, &s) {
                return Err(fail(Diagnostic::error(
                    None,
                    Msg::SlugTaken { slug: s, other },
                )));
            }
            (s, None)
        }
        None => derive_slug(site, &content, &dir, &date.to_string(), &args.title),
    };

    let section_kind = kind_of_dir(site, &dir);
    let kind_line = if section_kind == kind {
        String::new()
    } else {
        format!("kind: {}\n", kind.as_str())
    };
    let archetypes = match lang {
        Lang::Zh => &ARCHETYPES,
        Lang::En => &ARCHETYPES_EN,
    };
    let archetype = archetypes
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("", |(_, a)| a);
    let text = archetype
        .replace("{{title}}", &scalar(&args.title))
        .replace("{{date}}", &date.to_string())
        .replace("{{slug}}", &slug)
        .replace("{{kind_line}}", &kind_line);
    let folder = content.join(&dir);
    let path = if args.bundle {
        folder.join(&slug).join("index.md")
    } else {
        folder.join(format!("{slug}.md"))
    };
    write_new(&path, &text).map_err(fail)?;
    Ok((
        Created {
            path,
            slug,
            adjusted,
        },
        lang,
    ))
}

/// `--section` (with or without `content/`), or the first section whose
/// `_index.md` has the kind. A page may also go into the site's root.
fn section_dir(site: &Site, kind: Kind, asked: Option<&str>) -> Result<String, Diagnostic> {
    if let Some(dir) = asked {
        let dir = dir.replace('\\', "/");
        let dir = dir.trim_matches('/');
        let dir = dir.strip_prefix("content/").unwrap_or(dir);
        return Ok(if dir == "content" { "" } else { dir }.to_string());
    }
    let found = site
        .sections
        .iter()
        .find(|s| s.section.kind == kind && !s.section.dir.is_empty() && s.section.file.is_some());
    match found {
        Some(s) => Ok(s.section.dir.clone()),
        None if kind == Kind::Page => Ok(String::new()),
        None => Err(Diagnostic::error(
            None,
            Msg::NoSectionForKind {
                kind: kind.as_str(),
            },
        )),
    }
}

/// The kind a page in `dir` gets from its nearest section.
fn kind_of_dir(site: &Site, dir: &str) -> Kind {
    let mut d = dir;
    loop {
        if let Some(s) = site.sections.iter().find(|s| s.section.dir == d) {
            return s.section.kind;
        }
        if d.is_empty() {
            return Kind::Page;
        }
        d = crate::paths::parent(d);
    }
}

/// `2024-03-05-关于召开职代会的通知`, with `-2`, `-3`… when that is taken.
fn derive_slug(
    site: &Site,
    content: &Path,
    dir: &str,
    date: &str,
    title: &str,
) -> (String, Option<(String, String)>) {
    let title: String = slug::slugify(title)
        .map(|s| s.chars().take(TITLE_CHARS).collect())
        .unwrap_or_default();
    let title = title.trim_end_matches(['-', '.']);
    let wanted = if title.is_empty() {
        date.to_string()
    } else {
        format!("{date}-{title}")
    };
    let Some(other) = taken(site, content, dir, &wanted) else {
        return (wanted, None);
    };
    let free = (2..)
        .map(|n| format!("{wanted}-{n}"))
        .find(|s| taken(site, content, dir, s).is_none())
        .unwrap_or_else(|| wanted.clone());
    (free, Some((wanted, other)))
}

/// Which file already has this slug in this folder, if any: a page or
/// bundle of that name on disk, or any page whose URL it would take.
fn taken(site: &Site, content: &Path, dir: &str, slug: &str) -> Option<String> {
    let folder = content.join(dir);
    let shown = |name: &str| {
        let rel = if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        };
        format!("content/{rel}")
    };
    for name in [
        format!("{slug}.md"),
        format!("{slug}.markdown"),
        slug.to_string(),
    ] {
        if folder.join(&name).exists() {
            return Some(shown(&name));
        }
    }
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let url = format!("{prefix}{slug}/index.html").to_lowercase();
    let page = site.pages.iter().find(|p| p.url.to_lowercase() == url);
    if let Some(p) = page {
        return Some(p.page.file.display.to_string());
    }
    site.sections
        .iter()
        .find(|s| s.url.to_lowercase() == url)
        .map(|s| format!("content/{}", s.section.dir))
}

/// Writes a file that must not exist yet.
fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let io = |e: std::io::Error| Diagnostic::io(path.display(), &e);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io)?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::front_matter::{Yaml, parse};

    #[test]
    fn titles_survive_yaml() {
        for title in [
            "关于召开职工代表大会的通知",
            "会议安排: 第一天",
            "#1 号通知",
            "true",
            "2024",
            "“五一”劳动节：放假安排",
            "He said \"hi\" \\ bye",
            "- 列表",
        ] {
            let yaml = format!("title: {}\n", scalar(title));
            let parsed = parse(&yaml).unwrap_or_else(|e| panic!("{title}: {e:?}"));
            assert_eq!(
                parsed.get("title"),
                Some(&Yaml::Str(title.into())),
                "{title}"
            );
        }
    }
}
