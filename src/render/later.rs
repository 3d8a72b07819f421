//! Page summaries made when a file first needs them, for a build with the
//! cache that renders only the few files an edit reaches: making all of
//! them up front (10,000 maps of some forty values) cost more than
//! rendering those files. Each summary is made once, shared by every list
//! that shows it like an eager one, and told to [`fingerprint::Known`]
//! ([`fingerprint::Later`]) as it is made, so that fingerprints are the
//! ones the eager summaries give.

use std::sync::{Arc, OnceLock};

use tera::Value;

use super::{Bodies, context, fingerprint};
use crate::site::Site;

pub struct LaterSummaries {
    cells: Vec<OnceLock<Value>>,
    known: Arc<fingerprint::Later>,
}

impl LaterSummaries {
    /// One empty cell a page of `site`.
    pub fn new(site: &Site) -> LaterSummaries {
        LaterSummaries {
            cells: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
            known: Arc::default(),
        }
    }

    /// Page `i`'s summary, made now if no file asked for it before.
    pub fn get(&self, site: &Site, bodies: &Bodies, i: usize) -> &Value {
        self.cells[i].get_or_init(|| {
            let v = context::page_summary(site, &site.pages[i], &bodies.pages[i]);
            self.known.insert(&v);
            v
        })
    }

    /// Fingerprints that know each summary made here by its hash.
    pub fn known(&self) -> fingerprint::Known {
        fingerprint::Known::with_later(self.known.clone())
    }
}
