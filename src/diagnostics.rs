//! One diagnostic type for the whole program: where (file, line, column,
//! byte span), how bad, a stable code, and a typed message that is put into
//! words only when it is shown, in the site's language.
//!
//! Stages never print: they push into a [`Diagnostics`] list, the build keeps
//! going to find every problem in every file, and the front end renders the
//! list once — as a code frame in a terminal, or as JSON for editors' tools.

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;
use std::sync::Arc;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::i18n::{Lang, Msg};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A place in a source file. `line` and `column` are 1-based and count
/// characters, not bytes, so they match what an editor shows for Chinese text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
    pub bytes: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    pub span: Option<Span>,
    /// Boxed: a diagnostic travels in `Result`s on every path, and the
    /// message is by far its largest part.
    pub msg: Box<Msg>,
}

impl Diagnostic {
    pub fn error(span: Option<Span>, msg: Msg) -> Self {
        Self {
            severity: Severity::Error,
            span,
            msg: Box::new(msg),
        }
    }

    pub fn warning(span: Option<Span>, msg: Msg) -> Self {
        Self {
            severity: Severity::Warning,
            span,
            msg: Box::new(msg),
        }
    }

    /// A file that could not be read or written, with the system's reason.
    pub fn io(path: impl std::fmt::Display, e: &std::io::Error) -> Self {
        Self::error(
            None,
            Msg::Io {
                path: path.to_string(),
                detail: e.to_string(),
            },
        )
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col`, or just the path / nothing when the place is unknown.
    pub fn location(&self) -> String {
        match &self.span {
            Some(s) => format!("{}:{}:{}", s.file, s.line, s.column),
            None => String::new(),
        }
    }

    fn sort_key(&self) -> (Option<&str>, usize, usize, Severity) {
        let s = self.span.as_ref();
        (
            s.map(|s| &*s.file),
            s.map_or(0, |s| s.line),
            s.map_or(0, |s| s.column),
            self.severity,
        )
    }
}

/// Source texts by display path, so a diagnostic can show the offending line.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    texts: HashMap<Arc<str>, Arc<str>>,
}

impl Sources {
    pub fn insert(&mut self, file: Arc<str>, text: Arc<str>) {
        self.texts.insert(file, text);
    }

    pub fn get(&self, file: &str) -> Option<&Arc<str>> {
        self.texts.get(file)
    }

    pub fn extend(&mut self, other: Sources) {
        self.texts.extend(other.texts);
    }
}

/// Everything found wrong (or worth a warning) in one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn error(&mut self, span: Option<Span>, msg: Msg) {
        self.push(Diagnostic::error(span, msg));
    }

    pub fn warning(&mut self, span: Option<Span>, msg: Msg) {
        self.push(Diagnostic::warning(span, msg));
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorted by file and line, with exact repeats removed: a template error
    /// hit by ten thousand pages is one problem, reported once.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Renders diagnostics as code frames (the offending line, a marker under the
/// span, the hint below).
pub struct Renderer<'a> {
    pub sources: &'a Sources,
    pub lang: Lang,
}

impl Renderer<'_> {
    fn to_codespan(
        &self,
        files: &mut SimpleFiles<String, String>,
        d: &Diagnostic,
    ) -> cs::Diagnostic<usize> {
        let severity = match d.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let mut out = cs::Diagnostic::new(severity)
            .with_code(d.msg.code())
            .with_message(d.msg.text(self.lang));
        let mut notes = Vec::new();
        if let Some(span) = &d.span {
            match self.sources.get(&span.file) {
                Some(text) => {
                    let range = clamp_range(text, span.bytes.clone());
                    let id = files.add(span.file.to_string(), text.to_string());
                    out = out.with_labels(vec![cs::Label::primary(id, range)]);
                }
                // A file with no text to show (a document, a photo): named
                // on a line of its own rather than under an empty frame.
                None => {
                    let whole = span.line <= 1 && span.column <= 1;
                    let place = if whole {
                        span.file.to_string()
                    } else {
                        d.location()
                    };
                    notes.push(format!("{}{place}", crate::i18n::file_prefix(self.lang)));
                }
            }
        }
        if let Some(hint) = d.msg.hint(self.lang) {
            notes.push(format!("{}{hint}", crate::i18n::hint_prefix(self.lang)));
        }
        out.with_notes(notes)
    }

    /// Plain text, as an editor's terminal or a snapshot test sees it.
    pub fn to_string(&self, diags: &[Diagnostic]) -> String {
        let config = term::Config::default();
        let mut out = String::new();
        for d in diags {
            let mut files = SimpleFiles::new();
            let cd = self.to_codespan(&mut files, d);
            match term::emit_into_string(&config, &files, &cd) {
                Ok(s) => out.push_str(&s),
                Err(_) => out.push_str(&format!("{}: {}\n", d.location(), d.msg.text(self.lang))),
            }
        }
        out
    }

    /// To standard error, in colour when it is a terminal.
    pub fn emit_stderr(&self, diags: &[Diagnostic]) {
        let choice = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            ColorChoice::Auto
        } else {
            ColorChoice::Never
        };
        let mut stream = StandardStream::stderr(choice);
        let config = term::Config::default();
        for d in diags {
            let mut files = SimpleFiles::new();
            let cd = self.to_codespan(&mut files, d);
            if term::emit_to_write_style(&mut stream, &config, &files, &cd).is_err() {
                let _ = writeln!(stream, "{}: {}", d.location(), d.msg.text(self.lang));
            }
        }
    }

    /// One JSON object per diagnostic, for editors' tools.
    pub fn to_json(&self, diags: &[Diagnostic]) -> serde_json::Value {
        let items = diags
            .iter()
            .map(|d| {
                serde_json::json!({
                    "file": d.span.as_ref().map(|s| &*s.file),
                    "line": d.span.as_ref().map(|s| s.line),
                    "column": d.span.as_ref().map(|s| s.column),
                    "severity": d.severity.as_str(),
                    "code": d.msg.code(),
                    "message": d.msg.text(self.lang),
                    "hint": d.msg.hint(self.lang),
                })
            })
            .collect();
        serde_json::Value::Array(items)
    }
}

/// Byte ranges must land on char boundaries inside the text, or codespan
/// refuses to draw the frame.
fn clamp_range(text: &str, r: Range<usize>) -> Range<usize> {
    let fix = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = fix(r.start);
    let end = fix(r.end.max(r.start)).max(start);
    start..end
}

/// Maps byte offsets in one text to 1-based line and character column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Where each line starts. Every page keeps one for as long as the
    /// build does, so it is made at its exact size and holds 4-byte
    /// offsets (a Markdown file past 4 GiB gets its last lines' starts
    /// clamped, never a panic): 10,000 pages held 5.3 MB of doubled
    /// `usize` vectors at the cold build's peak, now under 1 MB.
    starts: Box<[u32]>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(1 + memchr::memchr_iter(b'\n', bytes).count());
        starts.push(0);
        starts.extend(
            memchr::memchr_iter(b'\n', bytes).map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        Self {
            starts: starts.into_boxed_slice(),
        }
    }

    /// (line, column), both 1-based; the column counts characters.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s as usize <= offset) - 1;
        let line_start = self.starts[line] as usize;
        let col = text
            .get(line_start..offset)
            .map_or(offset - line_start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// Byte offset of the start of a 1-based line.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(*self.starts.last().unwrap_or(&0)) as usize
    }

    pub fn span(&self, file: &Arc<str>, text: &str, bytes: Range<usize>) -> Span {
        let (line, column) = self.position(text, bytes.start);
        Span {
            file: file.clone(),
            line,
            column,
            bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_chinese_characters_not_bytes() {
        let text = "标题: 你好\n日期: 2024";
        let idx = LineIndex::new(text);
        let off = text.find("2024").unwrap();
        assert_eq!(idx.position(text, off), (2, 5));
        let off = text.find("你好").unwrap();
        assert_eq!(idx.position(text, off), (1, 5));
    }

    #[test]
    fn clamp_range_lands_on_char_boundaries() {
        let text = "一二三";
        assert_eq!(clamp_range(text, 1..4), 0..3);
        assert_eq!(clamp_range(text, 7..100), 6..9);
    }
}
