//! What a build made of each file, kept for the next process: every page's
//! and section's parsed front matter ([`content::Stored`]) and every page's
//! rendered Markdown ([`StoredMarkdown`]), so that after an edit a new
//! `unionpress build` parses and renders only the files whose text changed.
//!
//! Each product carries the hash of the text it was made from and is used
//! only for a file whose text hashes the same (rendered Markdown also only
//! while its URL, the photos and every link it looked up are unchanged).
//! Products with diagnostics are never kept, so messages are always made
//! afresh. The products are spread over [`SHARDS`] files by path, so an
//! edit rewrites one small file, not all of them; each file starts like the
//! build cache's (format line, hash of the rest) and also names the site
//! and the `site.yaml` it was made with. A damaged or foreign file is
//! thrown away with a note; one made with another `site.yaml` is simply not
//! used. Products of the whole site that another module saves and checks
//! itself (the search index: `search::Cache::to_bytes`) are kept as bytes
//! in a file of their own ([`load_whole`], [`save_whole`]).
//!
//! The shards are postcard, not JSON: at 10,000 pages they are 96 MB
//! (JSON: 110 MB), which postcard reads in 0.33 s on one core and JSON in
//! 0.41–0.59 s (measured on the loaded 2-core machine). Most of it is the
//! pages' HTML (their text is made again when needed, not kept:
//! [`crate::render::body`]), which a build after one edit needs of almost
//! no page: each shard keeps them apart, in a file of bodies
//! (`NN-<hash>.body`, named by the hash of its bytes, which the shard
//! records), that is opened with the shard and read only when one of its
//! pages' [`crate::render::body::Body`] is first needed (its own file, a
//! feed). A new file of bodies gets a new name, so no build reads one that
//! is being written; the one it replaces, and any that a build stopped
//! before its shard was written left behind, are removed by the next save.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::{DIR, Discarded, check_header, header};
use crate::content;
use crate::render::body::BodyFile;
use crate::render::{StoredMarkdown, StoredMarkdownIn, StoredMarkdownOut};

/// How many files the products are spread over.
pub const SHARDS: usize = 64;

/// Every kept product, by content-relative path.
#[derive(Default)]
pub struct Products {
    pub content: FxHashMap<String, content::Stored>,
    pub markdown: FxHashMap<String, StoredMarkdown>,
}

/// Each shard file as read: the hash of its contents, how many products
/// of this `site.yaml` it held, and the hash of its file of bodies.
/// [`save`] writes only shards whose products changed.
#[derive(Debug, Default, Clone)]
pub struct Sums(Vec<ShardRead>);

#[derive(Debug, Default, Clone, Copy)]
struct ShardRead {
    sum: Option<u64>,
    held: Option<usize>,
    bodies: Option<u64>,
}

#[derive(Serialize)]
struct ShardOut<'a> {
    site: &'a str,
    config: u64,
    /// The hash and length of the shard's file of bodies.
    bodies: (u64, u64),
    /// The hash of the link map its rendered Markdown was made or checked
    /// under ([`links_hash`]).
    links: u64,
    content: Vec<(&'a str, &'a content::Stored)>,
    markdown: Vec<(&'a str, StoredMarkdownOut<'a>)>,
}

/// The same layout as [`ShardOut`], owned.
#[derive(Deserialize)]
struct Shard {
    site: String,
    config: u64,
    bodies: (u64, u64),
    links: u64,
    content: Vec<(String, content::Stored)>,
    markdown: Vec<(String, StoredMarkdownIn)>,
}

/// The hash that ties products to the `site.yaml` they were made with.
pub fn config_key(config_text: Option<&str>) -> u64 {
    xxhash_rust::xxh3::xxh3_64(config_text.unwrap_or_default().as_bytes())
}

/// The hash of a site's link map (every page's, section's and file's
/// path to its URL, [`crate::site::Site::links`]), in any order: Markdown
/// rendered under a map of the same hash looks up every link as it did.
/// Never 0, which stands for no map.
pub fn links_hash(links: &crate::site::Links) -> u64 {
    let mut sum = links.len() as u64;
    for (path, url) in links {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(path.as_bytes());
        h.update(&[0]);
        h.update(url.as_bytes());
        sum = sum.wrapping_add(h.digest());
    }
    xxhash_rust::xxh3::xxh3_64(&sum.to_le_bytes()).max(1)
}

fn shard_of(rel: &str) -> usize {
    (xxhash_rust::xxh3::xxh3_64(rel.as_bytes()) % SHARDS as u64) as usize
}

fn shard_file(root: &Path, n: usize) -> PathBuf {
    root.join(DIR).join("products").join(format!("{n:02}.bin"))
}

/// Shard `n`'s file of bodies whose bytes hash to `hash`.
fn bodies_file(root: &Path, n: usize, hash: u64) -> PathBuf {
    (root.join(DIR).join("products")).join(format!("{n:02}-{hash:016x}.body"))
}

/// Whether an earlier build left products for the site at `root`
/// (canonical): a build without the build cache's file then hashes every
/// input first, to know which products still stand for their files
/// without reading them ([`content::Cache::trust`]).
pub fn any(root: &Path) -> bool {
    root.join(DIR).join("products").is_dir()
}

/// Reads the products of the site at `root` (canonical) made with the
/// `site.yaml` whose [`config_key`] is `config`. Shards that are missing or
/// from another `site.yaml` are left out silently; a damaged, foreign or
/// other-version one is left out and named in the returned note. A shard
/// whose file of bodies is missing keeps its parsed front matter, not its
/// rendered Markdown.
pub fn load(root: &Path, config: u64) -> (Products, Sums, Option<(Discarded, PathBuf)>) {
    let site = root.to_string_lossy();
    // Each shard as read, its file of bodies opened and its rendered
    // Markdown made into products on rayon's threads: the build waits for
    // this, and what is left for one thread is filling the two maps.
    let read: Vec<(ShardRead, Result<Option<Kept>, Discarded>)> = (0..SHARDS)
        .into_par_iter()
        .map(|n| {
            let Ok(bytes) = fs::read(shard_file(root, n)) else {
                return (ShardRead::default(), Ok(None));
            };
            match parse(&bytes) {
                Ok((sum, shard)) => {
                    let mut read = ShardRead {
                        sum: Some(sum),
                        ..ShardRead::default()
                    };
                    if shard.site != site {
                        return (read, Err(Discarded::OtherSite(shard.site)));
                    }
                    let kept = (shard.config == config).then(|| kept(root, n, shard, &mut read));
                    (read, Ok(kept))
                }
                Err(why) => (ShardRead::default(), Err(why)),
            }
        })
        .collect();
    let mut products = Products::default();
    let held = |shard: &(ShardRead, Result<Option<Kept>, Discarded>)| match &shard.1 {
        Ok(Some(k)) => (k.content.len(), k.markdown.len()),
        _ => (0, 0),
    };
    let (content, markdown) = (read.iter().map(held)).fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    // Sized once: growing a map of 10,000 rehashes every key again.
    products.content.reserve(content);
    products.markdown.reserve(markdown);
    let mut sums = Vec::with_capacity(SHARDS);
    let mut note = None;
    for (n, (read, kept)) in read.into_iter().enumerate() {
        match kept {
            Ok(Some(kept)) => {
                products.content.extend(kept.content);
                products.markdown.extend(kept.markdown);
            }
            Ok(None) => {}
            Err(why) => {
                note.get_or_insert((why, shard_file(root, n)));
            }
        }
        sums.push(read);
    }
    (products, Sums(sums), note)
}

/// The products of one shard made with this `site.yaml`.
struct Kept {
    content: Vec<(String, content::Stored)>,
    markdown: Vec<(String, StoredMarkdown)>,
}

/// The products of shard `n` as read, its rendered Markdown kept only when
/// its file of bodies is there; `read` learns what it held.
fn kept(root: &Path, n: usize, shard: Shard, read: &mut ShardRead) -> Kept {
    let held = shard.content.len() + shard.markdown.len();
    let (hash, len) = shard.bodies;
    let file = (!shard.markdown.is_empty())
        .then(|| {
            let len = usize::try_from(len).ok()?;
            BodyFile::open(bodies_file(root, n, hash), hash, len)
        })
        .flatten();
    read.bodies = Some(hash);
    // Without its file of bodies the shard is written again.
    read.held = (shard.markdown.is_empty() || file.is_some()).then_some(held);
    let markdown = match file {
        Some(file) => (shard.markdown.into_iter())
            .filter_map(|(rel, m)| Some((rel, m.keep(&file, shard.links)?)))
            .collect(),
        None => Vec::new(),
    };
    Kept {
        content: shard.content,
        markdown,
    }
}

/// A shard file's hash and contents.
fn parse(bytes: &[u8]) -> Result<(u64, Shard), Discarded> {
    let mut parts = bytes.splitn(3, |&b| b == b'\n');
    let (Some(head), Some(sum), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(Discarded::Corrupt);
    };
    let head = std::str::from_utf8(head).map_err(|_| Discarded::Corrupt)?;
    check_header(head)?;
    let hash = xxhash_rust::xxh3::xxh3_64(body);
    if sum != format!("{hash:016x}").as_bytes() {
        return Err(Discarded::Corrupt);
    }
    let shard: Shard = postcard::from_bytes(body).map_err(|_| Discarded::Corrupt)?;
    Ok((hash, shard))
}

/// One product of the whole site kept as bytes another module made and
/// checks (the search index's saved form), in `products/<name>.bin`: the
/// format line, a hash of the rest, the site, the `site.yaml` key, then the
/// bytes. `Ok(None)`: there is none, or it was made with another
/// `site.yaml`.
pub fn load_whole(root: &Path, name: &str, config: u64) -> Result<Option<Whole>, Discarded> {
    let Ok(bytes) = fs::read(whole_file(root, name)) else {
        return Ok(None);
    };
    let mut parts = bytes.splitn(5, |&b| b == b'\n');
    let (Some(head), Some(sum), Some(site), Some(key), Some(body)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(Discarded::Corrupt);
    };
    let head = std::str::from_utf8(head).map_err(|_| Discarded::Corrupt)?;
    check_header(head)?;
    let rest = &bytes[head.len() + sum.len() + 2..];
    if sum != format!("{:016x}", xxhash_rust::xxh3::xxh3_64(rest)).as_bytes() {
        return Err(Discarded::Corrupt);
    }
    // Written quoted, so that no path can break the line.
    let site = String::from_utf8_lossy(site);
    if site != format!("{:?}", root.to_string_lossy()) {
        let site = site.trim_matches('"').to_string();
        return Err(Discarded::OtherSite(site));
    }
    if key != format!("{config:016x}").as_bytes() {
        return Ok(None);
    }
    let start = bytes.len() - body.len();
    Ok(Some(Whole { bytes, start }))
}

/// The bytes [`load_whole`] read: the file as read, the lines before the
/// body left in place rather than copying the megabytes after them.
#[derive(Debug, PartialEq, Eq)]
pub struct Whole {
    bytes: Vec<u8>,
    start: usize,
}

impl std::ops::Deref for Whole {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.bytes[self.start..]
    }
}

/// Writes what [`load_whole`] reads, unless the file already holds it:
/// the same length and the same lines before the body, whose hash line is
/// the hash of all that follows it. Only those lines are read back, not
/// the megabytes of the body; a body someone damaged in place under the
/// same lines is found when it is next read ([`load_whole`] checks the
/// hash) and made again then. The body is written as it is, after the
/// lines, not copied into one buffer with them first.
pub fn save_whole(root: &Path, name: &str, config: u64, body: &[u8]) -> std::io::Result<()> {
    let path = whole_file(root, name);
    let lines = format!("{:?}\n{config:016x}\n", root.to_string_lossy());
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(lines.as_bytes());
    h.update(body);
    let head = format!("{}\n{:016x}\n{lines}", header(), h.digest());
    let len = (head.len() + body.len()) as u64;
    if fs::metadata(&path).is_ok_and(|m| m.len() == len) && starts_with(&path, head.as_bytes()) {
        return Ok(());
    }
    fs::create_dir_all(root.join(DIR).join("products"))?;
    crate::output::write_atomic_parts(&path, &[head.as_bytes(), body])
}

/// Whether the file at `path` begins with `head`, reading no more of it.
fn starts_with(path: &Path, head: &[u8]) -> bool {
    use std::io::Read;
    let mut read = vec![0; head.len()];
    fs::File::open(path).is_ok_and(|mut f| f.read_exact(&mut read).is_ok() && read == head)
}

pub fn whole_file(root: &Path, name: &str) -> PathBuf {
    root.join(DIR).join("products").join(format!("{name}.bin"))
}

/// Writes the shards whose contents differ from `before` (what was read);
/// a failure only costs the next build time. A shard that held as many
/// products as it holds now, none of them `fresh` (made by this process
/// rather than read back: the paths of those, repeats allowed), is the
/// same and is not even encoded: after an edit that is all but one of
/// them. A shard written anew gets a new file of bodies first, and the one
/// it replaces is removed after it, and records `links`, the
/// [`links_hash`] of the map its Markdown was checked under (a shard kept
/// as it was keeps the one it had: its pages are checked link by link
/// again while the map differs from it).
pub fn save<'a>(
    root: &Path,
    config: u64,
    links: u64,
    products: &Products,
    before: &Sums,
    fresh: impl IntoIterator<Item = &'a str>,
) -> std::io::Result<()> {
    // The shards the fresh products fall in, found from the few fresh paths
    // rather than by asking of each of the 20,000 products whether it is
    // fresh (two lookups in sets keyed by path each).
    let mut touched = [false; SHARDS];
    for rel in fresh {
        touched[shard_of(rel)] = true;
    }
    type Parts<'a> = (
        Vec<(&'a str, &'a content::Stored)>,
        Vec<(&'a str, &'a StoredMarkdown)>,
    );
    let site = root.to_string_lossy();
    let mut shards: Vec<Parts> = (0..SHARDS).map(|_| Parts::default()).collect();
    for (rel, p) in &products.content {
        shards[shard_of(rel)].0.push((rel, p));
    }
    for (rel, p) in &products.markdown {
        shards[shard_of(rel)].1.push((rel, p));
    }
    fs::create_dir_all(root.join(DIR).join("products"))?;
    // Each shard's file of bodies once saved (`None`: it has none).
    let current: Vec<Option<u64>> = shards
        .into_par_iter()
        .enumerate()
        .map(|(n, (mut content, mut markdown))| {
            let held = content.len() + markdown.len();
            let read = before.0.get(n).copied().unwrap_or_default();
            let same = read.sum.is_some() && read.held == Some(held) && !touched[n];
            if same {
                return Ok(read.bodies);
            }
            // Sorted, so the same products make the same bytes.
            content.sort_unstable_by_key(|(rel, _)| *rel);
            markdown.sort_unstable_by_key(|(rel, _)| *rel);
            let mut bodies = Vec::new();
            let mut kept = Vec::with_capacity(markdown.len());
            for (rel, m) in markdown {
                let start = bodies.len();
                // Its file of bodies changed since it was read: not kept.
                if !m.append_whole(&mut bodies) {
                    continue;
                }
                let len = (bodies.len() - start) as u64;
                kept.push((rel, m.out(start as u64, len)));
            }
            let bodies_hash = xxhash_rust::xxh3::xxh3_64(&bodies);
            let shard = ShardOut {
                site: &site,
                config,
                bodies: (bodies_hash, bodies.len() as u64),
                links,
                content,
                markdown: kept,
            };
            let body = postcard::to_stdvec(&shard).map_err(std::io::Error::other)?;
            let hash = xxhash_rust::xxh3::xxh3_64(&body);
            // The same shard, unless its file of bodies was missing.
            if read.sum == Some(hash) && read.held.is_some() {
                return Ok(read.bodies);
            }
            let has_bodies = !shard.markdown.is_empty();
            if has_bodies {
                // Written even when a file of that name is there: it may be
                // one someone changed.
                crate::output::write_atomic(&bodies_file(root, n, bodies_hash), &bodies)?;
            }
            let mut bytes = format!("{}\n{hash:016x}\n", header()).into_bytes();
            bytes.extend_from_slice(&body);
            crate::output::write_atomic(&shard_file(root, n), &bytes)?;
            Ok(has_bodies.then_some(bodies_hash))
        })
        .collect::<std::io::Result<_>>()?;
    remove_other_bodies(root, &current);
    Ok(())
}

/// Removes every file of bodies of the site at `root`: after one of them
/// failed its check, none is trusted, and the shards, which keep their
/// parsed front matter, read as missing their bodies.
pub fn forget_bodies(root: &Path) {
    remove_other_bodies(root, &[None; SHARDS]);
}

/// Removes every file of bodies in the products' folder that no shard
/// names in `current`: the one a rewritten shard replaced, and one a build
/// stopped between writing a new file of bodies and its shard left behind
/// (only names this module writes, `NN-<16 hex digits>.body`, are
/// touched). Another build writing the same site's cache at that moment
/// can lose a file of bodies it just wrote; its shard then reads as
/// missing its bodies, and only their Markdown is rendered again.
fn remove_other_bodies(root: &Path, current: &[Option<u64>]) {
    let Ok(entries) = fs::read_dir(root.join(DIR).join("products")) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some((n, hash)) = name.to_str().and_then(parse_bodies_name) else {
            continue;
        };
        if current.get(n).is_some_and(|&kept| kept != Some(hash)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The shard and hash a file of bodies' name (`NN-<hash>.body`) stands
/// for, when it is one [`bodies_file`] makes.
fn parse_bodies_name(name: &str) -> Option<(usize, u64)> {
    let (n, hash) = name.strip_suffix(".body")?.split_once('-')?;
    let is_hex = |s: &str, len| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
    let digits = n.len() == 2 && n.bytes().all(|b| b.is_ascii_digit());
    (digits && is_hex(hash, 16) && !hash.bytes().any(|b| b.is_ascii_uppercase()))
        .then(|| Some((n.parse().ok()?, u64::from_str_radix(hash, 16).ok()?)))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_product_reads_back_only_when_whole_and_ours() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let body = b"index\nwith\nnewlines\x00\xff".to_vec();
        assert_eq!(load_whole(&root, "search", 7), Ok(None));
        save_whole(&root, "search", 7, &body).unwrap();
        let read = load_whole(&root, "search", 7).unwrap().map(|w| w.to_vec());
        assert_eq!(read, Some(body.clone()));
        // Made with another site.yaml: not used, and no note.
        assert_eq!(load_whole(&root, "search", 8), Ok(None));
        // The same bytes again: the file is left as it is (a write would
        // give a new inode); other bytes of the same length replace it.
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let inode = || fs::metadata(whole_file(&root, "search")).unwrap().ino();
            let before = inode();
            save_whole(&root, "search", 7, &body).unwrap();
            assert_eq!(inode(), before);
            let mut other = body.clone();
            other[0] ^= 1;
            save_whole(&root, "search", 7, &other).unwrap();
            let read = load_whole(&root, "search", 7).unwrap().map(|w| w.to_vec());
            assert_eq!(read, Some(other));
            save_whole(&root, "search", 7, &body).unwrap();
        }

        let path = whole_file(&root, "search");
        let good = fs::read(&path).unwrap();
        for at in [good.len() - 1, good.len() - body.len() - 3] {
            let mut bad = good.clone();
            bad[at] ^= 1;
            fs::write(&path, &bad).unwrap();
            assert_eq!(load_whole(&root, "search", 7), Err(Discarded::Corrupt));
        }
        fs::write(&path, &good[..good.len() / 3]).unwrap();
        assert_eq!(load_whole(&root, "search", 7), Err(Discarded::Corrupt));
        let other = [
            b"unionpress-cache 0 0.0.1".as_slice(),
            &good[header().len()..],
        ]
        .concat();
        fs::write(&path, other).unwrap();
        assert_eq!(
            load_whole(&root, "search", 7),
            Err(Discarded::OtherVersion("0 0.0.1".into()))
        );

        // The cache folder copied into another site.
        let elsewhere = root.join("copy");
        fs::create_dir_all(elsewhere.join(DIR).join("products")).unwrap();
        fs::write(whole_file(&elsewhere, "search"), &good).unwrap();
        assert_eq!(
            load_whole(&elsewhere, "search", 7),
            Err(Discarded::OtherSite(root.to_string_lossy().into_owned()))
        );
    }

    #[test]
    fn shards_are_rewritten_only_when_they_change_and_dropped_when_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        save(&root, 1, 0, &Products::default(), &Sums::default(), []).unwrap();
        let (products, sums, note) = load(&root, 1);
        assert!(products.content.is_empty() && note.is_none());
        assert_eq!(sums.0.iter().filter(|r| r.sum.is_some()).count(), SHARDS);

        // Unchanged: nothing is written (a write would give a new inode).
        let first = shard_file(&root, 3);
        let before = fs::metadata(&first).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        save(&root, 1, 0, &Products::default(), &sums, []).unwrap();
        assert_eq!(fs::metadata(&first).unwrap().modified().unwrap(), before);

        let mut bytes = fs::read(&first).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x40;
        fs::write(&first, bytes).unwrap();
        let (_, sums, note) = load(&root, 1);
        let (why, file) = note.expect("a note");
        assert_eq!((why, file), (Discarded::Corrupt, first.clone()));
        // The damaged shard is written anew by the next save.
        save(&root, 1, 0, &Products::default(), &sums, []).unwrap();
        assert!(load(&root, 1).2.is_none());
    }

    /// Files of bodies no shard names (a build stopped between writing one
    /// and its shard) go with the next save, even of unchanged shards;
    /// nothing else in the folder is touched.
    #[test]
    fn files_of_bodies_no_shard_names_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        save(&root, 1, 0, &Products::default(), &Sums::default(), []).unwrap();
        let (_, sums, _) = load(&root, 1);
        let folder = root.join(DIR).join("products");
        let orphans = [
            bodies_file(&root, 0, 0x0123_4567_89ab_cdef),
            bodies_file(&root, 63, 7),
        ];
        let others = [
            "notes.txt",
            "07-0123456789ABCDEF.body",
            "64-0123456789abcdef.body",
            "7-0123456789abcdef.body",
            "07-0123456789abcdef.body.bak",
        ];
        for f in &orphans {
            fs::write(f, b"bodies").unwrap();
        }
        for name in others {
            fs::write(folder.join(name), b"mine").unwrap();
        }
        save(&root, 1, 0, &Products::default(), &sums, []).unwrap();
        for f in &orphans {
            assert!(!f.exists(), "{} is still there", f.display());
        }
        for name in others {
            assert!(folder.join(name).exists(), "{name} was removed");
        }
        assert_eq!(
            parse_bodies_name("05-00000000000000ff.body"),
            Some((5, 255))
        );
    }
}
