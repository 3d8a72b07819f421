//! The site configuration, `site.yaml` at the site root.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::tz::TimeZone;

use crate::diagnostics::{Diagnostic, Diagnostics, Sources};
use crate::i18n::{Lang, Msg};
use crate::source::fields::Fields;
use crate::source::front_matter::{self, Yaml};
use crate::source::{self, SourceFile};

pub const FILE_NAME: &str = "site.yaml";

const KNOWN_KEYS: &[&str] = &[
    "title",
    "subtitle",
    "organization",
    "language",
    "timezone",
    "theme",
    "paginate",
    "menu",
    "contact",
    "new_days",
    "base_url",
    "max_attachment_mb",
    "images",
];

/// How photos in `content/` are published (`images:` in site.yaml).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageSettings {
    /// Display copies are at most this wide.
    pub max_width: u32,
    /// Thumbnails (galleries, lists, the home page) are this wide.
    pub thumb_width: u32,
    /// JPEG quality of the copies, 1–100.
    pub quality: u8,
    /// Also publish the untouched original, as a download.
    pub publish_originals: bool,
    /// Originals bigger than this are refused.
    pub max_mb: u64,
}

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings {
            max_width: 1600,
            thumb_width: 480,
            quality: 82,
            publish_originals: false,
            max_mb: 50,
        }
    }
}

/// The keys of `images:`.
pub const IMAGE_KEYS: &[&str] = &[
    "max_width",
    "thumb_width",
    "quality",
    "publish_originals",
    "max_mb",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    pub title: String,
    /// Relative to the site root, or absolute when `external`.
    pub url: String,
    pub external: bool,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub subtitle: Option<String>,
    pub organization: Option<String>,
    pub language: String,
    pub lang: Lang,
    pub timezone: TimeZone,
    pub theme: String,
    pub paginate: usize,
    pub menu: Vec<MenuItem>,
    /// `hotline`, `mailbox`, `office`, `hours`, `form` (an external form's
    /// URL) and whatever else the union lists; see `render::contact`.
    pub contact: Vec<(String, String)>,
    /// Pages dated within this many days get a 新 mark until opened (0: never).
    pub new_days: u64,
    pub base_url: Option<String>,
    /// Bundle files larger than this are flagged by `check`.
    pub max_attachment_mb: u64,
    pub images: ImageSettings,
}

/// `contact:` keys that adjust another channel rather than being one.
pub const CONTACT_SETTINGS: &[&str] = &["form_title", "mail_subject"];

impl Config {
    /// Whether `contact:` names any way to reach the union, so the build
    /// writes the contact page (`render::contact`).
    pub fn has_contact_channels(&self) -> bool {
        self.contact
            .iter()
            .any(|(k, v)| !CONTACT_SETTINGS.contains(&k.as_str()) && !v.trim().is_empty())
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// The content folder as messages name files in it (`content`, as in
    /// `content/notices/a.md`): relative to the site, `/`-joined.
    pub fn content_prefix(&self) -> String {
        crate::paths::relative(&self.root, &self.content_dir()).unwrap_or_else(|| "content".into())
    }

    /// Where the theme's `templates/` and `static/` are: the site's
    /// `themes/<name>/` when it has one, else, for `default`, the built-in
    /// copy ([`crate::theme`]). A theme found nowhere gives the site's
    /// folder, which [`Config::theme_missing`] reports.
    pub fn theme_dir(&self) -> PathBuf {
        let own = self.site_theme_dir();
        if own.is_dir() || self.theme != crate::theme::DEFAULT {
            return own;
        }
        crate::theme::builtin_dir().unwrap_or(own)
    }

    fn site_theme_dir(&self) -> PathBuf {
        self.root.join("themes").join(&self.theme)
    }

    /// The one error for a theme that is neither in the site nor built in:
    /// the folder looked in and the themes there are.
    pub fn theme_missing(&self) -> Option<Msg> {
        if self.theme_dir().is_dir() {
            return None;
        }
        Some(Msg::ThemeMissing {
            name: self.theme.clone(),
            path: format!("themes/{}/", self.theme),
            available: crate::theme::available(&self.root.join("themes")),
        })
    }

    /// A config for tests and tools that need one without a file.
    pub fn with_defaults(root: &Path, title: &str) -> Config {
        Config {
            root: root.to_path_buf(),
            title: title.to_string(),
            subtitle: None,
            organization: None,
            language: "zh-CN".into(),
            lang: Lang::Zh,
            timezone: shanghai(),
            theme: "default".into(),
            paginate: 20,
            menu: Vec::new(),
            contact: Vec::new(),
            new_days: 30,
            base_url: None,
            max_attachment_mb: 20,
            images: ImageSettings::default(),
        }
    }
}

fn shanghai() -> TimeZone {
    TimeZone::get("Asia/Shanghai").unwrap_or(TimeZone::fixed(jiff::tz::offset(8)))
}

/// Reads `site.yaml`. Problems go to `diags`; `None` only when the file is
/// missing or unreadable as a whole.
pub fn load(root: &Path, diags: &mut Diagnostics, sources: &mut Sources) -> Option<Config> {
    let path = root.join(FILE_NAME);
    let display: Arc<str> = FILE_NAME.into();
    if !path.is_file() {
        diags.error(
            None,
            Msg::ConfigMissing {
                path: path.display().to_string(),
            },
        );
        return None;
    }
    let file = match source::read(&path, display.clone()) {
        Ok(f) => f,
        Err((d, lossy)) => {
            if let Some(f) = lossy {
                sources.insert(f.display.clone(), f.text.clone());
            }
            diags.push(d);
            return None;
        }
    };
    sources.insert(display, file.text.clone());
    diags.extend(file.encoding_warning());
    parse(root, &file, diags)
}

fn parse(root: &Path, file: &SourceFile, diags: &mut Diagnostics) -> Option<Config> {
    let whole = 0..file.text.len();
    let map = match front_matter::parse_all(&file.text) {
        Ok(front_matter::Yaml::Map(m)) => m,
        Ok(_) => {
            diags.error(Some(file.start_span()), Msg::ConfigNotMap);
            return None;
        }
        Err(errors) => {
            for e in errors {
                diags.error(Some(file.span(e.bytes)), e.msg);
            }
            return None;
        }
    };
    let default_tz = shanghai();
    let mut f = Fields::new(file, whole, map, &[], &default_tz);
    let mut config = Config::with_defaults(root, "");
    config.title = f.required_text("title").unwrap_or_default();
    config.subtitle = f.text("subtitle");
    config.organization = f.text("organization");
    if let Some((value, span)) = f
        .take("language")
        .and_then(|(v, s)| v.as_text().map(|t| (t, s)))
    {
        match Lang::from_tag(&value) {
            Some(lang) => {
                config.lang = lang;
                config.language = value;
            }
            None => f
                .diags
                .push(Diagnostic::error(Some(span), Msg::BadLanguage { value })),
        }
    }
    if let Some((value, span)) = f
        .take("timezone")
        .and_then(|(v, s)| v.as_text().map(|t| (t, s)))
    {
        match TimeZone::get(&value) {
            Ok(tz) => config.timezone = tz,
            Err(_) => f
                .diags
                .push(Diagnostic::error(Some(span), Msg::BadTimezone { value })),
        }
    }
    if let Some(theme) = f.text("theme") {
        config.theme = theme;
    }
    if let Some(n) = f.number("paginate") {
        config.paginate = n as usize;
    }
    config.menu = menu(&mut f);
    config.contact = f.text_map("contact");
    if let Some(days) = f.number("new_days") {
        config.new_days = days;
    }
    config.base_url = f
        .url("base_url")
        .map(|u| u.trim_end_matches('/').to_string() + "/");
    if let Some(mb) = f.number("max_attachment_mb") {
        config.max_attachment_mb = mb;
    }
    if let Some((images, span)) = f.take("images") {
        config.images = image_settings(&images, &span, &mut f.diags);
    }
    let (_extra, found) = f.finish(KNOWN_KEYS);
    // Nothing reads other keys of site.yaml: say so, not "kept in page.extra".
    let found = found.into_iter().map(|mut d| {
        if let Msg::UnknownKey { key, suggestion } = &*d.msg {
            d.msg = Box::new(Msg::UnknownSiteKey {
                key: key.clone(),
                suggestion: suggestion.clone(),
            });
        }
        d
    });
    let found: Vec<Diagnostic> = found.collect();
    let ok = !found.iter().any(Diagnostic::is_error);
    diags.extend(found);
    ok.then_some(config)
}

/// `menu:`, a list of `{title, url}`. An item without either is an error
/// pointing at it: dropping it, or sending it to the home page, would leave
/// the editor wondering where their menu entry went.
fn menu(f: &mut Fields) -> Vec<MenuItem> {
    let Some((value, span)) = f.take("menu") else {
        return Vec::new();
    };
    let items = match value {
        Yaml::Null => return Vec::new(),
        Yaml::List(items) => items,
        other => {
            f.diags.push(Diagnostic::error(
                Some(span),
                Msg::BadMenuItem {
                    number: 0,
                    item: other.as_text().unwrap_or_default(),
                },
            ));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let text = |k: &str| {
            item.get(k)
                .and_then(Yaml::as_text)
                .filter(|t| !t.trim().is_empty())
        };
        match (text("title"), text("url")) {
            (Some(title), Some(url)) => {
                let at = f.find_in_block(&url).unwrap_or_else(|| span.clone());
                if f.url_is_safe(&url, at) {
                    out.push(menu_item(title, &url));
                }
            }
            (title, url) => {
                // Point at the item itself when its text can be found.
                let needle = item.as_text().or(title).or(url);
                let at = needle.and_then(|n| f.find_in_block(&n));
                f.diags.push(Diagnostic::error(
                    Some(at.unwrap_or_else(|| span.clone())),
                    Msg::BadMenuItem {
                        number: i + 1,
                        item: item.as_text().unwrap_or_default(),
                    },
                ));
            }
        }
    }
    out
}

/// `images: {max_width: 1600, thumb_width: 480, quality: 82,
/// publish_originals: false, max_mb: 50}`; a value out of range is an
/// error that names the key.
fn image_settings(
    value: &front_matter::Yaml,
    span: &crate::diagnostics::Span,
    diags: &mut Vec<Diagnostic>,
) -> ImageSettings {
    use front_matter::Yaml;
    let mut s = ImageSettings::default();
    let Yaml::Map(map) = value else {
        if !matches!(value, Yaml::Null) {
            diags.push(Diagnostic::error(
                Some(span.clone()),
                Msg::BadImageSetting {
                    key: "images".into(),
                    value: value.as_text().unwrap_or_default(),
                },
            ));
        }
        return s;
    };
    for (key, v) in map {
        let number = |lo: i64, hi: i64| match v {
            Yaml::Int(n) if (lo..=hi).contains(n) => Some(*n as u32),
            _ => None,
        };
        let ok = match key.as_str() {
            "max_width" => number(16, 10_000).inspect(|&n| s.max_width = n),
            "thumb_width" => number(16, 10_000).inspect(|&n| s.thumb_width = n),
            "quality" => number(1, 100).inspect(|&n| s.quality = n as u8),
            "max_mb" => number(1, 10_000).inspect(|&n| s.max_mb = n.into()),
            "publish_originals" => match v {
                Yaml::Bool(b) => {
                    s.publish_originals = *b;
                    Some(1)
                }
                _ => None,
            },
            _ => {
                diags.push(Diagnostic::error(
                    Some(span.clone()),
                    Msg::UnknownImageSetting {
                        key: key.clone(),
                        known: IMAGE_KEYS.join(", "),
                    },
                ));
                continue;
            }
        };
        if ok.is_none() {
            diags.push(Diagnostic::error(
                Some(span.clone()),
                Msg::BadImageSetting {
                    key: key.clone(),
                    value: v.as_text().unwrap_or_default(),
                },
            ));
        }
    }
    s.thumb_width = s.thumb_width.min(s.max_width);
    s
}

/// Menu links are written as editors think of them (`notices/`, `/notices`,
/// `notices/index.html`); they become root-relative file URLs.
pub fn menu_item(title: String, url: &str) -> MenuItem {
    let url = url.trim();
    let external = url.contains("://") || url.starts_with("mailto:") || url.starts_with("tel:");
    if external {
        return MenuItem {
            title,
            url: url.to_string(),
            external,
        };
    }
    MenuItem {
        title,
        url: crate::urls::file_url(url.trim_start_matches('/')),
        external,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_urls_become_relative_file_urls() {
        assert_eq!(menu_item("a".into(), "/notices/").url, "notices/index.html");
        assert_eq!(menu_item("a".into(), "notices").url, "notices/index.html");
        assert_eq!(menu_item("a".into(), "").url, "index.html");
        assert_eq!(
            menu_item("a".into(), "tags/index.html").url,
            "tags/index.html"
        );
        assert!(menu_item("a".into(), "https://www.acftu.org/").external);
    }
}
