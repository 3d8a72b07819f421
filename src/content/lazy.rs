//! A page's file whose text is read only when something needs it.
//!
//! After an edit, a new `unionpress build` knows most pages without reading
//! them: the build cache says their size and time are as the last build saw
//! them (and old enough to trust, see [`crate::source::stamp`]), and the
//! products hold what was parsed from them. Their text is needed only to
//! render their Markdown again (a link or their URL changed) or to point a
//! message into them, so it is read then, once, and checked against the
//! hash the cache holds. A file that changed in between (saved while the
//! build ran) is not mixed with what was parsed from the old text: a blank
//! text of the old length stands in (so no slicing can fail) and the build
//! reports it as an error, which stops it before it writes anything
//! ([`Reads::changed`]). This module owns that file and the record of the
//! files read late; it never decides which files may stay unread.

use std::ops::Deref;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use crate::diagnostics::{Diagnostic, Sources};
use crate::i18n::Msg;
use crate::source::{self, SourceFile, encoding::Encoding};

/// The file of a page: its text, read already or when first needed.
/// Dereferences to the [`SourceFile`], reading it then.
#[derive(Clone)]
pub struct PageFile {
    /// The path shown in messages, known without reading the file.
    pub display: Arc<str>,
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    /// Hash of the decoded text (the key of the build cache's products).
    text_hash: u64,
    source: OnceLock<Arc<SourceFile>>,
    /// For a file not read yet: the hash its bytes must have, how far into
    /// its text what was parsed from it points (the end of its body), and
    /// where to record the read.
    unread: Option<Unread>,
}

struct Unread {
    bytes_hash: u64,
    len: usize,
    reads: Arc<Reads>,
}

impl std::fmt::Debug for PageFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageFile")
            .field("display", &self.display)
            .field("read", &self.is_read())
            .finish()
    }
}

impl PageFile {
    /// A file already read, whose decoded text hashes to `text_hash`.
    pub fn read(file: Arc<SourceFile>, text_hash: u64) -> PageFile {
        let source = OnceLock::new();
        let display = file.display.clone();
        let path = file.path.clone();
        let _ = source.set(file);
        PageFile {
            display,
            inner: Arc::new(Inner {
                path,
                text_hash,
                source,
                unread: None,
            }),
        }
    }

    /// A file read and hashed here (the watch quick path's edited page).
    pub fn of(file: SourceFile) -> PageFile {
        let hash = xxhash_rust::xxh3::xxh3_64(file.text.as_bytes());
        PageFile::read(Arc::new(file), hash)
    }

    /// A file left unread: its bytes hashed to `bytes_hash` and its text to
    /// `text_hash` when it was last read, and what was parsed from it points
    /// no further than `len` bytes in. The read, when it comes, is recorded
    /// in `reads`.
    pub fn unread(
        path: PathBuf,
        display: Arc<str>,
        text_hash: u64,
        bytes_hash: u64,
        len: usize,
        reads: Arc<Reads>,
    ) -> PageFile {
        PageFile {
            display,
            inner: Arc::new(Inner {
                path,
                text_hash,
                source: OnceLock::new(),
                unread: Some(Unread {
                    bytes_hash,
                    len,
                    reads,
                }),
            }),
        }
    }

    /// The file's text and what points into it, read now if not yet.
    pub fn source(&self) -> &Arc<SourceFile> {
        self.inner.source.get_or_init(|| self.read_late())
    }

    /// Hash of the decoded text, known without reading the file.
    pub fn text_hash(&self) -> u64 {
        self.inner.text_hash
    }

    /// Whether the text is in memory.
    pub fn is_read(&self) -> bool {
        self.inner.source.get().is_some()
    }

    /// The very same file value (a clone of this one), not only the same
    /// text: what a watch session's caches key on.
    pub fn same(&self, other: &PageFile) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    fn read_late(&self) -> Arc<SourceFile> {
        let inner = &*self.inner;
        let unread = inner
            .unread
            .as_ref()
            .expect("a file made by PageFile::read holds its text");
        let bytes = std::fs::read(&inner.path).ok();
        let same = bytes
            .as_ref()
            .is_some_and(|b| xxhash_rust::xxh3::xxh3_64(b) == unread.bytes_hash);
        let decoded = bytes
            .filter(|_| same)
            .and_then(|b| source::decode(inner.path.clone(), self.display.clone(), b).ok())
            .filter(|f| f.encoding == Encoding::Utf8);
        let changed = decoded.is_none();
        let file = Arc::new(decoded.unwrap_or_else(|| {
            // Changed since it was parsed: blanks of the old length, so
            // what was parsed from it still points inside; the build stops.
            SourceFile::from_text(
                inner.path.clone(),
                self.display.clone(),
                " ".repeat(unread.len),
            )
        }));
        unread.reads.lock().push((file.clone(), changed));
        file
    }
}

impl Deref for PageFile {
    type Target = SourceFile;

    fn deref(&self) -> &SourceFile {
        self.source()
    }
}

/// The files of one load that were read late, in the order they were read,
/// each with whether it had changed since it was parsed.
#[derive(Default)]
pub struct Reads {
    files: Mutex<Vec<(Arc<SourceFile>, bool)>>,
}

impl Reads {
    /// How many files were read late.
    pub fn count(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(Arc<SourceFile>, bool)>> {
        self.files.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// An error for each file that changed between the start of the build
    /// and its late read: what was made from it no longer matches it.
    pub fn changed(&self) -> Vec<Diagnostic> {
        self.lock()
            .iter()
            .filter(|(_, changed)| *changed)
            .map(|(file, _)| {
                let msg = Msg::ChangedWhileBuilding {
                    path: file.display.to_string(),
                };
                Diagnostic::error(Some(file.start_span()), msg)
            })
            .collect()
    }

    /// The text of each file read late that one of `diags` points into, so
    /// that messages can show the line.
    pub fn add_sources(&self, diags: &[Diagnostic], sources: &mut Sources) {
        for (file, changed) in self.lock().iter() {
            let shown = diags
                .iter()
                .any(|d| d.span.as_ref().is_some_and(|s| s.file == file.display));
            if shown && !changed && sources.get(&file.display).is_none() {
                sources.insert(file.display.clone(), file.text.clone());
            }
        }
    }
}
