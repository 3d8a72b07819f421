//! The site index: which pages are published, where each one goes, how
//! sections order them, which are pinned or expired, tags, attachments, and
//! the map that turns a link to a `.md` file into a URL.
//!
//! Built once from the loaded content; rendering only reads it. The
//! watcher's quick path makes it again around edited pages: the lists in
//! place when pages only move ([`relist`]), the index patched around
//! pages that come, go or take another URL ([`reshape`]).

pub mod attachments;
pub mod generated;
mod links;
pub mod relist;
pub mod reshape;
pub mod schedule;
pub mod slug;
pub mod taxonomy;

pub use schedule::next_change;

use std::sync::Arc;

use jiff::Timestamp;
use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::content::model::{Asset, Content, Page, Section};
use crate::content::schema::{Kind, Sort};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::{FilePlace, Msg};
use crate::paths::parent;
use crate::urls;

/// What the command line decides about a build.
#[derive(Debug, Clone)]
pub struct Options {
    pub drafts: bool,
    pub future: bool,
    pub now: Timestamp,
}

#[derive(Debug)]
pub struct SiteSection {
    pub section: Section,
    /// `notices/index.html`; `index.html` for the root.
    pub url: String,
    /// Indices into `Site::pages`, in the section's order.
    pub pages: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Attachment {
    pub title: String,
    pub file: String,
    pub url: String,
    pub size: u64,
    pub ext: String,
}

#[derive(Debug)]
pub struct SitePage {
    pub page: Page,
    pub url: String,
    pub slug: String,
    pub section: usize,
    pub kind: Kind,
    pub pinned: bool,
    pub expired: bool,
    /// Indices into `Site::tags`.
    pub tags: Vec<usize>,
    pub attachments: Vec<Attachment>,
    pub cover_url: Option<String>,
}

impl SitePage {
    /// Where to point about the page's URL: its `slug:` line if it has one,
    /// else the top of the file.
    pub fn slug_or_start_span(&self) -> crate::diagnostics::Span {
        match &self.page.meta.slug {
            Some((_, span)) => span.clone(),
            None => self.page.file.start_span(),
        }
    }
}

#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub url: String,
    /// Newest first.
    pub pages: Vec<usize>,
}

/// Content-relative path → root-relative URL, for links written in
/// Markdown. FxHash, not SipHash: every index makes it with tens of
/// thousands of entries, and the watcher's quick path looks up every key
/// of the last one in the new one ([`crate::render::reshape`]). Its keys
/// are the site's own paths, and nothing reads it in hash order.
pub type Links = FxHashMap<String, String>;

/// A file copied into the output as it is.
#[derive(Debug, Clone)]
pub struct OutputAsset {
    pub asset: Asset,
    pub url: String,
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub options: Options,
    pub sections: Vec<SiteSection>,
    pub pages: Vec<SitePage>,
    pub tags: Vec<Tag>,
    pub assets: Vec<OutputAsset>,
    /// Content-relative path (`notices/a.md`, `notices/x`, `notices/x/议程.pdf`)
    /// → root-relative URL, for links written in Markdown.
    pub links: Links,
    /// Departments, archives, related pages, downloads.
    pub taxonomy: taxonomy::Taxonomy,
    /// Pages left out of this build, so the summary can say so.
    pub held_back: HeldBack,
    /// The published copies of the photos among `assets`; filled by the
    /// build after indexing (empty when nothing is written).
    pub photos: crate::images::Photos,
}

impl Site {
    /// A photo by the URL its original would have, with its display URL.
    pub fn photo_at(&self, url: &str) -> Option<(&OutputAsset, &crate::images::Photo)> {
        let &i = self.photos.urls.get(url)?;
        let a = self.assets.get(i)?;
        Some((a, self.photos.by_rel.get(&a.asset.rel)?))
    }
}

/// Pages that exist but are left out: `draft: true`, or dated after now.
/// Display paths (`content/notices/a.md`), in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeldBack {
    pub drafts: Vec<String>,
    pub scheduled: Vec<String>,
}

/// File types listed as attachments without being named in `attachments`.
const DOCUMENT_EXTS: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps", "odt", "ods", "odp",
    "rtf", "txt", "csv", "zip", "rar", "7z",
];

fn ext_of(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Joins a relative link onto a folder and resolves `.` and `..`; `None`
/// when it climbs out of `content/`.
pub fn join_rel(dir: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = if link.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Builds the index. Problems (duplicate URLs, missing attachments…) go
/// into `diags`; the pages involved stay in, so later stages can report
/// their own problems too.
///
/// The steps run in this order because a URL goes to whoever claims it
/// first: sections, then the lists the build writes itself, then pages;
/// files take their URLs from their page's; tags, departments, archives and
/// the later pages of long lists are known only once every page is placed.
pub fn index(config: Config, options: Options, content: Content, diags: &mut Diagnostics) -> Site {
    index_with(config, options, content, diags, None)
}

/// [`index`], taking each page's related pages from `remembered` when they
/// were found from the same tags and order, and leaving there those of
/// this index (the build cache keeps them for the next process).
pub fn index_remembering(
    config: Config,
    options: Options,
    content: Content,
    diags: &mut Diagnostics,
    remembered: &mut taxonomy::Remembered,
) -> Site {
    // A lock only because the related pages are found on one of rayon's
    // threads; nothing else ever takes it.
    let remembered = std::sync::Mutex::new(remembered);
    let related = |pages: &[SitePage], _: &[Tag], newest: &Newest| {
        let mut remembered = remembered.lock().unwrap_or_else(|e| e.into_inner());
        remembered.related(pages, newest)
    };
    indexed(config, options, content, diags, None, Some(&related))
}

/// Each page's related pages, from the placed pages, tags and order;
/// `Sync`, since [`index_with`] finds them on one of rayon's threads.
pub(crate) type Related<'a> = &'a (dyn Fn(&[SitePage], &[Tag], &Newest) -> Vec<Vec<usize>> + Sync);

/// What [`reshape`] tells [`index_with`] from the last index, so that it
/// is not worked out again for each of ten thousand pages.
pub(crate) struct Again<'a> {
    /// Each page's related pages (found only where they can differ).
    pub related: Related<'a>,
    /// The last index's page of a page file, when it has one: a page with
    /// the same path, kind of file and front matter (the same shared
    /// value, not an equal one) keeps its slug and URL, its pinned and
    /// expired marks, and its attachments and cover.
    pub page: Known<'a>,
}

/// The last index's page of a page file ([`Again::page`]).
pub(crate) type Known<'a> = &'a dyn Fn(&Page) -> Option<&'a SitePage>;

/// [`index`], told what the last index knew ([`Again`]). Only errors are
/// reported then: the watcher's quick path asks only whether there are
/// any, and the full build after it reports everything; so the names of
/// files Windows cannot store (warnings, ten thousand paths' parts) are
/// not checked.
pub(crate) fn index_with(
    config: Config,
    options: Options,
    content: Content,
    diags: &mut Diagnostics,
    again: Option<Again<'_>>,
) -> Site {
    indexed(config, options, content, diags, again, None)
}

/// [`index_with`], with each page's related pages found by `related`
/// unless `again` says how.
fn indexed(
    config: Config,
    options: Options,
    content: Content,
    diags: &mut Diagnostics,
    again: Option<Again<'_>>,
    related: Option<Related<'_>>,
) -> Site {
    let related = again.as_ref().map(|a| a.related).or(related);
    let Content {
        sections,
        pages,
        assets,
        unreadable,
    } = content;
    let mut sections = gather_sections(&config, sections);
    let (published, held_back) = hold_back(pages, &options);
    let mut claimed = claim_sections(&sections);
    // Lists the build writes itself; a page there would be overwritten.
    generated::claim_fixed(&config, &sections, &mut claimed, diags);
    let known = again.as_ref().map(|a| a.page);
    let (mut site_pages, kept) = place_pages(published, &sections, &mut claimed, known, diags);
    // A page the last index had with the same file keeps its marks and
    // files ([`place_page`]); the others are worked out.
    let fresh = |i: usize| !kept[i];
    mark_dates_of(&mut site_pages, fresh, options.now, &config.timezone);

    // From here on the placed pages are only read until each is given
    // its files and tags, and the links, the newest-first order, the
    // sections' lists, the files and the tags need only them: made two
    // at a time on rayon's threads, since the watcher's quick path waits
    // on this index and it would otherwise keep one core busy and the
    // other idle. Each side's problems are added in the order the steps
    // had one after the other.
    let (mut links, (newest, orders)) = rayon::join(
        || {
            let mut links = links::of_sections_and_pages(&sections, &site_pages);
            links::add_unreadable(&mut links, &unreadable, &assets);
            links
        },
        || {
            let newest = Newest::of(&site_pages);
            let orders = section_orders(&sections, &site_pages, &newest);
            (newest, orders)
        },
    );
    for (s, pages) in sections.iter_mut().zip(orders) {
        s.pages = pages;
    }
    let check_names = again.is_none();
    let out_assets = place_assets(&config, assets, &site_pages, check_names, diags);
    let ((files, found_in_files), (tags, found_in_tags)) = rayon::join(
        || {
            let mut found = Diagnostics::default();
            (files_of(&site_pages, &kept, &out_assets, &mut found), found)
        },
        || {
            links::add_assets(&mut links, &out_assets);
            let mut found = Diagnostics::default();
            (tags_of(&site_pages, &newest, &mut found), found)
        },
    );
    for (p, files) in site_pages.iter_mut().zip(files) {
        if let Some((attachments, cover)) = files {
            p.attachments = attachments;
            p.cover_url = cover;
        }
    }
    mark_tags(&mut site_pages, &tags);
    diags.extend(found_in_files.iter().cloned());
    diags.extend(found_in_tags.iter().cloned());
    // Long lists' later pages, tag lists and feeds are known only now.
    let check_lists = |taxonomy: &taxonomy::Taxonomy, diags: &mut Diagnostics| {
        let lists = generated::Lists {
            config: &config,
            sections: &sections,
            pages: &site_pages,
            tags: &tags,
            taxonomy,
        };
        lists.check(&out_assets, &claimed, diags);
    };
    let taxonomy = match related {
        None => {
            let taxonomy = taxonomy::build(&site_pages, &sections, &claimed, &newest, diags);
            check_lists(&taxonomy, diags);
            taxonomy
        }
        // The related pages are the largest step left, and neither the
        // rest of the taxonomy nor the check of the lists' URLs reads
        // them: found side by side, the related pages put in after.
        Some(related) => {
            let (related, (mut taxonomy, found)) = rayon::join(
                || related(&site_pages, &tags, &newest),
                || {
                    let mut found = Diagnostics::default();
                    let taxonomy = taxonomy::with_related(
                        &site_pages,
                        &sections,
                        &claimed,
                        &newest,
                        &mut found,
                        Vec::new(),
                    );
                    check_lists(&taxonomy, &mut found);
                    (taxonomy, found)
                },
            );
            taxonomy.related = related;
            diags.extend(found.iter().cloned());
            taxonomy
        }
    };
    Site {
        config,
        options,
        sections,
        pages: site_pages,
        tags,
        assets: out_assets,
        links,
        taxonomy,
        held_back,
        photos: Default::default(),
    }
}

/// Every section with its URL, sorted by folder; a root section stands in
/// for a site without `content/_index.md`. Their page lists are filled by
/// [`order_sections`].
fn gather_sections(config: &Config, sections: Vec<Section>) -> Vec<SiteSection> {
    let mut sections: Vec<SiteSection> = sections
        .into_iter()
        .map(|s| {
            let url = urls::file_url(&s.dir);
            SiteSection {
                section: s,
                url,
                pages: Vec::new(),
            }
        })
        .collect();
    if !sections.iter().any(|s| s.section.dir.is_empty()) {
        sections.push(SiteSection {
            section: implicit_root(config),
            url: "index.html".into(),
            pages: Vec::new(),
        });
    }
    sections.sort_by(|a, b| a.section.dir.cmp(&b.section.dir));
    sections
}

/// Splits off the pages this build leaves out (drafts unless `--drafts`,
/// pages dated after now unless `--future`), keeping their names for the
/// summary; the rest are published, in file order.
fn hold_back(pages: Vec<Page>, options: &Options) -> (Vec<Page>, HeldBack) {
    let mut held_back = HeldBack::default();
    let published = pages
        .into_iter()
        .filter(|p| {
            let future = schedule::is_future(&p.meta, options.now);
            let draft = p.meta.draft && !options.drafts;
            let scheduled = future && !options.future;
            if draft {
                held_back.drafts.push(p.file.display.to_string());
            } else if scheduled {
                held_back.scheduled.push(p.file.display.to_string());
            }
            !draft && !scheduled
        })
        .collect();
    (published, held_back)
}

/// Who holds each URL: lower-cased URL → the display path of the file that
/// holds it, or [`generated::BY_BUILD`]. FxHash: the keys are the site's
/// own URLs, tens of thousands of them on every index. The holder's path
/// is shared with its file, not copied.
pub(crate) type Claims = FxHashMap<String, Arc<str>>;

/// `s` lower-cased, as claims are keyed: borrowed when it is so already
/// (slugs are), since every page's and file's URL is looked up on every
/// index. A character lower-casing to itself alone is what
/// [`str::to_lowercase`] keeps (`Σ`, the one it treats by context, does
/// not).
pub(crate) fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    // One pass over the bytes, without stopping early, so that it runs
    // on whole words: an upper-case ASCII letter or a longer character.
    let unusual = (s.bytes()).fold(false, |u, b| u | (b.wrapping_sub(b'A') < 26) | (b >= 0x80));
    if !unusual {
        return std::borrow::Cow::Borrowed(s);
    }
    let kept = |c: char| match c {
        c if c.is_ascii() => !c.is_ascii_uppercase(),
        // CJK symbols, kana and ideographs have no case (a test checks):
        // the lookup in Unicode's tables is left for the rest.
        c if UNCASED_CJK.contains(&c) => true,
        c if UNCASED_FULL_WIDTH.contains(&c) => !('Ａ'..='Ｚ').contains(&c),
        c => {
            let mut l = c.to_lowercase();
            l.next() == Some(c) && l.next().is_none()
        }
    };
    match s.chars().all(kept) {
        true => std::borrow::Cow::Borrowed(s),
        false => std::borrow::Cow::Owned(s.to_lowercase()),
    }
}

/// Characters that no case mapping touches: CJK punctuation, kana,
/// bopomofo, enclosed and compatibility CJK, and the ideographs.
const UNCASED_CJK: std::ops::RangeInclusive<char> = '\u{3000}'..='\u{9fff}';
/// Full-width forms (`：`, `（`, digits), whose only cased characters are
/// the capitals `Ａ`–`Ｚ`.
const UNCASED_FULL_WIDTH: std::ops::RangeInclusive<char> = '\u{ff00}'..='\u{ffef}';

/// The URL claims sections make: lower-cased URL → the display path of the
/// file that holds it (`content/` for a section without `_index.md`).
fn claim_sections(sections: &[SiteSection]) -> Claims {
    let mut claimed = Claims::default();
    for s in sections {
        let file = s
            .section
            .file
            .as_ref()
            .map_or_else(|| "content/".into(), |f| f.display.clone());
        claimed.insert(s.url.to_lowercase(), file);
    }
    claimed
}

/// Places every published page ([`place_page`]); a page whose slug is
/// unusable or whose URL is taken is reported and left out. With each
/// placed page, whether it kept what the last index gave it (`known`).
fn place_pages(
    mut published: Vec<Page>,
    sections: &[SiteSection],
    claimed: &mut Claims,
    known: Option<Known>,
    diags: &mut Diagnostics,
) -> (Vec<SitePage>, Vec<bool>) {
    let section_of_dir: FxHashMap<&str, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.section.dir.as_str(), i))
        .collect();
    // When two pages want one URL, the second is reported: so a file named
    // as a copy (`会议通知 - 副本.md`, which kept the original's slug) comes
    // after the others, and the copy is the one the editor is shown.
    published.sort_by_cached_key(|p| looks_like_a_copy(p.default_slug()));
    // Allocated at its size: grown by doubling, the list (kept all build)
    // would hold room for 16,384 pages at 10,000.
    let mut placed = Vec::with_capacity(published.len());
    let mut kept = Vec::with_capacity(published.len());
    claimed.reserve(published.len());
    placed.extend(published.into_iter().filter_map(|page| {
        let known = known.and_then(|k| k(&page));
        let (p, same) = place_page(page, &section_of_dir, sections, claimed, known, diags)?;
        kept.push(same);
        Some(p)
    }));
    (placed, kept)
}

/// Marks which pages have expired and which are still pinned at `now`
/// ([`schedule`]).
fn mark_dates(pages: &mut [SitePage], now: Timestamp, tz: &jiff::tz::TimeZone) {
    mark_dates_of(pages, |_| true, now, tz);
}

/// [`mark_dates`] for the pages `which` picks by number.
fn mark_dates_of(
    pages: &mut [SitePage],
    which: impl Fn(usize) -> bool,
    now: Timestamp,
    tz: &jiff::tz::TimeZone,
) {
    for (_, p) in pages.iter_mut().enumerate().filter(|&(i, _)| which(i)) {
        p.expired = schedule::is_expired(&p.page.meta, now, tz);
        p.pinned = schedule::Pin::at(&p.page.meta, now, tz) == schedule::Pin::Holds;
    }
}

/// Gives each file under `content/` its URL: a bundle's files go beside its
/// page's `index.html`, others keep their path; a draft's or future page's
/// files stay unpublished with it. A name Windows cannot store is warned
/// about when `check_names`.
fn place_assets(
    config: &Config,
    assets: Vec<Asset>,
    pages: &[SitePage],
    check_names: bool,
    diags: &mut Diagnostics,
) -> Vec<OutputAsset> {
    let page_url_of_bundle: FxHashMap<&str, &str> = pages
        .iter()
        .filter(|p| p.page.bundle)
        .map(|p| (p.page.dir(), p.url.as_str()))
        .collect();
    let mut out_assets = Vec::new();
    for asset in assets {
        let url = match &asset.bundle {
            Some(b) => match page_url_of_bundle.get(b.as_str()) {
                Some(page_url) => {
                    let folder = page_url.trim_end_matches("index.html");
                    [folder, &asset.rel[b.len() + 1..]].concat()
                }
                None => continue,
            },
            None => asset.rel.clone(),
        };
        if check_names {
            windows_name_check(config, &asset, diags);
        }
        out_assets.push(OutputAsset { asset, url });
    }
    out_assets
}

/// Each page's attachments and cover ([`page_files`]), in page order;
/// `None` for a page that `kept` its own from the last index.
fn files_of(
    pages: &[SitePage],
    kept: &[bool],
    assets: &[OutputAsset],
    diags: &mut Diagnostics,
) -> Vec<Option<(Vec<Attachment>, Option<String>)>> {
    let asset_index = AssetIndex::new(assets);
    (pages.iter().zip(kept))
        .map(|(p, &kept)| (!kept).then(|| page_files(p, &asset_index, diags)))
        .collect()
}

/// Fills each section's page list, in the section's order
/// ([`section_orders`]).
fn order_sections(sections: &mut [SiteSection], pages: &[SitePage], newest: &Newest) {
    let lists = section_orders(sections, pages, newest);
    for (s, list) in sections.iter_mut().zip(lists) {
        s.pages = list;
    }
}

/// Each section's pages, in the section's order ([`compare`]). The
/// default order is pinned first, then newest first: sorted by that and
/// the page's place in `newest`, which is [`compare`]'s order without
/// comparing pages.
fn section_orders(
    sections: &[SiteSection],
    pages: &[SitePage],
    newest: &Newest,
) -> Vec<Vec<usize>> {
    let mut lists: Vec<Vec<usize>> = vec![Vec::new(); sections.len()];
    for (i, p) in pages.iter().enumerate() {
        lists[p.section].push(i);
    }
    for (s, list) in sections.iter().zip(&mut lists) {
        match s.section.sort {
            Sort::Date => list.sort_unstable_by_key(|&i| (!pages[i].pinned, newest.rank[i])),
            sort => list.sort_by(|&a, &b| compare(&pages[a], &pages[b], sort)),
        }
    }
    lists
}

/// A name the desktop gave a copied file: `通知 - 副本`, `通知 - Copy`,
/// `通知(1)`, `通知 copy 2`.
fn looks_like_a_copy(name: &str) -> bool {
    // An ASCII name without `c` or a bracket (most of them) names no copy
    // in any of the ways below: found with one look at its bytes.
    if name.is_ascii() && !(name.bytes()).any(|b| matches!(b, b'c' | b'C' | b'(')) {
        return false;
    }
    // One pass over the characters for the rest (this runs for every page
    // of every index, and most names are Chinese): `副本`, `复制`, `(2)` or
    // `（2）` as Windows and WeChat number copies, and whether a `c` is
    // there to start `copy`.
    let mut w = ['\0'; 3];
    let mut c_seen = false;
    for c in name.chars() {
        w = [w[1], w[2], c];
        c_seen |= matches!(c, 'c' | 'C');
        let numbered =
            matches!((w[0], w[2]), ('(', ')') | ('（', '）')) && ('1'..='9').contains(&w[1]);
        if numbered || matches!((w[1], w[2]), ('副', '本') | ('复', '制')) {
            return true;
        }
    }
    // Without making it lower case: no other character lowers to `c`,
    // `o`, `p` or `y`.
    c_seen && (name.as_bytes().windows(4)).any(|w| w.eq_ignore_ascii_case(b"copy"))
}

/// A published file whose name (or folder's name) Windows cannot store: a
/// warning naming the file and the rename to make, since the site is often
/// copied to a Windows share.
fn windows_name_check(config: &Config, asset: &Asset, diags: &mut Diagnostics) {
    if (asset.rel.split('/')).all(|part| slug::windows_rename(part).is_none()) {
        return;
    }
    let renamed: Vec<String> = asset
        .rel
        .split('/')
        .map(|part| slug::windows_rename(part).unwrap_or_else(|| part.to_string()))
        .collect();
    let renamed = renamed.join("/");
    if renamed == asset.rel {
        return;
    }
    let prefix = config.content_prefix();
    let file = format!("{prefix}/{}", asset.rel);
    let span = crate::diagnostics::Span {
        file: file.as_str().into(),
        line: 1,
        column: 1,
        bytes: 0..0,
    };
    diags.push(Diagnostic::warning(
        Some(span),
        Msg::WindowsFileName {
            file: file.escape_debug().to_string(),
            rename_to: format!("{prefix}/{renamed}"),
        },
    ));
}

/// A tag or department that leaves nothing for a file name (`..`, `#?`,
/// empty): a warning where it is written, as it gets no list page.
pub(crate) fn unusable_name(page: &Page, key: &'static str, name: &str, diags: &mut Diagnostics) {
    let span = front_matter_span(page, key, name.trim());
    diags.push(Diagnostic::warning(
        Some(span),
        Msg::UnusableName {
            field: key,
            name: name.to_string(),
        },
    ));
}

/// Where `needle` is written in the front matter after the line of `key`
/// (or one of its Chinese spellings); that line when it is not found.
fn front_matter_span(page: &Page, key: &str, needle: &str) -> crate::diagnostics::Span {
    let file = &page.file;
    let front = &file.text[..page.body.start.min(file.text.len())];
    let names = std::iter::once(key).chain(
        crate::content::schema::ALIASES
            .iter()
            .filter(|(_, k)| *k == key)
            .map(|(alias, _)| *alias),
    );
    let mut offset = 0;
    for line in front.split_inclusive('\n') {
        let at_key = names.clone().find(|n| {
            line.strip_prefix(n)
                .is_some_and(|rest| rest.trim_start().starts_with([':', '：']))
        });
        if let Some(name) = at_key {
            let after = offset + name.len();
            let found = (!needle.is_empty())
                .then(|| front[after..].find(needle))
                .flatten();
            return match found {
                Some(i) => file.span(after + i..after + i + needle.len()),
                None => file.span(offset..after),
            };
        }
        offset += line.len();
    }
    file.start_span()
}

fn implicit_root(config: &Config) -> Section {
    Section {
        file: None,
        dir: String::new(),
        title: config.title.clone(),
        kind: Kind::Page,
        paginate: None,
        sort: Sort::Date,
        description: None,
        template: None,
        body: 0..0,
        extra: Vec::new(),
    }
}

/// Gives a page its section, slug and URL; `None` (with a diagnostic) when
/// its slug is unusable or its URL is taken. `known` is the last index's
/// page of the same file, if any ([`Again::page`]): a page the same in
/// path, kind of file and front matter keeps its slug and URL, its
/// pinned and expired marks (the same front matter at the same `now`)
/// and its files (the same declarations among the same files, found
/// without error: the last index had none, or it would not be the last),
/// and is said to be kept (`true`).
fn place_page(
    page: Page,
    section_of_dir: &FxHashMap<&str, usize>,
    sections: &[SiteSection],
    claimed: &mut Claims,
    known: Option<&SitePage>,
    diags: &mut Diagnostics,
) -> Option<(SitePage, bool)> {
    // A bundle's URL comes from the folder holding the bundle.
    let home = if page.bundle {
        parent(page.dir())
    } else {
        page.dir()
    };
    let mut dir = home;
    let section = loop {
        if let Some(&i) = section_of_dir.get(dir) {
            break i;
        }
        dir = parent(dir);
    };
    let slug_span = page.meta.slug.as_ref().map(|(_, span)| span.clone());
    // The slug and URL are made of the path, the kind of file and the
    // front matter alone, and the sections are the last index's: a page
    // the same in all three has the ones it had.
    let same = known.filter(|k| {
        k.page.rel == page.rel
            && k.page.bundle == page.bundle
            && Arc::ptr_eq(&k.page.meta, &page.meta)
    });
    let (slug, url) = match same {
        Some(k) => (k.slug.clone(), k.url.clone()),
        None => {
            let raw_slug = match &page.meta.slug {
                Some((s, _)) => s.as_str(),
                None => page.default_slug(),
            };
            let Some(slug) = slug::slugify(raw_slug) else {
                let span = slug_span.unwrap_or_else(|| page.file.start_span());
                diags.push(Diagnostic::error(
                    Some(span),
                    Msg::BadSlug {
                        value: raw_slug.to_string(),
                    },
                ));
                return None;
            };
            let url = page_url(home, &slug);
            (slug, url)
        }
    };
    // The folders before the slug, for the hint of a free slug.
    let prefix = url.len() - slug.len() - "/index.html".len();
    let kind = page.meta.kind.unwrap_or(sections[section].section.kind);
    let key = lower(&url).into_owned();
    if let Some(other) = claimed.get(&key) {
        let prefix = &url[..prefix];
        let span = slug_span.unwrap_or_else(|| page.file.start_span());
        let diag = if &**other == generated::BY_BUILD {
            generated::clash(&url, Some(span), other, true)
        } else {
            // A slug no page has taken yet, for the hint.
            let free_slug = (2..)
                .map(|n| format!("{slug}-{n}"))
                .find(|s| !claimed.contains_key(&format!("{prefix}{s}/index.html").to_lowercase()))
                .unwrap_or_default();
            Diagnostic::error(
                Some(span),
                Msg::DuplicateUrl {
                    url: url.clone(),
                    other: other.to_string(),
                    free_slug: Some(free_slug),
                },
            )
        };
        diags.push(diag);
        return None;
    }
    claimed.insert(key, page.file.display.clone());
    let p = SitePage {
        page,
        url,
        slug,
        section,
        kind,
        pinned: same.is_some_and(|k| k.pinned),
        expired: same.is_some_and(|k| k.expired),
        tags: Vec::new(),
        attachments: same.map(|k| k.attachments.clone()).unwrap_or_default(),
        cover_url: same.and_then(|k| k.cover_url.clone()),
    };
    Some((p, same.is_some()))
}

/// The URL of a page with `slug` whose URL starts from folder `home`:
/// `home/slug/index.html`.
fn page_url(home: &str, slug: &str) -> String {
    let mut url = String::with_capacity(home.len() + slug.len() + 12);
    for part in home.split('/').filter(|s| !s.is_empty()) {
        url.push_str(part);
        url.push('/');
    }
    url.push_str(slug);
    url.push_str("/index.html");
    url
}

/// A page's attachments (named ones first, then the bundle's other
/// documents) and its cover image; a named file that is missing is an error.
/// Assets by content-relative path and by bundle, so each page finds its
/// files without scanning every file of the site.
struct AssetIndex<'a> {
    assets: &'a [OutputAsset],
    by_rel: FxHashMap<&'a str, usize>,
    by_bundle: FxHashMap<&'a str, Vec<usize>>,
}

impl<'a> AssetIndex<'a> {
    fn new(assets: &'a [OutputAsset]) -> Self {
        let mut by_bundle: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for (i, a) in assets.iter().enumerate() {
            if let Some(b) = &a.asset.bundle {
                by_bundle.entry(b.as_str()).or_default().push(i);
            }
        }
        let by_rel = assets
            .iter()
            .enumerate()
            .map(|(i, a)| (a.asset.rel.as_str(), i))
            .collect();
        AssetIndex {
            assets,
            by_rel,
            by_bundle,
        }
    }

    fn get(&self, rel: &str) -> Option<&'a OutputAsset> {
        self.by_rel.get(rel).map(|&i| &self.assets[i])
    }

    fn in_bundle(&self, dir: &str) -> impl Iterator<Item = &'a OutputAsset> + '_ {
        self.by_bundle
            .get(dir)
            .into_iter()
            .flatten()
            .map(|&i| &self.assets[i])
    }
}

fn page_files(
    p: &SitePage,
    assets: &AssetIndex,
    diags: &mut Diagnostics,
) -> (Vec<Attachment>, Option<String>) {
    let dir = p.page.dir();
    let find = |file: &str| {
        // Most names are written as they are, with nothing to decode.
        let rel = match file.contains('%') {
            true => join_rel(dir, &urls::decode(file))?,
            false => join_rel(dir, file)?,
        };
        assets.get(&rel)
    };
    // Where a missing file was looked for, as the editor sees the site.
    let place = |file: &str| {
        let display = &*p.page.file.display;
        let content = display
            .strip_suffix(p.page.rel.as_str())
            .unwrap_or_default();
        FilePlace {
            path: join_rel(dir, &urls::decode(file)).map(|rel| format!("{content}{rel}")),
            page: display.to_string(),
            bundle: p.page.bundle,
        }
    };
    let mut out = Vec::new();
    for decl in &p.page.meta.attachments {
        match find(&decl.file) {
            Some(a) => out.push(attachment(a, decl.title.clone())),
            None => diags.push(Diagnostic::error(
                Some(decl.span.clone()),
                Msg::MissingAttachment {
                    file: decl.file.clone(),
                    place: place(&decl.file),
                },
            )),
        }
    }
    if p.page.bundle {
        for a in assets.in_bundle(dir) {
            let listed = out.iter().any(|x: &Attachment| x.url == a.url);
            if !listed && DOCUMENT_EXTS.contains(&ext_of(&a.asset.rel).as_str()) {
                out.push(attachment(a, None));
            }
        }
    }
    let cover = p.page.meta.cover.as_ref().and_then(|(file, span)| {
        // An outside address may not be reachable from the intranet.
        if file.contains("://") || file.starts_with("//") {
            let url = file.clone();
            diags.push(Diagnostic::warning(
                Some(span.clone()),
                Msg::ExternalCover { url },
            ));
            return None;
        }
        // Hugo themes read `cover: /cover.jpg` as the bundle's own file.
        let in_bundle = || {
            let name = file.strip_prefix('/')?;
            p.page.bundle.then(|| find(name)).flatten()
        };
        match find(file).or_else(in_bundle) {
            Some(a) => Some(a.url.clone()),
            None => {
                diags.push(Diagnostic::error(
                    Some(span.clone()),
                    Msg::MissingCover {
                        file: file.clone(),
                        place: place(file),
                    },
                ));
                None
            }
        }
    });
    (out, cover)
}

fn attachment(a: &OutputAsset, title: Option<String>) -> Attachment {
    let file = a
        .asset
        .rel
        .rsplit('/')
        .next()
        .unwrap_or(&a.asset.rel)
        .to_string();
    let title = title.unwrap_or_else(|| {
        file.rsplit_once('.')
            .map_or(file.as_str(), |(stem, _)| stem)
            .to_string()
    });
    Attachment {
        title,
        ext: ext_of(&file),
        file,
        url: a.url.clone(),
        size: a.asset.size,
    }
}

/// Pinned first (for the default order), then by the section's sort, then
/// by URL so the order never depends on the file system.
fn compare(a: &SitePage, b: &SitePage, sort: Sort) -> std::cmp::Ordering {
    let date = |p: &SitePage| p.page.meta.date.map(|d| d.ts);
    let by = match sort {
        Sort::Date => b.pinned.cmp(&a.pinned).then(date(b).cmp(&date(a))),
        Sort::DateAsc => date(a).cmp(&date(b)),
        Sort::Title => a.page.meta.title.cmp(&b.page.meta.title),
    };
    by.then_with(|| a.url.cmp(&b.url))
}

/// Newest first, pinned or not, for lists that are not a section's.
pub fn newest_first(a: &SitePage, b: &SitePage) -> std::cmp::Ordering {
    let date = |p: &SitePage| p.page.meta.date.map(|d| d.ts);
    date(b).cmp(&date(a)).then_with(|| a.url.cmp(&b.url))
}

/// Every page's place in the [`newest_first`] order, found with one sort:
/// the lists kept in that order (tags, departments, archive months,
/// downloads, and the ties among related pages) are put in order by this
/// number, instead of each comparing the pages' dates and URLs again.
pub struct Newest {
    /// Page numbers, newest first.
    pub order: Vec<usize>,
    /// Each page's place in `order`.
    pub rank: Vec<u32>,
}

impl Newest {
    pub fn of(pages: &[SitePage]) -> Newest {
        // Sorted as keys side by side rather than through the pages, each
        // far from the last in memory.
        let mut keys: Vec<_> = (pages.iter().enumerate())
            .map(|(i, p)| {
                let date = p.page.meta.date.map(|d| d.ts);
                (std::cmp::Reverse(date), p.url.as_str(), i)
            })
            .collect();
        keys.sort_unstable();
        let order: Vec<usize> = keys.into_iter().map(|(_, _, i)| i).collect();
        let mut rank = vec![0u32; pages.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r as u32;
        }
        Newest { order, rank }
    }

    /// Puts page numbers in the [`newest_first`] order. Placed pages' URLs
    /// all differ, so that order has no ties and this is the order a sort
    /// with [`newest_first`] gives.
    pub fn sort(&self, pages: &mut [usize]) {
        pages.sort_unstable_by_key(|&i| self.rank[i]);
    }
}

/// The site's tags ([`tags_of`]), each page given its own ([`mark_tags`]).
fn collect_tags(pages: &mut [SitePage], newest: &Newest, diags: &mut Diagnostics) -> Vec<Tag> {
    let tags = tags_of(pages, newest, diags);
    mark_tags(pages, &tags);
    tags
}

/// The tags the pages name, by slug, each with its pages newest first.
fn tags_of(pages: &[SitePage], newest: &Newest, diags: &mut Diagnostics) -> Vec<Tag> {
    // Keyed by slug, so `PDF` and `pdf` are one tag; the first spelling
    // seen wins. Listed by slug, in the end.
    let mut by_slug: FxHashMap<String, usize> = FxHashMap::default();
    let mut found: Vec<Tag> = Vec::new();
    // A site writes a few dozen names ten thousand times: each name is
    // looked up once, and after that leads straight to its tag.
    let mut by_name: FxHashMap<&str, Option<usize>> = FxHashMap::default();
    for (i, p) in pages.iter().enumerate() {
        for name in &p.page.meta.tags {
            let t = *by_name.entry(name.as_str()).or_insert_with(|| {
                let slug = slug::slugify(name)?;
                let t = by_slug.entry(slug).or_insert_with_key(|slug| {
                    found.push(Tag {
                        name: name.clone(),
                        url: generated::tag_url(slug),
                        pages: Vec::new(),
                    });
                    found.len() - 1
                });
                Some(*t)
            });
            let Some(t) = t else {
                unusable_name(&p.page, "tags", name, diags);
                continue;
            };
            let tag = &mut found[t];
            // Pages come in order: a tag written twice on one page is
            // the last one listed (a search of the whole list made this
            // quadratic in a tag's pages).
            if tag.pages.last() != Some(&i) {
                tag.pages.push(i);
            }
        }
    }
    let mut by_slug: Vec<(String, usize)> = by_slug.into_iter().collect();
    by_slug.sort_unstable();
    let mut found: Vec<Option<Tag>> = found.into_iter().map(Some).collect();
    let mut tags: Vec<Tag> = (by_slug.into_iter())
        .filter_map(|(_, t)| found[t].take())
        .collect();
    for tag in &mut tags {
        newest.sort(&mut tag.pages);
    }
    tags
}

/// Gives each page the numbers of its `tags` (which start empty), in the
/// tags' order.
fn mark_tags(pages: &mut [SitePage], tags: &[Tag]) {
    for (t, tag) in tags.iter().enumerate() {
        for &p in &tag.pages {
            pages[p].tags.push(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cjk_taken_as_uncased_is_kept_by_lower_casing() {
        for c in UNCASED_CJK {
            assert_eq!(c.to_lowercase().collect::<String>(), c.to_string(), "{c:?}");
        }
        for c in UNCASED_FULL_WIDTH {
            let kept = c.to_lowercase().collect::<String>() == c.to_string();
            assert_eq!(kept, !('Ａ'..='Ｚ').contains(&c), "{c:?}");
        }
    }

    /// [`looks_like_a_copy`] without its shortcuts.
    fn looks_like_a_copy_slowly(name: &str) -> bool {
        let lower = name.to_lowercase();
        let mut w = ['\0'; 3];
        let numbered = name.chars().any(|c| {
            w = [w[1], w[2], c];
            matches!((w[0], w[2]), ('(', ')') | ('（', '）')) && ('1'..='9').contains(&w[1])
        });
        name.contains("副本") || name.contains("复制") || lower.contains("copy") || numbered
    }

    #[test]
    fn the_look_at_bytes_misses_no_copy() {
        for name in [
            "通知",
            "会议通知 - 副本",
            "会议通知 - 复制",
            "会议通知(1)",
            "会议通知（2）",
            "会议通知（0）",
            "notice copy 2",
            "Notice - Copy",
            "COPY",
            "cop",
            "关于召开职代会的通知",
            "副",
            "复",
            "副本",
            "复制品",
            "（）",
            "(9)",
            "ﾃｽﾄ",
            "agenda",
            "",
            "通知副本2",
            "本副",
            "复 制",
            "通知（1）附件",
            "通知(1",
            "c(1)",
            "cOpY",
            "co-py",
        ] {
            assert_eq!(
                looks_like_a_copy(name),
                looks_like_a_copy_slowly(name),
                "{name}"
            );
        }
    }

    #[test]
    fn lower_is_to_lowercase() {
        for s in [
            "notices/2024/a/index.html",
            "通知/关于开展/index.html",
            "Notices/X/index.html",
            "ΣΑΣ/index.html",
            "ǅ/index.html",
            "Ａ全角/index.html",
            "附件1：实施方案.pdf",
            "ｚ：Ｚ.pdf",
            "Ⅻ/index.html",
        ] {
            assert_eq!(lower(s), s.to_lowercase(), "{s}");
        }
    }
}
