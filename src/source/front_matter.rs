//! Front matter: finding the `---` block and reading its YAML.
//!
//! This is the only file that knows `serde_yaml` (unmaintained upstream):
//! swapping in a fork changes this file alone. Everything else sees [`Yaml`]
//! and byte offsets into the original file.

use std::ops::Range;

use crate::i18n::{Msg, YamlIssue};

/// A YAML value, in the shapes front matter uses. Mappings keep their order.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Yaml>),
    Map(Vec<(String, Yaml)>),
}

impl Yaml {
    /// The kind of value, as messages name it (`found_name` in i18n).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Yaml::Null => "null",
            Yaml::Bool(_) => "bool",
            Yaml::Int(_) | Yaml::Float(_) => "number",
            Yaml::Str(_) => "string",
            Yaml::List(_) => "list",
            Yaml::Map(_) => "map",
        }
    }

    /// Scalars as text (numbers and booleans included), for fields that are
    /// text but that YAML may have read as a number, like `policy_number: 12`.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Yaml::Str(s) => Some(s.clone()),
            Yaml::Int(i) => Some(i.to_string()),
            Yaml::Float(f) => Some(f.to_string()),
            Yaml::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Yaml::Null => J::Null,
            Yaml::Bool(b) => J::Bool(*b),
            Yaml::Int(i) => J::from(*i),
            Yaml::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Yaml::Str(s) => J::String(s.clone()),
            Yaml::List(l) => J::Array(l.iter().map(Yaml::to_json).collect()),
            Yaml::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
        }
    }
}

/// Where the parts of a Markdown file are, as byte ranges of the file text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The YAML between the fences.
    pub yaml: Range<usize>,
    /// Everything after the closing fence.
    pub body: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// No opening `---`; the whole file is body.
    Missing,
    /// `+++` TOML front matter, at this range.
    Toml(Range<usize>),
    /// An opening `---` at this range with no closing one.
    Unclosed(Range<usize>),
    /// A `---` fence at this range, after blank lines at the top of the file.
    NotAtStart(Range<usize>),
}

fn is_fence(line: &str, fence: &str) -> bool {
    line.trim_end() == fence
}

/// Splits `---\n yaml \n---\n body`. Accepts CRLF and trailing spaces on the
/// fences; a closing `...` is accepted as YAML allows.
pub fn split(text: &str) -> Result<Split, SplitError> {
    let mut lines = line_ranges(text);
    let Some(first) = lines.next() else {
        return Err(SplitError::Missing);
    };
    let first_line = &text[first.clone()];
    if is_fence(first_line, "+++") {
        return Err(SplitError::Toml(0..first_line.trim_end().len()));
    }
    if !is_fence(first_line, "---") {
        let fence = line_ranges(text).find(|r| !text[r.clone()].trim().is_empty());
        return Err(match fence {
            Some(r) if first_line.trim().is_empty() && is_fence(&text[r.clone()], "---") => {
                SplitError::NotAtStart(r.start..r.start + 3)
            }
            _ => SplitError::Missing,
        });
    }
    let yaml_start = first.end;
    for r in lines {
        let line = &text[r.clone()];
        if is_fence(line, "---") || is_fence(line, "...") {
            return Ok(Split {
                yaml: yaml_start..r.start,
                body: r.end..text.len(),
            });
        }
    }
    Err(SplitError::Unclosed(0..first_line.trim_end().len()))
}

/// Line ranges including their line ending.
fn line_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        let r = start..end;
        start = end;
        Some(r)
    })
}

/// A YAML syntax error: the parser's own words and where, 1-based, in the
/// YAML text (line and character column); `msg` names the mistake when we
/// recognise it, and `bytes` is what to underline in the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub detail: String,
    pub line: usize,
    pub column: usize,
    pub msg: Msg,
    pub bytes: Range<usize>,
}

/// The first problem of [`parse_all`].
pub fn parse(yaml: &str) -> Result<Yaml, Box<YamlError>> {
    parse_all(yaml).map_err(|mut errors| Box::new(errors.swap_remove(0)))
}

/// Reads YAML. Mistakes editors make on Chinese desktops (tabs, `标题：`,
/// `title:通知`, a key written twice) are found first, every one of them,
/// with the offending character; otherwise the parser's error is put into
/// words an editor can act on. The error list is never empty.
pub fn parse_all(yaml: &str) -> Result<Yaml, Vec<YamlError>> {
    if yaml.trim().is_empty() {
        return Ok(Yaml::Map(Vec::new()));
    }
    let found = lint(yaml);
    if !found.is_empty() {
        return Err(found);
    }
    match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
        Ok(v) => Ok(convert(v)),
        Err(e) => {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            let full = e.to_string();
            let detail = match full.rfind(" at line ") {
                Some(i) => full[..i].to_string(),
                None => full.clone(),
            };
            Err(vec![classify(yaml, &full, detail, line, column)])
        }
    }
}

/// Byte offset of a 1-based line and character column.
fn offset(yaml: &str, line: usize, column: usize) -> usize {
    let start = line_ranges(yaml)
        .nth(line.saturating_sub(1))
        .map_or(yaml.len(), |r| r.start);
    let col: usize = yaml[start..]
        .chars()
        .take_while(|&c| c != '\n')
        .take(column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    start + col
}

/// One character at `at` (or nothing at the end of the text).
fn one_char(yaml: &str, at: usize) -> Range<usize> {
    let len = yaml[at..]
        .chars()
        .next()
        .filter(|&c| c != '\n' && c != '\r')
        .map_or(0, char::len_utf8);
    at..at + len
}

/// `while scanning a simple key at line 2 column 1` → (2, 1).
fn context_mark(full: &str) -> Option<(usize, usize)> {
    let rest = &full[full.find("while ")?..];
    let rest = &rest[rest.find(" at line ")? + " at line ".len()..];
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

fn classify(yaml: &str, full: &str, detail: String, line: usize, column: usize) -> YamlError {
    let at = offset(yaml, line, column);
    let line_text = line_ranges(yaml)
        .nth(line.saturating_sub(1))
        .map_or("", |r| &yaml[r]);
    let context = context_mark(full).map(|(l, c)| offset(yaml, l, c));
    let issue = |issue| Msg::YamlProblem { issue };
    let (msg, bytes) = if full.contains("mapping values are not allowed") {
        let indented = line_text.starts_with([' ', '\t']);
        if indented && key_colon(line_text.trim_start()).is_some() {
            let start =
                at - column.saturating_sub(1) + (line_text.len() - line_text.trim_start().len());
            (
                issue(YamlIssue::BadIndent),
                one_char(yaml, start.min(yaml.len())),
            )
        } else {
            (issue(YamlIssue::ColonInValue), one_char(yaml, at))
        }
    } else if full.contains("end of stream") && full.contains("quoted scalar") {
        (
            issue(YamlIssue::UnclosedQuote),
            one_char(yaml, context.unwrap_or(at)),
        )
    } else if full.contains("did not find expected key") {
        let before = &yaml[offset(yaml, line, 1)..at];
        if before.contains(['"', '\'']) {
            (issue(YamlIssue::StrayQuote), one_char(yaml, at))
        } else {
            (issue(YamlIssue::BadIndent), one_char(yaml, at))
        }
    } else if full.contains("expected '-' indicator") {
        (issue(YamlIssue::BadIndent), one_char(yaml, at))
    } else if full.contains("expected ',' or ']'")
        || full.contains("expected ',' or '}'")
        || full.contains("parsing a flow")
    {
        (
            issue(YamlIssue::UnclosedBracket),
            one_char(yaml, context.unwrap_or(at)),
        )
    } else if full.contains("cannot start any token") || full.contains("unknown anchor") {
        match yaml[at..].chars().next() {
            Some('\t') => (Msg::TabInYaml, one_char(yaml, at)),
            Some('@' | '`' | '%' | '*') => (issue(YamlIssue::ReservedStart), one_char(yaml, at)),
            _ => (
                Msg::YamlSyntax {
                    detail: detail.clone(),
                },
                one_char(yaml, at),
            ),
        }
    } else if full.contains("could not find expected ':'") {
        let start = context.unwrap_or(at);
        let end = yaml[start..]
            .find(['\r', '\n'])
            .map_or(yaml.len(), |i| start + i);
        (issue(YamlIssue::MissingColon), start..end.max(start))
    } else if full.contains("tab character") {
        let start = offset(yaml, line, 1);
        let tab = yaml[start..].find('\t').map_or(at, |i| start + i);
        (Msg::TabInYaml, one_char(yaml, tab))
    } else {
        (
            Msg::YamlSyntax {
                detail: detail.clone(),
            },
            one_char(yaml, at),
        )
    };
    YamlError {
        detail,
        line,
        column,
        msg,
        bytes,
    }
}

/// A key as editors write one: a short word, no spaces or quotes.
fn looks_like_key(s: &str) -> bool {
    let n = s.chars().count();
    (1..=24).contains(&n)
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// Finds, before the parser does, what it would report confusingly or not
/// at all: tabs in indentation, full-width colons after keys, a missing
/// space after a key's colon, and a key written twice.
pub fn lint(yaml: &str) -> Vec<YamlError> {
    let mut found = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut push = |msg: Msg, bytes: Range<usize>| {
        let before = &yaml[..bytes.start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        found.push(YamlError {
            detail: String::new(),
            line,
            column,
            msg,
            bytes,
        });
    };
    for r in line_ranges(yaml) {
        let line = yaml[r.clone()].trim_end_matches(['\r', '\n']);
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(tab) = line[..indent].find('\t') {
            push(Msg::TabInYaml, r.start + tab..r.start + tab + 1);
            continue;
        }
        if indent > 0 || line.is_empty() || line.starts_with(['#', '-', '[', '{']) {
            continue;
        }
        if let Some(colon) = key_colon(line) {
            let key = line[..colon].trim().trim_matches(['"', '\'']);
            if let Some(first) = seen.iter().find(|k| **k == key) {
                let msg = Msg::DuplicateKey {
                    key: key.to_string(),
                    other: first.to_string(),
                };
                push(msg, r.start..r.start + colon);
            } else {
                seen.push(key);
            }
            continue;
        }
        if let Some(i) = line.find('：') {
            let key = line[..i].trim_end();
            if looks_like_key(key) {
                let msg = Msg::FullWidthColon {
                    key: key.to_string(),
                };
                push(msg, r.start + i..r.start + i + '：'.len_utf8());
                continue;
            }
        }
        if let Some(i) = line.find(':') {
            let key = &line[..i];
            let rest = &line[i + 1..];
            if looks_like_key(key) && !rest.is_empty() && !rest.starts_with("//") {
                let msg = Msg::NoSpaceAfterColon {
                    key: key.to_string(),
                };
                push(msg, r.start + i..r.start + i + 1);
            }
        }
    }
    found
}

/// When the closing `---` is missing: the last line (1-based) that still
/// looks like front matter, and the range of the first line after it that
/// looks like body text. `None` when every line could be front matter.
pub fn probable_end(text: &str, yaml_start: usize) -> Option<(usize, Range<usize>)> {
    let first_line = text[..yaml_start].matches('\n').count();
    let mut last_yaml = first_line; // the opening fence's line, 1-based
    let mut after_blank = false;
    for (i, r) in line_ranges(&text[yaml_start..]).enumerate() {
        let line = text[yaml_start + r.start..yaml_start + r.end].trim_end_matches(['\r', '\n']);
        if line.trim().is_empty() {
            after_blank = true;
            continue;
        }
        let yamlish = line.starts_with([' ', '\t', '-', '#'])
            || key_colon(line)
                .is_some_and(|c| looks_like_key(line[..c].trim().trim_matches(['"', '\''])));
        // `# 标题` is a YAML comment or a Markdown heading; after a blank line
        // it is taken for a heading.
        let heading = line.starts_with('#') && after_blank;
        after_blank = false;
        if yamlish && !heading {
            last_yaml = first_line + i + 1;
            continue;
        }
        let start = yaml_start + r.start;
        return Some((last_yaml, start..start + line.len().max(1)));
    }
    None
}

fn convert(v: serde_yaml::Value) -> Yaml {
    use serde_yaml::Value as V;
    match v {
        V::Null => Yaml::Null,
        V::Bool(b) => Yaml::Bool(b),
        V::Number(n) => match n.as_i64() {
            Some(i) => Yaml::Int(i),
            None => Yaml::Float(n.as_f64().unwrap_or(0.0)),
        },
        V::String(s) => Yaml::Str(s),
        V::Sequence(items) => Yaml::List(items.into_iter().map(convert).collect()),
        V::Mapping(m) => Yaml::Map(
            m.into_iter()
                .map(|(k, v)| (key_text(k), convert(v)))
                .collect(),
        ),
        V::Tagged(t) => convert(t.value),
    }
}

fn key_text(k: serde_yaml::Value) -> String {
    match convert(k) {
        Yaml::Str(s) => s,
        other => other.as_text().unwrap_or_default(),
    }
}

/// Where a top-level key is written, so a message about its value can point
/// at it: the key's byte range and its value's, within the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPos {
    pub key: String,
    pub key_bytes: Range<usize>,
    pub value_bytes: Range<usize>,
}

/// Finds `key: value` lines at column 0. YAML's own parser gives no
/// positions for values, and front matter is flat, so this scan is enough.
pub fn key_positions(yaml: &str) -> Vec<KeyPos> {
    let mut out = Vec::new();
    for r in line_ranges(yaml) {
        let line = &yaml[r.clone()];
        let first = line.chars().next().unwrap_or(' ');
        if first.is_whitespace() || matches!(first, '#' | '-' | '[' | '{') {
            continue;
        }
        let Some(colon) = key_colon(line) else {
            continue;
        };
        let raw = &line[..colon];
        let key = raw
            .trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .to_string();
        let after = colon + 1;
        let value_text = line[after..].trim_end();
        let lead = value_text.len() - value_text.trim_start().len();
        let vstart = r.start + after + lead;
        let vend = (r.start + after + value_text.len()).max(vstart);
        out.push(KeyPos {
            key,
            key_bytes: r.start..r.start + raw.trim_end().len(),
            value_bytes: vstart..vend,
        });
    }
    out
}

/// The colon that ends a key: followed by a space or the line end, and not
/// inside quotes.
fn key_colon(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') if i == 0 => quote = Some(b),
            (None, b':') => {
                let next = bytes.get(i + 1).copied();
                if matches!(next, None | Some(b' ' | b'\t' | b'\r' | b'\n')) {
                    return Some(i);
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

    #[test]
    fn splits_crlf_front_matter_and_body() {
        let text = "---\r\ntitle: 通知\r\n---\r\n正文\r\n";
        let s = split(text).unwrap();
        assert_eq!(&text[s.yaml.clone()], "title: 通知\r\n");
        assert_eq!(&text[s.body.clone()], "正文\r\n");
    }

    #[test]
    fn reports_missing_unclosed_and_toml() {
        assert_eq!(split("正文"), Err(SplitError::Missing));
        assert!(matches!(
            split("---\ntitle: a\n"),
            Err(SplitError::Unclosed(_))
        ));
        assert!(matches!(
            split("+++\ntitle = 'a'\n+++\n"),
            Err(SplitError::Toml(_))
        ));
    }

    #[test]
    fn finds_key_and_value_positions() {
        let yaml = "title: 关于召开职代会的通知\ntags:\n  - a\ndate: 2024-03-05\n";
        let keys = key_positions(yaml);
        let names: Vec<_> = keys.iter().map(|k| k.key.as_str()).collect();
        assert_eq!(names, ["title", "tags", "date"]);
        assert_eq!(&yaml[keys[2].value_bytes.clone()], "2024-03-05");
    }

    #[test]
    fn yaml_errors_have_a_line() {
        let err = parse("title: a\ndate: [2024\n").unwrap_err();
        assert!(err.line >= 2, "{err:?}");
    }

    #[test]
    fn parses_to_ordered_map() {
        let y = parse("b: 1\na: [x, y]\n").unwrap();
        let Yaml::Map(m) = y else { panic!() };
        assert_eq!(m[0].0, "b");
        assert_eq!(
            m[1].1,
            Yaml::List(vec![Yaml::Str("x".into()), Yaml::Str("y".into())])
        );
    }
}
