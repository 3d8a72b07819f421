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
    pub summaries: &'a [Value],
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
/// Markdown and summaries that changed.
pub fn carry(new: &Reshaped, last: &Last) -> Result<Carried, Refused> {
    let site = &new.site;
    let sections_same = (site.sections.iter().zip(&last.bodies.sections))
        .all(|(s, r)| r.links_unchanged(&s.section.dir, &site.links));
    if !sections_same || site.sections.len() != last.bodies.sections.len() {
        return Err(Refused::Section);
    }
    let pages: Vec<(Arc<Body>, bool)> = (site.pages.par_iter().zip(&new.old))
        .map(|(p, old)| {
            if let Some(&o) = old.as_ref() {
                let r = &last.bodies.pages[o];
                if r.links_unchanged(p.page.dir(), &site.links) {
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
    let mut summaries: Vec<Value> = (new.old.iter())
        .map(|o| o.map_or_else(Value::none, |o| last.summaries[o].clone()))
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
