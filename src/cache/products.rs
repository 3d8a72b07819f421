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
//! used. The body is postcard, not JSON: at 10,000 pages the products are
//! some 90 MB, which JSON takes several times longer to read.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{DIR, Discarded, header};
use crate::content;
use crate::render::StoredMarkdown;

/// How many files the products are spread over.
pub const SHARDS: usize = 64;

/// Every kept product, by content-relative path.
#[derive(Default)]
pub struct Products {
    pub content: HashMap<String, content::Stored>,
    pub markdown: HashMap<String, StoredMarkdown>,
}

/// The hash of each shard file as read, to write only those that changed.
#[derive(Debug, Default, Clone)]
pub struct Sums(Vec<Option<u64>>);

#[derive(Serialize)]
struct ShardOut<'a> {
    site: &'a str,
    config: u64,
    content: Vec<(&'a str, &'a content::Stored)>,
    markdown: Vec<(&'a str, &'a StoredMarkdown)>,
}

/// The same layout as [`ShardOut`], owned.
#[derive(Deserialize)]
struct ShardIn {
    site: String,
    config: u64,
    content: Vec<(String, content::Stored)>,
    markdown: Vec<(String, StoredMarkdown)>,
}

/// The hash that ties products to the `site.yaml` they were made with.
pub fn config_key(config_text: Option<&str>) -> u64 {
    xxhash_rust::xxh3::xxh3_64(config_text.unwrap_or_default().as_bytes())
}

fn shard_of(rel: &str) -> usize {
    (xxhash_rust::xxh3::xxh3_64(rel.as_bytes()) % SHARDS as u64) as usize
}

fn shard_file(root: &Path, n: usize) -> PathBuf {
    root.join(DIR).join("products").join(format!("{n:02}.bin"))
}

/// Reads the products of the site at `root` (canonical) made with the
/// `site.yaml` whose [`config_key`] is `config`. Shards that are missing or
/// from another `site.yaml` are left out silently; a damaged, foreign or
/// other-version one is left out and named in the returned note.
pub fn load(root: &Path, config: u64) -> (Products, Sums, Option<(Discarded, PathBuf)>) {
    let site = root.to_string_lossy();
    // Each shard's hash as read, and what it holds.
    type Read = (Option<u64>, Result<Option<ShardIn>, Discarded>);
    let read: Vec<Read> = (0..SHARDS)
        .into_par_iter()
        .map(|n| {
            let Ok(bytes) = fs::read(shard_file(root, n)) else {
                return (None, Ok(None));
            };
            match parse(&bytes) {
                Ok((sum, shard)) if shard.site != site => {
                    (Some(sum), Err(Discarded::OtherSite(shard.site)))
                }
                Ok((sum, shard)) => (Some(sum), Ok(Some(shard))),
                Err(why) => (None, Err(why)),
            }
        })
        .collect();
    let mut products = Products::default();
    let mut sums = Vec::with_capacity(SHARDS);
    let mut note = None;
    for (n, (sum, shard)) in read.into_iter().enumerate() {
        sums.push(sum);
        match shard {
            Ok(Some(shard)) if shard.config == config => {
                products.content.extend(shard.content);
                products.markdown.extend(shard.markdown);
            }
            Ok(_) => {}
            Err(why) => {
                note.get_or_insert((why, shard_file(root, n)));
            }
        }
    }
    (products, Sums(sums), note)
}

/// A shard file's hash and contents.
fn parse(bytes: &[u8]) -> Result<(u64, ShardIn), Discarded> {
    let mut parts = bytes.splitn(3, |&b| b == b'\n');
    let (Some(head), Some(sum), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(Discarded::Corrupt);
    };
    let head = std::str::from_utf8(head).map_err(|_| Discarded::Corrupt)?;
    if !head.starts_with("unionpress-cache ") {
        return Err(Discarded::Corrupt);
    }
    if head != header() {
        let v = head.trim_start_matches("unionpress-cache ").to_string();
        return Err(Discarded::OtherVersion(v));
    }
    let hash = xxhash_rust::xxh3::xxh3_64(body);
    if sum != format!("{hash:016x}").as_bytes() {
        return Err(Discarded::Corrupt);
    }
    let shard = postcard::from_bytes(body).map_err(|_| Discarded::Corrupt)?;
    Ok((hash, shard))
}

/// Writes the shards whose contents differ from `before` (what was read);
/// a failure only costs the next build time.
pub fn save(root: &Path, config: u64, products: &Products, before: &Sums) -> std::io::Result<()> {
    let site = root.to_string_lossy();
    let mut shards: Vec<ShardOut> = (0..SHARDS)
        .map(|_| ShardOut {
            site: &site,
            config,
            content: Vec::new(),
            markdown: Vec::new(),
        })
        .collect();
    for (rel, p) in &products.content {
        shards[shard_of(rel)].content.push((rel, p));
    }
    for (rel, p) in &products.markdown {
        shards[shard_of(rel)].markdown.push((rel, p));
    }
    fs::create_dir_all(root.join(DIR).join("products"))?;
    shards
        .par_iter_mut()
        .enumerate()
        .map(|(n, shard)| {
            // Sorted, so the same products make the same bytes.
            shard.content.sort_unstable_by_key(|(rel, _)| *rel);
            shard.markdown.sort_unstable_by_key(|(rel, _)| *rel);
            let body = postcard::to_stdvec(&*shard).map_err(std::io::Error::other)?;
            let hash = xxhash_rust::xxh3::xxh3_64(&body);
            if before.0.get(n).copied().flatten() == Some(hash) {
                return Ok(());
            }
            let mut bytes = format!("{}\n{hash:016x}\n", header()).into_bytes();
            bytes.extend_from_slice(&body);
            crate::output::write_atomic(&shard_file(root, n), &bytes)
        })
        .collect()
}
