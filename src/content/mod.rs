//! Loading `content/`: find every file, read and parse the Markdown ones in
//! parallel, and report every problem in every file in one go.

pub mod body;
pub mod lazy;
pub mod model;
pub mod parse;
pub mod schema;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use jiff::tz::TimeZone;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

pub use lazy::{PageFile, Reads};
pub use model::{Asset, Content, Page, PageMeta, Section};
pub use schema::Kind;

use crate::diagnostics::{Diagnostic, Diagnostics, Sources};
use crate::i18n::Msg;
use crate::paths::{self, parent};
use crate::source::{self, SourceFile};

/// Files editors' tools leave behind, never content: Office lock files
/// (`~$议程.docx`), Vim swap files, Emacs backups, OS litter.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with("~$")
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".crdownload")
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

/// Whether a file name (or path) is a Markdown file's.
pub fn is_markdown(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown")
    })
}

/// A file found under `content/`, before it is read.
struct Found {
    rel: String,
    path: std::path::PathBuf,
    size: u64,
    modified: Option<SystemTime>,
}

/// Parsed files kept between builds, so a rebuild in watch mode reads and
/// parses only what changed on disk. Keyed by content-relative path.
#[derive(Default)]
pub struct Cache {
    entries: FxHashMap<String, (Stamp, Parsed)>,
    /// What an earlier process parsed ([`Stored`]), used for a file whose
    /// text is still the same.
    stored: FxHashMap<String, Stored>,
    /// `stored` once the load has used it: freed with the cache, not in
    /// the middle of the load (a one-shot build frees the cache on a thread
    /// of its own, [`crate::heap::drop_later`]).
    spent: FxHashMap<String, Stored>,
    /// How many files the last load took from `stored`.
    reused: usize,
    /// Files the last load parsed afresh that [`Cache::stored`] includes
    /// (after an edit a few, so a list: it is only gone through).
    fresh: Vec<String>,
    /// Every file the build cache just stamped and hashed: the load takes
    /// their size and time from it, and `stored` may stand for a settled
    /// one without reading it ([`Cache::trust`]).
    unchanged: FxHashMap<String, Unchanged>,
    /// The files under `content/` as the build cache just walked them
    /// (content-relative and `/`-joined, in walk order): the next load does
    /// not walk the folder again ([`Cache::listed`]).
    listed: Option<Listed>,
    /// The files of the last load read late ([`PageFile`]).
    reads: Arc<Reads>,
    /// How many pages the last load left unread.
    unread: usize,
    /// For each page the last load parsed afresh while an earlier process
    /// had parsed another text of it: that parse, and the hash of its bytes.
    before: FxHashMap<String, (Arc<PageMeta>, u64)>,
}

/// A file's size and time as the build cache just found them, the hash of
/// its bytes, and whether it is old enough for its stamp to stand for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unchanged {
    pub len: u64,
    pub modified: SystemTime,
    pub bytes: u64,
    pub settled: bool,
}

impl Cache {
    /// A cache that starts from what an earlier process parsed.
    pub fn from_stored(stored: FxHashMap<String, Stored>) -> Cache {
        Cache {
            stored,
            ..Cache::default()
        }
    }

    /// Lets the next load take each file's size and time from `unchanged`
    /// (content-relative paths) instead of looking again, and take a page
    /// from what an earlier process parsed without reading the file, when
    /// the file is settled and what was parsed came from bytes with the
    /// same hash. Its text is read later, if anything needs it
    /// ([`PageFile`]).
    pub fn trust(&mut self, unchanged: FxHashMap<String, Unchanged>) {
        self.unchanged = unchanged;
    }

    /// Lets the next load take its files from `files` (content-relative,
    /// in the order [`walk`] gives them, links and ignored names left out)
    /// instead of walking the folder: the build cache walked the whole
    /// site a moment ago to stamp it.
    pub fn listed(&mut self, files: Listed) {
        self.listed = Some(files);
    }

    /// The files the last load left unread and something read later.
    pub fn reads(&self) -> Arc<Reads> {
        self.reads.clone()
    }

    /// What an earlier process parsed from another text of `rel`, a page
    /// the last load parsed afresh, and the hash of that text's bytes.
    pub fn meta_before(&self, rel: &str) -> Option<(&PageMeta, u64)> {
        self.before.get(rel).map(|(m, b)| (&**m, *b))
    }

    /// What the last load has for the page `rel`.
    pub fn meta(&self, rel: &str) -> Option<&PageMeta> {
        match &self.entries.get(rel)?.1.item {
            Some(Item::Page(page)) => Some(&page.meta),
            _ => None,
        }
    }

    /// How many pages the last load took from what an earlier process
    /// parsed without reading their files.
    pub fn unread(&self) -> usize {
        self.unread
    }

    /// How many files the last load took from what an earlier process
    /// parsed instead of parsing them.
    pub fn reused(&self) -> usize {
        self.reused
    }

    /// Files the last load parsed rather than took from an earlier process
    /// (only those [`Cache::stored`] keeps), so the build cache rewrites
    /// only what holds them.
    pub fn fresh(&self) -> &[String] {
        &self.fresh
    }

    /// The hash of the bytes of each file the last load read, with the
    /// size and time it was loaded under (content-relative paths): a build
    /// cache with nothing to compare the inputs with takes these rather
    /// than read every page a second time ([`crate::cache::Unhashed`]).
    pub fn read_hashes(&self) -> impl Iterator<Item = (&str, u64, Option<SystemTime>, u64)> {
        (self.entries.iter())
            .filter_map(|(rel, (s, _))| Some((rel.as_str(), s.size, s.modified, s.hash?)))
    }

    /// Every file parsed without a problem, in the form the build cache
    /// keeps between processes. Files with diagnostics are left out: they
    /// are parsed again, so their messages are made afresh.
    pub fn stored(&self) -> FxHashMap<String, Stored> {
        self.entries
            .iter()
            .filter(|(_, (_, p))| p.diags.is_empty())
            .filter_map(|(rel, (_, p))| {
                let item = match p.item.as_ref()? {
                    Item::Page(page) => StoredItem::Page {
                        bundle: page.bundle,
                        body: page.body.clone(),
                        meta: page.meta.clone(),
                    },
                    Item::Section(s) => StoredItem::Section(s.clone()),
                };
                let stored = Stored {
                    text: p.text,
                    bytes: p.bytes?,
                    item,
                };
                Some((rel.clone(), stored))
            })
            .collect()
    }
}

/// What parsing one Markdown file produced, for the build cache that
/// survives the process ([`crate::cache`]): valid for a file whose decoded
/// text hashes to `text`, parsed with the same `site.yaml` and program.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Stored {
    text: u64,
    /// Hash of the file's bytes, as the build cache hashes them: a file it
    /// finds unchanged is not read at all ([`Cache::trust`]).
    bytes: u64,
    item: StoredItem,
}

#[derive(Clone, serde::Serialize, serde::Deserialize)]
enum StoredItem {
    Page {
        bundle: bool,
        body: std::ops::Range<usize>,
        meta: Arc<PageMeta>,
    },
    /// Without its file and folder, which are put back when it is used.
    Section(Section),
}

impl Stored {
    fn fits(&self, text: u64, role: &Role) -> bool {
        self.text == text
            && match (&self.item, role) {
                (StoredItem::Page { bundle, .. }, Role::Page { bundle: b }) => bundle == b,
                (StoredItem::Section(_), Role::Section) => true,
                _ => false,
            }
    }

    /// A page taken from `self` without reading its file, when the file
    /// is unchanged since the bytes it was parsed from.
    fn unread(
        &self,
        f: &Found,
        role: &Role,
        unchanged: &Unchanged,
        display: Arc<str>,
        reads: &Arc<Reads>,
    ) -> Option<Parsed> {
        let StoredItem::Page { bundle, body, meta } = &self.item else {
            return None;
        };
        let fits = matches!(role, Role::Page { bundle: b } if b == bundle)
            && unchanged.settled
            && self.bytes == unchanged.bytes
            && f.size == unchanged.len
            && f.modified == Some(unchanged.modified);
        if !fits {
            return None;
        }
        let file = PageFile::unread(
            f.path.clone(),
            display,
            self.text,
            self.bytes,
            body.end,
            reads.clone(),
        );
        let page = Page {
            file,
            rel: f.rel.clone(),
            bundle: *bundle,
            body: body.clone(),
            meta: meta.clone(),
        };
        Some(Parsed {
            file: None,
            item: Some(Item::Page(Box::new(page))),
            diags: Vec::new(),
            text: self.text,
            bytes: Some(self.bytes),
            stored: true,
        })
    }
}

/// What tells us a file may have changed without reading it, and the hash
/// of its bytes when it was last read.
#[derive(Clone, Copy)]
struct Stamp {
    size: u64,
    modified: Option<SystemTime>,
    hash: Option<u64>,
}

impl Stamp {
    fn same_as(&self, other: &Stamp) -> bool {
        self.size == other.size && self.modified == other.modified
    }

    /// See [`crate::source::stamp`].
    fn trustworthy(&self) -> bool {
        crate::source::stamp::settled(self.modified)
    }
}

/// The files under `content/` as another walk found them ([`Cache::listed`]),
/// relative to the folder, in its order: each one's `/`-joined name
/// ([`paths::slash_path`]), and for the few whose name is not the file's
/// path as it is ([`paths::plain`]: not UTF-8, or any path off Unix) that
/// path too. Kept apart, so that the list costs one name a file, as a list
/// of paths did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Listed {
    pub names: Vec<String>,
    /// Where in `names`, and the path, in order.
    pub paths: Vec<(usize, PathBuf)>,
}

impl Listed {
    /// A file whose relative path is `rel` as it is.
    pub fn push_plain(&mut self, rel: String) {
        self.names.push(rel);
    }

    /// A file whose name is made from its parts.
    pub fn push_by_parts(&mut self, path: PathBuf) {
        self.names.push(paths::slash_path(&path));
        self.paths.push((self.names.len() - 1, path));
    }
}

fn walk(
    content_dir: &Path,
    listed: Option<Listed>,
    known: &FxHashMap<String, Unchanged>,
    diags: &mut Diagnostics,
) -> Vec<Found> {
    let mut found = Vec::new();
    match listed {
        // Relative to the folder already: named as they are, not joined
        // to it and taken out again.
        Some(files) => {
            found.reserve_exact(files.names.len());
            let mut paths = files.paths.into_iter().peekable();
            for (at, rel) in files.names.into_iter().enumerate() {
                let path = match paths.next_if(|(i, _)| *i == at) {
                    Some((_, path)) => content_dir.join(path),
                    None => joined(content_dir, &rel),
                };
                found.push((rel, path));
            }
        }
        None => {
            for entry in walk::files(content_dir) {
                let path = match entry {
                    Ok(path) => path,
                    Err((path, detail)) => {
                        diags.error(None, Msg::Io { path, detail });
                        continue;
                    }
                };
                let Ok(rel) = path.strip_prefix(content_dir) else {
                    continue;
                };
                found.push((paths::slash_path(rel), path));
            }
        }
    }
    // Sizes and times as the build cache stamped them a moment ago, if it
    // is on; the others looked up in parallel (one system call per file).
    found
        .into_par_iter()
        .map(|(rel, path)| {
            if let Some(k) = known.get(&rel) {
                return Found {
                    rel,
                    path,
                    size: k.len,
                    modified: Some(k.modified),
                };
            }
            let meta = std::fs::symlink_metadata(&path).ok();
            Found {
                rel,
                size: meta.as_ref().map_or(0, |m| m.len()),
                modified: meta.and_then(|m| m.modified().ok()),
                path,
            }
        })
        .collect()
}

/// `dir` joined with the relative path `rel`, as `Path::join` makes it,
/// in a buffer made at its size: `join` grows its copy of `dir` to fit,
/// once for each of the 14,000 files of a 10,000-page site.
fn joined(dir: &Path, rel: &str) -> PathBuf {
    let mut path = PathBuf::with_capacity(dir.as_os_str().len() + 1 + rel.len());
    path.push(dir);
    path.push(rel);
    path
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// The outermost bundle folder (one holding `index.md`) that `rel` is inside.
fn bundle_of<'a>(rel: &str, bundles: &FxHashSet<&'a str>) -> Option<&'a str> {
    let mut dir = parent(rel);
    let mut outermost = None;
    loop {
        if let Some(b) = bundles.get(dir) {
            outermost = Some(*b);
        }
        if dir.is_empty() {
            return outermost;
        }
        dir = parent(dir);
    }
}

enum Role {
    Section,
    Page { bundle: bool },
    Asset { bundle: Option<String> },
}

/// Loads and parses everything under `content/`. Files with errors are left
/// out of the result; their diagnostics are in `diags`.
pub fn load(
    content_dir: &Path,
    site_root: &Path,
    tz: &TimeZone,
    diags: &mut Diagnostics,
    sources: &mut Sources,
) -> Content {
    load_cached(
        content_dir,
        site_root,
        tz,
        &mut Cache::default(),
        diags,
        sources,
    )
}

/// [`load`], reusing what `cache` holds for files whose size and time did
/// not change, and updating it.
pub fn load_cached(
    content_dir: &Path,
    site_root: &Path,
    tz: &TimeZone,
    cache: &mut Cache,
    diags: &mut Diagnostics,
    sources: &mut Sources,
) -> Content {
    let unchanged = std::mem::take(&mut cache.unchanged);
    let found = walk(content_dir, cache.listed.take(), &unchanged, diags);
    // Hashed with Fx, as every file's folders are looked up in it: the
    // paths are the site's own, and SipHash took 9 million instructions
    // of a build after one edit at 10,000 pages (callgrind).
    let bundle_dirs: FxHashSet<&str> = found
        .iter()
        .filter(|f| file_name(&f.rel) == "index.md")
        .map(|f| parent(&f.rel))
        .collect();
    let roles: Vec<Role> = found
        .iter()
        .map(|f| {
            let name = file_name(&f.rel);
            let bundle = bundle_of(&f.rel, &bundle_dirs);
            match bundle {
                Some(b) if name == "index.md" && parent(&f.rel) == b => Role::Page { bundle: true },
                Some(b) => Role::Asset {
                    bundle: Some(b.to_string()),
                },
                None if name == "_index.md" => Role::Section,
                None if is_markdown(name) => Role::Page { bundle: false },
                None => Role::Asset { bundle: None },
            }
        })
        .collect();

    let display_prefix = content_dir
        .strip_prefix(site_root)
        .map_or_else(|_| content_dir.display().to_string(), paths::slash_path);
    cache.reads = Arc::new(Reads::default());
    let parsed: Vec<(&Found, Stamp, Parsed)> = found
        .par_iter()
        .zip(roles.par_iter())
        .filter_map(|(f, role)| match role {
            Role::Asset { .. } => None,
            Role::Section | Role::Page { .. } => {
                let stamp = Stamp {
                    size: f.size,
                    modified: f.modified,
                    hash: None,
                };
                let cached = cache.entries.get(&f.rel).filter(|(_, p)| p.role_is(role));
                if let Some((old, p)) =
                    cached.filter(|(old, _)| old.same_as(&stamp) && stamp.trustworthy())
                {
                    return Some((f, *old, p.again()));
                }
                // Joined by `concat`, which sizes the text once: `format!`
                // took 960 instructions a page, for 10,000 pages.
                let display =
                    || -> Arc<str> { [display_prefix.as_str(), "/", &f.rel].concat().into() };
                // Known from an earlier process and unchanged since: not read.
                let unread = unchanged.get(&f.rel).and_then(|u| {
                    let stored = cache.stored.get(&f.rel)?;
                    let p = stored.unread(f, role, u, display(), &cache.reads)?;
                    Some((
                        Stamp {
                            hash: p.bytes,
                            ..stamp
                        },
                        p,
                    ))
                });
                if let Some((stamp, p)) = unread {
                    return Some((f, stamp, p));
                }
                // Read it; if the bytes are what we parsed before (a touch, a
                // save without changes, a clock too coarse to tell), keep that.
                let bytes = std::fs::read(&f.path);
                let hash = bytes.as_ref().ok().map(|b| xxhash_rust::xxh3::xxh3_64(b));
                let stamp = Stamp { hash, ..stamp };
                if let Some((_, p)) = cached.filter(|(old, _)| hash.is_some() && old.hash == hash) {
                    return Some((f, stamp, p.again()));
                }
                let stored = cache.stored.get(&f.rel);
                let mut p = parse_one(f, bytes, role, display(), tz, stored);
                p.bytes = hash;
                Some((f, stamp, p))
            }
        })
        .collect();
    cache.entries = parsed
        .iter()
        .map(|(f, stamp, p)| (f.rel.clone(), (*stamp, p.clone())))
        .collect();
    cache.before = parsed
        .iter()
        .filter(|(_, _, p)| !p.stored)
        .filter_map(|(f, _, _)| match cache.stored.get(&f.rel)? {
            Stored {
                bytes,
                item: StoredItem::Page { meta, .. },
                ..
            } => Some((f.rel.clone(), (meta.clone(), *bytes))),
            _ => None,
        })
        .collect();
    // Used once: from now on the entries above are the cache.
    cache.spent = std::mem::take(&mut cache.stored);
    cache.reused = parsed.iter().filter(|(_, _, p)| p.stored).count();
    cache.unread = parsed
        .iter()
        .filter(|(_, _, p)| p.file.is_none() && p.item.is_some())
        .count();
    cache.fresh = parsed
        .iter()
        .filter(|(_, _, p)| !p.stored && p.diags.is_empty())
        .map(|(f, _, _)| f.rel.clone())
        .collect();
    let parsed = parsed.into_iter().map(|(f, _, p)| (f, p));

    let mut content = Content::default();
    for (f, role) in found.iter().zip(&roles) {
        if let Role::Asset { bundle } = role {
            content.assets.push(Asset {
                rel: f.rel.clone(),
                path: f.path.clone(),
                size: f.size,
                modified: f.modified,
                bundle: bundle.clone(),
            });
        }
    }
    for (f, p) in parsed {
        if let Some(file) = &p.file {
            sources.insert(file.display.clone(), file.text.clone());
        }
        diags.extend(p.diags);
        match p.item {
            Some(Item::Page(page)) => content.pages.push(*page),
            Some(Item::Section(section)) => content.sections.push(section),
            None => content.unreadable.push(f.rel.clone()),
        }
    }
    content
}

#[derive(Clone)]
enum Item {
    /// Boxed: a page's typed front matter is several times a section's.
    Page(Box<Page>),
    Section(Section),
}

#[derive(Clone)]
struct Parsed {
    file: Option<Arc<SourceFile>>,
    item: Option<Item>,
    diags: Vec<Diagnostic>,
    /// Hash of the decoded text, the key of [`Stored`].
    text: u64,
    /// Hash of the bytes read; `None` when they could not be read.
    bytes: Option<u64>,
    /// Made from [`Stored`], not parsed.
    stored: bool,
}

impl Parsed {
    /// The same file kept from the last build of this process.
    fn again(&self) -> Parsed {
        Parsed {
            bytes: None,
            stored: false,
            ..self.clone()
        }
    }

    /// Whether this entry may stand for the file in `role`. Never an entry
    /// without an item (the file had an error): a read that failed (a file
    /// locked by another program, or not readable by the user) is tried
    /// again even when the file's size and time have not changed, since
    /// unlocking or `chmod` changes neither. For a given path the kind
    /// (page or section) and a page's bundle flag follow from its name, and
    /// a file that an `index.md` beside it turns into an attachment is never
    /// looked up: the other checks cannot fail today, and keep the wrong
    /// kind of entry from being used should that change.
    fn role_is(&self, role: &Role) -> bool {
        match (&self.item, role) {
            (Some(Item::Page(p)), Role::Page { bundle }) => p.bundle == *bundle,
            (Some(Item::Section(_)), Role::Section) => true,
            (None, _) => false,
            _ => false,
        }
    }
}

fn parse_one(
    f: &Found,
    bytes: std::io::Result<Vec<u8>>,
    role: &Role,
    display: Arc<str>,
    tz: &TimeZone,
    stored: Option<&Stored>,
) -> Parsed {
    let read = match bytes {
        Ok(bytes) => source::decode(f.path.clone(), display, bytes),
        Err(e) => {
            let msg = Msg::Io {
                path: display.to_string(),
                detail: e.to_string(),
            };
            Err((Diagnostic::error(None, msg), None))
        }
    };
    let file = match read {
        Ok(file) => Arc::new(file),
        Err((d, lossy)) => {
            return Parsed {
                file: lossy.map(|f| Arc::new(*f)),
                item: None,
                diags: vec![d],
                text: 0,
                bytes: None,
                stored: false,
            };
        }
    };
    let text = xxhash_rust::xxh3::xxh3_64(file.text.as_bytes());
    if let Some(stored) = stored.filter(|s| s.fits(text, role))
        && file.encoding == source::encoding::Encoding::Utf8
    {
        return from_stored(f, file, stored, text);
    }
    // A file decoded from GBK or UTF-16 is read, with a warning to re-save it.
    let encoding = file.encoding_warning();
    match role {
        Role::Section => {
            let (section, mut diags) = parse::section(file.clone(), parent(&f.rel).to_string(), tz);
            diags.extend(encoding);
            Parsed {
                file: Some(file),
                item: section.map(Item::Section),
                diags,
                text,
                bytes: None,
                stored: false,
            }
        }
        Role::Page { bundle } => {
            let (meta, mut diags) = parse::page(&file, tz);
            diags.extend(encoding);
            let item = meta.map(|(meta, body)| {
                Item::Page(Box::new(Page {
                    file: PageFile::read(file.clone(), text),
                    rel: f.rel.clone(),
                    bundle: *bundle,
                    body,
                    meta: Arc::new(meta),
                }))
            });
            Parsed {
                file: Some(file),
                item,
                diags,
                text,
                bytes: None,
                stored: false,
            }
        }
        Role::Asset { .. } => Parsed {
            file: None,
            item: None,
            diags: Vec::new(),
            text,
            bytes: None,
            stored: false,
        },
    }
}

/// A file parsed by an earlier process, with its text as read now.
fn from_stored(f: &Found, file: Arc<SourceFile>, stored: &Stored, text: u64) -> Parsed {
    let item = match &stored.item {
        StoredItem::Page { bundle, body, meta } => Item::Page(Box::new(Page {
            file: PageFile::read(file.clone(), text),
            rel: f.rel.clone(),
            bundle: *bundle,
            body: body.clone(),
            meta: meta.clone(),
        })),
        StoredItem::Section(s) => Item::Section(Section {
            file: Some(file.clone()),
            dir: parent(&f.rel).to_string(),
            ..s.clone()
        }),
    };
    Parsed {
        file: Some(file),
        item: Some(item),
        diags: Vec::new(),
        text,
        bytes: None,
        stored: true,
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;

    #[test]
    fn a_path_joined_at_its_size_is_what_join_makes() {
        for dir in ["/srv/站点/content", "content", "/", "a/b/"] {
            for rel in ["通知/2024/a.md", "a.md", "x/index.md"] {
                let dir = Path::new(dir);
                assert_eq!(joined(dir, rel), dir.join(rel), "{dir:?} {rel}");
            }
        }
    }

    /// A page that could not be read at the last build of a watch session
    /// (Word or WPS held it locked on Windows; its mode let no one read it)
    /// is readable now with the same size and time, since a lock or a
    /// `chmod` changes neither: the next build reads it again and shows the
    /// page, instead of repeating the old error. (A read cannot be made to
    /// fail here, where tests run as root, so the cache is given the entry
    /// that read left: no item, the error, no hash.)
    #[test]
    fn a_file_unreadable_at_the_last_build_is_read_again() {
        let site = tempfile::tempdir().unwrap();
        let content = site.path().join("content");
        std::fs::create_dir_all(content.join("notices")).unwrap();
        let page = content.join("notices/a.md");
        std::fs::write(&page, "---\ntitle: 通知\ndate: 2026-02-01\n---\n\n正文\n").unwrap();
        let settled = SystemTime::now() - Duration::from_secs(3600);
        let f = std::fs::File::options().write(true).open(&page).unwrap();
        f.set_modified(settled).unwrap();
        drop(f);
        let tz = TimeZone::UTC;
        let mut cache = Cache::default();
        let load = |cache: &mut Cache| {
            let (mut diags, mut sources) = (Diagnostics::default(), Sources::default());
            let content = load_cached(&content, site.path(), &tz, cache, &mut diags, &mut sources);
            let titles: Vec<String> = content.pages.iter().map(|p| p.meta.title.clone()).collect();
            (titles, diags.has_errors())
        };
        assert_eq!(load(&mut cache), (vec!["通知".to_string()], false));

        let (stamp, _) = cache.entries["notices/a.md"];
        let unreadable = Parsed {
            file: None,
            item: None,
            diags: vec![Diagnostic::error(
                None,
                Msg::Io {
                    path: "content/notices/a.md".into(),
                    detail: "Permission denied (os error 13)".into(),
                },
            )],
            text: 0,
            bytes: None,
            stored: false,
        };
        let stamp = Stamp {
            hash: None,
            ..stamp
        };
        cache
            .entries
            .insert("notices/a.md".into(), (stamp, unreadable));
        assert_eq!(load(&mut cache), (vec!["通知".to_string()], false));
    }
}
