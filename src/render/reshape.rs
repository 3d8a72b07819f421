//! What rendering keeps per page carried over to an index made again
//! after pages came, went or took another URL ([`crate::site::reshape`]):
//! each page's rendered Markdown, summary and summary fingerprint follow
//! the page to its new number. A page keeps its Markdown while its file is
//! the same and every link in it resolves as before (a page linking to one
//! that moved is rendered again); a summary is made again for a page that
//! changed, whose Markdown was rendered again, or that carries a tag the
//! change renamed ([`super::moves::summaries_to_make`]).
//!
//! Which files then differ is found as after a move
//! ([`super::Renderer::render_moved`]) from the lists handed back in the
//! new numbering.

use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Value;

use super::body::Body;
use super::fingerprint::{self, Known};
use super::{Bodies, context, page_markdown};
use crate::diagnostics::Diagnostic;
use crate::site::reshape::Reshaped;

/// The last build's per-page products, by its page numbers.
pub struct Last<'a> {
    pub bodies: &'a Bodies,
    /// Each summary a page keeps is moved out, not copied (five kilobytes
    /// of small values a page): [`put_back`] returns them should the
    /// update not be taken.
    pub summaries: &'a mut Vec<Value>,
    pub hashes: &'a [u64],
}

/// Per-page products for the reshaped index.
pub struct Carried {
    pub bodies: Bodies,
    pub summaries: Vec<Value>,
    pub hashes: Vec<u64>,
    /// The pages whose summary was made again.
    pub remade: Vec<usize>,
}

/// Why the products could not be carried over.
pub enum Refused {
    /// A page's Markdown has an error (a link to a page that left).
    Problem(Diagnostic),
    /// A section's Markdown links to a page that moved: its lists are the
    /// full build's to make again.
    Section,
}

/// Carries `last`'s products over to `new` ([`Reshaped`]), rendering the
/// Markdown and summaries that changed. The summaries kept are moved out
/// of `last` only once nothing can be refused.
pub fn carry(new: &Reshaped, last: &mut Last) -> Result<Carried, Refused> {
    let site = &new.site;
    let sections_same = (site.sections.iter().zip(&last.bodies.sections))
        .all(|(s, r)| r.links_unchanged(&s.section.dir, &site.links));
    if !sections_same || site.sections.len() != last.bodies.sections.len() {
        return Err(Refused::Section);
    }
    let moved = Moved::of(&new.moved);
    let pages: Vec<(Arc<Body>, bool)> = (site.pages.par_iter().zip(&new.old))
        .map(|(p, old)| {
            if let Some(&o) = old.as_ref() {
                let r = &last.bodies.pages[o];
                if r.links_unchanged_but(p.page.dir(), &site.links, &|path| moved.may_reach(path)) {
                    return (r.clone(), false);
                }
            }
            (Arc::new(Body::fresh(page_markdown(site, p))), true)
        })
        .collect();
    if let Some(d) = (pages.iter())
        .flat_map(|(r, _)| r.diags())
        .find(|d| d.is_error())
    {
        return Err(Refused::Problem(d.clone()));
    }
    let mut fresh: Vec<usize> = (0..pages.len()).filter(|&j| pages[j].1).collect();
    fresh.extend(new.changed.iter().filter(|j| !pages[**j].1));
    fresh.sort_unstable();
    let bodies = Bodies {
        pages: pages.into_iter().map(|(r, _)| r).collect(),
        sections: last.bodies.sections.clone(),
    };
    let remade = super::moves::summaries_to_make(site, &new.before, &fresh);
    let again = made_again(&remade, site.pages.len());
    let mut summaries: Vec<Value> = (new.old.iter().zip(&again))
        .map(|(o, &again)| match o {
            Some(o) if !again => std::mem::replace(&mut last.summaries[*o], Value::none()),
            _ => Value::none(),
        })
        .collect();
    let mut hashes: Vec<u64> = (new.old.iter())
        .map(|o| o.map_or(0, |o| last.hashes[o]))
        .collect();
    let made: Vec<(Value, u64)> = (remade.par_iter())
        .map(|&j| {
            let v = context::page_summary(site, &site.pages[j], &bodies.pages[j]);
            let h = fingerprint::of_value(&v, &Known::default());
            (v, h)
        })
        .collect();
    for (&j, (v, h)) in remade.iter().zip(made) {
        summaries[j] = v;
        hashes[j] = h;
    }
    Ok(Carried {
        bodies,
        summaries,
        hashes,
        remade,
    })
}

/// Puts the summaries [`carry`] moved out of the last build back, when
/// the update it carried them to is not taken.
pub fn put_back(carried: Carried, new: &Reshaped, summaries: &mut [Value]) {
    let again = made_again(&carried.remade, carried.summaries.len());
    for ((o, v), again) in (new.old.iter()).zip(carried.summaries).zip(again) {
        if let (Some(o), false) = (o, again) {
            summaries[*o] = v;
        }
    }
}

/// For each of `pages` pages, whether its summary is among `remade`,
/// made again rather than carried (or put back).
fn made_again(remade: &[usize], pages: usize) -> Vec<bool> {
    let mut again = vec![false; pages];
    for &j in remade {
        again[j] = true;
    }
    again
}

/// The keys of the link map whose URL changed, came or went
/// ([`Reshaped::moved`]), by the last part of their path: a link resolves to a key ending in the link's own
/// last part (or that part with `.md`, or the folder before `index.html`:
/// [`super::markdown::resolve`]), so a link whose last part names none of
/// them resolves as it did, and is not resolved again.
struct Moved<'a> {
    names: HashSet<&'a str>,
}

impl<'a> Moved<'a> {
    fn of(keys: &'a [String]) -> Moved<'a> {
        let names = (keys.iter())
            .map(|k| name(k.rsplit('/').next().unwrap_or(k)))
            .collect();
        Moved { names }
    }

    /// Whether the link `path` may resolve otherwise than before: yes when
    /// its last part names a changed key, or is one this test cannot judge
    /// (empty, `.`, `..`, or percent-encoded).
    fn may_reach(&self, path: &str) -> bool {
        if self.names.is_empty() {
            return false;
        }
        let mut parts = path.trim_end_matches('/').rsplit('/');
        let last = parts.next().unwrap_or("");
        let unsure = |s: &str| s.is_empty() || s == "." || s == ".." || s.contains('%');
        if unsure(last) {
            return true;
        }
        let hit = |s: &str| self.names.contains(name(s)) || self.names.contains(s);
        if last == "index.html" {
            let folder = parts.next().unwrap_or("");
            if unsure(folder) || hit(folder) {
                return true;
            }
        }
        hit(last)
    }
}

/// A path's last part without `.md`, as [`Moved`] compares them.
fn name(part: &str) -> &str {
    part.strip_suffix(".md").unwrap_or(part)
}

#[cfg(test)]
mod tests {
    use super::Moved;
    use crate::site::Links;
    use crate::site::reshape::moved_keys;

    fn map(pairs: &[(&str, &str)]) -> Links {
        (pairs.iter())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// A page gone and a bundle given another URL: every link that can
    /// reach either is resolved again, one to another page is not.
    #[test]
    fn only_links_that_can_reach_a_changed_key_are_resolved_again() {
        let old = map(&[
            ("notices/a.md", "notices/a/index.html"),
            ("notices/b.md", "notices/b/index.html"),
            ("notices/x/index.md", "notices/x/index.html"),
            ("notices/x", "notices/x/index.html"),
        ]);
        let new = map(&[
            ("notices/b.md", "notices/b/index.html"),
            ("notices/x/index.md", "notices/y/index.html"),
            ("notices/x", "notices/y/index.html"),
        ]);
        let keys = moved_keys(&old, &new);
        let moved = Moved::of(&keys);
        for reaches in [
            "a.md",
            "../notices/a.md",
            "/notices/a",
            "a/",
            "a/index.html",
            "x",
            "x/",
            "../notices/x/index.md",
            "index.md",
            "%61.md",
            "..",
            "./",
            "x/%69ndex.html",
        ] {
            assert!(moved.may_reach(reaches), "{reaches}");
        }
        for not in ["b.md", "../notices/b.md", "b/index.html", "a.pdf", "ab.md"] {
            assert!(!moved.may_reach(not), "{not}");
        }
        // Nothing changed: nothing is resolved again.
        assert!(!Moved::of(&moved_keys(&new, &new)).may_reach(".."));
    }
}
