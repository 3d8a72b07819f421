//! unionpress: a static site generator for trade-union intranet sites.
//!
//! The modules follow the data: `source` (reading what editors write) →
//! `config` (site.yaml) → `content` (walk, split front matter, parse,
//! validate) → `site` (the index: URLs, sections, tags, links) → `render`
//! (Markdown, templates) → `output` (relative URLs, staging, atomic swap).
//! `search` turns the index and the rendered text into the offline search
//! index that the output carries beside the pages.
//! `build` runs the pipeline once; `cli` is the thin front end.
//! `theme` carries the built-in default theme; `scaffold` writes new sites
//! and pages for `init` and `new`.

pub mod build;
pub mod cache;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod format;
pub mod i18n;
pub mod output;
pub mod paths;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod source;
pub mod theme;
pub mod watch;
