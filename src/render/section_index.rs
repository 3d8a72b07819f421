//! What an edit of a section's `_index.md` reaches, for the watcher's
//! quick path. Its title, kind, sort, pagination and description decide
//! where and how its pages are listed and what every page shows of it (the
//! menu, breadcrumbs, each page's summary): an edit of any of them is the
//! full build's ([`keeps_place`]). Its text, `template` and other fields
//! show on lists alone — its own list pages, the home page for the content
//! root — so every list is a candidate, and those whose fingerprint
//! differs from what was last written are rendered
//! ([`Renderer::render_changed`](super::Renderer::render_changed)). Pages,
//! and the files made whole (search index, feeds), are not candidates: a
//! page's context takes nothing of its section but what [`keeps_place`]
//! holds.

use crate::content::Section;

/// Whether `new` keeps what pages and their lists take of `old`: title,
/// kind, sort, pagination and description.
pub fn keeps_place(old: &Section, new: &Section) -> bool {
    old.title == new.title
        && old.kind == new.kind
        && old.sort == new.sort
        && old.paginate == new.paginate
        && old.description == new.description
}
