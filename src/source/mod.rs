//! Reading what editors write: files as text, front matter, typed fields and
//! dates. Shared by `config` (site.yaml) and `content` (Markdown).

pub mod dates;
pub mod encoding;
pub mod fields;
pub mod front_matter;
#[cfg(test)]
pub(crate) mod random_text;
pub mod stamp;
pub mod url_policy;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::diagnostics::{Diagnostic, LineIndex, Span};
use crate::i18n::Msg;
use encoding::{Decoded, Encoding};

/// One file an editor wrote, as text, with what is needed to point into it.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The path shown in messages: relative to the site root, with `/`.
    pub display: Arc<str>,
    pub text: Arc<str>,
    /// Made when a message first points into the file: a build without
    /// problems never needs it, and finding every line of every page cost
    /// more than reading them.
    lines: OnceLock<LineIndex>,
    /// What the bytes on disk were; anything but UTF-8 earns a warning.
    pub encoding: Encoding,
}

impl SourceFile {
    pub fn from_text(path: PathBuf, display: Arc<str>, text: String) -> Self {
        Self::shared(path, display, text.into())
    }

    fn shared(path: PathBuf, display: Arc<str>, text: Arc<str>) -> Self {
        Self {
            path,
            display,
            text,
            lines: OnceLock::new(),
            encoding: Encoding::Utf8,
        }
    }

    /// Where each line of the text starts.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The warning for a file that was decoded from GBK or UTF-16.
    pub fn encoding_warning(&self) -> Option<Diagnostic> {
        if self.encoding == Encoding::Utf8 {
            return None;
        }
        Some(Diagnostic::warning(
            Some(self.start_span()),
            Msg::DecodedEncoding {
                encoding: self.encoding.label(),
            },
        ))
    }

    pub fn span(&self, bytes: std::ops::Range<usize>) -> Span {
        self.lines().span(&self.display, &self.text, bytes)
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

/// Reads a text file. A UTF-8 byte-order mark is dropped; GBK and UTF-16
/// are decoded when certain (see [`encoding`]; the caller reports
/// [`SourceFile::encoding_warning`]). Anything else gives an error at the
/// first bad byte; the file comes back decoded lossily so the message can
/// still show the line.
pub fn read(
    path: &Path,
    display: Arc<str>,
) -> Result<SourceFile, (Diagnostic, Option<Box<SourceFile>>)> {
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
    bytes: Vec<u8>,
) -> Result<SourceFile, (Diagnostic, Option<Box<SourceFile>>)> {
    match encoding::decode(&bytes) {
        Decoded::Text(text, enc) => {
            // The one copy of the text: from the bytes read, or from what
            // they were decoded to.
            let mut file = SourceFile::shared(path, display, Arc::from(&*text));
            file.encoding = enc;
            Ok(file)
        }
        Decoded::Unsure { bad_at, guess } => {
            let start = if bytes.starts_with(b"\xEF\xBB\xBF") {
                3
            } else {
                0
            };
            let lossy = String::from_utf8_lossy(&bytes[start..]).into_owned();
            // The lossy text has the same prefix up to the bad byte, so the offset holds.
            let bad = bad_at - start;
            let file = SourceFile::from_text(path, display, lossy);
            let span = file.span(bad..bad + 1);
            let msg = match guess {
                Some(enc) => Msg::UnsureEncoding {
                    encoding: enc.label(),
                },
                None => Msg::NotUtf8,
            };
            Err((Diagnostic::error(Some(span), msg), Some(Box::new(file))))
        }
    }
}
