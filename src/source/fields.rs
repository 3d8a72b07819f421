//! Reading typed fields out of a YAML mapping, reporting every problem with
//! the place it was written. Used for site.yaml and for page front matter.
//!
//! A field that is wrong is reported and treated as absent, so one bad value
//! never hides the problems after it.

use std::ops::Range;

use jiff::tz::TimeZone;

use super::SourceFile;
use super::dates::{self, Moment};
use super::front_matter::{Yaml, key_positions};
use crate::diagnostics::{Diagnostic, Span};
use crate::i18n::{Expect, Msg};

struct Entry {
    key: String,
    value: Option<Yaml>,
    key_bytes: Option<Range<usize>>,
    value_bytes: Option<Range<usize>>,
}

pub struct Fields<'a> {
    file: &'a SourceFile,
    /// Where the YAML block starts in the file, to turn YAML offsets into file offsets.
    whole: Range<usize>,
    entries: Vec<Entry>,
    tz: &'a TimeZone,
    /// Chinese spellings, so a misspelt Chinese key gets a Chinese suggestion.
    aliases: &'a [(&'a str, &'a str)],
    pub diags: Vec<Diagnostic>,
}

/// A `{file, title}` item of `attachments`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AttachmentDecl {
    pub file: String,
    pub title: Option<String>,
    pub span: Span,
}

impl<'a> Fields<'a> {
    /// `yaml` is the range of the YAML text in `file`; `aliases` maps other
    /// spellings of a key (Chinese keys) to the canonical one.
    pub fn new(
        file: &'a SourceFile,
        yaml: Range<usize>,
        map: Vec<(String, Yaml)>,
        aliases: &'a [(&'a str, &'a str)],
        tz: &'a TimeZone,
    ) -> Self {
        let positions = key_positions(&file.text[yaml.clone()]);
        let at = |r: &Range<usize>| yaml.start + r.start..yaml.start + r.end;
        let mut fields = Self {
            file,
            whole: yaml.clone(),
            entries: Vec::new(),
            tz,
            aliases,
            diags: Vec::new(),
        };
        for (written, value) in map {
            let pos = positions.iter().find(|p| p.key == written);
            let key_bytes = pos.map(|p| at(&p.key_bytes));
            let value_bytes = pos.map(|p| at(&p.value_bytes));
            let key = canonical(&written, aliases).to_string();
            if let Some(first) = fields.entries.iter().find(|e| e.key == key) {
                let first_written = first
                    .key_bytes
                    .clone()
                    .map(|r| file.text[r].to_string())
                    .unwrap_or(key.clone());
                let span = fields.span_or_start(key_bytes.clone());
                fields.diags.push(Diagnostic::error(
                    Some(span),
                    Msg::DuplicateKey {
                        key: written.clone(),
                        other: first_written,
                    },
                ));
                continue;
            }
            fields.entries.push(Entry {
                key,
                value: Some(value),
                key_bytes,
                value_bytes,
            });
        }
        fields
    }

    fn span_or_start(&self, bytes: Option<Range<usize>>) -> Span {
        match bytes {
            Some(b) => self.file.span(b),
            None => self
                .file
                .span(self.whole.start.saturating_sub(4)..self.whole.start.saturating_sub(1)),
        }
    }

    /// Where the front matter begins, for fields that are missing altogether.
    fn block_span(&self) -> Span {
        self.file.start_span()
    }

    fn entry(&mut self, key: &str) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.key == key)
    }

    /// Takes a value out, with the span of where it is written.
    pub fn take(&mut self, key: &str) -> Option<(Yaml, Span)> {
        let e = self.entry(key)?;
        let value = e.value.take()?;
        let bytes = match (&e.value_bytes, &e.key_bytes) {
            (Some(v), _) if !v.is_empty() => Some(v.clone()),
            (_, k) => k.clone(),
        };
        let span = self.span_or_start(bytes);
        Some((value, span))
    }

    pub fn has(&self, key: &str) -> bool {
        self.entries
            .iter()
            .any(|e| e.key == key && !matches!(e.value, Some(Yaml::Null)))
    }

    fn wrong(&mut self, key: &str, expect: Expect, found: &Yaml, span: Span) {
        let msg = Msg::WrongType {
            field: key.to_string(),
            expect,
            found: found.kind_name(),
        };
        self.diags.push(Diagnostic::error(Some(span), msg));
    }

    fn missing(&mut self, key: &str) {
        let span = self.block_span();
        self.diags.push(Diagnostic::error(
            Some(span),
            Msg::MissingField {
                field: key.to_string(),
            },
        ));
    }

    /// Text (numbers read as text too); empty text counts as absent.
    pub fn text(&mut self, key: &str) -> Option<String> {
        let (v, span) = self.take(key)?;
        match &v {
            Yaml::Null => None,
            Yaml::List(_) | Yaml::Map(_) => {
                self.wrong(key, Expect::Text, &v, span);
                None
            }
            scalar => scalar
                .as_text()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
        }
    }

    /// Text that a reader's browser will follow or load (`source_url`,
    /// `base_url`): a script or document address is an error, and the field
    /// counts as absent.
    pub fn url(&mut self, key: &str) -> Option<String> {
        let span = self.value_span(key);
        let url = self.text(key)?;
        self.url_is_safe(&url, span).then_some(url)
    }

    /// Reports `url` at `span` when it is a script or document address.
    pub fn url_is_safe(&mut self, url: &str, span: Span) -> bool {
        let Some(scheme) = super::url_policy::unsafe_scheme(url) else {
            return true;
        };
        let msg = Msg::UnsafeUrl {
            url: url.to_string(),
            scheme,
        };
        self.diags.push(Diagnostic::error(Some(span), msg));
        false
    }

    /// Where the value of `key` is written (its key when the value is empty).
    fn value_span(&self, key: &str) -> Span {
        let bytes = self.entries.iter().find(|e| e.key == key).and_then(|e| {
            match (&e.value_bytes, &e.key_bytes) {
                (Some(v), _) if !v.is_empty() => Some(v.clone()),
                (_, k) => k.clone(),
            }
        });
        self.span_or_start(bytes)
    }

    /// The place `needle` is first written after `key` (an item of a list
    /// or mapping below it); the value's place when not found.
    pub fn span_within(&self, key: &str, needle: &str) -> Span {
        let after = self
            .entries
            .iter()
            .find(|e| e.key == key)
            .and_then(|e| e.key_bytes.clone());
        if let Some(k) = after.filter(|_| !needle.is_empty()) {
            let rest = &self.file.text[k.end..self.whole.end];
            if let Some(i) = rest.find(needle) {
                let start = k.end + i;
                return self.file.span(start..start + needle.len());
            }
        }
        self.value_span(key)
    }

    pub fn required_text(&mut self, key: &str) -> Option<String> {
        let before = self.diags.len();
        let value = self.text(key);
        if value.is_none() && self.diags.len() == before {
            self.missing(key);
        }
        value
    }

    /// `true`/`false`, and the words editors use for them (是/否, yes/no).
    pub fn bool(&mut self, key: &str) -> Option<bool> {
        let (v, span) = self.take(key)?;
        match &v {
            Yaml::Null => None,
            Yaml::Bool(b) => Some(*b),
            Yaml::Str(s) => match s.trim() {
                "是" | "true" | "yes" | "True" | "TRUE" | "Yes" | "y" | "on" => Some(true),
                "否" | "false" | "no" | "False" | "FALSE" | "No" | "n" | "off" => Some(false),
                _ => {
                    self.wrong(key, Expect::Bool, &v, span);
                    None
                }
            },
            _ => {
                self.wrong(key, Expect::Bool, &v, span);
                None
            }
        }
    }

    pub fn date(&mut self, key: &str) -> Option<Moment> {
        let (v, span) = self.take(key)?;
        match &v {
            Yaml::Null => None,
            Yaml::Str(s) => {
                let parsed = dates::parse(s, self.tz);
                if parsed.is_none() {
                    let msg = match dates::impossible(s) {
                        Some(problem) => Msg::ImpossibleDate {
                            field: key.to_string(),
                            value: s.clone(),
                            problem,
                        },
                        None => Msg::BadDate {
                            field: key.to_string(),
                            value: s.clone(),
                        },
                    };
                    self.diags.push(Diagnostic::error(Some(span), msg));
                }
                parsed
            }
            Yaml::Int(_) | Yaml::Float(_) => {
                let text = v.as_text().unwrap_or_default();
                self.diags.push(Diagnostic::error(
                    Some(span),
                    Msg::BadDate {
                        field: key.to_string(),
                        value: text,
                    },
                ));
                None
            }
            _ => {
                self.wrong(key, Expect::Date, &v, span);
                None
            }
        }
    }

    pub fn required_date(&mut self, key: &str) -> Option<Moment> {
        if !self.has(key) {
            self.take(key);
            self.missing(key);
            return None;
        }
        self.date(key)
    }

    /// A whole number ≥ 0 (`120`, or `"120"`).
    pub fn number(&mut self, key: &str) -> Option<u64> {
        let (v, span) = self.take(key)?;
        match &v {
            Yaml::Null => None,
            Yaml::Int(i) if *i >= 0 => Some(*i as u64),
            Yaml::Str(s) if s.trim().parse::<u64>().is_ok() => s.trim().parse().ok(),
            _ => {
                self.wrong(key, Expect::Number, &v, span);
                None
            }
        }
    }

    /// People: a name, or a list of names (`author: [张三, 李四]`, Hugo's
    /// form and how a report credits two reporters), joined with 、.
    pub fn names(&mut self, key: &str) -> Option<String> {
        let (v, span) = self.take(key)?;
        match &v {
            Yaml::Null => None,
            Yaml::Map(_) => {
                self.wrong(key, Expect::TextOrList, &v, span);
                None
            }
            Yaml::List(items) => {
                let mut names = Vec::new();
                for item in items {
                    match item.as_text() {
                        Some(s) if !s.trim().is_empty() => names.push(s.trim().to_string()),
                        Some(_) => {}
                        None if *item == Yaml::Null => {}
                        None => {
                            self.wrong(key, Expect::TextOrList, item, span);
                            return None;
                        }
                    }
                }
                (!names.is_empty()).then(|| names.join("、"))
            }
            scalar => scalar
                .as_text()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
        }
    }

    /// Text or a list of texts. A single text is split at commas and 、 so
    /// `tags: 职代会，民主管理` means two tags.
    pub fn text_list(&mut self, key: &str) -> Vec<String> {
        let Some((v, span)) = self.take(key) else {
            return Vec::new();
        };
        let items: Vec<String> = match &v {
            Yaml::Null => Vec::new(),
            Yaml::List(items) => {
                let mut out = Vec::new();
                let mut split: Vec<String> = Vec::new();
                // Hexo's nested categories (`[[工会, 通知]]`) are read flat.
                let flat = items.iter().flat_map(|item| match item {
                    Yaml::List(inner) => inner.iter().collect(),
                    other => vec![other],
                });
                for item in flat {
                    match item.as_text() {
                        Some(s) if s.contains(['，', '、']) => {
                            // `[职代会，民主管理]`: the IME's comma inside brackets.
                            out.extend(s.split(['，', '、']).map(str::to_string));
                            split.push(s);
                        }
                        Some(s) => out.push(s),
                        None if *item == Yaml::Null => {}
                        None => {
                            self.wrong(key, Expect::TextOrList, item, span.clone());
                            return Vec::new();
                        }
                    }
                }
                if !split.is_empty() {
                    self.split_in_list(key, &split, &out, span);
                }
                out
            }
            Yaml::Map(_) => {
                self.wrong(key, Expect::TextOrList, &v, span);
                return Vec::new();
            }
            scalar => scalar
                .as_text()
                .unwrap_or_default()
                .split([',', '，', '、'])
                .map(str::to_string)
                .collect(),
        };
        items
            .into_iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// Says that list items were split at full-width commas, showing the
    /// list they made as the line to write.
    fn split_in_list(&mut self, key: &str, written: &[String], items: &[String], span: Span) {
        let span = self.find_in_block(&written[0]).unwrap_or(span);
        let items: Vec<String> = items
            .iter()
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        let msg = Msg::SplitListItem {
            field: key.to_string(),
            written: written.join("”“"),
            fixed: format!("{key}: [{}]", items.join(", ")),
            items,
        };
        self.diags.push(Diagnostic::warning(Some(span), msg));
    }

    /// Names that each become a list page (`tags`): like [`Self::text_list`],
    /// but an empty item (`[职代会, ""]`, `职代会,,福利`) is reported rather
    /// than dropped without a word.
    pub fn name_list(&mut self, key: &'static str) -> Vec<String> {
        let span = self.value_span(key);
        let empty = match self.entries.iter().find(|e| e.key == key) {
            Some(Entry {
                value: Some(Yaml::List(items)),
                ..
            }) => items
                .iter()
                .any(|i| i.as_text().is_some_and(|t| t.trim().is_empty())),
            Some(Entry {
                value: Some(v @ Yaml::Str(_)),
                ..
            }) => v.as_text().is_some_and(|t| {
                // `tags: ""` is no tags; a trailing comma is no item.
                let t = t.trim().trim_end_matches([',', '，', '、']);
                !t.is_empty()
                    && t.split([',', '，', '、'])
                        .any(|part| part.trim().is_empty())
            }),
            _ => false,
        };
        if empty {
            let msg = Msg::UnusableName {
                field: key,
                name: String::new(),
            };
            self.diags.push(Diagnostic::warning(Some(span), msg));
        }
        self.text_list(key)
    }

    /// Lines of text: a list, or one text broken at `|` (or `｜`) and line
    /// breaks, so `标题分行: 关于召开…|第三次会议的通知` works too. Commas stay.
    pub fn lines(&mut self, key: &str) -> Option<(Vec<String>, Span)> {
        let (v, span) = self.take(key)?;
        let lines: Vec<String> = match &v {
            Yaml::Null => return None,
            Yaml::List(items) => items.iter().filter_map(Yaml::as_text).collect(),
            Yaml::Map(_) => {
                self.wrong(key, Expect::TextOrList, &v, span);
                return None;
            }
            scalar => scalar
                .as_text()
                .unwrap_or_default()
                .split(['|', '｜', '\n'])
                .map(str::to_string)
                .collect(),
        };
        let lines: Vec<String> = lines
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        (!lines.is_empty()).then_some((lines, span))
    }

    /// A mapping of texts (e.g. `contact` in site.yaml), in written order.
    pub fn text_map(&mut self, key: &str) -> Vec<(String, String)> {
        let Some((v, span)) = self.take(key) else {
            return Vec::new();
        };
        match v {
            Yaml::Null => Vec::new(),
            Yaml::Map(m) => m
                .into_iter()
                .filter_map(|(k, v)| v.as_text().map(|t| (k, t)))
                .collect(),
            other => {
                self.wrong(key, Expect::Map, &other, span);
                Vec::new()
            }
        }
    }

    /// `attachments`: a list of `{file, title}` (or of bare file names).
    pub fn attachments(&mut self, key: &str) -> Vec<AttachmentDecl> {
        let Some((v, span)) = self.take(key) else {
            return Vec::new();
        };
        let items = match v {
            Yaml::Null => return Vec::new(),
            Yaml::List(items) => items,
            other => {
                self.wrong(key, Expect::AttachmentList, &other, span);
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items {
            let (file, title) = match &item {
                Yaml::Str(s) => (Some(s.clone()), None),
                Yaml::Map(_) => (
                    item.get("file")
                        .or_else(|| item.get("文件"))
                        .and_then(Yaml::as_text),
                    item.get("title")
                        .or_else(|| item.get("标题"))
                        .and_then(Yaml::as_text),
                ),
                _ => (None, None),
            };
            match file {
                Some(file) => {
                    let span = self.find_in_block(&file).unwrap_or_else(|| span.clone());
                    out.push(AttachmentDecl { file, title, span });
                }
                None => self.wrong(key, Expect::AttachmentList, &item, span.clone()),
            }
        }
        out
    }

    /// The span of a literal piece of text inside the YAML block, so a message
    /// about a list item can point at the item rather than the list's key.
    pub fn find_in_block(&self, needle: &str) -> Option<Span> {
        let block = &self.file.text[self.whole.clone()];
        let at = block.find(needle)?;
        let start = self.whole.start + at;
        Some(self.file.span(start..start + needle.len()))
    }

    /// Reports the keys nobody took (a warning each, with the closest known
    /// key as a suggestion) and returns them, for `page.extra`.
    pub fn finish(mut self, known: &[&str]) -> (Vec<(String, Yaml)>, Vec<Diagnostic>) {
        let mut extra = Vec::new();
        let entries = std::mem::take(&mut self.entries);
        for e in entries {
            let Some(value) = e.value else { continue };
            let suggestion = suggest_spelling(&e.key, known, self.aliases);
            let span = self.span_or_start(e.key_bytes.clone());
            self.diags.push(Diagnostic::warning(
                Some(span),
                Msg::UnknownKey {
                    key: e.key.clone(),
                    suggestion,
                },
            ));
            extra.push((e.key, value));
        }
        (extra, self.diags)
    }
}

fn canonical<'k>(written: &'k str, aliases: &[(&'k str, &'k str)]) -> &'k str {
    aliases
        .iter()
        .find(|(alias, _)| *alias == written)
        .map_or(written, |(_, key)| key)
}

/// The closest known key, spelt the way the editor spells keys: a Chinese
/// typo (`标提`, `发布时间`) gets a Chinese key, anything else an English one.
pub fn suggest_spelling(key: &str, known: &[&str], aliases: &[(&str, &str)]) -> Option<String> {
    if key.is_ascii() {
        return suggest(key, known);
    }
    let chinese: Vec<&str> = aliases
        .iter()
        .filter(|(_, canonical)| known.contains(canonical))
        .map(|(alias, _)| *alias)
        .collect();
    suggest(key, &chinese).or_else(|| suggest(key, known))
}

/// The known key closest to a misspelled one, if any is close enough to be
/// what the editor meant (`titel` → `title`, `dat` → `date`, `tag` → `tags`).
pub fn suggest(key: &str, known: &[&str]) -> Option<String> {
    let lower = key.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&lower, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.chars().count() / 3) && *d < k.chars().count())
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_key() {
        let known = ["title", "date", "tags", "summary", "department"];
        assert_eq!(suggest("titel", &known).as_deref(), Some("title"));
        assert_eq!(suggest("dat", &known).as_deref(), Some("date"));
        assert_eq!(suggest("tag", &known).as_deref(), Some("tags"));
        assert_eq!(suggest("departmnet", &known).as_deref(), Some("department"));
        assert_eq!(suggest("weixin_qr", &known), None);
    }

    #[test]
    fn chinese_typos_get_chinese_keys() {
        let known = ["title", "date", "tags", "department"];
        let aliases = [
            ("标题", "title"),
            ("日期", "date"),
            ("发布日期", "date"),
            ("标签", "tags"),
            ("发布部门", "department"),
            ("类型", "kind"),
        ];
        let s = |k| suggest_spelling(k, &known, &aliases);
        assert_eq!(s("标提").as_deref(), Some("标题"));
        assert_eq!(s("发布时间").as_deref(), Some("发布日期"));
        assert_eq!(s("发布部分").as_deref(), Some("发布部门"));
        // An alias whose key this file does not know is never suggested.
        assert_eq!(s("类形"), None);
        assert_eq!(s("titel").as_deref(), Some("title"));
        assert_eq!(s("微信二维码"), None);
    }
}
