//! Reading what editors write: files as text, front matter, typed fields and
//! dates. Shared by `config` (site.yaml) and `content` (Markdown).

pub mod dates;
pub mod fields;
pub mod front_matter;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, LineIndex, Span};
use crate::i18n::Msg;

/// One file an editor wrote, as text, with what is needed to point into it.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The path shown in messages: relative to the site root, with `/`.
    pub display: Arc<str>,
    pub text: Arc<str>,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn from_text(path: PathBuf, display: Arc<str>, text: String) -> Self {
        let lines = LineIndex::new(&text);
        Self {
            path,
            display,
            text: text.into(),
            lines,
        }
    }

    pub fn span(&self, bytes: std::ops::Range<usize>) -> Span {
        self.lines.span(&self.display, &self.text, bytes)
    }

    /// The first line, for problems that belong to the file as a whole.
    pub fn start_span(&self) -> Span {
        let end = self
            .text
            .find(['\r', '\n'])
            .unwrap_or(self.text.len())
            .min(3);
        self.span(0..end)
    }
}

/// Reads a text file. A UTF-8 byte-order mark is dropped. Bytes that are not
/// UTF-8 give an error at the first bad byte; the file comes back decoded
/// lossily so the message can still show the line.
pub fn read(
    path: &Path,
    display: Arc<str>,
) -> Result<SourceFile, (Diagnostic, Option<SourceFile>)> {
    let bytes = std::fs::read(path).map_err(|e| {
        let msg = Msg::Io {
            path: display.to_string(),
            detail: e.to_string(),
        };
        (Diagnostic::error(None, msg), None)
    })?;
    decode(path.to_path_buf(), display, bytes)
}

pub fn decode(
    path: PathBuf,
    display: Arc<str>,
    mut bytes: Vec<u8>,
) -> Result<SourceFile, (Diagnostic, Option<SourceFile>)> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::from_text(path, display, text)),
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The lossy text has the same prefix up to `bad`, so the offset holds.
            let file = SourceFile::from_text(path, display, lossy);
            let span = file.span(bad..bad + 1);
            Err((Diagnostic::error(Some(span), Msg::NotUtf8), Some(file)))
        }
    }
}
