//! What publishing costs, apart from rendering: on an existing unionpress
//! output folder (e.g. bench/build.sh's 10,000-page one), times
//!   - a whole-tree publish with one file changed (every other file hard-linked
//!     into a new tree, the trees swapped, the old one removed), which is
//!     what `build` pays on top of rendering, and what `watch` would pay on
//!     every save if it swapped trees too;
//!   - replacing one page file by a rename and rewriting the manifest,
//!     which is what `watch` pays per changed file.
//!
//!   cargo run --release --example bench_publish -- /tmp/unionpress-bench/public-10000
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use unionpress::output::{Staging, manifest};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: bench_publish <output folder>"),
    );
    let files: Vec<String> = manifest::read(&out)
        .expect("readable manifest")
        .expect("a unionpress output folder")
        .into_iter()
        .collect();
    let contents: Vec<(String, Vec<u8>)> = files
        .par_iter()
        .map(|u| (u.clone(), std::fs::read(out.join(u)).expect("read")))
        .collect();
    let root = tempfile::tempdir().expect("temp dir");
    let mut stage_times = Vec::new();
    let mut commit_times = Vec::new();
    let mut ledger = None;
    for _ in 0..3 {
        let t0 = Instant::now();
        let staging = Staging::begin(&out, root.path(), &[], None).expect("begin");
        // One page changed, so the whole tree is linked and swapped.
        contents.par_iter().enumerate().for_each(|(i, (u, b))| {
            if i == 0 {
                let mut b = b.clone();
                b.extend_from_slice(format!("<!-- {:?} -->", Instant::now()).as_bytes());
                staging.put(u, &b).expect("put");
            } else {
                staging.put(u, b).expect("put");
            }
        });
        let t1 = Instant::now();
        let published = staging.commit().expect("commit");
        let t2 = Instant::now();
        assert_eq!(published.stats.changed, 1);
        stage_times.push(t1 - t0);
        commit_times.push(t2 - t1);
        ledger = Some(published.ledger);
    }
    let mut ledger = ledger.unwrap();
    let page = files
        .iter()
        .find(|f| f.ends_with("/index.html") && f.starts_with("notices/"))
        .expect("a notice page")
        .clone();
    let mut bytes = std::fs::read(out.join(&page)).unwrap();
    let mut one = Vec::new();
    for i in 0..20 {
        bytes.extend_from_slice(format!("<!-- {i} -->").as_bytes());
        let t = Instant::now();
        ledger.write(&out, &page, &bytes).expect("write");
        ledger.save(&out).expect("manifest");
        one.push(t.elapsed());
    }
    println!("{} files in {}", files.len(), out.display());
    println!(
        "whole-tree publish, one file changed: compare and write {:?}, then link, swap and remove the old tree {:?} (median of 3)",
        median(stage_times),
        median(commit_times)
    );
    println!(
        "one page replaced + manifest rewritten: {:?} (median of 20)",
        median(one)
    );
}
