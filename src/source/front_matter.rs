//! Front matter: finding the `---` block and reading its YAML.
//!
//! This is the only file that knows `serde_yaml` (unmaintained upstream):
//! swapping in a fork changes this file alone. Everything else sees [`Yaml`]
//! and byte offsets into the original file.

use std::ops::Range;

use crate::i18n::{Msg, YamlIssue};

/// A YAML value, in the shapes front matter uses. Mappings keep their order.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
    /// The line as it should read, when the pre-scan knows: the rest of
    /// the file is then read with it, so the fields' own problems are
    /// found in the same run.
    pub repair: Option<String>,
}

/// The first problem of [`parse_all`].
pub fn parse(yaml: &str) -> Result<Yaml, Box<YamlError>> {
    parse_all(yaml).map_err(|mut errors| Box::new(errors.swap_remove(0)))
}

/// Reads YAML. Mistakes editors make on Chinese desktops (tabs, `标题：`,
/// `title:通知`, a second `: ` in a value, a key written twice…) are found
/// first, every one of them, with the offending character; otherwise the
/// parser's error is put into words an editor can act on. The error list
/// is never empty.
pub fn parse_all(yaml: &str) -> Result<Yaml, Vec<YamlError>> {
    match parse_report(yaml) {
        (Some(value), errors) if errors.is_empty() => Ok(value),
        (_, errors) => Err(errors),
    }
}

/// [`parse_all`], but when the pre-scan knows how each line it found
/// should read (a repeated key left out, `标题：` as `标题: `, a value
/// quoted…), the text is read with those lines and returned with the
/// errors, so the problems in the fields are found in the same run.
pub fn parse_report(yaml: &str) -> (Option<Yaml>, Vec<YamlError>) {
    if yaml.trim().is_empty() {
        return (Some(Yaml::Map(Vec::new())), Vec::new());
    }
    let found = lint(yaml);
    if found.iter().any(|e| e.repair.is_none()) {
        return (None, found);
    }
    let text = if found.is_empty() {
        if let Some(value) = flat(yaml) {
            return (Some(value), found);
        }
        std::borrow::Cow::Borrowed(yaml)
    } else {
        std::borrow::Cow::Owned(repaired(yaml, &found))
    };
    match serde_yaml::from_str::<serde_yaml::Value>(&text) {
        Ok(v) => (Some(convert(v)), found),
        Err(_) if !found.is_empty() => (None, found),
        Err(e) => {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            let full = e.to_string();
            let detail = match full.rfind(" at line ") {
                Some(i) => full[..i].to_string(),
                None => full.clone(),
            };
            (None, vec![classify(yaml, &full, detail, line, column)])
        }
    }
}

/// The text with each problem's line replaced by its repair; every line
/// keeps its number.
fn repaired(yaml: &str, found: &[YamlError]) -> String {
    line_ranges(yaml)
        .enumerate()
        .map(|(i, r)| {
            let line = &yaml[r];
            match found
                .iter()
                .find_map(|e| e.repair.as_ref().filter(|_| e.line == i + 1))
            {
                Some(fixed) => {
                    let ending = &line[line.trim_end_matches(['\r', '\n']).len()..];
                    format!("{fixed}{ending}")
                }
                None => line.to_string(),
            }
        })
        .collect()
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

/// One character at `at` (or nothing at the end of the text); an offset
/// inside a character means that character.
fn one_char(yaml: &str, at: usize) -> Range<usize> {
    let mut at = at.min(yaml.len());
    while !yaml.is_char_boundary(at) {
        at -= 1;
    }
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
            // The column counts characters; the indentation is ASCII.
            let start = offset(yaml, line, 1) + (line_text.len() - line_text.trim_start().len());
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
        repair: None,
    }
}

/// A key as editors write one: a short word, no spaces or quotes.
fn looks_like_key(s: &str) -> bool {
    let n = s.chars().count();
    (1..=24).contains(&n)
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// Deeper nesting of `[`/`{` than any front matter needs. The YAML parser
/// takes time that grows with the square of the depth (40 KB of `[` took
/// seconds), so deeper text never reaches it.
pub const MAX_FLOW_DEPTH: usize = 32;

/// More YAML than any front matter or site.yaml needs (about a hundred
/// pages of text); longer text never reaches the parser.
pub const MAX_YAML_BYTES: usize = 256 * 1024;

/// The first `[`/`{` nested deeper than [`MAX_FLOW_DEPTH`], or the text
/// being longer than [`MAX_YAML_BYTES`]: one linear pass, no parsing.
fn too_big(yaml: &str) -> Option<(Msg, Range<usize>)> {
    if yaml.len() > MAX_YAML_BYTES {
        let msg = Msg::YamlTooLong {
            kb: yaml.len() / 1024,
            max_kb: MAX_YAML_BYTES / 1024,
        };
        return Some((msg, 0..0));
    }
    let mut depth = 0usize;
    for (i, b) in yaml.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    let msg = Msg::YamlTooDeep {
                        max: MAX_FLOW_DEPTH,
                    };
                    return Some((msg, i..i + 1));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The parts of one line of YAML, as the pre-scan reads it.
struct Line<'a> {
    /// Byte range of the line (without its ending) in the YAML text.
    start: usize,
    text: &'a str,
    /// Spaces before the content, then `- ` list markers.
    indent: usize,
    marker: usize,
}

impl<'a> Line<'a> {
    fn new(yaml: &'a str, r: Range<usize>) -> Line<'a> {
        let text = yaml[r.clone()].trim_end_matches(['\r', '\n']);
        let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
        let mut marker = indent;
        while text[marker..].starts_with("- ") || &text[marker..] == "-" {
            marker += 1;
            marker += text[marker..].len() - text[marker..].trim_start_matches(' ').len();
        }
        Line {
            start: r.start,
            text,
            indent,
            marker: marker - indent,
        }
    }

    /// What follows the indentation and list markers.
    fn content(&self) -> &'a str {
        &self.text[self.indent + self.marker..]
    }

    /// The column (bytes) where a key on this line starts.
    fn key_col(&self) -> usize {
        self.indent + self.marker
    }
}

/// Where a plain value's comment starts (` #`), or its end.
fn before_comment(value: &str) -> &str {
    match value.find(" #") {
        Some(i) => &value[..i],
        None => value,
    }
}

/// A `: ` (or a final `:`) inside a plain value: YAML reads it as another
/// key. The byte offset of that colon in `value`.
fn second_colon(value: &str) -> Option<usize> {
    if value.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!']) {
        return None;
    }
    let value = before_comment(value).trim_end();
    let bytes = value.as_bytes();
    bytes
        .iter()
        .enumerate()
        .find(|&(i, &b)| b == b':' && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')))
        .map(|(i, _)| i)
}

/// A quoted value with text after its closing quote
/// (`"关于开展"职工之家"创建活动的通知"`, `'It's'`): the offset of the quote
/// that ended the value too early, and what the editor meant the value to be.
fn quote_ends_early(value: &str) -> Option<(usize, String)> {
    let q = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let rest = &value[1..];
    let close = if q == '"' {
        let mut escaped = false;
        rest.char_indices()
            .find(|&(_, c)| {
                let hit = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                hit
            })?
            .0
    } else {
        // `''` is an escaped quote inside single quotes.
        let b = rest.as_bytes();
        let mut i = 0;
        loop {
            let at = i + rest[i..].find('\'')?;
            if b.get(at + 1) == Some(&b'\'') {
                i = at + 2;
            } else {
                break at;
            }
        }
    };
    let after = rest[close + 1..].trim();
    if after.is_empty() || after.starts_with('#') {
        return None;
    }
    // What was meant: everything between the first quote and the last one.
    let whole = rest.trim_end();
    let meant = whole.strip_suffix(q).unwrap_or(whole);
    Some((1 + close, meant.to_string()))
}

/// `"职工之家"` → `“职工之家”`: ASCII double quotes inside Chinese text as
/// the Chinese quotes the editor would type with a Chinese IME.
fn chinese_quotes(s: &str) -> String {
    let mut open = true;
    s.chars()
        .map(|c| {
            if c == '"' {
                let q = if open { '“' } else { '”' };
                open = !open;
                q
            } else {
                c
            }
        })
        .collect()
}

/// `text` in single quotes, as YAML reads it back unchanged.
fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Finds, before the parser does, what it would report confusingly or not
/// at all, every one of them on every line: tabs in indentation, full-width
/// colons after keys, a missing space after a key's colon, a second `: `
/// inside a value, quotes inside a quoted value, a key indented under a
/// plain value, a key written twice, and nesting too deep to parse.
pub fn lint(yaml: &str) -> Vec<YamlError> {
    let mut found = Vec::new();
    let mut push = |msg: Msg, bytes: Range<usize>, repair: Option<String>| {
        let before = &yaml[..bytes.start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        found.push(YamlError {
            detail: String::new(),
            line,
            column,
            msg,
            bytes,
            repair,
        });
    };
    if let Some((msg, bytes)) = too_big(yaml) {
        push(msg, bytes, None);
        return found;
    }
    let mut seen: Vec<&str> = Vec::new();
    // The last `key: value` line: its key column, and whether its value was
    // a plain one-line value (so a deeper key under it is misplaced).
    let mut last_key: Option<(usize, bool)> = None;
    // Inside a `|`/`>` block: lines indented deeper than this are text.
    let mut block_text: Option<usize> = None;
    // The key columns in use since the last top-level key: a key at any
    // other column (and not a child of a key without a value) is misaligned.
    let mut levels: Vec<usize> = vec![0];
    for r in line_ranges(yaml) {
        let l = Line::new(yaml, r);
        let content = l.content();
        if let Some(key_indent) = block_text {
            if l.text.trim().is_empty() || l.indent > key_indent {
                continue;
            }
            block_text = None;
        }
        if let Some(tab) = l.text[..l.indent].find('\t') {
            let spaced = l.text[..l.indent].replace('\t', "  ") + &l.text[l.indent..];
            push(
                Msg::TabInYaml,
                l.start + tab..l.start + tab + 1,
                Some(spaced),
            );
            continue;
        }
        // Flow collections (`- { title: 首页, url: index.html }`) are the
        // parser's to read: their colons and commas are not a value's.
        if content.is_empty() || content.starts_with(['#', '[', '{']) {
            continue;
        }
        let at = |i: usize| l.start + l.key_col() + i;
        if let Some(colon) = key_colon(content) {
            let key = content[..colon].trim().trim_matches(['"', '\'']);
            let value_lead = content[colon + 1..].len() - content[colon + 1..].trim_start().len();
            let value_at = colon + 1 + value_lead;
            let value = content[value_at..].trim_end();
            if l.key_col() == 0 {
                if let Some(first) = seen.iter().find(|k| **k == key) {
                    let msg = Msg::DuplicateKey {
                        key: key.to_string(),
                        other: first.to_string(),
                    };
                    push(msg, at(0)..at(colon), Some("#".to_string()));
                } else {
                    seen.push(key);
                }
            }
            let prefix = &l.text[..l.key_col()];
            let written_key = &content[..colon];
            let child = last_key.is_some_and(|(col, plain)| !plain && l.key_col() > col);
            let aligned = levels.contains(&l.key_col());
            let nearest = levels
                .iter()
                .copied()
                .filter(|&c| c > 0 || l.key_col() < 2)
                .min_by_key(|&c| c.abs_diff(l.key_col()))
                .unwrap_or(0);
            if l.key_col() == 0 {
                levels = vec![0];
            } else if aligned || child || l.marker > 0 {
                levels.retain(|&c| c <= l.key_col());
                if !aligned {
                    levels.push(l.key_col());
                }
            }
            if let Some((col, plain)) = last_key
                && plain
                && l.key_col() > col
                && l.marker == 0
            {
                let fixed = format!("{}{}", &l.text[..col], &l.text[l.key_col()..]);
                let msg = Msg::IndentedKey {
                    key: key.to_string(),
                    fixed: fixed.clone(),
                };
                push(msg, l.start..l.start + l.indent.max(1), Some(fixed));
            } else if !(aligned || child || l.marker > 0) {
                // `   title:` under `  - file:`: one space off.
                let fixed = format!("{}{}", " ".repeat(nearest), &l.text[l.key_col()..]);
                let msg = Msg::IndentedKey {
                    key: key.to_string(),
                    fixed: fixed.clone(),
                };
                push(msg, l.start..l.start + l.indent.max(1), Some(fixed));
            } else if let Some(i) = second_colon(value) {
                let comment = &value[before_comment(value).len()..];
                let meant = before_comment(value).trim_end();
                let fixed = format!("{prefix}{written_key}: {}{comment}", scalar(meant));
                let msg = Msg::SecondColon {
                    key: key.to_string(),
                    fixed: fixed.clone(),
                };
                let colon_at = at(value_at + i);
                push(msg, colon_at..colon_at + 1, Some(fixed));
            } else if let Some((i, meant)) = quote_ends_early(value) {
                let chinese = chinese_quotes(&meant);
                let fixed = format!("{prefix}{written_key}: {}", scalar(&chinese));
                let single = format!("{prefix}{written_key}: {}", single_quoted(&meant));
                let fixed = if meant.contains('"') {
                    fixed
                } else {
                    format!("{prefix}{written_key}: {}", scalar(&meant))
                };
                let msg = Msg::QuoteInQuotes {
                    fixed: fixed.clone(),
                    single: meant.contains('"').then_some(single),
                };
                let q = at(value_at + i);
                push(msg, q..q + 1, Some(fixed));
            }
            let plain = !value.is_empty()
                && !value.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!', '#']);
            if value.starts_with(['|', '>']) {
                block_text = Some(l.key_col());
            }
            last_key = Some((l.key_col(), plain));
            continue;
        }
        // Indented, `附件1：会议议程` is as likely a list item as a key, and
        // `09:30` a time: only a key of Latin letters (`- file:议程.pdf`,
        // `  title：…`) or an attachment's Chinese keys count there.
        let key_like = |key: &str| {
            looks_like_key(key)
                && (l.key_col() == 0
                    || (key.is_ascii() && key.starts_with(|c: char| c.is_ascii_alphabetic()))
                    || matches!(key, "文件" | "标题"))
        };
        if let Some(i) = content.find('：') {
            let key = content[..i].trim_end();
            if key_like(key) {
                let msg = Msg::FullWidthColon {
                    key: key.to_string(),
                };
                let value = content[i + '：'.len_utf8()..].trim_start();
                let fixed = format!("{}{key}: {value}", &l.text[..l.key_col()]);
                push(msg, at(i)..at(i) + '：'.len_utf8(), Some(fixed));
                continue;
            }
        }
        if let Some(i) = content.find(':') {
            let key = &content[..i];
            let rest = &content[i + 1..];
            if key_like(key) && !rest.is_empty() && !rest.starts_with("//") {
                let msg = Msg::NoSpaceAfterColon {
                    key: key.to_string(),
                };
                let fixed = format!("{}{key}: {rest}", &l.text[..l.key_col()]);
                push(msg, at(i)..at(i) + 1, Some(fixed));
            }
        }
    }
    found
}

/// Text as a YAML value: plain when YAML reads it back unchanged, in
/// double quotes otherwise (`会议: 第一天`, `#1`, `true`, `2024`…).
pub fn scalar(s: &str) -> String {
    let special_start = s.starts_with([
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@',
        '`', ' ',
    ]);
    let reads_as_other = matches!(
        s.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~" | "y" | "n"
    ) || s.parse::<f64>().is_ok();
    let plain = !s.is_empty()
        && !special_start
        && !reads_as_other
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with([':', ' '])
        && !s.contains(['\t', '\n', '\r', '\\']);
    if plain {
        return s.to_string();
    }
    let escaped = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "");
    format!("\"{escaped}\"")
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

/// Front matter as editors mostly write it, read without the YAML parser
/// (which was 7 % of a cold build): `key: value` lines, the value plain
/// text, quoted text without escapes or a one-line `[a, b]` list, or
/// below its key a block of such lines indented, or of `- ` items (each a
/// value or such lines, as `attachments` are written); blank lines and
/// comments between. `None` for anything else, or anything this reading
/// might get other than the parser does: the parser then reads it (and
/// says what is wrong).
fn flat(yaml: &str) -> Option<Yaml> {
    let mut lines = Vec::new();
    for line in yaml.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if !line.chars().all(printable) {
            return None;
        }
        if !(line.bytes().all(|b| b == b' ') || line.starts_with('#')) {
            lines.push(line);
        }
    }
    let mut flat = Flat { lines, at: 0 };
    let entries = flat.map(0, None, 0)?;
    let whole = flat.at == flat.lines.len() && !entries.is_empty();
    whole.then_some(Yaml::Map(entries))
}

/// The lines [`flat`] reads (blank lines and comments left out), and the
/// next one.
struct Flat<'a> {
    lines: Vec<&'a str>,
    at: usize,
}

/// Blocks nested deeper than this are left to the parser.
const FLAT_DEPTH: usize = 8;

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

impl<'a> Flat<'a> {
    /// The next line's text after exactly `indent` spaces, if it is
    /// indented so.
    fn at_indent(&self, indent: usize) -> Option<&'a str> {
        let line = self.lines.get(self.at)?;
        (indent_of(line) == indent).then(|| &line[indent..])
    }

    /// The entries of a block mapping at `indent`; `first` is its first
    /// line when that followed a sequence's `- `.
    fn map(
        &mut self,
        indent: usize,
        mut first: Option<&'a str>,
        depth: usize,
    ) -> Option<Vec<(String, Yaml)>> {
        let mut entries: Vec<(String, Yaml)> = Vec::new();
        loop {
            let line = match first.take() {
                Some(line) => line,
                None => match self.at_indent(indent) {
                    Some(line) if !line.starts_with('-') => {
                        self.at += 1;
                        line
                    }
                    _ => break,
                },
            };
            let (key, rest) = line.split_once(':')?;
            if !flat_key(key) || entries.iter().any(|(k, _)| k == key) {
                return None;
            }
            let value = rest.trim_matches(' ');
            let value = if !value.is_empty() {
                if !rest.starts_with(' ') {
                    return None;
                }
                flat_value(value)?
            } else {
                self.block(indent, depth)?
            };
            entries.push((key.to_string(), value));
        }
        Some(entries)
    }

    /// The value of a key at `indent` written on the lines below it: a
    /// mapping indented further, a sequence (which may start at the key's
    /// own indent), or nothing.
    fn block(&mut self, indent: usize, depth: usize) -> Option<Yaml> {
        let Some(line) = self.lines.get(self.at) else {
            return Some(Yaml::Null);
        };
        let spaces = indent_of(line);
        let item = line[spaces..].starts_with('-');
        if spaces < indent || (spaces == indent && !item) {
            return Some(Yaml::Null);
        }
        if depth >= FLAT_DEPTH {
            return None;
        }
        if item {
            self.seq(spaces, depth + 1).map(Yaml::List)
        } else {
            self.map(spaces, None, depth + 1).map(Yaml::Map)
        }
    }

    /// The items of a block sequence at `indent`.
    fn seq(&mut self, indent: usize, depth: usize) -> Option<Vec<Yaml>> {
        let mut items = Vec::new();
        while let Some(line) = self.at_indent(indent) {
            let Some(item) = line.strip_prefix('-') else {
                break;
            };
            self.at += 1;
            // `- ` then the item, which must not start with a space (the
            // parser would take the item's indent from there).
            let item = item.strip_prefix(' ')?;
            if item.starts_with(' ') || item.is_empty() {
                return None;
            }
            let entry = (item.split_once(':'))
                .filter(|(key, rest)| flat_key(key) && (rest.is_empty() || rest.starts_with(' ')));
            items.push(match entry {
                Some(_) => Yaml::Map(self.map(indent + 2, Some(item), depth)?),
                None => flat_value(item.trim_end_matches(' '))?,
            });
        }
        Some(items)
    }
}

/// A key [`flat`] reads: lower-case ASCII letters, digits and `_`,
/// starting with a letter or `_`, and not a word YAML reads otherwise.
fn flat_key(key: &str) -> bool {
    (key.bytes().next()).is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && key.len() <= 64
        && (key.bytes()).all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !NOT_TEXT.contains(&key)
}

/// Plain scalars made only of these letters may be something other than
/// text (`null`, `true`, `.inf`, `0x1F`, `1e3`…); any other letter makes
/// one text.
fn maybe_not_text(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.' | b'_' | b'~'))
}

/// Lower-case words the parser reads as something other than text, or
/// that a float parse might take.
const NOT_TEXT: &[&str] = &["null", "true", "false", "nan", "inf", "infinity"];

/// One value of [`flat`] front matter (spaces around it trimmed).
fn flat_value(value: &str) -> Option<Yaml> {
    if let Some(inner) = value.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        if inner.bytes().all(|b| b == b' ') {
            return Some(Yaml::List(Vec::new()));
        }
        let items = inner.split(',').map(|item| {
            let item = item.trim_matches(' ');
            let plain = !item.contains([':', '#', '[', ']', '{', '}']);
            plain.then(|| plain_scalar(item)).flatten()
        });
        return items.collect::<Option<Vec<Yaml>>>().map(Yaml::List);
    }
    for quote in ['"', '\''] {
        if value.starts_with(quote) {
            let inner = value[1..].strip_suffix(quote)?;
            let plain = !inner.contains(quote) && !inner.contains('\\');
            return plain.then(|| Yaml::Str(inner.to_string()));
        }
    }
    if value.contains(": ") || value.contains(" #") || value.ends_with(':') {
        return None;
    }
    plain_scalar(value)
}

/// A plain scalar as the parser resolves it, when that is sure: text, a
/// decimal number without a leading zero, `true` or `false`; `None` for
/// the rest (`~`, `1.5`, `0x1F`, `TRUE`…).
fn plain_scalar(s: &str) -> Option<Yaml> {
    let first = s.chars().next()?;
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return None;
    }
    if !maybe_not_text(s) {
        return Some(Yaml::Str(s.to_string()));
    }
    match s {
        "true" => return Some(Yaml::Bool(true)),
        "false" => return Some(Yaml::Bool(false)),
        _ => {}
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && s.len() <= 18 && (s == "0" || first != '0') {
        return s.parse().ok().map(Yaml::Int);
    }
    // A number has a sign only first or after its exponent's `e`, and
    // `0x`, `0o` and `0b` numbers none: `2026-03-05` is text.
    let inner_sign = (1..s.len()).any(|i| {
        matches!(s.as_bytes()[i], b'-' | b'+') && !matches!(s.as_bytes()[i - 1], b'e' | b'E')
    });
    let radix = ["0x", "0o", "0b"].iter().any(|p| s.starts_with(p));
    if first.is_ascii_digit() && inner_sign && !radix {
        return Some(Yaml::Str(s.to_string()));
    }
    // A number starts with a digit, a sign or a dot, except for the
    // words of `NOT_TEXT` in any case.
    let word = first.is_ascii_alphabetic() && !NOT_TEXT.iter().any(|w| s.eq_ignore_ascii_case(w));
    word.then(|| Yaml::Str(s.to_string()))
}

/// Characters YAML takes inside a line (libyaml's printable, less the
/// line breaks it knows besides `\n`, and the tab, which [`flat`] leaves to
/// the parser).
fn printable(c: char) -> bool {
    matches!(c as u32,
        0x20..=0x7E | 0xA0..=0x2027 | 0x202A..=0xD7FF | 0xE000..=0xFEFE | 0xFF00..=0xFFFD | 0x10000..)
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
    fn yaml_errors_point_at_what_to_fix() {
        // The parser notices at the end of the text; the editor is shown
        // the bracket that was never closed, on line 2.
        let yaml = "title: a\ndate: [2024\n";
        let err = parse(yaml).unwrap_err();
        assert_eq!(
            err.msg,
            Msg::YamlProblem {
                issue: YamlIssue::UnclosedBracket
            },
            "{err:?}"
        );
        assert_eq!(err.bytes, 15..16, "{err:?}");
        assert_eq!(&yaml[err.bytes.clone()], "[");
        assert_eq!(yaml[..err.bytes.start].matches('\n').count() + 1, 2);
        let err = parse("title: a\ntags: [x]\ndate: 2024: 03\n").unwrap_err();
        let line = "title: a\ntags: [x]\ndate: 2024: 03\n"[..err.bytes.start]
            .matches('\n')
            .count()
            + 1;
        assert_eq!(line, 3, "{err:?}");
    }

    #[test]
    fn the_pre_scan_leaves_valid_front_matter_alone() {
        let yaml = "title: 关于\"五一\"劳动节放假的通知\n\
                    summary: 时间：3月5日 # 注释: 其他\n\
                    source_url: https://flk.npc.gov.cn/\n\
                    time: 09:30\n\
                    quoted: \"会议安排: 第一天\"\n\
                    single: 'It''s 工会'\n\
                    menu:\n  - { title: 首页, url: index.html }\n  - title: 通知\n    url: notices/\n\
                    tags: [职代会: 2026]\n\
                    note: >\n  第一行: 说明\n    缩进: 也可以\n\
                    attachments:\n  - file: a.pdf\n    title: 附件1：会议议程\n\
                    after: 是\n";
        assert_eq!(lint(yaml), Vec::new());
        assert!(parse(yaml).is_ok());
    }

    proptest::proptest! {
        #![proptest_config(crate::source::random_text::config())]
        /// Random text built from the characters the pre-scan looks at: it
        /// never panics, and whatever it says points inside the text.
        #[test]
        fn the_pre_scan_survives_random_text(text in crate::source::random_text::pieces(&[
            ":", ": ", " ", "  ", "- ", "\"", "'", "\t", "\n", "[", "]", "{", "}", "：", "中文",
            "#", " #", "|", ">", "title", "a", "，", "“", "\r\n", "\\",
        ], 40)) {
            let (_, errors) = parse_report(&text);
            for e in errors {
                proptest::prop_assert!(e.bytes.end <= text.len(), "{:?}: {:?}", text, e);
                proptest::prop_assert!(text.is_char_boundary(e.bytes.start), "{:?}: {:?}", text, e);
            }
        }
    }

    /// What the YAML parser makes of `yaml`, without the shortcut.
    fn parsed(yaml: &str) -> Option<Yaml> {
        serde_yaml::from_str::<serde_yaml::Value>(yaml)
            .ok()
            .map(convert)
    }

    #[test]
    fn flat_front_matter_reads_as_the_parser_reads_it() {
        let yaml = "title: 关于\"五一\"劳动节放假的通知（183）\r\n\
                    date: 2023-12-11 17:22\n\
                    \n# 注释\n\
                    tags: [民主管理, 工会经费 , 2024, true]\n\
                    empty: []\n\
                    weight: 3\n\
                    draft: false\n\
                    author: Wang Wei\n\
                    time: 09:30\n\
                    quoted: \"会议安排: 第一天 # 不是注释\"\n\
                    single: '工会 [通知]'\n\
                    nothing:\n\
                    summary: 时间：3月5日 全文 】 a#b\u{3000}\n\
                    attachments:\n  - file: 附件1：议程.pdf\n    title: 附件1：议程\n\
                    \x20 - 回执.docx\n  - [a, b]\n\
                    menu:\n  home: 首页\n  list:\n  - 通知\n\
                    after: 2026-03-05\n";
        let fast = flat(yaml).expect("flat front matter");
        assert_eq!(Some(fast.clone()), parsed(yaml));
        assert_eq!(fast.get("weight"), Some(&Yaml::Int(3)));
        assert_eq!(fast.get("nothing"), Some(&Yaml::Null));
        let Some(Yaml::List(attachments)) = fast.get("attachments") else {
            panic!("{fast:?}")
        };
        assert_eq!(attachments.len(), 3);
        assert_eq!(fast.get("after"), Some(&Yaml::Str("2026-03-05".into())));
    }

    #[test]
    fn anything_else_is_left_to_the_parser() {
        for yaml in [
            "a: 1\na: 2\n",
            "a: ~\n",
            "a: 1.5\n",
            "a: 0x1F\n",
            "a: 012\n",
            "a: TRUE\n",
            "a: Null\n",
            "a: inf\n",
            "a: b # comment\n",
            "a: b: c\n",
            "a: &x b\n",
            "a: \"b\\n\"\n",
            "a: 'it''s'\n",
            "a: [b, c\n",
            "a:\n  - b\n   c: d\n",
            "a:\n  -  b\n",
            "a:\n  b: 1\n c: 2\n",
            "a:\n  - b: 1\n  c: 2\n",
            "a: b\n  c\n",
            "a:\tb\n",
            "a:b\n",
            "Title: b\n",
            "null: b\n",
            "# only a comment\n",
            "a: b\u{2028}c\n",
            "a: b\u{85}\n",
        ] {
            assert_eq!(flat(yaml), None, "{yaml:?}");
        }
    }

    /// Lines of a key, a separator and a value made of pieces that
    /// front matter is made of, or that the shortcut must turn down.
    fn flat_lines() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::sample::select;
        use proptest::strategy::Strategy;
        const KEYS: &[&str] = &[
            "title", "a", "_x1", "date", "tags", "b", "Title", "null", "# c", " a", "  a", "  - a",
            "- a", "  -  a", "    a", "  - ", "-", "    - a", "",
        ];
        const SEPARATORS: &[&str] = &[
            ": ", ": ", ": ", ": [", ": [", ": \"", ": '", ":", " : ", "\t", "",
        ];
        const VALUES: &[&str] = &[
            "中文",
            "通知",
            " ",
            "  ",
            "[",
            "]",
            ", ",
            ",",
            "\"",
            "'",
            "#",
            " #",
            ":",
            ": ",
            "0",
            "12",
            "007",
            "true",
            "True",
            "null",
            "~",
            "-",
            "1.5",
            "e3",
            "inf",
            "NaN",
            ".5",
            "+1",
            "{",
            "}",
            "\t",
            "\\",
            "：",
            "\u{3000}",
            "\u{a0}",
            "&",
            "*",
            "!",
            "|",
            ">",
            "%",
            "@",
            "`",
            "?",
            "\u{feff}",
            "\u{85}",
            "\r",
            "a",
            "b c",
            "2023-12-31",
            "09:30",
            "1e-5",
            "1-",
            "0x1-2",
            "+1-2",
            "5e+3",
        ];
        const ENDS: &[&str] = &[
            "\n", "\n", "]\n", "\"\n", "'\n", "\r\n", "\n\n", "\n  ", "\n- ", "\n  - ",
        ];
        let line = (
            select(KEYS),
            select(SEPARATORS),
            crate::source::random_text::pieces(VALUES, 6),
            select(ENDS),
        );
        proptest::collection::vec(line, 0..6).prop_map(|lines| {
            (lines.into_iter())
                .map(|(k, sep, v, end)| format!("{k}{sep}{v}{end}"))
                .collect()
        })
    }

    /// A value for [`nested_text`]: text, a mapping or a sequence.
    #[derive(Debug, Clone)]
    enum Tree {
        Text(&'static str),
        Map(Vec<(&'static str, Tree)>),
        List(Vec<Tree>),
    }

    /// Writes `tree`, the value of a key at `indent`, as a block below it
    /// (`step` spaces further in, or a sequence at the key's own indent
    /// when `step` is 0).
    fn write_tree(tree: &Tree, indent: usize, step: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match tree {
            Tree::Text(text) => {
                out.push(' ');
                out.push_str(text);
                out.push('\n');
            }
            Tree::Map(entries) => {
                out.push('\n');
                for (key, value) in entries {
                    out.push_str(&format!("{pad}{key}:"));
                    write_tree(value, indent + step.max(2), step, out);
                }
            }
            Tree::List(items) => {
                out.push('\n');
                for item in items {
                    out.push_str(&pad);
                    out.push_str("- ");
                    match item {
                        Tree::Map(entries) => {
                            for (n, (key, value)) in entries.iter().enumerate() {
                                if n > 0 {
                                    out.push_str(&" ".repeat(indent + 2));
                                }
                                out.push_str(&format!("{key}:"));
                                write_tree(value, indent + 2 + step.max(2), step, out);
                            }
                        }
                        Tree::Text(text) => {
                            out.push_str(text);
                            out.push('\n');
                        }
                        Tree::List(_) => out.push_str("- x\n"),
                    }
                }
            }
        }
    }

    /// Front matter of nested mappings and sequences, indented by 0, 2 or
    /// 3 steps, with one line's indent sometimes off by a space.
    fn nested_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::collection::vec;
        use proptest::prelude::any;
        use proptest::sample::select;
        use proptest::strategy::Strategy;
        const KEYS: &[&str] = &["a", "b", "file", "title", "x_1", "a"];
        const VALUES: &[&str] = &[
            "中文",
            "通知 公告",
            "12",
            "0",
            "2023-12-31",
            "[a, 中文]",
            "[]",
            "\"a: b\"",
            "'x'",
            "true",
            "1.5",
            "~",
            "a: b",
            "#c",
            "附件1：议程.pdf",
            "- x",
            "09:30 ",
            "",
        ];
        let leaf = select(VALUES).prop_map(Tree::Text);
        let tree = leaf.prop_recursive(3, 24, 4, |inner| {
            proptest::prop_oneof![
                vec((select(KEYS), inner.clone()), 1..4).prop_map(Tree::Map),
                vec(inner, 1..4).prop_map(Tree::List),
            ]
        });
        let top = vec((select(KEYS), tree), 1..5);
        (top, select(&[0usize, 2, 3][..]), any::<(u8, u8)>()).prop_map(
            |(top, step, (line, off))| {
                let mut out = String::new();
                write_tree(&Tree::Map(top), 0, step, &mut out);
                let mut lines: Vec<String> = out[1..].lines().map(str::to_string).collect();
                let n = line as usize % (lines.len() + 1);
                if let Some(l) = lines.get_mut(n) {
                    match off % 3 {
                        0 => l.insert(0, ' '),
                        1 if l.starts_with(' ') => {
                            l.remove(0);
                        }
                        _ => {}
                    }
                }
                lines.join("\n") + "\n"
            },
        )
    }

    proptest::proptest! {
        #![proptest_config(crate::source::random_text::config())]
        /// Whatever the shortcut reads of nested blocks, the parser reads
        /// alike.
        #[test]
        fn the_shortcut_reads_blocks_as_the_parser_does(text in nested_text()) {
            if let Some(fast) = flat(&text) {
                proptest::prop_assert_eq!(Some(fast), parsed(&text), "{:?}", text);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::source::random_text::config())]
        /// Whatever the shortcut reads, the parser reads alike.
        #[test]
        fn the_shortcut_agrees_with_the_parser(text in flat_lines()) {
            if let Some(fast) = flat(&text) {
                proptest::prop_assert_eq!(Some(fast), parsed(&text), "{:?}", text);
            }
        }
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
